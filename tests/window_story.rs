//! Stories of the app in a small window (1024×700, a laptop's), with long
//! names, dates picked and mistyped, and the map driven from the keyboard.
//! Through the real app, on a real practice folder, read through the
//! accessibility tree as a screen reader would.

use crate::stories;

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui::{Key, Modifiers, Rect, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use knotmap::geometry::BodyMap;
use knotmap::legend::{CLIENT_LEFT, CLIENT_RIGHT, FillMode};
use knotmap::model::{Client, Layer, Minutes, REGIONS, Session};
use knotmap::storage::Practice;
use knotmap::ui::map::LayerView;
use knotmap::ui::{KnotmapApp, Places};

/// A name of exactly 200 characters, as a family might want it written.
fn long_name() -> String {
    let name = "Maria Fernanda de los Ángeles Lopez Garcia y Montenegro, called Marifé by all at the harbour, \
                who asked for every one of her names on every page, as her passport has them, and then some";
    let mut name: String = name.chars().chain([' ']).cycle().take(200).collect();
    name.truncate(name.trim_end().len());
    assert!(name.chars().count() >= 195);
    name
}

/// A practice with a client for each name, each with one session planned for today.
fn practice_with(folder: &Path, names: &[&str]) -> (PathBuf, Vec<Client>) {
    let root = folder.join("practice");
    let mut practice = Practice::open_or_create(&root).expect("practice");
    let clients: Vec<Client> = names.iter().map(|&name| Client::new(name)).collect();
    for client in &clients {
        practice.save_client(client).expect("client saved");
        let start = jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0);
        let session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
        practice.save_session(&session).expect("session saved");
    }
    (root, clients)
}

fn app_on(root: &Path, size: egui::Vec2) -> Harness<'static, KnotmapApp> {
    app_with(root, Harness::builder().with_size(size))
}

/// For the stories that open a calendar: egui_extras's calendar gives its year,
/// month and day lists no names a screen reader could read (its own gap, not
/// one Knotmap can fill), which the harness's check would otherwise refuse.
fn app_with_calendar(root: &Path) -> Harness<'static, KnotmapApp> {
    app_with(root, Harness::builder().with_size(laptop()).with_accessibility_check(false))
}

fn app_with(root: &Path, builder: egui_kittest::HarnessBuilder<KnotmapApp>) -> Harness<'static, KnotmapApp> {
    let practice = Practice::open(root).expect("practice opens");
    let places = Places {
        sample_practice: root.with_extension("sample"),
        printed: root.with_extension("printed"),
        recovery: root.with_extension("recovery"),
        laptop_pin: root.with_extension("pin.ron"),
    };
    let clock = Box::new(|| jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0));
    let app = KnotmapApp::new(practice, places, clock).without_waking();
    let mut harness = builder.build_ui_state(|ui, app: &mut KnotmapApp| app.ui(ui), app);
    // The fonts the app installs when it starts.
    knotmap::ui::widgets::fonts::install_fallback_fonts(&harness.ctx);
    harness.run();
    stories::until_the_watcher_started(&mut harness);
    harness
}

fn laptop() -> egui::Vec2 {
    vec2(1024.0, 700.0)
}

fn open_client(harness: &mut Harness<'static, KnotmapApp>, name: &str) {
    harness.get_all_by_label(name).next().expect("the client in the list").click();
    harness.run();
    // Today's screening is not what these stories are about.
    if harness.query_by_role_and_label(Role::Button, "Skip screening").is_some() {
        harness.get_by_role_and_label(Role::Button, "Skip screening").click();
        harness.run();
    }
}

fn click(harness: &mut Harness<'static, KnotmapApp>, name: &str) {
    harness.get_by_label(name).click();
    harness.run();
}

fn press(harness: &mut Harness<'static, KnotmapApp>, key: Key) {
    harness.key_press(key);
    harness.run();
}

/// Chooses `item` in the list that is open.
fn choose(harness: &mut Harness<'static, KnotmapApp>, item: &str) {
    harness.get_by_role_and_label(Role::Button, item).scroll_to_me();
    harness.run();
    harness.get_by_role_and_label(Role::Button, item).click();
    harness.run();
}

/// Replaces what the field named `label` holds with `text`.
fn retype(harness: &mut Harness<'static, KnotmapApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(label).type_text(text);
    harness.run();
}

fn field_text(harness: &Harness<'static, KnotmapApp>, label: &str) -> String {
    harness.get_by_label(label).value().unwrap_or_default()
}

