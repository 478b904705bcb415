//! Named things in a sentence: runs of capitalised words ending in a word that says what kind of
//! thing they name ("Nkalora Deepwater Port", "Haiyun Harbour Group"), with an acronym in
//! brackets after them as another name ("China Railway Express (CR Express)").

use super::lexicon::Lexicon;
use super::text::Token;

/// A name found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    /// The other name given in brackets right after it.
    pub alt: Option<String>,
    /// An entity kind, or `None` for an organisation.
    pub kind: Option<String>,
    /// Token range.
    pub first: usize,
    pub last: usize,
}

/// Small words allowed inside a name.
const CONNECTORS: &[&str] = &["of", "and", "for", "de", "the", "on"];

/// Capitalised words that open sentences but do not start names.
const OPENERS: &[&str] = &[
    "The", "A", "An", "In", "By", "As", "At", "On", "Since", "With", "For", "Of", "Over", "It",
    "Its", "This", "That", "These", "Those", "When", "While", "Based", "From", "After", "Before",
    "Under", "Most", "Some", "All", "Both", "Each", "Local", "Park", "Port", "Harbour",
];

/// The names of a sentence.
pub fn names(tokens: &[Token<'_>], lexicon: &Lexicon) -> Vec<Name> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !tokens[i].is_capitalized() {
            i += 1;
            continue;
        }
        // The run: capitalised words, joined by connectors.
        let mut last = i;
        let mut j = i + 1;
        while j < tokens.len() {
            let t = &tokens[j];
            if t.is_capitalized() {
                last = j;
                j += 1;
            } else if t.is_word()
                && CONNECTORS.contains(&t.text)
                && tokens.get(j + 1).is_some_and(Token::is_capitalized)
            {
                j += 1;
            } else {
                break;
            }
        }
        let mut first = i;
        while first < last
            && (OPENERS.contains(&tokens[first].text)
                || tokens[first].text.ends_with("'s")
                || tokens[first].text.ends_with("’s"))
        {
            first += 1;
        }
        // The name ends at its last head word: "Ras Hadra Desalination Plant on Egypt's Red
        // Sea" names a plant.
        let is_head = |t: &Token<'_>| {
            lexicon.kind_heads.contains_key(t.text)
                || lexicon.organization_heads.iter().any(|h| h == t.text)
        };
        if let Some(h) = (first + 1..=last).rev().find(|k| is_head(&tokens[*k])) {
            last = h;
        }
        let head = tokens[last].text;
        let kind = lexicon.kind_heads.get(head).cloned();
        let organization = lexicon.organization_heads.iter().any(|h| h == head);
        if first < last && (kind.is_some() || organization) {
            let text = join(&tokens[first..=last]);
            // "(CR Express)"
            let mut alt = None;
            let mut end = last;
            if tokens.get(last + 1).is_some_and(|t| t.text == "(") {
                if let Some(close) = tokens[last + 2..]
                    .iter()
                    .position(|t| t.text == ")")
                    .map(|p| p + last + 2)
                {
                    let inner = &tokens[last + 2..close];
                    if !inner.is_empty()
                        && inner.len() <= 4
                        && inner.iter().all(|t| t.is_capitalized())
                    {
                        alt = Some(join(inner));
                        end = close;
                    }
                }
            }
            out.push(Name {
                text,
                alt,
                kind: if organization && kind.is_none() {
                    None
                } else {
                    kind
                },
                first,
                last: end,
            });
            i = end + 1;
            continue;
        }
        i = last + 1;
    }
    out
}

/// Tokens joined as they were written.
pub fn join(tokens: &[Token<'_>]) -> String {
    let mut out = String::new();
    for (k, t) in tokens.iter().enumerate() {
        if k > 0 && t.spaced {
            out.push(' ');
        }
        out.push_str(t.text);
    }
    out
}
