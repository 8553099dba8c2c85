//! The workspace under the window: what was read from the practice folder (the
//! practice keeps each file's fingerprint), what the user changed (edits applied
//! as commands, with a dirty flag for each session and for the profile), and the
//! safety report and figures derived from them, computed again only when
//! something changed. Changes made on other laptops land here too
//! ([`Workspace::take_disk_changes`]): what has no unsaved edits is replaced by
//! what is on disk; what has them keeps both versions for the user to choose
//! from ([`Workspace::resolve`]). Nothing here knows the screen.

pub mod versions;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use jiff::civil::DateTime;

use crate::model::{Client, ClientId, RegionId, Session, SessionId, last_time_in_words};
use crate::safety::SafetyReport;
use crate::storage::watch::Changes;
use crate::storage::{
    ClientOnDisk, Fingerprint, Practice, PracticePath, SaveError, SessionOnDisk, TrashError, read_file,
};
use versions::{Part, Side, merged};

/// A change the user asked for, applied to the open client.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant, reason = "an edit a frame at most, moved once")]
pub enum Edit {
    /// The profile as the screen left it.
    Profile(Client),
    /// A session as the screen left it; a session the client does not have yet is added.
    Session(Session),
}

/// How the user settled two versions of a session.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolution {
    /// One session made of the chosen part of each (all of one, or some of both).
    Merge(BTreeMap<Part, Side>),
    /// Both versions stay: this one in the file, the other as a conflict copy beside it.
    KeepBoth,
}

/// Where the second version of a session came from.
#[derive(Clone, Debug, PartialEq)]
pub enum VersionFrom {
    /// Another laptop saved it while it had unsaved edits here.
    AnotherLaptop { at: DateTime, fingerprint: Fingerprint },
    /// A conflict copy beside the session file.
    Copy(PathBuf),
}

/// A second version of a session, waiting for the user to compare.
#[derive(Clone, Debug, PartialEq)]
pub struct OtherVersion {
    pub session: Session,
    pub from: VersionFrom,
}

/// A client open for editing.
#[derive(Debug)]
pub struct OpenClient {
    /// The profile as last read or written.
    read: Client,
    draft: Client,
    profile_dirty: bool,
    /// The sessions as the user sees them, oldest first (new ones last).
    sessions: Vec<Session>,
    /// The sessions as last read or written, by ID.
    read_sessions: BTreeMap<SessionId, Session>,
    /// The sessions with edits not yet written.
    dirty: BTreeSet<SessionId>,
    selected: Option<SessionId>,
    /// Versions saved elsewhere while this laptop had unsaved edits to the session.
    other_versions: BTreeMap<SessionId, OtherVersion>,
    /// Conflict copies beside the client's session files.
    conflict_copies: BTreeMap<SessionId, Vec<PathBuf>>,
}

impl OpenClient {
    pub fn client(&self) -> &Client {
        &self.draft
    }

    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    pub fn session(&self, id: &SessionId) -> Option<&Session> {
        self.sessions.iter().find(|session| &session.id == id)
    }

    pub fn selected(&self) -> Option<&SessionId> {
        self.selected.as_ref()
    }

    pub fn selected_session(&self) -> Option<&Session> {
        self.selected.as_ref().and_then(|id| self.session(id))
    }

    /// The session as last read from or written to its file.
    pub fn read_session(&self, id: &SessionId) -> Option<&Session> {
        self.read_sessions.get(id)
    }

    pub fn is_dirty(&self, id: &SessionId) -> bool {
        self.dirty.contains(id)
    }

    /// The version of `id` saved elsewhere while it had unsaved edits here.
    pub fn other_version(&self, id: &SessionId) -> Option<&OtherVersion> {
        self.other_versions.get(id)
    }

    pub fn other_versions(&self) -> impl Iterator<Item = (&SessionId, &OtherVersion)> {
        self.other_versions.iter()
    }

    /// The conflict copies beside each session's file.
    pub fn conflict_copies(&self) -> &BTreeMap<SessionId, Vec<PathBuf>> {
        &self.conflict_copies
    }
}

