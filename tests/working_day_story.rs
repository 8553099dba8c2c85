//! A therapist's working day at the front desk: new sessions go to the next
//! free time, a client booked twice is told, and the day's list follows what
//! happens while it is open.

use crate::stories;

use std::path::Path;
use std::sync::Arc;

use egui_kittest::kittest::Queryable;
use jiff::civil::date;
use knotmap::model::{Client, ClientId, Minutes, Session};
use knotmap::storage::Practice;
use knotmap::ui::widgets::file_dialog::ScriptedDialogs;
use stories::{app_on, let_it_save, open_client, press, wait_until};

fn minutes(n: u16) -> Minutes {
    Minutes::new(i64::from(n)).expect("minutes")
}

/// Ana, with a session today (Monday 23 November 2026) from 09:00 to 10:15.
fn practice(root: &Path) -> Client {
    let mut practice = Practice::open_or_create(root).expect("a practice");
    let mut client = Client::new("Ana Lima");
    client.id = ClientId::new("ana-lima").expect("id");
    practice.save_client(&client).expect("saved");
    let session = Session::new(client.id.clone(), date(2026, 11, 23).at(9, 0, 0, 0), minutes(75));
    practice.save_session(&session).expect("saved");
    client
}

fn sessions_on_disk(root: &Path, client: &ClientId) -> Vec<Session> {
    Practice::open(root).expect("opens").read_sessions(client)
}

#[test]
fn a_new_session_starts_at_the_next_free_quarter_hour_and_says_so() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    let ana = practice(&root);
    // It is 09:30, in the middle of Ana's 09:00 session.
    let mut harness = app_on(&root, Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Ana Lima");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    let_it_save(&mut harness);

    let starts: Vec<_> = sessions_on_disk(&root, &ana.id).iter().map(|s| s.starts_at).collect();
    assert_eq!(starts, [date(2026, 11, 23).at(9, 0, 0, 0), date(2026, 11, 23).at(10, 15, 0, 0)]);
    assert!(
        harness.query_by_label_contains("New session today at 10:15, the next free time").is_some(),
        "the therapist is told where it went"
    );
    assert!(harness.query_by_label_contains("Overlaps").is_none(), "back to back is no overlap");
}

#[test]
fn two_sessions_of_one_client_at_the_same_time_are_said_to_overlap() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    let ana = practice(&root);
    // Booked again at 09:00 on another laptop, or by hand in the file.
    let mut practice = Practice::open(&root).expect("opens");
    let twice = Session::new(ana.id.clone(), date(2026, 11, 23).at(9, 0, 0, 0), minutes(60));
    practice.save_session(&twice).expect("saved");

    let mut harness = app_on(&root, Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Ana Lima");
    let warning = harness.query_by_label_contains("Overlaps the client's other session at 09:00");
    assert!(warning.is_some(), "the session open says it is booked twice");
}

#[test]
fn the_day_s_list_shows_a_session_planned_while_it_is_open() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    practice(&root);
    let mut harness = app_on(&root, Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Ana Lima");
    harness.get_by_label("File").click();
    harness.run();
    press(&mut harness, "Today…");
    assert!(harness.query_by_label("09:00").is_some());
    assert!(harness.query_by_label("10:15").is_none());

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    wait_until(&mut harness, "the new session in the day's list", |h| h.query_by_label("10:15").is_some());
}

#[test]
fn answering_or_skipping_the_screening_moves_no_button_of_the_session() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    practice(&root);
    let mut harness = app_on(&root, Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Ana Lima");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num4);
    harness.run();
    assert!(harness.query_by_label("Screening for today").is_some(), "asked on the session's day");
    let places = |harness: &stories::App| {
        ["Mark ready", "Postpone…", "Region", "Zoom in"].map(|name| harness.get_by_label(name).rect().min)
    };
    let before = places(&harness);
    harness.get_by_label("Skip screening").click();
    harness.run();
    assert!(harness.query_by_label("Screening for today").is_none());
    assert_eq!(places(&harness), before, "the next click lands where the eye was");
}
