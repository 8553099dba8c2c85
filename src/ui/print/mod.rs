//! File → Print…: choose the document, the paper and the printer, see the pages
//! before they print, then print, save as PDF, or open in the desktop's viewer.
//! And the day's list of sessions across clients, with "Print all plan sheets".
//!
//! Everything slow happens off the window's thread: the document is laid out,
//! written and drawn for the preview on a thread of its own, and so are the
//! printer list and the sending, so the window never freezes.

pub mod today;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

use egui::{ColorImage, RichText, TextureHandle, TextureOptions};
use jiff::civil::DateTime;

use crate::model::{Client, PaperSize, PracticeSettings, Session};
use crate::print::send::{PrintService, Printer};
use crate::print::{DocumentKind, PrintError, Printed, ReportInput, ReportRange, SessionSheet, file_name};

use super::widgets::date_field::optional_date_field;
use super::widgets::file_dialog::{DialogResult, FileDialogs, PendingPath, path_field_fallback};

/// What a print dialog prints from: copies, so the work can go to another thread.
#[derive(Clone, Debug)]
pub struct PrintSource {
    pub settings: PracticeSettings,
    /// The clinic's own safety rules, for the plan sheet's warnings.
    pub clinic_rules: crate::model::ClinicRules,
    /// Why the clinic's rules file cannot be read, while it cannot: no plan sheet is printed then.
    pub clinic_rules_problem: Option<crate::storage::Problem>,
    pub client: Client,
    /// The session the sheets are of; `None` when only the report can be printed.
    pub session: Option<Session>,
    pub previous: Option<Session>,
    /// Every session of the client, for the progress report.
    pub sessions: Vec<Session>,
    /// The session's file, from the practice folder down, for the footer.
    pub session_file: PathBuf,
    /// The client's folder, from the practice folder down, for the report's footer.
    pub client_folder: PathBuf,
}

/// What the preview shows: the PDF and its pages as pictures.
struct Built {
    /// The document it is: the choice may have moved on while it was laid out.
    kind: DocumentKind,
    pdf: Arc<Vec<u8>>,
    pages: Vec<TextureHandle>,
    name: String,
    /// Characters the pages show as boxes, said above them.
    unprintable: Option<crate::print::Unprintable>,
}

/// The pages laid out and drawn, as they come back from their thread.
type BuiltPages = Result<
    (DocumentKind, Arc<Vec<u8>>, Vec<ColorImage>, String, Option<crate::print::Unprintable>),
    PrintError,
>;

/// The printers of the print service, asked for on a thread of their own (a
/// print server can take seconds to answer).
pub struct Printers {
    listed: Option<Result<Vec<Printer>, PrintError>>,
    coming: Option<Receiver<Result<Vec<Printer>, PrintError>>>,
}

impl Printers {
    /// Asks `service` for its printers; `ctx` is woken when they come.
    pub fn list(service: Arc<dyn PrintService>, ctx: &egui::Context) -> Printers {
        let (sender, coming) = mpsc::channel();
        let repaint = ctx.clone();
        let listing = std::thread::Builder::new().name("printers".into()).spawn(move || {
            let _ = sender.send(service.printers());
            repaint.request_repaint();
        });
        match listing {
            Ok(_) => Printers { listed: None, coming: Some(coming) },
            Err(source) => Printers {
                listed: Some(Err(PrintError::NoThread { what: "listing the printers", source })),
                coming: None,
            },
        }
    }

    /// The printers, once they came (or why there are none); `None` while asked for.
    pub fn listed(&self) -> Option<&Result<Vec<Printer>, PrintError>> {
        self.listed.as_ref()
    }

    /// Takes the printers in if they came; true when they did just now.
    pub fn poll(&mut self) -> bool {
        let Some(coming) = &self.coming else { return false };
        let listed = match coming.try_recv() {
            Ok(listed) => listed,
            Err(TryRecvError::Disconnected) => Err(PrintError::Stopped { what: "listing the printers" }),
            Err(TryRecvError::Empty) => return false,
        };
        self.listed = Some(listed);
        self.coming = None;
        true
    }
}

/// What became of sending a document to a printer.
#[derive(Debug)]
enum Sending {
    Sent { name: String, printer: String },
    NotSent { printer: String, error: PrintError },
}

