//! Sentence-level search over the sources: which passages could back a
//! claim in a draft.
//!
//! Every sentence of every article (boilerplate left out) is a passage in
//! an inverted index, built once with the corpus. A claim is scored against
//! the passages with Okapi BM25, so a rare name or number shared with a
//! passage counts for far more than a common word; numbers and capitalised
//! words of the claim (names, mostly) weigh more than other content words.
//! Only passages holding at least one of the claim's terms are visited, so
//! a look-up costs a few posting lists, not a scan of the corpus.
//!
//! The index is compact so that a large corpus fits beside its texts: a
//! passage is its sentence's number within its document and its length;
//! each term's passages are gap-encoded varints in one byte string, with
//! the occurrence count only where it is above one.
//!
//! The words never indexed (function words) live in `passage_stop_words.txt`.

use std::ops::Range;
use std::sync::LazyLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::quote_match::{get_varint, BatchEntry, Postings, PostingsBuilder, Vocab, BUILD_BATCH};
use super::{fold, DocId, Document};
use crate::lexicon::{FastMap, FastSet};

/// BM25's term-frequency saturation and length normalisation (the usual
/// values; sentences are short, so length matters little either way).
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// A claim's numbers and names weigh this much more than its other words.
const NUMBER_WEIGHT: f32 = 2.0;
const NAME_WEIGHT: f32 = 1.5;

static STOP_WORDS: LazyLock<FastSet<&'static str>> = LazyLock::new(|| {
    include_str!("passage_stop_words.txt")
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect()
});

/// A passage found for a claim, with how well it matches.
#[derive(Debug, Clone, PartialEq)]
pub struct PassageHit {
    pub doc: DocId,
    pub range: Range<usize>,
    /// The BM25 score.
    pub score: f32,
    /// Share of the claim's weighted rarity the passage holds, 0 to 1: the
    /// BM25 idf of each claim term it shares over that of every claim term.
    pub coverage: f32,
    /// Distinct claim terms the passage shares.
    pub shared: usize,
}

/// The inverted index over every passage of the corpus. Passages are
/// numbered in corpus order; the documents are passed back in to a search
/// to turn a passage into its byte range.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct PassageIndex {
    /// Number of each document's first passage, and one past the last.
    #[serde(with = "super::packed")]
    doc_starts: Vec<u32>,
    /// Each passage's sentence, numbered within its document.
    #[serde(with = "super::packed")]
    sentence: Vec<u32>,
    /// Indexed terms in each passage (saturating).
    #[serde(with = "super::packed")]
    len: Vec<u16>,
    vocab: Vocab,
    /// Per term: how many passages hold it, then per passage the gap from
    /// the one before, shifted left once, its low bit set when the term
    /// occurs more than once there (the count follows).
    postings: Postings,
    avg_len: f32,
}

/// A term of a text, with how much it weighs in a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub text: String,
    pub weight: f32,
}

/// One passage's terms, each once with its count, found while building.
struct SentenceTerms {
    sentence: u32,
    /// Terms indexed in the passage, repeats counted.
    len: u32,
    counts: Vec<(String, u16)>,
}

/// The passages of a document (its sentences that are not boilerplate
/// and hold a term), in order.
fn sentence_terms(doc: &Document) -> Vec<SentenceTerms> {
    let mut out = Vec::new();
    for (k, s) in doc.sentences.iter().enumerate() {
        if s.boilerplate() {
            continue;
        }
        let Some(text) = doc.text.get(s.range()) else {
            continue;
        };
        let terms = terms(text);
        if terms.is_empty() {
            continue;
        }
        let len = terms.len() as u32;
        let mut counts: Vec<(String, u16)> = terms.into_iter().map(|t| (t.text, 1)).collect();
        counts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        counts.dedup_by(|b, a| {
            let same = a.0 == b.0;
            if same {
                a.1 = a.1.saturating_add(1);
            }
            same
        });
        out.push(SentenceTerms {
            sentence: k as u32,
            len,
            counts,
        });
    }
    out
}

