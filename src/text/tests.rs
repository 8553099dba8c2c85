use super::*;

/// Cases of UAX #9's conformance file `BidiCharacterTest.txt` (Unicode, under
/// the Unicode License) with the kinds of text a practice writes: Hebrew and
/// Arabic letters, Latin words, digits, spaces, brackets and slashes. Each is
/// "code points; paragraph direction (0 left to right, 1 right to left, 2 from
/// the text); resolved paragraph level; levels; visual order".
const CONFORMANCE_CASES: &str = "\
05D0 05D1 0028 05D2 05D3 005B 0026 0065 0066 005D 002E 0029 0067 0068;0;0;1 1 0 1 1 0 0 0 0 0 0 0 0 0;1 0 2 4 3 5 6 7 8 9 10 11 12 13
05D0 05D1 0028 05D2 05D3 005B 0026 0065 0066 005D 002E 0029 0067 0068;1;1;1 1 1 1 1 1 1 2 2 1 1 1 2 2;12 13 11 10 9 7 8 6 5 4 3 2 1 0
0061 0062 0063 0020 0028 0064 0065 0066 0020 0627 0628 062C 0029 0020 05D0 05D1 05D2;0;0;0 0 0 0 0 0 0 0 0 1 1 1 0 0 1 1 1;0 1 2 3 4 5 6 7 8 11 10 9 12 13 16 15 14
0061 0062 0063 0020 0028 0064 0065 0066 0020 0627 0628 062C 0029 0020 05D0 05D1 05D2;1;1;2 2 2 1 1 2 2 2 1 1 1 1 1 1 1 1 1;16 15 14 13 12 11 10 9 8 5 6 7 4 3 0 1 2
05D0 05D1 05D2 0020 0028 0064 0065 0066 0020 0627 0628 062C 0029 0020 0061 0062 0063;0;0;1 1 1 0 0 0 0 0 0 1 1 1 0 0 0 0 0;2 1 0 3 4 5 6 7 8 11 10 9 12 13 14 15 16
05D0 05D1 05D2 0020 0028 0064 0065 0066 0020 0627 0628 062C 0029 0020 0061 0062 0063;1;1;1 1 1 1 1 2 2 2 1 1 1 1 1 1 2 2 2;14 15 16 13 12 11 10 9 8 5 6 7 4 3 2 1 0
0061 0062 0063 0020 0028 0627 0628 062C 0020 0064 0065 0066 0029 0020 05D0 05D1 05D2;0;0;0 0 0 0 0 1 1 1 0 0 0 0 0 0 1 1 1;0 1 2 3 4 7 6 5 8 9 10 11 12 13 16 15 14
0061 0062 0063 0020 0028 0627 0628 062C 0020 0064 0065 0066 0029 0020 05D0 05D1 05D2;1;1;2 2 2 1 1 1 1 1 1 2 2 2 1 1 1 1 1;16 15 14 13 12 9 10 11 8 7 6 5 4 3 0 1 2
05D0 05D1 05D2 0020 0028 0627 0628 062C 0020 0064 0065 0066 0029 0020 0061 0062 0063;0;0;1 1 1 0 0 1 1 1 0 0 0 0 0 0 0 0 0;2 1 0 3 4 7 6 5 8 9 10 11 12 13 14 15 16
05D0 05D1 05D2 0020 0028 0627 0628 062C 0020 0064 0065 0066 0029 0020 0061 0062 0063;1;1;1 1 1 1 1 1 1 1 1 2 2 2 1 1 2 2 2;14 15 16 13 12 9 10 11 8 7 6 5 4 3 2 1 0
0627 0628 062C 0020 0062 006F 006F 006B 0028 0073 0029;0;0;1 1 1 0 0 0 0 0 0 0 0;2 1 0 3 4 5 6 7 8 9 10
0627 0628 062C 0020 0062 006F 006F 006B 0028 0073 0029;1;1;1 1 1 1 2 2 2 2 2 2 2;4 5 6 7 8 9 10 3 2 1 0
062A 0031 002F 0032;2;1;1 2 2 2;1 2 3 0
062A 0031 002F 0032;0;0;1 2 2 2;1 2 3 0
062A 0031 002F 0032;1;1;1 2 2 2;1 2 3 0
05D0 0020 0031 002D 0032;0;0;1 1 2 2 2;2 3 4 1 0
";

