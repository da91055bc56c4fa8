//! Dossier: a language server for people who write news.

pub mod corpus;
pub mod lexicon;
pub mod analysis;
pub mod config;
pub mod document;
pub mod server;
