//! Stories of a therapist who works from the keyboard or with a screen reader:
//! every window opened, and closed again with Escape; what the controls Knotmap
//! draws say, read through the accessibility tree.

use crate::stories;

use std::sync::Arc;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use knotmap::model::{Minutes, Session};
use knotmap::ui::app::command::Command;
use knotmap::ui::widgets::file_dialog::ScriptedDialogs;
use stories::{App, open_client};

fn ana_with_a_session_today(folder: &std::path::Path) -> App {
    let (root, ..) = stories::practice_with(folder, "Ana Lima", &[], |client| {
        let start = jiff::civil::date(2026, 11, 23).at(11, 0, 0, 0);
        let mut session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
        session.therapist = "Sam Okafor".into();
        vec![session]
    });
    stories::app_on(&root, Arc::new(ScriptedDialogs::default()))
}

fn shows(harness: &App, title: &str) -> bool {
    harness.query_all_by_label(title).next().is_some()
}

fn escape(harness: &mut App) {
    harness.key_press(Key::Escape);
    harness.run_steps(3);
}

#[test]
fn ctrl_h_opens_the_clients_history_and_escape_closes_it() {
    let folder = tempfile::tempdir().expect("folder");
    let mut harness = ana_with_a_session_today(folder.path());

    // No client yet: the shortcut says what History needs instead of doing nothing.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::H);
    harness.run_steps(3);
    let said = harness.get_by_label_contains("Choose a client first");
    assert_eq!(said.accesskit_node().data().live(), Some(egui::accesskit::Live::Polite), "it is announced");

    open_client(&mut harness, "Ana Lima");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::H);
    harness.run_steps(3);
    assert!(shows(&harness, "History: Ana Lima"), "Ctrl+H opened the history");

    escape(&mut harness);
    assert!(!shows(&harness, "History: Ana Lima"), "Escape closed the history");
    assert!(shows(&harness, "Ana Lima"), "and the client stays open");
}

#[test]
fn escape_closes_today_practice_settings_and_the_safety_rules_one_at_a_time() {
    let folder = tempfile::tempdir().expect("folder");
    let mut harness = ana_with_a_session_today(folder.path());

    harness.state_mut().apply(Command::ShowToday);
    harness.run_steps(3);
    assert!(shows(&harness, "Today"));
    escape(&mut harness);
    assert!(!shows(&harness, "Today"), "Escape closed Today");

    // Safety rules opens over Practice settings: one press closes the one in front.
    harness.state_mut().apply(Command::ShowSettings);
    harness.run_steps(3);
    harness.state_mut().apply(Command::ShowSafetyRules);
    harness.run_steps(3);
    assert!(shows(&harness, "Practice settings") && shows(&harness, "Safety rules"));
    escape(&mut harness);
    assert!(!shows(&harness, "Safety rules"), "the first Escape closed the safety rules");
    assert!(shows(&harness, "Practice settings"), "and left the settings behind it open");
    escape(&mut harness);
    assert!(!shows(&harness, "Practice settings"), "the second Escape closed the settings");
}

#[test]
fn a_choice_says_what_is_chosen_and_a_folded_rule_says_whether_it_is_open() {
    let folder = tempfile::tempdir().expect("folder");
    let mut harness = ana_with_a_session_today(folder.path());
    open_client(&mut harness, "Ana Lima");
    let therapist = harness.get_by_role_and_label(Role::ComboBox, "Therapist");
    assert_eq!(therapist.accesskit_node().value().as_deref(), Some("Sam Okafor"));
    assert_eq!(
        therapist.accesskit_node().description().as_deref(),
        Some("Sam Okafor"),
        "in the description too, which is what Linux's screen readers are passed"
    );

    harness.state_mut().apply(Command::ShowSettings);
    harness.run_steps(3);
    harness.state_mut().apply(Command::ShowSafetyRules);
    harness.run_steps(3);
    let first_rule = || harness.get_all_by_role(Role::DisclosureTriangle).next().expect("a built-in rule");
    assert_eq!(first_rule().accesskit_node().data().is_expanded(), Some(false));
    first_rule().click();
    harness.run_steps(3);
    let first_rule = harness.get_all_by_role(Role::DisclosureTriangle).next().expect("a built-in rule");
    assert_eq!(
        first_rule.accesskit_node().data().is_expanded(),
        Some(true),
        "a click opened it, and it says so"
    );
}

#[test]
fn a_menu_item_chosen_with_enter_closes_the_menu_behind_the_window_it_opens() {
    let folder = tempfile::tempdir().expect("folder");
    let mut harness = ana_with_a_session_today(folder.path());
    harness.get_by_label("File").click();
    harness.run_steps(3);
    harness.get_by_label("Today…").focus();
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert!(shows(&harness, "Today"), "Enter chose Today…");
    assert!(harness.query_by_label("Today…").is_none(), "and the menu closed");
}

/// Every control a keyboard reaches in sight now that a screen reader would hear without a name.
fn unnamed_tab_stops(harness: &App) -> Vec<String> {
    harness
        .query_all_by(|node| node.data().supports_action(egui::accesskit::Action::Focus))
        .filter(|node| node.accesskit_node().label().is_none_or(|label| label.trim().is_empty()))
        .map(|node| format!("{:?} at {:?}", node.accesskit_node().role(), node.rect()))
        .collect()
}

