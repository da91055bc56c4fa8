//! Word lists that hold for any English news text: titles, organisation
//! words, outlet words, speech verbs, countries and nationalities, given
//! names. They live in plain data files beside this module (one entry per
//! line, `#` starts a comment) so the rules can be read apart from the code.
//! Nothing here names a particular article's people.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// A fast, non-cryptographic hasher for short keys (words, names). The
/// recognizers look up several lists for every word of every article, so
/// the default SipHash dominated indexing; nothing here hashes input an
/// attacker could tune against us in a way that matters (a slow look-up,
/// not a wrong one).
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // The table indexes with the low bits: fold the well-mixed high
        // bits of the product down.
        let h = self.0;
        (h ^ (h >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (h >> 29)
    }
}

/// Builds [`FastHasher`]s.
pub type FastBuild = BuildHasherDefault<FastHasher>;
/// A hash set with the fast hasher.
pub type FastSet<T> = HashSet<T, FastBuild>;
/// A hash map with the fast hasher.
pub type FastMap<K, V> = HashMap<K, V, FastBuild>;

fn load(data: &'static str) -> HashSet<&'static str> {
    data.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect()
}

macro_rules! word_list {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        pub static $name: LazyLock<HashSet<&'static str>> =
            LazyLock::new(|| load(include_str!($file)));
    };
}

word_list!(
    /// Titles and ranks that stand before a name: "President", "Director".
    TITLES, "titles.txt");
word_list!(
    /// Words that make a capitalised phrase an organisation: "Agency".
    ORG_WORDS, "org_words.txt");
word_list!(
    /// Words that make a capitalised phrase a news outlet: "Times", "Post".
    OUTLET_WORDS, "outlet_words.txt");
word_list!(
    /// Verbs of saying and reporting, in all their forms: "said", "told".
    SPEECH_VERBS, "speech_verbs.txt");
word_list!(
    /// Countries, regions and well-known cities.
    PLACES, "places.txt");
word_list!(
    /// Nationality and demonym adjectives: "Israeli", "British".
    NATIONALITIES, "nationalities.txt");
word_list!(
    /// Common given names from many languages.
    GIVEN_NAMES, "given_names.txt");
word_list!(
    /// Capitalised words that are not names when they open a sentence or
    /// stand alone: "The", "Monday", "January".
    NON_NAMES, "non_names.txt");

word_list!(
    /// Words inside a title phrase before the title proper: "Deputy",
    /// "Foreign", "former" (stored capitalised).
    TITLE_MODIFIERS, "title_modifiers.txt");
word_list!(
    /// Common family names: weak evidence that a capitalised run is a person.
    SURNAMES, "surnames.txt");

word_list!(
    /// Words that end the name of a place or site: "County", "Street".
    PLACE_WORDS, "place_words.txt");
word_list!(
    /// Words that end the name of an event, law, award or work: "Cup",
    /// "Day", "Act".
    MISC_WORDS, "misc_words.txt");

// Every list in one table of flags, so a word is hashed once whichever
// lists are asked about (the recognizer asks several for each word).
pub const TITLE: u16 = 1 << 0;
pub const ORG_WORD: u16 = 1 << 1;
pub const OUTLET_WORD: u16 = 1 << 2;
pub const SPEECH_VERB: u16 = 1 << 3;
pub const PLACE: u16 = 1 << 4;
pub const NATIONALITY: u16 = 1 << 5;
pub const GIVEN_NAME: u16 = 1 << 6;
pub const NON_NAME: u16 = 1 << 7;
pub const TITLE_MODIFIER: u16 = 1 << 8;
pub const SURNAME: u16 = 1 << 9;
pub const PLACE_WORD: u16 = 1 << 10;
pub const MISC_WORD: u16 = 1 << 11;
pub const PERSON_NOUN: u16 = 1 << 12;

/// The longest entry of any list, in bytes: longer keys are in none.
static LONGEST: LazyLock<usize> =
    LazyLock::new(|| FLAGS.keys().map(|k| k.len()).max().unwrap_or(0));

