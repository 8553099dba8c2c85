//! Page layout, once for every document: what goes where on each page (text,
//! rules, boxes, map figures, charts), and the flow that fills pages top to
//! bottom, keeps a row, a map or a chart whole, and starts a new page with
//! "continued" when one does not fit.
//!
//! Page space is in points (1/72 inch), x to the right and y down from the
//! page's top-left corner. A text's position is its baseline's left end.

use std::sync::Arc;

use crate::figure::Figure;
use crate::legend::Rgba;
use crate::model::{FindingKind, PaperSize};

use super::text::{Faces, Line, Weight};
use crate::text::Direction;

/// A page's width and height, in points.
pub fn page_size(paper: PaperSize) -> [f32; 2] {
    match paper {
        PaperSize::A4 => [595.28, 841.89],
        PaperSize::Letter => [612.0, 792.0],
    }
}

/// A rectangle of page space.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Area {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Area {
    pub fn right(&self) -> f32 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }
}

/// How a run of text looks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    pub size: f32,
    pub weight: Weight,
    pub colour: Rgba,
}

impl Style {
    pub const fn regular(size: f32) -> Style {
        Style { size, weight: Weight::Regular, colour: INK }
    }

    pub const fn bold(size: f32) -> Style {
        Style { size, weight: Weight::Bold, colour: INK }
    }

    pub const fn in_colour(self, colour: Rgba) -> Style {
        Style { colour, ..self }
    }

    /// The distance between two lines' baselines.
    pub fn line_height(&self) -> f32 {
        self.size * 1.3
    }
}

/// Black, a little softened.
pub const INK: Rgba = Rgba::rgb(25, 25, 25);
/// Quieter text: footers, captions, column headings.
pub const MUTED: Rgba = Rgba::rgb(95, 95, 95);
/// Rules between rows.
pub const RULE: Rgba = Rgba::rgb(200, 200, 200);

/// One thing on a page.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    /// One line of text, its baseline starting at `at`, in the order it is
    /// read; `direction` is its paragraph's (which way the line is read).
    Text { at: [f32; 2], text: String, style: Style, direction: Direction },
    /// A box, filled and/or outlined.
    Rect { area: Area, fill: Option<Rgba>, stroke: Option<(f32, Rgba)> },
    /// A line through points, dashed if `dash` says so.
    Line { points: Vec<[f32; 2]>, width: f32, colour: Rgba, dash: Option<[f32; 2]> },
    /// A disc or a ring.
    Circle { centre: [f32; 2], radius: f32, fill: Option<Rgba>, stroke: Option<(f32, Rgba)> },
    /// A finding's symbol on its disc, `size` points across.
    Finding { centre: [f32; 2], kind: FindingKind, size: f32 },
    /// A warning triangle, `size` points across.
    Warning { centre: [f32; 2], size: f32 },
    /// A box of thin diagonal lines (a caution zone's swatch, as the map hatches it).
    Hatch { area: Area, colour: Rgba },
    /// A body map, the part `view` of map space (top-left and bottom-right
    /// corners) fitted into `area`, with the side labels at its top corners.
    Figure { area: Area, figure: Arc<Figure>, point: f32, view: [[f32; 2]; 2] },
}

impl Mark {
    /// A line of text that is a paragraph of its own, its baseline starting at `at`.
    pub fn text(at: [f32; 2], text: impl Into<String>, style: Style) -> Mark {
        let text = text.into();
        Mark::Text { at, direction: Direction::of(&text), text, style }
    }

    /// A line of a wrapped paragraph, starting at `left` in a column `width`
    /// wide: at the column's right edge when its paragraph reads right to left.
    pub fn line(left: f32, baseline: f32, width: f32, line: Line, style: Style) -> Mark {
        let x = match line.direction {
            Direction::LeftToRight => left,
            Direction::RightToLeft => {
                left + (width - Faces::get().width(&line.text, style.size, style.weight)).max(0.0)
            }
        };
        Mark::Text { at: [x, baseline], text: line.text, style, direction: line.direction }
    }

    /// The same mark `by` points further right and down.
    pub fn moved(mut self, by: [f32; 2]) -> Mark {
        let shift = |p: &mut [f32; 2]| {
            p[0] += by[0];
            p[1] += by[1];
        };
        match &mut self {
            Mark::Text { at, .. } => shift(at),
            Mark::Rect { area, .. } | Mark::Hatch { area, .. } | Mark::Figure { area, .. } => {
                area.x += by[0];
                area.y += by[1];
            }
            Mark::Line { points, .. } => points.iter_mut().for_each(shift),
            Mark::Circle { centre, .. } | Mark::Finding { centre, .. } | Mark::Warning { centre, .. } => {
                shift(centre)
            }
        }
        self
    }
}

