//! The body map's geometry, checked as the rules a therapist relies on: every region
//! is drawn once, where it belongs, on the correct side, and a click finds it.

use std::time::Instant;

use knotmap::geometry::{BodyMap, BodyMapError, LandmarkKind, Polygon};
use knotmap::model::{CAUTION_ZONES, CautionZoneId, Layer, REGIONS, RegionId, Side};

fn body_map() -> &'static BodyMap {
    match BodyMap::standard() {
        Ok(map) => map,
        Err(error) => panic!("the shipped body map does not build: {error}"),
    }
}

fn mirror(p: [f32; 2]) -> [f32; 2] {
    [1.0 - p[0], p[1]]
}

/// Every point of a grid over the map, `step` apart.
fn grid(step: f32) -> impl Iterator<Item = [f32; 2]> {
    let n = (1.0 / step) as usize;
    (0..=n).flat_map(move |i| (0..=n).map(move |j| [i as f32 * step, j as f32 * step]))
}

/// Every outline of the map, named for the failure messages.
fn outlines(map: &BodyMap) -> Vec<(String, &Polygon)> {
    let mut all = vec![("the silhouette".to_owned(), &map.silhouette)];
    all.extend(map.regions.iter().map(|r| (format!("region {}", r.id.key()), &r.outline)));
    all.extend(map.caution_zones.iter().map(|z| (format!("zone {}", z.id.info().key), &z.outline)));
    all
}

#[test]
fn every_region_and_caution_zone_of_the_catalogue_has_exactly_one_shape() {
    let map = body_map();
    let region_ids: Vec<RegionId> = map.regions.iter().map(|shape| shape.id).collect();
    let catalogue: Vec<RegionId> = REGIONS.iter().map(|info| info.id).collect();
    assert_eq!(region_ids, catalogue);
    for id in RegionId::all() {
        assert_eq!(map.region(id).id, id);
    }
    let zone_ids: Vec<CautionZoneId> = map.caution_zones.iter().map(|shape| shape.id).collect();
    let catalogue: Vec<CautionZoneId> = CAUTION_ZONES.iter().map(|info| info.id).collect();
    assert_eq!(zone_ids, catalogue);
    for id in CautionZoneId::all() {
        assert_eq!(map.zone(id).id, id);
    }
}

