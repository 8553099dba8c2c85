//! What `knotmap check` found last time, per client and per audit log, so that
//! a second check of a practice whose files did not change reads none of them
//! again. It lives in the user's cache folder (`$XDG_CACHE_HOME/knotmap/`),
//! never in the practice, so that a sync tool never sees it.
//!
//! It is an optimisation only. An entry is used only while every file it was
//! made from is as it was: the same size, modification time and inode, and,
//! where the time cannot be trusted to have changed with the content (a time
//! rounded to the second, as some sync tools and file systems keep it, or one
//! too close to when the entry was written), the same content, read and
//! compared. A cache that is missing, unreadable, damaged, or made by another
//! build of Knotmap or under other rules is ignored and written anew.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::format::Fingerprint;
use super::problem::{Problem, TextPosition};

/// The first line of a cache file, with the layout's version.
const HEADER: &str = "knotmap check cache 1";
/// A file modified this close to (or after) the writing of the entry might have
/// changed again within the time's resolution: its content is compared.
const RACY: Duration = Duration::from_secs(2);

/// What a file was when an entry was made from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    pub size: u64,
    /// Nanoseconds since 1970.
    pub modified: i128,
    pub inode: u64,
    pub fingerprint: u64,
}

/// What one client's check found, and the files it was made from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedClient {
    /// The profile first, then every session file, by their paths in the practice.
    pub files: Vec<(PathBuf, FileStamp)>,
    pub problems: Vec<Problem>,
    /// Safety warnings nobody explained: (session file, message).
    pub warnings: Vec<(PathBuf, String)>,
}

/// What reading one audit log found: nothing, or its problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedLog {
    pub stamp: FileStamp,
    pub problem: Option<Problem>,
}

/// The cache of one practice, as read at the start of a check, and what the
/// check adds to it.
#[derive(Debug, Default)]
pub struct CheckCache {
    /// Where it is kept; `None` when the check reads everything (`--no-cache`).
    file: Option<PathBuf>,
    /// The build of Knotmap and the rules the entries were made under.
    key: u64,
    /// When the entries read were written.
    written: Option<SystemTime>,
    pub clients: HashMap<String, CachedClient>,
    pub logs: HashMap<PathBuf, CachedLog>,
}

/// The folder for Knotmap's caches on this machine.
pub fn default_folder() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "Knotmap").map(|dirs| dirs.cache_dir().to_owned())
}

impl CheckCache {
    /// No cache: every file is read.
    pub fn none() -> CheckCache {
        CheckCache::default()
    }

    /// The cache of the practice at `root` in `folder`, for checks under `key`;
    /// empty (to be filled) if there is none that can be trusted.
    pub fn load(folder: &Path, root: &Path, key: u64) -> CheckCache {
        let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
        let file = folder.join(format!(
            "check-{:016x}.txt",
            Fingerprint::of(canonical.as_os_str().as_encoded_bytes()).hash()
        ));
        let mut cache = CheckCache { file: Some(file.clone()), key, ..CheckCache::default() };
        let Ok(text) = std::fs::read_to_string(&file) else { return cache };
        if let Some((written, clients, logs)) = parse(&text, key) {
            cache.written = Some(written);
            cache.clients = clients;
            cache.logs = logs;
        }
        cache
    }

    /// Whether the file at `path` is as `stamp` says, judged by what its
    /// metadata says now (`now`, from one `stat`) and, when in doubt, by its
    /// content (`content` gives its fingerprint when asked).
    pub fn unchanged(
        &self,
        stamp: &FileStamp,
        now: &FileStamp,
        content: impl FnOnce() -> Option<u64>,
    ) -> bool {
        if stamp.size != now.size || stamp.modified != now.modified || stamp.inode != now.inode {
            return false;
        }
        let Some(written) = self.written else { return false };
        let written = nanoseconds(written);
        let rounded = now.modified % 1_000_000_000 == 0;
        let racy = now.modified + RACY.as_nanos() as i128 >= written;
        if rounded || racy { content() == Some(stamp.fingerprint) } else { true }
    }

