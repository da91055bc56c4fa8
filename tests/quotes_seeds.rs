//! Quotations and their speakers in the five seed articles, as a careful
//! reader finds them. Runs the real article reader and name recognizer, so
//! these pass only when all three stages do their part.

use dossier::corpus::quotes::{find_quotes, RawQuote, SpeakerCue};
use dossier::corpus::{article, names};

fn seed(prefix: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let entry = std::fs::read_dir(&dir)
        .expect("seeds folder")
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .expect("seed file");
    std::fs::read_to_string(entry.path()).expect("readable seed")
}

/// A quote's words and its speaker as the text writes them.
type QuoteAndSpeaker = (String, Option<String>);

/// Every quote of a seed with its speaker as the text writes it.
fn quotes(prefix: &str) -> (String, Vec<QuoteAndSpeaker>, Vec<RawQuote>) {
    let text = seed(prefix);
    let parts = article::read(&text);
    let sentences: Vec<_> = parts.sentences.iter().map(|s| s.range()).collect();
    let names = names::find_names(&text, &sentences);
    let raw = find_quotes(&text, &parts.paragraphs, &parts.sentences, &names);
    let found = raw
        .iter()
        .map(|q| {
            let speaker = q.speaker.as_ref().map(|s| match s {
                SpeakerCue::Name(i) => text[names[*i].range.clone()].to_string(),
                SpeakerCue::Descriptive(r) => text[r.clone()].to_string(),
            });
            (text[q.range.clone()].to_string(), speaker)
        })
        .collect();
    (text, found, raw)
}

