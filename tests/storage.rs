//! The practice folder and its RON files, told as the user's stories: a therapist's
//! data is read back exactly as it was written, a file that cannot be read never
//! stops the practice opening and is never changed, a file from a newer Knotmap is
//! never overwritten, an edit made elsewhere is never silently lost, and deleting
//! only ever moves things to the trash.
//!
//! Golden files: `tests/golden/v<N>/` holds a tiny practice written by hand in
//! format N, exactly as Knotmap wrote it. Golden files of every format version are
//! kept and read forever: when the format changes, add `tests/golden/v<N+1>/` and
//! keep the old folders, so that a therapist's files from any year still open.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use jiff::civil::{Date, DateTime, date};
use knotmap::model::*;
use knotmap::storage::*;
use proptest::prelude::*;
use tempfile::TempDir;

// ---------------------------------------------------------------------------
// The golden practice: a clinic, two clients, three sessions.
// ---------------------------------------------------------------------------

const ANA: &str = "ana-lima-k3f9q";
const ZOE: &str = "zoe-martin-p4x8t";
const ANA_FIRST: &str = "2026-11-09-0930-m4p2x";
const ANA_SECOND: &str = "2026-11-16-0930-r7n3w";
const ZOE_FIRST: &str = "2026-11-18-1400-c5t9b";

fn ana_id() -> ClientId {
    ClientId::new(ANA).unwrap()
}

fn zoe_id() -> ClientId {
    ClientId::new(ZOE).unwrap()
}

fn session_id(id: &str) -> SessionId {
    SessionId::new(id).unwrap()
}

fn golden_v1() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/v1")
}

fn golden_v2() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/v2")
}

fn golden_v3() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/v3")
}

fn golden_v4() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/v4")
}

// A session that only format 4 can hold: a plan with the client's consent, signed
// by the client and the therapist, one area of it withdrawn since.
const ANA_FIFTH: &str = "2026-12-07-0930-c4n5t";

// A session that only format 3 can hold: a record that keeps what it was judged by.
const ANA_FOURTH: &str = "2026-11-30-0930-j5t7d";

// Sessions that only format 2 can hold.
const ANA_THIRD: &str = "2026-11-23-0930-e2k8v";
const ZOE_SECOND: &str = "2026-11-25-1400-h6w3q";

fn golden_settings() -> PracticeSettings {
    let mut aftercare = default_aftercare();
    aftercare.push("Gentle heat, not ice, on tight shoulders tonight.".to_owned());
    PracticeSettings {
        clinic_name: "Harbour Street Massage".to_owned(),
        contact: String::new(),
        therapists: vec!["Mira Santos".to_owned(), "Jonas Berg".to_owned()],
        paper_size: PaperSize::Letter,
        default_session_minutes: Minutes::new(60).unwrap(),
        aftercare,
        next_visit_interval_days: 7,
        extra_techniques: vec!["Hot stone".to_owned()],
        consent_wording: ConsentWording::default(),
        opening_hours: Default::default(),
    }
}

fn golden_ana() -> Client {
    let mut health_flags = BTreeMap::new();
    health_flags.insert(
        HealthFlag::RecentSurgeryOrInjury,
        FlagDetails {
            since: Some(date(2026, 10, 5)),
            note: "Left rotator cuff repair".to_owned(),
            regions: vec![RegionId::PosteriorDeltoidL, RegionId::InfraspinatusL],
        },
    );
    health_flags.insert(
        HealthFlag::HighBloodPressure,
        FlagDetails { since: None, note: "Controlled with medication".to_owned(), regions: Vec::new() },
    );
    Client {
        id: ana_id(),
        name: "Ana Lima".to_owned(),
        date_of_birth: Some(date(1984, 3, 9)),
        phone: "+44 20 7946 0018".to_owned(),
        email: "ana.lima@example.org".to_owned(),
        pressure_preference: Some(Pressure::FIRM),
        health_flags,
        clinic_flags: BTreeMap::new(),
        notes: "Desk job; carries her tension in the left shoulder. Prefers no music.".to_owned(),
        intakes: Vec::new(),
    }
}

/// Ana as format 4 keeps her: with the health questionnaire she answered on the
/// laptop, reviewed by her therapist.
fn golden_ana_v4() -> Client {
    let mut intake = knotmap::model::intake::Intake::new(date(2026, 12, 7).at(9, 12, 0, 0));
    for flag in HealthFlag::ALL {
        intake.built_in.insert(flag, knotmap::model::intake::Answer::No);
    }
    intake.built_in.insert(HealthFlag::RecentSurgeryOrInjury, knotmap::model::intake::Answer::Yes);
    intake.built_in.insert(HealthFlag::HighBloodPressure, knotmap::model::intake::Answer::NotSure);
    intake.note = "Shoulder operation in October.".to_owned();
    intake.reviewed = Some(knotmap::model::intake::Reviewed {
        by: "Mira Santos".to_owned(),
        at: date(2026, 12, 7).at(9, 20, 0, 0),
    });
    Client { intakes: vec![intake], ..golden_ana() }
}

fn golden_zoe() -> Client {
    let mut health_flags = BTreeMap::new();
    health_flags.insert(
        HealthFlag::Pregnancy,
        FlagDetails { since: Some(date(2026, 6, 1)), note: "24 weeks".to_owned(), regions: Vec::new() },
    );
    Client {
        id: zoe_id(),
        name: "Zoë Martín".to_owned(),
        date_of_birth: None,
        phone: String::new(),
        email: "zoe@example.net".to_owned(),
        pressure_preference: None,
        health_flags,
        clinic_flags: BTreeMap::new(),
        notes: String::new(),
        intakes: Vec::new(),
    }
}

fn work(
    region: RegionId,
    tension: i64,
    pain: Option<i64>,
    pressure: i64,
    techniques: Vec<Technique>,
    minutes: i64,
) -> RegionWork {
    RegionWork {
        tension: Some(Tension::new(tension).unwrap()),
        pain: pain.map(|pain| Pain::new(pain).unwrap()),
        pressure: Some(Pressure::new(pressure).unwrap()),
        techniques,
        minutes: Some(Minutes::new(minutes).unwrap()),
        ..RegionWork::new(region)
    }
}

fn golden_ana_first() -> Session {
    let mut aftercare = default_aftercare();
    aftercare.push("Gentle heat on the left shoulder tonight.".to_owned());
    Session {
        id: session_id(ANA_FIRST),
        client: ana_id(),
        starts_at: date(2026, 11, 9).at(9, 30, 0, 0),
        therapist: "Mira Santos".to_owned(),
        minutes: Minutes::new(60).unwrap(),
        status: SessionStatus::Completed,
        goals: "Turn my head to check the mirror without the left side pulling.".to_owned(),
        regions: vec![
            RegionWork {
                findings: vec![FindingKind::TriggerPoint, FindingKind::Hypertonicity],
                notes: "Band of tension from C7 to the acromion.".to_owned(),
                ..work(
                    RegionId::UpperTrapeziusL,
                    3,
                    Some(6),
                    4,
                    vec![Technique::Effleurage, Technique::Stripping, Technique::TriggerPointRelease],
                    15,
                )
            },
            RegionWork {
                findings: vec![FindingKind::Tenderness],
                ..work(RegionId::LevatorScapulaeL, 2, Some(5), 3, vec![Technique::PinAndStretch], 10)
            },
            RegionWork {
                findings: vec![FindingKind::Avoid],
                notes: "Surgery side: light effleurage only.".to_owned(),
                ..work(RegionId::PosteriorDeltoidL, 1, None, 1, vec![Technique::Effleurage], 5)
            },
        ],
        marks: vec![
            MapMark {
                at: MapPoint::new(0.31, 0.18).unwrap(),
                kind: FindingKind::TriggerPoint,
                note: "Refers pain to the temple".to_owned(),
            },
            MapMark {
                at: MapPoint::new(0.27, 0.29).unwrap(),
                kind: FindingKind::Avoid,
                note: "Scar, six weeks old".to_owned(),
            },
        ],
        aftercare,
        next_visit: Some(date(2026, 11, 16)),
        outcome: Some(Outcome {
            pain_before: Some(Pain::new(6).unwrap()),
            pain_after: Some(Pain::new(3).unwrap()),
            response: Some(Response::Better),
            notes: "Turns 20° further to the left than before.".to_owned(),
        }),
        overrides: vec![SafetyOverride {
            rule: SafetyRule::MedicalClearance,
            region: None,
            reason: "Surgeon cleared massage away from the incision (letter of 2026-11-02).".to_owned(),
            decided_at: date(2026, 11, 9).at(9, 24, 0, 0),
            carried_from: None,
        }],
        amendments: vec![Amendment {
            made_at: date(2026, 11, 10).at(8, 5, 0, 0),
            therapist: "Mira Santos".to_owned(),
            reason: "Minutes on the levator were misrecorded.".to_owned(),
            change: "Levator scapulae, client's left: 10 → 12 minutes.".to_owned(),
            before: None,
        }],
        screening: None,
        postponements: Vec::new(),
        cancellation: None,
        entered_in_error: None,
        // Completed in format 1, before the safety gate: the migration says so.
        before_safety_gate: true,
        judged_by: None,
        consents: Vec::new(),
        // And before consent was recorded (format 4).
        before_consent: true,
    }
}

fn golden_ana_second() -> Session {
    Session {
        id: session_id(ANA_SECOND),
        therapist: "Mira Santos".to_owned(),
        goals: "Keep the left side loose; sleeping better now.".to_owned(),
        regions: vec![work(
            RegionId::UpperTrapeziusL,
            2,
            None,
            4,
            vec![Technique::Stripping, Technique::Clinic("Hot stone".to_owned())],
            20,
        )],
        aftercare: default_aftercare(),
        ..Session::new(ana_id(), date(2026, 11, 16).at(9, 30, 0, 0), Minutes::new(60).unwrap())
    }
}

