//! One session of a client: the goals, the map (an entry per region worked and
//! free marks), the plan's timing, aftercare, and, once done, the outcome.

use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

use super::{ClientId, FindingKind, Minutes, Pain, Pressure, RegionId, SessionId, Technique, Tension};

/// Whether the session is still a plan, or has happened and is locked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionStatus {
    #[default]
    Planned,
    /// Done: the record is locked, and later changes are amendments.
    Completed,
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
}

/// A dated change to a completed session, kept beside the original record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    pub made_at: DateTime,
    #[serde(default)]
    pub therapist: String,
    pub reason: String,
    /// What was changed, in words.
    #[serde(default)]
    pub change: String,
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
        Ok(())
    }

    /// The minutes planned across all regions.
    pub fn planned_minutes(&self) -> u32 {
        self.regions.iter().filter_map(|work| work.minutes).map(|m| u32::from(m.get())).sum()
    }
}
