//! A single plan shared as a .ron file anywhere on disk, told as the user's
//! stories: a saved plan opens exactly as it was; a plan from a newer Knotmap
//! opens read-only and is never overwritten; a broken plan file says where it
//! is broken; a file that is not a plan is never replaced by one; and importing a
//! plan gives the client a new planned session of their own.

use std::fs;

use jiff::civil::{DateTime, date};
use knotmap::model::*;
use knotmap::storage::*;
use tempfile::TempDir;

fn exported_at() -> DateTime {
    date(2026, 11, 16).at(18, 5, 0, 0)
}

/// Ana's second session at Harbour Street: a plan with work on two regions, a
/// mark, an override and a note for the next visit.
fn ana_plan() -> PlanFile {
    let client = ClientId::new("ana-lima-k3f9q").unwrap();
    let mut session = Session::new(client, date(2026, 11, 16).at(9, 30, 0, 0), Minutes::new(60).unwrap());
    session.id = SessionId::new("2026-11-16-0930-r7n3w").unwrap();
    session.therapist = "Mira Santos".to_owned();
    session.goals = "Keep the left side loose; sleeping better now.".to_owned();
    let trapezius = session.region_mut(RegionId::UpperTrapeziusL);
    trapezius.tension = Some(Tension::new(2).unwrap());
    trapezius.pressure = Some(Pressure::FIRM);
    trapezius.techniques = vec![Technique::Stripping, Technique::Clinic("Hot stone".to_owned())];
    trapezius.minutes = Some(Minutes::new(20).unwrap());
    let levator = session.region_mut(RegionId::LevatorScapulaeL);
    levator.findings = vec![FindingKind::TriggerPoint];
    levator.notes = "Refers to the back of the head.".to_owned();
    session.marks.push(MapMark {
        at: MapPoint::new(0.41, 0.22).unwrap(),
        kind: FindingKind::TriggerPoint,
        note: "Tender on the left".to_owned(),
    });
    session.aftercare = vec!["Drink plenty of water today.".to_owned(), "Gentle heat tonight.".to_owned()];
    session.next_visit = Some(date(2026, 11, 23));
    session.overrides.push(SafetyOverride {
        rule: SafetyRule::PressureRise,
        region: Some(RegionId::UpperTrapeziusL),
        reason: "Asked for firmer work; tolerated well last time".to_owned(),
        decided_at: date(2026, 11, 16).at(9, 35, 0, 0),
        carried_from: None,
    });
    PlanFile::new("Ana Lima", session, exported_at())
}

/// A plan file from a newer Knotmap: the next format, with a field this version does not know.
fn newer_plan_text() -> String {
    let text = fs_text_of(&ana_plan());
    let (now, next) = (knotmap::storage::CURRENT_FORMAT, knotmap::storage::CURRENT_FORMAT + 1);
    text.replacen(&format!("format: {now},"), &format!("format: {next},"), 1).replacen(
        "plan: (",
        "plan: (\n        shared_by: \"Mira\",",
        1,
    )
}

fn fs_text_of(plan: &PlanFile) -> String {
    plan.to_ron().unwrap()
}

fn folder() -> TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn a_saved_plan_opens_exactly_as_it_was() {
    let folder = folder();
    let path = folder.path().join("Ana Lima 2026-11-16.ron");
    let plan = ana_plan();

    save_plan_file(&path, &plan).unwrap();
    let opened = open_plan_file(&path).unwrap();

    assert_eq!(opened.plan, plan);
    assert_eq!(opened.read_only, None);
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with(&format!(
            "(\n    format: {},\n    plan: (\n        client_name: \"Ana Lima\",\n",
            knotmap::storage::CURRENT_FORMAT
        )),
        "{text}"
    );
}

#[test]
fn a_plan_can_be_saved_again_over_itself() {
    let folder = folder();
    let path = folder.path().join("plan.ron");
    let mut plan = ana_plan();
    save_plan_file(&path, &plan).unwrap();

    plan.session.goals = "Ease the left shoulder before the marathon.".to_owned();
    save_plan_file(&path, &plan).unwrap();

    assert_eq!(open_plan_file(&path).unwrap().plan, plan);
}

