//! Stories of a record a therapist, or a board reviewing a complaint, can trust:
//! the safety gate before a session is marked ready or completed, postponing and
//! cancelling, records that are never trashed, and what a new session carries
//! over from the last one. Through the real app, on a real practice folder.

use std::path::Path;

use crate::stories;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use knotmap::model::{
    Client, FindingKind, HealthFlag, Minutes, Outcome, Pain, Pressure, RegionId, SafetyOverride, SafetyRule,
    Session, SessionStatus, Technique, Tension,
};
use knotmap::storage::Practice;
use knotmap::ui::widgets::file_dialog::ScriptedDialogs;
use stories::{
    App, click_button, is_disabled, let_it_save, open_client, practice_with, select_region, type_into,
};

/// A session planned for today at 09:00, whose screening the client answered (no fever).
fn planned_today(client: &Client) -> Session {
    let mut session = at(client, 23, SessionStatus::Planned);
    let mut screening = knotmap::model::Screening::new(session.starts_at);
    for flag in client.health_flags.keys() {
        screening.still_true.insert(*flag, true);
    }
    screening.acute_illness_today = Some(false);
    session.screening = Some(screening);
    session
}

fn at(client: &Client, day: i8, status: SessionStatus) -> Session {
    let start = jiff::civil::date(2026, 11, day).at(9, 0, 0, 0);
    let mut session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
    session.status = status;
    session
}

fn app_on(root: &Path) -> App {
    stories::app_on(root, std::sync::Arc::new(ScriptedDialogs::default()))
}

fn read_back(root: &Path, session: &Session) -> Session {
    let mut practice = Practice::open(root).expect("practice");
    practice.read_session(&session.client, &session.id).expect("session reads")
}

fn fever_today(client: &Client) -> Vec<Session> {
    let mut session = planned_today(client);
    let mut screening = knotmap::model::Screening::new(session.starts_at);
    screening.acute_illness_today = Some(true);
    session.screening = Some(screening);
    vec![session]
}

#[test]
fn a_session_with_fever_cannot_be_completed_only_postponed_or_cancelled() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, sessions) = practice_with(folder.path(), "Sam Ortiz", &[], fever_today);
    let mut harness = app_on(&root);
    open_client(&mut harness, "Sam Ortiz");

    stories::open_tab(&mut harness, "Safety");
    assert!(harness.query_by_label_contains("Stop: The client reports a fever").is_some());
    assert!(harness.query_by_label_contains("No reason can explain this away").is_some());
    assert!(harness.query_by_role_and_label(Role::Button, "Explain… the session").is_none());

    stories::open_tab(&mut harness, "Session");
    assert!(is_disabled(&harness, "Mark ready"));
    assert!(is_disabled(&harness, "Complete session…"));
    click_button(&mut harness, "Complete session…");
    let_it_save(&mut harness);
    assert_eq!(read_back(&root, &sessions[0]).status, SessionStatus::Planned, "nothing completed it");

    click_button(&mut harness, "Postpone…");
    click_button(&mut harness, "In a week");
    type_into(&mut harness, "Reason", "Fever today");
    click_button(&mut harness, "Postpone to Mon 30 Nov 09:00");
    let_it_save(&mut harness);

    let postponed = read_back(&root, &sessions[0]);
    assert_eq!(postponed.starts_at, jiff::civil::date(2026, 11, 30).at(9, 0, 0, 0));
    assert_eq!(postponed.status, SessionStatus::Planned);
    let moved = postponed.postponements.first().expect("the postponement is on record");
    assert_eq!(moved.from, sessions[0].starts_at);
    assert_eq!(moved.reason, "Fever today");
    assert!(moved.screening.as_ref().is_some_and(|s| s.acute_illness_today == Some(true)));
    assert!(postponed.screening.is_none(), "the new day asks the screening again");
}

