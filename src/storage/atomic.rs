//! Writing files so that a crash leaves the old file or the new one, never half
//! of one, and creating folders and files private to the user: a practice holds
//! health data.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed to disk, then renamed over the old file, and the folder flushed too.
/// The new file is readable and writable by the user only.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = folder_of(path);
    // A leading dot keeps a leftover from a crash out of the practice listing.
    let mut temporary = tempfile::Builder::new().prefix(".knotmap-").suffix(".tmp").tempfile_in(folder)?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    sync_folder(folder)
}

/// [`write_atomically`], but only if `still` says so once the new text is on
/// disk beside the old file, just before it replaces it: the check that nobody
/// else changed the file then comes as late as it can, so that another
/// writer's save landing meanwhile is not replaced. False if `still` said no;
/// nothing was replaced then.
pub fn write_atomically_if(path: &Path, bytes: &[u8], still: impl FnOnce() -> bool) -> io::Result<bool> {
    let folder = folder_of(path);
    let mut temporary = tempfile::Builder::new().prefix(".knotmap-").suffix(".tmp").tempfile_in(folder)?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    // Two Knotmaps writing one folder (a network share) take turns between the check
    // and the rename, so that neither replaces a save the other has just checked past.
    let _turn = Turn::of_folder(folder);
    if !still() {
        return Ok(false);
    }
    temporary.persist(path).map_err(|error| error.error)?;
    sync_folder(folder)?;
    Ok(true)
}

/// An exclusive advisory lock on a folder or a file, held until dropped. Where
/// the system has no such lock, there is no turn to take and writing goes on.
pub(super) struct Turn(Option<fs::File>);

impl Turn {
    /// The turn to write in `folder`.
    pub(super) fn of_folder(folder: &Path) -> Turn {
        Turn::of(fs::File::open(folder).ok())
    }

    /// The turn to write to the open `file`.
    pub(super) fn of_file(file: &fs::File) -> Turn {
        Turn::of(file.try_clone().ok())
    }

    fn of(handle: Option<fs::File>) -> Turn {
        #[cfg(unix)]
        if let Some(handle) = handle {
            use std::os::fd::AsRawFd;
            // SAFETY: the descriptor is open for as long as `handle` lives.
            if unsafe { libc::flock(handle.as_raw_fd(), libc::LOCK_EX) } == 0 {
                return Turn(Some(handle));
            }
        }
        #[cfg(not(unix))]
        let _ = handle;
        Turn(None)
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(handle) = &self.0 {
            use std::os::fd::AsRawFd;
            // SAFETY: as in `take`; closing the file would release the lock too.
            unsafe { libc::flock(handle.as_raw_fd(), libc::LOCK_UN) };
        }
    }
}

/// Writes `bytes` to a new file at `path`, private to the user, failing if
/// something is already there. Used for conflict copies, which must never
/// replace anything.
pub fn write_new_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    sync_folder(folder_of(path))
}

/// The folder `path` is in; the current folder for a bare name such as
/// `plan.ron`, whose parent is the empty path (which cannot be opened to flush).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    }
}

/// Creates `folder` and any missing parents, each private to the user.
pub fn create_private_folder(folder: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(folder)
}

/// Makes a rename in `folder` durable (on Unix a rename is only on disk once the
/// folder itself is flushed).
fn sync_folder(folder: &Path) -> io::Result<()> {
    #[cfg(unix)]
    fs::File::open(folder)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}
