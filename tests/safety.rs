//! The safety rules of PRODUCT.md ("Health flags and the rules they drive"), told
//! as the therapist meets them: a client with a flag, a plan that goes past the
//! rule, the warning it gets; the same client with a plan that keeps to it, and
//! no warning.

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime, date};
use knotmap::model::{
    Client, FindingKind, FlagDetails, HealthFlag, MapMark, MapPoint, Minutes, Pressure, RegionId,
    SafetyOverride, SafetyRule, Screening, Session, SessionStatus,
};
use knotmap::safety::{
    CapSource, NOT_MEDICAL_ADVICE, SafetyReport, SafetyRules, Severity, check_session, passes_gate,
};
use knotmap::storage::Practice;

use RegionId as R;

fn rules() -> &'static SafetyRules<'static> {
    SafetyRules::standard().expect("the standard body map builds")
}

/// The rules on the standard map with a kidney area grown to cover the whole of
/// the client's left quadratus lumborum: no region of the standard map lies
/// mostly inside a zone, so the zone rule is shown on this one.
fn rules_with_a_wide_kidney_zone() -> &'static SafetyRules<'static> {
    static RULES: std::sync::OnceLock<SafetyRules<'static>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let mut text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/body_map.ron"))
            .expect("the body map asset");
        let start = text.find("(id: kidney_l,").expect("the kidney zone");
        let end = start + text[start..].find("])),").expect("its end") + "])),".len();
        text.replace_range(
            start..end,
            "(id: kidney_l, outline: Loop([Line([(0.35, 0.60), (0.437, 0.60), (0.437, 0.74), (0.35, 0.74), \
             (0.35, 0.60)])])),",
        );
        let map = knotmap::geometry::BodyMap::from_ron(&text).expect("the changed map builds");
        SafetyRules::new(Box::leak(Box::new(map)))
    })
}

/// The day of the sessions planned in these tests.
fn session_day() -> Date {
    date(2026, 11, 23)
}

fn client(flags: &[(HealthFlag, FlagDetails)]) -> Client {
    let mut client = Client::new("Ana Lima");
    client.health_flags = flags.iter().cloned().collect();
    client
}

fn flag(flag: HealthFlag) -> (HealthFlag, FlagDetails) {
    (flag, FlagDetails::default())
}

fn flag_on(flag: HealthFlag, since: Option<Date>, regions: &[RegionId]) -> (HealthFlag, FlagDetails) {
    (flag, FlagDetails { since, note: String::new(), regions: regions.to_vec() })
}

fn at(day: Date) -> DateTime {
    day.at(9, 30, 0, 0)
}

fn pressure(value: i64) -> Pressure {
    Pressure::new(value).expect("a pressure on the scale")
}

/// A session on `day` working each region at its pressure.
fn session_on(client: &Client, day: Date, plan: &[(RegionId, i64)]) -> Session {
    let mut session = Session::new(client.id.clone(), at(day), Minutes::new(60).expect("minutes"));
    for &(region, value) in plan {
        session.region_mut(region).pressure = Some(pressure(value));
    }
    session
}

fn session(client: &Client, plan: &[(RegionId, i64)]) -> Session {
    session_on(client, session_day(), plan)
}

fn override_of(rule: SafetyRule, region: Option<RegionId>, reason: &str) -> SafetyOverride {
    SafetyOverride {
        rule,
        region,
        reason: reason.to_owned(),
        decided_at: at(session_day()),
        carried_from: None,
    }
}

/// The warnings no reason covers, as (rule, region).
fn unexplained(report: &SafetyReport) -> Vec<(SafetyRule, Option<RegionId>)> {
    report.unexplained().map(|warning| (warning.rule, warning.region)).collect()
}

fn check(client: &Client, session: &Session) -> SafetyReport {
    rules().check_session(client, session, None)
}

// ---------------------------------------------------------------------------
// PRODUCT.md's table, one row a rule.

/// One row of the rule table: a client, a plan that breaks the rule and the
/// warnings it gets, and a plan that keeps to it.
struct Row {
    rule: &'static str,
    /// The rules checked with: the standard ones, but for the zone rule's row.
    rules: &'static SafetyRules<'static>,
    client: Client,
    breaks: Session,
    warned: Vec<(SafetyRule, Option<RegionId>)>,
    keeps: Session,
    /// The previous session, for the row on pressure rises.
    previous: Option<Session>,
}