#[test]
fn the_keyboard_goes_into_history_when_it_opens_and_back_to_its_button_when_it_closes() {
    let folder = tempfile::tempdir().expect("folder");
    let mut harness = ana_with_a_session_today(folder.path());
    open_client(&mut harness, "Ana Lima");
    stories::tab_to(&mut harness, "History…");
    harness.key_press(Key::Enter);
    harness.run_steps(4);

    assert!(shows(&harness, "History: Ana Lima"));
    assert_eq!(
        stories::focused_label(&harness).as_deref(),
        Some("Timeline"),
        "the keyboard is on the window's first control, not behind it"
    );
    assert_eq!(unnamed_tab_stops(&harness), Vec::<String>::new(), "the title bar is no Tab stop of its own");
    let timeline = harness.get_by_role_and_label(Role::Tab, "Timeline");
    assert_eq!(timeline.accesskit_node().is_selected(), Some(true), "a tab, and the one shown");
    assert_eq!(
        harness.get_by_role_and_label(Role::Tab, "Trends").accesskit_node().is_selected(),
        Some(false)
    );

    escape(&mut harness);
    harness.run_steps(2);
    assert!(!shows(&harness, "History: Ana Lima"));
    assert_eq!(stories::focused_label(&harness).as_deref(), Some("History…"), "back where it was");
}

#[test]
fn escape_closes_the_history_even_with_a_region_of_the_map_chosen_behind_it() {
    let folder = tempfile::tempdir().expect("folder");
    let mut harness = ana_with_a_session_today(folder.path());
    open_client(&mut harness, "Ana Lima");
    stories::select_region(&mut harness, "Upper trapezius, client's left");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::H);
    harness.run_steps(4);
    assert!(shows(&harness, "History: Ana Lima"));

    escape(&mut harness);
    assert!(!shows(&harness, "History: Ana Lima"), "the first Escape is the window's, not the map's");
}

#[test]
fn a_screen_reader_hears_the_main_window_and_every_dialog_by_name() {
    let folder = tempfile::tempdir().expect("folder");
    let mut harness = ana_with_a_session_today(folder.path());
    let root = harness.root();
    assert_eq!(root.accesskit_node().label().as_deref(), Some("Knotmap"), "the main window has its title");

    harness.state_mut().apply(Command::NewClient);
    harness.run_steps(4);
    let dialog = harness.get_by_role_and_label(Role::Dialog, "New client");
    assert!(dialog.children().next().is_some(), "the dialog holds its controls");
    assert_eq!(stories::focused_label(&harness).as_deref(), Some("New client's name"));

    escape(&mut harness);
    open_client(&mut harness, "Ana Lima");
    assert_eq!(unnamed_tab_stops(&harness), Vec::<String>::new(), "the main window, a session open");
    for open in [
        Command::ShowToday,
        Command::ShowTrash,
        Command::ShowSettings,
        Command::ShowConsentSettings,
        Command::ShowSafetyRules,
    ] {
        harness.state_mut().apply(open);
        harness.run_steps(4);
    }
    assert_eq!(unnamed_tab_stops(&harness), Vec::<String>::new(), "every window open at once");
    for _ in 0..5 {
        escape(&mut harness);
    }

    harness.state_mut().apply(Command::Print);
    harness.run_steps(4);
    assert!(harness.query_by_role_and_label(Role::Dialog, "Print").is_some());
    assert_eq!(stories::focused_label(&harness).as_deref(), Some("Plan sheet"), "the keyboard starts in it");
    assert_eq!(unnamed_tab_stops(&harness), Vec::<String>::new(), "the print dialog");
}

#[test]
fn tab_reaches_the_oldest_of_thirty_sessions_in_the_lists_that_lay_out_only_what_is_in_sight() {
    let folder = tempfile::tempdir().expect("folder");
    let (root, ..) = stories::practice_with(folder.path(), "Ana Lima", &[], |client| {
        (0..30)
            .map(|week| {
                let start = jiff::civil::date(2026, 1, 5).at(9, 0, 0, 0) + jiff::Span::new().weeks(week);
                let mut session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
                session.status = knotmap::model::SessionStatus::Completed;
                session
            })
            .collect()
    });
    let mut harness = stories::app_on(&root, Arc::new(ScriptedDialogs::default()));
    let listed = harness.get_by_role_and_label(Role::Button, "Ana Lima");
    assert_eq!(listed.accesskit_node().description().as_deref(), Some("30 sessions"), "as its (30) shows");
    open_client(&mut harness, "Ana Lima");

    stories::tab_to(&mut harness, "Mon 5 Jan 2026, 09:00");
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let oldest = harness.get_by_role_and_label(Role::Button, "Mon 5 Jan 2026, 09:00  ·  60 min  ·  done");
    assert_eq!(
        oldest.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True),
        "Enter chose the oldest session, below the list's fold"
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::H);
    harness.run_steps(4);
    stories::tab_to(&mut harness, "Open the session of 5 Jan 2026");
}

#[test]
fn from_the_settings_the_safety_rules_open_with_the_keyboard_and_escape_brings_it_back_to_their_button() {
    let folder = tempfile::tempdir().expect("folder");
    let mut harness = ana_with_a_session_today(folder.path());
    harness.state_mut().apply(Command::ShowSettings);
    harness.run_steps(4);
    let safety_button = Command::ShowSafetyRules.text();
    stories::tab_to(&mut harness, safety_button);
    harness.key_press(Key::Enter);
    harness.run_steps(4);
    assert!(shows(&harness, "Safety rules"));
    let inside = stories::focused_label(&harness).unwrap_or_default();
    assert_ne!(inside, safety_button, "the keyboard went into the safety rules");

    escape(&mut harness);
    harness.run_steps(2);
    assert!(!shows(&harness, "Safety rules") && shows(&harness, "Practice settings"));
    assert_eq!(
        stories::focused_label(&harness).as_deref(),
        Some(safety_button),
        "back on the button in the settings"
    );
}
