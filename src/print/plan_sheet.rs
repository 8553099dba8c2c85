//! The plan sheet: the therapist's copy of one session's plan, on one page
//! (a long plan continues on a second, "continued", never mid-row).

use std::collections::BTreeSet;

use crate::figure::{Figure, FigureView, LayerView, SessionValues};
use crate::geometry::BodyMap;
use crate::legend::FillMode;
use crate::model::{Client, RegionId, RegionWork};
use crate::safety::{self, NOT_MEDICAL_ADVICE, SafetyReport, SafetyRules, Severity, explained_in_words};

use super::layout::{Area, Block, Flow, MUTED, Style, TableRow, table_heading_height, table_row_height};
use super::map_block;
use super::{DocumentKind, PrintError, Printed, SessionSheet, day_words, footer};

/// The printed map's narrowest: 60 mm, so that a region reads at a glance.
pub const MIN_MAP_WIDTH: f32 = 170.0;
/// The printed map's widest: beyond it the page has better uses.
const MAX_MAP_WIDTH: f32 = 300.0;
/// The room between the map and what stands beside it.
const GUTTER: f32 = 16.0;

/// How densely a sheet is set: the sheet takes the most generous one that
/// keeps it on one page.
#[derive(Clone, Copy, Debug)]
struct Density {
    /// Goals, safety.
    body: f32,
    /// The order of work.
    table: f32,
}

/// The last two are for the longest plans only (twelve regions with long notes and
/// six warnings): small, but still the size of a medicine leaflet.
const DENSITIES: [Density; 6] = [
    Density { body: 9.5, table: 8.5 },
    Density { body: 9.0, table: 8.0 },
    Density { body: 8.5, table: 7.5 },
    Density { body: 8.0, table: 7.0 },
    Density { body: 7.0, table: 6.5 },
    Density { body: 6.5, table: 6.0 },
];

