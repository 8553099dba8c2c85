//! Text on paper: which of Knotmap's fonts draws each character, how wide a line
//! is, and where lines break. Measured from the fonts themselves, so that a line
//! wrapped here is the line the PDF draws.
//!
//! A character is drawn by the text font (Noto Sans, regular or bold) if it has
//! it, else by the first script or symbol font that has it (Arabic, Hebrew,
//! Devanagari; arrows and shapes), else by a system font that has it (Chinese,
//! Japanese, Korean, Thai, Georgian…: the same fallback as the screen's, found
//! through fontconfig by `fontique` the first time such a character is met),
//! else by the text font, which then shows its "missing" box: a document still
//! prints, and the box says which character the fonts lack.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, OnceLock};

use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::raw::TableProvider as _;
use skrifa::{FontRef, MetadataProvider as _};
use unicode_segmentation::UnicodeSegmentation as _;

use crate::fonts::{SCRIPT_FONTS, SYMBOL_FONTS, TEXT_BOLD, TEXT_REGULAR};

/// How heavy a run of text is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Weight {
    #[default]
    Regular,
    Bold,
}

/// One of the fonts paper is printed with, by index into [`Faces::all`].
pub type FaceIndex = usize;

/// A font ready to be measured.
pub struct Face {
    pub data: &'static [u8],
    /// The font's index in its file (a collection holds several).
    pub index: u32,
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Option<Face> {
        Face::at(data, 0)
    }

    fn at(data: &'static [u8], index: u32) -> Option<Face> {
        let font = FontRef::from_index(data, index).ok()?;
        let units_per_em = f32::from(font.head().ok()?.units_per_em()).max(1.0);
        Some(Face {
            data,
            index,
            charmap: font.charmap(),
            metrics: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em,
        })
    }

    fn has(&self, character: char) -> bool {
        self.charmap.map(character).is_some_and(|glyph| glyph != skrifa::GlyphId::NOTDEF)
    }

    /// The advance of `character` at `size` points; the missing box's for one it lacks.
    fn advance(&self, character: char, size: f32) -> f32 {
        let glyph = self.charmap.map(character).unwrap_or(skrifa::GlyphId::NOTDEF);
        self.metrics.advance_width(glyph).unwrap_or(0.0) / self.units_per_em * size
    }
}

/// Every font paper is printed with: the regular and bold text fonts, then the
/// script fonts.
pub struct Faces {
    all: Vec<Face>,
    /// System fonts found for characters the bundled ones lack, by index after `all`.
    system: Mutex<SystemFonts>,
}

/// The system's fonts, listed the first time a character needs them.
#[derive(Default)]
struct SystemFonts {
    /// Found so far; kept for the life of the process.
    found: Vec<&'static Face>,
    /// Characters no system font has: not looked for again.
    missing: BTreeSet<char>,
    /// The system's font list, once read; `None` inside if it could not be.
    collection: Option<Option<(fontique::Collection, fontique::SourceCache)>>,
}

impl SystemFonts {
    /// A system font that has `character`, found and kept.
    fn find(&mut self, character: char) -> Option<usize> {
        if let Some(index) = self.found.iter().position(|face| face.has(character)) {
            return Some(index);
        }
        if self.missing.contains(&character) {
            return None;
        }
        let listed = self.collection.get_or_insert_with(|| {
            // fontique 0.11 panics when fontconfig lists no font at all: then there are none.
            catch_unwind(|| {
                let collection = fontique::Collection::new(fontique::CollectionOptions {
                    shared: false,
                    system_fonts: true,
                });
                (collection, fontique::SourceCache::new(fontique::SourceCacheOptions::default()))
            })
            .ok()
        });
        let found = listed.as_mut().and_then(|(collection, cache)| {
            catch_unwind(AssertUnwindSafe(|| font_with(collection, cache, character))).ok().flatten()
        });
        match found {
            Some(face) => {
                self.found.push(face);
                Some(self.found.len() - 1)
            }
            None => {
                self.missing.insert(character);
                None
            }
        }
    }
}

