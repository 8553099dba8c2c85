//! Stories of the session's lifecycle below the screens: whatever button, key
//! or edit asks, a session becomes ready or completed only on its day, after
//! that day's screening, through the safety gate; a ready plan made unsafe is
//! planned again; an amendment passes the gate too; a record is judged by what
//! was known on its day; and whoever marks a record entered in error signs it.
//! Through the real app on a real practice folder, and through the workspace
//! the app applies its edits with.

use std::path::Path;

use crate::stories;

use egui_kittest::kittest::Queryable;
use knotmap::model::{
    Client, ClinicRules, HealthFlag, JudgedBy, Minutes, Outcome, Pain, Pressure, Refusal, RegionId, Response,
    Screening, Session, SessionStatus, Transition,
};
use knotmap::storage::Practice;
use knotmap::workspace::{Edit, Workspace};
use stories::{
    App, click_button, is_disabled, let_it_save, open_client, practice_with, select_region, type_into,
};

/// The app's clock says Monday 23 November 2026, 09:30.
fn today_at(hour: i8, minute: i8) -> jiff::civil::DateTime {
    jiff::civil::date(2026, 11, 23).at(hour, minute, 0, 0)
}

fn session_at(client: &Client, start: jiff::civil::DateTime) -> Session {
    let mut session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
    session.therapist = "Sam Okafor".to_owned();
    session
}

/// That day's screening, every question answered: the flags still hold, and no fever.
fn answered_for(client: &Client, asked_at: jiff::civil::DateTime, fever: bool) -> Screening {
    let mut screening = Screening::new(asked_at);
    for flag in client.health_flags.keys() {
        screening.still_true.insert(*flag, true);
    }
    screening.acute_illness_today = Some(fever);
    screening
}

/// A session of today at 09:00, screened at 09:00.
fn screened_today(client: &Client) -> Session {
    let mut session = session_at(client, today_at(9, 0));
    session.screening = Some(answered_for(client, today_at(9, 0), false));
    session
}

/// A record completed today at 09:00 through the lifecycle: it keeps what it was judged by.
fn completed_today(client: &Client) -> Session {
    let mut session = screened_today(client);
    session.region_mut(RegionId::UpperTrapeziusR).pressure = Some(Pressure::MEDIUM);
    // The client signed their consent for it on the laptop.
    let signature = knotmap::model::Signature {
        name: client.name.clone(),
        signed_at: today_at(8, 55),
        strokes: vec![vec![(100, 600), (300, 400), (500, 600)]],
    };
    let sign = knotmap::model::consent::ConsentChange::Sign { client: signature, therapist: None };
    knotmap::model::consent::change_consent(
        &mut session,
        sign,
        String::new(),
        "Mira Santos",
        today_at(8, 55),
    )
    .expect("a plan takes a consent");
    session.status = SessionStatus::Completed;
    session.outcome = Some(Outcome {
        pain_before: Pain::new(6).ok(),
        pain_after: Pain::new(3).ok(),
        response: Some(Response::Better),
        notes: String::new(),
    });
    session.judged_by = Some(JudgedBy::of(client, &ClinicRules::default(), None, today_at(9, 0)));
    session
}

fn app_on(root: &Path) -> App {
    stories::app_signed_by(root, "Mira Santos")
}

fn read_back(root: &Path, session: &Session) -> Session {
    let mut practice = Practice::open(root).expect("practice");
    practice.read_session(&session.client, &session.id).expect("session reads")
}

