//! The map's shapes as egui meshes in map space, built once from the geometry's
//! triangles, and the projection that takes them to the screen each frame.

use egui::emath::TSTransform;
use egui::{Color32, Mesh, Pos2, Rect, pos2, vec2};

use crate::geometry::BodyMap;

/// Every filled shape of the map, triangulated once, in map space and white: the
/// frame only moves the vertices to the screen and colours them.
pub(super) struct MapMeshes {
    pub silhouette: Mesh,
    /// By catalogue index, like [`BodyMap::regions`].
    pub regions: Vec<Mesh>,
    /// By catalogue index, like [`BodyMap::caution_zones`].
    pub zones: Vec<Mesh>,
    /// What "Fit" shows: the silhouette and a margin, in map space.
    pub content_in_map: Rect,
}

impl std::fmt::Debug for MapMeshes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The vertices would drown whatever the widget is printed for.
        f.debug_struct("MapMeshes")
            .field("regions", &self.regions.len())
            .field("zones", &self.zones.len())
            .finish_non_exhaustive()
    }
}

impl MapMeshes {
    pub fn new(map: &BodyMap) -> MapMeshes {
        MapMeshes {
            silhouette: mesh(map.silhouette.points(), &map.silhouette_triangles),
            regions: map.regions.iter().map(|shape| mesh(shape.outline.points(), &shape.triangles)).collect(),
            zones: map
                .caution_zones
                .iter()
                .map(|shape| mesh(shape.outline.points(), &shape.triangles))
                .collect(),
            content_in_map: content_in_map(map),
        }
    }
}

/// What "Fit" shows: the silhouette and a margin, in map space.
pub(super) fn content_in_map(map: &BodyMap) -> Rect {
    let [min, max] = crate::figure::content_in_map(map);
    Rect::from_min_max(pos2(min[0], min[1]), pos2(max[0], max[1]))
}

fn mesh(points: &[[f32; 2]], triangles: &[[u32; 3]]) -> Mesh {
    let mut mesh = Mesh::default();
    mesh.reserve_vertices(points.len());
    mesh.reserve_triangles(triangles.len());
    for &[x, y] in points {
        mesh.colored_vertex(pos2(x, y), Color32::WHITE);
    }
    for &[a, b, c] in triangles {
        mesh.add_triangle(a, b, c);
    }
    mesh
}

/// A cached map-space mesh, moved to the screen and filled with one colour.
pub(super) fn on_screen(cached: &Mesh, screen_from_map: TSTransform, colour: Color32) -> Mesh {
    let mut mesh = cached.clone();
    for vertex in &mut mesh.vertices {
        vertex.pos = screen_from_map.mul_pos(vertex.pos);
        vertex.color = colour;
    }
    mesh
}

/// The smallest and largest zoom, relative to "Fit".
pub(super) const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.5..=8.0;

/// The transform from map space to the screen for a canvas, a zoom (1 = the whole
/// body fits) and a pan (how far the view's centre is moved from the body's
/// centre, in map space).
pub(super) fn screen_from_map(canvas: Rect, content_in_map: Rect, zoom: f32, pan: [f32; 2]) -> TSTransform {
    let fit = (canvas.width() / content_in_map.width()).min(canvas.height() / content_in_map.height());
    let scale = (fit * zoom).max(f32::EPSILON);
    let centre_in_map = content_in_map.center() + vec2(pan[0], pan[1]);
    TSTransform::new(canvas.center().to_vec2() - centre_in_map.to_vec2() * scale, scale)
}

/// A point of map space as a [`Pos2`].
pub(super) fn map_pos(point: [f32; 2]) -> Pos2 {
    pos2(point[0], point[1])
}

/// The pan that keeps `pos_in_map` under `pos_on_screen` at the given zoom.
pub(super) fn pan_keeping(
    canvas: Rect,
    content_in_map: Rect,
    zoom: f32,
    pos_in_map: Pos2,
    pos_on_screen: Pos2,
) -> [f32; 2] {
    let fit = (canvas.width() / content_in_map.width()).min(canvas.height() / content_in_map.height());
    let scale = (fit * zoom).max(f32::EPSILON);
    let centre_in_map = pos_in_map - (pos_on_screen - canvas.center()) / scale;
    clamp_pan(centre_in_map - content_in_map.center(), content_in_map)
}

/// A pan that keeps the view's centre over the body.
pub(super) fn clamp_pan(pan: egui::Vec2, content_in_map: Rect) -> [f32; 2] {
    let half = content_in_map.size() / 2.0;
    [pan.x.clamp(-half.x, half.x), pan.y.clamp(-half.y, half.y)]
}
