//! PRODUCT.md's table "Health flags and the rules they drive", as data: the cap
//! each flag sets and why, the flags that ask for medical clearance, the regions
//! a flag says to avoid, the reminders a flag brings, and every threshold the
//! safety rules use. A clinic that tightens the defaults changes this file only.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::model::{Client, CoarseArea, FlagDetails, HealthFlag, Pressure, RegionId};

use super::{AvoidReason, AvoidSource};

/// The highest pressure planned over a caution zone without a warning.
pub const ZONE_CAP: Pressure = Pressure::MEDIUM;

/// A region counts as lying over a caution zone when the zone covers at least
/// this share of the region's area.
///
/// The body map draws regions edge to edge, so regions beside the midline touch
/// the spine zone, and the top of the shoulder touches the side of the neck. The
/// standard map's shares fall in two groups: slivers of 0.2% to 3.6% (upper
/// trapezius on the spine 1.5% and on the side of the neck 3.6%, splenius on the
/// spine 2.9%, latissimus dorsi on the kidney area 1.7%) and real overlaps from
/// 8% up (back of the neck on the side of the neck 8%, middle and lower trapezius
/// on the spine 12% to 13%, the low back on the kidney area 25%). A region
/// touched at its edge can be worked deep away from the zone, and a warning on
/// every firm upper-trapezius plan would teach therapists to override without
/// reading; 5% sits in the middle of the gap between the groups, so small edits
/// to the map's shapes do not move a region from one side to the other. Regions
/// that only touch a zone get a reminder instead (see `SafetyReport::reminders`).
pub const MIN_ZONE_SHARE: f32 = 0.05;

/// A rise of this many pressure steps or more in a region, over the client's
/// last session, is warned.
pub const RISE_WARNED: u8 = 2;

/// A surgery or injury counts as recent for this many weeks after its date.
pub const RECENT_SURGERY_WEEKS: i32 = 12;

/// Said on every plan: the rules are defaults for planning, not a diagnosis.
pub const NOT_MEDICAL_ADVICE: &str = "Knotmap's safety checks are a planning aid, not medical advice: \
     they follow common massage practice, and the client's doctor has the last word.";

/// The cap a health flag sets on a region, and why, as the end of a sentence
/// "… is above the cap of 3 (medium) <why>". `over_spine` says whether the
/// region lies over the spine zone (by [`MIN_ZONE_SHARE`]).
pub(super) fn flag_cap(
    flag: HealthFlag,
    region: RegionId,
    over_spine: bool,
) -> Option<(Pressure, &'static str)> {
    Some(match flag {
        HealthFlag::BloodClots => (
            Pressure::MEDIUM,
            "for a client with a history of blood clots / DVT: deep pressure can dislodge a clot",
        ),
        HealthFlag::BloodThinners => {
            (Pressure::MEDIUM, "for a client on blood thinners or with a bleeding disorder: bruising risk")
        }
        HealthFlag::Osteoporosis if over_spine => {
            (Pressure::LIGHT, "over the spine for a client with osteoporosis: fragile vertebrae can break")
        }
        HealthFlag::Osteoporosis => {
            (Pressure::MEDIUM, "for a client with osteoporosis: fragile bones, such as ribs, can break")
        }
        HealthFlag::Pregnancy => {
            (Pressure::MEDIUM, "for a pregnant client: blood clots are more likely in pregnancy")
        }
        HealthFlag::Cancer => (
            Pressure::LIGHT,
            "for a client with cancer or under cancer treatment: tissue, bones and blood can be fragile",
        ),
        HealthFlag::ReducedSensation => {
            (Pressure::MEDIUM, "for a client with reduced sensation: they cannot tell when it is too much")
        }
        HealthFlag::HighBloodPressure if region.info().area == CoarseArea::Neck => {
            (Pressure::MEDIUM, "on the neck for a client with high blood pressure: deep neck work is avoided")
        }
        HealthFlag::HighBloodPressure
        | HealthFlag::RecentSurgeryOrInjury
        | HealthFlag::FeverOrInfection
        | HealthFlag::SkinCondition => return None,
    })
}

/// Whether a surgery or injury dated `since` is recent on `day`. Without a date,
/// or with a date after the day (a typing slip, or a surgery still to come), it
/// counts as recent: the careful side.
pub(super) fn surgery_is_recent(details: &FlagDetails, day: Date) -> bool {
    details
        .since
        .is_none_or(|since| since.until(day).is_ok_and(|span| span.get_days() < RECENT_SURGERY_WEEKS * 7))
}

/// Why a flag asks for medical clearance before the session on `day`, if it does.
pub(super) fn clearance_reason(flag: HealthFlag, details: &FlagDetails, day: Date) -> Option<String> {
    match flag {
        HealthFlag::BloodClots | HealthFlag::Cancer => Some(with_note(flag.label(), &details.note)),
        HealthFlag::RecentSurgeryOrInjury if surgery_is_recent(details, day) => {
            Some(with_note(&surgery_phrase(details, day), &details.note))
        }
        _ => None,
    }
}

/// The regions the client's flags say to avoid on `day`, each with why: those a
/// recent surgery or injury names, and those a skin condition names.
pub fn avoided_by_flags(client: &Client, day: Date) -> BTreeMap<RegionId, Vec<AvoidReason>> {
    let mut avoided: BTreeMap<RegionId, Vec<AvoidReason>> = BTreeMap::new();
    for (&flag, details) in &client.health_flags {
        let why = match flag {
            HealthFlag::RecentSurgeryOrInjury if surgery_is_recent(details, day) => {
                with_note(&surgery_phrase(details, day), &details.note)
            }
            HealthFlag::SkinCondition => with_note("skin condition, open wound or bruise", &details.note),
            _ => continue,
        };
        for &region in &details.regions {
            let reason = AvoidReason { source: AvoidSource::Flag(flag), why: why.clone() };
            let reasons = avoided.entry(region).or_default();
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
    }
    avoided
}

/// A reminder a flag brings to every session, if any.
pub(super) fn flag_reminder(flag: HealthFlag) -> Option<&'static str> {
    match flag {
        HealthFlag::Pregnancy => {
            Some("Pregnancy: avoid lying face down (prone); consider side-lying, with pillows for support.")
        }
        HealthFlag::ReducedSensation => Some(
            "Reduced sensation: ask about the pressure often; the client may not feel when it is too much.",
        ),
        HealthFlag::BloodThinners => {
            Some("Blood thinners or a bleeding disorder: check for bruises from the last session.")
        }
        _ => None,
    }
}

/// "recent surgery or injury on 2026-10-05, 5 weeks before this session".
fn surgery_phrase(details: &FlagDetails, day: Date) -> String {
    match details.since {
        None => "recent surgery or injury (no date recorded, so treated as recent)".to_owned(),
        Some(since) => {
            let days = since.until(day).map_or(0, |span| span.get_days());
            if days < 0 {
                format!("surgery or injury dated {since}, after this session (treated as recent)")
            } else {
                format!("recent surgery or injury on {since}, {} before this session", weeks(days))
            }
        }
    }
}

fn weeks(days: i32) -> String {
    match days / 7 {
        0 => format!("{days} day{}", if days == 1 { "" } else { "s" }),
        1 => "1 week".to_owned(),
        weeks => format!("{weeks} weeks"),
    }
}

/// "what (note)", or just "what" when there is no note.
pub(super) fn with_note(what: &str, note: &str) -> String {
    let note = note.trim();
    if note.is_empty() { what.to_owned() } else { format!("{what} ({note})") }
}