fn golden_zoe_first() -> Session {
    Session {
        id: session_id(ZOE_FIRST),
        therapist: "Jonas Berg".to_owned(),
        goals: "Ease the low back ache; side-lying, please.".to_owned(),
        regions: vec![
            RegionWork {
                findings: vec![FindingKind::Spasm],
                notes: "Side-lying.".to_owned(),
                ..work(RegionId::QuadratusLumborumR, 2, Some(4), 3, vec![Technique::MyofascialRelease], 15)
            },
            work(RegionId::GluteusMediusR, 1, Some(2), 2, vec![Technique::Petrissage], 10),
        ],
        aftercare: default_aftercare(),
        next_visit: Some(date(2026, 11, 25)),
        ..Session::new(zoe_id(), date(2026, 11, 18).at(14, 0, 0, 0), Minutes::new(45).unwrap())
    }
}

/// Format 2: a completed session carried a reason forward, worked the back of
/// the arm, and was later found to belong to another client.
fn golden_ana_third() -> Session {
    let mut session = Session {
        id: session_id(ANA_THIRD),
        therapist: "Mira Santos".to_owned(),
        goals: "Keep the left side loose.".to_owned(),
        regions: vec![work(RegionId::TricepsL, 1, Some(2), 3, vec![Technique::Petrissage], 10)],
        overrides: vec![SafetyOverride {
            rule: SafetyRule::MedicalClearance,
            region: None,
            reason: "Surgeon cleared massage away from the incision (letter of 2026-11-02).".to_owned(),
            decided_at: date(2026, 11, 23).at(9, 20, 0, 0),
            carried_from: Some(date(2026, 11, 9)),
        }],
        status: SessionStatus::Completed,
        outcome: Some(Outcome {
            pain_before: Some(Pain::new(3).unwrap()),
            pain_after: Some(Pain::new(1).unwrap()),
            response: Some(Response::Better),
            notes: String::new(),
        }),
        // Completed before consent was recorded (format 4).
        before_consent: true,
        ..Session::new(ana_id(), date(2026, 11, 23).at(9, 30, 0, 0), Minutes::new(45).unwrap())
    };
    session.entered_in_error = Some(EnteredInError {
        reason: "Recorded under Ana by mistake; this was another client's session.".to_owned(),
        therapist: "Mira Santos".to_owned(),
        marked_at: date(2026, 11, 24).at(8, 10, 0, 0),
    });
    session
}

/// Format 3: a session completed through the lifecycle, on its day, after that
/// day's screening: it keeps the flags it was judged by.
fn golden_ana_fourth() -> Session {
    let start = date(2026, 11, 30).at(9, 30, 0, 0);
    let mut screening = Screening::new(date(2026, 11, 30).at(9, 22, 0, 0));
    screening.still_true.insert(HealthFlag::HighBloodPressure, true);
    screening.still_true.insert(HealthFlag::RecentSurgeryOrInjury, true);
    screening.acute_illness_today = Some(false);
    let ana = golden_ana();
    Session {
        id: session_id(ANA_FOURTH),
        therapist: "Mira Santos".to_owned(),
        goals: "Keep the left side loose.".to_owned(),
        regions: vec![work(RegionId::UpperTrapeziusR, 2, Some(3), 3, vec![Technique::Stripping], 12)],
        status: SessionStatus::Completed,
        screening: Some(screening),
        outcome: Some(Outcome {
            pain_before: Some(Pain::new(3).unwrap()),
            pain_after: Some(Pain::new(1).unwrap()),
            response: Some(Response::Better),
            notes: String::new(),
        }),
        judged_by: Some(JudgedBy {
            at: date(2026, 11, 30).at(10, 20, 0, 0),
            health_flags: ana.health_flags.clone(),
            clinic_flags: ana.clinic_flags.clone(),
            clinic_rules: ClinicRules::default(),
            last_session: Some(LastSession {
                starts_at: date(2026, 11, 16).at(9, 30, 0, 0),
                pressures: [(RegionId::UpperTrapeziusR, Pressure::new(3).unwrap())].into(),
            }),
        }),
        // Completed before consent was recorded (format 4).
        before_consent: true,
        ..Session::new(ana_id(), start, Minutes::new(45).unwrap())
    }
}

/// Format 4: a plan of the buttock and the shoulder, with the consent the client
/// and the therapist signed on the laptop, and the buttock withdrawn since.
fn golden_ana_fifth() -> Session {
    let signed = date(2026, 12, 7).at(9, 26, 0, 0);
    let strokes = vec![vec![(120, 640), (180, 420), (260, 610), (340, 380)], vec![(420, 500), (610, 520)]];
    let mut session = Session {
        id: session_id(ANA_FIFTH),
        therapist: "Mira Santos".to_owned(),
        goals: "Sit through a film without the left hip aching.".to_owned(),
        regions: vec![
            work(RegionId::GluteusMediusL, 2, Some(4), 3, vec![Technique::Effleurage], 10),
            work(RegionId::UpperTrapeziusR, 1, None, 2, vec![Technique::Stripping], 10),
        ],
        ..Session::new(ana_id(), date(2026, 12, 7).at(9, 30, 0, 0), Minutes::new(45).unwrap())
    };
    let mut consent =
        Consent::for_plan(&session, "We plan to work on: Upper hip: your left side.".to_owned());
    consent.client =
        Some(Signature { name: "Ana Lima".to_owned(), signed_at: signed, strokes: strokes.clone() });
    consent.therapist = Some(Signature { name: "Mira Santos".to_owned(), signed_at: signed, strokes });
    consent.withdrawals.push(Withdrawal {
        at: date(2026, 12, 7).at(9, 41, 0, 0),
        areas: Some([RegionId::GluteusMediusL].into()),
        noted_by: "Mira Santos".to_owned(),
    });
    session.consents.push(consent);
    session
}

/// Format 2: a session postponed for a fever, then cancelled, with the buttock
/// and the prone-positioning note of a pregnant client in its plan.
fn golden_zoe_second() -> Session {
    let mut screening = Screening::new(date(2026, 11, 25).at(13, 50, 0, 0));
    screening.still_true.insert(HealthFlag::Pregnancy, true);
    screening.acute_illness_today = Some(true);
    Session {
        id: session_id(ZOE_SECOND),
        therapist: "Jonas Berg".to_owned(),
        goals: "Ease the low back ache; side-lying, please.".to_owned(),
        regions: vec![work(RegionId::GluteusMaximusR, 2, Some(3), 2, vec![Technique::Petrissage], 10)],
        overrides: vec![SafetyOverride {
            rule: SafetyRule::PronePositioning,
            region: None,
            reason: "Side-lying on the left, pillow between the knees.".to_owned(),
            decided_at: date(2026, 11, 25).at(13, 52, 0, 0),
            carried_from: None,
        }],
        postponements: vec![Postponement {
            from: date(2026, 11, 25).at(14, 0, 0, 0),
            reason: "Fever today.".to_owned(),
            decided_at: date(2026, 11, 25).at(13, 55, 0, 0),
            screening: Some(screening),
        }],
        status: SessionStatus::Cancelled,
        cancellation: Some(Cancellation {
            reason: "Still unwell; will call to rebook.".to_owned(),
            decided_at: date(2026, 12, 1).at(9, 0, 0, 0),
        }),
        ..Session::new(zoe_id(), date(2026, 12, 2).at(14, 0, 0, 0), Minutes::new(45).unwrap())
    }
}

/// Each golden file of `version`, relative to its folder, with the text Knotmap
/// writes today for the values read from it.
fn golden_files_written_today(version: u32) -> Vec<(String, String)> {
    let session = |client: &str, id: &str| format!("clients/{client}/sessions/{id}.ron");
    let mut files = vec![
        (SETTINGS_FILE.to_owned(), golden_settings().to_ron().unwrap()),
        (
            format!("clients/{ANA}/client.ron"),
            if version >= 4 { golden_ana_v4() } else { golden_ana() }.to_ron().unwrap(),
        ),
        (format!("clients/{ZOE}/client.ron"), golden_zoe().to_ron().unwrap()),
        (session(ANA, ANA_FIRST), golden_ana_first().to_ron().unwrap()),
        (session(ANA, ANA_SECOND), golden_ana_second().to_ron().unwrap()),
        (session(ZOE, ZOE_FIRST), golden_zoe_first().to_ron().unwrap()),
    ];
    if version >= 2 {
        files.push((session(ANA, ANA_THIRD), golden_ana_third().to_ron().unwrap()));
        files.push((session(ZOE, ZOE_SECOND), golden_zoe_second().to_ron().unwrap()));
    }
    if version >= 3 {
        files.push((session(ANA, ANA_FOURTH), golden_ana_fourth().to_ron().unwrap()));
    }
    if version >= 4 {
        files.push((session(ANA, ANA_FIFTH), golden_ana_fifth().to_ron().unwrap()));
    }
    files
}

// ---------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the golden practice in a fresh temporary folder (opening may create
/// folders, and the tests damage files, so the golden files themselves are never used).
fn golden_copy() -> (TempDir, PathBuf) {
    let temp = TempDir::new().unwrap();
    let root = temp.path().join("practice");
    copy_tree(&golden_v1(), &root);
    (temp, root)
}

