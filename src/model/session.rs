//! One session of a client: the goals, the map (an entry per region worked and
//! free marks), the plan's timing, aftercare, and, once done, the outcome.
//!
//! The steps that change a session's status (postpone, cancel, complete, amend,
//! mark entered in error) are visible to the model only: outside it, they are
//! taken through [`super::lifecycle`], which checks the day, the screening and
//! the gate first.

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

use super::{
    ClientId, FindingKind, HealthFlag, Minutes, Pain, Pressure, RegionId, SessionId, Technique, Tension,
};

/// Where the session stands: a plan, checked and ready to start, done and
/// locked, or called off.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionStatus {
    /// Being planned: the map, the plan and the safety checks may still change.
    /// A postponed session is planned again, at its new time.
    #[default]
    Planned,
    /// Checked and safe to start: it passed the safety gate (every warning fixed
    /// or explained in writing, none blocking). It is still editable (marking it
    /// ready is a step of the workflow, not a lock).
    Ready,
    /// Done: the record is locked, and later changes are amendments.
    Completed,
    /// Called off, with the reason in [`Session::cancellation`] (format 2 on).
    /// Nothing was done, and the record of why is kept as it is.
    Cancelled,
}

impl SessionStatus {
    /// The status in a word, for lists and screen readers.
    pub fn word(self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Ready => "ready",
            SessionStatus::Completed => "completed",
            SessionStatus::Cancelled => "cancelled",
        }
    }

    /// Whether a session in this status is a record of what happened (done, or
    /// called off): it is never moved to the trash, only marked entered in error.
    pub fn is_record(self) -> bool {
        matches!(self, SessionStatus::Completed | SessionStatus::Cancelled)
    }
}

/// A session moved to a later time instead of going ahead (a fever today, say).
/// The session keeps its file and ID; this keeps where it was and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Postponement {
    /// When the session was to start before it was moved.
    pub from: DateTime,
    pub reason: String,
    pub decided_at: DateTime,
    /// The screening of the day it was moved from: a new day asks again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screening: Option<Screening>,
}

/// Why a session was called off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub reason: String,
    pub decided_at: DateTime,
}

/// A record that should never have been made (the wrong client, a duplicate):
/// it stays in the folder and in the lists, struck through, and is left out of
/// every history figure and of what a new session copies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnteredInError {
    pub reason: String,
    #[serde(default)]
    pub therapist: String,
    pub marked_at: DateTime,
}

/// The questions asked at the start of a session: are the client's health flags
/// still true today, and is there a fever or acute illness (which postpones the
/// session). A question not answered yet has no entry (or `None`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Screening {
    pub asked_at: DateTime,
    /// For each of the client's health flags asked about: still true today?
    #[serde(default)]
    pub still_true: BTreeMap<HealthFlag, bool>,
    /// The same for the clinic's own flags, by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub still_true_clinic: BTreeMap<String, bool>,
    /// Fever or acute illness today? `None` until answered.
    #[serde(default)]
    pub acute_illness_today: Option<bool>,
    #[serde(default)]
    pub note: String,
}

impl Screening {
    /// An unanswered screening, asked at `asked_at`.
    pub fn new(asked_at: DateTime) -> Screening {
        Screening {
            asked_at,
            still_true: BTreeMap::new(),
            still_true_clinic: BTreeMap::new(),
            acute_illness_today: None,
            note: String::new(),
        }
    }

    /// Whether the client reported a fever or acute illness today: a reason to
    /// postpone the session.
    pub fn reports_acute_illness(&self) -> bool {
        self.acute_illness_today == Some(true)
    }

    /// Whether every question was answered, for a client with `flags`.
    pub fn is_complete<'a>(&self, mut flags: impl Iterator<Item = &'a HealthFlag>) -> bool {
        self.acute_illness_today.is_some() && flags.all(|flag| self.still_true.contains_key(flag))
    }
}

/// What the therapist found and plans for one region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionWork {
    pub region: RegionId,
    #[serde(default)]
    pub tension: Option<Tension>,
    #[serde(default)]
    pub pain: Option<Pain>,
    #[serde(default)]
    pub findings: Vec<FindingKind>,
    #[serde(default)]
    pub pressure: Option<Pressure>,
    #[serde(default)]
    pub techniques: Vec<Technique>,
    #[serde(default)]
    pub minutes: Option<Minutes>,
    #[serde(default)]
    pub notes: String,
}

impl RegionWork {
    /// An entry for `region` with no values yet.
    /// What the map shows of this region, in words, as a screen reader says it
    /// after the region's name: "tension 2 moderate, pain 6 of 10, pressure 3
    /// medium, trigger point"; "nothing recorded" for a region left blank.
    pub fn in_words(&self) -> String {
        let mut words = Vec::new();
        if let Some(tension) = self.tension {
            words.push(format!("tension {} {}", tension.get(), tension.word()));
        }
        if let Some(pain) = self.pain {
            words.push(format!("pain {} of 10", pain.get()));
        }
        if let Some(pressure) = self.pressure {
            words.push(format!("pressure {} {}", pressure.get(), pressure.word()));
        }
        words.extend(self.findings.iter().map(|finding| finding.label().to_lowercase()));
        if words.is_empty() { "nothing recorded".to_owned() } else { words.join(", ") }
    }

