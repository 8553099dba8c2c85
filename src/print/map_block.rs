//! A map on paper: the figure and its legend beside it, kept whole on one page.

use std::sync::Arc;

use crate::figure::Figure;
use crate::legend;
use crate::model::FindingKind;

use super::layout::{Area, Flow, MUTED, Mark, Style};

/// The legend's width beside a map.
pub const LEGEND_WIDTH: f32 = 130.0;

/// How big a printed map's symbols are against the screen's: a little smaller,
/// as paper is read from closer.
const POINT: f32 = 0.8;

/// The figure in `area`, its side labels over it.
pub fn figure_mark(figure: Figure, area: Area) -> Mark {
    Mark::Figure { area, figure: Arc::new(figure), point: POINT }
}

/// Places the legend of `figure` in a column from (`x`, `y`); returns its height.
pub fn legend_marks(figure: &Figure, x: f32, y: f32, out: &mut Vec<Mark>) -> f32 {
    let mut at = y;
    let heading = Style::bold(8.5);
    let entry = Style::regular(8.0);
    let row = 12.0;
    let text = |out: &mut Vec<Mark>, at: &mut f32, words: &str, style: Style, indent: f32| {
        out.push(Mark::Text { at: [x + indent, *at + style.size], text: words.to_owned(), style });
        *at += row;
    };
    text(out, &mut at, &figure.legend.fill_heading, heading, 0.0);
    for swatch in &figure.legend.fill {
        let area = Area { x, y: at + 1.0, width: 16.0, height: 9.0 };
        out.push(Mark::Rect { area, fill: Some(swatch.fill), stroke: Some((0.5, swatch.border)) });
        text(out, &mut at, &swatch.text, entry, 22.0);
    }
    if let Some(zone) = &figure.legend.caution_zone {
        at += 4.0;
        let area = Area { x, y: at + 1.0, width: 16.0, height: 9.0 };
        out.push(Mark::Rect { area, fill: Some(zone.fill), stroke: Some((0.8, zone.border)) });
        text(out, &mut at, &zone.text, entry, 22.0);
    }
    if figure.legend.warning {
        at += 4.0;
        out.push(Mark::Warning { centre: [x + 8.0, at + 6.0], size: 11.0 });
        text(out, &mut at, "safety warning", entry, 22.0);
    }
    if !figure.legend.findings_shown.is_empty() {
        at += 6.0;
        text(out, &mut at, "Findings", heading, 0.0);
        for kind in &figure.legend.findings_shown {
            out.push(Mark::Finding { centre: [x + 8.0, at + 5.5], kind: *kind, size: 10.0 });
            text(out, &mut at, kind.label(), entry, 22.0);
        }
    }
    at - y
}

/// A map of `height` points with its legend to the right, kept whole on one page;
/// `caption` goes under it.
pub fn map_with_legend(flow: &mut Flow, figure: Figure, map_width: f32, height: f32, caption: &str) {
    let mut legend = Vec::new();
    let legend_height = legend_marks(&figure, 0.0, 0.0, &mut legend);
    let caption_style = Style::regular(8.0).in_colour(MUTED);
    let total = height.max(legend_height) + caption_style.line_height() + 4.0;
    flow.keep(total);
    let (x, y) = (flow.left(), flow.y);
    flow.mark(figure_mark(figure.clone(), Area { x, y, width: map_width, height }));
    let mut placed = Vec::new();
    legend_marks(&figure, x + map_width + 14.0, y, &mut placed);
    for mark in placed {
        flow.mark(mark);
    }
    flow.y = y + height.max(legend_height) + 2.0;
    if !caption.is_empty() {
        flow.text_line(x, caption, caption_style);
    }
    flow.space(2.0);
}

/// The finding kinds in words, for text that must say what a symbol means.
pub fn findings_in_words(findings: &[FindingKind]) -> String {
    findings.iter().map(|kind| kind.label().to_lowercase()).collect::<Vec<_>>().join(", ")
}

/// The figure's side labels, for a caption.
pub fn sides_caption() -> String {
    format!(
        "Seen from behind: {} is on the left, {} on the right.",
        legend::CLIENT_LEFT,
        legend::CLIENT_RIGHT
    )
}
