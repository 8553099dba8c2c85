//! What the client takes home from a session: the aftercare advice, one line
//! each, starting from the clinic's defaults, and the date of the next visit,
//! suggested from the practice's interval (weekly unless the clinic says
//! otherwise).

use jiff::civil::Date;

use crate::model::{PracticeSettings, Session};

use crate::ui::session::plan_list::{Icon, icon_button};
use crate::ui::widgets::date_field::optional_date_field;

/// The quick choices for the next visit, in weeks after the session.
const WEEK_CHOICES: [i64; 3] = [1, 2, 4];

/// The date the practice's interval suggests for the visit after `session`, or
/// none if the practice sets no interval.
pub fn suggested_next_visit(session: &Session, settings: &PracticeSettings) -> Option<Date> {
    let days = settings.next_visit_interval_days;
    if days == 0 {
        return None;
    }
    days_after(session, i64::from(days))
}

/// Shows the session's aftercare lines and its next visit, and edits them
/// unless `read_only`. Returns true when the session changed.
pub fn aftercare_editor(
    ui: &mut egui::Ui,
    session: &mut Session,
    settings: &PracticeSettings,
    read_only: bool,
) -> bool {
    let mut changed = false;
    ui.add_enabled_ui(!read_only, |ui| {
        changed |= aftercare_lines(ui, &mut session.aftercare, &settings.aftercare);
        ui.add_space(8.0);
        changed |= next_visit(ui, session, settings);
    });
    changed
}

/// Each line in its own field with a remove button; then "Add a line" and
/// "Reset to the clinic's defaults".
fn aftercare_lines(ui: &mut egui::Ui, lines: &mut Vec<String>, defaults: &[String]) -> bool {
    let mut changed = false;
    ui.label(egui::RichText::new("Aftercare").strong());
    if lines.is_empty() {
        ui.weak("No aftercare advice yet.");
    }
    // A line just added takes the keyboard at the next frame, when its field exists.
    let focus_id = ui.make_persistent_id("aftercare_line_to_focus");
    let to_focus = ui.data_mut(|data| data.remove_temp::<Option<usize>>(focus_id)).flatten();
    let mut remove = None;
    for (index, line) in lines.iter_mut().enumerate() {
        let number = index + 1;
        ui.horizontal(|ui| {
            let remove_width = ui.spacing().interact_size.y + ui.spacing().item_spacing.x;
            let id = ui.make_persistent_id(("aftercare_line", index));
            let width = ui.available_width() - remove_width;
            let field =
                crate::ui::widgets::seen_text::field(ui, line, id, false, |edit| edit.desired_width(width))
                    .accessible_name(format!("Aftercare line {number}"));
            if to_focus == Some(index) {
                field.request_focus();
            }
            changed |= field.changed();
            if icon_button(ui, true, Icon::Remove, &format!("Remove aftercare line {number}"))
                .on_hover_text("Remove this line")
                .clicked()
            {
                remove = Some(index);
            }
        });
    }
    if let Some(index) = remove {
        lines.remove(index);
        changed = true;
    }
    ui.horizontal_wrapped(|ui| {
        if ui.button("Add a line").clicked() {
            lines.push(String::new());
            let new_line = lines.len() - 1;
            ui.data_mut(|data| data.insert_temp(focus_id, Some(new_line)));
            changed = true;
        }
        let reset = ui
            .add_enabled(lines.as_slice() != defaults, egui::Button::new("Reset to the clinic's defaults"))
            .on_hover_text("Replace these lines with the clinic's aftercare advice");
        if reset.clicked() {
            *lines = defaults.to_vec();
            changed = true;
        }
    });
    changed
}

