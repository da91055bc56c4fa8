//! `misattributed-quote`: words the sources give to one speaker, given in
//! the draft to someone else.
//!
//! Putting a real quote in the wrong mouth is as serious as inventing one.
//! The rule fires when the sources hold the quote word for word with a
//! speaker, and the draft names a different person or body — also when the
//! sources only describe the speaker ("an intelligence officer") and the
//! draft names someone specific, since nothing in the sources supports that
//! name. A draft that keeps the speaker unnamed is not contradicted, and
//! one place in the sources giving the words to the draft's speaker is
//! enough, however many others give them to someone else (a wire story
//! reprinted under the wrong name, a stock phrase many people use).

use rayon::prelude::*;

use super::{finding, fix, name_key, one_line, Checked, Context};
use crate::analysis::draft::{DraftQuote, Speaker};
use crate::analysis::quote_source::{self, QuoteSource, SourceHit};
use crate::corpus::{Corpus, EntityId, SpeakerRef};
use crate::server::Severity;

pub const CODE: &str = "misattributed-quote";

pub(crate) fn check(cx: &Context) -> Vec<Checked> {
    // One place giving the words to the draft's speaker settles a quote,
    // and the first few places nearly always hold one; the quotes none of
    // them agrees on are judged side by side.
    let doubtful: Vec<(usize, &DraftQuote, Said)> = cx
        .quotes()
        .filter_map(|(i, q, located)| {
            let QuoteSource::Found(first) = located else {
                return None;
            };
            let said = Said::new(cx, q)?;
            (!first.iter().any(|h| said.agrees(cx, h))).then_some((i, q, said))
        })
        .collect();
    if doubtful.is_empty() {
        return Vec::new();
    }
    let speakers = cx.corpus.derived(Speakers::new);
    let cited: Vec<Option<SourceHit>> = doubtful
        .par_iter()
        .map(|(i, q, said)| {
            let judge = || other_speaker(cx, &speakers, *i, said);
            match &cx.options.lookups {
                Some(memo) => memo.attribution(
                    cx.draft.quote_text(q),
                    &said.draft_name,
                    &format!("{:?}", said.speaker),
                    judge,
                ),
                None => judge(),
            }
        })
        .collect();
    let mut out = Vec::new();
    for ((_, q, draft), hit) in doubtful.iter().zip(cited) {
        let (Some(hit), Some(speaker_range)) = (hit, &q.speaker_range) else {
            continue;
        };
        let Some(source_name) = cx.source_speaker(&hit) else {
            continue;
        };
        let draft_name = &draft.draft_name;
        let mut f = finding(
            CODE,
            Severity::Warning,
            q.range.clone(),
            format!(
                "The sources attribute this quote to {source_name}, not {draft_name} ({})",
                cx.cite(&hit)
            ),
        );
        f.related = cx.related(&hit, &format!("Said by {source_name}"));
        out.push(Checked {
            finding: f,
            fixes: vec![fix(
                CODE,
                format!("Attribute to {source_name}"),
                vec![(speaker_range.clone(), source_name.clone())],
            )],
        });
    }
    out
}

/// The place to cite when the sources give the `i`th quote, whose first
/// places do not agree with the draft, to someone else; `None` when some
/// place gives it to the draft's speaker after all, or none names anyone.
fn other_speaker(cx: &Context, speakers: &Speakers, i: usize, said: &Said) -> Option<SourceHit> {
    let located = cx.located(i)?;
    if !located.whole && !matches!(said.speaker, Speaker::Descriptive(_)) {
        // A place given to the draft's speaker lies in a document that
        // quotes them: read only those documents, however many others
        // hold the words.
        let docs = speakers.docs_quoting(cx, said);
        let words = cx.draft.quote_text(&cx.draft.quotes[i]);
        if let Some(places) = quote_source::places_within(cx.corpus, words, &docs) {
            if places.iter().any(|h| said.agrees(cx, h)) {
                return None;
            }
            // Nobody else agrees either. The place to cite is the first
            // naming a speaker, in the order a look-up lists them: places
            // outside boilerplate first, then as the sources run, as the
            // first look-up met them. So one among the first places
            // outside boilerplate is the first of all.
            if let QuoteSource::Found(first) = located.source.as_ref() {
                let named = first.iter().find(|h| {
                    matches!(h.speaker(cx.corpus), Some(SpeakerRef::Entity(_)))
                        && !cx.corpus.documents[h.doc].is_boilerplate(h.range.start)
                });
                if let Some(h) = named {
                    return Some(h.clone());
                }
            }
        }
    }
    let all = cx.all_places(i);
    let QuoteSource::Found(hits) = all.as_ref() else {
        return None;
    };
    if hits.iter().any(|h| said.agrees(cx, h)) {
        return None;
    }
    // A named speaker in the sources says most; else the description.
    hits.iter()
        .find(|h| matches!(h.speaker(cx.corpus), Some(SpeakerRef::Entity(_))))
        .or_else(|| hits.iter().find(|h| h.speaker(cx.corpus).is_some()))
        .cloned()
}

