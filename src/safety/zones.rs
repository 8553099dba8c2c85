//! Which caution zones a region lies over, by how much of the region's area the
//! zone covers (see [`super::MIN_ZONE_SHARE`] for why a share, not any contact).

use crate::geometry::{BodyMap, Polygon, RegionShape, ZoneShape};
use crate::model::{CautionZoneId, REGIONS, RegionId};

use super::rules::MIN_ZONE_SHARE;

/// For every region, the caution zones it lies over and those it only touches.
#[derive(Clone, Debug)]
pub(super) struct ZoneCover {
    /// By catalogue index: the zones covering at least [`MIN_ZONE_SHARE`] of the region.
    over: Vec<Vec<CautionZoneId>>,
    /// By catalogue index: the zones the body map says the region overlaps, but by less.
    touching: Vec<Vec<CautionZoneId>>,
}

impl ZoneCover {
    pub(super) fn of(map: &BodyMap) -> ZoneCover {
        let mut cover =
            ZoneCover { over: vec![Vec::new(); REGIONS.len()], touching: vec![Vec::new(); REGIONS.len()] };
        for info in REGIONS {
            let region = map.region(info.id);
            let area = region.outline.area();
            // The map has already ruled out zones that share no more than a sliver.
            for zone in map.zones_overlapping(info.id) {
                let share = if area > 0.0 { shared_area(region, map.zone(zone)) / area } else { 0.0 };
                let list = if share >= MIN_ZONE_SHARE { &mut cover.over } else { &mut cover.touching };
                list[info.id as usize].push(zone);
            }
        }
        cover
    }

    pub(super) fn over(&self, region: RegionId) -> &[CautionZoneId] {
        self.over.get(region as usize).map_or(&[], Vec::as_slice)
    }

    pub(super) fn touching(&self, region: RegionId) -> &[CautionZoneId] {
        self.touching.get(region as usize).map_or(&[], Vec::as_slice)
    }
}

/// The area a region and a zone share, from their triangles: each pair is
/// clipped against each other, which is exact because triangles are convex.
///
/// The geometry computes the same for `zones_overlapping`, but keeps it private
/// to its module; if `BodyMap` ever offers the shared area, this goes.
fn shared_area(region: &RegionShape, zone: &ZoneShape) -> f32 {
    let region_triangles = triangles(&region.outline, &region.triangles);
    let zone_triangles = triangles(&zone.outline, &zone.triangles);
    let mut total = 0.0;
    for (a, a_box) in &region_triangles {
        for (b, b_box) in &zone_triangles {
            if boxes_meet(a_box, b_box) {
                let clipped = clip_to_triangle(a, *b);
                if clipped.len() >= 3 {
                    total += Polygon::new(clipped).area();
                }
            }
        }
    }
    total
}

type Triangle = [[f32; 2]; 3];
type Box2 = ([f32; 2], [f32; 2]);

/// The corners of each triangle, with its bounding box.
fn triangles(outline: &Polygon, indices: &[[u32; 3]]) -> Vec<(Triangle, Box2)> {
    let points = outline.points();
    indices
        .iter()
        .filter_map(|t| {
            let corner = |i: u32| points.get(i as usize).copied();
            let triangle = [corner(t[0])?, corner(t[1])?, corner(t[2])?];
            let min = [0, 1].map(|axis| triangle.iter().map(|p| p[axis]).fold(f32::INFINITY, f32::min));
            let max = [0, 1].map(|axis| triangle.iter().map(|p| p[axis]).fold(f32::NEG_INFINITY, f32::max));
            Some((triangle, (min, max)))
        })
        .collect()
}

fn boxes_meet(a: &Box2, b: &Box2) -> bool {
    a.0[0] <= b.1[0] && b.0[0] <= a.1[0] && a.0[1] <= b.1[1] && b.0[1] <= a.1[1]
}

/// The part of a convex polygon inside a triangle (Sutherland–Hodgman clipping).
fn clip_to_triangle(subject: &[[f32; 2]], triangle: Triangle) -> Vec<[f32; 2]> {
    let cross =
        |a: [f32; 2], b: [f32; 2], p: [f32; 2]| (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    // Which side of an edge counts as inside depends on the triangle's winding.
    let winding = cross(triangle[0], triangle[1], triangle[2]).signum();
    let mut output = subject.to_vec();
    for i in 0..3 {
        let (a, b) = (triangle[i], triangle[(i + 1) % 3]);
        let side = |p: [f32; 2]| winding * cross(a, b, p);
        let input = std::mem::take(&mut output);
        for j in 0..input.len() {
            let (p, q) = (input[j], input[(j + 1) % input.len()]);
            let (sp, sq) = (side(p), side(q));
            if sp >= 0.0 {
                output.push(p);
            }
            if (sp >= 0.0) != (sq >= 0.0) {
                let t = sp / (sp - sq);
                output.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
            }
        }
        if output.is_empty() {
            break;
        }
    }
    output
}
