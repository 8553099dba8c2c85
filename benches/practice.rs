//! How Knotmap copes with a large clinic's history (PRODUCT.md: "thousands of
//! clients, a hundred thousand sessions"): opening the practice, the window's
//! first frame, saving one session, and checking every file, against the time
//! `cat` takes only to read them.
//!
//! The large practice (5,000 clients with 20 sessions each) is generated once
//! into `target/bench-practice-5000x20` and reused while it is complete; delete
//! that folder to make it again.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use knotmap::model::SessionStatus;
use knotmap::storage::Practice;

const CLIENTS: usize = 5_000;
const SESSIONS_PER_CLIENT: usize = 20;
/// Written last, when the whole practice is on disk. Hidden, so the practice's
/// listing passes over it.
const COMPLETE_MARKER: &str = ".bench-complete";

/// A fixed day, so the cached practice is the same whenever it is made.
fn bench_today() -> jiff::civil::Date {
    jiff::civil::date(2026, 6, 1)
}

fn target_folder() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// The large practice, generated if it is not there complete.
fn large_practice() -> PathBuf {
    let root = target_folder().join(format!("bench-practice-{CLIENTS}x{SESSIONS_PER_CLIENT}"));
    if root.join(COMPLETE_MARKER).exists() {
        return root;
    }
    if root.exists() {
        // Half-written by an interrupted run: it is only a cache, so start over.
        std::fs::remove_dir_all(&root).expect("remove the incomplete benchmark practice");
    }
    eprintln!("generating {CLIENTS} clients with {SESSIONS_PER_CLIENT} sessions each in {}", root.display());
    let started = Instant::now();
    knotmap::sample::write_large_practice(&root, CLIENTS, SESSIONS_PER_CLIENT, bench_today())
        .expect("generate the benchmark practice");
    std::fs::write(root.join(COMPLETE_MARKER), "").expect("mark the benchmark practice complete");
    eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
    root
}

/// The resident memory of this process, in MB, from /proc/self/status (Linux).
fn resident_megabytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024)
}

fn open_practice(c: &mut Criterion) {
    let root = large_practice();
    static REPORT_MEMORY: Once = Once::new();
    REPORT_MEMORY.call_once(|| {
        let before = resident_megabytes();
        let practice = Practice::open(&root).expect("open the benchmark practice");
        assert_eq!(practice.client_count(), CLIENTS);
        assert!(practice.problems().is_empty(), "{:?}", &practice.problems()[..1]);
        match (before, resident_megabytes()) {
            (Some(before), Some(after)) => {
                println!("memory after opening: {after} MB ({before} MB before opening)")
            }
            _ => println!("memory after opening: unknown (no /proc/self/status)"),
        }
        drop(practice);
    });

    let mut group = c.benchmark_group("practice");
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(10));
    group.bench_function("open_practice", |b| {
        b.iter(|| {
            let practice = Practice::open(black_box(&root)).expect("open the benchmark practice");
            assert_eq!(practice.client_count(), CLIENTS);
            practice
        })
    });
    group.finish();
}

fn save_one_session(c: &mut Criterion) {
    // A small practice of its own, so the cached large one is never changed.
    let folder = tempfile::tempdir().expect("a temporary folder");
    let root = folder.path().join("practice");
    knotmap::sample::write_sample_practice(&root, bench_today()).expect("write the sample practice");
    let mut practice = Practice::open(&root).expect("open the sample practice");
    let client = practice.clients().next().expect("the sample has clients").client.id.clone();
    let session = practice
        .read_sessions(&client)
        .into_iter()
        .rev()
        .find(|session| session.status == SessionStatus::Planned)
        .or_else(|| practice.read_sessions(&client).pop())
        .expect("the client has sessions");
    // The app's own way: an edit through the workspace, written with its audit entry.
    let mut workspace = knotmap::workspace::Workspace::new(practice)
        .with_recovery(&folder.path().join("recovery"))
        .with_audit("bench");
    assert!(workspace.open(&client));

    let mut group = c.benchmark_group("practice");
    group.sample_size(20).measurement_time(Duration::from_secs(5));
    let goals = session.goals.clone();
    let mut edit = 0u64;
    group.bench_function("save_one_session", |b| {
        b.iter(|| {
            // A real edit each time, as the autosave after a change would write.
            edit += 1;
            let mut content = knotmap::model::PlanContent::of(&session);
            content.record.goals = format!("{goals} (edit {edit})");
            let plan = knotmap::workspace::Edit::Plan { session: session.id.clone(), content };
            workspace.apply(plan, bench_today().at(8, 0, 0, 0)).expect("the plan takes the edit");
            let saved = workspace.save();
            assert!(saved.problems.is_empty(), "{:?}", saved.problems);
        })
    });
    group.finish();
}

