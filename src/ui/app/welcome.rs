//! What an empty practice shows: a greeting and the two ways to start.

use crate::ui::app::command::Command;

pub fn welcome(ui: &mut egui::Ui) -> Option<Command> {
    let mut command = None;
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.25);
        ui.heading("Welcome to Knotmap");
        ui.add_space(8.0);
        ui.label("Plan deep tissue sessions on a body map of the back, neck and shoulders.");
        ui.label("Your practice is a folder of plain files that you own.");
        ui.add_space(16.0);
        command = Command::NewClient.button(ui);
        ui.add_space(6.0);
        command = command.take().or(Command::OpenSamplePractice.button(ui));
        ui.add_space(4.0);
        ui.weak("The sample practice opens in its own folder; nothing is added to yours.");
    });
    command
}