impl PassageIndex {
    /// Index every sentence of `documents` that is not boilerplate.
    pub fn build(documents: &[Document]) -> PassageIndex {
        let mut index = PassageIndex::default();
        let mut builder = PostingsBuilder::default();
        let mut total = 0u64;
        for batch in documents.chunks(BUILD_BATCH) {
            // Finding the terms is the costly part and needs nothing
            // shared; the postings are then added in corpus order.
            let read: Vec<Vec<SentenceTerms>> = batch.par_iter().map(sentence_terms).collect();
            let mut entries: Vec<BatchEntry<'_>> = Vec::new();
            for doc in &read {
                index.doc_starts.push(index.sentence.len() as u32);
                for s in doc {
                    let id = index.sentence.len() as u32;
                    for (term, count) in &s.counts {
                        let extra = if *count > 1 {
                            (1, Some(u64::from(*count)))
                        } else {
                            (0, None)
                        };
                        entries.push((term, id, u32::from(*count), extra));
                    }
                    total += u64::from(s.len);
                    index.sentence.push(s.sentence);
                    index.len.push(u16::try_from(s.len).unwrap_or(u16::MAX));
                }
            }
            builder.add_batch(&entries, 1);
        }
        index.doc_starts.push(index.sentence.len() as u32);
        let (vocab, postings) = builder.finish(false);
        index.vocab = vocab;
        index.postings = postings;
        index.avg_len = if index.sentence.is_empty() {
            1.0
        } else {
            total as f32 / index.sentence.len() as f32
        };
        index
    }

    /// How many passages are indexed.
    pub fn len(&self) -> usize {
        self.sentence.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sentence.is_empty()
    }

    /// Bytes the index holds on the heap.
    /// The posting lists' bytes, which serializing the index leaves out:
    /// the cache stores them on their own.
    pub(crate) fn postings_bytes(&self) -> &[u8] {
        self.postings.bytes()
    }

    /// Put back the bytes [`Self::postings_bytes`] gave, after decoding.
    pub(crate) fn set_postings_bytes(&mut self, bytes: Vec<u8>) {
        self.postings.set_bytes(bytes);
    }

    pub fn heap_bytes(&self) -> usize {
        self.doc_starts.capacity() * 4
            + self.sentence.capacity() * 4
            + self.len.capacity() * 2
            + self.vocab.heap_bytes()
            + self.postings.heap_bytes()
    }

    /// How many passages hold term `id`.
    fn df(&self, id: u32) -> usize {
        get_varint(self.postings.list(id), &mut 0) as usize
    }

