//! `unsourced-claim`: a sentence stating a checkable fact about a named
//! actor, with nothing saying where the fact comes from.
//!
//! Every fact about a person or agency needs a source a reader can weigh.
//! This first version aims at precision over recall: it looks only at
//! declarative sentences that name a person or agency and hold something
//! checkable — a number, a date, or a past-tense verb of action — and
//! flags them when neither the sentence nor its context attributes them:
//! no verb of saying or reporting ("said", "told", "according to", "in a
//! statement", "citing"), no link or footnote, no parenthetical source, no
//! quotation (the quote rules judge those), and no pronoun carrying on from
//! an attributed sentence just before it in the same paragraph. Headings,
//! questions and short fragments are left alone. The words it reads live
//! in `claim_words.txt`.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use super::{finding, one_line, overlaps, sections, Checked, Context, Word};
use crate::corpus::EntityKind;
use crate::lexicon;
use crate::server::Severity;

pub const CODE: &str = "unsourced-claim";

static WORDS: LazyLock<HashMap<&'static str, HashSet<&'static str>>> =
    LazyLock::new(|| sections(include_str!("claim_words.txt")));

fn in_section(section: &str, word: &str) -> bool {
    WORDS.get(section).is_some_and(|s| s.contains(word))
}

/// Sentences with fewer words are fragments, captions or kickers.
const MIN_WORDS: usize = 6;

const PRONOUNS: &[&str] = &[
    "he", "she", "they", "his", "her", "their", "him", "them", "it", "its",
];

pub(crate) fn check(cx: &Context) -> Vec<Checked> {
    let mut out = Vec::new();
    // Whether the sentence before (in the same paragraph) was attributed.
    let mut previous: Option<(usize, bool)> = None;
    for s in &cx.draft.sentences {
        let paragraph = cx.paragraph_of(s.start);
        let words = cx.words_in(s);
        let lower: Vec<String> = words.iter().map(|w| w.text.to_lowercase()).collect();
        let attributed = is_attributed(cx, s, words, &lower);
        let carried = !attributed
            && previous == Some((paragraph, true))
            && lower.iter().any(|w| PRONOUNS.contains(&w.as_str()));
        previous = Some((paragraph, attributed || carried));
        if attributed || carried || !is_statement(cx, s, words) {
            continue;
        }
        let Some(actor) = actor(cx, s) else {
            continue;
        };
        if !is_checkable(cx, words, &lower) {
            continue;
        }
        let range = trimmed(cx, s);
        out.push(Checked {
            finding: finding(
                CODE,
                Severity::Warning,
                range,
                format!("No attribution for this claim about {actor}"),
            ),
            fixes: Vec::new(),
        });
    }
    out
}

/// A declarative sentence of running prose: ends with a full stop or an
/// exclamation, is long enough, is not a heading or a block quote.
fn is_statement(cx: &Context, s: &Range<usize>, words: &[Word]) -> bool {
    if words.len() < MIN_WORDS {
        return false;
    }
    let text = cx.draft.prose.get(s.clone()).unwrap_or("").trim_end();
    let end = text.trim_end_matches(['"', '”', '’', '\'', ')', '*', '_']);
    if !end.ends_with(['.', '!']) {
        return false;
    }
    // The line the sentence starts on, as written: "# …" and "> …".
    let line_start = cx
        .draft
        .text
        .get(..s.start)
        .map_or(0, |t| t.rfind('\n').map_or(0, |i| i + 1));
    let line = cx.draft.text.get(line_start..).unwrap_or("").trim_start();
    !(line.starts_with('#') || line.starts_with('>'))
}

/// Something in or on the sentence says where it comes from.
fn is_attributed(cx: &Context, s: &Range<usize>, words: &[Word], lower: &[String]) -> bool {
    if cx.draft.is_cited(s)
        || cx
            .draft
            .quotes
            .iter()
            .any(|q| overlaps(&q.sentence, s) && overlaps(&q.range, s))
    {
        return true;
    }
    let speech = words.iter().zip(lower).any(|(w, l)| {
        !cx.is_quoted(&w.range) && (lexicon::is_speech_verb(l) || in_section("attribution", l))
    });
    speech || has_parenthetical_source(cx, s)
}

