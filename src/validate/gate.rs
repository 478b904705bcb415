//! The SHACL gate of a build: each article is checked against the shapes as soon as it is
//! mapped, on the mapping thread, together with the ontology and the reference data, so a
//! violating article never reaches the store (or, with `--shacl warn`, is reported).

use super::Context;
use crate::dataset::{ArticleSource, Foundation};
use crate::error::{DataError, Error, Result};
use crate::mapping::ArticleGraph;
use crate::pipeline::ArticleCheck;
use crate::shacl::{graph_of, short, Shapes, Violation};
use oxrdf::{Quad, TripleRef};
use std::sync::Mutex;

/// What a build does when a mapped article violates the SHACL shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShaclMode {
    /// Refuse the build (the default).
    #[default]
    Enforce,
    /// Build anyway, reporting the violations as warnings.
    Warn,
    /// Do not check.
    Off,
}

/// Checks each mapped article against the shapes, with the ontology and the reference data.
pub struct Checker {
    shapes: Shapes,
    context: Context,
    mode: ShaclMode,
    warnings: Mutex<Vec<String>>,
}

impl Checker {
    /// The gate for a build in `mode`; `None` when the check is off.
    pub fn new(foundation: &Foundation, mode: ShaclMode) -> Result<Option<Self>> {
        if mode == ShaclMode::Off {
            return Ok(None);
        }
        let graph = |quads: &[Quad]| graph_of(quads.iter().map(|q| TripleRef::from(q.as_ref())));
        Ok(Some(Checker {
            shapes: Shapes::bundled()?,
            // The declared kinds are classes too: read with the ontology.
            context: Context::new(
                graph(
                    &foundation
                        .ontology_quads
                        .iter()
                        .chain(&foundation.vocabulary_quads)
                        .cloned()
                        .collect::<Vec<_>>(),
                ),
                graph(&foundation.reference_quads),
            ),
            mode,
            warnings: Mutex::new(Vec::new()),
        }))
    }

    /// The warnings let through in `Warn` mode.
    pub fn into_warnings(self) -> Vec<String> {
        self.warnings.into_inner().expect("not poisoned")
    }
}

impl ArticleCheck for Checker {
    /// Checks one mapped article: an error in `Enforce` mode, a warning kept in `Warn` mode.
    fn check(&self, source: &ArticleSource, article: &ArticleGraph) -> Result<()> {
        let graph = graph_of(article.quads.iter().map(|q| TripleRef::from(q.as_ref())));
        let violations = self.context.check_article(&self.shapes, &graph);
        let Some(first) = violations.first() else {
            return Ok(());
        };
        let describe = |v: &Violation| {
            let path = v
                .path
                .as_ref()
                .map(|p| format!(" {}", short(&p.clone().into())))
                .unwrap_or_default();
            let value = v
                .value
                .as_ref()
                .map(|x| format!(" {}", x))
                .unwrap_or_default();
            format!("<{}>{path}{value}: {}", short(&v.focus), v.message)
        };
        match self.mode {
            ShaclMode::Enforce => {
                let more = match violations.len() {
                    1 => String::new(),
                    n => format!(" (and {} more)", n - 1),
                };
                Err(Error::Data(DataError::file(
                    &source.name(),
                    format!(
                        "the mapped graph violates the SHACL shapes: {}{more}; fix the data, or build with --shacl warn",
                        describe(first)
                    ),
                )))
            }
            _ => {
                let mut warnings = self.warnings.lock().expect("not poisoned");
                warnings.extend(
                    violations
                        .iter()
                        .map(|v| format!("{}: {}", source.name(), describe(v))),
                );
                Ok(())
            }
        }
    }
}
