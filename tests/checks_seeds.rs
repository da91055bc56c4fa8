//! The checks against the seed corpus: one draft written to trigger each
//! rule, a clean draft written from the seeds with their attribution kept,
//! the quick fixes' resulting text, and a rough timing of a 30 KB draft.

use std::sync::LazyLock;
use std::time::Instant;

use dossier::analysis::checks::{self, CheckOptions, Checked};
use dossier::analysis::draft::Draft;
use dossier::config::AttributionStyle;
use dossier::corpus::{Corpus, CorpusOptions};

static SEEDS: LazyLock<Corpus> = LazyLock::new(|| Corpus::load(&CorpusOptions::default()));

fn check_with(text: &str, options: &CheckOptions) -> Vec<Checked> {
    let draft = Draft::read(text, true, &SEEDS);
    checks::run(&SEEDS, &draft, options)
}

fn check(text: &str) -> Vec<Checked> {
    check_with(text, &CheckOptions::default())
}

/// The findings of one rule: flagged text and message.
fn of<'a>(text: &'a str, found: &[Checked], code: &str) -> Vec<(&'a str, String)> {
    found
        .iter()
        .filter(|c| c.finding.code == code)
        .map(|c| (&text[c.finding.range.clone()], c.finding.message.clone()))
        .collect()
}

fn apply(text: &str, c: &Checked, fix: usize) -> String {
    let mut edits = c.fixes[fix].edits.clone();
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (r, new) in edits {
        out.replace_range(r, &new);
    }
    out
}

fn summary(text: &str, found: &[Checked]) -> String {
    found
        .iter()
        .map(|c| {
            format!(
                "{} {:?}: {}\n",
                c.finding.code,
                &text[c.finding.range.clone()],
                c.finding.message
            )
        })
        .collect()
}

#[test]
fn misquote_of_lieberman_shows_the_source_wording_and_fixes_it() {
    let text = "Lieberman told army radio that \"everything that had to be clarified with our friends in the U.S. was done.\"\n";
    let found = check(text);
    let c = found
        .iter()
        .find(|c| c.finding.code == "misquote")
        .unwrap_or_else(|| panic!("{}", summary(text, &found)));
    assert_eq!(
        c.finding.message,
        "Quote differs from the source: source reads \"everything that needed to be clarified with the friends in the U.S. was done\" (002_35bd95cedf487386:23)"
    );
    let related = &c.finding.related[0].target;
    assert_eq!(
        related.file.as_deref(),
        Some(std::path::Path::new("seeds/002_35bd95cedf487386.txt"))
    );
    let seed = include_str!("../seeds/002_35bd95cedf487386.txt");
    assert_eq!(
        &seed[related.range.clone()],
        "everything that needed to be clarified with the friends in the U.S. was done"
    );
    assert_eq!(c.fixes[0].title, "Use the source wording");
    assert_eq!(
        apply(text, c, 0),
        "Lieberman told army radio that \"everything that needed to be clarified with the friends in the U.S. was done.\"\n"
    );
}

#[test]
fn a_spicer_quote_given_to_someone_else_is_misattributed() {
    let text = "“The president can always discuss common threats or common issues with host nations,” Dmitry Peskov said.\n";
    let found = check(text);
    let got = of(text, &found, "misattributed-quote");
    assert_eq!(got.len(), 1, "{}", summary(text, &found));
    assert!(
        got[0].1.starts_with("The sources attribute this quote to Sean Spicer, not Dmitry Peskov (004_6937bedc17dac110:"),
        "{}",
        got[0].1
    );
    let c = found
        .iter()
        .find(|c| c.finding.code == "misattributed-quote")
        .unwrap();
    assert_eq!(c.fixes[0].title, "Attribute to Sean Spicer");
    assert_eq!(
        apply(text, c, 0),
        "“The president can always discuss common threats or common issues with host nations,” Sean Spicer said.\n"
    );
}