/// Content laid out in a column of its own before it is placed, so that its
/// height is known: a page's layout is chosen from what its parts measure. Its
/// marks are relative to its top-left corner; it is never split.
#[derive(Clone, Debug, Default)]
pub struct Block {
    pub width: f32,
    pub height: f32,
    marks: Vec<Mark>,
}

impl Block {
    pub fn new(width: f32) -> Block {
        Block { width, height: 0.0, marks: Vec::new() }
    }

    /// A paragraph, wrapped to the block's width less `indent`.
    pub fn paragraph(&mut self, indent: f32, text: &str, style: Style) {
        for line in Faces::get().wrap_lines(text, style.size, style.weight, self.width - indent) {
            let baseline = self.height + style.size;
            self.marks.push(Mark::line(indent, baseline, self.width - indent, line, style));
            self.height += style.line_height();
        }
    }

    /// A heading, with a little room above it unless it starts the block.
    pub fn heading(&mut self, text: &str, style: Style) {
        if self.height > 0.0 {
            self.height += 5.0;
        }
        self.paragraph(0.0, text, style);
        self.height += 1.5;
    }

    pub fn space(&mut self, height: f32) {
        self.height += height;
    }

    /// `other`'s content under what this block holds.
    pub fn append(&mut self, other: &Block) {
        let top = self.height;
        self.marks.extend(other.marks_at([0.0, top]));
        self.height = top + other.height;
    }

    /// A mark at a place of its own in the block; the block grows to hold `bottom`.
    pub fn mark(&mut self, mark: Mark, bottom: f32) {
        self.marks.push(mark);
        self.height = self.height.max(bottom);
    }

    /// The block's marks with its corner at `corner`.
    pub fn marks_at(&self, corner: [f32; 2]) -> impl Iterator<Item = Mark> + '_ {
        self.marks.iter().cloned().map(move |mark| mark.moved(corner))
    }
}

/// One page: its size and what is on it, in drawing order.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub size: [f32; 2],
    pub marks: Vec<Mark>,
}

/// The margin around every page's content.
pub const MARGIN: f32 = 34.0;
/// The room kept at the foot of every page for the footer.
const FOOTER_ROOM: f32 = 26.0;

/// The pages of a document as they are filled, top to bottom.
pub struct Flow {
    size: [f32; 2],
    pages: Vec<Page>,
    /// Where the next thing goes.
    pub y: f32,
    /// The heading a page that continues the document starts with.
    continued: String,
}

impl Flow {
    /// A document on `paper` whose later pages start with `continued` (e.g.
    /// "Plan sheet: Ana Lima, 30 Nov 2026, continued").
    pub fn new(paper: PaperSize, continued: impl Into<String>) -> Flow {
        let size = page_size(paper);
        Flow { size, pages: vec![Page { size, marks: Vec::new() }], y: MARGIN, continued: continued.into() }
    }

