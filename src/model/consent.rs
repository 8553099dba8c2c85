//! The client's part of a session: the informed consent they read and signed
//! on the laptop (or on paper), built from the plan, and its withdrawal.
//!
//! A consent names what it covers: every area to be worked with the most
//! pressure agreed for it, and the areas to be avoided. It is kept as it was
//! signed, wording included, so that a later change to the plan or to the
//! clinic's wording never changes what the client agreed to. A plan that goes
//! beyond it (an area added, more pressure) needs consent again; a plan with a
//! sensitive area needs a consent that covers that area in this very session
//! ([`consent_gap`], which the safety gate asks).
//!
//! Signatures are strokes, never pictures: each stroke is the points the
//! pointer went through, in thousandths of the signing pad's width and height.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

use super::{FindingKind, Pressure, RegionId, Session};

/// The gluteal regions: sensitive areas whose work needs the client's written
/// consent in every session (the clinic may add others in its rules).
pub const SENSITIVE_REGIONS: [RegionId; 6] = [
    RegionId::GluteusMaximusL,
    RegionId::GluteusMaximusR,
    RegionId::GluteusMediusL,
    RegionId::GluteusMediusR,
    RegionId::PiriformisL,
    RegionId::PiriformisR,
];

/// How finely a signature's points are kept: thousandths of the pad.
pub const STROKE_SCALE: u16 = 1000;

/// A signature as drawn: who, when, and the strokes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// The name written beside the signature.
    pub name: String,
    pub signed_at: DateTime,
    /// Each stroke is the points the pointer went through, `(across, down)` in
    /// thousandths of the pad ([`STROKE_SCALE`]).
    pub strokes: Vec<Vec<(u16, u16)>>,
}

impl Signature {
    /// Whether anything was drawn: at least one stroke that goes somewhere.
    pub fn is_drawn(&self) -> bool {
        self.strokes.iter().any(|stroke| stroke.windows(2).any(|pair| pair[0] != pair[1]))
    }

    /// The strokes with every point kept inside the pad: what a file may hold.
    pub fn within_the_pad(mut self) -> Signature {
        for stroke in &mut self.strokes {
            for point in stroke.iter_mut() {
                *point = (point.0.min(STROKE_SCALE), point.1.min(STROKE_SCALE));
            }
        }
        self
    }
}

/// A consent signed on paper instead, as the therapist recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnPaper {
    /// The day the client signed the paper form.
    pub signed_on: Date,
    pub recorded_by: String,
    pub recorded_at: DateTime,
}

/// The client taking back their consent, for some areas or for all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub at: DateTime,
    /// The areas withdrawn; `None` for the whole consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub areas: Option<BTreeSet<RegionId>>,
    pub noted_by: String,
}

impl Withdrawal {
    /// What was withdrawn, in the client's words: "Buttock: your left side", or "the whole consent".
    pub fn what(&self) -> String {
        match &self.areas {
            None => "the whole consent".to_owned(),
            Some(areas) => super::words::areas_in_words(areas.iter().copied()).join("; "),
        }
    }

    /// Whether it takes back `region`.
    fn covers(&self, region: RegionId) -> bool {
        self.areas.as_ref().is_none_or(|areas| areas.contains(&region))
    }
}

/// What the client agreed to for one session, as signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// The areas to be worked, each with the most pressure agreed (`None`: no
    /// pressure was planned for it then).
    pub areas: BTreeMap<RegionId, Option<Pressure>>,
    /// The areas to be avoided, as the client was told.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub avoided: BTreeSet<RegionId>,
    /// The words the client read, as they read them.
    pub wording: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<Signature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub therapist: Option<Signature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_paper: Option<OnPaper>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withdrawals: Vec<Withdrawal>,
}

