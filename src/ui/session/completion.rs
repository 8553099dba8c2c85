//! The session's status and outcome: mark a planned session ready and complete
//! it with its outcome, which locks the record, through the safety gate; postpone
//! or cancel a session that cannot go ahead; amend a completed session with a
//! written reason; mark a record entered in error.
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
use crate::safety::GateRefusal;

use crate::ui::date_field::date_time_field;

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
    /// The postpone, cancel or entered-in-error form, while one is open.
    #[serde(skip)]
    deciding: Option<Deciding>,
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

/// A decision about the whole session that needs a written reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decision {
    Postpone,
    Cancel,
    EnteredInError,
}

impl Decision {
    fn title(self) -> &'static str {
        match self {
            Decision::Postpone => "Postponing",
            Decision::Cancel => "Cancelling",
            Decision::EnteredInError => "Entered in error",
        }
    }

    fn opener(self) -> &'static str {
        match self {
            Decision::Postpone => "Postpone…",
            Decision::Cancel => "Cancel session…",
            Decision::EnteredInError => "Mark entered in error…",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Decision::Postpone => "Why, e.g. fever today",
            Decision::Cancel => "Why, e.g. client is unwell and will call to rebook",
            Decision::EnteredInError => "Why, e.g. recorded under the wrong client",
        }
    }
}

#[derive(Clone, Debug)]
struct Deciding {
    session: SessionId,
    decision: Decision,
    reason: String,
    /// The new start, for a postponement.
    new_start: DateTime,
    /// Why the last try was refused, until the next one.
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

    /// Shows the status, outcome and amendments of `session`. `gate` is what
    /// the safety gate says of it now (see [`crate::safety::passes_gate`]);
    /// `therapist` and `now` sign and date an amendment or a decision.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut Session,
        gate: &Result<(), GateRefusal>,
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
        if self.deciding.as_ref().is_some_and(|form| form.session != session.id) {
            self.deciding = None;
        }

