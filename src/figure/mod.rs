//! What a body map shows, as a list of things to draw in map space, in order:
//! the silhouette, each layer's fills and outlines, the landmarks, the caution
//! zones, the findings' badges, the warning triangles, the marks, the side labels
//! and the legend.
//!
//! A figure is built from the geometry, the legend and a per-region value source
//! ([`RegionValues`]: today's session on one scale, and later a change between two
//! sessions or a frequency over many). It knows no egui and no PDF: the screen and
//! the printer are two painters of the same figure, so they can never disagree about
//! where a region is, which side is the client's left, or what a symbol means.
//!
//! Sizes that do not grow with the map (line widths, badges, their offsets from
//! the point they belong to) are in points: a painter multiplies them by its own
//! idea of a point (1 on the screen at zoom 1; a little under 1 on a small printed map).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::geometry::{BodyMap, Bounds, LandmarkKind};
use crate::legend::{self, FillMode, Rgba};
use crate::model::{FindingKind, Layer, MapMark, RegionId, Session};

/// Which layers a map shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LayerView {
    /// What the hands meet first.
    #[default]
    Superficial,
    /// What lies under it; the superficial layer is shown faded for orientation.
    Deep,
    /// Both, the deep layer faded over the superficial one.
    Both,
}

impl LayerView {
    pub const ALL: [LayerView; 3] = [LayerView::Superficial, LayerView::Deep, LayerView::Both];

    pub fn label(self) -> &'static str {
        match self {
            LayerView::Superficial => "Superficial",
            LayerView::Deep => "Deep",
            LayerView::Both => "Both",
        }
    }

    /// The layers that clicks and the keyboard reach, the one drawn on top first.
    pub fn active_layers(self) -> &'static [Layer] {
        match self {
            LayerView::Superficial => &[Layer::Superficial],
            LayerView::Deep => &[Layer::Deep],
            LayerView::Both => &[Layer::Deep, Layer::Superficial],
        }
    }

    /// The view that shows every region among `regions`: both layers when the
    /// plan reaches both, else the one it uses (the surface for none).
    pub fn showing(regions: impl IntoIterator<Item = RegionId>) -> LayerView {
        let (mut superficial, mut deep) = (false, false);
        for region in regions {
            match region.info().layer {
                Layer::Superficial => superficial = true,
                Layer::Deep => deep = true,
            }
        }
        match (superficial, deep) {
            (_, false) => LayerView::Superficial,
            (false, true) => LayerView::Deep,
            (true, true) => LayerView::Both,
        }
    }
}

/// Where a figure gets each region's colour and badges from.
pub trait RegionValues {
    /// The colour a region is filled with.
    fn fill(&self, region: RegionId) -> Rgba;
    /// The findings a region's badges show, in order.
    fn findings(&self, region: RegionId) -> &[FindingKind];
    /// The legend of the fill: a heading and a swatch per value.
    fn fill_legend(&self) -> (String, Vec<Swatch>);
    /// A symbol shown at a region's label point, in its colour on a white disc
    /// (a change's ▼ or ▲), so that the map reads without colour too.
    fn symbol(&self, _region: RegionId) -> Option<(&'static str, Rgba)> {
        None
    }
    /// What this map shows of a region, in words, for a screen reader; `None`
    /// where it shows nothing.
    fn said(&self, _region: RegionId) -> Option<String> {
        None
    }
}

/// Everything a map shows, region by region, in words: "Upper trapezius,
/// client's left: better; Rhomboids, client's right: the same", or that it
/// shows nothing. What a screen reader says in place of the picture.
pub fn in_words(values: &dyn RegionValues) -> String {
    let said: Vec<String> = RegionId::all()
        .filter_map(|region| Some(format!("{}: {}", region.accessible_name(), values.said(region)?)))
        .collect();
    if said.is_empty() { "no region recorded".to_owned() } else { said.join("; ") }
}

/// The change of each region between two sessions: filled in the change's
/// colour, with its symbol; regions that did not change in any way are left blank.
#[derive(Clone, Copy, Debug)]
pub struct ChangeValues<'a> {
    pub changes: &'a std::collections::BTreeMap<RegionId, crate::model::Change>,
    /// What changed, e.g. "Tension".
    pub measure: &'a str,
    /// Whether it is an outcome, which gets better or worse, or the pressure
    /// planned, which is only lower or higher.
    pub outcome: bool,
}

