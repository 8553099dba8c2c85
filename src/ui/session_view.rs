//! The central area for one session: its header and the client's goals. The
//! body map and the plan editor take their place here as they are built.

use crate::model::{Minutes, PracticeSettings, Session, SessionStatus};

use super::text_field::{format_date_time, parsed_field};

/// Edits `session` in place.
pub fn session_view(
    ui: &mut egui::Ui,
    session: &mut Session,
    settings: &PracticeSettings,
    read_only: Option<&str>,
) {
    if let Some(why) = read_only {
        ui.colored_label(ui.visuals().warn_fg_color, format!("Read-only: {why}"));
    }
    let locked = session.status == SessionStatus::Completed;
    ui.add_enabled_ui(read_only.is_none() && !locked, |ui| header(ui, session, settings));
    if locked {
        ui.weak("This session is completed, so its record is locked.");
    }

    ui.add_space(8.0);
    ui.label(egui::RichText::new("Goals, in the client's own words").strong());
    ui.add_enabled(
        read_only.is_none() && !locked,
        egui::TextEdit::multiline(&mut session.goals)
            .hint_text("What does the client want from today?")
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .accessible_name("Goals");

    ui.add_space(8.0);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.set_min_height(160.0);
        ui.label(egui::RichText::new("Body map").strong());
        if session.regions.is_empty() {
            ui.weak("No regions planned yet.");
        }
        egui::Grid::new("regions").striped(true).num_columns(5).show(ui, |ui| {
            if !session.regions.is_empty() {
                for heading in ["Region", "Tension", "Pain", "Pressure", "Minutes"] {
                    ui.label(egui::RichText::new(heading).small().strong());
                }
                ui.end_row();
            }
            let show = |value: Option<String>| value.unwrap_or_else(|| "–".to_owned());
            for work in &session.regions {
                ui.label(work.region.accessible_name());
                ui.label(show(work.tension.map(|t| t.word().to_owned())));
                ui.label(show(work.pain.map(|p| format!("{p}/10"))));
                ui.label(show(work.pressure.map(|p| format!("{p} {}", p.word()))));
                ui.label(show(work.minutes.map(|m| m.to_string())));
                ui.end_row();
            }
        });
    });

    if let Some(outcome) = &session.outcome {
        ui.add_space(8.0);
        ui.label(egui::RichText::new("Outcome").strong());
        let pain = |p: Option<crate::model::Pain>| p.map_or("–".to_owned(), |p| format!("{p}/10"));
        ui.label(format!("Pain before {}, after {}", pain(outcome.pain_before), pain(outcome.pain_after)));
        if let Some(response) = outcome.response {
            ui.label(format!("Response: {}", response.label()));
        }
        if !outcome.notes.is_empty() {
            ui.label(&outcome.notes);
        }
    }
}

fn header(ui: &mut egui::Ui, session: &mut Session, settings: &PracticeSettings) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Starts");
        parsed_field(ui, label.id, "YYYY-MM-DD HH:MM", &mut session.starts_at, format_date_time);
        let label = ui.label("Length");
        let mut minutes = session.minutes.get();
        let length = ui.add(egui::DragValue::new(&mut minutes).range(5..=600).suffix(" min"));
        let length = length.labelled_by(label.id);
        if length.changed()
            && let Ok(minutes) = Minutes::new(i64::from(minutes))
        {
            session.minutes = minutes;
        }
        let label = ui.label("Therapist");
        egui::ComboBox::from_id_salt("therapist")
            .selected_text(if session.therapist.is_empty() { "–" } else { session.therapist.as_str() })
            .show_ui(ui, |ui| {
                for therapist in &settings.therapists {
                    ui.selectable_value(&mut session.therapist, therapist.clone(), therapist);
                }
            })
            .response
            .labelled_by(label.id);
    });
}
