//! Knotmap's windows and dialogs, one way for all: the keyboard goes into one
//! when it opens and back to where it was when it closes, a screen reader hears
//! its name, and its title bar is not a Tab stop (it is never folded; it is
//! moved by dragging where nothing else is).

use egui::{Context, Id, InnerResponse, LayerId, Ui};

/// `window` shown with `contents`, as [`egui::Window::show`] shows it.
pub fn show<R>(
    window: egui::Window<'_>,
    ctx: &Context,
    contents: impl FnOnce(&mut Ui) -> R,
) -> Option<InnerResponse<Option<R>>> {
    // egui's title bar takes clicks (a double click folds the window) and with
    // them a place in the Tab order, without a name; folded, a window also hides
    // what it holds from the keyboard. Unfoldable and dragged from anywhere, the
    // title bar takes no input at all.
    window.collapsible(false).drag_area(egui::WindowDrag::Anywhere).show(ctx, |ui| {
        keyboard_comes_in(ui);
        contents(ui)
    })
}

/// `modal` shown with `contents`, named `name` for a screen reader (its heading).
pub fn modal<R>(
    modal: egui::Modal,
    name: &str,
    ctx: &Context,
    contents: impl FnOnce(&mut Ui) -> R,
) -> egui::ModalResponse<R> {
    let shown = modal.show(ctx, |ui| {
        keyboard_comes_in(ui);
        contents(ui)
    });
    // The dialog's node is its area's Ui (the layer's id): egui gives it the dialog's role, not a name.
    let dialog = shown.response.layer_id.id;
    ctx.accesskit_node_builder(dialog, |node| node.set_label(name));
    shown
}

/// Where the keyboard was before each window now shown opened.
#[derive(Clone, Default)]
struct Trail {
    windows: Vec<Visit>,
}

#[derive(Clone)]
struct Visit {
    window: LayerId,
    came_from: Option<Id>,
    /// The last pass the window was drawn in.
    seen: u64,
    arrived: bool,
}

fn trail_id() -> Id {
    Id::unique("knotmap_keyboard_trail")
}

/// Called first in a window's contents: in the frame it opens, the keyboard is
/// asked onto a place at its top; in the next, it moves on from there, as a Tab
/// would, to the first control the window has.
fn keyboard_comes_in(ui: &mut Ui) {
    let ctx = ui.ctx().clone();
    let window = ui.layer_id();
    let anchor = Id::unique(("knotmap_keyboard_anchor", window));
    let pass = ctx.cumulative_pass_nr();
    let mut trail: Trail = ctx.data_mut(|data| data.get_temp(trail_id())).unwrap_or_default();
    match trail.windows.iter_mut().find(|visit| visit.window == window) {
        None => {
            let came_from = ctx.memory(|memory| memory.focused());
            trail.windows.push(Visit { window, came_from, seen: pass, arrived: false });
            ctx.memory_mut(|memory| memory.request_focus(anchor));
            ctx.request_repaint();
        }
        Some(visit) => {
            visit.seen = pass;
            if !visit.arrived {
                visit.arrived = true;
                if ctx.memory(|memory| memory.focused()) == Some(anchor) {
                    // egui hands the keyboard on to the next control that wants it.
                    ctx.memory_mut(|memory| {
                        memory.move_focus(egui::FocusDirection::Next);
                        memory.interested_in_focus(anchor, window);
                    });
                }
            }
        }
    }
    ctx.data_mut(|data| data.insert_temp(trail_id(), trail));
}

/// Called once a frame, after every window: the keyboard goes back to where it
/// was before a window that is no longer drawn opened, unless it has gone
/// somewhere else meanwhile.
pub fn keyboard_goes_back(ctx: &Context) {
    let Some(mut trail) = ctx.data(|data| data.get_temp::<Trail>(trail_id())) else { return };
    let pass = ctx.cumulative_pass_nr();
    let (shown, closed): (Vec<Visit>, Vec<Visit>) =
        trail.windows.drain(..).partition(|visit| visit.seen >= pass);
    for visit in closed {
        let Some(came_from) = visit.came_from else { continue };
        let focused = ctx.memory(|memory| memory.focused());
        let left_with_the_window = focused
            .is_none_or(|id| ctx.read_response(id).is_none_or(|response| response.layer_id == visit.window));
        if left_with_the_window {
            ctx.memory_mut(|memory| memory.request_focus(came_from));
        }
    }
    trail.windows = shown;
    ctx.data_mut(|data| data.insert_temp(trail_id(), trail));
}

/// Scrolls a row that the keyboard just reached to the middle of its list: in a
/// list that lays out only the rows in sight, the rows after it are then laid
/// out too, and the next Tab reaches them instead of leaving the list.
pub fn kept_in_sight(row: &egui::Response) {
    if row.gained_focus() {
        row.scroll_to_me(Some(egui::Align::Center));
    }
}