impl std::fmt::Display for Sending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The desktop's dialog only says it took the document: what its print service
            // does with it next, Knotmap cannot know, so it claims no more.
            Sending::Sent { name, printer } if printer == crate::print::send::DESKTOP_DIALOG => {
                write!(f, "Handed {name} to the desktop's print dialog")
            }
            Sending::Sent { name, printer } => write!(f, "Sent {name} to {printer}"),
            // Handed over before the stop: whether it prints is not known, so not "not printed".
            Sending::NotSent {
                error: error @ PrintError::Send(crate::print::send::SendError::StoppedWhilePrinting),
                ..
            } => write!(f, "{}", crate::model::words::sentence(&error.to_string())),
            Sending::NotSent { printer, error } if printer == crate::print::send::DESKTOP_DIALOG => {
                write!(f, "Not printed: {error}")
            }
            Sending::NotSent { printer, error } => write!(f, "Not printed on {printer}: {error}"),
        }
    }
}

/// Why "Open in viewer" did not open the document.
#[derive(Debug, thiserror::Error)]
enum ViewerCopyError {
    #[error("no folder for the copy: {0}")]
    NoFolder(std::io::Error),
    #[error("the copy could not be written: {0}")]
    NotWritten(std::io::Error),
    #[error(transparent)]
    Viewer(#[from] PrintError),
}

/// The print dialog.
pub struct PrintDialog {
    source: Arc<PrintSource>,
    kind: DocumentKind,
    paper: PaperSize,
    range: ReportRange,
    printers: Printers,
    printer: Option<String>,
    built: Option<Built>,
    building: Option<Receiver<BuiltPages>>,
    /// The settings changed since the preview was asked for.
    stale: bool,
    save: Option<PendingPath>,
    typing_path: Option<String>,
    sending: Option<Receiver<Sending>>,
    /// The stop of the print under way, and the printer it went to.
    stop: Option<Arc<AtomicBool>>,
    sending_to: String,
    /// A print stopped but not ended when it was left behind: its answer, when it
    /// comes, is still told.
    left_behind: Option<Receiver<Sending>>,
    /// When the user asked to stop waiting for the printer (the window's clock).
    stop_asked_at: Option<f64>,
    /// The keyboard was on "Stop waiting" in the last frame: when it goes, the keyboard goes back to Print.
    keyboard_back_to_print: bool,
    message: Option<(String, bool)>,
    printed_at: DateTime,
}

/// What the app is told after a frame of the dialog.
#[derive(Debug, PartialEq, Eq)]
pub enum PrintEvent {
    /// The dialog is done.
    Closed,
}

/// How long a stopped wait is given to end by itself before it is left behind.
const STOP_GRACE_SECONDS: f64 = 2.0;

/// How wide a preview page is shown.
const PREVIEW_WIDTH: f32 = 420.0;

/// How large a preview page is drawn, in pixels per point of paper.
const PREVIEW_SCALE: f32 = 1.0;

impl PrintDialog {
    /// A dialog on `source`, at `printed_at`, asking `service` for its printers.
    pub fn new(
        source: PrintSource,
        printed_at: DateTime,
        service: Arc<dyn PrintService>,
        ctx: &egui::Context,
    ) -> PrintDialog {
        let kind =
            if source.session.is_some() { DocumentKind::PlanSheet } else { DocumentKind::ProgressReport };
        let paper = source.settings.paper_size;
        PrintDialog {
            source: Arc::new(source),
            kind,
            paper,
            range: ReportRange::default(),
            printers: Printers::list(service, ctx),
            printer: None,
            built: None,
            building: None,
            stale: true,
            save: None,
            typing_path: None,
            sending: None,
            stop: None,
            sending_to: String::new(),
            left_behind: None,
            stop_asked_at: None,
            keyboard_back_to_print: false,
            message: None,
            printed_at,
        }
    }

    /// Shows the dialog; `service` prints and opens, `dialogs` asks where to save.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        service: &Arc<dyn PrintService>,
        dialogs: &dyn FileDialogs,
    ) -> Option<PrintEvent> {
        self.poll(ui.ctx());
        if self.stale && self.building.is_none() {
            self.start_building(ui.ctx());
        }
        let mut event = None;
        let modal = crate::ui::widgets::window::modal(
            egui::Modal::new(egui::Id::unique("print_dialog")),
            "Print",
            ui.ctx(),
            |ui| {
                ui.set_max_height(ui.ctx().content_rect().height() - 80.0);
                ui.horizontal_top(|ui| {
                    ui.vertical(|ui| {
                        ui.set_width(250.0);
                        event = self.controls(ui, service, dialogs);
                    });
                    ui.separator();
                    ui.vertical(|ui| {
                        ui.set_min_width(PREVIEW_WIDTH);
                        self.preview(ui);
                    });
                });
            },
        );
        if modal.should_close() {
            event = Some(PrintEvent::Closed);
        }
        if event == Some(PrintEvent::Closed) {
            // Closed while the desktop's dialog is still open: that one closes too.
            self.stop_waiting();
        }
        event
    }