impl RegionValues for ChangeValues<'_> {
    fn fill(&self, region: RegionId) -> Rgba {
        self.changes
            .get(&region)
            .map_or(legend::NO_ENTRY, |change| legend::change_style(*change).1.faded(0.55))
    }

    fn findings(&self, _region: RegionId) -> &[FindingKind] {
        &[]
    }

    fn fill_legend(&self) -> (String, Vec<Swatch>) {
        let swatches = crate::model::Change::ALL
            .into_iter()
            .map(|change| {
                let (symbol, colour) = legend::change_style(change);
                Swatch {
                    fill: colour.faded(0.55),
                    border: legend::REGION_OUTLINE,
                    text: format!("{symbol} {}", change.word_for(self.outcome)),
                }
            })
            .collect();
        (format!("{} change", self.measure), swatches)
    }

    fn symbol(&self, region: RegionId) -> Option<(&'static str, Rgba)> {
        self.changes.get(&region).map(|change| legend::change_style(*change))
    }

    fn said(&self, region: RegionId) -> Option<String> {
        let change = *self.changes.get(&region)?;
        Some(match change {
            crate::model::Change::Same => "the same".to_owned(),
            crate::model::Change::New => "recorded now, not before".to_owned(),
            crate::model::Change::Gone => "recorded before, not now".to_owned(),
            change => change.word_for(self.outcome).to_owned(),
        })
    }
}

/// The regions in which two versions of one session differ, filled and marked
/// with "≠"; the rest left blank.
#[derive(Clone, Copy, Debug)]
pub struct DiffersValues<'a> {
    pub differing: &'a BTreeSet<RegionId>,
}

impl RegionValues for DiffersValues<'_> {
    fn fill(&self, region: RegionId) -> Rgba {
        if self.differing.contains(&region) { legend::DIFFERS.faded(0.5) } else { legend::NO_ENTRY }
    }

    fn said(&self, region: RegionId) -> Option<String> {
        self.differing.contains(&region).then(|| "the two versions differ".to_owned())
    }

    fn findings(&self, _region: RegionId) -> &[FindingKind] {
        &[]
    }

    fn fill_legend(&self) -> (String, Vec<Swatch>) {
        let swatch =
            |fill, text: &str| Swatch { fill, border: legend::REGION_OUTLINE, text: text.to_owned() };
        (
            "The two versions".to_owned(),
            vec![swatch(legend::DIFFERS.faded(0.5), "≠ differ here"), swatch(legend::NO_ENTRY, "the same")],
        )
    }

    fn symbol(&self, region: RegionId) -> Option<(&'static str, Rgba)> {
        self.differing.contains(&region).then_some(("≠", legend::DIFFERS))
    }
}

/// A value per region on one scale, e.g. the mean tension over a period (the
/// "average map"), each filled with its nearest value's colour.
#[derive(Clone, Copy, Debug)]
pub struct MeanValues<'a> {
    pub values: &'a std::collections::BTreeMap<RegionId, f32>,
    pub mode: FillMode,
}

impl RegionValues for MeanValues<'_> {
    fn fill(&self, region: RegionId) -> Rgba {
        self.values
            .get(&region)
            .map_or(legend::NO_ENTRY, |value| legend::fill_colour(self.mode, value.round() as u8))
    }

    fn said(&self, region: RegionId) -> Option<String> {
        let value = self.values.get(&region)?;
        Some(format!("mean {} {value:.1}", self.mode.label().to_lowercase()))
    }

    fn findings(&self, _region: RegionId) -> &[FindingKind] {
        &[]
    }

    fn fill_legend(&self) -> (String, Vec<Swatch>) {
        let (_, swatches) = scale_legend(self.mode);
        (format!("Mean {}", self.mode.label().to_lowercase()), swatches)
    }
}

/// How often each region was found tense or painful over a period, as a share
/// of its sessions (0 to 1): a heat map.
#[derive(Clone, Copy, Debug)]
pub struct ShareValues<'a> {
    pub shares: &'a std::collections::BTreeMap<RegionId, f32>,
    /// What was counted, e.g. "Tense (moderate or more)".
    pub heading: &'a str,
}

impl RegionValues for ShareValues<'_> {
    fn fill(&self, region: RegionId) -> Rgba {
        legend::share_colour(self.shares.get(&region).copied().unwrap_or(0.0))
    }

    fn said(&self, region: RegionId) -> Option<String> {
        let share = self.shares.get(&region).copied().filter(|share| *share > 0.0)?;
        Some(format!("{}% of sessions", (share * 100.0).round()))
    }

    fn findings(&self, _region: RegionId) -> &[FindingKind] {
        &[]
    }

    fn fill_legend(&self) -> (String, Vec<Swatch>) {
        let mut swatches: Vec<Swatch> = legend::share_steps()
            .into_iter()
            .map(|(fill, text)| Swatch {
                fill,
                border: legend::REGION_OUTLINE,
                text: format!("{text} of sessions"),
            })
            .collect();
        swatches.insert(
            0,
            Swatch { fill: legend::NO_ENTRY, border: legend::REGION_OUTLINE, text: "never".into() },
        );
        (self.heading.to_owned(), swatches)
    }
}

