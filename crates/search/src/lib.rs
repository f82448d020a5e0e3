//! Spanish full-text search over good practices, on tantivy: accent folding and Spanish
//! stemming ("evaluacion" finds "evaluación", "acompañamientos" finds "acompañamiento"),
//! phrases, facets, highlighted snippets, and text extraction from PDF and DOCX attachments.
//! A pure library: the app decides what goes in and who may see what (see [`Visibility`]).

pub mod analyzer;
mod doc;
pub mod extract;
mod index;
mod search;

pub use doc::{score_band, FacetKind, PracticeDoc, UNSCORED};
pub use index::{Index, WriterOptions, SCHEMA_VERSION};
pub use search::{
    escape, sanitize, Hit, Query, Results, Visibility, DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE,
    MAX_QUERY_CHARS,
};

/// Failures of the index itself (disk, corruption); never caused by what a user typed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("search index: {0}")]
    Index(String),
    #[error("search index files: {0}")]
    Io(#[from] std::io::Error),
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Index(e.to_string())
    }
}
