//! Pictures of the body map, compared pixel by pixel with the ones committed
//! under tests/snapshots: the superficial and deep layers, with values and
//! marks, in the light and the dark theme, at 1x and 2x.
//!
//! Rendered on the CPU (Mesa's software renderer), so no GPU is needed. After a
//! deliberate change to the look, run `UPDATE_SNAPSHOTS=1 cargo test --test
//! map_snapshots`, look at the new pictures, and commit them. Without any renderer
//! (a fresh machine without Mesa) they are skipped with a line saying what to
//! install, except in CI (`CI` set), where they must run.

use std::io::Write as _;
use std::sync::OnceLock;

use egui_kittest::Harness;
use knotmap::legend::FillMode;
use knotmap::model::{
    ClientId, FindingKind, MapMark, MapPoint, Minutes, Pain, Pressure, RegionId, Session, SessionId, Tension,
};
use knotmap::ui::map::{LayerView, MapView};

/// A session as a therapist leaves it after intake: tension on the neck and
/// shoulders, a sore low back, and a few findings placed on the map.
fn marked_session() -> Session {
    let start = jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0);
    let mut session = Session::new(
        ClientId::new("snapshot-client").expect("valid id"),
        start,
        Minutes::new(60).expect("valid minutes"),
    );
    session.id = SessionId::new("2026-11-23-0930-snap").expect("valid id");
    let entries = [
        (RegionId::UpperTrapeziusR, 3, 6, 4),
        (RegionId::UpperTrapeziusL, 2, 4, 3),
        (RegionId::NeckR, 2, 5, 3),
        (RegionId::LevatorScapulaeR, 3, 7, 3),
        (RegionId::RhomboidsL, 1, 2, 4),
        (RegionId::LumbarL, 2, 3, 4),
        (RegionId::QuadratusLumborumL, 3, 6, 3),
    ];
    for (region, tension, pain, pressure) in entries {
        let work = session.region_mut(region);
        work.tension = Tension::new(tension).ok();
        work.pain = Pain::new(pain).ok();
        work.pressure = Pressure::new(pressure).ok();
    }
    session.region_mut(RegionId::UpperTrapeziusR).findings = vec![FindingKind::TriggerPoint];
    for (x, y, kind) in [
        (0.61, 0.30, FindingKind::TriggerPoint),
        (0.44, 0.66, FindingKind::Tenderness),
        (0.56, 0.45, FindingKind::Avoid),
        (0.62, 0.23, FindingKind::ReferredPain),
    ] {
        session.marks.push(MapMark { at: MapPoint::clamped(x, y), kind, note: String::new() });
    }
    session
}

/// Whether the pictures can be drawn here, asked the way egui_kittest will ask;
/// else whether they must be drawn anyway, because this is CI. A developer
/// without Mesa is told once what to install, and the pictures are skipped.
fn renderer_found_or_required() -> bool {
    static FOUND: OnceLock<bool> = OnceLock::new();
    let found = *FOUND.get_or_init(|| {
        let setup = egui_kittest::wgpu::default_wgpu_setup();
        let instance = pollster::block_on(setup.new_instance());
        let config = egui_wgpu::WgpuConfiguration { wgpu_setup: setup, ..Default::default() };
        let options = egui_wgpu::RendererOptions::PREDICTABLE;
        let found = pollster::block_on(egui_wgpu::RenderState::create(&config, &instance, None, options)).is_ok();
        if !found && std::env::var_os("CI").is_none() {
            // Straight to stderr: the test harness hides what a passing test prints.
            let _ = writeln!(
                std::io::stderr(),
                "map_snapshots: skipped, no renderer found; for the pictures: sudo apt-get install libegl1 libgl1-mesa-dri"
            );
        }
        found
    });
    found || std::env::var_os("CI").is_some()
}

