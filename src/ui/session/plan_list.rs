//! The session's plan as a list in the order of work: one row per region with
//! an entry, its pressure, tension and minutes, and the total against the
//! session's length.
//!
//! Rows are reordered by dragging (anywhere on the row; the grip at its left is
//! the cue) or by their "Move up"/"Move down" buttons, which the keyboard and a
//! screen reader reach; Alt+↑ and Alt+↓ move a focused row. Clicking a row
//! reports its region, so that the map can select it.

use std::collections::BTreeSet;

use egui::{
    CursorIcon, DragAndDrop, Key, Modifiers, Pos2, Rect, Response, RichText, Role, Sense, Stroke, StrokeKind,
    UiBuilder, WidgetInfo, pos2, vec2,
};

use crate::model::{Minutes, RegionId, RegionWork, Session};

/// How far the − and + buttons step the minutes.
const MINUTE_STEP: u16 = 5;
/// The gap between two rows, where the drop line is drawn.
const ROW_GAP: f32 = 4.0;
/// The width of the grip at the left of a row.
const GRIP_WIDTH: f32 = 10.0;

/// What happened in the plan list this frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanListResponse {
    /// The session was edited: minutes changed, a row moved or removed.
    pub changed: bool,
    /// The row that was clicked, to be selected on the map.
    pub clicked_region: Option<RegionId>,
}

/// What a dragged row carries: a type of its own, so that nothing else dragged
/// in the app lands in the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DraggedRow(RegionId);

/// A change of the order of work, applied once every row is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reorder {
    /// Move the row at `from` so that it ends up at `to`.
    Move {
        from: usize,
        to: usize,
    },
    Remove(usize),
}

/// How one row is to be drawn.
#[derive(Clone, Copy, Debug)]
struct RowContext {
    index: usize,
    count: usize,
    selected: bool,
    warned: bool,
    read_only: bool,
}

/// What one row reported.
#[derive(Clone, Copy, Debug)]
struct RowOutput {
    rect: Rect,
    clicked: bool,
    minutes_changed: bool,
    reorder: Option<Reorder>,
}

/// Shows every region with an entry in `session`, in the order of work, and
/// below them the planned minutes against the session's length. Edits the
/// session in place unless `read_only`; a click on a row is reported either way.
pub fn plan_list(
    ui: &mut egui::Ui,
    session: &mut Session,
    selection: &BTreeSet<RegionId>,
    warnings: &BTreeSet<RegionId>,
    read_only: bool,
) -> PlanListResponse {
    let mut out = PlanListResponse::default();
    ui.label(RichText::new("Order of work").strong());
    if session.regions.is_empty() {
        ui.weak("Nothing planned yet. Click a region on the map, then press a number for its value.");
    } else {
        let count = session.regions.len();
        let mut reorder = None;
        let list = ui.scope_builder(
            UiBuilder::new()
                .id_salt("plan_rows")
                .accessibility_role(Role::List)
                .accessibility_label("Order of work"),
            |ui| {
                ui.spacing_mut().item_spacing.y = ROW_GAP;
                let mut row_rects = Vec::with_capacity(count);
                for (index, work) in session.regions.iter_mut().enumerate() {
                    let context = RowContext {
                        index,
                        count,
                        selected: selection.contains(&work.region),
                        warned: warnings.contains(&work.region),
                        read_only,
                    };
                    let row = row(ui, work, context);
                    row_rects.push(row.rect);
                    out.changed |= row.minutes_changed;
                    if row.clicked {
                        out.clicked_region = Some(work.region);
                    }
                    reorder = reorder.or(row.reorder);
                }
                row_rects
            },
        );
        if !read_only && let Some(dropped) = drop_on_list(ui, &list.response, &list.inner, session) {
            reorder = Some(dropped);
        }
        if let Some(reorder) = reorder {
            out.changed |= apply(session, reorder);
        }
    }
    ui.add_space(4.0);
    total(ui, session);
    out
}

