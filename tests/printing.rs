//! Printing as a clinic uses it: the plan sheet, the take-home sheet and the
//! progress report, read back from the PDF the way a reader would check them.

use crate::printed;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use jiff::civil::date;
use knotmap::model::{Client, Minutes, PaperSize, PracticeSettings, Pressure, RegionId, Session};
use knotmap::print::{DocumentKind, SessionSheet};
use knotmap::storage::Practice;
use printed::{
    GOALS, GP_REASON, ReadPdf, THERAPIST_NOTE, ana, anas_plan, long_history, printed_at, report_of,
};

fn knotmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_knotmap")).args(args).output().expect("the knotmap binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("a temporary path is text")
}

/// A practice folder with Ana and her plan; returns the folder and the plan's file.
fn practice_with_anas_plan(root: &Path) -> PathBuf {
    let mut practice = Practice::open_or_create(root).expect("a practice");
    let settings = PracticeSettings {
        clinic_name: "Harbour Street Massage".into(),
        contact: "0161 496 0000".into(),
        ..PracticeSettings::default()
    };
    practice.save_settings(&settings).expect("settings saved");
    let client = ana();
    practice.save_client(&client).expect("client saved");
    let session = anas_plan(&client);
    practice.save_session(&session).expect("session saved");
    practice.session_path(&client.id, &session.id)
}

/// `knotmap print DOCUMENT` of Ana's plan, to a file, read back.
fn anas_plan_printed_by_the_command_line(document: &str) -> ReadPdf {
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = practice_with_anas_plan(&folder.path().join("practice"));
    let out = folder.path().join(format!("ana-{document}.pdf"));
    let printed = knotmap(&["print", document, arg(&plan), "-o", arg(&out)]);
    assert!(printed.status.success(), "{}", text(&printed.stderr));
    ReadPdf::from_file(&out)
}

#[test]
fn a_plan_sheet_printed_from_the_command_line_is_one_page_with_everything_the_therapist_checks() {
    let pdf = anas_plan_printed_by_the_command_line("plan");
    assert_eq!(pdf.pages(), 1);
    let page = pdf.flat_text();
    for wanted in [
        "Harbour Street Massage",
        "Ana Lima",
        "born 12 Mar 1984",
        "Mon 30 Nov 2026, 09:00",
        "therapist Mira Santos",
        GOALS,
        "Upper trapezius, client's left",
        "Rhomboids, client's right",
        "4 firm",
        "Total planned: 25 of 60 min",
        "Health flag: Blood thinners",
        GP_REASON,
        "planning aid, not medical advice",
        "CLIENT'S LEFT",
        "CLIENT'S RIGHT",
        "Printed",
    ] {
        assert!(page.contains(wanted), "the plan sheet lacks {wanted:?}:\n{page}");
    }
    let warning =
        pdf.lines().into_iter().find(|line| line.text.contains("Warning (Upper trapezius, client's left)"));
    assert!(warning.is_some(), "the cap warning is named with its region:\n{page}");
}

#[test]
fn on_the_printed_map_client_s_left_stands_over_the_left_half_and_client_s_right_over_the_right() {
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = practice_with_anas_plan(&folder.path().join("practice"));
    let loaded = knotmap::print::source::load_session_file(&plan).expect("the plan reads");
    let sheet = SessionSheet {
        clinic_rules: &knotmap::model::ClinicRules::default(),
        settings: &loaded.settings,
        client: loaded.client.as_ref(),
        session: &loaded.session,
        previous: None,
        source: &loaded.shown_path,
        printed_at: printed_at(),
        paper: PaperSize::A4,
    };
    let printed = knotmap::print::plan_sheet(&sheet).expect("laid out");
    let map_area = printed::map_area_of(&printed);
    let midline = f64::from(map_area.x + map_area.width / 2.0);
    let pdf = ReadPdf::from_bytes(&printed.pdf().expect("a PDF"));
    let (_, left_x, left_y) = pdf.position_of("CLIENT'S LEFT").expect("CLIENT'S LEFT is printed");
    let (_, right_x, right_y) = pdf.position_of("CLIENT'S RIGHT").expect("CLIENT'S RIGHT is printed");
    assert!(left_x < midline - 40.0, "CLIENT'S LEFT starts at {left_x}, the map's midline is {midline}");
    assert!(right_x > midline, "CLIENT'S RIGHT starts at {right_x}, the map's midline is {midline}");
    assert!((left_y - right_y).abs() < 1.0, "both labels stand level");
    assert!(left_y < f64::from(map_area.y) + 20.0, "the labels are at the map's top");
}

