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

use crate::model::consent::{self, ConsentChange};
use crate::model::lifecycle::{self, Circumstances};
use crate::model::{
    Client, ClientId, GateRefusal, PlanContent, Refusal, RegionId, Screening, Session, SessionId,
    SessionRecord, Transition, last_time_in_words,
};
use crate::safety::{SafetyReport, passes_gate};
use crate::storage::KeptFile;
use crate::storage::recovery::{Kept, Recovery};
use crate::storage::watch::Changes;
use crate::storage::writer::{Batch, BatchDone, What, Writer};
use crate::storage::{
    ClientOnDisk, Fingerprint, Practice, PracticePath, SaveError, SessionOnDisk, TrashError, read_file,
};
use versions::{Part, Side, merged};

/// A change the user asked for, applied to the open client. Screens return
/// these; the workspace applies them through the session's lifecycle
/// ([`crate::model::lifecycle`]), which refuses what the product forbids.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant, reason = "an edit a frame at most, moved once")]
pub enum Edit {
    /// The profile as the screen left it.
    Profile(Client),
    /// A new planned session for the open client.
    NewSession(Session),
    /// The plan of a session as the screen left it: only its content is taken,
    /// never its status ([`lifecycle::edit_plan`]).
    Plan { session: SessionId, content: PlanContent },
    /// Today's screening, answered.
    Screening { session: SessionId, screening: Screening },
    /// A change of status: ready, back to planning, complete, postpone, cancel,
    /// entered in error.
    Lifecycle { session: SessionId, transition: Transition },
    /// Begin amending a completed record: its plan takes edits until the
    /// amendment is saved or cancelled.
    StartAmending(SessionId),
    /// Keep the changes made since [`Edit::StartAmending`] as a dated amendment.
    SaveAmendment { session: SessionId, reason: String },
    /// Drop the amendment being made, putting the record back as it was.
    CancelAmendment,
    /// The client's consent for a session: signed (on the laptop or on paper),
    /// countersigned, or withdrawn. What a signed consent covers is taken from
    /// the plan as it stands here, never from the screen.
    Consent { session: SessionId, change: ConsentChange },
    /// The health questionnaire as the client answered it on the laptop: kept
    /// with the profile, for the therapist to review.
    Intake(crate::model::intake::Intake),
    /// The therapist went through the latest questionnaire: the flags in
    /// `confirmed` are added, those in `cleared` removed, and it is marked
    /// reviewed by the person at the laptop.
    ReviewIntake { confirmed: Vec<crate::model::HealthFlag>, cleared: Vec<crate::model::HealthFlag> },
}

impl Edit {
    /// The plan edit that makes `session`'s content what it is in this copy.
    pub fn plan_of(session: &Session) -> Edit {
        Edit::Plan { session: session.id.clone(), content: PlanContent::of(session) }
    }
}

/// Something the user should be told about what the workspace did on its own
/// (another laptop's change taken in, a ready session planned again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub words: String,
    /// Whether the user must act or look (an edit kept aside, two versions
    /// waiting, a save that failed), rather than only be told.
    pub needs_attention: bool,
}

impl Notice {
    fn info(words: String) -> Notice {
        Notice { words, needs_attention: false }
    }

    fn attention(words: String) -> Notice {
        Notice { words, needs_attention: true }
    }
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words)
    }
}

/// What applying an edit did, besides what was asked.
#[derive(Clone, Debug, PartialEq)]
pub enum Applied {
    /// Nothing changed (the edit asked for what already was).
    Nothing,
    Done,
    /// The edit was applied, and a ready session no longer passes what Ready
    /// asks: it is planned again, for this reason.
    BackToPlanned {
        session: SessionId,
        why: Refusal,
    },
}

/// How the user settled two versions of a session.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolution {
    /// One session made of the chosen part of each (all of one, or some of both).
    Merge(BTreeMap<Part, Side>),
    /// Both versions stay: this one in the file, the other as a conflict copy beside it.
    KeepBoth,
}

/// Why two versions of a session could not be settled.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("no client is open")]
    NoClient,
    #[error("that session is no longer open")]
    NoSession,
    #[error("there is no second version of that session")]
    NoSecondVersion,
    #[error("the second version cannot be read: {0}")]
    Unreadable(crate::storage::Problem),
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error(transparent)]
    Trash(#[from] TrashError),
}

/// Why an edit kept in the recovery folder was not put back.
#[derive(Debug, thiserror::Error)]
pub enum BringBackError {
    #[error("{0}")]
    Unreadable(crate::storage::Problem),
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error("{} is not a session or a profile of this practice", .0.display())]
    NotOfThisPractice(PathBuf),
    #[error("{} was put back, but could not be removed: {source}", kept.display())]
    NotForgotten { kept: PathBuf, source: std::io::Error },
}

/// Why an edit of a session with two versions could be kept nowhere at exit.
#[derive(Debug, thiserror::Error)]
pub enum KeepError {
    /// No copy beside the session, and no recovery folder to keep it in.
    #[error(transparent)]
    Nowhere(SaveError),
    #[error("{error}; nor in the recovery folder: {aside}")]
    NotAsideEither { error: SaveError, aside: std::io::Error },
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
    /// The record being amended, as it was when the amendment began: its edits
    /// wait for the amendment's reason before they are written.
    amending: Option<(SessionId, SessionRecord)>,
    /// While two versions of a session wait for the user, this laptop's is kept
    /// in its own second-version file beside the session: the file, and what it
    /// holds.
    second_versions: BTreeMap<SessionId, (PathBuf, Session)>,
}

impl OpenClient {
    pub fn client(&self) -> &Client {
        &self.draft
    }

