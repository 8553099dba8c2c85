//! The practice's settings: everything `practice.ron` holds, edited in place.
//!
//! The clinic's name, its therapists, the paper it prints on, the length a new
//! session starts with, the aftercare lines every new session starts with, how
//! long after a session the next visit is suggested, and the clinic's own
//! techniques. The caller saves; this only edits and says whether it changed.

use egui::{Button, DragValue, Id, TextEdit};

use crate::model::{Minutes, PaperSize, PracticeSettings, Technique, default_aftercare};

/// Session lengths offered with one click, in minutes.
const SESSION_LENGTHS: [u16; 5] = [30, 45, 60, 75, 90];
/// The longest default session length that can be set, in minutes.
const LONGEST_SESSION: u16 = 600;
/// Next-visit intervals offered with one click, in days.
const VISIT_INTERVALS: [u16; 3] = [7, 14, 28];
/// The longest next-visit interval that can be set, in days.
const LONGEST_INTERVAL: u16 = 365;

/// Shows `settings` for editing; returns true when they changed this frame.
/// When `read_only` says why they must not change, they are shown greyed out,
/// with the reason, and nothing is changed.
pub fn settings_view(ui: &mut egui::Ui, settings: &mut PracticeSettings, read_only: Option<&str>) -> bool {
    ui.heading("Practice settings");
    if let Some(why) = read_only {
        ui.colored_label(ui.visuals().warn_fg_color, format!("Read-only: {why}"));
    }
    // Read-only settings are drawn from a copy that is thrown away, so that
    // nothing, not even a stray event, can change them.
    let mut copy;
    let editing = match read_only {
        Some(_) => {
            copy = settings.clone();
            &mut copy
        }
        None => &mut *settings,
    };
    let before = editing.clone();
    ui.add_enabled_ui(read_only.is_none(), |ui| {
        egui::ScrollArea::vertical()
            .id_salt("practice_settings")
            .auto_shrink([false, true])
            .show(ui, |ui| settings_fields(ui, editing));
    });
    read_only.is_none() && *editing != before
}

fn settings_fields(ui: &mut egui::Ui, settings: &mut PracticeSettings) {
    egui::Grid::new("practice_settings_grid").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
        let label = ui.label("Clinic name");
        let id = ui.make_persistent_id("clinic_name");
        crate::ui::widgets::seen_text::field(ui, &mut settings.clinic_name, id, false, |edit| {
            edit.hint_text("Shown on printed plans")
        })
        .labelled_by(label.id);
        ui.end_row();

        let label = ui.label("Contact for clients");
        let id = ui.make_persistent_id("clinic_contact");
        crate::ui::widgets::seen_text::field(ui, &mut settings.contact, id, true, |edit| {
            edit.char_limit(crate::model::MAX_TEXT_CHARS)
                .desired_rows(2)
                .hint_text("Phone, address or web: on the take-home sheet")
        })
        .labelled_by(label.id);
        ui.end_row();

        ui.label("Paper size");
        ui.horizontal(|ui| {
            for (paper, name) in [(PaperSize::A4, "A4"), (PaperSize::Letter, "Letter")] {
                ui.selectable_value(&mut settings.paper_size, paper, name)
                    .accessible_name(format!("{name} paper"));
            }
        });
        ui.end_row();

        ui.label("New sessions last");
        session_length(ui, &mut settings.default_session_minutes);
        ui.end_row();

        ui.label("Opening hours");
        opening_hours(ui, &mut settings.opening_hours);
        ui.end_row();

        ui.label("Next visit after");
        visit_interval(ui, &mut settings.next_visit_interval_days);
        ui.end_row();
    });

    ui.add_space(12.0);
    ui.label(egui::RichText::new("Therapists").strong());
    editable_list(ui, &mut settings.therapists, &THERAPISTS);

    ui.add_space(12.0);
    ui.label(egui::RichText::new("Aftercare").strong());
    ui.weak("Every new session starts with these lines; each session can change its own.");
    editable_list(ui, &mut settings.aftercare, &AFTERCARE);
    let defaults = default_aftercare();
    if ui.add_enabled(settings.aftercare != defaults, Button::new("Reset to the defaults")).clicked() {
        settings.aftercare = defaults;
    }

    ui.add_space(12.0);
    ui.label(egui::RichText::new("The clinic's own techniques").strong());
    let standard: Vec<&str> = Technique::STANDARD.iter().map(Technique::label).collect();
    ui.weak(format!("Offered beside the standard ones: {}.", standard.join(", ")));
    editable_list(ui, &mut settings.extra_techniques, &TECHNIQUES);
    if let Some(warning) = technique_warning(&settings.extra_techniques) {
        ui.colored_label(ui.visuals().warn_fg_color, warning);
    }
}

