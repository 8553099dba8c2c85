//! Where a figure's symbols go at one size, so that none covers another and none
//! hides a region's fill.
//!
//! Symbols keep their size in points while the map grows and shrinks, so where
//! they fit depends on the size the map is drawn at: the screen, the paper and
//! the history maps each ask for their own size, and get the same answer for
//! the same size. A region's symbols (its ▼ or ▲, its warning, its row of
//! badges) move together, as one cluster: first where they belong, then a
//! little along the region, then further out, over empty paper or a region they
//! would not hide, with a leader line back to the region. Marks stay where the
//! therapist put them; everything else keeps clear of them.

use crate::geometry::{BodyMap, Bounds, Polygon};
use crate::model::{Layer, Side};

use super::{Item, MARK_SIZE};

/// The room kept between two symbols, in points.
const GAP: f32 = 1.5;
/// The most of a region's fill that symbols may cover.
const MAX_COVERED: f32 = 0.45;
/// A cluster moved further than this from its place, in points, gets a leader line.
const LEADER_FROM: f32 = 9.0;
/// The distances tried around a cluster's place, in points, nearest first.
const RINGS: [f32; 12] = [2.5, 5.0, 8.0, 11.0, 15.0, 20.0, 26.0, 33.0, 41.0, 50.0, 62.0, 76.0];
/// The directions tried on each ring.
const DIRECTIONS: usize = 16;

/// A box in points on the painter's surface: centre and half sizes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SymbolBox {
    pub centre: [f32; 2],
    pub half: [f32; 2],
}

impl SymbolBox {
    fn moved(self, by: [f32; 2]) -> SymbolBox {
        SymbolBox { centre: [self.centre[0] + by[0], self.centre[1] + by[1]], ..self }
    }

    /// Whether the two boxes come closer than `gap`.
    pub fn overlaps(&self, other: &SymbolBox, gap: f32) -> bool {
        (self.centre[0] - other.centre[0]).abs() < self.half[0] + other.half[0] + gap
            && (self.centre[1] - other.centre[1]).abs() < self.half[1] + other.half[1] + gap
    }

    fn contains(&self, point: [f32; 2]) -> bool {
        (point[0] - self.centre[0]).abs() <= self.half[0] && (point[1] - self.centre[1]).abs() <= self.half[1]
    }

    fn inside(&self, area: &SymbolBox) -> bool {
        (self.centre[0] - area.centre[0]).abs() + self.half[0] <= area.half[0]
            && (self.centre[1] - area.centre[1]).abs() + self.half[1] <= area.half[1]
    }
}

/// The box an item covers, in points, for a map drawn at `scale` points per map unit.
pub fn box_of(item: &Item, scale: f32) -> Option<SymbolBox> {
    let to_points = |at: [f32; 2], offset: [f32; 2]| [at[0] * scale + offset[0], at[1] * scale + offset[1]];
    let square = |centre, size: f32| SymbolBox { centre, half: [size / 2.0, size / 2.0] };
    match item {
        Item::Badge { at, offset, size, .. } => Some(square(to_points(*at, *offset), *size)),
        Item::Warning { at, offset, size } => Some(square(to_points(*at, *offset), *size)),
        Item::Symbol { at, offset, size, .. } => Some(square(to_points(*at, *offset), size * 1.24)),
        Item::Mark { at, .. } => Some(square(to_points(*at, [0.0, 0.0]), MARK_SIZE)),
        Item::More { at, offset, text, size } => {
            let width = text.chars().count() as f32 * size * 0.6;
            let [x, y] = to_points(*at, *offset);
            Some(SymbolBox { centre: [x + width / 2.0, y], half: [width / 2.0, size / 2.0] })
        }
        _ => None,
    }
}

/// One region's symbols, moved together.
struct Cluster {
    /// Indices into the symbols.
    members: Vec<usize>,
    /// The region they belong to, by catalogue index into [`BodyMap::regions`].
    region: Option<usize>,
    /// Where they point, in map space.
    anchor: [f32; 2],
}

