//! Stories of planning a session safely, through the real app on a real practice
//! folder: health flags that cap the pressure, overrides with reasons, a fever
//! that blocks, completing and amending, the plan's timing, and plan files.

use crate::stories;

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use knotmap::model::{Client, FlagDetails, HealthFlag, Minutes, Pressure, RegionId, Session, SessionStatus};
use knotmap::storage::{Practice, open_plan_file};
use knotmap::ui::widgets::file_dialog::{DialogResult, ScriptedDialogs};
use stories::{App, app_on, click_button, let_it_save, open_client, select_region, type_into};

const NOW: (i16, i8, i8) = (2026, 11, 23);

/// A practice with one client (with `flags`) and one planned session for today.
fn practice_with(folder: &Path, name: &str, flags: &[HealthFlag]) -> (PathBuf, Session) {
    let root = folder.join("practice");
    let mut practice = Practice::open_or_create(&root).expect("practice");
    let mut client = Client::new(name);
    for flag in flags {
        client.health_flags.insert(*flag, FlagDetails::default());
    }
    practice.save_client(&client).expect("client saved");
    let start = jiff::civil::date(NOW.0, NOW.1, NOW.2).at(9, 0, 0, 0);
    let mut session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
    // That day's screening, answered as the client answered it (a fever on the profile is left to the profile).
    if !flags.contains(&HealthFlag::FeverOrInfection) {
        let mut screening = knotmap::model::Screening::new(start);
        for flag in flags {
            screening.still_true.insert(*flag, true);
        }
        screening.acute_illness_today = Some(false);
        session.screening = Some(screening);
    }
    practice.save_session(&session).expect("session saved");
    (root, session)
}

fn session_file(root: &Path, session: &Session) -> String {
    let practice = Practice::open(root).expect("practice");
    std::fs::read_to_string(practice.session_path(&session.client, &session.id)).expect("session file")
}

/// Shows one part of the panel beside the map: Region, Plan, Safety or Session.
fn show_tab(harness: &mut App, tab: &str) {
    stories::open_tab(harness, tab);
}

#[test]
fn deep_pressure_for_a_client_on_blood_thinners_warns_and_an_override_keeps_its_reason() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, session) = practice_with(folder.path(), "Ruth Adler", &[HealthFlag::BloodThinners]);
    let mut harness = app_on(&root, Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Ruth Adler");

    select_region(&mut harness, "Upper trapezius, client's right");
    assert!(
        harness.query_by_label_contains("Cap 3 (medium)").is_some(),
        "the pressure control shows the cap"
    );
    click_button(&mut harness, "Pressure 5 deep");
    show_tab(&mut harness, "Safety");
    assert!(
        harness.query_by_label_contains("above the cap").is_some(),
        "a warning says the pressure is above the cap"
    );

    show_tab(&mut harness, "Safety");
    click_button(&mut harness, "Explain… Upper trapezius, client's right");
    // Without a reason, going ahead is not possible.
    click_button(&mut harness, "Keep this reason");
    assert!(!session_file(&root, &session).contains("overrides: [\n"), "no override without a reason");

    type_into(&mut harness, "Reason for going ahead", "GP cleared firm work on 20 Nov");
    harness.run();
    click_button(&mut harness, "Keep this reason");
    let_it_save(&mut harness);

    let text = session_file(&root, &session);
    assert!(text.contains("region: upper_trapezius_r"), "{text}");
    assert!(text.contains("pressure: Some(5)"), "{text}");
    assert!(text.contains("reason: \"GP cleared firm work on 20 Nov\""), "{text}");
    assert!(text.contains("rule: PressureCap"), "{text}");
}

#[test]
fn a_fever_on_the_profile_blocks_marking_the_session_ready_and_no_reason_explains_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, session) = practice_with(folder.path(), "Sam Ortiz", &[HealthFlag::FeverOrInfection]);
    let mut harness = app_on(&root, Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Sam Ortiz");

    show_tab(&mut harness, "Session");
    click_button(&mut harness, "Mark ready");
    let_it_save(&mut harness);
    assert!(session_file(&root, &session).contains("status: Planned"), "a blocked session stays planned");
    assert!(harness.query_by_label_contains("cannot go ahead today: postpone or cancel it").is_some());

    show_tab(&mut harness, "Safety");
    assert!(harness.query_by_label_contains("Stop: The client has a fever").is_some());
    assert!(
        harness.query_by_role_and_label(Role::Button, "Explain… the session").is_none(),
        "a blocking warning offers no reason to write"
    );
}