/// The general words of the consent the client reads and signs; the areas,
/// the pressure and the risks of the client's flags come from the plan.
pub fn consent_wording(ui: &mut egui::Ui, wording: &mut crate::model::ConsentWording) {
    ui.label(egui::RichText::new("The consent's words").strong());
    ui.scope(|ui| {
        ui.weak(
            "What every client reads before signing; the areas, the pressure and their own risks come from the plan.",
        );
        let fields: [(&str, &mut String); 4] = [
            ("Positioning and draping", &mut wording.positioning),
            ("The risks of deep work", &mut wording.general_risks),
            ("The alternatives", &mut wording.alternatives),
            ("The right to stop", &mut wording.right_to_stop),
        ];
        for (name, text) in fields {
            let label = ui.label(name);
            ui.add(
                egui::TextEdit::multiline(text)
                    .char_limit(crate::model::MAX_TEXT_CHARS)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        }
        let defaults = crate::model::ConsentWording::default();
        if ui.add_enabled(*wording != defaults, Button::new("Reset the consent's words")).clicked() {
            *wording = defaults;
        }
    });
}

fn session_length(ui: &mut egui::Ui, minutes: &mut Minutes) {
    ui.horizontal_wrapped(|ui| {
        for length in SESSION_LENGTHS {
            let selected = minutes.get() == length;
            let button = ui
                .add(Button::selectable(selected, format!("{length} min")))
                .accessible_name(format!("New sessions last {length} minutes"));
            if button.clicked()
                && let Ok(length) = Minutes::new(i64::from(length))
            {
                *minutes = length;
            }
        }
        // A session lasts at least a minute. Only what the user does here is
        // applied: an odd value from the file is shown, not silently corrected.
        let mut typed = minutes.get();
        let response = ui
            .add(
                DragValue::new(&mut typed)
                    .range(1..=LONGEST_SESSION)
                    .clamp_existing_to_range(false)
                    .suffix(" min"),
            )
            .accessible_name("New sessions last, in minutes");
        if response.changed()
            && let Ok(length) = Minutes::new(i64::from(typed))
        {
            *minutes = length;
        }
    });
}

/// When the practice sees clients: a new session starts in the next free slot of them.
fn opening_hours(ui: &mut egui::Ui, hours: &mut crate::model::schedule::OpeningHours) {
    use crate::ui::widgets::date_field::time_of_day_field;
    ui.vertical(|ui| {
        ui.horizontal(|ui| {
            time_of_day_field(ui, "Opens", &mut hours.opens);
            ui.label("to");
            time_of_day_field(ui, "Closes", &mut hours.closes);
        });
        if hours.closes <= hours.opens {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "It closes before it opens: new sessions will start on the next quarter hour, whenever that is.",
            );
        } else {
            ui.weak("A new session starts at the next free quarter hour of these.");
        }
    });
}

fn visit_interval(ui: &mut egui::Ui, days: &mut u16) {
    ui.horizontal_wrapped(|ui| {
        for interval in VISIT_INTERVALS {
            let button = ui
                .add(Button::selectable(*days == interval, format!("{interval} days")))
                .accessible_name(format!("Next visit after {interval} days"));
            if button.clicked() {
                *days = interval;
            }
        }
        let mut typed = *days;
        let response = ui
            .add(
                DragValue::new(&mut typed)
                    .range(1..=LONGEST_INTERVAL)
                    .clamp_existing_to_range(false)
                    .suffix(" days"),
            )
            .accessible_name("Next visit after, in days");
        if response.changed() {
            *days = typed;
        }
    });
}

/// The width of a line's field: room for a sentence of aftercare advice.
const LINE_WIDTH: f32 = 460.0;

/// The words of one editable list of lines.
struct ListWords {
    /// What one line is, capitalised: "Therapist" names the fields "Therapist 1", ...
    item: &'static str,
    /// What an empty field hints at.
    hint: &'static str,
    /// The button that adds a line.
    add: &'static str,
}

const THERAPISTS: ListWords = ListWords { item: "Therapist", hint: "Name", add: "Add therapist" };
const AFTERCARE: ListWords =
    ListWords { item: "Aftercare line", hint: "Advice for the client", add: "Add aftercare line" };
const TECHNIQUES: ListWords = ListWords { item: "Technique", hint: "Name", add: "Add technique" };

