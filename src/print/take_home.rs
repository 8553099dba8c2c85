//! The take-home sheet: what the client takes with them, in plain words and
//! larger type. It leaves the clinic, so it carries no health flag, no finding
//! and no therapist note: only what was worked on, the aftercare, what to tell
//! the clinic and when, the next visit and how to reach the clinic.

use std::collections::BTreeSet;

use crate::figure::{Figure, FigureView, LayerView, RegionValues, Swatch};
use crate::geometry::BodyMap;
use crate::legend::{self, Rgba};
use crate::model::{FindingKind, RegionId, Session};

use super::layout::{Area, Block, Flow, MUTED, Style};
use super::map_block;
use super::{DocumentKind, PrintError, Printed, SessionSheet, day_words};

/// The colour of a region worked on, on the client's map: one calm colour, as
/// the client needs where, not how much.
const WORKED_ON: Rgba = Rgba::rgb(80, 135, 205);

/// A client's map: which regions were (or will be) worked on, nothing else.
pub(super) struct WorkedOn<'a> {
    pub regions: &'a BTreeSet<RegionId>,
    /// The legend's heading and its two entries: "Today", "worked on", "not worked on".
    pub legend: [&'static str; 3],
}

/// The take-home sheet's legend: what was done today.
pub(super) const DONE_TODAY: [&str; 3] = ["Today", "worked on", "not worked on"];
/// The take-home sheet's legend before the session: what is planned.
const PLANNED: [&str; 3] = ["The plan", "to be worked on", "not planned"];

/// The regions the client's hands-on time went to: those marked only to avoid are not.
fn worked_regions(session: &Session) -> Vec<RegionId> {
    session
        .regions
        .iter()
        .filter(|work| crate::model::consent::is_worked(work))
        .map(|work| work.region)
        .collect()
}

impl RegionValues for WorkedOn<'_> {
    fn fill(&self, region: RegionId) -> Rgba {
        if self.regions.contains(&region) { WORKED_ON } else { legend::NO_ENTRY }
    }

    fn findings(&self, _region: RegionId) -> &[FindingKind] {
        &[]
    }

    fn fill_legend(&self) -> (String, Vec<Swatch>) {
        let swatch =
            |fill, text: &str| Swatch { fill, border: legend::REGION_OUTLINE, text: text.to_owned() };
        let [heading, worked, not_worked] = self.legend;
        (heading.to_owned(), vec![swatch(WORKED_ON, worked), swatch(legend::NO_ENTRY, not_worked)])
    }
}

/// What the client is asked to tell the clinic, and when.
const WHAT_TO_REPORT: &str = "Call us within two days if you notice bruising, numbness or tingling, or pain that \
     gets worse instead of better. Tell us at your next visit how you felt in the days after.";

/// The take-home sheet of `sheet.session`: one page, the map as large and the
/// type as large as that leaves room for.
pub fn take_home_sheet(sheet: &SessionSheet<'_>) -> Result<Printed, PrintError> {
    let day = day_words(sheet.session.starts_at.date());
    let title = format!("Your massage on {day}");
    let mut first = None;
    for body in [13.0, 12.0, 11.0] {
        for map_width in [230.0, 210.0, 190.0, 170.0] {
            let printed = take_home_with(sheet, &title, body, map_width)?;
            if printed.pages.len() == 1 {
                return Ok(printed);
            }
            first.get_or_insert(printed);
        }
    }
    first.ok_or_else(|| PrintError::Pdf("the take-home sheet has no page".into()))
}

fn take_home_with(
    sheet: &SessionSheet<'_>,
    title: &str,
    size: f32,
    map_width: f32,
) -> Result<Printed, PrintError> {
    let map = BodyMap::standard()?;
    let session = sheet.session;
    let name = sheet.client.map(|client| client.name.clone()).unwrap_or_default();
    let mut flow = Flow::new(sheet.paper, format!("{title}, continued"));
    let body = Style::regular(size);
    let heading = Style::bold(size + 2.0);

    let clinic = sheet.settings.clinic_name.trim();
    if !clinic.is_empty() {
        flow.paragraph(clinic, Style::bold(size + 5.0));
    }
    flow.paragraph(title, Style::bold(size + 3.0));
    if !name.trim().is_empty() {
        flow.paragraph(&format!("For {name}"), body.in_colour(MUTED));
    }
    flow.space(4.0);

    // Before the session the sheet says what is planned; after it, what was done.
    let done = session.status == crate::model::SessionStatus::Completed;
    let worked = worked_regions(session);
    flow.heading_in(heading, if done { "What we worked on" } else { "What we plan to work on" }, 120.0);
    if worked.is_empty() {
        flow.paragraph(
            if done { "We did not record which areas we worked on." } else { "No areas are planned yet." },
            body,
        );
    } else {
        // The map at the left; the places in words and the legend beside it.
        let none = BTreeSet::new();
        let layers = LayerView::showing(worked.iter().copied());
        let view = FigureView { layers, caution_zones: false, warned: &none, marks: &[] };
        let regions: BTreeSet<RegionId> = worked.iter().copied().collect();
        let legend = if done { DONE_TODAY } else { PLANNED };
        let figure = Figure::build(map, &WorkedOn { regions: &regions, legend }, &view);
        let [[min_x, min_y], [max_x, max_y]] = crate::figure::content_in_map(map);
        let map_height = map_width * (max_y - min_y) / (max_x - min_x);
        let beside = flow.width() - map_width - 16.0;
        let mut words = Block::new(beside);
        for line in crate::model::words::areas_in_words(worked.iter().copied()) {
            words.paragraph(0.0, &format!("•  {line}"), body);
        }
        words.space(8.0);
        words.paragraph(0.0, &map_block::sides_caption(), Style::regular(9.0).in_colour(MUTED));
        words.space(6.0);
        words.append(&map_block::legend_block(&figure, beside));
        let band = map_height.max(words.height);
        flow.keep(band);
        let (x, y) = (flow.left(), flow.y);
        flow.mark(map_block::figure_mark(figure, Area { x, y, width: map_width, height: map_height }));
        flow.place(x + map_width + 16.0, &words);
        flow.y = y + band + 4.0;
    }

    let aftercare: Vec<&str> =
        session.aftercare.iter().map(|line| line.trim()).filter(|line| !line.is_empty()).collect();
    if !aftercare.is_empty() {
        flow.heading_in(heading, "Looking after yourself", 30.0);
        for line in aftercare {
            flow.paragraph(&format!("•  {line}"), body);
        }
    }
    flow.heading_in(heading, "Tell us", 30.0);
    flow.paragraph(WHAT_TO_REPORT, body);
    if let Some(next) = session.next_visit {
        flow.heading_in(heading, "Your next visit", 20.0);
        flow.paragraph(&next.strftime("%A %-d %B %Y").to_string(), Style::bold(size + 1.0));
    }
    let contact = sheet.settings.contact.trim();
    if !clinic.is_empty() || !contact.is_empty() {
        flow.heading_in(heading, "How to reach us", 20.0);
        for line in [clinic, contact].into_iter().filter(|line| !line.is_empty()) {
            flow.paragraph(line, body);
        }
    }
    // The client's copy names no file of the practice's.
    let pages = flow.finish(&format!("Printed {}", sheet.printed_at.strftime("%-d %b %Y")));
    Ok(Printed { kind: DocumentKind::TakeHome, title: title.to_owned(), pages })
}
