//! A model-based test of the session's lifecycle: random sequences of what the
//! screens can ask (plan edits, screenings, every change of status, amending,
//! undoing to an earlier plan), with the clock moving on and the profile's
//! flags and the clinic's rules changing, on a client with random flags. After
//! every step, whatever was asked: a ready or completed session passes the
//! gate against what it recorded, no completed session starts in the future,
//! nothing leaves Completed, and a record changes only through an amendment.

use jiff::civil::{DateTime, date};
use knotmap::model::{
    Client, ClinicCap, ClinicFlag, ClinicRules, FlagDetails, HealthFlag, Minutes, Outcome, PlanContent,
    Pressure, RegionId, SafetyOverride, Screening, Session, SessionRecord, SessionStatus, Transition, Where,
};
use knotmap::safety::{SafetyRules, passes_gate, previous_session, with_fever_of_the_day};
use knotmap::storage::Practice;
use knotmap::workspace::{Edit, Workspace};
use proptest::prelude::*;

/// What a screen (or the clock, or another window) does next.
#[derive(Clone, Debug)]
enum Step {
    /// Set a region's pressure (or clear it) on session `session`.
    Pressure {
        session: usize,
        region: usize,
        pressure: Option<u8>,
    },
    /// Explain every warning of the session with a written reason.
    ExplainAll {
        session: usize,
    },
    /// Answer the screening now, with or without a fever.
    Screen {
        session: usize,
        fever: bool,
    },
    Ready {
        session: usize,
    },
    BackToPlanned {
        session: usize,
    },
    Complete {
        session: usize,
    },
    Postpone {
        session: usize,
        hours: u8,
    },
    Cancel {
        session: usize,
    },
    EnteredInError {
        session: usize,
    },
    StartAmending {
        session: usize,
    },
    SaveAmendment {
        session: usize,
    },
    CancelAmendment,
    /// Ask for a plan as it was a few steps ago (what undo sends).
    Undo {
        session: usize,
        back: usize,
    },
    /// Tick or untick a flag on the profile.
    ToggleFlag {
        flag: usize,
    },
    /// Tighten the clinic's cap on blood thinners to 2, or lift it.
    ClinicCap {
        on: bool,
    },
    /// The clock moves on.
    Wait {
        minutes: u16,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let session = 0..3usize;
    prop_oneof![
        (session.clone(), 0..6usize, proptest::option::of(1..=5u8))
            .prop_map(|(session, region, pressure)| Step::Pressure { session, region, pressure }),
        session.clone().prop_map(|session| Step::ExplainAll { session }),
        (session.clone(), proptest::bool::weighted(0.2))
            .prop_map(|(session, fever)| Step::Screen { session, fever }),
        session.clone().prop_map(|session| Step::Ready { session }),
        session.clone().prop_map(|session| Step::BackToPlanned { session }),
        session.clone().prop_map(|session| Step::Complete { session }),
        (session.clone(), 1..30u8).prop_map(|(session, hours)| Step::Postpone { session, hours }),
        session.clone().prop_map(|session| Step::Cancel { session }),
        session.clone().prop_map(|session| Step::EnteredInError { session }),
        session.clone().prop_map(|session| Step::StartAmending { session }),
        session.clone().prop_map(|session| Step::SaveAmendment { session }),
        Just(Step::CancelAmendment),
        (session, 1..6usize).prop_map(|(session, back)| Step::Undo { session, back }),
        (0..HealthFlag::ALL.len()).prop_map(|flag| Step::ToggleFlag { flag }),
        any::<bool>().prop_map(|on| Step::ClinicCap { on }),
        (1..2000u16).prop_map(|minutes| Step::Wait { minutes }),
    ]
}

const REGIONS: [RegionId; 6] = [
    RegionId::UpperTrapeziusL,
    RegionId::UpperTrapeziusR,
    RegionId::RhomboidsL,
    RegionId::ErectorSpinaeLumbarR,
    RegionId::GluteusMediusL,
    RegionId::LevatorScapulaeR,
];

fn clinic_rules(cap: bool) -> ClinicRules {
    let mut rules = ClinicRules::default();
    let mut flag = ClinicFlag::new("Varicose veins");
    flag.cap = Some(ClinicCap { max: Pressure::new(2).expect("2"), on: Where::Everywhere });
    rules.clinic_flags.push(flag);
    if cap {
        rules.built_in.entry(HealthFlag::BloodThinners).or_default().cap =
            Some(ClinicCap { max: Pressure::new(2).expect("2"), on: Where::Everywhere });
    }
    rules
}

struct World {
    _folder: tempfile::TempDir,
    workspace: Workspace,
    ids: Vec<knotmap::model::SessionId>,
    now: DateTime,
    /// Every plan each session was seen with, for undo to ask for again.
    seen: Vec<Vec<PlanContent>>,
}

fn world(flags: &[usize]) -> World {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut practice = Practice::open_or_create(folder.path()).expect("practice");
    let mut client = Client::new("Ruth Adler");
    for &flag in flags {
        client.health_flags.insert(HealthFlag::ALL[flag], FlagDetails::default());
    }
    practice.save_clinic_rules(&clinic_rules(false)).expect("rules");
    practice.save_client(&client).expect("client");
    let now = date(2026, 11, 23).at(8, 0, 0, 0);
    let mut ids = Vec::new();
    for (index, start) in
        [now, date(2026, 11, 23).at(15, 0, 0, 0), date(2026, 11, 29).at(9, 0, 0, 0)].into_iter().enumerate()
    {
        let mut session = Session::new(client.id.clone(), start, Minutes::new(60).expect("60"));
        session.id = knotmap::model::SessionId::new(format!("{}-s{index}", start.strftime("%Y-%m-%d-%H%M")))
            .expect("id");
        practice.save_session(&session).expect("session");
        ids.push(session.id);
    }
    let mut workspace = Workspace::new(practice);
    workspace.set_who("Mira Santos");
    assert!(workspace.open(&client.id));
    let seen = vec![Vec::new(); ids.len()];
    World { _folder: folder, workspace, ids, now, seen }
}

impl World {
    fn session(&self, index: usize) -> Session {
        self.workspace
            .open_client()
            .and_then(|open| open.session(&self.ids[index]))
            .cloned()
            .expect("session")
    }