    pub fn new(region: RegionId) -> RegionWork {
        RegionWork {
            region,
            tension: None,
            pain: None,
            findings: Vec::new(),
            pressure: None,
            techniques: Vec::new(),
            minutes: None,
            notes: String::new(),
        }
    }

    /// The entry's values in words: "moderate tension, pain 5/10, pressure 3
    /// medium, 10 min, trigger point", or "no values yet".
    pub fn values_in_words(&self) -> String {
        let mut parts = Vec::new();
        if let Some(tension) = self.tension {
            parts.push(format!("{} tension", tension.word()));
        }
        if let Some(pain) = self.pain {
            parts.push(format!("pain {pain}/10"));
        }
        if let Some(pressure) = self.pressure {
            parts.push(format!("pressure {}", pressure_in_words(pressure)));
        }
        if let Some(minutes) = self.minutes {
            parts.push(format!("{minutes} min"));
        }
        parts.extend(self.techniques.iter().map(|technique| technique.label().to_lowercase()));
        parts.extend(self.findings.iter().map(|finding| finding.label().to_lowercase()));
        if !self.notes.trim().is_empty() {
            parts.push(format!("notes: {}", self.notes.trim()));
        }
        if parts.is_empty() { "no values yet".to_owned() } else { parts.join(", ") }
    }
}

/// "3 medium".
fn pressure_in_words(pressure: Pressure) -> String {
    format!("{pressure} {}", pressure.word())
}

/// A point in map coordinates: the unit square over the posterior view, x from
/// the viewer's left (client's left) to right, y from the top of the head down.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawMapPoint")]
pub struct MapPoint {
    x: f32,
    y: f32,
}

#[derive(Deserialize)]
struct RawMapPoint {
    x: f32,
    y: f32,
}

/// A point that lies outside the map.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("a map point must lie within 0..1 on both axes, not ({x}, {y})")]
pub struct OffTheMap {
    pub x: f32,
    pub y: f32,
}

impl MapPoint {
    pub fn new(x: f32, y: f32) -> Result<MapPoint, OffTheMap> {
        if (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y) {
            Ok(MapPoint { x, y })
        } else {
            Err(OffTheMap { x, y })
        }
    }

    /// The nearest point on the map, for a pointer dragged past its edge.
    pub fn clamped(x: f32, y: f32) -> MapPoint {
        let clamp = |v: f32| if v.is_nan() { 0.5 } else { v.clamp(0.0, 1.0) };
        MapPoint { x: clamp(x), y: clamp(y) }
    }

    pub fn x(self) -> f32 {
        self.x
    }

    pub fn y(self) -> f32 {
        self.y
    }
}

impl TryFrom<RawMapPoint> for MapPoint {
    type Error = OffTheMap;
    fn try_from(raw: RawMapPoint) -> Result<Self, OffTheMap> {
        MapPoint::new(raw.x, raw.y)
    }
}

/// A finding placed at an exact point of the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapMark {
    pub at: MapPoint,
    pub kind: FindingKind,
    #[serde(default)]
    pub note: String,
}

/// How the client responded to the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Response {
    MuchBetter,
    Better,
    NoChange,
    Worse,
}

impl Response {
    pub const ALL: [Response; 4] =
        [Response::MuchBetter, Response::Better, Response::NoChange, Response::Worse];

    pub fn label(self) -> &'static str {
        match self {
            Response::MuchBetter => "Much better",
            Response::Better => "Better",
            Response::NoChange => "No change",
            Response::Worse => "Worse",
        }
    }
}

/// What the session achieved, recorded when it is completed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub pain_before: Option<Pain>,
    pub pain_after: Option<Pain>,
    pub response: Option<Response>,
    #[serde(default)]
    pub notes: String,
}

/// The safety rule a warning came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SafetyRule {
    /// Pressure above the cap a health flag sets.
    PressureCap,
    /// Work on a region the plan says to avoid.
    AvoidRegion,
    /// Pressure above medium over a caution zone.
    CautionZone,
    /// A rise of two or more pressure steps over the client's last session.
    PressureRise,
    /// A condition that asks for medical clearance first.
    MedicalClearance,
    /// Fever or acute illness today: the session should be postponed.
    AcuteIllness,
    /// Pregnancy: the client should not lie face down (format 2 on).
    PronePositioning,
    /// A flag of the clinic's own that stops the session.
    ClinicFlag,
}

/// A warning the therapist chose to go past, with the reason they wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyOverride {
    pub rule: SafetyRule,
    /// The region the warning was about, if it was about one.
    #[serde(default)]
    pub region: Option<RegionId>,
    pub reason: String,
    pub decided_at: DateTime,
    /// The date of the earlier session this reason was carried from with one
    /// click, shown as "carried from 26 Nov"; `None` when written for this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<Date>,
}

/// A dated change to a completed session, kept beside the original record.
///
/// The session's own fields always hold the current record; an amendment keeps
/// the record it replaced, so the original and every step since can be shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Amendment {
    pub made_at: DateTime,
    #[serde(default)]
    pub therapist: String,
    pub reason: String,
    /// What was changed, in words.
    #[serde(default)]
    pub change: String,
    /// The record as it was just before this amendment. `None` in amendments
    /// written before Knotmap kept it. Not written when `None`, so that a file
    /// without it is written back byte for byte as it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<SessionRecord>,
}

