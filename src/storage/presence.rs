//! Presence: a small file saying that a session is open for editing on a
//! laptop, so that the other laptops of the practice open it read-only.
//!
//! ```text
//! clients/<client-id>/sessions/.<session-id>.editing-<laptop>.ron
//! ```
//!
//! Each laptop writes only its own file (its name is in the file's name), so a
//! sync tool never sees two laptops change one presence file and never makes a
//! conflict copy of one; the name starts with a dot, so `knotmap check` and the
//! practice's listing pass over it. The file is rewritten every
//! [`HEARTBEAT_EVERY`] while the session is open, and removed when it closes; a
//! mark whose heartbeat is older than [`STALE_AFTER`] is left by a laptop that
//! crashed or went to sleep, and says so.
//!
//! Of several laptops' marks for one session, the one that began last holds it:
//! taking over writes a mark that begins now.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::atomic::write_atomically;
use super::format::{KeptFile, read_file};

/// What a presence file's name carries between the session's ID and the laptop's name.
pub const PRESENCE_MARK: &str = ".editing-";

/// How often an open session's presence is written again.
pub const HEARTBEAT_EVERY: Duration = Duration::from_secs(60);

/// How old a heartbeat may be before the mark counts as left behind.
pub const STALE_AFTER: Duration = Duration::from_secs(5 * 60);

/// Who has a session open for editing, where, and since when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    /// The person, as the laptop knows them (their account's full name).
    pub who: String,
    /// The laptop's name on the network.
    pub laptop: String,
    pub since: Timestamp,
    /// When the laptop last said it still has the session open.
    pub heartbeat: Timestamp,
}

super::format::envelope!(Presence, presence, "presence mark", |_| Ok(()));

impl Presence {
    /// A mark for this laptop and its user, beginning at `now`.
    pub fn here(now: Timestamp) -> Presence {
        Presence { who: user_name(), laptop: laptop_name(), since: now, heartbeat: now }
    }

    /// Whether the laptop has not been heard from for [`STALE_AFTER`].
    pub fn is_stale(&self, now: Timestamp) -> bool {
        now.as_second() - self.heartbeat.as_second() > STALE_AFTER.as_secs() as i64
    }

    /// "being edited by Alex on laptop-2 since 10:02", or, for a stale mark, what
    /// is known and that the laptop has gone quiet.
    pub fn in_words(&self, now: Timestamp) -> String {
        let since = local_time(self.since);
        if self.is_stale(now) {
            format!(
                "marked as being edited by {} on {} since {since}, but that laptop has not been heard from \
                 since {} (it may have crashed or gone to sleep)",
                self.who,
                self.laptop,
                local_time(self.heartbeat)
            )
        } else {
            format!("being edited by {} on {} since {since}", self.who, self.laptop)
        }
    }
}

/// A time as the clock on the wall here shows it: "10:02", or "29 Nov 10:02" on another day.
fn local_time(at: Timestamp) -> String {
    let zone = jiff::tz::TimeZone::system();
    let then = at.to_zoned(zone.clone());
    let today = Timestamp::now().to_zoned(zone).date();
    if then.date() == today {
        then.strftime("%H:%M").to_string()
    } else {
        then.strftime("%-d %b %H:%M").to_string()
    }
}

/// The presence file of `laptop` for the session file at `session_path`.
pub fn presence_path(session_path: &Path, laptop: &str) -> PathBuf {
    let stem = session_path.file_stem().and_then(|stem| stem.to_str()).unwrap_or("session");
    session_path.with_file_name(format!(".{stem}{PRESENCE_MARK}{laptop}.ron"))
}

/// The marks other laptops left for the session file at `session_path`, the one
/// holding it (begun last) first. Unreadable marks are passed over: a mark is a
/// courtesy, never data.
pub fn others_editing(session_path: &Path, own_laptop: &str) -> Vec<Presence> {
    let own = presence_path(session_path, own_laptop);
    let stem = session_path.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default();
    let prefix = format!(".{stem}{PRESENCE_MARK}");
    let Some(folder) = session_path.parent() else { return Vec::new() };
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut marks: Vec<Presence> = entries
        .flatten()
        .filter(|entry| entry.file_name().to_str().is_some_and(|name| name.starts_with(&prefix)))
        .map(|entry| entry.path())
        .filter(|path| *path != own)
        .filter_map(|path| read_file::<Presence>(&path).ok().map(|read| read.value))
        .collect();
    marks.sort_by_key(|mark| std::cmp::Reverse(mark.since));
    marks
}

/// This laptop's mark on an open session: written when made, rewritten every
/// [`HEARTBEAT_EVERY`] by a thread of its own (so the window draws nothing for
/// it), removed when dropped.
#[derive(Debug)]
pub struct PresenceMark {
    path: PathBuf,
    presence: Presence,
    stop: Arc<AtomicBool>,
    heartbeat: Option<std::thread::JoinHandle<()>>,
}

