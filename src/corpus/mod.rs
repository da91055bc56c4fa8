//! The corpus engine: from folders of articles to a knowledge base of
//! actors, agencies, roles and quotes.

pub mod article;
pub mod model;
pub mod names;
pub mod quote_match;
pub mod quotes;
pub mod source;

pub use model::*;
