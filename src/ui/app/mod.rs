//! The Knotmap window: the client list, the selected client, the session, the
//! problems, and the saving that happens on its own.

pub mod command;
pub mod end_signals;
pub mod problems_panel;
pub mod settings_view;
pub mod welcome;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jiff::civil::DateTime;

use egui::util::undoer::Undoer;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::model::{
    Client, ClientId, PracticeSettings, Session, SessionId, SessionStatus, last_completed, last_time_in_words,
};
use crate::safety::SafetyRules;
use crate::storage::{PlanFile, Practice, SaveError};

use crate::print::send::{NoPrinter, PrintService};
use crate::ui::client_list::ClientList;
use crate::ui::client_profile::client_profile;
use crate::ui::command::Command;
use crate::ui::file_dialog::{FileDialogs, ScriptedDialogs};
use crate::ui::history::{HistoryEvent, HistoryWindow};
use crate::ui::map_view::MapView;
use crate::ui::plan_files::{AfterClose, PlanEvent, PlanFiles};
use crate::ui::print::today::{TodayEvent, TodayList};
use crate::ui::print::{PrintDialog, PrintEvent, PrintSource};
use crate::ui::problems_panel::problems_panel;
use crate::ui::session_view::{SessionContext, SessionScreen};
use crate::ui::settings_view::settings_view;
use crate::ui::short_name::NameLine;
use crate::ui::welcome::welcome;

/// How long after an edit it is written to disk, at the latest.
const AUTOSAVE_AFTER_SECONDS: f64 = 1.5;

/// The key under which the last practice opened is remembered between runs.
pub const LAST_PRACTICE_KEY: &str = "last_practice";

/// The key under which the map's view (layer, fill, tool, zoom) is remembered.
pub const MAP_VIEW_KEY: &str = "map_view";

/// Where the app keeps the folders it makes for the user.
#[derive(Clone, Debug)]
pub struct Places {
    /// Where "Open the sample practice" writes the sample.
    pub sample_practice: PathBuf,
    /// Where the day's list saves its plan sheets as PDF, one folder a day.
    pub printed: PathBuf,
}

/// The local date and time now; injected so tests and screenshots are repeatable.
pub type Clock = Box<dyn Fn() -> DateTime>;

/// The wall clock, to the minute.
pub fn system_clock() -> Clock {
    Box::new(|| jiff::Zoned::now().datetime().round(jiff::Unit::Minute).unwrap_or_default())
}

/// A client open for editing: what was last saved, and the working copy.
struct OpenClient {
    saved: Client,
    draft: Client,
    saved_sessions: Vec<Session>,
    sessions: Vec<Session>,
    /// The sessions the app may have changed since they were saved: the one on the
    /// screen, new ones, undone ones. Only these are compared with their saved
    /// copies each frame, so a frame's work does not grow with the client's history.
    touched: BTreeSet<SessionId>,
    selected_session: Option<SessionId>,
    /// The undo history of the selected session: one step per settled edit.
    history: Undoer<Session>,
    /// The status and number of amendments the history began with: completing or
    /// amending starts a new history, so undo never reaches back across them.
    history_began: Option<(SessionStatus, usize)>,
}

impl OpenClient {
    /// Selects a session, with a fresh undo history.
    fn select_session(&mut self, id: Option<SessionId>) {
        self.selected_session = id;
        self.history = Undoer::default();
        self.history_began = None;
    }

    /// Undoes (or redoes) the last settled edit of the selected session. A
    /// locked session has nothing to undo, unless it is being amended.
    fn step_history(&mut self, redo: bool, amending: Option<&SessionId>) {
        let Some(id) = self.selected_session.clone() else {
            return;
        };
        let Some(index) = self.sessions.iter().position(|session| session.id == id) else {
            return;
        };
        let current = &self.sessions[index];
        if current.is_locked() && amending != Some(&id) {
            return;
        }
        let restored = if redo { self.history.redo(current) } else { self.history.undo(current) };
        if let Some(restored) = restored.cloned() {
            self.sessions[index] = restored;
            self.touched.insert(id);
        }
    }
}

/// A line for the user about the last thing that happened.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Saved,
    /// Something the user should know that is not a failure.
    Info(String),
    Error(String),
}

