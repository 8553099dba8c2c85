//! Escape closes the window in front, as it does on every desktop: only the
//! one in front, only once per press, and never while a menu or a list is
//! open over it (Escape closes that first).

/// Whether Escape, pressed now, closes the window `shown` (what its `show`
/// returned). The key is taken, so the window behind is not closed by the same press.
pub fn closes<R>(ctx: &egui::Context, shown: &Option<egui::InnerResponse<R>>) -> bool {
    let Some(shown) = shown else { return false };
    if egui::Popup::is_any_open(ctx) || window_in_front(ctx) != Some(shown.response.layer_id) {
        return false;
    }
    ctx.input_mut(|input| input.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
}

/// Whether a window or a dialog is over the main window: its keys are then theirs.
pub fn something_in_front(ctx: &egui::Context) -> bool {
    window_in_front(ctx).is_some() || ctx.memory(|memory| memory.top_modal_layer().is_some())
}

/// The window drawn in front of the others now. egui keeps the place of a
/// window that was closed, so its own "top layer" can be one no longer shown.
fn window_in_front(ctx: &egui::Context) -> Option<egui::LayerId> {
    ctx.memory(|memory| {
        memory
            .layer_ids()
            .filter(|layer| {
                layer.order == egui::Order::Middle
                    && memory.areas().is_visible(layer)
                    && memory.areas().parent_layer(*layer).is_none()
            })
            .last()
    })
}