/// The clinical content of a session: what an amendment changes and keeps.
/// (The date, length, therapist, status, screening and amendments are not part
/// of it.)
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionRecord {
    pub goals: String,
    pub regions: Vec<RegionWork>,
    pub marks: Vec<MapMark>,
    pub aftercare: Vec<String>,
    pub next_visit: Option<Date>,
    pub outcome: Option<Outcome>,
    pub overrides: Vec<SafetyOverride>,
}

impl SessionRecord {
    /// What changed from `before` to this record, in words, one item per change:
    /// "pressure on Upper trapezius, client's right: from 3 medium to 4 firm",
    /// "goals changed". Empty when nothing changed. (Words rather than an arrow:
    /// the app's font has no arrow glyph.)
    pub fn changes_since(&self, before: &SessionRecord) -> Vec<String> {
        let mut changes = Vec::new();
        region_changes(&before.regions, &self.regions, &mut changes);
        if self.goals != before.goals {
            changes.push("goals changed".to_owned());
        }
        if self.marks != before.marks {
            changes.push(if self.marks.len() == before.marks.len() {
                "marks on the map changed".to_owned()
            } else {
                format!("marks on the map: from {} to {}", before.marks.len(), self.marks.len())
            });
        }
        if self.aftercare != before.aftercare {
            changes.push("aftercare changed".to_owned());
        }
        if self.next_visit != before.next_visit {
            let date = |date: Option<Date>| date.map_or_else(|| "none".to_owned(), |date| date.to_string());
            changes.push(format!(
                "next visit: from {} to {}",
                date(before.next_visit),
                date(self.next_visit)
            ));
        }
        outcome_changes(before.outcome.as_ref(), self.outcome.as_ref(), &mut changes);
        if self.overrides != before.overrides {
            changes.push(if self.overrides.len() == before.overrides.len() {
                "safety overrides changed".to_owned()
            } else {
                format!("safety overrides: from {} to {}", before.overrides.len(), self.overrides.len())
            });
        }
        changes
    }
}

fn region_changes(before: &[RegionWork], after: &[RegionWork], changes: &mut Vec<String>) {
    for old in before {
        if !after.iter().any(|work| work.region == old.region) {
            changes.push(format!("{} removed", old.region.accessible_name()));
        }
    }
    for new in after {
        let name = new.region.accessible_name();
        let Some(old) = before.iter().find(|work| work.region == new.region) else {
            changes.push(format!("{name} added ({})", new.values_in_words()));
            continue;
        };
        let mut value = |what: &str, old: Option<String>, new: Option<String>| {
            if old != new {
                let word = |value: Option<String>| value.unwrap_or_else(|| "none".to_owned());
                changes.push(format!("{what} on {name}: from {} to {}", word(old), word(new)));
            }
        };
        let tension = |tension: Tension| format!("{tension} {}", tension.word());
        value("tension", old.tension.map(tension), new.tension.map(tension));
        value("pain", old.pain.map(|p| format!("{p}/10")), new.pain.map(|p| format!("{p}/10")));
        value("pressure", old.pressure.map(pressure_in_words), new.pressure.map(pressure_in_words));
        value("minutes", old.minutes.map(|m| m.to_string()), new.minutes.map(|m| m.to_string()));
        for (what, changed) in [
            ("techniques", old.techniques != new.techniques),
            ("findings", old.findings != new.findings),
            ("notes", old.notes != new.notes),
        ] {
            if changed {
                changes.push(format!("{what} on {name} changed"));
            }
        }
    }
    let order = |works: &[RegionWork], other: &[RegionWork]| -> Vec<RegionId> {
        works
            .iter()
            .map(|work| work.region)
            .filter(|region| other.iter().any(|w| w.region == *region))
            .collect()
    };
    if order(before, after) != order(after, before) {
        changes.push("order of work changed".to_owned());
    }
}

fn outcome_changes(before: Option<&Outcome>, after: Option<&Outcome>, changes: &mut Vec<String>) {
    match (before, after) {
        (None, None) => {}
        (None, Some(_)) => changes.push("outcome recorded".to_owned()),
        (Some(_), None) => changes.push("outcome removed".to_owned()),
        (Some(old), Some(new)) => {
            let pain =
                |pain: Option<Pain>| pain.map_or_else(|| "none".to_owned(), |pain| format!("{pain}/10"));
            if old.pain_before != new.pain_before {
                changes.push(format!(
                    "pain before: from {} to {}",
                    pain(old.pain_before),
                    pain(new.pain_before)
                ));
            }
            if old.pain_after != new.pain_after {
                changes.push(format!(
                    "pain after: from {} to {}",
                    pain(old.pain_after),
                    pain(new.pain_after)
                ));
            }
            if old.response != new.response {
                let response = |r: Option<Response>| r.map_or("none", Response::label);
                changes.push(format!(
                    "response: from {} to {}",
                    response(old.response),
                    response(new.response)
                ));
            }
            if old.notes != new.notes {
                changes.push("outcome notes changed".to_owned());
            }
        }
    }
}

