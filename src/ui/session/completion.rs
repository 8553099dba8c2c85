//! The session's status and outcome: mark a planned session ready and complete
//! it with its outcome, which locks the record, through the safety gate; postpone
//! or cancel a session that cannot go ahead; amend a completed session with a
//! written reason; mark a record entered in error.
//!
//! The panel changes nothing itself: it asks for each change as an [`Edit`],
//! which the workspace applies through the session's lifecycle
//! ([`crate::model::lifecycle`]). What the lifecycle would say is shown before
//! the button is pressed ([`Standing`]), so a disabled button says why.
//!
//! Amending follows the legal record-keeping therapists expect: the session's
//! fields hold the current record, and each amendment keeps, beside the reason,
//! the record it replaced. The workspace remembers the record as it was when
//! the amendment began; this panel only writes the reason.

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use crate::model::words::sentence;
use crate::model::{
    GateRefusal, Outcome, Pain, Refusal, Response, Session, SessionId, SessionRecord, SessionStatus,
    Transition,
};
use crate::workspace::Edit;

use crate::ui::widgets::date_field::date_time_field;

/// What the panel asks for.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant, reason = "one a frame at most, moved once")]
pub enum PanelAsk {
    /// A change to the session, for the workspace to apply.
    Edit(Edit),
    /// Show today's screening again (it was skipped, and Ready needs it).
    AnswerScreening,
}

/// What the lifecycle says of the session now, for the panel to show before a
/// button is pressed.
#[derive(Clone, Debug)]
pub struct Standing<'a> {
    /// The safety gate's verdict.
    pub gate: &'a Result<(), GateRefusal>,
    /// Whether it may be marked ready now, and why not.
    pub ready: Result<(), Refusal>,
    /// Whether it may be completed now, and why not.
    pub complete: Result<(), Refusal>,
    /// The record as it was when its amendment began, while this session is amended.
    pub amending: Option<&'a SessionRecord>,
    /// Whether another session is being amended.
    pub amending_elsewhere: bool,
    pub now: DateTime,
    pub read_only: bool,
}

/// The panel's state. All of it is transient: an open form is not remembered
/// across restarts (and an amendment left open is not saved as one).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CompletionPanel {
    /// The "Complete session…" form, while open.
    #[serde(skip)]
    completing: Option<Completing>,
    /// The reason of the amendment being made, while one is.
    #[serde(skip)]
    amendment: Option<AmendmentReason>,
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
struct AmendmentReason {
    session: SessionId,
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
    /// The session's status and postponements when the form opened: once they
    /// change, the decision was taken and the form closes.
    seen: (SessionStatus, usize, bool),
}

/// What of a session a decision changes, to see it was taken.
fn decided(session: &Session) -> (SessionStatus, usize, bool) {
    (session.status, session.postponements.len(), session.entered_in_error.is_some())
}

