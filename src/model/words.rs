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

/// "Top of shoulder: both sides", "Lower back: your left side": each place of
/// `regions`, by the plain name a client understands, in the order given, with
/// the sides in the client's own terms.
pub fn areas_in_words(regions: impl IntoIterator<Item = super::RegionId>) -> Vec<String> {
    use super::regions::Side;
    let mut places: Vec<(&str, bool, bool)> = Vec::new();
    for region in regions {
        let info = region.info();
        let index = match places.iter().position(|(label, ..)| *label == info.label) {
            Some(index) => index,
            None => {
                places.push((info.label, false, false));
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
}
