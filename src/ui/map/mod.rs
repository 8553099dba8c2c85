//! The body map: the client's back, neck and shoulders as a clickable, layered
//! map that edits a session in place.
//!
//! The therapist selects regions, paints tension, pressure or pain across them,
//! and places findings (trigger points, spasm, "avoid", ...) at exact points. The
//! geometry comes from [`crate::geometry`], the colours and symbols from
//! [`crate::legend`], so the screen and the printed plan agree.
//!
//! Mouse: click a region to select it, Shift-click to add or remove one; with the
//! Paint tool press and drag across regions; with a mark tool click to place a
//! mark; with Select drag a mark to move it, right-click it to edit its note or
//! delete it. The wheel and pinch zoom about the pointer; the middle button, or
//! the left button with Space held, pans; "Fit" shows the whole body.
//!
//! Keyboard: every region of the layers shown is a focusable button named like
//! "Upper trapezius, client's left". The map is one Tab stop: Tab reaches its
//! first region and leaves it for what follows, Enter or Space selects (Shift
//! adds), the arrow keys move to the nearest region in that direction, Escape clears the selection, 0 to 9 set the current fill's value on
//! the selected regions (T sets pain 10), Delete removes the selected mark. From
//! anywhere in the app, F6 gives the map the keyboard, and (while no text field
//! has it) L shows the next layer and F the next fill (see [`crate::ui::app::command::Command`]).

mod legend_panel;
mod meshes;
pub(crate) mod paint;
mod toolbar;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use egui::emath::TSTransform;
use egui::{
    CursorIcon, EventFilter, Id, Key, Modifiers, PointerButton, Pos2, Rect, Role, Sense, Vec2, WidgetInfo,
    pos2, vec2,
};
use serde::{Deserialize, Serialize};

use crate::figure::{Figure, FigureView, SessionValues};
use crate::geometry::BodyMap;
use crate::legend::FillMode;
use crate::model::{FindingKind, MapMark, MapPoint, Pain, Pressure, RegionId, Session, Tension};

use meshes::{MapMeshes, map_pos};
use paint::Scene;
use toolbar::ViewRequest;

/// The side of the square button that stands for a region at its label point.
const REGION_NODE_SIZE: f32 = 14.0;
/// The side of the square a mark can be grabbed by.
const MARK_GRAB_SIZE: f32 = 20.0;
/// The width of the legend beside the map.
const LEGEND_WIDTH: f32 = 150.0;
/// The smallest canvas, for a map squeezed into a small space.
const MIN_CANVAS: Vec2 = vec2(200.0, 280.0);

pub use crate::figure::LayerView;

/// What a click or drag on the map does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tool {
    /// Select regions; move marks.
    #[default]
    Select,
    /// Give every region the pointer crosses the current paint value.
    Paint,
    /// Place a finding of this kind where the map is clicked.
    Mark(FindingKind),
}

/// The value the Paint tool gives, one for each fill mode, so that switching the
/// fill keeps each scale's choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaintValues {
    pub tension: u8,
    pub pressure: u8,
    pub pain: u8,
}

impl Default for PaintValues {
    fn default() -> Self {
        PaintValues { tension: 2, pressure: 3, pain: 5 }
    }
}

/// What happened on the map this frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapResponse {
    /// The session was edited: a value painted or typed, a mark placed, moved,
    /// annotated or deleted.
    pub changed: bool,
    /// The regions whose entries were edited this frame.
    pub edited_regions: BTreeSet<RegionId>,
    /// The selection changed this frame.
    pub selection_changed: bool,
    /// The selected regions, after this frame.
    pub selection: BTreeSet<RegionId>,
    /// The region under the pointer, or else the one with keyboard focus.
    pub hovered: Option<RegionId>,
}

/// A mark being dragged: which, and where in it the pointer holds it.
#[derive(Clone, Copy, Debug, PartialEq)]
struct DraggedMark {
    index: usize,
    /// From the pointer to the mark's centre, on the screen.
    grab_offset: Vec2,
}

/// The body map widget. Its view settings persist; what is selected does not.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct MapView {
    /// 1 shows the whole body; larger values zoom in.
    pub zoom: f32,
    /// How far the view's centre is moved from the body's centre, in map space.
    pub pan: [f32; 2],
    /// Which layers are drawn and reached by clicks and the keyboard.
    pub layer_view: LayerView,
    /// Which value colours the regions, and which value the number keys set.
    pub fill: FillMode,
    /// Whether the caution zones are drawn over the regions.
    pub show_caution_zones: bool,
    /// What a click or drag on the map does.
    pub tool: Tool,
    /// The value the Paint tool gives, for each fill.
    pub paint_values: PaintValues,

    #[serde(skip)]
    selection: BTreeSet<RegionId>,
    /// Regions with a safety warning, badged on the map.
    #[serde(skip)]
    warned: BTreeSet<RegionId>,
    /// Last session's values by region, for the tooltip.
    #[serde(skip)]
    last_time: BTreeMap<RegionId, String>,
    #[serde(skip)]
    hovered: Option<RegionId>,
    /// The index in the session's marks of the selected mark.
    #[serde(skip)]
    selected_mark: Option<usize>,
    #[serde(skip)]
    dragged_mark: Option<DraggedMark>,
    /// The region whose button has keyboard focus.
    #[serde(skip)]
    focused_region: Option<RegionId>,
    /// The region that got focus from a click rather than the keyboard: it gets no
    /// focus ring.
    #[serde(skip)]
    focus_from_pointer: Option<RegionId>,
    /// The mark whose note is open for editing, and whether its field still has to
    /// take the keyboard.
    #[serde(skip)]
    note_editor: Option<(usize, bool)>,
    /// The pointer's position at the last frame of a paint stroke.
    #[serde(skip)]
    paint_stroke: Option<Pos2>,
    /// Whether the last press of the pointer was on this widget: then its keys
    /// work even when no widget has keyboard focus.
    #[serde(skip)]
    engaged: bool,
    /// The map was asked for the keyboard (F6, or a new layer while it had it):
    /// a region's button takes it at the next frame.
    #[serde(skip)]
    wants_keyboard: bool,
    /// The canvas the map was drawn in last.
    #[serde(skip)]
    canvas: Option<Rect>,
    #[serde(skip)]
    meshes: Option<Arc<MapMeshes>>,
}

impl Default for MapView {
    fn default() -> Self {
        MapView {
            zoom: 1.0,
            pan: [0.0, 0.0],
            layer_view: LayerView::default(),
            fill: FillMode::default(),
            show_caution_zones: false,
            tool: Tool::default(),
            paint_values: PaintValues::default(),
            selection: BTreeSet::new(),
            warned: BTreeSet::new(),
            last_time: BTreeMap::new(),
            hovered: None,
            selected_mark: None,
            dragged_mark: None,
            focused_region: None,
            focus_from_pointer: None,
            note_editor: None,
            paint_stroke: None,
            engaged: false,
            wants_keyboard: false,
            canvas: None,
            meshes: None,
        }
    }
}

impl MapView {
    /// The selected regions.
    pub fn selection(&self) -> &BTreeSet<RegionId> {
        &self.selection
    }

    /// Selects exactly these regions, e.g. when a row of the plan is chosen.
    pub fn select(&mut self, regions: impl IntoIterator<Item = RegionId>) {
        self.selection = regions.into_iter().collect();
    }

    /// The regions to badge with a safety warning (the safety rules decide which).
    pub fn set_warned_regions(&mut self, regions: BTreeSet<RegionId>) {
        self.warned = regions;
    }

    /// The regions badged with a safety warning now.
    pub fn warned_regions(&self) -> &BTreeSet<RegionId> {
        &self.warned
    }

    /// What the client's last session recorded of each region, as set last.
    pub fn last_time(&self) -> &BTreeMap<RegionId, String> {
        &self.last_time
    }