fn row(
    rule: &'static str,
    flags: &[(HealthFlag, FlagDetails)],
    breaks: &[(RegionId, i64)],
    warned: &[(SafetyRule, Option<RegionId>)],
    keeps: &[(RegionId, i64)],
) -> Row {
    let client = client(flags);
    let breaks = session(&client, breaks);
    let keeps = session(&client, keeps);
    Row { rule, rules: rules(), client, breaks, warned: warned.to_vec(), keeps, previous: None }
}

fn rule_table() -> Vec<Row> {
    use HealthFlag::*;
    use SafetyRule::*;
    let five_weeks_ago = Some(session_day().saturating_sub(jiff::Span::new().weeks(5)));
    let clearance = override_of(MedicalClearance, None, "GP cleared massage by letter on 2026-11-02");
    let mut rows = vec![
        row(
            "a client with a history of blood clots gets a warning above medium pressure anywhere, \
             and a reminder to get medical clearance",
            &[flag(BloodClots)],
            &[(R::InfraspinatusL, 4)],
            &[(MedicalClearance, None), (PressureCap, Some(R::InfraspinatusL))],
            &[(R::InfraspinatusL, 3)],
        ),
        row(
            "a client on blood thinners gets a warning above medium pressure anywhere",
            &[flag(BloodThinners)],
            &[(R::GluteusMediusR, 4)],
            &[(PressureCap, Some(R::GluteusMediusR))],
            &[(R::GluteusMediusR, 3)],
        ),
        row(
            "a client with osteoporosis gets a warning above medium pressure, and above light on any \
             region that touches the spine",
            &[flag(Osteoporosis)],
            &[
                (R::InfraspinatusL, 4),
                (R::MiddleTrapeziusL, 3),
                (R::RhomboidsR, 3),
                (R::ErectorSpinaeThoracicL, 3),
            ],
            &[
                (PressureCap, Some(R::InfraspinatusL)),
                (PressureCap, Some(R::MiddleTrapeziusL)),
                (PressureCap, Some(R::RhomboidsR)),
                (PressureCap, Some(R::ErectorSpinaeThoracicL)),
            ],
            &[
                (R::InfraspinatusL, 3),
                (R::MiddleTrapeziusL, 2),
                (R::RhomboidsR, 2),
                (R::ErectorSpinaeThoracicL, 2),
            ],
        ),
        row(
            "a client with a recent surgery gets a warning for any work on the regions it names, \
             and a reminder to get medical clearance",
            &[flag_on(RecentSurgeryOrInjury, five_weeks_ago, &[R::InfraspinatusR, R::SupraspinatusR])],
            &[(R::InfraspinatusR, 1), (R::TeresR, 3)],
            &[(MedicalClearance, None), (AvoidRegion, Some(R::InfraspinatusR))],
            &[(R::TeresR, 3), (R::PosteriorDeltoidR, 4)],
        ),
        row(
            "a pregnant client gets a warning above medium pressure anywhere, and a reminder to note how \
             they will lie instead of face down",
            &[flag(Pregnancy)],
            &[(R::LumbarR, 4)],
            &[(PronePositioning, None), (PressureCap, Some(R::LumbarR))],
            &[(R::LumbarR, 3), (R::GluteusMediusR, 3)],
        ),
        row(
            "a client with cancer gets a warning above light pressure anywhere, \
             and a reminder to get medical clearance",
            &[flag(Cancer)],
            &[(R::PosteriorDeltoidL, 3)],
            &[(MedicalClearance, None), (PressureCap, Some(R::PosteriorDeltoidL))],
            &[(R::PosteriorDeltoidL, 2)],
        ),
        row(
            "a client with a fever gets a blocking warning: the session should be postponed",
            &[flag(FeverOrInfection)],
            &[(R::PosteriorDeltoidL, 2)],
            &[(AcuteIllness, None)],
            &[(R::PosteriorDeltoidL, 2)],
        ),
        row(
            "a client with reduced sensation gets a warning above medium pressure anywhere",
            &[flag(ReducedSensation)],
            &[(R::PiriformisL, 4)],
            &[(PressureCap, Some(R::PiriformisL))],
            &[(R::PiriformisL, 3)],
        ),
        row(
            "a client with high blood pressure gets a warning above medium pressure on the neck only",
            &[flag(HighBloodPressure)],
            &[(R::SuboccipitalsL, 4), (R::InfraspinatusL, 5)],
            &[(PressureCap, Some(R::SuboccipitalsL))],
            &[(R::SuboccipitalsL, 3), (R::InfraspinatusL, 5)],
        ),
        row(
            "a client with a skin condition gets a warning for any work on the regions it names",
            &[flag_on(SkinCondition, None, &[R::InfraspinatusL])],
            &[(R::InfraspinatusL, 2)],
            &[(AvoidRegion, Some(R::InfraspinatusL))],
            &[(R::TeresL, 4)],
        ),
        Row {
            rules: rules_with_a_wide_kidney_zone(),
            ..row(
                "any client gets a warning above medium pressure on a region lying mostly inside a caution \
                 zone; one that only borders it gets a note",
                &[],
                &[(R::QuadratusLumborumL, 4), (R::ErectorSpinaeLumbarL, 5)],
                &[(CautionZone, Some(R::QuadratusLumborumL))],
                &[(R::QuadratusLumborumL, 3), (R::ErectorSpinaeLumbarL, 5), (R::GluteusMediusL, 5)],
            )
        },
    ];
    // Clearance given and the position noted, the plans that keep to the rules have nothing left to explain.
    let lying = override_of(PronePositioning, None, "Side-lying, pillow between the knees");
    for row in &mut rows {
        row.keeps.overrides.push(clearance.clone());
        row.keeps.overrides.push(lying.clone());
    }
    // A plan that keeps to the surgery's rule still has the regions on the map, marked "avoid".
    rows[3].keeps.region_mut(R::InfraspinatusR).findings.push(FindingKind::Avoid);
    // The fever has passed by the day of the session.
    let mut screening = Screening::new(at(session_day()));
    screening.acute_illness_today = Some(false);
    rows[6].keeps.screening = Some(screening);

    let client = client(&[]);
    let previous = session_on(&client, date(2026, 11, 16), &[(R::InfraspinatusL, 2)]);
    rows.push(Row {
        rule: "any client gets a warning for a rise of two pressure steps in a region since the last session",
        rules: rules(),
        breaks: session(&client, &[(R::InfraspinatusL, 4)]),
        warned: vec![(PressureRise, Some(R::InfraspinatusL))],
        keeps: session(&client, &[(R::InfraspinatusL, 3)]),
        client,
        previous: Some(previous),
    });
    rows
}