/// Lines that can be edited, removed, and added to; a new line gets the focus.
fn editable_list(ui: &mut egui::Ui, lines: &mut Vec<String>, words: &ListWords) {
    let list_id = ui.make_persistent_id(words.item);
    let field_id = |index: usize| list_id.with(index);
    let mut remove = None;
    for (index, line) in lines.iter_mut().enumerate() {
        let number = index + 1;
        ui.horizontal(|ui| {
            let name = format!("{} {number}", words.item);
            let remove_name = format!("Remove {} {number}", words.item.to_lowercase());
            ui.add(
                TextEdit::singleline(line)
                    .id(field_id(index))
                    .hint_text(words.hint)
                    .desired_width(LINE_WIDTH),
            )
            .accessible_name(name);
            if ui.button("Remove").accessible_name(remove_name).clicked() {
                remove = Some(index);
            }
        });
    }
    if let Some(index) = remove {
        lines.remove(index);
    }
    if ui.button(words.add).clicked() {
        lines.push(String::new());
        let new_field: Id = field_id(lines.len() - 1);
        ui.memory_mut(|memory| memory.request_focus(new_field));
    }
}

/// A warning for clinic techniques that would be confused with others.
fn technique_warning(techniques: &[String]) -> Option<String> {
    for (index, technique) in techniques.iter().enumerate() {
        let name = technique.trim();
        if name.is_empty() {
            continue;
        }
        if Technique::STANDARD.iter().any(|standard| standard.label().eq_ignore_ascii_case(name)) {
            return Some(format!(
                "“{name}” is already a standard technique; give the clinic's own a name of its own."
            ));
        }
        if techniques[..index].iter().any(|earlier| earlier.trim().eq_ignore_ascii_case(name)) {
            return Some(format!("“{name}” is listed twice."));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use egui::vec2;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;

    struct State {
        settings: PracticeSettings,
        read_only: Option<String>,
        /// Whether the view reported a change in any frame so far.
        changed: bool,
    }

    fn settings_on(settings: PracticeSettings, read_only: Option<&str>) -> Harness<'static, State> {
        let state = State { settings, read_only: read_only.map(str::to_owned), changed: false };
        let mut harness = Harness::builder().with_size(vec2(800.0, 1200.0)).build_ui_state(
            |ui, state: &mut State| {
                state.changed |= settings_view(ui, &mut state.settings, state.read_only.as_deref());
            },
            state,
        );
        harness.run();
        harness
    }

    #[test]
    fn adding_a_therapist_gives_an_empty_field_with_the_focus_to_type_the_name_into() {
        let mut harness = settings_on(PracticeSettings::default(), None);
        harness.get_by_label("Add therapist").click();
        harness.run();
        assert_eq!(harness.state().settings.therapists, vec![String::new()]);
        assert!(harness.get_by_label("Therapist 1").is_focused());

        harness.get_by_label("Therapist 1").type_text("Mira Santos");
        harness.run();
        assert_eq!(harness.state().settings.therapists, vec!["Mira Santos".to_owned()]);
        assert!(harness.state().changed);
    }

    #[test]
    fn a_therapist_can_be_removed() {
        let settings = PracticeSettings {
            therapists: vec!["Mira Santos".to_owned(), "Jonas Berg".to_owned()],
            ..PracticeSettings::default()
        };
        let mut harness = settings_on(settings, None);
        harness.get_by_label("Remove therapist 1").click();
        harness.run();
        assert_eq!(harness.state().settings.therapists, vec!["Jonas Berg".to_owned()]);
    }

    #[test]
    fn the_clinic_sets_its_opening_hours_and_is_told_when_they_make_no_sense() {
        let mut harness = settings_on(PracticeSettings::default(), None);
        let choose = |harness: &mut Harness<'static, State>, list: &str, item: &str| {
            harness.get_by_label(list).click();
            harness.run();
            harness.get_by_role_and_label(egui::accesskit::Role::Button, item).click();
            harness.run();
        };
        choose(&mut harness, "Opens: hour", "08");
        choose(&mut harness, "Closes: hour", "20");
        choose(&mut harness, "Closes: minute", "30");
        let hours = harness.state().settings.opening_hours;
        assert_eq!((hours.opens.hour(), hours.closes.hour(), hours.closes.minute()), (8, 20, 30));
        assert!(harness.state().changed);
        assert!(harness.query_by_label_contains("closes before it opens").is_none());

        choose(&mut harness, "Closes: hour", "07");
        assert!(harness.query_by_label_contains("It closes before it opens").is_some());
    }

    #[test]
    fn choosing_letter_paper_changes_the_paper_size() {
        let mut harness = settings_on(PracticeSettings::default(), None);
        assert!(!harness.state().changed, "showing the settings changes nothing");
        harness.get_by_label("Letter paper").click();
        harness.run();
        assert_eq!(harness.state().settings.paper_size, PaperSize::Letter);
        assert!(harness.state().changed);
    }

    #[test]
    fn the_next_visit_interval_and_session_length_are_one_click_each() {
        let mut harness = settings_on(PracticeSettings::default(), None);
        harness.get_by_label("Next visit after 14 days").click();
        harness.run();
        assert_eq!(harness.state().settings.next_visit_interval_days, 14);

        harness.get_by_label("New sessions last 90 minutes").click();
        harness.run();
        assert_eq!(harness.state().settings.default_session_minutes.get(), 90);
    }

    #[test]
    fn showing_odd_values_from_the_file_does_not_change_them() {
        let settings = PracticeSettings {
            default_session_minutes: Minutes::new(0).expect("0 minutes is on the scale"),
            next_visit_interval_days: 0,
            ..PracticeSettings::default()
        };
        let harness = settings_on(settings.clone(), None);
        assert_eq!(harness.state().settings, settings);
        assert!(!harness.state().changed);
    }

    #[test]
    fn an_interval_can_be_typed() {
        let mut harness = settings_on(PracticeSettings::default(), None);
        // A click on a drag value turns it into a text field.
        harness.get_by_label("Next visit after, in days").click();
        harness.run();
        harness.key_press(egui::Key::Backspace);
        harness.get_by_label("Next visit after, in days").type_text("21");
        harness.key_press(egui::Key::Enter);
        harness.run();
        assert_eq!(harness.state().settings.next_visit_interval_days, 21);
    }

    #[test]
    fn adding_a_technique_of_the_clinic() {
        let mut harness = settings_on(PracticeSettings::default(), None);
        harness.get_by_label("Add technique").click();
        harness.run();
        harness.get_by_label("Technique 1").type_text("Hot stone");
        harness.run();
        assert_eq!(harness.state().settings.extra_techniques, vec!["Hot stone".to_owned()]);
        assert!(harness.query_by_label_contains("already a standard technique").is_none());
    }

    #[test]
    fn a_technique_named_like_a_standard_one_is_warned_about() {
        let settings = PracticeSettings {
            extra_techniques: vec!["effleurage".to_owned()],
            ..PracticeSettings::default()
        };
        let harness = settings_on(settings, None);
        assert!(harness.query_by_label_contains("already a standard technique").is_some());
    }

    #[test]
    fn edited_aftercare_can_be_reset_to_the_defaults() {
        let mut harness = settings_on(PracticeSettings::default(), None);
        harness.get_by_label("Remove aftercare line 2").click();
        harness.run();
        assert_eq!(harness.state().settings.aftercare.len(), default_aftercare().len() - 1);

        harness.get_by_label("Reset to the defaults").click();
        harness.run();
        assert_eq!(harness.state().settings.aftercare, default_aftercare());
    }

    #[test]
    fn read_only_settings_show_why_and_change_nothing() {
        let original = PracticeSettings::default();
        let mut harness = settings_on(original.clone(), Some("practice.ron is from a newer Knotmap"));
        assert!(harness.query_by_label_contains("practice.ron is from a newer Knotmap").is_some());

        for control in ["Add therapist", "Letter paper", "Next visit after 28 days", "Add technique"] {
            harness.get_by_label(control).click();
            harness.run();
        }
        harness.get_by_label("Clinic name").type_text("Renamed");
        harness.run();

        assert_eq!(harness.state().settings, original);
        assert!(!harness.state().changed);
    }

    #[test]
    fn the_clinic_rewords_the_consent_and_can_go_back_to_the_defaults() {
        let mut wording = crate::model::ConsentWording::default();
        let mut harness = Harness::builder().with_size(vec2(600.0, 800.0)).build_ui_state(
            |ui, wording: &mut crate::model::ConsentWording| consent_wording(ui, wording),
            wording.clone(),
        );
        harness.run();
        harness.get_by_label("The right to stop").focus();
        harness.run();
        harness.get_by_label("The right to stop").type_text(" Just say so.");
        harness.run();
        let right = harness.state().right_to_stop.clone();
        assert!(right.ends_with("during the session. Just say so."), "{right}");
        harness.get_by_label("Reset the consent's words").click();
        harness.run();
        wording = harness.state().clone();
        assert_eq!(wording, crate::model::ConsentWording::default());
    }
}
