//! The session's status and outcome: mark a planned session ready (not while a
//! blocking safety warning is unacknowledged), complete it with its outcome,
//! which locks the record, and amend a completed session with a written reason.
//!
//! Amending follows the legal record-keeping therapists expect: the session's
//! fields hold the current record, and each amendment keeps, beside the reason,
//! the record it replaced ([`Session::amend`]). While an amendment is being
//! made the app lets the other editors change the session; this panel remembers
//! the record as it was, so that "Cancel" can put it back and "Save amendment"
//! can keep it.

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use crate::model::{Outcome, Pain, Response, Session, SessionId, SessionRecord, SessionStatus};

/// What the panel did to the session this frame, for the app to act on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CompletionAction {
    #[default]
    None,
    /// The session's status or outcome changed: save it.
    Changed,
    /// The therapist asked to amend the completed session: let the other
    /// editors edit it until the amendment is saved or cancelled.
    StartAmending,
    /// The amendment was saved into the session's amendments: save the session
    /// and lock it again.
    AmendmentSaved,
    /// The amendment was dropped and the record put back as it was: save the
    /// session (the edits made meanwhile may have been saved) and lock it again.
    AmendmentCancelled,
}

/// The panel's state. All of it is transient: an open form is not remembered
/// across restarts (and an amendment left open is not saved as one).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CompletionPanel {
    /// The "Complete session…" form, while open.
    #[serde(skip)]
    completing: Option<Completing>,
    /// The amendment being made, while one is.
    #[serde(skip)]
    amending: Option<Amending>,
    /// Whether the original record is shown beside the amendments.
    #[serde(skip)]
    show_original: bool,
}

#[derive(Clone, Debug)]
struct Completing {
    session: SessionId,
    outcome: Outcome,
}

#[derive(Clone, Debug)]
struct Amending {
    session: SessionId,
    /// The record when "Amend…" was pressed: what the amendment replaces.
    before: SessionRecord,
    reason: String,
    /// Why "Save amendment" was refused, until the next try.
    problem: Option<String>,
}

impl CompletionPanel {
    /// Whether an amendment is being made: the session it is for (see
    /// [`CompletionPanel::amending_session`]) may be edited until it is saved
    /// or cancelled.
    pub fn amending(&self) -> bool {
        self.amending.is_some()
    }

    /// The session an amendment is being made to, if one is.
    pub fn amending_session(&self) -> Option<&SessionId> {
        self.amending.as_ref().map(|amending| &amending.session)
    }

    /// Drops the amendment being made to `session`, putting its record back as
    /// it was, e.g. when the app closes the session. Returns true if there was one.
    pub fn cancel_amendment(&mut self, session: &mut Session) -> bool {
        match self.amending.take() {
            Some(amending) if amending.session == session.id => {
                session.restore_record(amending.before);
                true
            }
            other => {
                self.amending = other;
                false
            }
        }
    }

