//! Dossier: a language server for people who write news.

pub mod corpus;
pub mod lexicon;
