//! Stories of a clinic whose laptops share one practice folder: two windows,
//! "front-desk" and "room-2", on one folder, each watching it for the other's
//! changes, as a sync tool or a network share would deliver them.

use crate::stories;

use std::path::{Path, PathBuf};

use egui_kittest::kittest::Queryable;
use knotmap::model::{Client, Minutes, Pressure, RegionId, Session};
use knotmap::storage::{KeptFile, Practice, read_file};
use stories::{App, click_button, laptop_on, open_client, select_region, wait_until};

/// A practice with Ana and one planned session, and the session's file.
fn practice_with_ana(folder: &Path) -> (PathBuf, PathBuf, Session) {
    let root = folder.join("practice");
    let mut practice = Practice::open_or_create(&root).expect("practice");
    let client = Client::new("Ana Souza");
    practice.save_client(&client).expect("client saved");
    let start = jiff::civil::date(2026, 11, 23).at(9, 0, 0, 0);
    let session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
    practice.save_session(&session).expect("session saved");
    let file = practice.session_path(&client.id, &session.id);
    (root, file, session)
}

fn on_disk(file: &Path) -> Session {
    read_file::<Session>(file).expect("the session reads").value
}

fn pressure_on(session: &Session, region: RegionId) -> Option<u8> {
    session.region(region).and_then(|work| work.pressure).map(Pressure::get)
}

/// The session as the window shows it.
fn on_screen(harness: &App) -> Session {
    harness
        .state()
        .workspace()
        .open_client()
        .and_then(|open| open.selected_session())
        .cloned()
        .expect("a session")
}

fn shows(harness: &App, words: &str) -> bool {
    harness.query_all_by_label_contains(words).next().is_some()
}

/// Long enough for the autosave at 20 ms a frame.
fn let_it_save(harness: &mut App) {
    harness.run_steps(100);
    stories::wait_for_the_writer(harness);
}

#[test]
fn an_edit_on_one_laptop_shows_on_the_other_which_sees_who_is_editing() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, file, _) = practice_with_ana(folder.path());
    let mut front_desk = laptop_on(&root, "front-desk");
    open_client(&mut front_desk, "Ana Souza");
    let mut room = laptop_on(&root, "room-2");
    open_client(&mut room, "Ana Souza");
    // The front desk opened it first: the room sees who has it, and cannot change it.
    assert!(shows(&room, "being edited by"), "the room is told the session is open elsewhere");
    assert!(shows(&room, "on front-desk since"));
    // The presence marks are no problem of the practice's.
    let check = knotmap::check::check_practice(&root).expect("check runs");
    assert!(check.problems.is_empty(), "{:?}", check.problems);

    select_region(&mut front_desk, "Upper trapezius, client's left");
    click_button(&mut front_desk, "Pressure 3 medium");
    let_it_save(&mut front_desk);
    assert_eq!(pressure_on(&on_disk(&file), RegionId::UpperTrapeziusL), Some(3));

    wait_until(&mut room, "the front desk's edit to arrive", |room| {
        pressure_on(&on_screen(room), RegionId::UpperTrapeziusL) == Some(3)
    });
    assert!(shows(&room, "updated from another laptop at 09:30"));
}

#[test]
fn a_session_open_elsewhere_is_taken_over_after_a_question() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, file, _) = practice_with_ana(folder.path());
    let mut front_desk = laptop_on(&root, "front-desk");
    open_client(&mut front_desk, "Ana Souza");
    let mut room = laptop_on(&root, "room-2");
    open_client(&mut room, "Ana Souza");

    click_button(&mut room, "Take over…");
    assert!(shows(&room, "Take over this session?"));
    assert!(
        shows(&room, "Whatever that laptop saved is kept, and an edit it makes after this is kept"),
        "the question reads as one sentence, without a run of spaces"
    );
    click_button(&mut room, "Take over");
    assert!(!shows(&room, "being edited by"), "the room may edit now");
    select_region(&mut room, "Upper trapezius, client's right");
    click_button(&mut room, "Pressure 2 light");
    let_it_save(&mut room);
    assert_eq!(pressure_on(&on_disk(&file), RegionId::UpperTrapeziusR), Some(2));

    wait_until(&mut front_desk, "the front desk to hear of the take-over", |desk| {
        shows(desk, "took this session over")
    });
    assert!(shows(&front_desk, "being edited by"), "read-only at the front desk now");
    // Closing the room's window removes its mark.
    drop(room);
    let marks: Vec<_> = std::fs::read_dir(file.parent().expect("folder"))
        .expect("sessions folder")
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().contains(".editing-room-2"))
        .collect();
    assert!(marks.is_empty(), "the room's presence mark is gone");
}

