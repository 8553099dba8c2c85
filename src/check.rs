//! `knotmap check`: reads every file of a practice, sessions included, and lists
//! every problem, so a clinic can verify a folder (after a sync, a restore from
//! backup, a hand edit) without opening the app. A session marked ready or
//! completed that could not have passed the safety gate is a problem: its record
//! claims a check that did not happen. Every other safety warning that no
//! written reason covers is listed as a warning, which does not fail the check
//! (a plan still being made, or a record from before the gate).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::geometry::BodyMapError;
use crate::model::{Client, ConsentGap, Session, SessionStatus};
use crate::safety::{SafetyRules, record_breaks_gate};
use crate::storage::check_cache::{self, CachedClient, CachedLog, CheckCache, FileStamp};
use crate::storage::{ClientEntry, Fingerprint, OpenError, Practice, Problem, read_session_bytes};

/// What checking a practice found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub clients: usize,
    pub sessions: usize,
    /// Files that could not be read, or do not belong: the check fails on these.
    pub problems: Vec<Problem>,
    /// Safety warnings without an override reason, by session file.
    pub warnings: Vec<SafetyNotice>,
    /// How many clients' files were unchanged since the last check, and so not read again.
    pub from_cache: usize,
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
    check_practice_against(root, SafetyRules::standard(), None)
}

/// [`check_practice`], keeping what it found in the cache folder `cache`
/// (outside the practice) and taking from there what the files it was found
/// in still say: a client none of whose files changed is not read again. The
/// report is the same with the cache as without it.
pub fn check_practice_cached(root: &Path, cache: &Path) -> Result<CheckReport, OpenError> {
    check_practice_against(root, SafetyRules::standard(), Some(cache))
}

