//! One automaton over every alias of every entity, to find known names in
//! any text fast: the whole corpus when it is indexed, a draft on every
//! keystroke. Matching runs over folded text (see [`super::fold`]), so
//! curly and straight apostrophes, "U.S." and "US", and a name broken across
//! a line inside a paragraph all match.
//!
//! The automaton is a double-array Aho-Corasick (daachorse): built in about
//! two-thirds of the time of a contiguous NFA, as fast to search, and
//! stored in the cache as it is, so that a restart over a large corpus
//! reads it back rather than building it again. A stored automaton carries
//! a checksum: one that does not match is refused like any corrupt cache.

use std::collections::HashMap;
use std::ops::Range;

use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder, MatchKind};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::fold::{fold_name, Folded};
use super::model::EntityId;

/// A known name found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameHit {
    pub entity: EntityId,
    /// Byte range of the name in the original text (no possessive).
    pub range: Range<usize>,
}

/// The automaton and what each pattern stands for.
#[derive(Clone, Default)]
pub struct NameIndex {
    automaton: Option<DoubleArrayAhoCorasick<u32>>,
    /// Per pattern (the automaton's value), its entity.
    entities: Vec<EntityId>,
}

impl std::fmt::Debug for NameIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameIndex")
            .field("patterns", &self.entities.len())
            .field(
                "automaton_bytes",
                &self.automaton.as_ref().map_or(0, |a| a.heap_bytes()),
            )
            .finish()
    }
}

/// A name index as the cache holds it.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    /// The automaton's own serialization, and its XXH3 checksum.
    #[serde(borrow, with = "serde_bytes")]
    automaton: std::borrow::Cow<'a, [u8]>,
    checksum: u64,
    entities: Vec<EntityId>,
}

impl Serialize for NameIndex {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let bytes = self
            .automaton
            .as_ref()
            .map(DoubleArrayAhoCorasick::serialize)
            .unwrap_or_default();
        Stored {
            checksum: twox_hash::XxHash3_64::oneshot(&bytes),
            automaton: bytes.into(),
            entities: self.entities.clone(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for NameIndex {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = Stored::deserialize(deserializer)?;
        if twox_hash::XxHash3_64::oneshot(&stored.automaton) != stored.checksum {
            return Err(D::Error::custom("name automaton fails its checksum"));
        }
        if stored.automaton.is_empty() {
            return Ok(NameIndex {
                automaton: None,
                entities: stored.entities,
            });
        }
        let (automaton, rest) = DoubleArrayAhoCorasick::<u32>::deserialize(&stored.automaton)
            .map_err(|e| D::Error::custom(format!("name automaton: {e}")))?;
        if !rest.is_empty() {
            return Err(D::Error::custom("name automaton: trailing bytes"));
        }
        Ok(NameIndex {
            automaton: Some(automaton),
            entities: stored.entities,
        })
    }
}

impl NameIndex {
    /// Build from `(alias, entity)` pairs. An alias claimed by two entities
    /// goes to the one listed first (callers list the better-attested first).
    pub fn new<'a>(aliases: impl IntoIterator<Item = (&'a str, EntityId)>) -> NameIndex {
        let mut seen: HashMap<String, EntityId> = HashMap::new();
        let mut patterns = Vec::new();
        let mut entities = Vec::new();
        for (alias, entity) in aliases {
            let mut forms = vec![fold_name(alias)];
            // "U.S." is also written "US", and the other way round is not
            // guessable, so only dotted forms get an undotted twin.
            if forms[0].contains('.') {
                let undotted: String = forms[0].chars().filter(|&c| c != '.').collect();
                if undotted.chars().count() >= 2 {
                    forms.push(undotted);
                }
            }
            for form in forms {
                if form.is_empty() || seen.contains_key(&form) {
                    continue;
                }
                seen.insert(form.clone(), entity);
                patterns.push(form);
                entities.push(entity);
            }
        }
        // Pattern `i`'s value is `i`. The builder refuses only past 16
        // million patterns; then no name is recognised, rather than a crash.
        let automaton = DoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build::<_, _, u32>(&patterns)
            .ok();
        NameIndex {
            automaton,
            entities,
        }
    }