    /// Ends the wait for the print under way, where its service can.
    fn stop_waiting(&self) {
        if let Some(stop) = &self.stop {
            stop.store(true, Ordering::SeqCst);
        }
    }

    fn controls(
        &mut self,
        ui: &mut egui::Ui,
        service: &Arc<dyn PrintService>,
        dialogs: &dyn FileDialogs,
    ) -> Option<PrintEvent> {
        ui.heading("Print");
        crate::ui::widgets::seen_text::label(ui, RichText::new(&self.source.client.name).strong());
        ui.add_space(6.0);
        ui.label("Document");
        for kind in DocumentKind::ALL {
            let enabled = kind == DocumentKind::ProgressReport || self.source.session.is_some();
            let response = ui
                .add_enabled(enabled, egui::RadioButton::new(self.kind == kind, kind.label()))
                .on_disabled_hover_text("Select a session to print its sheets");
            if response.clicked() && self.kind != kind {
                self.kind = kind;
                self.stale = true;
            }
        }
        if self.kind == DocumentKind::ProgressReport {
            ui.add_space(4.0);
            let today = self.printed_at.date();
            let from = ui.label("From");
            let mut range = self.range;
            let mut changed = optional_date_field(ui, from.id, "Report from", &mut range.from, today);
            let to = ui.label("To");
            changed |= optional_date_field(ui, to.id, "Report to", &mut range.to, today);
            if changed {
                self.range = range;
                self.stale = true;
            }
        }
        ui.add_space(6.0);
        ui.label("Paper");
        ui.horizontal(|ui| {
            for (paper, name) in [(PaperSize::A4, "A4"), (PaperSize::Letter, "Letter")] {
                if ui
                    .selectable_label(self.paper == paper, name)
                    .accessible_name(format!("{name} paper"))
                    .clicked()
                    && self.paper != paper
                {
                    self.paper = paper;
                    self.stale = true;
                }
            }
        });
        ui.add_space(6.0);
        self.printer_choice(ui);
        ui.add_space(10.0);

        let ready = self.built.is_some() && !self.stale;
        let can_print = ready && self.printer.is_some() && self.sending.is_none();
        let print = ui.add_enabled(can_print, egui::Button::new("Print"));
        // Once Print can be pressed again (not while a stopped wait still ends).
        if can_print && std::mem::take(&mut self.keyboard_back_to_print) {
            print.request_focus();
        }
        if print.clicked()
            && let (Some(built), Some(printer)) = (&self.built, self.printer.clone())
        {
            let waiting = if printer == crate::print::send::DESKTOP_DIALOG {
                "Waiting for the desktop's print dialog…".to_owned()
            } else {
                format!("Sending to {printer}…")
            };
            // This print's own stop: one pressed for it never reaches another.
            let stop = Arc::new(AtomicBool::new(false));
            self.stop = Some(Arc::clone(&stop));
            self.sending_to = printer.clone();
            self.sending = Some(send(
                Arc::clone(service),
                Arc::clone(&built.pdf),
                built.name.clone(),
                (printer, self.kind.job_title()),
                self.paper,
                stop,
                ui.ctx(),
            ));
            self.stop_asked_at = None;
            self.message = Some((waiting, false));
        }
        // Every wait can be ended: the desktop's dialog is closed by the portal; a wait
        // the service cannot end is left behind after a moment, saying what may still happen.
        // Its place is kept when it is not shown, so that what is below never moves
        // under a pointer that was on it.
        if self.sending.is_some() && self.stop_asked_at.is_none() {
            let stop = ui.button("Stop waiting");
            // The Print the keyboard was on is greyed out now: the keyboard goes to what can be done.
            if print.has_focus()
                || print.lost_focus()
                || !ui.ctx().memory(|memory| memory.focused().is_some())
            {
                stop.request_focus();
            }
            if stop.clicked() {
                self.stop_waiting();
                self.stop_asked_at = Some(ui.input(|input| input.time));
                ui.ctx().request_repaint_after(std::time::Duration::from_secs_f64(STOP_GRACE_SECONDS));
            }
            self.keyboard_back_to_print = stop.has_focus() || stop.clicked();
        } else {
            ui.add_space(ui.spacing().interact_size.y + ui.spacing().item_spacing.y);
        }
        if ui.add_enabled(ready, egui::Button::new("Save as PDF…")).clicked()
            && let Some(built) = &self.built
        {
            self.save = Some(dialogs.pick_pdf_to_save(&built.name));
        }
        if ui.add_enabled(ready, egui::Button::new("Open in viewer")).clicked()
            && let Some(built) = &self.built
        {
            self.message = Some(match open_copy(service.as_ref(), &built.pdf, &built.name) {
                Ok(path) => (format!("Opened {}", path.display()), false),
                Err(error) => (error.to_string(), true),
            });
        }
        self.save_answer(ui);
        if let Some((message, is_error)) = &self.message {
            ui.add_space(6.0);
            if *is_error {
                ui.colored_label(ui.visuals().error_fg_color, message);
            } else {
                crate::ui::widgets::seen_text::label(ui, message);
            }
        }
        ui.add_space(10.0);
        if ui.button("Close").clicked() {
            return Some(PrintEvent::Closed);
        }
        None
    }