    /// What the client's last session recorded of each region, in words, for
    /// the hover tooltip ("last: tension 2, pain 6 (26 Nov)").
    pub fn set_last_time(&mut self, last_time: BTreeMap<RegionId, String>) {
        self.last_time = last_time;
    }

    /// Puts a view read back from a settings file within bounds: a zoom or pan
    /// that is not a number, or far out, would leave nothing to see.
    pub fn make_sane(&mut self) {
        let (min, max) = (*meshes::ZOOM_RANGE.start(), *meshes::ZOOM_RANGE.end());
        if !self.zoom.is_finite() || !(min..=max).contains(&self.zoom) {
            self.zoom = 1.0;
        }
        if !self.pan.iter().all(|value| value.is_finite() && value.abs() <= 1.0) {
            self.pan = [0.0, 0.0];
        }
    }

    pub fn clear_selection(&mut self) {
        self.selection.clear();
        self.selected_mark = None;
        self.note_editor = None;
        self.dragged_mark = None;
    }

    /// The index (in the session's marks) of the selected mark.
    pub fn selected_mark(&self) -> Option<usize> {
        self.selected_mark
    }

    /// The region under the pointer at the last frame.
    pub fn hovered(&self) -> Option<RegionId> {
        self.hovered
    }

    /// The value the Paint tool gives on the current fill's scale.
    pub fn paint_value(&self) -> u8 {
        match self.fill {
            FillMode::Tension => self.paint_values.tension,
            FillMode::Pressure => self.paint_values.pressure,
            FillMode::Pain => self.paint_values.pain,
        }
    }

    /// Sets the value the Paint tool gives on the current fill's scale; a value
    /// outside the scale is ignored.
    pub fn set_paint_value(&mut self, value: u8) {
        if !self.fill.range().contains(&value) {
            return;
        }
        match self.fill {
            FillMode::Tension => self.paint_values.tension = value,
            FillMode::Pressure => self.paint_values.pressure = value,
            FillMode::Pain => self.paint_values.pain = value,
        }
    }

    /// Gives the keyboard to the map at its next frame: to the region that had
    /// it, else the first selected one, else the first region of the map.
    pub fn take_keyboard(&mut self) {
        self.wants_keyboard = true;
    }

    /// Shows the next layer (superficial, deep, both, and round again). If the
    /// map had the keyboard, the nearest region of the new layer takes it.
    pub fn next_layer(&mut self) {
        let index = LayerView::ALL.iter().position(|&view| view == self.layer_view).unwrap_or_default();
        self.layer_view = LayerView::ALL[(index + 1) % LayerView::ALL.len()];
        self.forget_hidden_selection();
        if self.focused_region.is_some() {
            self.wants_keyboard = true;
        }
    }

    /// Colours the map by the next value: tension, pressure, pain, and round again.
    pub fn next_fill(&mut self) {
        let index = FillMode::ALL.iter().position(|&fill| fill == self.fill).unwrap_or_default();
        self.fill = FillMode::ALL[(index + 1) % FillMode::ALL.len()];
    }

    /// The canvas the map was drawn in at the last frame, on the screen.
    pub fn canvas(&self) -> Option<Rect> {
        self.canvas
    }

    /// Where a point of map space appears on the screen, for a map drawn in
    /// `canvas` with this view's zoom and pan.
    pub fn screen_pos(&self, canvas: Rect, pos_in_map: [f32; 2]) -> Pos2 {
        match BodyMap::standard() {
            Ok(map) => self.screen_from_map(canvas, meshes::content_in_map(map)).mul_pos(map_pos(pos_in_map)),
            Err(_) => canvas.center(),
        }
    }

    fn screen_from_map(&self, canvas: Rect, content_in_map: Rect) -> TSTransform {
        meshes::screen_from_map(canvas, content_in_map, self.zoom, self.pan)
    }

