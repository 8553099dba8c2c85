//! The region catalogue of the body map: every region of the back, neck and
//! shoulders, and every caution zone, with its fixed ID, label, side, layer and
//! coarse area.
//!
//! This is the only place in the code that lists them. The IDs are part of the
//! file format: a region may be added, but an ID is never renamed or reused.

use serde::{Deserialize, Serialize};

/// Which side of the client's body a region is on.
///
/// The map shows the client's back, seen from behind, so the client's left is on
/// the viewer's left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    Left,
    Right,
    Midline,
}

impl Side {
    /// How a screen reader and the map's labels name the side.
    pub fn phrase(self) -> &'static str {
        match self {
            Side::Left => "client's left",
            Side::Right => "client's right",
            Side::Midline => "midline",
        }
    }
}

/// The two depths of the map: what the hands meet first, and what lies under it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Layer {
    Superficial,
    Deep,
}

impl Layer {
    pub const ALL: [Layer; 2] = [Layer::Superficial, Layer::Deep];

    pub fn label(self) -> &'static str {
        match self {
            Layer::Superficial => "Superficial",
            Layer::Deep => "Deep",
        }
    }
}

/// The coarse areas used for summaries and trend charts, matching the coarse body
/// maps of pain research (CHOIR, Michigan Body Map).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CoarseArea {
    Neck,
    Shoulder,
    UpperBack,
    MiddleBack,
    LowerBack,
    Hip,
}

impl CoarseArea {
    pub const ALL: [CoarseArea; 6] = [
        CoarseArea::Neck,
        CoarseArea::Shoulder,
        CoarseArea::UpperBack,
        CoarseArea::MiddleBack,
        CoarseArea::LowerBack,
        CoarseArea::Hip,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CoarseArea::Neck => "Neck",
            CoarseArea::Shoulder => "Shoulder",
            CoarseArea::UpperBack => "Upper back",
            CoarseArea::MiddleBack => "Middle back",
            CoarseArea::LowerBack => "Lower back",
            CoarseArea::Hip => "Hip",
        }
    }
}

/// What the catalogue knows about one region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegionInfo {
    pub id: RegionId,
    /// The ID as written in files, e.g. `upper_trapezius_l`.
    pub key: &'static str,
    /// The anatomical name a therapist uses, e.g. "Upper trapezius".
    pub name: &'static str,
    /// The plain-language label a client understands, e.g. "Top of shoulder".
    pub label: &'static str,
    /// The main tissue under the hands.
    pub tissue: &'static str,
    pub side: Side,
    pub layer: Layer,
    pub area: CoarseArea,
}

macro_rules! region_catalogue {
    ($( $variant:ident, $key:literal, $name:literal, $label:literal, $side:ident, $layer:ident, $area:ident, $tissue:literal; )*) => {
        /// A region of the body map. Written in files as its snake_case key,
        /// e.g. `upper_trapezius_l`; `_l` and `_r` are the client's left and right.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum RegionId {
            $( #[serde(rename = $key)] $variant, )*
        }

        /// Every region, superficial layer first, in catalogue order.
        pub const REGIONS: &[RegionInfo] = &[
            $( RegionInfo {
                id: RegionId::$variant,
                key: $key,
                name: $name,
                label: $label,
                tissue: $tissue,
                side: Side::$side,
                layer: Layer::$layer,
                area: CoarseArea::$area,
            }, )*
        ];
    };
}

