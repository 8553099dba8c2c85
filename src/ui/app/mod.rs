//! The Knotmap window: the client list, the selected client, the session, the
//! problems, and the saving that happens on its own.

mod apply;
pub mod command;
mod dialogs;
pub mod end_signals;
pub mod problems_panel;
pub mod safety_rules_view;
mod saving;
pub mod settings_view;
pub mod welcome;

use std::path::{Path, PathBuf};

use jiff::civil::DateTime;

use egui::util::undoer::Undoer;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::model::{
    Client, ClientId, PlanContent, PracticeSettings, Session, SessionId, SessionStatus, last_completed,
};
use crate::storage::presence::{self, Presence, PresenceMark};
use crate::storage::watch::{Changes, PracticeWatcher, WatchChoice, WatchError};
use crate::storage::{PlanFile, Practice};
use crate::ui::session::versions::{VersionsWindow, versions_list};
use crate::workspace::{Applied, Edit, VersionFrom, Workspace};

use crate::print::send::{NoPrinter, PrintService};
use crate::ui::app::command::Command;
use crate::ui::app::problems_panel::problems_panel;
use crate::ui::app::settings_view::settings_view;
use crate::ui::app::welcome::welcome;
use crate::ui::clients::client_list::ClientList;
use crate::ui::clients::client_profile::client_profile;
use crate::ui::handover::{Guard, GuardAsk, GuardScreen};
use crate::ui::history::{HistoryEvent, HistoryWindow};
use crate::ui::map::MapView;
use crate::ui::print::today::{TodayEvent, TodayList};
use crate::ui::print::{PrintDialog, PrintEvent, PrintSource};
use crate::ui::session::plan_files::{AfterClose, PlanEvent, PlanFiles};
use crate::ui::session::{SessionContext, SessionScreen};
use crate::ui::widgets::file_dialog::{FileDialogs, ScriptedDialogs};
use crate::ui::widgets::seen_text;
use crate::ui::widgets::short_name::NameLine;

/// How long after an edit it is written to disk, at the latest.
const AUTOSAVE_AFTER_SECONDS: f64 = 1.5;

/// The main window's title, on the desktop and to a screen reader.
pub const WINDOW_TITLE: &str = "Knotmap";

/// The key under which the last practice opened is remembered between runs.
pub const LAST_PRACTICE_KEY: &str = "last_practice";

/// The key under which this laptop's way of watching the practice folder is remembered.
pub const WATCH_KEY: &str = "watch";

/// The key under which this laptop's lock after a while without use is remembered.
pub const IDLE_LOCK_KEY: &str = "idle_lock_minutes";

/// The key under which the map's view (layer, fill, tool, zoom) is remembered.
pub const MAP_VIEW_KEY: &str = "map_view";

/// Where the app keeps the folders it makes for the user.
#[derive(Clone, Debug)]
pub struct Places {
    /// Where "Open the sample practice" writes the sample.
    pub sample_practice: PathBuf,
    /// Where the day's list saves its plan sheets as PDF, one folder a day.
    pub printed: PathBuf,
    /// Where an edit goes that the practice cannot take, in the user's own data
    /// folder (see [`crate::storage::recovery`]).
    pub recovery: PathBuf,
    /// This laptop's PIN, hashed, outside every practice (see [`crate::storage::pin`]).
    pub laptop_pin: PathBuf,
}

/// The local date and time now; injected so tests and screenshots are repeatable.
pub type Clock = Box<dyn Fn() -> DateTime>;

/// The wall clock, to the minute.
pub fn system_clock() -> Clock {
    Box::new(|| to_the_minute(jiff::Zoned::now().datetime()))
}