    /// The sessions in the order the files read in (start, then ID), on every
    /// laptop alike, after a session is added or moved to another time here.
    fn keep_in_order(&mut self) {
        self.sessions.sort_by(|a, b| (a.starts_at, &a.id).cmp(&(b.starts_at, &b.id)));
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

    /// The record being amended, if one is.
    pub fn amending(&self) -> Option<&SessionId> {
        self.amending.as_ref().map(|(id, _)| id)
    }

    /// The file this laptop's version of `id` is kept in while two versions wait.
    pub fn second_version_file(&self, id: &SessionId) -> Option<&PathBuf> {
        self.second_versions.get(id).map(|(file, _)| file)
    }

    /// The sessions with two versions waiting whose edits here are not yet in
    /// their second-version file.
    fn waiting_unwritten(&self) -> Vec<SessionId> {
        self.dirty
            .iter()
            .filter(|id| self.other_versions.contains_key(*id))
            .filter(|id| self.second_versions.get(*id).map(|(_, written)| written) != self.session(id))
            .cloned()
            .collect()
    }

    /// Takes in the conflict copies found beside the sessions, less the files
    /// that hold this laptop's own versions while two wait (those are not a
    /// third version to compare).
    fn take_copies(&mut self, mut copies: BTreeMap<SessionId, Vec<PathBuf>>) {
        for (id, (file, _)) in &self.second_versions {
            if let Some(paths) = copies.get_mut(id) {
                paths.retain(|path| path != file);
            }
        }
        copies.retain(|_, paths| !paths.is_empty());
        self.conflict_copies = copies;
    }

    /// The record being amended as it was when the amendment began.
    pub fn amending_from(&self) -> Option<&SessionRecord> {
        self.amending.as_ref().map(|(_, before)| before)
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
    /// The safety gate's verdict on the session as it stands.
    pub gate: Result<(), GateRefusal>,
    /// The regions with a warning no reason explains yet.
    pub warned: BTreeSet<RegionId>,
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
#[derive(Debug)]
pub struct Saved {
    /// Every save that did not simply replace its file.
    pub problems: Vec<SaveError>,
    /// Whether every edit is now safe: written, or kept as a conflict copy.
    pub all_safe: bool,
    /// The edits the practice could not take, kept in the recovery folder until
    /// it can: where each belongs, and where it is kept.
    pub kept_aside: Vec<Kept>,
}

/// What is called when a save written in the background is done.
#[derive(Clone)]
struct Wake(std::sync::Arc<dyn Fn() + Send + Sync>);

impl std::fmt::Debug for Wake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Wake")
    }
}

impl Default for Saved {
    fn default() -> Saved {
        Saved { problems: Vec::new(), all_safe: true, kept_aside: Vec::new() }
    }
}

impl Saved {
    /// This save, told together with what an `earlier` one did: what the earlier
    /// one settled (a copy kept, an edit kept aside) is still worth saying; what
    /// it failed to write was tried again by this one, which says how it went.
    fn after(&mut self, earlier: Saved) {
        let mut problems: Vec<SaveError> =
            earlier.problems.into_iter().filter(SaveError::is_settled).collect();
        problems.append(&mut self.problems);
        self.problems = problems;
        let mut kept = earlier.kept_aside;
        kept.retain(|earlier| !self.kept_aside.contains(earlier));
        kept.append(&mut self.kept_aside);
        self.kept_aside = kept;
    }
}

/// The practice, the open client and what was derived from them.
#[derive(Debug)]
pub struct Workspace {
    /// Writes the saves the window does not wait for, on a thread of its own
    /// (started at the first one).
    writer: Option<Writer>,
    /// Called when the writer is done with a save.
    wake: Wake,
    /// What saves written meanwhile did, not yet told.
    saved_meanwhile: Option<Saved>,
    /// This laptop's name, and its audit trail in the practice.
    audit: Option<(String, std::sync::Arc<crate::storage::audit::AuditLog>)>,
    practice: Practice,
    open: Option<OpenClient>,
    /// Counts every change to the open client, so that what is derived from it
    /// is computed again only after one.
    generation: u64,
    derived: Option<Derived>,
    /// Who is using this laptop: signs amendments and entered-in-error marks.
    who: String,
    /// The user's own folder where an edit goes that the practice cannot take,
    /// in a folder of the practice's (see [`Recovery`]).
    recovery_folder: Option<PathBuf>,
}

impl Workspace {
    pub fn new(practice: Practice) -> Workspace {
        Workspace {
            writer: None,
            wake: Wake(std::sync::Arc::new(|| {})),
            saved_meanwhile: None,
            audit: None,
            practice,
            open: None,
            generation: 0,
            derived: None,
            who: crate::storage::presence::user_name(),
            recovery_folder: None,
        }
    }

    /// Keeps what the practice cannot take under `folder` (the user's own data
    /// folder), in a folder of this practice's.
    pub fn with_recovery(mut self, folder: &std::path::Path) -> Workspace {
        self.recovery_folder = Some(folder.to_owned());
        self
    }

    /// Keeps an audit trail of every change this laptop, named `laptop`, writes.
    pub fn with_audit(mut self, laptop: &str) -> Workspace {
        self.set_laptop(laptop);
        self
    }

    /// Names this laptop in the audit trail (see [`Workspace::with_audit`]).
    pub fn set_laptop(&mut self, laptop: &str) {
        let log = crate::storage::audit::AuditLog::of(self.practice.root(), laptop);
        self.audit = Some((laptop.to_owned(), std::sync::Arc::new(log)));
    }

    /// The audit trail's entry for a change of `record`, `what` in words; none when nothing changed.
    fn audit_change(
        &self,
        record: crate::storage::audit::AuditRecord,
        what: Vec<String>,
    ) -> Option<crate::storage::audit::Change> {
        self.audit.as_ref()?;
        (!what.is_empty()).then(|| crate::storage::audit::Change {
            at: jiff::Zoned::now().datetime().round(jiff::Unit::Second).unwrap_or_default(),
            who: self.who.clone(),
            record,
            what,
        })
    }

    /// Appends a change written outside the autosave (a plan imported, an edit
    /// put back or written back) to this laptop's audit trail; the error when it
    /// could not be appended.
    fn log_change(&self, record: crate::storage::audit::AuditRecord, what: Vec<String>) -> Option<SaveError> {
        let path = match &record {
            crate::storage::audit::AuditRecord::Profile(client) => self.practice.client_path(client),
            crate::storage::audit::AuditRecord::Session(client, session) => {
                self.practice.session_path(client, session)
            }
        };
        let change = self.audit_change(record, what)?;
        let (_, log) = self.audit.as_ref()?;
        log.append(&change).err().map(|source| SaveError::NotLogged { path, source })
    }

    /// The recovery folder of the practice open now, if there is one.
    pub fn recovery(&self) -> Option<Recovery> {
        self.recovery_folder.as_ref().map(|folder| Recovery::of(folder, self.practice.root()))
    }

