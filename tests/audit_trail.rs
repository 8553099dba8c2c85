//! The audit trail: every change to a profile or a session, appended to the
//! log of the laptop that made it, each entry chained to the one before, so
//! that `knotmap check` notices an earlier entry changed or removed. Through
//! the real app and the real files.

use crate::stories;

use std::path::Path;

use knotmap::model::{ClientId, Minutes, Session, SessionId};
use knotmap::storage::audit::{AuditLog, AuditRecord, Change, history_of, log_files, read_log};
use stories::{click_button, laptop_on, open_client, select_region, type_into, wait_for_the_writer};

fn golden_log() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/audit/front-desk/2026-12.log")
}

fn ana() -> ClientId {
    ClientId::new("ana-lima-k3f9q").expect("an ID")
}

fn changes() -> Vec<Change> {
    let session = SessionId::new("2026-12-07-0930-c4n5t").expect("an ID");
    let at = |minute| jiff::civil::date(2026, 12, 7).at(9, minute, 0, 0);
    vec![
        Change {
            at: at(12),
            who: "Mira Santos".to_owned(),
            record: AuditRecord::Profile(ana()),
            what: vec!["health questionnaire answered".to_owned()],
        },
        Change {
            at: at(26),
            who: "Mira Santos".to_owned(),
            record: AuditRecord::Session(ana(), session.clone()),
            what: vec!["consent given".to_owned()],
        },
        Change {
            at: at(41),
            who: "Mira Santos".to_owned(),
            record: AuditRecord::Session(ana(), session),
            what: vec!["consent withdrawn".to_owned(), "status: ready to planned".to_owned()],
        },
    ]
}

#[test]
fn the_log_written_today_is_byte_for_byte_the_golden_log_and_reads_back_as_its_entries() {
    let folder = tempfile::tempdir().expect("temp dir");
    let log = AuditLog::of(folder.path(), "front-desk");
    for change in changes() {
        log.append(&change).expect("appended");
    }
    let written = std::fs::read_to_string(log.file_of("2026-12")).expect("the log");
    let golden = std::fs::read_to_string(golden_log()).expect("the golden log");
    assert_eq!(written, golden, "the audit log's format changed: keep the golden log, and read it forever");
    let entries = read_log(&golden_log()).expect("the golden log reads");
    let read: Vec<(&AuditRecord, &[String])> =
        entries.iter().map(|entry| (&entry.record, entry.what.as_slice())).collect();
    let asked: Vec<Change> = changes();
    let expected: Vec<(&AuditRecord, &[String])> =
        asked.iter().map(|change| (&change.record, change.what.as_slice())).collect();
    assert_eq!(read, expected);
}

#[test]
fn an_earlier_entry_changed_or_removed_is_found_by_check_with_its_line() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    knotmap::storage::Practice::open_or_create(&root).expect("a practice");
    let log = AuditLog::of(&root, "front-desk");
    for change in changes() {
        log.append(&change).expect("appended");
    }
    let path = log.file_of("2026-12");
    assert!(
        knotmap::check::check_practice(&root).expect("checked").problems.is_empty(),
        "a whole log is fine"
    );

    let text = std::fs::read_to_string(&path).expect("the log");
    let lines: Vec<&str> = text.lines().collect();
    // Someone softens the second entry.
    let changed = text.replacen("consent given", "consent asked", 1);
    std::fs::write(&path, &changed).expect("edited by hand");
    let report = knotmap::check::check_practice(&root).expect("checked");
    let problem = report.problems.iter().find(|problem| problem.path == path).expect("the log is reported");
    assert_eq!(problem.position.map(|position| position.line), Some(4), "{problem}");
    assert!(
        problem.message.contains("an earlier entry of the audit log was changed or removed"),
        "{problem}"
    );

    // Someone removes it instead.
    let removed = [lines[0], lines[1], lines[3]].join("\n") + "\n";
    std::fs::write(&path, removed).expect("edited by hand");
    let report = knotmap::check::check_practice(&root).expect("checked");
    assert!(report.problems.iter().any(|problem| problem.path == path), "{:#?}", report.problems);
}

#[test]
fn an_edit_on_each_of_two_laptops_is_in_each_laptops_log_and_in_the_records_history() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, client, sessions) = stories::practice_with(folder.path(), "Ana Souza", &[], |client| {
        let start = jiff::civil::date(2026, 11, 23).at(14, 0, 0, 0);
        vec![Session::new(client.id.clone(), start, Minutes::new(60).expect("60"))]
    });
    let mut front_desk = laptop_on(&root, "front-desk");
    open_client(&mut front_desk, "Ana Souza");
    select_region(&mut front_desk, "Upper trapezius, client's left");
    click_button(&mut front_desk, "Tension moderate");
    front_desk.state_mut().save_all();
    drop(front_desk);

    let mut room = laptop_on(&root, "room-2");
    open_client(&mut room, "Ana Souza");
    type_into(&mut room, "Client notes", "Prefers the left side first.");
    room.state_mut().save_all();
    wait_for_the_writer(&mut room);

    let laptops: Vec<String> = log_files(&root)
        .iter()
        .filter_map(|path| path.parent()?.file_name()?.to_str().map(str::to_owned))
        .collect();
    assert_eq!(laptops, ["front-desk", "room-2"], "one log per laptop: nothing for a sync tool to merge");
    let session = AuditRecord::Session(client.id.clone(), sessions[0].id.clone());
    let history = history_of(&root, &session);
    assert_eq!(history.len(), 1, "{history:#?}");
    assert_eq!(history[0].0, "front-desk");
    assert!(history[0].1.what.iter().any(|said| said.contains("Upper trapezius")), "{history:#?}");
    let profile = history_of(&root, &AuditRecord::Profile(client.id.clone()));
    assert_eq!(profile.len(), 1, "{profile:#?}");
    assert_eq!(profile[0].0, "room-2");
    assert_eq!(profile[0].1.what, ["notes changed"]);
    assert!(knotmap::check::check_practice(&root).expect("checked").problems.is_empty());

    // The session screen shows it.
    stories::open_tab(&mut room, "Session");
    click_button(&mut room, "History of this record…");
    assert!(
        egui_kittest::kittest::Queryable::query_by_label_contains(
            &room,
            "on front-desk: Upper trapezius, client's left added (moderate tension)"
        )
        .is_some()
    );
}

#[test]
fn a_plan_imported_from_a_file_is_in_the_audit_trail_too() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (root, client, sessions) = stories::practice_with(folder.path(), "Ana Souza", &[], |client| {
        let start = jiff::civil::date(2026, 11, 23).at(14, 0, 0, 0);
        vec![Session::new(client.id.clone(), start, Minutes::new(60).expect("60"))]
    });
    let practice = knotmap::storage::Practice::open(&root).expect("practice");
    let mut workspace = knotmap::workspace::Workspace::new(practice).with_audit("front-desk");
    let now = jiff::civil::date(2026, 11, 24).at(9, 0, 0, 0);
    let plan = knotmap::storage::PlanFile::new("Ana Souza", sessions[0].clone(), now);
    let imported = workspace.import_plan(&client.id, &plan, now).expect("imported");
    let history = history_of(&root, &AuditRecord::Session(client.id.clone(), imported.id.clone()));
    assert_eq!(history.len(), 1, "{history:#?}");
    assert_eq!(history[0].1.what, ["planned from the plan file of Ana Souza"]);
}
