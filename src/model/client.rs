//! A client's profile: who they are, how they like the pressure, and the health
//! flags that the safety rules read.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{ClientId, Pressure, RegionId};

/// A health condition that changes what the plan may do (PRODUCT.md's rule table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HealthFlag {
    BloodClots,
    BloodThinners,
    Osteoporosis,
    RecentSurgeryOrInjury,
    Pregnancy,
    Cancer,
    FeverOrInfection,
    ReducedSensation,
    HighBloodPressure,
    SkinCondition,
}

impl HealthFlag {
    pub const ALL: [HealthFlag; 10] = [
        HealthFlag::BloodClots,
        HealthFlag::BloodThinners,
        HealthFlag::Osteoporosis,
        HealthFlag::RecentSurgeryOrInjury,
        HealthFlag::Pregnancy,
        HealthFlag::Cancer,
        HealthFlag::FeverOrInfection,
        HealthFlag::ReducedSensation,
        HealthFlag::HighBloodPressure,
        HealthFlag::SkinCondition,
    ];

    pub fn label(self) -> &'static str {
        match self {
            HealthFlag::BloodClots => "History of blood clots / DVT",
            HealthFlag::BloodThinners => "Blood thinners / bleeding disorder",
            HealthFlag::Osteoporosis => "Osteoporosis",
            HealthFlag::RecentSurgeryOrInjury => "Recent surgery or injury",
            HealthFlag::Pregnancy => "Pregnancy",
            HealthFlag::Cancer => "Cancer, or under cancer treatment",
            HealthFlag::FeverOrInfection => "Fever or acute infection",
            HealthFlag::ReducedSensation => "Reduced sensation (neuropathy, diabetes)",
            HealthFlag::HighBloodPressure => "High blood pressure",
            HealthFlag::SkinCondition => "Skin condition, open wound, bruise",
        }
    }

    /// Flags whose rule applies to named regions rather than the whole body.
    pub fn names_regions(self) -> bool {
        matches!(self, HealthFlag::RecentSurgeryOrInjury | HealthFlag::SkinCondition)
    }
}

/// What the therapist recorded about one health flag.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlagDetails {
    /// When it started or happened (the date of surgery, say), if known.
    pub since: Option<Date>,
    pub note: String,
    /// The regions it concerns, for flags that name regions (surgery, skin).
    pub regions: Vec<RegionId>,
}

/// A client's profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub id: ClientId,
    pub name: String,
    #[serde(default)]
    pub date_of_birth: Option<Date>,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// The pressure the client says they like, if they said.
    #[serde(default)]
    pub pressure_preference: Option<Pressure>,
    #[serde(default)]
    pub health_flags: BTreeMap<HealthFlag, FlagDetails>,
    /// The clinic's own flags the client has (see `ClinicRules`), by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub clinic_flags: BTreeMap<String, FlagDetails>,
    #[serde(default)]
    pub notes: String,
    /// Each time the client answered the health questionnaire, oldest first (format 4 on).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intakes: Vec<super::intake::Intake>,
}

impl Client {
    /// A new client with only a name, and a fresh ID made from it.
    pub fn new(name: impl Into<String>) -> Client {
        let name = name.into();
        Client {
            id: ClientId::generate(&name),
            name,
            date_of_birth: None,
            phone: String::new(),
            email: String::new(),
            pressure_preference: None,
            health_flags: BTreeMap::new(),
            clinic_flags: BTreeMap::new(),
            notes: String::new(),
            intakes: Vec::new(),
        }
    }

    /// The name to show: the client's name, or a placeholder while it is empty.
    pub fn display_name(&self) -> &str {
        let name = self.name.trim();
        if name.is_empty() { "(no name yet)" } else { name }
    }
}
