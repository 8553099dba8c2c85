//! The body map's legend: the one definition of the map's colours and symbols.
//!
//! The screen and the printed plan both draw from here, so a region painted
//! "severe" or a trigger point looks the same on either, and this module knows
//! nothing of egui: colours are plain [`Rgba`] values and symbols are primitive
//! shapes in a unit box.
//!
//! The colour scales are sequential (one hue family, lightness falling as the
//! value rises), so that they read in order on a light figure, in print and in
//! grey scale, and a colour-blind reader can still rank them by lightness.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use crate::model::{Change, FindingKind, Pain, Pressure, RegionWork, Side, Tension};

/// An sRGB colour with straight (not premultiplied) alpha.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgba {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

impl Rgba {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Rgba {
        Rgba { r, g, b, a: 255 }
    }

    pub const fn with_alpha(self, a: u8) -> Rgba {
        Rgba { a, ..self }
    }

    /// The colour with its alpha multiplied by `opacity` (0 to 1): a layer shown faded.
    /// The solid colour this one makes over `under`: what the eye sees of a
    /// paler fill on paper or on the body under it.
    pub fn over(self, under: Rgba) -> Rgba {
        let alpha = f32::from(self.a) / 255.0;
        let mix =
            |top: u8, bottom: u8| (f32::from(top) * alpha + f32::from(bottom) * (1.0 - alpha)).round() as u8;
        Rgba::rgb(mix(self.r, under.r), mix(self.g, under.g), mix(self.b, under.b))
    }

    pub fn faded(self, opacity: f32) -> Rgba {
        let a = (f32::from(self.a) * opacity.clamp(0.0, 1.0)).round() as u8;
        Rgba { a, ..self }
    }

    /// The CIE L* lightness, 0 (black) to 100 (white), ignoring alpha: what the
    /// eye ranks a scale's colours by.
    pub fn lightness(self) -> f32 {
        fn linear(channel: u8) -> f32 {
            let c = f32::from(channel) / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        }
        let y = 0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b);
        if y > 216.0 / 24389.0 { 116.0 * y.cbrt() - 16.0 } else { y * 24389.0 / 27.0 }
    }
}

/// Which of a region's values colours the map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FillMode {
    /// Tension found by palpation, 0 to 3.
    #[default]
    Tension,
    /// The pressure planned, 1 to 5.
    Pressure,
    /// The pain the client reports, 0 to 10.
    Pain,
}

impl FillMode {
    pub const ALL: [FillMode; 3] = [FillMode::Tension, FillMode::Pressure, FillMode::Pain];

    pub fn label(self) -> &'static str {
        match self {
            FillMode::Tension => "Tension",
            FillMode::Pressure => "Pressure",
            FillMode::Pain => "Pain",
        }
    }

    /// The values of the scale, as in [`crate::model`]'s scales.
    pub fn range(self) -> RangeInclusive<u8> {
        match self {
            FillMode::Tension => 0..=3,
            FillMode::Pressure => 1..=5,
            FillMode::Pain => 0..=10,
        }
    }

    /// The value a region's entry has on this scale, if it has one.
    pub fn value_of(self, work: &RegionWork) -> Option<u8> {
        match self {
            FillMode::Tension => work.tension.map(Tension::get),
            FillMode::Pressure => work.pressure.map(Pressure::get),
            FillMode::Pain => work.pain.map(Pain::get),
        }
    }

    /// The value in words, e.g. "moderate", "firm", "6/10"; `None` outside the scale.
    pub fn word(self, value: u8) -> Option<String> {
        let value = i64::from(value);
        match self {
            FillMode::Tension => Tension::new(value).ok().map(|t| t.word().to_owned()),
            FillMode::Pressure => Pressure::new(value).ok().map(|p| p.word().to_owned()),
            FillMode::Pain => Pain::new(value).ok().map(|p| format!("{p}/10")),
        }
    }
}

/// Tension 0 to 3: pale yellow, through orange, to deep red (ColorBrewer YlOrRd).
const TENSION_COLOURS: [Rgba; 4] = [
    Rgba::rgb(0xFF, 0xFF, 0xB2),
    Rgba::rgb(0xFE, 0xCC, 0x5C),
    Rgba::rgb(0xFD, 0x8D, 0x3C),
    Rgba::rgb(0xBD, 0x00, 0x26),
];

/// Pressure 1 to 5: light blue to deep indigo.
const PRESSURE_COLOURS: [Rgba; 5] = [
    Rgba::rgb(199, 225, 245),
    Rgba::rgb(137, 186, 230),
    Rgba::rgb(80, 135, 205),
    Rgba::rgb(58, 80, 170),
    Rgba::rgb(40, 28, 110),
];

