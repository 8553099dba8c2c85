//! The selected client: their profile (everything the model holds about them)
//! and their sessions by date.

use crate::model::{Client, HealthFlag, Layer, Pressure, RegionId, Session, SessionId, SessionStatus};

use crate::ui::app::command::Command;
use crate::ui::widgets::date_field::optional_date_field;
use crate::ui::widgets::seen_text;
use crate::ui::widgets::short_name::NameLine;
use crate::workspace::Edit;

/// Edits `client` in place; returns a command for what lies beyond the profile.
/// An empty date's calendar opens at `today`.
pub fn client_profile(
    ui: &mut egui::Ui,
    client: &mut Client,
    sessions: &[Session],
    selected_session: Option<&SessionId>,
    read_only: Option<&str>,
    today: jiff::civil::Date,
    clinic_flags: &[crate::model::ClinicFlag],
) -> Option<Command> {
    let mut command = None;
    ui.add_space(4.0);
    NameLine::new(client.display_name()).style(egui::TextStyle::Heading).label(ui, None);
    if let Some(why) = read_only {
        ui.colored_label(ui.visuals().warn_fg_color, format!("Read-only: {why}"));
    }

    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading("Sessions");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            command = Command::NewSession.button(ui);
            if !sessions.is_empty() {
                // Its shortcut in the tooltip: on its face it would push into the heading.
                command = command.take().or(Command::ShowHistory.narrow_button(ui));
            }
        });
    });
    if sessions.is_empty() {
        ui.weak("No sessions yet.");
    }
    // Only the rows in sight are laid out: a client with years of sessions costs a frame no more.
    let row_height = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical().id_salt("sessions").max_height(180.0).auto_shrink([false, true]).show_rows(
        ui,
        row_height,
        sessions.len(),
        |ui, rows| {
            for session in sessions.iter().rev().skip(rows.start).take(rows.len()) {
                let status = match session.status {
                    _ if session.entered_in_error.is_some() => "entered in error",
                    SessionStatus::Planned if !session.postponements.is_empty() => "postponed",
                    SessionStatus::Completed => "done",
                    status => status.word(),
                };
                let label = format!(
                    "{}  ·  {} min  ·  {status}",
                    session.starts_at.strftime("%a %-d %b %Y, %H:%M"),
                    session.minutes
                );
                // A record entered in error stays in the list, struck through, as the record keeps it.
                let text = if session.entered_in_error.is_some() {
                    egui::RichText::new(&label).strikethrough().weak()
                } else {
                    egui::RichText::new(&label)
                };
                let selected = selected_session == Some(&session.id);
                ui.with_layout(egui::Layout::top_down_justified(egui::Align::LEFT), |ui| {
                    let row = ui.add(egui::Button::selectable(selected, text)).accessible_name(&label);
                    crate::ui::widgets::window::kept_in_sight(&row);
                    if row.clicked() {
                        command = Some(Command::SelectSession(session.id.clone()));
                    }
                });
            }
        },
    );

    ui.separator();
    ui.add_enabled_ui(read_only.is_none(), |ui| {
        // Each client's own scroll position: a new client's profile opens at its Name field.
        egui::ScrollArea::vertical().id_salt(("profile", &client.id)).auto_shrink([false, false]).show(
            ui,
            |ui| {
                // Each client's fields are their own: what was typed for one never shows for another.
                ui.push_id(client.id.clone(), |ui| {
                    profile_fields(ui, client, today);
                    clinic_flag_fields(ui, client, clinic_flags);
                    if let Some(asked) = questionnaire(ui, client, clinic_flags) {
                        command = Some(asked);
                    }
                });
                ui.add_space(12.0);
                if let Some(trash) = Command::TrashClient(client.id.clone()).button(ui) {
                    command = Some(trash);
                }
            },
        );
    });
    command
}

/// The clinic's own flags, beside the built-in ones: a box each, and a note.
fn clinic_flag_fields(ui: &mut egui::Ui, client: &mut Client, clinic_flags: &[crate::model::ClinicFlag]) {
    if clinic_flags.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.label(egui::RichText::new("The clinic's own flags").strong());
    for flag in clinic_flags {
        let mut has_flag = client.clinic_flags.contains_key(&flag.key);
        let label =
            if flag.blocks { format!("{} (stops the session)", flag.name) } else { flag.name.clone() };
        if ui.checkbox(&mut has_flag, &label).changed() {
            if has_flag {
                client.clinic_flags.entry(flag.key.clone()).or_default();
            } else {
                client.clinic_flags.remove(&flag.key);
            }
        }
        if let Some(details) = client.clinic_flags.get_mut(&flag.key) {
            ui.indent(&flag.key, |ui| {
                let id = ui.make_persistent_id(("clinic_flag_note", &flag.key));
                seen_text::field(ui, &mut details.note, id, false, |edit| {
                    edit.hint_text("Note").desired_width(f32::INFINITY)
                })
                .accessible_name(format!("{} note", flag.name));
            });
        }
    }
}

