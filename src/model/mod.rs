//! The domain model: practice settings, clients, sessions, the region catalogue
//! and the scales. It knows nothing of files or of the screen; values that break
//! a rule of the domain cannot be constructed.

pub mod audit;
mod client;
mod clinic_rules;
pub mod consent;
mod ids;
pub mod intake;
pub mod lifecycle;
mod practice;
mod regions;
mod scales;
pub mod schedule;
mod session;
pub mod words;

pub use client::{Client, FlagDetails, HealthFlag};
pub use clinic_rules::{
    ClinicCap, ClinicFlag, ClinicRules, RuleChange, Tightening, Where, flag_key, tightening_in_words,
};
pub use consent::{Consent, ConsentGap, ConsentWording, Signature, Withdrawal};
pub use ids::{ClientId, InvalidId, SessionId};

/// The most characters a written field (goals, notes, a reason) takes: several
/// pages of text, far more than any note needs, and far below what would make a
/// file too large to read back or each keystroke slow to save.
pub const MAX_TEXT_CHARS: usize = 20_000;
pub use lifecycle::{Circumstances, GateRefusal, JudgedBy, LastSession, PlanContent, Refusal, Transition};
pub use practice::{PaperSize, PracticeSettings, default_aftercare};
pub use regions::{
    CAUTION_ZONES, CautionZoneId, CautionZoneInfo, CoarseArea, Layer, REGIONS, RegionId, RegionInfo, Side,
};
pub use scales::{Change, FindingKind, Minutes, OutOfRange, Pain, Pressure, Technique, Tension};
pub use session::{
    Amendment, Cancellation, EnteredInError, InvalidSession, MapMark, MapPoint, OffTheMap, Outcome,
    Postponement, RegionWork, Response, SafetyOverride, SafetyRule, Screening, Session, SessionRecord,
    SessionStatus, last_completed, last_time_in_words,
};
