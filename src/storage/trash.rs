//! The practice's trash: deleting a client or a session moves it here, with a
//! small record of where it came from, and restoring moves it back. Nothing in
//! a practice is ever removed from disk by Knotmap.

use std::fs;
use std::path::{Path, PathBuf};

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use super::atomic::{create_private_folder, write_atomically};
use super::format::{KeptFile, read_file};
use super::practice_folder::{
    Expect, Practice, SESSIONS_FOLDER, TRASH_FOLDER, list_folder, scan_client_named,
};
use super::problem::Problem;
use crate::model::{ClientId, Session, SessionId};

/// The record kept beside each trashed item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrashRecord {
    pub what: Trashed,
    /// Where it was, relative to the practice folder.
    pub original: PathBuf,
    pub trashed_at: DateTime,
}

super::format::envelope!(TrashRecord, trashed, "trash record", |_| Ok(()));

/// What was moved to the trash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trashed {
    /// A client's whole folder: profile and sessions.
    Client {
        client: ClientId,
        name: String,
    },
    Session {
        client: ClientId,
        session: SessionId,
    },
    /// A version of a session not kept when two versions of it were compared (see
    /// [`Practice::trash_version`]); restored beside the session under `file`, as a
    /// second version to compare again.
    Version {
        client: ClientId,
        session: SessionId,
        file: String,
    },
}

const RECORD_FILE: &str = "trashed.ron";
const ITEM_NAME: &str = "item";

/// One item in the trash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrashEntry {
    /// The entry's folder inside `trash/`.
    pub folder: PathBuf,
    pub record: TrashRecord,
}

/// Why moving to or from the trash did not happen.
#[derive(Debug, thiserror::Error)]
pub enum TrashError {
    #[error("there is nothing at {0} to move")]
    Missing(PathBuf),
    #[error("cannot restore to {0}: something is already there; move it away first")]
    Occupied(PathBuf),
    #[error("cannot restore this session: its client {0} is not in the practice; restore the client first")]
    ClientMissing(ClientId),
    #[error("cannot move {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot read the trash record {0}")]
    Unreadable(PathBuf),
    #[error(
        "the session {0} is a {1} record, which is kept as it is and never moved to the trash; mark it \
         \"entered in error\" instead if it should not have been made"
    )]
    KeptRecord(SessionId, &'static str),
    #[error(
        "the session file {0} cannot be read, so Knotmap cannot tell whether it is a completed record; it was \
         left where it is"
    )]
    UnknownRecord(PathBuf),
}

impl Practice {
    /// Moves a client's folder, with all their sessions, to the trash.
    pub fn trash_client(&mut self, id: &ClientId) -> Result<TrashEntry, TrashError> {
        let name = self.client(id).map(|entry| entry.client.name.clone()).unwrap_or_default();
        let folder = self.client_folder(id);
        let entry = self.move_to_trash(&folder, Trashed::Client { client: id.clone(), name }, id.as_str())?;
        self.forget(&folder);
        self.remove_client_entry(id);
        Ok(entry)
    }

    /// Moves one session file to the trash: a planned or ready one only. A
    /// completed or cancelled session is a record and stays where it is (see
    /// [`crate::model::Session::mark_entered_in_error`]), and so does a file
    /// that cannot be read, since it may be one.
    pub fn trash_session(
        &mut self,
        client: &ClientId,
        session: &SessionId,
    ) -> Result<TrashEntry, TrashError> {
        let path = self.session_path(client, session);
        if !path.exists() {
            return Err(TrashError::Missing(path));
        }
        let status =
            read_file::<Session>(&path).map_err(|_| TrashError::UnknownRecord(path.clone()))?.value.status;
        if status.is_record() {
            return Err(TrashError::KeptRecord(session.clone(), status.word()));
        }
        let what = Trashed::Session { client: client.clone(), session: session.clone() };
        let entry = self.move_to_trash(&path, what, session.as_str())?;
        self.forget(&path);
        self.remove_session_entry(client, session);
        Ok(entry)
    }