/// What the screen shows beside the selected session, computed when something changed.
#[derive(Debug)]
pub struct Derived {
    generation: u64,
    session: SessionId,
    pub report: SafetyReport,
    /// Each region's values at the last completed session before this one.
    pub last_time: BTreeMap<RegionId, String>,
    /// "Since the first visit …", once there are two sessions to compare.
    pub since_first: Option<String>,
}

/// What a change to the clinic's safety rules would do to the planned sessions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleEffect {
    pub warnings_added: usize,
    pub warnings_removed: usize,
    /// The planned sessions whose warnings change.
    pub sessions: usize,
}

impl RuleEffect {
    /// "This would add 3 warnings to 2 planned sessions."
    pub fn in_words(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        match (self.warnings_added, self.warnings_removed) {
            (0, 0) => "This changes no warning on the planned sessions.".to_owned(),
            (added, 0) => format!(
                "This would add {} to {}.",
                plural(added, "warning"),
                plural(self.sessions, "planned session")
            ),
            (0, removed) => format!(
                "This would take {} off {}.",
                plural(removed, "warning"),
                plural(self.sessions, "planned session")
            ),
            (added, removed) => format!(
                "This would add {} and take {} off, on {}.",
                plural(added, "warning"),
                plural(removed, "warning"),
                plural(self.sessions, "planned session")
            ),
        }
    }
}

/// What saving did.
#[derive(Debug, Default)]
pub struct Saved {
    /// Every save that did not simply replace its file.
    pub problems: Vec<SaveError>,
    /// Whether every edit is now safe: written, or kept as a conflict copy.
    pub all_safe: bool,
}

/// The practice, the open client and what was derived from them.
#[derive(Debug)]
pub struct Workspace {
    practice: Practice,
    open: Option<OpenClient>,
    /// Counts every change to the open client, so that what is derived from it
    /// is computed again only after one.
    generation: u64,
    derived: Option<Derived>,
}

impl Workspace {
    pub fn new(practice: Practice) -> Workspace {
        Workspace { practice, open: None, generation: 0, derived: None }
    }

    pub fn practice(&self) -> &Practice {
        &self.practice
    }

    pub fn practice_mut(&mut self) -> &mut Practice {
        &mut self.practice
    }

    /// Opens another practice in place of this one (the caller saved first).
    pub fn replace_practice(&mut self, practice: Practice) {
        self.practice = practice;
        self.open = None;
        self.changed();
    }

    pub fn open_client(&self) -> Option<&OpenClient> {
        self.open.as_ref()
    }

    /// Opens client `id`, reading their sessions; the latest is selected. False
    /// if the practice has no such client.
    pub fn open(&mut self, id: &ClientId) -> bool {
        let Some(entry) = self.practice.client(id) else {
            return false;
        };
        let client = entry.client.clone();
        let sessions = self.practice.read_sessions(id);
        let selected = sessions.last().map(|session| session.id.clone());
        self.open = Some(OpenClient {
            read: client.clone(),
            draft: client,
            profile_dirty: false,
            read_sessions: sessions.iter().map(|session| (session.id.clone(), session.clone())).collect(),
            sessions,
            dirty: BTreeSet::new(),
            selected,
            other_versions: BTreeMap::new(),
            conflict_copies: self.practice.versions_of(id),
        });
        self.changed();
        true
    }

    pub fn close(&mut self) {
        self.open = None;
        self.changed();
    }

    pub fn select(&mut self, id: Option<SessionId>) {
        if let Some(open) = &mut self.open {
            open.selected = id;
        }
        self.changed();
    }

    /// Applies one edit to the open client, marking what it touched as unsaved.
    pub fn apply(&mut self, edit: Edit) {
        let Some(open) = &mut self.open else { return };
        match edit {
            Edit::Profile(client) => {
                if client == open.draft {
                    return;
                }
                open.profile_dirty = client != open.read;
                open.draft = client;
            }
            Edit::Session(session) => {
                let id = session.id.clone();
                match open.sessions.iter_mut().find(|kept| kept.id == id) {
                    Some(kept) if *kept == session => return,
                    Some(kept) => *kept = session,
                    None => open.sessions.push(session),
                }
                let now = open.session(&id);
                if open.read_sessions.get(&id) == now {
                    open.dirty.remove(&id);
                } else {
                    open.dirty.insert(id);
                }
            }
        }
        self.changed();
    }

