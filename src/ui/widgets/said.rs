//! What a screen reader is told of a control beyond its name, on every desktop.
//! Linux's accessibility bus (what Orca reads) passes a node's value on only for
//! text fields and numbers: a choice's entry, a map region's findings or a
//! History map's changes in words would reach it as nothing. Every desktop
//! passes the description on, so a value in words is given as both.

/// The control of `response`, as `make_info` describes it with its value in words.
pub fn with_value(response: &egui::Response, make_info: impl Fn() -> egui::WidgetInfo) {
    response.widget_info(&make_info);
    // Worded only when a screen reader asks for the tree: the builder is not called otherwise.
    response.ctx.accesskit_node_builder(response.id, |node| {
        if let Some(value) = make_info().current_text_value {
            node.set_description(value);
        }
    });
}

/// A choice (a combo box) whose chosen entry, shown on its face, is `chosen`.
pub fn chosen(response: &egui::Response, chosen: &str) {
    response.ctx.accesskit_node_builder(response.id, |node| node.set_description(chosen));
}

/// One of a row of tabs (drawn as selectable buttons), `chosen` or not, with
/// what its face adds to its name (a count) as its description.
pub fn tab(response: &egui::Response, chosen: bool, adds: Option<&str>) {
    response.ctx.accesskit_node_builder(response.id, |node| {
        node.set_role(egui::accesskit::Role::Tab);
        node.clear_toggled();
        node.set_selected(chosen);
        if let Some(adds) = adds {
            node.set_description(adds);
        }
    });
}

/// The row `ui` holds as a row of tabs.
pub fn tab_list(ui: &egui::Ui, name: &str) {
    ui.ctx().accesskit_node_builder(ui.unique_id(), |node| {
        node.set_role(egui::accesskit::Role::TabList);
        node.set_label(name);
    });
}
