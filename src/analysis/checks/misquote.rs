//! `misquote`: a quotation that nearly matches a source passage but is not
//! what the source says.
//!
//! Misremembered wording is the commonest quotation error and the most
//! embarrassing correction. The finding shows the source's words with the
//! place they stand, and the fix puts those words in the draft.

use super::{finding, fix, one_line, Checked, Context};
use crate::analysis::quote_source::QuoteSource;
use crate::server::Severity;

pub const CODE: &str = "misquote";

pub(crate) fn check(cx: &Context) -> Vec<Checked> {
    let mut out = Vec::new();
    for (_, q, located) in cx.quotes() {
        let QuoteSource::Near(hit) = located else {
            continue;
        };
        let source_words = one_line(hit.source_text(cx.corpus));
        if source_words.is_empty() {
            continue;
        }
        let cite = cx.cite(hit);
        let mut f = finding(
            CODE,
            Severity::Warning,
            q.range.clone(),
            format!("Quote differs from the source: source reads \"{source_words}\" ({cite})"),
        );
        f.related = cx.related(hit, "The source's wording");
        out.push(Checked {
            finding: f,
            fixes: vec![fix(
                CODE,
                "Use the source wording".to_string(),
                vec![wording_edit(cx, q.range.clone(), &source_words)],
            )],
        });
    }
    out
}

/// Replace the quoted words but keep the draft's closing punctuation
/// ("…was done." stays a sentence) when the source passage stops before it.
fn wording_edit(
    cx: &Context,
    range: std::ops::Range<usize>,
    source_words: &str,
) -> (std::ops::Range<usize>, String) {
    let is_punct = |c: char| matches!(c, '.' | ',' | '!' | '?' | ';' | ':' | '…');
    let draft = cx.text(&range);
    let core = draft.trim_end_matches(|c: char| is_punct(c) || c.is_whitespace());
    let source_core = source_words.trim_end_matches(is_punct);
    (
        range.start..range.start + core.len(),
        source_core.to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::CheckOptions;
    use crate::analysis::fixture::{self, assert_rule};
    use crate::corpus::Corpus;
    use crate::server::Target;

    const SOURCE: &str = "Harbour stays open\r\n\r\nDirector Anna Kowalczyk of the Ministry of Fisheries spoke in Gdańsk on Monday.\r\n\r\n\
                          “Everything that needed to be settled with our partners in Brussels was settled,” Kowalczyk said.\r\n";

    fn harbour() -> Corpus {
        fixture::corpus(&[("harbour-01", SOURCE)])
    }

    #[test]
    fn near_wording_is_flagged_exact_wording_is_not() {
        let found = assert_rule(
            &harbour(),
            CODE,
            r#"
Kowalczyk said “everything that had to be settled with the partners in Brussels was settled”.
                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
She told the radio: “Everything that needed to be settled with our partners in Brussels was settled.”
"#,
        );
        assert_eq!(
            found[0].finding.message,
            "Quote differs from the source: source reads \"Everything that needed to be settled with our partners in Brussels was settled\" (harbour-01:5)"
        );
    }

    #[test]
    fn related_points_at_the_passage_in_the_source_file() {
        let text = "Kowalczyk said “everything that had to be settled with the partners in Brussels was settled”.\n";
        let found = fixture::run(&harbour(), text, &CheckOptions::default());
        let c = fixture::flagged(&found, CODE);
        let Target { file, range } = &c.finding.related[0].target;
        assert_eq!(
            file.as_deref(),
            Some(std::path::Path::new("sources/harbour-01.txt"))
        );
        assert!(SOURCE[range.clone()].starts_with("Everything that needed"));
        assert!(SOURCE[range.clone()].ends_with("was settled"));
        assert_eq!(c.fixes[0].title, "Use the source wording");
        assert_eq!(
            fixture::apply(text, &c.fixes[0].edits),
            "Kowalczyk said “Everything that needed to be settled with our partners in Brussels was settled”.\n"
        );
    }

    #[test]
    fn the_fix_keeps_the_drafts_closing_full_stop() {
        let text = "She said: “everything that had to be settled with the partners in Brussels was settled.”\n";
        let found = fixture::run(&harbour(), text, &CheckOptions::default());
        let c = fixture::flagged(&found, CODE);
        assert_eq!(
            fixture::apply(text, &c.fixes[0].edits),
            "She said: “Everything that needed to be settled with our partners in Brussels was settled.”\n"
        );
    }
}
