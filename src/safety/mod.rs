//! The safety rules: what a client's health flags, the body map's caution zones
//! and the client's last session allow a session plan to do, and the warnings a
//! plan gets where it goes further.
//!
//! This is the one place the rules live. The session screen shows the report
//! (caps on the pressure control, warnings struck through once overridden), the
//! printer prints it, and `knotmap check` lists the warnings nobody explained. It
//! knows nothing of egui or of files: every function here is pure, and every date
//! rule counts from the session's own date, so a session checks the same way on
//! any day.
//!
//! The rules are PRODUCT.md's table, kept in `rules.rs` with every threshold.
//! The session's screening, once asked, has the last word for its day: a flag
//! the client says no longer holds is not applied, and a fever reported there
//! blocks the session even without the flag. A warning is explained by a
//! [`SafetyOverride`] in the session with the same rule and region and a written
//! reason; it stays in the report, marked with that override. A blocking warning
//! cannot be explained: the session is postponed or cancelled ([`gate`]).

mod clinic;
mod gate;
mod rules;
mod zones;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use crate::geometry::{BodyMap, BodyMapError};
use jiff::civil::{Date, DateTime};

use crate::model::{
    CautionZoneId, Client, ClinicRules, FindingKind, HealthFlag, Layer, Pressure, RegionId, RegionWork,
    SafetyOverride, SafetyRule, Session,
};

pub use clinic::{CLINIC_RULE, Loosening, built_in_cap, without_loosenings};
pub use gate::{GateRefusal, passes_gate, record_breaks_gate};
pub use rules::{
    MOSTLY_INSIDE_SHARE, NOT_MEDICAL_ADVICE, PRONE_POSITIONING, RECENT_SURGERY_WEEKS, RISE_WARNED, ZONE_CAP,
    avoided_by_flags,
};

use zones::ZoneCover;

/// How much a warning stands in the way of the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Something to settle and note before going ahead (who gave the medical
    /// clearance and when; how a pregnant client will lie): a written note
    /// satisfies it.
    Reminder,
    /// Go ahead with care, or change the plan; going past it needs a written reason.
    Caution,
    /// The session cannot go ahead today: it is postponed or cancelled. No
    /// reason explains it away.
    Blocking,
}

/// Something in the plan that a rule advises against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub rule: SafetyRule,
    /// The region it is about; `None` for the session as a whole.
    pub region: Option<RegionId>,
    pub severity: Severity,
    /// What and why, in plain words, for the screen and the print.
    pub message: String,
    /// The therapist's decision to go ahead, with its reason, if they made one.
    /// Never set on a blocking warning.
    pub overridden: Option<SafetyOverride>,
    /// The reason written for the same warning at the client's last session,
    /// offered to carry forward with one click while this one has none.
    pub offered: Option<OfferedReason>,
}

impl Warning {
    /// Whether a written reason covers the warning.
    pub fn is_overridden(&self) -> bool {
        self.overridden.is_some()
    }

    fn new(rule: SafetyRule, region: Option<RegionId>, severity: Severity, message: String) -> Warning {
        Warning { rule, region, severity, message, overridden: None, offered: None }
    }
}

/// A reason given at an earlier session, offered for the same warning today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferedReason {
    pub reason: String,
    /// The day of the session it was written for.
    pub from: Date,
}

impl OfferedReason {
    /// The override that carrying it forward adds, decided `at`.
    pub fn carried(&self, warning: &Warning, at: DateTime) -> SafetyOverride {
        SafetyOverride {
            rule: warning.rule,
            region: warning.region,
            reason: self.reason.clone(),
            decided_at: at,
            carried_from: Some(self.from),
        }
    }
}

/// Where a cap on a region's pressure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CapSource {
    /// A health flag of the client ([`SafetyRule::PressureCap`]).
    Flag(HealthFlag),
    /// A caution zone the region lies over ([`SafetyRule::CautionZone`]).
    Zone(CautionZoneId),
    /// A flag of the clinic's own ([`SafetyRule::PressureCap`]).
    Clinic,
}