pub struct KnotmapApp {
    practice: Practice,
    places: Places,
    clock: Clock,
    client_list: ClientList,
    open_client: Option<OpenClient>,
    /// The name being typed for a new client, while that question is open.
    new_client_name: Option<String>,
    /// The folder being typed for another practice, while that question is open.
    practice_path: Option<String>,
    trash_open: bool,
    /// The body map's view (layer, fill, tool, zoom) and selection.
    session_screen: SessionScreen,
    /// The session the map's selection was made in.
    map_session: Option<SessionId>,
    /// The client list and profile are hidden, so the session has the window.
    lists_hidden: bool,
    status: Status,
    /// The time (egui's clock) when the oldest unsaved edit was seen.
    unsaved_since: Option<f64>,
    /// Plans opened from, or saved to, single files.
    plan_files: PlanFiles,
    /// The practice settings being edited, while their window is open.
    settings_draft: Option<PracticeSettings>,
    /// Every plan file is saved or given up, and the window should close.
    close_now: bool,
    /// The user was told an edit cannot be saved; the next close goes through.
    close_anyway: bool,
    /// What is in the trash, read when its window opens.
    trash_entries: Vec<crate::storage::TrashEntry>,
    /// Moving something to the trash, while the question "are you sure?" is open.
    trash_question: Option<TrashQuestion>,
    /// Where documents are printed, and opened in a viewer.
    print_service: Arc<dyn PrintService>,
    /// The file dialogs, for "Save as PDF…" (the plan files have them too).
    file_dialogs: Arc<dyn FileDialogs + Send + Sync>,
    /// The window's context, for work on other threads to wake it when done.
    repaint: egui::Context,
    /// File → Print…, while it is open.
    print_dialog: Option<PrintDialog>,
    /// The day's list, while it is open.
    today: Option<TodayList>,
    /// The open client's history, while it is open.
    history_window: Option<HistoryWindow>,
    /// Raised when the system asks the app to end (logout, shutdown, SIGTERM):
    /// every pending edit is saved and the window closes.
    shutdown: Option<Arc<AtomicBool>>,
}

/// What a move to the trash would move, asked before it happens.
#[derive(Clone, Debug)]
struct TrashQuestion {
    /// The command that moves it, once the user agrees.
    command: Command,
    /// What will move, in words.
    what: String,
}

impl KnotmapApp {
    pub fn new(practice: Practice, places: Places, clock: Clock) -> KnotmapApp {
        KnotmapApp {
            practice,
            places,
            clock,
            client_list: ClientList::default(),
            open_client: None,
            new_client_name: None,
            practice_path: None,
            trash_open: false,
            session_screen: SessionScreen::default(),
            map_session: None,
            lists_hidden: false,
            status: Status::Idle,
            unsaved_since: None,
            plan_files: PlanFiles::new(Arc::new(ScriptedDialogs::default())),
            print_service: Arc::new(NoPrinter),
            file_dialogs: Arc::new(ScriptedDialogs::default()),
            print_dialog: None,
            today: None,
            history_window: None,
            repaint: egui::Context::default(),
            settings_draft: None,
            close_now: false,
            close_anyway: false,
            trash_entries: Vec::new(),
            trash_question: None,
            shutdown: None,
        }
    }

    /// Ends the app, saving every pending edit first, once `requested` is raised
    /// (by the system's end signals: see [`crate::ui::end_signals`]).
    pub fn with_shutdown_request(mut self, requested: Arc<AtomicBool>) -> KnotmapApp {
        self.set_shutdown_request(requested);
        self
    }

    /// See [`KnotmapApp::with_shutdown_request`]; for an app already running.
    pub fn set_shutdown_request(&mut self, requested: Arc<AtomicBool>) {
        self.shutdown = Some(requested);
    }

    /// Uses `dialogs` for "Open plan…" and "Save plan as…" (the native ones in
    /// the app; scripted ones in tests, which never open a real dialog).
    pub fn with_file_dialogs(mut self, dialogs: Arc<dyn FileDialogs + Send + Sync>) -> KnotmapApp {
        self.file_dialogs = Arc::clone(&dialogs);
        self.plan_files = PlanFiles::new(dialogs);
        self
    }

    pub fn practice(&self) -> &Practice {
        &self.practice
    }

    /// Starts with the map's view as the user left it last time.
    pub fn with_map_view(mut self, mut map_view: MapView) -> KnotmapApp {
        map_view.make_sane();
        self.session_screen.map = map_view;
        self
    }

    pub fn map_view(&self) -> &MapView {
        &self.session_screen.map
    }

    /// Whether a body map is on the screen: a client's session or a plan file.
    fn map_shown(&self) -> bool {
        self.plan_files.is_open()
            || self.open_client.as_ref().is_some_and(|open| open.selected_session.is_some())
    }

    /// Draws the whole window, then applies what the user asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.repaint = ui.ctx().clone();
        if self.shutdown.as_ref().is_some_and(|requested| requested.load(Ordering::SeqCst)) {
            self.end_for_the_system(ui);
            return;
        }
        let mut commands: Vec<Command> = Command::WITH_SHORTCUTS
            .into_iter()
            .filter(|command| {
                command
                    .shortcut()
                    .is_some_and(|shortcut| ui.input_mut(|input| input.consume_shortcut(&shortcut)))
            })
            .collect();
        // The map's letters are for the map: never while a text field has the keys.
        if self.map_shown() && !ui.ctx().text_edit_focused() {
            commands.extend(Command::MAP_LETTERS.into_iter().filter(|command| {
                command
                    .shortcut()
                    .is_some_and(|shortcut| ui.input_mut(|input| input.consume_shortcut(&shortcut)))
            }));
        }