/// The next visit: the quick choices, the date as typed, and the suggestion.
fn next_visit(ui: &mut egui::Ui, session: &mut Session, settings: &PracticeSettings) -> bool {
    let mut changed = false;
    ui.label(egui::RichText::new("Next visit").strong());
    ui.horizontal_wrapped(|ui| {
        for weeks in WEEK_CHOICES {
            let date = days_after(session, weeks * 7);
            let text = if weeks == 1 { "1 week".to_owned() } else { format!("{weeks} weeks") };
            let selected = date.is_some() && session.next_visit == date;
            let mut response = ui.selectable_label(selected, text);
            if let Some(date) = date {
                response =
                    response.on_hover_text(format!("{}, {}", long_date(date), after_phrase(session, date)));
            }
            if response.clicked() && !selected && date.is_some() {
                session.next_visit = date;
                changed = true;
            }
        }
        let none = ui.selectable_label(session.next_visit.is_none(), "No next visit");
        if none.clicked() && session.next_visit.is_some() {
            session.next_visit = None;
            changed = true;
        }
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Next visit date");
        let opens_at = days_after(session, 7).unwrap_or_else(|| session.starts_at.date());
        ui.push_id(&session.id, |ui| {
            changed |=
                optional_date_field(ui, label.id, "Next visit date", &mut session.next_visit, opens_at);
        });
    });
    match session.next_visit {
        Some(date) if date < session.starts_at.date() => {
            let text = format!("{}, {}", long_date(date), after_phrase(session, date));
            ui.colored_label(ui.visuals().warn_fg_color, text);
        }
        Some(date) => {
            ui.label(format!("{}, {}", long_date(date), after_phrase(session, date)));
        }
        None => {
            ui.weak("No next visit planned.");
        }
    }
    if let Some(suggested) = suggested_next_visit(session, settings) {
        ui.horizontal_wrapped(|ui| {
            ui.weak(format!(
                "Suggested: {}, {}",
                short_date(session, suggested),
                after_phrase(session, suggested)
            ));
            // Offered only while the next visit is another day; at the row's end, so nothing moves.
            if session.next_visit == Some(suggested) {
                ui.weak("(as set)");
            } else {
                let use_it = ui.button("Use it").accessible_name("Use the suggested next visit");
                if use_it.clicked() {
                    session.next_visit = Some(suggested);
                    changed = true;
                }
            }
        });
    }
    changed
}

/// The date `days` after the session's day.
fn days_after(session: &Session, days: i64) -> Option<Date> {
    session.starts_at.date().checked_add(jiff::Span::new().days(days)).ok()
}

/// "Mon 30 Nov", with the year only when it is not the session's.
fn short_date(session: &Session, date: Date) -> String {
    if date.year() == session.starts_at.year() {
        date.strftime("%a %-d %b").to_string()
    } else {
        long_date(date)
    }
}

/// "Mon 30 Nov 2026".
fn long_date(date: Date) -> String {
    date.strftime("%a %-d %b %Y").to_string()
}

/// "a week after this session", "10 days after this session", "the same day".
fn after_phrase(session: &Session, date: Date) -> String {
    let Ok(span) = session.starts_at.date().until(date) else {
        return String::new();
    };
    let days = span.get_days();
    let far = distance(days.unsigned_abs());
    match days.signum() {
        0 => "the day of this session".to_owned(),
        -1 => format!("{far} before this session"),
        _ => format!("{far} after this session"),
    }
}

/// "a day", "10 days", "a week", "2 weeks".
fn distance(days: u32) -> String {
    match (days, days % 7) {
        (1, _) => "a day".to_owned(),
        (7, _) => "a week".to_owned(),
        (_, 0) => format!("{} weeks", days / 7),
        _ => format!("{days} days"),
    }
}

