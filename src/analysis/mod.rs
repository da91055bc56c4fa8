//! Analysis of drafts against the corpus: the draft's actors and quotes,
//! where its quotes stand in the sources, hover cards and the checks. Works
//! in UTF-8 byte offsets over `&str`; knows nothing of LSP.

pub mod backend;
pub mod card;
pub mod checks;
pub mod draft;
#[cfg(test)]
mod fixture;
pub mod goto;
pub mod hover;
pub mod ignore;
pub mod lookups;
pub mod quote_source;
pub mod source_files;
pub mod symbols;
