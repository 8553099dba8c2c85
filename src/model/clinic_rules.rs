//! The clinic's own safety rules: tighter limits on the built-in health flags,
//! and flags of the clinic's own (varicose veins, a recent vaccination site,
//! epilepsy…). A clinic can only tighten the built-in rules: a cap above the
//! built-in one is a loosening, and is refused where the file is read.

use std::collections::BTreeMap;

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use super::{CoarseArea, HealthFlag, Pressure, RegionId};

/// Where a clinic's cap applies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Where {
    #[default]
    Everywhere,
    /// On the regions of these coarse areas (the whole neck, say).
    Areas(Vec<CoarseArea>),
    Regions(Vec<RegionId>),
}

impl Where {
    pub fn covers(&self, region: RegionId) -> bool {
        match self {
            Where::Everywhere => true,
            Where::Areas(areas) => areas.contains(&region.info().area),
            Where::Regions(regions) => regions.contains(&region),
        }
    }

    /// "everywhere", "on the neck", "on Upper trapezius, client's left".
    pub fn in_words(&self) -> String {
        match self {
            Where::Everywhere => "everywhere".to_owned(),
            Where::Areas(areas) => {
                let names: Vec<String> = areas.iter().map(|area| area.label().to_lowercase()).collect();
                format!("on the {}", names.join(", "))
            }
            Where::Regions(regions) => {
                let names: Vec<String> = regions.iter().map(|region| region.accessible_name()).collect();
                format!("on {}", names.join("; "))
            }
        }
    }
}

/// A cap the clinic sets, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicCap {
    pub max: Pressure,
    #[serde(default)]
    pub on: Where,
}

/// How the clinic tightens one built-in flag's rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tightening {
    /// A lower cap than the built-in one (or one where the built-in rule has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<ClinicCap>,
    /// More regions to avoid, whole areas or single regions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub avoid_areas: Vec<CoarseArea>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub avoid: Vec<RegionId>,
    /// A reminder on every session of a client with the flag.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reminder: String,
}

impl Tightening {
    pub fn is_empty(&self) -> bool {
        *self == Tightening::default()
    }

    /// Whether the rule says to avoid `region`.
    pub fn avoids(&self, region: RegionId) -> bool {
        self.avoid.contains(&region) || self.avoid_areas.contains(&region.info().area)
    }
}

/// A health flag of the clinic's own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicFlag {
    /// Its key in client profiles and screenings: lower case, digits, `_`.
    pub key: String,
    /// What the therapist reads: "Varicose veins".
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<ClinicCap>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub avoid_areas: Vec<CoarseArea>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub avoid: Vec<RegionId>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reminder: String,
    /// Whether a client with it cannot have the session at all (until the flag is
    /// off, or today's screening says it no longer holds).
    #[serde(default)]
    pub blocks: bool,
}

impl ClinicFlag {
    pub fn new(name: &str) -> ClinicFlag {
        ClinicFlag {
            key: flag_key(name),
            name: name.trim().to_owned(),
            cap: None,
            avoid_areas: Vec::new(),
            avoid: Vec::new(),
            reminder: String::new(),
            blocks: false,
        }
    }

    pub fn avoids(&self, region: RegionId) -> bool {
        self.avoid.contains(&region) || self.avoid_areas.contains(&region.info().area)
    }
}

/// A key for a flag named `name`: "Varicose veins" → `varicose_veins`.
pub fn flag_key(name: &str) -> String {
    let mut key = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            key.extend(c.to_lowercase().filter(char::is_ascii_alphanumeric));
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    let key = key.trim_end_matches('_').to_owned();
    if key.is_empty() { "clinic_flag".to_owned() } else { key }
}

/// One change to the rules: when, by whom, what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleChange {
    pub at: DateTime,
    pub by: String,
    pub what: String,
}

/// The clinic's safety rules, as kept in `safety_rules.ron` beside `practice.ron`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClinicRules {
    /// Tightenings of the built-in flags' rules.
    pub built_in: BTreeMap<HealthFlag, Tightening>,
    /// The clinic's own flags, in the order they are shown.
    pub clinic_flags: Vec<ClinicFlag>,
    /// Every change, oldest first.
    pub changes: Vec<RuleChange>,
    /// Areas the clinic counts as sensitive besides the gluteal ones: their work
    /// needs the client's written consent in every session (format 4 on).
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub sensitive_regions: std::collections::BTreeSet<super::RegionId>,
}

