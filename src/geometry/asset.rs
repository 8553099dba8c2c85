//! The format of `assets/body_map.ron`, the body map's source, and how it becomes
//! polygons.
//!
//! The file is written by hand, so it says each thing once:
//!
//! - Only the client's left side and the midline are written; every `_l` shape is
//!   mirrored (x → 1 − x) to make its `_r` twin, so the two sides match exactly.
//! - A border that two shapes share (or a shape and the silhouette) is written once,
//!   as a named edge in `edges`, and both shapes walk along it: shapes of one layer
//!   then fit together without gaps or overlaps.
//! - Outlines are smooth curves through a few control points (centripetal
//!   Catmull-Rom), flattened to polygons when the file is read.
//!
//! ```ron
//! BodyMap(
//!     format_version: 1,
//!     edges: {
//!         "scapular_spine": Curve([(0.430, 0.300), (0.380, 0.270), (0.300, 0.240)]),
//!     },
//!     silhouette: Half([Edge("head"), Edge("neck_side"), Line([(0.5, 0.95)])]),
//!     landmarks: [(kind: ScapularSpine, side: Left, line: Open([Edge("scapular_spine")]))],
//!     regions: [
//!         (id: suboccipitals_l, outline: Smooth([(0.47, 0.14), (0.49, 0.15), (0.47, 0.16)])),
//!         (id: infraspinatus_l, outline: Loop([Edge("scapular_spine"), Curve([..])])),
//!     ],
//!     caution_zones: [
//!         (id: spine, outline: Half([Line([(0.5, 0.2), (0.49, 0.21), (0.49, 0.7), (0.5, 0.71)])])),
//!     ],
//! )
//! ```
//!
//! Points are `(x, y)` in map space. An outline is one of:
//! - `Smooth([..])`: a closed smooth curve through the points;
//! - `Polygon([..])`: a closed polygon with straight sides;
//! - `Loop([..])`: a closed loop of pieces joined end to end (where one piece does
//!   not start where the last ended, a straight line joins them);
//! - `Half([..])`: the client's-left half of a midline shape, pieces running from a
//!   point on the midline (x = 0.5) round to another; the right half is its mirror.
//!
//! A piece (and a named edge) is `Curve([..])`, a smooth curve through the points;
//! `Guided([..])`, a smooth curve through all the points but the first and last,
//! which only steer its ends (give them the neighbouring points of the curves it
//! continues, and the joins have no kink); or `Line([..])`, straight lines through
//! the points. A piece may also be `Edge("name")` or `EdgeReversed("name")`, a named
//! edge walked forwards or backwards. A `Curve` that starts or ends on the midline
//! meets it square, so that a midline shape has no kink where its halves join.
//!
//! A landmark is `(kind, side: Left | Midline, line)`, its line `Open([pieces])` or
//! `Closed(outline)`; a region or zone is `(id, outline)`, its ID as in the catalogue.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};

use super::curve::{self, MIDLINE_X};
use super::{Landmark, LandmarkKind, Polygon};
use crate::model::{CautionZoneId, RegionId, Side};

/// The version of the body map format this code reads.
pub const FORMAT_VERSION: u32 = 1;