fn read_client(root: &Path, client: &Client) -> Client {
    let practice = Practice::open(root).expect("practice");
    practice.client(&client.id).expect("the client is there").client.clone()
}

fn read_session(root: &Path, client: &Client) -> Session {
    let mut practice = Practice::open(root).expect("practice");
    practice.read_sessions(&client.id).into_iter().next().expect("the client's session")
}

fn let_it_save(harness: &mut Harness<'static, KnotmapApp>) {
    harness.run_steps(8);
    stories::wait_for_the_writer(harness);
}

/// The body's midline on the screen, from the map as it was last drawn.
fn midline_on_screen(harness: &Harness<'static, KnotmapApp>) -> f32 {
    let view = harness.state().map_view();
    let canvas = view.canvas().expect("the map was drawn");
    let bounds = BodyMap::standard().expect("the body map").silhouette.bounds();
    let middle = [(bounds.min[0] + bounds.max[0]) / 2.0, (bounds.min[1] + bounds.max[1]) / 2.0];
    view.screen_pos(canvas, middle).x
}

fn side_label_rects(harness: &Harness<'static, KnotmapApp>) -> (Rect, Rect) {
    (harness.get_by_label(CLIENT_LEFT).rect(), harness.get_by_label(CLIENT_RIGHT).rect())
}

fn assert_beside_their_sides(harness: &Harness<'static, KnotmapApp>, when: &str) {
    let (left, right) = side_label_rects(harness);
    let midline = midline_on_screen(harness);
    assert!(left.right() < midline, "{when}: CLIENT'S LEFT {left:?} reaches past the midline at {midline}");
    assert!(
        right.left() > midline,
        "{when}: CLIENT'S RIGHT {right:?} starts before the midline at {midline}"
    );
    assert!(!left.intersects(right), "{when}: the side labels overlap: {left:?} {right:?}");
    let canvas = harness.state().map_view().canvas().expect("the map was drawn");
    assert!(canvas.contains_rect(left) && canvas.contains_rect(right), "{when}: a side label left the map");
}

#[test]
fn in_a_laptop_window_the_side_labels_stay_beside_their_sides_at_every_zoom() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice_with(folder.path(), &["Ana Lima"]);
    let mut harness = app_on(&root, laptop());
    open_client(&mut harness, "Ana Lima");

    assert_beside_their_sides(&harness, "1024×700");
    for step in 1..=4 {
        click(&mut harness, "Zoom in");
        assert_beside_their_sides(&harness, &format!("zoomed in {step} times"));
    }
    click(&mut harness, "Fit");
    press(&mut harness, Key::F9);
    assert_beside_their_sides(&harness, "1024×700 with the lists hidden");

    let mut roomy = app_on(&root, vec2(1280.0, 800.0));
    open_client(&mut roomy, "Ana Lima");
    assert_beside_their_sides(&roomy, "1280×800");
}

#[test]
fn a_200_character_name_leaves_the_trash_windows_restore_button_in_sight() {
    let folder = tempfile::tempdir().expect("temp dir");
    let name = long_name();
    let (root, clients) = practice_with(folder.path(), &[&name, "Ana Lima"]);
    Practice::open(&root).expect("practice").trash_client(&clients[0].id).expect("trashed");
    let mut harness = app_on(&root, laptop());

    click(&mut harness, "File");
    click(&mut harness, "Trash…");
    let screen = Rect::from_min_size(egui::Pos2::ZERO, laptop());
    let restore = harness.get_by_role_and_label(Role::Button, "Restore").rect();
    assert!(screen.contains_rect(restore), "Restore is at {restore:?}, off the 1024×700 window");

    let whole = format!("Client {name}, moved ");
    let line = harness.get_by_label_contains(&whole);
    assert!(screen.contains_rect(line.rect()), "the line {:?} runs off the window", line.rect());
    assert!(line.rect().right() <= restore.left(), "the name runs under Restore");

    click(&mut harness, "Restore");
    assert!(harness.query_all_by_label(&name).next().is_some(), "the client is back in the list");
}