/// The first system font, sans-serif families first, that has `character`.
fn font_with(
    collection: &mut fontique::Collection,
    cache: &mut fontique::SourceCache,
    character: char,
) -> Option<&'static Face> {
    let mut names: Vec<String> = collection.family_names().map(str::to_owned).collect();
    // Sans-serif first, like the rest of the page.
    names.sort_by_key(|name| (!name.contains("Sans"), name.contains("Mono"), name.clone()));
    for name in names {
        let Some(family) = collection.family_by_name(&name) else {
            continue;
        };
        for font in family.fonts() {
            let Some(blob) = font.load(Some(cache)) else {
                continue;
            };
            let has = FontRef::from_index(blob.data(), font.index())
                .ok()
                .and_then(|font| font.charmap().map(character))
                .is_some_and(|glyph| glyph != skrifa::GlyphId::NOTDEF);
            if has {
                // Kept for the life of the process, like the bundled fonts; the file is mapped, not read.
                let blob: &'static fontique::Blob<u8> = Box::leak(Box::new(blob));
                let face: &'static Face = Box::leak(Box::new(Face::at(blob.data(), font.index())?));
                return Some(face);
            }
        }
    }
    None
}

/// The text fonts' places in [`Faces::all`].
const REGULAR: FaceIndex = 0;
const BOLD: FaceIndex = 1;

static FACES: OnceLock<Faces> = OnceLock::new();

impl Faces {
    /// The fonts, read once. A bundled font that cannot be read is left out (the
    /// tests rule that out); the text font is then a stand-in that draws boxes.
    pub fn get() -> &'static Faces {
        FACES.get_or_init(|| {
            let all = [TEXT_REGULAR, TEXT_BOLD]
                .into_iter()
                .chain(SCRIPT_FONTS.iter().chain(&SYMBOL_FONTS).map(|(_, data)| *data))
                .filter_map(Face::new)
                .collect();
            Faces { all, system: Mutex::default() }
        })
    }

    /// The bundled fonts, by index.
    pub fn all(&self) -> &[Face] {
        &self.all
    }

    /// The font of `index`: a bundled one, or a system font found for a character.
    pub fn face(&self, index: FaceIndex) -> Option<&Face> {
        if let Some(bundled) = self.all.get(index) {
            return Some(bundled);
        }
        let system = self.system.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        system.found.get(index - self.all.len()).copied()
    }

    fn primary(weight: Weight) -> FaceIndex {
        match weight {
            Weight::Regular => REGULAR,
            Weight::Bold => BOLD,
        }
    }

    /// The font that draws `character`.
    pub fn face_for(&self, character: char, weight: Weight) -> FaceIndex {
        let primary = Faces::primary(weight);
        if self.all.get(primary).is_none_or(|face| face.has(character)) || character.is_whitespace() {
            return primary;
        }
        if let Some(bundled) = (BOLD + 1..self.all.len()).find(|&index| self.all[index].has(character)) {
            return bundled;
        }
        if character.is_control() {
            return primary;
        }
        let mut system = self.system.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        system.find(character).map_or(primary, |found| self.all.len() + found)
    }

    /// `text` cut into runs that one font draws each, in order, with the font.
    pub fn runs<'t>(&self, text: &'t str, weight: Weight) -> Vec<(FaceIndex, &'t str)> {
        let mut runs = Vec::new();
        let mut start = 0;
        let mut current = None;
        for (at, character) in text.char_indices() {
            let face = self.face_for(character, weight);
            // A mark or a joiner stays with the character before it.
            let joins = character.is_whitespace() || is_combining(character);
            match current {
                Some(previous) if previous != face && !joins => {
                    runs.push((previous, &text[start..at]));
                    start = at;
                    current = Some(face);
                }
                None => current = Some(face),
                _ => {}
            }
        }
        if let Some(face) = current {
            runs.push((face, &text[start..]));
        }
        runs
    }

    /// How wide `text` is at `size` points.
    pub fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        text.chars()
            .map(|character| {
                let face = self.face_for(character, weight);
                self.face(face).map_or(size * 0.5, |face| face.advance(character, size))
            })
            .sum()
    }

    /// `text` broken into lines no wider than `width`: at its own line breaks,
    /// then between words, and inside a word only when the word alone is wider
    /// (between whole characters as a reader sees them).
    pub fn wrap(&self, text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if self.width(&candidate, size, weight) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if self.width(word, size, weight) <= width {
                    line = word.to_owned();
                    continue;
                }
                for grapheme in word.graphemes(true) {
                    if !line.is_empty() && self.width(&format!("{line}{grapheme}"), size, weight) > width {
                        lines.push(std::mem::take(&mut line));
                    }
                    line.push_str(grapheme);
                }
            }
            lines.push(line);
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }

    /// `text` cut to fit `width`, ending in "…" if it was cut.
    pub fn fit(&self, text: &str, size: f32, weight: Weight, width: f32) -> String {
        if self.width(text, size, weight) <= width {
            return text.to_owned();
        }
        let mut fitted = String::new();
        for grapheme in text.graphemes(true) {
            if self.width(&format!("{fitted}{grapheme}…"), size, weight) > width {
                break;
            }
            fitted.push_str(grapheme);
        }
        format!("{}…", fitted.trim_end())
    }
}