/// A session's own values on one scale: tension, pressure or pain today.
#[derive(Clone, Copy, Debug)]
pub struct SessionValues<'a> {
    pub session: &'a Session,
    pub mode: FillMode,
}

impl RegionValues for SessionValues<'_> {
    fn fill(&self, region: RegionId) -> Rgba {
        legend::region_fill(self.mode, self.session.region(region))
    }

    fn said(&self, region: RegionId) -> Option<String> {
        self.session.region(region).map(crate::model::RegionWork::in_words)
    }

    fn findings(&self, region: RegionId) -> &[FindingKind] {
        self.session.region(region).map(|work| work.findings.as_slice()).unwrap_or(&[])
    }

    fn fill_legend(&self) -> (String, Vec<Swatch>) {
        scale_legend(self.mode)
    }
}

/// The legend of a scale: a swatch per value, and "not recorded".
fn scale_legend(mode: FillMode) -> (String, Vec<Swatch>) {
    let mut swatches: Vec<Swatch> = mode
        .range()
        .map(|value| {
            let words = mode.word(value).unwrap_or_default();
            let text = if mode == FillMode::Pain { words } else { format!("{value} {words}") };
            Swatch { fill: legend::fill_colour(mode, value), border: legend::REGION_OUTLINE, text }
        })
        .collect();
    swatches.push(Swatch {
        fill: legend::NO_ENTRY,
        border: legend::REGION_OUTLINE,
        text: "not recorded".into(),
    });
    (format!("{} scale", mode.label()), swatches)
}

/// What else a figure shows beside the values.
#[derive(Clone, Copy, Debug)]
pub struct FigureView<'a> {
    pub layers: LayerView,
    pub caution_zones: bool,
    /// Regions that carry an amber warning triangle.
    pub warned: &'a BTreeSet<RegionId>,
    /// Findings placed on the map by hand.
    pub marks: &'a [MapMark],
}

/// A filled or outlined shape of the geometry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Silhouette,
    /// By catalogue index, like [`BodyMap::regions`].
    Region(usize),
    /// By catalogue index, like [`BodyMap::caution_zones`].
    Zone(usize),
}

/// How a line is drawn: its width in points, its colour, and its dashes (dash
/// and gap, in points) if it is dashed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    pub width: f32,
    pub colour: Rgba,
    pub dash: Option<[f32; 2]>,
}

/// One thing to draw. Items are drawn in the order of the list.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Fill {
        shape: Shape,
        colour: Rgba,
    },
    /// The closed border of a shape.
    Outline {
        shape: Shape,
        line: Line,
    },
    /// A landmark line, by index into [`BodyMap::landmarks`].
    Landmark {
        index: usize,
        line: Line,
    },
    /// A finding's symbol on a disc, `size` points across, at a map point moved
    /// by `offset` points.
    Badge {
        at: [f32; 2],
        offset: [f32; 2],
        kind: FindingKind,
        size: f32,
    },
    /// "+2": findings that did not fit in a region's row of badges; `offset` is
    /// where the text's left edge and vertical centre go.
    More {
        at: [f32; 2],
        offset: [f32; 2],
        text: String,
        size: f32,
    },
    /// An amber warning triangle with a "!", `size` points across.
    Warning {
        at: [f32; 2],
        offset: [f32; 2],
        size: f32,
    },
    /// A mark placed by hand (index into the session's marks), a badge 16 points across.
    Mark {
        index: usize,
        at: [f32; 2],
        kind: FindingKind,
    },
    /// A value source's symbol (a change's ▼ or ▲) in its colour on a white disc,
    /// `size` across, at a map point moved by `offset` points.
    Symbol {
        at: [f32; 2],
        offset: [f32; 2],
        text: &'static str,
        colour: Rgba,
        size: f32,
    },
    /// A thin line from a region's place (`at`, in map space) to its symbols,
    /// moved `offset` points away where there was no room beside it.
    Leader {
        at: [f32; 2],
        offset: [f32; 2],
    },
}

