//! The window's dialogs and side windows: a new client, another practice, the
//! trash and its questions, printing and the day's list, the practice settings and
//! the clinic's rules, two versions side by side, taking a session over.

use super::*;

impl KnotmapApp {
    /// The client's name as the practice knows it, or their ID where it does not.
    pub(super) fn client_named(&self, id: &ClientId) -> String {
        self.workspace
            .practice()
            .client(id)
            .map_or_else(|| format!("client {id}"), |entry| entry.client.display_name().to_owned())
    }

    pub(super) fn dialogs(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if let Some(name) = &mut self.new_client_name {
            let modal = crate::ui::widgets::window::modal(
                egui::Modal::new(egui::Id::unique("new_client")),
                "New client",
                ui.ctx(),
                |ui| {
                    ui.heading("New client");
                    let id = ui.make_persistent_id("new_client_name");
                    let field = crate::ui::widgets::seen_text::field(ui, name, id, false, |edit| {
                        edit.hint_text("Full name")
                    })
                    .accessible_name("New client's name");
                    // The name is the only thing to type here: the field has the keys from the start.
                    if !field.has_focus() && !ui.ctx().memory(|memory| memory.focused().is_some()) {
                        field.request_focus();
                    }
                    let entered = ui.input(|input| input.key_pressed(egui::Key::Enter));
                    ui.horizontal(|ui| {
                        let add = ui
                            .add_enabled(!name.trim().is_empty(), egui::Button::new("Add client"))
                            .clicked();
                        let cancel = ui.button("Cancel").clicked();
                        (add || (entered && !name.trim().is_empty()), cancel)
                    })
                    .inner
                },
            );
            let (add, cancel) = modal.inner;
            if add {
                commands.push(Command::AddClient { name: name.trim().to_owned() });
            }
            if add || cancel || modal.should_close() {
                self.new_client_name = None;
            }
        }

        if let Some(path) = &mut self.practice_path {
            let modal = crate::ui::widgets::window::modal(
                egui::Modal::new(egui::Id::unique("open_practice")),
                "Open a practice",
                ui.ctx(),
                |ui| {
                    ui.heading("Open a practice");
                    ui.label("The folder of the practice (a new, empty folder starts a new practice):");
                    ui.add(
                        egui::TextEdit::singleline(path).hint_text("/path/to/practice").desired_width(420.0),
                    )
                    .accessible_name("Practice folder");
                    ui.horizontal(|ui| (ui.button("Open").clicked(), ui.button("Cancel").clicked())).inner
                },
            );
            let (open, cancel) = modal.inner;
            if open && !path.trim().is_empty() {
                commands.push(Command::OpenPractice(PathBuf::from(path.trim())));
            }
            if open || cancel || modal.should_close() {
                self.practice_path = None;
            }
        }

        if let Some(question) = &self.trash_question {
            let modal = crate::ui::widgets::window::modal(
                egui::Modal::new(egui::Id::unique("trash_question")),
                "Move to the trash?",
                ui.ctx(),
                |ui| {
                    ui.set_max_width(440.0);
                    ui.heading("Move to the trash?");
                    crate::ui::widgets::seen_text::label(ui, &question.what);
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        // "Keep" first, where the pointer that asked is likely to be.
                        let keep = ui.button("Keep it").clicked();
                        let trash = ui.button("Move to trash").clicked();
                        (keep, trash)
                    })
                    .inner
                },
            );
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
            let shown = crate::ui::widgets::window::show(
                egui::Window::new("Trash").open(&mut still_open).default_width(420.0),
                ui.ctx(),
                |ui| {
                    if self.trash_entries.is_empty() {
                        ui.weak("The trash is empty.");
                    }
                    for entry in &self.trash_entries {
                        // Restore first, from the right, so that a long name is what gives way.
                        let row = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
                        ui.allocate_ui_with_layout(
                            row,
                            egui::Layout::right_to_left(egui::Align::Center),
                            |ui| {
                                if ui.button("Restore").clicked() {
                                    commands.push(Command::Restore(entry.folder.clone()));
                                }
                                let moved = format!(
                                    ", moved {}",
                                    entry.record.trashed_at.strftime("%-d %b %Y %H:%M")
                                );
                                // Whose it is, by name where the client is in the practice, else by ID.
                                let (name, before, after) = match &entry.record.what {
                                    crate::storage::Trashed::Client { name, .. } => {
                                        (name.clone(), "Client ", moved)
                                    }
                                    crate::storage::Trashed::Session { client, session } => (
                                        self.client_named(client),
                                        "Session of ",
                                        format!(" ({session}){moved}"),
                                    ),
                                    crate::storage::Trashed::Version { client, session, .. } => (
                                        self.client_named(client),
                                        "A version of a session of ",
                                        format!(" ({session}){moved}"),
                                    ),
                                };
                                let line = NameLine::new(&name).before(before).after(&after);
                                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                                    line.label(ui, None);
                                });
                            },
                        );
                    }
                },
            );
            self.trash_open = still_open && !crate::ui::widgets::escape::closes(ui.ctx(), &shown);
        }
    }

    /// Opens File → Print… on the open client, and their selected session if any.
    pub(super) fn open_print_dialog(&mut self) {
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
            clinic_rules_problem: self.workspace.practice().clinic_rules_problem().cloned(),
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
    pub(super) fn open_today(&mut self) {
        self.save_all();
        let today = (self.clock)().date();
        let entries = self.workspace.day_list(today);
        let folder = self.places.printed.join(today.to_string());
        self.today =
            Some(TodayList::new(today, entries, folder, Arc::clone(&self.print_service), &self.repaint));
    }

    /// Keeps the day's list as the open client's sessions are here, after each change.
    fn follow_today(&mut self) {
        let Some(today) = &mut self.today else { return };
        let generation = self.workspace.generation();
        if today.followed == Some(generation) {
            return;
        }
        today.followed = Some(generation);
        if let Some(client) = self.workspace.open_client().map(|open| open.client().id.clone()) {
            let entries = self.workspace.client_day_list(&client, today.day());
            today.follow(&client, entries);
        }
    }

    /// The print dialog and the day's list, while open.
    pub(super) fn print_windows(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if let Some(dialog) = &mut self.print_dialog
            && dialog.ui(ui, &self.print_service, self.file_dialogs.as_ref()) == Some(PrintEvent::Closed)
        {
            self.print_dialog = None;
        }
        if let (Some(window), Some(open)) = (&mut self.history_window, self.workspace.open_client()) {
            match window.ui(ui.ctx(), &open.client().name, open.sessions()) {
                Some(HistoryEvent::Closed) => self.history_window = None,
                Some(HistoryEvent::Open(session)) => {
                    // Opened behind the window, the session would seem not to open at all.
                    let day = open
                        .sessions()
                        .iter()
                        .find(|s| s.id == session)
                        .map(|s| s.starts_at.strftime("%-d %B %Y").to_string())
                        .unwrap_or_default();
                    self.history_window = None;
                    self.status = Status::Info(format!(
                        "Opened the session of {day}; History… opens the history again."
                    ));
                    commands.push(Command::SelectSession(session));
                }
                None => {}
            }
        }
        let printed_at = (self.clock)();
        self.follow_today();
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

    /// The practice settings window, while open; closing it saves what changed.
    pub(super) fn settings_window(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Some(draft) = &mut self.settings_draft else { return };
        let mut open = true;
        let read_only = self
            .workspace
            .practice()
            .read_only_reason(&self.workspace.practice().settings_path())
            .map(str::to_owned);
        let watching = self.watcher.as_ref().map(|watcher| watcher.watching().in_words());
        let mut watch_choice = self.watch_choice;
        let mut idle_lock = self.idle_lock;
        // The settings scroll, so that the buttons below them stay in a small window.
        let settings_height = (ui.ctx().content_rect().height() - 160.0).max(200.0);
        let shown = crate::ui::widgets::window::show(
            egui::Window::new("Practice settings").open(&mut open).default_width(460.0),
            ui.ctx(),
            |ui| {
                egui::ScrollArea::vertical().max_height(settings_height).show(ui, |ui| {
                    settings_view(ui, draft, read_only.as_deref());
                    ui.separator();
                    watch_setting(ui, &mut watch_choice, watching.as_deref());
                });
                ui.separator();
                ui.horizontal(|ui| {
                    commands.extend(Command::CloseSettings.button(ui));
                    commands.extend(Command::ShowSafetyRules.button(ui));
                    commands.extend(Command::ShowConsentSettings.button(ui));
                });
            },
        );
        if self.consent_settings_open {
            let pin_set = crate::storage::pin::LaptopPin::at(&self.places.laptop_pin).is_set();
            let mut open = true;
            let shown = crate::ui::widgets::window::show(
                egui::Window::new("Consent and the lock").open(&mut open).default_width(460.0),
                ui.ctx(),
                |ui| {
                    egui::ScrollArea::vertical().max_height(settings_height).show(ui, |ui| {
                        crate::ui::app::settings_view::consent_wording(ui, &mut draft.consent_wording);
                        ui.separator();
                        idle_lock_setting(ui, &mut idle_lock, pin_set);
                    });
                },
            );
            self.consent_settings_open = open && !crate::ui::widgets::escape::closes(ui.ctx(), &shown);
        }
        if watch_choice != self.watch_choice {
            commands.push(Command::Watch(watch_choice));
        }
        if idle_lock != self.idle_lock {
            commands.push(Command::IdleLock(idle_lock));
        }
        if !open || crate::ui::widgets::escape::closes(ui.ctx(), &shown) {
            commands.push(Command::CloseSettings);
        }
    }

    /// Saves the settings draft and closes its window (the draft is the window's
    /// own copy, edited while it is drawn; this is where it reaches the practice).
    pub(super) fn close_settings(&mut self) {
        self.consent_settings_open = false;
        if self.settings_draft.is_none() {
            return;
        }
        self.save_settings_draft();
        if !matches!(self.status, Status::Error(_)) {
            self.status = Status::Saved;
        }
    }

    /// Practice settings → Safety rules, while open.
    pub(super) fn safety_rules_window(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Some(window) = &mut self.safety_rules else { return };
        let path = self.workspace.practice().safety_rules_path();
        let read_only = self.workspace.practice().read_only_reason(&path).map(str::to_owned);
        let today = (self.clock)().date();
        let workspace = &self.workspace;
        let event = window.ui(ui.ctx(), read_only.as_deref(), |draft| workspace.effect_of(draft, today));
        match event {
            Some(safety_rules_view::SafetyRulesEvent::Save(rules)) => {
                commands.push(Command::SaveSafetyRules(Box::new(rules)));
            }
            Some(safety_rules_view::SafetyRulesEvent::Closed) => commands.push(Command::CloseSafetyRules),
            None => {}
        }
    }

    /// Saves the clinic's rules as edited, dated and signed by whoever saves them.
    pub(super) fn save_safety_rules(&mut self, mut rules: crate::model::ClinicRules) {
        let before = self.workspace.practice().clinic_rules().as_ref().clone();
        let what = rules.changes_from(&before).join("; ");
        rules.changes.push(crate::model::RuleChange {
            at: (self.clock)(),
            by: self.workspace.who().to_owned(),
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

    /// Asks before a client moves to the trash, saying what moves with them.
    pub(super) fn ask_before_trashing_client(&mut self, id: ClientId) {
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
    pub(super) fn ask_before_trashing_session(&mut self, id: SessionId) {
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

    /// Opens the side-by-side view of two versions of a session.
    pub(super) fn compare_versions(&mut self, session: SessionId, copy: Option<PathBuf>) {
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

    pub(super) fn versions_window(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Some(window) = &mut self.versions else { return };
        let (command, open) = window.ui(ui.ctx());
        commands.extend(command);
        if !open {
            self.versions = None;
        }
    }

    /// "Take over from …?", asked before the session is edited here.
    pub(super) fn take_over_dialog(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if !self.take_over_question {
            return;
        }
        let Some(other) = &self.held_elsewhere else {
            self.take_over_question = false;
            return;
        };
        let words = other.in_words(jiff::Timestamp::now());
        let stale = other.is_stale(jiff::Timestamp::now());
        let modal = crate::ui::widgets::window::modal(
            egui::Modal::new(egui::Id::unique("take_over")),
            "Take over this session?",
            ui.ctx(),
            |ui| {
                ui.set_max_width(460.0);
                ui.heading("Take over this session?");
                ui.label(format!("It is {words}."));
                ui.label(if stale {
                "Taking over lets you edit it here. Whatever that laptop saved is kept."
            } else {
                "Taking over lets you edit it here; it becomes read-only there. Whatever that laptop saved is \
                 kept, and an edit it makes after this is kept as a second version."
            });
                ui.horizontal(|ui| {
                    (ui.button("Keep it read-only").clicked(), ui.button("Take over").clicked())
                })
                .inner
            },
        );
        let (keep, take) = modal.inner;
        if take {
            commands.push(Command::TakeOver);
        }
        if keep || take || modal.should_close() {
            self.take_over_question = false;
        }
    }
}

/// This laptop's lock after a while without use (HIPAA's "automatic logoff"):
/// off, or after so many minutes; it needs the laptop's PIN.
fn idle_lock_setting(ui: &mut egui::Ui, minutes: &mut Option<u16>, pin_set: bool) {
    ui.label(egui::RichText::new("This laptop: lock when not used").strong());
    ui.horizontal(|ui| {
        ui.radio_value(minutes, None, "Never");
        let on = minutes.is_some();
        if ui.radio(on, "After").clicked() && !on {
            *minutes = Some(5);
        }
        if let Some(minutes) = minutes {
            ui.add(egui::DragValue::new(minutes).range(1..=240).suffix(" min"))
                .accessible_name("Minutes without use before the lock");
        }
    });
    if minutes.is_some() && !pin_set {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "Set this laptop's PIN (Ctrl+L asks for one) for the lock to work.",
        );
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

impl KnotmapApp {
    /// This laptop's PIN.
    pub(super) fn laptop_pin(&self) -> crate::storage::pin::LaptopPin {
        crate::storage::pin::LaptopPin::at(&self.places.laptop_pin)
    }

    /// Asks for this laptop's PIN first when none is set, to do `then` once it
    /// is; true when it asked.
    fn pin_first(&mut self, then: Command) -> bool {
        if self.laptop_pin().is_set() {
            return false;
        }
        self.pin_setup = Some(PinSetup { then: Some(then), ..PinSetup::default() });
        true
    }

    /// Hands the laptop to the open client, showing them only the consent of
    /// `session`; asks for this laptop's PIN first if none is set.
    pub(super) fn hand_to_client(&mut self, session: SessionId) {
        if self.pin_first(Command::HandToClient(session.clone())) {
            return;
        }
        let Some(open) = self.workspace.open_client() else { return };
        if open.session(&session).is_none() {
            return;
        }
        let client = open.client();
        self.raise_guard(Guard::Consent {
            client: client.id.clone(),
            session,
            name: client.display_name().to_owned(),
            pad: Default::default(),
            signed: false,
        });
    }

    /// Hands the laptop to the open client with the health questionnaire; asks
    /// for this laptop's PIN first if none is set.
    pub(super) fn hand_questionnaire(&mut self) {
        if self.pin_first(Command::AskQuestionnaire) {
            return;
        }
        let Some(open) = self.workspace.open_client() else { return };
        let now = (self.clock)();
        self.raise_guard(Guard::Questionnaire {
            client: open.client().id.clone(),
            clinic_flags: self.workspace.practice().clinic_rules().clinic_flags.clone(),
            answers: crate::model::intake::Intake::new(now),
            done: false,
        });
    }

    /// Puts `guard` between the window and whoever has the laptop now, and
    /// leaves a mark beside the PIN, so that an app ended meanwhile (by the
    /// system, or closed) starts locked.
    pub(super) fn raise_guard(&mut self, guard: Guard) {
        self.guard = Some(GuardScreen::new(guard));
        if let Err(error) =
            crate::storage::write_atomically(&self.places.laptop_pin.with_extension("locked"), b"")
        {
            self.status = Status::Error(format!("This laptop cannot note that it is locked: {error}"));
        }
    }

    /// Starts locked if the app ended while handed over or locked.
    pub(super) fn stay_locked_after_a_restart(&mut self) {
        if self.guard.is_none()
            && self.places.laptop_pin.with_extension("locked").exists()
            && self.laptop_pin().is_set()
        {
            self.guard = Some(GuardScreen::new(Guard::Locked));
        }
    }

    /// Hides everything until this laptop's PIN is typed; asks for one first if none is set.
    pub(super) fn lock(&mut self) {
        if self.pin_first(Command::Lock) {
            return;
        }
        self.raise_guard(Guard::Locked);
    }

    /// Draws the guard (the client's screen, or the lock), and does what it asks.
    pub(super) fn guard_frame(&mut self, ui: &mut egui::Ui) {
        let now = (self.clock)();
        let text = match self.guard.as_ref().map(|screen| &screen.guard) {
            Some(Guard::Consent { session, .. }) => self
                .workspace
                .open_client()
                .and_then(|open| Some((open.client(), open.session(session)?)))
                .map(|(client, session)| {
                    let wording = &self.workspace.practice().settings().consent_wording;
                    crate::model::consent::consent_text(wording, client, session)
                })
                .unwrap_or_default(),
            _ => String::new(),
        };
        let pin = self.laptop_pin();
        let Some(screen) = &mut self.guard else { return };
        match screen.ui(ui, &text, &pin, now) {
            Some(GuardAsk::Sign { client, session, signature }) => {
                let open = self.workspace.open_client().map(|open| open.client().id.clone());
                if open.as_ref() == Some(&client) {
                    let change =
                        crate::model::consent::ConsentChange::Sign { client: signature, therapist: None };
                    self.apply(Command::Edit(Edit::Consent { session, change }));
                } else {
                    self.notices.push(format!(
                        "{}'s signature was not kept: their profile left this laptop while they signed (another \
                         laptop or a sync); ask them to sign again.",
                        self.client_named(&client)
                    ));
                }
            }
            Some(GuardAsk::Answered { client, intake }) => {
                let open = self.workspace.open_client().map(|open| open.client().id.clone());
                if open.as_ref() == Some(&client) {
                    self.apply(Command::Edit(Edit::Intake(intake)));
                } else {
                    self.notices.push(format!(
                        "{}'s answers were not kept: their profile left this laptop while they answered; ask again.",
                        self.client_named(&client)
                    ));
                }
            }
            Some(GuardAsk::Unlock) => {
                self.guard = None;
                // Unlocked: a start after this is the therapist's again.
                let _gone = std::fs::remove_file(self.places.laptop_pin.with_extension("locked"));
                ui.ctx().request_repaint();
            }
            None => {}
        }
    }

    /// The question that sets this laptop's PIN, while it is open.
    pub(super) fn pin_setup_dialog(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Some(setup) = &mut self.pin_setup else { return };
        let pin = crate::storage::pin::LaptopPin::at(&self.places.laptop_pin);
        let modal = crate::ui::widgets::window::modal(
            egui::Modal::new(egui::Id::unique("laptop_pin")),
            "This laptop's PIN",
            ui.ctx(),
            |ui| {
                ui.heading("This laptop's PIN");
                ui.label(
                    "The PIN gets your view back after you hand the laptop to a client, and unlocks the lock \
                 (Ctrl+L). It is kept on this laptop only, never in the practice folder.",
                );
                let mut set = false;
                egui::Grid::new("pin_fields").num_columns(2).show(ui, |ui| {
                    let label = ui.label("PIN (4 to 12 digits)");
                    ui.add(egui::TextEdit::singleline(&mut setup.pin).password(true)).labelled_by(label.id);
                    ui.end_row();
                    let label = ui.label("The same PIN again");
                    let again = ui
                        .add(egui::TextEdit::singleline(&mut setup.again).password(true))
                        .labelled_by(label.id);
                    set |= again.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
                    ui.end_row();
                });
                if let Some(problem) = &setup.problem {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
                }
                ui.horizontal(|ui| {
                    set |= ui.button("Set PIN").clicked();
                    (set, ui.button("Cancel").clicked())
                })
                .inner
            },
        );
        let (set, cancel) = modal.inner;
        if set {
            match pin.set(&setup.pin, &setup.again) {
                Ok(()) => {
                    commands.extend(setup.then.take());
                    self.pin_setup = None;
                    self.status = Status::Info("This laptop's PIN is set.".to_owned());
                }
                Err(problem) => {
                    setup.problem = Some(crate::model::words::sentence(&problem.to_string()));
                    setup.pin.clear();
                    setup.again.clear();
                }
            }
        } else if cancel || modal.should_close() {
            self.pin_setup = None;
        }
    }
}

impl KnotmapApp {
    /// Reads every laptop's audit trail for the changes to `session` of the open client.
    pub(super) fn show_record_history(&mut self, session: &SessionId) {
        let Some(open) = self.workspace.open_client() else { return };
        let record = crate::storage::audit::AuditRecord::Session(open.client().id.clone(), session.clone());
        let title = open.session(session).map_or_else(
            || "History of this record".to_owned(),
            |session| format!("History of the session of {}", session.starts_at.strftime("%-d %b %Y %H:%M")),
        );
        let lines = crate::storage::audit::history_of(self.workspace.practice().root(), &record)
            .into_iter()
            .map(|(laptop, entry)| {
                format!(
                    "{} · {} on {}: {}",
                    entry.at.strftime("%-d %b %Y %H:%M"),
                    entry.who,
                    laptop,
                    entry.what.join("; ")
                )
            })
            .collect();
        self.record_history = Some((title, lines));
    }

    pub(super) fn record_history_window(&mut self, ui: &mut egui::Ui) {
        let Some((title, lines)) = &self.record_history else { return };
        let mut open = true;
        let shown = crate::ui::widgets::window::show(
            egui::Window::new(title.as_str()).id(egui::Id::unique("record_history")).open(&mut open),
            ui.ctx(),
            |ui| {
                if lines.is_empty() {
                    ui.weak("No change to this session is in the audit trail (changes made before it was kept are not).");
                }
                egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                    for line in lines {
                        ui.label(line);
                    }
                });
            },
        );
        if !open || crate::ui::widgets::escape::closes(ui.ctx(), &shown) {
            self.record_history = None;
        }
    }
}
