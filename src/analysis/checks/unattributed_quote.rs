//! `unattributed-quote`: a direct quotation nobody is said to have spoken.
//!
//! A reader must know whose words stand between quotation marks. A quote
//! counts as attributed when the draft names a speaker for it, or when its
//! sentence or the one before or after it (in the same paragraph) carries a
//! verb of saying. Quotations of one to three words are scare quotes or
//! borrowed terms ("so-called", “damage assessment”), not speech, and are
//! left alone. When the sources hold the quote word for word and name who
//! said it, the fix inserts that attribution in the draft's own style.

use std::ops::Range;

use rayon::prelude::*;

use super::{finding, fix, Checked, Context};
use crate::analysis::draft::DraftQuote;
use crate::config::AttributionStyle;
use crate::corpus::Entity;
use crate::lexicon;
use crate::server::Severity;

pub const CODE: &str = "unattributed-quote";

/// Quotes of fewer words are not speech.
const MIN_WORDS: usize = 4;

pub(crate) fn check(cx: &Context) -> Vec<Checked> {
    let unattributed: Vec<(usize, &DraftQuote)> = cx
        .quotes()
        .filter(|(_, q, _)| {
            q.speaker.is_none()
                && cx.draft.quote_text(q).split_whitespace().count() >= MIN_WORDS
                && !attributed_nearby(cx, q)
        })
        .map(|(i, q, _)| (i, q))
        .collect();
    // Who the sources say spoke each, side by side: a quotation found in
    // many places whose first few name nobody is read in full.
    let speakers: Vec<Option<&Entity>> = unattributed
        .par_iter()
        .map(|(i, _)| cx.first_named_speaker(*i))
        .collect();
    unattributed
        .into_iter()
        .zip(speakers)
        .map(|((_, q), speaker)| {
            let fixes = speaker
                .and_then(|entity| {
                    let edits = attribution_edits(cx, q, &entity.name)?;
                    Some(fix(CODE, format!("Attribute to {}", entity.name), edits))
                })
                .into_iter()
                .collect();
            Checked {
                finding: finding(
                    CODE,
                    Severity::Warning,
                    q.range.clone(),
                    "No speaker for this quotation".to_string(),
                ),
                fixes,
            }
        })
        .collect()
}

/// Whether the quote's sentence, or the sentence before or after it in the
/// same paragraph, has a verb of saying outside quotation marks.
fn attributed_nearby(cx: &Context, q: &DraftQuote) -> bool {
    let sentences = &cx.draft.sentences;
    let first = sentences.partition_point(|s| s.end <= q.sentence.start);
    let last = sentences.partition_point(|s| s.start < q.sentence.end);
    let paragraph = cx.paragraph_of(q.range.start);
    let from = first.saturating_sub(1);
    let to = (last + 1).min(sentences.len());
    sentences
        .get(from..to)
        .unwrap_or(&[])
        .iter()
        .filter(|s| cx.paragraph_of(s.start) == paragraph)
        .any(|s| {
            cx.words_in(s)
                .iter()
                .any(|w| !cx.is_quoted(&w.range) && lexicon::is_speech_verb(&w.lower))
        })
}

