//! The day's list: every session planned today, across clients and therapists,
//! in the order of the day, with "Print all plan sheets" for the front desk.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use jiff::civil::{Date, DateTime};

use crate::model::{ClientId, SessionId};
use crate::print::DocumentKind;
use crate::print::batch::{DayEntry, Job, Outcome, Output, print_sessions};
use crate::print::send::{PrintService, Printer};

use super::Printers;

/// The list, read when it opens and kept as the practice changes while it is open.
pub struct TodayList {
    day: Date,
    entries: Vec<DayEntry>,
    /// The workspace's generation the open client's entries were last taken at.
    pub(crate) followed: Option<u64>,
    printers: Printers,
    working: Option<Receiver<Vec<Outcome>>>,
    /// Where the sheets being made go, in words: "sent to front_desk", "saved in …".
    going: String,
    message: Option<(String, bool)>,
    /// Where "Save all as PDF" writes.
    folder: PathBuf,
}

/// What the app is asked to do from the list.
#[derive(Debug, PartialEq, Eq)]
pub enum TodayEvent {
    Open { client: ClientId, session: SessionId },
    Closed,
}

impl TodayList {
    pub fn new(
        day: Date,
        entries: Vec<DayEntry>,
        folder: PathBuf,
        service: Arc<dyn PrintService>,
        ctx: &egui::Context,
    ) -> TodayList {
        TodayList {
            day,
            entries,
            followed: None,
            printers: Printers::list(service, ctx),
            working: None,
            going: String::new(),
            message: None,
            folder,
        }
    }

    pub fn day(&self) -> Date {
        self.day
    }

    /// Puts `client`'s sessions of the day as they are now (`entries`) in place
    /// of what the list showed for them: planned, moved or completed here or on
    /// another laptop while the list is open.
    pub fn follow(&mut self, client: &ClientId, entries: Vec<DayEntry>) {
        self.entries.retain(|entry| &entry.client != client);
        self.entries.extend(entries);
        crate::print::batch::sort_day(&mut self.entries);
    }

    /// Everything read again (the system lost track of what changed).
    pub fn replace(&mut self, entries: Vec<DayEntry>) {
        self.entries = entries;
    }

