//! A practice folder on disk: its settings, its clients and their sessions.
//!
//! ```text
//! practice.ron                              the practice's settings
//! clients/<client-id>/client.ron            one client's profile
//! clients/<client-id>/sessions/<id>.ron     one session of that client
//! trash/                                    what was deleted, restorable
//! ```
//!
//! Opening a practice reads every client profile but only lists the session
//! files, so that a clinic with a decade of history opens at once; a client's
//! sessions are read when they are asked for.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use super::atomic::{create_private_folder, write_atomically};
use super::format::{Fingerprint, KeptFile, Place, ReadFile, fingerprint_on_disk, newer_message, read_file};
use super::problem::Problem;
use super::writer::{Done, FileWrite, Job, What};
use crate::model::{Client, ClientId, PracticeSettings, Session, SessionId};

pub const SETTINGS_FILE: &str = "practice.ron";
/// The clinic's own safety rules, beside the settings; absent until the clinic makes some.
pub const SAFETY_RULES_FILE: &str = "safety_rules.ron";
pub const CLIENTS_FOLDER: &str = "clients";
pub const CLIENT_FILE: &str = "client.ron";
pub const SESSIONS_FOLDER: &str = "sessions";
pub const TRASH_FOLDER: &str = "trash";
/// What a practice folder holds directly; anything else there is said.
pub(super) const ROOT_ENTRIES: [&str; 5] =
    [SETTINGS_FILE, SAFETY_RULES_FILE, CLIENTS_FOLDER, TRASH_FOLDER, super::audit::AUDIT_FOLDER];
/// Part of the name of a copy kept when a save found the file changed elsewhere.
pub use super::conflicts::CONFLICT_MARK;

/// Why a practice could not be opened at all. (Problems with single files do not
/// stop it opening: they are listed in [`Practice::problems`].)
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "{0} is not a Knotmap practice (it has no {SETTINGS_FILE}) and is not empty; \
         choose an empty folder or an existing practice"
    )]
    NotAPractice(PathBuf),
    #[error("{0} is a file, not a folder; a practice is a folder")]
    NotAFolder(PathBuf),
    #[error("there is no folder {0}; check the path, or give an empty folder to start a new practice there")]
    Missing(PathBuf),
    #[error("cannot create the practice folder {path}: {source}")]
    Create { path: PathBuf, source: std::io::Error },
}

/// Why a save did not replace the file.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{path} is read-only here: {why}")]
    ReadOnly { path: PathBuf, why: String },
    #[error(
        "{path} was changed elsewhere since it was opened, so it was not overwritten; \
         your version was kept as {kept_as}"
    )]
    ChangedElsewhere { path: PathBuf, kept_as: PathBuf },
    /// The file (or its client's folder) was removed elsewhere while open here:
    /// the edit was written back in its place, so that nothing is lost.
    #[error(
        "{path} was removed elsewhere (another laptop, or a sync) while it was open here; your edit was \
         written back to it, so nothing is lost. Move it to the trash again if it should go"
    )]
    RemovedElsewhere { path: PathBuf },
    #[error("cannot save {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot save {path}: {message}")]
    Invalid { path: PathBuf, message: String },
    /// What stands where the file should be is not a file Knotmap may replace
    /// (a pipe, a device, a folder, a file far too large): it is left as it is.
    #[error("cannot save {}: {}", problem.path.display(), problem.message)]
    NotAFile { problem: Problem },
    /// Written, but the audit trail could not take the entry.
    #[error("the change to {path} was saved, but could not be added to the audit trail: {source}")]
    NotLogged { path: PathBuf, source: std::io::Error },
}

impl SaveError {
    /// Whether the edit is as safe as this save can make it: kept beside a file
    /// someone else changed, written back where it was removed, or refused for
    /// good (a read-only file). Trying again would only make more copies, or
    /// fail again.
    pub fn is_settled(&self) -> bool {
        matches!(
            self,
            SaveError::ChangedElsewhere { .. }
                | SaveError::ReadOnly { .. }
                | SaveError::RemovedElsewhere { .. }
                | SaveError::NotLogged { .. }
        )
    }
}

/// A client of the practice: the profile, and the IDs of their session files.
#[derive(Clone, Debug)]
pub struct ClientEntry {
    pub client: Client,
    /// Session IDs, in the order their files sort (by the planned start).
    pub sessions: Vec<SessionId>,
}

