//! The byline of an article ("By A and B Source: … Updated: 2025-04-22"): its authors and the
//! date it was last updated, for the draft's `[article]` table.

use super::{dates, text};

/// The authors and the date of a byline ("By A and B Source: … Updated: 2025-04-22").
pub fn byline(line: &str) -> (Vec<String>, Option<String>) {
    let tokens = text::tokens(line);
    let dates = dates::dates(&tokens);
    let modified = dates
        .iter()
        .filter_map(|d| d.date.clone())
        .find(|d| d.len() == 10)
        .or_else(|| {
            // ISO dates tokenise as numbers and dashes: 2025 - 04 - 22.
            line.split(|c: char| !(c.is_ascii_digit() || c == '-'))
                .find(|w| w.len() == 10 && w.as_bytes()[4] == b'-' && w.as_bytes()[7] == b'-')
                .map(str::to_owned)
        });
    let names = line
        .trim()
        .trim_start_matches(['*', '_'])
        .trim_start()
        .strip_prefix("By ")
        .or_else(|| line.trim().strip_prefix("by "))
        .unwrap_or("");
    let end = [
        "Source:", "Updated:", "|", "·", "•", "—", "–", "*", "\u{a0}",
    ]
    .iter()
    .filter_map(|m| names.find(m))
    .min()
    .unwrap_or(names.len());
    let authors = names[..end]
        .split([',', '&'])
        .flat_map(|part| part.split(" and "))
        // "Kofi Mensah-Boateng in Addis Ababa": a dateline after the name is not the name.
        .map(|a| a.split(" in ").next().unwrap_or(a))
        .map(|a| a.trim().trim_matches(['*', '_']).trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect();
    (authors, modified)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_give_authors_and_the_date() {
        assert_eq!(
            byline("By Amina Okoth and Li Wenjun Source: Updated: 2025-04-22"),
            (
                vec!["Amina Okoth".to_owned(), "Li Wenjun".to_owned()],
                Some("2025-04-22".to_owned())
            )
        );
        assert_eq!(
            byline("**By Lejla Hadžić** | Updated: 2024-11-05"),
            (
                vec!["Lejla Hadžić".to_owned()],
                Some("2024-11-05".to_owned())
            )
        );
        assert_eq!(
            byline("By Grace Wanjiru · Updated: June 3, 2025"),
            (
                vec!["Grace Wanjiru".to_owned()],
                Some("2025-06-03".to_owned())
            )
        );
    }
}