impl CompletionPanel {
    /// Shows the status, outcome and amendments of `session`, a copy for this
    /// frame: only an outcome being amended is edited in it (the rest of the
    /// record is edited by the other parts of the screen); every change of
    /// status is asked for as an edit.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut Session,
        standing: &Standing<'_>,
    ) -> Option<PanelAsk> {
        // State left from another session, or from before the status changed, is stale.
        if self.completing.as_ref().is_some_and(|form| form.session != session.id || session.is_locked()) {
            self.completing = None;
        }
        if self
            .amendment
            .as_ref()
            .is_some_and(|form| form.session != session.id || standing.amending.is_none())
        {
            self.amendment = None;
        }
        if self
            .deciding
            .as_ref()
            .is_some_and(|form| form.session != session.id || form.seen != decided(session))
        {
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
        let mut ask = match session.status {
            SessionStatus::Planned | SessionStatus::Ready => self.unfinished_ui(ui, session, standing),
            SessionStatus::Completed => self.completed_ui(ui, session, standing),
            SessionStatus::Cancelled => {
                let reason =
                    session.cancellation.as_ref().map_or("no reason recorded", |c| c.reason.as_str());
                ui.label(format!("Cancelled: {reason}. Nothing was done; this record is locked."));
                None
            }
        };
        if ask.is_none() {
            ask = self.decisions_ui(ui, session, standing);
        }
        ask
    }

    fn unfinished_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        standing: &Standing<'_>,
    ) -> Option<PanelAsk> {
        let mut ask = None;
        let read_only = standing.read_only;
        let lifecycle =
            |transition| Some(PanelAsk::Edit(Edit::Lifecycle { session: session.id.clone(), transition }));
        if session.status == SessionStatus::Planned {
            ui.label("Planned: not checked yet.");
            let ready = ui
                .add_enabled(!read_only && standing.ready.is_ok(), egui::Button::new("Mark ready"))
                .on_hover_text("Checked and safe to start")
                .on_disabled_hover_text(refusal_hover(&standing.ready));
            if ready.clicked() {
                ask = lifecycle(Transition::MarkReady);
            }
        } else {
            ui.label("Ready to start: checked, every warning fixed or explained.");
            if ui.add_enabled(!read_only, egui::Button::new("Back to planning")).clicked() {
                ask = lifecycle(Transition::BackToPlanned);
            }
        }
        // Why not, in the words of the lifecycle: the gate's warnings first (a fever is
        // what the therapist must see), then the day or the screening.
        if let Err(refusal) = standing.gate {
            gate_refusal_ui(ui, refusal);
        }
        let refusal = match (&standing.ready, &standing.complete) {
            (Err(refusal), _) if session.status == SessionStatus::Planned => Some(refusal),
            (_, Err(refusal)) => Some(refusal),
            _ => None,
        };
        match refusal {
            Some(Refusal::Gate(_)) | None => {}
            Some(Refusal::ScreeningNotAnswered) => {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    sentence(&Refusal::ScreeningNotAnswered.to_string()),
                );
                if ui.add_enabled(!read_only, egui::Button::new("Answer today's screening")).clicked() {
                    ask = Some(PanelAsk::AnswerScreening);
                }
            }
            Some(refusal) => {
                ui.colored_label(ui.visuals().warn_fg_color, sentence(&refusal.to_string()));
            }
        }

        ui.add_space(6.0);
        let passes = standing.complete.is_ok();
        let Some(form) = &mut self.completing else {
            let open = ui
                .add_enabled(!read_only && passes, egui::Button::new("Complete session…"))
                .on_hover_text("Record the outcome; the session's record is then locked")
                .on_disabled_hover_text(refusal_hover(&standing.complete));
            if open.clicked() {
                let outcome = session.outcome.clone().unwrap_or_else(empty_outcome);
                self.completing = Some(Completing { session: session.id.clone(), outcome });
            }
            return ask;
        };
        let mut close = false;
        ui.group(|ui| {
            ui.add_enabled_ui(!read_only, |ui| {
                ui.label(egui::RichText::new("Outcome").strong());
                outcome_editor(ui, &mut form.outcome);
                ui.weak("Completing locks the record; later changes are dated amendments.");
                ui.horizontal(|ui| {
                    // The lifecycle is asked again here: a warning may have come up since the form opened.
                    if ui.add_enabled(passes, egui::Button::new("Complete")).clicked() {
                        ask = lifecycle(Transition::Complete(form.outcome.clone()));
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
        ask
    }

    /// The buttons and form of the decisions that need a reason: postpone or
    /// cancel an unfinished session; mark a record entered in error.
    fn decisions_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        standing: &Standing<'_>,
    ) -> Option<PanelAsk> {
        if standing.read_only || standing.amending.is_some() {
            return None;
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
                            seen: decided(session),
                        });
                    }
                }
            });
            return None;
        };
        if !offered.contains(&form.decision) {
            self.deciding = None;
            return None;
        }
        let mut ask = None;
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
            let typed_before = form.reason.clone();
            reason_field(ui, "Reason", form.decision.hint(), &mut form.reason, form.problem.as_deref());
            // What was said about the reason no longer holds once the reason is typed.
            if form.reason != typed_before {
                form.problem = None;
            }
            ui.horizontal(|ui| {
                let confirm = match form.decision {
                    Decision::Postpone => format!("Postpone to {}", form.new_start.strftime("%a %-d %b %H:%M")),
                    Decision::Cancel => "Cancel the session".to_owned(),
                    Decision::EnteredInError => "Mark entered in error".to_owned(),
                };
                if ui.button(confirm).clicked() {
                    let reason = form.reason.trim().to_owned();
                    let transition = match form.decision {
                        Decision::Postpone => Transition::Postpone { to: form.new_start, reason },
                        Decision::Cancel => Transition::Cancel { reason },
                        Decision::EnteredInError => Transition::MarkEnteredInError { reason },
                    };
                    // What the lifecycle would refuse is said here, where the reason is typed.
                    match check_decision(session, &transition, standing.now) {
                        Ok(()) => ask = Some(PanelAsk::Edit(Edit::Lifecycle { session: session.id.clone(), transition })),
                        Err(problem) => form.problem = Some(problem),
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
        ask
    }

    fn completed_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut Session,
        standing: &Standing<'_>,
    ) -> Option<PanelAsk> {
        let mut ask = None;
        let amending_here = standing.amending.is_some();

        if amending_here && !standing.read_only {
            // The outcome is part of the record, so it is amended here.
            ui.label(egui::RichText::new("Outcome").strong());
            let mut outcome = session.outcome.clone().unwrap_or_else(empty_outcome);
            if outcome_editor(ui, &mut outcome) {
                session.outcome = Some(outcome);
            }
        } else {
            outcome_summary(ui, session.outcome.as_ref());
        }
        ui.label(format!("Locked: completed on {}.", session.starts_at.strftime("%a %-d %b %Y")));

        if !amending_here && session.entered_in_error.is_none() {
            let elsewhere = standing.amending_elsewhere;
            let amend = ui
                .add_enabled(!standing.read_only && !elsewhere, egui::Button::new("Amend…"))
                .on_hover_text("Change the record with a dated amendment; the original is kept")
                .on_disabled_hover_text(if elsewhere {
                    "Save or cancel the amendment of the other session first"
                } else {
                    "This session is read-only"
                });
            if amend.clicked() {
                self.deciding = None;
                ask = Some(PanelAsk::Edit(Edit::StartAmending(session.id.clone())));
            }
        }

        self.amendments_ui(ui, session);
        ask
    }

    /// The amendment being made: the reason, the changes so far, and the buttons
    /// that end it. Shown above every tab while the amendment is open, so that
    /// an edit made on the map is seen to be part of it.
    pub fn amendment_form(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        standing: &Standing<'_>,
    ) -> Option<PanelAsk> {
        let before = standing.amending?;
        let form = self.amendment.get_or_insert_with(|| AmendmentReason {
            session: session.id.clone(),
            reason: String::new(),
            problem: None,
        });
        let mut ask = None;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.add_enabled_ui(!standing.read_only, |ui| {
                ui.label(egui::RichText::new(format!(
                    "Amending the record of {}",
                    session.starts_at.strftime("%-d %b %Y")
                ))
                .strong());
                ui.label(
                    "Every change to the map and the plan is part of this amendment until you save or cancel \
                     it. The record as it was is kept beside it.",
                );
                let changes = session.record().changes_since(before);
                if changes.is_empty() {
                    ui.weak("No changes yet.");
                } else {
                    ui.label(format!("Changes so far: {}", changes.join("; ")));
                }
                reason_field(
                    ui,
                    "Reason for the amendment",
                    "Why the record changes, e.g. pressure was misrecorded",
                    &mut form.reason,
                    form.problem.as_deref(),
                );
                ui.horizontal(|ui| {
                    if ui.button("Save amendment").clicked() {
                        if form.reason.trim().is_empty() {
                            form.problem = Some("Write the reason for the amendment before saving it.".to_owned());
                        } else if changes.is_empty() {
                            form.problem = Some(sentence(&crate::model::InvalidSession::AmendmentWithoutChange.to_string()));
                        } else if let Err(refusal) = standing.gate {
                            form.problem = Some(format!(
                                "The amended record must pass the safety gate too: {}. Explain each new warning in \
                                 the Safety tab.",
                                refusal
                            ));
                        } else {
                            form.problem = None;
                            ask = Some(PanelAsk::Edit(Edit::SaveAmendment {
                                session: session.id.clone(),
                                reason: form.reason.trim().to_owned(),
                            }));
                        }
                    }
                    if ui.button("Cancel").on_hover_text("Put the record back as it was").clicked() {
                        ask = Some(PanelAsk::Edit(Edit::CancelAmendment));
                    }
                });
            });
        });
        ask
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
                    crate::ui::widgets::seen_text::label(ui, line);
                }
            });
        }
    }
}

