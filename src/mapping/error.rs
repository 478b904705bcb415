//! What a mapping reports: the offending value's span, its field and what is wrong.

use std::ops::Range;

/// A problem found while mapping, located by the span of the offending value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapError {
    pub span: Range<usize>,
    pub field: String,
    pub message: String,
}

pub(crate) type MapResult<T> = Result<T, MapError>;

pub(crate) fn error<T>(
    span: Range<usize>,
    field: impl Into<String>,
    message: impl Into<String>,
) -> MapResult<T> {
    Err(MapError {
        span,
        field: field.into(),
        message: message.into(),
    })
}