        egui::Panel::top("top_bar").show(ui, |ui| commands.extend(self.top_bar(ui)));
        if !self.practice.problems().is_empty() {
            egui::Panel::bottom("problems").resizable(true).show(ui, |ui| {
                problems_panel(ui, self.practice.problems());
            });
        }
        let lists_shown = !self.lists_hidden || self.open_client.is_none();
        if lists_shown {
            // One column: the clients above, the open client's sessions and profile below,
            // so the map keeps the width of the window.
            egui::Panel::left("clients").default_size(300.0).size_range(240.0..=480.0).show(ui, |ui| {
                let selected = self.open_client.as_ref().map(|open| open.draft.id.clone());
                let list_height = if selected.is_some() {
                    (ui.available_height() * 0.3).max(120.0)
                } else {
                    ui.available_height()
                };
                ui.allocate_ui(egui::vec2(ui.available_width(), list_height), |ui| {
                    commands.extend(self.client_list.ui(ui, &self.practice, selected.as_ref()));
                });
                if let Some(open) = &mut self.open_client {
                    ui.separator();
                    let path = self.practice.client_path(&open.draft.id);
                    let read_only = self.practice.read_only_reason(&path).map(str::to_owned);
                    commands.extend(client_profile(
                        ui,
                        &mut open.draft,
                        &open.sessions,
                        open.selected_session.as_ref(),
                        read_only.as_deref(),
                        (self.clock)().date(),
                    ));
                }
            });
        }
        egui::CentralPanel::default().show(ui, |ui| commands.extend(self.central(ui)));

