//! Reading a printed PDF back as a clinic would: how many pages, what text,
//! and where on the page it stands.

#![allow(dead_code)]

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