#[test]
fn a_200_character_name_is_shortened_in_the_list_and_headings_and_whole_on_hover() {
    let folder = tempfile::tempdir().expect("temp dir");
    let name = long_name();
    let (root, _) = practice_with(folder.path(), &[&name]);
    let mut harness = app_on(&root, laptop());
    open_client(&mut harness, &name);

    let screen = Rect::from_min_size(egui::Pos2::ZERO, laptop());
    let in_list = harness.get_by_role_and_label(Role::Button, &name).rect();
    assert!(in_list.right() <= 480.0, "the list's row is {in_list:?}, wider than the list");
    let heading_name = format!("{name}: session of 23 November 2026");
    let heading = harness.get_by_label(&heading_name);
    let heading_rect = heading.rect();
    assert!(screen.contains_rect(heading_rect), "the session's heading {heading_rect:?} runs off the window");
    assert!(heading_rect.height() < 40.0, "the heading is one line, not a wall of name: {heading_rect:?}");
    for profile in harness.get_all_by_role_and_label(Role::Label, &name) {
        assert!(screen.contains_rect(profile.rect()), "a label of the name runs off: {:?}", profile.rect());
    }
    let new_session = harness.get_by_role_and_label(Role::Button, "New session").rect();
    assert!(screen.contains_rect(new_session), "New session is pushed off: {new_session:?}");

    harness.get_by_label(&format!("{name}: session of 23 November 2026")).hover();
    harness.run();
    let tooltips = harness.query_all_by_label(&format!("{name}: session of 23 November 2026")).count();
    assert!(tooltips >= 2, "hovering the heading shows the whole name");
}

#[test]
fn a_mistyped_date_of_birth_stays_with_a_plain_message_until_it_is_corrected() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, clients) = practice_with(folder.path(), &["Ana Lima"]);
    let mut harness = app_on(&root, laptop());
    open_client(&mut harness, "Ana Lima");

    retype(&mut harness, "Date of birth", "31/02/1980");
    press(&mut harness, Key::Tab);
    let message = "31/02/1980 is not a date: write it as YYYY-MM-DD, e.g. 1980-02-29";
    assert_eq!(field_text(&harness, "Date of birth"), "31/02/1980", "Tab kept what was typed");
    let shown = harness.get_by_label(message).rect();
    assert!(
        Rect::from_min_size(egui::Pos2::ZERO, laptop()).contains_rect(shown),
        "the message fits: {shown:?}"
    );
    click(&mut harness, "Phone");
    let_it_save(&mut harness);
    assert_eq!(field_text(&harness, "Date of birth"), "31/02/1980", "still there after a click elsewhere");
    assert!(harness.query_by_label(message).is_some());
    assert_eq!(read_client(&root, &clients[0]).date_of_birth, None, "nothing wrong was saved");

    retype(&mut harness, "Date of birth", "1980-02-28");
    press(&mut harness, Key::Tab);
    let_it_save(&mut harness);
    assert!(harness.query_by_label_contains("is not a date").is_none(), "the message went with the mistake");
    assert_eq!(read_client(&root, &clients[0]).date_of_birth, Some(jiff::civil::date(1980, 2, 28)));
}

#[test]
fn a_date_of_birth_is_picked_from_the_calendar_and_a_pick_clears_a_mistake() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, clients) = practice_with(folder.path(), &["Ana Lima"]);
    let mut harness = app_with_calendar(&root);
    open_client(&mut harness, "Ana Lima");

    retype(&mut harness, "Date of birth", "1980-14-01");
    press(&mut harness, Key::Tab);
    assert!(harness.query_by_label("1980-14-01 is not a date: there is no month 14").is_some());

    // The calendar opens at today (23 November 2026, the app's clock) when there is no date yet.
    click(&mut harness, "Date of birth: pick from a calendar");
    click(&mut harness, "12");
    harness.get_all_by_role_and_label(Role::Button, "Save").last().expect("the calendar's Save").click();
    harness.run();
    let_it_save(&mut harness);

    assert_eq!(read_client(&root, &clients[0]).date_of_birth, Some(jiff::civil::date(2026, 11, 12)));
    assert_eq!(field_text(&harness, "Date of birth"), "2026-11-12", "the field shows what was picked");
    assert!(harness.query_by_label_contains("is not a date").is_none(), "the pick replaced the mistake");
}

