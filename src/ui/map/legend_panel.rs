//! The legend beside the map: the colours of the current fill (the figure's value
//! source says what they mean) and the findings' symbols, drawn from
//! [`crate::legend`] like the map itself.

use egui::{RichText, Sense, Stroke, StrokeKind, vec2};

use crate::figure::RegionValues;
use crate::legend;
use crate::model::FindingKind;

use super::paint::{self, colour};

const SWATCH: egui::Vec2 = vec2(22.0, 14.0);

/// The screen lists every kind of finding, so that a symbol can be looked up
/// before it is placed; paper lists those on the map.
pub(super) fn show(ui: &mut egui::Ui, values: &dyn RegionValues, show_caution_zones: bool) {
    ui.spacing_mut().item_spacing.y = 2.0;
    let (heading, swatches) = values.fill_legend();
    ui.label(RichText::new(heading).strong());
    for swatch in swatches {
        swatch_row(ui, swatch.fill, swatch.border, &swatch.text);
    }
    if show_caution_zones {
        ui.add_space(6.0);
        swatch_row(ui, legend::CAUTION_FILL, legend::CAUTION_OUTLINE, "caution zone");
    }
    ui.add_space(8.0);
    ui.label(RichText::new("Findings").strong());
    for kind in FindingKind::ALL {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(vec2(SWATCH.x, 18.0), Sense::hover());
            paint::badge(ui.painter(), kind, rect.center(), 14.0);
            ui.label(kind.label());
        });
    }
}

fn swatch_row(ui: &mut egui::Ui, fill: legend::Rgba, border: legend::Rgba, text: &str) {
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(SWATCH, Sense::hover());
        ui.painter().rect(rect, 2.0, colour(fill), Stroke::new(1.0, colour(border)), StrokeKind::Inside);
        ui.label(text);
    });
}