    /// Writes the cache with `clients` and `logs`, replacing what was there.
    /// A cache that cannot be written is no loss: the next check reads everything.
    pub fn save(&self, clients: &HashMap<String, CachedClient>, logs: &HashMap<PathBuf, CachedLog>) {
        let Some(file) = &self.file else { return };
        let Some(folder) = file.parent() else { return };
        if std::fs::create_dir_all(folder).is_err() {
            return;
        }
        let mut text = String::with_capacity(clients.len() * 2048);
        write_cache(&mut text, self.key, SystemTime::now(), clients, logs);
        let _ignored = write_file(file, text.as_bytes());
    }
}

fn write_file(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // Beside it first, then over it: a check stopped half-way leaves the old cache whole.
    let partial = file.with_extension(format!("partial-{}", std::process::id()));
    let mut out = std::fs::File::create(&partial)?;
    out.write_all(bytes)?;
    drop(out);
    std::fs::rename(&partial, file)
}

/// The stamp of the file at `path` from its metadata, and the fingerprint of
/// `bytes` (its content as read just after).
pub fn stamp(metadata: &std::fs::Metadata, fingerprint: u64) -> FileStamp {
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(metadata);
    #[cfg(not(unix))]
    let inode = 0;
    let modified = metadata.modified().map(nanoseconds).unwrap_or_default();
    FileStamp { size: metadata.len(), modified, inode, fingerprint }
}

fn nanoseconds(time: SystemTime) -> i128 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_nanos() as i128,
        Err(before) => -(before.duration().as_nanos() as i128),
    }
}

// The layout: one record a line, its fields split by tabs, each field with its
// backslashes, tabs and line breaks escaped.
//
//   knotmap check cache 1
//   key  <hex>
//   written  <nanoseconds>
//   client  <id>
//   file  <path>  <size>  <modified>  <inode>  <fingerprint hex>
//   problem  <path>  <line or ->  <column or ->  <message>
//   warning  <path>  <message>
//   log  <path>  <size>  <modified>  <inode>  <fingerprint hex>
//   logproblem  <path>  <line or ->  <column or ->  <message>
//   end

fn write_cache(
    text: &mut String,
    key: u64,
    written: SystemTime,
    clients: &HashMap<String, CachedClient>,
    logs: &HashMap<PathBuf, CachedLog>,
) {
    use std::fmt::Write as _;
    let _ = writeln!(text, "{HEADER}\nkey\t{key:016x}\nwritten\t{}", nanoseconds(written));
    let mut ids: Vec<&String> = clients.keys().collect();
    ids.sort();
    for id in ids {
        let Some(client) = clients.get(id) else { continue };
        let _ = writeln!(text, "client\t{}", escape(id));
        for (path, stamp) in &client.files {
            write_stamp(text, "file", path, stamp);
        }
        for problem in &client.problems {
            write_problem(text, "problem", problem);
        }
        for (path, message) in &client.warnings {
            let _ = writeln!(text, "warning\t{}\t{}", escape(&path.to_string_lossy()), escape(message));
        }
    }
    let mut paths: Vec<&PathBuf> = logs.keys().collect();
    paths.sort();
    for path in paths {
        let Some(log) = logs.get(path) else { continue };
        write_stamp(text, "log", path, &log.stamp);
        if let Some(problem) = &log.problem {
            write_problem(text, "logproblem", problem);
        }
    }
    // Without it, a cache cut short (a full disk, a crash) would lose the end of an entry unseen.
    text.push_str("end\n");
}

fn write_stamp(text: &mut String, kind: &str, path: &Path, stamp: &FileStamp) {
    use std::fmt::Write as _;
    let _ = writeln!(
        text,
        "{kind}\t{}\t{}\t{}\t{}\t{:016x}",
        escape(&path.to_string_lossy()),
        stamp.size,
        stamp.modified,
        stamp.inode,
        stamp.fingerprint
    );
}

fn write_problem(text: &mut String, kind: &str, problem: &Problem) {
    use std::fmt::Write as _;
    let (line, column) = match problem.position {
        Some(position) => (position.line.to_string(), position.column.to_string()),
        None => ("-".to_owned(), "-".to_owned()),
    };
    let _ = writeln!(
        text,
        "{kind}\t{}\t{line}\t{column}\t{}",
        escape(&problem.path.to_string_lossy()),
        escape(&problem.message)
    );
}

