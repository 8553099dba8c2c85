//! Text drawn in the order it is seen, for Arabic and Hebrew. egui lays the
//! runs of a line out left to right in the order they are written; it shapes
//! each run of one script itself, and draws an Arabic or Hebrew word right to
//! left. So a line is handed to it as [`crate::text::pieces`], one layout
//! section each, in the order they are seen: then the words of a right-to-left
//! name follow each other from the right, and a number in it keeps its digits'
//! order. Screen readers are given the text as it is written (they read aloud
//! in that order), never the order it is drawn in.
//!
//! Text with nothing right to left in it is shown by egui as it is, at no cost.

use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Align, FontSelection, Galley, Response, RichText, TextBuffer, Ui, WidgetText};

use crate::text::{Direction, needs_reordering, pieces};

/// A label: `text` in the order it is seen, wrapped where the row ends.
pub fn label(ui: &mut Ui, text: impl Into<RichText>) -> Response {
    let text = text.into();
    if !needs_reordering(text.text()) {
        return ui.label(text);
    }
    let written = text.text().to_owned();
    let format = format_of(ui, text);
    let width = if ui.wrap_mode() == egui::TextWrapMode::Wrap { ui.available_width() } else { f32::INFINITY };
    let job = seen_job(&rows_of(ui, &written, &format, width), &format, Align::LEFT);
    let response = ui.add(egui::Label::new(job).wrap_mode(egui::TextWrapMode::Extend));
    read_as_written(ui, &response, &written);
    response
}

/// A paragraph across the width left in the row: as [`label`], and aligned to
/// the right when it reads right to left (goals written in Arabic or Hebrew).
pub fn paragraph(ui: &mut Ui, text: impl Into<RichText>) -> Response {
    let text = text.into();
    if Direction::of(text.text()) == Direction::LeftToRight {
        return label(ui, text);
    }
    let written = text.text().to_owned();
    let format = format_of(ui, text);
    let width = ui.available_width();
    let job = seen_job(&rows_of(ui, &written, &format, width), &format, Align::RIGHT);
    let galley = ui.fonts_mut(|fonts| fonts.layout_job(job));
    let size = egui::vec2(width.max(galley.size().x), galley.size().y);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    // A right-aligned galley is laid out to the left of its position.
    ui.painter().galley(rect.right_top(), galley, ui.visuals().text_color());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, ui.is_enabled(), &written));
    response
}

/// `text` on one line as it is seen, for a button or a list row. Give the
/// control `text` as written for its accessible name.
pub fn widget_text(ui: &Ui, text: impl Into<RichText>) -> WidgetText {
    styled_text(ui.style(), text)
}

/// [`widget_text`] in `style`, for a window's title.
pub fn styled_text(style: &egui::Style, text: impl Into<RichText>) -> WidgetText {
    let text = text.into();
    if !needs_reordering(text.text()) {
        return text.into();
    }
    let written = text.text().to_owned();
    let format = format_in(style, text);
    let lines: Vec<(String, Direction)> =
        written.lines().map(|line| (line.to_owned(), Direction::of(line))).collect();
    seen_job(&lines, &format, Align::LEFT).into()
}

/// A text field for text in any script: `text` as typed while it is being
/// edited (the cursor and the selection follow the order it is written in),
/// and in the order it is seen when it is not; a paragraph written right to
/// left is aligned to the right. `customise` adds the hint, the width…
pub fn field(
    ui: &mut Ui,
    text: &mut String,
    id: egui::Id,
    multiline: bool,
    customise: impl for<'t> FnOnce(egui::TextEdit<'t>) -> egui::TextEdit<'t>,
) -> Response {
    field_in_font(ui, text, id, multiline, FontSelection::Default, customise)
}