    /// Shows the toolbar, the map and its legend, and edits `session` as the user
    /// asks; with `read_only` the map can be looked at and selected in, but
    /// nothing in the session changes.
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &mut Session, read_only: bool) -> MapResponse {
        let map = match BodyMap::standard() {
            Ok(map) => map,
            Err(error) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("The body map cannot be shown: {error}"),
                );
                return MapResponse::default();
            }
        };
        let meshes = Arc::clone(self.meshes.get_or_insert_with(|| Arc::new(MapMeshes::new(map))));
        self.forget_missing_marks(session);
        let selection_before = self.selection.clone();
        let mut out = MapResponse::default();

        let whole = ui
            .vertical(|ui| {
                let request = toolbar::show(ui, self, read_only);
                ui.add_space(4.0);
                let available = ui.available_size();
                let width = (available.x - LEGEND_WIDTH - ui.spacing().item_spacing.x).max(MIN_CANVAS.x);
                let height = if available.y.is_finite() && available.y >= MIN_CANVAS.y {
                    available.y
                } else {
                    (width * 1.3).max(MIN_CANVAS.y)
                };
                ui.horizontal_top(|ui| {
                    let frame = FrameData { map, meshes: &meshes, read_only };
                    self.canvas_ui(ui, vec2(width, height), &frame, session, request, &mut out);
                    ui.vertical(|ui| {
                        ui.set_width(LEGEND_WIDTH);
                        let values = SessionValues { session, mode: self.fill };
                        legend_panel::show(ui, &values, self.show_caution_zones);
                    });
                });
            })
            .response;

        // Keys reach the map after a press on it, until a press elsewhere.
        if let Some(pressed_at) =
            ui.input(|i| i.pointer.any_pressed().then(|| i.pointer.interact_pos()).flatten())
        {
            self.engaged = whole.rect.contains(pressed_at);
        }

        out.selection_changed = self.selection != selection_before;
        out.selection = self.selection.clone();
        out.hovered = self.hovered.or(self.focused_region);
        out.changed |= !out.edited_regions.is_empty();
        out
    }

    /// The map itself: its buttons for the keyboard, the pointer's work, the keys,
    /// and the drawing.
    fn canvas_ui(
        &mut self,
        ui: &mut egui::Ui,
        size: Vec2,
        frame: &FrameData<'_>,
        session: &mut Session,
        request: Option<ViewRequest>,
        out: &mut MapResponse,
    ) {
        let (canvas, _) = ui.allocate_exact_size(size, Sense::hover());
        self.canvas = Some(canvas);
        let content = frame.meshes.content_in_map;
        let base_id = ui.make_persistent_id("knotmap_map_view");
        let tool = if frame.read_only { Tool::Select } else { self.tool };

        match request {
            Some(ViewRequest::Fit) => {
                self.zoom = 1.0;
                self.pan = [0.0, 0.0];
            }
            Some(ViewRequest::ZoomBy(factor)) => self.zoom_about(canvas, content, canvas.center(), factor),
            None => {}
        }
        self.wheel_and_pinch(ui, canvas, content);
        let screen_from_map = self.screen_from_map(canvas, content);

        // The regions' buttons go under the canvas's own sense: the pointer reaches
        // the canvas, the keyboard and screen readers reach the buttons.
        let focused_node =
            self.region_nodes(ui, base_id, frame.map, session, screen_from_map, canvas, content);
        let screen_from_map = self.screen_from_map(canvas, content);
        let map_from_screen = screen_from_map.inverse();

        let canvas_response = ui.interact(canvas, base_id.with("canvas"), Sense::CLICK | Sense::DRAG);
        let space_held = ui.input(|i| i.key_down(Key::Space));
        self.pan_by_drag(ui, &canvas_response, space_held, canvas, content);

        self.hovered = canvas_response
            .hover_pos()
            .and_then(|pos| self.region_at(frame.map, map_from_screen.mul_pos(pos)));

        if canvas_response.clicked_by(PointerButton::Primary)
            && !space_held
            && let Some(pos) = canvas_response.interact_pointer_pos()
        {
            let pos_in_map = map_from_screen.mul_pos(pos);
            match tool {
                Tool::Select => {
                    let shift = click_with_shift(ui);
                    match self.region_at(frame.map, pos_in_map) {
                        Some(region) => {
                            self.click_region(region, shift);
                            self.focus_from_pointer = Some(region);
                            let node = region_node_id(base_id, region);
                            ui.memory_mut(|memory| memory.request_focus(node));
                        }
                        None if !shift => self.selection.clear(),
                        None => {}
                    }
                    self.selected_mark = None;
                }
                Tool::Paint => self.paint_segment(frame.map, session, pos_in_map, pos_in_map, out),
                Tool::Mark(kind) => {
                    let inside = frame.map.silhouette.contains([pos_in_map.x, pos_in_map.y]);
                    if inside && let Ok(at) = MapPoint::new(pos_in_map.x, pos_in_map.y) {
                        session.marks.push(MapMark { at, kind, note: String::new() });
                        self.selected_mark = Some(session.marks.len() - 1);
                        out.changed = true;
                    }
                }
            }
        }

        let painting = tool == Tool::Paint
            && !space_held
            && canvas_response.is_pointer_button_down_on()
            && ui.input(|i| i.pointer.primary_down());
        match ui.input(|i| i.pointer.interact_pos()) {
            Some(pos) if painting => {
                let from = self.paint_stroke.unwrap_or(pos);
                self.paint_segment(
                    frame.map,
                    session,
                    map_from_screen.mul_pos(from),
                    map_from_screen.mul_pos(pos),
                    out,
                );
                self.paint_stroke = Some(pos);
            }
            _ => self.paint_stroke = None,
        }

        let marks =
            MarkContext { base_id, editable: tool == Tool::Select && !frame.read_only, screen_from_map };
        let mark_has_focus = self.marks_ui(ui, session, frame.map, &marks, out);
        self.note_editor_ui(ui, session, &marks, out);

        let focused = ui.memory(|memory| memory.focused());
        // With a window or a dialog over the map, its keys (Escape first) are theirs.
        let window_over = crate::ui::widgets::escape::something_in_front(ui.ctx());
        let keys_are_ours =
            !window_over && (focused_node.is_some() || mark_has_focus || (focused.is_none() && self.engaged));
        if keys_are_ours && self.note_editor.is_none() {
            self.keys(ui, session, frame.read_only, out);
        }

        let cursor = if canvas_response.dragged_by(PointerButton::Middle) || space_held {
            Some(CursorIcon::Grab)
        } else {
            match tool {
                Tool::Select if self.hovered.is_some() => Some(CursorIcon::PointingHand),
                Tool::Select => None,
                Tool::Paint | Tool::Mark(_) => Some(CursorIcon::Crosshair),
            }
        };
        if canvas_response.hovered()
            && let Some(cursor) = cursor
        {
            ui.set_cursor_icon(cursor);
        }

        let side_labels = self.draw(ui, canvas, frame, session, screen_from_map);
        // The side labels are read out too, and found by where they are.
        for (rect, text) in
            side_labels.into_iter().zip([crate::legend::CLIENT_LEFT, crate::legend::CLIENT_RIGHT])
        {
            let label = ui.interact(rect, base_id.with(text), Sense::hover());
            label.widget_info(|| WidgetInfo::labeled(Role::Label, true, text));
        }

        if let Some(region) = self.hovered
            && self.dragged_mark.is_none()
            && self.paint_stroke.is_none()
        {
            let pos_in_map = canvas_response.hover_pos().map(|pos| map_from_screen.mul_pos(pos));
            let zones = if self.show_caution_zones {
                pos_in_map.map(|pos| zones_at(frame.map, pos)).unwrap_or_default()
            } else {
                Vec::new()
            };
            let last = self.last_time.get(&region).map(String::as_str);
            canvas_response.on_hover_ui_at_pointer(|ui| region_tooltip(ui, region, session, last, &zones));
        } else if let Some((region, _)) = focused_node
            && self.focus_from_pointer != Some(region)
        {
            // Beside the map, over its legend, rather than under the focus, where it
            // would hide the regions the arrow keys lead to.
            let last = self.last_time.get(&region).map(String::as_str);
            egui::Area::new(base_id.with("focused_region_tip"))
                .order(egui::Order::Tooltip)
                .fixed_pos(canvas.right_top() + Vec2::new(8.0, 0.0))
                .interactable(false)
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_max_width(320.0);
                        region_tooltip(ui, region, session, last, &[]);
                    })
                });
        }
    }

    /// A focusable button at each region's label point, for the layers in use.
    /// Returns the region whose button has focus, with the button's response.
    #[allow(clippy::too_many_arguments)]
    fn region_nodes(
        &mut self,
        ui: &mut egui::Ui,
        base_id: Id,
        map: &BodyMap,
        session: &Session,
        screen_from_map: TSTransform,
        canvas: Rect,
        content: Rect,
    ) -> Option<(RegionId, egui::Response)> {
        let layers = self.layer_view.active_layers();
        if std::mem::take(&mut self.wants_keyboard)
            && let Some(region) = self.keyboard_target(map)
        {
            ui.memory_mut(|memory| memory.request_focus(region_node_id(base_id, region)));
            self.focus_from_pointer = None;
        }
        self.tab_leaves_the_map(ui, base_id, map);
        let mut focused = None;
        for shape in map.regions.iter().filter(|shape| layers.contains(&shape.id.info().layer)) {
            let region = shape.id;
            let centre = screen_from_map.mul_pos(map_pos(shape.label_point));
            let rect = Rect::from_center_size(centre, Vec2::splat(REGION_NODE_SIZE));
            let node = ui.interact(rect, region_node_id(base_id, region), Sense::click());
            let selected = self.selection.contains(&region);
            // Its name, and what the map shows of it as its value (what the colour and the
            // symbols say), worded only when a screen reader asks for the tree.
            crate::ui::widgets::said::with_value(&node, || {
                let mut info = WidgetInfo::selected(Role::Button, true, selected, region.accessible_name());
                info.current_text_value = Some(
                    session
                        .region(region)
                        .map_or_else(|| "nothing recorded".to_owned(), crate::model::RegionWork::in_words),
                );
                info
            });
            if node.clicked() {
                // Enter, Space, or a screen reader's click: the canvas above takes the pointer's.
                let shift = ui.input(|i| i.modifiers.shift);
                self.click_region(region, shift);
            }
            // The widget's focus, not `Response::has_focus`, which is also false
            // while the window is in the background.
            if widget_has_focus(ui, node.id) {
                // The arrow keys move between regions, and Escape clears the
                // selection rather than the focus.
                ui.memory_mut(|memory| {
                    memory.set_focus_lock_filter(
                        node.id,
                        EventFilter {
                            tab: false,
                            horizontal_arrows: true,
                            vertical_arrows: true,
                            escape: true,
                        },
                    );
                });
                if node.gained_focus() && !canvas.shrink(REGION_NODE_SIZE).contains(centre) {
                    // Reached by the keyboard off the visible part: bring it into view.
                    self.pan = meshes::pan_keeping(
                        canvas,
                        content,
                        self.zoom,
                        map_pos(shape.label_point),
                        canvas.center(),
                    );
                }
                focused = Some((region, node));
            }
        }
        if focused.as_ref().map(|(region, _)| *region) != self.focus_from_pointer {
            self.focus_from_pointer = None;
        }
        self.focused_region = focused.as_ref().map(|(region, _)| *region);
        if let Some((region, _)) = &focused
            && let Some(next) = self.arrow_target(ui, map, *region)
        {
            ui.memory_mut(|memory| memory.request_focus(region_node_id(base_id, next)));
        }
        focused
    }

    /// The map is one Tab stop: Tab from a region goes to what follows the map,
    /// Shift+Tab to what comes before it (the arrows move between regions). egui
    /// passes the focus on as the focused widget is met, so the focus is first
    /// put on the last region (or the first), whose turn then passes it out.
    fn tab_leaves_the_map(&self, ui: &egui::Ui, base_id: Id, map: &BodyMap) {
        let Some(from) = self.focused_region else { return };
        if !widget_has_focus(ui, region_node_id(base_id, from)) {
            return;
        }
        let (tab, back) = ui.input(|i| (i.key_pressed(Key::Tab), i.modifiers.shift));
        if !tab {
            return;
        }
        let layers = self.layer_view.active_layers();
        let mut shown =
            map.regions.iter().map(|shape| shape.id).filter(|id| layers.contains(&id.info().layer));
        let edge = if back { shown.next() } else { shown.next_back() };
        if let Some(edge) = edge {
            ui.memory_mut(|memory| memory.request_focus(region_node_id(base_id, edge)));
        }
    }

    /// The region that takes the keyboard when the map is asked for it: the one
    /// that has it, or the nearest one in the layers now shown; else the first
    /// selected; else the first region of the map.
    fn keyboard_target(&self, map: &BodyMap) -> Option<RegionId> {
        let layers = self.layer_view.active_layers();
        let shown = |region: RegionId| layers.contains(&region.info().layer);
        if let Some(from) = self.focused_region {
            let start = map_pos(map.region(from).label_point);
            let distance = |region: RegionId| (map_pos(map.region(region).label_point) - start).length();
            return map
                .regions
                .iter()
                .map(|shape| shape.id)
                .filter(|&region| shown(region))
                .min_by(|&a, &b| distance(a).total_cmp(&distance(b)));
        }
        let selected = self.selection.iter().copied().find(|&region| shown(region));
        selected.or_else(|| map.regions.iter().map(|shape| shape.id).find(|&region| shown(region)))
    }

    /// The region an arrow key pressed this frame moves the focus to: the nearest
    /// region whose label point lies in that direction from `from`'s.
    fn arrow_target(&self, ui: &egui::Ui, map: &BodyMap, from: RegionId) -> Option<RegionId> {
        let direction = ui.input(|i| {
            [
                (Key::ArrowLeft, vec2(-1.0, 0.0)),
                (Key::ArrowRight, vec2(1.0, 0.0)),
                (Key::ArrowUp, vec2(0.0, -1.0)),
                (Key::ArrowDown, vec2(0.0, 1.0)),
            ]
            .into_iter()
            .find(|(key, _)| i.modifiers.is_none() && i.key_pressed(*key))
            .map(|(_, direction)| direction)
        })?;
        let start = map_pos(map.region(from).label_point);
        let layers = self.layer_view.active_layers();
        map.regions
            .iter()
            .filter(|shape| shape.id != from && layers.contains(&shape.id.info().layer))
            .filter_map(|shape| {
                let offset = map_pos(shape.label_point) - start;
                let along = offset.dot(direction);
                let across = (offset - along * direction).length();
                // Within about 63° of the direction; straight ahead counts most.
                (along > 1e-4 && across <= 2.0 * along).then_some((shape.id, along + 2.0 * across))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(region, _)| region)
    }

    /// The region of the layers in use under a point of map space.
    fn region_at(&self, map: &BodyMap, pos_in_map: Pos2) -> Option<RegionId> {
        self.layer_view
            .active_layers()
            .iter()
            .find_map(|&layer| map.region_at([pos_in_map.x, pos_in_map.y], layer))
    }

    /// A click on a region: it alone is selected, or with Shift it joins or leaves
    /// the selection.
    fn click_region(&mut self, region: RegionId, shift: bool) {
        if shift {
            if !self.selection.remove(&region) {
                self.selection.insert(region);
            }
        } else {
            self.selection = BTreeSet::from([region]);
        }
    }

    /// Keeps only the selected regions of the layers now shown, so that a key never
    /// changes a region out of sight.
    fn forget_hidden_selection(&mut self) {
        let layers = self.layer_view.active_layers();
        self.selection.retain(|region| layers.contains(&region.info().layer));
    }

    fn forget_missing_marks(&mut self, session: &Session) {
        let count = session.marks.len();
        if self.selected_mark.is_some_and(|index| index >= count) {
            self.selected_mark = None;
        }
        if self.dragged_mark.is_some_and(|dragged| dragged.index >= count) {
            self.dragged_mark = None;
        }
        if self.note_editor.is_some_and(|(index, _)| index >= count) {
            self.note_editor = None;
        }
    }

    fn zoom_about(&mut self, canvas: Rect, content: Rect, pos_on_screen: Pos2, factor: f32) {
        let pos_in_map = self.screen_from_map(canvas, content).inverse().mul_pos(pos_on_screen);
        let zoom = (self.zoom * factor).clamp(*meshes::ZOOM_RANGE.start(), *meshes::ZOOM_RANGE.end());
        if zoom == self.zoom {
            return;
        }
        self.zoom = zoom;
        self.pan = meshes::pan_keeping(canvas, content, zoom, pos_in_map, pos_on_screen);
    }

    /// The mouse wheel and pinching zoom about the pointer, when it is over the map.
    fn wheel_and_pinch(&mut self, ui: &mut egui::Ui, canvas: Rect, content: Rect) {
        if !ui.rect_contains_pointer(canvas) {
            return;
        }
        let Some(pointer) = ui.input(|i| i.pointer.hover_pos()) else {
            return;
        };
        let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = pinch * (scroll / 600.0).exp();
        if (factor - 1.0).abs() > 1e-4 {
            self.zoom_about(canvas, content, pointer, factor);
            // The wheel zoomed the map; it must not also scroll what holds it.
            ui.input_mut(|i| i.smooth_scroll_delta = Vec2::ZERO);
        }
    }

    /// Dragging with the middle button, or with Space held, moves the view.
    fn pan_by_drag(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        space_held: bool,
        canvas: Rect,
        content: Rect,
    ) {
        let panning = response.dragged_by(PointerButton::Middle)
            || (space_held && response.dragged_by(PointerButton::Primary));
        if !panning {
            return;
        }
        let scale = self.screen_from_map(canvas, content).scaling;
        let delta = response.drag_delta() / scale;
        self.pan = meshes::clamp_pan(vec2(self.pan[0], self.pan[1]) - delta, content);
        ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
    }

    /// Gives the paint value to every region of the layers in use that the
    /// segment between two points of map space crosses.
    fn paint_segment(
        &mut self,
        map: &BodyMap,
        session: &mut Session,
        from_in_map: Pos2,
        to_in_map: Pos2,
        out: &mut MapResponse,
    ) {
        // Samples a little closer than the narrowest region, so none is skipped.
        const STEP_IN_MAP: f32 = 0.004;
        let value = self.paint_value();
        let steps = ((to_in_map - from_in_map).length() / STEP_IN_MAP).ceil().max(1.0) as usize;
        let mut last = None;
        for step in 0..=steps {
            let pos_in_map = from_in_map.lerp(to_in_map, step as f32 / steps as f32);
            let Some(region) = self.region_at(map, pos_in_map) else {
                continue;
            };
            if last == Some(region) {
                continue;
            }
            last = Some(region);
            if set_value(session, region, self.fill, value) {
                out.edited_regions.insert(region);
            }
        }
    }

    /// The marks, as widgets above the canvas: with the Select tool they can be
    /// dragged, selected, and right-clicked. Returns whether one has keyboard focus.
    fn marks_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut Session,
        map: &BodyMap,
        context: &MarkContext,
        out: &mut MapResponse,
    ) -> bool {
        let MarkContext { base_id, editable, screen_from_map } = *context;
        let sense = if editable { Sense::click_and_drag() } else { Sense::hover() };
        let map_from_screen = screen_from_map.inverse();
        let mut delete = None;
        let mut has_focus = false;
        let layers = self.layer_view.active_layers();
        for (index, mark) in session.marks.iter_mut().enumerate() {
            let centre = screen_from_map.mul_pos(pos2(mark.at.x(), mark.at.y()));
            let rect = Rect::from_center_size(centre, Vec2::splat(MARK_GRAB_SIZE));
            let response = ui.interact(rect, base_id.with(("mark", index)), sense);
            let selected = self.selected_mark == Some(index);
            let name = format!("{} mark {}", mark.kind.label(), index + 1);
            // Where it is, as its value: the region under it in the layers shown (looked up
            // only when a screen reader asks for the tree).
            crate::ui::widgets::said::with_value(&response, || {
                let on = layers.iter().find_map(|&layer| map.region_at([mark.at.x(), mark.at.y()], layer));
                let place = match on {
                    Some(region) => format!("on {}", region.accessible_name()),
                    None => "beside the regions".to_owned(),
                };
                let mut info = WidgetInfo::selected(Role::Button, editable, selected, &name);
                info.current_text_value =
                    Some(if mark.note.is_empty() { place } else { format!("{place}; note: {}", mark.note) });
                info
            });
            has_focus |= widget_has_focus(ui, response.id);
            if !editable {
                continue;
            }
            if response.drag_started_by(PointerButton::Primary) {
                let grabbed_at = ui.input(|i| i.pointer.press_origin()).unwrap_or(centre);
                self.dragged_mark = Some(DraggedMark { index, grab_offset: centre - grabbed_at });
                self.selected_mark = Some(index);
            }
            if let Some(dragged) = self.dragged_mark
                && dragged.index == index
                && response.dragged_by(PointerButton::Primary)
                && let Some(pointer) = response.interact_pointer_pos()
            {
                let pos_in_map = map_from_screen.mul_pos(pointer + dragged.grab_offset);
                let at = MapPoint::clamped(pos_in_map.x, pos_in_map.y);
                if at != mark.at {
                    mark.at = at;
                    out.changed = true;
                }
            }
            if response.drag_stopped() {
                self.dragged_mark = None;
            }
            if response.clicked() {
                self.selected_mark = Some(index);
                response.request_focus();
            }
            if response.secondary_clicked() {
                self.selected_mark = Some(index);
            }
            let response = if response.hovered() && self.dragged_mark.is_none() {
                ui.set_cursor_icon(CursorIcon::Grab);
                let note = mark.note.clone();
                response.on_hover_ui(|ui| {
                    ui.label(egui::RichText::new(mark.kind.label()).strong());
                    if !note.is_empty() {
                        ui.label(note);
                    }
                    ui.weak("Drag to move; right-click for its note or to delete it");
                })
            } else {
                response
            };
            response.context_menu(|ui| {
                if ui.button("Edit note…").clicked() {
                    self.note_editor = Some((index, true));
                    ui.close();
                }
                if ui.button("Delete").clicked() {
                    delete = Some(index);
                    ui.close();
                }
            });
        }
        if let Some(index) = delete {
            self.delete_mark(session, index, out);
        }
        has_focus
    }

    fn delete_mark(&mut self, session: &mut Session, index: usize, out: &mut MapResponse) {
        if index >= session.marks.len() {
            return;
        }
        session.marks.remove(index);
        out.changed = true;
        self.selected_mark = None;
        self.dragged_mark = None;
        self.note_editor = None;
    }

    /// The small field for a mark's note, opened from the mark's context menu.
    fn note_editor_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut Session,
        context: &MarkContext,
        out: &mut MapResponse,
    ) {
        let Some((index, take_focus)) = self.note_editor else {
            return;
        };
        let Some(mark) = session.marks.get_mut(index).filter(|_| context.editable) else {
            self.note_editor = None;
            return;
        };
        let anchor = context.screen_from_map.mul_pos(pos2(mark.at.x(), mark.at.y())) + vec2(14.0, 14.0);
        let mut close = false;
        egui::Area::new(context.base_id.with("note_editor"))
            .order(egui::Order::Foreground)
            .fixed_pos(anchor)
            .constrain(true)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(format!("Note on this {} mark", mark.kind.label().to_lowercase()));
                    let id = ui.make_persistent_id("mark_note");
                    let field = crate::ui::widgets::seen_text::field(ui, &mut mark.note, id, false, |edit| {
                        edit.hint_text("e.g. refers to the temple").desired_width(220.0)
                    })
                    .accessible_name("Mark note");
                    if take_focus {
                        field.request_focus();
                    }
                    out.changed |= field.changed();
                    // Enter, Escape or a click elsewhere ends the edit.
                    close |= field.lost_focus();
                    close |= ui.button("Done").clicked();
                });
            });
        self.note_editor = if close { None } else { Some((index, false)) };
    }

    /// The map's keys: Escape, Delete, and the values 0 to 9 (T for 10).
    fn keys(&mut self, ui: &mut egui::Ui, session: &mut Session, read_only: bool, out: &mut MapResponse) {
        if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            self.selection.clear();
            self.selected_mark = None;
        }
        if read_only {
            return;
        }
        let delete = ui.input_mut(|i| {
            i.consume_key(Modifiers::NONE, Key::Delete) || i.consume_key(Modifiers::NONE, Key::Backspace)
        });
        if delete && let Some(index) = self.selected_mark {
            self.delete_mark(session, index, out);
        }
        const VALUE_KEYS: [(Key, u8); 11] = [
            (Key::Num0, 0),
            (Key::Num1, 1),
            (Key::Num2, 2),
            (Key::Num3, 3),
            (Key::Num4, 4),
            (Key::Num5, 5),
            (Key::Num6, 6),
            (Key::Num7, 7),
            (Key::Num8, 8),
            (Key::Num9, 9),
            // T for ten: the pain scale's top has no key of its own.
            (Key::T, 10),
        ];
        let range = self.fill.range();
        let typed = ui.input_mut(|i| {
            VALUE_KEYS
                .iter()
                .filter(|(_, value)| range.contains(value))
                .find(|(key, _)| i.consume_key(Modifiers::NONE, *key))
                .map(|(_, value)| *value)
        });
        if let Some(value) = typed {
            for &region in &self.selection {
                if set_value(session, region, self.fill, value) {
                    out.edited_regions.insert(region);
                }
            }
        }
    }

    fn draw(
        &self,
        ui: &egui::Ui,
        canvas: Rect,
        frame: &FrameData<'_>,
        session: &Session,
        screen_from_map: TSTransform,
    ) -> [Rect; 2] {
        let painter = ui.painter_at(canvas);
        let visuals = ui.visuals();
        painter.rect_filled(canvas, 6.0, visuals.extreme_bg_color);
        let view = FigureView {
            layers: self.layer_view,
            caution_zones: self.show_caution_zones,
            warned: &self.warned,
            marks: &session.marks,
        };
        let figure = Figure::build(frame.map, &SessionValues { session, mode: self.fill }, &view);
        let scene = Scene {
            painter: &painter,
            map: frame.map,
            meshes: frame.meshes,
            screen_from_map,
            zoom: self.zoom,
        };
        scene.items(&figure.base, None);
        if let Some(region) = self.hovered
            && self.paint_stroke.is_none()
        {
            scene.hover(region);
        }
        let layers = self.layer_view.active_layers();
        for &region in &self.selection {
            if layers.contains(&region.info().layer) {
                scene.selected(region);
            }
        }
        scene.symbols(&figure, self.selected_mark);
        if let Some(region) = self.focused_region
            && self.focus_from_pointer != Some(region)
        {
            scene.focus_ring(region, visuals);
        }
        scene.side_labels(canvas, figure.side_labels, visuals)
    }
}

