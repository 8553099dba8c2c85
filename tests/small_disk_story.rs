//! Stories of a practice on a disk of its own that fills up, and then turns
//! read-only, while the app has a client open: every edit ends in the practice
//! or in the recovery folder in the user's own data folder, the user is told
//! which, and once the disk takes writes again the edit goes where it belongs.
//!
//! The disk is a small tmpfs mounted in a mount namespace of the test's own
//! (`unshare`), so nothing outside the test sees it. The story runs in a child
//! of the test, inside that namespace.

use crate::stories;

use std::io::Write;
use std::path::Path;
use std::process::Command;

use egui_kittest::kittest::Queryable;
use knotmap::model::{RegionId, Session, Tension};
use knotmap::storage::recovery::Recovery;
use knotmap::storage::{Practice, read_file};
use knotmap::ui::widgets::file_dialog::ScriptedDialogs;
use stories::{App, click_button, let_it_save, open_client, practice_with, select_region};

/// Set, to the test's folder, in the child that runs inside the namespace.
const INSIDE: &str = "KNOTMAP_SMALL_DISK_FOLDER";
/// The child's exit code when the small disk could not be made here.
const NO_SMALL_DISK: i32 = 97;
/// The story's name as the test program knows it: its module in the suite, then the function.
fn story() -> String {
    let module = module_path!().split_once("::").map_or("", |(_, module)| module);
    format!("{module}::{STORY}")
}
const STORY: &str =
    "an_edit_on_a_disk_that_fills_up_or_turns_read_only_is_kept_aside_then_written_where_it_belongs";

#[test]
fn an_edit_on_a_disk_that_fills_up_or_turns_read_only_is_kept_aside_then_written_where_it_belongs() {
    if let Some(folder) = std::env::var_os(INSIDE) {
        return on_the_small_disk(Path::new(&folder));
    }
    let folder = tempfile::tempdir().expect("temp dir");
    let disk = folder.path().join("practice");
    std::fs::create_dir(&disk).expect("the mount point");
    let test = std::env::current_exe().expect("this test");
    let output = Command::new("unshare")
        .args(["--map-root-user", "--mount", "sh", "-c"])
        .arg(format!(
            "mount -t tmpfs -o size=256k knotmap-small-disk \"$0\" || exit {NO_SMALL_DISK}; \
             exec \"$1\" --exact {} --nocapture --test-threads=1",
            story()
        ))
        .arg(&disk)
        .arg(&test)
        .env(INSIDE, folder.path())
        .output();
    let made = output.as_ref().is_ok_and(|output| output.status.code() != Some(NO_SMALL_DISK));
    if !made {
        assert!(std::env::var_os("CI").is_none(), "CI makes the small disk: {output:?}");
        eprintln!("skipped: no small disk of its own can be mounted here (unshare and tmpfs)");
        return;
    }
    let output = output.expect("the story ran");
    assert!(
        output.status.success(),
        "the story on the small disk failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The story itself, inside the namespace, with `folder`/practice a 256 KiB disk.
fn on_the_small_disk(folder: &Path) {
    let (root, client, sessions) = practice_with(folder, "Ruth Adler", &[], |client| {
        let start = jiff::civil::date(2026, 11, 23).at(9, 0, 0, 0);
        vec![Session::new(client.id.clone(), start, knotmap::model::Minutes::new(60).expect("60"))]
    });
    let session_path = Practice::open(&root).expect("practice").session_path(&client.id, &sessions[0].id);
    let recovery = Recovery::of(&root.with_extension("recovery"), &root);
    let mut harness = stories::app_on(&root, std::sync::Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Ruth Adler");

    // The disk fills up (another program's files), and the therapist marks a region.
    let filler = fill(&root);
    select_region(&mut harness, "Upper trapezius, client's right");
    click_button(&mut harness, "Tension mild");
    let_it_save(&mut harness);
    assert_kept_aside_and_told(&harness, &recovery, &session_path, 1);
    assert_eq!(tension_in(&session_path), None, "the full disk has the old session still");

    // Room again: the next save writes it where it belongs, and the recovery folder forgets it.
    std::fs::remove_file(&filler).expect("the filler goes");
    click_button(&mut harness, "Tension moderate");
    let_it_save(&mut harness);
    assert_eq!(tension_in(&session_path), Tension::new(2).ok(), "the edit is in the practice");
    assert_eq!(recovery.kept(), [], "nothing is kept aside once the practice has it");
    assert!(harness.query_by_label("All changes saved").is_some(), "and the user is told it is saved");

    // The disk turns read-only (a share gone bad): the same again.
    remount(&root, "ro");
    click_button(&mut harness, "Tension severe");
    let_it_save(&mut harness);
    assert_kept_aside_and_told(&harness, &recovery, &session_path, 3);
    remount(&root, "rw");
    // Saving is tried again on its own.
    harness.run_steps(8);
    let_it_save(&mut harness);
    assert_eq!(tension_in(&session_path), Tension::new(3).ok(), "written once the disk takes it");
    assert_eq!(recovery.kept(), []);
}

fn assert_kept_aside_and_told(harness: &App, recovery: &Recovery, session_path: &Path, tension: i64) {
    let [kept] = recovery.kept().try_into().unwrap_or_else(|kept| panic!("one edit kept aside: {kept:?}"));
    assert_eq!(kept.belongs, session_path);
    assert_eq!(tension_in(&kept.kept), Tension::new(tension).ok(), "the edit itself is kept");
    let told = format!("Your edit is kept in {}", kept.kept.display());
    assert!(harness.query_by_label_contains(&told).is_some(), "the user is told where");
    assert!(harness.query_by_label("All changes saved").is_none(), "and never that it is saved");
}

fn tension_in(session: &Path) -> Option<Tension> {
    let session: Session = read_file(session).expect("a session Knotmap can read").value;
    session.region(RegionId::UpperTrapeziusR).and_then(|work| work.tension)
}

/// Fills the disk under `root` to the last byte, with a file of its own.
fn fill(root: &Path) -> std::path::PathBuf {
    let filler = root.join("filler.bin");
    let mut file = std::fs::File::create(&filler).expect("the filler");
    let block = [0_u8; 4096];
    while file.write_all(&block).is_ok() {}
    // What is left is smaller than a block: a byte at a time takes it.
    while file.write_all(&[0]).is_ok() {}
    let _ = file.sync_all();
    filler
}

fn remount(root: &Path, how: &str) {
    let status =
        Command::new("mount").args(["-o", &format!("remount,{how}")]).arg(root).status().expect("mount runs");
    assert!(status.success(), "remounted {how}");
}
