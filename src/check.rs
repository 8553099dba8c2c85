//! `knotmap check`: reads every file of a practice, sessions included, and lists
//! every problem, so a clinic can verify a folder (after a sync, a restore from
//! backup, a hand edit) without opening the app.

use std::path::{Path, PathBuf};

use crate::model::Session;
use crate::storage::{KeptFile, OpenError, Practice, Problem, newer_message, read_session_file};

/// What checking a practice found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub clients: usize,
    pub sessions: usize,
    pub problems: Vec<Problem>,
}

/// Reads every file of the practice at `root`. Nothing is written.
pub fn check_practice(root: &Path) -> Result<CheckReport, OpenError> {
    let practice = Practice::open(root)?;
    let mut problems = practice.problems().to_vec();
    let session_files: Vec<_> = practice
        .session_files()
        .map(|(client, session, path)| (client.clone(), session.clone(), path))
        .collect();
    problems.extend(read_sessions_in_parallel(&session_files));
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(CheckReport { clients: practice.client_count(), sessions: session_files.len(), problems })
}

type SessionFile = (crate::model::ClientId, crate::model::SessionId, PathBuf);

/// Parsing a decade of sessions is the slow part of a check; it spreads over every core.
fn read_sessions_in_parallel(files: &[SessionFile]) -> Vec<Problem> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = files.len().div_ceil(workers).max(256);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|(client, session, path)| {
                            match read_session_file(path, client, session) {
                                Err(problem) => Some(problem),
                                Ok(read) => read
                                    .newer_format
                                    .map(|version| Problem::new(path, newer_message(Session::WHAT, version))),
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}
