//! The practice's settings: what `practice.ron` holds.

use serde::{Deserialize, Serialize};

use super::Minutes;

/// The paper the clinic prints on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaperSize {
    #[default]
    A4,
    Letter,
}

/// Settings shared by everyone working in one practice folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PracticeSettings {
    pub clinic_name: String,
    /// How clients reach the clinic (phone, address, web), on the take-home sheet.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub contact: String,
    pub therapists: Vec<String>,
    pub paper_size: PaperSize,
    pub default_session_minutes: Minutes,
    /// The aftercare lines every new session starts with.
    pub aftercare: Vec<String>,
    /// How many days after a session the next visit is suggested.
    pub next_visit_interval_days: u16,
    /// The clinic's own techniques, offered beside the standard ones.
    pub extra_techniques: Vec<String>,
    /// The general words of the consent form, as the clinic words them (format 4 on).
    #[serde(skip_serializing_if = "super::consent::ConsentWording::is_default")]
    pub consent_wording: super::consent::ConsentWording,
    /// When the practice sees clients: a new session starts in the next free slot of them.
    #[serde(skip_serializing_if = "super::schedule::OpeningHours::is_default")]
    pub opening_hours: super::schedule::OpeningHours,
}

impl Default for PracticeSettings {
    fn default() -> Self {
        PracticeSettings {
            clinic_name: "My practice".to_owned(),
            contact: String::new(),
            therapists: Vec::new(),
            paper_size: PaperSize::A4,
            // 60 is within the scale, so this cannot fail; MAX is only the fallback.
            default_session_minutes: Minutes::new(60).unwrap_or(Minutes::MAX),
            aftercare: default_aftercare(),
            next_visit_interval_days: 7,
            extra_techniques: Vec::new(),
            consent_wording: super::consent::ConsentWording::default(),
            opening_hours: super::schedule::OpeningHours::default(),
        }
    }
}

/// The aftercare advice of deep tissue practice, which the clinic may edit.
pub fn default_aftercare() -> Vec<String> {
    [
        "Drink plenty of water today.",
        "Some soreness for a day or two is normal.",
        "Tell us about bruising, numbness, or pain that gets worse instead of better.",
    ]
    .map(str::to_owned)
    .to_vec()
}
