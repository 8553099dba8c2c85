//! Smooth curves through a few control points, flattened to polylines.
//!
//! The curves are centripetal Catmull-Rom splines: they pass through every control
//! point, and unlike the uniform kind they never loop or overshoot between points
//! that are close together.

/// The longest chord of a flattened curve, in map space (about 2.4 px on an
/// 800 px map): short enough that the curve looks smooth on screen and in print.
const MAX_CHORD: f32 = 0.003;

/// The midline of the body, where a shape meets its mirror image.
pub const MIDLINE_X: f32 = 0.5;

/// Mirrors a point across the midline: the client's left to the right.
pub fn mirror(p: [f32; 2]) -> [f32; 2] {
    [1.0 - p[0], p[1]]
}

pub fn on_midline(p: [f32; 2]) -> bool {
    (p[0] - MIDLINE_X).abs() < 1.0e-6
}

/// A closed smooth curve through `controls`, as a polygon's points.
pub fn closed(controls: &[[f32; 2]]) -> Vec<[f32; 2]> {
    let n = controls.len();
    if n < 3 {
        return controls.to_vec();
    }
    let mut points = Vec::new();
    for i in 0..n {
        let span = [controls[(i + n - 1) % n], controls[i], controls[(i + 1) % n], controls[(i + 2) % n]];
        flatten_span(span, &mut points);
    }
    points
}

/// An open smooth curve through `controls`, from the first point to the last.
///
/// An end that lies on the midline meets it square, so that a shape and its mirror
/// image join without a kink.
pub fn open(controls: &[[f32; 2]]) -> Vec<[f32; 2]> {
    let n = controls.len();
    if n < 3 {
        return controls.to_vec();
    }
    let before_first = phantom(controls[0], controls[1]);
    let after_last = phantom(controls[n - 1], controls[n - 2]);
    let mut extended = Vec::with_capacity(n + 2);
    extended.push(before_first);
    extended.extend_from_slice(controls);
    extended.push(after_last);
    let mut points = Vec::new();
    for window in extended.windows(4) {
        flatten_span([window[0], window[1], window[2], window[3]], &mut points);
    }
    points.push(controls[n - 1]);
    points
}

/// A smooth curve through all of `controls` but the first and last, which only
/// steer its ends: give them the neighbouring points of the curves it continues,
/// and the joins have no kink.
pub fn guided(controls: &[[f32; 2]]) -> Vec<[f32; 2]> {
    let n = controls.len();
    if n < 4 {
        return open(controls.get(1..n.saturating_sub(1)).unwrap_or_default());
    }
    let mut points = Vec::new();
    for window in controls.windows(4) {
        flatten_span([window[0], window[1], window[2], window[3]], &mut points);
    }
    points.push(controls[n - 2]);
    points
}

/// A made-up control point beyond the end `end` of a curve whose next point is
/// `next`, which sets the curve's direction at its end.
fn phantom(end: [f32; 2], next: [f32; 2]) -> [f32; 2] {
    if on_midline(end) { mirror(next) } else { [2.0 * end[0] - next[0], 2.0 * end[1] - next[1]] }
}

/// Appends the points of the span from `p[1]` up to (not including) `p[2]`.
fn flatten_span(p: [[f32; 2]; 4], out: &mut Vec<[f32; 2]>) {
    // Centripetal parametrisation (Barry and Goldman's pyramidal formulation).
    let knot_step = |a: [f32; 2], b: [f32; 2]| distance(a, b).sqrt().max(1.0e-4);
    let t0 = 0.0;
    let t1 = t0 + knot_step(p[0], p[1]);
    let t2 = t1 + knot_step(p[1], p[2]);
    let t3 = t2 + knot_step(p[2], p[3]);
    let steps = (distance(p[1], p[2]) / MAX_CHORD).ceil().clamp(1.0, 200.0) as usize;
    let lerp = |a: [f32; 2], b: [f32; 2], ta: f32, tb: f32, t: f32| {
        let (wa, wb) = ((tb - t) / (tb - ta), (t - ta) / (tb - ta));
        [wa * a[0] + wb * b[0], wa * a[1] + wb * b[1]]
    };
    for step in 0..steps {
        let t = t1 + (t2 - t1) * step as f32 / steps as f32;
        let a1 = lerp(p[0], p[1], t0, t1, t);
        let a2 = lerp(p[1], p[2], t1, t2, t);
        let a3 = lerp(p[2], p[3], t2, t3, t);
        let b1 = lerp(a1, a2, t0, t2, t);
        let b2 = lerp(a2, a3, t1, t3, t);
        out.push(lerp(b1, b2, t1, t2, t));
    }
}

fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_curve_passes_through_its_control_points() {
        let controls = [[0.1, 0.1], [0.2, 0.3], [0.4, 0.35], [0.45, 0.6]];
        let points = open(&controls);
        for c in controls {
            assert!(points.iter().any(|p| distance(*p, c) < 1e-6), "{c:?}");
        }
        assert_eq!(points.first(), Some(&controls[0]));
        assert_eq!(points.last(), Some(&controls[3]));
    }

    #[test]
    fn a_curve_ending_on_the_midline_meets_it_square() {
        let points = open(&[[0.3, 0.5], [0.45, 0.42], [0.5, 0.4]]);
        let [.., before_end, end] = points[..] else { panic!("too few points") };
        assert!((before_end[1] - end[1]).abs() < 1e-4, "{before_end:?} {end:?}");
    }
}
