//! One plan shared as a single `.ron` file anywhere on disk, outside any practice:
//! to send a plan to a colleague, or to carry it to another practice.
//!
//! The file is a kept file like the others, with its own format version:
//! `(format: 1, plan: (client_name: .., exported_at: .., session: (..)))`. Saving
//! is atomic and never replaces a file that is not a Knotmap plan, nor one from a
//! newer Knotmap; opening one from a newer Knotmap shows it read-only. Importing
//! makes a new planned session for a client of the open practice from the plan's
//! content, never from its IDs, which belong to the practice it came from.

use std::fs;
use std::path::{Path, PathBuf};

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use super::atomic::write_atomically;
use super::format::{KeptFile, newer_message, parse_file, read_file, read_limited};
use super::practice_folder::{Practice, SaveError};
use super::problem::Problem;
use crate::model::{ClientId, Session};

/// The end of a shared plan's file name, by which the desktop opens it in Knotmap.
pub const PLAN_SUFFIX: &str = "knotmap-plan.ron";

/// A plan as it is shared: the session, and who it was for, when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanFile {
    /// The name of the client the plan was made for, as shown where it came from.
    pub client_name: String,
    /// When the plan was saved to this file.
    pub exported_at: DateTime,
    /// The session as it was in its practice, IDs and all.
    pub session: Session,
}

super::format::envelope!(
    PlanFile,
    plan,
    "plan",
    |plan| super::format::valid_session(&plan.session),
    |mut plan, version| {
        plan.session = super::format::migrate_session(plan.session, version);
        plan
    }
);

impl PlanFile {
    /// The plan of `session` for the client named `client_name`, saved at
    /// `exported_at` (kept to the second: the file is read by people too).
    pub fn new(client_name: impl Into<String>, session: Session, exported_at: DateTime) -> PlanFile {
        let exported_at = exported_at.round(jiff::Unit::Second).unwrap_or(exported_at);
        PlanFile { client_name: client_name.into(), exported_at, session }
    }

    /// A file name to suggest in the save dialog, e.g. `Ana Lima 2026-11-16.ron`.
    pub fn suggested_file_name(&self) -> String {
        // Only what every file system accepts: letters, digits, spaces, '-' and '_'.
        let name: String = self
            .client_name
            .chars()
            .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { ' ' })
            .collect();
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let date = self.session.starts_at.strftime("%Y-%m-%d");
        // The suffix the desktop knows Knotmap's plans by (assets/desktop/org.knotmap.Knotmap.xml).
        if name.is_empty() {
            format!("Plan {date}.{PLAN_SUFFIX}")
        } else {
            format!("{name} {date}.{PLAN_SUFFIX}")
        }
    }
}

/// A plan file that was opened.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenedPlan {
    pub plan: PlanFile,
    /// Set when the file must not be written back (it is from a newer Knotmap), with why.
    pub read_only: Option<String>,
}

/// Why a plan was not saved to a file. The file that was there is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum PlanFileError {
    #[error(
        "{path} is a plan from a newer version of Knotmap (format {version}), so it was not \
         overwritten; save under another name, or update Knotmap"
    )]
    NewerFormat { path: PathBuf, version: u32 },
    #[error("{path} is not a Knotmap plan ({why}), so it was not overwritten; save under another name")]
    NotAPlan { path: PathBuf, why: String },
    #[error(
        "{path} is a link, and Knotmap does not write through links; save to the file it points to, \
         or under another name"
    )]
    Link { path: PathBuf },
    #[error("cannot save the plan to {path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("cannot save the plan to {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is read-only: {why}")]
    ReadOnly { path: PathBuf, why: String },
    #[error(
        "{path} was changed elsewhere since it was opened, so it was not overwritten; use Save plan as… \
         to keep your version under another name"
    )]
    ChangedElsewhere { path: PathBuf },
    /// What is at the path cannot be read, or is no file Knotmap may replace (a pipe, a device).
    #[error("{0}")]
    Unreadable(Problem),
}

/// Saves `plan` to `path`, atomically. A file already at `path` is replaced only
/// if it is a Knotmap plan this version can write (or empty): anything else there
/// is someone's data, and is refused with a clear error.
pub fn save_plan_file(path: &Path, plan: &PlanFile) -> Result<(), PlanFileError> {
    check_replaceable(path)?;
    plan.check()
        .map_err(|invalid| PlanFileError::Invalid { path: path.to_owned(), message: invalid.message })?;
    let text = plan
        .to_ron()
        .map_err(|error| PlanFileError::Invalid { path: path.to_owned(), message: error.to_string() })?;
    write_atomically(path, text.as_bytes())
        .map_err(|source| PlanFileError::Io { path: path.to_owned(), source })
}

/// Refuses to replace what is at `path` unless it is nothing, an empty file, or
/// a plan of this format or an older one.
fn check_replaceable(path: &Path) -> Result<(), PlanFileError> {
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(PlanFileError::Io { path: path.to_owned(), source }),
    };
    if metadata.file_type().is_symlink() {
        return Err(PlanFileError::Link { path: path.to_owned() });
    }
    if !metadata.is_file() {
        let why = "it is a folder or a special file, not a file".to_owned();
        return Err(PlanFileError::NotAPlan { path: path.to_owned(), why });
    }
    let bytes = read_limited(path)
        .map_err(|problem| PlanFileError::NotAPlan { path: path.to_owned(), why: problem.message })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        // Nothing is lost by replacing an empty file (a dialog or a user may have made it).
        return Ok(());
    }
    match parse_file::<PlanFile>(path, &bytes) {
        Ok(read) => match read.newer_format {
            Some(version) => Err(PlanFileError::NewerFormat { path: path.to_owned(), version }),
            None => Ok(()),
        },
        Err(problem) => {
            Err(PlanFileError::NotAPlan { path: path.to_owned(), why: problem_in_file(&problem) })
        }
    }
}

/// A problem's message with its place, for an error that already names the file.
fn problem_in_file(problem: &Problem) -> String {
    match problem.position {
        Some(position) => format!("line {}, column {}: {}", position.line, position.column, problem.message),
        None => problem.message.clone(),
    }
}

/// Opens the plan file at `path`. A plan from a newer Knotmap opens read-only;
/// a file that is not a readable plan is a problem naming the file and the place.
pub fn open_plan_file(path: &Path) -> Result<OpenedPlan, Problem> {
    let read = read_file::<PlanFile>(path)?;
    let read_only = read.newer_format.map(|version| newer_message(PlanFile::WHAT, version));
    Ok(OpenedPlan { plan: read.value, read_only })
}

impl Practice {
    /// Makes a new planned session for `client` from `plan`'s content (goals,
    /// regions, marks, aftercare, length), with a fresh ID and starting at `now`,
    /// and saves it. Nothing of the plan's past comes along: no outcome, safety
    /// overrides, amendments or screening, and not the therapist or the next visit, which
    /// belong to the practice the plan came from.
    pub fn import_plan(
        &mut self,
        client: &ClientId,
        plan: &PlanFile,
        now: DateTime,
    ) -> Result<Session, SaveError> {
        let mut session = Session::new(client.clone(), now, plan.session.minutes);
        session.goals = plan.session.goals.clone();
        session.regions = plan.session.regions.clone();
        session.marks = plan.session.marks.clone();
        session.aftercare = plan.session.aftercare.clone();
        self.save_session(&session)?;
        Ok(session)
    }
}