/// `symbols` (a figure's) placed for a map drawn at `scale` points per map unit
/// whose visible part is `visible` (in map space): the same items with their
/// offsets moved, and a leader line before each cluster moved away from its region.
pub fn place(symbols: &[Item], map: &BodyMap, layers: &[Layer], scale: f32, visible: Bounds) -> Vec<Item> {
    let mut items: Vec<Item> = symbols.to_vec();
    if !(scale.is_finite() && scale > 0.0) {
        return items;
    }
    let region_of = |at: [f32; 2]| map.regions.iter().position(|shape| shape.label_point == at);
    let mut placed: Vec<SymbolBox> = Vec::new();
    let mut clusters: Vec<Cluster> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let anchor = match item {
            Item::Mark { .. } => {
                placed.extend(box_of(item, scale));
                continue;
            }
            Item::Badge { at, .. }
            | Item::Warning { at, .. }
            | Item::Symbol { at, .. }
            | Item::More { at, .. } => *at,
            _ => continue,
        };
        match clusters.iter_mut().find(|cluster| cluster.anchor == anchor) {
            Some(cluster) => cluster.members.push(index),
            None => clusters.push(Cluster { members: vec![index], region: region_of(anchor), anchor }),
        }
    }
    let area = SymbolBox {
        centre: [
            (visible.min[0] + visible.max[0]) / 2.0 * scale,
            (visible.min[1] + visible.max[1]) / 2.0 * scale,
        ],
        half: [
            (visible.max[0] - visible.min[0]) / 2.0 * scale,
            (visible.max[1] - visible.min[1]) / 2.0 * scale,
        ],
    };
    let fills = Fills::new(map, scale, layers);
    let silhouette = map.silhouette.bounds();
    let midline = (silhouette.min[0] + silhouette.max[0]) / 2.0 * scale;
    let mut leaders = Vec::new();
    for cluster in &clusters {
        let boxes: Vec<SymbolBox> =
            cluster.members.iter().filter_map(|&index| box_of(&items[index], scale)).collect();
        let own = cluster.region;
        let side = own.and_then(|index| map.regions.get(index)).map(|shape| shape.id.info().side);
        let anchor = [cluster.anchor[0] * scale, cluster.anchor[1] * scale];
        let fits =
            |shift: [f32; 2], along_own: bool, keep_fills: bool, strict: bool, placed: &[SymbolBox]| {
                let moved: Vec<SymbolBox> = boxes.iter().map(|b| b.moved(shift)).collect();
                if !moved.iter().all(|b| b.inside(&area)) {
                    return false;
                }
                if moved.iter().any(|b| placed.iter().any(|other| b.overlaps(other, GAP))) {
                    return false;
                }
                // A side's symbols stay on its side of the spine.
                let crosses = |b: &SymbolBox| match side {
                    Some(Side::Left) => b.centre[0] + b.half[0] > midline,
                    Some(Side::Right) => b.centre[0] - b.half[0] < midline,
                    _ => false,
                };
                if strict && moved.iter().any(crosses) {
                    return false;
                }
                if along_own
                    && own.is_some_and(|region| moved.iter().any(|b| !fills.within(region, b.centre)))
                {
                    return false;
                }
                // A leader line to symbols moved away does not run under other symbols.
                if strict
                    && shift[0].hypot(shift[1]) > LEADER_FROM
                    && let Some(nearest) = nearest_to(&moved, anchor)
                    && placed.iter().any(|other| segment_meets(anchor, nearest.centre, other))
                {
                    return false;
                }
                !keep_fills || fills.left_visible(&moved, placed)
            };
        let candidates = std::iter::once([0.0, 0.0]).chain(RINGS.iter().flat_map(|&radius| {
            (0..DIRECTIONS).map(move |step| {
                // Down first (where badges belong), then either side, then up.
                let angle = std::f32::consts::PI / 2.0
                    + (step as f32 / 2.0).ceil()
                        * if step % 2 == 0 { 1.0 } else { -1.0 }
                        * std::f32::consts::TAU
                        / DIRECTIONS as f32;
                [radius * angle.cos(), radius * angle.sin()]
            })
        }));
        let candidates: Vec<[f32; 2]> = candidates.collect();
        let near = candidates.iter().copied().filter(|shift| shift[0].hypot(shift[1]) <= 15.0);
        // Nearest first along the region; then anywhere near enough to be read
        // as its own; then over a fill rather than over another symbol; then
        // further out on a crowded small map.
        let further = (1..=8).flat_map(|ring| {
            (0..DIRECTIONS * 2).map(move |step| {
                let radius = RINGS[RINGS.len() - 1] + 12.0 * ring as f32;
                let angle = step as f32 * std::f32::consts::TAU / (DIRECTIONS * 2) as f32;
                [radius * angle.cos(), radius * angle.sin()]
            })
        });
        let chosen = near
            .clone()
            .find(|shift| fits(*shift, true, true, true, &placed))
            .or_else(|| candidates.iter().copied().find(|shift| fits(*shift, false, true, true, &placed)))
            .or_else(|| candidates.iter().copied().find(|shift| fits(*shift, false, false, true, &placed)))
            .or_else(|| further.clone().find(|shift| fits(*shift, false, false, true, &placed)))
            .or_else(|| {
                candidates
                    .iter()
                    .copied()
                    .chain(further.clone())
                    .find(|shift| fits(*shift, false, false, false, &placed))
            })
            .unwrap_or([0.0, 0.0]);
        for &index in &cluster.members {
            shift_item(&mut items[index], chosen);
        }
        placed.extend(boxes.iter().map(|b| b.moved(chosen)));
        if chosen[0].hypot(chosen[1]) > LEADER_FROM {
            // The line ends at the cluster's nearest box, on its edge.
            let target = boxes
                .iter()
                .map(|b| b.moved(chosen))
                .min_by(|a, b| {
                    let distance = |x: &SymbolBox| {
                        (x.centre[0] - cluster.anchor[0] * scale)
                            .hypot(x.centre[1] - cluster.anchor[1] * scale)
                    };
                    distance(a).total_cmp(&distance(b))
                })
                .map(|b| [b.centre[0] - cluster.anchor[0] * scale, b.centre[1] - cluster.anchor[1] * scale]);
            if let Some(offset) = target {
                leaders.push(Item::Leader { at: cluster.anchor, offset });
            }
        }
    }
    leaders.extend(items);
    leaders
}

