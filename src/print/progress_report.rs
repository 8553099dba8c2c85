//! The progress report: one client over a date range, for the client, a doctor
//! or an insurer. The figures come from [`crate::history`], the same
//! computations the history screens show.

use std::collections::BTreeSet;
use std::path::Path;

use jiff::civil::{Date, DateTime};

use crate::figure::{Figure, FigureView, LayerView, SessionValues};
use crate::geometry::BodyMap;
use crate::history::{Change, History, Measure, changes};
use crate::legend::{FillMode, Rgba};
use crate::model::{Client, CoarseArea, PaperSize, PracticeSettings, Session};

use super::chart::{Series, line_chart};
use super::layout::{Area, Column, Flow, MUTED, Mark, Style};
use super::map_block::{self, LEGEND_WIDTH};
use super::{DocumentKind, PrintError, Printed, day_words, footer};

/// The days a report covers; an open end reaches the first or the latest session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReportRange {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// What a progress report is made from.
#[derive(Clone, Copy, Debug)]
pub struct ReportInput<'a> {
    pub settings: &'a PracticeSettings,
    pub client: &'a Client,
    /// The client's sessions, in any order; those that did not happen are left out.
    pub sessions: &'a [Session],
    pub range: ReportRange,
    /// The client's folder, named in the footer.
    pub source: &'a Path,
    pub printed_at: DateTime,
    pub paper: PaperSize,
}

/// The progress report of `input.client`.
pub fn progress_report(input: &ReportInput<'_>) -> Result<Printed, PrintError> {
    let map = BodyMap::standard()?;
    let all = History::of(input.sessions);
    let history = all.between(input.range.from, input.range.to);
    let name = &input.client.name;
    let title = format!("Progress report: {name}");
    let mut flow = Flow::new(input.paper, format!("{title}, continued"));

    let clinic = input.settings.clinic_name.trim();
    if !clinic.is_empty() {
        flow.paragraph(clinic, Style::bold(15.0));
    }
    flow.paragraph(&title, Style::bold(14.0));
    let period = match (input.range.from, input.range.to) {
        (None, None) => "All sessions".to_owned(),
        (Some(from), None) => format!("From {}", day_words(from)),
        (None, Some(to)) => format!("Up to {}", day_words(to)),
        (Some(from), Some(to)) => format!("{} to {}", day_words(from), day_words(to)),
    };
    let mut facts = vec![period];
    if let Some(born) = input.client.date_of_birth {
        facts.push(format!("born {}", day_words(born)));
    }
    flow.paragraph(&facts.join("  ·  "), Style::regular(10.0).in_colour(MUTED));
    flow.space(2.0);
    flow.rule();

    summary(&mut flow, input, &history);
    let (Some(first), Some(latest)) = (history.first(), history.latest()) else {
        let pages = flow.finish(&footer(input.printed_at, input.source));
        return Ok(Printed { kind: DocumentKind::ProgressReport, title, pages });
    };

    first_and_latest(&mut flow, map, first, latest);
    change_table(&mut flow, first, latest);
    trends(&mut flow, &history);
    pain_around(&mut flow, &history);
    session_list(&mut flow, &history);
    flow.space(6.0);
    flow.paragraph(crate::safety::NOT_MEDICAL_ADVICE, Style::regular(8.0).in_colour(MUTED));

    let pages = flow.finish(&footer(input.printed_at, input.source));
    Ok(Printed { kind: DocumentKind::ProgressReport, title, pages })
}

fn summary(flow: &mut Flow, input: &ReportInput<'_>, history: &History<'_>) {
    flow.heading("Summary", 40.0);
    let body = Style::regular(10.0);
    let count = history.sessions().len();
    if count == 0 {
        flow.paragraph("No session took place in this period.", body);
        return;
    }
    let (Some(first), Some(latest)) = (history.first(), history.latest()) else {
        return;
    };
    flow.paragraph(
        &format!(
            "{count} session{} from {} to {}.",
            if count == 1 { "" } else { "s" },
            day_words(first.starts_at.date()),
            day_words(latest.starts_at.date())
        ),
        body,
    );
    let planned = input.settings.next_visit_interval_days;
    let cadence = match history.cadence_days() {
        Some(days) => {
            let came = crate::model::words::count(days.round() as i64, "day");
            let planned = crate::model::words::count(planned, "day");
            format!("Visits came every {came} (the median gap); the plan was every {planned}.")
        }
        None => format!(
            "One visit so far; the plan is a visit every {}.",
            crate::model::words::count(planned, "day")
        ),
    };
    flow.paragraph(&cadence, body);
}

