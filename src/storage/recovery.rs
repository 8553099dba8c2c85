//! The recovery folder: where an edit goes that the practice could not take
//! (its folder gone, replaced by a file, full, read-only), so that it is on
//! disk somewhere the user owns, and is offered back at the next start.
//!
//! It lives in the user's own data folder, outside every practice, so that it
//! is there when the practice is not (a network share gone, a sync tool that
//! removed a folder). Each practice has a folder of its own in it, named after
//! the practice's folder and a hash of its path, holding the files that could
//! not be written at the same places as in the practice (`clients/<id>/…`),
//! each as Knotmap would have written it: a file there is a file Knotmap can
//! read back. `practice.txt` beside them names the practice in full.

use std::io;
use std::path::{Path, PathBuf};

use super::atomic::{create_private_folder, write_atomically};

/// The file in a practice's recovery folder that names the practice.
const PRACTICE_NAME_FILE: &str = "practice.txt";

/// The recovery folder of one practice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovery {
    /// The practice whose edits are kept here.
    practice: PathBuf,
    /// Where they are kept.
    folder: PathBuf,
}

/// An edit kept in the recovery folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    /// Where the edit belongs, in the practice.
    pub belongs: PathBuf,
    /// Where it is kept now.
    pub kept: PathBuf,
}

impl Recovery {
    /// The recovery folder, under `recovery`, of the practice at `practice`.
    pub fn of(recovery: &Path, practice: &Path) -> Recovery {
        let name = practice.file_name().and_then(|name| name.to_str()).unwrap_or("practice");
        let safe = super::practice_folder::safe_file_name(name, "practice");
        let folder = recovery.join(format!("{safe}-{:016x}", path_hash(practice)));
        Recovery { practice: practice.to_owned(), folder }
    }

    /// Where the recovery folder of this practice is.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Keeps `text`, the file Knotmap would have written at `belongs` in the
    /// practice, and says where it is kept.
    pub fn keep(&self, belongs: &Path, text: &[u8]) -> io::Result<PathBuf> {
        let kept = self.place_of(belongs)?;
        if let Some(folder) = kept.parent() {
            create_private_folder(folder)?;
        }
        write_atomically(
            &self.folder.join(PRACTICE_NAME_FILE),
            self.practice.display().to_string().as_bytes(),
        )?;
        write_atomically(&kept, text)?;
        Ok(kept)
    }

    /// Forgets what was kept for `belongs`, once the practice has it.
    pub fn forget(&self, belongs: &Path) -> io::Result<()> {
        // Asked after every save: with nothing kept, one look at the folder is all it costs.
        if !self.folder.exists() {
            return Ok(());
        }
        let kept = self.place_of(belongs)?;
        match std::fs::remove_file(&kept) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
        self.tidy(kept.parent());
        Ok(())
    }

    /// Every edit kept for this practice, oldest place first.
    pub fn kept(&self) -> Vec<Kept> {
        let mut kept = Vec::new();
        collect(&self.folder, &self.folder, &self.practice, &mut kept);
        kept.sort_by(|a, b| a.belongs.cmp(&b.belongs));
        kept
    }

    /// Where the edit for `belongs` is kept: at the same place as in the practice.
    fn place_of(&self, belongs: &Path) -> io::Result<PathBuf> {
        let relative = belongs.strip_prefix(&self.practice).map_err(|_| {
            io::Error::other(format!(
                "{} is not in the practice {}",
                belongs.display(),
                self.practice.display()
            ))
        })?;
        Ok(self.folder.join(relative))
    }

    /// Removes the folders emptied by a forget, up to the practice's recovery folder.
    fn tidy(&self, mut folder: Option<&Path>) {
        while let Some(here) = folder.filter(|here| here.starts_with(&self.folder) && *here != self.folder) {
            // A folder that still holds something stays: remove_dir refuses it.
            if std::fs::remove_dir(here).is_err() {
                return;
            }
            folder = here.parent();
        }
        let only_the_name = std::fs::read_dir(&self.folder)
            .is_ok_and(|entries| entries.flatten().all(|entry| entry.file_name() == PRACTICE_NAME_FILE));
        if only_the_name {
            // Nothing is kept any more: the folder goes, its name file with it.
            let _gone = std::fs::remove_file(self.folder.join(PRACTICE_NAME_FILE))
                .and_then(|()| std::fs::remove_dir(&self.folder));
        }
    }
}

/// The `.ron` files under `folder`, as kept edits of `practice`.
fn collect(root: &Path, folder: &Path, practice: &Path, into: &mut Vec<Kept>) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            collect(root, &path, practice, into);
        } else if kind.is_file() && path.extension().is_some_and(|ext| ext == "ron") {
            let Ok(relative) = path.strip_prefix(root) else { continue };
            into.push(Kept { belongs: practice.join(relative), kept: path });
        }
    }
}

/// A hash of the practice's path that stays the same from one version of
/// Knotmap to the next (FNV-1a), so a later Knotmap finds what an earlier one kept.
fn path_hash(path: &Path) -> u64 {
    path.as_os_str().as_encoded_bytes().iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_is_kept_where_it_belongs_listed_and_forgotten_once_the_practice_has_it() {
        let folder = tempfile::tempdir().expect("temp dir");
        let practice = folder.path().join("Harbour Street");
        let recovery = Recovery::of(&folder.path().join("Recovery"), &practice);
        let belongs = practice.join("clients/ana/sessions/2026-11-23-0930-s01.ron");
        let kept = recovery.keep(&belongs, b"(format: 3)").expect("kept");
        assert!(kept.starts_with(recovery.folder()));
        assert!(kept.ends_with("clients/ana/sessions/2026-11-23-0930-s01.ron"));
        assert_eq!(recovery.kept(), [Kept { belongs: belongs.clone(), kept: kept.clone() }]);
        assert_eq!(
            Recovery::of(&folder.path().join("Recovery"), &practice),
            recovery,
            "the same place next time"
        );

        recovery.forget(&belongs).expect("forgotten");
        assert_eq!(recovery.kept(), []);
        assert!(!recovery.folder().exists(), "nothing left behind");
    }
}
