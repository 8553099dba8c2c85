//! Closed polygons in map space, and what the map needs of them: hit tests, area,
//! a point well inside for labels, triangles for filling, and the area two shapes share.

/// An axis-aligned box in map space.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub min: [f32; 2],
    pub max: [f32; 2],
}

impl Bounds {
    fn around(points: &[[f32; 2]]) -> Bounds {
        let mut bounds = Bounds { min: [f32::INFINITY; 2], max: [f32::NEG_INFINITY; 2] };
        for &[x, y] in points {
            bounds.min = [bounds.min[0].min(x), bounds.min[1].min(y)];
            bounds.max = [bounds.max[0].max(x), bounds.max[1].max(y)];
        }
        bounds
    }

    /// Whether the point lies in the box or on its edge.
    pub fn contains(&self, pos: [f32; 2]) -> bool {
        (self.min[0]..=self.max[0]).contains(&pos[0]) && (self.min[1]..=self.max[1]).contains(&pos[1])
    }

    /// Whether the two boxes share any point.
    pub fn intersects(&self, other: &Bounds) -> bool {
        self.min[0] <= other.max[0]
            && other.min[0] <= self.max[0]
            && self.min[1] <= other.max[1]
            && other.min[1] <= self.max[1]
    }
}

/// A closed outline in map space: the last point joins back to the first.
///
/// The points run clockwise as seen on the screen (y down), which makes the
/// shoelace area positive.
#[derive(Clone, Debug, PartialEq)]
pub struct Polygon {
    points: Vec<[f32; 2]>,
    bounds: Bounds,
}

impl Polygon {
    /// A polygon through `points`, turned clockwise if they ran the other way.
    pub fn new(mut points: Vec<[f32; 2]>) -> Polygon {
        if signed_area(&points) < 0.0 {
            points.reverse();
        }
        let bounds = Bounds::around(&points);
        Polygon { points, bounds }
    }

    pub fn points(&self) -> &[[f32; 2]] {
        &self.points
    }

    pub fn bounds(&self) -> Bounds {
        self.bounds
    }

    /// The outline's edges, each as its two ends.
    pub fn edges(&self) -> impl Iterator<Item = ([f32; 2], [f32; 2])> + '_ {
        let n = self.points.len();
        (0..n).map(move |i| (self.points[i], self.points[(i + 1) % n]))
    }

    /// The enclosed area, in map space.
    pub fn area(&self) -> f32 {
        signed_area(&self.points).abs()
    }

    /// Whether the point lies inside. A point exactly on the outline may count
    /// either way.
    pub fn contains(&self, pos_in_map: [f32; 2]) -> bool {
        if !self.bounds.contains(pos_in_map) {
            return false;
        }
        let [x, y] = pos_in_map;
        let mut inside = false;
        for (a, b) in self.edges() {
            if (a[1] > y) != (b[1] > y) {
                let x_at_y = a[0] + (y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
                if x < x_at_y {
                    inside = !inside;
                }
            }
        }
        inside
    }

    /// The distance from the point to the nearest point of the outline.
    pub fn distance_to_outline(&self, pos_in_map: [f32; 2]) -> f32 {
        self.edges()
            .map(|(a, b)| distance_squared_to_segment(pos_in_map, a, b))
            .fold(f32::INFINITY, f32::min)
            .sqrt()
    }

    /// The inside point farthest from the outline (the "pole of inaccessibility"),
    /// found to within a small fraction of the shape's size: where a label sits best.
    pub fn pole_of_inaccessibility(&self) -> [f32; 2] {
        // A coarse grid finds the widest part of the shape; finer and finer grids
        // around the best point so far then close in on its centre.
        const GRID: usize = 16;
        let Bounds { min, max } = self.bounds;
        let mut step = [(max[0] - min[0]) / GRID as f32, (max[1] - min[1]) / GRID as f32];
        let mut best = self.points.first().copied().unwrap_or([0.5, 0.5]);
        let mut best_clearance_squared = f32::NEG_INFINITY;
        let consider = |pos: [f32; 2], best: &mut [f32; 2], best_clearance_squared: &mut f32| {
            if !self.contains(pos) {
                return;
            }
            let mut clearance_squared = f32::INFINITY;
            for (a, b) in self.edges() {
                clearance_squared = clearance_squared.min(distance_squared_to_segment(pos, a, b));
                // Most candidates lose early: stop as soon as this one cannot win.
                if clearance_squared <= *best_clearance_squared {
                    return;
                }
            }
            *best = pos;
            *best_clearance_squared = clearance_squared;
        };
        for i in 0..GRID {
            for j in 0..GRID {
                let pos = [min[0] + (i as f32 + 0.5) * step[0], min[1] + (j as f32 + 0.5) * step[1]];
                consider(pos, &mut best, &mut best_clearance_squared);
            }
        }
        for _ in 0..8 {
            step = [step[0] * 0.5, step[1] * 0.5];
            let centre = best;
            for i in -2..=2 {
                for j in -2..=2 {
                    let pos = [centre[0] + i as f32 * step[0], centre[1] + j as f32 * step[1]];
                    consider(pos, &mut best, &mut best_clearance_squared);
                }
            }
        }
        best
    }

    /// Triangles that exactly fill the outline (which may be concave), as indices
    /// into its points; empty only for a degenerate outline.
    pub fn triangulate(&self) -> Vec<[u32; 3]> {
        let flat: Vec<f64> = self.points.iter().flat_map(|p| [f64::from(p[0]), f64::from(p[1])]).collect();
        let Ok(indices) = earcutr::earcut(&flat, &[], 2) else {
            return Vec::new();
        };
        indices.chunks_exact(3).map(|t| [t[0] as u32, t[1] as u32, t[2] as u32]).collect()
    }
}