impl CapSource {
    /// The rule a pressure above this cap breaks.
    pub fn rule(self) -> SafetyRule {
        match self {
            CapSource::Flag(_) | CapSource::Clinic => SafetyRule::PressureCap,
            CapSource::Zone(_) => SafetyRule::CautionZone,
        }
    }
}

/// One reason a region's pressure is capped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapReason {
    pub source: CapSource,
    /// The highest pressure this reason allows.
    pub max: Pressure,
    /// Why, as the end of a sentence: "for a client on blood thinners or with a
    /// bleeding disorder: bruising risk".
    pub why: String,
    /// The reason in a few words, beside the pressure control: "blood thinners / bleeding
    /// disorder", "varicose veins (the clinic's rule)", "over the spine caution zone".
    pub short: String,
}

/// The highest pressure the rules allow on a region, and every reason for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cap {
    /// The lowest of the reasons' caps.
    pub max: Pressure,
    /// Every reason, the strictest first.
    pub because: Vec<CapReason>,
}

/// Where a reason to avoid a region comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AvoidSource {
    /// A health flag that names the region (a recent surgery, a skin condition).
    Flag(HealthFlag),
    /// An "avoid" finding on the region's entry in the session.
    Finding,
    /// An "avoid" mark on the map, over the region.
    Mark,
    /// A flag of the clinic's own that names the region.
    Clinic,
}

/// One reason to keep the hands off a region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvoidReason {
    pub source: AvoidSource,
    /// Why, in plain words: "skin condition, open wound or bruise (eczema)".
    pub why: String,
}

/// A note for the therapist that is not a warning: nothing to override.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reminder {
    /// The health flag that brings it, if one does.
    pub flag: Option<HealthFlag>,
    /// The region it is about, if it is about one.
    pub region: Option<RegionId>,
    pub message: String,
}

/// What the safety rules say about one session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SafetyReport {
    /// Set when the rules could not be built (the body map failed to load):
    /// then nothing was checked, and the gate stays shut, rather than a plan
    /// looking safe because no rule ran.
    pub rules_missing: Option<String>,
    /// Blocking warnings first, then the session's, then each region's in the
    /// order of work. At most one warning per rule and region, so that one
    /// override answers one warning.
    pub warnings: Vec<Warning>,
    /// The cap on every region that has one, whether or not the plan works it;
    /// a region not listed may take any pressure. Shared by the sessions checked
    /// one after another for the same flags and rules (see [`SafetyRules::check_session`]).
    pub caps: Arc<BTreeMap<RegionId, Cap>>,
    /// Every region to avoid, whether or not the plan works it, each with why.
    pub avoid: BTreeMap<RegionId, Vec<AvoidReason>>,
    /// Notes that need no override, [`NOT_MEDICAL_ADVICE`] first.
    pub reminders: Vec<Reminder>,
    /// For every region that borders a caution zone without lying in it, what
    /// to keep off there ("beside the spine: no direct pressure on the spinous
    /// processes"): shown beside the region and printed, no reason needed.
    /// The same for every session on one map, so shared rather than copied.
    pub caution_notes: Arc<BTreeMap<RegionId, Vec<String>>>,
}

impl SafetyReport {
    /// The report of a session the rules could not check, saying why.
    pub fn without_rules(error: &BodyMapError) -> SafetyReport {
        SafetyReport {
            rules_missing: Some(format!(
                "The safety checks cannot run, because the body map they use failed to load ({error}). \
                 Nothing in this plan was checked: reinstall Knotmap before relying on it"
            )),
            reminders: vec![Reminder { flag: None, region: None, message: NOT_MEDICAL_ADVICE.to_owned() }],
            ..SafetyReport::default()
        }
    }

    /// The warnings no written reason covers: what `knotmap check` lists.
    pub fn unexplained(&self) -> impl Iterator<Item = &Warning> {
        self.warnings.iter().filter(|warning| !warning.is_overridden())
    }

    /// Whether a blocking warning stands without a written reason.
    pub fn is_blocked(&self) -> bool {
        self.unexplained().any(|warning| warning.severity == Severity::Blocking)
    }