#[test]
fn the_take_home_sheet_leaves_out_health_flags_warnings_and_therapist_notes() {
    let pdf = anas_plan_printed_by_the_command_line("take-home");
    let page = pdf.flat_text();
    for wanted in [
        "Your massage on 30 Nov 2026",
        "Ana Lima",
        "Top of shoulder: your left side",
        "Drink plenty of water",
        "0161 496 0000",
        "CLIENT'S LEFT",
    ] {
        assert!(page.contains(wanted), "the take-home sheet lacks {wanted:?}:\n{page}");
    }
    for secret in ["Blood thinners", "Warfarin", "Warning", GP_REASON, THERAPIST_NOTE, "firm", "cap"] {
        assert!(!page.contains(secret), "the take-home sheet shows {secret:?}:\n{page}");
    }
}

#[test]
fn a_day_of_plans_is_printed_one_pdf_per_session_and_a_bad_file_is_reported_while_the_rest_print() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    let ana_file = practice_with_anas_plan(&root);
    let mut practice = Practice::open(&root).expect("opens");
    let mut ben = Client::new("Ben Okafor");
    ben.id = knotmap::model::ClientId::new("ben-okafor").expect("id");
    practice.save_client(&ben).expect("saved");
    let mut bens =
        Session::new(ben.id.clone(), date(2026, 11, 30).at(14, 30, 0, 0), Minutes::new(45).expect("minutes"));
    bens.region_mut(RegionId::LevatorScapulaeR).pressure = Pressure::new(3).ok();
    practice.save_session(&bens).expect("saved");
    let mut tomorrow =
        Session::new(ben.id.clone(), date(2026, 12, 1).at(9, 0, 0, 0), Minutes::new(45).expect("minutes"));
    tomorrow.goals = "not today".into();
    practice.save_session(&tomorrow).expect("saved");
    let out = folder.path().join("today");

    let printed =
        knotmap(&["print", "plan", "--practice", arg(&root), "--day", "2026-11-30", "--out-dir", arg(&out)]);
    assert!(printed.status.success(), "{}", text(&printed.stderr));
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .expect("the folder was made")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["2026-11-30-0900-ana-lima-plan.pdf", "2026-11-30-1430-ben-okafor-plan.pdf"]);
    assert!(ReadPdf::from_file(&out.join(&written[1])).text().contains("Ben Okafor"));

    // A broken file among the ones named: reported with its line, the others printed.
    let broken = folder.path().join("broken.ron");
    std::fs::write(&broken, "(\n  format: 2,\n  id: \"s1\",\n  presure: 3,\n").expect("written");
    let again = folder.path().join("again");
    let printed = knotmap(&["print", "plan", arg(&ana_file), arg(&broken), "--out-dir", arg(&again)]);
    assert_eq!(printed.status.code(), Some(1));
    let stderr = text(&printed.stderr);
    assert!(stderr.contains(&format!("{}:", broken.display())), "{stderr}");
    assert!(
        stderr.lines().any(|line| line.starts_with(&format!("{}:", broken.display()))
            && line.split(':').nth(1).is_some_and(|n| n.parse::<u32>().is_ok())),
        "path:line:col: {stderr}"
    );
    assert!(again.join("2026-11-30-0900-ana-lima-plan.pdf").exists());

    // Wrong arguments: exit 2 with a plain message.
    let wrong =
        knotmap(&["print", "plan", arg(&ana_file), arg(&broken), "-o", arg(&folder.path().join("x.pdf"))]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(text(&wrong.stderr).contains("--out-dir"), "{}", text(&wrong.stderr));
    let nowhere = knotmap(&["print", "plan", arg(&ana_file)]);
    assert_eq!(nowhere.status.code(), Some(2));
}

#[test]
fn a_progress_report_shows_both_maps_the_changes_with_symbols_the_trends_and_every_session() {
    let client = ana();
    let sessions = long_history(&client, 12);
    let report = report_of(&PracticeSettings::default(), &client, &sessions, PaperSize::Letter);
    assert_eq!(report.kind, DocumentKind::ProgressReport);
    let pdf = ReadPdf::from_bytes(&report.pdf().expect("a PDF"));
    assert!(pdf.pages() >= 2);
    assert!(pdf.page_sizes.iter().all(|size| (size[0] - 612.0).abs() < 0.5), "Letter paper");
    let all = pdf.flat_text();
    for wanted in [
        "12 sessions from 4 Jan 2016",
        "First: 4 Jan 2016",
        "Latest: 21 Mar 2016",
        "▼ better",
        "Trends by area",
        "Pain before and after each session",
        "Pain after was noted wrongly",
        "Changed: pain after 3",
        "CLIENT'S LEFT",
    ] {
        assert!(all.contains(wanted), "the report lacks {wanted:?}:\n{all}");
    }
}

