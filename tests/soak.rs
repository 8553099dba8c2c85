//! The soak test: two laptops and a sync tool on one practice folder for ten
//! minutes, making random edits, renames into place and conflict copies.
//! Afterwards every edit either laptop was told is safe must be in a session
//! file, a conflict copy or the trash, and `knotmap check` must find nothing
//! but the conflicts. It is ignored in `cargo test`; run it with
//!
//! ```text
//! KNOTMAP_SOAK_SECONDS=600 cargo test --release --test suite soak:: -- --ignored --nocapture
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use knotmap::model::{Client, ClientId, Minutes, Session, SessionId};
use knotmap::storage::Practice;
use knotmap::storage::watch::Changes;
use knotmap::workspace::{Edit, Resolution, Workspace};

/// A small random number generator (xorshift), so that a run can be repeated from its seed.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % sides as u64) as usize
    }
}

/// A practice of three clients with four planned sessions each.
fn practice(root: &Path) -> Vec<(ClientId, SessionId)> {
    let mut practice = Practice::open_or_create(root).expect("practice");
    let mut sessions = Vec::new();
    for name in ["Ana Souza", "Ben Okafor", "Chloé Martin"] {
        let client = Client::new(name);
        practice.save_client(&client).expect("client");
        for day in 1..=4 {
            let at = jiff::civil::date(2026, 12, day).at(9, 0, 0, 0);
            let session = Session::new(client.id.clone(), at, Minutes::new(60).expect("minutes"));
            practice.save_session(&session).expect("session");
            sessions.push((client.id.clone(), session.id.clone()));
        }
    }
    sessions
}

/// One laptop: edits a random session, saves, takes in the other's changes,
/// and keeps both versions whenever two meet. Returns the edits it was told are safe.
fn laptop(
    root: PathBuf,
    name: &'static str,
    seed: u64,
    sessions: Vec<(ClientId, SessionId)>,
    stop: Arc<AtomicBool>,
) -> Vec<String> {
    let mut workspace = Workspace::new(Practice::open(&root).expect("practice"));
    let mut dice = Dice(seed);
    let mut acknowledged = Vec::new();
    let mut pending = Vec::new();
    let now = jiff::civil::date(2026, 12, 1).at(10, 0, 0, 0);
    let everything = Changes { paths: Default::default(), everything: true };
    let mut count = 0;
    while !stop.load(Ordering::SeqCst) {
        let (client, session) = &sessions[dice.roll(sessions.len())];
        if workspace.open_client().map(|open| &open.client().id) != Some(client) {
            settle(&mut workspace, &mut pending, &mut acknowledged);
            workspace.open(client);
        }
        workspace.select(Some(session.clone()));
        if let Some(current) = workspace.open_client().and_then(|open| open.session(session)).cloned() {
            count += 1;
            let token = format!("{name}-{count}");
            let mut edited = current;
            edited.goals = format!("{} {token}", edited.goals);
            workspace.apply(Edit::plan_of(&edited), now).expect("a planned session takes a plan edit");
            pending.push(token);
        }
        if dice.roll(3) == 0 {
            settle(&mut workspace, &mut pending, &mut acknowledged);
        }
        workspace.take_disk_changes(&everything, now);
        std::thread::sleep(Duration::from_millis(dice.roll(20) as u64));
    }
    settle(&mut workspace, &mut pending, &mut acknowledged);
    assert!(pending.is_empty(), "{name} ended with edits not yet safe: {pending:?}");
    acknowledged
}

/// Keeps both versions of every session that met another laptop's, saves, and
/// counts the edits as safe once nothing is left unsaved.
fn settle(workspace: &mut Workspace, pending: &mut Vec<String>, acknowledged: &mut Vec<String>) {
    let waiting: Vec<SessionId> = workspace
        .open_client()
        .map(|open| open.other_versions().map(|(id, _)| id.clone()).collect())
        .unwrap_or_default();
    for id in waiting {
        // Every failure is retried on the next settle; a panic would end the run.
        let _ = workspace.resolve(&id, None, Resolution::KeepBoth);
    }
    let saved = workspace.save();
    if saved.all_safe && !workspace.has_unsaved_edits() {
        acknowledged.append(pending);
    }
}