static FLAGS: LazyLock<FastMap<&'static str, u16>> = LazyLock::new(|| {
    let lists: [(&'static str, u16); 13] = [
        (include_str!("titles.txt"), TITLE),
        (include_str!("org_words.txt"), ORG_WORD),
        (include_str!("outlet_words.txt"), OUTLET_WORD),
        (include_str!("speech_verbs.txt"), SPEECH_VERB),
        (include_str!("places.txt"), PLACE),
        (include_str!("nationalities.txt"), NATIONALITY),
        (include_str!("given_names.txt"), GIVEN_NAME),
        (include_str!("non_names.txt"), NON_NAME),
        (include_str!("title_modifiers.txt"), TITLE_MODIFIER),
        (include_str!("surnames.txt"), SURNAME),
        (include_str!("place_words.txt"), PLACE_WORD),
        (include_str!("misc_words.txt"), MISC_WORD),
        (include_str!("person_nouns.txt"), PERSON_NOUN),
    ];
    let mut map = FastMap::default();
    for (data, flag) in lists {
        for entry in load(data) {
            *map.entry(entry).or_insert(0) |= flag;
        }
    }
    map
});

/// The lists `word` is in, as a set of the flags above (0 for none).
#[inline]
pub fn flags(word: &str) -> u16 {
    if word.is_empty() || word.len() > *LONGEST {
        return 0;
    }
    FLAGS.get(word).copied().unwrap_or(0)
}

pub fn is_title(word: &str) -> bool {
    flags(word) & TITLE != 0
}
pub fn is_org_word(word: &str) -> bool {
    flags(word) & ORG_WORD != 0
}
pub fn is_outlet_word(word: &str) -> bool {
    flags(word) & OUTLET_WORD != 0
}
pub fn is_speech_verb(word: &str) -> bool {
    flags(word) & SPEECH_VERB != 0
}
pub fn is_place(name: &str) -> bool {
    flags(name) & PLACE != 0
}
pub fn is_nationality(word: &str) -> bool {
    flags(word) & NATIONALITY != 0
}
pub fn is_given_name(word: &str) -> bool {
    flags(word) & GIVEN_NAME != 0
}
pub fn is_non_name(word: &str) -> bool {
    flags(word) & NON_NAME != 0
}
pub fn is_title_modifier(word: &str) -> bool {
    flags(word) & TITLE_MODIFIER != 0
}
pub fn is_surname(word: &str) -> bool {
    flags(word) & SURNAME != 0
}
pub fn is_place_word(word: &str) -> bool {
    flags(word) & PLACE_WORD != 0
}
pub fn is_misc_word(word: &str) -> bool {
    flags(word) & MISC_WORD != 0
}

word_list!(
    /// Lower-case nouns that, after a possessive, show the owner is a
    /// person: "wife", "impeachment", "lawyer".
    PERSON_NOUNS, "person_nouns.txt");

pub fn is_person_noun(word: &str) -> bool {
    flags(word) & PERSON_NOUN != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_table_agrees_with_every_list() {
        let lists: [(&LazyLock<HashSet<&'static str>>, u16); 13] = [
            (&TITLES, TITLE),
            (&ORG_WORDS, ORG_WORD),
            (&OUTLET_WORDS, OUTLET_WORD),
            (&SPEECH_VERBS, SPEECH_VERB),
            (&PLACES, PLACE),
            (&NATIONALITIES, NATIONALITY),
            (&GIVEN_NAMES, GIVEN_NAME),
            (&NON_NAMES, NON_NAME),
            (&TITLE_MODIFIERS, TITLE_MODIFIER),
            (&SURNAMES, SURNAME),
            (&PLACE_WORDS, PLACE_WORD),
            (&MISC_WORDS, MISC_WORD),
            (&PERSON_NOUNS, PERSON_NOUN),
        ];
        for (set, flag) in lists {
            assert!(!set.is_empty());
            for word in set.iter() {
                assert!(flags(word) & flag != 0, "{word} lost flag {flag}");
            }
        }
        for (word, f) in FLAGS.iter() {
            for (set, flag) in lists {
                assert_eq!(f & flag != 0, set.contains(word), "{word}");
            }
        }
        // Words in no list, of any length, and odd text.
        for word in ["", "Kowalczyk-Wrzesień", "🙂", "\r\n", &"x".repeat(500)] {
            assert_eq!(flags(word), 0);
        }
    }

    #[test]
    fn the_fast_hasher_tells_words_apart() {
        let mut set: FastSet<String> = FastSet::default();
        for a in ["Anna", "anna", "Ann", "Annas", "Józef", "Józefa", ""] {
            assert!(set.insert(a.to_string()));
        }
        assert!(set.contains("Józef") && !set.contains("Jozef"));
    }
}