/// Pain 0 to 10: the perceptually uniform "inferno" scale, from its pale yellow
/// end (0) to deep purple (10), leaving out its near-black tail.
const PAIN_COLOURS: [Rgba; 11] = [
    Rgba::rgb(252, 255, 164),
    Rgba::rgb(247, 223, 89),
    Rgba::rgb(250, 185, 34),
    Rgba::rgb(248, 147, 16),
    Rgba::rgb(239, 112, 32),
    Rgba::rgb(221, 81, 58),
    Rgba::rgb(195, 60, 79),
    Rgba::rgb(163, 45, 95),
    Rgba::rgb(131, 32, 106),
    Rgba::rgb(98, 20, 109),
    Rgba::rgb(66, 10, 104),
];

/// The fill of a region with no value on the current scale: a light warm grey,
/// apart from every scale's first colour.
pub const NO_ENTRY: Rgba = Rgba::rgb(238, 234, 229);

/// The colour of `value` on the scale of `mode`; a value outside the scale gets
/// the nearest end's colour.
pub fn fill_colour(mode: FillMode, value: u8) -> Rgba {
    let range = mode.range();
    let index = usize::from(value.clamp(*range.start(), *range.end()) - range.start());
    let colours: &[Rgba] = match mode {
        FillMode::Tension => &TENSION_COLOURS,
        FillMode::Pressure => &PRESSURE_COLOURS,
        FillMode::Pain => &PAIN_COLOURS,
    };
    colours.get(index).copied().unwrap_or(NO_ENTRY)
}

/// The fill of a region's entry (or of a region without one) in `mode`.
pub fn region_fill(mode: FillMode, work: Option<&RegionWork>) -> Rgba {
    match work.and_then(|work| mode.value_of(work)) {
        Some(value) => fill_colour(mode, value),
        None => NO_ENTRY,
    }
}

/// How a change between two sessions is shown: a symbol that reads without
/// colour, and a colour (green better, red worse, grey same, amber new, blue gone).
pub fn change_style(change: Change) -> (&'static str, Rgba) {
    match change {
        Change::Better => ("▼", Rgba::rgb(0, 122, 61)),
        Change::Worse => ("▲", Rgba::rgb(190, 20, 30)),
        Change::Same => ("=", Rgba::rgb(110, 110, 110)),
        Change::New => ("+", Rgba::rgb(200, 110, 0)),
        Change::Gone => ("−", Rgba::rgb(30, 90, 170)),
    }
}

/// The lines of a chart (an area's trend, a region's), in order: colours that
/// stay apart for colour-blind readers (Okabe and Ito's), on screen and paper.
pub const SERIES: [Rgba; 8] = [
    Rgba::rgb(0, 114, 178),
    Rgba::rgb(213, 94, 0),
    Rgba::rgb(0, 158, 115),
    Rgba::rgb(204, 121, 167),
    Rgba::rgb(86, 70, 20),
    Rgba::rgb(90, 90, 90),
    Rgba::rgb(230, 159, 0),
    Rgba::rgb(86, 180, 233),
];

/// How often a region was tense or painful, from never to every session: five
/// steps of one hue, lightness falling as the share rises (ColorBrewer Reds).
const SHARE_COLOURS: [Rgba; 5] = [
    Rgba::rgb(254, 229, 217),
    Rgba::rgb(252, 174, 145),
    Rgba::rgb(251, 106, 74),
    Rgba::rgb(222, 45, 38),
    Rgba::rgb(165, 15, 21),
];

/// The colour of a share (0 to 1) of sessions; a share of 0 is "not found".
pub fn share_colour(share: f32) -> Rgba {
    if share <= 0.0 {
        return NO_ENTRY;
    }
    let step = ((share.clamp(0.0, 1.0) * 5.0).ceil() as usize).clamp(1, 5) - 1;
    SHARE_COLOURS[step]
}

