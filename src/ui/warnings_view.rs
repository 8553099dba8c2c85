//! The safety warnings of the open session, where the work is planned: each
//! with what and why, and a way to go ahead that asks for a written reason, which
//! is kept in the session (and printed with the plan).

use jiff::civil::DateTime;

use crate::model::{RegionId, SafetyOverride, SafetyRule, Session};
use crate::safety::{NOT_MEDICAL_ADVICE, SafetyReport, Severity, Warning};

/// The warning whose override is being written, and the reason typed so far.
#[derive(Clone, Debug, Default)]
pub struct WarningsView {
    writing: Option<(SafetyRule, Option<RegionId>)>,
    reason: String,
}

impl WarningsView {
    /// Shows the report's warnings and reminders; returns true when an override
    /// was added to `session`.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        report: &SafetyReport,
        session: &mut Session,
        now: DateTime,
        read_only: bool,
    ) -> bool {
        let mut changed = false;
        if report.warnings.is_empty() {
            ui.weak("No safety warnings for this plan.");
        }
        for warning in &report.warnings {
            ui.add_space(4.0);
            changed |= self.warning(ui, warning, session, now, read_only);
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
        let colour = match warning.severity {
            Severity::Blocking => ui.visuals().error_fg_color,
            Severity::Caution => ui.visuals().warn_fg_color,
        };
        if let Some(decision) = &warning.overridden {
            ui.label(egui::RichText::new(&warning.message).strikethrough().weak());
            ui.label(format!(
                "Going ahead ({}): {}",
                decision.decided_at.strftime("%-d %b %Y %H:%M"),
                decision.reason
            ));
            return false;
        }
        let prefix = match warning.severity {
            Severity::Blocking => "Stop: ",
            Severity::Caution => "Caution: ",
        };
        ui.label(egui::RichText::new(format!("{prefix}{}", warning.message)).color(colour));
        if read_only {
            return false;
        }
        if self.writing != Some(key) {
            let ask = match warning.severity {
                Severity::Blocking => "Acknowledge and go ahead…",
                Severity::Caution => "Override…",
            };
            let name = format!("{ask} {}", target_name(warning));
            if ui.add(egui::Button::new(ask)).accessible_name(name).clicked() {
                self.writing = Some(key);
                self.reason.clear();
            }
            return false;
        }
        ui.add(
            egui::TextEdit::multiline(&mut self.reason)
                .hint_text("Why it is right to go ahead (required), e.g. cleared by the GP on 12 Nov")
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .accessible_name("Reason for going ahead");
        let mut changed = false;
        ui.horizontal(|ui| {
            let has_reason = !self.reason.trim().is_empty();
            if ui.add_enabled(has_reason, egui::Button::new("Go ahead with this reason")).clicked() {
                session.overrides.push(SafetyOverride {
                    rule: warning.rule,
                    region: warning.region,
                    reason: self.reason.trim().to_owned(),
                    decided_at: now,
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

/// What the warning is about, for the override button's accessible name.
fn target_name(warning: &Warning) -> String {
    match warning.region {
        Some(region) => region.accessible_name(),
        None => "the session".to_owned(),
    }
}
