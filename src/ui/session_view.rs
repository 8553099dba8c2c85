//! The central area for one session: its header, the client's goals, the body
//! map filling the space, and beside it the regions worked so far. (The editor
//! of the selected regions and the safety checks take their place beside the map
//! as they are built.)

use std::collections::BTreeSet;

use crate::model::{Minutes, PracticeSettings, RegionId, RegionWork, Session, SessionStatus};

use super::command::Command;
use super::map_view::MapView;
use super::text_field::{format_date_time, parsed_field};

/// Edits `session` in place; returns a command for what lies beyond the session.
pub fn session_view(
    ui: &mut egui::Ui,
    session: &mut Session,
    settings: &PracticeSettings,
    read_only: Option<&str>,
    map: &mut MapView,
) -> Option<Command> {
    if let Some(why) = read_only {
        ui.colored_label(ui.visuals().warn_fg_color, format!("Read-only: {why}"));
    }
    let locked = session.status == SessionStatus::Completed;
    let editable = read_only.is_none() && !locked;
    ui.add_enabled_ui(editable, |ui| header(ui, session, settings));
    if locked {
        ui.weak("This session is completed, so its record is locked.");
    }

    ui.add_space(4.0);
    ui.label(egui::RichText::new("Goals, in the client's own words").strong());
    ui.add_enabled(
        editable,
        egui::TextEdit::multiline(&mut session.goals)
            .hint_text("What does the client want from today?")
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .accessible_name("Goals");
    ui.add_space(4.0);

    let mut command = None;
    egui::Panel::right("regions_worked").default_size(250.0).size_range(200.0..=420.0).show(ui, |ui| {
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            regions_worked(ui, session, map.selection());
            outcome(ui, session);
            ui.add_space(12.0);
            command = ui
                .add_enabled_ui(read_only.is_none(), |ui| {
                    Command::TrashSession(session.id.clone()).button(ui)
                })
                .inner;
        });
    });
    map.ui(ui, session, !editable);
    command
}

/// The regions with an entry, in the order of work; the selected ones stand out.
fn regions_worked(ui: &mut egui::Ui, session: &Session, selection: &BTreeSet<RegionId>) {
    ui.label(egui::RichText::new("Regions worked").strong());
    if session.regions.is_empty() {
        ui.weak("Nothing marked yet. Click a region on the map, then press a number for its value.");
        return;
    }
    for work in &session.regions {
        let text = format!("{}\n{}", work.region.accessible_name(), values_in_words(work));
        let text = egui::RichText::new(text);
        let text = if selection.contains(&work.region) { text.strong() } else { text };
        ui.label(text);
        ui.add_space(2.0);
    }
    let planned = session.planned_minutes();
    if planned > 0 {
        ui.add_space(4.0);
        ui.weak(format!("{planned} of {} minutes planned", session.minutes));
    }
}

/// "moderate tension, pain 5/10, pressure 3 medium, 10 min, trigger point".
fn values_in_words(work: &RegionWork) -> String {
    let mut parts = Vec::new();
    if let Some(tension) = work.tension {
        parts.push(format!("{} tension", tension.word()));
    }
    if let Some(pain) = work.pain {
        parts.push(format!("pain {pain}/10"));
    }
    if let Some(pressure) = work.pressure {
        parts.push(format!("pressure {pressure} {}", pressure.word()));
    }
    if let Some(minutes) = work.minutes {
        parts.push(format!("{minutes} min"));
    }
    parts.extend(work.findings.iter().map(|finding| finding.label().to_lowercase()));
    if parts.is_empty() { "no values yet".to_owned() } else { parts.join(", ") }
}

fn outcome(ui: &mut egui::Ui, session: &Session) {
    let Some(outcome) = &session.outcome else { return };
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