    /// The highest pressure the rules allow on `region`.
    pub fn cap_on(&self, region: RegionId) -> Pressure {
        self.caps.get(&region).map_or(Pressure::MAX, |cap| cap.max)
    }
}

/// What the caps of a client depend on: the caution zones (of one body map), the
/// clinic's rules and which flags the client has; never their notes.
struct CapsKey {
    /// Held, so that no other zones can take this address while it is remembered.
    zones: Arc<ZoneCover>,
    clinic: Arc<ClinicRules>,
    health_flags: Vec<HealthFlag>,
    clinic_flags: Vec<String>,
}

impl PartialEq for CapsKey {
    fn eq(&self, other: &CapsKey) -> bool {
        Arc::ptr_eq(&self.zones, &other.zones)
            && (Arc::ptr_eq(&self.clinic, &other.clinic) || self.clinic == other.clinic)
            && self.health_flags == other.health_flags
            && self.clinic_flags == other.clinic_flags
    }
}

/// Every region's cap, as a report holds them.
type Caps = Arc<BTreeMap<RegionId, Cap>>;

thread_local! {
    /// The caps last worked out on this thread, and for what.
    static LAST_CAPS: std::cell::RefCell<Option<(CapsKey, Caps)>> = const { std::cell::RefCell::new(None) };
}

/// The rules, ready to check sessions against one body map. Building them
/// measures how much of each region every caution zone covers; keep one (or use
/// [`SafetyRules::standard`]) rather than building them for every session.
#[derive(Clone, Debug)]
pub struct SafetyRules<'map> {
    map: &'map BodyMap,
    zones: Arc<ZoneCover>,
    caution_notes: Arc<BTreeMap<RegionId, Vec<String>>>,
    /// The clinic's own rules, on top of the built-in ones.
    clinic: Arc<ClinicRules>,
    /// Why the clinic's rules file could not be read (file, line and what), when
    /// it could not: then no session not yet done passes the gate, rather than
    /// pass by the built-in rules alone.
    clinic_unreadable: Option<Arc<str>>,
}

impl<'map> SafetyRules<'map> {
    pub fn new(map: &'map BodyMap) -> SafetyRules<'map> {
        let zones = ZoneCover::of(map);
        let caution_notes = RegionId::all()
            .filter_map(|region| {
                let notes: Vec<String> = zones
                    .bordering(region)
                    .iter()
                    .map(|&zone| rules::bordering_note(zone).to_owned())
                    .collect();
                (!notes.is_empty()).then_some((region, notes))
            })
            .collect();
        SafetyRules {
            map,
            zones: Arc::new(zones),
            caution_notes: Arc::new(caution_notes),
            clinic: Arc::new(ClinicRules::default()),
            clinic_unreadable: None,
        }
    }

    /// These rules with the clinic's own on top (cheap: nothing is measured again).
    pub fn with_clinic(&self, clinic: Arc<ClinicRules>) -> SafetyRules<'map> {
        SafetyRules { clinic, ..self.clone() }
    }