#[test]
fn every_rule_of_the_table_warns_a_plan_that_breaks_it_and_not_one_that_keeps_to_it() {
    let rows = rule_table();
    assert_eq!(rows.len(), 12, "one row per line of PRODUCT.md's table");
    for row in &rows {
        let broken = row.rules.check_session(&row.client, &row.breaks, row.previous.as_ref());
        let mut warned = unexplained(&broken);
        warned.sort();
        let mut expected = row.warned.clone();
        expected.sort();
        assert_eq!(warned, expected, "{}: {:#?}", row.rule, broken.warnings);
        for warning in &broken.warnings {
            assert!(!warning.message.is_empty(), "{}", row.rule);
        }

        let kept = row.rules.check_session(&row.client, &row.keeps, row.previous.as_ref());
        assert_eq!(unexplained(&kept), [], "{}: {:#?}", row.rule, kept.warnings);
    }
}

// ---------------------------------------------------------------------------
// What a warning says, and how caps combine.

#[test]
fn a_warning_says_what_was_planned_where_and_why_it_is_too_much() {
    let client = client(&[flag(HealthFlag::BloodThinners)]);
    let report = check(&client, &session(&client, &[(R::UpperTrapeziusR, 5)]));
    let [warning] = report.warnings.as_slice() else { panic!("one warning: {:#?}", report.warnings) };
    assert_eq!(warning.severity, Severity::Caution);
    assert_eq!(
        warning.message,
        "Pressure 5 (deep) on Upper trapezius, client's right is above the cap of 3 (medium) for a client \
         on blood thinners or with a bleeding disorder: bruising risk"
    );
}

