//! The PDF painter: pages of [`super::layout`] into a PDF, maps from the
//! [`figure`](crate::figure) as vector paths, text in Knotmap's fonts,
//! embedded and subset so that the file prints the same anywhere.

use std::sync::OnceLock;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use crate::text::Direction;

use crate::figure::{self, Figure, Item, Shape};
use crate::geometry::{BodyMap, Bounds};
use crate::legend::{self, Primitive, Rgba};
use crate::model::FindingKind;

use super::PrintError;
use super::layout::{Area, Mark, Page, Style};
use super::text::{Faces, Weight};

/// The bundled fonts as krilla's, by the same index as [`Faces::all`].
fn krilla_fonts() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| {
        Faces::get()
            .all()
            .iter()
            .filter_map(|face| Font::new(krilla::Data::from(face.data), face.index))
            .collect()
    })
}

/// The font of `index` as krilla's: a bundled one, or a system font found for this document.
fn krilla_font(index: usize, system: &mut std::collections::BTreeMap<usize, Option<Font>>) -> Option<Font> {
    if let Some(font) = krilla_fonts().get(index) {
        return Some(font.clone());
    }
    system
        .entry(index)
        .or_insert_with(|| {
            Faces::get().face(index).and_then(|face| Font::new(krilla::Data::from(face.data), face.index))
        })
        .clone()
}

/// The PDF of `pages`, titled `title`.
pub fn write_pdf(pages: &[Page], title: &str, map: &BodyMap) -> Result<Vec<u8>, PrintError> {
    let mut document = krilla::Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title.to_owned())
            .creator(format!("Knotmap {}", env!("CARGO_PKG_VERSION"))),
    );
    let mut system_fonts = std::collections::BTreeMap::new();
    for page in pages {
        let settings = PageSettings::from_wh(page.size[0], page.size[1])
            .ok_or_else(|| PrintError::Pdf("a page has no size".into()))?;
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        let mut painter = Painter { surface: &mut surface, map, system_fonts: &mut system_fonts };
        for mark in &page.marks {
            painter.mark(mark);
        }
        surface.finish();
        pdf_page.finish();
    }
    document.finish().map_err(|error| PrintError::Pdf(format!("{error:?}")))
}

struct Painter<'s, 'p> {
    surface: &'s mut Surface<'p>,
    map: &'s BodyMap,
    system_fonts: &'s mut std::collections::BTreeMap<usize, Option<Font>>,
}

/// A colour as solid ink: one with some transparency is mixed with the paper
/// under it first, so that a page needs no transparency group and a print
/// server keeps it as vectors.
fn paint(colour: Rgba) -> (krilla::paint::Paint, NormalizedF32) {
    let solid = colour.over(PAPER);
    (rgb::Color::new(solid.r, solid.g, solid.b).into(), NormalizedF32::ONE)
}

/// The side labels' size on paper, in points: readable at arm's length.
const SIDE_LABEL_SIZE: f32 = 8.5;

/// The paper's white.
const PAPER: Rgba = Rgba::rgb(255, 255, 255);

fn fill(colour: Rgba) -> Fill {
    let (paint, opacity) = paint(colour);
    Fill { paint, opacity, rule: FillRule::NonZero }
}

fn stroke(width: f32, colour: Rgba, dash: Option<[f32; 2]>) -> Stroke {
    let (paint, opacity) = paint(colour);
    Stroke {
        paint,
        width,
        opacity,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        dash: dash.map(|[on, off]| StrokeDash { array: vec![on, off], offset: 0.0 }),
        ..Stroke::default()
    }
}