/// Every file and link under `root`, with its bytes (a link's target for a link).
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, folder: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(folder) else { return };
        for entry in entries {
            let entry = entry.unwrap();
            let path = entry.path();
            let relative = path.strip_prefix(root).unwrap().to_owned();
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                into.insert(relative, fs::read_link(&path).unwrap().into_os_string().into_encoded_bytes());
            } else if kind.is_dir() {
                into.insert(relative.join(""), Vec::new());
                walk(root, &path, into);
            } else {
                into.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(root, root, &mut files);
    files
}

fn problem_about<'a>(practice: &'a Practice, path: &Path) -> &'a Problem {
    practice.problems().iter().find(|problem| problem.path == path).unwrap_or_else(|| {
        panic!("no problem listed for {}; the problems are {:#?}", path.display(), practice.problems())
    })
}

fn has_problem_about(practice: &Practice, path: &Path) -> bool {
    practice.problems().iter().any(|problem| problem.path == path)
}

/// The problem, as the user sees it, starts with the file's path and, where
/// `line` is given, its line and column.
fn assert_names_the_place(problem: &Problem, path: &Path, line: Option<usize>) {
    let shown = problem.to_string();
    assert!(
        shown.starts_with(&path.display().to_string()),
        "the problem does not name {}: {shown}",
        path.display()
    );
    if let Some(line) = line {
        let position = problem.position.unwrap_or_else(|| panic!("the problem has no line: {shown}"));
        assert_eq!(position.line, line, "{shown}");
        assert!(position.column >= 1, "{shown}");
        let place = format!("{}:{}:{}: ", path.display(), position.line, position.column);
        assert!(shown.starts_with(&place), "expected {place:?} at the start of {shown:?}");
    }
}

/// The line (from 1) of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
        + 1
}

fn golden_text(relative: &str) -> String {
    fs::read_to_string(golden_v1().join(relative)).unwrap()
}

fn client_file(client: &str) -> String {
    format!("clients/{client}/client.ron")
}

fn session_file(client: &str, session: &str) -> String {
    format!("clients/{client}/sessions/{session}.ron")
}

fn assert_read_only(result: Result<(), SaveError>) {
    match result {
        Err(SaveError::ReadOnly { .. }) => {}
        other => panic!("expected the save to be refused as read-only, got {other:?}"),
    }
}

fn conflict_copies_in(folder: &Path) -> Vec<PathBuf> {
    fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.file_name().unwrap().to_str().unwrap().contains(CONFLICT_MARK))
        .collect()
}

// ---------------------------------------------------------------------------
// 1. Every kind of file reads back exactly as it was written.
// ---------------------------------------------------------------------------

#[test]
fn practice_settings_read_back_exactly_as_written() {
    for settings in [PracticeSettings::default(), golden_settings()] {
        let text = settings.to_ron().unwrap();
        assert_eq!(from_ron::<PracticeSettings>(&text).unwrap(), settings);
    }
    let unicode = PracticeSettings {
        clinic_name: "Praxis Müller & Søn — マッサージ 🙂".to_owned(),
        therapists: vec!["Željko Ćosić".to_owned(), "Ñandú \"Nan\" O'Brien\\".to_owned()],
        extra_techniques: vec!["Gua sha (刮痧)".to_owned(), "Hot\nstone".to_owned()],
        ..golden_settings()
    };
    assert_eq!(from_ron::<PracticeSettings>(&unicode.to_ron().unwrap()).unwrap(), unicode);
}

#[test]
fn client_profiles_read_back_exactly_as_written() {
    for client in [golden_ana(), golden_zoe(), Client::new("")] {
        assert_eq!(from_ron::<Client>(&client.to_ron().unwrap()).unwrap(), client);
    }
}

#[test]
fn sessions_read_back_exactly_as_written() {
    for session in [golden_ana_first(), golden_ana_second(), golden_zoe_first()] {
        assert_eq!(from_ron::<Session>(&session.to_ron().unwrap()).unwrap(), session);
    }
}

#[test]
fn trash_records_read_back_exactly_as_written() {
    let records = [
        TrashRecord {
            what: Trashed::Client { client: ana_id(), name: "Ana Lima".to_owned() },
            original: PathBuf::from(format!("clients/{ANA}")),
            trashed_at: date(2026, 11, 23).at(17, 2, 41, 0),
        },
        TrashRecord {
            what: Trashed::Session { client: zoe_id(), session: session_id(ZOE_FIRST) },
            original: PathBuf::from(session_file(ZOE, ZOE_FIRST)),
            trashed_at: date(2026, 11, 23).at(17, 3, 0, 0),
        },
    ];
    for record in records {
        assert_eq!(from_ron::<TrashRecord>(&record.to_ron().unwrap()).unwrap(), record);
    }
}

/// Strategies for arbitrary valid files, built only through the model's constructors.
mod arbitrary {
    use super::*;
    use proptest::collection::{btree_map, vec};
    use proptest::option;
    use proptest::sample::{select, subsequence};

    /// Text as a therapist might type it, and text no one would: empty, plain,
    /// accented and CJK and emoji, and any Unicode at all (controls, quotes,
    /// backslashes, combining marks).
    pub fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-zA-Z0-9 ,.:;'()!?-]{1,40}",
            "[a-zéèüöñçßøåŽźłÆ日本語中文한국어🙂😀💆 \"\\\\\n\t]{1,30}",
            any::<String>(),
        ]
    }

    /// Text that is not blank, as an override's or amendment's reason must be.
    pub fn reason() -> impl Strategy<Value = String> {
        ("[a-zA-Zé日]", text()).prop_map(|(first, rest)| first + &rest)
    }

    pub fn a_date() -> impl Strategy<Value = Date> {
        (1900i16..=2200, 1i8..=12, 1i8..=28).prop_map(|(year, month, day)| date(year, month, day))
    }

    pub fn a_date_time() -> impl Strategy<Value = DateTime> {
        (a_date(), 0i8..24, 0i8..60, 0i8..60, prop_oneof![Just(0i32), 0i32..1_000_000_000])
            .prop_map(|(day, hour, minute, second, nanos)| day.at(hour, minute, second, nanos))
    }

    fn id_text() -> impl Strategy<Value = String> {
        "[a-z0-9_][a-z0-9_-]{0,79}"
    }

    pub fn client_id() -> impl Strategy<Value = ClientId> {
        id_text().prop_map(|text| ClientId::new(text).unwrap())
    }

    pub fn session_id() -> impl Strategy<Value = SessionId> {
        id_text().prop_map(|text| SessionId::new(text).unwrap())
    }

    fn tension() -> impl Strategy<Value = Tension> {
        (0i64..=3).prop_map(|value| Tension::new(value).unwrap())
    }

    fn pain() -> impl Strategy<Value = Pain> {
        (0i64..=10).prop_map(|value| Pain::new(value).unwrap())
    }

    pub fn pressure() -> impl Strategy<Value = Pressure> {
        (1i64..=5).prop_map(|value| Pressure::new(value).unwrap())
    }

    fn minutes(least: i64) -> impl Strategy<Value = Minutes> {
        (least..=600).prop_map(|value| Minutes::new(value).unwrap())
    }

    fn finding() -> impl Strategy<Value = FindingKind> {
        select(FindingKind::ALL.to_vec())
    }

    fn technique() -> impl Strategy<Value = Technique> {
        prop_oneof![select(Technique::STANDARD.to_vec()), text().prop_map(Technique::Clinic)]
    }

    fn region() -> impl Strategy<Value = RegionId> {
        select(RegionId::all().collect::<Vec<_>>())
    }

    fn region_work(region: RegionId) -> impl Strategy<Value = RegionWork> {
        (
            option::of(tension()),
            option::of(pain()),
            vec(finding(), 0..4),
            option::of(pressure()),
            vec(technique(), 0..4),
            option::of(minutes(0)),
            text(),
        )
            .prop_map(move |(tension, pain, findings, pressure, techniques, minutes, notes)| {
                RegionWork { region, tension, pain, findings, pressure, techniques, minutes, notes }
            })
    }

    /// Regions unique, in any order of work.
    fn regions() -> impl Strategy<Value = Vec<RegionWork>> {
        subsequence(RegionId::all().collect::<Vec<_>>(), 0..=10)
            .prop_shuffle()
            .prop_flat_map(|regions| regions.into_iter().map(region_work).collect::<Vec<_>>())
    }

    fn coordinate() -> impl Strategy<Value = f32> {
        prop_oneof![Just(0.0f32), Just(1.0f32), 0.0f32..=1.0f32]
    }

    fn mark() -> impl Strategy<Value = MapMark> {
        (coordinate(), coordinate(), finding(), text()).prop_map(|(x, y, kind, note)| MapMark {
            at: MapPoint::new(x, y).unwrap(),
            kind,
            note,
        })
    }

    fn outcome() -> impl Strategy<Value = Outcome> {
        (option::of(pain()), option::of(pain()), option::of(select(Response::ALL.to_vec())), text()).prop_map(
            |(pain_before, pain_after, response, notes)| Outcome { pain_before, pain_after, response, notes },
        )
    }

    fn safety_override() -> impl Strategy<Value = SafetyOverride> {
        let rules = vec![
            SafetyRule::PressureCap,
            SafetyRule::AvoidRegion,
            SafetyRule::CautionZone,
            SafetyRule::PressureRise,
            SafetyRule::MedicalClearance,
            SafetyRule::AcuteIllness,
            SafetyRule::PronePositioning,
        ];
        (select(rules), option::of(region()), reason(), a_date_time(), option::of(a_date())).prop_map(
            |(rule, region, reason, decided_at, carried_from)| SafetyOverride {
                rule,
                region,
                reason,
                decided_at,
                carried_from,
            },
        )
    }

    fn amendment() -> impl Strategy<Value = Amendment> {
        (a_date_time(), text(), reason(), text()).prop_map(|(made_at, therapist, reason, change)| Amendment {
            made_at,
            therapist,
            reason,
            change,
            before: None,
        })
    }

    pub fn session() -> impl Strategy<Value = Session> {
        (
            (
                session_id(),
                client_id(),
                a_date_time(),
                text(),
                minutes(1),
                prop_oneof![Just(SessionStatus::Planned), Just(SessionStatus::Completed)],
            ),
            (regions(), vec(mark(), 0..5), vec(text(), 0..4), option::of(a_date()), text()),
            (option::of(outcome()), vec(safety_override(), 0..3), vec(amendment(), 0..3)),
        )
            .prop_map(
                |(
                    (id, client, starts_at, therapist, minutes, status),
                    (regions, marks, aftercare, next_visit, goals),
                    (outcome, overrides, amendments),
                )| Session {
                    id,
                    client,
                    starts_at,
                    therapist,
                    minutes,
                    status,
                    goals,
                    regions,
                    marks,
                    aftercare,
                    next_visit,
                    outcome,
                    overrides,
                    amendments,
                    screening: None,
                    postponements: Vec::new(),
                    cancellation: None,
                    entered_in_error: None,
                    before_safety_gate: false,
                    judged_by: None,
                    consents: Vec::new(),
                    before_consent: false,
                },
            )
    }

    fn flag_details() -> impl Strategy<Value = FlagDetails> {
        (option::of(a_date()), text(), subsequence(RegionId::all().collect::<Vec<_>>(), 0..3))
            .prop_map(|(since, note, regions)| FlagDetails { since, note, regions })
    }

    pub fn client() -> impl Strategy<Value = Client> {
        (
            (client_id(), text(), option::of(a_date()), text(), text()),
            (
                option::of(pressure()),
                btree_map(select(HealthFlag::ALL.to_vec()), flag_details(), 0..4),
                text(),
            ),
        )
            .prop_map(
                |((id, name, date_of_birth, phone, email), (pressure_preference, health_flags, notes))| {
                    Client {
                        id,
                        name,
                        date_of_birth,
                        phone,
                        email,
                        pressure_preference,
                        health_flags,
                        clinic_flags: BTreeMap::new(),
                        notes,
                        intakes: Vec::new(),
                    }
                },
            )
    }
}

