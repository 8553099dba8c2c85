//! The egui painter of the map's [`figure`](crate::figure), and what only the
//! screen shows over it: the hover, the selection, the keyboard's focus ring, and
//! side labels that find room at any size. Everything is drawn in screen space
//! through one map-to-screen transform.

use egui::emath::TSTransform;
use egui::epaint::{PathStroke, Vertex};
use egui::{
    Align2, Color32, FontId, Mesh, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Visuals, pos2, vec2,
};

use crate::figure::{self, Item, Shape as FigureShape};
use crate::geometry::{BodyMap, Polygon};
use crate::legend::{self, Primitive, Rgba, Symbol};
use crate::model::{FindingKind, RegionId};

use super::meshes::{MapMeshes, map_pos, on_screen};

/// The legend's colour as egui's.
pub(crate) fn colour(c: Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c.r, c.g, c.b, c.a)
}

/// The colour of strong selection outlines: a saturated blue that no fill scale uses.
pub(super) const SELECTION: Color32 = Color32::from_rgb(0, 92, 230);

/// The outline of a polygon of map space, on the screen.
fn outline_on_screen(polygon: &Polygon, screen_from_map: TSTransform) -> Vec<Pos2> {
    polygon.points().iter().map(|&p| screen_from_map.mul_pos(map_pos(p))).collect()
}