impl PresenceMark {
    /// Marks the session file at `session_path` as open for editing here.
    pub fn place(session_path: &Path, presence: Presence) -> std::io::Result<PresenceMark> {
        let path = presence_path(session_path, &presence.laptop);
        write_presence(&path, &presence)?;
        let stop = Arc::new(AtomicBool::new(false));
        let heartbeat = {
            let (path, presence, stop) = (path.clone(), presence.clone(), Arc::clone(&stop));
            std::thread::Builder::new().name("knotmap presence".into()).spawn(move || {
                let mut presence = presence;
                loop {
                    std::thread::park_timeout(HEARTBEAT_EVERY);
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    presence.heartbeat = Timestamp::now();
                    // A failed heartbeat (a share gone for a moment) only ages the mark.
                    let _ = write_presence(&path, &presence);
                }
            })?
        };
        Ok(PresenceMark { path, presence, stop, heartbeat: Some(heartbeat) })
    }

    pub fn presence(&self) -> &Presence {
        &self.presence
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PresenceMark {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(heartbeat) = self.heartbeat.take() {
            heartbeat.thread().unpark();
            let _ = heartbeat.join();
        }
        // Only this laptop's own mark: it says nothing once the session is closed here.
        let _ = std::fs::remove_file(&self.path);
    }
}

fn write_presence(path: &Path, presence: &Presence) -> std::io::Result<()> {
    let text = presence.to_ron().map_err(std::io::Error::other)?;
    write_atomically(path, text.as_bytes())
}

/// This laptop's name, as the other laptops will read it; only letters, digits,
/// `-` and `_`, so that it can be part of a file name.
pub fn laptop_name() -> String {
    let mut buffer = [0u8; 256];
    // SAFETY: the buffer is valid for its whole length, which is what gethostname is told.
    let result = unsafe { libc::gethostname(buffer.as_mut_ptr().cast(), buffer.len()) };
    let raw = if result == 0 {
        let end = buffer.iter().position(|&byte| byte == 0).unwrap_or(buffer.len());
        String::from_utf8_lossy(&buffer[..end]).into_owned()
    } else {
        String::new()
    };
    let name: String = raw
        .split('.')
        .next()
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(64)
        .collect();
    if name.is_empty() { "this-laptop".to_owned() } else { name }
}

/// The user's name: their account's full name where the system has one, else the login name.
pub fn user_name() -> String {
    let login = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default();
    let full = std::fs::read_to_string("/etc/passwd").ok().and_then(|passwd| {
        passwd.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.first() == Some(&login.as_str())).then(|| {
                fields.get(4).and_then(|gecos| gecos.split(',').next()).unwrap_or_default().trim().to_owned()
            })
        })
    });
    match full {
        Some(full) if !full.is_empty() => full,
        _ if !login.is_empty() => login,
        _ => "someone".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_mark_says_who_where_and_since_when_and_goes_stale_after_five_quiet_minutes() {
        let mark = Presence {
            who: "Alex Moreau".into(),
            laptop: "laptop-2".into(),
            since: at("2026-11-30T10:02:00Z"),
            heartbeat: at("2026-11-30T10:05:00Z"),
        };
        assert!(!mark.is_stale(at("2026-11-30T10:09:00Z")));
        assert!(
            mark.in_words(at("2026-11-30T10:09:00Z"))
                .starts_with("being edited by Alex Moreau on laptop-2 since")
        );
        assert!(mark.is_stale(at("2026-11-30T10:11:00Z")));
        assert!(mark.in_words(at("2026-11-30T10:11:00Z")).contains("has not been heard from since"));
    }

    #[test]
    fn a_mark_is_written_beside_the_session_read_by_the_others_and_removed_when_dropped() {
        let folder = tempfile::tempdir().unwrap();
        let session = folder.path().join("2026-11-23-0900-abcde.ron");
        std::fs::write(&session, "").unwrap();
        let now = Timestamp::now();
        let mine = Presence { laptop: "front-desk".into(), ..Presence::here(now) };
        let mark = PresenceMark::place(&session, mine.clone()).unwrap();
        assert_eq!(mark.path(), folder.path().join(".2026-11-23-0900-abcde.editing-front-desk.ron"));
        assert_eq!(others_editing(&session, "room-2"), vec![mine]);
        assert!(others_editing(&session, "front-desk").is_empty(), "a laptop's own mark is not another's");
        drop(mark);
        assert!(others_editing(&session, "room-2").is_empty());
    }

    #[test]
    fn a_laptops_name_is_fit_for_a_file_name() {
        let name = laptop_name();
        assert!(!name.is_empty());
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{name}");
    }
}