/// A path through `points`, closed if asked.
///
/// A body map's outlines are drawn through thousands of points, a point or so
/// apart, for the screen's sake; written as they are they made most of a
/// sheet's bytes and most of the time to compress them. On paper a point that
/// moves the line by less than [`PRINT_TOLERANCE`] is left out, and each point
/// is written to a hundredth of a point: both far below what a printer resolves.
fn path(points: impl IntoIterator<Item = [f32; 2]>, closed: bool) -> Option<krilla::geom::Path> {
    let points: Vec<[f32; 2]> = points.into_iter().collect();
    let to_hundredths = |value: f32| (value * 100.0).round() / 100.0;
    let mut builder = PathBuilder::new();
    let mut last = None;
    for [x, y] in crate::geometry::simplified(&points, PRINT_TOLERANCE) {
        let point = [to_hundredths(x), to_hundredths(y)];
        match last {
            None => builder.move_to(point[0], point[1]),
            Some(previous) if previous == point => continue,
            Some(_) => builder.line_to(point[0], point[1]),
        }
        last = Some(point);
    }
    if closed {
        builder.close();
    }
    builder.finish()
}

/// How far, in points, a line on paper may move when points are left out of it:
/// 0.02 mm, a fifth of a dot at 1200 dpi.
const PRINT_TOLERANCE: f32 = 0.05;

/// A circle as four cubic arcs.
fn circle(centre: [f32; 2], radius: f32) -> Option<krilla::geom::Path> {
    const K: f32 = 0.552_284_8;
    let [x, y] = centre;
    let (r, k) = (radius, radius * K);
    let mut builder = PathBuilder::new();
    builder.move_to(x + r, y);
    builder.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
    builder.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
    builder.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
    builder.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
    builder.close();
    builder.finish()
}

impl Painter<'_, '_> {
    fn draw(
        &mut self,
        path: Option<krilla::geom::Path>,
        fill_with: Option<Rgba>,
        stroke_with: Option<Stroke>,
    ) {
        let Some(path) = path else {
            return;
        };
        self.surface.set_fill(fill_with.map(fill));
        self.surface.set_stroke(stroke_with);
        self.surface.draw_path(&path);
        self.surface.set_stroke(None);
    }

    fn mark(&mut self, mark: &Mark) {
        match mark {
            Mark::Text { at, text, style, direction } => self.text(*at, text, *style, *direction),
            Mark::Rect { area, fill: fill_with, stroke: edge } => {
                let corners = [
                    [area.x, area.y],
                    [area.right(), area.y],
                    [area.right(), area.bottom()],
                    [area.x, area.bottom()],
                ];
                self.draw(
                    path(corners, true),
                    *fill_with,
                    edge.map(|(width, colour)| stroke(width, colour, None)),
                );
            }
            Mark::Line { points, width, colour, dash } => {
                self.draw(path(points.iter().copied(), false), None, Some(stroke(*width, *colour, *dash)));
            }
            Mark::Circle { centre, radius, fill: fill_with, stroke: edge } => {
                let edge = edge.map(|(width, colour)| stroke(width, colour, None));
                self.draw(circle(*centre, *radius), *fill_with, edge);
            }
            Mark::Finding { centre, kind, size } => self.badge(*kind, *centre, *size, 1.0),
            Mark::Warning { centre, size } => self.warning(*centre, *size),
            Mark::Hatch { area, colour } => {
                let corners = [
                    [area.x, area.y],
                    [area.right(), area.y],
                    [area.right(), area.bottom()],
                    [area.x, area.bottom()],
                ];
                self.hatch(&corners, colour.with_alpha(255), 1.0);
            }
            Mark::Figure { area, figure, point, view } => self.figure(*area, figure, *point, *view),
        }
    }

    /// One line of text, in the order it is seen: each piece that reads one
    /// way placed from the left, each run of it in the font that draws it.
    /// The pieces are drawn in the order they are read, so that text copied
    /// from the PDF (or read out from it) comes in that order.
    fn text(&mut self, at: [f32; 2], text: &str, style: Style, direction: Direction) {
        let faces = Faces::get();
        self.surface.set_fill(Some(fill(style.colour)));
        let mut placed = Vec::new();
        let mut x = at[0];
        for piece in crate::text::pieces(text, direction) {
            let width = faces.width(&piece.drawn(), style.size, style.weight);
            placed.push((x, piece));
            x += width;
        }
        placed.sort_by_key(|(_, piece)| piece.range.start);
        for (x, piece) in placed {
            self.piece([x, at[1]], &piece.drawn(), piece.right_to_left, style);
        }
    }

