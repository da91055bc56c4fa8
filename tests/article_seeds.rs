//! Reading the five seed articles: titles, bylines, outlets, sentences and
//! boilerplate as a reader of each article sees them.

use dossier::corpus::article::{self, ArticleParts};
use dossier::corpus::model::line_starts;

fn seed(name: &str) -> String {
    let path = format!("{}/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

const SEEDS: [&str; 5] = [
    "000_a1fd89958486c03c.txt",
    "001_c4e7ceec06d85ba9.txt",
    "002_35bd95cedf487386.txt",
    "003_6f5cfd9434295cfe.txt",
    "004_6937bedc17dac110.txt",
];

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    line_starts(text).partition_point(|&s| s <= offset)
}

/// (line, boilerplate, text) of every sentence.
fn sentences<'a>(text: &'a str, parts: &ArticleParts) -> Vec<(usize, bool, &'a str)> {
    parts
        .sentences
        .iter()
        .map(|s| (line_of(text, s.start()), s.boilerplate(), &text[s.range()]))
        .collect()
}

#[test]
fn titles_of_all_seeds() {
    let titles: Vec<Option<String>> = SEEDS
        .iter()
        .map(|s| article::read(&seed(s)).title)
        .collect();
    assert_eq!(
        titles,
        [
            Some("Donald Trump vs US intelligence services: Why the big rift?".to_string()),
            Some("Politico: Foreign intelligence agencies wary of sharing secrets with the the US during Trump presidency".to_string()),
            Some("It’s Security Services, Not The White House, That Are Damaging Intelligence Alliances".to_string()),
            Some("In Defying the Odds,we discuss Trump's approach to governing. The update --recently published --includes a chapter on the 2018 midterms.".to_string()),
            Some("Trump sharing intelligence with Russia".to_string()),
        ]
    );
}

#[test]
fn bylines_dates_and_outlets() {
    let meta: Vec<(Option<String>, Option<String>, Option<String>)> = SEEDS
        .iter()
        .map(|s| {
            let p = article::read(&seed(s));
            (p.byline, p.date, p.outlet)
        })
        .collect();
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        meta,
        [
            // Published by The Week: its subscribe and sign-up lines say so.
            (None, None, some("The Week")),
            // Author on the line after "Author:"; "Date:" is empty; the
            // title's "Politico:" is the source being cited, not the outlet.
            (some("Oleksandra Opanasenko"), None, None),
            // "Saagar Enjeti White House Correspondent"; the licensing
            // notice names the publisher.
            (
                some("Saagar Enjeti"),
                None,
                some("The Daily Caller News Foundation")
            ),
            (None, None, None),
            (None, None, None),
        ]
    );
}

#[test]
fn related_headlines_and_sign_ups_in_000_are_boilerplate() {
    let text = seed(SEEDS[0]);
    let parts = article::read(&text);
    let all = sentences(&text, &parts);
    for &(line, boilerplate, sentence) in &all {
        // Lines 7–12 are subscription prompts and their pitches; from 19 on
        // a sign-up prompt and a block of related headlines.
        let expected = (7..=12).contains(&line) || line >= 19;
        assert_eq!(boilerplate, expected, "line {line}: {sentence:?}");
    }
    // The headline block is read: each item is there, and marked.
    assert!(all
        .iter()
        .any(|&(line, bp, s)| line == 49 && bp && s == "What's next for Elon Musk?"));
    assert!(all.iter().any(|&(line, _, _)| line == 53));
    // Cohen's quote and its tag stay one sentence; "George W Bush" too.
    assert!(all.iter().any(|&(_, bp, s)| !bp
        && s == "\"All administrations leak and maybe particularly early on,\" Eliot Cohen, a counsellor at the State Department under George W Bush, told Time."));
    assert_eq!(all.iter().filter(|&&(_, bp, _)| !bp).count(), 15);
}

#[test]
fn follow_lines_are_boilerplate_in_001_and_004() {
    for (name, last_line) in [(SEEDS[1], 29), (SEEDS[4], 16)] {
        let text = seed(name);
        let parts = article::read(&text);
        for (line, boilerplate, sentence) in sentences(&text, &parts) {
            assert_eq!(
                boilerplate,
                line == last_line,
                "{name}:{line}: {sentence:?}"
            );
        }
    }
}

