//! The one writer: saves are taken as snapshots on the window's thread and
//! written on a thread of their own, so that a slow disk, a network share that
//! hangs or a large record never freezes the window.
//!
//! A snapshot ([`Job`]) holds everything writing needs: the text to write, and
//! the fingerprint of what the practice last read or wrote there, to tell
//! whether someone else changed the file meanwhile. Writing touches nothing
//! but the disk; what it did ([`Done`]) comes back to be settled by the
//! practice (what each file holds now) and by the workspace (which edits are on
//! disk). Until then an edit stays unsaved: nothing is marked saved that is
//! not written.
//!
//! One batch is written at a time, in order, so a later save never overtakes an
//! earlier one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use super::atomic::{create_private_folder, write_atomically, write_atomically_if, write_new_file};
use super::format::{Fingerprint, fingerprint_on_disk};
use super::practice_folder::{SaveError, conflict_copy_path, is_link};
use super::recovery::{Kept, Recovery};
use crate::model::{Client, Session, SessionId};

/// One file to write, as the practice saw it when the snapshot was taken.
#[derive(Clone, Debug)]
pub struct FileWrite {
    pub(super) path: PathBuf,
    pub(super) text: String,
    /// What the file held when the practice last read or wrote it; `None` for a new file.
    pub(super) known: Option<Fingerprint>,
    /// The practice's folder: no part of the way from it to the file may be a link.
    pub(super) root: PathBuf,
}

impl FileWrite {
    /// Writes the file unless someone else changed it since the practice saw it:
    /// then the text is kept beside it as a conflict copy, and the file stays as
    /// the other writer left it. What the file holds after a write goes to `wrote`.
    pub(super) fn perform(&self, wrote: &mut Vec<(PathBuf, Fingerprint)>) -> Result<(), SaveError> {
        let path = self.path.as_path();
        refuse_links(&self.root, path)?;
        let bytes = self.text.as_bytes();
        // Read the one safe way: a pipe swapped in must not hang the writer, nor a huge file fill memory.
        let on_disk = fingerprint_on_disk(path).map_err(|problem| SaveError::NotAFile { problem })?;
        if on_disk.is_none() && self.known.is_some() {
            // Removed elsewhere while open here: the edit goes back where it was, not into a
            // conflict copy beside nothing, which nobody would look for.
            if let Some(folder) = path.parent() {
                create_private_folder(folder)
                    .map_err(|source| SaveError::Io { path: folder.to_owned(), source })?;
            }
            write_atomically(path, bytes)
                .map_err(|source| SaveError::Io { path: path.to_owned(), source })?;
            wrote.push((path.to_owned(), Fingerprint::of(bytes)));
            return Err(SaveError::RemovedElsewhere { path: path.to_owned() });
        }
        let unchanged = |path: &Path| fingerprint_on_disk(path).is_ok_and(|now| now == on_disk);
        let written = on_disk == self.known
            && write_atomically_if(path, bytes, || unchanged(path))
                .map_err(|source| SaveError::Io { path: path.to_owned(), source })?;
        if !written {
            // Until watching brings the other version in, each save of this edit makes a
            // copy of its own rather than replace theirs.
            let kept_as = conflict_copy_path(path);
            write_new_file(&kept_as, bytes)
                .map_err(|source| SaveError::Io { path: kept_as.clone(), source })?;
            return Err(SaveError::ChangedElsewhere { path: path.to_owned(), kept_as });
        }
        wrote.push((path.to_owned(), Fingerprint::of(bytes)));
        Ok(())
    }
}

/// Refuses a file reached through a link (Knotmap never writes through one).
pub(super) fn refuse_links(root: &Path, path: &Path) -> Result<(), SaveError> {
    let relative = path.strip_prefix(root).unwrap_or(Path::new(""));
    let mut place = root.to_owned();
    for part in relative.components() {
        place.push(part);
        if is_link(&place) {
            let why = format!("{} is a link, and Knotmap does not write through links", place.display());
            return Err(SaveError::ReadOnly { path: path.to_owned(), why });
        }
    }
    Ok(())
}

/// What a save is of: the edit it writes, which comes back with what happened.
#[derive(Clone, Debug)]
pub enum What {
    Profile(Client),
    Session(Session),
    /// This laptop's version of a session while two versions wait for the user.
    SecondVersion(Session),
}

/// How a snapshot is written.
#[derive(Debug)]
enum Plan {
    /// Into the practice: the file replaced, after `folder` is made; a session's
    /// client profile first written back when its folder was removed elsewhere.
    Replace { write: FileWrite, folder: PathBuf, profile: Option<FileWrite> },
    /// Beside the session: into `into`, the second-version file made at an
    /// earlier save (only ever a regular file or nothing), or a new copy.
    Beside { session_path: PathBuf, into: Option<PathBuf>, text: String },
}