    /// These rules, for a practice whose clinic's rules file cannot be read
    /// (`why` names the file and the line): the gate stays shut for every session
    /// not yet done, and the report says why.
    pub fn with_clinic_unreadable(&self, why: String) -> SafetyRules<'map> {
        SafetyRules { clinic_unreadable: Some(Arc::from(why)), ..self.clone() }
    }

    /// The clinic's own rules these apply.
    pub fn clinic(&self) -> &ClinicRules {
        &self.clinic
    }

    /// The rules on the body map shipped with the app, built on first use.
    pub fn standard() -> Result<&'static SafetyRules<'static>, &'static BodyMapError> {
        static STANDARD: OnceLock<SafetyRules<'static>> = OnceLock::new();
        let map = BodyMap::standard()?;
        Ok(STANDARD.get_or_init(|| SafetyRules::new(map)))
    }

    /// The caution zones `region` lies in (each covers at least
    /// [`MOSTLY_INSIDE_SHARE`] of it): pressure above [`ZONE_CAP`] there is warned.
    pub fn zones_inside(&self, region: RegionId) -> &[CautionZoneId] {
        self.zones.inside(region)
    }

    /// The caution zones `region` borders without lying in them: each brings a
    /// caution note.
    pub fn zones_bordering(&self, region: RegionId) -> &[CautionZoneId] {
        self.zones.bordering(region)
    }

    /// The cap on `region` for `client`, if the flags or the caution zones set one.
    pub fn cap(&self, client: &Client, region: RegionId) -> Option<Cap> {
        let touches_spine = self.zones_inside(region).contains(&CautionZoneId::Spine)
            || self.zones_bordering(region).contains(&CautionZoneId::Spine);
        let mut because: Vec<CapReason> = client
            .health_flags
            .keys()
            .filter_map(|&flag| {
                let (max, why) = rules::flag_cap(flag, region, touches_spine)?;
                Some(CapReason {
                    source: CapSource::Flag(flag),
                    max,
                    why: why.to_owned(),
                    short: flag.label().to_lowercase(),
                })
            })
            .collect();
        because.extend(clinic::caps(&self.clinic, client, region));
        because.extend(self.zones_inside(region).iter().map(|&zone| {
            let info = zone.info();
            CapReason {
                source: CapSource::Zone(zone),
                max: ZONE_CAP,
                why: format!("in a caution zone, {} ({})", info.label, info.why),
                short: format!("over the {} caution zone", info.label.to_lowercase()),
            }
        }));
        because.sort_by_key(|reason| (reason.max, reason.source));
        let max = because.first()?.max;
        Some(Cap { max, because })
    }

    /// The cap on every region that has one, for `client`.
    pub fn caps(&self, client: &Client) -> BTreeMap<RegionId, Cap> {
        RegionId::all().filter_map(|region| Some((region, self.cap(client, region)?))).collect()
    }

    /// [`SafetyRules::caps`], shared with the last session checked on this thread
    /// when that was for the same flags under the same rules, as a client's
    /// sessions mostly are: checking a practice builds them once a client, not
    /// once a session, with every reason worded.
    fn caps_shared(&self, client: &Client) -> Caps {
        let key = CapsKey {
            zones: Arc::clone(&self.zones),
            clinic: Arc::clone(&self.clinic),
            health_flags: client.health_flags.keys().copied().collect(),
            clinic_flags: client.clinic_flags.keys().cloned().collect(),
        };
        LAST_CAPS.with(|last| {
            let mut last = last.borrow_mut();
            if let Some((seen, caps)) = last.as_ref()
                && *seen == key
            {
                return Arc::clone(caps);
            }
            let caps = Arc::new(self.caps(client));
            *last = Some((key, Arc::clone(&caps)));
            caps
        })
    }

    /// Every region to avoid in `session`, each with why: those the client's
    /// flags name ([`avoided_by_flags`]), those the session's map gives an
    /// "avoid" finding, and those under an "avoid" mark, in both layers (pressing
    /// a deep region means pressing through the skin above it).
    pub fn avoided(&self, client: &Client, session: &Session) -> BTreeMap<RegionId, Vec<AvoidReason>> {
        let mut avoided = avoided_by_flags(client, session.starts_at.date());
        clinic::avoided(&self.clinic, client, |region, reason| {
            let reasons = avoided.entry(region).or_default();
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        });
        let mut add = |region: RegionId, source: AvoidSource, why: String| {
            let reason = AvoidReason { source, why };
            let reasons = avoided.entry(region).or_default();
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        };
        for work in &session.regions {
            if work.findings.contains(&FindingKind::Avoid) {
                add(work.region, AvoidSource::Finding, "marked \"avoid\" on the map".to_owned());
            }
        }
        for mark in session.marks.iter().filter(|mark| mark.kind == FindingKind::Avoid) {
            for layer in Layer::ALL {
                if let Some(region) = self.map.region_at([mark.at.x(), mark.at.y()], layer) {
                    add(
                        region,
                        AvoidSource::Mark,
                        rules::with_note("an \"avoid\" mark on the map", &mark.note),
                    );
                }
            }
        }
        avoided
    }

    /// Checks `session` of `client` against every rule. `previous` is the
    /// client's last session before it (see [`previous_session`]), for the rule
    /// on pressure rises; `None` for a first session.
    pub fn check_session(
        &self,
        client: &Client,
        session: &Session,
        previous: Option<&Session>,
    ) -> SafetyReport {
        // A record is judged by what was known on its day: the flags and clinic rules it
        // passed with (format 3 on). One from before then has no clinic rule made later
        // applied to it, and it cannot be changed to answer one.
        if session.is_locked() {
            if let Some(judged_by) = &session.judged_by {
                let then = judged_by.client_then(client);
                let rules = self.with_clinic(Arc::new(judged_by.clinic_rules.clone()));
                let last = judged_by.last_session_then(&session.client);
                return rules.check_record(&then, session, last.as_ref());
            }
            if !self.clinic.is_empty() {
                return self.with_clinic(Arc::default()).check_record(client, session, previous);
            }
        }
        let mut report = self.check_record(client, session, previous);
        if let Some(why) = &self.clinic_unreadable {
            report.rules_missing = Some(format!(
                "The clinic's safety rules cannot be read ({why}), so its caps, flags and reminders were not \
                 checked: put the file right (or move it away) before a session is marked ready, completed or \
                 printed"
            ));
        }
        report
    }

    /// [`SafetyRules::check_session`] once it is settled which flags and rules apply.
    fn check_record(&self, client: &Client, session: &Session, previous: Option<&Session>) -> SafetyReport {
        let day = session.starts_at.date();
        let previous = previous.filter(|previous| previous.id != session.id);
        let mut reminders =
            vec![Reminder { flag: None, region: None, message: NOT_MEDICAL_ADVICE.to_owned() }];
        let holding = flags_that_hold(client, session);
        for flag in self.clinic.clinic_flags.iter().filter(|flag| {
            client.clinic_flags.contains_key(&flag.key) && !holding.clinic_flags.contains_key(&flag.key)
        }) {
            reminders.push(Reminder {
                flag: None,
                region: None,
                message: format!(
                    "{}: no longer true at today's screening, so the clinic's rule for it is not applied; update \
                     the client's profile if it is over.",
                    flag.name
                ),
            });
        }
        for &flag in client.health_flags.keys().filter(|flag| !holding.health_flags.contains_key(flag)) {
            reminders.push(Reminder {
                flag: Some(flag),
                region: None,
                message: format!(
                    "{}: no longer true at today's screening, so its rules are not applied; update the \
                     client's profile if it is over.",
                    flag.label()
                ),
            });
        }
        let client = holding.as_ref();
        let caps = self.caps_shared(client);
        let avoid = self.avoided(client, session);
        let mut warnings = Vec::new();

        // Today's screening answer wins over the profile: a fever comes and goes.
        let fever_today = session.screening.as_ref().and_then(|screening| screening.acute_illness_today);
        let fever = match (fever_today, client.health_flags.get(&HealthFlag::FeverOrInfection)) {
            (Some(true), _) => Some("reports a fever or an acute illness at today's screening".to_owned()),
            (None, Some(details)) => {
                Some(format!("has {}", rules::with_note("a fever or an acute infection", &details.note)))
            }
            (Some(false), Some(_)) => {
                reminders.push(Reminder {
                    flag: Some(HealthFlag::FeverOrInfection),
                    region: None,
                    message: "The client's profile lists a fever or acute infection, but today's screening \
                              found none: update the profile."
                        .to_owned(),
                });
                None
            }
            (_, None) => None,
        };
        if let Some(fever) = fever {
            warnings.push(Warning::new(
                SafetyRule::AcuteIllness,
                None,
                Severity::Blocking,
                format!(
                    "The client {fever}: postpone the session until they are well, or cancel it; massage can \
                     spread an infection and adds strain to a body fighting one"
                ),
            ));
        }
        let clearance: Vec<String> = client
            .health_flags
            .iter()
            .filter_map(|(&flag, details)| rules::clearance_reason(flag, details, day))
            .collect();
        if !clearance.is_empty() {
            warnings.push(Warning::new(
                SafetyRule::MedicalClearance,
                None,
                Severity::Reminder,
                format!(
                    "Medical clearance is recommended before this session: {}. Note who cleared the client, \
                     and when",
                    clearance.join("; ")
                ),
            ));
        }
        if client.health_flags.contains_key(&HealthFlag::Pregnancy) {
            warnings.push(Warning::new(
                SafetyRule::PronePositioning,
                None,
                Severity::Reminder,
                PRONE_POSITIONING.to_owned(),
            ));
        }
        for &flag in client.health_flags.keys() {
            if let Some(message) = rules::flag_reminder(flag) {
                reminders.push(Reminder { flag: Some(flag), region: None, message: message.to_owned() });
            }
            if let Some(tightening) = self.clinic.tightening(flag)
                && !tightening.reminder.trim().is_empty()
            {
                reminders.push(Reminder {
                    flag: Some(flag),
                    region: None,
                    message: format!("{} ({CLINIC_RULE}): {}", flag.label(), tightening.reminder.trim()),
                });
            }
        }
        for flag in self.clinic.clinic_flags.iter().filter(|flag| client.clinic_flags.contains_key(&flag.key))
        {
            if !flag.reminder.trim().is_empty() {
                reminders.push(Reminder {
                    flag: None,
                    region: None,
                    message: format!("{} ({CLINIC_RULE}): {}", flag.name, flag.reminder.trim()),
                });
            }
            if flag.blocks {
                let note = client
                    .clinic_flags
                    .get(&flag.key)
                    .map(|details| details.note.as_str())
                    .unwrap_or_default();
                warnings.push(Warning::new(
                    SafetyRule::ClinicFlag,
                    None,
                    Severity::Blocking,
                    format!(
                        "The client has {}, which stops the session by {CLINIC_RULE}: postpone it until it no longer \
                         holds, or cancel it",
                        rules::with_note(&flag.name.to_lowercase(), note)
                    ),
                ));
            }
        }

        for work in &session.regions {
            let region = work.region;
            let name = region.accessible_name();
            if is_worked(work)
                && let Some(reasons) = avoid.get(&region)
            {
                warnings.push(Warning::new(
                    SafetyRule::AvoidRegion,
                    Some(region),
                    Severity::Caution,
                    format!(
                        "{name} is planned for work but is to be avoided: {}",
                        reasons.iter().map(|reason| reason.why.as_str()).collect::<Vec<_>>().join("; ")
                    ),
                ));
            }
            let Some(pressure) = work.pressure else {
                continue;
            };
            if let Some(cap) = caps.get(&region) {
                let broken = |flags: bool| -> Vec<&CapReason> {
                    cap.because
                        .iter()
                        .filter(|reason| {
                            matches!(reason.source, CapSource::Flag(_) | CapSource::Clinic) == flags
                        })
                        .filter(|reason| pressure > reason.max)
                        .collect()
                };
                let flag_caps = broken(true);
                if !flag_caps.is_empty() {
                    let reasons: Vec<String> = flag_caps
                        .iter()
                        .map(|reason| format!("{} {}", level(reason.max), reason.why))
                        .collect();
                    warnings.push(Warning::new(
                        SafetyRule::PressureCap,
                        Some(region),
                        Severity::Caution,
                        format!(
                            "Pressure {} on {name} is above the cap of {}",
                            level(pressure),
                            reasons.join("; and of ")
                        ),
                    ));
                }
                let zone_caps = broken(false);
                if let Some(first) = zone_caps.first() {
                    let zones: Vec<&str> = zone_caps.iter().map(|reason| reason.why.as_str()).collect();
                    warnings.push(Warning::new(
                        SafetyRule::CautionZone,
                        Some(region),
                        Severity::Caution,
                        format!(
                            "Pressure {} on {name} is above {} {}",
                            level(pressure),
                            level(first.max),
                            zones.join("; and ")
                        ),
                    ));
                }
            }
            let last = previous.and_then(|previous| Some((previous, previous.region(region)?.pressure?)));
            if let Some((previous, last)) = last
                && pressure.get() >= last.get() + RISE_WARNED
            {
                warnings.push(Warning::new(
                    SafetyRule::PressureRise,
                    Some(region),
                    Severity::Caution,
                    format!(
                        "Pressure {} on {name} is {} steps above the {} of the last session, on {}: bruising \
                         risk; raise it by at most one step a session",
                        level(pressure),
                        pressure.get() - last.get(),
                        level(last),
                        previous.starts_at.date()
                    ),
                ));
            }
        }

        for warning in &mut warnings {
            // A fever today is not explained away: the session is postponed or cancelled.
            if warning.severity == Severity::Blocking {
                continue;
            }
            warning.overridden = override_for(session, warning.rule, warning.region).cloned();
            if warning.overridden.is_none() {
                warning.offered = previous.and_then(|previous| {
                    let earlier = override_for(previous, warning.rule, warning.region)?;
                    Some(OfferedReason { reason: earlier.reason.clone(), from: previous.starts_at.date() })
                });
            }
        }
        // Stable: within a severity, the order above (session, then regions in the order of work).
        warnings.sort_by_key(|warning| std::cmp::Reverse(warning.severity));
        SafetyReport {
            rules_missing: None,
            warnings,
            caps,
            avoid,
            reminders,
            caution_notes: Arc::clone(&self.caution_notes),
        }
    }

    /// Checks every session of one client, each against the client's last
    /// completed session before it; the reports come in the order of `sessions`.
    pub fn check_client<'s>(
        &self,
        client: &Client,
        sessions: &'s [Session],
    ) -> Vec<(&'s Session, SafetyReport)> {
        let mut order: Vec<usize> = (0..sessions.len()).collect();
        order.sort_by(|&a, &b| {
            (sessions[a].starts_at, &sessions[a].id).cmp(&(sessions[b].starts_at, &sessions[b].id))
        });
        let mut reports: Vec<Option<SafetyReport>> = vec![None; sessions.len()];
        let mut last_completed: Option<&Session> = None;
        let mut seen = 0;
        for &index in &order {
            let session = &sessions[index];
            // Only sessions strictly earlier count as before this one.
            while let Some(&earlier) = order.get(seen)
                && sessions[earlier].starts_at < session.starts_at
            {
                if sessions[earlier].counts_in_history() {
                    last_completed = Some(&sessions[earlier]);
                }
                seen += 1;
            }
            let report = self.check_session(client, session, last_completed);
            reports[index] = Some(with_fever_of_the_day(report, session, sessions));
        }
        sessions.iter().zip(reports).filter_map(|(session, report)| Some((session, report?))).collect()
    }
}

