//! The therapist's questions of a client's history, and their answers.

use super::*;
use crate::model::{ClientId, Minutes, Outcome, Pressure, SessionStatus, Tension};

fn client() -> ClientId {
    ClientId::new("ana-lima").expect("id")
}

/// A completed session on day `day` of November 2026, with (region, tension, pain).
fn done(day: i8, values: &[(RegionId, u8, Option<u8>)]) -> Session {
    let start = jiff::civil::date(2026, 11, day).at(9, 0, 0, 0);
    let mut session = Session::new(client(), start, Minutes::new(60).expect("minutes"));
    for &(region, tension, pain) in values {
        let work = session.region_mut(region);
        work.tension = Tension::new(i64::from(tension)).ok();
        work.pain = pain.and_then(|pain| Pain::new(i64::from(pain)).ok());
    }
    session.status = SessionStatus::Completed;
    session
}

use RegionId as R;

#[test]
fn the_left_upper_trapezius_got_better_from_3_to_1_over_six_sessions() {
    let sessions: Vec<Session> = [3, 3, 2, 2, 1, 1]
        .iter()
        .enumerate()
        .map(|(week, &tension)| done(1 + 5 * week as i8, &[(R::UpperTrapeziusL, tension, None)]))
        .collect();
    let history = History::of(&sessions);
    let series = history.region_series(Measure::Tension, R::UpperTrapeziusL);
    assert_eq!(series.len(), 6);
    assert_eq!((series[0].value, series[5].value), (3.0, 1.0));
    let first_to_last = changes(&sessions[0], &sessions[5], Measure::Tension);
    assert_eq!(
        first_to_last[&R::UpperTrapeziusL],
        RegionChange { before: Some(3), after: Some(1), change: Change::Better }
    );
}

#[test]
fn comparing_two_sessions_tells_better_worse_same_new_and_gone() {
    let before = done(
        2,
        &[
            (R::UpperTrapeziusL, 3, Some(6)),
            (R::LumbarR, 1, Some(2)),
            (R::Sacrum, 1, None),
            (R::TeresL, 2, None),
        ],
    );
    let after = done(
        9,
        &[
            (R::UpperTrapeziusL, 1, Some(3)),
            (R::LumbarR, 3, Some(7)),
            (R::Sacrum, 1, None),
            (R::NeckL, 2, None),
        ],
    );
    let tension = changes(&before, &after, Measure::Tension);
    let kinds: Vec<(RegionId, Change)> =
        tension.iter().map(|(&region, change)| (region, change.change)).collect();
    assert!(kinds.contains(&(R::UpperTrapeziusL, Change::Better)));
    assert!(kinds.contains(&(R::LumbarR, Change::Worse)));
    assert!(kinds.contains(&(R::Sacrum, Change::Same)));
    assert!(kinds.contains(&(R::NeckL, Change::New)));
    assert!(kinds.contains(&(R::TeresL, Change::Gone)));
    assert_eq!(changes(&before, &after, Measure::Pain)[&R::LumbarR].change, Change::Worse);
}

#[test]
fn a_region_tense_in_3_of_4_sessions_recurs_in_75_percent() {
    let sessions = [
        done(2, &[(R::LumbarL, 2, Some(5))]),
        done(9, &[(R::LumbarL, 3, Some(3))]),
        done(16, &[(R::LumbarL, 1, None)]),
        done(23, &[(R::LumbarL, 2, None)]),
    ];
    let recurrence = History::of(&sessions).recurrence();
    assert_eq!(recurrence.sessions, 4);
    assert!((recurrence.tense_share(R::LumbarL) - 0.75).abs() < 1e-6);
    assert!((recurrence.painful_share(R::LumbarL) - 0.25).abs() < 1e-6);
    assert_eq!(recurrence.tense_share(R::NeckR), 0.0);
}

#[test]
fn a_session_entered_in_error_or_not_yet_held_is_left_out() {
    let mut wrong = done(9, &[(R::LumbarL, 3, Some(9))]);
    let at = wrong.starts_at;
    wrong.entered_in_error = Some(crate::model::EnteredInError {
        reason: "another client's".to_owned(),
        therapist: "Mira".to_owned(),
        marked_at: at,
    });
    let mut planned = done(30, &[(R::LumbarL, 3, Some(9))]);
    planned.status = SessionStatus::Planned;
    let sessions = [done(2, &[(R::LumbarL, 1, Some(2))]), wrong, planned];
    let history = History::of(&sessions);
    assert_eq!(history.sessions().len(), 1);
    assert_eq!(history.region_series(Measure::Pain, R::LumbarL).len(), 1);
    assert_eq!(history.recurrence().tense_share(R::LumbarL), 0.0);
}

#[test]
fn the_trend_of_a_region_has_one_point_per_session_that_recorded_it() {
    let sessions = [
        done(2, &[(R::NeckL, 2, Some(4))]),
        done(9, &[(R::LumbarL, 2, None)]),
        done(16, &[(R::NeckL, 1, Some(2))]),
    ];
    let series = History::of(&sessions).region_series(Measure::Pain, R::NeckL);
    let days: Vec<i8> = series.iter().map(|point| point.date.day()).collect();
    assert_eq!(days, [2, 16]);
}

#[test]
fn a_coarse_area_is_the_mean_of_its_regions_each_session() {
    let sessions = [done(2, &[(R::LumbarL, 3, None), (R::LumbarR, 1, None), (R::NeckL, 3, None)])];
    let series = History::of(&sessions).area_series(Measure::Tension, CoarseArea::LowerBack);
    assert_eq!(series.len(), 1);
    assert!((series[0].value - 2.0).abs() < 1e-6);
}

