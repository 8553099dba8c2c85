//! The system ends the app (logout, shutdown, `kill`): every pending edit is
//! saved before the window goes. Its own test binary, because the signal
//! handlers it installs belong to the whole process.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use knotmap::model::{Client, Minutes, Session};
use knotmap::storage::Practice;
use knotmap::ui::app::end_signals::watch_end_signals;
use knotmap::ui::{KnotmapApp, Places};
use signal_hook::consts::SIGTERM;

/// Maya Stone with one planned session, in the app (on 23 November 2026 at
/// 09:30): the folder, the session's file, and the app.
fn maya_in_the_app() -> (tempfile::TempDir, std::path::PathBuf, Harness<'static, KnotmapApp>) {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    let mut practice = Practice::open_or_create(&root).expect("practice");
    let client = Client::new("Maya Stone");
    practice.save_client(&client).expect("client");
    let start = jiff::civil::date(2026, 11, 23).at(9, 0, 0, 0);
    let session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
    practice.save_session(&session).expect("session");
    let path = practice.session_path(&session.client, &session.id);
    let places = Places {
        sample_practice: root.with_extension("sample"),
        printed: root.with_extension("printed"),
        recovery: root.with_extension("recovery"),
        laptop_pin: root.with_extension("pin.ron"),
    };
    let clock = Box::new(|| jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0));
    let harness = Harness::builder().with_size(egui::vec2(1280.0, 800.0)).build_ui_state(
        |ui, app: &mut KnotmapApp| app.ui(ui),
        KnotmapApp::new(Practice::open(&root).expect("opens"), places, clock).without_waking(),
    );
    knotmap::ui::widgets::fonts::install_fallback_fonts(&harness.ctx);
    (folder, path, harness)
}

#[test]
fn an_edit_made_just_before_sigterm_is_saved_before_the_app_ends() {
    let (_folder, path, mut harness) = maya_in_the_app();
    let requested = watch_end_signals(harness.ctx.clone()).expect("signals watched");
    harness.state_mut().set_shutdown_request(requested.clone());
    harness.get_all_by_label("Maya Stone").next().expect("the client").click();
    harness.run();
    harness.get_by_label("Goals").focus();
    harness.run();
    harness.get_by_label("Goals").type_text("Sleep through the night");
    // One frame: the edit is made, and the autosave is still waiting for the typing to settle.
    harness.step();
    assert!(!std::fs::read_to_string(&path).expect("file").contains("Sleep through the night"));

    signal_hook::low_level::raise(SIGTERM).expect("signal sent");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !requested.load(Ordering::SeqCst) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(requested.load(Ordering::SeqCst), "the signal reached the app");
    harness.step();

    let text = std::fs::read_to_string(&path).expect("file");
    assert!(text.contains("goals: \"Sleep through the night\""), "{text}");
}

#[test]
fn keys_typed_in_the_frame_the_signal_arrives_in_are_saved_too() {
    let (_folder, path, mut harness) = maya_in_the_app();
    // The flag as the signal handler raises it, without a signal: this test's process is shared.
    let requested = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    harness.state_mut().set_shutdown_request(requested.clone());
    harness.get_all_by_label("Maya Stone").next().expect("the client").click();
    harness.run();
    harness.get_by_label("Goals").focus();
    harness.run();
    // The keys and the end arrive before the same frame.
    harness.get_by_label("Goals").type_text("Turn my head");
    requested.store(true, Ordering::SeqCst);
    harness.step();

    let text = std::fs::read_to_string(&path).expect("file");
    assert!(text.contains("goals: \"Turn my head\""), "{text}");
}