region_catalogue! {
    // Superficial layer.
    OccipitalL, "occipital_l", "Occipital ridge", "Base of skull", Left, Superficial, Neck, "occipital ridge attachments (trapezius, semispinalis capitis)";
    OccipitalR, "occipital_r", "Occipital ridge", "Base of skull", Right, Superficial, Neck, "occipital ridge attachments (trapezius, semispinalis capitis)";
    NeckL, "neck_l", "Cervical trapezius", "Back of neck", Left, Superficial, Neck, "upper trapezius, cervical part";
    NeckR, "neck_r", "Cervical trapezius", "Back of neck", Right, Superficial, Neck, "upper trapezius, cervical part";
    UpperTrapeziusL, "upper_trapezius_l", "Upper trapezius", "Top of shoulder", Left, Superficial, Shoulder, "upper trapezius, neck-shoulder slope to the acromion";
    UpperTrapeziusR, "upper_trapezius_r", "Upper trapezius", "Top of shoulder", Right, Superficial, Shoulder, "upper trapezius, neck-shoulder slope to the acromion";
    PosteriorDeltoidL, "posterior_deltoid_l", "Posterior deltoid", "Back of shoulder", Left, Superficial, Shoulder, "posterior deltoid";
    PosteriorDeltoidR, "posterior_deltoid_r", "Posterior deltoid", "Back of shoulder", Right, Superficial, Shoulder, "posterior deltoid";
    InfraspinatusL, "infraspinatus_l", "Infraspinatus", "Shoulder blade", Left, Superficial, Shoulder, "infraspinatus (below the scapular spine)";
    InfraspinatusR, "infraspinatus_r", "Infraspinatus", "Shoulder blade", Right, Superficial, Shoulder, "infraspinatus (below the scapular spine)";
    TeresL, "teres_l", "Teres major and minor", "Outer shoulder blade", Left, Superficial, Shoulder, "teres major and minor";
    TeresR, "teres_r", "Teres major and minor", "Outer shoulder blade", Right, Superficial, Shoulder, "teres major and minor";
    MiddleTrapeziusL, "middle_trapezius_l", "Middle trapezius", "Between shoulder blades", Left, Superficial, UpperBack, "middle trapezius";
    MiddleTrapeziusR, "middle_trapezius_r", "Middle trapezius", "Between shoulder blades", Right, Superficial, UpperBack, "middle trapezius";
    LowerTrapeziusL, "lower_trapezius_l", "Lower trapezius", "Lower trapezius", Left, Superficial, MiddleBack, "lower trapezius, to T12";
    LowerTrapeziusR, "lower_trapezius_r", "Lower trapezius", "Lower trapezius", Right, Superficial, MiddleBack, "lower trapezius, to T12";
    LatissimusDorsiL, "latissimus_dorsi_l", "Latissimus dorsi", "Side of back", Left, Superficial, MiddleBack, "latissimus dorsi";
    LatissimusDorsiR, "latissimus_dorsi_r", "Latissimus dorsi", "Side of back", Right, Superficial, MiddleBack, "latissimus dorsi";
    LumbarL, "lumbar_l", "Thoracolumbar fascia", "Low back", Left, Superficial, LowerBack, "thoracolumbar fascia over the lumbar muscles";
    LumbarR, "lumbar_r", "Thoracolumbar fascia", "Low back", Right, Superficial, LowerBack, "thoracolumbar fascia over the lumbar muscles";
    GluteusMediusL, "gluteus_medius_l", "Gluteus medius", "Upper hip", Left, Superficial, Hip, "gluteus medius, below the iliac crest";
    GluteusMediusR, "gluteus_medius_r", "Gluteus medius", "Upper hip", Right, Superficial, Hip, "gluteus medius, below the iliac crest";
    Sacrum, "sacrum", "Sacrum", "Sacrum", Midline, Superficial, Hip, "sacral fascia, sacroiliac area";
    // Added with file format 2, so that every part of the drawn body below the neck
    // can be clicked; format-1 files never contain them.
    GluteusMaximusL, "gluteus_maximus_l", "Gluteus maximus", "Buttock", Left, Superficial, Hip, "gluteus maximus, below gluteus medius";
    GluteusMaximusR, "gluteus_maximus_r", "Gluteus maximus", "Buttock", Right, Superficial, Hip, "gluteus maximus, below gluteus medius";
    TricepsL, "triceps_l", "Triceps", "Back of upper arm", Left, Superficial, Shoulder, "triceps, long head near the shoulder";
    TricepsR, "triceps_r", "Triceps", "Back of upper arm", Right, Superficial, Shoulder, "triceps, long head near the shoulder";
    // Deep layer.
    SuboccipitalsL, "suboccipitals_l", "Suboccipitals", "Suboccipitals", Left, Deep, Neck, "rectus capitis posterior, obliques";
    SuboccipitalsR, "suboccipitals_r", "Suboccipitals", "Suboccipitals", Right, Deep, Neck, "rectus capitis posterior, obliques";
    SpleniusL, "splenius_l", "Splenius", "Splenius", Left, Deep, Neck, "splenius capitis and cervicis";
    SpleniusR, "splenius_r", "Splenius", "Splenius", Right, Deep, Neck, "splenius capitis and cervicis";
    LevatorScapulaeL, "levator_scapulae_l", "Levator scapulae", "Levator scapulae", Left, Deep, Shoulder, "upper cervical spine to the scapula's superior angle";
    LevatorScapulaeR, "levator_scapulae_r", "Levator scapulae", "Levator scapulae", Right, Deep, Shoulder, "upper cervical spine to the scapula's superior angle";
    SupraspinatusL, "supraspinatus_l", "Supraspinatus", "Supraspinatus", Left, Deep, Shoulder, "above the scapular spine, under upper trapezius";
    SupraspinatusR, "supraspinatus_r", "Supraspinatus", "Supraspinatus", Right, Deep, Shoulder, "above the scapular spine, under upper trapezius";
    RhomboidsL, "rhomboids_l", "Rhomboids", "Rhomboids", Left, Deep, UpperBack, "rhomboid major and minor";
    RhomboidsR, "rhomboids_r", "Rhomboids", "Rhomboids", Right, Deep, UpperBack, "rhomboid major and minor";
    ErectorSpinaeThoracicL, "erector_spinae_thoracic_l", "Thoracic erectors", "Thoracic erectors", Left, Deep, MiddleBack, "erector spinae, thoracic part";
    ErectorSpinaeThoracicR, "erector_spinae_thoracic_r", "Thoracic erectors", "Thoracic erectors", Right, Deep, MiddleBack, "erector spinae, thoracic part";
    ErectorSpinaeLumbarL, "erector_spinae_lumbar_l", "Lumbar erectors", "Lumbar erectors", Left, Deep, LowerBack, "erector spinae and multifidus, lumbar part";
    ErectorSpinaeLumbarR, "erector_spinae_lumbar_r", "Lumbar erectors", "Lumbar erectors", Right, Deep, LowerBack, "erector spinae and multifidus, lumbar part";
    QuadratusLumborumL, "quadratus_lumborum_l", "Quadratus lumborum", "Quadratus lumborum", Left, Deep, LowerBack, "between the 12th rib and the iliac crest";
    QuadratusLumborumR, "quadratus_lumborum_r", "Quadratus lumborum", "Quadratus lumborum", Right, Deep, LowerBack, "between the 12th rib and the iliac crest";
    PiriformisL, "piriformis_l", "Piriformis", "Piriformis", Left, Deep, Hip, "deep gluteal, sacrum to greater trochanter";
    PiriformisR, "piriformis_r", "Piriformis", "Piriformis", Right, Deep, Hip, "deep gluteal, sacrum to greater trochanter";
}

