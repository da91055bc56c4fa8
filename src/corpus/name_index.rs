//! One automaton over every alias of every entity, to find known names in
//! any text fast: the whole corpus when it is indexed, a draft on every
//! keystroke. Matching runs over folded text (see [`super::fold`]), so
//! curly and straight apostrophes, "U.S." and "US", and a name broken across
//! a line inside a paragraph all match.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

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
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    automaton: Option<AhoCorasick>,
    entities: Vec<EntityId>,
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
        // A contiguous NFA: built in a fraction of a DFA's time and memory
        // for tens of thousands of names, and still fast to search.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&patterns)
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
        for m in automaton.find_iter(hay) {
            if !is_word_boundary(hay, m.start(), m.end()) {
                continue;
            }
            hits.push(NameHit {
                entity: self.entities[m.pattern().as_usize()],
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
}
