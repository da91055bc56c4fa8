//! What the sources say a person is: a title before the name ("<org>
//! Director <name>", "<nationality> Foreign Minister <name>"), an appositive
//! after it ("<name>, a retired <org> officer,"), "<name>, who served as …",
//! and a byline's role after the name. Each role keeps the range it was read
//! from so a card can cite the line.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use crate::lexicon;

fn load(data: &'static str) -> HashSet<&'static str> {
    data.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect()
}

static ROLE_WORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| load(include_str!("role_words.txt")));
static ROLE_NOUNS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| load(include_str!("role_nouns.txt")));

/// Words that join the parts of a role: "Director of National Intelligence",
/// "Senior Fellow at the … Institute for Defence and Security Studies".
const CONNECTORS: &[&str] = &["of", "for", "and", "at", "the", "on", "in", "to", "&"];
const ARTICLES: &[&str] = &["a", "an", "the"];

/// Capitalised words that end a role phrase when met walking back from a
/// name: pronouns, determiners, days and months ("On Monday CIA Director…").
const STOP_CAPITALISED: &[&str] = &[
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "My",
    "Your",
    "This",
    "That",
    "These",
    "Those",
    "But",
    "And",
    "Or",
    "So",
    "Yet",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "As",
    "If",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Yesterday",
    "Today",
    "Tomorrow",
    "Last",
    "Next",
    "Meanwhile",
    "Also",
    "Then",
    "Now",
];

/// True for a word that names a role: a title ("Director", "Secretary"),
/// or a role noun in any case ("spokeswoman", "Officer").
fn is_role_noun(word: &str) -> bool {
    let w = word.trim_end_matches(['.', ',']);
    if lexicon::is_title(w) || lexicon::is_title(word) {
        return true;
    }
    let lower = w.to_lowercase();
    ROLE_NOUNS.contains(lower.as_str()) || ROLE_NOUNS.contains(lower.trim_end_matches('s'))
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_uppercase())
}

/// True when `range` lies inside `text` on character boundaries: callers'
/// ranges are checked once so the slicing below cannot panic.
fn valid(text: &str, range: &Range<usize>) -> bool {
    range.start <= range.end && text.get(range.clone()).is_some()
}

/// Words of `text[range]` with their byte ranges, split on white space.
fn words(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(s..at);
            }
        } else if start.is_none() {
            start = Some(at);
        }
    }
    if let Some(s) = start {
        out.push(s..range.end);
    }
    out
}

/// Trailing punctuation that ends a role phrase when it follows a word.
fn ends_clause(word: &str) -> bool {
    word.ends_with([
        ',', ';', ':', '"', '”', '“', '(', ')', '.', '!', '?', '—', '–',
    ]) && !looks_dotted_abbreviation(word)
}

/// "U.K.", "U.S.", "Gen.": a dot that belongs to the word, not the sentence.
fn looks_dotted_abbreviation(word: &str) -> bool {
    let inner = word.trim_end_matches('.');
    (inner.contains('.') && inner.chars().all(|c| c.is_uppercase() || c == '.'))
        || (word.ends_with('.') && lexicon::is_title(word))
}

fn is_possessive(word: &str) -> bool {
    ["'s", "’s", "ʼs", "s'", "s’", "sʼ"]
        .iter()
        .any(|p| word.ends_with(p))
}

