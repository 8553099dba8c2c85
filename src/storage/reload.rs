//! Reading again what changed on disk while the practice is open: another
//! laptop's save carried in by a sync tool, a file put back from a backup, a
//! client trashed elsewhere. Each reader compares what is on disk now with the
//! fingerprint of what this practice last read or wrote, so that its own saves
//! are recognised and passed over.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::conflicts::{ConflictCopy, conflict_copy};
use super::format::{Fingerprint, KeptFile, ReadFile, fingerprint_on_disk, read_file};
use super::practice_folder::{
    CLIENT_FILE, CLIENTS_FOLDER, Practice, SAFETY_RULES_FILE, SESSIONS_FOLDER, SETTINGS_FILE, SaveError,
    TRASH_FOLDER, read_session_file, scan_client, unexpected_entries,
};
use super::presence::PRESENCE_MARK;
use super::problem::Problem;
use crate::model::{ClientId, PracticeSettings, Session, SessionId};

/// What a path inside the practice folder is, to know what to read again.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PracticePath {
    /// `practice.ron`.
    Settings,
    /// `safety_rules.ron`.
    SafetyRules,
    /// Anything else directly in the practice folder (a conflict copy of the settings).
    Root,
    /// A client's folder, profile, or anything in it that is not a session.
    Client(ClientId),
    /// A session file, or a conflict copy of one.
    Session(ClientId, SessionId),
    /// A presence file: a laptop saying it has a session open for editing.
    Presence(ClientId, SessionId),
    /// The trash, or a file outside the practice.
    Elsewhere,
}

/// What a session file holds now, compared with what this practice last read or wrote.
#[derive(Debug)]
pub enum SessionOnDisk {
    /// What was last read or written here: nothing changed, or it was this laptop's own save.
    Same,
    /// Someone else changed it.
    Changed(Box<ReadFile<Session>>),
    /// It is gone: moved to the trash elsewhere, or never written yet.
    Gone,
    /// It cannot be read now (a sync caught half-way, or a broken edit).
    Unreadable(Problem),
}

/// How a client's folder changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientOnDisk {
    Unchanged,
    Added,
    /// The profile or the list of session files changed.
    Changed,
    Removed,
}

impl Practice {
    /// What `path` is in this practice.
    pub fn what_is(&self, path: &Path) -> PracticePath {
        let Ok(relative) = path.strip_prefix(&self.root) else {
            return PracticePath::Elsewhere;
        };
        let parts: Vec<&str> = relative.components().filter_map(|part| part.as_os_str().to_str()).collect();
        match parts.as_slice() {
            [] => PracticePath::Root,
            [name] if *name == SETTINGS_FILE => PracticePath::Settings,
            [name] if *name == SAFETY_RULES_FILE => PracticePath::SafetyRules,
            [first, ..] if *first == TRASH_FOLDER => PracticePath::Elsewhere,
            // The audit trail is appended to, never read back into the window.
            [first, ..] if *first == super::audit::AUDIT_FOLDER => PracticePath::Elsewhere,
            [_] => PracticePath::Root,
            [clients, client, rest @ ..] if *clients == CLIENTS_FOLDER => {
                let Ok(client) = ClientId::new(*client) else {
                    return PracticePath::Root;
                };
                match rest {
                    [sessions, name] if *sessions == SESSIONS_FOLDER => {
                        session_named(name).map_or(PracticePath::Client(client.clone()), |(id, presence)| {
                            if presence {
                                PracticePath::Presence(client, id)
                            } else {
                                PracticePath::Session(client, id)
                            }
                        })
                    }
                    _ => PracticePath::Client(client),
                }
            }
            _ => PracticePath::Elsewhere,
        }
    }

    /// Reads `practice.ron` again; true when it changed elsewhere and the new
    /// settings were taken.
    pub fn reread_settings(&mut self) -> bool {
        let path = self.settings_path();
        let Ok(read) = read_file::<PracticeSettings>(&path) else {
            // Caught half-way by a sync, or broken: the settings read before stay.
            return false;
        };
        if self.known.get(&path) == Some(&read.fingerprint) {
            return false;
        }
        self.take_read(&path, &read);
        self.settings = read.value;
        true
    }

