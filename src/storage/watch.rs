//! Watching the practice folder for changes made elsewhere: another laptop's
//! save carried in by a sync tool, or written straight onto a network share.
//!
//! On a local disk the kernel says what changed (inotify on Linux), and a sync
//! tool's rename of a finished download into place is one of those changes. On
//! a network share the kernel hears nothing of other machines' writes, so the
//! folder is polled instead: every [`DEFAULT_POLL`] unless the user chose
//! another interval. Either way the events are gathered for a short while
//! ([`SETTLE`]) so that a save's several steps arrive as one change, and the
//! watcher only wakes the window when something that is not this laptop's own
//! temporary file or presence mark changed. With nothing changing it wakes
//! nobody: no frames are drawn.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt};

use super::presence::PRESENCE_MARK;

/// How long the events of one change are gathered before it is reported.
pub const SETTLE: Duration = Duration::from_millis(300);

/// How often a network share is looked at, unless the user chose otherwise.
pub const DEFAULT_POLL: Duration = Duration::from_secs(10);

/// How to notice changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum WatchChoice {
    /// Be told by the system; poll on a network share, where it cannot tell.
    #[default]
    Automatic,
    /// Look every so many seconds, whatever the folder is on.
    Poll { seconds: u32 },
}

/// How the folder is being watched, in the user's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Watching {
    Events,
    Polling { every: Duration, why: String },
}

impl Watching {
    pub fn in_words(&self) -> String {
        match self {
            Watching::Events => "changes from other laptops show up as they arrive".to_owned(),
            Watching::Polling { every, why } => {
                format!(
                    "the folder is looked at every {} s for changes from other laptops ({why})",
                    every.as_secs()
                )
            }
        }
    }
}

/// What changed since the last look.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub paths: BTreeSet<PathBuf>,
    /// The system lost track (too many events at once): everything must be looked at again.
    pub everything: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.everything
    }
}

/// Held only to keep watching: dropping it stops the watch.
#[expect(dead_code, reason = "never read; its drop stops the watch")]
enum AnyDebouncer {
    Events(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<notify::PollWatcher, NoCache>),
}

/// A running watch on one practice folder. Dropping it stops watching.
pub struct PracticeWatcher {
    _debouncer: AnyDebouncer,
    changes: Arc<Mutex<Changes>>,
    watching: Watching,
}

impl std::fmt::Debug for PracticeWatcher {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("PracticeWatcher").field("watching", &self.watching).finish()
    }
}

/// Why the practice folder cannot be watched at all, not even by looking at it
/// now and then.
#[derive(Debug, thiserror::Error)]
#[error("cannot watch {folder}: {source}")]
pub struct WatchError {
    pub folder: std::path::PathBuf,
    pub source: notify::Error,
}