    fn default_printer(&self) -> Option<String> {
        let printers = self.printers.listed()?.as_ref().ok()?;
        // Many sheets at once go to a printer that does not ask for each.
        let direct: Vec<&Printer> = printers.iter().filter(|p| !p.asks).collect();
        direct.iter().find(|p| p.is_default).or(direct.first()).map(|p| p.name.clone())
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        service: &Arc<dyn PrintService>,
        printed_at: DateTime,
    ) -> Option<TodayEvent> {
        self.poll();
        let mut event = None;
        let mut open = true;
        let shown = crate::ui::widgets::window::show(
            egui::Window::new("Today").open(&mut open).default_width(520.0),
            ui.ctx(),
            |ui| {
                ui.heading(self.day.strftime("%A %-d %B %Y").to_string());
                if self.entries.is_empty() {
                    ui.label("No session is planned today.");
                }
                egui::Grid::new("today_grid").num_columns(5).striped(true).spacing([14.0, 6.0]).show(
                    ui,
                    |ui| {
                        for entry in &self.entries {
                            ui.label(entry.starts_at.strftime("%H:%M").to_string());
                            crate::ui::widgets::seen_text::label(ui, &entry.client_name);
                            ui.label(if entry.therapist.is_empty() {
                                "–"
                            } else {
                                entry.therapist.as_str()
                            });
                            ui.label(entry.status.word());
                            if ui
                                .button("Open")
                                .on_hover_text(format!("Open {}'s session", entry.client_name))
                                .clicked()
                            {
                                event = Some(TodayEvent::Open {
                                    client: entry.client.clone(),
                                    session: entry.session.clone(),
                                });
                            }
                            ui.end_row();
                        }
                    },
                );
                ui.add_space(8.0);
                let printer = self.default_printer();
                let idle = self.working.is_none() && !self.entries.is_empty();
                ui.horizontal(|ui| {
                    let print = ui
                        .add_enabled(idle && printer.is_some(), egui::Button::new("Print all plan sheets"))
                        .on_hover_text(
                            printer
                                .as_deref()
                                .map_or("No printer was found".to_owned(), |p| format!("On {p}")),
                        );
                    if print.clicked()
                        && let Some(printer) = printer.clone()
                    {
                        self.start(
                            Arc::clone(service),
                            Some(printer),
                            Output::PrinterOnly,
                            printed_at,
                            ui.ctx(),
                        );
                    }
                    let save = ui
                        .add_enabled(idle, egui::Button::new("Save all as PDF"))
                        .on_hover_text(format!("One plan sheet per session, into {}", self.folder.display()));
                    if save.clicked() {
                        let folder = self.folder.clone();
                        match crate::print::destination::make_pdf_folder(&folder) {
                            Ok(()) => self.start(
                                Arc::clone(service),
                                None,
                                Output::Folder(folder),
                                printed_at,
                                ui.ctx(),
                            ),
                            Err(refused) => self.message = Some((refused.to_string(), true)),
                        }
                    }
                });
                match self.printers.listed() {
                    None => {
                        ui.weak("Looking for printers…");
                    }
                    Some(Ok(list)) if list.iter().all(|p| p.asks) => {
                        ui.weak("No printer was found: save the plan sheets as PDF instead.");
                    }
                    Some(Err(why)) => {
                        ui.weak(why.to_string());
                    }
                    Some(Ok(_)) => {}
                }
                if self.working.is_some() {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Printing the plan sheets…");
                    });
                }
                if let Some((message, is_error)) = &self.message {
                    if *is_error {
                        ui.colored_label(ui.visuals().error_fg_color, message);
                    } else {
                        crate::ui::widgets::seen_text::label(ui, message);
                    }
                }
            },
        );
        if !open || crate::ui::widgets::escape::closes(ui.ctx(), &shown) {
            event = Some(TodayEvent::Closed);
        }
        event
    }

    fn start(
        &mut self,
        service: Arc<dyn PrintService>,
        printer: Option<String>,
        output: Output,
        printed_at: DateTime,
        ctx: &egui::Context,
    ) {
        let sources: Vec<PathBuf> = self.entries.iter().map(|entry| entry.path.clone()).collect();
        self.going = match (&printer, &output) {
            (Some(printer), _) => format!("sent to {printer}"),
            (None, Output::Folder(folder)) => format!("saved in {}", folder.display()),
            (None, _) => "done".to_owned(),
        };
        let (sender, receiver) = mpsc::channel();
        let repaint = ctx.clone();
        let started = std::thread::Builder::new().name("print all".into()).spawn(move || {
            let job = Job {
                kind: DocumentKind::PlanSheet,
                paper: None,
                printer: printer.as_deref().map(|name| (name, service.as_ref())),
                printed_at,
            };
            let _ = sender.send(print_sessions(&sources, job, &output));
            repaint.request_repaint();
        });
        match started {
            Ok(_) => self.working = Some(receiver),
            Err(error) => self.message = Some((format!("printing could not start: {error}"), true)),
        }
    }

    fn poll(&mut self) {
        self.printers.poll();
        if let Some(working) = &self.working {
            match working.try_recv() {
                Ok(outcomes) => {
                    let failed: Vec<String> = outcomes
                        .iter()
                        .filter_map(|o| o.result.as_ref().err().map(ToString::to_string))
                        .collect();
                    let done = outcomes.len() - failed.len();
                    self.message = Some(if failed.is_empty() {
                        (
                            format!("{done} plan sheet{} {}", if done == 1 { "" } else { "s" }, self.going),
                            false,
                        )
                    } else {
                        (format!("{done} {}; not done: {}", self.going, failed.join("; ")), true)
                    });
                    self.working = None;
                }
                Err(TryRecvError::Disconnected) => self.working = None,
                Err(TryRecvError::Empty) => {}
            }
        }
    }
}