    /// A piece of a line that reads one way, starting at `at`: a right-to-left
    /// piece's font runs are laid from its right end.
    fn piece(&mut self, at: [f32; 2], text: &str, right_to_left: bool, style: Style) {
        let faces = Faces::get();
        let (direction, mut x) = if right_to_left {
            (TextDirection::RightToLeft, at[0] + faces.width(text, style.size, style.weight))
        } else {
            (TextDirection::LeftToRight, at[0])
        };
        for (face, run) in faces.runs(text, style.weight) {
            // A space that starts a run is left as room: drawn, it would be read
            // back as a second space after the run before.
            let words = run.trim_start();
            let room = faces.width(&run[..run.len() - words.len()], style.size, style.weight);
            let width = faces.width(words, style.size, style.weight);
            let left = if right_to_left { x - room - width } else { x + room };
            if let Some(font) = krilla_font(face, self.system_fonts).filter(|_| !words.is_empty()) {
                self.surface.draw_text(
                    Point::from_xy(left, at[1]),
                    font,
                    style.size,
                    words,
                    false,
                    direction,
                );
            }
            x = if right_to_left { left } else { left + width };
        }
    }

    /// A finding's symbol on its disc, `size` across, lines scaled by `point`.
    fn badge(&mut self, kind: FindingKind, centre: [f32; 2], size: f32, point: f32) {
        self.draw(
            circle(centre, size * 0.62),
            Some(legend::SYMBOL_BACKGROUND),
            Some(stroke(point, legend::SYMBOL_RIM, None)),
        );
        let symbol = legend::finding_symbol(kind);
        let box_size = size * 0.8;
        let origin = [centre[0] - box_size / 2.0, centre[1] - box_size / 2.0];
        let at = |p: [f32; 2]| [origin[0] + p[0] * box_size, origin[1] + p[1] * box_size];
        let line = stroke((legend::SYMBOL_STROKE * box_size).max(0.6 * point), symbol.colour, None);
        for primitive in symbol.primitives {
            match *primitive {
                Primitive::Circle { centre, radius, filled } => {
                    let shape = circle(at(centre), radius * box_size);
                    if filled {
                        self.draw(shape, Some(symbol.colour), None);
                    } else {
                        self.draw(shape, None, Some(line.clone()));
                    }
                }
                Primitive::Polygon { points, filled } => {
                    let shape = path(points.iter().map(|&p| at(p)), true);
                    if filled {
                        self.draw(shape, Some(symbol.colour), None);
                    } else {
                        self.draw(shape, None, Some(line.clone()));
                    }
                }
                Primitive::Line { points } => {
                    self.draw(path(points.iter().map(|&p| at(p)), false), None, Some(line.clone()));
                }
            }
        }
    }

    /// `outline` (page space) filled with thin diagonal lines of `colour`, and
    /// nothing under them hidden.
    fn hatch(&mut self, outline: &[[f32; 2]], colour: Rgba, point: f32) {
        let Some(clip) = path(outline.iter().copied(), true) else {
            return;
        };
        let (mut min, mut max) = ([f32::MAX; 2], [f32::MIN; 2]);
        for p in outline {
            min = [min[0].min(p[0]), min[1].min(p[1])];
            max = [max[0].max(p[0]), max[1].max(p[1])];
        }
        if !(min[0] <= max[0] && min[1] <= max[1]) {
            return;
        }
        self.surface.push_clip_path(&clip, &FillRule::NonZero);
        let step = 3.2 * point;
        let height = max[1] - min[1];
        let line = stroke(0.5 * point, colour, None);
        let mut x = min[0] - height;
        while x <= max[0] {
            self.draw(path([[x, max[1]], [x + height, min[1]]], false), None, Some(line.clone()));
            x += step;
        }
        self.surface.pop();
    }