    fn changed(&mut self) {
        self.generation += 1;
    }

    /// The safety report and figures for the selected session, computed again
    /// only after a change.
    pub fn derived(&mut self) -> Option<&Derived> {
        let open = self.open.as_ref()?;
        let id = open.selected.clone()?;
        let fresh = self
            .derived
            .as_ref()
            .is_some_and(|derived| derived.generation == self.generation && derived.session == id);
        if !fresh {
            let session = open.session(&id)?;
            let previous = crate::safety::previous_session(&open.sessions, session);
            self.derived = Some(Derived {
                generation: self.generation,
                report: crate::safety::check_with(
                    self.practice.safety_rules().as_ref().map_err(|error| *error),
                    &open.draft,
                    session,
                    previous,
                ),
                last_time: previous.map(last_time_in_words).unwrap_or_default(),
                since_first: crate::history::since_first_visit(&open.sessions),
                session: id,
            });
        }
        self.derived.as_ref()
    }

    /// What `draft` would change, against the rules now, on every session still
    /// to happen (planned or ready, from `today` on): read from disk, nothing kept.
    pub fn effect_of(&self, draft: &crate::model::ClinicRules, today: jiff::civil::Date) -> RuleEffect {
        let mut effect = RuleEffect::default();
        let (Ok(now), Ok(standard)) = (self.practice.safety_rules(), crate::safety::SafetyRules::standard())
        else {
            return effect;
        };
        let then = standard.with_clinic(std::sync::Arc::new(draft.clone()));
        let from = today.strftime("%Y-%m-%d").to_string();
        for entry in self.practice.clients() {
            for id in entry.sessions.iter().filter(|id| id.as_str() >= from.as_str()) {
                let path = self.practice.session_path(&entry.client.id, id);
                let Ok(read) = crate::storage::read_session_file(&path, &entry.client.id, id) else {
                    continue;
                };
                let session = read.value;
                if session.is_locked() {
                    continue;
                }
                let count = |rules: &crate::safety::SafetyRules<'_>| {
                    rules.check_session(&entry.client, &session, None).unexplained().count()
                };
                let (before, after) = (count(&now), count(&then));
                if before != after {
                    effect.sessions += 1;
                    effect.warnings_added += after.saturating_sub(before);
                    effect.warnings_removed += before.saturating_sub(after);
                }
            }
        }
        effect
    }

    /// Saves the clinic's safety rules; what is derived from them is worked out again.
    pub fn save_clinic_rules(&mut self, rules: &crate::model::ClinicRules) -> Result<(), SaveError> {
        let saved = self.practice.save_clinic_rules(rules);
        self.changed();
        saved
    }

    /// Whether anything is not written yet. `waiting` (a session being amended,
    /// which waits for its reason) does not count.
    pub fn has_unsaved_edits(&self, waiting: Option<&SessionId>) -> bool {
        self.open.as_ref().is_some_and(|open| {
            open.profile_dirty
                || open.dirty.iter().any(|id| Some(id) != waiting && !open.other_versions.contains_key(id))
        })
    }

    /// Writes every unsaved edit except `waiting`'s and those of sessions with a
    /// second version waiting for the user.
    pub fn save(&mut self, waiting: Option<&SessionId>) -> Saved {
        let mut saved = Saved { problems: Vec::new(), all_safe: true };
        let Some(open) = &mut self.open else { return saved };
        // Retrying these would only make more copies, or fail again: the edit is as safe as it gets.
        let settled = |error: &SaveError| {
            matches!(
                error,
                SaveError::ChangedElsewhere { .. }
                    | SaveError::ReadOnly { .. }
                    | SaveError::RemovedElsewhere { .. }
            )
        };
        if open.profile_dirty {
            match self.practice.save_client(&open.draft) {
                Ok(()) => open.profile_dirty = false,
                Err(error) => {
                    open.profile_dirty = !settled(&error);
                    saved.problems.push(error);
                }
            }
            if !open.profile_dirty {
                open.read = open.draft.clone();
            }
        }
        let ready: Vec<SessionId> = open
            .dirty
            .iter()
            .filter(|id| Some(*id) != waiting && !open.other_versions.contains_key(*id))
            .cloned()
            .collect();
        for id in ready {
            let Some(session) = open.sessions.iter().find(|session| session.id == id) else {
                open.dirty.remove(&id);
                continue;
            };
            let result = self.practice.save_session(session);
            let done = match &result {
                Ok(()) => true,
                Err(error) => settled(error),
            };
            if done {
                open.read_sessions.insert(id.clone(), session.clone());
                open.dirty.remove(&id);
            }
            if let Err(error) = result {
                if matches!(error, SaveError::ChangedElsewhere { .. }) {
                    open.conflict_copies = self.practice.versions_of(&open.draft.id);
                }
                saved.problems.push(error);
            }
        }
        saved.all_safe = saved.problems.iter().all(settled);
        saved
    }

    /// Keeps every unsaved edit whose session has a second version waiting as a
    /// conflict copy, so that nothing is lost when the window closes before the
    /// user chose; the copies are offered for comparing next time.
    pub fn keep_undecided_as_copies(&mut self) -> Vec<PathBuf> {
        let Some(open) = &mut self.open else { return Vec::new() };
        let mut copies = Vec::new();
        for id in open.other_versions.keys() {
            if let Some(session) = open.sessions.iter().find(|session| &session.id == id)
                && open.dirty.contains(id)
                && let Ok(copy) = self.practice.keep_as_conflict_copy(session)
            {
                copies.push(copy);
            }
        }
        for id in std::mem::take(&mut open.other_versions).into_keys() {
            open.dirty.remove(&id);
        }
        copies
    }

    /// Takes in what changed on disk elsewhere, and says in a few words each
    /// thing the user should know (`now` dates the words).
    pub fn take_disk_changes(
        &mut self,
        changes: &Changes,
        now: DateTime,
        waiting: Option<&SessionId>,
    ) -> Vec<String> {
        let mut notes = Vec::new();
        let mut settings = changes.everything;
        let mut root = changes.everything;
        let mut rules = changes.everything;
        let mut clients: BTreeMap<ClientId, BTreeSet<SessionId>> = BTreeMap::new();
        if changes.everything {
            for entry in self.practice.clients() {
                clients.insert(entry.client.id.clone(), entry.sessions.iter().cloned().collect());
            }
            let folder = self.practice.root().join(crate::storage::CLIENTS_FOLDER);
            for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
                if let Some(id) = entry.file_name().to_str().and_then(|name| ClientId::new(name).ok()) {
                    clients.entry(id).or_default();
                }
            }
        }
        for path in &changes.paths {
            match self.practice.what_is(path) {
                PracticePath::Settings => settings = true,
                PracticePath::SafetyRules => rules = true,
                PracticePath::Root => root = true,
                PracticePath::Client(client) | PracticePath::Presence(client, _) => {
                    clients.entry(client).or_default();
                }
                PracticePath::Session(client, session) => {
                    clients.entry(client).or_default().insert(session);
                }
                PracticePath::Elsewhere => {}
            }
        }
        let at = now.strftime("%H:%M");
        if settings && self.practice.reread_settings() {
            notes.push(format!("The practice settings were updated from another laptop at {at}."));
        }
        if rules && self.practice.reread_clinic_rules() {
            notes.push(format!("The clinic's safety rules were updated from another laptop at {at}."));
        }
        if root {
            self.practice.rescan_root();
        }
        let open_id = self.open.as_ref().map(|open| open.draft.id.clone());
        for (client, sessions) in clients {
            if Some(&client) == open_id.as_ref() {
                self.reload_open_client(&sessions, now, waiting, &mut notes);
            } else {
                self.practice.rescan_client(&client);
            }
        }
        self.changed();
        notes
    }

    fn reload_open_client(
        &mut self,
        changed: &BTreeSet<SessionId>,
        now: DateTime,
        waiting: Option<&SessionId>,
        notes: &mut Vec<String>,
    ) {
        let Some(open) = &mut self.open else { return };
        let id = open.draft.id.clone();
        let name = open.draft.display_name().to_owned();
        let at = now.strftime("%H:%M");
        let profile_path = self.practice.client_path(&id);
        let has_edits = open.profile_dirty || !open.dirty.is_empty() || waiting.is_some();
        if std::fs::symlink_metadata(&profile_path).is_err() {
            if has_edits {
                // Written back where it was: the client comes back with the edit.
                let saved = self.save(waiting);
                notes.push(format!(
                    "{name} was removed on another laptop while open here; your edits were written back, so \
                     nothing is lost. Move {name} to the trash again if they should go."
                ));
                for problem in saved
                    .problems
                    .iter()
                    .filter(|problem| !matches!(problem, SaveError::RemovedElsewhere { .. }))
                {
                    notes.push(problem.to_string());
                }
                self.practice.rescan_client(&id);
            } else {
                self.practice.rescan_client(&id);
                self.open = None;
                notes.push(format!(
                    "{name} was moved to the trash on another laptop; the trash there restores them."
                ));
            }
            return;
        }
        // The profile: changed elsewhere while edited here, this laptop's version is kept as a copy first.
        let on_disk = read_file::<Client>(&profile_path).ok();
        let known = self.practice.fingerprint_of(&profile_path);
        if let Some(read) = &on_disk
            && Some(read.fingerprint) != known
        {
            if open.profile_dirty
                && let Err(SaveError::ChangedElsewhere { kept_as, .. }) =
                    self.practice.save_client(&open.draft)
            {
                notes.push(format!(
                    "{name}'s profile was changed on another laptop while you were editing it; yours is kept \
                     as {}, shown in the problems below.",
                    kept_as.display()
                ));
            } else {
                notes.push(format!("{name}'s profile was updated from another laptop at {at}."));
            }
            open.read = read.value.clone();
            open.draft = read.value.clone();
            open.profile_dirty = false;
        }
        if self.practice.rescan_client(&id) == ClientOnDisk::Removed {
            return;
        }
        let listed: BTreeSet<SessionId> = self
            .practice
            .client(&id)
            .map(|entry| entry.sessions.iter().cloned().collect())
            .unwrap_or_default();
        let mut to_look_at: BTreeSet<SessionId> = changed.clone();
        to_look_at
            .extend(listed.iter().filter(|session| !open.read_sessions.contains_key(*session)).cloned());
        to_look_at.extend(open.read_sessions.keys().filter(|session| !listed.contains(*session)).cloned());
        for session_id in to_look_at {
            let dirty = open.dirty.contains(&session_id) || waiting == Some(&session_id);
            let day = open
                .session(&session_id)
                .map(|session| session.starts_at.strftime("%-d %b").to_string())
                .unwrap_or_default();
            match self.practice.peek_session(&id, &session_id) {
                SessionOnDisk::Same => {}
                SessionOnDisk::Unreadable(problem) => self.practice.note_unreadable(problem),
                SessionOnDisk::Gone if !open.read_sessions.contains_key(&session_id) => {}
                SessionOnDisk::Gone if dirty => {
                    if let Some(session) = open.session(&session_id).cloned() {
                        let _ = self.practice.save_session(&session);
                        open.read_sessions.insert(session_id.clone(), session);
                        open.dirty.remove(&session_id);
                    }
                    notes.push(format!(
                        "The session of {day} was removed on another laptop while you were editing it; your edit \
                         was written back, so nothing is lost."
                    ));
                }
                SessionOnDisk::Gone => {
                    open.sessions.retain(|session| session.id != session_id);
                    open.read_sessions.remove(&session_id);
                    if open.selected.as_ref() == Some(&session_id) {
                        open.selected = open.sessions.last().map(|session| session.id.clone());
                    }
                    notes.push(format!("The session of {day} was moved to the trash on another laptop."));
                }
                SessionOnDisk::Changed(read) if dirty => {
                    let day = read.value.starts_at.strftime("%-d %b");
                    notes.push(format!(
                        "The session of {day} was changed on another laptop while you were editing it: both \
                         versions are kept until you choose what to keep."
                    ));
                    open.other_versions.insert(
                        session_id,
                        OtherVersion {
                            session: read.value,
                            from: VersionFrom::AnotherLaptop { at: now, fingerprint: read.fingerprint },
                        },
                    );
                }
                SessionOnDisk::Changed(read) => {
                    self.practice.take_session(&read);
                    let session = read.value;
                    let day = session.starts_at.strftime("%-d %b");
                    let is_new = !open.read_sessions.contains_key(&session_id);
                    notes.push(if is_new {
                        format!("A session of {day} came from another laptop at {at}.")
                    } else if session.is_locked() {
                        format!(
                            "The record of {day} was changed on another laptop at {at}; it is shown as it is on disk."
                        )
                    } else {
                        format!("The session of {day} was updated from another laptop at {at}.")
                    });
                    open.read_sessions.insert(session_id.clone(), session.clone());
                    match open.sessions.iter_mut().find(|kept| kept.id == session_id) {
                        Some(kept) => *kept = session,
                        None => {
                            let index =
                                open.sessions.partition_point(|kept| kept.starts_at <= session.starts_at);
                            open.sessions.insert(index, session);
                        }
                    }
                }
            }
        }
        open.conflict_copies = self.practice.versions_of(&id);
    }

    /// Settles two versions of session `id`: the one waiting from another laptop,
    /// or else the conflict copy at `copy`. Each version not kept whole goes to
    /// the trash, where it can be restored. Returns what happened, in words.
    pub fn resolve(
        &mut self,
        id: &SessionId,
        copy: Option<&PathBuf>,
        resolution: Resolution,
    ) -> Result<String, String> {
        let Some(open) = &mut self.open else { return Err("No client is open.".to_owned()) };
        let Some(this) = open.session(id).cloned() else {
            return Err("That session is no longer open.".to_owned());
        };
        let other = match copy {
            Some(path) => OtherVersion {
                session: read_file::<Session>(path).map_err(|problem| problem.to_string())?.value,
                from: VersionFrom::Copy(path.clone()),
            },
            None => {
                open.other_versions.get(id).cloned().ok_or("There is no second version of that session.")?
            }
        };
        let path = self.practice.session_path(&this.client, id);
        let trash_error = |error: TrashError| error.to_string();
        let message = match (&other.from, resolution) {
            (VersionFrom::AnotherLaptop { fingerprint, .. }, Resolution::KeepBoth) => {
                let kept =
                    self.practice.keep_as_conflict_copy(&other.session).map_err(|error| error.to_string())?;
                self.practice.accept_fingerprint(&path, *fingerprint);
                if let Some(open) = &mut self.open {
                    open.read_sessions.insert(id.clone(), other.session.clone());
                    open.dirty.insert(id.clone());
                }
                format!("Your version is saved; the other laptop's is kept beside it as {}.", kept.display())
            }
            (VersionFrom::AnotherLaptop { fingerprint, .. }, Resolution::Merge(choices)) => {
                let result = merged(&this, &other.session, &choices);
                if result != other.session {
                    self.practice.trash_version(&other.session, None).map_err(trash_error)?;
                }
                self.practice.accept_fingerprint(&path, *fingerprint);
                if let Some(open) = &mut self.open {
                    open.read_sessions.insert(id.clone(), other.session.clone());
                }
                self.apply(Edit::Session(result));
                "The session now has the parts you chose; what was not kept is in the trash.".to_owned()
            }
            (VersionFrom::Copy(_), Resolution::KeepBoth) => return Ok("Both versions are kept.".to_owned()),
            (VersionFrom::Copy(copy_path), Resolution::Merge(choices)) => {
                let result = merged(&this, &other.session, &choices);
                let on_file = open.read_sessions.get(id).cloned().unwrap_or_else(|| this.clone());
                if result != on_file {
                    self.practice.trash_version(&on_file, None).map_err(trash_error)?;
                }
                self.practice.trash_version(&other.session, Some(copy_path)).map_err(trash_error)?;
                self.apply(Edit::Session(result));
                "The session now has the parts you chose; the version not kept is in the trash.".to_owned()
            }
        };
        if let Some(open) = &mut self.open {
            open.other_versions.remove(id);
            open.conflict_copies = self.practice.versions_of(&open.draft.id);
        }
        let saved = self.save(None);
        self.changed();
        match saved.problems.first() {
            Some(problem) => Err(problem.to_string()),
            None => Ok(message),
        }
    }
}