impl RegionId {
    /// Every region, in catalogue order.
    pub fn all() -> impl Iterator<Item = RegionId> {
        REGIONS.iter().map(|info| info.id)
    }

    pub fn info(self) -> &'static RegionInfo {
        // The catalogue lists the variants in declaration order.
        &REGIONS[self as usize]
    }

    pub fn key(self) -> &'static str {
        self.info().key
    }

    pub fn from_key(key: &str) -> Option<RegionId> {
        REGIONS.iter().find(|info| info.key == key).map(|info| info.id)
    }

    /// The accessible name of the region, e.g. "Upper trapezius, client's left":
    /// what a screen reader says and what the UI tests find it by.
    pub fn accessible_name(self) -> String {
        let info = self.info();
        match info.side {
            Side::Midline => info.name.to_owned(),
            side => format!("{}, {}", info.name, side.phrase()),
        }
    }

    /// The same region on the other side of the body; midline regions are their own mirror.
    pub fn mirror(self) -> RegionId {
        let info = self.info();
        let other_suffix = match info.side {
            Side::Midline => return self,
            Side::Left => "_r",
            Side::Right => "_l",
        };
        let stem = &info.key[..info.key.len() - other_suffix.len()];
        RegionId::from_key(&format!("{stem}{other_suffix}")).unwrap_or(self)
    }
}