/// One session of one client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: SessionId,
    pub client: ClientId,
    pub starts_at: DateTime,
    #[serde(default)]
    pub therapist: String,
    pub minutes: Minutes,
    #[serde(default)]
    pub status: SessionStatus,
    /// The client's goals, in their own words. Every plan starts here.
    #[serde(default)]
    pub goals: String,
    /// One entry per region worked, in the order of work.
    #[serde(default)]
    pub regions: Vec<RegionWork>,
    #[serde(default)]
    pub marks: Vec<MapMark>,
    #[serde(default)]
    pub aftercare: Vec<String>,
    #[serde(default)]
    pub next_visit: Option<Date>,
    #[serde(default)]
    pub outcome: Option<Outcome>,
    #[serde(default)]
    pub overrides: Vec<SafetyOverride>,
    #[serde(default)]
    pub amendments: Vec<Amendment>,
    /// The health screening asked at the start of the session, once asked.
    /// Not written when `None`, as in files from before screenings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screening: Option<Screening>,
    /// Each time the session was moved to a later time, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub postponements: Vec<Postponement>,
    /// Why the session was called off, once it was ([`SessionStatus::Cancelled`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellation: Option<Cancellation>,
    /// Set when a record was marked entered in error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_in_error: Option<EnteredInError>,
    /// Set on a session read from format 1 that was already ready or completed:
    /// it was marked before the safety gate existed, so an unexplained warning
    /// in it is history to note, not a broken rule.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub before_safety_gate: bool,
    /// What the session was judged by when it was marked ready or completed
    /// (format 3 on): a record is checked against these flags and rules, not
    /// against the profile as it is later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judged_by: Option<super::JudgedBy>,
    /// The client's informed consent for this session, each time it was given
    /// (format 4 on): the latest given is the one that stands
    /// ([`super::consent::current_consent`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consents: Vec<super::Consent>,
    /// Set on a session read from a format before consent (3 or older) that was
    /// already ready or completed: it was marked before Knotmap recorded
    /// consent, so its lack of one is history, not a problem.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub before_consent: bool,
}

/// A session whose content breaks a rule a file cannot express by its types.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidSession {
    #[error("region {0} has more than one entry; a session keeps one entry per region")]
    DuplicateRegion(RegionId),
    #[error("a session must last at least one minute")]
    NoLength,
    #[error("an override of a safety warning needs a written reason")]
    OverrideWithoutReason,
    #[error("an amendment needs a written reason")]
    AmendmentWithoutReason,
    #[error("nothing was changed, so there is nothing to amend")]
    AmendmentWithoutChange,
    #[error("only a completed session is amended; a session not yet completed is edited directly")]
    AmendingUncompleted,
    #[error("a cancelled session needs its `cancellation`, with a written reason")]
    CancelledWithoutReason,
    #[error("a postponement needs a written reason")]
    PostponementWithoutReason,
    #[error("only a completed or cancelled session can be marked entered in error")]
    ErrorOnUnfinished,
    #[error("marking a record entered in error needs a written reason")]
    ErrorWithoutReason,
    #[error("the new time must be later than the session's time now")]
    PostponedToEarlier,
    #[error("only a planned or ready session can be postponed or cancelled")]
    NotUnfinished,
}

impl InvalidSession {
    /// The field of a session file that holds the broken rule, to point at it.
    pub fn field(&self) -> &'static str {
        match self {
            InvalidSession::DuplicateRegion(_) => "regions",
            InvalidSession::NoLength => "minutes",
            InvalidSession::OverrideWithoutReason => "overrides",
            InvalidSession::AmendmentWithoutReason
            | InvalidSession::AmendmentWithoutChange
            | InvalidSession::AmendingUncompleted => "amendments",
            InvalidSession::CancelledWithoutReason => "status",
            InvalidSession::PostponementWithoutReason | InvalidSession::PostponedToEarlier => "postponements",
            InvalidSession::ErrorOnUnfinished | InvalidSession::ErrorWithoutReason => "entered_in_error",
            InvalidSession::NotUnfinished => "status",
        }
    }
}

impl Session {
    /// A new planned session for `client`, starting at `starts_at`.
    pub fn new(client: ClientId, starts_at: DateTime, minutes: Minutes) -> Session {
        Session {
            id: SessionId::generate(starts_at),
            client,
            starts_at,
            therapist: String::new(),
            minutes,
            status: SessionStatus::Planned,
            goals: String::new(),
            regions: Vec::new(),
            marks: Vec::new(),
            aftercare: Vec::new(),
            next_visit: None,
            outcome: None,
            overrides: Vec::new(),
            amendments: Vec::new(),
            screening: None,
            postponements: Vec::new(),
            cancellation: None,
            entered_in_error: None,
            before_safety_gate: false,
            judged_by: None,
            consents: Vec::new(),
            before_consent: false,
        }
    }

    /// The entry for `region`, if the session has one.
    pub fn region(&self, region: RegionId) -> Option<&RegionWork> {
        self.regions.iter().find(|work| work.region == region)
    }

    /// The entry for `region`, made (at the end of the order of work) if missing.
    pub fn region_mut(&mut self, region: RegionId) -> &mut RegionWork {
        let index = match self.regions.iter().position(|work| work.region == region) {
            Some(index) => index,
            None => {
                self.regions.push(RegionWork::new(region));
                self.regions.len() - 1
            }
        };
        &mut self.regions[index]
    }

