//! The workspace on its own: edits, saving, and what another laptop's changes do.

use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use super::versions::{Part, Side};
use super::*;
use crate::model::{Minutes, RegionWork, Tension};

/// Two workspaces on one practice folder: this laptop and another one.
fn two_laptops(folder: &Path) -> (Workspace, Workspace, ClientId, SessionId) {
    let mut here = Workspace::new(Practice::open_or_create(folder).unwrap());
    let client = Client::new("Ana Souza");
    here.practice_mut().save_client(&client).unwrap();
    let at = jiff::civil::date(2026, 11, 26).at(9, 30, 0, 0);
    let session = Session::new(client.id.clone(), at, Minutes::new(60).unwrap());
    here.practice_mut().save_session(&session).unwrap();
    assert!(here.open(&client.id));
    let mut there = Workspace::new(Practice::open(folder).unwrap());
    assert!(there.open(&client.id));
    (here, there, client.id, session.id)
}

fn with_tension(session: &Session, key: &str, tension: u8) -> Session {
    let mut session = session.clone();
    let region = RegionId::from_key(key).unwrap();
    session.regions.retain(|work| work.region != region);
    let mut work = RegionWork::new(region);
    work.tension = Tension::new(i64::from(tension)).ok();
    session.regions.push(work);
    session
}

fn session_of(workspace: &Workspace, id: &SessionId) -> Session {
    workspace.open_client().unwrap().session(id).unwrap().clone()
}

/// The notices' words, as the user reads them.
fn words(notes: &[Notice]) -> Vec<&str> {
    notes.iter().map(|note| note.words.as_str()).collect()
}

/// What a watcher would report after `workspace` saved: the client's session files.
fn changes_of(workspace: &Workspace, client: &ClientId, session: &SessionId) -> Changes {
    let mut changes = Changes::default();
    changes.paths.insert(workspace.practice().session_path(client, session));
    changes
}

fn ten_past_ten() -> DateTime {
    jiff::civil::date(2026, 11, 30).at(10, 10, 0, 0)
}

#[test]
fn a_session_planned_before_the_others_is_listed_in_its_place_as_the_other_laptop_lists_it() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, _, client, first) = two_laptops(folder.path());
    let earlier = Session::new(
        client.clone(),
        jiff::civil::date(2026, 11, 20).at(9, 0, 0, 0),
        Minutes::new(60).unwrap(),
    );
    here.apply(Edit::NewSession(earlier.clone()), ten_past_ten()).unwrap();
    let order: Vec<SessionId> = here.open_client().unwrap().sessions().iter().map(|s| s.id.clone()).collect();
    assert_eq!(order, [earlier.id.clone(), first.clone()], "by start, as the files read in");
    assert!(here.save().problems.is_empty());
    let mut there = Workspace::new(Practice::open(folder.path()).unwrap());
    assert!(there.open(&client));
    let theirs: Vec<SessionId> =
        there.open_client().unwrap().sessions().iter().map(|s| s.id.clone()).collect();
    assert_eq!(theirs, order, "the same order on the other laptop");
}

#[test]
fn an_edit_is_unsaved_until_saved_and_the_report_follows_it() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, _, _, id) = two_laptops(folder.path());
    let before = here.derived().unwrap().generation;
    here.apply(Edit::plan_of(&with_tension(&session_of(&here, &id), "upper_trapezius_l", 3)), ten_past_ten())
        .unwrap();
    assert!(here.has_unsaved_edits());
    assert!(here.derived().unwrap().generation > before, "the report is computed again after an edit");
    let cached = here.derived().unwrap().generation;
    assert_eq!(here.derived().unwrap().generation, cached, "and not again without one");
    let saved = here.save();
    assert!(saved.problems.is_empty(), "{:?}", saved.problems);
    assert!(!here.has_unsaved_edits());
    // An edit undone by hand is not an edit.
    let read = session_of(&here, &id);
    here.apply(Edit::plan_of(&with_tension(&read, "upper_trapezius_l", 2)), ten_past_ten()).unwrap();
    here.apply(Edit::plan_of(&read), ten_past_ten()).unwrap();
    assert!(!here.has_unsaved_edits());
}