impl Consent {
    /// The consent the plan of `session` asks for now, in `wording`, not yet signed.
    pub fn for_plan(session: &Session, wording: String) -> Consent {
        let mut areas = BTreeMap::new();
        let mut avoided = BTreeSet::new();
        for work in &session.regions {
            if is_worked(work) {
                areas.insert(work.region, work.pressure);
            } else {
                avoided.insert(work.region);
            }
        }
        Consent {
            areas,
            avoided,
            wording,
            client: None,
            therapist: None,
            on_paper: None,
            withdrawals: Vec::new(),
        }
    }

    /// Whether the client gave it: signed on the laptop, or on paper.
    pub fn is_given(&self) -> bool {
        self.client.as_ref().is_some_and(Signature::is_drawn) || self.on_paper.is_some()
    }

    /// When the client gave it.
    pub fn given_at(&self) -> Option<DateTime> {
        match (&self.client, &self.on_paper) {
            (Some(signature), _) if signature.is_drawn() => Some(signature.signed_at),
            (_, Some(paper)) => Some(paper.recorded_at),
            _ => None,
        }
    }

    /// When `region`'s consent was withdrawn, if it was.
    pub fn withdrawn_at(&self, region: RegionId) -> Option<DateTime> {
        self.withdrawals.iter().find(|withdrawal| withdrawal.covers(region)).map(|withdrawal| withdrawal.at)
    }

    /// Whether the whole consent was withdrawn.
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawals.iter().any(|withdrawal| withdrawal.areas.is_none())
    }

    /// Whether working `region` at `pressure` is within what was agreed.
    pub fn covers(&self, region: RegionId, pressure: Option<Pressure>) -> bool {
        match self.areas.get(&region) {
            None => false,
            Some(agreed) => match (pressure, agreed) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(planned), Some(agreed)) => planned <= *agreed,
            },
        }
    }
}

/// Why the plan is not covered by the client's consent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsentGap {
    /// Sensitive areas in the plan with no written consent for them in this session.
    Missing(Vec<RegionId>),
    /// Areas whose consent the client withdrew, still in the plan.
    Withdrawn { regions: Vec<RegionId>, at: DateTime },
    /// The plan goes beyond what was signed: an area added, or more pressure.
    Beyond(Vec<RegionId>),
}

/// Whether a region of the plan is to be worked: anything but a region only
/// marked to avoid. One marked to avoid that is still given a pressure, a
/// technique or minutes is worked all the same, and needs its consent.
pub fn is_worked(work: &super::RegionWork) -> bool {
    !work.findings.contains(&FindingKind::Avoid)
        || work.pressure.is_some()
        || !work.techniques.is_empty()
        || work.minutes.is_some()
}

/// When the client withdrew consent for `region`, in any consent of the
/// session, after `given` (a consent signed anew after a withdrawal stands;
/// nothing given before it does).
fn withdrawn_since(session: &Session, region: RegionId, given: Option<DateTime>) -> Option<DateTime> {
    session
        .consents
        .iter()
        .flat_map(|consent| &consent.withdrawals)
        .filter(|withdrawal| withdrawal.covers(region))
        .map(|withdrawal| withdrawal.at)
        .filter(|at| given.is_none_or(|given| *at >= given))
        .max()
}

/// The consent of `session` that stands now: the latest given.
pub fn current_consent(session: &Session) -> Option<&Consent> {
    session.consents.iter().rev().find(|consent| consent.is_given())
}

/// What the plan of `session` lacks of the client's consent, if anything;
/// `sensitive` says which regions need it in every session.
pub fn consent_gap(session: &Session, sensitive: &BTreeSet<RegionId>) -> Option<ConsentGap> {
    let consent = current_consent(session);
    let worked = session.regions.iter().filter(|work| is_worked(work));
    let mut missing = Vec::new();
    let mut withdrawn = Vec::new();
    let mut withdrawn_at = None;
    let mut beyond = Vec::new();
    for work in worked {
        let region = work.region;
        let Some(consent) = consent else {
            if sensitive.contains(&region) {
                missing.push(region);
            }
            continue;
        };
        if let Some(at) = withdrawn_since(session, region, consent.given_at()) {
            withdrawn.push(region);
            withdrawn_at = withdrawn_at.max(Some(at));
        } else if !consent.covers(region, work.pressure) {
            if sensitive.contains(&region) && !consent.areas.contains_key(&region) {
                missing.push(region);
            } else {
                beyond.push(region);
            }
        }
    }
    if !missing.is_empty() {
        return Some(ConsentGap::Missing(missing));
    }
    if let (false, Some(at)) = (withdrawn.is_empty(), withdrawn_at) {
        return Some(ConsentGap::Withdrawn { regions: withdrawn, at });
    }
    (!beyond.is_empty()).then_some(ConsentGap::Beyond(beyond))
}

