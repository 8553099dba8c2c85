//! Drawing the body map with egui: the figure, the regions in the legend's colours,
//! the landmarks, the caution zones, the findings' symbols and the side labels.
//! Everything is drawn in screen space through one map-to-screen transform.

use egui::emath::TSTransform;
use egui::epaint::{PathStroke, Vertex};
use egui::{
    Align2, Color32, FontId, Mesh, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Visuals, pos2, vec2,
};

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

impl Scene<'_> {
    /// "CLIENT'S LEFT" and "CLIENT'S RIGHT", each beside its own side of the
    /// body: level with the head, against the canvas's left and right edges, so
    /// the sides can never be mistaken. Where one line does not fit between the
    /// edge and the head, the words go on two lines, then in smaller type; where
    /// nothing fits there (a small canvas, or zoomed in), they stay in the top
    /// corners, over the body. Whatever the size, each stays on its side of the
    /// body's midline. Returns where they are, left first.
    pub fn side_labels(&self, canvas: Rect, visuals: &Visuals) -> [Rect; 2] {
        const INSET: f32 = 6.0;
        /// Between a label and the body, or the other label.
        const GAP: f32 = 6.0;
        const PADDING: egui::Vec2 = vec2(5.0, 2.0);
        let bounds = self.map.silhouette.bounds();
        let midline_in_map = (bounds.min[0] + bounds.max[0]) / 2.0;
        // Kept off the canvas's edges, so that a panned body still leaves each label its half.
        let quarter = canvas.width() / 4.0;
        let midline =
            self.to_screen([midline_in_map, 0.0]).x.clamp(canvas.left() + quarter, canvas.right() - quarter);
        let head_top = self.to_screen([midline_in_map, bounds.min[1]]).y;
        let ink = visuals.strong_text_color();
        let mut beside_head = None;
        let mut smallest = None;
        for (size, two_lines) in [(13.0, false), (13.0, true), (11.0, true)] {
            let galleys = [legend::CLIENT_LEFT, legend::CLIENT_RIGHT].map(|text| {
                let text = if two_lines { text.replacen(' ', "\n", 1) } else { text.to_owned() };
                self.painter.layout_no_wrap(text, FontId::proportional(size), ink)
            });
            let [left_size, right_size] = [0, 1].map(|side| galleys[side].size() + 2.0 * PADDING);
            let lowest = canvas.bottom() - INSET - left_size.y.max(right_size.y);
            let top = head_top.clamp(canvas.top() + INSET, lowest.max(canvas.top() + INSET));
            let left = Rect::from_min_size(pos2(canvas.left() + INSET, top), left_size);
            let right = Rect::from_min_size(pos2(canvas.right() - INSET - right_size.x, top), right_size);
            let own_sides = left.right() + GAP / 2.0 <= midline && right.left() - GAP / 2.0 >= midline;
            if own_sides && self.clear_of_body(left.expand(GAP)) && self.clear_of_body(right.expand(GAP)) {
                beside_head = Some((galleys, [left, right]));
                break;
            }
            smallest = Some((galleys, [left, right]));
        }
        let Some((galleys, rects)) = beside_head.or_else(|| {
            // Nothing fits beside the head: the top corners, each label kept to its half.
            let (galleys, [left, right]) = smallest?;
            let top = canvas.top() + INSET;
            let left = Rect::from_min_max(
                pos2(left.left(), top),
                pos2(left.right().min(midline - GAP / 2.0), top + left.height()),
            );
            let right = Rect::from_min_max(
                pos2(right.left().max(midline + GAP / 2.0), top),
                pos2(right.right(), top + right.height()),
            );
            Some((galleys, [left, right]))
        }) else {
            return [Rect::NOTHING; 2];
        };
        for (galley, rect) in galleys.into_iter().zip(rects) {
            self.painter.rect(
                rect,
                4.0,
                visuals.window_fill.gamma_multiply(0.92),
                visuals.window_stroke,
                StrokeKind::Inside,
            );
            // Clipped to its box: on the narrowest canvas, a word may lose its end, never its side.
            self.painter.with_clip_rect(rect.intersect(self.painter.clip_rect())).galley(
                rect.min + PADDING,
                galley,
                ink,
            );
        }
        rects
    }

    /// Whether `rect` (on the screen) lies clear of the body's outline: scanned
    /// line by line, every few points, for where the body crosses it.
    fn clear_of_body(&self, rect: Rect) -> bool {
        const STEP: f32 = 3.0;
        let map_from_screen = self.screen_from_map.inverse();
        let left_in_map = map_from_screen.mul_pos(rect.left_top()).x;
        let right_in_map = map_from_screen.mul_pos(rect.right_top()).x;
        let lines = (rect.height() / STEP).ceil().max(1.0) as usize;
        (0..=lines).all(|line| {
            let y_on_screen = (rect.top() + line as f32 * STEP).min(rect.bottom());
            let y = map_from_screen.mul_pos(pos2(rect.left(), y_on_screen)).y;
            let mut crossings: Vec<f32> = self
                .map
                .silhouette
                .edges()
                .filter(|(a, b)| (a[1] <= y) != (b[1] <= y))
                .map(|(a, b)| a[0] + (y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]))
                .collect();
            crossings.sort_by(f32::total_cmp);
            // The body is inside between the first and second crossing, the third and fourth, and so on.
            crossings
                .chunks(2)
                .all(|inside| inside.len() < 2 || inside[1] < left_in_map || inside[0] > right_in_map)
        })
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