/// The minute `now` is in: 19:18:49 is 19:18, as a watch says, never the
/// minute to come (a note "updated at 19:19" read at 19:18 would be from the future).
fn to_the_minute(now: jiff::civil::DateTime) -> jiff::civil::DateTime {
    let minute = jiff::civil::DateTimeRound::new().smallest(jiff::Unit::Minute).mode(jiff::RoundMode::Trunc);
    now.round(minute).unwrap_or(now)
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
    /// The undo history of the plan file in front, while one is open.
    plan_undo: UndoHistory,
    /// Watches the practice folder for changes made on other laptops.
    watcher: Option<PracticeWatcher>,
    /// The watcher being started on a thread of its own (a system watch for each
    /// of a large practice's folders takes seconds), and which practice it is for.
    watcher_starting:
        Option<(std::path::PathBuf, std::sync::mpsc::Receiver<Result<PracticeWatcher, WatchError>>)>,
    /// The thread that starts it: done only once it has also asked for the frame
    /// that takes the watcher in.
    watcher_thread: Option<std::thread::JoinHandle<()>>,
    /// Whether the first frame was drawn: what the window needs before it is
    /// started after it.
    started: bool,
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
    /// What the open plan file asked for this frame, applied after it.
    plan_events: Vec<PlanEvent>,
    /// What the user must know of what happened on its own (another laptop's
    /// change met an edit here, a session taken over): kept in sight until
    /// dismissed, never replaced by a later "All changes saved".
    notices: Vec<String>,
    /// Edits the practice could not take, kept in the recovery folder (found
    /// when the practice was opened), to offer back.
    kept_aside: Vec<crate::storage::recovery::Kept>,
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
    /// Whether the print service was told which window is Knotmap's.
    parent_window_told: bool,
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
    /// The laptop handed to a client, or locked: all the window shows.
    guard: Option<GuardScreen>,
    /// This laptop's PIN being set, with what to do once it is.
    pin_setup: Option<PinSetup>,
    /// "History of this record", while its window is open: the title and a line a change.
    record_history: Option<(String, Vec<String>)>,
    /// Minutes without use after which this laptop locks; never by default.
    idle_lock: Option<u16>,
    /// When (egui's clock) the window last had input.
    last_input: f64,
    /// Practice settings → Consent and lock, while open.
    consent_settings_open: bool,
}