    fn printer_choice(&mut self, ui: &mut egui::Ui) {
        ui.label("Printer");
        match self.printers.listed() {
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Looking for printers…");
                });
            }
            Some(Err(why)) => {
                ui.label(why.to_string());
            }
            Some(Ok(printers)) if printers.is_empty() => {
                ui.label("No printer was found. Save the PDF, or open it in a viewer to print from there.");
            }
            Some(Ok(printers)) => {
                let chosen = self.printer.clone().unwrap_or_default();
                let choice = egui::ComboBox::from_id_salt("printer")
                    .selected_text(chosen.as_str())
                    .width(230.0)
                    .show_ui(ui, |ui| {
                        for printer in printers {
                            let text = if printer.is_default {
                                format!("{} (default)", printer.name)
                            } else {
                                printer.name.clone()
                            };
                            ui.selectable_value(&mut self.printer, Some(printer.name.clone()), text);
                        }
                    })
                    .response
                    .accessible_name("Printer");
                crate::ui::widgets::said::chosen(&choice, &chosen);
            }
        }
    }

    fn save_answer(&mut self, ui: &mut egui::Ui) {
        let Some(built) = &self.built else {
            return;
        };
        let answer = self.save.as_mut().and_then(PendingPath::poll);
        let chosen = match answer {
            Some(DialogResult::Picked(path)) => Some(path),
            Some(DialogResult::Cancelled) => {
                self.save = None;
                None
            }
            Some(DialogResult::Unavailable(why)) => {
                self.save = None;
                self.message = Some((why, true));
                self.typing_path = Some(String::new());
                None
            }
            None => None,
        };
        let typed = match &mut self.typing_path {
            Some(text) => path_field_fallback(ui, text, "PDF to save"),
            None => None,
        };
        if let Some(path) = chosen.or(typed) {
            self.save = None;
            self.typing_path = None;
            self.message = Some(match crate::print::destination::write_pdf(&path, &built.pdf) {
                Ok(()) => (format!("Saved {}", path.display()), false),
                Err(refused) => (refused.to_string(), true),
            });
        }
    }

    fn preview(&mut self, ui: &mut egui::Ui) {
        let Some(built) = &self.built else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Laying out the pages…");
            });
            return;
        };
        let count = built.pages.len();
        if self.stale || self.building.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Updating the pages…");
            });
        } else {
            ui.label(format!("{} · {count} page{}", built.kind.label(), if count == 1 { "" } else { "s" }));
        }
        if let Some(unprintable) = &built.unprintable {
            ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {unprintable}"));
        }
        let width = PREVIEW_WIDTH;
        egui::ScrollArea::vertical().id_salt("print_preview").show(ui, |ui| {
            for (index, page) in built.pages.iter().enumerate() {
                let size = page.size_vec2();
                let scale = width / size.x.max(1.0);
                ui.add(
                    egui::Image::new((page.id(), size * scale))
                        .alt_text(format!("Page {} of {count}", index + 1)),
                )
                .on_hover_text(format!("Page {} of {count}", index + 1));
                ui.add_space(8.0);
            }
        });
    }

    fn poll(&mut self, ctx: &egui::Context) {
        if self.printers.poll()
            && let Some(Ok(list)) = self.printers.listed()
        {
            self.printer = list.iter().find(|p| p.is_default).or(list.first()).map(|p| p.name.clone());
        }
        if let Some(building) = &self.building {
            match building.try_recv() {
                Ok(Ok((kind, pdf, images, name, unprintable))) => {
                    let pages = images
                        .into_iter()
                        .enumerate()
                        .map(|(index, image)| {
                            ctx.load_texture(format!("print_page_{index}"), image, TextureOptions::LINEAR)
                        })
                        .collect();
                    self.built = Some(Built { kind, pdf, pages, name, unprintable });
                    self.building = None;
                }
                Ok(Err(error)) => {
                    self.message = Some((error.to_string(), true));
                    self.building = None;
                }
                Err(TryRecvError::Disconnected) => {
                    self.message = Some(("the document could not be laid out".into(), true));
                    self.building = None;
                }
                Err(TryRecvError::Empty) => {}
            }
        }
        if let Some(sending) = &self.sending {
            match sending.try_recv() {
                Ok(sent) => {
                    let failed = matches!(sent, Sending::NotSent { .. });
                    self.message = Some((sent.to_string(), failed));
                    self.sending = None;
                }
                Err(TryRecvError::Disconnected) => self.sending = None,
                Err(TryRecvError::Empty) => {
                    let now = ctx.input(|input| input.time);
                    if self.stop_asked_at.is_some_and(|asked| now - asked >= STOP_GRACE_SECONDS) {
                        self.message = Some((
                            format!(
                                "Stopped waiting for {}. It may still print: its queue would show it.",
                                self.sending_to
                            ),
                            true,
                        ));
                        self.left_behind = self.sending.take();
                    }
                }
            }
        }
        // What a print left behind came to, said once it is known (unless another print is under way).
        if self.sending.is_none()
            && let Some(late) = &self.left_behind
        {
            match late.try_recv() {
                Ok(sent) => {
                    let failed = matches!(sent, Sending::NotSent { .. });
                    self.message = Some((format!("In the end: {sent}"), failed));
                    self.left_behind = None;
                }
                Err(TryRecvError::Disconnected) => self.left_behind = None,
                Err(TryRecvError::Empty) => {}
            }
        }
    }

    fn start_building(&mut self, ctx: &egui::Context) {
        self.stale = false;
        let source = Arc::clone(&self.source);
        let (kind, paper, range, printed_at) = (self.kind, self.paper, self.range, self.printed_at);
        let (sender, receiver) = mpsc::channel();
        let repaint = ctx.clone();
        let started = std::thread::Builder::new().name("print layout".into()).spawn(move || {
            let built = build(&source, kind, paper, range, printed_at);
            let _ = sender.send(built);
            repaint.request_repaint();
        });
        match started {
            Ok(_) => self.building = Some(receiver),
            Err(error) => self.message = Some((format!("the document could not be laid out: {error}"), true)),
        }
    }
}