    fn lifecycle(&mut self, index: usize, transition: Transition) {
        let edit = Edit::Lifecycle { session: self.ids[index].clone(), transition };
        let _refused_or_done = self.workspace.apply(edit, self.now);
    }

    fn take(&mut self, step: Step) {
        let now = self.now;
        let edit = match step {
            Step::Pressure { session, region, pressure } => {
                let mut copy = self.session(session);
                copy.region_mut(REGIONS[region]).pressure =
                    pressure.and_then(|p| Pressure::new(i64::from(p)).ok());
                Edit::plan_of(&copy)
            }
            Step::ExplainAll { session } => {
                let mut copy = self.session(session);
                for warning in self.report_of(&copy).warnings {
                    copy.overrides.push(SafetyOverride {
                        rule: warning.rule,
                        region: warning.region,
                        reason: "Discussed and agreed".to_owned(),
                        decided_at: now,
                        carried_from: None,
                    });
                }
                Edit::plan_of(&copy)
            }
            Step::Screen { session, fever } => {
                let client = self.workspace.open_client().expect("open").client().clone();
                let mut screening = Screening::new(now);
                for flag in client.health_flags.keys() {
                    screening.still_true.insert(*flag, true);
                }
                for key in client.clinic_flags.keys() {
                    screening.still_true_clinic.insert(key.clone(), true);
                }
                screening.acute_illness_today = Some(fever);
                Edit::Screening { session: self.ids[session].clone(), screening }
            }
            Step::Ready { session } => return self.lifecycle(session, Transition::MarkReady),
            Step::BackToPlanned { session } => return self.lifecycle(session, Transition::BackToPlanned),
            Step::Complete { session } => {
                let outcome =
                    Outcome { pain_before: None, pain_after: None, response: None, notes: String::new() };
                return self.lifecycle(session, Transition::Complete(outcome));
            }
            Step::Postpone { session, hours } => {
                let start = self.session(session).starts_at;
                let to = start.checked_add(jiff::Span::new().hours(i64::from(hours))).unwrap_or(start);
                return self.lifecycle(session, Transition::Postpone { to, reason: "Asked to".to_owned() });
            }
            Step::Cancel { session } => {
                return self.lifecycle(session, Transition::Cancel { reason: "Unwell".to_owned() });
            }
            Step::EnteredInError { session } => {
                return self.lifecycle(
                    session,
                    Transition::MarkEnteredInError { reason: "Wrong client".to_owned() },
                );
            }
            Step::StartAmending { session } => Edit::StartAmending(self.ids[session].clone()),
            Step::SaveAmendment { session } => {
                Edit::SaveAmendment { session: self.ids[session].clone(), reason: "Misrecorded".to_owned() }
            }
            Step::CancelAmendment => Edit::CancelAmendment,
            Step::Undo { session, back } => {
                let seen = &self.seen[session];
                let Some(content) = seen.len().checked_sub(back).and_then(|index| seen.get(index)).cloned()
                else {
                    return;
                };
                Edit::Plan { session: self.ids[session].clone(), content }
            }
            Step::ToggleFlag { flag } => {
                let mut client = self.workspace.open_client().expect("open").client().clone();
                let flag = HealthFlag::ALL[flag];
                if client.health_flags.remove(&flag).is_none() {
                    client.health_flags.insert(flag, FlagDetails::default());
                }
                if client.clinic_flags.remove("varicose_veins").is_none() && flag == HealthFlag::Pregnancy {
                    client.clinic_flags.insert("varicose_veins".to_owned(), FlagDetails::default());
                }
                Edit::Profile(client)
            }
            Step::ClinicCap { on } => {
                let _saved = self.workspace.save_clinic_rules(&clinic_rules(on), now).expect("rules saved");
                return;
            }
            Step::Wait { minutes } => {
                self.now = now.checked_add(jiff::Span::new().minutes(i64::from(minutes))).unwrap_or(now);
                return;
            }
        };
        let _refused_or_done = self.workspace.apply(edit, now);
    }