    /// The passages holding term `id`, in increasing order, with the
    /// term's occurrences in each.
    fn passages_of(&self, id: u32) -> impl Iterator<Item = (u32, u16)> + '_ {
        let list = self.postings.list(id);
        let mut at = 0;
        let n = get_varint(list, &mut at);
        let mut last = 0u64;
        (0..n).map(move |_| {
            let v = get_varint(list, &mut at);
            let tf = if v & 1 == 1 {
                u16::try_from(get_varint(list, &mut at)).unwrap_or(u16::MAX)
            } else {
                1
            };
            last += v >> 1;
            ((last - 1) as u32, tf)
        })
    }

    /// The document a passage belongs to.
    fn doc_of(&self, p: u32) -> DocId {
        self.doc_starts
            .partition_point(|&s| s <= p)
            .saturating_sub(1)
    }

    /// BM25's inverse document frequency of a term found in `df` passages.
    fn idf(&self, df: usize) -> f32 {
        let n = self.sentence.len() as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The best passages for `text`, best first, at most `limit`, leaving
    /// out documents `skip` says no to (a source checked against itself).
    /// `documents` are those the index was built from.
    pub fn search(
        &self,
        documents: &[Document],
        text: &str,
        limit: usize,
        skip: &dyn Fn(DocId) -> bool,
    ) -> Vec<PassageHit> {
        let Some(weighed) = self.weigh(text) else {
            return Vec::new();
        };
        let mut hits: Vec<PassageHit> = self
            .score_all(&weighed)
            .filter_map(|(p, scored)| self.hit(documents, p, scored, weighed.whole, skip))
            .collect();
        hits.sort_by(best_first);
        hits.truncate(limit);
        hits
    }

    /// A claim's terms as every scoring of it starts: `None` when it has
    /// none, or the index no passages.
    fn weigh(&self, text: &str) -> Option<Weighed> {
        let query = query_terms(text);
        if query.is_empty() || self.sentence.is_empty() {
            return None;
        }
        let ids: Vec<Option<u32>> = query.iter().map(|q| self.vocab.get(&q.text)).collect();
        // A term no source holds is as rare as a term can be.
        let weights: Vec<f32> = query
            .iter()
            .zip(&ids)
            .map(|(q, id)| q.weight * self.idf(id.map_or(0, |id| self.df(id))))
            .collect();
        let whole: f32 = weights.iter().sum();
        Some(Weighed {
            query,
            ids,
            weights,
            whole,
        })
    }

    /// BM25 of every passage holding a term of the claim, with the weight
    /// of the terms it holds and how many, in passage order. The terms'
    /// lists are merged as they are read (each is in passage order), so a
    /// claim of common words, whose lists name millions of passages at
    /// 100,000 articles, needs no table of them.
    fn score_all(&self, weighed: &Weighed) -> impl Iterator<Item = Scored> + '_ {
        let mut lists = Vec::new();
        for (&weight, id) in weighed.weights.iter().zip(&weighed.ids) {
            if let Some(id) = *id {
                lists.push((weight, self.passages_of(id)));
            }
        }
        // The next posting of each list, smallest passage (then list) first:
        // a passage's terms are added in query order, as a table would.
        let mut heads = std::collections::BinaryHeap::new();
        for (k, (_, list)) in lists.iter_mut().enumerate() {
            if let Some((p, tf)) = list.next() {
                heads.push(std::cmp::Reverse((p, k, tf)));
            }
        }
        std::iter::from_fn(move || {
            let std::cmp::Reverse((p, ..)) = *heads.peek()?;
            let len = self.len.get(p as usize).copied().unwrap_or(0);
            let norm = K1 * (1.0 - B + B * f32::from(len) / self.avg_len);
            let mut scored = (0.0f32, 0.0f32, 0usize);
            while let Some(&std::cmp::Reverse((q, k, tf))) = heads.peek() {
                if q != p {
                    break;
                }
                heads.pop();
                let (weight, list) = &mut lists[k];
                let tf = f32::from(tf);
                scored.0 += *weight * tf * (K1 + 1.0) / (tf + norm);
                scored.1 += *weight;
                scored.2 += 1;
                if let Some((p, tf)) = list.next() {
                    heads.push(std::cmp::Reverse((p, k, tf)));
                }
            }
            Some((p, scored))
        })
    }

    /// Passage `p` as a hit, unless its document is skipped.
    fn hit(
        &self,
        documents: &[Document],
        p: u32,
        (score, held, shared): (f32, f32, usize),
        whole: f32,
        skip: &dyn Fn(DocId) -> bool,
    ) -> Option<PassageHit> {
        let doc = self.doc_of(p);
        if skip(doc) {
            return None;
        }
        let sentence = *self.sentence.get(p as usize)? as usize;
        let range = documents.get(doc)?.sentences.get(sentence)?.range();
        Some(PassageHit {
            doc,
            range,
            score,
            coverage: coverage(held, whole),
            shared,
        })
    }
}

/// The share of a query's weight a passage holds.
fn coverage(held: f32, whole: f32) -> f32 {
    if whole > 0.0 {
        held / whole
    } else {
        0.0
    }
}

/// Best score first; ties in corpus order.
fn best_first(a: &PassageHit, b: &PassageHit) -> std::cmp::Ordering {
    b.score
        .total_cmp(&a.score)
        .then(a.doc.cmp(&b.doc))
        .then(a.range.start.cmp(&b.range.start))
}

/// Per passage: BM25 of the terms read, their weight, how many. A support
/// look-up's table is kept per thread between look-ups, so that each does
/// not grow (and rehash) one of its own.
type Partial = FastMap<u32, (f32, f32, usize)>;
/// A passage and what [`PassageIndex::score_all`] makes of it.
type Scored = (u32, (f32, f32, usize));

/// A claim's distinct terms, each one's id in the index (none when no
/// passage holds it) and weight (its own times its idf), and their sum.
struct Weighed {
    query: Vec<Term>,
    ids: Vec<Option<u32>>,
    weights: Vec<f32>,
    whole: f32,
}

thread_local! {
    static PARTIAL: std::cell::RefCell<Partial> = std::cell::RefCell::new(Partial::default());
}
/// Entries a kept table may hold room for (about 2 MB).
const KEEP_PARTIAL: usize = 1 << 16;