/// A role phrase directly before a person's name, within its sentence:
/// "CIA Director", "Israeli Defense Minister", "former national security
/// adviser", "Senior Fellow at the … Institute".
pub fn title_before(
    text: &str,
    name: Range<usize>,
    sentence: Range<usize>,
) -> Option<Range<usize>> {
    if name.start <= sentence.start || !valid(text, &name) || !valid(text, &sentence) {
        return None;
    }
    // The name must be separated from the role by plain space.
    let gap = &text[sentence.start..name.start];
    if !gap.ends_with([' ', '\t', '\n']) {
        return None;
    }
    let ws = words(text, sentence.start..name.start);
    let mut taken: Vec<Range<usize>> = Vec::new();
    for w in ws.iter().rev() {
        let raw = &text[w.clone()];
        // "[Israeli Prime Minister X]": an opening mark starts the role.
        let opened = raw.starts_with(['[', '(', '“', '"', '‘']);
        let w = if opened {
            let skip = raw.chars().next().map_or(0, char::len_utf8);
            w.start + skip..w.end
        } else {
            w.clone()
        };
        let word = &text[w.clone()];
        if word.is_empty() || ends_clause(word) || is_possessive(word) || taken.len() >= 14 {
            break;
        }
        let lower = word.to_lowercase();
        let ok = if CONNECTORS.contains(&lower.as_str()) && is_capitalised(word) {
            false // "The" opening a role is where it starts, not inside it
        } else if CONNECTORS.contains(&word) {
            true
        } else if is_capitalised(word) {
            !STOP_CAPITALISED.contains(&word)
        } else {
            ROLE_WORDS.contains(lower.as_str()) || is_role_noun(word)
        };
        if !ok {
            break;
        }
        taken.push(w);
        if opened {
            break;
        }
    }
    taken.reverse();
    // "X's adviser Ann Lee and former minister Tom Nowak": when the words
    // after an "and" hold a role of their own, the role is only those words.
    if let Some(and) = taken.iter().rposition(|w| &text[w.clone()] == "and") {
        let tail_has_role = taken[and + 1..]
            .iter()
            .any(|w| is_role_word(&text[w.clone()]));
        if tail_has_role {
            taken.drain(..=and);
        }
    }
    // Trim connectors off both ends: "with the" and "and" are not roles.
    while taken
        .first()
        .is_some_and(|w| CONNECTORS.contains(&text[w.clone()].to_lowercase().as_str()))
    {
        taken.remove(0);
    }
    while taken
        .last()
        .is_some_and(|w| CONNECTORS.contains(&text[w.clone()].to_lowercase().as_str()))
    {
        taken.pop();
    }
    let first = taken.first()?.start;
    let last = taken.last()?.end;
    // Only the word next to the name, or a title among the capitalised words,
    // makes it a role; "Kremlin" or "Monday" alone does not.
    let has_role = taken.iter().any(|w| {
        let word = &text[w.clone()];
        is_role_noun(word) && !is_honorific(word)
    });
    has_role.then_some(first..last)
}

/// A word that names a role ("Director", "spokeswoman", "operative"), not
/// counting honorifics such as "Mr.".
pub fn is_role_word(word: &str) -> bool {
    is_role_noun(word) && !is_honorific(word)
}

fn is_honorific(word: &str) -> bool {
    matches!(
        word.trim_end_matches('.'),
        "Mr" | "Mrs" | "Ms" | "Miss" | "Mx" | "Dr" | "Sir" | "Dame" | "Lord" | "Lady"
    )
}

/// An appositive after a name: "<name>, a retired CIA officer, told …",
/// "<name>, leader of the X Party, was …". The range excludes the article.
pub fn appositive_after(
    text: &str,
    name: Range<usize>,
    sentence: Range<usize>,
) -> Option<Range<usize>> {
    let rest_start = name.end;
    if rest_start >= sentence.end || !valid(text, &name) || !valid(text, &sentence) {
        return None;
    }
    let rest = &text[rest_start..sentence.end];
    let after_comma = rest.strip_prefix(", ")?;
    let phrase_start = rest_start + 2;
    // The phrase runs to the next comma, dash or the sentence end.
    let end_rel = after_comma
        .find([',', ';', '(', '—', '–', '"', '“', '”'])
        .unwrap_or(after_comma.trim_end_matches(['.', '!', '?']).len());
    let phrase_end = phrase_start + end_rel;
    let ws = words(text, phrase_start..phrase_end);
    if ws.is_empty() || ws.len() > 16 {
        return None;
    }
    let first = text[ws[0].clone()].to_lowercase();
    if first == "who" || first == "which" || first == "and" {
        return None;
    }
    // A speech verb means this is a clause, not a description.
    // (Only words written in lower case: "State" in "State Department" is
    // a name, not the verb.)
    if ws.iter().any(|w| {
        let word = &text[w.clone()];
        !is_capitalised(word) && lexicon::is_speech_verb(word)
    }) {
        return None;
    }
    // The role noun must come early: "a retired CIA officer".
    if !ws.iter().take(7).any(|w| is_role_noun(&text[w.clone()])) {
        return None;
    }
    // "Ann Lee, Senator Tom Nowak, and …" is a list of people, not a role.
    let last_word = &text[ws[ws.len() - 1].clone()];
    if is_capitalised(&text[ws[0].clone()])
        && ws.len() >= 2
        && is_capitalised(last_word)
        && !is_role_noun(last_word)
        && !lexicon::is_org_word(last_word)
    {
        return None;
    }
    let opens_like_description = ARTICLES.contains(&first.as_str())
        || first == "one"
        || ROLE_WORDS.contains(first.as_str())
        || is_role_noun(&text[ws[0].clone()])
        || lexicon::is_nationality(&text[ws[0].clone()]);
    if !opens_like_description {
        return None;
    }
    let start = if ARTICLES.contains(&first.as_str()) {
        ws.get(1)?.start
    } else {
        ws[0].start
    };
    Some(start..ws.last()?.end)
}