#[test]
fn the_israeli_officers_words_given_to_spicer_are_misattributed() {
    let text = "“There has to be trust for this sort of arrangement,” Sean Spicer said.\n";
    let found = check(text);
    let got = of(text, &found, "misattributed-quote");
    assert_eq!(got.len(), 1, "{}", summary(text, &found));
    assert!(
        got[0]
            .1
            .contains("not Sean Spicer (004_6937bedc17dac110:10)"),
        "{}",
        got[0].1
    );
    assert!(got[0].1.contains("officer"), "{}", got[0].1);
}

#[test]
fn dimitry_peskov_is_a_name_variant_with_a_fix() {
    let text = "Dimitry Peskov dismissed the story as pulp fiction on Tuesday.\n";
    let found = check(text);
    let got = of(text, &found, "name-variant");
    assert_eq!(
        got,
        [(
            "Dimitry Peskov",
            "\"Dimitry Peskov\" — the sources spell it \"Dmitry Peskov\"".to_string()
        )],
        "{}",
        summary(text, &found)
    );
    let c = found
        .iter()
        .find(|c| c.finding.code == "name-variant")
        .unwrap();
    assert_eq!(c.fixes[0].title, "Change to Dmitry Peskov");
    assert_eq!(
        apply(text, c, 0),
        "Dmitry Peskov dismissed the story as pulp fiction on Tuesday.\n"
    );
    // Not also an unknown actor.
    assert!(
        of(text, &found, "unknown-actor").is_empty(),
        "{}",
        summary(text, &found)
    );
}

#[test]
fn a_claim_with_no_attribution_is_flagged() {
    let text = "Donald Trump shared top-secret Israeli intelligence with the Russian foreign minister in May 2017.\n";
    let found = check(text);
    let got = of(text, &found, "unsourced-claim");
    assert_eq!(got.len(), 1, "{}", summary(text, &found));
    // The seed that reports it is named, so the writer can attribute it.
    assert_eq!(
        got[0].1,
        "No attribution for this claim about Donald Trump. Possibly supported by \
         “Politico: Foreign intelligence agencies wary of sharing…” (001_c4e7ceec06d85ba9:19)"
    );
}

#[test]
fn sources_close_to_the_president_is_vague() {
    let text = "Sources close to the president said the leaks would stop.\n";
    let found = check(text);
    assert_eq!(
        of(text, &found, "vague-attribution"),
        [(
            "Sources close to the president said",
            "\"Sources close to the president said\": the source is not named".to_string()
        )],
        "{}",
        summary(text, &found)
    );
}

#[test]
fn an_invented_person_is_an_unknown_actor() {
    let text = "Jane Whitfield, a former diplomat, told reporters that the alliance would hold.\n";
    let found = check(text);
    assert_eq!(
        of(text, &found, "unknown-actor"),
        [(
            "Jane Whitfield",
            "\"Jane Whitfield\" does not appear in the sources".to_string()
        )],
        "{}",
        summary(text, &found)
    );
}

#[test]
fn peskovs_words_without_a_speaker_get_an_attribution_fix() {
    let text = "The Kremlin was unmoved.\n\n“All these arguments about who urgently extracted whom, who saved whom -- this, you know, is in the genre of what you call pulp fiction.”\n";
    let found = check(text);
    let c = found
        .iter()
        .find(|c| c.finding.code == "unattributed-quote")
        .unwrap_or_else(|| panic!("{}", summary(text, &found)));
    assert_eq!(c.fixes[0].title, "Attribute to Dmitry Peskov");
    assert!(
        apply(text, c, 0).ends_with("what you call pulp fiction,” said Dmitry Peskov.\n"),
        "{}",
        apply(text, c, 0)
    );
    let options = CheckOptions {
        attribution_style: AttributionStyle::NameSaid,
        ..Default::default()
    };
    let found = check_with(text, &options);
    let c = found
        .iter()
        .find(|c| c.finding.code == "unattributed-quote")
        .unwrap();
    assert!(apply(text, c, 0).ends_with("pulp fiction,” Dmitry Peskov said.\n"));
}