#[test]
fn a_fever_session_is_cancelled_with_its_reason_and_the_record_says_so() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, sessions) = practice_with(folder.path(), "Sam Ortiz", &[], fever_today);
    let mut harness = app_on(&root);
    open_client(&mut harness, "Sam Ortiz");
    stories::open_tab(&mut harness, "Session");
    click_button(&mut harness, "Cancel session…");
    type_into(&mut harness, "Reason", "Flu; will call to rebook");
    click_button(&mut harness, "Cancel the session");
    let_it_save(&mut harness);

    let cancelled = read_back(&root, &sessions[0]);
    assert_eq!(cancelled.status, SessionStatus::Cancelled);
    assert_eq!(cancelled.cancellation.map(|c| c.reason).as_deref(), Some("Flu; will call to rebook"));
    assert!(harness.query_by_label_contains("·  cancelled").is_some(), "the session list says so");
}

#[test]
fn unexplained_warnings_keep_a_session_from_ready_and_complete_until_each_has_a_reason() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, sessions) =
        practice_with(folder.path(), "Ruth Adler", &[HealthFlag::BloodThinners], |client| {
            vec![planned_today(client)]
        });
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ruth Adler");
    select_region(&mut harness, "Upper trapezius, client's right");
    click_button(&mut harness, "Pressure 5 deep");

    stories::open_tab(&mut harness, "Session");
    assert!(is_disabled(&harness, "Mark ready"));
    assert!(is_disabled(&harness, "Complete session…"));
    assert!(harness.query_by_label_contains("Not yet: fix these in the plan").is_some());

    stories::open_tab(&mut harness, "Safety");
    click_button(&mut harness, "Explain… Upper trapezius, client's right");
    type_into(&mut harness, "Reason for going ahead", "Client's preference; no bruising in 2 years");
    click_button(&mut harness, "Keep this reason");
    stories::open_tab(&mut harness, "Session");
    click_button(&mut harness, "Mark ready");
    let_it_save(&mut harness);
    let ready = read_back(&root, &sessions[0]);
    assert_eq!(ready.status, SessionStatus::Ready);
    assert_eq!(ready.overrides[0].reason, "Client's preference; no bruising in 2 years");
}

fn completed_on(client: &Client, day: i8) -> Session {
    let mut session = at(client, day, SessionStatus::Completed);
    session.outcome = Some(Outcome {
        pain_before: Pain::new(6).ok(),
        pain_after: Pain::new(3).ok(),
        response: None,
        notes: String::new(),
    });
    session
}

#[test]
fn a_completed_session_cannot_be_trashed_only_marked_entered_in_error() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, sessions) =
        practice_with(folder.path(), "Ivy Chen", &[], |client| vec![completed_on(client, 16)]);
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ivy Chen");
    stories::open_tab(&mut harness, "Session");
    assert!(harness.query_by_role_and_label(Role::Button, "Move session to trash").is_none());

    // Nor by any other way in: the practice itself refuses.
    let mut practice = Practice::open(&root).expect("practice");
    let refused = practice.trash_session(&sessions[0].client, &sessions[0].id);
    assert!(refused.is_err_and(|error| error.to_string().contains("entered in error")));

    click_button(&mut harness, "Mark entered in error…");
    type_into(&mut harness, "Reason", "Recorded under the wrong client");
    click_button(&mut harness, "Mark entered in error");
    let_it_save(&mut harness);

    let kept = read_back(&root, &sessions[0]);
    assert_eq!(kept.status, SessionStatus::Completed);
    assert_eq!(kept.outcome, sessions[0].outcome, "the record is kept as it was");
    assert_eq!(kept.entered_in_error.map(|e| e.reason).as_deref(), Some("Recorded under the wrong client"));
    assert!(harness.query_by_label_contains("·  entered in error").is_some(), "listed, struck through");
}

#[test]
fn trashing_a_planned_session_asks_first_and_keeps_it_when_told_to() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, sessions) =
        practice_with(folder.path(), "Leo Park", &[], |client| vec![planned_today(client)]);
    let mut harness = app_on(&root);
    open_client(&mut harness, "Leo Park");
    stories::open_tab(&mut harness, "Session");
    click_button(&mut harness, "Move session to trash");
    assert!(harness.query_by_label_contains("The planned session of Mon 23 Nov 2026, 09:00 moves").is_some());
    click_button(&mut harness, "Keep it");
    assert!(
        Practice::open(&root).expect("practice").session_path(&sessions[0].client, &sessions[0].id).exists()
    );

    click_button(&mut harness, "Move session to trash");
    click_button(&mut harness, "Move to trash");
    let mut practice = Practice::open(&root).expect("practice");
    assert!(!practice.session_path(&sessions[0].client, &sessions[0].id).exists());
    assert_eq!(practice.trash().len(), 1, "it is in the trash, restorable");
    // The trash says whose it is, by name.
    harness.get_all_by_label("File").next().expect("the File menu").click();
    harness.run();
    click_button(&mut harness, "Trash…");
    let line = format!("Session of Leo Park ({})", sessions[0].id);
    assert!(harness.query_by_label_contains(&line).is_some(), "{line}");
}

