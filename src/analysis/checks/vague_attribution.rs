//! `vague-attribution`: words put in the mouth of nobody in particular —
//! "officials said", "sources close to the president", "it is understood",
//! "critics argue", "many believe".
//!
//! Readers weigh a claim by who makes it; a phrase that hides the source
//! asks them to trust the writer instead. This is information, not an
//! error: unnamed sourcing is sometimes the only way, but it should be a
//! choice. The phrases live in `vague_attribution.txt`: unnamed subjects
//! with a verb of saying or believing on either side ("officials said",
//! "said officials"), fixed phrases, and open phrases that run on with a
//! description up to their verb ("sources close to the president said").

use std::ops::Range;
use std::sync::LazyLock;

use super::{finding, one_line, sections, Checked, Context, Word};
use crate::lexicon::{self, FastMap};
use crate::server::Severity;

pub const CODE: &str = "vague-attribution";

static WORDS: LazyLock<super::Sections> =
    LazyLock::new(|| sections(include_str!("vague_attribution.txt")));

/// Multi-word phrases of a section, as word lists, found by their first
/// word (every word of the draft is asked about).
struct Phrases(FastMap<&'static str, Vec<Vec<&'static str>>>);

impl Phrases {
    fn of(section: &str) -> Phrases {
        let mut by_first: FastMap<&'static str, Vec<Vec<&'static str>>> = FastMap::default();
        for p in WORDS.entries(section) {
            let words: Vec<&'static str> = p.split(' ').collect();
            by_first.entry(words[0]).or_default().push(words);
        }
        Phrases(by_first)
    }

    /// The phrases opening with `word`, in file order.
    fn starting(&self, word: &str) -> &[Vec<&'static str>] {
        self.0.get(word).map_or(&[], Vec::as_slice)
    }
}

static FIXED: LazyLock<Phrases> = LazyLock::new(|| Phrases::of("phrases"));
static OPEN: LazyLock<Phrases> = LazyLock::new(|| Phrases::of("open"));

/// The sections of `vague_attribution.txt` a draft's words are asked about,
/// as bits of [`super::Sections::bits`].
struct Masks {
    verbs: u64,
    subjects: u64,
    modifiers: u64,
    aux: u64,
}

static M: LazyLock<Masks> = LazyLock::new(|| Masks {
    verbs: WORDS.mask("verbs"),
    subjects: WORDS.mask("subjects"),
    modifiers: WORDS.mask("modifiers"),
    aux: WORDS.mask("aux"),
});

/// A verb of saying or believing (`bits`: the word's sections).
fn is_verb(word: &str, bits: u64) -> bool {
    bits & M.verbs != 0 || lexicon::is_speech_verb(word)
}

/// "the talks", "a report": a noun, whatever the verb list says.
fn is_determiner(word: &str) -> bool {
    matches!(
        word,
        "the" | "a" | "an" | "this" | "that" | "these" | "those" | "their" | "its"
    )
}

/// How far an open phrase may run looking for its verb.
const OPEN_REACH: usize = 8;

pub(crate) fn check(cx: &Context) -> Vec<Checked> {
    let words = &cx.words;
    let lower: Vec<&str> = words.iter().map(|w| w.lower.as_ref()).collect();
    let bits: Vec<u64> = lower.iter().map(|l| WORDS.bits(l)).collect();
    let mut found: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if cx.is_quoted(&words[i].range) {
            i += 1;
            continue;
        }
        let span = fixed_at(cx, &lower, i)
            .or_else(|| open_at(cx, &lower, &bits, i))
            .or_else(|| subject_at(cx, &lower, &bits, i));
        match span {
            Some((a, b)) => {
                found.push(words[a].range.start..words[b].range.end);
                i = b + 1;
            }
            None => i += 1,
        }
    }
    found
        .into_iter()
        .map(|r| {
            let phrase = one_line(cx.text(&r));
            Checked {
                finding: finding(
                    CODE,
                    Severity::Information,
                    r,
                    format!("\"{phrase}\": the source is not named"),
                ),
                fixes: Vec::new(),
            }
        })
        .collect()
}

/// Whether words `a` and `b` (a < b) stand in one clause: no sentence end
/// or comma between them.
fn same_clause(cx: &Context, a: &Word, b: &Word) -> bool {
    // The last dot of "U.S." is part of the word, not a full stop.
    let from = if a.text.contains('.') {
        a.range.end + 1
    } else {
        a.range.end
    };
    cx.draft
        .prose
        .get(from.min(b.range.start)..b.range.start)
        .is_some_and(|gap| {
            !gap.contains(['.', ',', ';', ':', '!', '?', '“', '”', '"'])
                && gap.matches('\n').count() < 2
        })
}

/// Whether `phrase` is spelt by the words from `i`, in one clause.
fn matches_at(cx: &Context, lower: &[&str], i: usize, phrase: &[&str]) -> bool {
    phrase.len() <= lower.len() - i
        && phrase.iter().enumerate().all(|(k, p)| lower[i + k] == *p)
        && (1..phrase.len()).all(|k| same_clause(cx, &cx.words[i + k - 1], &cx.words[i + k]))
}

