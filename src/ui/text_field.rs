//! A text field for a value that is typed as text but kept as something else (a
//! date, a time): what is typed stays as typed until it reads as a valid value,
//! and a plain message says what is expected meanwhile.

use std::fmt::Display;
use std::str::FromStr;

/// Shows a one-line field for `value`, named for screen readers (and tests) by
/// the label `labelled_by`. Returns true when `value` changed.
pub fn parsed_field<T>(
    ui: &mut egui::Ui,
    labelled_by: egui::Id,
    hint: &str,
    value: &mut T,
    format: fn(&T) -> String,
) -> bool
where
    T: FromStr + PartialEq,
    T::Err: Display,
{
    let id = labelled_by.with("parsed_field");
    let mut text = ui.data(|data| data.get_temp::<String>(id)).unwrap_or_else(|| format(value));
    let response = ui
        .add(egui::TextEdit::singleline(&mut text).hint_text(hint).desired_width(160.0))
        .labelled_by(labelled_by);
    let mut changed = false;
    let mut problem = None;
    match text.trim().parse::<T>() {
        // Only what was typed changes the value: reading back the shown text would
        // round away what the format leaves out (the seconds of a start time).
        Ok(parsed) => {
            if response.changed() && parsed != *value {
                *value = parsed;
                changed = true;
            }
        }
        Err(error) => problem = Some(error.to_string()),
    }
    if response.has_focus() {
        ui.data_mut(|data| data.insert_temp(id, text));
    } else {
        // Not being edited: show the value as it is, and forget any half-typed text.
        ui.data_mut(|data| data.remove::<String>(id));
        problem = None;
    }
    if let Some(problem) = problem {
        ui.colored_label(ui.visuals().warn_fg_color, format!("Expected {hint}: {problem}"));
    }
    changed
}

/// An optional date, typed as YYYY-MM-DD; an empty field means no date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionalDate(pub Option<jiff::civil::Date>);

impl FromStr for OptionalDate {
    type Err = jiff::Error;
    fn from_str(text: &str) -> Result<Self, jiff::Error> {
        if text.is_empty() {
            Ok(OptionalDate(None))
        } else {
            text.parse().map(|date| OptionalDate(Some(date)))
        }
    }
}

pub fn format_optional_date(date: &OptionalDate) -> String {
    date.0.map(|date| date.to_string()).unwrap_or_default()
}

/// A date and time, typed as YYYY-MM-DD HH:MM.
pub fn format_date_time(value: &jiff::civil::DateTime) -> String {
    value.strftime("%Y-%m-%d %H:%M").to_string()
}
