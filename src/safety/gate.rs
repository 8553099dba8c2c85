//! The safety gate: a session is marked ready, or completed, only when every
//! warning of its report is fixed in the plan or explained in writing, and no
//! blocking warning stands. A blocking warning (a fever today) is never
//! explained away: the session is postponed to a new time or cancelled.
//!
//! One function decides, so that the buttons of the session screen, `knotmap
//! check` and the printed plan can never disagree about whether a record was
//! kept properly.

pub use crate::model::GateRefusal;
use crate::model::{Session, SessionStatus};

use super::{SafetyReport, Severity};

/// Whether the session whose report this is may be marked ready or completed.
pub fn passes_gate(report: &SafetyReport) -> Result<(), GateRefusal> {
    let mut refusal = GateRefusal::default();
    refusal.blocking.extend(report.rules_missing.clone());
    for warning in &report.warnings {
        match warning.severity {
            Severity::Blocking => refusal.blocking.push(warning.message.clone()),
            _ if warning.is_overridden() => {}
            Severity::Caution | Severity::Reminder => refusal.unexplained.push(warning.message.clone()),
        }
    }
    if refusal == GateRefusal::default() { Ok(()) } else { Err(refusal) }
}

/// Whether `session`, as recorded, claims to have passed the gate (it is ready
/// or completed) while its report says it could not have: what `knotmap check`
/// lists as a problem. Records entered in error, and records marked before the
/// gate existed ([`Session::before_safety_gate`]), are history, not a broken rule.
pub fn record_breaks_gate(session: &Session, report: &SafetyReport) -> Option<GateRefusal> {
    let claims_gate = matches!(session.status, SessionStatus::Ready | SessionStatus::Completed);
    if !claims_gate || session.before_safety_gate || session.entered_in_error.is_some() {
        return None;
    }
    passes_gate(report).err()
}
