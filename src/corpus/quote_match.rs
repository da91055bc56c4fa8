//! Finding a quotation's words in the sources, forgiving typography.
//! OWNER: helper 4. Interface (keep these signatures):

use std::ops::Range;

/// A passage of a source text that a quotation matches.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteHit {
    /// Index of the text in the slice the index was built from.
    pub text: usize,
    /// Byte range in that text covering exactly the quoted words.
    pub range: Range<usize>,
    /// 1.0 for an exact match after normalisation; lower for near matches.
    pub score: f32,
}

/// An index over many texts for finding quotations.
#[derive(Debug, Default)]
pub struct QuoteIndex {}

impl QuoteIndex {
    pub fn new(_texts: &[&str]) -> QuoteIndex {
        QuoteIndex {}
    }

    /// Exact matches (after normalising quotes, dashes, case, whitespace;
    /// `…`/`...` stands for omitted words, `[…]` for an editorial insertion).
    pub fn find(&self, _quote: &str) -> Vec<QuoteHit> {
        Vec::new()
    }

    /// The closest passage when there is no exact match: for misquotes.
    pub fn find_near(&self, _quote: &str) -> Option<QuoteHit> {
        None
    }
}