proptest! {
    #[test]
    fn any_valid_session_reads_back_exactly_as_written(session in arbitrary::session()) {
        prop_assert_eq!(session.validate(), Ok(()));
        let text = session.to_ron().unwrap();
        let read = from_ron::<Session>(&text);
        prop_assert_eq!(read.as_ref(), Ok(&session), "the text was:\n{}", text);
    }

    #[test]
    fn any_client_profile_reads_back_exactly_as_written(client in arbitrary::client()) {
        let text = client.to_ron().unwrap();
        let read = from_ron::<Client>(&text);
        prop_assert_eq!(read.as_ref(), Ok(&client), "the text was:\n{}", text);
    }
}

// ---------------------------------------------------------------------------
// 2. Golden files: a practice written by an earlier Knotmap still opens.
// ---------------------------------------------------------------------------

#[test]
fn a_practice_written_in_format_1_opens_with_every_value_as_it_was() {
    let (_temp, root) = golden_copy();
    let mut practice = Practice::open(&root).unwrap();
    assert_eq!(practice.problems(), &[] as &[Problem]);

    let settings = practice.settings();
    assert_eq!(settings.clinic_name, "Harbour Street Massage");
    assert_eq!(settings.paper_size, PaperSize::Letter);
    assert_eq!(settings.extra_techniques, ["Hot stone"]);
    assert_eq!(settings, &golden_settings());

    assert_eq!(practice.client_count(), 2);
    let ana = &practice.client(&ana_id()).unwrap();
    assert_eq!(ana.client.name, "Ana Lima");
    assert_eq!(ana.client.pressure_preference, Some(Pressure::FIRM));
    let surgery = &ana.client.health_flags[&HealthFlag::RecentSurgeryOrInjury];
    assert_eq!(surgery.since, Some(date(2026, 10, 5)));
    assert_eq!(surgery.regions, [RegionId::PosteriorDeltoidL, RegionId::InfraspinatusL]);
    assert!(ana.client.health_flags.contains_key(&HealthFlag::HighBloodPressure));
    assert_eq!(ana.sessions, [session_id(ANA_FIRST), session_id(ANA_SECOND)]);
    assert_eq!(ana.client, golden_ana());
    let zoe = &practice.client(&zoe_id()).unwrap();
    assert_eq!(zoe.client.name, "Zoë Martín");
    assert!(zoe.client.health_flags.contains_key(&HealthFlag::Pregnancy));
    assert_eq!(zoe.client, golden_zoe());

    let sessions = practice.read_sessions(&ana_id());
    assert_eq!(sessions.len(), 2);
    let first = &sessions[0];
    assert_eq!(first.status, SessionStatus::Completed);
    assert!(first.goals.starts_with("Turn my head"));
    let trapezius = first.region(RegionId::UpperTrapeziusL).unwrap();
    assert_eq!(trapezius.tension, Some(Tension::new(3).unwrap()));
    assert_eq!(trapezius.pressure, Some(Pressure::FIRM));
    assert_eq!(trapezius.findings, [FindingKind::TriggerPoint, FindingKind::Hypertonicity]);
    assert_eq!((first.marks[0].at.x(), first.marks[0].at.y()), (0.31, 0.18));
    assert_eq!(first.marks[1].kind, FindingKind::Avoid);
    assert_eq!(first.overrides[0].rule, SafetyRule::MedicalClearance);
    assert_eq!(first.amendments[0].reason, "Minutes on the levator were misrecorded.");
    assert_eq!(first.outcome.as_ref().unwrap().pain_after, Some(Pain::new(3).unwrap()));
    assert_eq!(sessions, [golden_ana_first(), golden_ana_second()]);
    assert_eq!(practice.read_sessions(&zoe_id()), [golden_zoe_first()]);
    assert_eq!(practice.problems(), &[] as &[Problem]);
}

#[test]
fn the_text_written_today_is_byte_for_byte_the_golden_format_4_text() {
    // If this fails, the file format changed: bump CURRENT_FORMAT, add a migration
    // and tests/golden/v5/, and keep v1 to v4 as they are.
    assert_eq!(CURRENT_FORMAT, 4, "a new format needs its own golden folder; keep tests/golden/v4 as it is");
    for (relative, written) in golden_files_written_today(4) {
        let golden = fs::read_to_string(golden_v4().join(&relative)).unwrap();
        assert_eq!(written, golden, "the text written today for {relative} differs from the golden file");
    }
}

#[test]
fn every_golden_file_is_listed_in_the_golden_practice() {
    for (version, folder) in [(1, golden_v1()), (2, golden_v2()), (3, golden_v3()), (4, golden_v4())] {
        let mut expected: Vec<PathBuf> = golden_files_written_today(version)
            .into_iter()
            .map(|(relative, _)| PathBuf::from(relative))
            .collect();
        expected.sort();
        let found: Vec<PathBuf> =
            tree(&folder).into_keys().filter(|path| path.extension().is_some()).collect();
        assert_eq!(found, expected, "format {version}");
    }
}

#[test]
fn a_format_1_practice_reads_as_the_same_records_as_format_2_and_marks_its_completed_sessions_as_before_the_gate()
 {
    let mut old = Practice::open(&golden_v1()).unwrap();
    let mut new = Practice::open(&golden_v2()).unwrap();
    assert_eq!(old.problems(), &[] as &[Problem]);
    assert_eq!(new.problems(), &[] as &[Problem]);
    let from_v1 = old.read_sessions(&ana_id());
    let from_v2 = new.read_sessions(&ana_id());
    assert_eq!(from_v1, [golden_ana_first(), golden_ana_second()]);
    assert_eq!(from_v2, [golden_ana_first(), golden_ana_second(), golden_ana_third()]);
    assert!(from_v1[0].before_safety_gate, "completed in format 1");
    assert!(!from_v1[1].before_safety_gate, "still planned: it will pass the gate like any other");
    assert_eq!(new.read_sessions(&zoe_id()), [golden_zoe_first(), golden_zoe_second()]);
}

#[test]
fn a_format_2_practice_reads_as_the_same_records_as_format_3_whose_new_record_keeps_what_it_was_judged_by() {
    let mut old = Practice::open(&golden_v2()).unwrap();
    let mut new = Practice::open(&golden_v3()).unwrap();
    assert_eq!(new.problems(), &[] as &[Problem]);
    let from_v2 = old.read_sessions(&ana_id());
    let from_v3 = new.read_sessions(&ana_id());
    assert_eq!(from_v3[..3], from_v2[..]);
    assert!(from_v2.iter().all(|session| session.judged_by.is_none()), "format 2 kept no judgement");
    let judged = from_v3[3].judged_by.as_ref().expect("the format 3 record keeps what it was judged by");
    assert!(judged.health_flags.contains_key(&HealthFlag::HighBloodPressure));
    assert_eq!(new.read_sessions(&zoe_id()), old.read_sessions(&zoe_id()));
}

