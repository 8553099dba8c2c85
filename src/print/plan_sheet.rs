//! The plan sheet: the therapist's copy of one session's plan, on one page
//! (a long plan continues on a second, "continued", never mid-row).

use std::collections::BTreeSet;

use crate::figure::{Figure, FigureView, LayerView, SessionValues};
use crate::geometry::BodyMap;
use crate::legend::FillMode;
use crate::model::{Client, RegionId, RegionWork};
use crate::safety::{self, NOT_MEDICAL_ADVICE, SafetyReport, SafetyRules, Severity, explained_in_words};

use super::layout::{Column, Flow, MUTED, Style};
use super::map_block::{self, LEGEND_WIDTH};
use super::{DocumentKind, PrintError, Printed, SessionSheet, day_words, footer};

/// The map's heights to try, largest first: the sheet takes the largest that
/// keeps it on one page, and the largest if none does.
const MAP_HEIGHTS: [f32; 3] = [265.0, 220.0, 180.0];

/// The plan sheet of `sheet.session`: one page where the plan allows, with
/// the map as large as that leaves room for.
pub fn plan_sheet(sheet: &SessionSheet<'_>) -> Result<Printed, PrintError> {
    let mut first = None;
    for height in MAP_HEIGHTS {
        let printed = plan_sheet_with_map(sheet, height)?;
        if printed.pages.len() == 1 {
            return Ok(printed);
        }
        first.get_or_insert(printed);
    }
    first.ok_or_else(|| PrintError::Pdf("the plan sheet has no page".into()))
}

fn plan_sheet_with_map(sheet: &SessionSheet<'_>, map_height: f32) -> Result<Printed, PrintError> {
    let map = BodyMap::standard()?;
    let session = sheet.session;
    let stand_in;
    let client = match sheet.client {
        Some(client) => client,
        None => {
            stand_in = Client::new(session.client.as_str());
            &stand_in
        }
    };
    let rules = SafetyRules::standard()
        .map(|rules| rules.with_clinic(std::sync::Arc::new(sheet.clinic_rules.clone())));
    let report = safety::check_with(rules.as_ref().map_err(|error| *error), client, session, sheet.previous);
    let name = if sheet.client.is_some() { client.name.clone() } else { session.client.to_string() };
    let day = day_words(session.starts_at.date());
    let title = format!("Plan sheet: {name}, {day}");
    let mut flow = Flow::new(sheet.paper, format!("{title}, continued"));

    header(&mut flow, sheet, &name);
    if sheet.client.is_none() {
        flow.paragraph(
            "The client's profile could not be read: the health flags are not known and are not checked on this sheet.",
            Style::bold(9.0).in_colour(crate::legend::WARNING_MARK),
        );
    }
    if !session.goals.trim().is_empty() {
        flow.heading("Goals, in the client's words", 14.0);
        flow.paragraph(&session.goals, Style::regular(10.0));
    }

    let warned: BTreeSet<_> = report.warnings.iter().filter_map(|warning| warning.region).collect();
    let layers = LayerView::showing(session.regions.iter().map(|work| work.region));
    let view = FigureView { layers, caution_zones: true, warned: &warned, marks: &session.marks };
    let figure = Figure::build(map, &SessionValues { session, mode: FillMode::Pressure }, &view);
    let map_width = (flow.width() - LEGEND_WIDTH - 14.0).min(280.0);
    flow.heading(
        &format!(
            "The map ({} layer{}, by planned pressure)",
            layers.label().to_lowercase(),
            if layers == LayerView::Both { "s" } else { "" }
        ),
        260.0,
    );
    map_block::map_with_legend(&mut flow, figure, map_width, map_height, &map_block::sides_caption());

    order_of_work(&mut flow, sheet);
    let planned: BTreeSet<RegionId> = session.regions.iter().map(|work| work.region).collect();
    safety_section(&mut flow, client, sheet.client.is_some(), &report, &planned);

    let pages = flow.finish(&footer(sheet.printed_at, sheet.source));
    Ok(Printed { kind: DocumentKind::PlanSheet, title, pages })
}

/// Whether the client's consent is recorded, in a few words: "consent signed
/// 09:26", with what was withdrawn since.
fn consent_in_words(session: &crate::model::Session) -> String {
    let Some(consent) = crate::model::consent::current_consent(session) else {
        return "no consent recorded".to_owned();
    };
    let mut words = match (&consent.client, &consent.on_paper) {
        (_, Some(paper)) => format!("consent on paper {}", day_words(paper.signed_on)),
        (Some(signature), _) => format!("consent signed {}", signature.signed_at.strftime("%H:%M")),
        (None, None) => "consent given".to_owned(),
    };
    for withdrawal in &consent.withdrawals {
        let what = withdrawal.what();
        words.push_str(&format!(", withdrawn {} for {what}", withdrawal.at.strftime("%H:%M")));
    }
    words
}

fn header(flow: &mut Flow, sheet: &SessionSheet<'_>, name: &str) {
    let session = sheet.session;
    let clinic =
        if sheet.settings.clinic_name.trim().is_empty() { "Plan sheet" } else { &sheet.settings.clinic_name };
    flow.paragraph(clinic, Style::bold(15.0));
    flow.paragraph(&format!("Plan sheet · {}", session.status.word()), Style::regular(9.0).in_colour(MUTED));
    flow.space(4.0);
    flow.paragraph(name, Style::bold(13.0));
    let mut facts = Vec::new();
    if let Some(born) = sheet.client.and_then(|client| client.date_of_birth) {
        facts.push(format!("born {}", day_words(born)));
    }
    facts.push(session.starts_at.strftime("%A %-d %B %Y, %H:%M").to_string());
    facts.push(format!("{} min", session.minutes.get()));
    if !session.therapist.trim().is_empty() {
        facts.push(format!("therapist {}", session.therapist));
    }
    facts.push(consent_in_words(session));
    flow.paragraph(&facts.join("  ·  "), Style::regular(10.0));
    flow.space(2.0);
    flow.rule();
    flow.space(2.0);
}

