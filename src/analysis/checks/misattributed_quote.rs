//! `misattributed-quote`: words the sources give to one speaker, given in
//! the draft to someone else.
//!
//! Putting a real quote in the wrong mouth is as serious as inventing one.
//! The rule fires when the sources hold the quote word for word with a
//! speaker, and the draft names a different person or body — also when the
//! sources only describe the speaker ("an intelligence officer") and the
//! draft names someone specific, since nothing in the sources supports that
//! name. A draft that keeps the speaker unnamed is not contradicted.

use super::{finding, fix, name_key, one_line, Checked, Context};
use crate::analysis::draft::Speaker;
use crate::analysis::quote_source::{QuoteSource, SourceHit};
use crate::corpus::{EntityId, SpeakerRef};
use crate::server::Severity;

pub const CODE: &str = "misattributed-quote";

pub(crate) fn check(cx: &Context) -> Vec<Checked> {
    let mut out = Vec::new();
    for (q, located) in cx.quotes() {
        let QuoteSource::Found(hits) = located else {
            continue;
        };
        let (Some(speaker), Some(speaker_range)) = (&q.speaker, &q.speaker_range) else {
            continue;
        };
        let draft_name = one_line(cx.text(speaker_range));
        let said: Vec<(&SourceHit, &SpeakerRef)> = hits
            .iter()
            .filter_map(|h| Some((h, h.speaker(cx.corpus)?)))
            .collect();
        if said.is_empty() || draft_name.is_empty() {
            continue;
        }
        // The draft's side of each comparison, keyed once for all hits.
        let unknown_key = match speaker {
            Speaker::Unknown(name) => name_key(name),
            _ => String::new(),
        };
        let draft_key = name_key(&draft_name);
        let agrees = |(h, s): &(&SourceHit, &SpeakerRef)| match (speaker, s) {
            (Speaker::Descriptive(_), _) => true,
            (Speaker::Known(d), SpeakerRef::Entity(e)) => same_actor(cx, *d, *e),
            (Speaker::Unknown(_), SpeakerRef::Entity(e)) => {
                cx.corpus
                    .entities
                    .get(*e)
                    .is_some_and(|e| same_key(&unknown_key, &e.name))
                    || h.speaker_name(cx.corpus)
                        .is_some_and(|n| same_key(&unknown_key, n))
            }
            (_, SpeakerRef::Descriptive(d)) => same_key(&draft_key, d),
        };
        if said.iter().any(agrees) {
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
}