/// Lays out, writes and draws the document: on the layout thread.
fn build(
    source: &PrintSource,
    kind: DocumentKind,
    paper: PaperSize,
    range: ReportRange,
    printed_at: DateTime,
) -> BuiltPages {
    let printed = document(source, kind, paper, range, printed_at)?;
    let pdf = printed.pdf()?;
    let images = crate::print::preview::render_pages(pdf.clone(), PREVIEW_SCALE)?;
    let images = images
        .into_iter()
        .map(|page| ColorImage::from_rgba_premultiplied([page.width, page.height], &page.rgba))
        .collect();
    let name = match (&source.session, kind) {
        (Some(session), DocumentKind::PlanSheet | DocumentKind::TakeHome | DocumentKind::Consent) => {
            file_name(kind, session)
        }
        _ => format!("{}-report-{}.pdf", source.client.id, printed_at.strftime("%Y-%m-%d")),
    };
    Ok((kind, Arc::new(pdf), images, name, printed.unprintable()))
}

/// The document of `kind`, laid out.
pub fn document(
    source: &PrintSource,
    kind: DocumentKind,
    paper: PaperSize,
    range: ReportRange,
    printed_at: DateTime,
) -> Result<Printed, PrintError> {
    if kind == DocumentKind::PlanSheet
        && let Some(problem) = &source.clinic_rules_problem
    {
        return Err(PrintError::ClinicRulesUnreadable(problem.clone()));
    }
    match (kind, &source.session) {
        (DocumentKind::PlanSheet | DocumentKind::TakeHome | DocumentKind::Consent, Some(session)) => {
            let sheet = SessionSheet {
                settings: &source.settings,
                clinic_rules: &source.clinic_rules,
                client: Some(&source.client),
                session,
                previous: source.previous.as_ref(),
                source: &source.session_file,
                printed_at,
                paper,
            };
            if kind == DocumentKind::TakeHome {
                crate::print::take_home_sheet(&sheet)
            } else if kind == DocumentKind::Consent {
                crate::print::consent_form(&sheet)
            } else {
                crate::print::plan_sheet(&sheet)
            }
        }
        _ => crate::print::progress_report(&ReportInput {
            settings: &source.settings,
            client: &source.client,
            sessions: &source.sessions,
            range,
            source: &source.client_folder,
            printed_at,
            paper,
        }),
    }
}

