//! What one client's history says: the series of tension, pain and pressure per
//! region and per coarse area, the change between two sessions, how often each
//! region keeps coming back, and the figures a therapist can quote.
//!
//! Computed here once, without egui, for whoever shows them: the history
//! screens and the printed progress report. Only sessions that happened count:
//! completed, and not marked entered in error ([`Session::counts_in_history`]).
//! The values handed out are per region, so any painter of the map figure can
//! fill the map with them.

mod csv;

use std::collections::BTreeMap;

use jiff::civil::Date;

pub use csv::{COLUMNS, history_csv};

use crate::model::{CoarseArea, Pain, RegionId, RegionWork, Session, SessionId};

/// What a series or a change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    /// Tension felt on palpation, 0 to 3.
    Tension,
    /// Pain the client reports, 0 to 10.
    Pain,
    /// Pressure planned, 1 to 5.
    Pressure,
}

impl Measure {
    pub const ALL: [Measure; 3] = [Measure::Tension, Measure::Pain, Measure::Pressure];

    /// Whether the measure says how the client is (tension, pain), rather than
    /// what was planned (pressure): only an outcome gets better or worse.
    pub fn is_outcome(self) -> bool {
        !matches!(self, Measure::Pressure)
    }

    /// The value a region's entry records for this measure.
    pub fn of(self, work: &RegionWork) -> Option<u8> {
        match self {
            Measure::Tension => work.tension.map(|value| value.get()),
            Measure::Pain => work.pain.map(|value| value.get()),
            Measure::Pressure => work.pressure.map(|value| value.get()),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Measure::Tension => "Tension",
            Measure::Pain => "Pain",
            Measure::Pressure => "Pressure",
        }
    }
}

/// One value of a series: what a session recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub date: Date,
    pub session: SessionId,
    pub value: f32,
}

/// How many sessions a trend's line is averaged over, once it has that many
/// points: weekly sessions over years make a raw line too jagged to read.
pub const SMOOTHED_OVER: usize = 5;

/// How many sessions a chart's lines are averaged over when its longest has
/// `longest` points: 5, and more for years of sessions (about a twentieth of
/// them, odd so that the average centres on its session, at most 25).
pub fn sessions_to_average(longest: usize) -> usize {
    let over = (longest / 20).clamp(SMOOTHED_OVER, 25);
    if over.is_multiple_of(2) { over + 1 } else { over }
}

/// Each point's value as the mean of the `over` points around it (centred, fewer
/// at the two ends), so a line shows where things are heading rather than each
/// week's ups and downs. A series shorter than `over` is returned as it is.
pub fn smoothed(points: &[(Date, f32)], over: usize) -> Vec<(Date, f32)> {
    if points.len() < over || over < 2 {
        return points.to_vec();
    }
    let half = over / 2;
    (0..points.len())
        .map(|index| {
            let around = &points[index.saturating_sub(half)..(index + half + 1).min(points.len())];
            let mean = around.iter().map(|(_, value)| value).sum::<f32>() / around.len() as f32;
            (points[index].0, mean)
        })
        .collect()
}

/// A chart's points as a table, for whoever cannot see the chart: one row per
/// session that any line has a point for, oldest first as the chart reads, and
/// one column per line. A peak that a line's average smooths away is a row here.
#[derive(Clone, Debug, PartialEq)]
pub struct PointTable {
    /// The lines' names, in the order of each row's values.
    pub columns: Vec<String>,
    pub rows: Vec<PointRow>,
}

/// One session's values in a [`PointTable`]; `None` where its line has no point.
#[derive(Clone, Debug, PartialEq)]
pub struct PointRow {
    pub date: Date,
    pub session: SessionId,
    pub values: Vec<Option<f32>>,
}

/// The table of `lines`, each a name and its points.
pub fn point_table(lines: &[(String, Vec<Point>)]) -> PointTable {
    let mut rows: BTreeMap<(Date, &SessionId), Vec<Option<f32>>> = BTreeMap::new();
    for (column, (_, points)) in lines.iter().enumerate() {
        for point in points {
            rows.entry((point.date, &point.session)).or_insert_with(|| vec![None; lines.len()])[column] =
                Some(point.value);
        }
    }
    PointTable {
        columns: lines.iter().map(|(name, _)| name.clone()).collect(),
        rows: rows
            .into_iter()
            .map(|((date, session), values)| PointRow { date, session: session.clone(), values })
            .collect(),
    }
}

/// Pain before and after one completed session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PainAround {
    pub date: Date,
    pub session: SessionId,
    pub before: Option<Pain>,
    pub after: Option<Pain>,
}