    /// The edits kept in the recovery folder for this practice (from this run or
    /// an earlier one), to offer back.
    pub fn kept_aside(&self) -> Vec<Kept> {
        self.recovery().as_ref().map(Recovery::kept).unwrap_or_default()
    }

    /// Puts the edits kept in the recovery folder back into the practice, each
    /// through its save (a file changed since gets the edit beside it, as a
    /// conflict copy); what is in the practice now is forgotten there. Says, for
    /// each, what happened.
    pub fn bring_back(&mut self) -> Vec<Result<PathBuf, BringBackError>> {
        self.settle_writing();
        let Some(recovery) = self.recovery() else { return Vec::new() };
        let mut said = Vec::new();
        for kept in recovery.kept() {
            let saved = match self.practice.what_is(&kept.belongs) {
                PracticePath::Session(client, session) => read_file::<Session>(&kept.kept)
                    .map_err(BringBackError::Unreadable)
                    .and_then(|read| {
                        // What is in the practice now may be newer than what was kept (a consent
                        // signed, the record completed on another laptop): never written over, the
                        // kept edit goes beside it, to compare.
                        let on_disk = read_file::<Session>(&kept.belongs).ok().map(|on_disk| on_disk.value);
                        match on_disk {
                            Some(on_disk) if on_disk != read.value => {
                                self.practice.keep_as_conflict_copy(&read.value)?;
                                Ok(())
                            }
                            _ => Ok(self.practice.save_session(&read.value)?),
                        }
                    })
                    .and_then(|()| {
                        let record = crate::storage::audit::AuditRecord::Session(client, session);
                        let what = vec!["put back from the recovery folder".to_owned()];
                        self.log_change(record, what).map_or(Ok(()), |error| Err(error.into()))
                    }),
                PracticePath::Client(client) => read_file::<Client>(&kept.kept)
                    .map_err(BringBackError::Unreadable)
                    .and_then(|read| Ok(self.practice.save_client(&read.value)?))
                    .and_then(|()| {
                        let record = crate::storage::audit::AuditRecord::Profile(client);
                        let what = vec!["put back from the recovery folder".to_owned()];
                        self.log_change(record, what).map_or(Ok(()), |error| Err(error.into()))
                    }),
                _ => Err(BringBackError::NotOfThisPractice(kept.kept.clone())),
            };
            said.push(saved.and_then(|()| {
                recovery
                    .forget(&kept.belongs)
                    .map(|()| kept.belongs.clone())
                    .map_err(|source| BringBackError::NotForgotten { kept: kept.kept.clone(), source })
            }));
        }
        if let Some(id) = self.open.as_ref().map(|open| open.draft.id.clone()) {
            self.practice.rescan_client(&id);
        }
        self.changed();
        said
    }

    /// Who signs what is done here (the account's full name by default).
    pub fn who(&self) -> &str {
        &self.who
    }

    pub fn set_who(&mut self, who: &str) {
        self.who = who.trim().to_owned();
    }

    pub fn practice(&self) -> &Practice {
        &self.practice
    }

    /// The practice, to change behind the workspace's back: for the workspace's
    /// own tests, which play another laptop or a sync tool.
    #[cfg(test)]
    pub(crate) fn practice_mut(&mut self) -> &mut Practice {
        &mut self.practice
    }

    /// Adds a new client to the practice.
    pub fn add_client(&mut self, client: &Client) -> Result<(), SaveError> {
        self.practice.save_client(client)?;
        let record = crate::storage::audit::AuditRecord::Profile(client.id.clone());
        let change = self.audit_change(record, crate::model::audit::profile_changes(None, client));
        if let (Some((_, log)), Some(change)) = (&self.audit, change)
            && let Err(source) = log.append(&change)
        {
            return Err(SaveError::NotLogged { path: self.practice.client_path(&client.id), source });
        }
        self.changed();
        Ok(())
    }

    /// Moves a client, with all their sessions, to the trash; closes them if open.
    pub fn trash_client(&mut self, id: &ClientId) -> Result<crate::storage::TrashEntry, TrashError> {
        self.settle_writing();
        let entry = self.practice.trash_client(id)?;
        if self.open.as_ref().is_some_and(|open| &open.draft.id == id) {
            self.open = None;
        }
        self.changed();
        Ok(entry)
    }

    /// Moves a planned session of `client` to the trash (a record is refused by
    /// the practice); an open client's sessions are read again.
    pub fn trash_session(
        &mut self,
        client: &ClientId,
        id: &SessionId,
    ) -> Result<crate::storage::TrashEntry, TrashError> {
        self.settle_writing();
        let entry = self.practice.trash_session(client, id)?;
        if let Some(open) = self.open.as_mut().filter(|open| &open.draft.id == client) {
            open.sessions.retain(|session| &session.id != id);
            open.read_sessions.remove(id);
            open.dirty.remove(id);
            if open.selected.as_ref() == Some(id) {
                open.selected = None;
            }
        }
        self.changed();
        Ok(entry)
    }

    /// What is in the practice's trash.
    pub fn trash_entries(&mut self) -> Vec<crate::storage::TrashEntry> {
        self.practice.trash()
    }

    /// Puts back what was moved to the trash into `folder`; false if nothing is
    /// there. The open client is not read again here: the caller saves first.
    pub fn restore(&mut self, folder: &std::path::Path) -> Result<bool, TrashError> {
        self.settle_writing();
        let Some(entry) = self.practice.trash().into_iter().find(|entry| entry.folder == folder) else {
            return Ok(false);
        };
        self.practice.restore(&entry)?;
        self.changed();
        Ok(true)
    }

    /// Takes a plan from a shared file in as a new planned session of `client`.
    pub fn import_plan(
        &mut self,
        client: &ClientId,
        plan: &crate::storage::PlanFile,
        now: DateTime,
    ) -> Result<Session, SaveError> {
        let session = self.practice.import_plan(client, plan, now)?;
        let record = crate::storage::audit::AuditRecord::Session(client.clone(), session.id.clone());
        let what = vec![format!("planned from the plan file of {}", plan.client_name)];
        if let Some(not_logged) = self.log_change(record, what) {
            return Err(not_logged);
        }
        self.changed();
        Ok(session)
    }