/// An open practice folder.
#[derive(Debug)]
pub struct Practice {
    pub(super) root: PathBuf,
    pub(super) settings: PracticeSettings,
    /// The clinic's own safety rules, loosenings left out.
    pub(super) clinic_rules: std::sync::Arc<crate::model::ClinicRules>,
    /// Why `safety_rules.ron` cannot be read, while it cannot (the last rules
    /// read are kept meanwhile, and the gate stays shut).
    pub(super) clinic_rules_unreadable: Option<Problem>,
    pub(super) clients: BTreeMap<ClientId, ClientEntry>,
    pub(super) problems: Vec<Problem>,
    /// What each file held when last read or written, to notice changes by others.
    pub(super) known: HashMap<PathBuf, Fingerprint>,
    /// Files that must not be written, with the reason.
    pub(super) read_only: HashMap<PathBuf, String>,
    /// Counts changes to the client list (added, renamed, trashed, restored), so a
    /// view of it knows when to sort again.
    pub(super) revision: u64,
    /// The session files of client folders whose profile cannot be read: not
    /// listed as clients, but still health data that `knotmap check` reads.
    pub(super) without_profile: BTreeMap<ClientId, Vec<SessionId>>,
}

impl Practice {
    /// Opens the practice at `root` to work in, creating an empty one if the
    /// folder is missing or empty, and removing the temporary files left by
    /// saves a crash interrupted (each is listed among the problems, so that
    /// nothing the app leaves behind goes unsaid). `knotmap check`, which
    /// writes nothing, uses [`Practice::open`] and only lists them.
    pub fn open_or_create(root: &Path) -> Result<Practice, OpenError> {
        let settings_path = root.join(SETTINGS_FILE);
        if !root.exists() || (root.is_dir() && !settings_path.exists() && folder_is_empty(root)) {
            Practice::create(root)?;
        }
        let mut practice = Practice::open(root)?;
        practice.remove_leftovers();
        Ok(practice)
    }

    /// Removes the leftover temporary files listed at opening, saying so for each.
    fn remove_leftovers(&mut self) {
        for problem in &mut self.problems {
            if !problem.message.starts_with(LEFTOVER_MESSAGE) {
                continue;
            }
            problem.message = match fs::remove_file(&problem.path) {
                Ok(()) => format!("{LEFTOVER_MESSAGE}; it was removed"),
                Err(error) => format!("{LEFTOVER_MESSAGE}; it could not be removed ({error})"),
            };
        }
    }

    /// Writes the files of a new, empty practice at `root`.
    fn create(root: &Path) -> Result<(), OpenError> {
        let create_error = |source| OpenError::Create { path: root.to_owned(), source };
        create_private_folder(&root.join(CLIENTS_FOLDER)).map_err(create_error)?;
        create_private_folder(&root.join(TRASH_FOLDER)).map_err(create_error)?;
        let text = PracticeSettings::default()
            .to_ron()
            .map_err(|error| create_error(std::io::Error::other(error)))?;
        write_atomically(&root.join(SETTINGS_FILE), text.as_bytes()).map_err(create_error)
    }

    /// Opens an existing practice. Unreadable files are listed as problems and
    /// the rest opens.
    pub fn open(root: &Path) -> Result<Practice, OpenError> {
        if root.is_file() {
            return Err(OpenError::NotAFolder(root.to_owned()));
        }
        if std::fs::symlink_metadata(root).is_err() {
            return Err(OpenError::Missing(root.to_owned()));
        }
        let settings_path = root.join(SETTINGS_FILE);
        if !settings_path.exists() {
            return Err(OpenError::NotAPractice(root.to_owned()));
        }
        let mut practice = Practice {
            root: root.to_owned(),
            settings: PracticeSettings::default(),
            clinic_rules: std::sync::Arc::default(),
            clinic_rules_unreadable: None,
            clients: BTreeMap::new(),
            problems: Vec::new(),
            known: HashMap::new(),
            read_only: HashMap::new(),
            revision: 0,
            without_profile: BTreeMap::new(),
        };
        match practice.read::<PracticeSettings>(&settings_path) {
            Some(settings) => practice.settings = settings,
            None => {
                // The defaults stand in, but the file keeps what it has.
                practice.read_only.insert(settings_path, "the settings file could not be read".to_owned());
            }
        }

        practice.read_clinic_rules();
        // Opening writes nothing: a missing clients folder is simply no clients yet.
        let clients_folder = root.join(CLIENTS_FOLDER);
        practice.problems.extend(unexpected_entries(root, &ROOT_ENTRIES));
        let client_folders = practice.list_folder(&clients_folder, Expect::Folders);
        let scanned = scan_clients_in_parallel(&client_folders);
        for scan in scanned {
            practice.take_scan(scan);
        }
        practice.problems.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(practice)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn settings(&self) -> &PracticeSettings {
        &self.settings
    }

    /// Every problem found so far, for the problems panel.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The clients, by ID.
    pub fn clients(&self) -> impl Iterator<Item = &ClientEntry> {
        self.clients.values()
    }

    /// The session files of each client folder whose profile cannot be read.
    pub fn sessions_without_profile(&self) -> impl Iterator<Item = (&ClientId, &[SessionId])> {
        self.without_profile.iter().map(|(client, sessions)| (client, sessions.as_slice()))
    }

    /// Changes whenever the client list does (a client added, renamed, trashed or restored).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn client_count(&self) -> usize {
        self.clients.len()
    }

