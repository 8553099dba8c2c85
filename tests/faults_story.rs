//! Stories of a practice that cannot take an edit: its folders replaced or gone
//! while the app has the client open. Every edit ends in the practice or in the
//! recovery folder in the user's own data folder, the user is told which and
//! where, and the next start offers it back. Through the real app and the real
//! files.

use crate::stories;

use std::path::Path;

use egui_kittest::kittest::Queryable;
use knotmap::model::{Session, Tension};
use knotmap::storage::Practice;
use knotmap::storage::recovery::Recovery;
use knotmap::ui::widgets::file_dialog::ScriptedDialogs;
use stories::{App, click_button, let_it_save, open_client, practice_with, select_region, type_into};

fn app_on(root: &Path) -> App {
    stories::app_on(root, std::sync::Arc::new(ScriptedDialogs::default()))
}

/// Where the story harness keeps the recovery folder of `root`.
fn recovery_of(root: &Path) -> Recovery {
    Recovery::of(&root.with_extension("recovery"), root)
}

/// Ruth Adler with one planned session, on the stories' Monday at 09:00.
fn ruth_with_a_session(folder: &Path) -> (std::path::PathBuf, knotmap::model::Client, Vec<Session>) {
    practice_with(folder, "Ruth Adler", &[], |client| {
        let start = jiff::civil::date(2026, 11, 23).at(9, 0, 0, 0);
        vec![Session::new(client.id.clone(), start, knotmap::model::Minutes::new(60).expect("60"))]
    })
}

/// Replaces `folder` (and all in it) with a file: what a sync tool or a script gone wrong can do.
fn replace_with_a_file(folder: &Path) {
    std::fs::remove_dir_all(folder).expect("the folder goes");
    std::fs::write(folder, "not a folder").expect("a file in its place");
}

#[test]
fn an_edit_the_practice_cannot_take_is_kept_aside_said_where_and_put_back_at_the_next_start() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, client, sessions) = ruth_with_a_session(folder.path());
    let practice = Practice::open(&root).expect("practice");
    let sessions_folder = practice.client_folder(&client.id).join("sessions");
    let session_path = practice.session_path(&client.id, &sessions[0].id);

    let mut harness = app_on(&root);
    open_client(&mut harness, "Ruth Adler");
    replace_with_a_file(&sessions_folder);
    select_region(&mut harness, "Upper trapezius, client's right");
    click_button(&mut harness, "Tension mild");
    let_it_save(&mut harness);

    let recovery = recovery_of(&root);
    let [kept] = recovery.kept().try_into().unwrap_or_else(|kept| panic!("one edit kept aside: {kept:?}"));
    assert_eq!(kept.belongs, session_path);
    let aside: Session = knotmap::storage::read_file(&kept.kept).expect("a session Knotmap can read").value;
    let work = aside.region(knotmap::model::RegionId::UpperTrapeziusR).expect("the edited region");
    assert_eq!(work.tension, Tension::new(1).ok(), "the edit itself is kept");
    let told = format!("Your edit is kept in {}", kept.kept.display());
    assert!(harness.query_by_label_contains(&told).is_some(), "the user is told where");
    assert!(harness.query_by_label_contains("nothing is lost").is_none(), "and nothing else is promised");
    drop(harness);

    // The folder is put right; the next start offers the edit back.
    std::fs::remove_file(&sessions_folder).expect("the stray file goes");
    std::fs::create_dir(&sessions_folder).expect("the folder is back, empty");
    let mut harness = app_on(&root);
    assert!(harness.query_by_label_contains("1 edit this practice could not take is kept in").is_some());
    click_button(&mut harness, "Put them back");
    let mut reopened = Practice::open(&root).expect("practice");
    let back =
        reopened.read_session(&client.id, &sessions[0].id).expect("the session is in the practice again");
    assert_eq!(back, aside);
    assert_eq!(recovery.kept(), [], "the recovery folder forgets what the practice has");
    assert!(harness.query_by_label_contains("could not take").is_none(), "the offer is gone");
}