#[cfg(test)]
mod tests {
    use egui::{Key, Modifiers, vec2};
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT as _, Queryable};
    use jiff::civil::date;

    use super::*;
    use crate::model::{ClientId, Minutes, default_aftercare};

    struct State {
        session: Session,
        settings: PracticeSettings,
        read_only: bool,
        /// Whether the editor reported a change, over every frame so far.
        changed: bool,
    }

    /// A session on Monday 23 November 2026 with the clinic's default aftercare.
    fn session() -> Session {
        let client = ClientId::new("ana-lima-k3f9q").expect("a valid client id");
        let starts_at = date(2026, 11, 23).at(9, 30, 0, 0);
        let mut session = Session::new(client, starts_at, Minutes::new(60).expect("60 minutes"));
        session.aftercare = default_aftercare();
        session
    }

    fn editor_on(session: Session, settings: PracticeSettings, read_only: bool) -> Harness<'static, State> {
        let state = State { session, settings, read_only, changed: false };
        let mut harness = Harness::builder().with_size(vec2(420.0, 600.0)).build_ui_state(
            |ui, state: &mut State| {
                egui::CentralPanel::default().show(ui, |ui| {
                    state.changed |=
                        aftercare_editor(ui, &mut state.session, &state.settings, state.read_only);
                });
            },
            state,
        );
        harness.run();
        harness
    }

    #[test]
    fn the_next_visit_is_suggested_a_week_after_the_session_by_default() {
        let settings = PracticeSettings::default();
        assert_eq!(suggested_next_visit(&session(), &settings), Some(date(2026, 11, 30)));
        let fortnightly = PracticeSettings { next_visit_interval_days: 14, ..PracticeSettings::default() };
        assert_eq!(suggested_next_visit(&session(), &fortnightly), Some(date(2026, 12, 7)));
        let none = PracticeSettings { next_visit_interval_days: 0, ..PracticeSettings::default() };
        assert_eq!(suggested_next_visit(&session(), &none), None);

        let harness = editor_on(session(), settings, false);
        assert!(harness.query_by_label("Suggested: Mon 30 Nov, a week after this session").is_some());
    }

    #[test]
    fn a_suggestion_in_the_next_year_names_the_year() {
        let mut session = session();
        session.starts_at = date(2026, 12, 28).at(9, 0, 0, 0);
        let settings = PracticeSettings { next_visit_interval_days: 10, ..PracticeSettings::default() };
        let harness = editor_on(session, settings, false);
        assert!(harness.query_by_label("Suggested: Thu 7 Jan 2027, 10 days after this session").is_some());
    }

    #[test]
    fn the_week_buttons_set_the_next_visit_and_no_next_visit_clears_it() {
        let mut harness = editor_on(session(), PracticeSettings::default(), false);
        assert!(harness.query_by_label("No next visit planned.").is_some());
        for (button, expected) in
            [("2 weeks", date(2026, 12, 7)), ("4 weeks", date(2026, 12, 21)), ("1 week", date(2026, 11, 30))]
        {
            harness.get_by_label(button).click();
            harness.run();
            assert_eq!(harness.state().session.next_visit, Some(expected), "after {button}");
        }
        assert!(harness.query_by_label("Mon 30 Nov 2026, a week after this session").is_some());
        assert!(harness.state().changed);

        harness.get_by_label("No next visit").click();
        harness.run();
        assert_eq!(harness.state().session.next_visit, None);

        harness.get_by_label("Use the suggested next visit").click();
        harness.run();
        assert_eq!(harness.state().session.next_visit, Some(date(2026, 11, 30)));
        assert!(
            harness.query_by_label("Use the suggested next visit").is_none(),
            "nothing to use once the next visit is the suggested one"
        );
    }

    #[test]
    fn a_typed_date_becomes_the_next_visit() {
        let mut harness = editor_on(session(), PracticeSettings::default(), false);
        harness.get_by_label("Next visit date").focus();
        harness.run();
        harness.get_by_label("Next visit date").type_text("2026-12-03");
        harness.run();
        assert_eq!(harness.state().session.next_visit, Some(date(2026, 12, 3)));
        assert!(harness.query_by_label("Thu 3 Dec 2026, 10 days after this session").is_some());
    }

    #[test]
    fn lines_are_added_edited_removed_and_reset_to_the_clinics_defaults() {
        let mut harness = editor_on(session(), PracticeSettings::default(), false);
        let reset = harness.get_by_label("Reset to the clinic's defaults");
        assert!(reset.accesskit_node().is_disabled(), "nothing to reset yet");

        harness.get_by_label("Add a line").click();
        harness.run();
        assert_eq!(harness.state().session.aftercare.len(), 4);
        assert!(harness.get_by_label("Aftercare line 4").is_focused(), "the new line takes the keyboard");
        harness.get_by_label("Aftercare line 4").type_text("Heat, not ice, on the neck tonight.");
        harness.run();
        assert_eq!(harness.state().session.aftercare[3], "Heat, not ice, on the neck tonight.");
        assert!(harness.state().changed);

        harness.get_by_label("Aftercare line 1").focus();
        harness.run();
        harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        harness.get_by_label("Aftercare line 1").type_text("Drink two litres of water today.");
        harness.run();
        assert_eq!(harness.state().session.aftercare[0], "Drink two litres of water today.");

        harness.get_by_label("Remove aftercare line 2").click();
        harness.run();
        assert_eq!(
            harness.state().session.aftercare,
            [
                "Drink two litres of water today.",
                "Tell us about bruising, numbness, or pain that gets worse instead of better.",
                "Heat, not ice, on the neck tonight.",
            ]
        );

        harness.get_by_label("Reset to the clinic's defaults").click();
        harness.run();
        assert_eq!(harness.state().session.aftercare, default_aftercare());
    }

    #[test]
    fn a_read_only_session_keeps_its_aftercare_and_next_visit() {
        let original = session();
        let mut harness = editor_on(original.clone(), PracticeSettings::default(), true);
        for label in ["Add a line", "Remove aftercare line 1", "2 weeks", "Use the suggested next visit"] {
            harness.get_by_label(label).click();
            harness.run();
        }
        harness.get_by_label("Aftercare line 2").focus();
        harness.run();
        harness.get_by_label("Aftercare line 2").type_text("typed");
        harness.run();
        assert_eq!(harness.state().session, original);
        assert!(!harness.state().changed);
    }
}