#[test]
fn the_pieces_put_every_character_where_the_unicode_conformance_cases_say() {
    let mut checked = 0;
    for case in CONFORMANCE_CASES.lines() {
        let fields: Vec<&str> = case.split(';').collect();
        let line: String = fields[0]
            .split(' ')
            .map(|code| u32::from_str_radix(code, 16).ok().and_then(char::from_u32).expect("a code point"))
            .collect();
        let direction = match fields[1] {
            "0" => Direction::LeftToRight,
            "1" => Direction::RightToLeft,
            _ => Direction::of(&line),
        };
        let expected_level = if direction.is_right_to_left() { "1" } else { "0" };
        assert_eq!(fields[2], expected_level, "paragraph direction of {case}");
        let expected: Vec<usize> =
            fields[4].split(' ').map(|index| index.parse().expect("an index")).collect();
        assert_eq!(visual_order(&line, direction), expected, "{case}");
        checked += 1;
    }
    assert_eq!(checked, 16);
}

#[test]
fn an_arabic_name_of_three_words_is_seen_with_its_first_word_on_the_right() {
    let name = "محمد عبد الله";
    assert_eq!(Direction::of(name), Direction::RightToLeft);
    let pieces = pieces(name, Direction::of(name));
    let texts: Vec<&str> = pieces.iter().map(|piece| piece.text).collect();
    assert_eq!(texts, ["الله", " ", "عبد", " ", "محمد"]);
    assert!(pieces.iter().all(|piece| piece.right_to_left));
}

#[test]
fn a_hebrew_name_is_seen_with_its_first_word_on_the_right() {
    let name = "דוד כהן";
    let texts: Vec<String> =
        pieces(name, Direction::of(name)).iter().map(|piece| piece.text.to_owned()).collect();
    assert_eq!(texts, ["כהן", " ", "דוד"]);
    assert_eq!(seen(name, Direction::of(name)), "ןהכ דוד");
}

#[test]
fn numbers_and_latin_words_in_a_hebrew_sentence_keep_their_own_order() {
    let line = "עברית 123 abc";
    assert_eq!(Direction::of(line), Direction::RightToLeft);
    let pieces = pieces(line, Direction::RightToLeft);
    let seen: Vec<(&str, bool)> = pieces.iter().map(|piece| (piece.text, piece.right_to_left)).collect();
    // From the left: the Latin word, the number, then the Hebrew word at the right end.
    assert_eq!(seen, [("abc", false), (" ", true), ("123", false), (" ", true), ("עברית", true)]);
}

#[test]
fn a_hebrew_goal_in_an_english_sentence_keeps_the_space_before_its_number() {
    let line = "Sleep: לישון בלילה 2 times";
    assert_eq!(Direction::of(line), Direction::LeftToRight);
    let pieces = pieces(line, Direction::LeftToRight);
    let seen: Vec<&str> = pieces.iter().map(|piece| piece.text).collect();
    // As a browser shows it: the number sits at the Hebrew's left, a space
    // between them, and the English words stay at both ends.
    assert_eq!(seen, ["Sleep: ", "2", " ", "בלילה", " ", "לישון", " times"]);
    assert_eq!(seen.concat().len(), line.len(), "no character is lost");
}

#[test]
fn a_latin_sentence_with_a_hebrew_name_inside_reads_left_to_right_around_it() {
    let line = "Saved the plan of דוד כהן for 3 December";
    let texts: Vec<&str> = pieces(line, Direction::of(line)).iter().map(|piece| piece.text).collect();
    assert_eq!(texts, ["Saved the plan of ", "כהן", " ", "דוד", " for 3 December"]);
}