#[test]
fn a_ready_plan_made_unsafe_goes_back_to_planned_and_says_why() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, sessions) =
        practice_with(folder.path(), "Ruth Adler", &[HealthFlag::BloodThinners], |client| {
            vec![screened_today(client)]
        });
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ruth Adler");
    stories::open_tab(&mut harness, "Session");
    click_button(&mut harness, "Mark ready");
    let_it_save(&mut harness);
    let ready = read_back(&root, &sessions[0]);
    assert_eq!(ready.status, SessionStatus::Ready);
    let judged = ready.judged_by.expect("a ready session keeps what it was judged by");
    assert!(judged.health_flags.contains_key(&HealthFlag::BloodThinners));

    // Pressure 5 on a client on blood thinners, whose cap is 3.
    select_region(&mut harness, "Upper trapezius, client's right");
    click_button(&mut harness, "Pressure 5 deep");
    let_it_save(&mut harness);

    assert_eq!(read_back(&root, &sessions[0]).status, SessionStatus::Planned, "the file is planned again");
    assert!(
        harness.query_by_label_contains("planned again, no longer ready").is_some(),
        "and the user is told"
    );
    stories::open_tab(&mut harness, "Session");
    assert!(harness.query_by_label("Planned: not checked yet.").is_some());
    assert!(harness.query_by_label_contains("Ready to start").is_none());
    assert!(is_disabled(&harness, "Mark ready"));
}

#[test]
fn a_fever_answered_today_blocks_a_session_postponed_to_later_the_same_day_and_every_other_today() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, client, sessions) = practice_with(folder.path(), "Ruth Adler", &[], |client| {
        let mut morning = session_at(client, today_at(9, 0));
        morning.screening = Some(answered_for(client, today_at(9, 0), true));
        let mut afternoon = session_at(client, today_at(15, 0));
        afternoon.screening = Some(answered_for(client, today_at(14, 55), false));
        vec![morning, afternoon]
    });
    let mut workspace = Workspace::new(Practice::open(&root).expect("practice"));
    assert!(workspace.open(&client.id));
    let now = today_at(9, 30);
    let postpone = Transition::Postpone { to: today_at(21, 0), reason: "Feels better by tonight".to_owned() };
    workspace
        .apply(Edit::Lifecycle { session: sessions[0].id.clone(), transition: postpone }, now)
        .expect("postponed");

    let refused = workspace.apply(
        Edit::Lifecycle { session: sessions[0].id.clone(), transition: Transition::MarkReady },
        today_at(21, 0),
    );
    assert!(matches!(refused, Err(Refusal::Gate(ref gate)) if gate.is_blocked()), "{refused:?}");
    let other = workspace.apply(
        Edit::Lifecycle { session: sessions[1].id.clone(), transition: Transition::MarkReady },
        today_at(15, 0),
    );
    assert!(matches!(other, Err(Refusal::Gate(ref gate)) if gate.is_blocked()), "{other:?}");
    let open = workspace.open_client().expect("open");
    assert!(open.sessions().iter().all(|session| session.status == SessionStatus::Planned));
    let moved = open.session(&sessions[0].id).expect("the postponed session");
    assert!(
        moved.screening.as_ref().is_some_and(Screening::reports_acute_illness),
        "the fever stays with it today"
    );

    // `check` sees the same: the fever blocks, so nothing passes as ready.
    assert!(workspace.save().problems.is_empty());
    let report = knotmap::check::check_practice(&root).expect("checked");
    let fevers = report.warnings.iter().filter(|notice| notice.message.contains("fever")).count();
    assert_eq!(fevers, 2, "{:#?}", report.warnings);
}

#[test]
fn skipping_the_screening_keeps_ready_and_complete_shut_until_it_is_answered() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, sessions) =
        practice_with(folder.path(), "Ruth Adler", &[], |client| vec![session_at(client, today_at(9, 0))]);
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ruth Adler");
    click_button(&mut harness, "Skip screening");
    stories::open_tab(&mut harness, "Session");
    assert!(is_disabled(&harness, "Mark ready"));
    assert!(is_disabled(&harness, "Complete session…"));
    assert!(harness.query_by_label_contains("screening is not answered yet").is_some());

    click_button(&mut harness, "Answer today's screening");
    click_button(&mut harness, "Fever or acute illness today: No");
    click_button(&mut harness, "Done");
    assert!(!is_disabled(&harness, "Mark ready"));
    click_button(&mut harness, "Mark ready");
    let_it_save(&mut harness);
    let ready = read_back(&root, &sessions[0]);
    assert_eq!(ready.status, SessionStatus::Ready);
    assert_eq!(ready.screening.and_then(|screening| screening.acute_illness_today), Some(false));
}