/// A colour and what it means, in a legend.
#[derive(Clone, Debug, PartialEq)]
pub struct Swatch {
    pub fill: Rgba,
    pub border: Rgba,
    pub text: String,
}

/// The legend that goes with a figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Legend {
    /// "Pressure scale", and a swatch per value.
    pub fill_heading: String,
    pub fill: Vec<Swatch>,
    /// The caution zone's swatch, when zones are shown.
    pub caution_zone: Option<Swatch>,
    /// Whether any warning triangle is shown.
    pub warning: bool,
    /// The kinds of finding that appear on the map, in catalogue order.
    pub findings_shown: Vec<FindingKind>,
    /// What the paler fills of the layer shown for orientation mean, when one is.
    pub faded_layer: Option<&'static str>,
}

/// A map, ready to be painted.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The body, its regions, landmarks and zones: what a selection or a hover
    /// is drawn over.
    pub base: Vec<Item>,
    /// Badges, warnings and marks: drawn over everything else.
    pub symbols: Vec<Item>,
    /// What stands beside the client's left and right sides of the body, left first.
    pub side_labels: [&'static str; 2],
    pub legend: Legend,
    /// The layers shown, whose fills the symbols must leave visible.
    pub layers: LayerView,
}

/// The size of a finding badge under a region's label point, in points.
pub const BADGE_SIZE: f32 = 12.0;
/// A region shows at most this many badges, then "+n".
pub const MAX_BADGES: usize = 4;
/// The size of a warning triangle, in points.
pub const WARNING_SIZE: f32 = 15.0;
/// The size of a value source's symbol, in points.
pub const SYMBOL_SIZE: f32 = 14.0;
/// The size of a mark's badge, in points.
pub const MARK_SIZE: f32 = 16.0;

/// How far around the silhouette a whole-body view reaches, in map space: room
/// for the side labels and for symbols at the body's edge.
const FIT_MARGIN: f32 = 0.03;

/// What a whole-body view of `map` shows, in map space: the silhouette and a
/// margin, as its top-left and bottom-right corners.
pub fn content_in_map(map: &BodyMap) -> [[f32; 2]; 2] {
    let bounds = map.silhouette.bounds();
    [
        [bounds.min[0] - FIT_MARGIN, bounds.min[1] - FIT_MARGIN],
        [bounds.max[0] + FIT_MARGIN, bounds.max[1] + FIT_MARGIN],
    ]
}

