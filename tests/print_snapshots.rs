//! The printed pages as a clinic sees them: each document rendered to images by
//! poppler's `pdftoppm` and compared with the committed pictures in
//! `tests/snapshots/print/`, within a tolerance for anti-aliasing.
//!
//! Run with `UPDATE_SNAPSHOTS=1` to write new pictures after a change meant to
//! change the pages, and look at each one. Without `pdftoppm` the test is
//! skipped, except in CI (`CI` set), where `.ci/run` installs it.

use crate::printed;

use std::path::{Path, PathBuf};
use std::process::Command;

use knotmap::model::{PaperSize, PracticeSettings};
use knotmap::print::{Printed, SessionSheet};
use printed::{ana, anas_plan, long_history, printed_at};

/// Pixels per inch of the pictures: enough to see a clipped word or a moved map.
const DPI: &str = "50";
/// A pixel differs when a channel differs by more than this.
const PIXEL_TOLERANCE: u8 = 48;
/// A page differs when more than this share of its pixels do.
const PAGE_TOLERANCE: f64 = 0.004;

fn snapshot_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/print")
}

fn settings() -> PracticeSettings {
    PracticeSettings {
        clinic_name: "Harbour Street Massage".into(),
        contact: "12 Harbour Street · 0161 496 0000".into(),
        ..PracticeSettings::default()
    }
}

/// Renders `printed` and compares each page with `NAME-PAGE.png`.
fn compare(name: &str, printed: &Printed) {
    let work = tempfile::tempdir().expect("temp dir");
    let pdf = work.path().join(format!("{name}.pdf"));
    std::fs::write(&pdf, printed.pdf().expect("a PDF")).expect("written");
    let rendered =
        Command::new("pdftoppm").args(["-png", "-r", DPI]).arg(&pdf).arg(work.path().join("page")).status();
    match rendered {
        Ok(status) if status.success() => {}
        _ if std::env::var_os("CI").is_some() => {
            panic!("pdftoppm is needed in CI (.ci/run installs poppler-utils)")
        }
        _ => {
            eprintln!("pdftoppm is not installed: the page pictures of {name} were not compared");
            return;
        }
    }
    let mut pages: Vec<PathBuf> = std::fs::read_dir(work.path())
        .expect("listed")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "png"))
        .collect();
    pages.sort();
    assert_eq!(pages.len(), printed.pages.len(), "{name}: one picture a page");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    std::fs::create_dir_all(snapshot_folder()).expect("the folder");
    for (index, page) in pages.iter().enumerate() {
        let expected_path = snapshot_folder().join(format!("{name}-{}.png", index + 1));
        let actual = image::open(page).expect("a picture").to_rgb8();
        if update || !expected_path.exists() {
            actual.save(&expected_path).expect("saved");
            continue;
        }
        let expected = image::open(&expected_path).expect("the committed picture").to_rgb8();
        assert_eq!(
            actual.dimensions(),
            expected.dimensions(),
            "{name} page {}: the page size changed",
            index + 1
        );
        let differing = actual
            .pixels()
            .zip(expected.pixels())
            .filter(|(a, b)| a.0.iter().zip(b.0.iter()).any(|(x, y)| x.abs_diff(*y) > PIXEL_TOLERANCE))
            .count();
        let share = differing as f64 / f64::from(actual.width() * actual.height());
        if share > PAGE_TOLERANCE {
            let new = expected_path.with_extension("new.png");
            actual.save(&new).expect("saved");
            panic!(
                "{name} page {} differs in {:.2}% of its pixels; see {}",
                index + 1,
                share * 100.0,
                new.display()
            );
        }
    }
}

/// A practice without rules of its own.
static NO_CLINIC_RULES: knotmap::model::ClinicRules = knotmap::model::ClinicRules {
    built_in: std::collections::BTreeMap::new(),
    clinic_flags: Vec::new(),
    changes: Vec::new(),
    sensitive_regions: std::collections::BTreeSet::new(),
};

fn sheet<'a>(
    settings: &'a PracticeSettings,
    client: &'a knotmap::model::Client,
    session: &'a knotmap::model::Session,
) -> SessionSheet<'a> {
    SessionSheet {
        clinic_rules: &NO_CLINIC_RULES,
        settings,
        client: Some(client),
        session,
        previous: None,
        source: Path::new("clients/ana-lima/sessions/2026-11-30-0900-k3f9q.ron"),
        printed_at: printed_at(),
        paper: PaperSize::A4,
    }
}

#[test]
fn the_plan_sheet_looks_as_committed() {
    let (settings, client) = (settings(), ana());
    let session = anas_plan(&client);
    compare(
        "plan-sheet",
        &knotmap::print::plan_sheet(&sheet(&settings, &client, &session)).expect("laid out"),
    );
}

#[test]
fn the_take_home_sheet_looks_as_committed() {
    let (settings, client) = (settings(), ana());
    let mut session = anas_plan(&client);
    session.next_visit = Some(jiff::civil::date(2026, 12, 7));
    compare(
        "take-home",
        &knotmap::print::take_home_sheet(&sheet(&settings, &client, &session)).expect("laid out"),
    );
}

#[test]
fn the_progress_report_looks_as_committed() {
    let (settings, client) = (settings(), ana());
    let sessions = long_history(&client, 12);
    compare("progress-report", &printed::report_of(&settings, &client, &sessions, PaperSize::Letter));
}

#[test]
fn a_plan_sheet_written_in_arabic_and_hebrew_looks_as_committed() {
    let settings = settings();
    let mut client = ana();
    client.name = "محمد عبد الله".into();
    let mut session = anas_plan(&client);
    session.goals =
        "לישון בלילה בלי כאבים בכתף (ימין) ולהרים את הילד 2 פעמים ביום\nSleep: לישון בלילה 2 times".into();
    compare(
        "plan-sheet-right-to-left",
        &knotmap::print::plan_sheet(&sheet(&settings, &client, &session)).expect("laid out"),
    );
}
