//! How two names of one thing are told to be the same: normal forms and similarity.
//!
//! News names a thing in many ways ("the China–Europe Railway Express", "China-Europe railway
//! express's", "CR Express"). The duplicate check of a build, `brikg draft`'s linking and the
//! reconciliation service compare names through the same functions here, so a name that one of
//! them finds is found by the others.

/// A name reduced to what tells it apart: lowercase, accents removed, every dash and
/// punctuation mark a space, a possessive "'s" and a leading "the" dropped, spaces collapsed.
/// "The China–Europe Railway Express's" → "china europe railway express".
pub fn normal_form(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        // A possessive: an apostrophe followed by "s" and the end of a word.
        if matches!(c, '\'' | '’') {
            let mut ahead = chars.clone();
            if matches!(ahead.next(), Some('s' | 'S'))
                && ahead.peek().is_none_or(|n| !n.is_alphanumeric())
            {
                chars.next();
            }
            continue;
        }
        let c = fold_accent(c);
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    let trimmed = out.trim_end();
    let trimmed = trimmed.strip_prefix("the ").unwrap_or(trimmed);
    trimmed.to_owned()
}

/// The words of a normal form.
pub fn words(normal: &str) -> impl Iterator<Item = &str> {
    normal.split(' ').filter(|w| !w.is_empty())
}

/// A Latin letter without its accent, where it has one; any other character as it is.
pub fn fold_accent(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    const FROM: &str = "àáâãäåāăąçćčďèéêëēėęěğìíîïīįıłñńňòóôõöøōőřśşšţťùúûüūůűųýÿźżžÀÁÂÃÄÅĀĂĄÇĆČĎÈÉÊËĒĖĘĚĞÌÍÎÏĪĮİŁÑŃŇÒÓÔÕÖØŌŐŘŚŞŠŢŤÙÚÛÜŪŮŰŲÝŸŹŻŽ";
    const TO: &str = "aaaaaaaaacccdeeeeeeeegiiiiiiilnnnoooooooorsssttuuuuuuuuyyzzzAAAAAAAAACCCDEEEEEEEEGIIIIIIILNNNOOOOOOOORSSSTTUUUUUUUUYYZZZ";
    FROM.chars()
        .position(|f| f == c)
        .and_then(|i| TO.chars().nth(i))
        .unwrap_or(c)
}

/// How alike two normal forms are, from 0 to 100: the share of their words in common, each
/// name's words sorted (a token-sort ratio on words, as record-linkage tools use), so one extra
/// word costs little in a long name and much in a short one; the same words in another order
/// score 85.
pub fn similarity(a: &str, b: &str) -> u32 {
    if a == b {
        return 100;
    }
    let mut x: Vec<&str> = words(a).collect();
    let mut y: Vec<&str> = words(b).collect();
    if x.is_empty() || y.is_empty() {
        return 0;
    }
    x.sort_unstable();
    y.sort_unstable();
    // Characters of the words in common, over the characters of both: a Dice coefficient
    // weighted by word length, so "railway" counts more than "of"; a number weighs as a word of
    // four letters at least, since "Line 3" and "Line 4" are two lines.
    let weight = |w: &str| {
        if w.chars().all(|c| c.is_ascii_digit()) {
            w.len().max(4)
        } else {
            w.len()
        }
    };
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(y[j]) {
            std::cmp::Ordering::Equal => {
                common += weight(x[i]);
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    if x == y {
        // The same words in another order: alike, but not the same name ("Corridor 3-4" and
        // "Corridor 4-3" are two corridors).
        return 85;
    }
    let total: usize = x.iter().chain(&y).map(|w| weight(w)).sum();
    (200 * common / total.max(1)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_forms_fold_case_dashes_articles_and_possessives() {
        assert_eq!(
            normal_form("The China–Europe Railway Express's"),
            "china europe railway express"
        );
        assert_eq!(
            normal_form("China-Europe railway express"),
            "china europe railway express"
        );
        assert_eq!(normal_form("  Türkiye’s  port "), "turkiye port");
        assert_eq!(normal_form("Theatre Square"), "theatre square");
        assert_eq!(normal_form("O'Neill Dam"), "oneill dam");
    }

    #[test]
    fn similarity_weighs_long_words_and_numbers_and_a_little_word_order() {
        assert_eq!(similarity("nkalora port", "nkalora port"), 100);
        assert_eq!(similarity("port nkalora", "nkalora port"), 85);
        assert_eq!(similarity("nkalora deepwater port", "nkalora port"), 70);
        assert!(similarity("nkalora fishing port", "nkalora deepwater port") < 70);
        assert_eq!(similarity("a b", ""), 0);
        assert!(similarity("line 3", "line 4") < 60);
    }
}