/// The shares each step of [`share_colour`] covers, in words, for its legend.
pub fn share_steps() -> [(Rgba, &'static str); 5] {
    [
        (SHARE_COLOURS[0], "up to 20%"),
        (SHARE_COLOURS[1], "up to 40%"),
        (SHARE_COLOURS[2], "up to 60%"),
        (SHARE_COLOURS[3], "up to 80%"),
        (SHARE_COLOURS[4], "up to 100%"),
    ]
}

/// The body's outline and the skin outside the regions: a muted warm tone that
/// stands out on both a light and a dark background.
pub const SILHOUETTE_FILL: Rgba = Rgba::rgb(222, 196, 174);
pub const SILHOUETTE_OUTLINE: Rgba = Rgba::rgb(120, 92, 74);
/// The borders between regions.
pub const REGION_OUTLINE: Rgba = Rgba::rgb(128, 108, 96);
/// Bony landmarks (spine, shoulder blades, 12th ribs, iliac crests).
pub const LANDMARK: Rgba = Rgba::rgb(84, 64, 56);
/// Caution zones: a translucent red wash under a dashed red border.
/// A region that differs between two versions of one session (purple: no scale uses it).
pub const DIFFERS: Rgba = Rgba::rgb(142, 68, 173);

pub const CAUTION_FILL: Rgba = Rgba::rgb(220, 40, 40).with_alpha(56);
pub const CAUTION_OUTLINE: Rgba = Rgba::rgb(200, 20, 20);
/// The thin line from a region to its symbols when they stand away from it.
pub const LEADER: Rgba = Rgba::rgb(70, 70, 70);

/// The safety warning badge: an amber triangle with a dark "!", on regions whose
/// plan goes past a cap or over a caution zone.
pub const WARNING_FILL: Rgba = Rgba::rgb(245, 166, 35);
pub const WARNING_MARK: Rgba = Rgba::rgb(40, 28, 0);

/// What stands on the map's left and right, matching the client's sides. The map
/// is a posterior view, so the client's left is on the viewer's left.
pub const CLIENT_LEFT: &str = "CLIENT'S LEFT";
pub const CLIENT_RIGHT: &str = "CLIENT'S RIGHT";

/// The label for a side of the map; the midline has none.
pub fn side_label(side: Side) -> Option<&'static str> {
    match side {
        Side::Left => Some(CLIENT_LEFT),
        Side::Right => Some(CLIENT_RIGHT),
        Side::Midline => None,
    }
}

/// One stroke or fill of a symbol, in the symbol's unit box (x right, y down, 0 to 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Primitive {
    Circle {
        centre: [f32; 2],
        radius: f32,
        filled: bool,
    },
    /// A closed polygon. Filled ones are star-shaped around their centroid, so a
    /// fan of triangles from the centroid fills them (a star is concave).
    Polygon {
        points: &'static [[f32; 2]],
        filled: bool,
    },
    /// An open polyline.
    Line {
        points: &'static [[f32; 2]],
    },
}

/// A finding's symbol: its shapes, drawn in its colour with lines
/// [`SYMBOL_STROKE`] wide, over a [`SYMBOL_BACKGROUND`] disc so that it reads
/// on any fill.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Symbol {
    pub primitives: &'static [Primitive],
    pub colour: Rgba,
}

/// The width of a symbol's lines, as a fraction of its box.
pub const SYMBOL_STROKE: f32 = 0.13;
/// The disc behind a symbol on the map, and its rim.
pub const SYMBOL_BACKGROUND: Rgba = Rgba::rgb(255, 255, 255).with_alpha(235);
pub const SYMBOL_RIM: Rgba = Rgba::rgb(60, 60, 60).with_alpha(160);

const STAR: [[f32; 2]; 10] = [
    [0.5, 0.08],
    [0.6117, 0.3763],
    [0.928, 0.391],
    [0.6807, 0.5887],
    [0.7645, 0.8941],
    [0.5, 0.72],
    [0.2355, 0.8941],
    [0.3193, 0.5887],
    [0.072, 0.391],
    [0.3883, 0.3763],
];