    pub fn client(&self, id: &ClientId) -> Option<&ClientEntry> {
        self.clients.get(id)
    }

    /// Why the file at `path` must not be written, if it must not.
    pub fn read_only_reason(&self, path: &Path) -> Option<&str> {
        self.read_only.get(path).map(String::as_str)
    }

    pub fn settings_path(&self) -> PathBuf {
        self.root.join(SETTINGS_FILE)
    }

    pub fn client_folder(&self, id: &ClientId) -> PathBuf {
        self.root.join(CLIENTS_FOLDER).join(id.as_str())
    }

    pub fn client_path(&self, id: &ClientId) -> PathBuf {
        self.client_folder(id).join(CLIENT_FILE)
    }

    pub fn session_path(&self, client: &ClientId, session: &SessionId) -> PathBuf {
        self.client_folder(client).join(SESSIONS_FOLDER).join(format!("{session}.ron"))
    }

    /// Reads the sessions of `client`, oldest first. Unreadable ones are added
    /// to the problems and left out.
    pub fn read_sessions(&mut self, client: &ClientId) -> Vec<Session> {
        let ids = self.clients.get(client).map(|entry| entry.sessions.clone()).unwrap_or_default();
        let mut sessions: Vec<Session> = ids.iter().filter_map(|id| self.read_session(client, id)).collect();
        sessions.sort_by(|a, b| a.starts_at.cmp(&b.starts_at).then_with(|| a.id.cmp(&b.id)));
        sessions
    }

    /// Reads one session, or adds why it cannot be read to the problems.
    pub fn read_session(&mut self, client: &ClientId, id: &SessionId) -> Option<Session> {
        let path = self.session_path(client, id);
        match read_session_file(&path, client, id) {
            Ok(read) => {
                self.known.insert(path.clone(), read.fingerprint);
                if let Some(problem) = read.newer_problem(&path) {
                    self.read_only.insert(path, problem.message.clone());
                    self.add_problem(problem);
                }
                Some(read.value)
            }
            Err(problem) => {
                self.read_only.insert(path, problem.message.clone());
                self.add_problem(problem);
                None
            }
        }
    }

    /// Every session file of every client, without reading them.
    pub fn session_files(&self) -> impl Iterator<Item = (&ClientId, &SessionId, PathBuf)> {
        self.clients.values().flat_map(move |entry| {
            entry
                .sessions
                .iter()
                .map(move |session| (&entry.client.id, session, self.session_path(&entry.client.id, session)))
        })
    }

    /// The clinic's own safety rules (empty when the practice has none).
    pub fn clinic_rules(&self) -> &std::sync::Arc<crate::model::ClinicRules> {
        &self.clinic_rules
    }

    pub fn safety_rules_path(&self) -> PathBuf {
        self.root.join(SAFETY_RULES_FILE)
    }

    /// The safety rules of this practice: the built-in ones with the clinic's on
    /// top; with the gate shut while the clinic's rules file cannot be read.
    pub fn safety_rules(
        &self,
    ) -> Result<crate::safety::SafetyRules<'static>, &'static crate::geometry::BodyMapError> {
        crate::safety::SafetyRules::standard().map(|rules| {
            let rules = rules.with_clinic(std::sync::Arc::clone(&self.clinic_rules));
            match &self.clinic_rules_unreadable {
                Some(problem) => rules.with_clinic_unreadable(problem.to_string()),
                None => rules,
            }
        })
    }

    /// Why the clinic's rules file cannot be read, while it cannot.
    /// The fingerprint of the file at `path` as this practice last read or wrote it.
    pub fn known_fingerprint(&self, path: &Path) -> Option<Fingerprint> {
        self.known.get(path).copied()
    }

    pub fn clinic_rules_problem(&self) -> Option<&Problem> {
        self.clinic_rules_unreadable.as_ref()
    }