#[test]
fn a_format_3_practice_reads_as_format_4_whose_old_records_were_marked_before_consent_was_recorded() {
    let mut old = Practice::open(&golden_v3()).unwrap();
    let mut new = Practice::open(&golden_v4()).unwrap();
    assert_eq!(new.problems(), &[] as &[Problem]);
    let from_v3 = old.read_sessions(&ana_id());
    let from_v4 = new.read_sessions(&ana_id());
    assert_eq!(from_v4[..4], from_v3[..]);
    for session in &from_v3 {
        let marked = matches!(session.status, SessionStatus::Ready | SessionStatus::Completed);
        assert_eq!(session.before_consent, marked, "{} {:?}", session.id, session.status);
    }
    let consent =
        knotmap::model::consent::current_consent(&from_v4[4]).expect("the format 4 plan has its consent");
    assert!(consent.client.as_ref().is_some_and(Signature::is_drawn), "the client's strokes are read back");
    assert_eq!(consent.withdrawn_at(RegionId::GluteusMediusL), Some(date(2026, 12, 7).at(9, 41, 0, 0)));
    assert_eq!(new.read_sessions(&zoe_id()), old.read_sessions(&zoe_id()));
    assert_eq!(old.client(&ana_id()).unwrap().client.intakes, [], "format 3 asked no questionnaire");
    assert_eq!(new.client(&ana_id()).unwrap().client, golden_ana_v4(), "format 4 keeps Ana's answers");
}

// ---------------------------------------------------------------------------
// 3. A file that cannot be read: the practice opens, the problem names the
//    place, and the file is never changed, not even by a save.
// ---------------------------------------------------------------------------

/// Replaces the golden file at `relative` (in a copy) with `bytes`.
fn damage(root: &Path, relative: &str, bytes: &[u8]) -> PathBuf {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_profile_with_malformed_ron_is_listed_with_its_line_and_left_as_it_is() {
    let (_temp, root) = golden_copy();
    let text = golden_text(&client_file(ANA)).replace("name: \"Ana Lima\",", "name: \"Ana Lima\"");
    let path = damage(&root, &client_file(ANA), text.as_bytes());

    let mut practice = Practice::open(&root).unwrap();
    assert!(practice.client(&ana_id()).is_none());
    assert_eq!(practice.client(&zoe_id()).unwrap().client, golden_zoe());
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, Some(line_of(&text, "date_of_birth")));
    assert!(problem.message.contains("client profile"), "{problem}");

    assert_read_only(practice.save_client(&golden_ana()));
    assert_eq!(fs::read(&path).unwrap(), text.as_bytes());
}

#[test]
fn a_session_with_a_value_of_the_wrong_type_is_listed_with_its_line_and_left_as_it_is() {
    let (_temp, root) = golden_copy();
    let relative = session_file(ANA, ANA_FIRST);
    let golden = golden_text(&relative);
    let text = golden.replacen("minutes: 60,", "minutes: \"sixty\",", 1);
    assert_ne!(text, golden);
    let path = damage(&root, &relative, text.as_bytes());

    let mut practice = Practice::open(&root).unwrap();
    assert_eq!(practice.client_count(), 2);
    assert_eq!(practice.read_sessions(&ana_id()), [golden_ana_second()]);
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, Some(line_of(&text, "\"sixty\"")));

    assert_read_only(practice.save_session(&golden_ana_first()));
    assert_eq!(fs::read(&path).unwrap(), text.as_bytes());
}

#[test]
fn a_pressure_of_9_is_out_of_range_and_the_profile_is_listed_with_its_line_and_left_as_it_is() {
    let (_temp, root) = golden_copy();
    let relative = client_file(ZOE);
    let text = golden_text(&relative).replace("pressure_preference: None", "pressure_preference: Some(9)");
    let path = damage(&root, &relative, text.as_bytes());

    let mut practice = Practice::open(&root).unwrap();
    assert!(practice.client(&zoe_id()).is_none());
    assert_eq!(practice.client(&ana_id()).unwrap().client, golden_ana());
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, Some(line_of(&text, "Some(9)")));
    assert!(problem.message.contains("pressure must be from 1 to 5, not 9"), "{problem}");

    assert_read_only(practice.save_client(&golden_zoe()));
    assert_eq!(fs::read(&path).unwrap(), text.as_bytes());
}

#[test]
fn a_pressure_of_9_in_a_session_is_listed_with_its_line_and_left_as_it_is() {
    let (_temp, root) = golden_copy();
    let relative = session_file(ZOE, ZOE_FIRST);
    let text = golden_text(&relative).replacen("pressure: Some(3)", "pressure: Some(9)", 1);
    let path = damage(&root, &relative, text.as_bytes());

    let mut practice = Practice::open(&root).unwrap();
    assert_eq!(practice.client_count(), 2);
    assert_eq!(practice.read_sessions(&zoe_id()), []);
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, Some(line_of(&text, "Some(9)")));
    assert!(problem.message.contains("pressure must be from 1 to 5, not 9"), "{problem}");

    assert_read_only(practice.save_session(&golden_zoe_first()));
    assert_eq!(fs::read(&path).unwrap(), text.as_bytes());
}

#[test]
fn binary_junk_in_place_of_a_profile_is_listed_and_left_as_it_is() {
    let (_temp, root) = golden_copy();
    let junk: &[u8] = b"(\n    format: 1,\n\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe\xfd";
    let path = damage(&root, &client_file(ANA), junk);

    let mut practice = Practice::open(&root).unwrap();
    assert!(practice.client(&ana_id()).is_none());
    assert!(practice.client(&zoe_id()).is_some());
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, Some(3));
    assert!(problem.message.contains("not a text file"), "{problem}");

    assert_read_only(practice.save_client(&golden_ana()));
    assert_eq!(fs::read(&path).unwrap(), junk);
}

#[test]
fn binary_junk_that_happens_to_be_valid_utf8_is_still_called_binary() {
    let (_temp, root) = golden_copy();
    let junk: &[u8] = b"\0\x01\x02junk\x1b[0m";
    let path = damage(&root, &client_file(ANA), junk);

    let practice = Practice::open(&root).unwrap();
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, Some(1));
    assert!(problem.message.contains("not a text file"), "{problem}");
    assert_eq!(fs::read(&path).unwrap(), junk);
}

#[test]
fn an_empty_settings_file_is_listed_the_clients_still_open_and_it_is_left_empty() {
    let (_temp, root) = golden_copy();
    let path = damage(&root, SETTINGS_FILE, b"");

    let mut practice = Practice::open(&root).unwrap();
    assert_eq!(practice.client_count(), 2);
    assert_eq!(practice.settings(), &PracticeSettings::default());
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, None);
    assert!(problem.message.contains("empty"), "{problem}");

    assert_read_only(practice.save_settings(&golden_settings()));
    assert_eq!(fs::read(&path).unwrap(), b"");
}

#[test]
fn a_huge_file_is_not_read_is_listed_and_is_left_as_it_is() {
    let (_temp, root) = golden_copy();
    let relative = session_file(ANA, ANA_SECOND);
    let path = root.join(&relative);
    // Sparse: the file is large but takes no room and no time to make.
    fs::File::options().write(true).open(&path).unwrap().set_len(MAX_FILE_BYTES + 1).unwrap();
    let before = fs::read(&path).unwrap();

    let mut practice = Practice::open(&root).unwrap();
    assert_eq!(practice.client_count(), 2);
    assert_eq!(practice.read_sessions(&ana_id()), [golden_ana_first()]);
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, None);
    assert!(problem.message.contains("larger than"), "{problem}");

    assert_read_only(practice.save_session(&golden_ana_second()));
    assert_eq!(fs::metadata(&path).unwrap().len(), MAX_FILE_BYTES + 1);
    assert!(fs::read(&path).unwrap() == before, "the huge file changed");
}

#[test]
fn a_session_whose_id_does_not_match_its_file_name_is_listed_and_left_as_it_is() {
    let (_temp, root) = golden_copy();
    let stray_id = "2026-11-23-0930-zz9zz";
    let text = golden_text(&session_file(ANA, ANA_FIRST));
    let path = damage(&root, &session_file(ANA, stray_id), text.as_bytes());

    let mut practice = Practice::open(&root).unwrap();
    assert_eq!(practice.client_count(), 2);
    assert_eq!(practice.read_sessions(&ana_id()), [golden_ana_first(), golden_ana_second()]);
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, None);
    assert!(problem.message.contains(ANA_FIRST) && problem.message.contains(stray_id), "{problem}");

    let claims_the_file = Session { id: session_id(stray_id), ..golden_ana_first() };
    assert_read_only(practice.save_session(&claims_the_file));
    assert_eq!(fs::read(&path).unwrap(), text.as_bytes());
}

#[test]
fn a_client_folder_with_an_invalid_name_is_listed_and_left_as_it_is() {
    let (_temp, root) = golden_copy();
    let name = "Ana Lima (copy)";
    assert!(ClientId::new(name).is_err());
    let text = golden_text(&client_file(ANA));
    let path = damage(&root, &client_file(name), text.as_bytes());
    let folder = root.join(CLIENTS_FOLDER).join(name);

    let mut practice = Practice::open(&root).unwrap();
    assert_eq!(practice.client_count(), 2);
    let problem = problem_about(&practice, &folder);
    assert_names_the_place(problem, &folder, None);
    assert!(problem.message.contains("does not belong"), "{problem}");

    // The real Ana saves to her own folder; the copy is not touched.
    practice.save_client(&golden_ana()).unwrap();
    assert_eq!(fs::read(&path).unwrap(), text.as_bytes());
}

#[test]
fn a_stray_file_among_the_client_folders_is_listed_and_left_as_it_is() {
    let (_temp, root) = golden_copy();
    let path = damage(&root, "clients/notes.txt", b"call Ana back on Monday\n");
    let hidden = damage(&root, "clients/.DS_Store", b"\0\0\0\x01Bud1");

    let practice = Practice::open(&root).unwrap();
    assert_eq!(practice.client_count(), 2);
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, None);
    // A sync tool's hidden file is passed over without a word.
    assert!(!has_problem_about(&practice, &hidden));
    drop(practice);
    assert_eq!(fs::read(&path).unwrap(), b"call Ana back on Monday\n");
}