/// [`field`] in the font `font` (the larger text of the screens a client reads).
pub fn field_in_font(
    ui: &mut Ui,
    text: &mut String,
    id: egui::Id,
    multiline: bool,
    font: FontSelection,
    customise: impl for<'t> FnOnce(egui::TextEdit<'t>) -> egui::TextEdit<'t>,
) -> Response {
    let align = if Direction::of(text).is_right_to_left() { Align::RIGHT } else { Align::LEFT };
    let font_id = font.resolve(ui.style());
    let mut layouter = field_layouter(id, multiline, align, font_id.clone());
    let edit = if multiline { egui::TextEdit::multiline(text) } else { egui::TextEdit::singleline(text) };
    let edit = edit.id(id).font(font_id).align(egui::Align2([align, Align::TOP]));
    let response = ui.add(customise(edit.layouter(&mut layouter)));
    if (response.gained_focus() || response.lost_focus()) && needs_reordering(text) {
        // The text changes order as the field takes or leaves the keys: the
        // next frame shows it so at once, and a click, which was aimed at the
        // text as it was seen, puts the cursor at the end of what is written.
        if response.gained_focus()
            && let Some(mut state) = egui::text_edit::TextEditState::load(ui.ctx(), id)
        {
            let end = egui::text::CCursor::new(text.chars().count());
            state.cursor.set_char_range(Some(egui::text::CCursorRange::one(end)));
            state.store(ui.ctx(), id);
        }
        ui.ctx().request_repaint();
    }
    response
}

/// What [`field`] lays its text out with, for [`egui::TextEdit::layouter`].
fn field_layouter(
    id: egui::Id,
    multiline: bool,
    align: Align,
    font_id: egui::FontId,
) -> impl FnMut(&Ui, &dyn TextBuffer, f32) -> Arc<Galley> {
    move |ui, buffer, wrap_width| {
        let text = buffer.as_str();
        let font_id = font_id.clone();
        let colour =
            ui.visuals().override_text_color.unwrap_or_else(|| ui.visuals().widgets.inactive.text_color());
        let line_height =
            ui.fonts_mut(|fonts| fonts.row_height(&font_id)) + ui.spacing().extra_text_line_spacing;
        let format =
            TextFormat { font_id, color: colour, line_height: Some(line_height), ..Default::default() };
        let width = if multiline { wrap_width } else { f32::INFINITY };
        let editing = ui.memory(|memory| memory.has_focus(id));
        let mut job = if editing || !needs_reordering(text) {
            let mut job = LayoutJob::simple_format(text.to_owned(), format);
            job.wrap.max_width = width;
            job
        } else {
            seen_job(&rows_of(ui, text, &format, width), &format, align)
        };
        job.halign = align;
        // As egui's own fields do: a space just typed stays in sight.
        job.keep_trailing_whitespace = true;
        ui.fonts_mut(|fonts| fonts.layout_job(job))
    }
}

/// The format a label shows `text` in.
fn format_of(ui: &Ui, text: RichText) -> TextFormat {
    format_in(ui.style(), text)
}

fn format_in(style: &egui::Style, text: RichText) -> TextFormat {
    let job = WidgetText::from(text).into_layout_job(style, FontSelection::Default, Align::Center);
    job.sections.first().map(|section| section.format.clone()).unwrap_or_default()
}

/// The rows `text` breaks into at `width` (as written), each with the
/// direction of its paragraph.
fn rows_of(ui: &Ui, text: &str, format: &TextFormat, width: f32) -> Vec<(String, Direction)> {
    let mut rows = Vec::new();
    for paragraph in text.split('\n') {
        let direction = Direction::of(paragraph);
        if !width.is_finite() || paragraph.is_empty() {
            rows.push((paragraph.to_owned(), direction));
            continue;
        }
        let mut job = LayoutJob::simple_format(paragraph.to_owned(), format.clone());
        job.wrap.max_width = width;
        let galley = ui.fonts_mut(|fonts| fonts.layout_job(job));
        let mut characters = paragraph.chars();
        for row in &galley.rows {
            let row_text: String = characters.by_ref().take(row.char_count_excluding_newline().0).collect();
            rows.push((row_text, direction));
        }
        // Whatever the rows did not count stays on the last one.
        let rest: String = characters.collect();
        if let Some(last) = rows.last_mut() {
            last.0.push_str(&rest);
        }
    }
    rows
}

/// The rows as they are seen, one section a piece, one row a line.
fn seen_job(rows: &[(String, Direction)], format: &TextFormat, align: Align) -> LayoutJob {
    let mut job = LayoutJob { halign: align, ..Default::default() };
    job.wrap.max_width = f32::INFINITY;
    for (index, (row, direction)) in rows.iter().enumerate() {
        if index > 0 {
            job.append("\n", 0.0, format.clone());
        }
        // A row that ends where it wrapped keeps its space out of sight at its end.
        let shown = if index + 1 < rows.len() { row.trim_end() } else { row.as_str() };
        for piece in pieces(shown, *direction) {
            let drawn = piece.for_left_to_right_shaper();
            if !drawn.is_empty() {
                job.append(&drawn, 0.0, format.clone());
            }
        }
    }
    job
}