#[test]
fn brackets_in_right_to_left_text_face_the_other_way() {
    let line = "דוד (דודי)";
    assert_eq!(seen(line, Direction::RightToLeft), "(ידוד) דוד");
    let bracket =
        pieces(line, Direction::RightToLeft).into_iter().find(|piece| piece.text == "(").expect("a bracket");
    assert_eq!(bracket.for_left_to_right_shaper(), ")");
}

#[test]
fn vowel_marks_stay_on_their_letter() {
    // Hebrew with points, Arabic with a shadda: each word stays one piece.
    let line = "שָׁלוֹם مُحَمَّد";
    let texts: Vec<&str> = pieces(line, Direction::RightToLeft).iter().map(|piece| piece.text).collect();
    assert_eq!(texts, ["مُحَمَّد", " ", "שָׁלוֹם"]);
}

#[test]
fn left_to_right_text_is_one_piece_and_is_not_analysed() {
    for line in ["Aiko Tanaka", "Ελένη Παπαδοπούλου", "Zoë (Zo) – 12 min", ""] {
        assert!(!needs_reordering(line));
        assert_eq!(Direction::of(line), Direction::LeftToRight);
        let pieces = pieces(line, Direction::LeftToRight);
        assert!(pieces.len() <= 1);
        assert_eq!(pieces.iter().map(|piece| piece.text).collect::<String>(), line);
    }
}

#[test]
fn text_with_no_letters_reads_left_to_right() {
    assert_eq!(Direction::of("12 (3)"), Direction::LeftToRight);
    assert_eq!(Direction::of("  "), Direction::LeftToRight);
}

#[test]
fn a_name_marked_off_in_a_line_keeps_the_count_after_it() {
    let line = format!("{}  (18)", isolated("דוד כהן"));
    assert_eq!(Direction::of(&line), Direction::LeftToRight);
    let drawn: Vec<String> =
        pieces(&line, Direction::LeftToRight).iter().map(|piece| piece.drawn().into_owned()).collect();
    // Seen from the left: the name's last word, its first, then the count.
    assert_eq!(drawn.concat(), "כהן דוד  (18)");
    assert_eq!(seen(&line, Direction::LeftToRight).replace(['\u{2068}', '\u{2069}'], ""), "ןהכ דוד  (18)");
    // Unmarked, the count would be drawn to the name's left.
    assert_eq!(seen("דוד כהן  (18)", Direction::of("דוד כהן  (18)")), "(18)  ןהכ דוד");
    assert_eq!(isolated("Aiko Tanaka"), "Aiko Tanaka");
}

proptest::proptest! {
    /// Whatever is typed (letters of both directions, digits, brackets, marks,
    /// direction controls, line breaks), the pieces hold every character of
    /// the line exactly once, and nothing panics.
    #[test]
    fn every_character_is_in_exactly_one_piece(
        characters in proptest::collection::vec(proptest::sample::select(vec![
            'a', 'Z', ' ', '1', '٣', '(', ')', '[', '-', '.', ',', '/', '%', 'א', 'ב', 'م', 'ح', '\u{064E}',
            '\u{05B8}', '\u{0301}', '\u{200D}', '\u{200F}', '\u{2067}', '\u{2069}', '\u{202B}', '\u{202C}',
            '\u{202E}', '\t', '😀', 'é',
        ]), 0..40),
        right_to_left in proptest::bool::ANY,
    ) {
        let line: String = characters.into_iter().collect();
        let direction = if right_to_left { Direction::RightToLeft } else { Direction::LeftToRight };
        let mut ranges: Vec<Range<usize>> = pieces(&line, direction).into_iter().map(|piece| piece.range).collect();
        ranges.sort_by_key(|range| range.start);
        let mut at = 0;
        for range in ranges {
            proptest::prop_assert_eq!(range.start, at);
            at = range.end;
        }
        proptest::prop_assert_eq!(at, line.len());
        let _ = Direction::of(&line);
        let _ = seen(&line, direction);
    }
}