impl std::fmt::Display for ConsentGap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = |regions: &[RegionId]| super::words::areas_in_words(regions.iter().copied()).join(", ");
        match self {
            ConsentGap::Missing(regions) => write!(
                f,
                "the plan includes a sensitive area ({}): the client's written consent for it is needed in this \
                 session (Consent tab), or take it out of the plan",
                names(regions)
            ),
            ConsentGap::Withdrawn { regions, at } => write!(
                f,
                "the client withdrew consent for {} at {}: take it out of the plan",
                names(regions),
                at.strftime("%H:%M")
            ),
            ConsentGap::Beyond(regions) => write!(
                f,
                "the plan goes beyond what the client agreed to ({}): ask for their consent again",
                names(regions)
            ),
        }
    }
}

/// The consents of two versions of one session, as one list: each consent
/// once (the same signing on both), with the therapist's signature and every
/// withdrawal either version has, oldest signing first.
pub fn both_laptops(these: &[Consent], those: &[Consent]) -> Vec<Consent> {
    let signing = |consent: &Consent| (consent.given_at(), consent.client.clone(), consent.on_paper.clone());
    let mut all: Vec<Consent> = these.to_vec();
    for other in those {
        match all.iter_mut().find(|consent| signing(consent) == signing(other)) {
            Some(same) => {
                if same.therapist.is_none() {
                    same.therapist = other.therapist.clone();
                }
                for withdrawal in &other.withdrawals {
                    if !same.withdrawals.contains(withdrawal) {
                        same.withdrawals.push(withdrawal.clone());
                    }
                }
                same.withdrawals.sort_by_key(|withdrawal| withdrawal.at);
            }
            None => all.push(other.clone()),
        }
    }
    all.sort_by_key(Consent::given_at);
    all
}

/// The general words of a consent, which the clinic may reword in its settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsentWording {
    /// How the client lies and is covered.
    pub positioning: String,
    /// The risks of deep work that apply to everyone.
    pub general_risks: String,
    /// What else the client could choose instead.
    pub alternatives: String,
    /// That the client may stop or change their mind.
    pub right_to_stop: String,
}

impl ConsentWording {
    pub fn is_default(&self) -> bool {
        *self == ConsentWording::default()
    }
}

impl Default for ConsentWording {
    fn default() -> ConsentWording {
        ConsentWording {
            positioning:
                "You will lie face down on the table, covered by a sheet; only the area being worked on \
                          is uncovered."
                    .to_owned(),
            general_risks: "Deep work can leave you sore for a day or two, and can bruise.".to_owned(),
            alternatives:
                "Instead, you may choose lighter work, leave out any area, or not have a massage today."
                    .to_owned(),
            right_to_stop:
                "You may ask us to stop, or change your mind about any area, at any time, before or \
                            during the session."
                    .to_owned(),
        }
    }
}

/// The risks of a client's health flags, in plain words for the consent.
pub fn flag_risk(flag: super::HealthFlag) -> Option<&'static str> {
    use super::HealthFlag::*;
    Some(match flag {
        BloodThinners => "Because you bruise or bleed easily, firm pressure can bruise: we keep it light.",
        BloodClots => {
            "Because of your history of clots, we keep deep work away from the legs and keep it light."
        }
        Osteoporosis => "Because your bones may be fragile, we keep pressure light over the ribs and spine.",
        RecentSurgeryOrInjury => "We keep away from the area that is still healing.",
        Pregnancy => "You will lie on your side rather than face down, and we keep pressure moderate.",
        _ => return None,
    })
}