/// The time a fever or an acute illness was answered on `day` at the
/// screening of any session of the client in `sessions` (a session postponed
/// earlier the same day included): it blocks every session of theirs that day.
pub fn fever_answered_on(sessions: &[Session], day: Date) -> Option<DateTime> {
    let screenings = sessions.iter().flat_map(|session| {
        session
            .screening
            .iter()
            .chain(session.postponements.iter().filter_map(|moved| moved.screening.as_ref()))
    });
    screenings
        .filter(|screening| screening.asked_at.date() == day && screening.reports_acute_illness())
        .map(|screening| screening.asked_at)
        .min()
}

/// Adds to the report of `session` (one not done yet) the blocking warning of
/// a fever answered the same day at another of the client's screenings.
pub fn with_fever_of_the_day(
    mut report: SafetyReport,
    session: &Session,
    sessions: &[Session],
) -> SafetyReport {
    let already = report.warnings.iter().any(|warning| warning.rule == SafetyRule::AcuteIllness);
    if session.is_locked() || already {
        return report;
    }
    let Some(asked_at) = fever_answered_on(sessions, session.starts_at.date()) else { return report };
    report.warnings.insert(
        0,
        Warning::new(
            SafetyRule::AcuteIllness,
            None,
            Severity::Blocking,
            format!(
                "The client reported a fever or an acute illness at a screening today ({}): every session of \
                 theirs today is postponed to another day or cancelled; massage can spread an infection and \
                 adds strain to a body fighting one",
                asked_at.strftime("%H:%M")
            ),
        ),
    );
    report
}