/// The plan sheet of `sheet.session`: one page for any plan a therapist writes,
/// with the map as large as the rest leaves room for; safety always on page 1,
/// and only the tail of a very long order of work on page 2.
pub fn plan_sheet(sheet: &SessionSheet<'_>) -> Result<Printed, PrintError> {
    let map = BodyMap::standard()?;
    let session = sheet.session;
    let stand_in;
    let client = match sheet.client {
        Some(client) => client,
        None => {
            stand_in = Client::new(session.client.as_str());
            &stand_in
        }
    };
    let rules = SafetyRules::standard()
        .map(|rules| rules.with_clinic(std::sync::Arc::new(sheet.clinic_rules.clone())));
    let report = safety::check_with(rules.as_ref().map_err(|error| *error), client, session, sheet.previous);
    let name = if sheet.client.is_some() { client.name.clone() } else { session.client.to_string() };
    let day = day_words(session.starts_at.date());
    let title = format!("Plan sheet: {name}, {day}");
    let mut flow = Flow::new(sheet.paper, format!("{title}, continued"));

    let warned: BTreeSet<_> = report.warnings.iter().filter_map(|warning| warning.region).collect();
    let layers = LayerView::showing(session.regions.iter().map(|work| work.region));
    let view = FigureView { layers, caution_zones: true, warned: &warned, marks: &session.marks };
    let figure = Figure::build(map, &SessionValues { session, mode: FillMode::Pressure }, &view);
    let whole = crate::figure::content_in_map(map);
    let views = [whole, worked_part(map, session, whole)];
    let planned: BTreeSet<RegionId> = session.regions.iter().map(|work| work.region).collect();
    let map_heading = format!(
        "The map ({} layer{}, by planned pressure)",
        layers.label().to_lowercase(),
        if layers == LayerView::Both { "s" } else { "" }
    );

    // Each density and map size is measured, and the first that fits one page is taken.
    let content = flow.width();
    let page = flow.page_height();
    let lay_out =
        |density: Density, map_width: f32, marks_at: MarksAt, view: [[f32; 2]; 2], notes_apart: bool| {
            let aspect = (view[1][1] - view[0][1]) / (view[1][0] - view[0][0]);
            let top = top_block(sheet, &name, density, content);
            let beside = content - map_width - GUTTER;
            let mut right = Block::new(beside);
            right.paragraph(0.0, &map_heading, Style::bold(10.5));
            right.paragraph(0.0, &map_block::sides_caption(), Style::regular(7.5).in_colour(MUTED));
            right.space(3.0);
            right.append(&map_block::legend_block(&figure, beside));
            right.space(6.0);
            let mut safety = safety_block(client, sheet, &report, &planned, density, beside);
            let map_height = map_width * aspect;
            let mut under_map = Block::new(map_width);
            let mut after = Block::new(content);
            match marks_at {
                MarksAt::UnderMap => {
                    under_map.space(4.0);
                    under_map.append(&marks_block(session, density, map_width));
                }
                MarksAt::BesideMap => safety.append(&marks_block(session, density, beside)),
                MarksAt::AfterTheOrder => after = marks_block(session, density, content),
            }
            // Notes kept apart fill the room under the map first, whole, in order.
            let mut skip = 0;
            if notes_apart {
                let room = right.height + safety.height - map_height - under_map.height;
                let style = Style::regular(density.table);
                let mut under = Block::new(map_width);
                under.space(4.0);
                under.paragraph(0.0, "Notes, by row", Style::bold(style.size + 1.0));
                for entry in note_entries(session) {
                    let mut one = Block::new(map_width);
                    one.paragraph(0.0, &entry, style);
                    one.space(1.5);
                    if under.height + one.height > room {
                        break;
                    }
                    under.append(&one);
                    skip += 1;
                }
                if skip > 0 {
                    under_map.append(&under);
                }
            }
            let band = (map_height + under_map.height).max(right.height + safety.height);
            let table = OrderOfWork::new(session, density, content, notes_apart, skip);
            let total = top.height + 8.0 + band + 4.0 + table.height() + after.height;
            let layout = Layout { map_width, map_height, view, top, right, safety, under_map, table, after };
            (total <= page, total, layout)
        };
    // The first that fits, else the shortest: its order of work then continues on page 2.
    let mut shortest: Option<(f32, Layout)> = None;
    let mut chosen = None;
    // The whole body where it fits; else only the part of the back the plan works on.
    'densities: for (view, density) in views.iter().flat_map(|view| DENSITIES.map(|density| (*view, density)))
    {
        if view != whole && view == views[0] {
            continue;
        }
        let mut width = MAX_MAP_WIDTH.min(content * 0.55);
        while width >= MIN_MAP_WIDTH {
            // Where the marks go matters only with marks, and the notes' place only with notes.
            let has_marks = !session.marks.is_empty();
            let has_notes = session.regions.iter().any(|work| !work.notes.trim().is_empty());
            for (marks_at, notes_apart) in [MarksAt::UnderMap, MarksAt::BesideMap, MarksAt::AfterTheOrder]
                .into_iter()
                .filter(|at| has_marks || matches!(at, MarksAt::UnderMap))
                .flat_map(|at| [(at, false), (at, true)])
                .filter(|(_, apart)| has_notes || !apart)
            {
                let (fits, total, layout) = lay_out(density, width, marks_at, view, notes_apart);
                if fits {
                    chosen = Some(layout);
                    break 'densities;
                }
                // What continues on page 2 is rows with their headings, never notes alone.
                if !notes_apart && shortest.as_ref().is_none_or(|(height, _)| total < *height) {
                    shortest = Some((total, layout));
                }
            }
            width -= 10.0;
        }
    }
    let Some(layout) = chosen.or(shortest.map(|(_, layout)| layout)) else {
        return Err(PrintError::Pdf("the plan sheet could not be laid out".into()));
    };

    flow.place(flow.left(), &layout.top);
    flow.space(layout.top.height);
    flow.space(8.0);
    let (x, y) = (flow.left(), flow.y);
    let area = Area { x, y, width: layout.map_width, height: layout.map_height };
    flow.mark(map_block::figure_mark_of(figure, area, layout.view));
    flow.y = y + layout.map_height;
    flow.place(x, &layout.under_map);
    let beside = x + layout.map_width + GUTTER;
    flow.y = y;
    flow.place(beside, &layout.right);
    flow.y = y + layout.right.height;
    flow.place(beside, &layout.safety);
    let left = layout.map_height + layout.under_map.height;
    flow.y = y + left.max(layout.right.height + layout.safety.height) + 4.0;
    layout.table.print(&mut flow);
    if layout.after.height > 0.0 {
        flow.keep(layout.after.height);
        flow.place(flow.left(), &layout.after);
        flow.space(layout.after.height);
    }

    let pages = flow.finish(&footer(sheet.printed_at, sheet.source));
    Ok(Printed { kind: DocumentKind::PlanSheet, title, pages })
}

