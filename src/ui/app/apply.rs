//! Applying what the window was asked: each command after the frame, each edit
//! through the workspace (which applies it through the session's lifecycle), and
//! what follows from them (selecting a client or session, undo, the trash).

use super::*;
use crate::model::schedule::next_free_start;
use crate::model::words::sentence;

impl KnotmapApp {
    /// Carries out one command, after the frame that asked for it.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Save => {
                self.save_all();
                if let Some(event) = self.plan_files.save() {
                    self.plan_event(event);
                }
            }
            Command::NewClient => self.new_client_name = Some(String::new()),
            Command::AddClient { name } => self.add_client(name),
            Command::SelectClient(id) => self.select_client(&id),
            Command::NewSession => self.new_session(),
            Command::NewSessionFromLast => self.new_session_from_last(),
            Command::Print => self.open_print_dialog(),
            Command::ShowToday => self.open_today(),
            // History is one client's: with none open (Ctrl+H from the start), say so.
            Command::ShowHistory if self.workspace.open_client().is_none() => {
                self.status =
                    Status::Info("Choose a client first: History shows one client's sessions".into());
            }
            Command::ShowHistory => self.history_window = Some(HistoryWindow::default()),
            Command::OpenPlan => self.plan_files.start_open(),
            Command::SavePlanAs => self.save_plan_as(),
            Command::ShowSettings => self.settings_draft = Some(self.workspace.practice().settings().clone()),
            Command::SelectSession(id) => {
                if self.workspace.amending().is_some_and(|amending| amending != &id) {
                    self.drop_unfinished_amendment();
                }
                self.select_session(Some(id));
            }
            // With a plan file in front, it is the plan that undo steps through.
            Command::Undo | Command::Redo => self.step_history(command == Command::Redo),
            Command::Edit(edit) => self.apply_edit(edit),
            Command::CompareVersions { session, copy } => self.compare_versions(session, copy),
            Command::Resolve { session, copy, resolution } => {
                match self.workspace.resolve(&session, copy.as_ref(), resolution) {
                    Ok(message) => self.status = Status::Info(message),
                    Err(error) => self.status = Status::Error(sentence(&error.to_string())),
                }
                self.versions = None;
            }
            Command::AskTakeOver => self.take_over_question = true,
            Command::TakeOver => self.take_over(),
            Command::TrashClient(id) => self.ask_before_trashing_client(id),
            Command::TrashSession(id) => self.ask_before_trashing_session(id),
            Command::ConfirmTrashClient(id) => {
                if !self.leave_client() {
                    return;
                }
                self.select_session(None);
                if let Err(error) = self.workspace.trash_client(&id) {
                    self.status = Status::Error(error.to_string());
                }
            }
            Command::ConfirmTrashSession(id) => self.trash_session(&id),
            Command::ShowTrash => {
                self.trash_entries = self.workspace.trash_entries();
                self.trash_open = true;
            }
            Command::ToggleLists => self.lists_hidden = !self.lists_hidden,
            Command::HandToClient(session) => self.hand_to_client(session),
            Command::Lock => self.lock(),
            Command::AskQuestionnaire => self.hand_questionnaire(),
            Command::ShowRecordHistory(session) => self.show_record_history(&session),
            Command::IdleLock(minutes) => self.idle_lock = minutes,
            Command::ShowConsentSettings => self.consent_settings_open = true,
            // Without a map on the screen there is nothing to give the keyboard to.
            Command::FocusMap if self.map_shown() => self.session_screen.map.take_keyboard(),
            Command::FocusMap => {}
            Command::NextLayer => self.session_screen.map.next_layer(),
            Command::NextFill => self.session_screen.map.next_fill(),
            Command::Restore(folder) => self.restore(&folder),
            Command::OpenSamplePractice => self.open_sample_practice(),
            Command::SwitchPractice => {
                self.practice_path = Some(self.workspace.practice().root().display().to_string());
            }
            Command::OpenPractice(path) => self.open_practice(&path),
            Command::CloseSettings => self.close_settings(),
            Command::Watch(choice) => {
                self.watch_choice = choice;
                self.start_watching();
            }
            Command::ShowSafetyRules => {
                let rules = self.workspace.practice().clinic_rules().as_ref().clone();
                self.safety_rules = Some(safety_rules_view::SafetyRulesWindow::new(rules));
            }
            Command::SaveSafetyRules(rules) => self.save_safety_rules(*rules),
            Command::CloseSafetyRules => self.safety_rules = None,
            Command::BringBack => self.bring_back(),
            Command::DismissNotices => self.notices.clear(),
        }
    }

    pub(super) fn add_client(&mut self, name: String) {
        let client = Client::new(name);
        match self.workspace.add_client(&client) {
            Ok(()) => {
                self.status = Status::Saved;
                self.select_client(&client.id);
            }
            Err(error) => self.status = Status::Error(error.to_string()),
        }
    }

    pub(super) fn select_client(&mut self, id: &ClientId) {
        if !self.leave_client() {
            return;
        }
        self.select_session(None);
        if self.workspace.open(id) {
            let latest =
                self.workspace.open_client().and_then(|open| open.sessions().last()).map(|s| s.id.clone());
            self.select_session(latest);
        }
    }

    pub(super) fn new_session(&mut self) {
        let settings = self.workspace.practice().settings().clone();
        let Some(open) = self.workspace.open_client() else {
            self.status = Status::Error("Choose a client first, then plan their session.".to_owned());
            return;
        };
        let now = (self.clock)();
        let length = settings.default_session_minutes;
        let starts_at = next_free_start(now, length, open.sessions(), settings.opening_hours);
        let mut session = Session::new(open.client().id.clone(), starts_at, length);
        session.therapist = settings.therapists.first().cloned().unwrap_or_default();
        session.aftercare = settings.aftercare.clone();
        let interval = jiff::Span::new().days(i64::from(settings.next_visit_interval_days));
        session.next_visit = session.starts_at.date().checked_add(interval).ok();
        let id = session.id.clone();
        self.apply_edit(Edit::NewSession(session));
        // A new session is written at once, so that it exists even if the app is closed right
        // away, and before it is selected, so that other laptops are told at once it is open here.
        self.save_all();
        self.select_session(Some(id));
        self.say_where_it_starts(now, starts_at);
    }

    /// Says when a new session was put, since it is not "now": the first free
    /// quarter hour of the practice's day, or the next day's.
    fn say_where_it_starts(&mut self, now: jiff::civil::DateTime, starts_at: jiff::civil::DateTime) {
        if matches!(self.status, Status::Error(_)) {
            return;
        }
        let when = if starts_at.date() == now.date() {
            starts_at.strftime("today at %H:%M").to_string()
        } else {
            starts_at.strftime("on %A %-d %B at %H:%M").to_string()
        };
        self.status =
            Status::Info(format!("New session {when}, the next free time; change it under Starts."));
    }

    /// "Save plan as…": the open plan file under another name, or else the open session's plan.
    pub(super) fn save_plan_as(&mut self) {
        if self.plan_files.save_open_as() {
            return;
        }
        let now = (self.clock)();
        let Some(open) = self.workspace.open_client() else {
            self.status = Status::Error("Open a session first: its plan is what gets saved.".to_owned());
            return;
        };
        let Some(session) = open.selected_session() else {
            self.status = Status::Error("Open a session first: its plan is what gets saved.".to_owned());
            return;
        };
        self.plan_files.start_save_as(PlanFile::new(open.client().display_name(), session.clone(), now));
    }

    pub(super) fn plan_event(&mut self, event: PlanEvent) {
        match event {
            PlanEvent::Info(message) => self.status = Status::Info(message),
            PlanEvent::Error(error) => self.status = Status::Error(error.to_string()),
            PlanEvent::Refused(refusal) => self.status = Status::Error(format!("Not done: {refusal}.")),
            PlanEvent::OnlyInASession => {
                self.status = Status::Error(
                    "A plan file is a plan: import it into a client's sessions to screen, mark ready, complete or \
                     cancel it."
                        .to_owned(),
                )
            }
            PlanEvent::Quit => {
                self.save_all();
                self.close_now = true;
            }
            PlanEvent::Import { client, plan } => {
                match self.workspace.import_plan(&client, &plan, (self.clock)()) {
                    Ok(session) => {
                        self.plan_files.close_imported();
                        self.select_client(&client);
                        self.select_session(Some(session.id.clone()));
                        self.status = Status::Info(format!(
                            "Imported the plan as a new session of {}",
                            plan.client_name
                        ));
                    }
                    Err(error) => self.status = Status::Error(error.to_string()),
                }
            }
        }
    }

    /// Plans the next session from the last completed one: its plan, goals and
    /// aftercare (see [`Session::follow_up`]).
    pub(super) fn new_session_from_last(&mut self) {
        let now = (self.clock)();
        let Some(open) = self.workspace.open_client() else {
            self.status = Status::Error("Choose a client first, then plan their session.".to_owned());
            return;
        };
        let Some(last) = last_completed(open.sessions()) else {
            self.status = Status::Error(format!(
                "{} has no completed session to start from yet.",
                open.client().display_name()
            ));
            return;
        };
        let settings = self.workspace.practice().settings();
        let starts_at = next_free_start(now, last.minutes, open.sessions(), settings.opening_hours);
        let mut session = Session::follow_up(last, starts_at);
        let interval =
            jiff::Span::new().days(i64::from(self.workspace.practice().settings().next_visit_interval_days));
        session.next_visit = session.starts_at.date().checked_add(interval).ok();
        let id = session.id.clone();
        self.apply_edit(Edit::NewSession(session));
        self.save_all();
        self.select_session(Some(id));
        self.say_where_it_starts(now, starts_at);
    }

    pub(super) fn trash_session(&mut self, id: &SessionId) {
        if self.workspace.amending() == Some(id) {
            self.drop_unfinished_amendment();
        }
        if !self.save_all() {
            return;
        }
        let Some(client) = self.workspace.open_client().map(|open| open.client().id.clone()) else { return };
        self.select_session(None);
        match self.workspace.trash_session(&client, id) {
            Ok(_) => {
                // The session is gone from the folder, and from the client.
                let last = self
                    .workspace
                    .open_client()
                    .and_then(|open| open.sessions().last())
                    .map(|s| s.id.clone());
                self.select_session(last);
            }
            Err(error) => self.status = Status::Error(error.to_string()),
        }
    }

    pub(super) fn restore(&mut self, folder: &Path) {
        let restored = self.workspace.restore(folder);
        self.trash_entries = self.workspace.trash_entries();
        match restored {
            Ok(true) => {
                if let Some(id) = self.workspace.open_client().map(|open| open.client().id.clone()) {
                    self.select_client(&id);
                }
            }
            Ok(false) => {}
            Err(error) => self.status = Status::Error(error.to_string()),
        }
    }

    pub(super) fn open_sample_practice(&mut self) {
        let folder = self.places.sample_practice.clone();
        if !folder.join(crate::storage::SETTINGS_FILE).exists() {
            let today = (self.clock)().date();
            if let Err(error) = crate::sample::write_sample_practice(&folder, today) {
                self.status = Status::Error(error.to_string());
                return;
            }
        }
        self.open_practice(&folder);
    }

    pub(super) fn open_practice(&mut self, folder: &Path) {
        self.save_settings_draft();
        if !self.leave_client() {
            return;
        }
        match Practice::open_or_create(folder) {
            Ok(practice) => {
                self.select_session(None);
                self.workspace.replace_practice(practice);
                self.kept_aside = self.workspace.kept_aside();
                self.status = Status::Idle;
                self.start_watching();
            }
            Err(error) => self.status = Status::Error(error.to_string()),
        }
    }

    /// Puts the edits kept in the recovery folder back into the practice, and
    /// says what became of each.
    pub(super) fn bring_back(&mut self) {
        if !self.leave_client() {
            return;
        }
        let open = self.workspace.open_client().map(|open| open.client().id.clone());
        let said = self.workspace.bring_back();
        let failed: Vec<String> =
            said.iter().filter_map(|outcome| outcome.as_ref().err().map(ToString::to_string)).collect();
        let back = said.len() - failed.len();
        self.kept_aside = self.workspace.kept_aside();
        self.status = if failed.is_empty() {
            Status::Info(format!(
                "{back} kept {} back in the practice.",
                if back == 1 { "edit is" } else { "edits are" }
            ))
        } else {
            Status::Error(format!("{back} put back; not yet: {}", failed.join("; ")))
        };
        // What is open is read again, with what came back.
        if let Some(id) = open {
            self.select_client(&id);
        }
    }

    /// Lets the undo history see the session as it is after this frame's edits.
    pub(super) fn feed_history(&mut self, ui: &egui::Ui) {
        let now = ui.input(|input| input.time);
        // The plan file in front has a history of its own.
        let (session, undo) = match self.plan_files.open_session() {
            Some(session) => (session, &mut self.plan_undo),
            None => {
                let Some(session) = self.workspace.open_client().and_then(|open| open.selected_session())
                else {
                    return;
                };
                (session, &mut self.undo)
            }
        };
        let began = (session.id.clone(), session.status, session.amendments.len());
        if undo.began.as_ref() != Some(&began) {
            *undo = UndoHistory { steps: Undoer::default(), began: Some(began) };
        }
        undo.steps.feed_state(now, session);
    }

    /// Undoes (or redoes) the last settled edit of the plan file in front, or
    /// else of the selected session. A locked session has nothing to undo,
    /// unless it is being amended. Undo takes back the plan's content only:
    /// never a change of status.
    pub(super) fn step_history(&mut self, redo: bool) {
        if let Some(current) = self.plan_files.open_session() {
            let steps = &mut self.plan_undo.steps;
            let restored = if redo { steps.redo(current) } else { steps.undo(current) };
            if let Some(content) = restored.map(PlanContent::of) {
                self.plan_files.take_content(content);
            }
            return;
        }
        let Some(current) = self.workspace.open_client().and_then(|open| open.selected_session()) else {
            return;
        };
        if current.is_locked() && self.workspace.amending() != Some(&current.id) {
            return;
        }
        let restored = if redo { self.undo.steps.redo(current) } else { self.undo.steps.undo(current) };
        if let Some(restored) = restored.cloned() {
            self.apply_edit(Edit::plan_of(&restored));
        }
    }

    /// Selects a session (or none), with a fresh undo history, and marks it as
    /// open for editing here, unless another laptop has it open.
    pub(super) fn select_session(&mut self, id: Option<SessionId>) {
        if self.workspace.open_client().and_then(|open| open.selected()) != id.as_ref() {
            self.lifecycle_notice = None;
        }
        self.workspace.select(id.clone());
        self.undo = UndoHistory::default();
        self.held_elsewhere = None;
        if self.presence.as_ref().map(|(held, _)| held) == id.as_ref() && id.is_some() {
            return;
        }
        // Leaving a session removes this laptop's mark on it.
        self.presence = None;
        let Some(id) = id else { return };
        let Some(client) = self.workspace.open_client().map(|open| open.client().id.clone()) else { return };
        let path = self.workspace.practice().session_path(&client, &id);
        let now = jiff::Timestamp::now();
        let here = self.here_at(now);
        if let Some(other) = presence::others_editing(&path, &here.laptop).into_iter().next() {
            self.held_elsewhere = Some(other);
            return;
        }
        self.place_presence(&id, &path, here);
    }

    /// Puts back a session whose amendment was left unfinished: an amendment
    /// without its reason is not a record.
    pub(super) fn drop_unfinished_amendment(&mut self) {
        if self.workspace.amending().is_none() {
            return;
        }
        if self.workspace.apply(Edit::CancelAmendment, (self.clock)()).is_ok() {
            self.status =
                Status::Info("The unfinished amendment was cancelled; the record is as it was.".to_owned());
        }
    }

    /// Applies an edit through the workspace, and tells the user what it refused
    /// or what else it did (a ready session back to planned).
    pub(super) fn apply_edit(&mut self, edit: Edit) {
        match self.workspace.apply(edit, (self.clock)()) {
            Ok(Applied::BackToPlanned { why, .. }) => {
                self.lifecycle_notice = Some(format!(
                    "The session is planned again, no longer ready: {}.",
                    why.to_string().trim_end_matches('.')
                ));
            }
            Ok(Applied::Nothing) => {}
            Ok(Applied::Done) => self.lifecycle_notice = None,
            Err(refusal) => {
                self.lifecycle_notice = Some(format!("Not done: {}", sentence(&refusal.to_string())))
            }
        }
    }
}
