//! Everything the user can ask the app to do, as one enum. Widgets return
//! commands instead of changing the app while it is being drawn; the app applies
//! them after the frame. Each command knows its menu text, shortcut and tooltip,
//! so the menu, the buttons and the keyboard always agree.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::{ClientId, SessionId};
use crate::workspace::{Edit, Resolution};

#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant, reason = "a few commands a frame, moved once each")]
pub enum Command {
    /// Write every unsaved edit now.
    Save,
    /// Ask for the name of a new client.
    NewClient,
    /// Add a client with this name, and select them.
    AddClient {
        name: String,
    },
    SelectClient(ClientId),
    /// Plan a new session for the selected client.
    NewSession,
    /// Plan a new session that starts from the last completed one's plan, goals and aftercare.
    NewSessionFromLast,
    /// Open one plan from a .ron file anywhere, to view or import.
    OpenPlan,
    /// Save the open session's plan as a single .ron file, to share it.
    SavePlanAs,
    /// Print the selected session's plan sheet or take-home sheet, or the client's
    /// progress report: choose, see the pages, print or save as PDF.
    Print,
    /// The open client's history: timeline, comparison, where it comes back.
    ShowHistory,
    /// The sessions planned today across clients, with "Print all plan sheets".
    ShowToday,
    /// Edit the practice's settings.
    ShowSettings,
    /// Take back the last edit of the open session.
    Undo,
    /// Do again what Undo took back.
    Redo,
    SelectSession(SessionId),
    /// Ask before moving the selected client, with all their sessions, to the trash.
    TrashClient(ClientId),
    /// Ask before moving a planned session to the trash.
    TrashSession(SessionId),
    /// Move the client to the trash: the user said yes.
    ConfirmTrashClient(ClientId),
    /// Move the planned session to the trash: the user said yes.
    ConfirmTrashSession(SessionId),
    /// Show what is in the trash.
    ShowTrash,
    /// Hide (or show again) the client list and profile, to give the session the window.
    ToggleLists,
    /// Give the body map the keyboard: its focused or selected region, else its first.
    FocusMap,
    /// Show the map's next layer: superficial, deep, both, and round again.
    NextLayer,
    /// Colour the map by the next value: tension, pressure, pain, and round again.
    NextFill,
    Restore(std::path::PathBuf),
    /// Write the sample practice (if not there yet) and open it.
    OpenSamplePractice,
    /// Ask for the folder of another practice.
    SwitchPractice,
    OpenPractice(std::path::PathBuf),
    /// A change the screen made to the open client: applied to the workspace.
    Edit(Edit),
    /// Show two versions of a session side by side: the one saved on another
    /// laptop while it was edited here, or the conflict copy at `copy`.
    CompareVersions {
        session: SessionId,
        copy: Option<std::path::PathBuf>,
    },
    /// Settle two versions of a session as the user chose.
    Resolve {
        session: SessionId,
        copy: Option<std::path::PathBuf>,
        resolution: Resolution,
    },
    /// Ask before taking the selected session over from the laptop that has it open.
    AskTakeOver,
    /// Edit the selected session here: the user said yes.
    TakeOver,
    /// Save the practice settings being edited, and close their window.
    CloseSettings,
    /// Watch the practice folder as chosen in the settings (this laptop's choice).
    Watch(crate::storage::watch::WatchChoice),
    /// Open Practice settings → Safety rules.
    ShowSafetyRules,
    /// Save the clinic's safety rules as edited (dated and signed when saved).
    SaveSafetyRules(Box<crate::model::ClinicRules>),
    /// Close the safety rules without saving.
    CloseSafetyRules,
    /// Put the edits kept in the recovery folder back into the practice.
    BringBack,
    /// The notes of what happened on their own have been read.
    DismissNotices,
    /// Show the client only this session's consent, to read and sign; the
    /// laptop's PIN gets the therapist's view back.
    HandToClient(SessionId),
    /// Hide everything behind the laptop's PIN.
    Lock,
    /// Hand the laptop to the open client with the health questionnaire.
    AskQuestionnaire,
    /// Every change to this session, from every laptop's audit trail.
    ShowRecordHistory(SessionId),
    /// Lock this laptop after so many minutes without use, or never.
    IdleLock(Option<u16>),
    /// Practice settings → the consent's words, and this laptop's lock.
    ShowConsentSettings,
}