    /// Checks what the types alone cannot: one entry per region, a length, and
    /// a reason for every override and amendment.
    pub fn validate(&self) -> Result<(), InvalidSession> {
        if self.minutes.get() == 0 {
            return Err(InvalidSession::NoLength);
        }
        for (index, work) in self.regions.iter().enumerate() {
            if self.regions[..index].iter().any(|earlier| earlier.region == work.region) {
                return Err(InvalidSession::DuplicateRegion(work.region));
            }
        }
        if self.overrides.iter().any(|o| o.reason.trim().is_empty()) {
            return Err(InvalidSession::OverrideWithoutReason);
        }
        if self.amendments.iter().any(|a| a.reason.trim().is_empty()) {
            return Err(InvalidSession::AmendmentWithoutReason);
        }
        if self.postponements.iter().any(|p| p.reason.trim().is_empty()) {
            return Err(InvalidSession::PostponementWithoutReason);
        }
        if self.status == SessionStatus::Cancelled
            && self.cancellation.as_ref().is_none_or(|c| c.reason.trim().is_empty())
        {
            return Err(InvalidSession::CancelledWithoutReason);
        }
        if let Some(error) = &self.entered_in_error {
            if !self.status.is_record() {
                return Err(InvalidSession::ErrorOnUnfinished);
            }
            if error.reason.trim().is_empty() {
                return Err(InvalidSession::ErrorWithoutReason);
            }
        }
        Ok(())
    }

    /// The minutes planned across all regions.
    pub fn planned_minutes(&self) -> u32 {
        self.regions.iter().filter_map(|work| work.minutes).map(|m| u32::from(m.get())).sum()
    }

    /// Whether the record is locked: a completed session changes only by
    /// amendments, and a cancelled one not at all.
    pub fn is_locked(&self) -> bool {
        self.status.is_record()
    }

    /// Whether the session counts in a client's history: done, and not marked
    /// entered in error. Only these are compared with, copied from, and counted.
    pub fn counts_in_history(&self) -> bool {
        self.status == SessionStatus::Completed && self.entered_in_error.is_none()
    }

    /// Moves a planned or ready session to `to`, keeping where it was and why;
    /// the session is planned again and asks the screening anew on its new day.
    /// Moved to later the same day as its screening, the screening stays with
    /// it: a fever answered this morning still holds tonight.
    pub(in crate::model) fn postpone(
        &mut self,
        to: DateTime,
        reason: &str,
        at: DateTime,
    ) -> Result<(), InvalidSession> {
        if self.status.is_record() {
            return Err(InvalidSession::NotUnfinished);
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(InvalidSession::PostponementWithoutReason);
        }
        if to <= self.starts_at {
            return Err(InvalidSession::PostponedToEarlier);
        }
        let same_day =
            self.screening.as_ref().is_some_and(|screening| screening.asked_at.date() == to.date());
        let screening = if same_day { self.screening.clone() } else { self.screening.take() };
        self.postponements.push(Postponement {
            from: self.starts_at,
            reason: reason.to_owned(),
            decided_at: at,
            screening,
        });
        self.starts_at = to;
        self.status = SessionStatus::Planned;
        Ok(())
    }

    /// Calls off a planned or ready session, with the reason; it is then locked.
    pub(in crate::model) fn cancel(&mut self, reason: &str, at: DateTime) -> Result<(), InvalidSession> {
        if self.status.is_record() {
            return Err(InvalidSession::NotUnfinished);
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(InvalidSession::CancelledWithoutReason);
        }
        self.cancellation = Some(Cancellation { reason: reason.to_owned(), decided_at: at });
        self.status = SessionStatus::Cancelled;
        Ok(())
    }

    /// Marks a completed or cancelled record as entered in error: it is kept,
    /// struck through, and left out of the client's history.
    pub(in crate::model) fn mark_entered_in_error(
        &mut self,
        reason: &str,
        therapist: &str,
        at: DateTime,
    ) -> Result<(), InvalidSession> {
        if !self.status.is_record() {
            return Err(InvalidSession::ErrorOnUnfinished);
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(InvalidSession::ErrorWithoutReason);
        }
        self.entered_in_error = Some(EnteredInError {
            reason: reason.to_owned(),
            therapist: therapist.trim().to_owned(),
            marked_at: at,
        });
        Ok(())
    }

    /// Records the outcome and completes the session, which locks its record.
    /// A session already completed is left as it is: its record changes only
    /// through [`Session::amend`].
    pub(in crate::model) fn complete(&mut self, outcome: Outcome) {
        if self.status.is_record() {
            return;
        }
        self.outcome = Some(outcome);
        self.status = SessionStatus::Completed;
    }

    /// The session's clinical content as it is now.
    pub fn record(&self) -> SessionRecord {
        SessionRecord {
            goals: self.goals.clone(),
            regions: self.regions.clone(),
            marks: self.marks.clone(),
            aftercare: self.aftercare.clone(),
            next_visit: self.next_visit,
            outcome: self.outcome.clone(),
            overrides: self.overrides.clone(),
        }
    }

    /// Puts `record` back as the session's clinical content: to drop an
    /// amendment that is being made.
    pub fn restore_record(&mut self, record: SessionRecord) {
        let SessionRecord { goals, regions, marks, aftercare, next_visit, outcome, overrides } = record;
        self.goals = goals;
        self.regions = regions;
        self.marks = marks;
        self.aftercare = aftercare;
        self.next_visit = next_visit;
        self.outcome = outcome;
        self.overrides = overrides;
    }

    /// The record as first completed: what the first amendment replaced, or the
    /// current record if it was never amended. Amendments from before Knotmap
    /// kept the replaced record have none; the earliest one kept is given then.
    pub fn original_record(&self) -> SessionRecord {
        self.amendments.iter().find_map(|amendment| amendment.before.clone()).unwrap_or_else(|| self.record())
    }