/// The part of `whole` (map space) a plan works on: the body from the head
/// down to a little below the middle of the lowest region planned, or its lowest mark.
fn worked_part(map: &BodyMap, session: &crate::model::Session, whole: [[f32; 2]; 2]) -> [[f32; 2]; 2] {
    // Each region down to a little below its middle, where its fill and badges are.
    let lowest = session
        .regions
        .iter()
        .map(|work| {
            let shape = map.region(work.region);
            let bounds = shape.outline.bounds();
            (shape.label_point[1] + 0.07).min(bounds.max[1] + 0.02)
        })
        .chain(session.marks.iter().map(|mark| mark.at.y() + 0.04))
        .fold(f32::MIN, f32::max);
    if lowest == f32::MIN {
        return whole;
    }
    let bottom = lowest.min(whole[1][1]);
    // Not so short that the body loses its shape: at least to the shoulder blades' foot.
    let bottom = bottom.max(whole[0][1] + 0.45 * (whole[1][1] - whole[0][1]));
    [whole[0], [whole[1][0], bottom]]
}

/// Where the list of marks goes: where there is room for it.
#[derive(Clone, Copy, Debug)]
enum MarksAt {
    UnderMap,
    BesideMap,
    AfterTheOrder,
}

/// One way of setting the sheet, measured.
struct Layout {
    map_width: f32,
    map_height: f32,
    /// The part of map space the map shows.
    view: [[f32; 2]; 2],
    /// The header and the goals, across the page.
    top: Block,
    /// The legend, beside the map.
    right: Block,
    /// Safety, beside the map under the legend.
    safety: Block,
    /// The sides' caption, and the marks with their notes where they fit there.
    under_map: Block,
    /// The marks with their notes, after the order of work, where they do not.
    after: Block,
    table: OrderOfWork,
}

/// Whether the client's consent is recorded, in a few words: "consent signed
/// 09:26", with what was withdrawn since.
fn consent_in_words(session: &crate::model::Session) -> String {
    let Some(consent) = crate::model::consent::current_consent(session) else {
        return "no consent recorded".to_owned();
    };
    let mut words = match (&consent.client, &consent.on_paper) {
        (_, Some(paper)) => format!("consent on paper {}", day_words(paper.signed_on)),
        (Some(signature), _) => format!("consent signed {}", signature.signed_at.strftime("%H:%M")),
        (None, None) => "consent given".to_owned(),
    };
    for withdrawal in &consent.withdrawals {
        let what = withdrawal.what();
        words.push_str(&format!(", withdrawn {} for {what}", withdrawal.at.strftime("%H:%M")));
    }
    words
}

