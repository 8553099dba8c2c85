//! Every change of a session's status, in one place: marking it ready, going
//! back to planning, completing it, postponing, cancelling, amending a record
//! and marking one entered in error. Whatever screen or file asks, the status
//! changes only here, and each change checks what PRODUCT.md's lifecycle asks
//! of it (the day, today's screening, the safety gate) and says in a typed
//! [`Refusal`] why not.
//!
//! The gate's verdict is computed by the safety rules, which sit above the
//! model; the caller hands it in ([`Circumstances::gate`]) for the session as it
//! stands, so the model decides without knowing how a warning is found.
//!
//! A record keeps what it was judged by ([`JudgedBy`]): the health flags and
//! clinic rules it passed with when it was marked ready or completed, so that a
//! flag ticked later never turns an old record into a problem.

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

use super::{
    Client, ClinicRules, FlagDetails, HealthFlag, InvalidSession, Outcome, Screening, Session, SessionRecord,
    SessionStatus,
};

/// Why the safety gate stays shut: the warnings in the way, in words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GateRefusal {
    /// Warnings that no reason can explain: the session must be postponed or cancelled.
    pub blocking: Vec<String>,
    /// Warnings (and reminders) that need fixing in the plan or a written reason.
    pub unexplained: Vec<String>,
}

impl GateRefusal {
    /// Whether the session can only be postponed or cancelled.
    pub fn is_blocked(&self) -> bool {
        !self.blocking.is_empty()
    }
}

/// "the session cannot go ahead today …", or "2 safety warnings need fixing …".
impl std::fmt::Display for GateRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_blocked() {
            return write!(
                f,
                "the session cannot go ahead today, so postpone or cancel it: {}",
                self.blocking.join("; ")
            );
        }
        let count = self.unexplained.len();
        write!(
            f,
            "{count} safety {} fixing in the plan or a written reason: {}",
            if count == 1 { "warning needs" } else { "warnings need" },
            self.unexplained.join("; ")
        )
    }
}

/// What a record was judged by when it was marked ready or completed: the
/// client's health flags (the built-in ones and the clinic's) and the clinic's
/// rules for them, as they were that day (format 3 on).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JudgedBy {
    pub at: DateTime,
    pub health_flags: BTreeMap<HealthFlag, FlagDetails>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub clinic_flags: BTreeMap<String, FlagDetails>,
    /// The clinic's rules that bore on this client that day (only the flags the
    /// client had; the record of rule changes is the rules file's, not copied).
    #[serde(skip_serializing_if = "ClinicRules::is_empty")]
    pub clinic_rules: ClinicRules,
    /// The pressures of the client's last completed session before it, which a
    /// rise is measured from: kept, so that amending or striking out that
    /// session later does not change how this one was judged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_session: Option<LastSession>,
}

/// What a record kept of the session before it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastSession {
    pub starts_at: DateTime,
    pub pressures: BTreeMap<super::RegionId, super::Pressure>,
}

impl JudgedBy {
    /// What `client` is judged by under `rules`, at `at`, with `previous` the
    /// client's last completed session before this one.
    pub fn of(client: &Client, rules: &ClinicRules, previous: Option<&Session>, at: DateTime) -> JudgedBy {
        let clinic_rules = ClinicRules {
            built_in: rules
                .built_in
                .iter()
                .filter(|(flag, tightening)| client.health_flags.contains_key(flag) && !tightening.is_empty())
                .map(|(flag, tightening)| (*flag, tightening.clone()))
                .collect(),
            clinic_flags: rules
                .clinic_flags
                .iter()
                .filter(|flag| client.clinic_flags.contains_key(&flag.key))
                .cloned()
                .collect(),
            changes: Vec::new(),
            sensitive_regions: rules.sensitive_regions.clone(),
        };
        JudgedBy {
            at,
            health_flags: client.health_flags.clone(),
            clinic_flags: client.clinic_flags.clone(),
            clinic_rules,
            last_session: previous.map(|previous| LastSession {
                starts_at: previous.starts_at,
                pressures: previous
                    .regions
                    .iter()
                    .filter_map(|work| Some((work.region, work.pressure?)))
                    .collect(),
            }),
        }
    }