    /// Keeps the change from `before` (the record when the therapist started to
    /// amend) to the session's current content as a dated amendment, with the
    /// change in words. Refuses a session not completed, an empty reason, and
    /// an amendment that changes nothing; the session is then left as it is.
    pub(in crate::model) fn amend(
        &mut self,
        before: SessionRecord,
        reason: &str,
        therapist: &str,
        at: DateTime,
    ) -> Result<(), InvalidSession> {
        if self.status != SessionStatus::Completed {
            return Err(InvalidSession::AmendingUncompleted);
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(InvalidSession::AmendmentWithoutReason);
        }
        let after = self.record();
        if after == before {
            return Err(InvalidSession::AmendmentWithoutChange);
        }
        let mut changes = after.changes_since(&before);
        if changes.is_empty() {
            changes.push("record changed".to_owned());
        }
        self.amendments.push(Amendment {
            made_at: at,
            therapist: therapist.trim().to_owned(),
            reason: reason.to_owned(),
            change: changes.join("; "),
            before: Some(before),
        });
        Ok(())
    }
}

impl Session {
    /// A new planned session that starts where `previous` left off: its plan
    /// (each region's pressure, techniques, minutes and notes, in the order of
    /// work), goals and aftercare. What the therapist feels and the client
    /// reports today (tension, pain, findings and the marks on the map) is not
    /// copied: it is asked afresh, with last time's values shown beside it.
    /// Overrides of safety warnings are decisions for one day: they are offered
    /// again one by one, never copied silently.
    pub fn follow_up(previous: &Session, starts_at: DateTime) -> Session {
        let mut session = Session::new(previous.client.clone(), starts_at, previous.minutes);
        session.therapist = previous.therapist.clone();
        session.goals = previous.goals.clone();
        session.regions = previous
            .regions
            .iter()
            .map(|work| RegionWork {
                pressure: work.pressure,
                techniques: work.techniques.clone(),
                minutes: work.minutes,
                notes: work.notes.clone(),
                ..RegionWork::new(work.region)
            })
            .filter(|work| work != &RegionWork::new(work.region))
            .collect();
        session.aftercare = previous.aftercare.clone();
        session
    }
}

/// What `previous` recorded of each region that a new session asks afresh
/// (tension, pain, findings), to show beside it: "last: tension 2, pain 6,
/// trigger point (26 Nov)". Regions where nothing was felt or reported are left out.
pub fn last_time_in_words(previous: &Session) -> BTreeMap<RegionId, String> {
    let day = previous.starts_at.strftime("%-d %b");
    previous
        .regions
        .iter()
        .filter_map(|work| {
            let mut parts = Vec::new();
            if let Some(tension) = work.tension {
                parts.push(format!("tension {tension}"));
            }
            if let Some(pain) = work.pain {
                parts.push(format!("pain {pain}"));
            }
            parts.extend(work.findings.iter().map(|finding| finding.label().to_lowercase()));
            (!parts.is_empty()).then(|| (work.region, format!("last: {} ({day})", parts.join(", "))))
        })
        .collect()
}

/// The session a new one starts from: the client's latest session that counts
/// in the history (completed, not entered in error). A session still planned
/// has not happened, so it is never the one copied.
pub fn last_completed(sessions: &[Session]) -> Option<&Session> {
    sessions.iter().filter(|session| session.counts_in_history()).max_by_key(|session| session.starts_at)
}

#[cfg(test)]
mod follow_up_tests {
    use super::*;

    #[test]
    fn a_follow_up_copies_the_plan_and_goals_but_not_todays_findings_the_outcome_or_overrides() {
        let client = ClientId::new("ana").expect("id");
        let start = jiff::civil::date(2026, 11, 16).at(9, 0, 0, 0);
        let mut last = Session::new(client, start, Minutes::new(60).expect("minutes"));
        last.goals = "Sleep without waking from neck pain".to_owned();
        last.aftercare = vec!["Heat tonight".to_owned()];
        let work = last.region_mut(RegionId::UpperTrapeziusR);
        work.pressure = Pressure::new(3).ok();
        work.tension = Tension::new(2).ok();
        work.pain = Pain::new(6).ok();
        work.findings.push(FindingKind::TriggerPoint);
        work.techniques.push(Technique::Stripping);
        work.minutes = Minutes::new(12).ok();
        work.notes = "slow strokes".to_owned();
        // Felt last time but not worked: nothing of it is a plan.
        last.region_mut(RegionId::Sacrum).tension = Tension::new(1).ok();
        last.marks.push(MapMark {
            at: MapPoint::clamped(0.3, 0.3),
            kind: FindingKind::Spasm,
            note: String::new(),
        });
        last.status = SessionStatus::Completed;
        last.outcome = Some(Outcome {
            pain_before: Pain::new(6).ok(),
            pain_after: Pain::new(3).ok(),
            response: None,
            notes: String::new(),
        });
        last.overrides.push(SafetyOverride {
            rule: SafetyRule::PressureCap,
            region: Some(RegionId::UpperTrapeziusR),
            reason: "cleared by GP".to_owned(),
            decided_at: start,
            carried_from: None,
        });

        let next = Session::follow_up(&last, jiff::civil::date(2026, 11, 23).at(9, 0, 0, 0));
        assert_ne!(next.id, last.id);
        assert_eq!(next.status, SessionStatus::Planned);
        assert_eq!((next.goals.as_str(), &next.aftercare), (last.goals.as_str(), &last.aftercare));
        let [copied] = next.regions.as_slice() else { panic!("only the worked region is copied") };
        assert_eq!(
            (copied.region, copied.pressure, &copied.techniques, copied.minutes, copied.notes.as_str()),
            (
                RegionId::UpperTrapeziusR,
                Pressure::new(3).ok(),
                &vec![Technique::Stripping],
                Minutes::new(12).ok(),
                "slow strokes"
            )
        );
        assert_eq!((copied.tension, copied.pain, copied.findings.len()), (None, None, 0));
        assert!(next.marks.is_empty());
        assert!(next.outcome.is_none() && next.overrides.is_empty() && next.amendments.is_empty());
    }

