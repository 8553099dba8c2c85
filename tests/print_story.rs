//! A therapist prints from the app: File → Print…, the pages in the preview,
//! Print, Save as PDF…; and the front desk prints the day's plan sheets. The
//! printer is a double that keeps what it was sent; no real printer or dialog
//! is ever used.

use crate::printed;
use crate::stories;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use jiff::civil::date;
use knotmap::model::{Client, ClientId, Minutes, PaperSize, Pressure, RegionId, Session};
use knotmap::print::PrintError;
use knotmap::print::send::{PrintService, Printer, SendError};
use knotmap::storage::Practice;
use knotmap::ui::widgets::file_dialog::{DialogRequest, DialogResult, ScriptedDialogs};
use printed::ReadPdf;
use stories::{App, app_printing_to, open_client, press, wait_until};

/// A printer that keeps every PDF it is sent, with the printer and paper, and
/// the job's title its queue shows.
#[derive(Default)]
struct TestPrinter {
    names: Vec<&'static str>,
    sent: Mutex<Vec<(String, PaperSize, Vec<u8>)>>,
    titles: Mutex<Vec<String>>,
}

impl TestPrinter {
    fn with(names: &[&'static str]) -> Arc<TestPrinter> {
        Arc::new(TestPrinter { names: names.to_vec(), ..TestPrinter::default() })
    }

    fn sent(&self) -> Vec<(String, PaperSize, Vec<u8>)> {
        self.sent.lock().expect("not poisoned").clone()
    }
}

impl PrintService for TestPrinter {
    fn printers(&self) -> Result<Vec<Printer>, PrintError> {
        Ok(self
            .names
            .iter()
            .enumerate()
            .map(|(i, name)| Printer { name: (*name).into(), is_default: i == 0, asks: false })
            .collect())
    }

    fn print(
        &self,
        pdf: &Path,
        printer: &str,
        title: &str,
        paper: PaperSize,
        _copies: u16,
        _stop: &std::sync::atomic::AtomicBool,
    ) -> Result<(), PrintError> {
        self.titles.lock().expect("not poisoned").push(title.to_owned());
        let bytes =
            std::fs::read(pdf).map_err(|source| SendError::PdfUnreadable { path: pdf.to_owned(), source })?;
        self.sent.lock().expect("not poisoned").push((printer.to_owned(), paper, bytes));
        Ok(())
    }

    fn open_in_viewer(&self, _pdf: &Path) -> Result<(), PrintError> {
        Ok(())
    }
}

/// A practice with Ana Lima's plan for today (23 November 2026, 11:00) and Ben
/// Okafor's for the afternoon.
fn practice(root: &Path) {
    let mut practice = Practice::open_or_create(root).expect("a practice");
    for (id, name, hour, region) in [
        ("ana-lima", "Ana Lima", 11, RegionId::UpperTrapeziusL),
        ("ben-okafor", "Ben Okafor", 15, RegionId::LevatorScapulaeR),
    ] {
        let mut client = Client::new(name);
        client.id = ClientId::new(id).expect("id");
        practice.save_client(&client).expect("saved");
        let mut session = Session::new(
            client.id.clone(),
            date(2026, 11, 23).at(hour, 0, 0, 0),
            Minutes::new(60).expect("minutes"),
        );
        session.goals = format!("{name}'s goals: sleep through the night");
        session.region_mut(region).pressure = Pressure::new(3).ok();
        practice.save_session(&session).expect("saved");
    }
}

fn preview_ready(harness: &App) -> bool {
    harness.query_by_label_contains("Plan sheet · 1 page").is_some()
}

fn open_print_dialog(harness: &mut App) {
    open_client(harness, "Ana Lima");
    harness.get_by_label("File").click();
    harness.run();
    press(harness, "Print…");
    wait_until(harness, "the preview", preview_ready);
}

#[test]
fn printing_a_plan_sheet_from_the_app_sends_one_page_with_the_client_s_plan_to_the_chosen_printer() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    practice(&root);
    let printer = TestPrinter::with(&["front_desk", "office"]);
    let mut harness = app_printing_to(&root, Arc::new(ScriptedDialogs::default()), printer.clone());

    open_print_dialog(&mut harness);
    assert!(harness.query_by_label("Page 1 of 1").is_some(), "the preview shows the page");
    press(&mut harness, "Print");
    wait_until(&mut harness, "the printer", |_| !printer.sent().is_empty());

