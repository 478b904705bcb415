//! A draft in a batch, linked to what the batch's earlier drafts minted: the first draft of a
//! thing or measure mints its id, the next ones reuse it, and a new id that an earlier draft
//! took for something else gets another.

use super::ids::Ids;
use super::link::{Known, Link};
use super::observations::first_units;
use super::{add_alt_name, Draft, EntityDraft};
use std::collections::{BTreeMap, HashMap};

/// Links the new things and measures of a draft to those that the earlier drafts of its
/// batch minted (`batch`): by name as [`Known::link_thing`] does, a measure by its label and
/// unit; a new id that an earlier draft took for something else gets another.
pub fn relink(d: &mut Draft, batch: &Known) {
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    for e in d.entities.iter_mut().filter(|e| e.link.is_none()) {
        let mut names: Vec<&str> = vec![e.name.as_str()];
        names.extend(e.alt_names.iter().map(String::as_str));
        if let Link::Sure { index, reason } = batch.link_thing(&names, e.kind.as_deref()) {
            let thing = &batch.things[index];
            renames.insert(e.id.clone(), thing.id.clone());
            let drafted_name = std::mem::take(&mut e.name);
            e.id = thing.id.clone();
            if e.kind.is_some() {
                e.kind = Some(thing.kind.clone());
            }
            e.name = thing.name.clone().unwrap_or_default();
            e.link = Some(format!("{reason}, drafted earlier in this batch"));
            e.candidates.clear();
            add_alt_name(e, &drafted_name);
        }
    }
    // Two drafted names of one thing: one entity, with both names.
    let mut merged: Vec<EntityDraft> = Vec::new();
    let mut merged_index: HashMap<String, usize> = HashMap::new();
    for e in std::mem::take(&mut d.entities) {
        match merged_index.get(&e.id) {
            Some(&i) => {
                for n in std::iter::once(&e.name).chain(&e.alt_names) {
                    add_alt_name(&mut merged[i], n);
                }
            }
            None => {
                merged_index.insert(e.id.clone(), merged.len());
                merged.push(e);
            }
        }
    }
    d.entities = merged;
    let mut taken = Ids::new(batch.things.iter().map(|t| t.id.clone()));
    for e in d.entities.iter_mut().filter(|e| e.link.is_none()) {
        if taken.contains(&e.id) {
            let id = taken.mint(e.id.clone());
            renames.insert(e.id.clone(), id.clone());
            e.id = id;
        }
    }
    let rename = |id: &mut String| {
        if let Some(new) = renames.get(id.as_str()) {
            *id = new.clone();
        }
    };
    for o in &mut d.observations {
        rename(&mut o.about);
    }
    for e in &mut d.events {
        rename(&mut e.subject);
    }
    if let Some(main) = &mut d.main {
        rename(main);
    }

    // Measures: one of an earlier draft with the same label, in the same unit.
    let mut measure_renames: BTreeMap<String, String> = BTreeMap::new();
    let mut taken = Ids::new(batch.measures.keys().cloned());
    let units = first_units(d);
    for (id, label) in &d.measures {
        if d.measure_links.contains_key(id) {
            continue;
        }
        let unit = units.get(id.as_str()).cloned().unwrap_or_default();
        let normal = crate::matching::normal_form(label);
        let same = batch
            .measures
            .values()
            .find(|m| crate::matching::normal_form(&m.label) == normal && m.units.contains(&unit));
        match same {
            Some(m) => {
                measure_renames.insert(id.clone(), m.id.clone());
            }
            None if taken.contains(id) => {
                measure_renames.insert(id.clone(), taken.mint(id.clone()));
            }
            None => {}
        }
    }
    for (old, new) in &measure_renames {
        if let Some(label) = d.measures.remove(old) {
            let label = batch.measure(new).map_or(label, |m| m.label.clone());
            d.measures.insert(new.clone(), label);
        }
        if let Some(c) = d.measure_candidates.remove(old) {
            d.measure_candidates.insert(new.clone(), c);
        }
        if let Some(m) = batch.measure(new) {
            d.measure_links.insert(
                new.clone(),
                format!(
                    "the label {:?} of a measure drafted earlier in this batch ({})",
                    m.label, m.file
                ),
            );
        }
    }
    // Each rename in turn, as the map orders them: a measure renamed to the id of one renamed
    // later is renamed again.
    for o in &mut d.observations {
        let mut after: Option<&String> = None;
        while let Some((old, new)) = measure_renames.get_key_value(&o.measure) {
            if after.is_some_and(|a| old <= a) {
                break;
            }
            after = Some(old);
            o.measure = new.clone();
        }
    }
}
