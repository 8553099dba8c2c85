//! The body map's speed: one whole frame of the map view (egui's pass plus
//! tessellation, headless) with every region filled and 200 marks, and the
//! hit-test behind every click.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use knotmap::geometry::BodyMap;
use knotmap::model::{
    ClientId, FindingKind, Layer, MapMark, MapPoint, Minutes, Pain, Pressure, RegionId, Session, SessionId,
    Tension,
};
use knotmap::ui::map::MapView;

/// A session with a value in every region and 200 marks spread over the back.
fn busy_session() -> Session {
    let start = jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0);
    let (Ok(client), Ok(minutes)) = (ClientId::new("bench-client"), Minutes::new(60)) else {
        panic!("valid bench constants");
    };
    let mut session = Session::new(client, start, minutes);
    if let Ok(id) = SessionId::new("2026-11-23-0930-bench") {
        session.id = id;
    }
    for (index, region) in RegionId::all().enumerate() {
        let work = session.region_mut(region);
        work.tension = Tension::new((index % 4) as i64).ok();
        work.pain = Pain::new((index % 11) as i64).ok();
        work.pressure = Pressure::new((index % 5 + 1) as i64).ok();
        work.findings = vec![FindingKind::ALL[index % FindingKind::ALL.len()]];
    }
    for index in 0..200 {
        let x = 0.3 + 0.4 * ((index * 37) % 100) as f32 / 100.0;
        let y = 0.2 + 0.6 * ((index * 53) % 100) as f32 / 100.0;
        session.marks.push(MapMark {
            at: MapPoint::clamped(x, y),
            kind: FindingKind::ALL[index % FindingKind::ALL.len()],
            note: String::new(),
        });
    }
    session
}

fn raw_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
        ..Default::default()
    }
}

fn map_frame(c: &mut Criterion) {
    let ctx = egui::Context::default();
    let mut view = MapView::default();
    let mut session = busy_session();
    // The first pass builds the cached meshes and lays out fonts; a real app pays that once.
    let _ = ctx.run_ui(raw_input(), |ui| {
        view.ui(ui, &mut session, false);
    });
    c.bench_function("map_view_frame_all_regions_200_marks", |b| {
        b.iter(|| {
            let output = ctx.run_ui(raw_input(), |ui| {
                view.ui(ui, &mut session, false);
            });
            black_box(ctx.tessellate(output.shapes, output.pixels_per_point))
        })
    });
}

fn hit_test(c: &mut Criterion) {
    let Ok(map) = BodyMap::standard() else { panic!("the body map asset loads") };
    let points: Vec<[f32; 2]> =
        (0..64).map(|i| [0.25 + 0.5 * (i % 8) as f32 / 8.0, 0.1 + 0.8 * (i / 8) as f32 / 8.0]).collect();
    let mut next = 0;
    c.bench_function("hit_test_one_click", |b| {
        b.iter(|| {
            next = (next + 1) % points.len();
            black_box(map.region_at(black_box(points[next]), Layer::Superficial))
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = map_frame, hit_test
}
criterion_main!(benches);