/// The day a consent was given, in words for a record: "signed at 09:12" or
/// "signed on paper on 23 Nov 2026".
pub fn given_in_words(consent: &Consent) -> String {
    match (&consent.client, &consent.on_paper) {
        (Some(signature), _) if signature.is_drawn() => {
            format!("signed by {} at {}", signature.name, signature.signed_at.strftime("%H:%M on %-d %b %Y"))
        }
        (_, Some(paper)) => format!(
            "signed on paper on {} (recorded by {})",
            paper.signed_on.strftime("%-d %b %Y"),
            paper.recorded_by
        ),
        _ => "not signed".to_owned(),
    }
}

/// The consent's words for `client` and the plan of `session`: what will be
/// worked and avoided, the pressure, the positioning, the risks that apply to
/// this client, the alternatives and the right to stop, one paragraph a line.
pub fn consent_text(wording: &ConsentWording, client: &super::Client, session: &Session) -> String {
    let consent = Consent::for_plan(session, String::new());
    let mut lines = Vec::new();
    let worked = super::words::areas_in_words(consent.areas.keys().copied());
    lines.push(if worked.is_empty() {
        "No areas are planned yet.".to_owned()
    } else {
        format!("We plan to work on: {}.", worked.join("; "))
    });
    if !consent.avoided.is_empty() {
        let avoided = super::words::areas_in_words(consent.avoided.iter().copied());
        lines.push(format!("We will not work on: {}.", avoided.join("; ")));
    }
    if let Some(most) = consent.areas.values().flatten().max() {
        lines.push(format!("The pressure will be {} at most.", most.word()));
    }
    let sensitive: Vec<RegionId> =
        consent.areas.keys().copied().filter(|region| SENSITIVE_REGIONS.contains(region)).collect();
    if !sensitive.is_empty() {
        lines.push(format!(
            "This includes a sensitive area ({}): we work there only with your written consent today.",
            super::words::areas_in_words(sensitive).join("; ")
        ));
    }
    lines.push(wording.positioning.clone());
    lines.push(wording.general_risks.clone());
    lines.extend(client.health_flags.keys().filter_map(|flag| flag_risk(*flag)).map(str::to_owned));
    lines.push(wording.alternatives.clone());
    lines.push(wording.right_to_stop.clone());
    lines.retain(|line| !line.trim().is_empty());
    lines.join("\n")
}

/// A change to the consent of a session, as the consent screen asks for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsentChange {
    /// The client signed the consent for the plan as it stands (the therapist may sign with them).
    Sign { client: Signature, therapist: Option<Signature> },
    /// The therapist signs a consent the client has signed.
    Countersign(Signature),
    /// The client signed a paper form on `signed_on`; the therapist records it.
    OnPaper { signed_on: Date },
    /// The client takes back their consent: for these areas, or for all.
    Withdraw { areas: Option<BTreeSet<RegionId>> },
}

/// Why a change to a session's consent is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConsentRefusal {
    #[error("the record is locked: its consent stays as it was")]
    Locked,
    #[error("nothing was drawn: the client signs in the box first")]
    NotSigned,
    #[error("there is no signed consent for this session yet")]
    NoConsent,
    #[error("the consent is withdrawn already")]
    AlreadyWithdrawn,
    #[error("a paper consent for this session is signed on its day, {}", day.strftime("%-d %b %Y"))]
    PaperNotOfTheDay { day: Date },
    #[error(
        "the client withdrew consent today: a paper form cannot stand for it; have them sign again on the laptop"
    )]
    WithdrawnSincePaper,
}

