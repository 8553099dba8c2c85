//! The scales of REGIONS.md (tension, pain, pressure), the finding kinds and the
//! techniques: values that cannot be constructed out of range, and that a file
//! holding an out-of-range number is rejected for.

use serde::{Deserialize, Serialize};

/// A value read from a file or typed in the UI that lies outside its scale.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{scale} must be from {min} to {max}, not {value}")]
pub struct OutOfRange {
    pub scale: &'static str,
    pub value: i64,
    pub min: i64,
    pub max: i64,
}

macro_rules! bounded_scale {
    ($(#[$doc:meta])* $name:ident, $repr:ty, $scale:literal, $min:literal ..= $max:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "i64", into = "i64")]
        pub struct $name($repr);

        impl $name {
            pub const MIN: $name = $name($min);
            pub const MAX: $name = $name($max);

            /// The value, or an error naming the scale if it lies outside it.
            pub fn new(value: i64) -> Result<Self, OutOfRange> {
                if ($min..=$max).contains(&value) {
                    // The range check above makes the narrowing lossless.
                    Ok(Self(value as $repr))
                } else {
                    Err(OutOfRange { scale: $scale, value, min: $min, max: $max })
                }
            }

            pub fn get(self) -> $repr {
                self.0
            }

            /// Every value of the scale, lowest first.
            pub fn all() -> impl DoubleEndedIterator<Item = Self> {
                ($min..=$max).map(|value| Self(value))
            }
        }

        impl TryFrom<i64> for $name {
            type Error = OutOfRange;
            fn try_from(value: i64) -> Result<Self, OutOfRange> {
                Self::new(value)
            }
        }

        impl From<$name> for i64 {
            fn from(value: $name) -> i64 {
                i64::from(value.0)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

bounded_scale!(
    /// Tension found by palpation: 0 none, 1 mild, 2 moderate, 3 severe.
    Tension, u8, "tension", 0..=3
);
bounded_scale!(
    /// Pain the client reports on the 0 to 10 numeric rating scale.
    Pain, u8, "pain", 0..=10
);
bounded_scale!(
    /// The pressure the therapist plans: 1 very light, 2 light, 3 medium, 4 firm, 5 deep.
    Pressure, u8, "pressure", 1..=5
);
bounded_scale!(
    /// A length of time in whole minutes, up to a long day's session.
    Minutes, u16, "minutes", 0..=600
);

impl Tension {
    pub fn word(self) -> &'static str {
        ["none", "mild", "moderate", "severe"][usize::from(self.0)]
    }
}

impl Pressure {
    pub const VERY_LIGHT: Pressure = Pressure(1);
    pub const LIGHT: Pressure = Pressure(2);
    pub const MEDIUM: Pressure = Pressure(3);
    pub const FIRM: Pressure = Pressure(4);
    pub const DEEP: Pressure = Pressure(5);

    pub fn word(self) -> &'static str {
        ["very light", "light", "medium", "firm", "deep"][usize::from(self.0 - 1)]
    }
}

/// A finding: a symbol placed on the map or attached to a region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FindingKind {
    TriggerPoint,
    Hypertonicity,
    Spasm,
    Adhesion,
    Tenderness,
    Inflammation,
    NumbnessOrTingling,
    ReferredPain,
    /// Do not work here: a bruise, a lesion, a varicose vein.
    Avoid,
}

impl FindingKind {
    pub const ALL: [FindingKind; 9] = [
        FindingKind::TriggerPoint,
        FindingKind::Hypertonicity,
        FindingKind::Spasm,
        FindingKind::Adhesion,
        FindingKind::Tenderness,
        FindingKind::Inflammation,
        FindingKind::NumbnessOrTingling,
        FindingKind::ReferredPain,
        FindingKind::Avoid,
    ];

    pub fn label(self) -> &'static str {
        match self {
            FindingKind::TriggerPoint => "Trigger point",
            FindingKind::Hypertonicity => "Hypertonicity",
            FindingKind::Spasm => "Spasm",
            FindingKind::Adhesion => "Adhesion",
            FindingKind::Tenderness => "Tenderness",
            FindingKind::Inflammation => "Inflammation",
            FindingKind::NumbnessOrTingling => "Numbness or tingling",
            FindingKind::ReferredPain => "Referred pain",
            FindingKind::Avoid => "Avoid",
        }
    }
}

/// A massage technique. The clinic may add its own, kept by name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Technique {
    Effleurage,
    Petrissage,
    Stripping,
    CrossFiberFriction,
    TriggerPointRelease,
    MyofascialRelease,
    PinAndStretch,
    Stretching,
    /// One of the clinic's own techniques, listed in the practice settings.
    Clinic(String),
}

impl Technique {
    /// The techniques every practice has.
    pub const STANDARD: [Technique; 8] = [
        Technique::Effleurage,
        Technique::Petrissage,
        Technique::Stripping,
        Technique::CrossFiberFriction,
        Technique::TriggerPointRelease,
        Technique::MyofascialRelease,
        Technique::PinAndStretch,
        Technique::Stretching,
    ];

    pub fn label(&self) -> &str {
        match self {
            Technique::Effleurage => "Effleurage",
            Technique::Petrissage => "Petrissage",
            Technique::Stripping => "Stripping",
            Technique::CrossFiberFriction => "Cross-fiber friction",
            Technique::TriggerPointRelease => "Trigger point release",
            Technique::MyofascialRelease => "Myofascial release",
            Technique::PinAndStretch => "Pin and stretch",
            Technique::Stretching => "Stretching",
            Technique::Clinic(name) => name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_outside_a_scale_cannot_be_made() {
        assert!(Tension::new(3).is_ok());
        assert_eq!(Tension::new(4).unwrap_err().to_string(), "tension must be from 0 to 3, not 4");
        assert!(Pain::new(-1).is_err());
        assert!(Pressure::new(0).is_err());
        assert!(Pressure::new(6).is_err());
        assert_eq!(Pressure::all().count(), 5);
    }

    #[test]
    fn a_file_with_a_value_outside_its_scale_is_rejected() {
        assert_eq!(ron::from_str::<Pressure>("4").unwrap(), Pressure::FIRM);
        let error = ron::from_str::<Pressure>("9").unwrap_err();
        assert!(error.to_string().contains("pressure must be from 1 to 5"), "{error}");
    }
}

/// How a region changed from one session to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// Lower than before (for pressure too: less load on the tissue).
    Better,
    /// Higher than before.
    Worse,
    Same,
    /// Recorded now, not before.
    New,
    /// Recorded before, not now.
    Gone,
}

impl Change {
    pub fn word(self) -> &'static str {
        match self {
            Change::Better => "better",
            Change::Worse => "worse",
            Change::Same => "same",
            Change::New => "new",
            Change::Gone => "gone",
        }
    }
}

impl Change {
    /// The change in words for a measure that is an outcome (tension, pain:
    /// lower is better) or not (`outcome` false: the pressure planned, where a
    /// lower one is only lower, not better).
    pub fn word_for(self, outcome: bool) -> &'static str {
        match (self, outcome) {
            (Change::Better, false) => "lower",
            (Change::Worse, false) => "higher",
            _ => self.word(),
        }
    }

    pub const ALL: [Change; 5] = [Change::Better, Change::Worse, Change::Same, Change::New, Change::Gone];
}
