//! A client's history as CSV, one row per session and region, for a spreadsheet
//! or an audit. The columns are part of the command line's stable output: add
//! new ones at the end, never rename or reorder them.

use std::fmt::Write;

use crate::model::{Session, SessionStatus};

/// The header row, in order.
pub const COLUMNS: [&str; 12] = [
    "date",
    "session_id",
    "status",
    "region_id",
    "side",
    "layer",
    "coarse_area",
    "tension",
    "pain",
    "pressure",
    "minutes",
    "findings",
];

/// The CSV of `sessions` (any order; written by date), header first. Every
/// session is written, records entered in error too (the status says so), so
/// that an audit sees the whole record; a session without regions gets one row
/// with empty region columns.
pub fn history_csv(sessions: &[Session]) -> String {
    let mut sorted: Vec<&Session> = sessions.iter().collect();
    sorted.sort_by(|a, b| (a.starts_at, &a.id).cmp(&(b.starts_at, &b.id)));
    let mut csv = COLUMNS.join(",");
    csv.push('\n');
    for session in sorted {
        let status = status_word(session);
        let date = session.starts_at.date().to_string();
        if session.regions.is_empty() {
            let _ = writeln!(csv, "{date},{},{status},,,,,,,,,", session.id);
        }
        for work in &session.regions {
            let info = work.region.info();
            let number = |value: Option<u8>| value.map(|value| value.to_string()).unwrap_or_default();
            let findings: Vec<&str> = work.findings.iter().map(|finding| finding.label()).collect();
            let row = [
                date.clone(),
                session.id.to_string(),
                status.to_owned(),
                info.key.to_owned(),
                info.side.phrase().to_owned(),
                info.layer.label().to_lowercase(),
                info.area.label().to_lowercase(),
                number(work.tension.map(|value| value.get())),
                number(work.pain.map(|value| value.get())),
                number(work.pressure.map(|value| value.get())),
                work.minutes.map(|minutes| minutes.to_string()).unwrap_or_default(),
                findings.join("; "),
            ];
            let fields: Vec<String> = row.iter().map(|field| field_text(field)).collect();
            csv.push_str(&fields.join(","));
            csv.push('\n');
        }
    }
    csv
}

fn status_word(session: &Session) -> &'static str {
    if session.entered_in_error.is_some() {
        return "entered in error";
    }
    match session.status {
        SessionStatus::Planned if !session.postponements.is_empty() => "postponed",
        status => status.word(),
    }
}

/// A field as CSV writes it: quoted when it holds a comma, a quote or a line break.
fn field_text(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClientId, FindingKind, Minutes, Pain, RegionId, Tension};

    #[test]
    fn each_region_of_each_session_is_a_row_under_the_stable_header() {
        let start = jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0);
        let client = ClientId::new("ana-lima").expect("id");
        let mut session = Session::new(client.clone(), start, Minutes::new(60).expect("minutes"));
        let work = session.region_mut(RegionId::UpperTrapeziusL);
        work.tension = Tension::new(2).ok();
        work.pain = Pain::new(6).ok();
        work.findings = vec![FindingKind::TriggerPoint, FindingKind::Tenderness];
        session.status = SessionStatus::Completed;
        let empty = Session::new(
            client,
            start.saturating_add(jiff::Span::new().days(7)),
            Minutes::new(60).expect("60"),
        );

        let csv = history_csv(&[empty.clone(), session.clone()]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "date,session_id,status,region_id,side,layer,coarse_area,tension,pain,pressure,minutes,findings"
        );
        assert_eq!(
            lines[1],
            format!(
                "2026-11-23,{},completed,upper_trapezius_l,client's left,superficial,shoulder,2,6,,,Trigger point; Tenderness",
                session.id
            )
        );
        assert_eq!(lines[2], format!("2026-11-30,{},planned,,,,,,,,,", empty.id));
    }

    #[test]
    fn a_field_with_a_comma_or_a_quote_is_quoted() {
        assert_eq!(field_text("a, b"), "\"a, b\"");
        assert_eq!(field_text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field_text("plain"), "plain");
    }
}
