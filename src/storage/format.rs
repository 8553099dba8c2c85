//! The RON files a user keeps, and their format versions.
//!
//! Every file is a small envelope: `(format: 1, client: (...))`. The reader looks
//! at `format` first. The current version is read as it is; an older one is read
//! with its own types and migrated; a newer one is read as well as this version
//! can, and marked read-only so that it is never overwritten.
//!
//! When a format changes: bump [`CURRENT_FORMAT`], keep the old types in a module
//! named after the old version with a conversion to the new ones (or, where the
//! old shape is a subset of the new one, a migration of the value read), add a
//! match arm in `read_body`, and add a golden file of the new version under
//! `tests/golden/`. Golden files of every version are read by the tests forever.
//!
//! Format 2 added regions (`gluteus_maximus_*`, `triceps_*`), cancelled and
//! postponed sessions, records entered in error, carried override reasons and
//! the prone-positioning reminder. Every format-1 file is a valid format-2 file
//! in shape, so format 1 is read with today's types and then migrated: a session
//! that was already ready or completed is marked as made before the safety gate
//! existed ([`Session::before_safety_gate`]).

use serde::{Deserialize, Serialize};

use super::plan_file::PlanFile;
use super::problem::{Problem, TextPosition};
use super::trash::TrashRecord;
use crate::model::{Client, PracticeSettings, Session, SessionStatus};

/// The format version this build writes.
pub const CURRENT_FORMAT: u32 = 2;

/// The largest file Knotmap reads. A real session file is a few kilobytes; a
/// file this large is a mistake, and reading it would stall the app.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A kind of file the practice keeps.
pub trait KeptFile: Sized {
    /// What the user calls it, e.g. "client profile".
    const WHAT: &'static str;

    /// The file's text, current format, pretty-printed.
    fn to_ron(&self) -> Result<String, ron::Error>;

    /// Reads the body of a file of format `version` (the current one or older),
    /// migrated to the current format.
    fn read_body(text: &str, version: u32) -> Result<Self, ron::error::SpannedError>;

    /// Rules of the domain that the types alone do not hold.
    fn check(&self) -> Result<(), String> {
        Ok(())
    }
}

macro_rules! envelope {
    ($file:ty, $field:ident, $what:literal, $check:expr) => {
        envelope!($file, $field, $what, $check, |value, _version| value);
    };
    ($file:ty, $field:ident, $what:literal, $check:expr, $migrate:expr) => {
        impl KeptFile for $file {
            const WHAT: &'static str = $what;

            fn to_ron(&self) -> Result<String, ron::Error> {
                #[derive(Serialize)]
                struct Envelope<'a> {
                    format: u32,
                    $field: &'a $file,
                }
                ron::ser::to_string_pretty(&Envelope { format: CURRENT_FORMAT, $field: self }, pretty()).map(
                    |mut text| {
                        text.push('\n');
                        text
                    },
                )
            }

            fn read_body(text: &str, version: u32) -> Result<Self, ron::error::SpannedError> {
                // Formats 1 and 2 share their shape (see the module's doc); the migration does the rest.
                #[derive(Deserialize)]
                struct Envelope {
                    $field: $file,
                }
                let migrate: fn($file, u32) -> $file = $migrate;
                ron::from_str::<Envelope>(text).map(|envelope| migrate(envelope.$field, version))
            }

            fn check(&self) -> Result<(), String> {
                let check: fn(&$file) -> Result<(), String> = $check;
                check(self)
            }
        }
    };
}

envelope!(PracticeSettings, practice, "practice settings", |_| Ok(()));
envelope!(Client, client, "client profile", |_| Ok(()));
envelope!(
    Session,
    session,
    "session",
    |session| session.validate().map_err(|error| error.to_string()),
    migrate_session
);
envelope!(TrashRecord, trashed, "trash record", |_| Ok(()));
envelope!(
    PlanFile,
    plan,
    "plan",
    |plan| plan.session.validate().map_err(|error| error.to_string()),
    |mut plan, version| {
        plan.session = migrate_session(plan.session, version);
        plan
    }
);

/// A session of format 1 that was ready or completed was marked so before the
/// safety gate: say so, so that its unexplained warnings read as history.
fn migrate_session(mut session: Session, version: u32) -> Session {
    if version < 2 && matches!(session.status, SessionStatus::Ready | SessionStatus::Completed) {
        session.before_safety_gate = true;
    }
    session
}

fn pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new().indentor("    ").new_line("\n")
}

/// What reading a file gave.
#[derive(Debug)]
pub struct ReadFile<T> {
    pub value: T,
    /// The fingerprint of the bytes read, to notice a change by someone else.
    pub fingerprint: Fingerprint,
    /// Set when the file is from a newer version: it must not be written.
    pub newer_format: Option<u32>,
}