#[test]
fn a_session_saved_on_another_laptop_replaces_one_without_edits_here() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, mut there, client, id) = two_laptops(folder.path());
    there
        .apply(Edit::plan_of(&with_tension(&session_of(&there, &id), "upper_trapezius_l", 2)), ten_past_ten())
        .unwrap();
    assert!(there.save().problems.is_empty());
    let notes = here.take_disk_changes(&changes_of(&here, &client, &id), ten_past_ten());
    assert_eq!(words(&notes), ["The session of 26 Nov was updated from another laptop at 10:10."]);
    assert_eq!(session_of(&here, &id), session_of(&there, &id));
    // Its own save, seen by its own watcher, is nothing new.
    assert!(there.take_disk_changes(&changes_of(&there, &client, &id), ten_past_ten()).is_empty());
}

#[test]
fn both_laptops_editing_one_session_keeps_both_until_the_user_chooses() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, mut there, client, id) = two_laptops(folder.path());
    there
        .apply(Edit::plan_of(&with_tension(&session_of(&there, &id), "upper_trapezius_l", 2)), ten_past_ten())
        .unwrap();
    assert!(there.save().problems.is_empty());
    here.apply(Edit::plan_of(&with_tension(&session_of(&here, &id), "rhomboids_r", 2)), ten_past_ten())
        .unwrap();
    let notes = here.take_disk_changes(&changes_of(&here, &client, &id), ten_past_ten());
    assert!(notes[0].words.contains("while you were editing it") && notes[0].needs_attention, "{notes:?}");
    let other = here.open_client().unwrap().other_version(&id).unwrap().session.clone();
    assert_eq!(other, session_of(&there, &id));
    // While the user has not chosen, the session file keeps theirs, and this laptop's
    // version is saved to its own second-version file beside it: on disk, not only in memory.
    assert!(here.has_unsaved_edits(), "this laptop's version is not on disk yet");
    assert!(here.save().problems.is_empty());
    assert!(!here.has_unsaved_edits());
    assert_eq!(read_file::<Session>(&here.practice().session_path(&client, &id)).unwrap().value, other);
    let mine = here.open_client().unwrap().second_version_file(&id).unwrap().clone();
    assert_eq!(read_file::<Session>(&mine).unwrap().value, session_of(&here, &id));
    // A later edit goes to the same file, not to a new copy each time.
    here.apply(Edit::plan_of(&with_tension(&session_of(&here, &id), "rhomboids_r", 3)), ten_past_ten())
        .unwrap();
    assert!(here.save().problems.is_empty());
    assert_eq!(read_file::<Session>(&mine).unwrap().value, session_of(&here, &id));
    assert!(here.open_client().unwrap().conflict_copies().is_empty(), "nor is it a third version to compare");

    // The user takes the other laptop's trapezius and keeps their own rhomboids.
    let trapezius = RegionId::from_key("upper_trapezius_l").unwrap();
    let choices = BTreeMap::from([(Part::Region(trapezius), Side::Other)]);
    here.resolve(&id, None, Resolution::Merge(choices)).unwrap();
    let on_disk = read_file::<Session>(&here.practice().session_path(&client, &id)).unwrap().value;
    let keys: Vec<&str> = on_disk.regions.iter().map(|work| work.region.key()).collect();
    assert_eq!(keys, vec!["rhomboids_r", "upper_trapezius_l"], "in the order of work here, theirs after");
    assert!(here.open_client().unwrap().other_version(&id).is_none());
    // The other laptop's version, not kept whole, is in the trash, and so is the
    // second-version file, its work done.
    assert_eq!(here.practice_mut().trash().len(), 2);
    assert!(!mine.exists());
}