    /// Saves the practice's settings.
    pub fn save_settings(&mut self, settings: &crate::model::PracticeSettings) -> Result<(), SaveError> {
        self.practice.save_settings(settings)?;
        self.changed();
        Ok(())
    }

    /// Every session of `id`, read for a question about them (how many records).
    pub fn sessions_of(&mut self, id: &ClientId) -> Vec<Session> {
        match &self.open {
            Some(open) if &open.draft.id == id => open.sessions.clone(),
            _ => self.practice.read_sessions(id),
        }
    }

    /// The sessions planned for `day` across the practice, for the day's list.
    pub fn day_list(&mut self, day: jiff::civil::Date) -> Vec<crate::print::batch::DayEntry> {
        crate::print::batch::day_list(&mut self.practice, day)
    }

    /// One client's sessions on `day`, as the day's list shows them: the open
    /// client's as they are here now (edits not yet on disk included), another's
    /// as read from disk.
    pub fn client_day_list(
        &mut self,
        client: &ClientId,
        day: jiff::civil::Date,
    ) -> Vec<crate::print::batch::DayEntry> {
        match &self.open {
            Some(open) if &open.client().id == client => {
                let name = open.client().name.clone();
                open.sessions()
                    .iter()
                    .filter_map(|session| {
                        let path = self.practice.session_path(client, &session.id);
                        crate::print::batch::day_entry(day, client, &name, session, path)
                    })
                    .collect()
            }
            _ => crate::print::batch::client_day_list(&mut self.practice, client, day),
        }
    }

    /// Counts every change made or taken in: what is derived from the
    /// workspace is made again when it moved.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Opens another practice in place of this one (the caller saved first).
    pub fn replace_practice(&mut self, practice: Practice) {
        self.settle_writing();
        self.practice = practice;
        if let Some((laptop, _)) = self.audit.take() {
            self.set_laptop(&laptop);
        }
        self.open = None;
        self.changed();
    }

    pub fn open_client(&self) -> Option<&OpenClient> {
        self.open.as_ref()
    }