#[test]
fn a_client_on_blood_thinners_has_every_region_capped_at_medium_for_the_pressure_control() {
    let client = client(&[flag(HealthFlag::BloodThinners)]);
    let report = check(&client, &session(&client, &[]));
    for region in RegionId::all() {
        assert!(report.cap_on(region) <= Pressure::MEDIUM, "{region}");
    }
    let cap = &report.caps[&R::InfraspinatusL];
    assert_eq!(cap.max, Pressure::MEDIUM);
    assert_eq!(cap.because.len(), 1);
    assert_eq!(cap.because[0].source, CapSource::Flag(HealthFlag::BloodThinners));
}

#[test]
fn several_caps_on_one_region_combine_into_the_lowest_and_keep_every_reason() {
    use HealthFlag::*;
    let client = client(&[flag(BloodThinners), flag(Osteoporosis), flag(Cancer)]);
    let report = check(&client, &session(&client, &[(R::MiddleTrapeziusL, 4)]));

    let cap = &report.caps[&R::MiddleTrapeziusL];
    assert_eq!(cap.max, Pressure::LIGHT);
    let sources: Vec<CapSource> = cap.because.iter().map(|reason| reason.source).collect();
    assert_eq!(
        sources,
        [CapSource::Flag(Osteoporosis), CapSource::Flag(Cancer), CapSource::Flag(BloodThinners),],
        "the strictest first"
    );

    // One warning per rule and region, so that one override answers it; it names every cap broken.
    let cap_warning =
        report.warnings.iter().find(|w| w.rule == SafetyRule::PressureCap).expect("a cap warning");
    assert!(
        cap_warning.message.contains("above the cap of 2 (light) on or beside the spine"),
        "{}",
        cap_warning.message
    );
    assert!(cap_warning.message.contains("cancer"), "{}", cap_warning.message);
    assert!(
        cap_warning.message.contains("and of 3 (medium) for a client on blood thinners"),
        "{}",
        cap_warning.message
    );
    // It only borders the spine zone: a note, not a second warning.
    assert_eq!(report.warnings.iter().filter(|w| w.region == Some(R::MiddleTrapeziusL)).count(), 1);
    assert!(report.caution_notes[&R::MiddleTrapeziusL][0].contains("beside the spine"));
}

#[test]
fn a_region_without_a_cap_may_take_deep_pressure() {
    let client = client(&[]);
    let report = check(&client, &session(&client, &[(R::InfraspinatusL, 5)]));
    assert!(!report.caps.contains_key(&R::InfraspinatusL));
    assert_eq!(report.cap_on(R::InfraspinatusL), Pressure::DEEP);
    assert_eq!(unexplained(&report), []);
}

// ---------------------------------------------------------------------------
// Caution zones.

#[test]
fn on_the_standard_map_regions_border_the_caution_zones_and_none_lies_mostly_inside_one() {
    use knotmap::model::CautionZoneId::*;
    let rules = rules();
    for region in RegionId::all() {
        assert_eq!(rules.zones_inside(region), [], "{region}");
    }
    assert_eq!(rules.zones_bordering(R::MiddleTrapeziusL), [Spine]);
    assert_eq!(rules.zones_bordering(R::LumbarL), [Spine, KidneyL]);
    assert_eq!(rules.zones_bordering(R::QuadratusLumborumR), [KidneyR]);
    assert_eq!(rules.zones_bordering(R::NeckR), [Spine, PosteriorTriangleR]);
    assert_eq!(rules.zones_bordering(R::LevatorScapulaeL), [PosteriorTriangleL]);
    // REGIONS.md: the rhomboids and the erectors reach the spinous processes.
    for region in [R::RhomboidsL, R::RhomboidsR, R::ErectorSpinaeThoracicL, R::ErectorSpinaeThoracicR] {
        assert!(rules.zones_bordering(region).contains(&Spine), "{region}");
    }
    for region in [R::ErectorSpinaeLumbarL, R::ErectorSpinaeLumbarR] {
        assert!(rules.zones_bordering(region).contains(&Spine), "{region}");
    }
    for region in [R::InfraspinatusL, R::TeresR, R::PosteriorDeltoidL, R::GluteusMediusR] {
        assert_eq!(rules.zones_bordering(region), [], "{region}");
    }
}

