//! A draft written as a data file: the format of `data/articles/*.toml`, with a comment on
//! every proposed fact quoting the few words it was found in, and what the rules could not
//! settle written as commented-out proposals.

use super::{Draft, Place};
use std::fmt::Write as _;

fn string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn strings(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| string(s)).collect();
    format!("[{}]", parts.join(", "))
}

fn source(draft: &Draft, place: Place) -> String {
    format!(
        "source = {{ section = {}, paragraph = {} }}",
        string(&draft.sections[place.section].id),
        place.paragraph
    )
}

/// A comment line quoting a few words (never a whole sentence: see `text::quote`).
fn quoted(words: &str) -> String {
    format!("# \"{}\"", words.replace('\n', " "))
}

/// The draft as the text of a data file.
pub fn to_toml(draft: &Draft) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "# Drafted by `brikg draft` from {}. Every fact below is a proposal of rules, not a\n\
         # reading: check each against the article, above all `about` and `measure`, which are\n\
         # best guesses. Commented-out blocks are proposals the rules were unsure of.",
        draft.source_name
    );
    let codes: Vec<&str> = draft.countries.iter().map(String::as_str).collect();
    let _ = writeln!(w, "#\n# countries: {}", codes.join(", "));
    for (code, words) in &draft.unsure_countries {
        if !draft.countries.contains(code) {
            let _ = writeln!(w, "# country to check: {code}? \"{words}\"");
        }
    }
    let _ = writeln!(w, "\n[article]");
    let _ = writeln!(w, "id = {}", string(&draft.id));
    let _ = writeln!(w, "title = {}", string(&draft.title));
    let _ = writeln!(w, "authors = {}", strings(&draft.authors));
    match &draft.modified {
        Some(m) => {
            let _ = writeln!(w, "modified = {}", string(m));
        }
        None => {
            let _ = writeln!(w, "modified = \"\" # the byline gives no date: write it");
        }
    }
    let _ = writeln!(w, "language = \"en\"");
    if let Some(main) = &draft.main {
        let _ = writeln!(w, "about = [{}]", string(main));
    }

    for s in &draft.sections {
        let _ = writeln!(w, "\n[[sections]]");
        let _ = writeln!(w, "id = {}", string(&s.id));
        if let Some(heading) = &s.heading {
            let _ = writeln!(
                w,
                "# theme = \"…\" (the heading, {} words, restated in your words)",
                heading.split_whitespace().count()
            );
        }
        let _ = writeln!(w, "paragraphs = {}", s.paragraphs);
    }

    if !draft.entities.is_empty() {
        let _ = writeln!(
            w,
            "\n# {}\n# The things the facts are about.",
            "-".repeat(87)
        );
    }
    for e in draft.entities.iter().filter(|e| e.kind.is_some()) {
        let _ = writeln!(w);
        link_comments(w, e.link.as_deref(), &e.candidates, "thing");
        let _ = writeln!(w, "[[entities]]");
        let _ = writeln!(w, "id = {}", string(&e.id));
        if e.link.is_some() {
            let _ = writeln!(
                w,
                "kind = {}",
                string(e.kind.as_deref().unwrap_or_default())
            );
        } else {
            let _ = writeln!(
                w,
                "kind = {} # from the last word of its name: check",
                string(e.kind.as_deref().unwrap_or_default())
            );
        }
        let _ = writeln!(w, "name = {}", string(&e.name));
        if !e.alt_names.is_empty() {
            let _ = writeln!(w, "alt_names = {}", strings(&e.alt_names));
        }
        if !e.countries.is_empty() {
            let codes: Vec<String> = e.countries.iter().cloned().collect();
            let _ = writeln!(
                w,
                "located_in = {} # named in the same sentence: check",
                strings(&codes)
            );
        }
        let _ = writeln!(w, "{}", source(draft, e.place));
    }
    for e in draft.entities.iter().filter(|e| e.kind.is_none()) {
        let _ = writeln!(w);
        link_comments(w, e.link.as_deref(), &e.candidates, "organization");
        let _ = writeln!(w, "[[organizations]]");
        let _ = writeln!(w, "id = {}", string(&e.id));
        match e.link.as_ref().and(draft.known_organizations.get(&e.id)) {
            Some((kind, country)) => {
                let _ = writeln!(w, "kind = {}", string(kind));
                if !e.name.is_empty() {
                    let _ = writeln!(w, "name = {}", string(&e.name));
                }
                if let Some(c) = country {
                    let _ = writeln!(w, "country = {}", string(c));
                }
            }
            None => {
                let _ = writeln!(w, "kind = \"other\"");
                let _ = writeln!(w, "name = {}", string(&e.name));
            }
        }
        if !e.alt_names.is_empty() {
            let _ = writeln!(w, "alt_names = {}", strings(&e.alt_names));
        }
        let _ = writeln!(w, "{}", source(draft, e.place));
    }
    let mut governments: Vec<&String> = draft
        .agreements
        .iter()
        .filter(|a| a.signatory.is_some())
        .flat_map(|a| &a.counterparties)
        .collect();
    governments.sort();
    governments.dedup();
    for code in &governments {
        let _ = writeln!(w, "\n[[organizations]]");
        let _ = writeln!(w, "id = \"government-{}\"", code.to_lowercase());
        let _ = writeln!(
            w,
            "kind = \"other\" # the article names the country: check who signed"
        );
        let _ = writeln!(w, "country = {}", string(code));
    }

    if !draft.measures.is_empty() {
        let _ = writeln!(
            w,
            "\n# {}\n# What is measured: labels are the words next to each figure.",
            "-".repeat(87)
        );
        let _ = writeln!(w, "\n[measures]");
        for (id, label) in &draft.measures {
            if let Some(reason) = draft.measure_links.get(id) {
                let _ = writeln!(w, "# linked: {reason}");
            }
            if let Some(candidates) = draft.measure_candidates.get(id) {
                let _ = writeln!(
                    w,
                    "# review: may be a measure the graph holds: {} (to link, use its id and label)",
                    candidates.join(", ")
                );
            }
            let _ = writeln!(w, "{} = {{ label = {} }}", bare_key(id), string(label));
        }
    }

    for a in &draft.agreements {
        let _ = writeln!(w);
        let _ = writeln!(w, "{}", quoted(&a.quote));
        link_comments(w, a.link.as_deref(), &a.candidates, "agreement set");
        let prefix = if a.signatory.is_some() {
            ""
        } else {
            let _ = writeln!(
                w,
                "# No signatory named before \"signed\": fill it in to keep this."
            );
            "# "
        };
        let _ = writeln!(w, "{prefix}[[agreements]]");
        let _ = writeln!(w, "{prefix}id = {}", string(&a.id));
        let _ = writeln!(w, "{prefix}kind = {}", string(&a.kind));
        let _ = writeln!(w, "{prefix}name = {}", string(&a.name));
        let _ = writeln!(
            w,
            "{prefix}signatory = {}",
            string(a.signatory.as_deref().unwrap_or("XX"))
        );
        if !a.counterparties.is_empty() {
            let _ = writeln!(w, "{prefix}counterparty_types = [\"country\"]");
            let ids: Vec<String> = a
                .counterparties
                .iter()
                .map(|c| format!("government-{}", c.to_lowercase()))
                .collect();
            let _ = writeln!(w, "{prefix}counterparties = {}", strings(&ids));
        }
        let _ = writeln!(w, "{prefix}counterparties_listed = {}", string(a.listed));
        let _ = writeln!(w, "{prefix}fields_listed = \"none\"");
        let _ = writeln!(w, "{prefix}{}", source(draft, a.place));
    }

    if !draft.observations.is_empty() {
        let _ = writeln!(
            w,
            "\n# {}\n# Statistics: value, scale, currency or unit, comparator and date as the rules read\n\
             # them; `about` is the nearest thing named before the figure.",
            "-".repeat(87)
        );
    }
    for o in &draft.observations {
        let f = &o.figure;
        let _ = writeln!(w);
        let _ = writeln!(w, "{}", quoted(&o.quote));
        // A count is whole: a fractional figure with no unit lacks the unit the rules missed.
        let prefix = if f.currency.is_none()
            && f.unit.is_none()
            && !whole(&f.value, f.scale.as_deref())
        {
            let _ = writeln!(
                w,
                "# A count must be a whole number: give this figure its unit (unit = \"km2\", say) or currency to keep it."
            );
            "# "
        } else {
            ""
        };
        let _ = writeln!(w, "{prefix}[[observations]]");
        let _ = writeln!(w, "{prefix}id = {}", string(&o.id));
        let _ = writeln!(w, "{prefix}about = {} # check", string(&o.about));
        if draft.measure_links.contains_key(&o.measure) {
            let _ = writeln!(
                w,
                "{prefix}measure = {} # linked: see [measures]",
                string(&o.measure)
            );
        } else {
            let _ = writeln!(w, "{prefix}measure = {} # check", string(&o.measure));
        }
        let value = if f.value.contains('.') {
            // Decimal text, so no binary float touches the figure.
            string(&f.value)
        } else {
            f.value.clone()
        };
        let _ = writeln!(w, "{prefix}value = {value}");
        if let Some(s) = &f.scale {
            let _ = writeln!(w, "{prefix}scale = {}", string(s));
        }
        if let Some(c) = &f.currency {
            let _ = writeln!(w, "{prefix}currency = {}", string(c));
        }
        if let Some(u) = &f.unit {
            let _ = writeln!(w, "{prefix}unit = {}", string(u));
        }
        let _ = writeln!(w, "{prefix}comparator = {}", string(&f.comparator));
        if let Some(a) = &f.as_of {
            let _ = writeln!(w, "{prefix}as_of = {}", string(a));
        }
        if let Some(p) = &f.period {
            let _ = writeln!(w, "{prefix}period = {}", string(p));
        }
        let _ = writeln!(w, "{prefix}{}", source(draft, o.place));
    }

    if !draft.events.is_empty() {
        let _ = writeln!(w, "\n# {}\n# Dated events.", "-".repeat(87));
    }
    for e in &draft.events {
        let _ = writeln!(w);
        let _ = writeln!(w, "{}", quoted(&e.quote));
        let prefix = if e.known {
            ""
        } else {
            let _ = writeln!(
                w,
                "# brikg has no event type {:?}: declare it in vocabulary/*.toml to keep this.",
                e.kind
            );
            "# "
        };
        let _ = writeln!(w, "{prefix}[[events]]");
        let _ = writeln!(w, "{prefix}id = {}", string(&e.id));
        let _ = writeln!(w, "{prefix}kind = {}", string(&e.kind));
        let _ = writeln!(w, "{prefix}subject = {} # check", string(&e.subject));
        let _ = writeln!(w, "{prefix}date = {}", string(&e.date));
        let _ = writeln!(w, "{prefix}{}", source(draft, e.place));
    }
    out
}

/// Whether a figure as written is a whole number once its scale is applied ("1.9" million is,
/// "14.5" is not).
fn whole(value: &str, scale: Option<&str>) -> bool {
    let exponent = match scale {
        Some("thousand") => 3,
        Some("million") => 6,
        Some("billion") => 9,
        Some("trillion") => 12,
        _ => 0,
    };
    let decimals = value
        .split_once('.')
        .map_or(0, |(_, frac)| frac.trim_end_matches('0').len());
    decimals <= exponent
}

/// The comment lines that say why a thing is one the graph holds, or which it might be.
fn link_comments(w: &mut String, link: Option<&str>, candidates: &[String], noun: &str) {
    if let Some(reason) = link {
        let _ = writeln!(w, "# linked: {reason}");
    }
    if !candidates.is_empty() {
        let _ = writeln!(
            w,
            "# review: a new {noun}, or one the graph holds: {} (to link, use its id, kind and name)",
            candidates.join(", ")
        );
    }
}

fn bare_key(id: &str) -> String {
    if !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        id.to_owned()
    } else {
        string(id)
    }
}
