//! The list of the practice's clients, with search as you type.

use crate::model::words::folded_for_search;
use crate::model::{Client, ClientId};
use crate::storage::Practice;

use crate::ui::app::command::Command;
use crate::ui::widgets::short_name::NameLine;

/// The left panel: a search field, "New client", and the matching clients.
#[derive(Default)]
pub struct ClientList {
    pub search: String,
    /// The matching clients in name order, and the search and practice revision
    /// they were found for: with thousands of clients, sorting every frame would show.
    matches: Vec<ClientId>,
    matched_for: Option<(String, u64, std::path::PathBuf)>,
    /// Names (folded) that more than one client has: those rows say what tells them apart.
    shared_names: std::collections::HashSet<String>,
}

impl ClientList {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        practice: &Practice,
        selected: Option<&ClientId>,
    ) -> Option<Command> {
        let mut command = None;
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.heading("Clients");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                command = command.take().or(Command::NewClient.button(ui));
            });
        });
        ui.add(
            egui::TextEdit::singleline(&mut self.search)
                .hint_text("Search by name")
                .desired_width(f32::INFINITY),
        )
        .accessible_name("Search clients");
        ui.add_space(4.0);

        let query = folded_for_search(self.search.trim());
        let key = (query.clone(), practice.revision(), practice.root().to_owned());
        if self.matched_for.as_ref() != Some(&key) {
            let mut every: Vec<(String, ClientId)> = practice
                .clients()
                .map(|entry| (folded_for_search(entry.client.display_name()), entry.client.id.clone()))
                .collect();
            // Name, then ID: the same order on every laptop, namesakes included.
            every.sort();
            self.shared_names = every
                .windows(2)
                .filter(|pair| pair[0].0 == pair[1].0)
                .map(|pair| pair[0].0.clone())
                .collect();
            self.matches = every
                .into_iter()
                .filter(|(name, _)| query.is_empty() || name.contains(&query))
                .map(|(_, id)| id)
                .collect();
            self.matched_for = Some(key);
        }
        if self.matches.is_empty() && practice.client_count() > 0 {
            ui.weak("No client matches the search.");
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Button) + 6.0;
        // Only the visible rows are laid out, so thousands of clients scroll smoothly.
        egui::ScrollArea::vertical().id_salt("client_list").auto_shrink([false, true]).show_rows(
            ui,
            row_height,
            self.matches.len(),
            |ui, rows| {
                // Justified rows read like a list: the names line up on the left.
                ui.with_layout(egui::Layout::top_down_justified(egui::Align::LEFT), |ui| {
                    for entry in self.matches[rows].iter().filter_map(|id| practice.client(id)) {
                        let is_selected = selected == Some(&entry.client.id);
                        let name = entry.client.display_name();
                        let mut count = format!("  ({})", entry.sessions.len());
                        // A screen reader hears what tells namesakes apart too.
                        let mut spoken = name.to_owned();
                        if self.shared_names.contains(&folded_for_search(name)) {
                            let detail = namesake_detail(&entry.client);
                            count = format!("  · {detail}{count}");
                            spoken = format!("{name}, {detail}");
                        }
                        let room = ui.available_width() - 2.0 * ui.spacing().button_padding.x;
                        let fitted =
                            NameLine::new(name).after(&count).style(egui::TextStyle::Button).fit(ui, room);
                        let response = ui.add(
                            egui::Button::selectable(is_selected, fitted.shown(ui))
                                .min_size(egui::vec2(0.0, row_height)),
                        );
                        let response = fitted.explain(response, Some(&spoken));
                        // The count on its face, for a screen reader, after the name it knows it by.
                        response.ctx.accesskit_node_builder(response.id, |node| {
                            node.set_description(crate::model::words::count(
                                entry.sessions.len() as i64,
                                "session",
                            ));
                        });
                        crate::ui::widgets::window::kept_in_sight(&response);
                        if response.clicked() {
                            command = Some(Command::SelectClient(entry.client.id.clone()));
                        }
                    }
                });
            },
        );
        command
    }
}

/// What tells a client from another of the same name: the date of birth, or
/// (where none was recorded) the ID their folder is named by.
fn namesake_detail(client: &Client) -> String {
    match client.date_of_birth {
        Some(born) => format!("born {}", born.strftime("%-d %b %Y")),
        None => format!("ID {}", client.id.as_str()),
    }
}