/// Gives screen readers the text of `response` (a label) as it is written.
pub fn read_as_written(ui: &Ui, response: &Response, written: &str) {
    ui.ctx().accesskit_node_builder(response.id, |node| node.set_value(written.to_owned()));
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;

    /// The galleys the last frame painted.
    fn painted(harness: &Harness<'_>) -> Vec<Arc<Galley>> {
        fn collect(shape: &egui::Shape, galleys: &mut Vec<Arc<Galley>>) {
            match shape {
                egui::Shape::Text(text) => galleys.push(Arc::clone(&text.galley)),
                egui::Shape::Vec(shapes) => shapes.iter().for_each(|shape| collect(shape, galleys)),
                _ => {}
            }
        }
        let mut galleys = Vec::new();
        harness.output().shapes.iter().for_each(|clipped| collect(&clipped.shape, &mut galleys));
        galleys
    }

    fn harness<'a>(width: f32, app: impl FnMut(&mut Ui) + 'a) -> Harness<'a> {
        Harness::builder()
            .with_size(egui::vec2(width, 300.0))
            .with_context_setup(crate::ui::widgets::fonts::install_fallback_fonts)
            .build_ui(app)
    }

    #[test]
    fn a_long_hebrew_paragraph_wraps_with_its_first_words_on_the_first_row_at_the_right() {
        let goals = "לישון בלילה בלי כאבים בכתף ולהרים את הילד פעמיים ביום בלי לעצור";
        let mut harness = harness(220.0, |ui| {
            paragraph(ui, goals);
        });
        harness.run();
        let galley =
            painted(&harness).into_iter().find(|galley| galley.rows.len() > 1).expect("a wrapped paragraph");
        let first_row: String = galley.job.text.lines().next().expect("a row").to_owned();
        // Seen from the left, the first row ends (at the right) with the paragraph's first word.
        assert!(first_row.ends_with("לישון"), "{first_row:?}");
        assert!(!galley.job.text.lines().last().expect("a row").contains("לישון"));
        assert_eq!(galley.job.halign, Align::RIGHT);
        // A screen reader reads the paragraph as written.
        assert!(harness.query_by_label(goals).is_some());
    }

    #[test]
    fn a_right_to_left_field_shows_its_text_as_seen_and_as_typed_while_it_has_the_cursor() {
        let name = std::sync::Arc::new(std::sync::Mutex::new("محمد عبد الله".to_owned()));
        let shared = std::sync::Arc::clone(&name);
        let mut harness = harness(300.0, move |ui| {
            let id = ui.make_persistent_id("name");
            let mut guard = shared.lock().expect("not poisoned");
            field(ui, &mut guard, id, false, |edit| edit).accessible_name("Name");
        });
        harness.run();
        let texts = |harness: &Harness<'_>| -> Vec<String> {
            painted(harness).iter().map(|galley| galley.job.text.clone()).collect()
        };
        assert!(texts(&harness).contains(&"الله عبد محمد".to_owned()), "seen: {:?}", texts(&harness));
        // A click anywhere in it puts the cursor at the end of what is written.
        harness.get_by_label("Name").click();
        harness.run();
        assert!(texts(&harness).contains(&"محمد عبد الله".to_owned()), "typed: {:?}", texts(&harness));
        harness.get_by_label("Name").type_text("ي");
        harness.run();
        assert_eq!(*name.lock().expect("not poisoned"), "محمد عبد اللهي");
        assert_eq!(harness.get_by_label("Name").value().as_deref(), Some("محمد عبد اللهي"));
    }

    #[test]
    fn text_with_nothing_right_to_left_is_shown_as_egui_shows_it() {
        let mut harness = harness(300.0, |ui| {
            label(ui, "Aiko Tanaka (3)");
        });
        harness.run();
        let galleys = painted(&harness);
        let galley = galleys.iter().find(|galley| galley.job.text.contains("Aiko")).expect("the label");
        assert_eq!(galley.job.text, "Aiko Tanaka (3)");
        assert_eq!(galley.job.sections.len(), 1, "one section, as ui.label makes");
    }
}