#[test]
fn a_client_with_500_sessions_gets_a_readable_report_of_many_pages() {
    let client = ana();
    let sessions = long_history(&client, 500);
    let report = report_of(&PracticeSettings::default(), &client, &sessions, PaperSize::A4);
    let pdf = ReadPdf::from_bytes(&report.pdf().expect("a PDF"));
    assert!(pdf.pages() > 5 && pdf.pages() < 60, "{} pages", pdf.pages());
    assert!(pdf.text().contains("500 sessions"));
    assert!(pdf.page_text(pdf.pages() - 1).contains("continued"));
}

fn sheet_of(
    session: &Session,
    client: Option<&Client>,
    settings: &PracticeSettings,
) -> knotmap::print::Printed {
    let sheet = SessionSheet {
        clinic_rules: &knotmap::model::ClinicRules::default(),
        settings,
        client,
        session,
        previous: None,
        source: Path::new("clients/x/sessions/s.ron"),
        printed_at: printed_at(),
        paper: PaperSize::A4,
    };
    knotmap::print::plan_sheet(&sheet).expect("laid out")
}

#[test]
fn a_plan_with_every_region_and_long_notes_continues_on_a_second_page_and_no_row_is_split() {
    let client = ana();
    let mut session = anas_plan(&client);
    for (index, region) in RegionId::all().enumerate() {
        let work = session.region_mut(region);
        work.pressure = Pressure::new(2).ok();
        work.notes = format!("{} ", region.accessible_name()).repeat(4) + &format!("end{index}x");
    }
    let printed = sheet_of(&session, Some(&client), &PracticeSettings::default());
    let pdf = ReadPdf::from_bytes(&printed.pdf().expect("a PDF"));
    assert!(pdf.pages() >= 2);
    assert!(pdf.page_text(1).contains("Plan sheet: Ana Lima, 30 Nov 2026, continued"));
    assert!(pdf.page_text(1).contains("Region"), "the table's headings are repeated");
    let lines = pdf.lines();
    let regions: Vec<RegionId> = session.regions.iter().map(|work| work.region).collect();
    for (row, region) in regions.iter().enumerate() {
        let index = RegionId::all().position(|r| r == *region).expect("in the catalogue");
        let start = lines
            .iter()
            .find(|line| line.text.starts_with(&format!("{} {}", row + 1, region.info().name)))
            .unwrap_or_else(|| panic!("row {} is printed", row + 1));
        let end =
            lines.iter().find(|line| line.text.contains(&format!("end{index}x"))).expect("its notes end");
        assert_eq!(start.page, end.page, "row {} ({region}) is split across pages", row + 1);
    }
}

#[test]
fn names_in_several_scripts_an_empty_plan_and_a_missing_profile_still_print_a_readable_sheet() {
    let mut client = Client::new("Ana Lima سارة नमस्ते שלום");
    client.id = knotmap::model::ClientId::new("ana-lima").expect("id");
    let mut session = Session::new(
        client.id.clone(),
        date(2026, 11, 30).at(9, 0, 0, 0),
        Minutes::new(60).expect("minutes"),
    );
    session.goals = "Less pain — أقل ألم".into();
    let printed = sheet_of(&session, Some(&client), &PracticeSettings::default());
    let bytes = printed.pdf().expect("a PDF");
    let haystack = String::from_utf8_lossy(&bytes);
    for font in ["NotoSans", "NotoSansArabic", "NotoSansDevanagari", "NotoSansHebrew"] {
        assert!(haystack.contains(font), "{font} is embedded");
    }
    let pdf = ReadPdf::from_bytes(&bytes);
    assert!(pdf.text().contains("No regions are planned yet."));

    let without_profile = sheet_of(&session, None, &PracticeSettings::default());
    let pdf = ReadPdf::from_bytes(&without_profile.pdf().expect("a PDF"));
    assert!(pdf.text().contains("The client's profile could not be read"), "{}", pdf.text());
}

#[test]
fn a_report_for_a_client_the_practice_does_not_have_is_refused_with_a_plain_message() {
    let folder = tempfile::tempdir().expect("temp dir");
    let root = folder.path().join("practice");
    practice_with_anas_plan(&root);
    let printed = knotmap(&[
        "print",
        "report",
        "--practice",
        arg(&root),
        "nobody",
        "-o",
        arg(&folder.path().join("r.pdf")),
    ]);
    assert_eq!(printed.status.code(), Some(2));
    assert!(text(&printed.stderr).contains("has no client \"nobody\""), "{}", text(&printed.stderr));
    let report = knotmap(&[
        "print",
        "report",
        "--practice",
        arg(&root),
        "ana-lima",
        "-o",
        arg(&folder.path().join("r.pdf")),
    ]);
    assert!(report.status.success(), "{}", text(&report.stderr));
}