/// What a file held when it was read or written, to tell whether someone else
/// has changed it since. Content-based, because the clocks and timestamps of a
/// synced or shared folder cannot be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    len: u64,
    hash: u64,
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Fingerprint {
        use std::hash::Hasher;
        // DefaultHasher::new() has fixed keys, so the same bytes give the same value.
        let mut hasher = std::hash::DefaultHasher::new();
        hasher.write(bytes);
        Fingerprint { len: bytes.len() as u64, hash: hasher.finish() }
    }
}

/// Parses the bytes of a kept file at `path`, or says plainly what is wrong
/// with it, where.
pub fn parse_file<T: KeptFile>(path: &std::path::Path, bytes: &[u8]) -> Result<ReadFile<T>, Problem> {
    let problem = |message: String| Problem::new(path, message);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
            return Err(problem(format!(
                "this is not a text file, so it cannot be a Knotmap {}; it was left as it is",
                T::WHAT
            ))
            .at(TextPosition::after(valid)));
        }
    };
    // Text with control characters (NUL, escape…) is binary data that happens to be valid UTF-8.
    if let Some(index) = text.find(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(problem(format!(
            "this is binary data, not a text file, so it cannot be a Knotmap {}; it was left as it is",
            T::WHAT
        ))
        .at(TextPosition::after(&text[..index])));
    }
    if text.trim().is_empty() {
        return Err(problem(format!("the file is empty, so it holds no {}; it was left as it is", T::WHAT)));
    }

    #[derive(Deserialize)]
    struct KnotmapFile {
        // RON writes an `Option` as `Some(1)`, but the envelope has a plain `format: 1`:
        // read a present field as a plain number, and a missing one as `None`.
        #[serde(default, deserialize_with = "present_version")]
        format: Option<u32>,
    }
    fn present_version<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
        u32::deserialize(deserializer).map(Some)
    }
    let version = match ron::from_str::<KnotmapFile>(text) {
        Ok(KnotmapFile { format: Some(version) }) => version,
        Ok(KnotmapFile { format: None }) => {
            return Err(problem(format!(
                "this {} has no `format:` version, so it was not written by Knotmap; it was left as it is",
                T::WHAT
            )));
        }
        Err(error) => return Err(ron_problem(path, T::WHAT, &error)),
    };
    if version == 0 {
        return Err(problem(format!("format 0 does not exist; this {} was left as it is", T::WHAT)));
    }

    let value = T::read_body(text, version.min(CURRENT_FORMAT)).map_err(|error| {
        if version > CURRENT_FORMAT {
            problem(format!(
                "this {} was written by a newer version of Knotmap (format {version}; this version reads up \
                 to {CURRENT_FORMAT}) and cannot be shown by this one; it was left as it is. Update Knotmap to \
                 open it",
                T::WHAT
            ))
        } else {
            ron_problem(path, T::WHAT, &error)
        }
    })?;
    value.check().map_err(|message| problem(format!("cannot read this {}: {message}", T::WHAT)))?;
    Ok(ReadFile {
        value,
        fingerprint: Fingerprint::of(bytes),
        newer_format: (version > CURRENT_FORMAT).then_some(version),
    })
}

/// The message for a file from a newer Knotmap.
pub fn newer_message(what: &str, version: u32) -> String {
    format!(
        "this {what} was written by a newer version of Knotmap (format {version}; this version reads up to \
         {CURRENT_FORMAT}). It is shown read-only and will not be changed; update Knotmap to edit it"
    )
}

fn ron_problem(path: &std::path::Path, what: &str, error: &ron::error::SpannedError) -> Problem {
    let position = TextPosition { line: error.span.start.line, column: error.span.start.col };
    Problem::new(path, format!("cannot read this {what}: {}; it was left as it is", error.code)).at(position)
}

/// Reads and parses the kept file at `path`, refusing one larger than
/// [`MAX_FILE_BYTES`] without reading it.
pub fn read_file<T: KeptFile>(path: &std::path::Path) -> Result<ReadFile<T>, Problem> {
    let bytes = read_limited(path)?;
    parse_file(path, &bytes)
}

/// The bytes of `path`, or a problem if it cannot be read or is too large.
pub fn read_limited(path: &std::path::Path) -> Result<Vec<u8>, Problem> {
    use std::io::Read;
    let file = std::fs::File::open(path)
        .map_err(|error| Problem::new(path, format!("cannot open the file: {error}")))?;
    let mut bytes = Vec::new();
    // Reading one byte past the limit tells a too-large file from one exactly at it,
    // even if it grows while being read.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| Problem::new(path, format!("cannot read the file: {error}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Problem::new(
            path,
            format!(
                "the file is larger than {} MiB, far larger than any Knotmap file; it was not read and was left as it is",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(bytes)
}

/// Reads a kept file's text back from RON, for tests and tools that hold text
/// rather than a path.
pub fn from_ron<T: KeptFile>(text: &str) -> Result<T, Problem> {
    parse_file::<T>(std::path::Path::new("<text>"), text.as_bytes()).map(|read| read.value)
}
