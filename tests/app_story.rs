//! Stories of a therapist using the app, driven through the accessibility tree
//! the way a screen reader sees it, on a real practice folder.

use crate::stories;

use std::path::Path;

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use knotmap::storage::{CLIENT_FILE, CLIENTS_FOLDER, Practice, SESSIONS_FOLDER};
use knotmap::ui::{KnotmapApp, Places};

fn app_on(folder: &Path) -> Harness<'static, KnotmapApp> {
    let practice = Practice::open_or_create(folder).expect("a new practice opens");
    let places = Places {
        sample_practice: folder.with_extension("sample"),
        printed: folder.with_extension("printed"),
        recovery: folder.with_extension("recovery"),
        laptop_pin: folder.with_extension("pin.ron"),
    };
    let clock = Box::new(|| jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0));
    let app = KnotmapApp::new(practice, places, clock).without_waking();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut KnotmapApp| app.ui(ui), app);
    // The fonts the app installs when it starts.
    knotmap::ui::widgets::fonts::install_fallback_fonts(&harness.ctx);
    harness.run();
    stories::until_the_watcher_started(&mut harness);
    harness
}

/// The folders of every client on disk.
/// Waits long enough for the autosave (two seconds of the app's time), and for
/// the writer to put it on disk.
fn let_it_save(harness: &mut Harness<'static, KnotmapApp>) {
    harness.run_steps(8);
    stories::wait_for_the_writer(harness);
}

fn client_folders(practice: &Path) -> Vec<std::path::PathBuf> {
    let mut folders: Vec<_> = std::fs::read_dir(practice.join(CLIENTS_FOLDER))
        .expect("clients folder")
        .map(|entry| entry.expect("entry").path())
        .collect();
    folders.sort();
    folders
}

