//! Text in the order it is seen. A name or a goal is kept, typed and saved in
//! the order it is read (logical order); a line of Arabic or Hebrew is seen
//! right to left, and a number or a Latin word inside it left to right. The
//! Unicode Bidirectional Algorithm (UAX #9) says which stretch goes where; this
//! module applies it once, for the screen's painter and the paper's.
//!
//! Both painters shape a word of Arabic or Hebrew themselves (they join its
//! letters and draw them right to left), so what they need is the line cut into
//! [`Piece`]s, in the order they are seen from left to right, each still in
//! reading order inside.

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::ops::Range;

use unicode_bidi::{BidiClass, Level, ParagraphBidiInfo, bidi_class};

/// Which way a paragraph or a stretch of text reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    LeftToRight,
    RightToLeft,
}

impl Direction {
    /// The direction of a paragraph: that of its first letter with a direction
    /// of its own (UAX #9, rules P2 and P3), left to right if it has none
    /// (digits, punctuation, an empty field).
    pub fn of(paragraph: &str) -> Direction {
        if !needs_reordering(paragraph) {
            return Direction::LeftToRight;
        }
        match unicode_bidi::get_base_direction(paragraph) {
            unicode_bidi::Direction::Rtl => Direction::RightToLeft,
            _ => Direction::LeftToRight,
        }
    }

    pub fn is_right_to_left(self) -> bool {
        self == Direction::RightToLeft
    }

    fn level(self) -> Level {
        match self {
            Direction::LeftToRight => Level::ltr(),
            Direction::RightToLeft => Level::rtl(),
        }
    }
}

/// A stretch of a line that a painter draws in one go: in reading order
/// inside, placed after the piece to its left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece<'t> {
    /// Where it is in the line, in bytes.
    pub range: Range<usize>,
    /// Its text, in reading order.
    pub text: &'t str,
    /// Whether it reads right to left: its letters are drawn from right to left
    /// and a bracket in it faces the other way.
    pub right_to_left: bool,
}

impl Piece<'_> {
    /// Whether the piece holds a letter that is itself written right to left
    /// (Arabic, Hebrew…): a shaper that guesses the direction from the script,
    /// as the screen's does, draws such a piece right to left on its own; a
    /// space or a bracket between two such words it would draw as it is.
    pub fn has_right_to_left_letters(&self) -> bool {
        self.text.chars().any(is_right_to_left_letter)
    }

    /// The piece as a painter that draws every piece left to right must be
    /// given it: a right-to-left piece without such letters (a bracket, a dash
    /// between two Hebrew words) reversed and mirrored, so that "(" opens the
    /// right-to-left aside on its right.
    pub fn for_left_to_right_shaper(&self) -> Cow<'_, str> {
        if self.right_to_left && !self.has_right_to_left_letters() {
            self.drawn().chars().rev().map(mirrored).collect::<String>().into()
        } else {
            self.drawn()
        }
    }

    /// What a painter draws of the piece: its text without the invisible
    /// direction controls (an isolate's marks), which no font has a glyph for.
    pub fn drawn(&self) -> Cow<'_, str> {
        if self.text.chars().any(is_direction_control) {
            self.text.chars().filter(|character| !is_direction_control(*character)).collect::<String>().into()
        } else {
            self.text.into()
        }
    }
}

/// `words` marked off from the text around them, as a name in a sentence is:
/// they read in their own direction, and a number or a bracket after them stays
/// with the sentence ("דוד כהן (18)" keeps "(18)" after the name). Words with
/// nothing right to left in them are left as they are.
pub fn isolated(words: &str) -> Cow<'_, str> {
    if needs_reordering(words) { format!("\u{2068}{words}\u{2069}").into() } else { words.into() }
}

/// Whether `text` has anything that reads right to left. Text without
/// (nearly every name and note in most practices) is drawn as it is, at no cost.
pub fn needs_reordering(text: &str) -> bool {
    // Every character below U+0590 (Latin, Greek, Cyrillic, Armenian…) reads
    // left to right or takes the direction of its neighbours.
    text.chars().any(|character| {
        character >= '\u{0590}'
            && matches!(
                bidi_class(character),
                BidiClass::R
                    | BidiClass::AL
                    | BidiClass::AN
                    | BidiClass::RLE
                    | BidiClass::RLO
                    | BidiClass::RLI
            )
    })
}