/// Sends the PDF to `printer` on a thread of its own.
fn send(
    service: Arc<dyn PrintService>,
    pdf: Arc<Vec<u8>>,
    name: String,
    (printer, title): (String, String),
    paper: PaperSize,
    stop: Arc<AtomicBool>,
    ctx: &egui::Context,
) -> Receiver<Sending> {
    let (sender, receiver) = mpsc::channel();
    let repaint = ctx.clone();
    let (to_thread, on_thread) = (printer.clone(), sender.clone());
    let started = std::thread::Builder::new().name("print".into()).spawn(move || {
        let printer = to_thread;
        let sent = match crate::print::batch::send_bytes(
            service.as_ref(),
            &printer,
            &title,
            &pdf,
            paper,
            None,
            &stop,
        ) {
            Ok(()) => Sending::Sent { name, printer },
            Err(error) => Sending::NotSent { printer, error },
        };
        let _ = on_thread.send(sent);
        repaint.request_repaint();
    });
    if let Err(source) = started {
        let _ = sender
            .send(Sending::NotSent { printer, error: PrintError::NoThread { what: "printing", source } });
    }
    receiver
}

/// Writes a copy of the PDF where a viewer can read it, and opens it there.
fn open_copy(service: &dyn PrintService, pdf: &[u8], name: &str) -> Result<PathBuf, ViewerCopyError> {
    let folder = std::env::temp_dir().join("knotmap-print");
    crate::storage::create_private_folder(&folder).map_err(ViewerCopyError::NoFolder)?;
    let path = folder.join(Path::new(name).file_name().unwrap_or_default());
    crate::storage::write_atomically(&path, pdf).map_err(ViewerCopyError::NotWritten)?;
    service.open_in_viewer(&path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::send::{DESKTOP_DIALOG, SendError};

    #[test]
    fn the_desktop_s_dialog_is_said_to_have_taken_the_sheet_never_to_have_printed_it() {
        let handed = Sending::Sent { name: "the plan sheet".into(), printer: DESKTOP_DIALOG.into() };
        assert_eq!(handed.to_string(), "Handed the plan sheet to the desktop's print dialog");
        let sent = Sending::Sent { name: "the plan sheet".into(), printer: "front_desk".into() };
        assert_eq!(sent.to_string(), "Sent the plan sheet to front_desk");
        let cancelled =
            Sending::NotSent { printer: DESKTOP_DIALOG.into(), error: SendError::Cancelled.into() };
        assert_eq!(cancelled.to_string(), "Not printed: cancelled in the print dialog");
        let failed =
            Sending::NotSent { printer: DESKTOP_DIALOG.into(), error: SendError::PortalEnded.into() };
        assert!(
            failed
                .to_string()
                .starts_with("Not printed: the desktop's print dialog was closed without Print")
        );
        // Stopped once the desktop had the document: it may still print, so not "not printed".
        let stopped = Sending::NotSent {
            printer: DESKTOP_DIALOG.into(),
            error: SendError::StoppedWhilePrinting.into(),
        };
        assert!(stopped.to_string().starts_with("You stopped waiting"), "{stopped}");
    }
}