/// The first and the latest map side by side, by tension, with one legend.
fn first_and_latest(flow: &mut Flow, map: &BodyMap, first: &Session, latest: &Session) {
    flow.heading("First and latest map (tension)", 280.0);
    let layers = LayerView::showing(first.regions.iter().chain(&latest.regions).map(|work| work.region));
    let none = BTreeSet::new();
    let figure_of = |session: &Session| {
        let view = FigureView { layers, caution_zones: false, warned: &none, marks: &session.marks };
        Figure::build(map, &SessionValues { session, mode: FillMode::Tension }, &view)
    };
    let (before, mut after) = (figure_of(first), figure_of(latest));
    // One legend for both maps: the findings of either.
    let mut findings = before.legend.findings_shown.clone();
    findings.extend(after.legend.findings_shown.iter().copied());
    findings.sort();
    findings.dedup();
    after.legend.findings_shown = findings;
    let mut legend = Vec::new();
    let legend_height = map_block::legend_marks(&after, 0.0, 0.0, &mut legend);
    let height = 270.0_f32;
    let caption = Style::bold(9.0);
    flow.keep(height.max(legend_height) + 2.0 * caption.line_height() + 8.0);
    let width = (flow.width() - LEGEND_WIDTH - 24.0) / 2.0;
    let (x, y) = (flow.left(), flow.y);
    for (index, (figure, session)) in [(before, first), (after.clone(), latest)].into_iter().enumerate() {
        let left = x + index as f32 * (width + 10.0);
        let label = format!(
            "{} {}",
            if index == 0 { "First:" } else { "Latest:" },
            day_words(session.starts_at.date())
        );
        flow.mark(Mark::text([left, y + caption.size], label, caption));
        let area = Area { x: left, y: y + caption.line_height() + 2.0, width, height };
        flow.mark(map_block::figure_mark(figure, area));
    }
    let mut placed = Vec::new();
    map_block::legend_marks(&after, x + 2.0 * width + 24.0, y + caption.line_height() + 2.0, &mut placed);
    for mark in placed {
        flow.mark(mark);
    }
    flow.y = y + caption.line_height() + 2.0 + height.max(legend_height) + 4.0;
    flow.text_line(x, &map_block::sides_caption(), Style::regular(8.0).in_colour(MUTED));
}

/// Per region: tension and pain first and latest, and the change, as a symbol
/// and a word as well as a colour.
fn change_table(flow: &mut Flow, first: &Session, latest: &Session) {
    flow.heading("What changed, region by region", 60.0);
    let tension = changes(first, latest, Measure::Tension);
    let pain = changes(first, latest, Measure::Pain);
    let regions: BTreeSet<_> = tension.keys().chain(pain.keys()).copied().collect();
    if regions.is_empty() {
        flow.paragraph("Neither session recorded tension or pain.", Style::regular(10.0));
        return;
    }
    let columns = [
        Column { heading: "Region", share: 2.6 },
        Column { heading: "Tension first → latest", share: 1.8 },
        Column { heading: "Change", share: 1.1 },
        Column { heading: "Pain first → latest", share: 1.6 },
        Column { heading: "Change", share: 1.1 },
    ];
    let value = |value: Option<u8>| value.map_or_else(|| "–".to_owned(), |v| v.to_string());
    let words = |change: Option<&crate::history::RegionChange>| match change {
        Some(change) => {
            let (symbol, _) = crate::legend::change_style(change.change);
            (
                format!("{} → {}", value(change.before), value(change.after)),
                format!("{symbol} {}", change.change.word()),
            )
        }
        None => ("–".to_owned(), String::new()),
    };
    let rows: Vec<Vec<String>> = regions
        .iter()
        .map(|region| {
            let (tension_values, tension_change) = words(tension.get(region));
            let (pain_values, pain_change) = words(pain.get(region));
            vec![region.accessible_name(), tension_values, tension_change, pain_values, pain_change]
        })
        .collect();
    let changes_of: Vec<[Option<Change>; 2]> = regions
        .iter()
        .map(|region| [tension.get(region).map(|c| c.change), pain.get(region).map(|c| c.change)])
        .collect();
    let colour_of = |row: usize, column: usize| {
        let which = match column {
            2 => 0,
            4 => 1,
            _ => return None,
        };
        changes_of.get(row)?[which].map(|change| crate::legend::change_style(change).1)
    };
    flow.table_coloured(&columns, &rows, Style::regular(8.5), &colour_of);
    let legend: Vec<String> = [Change::Better, Change::Worse, Change::Same, Change::New, Change::Gone]
        .into_iter()
        .map(|change| format!("{} {}", crate::legend::change_style(change).0, change.word()))
        .collect();
    flow.paragraph(
        &format!("Lower values are better. {}", legend.join("   ")),
        Style::regular(8.0).in_colour(MUTED),
    );
}

/// The colour, dash and marker of each coarse area's line.
fn area_line(index: usize) -> (Rgba, Option<[f32; 2]>, bool) {
    let dash = if index % 2 == 1 { Some([4.0, 2.0]) } else { None };
    (crate::legend::SERIES[index % crate::legend::SERIES.len()], dash, index % 3 == 2)
}