pub use crate::model::Change;

/// A region's value in two sessions, and what that change is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegionChange {
    pub before: Option<u8>,
    pub after: Option<u8>,
    pub change: Change,
}

/// How often each region was tense or painful over a period, with the maps a
/// therapist compares it with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recurrence {
    /// The sessions the period holds.
    pub sessions: usize,
    /// Per region, how many sessions found it tense ([`TENSE_FROM`] or more).
    pub tense: BTreeMap<RegionId, usize>,
    /// Per region, how many sessions found it painful ([`PAINFUL_FROM`] or more).
    pub painful: BTreeMap<RegionId, usize>,
}

impl Recurrence {
    /// The share (0 to 1) of the period's sessions that found `region` tense.
    pub fn tense_share(&self, region: RegionId) -> f32 {
        share(self.tense.get(&region).copied().unwrap_or(0), self.sessions)
    }

    /// The share (0 to 1) of the period's sessions that found `region` painful.
    pub fn painful_share(&self, region: RegionId) -> f32 {
        share(self.painful.get(&region).copied().unwrap_or(0), self.sessions)
    }
}

fn share(count: usize, of: usize) -> f32 {
    if of == 0 { 0.0 } else { count as f32 / of as f32 }
}

/// A region counts as tense from moderate tension.
pub const TENSE_FROM: u8 = 2;
/// A region counts as painful from a pain of 4 out of 10.
pub const PAINFUL_FROM: u8 = 4;

/// Figures a therapist can quote of one session.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    /// Regions with any tension (mild or more).
    pub regions_with_tension: usize,
    /// The mean pain over the regions where pain was asked, if it was anywhere.
    pub mean_pain: Option<f32>,
}

/// One client's history: the sessions that happened, oldest first.
#[derive(Clone, Debug)]
pub struct History<'s> {
    sessions: Vec<&'s Session>,
}

impl<'s> History<'s> {
    /// The history of `sessions` (one client's, in any order): only those that
    /// happened, oldest first.
    pub fn of(sessions: &'s [Session]) -> History<'s> {
        let mut sessions: Vec<&Session> =
            sessions.iter().filter(|session| session.counts_in_history()).collect();
        sessions.sort_by(|a, b| (a.starts_at, &a.id).cmp(&(b.starts_at, &b.id)));
        History { sessions }
    }

    /// The sessions that count, oldest first.
    pub fn sessions(&self) -> &[&'s Session] {
        &self.sessions
    }

    /// Only the sessions between `from` and `to`, both days included.
    pub fn between(&self, from: Option<Date>, to: Option<Date>) -> History<'s> {
        let within = |session: &&Session| {
            let day = session.starts_at.date();
            from.is_none_or(|from| day >= from) && to.is_none_or(|to| day <= to)
        };
        History { sessions: self.sessions.iter().copied().filter(within).collect() }
    }

