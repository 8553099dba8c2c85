//! A clinic's insurer asks for pressure 2 at most for anyone on blood thinners:
//! the lead therapist sets it in Practice settings → Safety rules, sees what it
//! would do, saves it, and the planned session and its printed sheet say so.

use crate::printed;
use crate::stories;

use std::sync::Arc;

use egui_kittest::kittest::Queryable;
use knotmap::model::{Client, FlagDetails, HealthFlag, Minutes, Pressure, RegionId, RegionWork, Session};
use knotmap::print::DocumentKind;
use knotmap::storage::{Practice, SAFETY_RULES_FILE};
use knotmap::ui::app::command::Command;
use knotmap::ui::widgets::file_dialog::ScriptedDialogs;
use printed::ReadPdf;
use stories::{app_on, click_button};

#[test]
fn a_lower_cap_for_blood_thinners_set_in_the_settings_warns_on_the_plan_and_its_sheet() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    let mut practice = Practice::open_or_create(&root).expect("practice");
    let mut client = Client::new("Ana Souza");
    client.health_flags.insert(HealthFlag::BloodThinners, FlagDetails::default());
    practice.save_client(&client).expect("client");
    let at = jiff::civil::date(2026, 11, 25).at(9, 0, 0, 0);
    let mut session = Session::new(client.id.clone(), at, Minutes::new(60).expect("minutes"));
    let mut work = RegionWork::new(RegionId::InfraspinatusL);
    work.pressure = Some(Pressure::MEDIUM);
    session.regions.push(work);
    practice.save_session(&session).expect("session");
    let session_file = practice.session_path(&client.id, &session.id);

    let mut harness = app_on(&root, Arc::new(ScriptedDialogs::default()));
    harness.state_mut().apply(Command::ShowSettings);
    harness.run();
    click_button(&mut harness, "Safety rules…");
    harness.get_by_label("Blood thinners / bleeding disorder: built-in rule").click();
    harness.run();
    click_button(&mut harness, "Blood thinners / bleeding disorder: cap 2");
    harness.run();
    assert!(
        harness.query_by_label_contains("This would add 1 warning to 1 planned session").is_some(),
        "the effect is shown before saving"
    );
    click_button(&mut harness, "Save rules");

    let text = std::fs::read_to_string(root.join(SAFETY_RULES_FILE)).expect("the rules file");
    assert!(text.contains("BloodThinners"), "{text}");
    assert!(
        text.contains("what: \"Blood thinners / bleeding disorder: cap 2 everywhere\""),
        "dated and attributed: {text}"
    );
    assert!(text.contains("at: \"2026-11-23T09:30:00\""), "{text}");

    click_button(&mut harness, "Done");
    // The planned session now has the warning, naming the clinic's rule.
    harness.get_all_by_label("Ana Souza").next().expect("the client").click();
    harness.run();
    stories::open_tab(&mut harness, "Safety");
    assert!(
        harness.query_all_by_label_contains("the clinic's rule").next().is_some(),
        "the Safety tab says so"
    );

    // And so does the printed plan sheet.
    let (pdf, _, _) = knotmap::print::batch::session_pdf(
        &session_file,
        DocumentKind::PlanSheet,
        None,
        printed::printed_at(),
    )
    .expect("the plan sheet prints");
    let sheet = ReadPdf::from_bytes(&pdf).flat_text();
    assert!(sheet.contains("the clinic's rule"), "{sheet}");
}
