//! Look-up tables for hover cards, worked out once per corpus: the quotes
//! each entity is given, and the short texts that may tie a person to an
//! organisation ("a former <org> operative" as a quote's speaker, "head of
//! <org>" as a person's role). Without them the first card of an agency of
//! a large archive scanned every quote and every person's roles.
//!
//! The tie texts are indexed by their words (maximal runs of letters and
//! digits, as written). A name found inside a text on word boundaries
//! always brings its first word whole, so the texts holding that word are
//! all the candidates; callers still test each one.

use super::model::{Entity, EntityId, EntityKind, Quote, SpeakerRef};
use crate::lexicon::FastMap;

/// The maximal runs of letters and digits of `text`, as written.
fn alnum_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// True when `needle` stands in `hay` on word boundaries, as written:
/// "CIA" in "a CIA officer", not in "CIAO".
pub fn contains_word(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A text that may tie a person to an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tie {
    /// The descriptive speaker of `quotes[i]`.
    Speaker(usize),
    /// Role `role` of person `person`.
    Role { person: EntityId, role: usize },
}

/// See the module documentation.
#[derive(Debug, Default)]
pub struct Ties {
    /// Entity → its quotes (indices into the corpus's quotes, in order),
    /// page furniture left out.
    quotes_by: FastMap<EntityId, Vec<usize>>,
    /// Word → the tie texts it stands in, in corpus order.
    by_word: FastMap<String, Vec<Tie>>,
}

impl Ties {
    pub fn new(entities: &[Entity], quotes: &[Quote]) -> Ties {
        let mut ties = Ties::default();
        let add = |text: &str, tie: Tie, by_word: &mut FastMap<String, Vec<Tie>>| {
            for word in alnum_runs(text) {
                let list = by_word.entry(word.to_string()).or_default();
                if list.last() != Some(&tie) {
                    list.push(tie);
                }
            }
        };
        for (i, q) in quotes.iter().enumerate() {
            match &q.speaker {
                Some(SpeakerRef::Entity(e)) if !q.boilerplate => {
                    ties.quotes_by.entry(*e).or_default().push(i);
                }
                Some(SpeakerRef::Descriptive(who)) => add(who, Tie::Speaker(i), &mut ties.by_word),
                _ => {}
            }
        }
        for (person, e) in entities.iter().enumerate() {
            if e.kind != EntityKind::Person {
                continue;
            }
            for (role, r) in e.roles.iter().enumerate() {
                add(&r.text, Tie::Role { person, role }, &mut ties.by_word);
            }
        }
        ties
    }

    /// The quotes given to `entity`, in corpus order (no page furniture).
    pub fn quotes_by(&self, entity: EntityId) -> &[usize] {
        self.quotes_by.get(&entity).map_or(&[], Vec::as_slice)
    }

    /// Every tie text that may hold one of `names`, in corpus order: all
    /// descriptive speakers first by quote, then roles by person and role.
    /// A name with no letter or digit cannot be looked up by word and
    /// brings nothing.
    pub fn candidates<'n>(&self, names: impl IntoIterator<Item = &'n str>) -> Vec<Tie> {
        let mut out: Vec<Tie> = names
            .into_iter()
            .filter_map(|n| alnum_runs(n).next())
            .filter_map(|w| self.by_word.get(w))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, CorpusOptions};

    /// Every quote and role that names an entity, found by scanning.
    fn scanned(corpus: &Corpus, names: &[&str]) -> Vec<Tie> {
        let holds = |text: &str| names.iter().any(|n| contains_word(text, n));
        let mut out = Vec::new();
        for (i, q) in corpus.quotes.iter().enumerate() {
            if let Some(SpeakerRef::Descriptive(who)) = &q.speaker {
                if holds(who) {
                    out.push(Tie::Speaker(i));
                }
            }
        }
        for (person, e) in corpus.entities.iter().enumerate() {
            if e.kind != EntityKind::Person {
                continue;
            }
            for (role, r) in e.roles.iter().enumerate() {
                if holds(&r.text) {
                    out.push(Tie::Role { person, role });
                }
            }
        }
        out
    }

    #[test]
    fn candidates_hold_every_tie_a_scan_finds_for_every_organisation() {
        let corpus = Corpus::load(&CorpusOptions::default());
        let ties = Ties::new(&corpus.entities, &corpus.quotes);
        let mut checked = 0;
        for e in corpus
            .entities
            .iter()
            .filter(|e| e.kind != EntityKind::Person)
        {
            let names: Vec<&str> = std::iter::once(e.name.as_str())
                .chain(e.aliases.iter().map(String::as_str))
                .collect();
            let found = ties.candidates(names.iter().copied());
            for tie in scanned(&corpus, &names) {
                assert!(found.contains(&tie), "{tie:?} for {} is missed", e.name);
                checked += 1;
            }
        }
        assert!(checked > 0, "the seeds tie someone to an organisation");
    }

    #[test]
    fn a_name_is_a_word_of_a_text_only_on_word_boundaries() {
        assert!(contains_word("a former CIA officer", "CIA"));
        assert!(contains_word("ex-U.S. envoy", "U.S."));
        assert!(!contains_word("CIAO and UNCIA", "CIA"));
        assert!(contains_word("São Paulo’s mayor", "São Paulo"));
        assert!(!contains_word("Paulo", ""));
    }

    #[test]
    fn quotes_by_an_entity_are_its_quotes_in_order_without_furniture() {
        let corpus = Corpus::load(&CorpusOptions::default());
        let ties = Ties::new(&corpus.entities, &corpus.quotes);
        for entity in 0..corpus.entities.len() {
            let scanned: Vec<usize> = (0..corpus.quotes.len())
                .filter(|&i| {
                    let q = &corpus.quotes[i];
                    !q.boilerplate && q.speaker == Some(SpeakerRef::Entity(entity))
                })
                .collect();
            assert_eq!(ties.quotes_by(entity), scanned.as_slice());
        }
    }
}