#[test]
fn a_plan_sheet_stays_under_150_kb_and_a_report_of_100_sessions_under_1_mb() {
    let client = ana();
    let plan =
        sheet_of(&anas_plan(&client), Some(&client), &PracticeSettings::default()).pdf().expect("a PDF");
    assert!(plan.len() < 150 * 1024, "the plan sheet is {} KB", plan.len() / 1024);
    let sessions = long_history(&client, 100);
    let report =
        report_of(&PracticeSettings::default(), &client, &sessions, PaperSize::A4).pdf().expect("a PDF");
    assert!(report.len() < 1024 * 1024, "the report is {} KB", report.len() / 1024);
}

#[test]
fn the_preview_draws_each_page_from_the_pdf_at_the_page_s_size_with_the_map_on_it() {
    let client = ana();
    let printed = sheet_of(&anas_plan(&client), Some(&client), &PracticeSettings::default());
    let pages = knotmap::print::preview::render_pages(printed.pdf().expect("a PDF"), 1.0).expect("drawn");
    assert_eq!(pages.len(), 1);
    let page = &pages[0];
    assert_eq!((page.width, page.height), (595, 841), "an A4 page at one pixel a point");
    let map_area = printed::map_area_of(&printed);
    // The body's skin tone fills the middle of the map's box.
    let (x, y) =
        ((map_area.x + map_area.width / 2.0) as usize, (map_area.y + map_area.height * 0.12) as usize);
    let pixel = &page.rgba[(y * page.width + x) * 4..][..3];
    assert!(pixel != [255, 255, 255], "the map is drawn: {pixel:?} at {x},{y}");
}

#[test]
fn a_name_in_a_script_knotmap_carries_no_font_for_prints_in_a_system_font() {
    // DejaVu Sans has Georgian, which Knotmap's own fonts lack; `.ci/run` installs it.
    let has_dejavu = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists();
    if !has_dejavu {
        assert!(std::env::var_os("CI").is_none(), "CI installs fonts-dejavu-core");
        return;
    }
    let mut client = Client::new("Nino ნინო");
    client.id = knotmap::model::ClientId::new("nino").expect("id");
    let session = Session::new(
        client.id.clone(),
        date(2026, 11, 30).at(9, 0, 0, 0),
        Minutes::new(60).expect("minutes"),
    );
    let bytes = sheet_of(&session, Some(&client), &PracticeSettings::default()).pdf().expect("a PDF");
    assert!(String::from_utf8_lossy(&bytes).contains("DejaVu"), "a system font with Georgian is embedded");
    assert!(ReadPdf::from_bytes(&bytes).text().contains("Nino ნინო"));
}

#[test]
fn print_never_writes_over_the_session_it_prints_a_pipe_or_a_device_nor_inside_the_practice() {
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = practice_with_anas_plan(&folder.path().join("practice"));
    let record = std::fs::read(&plan).expect("the session file");
    for (target, why) in [
        (plan.clone(), "holds something other than a PDF"),
        (PathBuf::from("/dev/full"), "not a regular file"),
        (folder.path().join("practice").join("ana.pdf"), "inside the practice folder"),
    ] {
        let printed = knotmap(&["print", "plan", arg(&plan), "-o", arg(&target)]);
        assert_eq!(printed.status.code(), Some(1), "{}: {}", target.display(), text(&printed.stderr));
        assert!(text(&printed.stderr).contains(why), "{}", text(&printed.stderr));
    }
    assert_eq!(std::fs::read(&plan).expect("the session file"), record, "the record is as it was");
    assert!(!folder.path().join("practice").join("ana.pdf").exists());
}

#[test]
fn what_print_makes_is_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = practice_with_anas_plan(&folder.path().join("practice"));
    let out_dir = folder.path().join("printed").join("today");
    let mut command = Command::new(env!("CARGO_BIN_EXE_knotmap"));
    command.args(["print", "plan", arg(&plan), "--out-dir", arg(&out_dir)]);
    // SAFETY: umask is async-signal-safe and touches only the child's own mask.
    unsafe {
        command.pre_exec(|| {
            libc::umask(0);
            Ok(())
        });
    }
    let printed = command.output().expect("the knotmap binary runs");
    assert!(printed.status.success(), "{}", text(&printed.stderr));
    let mode = |path: &Path| std::fs::metadata(path).expect("made").permissions().mode() & 0o777;
    assert_eq!(mode(&out_dir), 0o700, "the folder");
    assert_eq!(mode(&folder.path().join("printed")), 0o700, "and the one made above it");
    let pdf = std::fs::read_dir(&out_dir).expect("listed").next().expect("one PDF").expect("entry").path();
    assert_eq!(mode(&pdf), 0o600, "{}", pdf.display());
}

