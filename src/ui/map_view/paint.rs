//! Drawing the body map with egui: the figure, the regions in the legend's colours,
//! the landmarks, the caution zones, the findings' symbols and the side labels.
//! Everything is drawn in screen space through one map-to-screen transform.

use egui::emath::TSTransform;
use egui::epaint::{PathStroke, Vertex};
use egui::{Align2, Color32, FontId, Mesh, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Visuals, vec2};

use crate::geometry::{BodyMap, LandmarkKind, Polygon};
use crate::legend::{self, FillMode, Primitive, Rgba, Symbol};
use crate::model::{FindingKind, Layer, RegionId, Session};

use super::meshes::{MapMeshes, map_pos, on_screen};

/// The legend's colour as egui's.
pub(super) fn colour(c: Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c.r, c.g, c.b, c.a)
}

/// The colour of strong selection outlines: a saturated blue that no fill scale uses.
pub(super) const SELECTION: Color32 = Color32::from_rgb(0, 92, 230);

/// The outline of a polygon of map space, on the screen.
fn outline_on_screen(polygon: &Polygon, screen_from_map: TSTransform) -> Vec<Pos2> {
    polygon.points().iter().map(|&p| screen_from_map.mul_pos(map_pos(p))).collect()
}

/// Everything a drawing function needs to know about the frame.
pub(super) struct Scene<'a> {
    pub painter: &'a Painter,
    pub map: &'a BodyMap,
    pub meshes: &'a MapMeshes,
    pub screen_from_map: TSTransform,
    /// The view's zoom, 1 when the whole body fits.
    pub zoom: f32,
}