#[test]
fn a_firm_low_back_plan_for_a_client_with_no_flags_is_not_warned_but_gets_caution_notes() {
    let client = client(&[]);
    let report = check(&client, &session(&client, &[(R::LumbarL, 4), (R::ErectorSpinaeLumbarR, 5)]));
    assert_eq!(unexplained(&report), [], "{:#?}", report.warnings);
    let notes = &report.caution_notes[&R::LumbarL];
    assert!(
        notes.contains(&"beside the spine: no direct pressure on the spinous processes".to_owned()),
        "{notes:?}"
    );
    assert!(notes.iter().any(|note| note.contains("kidney area")), "{notes:?}");
    assert!(report.caution_notes[&R::ErectorSpinaeLumbarR].iter().any(|note| note.contains("spine")));
}

#[test]
fn firm_work_on_the_upper_trapezius_gets_a_note_to_keep_off_the_side_of_the_neck() {
    let client = client(&[]);
    let report = check(&client, &session(&client, &[(R::UpperTrapeziusR, 4)]));
    assert_eq!(unexplained(&report), []);
    assert!(report.caution_notes[&R::UpperTrapeziusR].iter().any(|note| note.contains("side of the neck")));
}

#[test]
fn a_region_mostly_inside_a_caution_zone_is_warned_above_medium_pressure() {
    use knotmap::model::CautionZoneId::KidneyL;
    let rules = rules_with_a_wide_kidney_zone();
    assert_eq!(rules.zones_inside(R::QuadratusLumborumL), [KidneyL]);
    let client = client(&[]);
    let report = rules.check_session(&client, &session(&client, &[(R::QuadratusLumborumL, 4)]), None);
    let [warning] = report.warnings.as_slice() else { panic!("one warning: {:#?}", report.warnings) };
    assert_eq!((warning.rule, warning.region), (SafetyRule::CautionZone, Some(R::QuadratusLumborumL)));
    assert!(
        warning.message.starts_with(
            "Pressure 4 (firm) on Quadratus lumborum, client's left is above 3 (medium) in a caution zone, \
             Kidney area"
        ),
        "{}",
        warning.message
    );
}

// ---------------------------------------------------------------------------
// Avoid regions and marks.

#[test]
fn a_region_marked_avoid_on_the_map_is_warned_if_the_plan_works_it() {
    let client = client(&[]);
    let mut plan = session(&client, &[(R::TeresL, 2)]);
    plan.region_mut(R::TeresL).findings.push(FindingKind::Avoid);
    plan.region_mut(R::InfraspinatusL).findings.push(FindingKind::Avoid);
    let report = check(&client, &plan);
    assert_eq!(unexplained(&report), [(SafetyRule::AvoidRegion, Some(R::TeresL))]);
    assert!(report.avoid.contains_key(&R::InfraspinatusL), "on the map, though not worked");
}

#[test]
fn an_avoid_mark_makes_the_regions_under_it_avoid_regions_in_both_layers() {
    let rules = rules();
    let map = knotmap::geometry::BodyMap::standard().expect("map");
    let spot = map.region(R::SupraspinatusL).label_point;
    let above = map.region_at(spot, knotmap::model::Layer::Superficial).expect("a superficial region above");
    let client = client(&[]);
    let mut plan = session(&client, &[(above, 2), (R::SupraspinatusL, 2), (R::TeresL, 3)]);
    plan.marks.push(MapMark {
        at: MapPoint::new(spot[0], spot[1]).expect("on the map"),
        kind: FindingKind::Avoid,
        note: "Bruise from a fall".to_owned(),
    });
    let report = rules.check_session(&client, &plan, None);
    let mut warned = unexplained(&report);
    warned.sort();
    let mut expected =
        vec![(SafetyRule::AvoidRegion, Some(above)), (SafetyRule::AvoidRegion, Some(R::SupraspinatusL))];
    expected.sort();
    assert_eq!(warned, expected);
    assert!(report.warnings[0].message.contains("Bruise from a fall"), "{}", report.warnings[0].message);
}