fn snapshot(name: &str, theme: egui::Theme, layer_view: LayerView, fill: FillMode, pixels_per_point: f32) {
    if !renderer_found_or_required() {
        return;
    }
    let mut view = MapView::default();
    view.layer_view = layer_view;
    view.fill = fill;
    view.show_caution_zones = true;
    let mut harness = Harness::builder()
        .with_size(egui::vec2(900.0, 760.0))
        .with_theme(theme)
        .with_pixels_per_point(pixels_per_point)
        .build_ui_state(
            |ui, (view, session): &mut (MapView, Session)| {
                view.ui(ui, session, false);
            },
            (view, marked_session()),
        );
    harness.run();
    harness.snapshot(name);
}

#[test]
fn superficial_layer_with_tension_in_the_dark_theme() {
    snapshot(
        "map_superficial_tension_dark",
        egui::Theme::Dark,
        LayerView::Superficial,
        FillMode::Tension,
        1.0,
    );
}

#[test]
fn superficial_layer_with_pressure_in_the_light_theme() {
    snapshot(
        "map_superficial_pressure_light",
        egui::Theme::Light,
        LayerView::Superficial,
        FillMode::Pressure,
        1.0,
    );
}

#[test]
fn deep_layer_with_pain_in_the_light_theme() {
    snapshot("map_deep_pain_light", egui::Theme::Light, LayerView::Deep, FillMode::Pain, 1.0);
}

#[test]
fn both_layers_at_twice_the_scale_in_the_dark_theme() {
    snapshot("map_both_tension_dark_2x", egui::Theme::Dark, LayerView::Both, FillMode::Tension, 2.0);
}

/// Four completed weekly sessions: the left upper trapezius eases from 3 to 1,
/// the right low back tightens from 1 to 3, the left rhomboids stay tense.
fn four_sessions() -> Vec<Session> {
    let steps = [(3, 1, 2), (3, 1, 2), (2, 1, 1), (1, 3, 2)];
    steps
        .iter()
        .enumerate()
        .map(|(week, &(trapezius, low_back, rhomboids))| {
            let start = jiff::civil::date(2026, 11, 2)
                .at(9, 0, 0, 0)
                .checked_add(jiff::Span::new().days(7 * week as i64));
            let mut session = Session::new(
                ClientId::new("snapshot-client").expect("valid id"),
                start.expect("a date"),
                Minutes::new(60).expect("valid minutes"),
            );
            session.id = SessionId::new(format!("2026-11-0{week}-0900-snap")).expect("valid id");
            for (region, tension) in [
                (RegionId::UpperTrapeziusL, trapezius),
                (RegionId::LumbarR, low_back),
                (RegionId::RhomboidsL, rhomboids),
            ] {
                session.region_mut(region).tension = Tension::new(tension).ok();
            }
            session.status = knotmap::model::SessionStatus::Completed;
            session
        })
        .collect()
}

fn history_snapshot(name: &str, tab: knotmap::ui::history::HistoryTab, size: egui::Vec2) {
    if !renderer_found_or_required() {
        return;
    }
    let window = knotmap::ui::history::HistoryWindow::on(tab);
    let mut harness = Harness::builder().with_size(size).with_theme(egui::Theme::Light).build_ui_state(
        |ui, (window, sessions, fonts): &mut (knotmap::ui::history::HistoryWindow, Vec<Session>, bool)| {
            // The app's fonts first, as the app installs them before its first frame.
            if !*fonts {
                knotmap::ui::widgets::fonts::install_fallback_fonts(ui.ctx());
                *fonts = true;
                return;
            }
            window.ui(ui.ctx(), "Ana Lima", sessions);
        },
        (window, four_sessions(), false),
    );
    harness.run();
    harness.snapshot(name);
}

#[test]
fn comparing_two_sessions_at_1280_by_800() {
    history_snapshot(
        "history_compare_1280",
        knotmap::ui::history::HistoryTab::Compare,
        egui::vec2(1280.0, 800.0),
    );
}

#[test]
fn where_tension_comes_back_at_1024_by_700() {
    history_snapshot(
        "history_recurrence_1024",
        knotmap::ui::history::HistoryTab::Recurrence,
        egui::vec2(1024.0, 700.0),
    );
}
