//! What changed in a record, in words, for the audit trail: the same words an
//! amendment uses for the clinical record, and a few words each for the
//! status, the time, the screening, the consent and the profile.

use super::consent::current_consent;
use super::{Client, Session};

/// The changes from `before` (none: the session is new) to `after`, in words.
pub fn session_changes(before: Option<&Session>, after: &Session) -> Vec<String> {
    let Some(before) = before else {
        return vec![format!("planned for {}", after.starts_at.strftime("%-d %b %Y %H:%M"))];
    };
    let mut said = after.record().changes_since(&before.record());
    if after.status != before.status {
        said.insert(0, format!("status: {} to {}", before.status.word(), after.status.word()));
    }
    if after.starts_at != before.starts_at {
        said.push(format!("moved to {}", after.starts_at.strftime("%-d %b %Y %H:%M")));
    }
    if after.minutes != before.minutes {
        said.push(format!("length {} min", after.minutes.get()));
    }
    if after.therapist != before.therapist {
        said.push(format!("therapist {}", after.therapist));
    }
    if after.screening != before.screening {
        said.push("screening answered".to_owned());
    }
    if after.consents != before.consents {
        let withdrawn =
            |session: &Session| current_consent(session).map_or(0, |consent| consent.withdrawals.len());
        if after.consents.len() > before.consents.len() {
            said.push("consent given".to_owned());
        } else if withdrawn(after) > withdrawn(before) {
            said.push("consent withdrawn".to_owned());
        } else {
            said.push("consent signed by the therapist".to_owned());
        }
    }
    if after.amendments.len() > before.amendments.len() {
        said.push("amended".to_owned());
    }
    if after.entered_in_error.is_some() && before.entered_in_error.is_none() {
        said.push("marked entered in error".to_owned());
    }
    said
}

/// The changes from `before` (none: the client is new) to `after`, in words.
pub fn profile_changes(before: Option<&Client>, after: &Client) -> Vec<String> {
    let Some(before) = before else {
        return vec!["client added".to_owned()];
    };
    let mut said = Vec::new();
    if after.name != before.name {
        said.push(format!("name {}", after.name));
    }
    if after.date_of_birth != before.date_of_birth {
        said.push("date of birth changed".to_owned());
    }
    if after.phone != before.phone || after.email != before.email {
        said.push("contact changed".to_owned());
    }
    if after.pressure_preference != before.pressure_preference {
        said.push("pressure preference changed".to_owned());
    }
    for flag in super::HealthFlag::ALL {
        match (before.health_flags.get(&flag), after.health_flags.get(&flag)) {
            (None, Some(_)) => said.push(format!("health flag added: {}", flag.label())),
            (Some(_), None) => said.push(format!("health flag removed: {}", flag.label())),
            (Some(then), Some(now)) if then != now => {
                said.push(format!("health flag changed: {}", flag.label()))
            }
            _ => {}
        }
    }
    if after.clinic_flags != before.clinic_flags {
        said.push("the clinic's flags changed".to_owned());
    }
    if after.notes != before.notes {
        said.push("notes changed".to_owned());
    }
    if after.intakes.len() > before.intakes.len() {
        said.push("health questionnaire answered".to_owned());
    } else if after.intakes != before.intakes {
        said.push("health questionnaire reviewed".to_owned());
    }
    said
}
