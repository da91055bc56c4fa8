//! `misattributed-quote`: words the sources give to one speaker, given in
//! the draft to someone else.
//!
//! Putting a real quote in the wrong mouth is as serious as inventing one.
//! The rule fires when the sources hold the quote word for word with a
//! speaker, and the draft names a different person or body — also when the
//! sources only describe the speaker ("an intelligence officer") and the
//! draft names someone specific, since nothing in the sources supports that
//! name. A draft that keeps the speaker unnamed is not contradicted.

use std::sync::Arc;

use rayon::prelude::*;

use super::{finding, fix, name_key, one_line, Checked, Context};
use crate::analysis::draft::{DraftQuote, Speaker};
use crate::analysis::quote_source::{QuoteSource, SourceHit};
use crate::corpus::{EntityId, SpeakerRef};
use crate::server::Severity;

pub const CODE: &str = "misattributed-quote";

pub(crate) fn check(cx: &Context) -> Vec<Checked> {
    // One place giving the words to the draft's speaker settles a quote,
    // and the first few places nearly always hold one; only the quotes
    // none of them agrees on are looked up in full, side by side.
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
    let everywhere: Vec<Arc<QuoteSource>> = doubtful
        .par_iter()
        .map(|(i, _, _)| cx.all_places(*i))
        .collect();
    let mut out = Vec::new();
    for ((_, q, draft), all) in doubtful.iter().zip(&everywhere) {
        let QuoteSource::Found(hits) = all.as_ref() else {
            continue;
        };
        if hits.iter().any(|h| draft.agrees(cx, h)) {
            continue;
        }
        let Some(speaker_range) = &q.speaker_range else {
            continue;
        };
        let draft_name = &draft.draft_name;
        let said: Vec<(&SourceHit, &SpeakerRef)> = hits
            .iter()
            .filter_map(|h| Some((h, h.speaker(cx.corpus)?)))
            .collect();
        if said.is_empty() {
            continue;
        }
        // A named speaker in the sources says most; else the description.
        let Some(&(hit, _)) = said
            .iter()
            .find(|(_, s)| matches!(s, SpeakerRef::Entity(_)))
            .or_else(|| said.first())
        else {
            continue;
        };
        let Some(source_name) = cx.source_speaker(hit) else {
            continue;
        };
        let mut f = finding(
            CODE,
            Severity::Warning,
            q.range.clone(),
            format!(
                "The sources attribute this quote to {source_name}, not {draft_name} ({})",
                cx.cite(hit)
            ),
        );
        f.related = cx.related(hit, &format!("Said by {source_name}"));
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
        let wire = "“The port stays open until the spring storms,” Piotr Nowak said.\n";
        let ids: Vec<String> = (0..6).map(|i| format!("wire-{i:02}")).collect();
        let mut articles: Vec<(&str, &str)> = ids.iter().map(|id| (id.as_str(), wire)).collect();
        articles.push((
            "wire-06",
            "Director Anna Kowalczyk of the Ministry of Fisheries spoke on Monday.\n\n\
             “The port stays open until the spring storms,” Kowalczyk said.\n",
        ));
        fixture::corpus(&articles)
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
}