    /// Every known name in `text`, in order, on word boundaries.
    pub fn find(&self, text: &str) -> Vec<NameHit> {
        let folded = Folded::new(text);
        self.find_folded(text, &folded)
    }

    /// Like [`NameIndex::find`] when the caller already folded the text.
    pub fn find_folded(&self, _text: &str, folded: &Folded) -> Vec<NameHit> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let hay = folded.text.as_str();
        let mut hits = Vec::new();
        for m in automaton.leftmost_find_iter(hay) {
            if !is_word_boundary(hay, m.start(), m.end()) {
                continue;
            }
            let Some(&entity) = self.entities.get(m.value() as usize) else {
                continue;
            };
            hits.push(NameHit {
                entity,
                range: folded.original(m.start()..m.end()),
            });
        }
        hits
    }
}

/// True when `start..end` of `text` is not part of a longer word: the name
/// "Ray" must not match inside "Rayburn" or "Murray".
fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let joins = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    // A name ending in a dot ("U.S.") may be followed by anything.
    let ends_with_dot = text[..end].ends_with('.');
    !joins(before) && (ends_with_dot || !joins(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_aliases_on_word_boundaries_with_possessives_and_line_breaks() {
        let index = NameIndex::new([("Anna Kowalczyk", 0), ("Kowalczyk", 0), ("Ray", 1)]);
        let text = "Anna\nKowalczyk’s plan; Rayburn and Murray; Ray.";
        let hits = index.find(text);
        let found: Vec<(&str, usize)> = hits
            .iter()
            .map(|h| (&text[h.range.clone()], h.entity))
            .collect();
        assert_eq!(found, vec![("Anna\nKowalczyk", 0), ("Ray", 1)]);
    }

    #[test]
    fn dotted_and_undotted_spellings_both_match() {
        let index = NameIndex::new([("U.N.", 3)]);
        let text = "The UN and the U.N. agreed. 🙂 UNESCO did not.";
        let found: Vec<&str> = index
            .find(text)
            .iter()
            .map(|h| &text[h.range.clone()])
            .collect();
        assert_eq!(found, vec!["UN", "U.N."]);
    }

    #[test]
    fn longest_alias_wins() {
        let index = NameIndex::new([("Ministry of Fisheries", 0), ("Fisheries", 1)]);
        let text = "the Ministry of Fisheries said";
        let hits = index.find(text);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].entity, 0);
    }

    #[test]
    fn a_stored_index_finds_what_the_built_one_finds_and_a_damaged_one_is_refused() {
        let index = NameIndex::new([
            ("Zoë Ó Súilleabháin", 0),
            ("Ó Súilleabháin", 0),
            ("U.N.", 1),
            ("Ministry of Fisheries", 2),
        ]);
        let text = "Zoë\r\nÓ Súilleabháin’s 🙂 memo to the UN and the Ministry of Fisheries.";
        let bytes = postcard::to_allocvec(&index).expect("serializes");
        let back: NameIndex = postcard::from_bytes(&bytes).expect("reads back");
        assert_eq!(back.find(text), index.find(text));
        assert_eq!(index.find(text).len(), 3);
        // One byte changed inside the automaton: refused, not trusted.
        let mut damaged = bytes.clone();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0x55;
        let err = postcard::from_bytes::<NameIndex>(&damaged).map(|_| ());
        assert!(err.is_err());
        // An empty index stores and reads back empty.
        let empty: NameIndex =
            postcard::from_bytes(&postcard::to_allocvec(&NameIndex::default()).unwrap()).unwrap();
        assert!(empty.find(text).is_empty());
    }
}
