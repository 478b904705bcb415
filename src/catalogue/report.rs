//! What a build tells a curator about what articles define together: a disagreement as an
//! error at both files' lines and columns ([`conflict_error`]), likely duplicates as warnings
//! (or, with `--duplicates error`, the build's error) with where each id is defined and the fix
//! ([`duplicate_messages`]); and the gathering of a whole corpus's definitions as its articles
//! stream past ([`Gathering`]), shared by a full build and an export without a store.

use super::{Aspect, Catalogue, Conflict, Definer, Definition, Duplicate};
use crate::dataset::{ArticleSource, Foundation};
use crate::error::{DataError, Error, Result};
use crate::iris::{Iris, Shared};
use crate::mapping::Reference;
use crate::model::ArticleFile;
use oxrdf::Quad;
use std::collections::BTreeMap;

/// What likely duplicates (one name or identifier under two ids) do to a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DuplicateCheck {
    /// Print them as warnings and build.
    #[default]
    Warn,
    /// Refuse the build: for a curated dataset's CI.
    Error,
    /// Say nothing.
    Off,
}

/// The definitions of one mapped article, taken on the mapping thread.
pub type Definitions = (Option<Definer>, BTreeMap<(Shared, String), Definition>);

/// The IRI prefixes of the identifier schemes the catalogue tells apart.
pub fn new_catalogue(reference: &Reference) -> Catalogue {
    Catalogue::new(
        reference
            .vocabulary
            .schemes()
            .map(|s| s.prefix().to_owned())
            .collect(),
    )
}

/// Definitions gathered while a full build streams its articles.
pub struct Gathering {
    pub catalogue: Catalogue,
    /// Each article's source index, to point at files in messages.
    articles: BTreeMap<String, usize>,
}

impl Gathering {
    pub fn new(reference: &Reference) -> Self {
        Gathering {
            catalogue: new_catalogue(reference),
            articles: BTreeMap::new(),
        }
    }

    /// Adds the definitions of the article of source `i`.
    pub fn add(&mut self, i: usize, definitions: Definitions) {
        let (definer, definitions) = definitions;
        let definer = definer.unwrap_or(Definer {
            modified: String::new(),
            article: String::new(),
        });
        self.articles.insert(definer.article.clone(), i);
        self.catalogue.add(&definer, definitions);
    }

    /// Refuses a disagreement, then says what looks duplicated; returns the things graph's
    /// quads and the warnings.
    pub fn finish(
        self,
        sources: &[ArticleSource],
        foundation: &Foundation,
        iris: &Iris,
        check: DuplicateCheck,
    ) -> Result<(Vec<Quad>, Vec<String>)> {
        let file_of = |article: &str| self.articles.get(article).map(|&i| &sources[i]);
        if let Some(conflict) = self.catalogue.conflict() {
            return Err(conflict_error(&conflict, &file_of, &foundation.reference));
        }
        let warnings = match check {
            DuplicateCheck::Off => Vec::new(),
            _ => duplicate_messages(&self.catalogue.duplicates(None), &file_of),
        };
        if check == DuplicateCheck::Error && !warnings.is_empty() {
            return Err(duplicates_error(&warnings));
        }
        Ok((self.catalogue.quads(iris), warnings))
    }
}

/// The error of a build refused for likely duplicates.
pub fn duplicates_error(warnings: &[String]) -> Error {
    let more = match warnings.len() {
        1 => String::new(),
        n => format!(" (and {} more; see them with --duplicates warn)", n - 1),
    };
    Error::Usage(format!("{}{more}", warnings[0]))
}

/// Where an article's definition of a resource stands, and the field that says `aspect`.
struct Place {
    file: String,
    text: String,
    offset: usize,
    field: String,
}

