//! The `knotmap` command as a clinic's script uses it: the real binary, real folders.

use std::path::Path;
use std::process::{Command, Output};

fn knotmap(args: &[&str]) -> Output {
    // `check` keeps a cache in the user's cache folder: the tests' is their own.
    Command::new(env!("CARGO_BIN_EXE_knotmap"))
        .args(args)
        .env("XDG_CACHE_HOME", std::env::temp_dir().join("knotmap-tests-cache"))
        .output()
        .expect("the knotmap binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a temporary path is text")
}

#[test]
fn help_lists_the_subcommands() {
    let output = knotmap(&["--help"]);
    assert!(output.status.success());
    let help = text(&output.stdout);
    for word in ["check", "sample", "--practice"] {
        assert!(help.contains(word), "--help does not mention {word}:\n{help}");
    }
}

#[test]
fn a_sample_practice_is_written_and_checks_clean() {
    let folder = tempfile::tempdir().expect("temp dir");
    let sample = folder.path().join("sample");

    let written = knotmap(&["sample", path(&sample)]);
    assert!(written.status.success(), "{}", text(&written.stderr));
    assert!(sample.join("practice.ron").exists());

    let checked = knotmap(&["check", path(&sample)]);
    assert!(checked.status.success(), "{}{}", text(&checked.stdout), text(&checked.stderr));
    assert_eq!(text(&checked.stdout), "", "a clean practice prints no problem");
    assert!(text(&checked.stderr).contains("0 problems"), "{}", text(&checked.stderr));
}

#[test]
fn the_sample_is_never_written_over_an_existing_folder() {
    let folder = tempfile::tempdir().expect("temp dir");
    std::fs::write(folder.path().join("notes.txt"), "mine").expect("write");
    let output = knotmap(&["sample", path(folder.path())]);
    assert!(!output.status.success());
    assert!(!folder.path().join("practice.ron").exists());
    assert_eq!(std::fs::read_to_string(folder.path().join("notes.txt")).expect("read"), "mine");
}

#[test]
fn check_prints_each_problem_with_file_line_and_column_and_fails() {
    let folder = tempfile::tempdir().expect("temp dir");
    let sample = folder.path().join("sample");
    assert!(knotmap(&["sample", path(&sample)]).status.success());

    // Break one session of one client: a pressure of 9 on a scale of 1 to 5.
    let client =
        std::fs::read_dir(sample.join("clients")).expect("clients").next().expect("a client").expect("entry");
    let session = std::fs::read_dir(client.path().join("sessions"))
        .expect("sessions")
        .next()
        .expect("a session")
        .expect("entry")
        .path();
    let original = std::fs::read_to_string(&session).expect("read");
    let broken = original.replacen("pressure: Some(", "pressure: Some(9", 1);
    assert_ne!(broken, original, "the sample session plans a pressure");
    std::fs::write(&session, &broken).expect("write");

    let output = knotmap(&["check", path(&sample)]);
    assert_eq!(output.status.code(), Some(1));
    let printed = text(&output.stdout);
    let line = printed.lines().next().expect("one problem line");
    let prefix = format!("{}:", session.display());
    assert!(line.starts_with(&prefix), "{line}");
    let position: Vec<&str> = line[prefix.len()..].splitn(3, ':').collect();
    assert!(position[0].parse::<usize>().is_ok() && position[1].parse::<usize>().is_ok(), "{line}");
    assert!(line.contains("pressure must be from 1 to 5"), "{line}");
    assert_eq!(std::fs::read_to_string(&session).expect("read"), broken, "check writes nothing");
}

#[test]
fn check_of_a_folder_that_is_not_a_practice_says_so() {
    let folder = tempfile::tempdir().expect("temp dir");
    std::fs::write(folder.path().join("notes.txt"), "mine").expect("write");
    let output = knotmap(&["check", path(folder.path())]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("is not a Knotmap practice"), "{}", text(&output.stderr));
}

#[test]
fn check_prints_a_safety_warning_without_a_reason_but_does_not_fail_for_it() {
    use knotmap::model::{Client, FlagDetails, HealthFlag, Minutes, Pressure, RegionId, Session};
    use knotmap::storage::Practice;

    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    let mut practice = Practice::open_or_create(&root).expect("practice");
    let mut client = Client::new("Ruth Adler");
    client.health_flags.insert(HealthFlag::BloodThinners, FlagDetails::default());
    practice.save_client(&client).expect("client");
    let start = jiff::civil::date(2026, 11, 23).at(9, 0, 0, 0);
    let mut session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
    session.region_mut(RegionId::UpperTrapeziusR).pressure = Pressure::new(5).ok();
    practice.save_session(&session).expect("session");
    let path = practice.session_path(&client.id, &session.id);

    let output = knotmap(&["check", self::path(&root)]);
    assert_eq!(output.status.code(), Some(0), "warnings alone do not fail the check");
    let printed = text(&output.stdout);
    let expected = format!("{}: warning: ", path.display());
    let line =
        printed.lines().find(|line| line.starts_with(&expected)).unwrap_or_else(|| panic!("{printed}"));
    assert!(line.contains("Upper trapezius, client's right"), "{line}");
    assert!(line.contains("blood thinners"), "{line}");
}

