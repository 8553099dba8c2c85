//! The screening at the start of a session: is each of the client's health flags
//! still true today, and is there a fever or acute illness (which postpones the
//! session)? Every answer is a click; the note is the only thing typed.

use jiff::civil::DateTime;

use crate::model::{Client, ClinicRules, Screening};

/// What the therapist chose to do with the screening this frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ScreeningAction {
    /// Still answering (the answers are edited in place).
    #[default]
    None,
    /// Every question is answered: keep the screening with the session.
    Done,
    /// Not asked today.
    Skip,
}

/// A screening of `_client`, asked at `now`, with no question answered yet: no
/// answer is taken from the profile, because the point is to ask today.
pub fn new_screening(_client: &Client, now: DateTime) -> Screening {
    Screening::new(now)
}

/// Shows "Screening for today" for `client` and edits `screening` in place.
pub fn screening_form(
    ui: &mut egui::Ui,
    client: &Client,
    clinic: &ClinicRules,
    screening: &mut Screening,
) -> ScreeningAction {
    ui.label(egui::RichText::new("Screening for today").strong());
    ui.weak(format!("Asked at {}", screening.asked_at.strftime("%H:%M, %a %-d %b %Y")));

    // The clinic's own flags the client has, as the clinic names them.
    let clinic_flags: Vec<(&String, &str, &crate::model::FlagDetails)> = client
        .clinic_flags
        .iter()
        .filter_map(|(key, details)| Some((key, clinic.flag(key)?.name.as_str(), details)))
        .collect();
    if client.health_flags.is_empty() && clinic_flags.is_empty() {
        ui.weak("No health flags on the client's profile.");
    } else {
        ui.label("Still true today?");
    }
    for (&flag, details) in &client.health_flags {
        let mut answer = screening.still_true.get(&flag).copied();
        let mut context = Vec::new();
        if let Some(since) = details.since {
            context.push(format!("since {since}"));
        }
        if !details.note.trim().is_empty() {
            context.push(details.note.trim().to_owned());
        }
        if yes_no(ui, flag.label(), &context.join("; "), &mut answer) {
            match answer {
                Some(answer) => screening.still_true.insert(flag, answer),
                None => screening.still_true.remove(&flag),
            };
        }
    }

    for (key, name, details) in &clinic_flags {
        let mut answer = screening.still_true_clinic.get(*key).copied();
        if yes_no(ui, name, details.note.trim(), &mut answer) {
            match answer {
                Some(answer) => screening.still_true_clinic.insert((*key).clone(), answer),
                None => screening.still_true_clinic.remove(*key),
            };
        }
    }

    ui.add_space(4.0);
    yes_no(ui, "Fever or acute illness today?", "", &mut screening.acute_illness_today);
    if screening.reports_acute_illness() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "Fever or acute illness: the session cannot go ahead today; postpone or cancel it (Session tab).",
        );
    }

    let id = ui.make_persistent_id("screening_note");
    crate::ui::widgets::seen_text::field(ui, &mut screening.note, id, true, |edit| {
        edit.char_limit(crate::model::MAX_TEXT_CHARS)
            .hint_text("Anything the client mentioned today")
            .desired_rows(2)
            .desired_width(f32::INFINITY)
    })
    .accessible_name("Screening note");

    // The same test Ready and Complete make of it.
    let complete = crate::model::lifecycle::screening_answered(screening, client, clinic);
    let mut action = ScreeningAction::None;
    ui.horizontal(|ui| {
        let done = ui
            .add_enabled(complete, egui::Button::new("Done"))
            .on_disabled_hover_text("Answer every question first, or skip the screening");
        if done.clicked() {
            action = ScreeningAction::Done;
        }
        if ui.button("Skip screening").on_hover_text("Not asked today").clicked() {
            action = ScreeningAction::Skip;
        }
    });
    action
}

/// A question answered with "Yes" or "No" buttons, named like "Osteoporosis:
/// Yes" for screen readers. Clicking the chosen answer again clears it.
/// Returns true when the answer changed.
fn yes_no(ui: &mut egui::Ui, question: &str, context: &str, answer: &mut Option<bool>) -> bool {
    let name = question.trim_end_matches('?');
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(question);
        if !context.is_empty() {
            label.on_hover_text(context);
        }
        for (value, word) in [(true, "Yes"), (false, "No")] {
            let selected = *answer == Some(value);
            if ui.selectable_label(selected, word).accessible_name(format!("{name}: {word}")).clicked() {
                *answer = if selected { None } else { Some(value) };
                changed = true;
            }
        }
    });
    changed
}