#[test]
fn a_surgery_more_than_twelve_weeks_before_the_session_no_longer_names_regions_to_avoid() {
    let thirteen_weeks_ago = session_day().saturating_sub(jiff::Span::new().weeks(13));
    let client =
        client(&[flag_on(HealthFlag::RecentSurgeryOrInjury, Some(thirteen_weeks_ago), &[R::InfraspinatusR])]);
    let report = check(&client, &session(&client, &[(R::InfraspinatusR, 3)]));
    assert_eq!(unexplained(&report), []);
    assert!(report.avoid.is_empty());
}

#[test]
fn a_surgery_with_no_date_counts_as_recent() {
    let client = client(&[flag_on(HealthFlag::RecentSurgeryOrInjury, None, &[R::InfraspinatusR])]);
    let report = check(&client, &session(&client, &[(R::InfraspinatusR, 1)]));
    let mut warned = unexplained(&report);
    warned.sort();
    assert_eq!(
        warned,
        [(SafetyRule::AvoidRegion, Some(R::InfraspinatusR)), (SafetyRule::MedicalClearance, None)]
    );
    assert!(report.avoid[&R::InfraspinatusR][0].why.contains("no date recorded"), "{:?}", report.avoid);
}

// ---------------------------------------------------------------------------
// Pressure rises.

#[test]
fn a_rise_of_one_step_a_session_is_fine_and_a_region_new_to_the_plan_is_not_compared() {
    let client = client(&[]);
    let last = session_on(&client, date(2026, 11, 16), &[(R::InfraspinatusL, 2)]);
    let report = rules().check_session(
        &client,
        &session(&client, &[(R::InfraspinatusL, 3), (R::TeresL, 5)]),
        Some(&last),
    );
    assert_eq!(unexplained(&report), []);
}

#[test]
fn each_session_of_a_client_is_compared_with_the_last_completed_session_before_it() {
    let client = client(&[]);
    let mut first = session_on(&client, date(2026, 11, 2), &[(R::InfraspinatusL, 2)]);
    first.status = SessionStatus::Completed;
    // Planned but never held: it did not touch the tissue.
    let missed = session_on(&client, date(2026, 11, 9), &[(R::InfraspinatusL, 3)]);
    let mut third = session_on(&client, date(2026, 11, 16), &[(R::InfraspinatusL, 4)]);
    third.status = SessionStatus::Completed;
    let fourth = session_on(&client, date(2026, 11, 23), &[(R::InfraspinatusL, 5)]);
    let sessions = [fourth, missed, third, first];

    let reports = rules().check_client(&client, &sessions);
    let rises: Vec<usize> = reports.iter().map(|(_, report)| unexplained(report).len()).collect();
    assert_eq!(rises, [0, 0, 1, 0], "only the third rose by two over the last session held");
    assert_eq!(reports[2].0.id, sessions[2].id);
    assert!(
        reports[2].1.warnings[0]
            .message
            .contains("2 steps above the 2 (light) of the last session, on 2026-11-02")
    );
    let previous = knotmap::safety::previous_session(&sessions, &sessions[0]).expect("a previous session");
    assert_eq!(previous.id, sessions[2].id);
}

// ---------------------------------------------------------------------------
// Overrides and the fever rule.

#[test]
fn an_override_with_a_written_reason_keeps_the_warning_in_the_report_marked_with_the_reason() {
    let client = client(&[flag(HealthFlag::BloodThinners)]);
    let mut plan = session(&client, &[(R::InfraspinatusL, 4)]);
    plan.overrides.push(override_of(
        SafetyRule::PressureCap,
        Some(R::InfraspinatusL),
        "Haematologist agreed to firm work on the shoulder blade",
    ));
    let report = check(&client, &plan);
    assert_eq!(unexplained(&report), []);
    let [warning] = report.warnings.as_slice() else { panic!("the warning stays: {:#?}", report.warnings) };
    let decision = warning.overridden.as_ref().expect("marked overridden");
    assert_eq!(decision.reason, "Haematologist agreed to firm work on the shoulder blade");
}

