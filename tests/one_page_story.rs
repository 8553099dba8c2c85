//! A clinic prints every sheet of the sample practice on A4 and on Letter: the
//! therapist's plan sheet is one page, the client's take-home sheet is one page,
//! and so are the hardest plans a therapist writes (twelve regions with long
//! notes, six warnings with their reasons). The map on every sheet has room for
//! its symbols: no badge, warning or mark covers another.

use crate::printed;

use std::path::Path;

use jiff::civil::date;
use knotmap::figure::placement::box_of;
use knotmap::model::{
    ClientId, FindingKind, FlagDetails, HealthFlag, Minutes, Pain, PaperSize, PracticeSettings, Pressure,
    RegionId, SafetyOverride, SafetyRule, Session, Technique, Tension,
};
use knotmap::print::layout::{Mark, Page};
use knotmap::print::{Printed, SessionSheet, plan_sheet, take_home_sheet};
use knotmap::storage::Practice;
use printed::{ReadPdf, ana, printed_at};

const PAPERS: [PaperSize; 2] = [PaperSize::A4, PaperSize::Letter];

fn settings() -> PracticeSettings {
    PracticeSettings {
        clinic_name: "Harbour Street Massage".into(),
        contact: "12 Harbour Street, Manchester M1 2AB · 0161 496 0000 · hello@harbourstreet.example".into(),
        ..PracticeSettings::default()
    }
}

/// Every session of `knotmap sample`, with its client and the practice's rules.
fn each_sample_sheet(mut print: impl FnMut(&SessionSheet<'_>, &str)) {
    let folder = tempfile::tempdir().expect("temp dir");
    knotmap::sample::write_sample_practice(folder.path(), date(2026, 11, 30)).expect("sample written");
    let mut practice = Practice::open(folder.path()).expect("sample opens");
    let settings = practice.settings().clone();
    let rules = practice.clinic_rules().as_ref().clone();
    let clients: Vec<_> = practice.clients().map(|entry| entry.client.clone()).collect();
    let mut count = 0;
    for client in &clients {
        let sessions = practice.read_sessions(&client.id);
        for (index, session) in sessions.iter().enumerate() {
            let previous = index.checked_sub(1).and_then(|before| sessions.get(before));
            for paper in PAPERS {
                let sheet = SessionSheet {
                    settings: &settings,
                    clinic_rules: &rules,
                    client: Some(client),
                    session,
                    previous,
                    source: Path::new("clients/x/sessions/s.ron"),
                    printed_at: printed_at(),
                    paper,
                };
                print(&sheet, &format!("{} {} on {paper:?}", client.name, session.starts_at));
                count += 1;
            }
        }
    }
    assert!(count > 200, "the sample has its year of sessions: {count} sheets");
}

#[test]
fn every_plan_sheet_of_the_sample_practice_is_one_page_on_a4_and_on_letter() {
    let mut two_pages = Vec::new();
    each_sample_sheet(|sheet, which| {
        let printed = plan_sheet(sheet).expect("laid out");
        if printed.pages.len() != 1 {
            two_pages.push(format!("{which}: {} pages", printed.pages.len()));
        }
    });
    assert!(two_pages.is_empty(), "plan sheets longer than a page: {two_pages:#?}");
}

#[test]
fn every_take_home_sheet_of_the_sample_practice_is_one_page_on_a4_and_on_letter() {
    let mut two_pages = Vec::new();
    each_sample_sheet(|sheet, which| {
        let printed = take_home_sheet(sheet).expect("laid out");
        if printed.pages.len() != 1 {
            two_pages.push(format!("{which}: {} pages", printed.pages.len()));
        }
    });
    assert!(two_pages.is_empty(), "take-home sheets longer than a page: {two_pages:#?}");
}

/// The symbols of every map on `page`, as the printer places them, in points.
fn symbol_boxes(page: &Page) -> Vec<(String, knotmap::figure::placement::SymbolBox)> {
    let map = knotmap::geometry::BodyMap::standard().expect("the map");
    let mut boxes = Vec::new();
    for mark in &page.marks {
        if let Mark::Figure { area, figure, point, view } = mark {
            let (scale, visible) = knotmap::print::pdf::fitted(*view, *area);
            for item in figure.placed_symbols(map, scale / point, visible) {
                if let Some(found) = box_of(&item, scale / point) {
                    boxes.push((format!("{item:?}"), found));
                }
            }
        }
    }
    boxes
}

/// The pairs of symbols (never two marks the therapist placed) that overlap.
fn overlapping(boxes: &[(String, knotmap::figure::placement::SymbolBox)]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, (a, box_a)) in boxes.iter().enumerate() {
        for (b, box_b) in &boxes[i + 1..] {
            let both_marks = a.starts_with("Mark") && b.starts_with("Mark");
            if !both_marks && box_a.overlaps(box_b, 0.0) {
                found.push(format!("{a}\n  overlaps {b}"));
            }
        }
    }
    found
}