impl std::fmt::Display for RegionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// An endangerment site: not a region that carries a plan, but an area where a
/// region's pressure is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CautionZoneId {
    #[serde(rename = "spine")]
    Spine,
    #[serde(rename = "posterior_triangle_l")]
    PosteriorTriangleL,
    #[serde(rename = "posterior_triangle_r")]
    PosteriorTriangleR,
    #[serde(rename = "kidney_l")]
    KidneyL,
    #[serde(rename = "kidney_r")]
    KidneyR,
}

/// What the catalogue knows about one caution zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CautionZoneInfo {
    pub id: CautionZoneId,
    pub key: &'static str,
    pub label: &'static str,
    pub side: Side,
    /// Why the zone asks for care, in the therapist's words.
    pub why: &'static str,
}

/// Every caution zone, in catalogue order.
pub const CAUTION_ZONES: &[CautionZoneInfo] = &[
    CautionZoneInfo {
        id: CautionZoneId::Spine,
        key: "spine",
        label: "Spinous processes (C7 to L5)",
        side: Side::Midline,
        why: "bone: no direct deep pressure",
    },
    CautionZoneInfo {
        id: CautionZoneId::PosteriorTriangleL,
        key: "posterior_triangle_l",
        label: "Side of neck",
        side: Side::Left,
        why: "brachial plexus, subclavian vessels",
    },
    CautionZoneInfo {
        id: CautionZoneId::PosteriorTriangleR,
        key: "posterior_triangle_r",
        label: "Side of neck",
        side: Side::Right,
        why: "brachial plexus, subclavian vessels",
    },
    CautionZoneInfo {
        id: CautionZoneId::KidneyL,
        key: "kidney_l",
        label: "Kidney area",
        side: Side::Left,
        why: "below the 12th rib beside the spine: no deep pressure or percussion",
    },
    CautionZoneInfo {
        id: CautionZoneId::KidneyR,
        key: "kidney_r",
        label: "Kidney area",
        side: Side::Right,
        why: "below the 12th rib beside the spine: no deep pressure or percussion",
    },
];

impl CautionZoneId {
    pub fn all() -> impl Iterator<Item = CautionZoneId> {
        CAUTION_ZONES.iter().map(|info| info.id)
    }

    pub fn info(self) -> &'static CautionZoneInfo {
        &CAUTION_ZONES[self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_lists_every_variant_at_its_own_index() {
        for (index, info) in REGIONS.iter().enumerate() {
            assert_eq!(info.id as usize, index, "{}", info.key);
        }
        for (index, info) in CAUTION_ZONES.iter().enumerate() {
            assert_eq!(info.id as usize, index, "{}", info.key);
        }
    }

    #[test]
    fn keys_follow_the_side_suffix_rule_and_are_unique() {
        let mut keys: Vec<_> = REGIONS.iter().map(|info| info.key).collect();
        for info in REGIONS {
            match info.side {
                Side::Left => assert!(info.key.ends_with("_l"), "{}", info.key),
                Side::Right => assert!(info.key.ends_with("_r"), "{}", info.key),
                Side::Midline => assert!(!info.key.ends_with("_l") && !info.key.ends_with("_r")),
            }
        }
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), REGIONS.len());
    }

    #[test]
    fn every_sided_region_has_a_mirror_on_the_other_side_in_the_same_layer() {
        for region in RegionId::all() {
            let mirror = region.mirror();
            assert_eq!(mirror.mirror(), region);
            assert_eq!(mirror.info().layer, region.info().layer);
            assert_eq!(mirror.info().name, region.info().name);
            if region.info().side != Side::Midline {
                assert_ne!(mirror, region);
            }
        }
    }

    #[test]
    fn a_region_is_written_in_files_as_its_catalogue_key() {
        let written = ron::to_string(&RegionId::UpperTrapeziusL).unwrap();
        assert_eq!(written, "upper_trapezius_l");
        let read: RegionId = ron::from_str("erector_spinae_lumbar_r").unwrap();
        assert_eq!(read, RegionId::ErectorSpinaeLumbarR);
    }

    #[test]
    fn accessible_names_say_the_clients_side() {
        assert_eq!(RegionId::UpperTrapeziusL.accessible_name(), "Upper trapezius, client's left");
        assert_eq!(RegionId::Sacrum.accessible_name(), "Sacrum");
    }
}