/// The region under `pointer` on a map painted by [`paint_figure`] into `rect`,
/// on the layers `layers` shows (the one drawn on top first).
pub fn region_in_figure(rect: Rect, pointer: Pos2, layers: LayerView) -> Option<RegionId> {
    let map = BodyMap::standard().ok()?;
    let content = meshes::content_in_map(map);
    let at = meshes::screen_from_map(rect, content, 1.0, [0.0, 0.0]).inverse().mul_pos(pointer);
    layers.active_layers().iter().find_map(|layer| map.region_at([at.x, at.y], *layer))
}

/// Paints `figure` of the standard map, the whole body fitted into `rect`, with
/// its side labels: the maps of the history screens, which nobody edits. A
/// thumbnail (`detailed` false) shows the fills only, with "L" and "R" at its
/// top corners.
pub fn paint_figure(ui: &egui::Ui, rect: Rect, figure: &Figure, detailed: bool) {
    let Ok(map) = BodyMap::standard() else {
        ui.painter().text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "The body map could not be drawn",
            egui::FontId::proportional(12.0),
            ui.visuals().error_fg_color,
        );
        return;
    };
    // The map's meshes, built once for every history map of the window.
    let id = Id::unique("knotmap_history_map_meshes");
    let meshes = ui
        .ctx()
        .data_mut(|data| Arc::clone(data.get_temp_mut_or_insert_with(id, || Arc::new(MapMeshes::new(map)))));
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 4.0, ui.visuals().extreme_bg_color);
    let transform = meshes::screen_from_map(rect, meshes.content_in_map, 1.0, [0.0, 0.0]);
    let scene = Scene { painter: &painter, map, meshes: &meshes, screen_from_map: transform, zoom: 1.0 };
    scene.items(&figure.base, None);
    if detailed {
        scene.symbols(figure, None);
        scene.side_labels(rect, figure.side_labels, ui.visuals());
    } else {
        let ink = ui.visuals().strong_text_color();
        let font = egui::FontId::proportional(10.0);
        painter.text(rect.left_top() + vec2(3.0, 2.0), egui::Align2::LEFT_TOP, "L", font.clone(), ink);
        painter.text(rect.right_top() + vec2(-3.0, 2.0), egui::Align2::RIGHT_TOP, "R", font, ink);
    }
}

