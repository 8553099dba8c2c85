//! Where a printed PDF may be written. A PDF holds health data, and a path
//! typed on the command line or in a dialog may name anything: a session
//! record, a named pipe, `/dev/full`, a file in the practice folder that a sync
//! tool would spread to every laptop. Knotmap writes a PDF only as a regular
//! file of its own, outside any practice folder, and replaces an existing file
//! only if it is a PDF already.

use std::path::{Path, PathBuf};

use crate::storage::{SETTINGS_FILE, create_private_folder, write_atomically};

/// Why a PDF was not written where it was asked to go.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error(
        "{0} is not a regular file (a pipe, a device, a folder or a link); a PDF is written only as a file of its \
         own, so it was left as it is"
    )]
    NotAFile(PathBuf),
    #[error("{0} holds something other than a PDF, so it was not written over; choose another name")]
    NotAPdf(PathBuf),
    #[error(
        "{path} is inside the practice folder {practice}; printed sheets are written outside it, where no sync \
         tool takes them to other laptops and no record can be replaced"
    )]
    InsidePractice { path: PathBuf, practice: PathBuf },
    #[error("{path} could not be written: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Writes `pdf` to `path` if Knotmap may write there (see the module's doc),
/// atomically and readable by the user alone.
pub fn write_pdf(path: &Path, pdf: &[u8]) -> Result<(), Refused> {
    may_write_pdf(path)?;
    write_atomically(path, pdf).map_err(|source| Refused::Io { path: path.to_owned(), source })
}

/// Makes the folder PDFs are written into (private, as they hold health data),
/// unless it lies inside a practice folder.
pub fn make_pdf_folder(folder: &Path) -> Result<(), Refused> {
    if let Some(practice) = practice_around(folder) {
        return Err(Refused::InsidePractice { path: folder.to_owned(), practice });
    }
    create_private_folder(folder).map_err(|source| Refused::Io { path: folder.to_owned(), source })
}

/// Whether a PDF may be written to `path`.
pub fn may_write_pdf(path: &Path) -> Result<(), Refused> {
    if let Ok(metadata) = std::fs::symlink_metadata(path) {
        if !metadata.file_type().is_file() {
            return Err(Refused::NotAFile(path.to_owned()));
        }
        if !starts_as_a_pdf(path) {
            return Err(Refused::NotAPdf(path.to_owned()));
        }
    }
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_owned(),
        _ => PathBuf::from("."),
    };
    match practice_around(&folder) {
        Some(practice) => Err(Refused::InsidePractice { path: path.to_owned(), practice }),
        None => Ok(()),
    }
}

/// Whether the regular file at `path` begins as every PDF does.
fn starts_as_a_pdf(path: &Path) -> bool {
    use std::io::Read;
    let Ok(file) = crate::storage::open_regular_file(path) else { return false };
    let mut start = Vec::new();
    file.take(5).read_to_end(&mut start).is_ok() && start == b"%PDF-"
}

/// The practice folder `folder` lies in (or is), if any: the nearest folder
/// from it upwards that holds a practice's settings file.
fn practice_around(folder: &Path) -> Option<PathBuf> {
    // Where the folder does not exist yet, its nearest existing ancestor says where it would be.
    let mut existing = folder.to_owned();
    while !existing.exists() {
        existing = existing.parent()?.to_owned();
        if existing.as_os_str().is_empty() {
            existing = PathBuf::from(".");
        }
    }
    let existing = existing.canonicalize().ok()?;
    existing.ancestors().find(|ancestor| ancestor.join(SETTINGS_FILE).is_file()).map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_written_over_a_pdf_but_never_over_a_record_a_pipe_or_inside_a_practice() {
        let folder = tempfile::tempdir().expect("temp dir");
        let sheet = folder.path().join("sheet.pdf");
        write_pdf(&sheet, b"%PDF-1.7 first").expect("a new file");
        write_pdf(&sheet, b"%PDF-1.7 second").expect("an older PDF is replaced");
        assert_eq!(std::fs::read(&sheet).expect("read"), b"%PDF-1.7 second");

        let record = folder.path().join("2026-11-23-0930-s01.ron");
        std::fs::write(&record, "(format: 3, session: ())").expect("a record");
        assert!(matches!(write_pdf(&record, b"%PDF-1.7"), Err(Refused::NotAPdf(_))));
        assert_eq!(std::fs::read_to_string(&record).expect("read"), "(format: 3, session: ())");

        assert!(matches!(write_pdf(Path::new("/dev/full"), b"%PDF-1.7"), Err(Refused::NotAFile(_))));

        let practice = folder.path().join("practice");
        crate::storage::Practice::open_or_create(&practice).expect("a practice");
        let inside = practice.join("clients").join("sheet.pdf");
        assert!(matches!(write_pdf(&inside, b"%PDF-1.7"), Err(Refused::InsidePractice { .. })));
        assert!(matches!(make_pdf_folder(&practice.join("printed")), Err(Refused::InsidePractice { .. })));
        assert!(!practice.join("printed").exists());
    }
}
