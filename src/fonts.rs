//! The fonts Knotmap carries in `assets/fonts/` (OFL; the license is
//! `assets/fonts/OFL.txt`), compiled in so that the screen and paper draw any
//! name the same on every machine.

/// Noto Sans, for Latin, Greek and Cyrillic text on paper (the screen uses egui's own).
pub const TEXT_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSans-Regular.ttf");
pub const TEXT_BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSans-Bold.ttf");

/// The fonts for scripts that the text fonts lack, as (name, file), in the order
/// they are asked for a character.
pub const SCRIPT_FONTS: [(&str, &[u8]); 3] = [
    ("NotoSansArabic-Regular", include_bytes!("../assets/fonts/NotoSansArabic-Regular.ttf")),
    ("NotoSansHebrew-Regular", include_bytes!("../assets/fonts/NotoSansHebrew-Regular.ttf")),
    ("NotoSansDevanagari-Regular", include_bytes!("../assets/fonts/NotoSansDevanagari-Regular.ttf")),
];

/// Symbols for paper that the text fonts lack: arrows and maths (→ −) and
/// geometric shapes (▲ ▼), cut from Noto Sans Math and Noto Sans Symbols 2 to
/// those blocks, and monochrome emoji (Noto Emoji; see `assets/fonts/README.md`).
pub const SYMBOL_FONTS: [(&str, &[u8]); 3] = [
    ("NotoSansMath-Arrows", include_bytes!("../assets/fonts/NotoSansMath-Arrows.ttf")),
    ("NotoSansSymbols2-Shapes", include_bytes!("../assets/fonts/NotoSansSymbols2-Shapes.ttf")),
    ("NotoEmoji-Regular", include_bytes!("../assets/fonts/NotoEmoji-Regular.ttf")),
];
