//! How close a draft is to a curated data file: precision, recall and F1 of the figures (value;
//! value and comparator; value and currency or unit; value and date), of the countries and of
//! the events, and how often a figure's `about` is right.
//!
//! Facts are matched by content, never by id (ids are the curator's choice): a figure by the
//! place it stands (the section's position and the paragraph), its value and its scale; an event
//! by its type and date. Both files are read as plain TOML, so a curated file may use kinds the
//! vocabulary does not know yet.

use super::link::Known;
use crate::error::{DataError, Result};
use crate::matching::normal_form;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use toml::Value;

/// Counts for one measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub matched: usize,
    pub drafted: usize,
    pub curated: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.drafted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.curated)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, other: Counts) {
        self.matched += other.matched;
        self.drafted += other.drafted;
        self.curated += other.curated;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        if a == 0 {
            1.0
        } else {
            0.0
        }
    } else {
        a as f64 / b as f64
    }
}

/// The scores of one draft, or the sum over several.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    pub figure: Counts,
    pub with_comparator: Counts,
    pub with_currency_or_unit: Counts,
    pub with_date: Counts,
    pub countries: Counts,
    pub events: Counts,
    /// Figures matched by value whose `about` is right, of all figures matched by value.
    pub about_right: usize,
    /// Linking, scored when the graph the draft links to is given.
    pub links: Option<Links>,
}

/// How well a draft links to what the graph already holds, against a curated file whose ids
/// are the graph's where it refers to a thing or measure the graph holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Links {
    /// Things (entities, organisations, agreement sets) of the curated file the graph holds,
    /// and how many of them the draft defines under the same id.
    pub existing: usize,
    pub existing_linked: usize,
    /// Links the draft made (ids of things the graph holds), and how many the curated file
    /// makes too.
    pub made: usize,
    pub made_right: usize,
    /// Figures matched by value whose curated measure the graph holds, and how many of them
    /// the draft gives that measure.
    pub measures: usize,
    pub measures_linked: usize,
    /// New things of the curated file (ids the graph does not hold) that the draft names, and
    /// how many of those it linked to a thing the graph holds.
    pub new_found: usize,
    pub new_wrongly_linked: usize,
    /// New things of the curated file, found or not.
    pub new: usize,
}

impl Links {
    fn add(&mut self, o: &Links) {
        self.existing += o.existing;
        self.existing_linked += o.existing_linked;
        self.made += o.made;
        self.made_right += o.made_right;
        self.measures += o.measures;
        self.measures_linked += o.measures_linked;
        self.new_found += o.new_found;
        self.new_wrongly_linked += o.new_wrongly_linked;
        self.new += o.new;
    }

    /// Rows of (what, share, part, whole).
    pub fn rows(&self) -> [(&'static str, f64, usize, usize); 4] {
        [
            (
                "existing things linked",
                ratio(self.existing_linked, self.existing),
                self.existing_linked,
                self.existing,
            ),
            (
                "links right",
                ratio(self.made_right, self.made),
                self.made_right,
                self.made,
            ),
            (
                "measures linked",
                ratio(self.measures_linked, self.measures),
                self.measures_linked,
                self.measures,
            ),
            (
                "new things wrongly linked",
                if self.new_found == 0 {
                    0.0
                } else {
                    self.new_wrongly_linked as f64 / self.new_found as f64
                },
                self.new_wrongly_linked,
                self.new_found,
            ),
        ]
    }
}

impl Score {
    pub fn about(&self) -> f64 {
        ratio(self.about_right, self.figure.matched)
    }

    /// Sums the counts of several drafts (micro-averaged scores).
    pub fn add(&mut self, other: &Score) {
        self.figure.add(other.figure);
        self.with_comparator.add(other.with_comparator);
        self.with_currency_or_unit.add(other.with_currency_or_unit);
        self.with_date.add(other.with_date);
        self.countries.add(other.countries);
        self.events.add(other.events);
        self.about_right += other.about_right;
        if let Some(o) = &other.links {
            self.links.get_or_insert_with(Links::default).add(o);
        }
    }