/// Passages [`PassageIndex::best_support`] scores in full, best partial
/// score first.
const RESCORE_TOP: usize = 64;

/// Most postings of rare terms [`PassageIndex::best_support`] reads before
/// it scores by every list instead (a claim of common words only).
const RESCORE_MAX: usize = 200_000;

impl PassageIndex {
    /// The best-scoring passage for `text` among those holding at least
    /// `min_coverage` of its weighted rarity and `min_shared` of its
    /// distinct terms, leaving out documents `skip` says no to.
    ///
    /// Such a passage must hold one of the claim's rarest terms: if it held
    /// none of the heaviest terms, those that leave less than
    /// `min_coverage` of the whole to the rest, what it could hold would
    /// fall short. So only those terms' (short) posting lists are read; the
    /// passages they name are ranked by the score of those terms, and the
    /// best [`RESCORE_TOP`] are scored in full from their own sentence (as
    /// the index counted it), stopping early once the unread terms could
    /// no longer lift one past the best. The long lists of common words are
    /// never read. The rare terms carry most of BM25's weight, so a passage
    /// ranked below the first few dozen on them seldom wins on common
    /// words; when it would, the next best is still a passage that backs
    /// the claim.
    pub fn best_support(
        &self,
        documents: &[Document],
        text: &str,
        min_coverage: f32,
        min_shared: usize,
        skip: &dyn Fn(DocId) -> bool,
    ) -> Option<PassageHit> {
        let weighed = self.weigh(text)?;
        let Weighed {
            query,
            ids,
            weights,
            whole,
        } = &weighed;
        let whole = *whole;
        if whole <= 0.0 {
            return None;
        }
        // Terms some passage holds, heaviest first; the prefix that any
        // passage covering enough must touch.
        let mut order: Vec<usize> = (0..query.len()).filter(|&i| ids[i].is_some()).collect();
        order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
        // A passage holding none of the terms read holds at most `rest`.
        let enough = min_coverage * whole;
        let mut rest: f32 = order.iter().map(|&i| weights[i]).sum();
        // That prefix, and how many postings it holds (known before they
        // are read): too many, and the whole lists are scored instead.
        let mut prefix = 0;
        let mut postings = 0;
        for &i in &order {
            if rest < enough {
                break;
            }
            rest -= weights[i];
            postings += ids[i].map_or(0, |id| self.df(id));
            prefix += 1;
        }
        if postings > RESCORE_MAX {
            return self.best_support_by_lists(documents, &weighed, min_coverage, min_shared, skip);
        }
        let others = order.len() - prefix;
        // Per candidate: BM25 of the terms read, their weight, how many.
        let mut partial = PARTIAL.with(|kept| std::mem::take(&mut *kept.borrow_mut()));
        partial.clear();
        for &i in &order[..prefix] {
            let Some(id) = ids[i] else { continue };
            for (p, n) in self.passages_of(id) {
                let len = self.len.get(p as usize).copied().unwrap_or(0);
                let norm = K1 * (1.0 - B + B * f32::from(len) / self.avg_len);
                let n = f32::from(n);
                let entry = partial.entry(p).or_default();
                entry.0 += weights[i] * n * (K1 + 1.0) / (n + norm);
                entry.1 += weights[i];
                entry.2 += 1;
            }
        }
        // The terms not read add at most this much to any passage's score
        // (BM25 of one term stays under weight × (K1 + 1)).
        let bound = rest * (K1 + 1.0);
        let mut candidates: Vec<(u32, f32)> = partial
            .drain()
            .filter(|&(_, (_, held, shared))| {
                held + rest >= min_coverage * whole && shared + others >= min_shared
            })
            .map(|(p, (score, ..))| (p, score))
            .collect();
        if partial.capacity() <= KEEP_PARTIAL {
            PARTIAL.with(|kept| *kept.borrow_mut() = partial);
        }
        // The best RESCORE_TOP in order, without sorting the thousands
        // behind them (a fifth of a first check's claim support): the
        // order is total, so these are the ones a full sort puts first.
        let by_partial = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if candidates.len() > RESCORE_TOP {
            candidates.select_nth_unstable_by(RESCORE_TOP, by_partial);
            candidates.truncate(RESCORE_TOP);
        }
        candidates.sort_unstable_by(by_partial);
        let mut best: Option<PassageHit> = None;
        let mut tf: Vec<u16> = vec![0; query.len()];
        for (p, score) in candidates {
            // Best first by what is known: once even the unread terms
            // cannot lift a passage past the best, none after it can.
            if best.as_ref().is_some_and(|b| score + bound < b.score) {
                break;
            }
            let doc = self.doc_of(p);
            if skip(doc) {
                continue;
            }
            let Some(document) = documents.get(doc) else {
                continue;
            };
            let Some(sentence) = self
                .sentence
                .get(p as usize)
                .and_then(|&k| document.sentences.get(k as usize))
            else {
                continue;
            };
            // Only the sentence is read, and not kept.
            let Some(passage) = document.text.peek_range(sentence.range()) else {
                continue;
            };
            tf.iter_mut().for_each(|n| *n = 0);
            for t in terms(&passage) {
                if let Some(i) = query.iter().position(|q| q.text == t.text) {
                    tf[i] = tf[i].saturating_add(1);
                }
            }
            let len = self.len.get(p as usize).copied().unwrap_or(0);
            let norm = K1 * (1.0 - B + B * f32::from(len) / self.avg_len);
            let (mut score, mut held, mut shared) = (0.0f32, 0.0f32, 0usize);
            for (i, &n) in tf.iter().enumerate() {
                if n == 0 {
                    continue;
                }
                let n = f32::from(n);
                score += weights[i] * n * (K1 + 1.0) / (n + norm);
                held += weights[i];
                shared += 1;
            }
            let coverage = held / whole;
            if coverage < min_coverage || shared < min_shared {
                continue;
            }
            let hit = PassageHit {
                doc,
                range: sentence.range(),
                score,
                coverage,
                shared,
            };
            let better = best.as_ref().is_none_or(|b| {
                hit.score
                    .total_cmp(&b.score)
                    .then(b.doc.cmp(&hit.doc))
                    .then(b.range.start.cmp(&hit.range.start))
                    .is_gt()
            });
            if better {
                best = Some(hit);
            }
        }
        best
    }

