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

/// The place at the top of `window` the keyboard is asked onto when it opens.
fn anchor_of(window: LayerId) -> Id {
    Id::unique(("knotmap_keyboard_anchor", window))
}

/// Called first in a window's contents: in the frame it opens, the keyboard is
/// asked onto a place at its top; in the next, it moves on from there, as a Tab
/// would, to the first control the window has.
fn keyboard_comes_in(ui: &mut Ui) {
    let ctx = ui.ctx().clone();
    let window = ui.layer_id();
    let anchor = anchor_of(window);
    let pass = ctx.cumulative_pass_nr();
    let mut trail: Trail = ctx.data_mut(|data| data.get_temp(trail_id())).unwrap_or_default();
    match trail.windows.iter().position(|visit| visit.window == window) {
        None => {
            let focused = ctx.memory(|memory| memory.focused());
            let focused_in = focused.and_then(|id| ctx.read_response(id)).map(|response| response.layer_id);
            // Opened in the same frame as another, or from one closing in this frame (a
            // question that gives way to the next): where the keyboard was before that one.
            let came_from = match trail.windows.iter().find(|visit| {
                Some(anchor_of(visit.window)) == focused
                    || (visit.seen < pass && focused_in == Some(visit.window))
            }) {
                Some(other) => other.came_from,
                None => focused,
            };
            trail.windows.push(Visit { window, came_from, seen: pass, arrived: false });
            ctx.memory_mut(|memory| memory.request_focus(anchor));
            ctx.request_repaint();
        }
        Some(index) => {
            let visit = &mut trail.windows[index];
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

/// Called once a frame, after every window: when windows are no longer drawn,
/// the keyboard goes back to where it was before they opened (out of any that
/// closed with them), unless it has gone somewhere else meanwhile: to a window
/// still open (one just opened in their place, say) or outside them.
pub fn keyboard_goes_back(ctx: &Context) {
    let Some(mut trail) = ctx.data(|data| data.get_temp::<Trail>(trail_id())) else { return };
    let pass = ctx.cumulative_pass_nr();
    let (shown, closed): (Vec<Visit>, Vec<Visit>) =
        trail.windows.drain(..).partition(|visit| visit.seen >= pass);
    if let Some(newest) = closed.last() {
        let layer_of = |id: Id| ctx.read_response(id).map(|response| response.layer_id);
        let closed_with = |id: Id| {
            closed.iter().find(|visit| anchor_of(visit.window) == id || layer_of(id) == Some(visit.window))
        };
        let focused = ctx.memory(|memory| memory.focused());
        let gone_elsewhere = focused.is_some_and(|id| {
            shown.iter().any(|visit| anchor_of(visit.window) == id)
                || (closed_with(id).is_none() && layer_of(id).is_some())
        });
        if !gone_elsewhere {
            let mut back = newest.came_from;
            for _ in 0..closed.len() {
                match back.and_then(&closed_with) {
                    Some(visit) => back = visit.came_from,
                    None => break,
                }
            }
            if let Some(back) = back {
                ctx.memory_mut(|memory| memory.request_focus(back));
            }
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

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    /// Which window is shown: none, the first, or the second (which takes its place).
    fn app(ui: &mut egui::Ui, shown: &mut u8) {
        let _opener = ui.button("Opener");
        for (which, name) in [(1, "First"), (2, "Second")] {
            if *shown == which {
                super::show(egui::Window::new(name), ui.ctx(), |ui| {
                    let _ = ui.button(format!("{name} button"));
                });
            }
        }
        super::keyboard_goes_back(ui.ctx());
    }

    fn focused(harness: &Harness<'_, u8>) -> Option<String> {
        use egui_kittest::kittest::NodeT;
        harness.query_by(|node| node.is_focused())?.accesskit_node().label()
    }

    #[test]
    fn a_window_that_takes_the_place_of_another_keeps_the_keyboard_and_gives_it_back_to_the_first_opener() {
        let mut harness = Harness::new_ui_state(app, 0u8);
        harness.get_by_label("Opener").focus();
        harness.run();
        *harness.state_mut() = 1;
        harness.run();
        assert_eq!(focused(&harness).as_deref(), Some("First button"), "into the first window");

        *harness.state_mut() = 2;
        harness.run();
        assert_eq!(
            focused(&harness).as_deref(),
            Some("Second button"),
            "not pulled back by the first closing"
        );

        *harness.state_mut() = 0;
        harness.run();
        assert_eq!(focused(&harness).as_deref(), Some("Opener"), "back where it was before either");
    }
}
