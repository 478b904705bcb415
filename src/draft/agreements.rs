//! Agreement sets in a sentence: "signed 107 documents with … in 65 countries, including …"
//! becomes a set with its signatory (the country named before "signed"), its counterparties
//! (those named after) and whether they are listed in full or as examples; linked to a set the
//! graph holds when one fits.

use super::ids::{significant, Ids};
use super::lexicon::Lexicon;
use super::link::{Known, Link};
use super::text::{kebab, quote, Token};
use super::{AgreementDraft, Place};

/// A country named in a sentence: its code, byte offset, and whether it is a demonym or part
/// of a name ("China" in "China Railway Express").
pub type SentenceCountry = (String, usize, bool);

/// The agreement set a sentence tells of, if it says one was signed, with the token index of
/// "signed". A new set's id is minted from `ids`.
#[allow(clippy::too_many_arguments)]
pub fn agreement(
    sentence: &str,
    tokens: &[Token<'_>],
    lower_words: &[String],
    sentence_countries: &[SentenceCountry],
    lexicon: &Lexicon,
    known: &Known,
    ids: &mut Ids,
    place: Place,
) -> Option<(AgreementDraft, usize)> {
    let signed = lower_words.iter().position(|w| w == "signed")?;
    let noun = (signed + 1..(signed + 4).min(tokens.len()))
        .find(|j| lexicon.agreement_nouns.contains(&lower_words[*j]))?;
    let mut name_end = noun;
    if lower_words.get(noun + 1).is_some_and(|w| w == "of")
        && tokens.get(noun + 2).is_some_and(|t| t.is_word())
    {
        name_end = noun + 2;
    }
    let name = tokens[noun..=name_end]
        .iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join(" ");
    let signed_at = tokens[signed].start;
    let signatory = sentence_countries
        .iter()
        .filter(|(_, start, _)| *start < signed_at)
        .map(|(c, _, _)| c.clone())
        .next_back();
    let mut counterparties: Vec<String> = Vec::new();
    for (code, start, demonym) in sentence_countries {
        if *start > signed_at
            && !demonym
            && Some(code) != signatory.as_ref()
            && !counterparties.contains(code)
        {
            counterparties.push(code.clone());
        }
    }
    let examples = ["including", "such as", "among them"]
        .iter()
        .any(|w| sentence[signed_at..].contains(w));
    let kind =
        if name.to_lowercase().starts_with("memorand") || name.to_lowercase().starts_with("mou") {
            "memorandums-of-understanding"
        } else {
            "agreement-set"
        };
    let kind = if lexicon.agreement_kinds.iter().any(|k| k == kind) {
        kind
    } else {
        lexicon
            .agreement_kinds
            .first()
            .map_or("agreement-set", String::as_str)
    };
    let (id, kind, name, signatory, link, candidates) =
        match known.link_agreement(kind, signatory.as_deref(), sentence) {
            Link::Sure { index, reason } => {
                let t = &known.things[index];
                (
                    t.id.clone(),
                    t.kind.clone(),
                    t.name.clone().unwrap_or(name),
                    t.country.clone().or(signatory),
                    Some(reason),
                    Vec::new(),
                )
            }
            link => {
                let mut id = kebab(&name, 5);
                if lexicon.is_vague(&id) {
                    // "documents": say with whom, or by whom.
                    let with = sentence[tokens[name_end].end()..]
                        .split_once(" with ")
                        .map(|(_, rest)| significant(rest, 3))
                        .unwrap_or_default();
                    let by = signatory
                        .as_deref()
                        .and_then(|c| lexicon.country_name(c))
                        .unwrap_or_default();
                    let context = if with.is_empty() { by } else { with };
                    id = kebab(&format!("{name} {context}"), 6);
                }
                let candidates = match link {
                    Link::Unsure { candidates } => candidates
                        .into_iter()
                        .map(|c| known.things[c].id.clone())
                        .collect(),
                    _ => Vec::new(),
                };
                (
                    ids.mint(id),
                    kind.to_owned(),
                    name.clone(),
                    signatory,
                    None,
                    candidates,
                )
            }
        };
    let draft = AgreementDraft {
        id,
        kind,
        name,
        signatory,
        link,
        candidates,
        listed: if counterparties.is_empty() {
            "none"
        } else if examples {
            "examples"
        } else {
            "complete"
        },
        counterparties,
        place,
        quote: quote(sentence, tokens[signed].start, tokens[name_end].end(), 6),
    };
    Some((draft, signed))
}
