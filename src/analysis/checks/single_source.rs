//! `single-source`: a draft whose claims all rest on one source article or
//! one outlet, reported once per document.
//!
//! A story told from one account repeats that account's blind spots; the
//! writer should know when every claim leads back to the same place. The
//! places a claim rests on are the outlet its own words credit ("…, the
//! Gazette reported") and, for a claim with no attribution, the source
//! passage the `unsourced-claim` rule found behind it. Information only:
//! a single-source story can be the right story, but it should be a choice.

use std::collections::BTreeSet;

use super::unsourced_claim::{credit, Claim};
use super::{finding, Checked, Context};
use crate::corpus::EntityKind;
use crate::server::Severity;

pub const CODE: &str = "single-source";

/// Fewer leaning claims say too little about the draft.
const MIN_CLAIMS: usize = 3;

pub(crate) fn check(cx: &Context, unsourced: &[Claim]) -> Vec<Checked> {
    // Each claim's source, as a key: the outlet when one is known, else
    // the article.
    let mut sources: Vec<String> = Vec::new();
    for claim in unsourced {
        let Some(doc) = claim
            .support
            .as_ref()
            .and_then(|s| cx.corpus.documents.get(s.doc))
        else {
            continue;
        };
        sources.push(credit(doc));
    }
    // Sentences crediting an outlet by name.
    for s in &cx.draft.sentences {
        // Claims come in draft order: only those from here on can lie in s.
        let from = unsourced.partition_point(|c| c.range.start < s.start);
        if unsourced[from..]
            .iter()
            .take_while(|c| c.range.start < s.end)
            .any(|c| c.range.end <= s.end)
        {
            continue;
        }
        let outlet = cx
            .draft
            .mentions_in(s)
            .find(|m| m.kind == EntityKind::Outlet && !m.quoted);
        if let Some(m) = outlet {
            let name = match m.entity.and_then(|e| cx.corpus.entities.get(e)) {
                Some(e) => e.name.clone(),
                None => super::one_line(cx.text(&m.range)),
            };
            sources.push(name);
        }
    }
    let distinct: BTreeSet<&str> = sources.iter().map(String::as_str).collect();
    if sources.len() < MIN_CLAIMS || distinct.len() != 1 {
        return Vec::new();
    }
    let Some(only) = distinct.into_iter().next() else {
        return Vec::new();
    };
    // Reported on the first line of prose, so it shows once, at the top.
    let Some(first) = cx
        .draft
        .sentences
        .iter()
        .find(|s| !cx.text(s).trim().is_empty())
    else {
        return Vec::new();
    };
    let text = cx.text(first);
    let start = first.start + (text.len() - text.trim_start().len());
    let line_end = text
        .trim_start()
        .find(['\n', '\r'])
        .unwrap_or(text.trim_start().len());
    let range = start..start + text.trim_start()[..line_end].trim_end().len();
    vec![Checked {
        finding: finding(
            CODE,
            Severity::Information,
            range,
            format!(
                "All {} claims rest on one source: {only}. Is there a second source?",
                sources.len()
            ),
        ),
        fixes: Vec::new(),
    }]
}

#[cfg(test)]
mod tests {
    use crate::analysis::checks::CheckOptions;
    use crate::analysis::fixture;
    use crate::corpus::Corpus;

    fn sources() -> Corpus {
        fixture::corpus(&[
            (
                "harbour-01",
                "Harbour closed to trawlers\n\n\
                 The Ministry of Fisheries closed the harbour in Gdańsk to 40 trawlers on Monday.\n\n\
                 Director Anna Kowalczyk said the breakwater had cracked in two places.\n\n\
                 Three processing plants near the port laid off 200 workers last week.\n",
            ),
            (
                "prices-02",
                "Cod prices climb\n\n\
                 Cod prices at the Gdynia auction rose by 15 percent in two days.\n",
            ),
        ])
    }

    fn single(text: &str) -> Vec<String> {
        fixture::run(&sources(), text, &CheckOptions::default())
            .into_iter()
            .filter(|c| c.finding.code == super::CODE)
            .map(|c| format!("{}|{}", &text[c.finding.range.clone()], c.finding.message))
            .collect()
    }

    #[test]
    fn a_draft_leaning_on_one_article_is_told_once() {
        let text = "# Trawlers idle in Gdańsk\r\n\r\n\
                    The ministry shut the Gdańsk harbour to 40 trawlers on Monday.\r\n\
                    The breakwater had cracked in two places, Kowalczyk’s staff found.\r\n\
                    Processing plants near the port laid off 200 workers last week 🐟.\r\n\
                    The harbour closed the Gdańsk port to trawlers on Monday.\r\n";
        let got = single(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("Trawlers idle in Gdańsk|All 3 claims rest on one source: “Harbour closed to trawlers”"),
            "{got:?}"
        );
    }

    #[test]
    fn two_sources_or_too_few_claims_say_nothing() {
        assert!(single(
            "The ministry shut the Gdańsk harbour to 40 trawlers on Monday.\n\
             Processing plants near the port laid off 200 workers last week.\n\
             Cod prices at the Gdynia auction rose by 15 percent in two days.\n"
        )
        .is_empty());
        assert!(
            single("The ministry shut the Gdańsk harbour to 40 trawlers on Monday.\n").is_empty()
        );
    }
}