    pub fn faces(&self) -> &'static Faces {
        Faces::get()
    }

    /// The left edge of the content.
    pub fn left(&self) -> f32 {
        MARGIN
    }

    /// How wide the content is.
    pub fn width(&self) -> f32 {
        self.size[0] - 2.0 * MARGIN
    }

    /// The lowest the content may reach on a page.
    fn bottom(&self) -> f32 {
        self.size[1] - MARGIN - FOOTER_ROOM
    }

    /// How much height is left on this page.
    pub fn room(&self) -> f32 {
        self.bottom() - self.y
    }

    /// How many pages there are so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Makes sure `height` fits on this page, starting a new one if it does not
    /// (a thing taller than a whole page gets a page of its own). Returns whether
    /// a new page was started.
    pub fn keep(&mut self, height: f32) -> bool {
        if height <= self.room() || self.y <= self.top_of_continued_page() + 0.5 {
            return false;
        }
        self.new_page();
        true
    }

    fn top_of_continued_page(&self) -> f32 {
        MARGIN + Style::bold(10.0).line_height() + 8.0
    }

    /// Starts a new page, headed with the document's "continued" line.
    pub fn new_page(&mut self) {
        self.pages.push(Page { size: self.size, marks: Vec::new() });
        self.y = MARGIN;
        let style = Style::bold(10.0).in_colour(MUTED);
        let text = self.continued.clone();
        self.text_line(self.left(), &text, style);
        self.y += 8.0;
    }

    /// Adds a mark to the current page.
    pub fn mark(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.marks.push(mark);
        }
    }

    /// One line of text at `x`, on the next baseline, moving down a line.
    pub fn text_line(&mut self, x: f32, text: &str, style: Style) {
        let baseline = self.y + style.size;
        self.mark(Mark::text([x, baseline], text, style));
        self.y += style.line_height();
    }

    /// A paragraph across the content's width, wrapped; it may continue on the
    /// next page between lines.
    pub fn paragraph(&mut self, text: &str, style: Style) {
        self.paragraph_at(self.left(), self.width(), text, style);
    }

    /// A paragraph in a column.
    pub fn paragraph_at(&mut self, x: f32, width: f32, text: &str, style: Style) {
        for line in self.faces().wrap_lines(text, style.size, style.weight, width) {
            self.keep(style.line_height());
            let baseline = self.y + style.size;
            self.mark(Mark::line(x, baseline, width, line, style));
            self.y += style.line_height();
        }
    }

    /// A heading, kept on the page with `following` points of what comes after it.
    pub fn heading(&mut self, text: &str, following: f32) {
        self.heading_in(Style::bold(12.0), text, following);
    }

    /// A heading in its own style (the take-home sheet's are larger).
    pub fn heading_in(&mut self, style: Style, text: &str, following: f32) {
        self.y += 6.0;
        self.keep(style.line_height() + following);
        self.text_line(self.left(), text, style);
        self.y += 2.0;
    }

    /// The height a page's content may fill.
    pub fn page_height(&self) -> f32 {
        self.bottom() - MARGIN
    }

    /// Places `block` at `x` on this page, from the current height, without
    /// moving down.
    pub fn place(&mut self, x: f32, block: &Block) {
        let corner = [x, self.y];
        let marks: Vec<Mark> = block.marks_at(corner).collect();
        for mark in marks {
            self.mark(mark);
        }
    }

    /// Leaves `height` points empty.
    pub fn space(&mut self, height: f32) {
        self.y += height;
    }

    /// A thin rule across the content.
    pub fn rule(&mut self) {
        let (left, right, y) = (self.left(), self.left() + self.width(), self.y);
        self.mark(Mark::Line { points: vec![[left, y], [right, y]], width: 0.5, colour: RULE, dash: None });
    }

    /// The finished pages, each with a footer: `footer` on the left and "page i of
    /// n" on the right.
    pub fn finish(self, footer: &str) -> Vec<Page> {
        let count = self.pages.len();
        let style = Style::regular(7.5).in_colour(MUTED);
        let faces = Faces::get();
        let [width, height] = self.size;
        self.pages
            .into_iter()
            .enumerate()
            .map(|(index, mut page)| {
                let number = format!("page {} of {count}", index + 1);
                let number_width = faces.width(&number, style.size, style.weight);
                let room = width - 2.0 * MARGIN - number_width - 12.0;
                let baseline = height - MARGIN + 4.0;
                let left = faces.fit(footer, style.size, style.weight, room);
                page.marks.push(Mark::Line {
                    points: vec![[MARGIN, baseline - 11.0], [width - MARGIN, baseline - 11.0]],
                    width: 0.5,
                    colour: RULE,
                    dash: None,
                });
                page.marks.push(Mark::text([MARGIN, baseline], left, style));
                page.marks.push(Mark::text([width - MARGIN - number_width, baseline], number, style));
                page
            })
            .collect()
    }
}

/// A table's column: its heading and its share of the table's width.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub heading: &'static str,
    pub share: f32,
}

/// The cell padding of a table in `style`: less around smaller type.
/// A column's heading as a table cell.
fn heading_cell(heading: &str) -> Vec<Line> {
    vec![Line { text: heading.to_owned(), direction: Direction::of(heading) }]
}

fn cell_padding(style: Style) -> f32 {
    style.size * 0.3
}

/// A row of [`Flow::table_with_lines`]: its cells, and a line under them.
#[derive(Clone, Debug, Default)]
pub struct TableRow {
    pub cells: Vec<String>,
    pub below: Option<String>,
}