    /// The session before, as this record was judged against it: its pressures only.
    pub fn last_session_then(&self, client: &super::ClientId) -> Option<Session> {
        let last = self.last_session.as_ref()?;
        let minutes = super::Minutes::new(60).ok()?;
        let mut session = Session::new(client.clone(), last.starts_at, minutes);
        for (&region, &pressure) in &last.pressures {
            session.region_mut(region).pressure = Some(pressure);
        }
        Some(session)
    }

    /// `client` as they were that day: the same person with the flags recorded.
    pub fn client_then(&self, client: &Client) -> Client {
        Client {
            health_flags: self.health_flags.clone(),
            clinic_flags: self.clinic_flags.clone(),
            ..client.clone()
        }
    }
}

/// A change of status a screen (or a script) asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transition {
    /// Checked and safe to start.
    MarkReady,
    /// A ready session goes back to planning.
    BackToPlanned,
    /// Done, with the outcome: the record is then locked.
    Complete(Outcome),
    /// Moved to a later time, with the reason.
    Postpone { to: DateTime, reason: String },
    /// Called off, with the reason.
    Cancel { reason: String },
    /// A record that should never have been made, with the reason.
    MarkEnteredInError { reason: String },
}

impl Transition {
    /// The transition in a few words, for a refusal's subject: "mark it ready".
    pub fn in_words(&self) -> &'static str {
        match self {
            Transition::MarkReady => "mark it ready",
            Transition::BackToPlanned => "take it back to planning",
            Transition::Complete(_) => "complete it",
            Transition::Postpone { .. } => "postpone it",
            Transition::Cancel { .. } => "cancel it",
            Transition::MarkEnteredInError { .. } => "mark it entered in error",
        }
    }
}

/// What a status change is judged by, besides the session itself.
#[derive(Clone, Debug)]
pub struct Circumstances<'a> {
    /// The local time now.
    pub now: DateTime,
    /// Who asks: signs an amendment or an entered-in-error mark.
    pub who: &'a str,
    /// The client as their profile stands now.
    pub client: &'a Client,
    /// The clinic's rules now: what a record is judged by is kept from them.
    pub clinic_rules: &'a ClinicRules,
    /// The client's last completed session before this one, if any.
    pub previous: Option<&'a Session>,
    /// The safety gate's verdict on the session as it stands.
    pub gate: Result<(), GateRefusal>,
}