#[test]
fn a_stray_file_in_a_client_folder_or_at_the_top_is_listed_and_left_as_it_is() {
    let (_temp, root) = golden_copy();
    let in_client = damage(&root, &format!("clients/{ANA}/scan of intake form.pdf"), b"%PDF-1.4");
    let at_top = damage(&root, "backup.zip", b"PK");

    let practice = Practice::open(&root).unwrap();
    assert_eq!(practice.client_count(), 2);
    for path in [&in_client, &at_top] {
        let problem = problem_about(&practice, path);
        assert!(problem.message.contains("does not belong to the practice layout"), "{problem}");
    }
    drop(practice);
    assert_eq!(fs::read(&in_client).unwrap(), b"%PDF-1.4");
    assert_eq!(fs::read(&at_top).unwrap(), b"PK");
}

#[test]
fn a_file_without_a_format_field_is_listed_and_left_as_it_is() {
    let (_temp, root) = golden_copy();
    let relative = client_file(ZOE);
    let text = golden_text(&relative).replace("    format: 1,\n", "");
    assert!(!text.contains("format"));
    let path = damage(&root, &relative, text.as_bytes());

    let mut practice = Practice::open(&root).unwrap();
    assert!(practice.client(&zoe_id()).is_none());
    assert!(practice.client(&ana_id()).is_some());
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, None);
    assert!(problem.message.contains("format"), "{problem}");

    assert_read_only(practice.save_client(&golden_zoe()));
    assert_eq!(fs::read(&path).unwrap(), text.as_bytes());
}

#[test]
fn a_profile_whose_id_does_not_match_its_folder_is_listed_and_left_as_it_is() {
    let (_temp, root) = golden_copy();
    let relative = client_file(ZOE);
    let text = golden_text(&client_file(ANA));
    let path = damage(&root, &relative, text.as_bytes());

    let mut practice = Practice::open(&root).unwrap();
    assert_eq!(practice.client(&ana_id()).unwrap().client, golden_ana());
    assert!(practice.client(&zoe_id()).is_none());
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, None);

    assert_read_only(practice.save_client(&golden_zoe()));
    assert_eq!(fs::read(&path).unwrap(), text.as_bytes());
}

#[cfg(unix)]
#[test]
fn a_linked_client_folder_is_not_followed_is_listed_and_nothing_is_written_through_it() {
    let (temp, root) = golden_copy();
    // A client folder elsewhere on the disk, linked into the practice.
    let elsewhere = temp.path().join("elsewhere");
    let linked = Client { id: ClientId::new("linked-client").unwrap(), ..golden_zoe() };
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join(CLIENT_FILE), linked.to_ron().unwrap()).unwrap();
    let link = root.join(CLIENTS_FOLDER).join("linked-client");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let outside_before = tree(&elsewhere);

    let mut practice = Practice::open(&root).unwrap();
    assert_eq!(practice.client_count(), 2);
    assert!(practice.client(&linked.id).is_none());
    let problem = problem_about(&practice, &link);
    assert_names_the_place(problem, &link, None);
    assert!(problem.message.contains("link"), "{problem}");

    assert_read_only(practice.save_client(&linked));
    let session = Session { id: session_id(ANA_FIRST), client: linked.id.clone(), ..golden_ana_first() };
    assert!(practice.save_session(&session).is_err());
    assert_eq!(tree(&elsewhere), outside_before);
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
}

#[cfg(unix)]
#[test]
fn a_linked_session_file_is_not_followed_is_listed_and_nothing_is_written_through_it() {
    let (temp, root) = golden_copy();
    let elsewhere = temp.path().join("elsewhere.ron");
    let stray_id = "2026-11-30-0930-l1nk5";
    let session = Session { id: session_id(stray_id), ..golden_ana_second() };
    fs::write(&elsewhere, session.to_ron().unwrap()).unwrap();
    let link = root.join(session_file(ANA, stray_id));
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let before = fs::read(&elsewhere).unwrap();

    let mut practice = Practice::open(&root).unwrap();
    let problem = problem_about(&practice, &link);
    assert_names_the_place(problem, &link, None);
    assert!(problem.message.contains("link"), "{problem}");
    assert_eq!(practice.client(&ana_id()).unwrap().sessions, [session_id(ANA_FIRST), session_id(ANA_SECOND)]);
    assert_eq!(practice.read_sessions(&ana_id()).len(), 2);

    assert_read_only(practice.save_session(&session));
    assert_eq!(fs::read(&elsewhere).unwrap(), before);
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
}

#[cfg(unix)]
#[test]
fn a_linked_profile_is_not_followed_is_listed_and_nothing_is_written_through_it() {
    let (temp, root) = golden_copy();
    let elsewhere = temp.path().join("someone-elses-client.ron");
    fs::write(&elsewhere, golden_text(&client_file(ZOE))).unwrap();
    let link = root.join(client_file(ZOE));
    fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let before = fs::read(&elsewhere).unwrap();

    let mut practice = Practice::open(&root).unwrap();
    assert!(practice.client(&zoe_id()).is_none());
    assert!(practice.client(&ana_id()).is_some());
    let problem = problem_about(&practice, &link);
    assert_names_the_place(problem, &link, None);
    assert!(problem.message.contains("link"), "{problem}");

    assert_read_only(practice.save_client(&golden_zoe()));
    assert_eq!(fs::read(&elsewhere).unwrap(), before);
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
}

// ---------------------------------------------------------------------------
// 4. A file from a newer Knotmap is shown read-only and never overwritten.
// ---------------------------------------------------------------------------

#[test]
fn a_file_from_a_newer_version_opens_read_only_and_is_never_overwritten() {
    let (_temp, root) = golden_copy();
    let relative = session_file(ANA, ANA_SECOND);
    let text = golden_text(&relative)
        .replace("format: 1,", &format!("format: {},\n    signed_by: \"Mira Santos\",", CURRENT_FORMAT + 1))
        .replace("goals:", "room: \"Room 2 (quiet)\",\n        goals:");
    let path = damage(&root, &relative, text.as_bytes());

    let mut practice = Practice::open(&root).unwrap();
    // What this version understands is shown.
    assert_eq!(practice.read_sessions(&ana_id()), [golden_ana_first(), golden_ana_second()]);
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, None);
    assert!(problem.message.contains("newer version"), "{problem}");
    assert!(practice.read_only_reason(&path).unwrap().contains("newer version"));

    let mut edited = golden_ana_second();
    edited.goals = "Changed by an older Knotmap".to_owned();
    assert_read_only(practice.save_session(&edited));
    assert_eq!(fs::read(&path).unwrap(), text.as_bytes());
    assert!(conflict_copies_in(path.parent().unwrap()).is_empty());
}

#[test]
fn a_profile_from_a_newer_version_opens_read_only_and_is_never_overwritten() {
    let (_temp, root) = golden_copy();
    let relative = client_file(ZOE);
    let text = golden_text(&relative)
        .replace("format: 1,", &format!("format: {},", CURRENT_FORMAT + 1))
        .replace("notes: \"\",", "notes: \"\",\n        preferred_oil: \"almond\",");
    let path = damage(&root, &relative, text.as_bytes());

    let mut practice = Practice::open(&root).unwrap();
    assert_eq!(practice.client(&zoe_id()).unwrap().client, golden_zoe());
    let problem = problem_about(&practice, &path);
    assert!(problem.message.contains("newer version"), "{problem}");
    assert!(practice.read_only_reason(&path).is_some());

    assert_read_only(practice.save_client(&golden_zoe()));
    assert_eq!(fs::read(&path).unwrap(), text.as_bytes());
}

// ---------------------------------------------------------------------------
// 5. A file changed elsewhere is never silently overwritten.
// ---------------------------------------------------------------------------

#[test]
fn a_session_changed_on_another_laptop_is_not_overwritten_and_the_edit_is_kept_beside_it() {
    let (_temp, root) = golden_copy();
    let mut practice = Practice::open(&root).unwrap();
    let mut mine = practice.read_sessions(&ana_id()).remove(1);

    // The other laptop saves first.
    let path = practice.session_path(&ana_id(), &session_id(ANA_SECOND));
    let mut theirs = mine.clone();
    theirs.goals = "Written on the front desk laptop".to_owned();
    let their_text = theirs.to_ron().unwrap();
    fs::write(&path, &their_text).unwrap();

    mine.goals = "Written on the treatment room laptop".to_owned();
    let kept_as = match practice.save_session(&mine) {
        Err(SaveError::ChangedElsewhere { path: changed, kept_as }) => {
            assert_eq!(changed, path);
            kept_as
        }
        other => panic!("expected ChangedElsewhere, got {other:?}"),
    };
    assert_eq!(kept_as.parent(), path.parent());
    assert!(kept_as.file_name().unwrap().to_str().unwrap().contains(CONFLICT_MARK));
    assert_eq!(from_ron::<Session>(&fs::read_to_string(&kept_as).unwrap()).unwrap(), mine);
    assert_eq!(fs::read_to_string(&path).unwrap(), their_text);

    let reopened = Practice::open(&root).unwrap();
    let problem = problem_about(&reopened, &kept_as);
    assert!(
        problem.message.contains(&format!("a second version of {} kept by Knotmap", path.display())),
        "{problem}"
    );
    assert_eq!(reopened.client(&ana_id()).unwrap().sessions.len(), 2);
}