/// Checks `session` against `rules`, or, when they could not be built, says so
/// in a report whose gate stays shut ([`SafetyReport::without_rules`]).
pub fn check_with(
    rules: Result<&SafetyRules<'_>, &BodyMapError>,
    client: &Client,
    session: &Session,
    previous: Option<&Session>,
) -> SafetyReport {
    match rules {
        Ok(rules) => rules.check_session(client, session, previous),
        Err(error) => SafetyReport::without_rules(error),
    }
}

/// Checks `session` against the rules on `map`: [`SafetyRules::check_session`]
/// for callers that hold a body map rather than the rules. On the standard map
/// it uses [`SafetyRules::standard`]; on any other it builds the rules first,
/// which takes a few milliseconds, so keep a [`SafetyRules`] to check many.
pub fn check_session(
    client: &Client,
    session: &Session,
    previous: Option<&Session>,
    map: &BodyMap,
) -> SafetyReport {
    match SafetyRules::standard() {
        Ok(rules) if std::ptr::eq(rules.map, map) => rules.check_session(client, session, previous),
        _ => SafetyRules::new(map).check_session(client, session, previous),
    }
}

/// The session a new pressure is compared with: the client's last completed
/// session that started before `session`. A session still planned has not
/// touched the tissue, and one entered in error never happened, so neither counts.
pub fn previous_session<'s>(sessions: &'s [Session], session: &Session) -> Option<&'s Session> {
    sessions
        .iter()
        .filter(|other| {
            other.counts_in_history()
                && other.client == session.client
                && other.id != session.id
                && other.starts_at < session.starts_at
        })
        .max_by_key(|other| other.starts_at)
}