/// The box of `boxes` nearest to `point`.
fn nearest_to(boxes: &[SymbolBox], point: [f32; 2]) -> Option<SymbolBox> {
    boxes.iter().copied().min_by(|a, b| {
        let distance = |x: &SymbolBox| (x.centre[0] - point[0]).hypot(x.centre[1] - point[1]);
        distance(a).total_cmp(&distance(b))
    })
}

/// Whether the segment from `from` to `to` passes through `target` (sampled finely).
fn segment_meets(from: [f32; 2], to: [f32; 2], target: &SymbolBox) -> bool {
    const STEPS: usize = 24;
    (0..=STEPS).any(|step| {
        let t = step as f32 / STEPS as f32;
        target.contains([from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t])
    })
}

/// A fingerprint of what [`place`] is asked: the symbols, the size and the
/// visible part. A painter that draws the same map frame after frame keeps the
/// placement under it instead of searching again.
pub fn fingerprint(symbols: &[Item], scale: f32, visible: Bounds) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let floats = |values: &[f32], hasher: &mut std::collections::hash_map::DefaultHasher| {
        for value in values {
            value.to_bits().hash(hasher);
        }
    };
    floats(&[scale, visible.min[0], visible.min[1], visible.max[0], visible.max[1]], &mut hasher);
    for item in symbols {
        std::mem::discriminant(item).hash(&mut hasher);
        match item {
            Item::Badge { at, offset, kind, size } => {
                floats(&[at[0], at[1], offset[0], offset[1], *size], &mut hasher);
                kind.hash(&mut hasher);
            }
            Item::More { at, offset, text, size } => {
                floats(&[at[0], at[1], offset[0], offset[1], *size], &mut hasher);
                text.hash(&mut hasher);
            }
            Item::Warning { at, offset, size } => {
                floats(&[at[0], at[1], offset[0], offset[1], *size], &mut hasher)
            }
            Item::Mark { index, at, kind } => {
                floats(&[at[0], at[1]], &mut hasher);
                (index, kind).hash(&mut hasher);
            }
            Item::Symbol { at, offset, text, colour, size } => {
                floats(&[at[0], at[1], offset[0], offset[1], *size], &mut hasher);
                (text, colour).hash(&mut hasher);
            }
            Item::Leader { at, offset } => floats(&[at[0], at[1], offset[0], offset[1]], &mut hasher),
            Item::Fill { .. } | Item::Outline { .. } | Item::Landmark { .. } => {
                format!("{item:?}").hash(&mut hasher)
            }
        }
    }
    hasher.finish()
}