    /// Reads `safety_rules.ron`, if there is one. A rule that would loosen a
    /// built-in one is reported where it is written and left out (the built-in
    /// rule holds), and the file is kept read-only until it is put right, so
    /// that no save drops what it says.
    pub(super) fn read_clinic_rules(&mut self) {
        let path = self.safety_rules_path();
        self.problems.retain(|problem| problem.path != path);
        self.read_only.remove(&path);
        self.clinic_rules_unreadable = None;
        if fs::symlink_metadata(&path).is_err() {
            self.known.remove(&path);
            self.clinic_rules = std::sync::Arc::default();
            return;
        }
        let Some(rules) = self.read::<crate::model::ClinicRules>(&path) else {
            // Unreadable: reported by `read`, and the file is left alone. The rules read last
            // are kept, never the defaults in silence, and the gate stays shut until it is put right.
            self.clinic_rules_unreadable = self.problems.iter().find(|problem| problem.path == path).cloned();
            self.remember(&path);
            return;
        };
        let (rules, loosenings) = crate::safety::without_loosenings(rules);
        if !loosenings.is_empty() {
            let text = fs::read_to_string(&path).unwrap_or_default();
            for loosening in &loosenings {
                let problem = Problem::new(&path, loosening.in_words());
                let key = format!("{:?}", loosening.flag);
                self.add_problem(match Place::Text(key, 0).in_text(&text) {
                    Some(position) => problem.at(position),
                    None => problem,
                });
            }
            self.read_only.insert(
                path,
                "it tries to loosen a built-in rule (see the problems); put it right in a text editor"
                    .to_owned(),
            );
        }
        self.clinic_rules = std::sync::Arc::new(rules);
    }

    /// Saves the clinic's safety rules.
    pub fn save_clinic_rules(&mut self, rules: &crate::model::ClinicRules) -> Result<(), SaveError> {
        self.save(&self.safety_rules_path(), rules)?;
        self.clinic_rules = std::sync::Arc::new(rules.clone());
        Ok(())
    }

    /// Saves the practice settings.
    pub fn save_settings(&mut self, settings: &PracticeSettings) -> Result<(), SaveError> {
        self.save(&self.settings_path(), settings)?;
        self.settings = settings.clone();
        Ok(())
    }

    /// Saves a client's profile, adding the client if new.
    pub fn save_client(&mut self, client: &Client) -> Result<(), SaveError> {
        self.save_now(self.snapshot_client(client))
    }

    /// Saves a session in its client's folder, adding it if new.
    pub fn save_session(&mut self, session: &Session) -> Result<(), SaveError> {
        self.save_now(self.snapshot_session(session))
    }

    /// Writes `job` on this thread, and takes in what it did.
    fn save_now(&mut self, job: Job) -> Result<(), SaveError> {
        let done = job.perform(None);
        self.settle(&done);
        done.result.map(|_| ())
    }

    /// A snapshot of saving `client`'s profile, to be written on any thread
    /// ([`Job::perform`]) and then settled here ([`Practice::settle`]).
    pub fn snapshot_client(&self, client: &Client) -> Job {
        let path = self.client_path(&client.id);
        let folder = self.client_folder(&client.id).join(SESSIONS_FOLDER);
        match self.file_write(&path, client) {
            Ok(write) => Job::replace(What::Profile(client.clone()), write, folder, None),
            Err(error) => Job::refused(What::Profile(client.clone()), error),
        }
    }

    /// A snapshot of saving `session` in its client's folder (see [`Practice::snapshot_client`]).
    pub fn snapshot_session(&self, session: &Session) -> Job {
        let what = What::Session(session.clone());
        let path = self.session_path(&session.client, &session.id);
        let Some(entry) = self.clients.get(&session.client) else {
            let message = format!("the practice has no client {}", session.client);
            return Job::refused(what, SaveError::Invalid { path, message });
        };
        let write = match self.file_write(&path, session) {
            Ok(write) => write,
            Err(error) => return Job::refused(what, error),
        };
        // Should the client's folder be removed elsewhere, its profile comes back with the edit.
        let client_path = self.client_path(&session.client);
        let profile =
            self.known.contains_key(&client_path).then(|| self.file_write(&client_path, &entry.client));
        let folder = self.client_folder(&session.client).join(SESSIONS_FOLDER);
        Job::replace(what, write, folder, profile.and_then(Result::ok))
    }

    /// A snapshot of keeping this laptop's version of `session`, while two
    /// versions wait, in its own second-version file beside the session: a new
    /// conflict copy the first time, then `into`, the one made then.
    pub fn snapshot_second_version(&self, session: &Session, into: Option<&Path>) -> Job {
        let path = self.session_path(&session.client, &session.id);
        match session.to_ron() {
            Ok(text) => Job::beside(session.clone(), path, into.map(Path::to_owned), text),
            Err(error) => Job::refused(
                What::SecondVersion(session.clone()),
                SaveError::Invalid { path, message: error.to_string() },
            ),
        }
    }

