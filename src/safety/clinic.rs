//! The clinic's own rules on top of the built-in table: a lower cap, more
//! regions to avoid and a reminder for a built-in flag, and flags of the
//! clinic's own. The built-in rules always apply too, so a clinic's rule can
//! only add limits; a cap above the built-in one is a loosening, reported where
//! the file is read and left out, so the default holds.

use crate::model::{Client, ClinicRules, HealthFlag, Pressure, RegionId};

use super::{AvoidReason, AvoidSource, CapReason, CapSource, rules};

/// What a clinic rule is called on screen and paper, so it reads as the clinic's.
pub const CLINIC_RULE: &str = "the clinic's rule";

/// The highest cap a built-in flag sets anywhere, if it sets one: a clinic cap
/// above it loosens the rule.
pub fn built_in_cap(flag: HealthFlag) -> Option<Pressure> {
    RegionId::all()
        .filter_map(|region| {
            rules::flag_cap(flag, region, false).or_else(|| rules::flag_cap(flag, region, true))
        })
        .map(|(max, _)| max)
        .max()
}

/// A clinic rule that would loosen a built-in one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loosening {
    pub flag: HealthFlag,
    pub asked: Pressure,
    pub built_in: Pressure,
}

impl Loosening {
    pub fn in_words(&self) -> String {
        format!(
            "{}: a cap of {} is above the built-in cap of {}; a clinic can only tighten the built-in rules, so \
             the built-in cap holds",
            self.flag.label(),
            self.asked.get(),
            self.built_in.get()
        )
    }
}

/// The rules with every loosening left out, and what was left out.
pub fn without_loosenings(mut rules: ClinicRules) -> (ClinicRules, Vec<Loosening>) {
    let mut found = Vec::new();
    for (&flag, tightening) in &mut rules.built_in {
        if let (Some(cap), Some(built_in)) = (&tightening.cap, built_in_cap(flag))
            && cap.max > built_in
        {
            found.push(Loosening { flag, asked: cap.max, built_in });
            tightening.cap = None;
        }
    }
    (rules, found)
}

/// The caps the clinic's rules set on `region` for `client`.
pub(super) fn caps(rules: &ClinicRules, client: &Client, region: RegionId) -> Vec<CapReason> {
    let mut because = Vec::new();
    for &flag in client.health_flags.keys() {
        if let Some(cap) = rules.tightening(flag).and_then(|t| t.cap.as_ref())
            && cap.on.covers(region)
        {
            because.push(CapReason {
                source: CapSource::Flag(flag),
                max: cap.max,
                why: format!("for a client with {} ({CLINIC_RULE})", flag.label().to_lowercase()),
                short: format!("{} ({CLINIC_RULE})", flag.label().to_lowercase()),
            });
        }
    }
    for flag in rules.clinic_flags.iter().filter(|flag| client.clinic_flags.contains_key(&flag.key)) {
        if let Some(cap) = &flag.cap
            && cap.on.covers(region)
        {
            because.push(CapReason {
                source: CapSource::Clinic,
                max: cap.max,
                why: format!("for a client with {} ({CLINIC_RULE})", flag.name.to_lowercase()),
                short: format!("{} ({CLINIC_RULE})", flag.name.to_lowercase()),
            });
        }
    }
    because
}

/// The regions the clinic's rules say to avoid for `client`, each with why.
pub(super) fn avoided(rules: &ClinicRules, client: &Client, mut add: impl FnMut(RegionId, AvoidReason)) {
    for region in RegionId::all() {
        for &flag in client.health_flags.keys() {
            if rules.tightening(flag).is_some_and(|t| t.avoids(region)) {
                let why = format!("{} ({CLINIC_RULE})", flag.label());
                add(region, AvoidReason { source: AvoidSource::Flag(flag), why });
            }
        }
        for flag in rules.clinic_flags.iter().filter(|flag| client.clinic_flags.contains_key(&flag.key)) {
            if flag.avoids(region) {
                let why = format!("{} ({CLINIC_RULE})", flag.name);
                add(region, AvoidReason { source: AvoidSource::Clinic, why });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_caps_a_clinic_may_only_go_below() {
        assert_eq!(built_in_cap(HealthFlag::BloodThinners), Some(Pressure::MEDIUM));
        assert_eq!(built_in_cap(HealthFlag::Cancer), Some(Pressure::LIGHT));
        assert_eq!(built_in_cap(HealthFlag::Osteoporosis), Some(Pressure::MEDIUM));
        assert_eq!(built_in_cap(HealthFlag::HighBloodPressure), Some(Pressure::MEDIUM), "on the neck");
        assert_eq!(built_in_cap(HealthFlag::SkinCondition), None, "no cap: any cap tightens");
    }
}