/// Check each `(quote opening, nth occurrence, expected speaker)`: the
/// speaker must contain the expected words and not much more (a recognizer
/// may keep "the" or a possessive place in front).
fn check(prefix: &str, expected: &[(&str, usize, Option<&str>)]) {
    let (_, found, _) = quotes(prefix);
    let mut failures = Vec::new();
    for &(start, nth, speaker) in expected {
        let Some((quote, got)) = found.iter().filter(|(q, _)| q.starts_with(start)).nth(nth) else {
            failures.push(format!("{prefix}: quote not found: {start:?} (#{nth})"));
            continue;
        };
        let ok = match (speaker, got) {
            (None, None) => true,
            (Some(want), Some(got)) => got.contains(want) && got.len() <= want.len() + 16,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{prefix}: {quote:?}: expected speaker {speaker:?}, got {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} wrong:\n{}",
        failures.len(),
        expected.len(),
        failures.join("\n")
    );
}

#[test]
fn seed_000_the_week() {
    check(
        "000",
        &[
            ("like candy", 0, None),
            ("like candy", 1, Some("Trump")),
            ("Russian connection", 0, Some("Trump")),
            ("nonsense", 0, Some("Trump")),
            (
                "declared war on his intelligence agencies",
                0,
                Some("Daily Telegraph"),
            ),
            ("All administrations leak", 0, Some("Eliot Cohen")),
            ("But what surprises me here", 0, Some("Eliot Cohen")),
            (
                "leaks appear to be just the latest salvo",
                0,
                Some("The magazine"),
            ),
            ("shaky detente", 0, Some("Guardian")),
            ("dodgy Russia dossier", 0, Some("Guardian")),
            ("Nazi Germany", 0, Some("Trump")),
            ("fake news to 'leak' to the public", 0, Some("Trump")),
            ("existential crisis", 0, Some("Glenn Carle")),
            (
                "someone for whom the truth is irrelevant",
                0,
                Some("Glenn Carle"),
            ),
            ("We need solutions that prioritize", 0, None),
            ("The pattern is similar across America", 0, None),
        ],
    );
}

#[test]
fn seed_001_politico_report() {
    check(
        "001",
        &[
            (
                "You can’t just stop it,",
                0,
                Some("an unnamed Northern European defense official"),
            ),
            ("unfounded", 0, Some("Liz Lyons")),
            ("incredibly seriously", 0, Some("Liz Lyons")),
            ("far from hypothetical", 0, Some("Politico")),
        ],
    );
}

#[test]
fn seed_002_daily_caller() {
    check(
        "002",
        &[
            ("damage assessment", 0, Some("Shashank Joshi")),
            (
                "I will make clear to President Trump",
                0,
                Some("Theresa May"),
            ),
            ("damaged", 0, Some("National Police Chiefs")),
            ("[The] damage is even greater", 0, Some("the statement")),
            ("pinpoint correction", 0, Some("Avigdor Lieberman")),
            (
                "everything that needed to be clarified",
                0,
                Some("Avigdor Lieberman"),
            ),
            (
                "All of the conclusions we had to draw",
                0,
                Some("Avigdor Lieberman"),
            ),
        ],
    );
}

#[test]
fn seed_003_cnn() {
    check(
        "003",
        &[
            (
                "believes we shouldn't be doing that",
                0,
                Some("one former Trump administration official"),
            ),
            (
                "believes they're people",
                0,
                Some("Another former senior intelligence official"),
            ),
            ("wouldn't let that happen", 0, Some("Trump")),
            ("If somebody called from a country", 0, Some("Trump")),
            (
                "All these arguments about who urgently extracted whom",
                0,
                Some("Dmitry Peskov"),
            ),
        ],
    );
}

#[test]
fn seed_004_israeli_officials() {
    check(
        "004",
        &[
            (
                "We have an arrangement with America",
                0,
                Some("the officer"),
            ),
            (
                "The president can always discuss common threats",
                0,
                Some("Sean Spicer"),
            ),
            ("We appreciate the relationship", 0, Some("Sean Spicer")),
            ("There has to be trust", 0, Some("the intelligence officer")),
            (
                "highly unusual and highly inappropriate",
                0,
                Some("Israeli officials"),
            ),
            (
                "There are situations where this is necessary",
                0,
                Some("Ministry of Defense"),
            ),
            (
                "We are concerned about our long-term",
                0,
                Some("Ministry of Defense"),
            ),
            (
                "It would be impossible for the President",
                0,
                Some("Sean Spicer"),
            ),
        ],
    );
}

#[test]
fn quote_boundaries_in_the_seeds() {
    // The unclosed quote stops before the writer's tag.
    let (_, found, _) = quotes("004");
    assert_eq!(found.len(), 8, "{found:#?}");
    assert!(found
        .iter()
        .any(|(q, _)| q == "highly unusual and highly inappropriate"));
    // Nested single quotes and the editorial insertion stay inside the outer quote.
    let (_, found, _) = quotes("003");
    let norway = found
        .iter()
        .find(|(q, _)| q.starts_with("If somebody called"))
        .expect("the Norway quote");
    assert!(norway
        .0
        .contains("[and said] ‘we have information on your opponent' -- oh"));
    assert!(norway.0.ends_with("I'd want to hear it."));
    // Apostrophes (Trump's, The Week's, Yoon Suk Yeol's) never open a quote;
    // the headline's straight single quotes do.
    let (text, found, raw) = quotes("000");
    assert_eq!(found.len(), 22, "{found:#?}");
    assert!(found
        .iter()
        .all(|(q, _)| !q.contains("s Free Newsletters") && !q.contains("s impeachment")));
    assert!(found.iter().any(|(q, _)| q == "pork-filled"));
    assert!(found
        .iter()
        .any(|(q, _)| q == "Shame on those who voted for it: you know you did wrong,"));
    for q in &raw {
        assert!(text[q.sentence.clone()].contains(&text[q.range.clone()]));
    }
    // A multi-sentence quote is one quote.
    let (_, found, _) = quotes("004");
    assert!(found
        .iter()
        .any(|(q, _)| q.starts_with("We have an arrangement")
            && q.ends_with("our worst fears confirmed,")));
}
