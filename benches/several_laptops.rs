//! Several laptops on one folder: how long taking in another laptop's save of
//! the open session takes, and what watching the folder costs while nothing
//! changes (CPU time, and how often the window would be woken: never).
//!
//! The idle measures use the large practice of `cargo bench --bench practice`
//! (`target/bench-practice-5000x20`) when it is there, else a small one.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion};
use knotmap::model::{Client, Minutes, Session};
use knotmap::storage::watch::{Changes, PracticeWatcher, WatchChoice};
use knotmap::storage::{KeptFile, Practice};
use knotmap::workspace::Workspace;

/// A client with 200 sessions, open in a workspace on its latest.
fn open_client_with_history(root: &Path) -> (Workspace, PathBuf, Session) {
    let mut practice = Practice::open_or_create(root).expect("practice");
    let client = Client::new("Ana Souza");
    practice.save_client(&client).expect("client");
    let mut last = None;
    for day in 0..200 {
        let at = jiff::civil::date(2025, 1, 1).at(9, 0, 0, 0) + jiff::Span::new().days(day * 3);
        let session = Session::new(client.id.clone(), at, Minutes::new(60).expect("minutes"));
        practice.save_session(&session).expect("session");
        last = Some(session);
    }
    let last = last.expect("a session");
    let file = practice.session_path(&client.id, &last.id);
    let mut workspace = Workspace::new(practice);
    workspace.open(&client.id);
    workspace.select(Some(last.id.clone()));
    (workspace, file, last)
}

fn reload_one_session(c: &mut Criterion) {
    let folder = tempfile::tempdir().expect("temp dir");
    let (mut workspace, file, session) = open_client_with_history(&folder.path().join("practice"));
    let now = jiff::civil::date(2026, 12, 1).at(10, 4, 0, 0);
    let mut round = 0u64;
    c.bench_function("reload one session changed on another laptop (200 sessions open)", |b| {
        b.iter_batched(
            || {
                // Another laptop's save: a different text each time.
                round += 1;
                let mut theirs = session.clone();
                theirs.goals = format!("Edit {round} from the other laptop");
                std::fs::write(&file, theirs.to_ron().expect("text")).expect("their save");
                Changes { paths: [file.clone()].into(), everything: false }
            },
            |changes| {
                let notes = workspace.take_disk_changes(&changes, now);
                assert_eq!(notes.len(), 1, "the session was reloaded");
            },
            BatchSize::PerIteration,
        )
    });
}

/// CPU time used by this process so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage fills the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let seconds = |time: libc::timeval| Duration::new(time.tv_sec as u64, time.tv_usec as u32 * 1000);
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

fn idle_watching(root: &Path, choice: WatchChoice, label: &str) {
    let wakes = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let counter = Arc::clone(&wakes);
    let watcher = PracticeWatcher::start(root, choice, "bench-laptop", move || {
        counter.fetch_add(1, Ordering::SeqCst);
    })
    .expect("watching starts");
    let set_up = started.elapsed();
    let before = cpu_time();
    let seconds = std::env::var("KNOTMAP_IDLE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    std::thread::sleep(Duration::from_secs(seconds));
    let used = cpu_time() - before;
    println!(
        "watching idle, {label} ({}): set up in {:.0} ms; over {seconds} s: CPU {:.1} ms ({:.3} %), windows woken {}",
        watcher.watching().in_words(),
        set_up.as_secs_f64() * 1000.0,
        used.as_secs_f64() * 1000.0,
        used.as_secs_f64() / seconds as f64 * 100.0,
        wakes.load(Ordering::SeqCst),
    );
    assert_eq!(wakes.load(Ordering::SeqCst), 0, "nothing changed, so nothing is woken");
    assert!(watcher.take().is_empty());
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args().measurement_time(Duration::from_secs(5));
    reload_one_session(&mut criterion);
    criterion.final_summary();

    let large = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-practice-5000x20");
    let small = tempfile::tempdir().expect("temp dir");
    let root = if large.join("practice.ron").exists() {
        large
    } else {
        let root = small.path().join("practice");
        open_client_with_history(&root);
        root
    };
    let clients = std::fs::read_dir(root.join("clients")).map(|entries| entries.count()).unwrap_or(0);
    let label = format!("{clients} clients");
    idle_watching(&root, WatchChoice::Automatic, &label);
    idle_watching(&root, WatchChoice::Poll { seconds: 10 }, &label);
}