#[test]
fn check_fails_on_a_completed_session_that_did_not_pass_the_safety_gate_but_only_warns_on_a_format_1_record()
{
    use knotmap::model::{
        Client, FlagDetails, HealthFlag, Minutes, Pressure, RegionId, Session, SessionStatus,
    };
    use knotmap::storage::Practice;

    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    let mut practice = Practice::open_or_create(&root).expect("practice");
    let mut client = Client::new("Ruth Adler");
    client.health_flags.insert(HealthFlag::BloodThinners, FlagDetails::default());
    practice.save_client(&client).expect("client");
    let session_on = |day: i8| {
        let start = jiff::civil::date(2026, 11, day).at(9, 0, 0, 0);
        let mut session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
        session.region_mut(RegionId::UpperTrapeziusR).pressure = Pressure::new(5).ok();
        session.status = SessionStatus::Completed;
        session
    };
    // Completed by hand (or by another tool) past an unexplained warning.
    let broken = session_on(23);
    practice.save_session(&broken).expect("session");
    let broken_path = practice.session_path(&client.id, &broken.id);
    // Completed in format 1, before the gate: written as that version wrote it.
    let old = session_on(16);
    practice.save_session(&old).expect("session");
    let old_path = practice.session_path(&client.id, &old.id);
    let old_text = std::fs::read_to_string(&old_path).expect("text").replacen(
        &format!("format: {},", knotmap::storage::CURRENT_FORMAT),
        "format: 1,",
        1,
    );
    std::fs::write(&old_path, old_text).expect("written as format 1");

    let output = knotmap(&["check", self::path(&root)]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
    let printed = text(&output.stdout);
    let problem = format!(
        "{}: this session is marked completed but did not pass the safety gate",
        broken_path.display()
    );
    assert!(printed.lines().any(|line| line.starts_with(&problem)), "{printed}");
    let warning = format!("{}: warning: ", old_path.display());
    assert!(printed.lines().any(|line| line.starts_with(&warning)), "{printed}");
    assert!(!printed.contains(&format!("{}: this session", old_path.display())), "{printed}");
}

#[test]
fn history_writes_a_clients_sessions_as_csv_and_says_when_the_client_is_not_there() {
    let folder = tempfile::tempdir().expect("temp dir");
    let sample = folder.path().join("sample");
    assert!(knotmap(&["sample", path(&sample)]).status.success());
    let client = std::fs::read_dir(sample.join("clients"))
        .expect("clients")
        .map(|entry| entry.expect("entry").file_name().into_string().expect("text"))
        .min()
        .expect("a client");

    let output = knotmap(&["history", "--practice", path(&sample), &client, "--csv"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let csv = text(&output.stdout);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "date,session_id,status,region_id,side,layer,coarse_area,tension,pain,pressure,minutes,findings"
        )
    );
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() > 10, "{csv}");
    assert!(rows.iter().all(|row| row.split(',').count() >= 12), "{csv}");

    let limited =
        knotmap(&["history", "--practice", path(&sample), &client, "--csv", "--from", "2100-01-01"]);
    assert_eq!(text(&limited.stdout).lines().count(), 1, "only the header after the last session");

    let missing = knotmap(&["history", "--practice", path(&sample), "nobody-here", "--csv"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("no client"), "{}", text(&missing.stderr));
}

#[test]
fn plain_words_for_a_file_of_another_kind_a_backwards_range_and_a_missing_folder() {
    let folder = tempfile::tempdir().expect("temp dir");
    let not_a_session = folder.path().join("passwd");
    std::fs::write(&not_a_session, "root:x:0:0:root:/root:/bin/bash\n").expect("written");
    let printed = knotmap(&["print", "plan", path(&not_a_session), "-o", path(&folder.path().join("x.pdf"))]);
    assert_eq!(printed.status.code(), Some(1));
    let said = text(&printed.stderr);
    assert!(said.contains("this is not a Knotmap session") && said.contains("begins with `root:x"), "{said}");
    assert!(!said.contains("KnotmapFile"), "no word of the parser's: {said}");

    let sample = folder.path().join("sample");
    assert!(knotmap(&["sample", path(&sample)]).status.success());
    let backwards = knotmap(&[
        "print",
        "report",
        "--practice",
        path(&sample),
        "aiko-tanaka",
        "--from",
        "2026-12-01",
        "--to",
        "2026-01-01",
        "-o",
        path(&folder.path().join("r.pdf")),
    ]);
    assert_eq!(backwards.status.code(), Some(2));
    assert!(text(&backwards.stderr).contains("comes after --to"), "{}", text(&backwards.stderr));
    assert!(!folder.path().join("r.pdf").exists(), "no empty report");

    let missing = knotmap(&["check", path(&folder.path().join("nowhere"))]);
    assert_eq!(missing.status.code(), Some(2));
    let said = text(&missing.stderr);
    assert!(said.contains("there is no folder") && !said.contains("not empty"), "{said}");
}