/// Edits that attribute `q` to `name`: `“…,” Name said.` when the quote
/// ends its sentence with a full stop inside the marks, otherwise `, Name
/// said` before the sentence's closing punctuation.
pub(crate) fn attribution_edits(
    cx: &Context,
    q: &DraftQuote,
    name: &str,
) -> Option<Vec<(Range<usize>, String)>> {
    let text = cx.draft.text;
    let tag = match cx.attribution_style() {
        AttributionStyle::NameSaid => format!("{name} said"),
        _ => format!("said {name}"),
    };
    let inner = text.get(..q.range.end)?.trim_end();
    let last = inner.chars().next_back()?;
    let close_mark = text.get(q.range.end..)?.chars().next()?;
    if !is_closing_mark(close_mark) {
        return None;
    }
    let after_mark = q.range.end + close_mark.len_utf8();
    let sentence_end = cx
        .draft
        .sentence_at(q.range.start)
        .map_or(after_mark, |s| s.end.max(after_mark));
    let rest = text.get(after_mark..sentence_end)?;
    if rest.trim().is_empty() {
        // The quote closes the sentence: “… harbour.” → “… harbour,” Name said.
        return match last {
            '.' => {
                let dot = inner.len() - 1;
                Some(vec![
                    (dot..dot + 1, ",".to_string()),
                    (after_mark..after_mark, format!(" {tag}.")),
                ])
            }
            '?' | '!' | '…' => Some(vec![(after_mark..after_mark, format!(" {tag}."))]),
            ',' => Some(vec![(after_mark..after_mark, format!(" {tag}."))]),
            _ => Some(vec![(after_mark..after_mark, format!(", {tag}."))]),
        };
    }
    // Otherwise before the sentence's own final punctuation.
    let trimmed = rest.trim_end();
    let end = after_mark + trimmed.len();
    let at = match trimmed.chars().next_back() {
        Some(c @ ('.' | '!' | '?')) => end - c.len_utf8(),
        _ => end,
    };
    Some(vec![(at..at, format!(", {tag}"))])
}

fn is_closing_mark(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | '»' | '“')
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
            "Harbour to stay open, ministry says\n\n\
             Director Anna Kowalczyk of the Ministry of Fisheries spoke in Gdańsk on Monday.\n\n\
             “We will not close the harbour this year,” Kowalczyk said.\n\n\
             The fishermen were relieved.\n",
        )])
    }

    #[test]
    fn speech_without_a_speaker_is_flagged_scare_quotes_are_not() {
        assert_rule(
            &harbour(),
            CODE,
            r#"
The harbour was “a mess” all winter.

The boats came home early. “We will not close the harbour this year.”
                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"#,
        );
    }

    #[test]
    fn a_speech_verb_next_door_attributes_the_quote() {
        assert_rule(
            &harbour(),
            CODE,
            "Kowalczyk spoke to reporters on Monday. “We will not close the harbour this year.” She said the fleet was safe.\r\n",
        );
    }

    #[test]
    fn attribute_fix_turns_the_full_stop_into_a_comma() {
        let text = "The fleet is safe. 🚢\n\n“We will not close the harbour this year.”\n";
        let found = fixture::run(&harbour(), text, &CheckOptions::default());
        let c = fixture::flagged(&found, CODE);
        assert_eq!(c.fixes[0].title, "Attribute to Anna Kowalczyk");
        assert_eq!(
            fixture::apply(text, &c.fixes[0].edits),
            "The fleet is safe. 🚢\n\n“We will not close the harbour this year,” said Anna Kowalczyk.\n"
        );
    }

    #[test]
    fn attribute_fix_follows_the_configured_style_mid_sentence() {
        let text = "The ministry's line was “we will not close the harbour this year” again.\n";
        let options = CheckOptions {
            attribution_style: AttributionStyle::NameSaid,
            ..Default::default()
        };
        let found = fixture::run(&harbour(), text, &options);
        let c = fixture::flagged(&found, CODE);
        assert_eq!(
            fixture::apply(text, &c.fixes[0].edits),
            "The ministry's line was “we will not close the harbour this year” again, Anna Kowalczyk said.\n"
        );
    }

    #[test]
    fn the_fix_finds_the_speaker_past_the_places_that_name_nobody() {
        // Five reports give the words to nobody; the sixth, later in the
        // sources than a check first reads, names who said them.
        let corpus = fixture::reprinted(
            "report",
            5,
            "“The fleet will stay in port until the storms pass,” a ministry official said.\n",
            "Director Anna Kowalczyk of the Ministry of Fisheries spoke on Monday.\n\n\
             “The fleet will stay in port until the storms pass,” Kowalczyk said.\n",
        );
        let text = "The boats came home. “The fleet will stay in port until the storms pass.”\n";
        let found = fixture::run(&corpus, text, &CheckOptions::default());
        let c = fixture::flagged(&found, CODE);
        assert_eq!(c.fixes[0].title, "Attribute to Anna Kowalczyk");
    }
}