/// Applies `change` to the consent of `session`, with `wording` the words the
/// client read, `who` the person at the laptop and `now` the local time. A
/// signed consent is built from the plan as it stands, so that what it covers
/// is what the client read.
pub fn change_consent(
    session: &mut Session,
    change: ConsentChange,
    wording: String,
    who: &str,
    now: DateTime,
) -> Result<(), ConsentRefusal> {
    if session.status.is_record() {
        return Err(ConsentRefusal::Locked);
    }
    match change {
        ConsentChange::Sign { client, therapist } => {
            if !client.is_drawn() {
                return Err(ConsentRefusal::NotSigned);
            }
            let mut consent = Consent::for_plan(session, wording);
            consent.client = Some(client.within_the_pad());
            consent.therapist = therapist.filter(Signature::is_drawn).map(Signature::within_the_pad);
            session.consents.push(consent);
        }
        ConsentChange::Countersign(therapist) => {
            if !therapist.is_drawn() {
                return Err(ConsentRefusal::NotSigned);
            }
            let consent = session
                .consents
                .iter_mut()
                .rev()
                .find(|consent| consent.is_given())
                .ok_or(ConsentRefusal::NoConsent)?;
            consent.therapist = Some(therapist.within_the_pad());
        }
        ConsentChange::OnPaper { signed_on } => {
            // A paper form is for this session's day; one signed before a withdrawal cannot undo it.
            if signed_on != session.starts_at.date() || signed_on > now.date() {
                return Err(ConsentRefusal::PaperNotOfTheDay { day: session.starts_at.date() });
            }
            if session
                .consents
                .iter()
                .flat_map(|consent| &consent.withdrawals)
                .any(|withdrawal| withdrawal.at.date() >= signed_on)
            {
                return Err(ConsentRefusal::WithdrawnSincePaper);
            }
            let mut consent = Consent::for_plan(session, wording);
            consent.on_paper = Some(OnPaper { signed_on, recorded_by: who.to_owned(), recorded_at: now });
            session.consents.push(consent);
        }
        ConsentChange::Withdraw { areas } => {
            let consent = session
                .consents
                .iter_mut()
                .rev()
                .find(|consent| consent.is_given())
                .ok_or(ConsentRefusal::NoConsent)?;
            if consent.is_withdrawn() {
                return Err(ConsentRefusal::AlreadyWithdrawn);
            }
            consent.withdrawals.push(Withdrawal { at: now, areas, noted_by: who.to_owned() });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Client, ClientId, Minutes};

    fn at(hour: i8, minute: i8) -> DateTime {
        jiff::civil::date(2026, 12, 7).at(hour, minute, 0, 0)
    }

    /// A plan of the left buttock at medium pressure and the right shoulder.
    fn gluteal_plan() -> Session {
        let client = ClientId::new("ana-lima-k3f9q").unwrap_or_else(|error| panic!("{error}"));
        let minutes = Minutes::new(45).unwrap_or_else(|error| panic!("{error}"));
        let mut session = Session::new(client, at(9, 30), minutes);
        session.region_mut(RegionId::GluteusMaximusL).pressure = Some(Pressure::MEDIUM);
        session.region_mut(RegionId::UpperTrapeziusR).pressure = Some(Pressure::FIRM);
        session
    }

    fn drawn(name: &str) -> Signature {
        Signature { name: name.to_owned(), signed_at: at(9, 25), strokes: vec![vec![(100, 500), (400, 300)]] }
    }

    fn gluteal() -> BTreeSet<RegionId> {
        SENSITIVE_REGIONS.into_iter().collect()
    }

    #[test]
    fn a_gluteal_plan_needs_the_clients_signed_consent_and_then_is_covered() {
        let mut session = gluteal_plan();
        assert_eq!(
            consent_gap(&session, &gluteal()),
            Some(ConsentGap::Missing(vec![RegionId::GluteusMaximusL]))
        );
        let unsigned = ConsentChange::Sign { client: Signature::default(), therapist: None };
        assert_eq!(
            change_consent(&mut session, unsigned, "words".into(), "Mira", at(9, 25)),
            Err(ConsentRefusal::NotSigned),
            "an empty box is no signature"
        );
        let signed = ConsentChange::Sign { client: drawn("Ana Lima"), therapist: Some(drawn("Mira Santos")) };
        change_consent(&mut session, signed, "words".into(), "Mira", at(9, 25))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(consent_gap(&session, &gluteal()), None);
        let consent = current_consent(&session).unwrap_or_else(|| panic!("a consent"));
        assert_eq!(
            consent.areas[&RegionId::GluteusMaximusL],
            Some(Pressure::MEDIUM),
            "what it covers is the plan"
        );
    }

    #[test]
    fn a_plan_that_goes_beyond_the_signed_consent_asks_for_it_again() {
        let mut session = gluteal_plan();
        let signed = ConsentChange::Sign { client: drawn("Ana Lima"), therapist: None };
        change_consent(&mut session, signed, String::new(), "Mira", at(9, 25))
            .unwrap_or_else(|e| panic!("{e}"));
        session.region_mut(RegionId::UpperTrapeziusR).pressure = Some(Pressure::DEEP);
        assert_eq!(
            consent_gap(&session, &gluteal()),
            Some(ConsentGap::Beyond(vec![RegionId::UpperTrapeziusR]))
        );
        session.region_mut(RegionId::UpperTrapeziusR).pressure = Some(Pressure::LIGHT);
        assert_eq!(consent_gap(&session, &gluteal()), None, "less than agreed is within it");
        session.region_mut(RegionId::GluteusMediusR);
        assert_eq!(
            consent_gap(&session, &gluteal()),
            Some(ConsentGap::Missing(vec![RegionId::GluteusMediusR])),
            "a sensitive area added needs its own consent"
        );
    }

    #[test]
    fn a_withdrawn_area_must_leave_the_plan_and_the_whole_consent_can_be_withdrawn_once() {
        let mut session = gluteal_plan();
        let signed = ConsentChange::Sign { client: drawn("Ana Lima"), therapist: None };
        change_consent(&mut session, signed, String::new(), "Mira", at(9, 25))
            .unwrap_or_else(|e| panic!("{e}"));
        let buttock = ConsentChange::Withdraw { areas: Some([RegionId::GluteusMaximusL].into()) };
        change_consent(&mut session, buttock, String::new(), "Mira", at(9, 41))
            .unwrap_or_else(|e| panic!("{e}"));
        let gap = consent_gap(&session, &gluteal());
        assert_eq!(
            gap,
            Some(ConsentGap::Withdrawn { regions: vec![RegionId::GluteusMaximusL], at: at(9, 41) })
        );
        assert!(gap.is_some_and(|gap| {
            gap.to_string().contains("withdrew consent for Buttock: your left side at 09:41")
        }));
        session.regions.retain(|work| work.region != RegionId::GluteusMaximusL);
        assert_eq!(consent_gap(&session, &gluteal()), None, "the plan without it is covered");
        let all = ConsentChange::Withdraw { areas: None };
        change_consent(&mut session, all.clone(), String::new(), "Mira", at(9, 50))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(consent_gap(&session, &gluteal()), Some(ConsentGap::Withdrawn { .. })));
        assert_eq!(
            change_consent(&mut session, all, String::new(), "Mira", at(9, 51)),
            Err(ConsentRefusal::AlreadyWithdrawn)
        );
    }

    #[test]
    fn two_versions_of_a_session_keep_every_consent_and_every_withdrawal_either_has() {
        let mut here = gluteal_plan();
        let signed = ConsentChange::Sign { client: drawn("Ana Lima"), therapist: None };
        change_consent(&mut here, signed, String::new(), "Mira", at(9, 25)).unwrap_or_else(|e| panic!("{e}"));
        let mut there = here.clone();
        let buttock = ConsentChange::Withdraw { areas: Some([RegionId::GluteusMaximusL].into()) };
        change_consent(&mut there, buttock, String::new(), "Jonas", at(9, 41))
            .unwrap_or_else(|e| panic!("{e}"));
        change_consent(
            &mut here,
            ConsentChange::Countersign(drawn("Mira Santos")),
            String::new(),
            "Mira",
            at(9, 30),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let both = both_laptops(&here.consents, &there.consents);
        assert_eq!(both.len(), 1, "one signing, kept once");
        assert!(both[0].therapist.is_some(), "the signature made here");
        assert_eq!(
            both[0].withdrawn_at(RegionId::GluteusMaximusL),
            Some(at(9, 41)),
            "the withdrawal made there"
        );
    }

    #[test]
    fn a_buttock_marked_to_avoid_but_still_worked_needs_its_consent() {
        let mut session = gluteal_plan();
        session.region_mut(RegionId::GluteusMaximusL).findings.push(FindingKind::Avoid);
        assert_eq!(
            consent_gap(&session, &gluteal()),
            Some(ConsentGap::Missing(vec![RegionId::GluteusMaximusL])),
            "a pressure planned is work, whatever the mark"
        );
        session.region_mut(RegionId::GluteusMaximusL).pressure = None;
        assert_eq!(consent_gap(&session, &gluteal()), None, "only marked to avoid, it is not worked");
    }

    #[test]
    fn a_withdrawal_stands_against_a_paper_form_and_a_consent_signed_before_it() {
        let mut session = gluteal_plan();
        let signed = ConsentChange::Sign { client: drawn("Ana Lima"), therapist: None };
        change_consent(&mut session, signed, String::new(), "Mira", at(9, 25))
            .unwrap_or_else(|e| panic!("{e}"));
        let buttock = ConsentChange::Withdraw { areas: Some([RegionId::GluteusMaximusL].into()) };
        change_consent(&mut session, buttock, String::new(), "Mira", at(9, 41))
            .unwrap_or_else(|e| panic!("{e}"));
        let paper = ConsentChange::OnPaper { signed_on: session.starts_at.date() };
        assert_eq!(
            change_consent(&mut session, paper, String::new(), "Mira", at(9, 45)),
            Err(ConsentRefusal::WithdrawnSincePaper)
        );
        // A consent signed at 09:35 on another laptop, merged in, does not undo the withdrawal of 09:41.
        let mut earlier = Consent::for_plan(&session, String::new());
        earlier.client = Some(Signature { signed_at: at(9, 35), ..drawn("Ana Lima") });
        session.consents.push(earlier);
        session.consents.sort_by_key(Consent::given_at);
        assert!(matches!(consent_gap(&session, &gluteal()), Some(ConsentGap::Withdrawn { .. })));
        // Signed anew after the withdrawal, it stands.
        let again = ConsentChange::Sign {
            client: Signature { signed_at: at(9, 50), ..drawn("Ana Lima") },
            therapist: None,
        };
        change_consent(&mut session, again, String::new(), "Mira", at(9, 50))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(consent_gap(&session, &gluteal()), None);
    }

    #[test]
    fn a_new_plan_cannot_arrive_with_a_consent_already_in_it() {
        let mut session = gluteal_plan();
        let signed = ConsentChange::Sign { client: drawn("Ana Lima"), therapist: None };
        change_consent(&mut session, signed, String::new(), "Mira", at(9, 25))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            crate::model::lifecycle::may_add_as_new(&session).is_err(),
            "a consent is signed, not imported"
        );
        session.consents.clear();
        assert!(crate::model::lifecycle::may_add_as_new(&session).is_ok());
    }

    #[test]
    fn the_consent_text_names_the_areas_the_pressure_and_this_clients_risks() {
        let mut client = Client::new("Ana Lima");
        client.health_flags.insert(crate::model::HealthFlag::BloodThinners, Default::default());
        let text = consent_text(&ConsentWording::default(), &client, &gluteal_plan());
        assert!(
            text.contains("We plan to work on: Top of shoulder: your right side; Buttock: your left side."),
            "{text}"
        );
        assert!(text.contains("The pressure will be firm at most."), "{text}");
        assert!(text.contains("sensitive area (Buttock: your left side)"), "{text}");
        assert!(text.contains("bruise or bleed easily"), "{text}");
        assert!(text.contains("stop"), "{text}");
    }
}