fn profile_fields(ui: &mut egui::Ui, client: &mut Client, today: jiff::civil::Date) {
    egui::Grid::new("profile").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
        let label = ui.label("Name");
        let id = ui.make_persistent_id("client_name");
        seen_text::field(ui, &mut client.name, id, false, |edit| edit.hint_text("Full name"))
            .labelled_by(label.id);
        ui.end_row();

        let label = ui.label("Date of birth");
        optional_date_field(ui, label.id, "Date of birth", &mut client.date_of_birth, today);
        ui.end_row();

        let label = ui.label("Phone");
        ui.add(egui::TextEdit::singleline(&mut client.phone).hint_text("Phone")).labelled_by(label.id);
        ui.end_row();

        let label = ui.label("Email");
        ui.add(egui::TextEdit::singleline(&mut client.email).hint_text("Email")).labelled_by(label.id);
        ui.end_row();

        ui.label("Prefers");
        ui.horizontal_wrapped(|ui| {
            ui.selectable_value(&mut client.pressure_preference, None, "not said");
            for pressure in Pressure::all() {
                ui.selectable_value(&mut client.pressure_preference, Some(pressure), pressure.word());
            }
        });
        ui.end_row();
    });

    ui.add_space(8.0);
    ui.label(egui::RichText::new("Health flags").strong());
    ui.weak("They cap the pressure a plan allows. A planning aid, not medical advice.");
    for flag in HealthFlag::ALL {
        let mut has_flag = client.health_flags.contains_key(&flag);
        if ui.checkbox(&mut has_flag, flag.label()).changed() {
            if has_flag {
                client.health_flags.entry(flag).or_default();
            } else {
                client.health_flags.remove(&flag);
            }
        }
        if let Some(details) = client.health_flags.get_mut(&flag) {
            ui.indent(flag.label(), |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label("Since");
                    let name = format!("{} since", flag.label());
                    optional_date_field(ui, label.id, &name, &mut details.since, today);
                });
                let id = ui.make_persistent_id(("flag_note", flag.label()));
                seen_text::field(ui, &mut details.note, id, false, |edit| {
                    edit.hint_text("Note").desired_width(f32::INFINITY)
                })
                .accessible_name(format!("{} note", flag.label()));
                if flag.names_regions() {
                    flag_regions(ui, flag, &mut details.regions);
                }
            });
        }
    }

    ui.add_space(8.0);
    ui.label(egui::RichText::new("Notes").strong());
    let id = ui.make_persistent_id("client_notes");
    seen_text::field(ui, &mut client.notes, id, true, |edit| {
        edit.char_limit(crate::model::MAX_TEXT_CHARS)
            .hint_text("Anything else worth knowing")
            .desired_rows(3)
            .desired_width(f32::INFINITY)
    })
    .accessible_name("Client notes");
}

/// The regions a flag concerns (the operated shoulder, the patch of eczema):
/// listed by name, and chosen from a menu of the map's regions by layer.
fn flag_regions(ui: &mut egui::Ui, flag: HealthFlag, regions: &mut Vec<RegionId>) {
    if regions.is_empty() {
        ui.weak("No regions named yet: the rule then applies to none.");
    } else {
        let names: Vec<String> = regions.iter().map(|region| region.accessible_name()).collect();
        ui.label(format!("Regions: {}", names.join("; ")));
    }
    ui.menu_button("Choose regions…", |ui| {
        egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
            for layer in Layer::ALL {
                ui.label(egui::RichText::new(format!("{} layer", layer.label())).strong());
                for region in RegionId::all().filter(|region| region.info().layer == layer) {
                    let mut chosen = regions.contains(&region);
                    let name = region.accessible_name();
                    if ui.checkbox(&mut chosen, &name).changed() {
                        if chosen {
                            regions.push(region);
                        } else {
                            regions.retain(|other| *other != region);
                        }
                    }
                }
            }
        });
    })
    .response
    .on_hover_text(format!("The regions {} concerns", flag.label().to_lowercase()));
}

/// The client's health questionnaire: what they answered last and when, the
/// answers that disagree with the flags above to confirm or correct, and the
/// button that hands the questionnaire over (again, at a later visit).
fn questionnaire(
    ui: &mut egui::Ui,
    client: &Client,
    clinic_flags: &[crate::model::ClinicFlag],
) -> Option<Command> {
    use crate::model::intake::Answer;
    let mut command = None;
    ui.add_space(6.0);
    ui.label(egui::RichText::new("Health questionnaire").strong());
    let Some(latest) = client.intakes.last() else {
        ui.weak("Not asked yet.");
        return Command::AskQuestionnaire.button(ui);
    };
    ui.label(format!(
        "Answered {}: {}.",
        latest.answered_at.strftime("%-d %b %Y %H:%M"),
        latest.in_words(clinic_flags)
    ));
    if !latest.note.trim().is_empty() {
        ui.label(format!("They wrote: {}", latest.note.trim()));
    }
    match &latest.reviewed {
        Some(reviewed) => {
            ui.weak(format!("Reviewed by {} on {}.", reviewed.by, reviewed.at.strftime("%-d %b %Y %H:%M")));
        }
        None => {
            let differ = latest.to_review(client);
            for (flag, answer, has) in &differ {
                let said = match answer {
                    Answer::Yes => "yes",
                    Answer::NotSure => "not sure",
                    Answer::No => "no",
                };
                let proposal = if *has { "the profile has the flag" } else { "the profile lacks the flag" };
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("{}: answered {said}; {proposal}.", flag.label()),
                );
            }
            ui.horizontal_wrapped(|ui| {
                let proposed: Vec<_> =
                    differ.iter().filter(|(_, _, has)| !has).map(|(flag, ..)| *flag).collect();
                let cleared: Vec<_> =
                    differ.iter().filter(|(_, _, has)| *has).map(|(flag, ..)| *flag).collect();
                if !differ.is_empty()
                    && ui
                        .button("Take the answers")
                        .on_hover_text("Add the flags answered yes or not sure, and remove those answered no")
                        .clicked()
                {
                    command = Some(Command::Edit(Edit::ReviewIntake { confirmed: proposed, cleared }));
                }
                let keep = if differ.is_empty() { "Mark reviewed" } else { "Keep the flags as they are" };
                if ui.button(keep).clicked() {
                    command = Some(Command::Edit(Edit::ReviewIntake {
                        confirmed: Vec::new(),
                        cleared: Vec::new(),
                    }));
                }
            });
        }
    }
    command.or(Command::AskQuestionnaire.button(ui))
}