#[test]
fn a_profile_changed_on_another_laptop_is_not_overwritten_and_the_edit_is_kept_beside_it() {
    let (_temp, root) = golden_copy();
    let mut practice = Practice::open(&root).unwrap();
    let path = practice.client_path(&ana_id());
    let theirs = Client { phone: "+44 20 7946 0999".to_owned(), ..golden_ana() };
    fs::write(&path, theirs.to_ron().unwrap()).unwrap();

    let mine = Client { email: "ana@new.example.org".to_owned(), ..golden_ana() };
    let Err(SaveError::ChangedElsewhere { kept_as, .. }) = practice.save_client(&mine) else {
        panic!("the profile changed elsewhere was overwritten")
    };
    assert_eq!(from_ron::<Client>(&fs::read_to_string(&kept_as).unwrap()).unwrap(), mine);
    assert_eq!(fs::read_to_string(&path).unwrap(), theirs.to_ron().unwrap());

    let reopened = Practice::open(&root).unwrap();
    assert_eq!(reopened.client(&ana_id()).unwrap().client, theirs);
    problem_about(&reopened, &kept_as);
}

#[test]
fn settings_changed_on_another_laptop_are_not_overwritten_and_the_edit_is_kept_beside_them() {
    let (_temp, root) = golden_copy();
    let mut practice = Practice::open(&root).unwrap();
    let path = practice.settings_path();
    let theirs =
        PracticeSettings { clinic_name: "Harbour St. Massage & Spa".to_owned(), ..golden_settings() };
    fs::write(&path, theirs.to_ron().unwrap()).unwrap();

    let mine = PracticeSettings { next_visit_interval_days: 14, ..golden_settings() };
    let Err(SaveError::ChangedElsewhere { kept_as, .. }) = practice.save_settings(&mine) else {
        panic!("the settings changed elsewhere were overwritten")
    };
    assert_eq!(from_ron::<PracticeSettings>(&fs::read_to_string(&kept_as).unwrap()).unwrap(), mine);
    assert_eq!(fs::read_to_string(&path).unwrap(), theirs.to_ron().unwrap());

    let reopened = Practice::open(&root).unwrap();
    assert_eq!(reopened.settings(), &theirs);
    problem_about(&reopened, &kept_as);
}

#[test]
fn after_a_conflict_a_further_edit_is_kept_in_a_copy_of_its_own_and_the_other_file_stays() {
    let (_temp, root) = golden_copy();
    let mut practice = Practice::open(&root).unwrap();
    let path = practice.client_path(&ana_id());
    fs::write(&path, golden_text(&client_file(ANA)).replace("Ana", "Anna")).unwrap();
    let theirs = fs::read(&path).unwrap();

    let mut mine = golden_ana();
    mine.notes.push_str(" first edit");
    assert!(matches!(practice.save_client(&mine), Err(SaveError::ChangedElsewhere { .. })));
    // Until the other version is read in, an edit saved again is not dropped as
    // "read-only": it is kept beside the file too, with everything before it.
    mine.notes.push_str(" second edit");
    let Err(SaveError::ChangedElsewhere { kept_as, .. }) = practice.save_client(&mine) else {
        panic!("the second edit was not kept")
    };
    assert!(fs::read_to_string(&kept_as).unwrap().contains("first edit second edit"));
    let copies = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter(|entry| entry.as_ref().unwrap().file_name().to_string_lossy().contains(CONFLICT_MARK))
        .count();
    assert_eq!(copies, 2, "each edit saved against the other's file has its copy");
    assert_eq!(fs::read(&path).unwrap(), theirs, "the other laptop's file stays as it is");
}

#[test]
fn a_file_saved_twice_in_a_row_by_the_same_practice_is_not_a_conflict() {
    let (_temp, root) = golden_copy();
    let mut practice = Practice::open(&root).unwrap();
    let mut session = practice.read_sessions(&zoe_id()).remove(0);
    for goals in ["First edit", "Second edit", "Third edit"] {
        session.goals = goals.to_owned();
        practice.save_session(&session).unwrap();
    }
    practice.save_client(&Client { notes: "Prefers mornings".to_owned(), ..golden_zoe() }).unwrap();
    practice.save_client(&Client { notes: "Prefers afternoons".to_owned(), ..golden_zoe() }).unwrap();
    assert_eq!(Practice::open(&root).unwrap().problems(), &[] as &[Problem]);
}

// ---------------------------------------------------------------------------
// 6. Saves are atomic and private.
// ---------------------------------------------------------------------------

#[test]
fn saving_leaves_no_temporary_files_behind() {
    let temp = TempDir::new().unwrap();
    let root = temp.path().join("My practice");
    let mut practice = Practice::open_or_create(&root).unwrap();
    practice.save_settings(&golden_settings()).unwrap();
    practice.save_client(&golden_ana()).unwrap();
    practice.save_client(&Client { notes: "edited".to_owned(), ..golden_ana() }).unwrap();
    practice.save_session(&golden_ana_second()).unwrap();
    practice.save_session(&Session { goals: "edited".to_owned(), ..golden_ana_second() }).unwrap();
    practice.trash_session(&ana_id(), &session_id(ANA_SECOND)).unwrap();

    for path in tree(&root).into_keys() {
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(
            !name.starts_with('.') && !name.ends_with(".tmp"),
            "a temporary file was left: {}",
            path.display()
        );
    }
    let reopened = Practice::open(&root).unwrap();
    assert_eq!(reopened.problems(), &[] as &[Problem]);
    assert_eq!(reopened.settings(), &golden_settings());
}

#[cfg(unix)]
#[test]
fn saved_files_and_created_folders_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;

    let temp = TempDir::new().unwrap();
    let root = temp.path().join("My practice");
    let mut practice = Practice::open_or_create(&root).unwrap();
    practice.save_client(&golden_ana()).unwrap();
    practice.save_session(&golden_ana_first()).unwrap();
    practice.save_session(&golden_ana_second()).unwrap();
    let trashed = practice.trash_session(&ana_id(), &session_id(ANA_SECOND)).unwrap();

    for file in [
        practice.settings_path(),
        practice.client_path(&ana_id()),
        practice.session_path(&ana_id(), &session_id(ANA_FIRST)),
        trashed.folder.join("trashed.ron"),
    ] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    for folder in [
        root.clone(),
        root.join(CLIENTS_FOLDER),
        root.join(TRASH_FOLDER),
        practice.client_folder(&ana_id()),
        practice.client_folder(&ana_id()).join(SESSIONS_FOLDER),
        trashed.folder.clone(),
    ] {
        assert_eq!(mode(&folder), 0o700, "{}", folder.display());
    }
}

// ---------------------------------------------------------------------------
// 7. IDs are safe as file names.
// ---------------------------------------------------------------------------

#[test]
fn an_id_that_could_leave_the_practice_folder_cannot_be_made() {
    let long = "x".repeat(81);
    for bad in
        ["", ".", "..", "../x", "x/..", "a/b", "a\\b", "/etc", "a\0b", "-rf", "a b", "é", ".hidden", &long]
    {
        assert!(ClientId::new(bad).is_err(), "client ID {bad:?} was accepted");
        assert!(SessionId::new(bad).is_err(), "session ID {bad:?} was accepted");
    }
    assert!(ClientId::new("x".repeat(80)).is_ok());
    assert!(ClientId::new(ANA).is_ok());
}

#[test]
fn a_profile_whose_id_is_a_path_is_rejected_with_a_message_naming_the_file() {
    let (_temp, root) = golden_copy();
    let text = golden_text(&client_file(ANA)).replace(ANA, "../../etc");
    let path = damage(&root, &client_file("etc"), text.as_bytes());

    let practice = Practice::open(&root).unwrap();
    assert_eq!(practice.client_count(), 2);
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, Some(line_of(&text, "../../etc")));
    assert!(problem.message.contains("ID"), "{problem}");
    assert!(practice.clients().all(|entry| !entry.client.id.as_str().contains('/')));
}

// ---------------------------------------------------------------------------
// 8. Deleting moves to the trash, and restoring brings it back as it was.
// ---------------------------------------------------------------------------

#[test]
fn a_trashed_session_leaves_its_place_and_is_restored_byte_for_byte() {
    let (_temp, root) = golden_copy();
    let mut practice = Practice::open(&root).unwrap();
    let path = practice.session_path(&ana_id(), &session_id(ANA_SECOND));
    let before = fs::read(&path).unwrap();

    let entry = practice.trash_session(&ana_id(), &session_id(ANA_SECOND)).unwrap();
    assert!(!path.exists());
    assert_eq!(practice.client(&ana_id()).unwrap().sessions, [session_id(ANA_FIRST)]);
    assert_eq!(practice.read_sessions(&ana_id()), [golden_ana_first()]);
    let trash = practice.trash();
    assert_eq!(trash, std::slice::from_ref(&entry));
    assert_eq!(trash[0].record.what, Trashed::Session { client: ana_id(), session: session_id(ANA_SECOND) });
    assert_eq!(trash[0].record.original, Path::new(&session_file(ANA, ANA_SECOND)));
    assert_eq!(Practice::open(&root).unwrap().client(&ana_id()).unwrap().sessions.len(), 1);

    practice.restore(&entry).unwrap();
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(practice.client(&ana_id()).unwrap().sessions, [session_id(ANA_FIRST), session_id(ANA_SECOND)]);
    assert_eq!(practice.trash(), []);
    assert_eq!(practice.read_sessions(&ana_id()), [golden_ana_first(), golden_ana_second()]);
}

#[test]
fn a_restored_session_can_be_edited_and_saved_straight_away() {
    let (_temp, root) = golden_copy();
    let mut practice = Practice::open(&root).unwrap();
    practice.read_sessions(&ana_id());
    let entry = practice.trash_session(&ana_id(), &session_id(ANA_SECOND)).unwrap();
    practice.restore(&entry).unwrap();

    let mut edited = golden_ana_second();
    edited.goals.push_str(" (after restoring)");
    practice.save_session(&edited).unwrap();
    assert_eq!(practice.read_sessions(&ana_id())[1], edited);
}