    /// What is in the trash, most recent first. An entry whose record cannot
    /// be read is left out of the list, left alone, and added to the problems.
    pub fn trash(&mut self) -> Vec<TrashEntry> {
        let (entries, problems) = self.read_trash();
        for problem in problems {
            self.add_problem(problem);
        }
        entries
    }

    /// The trash's entries, and a problem for each that cannot be read.
    fn read_trash(&self) -> (Vec<TrashEntry>, Vec<Problem>) {
        let folder = self.root().join(TRASH_FOLDER);
        let (folders, mut problems) = list_folder(&folder, Expect::TrashEntries);
        let mut entries = Vec::new();
        for folder in folders {
            match read_file::<TrashRecord>(&folder.join(RECORD_FILE)) {
                Ok(read) => entries.push(TrashEntry { folder, record: read.value }),
                Err(problem) => problems.push(problem),
            }
        }
        entries.sort_by_key(|entry| std::cmp::Reverse(entry.record.trashed_at));
        (entries, problems)
    }

    /// Reads everything in the trash the way the practice itself is read, and
    /// lists every problem: what is in the trash is kept health data too, and
    /// a restore must not bring back a file nobody can read. Nothing is written.
    pub fn check_trash(&self) -> Vec<Problem> {
        let (entries, mut problems) = self.read_trash();
        for entry in entries {
            let item = entry.folder.join(ITEM_NAME);
            match &entry.record.what {
                Trashed::Version { .. } => problems.extend(read_file::<Session>(&item).err()),
                Trashed::Session { .. } => match read_file::<Session>(&item) {
                    Err(problem) => problems.push(problem),
                    // Knotmap never trashes a record: one here was put there by hand or by another tool.
                    Ok(read) if read.value.status.is_record() => problems.push(Problem::new(
                        &item,
                        format!(
                            "this {} session is a record, and a record is never moved to the trash; restore it (File → \
                             Trash…) and mark it entered in error if it should not count",
                            read.value.status.word()
                        ),
                    )),
                    Ok(_) => {}
                },
                Trashed::Client { client, .. } => {
                    let scan = scan_client_named(&item, client.as_str());
                    problems.extend(scan.problems);
                    for session in &scan.sessions {
                        let path = item.join(SESSIONS_FOLDER).join(format!("{session}.ron"));
                        problems.extend(read_file::<Session>(&path).err());
                    }
                }
            }
        }
        problems
    }
    /// Moves a trashed item back where it was.
    pub fn restore(&mut self, entry: &TrashEntry) -> Result<(), TrashError> {
        let record = read_file::<TrashRecord>(&entry.folder.join(RECORD_FILE))
            .map_err(|_| TrashError::Unreadable(entry.folder.join(RECORD_FILE)))?
            .value;
        let destination = match &record.what {
            Trashed::Client { client, .. } => self.client_folder(client),
            Trashed::Session { client, session } => {
                if self.client(client).is_none() {
                    return Err(TrashError::ClientMissing(client.clone()));
                }
                self.session_path(client, session)
            }
            Trashed::Version { client, file, .. } => {
                if self.client(client).is_none() {
                    return Err(TrashError::ClientMissing(client.clone()));
                }
                self.client_folder(client).join(SESSIONS_FOLDER).join(file)
            }
        };
        if destination.exists() {
            return Err(TrashError::Occupied(destination));
        }
        let item = entry.folder.join(ITEM_NAME);
        if !item.exists() {
            return Err(TrashError::Missing(item));
        }
        if let Some(parent) = destination.parent() {
            create_private_folder(parent)
                .map_err(|source| TrashError::Io { path: parent.to_owned(), source })?;
        }
        fs::rename(&item, &destination).map_err(|source| TrashError::Io { path: item.clone(), source })?;
        // The empty entry folder and its record go too: the item is back.
        let _ = fs::remove_file(entry.folder.join(RECORD_FILE));
        let _ = fs::remove_dir(&entry.folder);
        match record.what {
            Trashed::Client { .. } => self.reload_client(&destination),
            Trashed::Session { client, session } => {
                // What is back on disk is what this practice now knows the file holds.
                self.remember(&destination);
                self.add_session_entry(&client, session);
            }
            Trashed::Version { client, .. } => {
                self.rescan_client(&client);
            }
        }
        Ok(())
    }

