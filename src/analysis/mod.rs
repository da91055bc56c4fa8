//! Analysis of drafts against the corpus: hover cards, and (with the
//! language server) entities in a draft, go-to-source and the checks.

pub mod card;