fn locate(
    source: &ArticleSource,
    kind: Shared,
    id: &str,
    aspect: Option<&Aspect>,
    reference: Option<&Reference>,
) -> Option<Place> {
    let file = source.read().ok()?;
    let parsed: ArticleFile = toml::from_str(&file.text).ok()?;
    let scheme_of = |prefix: &str| -> String {
        reference
            .and_then(|r| r.vocabulary.schemes().find(|s| s.prefix() == prefix))
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let (offset, field) = match kind {
        Shared::Entity => {
            let (i, e) = parsed
                .entities
                .iter()
                .enumerate()
                .find(|(_, e)| e.id.get_ref() == id)?;
            match aspect {
                Some(Aspect::Kind) => (e.kind.span().start, format!("entities[{i}].kind")),
                Some(Aspect::Identifier(p)) => {
                    let scheme = scheme_of(p);
                    let span = e.identifiers.get(&scheme).map_or(e.id.span(), |v| v.span());
                    (span.start, format!("entities[{i}].identifiers.{scheme}"))
                }
                _ => (e.id.span().start, format!("entities[{i}].id")),
            }
        }
        Shared::Organization => {
            let (i, o) = parsed
                .organizations
                .iter()
                .enumerate()
                .find(|(_, o)| o.id.get_ref() == id)?;
            match aspect {
                Some(Aspect::Kind) => (o.kind.span().start, format!("organizations[{i}].kind")),
                Some(Aspect::Country) => (
                    o.country.as_ref().map_or(o.id.span(), |c| c.span()).start,
                    format!("organizations[{i}].country"),
                ),
                Some(Aspect::Identifier(p)) => {
                    let scheme = scheme_of(p);
                    let span = o.identifiers.get(&scheme).map_or(o.id.span(), |v| v.span());
                    (
                        span.start,
                        format!("organizations[{i}].identifiers.{scheme}"),
                    )
                }
                _ => (o.id.span().start, format!("organizations[{i}].id")),
            }
        }
        Shared::Agreement => {
            let (i, a) = parsed
                .agreements
                .iter()
                .enumerate()
                .find(|(_, a)| a.id.get_ref() == id)?;
            match aspect {
                Some(Aspect::Kind) => (a.kind.span().start, format!("agreements[{i}].kind")),
                Some(Aspect::Signatory) => (
                    a.signatory.span().start,
                    format!("agreements[{i}].signatory"),
                ),
                Some(Aspect::Identifier(p)) => {
                    let scheme = scheme_of(p);
                    let span = a.identifiers.get(&scheme).map_or(a.id.span(), |v| v.span());
                    (span.start, format!("agreements[{i}].identifiers.{scheme}"))
                }
                _ => (a.id.span().start, format!("agreements[{i}].id")),
            }
        }
        Shared::Measure | Shared::Field => {
            let map = if kind == Shared::Measure {
                &parsed.measures
            } else {
                &parsed.fields
            };
            let concept = map.get(id)?;
            let table = kind.table();
            match aspect {
                Some(Aspect::Unit) => (
                    concept
                        .get_ref()
                        .unit
                        .as_ref()
                        .map_or(concept.span(), |u| u.span())
                        .start,
                    format!("{table}.{id}.unit"),
                ),
                Some(Aspect::Label(_)) => (
                    concept.get_ref().label.span().start,
                    format!("{table}.{id}.label"),
                ),
                _ => (concept.span().start, format!("{table}.{id}")),
            }
        }
    };
    Some(Place {
        file: file.name,
        text: file.text,
        offset,
        field,
    })
}

impl Place {
    /// `file:line:column`.
    fn at(&self) -> String {
        let (line, column) = crate::error::line_column(&self.text, self.offset);
        format!("{}:{line}:{column}", self.file)
    }
}

/// A value of an aspect as a curator wrote it: a kind's or unit's name, a country's code.
fn shown(aspect: &Aspect, value: &str, reference: &Reference) -> String {
    match aspect {
        Aspect::Kind => reference
            .vocabulary
            .kind_of_class(value)
            .map_or_else(|| value.to_owned(), |k| format!("{k:?}")),
        Aspect::Country | Aspect::Signatory => {
            format!("{:?}", value.rsplit('/').next().unwrap_or(value))
        }
        Aspect::Unit => reference
            .vocabulary
            .unit_of_iri(value)
            .map_or_else(|| value.to_owned(), |u| format!("{u:?}")),
        Aspect::Label(_) => format!("{value:?}"),
        Aspect::Identifier(_) => format!("<{value}>"),
    }
}

/// The error for two articles that define one id differently: at the later article's field,
/// naming the earlier one's place.
pub fn conflict_error<'s>(
    conflict: &Conflict,
    file_of: &dyn Fn(&str) -> Option<&'s ArticleSource>,
    reference: &Reference,
) -> Error {
    let Conflict {
        kind,
        id,
        aspect,
        first,
        second,
    } = conflict;
    let place = |article: &str| {
        file_of(article).and_then(|s| locate(s, *kind, id, Some(aspect), Some(reference)))
    };
    let noun = aspect.noun();
    let advice = match aspect {
        Aspect::Label(_) => format!(
            "a {} has one label in every article: write the same label in both, and other wordings in alt_labels",
            kind.noun()
        ),
        _ => format!(
            "one id names one {} in every article: give it the same {noun} in both, or give one of them an id of its own",
            kind.noun()
        ),
    };
    let earlier = match place(&first.0) {
        Some(p) => format!("{} ({})", p.at(), p.field),
        None => format!("the article {:?}", first.0),
    };
    let message = format!(
        "{id:?} has the {noun} {} here but {} in {earlier}; {advice}",
        shown(aspect, &second.1, reference),
        shown(aspect, &first.1, reference),
    );
    match place(&second.0) {
        Some(p) => DataError::at(&p.file, &p.text, p.offset, Some(p.field), message).into(),
        None => DataError::file(&format!("the article {:?}", second.0), message).into(),
    }
}