#[test]
fn both_laptops_edit_one_session_and_nothing_is_lost() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, file, _) = practice_with_ana(folder.path());
    let mut front_desk = laptop_on(&root, "front-desk");
    open_client(&mut front_desk, "Ana Souza");
    let mut room = laptop_on(&root, "room-2");
    open_client(&mut room, "Ana Souza");

    // The front desk edits and has not saved yet when the room takes over and saves.
    select_region(&mut front_desk, "Upper trapezius, client's left");
    click_button(&mut front_desk, "Pressure 3 medium");
    click_button(&mut room, "Take over…");
    click_button(&mut room, "Take over");
    select_region(&mut room, "Upper trapezius, client's right");
    click_button(&mut room, "Pressure 2 light");
    let_it_save(&mut room);
    assert_eq!(
        pressure_on(&on_disk(&file), RegionId::UpperTrapeziusR),
        Some(2),
        "the room keeps its version"
    );

    wait_until(&mut front_desk, "the front desk to be offered both versions", |desk| {
        shows(desk, "Both versions are kept")
    });
    click_button(&mut front_desk, "Compare and choose…");
    assert!(shows(&front_desk, "Two versions of the session of 23 Nov 2026"));
    // Each region where they differ, in the front desk's and the room's values.
    assert!(shows(&front_desk, "pressure 3"));
    assert!(shows(&front_desk, "pressure 2"));
    // Keep both: the front desk's region and the room's.
    let theirs = "Upper trapezius, client's right: keep the other version's";
    front_desk.query_all_by_label_contains(theirs).next().expect("the room's region offered").click();
    front_desk.run();
    click_button(&mut front_desk, "Keep the parts chosen");
    let_it_save(&mut front_desk);

    let kept = on_disk(&file);
    assert_eq!(pressure_on(&kept, RegionId::UpperTrapeziusL), Some(3), "the front desk's edit");
    assert_eq!(pressure_on(&kept, RegionId::UpperTrapeziusR), Some(2), "the room's edit");
    let trash = Practice::open(&root).expect("practice").trash();
    // The room's version, not kept whole, is in the trash; so is the front desk's own
    // second-version file, which held its edit on disk while the two versions waited.
    let files: Vec<&str> = trash
        .iter()
        .filter_map(|entry| match &entry.record.what {
            knotmap::storage::Trashed::Version { file, .. } => Some(file.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(files.len(), 2, "{trash:#?}");
}

#[test]
fn a_syncthing_conflict_copy_is_compared_and_the_version_not_kept_goes_to_the_trash() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, file, session) = practice_with_ana(folder.path());
    let mut theirs = session.clone();
    theirs.goals = "Shoulder check before the marathon".to_owned();
    let copy = file.with_file_name(format!("{}.sync-conflict-20261123-091500-ABCDEFG.ron", session.id));
    let mut front_desk = laptop_on(&root, "front-desk");
    open_client(&mut front_desk, "Ana Souza");
    std::fs::write(&copy, theirs.to_ron().expect("text")).expect("the sync tool's copy");

    wait_until(&mut front_desk, "the copy to be noticed", |desk| {
        shows(desk, "2 versions of the session of 23 Nov")
    });
    assert!(shows(&front_desk, "sync-conflict"), "the problems panel names the copy");
    click_button(&mut front_desk, "Compare the 2 versions of the session of 23 Nov");
    front_desk.run();
    assert!(shows(&front_desk, "Two versions of the session of 23 Nov 2026"), "the versions side by side");
    assert!(shows(&front_desk, "goals: Shoulder check before the"), "the copy's goals, beside the file's");
    click_button(&mut front_desk, "Keep the other version");
    let_it_save(&mut front_desk);

    assert_eq!(on_disk(&file).goals, "Shoulder check before the marathon");
    assert!(!copy.exists());
    let trash = Practice::open(&root).expect("practice").trash();
    assert_eq!(trash.len(), 2, "the copy, and the file's old version");
    assert!(!shows(&front_desk, "2 versions of the session"));
}