    fn warning(&mut self, centre: [f32; 2], size: f32) {
        let [x, y] = centre;
        let corners =
            [[x, y - size * 0.55], [x + size * 0.6, y + size * 0.45], [x - size * 0.6, y + size * 0.45]];
        self.draw(
            path(corners, true),
            Some(legend::WARNING_FILL),
            Some(stroke(0.8, legend::WARNING_MARK, None)),
        );
        let style = Style { size: size * 0.62, weight: Weight::Bold, colour: legend::WARNING_MARK };
        let width = Faces::get().width("!", style.size, style.weight);
        self.text([x - width / 2.0, y + size * 0.36], "!", style, Direction::LeftToRight);
    }

    /// A map fitted into `area`, with CLIENT'S LEFT and CLIENT'S RIGHT in its top
    /// corners, each over its own side of the body.
    fn figure(&mut self, area: Area, figure: &Figure, point: f32, view: [[f32; 2]; 2]) {
        let (scale, visible) = fitted(view, area);
        let [[min_x, min_y], [max_x, max_y]] = view;
        let offset = [
            area.x + (area.width - (max_x - min_x) * scale) / 2.0 - min_x * scale,
            area.y + (area.height - (max_y - min_y) * scale) / 2.0 - min_y * scale,
        ];
        let to_page = |p: [f32; 2]| [offset[0] + p[0] * scale, offset[1] + p[1] * scale];
        let moved = |at: [f32; 2], by: [f32; 2]| {
            let [x, y] = to_page(at);
            [x + by[0] * point, y + by[1] * point]
        };
        let map = self.map;
        // A map showing part of the body stops at its frame.
        let frame = [
            [area.x, area.y],
            [area.right(), area.y],
            [area.right(), area.bottom()],
            [area.x, area.bottom()],
        ];
        let clipped = path(frame, true)
            .inspect(|frame| self.surface.push_clip_path(frame, &FillRule::NonZero))
            .is_some();
        for item in figure.items_placed(map, scale / point, visible) {
            let item = &item;
            match item {
                Item::Fill { shape: Shape::Zone(index), colour } => {
                    // A caution zone lies over regions: hatched, so their fills show through.
                    if let Some(zone) = map.caution_zones.get(*index) {
                        let points: Vec<[f32; 2]> =
                            zone.outline.points().iter().map(|&p| to_page(p)).collect();
                        self.hatch(&points, colour.with_alpha(255), point);
                    }
                }
                Item::Fill { shape, colour } => {
                    if let Some(polygon) = outline_of(map, *shape) {
                        // Inside the body, a paler fill is mixed with what lies under it:
                        // the surface region under a deep one's middle, else the body.
                        let under = match shape {
                            Shape::Region(index) => beneath(map, figure, *index),
                            _ => legend::SILHOUETTE_FILL,
                        };
                        let ink = if *shape == Shape::Silhouette { *colour } else { colour.over(under) };
                        self.draw(path(polygon.iter().map(|&p| to_page(p)), true), Some(ink), None);
                    }
                }
                Item::Outline { shape, line } => {
                    if let Some(polygon) = outline_of(map, *shape) {
                        let dash = line.dash.map(|[on, off]| [on * point, off * point]);
                        let edge =
                            stroke(line.width * point, line.colour.over(legend::SILHOUETTE_FILL), dash);
                        self.draw(path(polygon.iter().map(|&p| to_page(p)), true), None, Some(edge));
                    }
                }
                Item::Landmark { index, line } => {
                    if let Some(landmark) = map.landmarks.get(*index) {
                        let dash = line.dash.map(|[on, off]| [on * point, off * point]);
                        let edge =
                            stroke(line.width * point, line.colour.over(legend::SILHOUETTE_FILL), dash);
                        let points = landmark.points.iter().map(|&p| to_page(p));
                        self.draw(path(points, landmark.closed), None, Some(edge));
                    }
                }
                Item::Badge { at, offset, kind, size } => {
                    self.badge(*kind, moved(*at, *offset), size * point, point)
                }
                Item::More { at, offset, text, size } => {
                    let [x, y] = moved(*at, *offset);
                    self.text(
                        [x, y + size * point * 0.35],
                        text,
                        Style::regular(size * point),
                        Direction::of(text),
                    );
                }
                Item::Warning { at, offset, size } => self.warning(moved(*at, *offset), size * point),
                Item::Mark { at, kind, .. } => {
                    self.badge(*kind, to_page(*at), figure::MARK_SIZE * point, point);
                }
                Item::Leader { at, offset } => {
                    let line = stroke(0.6 * point, legend::LEADER, None);
                    self.draw(path([to_page(*at), moved(*at, *offset)], false), None, Some(line));
                    self.draw(circle(to_page(*at), 1.2 * point), Some(legend::LEADER), None);
                }
                Item::Symbol { at, offset, text, colour, size } => {
                    let [x, y] = moved(*at, *offset);
                    let size = size * point;
                    self.draw(
                        circle([x, y], size * 0.62),
                        Some(legend::SYMBOL_BACKGROUND),
                        Some(stroke(0.8 * point, legend::SYMBOL_RIM, None)),
                    );
                    let style = Style { size: size * 0.75, weight: Weight::Regular, colour: *colour };
                    let width = Faces::get().width(text, style.size, style.weight);
                    self.text([x - width / 2.0, y + style.size * 0.35], text, style, Direction::of(text));
                }
            }
        }
        if clipped {
            self.surface.pop();
        }
        let style = Style::bold(SIDE_LABEL_SIZE);
        let faces = Faces::get();
        let [left, right] = figure.side_labels;
        let baseline = area.y + style.size;
        self.text([area.x, baseline], left, style, Direction::LeftToRight);
        let right_width = faces.width(right, style.size, style.weight);
        self.text([area.right() - right_width, baseline], right, style, Direction::LeftToRight);
    }
}

