//! The consent form: what the client agreed to for one session, on paper. The
//! areas to be worked (in plain words, on the client's simple map) and to be
//! avoided, the pressure, the words they read (positioning, risks,
//! alternatives, the right to stop), the signatures as they were drawn with
//! their times, and any withdrawal. With no consent recorded yet it prints
//! blank, for a clinic that signs on paper.

use std::collections::BTreeSet;

use crate::figure::{Figure, FigureView, LayerView};
use crate::geometry::BodyMap;
use crate::model::consent::{Consent, consent_text, current_consent};
use crate::model::{RegionId, Signature};

use super::layout::{Area, Flow, INK, MUTED, Mark, RULE, Style};
use super::map_block;
use super::take_home::WorkedOn;
use super::{DocumentKind, PrintError, Printed, SessionSheet, day_words, footer};

const HEADING: Style = Style::bold(13.0);
/// A signature's box on paper: as wide as the pad is on the screen, three to one.
const SIGNATURE_WIDTH: f32 = 210.0;
const SIGNATURE_HEIGHT: f32 = 70.0;

/// The consent form of `sheet.session`: as signed, or blank to sign on paper.
pub fn consent_form(sheet: &SessionSheet<'_>) -> Result<Printed, PrintError> {
    let map = BodyMap::standard()?;
    let session = sheet.session;
    let given = current_consent(session);
    let name = sheet.client.map(|client| client.display_name().to_owned()).unwrap_or_default();
    let title = format!("Consent for massage on {}", day_words(session.starts_at.date()));
    let mut flow = Flow::new(sheet.paper, format!("{title}, continued"));
    let body = Style::regular(11.0);

    let clinic = sheet.settings.clinic_name.trim();
    if !clinic.is_empty() {
        flow.paragraph(clinic, Style::bold(16.0));
    }
    flow.paragraph(&title, Style::bold(15.0));
    if !name.trim().is_empty() {
        flow.paragraph(&format!("For {name}"), body.in_colour(MUTED));
    }
    flow.space(6.0);

    // What was signed is printed as it was signed; a blank form is made from the plan now.
    let blank;
    let consent: &Consent = match given {
        Some(consent) => consent,
        None => {
            let words = match sheet.client {
                Some(client) => consent_text(&sheet.settings.consent_wording, client, session),
                None => String::new(),
            };
            blank = Consent::for_plan(session, words);
            &blank
        }
    };
    let areas: BTreeSet<RegionId> = consent.areas.keys().copied().collect();
    if !areas.is_empty() {
        let none = BTreeSet::new();
        let layers = LayerView::showing(areas.iter().copied());
        let view = FigureView { layers, caution_zones: false, warned: &none, marks: &[] };
        let figure = Figure::build(
            map,
            &WorkedOn { regions: &areas, legend: ["The plan", "to be worked on", "not to be worked on"] },
            &view,
        );
        map_block::map_with_legend(&mut flow, figure, 170.0, 190.0, &map_block::sides_caption());
    }
    flow.heading_in(HEADING, "What you agree to", 40.0);
    for line in consent.wording.lines().filter(|line| !line.trim().is_empty()) {
        flow.paragraph(&format!("•  {line}"), body);
    }

    flow.heading_in(HEADING, "Signatures", SIGNATURE_HEIGHT + 30.0);
    match given {
        Some(consent) => {
            if let Some(paper) = &consent.on_paper {
                flow.paragraph(
                    &format!(
                        "Signed on a paper form on {}, recorded by {} on {}.",
                        day_words(paper.signed_on),
                        paper.recorded_by,
                        paper.recorded_at.strftime("%-d %b %Y %H:%M")
                    ),
                    body,
                );
            }
            let client = consent.client.as_ref().filter(|signature| signature.is_drawn());
            let therapist = consent.therapist.as_ref().filter(|signature| signature.is_drawn());
            signatures(&mut flow, client, therapist);
        }
        None => signatures(&mut flow, None, None),
    }
    if let Some(consent) = given
        && !consent.withdrawals.is_empty()
    {
        flow.heading_in(HEADING, "Withdrawn", 20.0);
        for withdrawal in &consent.withdrawals {
            let what = withdrawal.what();
            flow.paragraph(
                &format!(
                    "At {}: {what} (noted by {}).",
                    withdrawal.at.strftime("%H:%M on %-d %b %Y"),
                    withdrawal.noted_by
                ),
                body,
            );
        }
    }
    let source = std::path::Path::new(sheet.source.file_name().unwrap_or_default());
    let pages = flow.finish(&footer(sheet.printed_at, source));
    Ok(Printed { kind: DocumentKind::Consent, title, pages })
}

/// The client's and the therapist's signatures side by side: each as drawn,
/// with the name and the time, or an empty box to sign on paper.
fn signatures(flow: &mut Flow, client: Option<&Signature>, therapist: Option<&Signature>) {
    flow.keep(SIGNATURE_HEIGHT + 34.0);
    let top = flow.y;
    let gap = (flow.width() - 2.0 * SIGNATURE_WIDTH).max(20.0);
    for (index, (who, signature)) in [("Client", client), ("Therapist", therapist)].into_iter().enumerate() {
        let x = flow.left() + index as f32 * (SIGNATURE_WIDTH + gap);
        let area = Area { x, y: top, width: SIGNATURE_WIDTH, height: SIGNATURE_HEIGHT };
        flow.mark(Mark::Rect { area, fill: None, stroke: Some((0.6, RULE)) });
        if let Some(signature) = signature {
            for stroke in &signature.strokes {
                let points: Vec<[f32; 2]> = stroke
                    .iter()
                    .map(|&(across, down)| {
                        let scale = f32::from(crate::model::consent::STROKE_SCALE);
                        [
                            x + f32::from(across) / scale * area.width,
                            top + f32::from(down) / scale * area.height,
                        ]
                    })
                    .collect();
                flow.mark(Mark::Line { points, width: 1.2, colour: INK, dash: None });
            }
        }
        let caption = match signature {
            Some(signature) => {
                format!("{who}: {}, {}", signature.name, signature.signed_at.strftime("%H:%M on %-d %b %Y"))
            }
            None => format!("{who}: name and date"),
        };
        let style = Style::regular(9.0).in_colour(MUTED);
        flow.mark(Mark::text([x, top + SIGNATURE_HEIGHT + 12.0], caption, style));
    }
    flow.y = top + SIGNATURE_HEIGHT + 22.0;
}