/// One line per likely duplicate, with where each id is defined and the fix.
pub fn duplicate_messages<'s>(
    duplicates: &[Duplicate],
    file_of: &dyn Fn(&str) -> Option<&'s ArticleSource>,
) -> Vec<String> {
    duplicates
        .iter()
        .map(|d| {
            // A few ids, the kept one first; the rest counted.
            const SHOWN: usize = 4;
            let mut ids: Vec<&(String, String, usize)> = d.ids.iter().collect();
            ids.sort_by_key(|(id, _, _)| id != &d.keep);
            let hidden = ids.len().saturating_sub(SHOWN);
            let described: Vec<String> = ids
                .into_iter()
                .take(SHOWN)
                .map(|(id, first, count)| {
                    let first = first.as_str();
                    let kind = d.kind;
                    let at = file_of(first)
                        .and_then(|s| {
                            [kind, Shared::Organization, Shared::Agreement]
                                .into_iter()
                                .find_map(|k| locate(s, k, id, None, None))
                        })
                        .map_or_else(|| format!("article {first:?}"), |p| p.at());
                    let more = match count {
                        0 | 1 => String::new(),
                        n => format!(" and {} more articles", n - 1),
                    };
                    format!("{id:?} ({at}{more})")
                })
                .collect();
            let keep = &d.keep;
            let what = if d.by_identifier {
                format!("share the identifier <{}>", d.key)
            } else {
                format!("have names that read alike ({:?})", d.key)
            };
            let noun = match d.kind {
                Shared::Measure => "measure",
                Shared::Field => "field",
                _ => "thing",
            };
            let mut listed = described.join(" and ");
            if hidden > 0 {
                listed.push_str(&format!(" and {hidden} more ids"));
            }
            format!(
                "likely duplicates: {listed} {what}; if they are one {noun}, use the id {keep:?} in every file, else tell them apart by name"
            )
        })
        .collect()
}
