//! Files read strictly and a `knotmap check` that is safe on anything, told as
//! what a clinic meets in a real folder: a pipe where a profile should be, a
//! linked folder, a typo in a field, a date that does not exist, leftovers of a
//! crash, a folder another laptop removed. Every problem names its file and,
//! where it can, the line and column, and nothing is changed that should not be.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use knotmap::check::{CheckReport, check_practice, check_practice_against, check_practice_cached};
use knotmap::model::{Client, Minutes, Pressure, RegionId, Session, SessionStatus};
use knotmap::storage::{Practice, Problem, SaveError};

/// A practice with one client, Ana, and one planned session with a plan.
struct Folder {
    _temp: tempfile::TempDir,
    root: PathBuf,
    client: Client,
    session: Session,
}

impl Folder {
    fn new() -> Folder {
        let temp = tempfile::tempdir().expect("temp dir");
        let root = temp.path().join("practice");
        let mut practice = Practice::open_or_create(&root).expect("practice");
        let client = Client::new("Ana Lima");
        practice.save_client(&client).expect("client");
        let start = jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0);
        let mut session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
        session.region_mut(RegionId::UpperTrapeziusL).pressure = Some(Pressure::MEDIUM);
        practice.save_session(&session).expect("session");
        Folder { _temp: temp, root, client, session }
    }

    fn practice(&self) -> Practice {
        Practice::open(&self.root).expect("opens")
    }

    fn session_path(&self) -> PathBuf {
        self.practice().session_path(&self.client.id, &self.session.id)
    }

    fn profile_path(&self) -> PathBuf {
        self.practice().client_path(&self.client.id)
    }

    /// Replaces `from` by `to` in the file at `path` (which must contain it).
    fn edit(&self, path: &Path, from: &str, to: &str) -> String {
        let text = fs::read_to_string(path).expect("text");
        assert!(text.contains(from), "{from:?} not in {}", path.display());
        let changed = text.replacen(from, to, 1);
        fs::write(path, &changed).expect("written");
        changed
    }
}

/// The problems `knotmap check` finds, as the user reads them.
fn checked(root: &Path) -> Vec<Problem> {
    check_practice(root).expect("a practice").problems
}

fn problem_about<'a>(problems: &'a [Problem], path: &Path) -> &'a Problem {
    problems
        .iter()
        .find(|problem| problem.path == path)
        .unwrap_or_else(|| panic!("no problem about {}: {problems:#?}", path.display()))
}

/// The line (from 1) of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|line| line.contains(needle)).unwrap_or_else(|| panic!("{needle:?} not found")) + 1
}

fn line(problem: &Problem) -> usize {
    problem.position.unwrap_or_else(|| panic!("no line in {problem}")).line
}

