//! Plans kept as single files outside the practice, to share one plan: "Save plan
//! as…" and "Open plan…" through the native file dialog (or a typed path when no
//! dialog can be shown), viewing and editing an opened plan, importing it into a
//! client, and the question before closing one with unsaved changes.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::DateTime;

use crate::model::{Client, ClientId};
use crate::safety::{SafetyReport, SafetyRules};
use crate::storage::{
    Fingerprint, PlanFile, PlanFileError, fingerprint_on_disk, open_plan_file, save_plan_file,
};

use crate::model::lifecycle;
use crate::ui::app::command::Command;
use crate::ui::session::{SessionContext, SessionScreen};
use crate::ui::widgets::file_dialog::{DialogResult, FileDialogs, PendingPath, path_field_fallback};
use crate::ui::widgets::short_name::NameLine;
use crate::workspace::Edit;

/// What a file dialog was opened for.
enum Purpose {
    Open,
    Save(Box<PlanFile>),
}

impl Purpose {
    fn describe(&self) -> &'static str {
        match self {
            Purpose::Open => "plan to open",
            Purpose::Save(_) => "file to save the plan in",
        }
    }
}

/// A plan opened from a file: what the file holds, and the working copy.
struct OpenPlanFile {
    path: PathBuf,
    saved: PlanFile,
    draft: PlanFile,
    /// Why the file must not be written (a newer format), if so.
    read_only: Option<String>,
    /// What the file held when opened or last saved, to notice a colleague's change.
    on_disk: Option<Fingerprint>,
}

impl OpenPlanFile {
    /// Writes the working copy to the file, unless someone changed the file since.
    fn save(&mut self) -> Result<(), PlanFileError> {
        if let Some(why) = &self.read_only {
            return Err(PlanFileError::ReadOnly { path: self.path.clone(), why: why.clone() });
        }
        // Read the one safe way: a pipe put in its place must not hang the window.
        let now = fingerprint_on_disk(&self.path).map_err(PlanFileError::Unreadable)?;
        if now != self.on_disk {
            return Err(PlanFileError::ChangedElsewhere { path: self.path.clone() });
        }
        save_plan_file(&self.path, &self.draft)?;
        self.saved = self.draft.clone();
        self.on_disk = fingerprint_on_disk(&self.path).ok().flatten();
        Ok(())
    }
}

/// What to do once the open plan is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterClose {
    Nothing,
    OpenAnother,
    QuitApp,
}

/// What the app should do or say after this frame.
#[derive(Debug)]
pub enum PlanEvent {
    Info(String),
    /// The plan file could not be opened or saved.
    Error(PlanFileError),
    /// The lifecycle refused an edit of the plan.
    Refused(crate::model::Refusal),
    /// Asked for what only a client's session takes: a screening, a status, the trash.
    OnlyInASession,
    /// Make a new planned session of `client` from `plan`.
    Import {
        client: ClientId,
        plan: Box<PlanFile>,
    },
    /// Every plan is saved or given up: the window may close.
    Quit,
}

/// The app's plan files: at most one open at a time.
pub struct PlanFiles {
    dialogs: Arc<dyn FileDialogs + Send + Sync>,
    waiting: Option<(Purpose, PendingPath)>,
    /// No dialog could be shown: the path is typed instead.
    typing: Option<(Purpose, String)>,
    open: Option<OpenPlanFile>,
    /// The question "save changes?" is open, with what comes after.
    asking: Option<AfterClose>,
    /// A plan file named on the command line (a double click in the file
    /// manager), opened in the first frame.
    opening: Option<PathBuf>,
}

impl PlanFiles {
    pub fn new(dialogs: Arc<dyn FileDialogs + Send + Sync>) -> PlanFiles {
        PlanFiles { dialogs, waiting: None, typing: None, open: None, asking: None, opening: None }
    }

    /// Opens the plan file at `path` in the next frame, as "Open plan…" would.
    pub fn open_when_shown(&mut self, path: PathBuf) {
        self.opening = Some(path);
    }

    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// The open plan's session, as edited so far.
    pub fn open_session(&self) -> Option<&crate::model::Session> {
        self.open.as_ref().map(|open| &open.draft.session)
    }

    /// Takes `content` into the open plan (undo and redo), through the same
    /// plan edit a client's session takes; false if nothing changed.
    pub fn take_content(&mut self, content: lifecycle::PlanContent) -> bool {
        let Some(open) = &mut self.open else { return false };
        if open.read_only.is_some() {
            return false;
        }
        lifecycle::edit_plan(&mut open.draft.session, content, false).unwrap_or(false)
    }

    /// Whether the open plan has changes its file does not have.
    pub fn has_unsaved_changes(&self) -> bool {
        self.open.as_ref().is_some_and(|open| open.read_only.is_none() && open.draft != open.saved)
    }