#[test]
fn keeping_both_leaves_the_other_laptops_version_as_a_conflict_copy() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, mut there, client, id) = two_laptops(folder.path());
    there
        .apply(Edit::plan_of(&with_tension(&session_of(&there, &id), "upper_trapezius_l", 2)), ten_past_ten())
        .unwrap();
    there.save();
    here.apply(Edit::plan_of(&with_tension(&session_of(&here, &id), "rhomboids_r", 2)), ten_past_ten())
        .unwrap();
    here.take_disk_changes(&changes_of(&here, &client, &id), ten_past_ten());
    let message = here.resolve(&id, None, Resolution::KeepBoth).unwrap();
    assert!(message.contains("kept beside it"), "{message}");
    let copies = here.open_client().unwrap().conflict_copies().get(&id).cloned().unwrap_or_default();
    assert_eq!(copies.len(), 1);
    assert_eq!(read_file::<Session>(&copies[0]).unwrap().value, session_of(&there, &id));
    let on_disk = read_file::<Session>(&here.practice().session_path(&client, &id)).unwrap().value;
    assert_eq!(on_disk, session_of(&here, &id));
}

#[test]
fn a_session_trashed_elsewhere_while_edited_here_is_written_back() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, mut there, client, id) = two_laptops(folder.path());
    there.practice_mut().trash_session(&client, &id).unwrap();
    here.apply(Edit::plan_of(&with_tension(&session_of(&here, &id), "rhomboids_r", 2)), ten_past_ten())
        .unwrap();
    let notes = here.take_disk_changes(&changes_of(&here, &client, &id), ten_past_ten());
    assert!(notes[0].words.contains("written back") && notes[0].needs_attention, "{notes:?}");
    let on_disk = read_file::<Session>(&here.practice().session_path(&client, &id)).unwrap().value;
    assert_eq!(on_disk, session_of(&here, &id));
}

#[test]
fn a_session_trashed_elsewhere_without_edits_here_leaves_the_screen() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, mut there, client, id) = two_laptops(folder.path());
    there.practice_mut().trash_session(&client, &id).unwrap();
    let notes = here.take_disk_changes(&changes_of(&here, &client, &id), ten_past_ten());
    assert_eq!(words(&notes), ["The session of 26 Nov was moved to the trash on another laptop."]);
    assert!(here.open_client().unwrap().sessions().is_empty());
}

#[test]
fn a_conflict_copy_resolved_keeps_the_chosen_version_and_trashes_the_other() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, _, client, id) = two_laptops(folder.path());
    let theirs = with_tension(&session_of(&here, &id), "upper_trapezius_l", 3);
    let path = here.practice().session_path(&client, &id);
    let copy = path.with_file_name(format!("{id}.sync-conflict-20261130-100203-ABCDEFG.ron"));
    std::fs::write(&copy, crate::storage::KeptFile::to_ron(&theirs).unwrap()).unwrap();
    let mut changes = Changes::default();
    changes.paths.insert(copy.clone());
    here.take_disk_changes(&changes, ten_past_ten());
    assert_eq!(here.open_client().unwrap().conflict_copies().get(&id), Some(&vec![copy.clone()]));

    let everything_theirs =
        BTreeMap::from([(Part::Details, Side::Other), (Part::Region(theirs.regions[0].region), Side::Other)]);
    here.resolve(&id, Some(&copy), Resolution::Merge(everything_theirs)).unwrap();
    assert_eq!(read_file::<Session>(&path).unwrap().value, theirs);
    assert!(!copy.exists(), "the copy went to the trash");
    assert!(here.open_client().unwrap().conflict_copies().is_empty());
    // Both the copy and the file's old version are in the trash, restorable.
    assert_eq!(here.practice_mut().trash().len(), 2);
}

#[test]
fn a_record_changed_elsewhere_is_shown_as_it_is_on_disk_with_a_note() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, _, client, id) = two_laptops(folder.path());
    let mut record = with_tension(&session_of(&here, &id), "upper_trapezius_l", 2);
    record.status = crate::model::SessionStatus::Completed;
    let path = here.practice().session_path(&client, &id);
    std::fs::write(&path, crate::storage::KeptFile::to_ron(&record).unwrap()).unwrap();
    let notes = here.take_disk_changes(&changes_of(&here, &client, &id), ten_past_ten());
    assert_eq!(
        words(&notes),
        ["The record of 26 Nov was changed on another laptop at 10:10; it is shown as it is on disk."]
    );
    assert_eq!(session_of(&here, &id), record);
}