#[test]
fn a_body_map_that_leaves_out_a_region_is_refused_by_name() {
    let asset = include_str!("../assets/body_map.ron");
    let start = asset.find("(id: piriformis_l").expect("the asset has the left piriformis");
    let end = start + asset[start..].find("])),").expect("its shape ends") + "])),".len();
    let without_piriformis = format!("{}{}", &asset[..start], &asset[end..]);
    match BodyMap::from_ron(&without_piriformis) {
        Err(error @ BodyMapError::Missing { .. }) => {
            assert!(error.to_string().contains("piriformis_l"), "{error}")
        }
        other => panic!("expected a missing region, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn a_body_map_that_draws_the_right_side_itself_is_refused() {
    let asset = include_str!("../assets/body_map.ron");
    let with_right = asset.replacen("(id: neck_l,", "(id: neck_r,", 1);
    assert!(matches!(BodyMap::from_ron(&with_right), Err(BodyMapError::RightSideAuthored { .. })));
}

#[test]
fn a_body_map_from_a_newer_version_is_refused_by_its_version() {
    let asset = include_str!("../assets/body_map.ron");
    let newer = asset.replacen("format_version: 1,", "format_version: 2,", 1);
    assert!(matches!(BodyMap::from_ron(&newer), Err(BodyMapError::UnsupportedVersion { found: 2 })));
}

#[test]
fn no_outline_crosses_itself() {
    for (name, polygon) in outlines(body_map()) {
        let edges: Vec<_> = polygon.edges().collect();
        let n = edges.len();
        for i in 0..n {
            // Neighbouring edges share a corner; every other pair must stay apart.
            for j in i + 2..n {
                if i == 0 && j == n - 1 {
                    continue;
                }
                let (a, b) = edges[i];
                let (c, d) = edges[j];
                assert!(!segments_meet(a, b, c, d), "{name} crosses itself near {a:?} and {c:?}");
            }
        }
    }
}

fn segments_meet(a: [f32; 2], b: [f32; 2], c: [f32; 2], d: [f32; 2]) -> bool {
    let orient = |p: [f32; 2], q: [f32; 2], r: [f32; 2]| {
        let value =
            f64::from(q[0] - p[0]) * f64::from(r[1] - p[1]) - f64::from(q[1] - p[1]) * f64::from(r[0] - p[0]);
        if value.abs() < 1e-14 { 0.0 } else { value.signum() }
    };
    let within = |p: [f32; 2], q: [f32; 2], r: [f32; 2]| {
        r[0] >= p[0].min(q[0]) && r[0] <= p[0].max(q[0]) && r[1] >= p[1].min(q[1]) && r[1] <= p[1].max(q[1])
    };
    let (o1, o2, o3, o4) = (orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b));
    if o1 != o2 && o3 != o4 && o1 * o2 <= 0.0 && o3 * o4 <= 0.0 && (o1 != 0.0 || o2 != 0.0) {
        return true;
    }
    (o1 == 0.0 && within(a, b, c))
        || (o2 == 0.0 && within(a, b, d))
        || (o3 == 0.0 && within(c, d, a))
        || (o4 == 0.0 && within(c, d, b))
}

#[test]
fn every_region_zone_and_landmark_lies_on_the_body() {
    let map = body_map();
    let on_body = |p: [f32; 2]| map.silhouette.contains(p) || map.silhouette.distance_to_outline(p) < 1e-4;
    for (name, polygon) in outlines(map).into_iter().skip(1) {
        for &p in polygon.points() {
            assert!(on_body(p), "{name} leaves the body at {p:?}");
        }
    }
    for landmark in &map.landmarks {
        for &p in &landmark.points {
            assert!(on_body(p), "the {:?} {:?} leaves the body at {p:?}", landmark.side, landmark.kind);
        }
    }
}

#[test]
fn regions_of_one_layer_never_overlap() {
    let map = body_map();
    // A point right on a shared border may count for both neighbours.
    const BORDER: f32 = 5e-4;
    for pos in grid(0.002) {
        for layer in Layer::ALL {
            let under: Vec<_> = map
                .regions
                .iter()
                .filter(|r| r.id.info().layer == layer && r.outline.contains(pos))
                .collect();
            if let [first, second, ..] = under[..] {
                let near_border = first.outline.distance_to_outline(pos) < BORDER
                    || second.outline.distance_to_outline(pos) < BORDER;
                assert!(near_border, "{} and {} overlap at {pos:?}", first.id, second.id);
            }
        }
    }
}

#[test]
fn the_clients_right_side_mirrors_the_left_exactly() {
    let map = body_map();
    for left in map.regions.iter().filter(|r| r.id.info().side == Side::Left) {
        let right = map.region(left.id.mirror());
        assert_eq!(right.outline.points().len(), left.outline.points().len(), "{}", left.id);
        for &p in right.outline.points() {
            assert!(left.outline.distance_to_outline(mirror(p)) < 1e-5, "{} at {p:?}", right.id);
        }
    }
    // Midline shapes are symmetric in themselves.
    let midline_outlines = map
        .regions
        .iter()
        .filter(|r| r.id.info().side == Side::Midline)
        .map(|r| (r.id.key(), &r.outline))
        .chain(
            map.caution_zones
                .iter()
                .filter(|z| z.id.info().side == Side::Midline)
                .map(|z| (z.id.info().key, &z.outline)),
        )
        .chain([("silhouette", &map.silhouette)]);
    for (name, outline) in midline_outlines {
        for &p in outline.points() {
            assert!(outline.distance_to_outline(mirror(p)) < 1e-5, "{name} is lopsided at {p:?}");
        }
    }
    for left in map.landmarks.iter().filter(|l| l.side == Side::Left) {
        let right = map.landmarks.iter().find(|r| r.side == Side::Right && r.kind == left.kind);
        let Some(right) = right else { panic!("the {:?} has no right-hand twin", left.kind) };
        let mirrored: Vec<_> = left.points.iter().copied().map(mirror).collect();
        assert_eq!(right.points, mirrored, "{:?}", left.kind);
    }
}

#[test]
fn a_click_and_its_mirror_image_find_mirror_regions() {
    let map = body_map();
    for pos in grid(0.005) {
        for layer in Layer::ALL {
            let here = map.region_at(pos, layer);
            let there = map.region_at(mirror(pos), layer);
            let near_border = [here, there].into_iter().flatten().any(|id| {
                let outline = &map.region(id).outline;
                outline.distance_to_outline(pos).min(outline.distance_to_outline(mirror(pos))) < 1e-4
            });
            if !near_border {
                assert_eq!(there, here.map(RegionId::mirror), "at {pos:?} on the {layer:?} layer");
            }
        }
    }
}

#[test]
fn the_clients_left_is_on_the_viewers_left() {
    let map = body_map();
    for info in REGIONS {
        let x = map.region(info.id).label_point[0];
        match info.side {
            Side::Left => assert!(x < 0.5, "{} is drawn on the right", info.key),
            Side::Right => assert!(x > 0.5, "{} is drawn on the left", info.key),
            Side::Midline => assert!((x - 0.5).abs() < 1e-3, "{} is off the midline", info.key),
        }
    }
    for info in CAUTION_ZONES {
        let x = map.zone(info.id).label_point[0];
        match info.side {
            Side::Left => assert!(x < 0.5, "{} is drawn on the right", info.key),
            Side::Right => assert!(x > 0.5, "{} is drawn on the left", info.key),
            Side::Midline => assert!((x - 0.5).abs() < 1e-3, "{} is off the midline", info.key),
        }
    }
}

#[test]
fn clicking_a_regions_label_point_selects_that_region() {
    let map = body_map();
    for region in &map.regions {
        let layer = region.id.info().layer;
        // Well inside: at least 3 px from the edge on an 800 px map.
        let clearance = region.outline.distance_to_outline(region.label_point);
        assert!(region.outline.contains(region.label_point), "{}", region.id);
        assert!(clearance > 0.004, "the label of {} is {clearance} from its edge", region.id);
        assert_eq!(map.region_at(region.label_point, layer), Some(region.id));
    }
    for zone in &map.caution_zones {
        assert!(zone.outline.contains(zone.label_point), "{}", zone.id.info().key);
    }
}

#[test]
fn a_click_off_the_body_finds_no_region() {
    let map = body_map();
    for pos in [[0.02, 0.5], [0.5, 0.01], [0.98, 0.98], [0.28, 0.6]] {
        for layer in Layer::ALL {
            assert_eq!(map.region_at(pos, layer), None, "{pos:?}");
        }
    }
}

#[test]
fn triangles_fill_each_shape_exactly() {
    let map = body_map();
    let shapes = map
        .regions
        .iter()
        .map(|r| (r.id.key(), &r.outline, &r.triangles))
        .chain(map.caution_zones.iter().map(|z| (z.id.info().key, &z.outline, &z.triangles)))
        .chain([("silhouette", &map.silhouette, &map.silhouette_triangles)]);
    for (name, outline, triangles) in shapes {
        let points = outline.points();
        assert!(!triangles.is_empty(), "{name}");
        let covered: f32 = triangles
            .iter()
            .map(|t| {
                let [a, b, c] = t.map(|i| points[i as usize]);
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum();
        let area = outline.area();
        assert!((covered - area).abs() < area * 1e-3, "{name}: triangles cover {covered}, outline {area}");
    }
}

#[test]
fn the_map_reads_from_the_head_down_to_the_hips() {
    let map = body_map();
    let y = |id: RegionId| map.region(id).label_point[1];
    let head_to_hips = [
        RegionId::OccipitalL,
        RegionId::NeckL,
        RegionId::UpperTrapeziusL,
        RegionId::InfraspinatusL,
        RegionId::LatissimusDorsiL,
        RegionId::LumbarL,
        RegionId::GluteusMediusL,
        RegionId::GluteusMaximusL,
    ];
    for pair in head_to_hips.windows(2) {
        assert!(y(pair[0]) < y(pair[1]), "{} should lie above {}", pair[0], pair[1]);
    }
    let deep = [
        RegionId::SuboccipitalsL,
        RegionId::LevatorScapulaeL,
        RegionId::RhomboidsL,
        RegionId::ErectorSpinaeLumbarL,
        RegionId::PiriformisL,
    ];
    for pair in deep.windows(2) {
        assert!(y(pair[0]) < y(pair[1]), "{} should lie above {}", pair[0], pair[1]);
    }
    assert!(
        map.region(RegionId::PosteriorDeltoidL).label_point[0]
            < map.region(RegionId::InfraspinatusL).label_point[0]
    );
    // The back of the upper arm hangs below the back of the shoulder.
    assert!(y(RegionId::PosteriorDeltoidL) < y(RegionId::TricepsL));
}

#[test]
fn every_part_of_the_body_below_the_skull_can_be_clicked_on_the_superficial_layer() {
    let map = body_map();
    // A point right on a shared border may fall between its neighbours' polygons.
    const BORDER: f32 = 5e-4;
    let base_of_skull = map.region(RegionId::OccipitalL).outline.bounds().max[1];
    for pos in grid(0.003).filter(|p| p[1] > base_of_skull && map.silhouette.contains(*p)) {
        if map.silhouette.distance_to_outline(pos) < BORDER {
            continue;
        }
        if map.region_at(pos, Layer::Superficial).is_none() {
            let near_border = map
                .regions
                .iter()
                .filter(|r| r.id.info().layer == Layer::Superficial)
                .any(|r| r.outline.distance_to_outline(pos) < BORDER);
            assert!(near_border, "nothing to click at {pos:?}");
        }
    }
}

#[test]
fn each_deep_muscle_lies_under_the_superficial_region_worked_through_to_reach_it() {
    use RegionId::*;
    let map = body_map();
    let under: &[(RegionId, &[RegionId])] = &[
        (SuboccipitalsL, &[OccipitalL, NeckL]),
        (SpleniusL, &[NeckL, OccipitalL]),
        (LevatorScapulaeL, &[UpperTrapeziusL, NeckL]),
        (SupraspinatusL, &[UpperTrapeziusL, MiddleTrapeziusL]),
        (RhomboidsL, &[MiddleTrapeziusL, LowerTrapeziusL]),
        (ErectorSpinaeThoracicL, &[LowerTrapeziusL, MiddleTrapeziusL, LatissimusDorsiL]),
        (ErectorSpinaeLumbarL, &[LumbarL]),
        (QuadratusLumborumL, &[LatissimusDorsiL, LumbarL]),
        (PiriformisL, &[GluteusMaximusL]),
    ];
    for &(deep, above) in under {
        let superficial = map.region_at(map.region(deep).label_point, Layer::Superficial);
        assert!(
            superficial.is_some_and(|id| above.contains(&id)),
            "{deep} lies under {superficial:?}, expected one of {above:?}"
        );
    }
}

#[test]
fn pressure_on_these_regions_is_checked_against_the_caution_zones_they_overlap() {
    use CautionZoneId::*;
    use RegionId::*;
    let map = body_map();
    let overlaps = |region| map.zones_overlapping(region);
    assert!(overlaps(UpperTrapeziusL).contains(&PosteriorTriangleL));
    assert!(overlaps(NeckR).contains(&PosteriorTriangleR));
    assert!(overlaps(LevatorScapulaeL).contains(&PosteriorTriangleL));
    assert!(overlaps(LumbarR).contains(&KidneyR));
    assert!(overlaps(QuadratusLumborumL).contains(&KidneyL));
    assert!(overlaps(ErectorSpinaeLumbarL).contains(&KidneyL));
    assert!(overlaps(MiddleTrapeziusL).contains(&Spine));
    assert!(overlaps(LowerTrapeziusR).contains(&Spine));
    // Far from every zone.
    for region in
        [PosteriorDeltoidL, InfraspinatusR, GluteusMediusL, PiriformisR, Sacrum, GluteusMaximusL, TricepsR]
    {
        assert_eq!(overlaps(region), vec![], "{region}");
    }
    // A zone on one side never applies to the other.
    for region in RegionId::all().filter(|r| r.info().side == Side::Left) {
        for zone in overlaps(region) {
            assert_ne!(zone.info().side, Side::Right, "{region} overlaps {}", zone.info().key);
        }
    }
}

#[test]
fn the_rhomboids_and_the_erectors_reach_the_spinous_processes() {
    use RegionId::*;
    let map = body_map();
    let spine = map.zone(CautionZoneId::Spine);
    // Real area, not a touch along a border: about a square centimetre of skin.
    const REAL_AREA: f32 = 1.0e-4;
    for region in [
        RhomboidsL,
        RhomboidsR,
        ErectorSpinaeThoracicL,
        ErectorSpinaeThoracicR,
        ErectorSpinaeLumbarL,
        ErectorSpinaeLumbarR,
    ] {
        assert!(map.zones_overlapping(region).contains(&CautionZoneId::Spine), "{region}");
        let shared = map.shared_area(region, CautionZoneId::Spine);
        assert!(shared > REAL_AREA, "{region} shares only {shared} with the spine zone");
    }
    // The erectors lie along the spine: at every level of their length, as far down
    // as the spine zone goes, some point is both erector and spine zone.
    let erectors =
        [ErectorSpinaeThoracicL, ErectorSpinaeThoracicR, ErectorSpinaeLumbarL, ErectorSpinaeLumbarR];
    for region in erectors {
        let outline = &map.region(region).outline;
        let top = outline.bounds().min[1];
        let bottom = outline.bounds().max[1].min(spine.outline.bounds().max[1]);
        let levels = 100;
        for i in 1..levels {
            let y = top + (bottom - top) * i as f32 / levels as f32;
            let touches = (0..=100)
                .map(|j| [0.48 + 0.04 * j as f32 / 100.0, y])
                .any(|p| outline.contains(p) && spine.outline.contains(p));
            assert!(touches, "{region} leaves the spine at y = {y}");
        }
    }
}

/// Not a check but a table: for every region, the share of its area inside each
/// caution zone. Run with `cargo test --test suite geometry:: -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_the_share_of_each_region_inside_each_caution_zone() {
    let map = body_map();
    println!("| region | zone | share of the region's area (%) | shared area | in zones_overlapping |");
    println!("|---|---|---|---|---|");
    for region in RegionId::all() {
        let area = map.region(region).outline.area();
        for zone in CautionZoneId::all() {
            let shared = map.shared_area(region, zone);
            if shared > 0.0 {
                let listed = map.zones_overlapping(region).contains(&zone);
                let (region, zone, share) = (region.key(), zone.info().key, 100.0 * shared / area);
                println!("| `{region}` | `{zone}` | {share:.2} | {shared:.2e} | {listed} |");
            }
        }
    }
}

#[test]
fn the_landmarks_mark_the_spine_the_shoulder_blades_the_ribs_and_the_hips() {
    let map = body_map();
    let count = |kind| map.landmarks.iter().filter(|l| l.kind == kind).count();
    assert_eq!(count(LandmarkKind::Spine), 1);
    assert_eq!(count(LandmarkKind::ScapulaBorder), 2);
    assert_eq!(count(LandmarkKind::ScapularSpine), 2);
    assert_eq!(count(LandmarkKind::TwelfthRib), 2);
    assert_eq!(count(LandmarkKind::IliacCrest), 2);
    // Each shoulder blade's spine starts inside its outline (at the root, on the medial border).
    for side in [Side::Left, Side::Right] {
        let find = |kind| map.landmarks.iter().find(|l| l.kind == kind && l.side == side);
        let (Some(border), Some(spine)) =
            (find(LandmarkKind::ScapulaBorder), find(LandmarkKind::ScapularSpine))
        else {
            panic!("the {side:?} shoulder blade is missing");
        };
        let border = Polygon::new(border.points.clone());
        assert!(border.distance_to_outline(spine.points[0]) < 1e-3 || border.contains(spine.points[0]));
    }
}

#[test]
fn finding_the_region_under_the_pointer_takes_under_ten_microseconds() {
    let map = body_map();
    let points: Vec<_> = grid(0.01).collect();
    let start = Instant::now();
    let mut found = 0;
    for layer in Layer::ALL {
        for &pos in &points {
            found += usize::from(map.region_at(pos, layer).is_some());
        }
    }
    let per_lookup = start.elapsed() / (2 * points.len()) as u32;
    assert!(found > 0);
    // Measured in the unoptimised test build, which is several times slower than the app.
    assert!(per_lookup.as_micros() < 10, "{per_lookup:?} per lookup");
}