/// One row: grip, number and name, warning mark; pressure and tension; minutes
/// and the buttons that move or remove it.
fn row(ui: &mut egui::Ui, work: &mut RegionWork, context: RowContext) -> RowOutput {
    let region = work.region;
    let name = region.accessible_name();
    let being_dragged = DragAndDrop::payload::<DraggedRow>(ui.ctx()).is_some_and(|row| row.0 == region);
    let sense = if context.read_only { Sense::click() } else { Sense::click_and_drag() };
    let mut minutes_changed = false;
    let mut reorder = None;

    // An explicit id keeps the row's focus and drag state when it moves in the list.
    let row_id = ui.make_persistent_id(("plan_row", region));
    let scope = ui.scope_builder(UiBuilder::new().scope_id(row_id).sense(sense), |ui| {
        let background = ui.response();
        // Selectable text would take the clicks and drags that belong to the row.
        ui.style_mut().interaction.selectable_labels = false;
        if being_dragged {
            ui.multiply_opacity(0.4);
        }
        let visuals = ui.visuals();
        let fill = if context.selected {
            visuals.selection.bg_fill.gamma_multiply(0.35)
        } else if background.hovered() {
            visuals.widgets.hovered.weak_bg_fill
        } else {
            visuals.faint_bg_color
        };
        let stroke = if background.has_focus() {
            Stroke::new(2.0, visuals.selection.stroke.color)
        } else if context.selected {
            visuals.selection.stroke
        } else {
            Stroke::NONE
        };
        egui::Frame::new().inner_margin(4).corner_radius(4).fill(fill).stroke(stroke).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let columns = ui.horizontal_top(|ui| {
                let (grip, _) = ui.allocate_exact_size(vec2(GRIP_WIDTH, 0.0), Sense::hover());
                ui.vertical(|ui| {
                    ui.horizontal_wrapped(|ui| {
                        if context.warned {
                            warning_mark(ui, &name);
                        }
                        let text = RichText::new(format!("{}. {name}", context.index + 1));
                        ui.label(if context.selected { text.strong() } else { text });
                    });
                    ui.weak(pressure_and_tension(work));
                    ui.add_enabled_ui(!context.read_only, |ui| {
                        ui.horizontal_wrapped(|ui| {
                            ui.spacing_mut().item_spacing.x = 4.0;
                            minutes_changed = minutes_controls(ui, work, &name);
                            ui.add_space(4.0);
                            reorder = order_buttons(ui, context, &name);
                        });
                    });
                });
                grip.left()
            });
            let grip = Rect::from_x_y_ranges(
                columns.inner..=columns.inner + GRIP_WIDTH,
                columns.response.rect.y_range(),
            );
            if !context.read_only {
                paint_grip(ui, grip);
                if background.hovered() && ui.rect_contains_pointer(grip) {
                    ui.ctx().set_cursor_icon(CursorIcon::Grab);
                }
            }
        });
    });
    let response = scope.response;
    let label = format!("{name} in the plan");
    response.widget_info(|| WidgetInfo::selected(Role::ListItem, true, context.selected, &label));
    if !context.read_only {
        response.dnd_set_drag_payload(DraggedRow(region));
        if response.has_focus() {
            reorder = reorder.or_else(|| keyboard_move(ui, context));
        }
    }
    let response = response.on_hover_text(if context.read_only {
        "Click to select it on the map"
    } else {
        "Click to select it on the map; drag to change the order of work"
    });
    RowOutput { rect: response.rect, clicked: response.clicked(), minutes_changed, reorder }
}

/// "firm pressure, moderate tension": the short line under a row, whose minutes
/// have controls of their own (the full description is `RegionWork::values_in_words`).
fn pressure_and_tension(work: &RegionWork) -> String {
    let pressure =
        work.pressure.map_or_else(|| "pressure not set".to_owned(), |p| format!("{} pressure", p.word()));
    match work.tension {
        Some(tension) => format!("{pressure}, {} tension", tension.word()),
        None => pressure,
    }
}

/// − / the minutes / +. Returns true when the minutes changed.
fn minutes_controls(ui: &mut egui::Ui, work: &mut RegionWork, name: &str) -> bool {
    let before = work.minutes.map_or(0, Minutes::get);
    let max = Minutes::MAX.get();
    let mut minutes = before;
    let fewer = ui
        .add_enabled(minutes > 0, egui::Button::new("−"))
        .accessible_name(format!("Fewer minutes for {name}"))
        .on_hover_text(format!("{MINUTE_STEP} minutes less"));
    if fewer.clicked() {
        minutes = step_down(minutes);
    }
    ui.add(egui::DragValue::new(&mut minutes).range(0..=max).speed(0.25).suffix(" min"))
        .accessible_name(format!("Minutes for {name}"))
        .on_hover_text("Minutes planned for this region: drag, or click and type");
    let more = ui
        .add_enabled(minutes < max, egui::Button::new("+"))
        .accessible_name(format!("More minutes for {name}"))
        .on_hover_text(format!("{MINUTE_STEP} minutes more"));
    if more.clicked() {
        minutes = step_up(minutes).min(max);
    }
    if minutes == before {
        return false;
    }
    // No minutes and zero minutes mean the same; keep one of them.
    work.minutes = if minutes == 0 { None } else { Minutes::new(i64::from(minutes)).ok() };
    true
}

