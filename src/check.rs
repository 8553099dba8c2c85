//! `knotmap check`: reads every file of a practice, sessions included, and lists
//! every problem, so a clinic can verify a folder (after a sync, a restore from
//! backup, a hand edit) without opening the app. A session marked ready or
//! completed that could not have passed the safety gate is a problem: its record
//! claims a check that did not happen. Every other safety warning that no
//! written reason covers is listed as a warning, which does not fail the check
//! (a plan still being made, or a record from before the gate).

use std::path::{Path, PathBuf};

use crate::geometry::BodyMapError;
use crate::model::{Client, ConsentGap, Session, SessionStatus};
use crate::safety::{SafetyRules, record_breaks_gate};
use crate::storage::{ClientEntry, OpenError, Practice, Problem, read_session_file};

/// What checking a practice found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub clients: usize,
    pub sessions: usize,
    /// Files that could not be read, or do not belong: the check fails on these.
    pub problems: Vec<Problem>,
    /// Safety warnings without an override reason, by session file.
    pub warnings: Vec<SafetyNotice>,
}

/// A safety warning of one session that nobody explained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SafetyNotice {
    pub path: PathBuf,
    pub message: String,
}

/// `path: warning: message`, beside the problems' `path:line:col: message`.
impl std::fmt::Display for SafetyNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: warning: {}", self.path.display(), self.message)
    }
}

/// Reads every file of the practice at `root`. Nothing is written.
pub fn check_practice(root: &Path) -> Result<CheckReport, OpenError> {
    check_practice_against(root, SafetyRules::standard())
}

/// [`check_practice`] with the given safety rules, or the reason they could
/// not be built: then no session is checked against them, and that is a
/// problem, not a quiet pass.
pub fn check_practice_against(
    root: &Path,
    rules: Result<&SafetyRules<'_>, &BodyMapError>,
) -> Result<CheckReport, OpenError> {
    let practice = Practice::open(root)?;
    let clients: Vec<&ClientEntry> = practice.clients().collect();
    let mut report = CheckReport {
        clients: clients.len(),
        sessions: clients.iter().map(|entry| entry.sessions.len()).sum(),
        problems: practice.problems().to_vec(),
        warnings: Vec::new(),
    };
    if let Err(error) = rules {
        report.problems.push(Problem::new(
            root,
            format!(
                "the safety rules could not be built, because the body map failed to load ({error}); no \
                 session was checked against them. Reinstall Knotmap"
            ),
        ));
    }
    // The clinic's own rules apply on top of the given ones.
    let with_clinic = rules.ok().map(|rules| {
        let rules = rules.with_clinic(std::sync::Arc::clone(practice.clinic_rules()));
        match practice.clinic_rules_problem() {
            Some(problem) => rules.with_clinic_unreadable(problem.to_string()),
            None => rules,
        }
    });
    let rules = with_clinic.as_ref();
    // Read once: the local time is looked up in the time zone database, too slow for every record.
    let now = jiff::Zoned::now().datetime();
    for (problems, warnings) in check_clients_in_parallel(&practice, &clients, rules, now) {
        report.problems.extend(problems);
        report.warnings.extend(warnings);
    }
    // A profile that cannot be read hides no session: each is read, and checked
    // against every rule that needs no health flag (caution zones, pressure rises).
    for (client, sessions) in practice.sessions_without_profile() {
        let stand_in = ClientEntry {
            client: Client { id: client.clone(), ..Client::new(client.as_str()) },
            sessions: sessions.to_vec(),
        };
        report.sessions += sessions.len();
        let (problems, warnings) = check_client(&practice, &stand_in, rules, now);
        report.problems.extend(problems);
        report.warnings.extend(warnings.into_iter().map(|notice| SafetyNotice {
            message: format!(
                "{} (checked without the client's health flags: the profile cannot be read)",
                notice.message
            ),
            ..notice
        }));
    }
    report.problems.extend(practice.check_trash());
    // The audit trail: every line read strictly, every entry chained to the one before.
    for log in crate::storage::audit::log_files(practice.root()) {
        if let Err(problem) = crate::storage::audit::read_log(&log) {
            report.problems.push(problem);
        }
    }
    report.problems.sort_by(|a, b| a.path.cmp(&b.path));
    report.warnings.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(report)
}