    /// Rows of (what, counts).
    pub fn rows(&self) -> [(&'static str, Counts); 6] {
        [
            ("figure value", self.figure),
            ("value + comparator", self.with_comparator),
            ("value + currency or unit", self.with_currency_or_unit),
            ("value + reference date", self.with_date),
            ("countries", self.countries),
            ("events", self.events),
        ]
    }

    /// A table for people.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<26} {:>9} {:>6} {:>7} {:>9} {:>6}",
            "", "precision", "recall", "F1", "matched", "of"
        );
        for (name, c) in self.rows() {
            let _ = writeln!(
                out,
                "{name:<26} {:>9.3} {:>6.3} {:>7.3} {:>4}/{:<4} {:>6}",
                c.precision(),
                c.recall(),
                c.f1(),
                c.matched,
                c.drafted,
                c.curated
            );
        }
        let _ = writeln!(
            out,
            "{:<26} {:>9.3} ({} of {} figures matched by value)",
            "about right",
            self.about(),
            self.about_right,
            self.figure.matched
        );
        if let Some(links) = &self.links {
            for (name, share, part, whole) in links.rows() {
                let _ = writeln!(out, "{name:<26} {share:>9.3} ({part} of {whole})");
            }
        }
        out
    }

    /// The scores as JSON.
    pub fn json(&self) -> String {
        let mut parts = Vec::new();
        for (name, c) in self.rows() {
            parts.push(format!(
                "\"{}\":{{\"precision\":{:.4},\"recall\":{:.4},\"f1\":{:.4},\"matched\":{},\"drafted\":{},\"curated\":{}}}",
                name.replace(" + ", "_").replace(' ', "_"),
                c.precision(),
                c.recall(),
                c.f1(),
                c.matched,
                c.drafted,
                c.curated
            ));
        }
        parts.push(format!(
            "\"about_right\":{{\"share\":{:.4},\"right\":{},\"of\":{}}}",
            self.about(),
            self.about_right,
            self.figure.matched
        ));
        if let Some(links) = &self.links {
            for (name, share, part, whole) in links.rows() {
                parts.push(format!(
                    "\"{}\":{{\"share\":{share:.4},\"part\":{part},\"of\":{whole}}}",
                    name.replace(' ', "_")
                ));
            }
        }
        format!("{{{}}}", parts.join(","))
    }
}

/// One figure of a data file, as scored.
#[derive(Debug, Clone, PartialEq)]
struct Fig {
    place: (usize, i64),
    value: String,
    scale: String,
    comparator: String,
    currency_or_unit: String,
    date: (String, String),
    about: String,
    measure: String,
}

/// A data file read for scoring.
struct Facts {
    figures: Vec<Fig>,
    countries: BTreeSet<String>,
    events: Vec<(String, String)>,
    /// Id → the names it goes by (lowercase), for entities and organisations.
    names: BTreeMap<String, Vec<String>>,
    /// Agreement id → its place.
    agreements: BTreeMap<String, (usize, i64)>,
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Integer(i)) => i.to_string(),
        Some(Value::Float(f)) => f.to_string(),
        _ => String::new(),
    }
}

/// A decimal's canonical text: `1.90` and `1.9` are the same figure.
fn canonical(value: &str) -> String {
    let v = value.trim().replace(',', "");
    if v.contains('.') {
        let v = v.trim_end_matches('0').trim_end_matches('.');
        v.to_owned()
    } else {
        v
    }
}