#[test]
fn on_no_printed_map_of_the_sample_does_a_badge_a_warning_or_a_mark_cover_another() {
    let mut collisions = Vec::new();
    let mut symbols = 0;
    each_sample_sheet(|sheet, which| {
        let printed = plan_sheet(sheet).expect("laid out");
        let boxes = symbol_boxes(&printed.pages[0]);
        symbols += boxes.len();
        for collision in overlapping(&boxes) {
            collisions.push(format!("{which}: {collision}"));
        }
    });
    assert!(symbols > 500, "the sample's maps carry badges, warnings and marks: {symbols}");
    assert!(
        collisions.is_empty(),
        "{} collisions, first: {:#?}",
        collisions.len(),
        &collisions[..collisions.len().min(3)]
    );
}

/// A note of exactly 200 characters.
fn note_of_200(region: RegionId) -> String {
    let mut note = format!(
        "{}: warm up with broad strokes first, then work slowly along the fibres; ",
        region.info().name
    );
    while note.chars().count() < 200 {
        note.push_str("check in about pressure often and ease off where the client holds their breath. ");
    }
    note.chars().take(200).collect()
}

/// The longest plan a therapist writes: twelve regions, each with tension, pain,
/// two findings, two techniques, minutes and a 200-character note; six of them
/// above the cap that blood thinners set, each explained in writing.
fn hardest_plan() -> (knotmap::model::Client, Session) {
    let mut client = ana();
    client.health_flags.insert(
        HealthFlag::Osteoporosis,
        FlagDetails {
            note: "Diagnosed on a DEXA scan in 2024; on alendronate".into(),
            ..FlagDetails::default()
        },
    );
    let mut session = Session::new(
        ClientId::new("ana-lima").expect("id"),
        date(2026, 11, 30).at(9, 0, 0, 0),
        Minutes::new(90).expect("minutes"),
    );
    session.therapist = "Mira Santos".into();
    session.goals = "Turn my head to the left at work without pain, and sleep through the night again".into();
    let regions = [
        RegionId::UpperTrapeziusL,
        RegionId::UpperTrapeziusR,
        RegionId::LevatorScapulaeL,
        RegionId::LevatorScapulaeR,
        RegionId::RhomboidsL,
        RegionId::RhomboidsR,
        RegionId::MiddleTrapeziusL,
        RegionId::MiddleTrapeziusR,
        RegionId::InfraspinatusL,
        RegionId::InfraspinatusR,
        RegionId::LatissimusDorsiL,
        RegionId::LatissimusDorsiR,
    ];
    for (index, region) in regions.into_iter().enumerate() {
        let work = session.region_mut(region);
        work.tension = Tension::new(3).ok();
        work.pain = Pain::new(6).ok();
        work.findings = vec![FindingKind::TriggerPoint, FindingKind::Hypertonicity];
        work.techniques = vec![Technique::Petrissage, Technique::TriggerPointRelease];
        work.minutes = Minutes::new(7).ok();
        work.notes = note_of_200(region);
        let above_the_cap = index < 6;
        work.pressure = Pressure::new(if above_the_cap { 4 } else { 2 }).ok();
        if above_the_cap {
            session.overrides.push(SafetyOverride {
                rule: SafetyRule::PressureCap,
                region: Some(region),
                reason: "Cleared for firm work on this area by her GP in writing on 20 Nov; bruising checked at each visit".into(),
                decided_at: date(2026, 11, 29).at(18, 0, 0, 0),
                carried_from: None,
            });
        }
    }
    (client, session)
}

fn sheet<'a>(
    settings: &'a PracticeSettings,
    rules: &'a knotmap::model::ClinicRules,
    client: &'a knotmap::model::Client,
    session: &'a Session,
    paper: PaperSize,
) -> SessionSheet<'a> {
    SessionSheet {
        settings,
        clinic_rules: rules,
        client: Some(client),
        session,
        previous: None,
        source: Path::new("clients/ana-lima/sessions/2026-11-30-0900.ron"),
        printed_at: printed_at(),
        paper,
    }
}

#[test]
fn twelve_regions_with_200_character_notes_and_six_explained_warnings_print_on_one_page_with_safety_whole() {
    let (client, session) = hardest_plan();
    let rules = knotmap::model::ClinicRules::default();
    let report = knotmap::safety::check_session(
        &client,
        &session,
        None,
        knotmap::geometry::BodyMap::standard().expect("map"),
    );
    assert!(report.warnings.len() >= 6, "the plan carries six warnings: {:#?}", report.warnings);
    for paper in PAPERS {
        let printed = plan_sheet(&sheet(&settings(), &rules, &client, &session, paper)).expect("laid out");
        let bytes = printed.pdf().expect("a PDF");
        keep_to_look_at(&format!("hardest-plan-{paper:?}.pdf"), &bytes);
        assert_eq!(printed.pages.len(), 1, "on {paper:?}");
        let pdf = ReadPdf::from_bytes(&bytes);
        let text = pdf.flat_text();
        for region in &session.regions {
            let end: String = region.notes.chars().rev().take(30).collect::<String>().chars().rev().collect();
            assert!(text.contains(end.trim()), "the end of every note is printed on {paper:?}: {end}");
        }
        assert!(text.contains("Osteoporosis"), "every health flag is on the sheet");
        assert!(text.contains("Cleared for firm work on this area"), "the written reason is printed");
        for name in ["Upper trapezius, both sides", "Levator scapulae, both sides", "Rhomboids, both sides"] {
            assert!(text.contains(name), "every warned region is named: {name}");
        }
        assert!(text.contains("planning aid, not medical advice"));
        let map = knotmap_test_map_area(&printed);
        assert!(map.width >= 170.0, "the map is at least 60 mm wide: {} pt", map.width);
    }
}

