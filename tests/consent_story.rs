//! Stories of the client's consent, through the real app and the real files: a
//! plan that includes the buttock cannot be marked ready until the client has
//! signed for it; the laptop is handed over, the client reads only their own
//! consent and signs with a pointer drag, and the therapist gets the laptop back
//! only with its PIN; a withdrawal puts a ready session back to planning.

use crate::printed;
use crate::stories;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use knotmap::model::consent::current_consent;
use knotmap::model::{Client, Minutes, Pressure, RegionId, Screening, Session, SessionStatus};
use knotmap::storage::Practice;
use knotmap::storage::pin::LaptopPin;
use knotmap::ui::widgets::file_dialog::ScriptedDialogs;
use stories::{App, click_button, is_disabled, let_it_save, open_client, practice_with, type_into};

/// Today (the stories' Monday 23 November 2026) at 09:00, screened, with the left
/// buttock at medium pressure and the right shoulder in the plan.
fn gluteal_plan(client: &Client) -> Session {
    let start = jiff::civil::date(2026, 11, 23).at(9, 0, 0, 0);
    let mut session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
    session.therapist = "Sam Okafor".to_owned();
    session.region_mut(RegionId::GluteusMaximusL).pressure = Some(Pressure::MEDIUM);
    session.region_mut(RegionId::UpperTrapeziusR).pressure = Some(Pressure::LIGHT);
    let mut screening = Screening::new(start);
    screening.acute_illness_today = Some(false);
    session.screening = Some(screening);
    session
}

fn app_on(root: &std::path::Path) -> App {
    stories::app_on(root, std::sync::Arc::new(ScriptedDialogs::default()))
}

fn read_back(root: &std::path::Path, session: &Session) -> Session {
    Practice::open(root).expect("practice").read_session(&session.client, &session.id).expect("the session")
}

/// Ana Lima with her buttock plan, in a practice in `folder`, on a laptop whose PIN is 97531.
fn ana_on_a_laptop_with_a_pin(folder: &std::path::Path) -> std::path::PathBuf {
    let (root, _, _) = practice_with(folder, "Ana Lima", &[], |client| vec![gluteal_plan(client)]);
    LaptopPin::at(&root.with_extension("pin.ron")).set("97531", "97531").expect("a PIN");
    root
}

/// Draws a signature in the box named `pad`, as a pointer drag across it.
fn sign_in(harness: &mut App, pad: &str) {
    let rect = harness.get_by_label(pad).rect();
    let at = |across: f32, down: f32| rect.min + egui::vec2(rect.width() * across, rect.height() * down);
    harness.hover_at(at(0.1, 0.6));
    harness.step();
    harness.drag_at(at(0.1, 0.6));
    harness.step();
    for (across, down) in [(0.2, 0.3), (0.3, 0.7), (0.45, 0.35), (0.6, 0.65)] {
        harness.hover_at(at(across, down));
        harness.step();
    }
    harness.drop_at(at(0.6, 0.65));
    harness.run();
}

fn shows(harness: &App, words: &str) -> bool {
    harness.query_by_label_contains(words).is_some()
}