fn array<'a>(doc: &'a Value, key: &str) -> Vec<&'a Value> {
    doc.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn is_country_code(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn read_facts(name: &str, text: &str) -> Result<Facts> {
    let doc: Value = toml::from_str(text).map_err(|e| {
        DataError::at(
            name,
            text,
            e.span().map_or(0, |s| s.start),
            None,
            e.message().to_owned(),
        )
    })?;
    let sections: Vec<String> = array(&doc, "sections")
        .iter()
        .map(|s| text_of(s.get("id")))
        .collect();
    let place = |v: &Value| -> (usize, i64) {
        let source = v.get("source");
        let section = text_of(source.and_then(|s| s.get("section")));
        let paragraph = source
            .and_then(|s| s.get("paragraph"))
            .and_then(Value::as_integer)
            .unwrap_or(0);
        (
            sections
                .iter()
                .position(|s| *s == section)
                .unwrap_or(usize::MAX),
            paragraph,
        )
    };
    let figures = array(&doc, "observations")
        .iter()
        .map(|o| Fig {
            place: place(o),
            value: canonical(&text_of(o.get("value"))),
            scale: text_of(o.get("scale")),
            comparator: text_of(o.get("comparator")),
            currency_or_unit: format!("{}|{}", text_of(o.get("currency")), text_of(o.get("unit"))),
            date: (text_of(o.get("as_of")), text_of(o.get("period"))),
            about: text_of(o.get("about")),
            measure: text_of(o.get("measure")),
        })
        .collect();
    let events = array(&doc, "events")
        .iter()
        .map(|e| (text_of(e.get("kind")), text_of(e.get("date"))))
        .collect();
    let mut names = BTreeMap::new();
    for e in array(&doc, "entities")
        .into_iter()
        .chain(array(&doc, "organizations"))
        .chain(array(&doc, "agreements"))
    {
        let mut all: Vec<String> = vec![text_of(e.get("name"))];
        for alt in e
            .get("alt_names")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            all.push(text_of(Some(alt)));
        }
        let all = all
            .into_iter()
            .filter(|n| !n.is_empty())
            .map(|n| n.to_lowercase().trim_start_matches("the ").to_owned())
            .collect();
        names.insert(text_of(e.get("id")), all);
    }
    let agreements = array(&doc, "agreements")
        .iter()
        .map(|a| (text_of(a.get("id")), place(a)))
        .collect();
    // The countries the file says the article mentions, else every code it refers to.
    let listed = text.lines().find_map(|l| {
        l.trim().strip_prefix("# countries:").map(|rest| {
            rest.split(',')
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect::<BTreeSet<_>>()
        })
    });
    let countries = listed.unwrap_or_else(|| {
        let mut codes = BTreeSet::new();
        collect_codes(&doc, &mut codes);
        codes
    });
    Ok(Facts {
        figures,
        countries,
        events,
        names,
        agreements,
    })
}