#[test]
fn a_completed_session_is_a_record_and_is_never_moved_to_the_trash() {
    let (_temp, root) = golden_copy();
    let mut practice = Practice::open(&root).unwrap();
    let path = practice.session_path(&ana_id(), &session_id(ANA_FIRST));
    let before = fs::read(&path).unwrap();

    let error = practice.trash_session(&ana_id(), &session_id(ANA_FIRST)).unwrap_err();
    assert!(error.to_string().contains("completed record"), "{error}");
    assert!(error.to_string().contains("entered in error"), "{error}");
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(practice.trash(), []);
    assert_eq!(practice.client(&ana_id()).unwrap().sessions.len(), 2);
}

#[test]
fn a_session_file_that_cannot_be_read_is_not_trashed_since_it_may_be_a_record() {
    let (_temp, root) = golden_copy();
    let path = damage(&root, &session_file(ANA, ANA_FIRST), b"(format: 2, session: (id: ");
    let mut practice = Practice::open(&root).unwrap();
    assert!(practice.trash_session(&ana_id(), &session_id(ANA_FIRST)).is_err());
    assert_eq!(fs::read(&path).unwrap(), b"(format: 2, session: (id: ");
    assert_eq!(practice.trash(), []);
}

#[test]
fn a_trashed_client_goes_with_all_their_sessions_and_is_restored_byte_for_byte() {
    let (_temp, root) = golden_copy();
    let mut practice = Practice::open(&root).unwrap();
    let folder = practice.client_folder(&ana_id());
    let before = tree(&folder);

    let entry = practice.trash_client(&ana_id()).unwrap();
    assert!(!folder.exists());
    assert!(practice.client(&ana_id()).is_none());
    assert_eq!(practice.client_count(), 1);
    assert_eq!(entry.record.what, Trashed::Client { client: ana_id(), name: "Ana Lima".to_owned() });
    assert_eq!(practice.trash(), std::slice::from_ref(&entry));

    let reopened = Practice::open(&root).unwrap();
    assert!(reopened.client(&ana_id()).is_none());
    assert_eq!(reopened.client_count(), 1);
    assert_eq!(reopened.problems(), &[] as &[Problem]);

    practice.restore(&entry).unwrap();
    assert_eq!(tree(&folder), before);
    assert_eq!(practice.client(&ana_id()).unwrap().client, golden_ana());
    assert_eq!(practice.read_sessions(&ana_id()), [golden_ana_first(), golden_ana_second()]);
    assert_eq!(practice.trash(), []);
    assert_eq!(Practice::open(&root).unwrap().client_count(), 2);
}

#[test]
fn restoring_a_session_whose_client_is_in_the_trash_says_to_restore_the_client_first() {
    let (_temp, root) = golden_copy();
    let mut practice = Practice::open(&root).unwrap();
    let session = practice.trash_session(&zoe_id(), &session_id(ZOE_FIRST)).unwrap();
    let client = practice.trash_client(&zoe_id()).unwrap();
    assert_eq!(practice.trash().len(), 2);

    let error = practice.restore(&session).unwrap_err();
    assert!(matches!(&error, TrashError::ClientMissing(id) if *id == zoe_id()), "{error:?}");
    assert!(error.to_string().contains("restore the client first"), "{error}");
    assert!(session.folder.exists(), "the trashed session was lost");

    practice.restore(&client).unwrap();
    practice.restore(&session).unwrap();
    assert_eq!(practice.read_sessions(&zoe_id()), [golden_zoe_first()]);
    assert_eq!(practice.trash(), []);
}

#[test]
fn restoring_over_something_already_there_is_refused() {
    let (_temp, root) = golden_copy();
    let mut practice = Practice::open(&root).unwrap();
    let path = practice.session_path(&zoe_id(), &session_id(ZOE_FIRST));
    let entry = practice.trash_session(&zoe_id(), &session_id(ZOE_FIRST)).unwrap();
    practice.save_session(&Session { goals: "A new plan".to_owned(), ..golden_zoe_first() }).unwrap();
    let now = fs::read(&path).unwrap();

    assert!(matches!(practice.restore(&entry), Err(TrashError::Occupied(_))));
    assert_eq!(fs::read(&path).unwrap(), now);
    assert_eq!(practice.trash().len(), 1);
}

// ---------------------------------------------------------------------------
// 9. Opening lists sessions; reading them is what finds their problems.
// ---------------------------------------------------------------------------

#[test]
fn opening_lists_sessions_without_reading_them() {
    let (_temp, root) = golden_copy();
    let broken_id = "2026-11-23-0930-br0k3";
    let path = damage(&root, &session_file(ANA, broken_id), b"(format: 1, session: (id: ");

    let mut practice = Practice::open(&root).unwrap();
    assert_eq!(practice.problems(), &[] as &[Problem], "opening read a session file");
    assert!(practice.client(&ana_id()).unwrap().sessions.contains(&session_id(broken_id)));

    assert_eq!(practice.read_sessions(&ana_id()), [golden_ana_first(), golden_ana_second()]);
    let problem = problem_about(&practice, &path);
    assert_names_the_place(problem, &path, Some(1));
    assert_eq!(fs::read(&path).unwrap(), b"(format: 1, session: (id: ");
}

// ---------------------------------------------------------------------------
// 10. Creating a practice.
// ---------------------------------------------------------------------------

#[test]
fn a_missing_folder_becomes_a_new_empty_practice() {
    let temp = TempDir::new().unwrap();
    let root = temp.path().join("Knotmap").join("practice");
    let practice = Practice::open_or_create(&root).unwrap();

    assert_eq!(practice.client_count(), 0);
    assert_eq!(practice.problems(), &[] as &[Problem]);
    assert_eq!(practice.settings(), &PracticeSettings::default());
    assert_eq!(
        fs::read_to_string(root.join(SETTINGS_FILE)).unwrap(),
        PracticeSettings::default().to_ron().unwrap()
    );
    assert!(root.join(CLIENTS_FOLDER).is_dir());
    assert!(root.join(TRASH_FOLDER).is_dir());
    let made: Vec<_> = tree(&root).into_keys().collect();
    assert_eq!(
        made,
        [PathBuf::from("clients/"), PathBuf::from(SETTINGS_FILE), PathBuf::from("trash/")],
        "{made:?}"
    );

    // Opening it again finds the same practice.
    assert_eq!(Practice::open_or_create(&root).unwrap().settings(), &PracticeSettings::default());
}

#[test]
fn an_empty_folder_becomes_a_new_empty_practice() {
    let temp = TempDir::new().unwrap();
    let practice = Practice::open_or_create(temp.path()).unwrap();
    assert_eq!(practice.client_count(), 0);
    assert!(temp.path().join(SETTINGS_FILE).is_file());
}

#[test]
fn a_folder_of_other_files_is_not_a_practice_and_nothing_is_created_in_it() {
    let temp = TempDir::new().unwrap();
    fs::write(temp.path().join("tax return 2025.pdf"), b"%PDF-1.7").unwrap();
    fs::create_dir(temp.path().join("photos")).unwrap();
    let before = tree(temp.path());

    let error = Practice::open_or_create(temp.path()).unwrap_err();
    assert!(matches!(&error, OpenError::NotAPractice(path) if path == temp.path()), "{error:?}");
    assert!(error.to_string().contains("not a Knotmap practice"), "{error}");
    assert_eq!(tree(temp.path()), before);
}

#[test]
fn a_file_is_not_a_practice_folder() {
    let temp = TempDir::new().unwrap();
    let file = temp.path().join("practice.ron");
    fs::write(&file, golden_text(SETTINGS_FILE)).unwrap();
    assert!(matches!(Practice::open_or_create(&file), Err(OpenError::NotAFolder(_))));
    assert_eq!(fs::read_to_string(&file).unwrap(), golden_text(SETTINGS_FILE));
}

#[test]
fn a_sync_tool_s_conflict_copy_of_a_session_is_named_with_the_session_it_is_a_version_of() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("practice");
    let mut practice = Practice::open_or_create(&root).unwrap();
    let ana = golden_ana();
    practice.save_client(&ana).unwrap();
    let session = Session::new(
        ana.id.clone(),
        jiff::civil::date(2026, 11, 26).at(9, 30, 0, 0),
        Minutes::new(60).unwrap(),
    );
    practice.save_session(&session).unwrap();
    let path = practice.session_path(&ana.id, &session.id);
    let sessions = path.parent().unwrap();
    let syncthing = sessions.join(format!("{}.sync-conflict-20261130-100203-ABCDEFG.ron", session.id));
    let dropbox = sessions.join(format!("{} (Alex's conflicted copy 2026-11-30).ron", session.id));
    let onedrive = sessions.join(format!("{}-LAPTOP2.ron", session.id));
    for copy in [&syncthing, &dropbox, &onedrive] {
        fs::copy(&path, copy).unwrap();
    }

    let reopened = Practice::open(&root).unwrap();
    for (copy, tool) in [(&syncthing, "Syncthing"), (&dropbox, "Dropbox"), (&onedrive, "OneDrive")] {
        let problem = problem_about(&reopened, copy);
        assert!(problem.message.contains(&format!("a second version of {}", path.display())), "{problem}");
        assert!(problem.message.contains(tool), "{problem}");
    }
    assert_eq!(
        reopened.client(&ana.id).unwrap().sessions,
        vec![session.id.clone()],
        "the copies are not sessions"
    );
}