impl Figure {
    /// The figure of `map` with each region's values from `values`.
    pub fn build(map: &BodyMap, values: &dyn RegionValues, view: &FigureView<'_>) -> Figure {
        let mut base = Vec::with_capacity(map.regions.len() * 2 + map.landmarks.len() + 8);
        base.push(Item::Fill { shape: Shape::Silhouette, colour: legend::SILHOUETTE_FILL });
        base.push(Item::Outline {
            shape: Shape::Silhouette,
            line: Line { width: 1.4, colour: legend::SILHOUETTE_OUTLINE, dash: None },
        });
        // The layer worked on is drawn at full strength; the other, for orientation, faded.
        let layers: &[(Layer, f32, f32, bool)] = match view.layers {
            LayerView::Superficial => &[(Layer::Superficial, 1.0, 1.0, false)],
            LayerView::Deep => &[(Layer::Superficial, 0.3, 0.35, true), (Layer::Deep, 1.0, 1.0, false)],
            LayerView::Both => &[(Layer::Superficial, 1.0, 1.0, false), (Layer::Deep, 0.5, 0.8, true)],
        };
        for &(layer, fill_opacity, outline_opacity, dashed) in layers {
            for (index, shape) in map.regions.iter().enumerate() {
                if shape.id.info().layer == layer {
                    let value = values.fill(shape.id);
                    // Over the surface, a deep region with nothing recorded is only
                    // its dashed outline: a fill would hide the surface's under it.
                    if view.layers == LayerView::Both && dashed && value == legend::NO_ENTRY {
                        continue;
                    }
                    base.push(Item::Fill { shape: Shape::Region(index), colour: value.faded(fill_opacity) });
                }
            }
            let line = Line {
                width: 1.0,
                colour: legend::REGION_OUTLINE.faded(outline_opacity),
                dash: dashed.then_some([5.0, 3.0]),
            };
            for (index, shape) in map.regions.iter().enumerate() {
                if shape.id.info().layer == layer {
                    base.push(Item::Outline { shape: Shape::Region(index), line });
                }
            }
        }
        for (index, landmark) in map.landmarks.iter().enumerate() {
            let (width, alpha, dash) = match landmark.kind {
                LandmarkKind::Spine => (1.8, 0.9, None),
                LandmarkKind::ScapularSpine | LandmarkKind::IliacCrest => (1.6, 0.85, None),
                LandmarkKind::ScapulaBorder => (1.2, 0.75, None),
                // The rib lies under the muscles: a dashed line.
                LandmarkKind::TwelfthRib => (1.2, 0.75, Some([6.0, 4.0])),
            };
            base.push(Item::Landmark {
                index,
                line: Line { width, colour: legend::LANDMARK.faded(alpha), dash },
            });
        }
        if view.caution_zones {
            for index in 0..map.caution_zones.len() {
                base.push(Item::Fill { shape: Shape::Zone(index), colour: legend::CAUTION_FILL });
                base.push(Item::Outline {
                    shape: Shape::Zone(index),
                    line: Line { width: 1.6, colour: legend::CAUTION_OUTLINE, dash: Some([6.0, 4.0]) },
                });
            }
        }

        let active = view.layers.active_layers();
        let mut symbols = Vec::new();
        let mut findings_shown = BTreeSet::new();
        for shape in &map.regions {
            if !active.contains(&shape.id.info().layer) {
                continue;
            }
            if let Some((text, colour)) = values.symbol(shape.id) {
                symbols.push(Item::Symbol {
                    at: shape.label_point,
                    offset: [0.0, 0.0],
                    text,
                    colour,
                    size: SYMBOL_SIZE,
                });
            }
            let findings = values.findings(shape.id);
            if findings.is_empty() {
                continue;
            }
            let at = shape.label_point;
            let shown = findings.len().min(MAX_BADGES);
            let row_width = shown as f32 * (BADGE_SIZE + 2.0);
            let mut x = -row_width / 2.0 + BADGE_SIZE / 2.0 + 1.0;
            for &kind in findings.iter().take(MAX_BADGES) {
                symbols.push(Item::Badge { at, offset: [x, BADGE_SIZE], kind, size: BADGE_SIZE });
                findings_shown.insert(kind);
                x += BADGE_SIZE + 2.0;
            }
            if findings.len() > MAX_BADGES {
                let text = format!("+{}", findings.len() - MAX_BADGES);
                symbols.push(Item::More { at, offset: [x - BADGE_SIZE / 2.0, BADGE_SIZE], text, size: 10.0 });
            }
        }
        let mut warning = false;
        for &region in view.warned {
            if active.contains(&region.info().layer) {
                let at = map.region(region).label_point;
                symbols.push(Item::Warning { at, offset: [0.0, -WARNING_SIZE * 0.9], size: WARNING_SIZE });
                warning = true;
            }
        }
        for (index, mark) in view.marks.iter().enumerate() {
            symbols.push(Item::Mark { index, at: [mark.at.x(), mark.at.y()], kind: mark.kind });
            findings_shown.insert(mark.kind);
        }

        let (fill_heading, fill) = values.fill_legend();
        let caution_zone = view.caution_zones.then(|| Swatch {
            fill: legend::CAUTION_FILL,
            border: legend::CAUTION_OUTLINE,
            text: "caution zone".into(),
        });
        let findings_shown =
            FindingKind::ALL.into_iter().filter(|kind| findings_shown.contains(kind)).collect();
        let faded_layer = match view.layers {
            LayerView::Superficial => None,
            LayerView::Deep => Some("paler: the surface, for orientation"),
            LayerView::Both => Some("paler, dashed: the deep layer"),
        };
        Figure {
            base,
            symbols,
            side_labels: [legend::CLIENT_LEFT, legend::CLIENT_RIGHT],
            legend: Legend { fill_heading, fill, caution_zone, warning, findings_shown, faded_layer },
            layers: view.layers,
        }
    }

    /// Every item, in drawing order, the symbols as they are placed at the size
    /// given (see [`Figure::placed_symbols`]).
    pub fn items_placed(&self, map: &BodyMap, scale: f32, visible: Bounds) -> Vec<Item> {
        let mut items = self.base.clone();
        items.extend(self.placed_symbols(map, scale, visible));
        items
    }

    /// The symbols placed for a map drawn at `scale` points per map unit whose
    /// visible part is `visible` (map space): none covers another or hides a
    /// fill where there is room for it, with leader lines to those moved away.
    pub fn placed_symbols(&self, map: &BodyMap, scale: f32, visible: Bounds) -> Vec<Item> {
        placement::place(&self.symbols, map, self.layers.active_layers(), scale, visible)
    }
}

pub mod placement;

#[cfg(test)]
mod tests;