    let sent = printer.sent();
    assert_eq!(sent.len(), 1);
    let (name, paper, bytes) = &sent[0];
    assert_eq!((name.as_str(), *paper), ("front_desk", PaperSize::A4));
    assert_eq!(
        *printer.titles.lock().expect("not poisoned"),
        ["Knotmap plan sheet"],
        "the queue says what it is, and never whose"
    );
    let pdf = ReadPdf::from_bytes(bytes);
    assert_eq!(pdf.pages(), 1);
    let text = pdf.flat_text();
    for wanted in [
        "Ana Lima",
        "Ana Lima's goals: sleep through the night",
        "Upper trapezius, client's left",
        "CLIENT'S LEFT",
        "planning aid",
    ] {
        assert!(text.contains(wanted), "the printed sheet lacks {wanted:?}:\n{text}");
    }
    wait_until(&mut harness, "the dialog to say it was sent", |h| {
        h.query_by_label_contains("Sent ").is_some()
    });
}

#[test]
fn the_take_home_sheet_is_saved_as_a_pdf_where_the_file_dialog_says() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    practice(&root);
    let target: PathBuf = folder.path().join("ana-take-home.pdf");
    let dialogs = Arc::new(ScriptedDialogs::new([DialogResult::Picked(target.clone())]));
    let mut harness = app_printing_to(&root, dialogs.clone(), TestPrinter::with(&["front_desk"]));

    open_print_dialog(&mut harness);
    harness.get_by_role_and_label(Role::RadioButton, "Take-home sheet").click();
    harness.run_steps(3);
    wait_until(&mut harness, "the take-home preview", |h| {
        h.query_by_label_contains("Take-home sheet · 1 page").is_some()
    });
    press(&mut harness, "Save as PDF…");
    wait_until(&mut harness, "the saved file", |_| target.exists());

    assert!(
        matches!(&dialogs.requests()[..], [DialogRequest::SavePdf { suggested_name }] if suggested_name == "2026-11-23-1100-ana-lima-take-home.pdf")
    );
    let pdf = ReadPdf::from_file(&target);
    assert!(pdf.text().contains("Your massage on 23 Nov 2026"));
}

#[test]
fn with_no_printer_the_dialog_says_so_and_offers_the_pdf() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    practice(&root);
    let mut harness = app_printing_to(&root, Arc::new(ScriptedDialogs::default()), TestPrinter::with(&[]));

    open_print_dialog(&mut harness);
    wait_until(&mut harness, "the printer list", |h| {
        h.query_by_label_contains("No printer was found").is_some()
    });
    assert!(stories::is_disabled(&harness, "Print"));
    assert!(!stories::is_disabled(&harness, "Save as PDF…"));
}

#[test]
fn the_day_s_list_shows_every_session_planned_today_and_prints_all_their_plan_sheets() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    practice(&root);
    let printer = TestPrinter::with(&["front_desk"]);
    let mut harness = app_printing_to(&root, Arc::new(ScriptedDialogs::default()), printer.clone());

    harness.get_by_label("File").click();
    harness.run();
    press(&mut harness, "Today…");
    assert!(harness.query_by_label("Monday 23 November 2026").is_some());
    assert!(harness.query_by_label("11:00").is_some() && harness.query_by_label("15:00").is_some());
    wait_until(&mut harness, "the printers", |h| !stories::is_disabled(h, "Print all plan sheets"));
    press(&mut harness, "Print all plan sheets");
    wait_until(&mut harness, "two plan sheets", |_| printer.sent().len() == 2);

    let mut names: Vec<String> = printer
        .sent()
        .iter()
        .map(|(_, _, bytes)| ReadPdf::from_bytes(bytes).text())
        .map(|text| {
            if text.contains("Ana Lima") {
                "Ana".to_owned()
            } else if text.contains("Ben Okafor") {
                "Ben".to_owned()
            } else {
                text
            }
        })
        .collect();
    names.sort();
    assert_eq!(names, ["Ana", "Ben"]);
    wait_until(&mut harness, "the summary", |h| {
        h.query_by_label("2 plan sheets sent to front_desk").is_some()
    });
}

#[test]
fn the_print_dialog_says_which_characters_of_a_name_cannot_be_printed() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    practice(&root);
    // Ana writes her name with an emoji newer than the fonts Knotmap carries.
    let mut practice = Practice::open(&root).expect("opens");
    let id = ClientId::new("ana-lima").expect("id");
    let mut client = practice.client(&id).expect("Ana is there").client.clone();
    client.name = "Ana Lima 🧘".into();
    practice.save_client(&client).expect("saved");
    let printer = TestPrinter::with(&["front_desk"]);
    // The screen, like the paper, has no glyph for it: a box there, as in the app.
    let mut harness =
        stories::app_printing_to_with_boxes(&root, Arc::new(ScriptedDialogs::default()), printer);

    open_client(&mut harness, "Ana Lima 🧘");
    harness.get_by_label("File").click();
    harness.run();
    press(&mut harness, "Print…");
    wait_until(&mut harness, "the preview", preview_ready);
    let warning = harness.query_by_label_contains("cannot be printed");
    let said = warning.map(|node| format!("{node:?}")).unwrap_or_default();
    assert!(said.contains("U+1F9D8"), "the dialog names the character: {said}");
}