#[test]
fn a_session_planned_six_days_ahead_cannot_be_completed() {
    let folder = tempfile::tempdir().expect("temp dir");
    let ahead = jiff::civil::date(2026, 11, 29).at(9, 0, 0, 0);
    let (root, _, sessions) = practice_with(folder.path(), "Ruth Adler", &[], |client| {
        let mut session = session_at(client, ahead);
        // Even a screening answered today, while planning ahead, is not that day's.
        session.screening = Some(answered_for(client, today_at(9, 20), false));
        vec![session]
    });
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ruth Adler");
    assert!(harness.query_by_label("Screening for today").is_none(), "it is asked on the day");
    stories::open_tab(&mut harness, "Session");
    assert!(is_disabled(&harness, "Mark ready"));
    assert!(is_disabled(&harness, "Complete session…"));
    assert!(harness.query_by_label_contains("this one is on Sun 29 Nov 2026").is_some());
    click_button(&mut harness, "Complete session…");
    let_it_save(&mut harness);
    assert_eq!(read_back(&root, &sessions[0]).status, SessionStatus::Planned);
}

#[test]
fn a_session_whose_start_has_not_come_cannot_be_completed_even_on_its_day() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, client, sessions) = practice_with(folder.path(), "Ruth Adler", &[], |client| {
        let mut session = session_at(client, today_at(16, 0));
        session.screening = Some(answered_for(client, today_at(9, 20), false));
        vec![session]
    });
    let mut workspace = Workspace::new(Practice::open(&root).expect("practice"));
    assert!(workspace.open(&client.id));
    let outcome = Outcome { pain_before: None, pain_after: None, response: None, notes: String::new() };
    let asked =
        Edit::Lifecycle { session: sessions[0].id.clone(), transition: Transition::Complete(outcome) };
    assert_eq!(
        workspace.apply(asked.clone(), today_at(9, 30)),
        Err(Refusal::NotStarted { starts_at: today_at(16, 0) })
    );
    workspace.apply(asked, today_at(17, 0)).expect("completed once it has started");
}

#[test]
fn an_amendment_past_a_cap_is_refused_until_its_new_warning_is_explained() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, sessions) =
        practice_with(folder.path(), "Ruth Adler", &[HealthFlag::BloodThinners], |client| {
            vec![completed_today(client)]
        });
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ruth Adler");
    stories::open_tab(&mut harness, "Session");
    click_button(&mut harness, "Amend…");
    select_region(&mut harness, "Upper trapezius, client's right");
    click_button(&mut harness, "Pressure 5 deep");
    type_into(&mut harness, "Reason for the amendment", "Pressure was misrecorded");
    click_button(&mut harness, "Save amendment");
    assert!(harness.query_by_label_contains("must pass the safety gate too").is_some());
    let_it_save(&mut harness);
    assert!(
        read_back(&root, &sessions[0]).amendments.is_empty(),
        "nothing kept without the warning explained"
    );

    stories::open_tab(&mut harness, "Safety");
    click_button(&mut harness, "Explain… Upper trapezius, client's right");
    type_into(&mut harness, "Reason for going ahead", "Cleared by her GP for firm work on 20 Nov");
    click_button(&mut harness, "Keep this reason");
    click_button(&mut harness, "Save amendment");
    let_it_save(&mut harness);

    let amended = read_back(&root, &sessions[0]);
    let [amendment] = amended.amendments.as_slice() else {
        panic!("one amendment: {:?}", amended.amendments)
    };
    assert_eq!(amendment.therapist, "Mira Santos");
    assert!(amendment.change.contains("from 3 medium to 5 deep"), "{}", amendment.change);
    assert!(
        amendment.change.contains("safety overrides"),
        "the explanation is part of it: {}",
        amendment.change
    );
    let report = knotmap::check::check_practice(&root).expect("checked");
    assert!(report.problems.is_empty(), "the app's own record passes the gate: {:#?}", report.problems);
}