impl ClinicRules {
    pub fn is_empty(&self) -> bool {
        self.built_in.values().all(Tightening::is_empty) && self.clinic_flags.is_empty()
    }

    /// Every sensitive area: the gluteal ones and the clinic's.
    pub fn sensitive_regions(&self) -> std::collections::BTreeSet<super::RegionId> {
        super::consent::SENSITIVE_REGIONS.into_iter().chain(self.sensitive_regions.iter().copied()).collect()
    }

    pub fn tightening(&self, flag: HealthFlag) -> Option<&Tightening> {
        self.built_in.get(&flag).filter(|tightening| !tightening.is_empty())
    }

    pub fn flag(&self, key: &str) -> Option<&ClinicFlag> {
        self.clinic_flags.iter().find(|flag| flag.key == key)
    }

    /// What changed from `before` to this, in a few words per change, for the
    /// file's record of changes: "Blood thinners / bleeding disorder: cap 2 everywhere".
    pub fn changes_from(&self, before: &ClinicRules) -> Vec<String> {
        let mut said = Vec::new();
        for flag in HealthFlag::ALL {
            let (now, then) = (self.built_in.get(&flag), before.built_in.get(&flag));
            if now.filter(|t| !t.is_empty()) != then.filter(|t| !t.is_empty()) {
                said.push(match now.filter(|t| !t.is_empty()) {
                    Some(tightening) => format!("{}: {}", flag.label(), tightening_in_words(tightening)),
                    None => format!("{}: back to the built-in rule", flag.label()),
                });
            }
        }
        for flag in &self.clinic_flags {
            match before.flag(&flag.key) {
                None => said.push(format!("added the clinic flag {}", flag.name)),
                Some(old) if old != flag => said.push(format!("changed the clinic flag {}", flag.name)),
                Some(_) => {}
            }
        }
        for flag in &before.clinic_flags {
            if self.flag(&flag.key).is_none() {
                said.push(format!("removed the clinic flag {}", flag.name));
            }
        }
        said
    }
}

/// "cap 2 everywhere; avoid the neck; reminder"
pub fn tightening_in_words(tightening: &Tightening) -> String {
    let mut words = Vec::new();
    if let Some(cap) = &tightening.cap {
        words.push(format!("cap {} {}", cap.max.get(), cap.on.in_words()));
    }
    if !tightening.avoid_areas.is_empty() || !tightening.avoid.is_empty() {
        let mut places: Vec<String> =
            tightening.avoid_areas.iter().map(|area| area.label().to_lowercase()).collect();
        places.extend(tightening.avoid.iter().map(|region| region.accessible_name()));
        words.push(format!("avoid {}", places.join(", ")));
    }
    if !tightening.reminder.trim().is_empty() {
        words.push(format!("reminder \"{}\"", tightening.reminder.trim()));
    }
    words.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flags_key_is_made_from_its_name() {
        assert_eq!(flag_key("Varicose veins"), "varicose_veins");
        assert_eq!(flag_key("  Recent vaccination (site)! "), "recent_vaccination_site");
        assert_eq!(flag_key("Épilepsie"), "pilepsie");
        assert_eq!(flag_key("???"), "clinic_flag");
    }

    #[test]
    fn the_record_of_changes_says_what_changed_in_words() {
        let before = ClinicRules::default();
        let mut after = before.clone();
        after.built_in.insert(
            HealthFlag::BloodThinners,
            Tightening {
                cap: Some(ClinicCap { max: Pressure::LIGHT, on: Where::Everywhere }),
                ..Tightening::default()
            },
        );
        after.clinic_flags.push(ClinicFlag::new("Varicose veins"));
        assert_eq!(
            after.changes_from(&before),
            vec![
                "Blood thinners / bleeding disorder: cap 2 everywhere".to_owned(),
                "added the clinic flag Varicose veins".to_owned()
            ]
        );
    }
}