#[test]
fn a_sync_tools_rename_into_place_is_picked_up() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, file, session) = practice_with_ana(folder.path());
    let mut front_desk = laptop_on(&root, "front-desk");
    open_client(&mut front_desk, "Ana Souza");
    // A sync tool downloads into a hidden temporary file, then renames it over the session.
    let mut changed = session.clone();
    changed.goals = "Sleep through the night".to_owned();
    let download = file.with_file_name(".syncthing.session.ron.tmp");
    std::fs::write(&download, changed.to_ron().expect("text")).expect("download");
    std::fs::rename(&download, &file).expect("rename into place");

    wait_until(&mut front_desk, "the new goals", |desk| on_screen(desk).goals == "Sleep through the night");
}

#[test]
fn a_client_trashed_on_one_laptop_while_open_on_the_other() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, file, session) = practice_with_ana(folder.path());
    let mut room = laptop_on(&root, "room-2");
    open_client(&mut room, "Ana Souza");
    // The front desk trashes Ana while the room has her open, with an edit not yet saved.
    select_region(&mut room, "Upper trapezius, client's left");
    click_button(&mut room, "Pressure 3 medium");
    Practice::open(&root).expect("practice").trash_client(&session.client).expect("trashed");

    wait_until(&mut room, "the room to be told", |room| shows(room, "removed on another laptop"));
    assert_eq!(pressure_on(&on_disk(&file), RegionId::UpperTrapeziusL), Some(3), "the edit was written back");
    assert!(Practice::open(&root).expect("practice").client(&session.client).is_some(), "Ana is back");
}

#[test]
fn a_new_session_is_marked_as_open_here_at_once() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, file, _) = practice_with_ana(folder.path());
    let mut front_desk = laptop_on(&root, "front-desk");
    open_client(&mut front_desk, "Ana Souza");
    front_desk.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    front_desk.run();
    let sessions = file.parent().expect("the sessions folder");
    let marks: Vec<String> = std::fs::read_dir(sessions)
        .expect("listed")
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".editing-front-desk"))
        .collect();
    // Only the new session has this laptop's mark: the one open before lost it when it was left.
    assert_eq!(marks.len(), 1, "{marks:?}");
    let file_name = file.file_stem().expect("a name").to_string_lossy().into_owned();
    assert!(!marks[0].contains(&file_name), "the mark is on the new session, not the old: {marks:?}");
}

#[test]
fn a_note_that_needs_the_user_stays_in_sight_after_all_is_saved_until_dismissed() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, file, session) = practice_with_ana(folder.path());
    let mut front_desk = laptop_on(&root, "front-desk");
    open_client(&mut front_desk, "Ana Souza");
    select_region(&mut front_desk, "Upper trapezius, client's left");
    click_button(&mut front_desk, "Pressure 3 medium");
    // Another laptop saves the same session before the front desk's autosave.
    let theirs = Session { goals: "Written in room 2".to_owned(), ..session };
    std::fs::write(&file, theirs.to_ron().expect("text")).expect("their save");
    let note = "was changed on another laptop while you were editing it";
    wait_until(&mut front_desk, "the front desk to be told", |desk| shows(desk, note));
    // Room 2 saves again before the front desk has chosen; however the watcher reports
    // the saves, the news once dismissed does not come back.
    let again = Session { goals: "Written in room 2, then again".to_owned(), ..theirs };
    std::fs::write(&file, again.to_ron().expect("text")).expect("their second save");
    let_it_save(&mut front_desk);
    assert!(shows(&front_desk, "All changes saved"), "the front desk's version is on disk");
    assert!(shows(&front_desk, note), "and the note is still there to read");
    click_button(&mut front_desk, "Dismiss");
    assert!(!shows(&front_desk, note));
}

#[test]
fn the_front_desk_s_day_list_shows_a_session_another_laptop_plans_while_it_is_open() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, _) = practice_with_ana(folder.path());
    let mut front_desk = laptop_on(&root, "front-desk");
    front_desk.get_by_label("File").click();
    front_desk.run();
    click_button(&mut front_desk, "Today…");
    assert!(shows(&front_desk, "09:00"));
    assert!(!shows(&front_desk, "10:00"));

    // In room 2, Ana's next session goes to 10:00, after the one under way.
    let mut room = laptop_on(&root, "room-2");
    open_client(&mut room, "Ana Souza");
    room.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    room.run();
    wait_until(&mut front_desk, "the day's list to take in room 2's new session", |desk| {
        shows(desk, "10:00")
    });
}