    /// [`PassageIndex::best_support`] by reading every term's list, for a
    /// claim whose rarest words are all common.
    fn best_support_by_lists(
        &self,
        documents: &[Document],
        weighed: &Weighed,
        min_coverage: f32,
        min_shared: usize,
        skip: &dyn Fn(DocId) -> bool,
    ) -> Option<PassageHit> {
        // The best of those covering enough: the first that `search`
        // would rank, without making and sorting every other hit.
        let whole = weighed.whole;
        self.score_all(weighed)
            .filter(|&(_, (_, held, shared))| {
                coverage(held, whole) >= min_coverage && shared >= min_shared
            })
            .filter_map(|(p, scored)| self.hit(documents, p, scored, whole, skip))
            .min_by(best_first)
    }
}

/// A query's distinct terms, each at the largest weight it is written with.
fn query_terms(text: &str) -> Vec<Term> {
    let mut query: Vec<Term> = Vec::new();
    for t in terms(text) {
        match query.iter_mut().find(|q| q.text == t.text) {
            Some(q) => q.weight = q.weight.max(t.weight),
            None => query.push(t),
        }
    }
    query
}

/// The indexed terms of a text, in order: words folded to lower-case ASCII
/// where they have a plain form, possessives and plural "s" dropped,
/// numbers without their thousands separators; function words left out.
pub fn terms(text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    let mut at_sentence_start = true;
    for raw in
        text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | 'ʼ' | ',' | '.')))
    {
        // Commas and dots only count inside numbers ("1,000", "3.5").
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() {
            continue;
        }
        let first_capital = word.chars().next().is_some_and(char::is_uppercase);
        let starts = at_sentence_start;
        at_sentence_start = raw.ends_with('.');
        let is_number = word.chars().next().is_some_and(|c| c.is_ascii_digit());
        let weight = if is_number {
            NUMBER_WEIGHT
        } else if first_capital && !starts {
            NAME_WEIGHT
        } else {
            1.0
        };
        let mut push = |part: &str| {
            if let Some(text) = normalise(part, is_number) {
                out.push(Term { text, weight });
            }
        };
        if is_number {
            push(word);
        } else {
            word.split([',', '.'])
                .filter(|p| !p.is_empty())
                .for_each(&mut push);
        }
    }
    out
}