/// Whether `character` is drawn on the one before it (an accent, a vowel sign, a joiner).
fn is_combining(character: char) -> bool {
    matches!(character as u32,
        0x0300..=0x036F | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED
        | 0x0591..=0x05C7 | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963
        | 0x200C..=0x200D | 0xFE00..=0xFE0F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_font_is_read() {
        assert_eq!(Faces::get().all().len(), 2 + SCRIPT_FONTS.len() + SYMBOL_FONTS.len());
    }

    #[test]
    fn every_symbol_the_documents_print_has_a_glyph() {
        let faces = Faces::get();
        for symbol in "▲▼=+−→•…–·✓".chars() {
            let face = faces.face_for(symbol, Weight::Regular);
            assert!(faces.face(face).is_some_and(|face| face.has(symbol)), "no font draws {symbol:?}");
        }
    }

    #[test]
    fn a_name_in_several_scripts_is_cut_into_runs_of_the_font_that_draws_each() {
        let faces = Faces::get();
        let runs = faces.runs("Ana سارة नमस्ते", Weight::Regular);
        let texts: Vec<&str> = runs.iter().map(|(_, text)| *text).collect();
        assert_eq!(texts.concat(), "Ana سارة नमस्ते");
        assert_eq!(runs.len(), 3, "{runs:?}");
        assert_ne!(runs[0].0, runs[1].0);
        assert_ne!(runs[1].0, runs[2].0);
    }

    #[test]
    fn wrapping_breaks_between_words_and_inside_a_word_only_when_it_is_too_long() {
        let faces = Faces::get();
        let lines = faces.wrap("Less pain when turning the head to the left", 10.0, Weight::Regular, 100.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|line| faces.width(line, 10.0, Weight::Regular) <= 100.0));
        assert_eq!(lines.join(" "), "Less pain when turning the head to the left");
        let long = "x".repeat(200);
        let lines = faces.wrap(&long, 10.0, Weight::Regular, 100.0);
        assert!(lines.len() > 3 && lines.concat() == long);
    }

    #[test]
    fn fitting_a_long_name_ends_it_with_an_ellipsis() {
        let faces = Faces::get();
        let fitted = faces.fit("Maria Fernanda Albuquerque de Souza", 10.0, Weight::Bold, 80.0);
        assert!(fitted.ends_with('…') && faces.width(&fitted, 10.0, Weight::Bold) <= 80.0, "{fitted}");
    }
}
