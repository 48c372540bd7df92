//! "Did you mean ...?" suggestions for misspelt names.

/// The candidate closest to `name` (case-insensitive edit distance), if close enough to be a
/// plausible typo: at most a third of the name's length, and at least 1.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let budget = (lower.chars().count() / 3).max(1);
    candidates
        .filter(|c| !c.is_empty())
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, _)| *d <= budget)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance between two strings, counted in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_one_letter_typo_and_ignores_far_names() {
        let names = ["fib", "format_name", "total"];
        assert_eq!(closest("totl", names.iter().copied()), Some("total"));
        assert_eq!(
            closest("format_nam", names.iter().copied()),
            Some("format_name")
        );
        assert_eq!(closest("zzzzzz", names.iter().copied()), None);
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