/// Writes a document into `KNOTMAP_KEEP_PRINTS` when it is set, for a person to look at.
fn keep_to_look_at(name: &str, bytes: &[u8]) {
    if let Some(folder) = std::env::var_os("KNOTMAP_KEEP_PRINTS") {
        let _ = std::fs::write(Path::new(&folder).join(name), bytes);
    }
}

fn knotmap_test_map_area(printed: &Printed) -> knotmap::print::layout::Area {
    printed::map_area_of(printed)
}

#[test]
fn forty_five_regions_with_long_notes_take_fewer_pages_than_regions_and_safety_stays_on_page_one() {
    let (client, mut session) = hardest_plan();
    for region in RegionId::all() {
        let work = session.region_mut(region);
        work.pressure.get_or_insert(Pressure::new(2).expect("pressure"));
        work.notes = format!("{} ", note_of_200(region)).repeat(2);
    }
    assert!(session.regions.len() >= 40);
    let rules = knotmap::model::ClinicRules::default();
    for paper in PAPERS {
        let printed = plan_sheet(&sheet(&settings(), &rules, &client, &session, paper)).expect("laid out");
        let pdf = ReadPdf::from_bytes(&printed.pdf().expect("a PDF"));
        assert!(pdf.pages() <= 6, "{} pages for {} regions on {paper:?}", pdf.pages(), session.regions.len());
        assert!(pdf.page_text(0).contains("Safety"));
        assert!(pdf.page_text(0).contains("planning aid, not medical advice"), "safety is whole on page 1");
        for page in 1..pdf.pages() {
            let text = pdf.page_text(page);
            assert!(
                text.contains("continued") && text.contains("Region"),
                "page {page} continues the order of work with its headings"
            );
            assert!(!text.contains("Safety"), "nothing but the order of work continues");
        }
    }
}

#[test]
fn the_hardest_plan_is_one_page_from_the_command_line_too() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (_, session) = hardest_plan();
    let file = folder.path().join("hardest.ron");
    let text = knotmap::storage::KeptFile::to_ron(&session).expect("written");
    std::fs::write(&file, text).expect("saved");
    for paper in ["a4", "letter"] {
        let pdf = folder.path().join(format!("{paper}.pdf"));
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_knotmap"))
            .args(["print", "plan", "--paper", paper, "-o"])
            .arg(&pdf)
            .arg(&file)
            .output()
            .expect("runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(ReadPdf::from_file(&pdf).pages(), 1, "on {paper}");
    }
}

/// Whether any object of the PDF asks for transparency: a soft mask, a
/// transparency group, or a graphics state with an opacity under 1.
fn uses_transparency(bytes: &[u8]) -> bool {
    let document = pdf_extract::Document::load_mem(bytes).expect("a PDF that reads");
    let dictionary_asks = |dictionary: &pdf_extract::Dictionary| {
        dictionary.has(b"SMask")
            || dictionary.get(b"S").ok().and_then(|s| s.as_name().ok()) == Some(b"Transparency".as_slice())
            || [b"ca".as_slice(), b"CA".as_slice()].iter().any(|key| {
                dictionary
                    .get(key)
                    .ok()
                    .and_then(|value| value.as_float().ok())
                    .is_some_and(|opacity| opacity < 1.0)
            })
    };
    document.objects.values().any(|object| match object {
        pdf_extract::Object::Dictionary(dictionary) => dictionary_asks(dictionary),
        pdf_extract::Object::Stream(stream) => dictionary_asks(&stream.dict),
        _ => false,
    })
}

#[test]
fn the_printed_map_is_solid_ink_so_a_print_server_keeps_it_as_vectors() {
    let (client, session) = hardest_plan();
    let rules = knotmap::model::ClinicRules::default();
    let settings = settings();
    let sheet = sheet(&settings, &rules, &client, &session, PaperSize::A4);
    for printed in [plan_sheet(&sheet).expect("laid out"), take_home_sheet(&sheet).expect("laid out")] {
        let bytes = printed.pdf().expect("a PDF");
        assert!(!uses_transparency(&bytes), "{}: no transparency on the page", printed.title);
    }
}