    #[test]
    fn the_session_to_start_from_is_the_last_completed_one_not_a_planned_or_erroneous_one() {
        let client = ClientId::new("ana").expect("id");
        let at = |day| jiff::civil::date(2026, 11, day).at(9, 0, 0, 0);
        let minutes = Minutes::new(60).expect("minutes");
        let mut first = Session::new(client.clone(), at(2), minutes);
        first.status = SessionStatus::Completed;
        let mut wrong = Session::new(client.clone(), at(9), minutes);
        wrong.status = SessionStatus::Completed;
        wrong.mark_entered_in_error("wrong client", "Mira", at(10)).expect("marked");
        let planned = Session::new(client, at(30), minutes);
        let sessions = [first.clone(), wrong, planned];
        assert_eq!(last_completed(&sessions).map(|s| &s.id), Some(&first.id));
    }

    #[test]
    fn last_times_values_read_as_the_therapist_says_them() {
        let client = ClientId::new("ana").expect("id");
        let mut last = Session::new(
            client,
            jiff::civil::date(2026, 11, 26).at(9, 0, 0, 0),
            Minutes::new(60).expect("60"),
        );
        let work = last.region_mut(RegionId::UpperTrapeziusL);
        work.tension = Tension::new(2).ok();
        work.pain = Pain::new(6).ok();
        last.region_mut(RegionId::Sacrum).pressure = Pressure::new(2).ok();
        let words = last_time_in_words(&last);
        assert_eq!(
            words.get(&RegionId::UpperTrapeziusL).map(String::as_str),
            Some("last: tension 2, pain 6 (26 Nov)")
        );
        assert!(!words.contains_key(&RegionId::Sacrum), "only a plan, nothing felt");
    }

    #[test]
    fn postponing_keeps_the_old_time_and_reason_and_asks_the_screening_again() {
        let client = ClientId::new("ana").expect("id");
        let start = jiff::civil::date(2026, 11, 23).at(9, 0, 0, 0);
        let mut session = Session::new(client, start, Minutes::new(60).expect("minutes"));
        let mut screening = Screening::new(start);
        screening.acute_illness_today = Some(true);
        session.screening = Some(screening.clone());
        let later = jiff::civil::date(2026, 11, 30).at(9, 0, 0, 0);
        assert_eq!(session.postpone(later, " ", start), Err(InvalidSession::PostponementWithoutReason));
        assert_eq!(session.postpone(start, "fever", start), Err(InvalidSession::PostponedToEarlier));
        session.postpone(later, "fever", start).expect("postponed");
        assert_eq!((session.starts_at, session.status), (later, SessionStatus::Planned));
        assert_eq!(session.screening, None);
        let [moved] = session.postponements.as_slice() else { panic!("one postponement") };
        assert_eq!((moved.from, moved.reason.as_str()), (start, "fever"));
        assert_eq!(moved.screening.as_ref(), Some(&screening));
    }

    #[test]
    fn a_cancelled_session_is_locked_with_its_reason() {
        let client = ClientId::new("ana").expect("id");
        let start = jiff::civil::date(2026, 11, 23).at(9, 0, 0, 0);
        let mut session = Session::new(client, start, Minutes::new(60).expect("minutes"));
        assert_eq!(session.cancel("", start), Err(InvalidSession::CancelledWithoutReason));
        session.cancel("Client has the flu", start).expect("cancelled");
        assert!(session.is_locked());
        assert!(!session.counts_in_history());
        assert!(session.validate().is_ok());
        assert_eq!(session.cancel("again", start), Err(InvalidSession::NotUnfinished));
    }
}

#[cfg(test)]
mod record_tests {
    use super::*;