fn fixed_at(cx: &Context, lower: &[&str], i: usize) -> Option<(usize, usize)> {
    FIXED
        .starting(lower[i])
        .iter()
        .filter(|p| matches_at(cx, lower, i, p))
        .map(|p| (i, i + p.len() - 1))
        .max_by_key(|s| s.1)
}

/// "sources close to the president said": the phrase, its description, and
/// its verb when one follows in the same clause.
fn open_at(cx: &Context, lower: &[&str], bits: &[u64], i: usize) -> Option<(usize, usize)> {
    let phrase = OPEN
        .starting(lower[i])
        .iter()
        .filter(|p| matches_at(cx, lower, i, p))
        .max_by_key(|p| p.len())?;
    let mut end = i + phrase.len() - 1;
    for j in end + 1..(end + 1 + OPEN_REACH).min(lower.len()) {
        if !same_clause(cx, &cx.words[j - 1], &cx.words[j]) {
            break;
        }
        if bits[j] & M.verbs != 0 && !is_determiner(lower[j - 1]) {
            return Some((i, j));
        }
    }
    // No verb: the description runs to the end of the clause, briefly.
    for j in end + 1..(end + 4).min(lower.len()) {
        if !same_clause(cx, &cx.words[j - 1], &cx.words[j]) {
            break;
        }
        end = j;
    }
    Some((i, end))
}

/// "senior officials have said", "said officials", "many believe".
fn subject_at(cx: &Context, lower: &[&str], bits: &[u64], i: usize) -> Option<(usize, usize)> {
    if bits[i] & M.subjects == 0 {
        return None;
    }
    // A named body just before ("Ministry officials") names the source.
    let words = &cx.words;
    let mut start = i;
    while start > 0
        && same_clause(cx, &words[start - 1], &words[start])
        && (bits[start - 1] & M.modifiers != 0
            || lexicon::is_nationality(words[start - 1].text)
            || words[start - 1].text == "U.S")
    {
        start -= 1;
    }
    if start > 0 && same_clause(cx, &words[start - 1], &words[start]) {
        let before = &words[start - 1];
        let named = cx.draft.mention_around(&before.range).is_some();
        if named {
            return None;
        }
    }
    // Subject then verb, perhaps with a helper between.
    let mut j = i + 1;
    while j < lower.len() && j <= i + 2 && bits[j] & M.aux != 0 {
        j += 1;
    }
    if j < lower.len()
        && same_clause(cx, &words[j - 1], &words[j])
        && is_verb(lower[j], bits[j])
        && !is_determiner(lower[j - 1])
        && !cx.is_quoted(&words[j].range)
    {
        return Some((start, j));
    }
    // Verb then subject: "…, said officials".
    if start > 0 && lexicon::is_speech_verb(lower[start - 1]) {
        let v = start - 1;
        if same_clause(cx, &words[v], &words[start]) && !cx.is_quoted(&words[v].range) {
            return Some((v, i));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::CheckOptions;
    use crate::analysis::fixture::{self, assert_rule};
    use crate::corpus::Corpus;

    fn harbour() -> Corpus {
        fixture::corpus(&[(
            "harbour-01",
            "Director Anna Kowalczyk of the Ministry of Fisheries spoke in Gdańsk on Monday.\n",
        )])
    }

    #[test]
    fn unnamed_sources_are_pointed_out() {
        assert_rule(
            &harbour(),
            CODE,
            r#"
Sources close to the harbour master said the gates would stay shut.
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
The gates will reopen in May, senior Polish officials have said.
                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
It is understood that the fleet will wait. Many believe it is cursed 🐟.
^^^^^^^^^^^^^^^^                           ^^^^^^^^^^^^
Anna Kowalczyk said the officials were wrong.
Critics of the plan met on Monday.
The boats stayed in port, said officials.
                          ^^^^^^^^^^^^^^
"#,
        );
    }

    #[test]
    fn message_quotes_the_phrase() {
        let found = fixture::run(
            &harbour(),
            "People familiar with the talks\r\nsaid the port would close.\r\n",
            &CheckOptions::default(),
        );
        let c = fixture::flagged(&found, CODE);
        assert_eq!(
            c.finding.message,
            "\"People familiar with the talks said\": the source is not named"
        );
        assert_eq!(c.finding.severity, Severity::Information);
    }

    #[test]
    fn the_common_unnamed_sources_are_each_named_in_the_message() {
        let text =
            "Sources say the quay will close.\r\nCritics argue that the fleet is too big.\r\n\
                    The fee rose, officials said.\r\n";
        let found = fixture::run(&harbour(), text, &CheckOptions::default());
        let messages: Vec<&str> = found
            .iter()
            .filter(|c| c.finding.code == CODE)
            .map(|c| c.finding.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "\"Sources say\": the source is not named",
                "\"Critics argue\": the source is not named",
                "\"officials said\": the source is not named",
            ]
        );
    }

    #[test]
    fn quoted_words_are_not_the_writers_attribution() {
        assert_rule(
            &harbour(),
            CODE,
            "Kowalczyk told reporters that “officials said nothing to me about the gates”.\n",
        );
    }
}
