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
//! The words never indexed (function words) live in `passage_stop_words.txt`.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::{fold, DocId, Document};

/// BM25's term-frequency saturation and length normalisation (the usual
/// values; sentences are short, so length matters little either way).
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// A claim's numbers and names weigh this much more than its other words.
const NUMBER_WEIGHT: f32 = 2.0;
const NAME_WEIGHT: f32 = 1.5;

static STOP_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("passage_stop_words.txt")
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect()
});

/// One sentence of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub doc: DocId,
    /// Bytes of the sentence in the document's readable text.
    pub range: Range<usize>,
    /// Indexed terms in the sentence.
    len: u32,
}

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

/// The inverted index over every passage of the corpus.
#[derive(Debug, Default)]
pub struct PassageIndex {
    passages: Vec<Passage>,
    /// Term → (passage, occurrences), passages in increasing order.
    postings: HashMap<String, Vec<(u32, u16)>>,
    avg_len: f32,
}

/// A term of a text, with how much it weighs in a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub text: String,
    pub weight: f32,
}

impl PassageIndex {
    /// Index every sentence of `documents` that is not boilerplate.
    pub fn build(documents: &[Document]) -> PassageIndex {
        let mut index = PassageIndex::default();
        let mut total = 0u64;
        for (d, doc) in documents.iter().enumerate() {
            for s in &doc.sentences {
                if s.boilerplate {
                    continue;
                }
                let Some(text) = doc.text.get(s.range.clone()) else {
                    continue;
                };
                let terms = terms(text);
                if terms.is_empty() {
                    continue;
                }
                let id = index.passages.len() as u32;
                let mut counts: HashMap<String, u16> = HashMap::new();
                for t in &terms {
                    let c = counts.entry(t.text.clone()).or_default();
                    *c = c.saturating_add(1);
                }
                for (term, count) in counts {
                    index.postings.entry(term).or_default().push((id, count));
                }
                total += terms.len() as u64;
                index.passages.push(Passage {
                    doc: d,
                    range: s.range.clone(),
                    len: terms.len() as u32,
                });
            }
        }
        index.avg_len = if index.passages.is_empty() {
            1.0
        } else {
            total as f32 / index.passages.len() as f32
        };
        index
    }

    /// How many passages are indexed.
    pub fn len(&self) -> usize {
        self.passages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.passages.is_empty()
    }

    /// BM25's inverse document frequency of a term found in `df` passages.
    fn idf(&self, df: usize) -> f32 {
        let n = self.passages.len() as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The best passages for `text`, best first, at most `limit`, leaving
    /// out documents `skip` says no to (a source checked against itself).
    pub fn search(
        &self,
        text: &str,
        limit: usize,
        skip: &dyn Fn(DocId) -> bool,
    ) -> Vec<PassageHit> {
        let mut query: Vec<Term> = Vec::new();
        for t in terms(text) {
            match query.iter_mut().find(|q| q.text == t.text) {
                Some(q) => q.weight = q.weight.max(t.weight),
                None => query.push(t),
            }
        }
        if query.is_empty() || self.passages.is_empty() {
            return Vec::new();
        }
        // A term no source holds is as rare as a term can be.
        let idfs: Vec<f32> = query
            .iter()
            .map(|q| self.idf(self.postings.get(&q.text).map_or(0, Vec::len)))
            .collect();
        let whole: f32 = query.iter().zip(&idfs).map(|(q, i)| q.weight * i).sum();
        let mut scores: HashMap<u32, (f32, f32, usize)> = HashMap::new();
        for (q, &idf) in query.iter().zip(&idfs) {
            let Some(list) = self.postings.get(&q.text) else {
                continue;
            };
            for &(p, tf) in list {
                let passage = &self.passages[p as usize];
                let tf = f32::from(tf);
                let norm = K1 * (1.0 - B + B * passage.len as f32 / self.avg_len);
                let entry = scores.entry(p).or_default();
                entry.0 += q.weight * idf * tf * (K1 + 1.0) / (tf + norm);
                entry.1 += q.weight * idf;
                entry.2 += 1;
            }
        }
        let mut hits: Vec<PassageHit> = scores
            .into_iter()
            .filter(|(p, _)| !skip(self.passages[*p as usize].doc))
            .map(|(p, (score, held, shared))| {
                let passage = &self.passages[p as usize];
                PassageHit {
                    doc: passage.doc,
                    range: passage.range.clone(),
                    score,
                    coverage: if whole > 0.0 { held / whole } else { 0.0 },
                    shared,
                }
            })
            .collect();
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.doc.cmp(&b.doc))
                .then(a.range.start.cmp(&b.range.start))
        });
        hits.truncate(limit);
        hits
    }
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
        let parts: Vec<&str> = if is_number {
            vec![word]
        } else {
            word.split([',', '.']).filter(|p| !p.is_empty()).collect()
        };
        for part in parts {
            let Some(text) = normalise(part, is_number) else {
                continue;
            };
            let weight = if is_number {
                NUMBER_WEIGHT
            } else if first_capital && !starts {
                NAME_WEIGHT
            } else {
                1.0
            };
            out.push(Term { text, weight });
        }
    }
    out
}

fn normalise(word: &str, is_number: bool) -> Option<String> {
    if is_number {
        let digits: String = word.chars().filter(|c| *c != ',').collect();
        let digits = digits.trim_end_matches('.').to_string();
        return Some(digits);
    }
    // "Gdańsk" and "Gdansk" are one word to a search.
    let lower: String = fold::fold_name(word)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase();
    // "Trump's" → "trump", "agencies'" → "agencies".
    let base = lower
        .trim_end_matches("'s")
        .trim_end_matches('\'')
        .to_string();
    if base.chars().count() < 2 || STOP_WORDS.contains(base.as_str()) {
        return None;
    }
    Some(stem(&base))
}

/// A light plural stemmer: "agencies" and "agency", "leaks" and "leak"
/// meet; anything cleverer costs more false matches than it finds.
fn stem(word: &str) -> String {
    if let Some(s) = word.strip_suffix("ies").filter(|s| s.len() >= 3) {
        return format!("{s}y");
    }
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        return word[..word.len() - 1].to_string();
    }
    word.to_string()
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
            text: text.to_string(),
            line_map: crate::corpus::LineMap::identity(text),
            title: parts.title,
            byline: parts.byline,
            date: parts.date,
            outlet: parts.outlet,
            paragraphs: parts.paragraphs,
            sentences: parts.sentences,
        }
    }

    fn harbour() -> PassageIndex {
        PassageIndex::build(&[
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
        ])
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
        let index = harbour();
        let hits = index.search(
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
    fn skipped_documents_are_never_returned() {
        let index = harbour();
        let hits = index.search("harbour closed 40 trawlers Monday", 5, &|d| d == 0);
        assert!(hits.iter().all(|h| h.doc == 1));
    }

    #[test]
    fn nothing_shared_finds_nothing() {
        let index = harbour();
        assert!(index
            .search("Völlig unbekannt 🙃", 5, &|_| false)
            .is_empty());
        assert!(PassageIndex::default()
            .search("harbour", 5, &|_| false)
            .is_empty());
    }
}