impl Scene<'_> {
    fn to_screen(&self, point: [f32; 2]) -> Pos2 {
        self.screen_from_map.mul_pos(map_pos(point))
    }

    /// Line widths grow a little as one zooms in, so lines stay in proportion.
    fn line_width(&self, base: f32) -> f32 {
        base * self.zoom.sqrt().clamp(0.9, 2.0)
    }

    pub fn silhouette(&self) {
        let fill = colour(legend::SILHOUETTE_FILL);
        self.painter.add(Shape::mesh(on_screen(&self.meshes.silhouette, self.screen_from_map, fill)));
        let outline = outline_on_screen(&self.map.silhouette, self.screen_from_map);
        self.painter.add(Shape::closed_line(
            outline,
            Stroke::new(self.line_width(1.4), colour(legend::SILHOUETTE_OUTLINE)),
        ));
    }

    /// Fills every region of `layer` with its value's colour, at `opacity`.
    pub fn region_fills(&self, layer: Layer, fill: FillMode, session: &Session, opacity: f32) {
        for (shape, mesh) in self.map.regions.iter().zip(&self.meshes.regions) {
            if shape.id.info().layer != layer {
                continue;
            }
            let fill = legend::region_fill(fill, session.region(shape.id));
            let fill = colour(fill).gamma_multiply(opacity);
            self.painter.add(Shape::mesh(on_screen(mesh, self.screen_from_map, fill)));
        }
    }

    /// The borders of every region of `layer`, dashed for a layer shown faded.
    pub fn region_outlines(&self, layer: Layer, opacity: f32, dashed: bool) {
        let stroke =
            Stroke::new(self.line_width(1.0), colour(legend::REGION_OUTLINE).gamma_multiply(opacity));
        for shape in self.map.regions.iter().filter(|s| s.id.info().layer == layer) {
            let mut outline = outline_on_screen(&shape.outline, self.screen_from_map);
            if dashed {
                outline.extend(outline.first().copied());
                self.painter.extend(Shape::dashed_line(&outline, stroke, 5.0, 3.0));
            } else {
                self.painter.add(Shape::closed_line(outline, stroke));
            }
        }
    }

    /// A region lightened, for the pointer hovering it.
    pub fn hover(&self, region: RegionId) {
        let Some(mesh) = self.meshes.regions.get(region as usize) else {
            return;
        };
        let shape = self.map.region(region);
        self.painter.add(Shape::mesh(on_screen(mesh, self.screen_from_map, Color32::from_white_alpha(70))));
        self.painter.add(Shape::closed_line(
            outline_on_screen(&shape.outline, self.screen_from_map),
            Stroke::new(self.line_width(2.0), Color32::from_black_alpha(150)),
        ));
    }

    /// A selected region's strong outline: blue, with a white inner line that keeps
    /// it apart from dark fills.
    pub fn selected(&self, region: RegionId) {
        let outline = outline_on_screen(&self.map.region(region).outline, self.screen_from_map);
        self.painter.add(Shape::closed_line(outline.clone(), Stroke::new(self.line_width(3.5), SELECTION)));
        self.painter.add(Shape::closed_line(outline, Stroke::new(self.line_width(1.0), Color32::WHITE)));
    }

    /// The region that has keyboard focus: a dashed outline, and a ring at its
    /// label point where its button is.
    pub fn focus_ring(&self, region: RegionId, visuals: &Visuals) {
        let mut outline = outline_on_screen(&self.map.region(region).outline, self.screen_from_map);
        outline.extend(outline.first().copied());
        self.painter.extend(Shape::dashed_line(
            &outline,
            Stroke::new(self.line_width(2.0), Color32::BLACK),
            4.0,
            3.0,
        ));
        let centre = self.to_screen(self.map.region(region).label_point);
        let stroke = Stroke::new(2.0, visuals.selection.stroke.color);
        self.painter.circle(centre, 9.0, Color32::from_white_alpha(160), stroke);
        self.painter.circle_stroke(centre, 11.0, Stroke::new(1.0, Color32::BLACK));
    }

    pub fn landmarks(&self) {
        let ink = colour(legend::LANDMARK);
        for landmark in &self.map.landmarks {
            let (width, alpha, dashed) = match landmark.kind {
                LandmarkKind::Spine => (1.8, 0.9, false),
                LandmarkKind::ScapularSpine | LandmarkKind::IliacCrest => (1.6, 0.85, false),
                LandmarkKind::ScapulaBorder => (1.2, 0.75, false),
                // The rib lies under the muscles: a dashed line.
                LandmarkKind::TwelfthRib => (1.2, 0.75, true),
            };
            let stroke = Stroke::new(self.line_width(width), ink.gamma_multiply(alpha));
            let mut points: Vec<Pos2> = landmark.points.iter().map(|&p| self.to_screen(p)).collect();
            if landmark.closed {
                points.extend(points.first().copied());
            }
            if dashed {
                self.painter.extend(Shape::dashed_line(&points, stroke, 6.0, 4.0));
            } else {
                self.painter.add(Shape::line(points, PathStroke::from(stroke)));
            }
        }
    }

    pub fn caution_zones(&self) {
        let stroke = Stroke::new(self.line_width(1.6), colour(legend::CAUTION_OUTLINE));
        for (shape, mesh) in self.map.caution_zones.iter().zip(&self.meshes.zones) {
            self.painter.add(Shape::mesh(on_screen(
                mesh,
                self.screen_from_map,
                colour(legend::CAUTION_FILL),
            )));
            let mut outline = outline_on_screen(&shape.outline, self.screen_from_map);
            outline.extend(outline.first().copied());
            self.painter.extend(Shape::dashed_line(&outline, stroke, 6.0, 4.0));
        }
    }

    /// Small symbols under the label point of each region of `layers` that has
    /// findings.
    pub fn finding_badges(&self, layers: &[Layer], session: &Session) {
        const SIZE: f32 = 12.0;
        const MAX_SHOWN: usize = 4;
        for work in &session.regions {
            if work.findings.is_empty() || !layers.contains(&work.region.info().layer) {
                continue;
            }
            let centre = self.to_screen(self.map.region(work.region).label_point);
            let shown = work.findings.len().min(MAX_SHOWN);
            let row_width = shown as f32 * (SIZE + 2.0);
            let mut at = centre + vec2(-row_width / 2.0 + SIZE / 2.0 + 1.0, SIZE);
            for kind in work.findings.iter().take(MAX_SHOWN) {
                badge(self.painter, *kind, at, SIZE);
                at.x += SIZE + 2.0;
            }
            if work.findings.len() > MAX_SHOWN {
                self.painter.text(
                    at - vec2(SIZE / 2.0, 0.0),
                    Align2::LEFT_CENTER,
                    format!("+{}", work.findings.len() - MAX_SHOWN),
                    FontId::proportional(10.0),
                    Color32::BLACK,
                );
            }
        }
    }
}

impl Scene<'_> {
    /// An amber warning triangle above each warned region's label point.
    pub fn warning_badges(&self, layers: &[Layer], warned: &std::collections::BTreeSet<RegionId>) {
        const SIZE: f32 = 15.0;
        for &region in warned {
            if !layers.contains(&region.info().layer) {
                continue;
            }
            let centre = self.to_screen(self.map.region(region).label_point) - vec2(0.0, SIZE * 0.9);
            let top = centre - vec2(0.0, SIZE * 0.55);
            let left = centre + vec2(-SIZE * 0.6, SIZE * 0.45);
            let right = centre + vec2(SIZE * 0.6, SIZE * 0.45);
            self.painter.add(Shape::convex_polygon(
                vec![top, right, left],
                colour(legend::WARNING_FILL),
                Stroke::new(1.0, colour(legend::WARNING_MARK)),
            ));
            self.painter.text(
                centre + vec2(0.0, SIZE * 0.12),
                Align2::CENTER_CENTER,
                "!",
                FontId::proportional(SIZE * 0.7),
                colour(legend::WARNING_MARK),
            );
        }
    }
}

