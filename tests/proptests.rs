//! Property tests for the sentence splitter and the quote matcher: every
//! range they return lies inside the text, on character boundaries, in
//! order; and finding a quotation does not depend on curly or straight
//! quote marks or on how whitespace is spread.

use std::ops::Range;

use proptest::prelude::*;

use dossier::corpus::article;
use dossier::corpus::quote_match::QuoteIndex;

/// Words with the characters offsets trip on: accents, curly and straight
/// apostrophes, the modifier letter ʼ, emoji, dashes.
const WORDS: &[&str] = &[
    "the",
    "harbour",
    "Ministry",
    "Fisheries",
    "Director",
    "Zoë",
    "Ångström",
    "won’t",
    "won't",
    "don’t",
    "it's",
    "Kowalczykʼs",
    "fleet",
    "—",
    "closure",
    "Dr.",
    "U.S.",
    "3.5",
    "percent",
    "👩‍💻",
    "🐟",
    "said",
    "Mr.",
    "e.g.",
    "«non»",
    "ｆｕｌｌ",
];

const SEPARATORS: &[&str] = &[
    " ", " ", " ", "  ", "\n", "\r\n", "\n\n", "\r\n\r\n", "\t", ". ", "? ", "! ", ", ", "; ",
    ": ", "… ", "...", "\u{a0}", "\r", " “", "” ", " \"", "\" ", " ‘", "’ ",
];

fn prose() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(WORDS),
            prop::sample::select(SEPARATORS),
        ),
        0..60,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(w, s)| format!("{w}{s}"))
            .collect::<String>()
    })
}

/// Any text at all, including control characters and lone surrogates'
/// replacement characters.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![prose(), any::<String>()]
}

fn assert_ranges_sound(text: &str, ranges: &[Range<usize>], what: &str) {
    let mut last_end = 0;
    for r in ranges {
        assert!(r.start <= r.end, "{what}: reversed {r:?} in {text:?}");
        assert!(
            r.end <= text.len(),
            "{what}: {r:?} past the end of {text:?}"
        );
        assert!(
            text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
            "{what}: {r:?} splits a character in {text:?}"
        );
        assert!(
            r.start >= last_end,
            "{what}: {r:?} overlaps or comes before the previous range in {text:?}"
        );
        last_end = r.end;
    }
}

/// The quote as a straight-quoted, single-spaced string.
fn straighten(text: &str) -> String {
    text.replace(['’', 'ʼ', '‘'], "'")
        .replace(['“', '”'], "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The quote with curly apostrophes and whitespace spread differently.
fn curl(text: &str, spread: &[u8]) -> String {
    let curled = text.replace('\'', "’");
    let mut out = String::new();
    for (i, word) in curled.split(' ').enumerate() {
        if i > 0 {
            out.push_str(match spread.get(i).copied().unwrap_or(0) % 4 {
                0 => " ",
                1 => "  ",
                2 => "\r\n",
                _ => " \n\t",
            });
        }
        out.push_str(word);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn sentences_lie_inside_the_text_on_boundaries_in_order(text in any_text()) {
        let sentences = article::split_sentences(&text, 0..text.len());
        assert_ranges_sound(&text, &sentences, "sentences");
        for s in &sentences {
            prop_assert!(!text[s.clone()].trim().is_empty(), "blank sentence {s:?}");
        }
        let paragraphs = article::split_paragraphs(&text, 0..text.len());
        assert_ranges_sound(&text, &paragraphs, "paragraphs");
    }

    #[test]
    fn any_requested_range_is_narrowed_to_boundaries(
        text in any_text(),
        a in 0usize..400,
        b in 0usize..400,
    ) {
        // Ranges from callers may be stale: past the end, reversed, or
        // inside a character.
        let sentences = article::split_sentences(&text, a..b);
        assert_ranges_sound(&text, &sentences, "sentences of a sub-range");
        for s in &sentences {
            prop_assert!(s.start >= a.min(text.len()) && s.end <= b.max(a).min(text.len()));
        }
    }

    #[test]
    fn article_reading_keeps_sentences_inside_paragraphs(text in any_text()) {
        let parts = article::read(&text);
        assert_ranges_sound(&text, &parts.paragraphs, "paragraphs");
        let ranges: Vec<Range<usize>> = parts.sentences.iter().map(|s| s.range()).collect();
        assert_ranges_sound(&text, &ranges, "sentences");
        for s in &parts.sentences {
            let para = &parts.paragraphs[s.paragraph()];
            prop_assert!(para.start <= s.start() && s.end() <= para.end);
        }
    }

    #[test]
    fn quote_hits_lie_inside_their_text_on_boundaries(
        sources in prop::collection::vec(any_text(), 1..4),
        quote in any_text(),
    ) {
        let texts: Vec<&str> = sources.iter().map(String::as_str).collect();
        let index = QuoteIndex::new(&texts);
        for hit in index.find(&texts, &quote).into_iter().chain(index.find_near(&texts, &quote)) {
            let text = texts[hit.text];
            assert_ranges_sound(text, std::slice::from_ref(&hit.range), "quote hit");
            prop_assert!((0.0..=1.0).contains(&hit.score));
        }
    }

    #[test]
    fn a_passage_is_found_whatever_its_quote_marks_and_spacing(
        source in prose(),
        start in 0usize..60,
        len in 1usize..12,
        spread in prop::collection::vec(any::<u8>(), 12),
    ) {
        let words: Vec<&str> = source.split_whitespace().collect();
        prop_assume!(!words.is_empty());
        let start = start % words.len();
        let end = (start + len).min(words.len());
        let passage = words[start..end].join(" ");
        let straight = straighten(&passage);
        let curly = curl(&straight, &spread);
        let texts = [source.as_str()];
        let index = QuoteIndex::new(&texts);
        let a = index.find(&texts, &straight);
        let b = index.find(&texts, &curly);
        prop_assert_eq!(&a, &b, "straight {:?} vs curly {:?}", straight, curly);
        // The passage is in the source, so a quote made of words finds it.
        if passage.chars().any(char::is_alphanumeric) {
            prop_assert!(!a.is_empty(), "{:?} not found in {:?}", straight, source);
        }
        for hit in &a {
            assert_ranges_sound(&source, std::slice::from_ref(&hit.range), "hit");
        }
    }
}