/// Why a body map asset could not be read. Each names the shape at fault.
#[derive(Debug, thiserror::Error)]
pub enum BodyMapError {
    #[error("the body map is not valid: {0}")]
    Syntax(#[from] ron::error::SpannedError),
    #[error("the body map has format version {found}, but this Knotmap reads only version {FORMAT_VERSION}")]
    UnsupportedVersion { found: u32 },
    #[error("the body map defines the edge {name:?} twice; give each edge its own name")]
    DuplicateEdge { name: String },
    #[error("{shape} uses the edge {name:?}, which the body map does not define")]
    UnknownEdge { shape: String, name: String },
    #[error("{shape} has fewer than 3 points")]
    TooFewPoints { shape: String },
    #[error("{shape} is a half outline, so it must start and end on the midline (x = 0.5)")]
    HalfOffMidline { shape: String },
    #[error("{shape} is on the client's right: write only the left, the right is made as its mirror image")]
    RightSideAuthored { shape: String },
    #[error("{shape} appears twice in the body map")]
    Duplicate { shape: String },
    #[error("the body map has no shape for {shape}")]
    Missing { shape: String },
}

type Point = (f32, f32);

#[derive(Deserialize)]
#[serde(rename = "BodyMap", deny_unknown_fields)]
struct AssetFile {
    /// Already checked by [`VersionOnly`]; named here so that it is not an unknown field.
    #[serde(rename = "format_version")]
    _format_version: u32,
    edges: EdgeTable,
    silhouette: Outline,
    landmarks: Vec<LandmarkSpec>,
    regions: Vec<ShapeSpec<RegionId>>,
    caution_zones: Vec<ShapeSpec<CautionZoneId>>,
}

/// Just the version, read first, so that a newer file is refused by its version
/// rather than by whatever else changed.
#[derive(Deserialize)]
#[serde(rename = "BodyMap")]
struct VersionOnly {
    format_version: u32,
}

#[derive(Deserialize)]
enum EdgeLine {
    Curve(Vec<Point>),
    Guided(Vec<Point>),
    Line(Vec<Point>),
}

#[derive(Deserialize)]
enum Piece {
    Curve(Vec<Point>),
    Guided(Vec<Point>),
    Line(Vec<Point>),
    Edge(String),
    EdgeReversed(String),
}

#[derive(Deserialize)]
enum Outline {
    Smooth(Vec<Point>),
    Polygon(Vec<Point>),
    Loop(Vec<Piece>),
    Half(Vec<Piece>),
}

#[derive(Deserialize)]
enum LandmarkLine {
    Open(Vec<Piece>),
    Closed(Outline),
}

/// The sides a shape may be written for: the right is always a mirror image.
#[derive(Clone, Copy, Deserialize)]
enum AuthoredSide {
    Left,
    Midline,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LandmarkSpec {
    kind: LandmarkKind,
    side: AuthoredSide,
    line: LandmarkLine,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShapeSpec<Id> {
    id: Id,
    outline: Outline,
}

/// The named edges, flattened to polylines as they are read; a name given twice
/// is an error rather than a silent overwrite.
struct EdgeTable(Result<BTreeMap<String, Vec<[f32; 2]>>, String>);

impl<'de> Deserialize<'de> for EdgeTable {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EdgeVisitor;
        impl<'de> Visitor<'de> for EdgeVisitor {
            type Value = EdgeTable;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map from edge names to Curve([..]) or Line([..])")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EdgeTable, A::Error> {
                let mut edges = BTreeMap::new();
                let mut duplicate = None;
                while let Some((name, line)) = map.next_entry::<String, EdgeLine>()? {
                    let points = match line {
                        EdgeLine::Curve(controls) => curve::open(&to_points(&controls)),
                        EdgeLine::Guided(controls) => curve::guided(&to_points(&controls)),
                        EdgeLine::Line(points) => to_points(&points),
                    };
                    if edges.insert(name.clone(), points).is_some() {
                        duplicate.get_or_insert(name);
                    }
                }
                Ok(EdgeTable(match duplicate {
                    Some(name) => Err(name),
                    None => Ok(edges),
                }))
            }
        }
        deserializer.deserialize_map(EdgeVisitor)
    }
}

/// The body map's shapes as polygons, every catalogue ID present, in catalogue order.
pub(crate) struct BuiltMap {
    pub silhouette: Polygon,
    pub landmarks: Vec<Landmark>,
    pub regions: Vec<(RegionId, Polygon)>,
    pub zones: Vec<(CautionZoneId, Polygon)>,
}

/// Reads a body map asset and makes its polygons: flattens the curves, joins the
/// pieces, mirrors the left side, and checks that every catalogue ID has a shape.
pub(crate) fn build(text: &str) -> Result<BuiltMap, BodyMapError> {
    let VersionOnly { format_version } = ron::from_str(text)?;
    if format_version != FORMAT_VERSION {
        return Err(BodyMapError::UnsupportedVersion { found: format_version });
    }
    let file: AssetFile = ron::from_str(text)?;
    let edges = file.edges.0.map_err(|name| BodyMapError::DuplicateEdge { name })?;
    let builder = Builder { edges };

    let silhouette = Polygon::new(builder.outline(&file.silhouette, "the silhouette")?);

    let mut landmarks = Vec::new();
    for spec in &file.landmarks {
        let what = format!("a {:?} landmark", spec.kind);
        let (points, closed) = match &spec.line {
            LandmarkLine::Open(pieces) => (builder.pieces(pieces, &what)?, false),
            LandmarkLine::Closed(outline) => (builder.outline(outline, &what)?, true),
        };
        match spec.side {
            AuthoredSide::Left => {
                let mirrored = points.iter().copied().map(curve::mirror).collect();
                landmarks.push(Landmark { kind: spec.kind, side: Side::Left, points, closed });
                landmarks.push(Landmark { kind: spec.kind, side: Side::Right, points: mirrored, closed });
            }
            AuthoredSide::Midline => {
                landmarks.push(Landmark { kind: spec.kind, side: Side::Midline, points, closed });
            }
        }
    }

    let regions = builder.catalogue_shapes(
        &file.regions,
        RegionId::all().collect(),
        |id| id.info().side,
        |id| id.mirror(),
        |id| format!("region {}", id.key()),
    )?;
    let zones = builder.catalogue_shapes(
        &file.caution_zones,
        CautionZoneId::all().collect(),
        |id| id.info().side,
        zone_mirror,
        |id| format!("caution zone {}", id.info().key),
    )?;
    Ok(BuiltMap { silhouette, landmarks, regions, zones })
}

/// The caution zone on the other side of the body; midline zones are their own mirror.
fn zone_mirror(id: CautionZoneId) -> CautionZoneId {
    let info = id.info();
    let Some(stem) = info.key.strip_suffix("_l").or_else(|| info.key.strip_suffix("_r")) else {
        return id;
    };
    let suffix = if info.side == Side::Left { "_r" } else { "_l" };
    let mirror_key = format!("{stem}{suffix}");
    CautionZoneId::all().find(|other| other.info().key == mirror_key).unwrap_or(id)
}

struct Builder {
    edges: BTreeMap<String, Vec<[f32; 2]>>,
}

impl Builder {
    /// The shapes of one catalogue (regions or zones), in the catalogue's order,
    /// with the right side made from the left.
    fn catalogue_shapes<Id: Copy + Ord>(
        &self,
        specs: &[ShapeSpec<Id>],
        catalogue: Vec<Id>,
        side: impl Fn(Id) -> Side,
        mirror: impl Fn(Id) -> Id,
        describe: impl Fn(Id) -> String,
    ) -> Result<Vec<(Id, Polygon)>, BodyMapError> {
        let mut shapes = BTreeMap::new();
        for spec in specs {
            let shape = describe(spec.id);
            if side(spec.id) == Side::Right {
                return Err(BodyMapError::RightSideAuthored { shape });
            }
            let points = self.outline(&spec.outline, &shape)?;
            if side(spec.id) == Side::Left {
                let mirrored = points.iter().copied().map(curve::mirror).collect();
                shapes.insert(mirror(spec.id), Polygon::new(mirrored));
            }
            if shapes.insert(spec.id, Polygon::new(points)).is_some() {
                return Err(BodyMapError::Duplicate { shape });
            }
        }
        catalogue
            .into_iter()
            .map(|id| match shapes.remove(&id) {
                Some(polygon) => Ok((id, polygon)),
                None => Err(BodyMapError::Missing { shape: describe(id) }),
            })
            .collect()
    }