/// Setting this laptop's PIN, asked before the laptop is first handed over or locked.
#[derive(Clone, Debug, Default)]
struct PinSetup {
    pin: String,
    again: String,
    problem: Option<String>,
    /// What was asked, to do once the PIN is set.
    then: Option<Command>,
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
        let laptop = presence::laptop_name();
        let workspace = Workspace::new(practice).with_recovery(&places.recovery).with_audit(&laptop);
        let kept_aside = workspace.kept_aside();
        KnotmapApp {
            kept_aside,
            workspace,
            undo: UndoHistory::default(),
            plan_undo: UndoHistory::default(),
            watcher: None,
            watcher_starting: None,
            watcher_thread: None,
            started: false,
            watch_choice: WatchChoice::Automatic,
            wake_on_change: true,
            laptop,
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
            plan_events: Vec::new(),
            notices: Vec::new(),
            unsaved_since: None,
            plan_files: PlanFiles::new(Arc::new(ScriptedDialogs::default())),
            print_service: Arc::new(NoPrinter),
            parent_window_told: false,
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
            guard: None,
            pin_setup: None,
            record_history: None,
            idle_lock: None,
            last_input: 0.0,
            consent_settings_open: false,
        }
    }

    /// Ends the app, saving every pending edit first, once `requested` is raised
    /// (by the system's end signals: see [`crate::ui::app::end_signals`]).
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

    /// Opens the plan file at `path` when the window is first drawn: `knotmap
    /// FILE`, which the desktop runs for a double-clicked plan.
    pub fn opening_plan(mut self, path: PathBuf) -> KnotmapApp {
        self.plan_files.open_when_shown(path);
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
        // The window's own title, for a screen reader: egui leaves its root node unnamed.
        ui.ctx().accesskit_node_builder(egui::accesskit_root_id(), |node| node.set_label(WINDOW_TITLE));
        if !self.started {
            self.started = true;
            self.stay_locked_after_a_restart();
            // The writer wakes the window when a save is on disk, as the watcher does.
            if self.wake_on_change {
                let repaint = ui.ctx().clone();
                self.workspace.set_wake(Arc::new(move || repaint.request_repaint()));
            }
            self.start_watching();
        }
        self.take_started_watcher();
        if let Some(saved) = self.workspace.take_saved() {
            self.tell_saved(saved);
        }
        // What changed on disk waits while this laptop's own save is being written: its
        // own files would look changed by someone else.
        if !self.workspace.is_writing()
            && let Some(changes) = self.watcher.as_ref().map(PracticeWatcher::take)
            && !changes.is_empty()
        {
            self.take_disk_changes(changes);
        }
        // Ended by the system: this frame is drawn first, so that keys typed just before
        // the signal reach their fields and are saved with the rest.
        let ending = self.shutdown.as_ref().is_some_and(|requested| requested.load(Ordering::SeqCst));
        self.lock_when_idle(ui);
        // Handed to a client, or locked: nothing else is drawn, no shortcut is taken.
        if self.guard.is_some() {
            // The client cannot close their way out to the therapist's view; the system still ends it.
            if !ending && ui.input(|input| input.viewport().close_requested()) {
                ui.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            }
            self.guard_frame(ui);
            self.autosave(ui);
            if ending {
                self.end_for_the_system(ui);
            }
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
        if !self.notices.is_empty() {
            egui::Panel::top("notices").show(ui, |ui| {
                // A few lines in sight; more scroll, so the map keeps the window.
                egui::ScrollArea::vertical().max_height(96.0).show(ui, |ui| {
                    for notice in &self.notices {
                        let colour = ui.visuals().warn_fg_color;
                        let said = seen_text::label(ui, egui::RichText::new(notice).color(colour));
                        announced(ui, &said, egui::accesskit::Live::Polite);
                    }
                });
                if ui.button("Dismiss").on_hover_text("These notes have been read").clicked() {
                    commands.push(Command::DismissNotices);
                }
            });
        }
        if !self.kept_aside.is_empty() {
            egui::Panel::top("kept_aside").show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    let count = self.kept_aside.len();
                    let folder =
                        self.workspace.recovery().map(|recovery| recovery.folder().display().to_string());
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!(
                            "{count} {} this practice could not take {} kept in {}.",
                            if count == 1 { "edit" } else { "edits" },
                            if count == 1 { "is" } else { "are" },
                            folder.unwrap_or_default()
                        ),
                    );
                    commands.extend(Command::BringBack.button(ui));
                });
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
        self.pin_setup_dialog(ui, &mut commands);
        self.record_history_window(ui);
        self.print_windows(ui, &mut commands);
        self.settings_window(ui, &mut commands);
        self.safety_rules_window(ui, &mut commands);
        if !commands.is_empty() {
            // What the commands change is drawn at once, not at the next input.
            ui.ctx().request_repaint();
        }
        for command in commands {
            self.apply(command);
        }
        // What the open plan file asked while it was drawn, applied now that the frame is drawn.
        let mut plan_events = std::mem::take(&mut self.plan_events);
        plan_events.extend(self.plan_files.dialogs_ui(ui));
        for event in plan_events {
            self.plan_event(event);
        }
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
        crate::ui::widgets::window::keyboard_goes_back(ui.ctx());
        self.autosave(ui);
        if ending {
            self.end_for_the_system(ui);
        }
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
                // A long message is shortened to the bar, whole on hover, never run off its edge.
                // With a notice beside it, each has half of the room.
                let share = if self.lifecycle_notice.is_some() { 0.5 } else { 1.0 };
                let room = ui.available_width() * share;
                let line = |ui: &mut egui::Ui, message: &str, colour: Option<egui::Color32>, live| {
                    let text = egui::RichText::new(message);
                    let text = match colour {
                        Some(colour) => text.color(colour),
                        None => text,
                    };
                    ui.scope(|ui| {
                        ui.set_max_width(room);
                        let shown = seen_text::widget_text(ui, text);
                        let response = ui.add(egui::Label::new(shown).truncate());
                        seen_text::read_as_written(ui, &response, message);
                        announced(ui, &response, live);
                        response.on_hover_text(seen_text::widget_text(ui, message));
                    });
                };
                if let Some(notice) = &self.lifecycle_notice {
                    line(ui, notice, Some(ui.visuals().warn_fg_color), egui::accesskit::Live::Polite);
                    ui.separator();
                }
                match &self.status {
                    Status::Error(message) => {
                        line(ui, message, Some(ui.visuals().error_fg_color), egui::accesskit::Live::Assertive)
                    }
                    Status::Info(message) => line(ui, message, None, egui::accesskit::Live::Polite),
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
            self.plan_events.extend(events);
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
        let overlaps: Vec<(jiff::civil::DateTime, crate::model::Minutes)> =
            crate::model::schedule::overlapping(&working, open.sessions())
                .into_iter()
                .map(|other| (other.starts_at, other.minutes))
                .collect();
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
            overlaps: &overlaps,
            amending: amending_from.as_ref(),
            amending_elsewhere,
        };
        commands.extend(self.session_screen.ui(ui, &working, &context));
        commands
    }

    /// Whether a save is being written in the background: for tests, which wait for it.
    pub fn is_writing(&self) -> bool {
        self.workspace.is_writing()
    }

    /// Holds the background writer back, as a very slow disk would, until the
    /// guard is dropped: for tests of a window that must not wait for the disk.
    pub fn hold_writing(&mut self) -> Option<crate::storage::writer::Hold> {
        self.workspace.hold_writing()
    }

    /// Uses `service` to print and to open PDFs (CUPS in the app; a double in tests).
    pub fn with_print_service(mut self, service: Arc<dyn PrintService>) -> KnotmapApp {
        self.print_service = service;
        self
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
        self.workspace.set_laptop(name);
        self
    }

    /// Signs what is done here (amendments, entered-in-error marks) as `who`
    /// instead of the account's full name: for tests, and a shared account.
    pub fn signed_by(mut self, who: &str) -> KnotmapApp {
        self.workspace.set_who(who);
        self
    }

    /// Locks this laptop after `minutes` without use (`None`: never).
    pub fn with_idle_lock(mut self, minutes: Option<u16>) -> KnotmapApp {
        self.idle_lock = minutes;
        self
    }

    /// Locks the window once it has had no input for the idle lock's minutes
    /// (with a PIN to unlock it), and asks for a frame then, so that an
    /// unattended laptop locks on its own.
    fn lock_when_idle(&mut self, ui: &egui::Ui) {
        let (now, touched) =
            ui.input(|input| (input.time, !input.events.is_empty() || input.pointer.is_moving()));
        if touched || self.last_input == 0.0 {
            self.last_input = now;
        }
        let Some(minutes) = self.idle_lock else { return };
        if self.guard.is_some() {
            return;
        }
        let after = f64::from(minutes) * 60.0;
        let idle = now - self.last_input;
        if idle >= after {
            if self.laptop_pin().is_set() {
                self.raise_guard(Guard::Locked);
            }
        } else {
            ui.ctx().request_repaint_after(std::time::Duration::from_secs_f64(after - idle));
        }
    }

    /// How this laptop watches the practice folder (automatic, or polling every so many seconds).
    pub fn with_watch_choice(mut self, choice: WatchChoice) -> KnotmapApp {
        self.watch_choice = choice;
        self
    }

    /// How the practice folder is watched now, in words, for the settings window.
    pub fn watching_in_words(&self) -> String {
        match &self.watcher {
            Some(watcher) => watcher.watching().in_words(),
            None if self.watcher_starting.is_some() => "starting to watch the folder".to_owned(),
            None => "changes from other laptops show after reopening".to_owned(),
        }
    }

    /// Whether the practice folder is being watched (the watcher has started).
    pub fn is_watching(&self) -> bool {
        self.watcher.is_some()
    }

    /// Whether the watcher is still being started: until its thread has handed it
    /// over, asked for the frame that takes it in, and that frame has taken it.
    pub fn is_starting_watcher(&self) -> bool {
        self.watcher_starting.is_some()
            || self.watcher_thread.as_ref().is_some_and(|thread| !thread.is_finished())
    }
}

