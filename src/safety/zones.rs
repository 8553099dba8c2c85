//! Which caution zones a region lies in, and which it only borders, by how much
//! of the region's area the zone covers (see [`super::MOSTLY_INSIDE_SHARE`]).

use crate::geometry::BodyMap;
use crate::model::{CautionZoneId, REGIONS, RegionId};

use super::rules::MOSTLY_INSIDE_SHARE;

/// For every region, the caution zones it lies mostly inside and those it borders.
#[derive(Clone, Debug)]
pub(super) struct ZoneCover {
    /// By catalogue index: the zones covering at least [`MOSTLY_INSIDE_SHARE`] of the region.
    inside: Vec<Vec<CautionZoneId>>,
    /// By catalogue index: the zones the body map says the region overlaps, but by less.
    bordering: Vec<Vec<CautionZoneId>>,
}

impl ZoneCover {
    pub(super) fn of(map: &BodyMap) -> ZoneCover {
        let mut cover =
            ZoneCover { inside: vec![Vec::new(); REGIONS.len()], bordering: vec![Vec::new(); REGIONS.len()] };
        for info in REGIONS {
            let area = map.region(info.id).outline.area();
            // The map has already ruled out zones that share no more than a sliver.
            for zone in map.zones_overlapping(info.id) {
                let share = if area > 0.0 { map.shared_area(info.id, zone) / area } else { 0.0 };
                let list =
                    if share >= MOSTLY_INSIDE_SHARE { &mut cover.inside } else { &mut cover.bordering };
                list[info.id as usize].push(zone);
            }
        }
        cover
    }

    pub(super) fn inside(&self, region: RegionId) -> &[CautionZoneId] {
        self.inside.get(region as usize).map_or(&[], Vec::as_slice)
    }

    pub(super) fn bordering(&self, region: RegionId) -> &[CautionZoneId] {
        self.bordering.get(region as usize).map_or(&[], Vec::as_slice)
    }
}