/// The session files of a client, without the hidden presence mark of the one open here.
fn session_files(client_folder: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(client_folder.join(SESSIONS_FOLDER))
        .expect("sessions folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| !path.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.')))
        .collect()
}

fn add_client(harness: &mut Harness<'static, KnotmapApp>, name: &str) {
    harness.get_all_by_label("New client").next().expect("a New client button").click();
    harness.run();
    harness.get_by_label("New client's name").type_text(name);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
}

/// Gives the field named `label` the keys, and types `text` into it.
fn type_into(harness: &mut Harness<'static, KnotmapApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text(text);
}

/// Clicks the map region named `name` (e.g. "Upper trapezius, client's right").
fn select_region(harness: &mut Harness<'static, KnotmapApp>, name: &str) {
    harness.get_by_label(name).click();
    harness.run();
}

#[test]
fn a_new_practice_greets_the_therapist_with_new_client_and_the_sample() {
    let folder = tempfile::tempdir().expect("temp dir");
    let harness = app_on(&folder.path().join("practice"));
    assert!(harness.query_by_label("Welcome to Knotmap").is_some());
    assert!(harness.query_by_label("Open the sample practice").is_some());
}

#[test]
fn creating_a_client_and_a_session_by_clicking_puts_both_on_disk() {
    let folder = tempfile::tempdir().expect("temp dir");
    let practice = folder.path().join("practice");
    let mut harness = app_on(&practice);

    add_client(&mut harness, "Maria Lopez");
    let clients = client_folders(&practice);
    assert_eq!(clients.len(), 1, "one client folder");
    let profile = std::fs::read_to_string(clients[0].join(CLIENT_FILE)).expect("profile on disk");
    assert!(profile.contains("name: \"Maria Lopez\""), "{profile}");

    harness.get_all_by_label("New session").next().expect("a New session button").click();
    harness.run();
    let sessions = session_files(&clients[0]);
    assert_eq!(sessions.len(), 1, "one session file");
    let session = std::fs::read_to_string(&sessions[0]).expect("session on disk");
    assert!(session.contains("starts_at: \"2026-11-23T09:30:00\""), "{session}");
    assert!(session.contains("status: Planned"), "{session}");
}

#[test]
fn what_is_typed_is_saved_on_its_own_within_a_couple_of_seconds() {
    let folder = tempfile::tempdir().expect("temp dir");
    let practice = folder.path().join("practice");
    let mut harness = app_on(&practice);
    client_with_a_session(&mut harness, "Tom Becker");

    type_into(&mut harness, "Goals", "Turn my head to check the blind spot");
    // Each step is a quarter of a second of the app's time: eight steps are two seconds.
    let_it_save(&mut harness);

    let session = &session_files(&client_folders(&practice)[0])[0];
    let text = std::fs::read_to_string(session).expect("session on disk");
    assert!(text.contains("goals: \"Turn my head to check the blind spot\""), "{text}");
}

#[test]
fn ctrl_s_saves_at_once() {
    let folder = tempfile::tempdir().expect("temp dir");
    let practice = folder.path().join("practice");
    let mut harness = app_on(&practice);
    add_client(&mut harness, "Ana Li");

    type_into(&mut harness, "Phone", "555 0101");
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    harness.step();

    let profile = std::fs::read_to_string(client_folders(&practice)[0].join(CLIENT_FILE)).expect("profile");
    assert!(profile.contains("phone: \"555 0101\""), "{profile}");
}

#[test]
fn searching_narrows_the_client_list_as_you_type() {
    let folder = tempfile::tempdir().expect("temp dir");
    let practice = folder.path().join("practice");
    let mut harness = app_on(&practice);
    add_client(&mut harness, "Maria Lopez");
    add_client(&mut harness, "Tom Becker");

    type_into(&mut harness, "Search clients", "tom");
    harness.run();
    assert!(harness.query_all_by_label("Maria Lopez").next().is_none());
    assert!(harness.query_all_by_label("Tom Becker").next().is_some());
}

#[test]
fn a_name_is_found_without_its_accents_and_namesakes_are_told_apart() {
    let folder = tempfile::tempdir().expect("temp dir");
    let practice = folder.path().join("practice");
    let mut harness = app_on(&practice);
    add_client(&mut harness, "María García");
    add_client(&mut harness, "Zoë Brennan");
    add_client(&mut harness, "Tom Becker");
    add_client(&mut harness, "Tom Becker");

    // Two clients of one name: each row says what tells them apart (no birth date yet: the ID).
    let namesakes: Vec<String> = harness
        .query_all_by_label_contains("Tom Becker, ID ")
        .filter_map(|node| node.accesskit_node().label())
        .collect();
    assert_eq!(namesakes.len(), 2, "{namesakes:?}");
    assert_ne!(namesakes[0], namesakes[1]);
    assert!(harness.query_by_label("María García").is_some(), "a name nobody shares says only the name");

    type_into(&mut harness, "Search clients", "maria");
    harness.run();
    assert!(harness.query_by_label("María García").is_some(), "maria finds María");
    assert!(harness.query_all_by_label_contains("Tom Becker, ID ").next().is_none());

    harness.get_by_label("Search clients").click();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_label("Search clients").type_text("ZOE");
    harness.run();
    assert!(harness.query_by_label("Zoë Brennan").is_some(), "ZOE finds Zoë");
    assert!(harness.query_by_label("María García").is_none());
}

#[test]
fn an_unreadable_file_is_listed_as_a_problem_and_the_rest_opens() {
    let folder = tempfile::tempdir().expect("temp dir");
    let practice = folder.path().join("practice");
    {
        let mut harness = app_on(&practice);
        add_client(&mut harness, "Maria Lopez");
    }
    let broken = practice.join(CLIENTS_FOLDER).join("broken-client");
    std::fs::create_dir_all(&broken).expect("folder");
    std::fs::write(broken.join(CLIENT_FILE), "(format: 1, client: (id: \"broken-client\", name: 12))")
        .expect("write");

    let harness = app_on(&practice);
    assert!(harness.query_all_by_label("Maria Lopez").next().is_some());
    // The problem names the file, the line and the column.
    let expected = format!("{}:1:", broken.join(CLIENT_FILE).display());
    assert!(harness.query_by_label_contains(&expected).is_some(), "no problem naming {expected}");
}

#[test]
fn ctrl_z_takes_back_an_edit_of_the_session_and_ctrl_shift_z_does_it_again() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut harness = app_on(&folder.path().join("practice"));
    client_with_a_session(&mut harness, "Tom Becker");

    type_into(&mut harness, "Goals", "Ease the stiff neck");
    // Let the edit settle into one undo step (a second of the app's time).
    harness.run_steps(8);
    assert_eq!(harness.get_by_label("Goals").value().as_deref(), Some("Ease the stiff neck"));

    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(harness.get_by_label("Goals").value().as_deref(), Some(""));

    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::Z);
    harness.run_steps(2);
    assert_eq!(harness.get_by_label("Goals").value().as_deref(), Some("Ease the stiff neck"));
}