    /// "Open plan…": asks first if the open plan has unsaved changes.
    pub fn start_open(&mut self) {
        if self.has_unsaved_changes() {
            self.asking = Some(AfterClose::OpenAnother);
        } else {
            self.waiting = Some((Purpose::Open, self.dialogs.pick_plan_to_open()));
        }
    }

    /// "Save plan as…" for `plan`.
    pub fn start_save_as(&mut self, plan: PlanFile) {
        let pending = self.dialogs.pick_plan_to_save(&plan.suggested_file_name());
        self.waiting = Some((Purpose::Save(Box::new(plan)), pending));
    }

    /// "Save plan as…" for the open plan file, if one is open.
    pub fn save_open_as(&mut self) -> bool {
        let Some(open) = &self.open else { return false };
        let plan = open.draft.clone();
        self.start_save_as(plan);
        true
    }

    /// Closes the open plan without a question: its content went elsewhere (an import).
    pub fn close_imported(&mut self) {
        self.open = None;
    }

    /// Saves the open plan to its own file (Ctrl+S).
    pub fn save(&mut self) -> Option<PlanEvent> {
        let open = self.open.as_mut()?;
        if open.draft == open.saved && open.read_only.is_none() {
            return None;
        }
        Some(match open.save() {
            Ok(()) => PlanEvent::Info(format!("Saved the plan to {}", open.path.display())),
            Err(error) => PlanEvent::Error(error),
        })
    }

    /// Closes the open plan, asking first if it has unsaved changes. True when
    /// nothing stands in the way of `then` any more.
    pub fn request_close(&mut self, then: AfterClose) -> bool {
        if self.has_unsaved_changes() {
            self.asking = Some(then);
            false
        } else {
            self.open = None;
            true
        }
    }

    /// Shows the open plan in the central area; `client` is the practice's
    /// selected client, whom the plan can be imported into.
    pub fn plan_ui(
        &mut self,
        ui: &mut egui::Ui,
        screen: &mut SessionScreen,
        client: Option<(&ClientId, &str)>,
        now: DateTime,
    ) -> Vec<PlanEvent> {
        let mut events = Vec::new();
        let Some(open) = &mut self.open else { return events };
        let mut close = false;
        ui.horizontal_wrapped(|ui| {
            let room = ui.available_width();
            NameLine::new(&open.draft.client_name)
                .before("Plan for ")
                .style(egui::TextStyle::Heading)
                .label(ui, Some(room));
            ui.weak(open.path.display().to_string());
        });
        ui.horizontal_wrapped(|ui| {
            let dirty = open.read_only.is_none() && open.draft != open.saved;
            if ui.add_enabled(dirty, egui::Button::new("Save plan")).clicked()
                && let Err(error) = open.save()
            {
                events.push(PlanEvent::Error(error));
            }
            match client {
                Some((id, name)) => {
                    let fitted = NameLine::new(name)
                        .before("Import into ")
                        .style(egui::TextStyle::Button)
                        .fit(ui, 320.0);
                    if fitted.explain(ui.button(fitted.shown(ui)), None).clicked() {
                        events.push(PlanEvent::Import {
                            client: id.clone(),
                            plan: Box::new(open.draft.clone()),
                        });
                    }
                }
                None => {
                    ui.weak("Select a client on the left to import this plan into their sessions.");
                }
            }
            if ui.button("Close plan").clicked() {
                close = true;
            }
        });
        ui.add_space(4.0);
        // A plan file has no client profile: its rules are those of a client without health flags.
        let stranger = Client::new(open.draft.client_name.clone());
        let report = standalone_report(&stranger, &open.draft);
        let gate = crate::safety::passes_gate(&report);
        let warned = report.unexplained().filter_map(|warning| warning.region).collect();
        let settings = crate::model::PracticeSettings::default();
        let no_clinic_rules = crate::model::ClinicRules::default();
        let context = SessionContext {
            clinic_rules: &no_clinic_rules,
            settings: &settings,
            client: &stranger,
            report: &report,
            gate: &gate,
            warned: &warned,
            last_time: &std::collections::BTreeMap::new(),
            read_only: open.read_only.as_deref(),
            now,
            ask_screening: false,
            overlaps: &[],
            amending: None,
            amending_elsewhere: false,
        };
        // A plan file is a plan: its content is edited here, its status only once it is
        // imported into a client's sessions, where the lifecycle and the gate apply.
        for command in screen.ui(ui, &open.draft.session, &context) {
            match command {
                Command::Edit(Edit::Plan { content, .. }) => {
                    if let Err(refusal) = lifecycle::edit_plan(&mut open.draft.session, content, false) {
                        events.push(PlanEvent::Refused(refusal));
                    }
                }
                Command::Edit(_) | Command::TrashSession(_) => events.push(PlanEvent::OnlyInASession),
                _ => {}
            }
        }
        if close && self.request_close(AfterClose::Nothing) {
            events.push(PlanEvent::Info("Closed the plan".to_owned()));
        }
        events
    }

