//! Which caution zones a region lies over, by how much of the region's area the
//! zone covers (see [`super::MIN_ZONE_SHARE`] for why a share, not any contact).

use crate::geometry::BodyMap;
use crate::model::{CautionZoneId, REGIONS, RegionId};

use super::rules::MIN_ZONE_SHARE;

/// For every region, the caution zones it lies over and those it only touches.
#[derive(Clone, Debug)]
pub(super) struct ZoneCover {
    /// By catalogue index: the zones covering at least [`MIN_ZONE_SHARE`] of the region.
    over: Vec<Vec<CautionZoneId>>,
    /// By catalogue index: the zones the body map says the region overlaps, but by less.
    touching: Vec<Vec<CautionZoneId>>,
}

impl ZoneCover {
    pub(super) fn of(map: &BodyMap) -> ZoneCover {
        let mut cover =
            ZoneCover { over: vec![Vec::new(); REGIONS.len()], touching: vec![Vec::new(); REGIONS.len()] };
        for info in REGIONS {
            let region = map.region(info.id);
            let area = region.outline.area();
            // The map has already ruled out zones that share no more than a sliver.
            for zone in map.zones_overlapping(info.id) {
                let share = if area > 0.0 { map.shared_area(info.id, zone) / area } else { 0.0 };
                let list = if share >= MIN_ZONE_SHARE { &mut cover.over } else { &mut cover.touching };
                list[info.id as usize].push(zone);
            }
        }
        cover
    }

    pub(super) fn over(&self, region: RegionId) -> &[CautionZoneId] {
        self.over.get(region as usize).map_or(&[], Vec::as_slice)
    }

    pub(super) fn touching(&self, region: RegionId) -> &[CautionZoneId] {
        self.touching.get(region as usize).map_or(&[], Vec::as_slice)
    }
}