#[test]
fn trashing_a_client_says_how_many_records_move_with_them() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, client, _) = practice_with(folder.path(), "Noor Haddad", &[], |client| {
        vec![completed_on(client, 9), completed_on(client, 16), planned_today(client)]
    });
    let mut harness = app_on(&root);
    open_client(&mut harness, "Noor Haddad");
    click_button(&mut harness, "Move client to trash");
    assert!(harness.query_by_label_contains("profile and all 3 of their sessions move").is_some());
    assert!(harness.query_by_label_contains("2 completed records: they stay in the trash").is_some());
    click_button(&mut harness, "Keep it");
    assert!(Practice::open(&root).expect("practice").client(&client.id).is_some());
}

#[test]
fn new_session_from_last_copies_the_plan_of_the_last_completed_session_not_its_pain() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, _) = practice_with(folder.path(), "Ana Lima", &[HealthFlag::BloodClots], |client| {
        let mut last = completed_on(client, 16);
        last.goals = "Turn my head without pulling".to_owned();
        let work = last.region_mut(RegionId::UpperTrapeziusL);
        work.tension = Tension::new(2).ok();
        work.pain = Pain::new(6).ok();
        work.findings.push(FindingKind::TriggerPoint);
        work.pressure = Some(Pressure::MEDIUM);
        work.techniques.push(Technique::Stripping);
        work.minutes = Minutes::new(15).ok();
        last.overrides.push(SafetyOverride {
            rule: SafetyRule::MedicalClearance,
            region: None,
            reason: "Dr Lee, GP, cleared massage on 10 Nov".to_owned(),
            decided_at: last.starts_at,
            carried_from: None,
        });
        // Planned for later, with another plan: it has not happened, so it is not the one copied.
        let mut later = at(client, 30, SessionStatus::Planned);
        later.goals = "Something else".to_owned();
        later.region_mut(RegionId::Sacrum).pressure = Some(Pressure::DEEP);
        vec![last, later]
    });
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ana Lima");
    harness.get_by_label("File").click();
    harness.run();
    click_button(&mut harness, "New session from last");
    let_it_save(&mut harness);

    let mut practice = Practice::open(&root).expect("practice");
    let client = practice.clients().next().expect("client").client.id.clone();
    let sessions = practice.read_sessions(&client);
    let new = sessions
        .iter()
        .find(|session| session.starts_at == jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0))
        .expect("the new session, planned now");
    assert_eq!(new.goals, "Turn my head without pulling");
    let [work] = new.regions.as_slice() else { panic!("one region: {:?}", new.regions) };
    assert_eq!(work.region, RegionId::UpperTrapeziusL);
    assert_eq!((work.pressure, work.minutes), (Some(Pressure::MEDIUM), Minutes::new(15).ok()));
    assert_eq!(work.techniques, [Technique::Stripping]);
    assert_eq!((work.tension, work.pain), (None, None), "today's tension and pain are felt afresh");
    assert!(work.findings.is_empty());
    assert!(new.overrides.is_empty(), "reasons are offered, never copied silently");

    select_region(&mut harness, "Upper trapezius, client's left");
    assert!(harness.query_by_label("last: tension 2, pain 6, trigger point (16 Nov)").is_some());

    stories::open_tab(&mut harness, "Safety");
    click_button(&mut harness, "Carry last reason forward for the session");
    let_it_save(&mut harness);
    let carried = read_back(&root, new);
    let clearance = carried.overrides.first().expect("the carried reason");
    assert_eq!(clearance.reason, "Dr Lee, GP, cleared massage on 10 Nov");
    assert_eq!(clearance.carried_from, Some(jiff::civil::date(2026, 11, 16)));
    assert!(harness.query_by_label_contains("carried from 16 Nov").is_some());
}