/// Every text the last frame painted, as it was handed to the painter (in the
/// order it is drawn from the left).
fn painted_texts(harness: &App) -> Vec<String> {
    fn collect(shape: &egui::Shape, texts: &mut Vec<String>) {
        match shape {
            egui::Shape::Text(text) => texts.push(text.galley.job.text.clone()),
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|shape| collect(shape, texts)),
            _ => {}
        }
    }
    let mut texts = Vec::new();
    for clipped in &harness.output().shapes {
        collect(&clipped.shape, &mut texts);
    }
    texts
}

#[test]
fn a_client_whose_name_and_goals_are_written_right_to_left_reads_right_on_screen_to_a_screen_reader_and_on_paper()
 {
    use knotmap::model::SessionStatus;
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    let mut practice = Practice::open_or_create(&root).expect("a practice");
    let mut client = Client::new("محمد عبد الله");
    client.id = ClientId::new("mohammed").expect("id");
    practice.save_client(&client).expect("saved");
    let mut before =
        Session::new(client.id.clone(), date(2026, 11, 16).at(11, 0, 0, 0), Minutes::new(60).expect("60"));
    before.status = SessionStatus::Completed;
    practice.save_session(&before).expect("saved");
    let mut today =
        Session::new(client.id.clone(), date(2026, 11, 23).at(11, 0, 0, 0), Minutes::new(60).expect("60"));
    today.goals = "לישון בלילה בלי כאבים\nSleep: לישון בלילה 2 times".into();
    today.region_mut(RegionId::UpperTrapeziusL).pressure = Pressure::new(3).ok();
    practice.save_session(&today).expect("saved");
    let mut david = Client::new("דוד כהן");
    david.id = ClientId::new("david").expect("id");
    practice.save_client(&david).expect("saved");
    let davids =
        Session::new(david.id.clone(), date(2026, 11, 23).at(15, 0, 0, 0), Minutes::new(60).expect("60"));
    practice.save_session(&davids).expect("saved");
    let printer = TestPrinter::with(&["front_desk"]);
    let mut harness = app_printing_to(&root, Arc::new(ScriptedDialogs::default()), printer.clone());

    // A Hebrew name, and a Latin sentence with it inside: the session's heading.
    assert!(painted_texts(&harness).contains(&"כהן דוד  (1)".to_owned()));
    open_client(&mut harness, "דוד כהן");
    let painted = painted_texts(&harness);
    assert!(painted.contains(&"כהן דוד: session of 23 November 2026".to_owned()), "{painted:#?}");
    assert!(harness.query_by_label("דוד כהן: session of 23 November 2026").is_some());

    // The list: a screen reader hears the name as written; the row is drawn with
    // its first word at the right, the count of sessions after it.
    assert!(harness.query_by_label("محمد عبد الله").is_some());
    let painted = painted_texts(&harness);
    assert!(painted.contains(&"الله عبد محمد  (2)".to_owned()), "{painted:#?}");
    assert!(!painted.iter().any(|text| text.contains("محمد عبد الله")), "nothing is drawn in written order");

    // The session screen: the heading, a Latin sentence with the name in it, and the goals.
    open_client(&mut harness, "محمد عبد الله");
    let painted = painted_texts(&harness);
    assert!(painted.contains(&"الله عبد محمد: session of 23 November 2026".to_owned()), "{painted:#?}");
    assert!(
        painted.contains(&"כאבים בלי בלילה לישון\nSleep: 2 בלילה לישון times".to_owned()),
        "{painted:#?}"
    );
    let goals = harness.get_by_label("Goals");
    assert_eq!(goals.value().as_deref(), Some("לישון בלילה בלי כאבים\nSleep: לישון בלילה 2 times"));

    // While the goals are being edited they are shown as typed, for the cursor to follow.
    harness.get_by_label("Goals").focus();
    harness.run();
    let painted = painted_texts(&harness);
    assert!(
        painted.contains(&"לישון בלילה בלי כאבים\nSleep: לישון בלילה 2 times".to_owned()),
        "{painted:#?}"
    );

    // The history window's title.
    press(&mut harness, "History…");
    assert!(harness.query_by_role_and_label(Role::Window, "History: محمد عبد الله").is_some());
    assert!(painted_texts(&harness).contains(&"History: الله عبد محمد".to_owned()));
    harness.get_by_role_and_label(Role::Button, "Close window").click();
    harness.run();

    // On paper, read out as a PDF viewer does: the name and the goals in the order written.
    harness.get_by_label("File").click();
    harness.run();
    press(&mut harness, "Print…");
    wait_until(&mut harness, "the preview", preview_ready);
    press(&mut harness, "Print");
    wait_until(&mut harness, "the printer", |_| !printer.sent().is_empty());
    let pdf = ReadPdf::from_bytes(&printer.sent()[0].2);
    let lines: Vec<String> = pdf.reading_lines().into_iter().map(|line| line.text).collect();
    for written in ["محمد عبد الله", "לישון בלילה בלי כאבים", "Sleep: לישון בלילה 2 times"]
    {
        assert!(lines.iter().any(|line| line.contains(written)), "{written:?} in {lines:#?}");
    }
}

