//! The body map's geometry: the outline of the body, its landmarks (spine, shoulder
//! blades, 12th ribs, iliac crests), every region of both layers and every caution
//! zone, as plain polygons in map space.
//!
//! The screen and the printer both draw from here, so this module knows nothing of
//! egui. Map space is the unit square over the posterior view: x from 0 at the
//! viewer's left (the client's left) to 1 at the right, y from 0 at the top of the
//! head down to 1. Points are `[x, y]`.
//!
//! The shapes are authored in `assets/body_map.ron` (see [`asset`] for its format),
//! embedded in the binary and turned into polygons once, by [`BodyMap::standard`].

pub mod asset;
mod curve;
mod polygon;

use std::sync::OnceLock;

pub use asset::{BodyMapError, FORMAT_VERSION};
pub use polygon::{Bounds, Polygon, simplified};

use crate::model::{CautionZoneId, Layer, RegionId, Side};

/// The body map's source, compiled into the app so that it never depends on a file
/// at run time.
const STANDARD_ASSET: &str = include_str!("../../assets/body_map.ron");

/// The geometry of the whole posterior view, in map space.
#[derive(Clone, Debug)]
pub struct BodyMap {
    /// The outline of the body: head, neck, shoulders, upper arms, trunk and buttocks.
    pub silhouette: Polygon,
    /// Triangles that fill [`BodyMap::silhouette`], as indices into its points.
    pub silhouette_triangles: Vec<[u32; 3]>,
    /// Bony landmarks drawn over the body to help find one's way.
    pub landmarks: Vec<Landmark>,
    /// Every region of the catalogue, in catalogue order ([`crate::model::REGIONS`]).
    pub regions: Vec<RegionShape>,
    /// Every caution zone, in catalogue order ([`crate::model::CAUTION_ZONES`]).
    pub caution_zones: Vec<ZoneShape>,
    /// For each region (by catalogue index), the caution zones whose area it overlaps.
    zones_by_region: Vec<Vec<CautionZoneId>>,
}

/// What a landmark line marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize)]
pub enum LandmarkKind {
    /// The line of the spinous processes, C7 to L5, and on down the sacrum.
    Spine,
    /// The outline of a shoulder blade (scapula).
    ScapulaBorder,
    /// The spine of a shoulder blade, from its root at the medial border to the acromion.
    ScapularSpine,
    /// The 12th rib, from the spine out to its free tip.
    TwelfthRib,
    /// The iliac crest, from the posterior superior iliac spine out along the top of the hip bone.
    IliacCrest,
}

/// A landmark line: a polyline in map space.
#[derive(Clone, Debug, PartialEq)]
pub struct Landmark {
    pub kind: LandmarkKind,
    /// The client's side the landmark is on; the spine is on the midline.
    pub side: Side,
    /// The line's points, in map space.
    pub points: Vec<[f32; 2]>,
    /// Whether the line returns from its last point to its first.
    pub closed: bool,
}

/// The shape of one region, in map space.
#[derive(Clone, Debug)]
pub struct RegionShape {
    pub id: RegionId,
    /// The region's border. Regions of one layer share borders exactly where they meet.
    pub outline: Polygon,
    /// A point well inside the shape, where a label or a badge goes.
    pub label_point: [f32; 2],
    /// Triangles that fill the outline, as indices into its points.
    pub triangles: Vec<[u32; 3]>,
    /// Points spread evenly over the region, to judge how much of its fill
    /// something drawn over it hides.
    pub samples: Vec<[f32; 2]>,
}

/// The shape of one caution zone, in map space. Zones lie over the regions.
#[derive(Clone, Debug)]
pub struct ZoneShape {
    pub id: CautionZoneId,
    /// The zone's border.
    pub outline: Polygon,
    /// A point well inside the shape, where a label or a symbol goes.
    pub label_point: [f32; 2],
    /// Triangles that fill the outline, as indices into its points.
    pub triangles: Vec<[u32; 3]>,
    /// Points spread evenly over the zone, like a region's.
    pub samples: Vec<[f32; 2]>,
}

/// Two shapes overlap when they share more than this much area (in map space, so
/// about a 3 × 3 mm patch of skin): enough to ignore shapes that merely touch.
const MIN_OVERLAP_AREA: f32 = 1.0e-5;

static STANDARD: OnceLock<Result<BodyMap, BodyMapError>> = OnceLock::new();