impl Command {
    /// The keyboard shortcut, for the commands that have one.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        match self {
            Command::Save => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::S)),
            Command::NewSession => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::N)),
            Command::NewClient => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::N)),
            Command::OpenPlan => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::O)),
            Command::SavePlanAs => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::S)),
            Command::Print => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::P)),
            Command::ToggleLists => Some(KeyboardShortcut::new(Modifiers::NONE, Key::F9)),
            Command::FocusMap => Some(KeyboardShortcut::new(Modifiers::NONE, Key::F6)),
            Command::NextLayer => Some(KeyboardShortcut::new(Modifiers::NONE, Key::L)),
            Command::NextFill => Some(KeyboardShortcut::new(Modifiers::NONE, Key::F)),
            Command::Undo => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::Z)),
            Command::Redo => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z)),
            Command::Lock => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::L)),
            Command::ShowHistory => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::H)),
            _ => None,
        }
    }

    /// The text on the menu item or button.
    pub fn text(&self) -> &'static str {
        match self {
            Command::Save => "Save",
            Command::NewClient => "New client",
            Command::AddClient { .. } => "Add client",
            Command::SelectClient(_) => "Select client",
            Command::NewSession => "New session",
            Command::NewSessionFromLast => "New session from last",
            Command::OpenPlan => "Open plan…",
            Command::SavePlanAs => "Save plan as…",
            Command::Print => "Print…",
            Command::ShowToday => "Today…",
            Command::ShowHistory => "History…",
            Command::ShowSettings => "Practice settings…",
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::SelectSession(_) => "Select session",
            Command::TrashClient(_) => "Move client to trash",
            Command::TrashSession(_) => "Move session to trash",
            Command::ConfirmTrashClient(_) | Command::ConfirmTrashSession(_) => "Move to trash",
            Command::ShowTrash => "Trash…",
            Command::ToggleLists => "Lists",
            Command::FocusMap => "Go to the map",
            Command::NextLayer => "Next layer",
            Command::NextFill => "Next fill",
            Command::Restore(_) => "Restore",
            Command::OpenSamplePractice => "Open the sample practice",
            Command::SwitchPractice => "Open practice…",
            Command::OpenPractice(_) => "Open",
            Command::Edit(_) => "Edit",
            Command::CompareVersions { .. } => "Compare…",
            Command::Resolve { .. } => "Keep",
            Command::AskTakeOver => "Take over…",
            Command::TakeOver => "Take over",
            Command::CloseSettings => "Done",
            Command::Watch(_) => "Watch",
            Command::ShowSafetyRules => "Safety rules…",
            Command::SaveSafetyRules(_) => "Save rules",
            Command::CloseSafetyRules => "Close",
            Command::BringBack => "Put them back",
            Command::DismissNotices => "Dismiss",
            Command::HandToClient(_) => "Hand to client…",
            Command::Lock => "Lock",
            Command::AskQuestionnaire => "Hand the questionnaire to the client…",
            Command::ShowRecordHistory(_) => "History of this record…",
            Command::IdleLock(_) => "Lock when not used",
            Command::ShowConsentSettings => "Consent and lock…",
        }
    }

    /// What hovering the button says.
    pub fn tooltip(&self) -> &'static str {
        match self {
            Command::Save => "Write every change to disk now (changes are also saved on their own)",
            Command::NewClient => "Add a client to this practice",
            Command::NewSession => "Plan a new session for the selected client",
            Command::NewSessionFromLast => {
                "Plan a new session with the last completed session's plan, goals and aftercare"
            }
            Command::OpenPlan => {
                "Open a plan saved as a single file, to look at it or import it into a client"
            }
            Command::SavePlanAs => "Save this session's plan as a single file, to share it",
            Command::Print => "Print the plan sheet, the take-home sheet or the progress report",
            Command::ShowHistory => {
                "The client's sessions over time: timeline, compare two, where tension keeps coming back"
            }
            Command::ShowToday => "Every session planned today, across clients, to print their plan sheets",
            Command::ShowSettings => "Clinic name, therapists, paper, session length, aftercare, next visit",
            Command::Undo => "Take back the last change to this session",
            Command::Redo => "Do again what Undo took back",
            Command::TrashClient(_) => {
                "Move this client and all their sessions to the practice's trash (restorable)"
            }
            Command::TrashSession(_) => "Move this planned session to the practice's trash (restorable)",
            Command::ShowTrash => "See what was moved to the trash, and restore it",
            Command::ToggleLists => "Show or hide the client list and profile (F9)",
            Command::FocusMap => {
                "Move the keyboard to the body map (F6); the arrow keys then move between regions"
            }
            Command::NextLayer => "Show the next layer: superficial, deep, both (L, when not typing)",
            Command::NextFill => {
                "Colour the map by the next value: tension, pressure, pain (F, when not typing)"
            }
            Command::OpenSamplePractice => {
                "A made-up practice with clients and months of sessions, in its own folder, to look around"
            }
            Command::SwitchPractice => "Open another practice folder",
            Command::ShowSafetyRules => "Tighten the built-in safety rules, and add the clinic's own flags",
            Command::BringBack => {
                "Save each kept edit into the practice; a file changed since keeps the edit beside it"
            }
            Command::Lock => "Hide everything until this laptop's PIN is typed (Ctrl+L)",
            Command::ShowRecordHistory(_) => "Who changed this session, when, on which laptop, and what",
            Command::ShowConsentSettings => {
                "The words every client reads before signing, and when this laptop locks"
            }
            Command::AskQuestionnaire => {
                "The client answers a question for each health flag on the laptop; you review the answers here"
            }
            _ => "",
        }
    }

    /// The commands reachable from the keyboard at any time. egui matches
    /// Ctrl+Shift+N against a Ctrl+N pattern too, so a shortcut with Shift must
    /// come before the same one without it.
    pub const WITH_SHORTCUTS: [Command; 12] = [
        Command::Lock,
        Command::ShowHistory,
        Command::ToggleLists,
        Command::FocusMap,
        Command::SavePlanAs,
        Command::Save,
        Command::NewClient,
        Command::NewSession,
        Command::OpenPlan,
        Command::Print,
        Command::Redo,
        Command::Undo,
    ];

    /// The map's letter keys: plain letters, so they count only while no text
    /// field has the keyboard (typing an "l" in the notes must stay an "l").
    pub const MAP_LETTERS: [Command; 2] = [Command::NextLayer, Command::NextFill];

    /// A menu entry for this command, with its shortcut; `Some(self)` when chosen.
    pub fn menu_item(self, ui: &mut egui::Ui) -> Option<Command> {
        self.menu_item_enabled(ui, true)
    }

    pub fn menu_item_enabled(self, ui: &mut egui::Ui, enabled: bool) -> Option<Command> {
        let mut button = egui::Button::new(self.text());
        if let Some(shortcut) = self.shortcut() {
            button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
        }
        let response = ui.add_enabled(enabled, button).accessible_name(self.text());
        let response =
            if self.tooltip().is_empty() { response } else { response.on_hover_text(self.tooltip()) };
        // The menu closes on its own after a click, but not after Enter or Space:
        // closed here, so that it never stays open over the window it opened.
        if response.clicked() {
            ui.close();
        }
        response.clicked().then_some(self)
    }

    /// A button for this command, with its shortcut and tooltip; `Some(self)` when clicked.
    pub fn button(self, ui: &mut egui::Ui) -> Option<Command> {
        self.button_showing_shortcut(ui, true)
    }

    /// A button for a row with little room: its shortcut is said in its tooltip
    /// instead of on its face.
    pub fn narrow_button(self, ui: &mut egui::Ui) -> Option<Command> {
        self.button_showing_shortcut(ui, false)
    }

    fn button_showing_shortcut(self, ui: &mut egui::Ui, on_its_face: bool) -> Option<Command> {
        let mut button = egui::Button::new(self.text());
        let shortcut = self.shortcut().map(|shortcut| ui.ctx().format_shortcut(&shortcut));
        let mut tooltip = self.tooltip().to_owned();
        match shortcut {
            Some(shortcut) if on_its_face => button = button.shortcut_text(shortcut),
            Some(shortcut) if tooltip.is_empty() => tooltip = shortcut,
            Some(shortcut) => tooltip = format!("{tooltip} ({shortcut})"),
            None => {}
        }
        // The name a screen reader says is the command's text, without the shortcut.
        let response = ui.add(button).accessible_name(self.text());
        let response = if tooltip.is_empty() { response } else { response.on_hover_text(tooltip) };
        response.clicked().then_some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shortcut_with_shift_is_never_taken_by_the_same_one_without_it() {
        let shortcuts: Vec<_> = Command::WITH_SHORTCUTS
            .iter()
            .chain(&Command::MAP_LETTERS)
            .filter_map(Command::shortcut)
            .collect();
        for (index, later) in shortcuts.iter().enumerate() {
            for earlier in &shortcuts[..index] {
                let shadowed = earlier.logical_key == later.logical_key
                    && later.modifiers.matches_logically(earlier.modifiers)
                    && earlier.modifiers != later.modifiers;
                assert!(!shadowed, "{earlier:?} comes before {later:?} and would take it");
            }
        }
    }
}