#[test]
fn a_pipe_named_like_a_profile_never_makes_check_hang_and_is_reported() {
    let folder = Folder::new();
    let profile = folder.profile_path();
    fs::remove_file(&profile).expect("removed");
    let made = Command::new("mkfifo").arg(&profile).status().expect("mkfifo runs");
    assert!(made.success());
    let settings = folder.root.join("practice.ron");
    fs::remove_file(&settings).expect("removed");
    assert!(Command::new("mkfifo").arg(&settings).status().expect("mkfifo runs").success());

    let mut check = Command::new(env!("CARGO_BIN_EXE_knotmap"))
        .args(["check", folder.root.to_str().expect("path")])
        .env("XDG_CACHE_HOME", folder.root.with_extension("cache"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("knotmap runs");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = check.try_wait().expect("waits") {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = check.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let status = status.expect("check finished instead of hanging on a pipe");
    let mut printed = String::new();
    std::io::Read::read_to_string(&mut check.stdout.take().expect("stdout"), &mut printed).expect("output");
    assert!(printed.contains("not a regular file"), "{printed}");
    assert!(printed.contains(&profile.display().to_string()), "{printed}");
    assert!(!status.success() || printed.contains("not a regular file"));
}

#[test]
fn a_clients_folder_that_is_a_link_to_another_place_is_never_followed() {
    let folder = Folder::new();
    let elsewhere = folder.root.parent().expect("parent").join("someone-elses");
    fs::rename(folder.root.join("clients"), &elsewhere).expect("moved away");
    std::os::unix::fs::symlink(&elsewhere, folder.root.join("clients")).expect("linked");

    let report = check_practice(&folder.root).expect("a practice");
    assert_eq!((report.clients, report.sessions), (0, 0), "nothing behind the link was read");
    let problem = problem_about(&report.problems, &folder.root.join("clients"));
    assert!(problem.message.contains("link"), "{problem}");
}

#[test]
fn a_sessions_folder_that_is_a_link_is_never_followed() {
    let folder = Folder::new();
    let sessions = folder.session_path().parent().expect("sessions").to_owned();
    let elsewhere = folder.root.parent().expect("parent").join("sessions-elsewhere");
    fs::rename(&sessions, &elsewhere).expect("moved away");
    std::os::unix::fs::symlink(&elsewhere, &sessions).expect("linked");

    let report = check_practice(&folder.root).expect("a practice");
    assert_eq!(report.sessions, 0);
    assert!(problem_about(&report.problems, &sessions).message.contains("link"));
}

#[test]
fn every_session_is_checked_even_when_the_clients_profile_cannot_be_read() {
    let folder = Folder::new();
    let session_path = folder.session_path();
    let text = folder.edit(&session_path, "pressure: Some(3)", "pressure: Some(6)");
    fs::write(folder.profile_path(), "(format: 2, client: (id: ").expect("broken profile");

    let report = check_practice(&folder.root).expect("a practice");
    let problem = problem_about(&report.problems, &session_path);
    assert_eq!(line(problem), line_of(&text, "pressure: Some(6)"), "{problem}");
    assert!(report.problems.iter().any(|problem| problem.path == folder.profile_path()));
    assert_eq!(report.sessions, 1);
}

#[test]
fn a_safety_warning_is_not_lost_when_the_profile_cannot_be_read() {
    let folder = Folder::new();
    let mut practice = folder.practice();
    let mut earlier = Session::new(
        folder.client.id.clone(),
        jiff::civil::date(2026, 11, 16).at(9, 30, 0, 0),
        Minutes::new(60).expect("minutes"),
    );
    earlier.region_mut(RegionId::UpperTrapeziusL).pressure = Some(Pressure::VERY_LIGHT);
    earlier.status = SessionStatus::Completed;
    earlier.before_safety_gate = true;
    practice.save_session(&earlier).expect("saved");
    fs::write(folder.profile_path(), "not a profile").expect("broken profile");

    let report = check_practice(&folder.root).expect("a practice");
    let warning = report
        .warnings
        .iter()
        .find(|warning| warning.path == folder.session_path())
        .unwrap_or_else(|| panic!("the pressure rise is still warned: {:#?}", report.warnings));
    assert!(warning.message.contains("steps above"), "{}", warning.message);
    assert!(warning.message.contains("without the client's health flags"), "{}", warning.message);
}

#[test]
fn upper_case_client_folders_and_session_files_are_reported_not_read() {
    let folder = Folder::new();
    let upper_client = folder.root.join("clients").join("Ana-Lima");
    fs::create_dir(&upper_client).expect("folder");
    let sessions = folder.session_path().parent().expect("sessions").to_owned();
    let upper_session = sessions.join("2026-11-30-0930-ABCDE.ron");
    fs::copy(folder.session_path(), &upper_session).expect("copy");

    let report = check_practice(&folder.root).expect("a practice");
    assert_eq!((report.clients, report.sessions), (1, 1));
    let client_problem = &problem_about(&report.problems, &upper_client).message;
    assert!(client_problem.contains("does not belong"), "{client_problem}");
    assert!(client_problem.contains("IDs are lower case, so rename it `ana-lima`"), "{client_problem}");
    let session_problem = &problem_about(&report.problems, &upper_session).message;
    assert!(session_problem.contains("rename it `2026-11-30-0930-abcde.ron`"), "{session_problem}");
}

#[test]
fn an_unknown_field_is_reported_at_its_line_and_the_file_is_never_saved_over() {
    let folder = Folder::new();
    let path = folder.session_path();
    let text =
        folder.edit(&path, "pressure: Some(3),", "pressure: Some(3),\n                presure: Some(5),");

    let mut practice = folder.practice();
    assert!(practice.read_session(&folder.client.id, &folder.session.id).is_none());
    let problem = problem_about(practice.problems(), &path).clone();
    assert!(problem.message.contains("unknown field `presure`"), "{problem}");
    assert!(problem.message.contains("saving would drop it"), "{problem}");
    assert_eq!(line(&problem), line_of(&text, "presure:"), "{problem}");
    assert!(matches!(practice.save_session(&folder.session), Err(SaveError::ReadOnly { .. })));
    assert_eq!(fs::read_to_string(&path).expect("text"), text);
}

#[test]
fn a_rule_broken_after_reading_points_at_the_field_that_breaks_it() {
    let current = format!("format: {},", knotmap::storage::CURRENT_FORMAT);
    let cases: [(&str, &str, &str, &str); 6] = [
        (&current, "format: 0,", "format:", "format 0 does not exist"),
        (&current, "format: 99,", "format:", "newer version"),
        ("client: \"ana-lima", "client: \"zoe-martin", "client:", "but its file is"),
        ("id: \"2026-11-23-0930", "id: \"2026-11-24-0930", "id:", "but its file is"),
        ("minutes: 60,", "minutes: 0,", "minutes:", "at least one minute"),
        (
            "overrides: [],",
            "overrides: [(rule: PressureCap, region: None, reason: \"  \", decided_at: \"2026-11-23T09:00:00\")],",
            "overrides:",
            "written reason",
        ),
    ];
    for (from, to, field, says) in cases {
        let folder = Folder::new();
        let path = folder.session_path();
        let text = folder.edit(&path, from, to);
        let problems = checked(&folder.root);
        let problem = problem_about(&problems, &path);
        assert!(problem.message.contains(says), "{to}: {problem}");
        assert_eq!(line(problem), line_of(&text, field), "{to}: {problem}");
    }
}

#[test]
fn a_region_written_twice_is_pointed_at_where_it_comes_again() {
    let folder = Folder::new();
    let path = folder.session_path();
    let mut session = folder.session.clone();
    session.regions.push(session.regions[0].clone());
    let text = knotmap::storage::KeptFile::to_ron(&session).expect("text");
    fs::write(&path, &text).expect("written");
    let problems = checked(&folder.root);
    let problem = problem_about(&problems, &path);
    assert!(problem.message.contains("more than one entry"), "{problem}");
    let second = text.match_indices("upper_trapezius_l").nth(1).expect("twice").0;
    assert_eq!(line(problem), text[..second].lines().count(), "{problem}");
}

#[test]
fn messages_say_what_is_wrong_in_words_a_therapist_can_act_on() {
    let folder = Folder::new();
    let path = folder.session_path();

    folder.edit(&path, "upper_trapezius_l", "upper_trapezius_x");
    let message = problem_about(&checked(&folder.root), &path).message.clone();
    assert!(message.contains("did you mean `upper_trapezius_"), "{message}");
    assert!(!message.contains("erector_spinae"), "not the whole catalogue: {message}");

    folder.edit(&path, "upper_trapezius_x", "upper_trapezius_l");
    folder.edit(&path, "2026-11-23T09:30:00", "2026-02-30T09:30:00");
    let message = problem_about(&checked(&folder.root), &path).message.clone();
    assert!(message.contains("does not exist"), "{message}");
    assert!(message.contains("runs from 1 to 28"), "{message}");

    let deep = format!("(format: 2, session: {}{})", "[".repeat(500), "]".repeat(500));
    fs::write(&path, deep).expect("written");
    let message = problem_about(&checked(&folder.root), &path).message.clone();
    assert!(message.contains("nested more than"), "{message}");
    assert!(!message.contains("serde_stacker") && !message.contains("recursion_limit"), "{message}");
}

#[test]
fn a_byte_order_mark_at_the_start_of_a_file_is_accepted() {
    let folder = Folder::new();
    let path = folder.session_path();
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(fs::read(&path).expect("bytes"));
    fs::write(&path, bytes).expect("written");
    let mut practice = folder.practice();
    assert_eq!(practice.read_session(&folder.client.id, &folder.session.id), Some(folder.session.clone()));
    assert_eq!(practice.problems(), &[] as &[Problem]);
}

#[test]
fn a_client_folder_without_a_profile_and_a_folder_in_place_of_a_file_are_said_plainly() {
    let folder = Folder::new();
    fs::remove_file(folder.profile_path()).expect("removed");
    let problems = checked(&folder.root);
    let message = &problem_about(&problems, &folder.profile_path()).message;
    assert!(message.contains("has no client.ron profile"), "{message}");
    assert!(!message.contains("os error"), "{message}");

    let folder = Folder::new();
    let path = folder.session_path();
    fs::remove_file(&path).expect("removed");
    fs::create_dir(&path).expect("a folder named like the file");
    let message = problem_about(&checked(&folder.root), &path).message.clone();
    assert!(
        message.contains("does not belong") || message.contains("folder where a file should be"),
        "{message}"
    );
    assert!(!message.contains("os error"), "{message}");
}

#[test]
fn check_reads_the_trash_too() {
    let folder = Folder::new();
    let mut practice = folder.practice();
    let entry = practice.trash_session(&folder.client.id, &folder.session.id).expect("trashed");
    let item = entry.folder.join("item");
    fs::write(&item, "(format: 2, session: (id: 12))").expect("broken in the trash");
    let problems = checked(&folder.root);
    assert!(problems.iter().any(|problem| problem.path == item), "{problems:#?}");
}

#[test]
fn an_unreadable_trash_entry_is_listed_not_dropped() {
    let folder = Folder::new();
    let mut practice = folder.practice();
    let entry = practice.trash_session(&folder.client.id, &folder.session.id).expect("trashed");
    fs::write(entry.folder.join("trashed.ron"), "garbage").expect("broken record");
    assert_eq!(practice.trash(), []);
    assert!(practice.problems().iter().any(|problem| problem.path == entry.folder.join("trashed.ron")));
}

fn leftover_in(folder: &Path, name: &str, age: Duration) -> PathBuf {
    let path = folder.join(name);
    fs::write(&path, "(format: 2, session: (half a save").expect("written");
    let file = fs::File::options().write(true).open(&path).expect("open");
    file.set_modified(SystemTime::now() - age).expect("dated");
    path
}

#[test]
fn temporary_files_of_an_interrupted_save_are_listed_by_check_and_removed_on_opening() {
    let folder = Folder::new();
    let sessions = folder.session_path().parent().expect("sessions").to_owned();
    let stale = leftover_in(&sessions, ".knotmap-a1b2c3.tmp", Duration::from_secs(3600));
    let in_flight = leftover_in(&sessions, ".knotmap-d4e5f6.tmp", Duration::ZERO);

    let problems = checked(&folder.root);
    assert!(problem_about(&problems, &stale).message.contains("interrupted"));
    assert!(!problems.iter().any(|problem| problem.path == in_flight), "another laptop's save in flight");
    assert!(stale.exists(), "check writes nothing");

    let practice = Practice::open_or_create(&folder.root).expect("opens");
    assert!(!stale.exists());
    assert!(in_flight.exists());
    assert!(problem_about(practice.problems(), &stale).message.contains("it was removed"));
}

#[test]
fn a_session_deleted_elsewhere_while_open_is_written_back_where_it_was() {
    let folder = Folder::new();
    let mut practice = folder.practice();
    let path = folder.session_path();
    let mut edited = practice.read_session(&folder.client.id, &folder.session.id).expect("read");
    fs::remove_file(&path).expect("removed on another laptop");
    edited.goals = "Written after the other laptop removed it".to_owned();

    let saved = practice.save_session(&edited);
    assert!(matches!(saved, Err(SaveError::RemovedElsewhere { .. })), "{saved:?}");
    assert!(fs::read_to_string(&path).expect("back on disk").contains("Written after the other laptop"));
    let copies = fs::read_dir(path.parent().expect("folder")).expect("list").count();
    assert_eq!(copies, 1, "no conflict copy nobody would look for");
}

#[test]
fn a_client_folder_removed_elsewhere_while_open_gets_the_profile_and_the_edit_back() {
    let folder = Folder::new();
    let mut practice = folder.practice();
    let mut edited = practice.read_session(&folder.client.id, &folder.session.id).expect("read");
    fs::remove_dir_all(practice.client_folder(&folder.client.id)).expect("removed on another laptop");
    edited.goals = "Kept".to_owned();

    let saved = practice.save_session(&edited);
    assert!(matches!(saved, Err(SaveError::RemovedElsewhere { .. })), "{saved:?}");
    let mut reopened = folder.practice();
    assert_eq!(
        reopened.client(&folder.client.id).map(|entry| entry.client.name.clone()).as_deref(),
        Some("Ana Lima")
    );
    assert_eq!(reopened.read_sessions(&folder.client.id), [edited]);
}

#[test]
fn check_fails_rather_than_passing_quietly_when_the_safety_rules_cannot_be_built() {
    let folder = Folder::new();
    let broken = knotmap::geometry::BodyMap::from_ron("not a body map").expect_err("a broken map");
    let report = check_practice_against(&folder.root, Err(&broken), None).expect("a practice");
    let problem = problem_about(&report.problems, &folder.root);
    assert!(problem.message.contains("safety rules could not be built"), "{problem}");
}

#[test]
fn a_plan_saved_to_a_bare_file_name_is_saved_and_says_so() {
    use knotmap::storage::{PlanFile, open_plan_file, save_plan_file};
    let folder = Folder::new();
    let here = tempfile::tempdir().expect("temp dir");
    // Only this test uses relative paths; the others use absolute ones.
    std::env::set_current_dir(here.path()).expect("cd");
    let plan =
        PlanFile::new("Ana Lima", folder.session.clone(), jiff::civil::date(2026, 11, 23).at(10, 0, 0, 0));
    let saved = save_plan_file(Path::new("plan.ron"), &plan);
    assert!(saved.is_ok(), "{saved:?}");
    assert_eq!(open_plan_file(&here.path().join("plan.ron")).expect("reads").plan, plan);
}

#[test]
fn a_trashed_client_in_good_order_is_no_problem_for_check() {
    let folder = Folder::new();
    let mut practice = folder.practice();
    practice.trash_client(&folder.client.id).expect("trashed");
    assert_eq!(checked(&folder.root), [] as [Problem; 0]);
}

#[test]
fn a_completed_record_put_in_the_trash_by_hand_is_reported_by_check() {
    let folder = Folder::new();
    let mut practice = folder.practice();
    let entry = practice.trash_session(&folder.client.id, &folder.session.id).expect("trashed");
    // Completed by hand in the trash: as if a record had been moved there outside Knotmap.
    let item = entry.folder.join("item");
    let text = fs::read_to_string(&item).expect("the trashed session");
    fs::write(&item, text.replacen("status: Planned", "status: Completed", 1)).expect("a record now");
    let problems = checked(&folder.root);
    let problem = problems.iter().find(|problem| problem.path == item).expect("reported");
    assert!(problem.message.contains("a record is never moved to the trash"), "{problem}");
    assert!(problem.message.contains("entered in error"), "{problem}");
}

/// What a check says, as the user reads it: the counts, every problem and every warning.
fn said(report: &CheckReport) -> (usize, usize, Vec<String>, Vec<String>) {
    (
        report.clients,
        report.sessions,
        report.problems.iter().map(ToString::to_string).collect(),
        report.warnings.iter().map(ToString::to_string).collect(),
    )
}

/// The sample practice, with a session that has a misspelt field (a problem)
/// and one whose pressure goes over a health flag's cap without a reason (a warning).
fn practice_to_check(folder: &Path) -> PathBuf {
    let root = folder.join("practice");
    knotmap::sample::write_sample_practice(&root, jiff::civil::date(2026, 11, 23)).expect("the sample");
    let practice = Practice::open(&root).expect("opens");
    let mut sessions: Vec<PathBuf> = practice
        .clients()
        .flat_map(|entry| entry.sessions.iter().map(|id| practice.session_path(&entry.client.id, id)))
        .collect();
    sessions.sort();
    let broken = &sessions[3];
    let text = fs::read_to_string(broken).expect("text");
    fs::write(broken, text.replacen("goals:", "gaols:", 1)).expect("written");
    root
}

/// The practice at `root`'s first session file of its `nth` client.
fn first_session_of(root: &Path, nth: usize) -> PathBuf {
    let practice = Practice::open(root).expect("opens");
    let entry = practice.clients().nth(nth).expect("a client");
    practice.session_path(&entry.client.id, &entry.sessions[0])
}

/// Sets the modification time of the file at `path`.
fn set_modified(path: &Path, time: SystemTime) {
    let file = fs::OpenOptions::new().write(true).open(path).expect("opens");
    file.set_modified(time).expect("time set");
}

/// Changes a session file behind the cache: the same length, the same inode.
fn change_keeping_the_size(path: &Path) {
    let text = fs::read_to_string(path).expect("text");
    let changed = text.replacen("minutes:", "minutez:", 1);
    assert_eq!(changed.len(), text.len());
    fs::write(path, changed).expect("written in place");
}

#[test]
fn a_second_check_of_an_unchanged_practice_reads_no_session_again_and_says_the_same() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = practice_to_check(folder.path());
    let cache = folder.path().join("cache");
    let without = check_practice(&root).expect("checked");
    assert_eq!(without.problems.len(), 1, "{:?}", without.problems);

    let first = check_practice_cached(&root, &cache).expect("checked");
    assert_eq!(said(&first), said(&without));
    assert_eq!(first.from_cache, 0, "nothing was cached yet");
    let second = check_practice_cached(&root, &cache).expect("checked");
    assert_eq!(said(&second), said(&without));
    assert_eq!(second.from_cache, without.clients, "every client came from the cache");
    assert!(fs::read_dir(&root).expect("listed").flatten().all(|entry| entry.file_name() != "cache"));

    // A damaged cache is passed over and written anew.
    for file in fs::read_dir(&cache).expect("the cache folder").flatten() {
        fs::write(file.path(), "knotmap check cache 1\nkey\tnot a key\n").expect("damaged");
    }
    let damaged = check_practice_cached(&root, &cache).expect("checked");
    assert_eq!((said(&damaged), damaged.from_cache), (said(&without), 0));
    assert_eq!(check_practice_cached(&root, &cache).expect("checked").from_cache, without.clients);
}

#[test]
fn a_file_changed_behind_the_cache_with_its_size_and_rounded_time_kept_is_read_again() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = practice_to_check(folder.path());
    let cache = folder.path().join("cache");
    let path = first_session_of(&root, 0);
    // A sync tool that keeps times to the second.
    let rounded = SystemTime::UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    set_modified(&path, rounded);
    check_practice_cached(&root, &cache).expect("checked");

    change_keeping_the_size(&path);
    set_modified(&path, rounded);
    let cached = check_practice_cached(&root, &cache).expect("checked");
    let without = check_practice(&root).expect("checked");
    assert_eq!(said(&cached), said(&without));
    assert!(without.problems.iter().any(|problem| problem.path == path), "the change is a problem");
    assert_eq!(cached.from_cache, without.clients - 1);
}

#[test]
fn a_file_changed_just_before_the_cache_was_written_is_read_again_even_with_its_time_put_back() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = practice_to_check(folder.path());
    let cache = folder.path().join("cache");
    let path = first_session_of(&root, 1);
    // Written a moment ago, to the nanosecond: the time alone cannot tell a
    // second change within the file system's resolution.
    let moment = SystemTime::now() - Duration::from_millis(300);
    set_modified(&path, moment);
    check_practice_cached(&root, &cache).expect("checked");

    change_keeping_the_size(&path);
    set_modified(&path, moment);
    let cached = check_practice_cached(&root, &cache).expect("checked");
    assert_eq!(said(&cached), said(&check_practice(&root).expect("checked")));
    assert!(cached.problems.iter().any(|problem| problem.path == path));
}

