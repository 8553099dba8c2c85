//! Fonts for any script: a client's name or goals written in Arabic, Hebrew,
//! Chinese or Hindi must read as written, never as empty boxes.
//!
//! A character is drawn by the first of these that has it:
//!
//! 1. egui's own fonts (Ubuntu Light, Hack and the monochrome emoji of its
//!    `monochrome_emoji_fonts` feature): Latin, Greek, Cyrillic, the icons of
//!    the theme buttons, ⚠, and most emoji, the same on every machine;
//! 2. the fonts Knotmap carries in `assets/fonts/` (OFL, about 0.6 MB together):
//!    Noto Sans Arabic, Hebrew and Devanagari, and cuts of Noto Sans Math and
//!    Symbols 2 for arrows and shapes (the history's ▼ better, ▲ worse);
//! 3. the system's fonts, with the fallback the desktop's other apps use
//!    (fontconfig on Linux, through egui's `egui_system_font_provider`): Chinese,
//!    Japanese, Korean, Thai and every other script, whose fonts are too large
//!    to carry (CJK fonts are tens of megabytes);
//! 4. egui's Hack again, for the arrows and symbols (→ ↑ ↓) that Ubuntu Light
//!    lacks and the system may lack too.
//!
//! Knotmap's own fonts come before the system's because egui draws them right:
//! with DejaVu Sans, which fontconfig offers for Arabic on a plain Debian, egui
//! 0.37 loses the hamza of أ and the dots of ي, so "أريد" reads "اريد". Noto Sans
//! Arabic keeps them.
//!
//! Nothing here slows the start. The bundled fonts are compiled in; the system's
//! fonts are listed on a background thread, and only a character that needs them
//! waits for that list. A font that cannot be read is passed over, here and by
//! egui, and the character is looked for further on.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use egui::{FallbackRequest, FontData, FontInsert, FontPriority, FontProvider, InsertFontFamily};
use egui_system_font_provider::SystemFontProvider;
use skrifa::MetadataProvider as _;

use crate::fonts::{SCRIPT_FONTS, SYMBOL_FONTS};

/// Lets `ctx` draw text in any script that Knotmap's or the system's fonts
/// cover, in the order the module's doc gives. Call once, when the context is
/// made (the app's `run`, or a test's harness).
pub fn install_fallback_fonts(ctx: &egui::Context) {
    ctx.add_font_provider(Arc::new(BundledFonts::scripts()));
    ctx.add_font_provider(Arc::new(SystemFonts::new()));
    ctx.add_font_provider(Arc::new(BundledFonts::symbols()));
}

/// The system's fonts, asked for a character no font before them has.
///
/// A failure inside the lookup must not take the window down with it: with no
/// font at all in fontconfig's folders, fontique 0.11 panics on its thread, and
/// so would the lookup. The text then falls through to Hack, or to boxes.
struct SystemFonts {
    provider: SystemFontProvider,
    failed: AtomicBool,
}

impl SystemFonts {
    /// Starts listing the system's fonts on a background thread.
    fn new() -> Self {
        Self { provider: SystemFontProvider::new(), failed: AtomicBool::new(false) }
    }
}

impl FontProvider for SystemFonts {
    fn font_for(&self, request: &FallbackRequest<'_>) -> Option<FontInsert> {
        if self.failed.load(Ordering::Relaxed) {
            return None;
        }
        let found = catch_unwind(AssertUnwindSafe(|| self.provider.font_for(request)));
        found.unwrap_or_else(|_| {
            self.failed.store(true, Ordering::Relaxed);
            eprintln!("knotmap: the system's fonts could not be read; using Knotmap's own fonts only");
            None
        })
    }
}

/// Fonts that travel with Knotmap, each offered only for the characters it has.
struct BundledFonts {
    fonts: Vec<(String, FontData)>,
}

impl BundledFonts {
    /// The fonts of `assets/fonts/` for scripts and symbols (the change map's ▼ ▲).
    fn scripts() -> Self {
        let fonts = SCRIPT_FONTS
            .iter()
            .chain(&SYMBOL_FONTS)
            .map(|(name, bytes)| ((*name).to_owned(), FontData::from_static(bytes)))
            .collect();
        Self { fonts }
    }

    /// egui's Hack, which Proportional text does not use by itself: it has the
    /// arrows (→ ↑ ↓) that Ubuntu Light lacks.
    fn symbols() -> Self {
        let hack = egui::FontDefinitions::default().font_data.get("Hack").map(|hack| FontData::clone(hack));
        Self { fonts: hack.map(|hack| ("Hack".to_owned(), hack)).into_iter().collect() }
    }
}

impl FontProvider for BundledFonts {
    fn font_for(&self, request: &FallbackRequest<'_>) -> Option<FontInsert> {
        let wanted = request.cluster.chars().next()?;
        let (name, data) = self.fonts.iter().find(|(_, data)| has_glyph(data, wanted))?;
        Some(FontInsert {
            name: format!("knotmap:{name}"),
            data: data.clone(),
            families: vec![InsertFontFamily {
                family: request.family.clone(),
                priority: FontPriority::Lowest,
            }],
        })
    }
}