/// One line (no line breaks in it) of a paragraph that reads `direction`, cut
/// into the pieces a painter draws, in the order they are seen from left to
/// right. A line that needs no reordering is one piece.
pub fn pieces(line: &str, direction: Direction) -> Vec<Piece<'_>> {
    if line.is_empty() {
        return Vec::new();
    }
    if !needs_reordering(line) && direction == Direction::LeftToRight {
        return vec![Piece { range: 0..line.len(), text: line, right_to_left: false }];
    }
    let info = ParagraphBidiInfo::new(line, Some(direction.level()));
    let (levels, runs) = info.visual_runs(0..line.len());
    let mut pieces = Vec::new();
    for run in runs {
        let right_to_left = levels.get(run.start).is_some_and(|level| level.is_rtl());
        if !right_to_left {
            pieces.push(Piece { range: run.clone(), text: &line[run], right_to_left });
            continue;
        }
        // A right-to-left run is seen from its end to its start: its words in
        // reverse, and the spaces and marks between them, each word left whole
        // for the painter to shape.
        let start = pieces.len();
        for range in words_and_gaps(line, run) {
            pieces.push(Piece { text: &line[range.clone()], range, right_to_left });
        }
        pieces[start..].reverse();
    }
    pieces
}

/// The characters of `line` (indices counted in characters) in the order they
/// are seen from left to right, as the pieces place them: what UAX #9's
/// conformance tests give as the visual order.
pub fn visual_order(line: &str, direction: Direction) -> Vec<usize> {
    let character_at: Vec<usize> = line.char_indices().map(|(byte, _)| byte).collect();
    let index = |byte: usize| character_at.partition_point(|&start| start < byte);
    let mut order = Vec::new();
    for piece in pieces(line, direction) {
        let characters: Vec<usize> = piece
            .text
            .char_indices()
            .filter(|(_, character)| !removed_by_the_algorithm(*character))
            .map(|(byte, _)| index(piece.range.start + byte))
            .collect();
        if piece.right_to_left {
            order.extend(characters.into_iter().rev());
        } else {
            order.extend(characters);
        }
    }
    order
}

/// `line` as it is seen, character by character, brackets mirrored where they
/// read right to left: the order a reader's eye meets the characters from the left.
pub fn seen(line: &str, direction: Direction) -> String {
    let mut seen = String::with_capacity(line.len());
    for piece in pieces(line, direction) {
        if piece.right_to_left {
            seen.extend(piece.text.chars().rev().map(mirrored));
        } else {
            seen.push_str(piece.text);
        }
    }
    seen
}

/// The character a bracket (or another mirrored sign) shows in right-to-left text.
pub fn mirrored(character: char) -> char {
    unicode_bidi_mirroring::get_mirrored(character).unwrap_or(character)
}

/// Cuts a right-to-left run into its words (letters with their marks) and the
/// single characters between them.
fn words_and_gaps(line: &str, run: Range<usize>) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut in_word = false;
    for (offset, character) in line[run.clone()].char_indices() {
        let at = run.start + offset;
        let end = at + character.len_utf8();
        let joins_word = is_right_to_left_letter(character) || (in_word && stays_with_letter(character));
        match ranges.last_mut() {
            Some(last) if joins_word && in_word => last.end = end,
            // A mark after a space or a bracket belongs to it.
            Some(last) if !in_word && stays_with_letter(character) => last.end = end,
            _ => ranges.push(at..end),
        }
        in_word = joins_word;
    }
    ranges
}

/// A letter of a script written right to left.
fn is_right_to_left_letter(character: char) -> bool {
    matches!(bidi_class(character), BidiClass::R | BidiClass::AL)
}

/// A character drawn with the letter before it: a vowel sign or another mark,
/// or a joiner.
fn stays_with_letter(character: char) -> bool {
    matches!(bidi_class(character), BidiClass::NSM | BidiClass::BN)
}

/// An invisible character that only says which way text runs.
fn is_direction_control(character: char) -> bool {
    matches!(character, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The characters UAX #9 takes out before it orders a line (rule X9): the
/// explicit direction controls and the invisible formatting characters.
fn removed_by_the_algorithm(character: char) -> bool {
    matches!(
        bidi_class(character),
        BidiClass::RLE | BidiClass::LRE | BidiClass::RLO | BidiClass::LRO | BidiClass::PDF | BidiClass::BN
    )
}
