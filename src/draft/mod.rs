//! `brikg draft`: from an article's text to a data file a curator only has to review.
//!
//! Rules, not a model: the article is read into sections and paragraphs ([`read`]), each
//! paragraph into sentences and tokens ([`text`]); in each sentence the drafter finds dates
//! ([`dates`]), figures ([`figures`]), names ([`names`]) and countries ([`lexicon`]), then
//! proposes facts with their `source`. What a rule cannot settle (an event type brikg does not
//! know, an agreement without a signatory, a country word that may be a person's name) is
//! written as a commented-out proposal, so the draft always builds. The draft is written by
//! [`write`]; [`score`] compares a draft with a curated file.
//!
//! One pass over the sentences (`document`) asks `mentions`, `agreements`, `events` and
//! `observations` what each sentence says, mints ids (`ids`) and links to the graph ([`link`]);
//! `relink` links a batch's later drafts to its earlier ones. Nothing in the pass reads back
//! over all that came before, so drafting time grows with the document's length
//! (`scripts/bench --draft-sizes`).

mod agreements;
mod byline;
pub mod dates;
mod document;
mod events;
pub mod figures;
mod ids;
pub mod lexicon;
pub mod link;
mod mentions;
pub mod names;
mod observations;
pub mod read;
mod relink;
pub mod score;
pub mod text;
pub mod write;

pub use self::document::draft_document;
pub use self::relink::relink;

use self::figures::Figure;
use self::lexicon::Lexicon;
use self::link::Known;
use self::read::Layout;
use std::collections::{BTreeMap, BTreeSet};

/// Where a proposed fact stands: section index (0-based) and paragraph (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub section: usize,
    pub paragraph: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionDraft {
    pub id: String,
    pub heading: Option<String>,
    pub paragraphs: usize,
}

/// A named thing: an entity, or an organisation when `kind` is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityDraft {
    pub id: String,
    pub kind: Option<String>,
    pub name: String,
    pub alt_names: Vec<String>,
    pub countries: BTreeSet<String>,
    pub place: Place,
    /// Why it is a thing the graph already holds (its id, kind and name are then the graph's).
    pub link: Option<String>,
    /// Known things it might be, for a curator to choose (it is left new).
    pub candidates: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservationDraft {
    pub id: String,
    pub figure: Figure,
    /// An entity, organisation or agreement id, or a country code.
    pub about: String,
    pub measure: String,
    pub place: Place,
    /// The few words it was found in.
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDraft {
    pub id: String,
    pub kind: String,
    pub subject: String,
    pub date: String,
    pub place: Place,
    pub quote: String,
    /// Whether brikg knows the event type; if not, the event is a commented-out proposal.
    pub known: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementDraft {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub signatory: Option<String>,
    /// Why it is a set the graph already holds.
    pub link: Option<String>,
    /// Known sets it might be.
    pub candidates: Vec<String>,
    pub counterparties: Vec<String>,
    /// `examples` ("including …"), `complete` or `none`.
    pub listed: &'static str,
    pub place: Place,
    pub quote: String,
}

/// A draft data file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub source_name: String,
    pub id: String,
    pub title: String,
    pub authors: Vec<String>,
    pub modified: Option<String>,
    pub sections: Vec<SectionDraft>,
    pub entities: Vec<EntityDraft>,
    pub agreements: Vec<AgreementDraft>,
    /// Measure id → label.
    pub measures: BTreeMap<String, String>,
    /// Measure id → why it is a measure the graph already holds.
    pub measure_links: BTreeMap<String, String>,
    /// Measure id → known measures it might be, for a curator to choose.
    pub measure_candidates: BTreeMap<String, Vec<String>>,
    /// Linked organisation id → its kind and country in the graph.
    pub known_organizations: BTreeMap<String, (String, Option<String>)>,
    pub observations: Vec<ObservationDraft>,
    pub events: Vec<EventDraft>,
    /// Every country the article names, by alpha-2 code.
    pub countries: BTreeSet<String>,
    /// Country words the rules could not settle ("Jordan"), with the words around them.
    pub unsure_countries: BTreeMap<String, String>,
    /// The main entity: what figures without a nearer subject are about.
    pub main: Option<String>,
}

/// Drafts the data file of an article saved as `name` (the extension tells the layout), with
/// nothing to link to.
pub fn draft(name: &str, text: &str, lexicon: &Lexicon) -> Draft {
    draft_linked(name, text, lexicon, &Known::default())
}

/// Drafts the data file of an article, linking what it names to what `known` holds.
pub fn draft_linked(name: &str, text: &str, lexicon: &Lexicon, known: &Known) -> Draft {
    let document = read::read(text, Layout::guess(name, text));
    draft_document(name, &document, lexicon, known)
}

/// Adds a name the article uses to a linked entity's other names, unless it is one already.
pub(crate) fn add_alt_name(e: &mut EntityDraft, name: &str) {
    let normal = crate::matching::normal_form(name);
    let has = std::iter::once(&e.name)
        .chain(&e.alt_names)
        .any(|n| crate::matching::normal_form(n) == normal);
    if !has && !normal.is_empty() {
        e.alt_names
            .push(name.trim().trim_start_matches("the ").to_owned());
    }
}