/// The shoelace area: positive when the points run clockwise on the screen (y down).
fn signed_area(points: &[[f32; 2]]) -> f32 {
    let n = points.len();
    let twice: f64 = (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            f64::from(a[0]) * f64::from(b[1]) - f64::from(b[0]) * f64::from(a[1])
        })
        .sum();
    (twice / 2.0) as f32
}

/// `points` without those that lie within `tolerance` of the line through the
/// points kept around them (Ramer–Douglas–Peucker): the first and last are
/// always kept, and so is every corner that shows. For a line drawn far finer
/// than it is seen, as the map's outlines are on paper.
pub fn simplified(points: &[[f32; 2]], tolerance: f32) -> Vec<[f32; 2]> {
    let Some(last) = points.len().checked_sub(1) else { return Vec::new() };
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[last] = true;
    let mut spans = vec![(0, last)];
    while let Some((first, last)) = spans.pop() {
        let farthest = (first + 1..last)
            .map(|index| (index, distance_squared_to_segment(points[index], points[first], points[last])))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((index, distance_squared)) = farthest
            && distance_squared > tolerance * tolerance
        {
            keep[index] = true;
            spans.push((first, index));
            spans.push((index, last));
        }
    }
    points.iter().zip(keep).filter(|(_, kept)| *kept).map(|(point, _)| *point).collect()
}

