//! PRODUCT.md's table "Health flags and the rules they drive", as data: the cap
//! each flag sets and why, the flags that ask for medical clearance, the regions
//! a flag says to avoid, the reminders a flag brings, and every threshold the
//! safety rules use. A clinic that tightens the defaults changes this file only.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::model::{CautionZoneId, Client, CoarseArea, FlagDetails, HealthFlag, Pressure, RegionId};

use super::{AvoidReason, AvoidSource};

/// The highest pressure planned over a caution zone without a warning.
pub const ZONE_CAP: Pressure = Pressure::MEDIUM;

/// A region lies in a caution zone when the zone covers at least this share of
/// its area: only then is pressure above [`ZONE_CAP`] there warned. A region the
/// zone covers less of only borders it and gets a caution note, which needs no
/// reason.
///
/// The body map draws regions edge to edge, so every region beside the midline
/// touches the spine zone and the low back touches the kidney area: on the
/// standard map the shares run from slivers of a few percent (upper trapezius on
/// the side of the neck) to about a quarter (the low back on the kidney area).
/// A warning on each of them fired on every firm low-back plan of a client with
/// no flags, and taught therapists to type boilerplate: PRODUCT.md asks for a
/// warning only where a region lies mostly in a zone, and a note beside it where
/// it borders one. The README has the table, region by region.
pub const MOSTLY_INSIDE_SHARE: f32 = 0.5;

/// A rise of this many pressure steps or more in a region, over the client's
/// last session, is warned.
pub const RISE_WARNED: u8 = 2;

/// A surgery or injury counts as recent for this many weeks after its date.
pub const RECENT_SURGERY_WEEKS: i32 = 12;

/// Said on every plan: the rules are defaults for planning, not a diagnosis.
pub const NOT_MEDICAL_ADVICE: &str = "Knotmap's safety checks are a planning aid, not medical advice: \
     they follow common massage practice, and the client's doctor has the last word.";

/// The cap a health flag sets on a region, and why, as the end of a sentence
/// "… is above the cap of 3 (medium) <why>". `touches_spine` says whether the
/// region lies in the spine zone or borders it: osteoporosis's spine rule counts
/// every region that reaches the vertebrae.
pub(super) fn flag_cap(
    flag: HealthFlag,
    region: RegionId,
    touches_spine: bool,
) -> Option<(Pressure, &'static str)> {
    Some(match flag {
        HealthFlag::BloodClots => (
            Pressure::MEDIUM,
            "for a client with a history of blood clots / DVT: deep pressure can dislodge a clot",
        ),
        HealthFlag::BloodThinners => {
            (Pressure::MEDIUM, "for a client on blood thinners or with a bleeding disorder: bruising risk")
        }
        HealthFlag::Osteoporosis if touches_spine => (
            Pressure::LIGHT,
            "on or beside the spine for a client with osteoporosis: fragile vertebrae can break",
        ),
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

/// The caution note for a region that borders `zone` without lying in it: what
/// to keep off, in the therapist's words.
pub(super) fn bordering_note(zone: CautionZoneId) -> &'static str {
    match zone {
        CautionZoneId::Spine => "beside the spine: no direct pressure on the spinous processes",
        CautionZoneId::PosteriorTriangleL | CautionZoneId::PosteriorTriangleR => {
            "beside the side of the neck: keep deep pressure off the nerves and vessels in front of the trapezius"
        }
        CautionZoneId::KidneyL | CautionZoneId::KidneyR => {
            "beside the kidney area: no deep pressure or percussion below the 12th rib"
        }
    }
}

/// What a pregnant client's session asks the therapist to note: how the client
/// will lie, since lying face down is avoided.
pub const PRONE_POSITIONING: &str = "Pregnancy: avoid lying face down (prone); use side-lying, with \
     pillows for support. Note how the client will lie";

/// A note a flag brings to every session that needs no written answer, if any.
pub(super) fn flag_reminder(flag: HealthFlag) -> Option<&'static str> {
    match flag {
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
