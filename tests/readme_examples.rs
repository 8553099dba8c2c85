//! The file examples in the README are real files: each reads as what it shows,
//! so the documentation cannot drift from the format.

use knotmap::model::{Client, ClinicRules, PracticeSettings, Session};
use knotmap::storage::from_ron;
use knotmap::storage::presence::Presence;

/// The ```ron blocks of the README, each with the line that names its file.
fn ron_examples() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let mut examples = Vec::new();
    let mut name = String::new();
    let mut block: Option<String> = None;
    for line in readme.lines() {
        match (&mut block, line) {
            (None, "```ron") => block = Some(String::new()),
            (Some(text), "```") => {
                examples.push((name.clone(), std::mem::take(text)));
                block = None;
            }
            (Some(text), line) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, line) if line.starts_with('`') && line.ends_with(".ron`") => name = line.to_owned(),
            (None, _) => {}
        }
    }
    examples
}

#[test]
fn every_file_example_in_the_readme_reads_as_its_kind() {
    let examples = ron_examples();
    assert_eq!(examples.len(), 5, "practice, client, session, safety rules and presence examples");
    for (name, text) in examples {
        let read = if name.contains(".editing-") {
            from_ron::<Presence>(&text).map(|_| ())
        } else if name.contains("safety_rules.ron") {
            from_ron::<ClinicRules>(&text).map(|_| ())
        } else if name.contains("practice.ron") {
            from_ron::<PracticeSettings>(&text).map(|_| ())
        } else if name.contains("client.ron") {
            from_ron::<Client>(&text).map(|_| ())
        } else {
            from_ron::<Session>(&text).map(|_| ())
        };
        if let Err(problem) = read {
            panic!("the README's {name} does not read: {problem}");
        }
    }
}

/// The README's table of caution zones, region by region: what it says of each
/// region and zone ("borders (12.2%)", "lies in (61.0%)" or "–").
fn zone_table() -> std::collections::BTreeMap<(String, &'static str), String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let mut table = std::collections::BTreeMap::new();
    for line in readme.lines().filter(|line| line.starts_with("| `") && line.contains("_l` / `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let stem = cells[1].trim_start_matches('`').split("_l`").next().expect("a key").to_owned();
        for (column, zone) in [(2, "spine"), (3, "side of neck"), (4, "kidney area")] {
            table.insert((stem.clone(), zone), cells[column].to_owned());
        }
    }
    table
}

#[test]
fn the_readme_table_of_caution_zones_is_what_the_map_measures() {
    use knotmap::model::{CautionZoneId, REGIONS, Side};
    let map = knotmap::geometry::BodyMap::standard().expect("body map");
    let rules = knotmap::safety::SafetyRules::standard().expect("rules");
    let mut measured = std::collections::BTreeMap::new();
    for info in REGIONS.iter().filter(|info| info.side == Side::Left) {
        let stem = info.key.trim_end_matches("_l").to_owned();
        let zones = [
            ("spine", CautionZoneId::Spine),
            ("side of neck", CautionZoneId::PosteriorTriangleL),
            ("kidney area", CautionZoneId::KidneyL),
        ];
        let cells: Vec<(&str, String)> = zones
            .into_iter()
            .map(|(name, zone)| {
                let share = 100.0 * map.shared_area(info.id, zone) / map.region(info.id).outline.area();
                let cell = if rules.zones_inside(info.id).contains(&zone) {
                    format!("lies in ({share:.1}%)")
                } else if rules.zones_bordering(info.id).contains(&zone) {
                    format!("borders ({share:.1}%)")
                } else {
                    "–".to_owned()
                };
                (name, cell)
            })
            .collect();
        if cells.iter().any(|(_, cell)| cell != "–") {
            for (name, cell) in cells {
                measured.insert((stem.clone(), name), cell);
            }
        }
        // The right side mirrors the left, so the table's one row stands for both.
        assert_eq!(rules.zones_bordering(info.id).len(), rules.zones_bordering(info.id.mirror()).len());
    }
    assert_eq!(zone_table(), measured);
}