/// The next multiple of the step above `minutes`.
fn step_up(minutes: u16) -> u16 {
    (minutes / MINUTE_STEP + 1).saturating_mul(MINUTE_STEP)
}

/// The next multiple of the step below `minutes`, at least zero.
fn step_down(minutes: u16) -> u16 {
    minutes.div_ceil(MINUTE_STEP).saturating_sub(1) * MINUTE_STEP
}

/// Move up, Move down, Remove from plan.
fn order_buttons(ui: &mut egui::Ui, context: RowContext, name: &str) -> Option<Reorder> {
    let RowContext { index, count, .. } = context;
    let mut reorder = None;
    let up = icon_button(ui, index > 0, Icon::Up, &format!("Move {name} up"))
        .on_hover_text("Move up in the order of work (Alt+↑)");
    if up.clicked() {
        reorder = Some(Reorder::Move { from: index, to: index - 1 });
    }
    let down = icon_button(ui, index + 1 < count, Icon::Down, &format!("Move {name} down"))
        .on_hover_text("Move down in the order of work (Alt+↓)");
    if down.clicked() {
        reorder = Some(Reorder::Move { from: index, to: index + 1 });
    }
    let remove = icon_button(ui, true, Icon::Remove, &format!("Remove {name} from the plan"))
        .on_hover_text("Remove from plan: its values and notes go too (Ctrl+Z brings them back)");
    if remove.clicked() {
        reorder = Some(Reorder::Remove(index));
    }
    reorder
}

/// Alt+↑ and Alt+↓ on a focused row.
fn keyboard_move(ui: &mut egui::Ui, context: RowContext) -> Option<Reorder> {
    let RowContext { index, count, .. } = context;
    if index > 0 && ui.input_mut(|i| i.consume_key(Modifiers::ALT, Key::ArrowUp)) {
        return Some(Reorder::Move { from: index, to: index - 1 });
    }
    if index + 1 < count && ui.input_mut(|i| i.consume_key(Modifiers::ALT, Key::ArrowDown)) {
        return Some(Reorder::Move { from: index, to: index + 1 });
    }
    None
}

/// While a row is dragged over the list: draws where it would land and, when it
/// is let go, returns the move.
fn drop_on_list(ui: &egui::Ui, list: &Response, row_rects: &[Rect], session: &Session) -> Option<Reorder> {
    let dragged = DragAndDrop::payload::<DraggedRow>(ui.ctx())?;
    let from = session.regions.iter().position(|work| work.region == dragged.0)?;
    // The gaps between the rows and a little below the last count as the list.
    let area = list.interact_rect.expand2(vec2(0.0, ROW_GAP));
    if !ui.ctx().rect_contains_pointer(list.layer_id, area) {
        return None;
    }
    let pointer = ui.input(|i| i.pointer.interact_pos())?;
    // The gap the row would go into: 0 is above the first row, `count` below the last.
    let slot = row_rects.iter().take_while(|rect| rect.center().y < pointer.y).count();
    let to = if slot > from { slot - 1 } else { slot };
    if to == from {
        return None;
    }
    let line_y = match slot.checked_sub(1).and_then(|above| row_rects.get(above)) {
        Some(above) => above.bottom() + ROW_GAP / 2.0,
        None => list.rect.top() - ROW_GAP / 2.0,
    };
    let stroke = Stroke::new(2.0, ui.visuals().selection.stroke.color);
    ui.painter().hline(list.rect.x_range(), line_y, stroke);
    if ui.input(|i| i.pointer.any_released()) {
        DragAndDrop::clear_payload(ui.ctx());
        return Some(Reorder::Move { from, to });
    }
    None
}

/// Applies a move or a removal; returns true if the order of work changed.
fn apply(session: &mut Session, reorder: Reorder) -> bool {
    let regions = &mut session.regions;
    match reorder {
        Reorder::Move { from, to } => {
            if from == to || from >= regions.len() || to >= regions.len() {
                return false;
            }
            let work = regions.remove(from);
            regions.insert(to, work);
        }
        Reorder::Remove(index) => {
            if index >= regions.len() {
                return false;
            }
            regions.remove(index);
        }
    }
    true
}