    /// Takes in what a save did: what each file written holds now, and the
    /// client or session it added.
    pub fn settle(&mut self, done: &Done) {
        for (path, fingerprint) in &done.wrote {
            self.known.insert(path.clone(), *fingerprint);
        }
        match &done.what {
            What::Profile(client) => {
                let written = done.wrote.iter().any(|(path, _)| *path == self.client_path(&client.id));
                if written {
                    self.revision += 1;
                    self.clients
                        .entry(client.id.clone())
                        .and_modify(|entry| entry.client = client.clone())
                        .or_insert_with(|| ClientEntry { client: client.clone(), sessions: Vec::new() });
                }
            }
            What::Session(session) => self.add_session_entry(&session.client, session.id.clone()),
            What::SecondVersion(_) => {}
        }
    }

    /// Writes `value` to `path` unless it is read-only or was changed elsewhere
    /// since this practice last read or wrote it. In that case the new text is
    /// kept beside it as a conflict copy, so no edit is lost.
    pub(super) fn save<T: KeptFile>(&mut self, path: &Path, value: &T) -> Result<(), SaveError> {
        let write = self.file_write(path, value)?;
        let mut wrote = Vec::new();
        let result = write.perform(&mut wrote);
        for (path, fingerprint) in wrote {
            self.known.insert(path, fingerprint);
        }
        result
    }

    /// A snapshot of writing `value` to `path`: refused at once when the file is
    /// read-only or the value not valid.
    fn file_write<T: KeptFile>(&self, path: &Path, value: &T) -> Result<FileWrite, SaveError> {
        if let Some(why) = self.read_only.get(path) {
            return Err(SaveError::ReadOnly { path: path.to_owned(), why: why.clone() });
        }
        value
            .check()
            .map_err(|invalid| SaveError::Invalid { path: path.to_owned(), message: invalid.message })?;
        let text = value
            .to_ron()
            .map_err(|error| SaveError::Invalid { path: path.to_owned(), message: error.to_string() })?;
        Ok(FileWrite {
            path: path.to_owned(),
            text,
            known: self.known.get(path).copied(),
            root: self.root.clone(),
        })
    }

    /// Reads a kept file, remembering what it held; a problem is recorded and
    /// the file marked read-only if it cannot be read.
    fn read<T: KeptFile>(&mut self, path: &Path) -> Option<T> {
        let read = if is_link(path) { Err(Problem::new(path, LINK_MESSAGE)) } else { read_file::<T>(path) };
        match read {
            Ok(read) => {
                self.known.insert(path.to_owned(), read.fingerprint);
                if let Some(problem) = read.newer_problem(path) {
                    self.read_only.insert(path.to_owned(), problem.message.clone());
                    self.add_problem(problem);
                }
                Some(read.value)
            }
            Err(problem) => {
                self.read_only.insert(path.to_owned(), problem.message.clone());
                self.add_problem(problem);
                None
            }
        }
    }

    pub(super) fn add_problem(&mut self, problem: Problem) {
        if !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }

    fn list_folder(&mut self, folder: &Path, expect: Expect) -> Vec<PathBuf> {
        let (paths, problems) = list_folder(folder, expect);
        self.problems.extend(problems);
        paths
    }

    /// Records what the file at `path` holds now, as if this practice had read it.
    pub(super) fn remember(&mut self, path: &Path) {
        if let Ok(Some(fingerprint)) = fingerprint_on_disk(path) {
            self.known.insert(path.to_owned(), fingerprint);
        }
    }

    /// Forgets what was read from `path`, for the trash after moving it away.
    pub(super) fn forget(&mut self, path: &Path) {
        self.known.retain(|known, _| !known.starts_with(path));
        self.read_only.retain(|known, _| !known.starts_with(path));
    }

    pub(super) fn remove_client_entry(&mut self, id: &ClientId) {
        self.revision += 1;
        self.clients.remove(id);
    }

    pub(super) fn remove_session_entry(&mut self, client: &ClientId, session: &SessionId) {
        if let Some(entry) = self.clients.get_mut(client) {
            entry.sessions.retain(|id| id != session);
        }
    }

    /// Reads the client at `folder` again after it came back from the trash.
    pub(super) fn reload_client(&mut self, folder: &Path) {
        self.revision += 1;
        self.take_scan(scan_client(folder));
    }