#[test]
fn completing_locks_the_session_and_an_amendment_is_kept_beside_the_original() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, session) = practice_with(folder.path(), "Ivy Chen", &[]);
    let mut harness = app_on(&root, Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Ivy Chen");

    select_region(&mut harness, "Lower trapezius, client's left");
    click_button(&mut harness, "Pressure 3 medium");
    show_tab(&mut harness, "Session");
    click_button(&mut harness, "Complete session…");
    click_button(&mut harness, "Pain before: 6");
    click_button(&mut harness, "Pain after: 3");
    click_button(&mut harness, "Complete");
    let_it_save(&mut harness);
    let text = session_file(&root, &session);
    assert!(text.contains("status: Completed"), "{text}");

    // Locked: the pressure buttons change nothing now.
    show_tab(&mut harness, "Region");
    click_button(&mut harness, "Pressure 4 firm");
    let_it_save(&mut harness);
    assert!(session_file(&root, &session).contains("pressure: Some(3)"), "a completed session is locked");

    show_tab(&mut harness, "Session");
    click_button(&mut harness, "Amend…");
    select_region(&mut harness, "Lower trapezius, client's left");
    show_tab(&mut harness, "Region");
    click_button(&mut harness, "Pressure 4 firm");
    show_tab(&mut harness, "Session");
    type_into(&mut harness, "Reason for the amendment", "Pressure was misrecorded");
    harness.run();
    click_button(&mut harness, "Save amendment");
    let_it_save(&mut harness);

    let mut practice = Practice::open(&root).expect("practice");
    let saved = practice.read_session(&session.client, &session.id).expect("session reads");
    assert_eq!(saved.status, SessionStatus::Completed);
    let now = saved.region(RegionId::LowerTrapeziusL).and_then(|work| work.pressure);
    assert_eq!(now, Pressure::new(4).ok(), "the amended record");
    let amendment = saved.amendments.first().expect("an amendment");
    assert_eq!(amendment.reason, "Pressure was misrecorded");
    let before = amendment.before.as_ref().expect("the record as it was, kept beside");
    let then = before.regions.iter().find(|work| work.region == RegionId::LowerTrapeziusL);
    assert_eq!(then.and_then(|work| work.pressure), Pressure::new(3).ok());
}

#[test]
fn the_plan_total_follows_the_minutes_of_each_region() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice_with(folder.path(), "Leo Park", &[]);
    let mut harness = app_on(&root, Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Leo Park");

    select_region(&mut harness, "Upper trapezius, client's left");
    click_button(&mut harness, "Minutes 20");
    show_tab(&mut harness, "Plan");
    assert!(harness.query_by_label_contains("20 of 60 minutes").is_some());

    for _ in 0..9 {
        click_button(&mut harness, "More minutes for Upper trapezius, client's left");
    }
    assert!(harness.query_by_label_contains("65 of 60 minutes: 5 over").is_some(), "over time is shown");
}

#[test]
fn a_plan_saved_as_a_file_opens_again_as_the_same_plan() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, session) = practice_with(folder.path(), "Mia Rossi", &[]);
    let plan_path = folder.path().join("Mia's plan.ron");
    let dialogs = Arc::new(ScriptedDialogs::new([
        DialogResult::Picked(plan_path.clone()),
        DialogResult::Picked(plan_path.clone()),
    ]));
    let mut harness = app_on(&root, dialogs.clone());
    open_client(&mut harness, "Mia Rossi");
    select_region(&mut harness, "Upper trapezius, client's right");
    click_button(&mut harness, "Tension severe");
    let_it_save(&mut harness);

    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::S);
    harness.run();
    let saved = open_plan_file(&plan_path).expect("the plan file reads");
    let mut practice = Practice::open(&root).expect("practice");
    let on_disk = practice.read_session(&session.client, &session.id).expect("session");
    assert_eq!(saved.plan.session, on_disk);
    assert_eq!(saved.plan.client_name, "Mia Rossi");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run();
    assert!(harness.query_by_label_contains("Plan for Mia Rossi").is_some(), "the plan is open");
    select_region(&mut harness, "Upper trapezius, client's right");
    assert!(
        harness.query_by_label_contains("Tension: severe").is_some()
            || harness.query_by_label_contains("severe").is_some()
    );
}

/// Mia Rossi's session saved as a shared plan file (Ctrl+Shift+S), in an app whose
/// file dialog then answers that file `picks` times in all (the save included).
fn mia_with_a_shared_plan(folder: &Path, picks: usize) -> (App, PathBuf, Session, PathBuf) {
    let (root, session) = practice_with(folder, "Mia Rossi", &[]);
    let plan_path = folder.join("shared plan.ron");
    let dialogs = Arc::new(ScriptedDialogs::new(vec![DialogResult::Picked(plan_path.clone()); picks]));
    let mut harness = app_on(&root, dialogs);
    open_client(&mut harness, "Mia Rossi");
    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::S);
    harness.run();
    (harness, root, session, plan_path)
}