type Parsed = (SystemTime, HashMap<String, CachedClient>, HashMap<PathBuf, CachedLog>);

/// The cache's entries, or `None` if the text is not a whole cache made under `key`.
fn parse(text: &str, key: u64) -> Option<Parsed> {
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let read_key = lines.next()?.strip_prefix("key\t")?;
    if u64::from_str_radix(read_key, 16).ok()? != key {
        return None;
    }
    let written: i128 = lines.next()?.strip_prefix("written\t")?.parse().ok()?;
    let written = UNIX_EPOCH + Duration::from_nanos(u64::try_from(written).ok()?);
    let mut clients: HashMap<String, CachedClient> = HashMap::new();
    let mut logs: HashMap<PathBuf, CachedLog> = HashMap::new();
    let mut client: Option<(String, CachedClient)> = None;
    let mut last_log: Option<PathBuf> = None;
    let mut ended = false;
    for line in lines {
        if ended {
            return None;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["end"] => ended = true,
            ["client", id] => {
                if let Some((id, entry)) = client.take() {
                    clients.insert(id, entry);
                }
                let empty = CachedClient { files: Vec::new(), problems: Vec::new(), warnings: Vec::new() };
                client = Some((unescape(id)?, empty));
            }
            ["file", path, size, modified, inode, fingerprint] => {
                let stamp = parse_stamp(size, modified, inode, fingerprint)?;
                client.as_mut()?.1.files.push((PathBuf::from(unescape(path)?), stamp));
            }
            ["problem", path, line, column, message] => {
                client.as_mut()?.1.problems.push(parse_problem(path, line, column, message)?);
            }
            ["warning", path, message] => {
                client.as_mut()?.1.warnings.push((PathBuf::from(unescape(path)?), unescape(message)?));
            }
            ["log", path, size, modified, inode, fingerprint] => {
                let path = PathBuf::from(unescape(path)?);
                let stamp = parse_stamp(size, modified, inode, fingerprint)?;
                logs.insert(path.clone(), CachedLog { stamp, problem: None });
                last_log = Some(path);
            }
            ["logproblem", path, line, column, message] => {
                let problem = parse_problem(path, line, column, message)?;
                logs.get_mut(last_log.as_ref()?)?.problem = Some(problem);
            }
            _ => return None,
        }
    }
    if !ended {
        return None;
    }
    if let Some((id, entry)) = client.take() {
        clients.insert(id, entry);
    }
    Some((written, clients, logs))
}

fn parse_stamp(size: &str, modified: &str, inode: &str, fingerprint: &str) -> Option<FileStamp> {
    Some(FileStamp {
        size: size.parse().ok()?,
        modified: modified.parse().ok()?,
        inode: inode.parse().ok()?,
        fingerprint: u64::from_str_radix(fingerprint, 16).ok()?,
    })
}

fn parse_problem(path: &str, line: &str, column: &str, message: &str) -> Option<Problem> {
    let position = match (line, column) {
        ("-", "-") => None,
        (line, column) => Some(TextPosition { line: line.parse().ok()?, column: column.parse().ok()? }),
    };
    Some(Problem { path: PathBuf::from(unescape(path)?), position, message: unescape(message)? })
}

fn escape(text: &str) -> String {
    if !text.contains(['\\', '\t', '\n', '\r']) {
        return text.to_owned();
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            '\\' => escaped.push_str("\\\\"),
            '\t' => escaped.push_str("\\t"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            other => escaped.push(other),
        }
    }
    escaped
}

