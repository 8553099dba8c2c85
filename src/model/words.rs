//! Wording shared by the screen, the paper and the command line, so that one
//! message reads the same wherever it is shown.

/// A message as a sentence: capitalised, with a full stop (the refusals and
/// errors are written as clauses, to be used inside other sentences too).
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let Some(first) = chars.next() else { return String::new() };
    let mut sentence: String = first.to_uppercase().chain(chars).collect();
    if !sentence.ends_with('.') {
        sentence.push('.');
    }
    sentence
}

/// What a client calls the place of `region` (REGIONS.md, "Plain words"): the
/// label of a superficial region, and words for the deep muscles a client does
/// not know by name.
pub fn plain_words(region: super::RegionId) -> &'static str {
    use super::RegionId::*;
    match region {
        LowerTrapeziusL | LowerTrapeziusR => "Lower middle back",
        LatissimusDorsiL | LatissimusDorsiR => "Side of the back",
        SuboccipitalsL | SuboccipitalsR => "Just under the base of the skull (deep)",
        SpleniusL | SpleniusR => "Back of the neck (deep)",
        LevatorScapulaeL | LevatorScapulaeR => "From the neck to the top of the shoulder blade",
        SupraspinatusL | SupraspinatusR => "Above the shoulder blade (deep)",
        RhomboidsL | RhomboidsR => "Between the shoulder blades (deep)",
        ErectorSpinaeThoracicL | ErectorSpinaeThoracicR => "Beside the spine, mid back",
        ErectorSpinaeLumbarL | ErectorSpinaeLumbarR => "Beside the spine, low back",
        QuadratusLumborumL | QuadratusLumborumR => "Side of the low back, above the hip (deep)",
        PiriformisL | PiriformisR => "Deep in the buttock",
        _ => region.info().label,
    }
}

/// "Top of shoulder: both sides", "Lower back: your left side": each place of
/// `regions`, by the plain name a client understands, in the order given, with
/// the sides in the client's own terms.
pub fn areas_in_words(regions: impl IntoIterator<Item = super::RegionId>) -> Vec<String> {
    use super::regions::Side;
    let mut places: Vec<(&str, bool, bool)> = Vec::new();
    for region in regions {
        let info = region.info();
        let plain = plain_words(region);
        let index = match places.iter().position(|(label, ..)| *label == plain) {
            Some(index) => index,
            None => {
                places.push((plain, false, false));
                places.len() - 1
            }
        };
        let place = &mut places[index];
        match info.side {
            Side::Left => place.1 = true,
            Side::Right => place.2 = true,
            Side::Midline => {}
        }
    }
    places
        .into_iter()
        .map(|(label, left, right)| match (left, right) {
            (true, true) => format!("{label}: both sides"),
            (true, false) => format!("{label}: your left side"),
            (false, true) => format!("{label}: your right side"),
            (false, false) => label.to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clause_reads_as_a_sentence() {
        assert_eq!(sentence("nothing was changed"), "Nothing was changed.");
        assert_eq!(sentence("Done."), "Done.");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn a_client_reads_every_deep_muscle_in_plain_words() {
        use crate::model::{Layer, RegionId};
        for region in RegionId::all().filter(|region| region.info().layer == Layer::Deep) {
            assert_ne!(plain_words(region), region.info().name, "{region:?} keeps its Latin name");
        }
        assert_eq!(
            areas_in_words([RegionId::PiriformisL, RegionId::LevatorScapulaeL, RegionId::LevatorScapulaeR]),
            [
                "Deep in the buttock: your left side",
                "From the neck to the top of the shoulder blade: both sides"
            ]
        );
        assert_eq!(areas_in_words([RegionId::LatissimusDorsiR]), ["Side of the back: your right side"]);
    }
}