/// A printer whose dialog never answers (as a frozen one), until the test lets it
/// go; one that `stoppable` ends when the user stops waiting.
struct HangingPrinter {
    stoppable: bool,
    released: std::sync::atomic::AtomicBool,
}

impl HangingPrinter {
    fn new(stoppable: bool) -> Arc<HangingPrinter> {
        Arc::new(HangingPrinter { stoppable, released: std::sync::atomic::AtomicBool::new(false) })
    }

    fn release(&self) {
        self.released.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

impl PrintService for HangingPrinter {
    fn printers(&self) -> Result<Vec<Printer>, PrintError> {
        Ok(vec![Printer { name: "front_desk".into(), is_default: true, asks: true }])
    }

    fn print(
        &self,
        _: &Path,
        _: &str,
        _: &str,
        _: PaperSize,
        _: u16,
        stop: &std::sync::atomic::AtomicBool,
    ) -> Result<(), PrintError> {
        use std::sync::atomic::Ordering::SeqCst;
        while !(self.released.load(SeqCst) || (self.stoppable && stop.load(SeqCst))) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        Err(SendError::StoppedBeforePrinting.into())
    }

    fn open_in_viewer(&self, _pdf: &Path) -> Result<(), PrintError> {
        Ok(())
    }
}

#[test]
fn a_print_that_never_answers_can_be_stopped_and_says_so_either_way() {
    for stoppable in [true, false] {
        let folder = tempfile::tempdir().expect("temp dir");
        let root = folder.path().join("practice");
        practice(&root);
        let printer = HangingPrinter::new(stoppable);
        let mut harness = app_printing_to(&root, Arc::new(ScriptedDialogs::default()), printer.clone());
        open_print_dialog(&mut harness);
        wait_until(&mut harness, "the printers", |h| !stories::is_disabled(h, "Print"));
        press(&mut harness, "Print");
        assert!(harness.query_by_label("Sending to front_desk…").is_some());

        press(&mut harness, "Stop waiting");
        let said = if stoppable {
            "Not printed on front_desk: you stopped waiting, and Knotmap closed"
        } else {
            "Stopped waiting for front_desk. It may still print: its queue would show it."
        };
        wait_until(&mut harness, said, |h| h.query_by_label_contains(said).is_some());
        assert!(!stories::is_disabled(&harness, "Print"), "and it can be printed again");
        printer.release();
    }
}

#[test]
fn from_the_keyboard_print_hands_over_to_stop_waiting_and_back_and_escape_closes_the_dialog() {
    use egui::Key;
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    practice(&root);
    let printer = HangingPrinter::new(true);
    let mut harness = app_printing_to(&root, Arc::new(ScriptedDialogs::default()), printer.clone());
    open_client(&mut harness, "Ana Lima");
    // A region chosen on the map behind the dialog: its Escape must not take the dialog's.
    stories::select_region(&mut harness, "Upper trapezius, client's left");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::P);
    harness.run_steps(2);
    wait_until(&mut harness, "the preview", preview_ready);
    wait_until(&mut harness, "the printers", |h| !stories::is_disabled(h, "Print"));

    harness.get_by_role_and_label(Role::Button, "Print").focus();
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(4);
    assert_eq!(
        stories::focused_label(&harness).as_deref(),
        Some("Stop waiting"),
        "not lost with the greyed Print"
    );
    harness.key_press(Key::Enter);
    wait_until(&mut harness, "the stop", |h| h.query_by_label_contains("you stopped waiting").is_some());
    harness.run_steps(3);
    assert_eq!(stories::focused_label(&harness).as_deref(), Some("Print"), "back on Print");

    // With nothing focused (a click on the dialog's text does that), Escape is still the dialog's.
    harness.ctx.memory_mut(|memory| {
        if let Some(id) = memory.focused() {
            memory.surrender_focus(id);
        }
    });
    harness.run_steps(2);
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(
        harness.query_by_role_and_label(Role::Dialog, "Print").is_none(),
        "Escape closed the print dialog"
    );
    printer.release();
}