/// The clinic, the client, the session's facts and the client's goals.
fn top_block(sheet: &SessionSheet<'_>, name: &str, density: Density, width: f32) -> Block {
    let session = sheet.session;
    let mut block = Block::new(width);
    let clinic =
        if sheet.settings.clinic_name.trim().is_empty() { "Plan sheet" } else { &sheet.settings.clinic_name };
    // The clinic, and on the same line at the right what this sheet is.
    let kind = format!("Plan sheet · {}", session.status.word());
    let kind_style = Style::regular(9.0).in_colour(MUTED);
    let faces = super::text::Faces::get();
    let kind_width = faces.width(&kind, kind_style.size, kind_style.weight);
    let clinic_style = Style::bold(14.0);
    let clinic = faces.fit(clinic, clinic_style.size, clinic_style.weight, width - kind_width - 12.0);
    let line = clinic_style.line_height();
    block.mark(super::layout::Mark::text([width - kind_width, clinic_style.size], kind, kind_style), 0.0);
    block.paragraph(0.0, &clinic, clinic_style);
    block.height = block.height.max(line);
    block.space(1.0);
    let mut facts = Vec::new();
    if let Some(born) = sheet.client.and_then(|client| client.date_of_birth) {
        facts.push(format!("born {}", day_words(born)));
    }
    facts.push(session.starts_at.strftime("%a %-d %b %Y, %H:%M").to_string());
    facts.push(format!("{} min", session.minutes.get()));
    if !session.therapist.trim().is_empty() {
        facts.push(format!("therapist {}", session.therapist));
    }
    facts.push(consent_in_words(session));
    // The client's name, and the session's facts after it on the same line where they fit.
    let (name_style, facts_style) = (Style::bold(13.0), Style::regular(9.5));
    let facts = facts.join("  ·  ");
    let name_width = faces.width(name, name_style.size, name_style.weight);
    let facts_width = faces.width(&facts, facts_style.size, facts_style.weight);
    // The name starts its line, whichever way it reads, as a field of the
    // sheet does; a name too long for one line wraps as a paragraph.
    let top = block.height;
    let name_line = super::layout::Mark::text([0.0, top + name_style.size], name, name_style);
    if name_width + 14.0 + facts_width <= width {
        let text = super::layout::Mark::text([name_width + 14.0, top + name_style.size], facts, facts_style);
        block.mark(text, 0.0);
        block.mark(name_line, top + name_style.line_height());
    } else {
        if name_width <= width {
            block.mark(name_line, top + name_style.line_height());
        } else {
            block.paragraph(0.0, name, name_style);
        }
        block.paragraph(0.0, &facts, facts_style);
    }
    if sheet.client.is_none() {
        block.paragraph(
            0.0,
            "The client's profile could not be read: the health flags are not known and are not checked on this sheet.",
            Style::bold(9.0).in_colour(crate::legend::WARNING_MARK),
        );
    }
    block.space(3.0);
    block.mark(
        super::layout::Mark::Line {
            points: vec![[0.0, block.height], [width, block.height]],
            width: 0.5,
            colour: super::layout::RULE,
            dash: None,
        },
        block.height,
    );
    block.space(2.0);
    if !session.goals.trim().is_empty() {
        block.space(1.0);
        block.paragraph(0.0, "Goals, in the client's words", Style::bold(10.0));
        block.paragraph(0.0, &session.goals, Style::regular(density.body + 0.5));
    }
    block
}

/// The order of work: one row per region, in the plan's order, each region's
/// notes on a line of its own under it, and the total against the session's length.
struct OrderOfWork {
    /// The notes in two columns under the table, when they are not under their rows.
    notes: Block,
    columns: Vec<(&'static str, f32)>,
    rows: Vec<TableRow>,
    style: Style,
    total: String,
    over: bool,
}

impl OrderOfWork {
    /// The order of work of `session`; its notes under each row, or `apart`, in
    /// two columns under the table, numbered by row.
    fn new(
        session: &crate::model::Session,
        density: Density,
        width: f32,
        apart: bool,
        skip: usize,
    ) -> OrderOfWork {
        let style = Style::regular(density.table);
        let rows: Vec<TableRow> = session
            .regions
            .iter()
            .enumerate()
            .map(|(index, work)| {
                let notes = work.notes.trim();
                let below = (!notes.is_empty() && !apart).then(|| format!("Notes: {notes}"));
                TableRow { cells: row(index + 1, work), below }
            })
            .collect();
        let notes: Vec<String> =
            if apart { note_entries(session).into_iter().skip(skip).collect() } else { Vec::new() };
        let heading = if skip > 0 { "Notes, by row (continued)" } else { "Notes, by row" };
        let notes = two_columns(&notes, heading, style, width);
        let columns = fitted_columns(&rows, style, width);
        let planned = session.planned_minutes();
        let length = u32::from(session.minutes.get());
        let verdict = match planned.cmp(&length) {
            std::cmp::Ordering::Less => format!("{} min left", length - planned),
            std::cmp::Ordering::Equal => "exactly the session's length".to_owned(),
            std::cmp::Ordering::Greater => format!("{} min over", planned - length),
        };
        let total = format!("Total planned: {planned} of {length} min ({verdict})");
        OrderOfWork { columns, rows, style, total, over: planned > length, notes }
    }