    fn completed_session() -> Session {
        let client = ClientId::new("ana-lima-k3f9q").expect("id");
        let start = jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0);
        let mut session = Session::new(client, start, Minutes::new(60).expect("minutes"));
        session.goals = "Turn my head without pulling".to_owned();
        session.region_mut(RegionId::UpperTrapeziusR).pressure = Some(Pressure::MEDIUM);
        session.complete(outcome(6, 3, Response::Better));
        session
    }

    fn outcome(before: i64, after: i64, response: Response) -> Outcome {
        Outcome {
            pain_before: Pain::new(before).ok(),
            pain_after: Pain::new(after).ok(),
            response: Some(response),
            notes: String::new(),
        }
    }

    fn next_morning() -> DateTime {
        jiff::civil::date(2026, 11, 24).at(8, 0, 0, 0)
    }

    #[test]
    fn completing_records_the_outcome_and_locks_the_record() {
        let session = completed_session();
        assert!(session.is_locked());
        assert_eq!(session.status, SessionStatus::Completed);
        assert_eq!(session.outcome, Some(outcome(6, 3, Response::Better)));
    }

    #[test]
    fn completing_again_does_not_replace_the_locked_outcome() {
        let mut session = completed_session();
        session.complete(outcome(2, 1, Response::Worse));
        assert_eq!(session.outcome, Some(outcome(6, 3, Response::Better)));
    }

    #[test]
    fn an_amendment_keeps_the_record_it_replaced_and_says_what_changed() {
        let mut session = completed_session();
        let before = session.record();
        session.region_mut(RegionId::UpperTrapeziusR).pressure = Some(Pressure::FIRM);
        session.goals = "Turn my head and sleep on my side".to_owned();

        session
            .amend(before.clone(), "  Pressure was misrecorded  ", "Mira Santos", next_morning())
            .expect("amended");

        let [amendment] = session.amendments.as_slice() else { panic!("one amendment") };
        assert_eq!(
            amendment.change,
            "pressure on Upper trapezius, client's right: from 3 medium to 4 firm; goals changed"
        );
        assert_eq!(amendment.reason, "Pressure was misrecorded");
        assert_eq!(amendment.therapist, "Mira Santos");
        assert_eq!(amendment.made_at, next_morning());
        assert_eq!(amendment.before.as_ref(), Some(&before));
        assert_eq!(session.region(RegionId::UpperTrapeziusR).and_then(|w| w.pressure), Some(Pressure::FIRM));
        assert_eq!(session.original_record(), before);
        assert!(session.validate().is_ok());
    }

    #[test]
    fn the_original_record_is_the_one_before_the_first_amendment() {
        let mut session = completed_session();
        let original = session.record();
        session.region_mut(RegionId::UpperTrapeziusR).pressure = Some(Pressure::FIRM);
        session.amend(original.clone(), "first", "Mira", next_morning()).expect("first amendment");
        let second_before = session.record();
        session.next_visit = Some(jiff::civil::date(2026, 11, 30));
        session.amend(second_before, "second", "Mira", next_morning()).expect("second amendment");

        assert_eq!(session.amendments.len(), 2);
        assert_eq!(session.amendments[1].change, "next visit: from none to 2026-11-30");
        assert_eq!(session.original_record(), original);
        assert_ne!(session.record(), original);
    }

    #[test]
    fn a_session_never_amended_is_its_own_original() {
        let session = completed_session();
        assert_eq!(session.original_record(), session.record());
    }

    #[test]
    fn an_amendment_needs_a_reason_and_a_change_and_a_completed_session() {
        let mut session = completed_session();
        let before = session.record();
        assert_eq!(
            session.amend(before.clone(), "typo", "Mira", next_morning()),
            Err(InvalidSession::AmendmentWithoutChange)
        );
        session.goals.push('!');
        assert_eq!(
            session.amend(before.clone(), "   ", "Mira", next_morning()),
            Err(InvalidSession::AmendmentWithoutReason)
        );
        assert!(session.amendments.is_empty());

        let mut planned = Session::new(session.client.clone(), session.starts_at, session.minutes);
        let before = planned.record();
        planned.goals = "Anything".to_owned();
        assert_eq!(
            planned.amend(before, "reason", "Mira", next_morning()),
            Err(InvalidSession::AmendingUncompleted)
        );
    }

    #[test]
    fn restoring_a_record_drops_the_edits_made_since() {
        let mut session = completed_session();
        let before = session.record();
        session.regions.clear();
        session.outcome = None;
        session.aftercare.push("Ice tonight".to_owned());
        session.restore_record(before.clone());
        assert_eq!(session.record(), before);
    }

    #[test]
    fn changes_are_told_in_words() {
        let mut before = completed_session().record();
        before.regions.push(RegionWork {
            minutes: Minutes::new(10).ok(),
            ..RegionWork::new(RegionId::LevatorScapulaeL)
        });
        let mut after = before.clone();
        after.regions.retain(|work| work.region != RegionId::UpperTrapeziusR);
        if let Some(work) = after.regions.first_mut() {
            work.minutes = Minutes::new(12).ok();
            work.findings.push(FindingKind::Tenderness);
        }
        after.regions.push(RegionWork { tension: Tension::new(2).ok(), ..RegionWork::new(RegionId::Sacrum) });
        after.outcome = Some(outcome(6, 2, Response::MuchBetter));
        after.marks.push(MapMark {
            at: MapPoint::clamped(0.5, 0.5),
            kind: FindingKind::Spasm,
            note: String::new(),
        });

        assert_eq!(
            after.changes_since(&before),
            [
                "Upper trapezius, client's right removed",
                "minutes on Levator scapulae, client's left: from 10 to 12",
                "findings on Levator scapulae, client's left changed",
                "Sacrum added (moderate tension)",
                "marks on the map: from 0 to 1",
                "pain after: from 3/10 to 2/10",
                "response: from Better to Much better",
            ]
        );
    }

    #[test]
    fn a_screening_is_complete_once_every_question_is_answered() {
        let flags = [HealthFlag::BloodThinners, HealthFlag::Pregnancy];
        let mut screening = Screening::new(next_morning());
        assert!(!screening.is_complete(flags.iter()));
        screening.still_true.insert(HealthFlag::BloodThinners, true);
        screening.still_true.insert(HealthFlag::Pregnancy, false);
        assert!(!screening.is_complete(flags.iter()));
        screening.acute_illness_today = Some(true);
        assert!(screening.is_complete(flags.iter()));
        assert!(screening.reports_acute_illness());
    }
}