    /// Reads `safety_rules.ron` again; true when it changed elsewhere (or went).
    pub fn reread_clinic_rules(&mut self) -> bool {
        let path = self.safety_rules_path();
        let now = fingerprint_on_disk(&path).ok().flatten();
        // Put back as it was (an editor's undo, git, a sync tool): unchanged in content
        // against what was known, but not what is in force while that could not be read.
        if now == self.known.get(&path).copied() && self.clinic_rules_unreadable.is_none() {
            return false;
        }
        self.read_clinic_rules();
        true
    }

    /// Looks again at what lies directly in the practice folder (a conflict copy
    /// of the settings appearing or going).
    pub fn rescan_root(&mut self) {
        let root = self.root.clone();
        self.problems.retain(|problem| {
            problem.path.parent() != Some(root.as_path()) || problem.path.ends_with(SETTINGS_FILE)
        });
        self.problems.extend(unexpected_entries(&root, &super::practice_folder::ROOT_ENTRIES));
        self.problems.sort_by(|a, b| a.path.cmp(&b.path));
    }

    /// Reads one client's folder again: the profile and the list of session
    /// files, and the problems found there. Session files are not read.
    pub fn rescan_client(&mut self, id: &ClientId) -> ClientOnDisk {
        let folder = self.client_folder(id);
        let profile = folder.join(CLIENT_FILE);
        let listed_before = self.clients.get(id).map(|entry| entry.sessions.clone());
        let known_before = self.known.get(&profile).copied();
        self.problems.retain(|problem| !problem.path.starts_with(&folder));
        self.without_profile.remove(id);
        if fs::symlink_metadata(&folder).is_err() {
            self.forget(&folder);
            return match listed_before {
                Some(_) => {
                    self.remove_client_entry(id);
                    ClientOnDisk::Removed
                }
                None => ClientOnDisk::Unchanged,
            };
        }
        self.read_only.remove(&profile);
        self.clients.remove(id);
        self.take_scan(scan_client(&folder));
        self.problems.sort_by(|a, b| a.path.cmp(&b.path));
        let listed_now = self.clients.get(id).map(|entry| entry.sessions.clone());
        let outcome = match (&listed_before, &listed_now) {
            (None, Some(_)) => ClientOnDisk::Added,
            (Some(_), None) => ClientOnDisk::Removed,
            (None, None) => ClientOnDisk::Unchanged,
            (Some(before), Some(now)) => {
                if before == now && known_before == self.known.get(&profile).copied() {
                    ClientOnDisk::Unchanged
                } else {
                    ClientOnDisk::Changed
                }
            }
        };
        if outcome != ClientOnDisk::Unchanged {
            self.revision += 1;
        }
        outcome
    }

    /// What session `id` of `client` holds on disk now, against what this
    /// practice last read or wrote. Nothing is recorded: see [`Practice::take_session`].
    pub fn peek_session(&self, client: &ClientId, id: &SessionId) -> SessionOnDisk {
        let path = self.session_path(client, id);
        if fs::symlink_metadata(&path).is_err() {
            return SessionOnDisk::Gone;
        }
        match read_session_file(&path, client, id) {
            Ok(read) if self.known.get(&path) == Some(&read.fingerprint) => SessionOnDisk::Same,
            Ok(read) => SessionOnDisk::Changed(Box::new(read)),
            Err(problem) => SessionOnDisk::Unreadable(problem),
        }
    }

    /// Takes a session as read from disk: what is there now is what this practice
    /// knows the file holds, and a newer file stays read-only.
    pub fn take_session(&mut self, read: &ReadFile<Session>) {
        let path = self.session_path(&read.value.client, &read.value.id);
        self.take_read(&path, read);
    }

    /// Takes what was just read from `path` as what the file holds: its old
    /// problems go, and a file from a newer Knotmap stays read-only.
    fn take_read<T: KeptFile>(&mut self, path: &Path, read: &ReadFile<T>) {
        self.problems.retain(|problem| problem.path != path);
        self.read_only.remove(path);
        if let Some(problem) = read.newer_problem(path) {
            self.read_only.insert(path.to_owned(), problem.message.clone());
            self.add_problem(problem);
        }
        self.known.insert(path.to_owned(), read.fingerprint);
    }