/// Every country code a data file refers to in the fields that hold one.
fn collect_codes(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Table(t) => {
            for (k, v) in t {
                let holds_code = matches!(
                    k.as_str(),
                    "located_in" | "established_by" | "country" | "signatory" | "about"
                );
                match v {
                    Value::String(s) if holds_code && is_country_code(s) => {
                        out.insert(s.clone());
                    }
                    Value::Array(a) if holds_code => {
                        for s in a.iter().filter_map(Value::as_str) {
                            if is_country_code(s) {
                                out.insert(s.to_owned());
                            }
                        }
                    }
                    other => collect_codes(other, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_codes(v, out)),
        _ => {}
    }
}

/// Greedy one-to-one matching of curated to drafted items under `same`.
fn count<T>(
    drafted: &[T],
    curated: &[T],
    same: impl Fn(&T, &T) -> bool,
) -> (Counts, Vec<(usize, usize)>) {
    let mut used = vec![false; drafted.len()];
    let mut pairs = Vec::new();
    for (c, item) in curated.iter().enumerate() {
        if let Some(d) = (0..drafted.len()).find(|d| !used[*d] && same(&drafted[*d], item)) {
            used[d] = true;
            pairs.push((d, c));
        }
    }
    (
        Counts {
            matched: pairs.len(),
            drafted: drafted.len(),
            curated: curated.len(),
        },
        pairs,
    )
}

/// Scores the draft `drafted` against the curated file `curated` (name, text each); with the
/// graph the draft linked to, its links too.
pub fn score(drafted: (&str, &str), curated: (&str, &str), known: Option<&Known>) -> Result<Score> {
    let d = read_facts(drafted.0, drafted.1)?;
    let c = read_facts(curated.0, curated.1)?;
    let base = |a: &Fig, b: &Fig| a.place == b.place && a.value == b.value && a.scale == b.scale;
    let (figure, pairs) = count(&d.figures, &c.figures, base);
    let (with_comparator, _) = count(&d.figures, &c.figures, |a, b| {
        base(a, b) && a.comparator == b.comparator
    });
    let (with_currency_or_unit, _) = count(&d.figures, &c.figures, |a, b| {
        base(a, b) && a.currency_or_unit == b.currency_or_unit
    });
    let (with_date, _) = count(&d.figures, &c.figures, |a, b| {
        base(a, b) && a.date == b.date
    });
    let drafted_countries: Vec<String> = d.countries.iter().cloned().collect();
    let curated_countries: Vec<String> = c.countries.iter().cloned().collect();
    let (countries, _) = count(&drafted_countries, &curated_countries, |a, b| a == b);
    let (events, _) = count(&d.events, &c.events, |a, b| a == b);
    let about_right = pairs
        .iter()
        .filter(|(di, ci)| {
            let (a, b) = (&d.figures[*di].about, &c.figures[*ci].about);
            if is_country_code(a) || is_country_code(b) {
                return a == b;
            }
            if let (Some(pa), Some(pb)) = (d.agreements.get(a), c.agreements.get(b)) {
                return pa == pb;
            }
            match (d.names.get(a), c.names.get(b)) {
                (Some(na), Some(nb)) => na.iter().any(|n| nb.contains(n)),
                _ => false,
            }
        })
        .count();
    let links = known.map(|known| {
        let holds = |id: &str| known.thing(id).is_some();
        let mut l = Links::default();
        for id in c.names.keys() {
            if holds(id) {
                l.existing += 1;
                if d.names.contains_key(id) {
                    l.existing_linked += 1;
                }
            } else {
                l.new += 1;
                // The draft's thing of the same name, if it names one.
                let curated_names: Vec<String> =
                    c.names[id].iter().map(|n| normal_form(n)).collect();
                let drafted = d.names.iter().find(|(_, names)| {
                    names
                        .iter()
                        .any(|n| curated_names.contains(&normal_form(n)))
                });
                if let Some((drafted_id, _)) = drafted {
                    l.new_found += 1;
                    if holds(drafted_id) {
                        l.new_wrongly_linked += 1;
                    }
                }
            }
        }
        for id in d.names.keys().filter(|id| holds(id)) {
            l.made += 1;
            if c.names.contains_key(id) {
                l.made_right += 1;
            }
        }
        for (di, ci) in &pairs {
            let curated_measure = &c.figures[*ci].measure;
            if known.measure(curated_measure).is_some() {
                l.measures += 1;
                if &d.figures[*di].measure == curated_measure {
                    l.measures_linked += 1;
                }
            }
        }
        l
    });
    Ok(Score {
        figure,
        with_comparator,
        with_currency_or_unit,
        with_date,
        countries,
        events,
        about_right,
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CURATED: &str = r#"
# countries: CN, TZ
[article]
id = "a"
[[sections]]
id = "lead"
[[entities]]
id = "port"
name = "Nkalora Deepwater Port"
[[observations]]
id = "x"
about = "port"
value = 1.9
scale = "million"
unit = "TEU"
comparator = "approximately"
as_of = "2024"
source = { section = "lead", paragraph = 1 }
[[observations]]
id = "y"
about = "port"
value = 12
comparator = "exactly"
source = { section = "lead", paragraph = 1 }
[[events]]
kind = "start-of-operation"
date = "2021-09"
"#;

    #[test]
    fn figures_match_by_place_value_and_scale_and_each_field_counts_apart() {
        let drafted = r#"
# countries: CN, KE
[article]
id = "b"
[[sections]]
id = "opening"
[[entities]]
id = "nkalora-deepwater-port"
name = "Nkalora Deepwater Port"
[[observations]]
about = "nkalora-deepwater-port"
value = "1.90"
scale = "million"
unit = "TEU"
comparator = "exactly"
as_of = "2024"
source = { section = "opening", paragraph = 1 }
[[observations]]
about = "TZ"
value = 3
comparator = "exactly"
source = { section = "opening", paragraph = 1 }
"#;
        let s = score(("d", drafted), ("c", CURATED), None).unwrap();
        assert_eq!(
            s.figure,
            Counts {
                matched: 1,
                drafted: 2,
                curated: 2
            }
        );
        assert_eq!(s.with_comparator.matched, 0);
        assert_eq!(s.with_currency_or_unit.matched, 1);
        assert_eq!(s.with_date.matched, 1);
        assert_eq!(
            s.countries,
            Counts {
                matched: 1,
                drafted: 2,
                curated: 2
            }
        );
        assert_eq!(
            s.events,
            Counts {
                matched: 0,
                drafted: 0,
                curated: 1
            }
        );
        assert_eq!(s.about_right, 1);
        assert_eq!(s.figure.f1(), 0.5);
    }
}