fn shift_item(item: &mut Item, by: [f32; 2]) {
    match item {
        Item::Badge { offset, .. }
        | Item::Warning { offset, .. }
        | Item::Symbol { offset, .. }
        | Item::More { offset, .. } => {
            offset[0] += by[0];
            offset[1] += by[1];
        }
        _ => {}
    }
}

/// The regions' sample points in points, to judge how much of each fill the
/// symbols leave visible.
struct Fills<'m> {
    /// Per region: its box, its sample points (in points) and its outline; the
    /// regions of a layer not shown have no samples.
    regions: Vec<(SymbolBox, Vec<[f32; 2]>, &'m Polygon)>,
    scale: f32,
}

impl<'m> Fills<'m> {
    fn new(map: &'m BodyMap, scale: f32, layers: &[Layer]) -> Fills<'m> {
        let mut regions: Vec<(SymbolBox, Vec<[f32; 2]>, &'m Polygon)> = map
            .regions
            .iter()
            .map(|shape| {
                let shown = layers.contains(&shape.id.info().layer);
                let Bounds { min, max } = shape.outline.bounds();
                let area = SymbolBox {
                    centre: [(min[0] + max[0]) / 2.0 * scale, (min[1] + max[1]) / 2.0 * scale],
                    half: [(max[0] - min[0]) / 2.0 * scale, (max[1] - min[1]) / 2.0 * scale],
                };
                let samples = if shown {
                    shape.samples.iter().map(|p| [p[0] * scale, p[1] * scale]).collect()
                } else {
                    Vec::new()
                };
                (area, samples, &shape.outline)
            })
            .collect();
        // The caution zones too: a badge on the spine's strip hides the warning it is.
        for zone in &map.caution_zones {
            let Bounds { min, max } = zone.outline.bounds();
            let area = SymbolBox {
                centre: [(min[0] + max[0]) / 2.0 * scale, (min[1] + max[1]) / 2.0 * scale],
                half: [(max[0] - min[0]) / 2.0 * scale, (max[1] - min[1]) / 2.0 * scale],
            };
            let samples = zone.samples.iter().map(|p| [p[0] * scale, p[1] * scale]).collect();
            regions.push((area, samples, &zone.outline));
        }
        Fills { regions, scale }
    }

    /// Whether `point` (in points) lies inside region `index`.
    fn within(&self, index: usize, point: [f32; 2]) -> bool {
        self.regions
            .get(index)
            .is_some_and(|(_, _, outline)| outline.contains([point[0] / self.scale, point[1] / self.scale]))
    }

    /// Whether every region the new boxes touch still shows enough of its fill
    /// with them and the ones already placed.
    fn left_visible(&self, new: &[SymbolBox], placed: &[SymbolBox]) -> bool {
        self.regions.iter().all(|(area, samples, _)| {
            if !new.iter().any(|b| b.overlaps(area, 0.0)) || samples.is_empty() {
                return true;
            }
            let covered =
                samples.iter().filter(|point| new.iter().chain(placed).any(|b| b.contains(**point))).count();
            covered as f32 <= samples.len() as f32 * MAX_COVERED
        })
    }
}