    fn widths(&self) -> Vec<f32> {
        self.columns.iter().map(|(_, width)| *width).collect()
    }

    fn height(&self) -> f32 {
        let heading = Style::bold(12.0).line_height() + 8.0;
        if self.rows.is_empty() {
            return heading + Style::regular(10.0).line_height();
        }
        let widths = self.widths();
        let rows: f32 = self.rows.iter().map(|row| table_row_height(row, &widths, self.style)).sum();
        heading + table_heading_height(self.style) + rows + self.notes.height
    }

    fn print(&self, flow: &mut Flow) {
        if self.rows.is_empty() {
            flow.heading("Order of work", 40.0);
            flow.paragraph("No regions are planned yet.", Style::regular(10.0));
            return;
        }
        // The total stands at the right of the heading, where the eye checks it first.
        let heading = Style::bold(12.0);
        let total = if self.over {
            Style::bold(10.0).in_colour(crate::legend::WARNING_MARK)
        } else {
            Style::bold(10.0)
        };
        flow.space(6.0);
        let first_row =
            self.rows.first().map_or(0.0, |row| table_row_height(row, &self.widths(), self.style));
        flow.keep(heading.line_height() + 2.0 + table_heading_height(self.style) + first_row);
        let width = flow.faces().width(&self.total, total.size, total.weight);
        let baseline = flow.y + heading.size;
        flow.text_line(flow.left(), "Order of work", heading);
        flow.mark(super::layout::Mark::text(
            [flow.left() + flow.width() - width, baseline],
            self.total.clone(),
            total,
        ));
        flow.space(2.0);
        flow.table_with_lines(&self.columns, &self.rows, self.style);
        if self.notes.height > 0.0 {
            flow.keep(self.notes.height);
            flow.place(flow.left(), &self.notes);
            flow.space(self.notes.height);
        }
    }
}

/// Each planned region's notes, numbered by its row in the order of work.
fn note_entries(session: &crate::model::Session) -> Vec<String> {
    session
        .regions
        .iter()
        .enumerate()
        .filter(|(_, work)| !work.notes.trim().is_empty())
        .map(|(index, work)| format!("{}  {}", index + 1, work.notes.trim()))
        .collect()
}

/// `entries` under `heading`, in two columns of about the same height, none split.
fn two_columns(entries: &[String], heading: &str, style: Style, width: f32) -> Block {
    let mut block = Block::new(width);
    if entries.is_empty() {
        return block;
    }
    block.space(4.0);
    block.paragraph(0.0, heading, Style::bold(style.size + 1.0));
    let column = (width - 14.0) / 2.0;
    let laid: Vec<Block> = entries
        .iter()
        .map(|entry| {
            let mut one = Block::new(column);
            one.paragraph(0.0, entry, style);
            one.space(1.5);
            one
        })
        .collect();
    let total: f32 = laid.iter().map(|one| one.height).sum();
    let top = block.height;
    let (mut x, mut y, mut tallest) = (0.0, top, top);
    for one in &laid {
        if x == 0.0 && y - top >= total / 2.0 - 0.01 && y > top {
            x = column + 14.0;
            y = top;
        }
        for mark in one.marks_at([x, y]) {
            block.mark(mark, y + one.height);
        }
        y += one.height;
        tallest = tallest.max(y);
    }
    block.height = tallest;
    block
}

/// The columns' widths from what their cells need, unwrapped where the page
/// allows; the widest give way first.
fn fitted_columns(rows: &[TableRow], style: Style, width: f32) -> Vec<(&'static str, f32)> {
    const HEADINGS: [&str; 8] =
        ["#", "Region", "Tension", "Pain", "Findings", "Pressure", "Techniques", "Min"];
    let faces = super::text::Faces::get();
    let heading = Style::bold(style.size);
    let mut widths: Vec<f32> = HEADINGS
        .iter()
        .enumerate()
        .map(|(column, title)| {
            let cells = rows.iter().filter_map(|row| row.cells.get(column));
            let widest = cells
                .map(|cell| faces.width(cell, style.size, style.weight))
                .fold(faces.width(title, heading.size, heading.weight), f32::max);
            widest + 7.0
        })
        .collect();
    let sum: f32 = widths.iter().sum();
    if sum > width {
        // The wrappable columns (region, findings, techniques) give way, the widest first.
        let wrappable = [1, 4, 6];
        let mut excess = sum - width;
        while excess > 0.5 {
            let Some(&widest) = wrappable.iter().max_by(|a, b| widths[**a].total_cmp(&widths[**b])) else {
                break;
            };
            let next = wrappable.iter().filter(|&&i| i != widest).map(|&i| widths[i]).fold(60.0, f32::max);
            let give = (widths[widest] - next).max(1.0).min(excess);
            if widths[widest] - give < 40.0 {
                break;
            }
            widths[widest] -= give;
            excess -= give;
        }
    }
    // What is left goes to the region, where the side is read.
    let sum: f32 = widths.iter().sum();
    if sum < width {
        widths[1] += width - sum;
    }
    HEADINGS.into_iter().zip(widths).collect()
}

fn row(number: usize, work: &RegionWork) -> Vec<String> {
    let or_dash = |value: Option<String>| value.unwrap_or_else(|| "–".to_owned());
    vec![
        number.to_string(),
        work.region.accessible_name(),
        or_dash(work.tension.map(|t| format!("{} {}", t.get(), t.word()))),
        or_dash(work.pain.map(|p| format!("{}/10", p.get()))),
        or_dash((!work.findings.is_empty()).then(|| super::map_block::findings_in_words(&work.findings))),
        or_dash(work.pressure.map(|p| format!("{} {}", p.get(), p.word()))),
        or_dash(
            (!work.techniques.is_empty())
                .then(|| work.techniques.iter().map(|t| t.label().to_owned()).collect::<Vec<_>>().join(", ")),
        ),
        or_dash(work.minutes.map(|m| m.get().to_string())),
    ]
}

/// The marks placed by hand, each with its note: where it is and what was found.
fn marks_block(session: &crate::model::Session, density: Density, width: f32) -> Block {
    let mut block = Block::new(width);
    let Ok(map) = BodyMap::standard() else {
        return block;
    };
    if session.marks.is_empty() {
        return block;
    }
    block.heading("Marks on the map", Style::bold(10.0));
    let style = Style::regular(density.table + 0.5);
    let marks: Vec<String> = session
        .marks
        .iter()
        .map(|mark| {
            let at = [mark.at.x(), mark.at.y()];
            let region = [crate::model::Layer::Superficial, crate::model::Layer::Deep]
                .into_iter()
                .find_map(|layer| map.region_at(at, layer));
            let place =
                region.map_or_else(|| "off the regions".to_owned(), |region| region.accessible_name());
            match mark.note.trim() {
                "" => format!("{} on {place}", mark.kind.label()),
                note => format!("{} on {place}: {note}", mark.kind.label()),
            }
        })
        .collect();
    block.paragraph(0.0, &marks.join(";  "), style);
    block
}

/// Health flags, warnings with their written reasons, caution notes, reminders,
/// and the line that says what the checks are: kept whole, beside the map.
fn safety_block(
    client: &Client,
    sheet: &SessionSheet<'_>,
    report: &SafetyReport,
    planned: &BTreeSet<RegionId>,
    density: Density,
    width: f32,
) -> Block {
    let mut block = Block::new(width);
    block.heading("Safety", Style::bold(12.0));
    let body = Style::regular(density.body);
    let strong = Style::bold(density.body);
    if sheet.client.is_some() {
        let mut flags: Vec<String> =
            client.health_flags.iter().map(|(flag, details)| flag_in_words(flag.label(), details)).collect();
        for (key, details) in &client.clinic_flags {
            let name = sheet
                .clinic_rules
                .clinic_flags
                .iter()
                .find(|flag| flag.key == *key)
                .map_or(key.as_str(), |flag| flag.name.as_str());
            flags.push(flag_in_words(&format!("{name} (clinic's flag)"), details));
        }
        if flags.is_empty() {
            block.paragraph(0.0, "Health flags: none recorded.", body);
        }
        for flag in flags {
            block.paragraph(0.0, &format!("Health flag: {flag}"), body);
        }
    }
    if let Some(missing) = &report.rules_missing {
        block.paragraph(0.0, &format!("The safety rules could not be checked: {missing}"), strong);
    }
    if report.warnings.is_empty() {
        block.paragraph(0.0, "Warnings: none.", body);
    }
    // Warnings that say the same of several regions, with the same reason, are
    // said once, with the regions they are about.
    let mut said: Vec<(String, Vec<RegionId>, String)> = Vec::new();
    for warning in &report.warnings {
        let level = match warning.severity {
            Severity::Blocking => "Stop",
            Severity::Caution => "Warning",
            Severity::Reminder => "Reminder",
        };
        let reason = match &warning.overridden {
            Some(decision) => explained_in_words(decision),
            None => "Not explained in writing yet.".to_owned(),
        };
        let (message, region) = match warning.region {
            Some(region) => {
                let name = region.accessible_name();
                let message = if warning.message.contains(&format!(" on {name}")) {
                    warning.message.replacen(&format!(" on {name}"), "", 1)
                } else {
                    warning.message.replace(&name, "this area")
                };
                (format!("{level}: {message}"), Some(region))
            }
            None => (format!("{level}: {}", warning.message), None),
        };
        match said.iter_mut().find(|(text, _, because)| *text == message && *because == reason) {
            Some((_, regions, _)) => regions.extend(region),
            None => said.push((message, region.into_iter().collect(), reason)),
        }
    }
    for (message, regions, reason) in said {
        let message = match message.split_once(": ") {
            Some((level, rest)) if !regions.is_empty() => {
                format!("{level} ({}): {rest}", regions_in_words(&regions))
            }
            _ => message,
        };
        block.space(1.5);
        block.paragraph(0.0, &message, strong);
        block.paragraph(10.0, &reason, body);
    }
    // Each note once, with the planned regions it is about: the same note
    // stands beside the spine for every region that borders it.
    let mut notes: Vec<(&str, Vec<RegionId>)> = Vec::new();
    for (region, region_notes) in report.caution_notes.iter().filter(|(region, _)| planned.contains(*region))
    {
        for note in region_notes {
            match notes.iter_mut().find(|(text, _)| text == note) {
                Some((_, regions)) => regions.push(*region),
                None => notes.push((note, vec![*region])),
            }
        }
    }
    for (note, regions) in notes {
        // The zone is hatched on the map: a long list of the regions beside it says less than the map.
        let tissues = regions.iter().map(|region| region.info().name).collect::<BTreeSet<_>>().len();
        let beside = if tissues <= 3 {
            regions_in_words(&regions)
        } else {
            format!("{} planned regions border it, hatched on the map", regions.len())
        };
        block.paragraph(0.0, &format!("Caution: {note} ({beside})"), body);
    }
    for reminder in report.reminders.iter().filter(|reminder| reminder.message != NOT_MEDICAL_ADVICE) {
        block.paragraph(0.0, &format!("Reminder: {}", reminder.message), body);
    }
    block.space(3.0);
    block.paragraph(0.0, NOT_MEDICAL_ADVICE, Style::regular(density.body - 1.0).in_colour(MUTED));
    block
}

/// Regions in words, a tissue worked on both sides said once: "Upper
/// trapezius, both sides; Rhomboids, client's left".
fn regions_in_words(regions: &[RegionId]) -> String {
    let mut said: Vec<String> = Vec::new();
    for (index, region) in regions.iter().enumerate() {
        let mirror = region.mirror();
        if mirror != *region && regions[..index].contains(&mirror) {
            continue;
        }
        if mirror != *region && regions[index + 1..].contains(&mirror) {
            said.push(format!("{}, both sides", region.info().name));
        } else {
            said.push(region.accessible_name());
        }
    }
    said.join("; ")
}

/// "Osteoporosis (since 23 Nov 2020): on alendronate".
fn flag_in_words(name: &str, details: &crate::model::FlagDetails) -> String {
    let mut line = name.to_owned();
    if let Some(since) = details.since {
        line.push_str(&format!(" (since {})", day_words(since)));
    }
    if !details.note.trim().is_empty() {
        line.push_str(&format!(": {}", details.note.trim()));
    }
    line
}