/// A sync tool: delivers older versions of files by renaming them into place,
/// keeping the newer one as a Syncthing conflict copy, as Syncthing does.
fn sync_tool(
    root: PathBuf,
    seed: u64,
    sessions: Vec<(ClientId, SessionId)>,
    stop: Arc<AtomicBool>,
    copies: Arc<AtomicUsize>,
) {
    let practice = Practice::open(&root).expect("practice");
    let mut dice = Dice(seed);
    let mut snapshots: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut stamp = 0;
    while !stop.load(Ordering::SeqCst) {
        let (client, session) = &sessions[dice.roll(sessions.len())];
        let file = practice.session_path(client, session);
        match dice.roll(4) {
            // Remember what the file holds now: an "older version" to deliver later.
            0 | 1 => {
                if let Ok(bytes) = std::fs::read(&file) {
                    snapshots.push((file, bytes));
                }
            }
            // Deliver an older version: the newer one kept as a conflict copy, the older renamed into place.
            2 => {
                if let Some((file, older)) = snapshots.pop()
                    && let Ok(newer) = std::fs::read(&file)
                    && newer != older
                {
                    stamp += 1;
                    let copy = file.with_file_name(format!(
                        "{}.sync-conflict-20261201-{stamp:06}-SOAKTST.ron",
                        file.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default()
                    ));
                    let download = file.with_file_name(".syncthing.download.tmp");
                    std::fs::write(&download, &older).expect("download");
                    // As Syncthing does: a file changed locally since it looked is not replaced.
                    let _turn = FolderTurn::take(&file);
                    if std::fs::read(&file).ok().as_ref() == Some(&newer) {
                        std::fs::write(&copy, &newer).expect("conflict copy");
                        std::fs::rename(&download, &file).expect("rename into place");
                        copies.fetch_add(1, Ordering::SeqCst);
                    }
                }
            }
            // The same content renamed into place, as a sync tool does on every delivery.
            _ => {
                if let Ok(bytes) = std::fs::read(&file) {
                    let download = file.with_file_name(".syncthing.same.tmp");
                    std::fs::write(&download, &bytes).expect("download");
                    let _turn = FolderTurn::take(&file);
                    if std::fs::read(&file).ok().as_ref() == Some(&bytes) {
                        std::fs::rename(&download, &file).expect("rename into place");
                    }
                }
            }
        }
        std::thread::sleep(Duration::from_millis(5 + dice.roll(40) as u64));
    }
}

/// The folder's lock, as Knotmap takes it between its check and its rename. The
/// simulated sync tool takes it too, so that its own check-then-rename is one
/// step: a real sync tool leaves a window of microseconds there, which no
/// application can close, and which this test is not about.
/// Held for its lock: dropping it closes the folder, which unlocks it.
struct FolderTurn(#[allow(dead_code)] std::fs::File);

impl FolderTurn {
    fn take(file: &Path) -> FolderTurn {
        use std::os::fd::AsRawFd;
        let folder = std::fs::File::open(file.parent().expect("a folder")).expect("the folder opens");
        // SAFETY: the descriptor is open for as long as `folder` lives; closing it unlocks.
        assert_eq!(unsafe { libc::flock(folder.as_raw_fd(), libc::LOCK_EX) }, 0);
        FolderTurn(folder)
    }
}

/// Every file under `folder`, as text.
fn all_text(folder: &Path, into: &mut String) {
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all_text(&path, into);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            into.push_str(&text);
            into.push('\n');
        }
    }
}

#[test]
#[ignore = "runs for minutes: see the module's documentation"]
fn two_laptops_and_a_sync_tool_for_ten_minutes_lose_nothing() {
    let seconds: u64 = std::env::var("KNOTMAP_SOAK_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(600);
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    let sessions = practice(&root);
    let stop = Arc::new(AtomicBool::new(false));
    let copies = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let writers: Vec<_> = [("front-desk", 0x9E37_79B9_7F4A_7C15), ("room-2", 0xD1B5_4A32_D192_ED03)]
        .into_iter()
        .map(|(name, seed)| {
            let (root, sessions, stop) = (root.clone(), sessions.clone(), Arc::clone(&stop));
            std::thread::spawn(move || laptop(root, name, seed, sessions, stop))
        })
        .collect();
    let sync = {
        let (root, sessions, stop, copies) =
            (root.clone(), sessions.clone(), Arc::clone(&stop), Arc::clone(&copies));
        std::thread::spawn(move || sync_tool(root, 0x2545_F491_4F6C_DD1D, sessions, stop, copies))
    };
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::SeqCst);
    sync.join().expect("the sync tool did not panic");
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.join().expect("no laptop panicked"));
    }

    let mut everything = String::new();
    all_text(&root, &mut everything);
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|token| {
            !everything.contains(&format!(" {token} ")) && !everything.contains(&format!(" {token}\""))
        })
        .collect();
    let report = knotmap::check::check_practice(&root).expect("check runs");
    let not_conflicts: Vec<String> = report
        .problems
        .iter()
        .filter(|problem| !problem.message.contains("second version"))
        .map(ToString::to_string)
        .collect();
    let conflict_copies = report.problems.len() - not_conflicts.len();
    println!(
        "soak: {} s, edits acknowledged: {}, sync tool's conflicts: {}, conflict copies at the end: {conflict_copies}, lost: {}",
        started.elapsed().as_secs(),
        acknowledged.len(),
        copies.load(Ordering::SeqCst),
        lost.len()
    );
    assert!(lost.is_empty(), "edits lost: {lost:?}");
    assert!(not_conflicts.is_empty(), "check found more than conflicts: {not_conflicts:#?}");
    assert!(acknowledged.len() > 10, "the laptops made edits");
}