#[test]
fn the_real_cadence_is_the_median_gap_between_visits() {
    let sessions = [done(2, &[]), done(9, &[]), done(23, &[]), done(30, &[])];
    assert_eq!(History::of(&sessions).cadence_days(), Some(7.0));
    assert_eq!(History::of(&sessions[..1]).cadence_days(), None);
}

#[test]
fn quotable_figures_count_the_tense_regions_and_average_the_pain() {
    let session = done(2, &[(R::NeckL, 2, Some(6)), (R::NeckR, 0, Some(2)), (R::Sacrum, 1, None)]);
    let figures = figures(&session);
    assert_eq!(figures.regions_with_tension, 2);
    assert_eq!(figures.mean_pain, Some(4.0));
}

#[test]
fn pain_before_and_after_each_session_is_kept_with_its_date() {
    let mut session = done(2, &[]);
    session.outcome = Some(Outcome {
        pain_before: Pain::new(6).ok(),
        pain_after: Pain::new(3).ok(),
        response: None,
        notes: String::new(),
    });
    session.region_mut(R::Sacrum).pressure = Some(Pressure::MEDIUM);
    let around = History::of(std::slice::from_ref(&session)).pain_around_sessions();
    assert_eq!(around.len(), 1);
    assert_eq!((around[0].before, around[0].after), (Pain::new(6).ok(), Pain::new(3).ok()));
}

#[test]
fn a_period_keeps_only_its_own_sessions_and_the_average_map_means_each_region() {
    let sessions = [
        done(2, &[(R::LumbarL, 3, None)]),
        done(9, &[(R::LumbarL, 1, None)]),
        done(16, &[(R::LumbarL, 2, None)]),
    ];
    let history = History::of(&sessions);
    let november_second_week =
        history.between(Some(jiff::civil::date(2026, 11, 5)), Some(jiff::civil::date(2026, 11, 12)));
    assert_eq!(november_second_week.sessions().len(), 1);
    assert_eq!(history.average_map(Measure::Tension)[&R::LumbarL], 2.0);
}

#[test]
fn since_the_first_visit_the_regions_with_tension_went_from_two_to_one() {
    let sessions = vec![
        done(2, &[(R::UpperTrapeziusL, 3, Some(6)), (R::LumbarR, 2, Some(4))]),
        done(9, &[(R::UpperTrapeziusL, 1, Some(2)), (R::LumbarR, 0, Some(0))]),
    ];
    assert_eq!(
        since_first_visit(&sessions).as_deref(),
        Some("Since the first visit (2 Nov 2026): 2 → 1 regions with tension, mean pain 5.0 → 1.0")
    );
    assert_eq!(since_first_visit(&sessions[..1]), None, "one visit has nothing to compare");
}

#[test]
fn a_long_jagged_series_is_smoothed_to_where_it_is_heading_and_a_short_one_is_left_alone() {
    let day = |n: i16| jiff::civil::date(2026, 1, 1).checked_add(jiff::Span::new().weeks(n)).expect("a day");
    // Tension that goes 3, 1, 3, 1 … week after week: the average is 2 in the middle.
    let jagged: Vec<(jiff::civil::Date, f32)> =
        (0..20).map(|n| (day(n), if n % 2 == 0 { 3.0 } else { 1.0 })).collect();
    let smooth = super::smoothed(&jagged, super::SMOOTHED_OVER);
    assert_eq!(smooth.len(), jagged.len(), "one point per session, on its date");
    assert!(smooth.iter().zip(&jagged).all(|(a, b)| a.0 == b.0));
    for (_, value) in &smooth[2..18] {
        assert!((1.7..=2.3).contains(value), "{value} is near the average");
    }
    let short = &jagged[..3];
    assert_eq!(super::smoothed(short, super::SMOOTHED_OVER), short, "three sessions are shown as they are");
}

#[test]
fn years_of_sessions_are_averaged_over_more_of_them() {
    assert_eq!(super::sessions_to_average(12), 5);
    assert_eq!(super::sessions_to_average(51), 5);
    assert_eq!(super::sessions_to_average(300), 15);
    assert_eq!(super::sessions_to_average(5_000), 25);
}

#[test]
fn the_points_as_a_table_keep_a_peak_the_line_smooths_away_and_leave_gaps_empty() {
    // Tension on the left upper trapezius 1, 1, 3, 1, 1: the peak of the 11th is a
    // row of its own; the rhomboids were only looked at twice.
    let sessions: Vec<Session> = [1, 1, 3, 1, 1]
        .iter()
        .enumerate()
        .map(|(week, &tension)| {
            let day = 1 + 5 * week as i8;
            let mut values = vec![(R::UpperTrapeziusL, tension, None)];
            if week % 2 == 1 {
                values.push((R::RhomboidsL, 2, None));
            }
            done(day, &values)
        })
        .collect();
    let history = History::of(&sessions);
    let lines = vec![
        ("Upper trapezius".to_owned(), history.region_series(Measure::Tension, R::UpperTrapeziusL)),
        ("Rhomboids".to_owned(), history.region_series(Measure::Tension, R::RhomboidsL)),
    ];

    let table = point_table(&lines);

    assert_eq!(table.columns, ["Upper trapezius", "Rhomboids"]);
    let days: Vec<i8> = table.rows.iter().map(|row| row.date.day()).collect();
    assert_eq!(days, [1, 6, 11, 16, 21], "one row per session, oldest first");
    assert_eq!(table.rows[2].values, [Some(3.0), None], "the peak, and no rhomboids that day");
    assert_eq!(table.rows[1].values, [Some(1.0), Some(2.0)]);
    assert_eq!(table.rows[2].session, sessions[2].id, "each row opens its own session");
}