/// What the marks' widgets need to know of the frame.
#[derive(Clone, Copy)]
struct MarkContext {
    base_id: Id,
    /// With the Select tool on an editable session, marks can be moved, annotated
    /// and deleted.
    editable: bool,
    screen_from_map: TSTransform,
}

/// What the canvas draws from, the same for the whole frame.
struct FrameData<'a> {
    map: &'a BodyMap,
    meshes: &'a MapMeshes,
    read_only: bool,
}

/// Whether the widget has the keyboard focus within the app, whether or not the
/// window has it.
fn widget_has_focus(ui: &egui::Ui, id: Id) -> bool {
    ui.memory(|memory| memory.has_focus(id))
}

fn region_node_id(base_id: Id, region: RegionId) -> Id {
    base_id.with(("region", region))
}

/// Whether the click released this frame had Shift held.
fn click_with_shift(ui: &egui::Ui) -> bool {
    ui.input(|i| {
        i.modifiers.shift
            || i.events.iter().any(|event| {
                matches!(event, egui::Event::PointerButton { pressed: false, modifiers, .. } if modifiers.shift)
            })
    })
}

/// Sets `value` on `region`'s entry on the scale of `fill`; false (and the
/// session untouched) if the value is outside the scale or already there.
fn set_value(session: &mut Session, region: RegionId, fill: FillMode, value: u8) -> bool {
    if session.region(region).and_then(|work| fill.value_of(work)) == Some(value) {
        return false;
    }
    let value = i64::from(value);
    match fill {
        FillMode::Tension => {
            Tension::new(value).map(|tension| session.region_mut(region).tension = Some(tension)).is_ok()
        }
        FillMode::Pressure => {
            Pressure::new(value).map(|pressure| session.region_mut(region).pressure = Some(pressure)).is_ok()
        }
        FillMode::Pain => Pain::new(value).map(|pain| session.region_mut(region).pain = Some(pain)).is_ok(),
    }
}