#[test]
fn an_override_of_another_region_or_rule_or_without_a_reason_explains_nothing() {
    let client = client(&[flag(HealthFlag::BloodThinners)]);
    let mut plan = session(&client, &[(R::InfraspinatusL, 4)]);
    plan.overrides.push(override_of(SafetyRule::PressureCap, Some(R::InfraspinatusR), "Other side"));
    plan.overrides.push(override_of(SafetyRule::PressureRise, Some(R::InfraspinatusL), "Other rule"));
    plan.overrides.push(override_of(SafetyRule::PressureCap, Some(R::InfraspinatusL), "   "));
    let report = check(&client, &plan);
    assert_eq!(unexplained(&report), [(SafetyRule::PressureCap, Some(R::InfraspinatusL))]);
}

#[test]
fn a_fever_blocks_the_session_and_no_written_reason_explains_it_away() {
    let client = client(&[(
        HealthFlag::FeverOrInfection,
        FlagDetails { since: None, note: "Flu since Friday".to_owned(), regions: Vec::new() },
    )]);
    let mut plan = session(&client, &[(R::InfraspinatusL, 2)]);
    let report = check(&client, &plan);
    assert!(report.is_blocked());
    let warning = &report.warnings[0];
    assert_eq!((warning.rule, warning.severity), (SafetyRule::AcuteIllness, Severity::Blocking));
    assert!(warning.message.contains("postpone"), "{}", warning.message);
    assert!(warning.message.contains("Flu since Friday"), "{}", warning.message);

    // A reason written anyway (an older file could hold one) changes nothing.
    plan.overrides.push(override_of(SafetyRule::AcuteIllness, None, "Fever gone for three days; GP agreed"));
    let report = check(&client, &plan);
    assert!(report.is_blocked());
    assert!(!report.warnings[0].is_overridden());
    let refusal = passes_gate(&report).expect_err("the gate stays shut");
    assert!(refusal.is_blocked());
    assert!(refusal.to_string().contains("postpone or cancel"), "{refusal}");
}

#[test]
fn a_fever_reported_at_the_screening_blocks_the_session_even_without_the_flag() {
    let client = client(&[]);
    let mut plan = session(&client, &[(R::InfraspinatusL, 2)]);
    let mut screening = Screening::new(at(session_day()));
    screening.acute_illness_today = Some(true);
    plan.screening = Some(screening);
    let report = check(&client, &plan);
    assert_eq!(unexplained(&report), [(SafetyRule::AcuteIllness, None)]);
    assert!(report.is_blocked());
}

#[test]
fn a_flag_the_client_says_no_longer_holds_at_the_screening_is_not_applied_and_says_so() {
    let client = client(&[flag(HealthFlag::Pregnancy)]);
    let mut plan = session(&client, &[(R::InfraspinatusL, 4)]);
    let mut screening = Screening::new(at(session_day()));
    screening.still_true = BTreeMap::from([(HealthFlag::Pregnancy, false)]);
    plan.screening = Some(screening);
    let report = check(&client, &plan);
    assert_eq!(unexplained(&report), []);
    assert!(
        report
            .reminders
            .iter()
            .any(|r| r.flag == Some(HealthFlag::Pregnancy) && r.message.contains("no longer true"))
    );
}

// ---------------------------------------------------------------------------
// Reminders, and a clean plan.

#[test]
fn a_pregnant_client_brings_a_reminder_to_note_how_they_will_lie_which_a_written_note_satisfies() {
    let client = client(&[flag(HealthFlag::Pregnancy)]);
    let mut plan = session(&client, &[(R::LumbarR, 2)]);
    let report = check(&client, &plan);
    let [warning] = report.warnings.as_slice() else { panic!("one reminder: {:#?}", report.warnings) };
    assert_eq!((warning.rule, warning.severity), (SafetyRule::PronePositioning, Severity::Reminder));
    assert!(warning.message.contains("side-lying"), "{}", warning.message);
    assert!(passes_gate(&report).is_err(), "not ready until noted");

    plan.overrides.push(override_of(SafetyRule::PronePositioning, None, "Side-lying on the left"));
    assert!(passes_gate(&check(&client, &plan)).is_ok());
}