/// "(Reuters)", "(source: port authority)", "(via the ministry's site)".
fn has_parenthetical_source(cx: &Context, s: &Range<usize>) -> bool {
    let text = cx.draft.prose.get(s.clone()).unwrap_or("");
    let mut rest = text;
    let mut base = s.start;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else {
            break;
        };
        let inner = base + open + 1..base + open + close;
        let inner_text = cx
            .draft
            .prose
            .get(inner.clone())
            .unwrap_or("")
            .to_lowercase();
        let names_a_source = cx.draft.mentions.iter().any(|m| {
            m.range.start >= inner.start
                && m.range.end <= inner.end
                && matches!(m.kind, EntityKind::Outlet | EntityKind::Agency)
        });
        if names_a_source || inner_text.contains("source") || inner_text.contains("via ") {
            return true;
        }
        base += open + close + 1;
        rest = &rest[open + close + 1..];
    }
    false
}

/// The first person or agency the sentence names outside quotation marks.
fn actor(cx: &Context, s: &Range<usize>) -> Option<String> {
    let mentions = &cx.draft.mentions;
    let from = mentions.partition_point(|m| m.range.start < s.start);
    mentions[from..]
        .iter()
        .take_while(|m| m.range.end <= s.end)
        .find(|m| !m.quoted && matches!(m.kind, EntityKind::Person | EntityKind::Agency))
        .map(|m| match m.entity.and_then(|e| cx.corpus.entities.get(e)) {
            Some(e) => e.name.clone(),
            None => one_line(cx.text(&m.range)),
        })
}

/// A number, a date or a past-tense verb of action outside names.
fn is_checkable(cx: &Context, words: &[Word], lower: &[String]) -> bool {
    let in_name = |w: &Word| {
        let m = &cx.draft.mentions;
        let i = m.partition_point(|m| m.range.end <= w.range.start);
        m.get(i).is_some_and(|m| m.range.start <= w.range.start)
    };
    words.iter().zip(lower).enumerate().any(|(i, (w, l))| {
        if in_name(w) || cx.is_quoted(&w.range) {
            return false;
        }
        if w.text.chars().any(|c| c.is_ascii_digit()) || in_section("numbers", l) {
            return true;
        }
        // A capitalised "-ed" word opening a sentence is still a verb only
        // after a subject, so only lower-case words count.
        let lower_case = w.text.chars().next().is_some_and(char::is_lowercase);
        lower_case
            && i > 0
            && (in_section("past", l)
                || (l.ends_with("ed") && l.chars().count() >= 5 && !in_section("not-actions", l)))
    })
}

/// The sentence without surrounding white space.
fn trimmed(cx: &Context, s: &Range<usize>) -> Range<usize> {
    let text = cx.text(s);
    let start = s.start + (text.len() - text.trim_start().len());
    let end = s.start + text.trim_end().len();
    start..end.max(start)
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
            "Director Anna Kowalczyk of the Ministry of Fisheries spoke in Gdańsk on Monday.\n\n\
             Mayor Piotr Nowak of Gdańsk disagreed with the ministry.\n",
        )])
    }

    #[test]
    fn facts_about_actors_without_a_source_are_flagged() {
        assert_rule(
            &harbour(),
            CODE,
            r#"
# Anna Kowalczyk closed the harbour

Anna Kowalczyk closed the harbour to 40 trawlers on 3 May.
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
Piotr Nowak said the ministry had acted without warning.
The sea was calm and grey that week.
Did Piotr Nowak sign the order in March?
According to the port log, the Ministry of Fisheries approved the plan in April.
The Ministry of Fisheries approved the plan in April (source: port log).
The Ministry of Fisheries approved the plan in [April](https://example.org/log).
"#,
        );
    }

    #[test]
    fn a_pronoun_carries_the_attribution_of_the_sentence_before() {
        assert_rule(
            &harbour(),
            CODE,
            "Piotr Nowak told reporters the ministry had misled him. He then met Anna Kowalczyk on Tuesday.\r\n\r\n\
             Anna Kowalczyk resigned from the ministry on Friday 🙃. She signed nothing.\r\n\
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\r\n",
        );
    }

    #[test]
    fn message_names_the_actor() {
        let text = "Inspector Zoë Ferrant fined the captain 300 złoty last week.\n";
        let found = fixture::run(&harbour(), text, &CheckOptions::default());
        let c = found
            .iter()
            .find(|c| c.finding.code == CODE)
            .expect("flagged");
        assert_eq!(
            c.finding.message,
            "No attribution for this claim about Zoë Ferrant"
        );
        assert_eq!(&text[c.finding.range.clone()], text.trim_end());
    }
}
