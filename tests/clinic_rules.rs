//! The clinic's own safety rules: each built-in rule tightened, a clinic flag of
//! each kind, a loosening refused, and the file's golden text.

use std::sync::Arc;

use knotmap::model::{
    Client, ClinicCap, ClinicFlag, ClinicRules, CoarseArea, FlagDetails, HealthFlag, Minutes, Pressure,
    RegionId, RegionWork, RuleChange, SafetyRule, Session, Tightening, Where,
};
use knotmap::safety::{SafetyReport, SafetyRules};
use knotmap::storage::{KeptFile, Practice, SAFETY_RULES_FILE, from_ron};

fn client_with(flag: HealthFlag) -> Client {
    let mut client = Client::new("Ana Souza");
    client.health_flags.insert(flag, FlagDetails::default());
    client
}

/// A planned session with `region` worked at `pressure`.
fn session_on(client: &Client, region: RegionId, pressure: u8) -> Session {
    let at = jiff::civil::date(2026, 12, 3).at(9, 0, 0, 0);
    let mut session = Session::new(client.id.clone(), at, Minutes::new(60).unwrap());
    let mut work = RegionWork::new(region);
    work.pressure = Pressure::new(i64::from(pressure)).ok();
    session.regions.push(work);
    session
}

fn check(rules: ClinicRules, client: &Client, session: &Session) -> SafetyReport {
    SafetyRules::standard().unwrap().with_clinic(Arc::new(rules)).check_session(client, session, None)
}

fn capped(flag: HealthFlag, max: Pressure) -> ClinicRules {
    let mut rules = ClinicRules::default();
    let cap = Some(ClinicCap { max, on: Where::Everywhere });
    rules.built_in.insert(flag, Tightening { cap, ..Tightening::default() });
    rules
}

fn cap_warnings(report: &SafetyReport) -> Vec<&str> {
    report
        .warnings
        .iter()
        .filter(|warning| warning.rule == SafetyRule::PressureCap)
        .map(|warning| warning.message.as_str())
        .collect()
}

#[test]
fn each_built_in_cap_tightened_by_one_step_warns_where_the_built_in_rule_did_not() {
    // A region off the spine and off the neck, where each of these flags caps at its highest.
    let region = RegionId::InfraspinatusL;
    for (flag, built_in) in [
        (HealthFlag::BloodClots, 3),
        (HealthFlag::BloodThinners, 3),
        (HealthFlag::Osteoporosis, 3),
        (HealthFlag::Pregnancy, 3),
        (HealthFlag::Cancer, 2),
        (HealthFlag::ReducedSensation, 3),
    ] {
        let client = client_with(flag);
        let session = session_on(&client, region, built_in);
        assert!(
            cap_warnings(&check(ClinicRules::default(), &client, &session)).is_empty(),
            "{flag:?}: built-in"
        );
        let tighter = Pressure::new(i64::from(built_in) - 1).unwrap();
        let report = check(capped(flag, tighter), &client, &session);
        let warnings = cap_warnings(&report);
        assert_eq!(warnings.len(), 1, "{flag:?}: {warnings:?}");
        assert!(
            warnings[0].contains("the clinic's rule"),
            "{flag:?} names the clinic's rule: {}",
            warnings[0]
        );
        assert_eq!(report.cap_on(region), tighter, "{flag:?}: the pressure control's cap");
    }
}

#[test]
fn flags_without_a_built_in_cap_take_a_clinic_cap_on_the_areas_it_names() {
    for flag in [
        HealthFlag::HighBloodPressure,
        HealthFlag::RecentSurgeryOrInjury,
        HealthFlag::FeverOrInfection,
        HealthFlag::SkinCondition,
    ] {
        let client = client_with(flag);
        let mut rules = capped(flag, Pressure::LIGHT);
        if let Some(tightening) = rules.built_in.get_mut(&flag) {
            let low_back = RegionId::QuadratusLumborumL.info().area;
            tightening.cap = Some(ClinicCap { max: Pressure::LIGHT, on: Where::Areas(vec![low_back]) });
        }
        let low_back = check(rules.clone(), &client, &session_on(&client, RegionId::QuadratusLumborumL, 3));
        assert_eq!(low_back.cap_on(RegionId::QuadratusLumborumL), Pressure::LIGHT, "{flag:?}");
        let shoulder = check(rules, &client, &session_on(&client, RegionId::InfraspinatusL, 4));
        assert!(cap_warnings(&shoulder).is_empty(), "{flag:?}: only on the low back");
    }
}