#[test]
fn last_sessions_reason_for_the_same_warning_is_offered_not_copied() {
    let client = client(&[flag(HealthFlag::BloodClots)]);
    let mut last = session_on(&client, date(2026, 11, 16), &[(R::InfraspinatusL, 3)]);
    last.status = SessionStatus::Completed;
    last.overrides.push(override_of(SafetyRule::MedicalClearance, None, "Dr Lee, GP, 10 Nov"));
    let today = session(&client, &[(R::InfraspinatusL, 3)]);
    let report = rules().check_session(&client, &today, Some(&last));
    let [warning] = report.warnings.as_slice() else { panic!("one warning: {:#?}", report.warnings) };
    assert!(!warning.is_overridden(), "nothing is carried silently");
    let offered = warning.offered.as_ref().expect("last time's reason is offered");
    assert_eq!((offered.reason.as_str(), offered.from), ("Dr Lee, GP, 10 Nov", date(2026, 11, 16)));
    let carried = offered.carried(warning, at(session_day()));
    assert_eq!(carried.carried_from, Some(date(2026, 11, 16)));
}

#[test]
fn a_flag_added_after_a_screened_session_does_not_make_that_record_unsafe() {
    let mut client = client(&[]);
    let mut done = session(&client, &[(R::InfraspinatusL, 5)]);
    done.screening = Some(Screening::new(at(session_day())));
    done.status = SessionStatus::Completed;
    client.health_flags.insert(HealthFlag::BloodThinners, FlagDetails::default());
    assert_eq!(unexplained(&check(&client, &done)), [], "the flag was not there that day");
    done.status = SessionStatus::Planned;
    assert_eq!(unexplained(&check(&client, &done)), [(SafetyRule::PressureCap, Some(R::InfraspinatusL))]);
}

#[test]
fn a_clean_plan_for_a_client_with_no_flags_gets_no_warnings_only_the_reminder_that_it_is_a_planning_aid() {
    let client = client(&[]);
    let plan =
        session(&client, &[(R::InfraspinatusL, 5), (R::TeresL, 4), (R::MiddleTrapeziusR, 3), (R::Sacrum, 4)]);
    let report = check_session(&client, &plan, None, knotmap::geometry::BodyMap::standard().expect("map"));
    assert_eq!(report.warnings, []);
    assert!(
        report.caps.values().all(|cap| cap.because.iter().all(|r| matches!(r.source, CapSource::Zone(_))))
    );
    assert_eq!(report.reminders.len(), 1);
    assert_eq!(report.reminders[0].message, NOT_MEDICAL_ADVICE);
    assert!(NOT_MEDICAL_ADVICE.contains("not medical advice"));
}

#[test]
fn the_sample_practice_has_no_unexplained_warnings() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let root = folder.path().join("sample");
    knotmap::sample::write_sample_practice(&root, session_day()).expect("the sample is written");
    let mut practice = Practice::open(&root).expect("the sample opens");
    let ids: Vec<_> = practice.clients().map(|entry| entry.client.id.clone()).collect();
    let mut checked = 0;
    let mut overridden = 0;
    for id in &ids {
        let client = practice.client(id).expect("listed").client.clone();
        let sessions = practice.read_sessions(id);
        for (session, report) in rules().check_client(&client, &sessions) {
            let left: Vec<&str> = report.unexplained().map(|w| w.message.as_str()).collect();
            assert_eq!(left, [] as [&str; 0], "{} {}", client.name, session.id);
            overridden += report.warnings.len();
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} sessions");
    assert!(overridden > 0, "the sample shows overrides with their reasons");
}

#[test]
fn without_the_body_map_no_plan_looks_safe_the_gate_stays_shut() {
    let broken = knotmap::geometry::BodyMap::from_ron("not a body map").expect_err("a broken map");
    let client = client(&[]);
    let plan = session(&client, &[(R::InfraspinatusL, 5)]);
    let report = knotmap::safety::check_with(Err(&broken), &client, &plan, None);
    assert!(report.rules_missing.as_deref().is_some_and(|why| why.contains("cannot run")));
    let refusal = passes_gate(&report).expect_err("nothing was checked, so nothing may pass");
    assert!(refusal.is_blocked());
}
