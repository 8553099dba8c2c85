//! The file examples in the README are real files: each reads as what it shows,
//! so the documentation cannot drift from the format.

use knotmap::model::{Client, PracticeSettings, Session};
use knotmap::storage::from_ron;

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
    assert_eq!(examples.len(), 3, "practice, client and session examples");
    for (name, text) in examples {
        let read = if name.contains("practice.ron") {
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