#[test]
fn a_flag_ticked_later_never_turns_old_records_into_problems() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, _) = practice_with(folder.path(), "Ruth Adler", &[], |client| {
        let mut records: Vec<Session> = (2..=20)
            .map(|day| {
                let mut record = completed_today(client);
                let start = jiff::civil::date(2026, 10, day).at(9, 0, 0, 0);
                record.id = knotmap::model::SessionId::generate(start);
                record.starts_at = start;
                record.screening = Some(answered_for(client, start, false));
                record
            })
            .collect();
        records.push(session_at(client, today_at(11, 0)));
        records
    });
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ruth Adler");
    harness.get_by_label("Fever or acute infection").click();
    harness.run();
    let_it_save(&mut harness);

    let report = knotmap::check::check_practice(&root).expect("checked");
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(report.warnings.len(), 1, "only today's plan is stopped by the fever: {:#?}", report.warnings);
}

#[test]
fn amending_stays_in_sight_when_the_map_is_clicked_and_its_edits_are_part_of_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, sessions) =
        practice_with(folder.path(), "Ruth Adler", &[], |client| vec![completed_today(client)]);
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ruth Adler");
    stories::open_tab(&mut harness, "Session");
    click_button(&mut harness, "Amend…");
    select_region(&mut harness, "Upper trapezius, client's left");
    click_button(&mut harness, "Trigger point");
    assert!(harness.query_by_label("Amending the record of 23 Nov 2026").is_some(), "still in sight");
    assert!(
        harness.query_by_label_contains("Changes so far: Upper trapezius, client's left added").is_some()
    );
    let_it_save(&mut harness);
    assert_eq!(read_back(&root, &sessions[0]), sessions[0], "nothing reaches the record without a reason");

    click_button(&mut harness, "Cancel");
    let_it_save(&mut harness);
    assert!(harness.query_by_label("Amending the record of 23 Nov 2026").is_none());
    stories::open_tab(&mut harness, "Region");
    click_button(&mut harness, "Trigger point");
    let_it_save(&mut harness);
    assert_eq!(read_back(&root, &sessions[0]), sessions[0], "a locked record takes no click");
}

#[test]
fn entered_in_error_is_signed_by_whoever_marks_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, sessions) =
        practice_with(folder.path(), "Ruth Adler", &[], |client| vec![completed_today(client)]);
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ruth Adler");
    stories::open_tab(&mut harness, "Session");
    click_button(&mut harness, "Mark entered in error…");
    type_into(&mut harness, "Reason", "Recorded under the wrong client");
    click_button(&mut harness, "Mark entered in error");
    let_it_save(&mut harness);
    let marked = read_back(&root, &sessions[0]).entered_in_error.expect("marked");
    assert_eq!(marked.therapist, "Mira Santos", "not the session's therapist, Sam Okafor");
}

#[test]
fn check_reports_a_record_completed_before_its_start_written_by_hand() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, sessions) = practice_with(folder.path(), "Ruth Adler", &[], |client| {
        let mut ahead = completed_today(client);
        let start = jiff::civil::date(2099, 1, 5).at(9, 0, 0, 0);
        ahead.id = knotmap::model::SessionId::generate(start);
        ahead.starts_at = start;
        vec![ahead]
    });
    let report = knotmap::check::check_practice(&root).expect("checked");
    let practice = Practice::open(&root).expect("practice");
    let path = practice.session_path(&sessions[0].client, &sessions[0].id);
    let [problem] = report.problems.as_slice() else { panic!("one problem: {:#?}", report.problems) };
    assert_eq!(problem.path, path);
    assert!(problem.message.contains("starts in the future"), "{problem}");
}
