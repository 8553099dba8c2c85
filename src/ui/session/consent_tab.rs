//! The session's consent, on the therapist's side: whether the client has
//! given it and what it covers, what the plan still lacks, the words the client
//! will read, and the ways to record it: handing the laptop over to sign, a
//! paper form, the therapist's own signature, and a withdrawal.

use std::collections::BTreeSet;

use jiff::civil::Date;

use crate::model::consent::{self, ConsentChange, current_consent, given_in_words};
use crate::model::{RegionId, Session};
use crate::ui::app::command::Command;
use crate::ui::session::SessionContext;
use crate::ui::widgets::date_field::optional_date_field;
use crate::ui::widgets::signature_pad::{SignaturePad, signature_view};
use crate::workspace::Edit;

/// How wide a signature is shown in the side panel.
const SIGNATURE_WIDTH: f32 = 270.0;

/// What the tab keeps between frames.
#[derive(Default)]
pub struct ConsentTab {
    /// The therapist's signature being drawn.
    therapist_pad: SignaturePad,
    /// The day a paper form was signed, while it is being recorded.
    paper_signed_on: Option<Date>,
    /// The areas ticked for withdrawal.
    withdrawing: BTreeSet<RegionId>,
}

impl ConsentTab {
    /// Shows the consent of `session`; `editable` when it may change.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        context: &SessionContext<'_>,
        editable: bool,
    ) -> Option<Command> {
        let mut asked = None;
        let edit =
            |change: ConsentChange| Command::Edit(Edit::Consent { session: session.id.clone(), change });
        let current = current_consent(session);
        ui.label(egui::RichText::new("Consent for this session").strong());
        match current {
            Some(given) => {
                ui.label(format!("Given: {}.", given_in_words(given)));
                if let Some(client) = given.client.as_ref().filter(|signature| signature.is_drawn()) {
                    signature_view(ui, client, SIGNATURE_WIDTH);
                }
                match &given.therapist {
                    Some(therapist) => {
                        ui.label(format!(
                            "Therapist: {} at {}.",
                            therapist.name,
                            therapist.signed_at.strftime("%H:%M")
                        ));
                        signature_view(ui, therapist, SIGNATURE_WIDTH);
                    }
                    None => {
                        ui.weak("Not signed by the therapist yet.");
                    }
                }
                for withdrawal in &given.withdrawals {
                    let what = withdrawal.what();
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!(
                            "Withdrawn at {}: {what} (noted by {}).",
                            withdrawal.at.strftime("%H:%M"),
                            withdrawal.noted_by
                        ),
                    );
                }
            }
            None => {
                ui.weak("No consent is recorded for this session.");
            }
        }
        if let Some(gap) = consent::consent_gap(session, &context.clinic_rules.sensitive_regions()) {
            ui.colored_label(ui.visuals().warn_fg_color, crate::model::words::sentence(&gap.to_string()));
        }
        if !editable || session.status.is_record() {
            return None;
        }

        ui.add_space(8.0);
        let text = consent::consent_text(&context.settings.consent_wording, context.client, session);
        egui::CollapsingHeader::new("What the client reads").id_salt("consent_words").show(ui, |ui| {
            for line in text.lines() {
                crate::ui::widgets::seen_text::label(ui, line);
            }
        });
        ui.add_space(4.0);
        if ui
            .button("Hand to client to sign…")
            .on_hover_text(
                "Shows the client only this consent, in large type; the laptop's PIN gets you back",
            )
            .clicked()
        {
            asked = Some(Command::HandToClient(session.id.clone()));
        }

        ui.add_space(8.0);
        // One thing a line: the side panel keeps its width, and the map its room.
        let today = context.now.date();
        let label = ui.label("Signed on a paper form instead, on");
        optional_date_field(ui, label.id, "Signed on paper on", &mut self.paper_signed_on, today);
        let day = self.paper_signed_on;
        if ui.add_enabled(day.is_some(), egui::Button::new("Record paper consent")).clicked()
            && let Some(signed_on) = day
        {
            asked = Some(edit(ConsentChange::OnPaper { signed_on }));
            self.paper_signed_on = None;
        }

        if current.is_some_and(|given| given.therapist.is_none()) {
            ui.add_space(8.0);
            // The session's therapist signs; a session without one is signed by whoever is at the laptop.
            let who = session.therapist.trim().to_owned();
            ui.label(if who.is_empty() {
                "The therapist signs here:".to_owned()
            } else {
                format!("{who}, sign as the therapist:")
            });
            self.therapist_pad.ui(ui, "the therapist", SIGNATURE_WIDTH);
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(self.therapist_pad.is_drawn(), egui::Button::new("Sign as therapist"))
                    .clicked()
                {
                    let signature = self.therapist_pad.signature(&who, context.now);
                    asked = Some(edit(ConsentChange::Countersign(signature)));
                    self.therapist_pad.clear();
                }
                if ui.button("Clear").clicked() {
                    self.therapist_pad.clear();
                }
            });
        }

        if let Some(given) = current.filter(|given| !given.is_withdrawn()) {
            ui.add_space(8.0);
            ui.label("The client changed their mind:");
            for &region in given.areas.keys() {
                if given.withdrawn_at(region).is_some() {
                    continue;
                }
                let mut ticked = self.withdrawing.contains(&region);
                if ui.checkbox(&mut ticked, region.accessible_name()).changed() {
                    if ticked {
                        self.withdrawing.insert(region);
                    } else {
                        self.withdrawing.remove(&region);
                    }
                }
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!self.withdrawing.is_empty(), egui::Button::new("Withdraw these areas"))
                    .clicked()
                {
                    let areas = std::mem::take(&mut self.withdrawing);
                    asked = Some(edit(ConsentChange::Withdraw { areas: Some(areas) }));
                }
                if ui.button("Withdraw all consent").clicked() {
                    self.withdrawing.clear();
                    asked = Some(edit(ConsentChange::Withdraw { areas: None }));
                }
            });
        }
        asked
    }
}