#[test]
fn no_neck_work_for_high_blood_pressure_and_a_reminder_with_it() {
    let client = client_with(HealthFlag::HighBloodPressure);
    let mut rules = ClinicRules::default();
    rules.built_in.insert(
        HealthFlag::HighBloodPressure,
        Tightening {
            avoid_areas: vec![CoarseArea::Neck],
            reminder: "Take the blood pressure before starting".to_owned(),
            ..Tightening::default()
        },
    );
    let report = check(rules, &client, &session_on(&client, RegionId::SuboccipitalsL, 2));
    let avoid: Vec<_> = report.warnings.iter().filter(|w| w.rule == SafetyRule::AvoidRegion).collect();
    assert_eq!(avoid.len(), 1);
    assert!(avoid[0].message.contains("the clinic's rule"), "{}", avoid[0].message);
    assert!(report.reminders.iter().any(|r| r.message.contains("Take the blood pressure before starting")));
}

fn clinic_flag(key_name: &str, change: impl FnOnce(&mut ClinicFlag)) -> (ClinicRules, Client) {
    let mut flag = ClinicFlag::new(key_name);
    change(&mut flag);
    let mut client = Client::new("Ben Okafor");
    client.clinic_flags.insert(flag.key.clone(), FlagDetails::default());
    (ClinicRules { clinic_flags: vec![flag], ..ClinicRules::default() }, client)
}

#[test]
fn a_clinic_flag_of_each_kind() {
    // A cap everywhere.
    let (rules, client) = clinic_flag("Varicose veins", |flag| {
        flag.cap = Some(ClinicCap { max: Pressure::LIGHT, on: Where::Everywhere })
    });
    let report = check(rules, &client, &session_on(&client, RegionId::InfraspinatusL, 3));
    assert_eq!(cap_warnings(&report).len(), 1);
    assert!(cap_warnings(&report)[0].contains("varicose veins (the clinic's rule)"));

    // A cap on named regions only.
    let (rules, client) = clinic_flag("Recent vaccination site", |flag| {
        flag.cap =
            Some(ClinicCap { max: Pressure::MIN, on: Where::Regions(vec![RegionId::PosteriorDeltoidL]) })
    });
    let report = check(rules.clone(), &client, &session_on(&client, RegionId::PosteriorDeltoidL, 2));
    assert_eq!(report.cap_on(RegionId::PosteriorDeltoidL), Pressure::MIN);
    assert!(
        cap_warnings(&check(rules, &client, &session_on(&client, RegionId::InfraspinatusL, 4))).is_empty()
    );

    // Regions to avoid, and a reminder.
    let (rules, client) = clinic_flag("Shingles", |flag| {
        flag.avoid_areas = vec![RegionId::RhomboidsL.info().area];
        flag.reminder = "Ask where the rash was".to_owned();
    });
    let report = check(rules, &client, &session_on(&client, RegionId::RhomboidsL, 2));
    assert!(
        report.avoid.contains_key(&RegionId::RhomboidsL)
            || report.warnings.iter().any(|w| w.rule == SafetyRule::AvoidRegion)
    );
    assert!(
        report.reminders.iter().any(|r| r.message == "Shingles (the clinic's rule): Ask where the rash was")
    );

    // A flag that stops the session, unless today's screening says it no longer holds.
    let (rules, client) = clinic_flag("Epilepsy, seizure this week", |flag| flag.blocks = true);
    let mut session = session_on(&client, RegionId::InfraspinatusL, 2);
    assert!(check(rules.clone(), &client, &session).is_blocked());
    let mut screening = knotmap::model::Screening::new(session.starts_at);
    screening.still_true_clinic.insert("epilepsy_seizure_this_week".to_owned(), false);
    screening.acute_illness_today = Some(false);
    session.screening = Some(screening);
    assert!(!check(rules, &client, &session).is_blocked(), "the screening has the last word for its day");
}

#[test]
fn a_clinic_rule_made_later_does_not_touch_a_completed_record() {
    let client = client_with(HealthFlag::BloodThinners);
    let mut record = session_on(&client, RegionId::InfraspinatusL, 3);
    record.status = knotmap::model::SessionStatus::Completed;
    assert!(
        cap_warnings(&check(capped(HealthFlag::BloodThinners, Pressure::LIGHT), &client, &record)).is_empty()
    );
}