#[test]
fn an_idle_window_draws_no_frames() {
    let folder = tempfile::tempdir().expect("temp dir");
    let practice = folder.path().join("sample");
    knotmap::sample::write_sample_practice(&practice, jiff::civil::date(2026, 11, 23)).expect("sample");
    let mut harness = app_on(&practice);
    harness.get_all_by_label("David Chen").next().expect("a client of the sample").click();
    harness.run();

    // Let anything pending (a save, an undo step) settle, then leave the window alone.
    harness.run_steps(12);
    harness.step();
    assert!(!harness.ctx.has_requested_repaint(), "asked for frames: {:?}", harness.ctx.repaint_causes());
}

/// Adds a client and plans a session for them, through the UI.
fn client_with_a_session(harness: &mut Harness<'static, KnotmapApp>, name: &str) {
    add_client(harness, name);
    harness.get_all_by_label("New session").next().expect("a New session button").click();
    harness.run();
}

fn session_text(practice: &Path) -> String {
    let session = &session_files(&client_folders(practice)[0])[0];
    std::fs::read_to_string(session).expect("session on disk")
}

#[test]
fn a_region_marked_on_the_map_is_in_the_session_file_and_ctrl_z_takes_it_back() {
    let folder = tempfile::tempdir().expect("temp dir");
    let practice = folder.path().join("practice");
    let mut harness = app_on(&practice);
    client_with_a_session(&mut harness, "Tom Becker");

    // Select the right upper trapezius on the map and give it tension 2 (moderate).
    select_region(&mut harness, "Upper trapezius, client's right");
    harness.key_press(Key::Num2);
    let_it_save(&mut harness);
    let text = session_text(&practice);
    assert!(text.contains("region: upper_trapezius_r"), "{text}");
    assert!(text.contains("tension: Some(2)"), "{text}");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    let_it_save(&mut harness);
    let text = session_text(&practice);
    assert!(!text.contains("tension: Some(2)"), "undo reached the file too:\n{text}");

    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::Z);
    let_it_save(&mut harness);
    assert!(session_text(&practice).contains("tension: Some(2)"), "redo reached the file");
}

#[test]
fn ctrl_and_a_number_reach_the_session_s_side_tabs() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut harness = app_on(&folder.path().join("practice"));
    client_with_a_session(&mut harness, "Ana Li");
    let selected = |harness: &Harness<'static, KnotmapApp>, tab: &str| {
        harness.get_by_role_and_label(egui::accesskit::Role::Tab, tab).accesskit_node().is_selected()
            == Some(true)
    };
    assert!(selected(&harness, "Region"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Num4);
    harness.run();
    assert!(selected(&harness, "Session") && !selected(&harness, "Region"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Num2);
    harness.run();
    assert!(selected(&harness, "Plan"));
}

#[test]
fn a_new_client_s_profile_opens_at_its_name_however_far_the_last_one_was_scrolled() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut harness = Harness::builder().with_size(egui::vec2(1024.0, 700.0)).build_ui_state(
        |ui, app: &mut KnotmapApp| app.ui(ui),
        {
            let practice = Practice::open_or_create(&folder.path().join("practice")).expect("a practice");
            let places = Places {
                sample_practice: folder.path().join("sample"),
                printed: folder.path().join("printed"),
                recovery: folder.path().join("recovery"),
                laptop_pin: folder.path().join("pin.ron"),
            };
            KnotmapApp::new(practice, places, Box::new(|| jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0)))
                .without_waking()
        },
    );
    knotmap::ui::widgets::fonts::install_fallback_fonts(&harness.ctx);
    harness.run();
    add_client(&mut harness, "Maria Lopez");
    // Down to the notes at the foot of Maria's profile.
    harness.get_by_label("Client notes").scroll_to_me();
    harness.run();
    let sessions_end = harness.get_by_label("New session").rect().bottom();
    assert!(harness.get_by_label("Name").rect().top() < sessions_end, "Maria's Name has scrolled away");

    add_client(&mut harness, "Tom Becker");
    let name = harness.get_by_label("Name").rect();
    assert!(name.top() > sessions_end, "Tom's profile starts at his Name, in sight: {name:?}");
}