/// "45 of 60 minutes", or "75 of 60 minutes: 15 over" in the warning colour.
fn total(ui: &mut egui::Ui, session: &Session) {
    let planned = session.planned_minutes();
    let length = u32::from(session.minutes.get());
    let response = if planned > length {
        let over = planned - length;
        ui.colored_label(ui.visuals().warn_fg_color, format!("{planned} of {length} minutes: {over} over"))
    } else {
        ui.label(format!("{planned} of {length} minutes"))
    };
    response.on_hover_text("The minutes planned across the regions, against the session's length");
}

/// The small drawn icons of the plan and aftercare lists. Drawn, not typed, as
/// the app ships no symbol font.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Icon {
    Up,
    Down,
    Remove,
}

/// A square button showing `icon`, named `name` for screen readers.
pub(super) fn icon_button(ui: &mut egui::Ui, enabled: bool, icon: Icon, name: &str) -> Response {
    ui.add_enabled(enabled, |ui: &mut egui::Ui| {
        let side = ui.spacing().interact_size.y;
        let (rect, response) = ui.allocate_exact_size(vec2(side, side), Sense::click());
        response.widget_info(|| WidgetInfo::labeled(Role::Button, ui.is_enabled(), name));
        if ui.is_rect_visible(rect) {
            let visuals = ui.style().interact(&response);
            ui.painter().rect(
                rect,
                visuals.corner_radius,
                visuals.weak_bg_fill,
                visuals.bg_stroke,
                StrokeKind::Inside,
            );
            let stroke = Stroke::new(1.5, visuals.fg_stroke.color);
            let c = rect.center();
            let r = side * 0.22;
            let lines: &[[Pos2; 2]] = match icon {
                Icon::Up => &[
                    [c + vec2(-r, r * 0.5), c + vec2(0.0, -r * 0.5)],
                    [c + vec2(0.0, -r * 0.5), c + vec2(r, r * 0.5)],
                ],
                Icon::Down => &[
                    [c + vec2(-r, -r * 0.5), c + vec2(0.0, r * 0.5)],
                    [c + vec2(0.0, r * 0.5), c + vec2(r, -r * 0.5)],
                ],
                Icon::Remove => &[[c + vec2(-r, -r), c + vec2(r, r)], [c + vec2(-r, r), c + vec2(r, -r)]],
            };
            for &segment in lines {
                ui.painter().line_segment(segment, stroke);
            }
        }
        response
    })
}

/// A warning triangle, named for screen readers after the region it warns about.
fn warning_mark(ui: &mut egui::Ui, name: &str) {
    let side = ui.spacing().interact_size.y;
    let (rect, response) = ui.allocate_exact_size(vec2(side, side), Sense::hover());
    response.widget_info(|| WidgetInfo::labeled(Role::Image, true, format!("Safety warning for {name}")));
    if ui.is_rect_visible(rect) {
        let colour = ui.visuals().warn_fg_color;
        let rect = rect.shrink(2.0);
        let triangle = vec![rect.center_top(), rect.right_bottom(), rect.left_bottom()];
        ui.painter().add(egui::Shape::convex_polygon(triangle, colour, Stroke::NONE));
        let ink = Stroke::new(1.5, ui.visuals().extreme_bg_color);
        let x = rect.center().x;
        ui.painter()
            .line_segment([pos2(x, rect.top() + rect.height() * 0.35), pos2(x, rect.bottom() - 5.0)], ink);
        ui.painter().circle_filled(pos2(x, rect.bottom() - 2.5), 0.9, ink.color);
    }
    response.on_hover_text("A safety warning applies here: see the warnings");
}

/// Two columns of three dots: the cue that the row can be dragged.
fn paint_grip(ui: &egui::Ui, strip: Rect) {
    let colour = ui.visuals().weak_text_color();
    let centre = strip.center();
    for dx in [-2.0, 2.0] {
        for dy in [-5.0, 0.0, 5.0] {
            ui.painter().circle_filled(centre + vec2(dx, dy), 1.2, colour);
        }
    }
}