/// Why a change of status is refused, for the screen to word.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "a session is marked ready or completed on its day, and this one is on {}",
        day.strftime("%a %-d %b %Y")
    )]
    BeforeItsDay { day: Date },
    #[error(
        "the session has not started yet (it starts at {}): complete it once it has",
        starts_at.strftime("%H:%M on %a %-d %b")
    )]
    NotStarted { starts_at: DateTime },
    #[error("today's screening is not answered yet: ask the client every question first")]
    ScreeningNotAnswered,
    #[error("{0}")]
    Gate(GateRefusal),
    /// The plan is not covered by the client's consent (a sensitive area, a
    /// withdrawal, a plan gone beyond what was signed).
    #[error("{0}")]
    Consent(super::ConsentGap),
    #[error("{0}")]
    ConsentChange(#[from] super::consent::ConsentRefusal),
    #[error("the session is {}, so there is nothing to {what}", status.word())]
    WrongStatus { status: SessionStatus, what: &'static str },
    #[error("the record is marked entered in error and stays as it was")]
    EnteredInError,
    #[error("the record is locked: change it with an amendment")]
    Locked,
    #[error("it is not being amended")]
    NotAmending,
    #[error("{0}")]
    Invalid(#[from] InvalidSession),
}

/// The screening of the session's own day, if it was answered on that day (or
/// later, for a session recorded after the fact): a screening asked on an
/// earlier day, or carried from before a postponement, is not today's.
pub fn screening_of_its_day(session: &Session) -> Option<&Screening> {
    session.screening.as_ref().filter(|screening| screening.asked_at.date() >= session.starts_at.date())
}

/// Whether every question of the screening was answered for `client`: fever
/// today, each health flag, and each of the clinic's flags the client has.
pub fn screening_answered(screening: &Screening, client: &Client, rules: &ClinicRules) -> bool {
    screening.is_complete(client.health_flags.keys())
        && client
            .clinic_flags
            .keys()
            .filter(|key| rules.flag(key).is_some())
            .all(|key| screening.still_true_clinic.contains_key(key))
}

/// Whether `transition` may be applied to `session` now, and why not.
pub fn may(session: &Session, transition: &Transition, at: &Circumstances<'_>) -> Result<(), Refusal> {
    let status = session.status;
    let wrong = || Refusal::WrongStatus { status, what: transition.in_words() };
    match transition {
        Transition::MarkReady => {
            if status != SessionStatus::Planned {
                return Err(wrong());
            }
            ready_to_start(session, at)
        }
        Transition::BackToPlanned => (status == SessionStatus::Ready).then_some(()).ok_or_else(wrong),
        Transition::Complete(_) => {
            if status.is_record() {
                return Err(wrong());
            }
            ready_to_start(session, at)?;
            if at.now < session.starts_at {
                return Err(Refusal::NotStarted { starts_at: session.starts_at });
            }
            Ok(())
        }
        Transition::Postpone { .. } | Transition::Cancel { .. } => {
            (!status.is_record()).then_some(()).ok_or_else(wrong)
        }
        Transition::MarkEnteredInError { .. } => {
            if !status.is_record() {
                return Err(wrong());
            }
            if session.entered_in_error.is_some() {
                return Err(Refusal::EnteredInError);
            }
            Ok(())
        }
    }
}

/// What Ready and Complete both ask: the session's day has come, the gate
/// passes, and that day's screening is answered.
fn ready_to_start(session: &Session, at: &Circumstances<'_>) -> Result<(), Refusal> {
    let day = session.starts_at.date();
    if at.now.date() < day {
        return Err(Refusal::BeforeItsDay { day });
    }
    // The gate first: a fever or an unsafe plan is what the therapist must hear of first.
    at.gate.clone().map_err(Refusal::Gate)?;
    let answered = screening_of_its_day(session)
        .is_some_and(|screening| screening_answered(screening, at.client, at.clinic_rules));
    if !answered {
        return Err(Refusal::ScreeningNotAnswered);
    }
    match super::consent::consent_gap(session, &at.clinic_rules.sensitive_regions()) {
        Some(gap) => Err(Refusal::Consent(gap)),
        None => Ok(()),
    }
}

/// Applies `transition` to `session`, or leaves it as it was and says why not.
pub fn apply(session: &mut Session, transition: Transition, at: &Circumstances<'_>) -> Result<(), Refusal> {
    may(session, &transition, at)?;
    match transition {
        Transition::MarkReady => {
            session.status = SessionStatus::Ready;
            session.judged_by = Some(JudgedBy::of(at.client, at.clinic_rules, at.previous, at.now));
        }
        Transition::BackToPlanned => session.status = SessionStatus::Planned,
        Transition::Complete(outcome) => {
            session.complete(outcome);
            session.judged_by = Some(JudgedBy::of(at.client, at.clinic_rules, at.previous, at.now));
        }
        Transition::Postpone { to, reason } => session.postpone(to, &reason, at.now)?,
        Transition::Cancel { reason } => session.cancel(&reason, at.now)?,
        Transition::MarkEnteredInError { reason } => {
            session.mark_entered_in_error(&reason, at.who, at.now)?
        }
    }
    Ok(())
}

/// What the lifecycle would say of postponing, cancelling or marking entered
/// in error (the decisions that need no gate), tried on a copy: for a form to
/// say, where the reason is typed, what is missing.
pub fn try_decision(session: &Session, transition: &Transition, now: DateTime) -> Result<(), Refusal> {
    let mut trial = session.clone();
    match transition {
        Transition::Postpone { to, reason } => trial.postpone(*to, reason, now)?,
        Transition::Cancel { reason } => trial.cancel(reason, now)?,
        Transition::MarkEnteredInError { reason } => trial.mark_entered_in_error(reason, "", now)?,
        Transition::MarkReady | Transition::BackToPlanned | Transition::Complete(_) => {}
    }
    Ok(())
}

/// After an edit of a ready session's plan, its profile or the rules: if it no
/// longer passes what Ready asks, it goes back to planned, and the reason is
/// returned to be told. Anything else is left as it is.
pub fn recheck_ready(session: &mut Session, at: &Circumstances<'_>) -> Option<Refusal> {
    if session.status != SessionStatus::Ready {
        return None;
    }
    let refusal = ready_to_start(session, at).err()?;
    session.status = SessionStatus::Planned;
    Some(refusal)
}

/// The plan's content as a screen left it: the clinical record and, for a
/// session not yet done, its start, length and therapist. This is all a plan
/// edit can change; the status, the screening, the postponements and the
/// amendments change only through [`apply`] and [`amend`].
#[derive(Clone, Debug, PartialEq)]
pub struct PlanContent {
    pub starts_at: DateTime,
    pub minutes: super::Minutes,
    pub therapist: String,
    pub record: SessionRecord,
}

impl PlanContent {
    pub fn of(session: &Session) -> PlanContent {
        PlanContent {
            starts_at: session.starts_at,
            minutes: session.minutes,
            therapist: session.therapist.clone(),
            record: session.record(),
        }
    }
}

/// Takes `content` into `session`: the whole plan of a session not yet done
/// (but its outcome, which completing records), or the clinical record of one
/// being amended (`amending`). A locked record not being amended is refused.
/// Returns whether anything changed.
pub fn edit_plan(session: &mut Session, content: PlanContent, amending: bool) -> Result<bool, Refusal> {
    let before = PlanContent::of(session);
    match session.status {
        SessionStatus::Completed if amending => {
            if session.entered_in_error.is_some() {
                return Err(Refusal::EnteredInError);
            }
            session.restore_record(content.record);
        }
        status if status.is_record() => {
            return if content == before { Ok(false) } else { Err(Refusal::Locked) };
        }
        _ => {
            let PlanContent { starts_at, minutes, therapist, mut record } = content;
            record.outcome = session.outcome.clone();
            session.starts_at = starts_at;
            session.minutes = minutes;
            session.therapist = therapist;
            session.restore_record(record);
        }
    }
    Ok(PlanContent::of(session) != before)
}

/// Whether `session` may join a client's sessions as a new plan: planned, with
/// no outcome, amendment, judgement, cancellation or entered-in-error mark (a
/// record is never made by adding it whole).
pub fn may_add_as_new(session: &Session) -> Result<(), Refusal> {
    let fresh = session.status == SessionStatus::Planned
        && session.outcome.is_none()
        && session.amendments.is_empty()
        && session.judged_by.is_none()
        && session.entered_in_error.is_none()
        && session.cancellation.is_none()
        // A consent is signed for a plan, never brought in with one.
        && session.consents.is_empty();
    fresh
        .then_some(())
        .ok_or(Refusal::WrongStatus { status: session.status, what: "plan it as a new session" })
}

/// Takes today's screening into a session not yet done.
pub fn answer_screening(session: &mut Session, screening: Screening) -> Result<(), Refusal> {
    if session.status.is_record() {
        return Err(Refusal::Locked);
    }
    session.screening = Some(screening);
    Ok(())
}

/// Keeps the change from `before` (the record when the amendment began) to the
/// session's record now as a dated amendment, signed by `at.who`. The amended
/// record passes the gate too: a warning it adds is explained in it (a written
/// reason on the warning), or the amendment is refused and the record left as it is.
pub fn amend(
    session: &mut Session,
    before: SessionRecord,
    reason: &str,
    at: &Circumstances<'_>,
) -> Result<(), Refusal> {
    if session.status != SessionStatus::Completed {
        return Err(Refusal::Invalid(InvalidSession::AmendingUncompleted));
    }
    if session.entered_in_error.is_some() {
        return Err(Refusal::EnteredInError);
    }
    at.gate.clone().map_err(Refusal::Gate)?;
    // An amendment cannot bring in a sensitive area the client never consented to.
    if !session.before_consent
        && let Some(gap @ (super::ConsentGap::Missing(_) | super::ConsentGap::Withdrawn { .. })) =
            super::consent::consent_gap(session, &at.clinic_rules.sensitive_regions())
    {
        return Err(Refusal::Consent(gap));
    }
    session.amend(before, reason, at.who, at.now)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClientId, Minutes, Pain, Response};

    fn day(d: i8) -> Date {
        jiff::civil::date(2026, 12, d)
    }

    fn planned_on(d: i8) -> Session {
        Session::new(ClientId::new("ana").expect("id"), day(d).at(10, 0, 0, 0), Minutes::new(60).expect("60"))
    }

    fn answered(asked_at: DateTime) -> Screening {
        Screening { acute_illness_today: Some(false), ..Screening::new(asked_at) }
    }

    fn outcome() -> Outcome {
        Outcome {
            pain_before: Pain::new(6).ok(),
            pain_after: Pain::new(3).ok(),
            response: Some(Response::Better),
            notes: String::new(),
        }
    }

    fn at<'a>(now: DateTime, client: &'a Client, rules: &'a ClinicRules) -> Circumstances<'a> {
        Circumstances { now, who: "Mira Santos", client, clinic_rules: rules, previous: None, gate: Ok(()) }
    }

    #[test]
    fn an_amendment_cannot_bring_a_buttock_into_a_record_without_its_consent() {
        let client = Client::new("Ana");
        let rules = ClinicRules::default();
        let mut session = planned_on(7);
        session.screening = Some(answered(day(7).at(9, 0, 0, 0)));
        session.region_mut(crate::model::RegionId::UpperTrapeziusR).pressure =
            Some(crate::model::Pressure::LIGHT);
        let after = at(day(7).at(11, 0, 0, 0), &client, &rules);
        apply(&mut session, Transition::Complete(outcome()), &after)
            .unwrap_or_else(|refusal| panic!("{refusal}"));
        let before = session.record();
        session.region_mut(crate::model::RegionId::GluteusMediusR).pressure =
            Some(crate::model::Pressure::LIGHT);
        assert!(matches!(
            amend(&mut session, before, "The hip was worked too.", &after),
            Err(Refusal::Consent(crate::model::ConsentGap::Missing(_)))
        ));
    }

    #[test]
    fn ready_needs_the_sessions_day_and_its_screening() {
        let client = Client::new("Ana");
        let rules = ClinicRules::default();
        let mut session = planned_on(7);
        let early = at(day(1).at(9, 0, 0, 0), &client, &rules);
        assert_eq!(
            apply(&mut session, Transition::MarkReady, &early),
            Err(Refusal::BeforeItsDay { day: day(7) })
        );
        let on_the_day = at(day(7).at(9, 0, 0, 0), &client, &rules);
        assert_eq!(
            apply(&mut session, Transition::MarkReady, &on_the_day),
            Err(Refusal::ScreeningNotAnswered)
        );
        // A screening answered while planning ahead is not that day's.
        session.screening = Some(answered(day(1).at(9, 0, 0, 0)));
        assert_eq!(
            apply(&mut session, Transition::MarkReady, &on_the_day),
            Err(Refusal::ScreeningNotAnswered)
        );
        session.screening = Some(answered(day(7).at(9, 0, 0, 0)));
        assert_eq!(apply(&mut session, Transition::MarkReady, &on_the_day), Ok(()));
        assert_eq!(session.status, SessionStatus::Ready);
        assert!(session.judged_by.is_some(), "a ready session keeps what it was judged by");
    }

    #[test]
    fn a_session_is_completed_only_once_its_start_has_come() {
        let client = Client::new("Ana");
        let rules = ClinicRules::default();
        let mut session = planned_on(7);
        session.screening = Some(answered(day(7).at(9, 0, 0, 0)));
        let before_start = at(day(7).at(9, 30, 0, 0), &client, &rules);
        assert_eq!(
            apply(&mut session, Transition::Complete(outcome()), &before_start),
            Err(Refusal::NotStarted { starts_at: day(7).at(10, 0, 0, 0) })
        );
        assert_eq!(session.status, SessionStatus::Planned);
        let after = at(day(7).at(11, 0, 0, 0), &client, &rules);
        assert_eq!(apply(&mut session, Transition::Complete(outcome()), &after), Ok(()));
        assert!(session.is_locked());
    }

    #[test]
    fn the_gate_refuses_ready_and_complete_and_a_ready_plan_made_unsafe_goes_back_to_planned() {
        let client = Client::new("Ana");
        let rules = ClinicRules::default();
        let mut session = planned_on(7);
        session.screening = Some(answered(day(7).at(9, 0, 0, 0)));
        let refusal =
            GateRefusal { blocking: Vec::new(), unexplained: vec!["pressure above the cap".to_owned()] };
        let unsafe_now =
            Circumstances { gate: Err(refusal.clone()), ..at(day(7).at(11, 0, 0, 0), &client, &rules) };
        assert_eq!(
            apply(&mut session, Transition::MarkReady, &unsafe_now),
            Err(Refusal::Gate(refusal.clone()))
        );
        assert_eq!(
            apply(&mut session, Transition::Complete(outcome()), &unsafe_now),
            Err(Refusal::Gate(refusal.clone()))
        );
        apply(&mut session, Transition::MarkReady, &at(day(7).at(9, 0, 0, 0), &client, &rules))
            .expect("ready");
        assert_eq!(recheck_ready(&mut session, &unsafe_now), Some(Refusal::Gate(refusal)));
        assert_eq!(session.status, SessionStatus::Planned);
    }

    #[test]
    fn a_plan_edit_never_changes_the_status_and_a_record_takes_none_unless_amended() {
        let client = Client::new("Ana");
        let rules = ClinicRules::default();
        let mut session = planned_on(7);
        let mut asked = session.clone();
        asked.status = SessionStatus::Completed;
        asked.goals = "Sleep".to_owned();
        assert_eq!(edit_plan(&mut session, PlanContent::of(&asked), false), Ok(true));
        assert_eq!((session.status, session.goals.as_str()), (SessionStatus::Planned, "Sleep"));

        session.screening = Some(answered(day(7).at(9, 0, 0, 0)));
        apply(&mut session, Transition::Complete(outcome()), &at(day(7).at(11, 0, 0, 0), &client, &rules))
            .expect("done");
        let mut changed = PlanContent::of(&session);
        changed.record.goals = "Something else".to_owned();
        assert_eq!(edit_plan(&mut session, changed.clone(), false), Err(Refusal::Locked));
        assert_eq!(session.goals, "Sleep");
        assert_eq!(edit_plan(&mut session, changed, true), Ok(true));
    }

    #[test]
    fn a_record_is_never_added_whole_as_a_new_session() {
        let mut session = planned_on(7);
        assert_eq!(may_add_as_new(&session), Ok(()));
        session.status = SessionStatus::Completed;
        assert!(matches!(may_add_as_new(&session), Err(Refusal::WrongStatus { .. })));
    }

    #[test]
    fn entered_in_error_is_signed_by_who_marks_it() {
        let client = Client::new("Ana");
        let rules = ClinicRules::default();
        let mut session = planned_on(7);
        session.therapist = "Sam Okafor".to_owned();
        session.screening = Some(answered(day(7).at(9, 0, 0, 0)));
        let now = at(day(7).at(11, 0, 0, 0), &client, &rules);
        apply(&mut session, Transition::Complete(outcome()), &now).expect("done");
        apply(&mut session, Transition::MarkEnteredInError { reason: "wrong client".to_owned() }, &now)
            .expect("marked");
        assert_eq!(
            session.entered_in_error.as_ref().map(|mark| mark.therapist.as_str()),
            Some("Mira Santos")
        );
    }
}