/// A folder holding a stand-in `lp` that never answers, as a frozen print server.
fn frozen_print_server(folder: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = folder.join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let lp = bin.join("lp");
    std::fs::write(&lp, "#!/bin/sh\nexec sleep 600\n").expect("lp");
    std::fs::set_permissions(&lp, std::fs::Permissions::from_mode(0o755)).expect("executable");
    bin
}

/// `knotmap print plan … --printer office`, with `lp` frozen and temporary files in `tmp`.
fn printing_to_a_frozen_server(folder: &Path, tmp: &Path, timeout: &str) -> std::process::Child {
    let plan = practice_with_anas_plan(&folder.join("practice"));
    let bin = frozen_print_server(folder);
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    Command::new(env!("CARGO_BIN_EXE_knotmap"))
        .args(["print", "plan", arg(&plan), "--printer", "office"])
        .env("PATH", path)
        .env("TMPDIR", tmp)
        .env("KNOTMAP_PRINT_TIMEOUT", timeout)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the knotmap binary runs")
}

#[test]
fn a_frozen_print_server_is_given_up_on_in_time_and_no_pdf_is_left_behind() {
    let folder = tempfile::tempdir().expect("temp dir");
    let tmp = folder.path().join("tmp");
    std::fs::create_dir_all(&tmp).expect("tmp");
    let printed = printing_to_a_frozen_server(folder.path(), &tmp, "1").wait_with_output().expect("ends");
    assert_eq!(printed.status.code(), Some(1));
    assert!(text(&printed.stderr).contains("did not answer within 1 s"), "{}", text(&printed.stderr));
    assert_eq!(std::fs::read_dir(&tmp).expect("tmp").count(), 0, "the temporary PDF is gone");
}