#[test]
fn with_the_clients_folder_replaced_while_open_both_the_profile_and_the_session_end_in_the_recovery_folder() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, client, sessions) = ruth_with_a_session(folder.path());
    let practice = Practice::open(&root).expect("practice");
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ruth Adler");
    replace_with_a_file(&practice.client_folder(&client.id));
    type_into(&mut harness, "Client notes", "Prefers the left side first.");
    select_region(&mut harness, "Upper trapezius, client's right");
    click_button(&mut harness, "Tension mild");
    let_it_save(&mut harness);

    let kept: Vec<_> = recovery_of(&root).kept().into_iter().map(|kept| kept.belongs).collect();
    assert_eq!(
        kept,
        [practice.client_path(&client.id), practice.session_path(&client.id, &sessions[0].id)],
        "every edit is on disk somewhere the user owns"
    );
    assert!(harness.query_by_label_contains("Your edit is kept in").is_some());
}

#[test]
fn a_slow_disk_never_freezes_the_window_and_an_edit_is_unsaved_until_it_is_on_disk() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, client, sessions) = ruth_with_a_session(folder.path());
    let session_path = Practice::open(&root).expect("practice").session_path(&client.id, &sessions[0].id);
    let tension_on_disk = || {
        let session: Session = knotmap::storage::read_file(&session_path).expect("the session").value;
        session.region(knotmap::model::RegionId::UpperTrapeziusR).and_then(|work| work.tension)
    };
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ruth Adler");

    // The disk takes its time (a network share, a sleeping drive).
    let slow_disk = harness.state_mut().hold_writing().expect("a writer");
    select_region(&mut harness, "Upper trapezius, client's right");
    click_button(&mut harness, "Tension mild");
    harness.run_steps(8);
    assert!(harness.state().is_writing(), "the autosave is being written");
    assert_eq!(tension_on_disk(), None, "not on disk yet, and the window did not wait for it");
    assert!(harness.query_by_label("Saving…").is_some(), "the edit is shown unsaved");
    // The window goes on taking edits meanwhile.
    click_button(&mut harness, "Tension moderate");

    drop(slow_disk);
    for _ in 0..400 {
        if tension_on_disk().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert_eq!(tension_on_disk(), Tension::new(1).ok(), "what was saved is what the edit was then");
    harness.step();
    assert!(harness.query_by_label("Saving…").is_some(), "the later edit is still unsaved");
    let_it_save(&mut harness);
    assert_eq!(tension_on_disk(), Tension::new(2).ok());
    assert!(harness.query_by_label("All changes saved").is_some());
}

#[test]
fn an_edit_put_back_never_writes_over_what_the_practice_has_now() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, client, sessions) = ruth_with_a_session(folder.path());
    let practice = Practice::open(&root).expect("practice");
    let sessions_folder = practice.client_folder(&client.id).join("sessions");
    let session_path = practice.session_path(&client.id, &sessions[0].id);
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ruth Adler");
    replace_with_a_file(&sessions_folder);
    select_region(&mut harness, "Upper trapezius, client's right");
    click_button(&mut harness, "Tension mild");
    let_it_save(&mut harness);
    drop(harness);
    assert_eq!(recovery_of(&root).kept().len(), 1, "kept aside");

    // Meanwhile, on another laptop, the session was finished and written back into a mended folder.
    std::fs::remove_file(&sessions_folder).expect("the stray file goes");
    let mut elsewhere = Practice::open(&root).expect("practice");
    let mut finished = sessions[0].clone();
    finished.goals = "Written on the other laptop".to_owned();
    elsewhere.save_session(&finished).expect("their save");
    let theirs = std::fs::read(&session_path).expect("their file");

    let mut harness = app_on(&root);
    click_button(&mut harness, "Put them back");
    assert_eq!(std::fs::read(&session_path).expect("the file"), theirs, "what the practice has stays");
    let copies = std::fs::read_dir(&sessions_folder)
        .expect("the folder")
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().contains(knotmap::storage::CONFLICT_MARK))
        .count();
    assert_eq!(copies, 1, "the kept edit is beside it, to compare");
    assert_eq!(recovery_of(&root).kept(), [], "and the recovery folder has done its work");
}