fn distance_squared_to_segment(p: [f32; 2], a: [f32; 2], b: [f32; 2]) -> f32 {
    let ab = [b[0] - a[0], b[1] - a[1]];
    let ap = [p[0] - a[0], p[1] - a[1]];
    let length_squared = ab[0] * ab[0] + ab[1] * ab[1];
    let t = if length_squared > 0.0 {
        ((ap[0] * ab[0] + ap[1] * ab[1]) / length_squared).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let nearest = [a[0] + t * ab[0], a[1] + t * ab[1]];
    (p[0] - nearest[0]).powi(2) + (p[1] - nearest[1]).powi(2)
}

/// The area two filled shapes share, from their triangles: each pair of triangles
/// is clipped against each other, which is exact because triangles are convex.
pub(crate) fn overlap_area(
    a: &Polygon,
    a_triangles: &[[u32; 3]],
    b: &Polygon,
    b_triangles: &[[u32; 3]],
) -> f32 {
    if !a.bounds.intersects(&b.bounds) {
        return 0.0;
    }
    let corners = |polygon: &Polygon, t: &[u32; 3]| t.map(|i| polygon.points[i as usize]);
    let mut total = 0.0;
    for ta in a_triangles {
        let ta = corners(a, ta);
        let ta_bounds = Bounds::around(&ta);
        if !ta_bounds.intersects(&b.bounds) {
            continue;
        }
        for tb in b_triangles {
            let tb = corners(b, tb);
            if ta_bounds.intersects(&Bounds::around(&tb)) {
                total += signed_area(&clip_to_triangle(&ta, tb)).abs();
            }
        }
    }
    total
}

/// The part of a convex polygon inside a triangle (Sutherland–Hodgman clipping).
fn clip_to_triangle(subject: &[[f32; 2]], triangle: [[f32; 2]; 3]) -> Vec<[f32; 2]> {
    // Which side of an edge counts as inside depends on the triangle's winding.
    let winding = signed_area(&triangle).signum();
    let mut output = subject.to_vec();
    for i in 0..3 {
        let (a, b) = (triangle[i], triangle[(i + 1) % 3]);
        let side = |p: [f32; 2]| winding * ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A quarter circle of radius 50 pt through a point every degree, as the map's outlines are drawn.
    fn quarter_circle() -> Vec<[f32; 2]> {
        (0..=90)
            .map(|degree| {
                let angle = (degree as f32).to_radians();
                [50.0 * angle.cos(), 50.0 * angle.sin()]
            })
            .collect()
    }

    /// The tolerance the printed map is drawn with.
    const PRINT_TOLERANCE: f32 = 0.05;

    #[test]
    fn a_smooth_outline_keeps_few_points_and_stays_within_the_tolerance() {
        let curve = quarter_circle();
        let kept = simplified(&curve, PRINT_TOLERANCE);
        assert!(kept.len() < curve.len() / 3, "{} of {} points kept", kept.len(), curve.len());
        assert_eq!(kept.first(), curve.first());
        assert_eq!(kept.last(), curve.last());
        for point in &curve {
            let nearest = kept
                .windows(2)
                .map(|pair| distance_squared_to_segment(*point, pair[0], pair[1]).sqrt())
                .fold(f32::INFINITY, f32::min);
            assert!(nearest <= PRINT_TOLERANCE, "{point:?} moved by {nearest}");
        }
    }

    #[test]
    fn corners_and_short_paths_are_kept() {
        let square = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        assert_eq!(simplified(&square, PRINT_TOLERANCE), square.to_vec());
        assert_eq!(simplified(&[[1.0, 2.0]], PRINT_TOLERANCE), vec![[1.0, 2.0]]);
        assert!(simplified(&[], PRINT_TOLERANCE).is_empty());
    }

    fn square(x0: f32, y0: f32, size: f32) -> Polygon {
        Polygon::new(vec![[x0, y0], [x0, y0 + size], [x0 + size, y0 + size], [x0 + size, y0]])
    }

    #[test]
    fn a_polygon_runs_clockwise_on_screen_whichever_way_it_was_given() {
        let square = square(0.0, 0.0, 1.0);
        assert_eq!(signed_area(square.points()), 1.0);
    }

    #[test]
    fn overlapping_squares_share_the_area_of_their_intersection() {
        let a = square(0.0, 0.0, 1.0);
        let b = square(0.5, 0.5, 1.0);
        let shared = overlap_area(&a, &a.triangulate(), &b, &b.triangulate());
        assert!((shared - 0.25).abs() < 1e-5, "{shared}");
    }

    #[test]
    fn the_label_point_of_a_concave_l_sits_in_its_thick_part() {
        let l = Polygon::new(vec![[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.8], [0.2, 0.8], [0.2, 0.0]]);
        let pole = l.pole_of_inaccessibility();
        assert!(l.contains(pole));
        assert!(l.distance_to_outline(pole) > 0.09);
    }
}