/// The main window as the desktop's portals name a parent window: "x11:" and its
/// id in hexadecimal on X11; empty on Wayland, which needs the window exported
/// first (the dialog then opens on its own, as it did before).
fn portal_window_name(frame: &eframe::Frame) -> String {
    use raw_window_handle::{HasWindowHandle, RawWindowHandle};
    match frame.window_handle().map(|handle| handle.as_raw()) {
        Ok(RawWindowHandle::Xlib(xlib)) => format!("x11:{:x}", xlib.window),
        Ok(RawWindowHandle::Xcb(xcb)) => format!("x11:{:x}", xcb.window.get()),
        _ => String::new(),
    }
}

impl eframe::App for KnotmapApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if !self.parent_window_told {
            self.parent_window_told = true;
            self.print_service.set_parent_window(&portal_window_name(frame));
        }
        KnotmapApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, LAST_PRACTICE_KEY, &self.workspace.practice().root().to_path_buf());
        eframe::set_value(storage, MAP_VIEW_KEY, &self.session_screen.map);
        eframe::set_value(storage, WATCH_KEY, &self.watch_choice);
        eframe::set_value(storage, IDLE_LOCK_KEY, &self.idle_lock);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.save_settings_draft();
        self.drop_unfinished_amendment();
        self.save_all();
        // Two versions nobody chose between: this laptop's is kept beside the file, to compare next time.
        self.keep_undecided();
        self.presence = None;
    }
}

/// Marks `shown` as a live region, so that a screen reader says it when it
/// appears or changes, without the user going to it: a failure at once
/// (`Assertive`), anything else when the reader is free (`Polite`).
fn announced(ui: &egui::Ui, shown: &egui::Response, live: egui::accesskit::Live) {
    ui.ctx().accesskit_node_builder(shown.id, |node| node.set_live(live));
}

#[cfg(test)]
mod clock_tests {
    #[test]
    fn the_clock_says_the_minute_it_is_in_not_the_one_to_come() {
        let now = jiff::civil::date(2026, 12, 2).at(19, 18, 49, 0);
        assert_eq!(super::to_the_minute(now), jiff::civil::date(2026, 12, 2).at(19, 18, 0, 0));
    }
}
