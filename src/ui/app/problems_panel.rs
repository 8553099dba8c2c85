//! The list of problems found in the practice folder: files that could not be
//! read, files from a newer version, things that do not follow the layout.

use crate::storage::Problem;

/// Shows each problem as `path:line:col: message`, the form `knotmap check` prints.
pub fn problems_panel(ui: &mut egui::Ui, problems: &[Problem]) {
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(format!("Problems in this practice ({})", problems.len())).strong());
        ui.weak("These files were left exactly as they are. Everything else opened normally.");
    });
    egui::ScrollArea::vertical().max_height(120.0).auto_shrink([false, true]).show(ui, |ui| {
        for problem in problems {
            ui.add(egui::Label::new(egui::RichText::new(problem.to_string()).monospace().small()).wrap());
        }
    });
}