    /// Takes in what was found in one client's folder. A profile that cannot be
    /// read is marked read-only, so that no save replaces it.
    pub(super) fn take_scan(&mut self, scan: ClientScan) {
        let profile_path = scan.folder.join(CLIENT_FILE);
        match scan.client {
            Some((client, fingerprint, newer)) => {
                self.known.insert(profile_path.clone(), fingerprint);
                if let Some(version) = newer {
                    self.read_only.insert(profile_path, newer_message(Client::WHAT, version));
                }
                self.clients.insert(client.id.clone(), ClientEntry { client, sessions: scan.sessions });
            }
            None => {
                if let Some(problem) = scan.problems.iter().find(|problem| problem.path == profile_path) {
                    self.read_only.insert(profile_path, problem.message.clone());
                }
                let folder_name = scan.folder.file_name().and_then(|name| name.to_str()).unwrap_or_default();
                if let Ok(client) = ClientId::new(folder_name)
                    && !scan.sessions.is_empty()
                {
                    self.without_profile.insert(client, scan.sessions);
                }
            }
        }
        self.problems.extend(scan.problems);
    }

    pub(super) fn add_session_entry(&mut self, client: &ClientId, session: SessionId) {
        if let Some(entry) = self.clients.get_mut(client)
            && let Err(index) = entry.sessions.binary_search(&session)
        {
            entry.sessions.insert(index, session);
        }
    }
}

/// Reads the session file at `path`, which the layout says is session `id` of
/// `client`, and checks that the file says so too.
pub fn read_session_file(
    path: &Path,
    client: &ClientId,
    id: &SessionId,
) -> Result<ReadFile<Session>, Problem> {
    let bytes = super::format::read_limited(path)?;
    read_session_bytes(path, &bytes, client, id)
}

/// [`read_session_file`] of bytes already read from `path`.
pub fn read_session_bytes(
    path: &Path,
    bytes: &[u8],
    client: &ClientId,
    id: &SessionId,
) -> Result<ReadFile<Session>, Problem> {
    let read = super::format::parse_file::<Session>(path, bytes)?;
    let mismatch = if read.value.id != *id {
        Some("id")
    } else if read.value.client != *client {
        Some("client")
    } else {
        None
    };
    if let Some(field) = mismatch {
        let problem = Problem::new(
            path,
            format!(
                "this session says it is {} of client {}, but its file is {id} of client {client}; \
                 it was left as it is",
                read.value.id, read.value.client
            ),
        );
        return Err(at_field(problem, bytes, field));
    }
    Ok(read)
}

/// A fresh name beside `path` for a copy that must not replace anything.
pub(super) fn conflict_copy_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("file");
    let stamp = jiff::Zoned::now().strftime("%Y%m%d-%H%M%S").to_string();
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut candidate = folder.join(format!("{stem}{CONFLICT_MARK}{stamp}.ron"));
    let mut counter = 2;
    while candidate.exists() {
        candidate = folder.join(format!("{stem}{CONFLICT_MARK}{stamp}-{counter}.ron"));
        counter += 1;
    }
    candidate
}

/// A problem for each conflict copy directly in `folder`: the copies kept beside
/// `practice.ron` and `client.ron`, whose folders are otherwise not listed.
/// A problem for each entry of `folder` that is not one of `expected` (conflict
/// copies get a message of their own). Hidden entries are passed over.
pub(super) fn unexpected_entries(folder: &Path, expected: &[&str]) -> Vec<Problem> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut problems: Vec<Problem> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let name = name.to_str().unwrap_or("?");
            if name.starts_with('.') {
                leftover(&entry.path(), name)
            } else if expected.contains(&name) {
                None
            } else if let Some(problem) = conflict_problem(&entry.path(), name, |stem| {
                expected.iter().any(|expected| expected.strip_suffix(".ron") == Some(stem))
            }) {
                Some(problem)
            } else {
                Some(Problem::new(
                    entry.path(),
                    format!(
                        "this does not belong to the practice layout (this folder holds only {}); it was passed over",
                        expected.join(", ")
                    ),
                ))
            }
        })
        .collect();
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    problems
}

/// How old a temporary file of a save must be before it counts as left over by
/// a save that never finished. A save takes milliseconds; a temporary file of
/// another laptop's save that a sync tool carried here mid-save is renamed or
/// gone within seconds. Ten minutes leaves every save in flight alone.
pub const LEFTOVER_AFTER: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// The start of what a leftover temporary file's problem says.
pub const LEFTOVER_MESSAGE: &str = "a temporary file left by a save that was interrupted (a crash or a power \
                                    cut); the file being saved is intact";

