//! `knotmap check`: reads every file of a practice, sessions included, and lists
//! every problem, so a clinic can verify a folder (after a sync, a restore from
//! backup, a hand edit) without opening the app. A session marked ready or
//! completed that could not have passed the safety gate is a problem: its record
//! claims a check that did not happen. Every other safety warning that no
//! written reason covers is listed as a warning, which does not fail the check
//! (a plan still being made, or a record from before the gate).

use std::path::{Path, PathBuf};

use crate::model::Session;
use crate::safety::{SafetyRules, record_breaks_gate};
use crate::storage::{ClientEntry, KeptFile, OpenError, Practice, Problem, newer_message, read_session_file};

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
    let practice = Practice::open(root)?;
    let clients: Vec<&ClientEntry> = practice.clients().collect();
    let mut report = CheckReport {
        clients: clients.len(),
        sessions: clients.iter().map(|entry| entry.sessions.len()).sum(),
        problems: practice.problems().to_vec(),
        warnings: Vec::new(),
    };
    let rules = SafetyRules::standard().ok();
    for (problems, warnings) in check_clients_in_parallel(&practice, &clients, rules) {
        report.problems.extend(problems);
        report.warnings.extend(warnings);
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
) -> Vec<(Vec<Problem>, Vec<SafetyNotice>)> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = clients.len().div_ceil(workers).max(16);
    std::thread::scope(|scope| {
        let handles: Vec<_> = clients
            .chunks(chunk)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk.iter().map(|entry| check_client(practice, entry, rules)).collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// Reads one client's sessions, and checks the readable ones against the safety rules.
fn check_client(
    practice: &Practice,
    entry: &ClientEntry,
    rules: Option<&SafetyRules<'_>>,
) -> (Vec<Problem>, Vec<SafetyNotice>) {
    let client = &entry.client;
    let mut problems = Vec::new();
    let mut sessions: Vec<(Session, PathBuf)> = Vec::new();
    for id in &entry.sessions {
        let path = practice.session_path(&client.id, id);
        match read_session_file(&path, &client.id, id) {
            Err(problem) => problems.push(problem),
            Ok(read) => {
                if let Some(version) = read.newer_format {
                    problems.push(Problem::new(&path, newer_message(Session::WHAT, version)));
                }
                sessions.push((read.value, path));
            }
        }
    }
    let Some(rules) = rules else { return (problems, Vec::new()) };
    let (values, paths): (Vec<Session>, Vec<PathBuf>) = sessions.into_iter().unzip();
    let mut warnings = Vec::new();
    for ((session, report), path) in rules.check_client(client, &values).into_iter().zip(&paths) {
        if session.entered_in_error.is_some() {
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
        warnings.extend(
            report
                .unexplained()
                .map(|warning| SafetyNotice { path: path.clone(), message: warning.message.clone() }),
        );
    }
    (problems, warnings)
}