#[test]
fn an_end_signal_while_the_printer_is_waited_for_ends_the_command_and_removes_the_pdf() {
    let folder = tempfile::tempdir().expect("temp dir");
    let tmp = folder.path().join("tmp");
    std::fs::create_dir_all(&tmp).expect("tmp");
    let child = printing_to_a_frozen_server(folder.path(), &tmp, "600");
    // Wait until the PDF is handed to the printer: the temporary file is there.
    for _ in 0..200 {
        if std::fs::read_dir(&tmp).expect("tmp").count() > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    let pid = i32::try_from(child.id()).expect("a pid");
    // SAFETY: sending a signal to the child this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let printed = child.wait_with_output().expect("ends");
    assert_eq!(printed.status.code(), Some(1), "{}", text(&printed.stderr));
    assert!(text(&printed.stderr).contains("asked to end"), "{}", text(&printed.stderr));
    assert_eq!(std::fs::read_dir(&tmp).expect("tmp").count(), 0, "the temporary PDF is gone");
}

#[test]
fn the_print_job_is_titled_without_the_clients_name() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = practice_with_anas_plan(&folder.path().join("practice"));
    let bin = folder.path().join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let asked = folder.path().join("lp-was-asked");
    let lp = bin.join("lp");
    std::fs::write(&lp, format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", asked.display())).expect("lp");
    std::fs::set_permissions(&lp, std::fs::Permissions::from_mode(0o755)).expect("executable");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let printed = Command::new(env!("CARGO_BIN_EXE_knotmap"))
        .args(["print", "plan", arg(&plan), "--printer", "office"])
        .env("PATH", path)
        .output()
        .expect("the knotmap binary runs");
    assert!(printed.status.success(), "{}", text(&printed.stderr));
    let args = std::fs::read_to_string(&asked).expect("lp was run");
    let title = args.lines().skip_while(|line| *line != "-t").nth(1);
    assert_eq!(title, Some("Knotmap plan sheet"), "{args}");
    let before_file = args.split("\n--\n").next().unwrap_or_default();
    assert!(!before_file.to_lowercase().contains("ana"), "nothing but the file names the client: {args}");
}

/// `knotmap print plan … --printer NAME` with a stand-in `lp` that says `said` and fails.
fn printing_with_lp_saying(said: &str, printer: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = practice_with_anas_plan(&folder.path().join("practice"));
    let bin = folder.path().join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let lp = bin.join("lp");
    std::fs::write(&lp, format!("#!/bin/sh\necho '{said}' >&2\nexit 1\n")).expect("lp");
    std::fs::set_permissions(&lp, std::fs::Permissions::from_mode(0o755)).expect("executable");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let printed = Command::new(env!("CARGO_BIN_EXE_knotmap"))
        .args(["print", "plan", arg(&plan), "--printer", printer])
        .env("PATH", path)
        .output()
        .expect("the knotmap binary runs");
    assert_eq!(printed.status.code(), Some(1));
    text(&printed.stderr)
}

#[test]
fn an_unknown_printer_and_a_stopped_print_server_are_told_apart() {
    let unknown = printing_with_lp_saying("lp: The printer or class does not exist.", "ofice");
    assert!(unknown.contains("there is no printer called ofice"), "{unknown}");
    let stopped = printing_with_lp_saying("lp: Error - scheduler not responding.", "office");
    assert!(stopped.contains("the print server (CUPS) is not running"), "{stopped}");
}

/// The golden format-4 practice, copied: Ana's plan of the hip with her consent,
/// signed by her and her therapist on the laptop, the hip withdrawn since.
fn practice_with_a_signed_consent(folder: &Path) -> PathBuf {
    let root = folder.join("practice");
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/v4");
    let copied = Command::new("cp").arg("-r").arg(&golden).arg(&root).status().expect("cp runs");
    assert!(copied.success());
    root.join("clients/ana-lima-k3f9q/sessions/2026-12-07-0930-c4n5t.ron")
}

#[test]
fn the_consent_form_shows_what_was_agreed_the_signatures_with_their_times_and_the_withdrawal() {
    let folder = tempfile::tempdir().expect("temp dir");
    let session = practice_with_a_signed_consent(folder.path());
    let out = folder.path().join("consent.pdf");
    let printed = knotmap(&["print", "consent", arg(&session), "-o", arg(&out)]);
    assert!(printed.status.success(), "{}", text(&printed.stderr));
    let page = ReadPdf::from_file(&out).flat_text();
    for wanted in [
        "Consent for massage on 7 Dec 2026",
        "Harbour Street Massage",
        "For Ana Lima",
        "We plan to work on: Upper hip: your left side.",
        "Client: Ana Lima, 09:26 on 7 Dec 2026",
        "Therapist: Mira Santos, 09:26 on 7 Dec 2026",
        "At 09:41 on 7 Dec 2026: Upper hip: your left side (noted by Mira Santos).",
        "CLIENT'S LEFT",
    ] {
        assert!(page.contains(wanted), "the consent form lacks {wanted:?}:\n{page}");
    }
    let plan = folder.path().join("plan.pdf");
    let printed = knotmap(&["print", "plan", arg(&session), "-o", arg(&plan)]);
    assert!(printed.status.success(), "{}", text(&printed.stderr));
    let sheet = ReadPdf::from_file(&plan).flat_text();
    assert!(sheet.contains("consent signed 09:26, withdrawn 09:41 for Upper hip: your left side"), "{sheet}");
}

#[test]
fn the_signatures_on_the_consent_form_are_drawn_from_their_strokes_and_a_blank_form_has_empty_boxes() {
    let folder = tempfile::tempdir().expect("temp dir");
    let session_path = practice_with_a_signed_consent(folder.path());
    let session: Session = knotmap::storage::read_file(&session_path).expect("the session").value;
    let settings = PracticeSettings::default();
    let form = |session: &Session| {
        let sheet = SessionSheet {
            clinic_rules: &knotmap::model::ClinicRules::default(),
            settings: &settings,
            client: Some(&ana()),
            session,
            previous: None,
            source: Path::new("clients/x/sessions/s.ron"),
            printed_at: printed_at(),
            paper: PaperSize::A4,
        };
        knotmap::print::consent_form(&sheet).expect("laid out")
    };
    let lines_in_ink = |printed: &knotmap::print::Printed| {
        printed.pages[0]
            .marks
            .iter()
            .filter(|mark| {
                matches!(mark, knotmap::print::layout::Mark::Line { colour, .. } if *colour == knotmap::print::layout::INK)
            })
            .count()
    };
    // Two strokes each, for the client and the therapist.
    assert_eq!(lines_in_ink(&form(&session)), 4);
    let mut unsigned = session.clone();
    unsigned.consents.clear();
    let blank = form(&unsigned);
    assert_eq!(lines_in_ink(&blank), 0, "nothing drawn where nobody signed");
    let texts: Vec<&str> = blank.pages[0]
        .marks
        .iter()
        .filter_map(|mark| match mark {
            knotmap::print::layout::Mark::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(texts.contains(&"Client: name and date"), "{texts:?}");
    assert!(
        texts.iter().any(|text| text.contains("We plan to work on")),
        "the blank form says what is planned"
    );
}

/// A practice whose client is called `name` and has a plan, with its plan's file.
fn practice_with_a_client_called(root: &Path, name: &str) -> PathBuf {
    let mut practice = Practice::open_or_create(root).expect("a practice");
    let mut client = ana();
    client.name = name.into();
    practice.save_client(&client).expect("client saved");
    let session = anas_plan(&client);
    practice.save_session(&session).expect("session saved");
    practice.session_path(&client.id, &session.id)
}

#[test]
fn a_name_no_font_can_draw_prints_with_a_warning_that_says_which_characters_and_no_panic() {
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = practice_with_a_client_called(&folder.path().join("practice"), "王小明 Wang");
    // A fontconfig that lists no font at all: the machine has no system font to fall back on.
    let config = folder.path().join("fonts.conf");
    std::fs::write(&config, "<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n").expect("written");
    let out = folder.path().join("plan.pdf");
    let printed = Command::new(env!("CARGO_BIN_EXE_knotmap"))
        .args(["print", "plan", arg(&plan), "-o", arg(&out)])
        .env("FONTCONFIG_FILE", &config)
        .output()
        .expect("runs");
    let said = text(&printed.stderr);
    assert!(printed.status.success(), "the sheet still prints: {said}");
    assert!(said.contains("3 characters cannot be printed"), "the user is told: {said}");
    assert!(said.contains('王') && said.contains("U+738B"), "which characters: {said}");
    assert!(said.contains("王小明 Wang"), "and where: {said}");
    assert!(!said.contains("panicked"), "no panic reaches the user: {said}");
    assert!(ReadPdf::from_file(&out).text().contains("Wang"));
}

#[test]
fn emoji_in_a_name_or_a_note_print_from_the_bundled_emoji_font_without_a_warning() {
    let folder = tempfile::tempdir().expect("temp dir");
    let plan = practice_with_a_client_called(&folder.path().join("practice"), "Ana 💆 🎉 👍🏽 😀");
    let out = folder.path().join("plan.pdf");
    let printed = knotmap(&["print", "plan", arg(&plan), "-o", arg(&out)]);
    assert!(printed.status.success());
    assert!(!text(&printed.stderr).contains("cannot be printed"), "{}", text(&printed.stderr));
    let bytes = std::fs::read(&out).expect("written");
    assert!(String::from_utf8_lossy(&bytes).contains("NotoEmoji"), "the emoji font is embedded");
}

#[test]
fn a_symbol_followed_by_a_space_extracts_as_written() {
    let client = ana();
    let mut session = anas_plan(&client);
    session.region_mut(RegionId::UpperTrapeziusL).notes = "warm up → then ▼ pressure".into();
    let pdf = ReadPdf::from_bytes(
        &sheet_of(&session, Some(&client), &PracticeSettings::default()).pdf().expect("a PDF"),
    );
    let text = pdf.flat_text();
    assert!(text.contains("warm up → then ▼ pressure"), "{text}");
    assert!(!text.contains('\u{FFFD}'));
}

fn take_home_of(session: &Session, client: &Client) -> String {
    let sheet = SessionSheet {
        clinic_rules: &knotmap::model::ClinicRules::default(),
        settings: &PracticeSettings::default(),
        client: Some(client),
        session,
        previous: None,
        source: Path::new("clients/x/sessions/s.ron"),
        printed_at: printed_at(),
        paper: PaperSize::Letter,
    };
    let printed = knotmap::print::take_home_sheet(&sheet).expect("laid out");
    ReadPdf::from_bytes(&printed.pdf().expect("a PDF")).flat_text()
}

#[test]
fn an_area_marked_to_avoid_is_not_told_to_the_client_as_worked_on_and_a_plan_is_told_as_a_plan() {
    let client = ana();
    let mut session = anas_plan(&client);
    // Eczema over the right shoulder blade: marked to avoid, and not worked.
    session.region_mut(RegionId::InfraspinatusR).findings = vec![knotmap::model::FindingKind::Avoid];
    let planned = take_home_of(&session, &client);
    assert!(planned.contains("What we plan to work on"), "before the session it is a plan:\n{planned}");
    assert!(planned.contains("Top of shoulder: your left side"));
    assert!(
        !planned.contains("Shoulder blade: your right side"),
        "an avoided area is not listed:\n{planned}"
    );
    assert!(!planned.contains("s.ron"), "the client's copy names no file of the practice's");

    session.status = knotmap::model::SessionStatus::Completed;
    let done = take_home_of(&session, &client);
    assert!(done.contains("What we worked on"), "after it, what was done:\n{done}");
    assert!(!done.contains("Shoulder blade: your right side"));
}

#[test]
fn right_to_left_names_and_goals_print_in_reading_order_and_aligned_right() {
    let mut client = Client::new("محمد عبد الله");
    client.id = knotmap::model::ClientId::new("mohammed").expect("id");
    let mut session = Session::new(
        client.id.clone(),
        date(2026, 11, 30).at(9, 0, 0, 0),
        Minutes::new(60).expect("minutes"),
    );
    session.goals = "בלי כאבים בכתף (ימין) כשאני מרים את הילד\nSleep: לישון בלילה 2 times".into();
    let printed = sheet_of(&session, Some(&client), &PracticeSettings::default());
    let pdf = ReadPdf::from_bytes(&printed.pdf().expect("a PDF"));
    let lines = pdf.reading_lines();
    let line_with = |words: &str| {
        lines
            .iter()
            .find(|line| line.text.contains(words))
            .unwrap_or_else(|| panic!("{words:?} in {lines:#?}"))
    };
    // Read out word by word, the name and the goals come in the order they were written.
    line_with("محمد عبد الله");
    let hebrew = line_with("בלי כאבים בכתף");
    let mixed = line_with("Sleep: לישון בלילה 2 times");
    // Seen on the page, the first word of a right-to-left name is at the right,
    // and a Hebrew phrase in an English sentence reads from its right end.
    let seen_at = |word: &str| {
        let drawn: String = word.chars().rev().collect();
        pdf.position_of(&drawn).unwrap_or_else(|| panic!("{word} is drawn")).1
    };
    assert!(seen_at("محمد") > seen_at("عبد") && seen_at("عبد") > seen_at("الله"));
    assert!(seen_at("בכתף") < seen_at("כאבים") && seen_at("כאבים") < seen_at("בלי"));
    let sleep = pdf.position_of("Sleep:").expect("drawn").1;
    let times = pdf.position_of("times").expect("drawn").1;
    assert!(sleep < seen_at("בלילה") && seen_at("בלילה") < seen_at("לישון") && seen_at("לישון") < times);
    // The Hebrew paragraph is aligned to the right of its column; the English one to the left.
    assert!(hebrew.x > 250.0, "{hebrew:?}");
    assert!(mixed.x < 40.0, "{mixed:?}");
    let [page_width, _] = pdf.page_sizes[0];
    // Its first word (about 22 points wide) starts where it ends at the right margin.
    let first_word = pdf.rightmost_run_of(hebrew).expect("the line is drawn");
    let margin = page_width - 34.0;
    assert!(first_word < margin && margin - first_word < 30.0, "first word at {first_word}");
}

#[test]
fn a_hebrew_name_inside_an_english_line_reads_right_on_every_document() {
    let mut client = Client::new("דוד כהן");
    client.id = knotmap::model::ClientId::new("david").expect("id");
    let mut session = Session::new(
        client.id.clone(),
        date(2026, 11, 30).at(9, 0, 0, 0),
        Minutes::new(60).expect("minutes"),
    );
    session.region_mut(RegionId::UpperTrapeziusL).pressure = Pressure::new(3).ok();
    session.status = knotmap::model::SessionStatus::Completed;
    let settings = PracticeSettings::default();
    let sheet = SessionSheet {
        clinic_rules: &knotmap::model::ClinicRules::default(),
        settings: &settings,
        client: Some(&client),
        session: &session,
        previous: None,
        source: Path::new("clients/david/sessions/s.ron"),
        printed_at: printed_at(),
        paper: PaperSize::A4,
    };
    let documents = [
        ("take-home sheet", knotmap::print::take_home_sheet(&sheet).expect("laid out"), "For דוד כהן"),
        ("consent form", knotmap::print::consent_form(&sheet).expect("laid out"), "For דוד כהן"),
        (
            "progress report",
            printed::report_of(&settings, &client, std::slice::from_ref(&session), PaperSize::A4),
            "Progress report: דוד כהן",
        ),
    ];
    for (document, printed, line) in documents {
        let pdf = ReadPdf::from_bytes(&printed.pdf().expect("a PDF"));
        let lines = pdf.reading_lines();
        let found = lines.iter().find(|read| read.text.contains(line));
        let found = found.unwrap_or_else(|| panic!("the {document} reads {line:?}: {lines:#?}"));
        // The English words start the line at the left; the name's first word is at its right end.
        assert!(found.x < 40.0, "{document}: {found:?}");
        let first = pdf.position_of(&"דוד".chars().rev().collect::<String>()).expect("drawn").1;
        let last = pdf.position_of(&"כהן".chars().rev().collect::<String>()).expect("drawn").1;
        assert!(first > last, "{document}: the name reads backwards");
    }
}