/// The corpus's quotations that name their speaker, by the last word of
/// each name the speaker goes by there (the entity's name, the name as
/// written, a description): two names [`same_key`] matches end in the same
/// word, so those are all the quotations a draft's speaker can agree with.
struct Speakers {
    /// (hash of the last word, quotation), sorted.
    by_last: Vec<(u32, u32)>,
}

/// The hash of a name key's last word (0 for none).
fn last_word(key: &str) -> u32 {
    match key.rsplit(' ').next() {
        Some(w) if !w.is_empty() => twox_hash::XxHash3_64::oneshot(w.as_bytes()) as u32,
        _ => 0,
    }
}

impl Speakers {
    fn new(corpus: &Corpus) -> Speakers {
        let mut by_last: Vec<(u32, u32)> = corpus
            .quotes
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, q)| {
                let mut words: Vec<u32> = Vec::with_capacity(2);
                let names = match &q.speaker {
                    Some(SpeakerRef::Entity(e)) => [
                        corpus.entities.get(*e).map(|e| e.name.as_str()),
                        q.speaker_name.as_deref(),
                    ],
                    Some(SpeakerRef::Descriptive(d)) => [Some(d.as_str()), None],
                    None => [None, None],
                };
                for name in names.into_iter().flatten() {
                    let w = last_word(&name_key(name));
                    if w != 0 && !words.contains(&w) {
                        words.push(w);
                    }
                }
                words.into_iter().map(move |w| (w, i as u32))
            })
            .collect();
        by_last.par_sort_unstable();
        Speakers { by_last }
    }

    /// The documents holding a quotation the sources give to the draft's
    /// speaker, sorted.
    fn docs_quoting(&self, cx: &Context, said: &Said) -> Vec<u32> {
        let mut docs: Vec<u32> = Vec::new();
        for w in said.last_words(cx) {
            let from = self.by_last.partition_point(|&(k, _)| k < w);
            for &(_, q) in self.by_last[from..].iter().take_while(|(k, _)| *k == w) {
                let Some(quote) = cx.corpus.quotes.get(q as usize) else {
                    continue;
                };
                let whole = SourceHit {
                    doc: quote.span.doc,
                    range: quote.span.range.clone(),
                    quote: Some(q as usize),
                    score: 1.0,
                };
                if said.agrees(cx, &whole) {
                    docs.push(quote.span.doc as u32);
                }
            }
        }
        docs.sort_unstable();
        docs.dedup();
        docs
    }
}

/// Who the draft says spoke a quotation, keyed once for every place the
/// sources hold it.
struct Said<'q> {
    speaker: &'q Speaker,
    draft_name: String,
    /// The draft's name as a key.
    draft_key: String,
    /// The same for a speaker the corpus does not know ("" otherwise).
    unknown_key: String,
}

