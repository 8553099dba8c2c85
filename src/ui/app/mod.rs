//! The Knotmap window: the client list, the selected client, the session, the
//! problems, and the saving that happens on its own.

pub mod command;
pub mod end_signals;
pub mod problems_panel;
pub mod safety_rules_view;
pub mod settings_view;
pub mod welcome;

use std::path::{Path, PathBuf};

use jiff::civil::DateTime;

use egui::util::undoer::Undoer;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::model::{Client, ClientId, PracticeSettings, Session, SessionId, SessionStatus, last_completed};
use crate::storage::presence::{self, Presence, PresenceMark};
use crate::storage::watch::{Changes, PracticeWatcher, WatchChoice};
use crate::storage::{PlanFile, Practice};
use crate::ui::session::versions::{VersionsWindow, versions_list};
use crate::workspace::{Applied, Edit, VersionFrom, Workspace};

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

/// The key under which this laptop's way of watching the practice folder is remembered.
pub const WATCH_KEY: &str = "watch";

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

/// The undo history of the selected session: one step per settled edit.
#[derive(Default)]
struct UndoHistory {
    steps: Undoer<Session>,
    /// The session, status and number of amendments the history began with:
    /// completing or amending starts a new history, so undo never reaches back
    /// across them.
    began: Option<(SessionId, SessionStatus, usize)>,
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
    /// The practice, the open client, and what the user changed.
    workspace: Workspace,
    /// The selected session's undo history.
    undo: UndoHistory,
    /// Watches the practice folder for changes made on other laptops.
    watcher: Option<PracticeWatcher>,
    /// How this laptop watches (the user's choice; automatic by default).
    watch_choice: WatchChoice,
    /// Whether a change on disk wakes the window (see [`KnotmapApp::without_waking`]).
    wake_on_change: bool,
    /// This laptop's name, in its presence marks.
    laptop: String,
    /// This laptop's mark on the session open for editing, and the session.
    presence: Option<(SessionId, PresenceMark)>,
    /// Another laptop's mark on the selected session, when it has it open.
    held_elsewhere: Option<Presence>,
    /// The question "take over from …?", while it is open.
    take_over_question: bool,
    /// Two versions of a session side by side, while the user chooses.
    versions: Option<VersionsWindow>,
    places: Places,
    clock: Clock,
    client_list: ClientList,
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
    /// What the lifecycle refused, or did besides what was asked (a ready session
    /// planned again): shown until the next session is chosen, so that a save's
    /// "All changes saved" never hides it.
    lifecycle_notice: Option<String>,
    /// The time (egui's clock) when the oldest unsaved edit was seen.
    unsaved_since: Option<f64>,
    /// Plans opened from, or saved to, single files.
    plan_files: PlanFiles,
    /// The practice settings being edited, while their window is open.
    settings_draft: Option<PracticeSettings>,
    /// The settings file changed elsewhere while their window was open.
    settings_changed_elsewhere: bool,
    /// Practice settings → Safety rules, while open.
    safety_rules: Option<safety_rules_view::SafetyRulesWindow>,
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
            workspace: Workspace::new(practice),
            undo: UndoHistory::default(),
            watcher: None,
            watch_choice: WatchChoice::Automatic,
            wake_on_change: true,
            laptop: presence::laptop_name(),
            presence: None,
            held_elsewhere: None,
            take_over_question: false,
            versions: None,
            places,
            clock,
            client_list: ClientList::default(),
            new_client_name: None,
            practice_path: None,
            trash_open: false,
            session_screen: SessionScreen::default(),
            map_session: None,
            lists_hidden: false,
            status: Status::Idle,
            lifecycle_notice: None,
            unsaved_since: None,
            plan_files: PlanFiles::new(Arc::new(ScriptedDialogs::default())),
            print_service: Arc::new(NoPrinter),
            file_dialogs: Arc::new(ScriptedDialogs::default()),
            print_dialog: None,
            today: None,
            history_window: None,
            repaint: egui::Context::default(),
            settings_draft: None,
            settings_changed_elsewhere: false,
            safety_rules: None,
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
        self.workspace.practice()
    }

    /// The workspace under the window: for tests and benchmarks that look below the screen.
    pub fn workspace(&self) -> &Workspace {
        &self.workspace
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
            || self.workspace.open_client().is_some_and(|open| open.selected().is_some())
    }

    /// Draws the whole window, then applies what the user asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.repaint = ui.ctx().clone();
        if self.watcher.is_none() {
            self.start_watching();
        }
        if let Some(changes) = self.watcher.as_ref().map(PracticeWatcher::take)
            && !changes.is_empty()
        {
            self.take_disk_changes(changes);
        }
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
        if !self.workspace.practice().problems().is_empty() {
            egui::Panel::bottom("problems").resizable(true).show(ui, |ui| {
                commands.extend(problems_panel(ui, self.workspace.practice()));
            });
        }
        let lists_shown = !self.lists_hidden || self.workspace.open_client().is_none();
        if lists_shown {
            // One column: the clients above, the open client's sessions and profile below,
            // so the map keeps the width of the window.
            egui::Panel::left("clients").default_size(300.0).size_range(240.0..=480.0).show(ui, |ui| {
                let selected = self.workspace.open_client().map(|open| open.client().id.clone());
                let list_height = if selected.is_some() {
                    (ui.available_height() * 0.3).max(120.0)
                } else {
                    ui.available_height()
                };
                ui.allocate_ui(egui::vec2(ui.available_width(), list_height), |ui| {
                    commands.extend(self.client_list.ui(ui, self.workspace.practice(), selected.as_ref()));
                });
                if let Some(open) = self.workspace.open_client() {
                    ui.separator();
                    // Second versions first, where they are seen before the profile's details.
                    commands.extend(versions_list(ui, open));
                    let path = self.workspace.practice().client_path(&open.client().id);
                    let read_only = self.workspace.practice().read_only_reason(&path).map(str::to_owned);
                    // The screen edits a copy; what it changed is applied as an edit after the frame.
                    let mut profile = open.client().clone();
                    commands.extend(client_profile(
                        ui,
                        &mut profile,
                        open.sessions(),
                        open.selected(),
                        read_only.as_deref(),
                        (self.clock)().date(),
                        &self.workspace.practice().clinic_rules().clinic_flags,
                    ));
                    if profile != *open.client() {
                        commands.push(Command::Edit(Edit::Profile(profile)));
                    }
                }
            });
        }
        egui::CentralPanel::default().show(ui, |ui| commands.extend(self.central(ui)));
        self.versions_window(ui, &mut commands);
        self.take_over_dialog(ui, &mut commands);

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
        self.safety_rules_window(ui);
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
        let open = self.workspace.open_client();
        let has_client = open.is_some();
        let has_session = open.is_some_and(|open| open.selected().is_some());
        let has_past_session = open.is_some_and(|open| last_completed(open.sessions()).is_some());
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
            ui.label(egui::RichText::new(&self.workspace.practice().settings().clinic_name).strong())
                .on_hover_text(self.workspace.practice().root().display().to_string());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                command = command.take().or(Command::Save.button(ui));
                if ui
                    .selectable_label(!self.lists_hidden, Command::ToggleLists.text())
                    .on_hover_text(Command::ToggleLists.tooltip())
                    .clicked()
                {
                    command = Some(Command::ToggleLists);
                }
                if let Some(notice) = &self.lifecycle_notice {
                    ui.colored_label(ui.visuals().warn_fg_color, notice);
                    ui.separator();
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

    fn central(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let settings = self.workspace.practice().settings().clone();
        let now = (self.clock)();
        if self.plan_files.is_open() {
            let client =
                self.workspace.open_client().map(|open| (&open.client().id, open.client().display_name()));
            let events = self.plan_files.plan_ui(ui, &mut self.session_screen, client, now);
            for event in events {
                self.plan_event(event);
            }
            return Vec::new();
        }
        let Some(open) = self.workspace.open_client() else {
            if self.workspace.practice().client_count() == 0 {
                return welcome(ui).into_iter().collect();
            }
            ui.centered_and_justified(|ui| ui.weak("Choose a client on the left, or add a new one."));
            return Vec::new();
        };
        let Some(session) = open.selected_session() else {
            ui.centered_and_justified(|ui| ui.weak("Choose a session, or plan a new one."));
            return Vec::new();
        };
        // The screen is shown the session; what it asks for is applied after the frame.
        let working = session.clone();
        let amending_here = open.amending() == Some(&working.id);
        let amending_elsewhere = open.amending().is_some() && !amending_here;
        let amending_from = open.amending_from().filter(|_| amending_here).cloned();
        let path = self.workspace.practice().session_path(&working.client, &working.id);
        let mut read_only = self.workspace.practice().read_only_reason(&path).map(str::to_owned);
        let mut commands = Vec::new();
        if let Some(other) = &self.held_elsewhere {
            let words = other.in_words(jiff::Timestamp::now());
            read_only = Some(format!("it is {words}. Take over to edit it here"));
            ui.horizontal(|ui| {
                ui.colored_label(ui.visuals().warn_fg_color, format!("This session is {words}."));
                if ui.button("Take over…").on_hover_text("Edit it here instead; asks first").clicked() {
                    commands.push(Command::AskTakeOver);
                }
            });
        }
        if open.other_version(&working.id).is_some() {
            ui.horizontal(|ui| {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "Another laptop saved this session while you were editing it. Both versions are kept.",
                );
                if ui.button("Compare and choose…").clicked() {
                    commands.push(Command::CompareVersions { session: working.id.clone(), copy: None });
                }
            });
        }
        let name = open.client().display_name().to_owned();
        let client = open.client().clone();
        let clinic_rules = std::sync::Arc::clone(self.workspace.practice().clinic_rules());
        let Some(derived) = self.workspace.derived() else { return commands };
        let day = format!(": session of {}", working.starts_at.strftime("%-d %B %Y"));
        NameLine::new(&name).after(&day).style(egui::TextStyle::Heading).label(ui, None);
        if let Some(progress) = &derived.since_first {
            ui.weak(progress);
        }
        // A selection belongs to the session it was made in.
        if self.map_session.as_ref() != Some(&working.id) {
            self.session_screen.map.clear_selection();
            self.map_session = Some(working.id.clone());
        }
        let context = SessionContext {
            settings: &settings,
            clinic_rules: &clinic_rules,
            client: &client,
            report: &derived.report,
            gate: &derived.gate,
            warned: &derived.warned,
            last_time: &derived.last_time,
            read_only: read_only.as_deref(),
            now,
            ask_screening: true,
            amending: amending_from.as_ref(),
            amending_elsewhere,
        };
        commands.extend(self.session_screen.ui(ui, &working, &context));
        commands
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
            Command::ShowSettings => self.settings_draft = Some(self.workspace.practice().settings().clone()),
            Command::SelectSession(id) => {
                if self.workspace.amending().is_some_and(|amending| amending != &id) {
                    self.drop_unfinished_amendment();
                }
                self.select_session(Some(id));
            }
            Command::Undo | Command::Redo => {
                // With a plan file in front, the practice's session is out of sight: leave it be.
                if !self.plan_files.is_open() {
                    self.step_history(command == Command::Redo);
                }
            }
            Command::Edit(edit) => self.apply_edit(edit),
            Command::CompareVersions { session, copy } => self.compare_versions(session, copy),
            Command::Resolve { session, copy, resolution } => {
                match self.workspace.resolve(&session, copy.as_ref(), resolution) {
                    Ok(message) => self.status = Status::Info(message),
                    Err(message) => self.status = Status::Error(message),
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
        }
    }

    fn add_client(&mut self, name: String) {
        let client = Client::new(name);
        match self.workspace.add_client(&client) {
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
        let Some(open) = self.workspace.open_client() else {
            self.status = Status::Info("Select a client to print their plan or progress report".into());
            return;
        };
        let session = open.selected_session().cloned();
        let previous = session
            .as_ref()
            .and_then(|session| crate::safety::previous_session(open.sessions(), session))
            .cloned();
        let root = self.workspace.practice().root();
        let relative = |path: PathBuf| path.strip_prefix(root).map(Path::to_path_buf).unwrap_or(path);
        let session_file = session
            .as_ref()
            .map(|session| relative(self.workspace.practice().session_path(&open.client().id, &session.id)))
            .unwrap_or_default();
        let source = PrintSource {
            settings: self.workspace.practice().settings().clone(),
            clinic_rules: self.workspace.practice().clinic_rules().as_ref().clone(),
            client: open.client().clone(),
            session,
            previous,
            sessions: open.sessions().to_vec(),
            session_file,
            client_folder: relative(self.workspace.practice().client_folder(&open.client().id)),
        };
        let printed_at = (self.clock)();
        self.print_dialog =
            Some(PrintDialog::new(source, printed_at, Arc::clone(&self.print_service), &self.repaint));
    }

    /// Opens the day's list.
    fn open_today(&mut self) {
        self.save_all();
        let today = (self.clock)().date();
        let entries = self.workspace.day_list(today);
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
        if let (Some(window), Some(open)) = (&mut self.history_window, self.workspace.open_client()) {
            match window.ui(ui.ctx(), &open.client().name, open.sessions()) {
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
        self.select_session(None);
        if self.workspace.open(id) {
            let latest =
                self.workspace.open_client().and_then(|open| open.sessions().last()).map(|s| s.id.clone());
            self.select_session(latest);
        }
    }

    fn new_session(&mut self) {
        let settings = self.workspace.practice().settings().clone();
        let Some(open) = self.workspace.open_client() else {
            self.status = Status::Error("Choose a client first, then plan their session.".to_owned());
            return;
        };
        let mut session =
            Session::new(open.client().id.clone(), (self.clock)(), settings.default_session_minutes);
        session.therapist = settings.therapists.first().cloned().unwrap_or_default();
        session.aftercare = settings.aftercare.clone();
        let interval = jiff::Span::new().days(i64::from(settings.next_visit_interval_days));
        session.next_visit = session.starts_at.date().checked_add(interval).ok();
        let id = session.id.clone();
        self.apply_edit(Edit::NewSession(session));
        self.select_session(Some(id));
        // A new session is written at once, so that it exists even if the app is closed right away.
        self.save_all();
    }

    /// "Save plan as…": the open plan file under another name, or else the open session's plan.
    fn save_plan_as(&mut self) {
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

    fn plan_event(&mut self, event: PlanEvent) {
        match event {
            PlanEvent::Info(message) => self.status = Status::Info(message),
            PlanEvent::Error(message) => self.status = Status::Error(message),
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

    /// The practice settings window, while open; closing it saves what changed.
    fn settings_window(&mut self, ui: &mut egui::Ui) {
        let Some(draft) = &mut self.settings_draft else { return };
        let mut open = true;
        let mut done = false;
        let read_only = self
            .workspace
            .practice()
            .read_only_reason(&self.workspace.practice().settings_path())
            .map(str::to_owned);
        let watching = self.watcher.as_ref().map(|watcher| watcher.watching().in_words());
        let mut watch_choice = self.watch_choice;
        let mut open_rules = false;
        // The settings scroll, so that the buttons below them stay in a small window.
        let settings_height = (ui.ctx().content_rect().height() - 160.0).max(200.0);
        egui::Window::new("Practice settings").open(&mut open).default_width(460.0).show(ui.ctx(), |ui| {
            egui::ScrollArea::vertical().max_height(settings_height).show(ui, |ui| {
                settings_view(ui, draft, read_only.as_deref());
                ui.separator();
                watch_setting(ui, &mut watch_choice, watching.as_deref());
            });
            ui.separator();
            ui.horizontal(|ui| {
                done = ui.button("Done").clicked();
                if ui
                    .button("Safety rules…")
                    .on_hover_text("Tighten the built-in safety rules, and add the clinic's own flags")
                    .clicked()
                {
                    open_rules = true;
                }
            });
        });
        if open_rules {
            let rules = self.workspace.practice().clinic_rules().as_ref().clone();
            self.safety_rules = Some(safety_rules_view::SafetyRulesWindow::new(rules));
        }
        if watch_choice != self.watch_choice {
            self.watch_choice = watch_choice;
            self.start_watching();
        }
        if open && !done {
            return;
        }
        self.save_settings_draft();
        if !matches!(self.status, Status::Error(_)) {
            self.status = Status::Saved;
        }
    }

    /// Practice settings → Safety rules, while open; saving dates and attributes the change.
    fn safety_rules_window(&mut self, ui: &mut egui::Ui) {
        let Some(window) = &mut self.safety_rules else { return };
        let path = self.workspace.practice().safety_rules_path();
        let read_only = self.workspace.practice().read_only_reason(&path).map(str::to_owned);
        let today = (self.clock)().date();
        let workspace = &self.workspace;
        let event = window.ui(ui.ctx(), read_only.as_deref(), |draft| workspace.effect_of(draft, today));
        match event {
            Some(safety_rules_view::SafetyRulesEvent::Save(mut rules)) => {
                let before = self.workspace.practice().clinic_rules().as_ref().clone();
                let what = rules.changes_from(&before).join("; ");
                rules.changes.push(crate::model::RuleChange {
                    at: (self.clock)(),
                    by: presence::user_name(),
                    what,
                });
                match self.workspace.save_clinic_rules(&rules, (self.clock)()) {
                    Ok(applied) => {
                        self.status = match applied {
                            Applied::BackToPlanned { why, .. } => Status::Error(format!(
                                "The clinic's safety rules are saved. A ready session is planned again: {why}."
                            )),
                            _ => Status::Info("The clinic's safety rules are saved.".to_owned()),
                        };
                        self.safety_rules = None;
                    }
                    Err(error) => self.status = Status::Error(error.to_string()),
                }
            }
            Some(safety_rules_view::SafetyRulesEvent::Closed) => self.safety_rules = None,
            None => {}
        }
    }

    /// Plans the next session from the last completed one: its plan, goals and
    /// aftercare (see [`Session::follow_up`]).
    fn new_session_from_last(&mut self) {
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
        let mut session = Session::follow_up(last, now);
        let interval =
            jiff::Span::new().days(i64::from(self.workspace.practice().settings().next_visit_interval_days));
        session.next_visit = session.starts_at.date().checked_add(interval).ok();
        let id = session.id.clone();
        self.apply_edit(Edit::NewSession(session));
        self.select_session(Some(id));
        self.save_all();
    }

    /// Asks before a client moves to the trash, saying what moves with them.
    fn ask_before_trashing_client(&mut self, id: ClientId) {
        let Some(entry) = self.workspace.practice().client(&id) else { return };
        let name = entry.client.display_name().to_owned();
        let count = entry.sessions.len();
        // The open client's sessions are already read; another's are read to count their records.
        let sessions = self.workspace.sessions_of(&id);
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
        let Some(open) = self.workspace.open_client() else { return };
        let Some(session) = open.session(&id) else { return };
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
        self.workspace.keep_undecided_as_copies();
        self.presence = None;
        self.close_now = false;
        ui.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    fn trash_session(&mut self, id: &SessionId) {
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

    fn restore(&mut self, folder: &Path) {
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
                self.select_session(None);
                self.workspace.replace_practice(practice);
                self.status = Status::Idle;
                self.start_watching();
            }
            Err(error) => self.status = Status::Error(error.to_string()),
        }
    }

    /// Lets the undo history see the session as it is after this frame's edits.
    fn feed_history(&mut self, ui: &egui::Ui) {
        let now = ui.input(|input| input.time);
        let Some(session) = self.workspace.open_client().and_then(|open| open.selected_session()) else {
            return;
        };
        let began = (session.id.clone(), session.status, session.amendments.len());
        if self.undo.began.as_ref() != Some(&began) {
            self.undo = UndoHistory { steps: Undoer::default(), began: Some(began) };
        }
        self.undo.steps.feed_state(now, session);
    }

    /// Undoes (or redoes) the last settled edit of the selected session. A
    /// locked session has nothing to undo, unless it is being amended.
    fn step_history(&mut self, redo: bool) {
        let Some(current) = self.workspace.open_client().and_then(|open| open.selected_session()) else {
            return;
        };
        if current.is_locked() && self.workspace.amending() != Some(&current.id) {
            return;
        }
        let restored = if redo { self.undo.steps.redo(current) } else { self.undo.steps.undo(current) };
        // Undo takes back the plan's content only: never a change of status.
        if let Some(restored) = restored.cloned() {
            self.apply_edit(Edit::plan_of(&restored));
        }
    }

    /// Selects a session (or none), with a fresh undo history, and marks it as
    /// open for editing here, unless another laptop has it open.
    fn select_session(&mut self, id: Option<SessionId>) {
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

    fn place_presence(&mut self, id: &SessionId, path: &Path, here: Presence) {
        // Only a session that is on disk can be open on another laptop.
        if !path.exists() {
            return;
        }
        match PresenceMark::place(path, here) {
            Ok(mark) => self.presence = Some((id.clone(), mark)),
            // A mark that cannot be written (a read-only share) only means others are not told.
            Err(error) => {
                self.status =
                    Status::Info(format!("Other laptops cannot be told this session is open here: {error}"))
            }
        }
    }

    /// This laptop's mark, beginning now.
    fn here(&self) -> Presence {
        self.here_at(jiff::Timestamp::now())
    }

    fn here_at(&self, now: jiff::Timestamp) -> Presence {
        Presence { laptop: self.laptop.clone(), ..Presence::here(now) }
    }

    /// Takes the selected session over from the laptop that has it open.
    fn take_over(&mut self) {
        self.take_over_question = false;
        let Some(open) = self.workspace.open_client() else { return };
        let Some(id) = open.selected().cloned() else { return };
        let path = self.workspace.practice().session_path(&open.client().id, &id);
        let here = self.here();
        // Stale marks are a crashed laptop's leftovers; a fresh one is told by this later mark.
        for other in presence::others_editing(&path, &here.laptop) {
            if other.is_stale(here.since) {
                let _ = std::fs::remove_file(presence::presence_path(&path, &other.laptop));
            }
        }
        self.held_elsewhere = None;
        self.place_presence(&id, &path, here);
        // What the other laptop saved last is what is edited here.
        let changes = crate::storage::watch::Changes { paths: [path].into(), everything: false };
        self.take_disk_changes(changes);
    }

    /// Looks at the other laptops' marks on the selected session again, after one changed.
    fn look_at_presence(&mut self) {
        let Some(open) = self.workspace.open_client() else { return };
        let Some(id) = open.selected().cloned() else { return };
        let path = self.workspace.practice().session_path(&open.client().id, &id);
        let others = presence::others_editing(&path, &self.laptop);
        match (&self.presence, others.into_iter().next()) {
            // Another laptop took it over after this one marked it: it is theirs now.
            (Some((_, mine)), Some(other)) if other.since > mine.presence().since => {
                // What the other laptop saved is looked at first: an edit here then meets it
                // side by side, instead of in a copy beside it.
                let changes = Changes { paths: [path].into(), everything: false };
                let notes = self.workspace.take_disk_changes(&changes, (self.clock)());
                self.save_all();
                self.presence = None;
                let taken = format!(
                    "{} on {} took this session over; it is read-only here now.",
                    other.who, other.laptop
                );
                let words: Vec<&str> = notes.iter().map(|note| note.words.as_str()).collect();
                self.status = match notes.is_empty() {
                    true => Status::Info(taken),
                    false => Status::Error(format!("{taken} {}", words.join(" "))),
                };
                self.held_elsewhere = Some(other);
            }
            (Some(_), _) => {}
            (None, Some(other)) => self.held_elsewhere = Some(other),
            // The other laptop closed it: it can be edited here.
            (None, None) => {
                if self.held_elsewhere.take().is_some() {
                    self.place_presence(&id, &path, self.here());
                }
            }
        }
    }

    /// Watches the practice folder for other laptops' changes, as this laptop is set to.
    fn start_watching(&mut self) {
        let repaint = self.repaint.clone();
        let wake = self.wake_on_change;
        let laptop = self.laptop.clone();
        let root = self.workspace.practice().root().to_owned();
        self.watcher = None;
        match PracticeWatcher::start(&root, self.watch_choice, &laptop, move || {
            if wake {
                repaint.request_repaint();
            }
        }) {
            Ok(watcher) => self.watcher = Some(watcher),
            Err(error) => {
                self.status =
                    Status::Info(format!("Changes from other laptops will show after reopening: {error}"))
            }
        }
    }

    /// Takes changes on disk at the next frame without waking the window: for
    /// test harnesses, which draw frames when they choose.
    pub fn without_waking(mut self) -> KnotmapApp {
        self.wake_on_change = false;
        self
    }

    /// Calls this laptop `name` in its presence marks, as if it were another
    /// laptop: for tests that run two windows on one folder in one process.
    pub fn as_laptop(mut self, name: &str) -> KnotmapApp {
        self.laptop = name.to_owned();
        self
    }

    /// Signs what is done here (amendments, entered-in-error marks) as `who`
    /// instead of the account's full name: for tests, and a shared account.
    pub fn signed_by(mut self, who: &str) -> KnotmapApp {
        self.workspace.set_who(who);
        self
    }

    /// How this laptop watches the practice folder (automatic, or polling every so many seconds).
    pub fn with_watch_choice(mut self, choice: WatchChoice) -> KnotmapApp {
        self.watch_choice = choice;
        self
    }

    /// How the practice folder is watched now, in words, for the settings window.
    pub fn watching_in_words(&self) -> String {
        self.watcher
            .as_ref()
            .map_or("changes from other laptops show after reopening".to_owned(), |watcher| {
                watcher.watching().in_words()
            })
    }

    /// Takes in what changed on disk, and tells the user what they should know.
    fn take_disk_changes(&mut self, mut changes: Changes) {
        // Not under the open settings window: its save would replace them unseen.
        if self.settings_draft.is_some() && changes.paths.remove(&self.workspace.practice().settings_path()) {
            self.settings_changed_elsewhere = true;
        }
        let selected = self.workspace.open_client().and_then(|open| open.selected().cloned());
        let presence_changed = changes.everything
            || changes.paths.iter().any(|path| {
                matches!(self.workspace.practice().what_is(path), crate::storage::PracticePath::Presence(..))
            });
        let notes = self.workspace.take_disk_changes(&changes, (self.clock)());
        let now_selected = self.workspace.open_client().and_then(|open| open.selected().cloned());
        if now_selected != selected {
            self.select_session(now_selected);
        } else if presence_changed {
            self.look_at_presence();
        }
        if let Some(note) = notes.last() {
            let waiting =
                self.workspace.open_client().is_some_and(|open| open.other_versions().next().is_some());
            self.status = if waiting || notes.iter().any(|note| note.needs_attention) {
                let words: Vec<&str> = notes.iter().map(|note| note.words.as_str()).collect();
                Status::Error(words.join(" "))
            } else {
                Status::Info(note.words.clone())
            };
        }
    }

    /// Opens the side-by-side view of two versions of a session.
    fn compare_versions(&mut self, session: SessionId, copy: Option<PathBuf>) {
        let Some(open) = self.workspace.open_client() else { return };
        let Some(this) = open.session(&session).cloned() else { return };
        let (other, label) = match &copy {
            Some(path) => match crate::storage::read_file::<Session>(path) {
                Ok(read) => {
                    // Who made the copy, in a word; the file's name is in the problems panel.
                    let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
                    let maker =
                        crate::storage::conflicts::conflict_copy(name, |stem| SessionId::new(stem).is_ok())
                            .map_or("a copy", |copy| copy.tool.name());
                    let maker = if maker.starts_with("the sync tool") { "the sync tool" } else { maker };
                    (read.value, format!("The second version (kept by {maker})"))
                }
                Err(problem) => {
                    self.status = Status::Error(problem.to_string());
                    return;
                }
            },
            None => match open.other_version(&session) {
                Some(other) => {
                    let label = match &other.from {
                        VersionFrom::AnotherLaptop { at, .. } => {
                            format!("Saved on another laptop ({})", at.strftime("%H:%M"))
                        }
                        VersionFrom::Copy(_) => "The second version".to_owned(),
                    };
                    (other.session.clone(), label)
                }
                None => return,
            },
        };
        self.versions = Some(VersionsWindow::new(session, copy, this, other, label));
    }

    fn versions_window(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Some(window) = &mut self.versions else { return };
        let (command, open) = window.ui(ui.ctx());
        commands.extend(command);
        if !open {
            self.versions = None;
        }
    }

    /// "Take over from …?", asked before the session is edited here.
    fn take_over_dialog(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if !self.take_over_question {
            return;
        }
        let Some(other) = &self.held_elsewhere else {
            self.take_over_question = false;
            return;
        };
        let words = other.in_words(jiff::Timestamp::now());
        let stale = other.is_stale(jiff::Timestamp::now());
        let modal = egui::Modal::new(egui::Id::unique("take_over")).show(ui.ctx(), |ui| {
            ui.set_max_width(460.0);
            ui.heading("Take over this session?");
            ui.label(format!("It is {words}."));
            ui.label(if stale {
                "Taking over lets you edit it here. Whatever that laptop saved is kept."
            } else {
                "Taking over lets you edit it here; it becomes read-only there. Whatever that laptop saved is                  kept, and an edit it makes after this is kept as a second version."
            });
            ui.horizontal(|ui| (ui.button("Keep it read-only").clicked(), ui.button("Take over").clicked())).inner
        });
        let (keep, take) = modal.inner;
        if take {
            commands.push(Command::TakeOver);
        }
        if keep || take || modal.should_close() {
            self.take_over_question = false;
        }
    }

    fn has_unsaved_edits(&self) -> bool {
        // A session being amended waits for its reason (see `save_all`).
        self.workspace.has_unsaved_edits()
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
        let saved = self.workspace.save();
        self.status = match saved.problems.first() {
            None => Status::Saved,
            Some(error) => Status::Error(error.to_string()),
        };
        saved.all_safe
    }

    /// Puts back a session whose amendment was left unfinished: an amendment
    /// without its reason is not a record.
    fn drop_unfinished_amendment(&mut self) {
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
    fn apply_edit(&mut self, edit: Edit) {
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
                self.lifecycle_notice =
                    Some(format!("Not done: {}.", refusal.to_string().trim_end_matches('.')));
            }
        }
    }

    /// Saves the practice settings being edited, if they changed.
    fn save_settings_draft(&mut self) {
        if let Some(draft) = self.settings_draft.take()
            && draft != *self.workspace.practice().settings()
            && let Err(error) = self.workspace.save_settings(&draft)
        {
            self.status = Status::Error(error.to_string());
        }
        // Settings changed on another laptop while the window was open are read now:
        // an edit made here meanwhile was kept beside them by the save above.
        if std::mem::take(&mut self.settings_changed_elsewhere) {
            let settings = self.workspace.practice().settings_path();
            let changes = Changes { paths: [settings].into(), everything: false };
            self.take_disk_changes(changes);
        }
    }

    /// Gets ready to leave the open client (for another client, practice, or the
    /// trash): false, with the reason shown, when an edit could not be saved.
    fn leave_client(&mut self) -> bool {
        self.drop_unfinished_amendment();
        self.save_all()
    }
}

/// This laptop's way of noticing other laptops' changes: automatic, or polling
/// (for a network share the system cannot watch).
fn watch_setting(ui: &mut egui::Ui, choice: &mut WatchChoice, watching: Option<&str>) {
    ui.label(egui::RichText::new("This laptop: changes from other laptops").strong());
    ui.horizontal(|ui| {
        ui.radio_value(choice, WatchChoice::Automatic, "Automatic")
            .on_hover_text("Told by the system; a network share is looked at every 10 s");
        let polling = matches!(choice, WatchChoice::Poll { .. });
        if ui
            .radio(polling, "Look every")
            .on_hover_text("For a network share the system cannot watch")
            .clicked()
            && !polling
        {
            *choice = WatchChoice::Poll { seconds: 10 };
        }
        if let WatchChoice::Poll { seconds } = choice {
            ui.add(egui::DragValue::new(seconds).range(2..=600).suffix(" s"))
                .accessible_name("Seconds between looks");
        }
    });
    if let Some(watching) = watching {
        ui.weak(format!("Now: {watching}."));
    }
}

impl eframe::App for KnotmapApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        KnotmapApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, LAST_PRACTICE_KEY, &self.workspace.practice().root().to_path_buf());
        eframe::set_value(storage, MAP_VIEW_KEY, &self.session_screen.map);
        eframe::set_value(storage, WATCH_KEY, &self.watch_choice);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.save_settings_draft();
        self.drop_unfinished_amendment();
        self.save_all();
        // Two versions nobody chose between: this laptop's is kept beside the file, to compare next time.
        self.workspace.keep_undecided_as_copies();
        self.presence = None;
    }
}