#[test]
fn a_client_and_a_session_added_elsewhere_appear() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, mut there, client, _) = two_laptops(folder.path());
    let ben = Client::new("Ben Okafor");
    there.practice_mut().save_client(&ben).unwrap();
    let at = jiff::civil::date(2026, 12, 3).at(9, 0, 0, 0);
    let next = Session::new(client.clone(), at, Minutes::new(45).unwrap());
    there.practice_mut().save_session(&next).unwrap();
    let mut changes = Changes::default();
    changes.paths.insert(here.practice().client_path(&ben.id));
    changes.paths.insert(here.practice().session_path(&client, &next.id));
    let notes = here.take_disk_changes(&changes, ten_past_ten());
    assert_eq!(words(&notes), ["A session of 3 Dec came from another laptop at 10:10."]);
    assert!(here.practice().client(&ben.id).is_some(), "Ben is in the client list");
    assert_eq!(here.open_client().unwrap().sessions().len(), 2);
}

#[test]
fn a_session_removed_elsewhere_whose_edit_cannot_be_written_back_stays_unsaved_and_is_said_so() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, _, client, id) = two_laptops(folder.path());
    let edited = with_tension(&session_of(&here, &id), "upper_trapezius_l", 3);
    here.apply(Edit::plan_of(&edited), ten_past_ten()).unwrap();
    // Another laptop's sync removes the session, and the sessions folder becomes a file.
    let path = here.practice().session_path(&client, &id);
    let sessions = path.parent().unwrap().to_owned();
    std::fs::remove_dir_all(&sessions).unwrap();
    std::fs::write(&sessions, "not a folder").unwrap();

    let notes = here.take_disk_changes(&changes_of(&here, &client, &id), ten_past_ten());
    assert!(notes.iter().any(|note| note.words.contains("could not be written back")), "{notes:?}");
    assert!(notes.iter().all(|note| !note.words.contains("nothing is lost")), "{notes:?}");
    assert!(here.has_unsaved_edits(), "the edit is still unsaved, to be tried again");
    assert_eq!(session_of(&here, &id), edited);
}

#[test]
fn a_session_file_replaced_by_a_pipe_or_a_huge_file_is_left_alone_and_the_edit_stays_unsaved() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, _, client, id) = two_laptops(folder.path());
    let path = here.practice().session_path(&client, &id);
    // A pipe: reading it would wait for ever.
    here.apply(Edit::plan_of(&with_tension(&session_of(&here, &id), "upper_trapezius_l", 3)), ten_past_ten())
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: `name` is a valid, NUL-terminated path for the length of the call.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    let saved = here.save();
    assert!(matches!(saved.problems.as_slice(), [SaveError::NotAFile { .. }]), "{:?}", saved.problems);
    assert!(saved.problems[0].to_string().contains("not a regular file"), "{}", saved.problems[0]);
    assert!(here.has_unsaved_edits(), "kept, to be saved once the pipe is gone");
    assert!(std::fs::symlink_metadata(&path).unwrap().file_type().is_fifo(), "the pipe is left as it is");

    // A file far larger than any session: it is not read into memory.
    std::fs::remove_file(&path).unwrap();
    let huge = std::fs::File::create(&path).unwrap();
    huge.set_len(64 * 1024 * 1024).unwrap();
    let saved = here.save();
    assert!(saved.problems[0].to_string().contains("larger than"), "{}", saved.problems[0]);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 64 * 1024 * 1024, "left as it is");
    assert!(here.has_unsaved_edits());
}