#[test]
fn a_buttock_in_the_plan_needs_the_clients_signature_drawn_on_the_laptop_handed_over_behind_a_pin() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, sessions) =
        practice_with(folder.path(), "Ana Lima", &[], |client| vec![gluteal_plan(client)]);
    // Another client, whom the handed-over screen must never show.
    let mut practice = Practice::open(&root).expect("practice");
    practice.save_client(&Client::new("Zoë Martín")).expect("another client");
    let mut harness = app_on(&root);
    open_client(&mut harness, "Ana Lima");

    // The gate: no consent for the buttock, no Ready.
    stories::open_tab(&mut harness, "Session");
    assert!(is_disabled(&harness, "Mark ready"));
    assert!(shows(&harness, "sensitive area (Buttock: your left side)"), "Ready says why");

    // The laptop has no PIN yet: handing it over asks for one first.
    stories::open_tab(&mut harness, "Consent");
    click_button(&mut harness, "Hand to client to sign…");
    type_into(&mut harness, "PIN (4 to 12 digits)", "2468");
    type_into(&mut harness, "The same PIN again", "2468");
    harness.run();
    click_button(&mut harness, "Set PIN");
    assert!(LaptopPin::at(&root.with_extension("pin.ron")).matches("2468"), "kept on this laptop, hashed");

    // The client's screen: their consent in their words, nothing of anyone else.
    assert!(shows(&harness, "Your consent for today's session"));
    assert!(shows(
        &harness,
        "We plan to work on: Top of shoulder: your right side; Buttock: your left side."
    ));
    assert!(shows(&harness, "You may ask us to stop"));
    assert!(!shows(&harness, "Zoë"), "no other client is in sight");
    assert!(
        harness.query_by_role_and_label(Role::Button, "Mark ready").is_none(),
        "nor the therapist's controls"
    );
    assert!(is_disabled(&harness, "I agree and sign"), "nothing is signed before something is drawn");
    sign_in(&mut harness, "Signature of the client");
    click_button(&mut harness, "I agree and sign");
    assert!(shows(&harness, "Thank you. Please hand the laptop back"));

    // Back to the therapist: only with the PIN.
    click_button(&mut harness, "For the therapist: take the laptop back…");
    type_into(&mut harness, "This laptop's PIN", "1111");
    harness.run();
    click_button(&mut harness, "Unlock");
    assert!(shows(&harness, "That is not this laptop's PIN."));
    assert!(!shows(&harness, "Zoë"), "still the client's screen");
    type_into(&mut harness, "This laptop's PIN", "2468");
    harness.run();
    click_button(&mut harness, "Unlock");
    assert!(shows(&harness, "Zoë"), "the therapist's view is back");

    // The consent is in the session file, the signature as strokes.
    let_it_save(&mut harness);
    let signed = read_back(&root, &sessions[0]);
    let consent = current_consent(&signed).expect("a consent in the file");
    let signature = consent.client.as_ref().expect("the client's signature");
    assert_eq!(signature.name, "Ana Lima");
    assert!(signature.is_drawn() && signature.strokes[0].len() >= 4, "{:?}", signature.strokes);
    assert_eq!(consent.areas.get(&RegionId::GluteusMaximusL), Some(&Some(Pressure::MEDIUM)));

    // Now Ready opens.
    stories::open_tab(&mut harness, "Session");
    assert!(!is_disabled(&harness, "Mark ready"));
    click_button(&mut harness, "Mark ready");

    // During the session the client takes back the buttock: the session is planned again.
    stories::open_tab(&mut harness, "Consent");
    harness.get_by_role_and_label(Role::CheckBox, "Gluteus maximus, client's left").click();
    harness.run();
    click_button(&mut harness, "Withdraw these areas");
    assert!(shows(&harness, "Withdrawn at 09:30: Buttock: your left side"));
    let_it_save(&mut harness);
    let withdrawn = read_back(&root, &sessions[0]);
    assert_eq!(withdrawn.status, SessionStatus::Planned, "no longer ready with the buttock in the plan");
    let consent = current_consent(&withdrawn).expect("the consent stays, with its withdrawal");
    assert_eq!(
        consent.withdrawn_at(RegionId::GluteusMaximusL),
        Some(jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0))
    );
}

#[test]
fn the_lock_hides_every_client_until_the_pin() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = ana_on_a_laptop_with_a_pin(folder.path());
    let mut harness = app_on(&root);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    harness.run();
    assert!(shows(&harness, "Knotmap is locked"));
    assert!(!shows(&harness, "Ana Lima"), "no client in sight");
    // The app's shortcuts are not taken while locked.
    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::N);
    harness.run();
    assert!(harness.query_by_label("New client's name").is_none());
    type_into(&mut harness, "This laptop's PIN", "97531");
    harness.run();
    click_button(&mut harness, "Unlock");
    assert!(shows(&harness, "Ana Lima"));
}

#[test]
fn check_reports_a_record_of_a_sensitive_area_without_consent_and_warns_of_a_record_without_any() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, _, sessions) = practice_with(folder.path(), "Ana Lima", &[], |client| {
        let completed = |session: Session, hour: i8| {
            let start = jiff::civil::date(2026, 11, 2).at(hour, 0, 0, 0);
            Session {
                id: knotmap::model::SessionId::generate(start),
                starts_at: start,
                status: SessionStatus::Completed,
                ..session
            }
        };
        let buttock = completed(gluteal_plan(client), 9);
        let mut shoulder = completed(gluteal_plan(client), 11);
        shoulder.regions.retain(|work| work.region == RegionId::UpperTrapeziusR);
        let mut old = completed(gluteal_plan(client), 14);
        old.before_consent = true;
        vec![buttock, shoulder, old]
    });
    let practice = Practice::open(&root).expect("practice");
    let path = |session: &Session| practice.session_path(&session.client, &session.id);
    let report = knotmap::check::check_practice(&root).expect("checked");
    let problems: Vec<_> =
        report.problems.iter().map(|problem| (&problem.path, problem.message.as_str())).collect();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].0, &path(&sessions[0]));
    assert!(
        problems[0].1.contains("marked completed, but the plan includes a sensitive area"),
        "{problems:#?}"
    );
    let warned: Vec<_> = report.warnings.iter().map(|warning| &warning.path).collect();
    assert_eq!(
        warned,
        [&path(&sessions[1])],
        "a record made before consent was recorded is history, not a warning"
    );
    assert!(report.warnings[0].message.contains("without any record of the client's consent"));
}