    /// Moves a version of a session that was not kept to the trash: a conflict
    /// copy's file (`copy`), or else the text of `version` as it was before the
    /// kept version replaced it. Either way it can be restored, as a second
    /// version beside the session.
    pub fn trash_version(
        &mut self,
        version: &Session,
        copy: Option<&Path>,
    ) -> Result<TrashEntry, TrashError> {
        let path = self.session_path(&version.client, &version.id);
        let file = match copy.and_then(|copy| copy.file_name()).and_then(|name| name.to_str()) {
            Some(name) => name.to_owned(),
            None => super::practice_folder::conflict_copy_path(&path)
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or("version.ron")
                .to_owned(),
        };
        let what = Trashed::Version { client: version.client.clone(), session: version.id.clone(), file };
        let label = version.id.as_str().to_owned();
        let entry = match copy {
            Some(copy) => {
                let entry = self.move_to_trash(copy, what, &label)?;
                self.forget(copy);
                entry
            }
            None => {
                let text = version.to_ron().map_err(|error| TrashError::Io {
                    path: path.clone(),
                    source: std::io::Error::other(error),
                })?;
                let (entry, item) = self.new_trash_entry(&path, what, &label)?;
                super::atomic::write_new_file(&item, text.as_bytes())
                    .map_err(|source| TrashError::Io { path: item.clone(), source })?;
                entry
            }
        };
        let client = version.client.clone();
        self.rescan_client(&client);
        Ok(entry)
    }

    fn move_to_trash(&mut self, path: &Path, what: Trashed, label: &str) -> Result<TrashEntry, TrashError> {
        if !path.exists() {
            return Err(TrashError::Missing(path.to_owned()));
        }
        let (entry, item) = self.new_trash_entry(path, what, label)?;
        fs::rename(path, item).map_err(|source| TrashError::Io { path: path.to_owned(), source })?;
        Ok(entry)
    }

    /// A new entry folder in the trash, with its record saying `what` came from
    /// `path`; returns it and where its item goes.
    fn new_trash_entry(
        &mut self,
        path: &Path,
        what: Trashed,
        label: &str,
    ) -> Result<(TrashEntry, PathBuf), TrashError> {
        let now = jiff::Zoned::now().datetime().round(jiff::Unit::Second).unwrap_or_default();
        let trash = self.root().join(TRASH_FOLDER);
        let mut folder = trash.join(format!("{}-{label}", now.strftime("%Y%m%d-%H%M%S")));
        let mut counter = 2;
        while folder.exists() {
            folder = trash.join(format!("{}-{label}-{counter}", now.strftime("%Y%m%d-%H%M%S")));
            counter += 1;
        }
        let io_error = |path: &Path| {
            let path = path.to_owned();
            move |source| TrashError::Io { path, source }
        };
        create_private_folder(&folder).map_err(io_error(&folder))?;
        let original = path.strip_prefix(self.root()).unwrap_or(path).to_owned();
        let record = TrashRecord { what, original, trashed_at: now };
        let text = record
            .to_ron()
            .map_err(|error| TrashError::Io { path: folder.clone(), source: std::io::Error::other(error) })?;
        write_atomically(&folder.join(RECORD_FILE), text.as_bytes()).map_err(io_error(&folder))?;
        let item = folder.join(ITEM_NAME);
        Ok((TrashEntry { folder, record }, item))
    }
}
