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
use crate::text::Direction;

/// One line of a wrapped paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// The paragraph's direction, which the line is read and aligned in.
    pub direction: Direction,
}

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
    /// The advances of the ASCII characters at 1 point, measured once: most
    /// text is made of them, and a sheet is measured many times over while its
    /// layout is chosen.
    ascii: [f32; 128],
    /// The font as the shaper reads it, made the first time a word of a script
    /// whose letters change shape (Arabic, Devanagari) is measured.
    shaper: OnceLock<Option<rustybuzz::Face<'static>>>,
}

impl Face {
    fn new(data: &'static [u8]) -> Option<Face> {
        Face::at(data, 0)
    }

    fn at(data: &'static [u8], index: u32) -> Option<Face> {
        let font = FontRef::from_index(data, index).ok()?;
        let units_per_em = f32::from(font.head().ok()?.units_per_em()).max(1.0);
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let mut ascii = [0.0; 128];
        for (code, advance) in ascii.iter_mut().enumerate() {
            let glyph = charmap.map(code as u32).unwrap_or(skrifa::GlyphId::NOTDEF);
            *advance = metrics.advance_width(glyph).unwrap_or(0.0) / units_per_em;
        }
        Some(Face { data, index, charmap, metrics, units_per_em, ascii, shaper: OnceLock::new() })
    }

    fn has(&self, character: char) -> bool {
        self.charmap.map(character).is_some_and(|glyph| glyph != skrifa::GlyphId::NOTDEF)
    }

    /// The advance of `character` at `size` points; the missing box's for one it lacks.
    fn advance(&self, character: char, size: f32) -> f32 {
        if let Some(advance) = self.ascii.get(character as usize) {
            return advance * size;
        }
        let glyph = self.charmap.map(character).unwrap_or(skrifa::GlyphId::NOTDEF);
        self.metrics.advance_width(glyph).unwrap_or(0.0) / self.units_per_em * size
    }

    /// How wide `text` is at `size` points once shaped: an Arabic word's
    /// joined letters are narrower than the same letters alone, and that is
    /// how the PDF draws them. `None` if the shaper cannot read the font.
    fn shaped_width(&self, text: &str, size: f32) -> Option<f32> {
        let face = self.shaper.get_or_init(|| rustybuzz::Face::from_slice(self.data, self.index)).as_ref()?;
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let glyphs = rustybuzz::shape(face, &[], buffer);
        let units: i32 = glyphs.glyph_positions().iter().map(|position| position.x_advance).sum();
        Some(units as f32 / face.units_per_em().max(1) as f32 * size)
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
            // fontique 0.11 panics when fontconfig lists no font at all: then there
            // are none, and the panic is not a message for the user.
            quietly(|| {
                let collection = fontique::Collection::new(fontique::CollectionOptions {
                    shared: false,
                    system_fonts: true,
                });
                (collection, fontique::SourceCache::new(fontique::SourceCacheOptions::default()))
            })
        });
        let found = listed.as_mut().and_then(|(collection, cache)| {
            quietly(AssertUnwindSafe(|| font_with(collection, cache, character))).flatten()
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

thread_local! {
    /// Whether a panic on this thread is expected and caught, and so not printed.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `work`, a panic in it caught and kept off stderr; `None` if it panicked.
fn quietly<T>(work: impl FnOnce() -> T + std::panic::UnwindSafe) -> Option<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                before(info);
            }
        }));
    });
    QUIET.with(|quiet| quiet.set(true));
    let result = catch_unwind(work).ok();
    QUIET.with(|quiet| quiet.set(false));
    result
}

/// The variant of the Han characters a reader here expects, from the locale:
/// Japanese, Korean, traditional Chinese (Taiwan, Hong Kong), else simplified.
fn han_variant() -> &'static [&'static str] {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()))
        .unwrap_or_default();
    if locale.starts_with("ja") {
        &["JP", "Japanese"]
    } else if locale.starts_with("ko") {
        &["KR", "Korean"]
    } else if locale.starts_with("zh_TW") {
        &["TC", "TW"]
    } else if locale.starts_with("zh_HK") {
        &["HK"]
    } else {
        &["SC", "CN"]
    }
}