/// Whether the font draws `wanted`; a font that cannot be read draws nothing.
fn has_glyph(data: &FontData, wanted: char) -> bool {
    let Ok(font) = skrifa::FontRef::from_index(data.bytes(), data.index) else {
        return false;
    };
    font.charmap().map(wanted).is_some_and(|glyph| glyph != skrifa::GlyphId::NOTDEF)
}

#[cfg(test)]
mod tests {
    use egui::FontFamily;

    use super::*;

    /// Names and goals as clients write them, one per script.
    const GREETINGS: [(&str, &str); 6] = [
        ("Arabic", "مرحبا"),
        ("Hebrew", "שלום"),
        ("Devanagari", "नमस्ते"),
        ("Greek", "Ωμέγα"),
        ("Cyrillic", "Привет"),
        ("emoji", "😀"),
    ];

    /// The theme buttons of the View menu (egui's `ThemePreference::icon`),
    /// the warning sign and the arrows of the tooltips.
    const ICONS: &str = "☀️ 🌙 💻 ⚠ → ↑ ↓ −";

    /// A context that panics on a character no font can draw, as egui_kittest's do.
    fn strict_context() -> egui::Context {
        let ctx = egui::Context::default();
        ctx.set_missing_glyph_policy(egui::MissingGlyphPolicy::Panic);
        ctx
    }

    /// Knotmap's own fallbacks alone, as on a machine without any system font.
    fn install_bundled_fonts_only(ctx: &egui::Context) {
        ctx.add_font_provider(Arc::new(BundledFonts::scripts()));
        ctx.add_font_provider(Arc::new(BundledFonts::symbols()));
    }

    /// Lays `text` out as a label in both families: panics on a missing glyph.
    fn lay_out(ctx: &egui::Context, text: &str) {
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            ui.label(egui::RichText::new(text));
            ui.label(egui::RichText::new(text).monospace());
        });
        output.textures_delta.clear(); // No renderer takes the font atlas here.
    }

    #[test]
    #[should_panic(expected = "No glyph for")]
    fn without_the_fallbacks_an_arabic_name_is_a_missing_glyph() {
        lay_out(&strict_context(), "مرحبا");
    }

    #[test]
    fn names_in_arabic_hebrew_devanagari_greek_and_cyrillic_read_without_any_system_font() {
        let ctx = strict_context();
        install_bundled_fonts_only(&ctx);
        for (script, text) in GREETINGS {
            lay_out(&ctx, text);
            lay_out(&ctx, &format!("Goal: {text} – turn my head ({script})"));
        }
    }

    #[test]
    fn the_theme_buttons_the_warning_sign_and_the_arrows_read_without_any_system_font() {
        let ctx = strict_context();
        install_bundled_fonts_only(&ctx);
        lay_out(&ctx, ICONS);
    }

    #[test]
    fn with_the_system_fonts_every_script_they_cover_reads_chinese_too_and_arabic_keeps_its_own_font() {
        let ctx = strict_context();
        install_fallback_fonts(&ctx);
        for (_, text) in GREETINGS {
            lay_out(&ctx, text);
        }
        lay_out(&ctx, ICONS);
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let used = ui.fonts(|fonts| fonts.discovered_fonts().iter().map(|font| font.name.clone()).collect::<Vec<_>>());
            assert!(
                used.iter().any(|name| name == "knotmap:NotoSansArabic-Regular"),
                "Arabic is drawn with Knotmap's own font, which egui draws right, even where the system has one: {used:?}"
            );
        });
        output.textures_delta.clear();

        // Chinese comes from the system alone: check it wherever the system has a font for it.
        let system = SystemFonts::new();
        let covered = "你好".chars().all(|c| {
            let cluster = c.to_string();
            system
                .font_for(&FallbackRequest { cluster: &cluster, family: &FontFamily::Proportional })
                .is_some()
        });
        if covered {
            lay_out(&ctx, "你好");
        } else {
            eprintln!("no system font has Chinese here (try fonts-noto-cjk); 你好 not checked");
        }
    }

    #[test]
    fn a_font_that_cannot_be_read_is_passed_over() {
        let hebrew = FontData::from_static(SCRIPT_FONTS[1].1);
        let fonts = BundledFonts {
            fonts: vec![
                ("broken".to_owned(), FontData::from_static(b"not a font at all")),
                ("hebrew".to_owned(), hebrew),
            ],
        };
        let found = fonts.font_for(&FallbackRequest { cluster: "ש", family: &FontFamily::Proportional });
        assert_eq!(found.map(|insert| insert.name).as_deref(), Some("knotmap:hebrew"));
        let none = fonts.font_for(&FallbackRequest { cluster: "你", family: &FontFamily::Proportional });
        assert!(none.is_none(), "no bundled font has Chinese");
    }
}