    /// Opens client `id`, reading their sessions; the latest is selected. False
    /// if the practice has no such client.
    pub fn open(&mut self, id: &ClientId) -> bool {
        self.settle_writing();
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
            amending: None,
            second_versions: BTreeMap::new(),
        });
        self.changed();
        true
    }

    pub fn close(&mut self) {
        self.settle_writing();
        self.open = None;
        self.changed();
    }

    pub fn select(&mut self, id: Option<SessionId>) {
        if let Some(open) = &mut self.open {
            open.selected = id;
        }
        self.changed();
    }

    /// Applies one edit to the open client through the session's lifecycle,
    /// marking what it touched as unsaved; `now` is the local time. A refused
    /// edit leaves everything as it was and says why.
    pub fn apply(&mut self, edit: Edit, now: DateTime) -> Result<Applied, Refusal> {
        let Some(open) = &mut self.open else { return Ok(Applied::Nothing) };
        let touched = match edit {
            Edit::Profile(client) => {
                if client == open.draft {
                    return Ok(Applied::Nothing);
                }
                open.profile_dirty = client != open.read;
                open.draft = client;
                None
            }
            Edit::NewSession(session) => {
                lifecycle::may_add_as_new(&session)?;
                if session.client != open.draft.id || open.session(&session.id).is_some() {
                    return Err(Refusal::WrongStatus {
                        status: session.status,
                        what: "plan it as a new session",
                    });
                }
                let id = session.id.clone();
                open.sessions.push(session);
                Some(id)
            }
            Edit::Plan { session: id, content } => {
                let amending = open.amending() == Some(&id);
                let Some(session) = open.sessions.iter_mut().find(|kept| kept.id == id) else {
                    return Ok(Applied::Nothing);
                };
                if !lifecycle::edit_plan(session, content, amending)? {
                    return Ok(Applied::Nothing);
                }
                Some(id)
            }
            Edit::Screening { session: id, screening } => {
                let Some(session) = open.sessions.iter_mut().find(|kept| kept.id == id) else {
                    return Ok(Applied::Nothing);
                };
                lifecycle::answer_screening(session, screening)?;
                Some(id)
            }
            Edit::Lifecycle { session: id, transition } => {
                let taken = self.judged(&id, now, |session, at| lifecycle::apply(session, transition, at))?;
                taken.map(|()| id)
            }
            Edit::StartAmending(id) => {
                let Some(session) = open.session(&id) else { return Ok(Applied::Nothing) };
                if session.status != crate::model::SessionStatus::Completed {
                    return Err(Refusal::Invalid(crate::model::InvalidSession::AmendingUncompleted));
                }
                if session.entered_in_error.is_some() {
                    return Err(Refusal::EnteredInError);
                }
                if open.amending.is_some() {
                    return Err(Refusal::Locked);
                }
                open.amending = Some((id, session.record()));
                self.changed();
                return Ok(Applied::Done);
            }
            Edit::SaveAmendment { session: id, reason } => {
                let Some(before) = open.amending_from().filter(|_| open.amending() == Some(&id)).cloned()
                else {
                    return Err(Refusal::NotAmending);
                };
                let taken =
                    self.judged(&id, now, |session, at| lifecycle::amend(session, before, &reason, at))?;
                if let Some(open) = &mut self.open {
                    open.amending = None;
                }
                taken.map(|()| id)
            }
            Edit::Intake(intake) => {
                open.draft.intakes.push(intake);
                open.profile_dirty = open.draft != open.read;
                None
            }
            Edit::ReviewIntake { confirmed, cleared } => {
                if open.draft.intakes.is_empty() {
                    return Ok(Applied::Nothing);
                }
                crate::model::intake::review(&mut open.draft, &confirmed, &cleared, &self.who, now);
                open.profile_dirty = open.draft != open.read;
                None
            }
            Edit::Consent { session: id, mut change } => {
                // A therapist's signature with no name is signed by the person at the laptop.
                if let ConsentChange::Countersign(signature) = &mut change
                    && signature.name.trim().is_empty()
                {
                    signature.name = self.who.clone();
                }
                let settings = self.practice.settings();
                let Some(session) = open.sessions.iter_mut().find(|kept| kept.id == id) else {
                    return Ok(Applied::Nothing);
                };
                let wording = consent::consent_text(&settings.consent_wording, &open.draft, session);
                consent::change_consent(session, change, wording, &self.who, now)?;
                Some(id)
            }
            Edit::CancelAmendment => {
                let Some((id, before)) = open.amending.take() else { return Ok(Applied::Nothing) };
                if let Some(session) = open.sessions.iter_mut().find(|kept| kept.id == id) {
                    session.restore_record(before);
                }
                Some(id)
            }
        };
        if let Some(id) = touched {
            self.mark_dirty(&id);
        }
        if let Some(open) = &mut self.open {
            open.keep_in_order();
        }
        self.changed();
        Ok(self.recheck_ready(now))
    }

    /// Marks session `id` unsaved, unless it is now as it was read.
    fn mark_dirty(&mut self, id: &SessionId) {
        let Some(open) = &mut self.open else { return };
        if open.read_sessions.get(id) == open.session(id) {
            open.dirty.remove(id);
        } else {
            open.dirty.insert(id.clone());
        }
    }

    /// Takes one step of the lifecycle on session `id` of the open client: on a
    /// copy, judged by the client, the clinic's rules and the gate's verdict on
    /// the session as it stands; the copy replaces the session only if the step
    /// was taken. `None` when the client has no such session.
    fn judged<T>(
        &mut self,
        id: &SessionId,
        now: DateTime,
        step: impl FnOnce(&mut Session, &Circumstances<'_>) -> Result<T, Refusal>,
    ) -> Result<Option<T>, Refusal> {
        let Some(mut session) = self.open.as_ref().and_then(|open| open.session(id)).cloned() else {
            return Ok(None);
        };
        let gate = self.gate_of(&session);
        let Some(open) = &mut self.open else { return Ok(None) };
        let at = Circumstances {
            now,
            who: &self.who,
            client: &open.draft,
            clinic_rules: self.practice.clinic_rules(),
            previous: crate::safety::previous_session(&open.sessions, &session),
            gate,
        };
        let taken = step(&mut session, &at)?;
        if let Some(kept) = open.sessions.iter_mut().find(|kept| &kept.id == id) {
            *kept = session;
        }
        Ok(Some(taken))
    }

    /// Puts every ready session of the open client that no longer passes what
    /// Ready asks (the gate, its day's screening) back to planned.
    fn recheck_ready(&mut self, now: DateTime) -> Applied {
        let Some(open) = &self.open else { return Applied::Done };
        let ready: Vec<SessionId> = open
            .sessions
            .iter()
            .filter(|session| session.status == crate::model::SessionStatus::Ready)
            .map(|session| session.id.clone())
            .collect();
        let mut applied = Applied::Done;
        for id in ready {
            let recheck =
                |session: &mut Session, at: &Circumstances<'_>| Ok(lifecycle::recheck_ready(session, at));
            let Ok(Some(Some(why))) = self.judged(&id, now, recheck) else { continue };
            self.mark_dirty(&id);
            self.changed();
            applied = Applied::BackToPlanned { session: id, why };
        }
        applied
    }

    /// The safety report of one of the open client's sessions, as it stands.
    fn report_of(&self, session: &Session) -> SafetyReport {
        let Some(open) = &self.open else { return SafetyReport::default() };
        let previous = crate::safety::previous_session(&open.sessions, session);
        let report = crate::safety::check_with(
            self.practice.safety_rules().as_ref().map_err(|error| *error),
            &open.draft,
            session,
            previous,
        );
        crate::safety::with_fever_of_the_day(report, session, &open.sessions)
    }

    /// The gate's verdict on one of the open client's sessions.
    fn gate_of(&self, session: &Session) -> Result<(), GateRefusal> {
        passes_gate(&self.report_of(session))
    }

    /// The record being amended, if one is.
    pub fn amending(&self) -> Option<&SessionId> {
        self.open.as_ref().and_then(OpenClient::amending)
    }

    /// Replaces a session whole, with one made of versions read from files
    /// (settling two versions): not a screen's edit, so not a plan edit.
    fn take_settled_version(&mut self, session: Session) {
        let Some(open) = &mut self.open else { return };
        let id = session.id.clone();
        match open.sessions.iter_mut().find(|kept| kept.id == id) {
            Some(kept) => *kept = session,
            None => open.sessions.push(session),
        }
        open.keep_in_order();
        self.mark_dirty(&id);
        self.changed();
        // Two versions made one may no longer pass what Ready asks (a region, a withdrawal from the other).
        let now = jiff::Zoned::now().datetime().round(jiff::Unit::Minute).unwrap_or_default();
        self.recheck_ready(now);
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
            let report = self.report_of(session);
            let warned = report.unexplained().filter_map(|warning| warning.region).collect();
            self.derived = Some(Derived {
                generation: self.generation,
                gate: passes_gate(&report),
                warned,
                report,
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
    /// A ready session they no longer let pass goes back to planned (`now` dates the check).
    pub fn save_clinic_rules(
        &mut self,
        rules: &crate::model::ClinicRules,
        now: DateTime,
    ) -> Result<Applied, SaveError> {
        self.practice.save_clinic_rules(rules)?;
        self.changed();
        Ok(self.recheck_ready(now))
    }

    /// Whether anything is not written yet. A session being amended, which
    /// waits for its reason, does not count.
    pub fn has_unsaved_edits(&self) -> bool {
        self.open.as_ref().is_some_and(|open| {
            let waiting = open.amending();
            open.profile_dirty
                || open.dirty.iter().any(|id| Some(id) != waiting && !open.other_versions.contains_key(id))
                || !open.waiting_unwritten().is_empty()
        })
    }

    /// Writes every unsaved edit except the amendment's being made and those of
    /// sessions with a second version waiting for the user, and says what
    /// happened, also to a save still being written in the background (which is
    /// waited for first).
    pub fn save(&mut self) -> Saved {
        self.settle_writing();
        let earlier = self.saved_meanwhile.take();
        let batch = self.snapshot();
        let mut saved = if batch.is_empty() { Saved::default() } else { self.settle_batch(batch.perform()) };
        if let Some(earlier) = earlier {
            saved.after(earlier);
        }
        saved
    }

    /// Starts writing every unsaved edit (as [`Workspace::save`] chooses them) on
    /// the writer's thread, so that the window does not wait for the disk; what
    /// happened comes from [`Workspace::take_saved`]. False, doing nothing,
    /// while a save is being written: the next one takes what was edited meanwhile.
    pub fn save_in_background(&mut self) -> bool {
        if self.is_writing() {
            return false;
        }
        let batch = self.snapshot();
        if batch.is_empty() {
            return true;
        }
        if self.writer.is_none() {
            self.writer = Writer::start(std::sync::Arc::clone(&self.wake.0));
        }
        let batch = match self.writer.as_mut() {
            Some(writer) => match writer.send(batch) {
                Ok(()) => return true,
                Err(batch) => batch,
            },
            None => batch,
        };
        // No thread to write on: written here, rather than not at all.
        self.writer = None;
        let saved = self.settle_batch(batch.perform());
        self.keep_to_say(saved);
        true
    }

    /// What the last save written in the background did, once it is done (and
    /// only once).
    pub fn take_saved(&mut self) -> Option<Saved> {
        if let Some(done) = self.writer.as_mut().and_then(Writer::try_take) {
            let saved = self.settle_batch(done);
            self.keep_to_say(saved);
        }
        self.saved_meanwhile.take()
    }

    /// Whether a save is being written in the background.
    pub fn is_writing(&self) -> bool {
        self.writer.as_ref().is_some_and(Writer::is_busy)
    }

    /// Calls `wake` whenever a save written in the background is done, so that
    /// the window takes it in.
    pub fn set_wake(&mut self, wake: std::sync::Arc<dyn Fn() + Send + Sync>) {
        self.wake = Wake(wake);
        // A writer started before takes the new wake at its next start.
        if !self.is_writing() {
            self.writer = None;
        }
    }

    /// Holds the writer back until the returned guard is dropped, as a very slow
    /// disk would: for tests of a window that must not wait for the disk.
    pub fn hold_writing(&mut self) -> Option<crate::storage::writer::Hold> {
        if self.writer.is_none() {
            self.writer = Writer::start(std::sync::Arc::clone(&self.wake.0));
        }
        self.writer.as_ref().map(Writer::hold)
    }

    /// Waits for the save being written in the background and takes it in,
    /// before anything that reads or changes what is on disk.
    fn settle_writing(&mut self) {
        if let Some(done) = self.writer.as_mut().and_then(Writer::wait) {
            let saved = self.settle_batch(done);
            self.keep_to_say(saved);
        }
    }

    fn keep_to_say(&mut self, mut saved: Saved) {
        if let Some(earlier) = self.saved_meanwhile.take() {
            saved.after(earlier);
        }
        self.saved_meanwhile = Some(saved);
    }

    /// The saves of every unsaved edit, as they are now.
    fn snapshot(&mut self) -> Batch {
        use crate::storage::audit::AuditRecord;
        let mut batch = Batch {
            recovery: self.recovery(),
            audit: self.audit.as_ref().map(|(_, log)| std::sync::Arc::clone(log)),
            ..Batch::default()
        };
        let mut changes = Vec::new();
        if let Some(open) = &self.open {
            if open.profile_dirty {
                let what = crate::model::audit::profile_changes(Some(&open.read), &open.draft);
                changes.push((None, self.audit_change(AuditRecord::Profile(open.draft.id.clone()), what)));
            }
            for id in &open.dirty {
                let Some(session) = open.session(id) else { continue };
                let what = crate::model::audit::session_changes(open.read_sessions.get(id), session);
                let record = AuditRecord::Session(session.client.clone(), id.clone());
                changes.push((Some(id.clone()), self.audit_change(record, what)));
            }
        }
        let audit_of = |id: Option<&SessionId>| {
            changes.iter().find(|(of, _)| of.as_ref() == id).and_then(|(_, change)| change.clone())
        };
        let Some(open) = &mut self.open else { return batch };
        let waiting = open.amending().cloned();
        if open.profile_dirty {
            let mut job = self.practice.snapshot_client(&open.draft);
            job.audit = audit_of(None);
            batch.jobs.push(job);
        }
        let ready: Vec<SessionId> = open
            .dirty
            .iter()
            .filter(|id| Some(*id) != waiting.as_ref() && !open.other_versions.contains_key(*id))
            .cloned()
            .collect();
        for id in ready {
            match open.sessions.iter().find(|session| session.id == id) {
                Some(session) => {
                    let mut job = self.practice.snapshot_session(session);
                    job.audit = audit_of(Some(&id));
                    batch.jobs.push(job);
                }
                None => {
                    open.dirty.remove(&id);
                }
            }
        }
        // Two versions waiting: this laptop's goes to its own second-version file, so that
        // a crash loses at most what was typed since the last save.
        for id in open.waiting_unwritten() {
            let Some(session) = open.sessions.iter().find(|session| session.id == id) else { continue };
            let into = open.second_versions.get(&id).map(|(file, _)| file.as_path());
            batch.jobs.push(self.practice.snapshot_second_version(session, into));
        }
        batch.versions_in =
            Some(self.practice.client_folder(&open.draft.id).join(crate::storage::SESSIONS_FOLDER));
        batch
    }

    /// Takes in what writing a batch did: the practice remembers what each file
    /// holds, and an edit is saved only if what was written is still what the
    /// user has (an edit made while it was written stays unsaved, for the next).
    fn settle_batch(&mut self, written: BatchDone) -> Saved {
        let mut saved = Saved::default();
        for done in written.done {
            self.practice.settle(&done);
            let settled = done.settled();
            saved.kept_aside.extend(done.kept);
            let open = self.open.as_mut().filter(|open| match &done.what {
                What::Profile(client) => open.draft.id == client.id,
                What::Session(session) | What::SecondVersion(session) => open.draft.id == session.client,
            });
            match (&done.what, open) {
                (What::Profile(client), Some(open)) if settled => {
                    if open.draft == *client {
                        open.profile_dirty = false;
                    }
                    open.read = client.clone();
                }
                (What::Session(session), Some(open)) if settled => {
                    open.read_sessions.insert(session.id.clone(), session.clone());
                    if open.session(&session.id) == Some(session) {
                        open.dirty.remove(&session.id);
                    }
                }
                (What::SecondVersion(session), Some(open)) => {
                    if let Ok(Some(file)) = &done.result {
                        open.second_versions.insert(session.id.clone(), (file.clone(), session.clone()));
                    }
                }
                _ => {}
            }
            if let Err(error) = done.result {
                saved.all_safe &= settled;
                saved.problems.push(error);
            }
            if let Some(source) = done.not_logged {
                let path = match &done.what {
                    What::Profile(client) => self.practice.client_path(&client.id),
                    What::Session(session) | What::SecondVersion(session) => {
                        self.practice.session_path(&session.client, &session.id)
                    }
                };
                saved.problems.push(SaveError::NotLogged { path, source });
            }
        }
        if let (Some(versions), Some(open)) = (written.versions, self.open.as_mut())
            && written.folder.as_deref()
                == Some(
                    self.practice
                        .client_folder(&open.draft.id)
                        .join(crate::storage::SESSIONS_FOLDER)
                        .as_path(),
                )
        {
            open.take_copies(versions);
        }
        saved
    }

    /// Keeps every unsaved edit whose session has a second version waiting as a
    /// conflict copy, so that nothing is lost when the window closes before the
    /// user chose; the copies are offered for comparing next time. Says where
    /// each was kept, or why it could not be kept anywhere.
    pub fn keep_undecided_as_copies(&mut self) -> Vec<Result<PathBuf, KeepError>> {
        self.settle_writing();
        let recovery = self.recovery();
        let Some(open) = &mut self.open else { return Vec::new() };
        let mut copies = Vec::new();
        for id in open.other_versions.keys() {
            let Some(session) = open.sessions.iter().find(|session| &session.id == id) else { continue };
            if !open.dirty.contains(id) {
                continue;
            }
            // The second-version file already made for it is brought up to date, not doubled.
            let file = open.second_versions.get(id).map(|(file, _)| file.clone());
            match self.practice.keep_second_version(session, file.as_deref()) {
                Ok(copy) => copies.push(Ok(copy)),
                // No copy beside it: the edit goes to the recovery folder, never nowhere.
                Err(error) => {
                    let path = self.practice.session_path(&session.client, id);
                    let kept = match (&recovery, session.to_ron()) {
                        (Some(recovery), Ok(text)) => recovery
                            .keep(&path, text.as_bytes())
                            .map_err(|aside| KeepError::NotAsideEither { error, aside }),
                        _ => Err(KeepError::Nowhere(error)),
                    };
                    copies.push(kept);
                }
            }
        }
        for id in std::mem::take(&mut open.other_versions).into_keys() {
            open.dirty.remove(&id);
        }
        copies
    }

    /// Takes in what changed on disk elsewhere, and says in a few words each
    /// thing the user should know (`now` dates the words).
    pub fn take_disk_changes(&mut self, changes: &Changes, now: DateTime) -> Vec<Notice> {
        self.settle_writing();
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
            notes.push(Notice::info(format!(
                "The practice settings were updated from another laptop at {at}."
            )));
        }
        if rules && self.practice.reread_clinic_rules() {
            notes.push(Notice::info(format!(
                "The clinic's safety rules were updated from another laptop at {at}."
            )));
        }
        if root {
            self.practice.rescan_root();
        }
        let open_id = self.open.as_ref().map(|open| open.draft.id.clone());
        for (client, sessions) in clients {
            if Some(&client) == open_id.as_ref() {
                self.reload_open_client(&sessions, now, &mut notes);
            } else {
                self.practice.rescan_client(&client);
            }
        }
        self.changed();
        // A profile or rules changed elsewhere may leave a ready session no longer safe to start.
        if let Applied::BackToPlanned { why, .. } = self.recheck_ready(now) {
            notes.push(Notice::attention(format!("A session is planned again, no longer ready: {why}.")));
        }
        notes
    }

    fn reload_open_client(&mut self, changed: &BTreeSet<SessionId>, now: DateTime, notes: &mut Vec<Notice>) {
        let Some(open) = &mut self.open else { return };
        let waiting = open.amending().cloned();
        let waiting = waiting.as_ref();
        let id = open.draft.id.clone();
        let name = open.draft.display_name().to_owned();
        let at = now.strftime("%H:%M");
        let profile_path = self.practice.client_path(&id);
        let has_edits = open.profile_dirty || !open.dirty.is_empty() || waiting.is_some();
        if std::fs::symlink_metadata(&profile_path).is_err() {
            if has_edits {
                // Written back where it was: the client comes back with the edit.
                let saved = self.save();
                let failed: Vec<&SaveError> = saved
                    .problems
                    .iter()
                    .filter(|problem| !matches!(problem, SaveError::RemovedElsewhere { .. }))
                    .collect();
                // "Written back" only when it was: a failed save stays unsaved, and is said.
                notes.push(Notice::attention(if failed.is_empty() {
                    format!(
                        "{name} was removed on another laptop while open here; your edits were written back. \
                         Move {name} to the trash again if they should go."
                    )
                } else {
                    format!(
                        "{name} was removed on another laptop while open here, and your edits could not be \
                         written back; they are still unsaved here."
                    )
                }));
                for problem in failed {
                    notes.push(Notice::attention(problem.to_string()));
                }
                self.practice.rescan_client(&id);
            } else {
                self.practice.rescan_client(&id);
                self.open = None;
                // Said as it is: in the trash (restorable) only if the trash has them.
                let trashed = self.practice.trash().iter().any(|entry| {
                    matches!(&entry.record.what, crate::storage::Trashed::Client { client, .. } if client == &id)
                });
                notes.push(if trashed {
                    Notice::info(format!("{name} was moved to the trash on another laptop; the trash restores them."))
                } else {
                    Notice::attention(format!(
                        "{name}'s folder is no longer in the practice, and not in its trash either: it was removed or \
                         moved outside Knotmap (another laptop, a sync tool). Look for it there."
                    ))
                });
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
                notes.push(Notice::attention(format!(
                    "{name}'s profile was changed on another laptop while you were editing it; yours is kept \
                     as {}, shown in the problems below.",
                    kept_as.display()
                )));
            } else {
                notes
                    .push(Notice::info(format!("{name}'s profile was updated from another laptop at {at}.")));
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
        // Sessions gone from the folder without edits here, said in one line each way
        // (in the trash, or not): a folder replaced can take twenty at once.
        let mut gone_to_trash: Vec<String> = Vec::new();
        let mut gone_elsewhere: Vec<String> = Vec::new();
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
                    let written = match open.session(&session_id).cloned() {
                        Some(session) => match self.practice.save_session(&session) {
                            Ok(()) => {
                                open.read_sessions.insert(session_id.clone(), session);
                                open.dirty.remove(&session_id);
                                Ok(())
                            }
                            Err(error) => Err(error),
                        },
                        None => Ok(()),
                    };
                    // "Written back" only when it was; otherwise the edit stays unsaved and is tried again.
                    notes.push(Notice::attention(match written {
                        Ok(()) => format!(
                            "The session of {day} was removed on another laptop while you were editing it; your \
                             edit was written back."
                        ),
                        Err(error) => format!(
                            "The session of {day} was removed on another laptop while you were editing it, and \
                             your edit could not be written back ({error}); it is still unsaved here."
                        ),
                    }));
                }
                SessionOnDisk::Gone => {
                    open.sessions.retain(|session| session.id != session_id);
                    open.read_sessions.remove(&session_id);
                    if open.selected.as_ref() == Some(&session_id) {
                        open.selected = open.sessions.last().map(|session| session.id.clone());
                    }
                    // Said as it is: in the trash (restorable) only if the trash has it.
                    let trashed = self.practice.trash().iter().any(|entry| {
                        matches!(&entry.record.what, crate::storage::Trashed::Session { session, .. } if session == &session_id)
                    });
                    if trashed { gone_to_trash.push(day) } else { gone_elsewhere.push(day) }
                }
                // The watcher can report one save more than once: the version already
                // waiting beside the edit is not news a second time.
                SessionOnDisk::Changed(read)
                    if dirty
                        && open.other_versions.get(&session_id).is_some_and(|other| {
                            matches!(&other.from, VersionFrom::AnotherLaptop { fingerprint, .. } if *fingerprint == read.fingerprint)
                        }) => {}
                SessionOnDisk::Changed(read) if dirty => {
                    let day = read.value.starts_at.strftime("%-d %b");
                    notes.push(Notice::attention(format!(
                        "The session of {day} was changed on another laptop while you were editing it: both \
                         versions are kept until you choose what to keep."
                    )));
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
                    notes.push(Notice::info(if is_new {
                        format!("A session of {day} came from another laptop at {at}.")
                    } else if session.is_locked() {
                        format!(
                            "The record of {day} was changed on another laptop at {at}; it is shown as it is on disk."
                        )
                    } else {
                        format!("The session of {day} was updated from another laptop at {at}.")
                    }));
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
        let days = |days: &[String]| match days {
            [one] => format!("The session of {one}"),
            [first, .., last] => format!("{} sessions of {name} ({first} to {last})", days.len()),
            [] => String::new(),
        };
        if !gone_to_trash.is_empty() {
            let were = if gone_to_trash.len() == 1 { "was" } else { "were" };
            notes.push(Notice::info(format!(
                "{} {were} moved to the trash on another laptop.",
                days(&gone_to_trash)
            )));
        }
        if !gone_elsewhere.is_empty() {
            let is = if gone_elsewhere.len() == 1 { "is" } else { "are" };
            notes.push(Notice::attention(format!(
                "{} {is} no longer in the practice, and not in its trash either: removed or moved outside Knotmap \
                 (another laptop, a sync tool).",
                days(&gone_elsewhere)
            )));
        }
        open.take_copies(self.practice.versions_of(&id));
    }

    /// Settles two versions of session `id`: the one waiting from another laptop,
    /// or else the conflict copy at `copy`. Each version not kept whole goes to
    /// the trash, where it can be restored. Returns what happened, in words.
    pub fn resolve(
        &mut self,
        id: &SessionId,
        copy: Option<&PathBuf>,
        resolution: Resolution,
    ) -> Result<String, ResolveError> {
        self.settle_writing();
        let Some(open) = &mut self.open else { return Err(ResolveError::NoClient) };
        let Some(this) = open.session(id).cloned() else { return Err(ResolveError::NoSession) };
        let other = match copy {
            Some(path) => OtherVersion {
                session: read_file::<Session>(path).map_err(ResolveError::Unreadable)?.value,
                from: VersionFrom::Copy(path.clone()),
            },
            None => open.other_versions.get(id).cloned().ok_or(ResolveError::NoSecondVersion)?,
        };
        let path = self.practice.session_path(&this.client, id);
        let message = match (&other.from, resolution) {
            (VersionFrom::AnotherLaptop { fingerprint, .. }, Resolution::KeepBoth) => {
                let kept = self.practice.keep_as_conflict_copy(&other.session)?;
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
                    self.practice.trash_version(&other.session, None)?;
                }
                self.practice.accept_fingerprint(&path, *fingerprint);
                if let Some(open) = &mut self.open {
                    open.read_sessions.insert(id.clone(), other.session.clone());
                }
                self.take_settled_version(result);
                "The session now has the parts you chose; what was not kept is in the trash.".to_owned()
            }
            (VersionFrom::Copy(_), Resolution::KeepBoth) => return Ok("Both versions are kept.".to_owned()),
            (VersionFrom::Copy(copy_path), Resolution::Merge(choices)) => {
                let result = merged(&this, &other.session, &choices);
                let on_file = open.read_sessions.get(id).cloned().unwrap_or_else(|| this.clone());
                if result != on_file {
                    self.practice.trash_version(&on_file, None)?;
                }
                self.practice.trash_version(&other.session, Some(copy_path))?;
                self.take_settled_version(result);
                "The session now has the parts you chose; the version not kept is in the trash.".to_owned()
            }
        };
        // Settled: this laptop's second-version file has done its work, and goes to the trash.
        let second = self.open.as_mut().and_then(|open| open.second_versions.remove(id));
        if let Some((file, written)) = second {
            self.practice.trash_version(&written, Some(&file))?;
        }
        if let Some(open) = &mut self.open {
            open.other_versions.remove(id);
            open.take_copies(self.practice.versions_of(&open.draft.id));
        }
        let mut saved = self.save();
        self.changed();
        match saved.problems.drain(..).next() {
            Some(problem) => Err(ResolveError::Save(problem)),
            None => Ok(message),
        }
    }
}
