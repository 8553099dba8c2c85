//! The list of problems found in the practice folder: files that could not be
//! read, files from a newer version, things that do not follow the layout, and
//! second versions of sessions, which can be compared from here.

use crate::storage::{Practice, PracticePath};
use crate::ui::app::command::Command;

/// Shows each problem as `path:line:col: message`, the form `knotmap check`
/// prints; a second version of a session gets a "Compare…" button.
pub fn problems_panel(ui: &mut egui::Ui, practice: &Practice) -> Vec<Command> {
    let problems = practice.problems();
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(format!("Problems in this practice ({})", problems.len())).strong());
        ui.weak("These files were left exactly as they are. Everything else opened normally.");
    });
    egui::ScrollArea::vertical().max_height(120.0).auto_shrink([false, true]).show(ui, |ui| {
        for problem in problems {
            ui.horizontal(|ui| {
                if let PracticePath::Session(client, session) = practice.what_is(&problem.path)
                    && problem.path != practice.session_path(&client, &session)
                    && ui
                        .small_button("Compare…")
                        .on_hover_text("See both versions side by side and keep what is right")
                        .accessible_name(format!("Compare {} with its session", problem.path.display()))
                        .clicked()
                {
                    commands.push(Command::SelectClient(client));
                    commands.push(Command::SelectSession(session.clone()));
                    commands.push(Command::CompareVersions { session, copy: Some(problem.path.clone()) });
                }
                ui.add(egui::Label::new(egui::RichText::new(problem.to_string()).monospace().small()).wrap());
            });
        }
    });
    commands
}