fn trends(flow: &mut Flow, history: &History<'_>) {
    flow.heading("Trends by area", 170.0);
    let longest = history.sessions().len();
    let over = crate::history::sessions_to_average(longest);
    for (measure, title, high) in
        [(Measure::Tension, "Tension (0 none to 3 severe)", 3.0), (Measure::Pain, "Pain (0 to 10)", 10.0)]
    {
        let series: Vec<Series> = CoarseArea::ALL
            .into_iter()
            .enumerate()
            .filter_map(|(index, area)| {
                let raw: Vec<(Date, f32)> = history
                    .area_series(measure, area)
                    .into_iter()
                    .map(|point| (point.date, point.value))
                    .collect();
                // As on screen: a long series is averaged over a few sessions, to read where it heads.
                let points = crate::history::smoothed(&raw, over);
                if points.is_empty() {
                    return None;
                }
                let (colour, dash, square) = area_line(index);
                Some(Series { label: area.label().to_owned(), colour, dash, square, points })
            })
            .collect();
        let averaged = series.iter().any(|line| line.points.len() >= over);
        let title = if averaged {
            format!("{title}; each line the average over {over} sessions")
        } else {
            title.to_owned()
        };
        line_chart(flow, &title, &series, 0.0, high);
    }
}

fn pain_around(flow: &mut Flow, history: &History<'_>) {
    let around = history.pain_around_sessions();
    let point = |pain: Option<crate::model::Pain>| pain.map(|pain| f32::from(pain.get()));
    let before: Vec<(Date, f32)> = around.iter().filter_map(|p| Some((p.date, point(p.before)?))).collect();
    let after: Vec<(Date, f32)> = around.iter().filter_map(|p| Some((p.date, point(p.after)?))).collect();
    flow.heading("Pain before and after each session", 170.0);
    if before.is_empty() && after.is_empty() {
        flow.paragraph("No pain before or after a session was recorded.", Style::regular(10.0));
        return;
    }
    let series = [
        Series {
            label: "before".into(),
            colour: Rgba::rgb(190, 20, 30),
            dash: None,
            square: true,
            points: before,
        },
        Series {
            label: "after".into(),
            colour: Rgba::rgb(0, 114, 178),
            dash: Some([4.0, 2.0]),
            square: false,
            points: after,
        },
    ];
    line_chart(flow, "Pain (0 to 10)", &series, 0.0, 10.0);
}

fn session_list(flow: &mut Flow, history: &History<'_>) {
    flow.heading("Sessions", 40.0);
    let columns = [
        Column { heading: "Date", share: 1.6 },
        Column { heading: "Therapist", share: 1.3 },
        Column { heading: "Regions", share: 0.7 },
        Column { heading: "Pain before → after", share: 1.5 },
        Column { heading: "Response", share: 1.1 },
        Column { heading: "Amendments", share: 3.0 },
    ];
    let rows: Vec<Vec<String>> = history
        .sessions()
        .iter()
        .map(|session| {
            let pain = session.outcome.as_ref().map_or_else(
                || "–".to_owned(),
                |outcome| {
                    let value = |pain: Option<crate::model::Pain>| {
                        pain.map_or_else(|| "–".to_owned(), |p| p.get().to_string())
                    };
                    format!("{} → {}", value(outcome.pain_before), value(outcome.pain_after))
                },
            );
            let response =
                session.outcome.as_ref().and_then(|outcome| outcome.response).map_or("–", |r| r.label());
            let amendments: Vec<String> = session
                .amendments
                .iter()
                .enumerate()
                .map(|(index, amendment)| {
                    let mut line = format!(
                        "{} ({}): {}",
                        amendment.made_at.strftime("%-d %b %Y"),
                        amendment.therapist,
                        amendment.reason
                    );
                    let changed = what_the_amendment_changed(session, index);
                    if !changed.is_empty() {
                        line.push_str(&format!(". Changed: {changed}"));
                    }
                    line
                })
                .collect();
            vec![
                session.starts_at.strftime("%-d %b %Y %H:%M").to_string(),
                session.therapist.clone(),
                session.regions.len().to_string(),
                pain,
                response.to_owned(),
                if amendments.is_empty() { "–".to_owned() } else { amendments.join("\n") },
            ]
        })
        .collect();
    flow.table(&columns, &rows, Style::regular(8.5));
}

/// What the amendment at `index` of `session` changed, in words: as written
/// with it, else from the record it kept and the one after it.
fn what_the_amendment_changed(session: &crate::model::Session, index: usize) -> String {
    let Some(amendment) = session.amendments.get(index) else {
        return String::new();
    };
    if !amendment.change.trim().is_empty() {
        return amendment.change.trim().to_owned();
    }
    let Some(before) = &amendment.before else {
        return String::new();
    };
    let after = match session.amendments.get(index + 1).and_then(|next| next.before.clone()) {
        Some(record) => record,
        None => session.record(),
    };
    after.changes_since(before).join("; ")
}
