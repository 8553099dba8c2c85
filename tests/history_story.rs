//! A therapist reviews a client's history in the app: two sessions compared
//! region by region, where tension keeps coming back, and the timeline. Nothing
//! in the history edits a record.

use crate::stories;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui_kittest::kittest::{NodeT, Queryable};
use knotmap::model::{Client, ClientId, EnteredInError, Minutes, RegionId, Session, SessionStatus, Tension};
use knotmap::storage::Practice;
use knotmap::ui::widgets::file_dialog::ScriptedDialogs;
use stories::{App, open_client, press};

/// A completed session on `day` of November 2026 with (region, tension).
fn done(client: &Client, day: i8, tension: &[(RegionId, i64)]) -> Session {
    let start = jiff::civil::date(2026, 11, day).at(9, 0, 0, 0);
    let mut session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
    for &(region, value) in tension {
        session.region_mut(region).tension = Tension::new(value).ok();
    }
    session.status = SessionStatus::Completed;
    session
}

/// Ana's four sessions: her left upper trapezius eases from 3 to 1, her right
/// low back tightens from 1 to 3, and her left rhomboids are tense in three of
/// the four. A fifth, entered in error, says everything was severe.
fn practice(folder: &Path) -> (PathBuf, Vec<Session>) {
    let root = folder.join("practice");
    let mut practice = Practice::open_or_create(&root).expect("practice");
    let mut ana = Client::new("Ana Lima");
    ana.id = ClientId::new("ana-lima").expect("id");
    practice.save_client(&ana).expect("saved");
    use RegionId::{LumbarR, RhomboidsL, UpperTrapeziusL};
    let mut sessions = vec![
        done(&ana, 2, &[(UpperTrapeziusL, 3), (LumbarR, 1), (RhomboidsL, 2)]),
        done(&ana, 9, &[(UpperTrapeziusL, 3), (LumbarR, 1), (RhomboidsL, 2)]),
        done(&ana, 16, &[(UpperTrapeziusL, 2), (LumbarR, 1), (RhomboidsL, 1)]),
        done(&ana, 20, &[(UpperTrapeziusL, 1), (LumbarR, 3), (RhomboidsL, 2)]),
    ];
    let mut wrong = done(&ana, 21, &[(UpperTrapeziusL, 3), (LumbarR, 3), (RhomboidsL, 3)]);
    wrong.entered_in_error = Some(EnteredInError {
        reason: "Another client's chart".into(),
        therapist: "Mira Santos".into(),
        marked_at: jiff::civil::date(2026, 11, 21).at(12, 0, 0, 0),
    });
    sessions.push(wrong);
    for session in &sessions {
        practice.save_session(session).expect("saved");
    }
    (root, sessions)
}

fn history_of_ana(root: &Path) -> App {
    let mut harness = stories::app_on(root, Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Ana Lima");
    press(&mut harness, "History…");
    harness
}

fn tab(harness: &mut App, name: &str) {
    harness.get_by_label(name).click();
    harness.run_steps(3);
}

#[test]
fn comparing_the_latest_session_with_the_one_before_shows_the_left_upper_trapezius_better_and_the_right_low_back_worse()
 {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice(folder.path());
    let mut harness = history_of_ana(&root);
    tab(&mut harness, "Compare");

    assert!(harness.query_by_label("Before: 16 Nov 2026").is_some(), "the one before is compared by default");
    assert!(
        harness.query_by_label("After: 20 Nov 2026").is_some(),
        "the session entered in error is left out"
    );
    assert!(harness.query_by_label("▼ better: Upper trapezius, client's left, 2 → 1").is_some());
    assert!(harness.query_by_label("▲ worse: Thoracolumbar fascia, client's right, 1 → 3").is_some());
    assert!(harness.query_by_label("▲ worse: Rhomboids, client's left, 1 → 2").is_some());
    assert!(harness.query_by_label("3 regions changed").is_some(), "the rhomboids went from 1 to 2 as well");
}

/// What a screen reader gets for the map named `name`: its value, and the same
/// words as its description (all that Linux's screen readers are passed).
fn map_said(harness: &App, name: &str) -> String {
    let map = harness.get_by_label(name);
    let node = map.accesskit_node();
    assert_eq!(node.description(), node.value(), "{name}");
    node.value().unwrap_or_default().to_owned()
}

#[test]
fn a_screen_reader_hears_every_map_of_the_history_region_by_region() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice(folder.path());
    let mut harness = history_of_ana(&root);
    tab(&mut harness, "Compare");
    let changed = map_said(&harness, "What changed map");
    assert!(changed.contains("Upper trapezius, client's left: better"), "{changed}");
    assert!(changed.contains("Thoracolumbar fascia, client's right: worse"), "{changed}");
    let after = map_said(&harness, "After: 20 Nov 2026 map");
    assert!(after.contains("Upper trapezius, client's left: tension 1 mild"), "{after}");

    tab(&mut harness, "Where it comes back");
    let often = map_said(&harness, "How often map");
    assert!(often.contains("Rhomboids, client's left: 75% of sessions"), "{often}");

    tab(&mut harness, "Timeline");
    let small = map_said(&harness, "Map of 20 Nov 2026");
    assert!(small.contains("Thoracolumbar fascia, client's right: tension 3 severe"), "{small}");
}