#[test]
fn closing_a_plan_file_with_unsaved_changes_asks_first() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (mut harness, _, _, plan_path) = mia_with_a_shared_plan(folder.path(), 2);
    let before = std::fs::read_to_string(&plan_path).expect("the plan file");

    // Open it, change it, and try to close it.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run();
    select_region(&mut harness, "Cervical trapezius, client's left");
    click_button(&mut harness, "Tension mild");
    click_button(&mut harness, "Close plan");
    assert!(
        harness.query_by_role_and_label(Role::Dialog, "Save the changes to this plan?").is_some(),
        "a question first, in a dialog named by it"
    );

    click_button(&mut harness, "Cancel");
    assert!(harness.query_by_label_contains("Plan for Mia Rossi").is_some(), "Cancel keeps the plan open");

    click_button(&mut harness, "Close plan");
    click_button(&mut harness, "Save the plan");
    assert!(harness.query_by_label_contains("Plan for Mia Rossi").is_none(), "saved and closed");
    let after = std::fs::read_to_string(&plan_path).expect("the plan file");
    assert_ne!(before, after, "the change was saved to the plan file");
    assert!(after.contains("region: neck_l"), "{after}");
}

#[test]
fn undo_after_completing_does_not_reopen_the_locked_record() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, session) = practice_with(folder.path(), "Ivy Chen", &[]);
    let mut harness = app_on(&root, Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Ivy Chen");
    select_region(&mut harness, "Lower trapezius, client's left");
    click_button(&mut harness, "Pressure 3 medium");
    let_it_save(&mut harness);
    show_tab(&mut harness, "Session");
    click_button(&mut harness, "Complete session…");
    click_button(&mut harness, "Complete");
    let_it_save(&mut harness);

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    let_it_save(&mut harness);
    assert!(session_file(&root, &session).contains("status: Completed"), "still completed after Ctrl+Z");
}

#[test]
fn just_looking_at_a_completed_session_changes_nothing_in_its_file() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    let mut practice = Practice::open_or_create(&root).expect("practice");
    let client = Client::new("Noor Haddad");
    practice.save_client(&client).expect("client");
    // A short check-in with seconds in its start time, as an older file might hold.
    let start = jiff::civil::date(2026, 11, 20).at(9, 0, 42, 0);
    let mut session = Session::new(client.id.clone(), start, Minutes::new(3).expect("minutes"));
    session.status = SessionStatus::Completed;
    practice.save_session(&session).expect("session");
    let before = session_file(&root, &session);

    let mut harness = app_on(&root, Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Noor Haddad");
    let_it_save(&mut harness);
    assert_eq!(session_file(&root, &session), before);
}

#[test]
fn a_plan_file_changed_by_a_colleague_is_not_overwritten() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice_with(folder.path(), "Mia Rossi", &[]);
    let plan_path = folder.path().join("shared plan.ron");
    let dialogs = Arc::new(ScriptedDialogs::new([
        DialogResult::Picked(plan_path.clone()),
        DialogResult::Picked(plan_path.clone()),
    ]));
    let mut harness = app_on(&root, dialogs);
    open_client(&mut harness, "Mia Rossi");
    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::S);
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run();

    select_region(&mut harness, "Cervical trapezius, client's left");
    click_button(&mut harness, "Tension mild");
    // Meanwhile a colleague saves their own version of the same file.
    let theirs =
        std::fs::read_to_string(&plan_path).expect("plan").replace("Mia Rossi", "Mia Rossi (edited)");
    std::fs::write(&plan_path, &theirs).expect("their save");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run();
    assert_eq!(std::fs::read_to_string(&plan_path).expect("plan"), theirs, "their version is kept");
    assert!(harness.query_by_label_contains("changed elsewhere").is_some(), "the user is told");
}

#[test]
fn practice_settings_changed_in_their_window_are_saved_to_practice_ron() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice_with(folder.path(), "Leo Park", &[]);
    let mut harness = app_on(&root, Arc::new(ScriptedDialogs::default()));

    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Practice settings…").click();
    harness.run();
    click_button(&mut harness, "Add therapist");
    harness.get_by_label("Therapist 1").type_text("Alex Morgan");
    harness.run();
    click_button(&mut harness, "Letter paper");
    click_button(&mut harness, "Done");

    let settings = std::fs::read_to_string(root.join("practice.ron")).expect("practice.ron");
    assert!(settings.contains("\"Alex Morgan\""), "{settings}");
    assert!(settings.contains("paper_size: Letter"), "{settings}");
}

