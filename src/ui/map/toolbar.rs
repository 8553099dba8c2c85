//! The bar above the map, in three rows that keep their places whatever the fill:
//! what is shown (layer, fill, caution zones), what a click does (the tool), and
//! the value the Paint tool gives, with the zoom.

use egui::{Role, Sense, StrokeKind, WidgetInfo, vec2};

use crate::legend::{FillMode, finding_symbol};
use crate::model::FindingKind;

use super::paint;
use super::{LayerView, MapView, Tool};

/// A change of the view the bar asks for; the canvas applies it, as it knows its size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum ViewRequest {
    Fit,
    /// Zoom by this factor about the canvas's centre.
    ZoomBy(f32),
}

pub(super) fn show(ui: &mut egui::Ui, view: &mut MapView, read_only: bool) -> Option<ViewRequest> {
    let mut request = None;
    ui.horizontal_wrapped(|ui| {
        ui.label("Layer:");
        for layer in LayerView::ALL {
            let response = ui
                .selectable_value(&mut view.layer_view, layer, layer.label())
                .accessible_name(layer_accessible_name(layer))
                .on_hover_text(format!("{} (L: the next layer)", layer_tooltip(layer)));
            if response.changed() {
                view.forget_hidden_selection();
            }
        }
        ui.separator();
        ui.label("Fill:");
        for mode in FillMode::ALL {
            ui.selectable_value(&mut view.fill, mode, mode.label())
                .accessible_name(format!("Colour by {}", mode.label().to_lowercase()))
                .on_hover_text(format!(
                    "Colour the regions by {} (F: the next fill)",
                    mode.label().to_lowercase()
                ));
        }
        ui.separator();
        ui.checkbox(&mut view.show_caution_zones, "Caution zones").on_hover_text(
            "Show where deep pressure is unsafe: the spine, the side of the neck, the kidneys",
        );
    });
    ui.horizontal_wrapped(|ui| {
        ui.add_enabled_ui(!read_only, |ui| {
            ui.label("Tool:");
            ui.selectable_value(&mut view.tool, Tool::Select, "Select")
                .accessible_name("Select tool")
                .on_hover_text(
                    "Click a region to select it, Shift-click to add or remove; drag marks to move them",
                );
            ui.selectable_value(&mut view.tool, Tool::Paint, "Paint")
                .accessible_name("Paint tool")
                .on_hover_text("Press and drag across regions to give each the value chosen below");
            for kind in FindingKind::ALL {
                if mark_tool_button(ui, kind, view.tool == Tool::Mark(kind)).clicked() {
                    view.tool = Tool::Mark(kind);
                }
            }
        });
    });
    ui.horizontal_wrapped(|ui| {
        // The same room whatever the fill, so that switching it moves nothing: the
        // label as wide as the widest, and a place for every value any scale has.
        let label_room = FillMode::ALL
            .into_iter()
            .map(|fill| {
                egui::WidgetText::from(format!("{} to paint:", fill.label()))
                    .into_galley(ui, Some(egui::TextWrapMode::Extend), f32::INFINITY, egui::TextStyle::Body)
                    .size()
                    .x
            })
            .fold(0.0, f32::max);
        ui.add_enabled_ui(!read_only, |ui| {
            let height = ui.spacing().interact_size.y;
            let label = format!("{} to paint:", view.fill.label());
            ui.allocate_ui_with_layout(
                vec2(label_room, height),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| {
                    ui.set_min_width(label_room);
                    ui.label(label);
                },
            );
            let low = FillMode::ALL.into_iter().map(|fill| *fill.range().start()).min().unwrap_or(0);
            let high = FillMode::ALL.into_iter().map(|fill| *fill.range().end()).max().unwrap_or(0);
            for value in low..=high {
                if !view.fill.range().contains(&value) {
                    // Its place kept, unseen and out of the keyboard's way.
                    ui.add_visible(false, egui::Button::selectable(false, value.to_string()));
                    continue;
                }
                let word = view.fill.word(value).unwrap_or_default();
                let selected = view.tool == Tool::Paint && view.paint_value() == value;
                let response = ui
                    .selectable_label(selected, value.to_string())
                    .accessible_name(format!("Paint {} {value}, {word}", view.fill.label().to_lowercase()))
                    .on_hover_text(format!(
                        "Paint {word}; the key {} sets it on the selection",
                        key_name(value)
                    ));
                if response.clicked() {
                    view.set_paint_value(value);
                    view.tool = Tool::Paint;
                }
            }
        });
        ui.separator();
        if ui
            .button("−")
            .accessible_name("Zoom out")
            .on_hover_text("Zoom out (or scroll the wheel over the map)")
            .clicked()
        {
            request = Some(ViewRequest::ZoomBy(1.0 / 1.25));
        }
        if ui
            .button("+")
            .accessible_name("Zoom in")
            .on_hover_text("Zoom in (or scroll the wheel over the map)")
            .clicked()
        {
            request = Some(ViewRequest::ZoomBy(1.25));
        }
        if ui.button("Fit").on_hover_text("Show the whole body").clicked() {
            request = Some(ViewRequest::Fit);
        }
    });
    request
}

/// The key that sets `value` on the selected regions.
fn key_name(value: u8) -> String {
    if value == 10 { "T".to_owned() } else { value.to_string() }
}

/// A tool button showing the finding's symbol, named for screen readers.
fn mark_tool_button(ui: &mut egui::Ui, kind: FindingKind, selected: bool) -> egui::Response {
    let height = ui.spacing().interact_size.y;
    let (rect, response) = ui.allocate_exact_size(vec2(height + 6.0, height), Sense::click());
    let enabled = ui.is_enabled();
    let name = format!("Mark {}", kind.label().to_lowercase());
    response.widget_info(|| WidgetInfo::selected(Role::Button, enabled, selected, &name));
    if ui.is_rect_visible(rect) {
        let visuals = ui.style().interact_selectable(&response, selected);
        ui.painter().rect(
            rect,
            visuals.corner_radius,
            visuals.weak_bg_fill,
            visuals.bg_stroke,
            StrokeKind::Inside,
        );
        let symbol_rect = egui::Rect::from_center_size(rect.center(), egui::Vec2::splat(height - 6.0));
        paint::symbol(ui.painter(), finding_symbol(kind), symbol_rect);
    }
    response.on_hover_text(format!(
        "Place {} mark where you click",
        crate::model::words::with_article(&kind.label().to_lowercase())
    ))
}

fn layer_accessible_name(view: LayerView) -> &'static str {
    match view {
        LayerView::Superficial => "Superficial layer",
        LayerView::Deep => "Deep layer",
        LayerView::Both => "Both layers",
    }
}

fn layer_tooltip(view: LayerView) -> &'static str {
    match view {
        LayerView::Superficial => "The muscles the hands meet first",
        LayerView::Deep => "The muscles under them (the surface shown faint)",
        LayerView::Both => "Both layers, the deep one faint on top",
    }
}