#[test]
fn a_region_tense_in_three_of_four_sessions_comes_back_75_percent_of_the_time_and_the_error_is_not_counted() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice(folder.path());
    let mut harness = history_of_ana(&root);
    tab(&mut harness, "Where it comes back");

    assert!(harness.query_by_label("4 sessions in the period").is_some());
    assert!(harness.query_by_label("Rhomboids, client's left: 75% of sessions").is_some());
    assert!(harness.query_by_label("Upper trapezius, client's left: 75% of sessions").is_some());
    assert!(harness.query_by_label("Thoracolumbar fascia, client's right: 25% of sessions").is_some());
}

#[test]
fn the_timeline_lists_every_session_with_its_status_and_opens_one_without_changing_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, sessions) = practice(folder.path());
    let before: Vec<String> = sessions
        .iter()
        .map(|s| {
            std::fs::read_to_string(Practice::open(&root).expect("opens").session_path(&s.client, &s.id))
                .expect("reads")
        })
        .collect();
    let mut harness = history_of_ana(&root);

    assert!(harness.query_by_label("Mon 2 Nov 2026, 09:00").is_some());
    assert!(harness.query_by_label("Fri 20 Nov 2026, 09:00").is_some());
    assert!(harness.query_by_label("entered in error · 3 regions").is_some());
    assert!(harness.query_by_label("4 days after the one before").is_some(), "16 to 20 November");
    let latest = harness.get_by_label("Fri 20 Nov 2026, 09:00").rect();
    let first = harness.get_by_label("Mon 2 Nov 2026, 09:00").rect();
    assert!(latest.top() < first.top(), "the latest session comes first");
    harness.get_by_label("Open the session of 20 Nov 2026").click();
    harness.run_steps(3);
    // The session comes forward: the History window closes and says where it went.
    assert!(harness.query_by_label_contains("Opened the session of 20 November 2026").is_some());
    assert!(harness.query_by_label("Open the session of 16 Nov 2026").is_none(), "History is closed");
    stories::let_it_save(&mut harness);

    let after: Vec<String> = sessions
        .iter()
        .map(|s| {
            std::fs::read_to_string(Practice::open(&root).expect("opens").session_path(&s.client, &s.id))
                .expect("reads")
        })
        .collect();
    assert_eq!(before, after, "looking at the history changes no record");
}

#[test]
fn the_trend_of_a_region_has_one_point_per_session_that_recorded_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice(folder.path());
    let mut harness = history_of_ana(&root);
    tab(&mut harness, "Trends");
    harness.get_by_label("Trend of").click();
    harness.run_steps(3);
    // The list's entry, drawn over the map's region of the same name.
    harness.get_all_by_label("Upper trapezius, client's left").last().expect("in the list").click();
    harness.run_steps(3);

    assert!(harness.query_by_label("Upper trapezius, client's left: 4 sessions, from 3 to 1").is_some());
    tab(&mut harness, "Pain");
    assert!(
        harness.query_by_label_contains("Upper trapezius, client's left: ").is_none(),
        "no pain was recorded there"
    );
}

#[test]
fn the_planning_screen_says_how_things_stand_since_the_first_visit() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice(folder.path());
    let mut harness = stories::app_on(&root, Arc::new(ScriptedDialogs::default()));
    open_client(&mut harness, "Ana Lima");
    assert!(
        harness.query_by_label("Since the first visit (2 Nov 2026): 3 → 3 regions with tension").is_some(),
        "the session entered in error (everything severe) does not count"
    );
}