/// What the lifecycle would refuse of a decision, in a sentence.
fn check_decision(session: &Session, transition: &Transition, now: DateTime) -> Result<(), String> {
    crate::model::lifecycle::try_decision(session, transition, now)
        .map_err(|refusal| sentence(&refusal.to_string()))
}

/// Why a button is disabled, for its hover text.
fn refusal_hover(refusal: &Result<(), Refusal>) -> String {
    match refusal {
        Ok(()) => String::new(),
        Err(Refusal::Gate(_)) => "Every safety warning needs fixing or a written reason first".to_owned(),
        Err(refusal) => sentence(&refusal.to_string()),
    }
}

/// A labelled field for a written reason, with why the last try was refused.
fn reason_field(ui: &mut egui::Ui, label: &str, hint: &str, reason: &mut String, problem: Option<&str>) {
    let label = ui.label(label);
    let id = label.id.with("reason");
    crate::ui::widgets::seen_text::field(ui, reason, id, true, |edit| {
        edit.char_limit(crate::model::MAX_TEXT_CHARS)
            .hint_text(hint)
            .desired_rows(2)
            .desired_width(f32::INFINITY)
    })
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
    let id = ui.make_persistent_id("outcome_notes");
    changed |= crate::ui::widgets::seen_text::field(ui, &mut outcome.notes, id, true, |edit| {
        edit.char_limit(crate::model::MAX_TEXT_CHARS)
            .hint_text("How it went; what to try next time")
            .desired_rows(2)
            .desired_width(f32::INFINITY)
    })
    .accessible_name("Outcome notes")
    .changed();
    changed
}