#[test]
fn the_suggested_file_name_is_the_client_and_the_date() {
    assert_eq!(ana_plan().suggested_file_name(), "Ana Lima 2026-11-16.knotmap-plan.ron");
    let mut nameless = ana_plan();
    nameless.client_name = " / ".to_owned();
    assert_eq!(nameless.suggested_file_name(), "Plan 2026-11-16.knotmap-plan.ron");
}

#[test]
fn a_plan_from_a_newer_knotmap_opens_read_only_and_is_never_overwritten() {
    let folder = folder();
    let path = folder.path().join("from-the-future.ron");
    let newer = newer_plan_text();
    fs::write(&path, &newer).unwrap();

    let opened = open_plan_file(&path).unwrap();
    assert_eq!(opened.plan, ana_plan(), "what this version knows of it is shown");
    let why = opened.read_only.expect("a newer plan is read-only");
    let next = knotmap::storage::CURRENT_FORMAT + 1;
    assert!(why.contains(&format!("newer version of Knotmap (format {next}")), "{why}");

    let error = save_plan_file(&path, &opened.plan).unwrap_err();
    assert!(matches!(error, PlanFileError::NewerFormat { version, .. } if version == next), "{error:?}");
    assert!(error.to_string().contains("was not overwritten"), "{error}");
    assert_eq!(fs::read_to_string(&path).unwrap(), newer, "the file is unchanged");
}

#[test]
fn a_broken_plan_file_says_which_line_and_column() {
    let folder = folder();
    let path = folder.path().join("broken.ron");
    let text = fs_text_of(&ana_plan()).replacen("minutes: 60,", "minutes: sixty,", 1);
    let line = text.lines().position(|line| line.contains("minutes: sixty")).unwrap() + 1;
    fs::write(&path, &text).unwrap();

    let problem = open_plan_file(&path).unwrap_err();

    let position = problem.position.expect("the place of the mistake");
    assert_eq!(position.line, line);
    let shown = problem.to_string();
    let expected_start = format!("{}:{line}:{}: ", path.display(), position.column);
    assert!(shown.starts_with(&expected_start), "{shown}");
    assert!(shown.contains("cannot read this plan"), "{shown}");
    assert_eq!(fs::read_to_string(&path).unwrap(), text, "the broken file is left as it was");
}