#[test]
fn hovering_a_region_of_the_change_map_shows_both_values() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice(folder.path());
    let mut harness = history_of_ana(&root);
    tab(&mut harness, "Compare");

    // The maps stand side by side under their captions; the third is the change map.
    let before = harness.get_by_label("Before: 16 Nov 2026").rect();
    let after = harness.get_by_label("After: 20 Nov 2026").rect();
    let changed = harness.get_by_label("What changed").rect();
    let width = after.left() - before.left() - 8.0;
    let map_rect = egui::Rect::from_min_size(
        egui::pos2(changed.left(), changed.bottom() + 3.0),
        egui::vec2(width, width * 290.0 / 210.0),
    );
    // Where the left upper trapezius's label point is drawn, as the map fits the body into its box.
    let map = knotmap::geometry::BodyMap::standard().expect("the map");
    let [min, max] = knotmap::figure::content_in_map(map);
    let fit = (map_rect.width() / (max[0] - min[0])).min(map_rect.height() / (max[1] - min[1]));
    let point = map.region(RegionId::UpperTrapeziusL).label_point;
    let centre = [(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0];
    let at = map_rect.center() + egui::vec2((point[0] - centre[0]) * fit, (point[1] - centre[1]) * fit);

    harness.hover_at(at);
    harness.run_steps(60);
    assert!(
        harness.query_by_label("Upper trapezius, client's left: 2 → 1 (▼ better)").is_some(),
        "hovering the change map at {at:?} shows both values"
    );
}

#[test]
fn a_year_of_weekly_sessions_can_be_narrowed_to_the_last_three_months_for_every_tab() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    let mut practice = Practice::open_or_create(&root).expect("practice");
    let mut ana = Client::new("Ana Lima");
    ana.id = ClientId::new("ana-lima").expect("id");
    practice.save_client(&ana).expect("saved");
    // Weekly from 1 December 2025 to 16 November 2026: 51 sessions.
    let first = jiff::civil::date(2025, 12, 1);
    for week in 0..51 {
        let day = first.checked_add(jiff::Span::new().weeks(week)).expect("a day");
        let mut session =
            Session::new(ana.id.clone(), day.at(9, 0, 0, 0), Minutes::new(60).expect("minutes"));
        session.region_mut(RegionId::UpperTrapeziusL).tension =
            Tension::new(if week % 2 == 0 { 3 } else { 1 }).ok();
        session.status = SessionStatus::Completed;
        practice.save_session(&session).expect("saved");
    }
    let mut harness = history_of_ana(&root);
    tab(&mut harness, "Trends");
    assert!(harness.query_by_label_contains("Shoulder: 51 sessions").is_some(), "all of them at first");

    harness.get_by_label("Last 3 months").click();
    harness.run_steps(3);
    // 16 August to 16 November: 14 weekly sessions.
    assert!(
        harness.query_by_label_contains("Shoulder: 14 sessions").is_some(),
        "the trend keeps to the period"
    );
    tab(&mut harness, "Where it comes back");
    assert!(harness.query_by_label("14 sessions in the period").is_some(), "so does where it comes back");
    assert!(
        harness.get_by_label("Last 3 months").accesskit_node().toggled()
            == Some(egui::accesskit::Toggled::True)
    );
    harness.get_by_label("All").click();
    harness.run_steps(3);
    tab(&mut harness, "Timeline");
    assert!(harness.query_by_label("2026").is_some(), "the year of the rows in sight stands above them");
}

#[test]
fn a_keyboard_user_walks_the_trend_points_as_a_table_and_opens_the_peak_session_with_enter() {
    use egui::Key;
    use egui::accesskit::Role;
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice(folder.path());
    let mut harness = history_of_ana(&root);
    tab(&mut harness, "Trends");
    let unnamed = harness
        .query_all_by(|node| node.data().supports_action(egui::accesskit::Action::Focus))
        .filter(|node| node.accesskit_node().label().is_none())
        .count();
    assert_eq!(unnamed, 0, "every Tab stop of the tab has a name");
    assert!(harness.query_by_label_contains("Chart of tension by area").is_some(), "the chart is named");

    stories::tab_to(&mut harness, "The points as a table");
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let table = harness.get_by_role_and_label(Role::Table, "Points of the chart");
    let rows = table.children().filter(|row| row.accesskit_node().role() == Role::Row).count();
    assert_eq!(rows, 1 + 4, "a heading row and the four sessions that count (not the one entered in error)");
    assert!(harness.query_by_label("Date").is_some());

    // The right low back's peak of 3 on 20 November, which the averaged line hides.
    stories::tab_to(&mut harness, "Open the session of 20 Nov 2026");
    let said = stories::focused_label(&harness).unwrap_or_default();
    assert!(said.contains("Lower back 3"), "the row says its values: {said}");
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert!(harness.query_by_label_contains("Opened the session of 20 November 2026").is_some());
}