/// One save, taken as a snapshot: ready to be written on any thread.
#[derive(Debug)]
pub struct Job {
    pub what: What,
    /// Why it cannot be written at all (read-only, not valid), found when it was taken.
    plan: Result<Plan, SaveError>,
    /// What the audit trail says of it, once it is written.
    pub audit: Option<super::audit::Change>,
}

/// What writing one [`Job`] did.
#[derive(Debug)]
pub struct Done {
    pub what: What,
    /// What each file written holds now, for the practice to remember.
    pub(super) wrote: Vec<(PathBuf, Fingerprint)>,
    /// Whether the edit is in the practice; for a second version, the file it is in.
    pub result: Result<Option<PathBuf>, SaveError>,
    /// Where the edit was kept when the practice could not take it.
    pub kept: Option<Kept>,
    /// Why the change, written, could not be added to the audit trail.
    pub not_logged: Option<std::io::Error>,
}

impl Job {
    pub(super) fn refused(what: What, error: SaveError) -> Job {
        Job { what, plan: Err(error), audit: None }
    }

    pub(super) fn replace(what: What, write: FileWrite, folder: PathBuf, profile: Option<FileWrite>) -> Job {
        Job { what, plan: Ok(Plan::Replace { write, folder, profile }), audit: None }
    }

    pub(super) fn beside(
        session: Session,
        session_path: PathBuf,
        into: Option<PathBuf>,
        text: String,
    ) -> Job {
        Job {
            what: What::SecondVersion(session),
            plan: Ok(Plan::Beside { session_path, into, text }),
            audit: None,
        }
    }

    /// Writes it (touching nothing but the disk); what the practice cannot take
    /// goes to `recovery`, and what it took is forgotten there.
    pub fn perform(self, recovery: Option<&Recovery>) -> Done {
        let mut wrote = Vec::new();
        let (result, belongs) = match self.plan {
            Err(error) => (Err(error), None),
            Ok(Plan::Replace { write, folder, profile }) => {
                let result = replace(&write, &folder, profile.as_ref(), &mut wrote).map(|()| None);
                (result, Some((write.path, write.text)))
            }
            Ok(Plan::Beside { session_path, into, text }) => {
                (beside(&session_path, into.as_deref(), &text).map(Some), Some((session_path, text)))
            }
        };
        let mut done = Done { what: self.what, wrote, result, kept: None, not_logged: None };
        if let (Some(recovery), Some((belongs, text))) = (recovery, belongs) {
            if !done.settled() {
                // Kept where the user owns it; a recovery folder that fails too leaves the
                // edit unsaved in the window, which says so and tries again.
                done.kept = recovery
                    .keep(&belongs, text.as_bytes())
                    .ok()
                    .map(|kept| Kept { belongs: belongs.clone(), kept });
            } else if !matches!(done.what, What::SecondVersion(_)) {
                // Forgetting can fail only on the user's own folder; the copy then simply stays.
                let _stays = recovery.forget(&belongs);
            }
        }
        done
    }
}

impl Done {
    /// Whether the edit is as safe as it gets: written, kept in a copy beside its
    /// file, or refused for good (trying again would only fail again).
    pub fn settled(&self) -> bool {
        match (&self.what, &self.result) {
            (_, Ok(_)) => true,
            (What::SecondVersion(_), Err(_)) => false,
            (_, Err(error)) => error.is_settled(),
        }
    }
}

/// Writes a profile or a session into the practice (see [`Plan::Replace`]).
fn replace(
    write: &FileWrite,
    folder: &Path,
    profile: Option<&FileWrite>,
    wrote: &mut Vec<(PathBuf, Fingerprint)>,
) -> Result<(), SaveError> {
    refuse_links(&write.root, &write.path)?;
    // The client's whole folder removed elsewhere: the profile comes back with the edit.
    let profile_gone = profile.filter(|profile| std::fs::symlink_metadata(&profile.path).is_err());
    create_private_folder(folder).map_err(|source| SaveError::Io { path: folder.to_owned(), source })?;
    if let Some(profile) = profile_gone {
        match profile.perform(wrote) {
            Ok(()) | Err(SaveError::RemovedElsewhere { .. }) => {}
            Err(error) => return Err(error),
        }
    }
    write.perform(wrote)?;
    match profile_gone {
        Some(profile) => Err(SaveError::RemovedElsewhere {
            path: profile.path.parent().map_or_else(|| profile.path.clone(), Path::to_owned),
        }),
        None => Ok(()),
    }
}

/// Writes a second version beside its session (see [`Plan::Beside`]).
fn beside(session_path: &Path, into: Option<&Path>, text: &str) -> Result<PathBuf, SaveError> {
    let Some(file) = into else {
        let copy = conflict_copy_path(session_path);
        write_new_file(&copy, text.as_bytes())
            .map_err(|source| SaveError::Io { path: copy.clone(), source })?;
        return Ok(copy);
    };
    fingerprint_on_disk(file).map_err(|problem| SaveError::NotAFile { problem })?;
    write_atomically(file, text.as_bytes())
        .map_err(|source| SaveError::Io { path: file.to_owned(), source })?;
    Ok(file.to_owned())
}