fn unescape(text: &str) -> Option<String> {
    if !text.contains('\\') {
        return Some(text.to_owned());
    }
    let mut plain = String::with_capacity(text.len());
    let mut characters = text.chars();
    while let Some(character) = characters.next() {
        if character != '\\' {
            plain.push(character);
            continue;
        }
        plain.push(match characters.next()? {
            '\\' => '\\',
            't' => '\t',
            'n' => '\n',
            'r' => '\r',
            _ => return None,
        });
    }
    Some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp_of(size: u64, modified: i128) -> FileStamp {
        FileStamp { size, modified, inode: 7, fingerprint: 0xabcdef }
    }

    #[test]
    fn a_cache_written_is_read_back_whole_with_awkward_paths_and_messages() {
        let folder = tempfile::tempdir().expect("temp dir");
        let root = folder.path().join("practice");
        std::fs::create_dir_all(&root).expect("practice");
        let mut clients = HashMap::new();
        clients.insert(
            "ana\tlima".to_owned(),
            CachedClient {
                files: vec![(PathBuf::from("clients/ana/client.ron"), stamp_of(10, 1_700_000_000_123))],
                problems: vec![
                    Problem::new("clients/ana/sessions/a.ron", "line one\nline two \\ with a\ttab")
                        .at(TextPosition { line: 3, column: 9 }),
                    Problem::new("clients/ana/sessions/b.ron", "no position"),
                ],
                warnings: vec![(
                    PathBuf::from("clients/ana/sessions/c.ron"),
                    "firm work on a flag".to_owned(),
                )],
            },
        );
        let mut logs = HashMap::new();
        logs.insert(
            PathBuf::from("audit/here/2026-11.log"),
            CachedLog {
                stamp: stamp_of(99, 5),
                problem: Some(Problem::new("audit/here/2026-11.log", "broken")),
            },
        );
        let cache = CheckCache::load(folder.path(), &root, 42);
        cache.save(&clients, &logs);
        let again = CheckCache::load(folder.path(), &root, 42);
        assert_eq!(again.clients, clients);
        assert_eq!(again.logs, logs);
        // Another build or other rules: nothing is trusted.
        assert!(CheckCache::load(folder.path(), &root, 43).clients.is_empty());
    }

    #[test]
    fn a_damaged_cache_is_ignored() {
        let folder = tempfile::tempdir().expect("temp dir");
        let root = folder.path().join("practice");
        let cache = CheckCache::load(folder.path(), &root, 1);
        let mut clients = HashMap::new();
        clients.insert(
            "ana".to_owned(),
            CachedClient {
                files: vec![(PathBuf::from("a"), stamp_of(1, 1))],
                problems: vec![],
                warnings: vec![],
            },
        );
        cache.save(&clients, &HashMap::new());
        let file = cache.file.clone().expect("a file");
        let text = std::fs::read_to_string(&file).expect("written");
        std::fs::write(&file, text.replace("file\ta\t1", "file\ta\tone")).expect("damaged");
        assert!(CheckCache::load(folder.path(), &root, 1).clients.is_empty());
        std::fs::write(&file, text.trim_end().trim_end_matches("end")).expect("cut short");
        assert!(CheckCache::load(folder.path(), &root, 1).clients.is_empty());
    }

    #[test]
    fn a_file_is_trusted_by_its_metadata_only_when_its_time_says_enough() {
        let written = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let cache = CheckCache { written: Some(written), ..CheckCache::default() };
        let old = 1_700_000_000_123_456_789;
        let stamp = stamp_of(10, old);
        // Same metadata, a time with nanoseconds, long before the cache: trusted unread.
        assert!(cache.unchanged(&stamp, &stamp, || panic!("not read")));
        // Any difference in size, time or inode: changed.
        assert!(!cache.unchanged(&stamp, &stamp_of(11, old), || None));
        assert!(!cache.unchanged(&stamp, &stamp_of(10, old + 1), || None));
        // A time rounded to the second: the content decides.
        let rounded = stamp_of(10, 1_700_000_000_000_000_000);
        assert!(cache.unchanged(&rounded, &rounded, || Some(0xabcdef)));
        assert!(!cache.unchanged(&rounded, &rounded, || Some(0x123)));
        // A time as late as the cache's writing: the content decides.
        let late = stamp_of(10, nanoseconds(written) - 1);
        assert!(!cache.unchanged(&late, &late, || Some(0x123)));
        // A cache never written trusts nothing.
        assert!(!CheckCache::none().unchanged(&stamp, &stamp, || Some(0xabcdef)));
    }
}
