//! The safety warnings of the open session, where the work is planned: each
//! with what and why, and what to do about it. A caution asks for a written
//! reason to go ahead, and a reminder for a written note; both are kept in the
//! session (and printed with the plan). The reason written for the same warning
//! last time is offered with one click, and says where it came from. A blocking
//! warning offers no way past it: the Session tab postpones or cancels.
//! Caution notes, for regions that only border a caution zone, need nothing.

use jiff::civil::DateTime;

use crate::model::{RegionId, SafetyOverride, SafetyRule, Session};
use crate::safety::{NOT_MEDICAL_ADVICE, SafetyReport, Severity, Warning, explained_in_words};

/// The warning whose override is being written, and the reason typed so far.
#[derive(Clone, Debug, Default)]
pub struct WarningsView {
    writing: Option<(SafetyRule, Option<RegionId>)>,
    reason: String,
}

impl WarningsView {
    /// Shows the report's warnings, caution notes and reminders; returns true
    /// when an override was added to `session`.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        report: &SafetyReport,
        session: &mut Session,
        now: DateTime,
        read_only: bool,
    ) -> bool {
        let mut changed = false;
        if let Some(why) = &report.rules_missing {
            ui.colored_label(ui.visuals().error_fg_color, why);
        } else if report.warnings.is_empty() {
            ui.weak("No safety warnings for this plan.");
        }
        for warning in &report.warnings {
            ui.add_space(4.0);
            changed |= self.warning(ui, warning, session, now, read_only);
        }
        let notes: Vec<String> = session
            .regions
            .iter()
            .filter_map(|work| Some((work.region, report.caution_notes.get(&work.region)?)))
            .flat_map(|(region, notes)| {
                notes.iter().map(move |note| format!("{}: {note}", region.accessible_name()))
            })
            .collect();
        if !notes.is_empty() {
            ui.add_space(6.0);
            ui.label(egui::RichText::new("Caution notes").strong())
                .on_hover_text("Regions of the plan that border a caution zone: no reason is needed");
            for note in notes {
                ui.label(format!("• {note}"));
            }
        }
        let reminders: Vec<_> =
            report.reminders.iter().filter(|reminder| reminder.message != NOT_MEDICAL_ADVICE).collect();
        if !reminders.is_empty() {
            ui.add_space(6.0);
            for reminder in reminders {
                ui.label(format!("• {}", reminder.message));
            }
        }
        ui.add_space(6.0);
        ui.weak(NOT_MEDICAL_ADVICE);
        changed
    }

    fn warning(
        &mut self,
        ui: &mut egui::Ui,
        warning: &Warning,
        session: &mut Session,
        now: DateTime,
        read_only: bool,
    ) -> bool {
        let key = (warning.rule, warning.region);
        let (prefix, colour, ask) = match warning.severity {
            Severity::Blocking => ("Stop: ", ui.visuals().error_fg_color, ""),
            Severity::Caution => ("Caution: ", ui.visuals().warn_fg_color, "Explain…"),
            Severity::Reminder => ("To note: ", ui.visuals().warn_fg_color, "Write the note…"),
        };
        if let Some(decision) = &warning.overridden {
            ui.label(egui::RichText::new(&warning.message).strikethrough().weak());
            ui.label(explained_in_words(decision));
            return false;
        }
        ui.label(egui::RichText::new(format!("{prefix}{}", warning.message)).color(colour));
        if warning.severity == Severity::Blocking {
            ui.label("No reason can explain this away: postpone or cancel the session (Session tab).");
            return false;
        }
        if read_only {
            return false;
        }
        let mut changed = false;
        if let Some(offered) = &warning.offered
            && self.writing != Some(key)
        {
            let day = offered.from.strftime("%-d %b");
            let button = ui
                .add(egui::Button::new(format!("Use the reason of {day}: {}", offered.reason)).wrap())
                .accessible_name(format!("Carry last reason forward for {}", target_name(warning)))
                .on_hover_text("Written for the same warning at the client's last session; it will say so");
            if button.clicked() {
                session.overrides.push(offered.carried(warning, now));
                changed = true;
            }
        }
        if self.writing != Some(key) {
            let name = format!("{ask} {}", target_name(warning));
            if ui.add(egui::Button::new(ask)).accessible_name(name).clicked() {
                self.writing = Some(key);
                self.reason.clear();
            }
            return changed;
        }
        let hint = match warning.severity {
            Severity::Reminder => "The note (required), e.g. cleared by Dr Lee, GP, on 12 Nov",
            _ => "Why it is right to go ahead (required), e.g. client's pressure preference, tested",
        };
        let id = ui.make_persistent_id("reason_for_going_ahead");
        crate::ui::widgets::seen_text::field(ui, &mut self.reason, id, true, |edit| {
            edit.char_limit(crate::model::MAX_TEXT_CHARS)
                .hint_text(hint)
                .desired_rows(2)
                .desired_width(f32::INFINITY)
        })
        .accessible_name("Reason for going ahead");
        ui.horizontal(|ui| {
            let has_reason = !self.reason.trim().is_empty();
            if ui.add_enabled(has_reason, egui::Button::new("Keep this reason")).clicked() {
                session.overrides.push(SafetyOverride {
                    rule: warning.rule,
                    region: warning.region,
                    reason: self.reason.trim().to_owned(),
                    decided_at: now,
                    carried_from: None,
                });
                self.writing = None;
                self.reason.clear();
                changed = true;
            }
            if ui.button("Cancel").clicked() {
                self.writing = None;
            }
            if !has_reason {
                ui.weak("A written reason is needed.");
            }
        });
        changed
    }
}

/// What the warning is about, for the buttons' accessible names.
fn target_name(warning: &Warning) -> String {
    match warning.region {
        Some(region) => region.accessible_name(),
        None => "the session".to_owned(),
    }
}
