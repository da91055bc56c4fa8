//! Where a draft's quotation stands in the sources: found word for word
//! (after normalising typography), found nearly (a misquote), or nowhere.
//! Shared by the quote checks, quote hovers and go-to-source.

use std::ops::Range;
use std::sync::Arc;

use crate::analysis::lookups::Lookups;
use crate::corpus::{Corpus, DocId, SpeakerRef};

/// A passage of a source that a quotation matches.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceHit {
    pub doc: DocId,
    /// Bytes of the document's readable text covering the quoted words.
    pub range: Range<usize>,
    /// The corpus quotation the passage lies in, when it is one.
    pub quote: Option<usize>,
    /// 1.0 for a word-for-word match.
    pub score: f32,
}

impl SourceHit {
    /// Who the source says spoke these words.
    pub fn speaker<'c>(&self, corpus: &'c Corpus) -> Option<&'c SpeakerRef> {
        self.quote.and_then(|q| corpus.quotes[q].speaker.as_ref())
    }

    /// The speaker as the source names them.
    pub fn speaker_name<'c>(&self, corpus: &'c Corpus) -> Option<&'c str> {
        self.quote
            .and_then(|q| corpus.quotes[q].speaker_name.as_deref())
    }

    /// The source's own words for the passage.
    pub fn source_text<'c>(&self, corpus: &'c Corpus) -> &'c str {
        corpus.documents[self.doc]
            .text
            .get(self.range.clone())
            .unwrap_or("")
    }
}

/// What the sources hold for a quotation.
#[derive(Debug, Clone, PartialEq)]
pub enum QuoteSource {
    /// Word for word, in one or more places (non-boilerplate first).
    Found(Vec<SourceHit>),
    /// Not word for word, but a passage is close: a misquote.
    Near(SourceHit),
    /// Nowhere in the sources.
    NotFound,
}

/// Quotations shorter than this many words are too common to look up as
/// evidence ("nonsense", "damaged"); they are still matched, but a miss
/// means nothing.
pub const MIN_WORDS_FOR_MISS: usize = 4;

/// Most places a look-up collects. A short quotation ("may", "a threat")
/// stands in thousands of articles of a large archive; the first hundred
/// say all a card or a check can use, and finding them all would cost a
/// keystroke seconds.
pub const MAX_HITS: usize = 100;

/// Places a check's first look-up of a quotation collects. A check only
/// needs to know whether the sources hold the words, and for an attributed
/// quote whether some place gives them to the draft's speaker: the first
/// few places nearly always settle both. The rules that need every place
/// ask for them ([`Located::whole`]); a hover or go-to-source always does.
pub const PREVIEW_HITS: usize = 4;

/// A quotation's look-up as a check first makes it.
#[derive(Debug, Clone)]
pub struct Located {
    pub source: Arc<QuoteSource>,
    /// Whether `source` is all [`locate`] would say. When not, it is
    /// `Found` with the first [`PREVIEW_HITS`] places (in the order the
    /// sources hold them, then sorted as [`locate`] sorts), every one of
    /// which [`locate`] would also give.
    pub whole: bool,
}

/// [`locate`] through `lookups` when the caller keeps them: the checks,
/// hover and go-to-source ask about the same quotations again and again.
pub fn locate_with(corpus: &Corpus, lookups: Option<&Lookups>, quote: &str) -> Arc<QuoteSource> {
    match lookups {
        Some(memo) => memo.quote(quote, || locate(corpus, quote)),
        None => Arc::new(locate(corpus, quote)),
    }
}

/// A check's first look-up: [`locate`] stopped after [`PREVIEW_HITS`]
/// places, through `lookups` when the caller keeps them. A whole answer
/// already remembered is used as it is.
pub fn preview_with(corpus: &Corpus, lookups: Option<&Lookups>, quote: &str) -> Located {
    let look = || {
        let source = locate_up_to(corpus, quote, PREVIEW_HITS);
        let whole = !matches!(&source, QuoteSource::Found(hits) if hits.len() >= PREVIEW_HITS);
        Located {
            source: Arc::new(source),
            whole,
        }
    };
    match lookups {
        Some(memo) => memo.quote_preview(quote, look),
        None => look(),
    }
}

/// The places [`locate`] finds word for word that lie in the documents
/// `docs` (sorted), reading only those; `None` for a quotation with gaps,
/// which only a whole look-up reads right. Unlike [`locate`], not capped.
pub fn places_within(corpus: &Corpus, quote: &str, docs: &[u32]) -> Option<Vec<SourceHit>> {
    let hits = corpus
        .quote_index
        .find_within(&corpus.documents, quote, docs)?;
    Some(
        hits.into_iter()
            .map(|h| hit(corpus, h.text, h.range, h.score))
            .collect(),
    )
}

/// Look a quotation up in the corpus.
pub fn locate(corpus: &Corpus, quote: &str) -> QuoteSource {
    locate_up_to(corpus, quote, MAX_HITS)
}

/// [`locate`], collecting at most `limit` places word for word. The search
/// meets places in the same order whatever the limit, so a smaller limit
/// gives the first of the places a larger one gives.
fn locate_up_to(corpus: &Corpus, quote: &str, limit: usize) -> QuoteSource {
    let words = quote.split_whitespace().count();
    if words == 0 {
        return QuoteSource::NotFound;
    }
    let mut hits: Vec<SourceHit> = corpus
        .quote_index
        .find_up_to(&corpus.documents, quote, limit)
        .into_iter()
        .map(|h| hit(corpus, h.text, h.range, h.score))
        .collect();
    if !hits.is_empty() {
        hits.sort_by_key(|h| {
            let boilerplate = corpus.documents[h.doc].is_boilerplate(h.range.start);
            (boilerplate, h.quote.is_none(), h.doc, h.range.start)
        });
        return QuoteSource::Found(hits);
    }
    if words >= MIN_WORDS_FOR_MISS {
        if let Some(h) = corpus.quote_index.find_near(&corpus.documents, quote) {
            return QuoteSource::Near(hit(corpus, h.text, h.range, h.score));
        }
    }
    QuoteSource::NotFound
}

fn hit(corpus: &Corpus, doc: DocId, range: Range<usize>, score: f32) -> SourceHit {
    let quote = corpus.quote_containing(doc, &range);
    SourceHit {
        doc,
        range,
        quote,
        score,
    }
}