#[test]
fn a_plan_is_never_saved_over_a_file_that_is_not_a_plan() {
    let folder = folder();
    let plan = ana_plan();

    // Some other RON file, a Knotmap file of another kind, and plain text.
    let other_ron = "(window: (width: 800, height: 600), theme: Dark)\n";
    let session_file =
        format!("(\n    format: 1,\n    session: {},\n)\n", ron::to_string(&plan.session).unwrap());
    let notes = "Ana: call back on Tuesday.\n";
    for (name, text) in
        [("settings.ron", other_ron), ("session.ron", session_file.as_str()), ("notes.ron", notes)]
    {
        let path = folder.path().join(name);
        fs::write(&path, text).unwrap();

        let error = save_plan_file(&path, &plan).unwrap_err();

        assert!(matches!(error, PlanFileError::NotAPlan { .. }), "{name}: {error:?}");
        let message = error.to_string();
        assert!(
            message.contains("is not a Knotmap plan") && message.contains("not overwritten"),
            "{message}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), text, "{name} is unchanged");
    }

    let error = save_plan_file(folder.path(), &plan).unwrap_err();
    assert!(matches!(error, PlanFileError::NotAPlan { .. }), "a folder: {error:?}");
}

#[test]
fn an_empty_file_can_be_replaced_by_a_plan() {
    let folder = folder();
    let path = folder.path().join("new.ron");
    fs::write(&path, "").unwrap();
    save_plan_file(&path, &ana_plan()).unwrap();
    assert_eq!(open_plan_file(&path).unwrap().plan, ana_plan());
}

#[cfg(unix)]
#[test]
fn a_plan_is_never_saved_through_a_link() {
    let folder = folder();
    let target = folder.path().join("target.ron");
    save_plan_file(&target, &ana_plan()).unwrap();
    let link = folder.path().join("link.ron");
    std::os::unix::fs::symlink(&target, &link).unwrap();

    let error = save_plan_file(&link, &ana_plan()).unwrap_err();
    assert!(matches!(error, PlanFileError::Link { .. }), "{error:?}");
}

#[test]
fn importing_a_plan_gives_the_client_a_new_planned_session_on_disk() {
    let folder = folder();
    let mut practice = Practice::open_or_create(&folder.path().join("practice")).unwrap();
    let zoe = Client::new("Zoe Martin");
    practice.save_client(&zoe).unwrap();
    let plan = ana_plan();
    let now = date(2026, 12, 1).at(10, 0, 0, 0);

    let session = practice.import_plan(&zoe.id, &plan, now).unwrap();

    assert_eq!(session.client, zoe.id);
    assert_ne!(session.id, plan.session.id);
    assert!(session.id.as_str().starts_with("2026-12-01-1000-"), "{}", session.id);
    assert_eq!(session.starts_at, now);
    assert_eq!(session.status, SessionStatus::Planned);
    assert_eq!(session.goals, plan.session.goals);
    assert_eq!(session.regions, plan.session.regions);
    assert_eq!(session.marks, plan.session.marks);
    assert_eq!(session.aftercare, plan.session.aftercare);
    assert_eq!(session.minutes, plan.session.minutes);
    assert_eq!(session.outcome, None);
    assert!(session.overrides.is_empty() && session.amendments.is_empty());

    // On disk, in Zoe's folder, and read back by a practice opened afresh.
    let path = practice.session_path(&zoe.id, &session.id);
    assert!(path.is_file(), "{}", path.display());
    let mut reopened = Practice::open(practice.root()).unwrap();
    assert_eq!(reopened.client(&zoe.id).unwrap().sessions, vec![session.id.clone()]);
    let read = reopened.read_session(&zoe.id, &session.id).unwrap();
    assert_eq!(read.regions, plan.session.regions);
    assert_eq!(read, session);
}

#[test]
fn a_plan_cannot_be_imported_for_a_client_the_practice_does_not_have() {
    let folder = folder();
    let mut practice = Practice::open_or_create(folder.path()).unwrap();
    let stranger = ClientId::new("nobody-x2x2x").unwrap();

    let error = practice.import_plan(&stranger, &ana_plan(), exported_at()).unwrap_err();

    assert!(matches!(error, SaveError::Invalid { .. }), "{error:?}");
    assert!(!practice.client_folder(&stranger).exists());
}

/// A plan file of format 1 exactly as this version writes it. Files of every
/// format version are read forever: when the format changes, keep this one.
const GOLDEN_V1: &str = r#"(
    format: 1,
    plan: (
        client_name: "Ana Lima",
        exported_at: "2026-11-16T18:05:00",
        session: (
            id: "2026-11-16-0930-r7n3w",
            client: "ana-lima-k3f9q",
            starts_at: "2026-11-16T09:30:00",
            therapist: "Mira Santos",
            minutes: 60,
            status: Planned,
            goals: "Keep the left side loose; sleeping better now.",
            regions: [
                (
                    region: upper_trapezius_l,
                    tension: Some(2),
                    pain: None,
                    findings: [],
                    pressure: Some(4),
                    techniques: [
                        Stripping,
                        Clinic("Hot stone"),
                    ],
                    minutes: Some(20),
                    notes: "",
                ),
            ],
            marks: [],
            aftercare: [
                "Drink plenty of water today.",
            ],
            next_visit: None,
            outcome: None,
            overrides: [],
            amendments: [],
        ),
    ),
)
"#;

#[test]
fn a_plan_file_of_format_1_still_opens() {
    let folder = folder();
    let path = folder.path().join("golden.ron");
    fs::write(&path, GOLDEN_V1).unwrap();

    let plan = open_plan_file(&path).unwrap().plan;

    assert_eq!(plan.client_name, "Ana Lima");
    assert_eq!(plan.exported_at, exported_at());
    assert_eq!(plan.session.id.as_str(), "2026-11-16-0930-r7n3w");
    let work = plan.session.region(RegionId::UpperTrapeziusL).unwrap();
    assert_eq!(work.pressure, Some(Pressure::FIRM));
    assert_eq!(from_ron::<PlanFile>(&plan.to_ron().unwrap()).unwrap(), plan, "and is written back the same");
}