#[test]
fn a_file_that_loosens_a_built_in_rule_is_reported_where_and_the_default_holds() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("practice");
    Practice::open_or_create(&root).unwrap();
    let text = "(\n    format: 2,\n    safety_rules: (\n        built_in: {\n            BloodThinners: (\n                cap: Some((max: 4, on: Everywhere)),\n            ),\n            Cancer: (\n                cap: Some((max: 1, on: Everywhere)),\n            ),\n        },\n    ),\n)\n";
    let path = root.join(SAFETY_RULES_FILE);
    std::fs::write(&path, text).unwrap();
    let practice = Practice::open(&root).unwrap();
    let problem = practice.problems().iter().find(|problem| problem.path == path).expect("reported");
    let said = problem.to_string();
    assert!(said.contains("safety_rules.ron:5:"), "{said}");
    assert!(said.contains("a clinic can only tighten"), "{said}");
    assert!(practice.read_only_reason(&path).is_some(), "no save drops what it says");
    // The loosening is left out; the tightening beside it stands.
    let rules = practice.clinic_rules();
    assert!(rules.tightening(HealthFlag::BloodThinners).is_none());
    assert!(rules.tightening(HealthFlag::Cancer).is_some());
    let client = client_with(HealthFlag::BloodThinners);
    let report = practice.safety_rules().unwrap().check_session(
        &client,
        &session_on(&client, RegionId::InfraspinatusL, 4),
        None,
    );
    assert_eq!(report.cap_on(RegionId::InfraspinatusL), Pressure::MEDIUM, "the built-in cap holds");
    assert!(knotmap::check::check_practice(&root).unwrap().problems.iter().any(|p| p.path == path));
}

const GOLDEN: &str = include_str!("golden/safety_rules.v4.ron");
/// The same rules as format 3 wrote them: read forever.
const GOLDEN_FORMAT_3: &str = include_str!("golden/safety_rules.v3.ron");
/// The same rules as format 2 wrote them: read forever.
const GOLDEN_FORMAT_2: &str = include_str!("golden/safety_rules.ron");

fn golden_rules() -> ClinicRules {
    let mut rules = ClinicRules::default();
    rules.built_in.insert(
        HealthFlag::BloodThinners,
        Tightening {
            cap: Some(ClinicCap { max: Pressure::LIGHT, on: Where::Everywhere }),
            ..Tightening::default()
        },
    );
    rules.built_in.insert(
        HealthFlag::HighBloodPressure,
        Tightening {
            avoid_areas: vec![CoarseArea::Neck],
            reminder: "Take the blood pressure before starting".to_owned(),
            ..Tightening::default()
        },
    );
    let mut veins = ClinicFlag::new("Varicose veins");
    veins.cap = Some(ClinicCap { max: Pressure::LIGHT, on: Where::Areas(vec![CoarseArea::LowerBack]) });
    veins.reminder = "Light strokes towards the heart".to_owned();
    rules.clinic_flags.push(veins);
    let mut epilepsy = ClinicFlag::new("Epilepsy, seizure this week");
    epilepsy.blocks = true;
    rules.clinic_flags.push(epilepsy);
    rules.changes.push(RuleChange {
        at: jiff::civil::date(2026, 11, 30).at(10, 4, 0, 0),
        by: "Alex Moreau".to_owned(),
        what: "Blood thinners / bleeding disorder: cap 2 everywhere; added the clinic flag Varicose veins"
            .to_owned(),
    });
    rules
}

#[test]
fn the_rules_file_is_written_and_read_as_its_golden_text() {
    assert_eq!(golden_rules().to_ron().unwrap(), GOLDEN);
    assert_eq!(from_ron::<ClinicRules>(GOLDEN).unwrap(), golden_rules());
    assert_eq!(from_ron::<ClinicRules>(GOLDEN_FORMAT_3).unwrap(), golden_rules());
    assert_eq!(from_ron::<ClinicRules>(GOLDEN_FORMAT_2).unwrap(), golden_rules());
}

#[test]
fn the_rules_saved_from_a_practice_are_read_back_and_reach_check() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("practice");
    let mut practice = Practice::open_or_create(&root).unwrap();
    practice.save_clinic_rules(&golden_rules()).unwrap();
    let client = client_with(HealthFlag::BloodThinners);
    practice.save_client(&client).unwrap();
    practice.save_session(&session_on(&client, RegionId::InfraspinatusL, 3)).unwrap();
    let reopened = Practice::open(&root).unwrap();
    assert_eq!(**reopened.clinic_rules(), golden_rules());
    let report = knotmap::check::check_practice(&root).unwrap();
    assert!(
        report.warnings.iter().any(|notice| notice.message.contains("the clinic's rule")),
        "{:?}",
        report.warnings
    );
}

