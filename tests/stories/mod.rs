//! What the story tests share: the app on a real practice folder, at a fixed
//! time, and the therapist's gestures through the accessibility tree.

// Each story file uses some of these, not all.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use knotmap::model::{Client, FlagDetails, HealthFlag, Session};
use knotmap::storage::Practice;
use knotmap::ui::widgets::file_dialog::ScriptedDialogs;
use knotmap::ui::{KnotmapApp, Places};

pub type App = Harness<'static, KnotmapApp>;

/// A practice in `folder`/practice with one client, `name` with `flags`, and the
/// `sessions` made from the client.
pub fn practice_with(
    folder: &Path,
    name: &str,
    flags: &[HealthFlag],
    sessions: impl FnOnce(&Client) -> Vec<Session>,
) -> (PathBuf, Client, Vec<Session>) {
    let root = folder.join("practice");
    let mut practice = Practice::open_or_create(&root).expect("practice");
    let mut client = Client::new(name);
    for flag in flags {
        client.health_flags.insert(*flag, FlagDetails::default());
    }
    practice.save_client(&client).expect("client saved");
    let sessions = sessions(&client);
    for session in &sessions {
        practice.save_session(session).expect("session saved");
    }
    (root, client, sessions)
}

/// The app on the practice at `root`, on Monday 23 November 2026 at 09:30, with
/// file dialogs that answer as `dialogs` says (never a real one).
pub fn app_on(root: &Path, dialogs: Arc<ScriptedDialogs>) -> App {
    app_printing_to(root, dialogs, Arc::new(knotmap::print::send::NoPrinter))
}

/// The app as [`app_on`] makes it, printing through `printers` (never a real printer).
pub fn app_printing_to(
    root: &Path,
    dialogs: Arc<ScriptedDialogs>,
    printers: Arc<dyn knotmap::print::send::PrintService>,
) -> App {
    app_with(root, |app| app.with_file_dialogs(dialogs).with_print_service(printers), 0.25)
}

/// The app as [`app_on`] makes it, signing what is done as `who` (the person at the laptop).
pub fn app_signed_by(root: &Path, who: &str) -> App {
    app_with(root, |app| app.signed_by(who), 0.25)
}

/// The app on `root` as the laptop `laptop` of a clinic whose laptops share the
/// folder, drawing a frame every 20 ms of its time (so the autosave waits 75 frames).
pub fn laptop_on(root: &Path, laptop: &str) -> App {
    app_with(root, |app| app.as_laptop(laptop), 0.02)
}

fn app_with(root: &Path, setup: impl FnOnce(KnotmapApp) -> KnotmapApp, step: f32) -> App {
    app_built(root, setup, step, false)
}

/// The app on `root` started as `knotmap PLAN_FILE` is: with the plan file at `plan` to open.
pub fn app_opening_plan(root: &Path, plan: &Path) -> App {
    let plan = plan.to_path_buf();
    app_built(root, move |app| app.opening_plan(plan), 0.25, false)
}

/// The app as [`app_printing_to`] makes it, drawing a box for a character no font
/// has (as the real app does) instead of failing the test.
pub fn app_printing_to_with_boxes(
    root: &Path,
    dialogs: Arc<ScriptedDialogs>,
    printers: Arc<dyn knotmap::print::send::PrintService>,
) -> App {
    app_built(root, |app| app.with_file_dialogs(dialogs).with_print_service(printers), 0.25, true)
}