/// Parsing a decade of sessions is the slow part of a check; it spreads over
/// every core, a client at a time (the safety rules compare a client's sessions).
fn check_clients_in_parallel(
    practice: &Practice,
    clients: &[&ClientEntry],
    rules: Option<&SafetyRules<'_>>,
    now: jiff::civil::DateTime,
) -> Vec<(Vec<Problem>, Vec<SafetyNotice>)> {
    crate::cores::on_every_core(clients, |entry| check_client(practice, entry, rules, now))
}

/// Reads one client's sessions, and checks the readable ones against the safety rules;
/// `now` is the local time the check began, for records dated ahead.
fn check_client(
    practice: &Practice,
    entry: &ClientEntry,
    rules: Option<&SafetyRules<'_>>,
    now: jiff::civil::DateTime,
) -> (Vec<Problem>, Vec<SafetyNotice>) {
    let client = &entry.client;
    let mut problems = Vec::new();
    let mut sessions: Vec<(Session, PathBuf)> = Vec::new();
    for id in &entry.sessions {
        let path = practice.session_path(&client.id, id);
        match read_session_file(&path, &client.id, id) {
            Err(problem) => problems.push(problem),
            Ok(read) => {
                problems.extend(read.newer_problem(&path));
                sessions.push((read.value, path));
            }
        }
    }
    let Some(rules) = rules else { return (problems, Vec::new()) };
    let (values, paths): (Vec<Session>, Vec<PathBuf>) = sessions.into_iter().unzip();
    let mut warnings = Vec::new();
    let sensitive = practice.clinic_rules().sensitive_regions();
    for ((session, report), path) in rules.check_client(client, &values).into_iter().zip(&paths) {
        if session.entered_in_error.is_some() {
            continue;
        }
        // Only the lifecycle completes a session, and never before it starts: a record
        // dated ahead was written by hand or by another tool.
        if session.status == SessionStatus::Completed && session.starts_at > now {
            problems.push(Problem::new(
                path,
                format!(
                    "this session is marked completed, but it starts in the future ({}); a session is completed \
                     once its start has come",
                    session.starts_at.strftime("%a %-d %b %Y %H:%M")
                ),
            ));
            continue;
        }
        if let Some(refusal) = record_breaks_gate(session, &report) {
            problems.push(Problem::new(
                path,
                format!(
                    "this session is marked {} but did not pass the safety gate: {refusal}",
                    session.status.word()
                ),
            ));
            continue;
        }
        match consent_of_a_record(session, &sensitive) {
            Some(ConsentFinding::Problem(message)) => {
                problems.push(Problem::new(path, message));
                continue;
            }
            Some(ConsentFinding::Warning(message)) => {
                warnings.push(SafetyNotice { path: path.clone(), message })
            }
            None => {}
        }
        warnings.extend(
            report
                .unexplained()
                .map(|warning| SafetyNotice { path: path.clone(), message: warning.message.clone() }),
        );
    }
    (problems, warnings)
}

/// What `check` says of a session's consent.
enum ConsentFinding {
    Problem(String),
    Warning(String),
}

/// A ready or completed session whose plan the client's consent does not
/// cover is a problem (a sensitive area unsigned for, a withdrawn area still in
/// it); a completed one without any consent record is worth a warning. Records
/// marked before Knotmap recorded consent are neither.
fn consent_of_a_record(
    session: &Session,
    sensitive: &std::collections::BTreeSet<crate::model::RegionId>,
) -> Option<ConsentFinding> {
    if session.before_consent || !matches!(session.status, SessionStatus::Ready | SessionStatus::Completed) {
        return None;
    }
    let status = session.status.word();
    match crate::model::consent::consent_gap(session, sensitive) {
        Some(gap @ (ConsentGap::Missing(_) | ConsentGap::Withdrawn { .. })) => {
            return Some(ConsentFinding::Problem(format!("this session is marked {status}, but {gap}")));
        }
        Some(ConsentGap::Beyond(_)) | None => {}
    }
    (session.status == SessionStatus::Completed && session.consents.is_empty()).then(|| {
        ConsentFinding::Warning(
            "this session was completed without any record of the client's consent".to_owned(),
        )
    })
}