    /// Says that a session file could not be read just now, leaving it alone. It
    /// is not marked read-only: a sync caught half-way is whole again a moment
    /// later, and an edit saved meanwhile goes to a conflict copy, since the file
    /// no longer holds what was read.
    pub fn note_unreadable(&mut self, problem: Problem) {
        self.add_problem(problem);
    }

    /// What this practice last read from, or wrote to, `path`.
    pub fn fingerprint_of(&self, path: &Path) -> Option<Fingerprint> {
        self.known.get(path).copied()
    }

    /// Records that `path` holds what `fingerprint` says, as if read here: after
    /// the user has seen that version and chosen what to keep, a save replaces it.
    pub fn accept_fingerprint(&mut self, path: &Path, fingerprint: Fingerprint) {
        self.read_only.remove(path);
        self.known.insert(path.to_owned(), fingerprint);
    }

    /// Writes `session` beside its file as a conflict copy, for a version that must
    /// be kept but not in the file: nothing is replaced. Returns the copy's path.
    pub fn keep_as_conflict_copy(&mut self, session: &Session) -> Result<PathBuf, SaveError> {
        self.keep_second_version(session, None)
    }

    /// Keeps this laptop's version of a session that waits for the user to choose
    /// between two versions, in its own second-version file beside the session:
    /// a new conflict copy the first time, then `file`, the one made then, written
    /// over at each save (never anything else: only a regular file or nothing).
    pub fn keep_second_version(
        &mut self,
        session: &Session,
        file: Option<&Path>,
    ) -> Result<PathBuf, SaveError> {
        let done = self.snapshot_second_version(session, file).perform(None);
        let kept = done.result?;
        // A first copy is a file the practice now has; a later one only changed inside.
        if file.is_none() {
            self.rescan_client(&session.client);
        }
        kept.ok_or_else(|| SaveError::Invalid {
            path: self.session_path(&session.client, &session.id),
            message: "the second version was kept nowhere".to_owned(),
        })
    }

    /// The conflict copies beside each of `client`'s session files, by session,
    /// oldest name first: the second versions waiting to be compared.
    pub fn versions_of(&self, client: &ClientId) -> BTreeMap<SessionId, Vec<PathBuf>> {
        versions_in(&self.client_folder(client).join(SESSIONS_FOLDER))
    }
}

/// The session a file in a sessions folder belongs to, and whether the file is
/// a presence file: `<id>.ron`, a conflict copy of it, or `.<id>.editing-….ron`.
fn session_named(name: &str) -> Option<(SessionId, bool)> {
    if let Some(hidden) = name.strip_prefix('.') {
        let (stem, _) = hidden.split_once(PRESENCE_MARK)?;
        return SessionId::new(stem).ok().map(|id| (id, true));
    }
    if let Some(id) = name.strip_suffix(".ron").and_then(|stem| SessionId::new(stem).ok()) {
        return Some((id, false));
    }
    let copy = conflict_copy(name, |stem| SessionId::new(stem).is_ok())?;
    let id = copy.original.strip_suffix(".ron").and_then(|stem| SessionId::new(stem).ok())?;
    Some((id, false))
}

/// The conflict copies beside the session files in `folder`, by session,
/// oldest name first.
pub(super) fn versions_in(folder: &Path) -> BTreeMap<SessionId, Vec<PathBuf>> {
    let mut versions: BTreeMap<SessionId, Vec<PathBuf>> = BTreeMap::new();
    let Ok(entries) = fs::read_dir(folder) else {
        return versions;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') {
            continue;
        }
        let is_session = |stem: &str| SessionId::new(stem).is_ok();
        let Some(ConflictCopy { original, tool }) = conflict_copy(name, is_session) else {
            continue;
        };
        let Some(id) = original.strip_suffix(".ron").and_then(|stem| SessionId::new(stem).ok()) else {
            continue;
        };
        // OneDrive's naming counts only with the original beside it (see `conflicts`).
        if tool == super::conflicts::SyncTool::OneDrive && !folder.join(&original).exists() {
            continue;
        }
        versions.entry(id).or_default().push(entry.path());
    }
    for paths in versions.values_mut() {
        paths.sort();
    }
    versions
}