    /// The points of a closed outline.
    fn outline(&self, outline: &Outline, shape: &str) -> Result<Vec<[f32; 2]>, BodyMapError> {
        let mut points = match outline {
            Outline::Smooth(controls) => curve::closed(&to_points(controls)),
            Outline::Polygon(corners) => to_points(corners),
            Outline::Loop(pieces) => self.pieces(pieces, shape)?,
            Outline::Half(pieces) => {
                let mut half = self.pieces(pieces, shape)?;
                let (Some(&first), Some(&last)) = (half.first(), half.last()) else {
                    return Err(BodyMapError::TooFewPoints { shape: shape.to_owned() });
                };
                let off_midline = |p: [f32; 2]| (p[0] - MIDLINE_X).abs() > 1.0e-4;
                if off_midline(first) || off_midline(last) {
                    return Err(BodyMapError::HalfOffMidline { shape: shape.to_owned() });
                }
                // Exactly on the midline, so that the halves meet exactly.
                let last_index = half.len() - 1;
                half[0][0] = MIDLINE_X;
                half[last_index][0] = MIDLINE_X;
                let right: Vec<_> = half[1..last_index].iter().rev().copied().map(curve::mirror).collect();
                half.extend(right);
                half
            }
        };
        if points.len() > 1 && same_point(points[0], points[points.len() - 1]) {
            points.pop();
        }
        if points.len() < 3 {
            return Err(BodyMapError::TooFewPoints { shape: shape.to_owned() });
        }
        Ok(points)
    }

    /// The points of pieces joined end to end; a point repeated where two pieces
    /// meet appears once.
    fn pieces(&self, pieces: &[Piece], shape: &str) -> Result<Vec<[f32; 2]>, BodyMapError> {
        let mut points: Vec<[f32; 2]> = Vec::new();
        for piece in pieces {
            let piece_points = match piece {
                Piece::Curve(controls) => curve::open(&to_points(controls)),
                Piece::Guided(controls) => curve::guided(&to_points(controls)),
                Piece::Line(corners) => to_points(corners),
                Piece::Edge(name) => self.edge(name, shape)?.to_vec(),
                Piece::EdgeReversed(name) => self.edge(name, shape)?.iter().rev().copied().collect(),
            };
            for p in piece_points {
                if points.last().is_none_or(|last| !same_point(*last, p)) {
                    points.push(p);
                }
            }
        }
        Ok(points)
    }

    fn edge(&self, name: &str, shape: &str) -> Result<&[[f32; 2]], BodyMapError> {
        self.edges
            .get(name)
            .map(Vec::as_slice)
            .ok_or_else(|| BodyMapError::UnknownEdge { shape: shape.to_owned(), name: name.to_owned() })
    }
}

fn to_points(points: &[Point]) -> Vec<[f32; 2]> {
    points.iter().map(|&(x, y)| [x, y]).collect()
}

fn same_point(a: [f32; 2], b: [f32; 2]) -> bool {
    (a[0] - b[0]).abs() < 1.0e-5 && (a[1] - b[1]).abs() < 1.0e-5
}