/// The order of work: one row per region, in the plan's order, and the total
/// against the session's length.
fn order_of_work(flow: &mut Flow, sheet: &SessionSheet<'_>) {
    let session = sheet.session;
    flow.heading("Order of work", 40.0);
    if session.regions.is_empty() {
        flow.paragraph("No regions are planned yet.", Style::regular(10.0));
        return;
    }
    let columns = [
        Column { heading: "#", share: 0.45 },
        Column { heading: "Region", share: 2.9 },
        Column { heading: "Tension", share: 1.0 },
        Column { heading: "Pain", share: 0.6 },
        Column { heading: "Findings", share: 1.4 },
        Column { heading: "Pressure", share: 1.0 },
        Column { heading: "Techniques", share: 1.5 },
        Column { heading: "Min", share: 0.5 },
        Column { heading: "Notes", share: 2.0 },
    ];
    let rows: Vec<Vec<String>> =
        session.regions.iter().enumerate().map(|(index, work)| row(index + 1, work)).collect();
    flow.table(&columns, &rows, Style::regular(8.5));
    let planned = session.planned_minutes();
    let length = u32::from(session.minutes.get());
    let verdict = match planned.cmp(&length) {
        std::cmp::Ordering::Less => format!("{} min left", length - planned),
        std::cmp::Ordering::Equal => "exactly the session's length".to_owned(),
        std::cmp::Ordering::Greater => format!("{} min over", planned - length),
    };
    flow.space(3.0);
    flow.keep(14.0);
    let style = if planned > length {
        Style::bold(10.0).in_colour(crate::legend::WARNING_MARK)
    } else {
        Style::bold(10.0)
    };
    flow.paragraph(&format!("Total planned: {planned} of {length} min ({verdict})"), style);
}

fn row(number: usize, work: &RegionWork) -> Vec<String> {
    let or_dash = |value: Option<String>| value.unwrap_or_else(|| "–".to_owned());
    vec![
        number.to_string(),
        work.region.accessible_name(),
        or_dash(work.tension.map(|t| format!("{} {}", t.get(), t.word()))),
        or_dash(work.pain.map(|p| format!("{}/10", p.get()))),
        or_dash((!work.findings.is_empty()).then(|| super::map_block::findings_in_words(&work.findings))),
        or_dash(work.pressure.map(|p| format!("{} {}", p.get(), p.word()))),
        or_dash(
            (!work.techniques.is_empty())
                .then(|| work.techniques.iter().map(|t| t.label().to_owned()).collect::<Vec<_>>().join(", ")),
        ),
        or_dash(work.minutes.map(|m| m.get().to_string())),
        work.notes.clone(),
    ]
}

/// Health flags, warnings with their written reasons, caution notes, reminders,
/// and the line that says what the checks are.
fn safety_section(
    flow: &mut Flow,
    client: &Client,
    profile_read: bool,
    report: &SafetyReport,
    planned: &BTreeSet<RegionId>,
) {
    flow.heading("Safety", 30.0);
    let body = Style::regular(9.0);
    if profile_read {
        if client.health_flags.is_empty() {
            flow.paragraph("Health flags: none recorded.", body);
        } else {
            for (flag, details) in &client.health_flags {
                let mut line = format!("Health flag: {}", flag.label());
                if let Some(since) = details.since {
                    line.push_str(&format!(" (since {})", day_words(since)));
                }
                if !details.note.trim().is_empty() {
                    line.push_str(&format!(": {}", details.note.trim()));
                }
                flow.paragraph(&line, body);
            }
        }
    }
    if let Some(missing) = &report.rules_missing {
        flow.paragraph(&format!("The safety rules could not be checked: {missing}"), Style::bold(9.0));
    }
    if report.warnings.is_empty() {
        flow.paragraph("Warnings: none.", body);
    }
    for warning in &report.warnings {
        let level = match warning.severity {
            Severity::Blocking => "Stop",
            Severity::Caution => "Warning",
            Severity::Reminder => "Reminder",
        };
        let target =
            warning.region.map(|region| format!(" ({})", region.accessible_name())).unwrap_or_default();
        flow.paragraph(&format!("{level}{target}: {}", warning.message), Style::bold(9.0));
        let reason = match &warning.overridden {
            Some(decision) => explained_in_words(decision),
            None => "Not explained in writing yet.".to_owned(),
        };
        flow.paragraph_at(flow.left() + 14.0, flow.width() - 14.0, &reason, body);
    }
    // Each note once, with the planned regions it is about: the same note
    // stands beside the spine for every region that borders it.
    let mut notes: Vec<(&str, Vec<String>)> = Vec::new();
    for (region, region_notes) in report.caution_notes.iter().filter(|(region, _)| planned.contains(*region))
    {
        for note in region_notes {
            match notes.iter_mut().find(|(text, _)| text == note) {
                Some((_, regions)) => regions.push(region.accessible_name()),
                None => notes.push((note, vec![region.accessible_name()])),
            }
        }
    }
    for (note, regions) in notes {
        flow.paragraph(&format!("Caution: {note} ({})", regions.join("; ")), body);
    }
    for reminder in report.reminders.iter().filter(|reminder| reminder.message != NOT_MEDICAL_ADVICE) {
        flow.paragraph(&format!("Reminder: {}", reminder.message), body);
    }
    flow.space(4.0);
    flow.paragraph(NOT_MEDICAL_ADVICE, Style::regular(8.0).in_colour(MUTED));
}