/// The solid colour under region `index` of `figure`: the fill of the region of
/// the other layer drawn before it at its middle, if any, else the body's.
fn beneath(map: &BodyMap, figure: &Figure, index: usize) -> Rgba {
    let Some(shape) = map.regions.get(index) else {
        return legend::SILHOUETTE_FILL;
    };
    let own_layer = shape.id.info().layer;
    let mut under = legend::SILHOUETTE_FILL;
    for item in &figure.base {
        match item {
            Item::Fill { shape: Shape::Region(i), .. } if *i == index => break,
            Item::Fill { shape: Shape::Region(i), colour } => {
                if let Some(other) = map.regions.get(*i)
                    && other.id.info().layer != own_layer
                    && other.outline.contains(shape.label_point)
                {
                    under = colour.over(legend::SILHOUETTE_FILL);
                }
            }
            _ => {}
        }
    }
    under
}

/// How `view` of map space fits `area` on paper: the page points per map unit,
/// and the part of map space the area shows.
pub fn fitted(view: [[f32; 2]; 2], area: Area) -> (f32, Bounds) {
    let [[min_x, min_y], [max_x, max_y]] = view;
    let scale = (area.width / (max_x - min_x)).min(area.height / (max_y - min_y));
    let offset = [
        area.x + (area.width - (max_x - min_x) * scale) / 2.0 - min_x * scale,
        area.y + (area.height - (max_y - min_y) * scale) / 2.0 - min_y * scale,
    ];
    let from_page = |x: f32, y: f32| [(x - offset[0]) / scale, (y - offset[1]) / scale];
    (scale, Bounds { min: from_page(area.x, area.y), max: from_page(area.right(), area.bottom()) })
}

fn outline_of(map: &BodyMap, shape: Shape) -> Option<&[[f32; 2]]> {
    match shape {
        Shape::Silhouette => Some(map.silhouette.points()),
        Shape::Region(index) => map.regions.get(index).map(|region| region.outline.points()),
        Shape::Zone(index) => map.caution_zones.get(index).map(|zone| zone.outline.points()),
    }
}