/// [`check_practice`] with the given safety rules, or the reason they could
/// not be built: then no session is checked against them, and that is a
/// problem, not a quiet pass. With `cache`, as [`check_practice_cached`].
pub fn check_practice_against(
    root: &Path,
    rules: Result<&SafetyRules<'_>, &BodyMapError>,
    cache: Option<&Path>,
) -> Result<CheckReport, OpenError> {
    let practice = Practice::open(root)?;
    let cache = match cache {
        Some(folder) => CheckCache::load(folder, root, cache_key(&practice, rules.is_ok())),
        None => CheckCache::none(),
    };
    let clients: Vec<&ClientEntry> = practice.clients().collect();
    let mut report = CheckReport {
        clients: clients.len(),
        sessions: clients.iter().map(|entry| entry.sessions.len()).sum(),
        problems: practice.problems().to_vec(),
        warnings: Vec::new(),
        from_cache: 0,
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
    let mut kept: HashMap<String, CachedClient> = HashMap::new();
    for (problems, warnings, keep, cached) in
        check_clients_in_parallel(&practice, &clients, rules, now, &cache)
    {
        report.problems.extend(problems);
        report.warnings.extend(warnings);
        report.from_cache += usize::from(cached);
        if let Some((id, entry)) = keep {
            kept.insert(id, entry);
        }
    }
    // A profile that cannot be read hides no session: each is read, and checked
    // against every rule that needs no health flag (caution zones, pressure rises).
    for (client, sessions) in practice.sessions_without_profile() {
        let stand_in = ClientEntry {
            client: Client { id: client.clone(), ..Client::new(client.as_str()) },
            sessions: sessions.to_vec(),
        };
        report.sessions += sessions.len();
        let (problems, warnings, ..) = check_client(&practice, &stand_in, rules, now, &CheckCache::none());
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
    let mut logs: HashMap<PathBuf, CachedLog> = HashMap::new();
    for log in crate::storage::audit::log_files(practice.root()) {
        let (problem, keep) = check_log(&log, &cache);
        report.problems.extend(problem);
        if let Some(keep) = keep {
            logs.insert(log, keep);
        }
    }
    cache.save(&kept, &logs);
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
    cache: &CheckCache,
) -> Vec<Checked> {
    crate::cores::on_every_core(clients, |entry| check_client(practice, entry, rules, now, cache))
}

/// What checking one client found, what to keep of it in the cache (by client
/// ID), and whether it came from the cache.
type Checked = (Vec<Problem>, Vec<SafetyNotice>, Option<(String, CachedClient)>, bool);

/// Which build of Knotmap checked, and under which rules: an entry of the
/// cache made under others says nothing about this check.
fn cache_key(practice: &Practice, rules_built: bool) -> u64 {
    let mut key = format!(
        "{} {rules_built} {:?} {:?}",
        env!("CARGO_PKG_VERSION"),
        practice.clinic_rules(),
        practice.clinic_rules_problem().map(ToString::to_string)
    );
    // A build of the same version with other rules has another program file.
    if let Ok(program) = std::env::current_exe()
        && let Ok(metadata) = std::fs::metadata(program)
    {
        key.push_str(&format!(" {:?}", check_cache::stamp(&metadata, 0)));
    }
    Fingerprint::of(key.as_bytes()).hash()
}

/// The client's profile and session files as they are now, by metadata alone.
fn stamps_now(practice: &Practice, entry: &ClientEntry) -> Option<Vec<(PathBuf, FileStamp)>> {
    let profile = practice.client_path(&entry.client.id);
    let mut paths = vec![profile];
    paths.extend(entry.sessions.iter().map(|id| practice.session_path(&entry.client.id, id)));
    paths
        .into_iter()
        .map(|path| {
            let metadata = std::fs::symlink_metadata(&path).ok()?;
            Some((path, check_cache::stamp(&metadata, 0)))
        })
        .collect()
}

/// What the cache says of `entry`, if every one of its files is as it was.
fn from_cache(practice: &Practice, entry: &ClientEntry, cache: &CheckCache) -> Option<CachedClient> {
    let cached = cache.clients.get(entry.client.id.as_str())?;
    let now = stamps_now(practice, entry)?;
    if now.len() != cached.files.len() {
        return None;
    }
    for (index, ((path, stamp), (cached_path, cached_stamp))) in now.iter().zip(&cached.files).enumerate() {
        if path != cached_path {
            return None;
        }
        let content = || {
            if index == 0 {
                // The profile was read when the practice opened.
                practice.known_fingerprint(path).map(|fingerprint| fingerprint.hash())
            } else {
                crate::storage::read_limited(path).ok().map(|bytes| Fingerprint::of(&bytes).hash())
            }
        };
        if !cache.unchanged(cached_stamp, stamp, content) {
            return None;
        }
    }
    Some(cached.clone())
}

/// Reads an audit log strictly, or takes what the cache says of it.
fn check_log(log: &Path, cache: &CheckCache) -> (Option<Problem>, Option<CachedLog>) {
    use crate::storage::audit::{log_bytes, parse_log};
    let metadata = std::fs::symlink_metadata(log).ok();
    if let (Some(metadata), Some(cached)) = (&metadata, cache.logs.get(log)) {
        let now = check_cache::stamp(metadata, 0);
        let content = || log_bytes(log).ok().map(|bytes| Fingerprint::of(&bytes).hash());
        if cache.unchanged(&cached.stamp, &now, content) {
            return (cached.problem.clone(), Some(cached.clone()));
        }
    }
    let bytes = match log_bytes(log) {
        Ok(bytes) => bytes,
        Err(problem) => return (Some(problem), None),
    };
    let problem = parse_log(log, &bytes).err();
    // Stamped from what was there before the read: a change after it makes the
    // entry miss next time, never lie.
    let keep = metadata.map(|metadata| CachedLog {
        stamp: check_cache::stamp(&metadata, Fingerprint::of(&bytes).hash()),
        problem: problem.clone(),
    });
    (problem, keep)
}

/// Reads one client's sessions, and checks the readable ones against the safety rules;
/// `now` is the local time the check began, for records dated ahead. What the
/// cache has of the client is taken instead where none of their files changed.
fn check_client(
    practice: &Practice,
    entry: &ClientEntry,
    rules: Option<&SafetyRules<'_>>,
    now: jiff::civil::DateTime,
    cache: &CheckCache,
) -> Checked {
    let client = &entry.client;
    if let Some(cached) = from_cache(practice, entry, cache) {
        let warnings = cached
            .warnings
            .iter()
            .map(|(path, message)| SafetyNotice { path: path.clone(), message: message.clone() })
            .collect();
        return (cached.problems.clone(), warnings, Some((client.id.as_str().to_owned(), cached)), true);
    }
    let mut problems = Vec::new();
    let mut sessions: Vec<(Session, PathBuf)> = Vec::new();
    // What the cache is to keep: each file's metadata from before it was read and
    // the fingerprint of what was read; none if a file could not be read at all.
    let profile = practice.client_path(&client.id);
    let mut stamps: Option<Vec<(PathBuf, FileStamp)>> = std::fs::symlink_metadata(&profile)
        .ok()
        .zip(practice.known_fingerprint(&profile))
        .map(|(metadata, fingerprint)| {
            vec![(profile.clone(), check_cache::stamp(&metadata, fingerprint.hash()))]
        });
    for id in &entry.sessions {
        let path = practice.session_path(&client.id, id);
        let (bytes, metadata) = match crate::storage::read_limited_with_metadata(&path) {
            Ok(read) => read,
            Err(problem) => {
                problems.push(problem);
                stamps = None;
                continue;
            }
        };
        let fingerprint = match read_session_bytes(&path, &bytes, &client.id, id) {
            Err(problem) => {
                problems.push(problem);
                Fingerprint::of(&bytes)
            }
            Ok(read) => {
                problems.extend(read.newer_problem(&path));
                let fingerprint = read.fingerprint;
                sessions.push((read.value, path.clone()));
                fingerprint
            }
        };
        if let Some(stamps) = &mut stamps {
            stamps.push((path, check_cache::stamp(&metadata, fingerprint.hash())));
        }
    }
    // A record dated ahead is a problem only until its day comes: not kept.
    if sessions
        .iter()
        .any(|(session, _)| session.status == SessionStatus::Completed && session.starts_at > now)
    {
        stamps = None;
    }
    let Some(rules) = rules else {
        let keep = stamps.map(|files| {
            let entry = CachedClient { files, problems: problems.clone(), warnings: Vec::new() };
            (client.id.as_str().to_owned(), entry)
        });
        return (problems, Vec::new(), keep, false);
    };
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
    let keep = stamps.map(|files| {
        let kept_warnings =
            warnings.iter().map(|notice| (notice.path.clone(), notice.message.clone())).collect();
        let entry = CachedClient { files, problems: problems.clone(), warnings: kept_warnings };
        (client.id.as_str().to_owned(), entry)
    });
    (problems, warnings, keep, false)
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