/// The story of a typo in the clinic's rules file: the gate shuts, with the file
/// and line, the plan sheet is refused, and putting the good file back as it was
/// (an editor's undo) opens the gate again.
#[test]
fn an_unreadable_rules_file_shuts_the_gate_and_stops_plan_sheets_until_it_is_put_back() {
    use knotmap::model::{Screening, Transition};
    use knotmap::workspace::{Edit, Workspace};

    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("practice");
    let mut practice = Practice::open_or_create(&root).unwrap();
    practice.save_clinic_rules(&capped(HealthFlag::BloodThinners, Pressure::new(2).unwrap())).unwrap();
    let client = client_with(HealthFlag::BloodThinners);
    practice.save_client(&client).unwrap();
    // Pressure 2 passes the clinic's cap of 2; today's screening is answered.
    let mut session = session_on(&client, RegionId::InfraspinatusL, 2);
    let mut screening = Screening::new(session.starts_at);
    screening.still_true.insert(HealthFlag::BloodThinners, true);
    screening.acute_illness_today = Some(false);
    session.screening = Some(screening);
    practice.save_session(&session).unwrap();
    let rules_path = root.join(SAFETY_RULES_FILE);
    let good = std::fs::read_to_string(&rules_path).unwrap();
    let mut workspace = Workspace::new(Practice::open(&root).unwrap());
    assert!(workspace.open(&client.id));
    let now = session.starts_at;
    let mut changes = knotmap::storage::watch::Changes::default();
    changes.paths.insert(rules_path.clone());

    // A typo, saved from a text editor while the app is open.
    let typo = good.replacen("Everywhere", "Everywher", 1);
    std::fs::write(&rules_path, &typo).unwrap();
    let typo_line = typo.lines().position(|line| line.contains("Everywher")).unwrap() + 1;
    workspace.take_disk_changes(&changes, now);
    let report = &workspace.derived().unwrap().report;
    let missing = report.rules_missing.as_deref().expect("the report says the rules were not checked");
    assert!(missing.contains(&format!("{}:{typo_line}:", rules_path.display())), "file and line: {missing}");
    let ready = Edit::Lifecycle { session: session.id.clone(), transition: Transition::MarkReady };
    let refused = workspace.apply(ready.clone(), now);
    assert!(
        matches!(&refused, Err(knotmap::model::Refusal::Gate(gate)) if gate.is_blocked()),
        "Mark ready is refused while the rules cannot be read: {refused:?}"
    );

    let session_path = root.join(format!("clients/{}/sessions/{}.ron", client.id, session.id));
    let printed = std::process::Command::new(env!("CARGO_BIN_EXE_knotmap"))
        .args(["print", "plan"])
        .arg(&session_path)
        .arg("-o")
        .arg(folder.path().join("sheet.pdf"))
        .output()
        .unwrap();
    assert_eq!(printed.status.code(), Some(1), "{}", String::from_utf8_lossy(&printed.stderr));
    let said = String::from_utf8_lossy(&printed.stderr);
    assert!(said.contains("safety rules cannot be read") && said.contains(SAFETY_RULES_FILE), "{said}");
    assert!(!folder.path().join("sheet.pdf").exists(), "no sheet without its warnings");

    // Put back as it was (the editor's undo): the same bytes the practice knew before the typo.
    std::fs::write(&rules_path, &good).unwrap();
    workspace.take_disk_changes(&changes, now);
    assert_eq!(workspace.derived().unwrap().report.rules_missing, None);
    assert_eq!(workspace.apply(ready, now).map(|_| ()), Ok(()), "the gate is open again");
    assert_eq!(std::fs::read_to_string(&rules_path).unwrap(), good, "the rules file was never written");
}

#[test]
fn caps_shared_between_sessions_never_carry_over_to_other_flags_or_other_rules() {
    // Checked one after another on one thread, as `check` does a practice: each
    // report's caps are those its own client and rules give, worked out afresh.
    let thinned = client_with(HealthFlag::BloodThinners);
    let plain = Client::new("Ben Okafor");
    let session = session_on(&thinned, RegionId::UpperTrapeziusL, 5);
    let standard = SafetyRules::standard().unwrap();
    let stricter = standard.with_clinic(Arc::new(capped(HealthFlag::BloodThinners, Pressure::LIGHT)));
    let same_again = standard.with_clinic(Arc::new(capped(HealthFlag::BloodThinners, Pressure::LIGHT)));
    for (rules, client) in [
        (standard, &thinned),
        (standard, &thinned),
        (standard, &plain),
        (&stricter, &thinned),
        (&same_again, &thinned),
        (standard, &thinned),
        (&stricter, &plain),
    ] {
        let report = rules.check_session(client, &session, None);
        assert_eq!(*report.caps, rules.caps(client), "{} under {:?}", client.display_name(), rules.clinic());
    }
    let strict = stricter.check_session(&thinned, &session, None);
    assert_eq!(strict.cap_on(RegionId::UpperTrapeziusL), Pressure::LIGHT);
    let plain_caps = standard.check_session(&plain, &session, None);
    assert!(plain_caps.cap_on(RegionId::UpperTrapeziusL) > Pressure::LIGHT);
}