fn check_practice(c: &mut Criterion) {
    let root = large_practice();
    let mut group = c.benchmark_group("practice");
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(30));
    group.bench_function("check_practice", |b| {
        b.iter(|| {
            let report =
                knotmap::check::check_practice(black_box(&root)).expect("check the benchmark practice");
            assert_eq!(report.sessions, CLIENTS * SESSIONS_PER_CLIENT);
            assert!(report.problems.is_empty(), "{}", report.problems[0]);
            report
        })
    });
    group.finish();
}

/// From nothing to the window's first frame with the client list: what the app
/// does before it shows anything (open the practice, install the fonts, build
/// the app, one pass of the interface), headless. The folder's watcher is not
/// in it: it starts on its own thread after the first frame, and how long it
/// takes to be ready is printed beside.
fn first_frame(c: &mut Criterion) {
    let root = large_practice();
    let folder = tempfile::tempdir().expect("a temporary folder");
    let places = knotmap::ui::Places {
        sample_practice: folder.path().join("sample"),
        printed: folder.path().join("printed"),
        recovery: folder.path().join("recovery"),
        laptop_pin: folder.path().join("pin.ron"),
    };
    let window = || {
        let practice = Practice::open(&root).expect("open the benchmark practice");
        let clock = Box::new(|| bench_today().at(9, 0, 0, 0));
        let mut app = knotmap::ui::KnotmapApp::new(practice, places.clone(), clock);
        let ctx = egui::Context::default();
        knotmap::ui::widgets::fonts::install_fallback_fonts(&ctx);
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
            ..Default::default()
        };
        let output = ctx.run_ui(input, |ui| app.ui(ui));
        let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
        (app, ctx)
    };
    let (mut app, ctx) = window();
    let started = Instant::now();
    while !app.is_watching() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
        let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.ui(ui));
    }
    println!(
        "the folder's watcher ready {:.2} s after the first frame, which did not wait for it",
        started.elapsed().as_secs_f64()
    );
    let mut group = c.benchmark_group("practice");
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(10));
    // Each window's watcher is let finish starting, untimed, before the next
    // window opens: in the app there is one, and it must not slow the next open here.
    let settled = |(mut app, ctx): (knotmap::ui::KnotmapApp, egui::Context)| {
        let started = Instant::now();
        while !app.is_watching() && started.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(5));
            let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.ui(ui));
        }
    };
    group.bench_function("first_frame", |b| {
        b.iter_custom(|iterations| {
            let mut spent = Duration::ZERO;
            for _ in 0..iterations {
                let started = Instant::now();
                let opened = black_box(window());
                spent += started.elapsed();
                settled(opened);
            }
            spent
        })
    });
    group.finish();
}

/// `knotmap check` beside `cat` of the same files, in one run, each the best of
/// three: the first check with an empty cache, and a second of the unchanged
/// practice with the cache the first one left.
fn check_against_cat(_: &mut Criterion) {
    let root = large_practice();
    let program = env!("CARGO_BIN_EXE_knotmap");
    let timed = |command: &mut std::process::Command| {
        let started = Instant::now();
        let status = command.stdout(std::process::Stdio::null()).status();
        assert!(status.is_ok_and(|status| status.success()), "{command:?} ran");
        started.elapsed().as_secs_f64()
    };
    let cat = || {
        timed(
            std::process::Command::new("sh")
                .arg("-c")
                .arg("find \"$0\" -type f -print0 | xargs -0 cat > /dev/null")
                .arg(&root),
        )
    };
    let (mut cat_best, mut cold_best, mut warm_best) = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..3 {
        let cache = tempfile::tempdir().expect("a cache folder");
        let check = || {
            timed(
                std::process::Command::new(program)
                    .arg("check")
                    .arg(&root)
                    .env("XDG_CACHE_HOME", cache.path()),
            )
        };
        cat_best = cat_best.min(cat());
        cold_best = cold_best.min(check());
        warm_best = warm_best.min(check());
    }
    println!(
        "cat of every file: {cat_best:.2} s; check, empty cache: {cold_best:.2} s ({:.2}x cat); check again, \
         unchanged: {warm_best:.2} s ({:.2}x cat)",
        cold_best / cat_best,
        warm_best / cat_best
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = open_practice, first_frame, save_one_session, check_practice, check_against_cat
}
criterion_main!(benches);