#[test]
fn furniture_in_002_is_boilerplate_and_the_article_is_not() {
    let text = seed(SEEDS[2]);
    let parts = article::read(&text);
    let furniture = [3, 5, 7, 27, 29, 31];
    for (line, boilerplate, sentence) in sentences(&text, &parts) {
        if line == 6 {
            continue; // the byline line: neither article nor furniture
        }
        assert_eq!(
            boilerplate,
            furniture.contains(&line),
            "line {line}: {sentence:?}"
        );
    }
}

#[test]
fn sentences_of_002_respect_abbreviations_and_quotes() {
    let text = seed(SEEDS[2]);
    let parts = article::read(&text);
    let all = sentences(&text, &parts);
    let texts: Vec<&str> = all.iter().map(|&(_, _, s)| s).collect();
    assert!(texts.contains(
        &"U.K. Home Secretary Amber Rudd had already issued a warning Wednesday that U.S. leaks regarding the bombing were “irritating.”"
    ));
    assert!(
        texts.contains(&"He continued, “All of the conclusions we had to draw – it was all done.”")
    );
    // "U.S." and "U.K." never end a sentence here.
    for s in &texts {
        assert!(!s.ends_with("U.S.") && !s.ends_with("U.K."), "{s:?}");
    }
    // Paragraph of line 23: two sentences, the second after the quote.
    let line23: Vec<&str> = all
        .iter()
        .filter(|&&(l, _, _)| l == 23)
        .map(|&(_, _, s)| s)
        .collect();
    assert_eq!(line23.len(), 2);
    assert!(line23[0].starts_with("Israeli Defense Minister Avigdor Lieberman told"));
    assert!(line23[0].ends_with("with the friends in the U.S. was done.”"));
    // Article sentences: 18, besides title, credit, logo, byline and furniture.
    let article_sentences = all.iter().filter(|&&(l, bp, _)| !bp && l >= 9).count();
    assert_eq!(article_sentences, 18);
}

#[test]
fn no_sentence_starts_with_a_speech_tag() {
    for name in SEEDS {
        let text = seed(name);
        let parts = article::read(&text);
        for (line, _, s) in sentences(&text, &parts) {
            assert!(
                !s.chars().next().is_some_and(char::is_lowercase),
                "{name}:{line}: {s:?}"
            );
        }
    }
    // 004: the tag after a closed quote stays with it.
    let text = seed(SEEDS[4]);
    let texts: Vec<String> = article::read(&text)
        .sentences
        .iter()
        .map(|s| text[s.range()].to_string())
        .collect();
    assert!(texts.contains(
        &"“We appreciate the relationship that we have with Israel and appreciate the exchange of information that we have with them.” he added.".to_string()
    ));
    assert!(texts.contains(
        &"But there is always coordination… that is just good practice and manners,” Israel’s Ministry of Defense said.".to_string()
    ));
}

#[test]
fn split_sentences_agrees_with_read_on_every_paragraph() {
    for name in SEEDS {
        let text = seed(name);
        let parts = article::read(&text);
        for (index, para) in parts.paragraphs.iter().enumerate() {
            let from_read: Vec<_> = parts
                .sentences
                .iter()
                .filter(|s| s.paragraph() == index)
                .map(|s| s.range())
                .collect();
            assert_eq!(
                article::split_sentences(&text, para.clone()),
                from_read,
                "{name}"
            );
        }
        // Sentences are in order, inside their paragraph, never overlapping.
        for pair in parts.sentences.windows(2) {
            assert!(pair[0].end() <= pair[1].start());
        }
        for s in &parts.sentences {
            let p = &parts.paragraphs[s.paragraph()];
            assert!(p.start <= s.start() && s.end() <= p.end);
        }
    }
}

#[test]
fn one_paragraph_per_line_in_000_and_003() {
    let text = seed(SEEDS[0]);
    let parts = article::read(&text);
    let first: Vec<usize> = parts
        .paragraphs
        .iter()
        .take(6)
        .map(|p| line_of(&text, p.start))
        .collect();
    assert_eq!(first, [1, 2, 4, 5, 6, 7]);
    let text = seed(SEEDS[3]);
    assert_eq!(article::read(&text).paragraphs.len(), 6);
}
