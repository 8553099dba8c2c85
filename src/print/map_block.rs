//! A map on paper: the figure and its legend beside it, kept whole on one page.

use std::sync::Arc;

use crate::figure::Figure;
use crate::legend;
use crate::model::FindingKind;

use super::layout::{Area, Block, Flow, MUTED, Mark, Style};

/// The legend's width beside a map.
pub const LEGEND_WIDTH: f32 = 130.0;

/// How big a printed map's symbols are against the screen's: a little smaller,
/// as paper is read from closer.
const POINT: f32 = 0.8;

/// The figure in `area`, the whole body, its side labels over it.
pub fn figure_mark(figure: Figure, area: Area) -> Mark {
    let view = crate::geometry::BodyMap::standard()
        .map(crate::figure::content_in_map)
        .unwrap_or([[0.0, 0.0], [1.0, 1.0]]);
    Mark::Figure { area, figure: Arc::new(figure), point: POINT, view }
}

/// The figure in `area`, showing only `view` of map space (the part of the back
/// a plan works on), its side labels over it.
pub fn figure_mark_of(figure: Figure, area: Area, view: [[f32; 2]; 2]) -> Mark {
    Mark::Figure { area, figure: Arc::new(figure), point: POINT, view }
}

/// Places the legend of `figure` in a column from (`x`, `y`); returns its height.
pub fn legend_marks(figure: &Figure, x: f32, y: f32, out: &mut Vec<Mark>) -> f32 {
    let block = legend_block(figure, LEGEND_WIDTH);
    out.extend(block.marks_at([x, y]));
    block.height
}

/// The room between the legend's parts.
const PART_GAP: f32 = 10.0;

/// The legend of `figure` as a block at most `width` wide: its parts (the
/// fills; zones, warnings and the paler layer; the findings) side by side where
/// there is room, else stacked.
pub fn legend_block(figure: &Figure, width: f32) -> Block {
    let parts: Vec<Block> = legend_parts(figure).into_iter().filter(|part| part.height > 0.0).collect();
    let widths: Vec<f32> = parts.iter().map(|part| part.width).collect();
    let all_across = widths.iter().sum::<f32>() + PART_GAP * (widths.len().saturating_sub(1)) as f32;
    // Where each part's corner goes: all across, the first beside the rest stacked, or all stacked.
    let corners: Vec<[f32; 2]> = if all_across <= width {
        let mut x = 0.0;
        widths
            .iter()
            .map(|w| {
                let at = [x, 0.0];
                x += w + PART_GAP;
                at
            })
            .collect()
    } else if parts.len() > 1
        && widths[0] + PART_GAP + widths[1..].iter().copied().fold(0.0, f32::max) <= width
    {
        let mut y = 0.0;
        let x = widths[0] + PART_GAP;
        std::iter::once([0.0, 0.0])
            .chain(parts[1..].iter().map(|part| {
                let at = [x, y];
                y += part.height + 6.0;
                at
            }))
            .collect()
    } else {
        let mut y = 0.0;
        parts
            .iter()
            .map(|part| {
                let at = [0.0, y];
                y += part.height + 6.0;
                at
            })
            .collect()
    };
    let mut block = Block::new(width);
    for (part, corner) in parts.iter().zip(corners) {
        let bottom = corner[1] + part.height;
        for mark in part.marks_at(corner) {
            block.mark(mark, bottom);
        }
    }
    block
}

/// The legend's parts: what the fills mean; the caution zones, the paler layer
/// and the warning triangle; the findings. Each as wide as its widest entry.
fn legend_parts(figure: &Figure) -> [Block; 3] {
    let heading = Style::bold(8.5);
    let entry = Style::regular(8.0);
    let row = 11.5;
    let faces = super::text::Faces::get();
    let text = |block: &mut Block, words: &str, style: Style, indent: f32| {
        let at = block.height;
        block.mark(Mark::text([indent, at + style.size], words.to_owned(), style), at + row);
        block.width = block.width.max(indent + faces.width(words, style.size, style.weight));
    };
    let mut fills = Block::new(0.0);
    text(&mut fills, &figure.legend.fill_heading, heading, 0.0);
    // Where a layer is shown paler, each value has its paler swatch beside it,
    // so that a deep region's value reads as well as the surface's.
    let paler = figure.legend.faded_layer.is_some();
    let indent = if paler { 40.0 } else { 22.0 };
    for swatch in &figure.legend.fill {
        let area = Area { x: 0.0, y: fills.height + 1.0, width: 16.0, height: 9.0 };
        fills.mark(Mark::Rect { area, fill: Some(swatch.fill), stroke: Some((0.5, swatch.border)) }, 0.0);
        if paler {
            let area = Area { x: 18.0, ..area };
            let fill = swatch.fill.faded(0.5).over(legend::SILHOUETTE_FILL);
            fills.mark(Mark::Rect { area, fill: Some(fill), stroke: Some((0.5, swatch.border)) }, 0.0);
        }
        text(&mut fills, &swatch.text, entry, indent);
    }
    let mut markers = Block::new(0.0);
    if let Some(zone) = &figure.legend.caution_zone {
        let area = Area { x: 0.0, y: markers.height + 1.0, width: 16.0, height: 9.0 };
        markers.mark(Mark::Hatch { area, colour: zone.fill }, 0.0);
        markers.mark(Mark::Rect { area, fill: None, stroke: Some((0.8, zone.border)) }, 0.0);
        text(&mut markers, &zone.text, entry, 22.0);
    }
    if let Some(words) = figure.legend.faded_layer {
        // A mid-scale fill as the map fades it, with its dashed border.
        let sample =
            figure.legend.fill.get(figure.legend.fill.len() / 2).map_or(legend::NO_ENTRY, |s| s.fill);
        let area = Area { x: 0.0, y: markers.height + 1.0, width: 16.0, height: 9.0 };
        let paler = sample.faded(0.5).over(legend::SILHOUETTE_FILL);
        markers.mark(Mark::Rect { area, fill: Some(paler), stroke: None }, 0.0);
        let [l, t, r, b] = [area.x, area.y, area.right(), area.bottom()];
        let edge = legend::REGION_OUTLINE;
        let points = vec![[l, t], [r, t], [r, b], [l, b], [l, t]];
        markers.mark(Mark::Line { points, width: 0.6, colour: edge, dash: Some([2.5, 1.5]) }, 0.0);
        text(&mut markers, words, entry, 22.0);
    }
    if figure.legend.warning {
        let at = markers.height;
        markers.mark(Mark::Warning { centre: [8.0, at + 6.0], size: 11.0 }, 0.0);
        text(&mut markers, "safety warning", entry, 22.0);
    }
    let mut findings = Block::new(0.0);
    if !figure.legend.findings_shown.is_empty() {
        text(&mut findings, "Findings", heading, 0.0);
        for kind in &figure.legend.findings_shown {
            let at = findings.height;
            findings.mark(Mark::Finding { centre: [8.0, at + 5.5], kind: *kind, size: 10.0 }, 0.0);
            text(&mut findings, kind.label(), entry, 22.0);
        }
    }
    [fills, markers, findings]
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