#[test]
fn a_new_session_a_removed_one_and_an_edited_profile_are_each_checked_again() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = practice_to_check(folder.path());
    let cache = folder.path().join("cache");
    check_practice_cached(&root, &cache).expect("checked");
    let mut practice = Practice::open(&root).expect("opens");
    let mut entries = practice.clients().map(|entry| (entry.client.clone(), entry.sessions.clone()));
    let (first, first_sessions) = entries.next().expect("a client");
    let (second, _) = entries.next().expect("a client");
    let (third, _) = entries.next().expect("a client");
    drop(entries);
    // A session added (over the cap of a flag, with no reason), a session file
    // removed by hand, a profile given a health flag.
    let mut added = Session::new(
        second.id.clone(),
        jiff::civil::date(2026, 11, 30).at(9, 0, 0, 0),
        Minutes::new(30).expect("30"),
    );
    added.region_mut(RegionId::UpperTrapeziusL).pressure = Some(Pressure::DEEP);
    practice.save_session(&added).expect("saved");
    fs::remove_file(practice.session_path(&first.id, &first_sessions[0])).expect("removed");
    let mut flagged = third.clone();
    flagged
        .health_flags
        .insert(knotmap::model::HealthFlag::BloodThinners, knotmap::model::FlagDetails::default());
    practice.save_client(&flagged).expect("saved");
    drop(practice);

    let cached = check_practice_cached(&root, &cache).expect("checked");
    let without = check_practice(&root).expect("checked");
    assert_eq!(said(&cached), said(&without));
    assert_eq!(cached.from_cache, without.clients - 3);
}