fn normalise(word: &str, is_number: bool) -> Option<String> {
    if is_number {
        let mut digits: String = word.chars().filter(|c| *c != ',').collect();
        digits.truncate(digits.trim_end_matches('.').len());
        return Some(digits);
    }
    // "Gdańsk" and "Gdansk" are one word to a search. An ASCII word has
    // nothing to fold and no accents: lower-casing is all it needs.
    let mut lower: String = if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        fold::fold_name(word)
            .nfd()
            .filter(|c| !is_combining_mark(*c))
            .collect::<String>()
            .to_lowercase()
    };
    // "Trump's" → "trump", "agencies'" → "agencies".
    let base = lower.trim_end_matches("'s").trim_end_matches('\'').len();
    lower.truncate(base);
    if lower.chars().nth(1).is_none() || STOP_WORDS.contains(lower.as_str()) {
        return None;
    }
    stem(&mut lower);
    Some(lower)
}

/// A light plural stemmer: "agencies" and "agency", "leaks" and "leak",
/// "bosses" and "boss" meet; anything cleverer costs more false matches than it finds.
fn stem(word: &mut String) {
    if word.len() >= 6 && word.ends_with("ies") {
        word.truncate(word.len() - 3);
        word.push('y');
    } else if word.ends_with("sses") {
        // "bosses" → "boss", as "boss" stays.
        word.truncate(word.len() - 2);
    } else if word.len() > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
    {
        word.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::article;
    use std::path::PathBuf;

    fn doc(id: &str, text: &str) -> Document {
        let parts = article::read(text);
        Document {
            id: id.to_string(),
            path: PathBuf::from(format!("{id}.txt")),
            embedded: false,
            text: text.into(),
            line_map: crate::corpus::LineMap::identity(text),
            title: parts.title,
            byline: parts.byline,
            date: parts.date,
            outlet: parts.outlet,
            sentences: parts.sentences,
        }
    }

    fn harbour() -> (Vec<Document>, PassageIndex) {
        let docs = vec![
            doc(
                "harbour-01",
                "Harbour news\n\nThe Ministry of Fisheries closed the harbour in Gdańsk to 40 trawlers on Monday.\n\n\
                 Director Anna Kowalczyk said the breakwater was cracked.\n",
            ),
            doc(
                "weather-02",
                "Weather news\n\nThe harbour was calm on Monday and the boats stayed in.\n\n\
                 Rain fell across the coast for 1,000 hours last year.\n",
            ),
        ];
        let index = PassageIndex::build(&docs);
        (docs, index)
    }

    #[test]
    fn terms_fold_possessives_plurals_and_numbers() {
        let got: Vec<String> = terms("The Ministry’s 1,000 trawlers — Zoë's boats.")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(got, ["ministry", "1000", "trawler", "zoe", "boat"]);
    }

    #[test]
    fn rare_shared_names_and_numbers_rank_first() {
        let (docs, index) = harbour();
        let hits = index.search(
            &docs,
            "Kowalczyk’s ministry shut the Gdańsk harbour to 40 trawlers.",
            3,
            &|_| false,
        );
        assert_eq!(hits[0].doc, 0);
        let text =
            "The Ministry of Fisheries closed the harbour in Gdańsk to 40 trawlers on Monday.";
        assert_eq!(hits[0].range.len(), text.len());
        assert!(hits[0].coverage > 0.5, "{hits:?}");
        // The weather passage shares only common words.
        assert!(hits.iter().skip(1).all(|h| h.score < hits[0].score));
    }

    #[test]
    fn scoring_by_every_list_sums_each_passage_s_terms_as_support_does() {
        let (docs, index) = harbour();
        let claim =
            "The Ministry of Fisheries closed the harbour in Gdańsk to 40 trawlers on Monday.";
        let by_lists = index
            .best_support_by_lists(&docs, &index.weigh(claim).unwrap(), 0.5, 2, &|_| false)
            .unwrap();
        // Every term of the claim, each from its own list, in one passage.
        assert_eq!(
            (by_lists.doc, by_lists.shared),
            (0, query_terms(claim).len())
        );
        assert!((by_lists.coverage - 1.0).abs() < 1e-6, "{by_lists:?}");
        let support = index
            .best_support(&docs, claim, 0.5, 2, &|_| false)
            .unwrap();
        assert_eq!(
            (by_lists.doc, &by_lists.range, by_lists.shared),
            (support.doc, &support.range, support.shared)
        );
        assert!((by_lists.score - support.score).abs() < 1e-4);
        // A passage that holds only some of the terms gets only theirs.
        let weather = index
            .best_support_by_lists(
                &docs,
                &index
                    .weigh("The harbour was calm on Monday in Gdańsk.")
                    .unwrap(),
                0.1,
                1,
                &|d| d == 0,
            )
            .unwrap();
        assert_eq!((weather.doc, weather.shared), (1, 3), "{weather:?}");
    }

    #[test]
    fn skipped_documents_are_never_returned() {
        let (docs, index) = harbour();
        let hits = index.search(&docs, "harbour closed 40 trawlers Monday", 5, &|d| d == 0);
        assert!(hits.iter().all(|h| h.doc == 1));
    }

    #[test]
    fn nothing_shared_finds_nothing() {
        let (docs, index) = harbour();
        assert!(index
            .search(&docs, "Völlig unbekannt 🙃", 5, &|_| false)
            .is_empty());
        assert!(PassageIndex::default()
            .search(&docs, "harbour", 5, &|_| false)
            .is_empty());
    }

    /// Invented sources: curly and straight marks, accents precomposed and
    /// decomposed, emoji, CRLF.
    const SOURCES: [&str; 5] = [
        "Harbour closed\r\n\r\nDirector Anna Kowalczyk of the Ministry of Fisheries said: “We won’t reopen the northern quota — not while stocks are falling.”\r\nShe added that the fleet had “done everything that needed to be checked with our partners in the E.U.”\r\n",
        "Café owner Zoë Łukasiewicz 😀 said the tax was \"a crushing\r\n   blow\" for small firms... and that she would \"fight it -- all the way.\" The [council] said nothing.",
        "Nadia Re\u{301}mond, mayor of Saint-Étienne-du-Lac, said “the ferry is late, the ferry is always late” and added: ‘We will not pay 1,000 euros 💶 for a ferry that never comes.’",
        "Weather\n\nThe harbour was calm on Monday and the boats stayed in. Rain fell across the coast for 1,000 hours last year. “The harbour is calm,” said Piotr Nowak, a fisherman.",
        "fish are fine. fish are fine. Fish  are\nfine — said nobody […] at all.",
    ];

    const CLAIMS: [&str; 12] = [
        "Kowalczyk’s ministry will not reopen the northern quota while stocks fall.",
        "The Gdańsk harbour was calm on Monday and boats stayed in.",
        "Rain fell for 1,000 hours on the coast last year.",
        "Zoë’s café pays a crushing tax 😀.",
        "The mayor of Saint-Étienne said the ferry is always late.",
        "Völlig unbekannt 🙃",
        "She added that [the trawlers had] “done everything",
        "We would not pay a thousand euros for a ferry that never comes",
        "the harbour was calm on Monday and boats stayed inside",
        "fish are fine",
        "[council]",
        "Zoë Łukasiewicz 😀 said the levy was a crushing blow",
    ];

    /// What the index found before it was made compact (a passage struct
    /// per sentence, a string-keyed map of postings): doc:range:score:
    /// coverage:shared for the top three, the last document skipped.
    const BEFORE: &str = r#""Kowalczyk’s ministry will not reopen the northern quota while stocks fall." => ["0:18..153:10.16664:0.79907:6"]
"The Gdańsk harbour was calm on Monday and boats stayed in." => ["3:9..64:11.66694:0.68278:5", "3:119..176:3.28395:0.19219:2", "0:0..14:1.83474:0.08517:1"]
"Rain fell for 1,000 hours on the coast last year." => ["3:65..118:14.93910:1.00000:7", "2:0..182:1.79816:0.20286:1"]
"Zoë’s café pays a crushing tax 😀." => ["1:0..138:6.77776:0.80000:4", "2:0..182:1.17765:0.20000:1"]
"The mayor of Saint-Étienne said the ferry is always late." => ["2:0..182:10.13769:1.00000:6"]
"Völlig unbekannt 🙃" => []
"She added that [the trawlers had] “done everything" => ["0:155..261:5.81701:0.64685:3", "2:0..182:0.89908:0.17870:1"]
"We would not pay a thousand euros for a ferry that never comes" => ["2:0..182:7.07260:0.76820:5"]
"the harbour was calm on Monday and boats stayed inside" => ["3:9..64:11.66694:0.76351:5", "3:119..176:3.28395:0.21491:2", "0:0..14:1.83474:0.09524:1"]
"fish are fine" => []
"[council]" => ["1:139..166:3.01946:1.00000:1"]
"Zoë Łukasiewicz 😀 said the levy was a crushing blow" => ["1:0..138:7.62498:0.74891:4"]
"#;

    #[test]
    fn compact_index_ranks_as_the_full_one_did() {
        let docs: Vec<Document> = SOURCES
            .iter()
            .enumerate()
            .map(|(i, t)| doc(&format!("d{i}"), t))
            .collect();
        let index = PassageIndex::build(&docs);
        let mut out = String::new();
        for c in CLAIMS {
            let hits: Vec<String> = index
                .search(&docs, c, 3, &|d| d == 4)
                .iter()
                .map(|h| {
                    format!(
                        "{}:{:?}:{:.5}:{:.5}:{}",
                        h.doc, h.range, h.score, h.coverage, h.shared
                    )
                })
                .collect();
            out.push_str(&format!("{c:?} => {hits:?}\n"));
        }
        assert_eq!(out, BEFORE);
    }

    #[test]
    fn support_reads_only_rare_lists_and_agrees_with_scoring_every_list() {
        // Every sentence of the Wikinews articles, looked up as a claim in
        // the others: the short cut must pick the passage that scoring
        // every posting list picks among those that back the claim.
        // (The seeds when ../shared is not beside the checkout.)
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/wikinews");
        let folders = if dir.is_dir() { vec![dir] } else { Vec::new() };
        let seeds = folders.is_empty();
        let loaded = crate::corpus::source::load(
            &folders,
            seeds,
            &crate::corpus::source::LoadOptions::default(),
        );
        let docs: Vec<Document> = loaded
            .files
            .iter()
            .take(120)
            .enumerate()
            .map(|(i, f)| doc(&format!("d{i}"), &f.text))
            .collect();
        let index = PassageIndex::build(&docs);
        let (mut same, mut asked) = (0, 0);
        for (d, document) in docs.iter().enumerate().step_by(7) {
            for s in document.sentences.iter().step_by(3) {
                let claim = &document.text[s.range()];
                let skip = |x: DocId| x == d;
                let exhaustive = index
                    .weigh(claim)
                    .and_then(|w| index.best_support_by_lists(&docs, &w, 0.3, 3, &skip));
                let quick = index.best_support(&docs, claim, 0.3, 3, &skip);
                asked += 1;
                let key = |h: &Option<PassageHit>| h.as_ref().map(|h| (h.doc, h.range.clone()));
                if key(&exhaustive) == key(&quick) {
                    same += 1;
                } else {
                    // Where they part, the quick answer still backs the claim.
                    let q = quick.expect("a passage when the exhaustive search has one");
                    assert!(q.coverage >= 0.3 && q.shared >= 3);
                }
            }
        }
        assert!(asked > if seeds { 5 } else { 100 }, "{asked}");
        println!("{same} of {asked} agree");
        assert!(same * 100 >= asked * 97, "{same} of {asked} agree");
    }

    #[test]
    fn terms_meet_across_accents_apostrophes_plurals_and_number_punctuation() {
        let texts = |s: &str| terms(s).into_iter().map(|t| t.text).collect::<Vec<_>>();
        // Accented and plain, curly and straight, plural and singular
        // spellings give the same terms; function words give none.
        assert_eq!(
            texts("The agencies of Gdańsk said Trump’s 1,000 leaks were 3.5%."),
            texts("the agency of Gdansk said Trump's 1000 leak were 3.5%")
        );
        assert_eq!(
            texts("Agencies in Gdańsk: 1,000 leaks, Trump’s and the bosses’ focus."),
            ["agency", "gdansk", "1000", "leak", "trump", "boss", "focus"]
        );
        // A name inside a sentence weighs more than the same word opening it.
        let weights: Vec<f32> = terms("Leaks reach Warsaw. Warsaw 12 leaks.")
            .iter()
            .map(|t| t.weight)
            .collect();
        assert_eq!(weights, [1.0, 1.0, NAME_WEIGHT, 1.0, NUMBER_WEIGHT, 1.0]);
    }
}