#[test]
fn an_opened_plan_file_is_imported_into_the_selected_client_as_a_new_session() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, session) = practice_with(folder.path(), "Mia Rossi", &[]);
    let plan_path = folder.path().join("plan from a colleague.ron");
    let dialogs = Arc::new(ScriptedDialogs::new([
        DialogResult::Picked(plan_path.clone()),
        DialogResult::Picked(plan_path.clone()),
    ]));
    let mut harness = app_on(&root, dialogs);
    open_client(&mut harness, "Mia Rossi");
    select_region(&mut harness, "Infraspinatus, client's left");
    click_button(&mut harness, "Tension moderate");
    let_it_save(&mut harness);
    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::S);
    harness.run();

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run();
    click_button(&mut harness, "Import into Mia Rossi");
    let_it_save(&mut harness);

    let mut practice = Practice::open(&root).expect("practice");
    let sessions = practice.read_sessions(&session.client);
    assert_eq!(sessions.len(), 2, "the plan became a second session");
    let imported = sessions.iter().find(|s| s.id != session.id).expect("the imported session");
    assert_eq!(imported.status, SessionStatus::Planned);
    assert!(imported.region(RegionId::InfraspinatusL).is_some_and(|work| work.tension.is_some()));
}

#[test]
fn a_plan_file_has_its_own_undo_and_no_status_to_change() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (mut harness, root, session, plan_path) = mia_with_a_shared_plan(folder.path(), 3);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run();
    assert!(harness.query_by_label_contains("Plan for Mia Rossi").is_some(), "the plan is open");

    select_region(&mut harness, "Cervical trapezius, client's left");
    click_button(&mut harness, "Tension mild");
    let_it_save(&mut harness);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    // Undone: closing asks nothing, for the plan is as its file holds it.
    click_button(&mut harness, "Close plan");
    assert!(
        harness.query_by_label_contains("Save the changes to this plan?").is_none(),
        "the edit was undone"
    );

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run();
    assert!(harness.query_by_label_contains("Plan for Mia Rossi").is_some(), "the plan is open again");
    show_tab(&mut harness, "Session");
    click_button(&mut harness, "Cancel session…");
    type_into(&mut harness, "Reason", "Testing");
    click_button(&mut harness, "Cancel the session");
    assert!(harness.query_by_label_contains("A plan file is a plan").is_some(), "refused, and said why");
    let plan = open_plan_file(&plan_path).expect("the plan file reads");
    assert_eq!(plan.plan.session.status, SessionStatus::Planned);
    assert!(session_file(&root, &session).contains("status: Planned"), "the client's session is untouched");
}

#[test]
fn a_goals_field_pasted_far_too_long_is_kept_to_its_limit_and_says_so() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, session) = practice_with(folder.path(), "Ivy Chen", &[]);
    let mut harness = app_on(&root, Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Ivy Chen");
    type_into(&mut harness, "Goals", &"sleep ".repeat(5_000));
    let_it_save(&mut harness);
    let mut practice = Practice::open(&root).expect("practice");
    let saved = practice.read_session(&session.client, &session.id).expect("session reads");
    assert_eq!(saved.goals.chars().count(), knotmap::model::MAX_TEXT_CHARS);
    assert!(harness.query_by_label_contains("Goals are kept to 20000 characters").is_some());
}

#[test]
fn a_plan_file_replaced_by_a_pipe_while_open_is_left_alone_and_the_window_goes_on() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice_with(folder.path(), "Mia Rossi", &[]);
    let plan_path = folder.path().join("shared plan.ron");
    let dialogs = Arc::new(ScriptedDialogs::new([
        DialogResult::Picked(plan_path.clone()),
        DialogResult::Picked(plan_path.clone()),
    ]));
    let mut harness = app_on(&root, dialogs);
    open_client(&mut harness, "Mia Rossi");
    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::S);
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run();
    select_region(&mut harness, "Cervical trapezius, client's left");
    click_button(&mut harness, "Tension mild");
    // Something puts a named pipe where the plan was: reading it would wait for ever.
    std::fs::remove_file(&plan_path).expect("the plan goes");
    let made = std::process::Command::new("mkfifo").arg(&plan_path).status().expect("mkfifo runs");
    assert!(made.success());

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run();
    assert!(
        std::fs::symlink_metadata(&plan_path).expect("still there").file_type().is_fifo(),
        "left as it is"
    );
    assert!(harness.query_by_label_contains("not a regular file").is_some(), "the user is told why");
}