impl<'q> Said<'q> {
    /// The draft's speaker of `q`, when it names one.
    fn new(cx: &Context, q: &'q DraftQuote) -> Option<Said<'q>> {
        let (Some(speaker), Some(range)) = (&q.speaker, &q.speaker_range) else {
            return None;
        };
        let draft_name = one_line(cx.text(range));
        if draft_name.is_empty() {
            return None;
        }
        let unknown_key = match speaker {
            Speaker::Unknown(name) => name_key(name),
            _ => String::new(),
        };
        Some(Said {
            speaker,
            draft_key: name_key(&draft_name),
            draft_name,
            unknown_key,
        })
    }

    /// The last words of the names a source's speaker must end in to be
    /// the draft's ([`Speakers`]).
    fn last_words(&self, cx: &Context) -> Vec<u32> {
        let mut words = vec![last_word(&self.draft_key)];
        match self.speaker {
            Speaker::Known(d) => {
                if let Some(e) = cx.corpus.entities.get(*d) {
                    words.push(last_word(&name_key(&e.name)));
                }
            }
            Speaker::Unknown(_) => words.push(last_word(&self.unknown_key)),
            Speaker::Descriptive(_) => {}
        }
        words.sort_unstable();
        words.dedup();
        words.retain(|&w| w != 0);
        words
    }

    /// Whether the source's speaker of the passage `h` is the draft's.
    fn agrees(&self, cx: &Context, h: &SourceHit) -> bool {
        match (self.speaker, h.speaker(cx.corpus)) {
            (_, None) => false,
            (Speaker::Descriptive(_), _) => true,
            (Speaker::Known(d), Some(SpeakerRef::Entity(e))) => same_actor(cx, *d, *e),
            (Speaker::Unknown(_), Some(SpeakerRef::Entity(e))) => {
                cx.corpus
                    .entities
                    .get(*e)
                    .is_some_and(|e| same_key(&self.unknown_key, &e.name))
                    || h.speaker_name(cx.corpus)
                        .is_some_and(|n| same_key(&self.unknown_key, n))
            }
            (_, Some(SpeakerRef::Descriptive(d))) => same_key(&self.draft_key, d),
        }
    }
}

/// One actor, even if the sources' names for it were not merged into one
/// entity ("Anna Kowalczyk" and "Kowalczyk").
fn same_actor(cx: &Context, a: EntityId, b: EntityId) -> bool {
    a == b
        || match (cx.corpus.entities.get(a), cx.corpus.entities.get(b)) {
            (Some(x), Some(y)) => same_name(&x.name, &y.name),
            _ => false,
        }
}

/// Same name, or one is the other's surname.
fn same_name(a: &str, b: &str) -> bool {
    same_key(&name_key(a), b)
}

/// [`same_name`] when the first name's key is already made.
fn same_key(a: &str, b: &str) -> bool {
    let b = name_key(b);
    if a == b {
        return true;
    }
    fn last(s: &str) -> &str {
        s.rsplit(' ').next().unwrap_or("")
    }
    let (la, lb) = (last(a), last(&b));
    !la.is_empty() && la == lb && (a == la || b == lb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::CheckOptions;
    use crate::analysis::fixture::{self, assert_rule};
    use crate::corpus::Corpus;

    fn harbour() -> Corpus {
        fixture::corpus(&[
            (
                "harbour-01",
                "Director Anna Kowalczyk of the Ministry of Fisheries spoke in Gdańsk on Monday.\n\n\
                 “We will not close the harbour this year,” Kowalczyk said.\n\n\
                 Mayor Piotr Nowak of Gdańsk disagreed with the ministry.\n\n\
                 “The harbour is a danger to every boat,” Nowak told reporters.\n",
            ),
            (
                "harbour-02",
                "“The nets came up empty for the third week running,” said a local fisherman, who asked not to be named.\n",
            ),
        ])
    }

    #[test]
    fn a_quote_given_to_the_wrong_person_is_flagged() {
        let found = assert_rule(
            &harbour(),
            CODE,
            r#"
“We will not close the harbour this year,” Piotr Nowak said.
 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
“We will not close the harbour this year,” Anna Kowalczyk said.
“The harbour is a danger to every boat,” said Nowak.
"#,
        );
        assert_eq!(
            found[0].finding.message,
            "The sources attribute this quote to Anna Kowalczyk, not Piotr Nowak (harbour-01:3)"
        );
    }

    #[test]
    fn naming_a_speaker_the_sources_leave_unnamed_is_flagged() {
        assert_rule(
            &harbour(),
            CODE,
            r#"
“The nets came up empty for the third week running,” said José Álvarez, a trawler captain.
 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
“The nets came up empty for the third week running,” said one fisherman.
"#,
        );
    }

    #[test]
    fn fix_names_the_source_speaker() {
        let text = "“We will not close the harbour this year,” Piotr Nowak said.\r\n";
        let found = fixture::run(&harbour(), text, &CheckOptions::default());
        let c = fixture::flagged(&found, CODE);
        assert_eq!(c.fixes[0].title, "Attribute to Anna Kowalczyk");
        assert_eq!(
            fixture::apply(text, &c.fixes[0].edits),
            "“We will not close the harbour this year,” Anna Kowalczyk said.\r\n"
        );
    }

    /// A quotation the wire ran under one name in six places, and under
    /// the right one in a seventh, later than a check's first look reads.
    fn syndicated() -> Corpus {
        fixture::reprinted(
            "wire",
            6,
            "“The port stays open until the spring storms,” Piotr Nowak said.\n",
            "Director Anna Kowalczyk of the Ministry of Fisheries spoke on Monday.\n\n\
             “The port stays open until the spring storms,” Kowalczyk said.\n",
        )
    }

    #[test]
    fn one_place_giving_the_words_to_the_draft_s_speaker_is_enough_however_far_down() {
        let corpus = syndicated();
        let first = crate::analysis::quote_source::preview_with(
            &corpus,
            None,
            "The port stays open until the spring storms,",
        );
        assert!(
            !first.whole,
            "the first look-up stops before the seventh place"
        );
        let found = assert_rule(
            &corpus,
            CODE,
            r#"
“The port stays open until the spring storms,” Anna Kowalczyk said.

“The port stays open until the spring storms,” said Tomasz Zieliński.
 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"#,
        );
        assert_eq!(
            found[0].finding.message,
            "The sources attribute this quote to Piotr Nowak, not Tomasz Zieliński (wire-00:1)"
        );
    }

    #[test]
    fn an_ellipsis_in_a_syndicated_quote_is_judged_on_every_place_too() {
        assert_rule(
            &syndicated(),
            CODE,
            r#"
“The port stays open … the spring storms,” Anna Kowalczyk said.

“The port stays open … the spring storms,” said Tomasz Zieliński.
 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"#,
        );
    }

    #[test]
    fn a_stock_phrase_in_more_places_than_a_look_up_keeps_is_not_misattributed() {
        // 120 wire copies give the phrase to one man; the minister's own
        // words come last, past the hundred places a look-up lists.
        let corpus = fixture::reprinted(
            "wire",
            120,
            "“We will see what the spring brings,” Piotr Nowak said.\n",
            "Director Anna Kowalczyk of the Ministry of Fisheries spoke on Monday.\n\n\
             “We will see what the spring brings,” Kowalczyk said.\n",
        );
        assert_rule(
            &corpus,
            CODE,
            "“We will see what the spring brings,” Anna Kowalczyk said.\n",
        );
    }
}