/// The client with only the flags that hold for this session: the session's
/// screening may say a flag is no longer true today. Without a screening every
/// flag holds; so does a flag it did not ask about, unless the session is a
/// locked record: a flag added to the profile after the session was screened
/// did not bind that day, and must not make an old record look unsafe.
fn flags_that_hold<'c>(client: &'c Client, session: &Session) -> Cow<'c, Client> {
    let Some(screening) = &session.screening else {
        return Cow::Borrowed(client);
    };
    let over = |flag: &HealthFlag| match screening.still_true.get(flag) {
        Some(still_true) => !still_true,
        None => session.is_locked(),
    };
    let clinic_over = |key: &String| match screening.still_true_clinic.get(key) {
        Some(still_true) => !still_true,
        None => session.is_locked(),
    };
    if !client.health_flags.keys().any(over) && !client.clinic_flags.keys().any(clinic_over) {
        return Cow::Borrowed(client);
    }
    let mut holding = client.clone();
    holding.health_flags.retain(|flag, _| !over(flag));
    holding.clinic_flags.retain(|key, _| !clinic_over(key));
    Cow::Owned(holding)
}

/// Whether the plan puts hands on the region: a pressure, a technique or minutes.
/// A region on the map only to carry findings (an "avoid" mark, say) is not worked.
fn is_worked(work: &RegionWork) -> bool {
    work.pressure.is_some() || !work.techniques.is_empty() || work.minutes.is_some_and(|m| m.get() > 0)
}

/// The session's override of the warning with this rule and region, if it has
/// one with a written reason (the latest, if several).
fn override_for(session: &Session, rule: SafetyRule, region: Option<RegionId>) -> Option<&SafetyOverride> {
    session
        .overrides
        .iter()
        .filter(|o| o.rule == rule && o.region == region && !o.reason.trim().is_empty())
        .max_by_key(|o| o.decided_at)
}

/// "3 (medium)".
fn level(pressure: Pressure) -> String {
    format!("{pressure} ({})", pressure.word())
}

/// "Explained (23 Nov 2026 09:24): cleared by the GP", with "carried from 16 Nov"
/// when it was carried forward from an earlier session.
pub fn explained_in_words(decision: &SafetyOverride) -> String {
    let carried = decision
        .carried_from
        .map(|day| format!(", carried from {}", day.strftime("%-d %b")))
        .unwrap_or_default();
    format!("Explained ({}{carried}): {}", decision.decided_at.strftime("%-d %b %Y %H:%M"), decision.reason)
}
