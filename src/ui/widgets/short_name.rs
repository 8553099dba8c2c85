//! Names shortened to fit. A client's name can be as long as they like (two
//! hundred characters, a whole family's names), but a line that holds one must
//! still fit its window, with every button beside it in sight. So a name too
//! long for its place is cut with "…", the whole name is shown on hover, and a
//! screen reader always reads the whole of it.

use egui::{Response, TextStyle};
use unicode_segmentation::UnicodeSegmentation as _;

/// A line of text with a name in it ("Maria Lopez: session of 3 December
/// 2026"), fitted to a width: only the name is shortened, the words around it
/// stay whole.
#[derive(Clone, Debug)]
pub struct NameLine<'a> {
    before: &'a str,
    name: &'a str,
    after: &'a str,
    style: TextStyle,
}

/// A [`NameLine`] as it fits its width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fitted {
    /// What is shown.
    pub text: String,
    /// The line with the whole name, for hover and for screen readers.
    pub whole: String,
    /// Whether the name was shortened.
    pub shortened: bool,
    /// The text style it was measured in.
    pub style: TextStyle,
}

impl<'a> NameLine<'a> {
    /// A line that is just `name`, in the body text style.
    pub fn new(name: &'a str) -> NameLine<'a> {
        NameLine { before: "", name, after: "", style: TextStyle::Body }
    }

    /// Words before the name, never shortened.
    pub fn before(mut self, before: &'a str) -> Self {
        self.before = before;
        self
    }

    /// Words after the name, never shortened.
    pub fn after(mut self, after: &'a str) -> Self {
        self.after = after;
        self
    }

    /// The text style the line is shown in (what it is measured in).
    pub fn style(mut self, style: TextStyle) -> Self {
        self.style = style;
        self
    }

    /// The line, its name cut with "…" where needed for the whole line to fit
    /// in `max_width` points. The shortest it gets is its first character (as a
    /// reader counts them) and "…".
    pub fn fit(&self, ui: &egui::Ui, max_width: f32) -> Fitted {
        let whole = format!("{}{}{}", self.before, self.name, self.after);
        let font = self.style.resolve(ui.style());
        let width = |text: &str| {
            ui.painter().layout_no_wrap(text.to_owned(), font.clone(), egui::Color32::WHITE).size().x
        };
        // A right-to-left name is marked off from the words around it, so that
        // they keep their places ("(3)" after it, not before).
        let shown = |name: &str| format!("{}{}{}", self.before, crate::text::isolated(name), self.after);
        if width(&whole) <= max_width {
            return Fitted { text: shown(self.name), whole, shortened: false, style: self.style.clone() };
        }
        // Cut between graphemes, never inside one: an emoji or a syllable stays whole.
        let cut_at: Vec<usize> = self.name.grapheme_indices(true).map(|(index, _)| index).skip(1).collect();
        let with_cut = |end: usize| format!("{}{}…{}", self.before, self.name[..end].trim_end(), self.after);
        // The longest cut that fits: the widths grow with the cut, so halve the range.
        let (mut fits, mut too_long) = (0, cut_at.len());
        while fits + 1 < too_long {
            let middle = (fits + too_long) / 2;
            if width(&with_cut(cut_at[middle])) <= max_width {
                fits = middle;
            } else {
                too_long = middle;
            }
        }
        let end = cut_at.get(fits).copied().unwrap_or(self.name.len());
        let cut = format!("{}…", self.name[..end].trim_end());
        Fitted { text: shown(&cut), whole, shortened: true, style: self.style.clone() }
    }

    /// Shows the line as a label, fitted to `max_width` (the width left in the
    /// row when `None`).
    pub fn label(self, ui: &mut egui::Ui, max_width: Option<f32>) -> Response {
        let fitted = self.fit(ui, max_width.unwrap_or_else(|| ui.available_width()));
        let response = ui.add(egui::Label::new(fitted.shown(ui)).wrap_mode(egui::TextWrapMode::Extend));
        // A screen reader reads a label's text from its value: the whole line, as written.
        super::seen_text::read_as_written(ui, &response, &fitted.whole);
        fitted.hover(response)
    }
}

impl Fitted {
    /// The line as it is seen (an Arabic or Hebrew name from the right), for a
    /// label or a button; give the control [`Fitted::explain`] too.
    pub fn shown(&self, ui: &egui::Ui) -> egui::WidgetText {
        super::seen_text::widget_text(ui, egui::RichText::new(&self.text).text_style(self.style.clone()))
    }