    /// Shows the status, outcome and amendments of `session`. `blocking` holds
    /// the messages of the blocking safety warnings not yet acknowledged;
    /// `therapist` and `now` sign and date an amendment.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut Session,
        blocking: &[String],
        therapist: &str,
        now: DateTime,
        read_only: bool,
    ) -> CompletionAction {
        // State left from another session, or from before the status changed, is stale.
        if self.completing.as_ref().is_some_and(|form| form.session != session.id || session.is_locked()) {
            self.completing = None;
        }
        if self
            .amending
            .as_ref()
            .is_some_and(|amending| amending.session == session.id && !session.is_locked())
        {
            self.amending = None;
        }

        ui.label(egui::RichText::new("Status").strong());
        match session.status {
            SessionStatus::Planned | SessionStatus::Ready => {
                self.unfinished_ui(ui, session, blocking, read_only)
            }
            SessionStatus::Completed => self.completed_ui(ui, session, therapist, now, read_only),
        }
    }

    fn unfinished_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut Session,
        blocking: &[String],
        read_only: bool,
    ) -> CompletionAction {
        let mut action = CompletionAction::None;
        if session.status == SessionStatus::Planned {
            ui.label("Planned: not checked yet.");
            let ready = ui
                .add_enabled(!read_only && blocking.is_empty(), egui::Button::new("Mark ready"))
                .on_hover_text("Checked and safe to start")
                .on_disabled_hover_text("Not while a blocking warning is unacknowledged");
            if ready.clicked() {
                session.status = SessionStatus::Ready;
                action = CompletionAction::Changed;
            }
            blocking_messages(ui, "Not ready: resolve or acknowledge first", blocking);
        } else {
            ui.label("Ready to start: checked, with no blocking warning.");
            blocking_messages(ui, "A blocking warning came up since", blocking);
            if ui.add_enabled(!read_only, egui::Button::new("Back to planning")).clicked() {
                session.status = SessionStatus::Planned;
                action = CompletionAction::Changed;
            }
        }

        ui.add_space(6.0);
        let Some(form) = &mut self.completing else {
            let open = ui
                .add_enabled(!read_only, egui::Button::new("Complete session…"))
                .on_hover_text("Record the outcome; the session's record is then locked");
            if open.clicked() {
                let outcome = session.outcome.clone().unwrap_or_else(empty_outcome);
                self.completing = Some(Completing { session: session.id.clone(), outcome });
            }
            return action;
        };
        let mut close = false;
        ui.group(|ui| {
            ui.add_enabled_ui(!read_only, |ui| {
                ui.label(egui::RichText::new("Outcome").strong());
                outcome_editor(ui, &mut form.outcome);
                ui.weak("Completing locks the record; later changes are dated amendments.");
                ui.horizontal(|ui| {
                    if ui.button("Complete").clicked() {
                        session.complete(form.outcome.clone());
                        action = CompletionAction::Changed;
                        close = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
        });
        if close {
            self.completing = None;
        }
        action
    }

    fn completed_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut Session,
        therapist: &str,
        now: DateTime,
        read_only: bool,
    ) -> CompletionAction {
        let mut action = CompletionAction::None;
        let amending_here = self.amending.as_ref().is_some_and(|amending| amending.session == session.id);

        if amending_here && !read_only {
            // The outcome is part of the record, so it is amended here.
            ui.label(egui::RichText::new("Outcome").strong());
            let mut outcome = session.outcome.clone().unwrap_or_else(empty_outcome);
            if outcome_editor(ui, &mut outcome) {
                session.outcome = Some(outcome);
                action = CompletionAction::Changed;
            }
        } else {
            outcome_summary(ui, session.outcome.as_ref());
        }
        ui.label(format!("Locked: completed on {}.", session.starts_at.strftime("%a %-d %b %Y")));

        if amending_here {
            action = self.amendment_form(ui, session, therapist, now, read_only).unwrap_or(action);
        } else {
            let elsewhere = self.amending.is_some();
            let amend = ui
                .add_enabled(!read_only && !elsewhere, egui::Button::new("Amend…"))
                .on_hover_text("Change the record with a dated amendment; the original is kept")
                .on_disabled_hover_text(if elsewhere {
                    "Save or cancel the amendment of the other session first"
                } else {
                    "This session is read-only"
                });
            if amend.clicked() {
                self.amending = Some(Amending {
                    session: session.id.clone(),
                    before: session.record(),
                    reason: String::new(),
                    problem: None,
                });
                action = CompletionAction::StartAmending;
            }
        }

        self.amendments_ui(ui, session);
        action
    }

    /// The reason, the changes so far, and the buttons that end the amendment.
    fn amendment_form(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut Session,
        therapist: &str,
        now: DateTime,
        read_only: bool,
    ) -> Option<CompletionAction> {
        let amending = self.amending.as_mut()?;
        let mut action = None;
        ui.group(|ui| {
            ui.add_enabled_ui(!read_only, |ui| {
                ui.label(egui::RichText::new("Amending").strong());
                ui.label(
                    "Change the session, then say why and save. The record as it was is kept beside \
                     the amendment.",
                );
                let changes = session.record().changes_since(&amending.before);
                if changes.is_empty() {
                    ui.weak("No changes yet.");
                } else {
                    ui.label(format!("Changes so far: {}", changes.join("; ")));
                }
                let label = ui.label("Reason for the amendment");
                ui.add(
                    egui::TextEdit::multiline(&mut amending.reason)
                        .hint_text("Why the record changes, e.g. pressure was misrecorded")
                        .desired_rows(2)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                if let Some(problem) = &amending.problem {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
                }
                ui.horizontal(|ui| {
                    if ui.button("Save amendment").clicked() {
                        if amending.reason.trim().is_empty() {
                            amending.problem =
                                Some("Write the reason for the amendment before saving it.".to_owned());
                        } else {
                            match session.amend(amending.before.clone(), &amending.reason, therapist, now) {
                                Ok(()) => action = Some(CompletionAction::AmendmentSaved),
                                Err(error) => amending.problem = Some(sentence(&error.to_string())),
                            }
                        }
                    }
                    if ui.button("Cancel").on_hover_text("Put the record back as it was").clicked() {
                        session.restore_record(amending.before.clone());
                        action = Some(CompletionAction::AmendmentCancelled);
                    }
                });
            });
        });
        if action.is_some() {
            self.amending = None;
        }
        action
    }

    /// The amendments, oldest first, and the original record on request.
    fn amendments_ui(&mut self, ui: &mut egui::Ui, session: &Session) {
        if session.amendments.is_empty() {
            return;
        }
        ui.add_space(6.0);
        ui.label(egui::RichText::new("Amendments").strong());
        for amendment in &session.amendments {
            let who =
                if amendment.therapist.is_empty() { "therapist not recorded" } else { &amendment.therapist };
            ui.label(format!("{} · {who}", amendment.made_at.strftime("%-d %b %Y, %H:%M")));
            ui.label(format!("Reason: {}", amendment.reason));
            if !amendment.change.is_empty() {
                // Older amendments were written with an arrow, which the app's font lacks.
                ui.label(format!("Changed: {}", amendment.change.replace('→', "to")));
            }
            ui.add_space(2.0);
        }
        ui.toggle_value(&mut self.show_original, "Show the original record");
        if self.show_original {
            ui.group(|ui| {
                ui.label(egui::RichText::new("The original record").strong());
                match session.amendments.iter().position(|amendment| amendment.before.is_some()) {
                    Some(0) => {}
                    Some(_) => {
                        ui.weak(
                            "The earliest amendments did not keep the record they replaced; this is the \
                             earliest kept.",
                        );
                    }
                    None => {
                        ui.weak(
                            "These amendments did not keep the record they replaced; this is the current \
                             record.",
                        );
                    }
                }
                for line in record_lines(&session.original_record()) {
                    ui.label(line);
                }
            });
        }
    }
}

/// The blocking warnings under a heading, if there are any.
fn blocking_messages(ui: &mut egui::Ui, heading: &str, blocking: &[String]) {
    if blocking.is_empty() {
        return;
    }
    let colour = ui.visuals().warn_fg_color;
    ui.colored_label(colour, egui::RichText::new(format!("{heading}:")).strong());
    for message in blocking {
        ui.colored_label(colour, message);
    }
}

fn empty_outcome() -> Outcome {
    Outcome { pain_before: None, pain_after: None, response: None, notes: String::new() }
}

/// Edits an outcome with clicks: pain before and after, the response, and notes.
/// Returns true when it changed.
fn outcome_editor(ui: &mut egui::Ui, outcome: &mut Outcome) -> bool {
    let mut changed = pain_buttons(ui, "Pain before", &mut outcome.pain_before);
    changed |= pain_buttons(ui, "Pain after", &mut outcome.pain_after);
    ui.horizontal_wrapped(|ui| {
        ui.label("Response");
        for response in Response::ALL {
            let selected = outcome.response == Some(response);
            let button = ui
                .selectable_label(selected, response.label())
                .accessible_name(format!("Response: {}", response.label()));
            if button.clicked() {
                outcome.response = if selected { None } else { Some(response) };
                changed = true;
            }
        }
    });
    changed |= ui
        .add(
            egui::TextEdit::multiline(&mut outcome.notes)
                .hint_text("How it went; what to try next time")
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .accessible_name("Outcome notes")
        .changed();
    changed
}

/// One button per step of the 0 to 10 pain scale, named like "Pain before: 6";
/// clicking the chosen one clears it.
fn pain_buttons(ui: &mut egui::Ui, what: &str, pain: &mut Option<Pain>) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        ui.label(what);
        for value in Pain::all() {
            let selected = *pain == Some(value);
            let button =
                ui.selectable_label(selected, value.to_string()).accessible_name(format!("{what}: {value}"));
            if button.clicked() {
                *pain = if selected { None } else { Some(value) };
                changed = true;
            }
        }
    });
    changed
}

fn outcome_summary(ui: &mut egui::Ui, outcome: Option<&Outcome>) {
    let Some(outcome) = outcome else {
        ui.weak("No outcome was recorded.");
        return;
    };
    ui.label(egui::RichText::new("Outcome").strong());
    ui.label(outcome_in_words(outcome));
}

/// "Pain before 6/10, after 3/10; better; turns further to the left".
fn outcome_in_words(outcome: &Outcome) -> String {
    let pain = |pain: Option<Pain>| pain.map_or_else(|| "not asked".to_owned(), |pain| format!("{pain}/10"));
    let mut parts =
        vec![format!("Pain before {}, after {}", pain(outcome.pain_before), pain(outcome.pain_after))];
    if let Some(response) = outcome.response {
        parts.push(format!("response: {}", response.label().to_lowercase()));
    }
    if !outcome.notes.trim().is_empty() {
        parts.push(outcome.notes.trim().to_owned());
    }
    parts.join("; ")
}

/// A record in words, one line per part, for the original record beside the amendments.
fn record_lines(record: &SessionRecord) -> Vec<String> {
    let mut lines = Vec::new();
    let goals = record.goals.trim();
    lines.push(if goals.is_empty() { "Goals: none written".to_owned() } else { format!("Goals: {goals}") });
    if record.regions.is_empty() {
        lines.push("Regions: none".to_owned());
    }
    for work in &record.regions {
        lines.push(format!("{}: {}", work.region.accessible_name(), work.values_in_words()));
    }
    if !record.marks.is_empty() {
        let marks: Vec<String> = record
            .marks
            .iter()
            .map(|mark| match mark.note.trim() {
                "" => mark.kind.label().to_owned(),
                note => format!("{} ({note})", mark.kind.label()),
            })
            .collect();
        lines.push(format!("Marks on the map: {}", marks.join(", ")));
    }
    if !record.aftercare.is_empty() {
        lines.push(format!("Aftercare: {}", record.aftercare.join(" ")));
    }
    if let Some(next_visit) = record.next_visit {
        lines.push(format!("Next visit: {}", next_visit.strftime("%a %-d %b %Y")));
    }
    lines.push(match &record.outcome {
        Some(outcome) => format!("Outcome: {}", outcome_in_words(outcome)),
        None => "Outcome: none recorded".to_owned(),
    });
    for safety_override in &record.overrides {
        let rule = words_of(&format!("{:?}", safety_override.rule));
        let place = safety_override
            .region
            .map(|region| format!(", {}", region.accessible_name()))
            .unwrap_or_default();
        lines.push(format!("Safety warning overridden ({rule}{place}): {}", safety_override.reason));
    }
    lines
}

/// "MedicalClearance" gives "medical clearance": the name of a rule in words,
/// without a list here that would fall behind the rules.
fn words_of(identifier: &str) -> String {
    let mut words = String::new();
    for (index, c) in identifier.chars().enumerate() {
        if c.is_uppercase() && index > 0 {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    words
}

/// An error message as a sentence: capitalised, with a full stop.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let Some(first) = chars.next() else { return String::new() };
    let mut sentence: String = first.to_uppercase().chain(chars).collect();
    if !sentence.ends_with('.') {
        sentence.push('.');
    }
    sentence
}

#[cfg(test)]
mod tests {
    use egui::vec2;
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};

    use super::*;
    use crate::model::{ClientId, Minutes, Pressure, RegionId, Screening};
    use crate::storage::{KeptFile, from_ron};
    use crate::ui::screening::form_harness::{self, click};

    struct State {
        panel: CompletionPanel,
        session: Session,
        blocking: Vec<String>,
        read_only: bool,
        /// Every action the panel returned, in order.
        actions: Vec<CompletionAction>,
    }

    fn now() -> DateTime {
        jiff::civil::date(2026, 11, 24).at(8, 15, 0, 0)
    }

    fn session() -> Session {
        let client = ClientId::new("ana-lima-k3f9q").expect("a valid client id");
        let starts_at = jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0);
        let mut session = Session::new(client, starts_at, Minutes::new(60).expect("60 minutes"));
        session.therapist = "Mira Santos".to_owned();
        session.goals = "Turn my head without the right side pulling".to_owned();
        session.region_mut(RegionId::UpperTrapeziusR).pressure = Some(Pressure::MEDIUM);
        session
    }

    fn completed_session() -> Session {
        let mut session = session();
        session.complete(Outcome {
            pain_before: Pain::new(6).ok(),
            pain_after: Pain::new(3).ok(),
            response: Some(Response::Better),
            notes: String::new(),
        });
        session
    }

    fn panel_on(session: Session, blocking: &[&str]) -> Harness<'static, State> {
        let blocking = blocking.iter().map(|message| (*message).to_owned()).collect();
        let state = State {
            panel: CompletionPanel::default(),
            session,
            blocking,
            read_only: false,
            actions: Vec::new(),
        };
        form_harness::show(vec2(500.0, 900.0), state, |ui, state: &mut State| {
            let action = state.panel.ui(
                ui,
                &mut state.session,
                &state.blocking,
                "Mira Santos",
                now(),
                state.read_only,
            );
            if action != CompletionAction::None {
                state.actions.push(action);
            }
        })
    }

    fn type_into(harness: &mut Harness<'_, State>, label: &str, text: &str) {
        harness.get_by_label(label).focus();
        harness.run();
        harness.get_by_label(label).type_text(text);
        harness.run();
    }

    fn is_disabled(harness: &Harness<'_, State>, label: &str) -> bool {
        harness.get_by_label(label).accesskit_node().is_disabled()
    }

    fn pressure_on_upper_trapezius(record_regions: &[crate::model::RegionWork]) -> Option<Pressure> {
        record_regions
            .iter()
            .find(|work| work.region == RegionId::UpperTrapeziusR)
            .and_then(|work| work.pressure)
    }

    #[test]
    fn completing_with_an_outcome_locks_the_session() {
        let mut harness = panel_on(session(), &[]);
        click(&mut harness, "Complete session…");
        click(&mut harness, "Pain before: 6");
        click(&mut harness, "Pain after: 2");
        click(&mut harness, "Response: Much better");
        type_into(&mut harness, "Outcome notes", "Turns further to the right");
        click(&mut harness, "Complete");

        let session = &harness.state().session;
        assert!(session.is_locked());
        assert_eq!(session.status, SessionStatus::Completed);
        assert_eq!(
            session.outcome,
            Some(Outcome {
                pain_before: Pain::new(6).ok(),
                pain_after: Pain::new(2).ok(),
                response: Some(Response::MuchBetter),
                notes: "Turns further to the right".to_owned(),
            })
        );
        assert_eq!(harness.state().actions.last(), Some(&CompletionAction::Changed));
        assert!(harness.query_by_label("Locked: completed on Mon 23 Nov 2026.").is_some());
        assert!(harness.query_by_label("Amend…").is_some());
        assert!(harness.query_by_label("Complete session…").is_none());
    }

    #[test]
    fn cancelling_the_completion_form_leaves_the_session_planned() {
        let mut harness = panel_on(session(), &[]);
        click(&mut harness, "Complete session…");
        click(&mut harness, "Pain before: 6");
        click(&mut harness, "Cancel");
        assert_eq!(harness.state().session.status, SessionStatus::Planned);
        assert_eq!(harness.state().session.outcome, None);
        assert!(harness.state().actions.is_empty());
    }

    #[test]
    fn mark_ready_is_disabled_while_a_blocking_warning_is_unacknowledged() {
        let fever = "Fever or acute illness today: postpone the session";
        let mut harness = panel_on(session(), &[fever]);
        assert!(is_disabled(&harness, "Mark ready"));
        assert!(harness.query_by_label(fever).is_some(), "the blocking message is shown");
        click(&mut harness, "Mark ready");
        assert_eq!(harness.state().session.status, SessionStatus::Planned);

        harness.state_mut().blocking.clear();
        harness.run();
        assert!(!is_disabled(&harness, "Mark ready"));
        click(&mut harness, "Mark ready");
        assert_eq!(harness.state().session.status, SessionStatus::Ready);
        assert_eq!(harness.state().actions, [CompletionAction::Changed]);

        click(&mut harness, "Back to planning");
        assert_eq!(harness.state().session.status, SessionStatus::Planned);
    }

    #[test]
    fn a_ready_session_can_be_completed() {
        let mut ready = session();
        ready.status = SessionStatus::Ready;
        let mut harness = panel_on(ready, &[]);
        click(&mut harness, "Complete session…");
        click(&mut harness, "Response: No change");
        click(&mut harness, "Complete");
        assert!(harness.state().session.is_locked());
        assert_eq!(
            harness.state().session.outcome.as_ref().and_then(|o| o.response),
            Some(Response::NoChange)
        );
    }

    #[test]
    fn an_amendment_needs_a_reason_and_keeps_the_record_it_replaced() {
        let mut harness = panel_on(completed_session(), &[]);
        click(&mut harness, "Amend…");
        assert_eq!(harness.state().actions, [CompletionAction::StartAmending]);
        assert!(harness.state().panel.amending());

        // The app lets the map edit the session meanwhile.
        harness.state_mut().session.region_mut(RegionId::UpperTrapeziusR).pressure = Some(Pressure::FIRM);
        harness.run();
        assert!(
            harness
                .query_by_label(
                    "Changes so far: pressure on Upper trapezius, client's right: from 3 medium to 4 firm"
                )
                .is_some()
        );

        click(&mut harness, "Save amendment");
        assert!(harness.query_by_label("Write the reason for the amendment before saving it.").is_some());
        assert!(harness.state().session.amendments.is_empty());
        assert!(harness.state().panel.amending());

        type_into(&mut harness, "Reason for the amendment", "Pressure was misrecorded");
        click(&mut harness, "Save amendment");

        let state = harness.state();
        assert!(!state.panel.amending());
        assert_eq!(state.actions.last(), Some(&CompletionAction::AmendmentSaved));
        let [amendment] = state.session.amendments.as_slice() else { panic!("one amendment") };
        assert_eq!(amendment.reason, "Pressure was misrecorded");
        assert_eq!(amendment.therapist, "Mira Santos");
        assert_eq!(amendment.made_at, now());
        assert_eq!(amendment.change, "pressure on Upper trapezius, client's right: from 3 medium to 4 firm");
        let before = amendment.before.as_ref().expect("the replaced record is kept");
        assert_eq!(pressure_on_upper_trapezius(&before.regions), Some(Pressure::MEDIUM));
        assert_eq!(pressure_on_upper_trapezius(&state.session.regions), Some(Pressure::FIRM));
        assert!(state.session.is_locked());

        assert!(harness.query_by_label("Reason: Pressure was misrecorded").is_some());
        click(&mut harness, "Show the original record");
        assert!(
            harness.query_by_label("Upper trapezius, client's right: pressure 3 medium").is_some(),
            "the original values are shown in words"
        );
    }

    #[test]
    fn an_amendment_that_changes_nothing_is_refused() {
        let mut harness = panel_on(completed_session(), &[]);
        click(&mut harness, "Amend…");
        type_into(&mut harness, "Reason for the amendment", "Checking");
        click(&mut harness, "Save amendment");
        assert!(harness.query_by_label("Nothing was changed, so there is nothing to amend.").is_some());
        assert!(harness.state().session.amendments.is_empty());
        assert!(harness.state().panel.amending());
    }

    #[test]
    fn the_outcome_is_amended_in_the_panel() {
        let mut harness = panel_on(completed_session(), &[]);
        click(&mut harness, "Amend…");
        click(&mut harness, "Pain after: 2");
        type_into(&mut harness, "Reason for the amendment", "Client corrected the pain score");
        click(&mut harness, "Save amendment");
        let session = &harness.state().session;
        assert_eq!(session.outcome.as_ref().and_then(|o| o.pain_after), Pain::new(2).ok());
        assert_eq!(
            session.amendments.first().map(|a| a.change.as_str()),
            Some("pain after: from 3/10 to 2/10")
        );
    }

    #[test]
    fn cancelling_an_amendment_restores_the_record() {
        let original = completed_session();
        let mut harness = panel_on(original.clone(), &[]);
        click(&mut harness, "Amend…");
        harness.state_mut().session.region_mut(RegionId::UpperTrapeziusR).pressure = Some(Pressure::DEEP);
        harness.state_mut().session.goals.clear();
        harness.run();
        click(&mut harness, "Cancel");

        let state = harness.state();
        assert_eq!(state.session, original);
        assert!(state.session.amendments.is_empty());
        assert!(!state.panel.amending());
        assert_eq!(state.actions.last(), Some(&CompletionAction::AmendmentCancelled));
    }

    #[test]
    fn an_older_amendment_without_the_replaced_record_still_shows() {
        let mut session = completed_session();
        session.amendments.push(crate::model::Amendment {
            made_at: now(),
            therapist: String::new(),
            reason: "Minutes were misrecorded".to_owned(),
            change: "Levator scapulae, client's left: 10 → 12 minutes.".to_owned(),
            before: None,
        });
        let mut harness = panel_on(session, &[]);
        assert!(
            harness.query_by_label("Changed: Levator scapulae, client's left: 10 to 12 minutes.").is_some()
        );
        assert!(harness.query_by_label("24 Nov 2026, 08:15 · therapist not recorded").is_some());
        click(&mut harness, "Show the original record");
        assert!(
            harness
                .query_by_label(
                    "These amendments did not keep the record they replaced; this is the current record."
                )
                .is_some()
        );
        assert!(harness.query_by_label("Upper trapezius, client's right: pressure 3 medium").is_some());
    }

    #[test]
    fn a_read_only_session_cannot_be_amended() {
        let mut harness = panel_on(completed_session(), &[]);
        harness.state_mut().read_only = true;
        harness.run();
        assert!(is_disabled(&harness, "Amend…"));
    }

    #[test]
    fn screening_ready_status_and_the_replaced_record_survive_the_file() {
        let mut session = completed_session();
        let before = session.record();
        session.region_mut(RegionId::UpperTrapeziusR).pressure = Some(Pressure::FIRM);
        session.amend(before, "Pressure was misrecorded", "Mira Santos", now()).expect("amended");
        let mut screening = Screening::new(jiff::civil::date(2026, 11, 23).at(9, 25, 0, 0));
        screening.still_true.insert(crate::model::HealthFlag::BloodThinners, true);
        screening.acute_illness_today = Some(false);
        screening.note = "Stopped the aspirin last week".to_owned();
        session.screening = Some(screening);

        let text = session.to_ron().expect("written");
        let read: Session = from_ron(&text).expect("read back");
        assert_eq!(read, session);

        let mut ready = self::session();
        ready.status = SessionStatus::Ready;
        let read: Session = from_ron(&ready.to_ron().expect("written")).expect("read back");
        assert_eq!(read.status, SessionStatus::Ready);
    }

    #[test]
    fn rule_names_read_as_words() {
        assert_eq!(words_of("MedicalClearance"), "medical clearance");
        assert_eq!(sentence("nothing was changed"), "Nothing was changed.");
    }
}