#[test]
fn switching_the_fill_moves_no_control_and_not_the_map() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut harness = app_on(&folder.path().join("practice"));
    client_with_a_session(&mut harness, "Ana Li");
    let places = |harness: &Harness<'static, KnotmapApp>| {
        ["Zoom in", "Fit", "Upper trapezius, client's left"].map(|name| harness.get_by_label(name).rect().min)
    };
    let with_tension = places(&harness);
    for fill in ["Colour by pain", "Colour by pressure", "Colour by tension"] {
        harness.get_by_label(fill).click();
        harness.run();
        assert_eq!(places(&harness), with_tension, "after choosing {fill}");
    }
}

#[test]
fn the_clients_left_is_on_the_viewers_left_of_the_map() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut harness = app_on(&folder.path().join("practice"));
    client_with_a_session(&mut harness, "Ana Li");
    let left_region = harness.get_by_label("Upper trapezius, client's left").rect();
    let right_region = harness.get_by_label("Upper trapezius, client's right").rect();
    assert!(left_region.center().x < right_region.center().x, "the client's left is on the viewer's left");
}

#[test]
fn new_session_from_last_copies_the_plan_and_goals_of_the_last_completed_session_in_one_click() {
    let folder = tempfile::tempdir().expect("temp dir");
    let practice = folder.path().join("sample");
    knotmap::sample::write_sample_practice(&practice, jiff::civil::date(2026, 11, 23)).expect("sample");
    let mut harness = app_on(&practice);
    harness.get_all_by_label("David Chen").next().expect("a client of the sample").click();
    harness.run();

    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("New session from last").click();
    harness.run();

    let mut opened = Practice::open(&practice).expect("practice");
    let david =
        opened.clients().find(|entry| entry.client.name == "David Chen").expect("David").client.id.clone();
    let sessions = opened.read_sessions(&david);
    let newest = sessions.iter().find(|s| s.starts_at == jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0));
    let newest = newest.expect("the new session, planned for now, is on disk");
    let before: Vec<_> = sessions.iter().filter(|s| s.id != newest.id).cloned().collect();
    let last = knotmap::model::last_completed(&before).expect("the last completed one");
    assert!(!newest.regions.is_empty());
    let plan = |work: &knotmap::model::RegionWork| {
        (work.region, work.pressure, work.techniques.clone(), work.minutes)
    };
    let planned_last: Vec<_> = last.regions.iter().filter(|w| w.pressure.is_some()).map(plan).collect();
    assert_eq!(newest.regions.iter().map(plan).collect::<Vec<_>>(), planned_last);
    assert!(newest.regions.iter().all(|work| work.tension.is_none() && work.pain.is_none()));
    assert!(newest.marks.is_empty(), "marks are findings, felt afresh");
    assert_eq!(newest.goals, last.goals);
    assert!(newest.outcome.is_none());
}

#[test]
fn a_pointer_click_inside_a_region_on_the_map_selects_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let practice = folder.path().join("practice");
    let mut harness = app_on(&practice);
    client_with_a_session(&mut harness, "Tom Becker");

    let map = knotmap::geometry::BodyMap::standard().expect("body map");
    let view = harness.state().map_view();
    let canvas = view.canvas().expect("the map is drawn");
    // A point inside the region but away from its label point (and its button).
    let outline = map.region(knotmap::model::RegionId::LumbarR).outline.points().to_vec();
    let label = map.region(knotmap::model::RegionId::LumbarR).label_point;
    let inside = [label[0] * 0.7 + outline[0][0] * 0.3, label[1] * 0.7 + outline[0][1] * 0.3];
    let pos = view.screen_pos(canvas, inside);
    harness.event(egui::Event::PointerMoved(pos));
    harness.run();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        harness.step();
    }
    harness.run();
    let selection: Vec<_> = harness.state().map_view().selection().iter().copied().collect();
    assert_eq!(selection, [knotmap::model::RegionId::LumbarR]);
}
