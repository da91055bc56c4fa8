//! Word lists that hold for any English news text: titles, organisation
//! words, outlet words, speech verbs, countries and nationalities, given
//! names. They live in plain data files beside this module (one entry per
//! line, `#` starts a comment) so the rules can be read apart from the code.
//! Nothing here names a particular article's people.

use std::collections::HashSet;
use std::sync::LazyLock;

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

pub fn is_title(word: &str) -> bool {
    TITLES.contains(word)
}
pub fn is_org_word(word: &str) -> bool {
    ORG_WORDS.contains(word)
}
pub fn is_outlet_word(word: &str) -> bool {
    OUTLET_WORDS.contains(word)
}
pub fn is_speech_verb(word: &str) -> bool {
    SPEECH_VERBS.contains(word)
}
pub fn is_place(name: &str) -> bool {
    PLACES.contains(name)
}
pub fn is_nationality(word: &str) -> bool {
    NATIONALITIES.contains(word)
}
pub fn is_given_name(word: &str) -> bool {
    GIVEN_NAMES.contains(word)
}
pub fn is_non_name(word: &str) -> bool {
    NON_NAMES.contains(word)
}
pub fn is_title_modifier(word: &str) -> bool {
    TITLE_MODIFIERS.contains(word)
}
pub fn is_surname(word: &str) -> bool {
    SURNAMES.contains(word)
}
pub fn is_place_word(word: &str) -> bool {
    PLACE_WORDS.contains(word)
}
pub fn is_misc_word(word: &str) -> bool {
    MISC_WORDS.contains(word)
}

word_list!(
    /// Lower-case nouns that, after a possessive, show the owner is a
    /// person: "wife", "impeachment", "lawyer".
    PERSON_NOUNS, "person_nouns.txt");

pub fn is_person_noun(word: &str) -> bool {
    PERSON_NOUNS.contains(word)
}