/// The first system font, sans-serif families first, that has `character`.
fn font_with(
    collection: &mut fontique::Collection,
    cache: &mut fontique::SourceCache,
    character: char,
) -> Option<&'static Face> {
    let mut names: Vec<String> = collection.family_names().map(str::to_owned).collect();
    // Sans-serif first, like the rest of the page; for a family made in several
    // regional variants (Noto Sans CJK), the reader's own first.
    let variant = han_variant();
    let regional = |name: &str| {
        ["SC", "TC", "HK", "JP", "KR", "CN", "TW"].iter().any(|tag| name.split(' ').any(|word| word == *tag))
    };
    let preferred = |name: &str| variant.iter().any(|tag| name.split(' ').any(|word| word == *tag));
    names.sort_by_key(|name| {
        (!name.contains("Sans"), name.contains("Mono"), regional(name) && !preferred(name), name.clone())
    });
    for name in names {
        let Some(family) = collection.family_by_name(&name) else {
            continue;
        };
        // The regular weight, upright, before the rest.
        let mut fonts: Vec<_> = family.fonts().iter().collect();
        fonts.sort_by_key(|font| {
            let weight = (font.weight().value() - 400.0).abs() as u32;
            (font.style() != fontique::FontStyle::Normal, weight)
        });
        for font in fonts {
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
        // The text font has every printable ASCII character.
        if character.is_ascii_graphic() || character == ' ' {
            return primary;
        }
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

    /// Whether some font here draws `character` (a space, a joiner or a mark
    /// drawn on the one before needs none of its own).
    pub fn can_draw(&self, character: char, weight: Weight) -> bool {
        if character.is_whitespace()
            || character.is_control()
            || is_combining(character)
            || is_modifier(character)
        {
            return true;
        }
        let face = self.face_for(character, weight);
        self.face(face).is_some_and(|face| face.has(character))
    }

    /// The characters of `text` no font here draws, each once, in order.
    pub fn missing(&self, text: &str, weight: Weight) -> Vec<char> {
        let mut missing = Vec::new();
        for character in text.chars() {
            if !missing.contains(&character) && !self.can_draw(character, weight) {
                missing.push(character);
            }
        }
        missing
    }

    /// `text` cut into runs that one font draws each, in order, with the font.
    pub fn runs<'t>(&self, text: &'t str, weight: Weight) -> Vec<(FaceIndex, &'t str)> {
        let mut runs = Vec::new();
        let mut start = 0;
        let mut current = None;
        for (at, character) in text.char_indices() {
            let face = self.face_for(character, weight);
            // A mark or a joiner stays with the character before it, and so
            // does a space where that font has one (a cut symbol font has none:
            // its space would extract as a replacement character).
            let joins = is_combining(character)
                || (character.is_whitespace()
                    && current.and_then(|face| self.face(face)).is_some_and(|face| face.has(character)));
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
        if text.chars().any(changes_width_when_shaped) {
            return self.shaped_width(text, size, weight);
        }
        self.width_of_characters(text, size, weight)
    }

    /// The width of text with letters that join: each run of them measured as
    /// the shaper draws it, the rest character by character.
    fn shaped_width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        self.runs(text, weight)
            .into_iter()
            .map(|(face, run)| {
                let shaped = run
                    .chars()
                    .any(changes_width_when_shaped)
                    .then(|| self.face(face).and_then(|face| face.shaped_width(run, size)))
                    .flatten();
                shaped.unwrap_or_else(|| self.width_of_characters(run, size, weight))
            })
            .sum()
    }

    fn width_of_characters(&self, text: &str, size: f32, weight: Weight) -> f32 {
        let mut flag_half = false;
        text.chars()
            .map(|character| {
                // Two regional letters make one flag, as wide as one of them.
                if is_regional_letter(character) {
                    flag_half = !flag_half;
                    if !flag_half {
                        return 0.0;
                    }
                } else {
                    flag_half = false;
                }
                let face = self.face_for(character, weight);
                self.face(face).map_or(size * 0.5, |face| face.advance(character, size))
            })
            .sum()
    }

    /// `text` broken into lines no wider than `width`: at its own line breaks,
    /// then between words, and inside a word only when the word alone is wider
    /// (between whole characters as a reader sees them).
    pub fn wrap(&self, text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
        self.wrap_lines(text, size, weight, width).into_iter().map(|line| line.text).collect()
    }

    /// [`Faces::wrap`], each line with the direction of the paragraph it is
    /// from: a line of an Arabic paragraph that starts with a Latin word still
    /// reads, and is aligned, right to left.
    pub fn wrap_lines(&self, text: &str, size: f32, weight: Weight, width: f32) -> Vec<Line> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let direction = Direction::of(paragraph);
            lines.extend(
                self.wrap_paragraph(paragraph, size, weight, width)
                    .into_iter()
                    .map(|text| Line { text, direction }),
            );
        }
        if lines.is_empty() {
            lines.push(Line { text: String::new(), direction: Direction::LeftToRight });
        }
        lines
    }

    fn wrap_paragraph(&self, paragraph: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let space = self.width(" ", size, weight);
        let mut line = String::new();
        // Each word is measured once; a line's width is the sum of its words and spaces.
        let mut line_width = 0.0;
        for word in paragraph.split_whitespace() {
            let word_width = self.width(word, size, weight);
            let candidate = if line.is_empty() { word_width } else { line_width + space + word_width };
            if candidate <= width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_width = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line_width = word_width;
            if word_width <= width {
                line = word.to_owned();
                continue;
            }
            for grapheme in word.graphemes(true) {
                if !line.is_empty() && self.width(&format!("{line}{grapheme}"), size, weight) > width {
                    lines.push(std::mem::take(&mut line));
                }
                line.push_str(grapheme);
            }
            line_width = self.width(&line, size, weight);
        }
        lines.push(line);
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

/// Whether `character` is one of the letters two of which make a flag (🇬🇧).
/// A letter of a script whose letters take other shapes, and widths, beside
/// their neighbours (Arabic, and the Indic scripts' conjuncts).
fn changes_width_when_shaped(character: char) -> bool {
    matches!(character, '\u{0600}'..='\u{08FF}' | '\u{0900}'..='\u{0DFF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

fn is_regional_letter(character: char) -> bool {
    matches!(character as u32, 0x1F1E6..=0x1F1FF)
}

/// Whether `character` changes the emoji before it (a skin tone, a tag) rather
/// than being drawn on its own: a font without it still draws the emoji.
fn is_modifier(character: char) -> bool {
    matches!(character as u32, 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F)
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
    fn the_bundled_emoji_font_draws_common_emoji_and_says_which_it_lacks() {
        let faces = Faces::get();
        for emoji in ["💆", "🎉", "👍", "👍🏽", "😀", "❤️", "☕"] {
            assert!(faces.missing(emoji, Weight::Regular).is_empty(), "{emoji} prints");
        }
        // Newer emoji than the bundled font (Unicode 10 and later) are reported, never silent.
        let newer = faces.missing("🧘", Weight::Regular);
        assert!(newer.is_empty() || newer == ['🧘']);
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
