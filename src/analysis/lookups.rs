//! Corpus look-ups remembered between checks of a draft.
//!
//! A keystroke changes one sentence; the quotations and claims of every
//! other sentence are looked up again with the same words against the same
//! corpus, and get the same answer. [`Lookups`] keeps those answers for one
//! corpus (it lives beside the served corpus and goes with it), so a
//! re-check pays only for what changed.
//!
//! Two generations bound it: answers go into the young one, and when that
//! fills up, the old one is dropped and the young one becomes old. An
//! answer found in the old one moves back to the young, so whatever the
//! last few checks used survives however long the session runs.

use std::hash::Hash;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::analysis::checks::unsourced_claim::{Claim, Support};
use crate::analysis::quote_source::{Located, QuoteSource, SourceHit};
use crate::corpus::EntityId;
use crate::lexicon::FastMap;

/// Answers of each kind kept per generation: several drafts' worth (a
/// 3 MB document has about 2,000 quotations and 8,000 claims).
const GENERATION: usize = 16_384;

/// A claim's words and the draft file it stands in.
type ClaimKey = (String, Option<PathBuf>);

/// A quotation's words, the draft's speaker of it as written, and how the
/// draft reads that speaker.
type AttributionKey = (String, String, String);

/// A draft's length and text hash, and the claims a check found in it.
type KeptClaims = (usize, u64, Arc<[Claim]>);

/// What a check asked of one corpus, and what it was told.
#[derive(Debug, Default)]
pub struct Lookups {
    quotes: Mutex<TwoGenerations<String, Arc<QuoteSource>>>,
    /// The first places of quotations found in many, as a check's first
    /// look-up left them (whole answers go in `quotes`).
    previews: Mutex<TwoGenerations<String, Arc<QuoteSource>>>,
    /// Keyed by the claim and the draft's own file (left out of the
    /// search).
    supports: Mutex<TwoGenerations<ClaimKey, Option<Support>>>,
    /// A quotation given to a speaker the first places do not agree on →
    /// the place of the sources' own speaker, if they have another.
    attributions: Mutex<TwoGenerations<AttributionKey, Option<SourceHit>>>,
    /// A name as written → the known spelling it nearly is.
    variants: Mutex<TwoGenerations<String, Option<String>>>,
    /// An entity's hover card (it depends on the corpus alone).
    cards: Mutex<TwoGenerations<EntityId, Arc<str>>>,
    /// The claims the last check found, with its draft's length and hash:
    /// a hover between keystrokes asks about that same text.
    claims: Mutex<Option<KeptClaims>>,
}

impl Lookups {
    /// Where a quotation stands, from memory or from `find`.
    pub fn quote(&self, quote: &str, find: impl FnOnce() -> QuoteSource) -> Arc<QuoteSource> {
        remember(&self.quotes, quote, str::to_string, || Arc::new(find()))
    }

    /// A check's first look-up of a quotation: the whole answer when one is
    /// remembered, else the first places remembered, else `look` (whose
    /// answer is kept with the whole ones when it is whole).
    pub fn quote_preview(&self, quote: &str, look: impl FnOnce() -> Located) -> Located {
        let whole = self.quotes.lock().ok().and_then(|mut m| m.get(quote));
        if let Some(source) = whole {
            return Located {
                source,
                whole: true,
            };
        }
        let first = self.previews.lock().ok().and_then(|mut m| m.get(quote));
        if let Some(source) = first {
            return Located {
                source,
                whole: false,
            };
        }
        let found = look();
        let kept = if found.whole {
            &self.quotes
        } else {
            &self.previews
        };
        if let Ok(mut m) = kept.lock() {
            m.insert(quote.to_string(), Arc::clone(&found.source));
        }
        found
    }

    /// The support of a claim, from memory or from `find`.
    pub fn support(
        &self,
        claim: &str,
        file: Option<&PathBuf>,
        find: impl FnOnce() -> Option<Support>,
    ) -> Option<Support> {
        let key = (claim.to_string(), file.cloned());
        remember(&self.supports, &key, Clone::clone, find)
    }

    /// Where the sources give `quote` to someone other than the draft's
    /// `speaker` (written `name`), from memory or from `judge`.
    pub fn attribution(
        &self,
        quote: &str,
        name: &str,
        speaker: &str,
        judge: impl FnOnce() -> Option<SourceHit>,
    ) -> Option<SourceHit> {
        let key = (quote.to_string(), name.to_string(), speaker.to_string());
        remember(&self.attributions, &key, Clone::clone, judge)
    }

    /// The known spelling a name nearly is, from memory or from `find`.
    pub fn variant(&self, name: &str, find: impl FnOnce() -> Option<String>) -> Option<String> {
        remember(&self.variants, name, str::to_string, find)
    }

    /// An entity's card, from memory or from `make`.
    pub fn card(&self, entity: EntityId, make: impl FnOnce() -> String) -> Arc<str> {
        remember(&self.cards, &entity, |e| *e, || make().into())
    }

    /// Keep the claims a check found in `text`.
    pub fn keep_claims(&self, text: &str, claims: Arc<[Claim]>) {
        let key = (text.len(), text_hash(text));
        if let Ok(mut kept) = self.claims.lock() {
            *kept = Some((key.0, key.1, claims));
        }
    }

