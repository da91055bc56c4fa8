//! `quote-not-found`: a quotation of four words or more that no source
//! holds, word for word or nearly.
//!
//! A quote is a claim that someone used exactly these words; if the sources
//! do not have them, the writer should know before a reader asks. Shorter
//! quotations ("nonsense", “a disgrace”) are too common to judge by a miss.

use super::{finding, Checked, Context};
use crate::analysis::quote_source::{QuoteSource, MIN_WORDS_FOR_MISS};
use crate::server::Severity;

pub const CODE: &str = "quote-not-found";

pub(crate) fn check(cx: &Context) -> Vec<Checked> {
    if cx.corpus.documents.is_empty() {
        // Without sources every quote would be "not found".
        return Vec::new();
    }
    cx.quotes()
        .filter(|(_, q, located)| {
            matches!(located, QuoteSource::NotFound)
                && cx.draft.quote_text(q).split_whitespace().count() >= MIN_WORDS_FOR_MISS
        })
        .map(|(_, q, _)| Checked {
            finding: finding(
                CODE,
                Severity::Warning,
                q.range.clone(),
                "No source contains this quotation".to_string(),
            ),
            fixes: Vec::new(),
        })
        .collect()
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
             “We won’t close the harbour — not this year,” Kowalczyk said.\n",
        )])
    }

    #[test]
    fn invented_speech_is_flagged_short_and_found_quotes_are_not() {
        assert_rule(
            &harbour(),
            CODE,
            r#"
Kowalczyk said: "We won't close the harbour - not this year."
She called the rumours "pure invention".
She added that “the cod will be back by spring 🐟”.
                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"#,
        );
    }

    #[test]
    fn nothing_is_flagged_without_sources() {
        let found = fixture::run(
            &Corpus::default(),
            "She said “the cod will be back by spring”.",
            &CheckOptions::default(),
        );
        assert!(found.iter().all(|c| c.finding.code != CODE));
    }
}