#[test]
fn an_invented_quote_is_not_found() {
    let text = "“The intelligence services will be dismantled by the end of the year,” Donald Trump said.\n";
    let found = check(text);
    assert_eq!(
        of(text, &found, "quote-not-found"),
        [(
            "The intelligence services will be dismantled by the end of the year,",
            "No source contains this quotation".to_string()
        )],
        "{}",
        summary(text, &found)
    );
}

#[test]
fn a_draft_that_keeps_the_seeds_attribution_is_clean() {
    let text = "# Allies and the leaks\n\n\
        CIA spokeswoman Liz Lyons said the allegations were “unfounded”.\n\n\
        “You can’t just stop it,” said an unnamed Northern European defense official.\n\n\
        In a conference call with reporters Tuesday, Kremlin spokesperson Dmitry Peskov said, \"All these arguments about who urgently extracted whom, who saved whom -- this, you know, is in the genre of what you call pulp fiction.\"\n\n\
        “We appreciate the relationship that we have with Israel and appreciate the exchange of information that we have with them,” Sean Spicer said.\n\n\
        Israeli Defense Minister Avigdor Lieberman told Israeli Army Radio that “everything that needed to be clarified with the friends in the U.S. was done.”\n";
    let found = check(text);
    assert!(found.is_empty(), "{}", summary(text, &found));
}

/// Mean time to read and to check `text`, over `runs` runs.
fn time_check(text: &str, runs: u32) -> (std::time::Duration, std::time::Duration, usize) {
    let _ = check(text); // warm the corpus and the name buckets
    let mut read = std::time::Duration::ZERO;
    let mut run = std::time::Duration::ZERO;
    let mut n = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let draft = Draft::read(text, true, &SEEDS);
        read += t.elapsed();
        let t = Instant::now();
        n = checks::run(&SEEDS, &draft, &CheckOptions::default()).len();
        run += t.elapsed();
    }
    (read / runs, run / runs, n)
}

/// Not asserted: prints how long a 30 KB draft takes to check. Run with
/// `cargo test --release --test checks_seeds -- --nocapture timing`.
#[test]
fn timing_of_a_30_kb_draft() {
    // Real news prose: the seed articles themselves, about 30 KB of them.
    let mut news = String::new();
    for d in &SEEDS.documents {
        if news.len() + d.text.len() > 32_000 {
            break;
        }
        news.push_str(&d.text);
        news.push_str("\n\n");
    }
    let (read, run, n) = time_check(&news, 20);
    println!(
        "seed prose ({} bytes, {} quotes, {n} findings): Draft::read {read:?}, checks::run {run:?}",
        news.len(),
        Draft::read(&news, true, &SEEDS).quotes.len()
    );
    // A draft dense with problems: every paragraph trips a rule.
    let paragraphs = [
        "Lieberman told army radio that \"everything that had to be clarified with our friends in the U.S. was done.\"",
        "“The president can always discuss common threats or common issues with host nations,” Dmitry Peskov said.",
        "Dimitry Peskov dismissed the story as pulp fiction on Tuesday.",
        "Donald Trump shared top-secret Israeli intelligence with the Russian foreign minister in May 2017.",
        "Sources close to the president said the leaks would stop.",
        "Jane Whitfield, a former diplomat, told reporters that the alliance would hold.",
        "CIA spokeswoman Liz Lyons said the allegations were “unfounded”.",
        "The harbour was quiet and the weather was cold for most of the week, as it often is.",
    ];
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 30_000 {
        text.push_str(paragraphs[i % paragraphs.len()]);
        text.push_str("\n\n");
        i += 1;
    }
    let (read, run, n) = time_check(&text, 20);
    println!(
        "problem-dense draft ({} bytes, {} quotes, {n} findings): Draft::read {read:?}, checks::run {run:?}",
        text.len(),
        Draft::read(&text, true, &SEEDS).quotes.len()
    );
    assert!(n > 0);
}