impl PracticeWatcher {
    /// Starts watching `root`. `wake` is called (from another thread) when
    /// something changed; `own_laptop` names this laptop's presence marks, which
    /// are passed over.
    pub fn start(
        root: &Path,
        choice: WatchChoice,
        own_laptop: &str,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> Result<PracticeWatcher, WatchError> {
        let changes = Arc::new(Mutex::new(Changes::default()));
        let wake = Arc::new(wake);
        let handler = {
            let changes = Arc::clone(&changes);
            let wake = Arc::clone(&wake);
            let own_mark = format!("{PRESENCE_MARK}{own_laptop}.ron");
            move |result: DebounceEventResult| {
                let mut woke = false;
                {
                    let mut changes = changes.lock().unwrap_or_else(PoisonError::into_inner);
                    match result {
                        Ok(events) => {
                            for event in events {
                                // Opening and reading a file (this laptop's own reading
                                // included) changes nothing; taking it as a change would
                                // read again, and be told of that reading, for ever.
                                if matches!(event.kind, notify::EventKind::Access(_)) {
                                    continue;
                                }
                                if event.need_rescan() {
                                    changes.everything = true;
                                    woke = true;
                                }
                                for path in &event.paths {
                                    if worth_a_look(path, &own_mark) {
                                        changes.paths.insert(path.clone());
                                        woke = true;
                                    }
                                }
                            }
                        }
                        // The watch itself went wrong (a folder unmounted): look at everything again.
                        Err(_) => {
                            changes.everything = true;
                            woke = true;
                        }
                    }
                }
                if woke {
                    wake();
                }
            }
        };
        let poll = match choice {
            WatchChoice::Poll { seconds } => {
                Some((Duration::from_secs(u64::from(seconds.max(1))), "chosen in the settings".to_owned()))
            }
            WatchChoice::Automatic => {
                network_share(root).map(|kind| (DEFAULT_POLL, format!("it is on a {kind}")))
            }
        };
        let (debouncer, watching) = match poll {
            None => match Self::events(root, handler.clone()) {
                Ok(debouncer) => (debouncer, Watching::Events),
                // Too many folders for the system's watches, or no watching at all: look instead.
                Err(error) => (
                    Self::polling(root, DEFAULT_POLL, handler)?,
                    Watching::Polling {
                        every: DEFAULT_POLL,
                        why: format!("the system cannot watch it: {error}"),
                    },
                ),
            },
            Some((every, why)) => (Self::polling(root, every, handler)?, Watching::Polling { every, why }),
        };
        Ok(PracticeWatcher { _debouncer: debouncer, changes, watching })
    }

    fn events(
        root: &Path,
        handler: impl Fn(DebounceEventResult) + Send + 'static,
    ) -> Result<AnyDebouncer, notify::Error> {
        let mut debouncer = new_debouncer_opt::<_, notify::RecommendedWatcher, RecommendedCache>(
            SETTLE,
            None,
            handler,
            RecommendedCache::new(),
            notify::Config::default(),
        )?;
        debouncer.watch(root, RecursiveMode::Recursive)?;
        Ok(AnyDebouncer::Events(debouncer))
    }

    fn polling(
        root: &Path,
        every: Duration,
        handler: impl Fn(DebounceEventResult) + Send + 'static,
    ) -> Result<AnyDebouncer, WatchError> {
        let config = notify::Config::default().with_poll_interval(every);
        let cannot = |source| WatchError { folder: root.to_owned(), source };
        let mut debouncer =
            new_debouncer_opt::<_, notify::PollWatcher, NoCache>(SETTLE, None, handler, NoCache, config)
                .map_err(cannot)?;
        debouncer.watch(root, RecursiveMode::Recursive).map_err(cannot)?;
        Ok(AnyDebouncer::Polling(debouncer))
    }

    /// How the folder is watched.
    pub fn watching(&self) -> &Watching {
        &self.watching
    }

    #[cfg(test)]
    fn take_peek_is_empty(&self) -> bool {
        self.changes.lock().unwrap_or_else(PoisonError::into_inner).is_empty()
    }

    /// What changed since the last call.
    pub fn take(&self) -> Changes {
        std::mem::take(&mut *self.changes.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Whether a change at `path` may matter: not a temporary file of a save in
/// flight (its rename into place is the change), not this laptop's own presence.
fn worth_a_look(path: &Path, own_mark: &str) -> bool {
    let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
    let temporary = name.starts_with(".knotmap-") && name.ends_with(".tmp");
    // Syncthing and Nextcloud download into hidden temporary names before renaming into place.
    let sync_temporary = name.starts_with(".syncthing.") || name.ends_with(".part") || name.starts_with(".~");
    // An audit log only grows with each save: nothing to read again.
    let audit_log = name.ends_with(".log");
    !(temporary || sync_temporary || audit_log || name.ends_with(own_mark))
}

/// The kind of network file system `folder` is on, if it is on one.
#[cfg(target_os = "linux")]
pub fn network_share(folder: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    let mut stats: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is a valid C string and `stats` a valid statfs to fill.
    if unsafe { libc::statfs(path.as_ptr(), &mut stats) } != 0 {
        return None;
    }
    // The file system magic numbers of linux/magic.h.
    #[allow(clippy::unnecessary_cast)]
    match stats.f_type as u64 {
        0x6969 => Some("network share (NFS)"),
        0x517B | 0xFF53_4D42 | 0xFE53_4D42 => Some("network share (SMB)"),
        0x0102_1997 => Some("shared folder (9p)"),
        0x6573_5546 => Some("user-space file system (FUSE, e.g. sshfs)"),
        0x5346_414F => Some("network share (AFS)"),
        _ => None,
    }
}

#[cfg(not(target_os = "linux"))]
pub fn network_share(_folder: &Path) -> Option<&'static str> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saves_temporary_file_and_this_laptops_own_mark_are_not_changes() {
        let own = format!("{PRESENCE_MARK}front-desk.ron");
        let sessions = Path::new("/practice/clients/ana-x1/sessions");
        assert!(!worth_a_look(&sessions.join(".knotmap-a1b2.tmp"), &own));
        assert!(!worth_a_look(&sessions.join(".syncthing.2026-11-23-0900-abcde.ron.tmp"), &own));
        assert!(!worth_a_look(&sessions.join(".2026-11-23-0900-abcde.editing-front-desk.ron"), &own));
        assert!(worth_a_look(&sessions.join(".2026-11-23-0900-abcde.editing-room-2.ron"), &own));
        assert!(worth_a_look(&sessions.join("2026-11-23-0900-abcde.ron"), &own));
    }

    #[test]
    fn a_local_folder_is_watched_by_events_and_a_chosen_interval_polls() {
        let folder = tempfile::tempdir().unwrap();
        assert_eq!(network_share(folder.path()), None);
        let watcher =
            PracticeWatcher::start(folder.path(), WatchChoice::Poll { seconds: 3 }, "here", || {}).unwrap();
        assert_eq!(
            watcher.watching(),
            &Watching::Polling { every: Duration::from_secs(3), why: "chosen in the settings".into() }
        );
        let wakes = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = Arc::clone(&wakes);
        let watcher = PracticeWatcher::start(folder.path(), WatchChoice::Automatic, "here", move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        })
        .unwrap();
        assert_eq!(watcher.watching(), &Watching::Events);
        let file = folder.path().join("practice.ron");
        std::fs::write(&file, "changed").unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while watcher.take_peek_is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(wakes.load(std::sync::atomic::Ordering::SeqCst) > 0, "the window is woken");
        assert!(watcher.take().paths.contains(&file));
    }
}
