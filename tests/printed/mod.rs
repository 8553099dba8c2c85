//! Reading a printed PDF back as a clinic would: how many pages, what text,
//! and where on the page it stands.

#![allow(dead_code)]

use jiff::civil::{DateTime, date};
use knotmap::model::{
    Amendment, Client, FlagDetails, HealthFlag, Minutes, Outcome, Pain, Pressure, RegionId, SafetyOverride,
    SafetyRule, Session, SessionStatus, Technique, Tension,
};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// One character as the PDF places it.
#[derive(Clone, Debug)]
struct Placed {
    page: usize,
    x: f64,
    /// From the top of the page.
    y: f64,
    size: f64,
    text: String,
}

/// A PDF's text, line by line, with positions.
pub struct ReadPdf {
    pub page_sizes: Vec<[f64; 2]>,
    placed: Vec<Placed>,
}

/// A line of text on a page: its words joined by spaces, and where it starts.
#[derive(Clone, Debug)]
pub struct Line {
    pub page: usize,
    pub x: f64,
    pub y: f64,
    pub text: String,
}

struct Collector {
    pages: Vec<[f64; 2]>,
    placed: Vec<Placed>,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.pages.push([media_box.urx - media_box.llx, media_box.ury - media_box.lly]);
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        _: f64,
        _: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        let height = self.pages.last().map_or(0.0, |page| page[1]);
        let size = font_size * (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt();
        self.placed.push(Placed {
            page: self.pages.len().saturating_sub(1),
            x: trm.m31,
            y: height - trm.m32,
            size,
            text: char.to_owned(),
        });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

impl ReadPdf {
    pub fn from_bytes(bytes: &[u8]) -> ReadPdf {
        let document = pdf_extract::Document::load_mem(bytes).expect("a PDF that reads");
        let mut collector = Collector { pages: Vec::new(), placed: Vec::new() };
        pdf_extract::output_doc(&document, &mut collector).expect("its text reads");
        ReadPdf { page_sizes: collector.pages, placed: collector.placed }
    }

    pub fn from_file(path: &std::path::Path) -> ReadPdf {
        ReadPdf::from_bytes(&std::fs::read(path).expect("the PDF was written"))
    }

    pub fn pages(&self) -> usize {
        self.page_sizes.len()
    }

    /// The lines of text, page by page, top to bottom. The characters of a
    /// baseline are taken in the order the PDF draws them (the order they were
    /// laid out in); a run drawn from a new position starts a new word.
    pub fn lines(&self) -> Vec<Line> {
        let mut by_baseline: std::collections::BTreeMap<(usize, i64), (Line, f64)> =
            std::collections::BTreeMap::new();
        for glyph in &self.placed {
            let key = (glyph.page, (glyph.y * 2.0).round() as i64);
            let (line, last_x) = by_baseline.entry(key).or_insert_with(|| {
                (Line { page: glyph.page, x: glyph.x, y: glyph.y, text: String::new() }, glyph.x)
            });
            if !line.text.is_empty() && (glyph.x - *last_x).abs() > 2.0 && !line.text.ends_with(' ') {
                line.text.push(' ');
            }
            line.x = line.x.min(glyph.x);
            line.text.push_str(&glyph.text);
            *last_x = glyph.x;
        }
        by_baseline.into_values().map(|(line, _)| line).collect()
    }

    /// The lines as a PDF viewer reads them out, words one space apart: the
    /// letters of an Arabic or Hebrew word, drawn from left to right as they
    /// are seen, are taken from the right.
    pub fn reading_lines(&self) -> Vec<Line> {
        // Each baseline's line, its words (each a run of glyphs), and where the last glyph was.
        type Words<'a> = (Line, Vec<Vec<&'a str>>, f64);
        let mut by_baseline: std::collections::BTreeMap<(usize, i64), Words> =
            std::collections::BTreeMap::new();
        for glyph in &self.placed {
            let key = (glyph.page, (glyph.y * 2.0).round() as i64);
            let (line, words, last_x) = by_baseline.entry(key).or_insert_with(|| {
                (
                    Line { page: glyph.page, x: glyph.x, y: glyph.y, text: String::new() },
                    vec![Vec::new()],
                    glyph.x,
                )
            });
            let current = words.last().is_some_and(|word| !word.is_empty());
            if current && ((glyph.x - *last_x).abs() > 2.0 || glyph.text == " ") {
                words.push(Vec::new());
            }
            line.x = line.x.min(glyph.x);
            if glyph.text != " " {
                words.last_mut().expect("a word").push(&glyph.text);
            }
            *last_x = glyph.x;
        }
        by_baseline
            .into_values()
            .map(|(mut line, words, _)| {
                let words: Vec<String> = words
                    .into_iter()
                    .filter(|word| !word.is_empty())
                    .map(|mut word| {
                        if word.concat().chars().all(is_right_to_left_letter) {
                            word.reverse();
                        }
                        word.concat()
                    })
                    .collect();
                line.text = words.join(" ");
                line
            })
            .collect()
    }

    /// Where the rightmost run of `line` starts (the PDF's reader places each
    /// glyph of a run at the run's start).
    pub fn rightmost_run_of(&self, line: &Line) -> Option<f64> {
        self.placed
            .iter()
            .filter(|glyph| glyph.page == line.page && (glyph.y - line.y).abs() < 1.0)
            .map(|glyph| glyph.x)
            .reduce(f64::max)
    }

    /// Everything, one line of text a line.
    pub fn text(&self) -> String {
        self.lines().iter().map(|line| line.text.as_str()).collect::<Vec<_>>().join("\n")
    }

    /// Everything on one line: a phrase wrapped onto the next line of its
    /// paragraph or table cell still reads as one.
    pub fn flat_text(&self) -> String {
        self.lines().iter().map(|line| line.text.trim()).collect::<Vec<_>>().join(" ")
    }

    /// The text of one page.
    pub fn page_text(&self, page: usize) -> String {
        self.lines()
            .iter()
            .filter(|line| line.page == page)
            .map(|line| line.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Where the run of text that starts with `needle` is drawn: (page, x, y
    /// from the top), for its first occurrence.
    pub fn position_of(&self, needle: &str) -> Option<(usize, f64, f64)> {
        let wanted: Vec<char> = needle.chars().collect();
        (0..self.placed.len()).find_map(|start| {
            let window = self.placed.get(start..start + wanted.len())?;
            let first = &window[0];
            let matches = window
                .iter()
                .zip(&wanted)
                .all(|(placed, wanted)| placed.text.chars().eq(std::iter::once(*wanted)))
                && window.iter().all(|placed| placed.page == first.page && (placed.y - first.y).abs() < 1.0);
            matches.then_some((first.page, first.x, first.y))
        })
    }
}

// The people and plans the printing tests print.

pub const GOALS: &str = "Turn my head to the left at work without pain";
pub const GP_REASON: &str = "Cleared for firm work by her GP on 20 Nov";
pub const THERAPIST_NOTE: &str = "Guarded on the first pass; warm up longer";

pub fn printed_at() -> DateTime {
    date(2026, 11, 30).at(8, 15, 0, 0)
}

/// Ana Lima, on blood thinners, with a plan for 30 November 2026 at 9:00: firm
/// work on her left upper trapezius above the cap, explained in writing, and
/// light work on her right rhomboids.
pub fn ana() -> Client {
    let mut client = Client::new("Ana Lima");
    client.id = knotmap::model::ClientId::new("ana-lima").expect("id");
    client.date_of_birth = Some(date(1984, 3, 12));
    client.health_flags.insert(
        HealthFlag::BloodThinners,
        FlagDetails { note: "Warfarin since 2025".into(), ..FlagDetails::default() },
    );
    client
}

pub fn anas_plan(client: &Client) -> Session {
    let mut session = Session::new(
        client.id.clone(),
        date(2026, 11, 30).at(9, 0, 0, 0),
        Minutes::new(60).expect("minutes"),
    );
    session.therapist = "Mira Santos".into();
    session.goals = GOALS.into();
    session.aftercare = knotmap::model::default_aftercare();
    let trapezius = session.region_mut(RegionId::UpperTrapeziusL);
    trapezius.pressure = Pressure::new(4).ok();
    trapezius.tension = Tension::new(3).ok();
    trapezius.pain = Pain::new(6).ok();
    trapezius.minutes = Minutes::new(15).ok();
    trapezius.techniques = vec![Technique::Petrissage];
    trapezius.notes = THERAPIST_NOTE.into();
    let rhomboids = session.region_mut(RegionId::RhomboidsR);
    rhomboids.pressure = Pressure::new(2).ok();
    rhomboids.minutes = Minutes::new(10).ok();
    session.overrides.push(SafetyOverride {
        rule: SafetyRule::PressureCap,
        region: Some(RegionId::UpperTrapeziusL),
        reason: GP_REASON.into(),
        decided_at: date(2026, 11, 29).at(18, 0, 0, 0),
        carried_from: None,
    });
    session
}

/// A client with `count` completed sessions a week apart, tension easing and pain falling.
pub fn long_history(client: &Client, count: usize) -> Vec<Session> {
    (0..count)
        .map(|week| {
            let start = date(2016, 1, 4)
                .at(10, 0, 0, 0)
                .checked_add(jiff::Span::new().days(7 * week as i64))
                .expect("a date");
            let mut session = Session::new(client.id.clone(), start, Minutes::new(60).expect("minutes"));
            let tension = 3 - (week * 3 / count.max(1)) as i64;
            let work = session.region_mut(RegionId::UpperTrapeziusL);
            work.tension = Tension::new(tension).ok();
            work.pain = Pain::new((8 - (week * 8 / count.max(1))) as i64).ok();
            let work = session.region_mut(RegionId::ErectorSpinaeLumbarR);
            work.tension = Tension::new(2).ok();
            session.outcome = Some(Outcome {
                pain_before: Pain::new(6).ok(),
                pain_after: Pain::new(3).ok(),
                response: None,
                notes: String::new(),
            });
            session.status = SessionStatus::Completed;
            if week == 1 {
                session.amendments.push(Amendment {
                    made_at: start,
                    therapist: "Mira Santos".into(),
                    reason: "Pain after was noted wrongly".into(),
                    change: "pain after 3".into(),
                    before: None,
                });
            }
            session
        })
        .collect()
}

/// The progress report of `client`'s `sessions`, all of them, printed at the
/// tests' fixed time from their folder.
pub fn report_of(
    settings: &knotmap::model::PracticeSettings,
    client: &Client,
    sessions: &[Session],
    paper: knotmap::model::PaperSize,
) -> knotmap::print::Printed {
    let input = knotmap::print::ReportInput {
        settings,
        client,
        sessions,
        range: knotmap::print::ReportRange::default(),
        source: std::path::Path::new("clients/ana-lima"),
        printed_at: printed_at(),
        paper,
    };
    knotmap::print::progress_report(&input).expect("laid out")
}

/// Where the map stands on the first page of a printed document.
pub fn map_area_of(printed: &knotmap::print::Printed) -> knotmap::print::layout::Area {
    printed.pages[0]
        .marks
        .iter()
        .find_map(|mark| match mark {
            knotmap::print::layout::Mark::Figure { area, .. } => Some(*area),
            _ => None,
        })
        .expect("the sheet has a map")
}

/// A letter of Arabic or Hebrew, or a mark on one.
fn is_right_to_left_letter(character: char) -> bool {
    matches!(character, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}
