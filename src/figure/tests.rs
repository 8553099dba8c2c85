//! What a figure shows of a session, whoever paints it.

use super::*;
use crate::model::{ClientId, Minutes, Pressure};

fn map() -> &'static BodyMap {
    BodyMap::standard().expect("the standard map builds")
}

fn session() -> Session {
    let start = jiff::civil::date(2026, 11, 30).at(9, 0, 0, 0);
    Session::new(ClientId::new("ana-lima").expect("id"), start, Minutes::new(60).expect("minutes"))
}

fn figure_of(session: &Session, mode: FillMode, layers: LayerView, warned: &BTreeSet<RegionId>) -> Figure {
    let view = FigureView { layers, caution_zones: false, warned, marks: &session.marks };
    Figure::build(map(), &SessionValues { session, mode }, &view)
}

fn index_of(region: RegionId) -> usize {
    map().regions.iter().position(|shape| shape.id == region).expect("on the map")
}

fn fill_of(figure: &Figure, region: RegionId) -> Option<Rgba> {
    figure.base.iter().find_map(|item| match item {
        Item::Fill { shape: Shape::Region(index), colour } if *index == index_of(region) => Some(*colour),
        _ => None,
    })
}

#[test]
fn a_region_planned_firm_is_filled_with_the_pressure_scales_firm_colour_and_the_rest_as_not_recorded() {
    let mut session = session();
    session.region_mut(RegionId::UpperTrapeziusL).pressure = Pressure::new(4).ok();
    let figure = figure_of(&session, FillMode::Pressure, LayerView::Superficial, &BTreeSet::new());
    assert_eq!(fill_of(&figure, RegionId::UpperTrapeziusL), Some(legend::fill_colour(FillMode::Pressure, 4)));
    assert_eq!(fill_of(&figure, RegionId::UpperTrapeziusR), Some(legend::NO_ENTRY));
    assert_eq!(figure.legend.fill_heading, "Pressure scale");
    assert!(figure.legend.fill.iter().any(|swatch| swatch.text == "4 firm"));
}

#[test]
fn the_client_s_left_label_comes_first_and_the_left_regions_lie_on_the_left_half() {
    let figure = figure_of(&session(), FillMode::Tension, LayerView::Superficial, &BTreeSet::new());
    assert_eq!(figure.side_labels, ["CLIENT'S LEFT", "CLIENT'S RIGHT"]);
    let left = map().region(RegionId::UpperTrapeziusL).label_point;
    let right = map().region(RegionId::UpperTrapeziusR).label_point;
    assert!(left[0] < 0.5 && right[0] > 0.5);
}

#[test]
fn the_deep_view_fades_the_surface_and_draws_the_deep_layer_over_it() {
    let figure = figure_of(&session(), FillMode::Tension, LayerView::Deep, &BTreeSet::new());
    let surface = fill_of(&figure, RegionId::UpperTrapeziusL).expect("drawn");
    let deep = fill_of(&figure, RegionId::RhomboidsL).expect("drawn");
    assert!(surface.a < 100, "the surface is faded: {surface:?}");
    assert_eq!(deep.a, 255);
    let position = |region| {
        figure.base.iter().position(
            |item| matches!(item, Item::Fill { shape: Shape::Region(i), .. } if *i == index_of(region)),
        )
    };
    assert!(position(RegionId::UpperTrapeziusL) < position(RegionId::RhomboidsL));
}

#[test]
fn findings_show_as_badges_four_at_most_then_a_count_and_only_on_the_layers_shown() {
    let mut session = session();
    session.region_mut(RegionId::UpperTrapeziusL).findings = FindingKind::ALL[..6].to_vec();
    session.region_mut(RegionId::RhomboidsL).findings = vec![FindingKind::Adhesion];
    let figure = figure_of(&session, FillMode::Tension, LayerView::Superficial, &BTreeSet::new());
    let badges = figure.symbols.iter().filter(|item| matches!(item, Item::Badge { .. })).count();
    assert_eq!(badges, MAX_BADGES, "the rhomboids are deep and hidden");
    assert!(figure.symbols.iter().any(|item| matches!(item, Item::More { text, .. } if text == "+2")));
    assert_eq!(figure.legend.findings_shown, FindingKind::ALL[..4].to_vec());
}

#[test]
fn a_warned_region_gets_a_triangle_above_its_label_point_and_the_legend_says_so() {
    let warned = BTreeSet::from([RegionId::ErectorSpinaeLumbarL]);
    let figure = figure_of(&session(), FillMode::Pressure, LayerView::Deep, &warned);
    let at = map().region(RegionId::ErectorSpinaeLumbarL).label_point;
    assert!(
        figure
            .symbols
            .iter()
            .any(|item| matches!(item, Item::Warning { at: a, offset, .. } if *a == at && offset[1] < 0.0))
    );
    assert!(figure.legend.warning);
    let hidden = figure_of(&session(), FillMode::Pressure, LayerView::Superficial, &warned);
    assert!(!hidden.legend.warning, "a warning on a layer not shown is not drawn");
}