/// What the tests of the session's forms (this one and [`crate::ui::session::completion`]) share.
#[cfg(test)]
pub(super) mod form_harness {
    use egui::Vec2;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    /// A harness of `size` that shows `form` in a central panel, run once.
    pub(in crate::ui) fn show<State>(
        size: Vec2,
        state: State,
        mut form: impl FnMut(&mut egui::Ui, &mut State) + 'static,
    ) -> Harness<'static, State> {
        let mut harness = Harness::builder().with_size(size).build_ui_state(
            move |ui, state: &mut State| {
                egui::CentralPanel::default().show(ui, |ui| form(ui, state));
            },
            state,
        );
        harness.run();
        harness
    }

    /// Clicks the widget labelled `label` and lets the form settle.
    pub(in crate::ui) fn click<State>(harness: &mut Harness<'_, State>, label: &str) {
        harness.get_by_label(label).click();
        harness.run();
    }
}

#[cfg(test)]
mod tests {
    use egui::vec2;
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};

    use super::form_harness::{self, click};
    use super::*;
    use crate::model::{FlagDetails, HealthFlag};

    struct State {
        client: Client,
        screening: Screening,
        actions: Vec<ScreeningAction>,
    }

    fn client() -> Client {
        let mut client = Client::new("Ana Lima");
        client.health_flags.insert(HealthFlag::BloodThinners, FlagDetails::default());
        client.health_flags.insert(
            HealthFlag::Osteoporosis,
            FlagDetails { note: "Diagnosed 2024".to_owned(), ..FlagDetails::default() },
        );
        client
    }

    fn form_for(client: Client) -> Harness<'static, State> {
        let now = jiff::civil::date(2026, 11, 23).at(9, 25, 0, 0);
        let screening = new_screening(&client, now);
        let state = State { client, screening, actions: Vec::new() };
        form_harness::show(vec2(500.0, 500.0), state, |ui, state: &mut State| {
            let action = screening_form(ui, &state.client, &ClinicRules::default(), &mut state.screening);
            if action != ScreeningAction::None {
                state.actions.push(action);
            }
        })
    }

    #[test]
    fn the_answers_are_recorded() {
        let mut harness = form_for(client());
        assert!(harness.get_by_label("Done").accesskit_node().is_disabled(), "nothing answered yet");

        click(&mut harness, "Blood thinners / bleeding disorder: Yes");
        click(&mut harness, "Osteoporosis: No");
        click(&mut harness, "Fever or acute illness today: No");
        harness.get_by_label("Screening note").focus();
        harness.run();
        harness.get_by_label("Screening note").type_text("Stopped the aspirin last week");
        harness.run();
        click(&mut harness, "Done");

        let state = harness.state();
        assert_eq!(state.actions, [ScreeningAction::Done]);
        let screening = &state.screening;
        assert_eq!(screening.still_true.get(&HealthFlag::BloodThinners), Some(&true));
        assert_eq!(screening.still_true.get(&HealthFlag::Osteoporosis), Some(&false));
        assert_eq!(screening.acute_illness_today, Some(false));
        assert_eq!(screening.note, "Stopped the aspirin last week");
    }

    #[test]
    fn a_fever_today_says_the_session_should_be_postponed() {
        let mut harness = form_for(Client::new("Zoe Martin"));
        assert!(harness.query_by_label("No health flags on the client's profile.").is_some());
        click(&mut harness, "Fever or acute illness today: Yes");
        assert!(harness.state().screening.reports_acute_illness());
        assert!(harness.query_by_label("Fever or acute illness: the session cannot go ahead today; postpone or cancel it (Session tab).").is_some());
        click(&mut harness, "Done");
        assert_eq!(harness.state().actions, [ScreeningAction::Done]);
    }

    #[test]
    fn clicking_an_answer_again_clears_it() {
        let mut harness = form_for(client());
        click(&mut harness, "Osteoporosis: Yes");
        click(&mut harness, "Osteoporosis: Yes");
        assert_eq!(harness.state().screening.still_true.get(&HealthFlag::Osteoporosis), None);
    }

    #[test]
    fn the_screening_can_be_skipped() {
        let mut harness = form_for(client());
        click(&mut harness, "Skip screening");
        assert_eq!(harness.state().actions, [ScreeningAction::Skip]);
    }
}
