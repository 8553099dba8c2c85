//! Printing's speed: one plan sheet, a progress report of 100 sessions, and
//! 1,000 plan sheets of one day through the real command line on every core.
//! The sizes of the files are checked by tests (tests/printing.rs); here they
//! are printed beside the times for the README's table.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use criterion::Criterion;
use jiff::civil::date;
use knotmap::model::{
    Client, ClientId, FindingKind, Minutes, Outcome, Pain, PaperSize, PracticeSettings, Pressure, RegionId,
    Session, SessionStatus, Technique, Tension,
};
use knotmap::print::{ReportInput, ReportRange, SessionSheet};
use knotmap::storage::Practice;

fn client(id: &str, name: &str) -> Client {
    let mut client = Client::new(name);
    if let Ok(id) = ClientId::new(id) {
        client.id = id;
    }
    client
}

/// A plan of eight regions with techniques, findings and notes: a full day's plan.
fn plan(client: &Client, start: jiff::civil::DateTime) -> Session {
    let Ok(minutes) = Minutes::new(60) else { panic!("60 minutes is on the scale") };
    let mut session = Session::new(client.id.clone(), start, minutes);
    session.goals = "Turn my head to the left at work without pain, and sleep through the night".into();
    for (index, region) in RegionId::all().take(8).enumerate() {
        let work = session.region_mut(region);
        work.tension = Tension::new((index % 4) as i64).ok();
        work.pain = Pain::new((index % 11) as i64).ok();
        work.pressure = Pressure::new((index % 5 + 1) as i64).ok();
        work.minutes = Minutes::new(6).ok();
        work.findings = vec![FindingKind::ALL[index % FindingKind::ALL.len()]];
        work.techniques = vec![Technique::Petrissage, Technique::Stripping];
        work.notes = "Warm up first; check in about pressure halfway".into();
    }
    session
}

/// The longest plan a therapist writes: twelve regions with 200-character notes,
/// two findings and two techniques each, half of them above a health flag's cap.
fn longest_plan(client: &Client, start: jiff::civil::DateTime) -> Session {
    let mut session = plan(client, start);
    for (index, region) in RegionId::all().take(12).enumerate() {
        let work = session.region_mut(region);
        work.findings = vec![FindingKind::TriggerPoint, FindingKind::Hypertonicity];
        work.techniques = vec![Technique::Petrissage, Technique::TriggerPointRelease];
        work.pressure = Pressure::new(if index < 6 { 4 } else { 2 }).ok();
        work.notes = "Warm up with broad strokes first, then work slowly along the fibres; check in about \
                      pressure often and ease off where the client holds their breath, and note what eased."
            .chars()
            .take(200)
            .collect();
    }
    session
}

fn history(client: &Client, count: usize) -> Vec<Session> {
    (0..count)
        .map(|week| {
            let start = date(2024, 1, 1).at(10, 0, 0, 0).checked_add(jiff::Span::new().days(7 * week as i64));
            let mut session = plan(client, start.unwrap_or_default());
            session.status = SessionStatus::Completed;
            session.outcome = Some(Outcome {
                pain_before: Pain::new(6).ok(),
                pain_after: Pain::new(3).ok(),
                response: None,
                notes: String::new(),
            });
            session
        })
        .collect()
}

fn documents(c: &mut Criterion) {
    let settings = PracticeSettings::default();
    let ana = client("ana-lima", "Ana Lima");
    let session = plan(&ana, date(2026, 11, 30).at(9, 0, 0, 0));
    let printed_at = date(2026, 11, 30).at(8, 0, 0, 0);
    let sheet = SessionSheet {
        clinic_rules: &knotmap::model::ClinicRules::default(),
        settings: &settings,
        client: Some(&ana),
        session: &session,
        previous: None,
        source: Path::new("clients/ana-lima/sessions/s.ron"),
        printed_at,
        paper: PaperSize::A4,
    };
    c.bench_function("plan sheet: laid out and written as PDF", |b| {
        b.iter(|| {
            knotmap::print::plan_sheet(black_box(&sheet))
                .and_then(|printed| printed.pdf())
                .map(|pdf| pdf.len())
        })
    });
    let mut flagged = ana.clone();
    flagged.health_flags.insert(knotmap::model::HealthFlag::BloodThinners, Default::default());
    flagged.health_flags.insert(knotmap::model::HealthFlag::Osteoporosis, Default::default());
    let longest = longest_plan(&flagged, date(2026, 11, 30).at(9, 0, 0, 0));
    let hardest = SessionSheet { client: Some(&flagged), session: &longest, ..sheet };
    c.bench_function("plan sheet of the longest plan (12 regions, long notes, warnings)", |b| {
        b.iter(|| {
            knotmap::print::plan_sheet(black_box(&hardest))
                .and_then(|printed| printed.pdf())
                .map(|pdf| pdf.len())
        })
    });
    let sessions = history(&ana, 100);
    let input = ReportInput {
        settings: &settings,
        client: &ana,
        sessions: &sessions,
        range: ReportRange::default(),
        source: Path::new("clients/ana-lima"),
        printed_at,
        paper: PaperSize::A4,
    };
    c.bench_function("progress report of 100 sessions: laid out and written as PDF", |b| {
        b.iter(|| {
            knotmap::print::progress_report(black_box(&input))
                .and_then(|printed| printed.pdf())
                .map(|pdf| pdf.len())
        })
    });
    let plan_bytes = knotmap::print::plan_sheet(&sheet).and_then(|p| p.pdf()).map_or(0, |pdf| pdf.len());
    let report_bytes =
        knotmap::print::progress_report(&input).and_then(|p| p.pdf()).map_or(0, |pdf| pdf.len());
    println!(
        "plan sheet: {} KB; progress report of 100 sessions: {} KB",
        plan_bytes / 1024,
        report_bytes / 1024
    );
}

/// 100 clients with ten sessions each on one day, printed with
/// `knotmap print plan --day`: once, timed by the wall clock.
fn a_day_of_1000_plan_sheets() {
    let Ok(folder) = tempfile::tempdir() else { panic!("a temporary folder") };
    let root = folder.path().join("practice");
    let Ok(mut practice) = Practice::open_or_create(&root) else { panic!("a practice") };
    for number in 0..100 {
        let client = client(&format!("client-{number:03}"), &format!("Client {number:03}"));
        if practice.save_client(&client).is_err() {
            panic!("client saved");
        }
        for hour in 0..10 {
            let session = plan(&client, date(2026, 11, 30).at(8 + hour, 0, 0, 0));
            if practice.save_session(&session).is_err() {
                panic!("session saved");
            }
        }
    }
    let out = folder.path().join("out");
    let started = Instant::now();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_knotmap"))
        .args(["print", "plan", "--practice"])
        .arg(&root)
        .args(["--day", "2026-11-30", "--out-dir"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status();
    let elapsed = started.elapsed();
    let written = std::fs::read_dir(&out).map_or(0, |entries| entries.count());
    assert!(status.is_ok_and(|status| status.success()), "the command line printed the day");
    println!(
        "1,000 plan sheets of one day from the command line: {written} PDFs in {:.1} s",
        elapsed.as_secs_f64()
    );
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    documents(&mut criterion);
    criterion.final_summary();
    a_day_of_1000_plan_sheets();
}