        ui.label(egui::RichText::new("Status").strong());
        if let Some(error) = &session.entered_in_error {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!(
                    "Entered in error ({}{}): {}. The record is kept as it was and left out of the client's \
                     history.",
                    error.marked_at.strftime("%-d %b %Y %H:%M"),
                    if error.therapist.is_empty() { String::new() } else { format!(", {}", error.therapist) },
                    error.reason
                ),
            );
        }
        postponements_ui(ui, session);
        let mut action = match session.status {
            SessionStatus::Planned | SessionStatus::Ready => self.unfinished_ui(ui, session, gate, read_only),
            SessionStatus::Completed => self.completed_ui(ui, session, therapist, now, read_only),
            SessionStatus::Cancelled => {
                let reason =
                    session.cancellation.as_ref().map_or("no reason recorded", |c| c.reason.as_str());
                ui.label(format!("Cancelled: {reason}. Nothing was done; this record is locked."));
                CompletionAction::None
            }
        };
        if action == CompletionAction::None {
            action = self.decisions_ui(ui, session, therapist, now, read_only);
        }
        action
    }

    fn unfinished_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut Session,
        gate: &Result<(), GateRefusal>,
        read_only: bool,
    ) -> CompletionAction {
        let mut action = CompletionAction::None;
        let passes = gate.is_ok();
        if session.status == SessionStatus::Planned {
            ui.label("Planned: not checked yet.");
            let ready = ui
                .add_enabled(!read_only && passes, egui::Button::new("Mark ready"))
                .on_hover_text("Checked and safe to start")
                .on_disabled_hover_text("Every safety warning needs fixing or a written reason first");
            if ready.clicked() {
                session.status = SessionStatus::Ready;
                action = CompletionAction::Changed;
            }
        } else {
            ui.label("Ready to start: checked, every warning fixed or explained.");
            if ui.add_enabled(!read_only, egui::Button::new("Back to planning")).clicked() {
                session.status = SessionStatus::Planned;
                action = CompletionAction::Changed;
            }
        }
        if let Err(refusal) = gate {
            gate_refusal_ui(ui, refusal);
        }

        ui.add_space(6.0);
        let Some(form) = &mut self.completing else {
            let open = ui
                .add_enabled(!read_only && passes, egui::Button::new("Complete session…"))
                .on_hover_text("Record the outcome; the session's record is then locked")
                .on_disabled_hover_text("Every safety warning needs fixing or a written reason first");
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
                    // The gate is asked again here: a warning may have come up since the form opened.
                    if ui.add_enabled(passes, egui::Button::new("Complete")).clicked() {
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

    /// The buttons and form of the decisions that need a reason: postpone or
    /// cancel an unfinished session; mark a record entered in error.
    fn decisions_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut Session,
        therapist: &str,
        now: DateTime,
        read_only: bool,
    ) -> CompletionAction {
        if read_only || self.amending.is_some() {
            return CompletionAction::None;
        }
        let offered: &[Decision] = match session.status {
            SessionStatus::Planned | SessionStatus::Ready => &[Decision::Postpone, Decision::Cancel],
            SessionStatus::Completed | SessionStatus::Cancelled if session.entered_in_error.is_none() => {
                &[Decision::EnteredInError]
            }
            _ => &[],
        };
        let Some(form) = &mut self.deciding else {
            ui.add_space(6.0);
            ui.horizontal_wrapped(|ui| {
                for &decision in offered {
                    if ui.button(decision.opener()).clicked() {
                        self.deciding = Some(Deciding {
                            session: session.id.clone(),
                            decision,
                            reason: String::new(),
                            new_start: next_week(session.starts_at),
                            problem: None,
                        });
                    }
                }
            });
            return CompletionAction::None;
        };
        if !offered.contains(&form.decision) {
            self.deciding = None;
            return CompletionAction::None;
        }
        let mut action = CompletionAction::None;
        let mut close = false;
        ui.add_space(6.0);
        ui.group(|ui| {
            ui.label(egui::RichText::new(form.decision.title()).strong());
            match form.decision {
                Decision::Postpone => {
                    ui.horizontal_wrapped(|ui| {
                        let label = ui.label("New time");
                        ui.push_id(&form.session, |ui| {
                            date_time_field(ui, label.id, "New time", &mut form.new_start);
                        });
                        for (words, days) in [("Tomorrow", 1), ("In a week", 7)] {
                            if ui.button(words).clicked() {
                                form.new_start = in_days(session.starts_at, days);
                            }
                        }
                    });
                }
                Decision::Cancel => {
                    ui.weak("Nothing was done; the record of why is kept, locked.");
                }
                Decision::EnteredInError => {
                    ui.weak(
                        "The record stays in the folder, struck through, and is left out of the client's history \
                         and of what a new session copies. It cannot be undone.",
                    );
                }
            }
            reason_field(ui, "Reason", form.decision.hint(), &mut form.reason, form.problem.as_deref());
            ui.horizontal(|ui| {
                let confirm = match form.decision {
                    Decision::Postpone => format!("Postpone to {}", form.new_start.strftime("%a %-d %b %H:%M")),
                    Decision::Cancel => "Cancel the session".to_owned(),
                    Decision::EnteredInError => "Mark entered in error".to_owned(),
                };
                if ui.button(confirm).clicked() {
                    let done = match form.decision {
                        Decision::Postpone => session.postpone(form.new_start, &form.reason, now),
                        Decision::Cancel => session.cancel(&form.reason, now),
                        Decision::EnteredInError => session.mark_entered_in_error(&form.reason, therapist, now),
                    };
                    match done {
                        Ok(()) => {
                            action = CompletionAction::Changed;
                            close = true;
                        }
                        Err(error) => form.problem = Some(sentence(&error.to_string())),
                    }
                }
                if ui.button("Back").clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.deciding = None;
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
        } else if session.entered_in_error.is_none() {
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
                self.deciding = None;
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
                reason_field(
                    ui,
                    "Reason for the amendment",
                    "Why the record changes, e.g. pressure was misrecorded",
                    &mut amending.reason,
                    amending.problem.as_deref(),
                );
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

/// A labelled field for a written reason, with why the last try was refused.
fn reason_field(ui: &mut egui::Ui, label: &str, hint: &str, reason: &mut String, problem: Option<&str>) {
    let label = ui.label(label);
    ui.add(egui::TextEdit::multiline(reason).hint_text(hint).desired_rows(2).desired_width(f32::INFINITY))
        .labelled_by(label.id);
    if let Some(problem) = problem {
        ui.colored_label(ui.visuals().error_fg_color, problem);
    }
}

/// What keeps the gate shut, under a heading that says what to do about it.
fn gate_refusal_ui(ui: &mut egui::Ui, refusal: &GateRefusal) {
    let (colour, heading, messages) = if refusal.is_blocked() {
        (
            ui.visuals().error_fg_color,
            "This session cannot go ahead today: postpone or cancel it",
            &refusal.blocking,
        )
    } else {
        (
            ui.visuals().warn_fg_color,
            "Not yet: fix these in the plan, or explain them in the Safety tab",
            &refusal.unexplained,
        )
    };
    ui.colored_label(colour, egui::RichText::new(heading).strong());
    for message in messages {
        ui.colored_label(colour, format!("• {message}"));
    }
}

/// Each time the session was moved, oldest first.
fn postponements_ui(ui: &mut egui::Ui, session: &Session) {
    for moved in &session.postponements {
        ui.label(format!(
            "Postponed from {} ({}): {}",
            moved.from.strftime("%a %-d %b %Y %H:%M"),
            moved.decided_at.strftime("decided %-d %b"),
            moved.reason
        ));
    }
}

/// The same time `days` later, or the time itself where the calendar ends.
fn in_days(start: DateTime, days: i64) -> DateTime {
    start.checked_add(jiff::Span::new().days(days)).unwrap_or(start)
}

/// A postponement's first suggestion: the same time next week.
fn next_week(start: DateTime) -> DateTime {
    in_days(start, 7)
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
        gate: Result<(), GateRefusal>,
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
        let blocking: Vec<String> = blocking.iter().map(|message| (*message).to_owned()).collect();
        let gate =
            if blocking.is_empty() { Ok(()) } else { Err(GateRefusal { blocking, unexplained: Vec::new() }) };
        panel_with_gate(session, gate)
    }

    fn panel_with_gate(session: Session, gate: Result<(), GateRefusal>) -> Harness<'static, State> {
        let state =
            State { panel: CompletionPanel::default(), session, gate, read_only: false, actions: Vec::new() };
        form_harness::show(vec2(500.0, 900.0), state, |ui, state: &mut State| {
            let action =
                state.panel.ui(ui, &mut state.session, &state.gate, "Mira Santos", now(), state.read_only);
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
        assert!(harness.query_by_label(&format!("• {fever}")).is_some(), "the blocking message is shown");
        click(&mut harness, "Mark ready");
        assert_eq!(harness.state().session.status, SessionStatus::Planned);

        harness.state_mut().gate = Ok(());
        harness.run();
        assert!(!is_disabled(&harness, "Mark ready"));
        click(&mut harness, "Mark ready");
        assert_eq!(harness.state().session.status, SessionStatus::Ready);
        assert_eq!(harness.state().actions, [CompletionAction::Changed]);

        click(&mut harness, "Back to planning");
        assert_eq!(harness.state().session.status, SessionStatus::Planned);
    }

    #[test]
    fn an_unexplained_warning_keeps_the_session_from_being_marked_ready_or_completed() {
        let refusal = GateRefusal {
            blocking: Vec::new(),
            unexplained: vec!["Pressure 5 (deep) on Upper trapezius is above the cap".to_owned()],
        };
        let harness = panel_with_gate(session(), Err(refusal));
        assert!(is_disabled(&harness, "Mark ready"));
        assert!(is_disabled(&harness, "Complete session…"));
        assert!(
            harness
                .query_by_label("Not yet: fix these in the plan, or explain them in the Safety tab")
                .is_some()
        );
    }

    #[test]
    fn a_blocked_session_is_postponed_a_week_with_its_reason_and_asks_the_screening_again() {
        let mut blocked = session();
        let mut screening = Screening::new(now());
        screening.acute_illness_today = Some(true);
        blocked.screening = Some(screening);
        let mut harness = panel_on(blocked, &["The client reports a fever"]);
        assert!(is_disabled(&harness, "Complete session…"));
        click(&mut harness, "Postpone…");
        click(&mut harness, "Postpone to Mon 30 Nov 09:30");
        assert!(harness.query_by_label("A postponement needs a written reason.").is_some());
        assert_eq!(harness.state().session.starts_at, session().starts_at, "refused without a reason");
        type_into(&mut harness, "Reason", "Fever today");
        click(&mut harness, "Postpone to Mon 30 Nov 09:30");

        let postponed = &harness.state().session;
        assert_eq!(postponed.starts_at, jiff::civil::date(2026, 11, 30).at(9, 30, 0, 0));
        assert_eq!(postponed.status, SessionStatus::Planned);
        assert!(postponed.screening.is_none());
        assert_eq!(postponed.postponements[0].reason, "Fever today");
        assert_eq!(harness.state().actions.last(), Some(&CompletionAction::Changed));
    }

    #[test]
    fn a_session_is_cancelled_with_a_reason_and_then_locked() {
        let mut harness = panel_on(session(), &["The client reports a fever"]);
        click(&mut harness, "Cancel session…");
        type_into(&mut harness, "Reason", "Flu; will call to rebook");
        click(&mut harness, "Cancel the session");
        let cancelled = &harness.state().session;
        assert_eq!(cancelled.status, SessionStatus::Cancelled);
        assert!(cancelled.is_locked());
        assert!(
            harness
                .query_by_label(
                    "Cancelled: Flu; will call to rebook. Nothing was done; this record is locked."
                )
                .is_some()
        );
    }

    #[test]
    fn a_completed_record_is_marked_entered_in_error_with_a_reason_not_removed() {
        let mut harness = panel_on(completed_session(), &[]);
        click(&mut harness, "Mark entered in error…");
        type_into(&mut harness, "Reason", "Recorded under the wrong client");
        click(&mut harness, "Mark entered in error");
        let session = &harness.state().session;
        let error = session.entered_in_error.as_ref().expect("marked");
        assert_eq!(
            (error.reason.as_str(), error.therapist.as_str()),
            ("Recorded under the wrong client", "Mira Santos")
        );
        assert_eq!(session.status, SessionStatus::Completed);
        assert!(session.outcome.is_some(), "the record is kept as it was");
        assert!(harness.query_by_label("Amend…").is_none());
        assert!(harness.query_by_label("Mark entered in error…").is_none());
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