/// The caution zones under a point of map space.
fn zones_at(map: &BodyMap, pos_in_map: Pos2) -> Vec<crate::model::CautionZoneId> {
    map.caution_zones
        .iter()
        .filter(|zone| zone.outline.contains([pos_in_map.x, pos_in_map.y]))
        .map(|zone| zone.id)
        .collect()
}

/// What hovering a region tells: its names, tissue and layer, what the session
/// records for it, what the last session recorded, and the caution zones under
/// the pointer.
fn region_tooltip(
    ui: &mut egui::Ui,
    region: RegionId,
    session: &Session,
    last: Option<&str>,
    zones: &[crate::model::CautionZoneId],
) {
    let info = region.info();
    let side = match info.side {
        crate::model::Side::Midline => String::new(),
        side => format!(" ({})", side.phrase()),
    };
    ui.label(egui::RichText::new(format!("{}{side}", info.name)).strong());
    ui.label(format!("“{}”: {}", info.label, info.tissue));
    ui.weak(format!("{} layer", info.layer.label()));
    if let Some(last) = last {
        ui.label(egui::RichText::new(last).italics());
    }
    let Some(work) = session.region(region) else {
        ui.weak("Nothing recorded yet");
        return show_zones(ui, zones);
    };
    let dash = || "–".to_owned();
    egui::Grid::new("region_tooltip").num_columns(2).show(ui, |ui| {
        ui.weak("Tension");
        ui.label(work.tension.map_or_else(dash, |t| format!("{t} {}", t.word())));
        ui.end_row();
        ui.weak("Pain");
        ui.label(work.pain.map_or_else(dash, |p| format!("{p}/10")));
        ui.end_row();
        ui.weak("Pressure");
        ui.label(work.pressure.map_or_else(dash, |p| format!("{p} {}", p.word())));
        ui.end_row();
        ui.weak("Minutes");
        ui.label(work.minutes.map_or_else(dash, |m| m.to_string()));
        ui.end_row();
        ui.weak("Findings");
        let findings: Vec<&str> = work.findings.iter().map(|f| f.label()).collect();
        ui.label(if findings.is_empty() { dash() } else { findings.join(", ") });
        ui.end_row();
    });
    show_zones(ui, zones);
}

fn show_zones(ui: &mut egui::Ui, zones: &[crate::model::CautionZoneId]) {
    for zone in zones {
        let info = zone.info();
        ui.colored_label(ui.visuals().warn_fg_color, format!("Caution: {} ({})", info.label, info.why));
    }
}

#[cfg(test)]
mod tests {
    use egui::{Event, Key, Modifiers, PointerButton, Pos2, vec2};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;
    use crate::model::{ClientId, Minutes, REGIONS};

    struct State {
        view: MapView,
        session: Session,
        read_only: bool,
        /// What the map reported, over every frame so far.
        reported: Reported,
    }

    #[derive(Default)]
    struct Reported {
        changed: bool,
        edited_regions: BTreeSet<RegionId>,
        selection_changes: usize,
    }