#[test]
fn the_client_answers_the_questionnaire_on_the_laptop_and_the_therapist_takes_the_answers_into_the_profile() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, client, _) =
        practice_with(folder.path(), "Ana Lima", &[], |client| vec![gluteal_plan(client)]);
    LaptopPin::at(&root.with_extension("pin.ron")).set("2468", "2468").expect("a PIN");
    let mut harness = stories::app_signed_by(&root, "Mira Santos");
    open_client(&mut harness, "Ana Lima");
    assert!(shows(&harness, "Not asked yet."));
    click_button(&mut harness, "Hand the questionnaire to the client…");
    assert!(shows(&harness, "A few questions about your health"));
    assert!(!shows(&harness, "Health flags"), "the therapist's profile is not in sight");
    assert!(is_disabled(&harness, "Done"), "every question needs an answer first");
    for flag in knotmap::model::HealthFlag::ALL {
        let question = knotmap::model::intake::question(flag);
        let answer = match flag {
            knotmap::model::HealthFlag::BloodThinners => "Yes",
            knotmap::model::HealthFlag::Pregnancy => "Not sure",
            _ => "No",
        };
        harness.get_by_label(&format!("{question} {answer}")).click();
        harness.run();
    }
    type_into(&mut harness, "Anything else we should know?", "Warfarin since March.");
    click_button(&mut harness, "Done");
    assert!(shows(&harness, "Thank you. Please hand the laptop back"));
    click_button(&mut harness, "For the therapist: take the laptop back…");
    type_into(&mut harness, "This laptop's PIN", "2468");
    click_button(&mut harness, "Unlock");

    // The profile shows what Ana answered, and what it would change.
    assert!(shows(
        &harness,
        "Answered 23 Nov 2026 09:30: yes: Blood thinners / bleeding disorder; not sure: Pregnancy."
    ));
    assert!(shows(&harness, "They wrote: Warfarin since March."));
    assert!(shows(&harness, "Blood thinners / bleeding disorder: answered yes; the profile lacks the flag."));
    click_button(&mut harness, "Take the answers");
    assert!(shows(&harness, "Reviewed by Mira Santos on 23 Nov 2026 09:30."));
    let_it_save(&mut harness);
    let profile = Practice::open(&root).expect("practice").client(&client.id).expect("Ana").client.clone();
    assert!(profile.health_flags.contains_key(&knotmap::model::HealthFlag::BloodThinners));
    assert!(
        profile.health_flags.contains_key(&knotmap::model::HealthFlag::Pregnancy),
        "not sure asks for care too"
    );
    assert_eq!(profile.intakes.len(), 1);
    assert_eq!(profile.intakes[0].note, "Warfarin since March.");
}

#[test]
fn a_laptop_left_alone_locks_itself_after_the_minutes_chosen_and_not_before() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = ana_on_a_laptop_with_a_pin(folder.path());
    let mut harness = app_on(&root);
    harness.state_mut().apply(knotmap::ui::app::command::Command::IdleLock(Some(1)));
    open_client(&mut harness, "Ana Lima");
    // Each frame is a quarter of a second of the app's time: 200 frames are 50 seconds.
    harness.run_steps(200);
    assert!(!shows(&harness, "Knotmap is locked"), "not before the minute");
    harness.run_steps(60);
    assert!(shows(&harness, "Knotmap is locked"), "a minute without use locks it");
    assert!(!shows(&harness, "Ana Lima"));
}

