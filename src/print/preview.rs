//! The pages of a PDF as pictures, for the print preview: drawn from the PDF
//! itself, so that the preview shows exactly what the printer will get.

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};

use super::PrintError;

/// One page as a picture: RGBA, premultiplied, row by row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageImage {
    pub width: usize,
    pub height: usize,
    pub rgba: Vec<u8>,
}

/// Every page of `pdf` at `pixels_per_point` pixels for each point of the page.
pub fn render_pages(pdf: Vec<u8>, pixels_per_point: f32) -> Result<Vec<PageImage>, PrintError> {
    let document =
        Pdf::new(pdf).map_err(|error| PrintError::Pdf(format!("the preview cannot read it: {error:?}")))?;
    let cache = RenderCache::new();
    let interpreter = InterpreterSettings::default();
    let render = RenderSettings::default();
    let pixmap = PixmapSettings { x_scale: pixels_per_point, y_scale: pixels_per_point, bg_color: WHITE };
    Ok(document
        .pages()
        .iter()
        .map(|page| {
            let pixmap = hayro::render(page, &cache, &interpreter, &render, &pixmap);
            PageImage {
                width: usize::from(pixmap.width()),
                height: usize::from(pixmap.height()),
                rgba: pixmap.data_as_u8_slice().to_vec(),
            }
        })
        .collect())
}