#[test]
fn the_view_that_shows_a_plan_reaches_every_layer_it_uses() {
    assert_eq!(LayerView::showing([]), LayerView::Superficial);
    assert_eq!(LayerView::showing([RegionId::UpperTrapeziusL]), LayerView::Superficial);
    assert_eq!(LayerView::showing([RegionId::RhomboidsR]), LayerView::Deep);
    assert_eq!(LayerView::showing([RegionId::RhomboidsR, RegionId::UpperTrapeziusL]), LayerView::Both);
}

/// The most crowded plan a therapist writes: twelve neighbouring regions of
/// both layers with three findings each, warnings on six, and two marks side by side.
fn crowded_session() -> (Session, BTreeSet<RegionId>) {
    let mut session = session();
    let regions = [
        RegionId::UpperTrapeziusL,
        RegionId::UpperTrapeziusR,
        RegionId::LevatorScapulaeL,
        RegionId::LevatorScapulaeR,
        RegionId::RhomboidsL,
        RegionId::RhomboidsR,
        RegionId::MiddleTrapeziusL,
        RegionId::MiddleTrapeziusR,
        RegionId::InfraspinatusL,
        RegionId::InfraspinatusR,
        RegionId::LatissimusDorsiL,
        RegionId::LatissimusDorsiR,
    ];
    for region in regions {
        session.region_mut(region).findings =
            vec![FindingKind::TriggerPoint, FindingKind::Hypertonicity, FindingKind::Tenderness];
    }
    let warned: BTreeSet<RegionId> = regions.into_iter().take(6).collect();
    let at = map().region(RegionId::UpperTrapeziusL).label_point;
    for dx in [0.0, 0.08] {
        session.marks.push(MapMark {
            at: crate::model::MapPoint::new(at[0] + dx, at[1] + 0.05).expect("on the map"),
            kind: FindingKind::Adhesion,
            note: String::new(),
        });
    }
    (session, warned)
}

fn overlaps_among(items: &[Item], scale: f32) -> Vec<(usize, usize)> {
    let boxes: Vec<(usize, placement::SymbolBox, bool)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            placement::box_of(item, scale).map(|b| (i, b, matches!(item, Item::Mark { .. })))
        })
        .collect();
    let mut found = Vec::new();
    for (n, (i, a, a_mark)) in boxes.iter().enumerate() {
        for (j, b, b_mark) in &boxes[n + 1..] {
            if !(*a_mark && *b_mark) && a.overlaps(b, 0.0) {
                found.push((*i, *j));
            }
        }
    }
    found
}

#[test]
fn at_the_screens_and_the_papers_sizes_no_badge_warning_or_mark_covers_another() {
    let (session, warned) = crowded_session();
    for layers in LayerView::ALL {
        let figure = figure_of(&session, FillMode::Tension, layers, &warned);
        let [min, max] = content_in_map(map());
        let visible = crate::geometry::Bounds { min, max };
        // A printed plan sheet's map (about 300 points per map unit), the screen's at 1280×800, and zoomed in.
        for scale in [300.0, 560.0, 1100.0] {
            let placed = figure.placed_symbols(map(), scale, visible);
            let collisions = overlaps_among(&placed, scale);
            assert!(
                collisions.is_empty(),
                "{layers:?} at {scale}: {} overlaps, e.g. {:?}",
                collisions.len(),
                collisions.first().map(|(a, b)| (&placed[*a], &placed[*b]))
            );
        }
    }
}

#[test]
fn symbols_that_had_to_move_away_from_their_region_are_tied_to_it_by_a_leader_line() {
    let (session, warned) = crowded_session();
    let figure = figure_of(&session, FillMode::Tension, LayerView::Both, &warned);
    let [min, max] = content_in_map(map());
    let placed = figure.placed_symbols(map(), 300.0, crate::geometry::Bounds { min, max });
    let leaders = placed.iter().filter(|item| matches!(item, Item::Leader { .. })).count();
    assert!(leaders > 0, "a crowded small map moves some clusters out, with leaders");
    // Placement is the same for the same size: the screen and the paper agree.
    assert_eq!(placed, figure.placed_symbols(map(), 300.0, crate::geometry::Bounds { min, max }));
}

#[test]
fn a_change_of_pressure_is_lower_or_higher_and_of_pain_better_or_worse() {
    let changes: std::collections::BTreeMap<RegionId, crate::model::Change> =
        [(RegionId::UpperTrapeziusL, crate::model::Change::Better)].into();
    let words = |outcome: bool| {
        let (_, swatches) = ChangeValues { changes: &changes, measure: "Pressure", outcome }.fill_legend();
        swatches.into_iter().map(|swatch| swatch.text).collect::<Vec<_>>()
    };
    assert_eq!(words(false)[..2], ["▼ lower".to_owned(), "▲ higher".to_owned()]);
    assert_eq!(words(true)[..2], ["▼ better".to_owned(), "▲ worse".to_owned()]);
}