/// The symbols placed for the maps drawn lately, by [`figure::placement::fingerprint`].
#[derive(Clone, Default)]
struct PlacedCache(std::collections::HashMap<u64, std::sync::Arc<Vec<Item>>>);

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

    /// Paints a figure's symbols, placed for this frame's size so that none
    /// covers another. `selected_mark` is ringed.
    pub fn symbols(&self, figure: &figure::Figure, selected_mark: Option<usize>) {
        let clip = self.painter.clip_rect();
        let to_map = self.screen_from_map.inverse();
        let [min, max] = [to_map.mul_pos(clip.min), to_map.mul_pos(clip.max)];
        let visible = crate::geometry::Bounds { min: [min.x, min.y], max: [max.x, max.y] };
        let scale = self.screen_from_map.scaling;
        // The map is drawn every frame, and its symbols move only when it changes:
        // the last placements are kept, by what they were asked.
        let key = figure::placement::fingerprint(&figure.symbols, scale, visible);
        let cache_id = egui::Id::unique("knotmap_placed_symbols");
        let ctx = self.painter.ctx();
        let kept =
            ctx.data_mut(|data| data.get_temp_mut_or_default::<PlacedCache>(cache_id).0.get(&key).cloned());
        let placed = kept.unwrap_or_else(|| {
            let placed = std::sync::Arc::new(figure.placed_symbols(self.map, scale, visible));
            ctx.data_mut(|data| {
                let cache = &mut data.get_temp_mut_or_default::<PlacedCache>(cache_id).0;
                // A few maps are on screen at once (the history's three); older placements go.
                if cache.len() >= 16 {
                    cache.clear();
                }
                cache.insert(key, std::sync::Arc::clone(&placed));
            });
            placed
        });
        self.items(&placed, selected_mark);
    }

    /// Paints a figure's items, in order. `selected_mark` is ringed.
    pub fn items(&self, items: &[Item], selected_mark: Option<usize>) {
        for item in items {
            match item {
                Item::Fill { shape, colour: fill } => {
                    let cached = match *shape {
                        FigureShape::Silhouette => Some(&self.meshes.silhouette),
                        FigureShape::Region(index) => self.meshes.regions.get(index),
                        FigureShape::Zone(index) => self.meshes.zones.get(index),
                    };
                    if let Some(cached) = cached {
                        self.painter.add(Shape::mesh(on_screen(cached, self.screen_from_map, colour(*fill))));
                    }
                }
                Item::Outline { shape, line } => {
                    let polygon = match *shape {
                        FigureShape::Silhouette => Some(&self.map.silhouette),
                        FigureShape::Region(index) => self.map.regions.get(index).map(|shape| &shape.outline),
                        FigureShape::Zone(index) => {
                            self.map.caution_zones.get(index).map(|zone| &zone.outline)
                        }
                    };
                    if let Some(polygon) = polygon {
                        self.line(outline_on_screen(polygon, self.screen_from_map), true, line);
                    }
                }
                Item::Landmark { index, line } => {
                    if let Some(landmark) = self.map.landmarks.get(*index) {
                        let points = landmark.points.iter().map(|&p| self.to_screen(p)).collect();
                        self.line(points, landmark.closed, line);
                    }
                }
                Item::Badge { at, offset, kind, size } => {
                    badge(self.painter, *kind, self.to_screen(*at) + vec2(offset[0], offset[1]), *size);
                }
                Item::More { at, offset, text, size } => {
                    self.painter.text(
                        self.to_screen(*at) + vec2(offset[0], offset[1]),
                        Align2::LEFT_CENTER,
                        text,
                        FontId::proportional(*size),
                        Color32::BLACK,
                    );
                }
                Item::Warning { at, offset, size } => {
                    warning(self.painter, self.to_screen(*at) + vec2(offset[0], offset[1]), *size);
                }
                Item::Mark { index, at, kind } => {
                    mark(self.painter, *kind, self.to_screen(*at), selected_mark == Some(*index));
                }
                Item::Leader { at, offset } => {
                    let from = self.to_screen(*at);
                    let stroke = Stroke::new(1.0, colour(legend::LEADER));
                    self.painter.line_segment([from, from + vec2(offset[0], offset[1])], stroke);
                    self.painter.circle_filled(from, 1.6, colour(legend::LEADER));
                }
                Item::Symbol { at, offset, text, colour: ink, size } => {
                    let centre = self.to_screen(*at) + vec2(offset[0], offset[1]);
                    self.painter.circle(
                        centre,
                        size * 0.62,
                        colour(legend::SYMBOL_BACKGROUND),
                        Stroke::new(1.0, colour(legend::SYMBOL_RIM)),
                    );
                    self.painter.text(
                        centre,
                        Align2::CENTER_CENTER,
                        *text,
                        FontId::proportional(size * 0.75),
                        colour(*ink),
                    );
                }
            }
        }
    }

    /// A line of the figure through `points` on the screen, closed back to its
    /// start if `closed`, dashed if the figure says so.
    fn line(&self, mut points: Vec<Pos2>, closed: bool, line: &figure::Line) {
        let stroke = Stroke::new(self.line_width(line.width), colour(line.colour));
        match line.dash {
            Some([dash, gap]) => {
                if closed {
                    points.extend(points.first().copied());
                }
                self.painter.extend(Shape::dashed_line(&points, stroke, dash, gap));
            }
            None if closed => {
                self.painter.add(Shape::closed_line(points, stroke));
            }
            None => {
                self.painter.add(Shape::line(points, PathStroke::from(stroke)));
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
}

/// An amber warning triangle with a dark "!", centred at `centre`, `size` across.
fn warning(painter: &Painter, centre: Pos2, size: f32) {
    let top = centre - vec2(0.0, size * 0.55);
    let left = centre + vec2(-size * 0.6, size * 0.45);
    let right = centre + vec2(size * 0.6, size * 0.45);
    painter.add(Shape::convex_polygon(
        vec![top, right, left],
        colour(legend::WARNING_FILL),
        Stroke::new(1.0, colour(legend::WARNING_MARK)),
    ));
    painter.text(
        centre + vec2(0.0, size * 0.12),
        Align2::CENTER_CENTER,
        "!",
        FontId::proportional(size * 0.7),
        colour(legend::WARNING_MARK),
    );
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
    pub fn side_labels(&self, canvas: Rect, labels: [&str; 2], visuals: &Visuals) -> [Rect; 2] {
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
            let galleys = labels.map(|text| {
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
    badge(painter, kind, centre, figure::MARK_SIZE);
}