/// A problem for a temporary file of Knotmap's own saves (`.knotmap-*.tmp`)
/// old enough to be left over; `None` for anything else, or a save in flight.
fn leftover(path: &Path, name: &str) -> Option<Problem> {
    if !(name.starts_with(".knotmap-") && name.ends_with(".tmp")) {
        return None;
    }
    let modified = fs::symlink_metadata(path).and_then(|metadata| metadata.modified()).ok()?;
    let age = std::time::SystemTime::now().duration_since(modified).unwrap_or_default();
    (age >= LEFTOVER_AFTER).then(|| {
        Problem::new(path, format!("{LEFTOVER_MESSAGE}; opening the practice in Knotmap removes it"))
    })
}

/// The problem a conflict copy is: a second version of a file, named with both paths.
fn conflict_problem(path: &Path, name: &str, is_original: impl Fn(&str) -> bool) -> Option<Problem> {
    let copy = super::conflicts::conflict_copy(name, is_original)?;
    let original = path.with_file_name(&copy.original);
    // OneDrive's naming is only a dash and a computer's name: without the file it
    // is a version of beside it, it is a stray file with capitals, not a copy.
    if copy.tool == super::conflicts::SyncTool::OneDrive && !original.exists() {
        return None;
    }
    Some(Problem::new(
        path,
        format!(
            "a second version of {} kept by {} when two laptops changed it at once; both are kept: \
             compare the two, keep what is right, and move the other to the trash",
            original.display(),
            copy.tool.name()
        ),
    ))
}

const LINK_MESSAGE: &str =
    "this is a link; Knotmap does not follow links inside a practice folder, so it was passed over";

/// `name` as a file name Knotmap makes for it (a laptop's, a practice's): letters,
/// digits, `-` and `_`, anything else as `_`; `fallback` when nothing is left.
pub(super) fn safe_file_name(name: &str, fallback: &str) -> String {
    let safe: String =
        name.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if safe.is_empty() { fallback.to_owned() } else { safe }
}

pub(super) fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|metadata| metadata.file_type().is_symlink())
}

fn folder_is_empty(folder: &Path) -> bool {
    fs::read_dir(folder).map(|mut entries| entries.next().is_none()).unwrap_or(false)
}

/// What a folder of the layout should hold.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Expect {
    /// Client folders, named by client ID.
    Folders,
    /// Session files, named `<session-id>.ron`.
    SessionFiles,
    /// The trash's entry folders (`<when>-<id>`).
    TrashEntries,
}

/// The entries of `folder` that follow the layout, and a problem for each that
/// does not. Links are never followed; hidden files (a sync tool's, a leftover
/// temporary file) are passed over.
pub(super) fn list_folder(folder: &Path, expect: Expect) -> (Vec<PathBuf>, Vec<Problem>) {
    let mut paths = Vec::new();
    let mut problems = Vec::new();
    // A linked folder may lead anywhere, out of the practice too: never listed.
    if is_link(folder) {
        problems.push(Problem::new(folder, LINK_MESSAGE));
        return (paths, problems);
    }
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return (paths, problems),
        Err(error) => {
            problems.push(Problem::new(folder, format!("cannot list this folder: {error}")));
            return (paths, problems);
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                problems.push(Problem::new(folder, format!("cannot list this folder: {error}")));
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            problems.push(Problem::new(&path, "this name is not valid text; it was passed over"));
            continue;
        };
        if name.starts_with('.') {
            problems.extend(leftover(&path, name));
            continue;
        }
        let file_type = match entry.file_type() {
            Ok(file_type) => file_type,
            Err(error) => {
                problems.push(Problem::new(&path, format!("cannot look at this entry: {error}")));
                continue;
            }
        };
        if file_type.is_symlink() {
            problems.push(Problem::new(&path, LINK_MESSAGE));
            continue;
        }
        let fits = match expect {
            Expect::Folders => file_type.is_dir() && ClientId::new(name).is_ok(),
            Expect::SessionFiles => {
                file_type.is_file()
                    && name.strip_suffix(".ron").is_some_and(|stem| SessionId::new(stem).is_ok())
            }
            Expect::TrashEntries => file_type.is_dir(),
        };
        if fits {
            paths.push(path);
        } else if let Some(problem) = conflict_problem(&path, name, |stem| match expect {
            Expect::Folders => ClientId::new(stem).is_ok(),
            Expect::SessionFiles => SessionId::new(stem).is_ok(),
            Expect::TrashEntries => false,
        }) {
            problems.push(problem);
        } else {
            let expected = match expect {
                Expect::Folders => "only client folders (named by client ID)",
                Expect::SessionFiles => "only session files named <session-id>.ron",
                Expect::TrashEntries => "only the folders of trashed items",
            };
            // A name that would be an ID but for its capitals: say that IDs are lower case.
            let stem = name.strip_suffix(".ron").unwrap_or(name);
            let lower = stem.to_lowercase();
            let would_be = match expect {
                Expect::Folders => ClientId::new(&lower).is_ok(),
                Expect::SessionFiles => name.ends_with(".ron") && SessionId::new(&lower).is_ok(),
                Expect::TrashEntries => false,
            };
            let hint = if would_be && lower != stem {
                let renamed = if name.ends_with(".ron") { format!("{lower}.ron") } else { lower };
                format!("; IDs are lower case, so rename it `{renamed}` for Knotmap to read it")
            } else {
                String::new()
            };
            problems.push(Problem::new(
                &path,
                format!(
                    "this does not belong to the practice layout (this folder holds {expected}); it was passed \
                     over{hint}"
                ),
            ));
        }
    }
    // All in one folder: ordered by name, which is what ordering the whole paths
    // gives, without comparing their folders' components again for each pair.
    paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    (paths, problems)
}

