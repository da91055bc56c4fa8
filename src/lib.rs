//! Dossier: a language server for people who write news.
//!
//! # Architecture
//!
//! A request flows one way: protocol position → byte offset → analysis →
//! plain result → protocol type.
//!
//! **`corpus`** reads folders of source articles into a knowledge base:
//! documents split into paragraphs and sentences, entities (people,
//! agencies, outlets, places) merged across articles with their roles and
//! aliases, and quotations with their speakers. It also builds the look-up
//! structures the server queries on every keystroke: one automaton over all
//! aliases and an index for finding a quotation's words. *Invariant: nothing
//! here names a particular article; every fact comes out of the text by
//! rules and generic word lists (`lexicon`).*
//!
//! **`analysis`** reads a draft against a corpus: which bytes are prose, the
//! actors it names, its quotations and where they stand in the sources, the
//! checks (one rule per file under `analysis/checks`), hover cards and
//! go-to-source. *Invariant: analysis and corpus code take `&str` and UTF-8
//! byte offsets and return plain data; they never see an LSP type and never
//! panic on odd text.*
//!
//! **`server`** is the protocol edge (tower-lsp). Handlers convert positions
//! to byte offsets, call the [`server::Backend`] seam, and convert back.
//! `document` is the one place that touches ropey. *Invariant: UTF-16 and
//! UTF-8 position code lives only in `server` and `document`; edits are
//! applied synchronously, in order, before any `.await`.*
//!
//! **`config`** layers settings: defaults < `dossier.toml` < editor
//! settings.

pub mod analysis;
pub mod config;
pub mod corpus;
pub mod document;
pub mod lexicon;
pub mod report;
pub mod server;