impl BodyMap {
    /// The body map shipped with the app, built on first use.
    ///
    /// It fails only if the embedded asset is broken, which the tests rule out; the
    /// caller that can tell the user decides what to show then.
    pub fn standard() -> Result<&'static BodyMap, &'static BodyMapError> {
        STANDARD.get_or_init(|| BodyMap::from_ron(STANDARD_ASSET)).as_ref()
    }

    /// Builds a body map from the text of a body map asset (the format of
    /// `assets/body_map.ron`).
    pub fn from_ron(text: &str) -> Result<BodyMap, BodyMapError> {
        let built = asset::build(text)?;
        let regions: Vec<RegionShape> = built
            .regions
            .into_iter()
            .map(|(id, outline)| {
                let (label_point, triangles) = fill(&outline);
                let samples = samples_in(&outline);
                RegionShape { id, outline, label_point, triangles, samples }
            })
            .collect();
        let caution_zones: Vec<ZoneShape> = built
            .zones
            .into_iter()
            .map(|(id, outline)| {
                let (label_point, triangles) = fill(&outline);
                let samples = samples_in(&outline);
                ZoneShape { id, outline, label_point, triangles, samples }
            })
            .collect();
        let zones_by_region = regions
            .iter()
            .map(|region| {
                caution_zones
                    .iter()
                    .filter(|zone| {
                        polygon::overlap_area(
                            &region.outline,
                            &region.triangles,
                            &zone.outline,
                            &zone.triangles,
                        ) > MIN_OVERLAP_AREA
                    })
                    .map(|zone| zone.id)
                    .collect()
            })
            .collect();
        let silhouette_triangles = built.silhouette.triangulate();
        Ok(BodyMap {
            silhouette: built.silhouette,
            silhouette_triangles,
            landmarks: built.landmarks,
            regions,
            caution_zones,
            zones_by_region,
        })
    }

    /// The region of `layer` under a point, if any: what a click there selects.
    ///
    /// Regions of one layer do not overlap, so there is at most one; a point right on
    /// a shared border belongs to either neighbour.
    pub fn region_at(&self, pos_in_map: [f32; 2], layer: Layer) -> Option<RegionId> {
        self.regions
            .iter()
            .filter(|shape| shape.id.info().layer == layer)
            .find(|shape| shape.outline.contains(pos_in_map))
            .map(|shape| shape.id)
    }

    /// The shape of a region.
    pub fn region(&self, id: RegionId) -> &RegionShape {
        // Building the map checked that every region has its shape, in catalogue order.
        &self.regions[id as usize]
    }

    /// The shape of a caution zone.
    pub fn zone(&self, id: CautionZoneId) -> &ZoneShape {
        // Building the map checked that every zone has its shape, in catalogue order.
        &self.caution_zones[id as usize]
    }

    /// The caution zones a region overlaps by more than a sliver of area: the zones
    /// whose rules apply to the pressure planned for the region.
    pub fn zones_overlapping(&self, region: RegionId) -> Vec<CautionZoneId> {
        self.zones_by_region[region as usize].clone()
    }

    /// The area, in map space, that a region and a caution zone share: each pair of
    /// their triangles is clipped against each other, which is exact because triangles
    /// are convex. Zero when they only touch or lie apart.
    pub fn shared_area(&self, region: RegionId, zone: CautionZoneId) -> f32 {
        let (region, zone) = (self.region(region), self.zone(zone));
        polygon::overlap_area(&region.outline, &region.triangles, &zone.outline, &zone.triangles)
    }
}

/// The label point and the triangles of an outline.
/// A grid of points over `outline`'s box, those inside it.
fn samples_in(outline: &Polygon) -> Vec<[f32; 2]> {
    const STEPS: usize = 10;
    let Bounds { min, max } = outline.bounds();
    let step = [(max[0] - min[0]) / STEPS as f32, (max[1] - min[1]) / STEPS as f32];
    (0..STEPS)
        .flat_map(|i| {
            (0..STEPS)
                .map(move |j| [min[0] + (i as f32 + 0.5) * step[0], min[1] + (j as f32 + 0.5) * step[1]])
        })
        .filter(|point| outline.contains(*point))
        .collect()
}

fn fill(outline: &Polygon) -> ([f32; 2], Vec<[u32; 3]>) {
    (outline.pole_of_inaccessibility(), outline.triangulate())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_asset_parses() {
        let map = BodyMap::from_ron(STANDARD_ASSET).unwrap();
        assert_eq!(map.regions.len(), crate::model::REGIONS.len());
    }
}