/// What was found in one client's folder.
pub(super) struct ClientScan {
    pub folder: PathBuf,
    pub client: Option<(Client, Fingerprint, Option<u32>)>,
    pub sessions: Vec<SessionId>,
    pub problems: Vec<Problem>,
}

/// Reads one client's profile and lists (without reading) their session files.
pub(super) fn scan_client(folder: &Path) -> ClientScan {
    let folder_name = folder.file_name().and_then(|name| name.to_str()).unwrap_or_default();
    scan_client_named(folder, folder_name)
}

/// [`scan_client`] for a client folder whose profile must say it is client
/// `folder_name`: the folder's own name in the practice, or the client's ID for
/// a folder kept in the trash (where it is named `item`).
pub(super) fn scan_client_named(folder: &Path, folder_name: &str) -> ClientScan {
    let mut scan =
        ClientScan { folder: folder.to_owned(), client: None, sessions: Vec::new(), problems: Vec::new() };
    scan.problems.extend(unexpected_entries(folder, &[CLIENT_FILE, SESSIONS_FOLDER]));
    let profile_path = folder.join(CLIENT_FILE);
    if !profile_path.exists() && !is_link(&profile_path) {
        scan.problems.push(Problem::new(
            &profile_path,
            format!(
                "the client folder {folder_name} has no {CLIENT_FILE} profile, so the client is not listed; \
                 their sessions are still checked. Restore the profile (from a backup or the trash) to see them"
            ),
        ));
    } else {
        match read_profile(&profile_path, folder_name) {
            Ok(read) => {
                scan.problems.extend(read.newer_problem(&profile_path));
                scan.client = Some((read.value, read.fingerprint, read.newer_format));
            }
            Err(problem) => scan.problems.push(problem),
        }
    }
    // Listed whether or not the profile reads: a session is health data to check either way.
    let (session_files, problems) = list_folder(&folder.join(SESSIONS_FOLDER), Expect::SessionFiles);
    scan.problems.extend(problems);
    scan.sessions = session_files
        .iter()
        .filter_map(|path| path.file_stem()?.to_str())
        .filter_map(|stem| SessionId::new(stem).ok())
        .collect();
    // Sorted by ID, not by file name (they differ around `-` and `.`): the entry is binary-searched.
    scan.sessions.sort();
    scan
}

/// Reads the profile at `path` in the client folder `folder_name`, which the
/// profile's `id` must name.
fn read_profile(path: &Path, folder_name: &str) -> Result<ReadFile<Client>, Problem> {
    let bytes = super::format::read_limited(path)?;
    let read = super::format::parse_file::<Client>(path, &bytes)?;
    if read.value.id.as_str() != folder_name {
        let problem = Problem::new(
            path,
            format!(
                "this profile says it is client {}, but its folder is named {folder_name}; it was left as it is",
                read.value.id
            ),
        );
        return Err(at_field(problem, &bytes, "id"));
    }
    Ok(read)
}

/// `problem`, pointed at the field `name` of the file whose bytes are `bytes`.
fn at_field(problem: Problem, bytes: &[u8], name: &'static str) -> Problem {
    let text = String::from_utf8_lossy(bytes);
    match Place::Field(name).in_text(&text) {
        Some(position) => problem.at(position),
        None => problem,
    }
}

/// Scans client folders on every core: opening a large practice is mostly
/// waiting for the disk and parsing profiles, which parallelise well.
fn scan_clients_in_parallel(folders: &[PathBuf]) -> Vec<ClientScan> {
    crate::cores::on_every_core(folders, |folder| scan_client(folder))
}
