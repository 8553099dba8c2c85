//! A box to sign in, with the mouse, a trackpad, a pen or a finger. What is
//! drawn is kept as strokes, each the points the pointer went through, in
//! thousandths of the box ([`crate::model::consent::STROKE_SCALE`]): a file
//! holds the signature itself, never a picture of it.

use egui::{Color32, Pos2, Rect, Sense, Stroke, Vec2};
use jiff::civil::DateTime;

use crate::model::Signature;
use crate::model::consent::STROKE_SCALE;

/// The box's shape: three times as wide as it is high, like a paper form's line.
pub const PAD_ASPECT: f32 = 3.0;

/// A signature being drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SignaturePad {
    strokes: Vec<Vec<(u16, u16)>>,
}

impl SignaturePad {
    /// Shows the box `width` wide, named for a screen reader as "Signature of
    /// `who`", and takes what is drawn in it.
    pub fn ui(&mut self, ui: &mut egui::Ui, who: &str, width: f32) -> egui::Response {
        let size = Vec2::new(width, width / PAD_ASPECT);
        let (rect, response) = ui.allocate_exact_size(size, Sense::click_and_drag());
        let response = response.accessible_name(format!("Signature of {who}"));
        if response.drag_started() {
            // A drag is seen once the pointer has moved a little: the stroke begins where it was pressed.
            let pressed = ui.input(|input| input.pointer.press_origin());
            self.strokes.push(pressed.map(|at| in_the_pad(rect, at)).into_iter().collect());
        }
        if (response.dragged() || response.drag_started())
            && let Some(at) = response.interact_pointer_pos()
            && let Some(stroke) = self.strokes.last_mut()
        {
            let point = in_the_pad(rect, at);
            if stroke.last() != Some(&point) {
                stroke.push(point);
            }
        }
        let visuals = ui.visuals();
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 4.0, visuals.extreme_bg_color);
        let line_y = rect.bottom() - rect.height() * 0.22;
        painter.line_segment(
            [Pos2::new(rect.left() + 12.0, line_y), Pos2::new(rect.right() - 12.0, line_y)],
            Stroke::new(1.0, visuals.weak_text_color()),
        );
        if self.strokes.is_empty() {
            painter.text(
                Pos2::new(rect.left() + 14.0, line_y - 6.0),
                egui::Align2::LEFT_BOTTOM,
                "Sign here",
                egui::FontId::proportional(16.0),
                visuals.weak_text_color(),
            );
        }
        paint_strokes(&painter, rect, &self.strokes, visuals.strong_text_color());
        response
    }

    /// Whether anything was drawn.
    pub fn is_drawn(&self) -> bool {
        self.signature("", DateTime::default()).is_drawn()
    }

    pub fn clear(&mut self) {
        self.strokes.clear();
    }

    /// What was drawn, as `name`'s signature at `at`.
    pub fn signature(&self, name: &str, at: DateTime) -> Signature {
        Signature { name: name.trim().to_owned(), signed_at: at, strokes: self.strokes.clone() }
    }
}

/// Where `at` is in the pad `rect`, in thousandths, kept inside the pad.
fn in_the_pad(rect: Rect, at: Pos2) -> (u16, u16) {
    let scale = f32::from(STROKE_SCALE);
    let across = ((at.x - rect.left()) / rect.width()).clamp(0.0, 1.0) * scale;
    let down = ((at.y - rect.top()) / rect.height()).clamp(0.0, 1.0) * scale;
    // Within 0..=STROKE_SCALE by the clamp, so the conversion keeps the value.
    (across.round() as u16, down.round() as u16)
}

/// Draws `strokes` into `rect`, as they were drawn in a pad of its shape.
pub fn paint_strokes(painter: &egui::Painter, rect: Rect, strokes: &[Vec<(u16, u16)>], colour: Color32) {
    let scale = f32::from(STROKE_SCALE);
    let place = |(across, down): (u16, u16)| {
        Pos2::new(
            rect.left() + f32::from(across) / scale * rect.width(),
            rect.top() + f32::from(down) / scale * rect.height(),
        )
    };
    for stroke in strokes {
        let points: Vec<Pos2> = stroke.iter().copied().map(place).collect();
        if points.len() == 1 {
            painter.circle_filled(points[0], 1.5, colour);
        } else {
            painter.add(egui::Shape::line(points, Stroke::new(2.0, colour)));
        }
    }
}

/// Shows a signature already given, in a box `width` wide.
pub fn signature_view(ui: &mut egui::Ui, signature: &Signature, width: f32) -> egui::Response {
    let size = Vec2::new(width, width / PAD_ASPECT);
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let response = response.accessible_name(format!(
        "Signature of {}, {}",
        signature.name,
        signature.signed_at.strftime("%H:%M on %-d %b %Y")
    ));
    let painter = ui.painter_at(rect);
    painter.rect_stroke(
        rect,
        4.0,
        Stroke::new(1.0, ui.visuals().weak_text_color()),
        egui::StrokeKind::Inside,
    );
    paint_strokes(&painter, rect, &signature.strokes, ui.visuals().strong_text_color());
    response
}
