//! When a new session goes: the next free slot of the practice's day, and the
//! sessions of a client that overlap each other.

use jiff::civil::{Date, DateTime, Time};
use serde::{Deserialize, Serialize};

use super::{Minutes, Session, SessionStatus};

/// The hours the practice sees clients, in `practice.ron` (format 4 on; absent
/// means 09:00 to 18:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningHours {
    pub opens: Time,
    pub closes: Time,
}

impl Default for OpeningHours {
    fn default() -> Self {
        OpeningHours { opens: Time::constant(9, 0, 0, 0), closes: Time::constant(18, 0, 0, 0) }
    }
}

impl OpeningHours {
    pub fn is_default(&self) -> bool {
        *self == OpeningHours::default()
    }
}

/// New sessions start on a quarter hour.
const SLOT_MINUTES: i64 = 15;

/// Whether `session` takes up its time: planned, ready or done, and not entered in error.
fn takes_its_time(session: &Session) -> bool {
    matches!(session.status, SessionStatus::Planned | SessionStatus::Ready | SessionStatus::Completed)
        && session.entered_in_error.is_none()
}

fn ends_at(starts_at: DateTime, minutes: Minutes) -> DateTime {
    starts_at.checked_add(jiff::Span::new().minutes(i64::from(minutes.get()))).unwrap_or(DateTime::MAX)
}

/// The start of a new session of `length` for a client who has `sessions`:
/// the first quarter hour from `now` on at which the practice is open and none
/// of them is under way, today or else on the next day the practice opens.
pub fn next_free_start(
    now: DateTime,
    length: Minutes,
    sessions: &[Session],
    hours: OpeningHours,
) -> DateTime {
    let busy: Vec<(DateTime, DateTime)> = sessions
        .iter()
        .filter(|session| takes_its_time(session))
        .map(|session| (session.starts_at, ends_at(session.starts_at, session.minutes)))
        .collect();
    let mut day = now.date();
    // A week is far more than a client's sessions fill; past it, `now` itself is as good as any.
    for _ in 0..7 {
        let opens = day.to_datetime(hours.opens);
        let mut candidate = if day == now.date() { round_up_to_slot(now).max(opens) } else { opens };
        loop {
            let end = ends_at(candidate, length);
            if end > day.to_datetime(hours.closes) || end.date() != day {
                break;
            }
            match busy
                .iter()
                .filter(|(start, finish)| *start < end && candidate < *finish)
                .map(|(_, f)| *f)
                .max()
            {
                Some(finish) => candidate = round_up_to_slot(finish),
                None => return candidate,
            }
        }
        let Some(next) = next_day(day) else { break };
        day = next;
    }
    round_up_to_slot(now)
}

fn next_day(day: Date) -> Option<Date> {
    day.tomorrow().ok()
}

/// `time` moved on to the next quarter hour (itself if it is one).
fn round_up_to_slot(time: DateTime) -> DateTime {
    let minutes = i64::from(time.minute());
    let past = minutes % SLOT_MINUTES;
    let exact = past == 0 && time.second() == 0 && time.subsec_nanosecond() == 0;
    let floor =
        time.with().minute((minutes - past) as i8).second(0).subsec_nanosecond(0).build().unwrap_or(time);
    if exact { floor } else { floor.checked_add(jiff::Span::new().minutes(SLOT_MINUTES)).unwrap_or(time) }
}

/// The client's other sessions that overlap `session` in time (both taking
/// their time), earliest first.
pub fn overlapping<'a>(session: &Session, sessions: &'a [Session]) -> Vec<&'a Session> {
    if !takes_its_time(session) {
        return Vec::new();
    }
    let (start, end) = (session.starts_at, ends_at(session.starts_at, session.minutes));
    let mut found: Vec<&Session> = sessions
        .iter()
        .filter(|other| other.id != session.id && takes_its_time(other))
        .filter(|other| {
            let other_end = ends_at(other.starts_at, other.minutes);
            // Two sessions at the same minute overlap, whatever their length.
            (other.starts_at < end && start < other_end) || other.starts_at == start
        })
        .collect();
    found.sort_by_key(|other| other.starts_at);
    found
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::model::ClientId;

    fn hour(minutes: u16) -> Minutes {
        Minutes::new(i64::from(minutes)).expect("minutes")
    }

    fn session_at(h: i8, m: i8, minutes: u16) -> Session {
        Session::new(ClientId::new("ana").expect("id"), date(2026, 11, 23).at(h, m, 0, 0), hour(minutes))
    }

    #[test]
    fn a_new_session_starts_on_the_next_quarter_hour_after_the_sessions_under_way() {
        let hours = OpeningHours::default();
        let now = date(2026, 11, 23).at(10, 24, 0, 0);
        assert_eq!(next_free_start(now, hour(60), &[], hours), date(2026, 11, 23).at(10, 30, 0, 0));
        // 10:00–11:00 is taken: the next start is 11:00, then after 11:00–12:30 is 12:30.
        let taken = [session_at(10, 0, 60), session_at(11, 0, 90)];
        assert_eq!(next_free_start(now, hour(60), &taken, hours), date(2026, 11, 23).at(12, 30, 0, 0));
        // Before opening, the first slot is the opening.
        let early = date(2026, 11, 23).at(7, 5, 0, 0);
        assert_eq!(next_free_start(early, hour(60), &[], hours), date(2026, 11, 23).at(9, 0, 0, 0));
    }

    #[test]
    fn in_the_evening_the_new_session_goes_to_the_next_morning() {
        let now = date(2026, 11, 23).at(19, 24, 0, 0);
        let start = next_free_start(now, hour(60), &[], OpeningHours::default());
        assert_eq!(start, date(2026, 11, 24).at(9, 0, 0, 0));
    }

    #[test]
    fn a_cancelled_session_frees_its_time() {
        let now = date(2026, 11, 23).at(10, 0, 0, 0);
        let mut cancelled = session_at(10, 0, 60);
        cancelled.status = SessionStatus::Cancelled;
        assert_eq!(next_free_start(now, hour(60), &[cancelled], OpeningHours::default()), now);
    }

    #[test]
    fn two_sessions_at_the_same_time_overlap_and_back_to_back_ones_do_not() {
        let first = session_at(10, 0, 60);
        let same = session_at(10, 0, 60);
        let later = session_at(10, 30, 30);
        let after = session_at(11, 0, 60);
        let all = [first.clone(), same.clone(), later.clone(), after.clone()];
        let ids: Vec<_> = overlapping(&first, &all).into_iter().map(|s| s.id.clone()).collect();
        assert_eq!(ids, [same.id.clone(), later.id.clone()]);
        assert!(overlapping(&after, &[first]).is_empty(), "10:00–11:00 and 11:00–12:00 do not overlap");
    }
}