/// One button per step of the 0 to 10 pain scale, named like "Pain before: 6";
/// clicking the chosen one clears it.
fn pain_buttons(ui: &mut egui::Ui, what: &str, pain: &mut Option<Pain>) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        crate::ui::widgets::seen_text::label(ui, what);
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
    crate::ui::widgets::seen_text::label(ui, outcome_in_words(outcome));
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

#[cfg(test)]
mod tests {
    use egui::vec2;
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};

    use super::*;
    use crate::model::lifecycle::{self, Circumstances, PlanContent};
    use crate::model::{Client, ClientId, ClinicRules, Minutes, Pressure, RegionId, Screening};
    use crate::storage::{KeptFile, from_ron};
    use crate::ui::session::screening::form_harness::{self, click};

    struct State {
        panel: CompletionPanel,
        session: Session,
        gate: Result<(), GateRefusal>,
        read_only: bool,
        /// The record as it was when the amendment began, while one is made.
        amending: Option<SessionRecord>,
        /// Every edit the panel asked for, in order.
        edits: Vec<Edit>,
        /// Why the last edit was refused.
        refused: Option<Refusal>,
    }

    fn now() -> DateTime {
        jiff::civil::date(2026, 11, 24).at(8, 15, 0, 0)
    }

    fn session() -> Session {
        let client = ClientId::new("ana-lima-k3f9q").expect("a valid client id");
        let starts_at = jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0);
        let mut session = Session::new(client, starts_at, Minutes::new(60).expect("60 minutes"));
        session.therapist = "Sam Okafor".to_owned();
        session.goals = "Turn my head without the right side pulling".to_owned();
        session.region_mut(RegionId::UpperTrapeziusR).pressure = Some(Pressure::MEDIUM);
        // That day's screening, answered: no fever.
        let mut screening = Screening::new(jiff::civil::date(2026, 11, 23).at(9, 25, 0, 0));
        screening.acute_illness_today = Some(false);
        session.screening = Some(screening);
        session
    }

    /// What the panel's edits are judged by here: no clinic rules, Mira at the laptop.
    fn judged<'a>(
        client: &'a Client,
        rules: &'a ClinicRules,
        gate: Result<(), GateRefusal>,
    ) -> Circumstances<'a> {
        Circumstances { now: now(), who: "Mira Santos", client, clinic_rules: rules, previous: None, gate }
    }

    fn completed_session() -> Session {
        let mut session = session();
        let client = Client::new("Ana Lima");
        let rules = ClinicRules::default();
        let at = judged(&client, &rules, Ok(()));
        let outcome = Outcome {
            pain_before: Pain::new(6).ok(),
            pain_after: Pain::new(3).ok(),
            response: Some(Response::Better),
            notes: String::new(),
        };
        lifecycle::apply(&mut session, Transition::Complete(outcome), &at).expect("completed");
        session
    }

    fn panel_on(session: Session, blocking: &[&str]) -> Harness<'static, State> {
        let blocking: Vec<String> = blocking.iter().map(|message| (*message).to_owned()).collect();
        let gate =
            if blocking.is_empty() { Ok(()) } else { Err(GateRefusal { blocking, unexplained: Vec::new() }) };
        panel_with_gate(session, gate)
    }

    /// The panel as the session screen shows it, with what it asks for applied
    /// through the lifecycle as the workspace does.
    fn panel_with_gate(session: Session, gate: Result<(), GateRefusal>) -> Harness<'static, State> {
        let state = State {
            panel: CompletionPanel::default(),
            session,
            gate,
            read_only: false,
            amending: None,
            edits: Vec::new(),
            refused: None,
        };
        form_harness::show(vec2(500.0, 900.0), state, |ui, state: &mut State| {
            let client = Client::new("Ana Lima");
            let rules = ClinicRules::default();
            let at = judged(&client, &rules, state.gate.clone());
            let empty = Outcome { pain_before: None, pain_after: None, response: None, notes: String::new() };
            let standing = Standing {
                gate: &state.gate,
                ready: lifecycle::may(&state.session, &Transition::MarkReady, &at),
                complete: lifecycle::may(&state.session, &Transition::Complete(empty), &at),
                amending: state.amending.as_ref(),
                amending_elsewhere: false,
                now: now(),
                read_only: state.read_only,
            };
            let mut working = state.session.clone();
            let mut asks = Vec::new();
            asks.extend(state.panel.amendment_form(ui, &working, &standing));
            asks.extend(state.panel.ui(ui, &mut working, &standing));
            if PlanContent::of(&working) != PlanContent::of(&state.session) {
                let amending = state.amending.is_some();
                lifecycle::edit_plan(&mut state.session, PlanContent::of(&working), amending)
                    .expect("a plan edit");
            }
            for ask in asks {
                let PanelAsk::Edit(edit) = ask else { continue };
                state.edits.push(edit.clone());
                let done = match edit {
                    Edit::Lifecycle { transition, .. } => {
                        lifecycle::apply(&mut state.session, transition, &at)
                    }
                    Edit::StartAmending(_) => {
                        state.amending = Some(state.session.record());
                        Ok(())
                    }
                    Edit::SaveAmendment { reason, .. } => {
                        let before = state.amending.clone().expect("amending");
                        let done = lifecycle::amend(&mut state.session, before, &reason, &at);
                        if done.is_ok() {
                            state.amending = None;
                        }
                        done
                    }
                    Edit::CancelAmendment => {
                        if let Some(before) = state.amending.take() {
                            state.session.restore_record(before);
                        }
                        Ok(())
                    }
                    _ => Ok(()),
                };
                state.refused = done.err();
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
        assert!(matches!(
            harness.state().edits.last(),
            Some(Edit::Lifecycle { transition: Transition::Complete(_), .. })
        ));
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
        assert!(harness.state().edits.is_empty());
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
        assert_eq!(harness.state().edits.len(), 1);

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
        assert!(
            harness.query_by_label("A postponement needs a written reason.").is_none(),
            "the complaint goes once a reason is typed"
        );
        click(&mut harness, "Postpone to Mon 30 Nov 09:30");

        let postponed = &harness.state().session;
        assert_eq!(postponed.starts_at, jiff::civil::date(2026, 11, 30).at(9, 30, 0, 0));
        assert_eq!(postponed.status, SessionStatus::Planned);
        assert!(postponed.screening.is_none());
        assert_eq!(postponed.postponements[0].reason, "Fever today");
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
            ("Recorded under the wrong client", "Mira Santos"),
            "signed by who marked it, not the session's therapist (Sam Okafor)"
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
        assert!(matches!(harness.state().edits.as_slice(), [Edit::StartAmending(_)]));
        assert!(harness.state().amending.is_some());

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
        assert!(harness.state().amending.is_some());

        type_into(&mut harness, "Reason for the amendment", "Pressure was misrecorded");
        click(&mut harness, "Save amendment");

        let state = harness.state();
        assert!(state.amending.is_none());
        assert!(matches!(state.edits.last(), Some(Edit::SaveAmendment { .. })));
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
        assert!(harness.state().amending.is_some());
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
        assert!(state.amending.is_none());
        assert_eq!(state.edits.last(), Some(&Edit::CancelAmendment));
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
        let client = Client::new("Ana Lima");
        let rules = ClinicRules::default();
        let at = judged(&client, &rules, Ok(()));
        lifecycle::amend(&mut session, before, "Pressure was misrecorded", &at).expect("amended");
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
    fn a_session_planned_ahead_is_neither_marked_ready_nor_completed_before_its_day() {
        let mut ahead = session();
        ahead.starts_at = jiff::civil::date(2026, 11, 30).at(9, 30, 0, 0);
        let harness = panel_on(ahead, &[]);
        assert!(is_disabled(&harness, "Mark ready"));
        assert!(is_disabled(&harness, "Complete session…"));
        let why = "A session is marked ready or completed on its day, and this one is on Mon 30 Nov 2026.";
        assert!(harness.query_by_label(why).is_some(), "the reason is shown");
    }

    #[test]
    fn without_that_days_screening_the_session_is_neither_ready_nor_completed() {
        let mut unscreened = session();
        unscreened.screening = None;
        let harness = panel_on(unscreened, &[]);
        assert!(is_disabled(&harness, "Mark ready"));
        assert!(is_disabled(&harness, "Complete session…"));
        assert!(harness.query_by_label("Answer today's screening").is_some());
    }

    #[test]
    fn rule_names_read_as_words() {
        assert_eq!(words_of("MedicalClearance"), "medical clearance");
    }
}