    fn session() -> Session {
        let client = ClientId::new("ana-lima-k3f9q").expect("a valid client id");
        let starts_at = jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0);
        Session::new(client, starts_at, Minutes::new(60).expect("60 minutes"))
    }

    fn map_on(view: MapView, session: Session, read_only: bool) -> Harness<'static, State> {
        let state = State { view, session, read_only, reported: Reported::default() };
        let mut harness = Harness::builder().with_size(vec2(1000.0, 800.0)).build_ui_state(
            |ui, state: &mut State| {
                let response = state.view.ui(ui, &mut state.session, state.read_only);
                assert_eq!(&response.selection, state.view.selection());
                let reported = &mut state.reported;
                reported.changed |= response.changed;
                reported.edited_regions.extend(response.edited_regions);
                reported.selection_changes += usize::from(response.selection_changed);
            },
            state,
        );
        harness.run();
        harness
    }

    fn map() -> &'static BodyMap {
        BodyMap::standard().expect("the shipped body map builds")
    }

    /// Where a point of map space is on the screen now.
    fn on_screen(harness: &Harness<'_, State>, pos_in_map: [f32; 2]) -> Pos2 {
        let view = &harness.state().view;
        let canvas = view.canvas().expect("the map was drawn");
        view.screen_pos(canvas, pos_in_map)
    }

    fn label_point(harness: &Harness<'_, State>, region: RegionId) -> Pos2 {
        on_screen(harness, map().region(region).label_point)
    }

    fn press(harness: &mut Harness<'_, State>, pos: Pos2, pressed: bool, modifiers: Modifiers) {
        harness.event(Event::PointerButton { pos, button: PointerButton::Primary, pressed, modifiers });
    }

    fn click(harness: &mut Harness<'_, State>, pos: Pos2, modifiers: Modifiers) {
        harness.event(Event::PointerMoved(pos));
        press(harness, pos, true, modifiers);
        press(harness, pos, false, modifiers);
        harness.run();
    }

    /// Press at `path[0]`, move through the rest, release at the last.
    fn drag(harness: &mut Harness<'_, State>, path: &[Pos2]) {
        let (Some(&first), Some(&last)) = (path.first(), path.last()) else {
            return;
        };
        harness.event(Event::PointerMoved(first));
        press(harness, first, true, Modifiers::NONE);
        for &pos in &path[1..] {
            harness.event(Event::PointerMoved(pos));
        }
        press(harness, last, false, Modifiers::NONE);
        harness.run();
    }

    #[test]
    fn clicking_any_region_of_either_layer_selects_exactly_that_region() {
        let mut harness = map_on(MapView::default(), session(), false);
        for layer_view in [LayerView::Superficial, LayerView::Deep] {
            harness.state_mut().view.layer_view = layer_view;
            harness.run();
            for info in REGIONS.iter().filter(|info| layer_view.active_layers().contains(&info.layer)) {
                let pos = label_point(&harness, info.id);
                click(&mut harness, pos, Modifiers::NONE);
                assert_eq!(
                    harness.state().view.selection(),
                    &BTreeSet::from([info.id]),
                    "clicking the middle of {} in the {layer_view:?} view",
                    info.key
                );
            }
        }
        assert!(harness.state().session.regions.is_empty(), "selecting edits nothing");
    }

    #[test]
    fn shift_click_adds_a_region_and_escape_clears_the_selection() {
        let mut harness = map_on(MapView::default(), session(), false);
        let left = label_point(&harness, RegionId::UpperTrapeziusL);
        let right = label_point(&harness, RegionId::UpperTrapeziusR);
        click(&mut harness, left, Modifiers::NONE);
        click(&mut harness, right, Modifiers::SHIFT);
        assert_eq!(
            harness.state().view.selection(),
            &BTreeSet::from([RegionId::UpperTrapeziusL, RegionId::UpperTrapeziusR])
        );
        assert_eq!(harness.state().reported.selection_changes, 2, "each click changed the selection");

        click(&mut harness, right, Modifiers::SHIFT);
        assert_eq!(harness.state().view.selection(), &BTreeSet::from([RegionId::UpperTrapeziusL]));

        harness.key_press(Key::Escape);
        harness.run();
        assert!(harness.state().view.selection().is_empty());
    }

    #[test]
    fn painting_across_three_regions_gives_each_the_paint_value() {
        let view = MapView {
            tool: Tool::Paint,
            paint_values: PaintValues { tension: 3, ..PaintValues::default() },
            ..MapView::default()
        };
        let mut harness = map_on(view, session(), false);
        let regions = [RegionId::UpperTrapeziusL, RegionId::MiddleTrapeziusL, RegionId::LowerTrapeziusL];
        let path: Vec<Pos2> = regions.iter().map(|&r| label_point(&harness, r)).collect();
        drag(&mut harness, &path);

        let session = &harness.state().session;
        for region in regions {
            let tension = session.region(region).and_then(|work| work.tension);
            assert_eq!(tension, Tension::new(3).ok(), "{region} was painted");
        }
        assert!(session.region(RegionId::UpperTrapeziusR).is_none(), "the other side is untouched");
    }

    #[test]
    fn a_mark_is_placed_where_clicked_dragged_with_select_and_deleted_with_the_delete_key() {
        let view = MapView { tool: Tool::Mark(FindingKind::TriggerPoint), ..MapView::default() };
        let mut harness = map_on(view, session(), false);
        let target_in_map = map().region(RegionId::InfraspinatusL).label_point;
        let target = on_screen(&harness, target_in_map);
        click(&mut harness, target, Modifiers::NONE);
        let marks = &harness.state().session.marks;
        assert_eq!(marks.len(), 1, "one mark placed");
        assert_eq!(marks[0].kind, FindingKind::TriggerPoint);
        assert!((marks[0].at.x() - target_in_map[0]).abs() < 0.002, "{:?}", marks[0].at);
        assert!((marks[0].at.y() - target_in_map[1]).abs() < 0.002, "{:?}", marks[0].at);

        harness.state_mut().view.tool = Tool::Select;
        harness.run();
        let moved_to = target + vec2(30.0, 20.0);
        drag(&mut harness, &[target, target + vec2(10.0, 5.0), target + vec2(20.0, 12.0), moved_to]);
        let at = harness.state().session.marks[0].at;
        let at_on_screen = on_screen(&harness, [at.x(), at.y()]);
        assert!(
            (at_on_screen - moved_to).length() < 1.5,
            "the mark follows the pointer: {at_on_screen:?} vs {moved_to:?}"
        );

        click(&mut harness, moved_to, Modifiers::NONE);
        assert_eq!(harness.state().view.selected_mark(), Some(0));
        harness.key_press(Key::Delete);
        harness.run();
        assert!(harness.state().session.marks.is_empty(), "Delete removed the mark");
    }

    fn marks_at(pos: [f32; 2]) -> MapPoint {
        MapPoint::clamped(pos[0], pos[1])
    }

    #[test]
    fn a_screen_reader_hears_each_regions_values_and_where_each_mark_is() {
        use egui_kittest::kittest::NodeT;
        let mut session = session();
        let work = session.region_mut(RegionId::UpperTrapeziusL);
        work.tension = Tension::new(2).ok();
        work.pain = Pain::new(6).ok();
        work.pressure = Some(Pressure::MEDIUM);
        work.findings = vec![FindingKind::TriggerPoint];
        session.marks.push(MapMark {
            at: marks_at(map().region(RegionId::TeresL).label_point),
            kind: FindingKind::Adhesion,
            note: "along the lateral border".to_owned(),
        });
        let harness = map_on(MapView::default(), session, false);
        // The value, and the same words as the description: Linux's screen readers hear only that.
        let value = |name: &str| {
            let node = harness.get_by_label(name);
            let node = node.accesskit_node();
            assert_eq!(node.description(), node.value(), "{name}");
            node.value()
        };
        assert_eq!(
            value("Upper trapezius, client's left").as_deref(),
            Some("tension 2 moderate, pain 6 of 10, pressure 3 medium, trigger point")
        );
        assert_eq!(value("Upper trapezius, client's right").as_deref(), Some("nothing recorded"));
        assert_eq!(
            value("Adhesion mark 1").as_deref(),
            Some("on Teres major and minor, client's left; note: along the lateral border")
        );
    }

    #[test]
    fn a_marks_context_menu_edits_its_note_and_deletes_it() {
        let mut session = session();
        session.marks.push(MapMark {
            at: marks_at(map().region(RegionId::TeresL).label_point),
            kind: FindingKind::Adhesion,
            note: String::new(),
        });
        let mut harness = map_on(MapView::default(), session, false);
        harness.get_by_label("Adhesion mark 1").click_secondary();
        harness.run();
        harness.get_by_label("Edit note…").click();
        harness.run();
        harness.get_by_label("Mark note").type_text("along the lateral border");
        harness.run();
        assert_eq!(harness.state().session.marks[0].note, "along the lateral border");
        harness.get_by_label("Done").click();
        harness.run();
        assert!(harness.query_by_label("Mark note").is_none(), "the note field closed");

        harness.get_by_label("Adhesion mark 1").click_secondary();
        harness.run();
        harness.get_by_label("Delete").click();
        harness.run();
        assert!(harness.state().session.marks.is_empty());
    }

    #[test]
    fn tab_reaches_the_regions_enter_selects_and_the_arrows_move_between_them() {
        let mut harness = map_on(MapView::default(), session(), false);
        for _ in 0..80 {
            harness.key_press(Key::Tab);
            harness.run();
            if harness.state().view.focused_region.is_some() {
                break;
            }
        }
        assert_eq!(harness.state().view.focused_region, Some(RegionId::OccipitalL));
        assert!(harness.get_by_label("Occipital ridge, client's left").is_focused());

        harness.key_press(Key::Enter);
        harness.run();
        assert_eq!(harness.state().view.selection(), &BTreeSet::from([RegionId::OccipitalL]));

        harness.key_press(Key::ArrowRight);
        harness.run();
        assert_eq!(harness.state().view.focused_region, Some(RegionId::OccipitalR));
        harness.key_press(Key::ArrowDown);
        harness.run();
        assert_eq!(harness.state().view.focused_region, Some(RegionId::NeckR));
        harness.key_press(Key::Space);
        harness.run();
        assert_eq!(harness.state().view.selection(), &BTreeSet::from([RegionId::NeckR]));
    }

    #[test]
    fn a_number_key_sets_the_fills_value_on_the_selected_regions() {
        let mut harness = map_on(MapView::default(), session(), false);
        let pos = label_point(&harness, RegionId::LumbarL);
        click(&mut harness, pos, Modifiers::NONE);
        harness.key_press(Key::Num2);
        harness.run();
        let work = harness.state().session.region(RegionId::LumbarL).cloned();
        assert_eq!(work.and_then(|w| w.tension), Tension::new(2).ok());
        assert!(harness.state().reported.changed, "the key reports an edit");
        assert_eq!(harness.state().reported.edited_regions, BTreeSet::from([RegionId::LumbarL]));

        // A value outside the scale is ignored: tension stops at 3.
        harness.key_press(Key::Num7);
        harness.run();
        let work = harness.state().session.region(RegionId::LumbarL).cloned();
        assert_eq!(work.and_then(|w| w.tension), Tension::new(2).ok());

        harness.state_mut().view.fill = FillMode::Pain;
        harness.run();
        harness.key_press(Key::T);
        harness.run();
        let work = harness.state().session.region(RegionId::LumbarL).cloned();
        assert_eq!(work.and_then(|w| w.pain), Pain::new(10).ok(), "T sets pain 10");
    }

    #[test]
    fn a_read_only_session_is_not_changed_by_clicks_drags_or_keys() {
        let mut original = session();
        original.marks.push(MapMark {
            at: marks_at(map().region(RegionId::TeresL).label_point),
            kind: FindingKind::Spasm,
            note: String::new(),
        });
        for tool in [Tool::Paint, Tool::Mark(FindingKind::Avoid), Tool::Select] {
            let view = MapView { tool, ..MapView::default() };
            let mut harness = map_on(view, original.clone(), true);
            let a = label_point(&harness, RegionId::LumbarL);
            let b = label_point(&harness, RegionId::LumbarR);
            click(&mut harness, a, Modifiers::NONE);
            drag(&mut harness, &[a, (a + b.to_vec2()) / 2.0, b]);
            let mark = label_point(&harness, RegionId::TeresL);
            drag(&mut harness, &[mark, mark + vec2(20.0, 0.0), mark + vec2(40.0, 0.0)]);
            click(&mut harness, a, Modifiers::NONE);
            for key in [Key::Num2, Key::Delete] {
                harness.key_press(key);
                harness.run();
            }
            assert_eq!(harness.state().session, original, "with {tool:?}");
            assert!(!harness.state().reported.changed);
            assert!(harness.state().reported.edited_regions.is_empty());
        }
    }

    #[test]
    fn only_the_regions_of_the_layers_shown_are_buttons() {
        let mut harness = map_on(MapView::default(), session(), false);
        assert!(harness.query_by_label("Upper trapezius, client's left").is_some());
        assert!(harness.query_by_label("Rhomboids, client's left").is_none());
        harness.state_mut().view.layer_view = LayerView::Deep;
        harness.run();
        assert!(harness.query_by_label("Upper trapezius, client's left").is_none());
        assert!(harness.query_by_label("Rhomboids, client's left").is_some());
        harness.get_by_label("Both layers").click();
        harness.run();
        assert_eq!(harness.state().view.layer_view, LayerView::Both);
        assert!(harness.query_by_label("Upper trapezius, client's left").is_some());
        assert!(harness.query_by_label("Rhomboids, client's left").is_some());
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer_and_fit_shows_the_whole_body() {
        let mut harness = map_on(MapView::default(), session(), false);
        let anchor_in_map = map().region(RegionId::InfraspinatusR).label_point;
        let anchor = on_screen(&harness, anchor_in_map);
        harness.event(Event::PointerMoved(anchor));
        harness.event(Event::Zoom(2.0));
        harness.run();
        assert!((harness.state().view.zoom - 2.0).abs() < 1e-3);
        let after = on_screen(&harness, anchor_in_map);
        assert!((after - anchor).length() < 1.0, "{after:?} vs {anchor:?}");

        harness.get_by_label("Fit").click();
        harness.run();
        assert_eq!(harness.state().view.zoom, 1.0);
        assert_eq!(harness.state().view.pan, [0.0, 0.0]);
    }

    #[test]
    fn dragging_with_the_middle_button_or_with_space_held_pans_without_editing() {
        let view = MapView { zoom: 2.0, tool: Tool::Paint, ..MapView::default() };
        let mut harness = map_on(view, session(), false);
        let anchor_in_map = map().region(RegionId::LatissimusDorsiL).label_point;

        let start = on_screen(&harness, anchor_in_map);
        let shift = vec2(40.0, 24.0);
        harness.event(Event::PointerMoved(start));
        for (pos, pressed) in [(start, true), (start + shift / 2.0, true), (start + shift, false)] {
            harness.event(Event::PointerMoved(pos));
            harness.event(Event::PointerButton {
                pos,
                button: PointerButton::Middle,
                pressed,
                modifiers: Modifiers::NONE,
            });
        }
        harness.run();
        let moved = on_screen(&harness, anchor_in_map) - start;
        assert!((moved - shift).length() < 1.0, "the map followed the middle button: {moved:?}");

        let start = on_screen(&harness, anchor_in_map);
        harness.key_down(Key::Space);
        harness.run();
        drag(&mut harness, &[start, start - shift / 2.0, start - shift]);
        harness.key_up(Key::Space);
        harness.run();
        let moved = on_screen(&harness, anchor_in_map) - start;
        assert!((moved + shift).length() < 1.0, "the map followed Space and drag: {moved:?}");

        assert!(harness.state().session.regions.is_empty(), "panning painted nothing");
    }

    #[test]
    fn the_view_settings_persist_and_the_selection_does_not() {
        let mut view = MapView {
            zoom: 2.5,
            layer_view: LayerView::Deep,
            fill: FillMode::Pain,
            show_caution_zones: true,
            tool: Tool::Mark(FindingKind::ReferredPain),
            ..MapView::default()
        };
        view.select([RegionId::RhomboidsL]);
        let text = ron::to_string(&view).expect("serializes");
        let back: MapView = ron::from_str(&text).expect("deserializes");
        assert_eq!(back.zoom, 2.5);
        assert_eq!(back.layer_view, LayerView::Deep);
        assert_eq!(back.fill, FillMode::Pain);
        assert_eq!(back.tool, Tool::Mark(FindingKind::ReferredPain));
        assert!(back.show_caution_zones);
        assert!(back.selection().is_empty());
        let old: MapView = ron::from_str("(zoom: 1.5)").expect("missing fields take defaults");
        assert_eq!(old.layer_view, LayerView::Superficial);
    }
}
