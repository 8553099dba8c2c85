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