#[test]
fn from_the_questionnaire_of_a_new_client_to_the_consent_form_read_back_from_paper() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    Practice::open_or_create(&root).expect("an empty practice");
    let mut harness = stories::app_signed_by(&root, "Sam Okafor");

    // A new client.
    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::N);
    harness.run();
    type_into(&mut harness, "New client's name", "Noor Haddad");
    click_button(&mut harness, "Add client");

    // The questionnaire, on the handed-over laptop: the first hand-over sets the PIN.
    click_button(&mut harness, "Hand the questionnaire to the client…");
    type_into(&mut harness, "PIN (4 to 12 digits)", "2468");
    type_into(&mut harness, "The same PIN again", "2468");
    click_button(&mut harness, "Set PIN");
    for flag in knotmap::model::HealthFlag::ALL {
        let answer = if flag == knotmap::model::HealthFlag::BloodThinners { "Yes" } else { "No" };
        harness.get_by_label(&format!("{} {answer}", knotmap::model::intake::question(flag))).click();
        harness.run();
    }
    click_button(&mut harness, "Done");
    click_button(&mut harness, "For the therapist: take the laptop back…");
    type_into(&mut harness, "This laptop's PIN", "2468");
    click_button(&mut harness, "Unlock");
    // The therapist reviews the answers into the profile.
    click_button(&mut harness, "Take the answers");
    assert!(shows(&harness, "Reviewed by Sam Okafor"));

    // A plan of the buttock, today.
    click_button(&mut harness, "New session");
    click_button(&mut harness, "Fever or acute illness today: No");
    click_button(&mut harness, "Blood thinners / bleeding disorder: Yes");
    click_button(&mut harness, "Done");
    harness.get_by_label("Gluteus maximus, client's left").click();
    harness.run();
    click_button(&mut harness, "Pressure 2 light");
    stories::open_tab(&mut harness, "Session");
    assert!(is_disabled(&harness, "Mark ready"), "no consent for the buttock yet");

    // The consent, signed with a pointer drag, and the therapist's signature beside it.
    stories::open_tab(&mut harness, "Consent");
    click_button(&mut harness, "Hand to client to sign…");
    assert!(shows(&harness, "Because you bruise or bleed easily"), "the risks of her own flag");
    sign_in(&mut harness, "Signature of the client");
    click_button(&mut harness, "I agree and sign");
    click_button(&mut harness, "For the therapist: take the laptop back…");
    type_into(&mut harness, "This laptop's PIN", "2468");
    click_button(&mut harness, "Unlock");
    sign_in(&mut harness, "Signature of the therapist");
    click_button(&mut harness, "Sign as therapist");
    stories::open_tab(&mut harness, "Session");
    click_button(&mut harness, "Mark ready");
    let_it_save(&mut harness);

    // On paper: the consent form of the session file, read back.
    let practice = Practice::open(&root).expect("practice");
    let client = practice.clients().next().expect("Noor").client.clone();
    let mut reading = Practice::open(&root).expect("practice");
    let session = reading.read_sessions(&client.id).pop().expect("her session");
    assert_eq!(session.status, SessionStatus::Ready);
    let file = practice.session_path(&client.id, &session.id);
    let pdf = folder.path().join("consent.pdf");
    let printed = std::process::Command::new(env!("CARGO_BIN_EXE_knotmap"))
        .args(["print", "consent"])
        .arg(&file)
        .arg("-o")
        .arg(&pdf)
        .output()
        .expect("knotmap runs");
    assert!(printed.status.success(), "{}", String::from_utf8_lossy(&printed.stderr));
    let text = printed::ReadPdf::from_file(&pdf).flat_text();
    for wanted in [
        "For Noor Haddad",
        "We plan to work on: Buttock: your left side.",
        "The pressure will be light at most.",
        "Because you bruise or bleed easily",
        "You may ask us to stop",
        "Client: Noor Haddad, 09:30 on 23 Nov 2026",
        "Therapist: Sam Okafor, 09:30 on 23 Nov 2026",
    ] {
        assert!(text.contains(wanted), "the consent form lacks {wanted:?}:\n{text}");
    }
    let consent = current_consent(&session).expect("the consent");
    let drawn = |signature: &Option<knotmap::model::Signature>| {
        signature.as_ref().is_some_and(|signature| signature.is_drawn() && signature.strokes[0].len() >= 4)
    };
    assert!(
        drawn(&consent.client) && drawn(&consent.therapist),
        "both signatures are strokes drawn by a pointer"
    );
}

#[test]
fn guessing_the_pin_is_slowed_down_after_five_wrong_tries() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = ana_on_a_laptop_with_a_pin(folder.path());
    let mut harness = app_on(&root);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    harness.run();
    for guess in ["1111", "2222", "3333", "4444", "5555"] {
        type_into(&mut harness, "This laptop's PIN", guess);
        click_button(&mut harness, "Unlock");
    }
    assert!(shows(&harness, "Too many wrong PINs: wait"));
    assert!(is_disabled(&harness, "Unlock"), "even the right PIN waits");
    // Half a minute later (a quarter of a second a frame), the right PIN unlocks.
    harness.run_steps(130);
    type_into(&mut harness, "This laptop's PIN", "97531");
    click_button(&mut harness, "Unlock");
    assert!(shows(&harness, "Ana Lima"));
}

#[test]
fn an_app_ended_while_locked_starts_locked_again() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = ana_on_a_laptop_with_a_pin(folder.path());
    let mut harness = app_on(&root);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    harness.run();
    assert!(shows(&harness, "Knotmap is locked"));
    // The system ends it (or the window is killed) while it is locked.
    drop(harness);
    let mut harness = app_on(&root);
    harness.run();
    assert!(shows(&harness, "Knotmap is locked"), "the next start is locked too");
    assert!(!shows(&harness, "Ana Lima"));
    type_into(&mut harness, "This laptop's PIN", "97531");
    click_button(&mut harness, "Unlock");
    drop(harness);
    let harness = app_on(&root);
    assert!(shows(&harness, "Ana Lima"), "unlocked, the next start is the therapist's");
}
