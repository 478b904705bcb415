//! Messages read as English: `1 file`, `2 files`, never `1 files` or `file(s)`.

/// A count and its noun, in the plural unless the count is one (English plurals in -s; the
/// nouns of brikg's messages all take one).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(super::count(0, "graph"), "0 graphs");
        assert_eq!(super::count(1, "graph"), "1 graph");
        assert_eq!(super::count(2989, "quad"), "2989 quads");
    }
}