/// How tall `row` is in a table of `widths` (see [`Flow::table_with_lines`]).
pub fn table_row_height(row: &TableRow, widths: &[f32], style: Style) -> f32 {
    let faces = Faces::get();
    let lines = row
        .cells
        .iter()
        .zip(widths)
        .map(|(cell, width)| {
            faces.wrap(cell, style.size, style.weight, width - 2.0 * cell_padding(style)).len()
        })
        .max()
        .unwrap_or(1)
        .max(1);
    let below = row.below.as_deref().map_or(0, |below| {
        let width =
            widths.iter().sum::<f32>() - widths.first().copied().unwrap_or(0.0) - 2.0 * cell_padding(style);
        faces.wrap(below, style.size, style.weight, width).len()
    });
    (lines + below) as f32 * style.line_height() + 2.0 * cell_padding(style)
}

/// The heading row's height of a table in `style`.
pub fn table_heading_height(style: Style) -> f32 {
    style.line_height() + 2.0 * cell_padding(style)
}

impl Flow {
    /// A table: the headings, then each row, wrapped in its cells. A row is never
    /// split: one that does not fit starts a new page, which repeats the headings.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>], style: Style) {
        self.table_coloured(columns, rows, style, &|_, _| None);
    }

    /// A table whose cells may have their own ink: `colour_of(row, column)`.
    pub fn table_coloured(
        &mut self,
        columns: &[Column],
        rows: &[Vec<String>],
        style: Style,
        colour_of: &dyn Fn(usize, usize) -> Option<Rgba>,
    ) {
        let total: f32 = columns.iter().map(|column| column.share).sum::<f32>().max(f32::EPSILON);
        let width = self.width();
        let widths: Vec<f32> = columns.iter().map(|column| column.share / total * width).collect();
        let heading_style = Style::bold(style.size).in_colour(MUTED);
        let headings: Vec<Vec<Line>> = columns.iter().map(|column| heading_cell(column.heading)).collect();
        let heading_height = style.line_height() + 2.0 * cell_padding(style);
        let first_row = rows.first().map_or(0.0, |row| self.row_height(row, &widths, style));
        self.keep(heading_height + first_row);
        self.table_row(&headings, &widths, heading_style, Some(Rgba::rgb(240, 238, 235)));
        for (row_index, row) in rows.iter().enumerate() {
            let height = self.row_height(row, &widths, style);
            if self.keep(height) {
                self.table_row(&headings, &widths, heading_style, Some(Rgba::rgb(240, 238, 235)));
            }
            let cells: Vec<Vec<Line>> = row
                .iter()
                .zip(&widths)
                .map(|(cell, width)| {
                    self.faces().wrap_lines(cell, style.size, style.weight, width - 2.0 * cell_padding(style))
                })
                .collect();
            let inks: Vec<Style> = (0..cells.len())
                .map(|column| colour_of(row_index, column).map_or(style, |ink| style.in_colour(ink)))
                .collect();
            self.table_row_inked(&cells, &widths, &inks, None);
        }
    }

    /// A table whose columns have the widths given (in points), each row with
    /// an optional line of its own under it (a plan's notes), spanning from the
    /// second column to the table's right edge. A row and its line are never split.
    pub fn table_with_lines(&mut self, columns: &[(&str, f32)], rows: &[TableRow], style: Style) {
        let widths: Vec<f32> = columns.iter().map(|(_, width)| *width).collect();
        let heading_style = Style::bold(style.size).in_colour(MUTED);
        let headings: Vec<Vec<Line>> = columns.iter().map(|(heading, _)| heading_cell(heading)).collect();
        let shade = Some(Rgba::rgb(240, 238, 235));
        let heading_height = style.line_height() + 2.0 * cell_padding(style);
        let first = rows.first().map_or(0.0, |row| table_row_height(row, &widths, style));
        self.keep(heading_height + first);
        self.table_row(&headings, &widths, heading_style, shade);
        for row in rows {
            if self.keep(table_row_height(row, &widths, style)) {
                self.table_row(&headings, &widths, heading_style, shade);
            }
            let faces = self.faces();
            let cells: Vec<Vec<Line>> = row
                .cells
                .iter()
                .zip(&widths)
                .map(|(cell, width)| {
                    faces.wrap_lines(cell, style.size, style.weight, width - 2.0 * cell_padding(style))
                })
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let top = self.y;
            let mut x = self.left();
            for (cell, width) in cells.iter().zip(&widths) {
                for (index, line) in cell.iter().enumerate() {
                    let baseline =
                        top + cell_padding(style) + style.size + index as f32 * style.line_height();
                    let room = width - 2.0 * cell_padding(style);
                    self.mark(Mark::line(x + cell_padding(style), baseline, room, line.clone(), style));
                }
                x += width;
            }
            self.y = top + lines as f32 * style.line_height() + cell_padding(style);
            if let Some(below) = row.below.as_deref() {
                let x = self.left() + widths.first().copied().unwrap_or(0.0) + cell_padding(style);
                let width = self.width() - widths.first().copied().unwrap_or(0.0) - 2.0 * cell_padding(style);
                for line in faces.wrap_lines(below, style.size, style.weight, width) {
                    let baseline = self.y + style.size;
                    self.mark(Mark::line(x, baseline, width, line, style.in_colour(MUTED)));
                    self.y += style.line_height();
                }
            }
            self.y += cell_padding(style);
            self.rule();
        }
    }

    fn row_height(&self, row: &[String], widths: &[f32], style: Style) -> f32 {
        let lines = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| {
                self.faces().wrap(cell, style.size, style.weight, width - 2.0 * cell_padding(style)).len()
            })
            .max()
            .unwrap_or(1);
        lines as f32 * style.line_height() + 2.0 * cell_padding(style)
    }

    fn table_row(&mut self, cells: &[Vec<Line>], widths: &[f32], style: Style, shade: Option<Rgba>) {
        let inks = vec![style; cells.len()];
        self.table_row_inked(cells, widths, &inks, shade);
    }

    fn table_row_inked(&mut self, cells: &[Vec<Line>], widths: &[f32], inks: &[Style], shade: Option<Rgba>) {
        let style = inks.first().copied().unwrap_or(Style::regular(9.0));
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = lines as f32 * style.line_height() + 2.0 * cell_padding(style);
        let top = self.y;
        if let Some(shade) = shade {
            let area = Area { x: self.left(), y: top, width: self.width(), height };
            self.mark(Mark::Rect { area, fill: Some(shade), stroke: None });
        }
        let mut x = self.left();
        for ((cell, width), style) in cells.iter().zip(widths).zip(inks) {
            let style = *style;
            for (index, line) in cell.iter().enumerate() {
                let baseline = top + cell_padding(style) + style.size + index as f32 * style.line_height();
                let room = width - 2.0 * cell_padding(style);
                self.mark(Mark::line(x + cell_padding(style), baseline, room, line.clone(), style));
            }
            x += width;
        }
        self.y = top + height;
        self.rule();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(page: &Page) -> Vec<&str> {
        page.marks
            .iter()
            .filter_map(|mark| match mark {
                Mark::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_table_too_long_for_a_page_continues_on_the_next_with_its_headings_and_no_row_is_split() {
        let mut flow = Flow::new(PaperSize::A4, "Plan sheet, continued");
        let columns = [Column { heading: "Region", share: 1.0 }, Column { heading: "Notes", share: 3.0 }];
        let rows: Vec<Vec<String>> =
            (0..60).map(|row| vec![format!("Region {row}"), format!("n{row}x ").repeat(12)]).collect();
        flow.table(&columns, &rows, Style::regular(9.0));
        let pages = flow.finish("printed today");
        assert!(pages.len() >= 2);
        for page in &pages[1..] {
            let texts = texts(page);
            assert_eq!(texts[0], "Plan sheet, continued");
            assert_eq!(texts[1], "Region", "the headings are repeated");
        }
        // Every line of a row is on the page its first cell is on.
        for row in 0..60 {
            let pages_with = |needle: &str| -> Vec<usize> {
                (0..pages.len())
                    .filter(|&i| texts(&pages[i]).iter().any(|t| t.split(' ').any(|w| w == needle)))
                    .collect()
            };
            let region = pages_with(&row.to_string());
            let notes = pages_with(&format!("n{row}x"));
            assert_eq!(notes.len(), 1, "row {row} is split across pages {notes:?}");
            assert!(region.contains(&notes[0]));
        }
        let bottom = page_size(PaperSize::A4)[1] - MARGIN;
        for page in &pages {
            for mark in &page.marks {
                if let Mark::Text { at, .. } = mark {
                    assert!(at[1] <= bottom + 5.0, "text below the margin at {at:?}");
                }
            }
        }
        assert!(texts(&pages[0]).iter().any(|text| *text == format!("page 1 of {}", pages.len())));
    }

    #[test]
    fn letter_and_a4_pages_have_their_own_sizes() {
        assert_eq!(page_size(PaperSize::Letter), [612.0, 792.0]);
        assert!((page_size(PaperSize::A4)[0] - 595.28).abs() < 0.01);
    }
}