fn app_built(root: &Path, setup: impl FnOnce(KnotmapApp) -> KnotmapApp, step: f32, boxes: bool) -> App {
    let practice = Practice::open(root).expect("practice opens");
    let places = Places {
        sample_practice: root.with_extension("sample"),
        printed: root.with_extension("printed"),
        recovery: root.with_extension("recovery"),
        laptop_pin: root.with_extension("pin.ron"),
    };
    let clock = Box::new(|| jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0));
    let app = setup(KnotmapApp::new(practice, places, clock).without_waking());
    // The fonts the app installs when it starts, so that a glyph missing there fails here.
    let mut builder = Harness::builder()
        .with_size(egui::vec2(1500.0, 1000.0))
        .with_step_dt(step)
        // A change on disk can land in the middle of a gesture, and the app takes a few
        // frames to show it (the note, the list); that is not a story that fails to settle.
        .with_max_steps(16)
        .with_context_setup(knotmap::ui::widgets::fonts::install_fallback_fonts);
    if boxes {
        builder = builder.allow_missing_glyphs();
    }
    let mut harness = builder.build_ui_state(|ui, app: &mut KnotmapApp| app.ui(ui), app);
    harness.run();
    until_the_watcher_started(&mut harness);
    harness
}

/// Runs frames until the folder's watcher, started on its own thread after the
/// first frame, is in: the frame it asks for when ready then comes before the
/// story, not at a moment that depends on how busy the machine is.
pub fn until_the_watcher_started(harness: &mut App) {
    for _ in 0..400 {
        if !harness.state().is_starting_watcher() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
        harness.step();
    }
    harness.run();
}

pub fn open_client(harness: &mut App, name: &str) {
    harness.get_all_by_label(name).next().expect("the client in the list").click();
    harness.run();
}

pub fn click_button(harness: &mut App, name: &str) {
    harness.get_by_role_and_label(Role::Button, name).scroll_to_me();
    // A long way to scroll is animated over several frames.
    harness.run_steps(8);
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run();
}

/// Opens the tab `name` (of the session's side, or History's) as a click on it does.
pub fn open_tab(harness: &mut App, name: &str) {
    harness.get_by_role_and_label(Role::Tab, name).click();
    harness.run();
}

pub fn is_disabled(harness: &App, name: &str) -> bool {
    harness.get_by_role_and_label(Role::Button, name).accesskit_node().is_disabled()
}

/// Gives the field named `label` the keys, and types `text` into it.
pub fn type_into(harness: &mut App, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

/// Clicks the map region named `name` (e.g. "Upper trapezius, client's right").
pub fn select_region(harness: &mut App, name: &str) {
    harness.get_by_label(name).click();
    harness.run();
}

/// Runs frames until `done` holds, giving the app's threads time: for work that
/// happens off the window's thread (laying out pages, printing).
pub fn wait_until(harness: &mut App, what: &str, done: impl Fn(&App) -> bool) {
    for _ in 0..400 {
        harness.step();
        if done(harness) {
            harness.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("waited ten seconds for {what}");
}

/// Clicks the button named `name` while something may be spinning: a few
/// frames instead of waiting for the window to settle.
pub fn press(harness: &mut App, name: &str) {
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run_steps(3);
}

/// Waits long enough for the autosave (a couple of seconds of the app's time),
/// and for the writer to put it on disk.
pub fn let_it_save(harness: &mut App) {
    harness.run_steps(8);
    wait_for_the_writer(harness);
}

/// Runs frames until no save is being written in the background, and the
/// window has taken in what it did.
pub fn wait_for_the_writer(harness: &mut App) {
    wait_until(harness, "the save to be written", |harness| !harness.state().is_writing());
}

/// The accessible name of what has the keyboard, if anything has.
pub fn focused_label(harness: &App) -> Option<String> {
    harness.query_by(|node| node.is_focused())?.accesskit_node().label()
}

/// Presses Tab until what has the keyboard is named starting with `name`, as a
/// keyboard user would walk to it; fails after 300 presses.
pub fn tab_to(harness: &mut App, name: &str) {
    for _ in 0..300 {
        if focused_label(harness).is_some_and(|label| label.starts_with(name)) {
            return;
        }
        harness.key_press(egui::Key::Tab);
        harness.run_steps(2);
    }
    panic!("Tab never reached {name:?}; the keyboard is on {:?}", focused_label(harness));
}