#[test]
fn a_start_is_picked_by_calendar_hour_and_minute_and_a_wrong_typed_day_is_named() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, clients) = practice_with(folder.path(), &["Ana Lima"]);
    let mut harness = app_with_calendar(&root);
    open_client(&mut harness, "Ana Lima");

    retype(&mut harness, "Starts", "2026-13-45");
    press(&mut harness, Key::Tab);
    assert_eq!(field_text(&harness, "Starts"), "2026-13-45", "Tab kept what was typed");
    assert!(harness.query_by_label("2026-13-45 is not a date: there is no month 13").is_some());
    let_it_save(&mut harness);
    let start = jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0);
    assert_eq!(read_session(&root, &clients[0]).starts_at, start, "the start is as it was");

    click(&mut harness, "Starts: pick from a calendar");
    click(&mut harness, "18");
    harness.get_all_by_role_and_label(Role::Button, "Save").last().expect("the calendar's Save").click();
    harness.run();
    click(&mut harness, "Starts: hour");
    // The hours open right under their box, all in sight: 14 is on the fourth row.
    let hour_box = harness.get_by_label("Starts: hour").rect();
    let fourteen = harness.get_by_role_and_label(Role::Button, "14").rect();
    assert!(
        (0.0..120.0).contains(&(fourteen.top() - hour_box.bottom())),
        "14 is {} px below the box",
        fourteen.top() - hour_box.bottom()
    );
    choose(&mut harness, "14");
    click(&mut harness, "Starts: minute");
    choose(&mut harness, "15");
    let_it_save(&mut harness);

    assert_eq!(read_session(&root, &clients[0]).starts_at, jiff::civil::date(2026, 11, 18).at(14, 15, 0, 0));
    assert_eq!(field_text(&harness, "Starts"), "2026-11-18");
    assert!(harness.query_by_label_contains("is not a date").is_none());
}

/// The name of the map region whose button has the keyboard, if one has.
fn focused_region(harness: &Harness<'static, KnotmapApp>) -> Option<(String, Layer)> {
    use egui_kittest::kittest::NodeT;
    let label = harness.query_by(|node| node.is_focused())?.accesskit_node().label()?;
    REGIONS.iter().find(|info| info.id.accessible_name() == label).map(|info| (label, info.layer))
}

#[test]
fn the_map_is_one_tab_stop_tab_leaves_it_and_shift_tab_comes_back() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice_with(folder.path(), &["Ana Lima"]);
    let mut harness = app_on(&root, laptop());
    open_client(&mut harness, "Ana Lima");
    press(&mut harness, Key::F6);
    assert!(focused_region(&harness).is_some());

    press(&mut harness, Key::Tab);
    assert_eq!(focused_region(&harness), None, "one Tab leaves the map, past its thirty regions");
    assert!(harness.query_by(|node| node.is_focused()).is_some(), "for what follows it");

    harness.key_press_modifiers(egui::Modifiers::SHIFT, Key::Tab);
    harness.run();
    assert!(focused_region(&harness).is_some(), "Shift+Tab comes back to the map");
    harness.key_press_modifiers(egui::Modifiers::SHIFT, Key::Tab);
    harness.run();
    assert_eq!(focused_region(&harness), None, "and a second one goes before it");
}

#[test]
fn f6_gives_the_map_the_keyboard_and_l_and_f_switch_its_layer_and_fill() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _) = practice_with(folder.path(), &["Ana Lima"]);
    let mut harness = app_on(&root, laptop());
    open_client(&mut harness, "Ana Lima");
    assert_eq!(focused_region(&harness), None);

    press(&mut harness, Key::F6);
    let (region, layer) = focused_region(&harness).expect("a region of the map has the keyboard");
    assert!(region.ends_with("client's left"), "{region}");
    // What the region is stands beside the map, not over the regions the arrows lead to.
    let description = harness.get_by_label_contains("(client's left)").rect();
    let map_right = harness.get_by_label("CLIENT'S RIGHT").rect().right();
    assert!(description.left() > map_right, "{description:?} begins right of the map ({map_right})");
    assert_eq!(layer, Layer::Superficial);

    press(&mut harness, Key::L);
    assert_eq!(harness.state().map_view().layer_view, LayerView::Deep);
    let (_, layer) = focused_region(&harness).expect("the keyboard stays on the map");
    assert_eq!(layer, Layer::Deep, "a region of the layer now shown has it");
    press(&mut harness, Key::F);
    assert_eq!(harness.state().map_view().fill, FillMode::Pressure);
    press(&mut harness, Key::F);
    press(&mut harness, Key::L);
    assert_eq!(harness.state().map_view().fill, FillMode::Pain);
    assert_eq!(harness.state().map_view().layer_view, LayerView::Both);

    // Typing is typing: an "l" or an "f" in the goals is a letter, not a key of the map's.
    harness.get_by_label("Goals").focus();
    harness.run();
    press(&mut harness, Key::L);
    press(&mut harness, Key::F);
    harness.get_by_label("Goals").type_text("lift");
    harness.run();
    assert_eq!(field_text(&harness, "Goals"), "lift");
    assert_eq!(harness.state().map_view().layer_view, LayerView::Both);
    assert_eq!(harness.state().map_view().fill, FillMode::Pain);

    press(&mut harness, Key::F6);
    assert!(focused_region(&harness).is_some(), "F6 takes the keyboard from a text field too");
}