/// "<name>, who served as X during …" or "<name> served as X": the role
/// range covers "served as X".
pub fn served_as(text: &str, name: Range<usize>, sentence: Range<usize>) -> Option<Range<usize>> {
    if name.end >= sentence.end || !valid(text, &name) || !valid(text, &sentence) {
        return None;
    }
    let rest = &text[name.end..sentence.end];
    let skip = [
        "s served as ",
        "’s served as ",
        ", who served as ",
        " served as ",
        " has served as ",
        " who served as ",
    ]
    .iter()
    .find(|p| rest.starts_with(*p))?;
    // The role reads "served as X" so a card does not present a past post
    // as a present one.
    let start = name.end + skip.len();
    let served = start - "served as ".len();
    let tail = &text[start..sentence.end];
    let mut end = tail.len();
    for stop in [
        " during ", " under ", " from ", " until ", " since ", " in ", " and ", ",", ";", ".",
    ] {
        if let Some(i) = tail.find(stop) {
            end = end.min(i);
        }
    }
    let n = words(text, start..start + end).len();
    (n > 0 && n <= 10).then_some(served..start + end)
}

/// A byline's role after the name on the same short line:
/// "<name> Staff Correspondent".
pub fn byline_role_after(text: &str, name: Range<usize>) -> Option<Range<usize>> {
    if !valid(text, &name) {
        return None;
    }
    let line_end = text[name.end..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| name.end + i);
    let line_start = text[..name.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    if !text[line_start..name.start].trim().is_empty() {
        return None;
    }
    let ws = words(text, name.end..line_end);
    if ws.is_empty() || ws.len() > 6 {
        return None;
    }
    let all_caps_words = ws.iter().all(|w| is_capitalised(&text[w.clone()]));
    let last = &text[ws.last()?.clone()];
    (all_caps_words && is_role_noun(last)).then(|| ws[0].start..ws.last().map_or(0, |w| w.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, name: &str) -> Range<usize> {
        let s = text.find(name).expect("name in text");
        s..s + name.len()
    }

    fn before(text: &str, name: &str) -> Option<String> {
        title_before(text, at(text, name), 0..text.len()).map(|r| text[r].to_string())
    }

    #[test]
    fn titles_with_their_organisation_before_a_name() {
        let t = "Talks went on with Fisheries Board Director Anna Kowalczyk on Monday.";
        assert_eq!(
            before(t, "Anna Kowalczyk").as_deref(),
            Some("Fisheries Board Director")
        );
        let t = "Polish Deputy Foreign Minister Józef Nowak said so.";
        assert_eq!(
            before(t, "Józef Nowak").as_deref(),
            Some("Polish Deputy Foreign Minister")
        );
        let t = "the talks, Senior Fellow at the Institute for Coastal Studies Mara Oduya wrote.";
        assert_eq!(
            before(t, "Mara Oduya").as_deref(),
            Some("Senior Fellow at the Institute for Coastal Studies")
        );
    }

    #[test]
    fn bracketed_and_capitalised_roles() {
        let t = "But [Chilean Prime Minister Ana Reyes] agreed.";
        assert_eq!(
            before(t, "Ana Reyes").as_deref(),
            Some("Chilean Prime Minister")
        );
        let t = "U.K. Home Secretary Eva Lind said";
        assert_eq!(
            before(t, "Eva Lind").as_deref(),
            Some("U.K. Home Secretary")
        );
        let t = "On Monday Harbour Director Eva Lind said";
        assert_eq!(before(t, "Eva Lind").as_deref(), Some("Harbour Director"));
    }

    #[test]
    fn lower_case_roles_and_possessives() {
        let t = "He named his former deputy harbour adviser Tomás Ruiz.";
        // "harbour" is not a role word, so the role stops at the noun.
        assert_eq!(before(t, "Tomás Ruiz").as_deref(), Some("adviser"));
        let t = "the Board’s spokeswoman Eva Lind said";
        assert_eq!(before(t, "Eva Lind").as_deref(), Some("spokeswoman"));
    }

    #[test]
    fn no_role_from_a_verb_a_name_or_an_honorific() {
        assert_eq!(
            before("They met with Anna Kowalczyk.", "Anna Kowalczyk"),
            None
        );
        assert_eq!(
            before("Talks between Nowak and Anna Kowalczyk.", "Anna Kowalczyk"),
            None
        );
        assert_eq!(before("Yesterday Mr. Tomás Ruiz left.", "Tomás Ruiz"), None);
        assert_eq!(
            before("“We agree,” Anna Kowalczyk said.", "Anna Kowalczyk"),
            None
        );
    }

    #[test]
    fn appositives_describe_the_person() {
        let t = "“No,” Tomás Ruiz, a retired Coast Guard officer, told the paper.";
        let r = appositive_after(t, at(t, "Tomás Ruiz"), 0..t.len()).unwrap();
        assert_eq!(&t[r], "retired Coast Guard officer");
        let t = "Tom Nowak, a counsellor at the State Department, left.";
        let r = appositive_after(t, at(t, "Tom Nowak"), 0..t.len()).unwrap();
        assert_eq!(&t[r], "counsellor at the State Department");
        let t = "Eva Lind, the sources said, left.";
        assert_eq!(appositive_after(t, at(t, "Eva Lind"), 0..t.len()), None);
        let t = "Eva Lind, leader of the Harbour Party, was elected.";
        let r = appositive_after(t, at(t, "Eva Lind"), 0..t.len()).unwrap();
        assert_eq!(&t[r], "leader of the Harbour Party");
    }

    #[test]
    fn a_role_stops_at_the_person_before_and() {
        let t = "It pitted Harbour Director Ann Lee and former foreign minister Tom Nowak.";
        assert_eq!(
            before(t, "Tom Nowak").as_deref(),
            Some("former foreign minister")
        );
        let t = "Fellow at the Institute for Coastal and Marine Studies Ann Lee said";
        assert_eq!(
            before(t, "Ann Lee").as_deref(),
            Some("Fellow at the Institute for Coastal and Marine Studies")
        );
    }

    #[test]
    fn a_list_of_people_is_not_an_appositive() {
        let t = "Ann Lee, Senator Tom Nowak, and others came.";
        assert_eq!(appositive_after(t, at(t, "Ann Lee"), 0..t.len()), None);
    }

    #[test]
    fn served_as_gives_the_post() {
        let t = "Nowak served as head of the port authority during the war.";
        let r = served_as(t, at(t, "Nowak"), 0..t.len()).unwrap();
        assert_eq!(&t[r], "served as head of the port authority");
    }

    #[test]
    fn byline_role_after_name() {
        let t = "Headline\r\nMara Oduya Senior Correspondent\r\nBody.";
        let r = byline_role_after(t, at(t, "Mara Oduya")).unwrap();
        assert_eq!(&t[r], "Senior Correspondent");
        let t = "Mara Oduya Went Home\n";
        assert_eq!(byline_role_after(t, at(t, "Mara Oduya")), None);
    }
}
