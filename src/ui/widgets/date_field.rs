//! Dates and times, picked rather than typed: a calendar beside every date, and
//! the hour and minute from lists. A date can still be typed (YYYY-MM-DD); one
//! that is not a date stays in its field with a plain message under it ("there
//! is no month 13") until it is corrected or a date is picked (see
//! [`crate::ui::widgets::text_field`]).

use egui::Id;
use egui_extras::DatePickerButton;
use jiff::civil::{Date, DateTime, Time};

use crate::ui::widgets::text_field::parsed_field;

/// How a date is typed, shown in an empty field.
const DATE_HINT: &str = "YYYY-MM-DD";
/// Wide enough for YYYY-MM-DD and a little more.
const DATE_WIDTH: f32 = 96.0;
/// The minutes offered for a start; another minute, already set, is offered too.
const MINUTE_STEP: usize = 5;

/// An optional date, labelled by `label` and named `name` ("Date of birth")
/// for screen readers: a field to type it in (empty for no date), a calendar to
/// pick it from, and a plain message under them while the text is not a date.
/// The calendar opens at `opens_at` when there is no date yet. Returns true
/// when the date changed.
pub fn optional_date_field(
    ui: &mut egui::Ui,
    label: Id,
    name: &str,
    value: &mut Option<Date>,
    opens_at: Date,
) -> bool {
    ui.vertical(|ui| {
        let mut changed = false;
        let problem = ui
            .horizontal(|ui| {
                let example = value.unwrap_or(opens_at);
                let format = |date: &Option<Date>| date.map(|date| date.to_string()).unwrap_or_default();
                let read =
                    |text: &str| if text.is_empty() { Ok(None) } else { read_date(text, example).map(Some) };
                let parsed = parsed_field(ui, label, DATE_HINT, DATE_WIDTH, value, format, read);
                changed |= parsed.changed;
                let mut picked = value.unwrap_or(opens_at);
                if calendar(ui, name, &mut picked) {
                    *value = Some(picked);
                    changed = true;
                }
                parsed.problem
            })
            .inner;
        show_problem(ui, problem);
        changed
    })
    .inner
}

/// A date and time, labelled by `label` and named `name` ("Starts"): the date as
/// in [`optional_date_field`] (but never empty), then the hour and the minute
/// from lists. The seconds, which nothing here shows, are kept. Returns true
/// when the date or time changed.
pub fn date_time_field(ui: &mut egui::Ui, label: Id, name: &str, value: &mut DateTime) -> bool {
    ui.vertical(|ui| {
        let mut changed = false;
        let problem = ui
            .horizontal(|ui| {
                let mut date = value.date();
                let example = date;
                let read = |text: &str| read_date(text, example);
                let parsed = parsed_field(ui, label, DATE_HINT, DATE_WIDTH, &mut date, Date::to_string, read);
                let picked = calendar(ui, name, &mut date);
                let mut time = value.time();
                let chose_time = time_of_day_field(ui, name, &mut time);
                if parsed.changed || picked || chose_time {
                    let new = date.to_datetime(time);
                    changed = new != *value;
                    *value = new;
                }
                parsed.problem
            })
            .inner;
        show_problem(ui, problem);
        changed
    })
    .inner
}

/// A time of day as an hour and a minute, each chosen from its list (named
/// "NAME: hour" and "NAME: minute"). Returns true when it changed.
pub fn time_of_day_field(ui: &mut egui::Ui, name: &str, value: &mut Time) -> bool {
    ui.horizontal(|ui| {
        let mut hour = value.hour();
        let mut minute = value.minute();
        let hours = (0..24).map(|hour| hour as i8);
        let chose_hour = time_list(ui, (name, "hour"), &format!("{name}: hour"), &mut hour, hours);
        ui.label(":");
        let minutes = (0..60).step_by(MINUTE_STEP).map(|minute| minute as i8);
        let chose_minute = time_list(ui, (name, "minute"), &format!("{name}: minute"), &mut minute, minutes);
        // The seconds are kept: a time typed elsewhere to the second stays as it was.
        if (chose_hour || chose_minute)
            && let Ok(time) = Time::new(hour, minute, value.second(), value.subsec_nanosecond())
            && time != *value
        {
            *value = time;
            return true;
        }
        false
    })
    .inner
}

/// The calendar button beside a date; the date changes when a day is picked
/// and saved. Returns true then.
fn calendar(ui: &mut egui::Ui, name: &str, date: &mut Date) -> bool {
    ui.add(DatePickerButton::new(date).id_salt(name).show_icon(false).format("📆").calendar_week(false))
        .accessible_name(format!("{name}: pick from a calendar"))
        .on_hover_text("Pick the date from a calendar")
        .changed()
}

/// A list of hours or minutes, shown with two digits; the value already set is
/// offered even when `offered` leaves it out. Returns true when one was chosen.
fn time_list(
    ui: &mut egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    name: &str,
    value: &mut i8,
    offered: impl Iterator<Item = i8>,
) -> bool {
    let before = *value;
    let mut choices: Vec<i8> = offered.collect();
    if !choices.contains(&before) {
        choices.push(before);
        choices.sort_unstable();
    }
    // A few rows of four, right under the box, instead of one long column that
    // had to open away from it: every hour is in sight at once.
    let shown = format!("{before:02}");
    let choice = egui::ComboBox::from_id_salt(id_salt)
        .width(44.0)
        .selected_text(shown.as_str())
        .show_ui(ui, |ui| {
            egui::Grid::new("choices").num_columns(4).spacing([2.0, 2.0]).show(ui, |ui| {
                for (index, choice) in choices.into_iter().enumerate() {
                    ui.selectable_value(value, choice, format!("{choice:02}"));
                    if index % 4 == 3 {
                        ui.end_row();
                    }
                }
            });
        })
        .response
        .accessible_name(name);
    super::said::chosen(&choice, &shown);
    *value != before
}

