//! The audit trail: every change to a profile or a session that this laptop
//! writes is appended to this laptop's log, in the practice folder:
//!
//! ```text
//! audit/<laptop>/<YYYY-MM>.log      one file a month, appended to, never rewritten
//! ```
//!
//! One file per laptop, so a sync tool never has two versions of one to merge.
//! The first line names the format, the laptop and the month; each line after
//! it is one entry in RON, read strictly like every file Knotmap keeps, and
//! carries the hash of the line before it: an earlier entry changed or removed
//! breaks the chain, and `knotmap check` says where.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::atomic::create_private_folder;
use super::problem::Problem;
use crate::model::{ClientId, SessionId};

/// The practice's folder of audit logs.
pub const AUDIT_FOLDER: &str = "audit";

/// The most of one month's log that is read: far beyond any clinic's month.
const MAX_LOG_BYTES: u64 = 256 * 1024 * 1024;

/// The format of the log's lines.
const AUDIT_FORMAT: u32 = 1;

/// A log's first line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditHeader {
    pub format: u32,
    pub laptop: String,
    pub month: String,
}

/// Which record changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditRecord {
    Profile(ClientId),
    Session(ClientId, SessionId),
}

/// One change, as appended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    pub at: DateTime,
    pub who: String,
    pub record: AuditRecord,
    /// What changed, in words.
    pub what: Vec<String>,
    /// The hash of the line before, in hex.
    pub previous: String,
}

/// One change to append, before it is chained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub at: DateTime,
    pub who: String,
    pub record: AuditRecord,
    pub what: Vec<String>,
}

/// This laptop's log in one practice.
#[derive(Debug)]
pub struct AuditLog {
    folder: PathBuf,
    laptop: String,
    /// The month, the hash of the last line written and the file's length
    /// then, once known: a file of another length was appended to by another
    /// copy of the app, and its tail is read again.
    last: Mutex<Option<(String, String, u64)>>,
}

fn hash_of(line: &str) -> String {
    super::format::hex(&Sha256::digest(line.as_bytes()))
}

fn one_line(value: &impl Serialize) -> Result<String, std::io::Error> {
    ron::ser::to_string(value).map_err(std::io::Error::other)
}

impl AuditLog {
    /// The log of `laptop` in the practice at `root`.
    pub fn of(root: &Path, laptop: &str) -> AuditLog {
        let safe: String = laptop
            .chars()
            .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
            .collect();
        let safe = if safe.is_empty() { "laptop".to_owned() } else { safe };
        AuditLog {
            folder: root.join(AUDIT_FOLDER).join(safe),
            laptop: laptop.to_owned(),
            last: Mutex::new(None),
        }
    }

    /// The file of `month` ("2026-12").
    pub fn file_of(&self, month: &str) -> PathBuf {
        self.folder.join(format!("{month}.log"))
    }

    /// Appends `change`, chained to the line before it (a new month starts a new file).
    pub fn append(&self, change: &Change) -> std::io::Result<()> {
        let month = change.at.strftime("%Y-%m").to_string();
        let path = self.file_of(&month);
        let mut last = self.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if std::fs::symlink_metadata(&path).is_err() {
            self.start_month(&path, &month)?;
        }
        let file = std::fs::OpenOptions::new().append(true).open(&path)?;
        // Two copies of the app on one laptop take turns, each chaining to what is there.
        let _turn = super::atomic::Turn::of_file(&file);
        let length = file.metadata()?.len();
        let known = last
            .as_ref()
            .filter(|(known, _, known_length)| *known == month && *known_length == length)
            .map(|(_, hash, _)| hash.clone());
        let previous = match known {
            Some(hash) => hash,
            None => {
                let (hash, ends_a_line) = last_line_of(&path)?;
                // A line a crash cut short stays as it is (check says so); the next entry starts a line of its own.
                if !ends_a_line {
                    (&file).write_all(b"\n")?;
                }
                hash
            }
        };
        let entry = AuditEntry {
            at: change.at,
            who: change.who.clone(),
            record: change.record.clone(),
            what: change.what.clone(),
            previous,
        };
        let line = one_line(&entry)?;
        (&file).write_all(format!("{line}\n").as_bytes())?;
        file.sync_data()?;
        let length = file.metadata()?.len();
        *last = Some((month, hash_of(&line), length));
        Ok(())
    }

    /// Writes the first line of a new month's file.
    fn start_month(&self, path: &Path, month: &str) -> std::io::Result<()> {
        create_private_folder(&self.folder)?;
        let header =
            AuditHeader { format: AUDIT_FORMAT, laptop: self.laptop.clone(), month: month.to_owned() };
        let line = one_line(&header)?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => file.write_all(format!("{line}\n").as_bytes()),
            // Another copy of the app began the month first.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(error) => Err(error),
        }
    }
}

/// The hash of the last line of the log at `path`, and whether the file ends
/// with a whole line.
fn last_line_of(path: &Path) -> std::io::Result<(String, bool)> {
    let file =
        super::format::open_regular_file(path).map_err(|problem| std::io::Error::other(problem.message))?;
    let mut reader = std::io::BufReader::new(file);
    let mut line = Vec::new();
    let mut last = Vec::new();
    let mut ends_a_line = true;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        ends_a_line = line.ends_with(b"\n");
        last = line.strip_suffix(b"\n").unwrap_or(&line).to_vec();
    }
    Ok((hash_of(&String::from_utf8_lossy(&last)), ends_a_line))
}