    /// The claims the last check found, if it read `text`.
    pub fn claims_of(&self, text: &str) -> Option<Arc<[Claim]>> {
        let kept = self.claims.lock().ok()?;
        let (len, hash, claims) = kept.as_ref()?;
        (*len == text.len() && *hash == text_hash(text)).then(|| Arc::clone(claims))
    }

    /// Answers held, of every kind.
    pub fn len(&self) -> usize {
        let q =
            self.quotes.lock().map_or(0, |m| m.len()) + self.previews.lock().map_or(0, |m| m.len());
        let v = self.variants.lock().map_or(0, |m| m.len());
        q + v + self.supports.lock().map_or(0, |m| m.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn text_hash(text: &str) -> u64 {
    twox_hash::XxHash3_64::oneshot(text.as_bytes())
}

/// The answer for `key`, from `memory` or from `find` (then kept). The
/// lock is not held while `find` runs: look-ups of other keys go on.
fn remember<K, V, Q>(
    memory: &Mutex<TwoGenerations<K, V>>,
    key: &Q,
    owned: impl FnOnce(&Q) -> K,
    find: impl FnOnce() -> V,
) -> V
where
    K: Hash + Eq + std::borrow::Borrow<Q>,
    Q: Hash + Eq + ?Sized,
    V: Clone,
{
    if let Some(found) = memory.lock().ok().and_then(|mut m| m.get(key)) {
        return found;
    }
    let found = find();
    if let Ok(mut m) = memory.lock() {
        m.insert(owned(key), found.clone());
    }
    found
}

#[derive(Debug)]
struct TwoGenerations<K, V> {
    young: FastMap<K, V>,
    old: FastMap<K, V>,
    cap: usize,
}

impl<K, V> Default for TwoGenerations<K, V> {
    fn default() -> Self {
        TwoGenerations {
            young: FastMap::default(),
            old: FastMap::default(),
            cap: GENERATION,
        }
    }
}

impl<K: Hash + Eq, V: Clone> TwoGenerations<K, V> {
    fn get<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(v) = self.young.get(key) {
            return Some(v.clone());
        }
        let (k, v) = self.old.remove_entry(key)?;
        let found = v.clone();
        self.insert(k, v);
        Some(found)
    }

    fn insert(&mut self, key: K, value: V) {
        if self.young.len() >= self.cap {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(key, value);
    }

    fn len(&self) -> usize {
        self.young.len() + self.old.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::analysis::checks::{self, CheckOptions};
    use crate::analysis::draft::Draft;
    use crate::corpus::{Corpus, CorpusOptions};

    #[test]
    fn a_re_check_from_memory_says_what_a_fresh_check_says() {
        let corpus = Corpus::load(&CorpusOptions::default());
        let draft = include_str!("../../examples/draft.md");
        let memo = Arc::new(Lookups::default());
        let remembering = CheckOptions {
            lookups: Some(Arc::clone(&memo)),
            ..CheckOptions::default()
        };
        let first = checks::run(&corpus, &Draft::read(draft, true, &corpus), &remembering);
        let held = memo.len();
        assert!(held > 0);
        // A keystroke's worth of change in the middle of the draft: a new
        // claim and a new quotation, the rest as it was.
        let middle = draft[..draft.len() / 2]
            .rfind("\n\n")
            .expect("a paragraph break");
        let edited = format!(
            "{}\n\nThe harbour will close on 3 March, officials said “for good”.{}",
            &draft[..middle],
            &draft[middle..]
        );
        let again = checks::run(&corpus, &Draft::read(&edited, true, &corpus), &remembering);
        let fresh = checks::run(
            &corpus,
            &Draft::read(&edited, true, &corpus),
            &CheckOptions::default(),
        );
        assert_eq!(again, fresh);
        assert!(first.len() <= again.len());
        // Only the edit was looked up anew.
        assert!(memo.len() <= held + 3, "{} then {}", held, memo.len());
    }

    #[test]
    fn an_answer_is_found_once_and_remembered() {
        let lookups = Lookups::default();
        let mut asked = 0;
        for _ in 0..3 {
            let found = lookups.quote("we will rebuild", || {
                asked += 1;
                QuoteSource::NotFound
            });
            assert_eq!(*found, QuoteSource::NotFound);
        }
        assert_eq!(asked, 1);
        // A claim is remembered per draft file: the file is left out of
        // its own search.
        let file = Some(PathBuf::from("draft.md"));
        lookups.support("The harbour closed.", None, || None);
        let mut asked_with_file = false;
        lookups.support("The harbour closed.", file.as_ref(), || {
            asked_with_file = true;
            None
        });
        assert!(asked_with_file);
    }

    #[test]
    fn what_recent_checks_used_survives_a_full_generation() {
        let mut gens: TwoGenerations<u32, u32> = TwoGenerations {
            cap: 4,
            ..TwoGenerations::default()
        };
        gens.insert(0, 0);
        for k in 1..20 {
            gens.insert(k, k);
            // Key 0 is used by every "check".
            assert_eq!(gens.get(&0), Some(0), "after {k}");
        }
        // Bounded: two generations of at most `cap` each.
        assert!(gens.len() <= 8);
        assert_eq!(gens.get(&1), None);
    }
}