#[cfg(test)]
mod tests {
    use egui::{Event, PointerButton};
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT as _, Queryable};

    use super::*;
    use crate::model::{ClientId, Pressure, Tension};

    struct State {
        session: Session,
        selection: BTreeSet<RegionId>,
        warnings: BTreeSet<RegionId>,
        read_only: bool,
        /// What the list reported, over every frame so far.
        changed: bool,
        clicked: Option<RegionId>,
    }

    const TRAPEZIUS_R: &str = "Upper trapezius, client's right";

    fn minutes(value: i64) -> Option<Minutes> {
        Some(Minutes::new(value).expect("minutes within the scale"))
    }

    /// A 60-minute session planned as upper trapezius right (firm, 10 min), then
    /// levator scapulae left (20 min), then lumbar right (15 min): 45 minutes.
    fn session() -> Session {
        let client = ClientId::new("ana-lima-k3f9q").expect("a valid client id");
        let starts_at = jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0);
        let mut session = Session::new(client, starts_at, Minutes::new(60).expect("60 minutes"));
        let work = session.region_mut(RegionId::UpperTrapeziusR);
        work.pressure = Some(Pressure::FIRM);
        work.tension = Tension::new(2).ok();
        work.minutes = minutes(10);
        session.region_mut(RegionId::LevatorScapulaeL).minutes = minutes(20);
        session.region_mut(RegionId::ErectorSpinaeLumbarR).minutes = minutes(15);
        session
    }

    fn order(harness: &Harness<'_, State>) -> Vec<RegionId> {
        harness.state().session.regions.iter().map(|work| work.region).collect()
    }

    fn list_on(session: Session, read_only: bool) -> Harness<'static, State> {
        let state = State {
            session,
            selection: BTreeSet::new(),
            warnings: BTreeSet::new(),
            read_only,
            changed: false,
            clicked: None,
        };
        let mut harness = Harness::builder().with_size(vec2(300.0, 500.0)).build_ui_state(
            |ui, state: &mut State| {
                egui::CentralPanel::default().show(ui, |ui| {
                    let response =
                        plan_list(ui, &mut state.session, &state.selection, &state.warnings, state.read_only);
                    state.changed |= response.changed;
                    state.clicked = response.clicked_region.or(state.clicked);
                });
            },
            state,
        );
        harness.run();
        harness
    }

    fn press(harness: &mut Harness<'_, State>, pos: Pos2, pressed: bool) {
        harness.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.step();
    }

    fn move_to(harness: &mut Harness<'_, State>, pos: Pos2) {
        harness.event(Event::PointerMoved(pos));
        harness.step();
    }

    /// Presses at `start`, moves to `target` in four steps and lets go there.
    fn drag(harness: &mut Harness<'_, State>, start: Pos2, target: Pos2) {
        move_to(harness, start);
        press(harness, start, true);
        for step in 1..=4 {
            let t = step as f32 / 4.0;
            move_to(harness, start + (target - start) * t);
        }
        press(harness, target, false);
        harness.run();
    }

    /// A point on a row away from its buttons: the middle of its grip.
    fn grip_of(harness: &Harness<'_, State>, region: RegionId) -> Pos2 {
        let row = harness.get_by_label(&format!("{} in the plan", region.accessible_name())).rect();
        pos2(row.left() + 4.0 + GRIP_WIDTH / 2.0, row.center().y)
    }

    fn is_selected(harness: &Harness<'_, State>, label: &str) -> bool {
        let node = harness.get_by_label(label);
        node.accesskit_node().toggled() == Some(egui::accesskit::Toggled::True)
    }

    #[test]
    fn every_region_is_listed_in_the_order_of_work_with_its_values() {
        let harness = list_on(session(), false);
        assert!(harness.query_by_label("1. Upper trapezius, client's right").is_some());
        assert!(harness.query_by_label("2. Levator scapulae, client's left").is_some());
        assert!(harness.query_by_label("3. Lumbar erectors, client's right").is_some());
        assert!(harness.query_by_label("firm pressure, moderate tension").is_some());
        assert!(harness.query_by_label("45 of 60 minutes").is_some());
        assert_eq!(
            harness.get_by_label(&format!("Minutes for {TRAPEZIUS_R}")).value().as_deref(),
            Some("10 min")
        );
    }

    #[test]
    fn more_minutes_raise_the_total_and_going_over_the_session_says_by_how_much() {
        let mut harness = list_on(session(), false);
        for _ in 0..2 {
            harness.get_by_label(&format!("More minutes for {TRAPEZIUS_R}")).click();
            harness.run();
        }
        assert_eq!(
            harness.state().session.region(RegionId::UpperTrapeziusR).and_then(|w| w.minutes),
            minutes(20)
        );
        assert!(harness.state().changed);
        assert!(harness.query_by_label("55 of 60 minutes").is_some(), "the total follows");

        for _ in 0..4 {
            harness.get_by_label(&format!("More minutes for {TRAPEZIUS_R}")).click();
            harness.run();
        }
        assert!(harness.query_by_label("75 of 60 minutes: 15 over").is_some(), "over the session's length");

        harness.get_by_label(&format!("Fewer minutes for {TRAPEZIUS_R}")).click();
        harness.run();
        assert!(harness.query_by_label("70 of 60 minutes: 10 over").is_some());
    }

    #[test]
    fn the_steps_land_on_multiples_of_five_and_zero_means_no_minutes() {
        assert_eq!(step_up(0), 5);
        assert_eq!(step_up(7), 10);
        assert_eq!(step_up(10), 15);
        assert_eq!(step_down(7), 5);
        assert_eq!(step_down(10), 5);
        assert_eq!(step_down(5), 0);
        assert_eq!(step_down(0), 0);

        let mut session = session();
        session.region_mut(RegionId::UpperTrapeziusR).minutes = minutes(5);
        let mut harness = list_on(session, false);
        harness.get_by_label(&format!("Fewer minutes for {TRAPEZIUS_R}")).click();
        harness.run();
        assert_eq!(harness.state().session.region(RegionId::UpperTrapeziusR).and_then(|w| w.minutes), None);
        assert!(harness.query_by_label("35 of 60 minutes").is_some());
    }

    #[test]
    fn move_up_and_move_down_change_the_order_of_work() {
        let mut harness = list_on(session(), false);
        harness.get_by_label("Move Levator scapulae, client's left up").click();
        harness.run();
        assert_eq!(
            order(&harness),
            [RegionId::LevatorScapulaeL, RegionId::UpperTrapeziusR, RegionId::ErectorSpinaeLumbarR]
        );
        assert!(harness.state().changed);
        assert!(harness.query_by_label("1. Levator scapulae, client's left").is_some(), "renumbered");

        harness.get_by_label(&format!("Move {TRAPEZIUS_R} down")).click();
        harness.run();
        assert_eq!(
            order(&harness),
            [RegionId::LevatorScapulaeL, RegionId::ErectorSpinaeLumbarR, RegionId::UpperTrapeziusR]
        );
    }

    #[test]
    fn the_first_row_cannot_move_up_nor_the_last_down() {
        let mut harness = list_on(session(), false);
        harness.get_by_label(&format!("Move {TRAPEZIUS_R} up")).click();
        harness.get_by_label("Move Lumbar erectors, client's right down").click();
        harness.run();
        assert_eq!(
            order(&harness),
            [RegionId::UpperTrapeziusR, RegionId::LevatorScapulaeL, RegionId::ErectorSpinaeLumbarR]
        );
        assert!(!harness.state().changed);
    }

    #[test]
    fn alt_and_the_arrow_keys_move_a_focused_row() {
        let mut harness = list_on(session(), false);
        harness.get_by_label("Lumbar erectors, client's right in the plan").focus();
        harness.run();
        harness.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
        harness.run();
        assert_eq!(
            order(&harness),
            [RegionId::UpperTrapeziusR, RegionId::ErectorSpinaeLumbarR, RegionId::LevatorScapulaeL]
        );
        harness.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
        harness.run();
        assert_eq!(
            order(&harness),
            [RegionId::ErectorSpinaeLumbarR, RegionId::UpperTrapeziusR, RegionId::LevatorScapulaeL]
        );
        assert!(
            harness.get_by_label("Lumbar erectors, client's right in the plan").is_focused(),
            "the row keeps the keyboard as it moves"
        );
    }

    #[test]
    fn dragging_the_first_row_below_the_last_puts_it_last() {
        let mut harness = list_on(session(), false);
        let start = grip_of(&harness, RegionId::UpperTrapeziusR);
        let last = harness.get_by_label("Lumbar erectors, client's right in the plan").rect();
        let target = pos2(start.x, last.bottom() - 3.0);
        drag(&mut harness, start, target);
        assert_eq!(
            order(&harness),
            [RegionId::LevatorScapulaeL, RegionId::ErectorSpinaeLumbarR, RegionId::UpperTrapeziusR]
        );
        assert!(harness.state().changed);
        assert_eq!(harness.state().clicked, None, "a drag is not a click");
    }

    #[test]
    fn dragging_a_row_onto_the_upper_half_of_another_puts_it_before_that_one() {
        let mut harness = list_on(session(), false);
        let start = grip_of(&harness, RegionId::ErectorSpinaeLumbarR);
        let second = harness.get_by_label("Levator scapulae, client's left in the plan").rect();
        let target = pos2(start.x, second.top() + 3.0);
        drag(&mut harness, start, target);
        assert_eq!(
            order(&harness),
            [RegionId::UpperTrapeziusR, RegionId::ErectorSpinaeLumbarR, RegionId::LevatorScapulaeL]
        );
    }

    #[test]
    fn remove_from_plan_removes_the_regions_entry() {
        let mut harness = list_on(session(), false);
        harness.get_by_label("Remove Levator scapulae, client's left from the plan").click();
        harness.run();
        assert!(harness.state().session.region(RegionId::LevatorScapulaeL).is_none());
        assert_eq!(order(&harness), [RegionId::UpperTrapeziusR, RegionId::ErectorSpinaeLumbarR]);
        assert!(harness.query_by_label("25 of 60 minutes").is_some());
        assert!(harness.state().changed);
    }

    #[test]
    fn clicking_a_row_reports_its_region_and_selected_and_warned_rows_stand_out() {
        let mut harness = list_on(session(), false);
        let row = harness.get_by_label("Levator scapulae, client's left in the plan").rect();
        let on_name = pos2(row.left() + 60.0, row.top() + 12.0);
        move_to(&mut harness, on_name);
        press(&mut harness, on_name, true);
        press(&mut harness, on_name, false);
        harness.run();
        assert_eq!(harness.state().clicked, Some(RegionId::LevatorScapulaeL));
        assert!(!harness.state().changed, "a click changes nothing");

        harness.state_mut().selection = BTreeSet::from([RegionId::LevatorScapulaeL]);
        harness.state_mut().warnings = BTreeSet::from([RegionId::UpperTrapeziusR]);
        harness.run();
        assert!(is_selected(&harness, "Levator scapulae, client's left in the plan"));
        assert!(!is_selected(&harness, "Lumbar erectors, client's right in the plan"));
        assert!(harness.query_by_label(&format!("Safety warning for {TRAPEZIUS_R}")).is_some());
        assert!(harness.query_by_label("Safety warning for Lumbar erectors, client's right").is_none());
    }

    #[test]
    fn a_read_only_plan_changes_nothing_but_rows_can_still_be_clicked() {
        let original = session();
        let mut harness = list_on(original.clone(), true);
        for label in [
            format!("More minutes for {TRAPEZIUS_R}"),
            format!("Fewer minutes for {TRAPEZIUS_R}"),
            format!("Move {TRAPEZIUS_R} down"),
            "Move Lumbar erectors, client's right up".to_owned(),
            format!("Remove {TRAPEZIUS_R} from the plan"),
        ] {
            harness.get_by_label(&label).click();
            harness.run();
        }
        let start = grip_of(&harness, RegionId::UpperTrapeziusR);
        let last = harness.get_by_label("Lumbar erectors, client's right in the plan").rect();
        let target = pos2(start.x, last.bottom() - 3.0);
        move_to(&mut harness, start);
        press(&mut harness, start, true);
        move_to(&mut harness, start + (target - start) * 0.5);
        move_to(&mut harness, target);
        press(&mut harness, target, false);
        harness.run();
        assert_eq!(harness.state().session, original);
        assert!(!harness.state().changed);

        let row = harness.get_by_label("Lumbar erectors, client's right in the plan").rect();
        let on_name = pos2(row.left() + 60.0, row.top() + 12.0);
        move_to(&mut harness, on_name);
        press(&mut harness, on_name, true);
        press(&mut harness, on_name, false);
        harness.run();
        assert_eq!(harness.state().clicked, Some(RegionId::ErectorSpinaeLumbarR));
    }

    #[test]
    fn an_empty_plan_says_how_to_start_one() {
        let mut session = session();
        session.regions.clear();
        let harness = list_on(session, false);
        assert!(harness.query_by_label_contains("Nothing planned yet").is_some());
        assert!(harness.query_by_label("0 of 60 minutes").is_some());
    }
}
