//! A client's history with 500 sessions (ten years of weekly visits): every
//! series and the recurrence computed, the history window's first frame, and a
//! frame of its trends (egui's pass plus tessellation, headless).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use knotmap::history::{History, Measure};
use knotmap::model::{
    ClientId, CoarseArea, Minutes, Outcome, Pain, RegionId, Session, SessionStatus, Tension,
};
use knotmap::ui::history::{HistoryTab, HistoryWindow};

fn sessions(count: usize) -> Vec<Session> {
    let (Ok(client), Ok(minutes)) = (ClientId::new("bench-client"), Minutes::new(60)) else {
        panic!("valid bench constants");
    };
    (0..count)
        .map(|week| {
            let start = jiff::civil::date(2016, 1, 4)
                .at(10, 0, 0, 0)
                .checked_add(jiff::Span::new().days(7 * week as i64));
            let mut session = Session::new(client.clone(), start.unwrap_or_default(), minutes);
            for (index, region) in RegionId::all().enumerate().filter(|(index, _)| (index + week) % 3 == 0) {
                let work = session.region_mut(region);
                work.tension = Tension::new(((index + week) % 4) as i64).ok();
                work.pain = Pain::new(((index * 3 + week) % 11) as i64).ok();
            }
            session.outcome = Some(Outcome {
                pain_before: Pain::new(6).ok(),
                pain_after: Pain::new(3).ok(),
                response: None,
                notes: String::new(),
            });
            session.status = SessionStatus::Completed;
            session
        })
        .collect()
}

fn computations(c: &mut Criterion) {
    let sessions = sessions(500);
    c.bench_function("history of 500 sessions: every series and the recurrence", |b| {
        b.iter(|| {
            let history = History::of(black_box(&sessions));
            let mut points = 0;
            for measure in Measure::ALL {
                for region in RegionId::all() {
                    points += history.region_series(measure, region).len();
                }
                for area in CoarseArea::ALL {
                    points += history.area_series(measure, area).len();
                }
                points += history.average_map(measure).len();
            }
            points += history.pain_around_sessions().len();
            black_box((points, history.recurrence(), history.cadence_days()))
        })
    });
}

fn raw_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
        ..Default::default()
    }
}

fn frames(c: &mut Criterion) {
    let sessions = sessions(500);
    // The app's context is warm (fonts laid out) when the window opens; the window is new.
    let warm = egui::Context::default();
    let _ = warm.run_ui(raw_input(), |ui| {
        HistoryWindow::on(HistoryTab::Compare).ui(ui.ctx(), "Bench Client", &sessions);
    });
    c.bench_function("history window of 500 sessions: opened, first two frames (timeline)", |b| {
        b.iter(|| {
            let mut window = HistoryWindow::on(HistoryTab::Timeline);
            for _ in 0..2 {
                let output = warm.run_ui(raw_input(), |ui| {
                    window.ui(ui.ctx(), "Bench Client", &sessions);
                });
                black_box(warm.tessellate(output.shapes, output.pixels_per_point));
            }
        })
    });
    let ctx = egui::Context::default();
    let mut window = HistoryWindow::on(HistoryTab::Trends);
    let _ = ctx.run_ui(raw_input(), |ui| {
        window.ui(ui.ctx(), "Bench Client", &sessions);
    });
    c.bench_function("history window of 500 sessions: a frame of the trends", |b| {
        b.iter(|| {
            let output = ctx.run_ui(raw_input(), |ui| {
                window.ui(ui.ctx(), "Bench Client", &sessions);
            });
            black_box(ctx.tessellate(output.shapes, output.pixels_per_point))
        })
    });
}

/// A frame of the client screen (the session on the map, the list, the profile)
/// for a client with `count` sessions: what each frame costs while planning.
fn client_screen(c: &mut Criterion, count: usize) {
    let Ok(folder) = tempfile::tempdir() else { panic!("a temporary folder") };
    let root = folder.path().join("practice");
    let Ok(mut practice) = knotmap::storage::Practice::open_or_create(&root) else { panic!("a practice") };
    let mut client = knotmap::model::Client::new("Bench Client");
    if let Ok(id) = ClientId::new("bench-client") {
        client.id = id;
    }
    let saved = practice.save_client(&client).is_ok()
        && sessions(count).iter().all(|session| practice.save_session(session).is_ok());
    assert!(saved, "the bench's practice is written");
    let places = knotmap::ui::Places {
        sample_practice: root.with_extension("sample"),
        printed: root.with_extension("printed"),
        recovery: root.with_extension("recovery"),
        laptop_pin: root.with_extension("pin.ron"),
    };
    let clock = Box::new(|| jiff::civil::date(2026, 11, 30).at(9, 0, 0, 0));
    let mut app = knotmap::ui::KnotmapApp::new(practice, places, clock);
    app.apply(knotmap::ui::app::command::Command::SelectClient(client.id.clone()));
    let ctx = egui::Context::default();
    let _ = ctx.run_ui(raw_input(), |ui| app.ui(ui));
    c.bench_function(&format!("client screen of {count} sessions: a frame"), |b| {
        b.iter(|| {
            let output = ctx.run_ui(raw_input(), |ui| app.ui(ui));
            black_box(ctx.tessellate(output.shapes, output.pixels_per_point))
        })
    });
}

fn client_screens(c: &mut Criterion) {
    client_screen(c, 5);
    client_screen(c, 500);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = computations, frames, client_screens
}
criterion_main!(benches);
