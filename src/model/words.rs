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