        self.dialogs(ui, &mut commands);
        self.print_windows(ui, &mut commands);
        if !commands.is_empty() {
            // What the commands change is drawn at once, not at the next input.
            ui.ctx().request_repaint();
        }
        for command in commands {
            self.apply(command);
        }
        for event in self.plan_files.dialogs_ui(ui) {
            self.plan_event(event);
        }
        self.settings_window(ui);
        if std::mem::take(&mut self.close_now) {
            ui.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        // Closing with an edit that cannot be written says so once; closing again quits.
        if ui.input(|input| input.viewport().close_requested())
            && !std::mem::take(&mut self.close_anyway)
            && self.has_unsaved_edits()
            && !self.save_all()
        {
            ui.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if let Status::Error(message) = &self.status {
                self.status = Status::Error(format!("{message}. Close again to quit without this edit."));
            }
            self.close_anyway = true;
        }
        // Closing the window with a plan file's changes unsaved asks first.
        if ui.input(|input| input.viewport().close_requested()) && self.plan_files.has_unsaved_changes() {
            ui.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.plan_files.request_close(AfterClose::QuitApp);
        }
        self.feed_history(ui);
        self.autosave(ui);
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) -> Option<Command> {
        let mut command = None;
        let has_client = self.open_client.is_some();
        let has_session = self.open_client.as_ref().is_some_and(|open| open.selected_session.is_some());
        let has_past_session =
            self.open_client.as_ref().is_some_and(|open| last_completed(&open.sessions).is_some());
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                command = command.take().or(Command::NewClient.menu_item(ui));
                command = command.take().or(Command::NewSession.menu_item_enabled(ui, has_client));
                command =
                    command.take().or(Command::NewSessionFromLast.menu_item_enabled(ui, has_past_session));
                ui.separator();
                command = command.take().or(Command::OpenPlan.menu_item(ui));
                command = command.take().or(Command::SavePlanAs.menu_item_enabled(ui, has_session));
                command = command.take().or(Command::Save.menu_item(ui));
                command = command.take().or(Command::Print.menu_item_enabled(ui, has_client));
                command = command.take().or(Command::ShowToday.menu_item(ui));
                command = command.take().or(Command::ShowHistory.menu_item_enabled(ui, has_client));
                ui.separator();
                command = command.take().or(Command::SwitchPractice.menu_item(ui));
                command = command.take().or(Command::OpenSamplePractice.menu_item(ui));
                command = command.take().or(Command::ShowSettings.menu_item(ui));
                command = command.take().or(Command::ShowTrash.menu_item(ui));
            });
            ui.menu_button("Edit", |ui| {
                command = command.take().or(Command::Undo.menu_item_enabled(ui, has_session));
                command = command.take().or(Command::Redo.menu_item_enabled(ui, has_session));
            });
            ui.menu_button("View", |ui| {
                command = command.take().or(Command::ToggleLists.menu_item(ui));
                ui.separator();
                egui::widgets::global_theme_preference_buttons(ui);
            });
            ui.separator();
            ui.label(egui::RichText::new(&self.practice.settings().clinic_name).strong())
                .on_hover_text(self.practice.root().display().to_string());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                command = command.take().or(Command::Save.button(ui));
                if ui
                    .selectable_label(!self.lists_hidden, Command::ToggleLists.text())
                    .on_hover_text(Command::ToggleLists.tooltip())
                    .clicked()
                {
                    command = Some(Command::ToggleLists);
                }
                match &self.status {
                    Status::Error(message) => {
                        ui.colored_label(ui.visuals().error_fg_color, message);
                    }
                    Status::Info(message) => {
                        ui.label(message);
                    }
                    _ if self.has_unsaved_edits() => {
                        ui.weak("Saving…");
                    }
                    Status::Saved => {
                        ui.weak("All changes saved");
                    }
                    Status::Idle => {}
                }
            });
        });
        command
    }

    fn central(&mut self, ui: &mut egui::Ui) -> Option<Command> {
        let settings = self.practice.settings().clone();
        let now = (self.clock)();
        if self.plan_files.is_open() {
            let client = self.open_client.as_ref().map(|open| (&open.draft.id, open.draft.display_name()));
            let events = self.plan_files.plan_ui(ui, &mut self.session_screen, client, now);
            for event in events {
                self.plan_event(event);
            }
            return None;
        }
        let Some(open) = &mut self.open_client else {
            if self.practice.client_count() == 0 {
                return welcome(ui);
            }
            ui.centered_and_justified(|ui| ui.weak("Choose a client on the left, or add a new one."));
            return None;
        };
        let Some(index) =
            open.selected_session.as_ref().and_then(|id| open.sessions.iter().position(|s| &s.id == id))
        else {
            ui.centered_and_justified(|ui| ui.weak("Choose a session, or plan a new one."));
            return None;
        };
        // The client's last completed session before this one: what pressure rises are
        // measured against, and whose values are shown beside each region.
        let previous = crate::safety::previous_session(&open.sessions, &open.sessions[index]);
        let report =
            crate::safety::check_with(SafetyRules::standard(), &open.draft, &open.sessions[index], previous);
        let last_time = previous.map(last_time_in_words).unwrap_or_default();
        let since_first = crate::history::since_first_visit(&open.sessions);
        let session = &mut open.sessions[index];
        // The screen may change it this frame.
        open.touched.insert(session.id.clone());
        let day = format!(": session of {}", session.starts_at.strftime("%-d %B %Y"));
        NameLine::new(open.draft.display_name()).after(&day).style(egui::TextStyle::Heading).label(ui, None);
        if let Some(progress) = since_first {
            ui.weak(progress);
        }
        let path = self.practice.session_path(&session.client, &session.id);
        let read_only = self.practice.read_only_reason(&path).map(str::to_owned);
        // A selection belongs to the session it was made in.
        if self.map_session.as_ref() != Some(&session.id) {
            self.session_screen.map.clear_selection();
            self.map_session = Some(session.id.clone());
        }
        let context = SessionContext {
            settings: &settings,
            client: &open.draft,
            report: &report,
            last_time: &last_time,
            read_only: read_only.as_deref(),
            now,
            ask_screening: true,
        };
        self.session_screen.ui(ui, session, &context)
    }

    fn dialogs(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if let Some(name) = &mut self.new_client_name {
            let modal = egui::Modal::new(egui::Id::unique("new_client")).show(ui.ctx(), |ui| {
                ui.heading("New client");
                let field = ui
                    .add(egui::TextEdit::singleline(name).hint_text("Full name"))
                    .accessible_name("New client's name");
                // The name is the only thing to type here: the field has the keys from the start.
                if !field.has_focus() && !ui.ctx().memory(|memory| memory.focused().is_some()) {
                    field.request_focus();
                }
                let entered = ui.input(|input| input.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    let add =
                        ui.add_enabled(!name.trim().is_empty(), egui::Button::new("Add client")).clicked();
                    let cancel = ui.button("Cancel").clicked();
                    (add || (entered && !name.trim().is_empty()), cancel)
                })
                .inner
            });
            let (add, cancel) = modal.inner;
            if add {
                commands.push(Command::AddClient { name: name.trim().to_owned() });
            }
            if add || cancel || modal.should_close() {
                self.new_client_name = None;
            }
        }

        if let Some(path) = &mut self.practice_path {
            let modal = egui::Modal::new(egui::Id::unique("open_practice")).show(ui.ctx(), |ui| {
                ui.heading("Open a practice");
                ui.label("The folder of the practice (a new, empty folder starts a new practice):");
                ui.add(egui::TextEdit::singleline(path).hint_text("/path/to/practice").desired_width(420.0))
                    .accessible_name("Practice folder");
                ui.horizontal(|ui| (ui.button("Open").clicked(), ui.button("Cancel").clicked())).inner
            });
            let (open, cancel) = modal.inner;
            if open && !path.trim().is_empty() {
                commands.push(Command::OpenPractice(PathBuf::from(path.trim())));
            }
            if open || cancel || modal.should_close() {
                self.practice_path = None;
            }
        }

        if let Some(question) = &self.trash_question {
            let modal = egui::Modal::new(egui::Id::unique("trash_question")).show(ui.ctx(), |ui| {
                ui.set_max_width(440.0);
                ui.heading("Move to the trash?");
                ui.label(&question.what);
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    // "Keep" first, where the pointer that asked is likely to be.
                    let keep = ui.button("Keep it").clicked();
                    let trash = ui.button("Move to trash").clicked();
                    (keep, trash)
                })
                .inner
            });
            let (keep, trash) = modal.inner;
            if trash {
                commands.push(question.command.clone());
            }
            if keep || trash || modal.should_close() {
                self.trash_question = None;
            }
        }

        if self.trash_open {
            let mut still_open = true;
            egui::Window::new("Trash").open(&mut still_open).default_width(420.0).show(ui.ctx(), |ui| {
                if self.trash_entries.is_empty() {
                    ui.weak("The trash is empty.");
                }
                for entry in &self.trash_entries {
                    // Restore first, from the right, so that a long name is what gives way.
                    let row = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
                    ui.allocate_ui_with_layout(row, egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui.button("Restore").clicked() {
                            commands.push(Command::Restore(entry.folder.clone()));
                        }
                        let moved =
                            format!(", moved {}", entry.record.trashed_at.strftime("%-d %b %Y %H:%M"));
                        let line = match &entry.record.what {
                            crate::storage::Trashed::Client { name, .. } => {
                                NameLine::new(name).before("Client ").after(&moved)
                            }
                            crate::storage::Trashed::Session { session, .. } => {
                                NameLine::new(session.as_str()).before("Session ").after(&moved)
                            }
                            crate::storage::Trashed::Version { session, .. } => {
                                NameLine::new(session.as_str()).before("A version of session ").after(&moved)
                            }
                        };
                        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                            line.label(ui, None);
                        });
                    });
                }
            });
            self.trash_open = still_open;
        }
    }

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
            Command::ShowHistory => self.history_window = Some(HistoryWindow::default()),
            Command::OpenPlan => self.plan_files.start_open(),
            Command::SavePlanAs => self.save_plan_as(),
            Command::ShowSettings => self.settings_draft = Some(self.practice.settings().clone()),
            Command::SelectSession(id) => {
                if self.session_screen.amending_session().is_some_and(|amending| amending != &id) {
                    self.drop_unfinished_amendment();
                }
                if let Some(open) = &mut self.open_client {
                    open.select_session(Some(id));
                }
            }
            Command::Undo | Command::Redo => {
                // With a plan file in front, the practice's session is out of sight: leave it be.
                if !self.plan_files.is_open()
                    && let Some(open) = &mut self.open_client
                {
                    open.step_history(command == Command::Redo, self.session_screen.amending_session());
                }
            }
            Command::TrashClient(id) => self.ask_before_trashing_client(id),
            Command::TrashSession(id) => self.ask_before_trashing_session(id),
            Command::ConfirmTrashClient(id) => {
                if !self.leave_client() {
                    return;
                }
                match self.practice.trash_client(&id) {
                    Ok(_) => self.open_client = None,
                    Err(error) => self.status = Status::Error(error.to_string()),
                }
            }
            Command::ConfirmTrashSession(id) => self.trash_session(&id),
            Command::ShowTrash => {
                self.trash_entries = self.practice.trash();
                self.trash_open = true;
            }
            Command::ToggleLists => self.lists_hidden = !self.lists_hidden,
            // Without a map on the screen there is nothing to give the keyboard to.
            Command::FocusMap if self.map_shown() => self.session_screen.map.take_keyboard(),
            Command::FocusMap => {}
            Command::NextLayer => self.session_screen.map.next_layer(),
            Command::NextFill => self.session_screen.map.next_fill(),
            Command::Restore(folder) => self.restore(&folder),
            Command::OpenSamplePractice => self.open_sample_practice(),
            Command::SwitchPractice => {
                self.practice_path = Some(self.practice.root().display().to_string());
            }
            Command::OpenPractice(path) => self.open_practice(&path),
        }
    }

    fn add_client(&mut self, name: String) {
        let client = Client::new(name);
        match self.practice.save_client(&client) {
            Ok(()) => {
                self.status = Status::Saved;
                self.select_client(&client.id);
            }
            Err(error) => self.status = Status::Error(error.to_string()),
        }
    }

    /// Uses `service` to print and to open PDFs (CUPS in the app; a double in tests).
    pub fn with_print_service(mut self, service: Arc<dyn PrintService>) -> KnotmapApp {
        self.print_service = service;
        self
    }

    /// Opens File → Print… on the open client, and their selected session if any.
    fn open_print_dialog(&mut self) {
        self.save_all();
        let Some(open) = &self.open_client else {
            self.status = Status::Info("Select a client to print their plan or progress report".into());
            return;
        };
        let session =
            open.selected_session.as_ref().and_then(|id| open.sessions.iter().find(|s| &s.id == id)).cloned();
        let previous = session
            .as_ref()
            .and_then(|session| crate::safety::previous_session(&open.sessions, session))
            .cloned();
        let root = self.practice.root();
        let relative = |path: PathBuf| path.strip_prefix(root).map(Path::to_path_buf).unwrap_or(path);
        let session_file = session
            .as_ref()
            .map(|session| relative(self.practice.session_path(&open.draft.id, &session.id)))
            .unwrap_or_default();
        let source = PrintSource {
            settings: self.practice.settings().clone(),
            client: open.draft.clone(),
            session,
            previous,
            sessions: open.sessions.clone(),
            session_file,
            client_folder: relative(self.practice.client_folder(&open.draft.id)),
        };
        let printed_at = (self.clock)();
        self.print_dialog =
            Some(PrintDialog::new(source, printed_at, Arc::clone(&self.print_service), &self.repaint));
    }

    /// Opens the day's list.
    fn open_today(&mut self) {
        self.save_all();
        let today = (self.clock)().date();
        let entries = crate::print::batch::day_list(&mut self.practice, today);
        let folder = self.places.printed.join(today.to_string());
        self.today =
            Some(TodayList::new(today, entries, folder, Arc::clone(&self.print_service), &self.repaint));
    }

    /// The print dialog and the day's list, while open.
    fn print_windows(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if let Some(dialog) = &mut self.print_dialog
            && dialog.ui(ui, &self.print_service, self.file_dialogs.as_ref()) == Some(PrintEvent::Closed)
        {
            self.print_dialog = None;
        }
        if let (Some(window), Some(open)) = (&mut self.history_window, &self.open_client) {
            match window.ui(ui.ctx(), &open.draft.name, &open.sessions) {
                Some(HistoryEvent::Closed) => self.history_window = None,
                Some(HistoryEvent::Open(session)) => commands.push(Command::SelectSession(session)),
                None => {}
            }
        }
        let printed_at = (self.clock)();
        if let Some(today) = &mut self.today {
            match today.ui(ui, &self.print_service, printed_at) {
                Some(TodayEvent::Closed) => self.today = None,
                Some(TodayEvent::Open { client, session }) => {
                    commands.push(Command::SelectClient(client));
                    commands.push(Command::SelectSession(session));
                }
                None => {}
            }
        }
    }

    fn select_client(&mut self, id: &ClientId) {
        if !self.leave_client() {
            return;
        }
        let Some(entry) = self.practice.client(id) else {
            return;
        };
        let client = entry.client.clone();
        let sessions = self.practice.read_sessions(id);
        let selected_session = sessions.last().map(|session| session.id.clone());
        self.open_client = Some(OpenClient {
            saved: client.clone(),
            draft: client,
            saved_sessions: sessions.clone(),
            sessions,
            touched: BTreeSet::new(),
            selected_session,
            history: Undoer::default(),
            history_began: None,
        });
    }

    fn new_session(&mut self) {
        let settings = self.practice.settings().clone();
        let Some(open) = &mut self.open_client else {
            self.status = Status::Error("Choose a client first, then plan their session.".to_owned());
            return;
        };
        let mut session =
            Session::new(open.draft.id.clone(), (self.clock)(), settings.default_session_minutes);
        session.therapist = settings.therapists.first().cloned().unwrap_or_default();
        session.aftercare = settings.aftercare.clone();
        let interval = jiff::Span::new().days(i64::from(settings.next_visit_interval_days));
        session.next_visit = session.starts_at.date().checked_add(interval).ok();
        let id = session.id.clone();
        open.sessions.push(session);
        open.touched.insert(id.clone());
        open.select_session(Some(id));
        // A new session is written at once, so that it exists even if the app is closed right away.
        self.save_all();
    }

    /// "Save plan as…": the open plan file under another name, or else the open session's plan.
    fn save_plan_as(&mut self) {
        if self.plan_files.save_open_as() {
            return;
        }
        let now = (self.clock)();
        let Some(open) = &self.open_client else {
            self.status = Status::Error("Open a session first: its plan is what gets saved.".to_owned());
            return;
        };
        let Some(session) =
            open.selected_session.as_ref().and_then(|id| open.sessions.iter().find(|s| &s.id == id))
        else {
            self.status = Status::Error("Open a session first: its plan is what gets saved.".to_owned());
            return;
        };
        self.plan_files.start_save_as(PlanFile::new(open.draft.display_name(), session.clone(), now));
    }

    fn plan_event(&mut self, event: PlanEvent) {
        match event {
            PlanEvent::Info(message) => self.status = Status::Info(message),
            PlanEvent::Error(message) => self.status = Status::Error(message),
            PlanEvent::Quit => {
                self.save_all();
                self.close_now = true;
            }
            PlanEvent::Import { client, plan } => {
                match self.practice.import_plan(&client, &plan, (self.clock)()) {
                    Ok(session) => {
                        self.plan_files.close_imported();
                        self.select_client(&client);
                        if let Some(open) = &mut self.open_client {
                            open.select_session(Some(session.id.clone()));
                        }
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

    /// The practice settings window, while open; closing it saves what changed.
    fn settings_window(&mut self, ui: &mut egui::Ui) {
        let Some(draft) = &mut self.settings_draft else { return };
        let mut open = true;
        let mut done = false;
        let read_only = self.practice.read_only_reason(&self.practice.settings_path()).map(str::to_owned);
        egui::Window::new("Practice settings").open(&mut open).default_width(460.0).show(ui.ctx(), |ui| {
            settings_view(ui, draft, read_only.as_deref());
            ui.separator();
            done = ui.button("Done").clicked();
        });
        if open && !done {
            return;
        }
        self.save_settings_draft();
        if !matches!(self.status, Status::Error(_)) {
            self.status = Status::Saved;
        }
    }

    /// Plans the next session from the last completed one: its plan, goals and
    /// aftercare (see [`Session::follow_up`]).
    fn new_session_from_last(&mut self) {
        let now = (self.clock)();
        let Some(open) = &mut self.open_client else {
            self.status = Status::Error("Choose a client first, then plan their session.".to_owned());
            return;
        };
        let Some(last) = last_completed(&open.sessions) else {
            self.status = Status::Error(format!(
                "{} has no completed session to start from yet.",
                open.draft.display_name()
            ));
            return;
        };
        let mut session = Session::follow_up(last, now);
        let interval = jiff::Span::new().days(i64::from(self.practice.settings().next_visit_interval_days));
        session.next_visit = session.starts_at.date().checked_add(interval).ok();
        let id = session.id.clone();
        open.sessions.push(session);
        open.touched.insert(id.clone());
        open.select_session(Some(id));
        self.save_all();
    }

    /// Asks before a client moves to the trash, saying what moves with them.
    fn ask_before_trashing_client(&mut self, id: ClientId) {
        let Some(entry) = self.practice.client(&id) else { return };
        let name = entry.client.display_name().to_owned();
        let count = entry.sessions.len();
        // The open client's sessions are already read; another's are read to count their records.
        let sessions = match &self.open_client {
            Some(open) if open.draft.id == id => open.sessions.clone(),
            _ => self.practice.read_sessions(&id),
        };
        let records = sessions.iter().filter(|session| session.status.is_record()).count();
        let sessions_words = match count {
            0 => "no sessions".to_owned(),
            1 => "their one session".to_owned(),
            count => format!("all {count} of their sessions"),
        };
        let records_words = match records {
            0 => String::new(),
            1 => " That includes 1 completed record: it stays in the trash, unchanged, and is restored with \
                  the client."
                .to_owned(),
            records => format!(
                " That includes {records} completed records: they stay in the trash, unchanged, and are \
                 restored with the client."
            ),
        };
        self.trash_question = Some(TrashQuestion {
            command: Command::ConfirmTrashClient(id),
            what: format!(
                "{name}'s profile and {sessions_words} move to the practice's trash.{records_words} The trash \
                 (File menu) restores them."
            ),
        });
    }

    /// Asks before a planned session moves to the trash; a record is refused
    /// outright (it is marked entered in error instead).
    fn ask_before_trashing_session(&mut self, id: SessionId) {
        let Some(open) = &self.open_client else { return };
        let Some(session) = open.sessions.iter().find(|session| session.id == id) else { return };
        if session.status.is_record() {
            self.status = Status::Error(
                "A completed or cancelled session is a record and is never moved to the trash; mark it \
                 entered in error instead (Session tab)."
                    .to_owned(),
            );
            return;
        }
        self.trash_question = Some(TrashQuestion {
            what: format!(
                "The {} session of {} moves to the practice's trash. The trash (File menu) restores it.",
                session.status.word(),
                session.starts_at.strftime("%a %-d %b %Y, %H:%M")
            ),
            command: Command::ConfirmTrashSession(id),
        });
    }

    /// Saves every pending edit and closes the window, without a question:
    /// the system is ending the app and nobody is there to answer.
    fn end_for_the_system(&mut self, ui: &mut egui::Ui) {
        self.save_settings_draft();
        self.drop_unfinished_amendment();
        self.save_all();
        self.close_now = false;
        ui.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    fn trash_session(&mut self, id: &SessionId) {
        if self.session_screen.amending_session() == Some(id) {
            self.drop_unfinished_amendment();
        }
        if !self.save_all() {
            return;
        }
        let Some(open) = &mut self.open_client else { return };
        match self.practice.trash_session(&open.draft.id, id) {
            Ok(_) => {
                open.sessions.retain(|session| &session.id != id);
                open.saved_sessions.retain(|session| &session.id != id);
                let last = open.sessions.last().map(|session| session.id.clone());
                open.select_session(last);
            }
            Err(error) => self.status = Status::Error(error.to_string()),
        }
    }

    fn restore(&mut self, folder: &Path) {
        let Some(entry) = self.practice.trash().into_iter().find(|entry| entry.folder == folder) else {
            return;
        };
        let restored = self.practice.restore(&entry);
        self.trash_entries = self.practice.trash();
        match restored {
            Ok(()) => {
                if let Some(id) = self.open_client.as_ref().map(|open| open.draft.id.clone()) {
                    self.select_client(&id);
                }
            }
            Err(error) => self.status = Status::Error(error.to_string()),
        }
    }

    fn open_sample_practice(&mut self) {
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

    fn open_practice(&mut self, folder: &Path) {
        self.save_settings_draft();
        if !self.leave_client() {
            return;
        }
        match Practice::open_or_create(folder) {
            Ok(practice) => {
                self.practice = practice;
                self.open_client = None;
                self.status = Status::Idle;
            }
            Err(error) => self.status = Status::Error(error.to_string()),
        }
    }

    /// Lets the undo history see the session as it is after this frame's edits.
    fn feed_history(&mut self, ui: &egui::Ui) {
        let now = ui.input(|input| input.time);
        let Some(open) = &mut self.open_client else { return };
        let Some(id) = open.selected_session.clone() else {
            return;
        };
        if let Some(session) = open.sessions.iter().find(|session| session.id == id) {
            let began = (session.status, session.amendments.len());
            if open.history_began != Some(began) {
                open.history = Undoer::default();
                open.history_began = Some(began);
            }
            open.history.feed_state(now, session);
        }
    }

    fn has_unsaved_edits(&self) -> bool {
        let Some(open) = &self.open_client else {
            return false;
        };
        // A session being amended waits for its reason (see `save_all`).
        let amending = self.session_screen.amending_session();
        open.draft != open.saved
            || open.touched.iter().filter(|id| Some(*id) != amending).any(|id| {
                let session = open.sessions.iter().find(|session| &session.id == id);
                session.is_some() && open.saved_sessions.iter().find(|saved| &saved.id == id) != session
            })
    }

    /// Saves a while after the first unsaved edit, and asks for a frame then, so
    /// that nothing waits for the next key press; no frames are drawn otherwise.
    fn autosave(&mut self, ui: &egui::Ui) {
        if !self.has_unsaved_edits() {
            self.unsaved_since = None;
            return;
        }
        let now = ui.input(|input| input.time);
        let since = *self.unsaved_since.get_or_insert(now);
        let waited = now - since;
        if waited >= AUTOSAVE_AFTER_SECONDS {
            self.save_all();
            self.unsaved_since = None;
        } else {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(AUTOSAVE_AFTER_SECONDS - waited));
        }
    }

    /// Writes every unsaved edit, and says whether every edit is now safe: saved,
    /// or kept as a conflict copy beside a file someone else changed. An edit that
    /// could not be written at all (a full disk, a drive gone) stays unsaved, and
    /// the caller must not drop it.
    pub fn save_all(&mut self) -> bool {
        let Some(open) = &mut self.open_client else { return true };
        // Retrying these would only make more copies, or fail again: the edit is as safe as it gets.
        let settled = |error: &SaveError| {
            matches!(
                error,
                SaveError::ChangedElsewhere { .. }
                    | SaveError::ReadOnly { .. }
                    | SaveError::RemovedElsewhere { .. }
            )
        };
        let mut problems = Vec::new();
        if open.draft != open.saved {
            match self.practice.save_client(&open.draft) {
                Ok(()) => open.saved = open.draft.clone(),
                Err(error) => {
                    if settled(&error) {
                        open.saved = open.draft.clone();
                    }
                    problems.push(error);
                }
            }
        }
        let amending = self.session_screen.amending_session();
        for session in &open.sessions {
            if amending == Some(&session.id) {
                continue;
            }
            let saved = open.saved_sessions.iter_mut().find(|saved| saved.id == session.id);
            if saved.as_deref() == Some(session) {
                continue;
            }
            match self.practice.save_session(session) {
                Ok(()) => match saved {
                    Some(saved) => *saved = session.clone(),
                    None => open.saved_sessions.push(session.clone()),
                },
                Err(error) => {
                    if settled(&error) {
                        match saved {
                            Some(saved) => *saved = session.clone(),
                            None => open.saved_sessions.push(session.clone()),
                        }
                    }
                    problems.push(error);
                }
            }
        }
        // What is saved now needs no more looking at, until it is touched again.
        let (sessions, saved) = (&open.sessions, &open.saved_sessions);
        open.touched.retain(|id| {
            let session = sessions.iter().find(|session| &session.id == id);
            amending == Some(id)
                || (session.is_some() && saved.iter().find(|saved| &saved.id == id) != session)
        });
        let all_safe = problems.iter().all(settled);
        self.status = match problems.first() {
            None => Status::Saved,
            Some(error) => Status::Error(error.to_string()),
        };
        all_safe
    }

    /// Puts back a session whose amendment was left unfinished: an amendment
    /// without its reason is not a record.
    fn drop_unfinished_amendment(&mut self) {
        let Some(id) = self.session_screen.amending_session().cloned() else { return };
        if let Some(open) = &mut self.open_client
            && let Some(session) = open.sessions.iter_mut().find(|session| session.id == id)
            && self.session_screen.cancel_amendment(session)
        {
            open.touched.insert(id);
            self.status =
                Status::Info("The unfinished amendment was cancelled; the record is as it was.".to_owned());
        }
    }

    /// Saves the practice settings being edited, if they changed.
    fn save_settings_draft(&mut self) {
        if let Some(draft) = self.settings_draft.take()
            && draft != *self.practice.settings()
            && let Err(error) = self.practice.save_settings(&draft)
        {
            self.status = Status::Error(error.to_string());
        }
    }

    /// Gets ready to leave the open client (for another client, practice, or the
    /// trash): false, with the reason shown, when an edit could not be saved.
    fn leave_client(&mut self) -> bool {
        self.drop_unfinished_amendment();
        self.save_all()
    }
}

impl eframe::App for KnotmapApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        KnotmapApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, LAST_PRACTICE_KEY, &self.practice.root().to_path_buf());
        eframe::set_value(storage, MAP_VIEW_KEY, &self.session_screen.map);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.save_settings_draft();
        self.drop_unfinished_amendment();
        self.save_all();
    }
}