    fn report_of(&self, session: &Session) -> knotmap::safety::SafetyReport {
        let open = self.workspace.open_client().expect("open");
        let rules = SafetyRules::standard()
            .expect("rules")
            .with_clinic(self.workspace.practice().clinic_rules().clone());
        let previous = previous_session(open.sessions(), session);
        let report = rules.check_session(open.client(), session, previous);
        with_fever_of_the_day(report, session, open.sessions())
    }

    fn remember(&mut self) {
        for index in 0..self.ids.len() {
            let content = PlanContent::of(&self.session(index));
            self.seen[index].push(content);
        }
    }
}

fn record_of(session: &Session) -> (SessionRecord, usize) {
    (session.record(), session.amendments.len())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn no_sequence_of_edits_walks_past_the_lifecycle(
        flags in proptest::collection::vec(0..HealthFlag::ALL.len(), 0..3),
        steps in proptest::collection::vec(step(), 1..40),
    ) {
        let mut world = world(&flags);
        let mut completed: Vec<Option<(SessionRecord, usize, bool)>> = vec![None; world.ids.len()];
        for step in steps {
            world.remember();
            world.take(step.clone());
            for (index, kept) in completed.iter_mut().enumerate() {
                let session = world.session(index);
                let amending = world.workspace.amending() == Some(&session.id);
                match session.status {
                    SessionStatus::Ready => {
                        let verdict = passes_gate(&world.report_of(&session));
                        prop_assert!(verdict.is_ok(), "{step:?}: ready but {verdict:?}");
                        prop_assert!(session.judged_by.is_some());
                    }
                    SessionStatus::Completed => {
                        let verdict = passes_gate(&world.report_of(&session));
                        prop_assert!(verdict.is_ok(), "{step:?}: completed but {verdict:?}");
                        prop_assert!(session.starts_at <= world.now, "{step:?}: completed before it started");
                        prop_assert!(session.judged_by.is_some());
                    }
                    _ => {}
                }
                if let Some((record, amendments, entered_in_error)) = kept.as_ref() {
                    prop_assert_eq!(session.status, SessionStatus::Completed, "{:?}: left Completed", step);
                    let (now_record, now_amendments) = record_of(&session);
                    // A record changes only while it is amended, or by a saved amendment.
                    prop_assert!(
                        now_record == *record || amending || now_amendments > *amendments,
                        "{:?}: the record changed without an amendment", step
                    );
                    prop_assert!(
                        !entered_in_error || session.entered_in_error.is_some(),
                        "{:?}: entered in error taken back", step
                    );
                }
                if session.status == SessionStatus::Completed && !amending {
                    let (record, amendments) = record_of(&session);
                    *kept = Some((record, amendments, session.entered_in_error.is_some()));
                }
            }
        }
    }
}
