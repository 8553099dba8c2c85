//! Two versions of one session, region by region: what differs between them,
//! and the session made of the parts the user chose from each. Used when a
//! session changed elsewhere while it had unsaved edits here, and to resolve a
//! conflict copy a sync tool (or Knotmap) kept beside a session.

use std::collections::BTreeMap;

use crate::model::{RegionId, RegionWork, Session};

/// A part of a session that can be taken from either version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// Everything that is not a region's entry: goals, times, marks, aftercare,
    /// status and record, screening, notes of the whole session.
    Details,
    Region(RegionId),
}

impl Part {
    pub fn in_words(self) -> String {
        match self {
            Part::Details => "Goals, times, marks, aftercare".to_owned(),
            Part::Region(region) => region.accessible_name(),
        }
    }
}

/// Which version a part is taken from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Side {
    /// The version here: the one being edited, or the session file.
    #[default]
    This,
    /// The version that came from elsewhere: another laptop's save, or the conflict copy.
    Other,
}

/// The parts in which the two versions differ: the details first, then the
/// regions in the order `this` lists them, then those only `other` has.
pub fn differing_parts(this: &Session, other: &Session) -> Vec<Part> {
    let mut parts = Vec::new();
    if without_regions(this) != without_regions(other) {
        parts.push(Part::Details);
    }
    let in_other: BTreeMap<RegionId, &RegionWork> =
        other.regions.iter().map(|work| (work.region, work)).collect();
    let in_this: BTreeMap<RegionId, &RegionWork> =
        this.regions.iter().map(|work| (work.region, work)).collect();
    for work in &this.regions {
        if in_other.get(&work.region) != Some(&work) {
            parts.push(Part::Region(work.region));
        }
    }
    for work in &other.regions {
        if !in_this.contains_key(&work.region) {
            parts.push(Part::Region(work.region));
        }
    }
    parts
}

/// The session made of each part from the side `choices` names (this version
/// where it names none). A region whose chosen side does not have it is left out.
pub fn merged(this: &Session, other: &Session, choices: &BTreeMap<Part, Side>) -> Session {
    let side = |part: Part| choices.get(&part).copied().unwrap_or_default();
    let pick = |side: Side| if side == Side::This { this } else { other };
    let base = pick(side(Part::Details));
    let mut result = base.clone();
    let work_in =
        |session: &Session, region: RegionId| session.regions.iter().find(|w| w.region == region).cloned();
    // The order of work follows the version the details come from; regions only the other has go last.
    let mut order: Vec<RegionId> = base.regions.iter().map(|work| work.region).collect();
    for session in [this, other] {
        for work in &session.regions {
            if !order.contains(&work.region) {
                order.push(work.region);
            }
        }
    }
    result.regions =
        order.into_iter().filter_map(|region| work_in(pick(side(Part::Region(region))), region)).collect();
    // A consent signed on either laptop stands, whichever version the plan is taken from.
    result.consents = crate::model::consent::both_laptops(&this.consents, &other.consents);
    result
}

fn without_regions(session: &Session) -> Session {
    Session { regions: Vec::new(), ..session.clone() }
}

/// A region's values in a few words, to put the two versions side by side.
pub fn region_in_words(session: &Session, region: RegionId) -> String {
    let Some(work) = session.regions.iter().find(|work| work.region == region) else {
        return "not in this version".to_owned();
    };
    let mut words = Vec::new();
    if let Some(tension) = work.tension {
        words.push(format!("tension {}", tension.get()));
    }
    if let Some(pain) = work.pain {
        words.push(format!("pain {}", pain.get()));
    }
    if let Some(pressure) = work.pressure {
        words.push(format!("pressure {}", pressure.get()));
    }
    if let Some(minutes) = work.minutes {
        words.push(format!("{} min", minutes.get()));
    }
    if !work.findings.is_empty() {
        words.push(format!(
            "{} finding{}",
            work.findings.len(),
            if work.findings.len() == 1 { "" } else { "s" }
        ));
    }
    if !work.notes.trim().is_empty() {
        words.push(format!("note: {}", work.notes.trim()));
    }
    if words.is_empty() { "marked, no values yet".to_owned() } else { words.join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClientId, Minutes, Pressure, Tension};

    fn session_with(values: &[(&str, u8)]) -> Session {
        let client = ClientId::new("ana-x1").unwrap();
        let at = jiff::civil::date(2026, 11, 26).at(9, 30, 0, 0);
        let mut session = Session::new(client, at, Minutes::new(60).unwrap());
        for (key, tension) in values {
            let mut work = RegionWork::new(RegionId::from_key(key).unwrap());
            work.tension = Tension::new(i64::from(*tension)).ok();
            session.regions.push(work);
        }
        session
    }

    #[test]
    fn only_the_regions_that_differ_are_offered() {
        let this = session_with(&[("upper_trapezius_l", 3), ("levator_scapulae_l", 1)]);
        let mut other = this.clone();
        other.regions[1].tension = Tension::new(2).ok();
        let mut pressed = RegionWork::new(RegionId::from_key("rhomboids_r").unwrap());
        pressed.pressure = Pressure::new(2).ok();
        other.regions.push(pressed);
        assert_eq!(
            differing_parts(&this, &other),
            vec![
                Part::Region(RegionId::from_key("levator_scapulae_l").unwrap()),
                Part::Region(RegionId::from_key("rhomboids_r").unwrap()),
            ]
        );
    }

    #[test]
    fn a_merge_takes_each_chosen_part_from_its_version() {
        let this = session_with(&[("upper_trapezius_l", 1), ("levator_scapulae_l", 2)]);
        let mut other = session_with(&[("upper_trapezius_l", 3)]);
        other.goals = "Turn my head to reverse the car".to_owned();
        let levator = RegionId::from_key("levator_scapulae_l").unwrap();
        let trapezius = RegionId::from_key("upper_trapezius_l").unwrap();
        let choices = BTreeMap::from([(Part::Details, Side::Other), (Part::Region(trapezius), Side::Other)]);
        let result = merged(&this, &other, &choices);
        assert_eq!(result.goals, "Turn my head to reverse the car");
        assert_eq!(result.regions.len(), 2, "the levator is kept from this version");
        assert_eq!(result.regions[0].tension.map(|t| t.get()), Some(3));
        assert_eq!(result.regions[1].region, levator);
        // Taking the levator from the other version, which lacks it, leaves it out.
        let choices = BTreeMap::from([(Part::Region(levator), Side::Other)]);
        assert_eq!(merged(&this, &other, &choices).regions.len(), 1);
    }
}