/// The message under a date whose text is not a date, wrapped to the room there is.
fn show_problem(ui: &mut egui::Ui, problem: Option<String>) {
    if let Some(problem) = problem {
        let text = egui::RichText::new(problem).color(ui.visuals().warn_fg_color);
        ui.add(egui::Label::new(text).wrap());
    }
}

/// Reads a date typed as YYYY-MM-DD, or says in plain words what is wrong with
/// it: the month or day that does not exist, or how to write it (with
/// `example`, unless what was typed suggests a better one).
pub fn read_date(text: &str, example: Date) -> Result<Date, String> {
    if text.is_empty() {
        return Err(format!("A date is needed: write it as YYYY-MM-DD, e.g. {example}"));
    }
    let digits = |part: &str, most: usize| {
        (!part.is_empty() && part.len() <= most && part.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| part.parse::<i16>().ok())
            .flatten()
    };
    let parts: Vec<&str> = text.split('-').collect();
    if let [year, month, day] = parts[..]
        && year.len() == 4
        && let (Some(year), Some(month), Some(day)) = (digits(year, 4), digits(month, 2), digits(day, 2))
    {
        // At most two digits: these fit.
        let (month, day) = (month as i8, day as i8);
        let Ok(first_of_month) = Date::new(year, month, 1) else {
            return Err(format!("{text} is not a date: there is no month {month}"));
        };
        let days = first_of_month.days_in_month();
        if day == 0 {
            return Err(format!("{text} is not a date: there is no day 0"));
        }
        if day > days {
            let month_name = first_of_month.strftime("%B %Y");
            return Err(format!("{text} is not a date: {month_name} has {days} days"));
        }
        return Date::new(year, month, day).map_err(|error| format!("{text} is not a date: {error}"));
    }
    let example = date_meant(text).unwrap_or(example);
    Err(format!("{text} is not a date: write it as YYYY-MM-DD, e.g. {example}"))
}

/// The date that text written another way most likely means ("31/02/1980" is
/// about February 1980, so 1980-02-29), for the example in the message: a year
/// of four digits first or last, the day first when it cannot be told from the
/// month (as most of the world writes it), and the day kept within its month.
fn date_meant(text: &str) -> Option<Date> {
    let groups: Vec<&str> =
        text.split(|c: char| !c.is_ascii_digit()).filter(|group| !group.is_empty()).collect();
    let [a, b, c] = groups[..] else { return None };
    let (year, first, second, year_first) = match (a.len(), b.len(), c.len()) {
        (4, 1..=2, 1..=2) => (a, b, c, true),
        (1..=2, 1..=2, 4) => (c, a, b, false),
        _ => return None,
    };
    let year: i16 = year.parse().ok()?;
    let (first, second): (i8, i8) = (first.parse().ok()?, second.parse().ok()?);
    let (month, day) = if first > 12 {
        (second, first)
    } else if second > 12 || year_first {
        (first, second)
    } else {
        (second, first)
    };
    let last = Date::new(year, month, 1).ok()?.days_in_month();
    Date::new(year, month, day.clamp(1, last)).ok()
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn today() -> Date {
        date(2026, 11, 23)
    }

    #[test]
    fn a_typed_iso_date_reads_as_that_date() {
        assert_eq!(read_date("1980-02-29", today()), Ok(date(1980, 2, 29)));
        assert_eq!(read_date("2026-1-5", today()), Ok(date(2026, 1, 5)), "one digit is enough");
    }

    #[test]
    fn a_date_written_another_way_says_how_to_write_it_with_the_date_it_likely_means() {
        assert_eq!(
            read_date("31/02/1980", today()),
            Err("31/02/1980 is not a date: write it as YYYY-MM-DD, e.g. 1980-02-29".to_owned())
        );
        assert_eq!(
            read_date("12.3.1975", today()),
            Err("12.3.1975 is not a date: write it as YYYY-MM-DD, e.g. 1975-03-12".to_owned())
        );
        assert_eq!(
            read_date("next tuesday", today()),
            Err("next tuesday is not a date: write it as YYYY-MM-DD, e.g. 2026-11-23".to_owned())
        );
    }

    #[test]
    fn a_month_or_day_that_does_not_exist_is_named() {
        assert_eq!(
            read_date("2026-13-45", today()),
            Err("2026-13-45 is not a date: there is no month 13".to_owned())
        );
        assert_eq!(
            read_date("2026-00-10", today()),
            Err("2026-00-10 is not a date: there is no month 0".to_owned())
        );
        assert_eq!(
            read_date("1981-02-29", today()),
            Err("1981-02-29 is not a date: February 1981 has 28 days".to_owned())
        );
        assert_eq!(
            read_date("2026-11-00", today()),
            Err("2026-11-00 is not a date: there is no day 0".to_owned())
        );
    }
}