/// The symbol of each kind of finding: a distinct shape and a distinct colour, so
/// that either alone tells them apart.
pub fn finding_symbol(kind: FindingKind) -> Symbol {
    use Primitive::{Circle, Line, Polygon};
    match kind {
        FindingKind::TriggerPoint => Symbol {
            primitives: &[Circle { centre: [0.5, 0.5], radius: 0.3, filled: true }],
            colour: Rgba::rgb(210, 30, 45),
        },
        FindingKind::Hypertonicity => Symbol {
            primitives: &[Polygon { points: &[[0.5, 0.12], [0.9, 0.84], [0.1, 0.84]], filled: true }],
            colour: Rgba::rgb(214, 96, 0),
        },
        FindingKind::Spasm => Symbol {
            primitives: &[Line {
                points: &[[0.06, 0.62], [0.24, 0.3], [0.42, 0.7], [0.58, 0.3], [0.76, 0.7], [0.94, 0.38]],
            }],
            colour: Rgba::rgb(128, 40, 170),
        },
        FindingKind::Adhesion => Symbol {
            primitives: &[
                Line { points: &[[0.2, 0.2], [0.8, 0.8]] },
                Line { points: &[[0.8, 0.2], [0.2, 0.8]] },
            ],
            colour: Rgba::rgb(125, 78, 25),
        },
        FindingKind::Tenderness => Symbol {
            primitives: &[Circle { centre: [0.5, 0.5], radius: 0.32, filled: false }],
            colour: Rgba::rgb(200, 0, 135),
        },
        FindingKind::Inflammation => {
            Symbol { primitives: &[Polygon { points: &STAR, filled: true }], colour: Rgba::rgb(232, 70, 0) }
        }
        FindingKind::NumbnessOrTingling => Symbol {
            primitives: &[Polygon {
                points: &[[0.5, 0.1], [0.9, 0.5], [0.5, 0.9], [0.1, 0.5]],
                filled: false,
            }],
            colour: Rgba::rgb(20, 95, 210),
        },
        FindingKind::ReferredPain => Symbol {
            primitives: &[
                Line { points: &[[0.14, 0.86], [0.7, 0.3]] },
                Polygon { points: &[[0.9, 0.1], [0.8, 0.52], [0.48, 0.2]], filled: true },
            ],
            colour: Rgba::rgb(0, 128, 120),
        },
        FindingKind::Avoid => Symbol {
            primitives: &[
                Circle { centre: [0.5, 0.5], radius: 0.36, filled: false },
                Line { points: &[[0.25, 0.25], [0.75, 0.75]] },
            ],
            colour: Rgba::rgb(25, 25, 25),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_finding_kind_has_a_symbol_of_its_own_in_shape_and_colour() {
        for (i, a) in FindingKind::ALL.iter().enumerate() {
            for b in &FindingKind::ALL[i + 1..] {
                let (sa, sb) = (finding_symbol(*a), finding_symbol(*b));
                assert_ne!(sa.primitives, sb.primitives, "{a:?} and {b:?} share a shape");
                assert_ne!(sa.colour, sb.colour, "{a:?} and {b:?} share a colour");
            }
        }
    }

    #[test]
    fn symbols_stay_inside_their_box() {
        let inside = |p: [f32; 2]| (0.0..=1.0).contains(&p[0]) && (0.0..=1.0).contains(&p[1]);
        for kind in FindingKind::ALL {
            for primitive in finding_symbol(kind).primitives {
                match *primitive {
                    Primitive::Circle { centre, radius, .. } => {
                        assert!(inside([centre[0] - radius, centre[1] - radius]), "{kind:?}");
                        assert!(inside([centre[0] + radius, centre[1] + radius]), "{kind:?}");
                    }
                    Primitive::Polygon { points, .. } | Primitive::Line { points } => {
                        assert!(points.iter().all(|&p| inside(p)), "{kind:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_value_of_every_scale_has_its_own_colour_and_words() {
        for mode in FillMode::ALL {
            let colours: Vec<Rgba> = mode.range().map(|v| fill_colour(mode, v)).collect();
            for (i, colour) in colours.iter().enumerate() {
                assert!(!colours[i + 1..].contains(colour), "{mode:?} repeats a colour");
                assert_ne!(*colour, NO_ENTRY, "{mode:?} uses the no-entry colour");
            }
            for value in mode.range() {
                assert!(mode.word(value).is_some(), "{mode:?} {value} has no words");
            }
            assert_eq!(mode.word(mode.range().end() + 1), None);
        }
        assert_eq!(FillMode::Tension.word(2).as_deref(), Some("moderate"));
        assert_eq!(FillMode::Pressure.word(4).as_deref(), Some("firm"));
        assert_eq!(FillMode::Pain.word(6).as_deref(), Some("6/10"));
    }

    #[test]
    fn the_colours_of_a_scale_darken_steadily_as_the_value_rises() {
        for mode in FillMode::ALL {
            let lightness: Vec<f32> = mode.range().map(|v| fill_colour(mode, v).lightness()).collect();
            for pair in lightness.windows(2) {
                assert!(
                    pair[0] > pair[1] + 3.0,
                    "{mode:?} is not clearly darker at each step: {lightness:?}"
                );
            }
        }
    }

    #[test]
    fn a_value_outside_the_scale_takes_the_nearest_end() {
        assert_eq!(fill_colour(FillMode::Pressure, 0), fill_colour(FillMode::Pressure, 1));
        assert_eq!(fill_colour(FillMode::Tension, 9), fill_colour(FillMode::Tension, 3));
    }

    #[test]
    fn each_change_has_its_own_symbol_and_colour_and_shares_darken_as_they_rise() {
        for (i, a) in Change::ALL.iter().enumerate() {
            for b in &Change::ALL[i + 1..] {
                assert_ne!(change_style(*a).0, change_style(*b).0);
                assert_ne!(change_style(*a).1, change_style(*b).1);
            }
        }
        assert_eq!(share_colour(0.0), NO_ENTRY);
        assert_eq!(share_colour(0.75), SHARE_COLOURS[3]);
        assert!(share_colour(1.0).lightness() < share_colour(0.1).lightness());
    }

    #[test]
    fn the_side_labels_name_the_clients_sides() {
        assert_eq!(side_label(Side::Left), Some("CLIENT'S LEFT"));
        assert_eq!(side_label(Side::Right), Some("CLIENT'S RIGHT"));
        assert_eq!(side_label(Side::Midline), None);
    }
}