#[test]
fn a_session_removed_outside_knotmap_is_not_said_to_be_in_the_trash() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, _, client, id) = two_laptops(folder.path());
    std::fs::remove_file(here.practice().session_path(&client, &id)).unwrap();
    let notes = here.take_disk_changes(&changes_of(&here, &client, &id), ten_past_ten());
    let [note] = notes.as_slice() else { panic!("one note: {notes:?}") };
    assert!(note.words.contains("not in its trash either") && note.needs_attention, "{note:?}");
    assert!(!note.words.contains("moved to the trash"), "{note:?}");
}

#[test]
fn many_sessions_gone_at_once_are_told_in_one_line() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, _, client, first) = two_laptops(folder.path());
    let second = Session::new(
        client.clone(),
        jiff::civil::date(2026, 12, 3).at(9, 30, 0, 0),
        Minutes::new(60).unwrap(),
    );
    here.practice_mut().save_session(&second).unwrap();
    assert!(here.open(&client));
    for id in [&first, &second.id] {
        std::fs::remove_file(here.practice().session_path(&client, id)).unwrap();
    }
    let notes =
        here.take_disk_changes(&Changes { paths: Default::default(), everything: true }, ten_past_ten());
    assert_eq!(
        words(&notes),
        [
            "2 sessions of Ana Souza (26 Nov to 3 Dec) are no longer in the practice, and not in its trash either: \
          removed or moved outside Knotmap (another laptop, a sync tool)."
        ]
    );
}

#[test]
fn an_edit_made_while_its_save_is_written_stays_unsaved_and_goes_with_the_next_save() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, _, client, id) = two_laptops(folder.path());
    let path = here.practice().session_path(&client, &id);
    let on_disk = || crate::storage::read_file::<Session>(&path).unwrap().value;
    let first = with_tension(&session_of(&here, &id), "upper_trapezius_l", 1);
    here.apply(Edit::plan_of(&first), ten_past_ten()).unwrap();
    let slow_disk = here.hold_writing().unwrap();
    assert!(here.save_in_background());
    assert!(here.is_writing() && here.take_saved().is_none(), "nothing is said before it is written");
    let second = with_tension(&session_of(&here, &id), "upper_trapezius_l", 3);
    here.apply(Edit::plan_of(&second), ten_past_ten()).unwrap();
    assert!(!here.save_in_background(), "one save at a time");

    drop(slow_disk);
    let mut saved = None;
    while saved.is_none() {
        std::thread::sleep(std::time::Duration::from_millis(5));
        saved = here.take_saved();
    }
    assert!(saved.unwrap().problems.is_empty());
    assert_eq!(on_disk().regions, first.regions, "the snapshot was written");
    assert!(here.has_unsaved_edits(), "the edit made meanwhile is not marked saved");
    // A watcher's report of this laptop's own write is no change by another laptop.
    let notes = here.take_disk_changes(&changes_of(&here, &client, &id), ten_past_ten());
    assert!(notes.is_empty(), "{notes:?}");
    assert!(here.save().problems.is_empty());
    assert_eq!(on_disk().regions, second.regions);
    assert!(!here.has_unsaved_edits());
}

#[test]
fn a_save_in_the_background_is_waited_for_before_the_disk_is_looked_at_again() {
    let folder = tempfile::tempdir().unwrap();
    let (mut here, _, client, id) = two_laptops(folder.path());
    let edited = with_tension(&session_of(&here, &id), "upper_trapezius_l", 2);
    here.apply(Edit::plan_of(&edited), ten_past_ten()).unwrap();
    assert!(here.save_in_background());
    // The watcher reports the write before the window has taken in that it is done.
    let notes = here.take_disk_changes(&changes_of(&here, &client, &id), ten_past_ten());
    assert!(notes.is_empty(), "its own save is not another laptop's: {notes:?}");
    assert!(!here.has_unsaved_edits());
    assert!(here.open_client().unwrap().other_version(&id).is_none());
    assert!(here.take_saved().is_some_and(|saved| saved.problems.is_empty()), "and it is told once");
    assert!(here.take_saved().is_none());
}