/// Saves taken together, written in order.
#[derive(Debug, Default)]
pub struct Batch {
    pub jobs: Vec<Job>,
    pub recovery: Option<Recovery>,
    /// The sessions folder to look in for second versions afterwards, when the
    /// batch may have made one.
    pub versions_in: Option<PathBuf>,
    /// This laptop's audit trail, where each change written is appended.
    pub audit: Option<std::sync::Arc<super::audit::AuditLog>>,
}

/// What writing a [`Batch`] did.
#[derive(Debug)]
pub struct BatchDone {
    pub done: Vec<Done>,
    /// The sessions folder the versions were looked for in.
    pub folder: Option<PathBuf>,
    /// The conflict copies beside the sessions after writing, when looked for.
    pub versions: Option<BTreeMap<SessionId, Vec<PathBuf>>>,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    pub fn perform(self) -> BatchDone {
        let recovery = self.recovery.as_ref();
        let audit = self.audit.as_deref();
        let done: Vec<Done> = self
            .jobs
            .into_iter()
            .map(|mut job| {
                let change = job.audit.take();
                let mut done = job.perform(recovery);
                let written = matches!(done.result, Ok(_) | Err(SaveError::RemovedElsewhere { .. }))
                    && !matches!(done.what, What::SecondVersion(_));
                if let (true, Some(log), Some(change)) = (written, audit, change) {
                    done.not_logged = log.append(&change).err();
                }
                done
            })
            .collect();
        let made_copies = done.iter().any(|done| {
            matches!(done.what, What::SecondVersion(_))
                || matches!(done.result, Err(SaveError::ChangedElsewhere { .. }))
        });
        let folder = self.versions_in.filter(|_| made_copies);
        let versions = folder.as_deref().map(super::reload::versions_in);
        BatchDone { done, folder, versions }
    }
}

/// The thread that writes, one batch at a time.
#[derive(Debug)]
pub struct Writer {
    batches: Sender<Batch>,
    written: Receiver<BatchDone>,
    /// Whether a batch was sent and has not come back yet.
    busy: bool,
    /// While set, the thread waits before writing: a disk that is slow, for tests.
    held: Arc<AtomicBool>,
}

/// Holds the writer back from writing while it lives (see [`Writer::hold`]).
#[derive(Debug)]
pub struct Hold(Arc<AtomicBool>);

impl Drop for Hold {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl Writer {
    /// Starts the writing thread; `wake` is called after each batch is written,
    /// so that the window looks at what happened. `None` when no thread can be
    /// started (the caller then writes on its own thread).
    pub fn start(wake: Arc<dyn Fn() + Send + Sync>) -> Option<Writer> {
        let (batches, to_write) = channel::<Batch>();
        let (done, written) = channel();
        let held = Arc::new(AtomicBool::new(false));
        let holding = Arc::clone(&held);
        std::thread::Builder::new()
            .name("knotmap writer".to_owned())
            .spawn(move || {
                for batch in to_write {
                    while holding.load(Ordering::SeqCst) {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                    if done.send(batch.perform()).is_err() {
                        return;
                    }
                    wake();
                }
            })
            .ok()?;
        Some(Writer { batches, written, busy: false, held })
    }

    /// Whether a batch is being written.
    pub fn is_busy(&self) -> bool {
        self.busy
    }

    /// Hands `batch` to the thread; gives it back if the thread is gone.
    pub fn send(&mut self, batch: Batch) -> Result<(), Batch> {
        match self.batches.send(batch) {
            Ok(()) => {
                self.busy = true;
                Ok(())
            }
            Err(returned) => Err(returned.0),
        }
    }

    /// What the thread wrote, if it is done.
    pub fn try_take(&mut self) -> Option<BatchDone> {
        if !self.busy {
            return None;
        }
        match self.written.try_recv() {
            Ok(done) => {
                self.busy = false;
                Some(done)
            }
            Err(TryRecvError::Empty) => None,
            // The thread is gone: what it had is still unsaved in the window, to be written again.
            Err(TryRecvError::Disconnected) => {
                self.busy = false;
                None
            }
        }
    }

    /// Waits for the batch being written, if there is one.
    pub fn wait(&mut self) -> Option<BatchDone> {
        if !std::mem::take(&mut self.busy) {
            return None;
        }
        self.held.store(false, Ordering::SeqCst);
        self.written.recv().ok()
    }

    /// Holds the thread back from writing until the returned guard is dropped, as
    /// a very slow disk would: for tests of a window that must not wait.
    pub fn hold(&self) -> Hold {
        self.held.store(true, Ordering::SeqCst);
        Hold(Arc::clone(&self.held))
    }
}