/// The entries of one log file, checked: every line read strictly, every
/// entry chained to the line before. A problem names the file and the line.
pub fn read_log(path: &Path) -> Result<Vec<AuditEntry>, Problem> {
    parse_log(path, &log_bytes(path)?)
}

/// The bytes of the audit log at `path`. A busy month's log can outgrow the
/// limit of a session file; it is read whole all the same, up to a bound.
pub fn log_bytes(path: &Path) -> Result<Vec<u8>, Problem> {
    let file = super::format::open_regular_file(path)?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_LOG_BYTES), &mut bytes)
        .map_err(|error| Problem::new(path, format!("this audit log cannot be read: {error}")))?;
    Ok(bytes)
}

/// [`read_log`] of bytes already read from `path`.
pub fn parse_log(path: &Path, bytes: &[u8]) -> Result<Vec<AuditEntry>, Problem> {
    let text = std::str::from_utf8(bytes).map_err(|_| Problem::new(path, "this audit log is not text"))?;
    let mut lines = text.lines();
    let at_line = |number: usize, message: String| {
        Problem::new(path, message).at(super::problem::TextPosition { line: number, column: 1 })
    };
    let Some(first) = lines.next() else { return Ok(Vec::new()) };
    let header: AuditHeader = ron::from_str(first)
        .map_err(|error| at_line(1, format!("the first line is not an audit log's header: {error}")))?;
    if header.format > AUDIT_FORMAT {
        return Err(at_line(
            1,
            format!("this audit log is from a newer version of Knotmap (format {})", header.format),
        ));
    }
    let mut previous = hash_of(first);
    let mut entries = Vec::new();
    for (index, line) in lines.enumerate() {
        let number = index + 2;
        let entry: AuditEntry = ron::from_str(line)
            .map_err(|error| at_line(number, format!("this entry cannot be read: {error}")))?;
        if entry.previous != previous {
            return Err(at_line(
                number,
                "this entry does not follow the one before it: an earlier entry of the audit log was changed or \
                 removed"
                    .to_owned(),
            ));
        }
        previous = hash_of(line);
        entries.push(entry);
    }
    Ok(entries)
}

/// Every audit log file of the practice at `root`, in name order.
pub fn log_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(laptops) = std::fs::read_dir(root.join(AUDIT_FOLDER)) else { return files };
    for laptop in laptops.flatten() {
        let Ok(months) = std::fs::read_dir(laptop.path()) else { continue };
        files.extend(
            months
                .flatten()
                .map(|month| month.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "log")),
        );
    }
    files.sort();
    files
}

/// Every change to `record` in the practice at `root`, from every laptop's
/// log, oldest first; a log that cannot be read is left out.
pub fn history_of(root: &Path, record: &AuditRecord) -> Vec<(String, AuditEntry)> {
    let mut found = Vec::new();
    for path in log_files(root) {
        let laptop = path
            .parent()
            .and_then(Path::file_name)
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(entries) = read_log(&path) else { continue };
        found.extend(
            entries.into_iter().filter(|entry| entry.record == *record).map(|entry| (laptop.clone(), entry)),
        );
    }
    found.sort_by_key(|(_, entry)| entry.at);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(minute: i8, what: &str) -> Change {
        let client = ClientId::new("ana-lima-k3f9q").unwrap_or_else(|error| panic!("{error}"));
        Change {
            at: jiff::civil::date(2026, 12, 7).at(9, minute, 0, 0),
            who: "Mira Santos".to_owned(),
            record: AuditRecord::Profile(client),
            what: vec![what.to_owned()],
        }
    }

    #[test]
    fn two_copies_of_the_app_on_one_laptop_chain_to_each_others_entries() {
        let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let one = AuditLog::of(folder.path(), "front-desk");
        let two = AuditLog::of(folder.path(), "front-desk");
        for (index, minute) in (10..16).enumerate() {
            let log = if index % 2 == 0 { &one } else { &two };
            log.append(&change(minute, "notes changed")).unwrap_or_else(|error| panic!("{error}"));
        }
        let entries = read_log(&one.file_of("2026-12")).unwrap_or_else(|problem| panic!("{problem}"));
        assert_eq!(entries.len(), 6, "one unbroken chain");
    }

    #[test]
    fn a_line_a_crash_cut_short_is_said_and_the_next_entry_starts_a_line_of_its_own() {
        let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let log = AuditLog::of(folder.path(), "front-desk");
        log.append(&change(10, "notes changed")).unwrap_or_else(|error| panic!("{error}"));
        let path = log.file_of("2026-12");
        let mut file =
            std::fs::OpenOptions::new().append(true).open(&path).unwrap_or_else(|error| panic!("{error}"));
        file.write_all(b"(at:\"2026-12-07T09:11:00\",who:\"Mi").unwrap_or_else(|error| panic!("{error}"));
        drop(file);
        let again = AuditLog::of(folder.path(), "front-desk");
        again.append(&change(12, "contact changed")).unwrap_or_else(|error| panic!("{error}"));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(text.lines().count(), 4, "header, entry, the cut line, the next entry: {text}");
        let problem = read_log(&path).err().unwrap_or_else(|| panic!("the cut line is said"));
        assert_eq!(problem.position.map(|position| position.line), Some(3), "{problem}");
    }
}