    /// Names a button (or another control) for screen readers, with the whole
    /// line or `name`, and shows the whole line on hover when it was shortened.
    pub fn explain(&self, response: Response, name: Option<&str>) -> Response {
        self.hover(response.accessible_name(name.unwrap_or(&self.whole)))
    }

    /// Shows the whole line on hover, when it was shortened.
    fn hover(&self, response: Response) -> Response {
        if self.shortened { response.on_hover_text(&self.whole) } else { response }
    }
}

#[cfg(test)]
mod tests {
    use egui::vec2;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;

    const LONG: &str = "Maria Fernanda de los Ángeles Lopez Garcia y Montenegro, called Marifé by everyone at the \
                        harbour, who asked that her whole name be written as it is on her passport, every word";

    #[test]
    fn a_long_name_is_cut_to_fit_and_the_words_around_it_stay_whole() {
        let mut fitted = None;
        let mut harness = Harness::builder().with_size(vec2(600.0, 100.0)).build_ui(|ui| {
            let line = NameLine::new(LONG).after(": session of 3 December 2026").style(TextStyle::Heading);
            fitted = Some((line.fit(ui, 400.0), line.fit(ui, 4000.0)));
        });
        harness.run();
        drop(harness);
        let (short, roomy) = fitted.expect("the line was fitted");
        assert!(short.shortened);
        assert!(short.text.ends_with("…: session of 3 December 2026"), "{}", short.text);
        assert!(short.text.starts_with("Maria"), "{}", short.text);
        assert_eq!(short.whole, format!("{LONG}: session of 3 December 2026"));
        assert!(!roomy.shortened, "a line that fits is left as it is");
        assert_eq!(roomy.text, roomy.whole);
    }

    #[test]
    fn a_name_is_cut_between_whole_characters_never_inside_one() {
        // Letters with combining accents, and an emoji made of several.
        let name = "Ame\u{301}lie Zoe\u{308} 👩\u{200d}👧 ".repeat(12);
        let mut fitted = Vec::new();
        let mut harness = Harness::builder().with_size(vec2(600.0, 100.0)).build_ui(|ui| {
            fitted = (40..400).step_by(3).map(|width| NameLine::new(&name).fit(ui, width as f32)).collect();
        });
        harness.run();
        drop(harness);
        let ends: Vec<usize> =
            name.grapheme_indices(true).map(|(start, grapheme)| start + grapheme.len()).collect();
        for fitted in fitted {
            let kept = fitted.text.strip_suffix('…').expect("shortened with an ellipsis");
            assert!(name.starts_with(kept), "{kept}");
            assert!(ends.contains(&kept.len()), "{kept:?} ends inside a character");
        }
    }

    #[test]
    fn a_shortened_label_fits_its_width_and_says_the_whole_name() {
        let mut harness = Harness::builder().with_size(vec2(300.0, 100.0)).build_ui(|ui| {
            NameLine::new(LONG).label(ui, Some(200.0));
        });
        harness.run();
        let label = harness.get_by_label(LONG);
        assert!(label.rect().width() <= 200.0, "{:?}", label.rect());
        label.hover();
        harness.run();
        assert!(harness.query_all_by_label(LONG).count() >= 2, "the whole name shows on hover");
    }
}