    pub fn first(&self) -> Option<&'s Session> {
        self.sessions.first().copied()
    }

    pub fn latest(&self) -> Option<&'s Session> {
        self.sessions.last().copied()
    }

    /// What each session recorded of `measure` on `region`, by date; sessions
    /// that recorded nothing there are left out.
    pub fn region_series(&self, measure: Measure, region: RegionId) -> Vec<Point> {
        self.sessions
            .iter()
            .filter_map(|session| {
                let value = measure.of(session.region(region)?)?;
                Some(Point {
                    date: session.starts_at.date(),
                    session: session.id.clone(),
                    value: f32::from(value),
                })
            })
            .collect()
    }

    /// The mean of `measure` over the regions of `area` each session recorded,
    /// by date; sessions that recorded none of them are left out.
    pub fn area_series(&self, measure: Measure, area: CoarseArea) -> Vec<Point> {
        self.sessions
            .iter()
            .filter_map(|session| {
                let values: Vec<f32> = session
                    .regions
                    .iter()
                    .filter(|work| work.region.info().area == area)
                    .filter_map(|work| measure.of(work).map(f32::from))
                    .collect();
                let mean = mean(&values)?;
                Some(Point { date: session.starts_at.date(), session: session.id.clone(), value: mean })
            })
            .collect()
    }

    /// Pain before and after each session that recorded an outcome.
    pub fn pain_around_sessions(&self) -> Vec<PainAround> {
        self.sessions
            .iter()
            .filter_map(|session| {
                let outcome = session.outcome.as_ref()?;
                Some(PainAround {
                    date: session.starts_at.date(),
                    session: session.id.clone(),
                    before: outcome.pain_before,
                    after: outcome.pain_after,
                })
            })
            .collect()
    }

    /// How often each region was tense or painful, over this history.
    pub fn recurrence(&self) -> Recurrence {
        let mut recurrence = Recurrence { sessions: self.sessions.len(), ..Recurrence::default() };
        for session in &self.sessions {
            for work in &session.regions {
                if Measure::Tension.of(work).is_some_and(|tension| tension >= TENSE_FROM) {
                    *recurrence.tense.entry(work.region).or_default() += 1;
                }
                if Measure::Pain.of(work).is_some_and(|pain| pain >= PAINFUL_FROM) {
                    *recurrence.painful.entry(work.region).or_default() += 1;
                }
            }
        }
        recurrence
    }

    /// The mean of `measure` per region over the sessions that recorded it:
    /// the "average map" beside the first and the latest.
    pub fn average_map(&self, measure: Measure) -> BTreeMap<RegionId, f32> {
        let mut sums: BTreeMap<RegionId, (f32, usize)> = BTreeMap::new();
        for work in self.sessions.iter().flat_map(|session| &session.regions) {
            if let Some(value) = measure.of(work) {
                let (sum, count) = sums.entry(work.region).or_default();
                *sum += f32::from(value);
                *count += 1;
            }
        }
        sums.into_iter().map(|(region, (sum, count))| (region, sum / count as f32)).collect()
    }

    /// The days between one visit and the next; their median is the real
    /// cadence, to hold against the planned interval.
    pub fn cadence_days(&self) -> Option<f32> {
        let mut gaps: Vec<i32> = self
            .sessions
            .windows(2)
            .filter_map(|pair| pair[0].starts_at.date().until(pair[1].starts_at.date()).ok())
            .map(|span| span.get_days())
            .collect();
        gaps.sort_unstable();
        let middle = gaps.len() / 2;
        match gaps.len() {
            0 => None,
            n if n % 2 == 1 => Some(gaps[middle] as f32),
            _ => Some((gaps[middle - 1] + gaps[middle]) as f32 / 2.0),
        }
    }
}

/// The change of `measure` per region from `before` to `after`, for every
/// region either session recorded it for.
pub fn changes(before: &Session, after: &Session, measure: Measure) -> BTreeMap<RegionId, RegionChange> {
    let values = |session: &Session| -> BTreeMap<RegionId, u8> {
        session.regions.iter().filter_map(|work| Some((work.region, measure.of(work)?))).collect()
    };
    let (old, new) = (values(before), values(after));
    old.keys()
        .chain(new.keys())
        .map(|&region| {
            let (before, after) = (old.get(&region).copied(), new.get(&region).copied());
            let change = match (before, after) {
                (Some(before), Some(after)) if after < before => Change::Better,
                (Some(before), Some(after)) if after > before => Change::Worse,
                (Some(_), Some(_)) => Change::Same,
                (None, _) => Change::New,
                (Some(_), None) => Change::Gone,
            };
            (region, RegionChange { before, after, change })
        })
        .collect()
}

/// The figures a therapist quotes of one session.
pub fn figures(session: &Session) -> Figures {
    let pains: Vec<f32> =
        session.regions.iter().filter_map(|work| Measure::Pain.of(work).map(f32::from)).collect();
    Figures {
        regions_with_tension: session
            .regions
            .iter()
            .filter(|work| Measure::Tension.of(work).is_some_and(|tension| tension >= 1))
            .count(),
        mean_pain: mean(&pains),
    }
}

fn mean(values: &[f32]) -> Option<f32> {
    (!values.is_empty()).then(|| values.iter().sum::<f32>() / values.len() as f32)
}

/// "Since the first visit (3 Jul 2026): 6 → 2 regions with tension, mean pain
/// 4.5 → 1.0": the first completed session against the latest, in words a
/// therapist can quote. `None` before there are two sessions to hold together.
pub fn since_first_visit(sessions: &[Session]) -> Option<String> {
    let happened = || sessions.iter().filter(|session| session.counts_in_history());
    let first = happened().min_by_key(|session| (session.starts_at, &session.id))?;
    let latest = happened().max_by_key(|session| (session.starts_at, &session.id))?;
    if first.id == latest.id {
        return None;
    }
    let (before, after) = (figures(first), figures(latest));
    let mut words = format!(
        "Since the first visit ({}): {} → {} regions with tension",
        first.starts_at.strftime("%-d %b %Y"),
        before.regions_with_tension,
        after.regions_with_tension
    );
    if let (Some(before), Some(after)) = (before.mean_pain, after.mean_pain) {
        words.push_str(&format!(", mean pain {before:.1} → {after:.1}"));
    }
    Some(words)
}

#[cfg(test)]
mod tests;