/// A finding's symbol on a white disc, centred at `centre`, `size` across: on
/// the map, in its legend, and on the region editor's finding buttons.
pub(crate) fn badge(painter: &Painter, kind: FindingKind, centre: Pos2, size: f32) {
    painter.circle(
        centre,
        size * 0.62,
        colour(legend::SYMBOL_BACKGROUND),
        Stroke::new(1.0, colour(legend::SYMBOL_RIM)),
    );
    symbol(
        painter,
        legend::finding_symbol(kind),
        Rect::from_center_size(centre, egui::Vec2::splat(size * 0.8)),
    );
}

/// A symbol of the legend, drawn into `rect` (its unit box).
pub(super) fn symbol(painter: &Painter, symbol: Symbol, rect: Rect) {
    let ink = colour(symbol.colour);
    let size = rect.width().min(rect.height());
    let to_screen = |p: [f32; 2]| rect.min + vec2(p[0] * size, p[1] * size);
    let stroke = Stroke::new((legend::SYMBOL_STROKE * size).max(1.0), ink);
    for primitive in symbol.primitives {
        match *primitive {
            Primitive::Circle { centre, radius, filled: true } => {
                painter.circle_filled(to_screen(centre), radius * size, ink);
            }
            Primitive::Circle { centre, radius, filled: false } => {
                painter.circle_stroke(to_screen(centre), radius * size, stroke);
            }
            Primitive::Polygon { points, filled } => {
                let points: Vec<Pos2> = points.iter().map(|&p| to_screen(p)).collect();
                if filled {
                    painter.add(Shape::mesh(fan(&points, ink)));
                    // A thin rim in the same colour anti-aliases the fan's edges.
                    painter.add(Shape::closed_line(points, Stroke::new(1.0, ink)));
                } else {
                    painter.add(Shape::closed_line(points, stroke));
                }
            }
            Primitive::Line { points } => {
                let points: Vec<Pos2> = points.iter().map(|&p| to_screen(p)).collect();
                painter.add(Shape::line(points, stroke));
            }
        }
    }
}

/// A fan of triangles from the centroid: fills any polygon that is star-shaped
/// around its centroid, as the legend's filled polygons are.
fn fan(points: &[Pos2], colour: Color32) -> Mesh {
    let mut mesh = Mesh::default();
    let n = points.len() as f32;
    let centroid = points.iter().fold(Pos2::ZERO, |sum, p| sum + p.to_vec2() / n);
    mesh.vertices.push(Vertex { pos: centroid, uv: egui::epaint::WHITE_UV, color: colour });
    for &p in points {
        mesh.colored_vertex(p, colour);
    }
    let count = points.len() as u32;
    for i in 0..count {
        mesh.add_triangle(0, 1 + i, 1 + (i + 1) % count);
    }
    mesh
}

/// "CLIENT'S LEFT" and "CLIENT'S RIGHT" in the canvas's top corners, fixed there
/// whatever the zoom, so the sides can never be mistaken.
pub(super) fn side_labels(painter: &Painter, canvas: Rect, visuals: &Visuals) {
    let inset = vec2(8.0, 8.0);
    for (text, align, corner) in [
        (legend::CLIENT_LEFT, Align2::LEFT_TOP, canvas.left_top() + inset),
        (legend::CLIENT_RIGHT, Align2::RIGHT_TOP, canvas.right_top() + vec2(-inset.x, inset.y)),
    ] {
        let galley =
            painter.layout_no_wrap(text.to_owned(), FontId::proportional(13.0), visuals.strong_text_color());
        let padding = vec2(6.0, 3.0);
        let rect = align.anchor_size(corner, galley.size() + 2.0 * padding);
        painter.rect(
            rect,
            4.0,
            visuals.window_fill.gamma_multiply(0.92),
            visuals.window_stroke,
            StrokeKind::Inside,
        );
        painter.galley(rect.min + padding, galley, visuals.strong_text_color());
    }
}

/// A mark placed on the map: its symbol on a disc, ringed when selected.
pub(super) fn mark(painter: &Painter, kind: FindingKind, centre: Pos2, selected: bool) {
    if selected {
        painter.circle_stroke(centre, 13.0, Stroke::new(3.0, SELECTION));
        painter.circle_stroke(centre, 11.0, Stroke::new(1.0, Color32::WHITE));
    }
    badge(painter, kind, centre, 16.0);
}