    /// Polls the file dialogs and shows the typed-path field and the save question.
    pub fn dialogs_ui(&mut self, ui: &mut egui::Ui) -> Vec<PlanEvent> {
        if let Some(path) = self.opening.take() {
            return self.finish(Purpose::Open, path).into_iter().collect();
        }
        let mut events = Vec::new();
        if let Some((_, pending)) = &mut self.waiting
            && let Some(result) = pending.poll()
            && let Some((purpose, _)) = self.waiting.take()
        {
            match result {
                DialogResult::Picked(path) => events.extend(self.finish(purpose, path)),
                DialogResult::Cancelled => {}
                DialogResult::Unavailable(why) => {
                    events.push(PlanEvent::Info(format!(
                        "No file dialog could be shown ({why}); type the path."
                    )));
                    self.typing = Some((purpose, String::new()));
                }
            }
        }

        if let Some((purpose, text)) = &mut self.typing {
            let title = purpose.describe();
            let modal = crate::ui::widgets::window::modal(
                egui::Modal::new(egui::Id::unique("plan_path")),
                if matches!(purpose, Purpose::Open) { "Open plan" } else { "Save plan as" },
                ui.ctx(),
                |ui| {
                    ui.heading(if matches!(purpose, Purpose::Open) { "Open plan" } else { "Save plan as" });
                    let picked = path_field_fallback(ui, text, title);
                    (picked, ui.button("Cancel").clicked())
                },
            );
            let closing = modal.should_close();
            let (picked, cancelled) = modal.inner;
            if let Some(path) = picked {
                if let Some((purpose, _)) = self.typing.take() {
                    events.extend(self.finish(purpose, path));
                }
            } else if cancelled || closing {
                self.typing = None;
            }
        }

        if let Some(then) = self.asking {
            let name = self.open.as_ref().map(|open| open.path.display().to_string()).unwrap_or_default();
            let modal = crate::ui::widgets::window::modal(
                egui::Modal::new(egui::Id::unique("save_plan_question")),
                "Save the changes to this plan?",
                ui.ctx(),
                |ui| {
                    ui.heading("Save the changes to this plan?");
                    crate::ui::widgets::seen_text::label(ui, &name);
                    ui.horizontal(|ui| {
                        (
                            ui.button("Save the plan").clicked(),
                            ui.button("Don't save").clicked(),
                            ui.button("Cancel").clicked(),
                        )
                    })
                    .inner
                },
            );
            let (save, discard, cancel) = modal.inner;
            if save && let Some(event) = self.save() {
                let failed = matches!(event, PlanEvent::Error(_));
                events.push(event);
                if failed {
                    self.asking = None;
                    return events;
                }
            }
            if save || discard {
                self.asking = None;
                self.open = None;
                match then {
                    AfterClose::Nothing => {}
                    AfterClose::OpenAnother => self.start_open(),
                    AfterClose::QuitApp => events.push(PlanEvent::Quit),
                }
            } else if cancel || modal.should_close() {
                self.asking = None;
            }
        }
        events
    }

    /// Does what the dialog was for, with the path it gave.
    fn finish(&mut self, purpose: Purpose, path: PathBuf) -> Option<PlanEvent> {
        match purpose {
            Purpose::Open => match open_plan_file(&path) {
                Ok(opened) => {
                    let message = format!("Opened the plan {}", path.display());
                    let on_disk = fingerprint_on_disk(&path).ok().flatten();
                    self.open = Some(OpenPlanFile {
                        path,
                        saved: opened.plan.clone(),
                        draft: opened.plan,
                        read_only: opened.read_only,
                        on_disk,
                    });
                    Some(PlanEvent::Info(message))
                }
                Err(problem) => Some(PlanEvent::Error(PlanFileError::Unreadable(problem))),
            },
            Purpose::Save(plan) => match save_plan_file(&path, &plan) {
                Ok(()) => {
                    // Saving the open plan under a new name carries on in that file.
                    if let Some(open) = &mut self.open
                        && open.draft == *plan
                    {
                        open.path = path.clone();
                        open.saved = open.draft.clone();
                        open.read_only = None;
                        open.on_disk = fingerprint_on_disk(&path).ok().flatten();
                    }
                    Some(PlanEvent::Info(format!("Saved the plan as {}", path.display())))
                }
                Err(error) => Some(PlanEvent::Error(error)),
            },
        }
    }
}

fn standalone_report(client: &Client, plan: &PlanFile) -> SafetyReport {
    crate::safety::check_with(SafetyRules::standard(), client, &plan.session, None)
}
