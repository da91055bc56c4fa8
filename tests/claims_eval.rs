//! The `unsourced-claim` rule measured against a labelled set of real news
//! sentences (`tests/claims/`, see its README for the guideline).
//!
//! Each article is checked whole, as the editor checks a draft — through
//! `checks::run` — and a sentence counts as flagged when an
//! `unsourced-claim` finding starts in it. The set is split by article into
//! two halves (sorted by file name, alternate articles): rules were tuned on
//! the first, and the floors hold on the second, the held-back half.
//!
//! `cargo test --release --test claims_eval -- --nocapture` prints both
//! halves; `DOSSIER_CLAIMS_DEBUG=1` also lists every miss and false alarm.

use std::fs;
use std::path::{Path, PathBuf};

use dossier::analysis::checks::{self, CheckOptions};
use dossier::analysis::draft::Draft;
use dossier::corpus::source::{self, LoadOptions};
use dossier::corpus::{article, Corpus, CorpusOptions};

const PRECISION_FLOOR: f64 = 0.85;
const RECALL_FLOOR: f64 = 0.75;
const MIN_SENTENCES: usize = 600;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Sourced,
    Unsourced,
    NotAClaim,
}

struct Article {
    name: String,
    text_path: PathBuf,
    labels: Vec<(Label, String)>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn load_articles() -> Vec<Article> {
    let dir = root().join("tests/claims/labels");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/claims/labels")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let data = fs::read_to_string(p).expect("label file");
            let mut lines = data.lines();
            let header = lines.next().unwrap_or("");
            let text_path = root().join(
                header
                    .strip_prefix("# text: ")
                    .unwrap_or_else(|| panic!("{}: first line names the text", p.display())),
            );
            let labels = lines
                .map(|l| {
                    let (label, sentence) = l
                        .split_once('\t')
                        .unwrap_or_else(|| panic!("{}: bad line {l:?}", p.display()));
                    let label = match label {
                        "claim-sourced" => Label::Sourced,
                        "claim-unsourced" => Label::Unsourced,
                        "not-a-claim" => Label::NotAClaim,
                        other => panic!("{}: unknown label {other:?}", p.display()),
                    };
                    (label, sentence.to_string())
                })
                .collect();
            Article {
                name: p.file_stem().unwrap_or_default().to_string_lossy().into(),
                text_path,
                labels,
            }
        })
        .collect()
}

/// The seeds corpus, without the article being checked when it is a seed:
/// a source checked against itself would "support" every one of its own
/// sentences.
fn corpus_for(article: &Article, all_seeds: &Corpus) -> Option<Corpus> {
    let id = article.text_path.file_stem()?.to_string_lossy().to_string();
    if !all_seeds.documents.iter().any(|d| d.id == id) {
        return None;
    }
    let mut loaded = source::load(&[], true, &LoadOptions::default());
    loaded.files.retain(|f| f.id != id);
    Some(Corpus::build(loaded))
}

/// Whether the rule flags each labelled sentence, in order.
fn flagged(article: &Article, corpus: &Corpus) -> Vec<bool> {
    let text = fs::read_to_string(&article.text_path)
        .unwrap_or_else(|e| panic!("{}: {e}", article.text_path.display()));
    let parts = article::read(&text);
    let sentences: Vec<String> = parts
        .sentences
        .iter()
        .map(|s| one_line(text.get(s.range()).unwrap_or("")))
        .collect();
    // Labels are keyed by the splitter's sentences; a change in the splitter
    // must show here, not silently shift every label by one.
    assert_eq!(
        sentences.len(),
        article.labels.len(),
        "{}: the splitter now gives {} sentences for {} labels; re-label",
        article.name,
        sentences.len(),
        article.labels.len()
    );
    for (i, (s, (_, labelled))) in sentences.iter().zip(&article.labels).enumerate() {
        assert_eq!(
            s, labelled,
            "{}: sentence {i} moved; re-label",
            article.name
        );
    }
    let markdown = article.text_path.extension().is_some_and(|e| e == "md");
    let draft = Draft::read(&text, markdown, corpus);
    let found = checks::run(corpus, &draft, &CheckOptions::default());
    let mut out = vec![false; sentences.len()];
    for c in found.iter().filter(|c| c.finding.code == "unsourced-claim") {
        let start = c.finding.range.start;
        let i = parts.sentences.partition_point(|s| s.end() <= start);
        if let Some(slot) = out.get_mut(i) {
            *slot = true;
        }
    }
    out
}

#[derive(Default, Debug)]
struct Tally {
    sentences: usize,
    unsourced: usize,
    true_pos: usize,
    false_pos: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        let flagged = self.true_pos + self.false_pos;
        if flagged == 0 {
            0.0
        } else {
            self.true_pos as f64 / flagged as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.unsourced == 0 {
            0.0
        } else {
            self.true_pos as f64 / self.unsourced as f64
        }
    }
}

#[test]
fn unsourced_claim_meets_precision_and_recall_floors_on_held_back_half() {
    let articles = load_articles();
    let total: usize = articles.iter().map(|a| a.labels.len()).sum();
    assert!(total >= MIN_SENTENCES, "only {total} labelled sentences");
    let debug = std::env::var_os("DOSSIER_CLAIMS_DEBUG").is_some();
    let seeds = Corpus::load(&CorpusOptions::default());
    let mut halves = [Tally::default(), Tally::default()];
    for (n, article) in articles.iter().enumerate() {
        let own = corpus_for(article, &seeds);
        let flags = flagged(article, own.as_ref().unwrap_or(&seeds));
        let half = &mut halves[n % 2];
        for ((label, sentence), flag) in article.labels.iter().zip(flags) {
            half.sentences += 1;
            let unsourced = *label == Label::Unsourced;
            half.unsourced += usize::from(unsourced);
            match (unsourced, flag) {
                (true, true) => half.true_pos += 1,
                (false, true) => half.false_pos += 1,
                _ => {}
            }
            if debug && unsourced != flag {
                let what = if flag { "FALSE ALARM" } else { "MISS" };
                eprintln!("{what} [{}] {label:?}: {sentence}", article.name);
            }
        }
    }
    for (name, t) in ["tuning half", "held-back half"].iter().zip(&halves) {
        println!(
            "unsourced-claim, {name}: {} sentences, {} unsourced claims, {} flagged correctly, \
             {} false alarms: precision {:.3}, recall {:.3}",
            t.sentences,
            t.unsourced,
            t.true_pos,
            t.false_pos,
            t.precision(),
            t.recall()
        );
    }
    let held = &halves[1];
    assert!(
        held.precision() >= PRECISION_FLOOR && held.recall() >= RECALL_FLOOR,
        "held-back half below the floors: precision {:.3} (floor {PRECISION_FLOOR}), \
         recall {:.3} (floor {RECALL_FLOOR})",
        held.precision(),
        held.recall()
    );
}

#[test]
fn every_labelled_text_exists_and_the_set_is_balanced_enough_to_mean_something() {
    let articles = load_articles();
    assert!(articles.len() >= 35, "{} articles", articles.len());
    let wikinews = articles
        .iter()
        .filter(|a| {
            a.text_path
                .starts_with(root().join("tests/claims/wikinews"))
        })
        .count();
    assert!(wikinews >= 30, "{wikinews} Wikinews articles");
    for a in &articles {
        assert!(
            Path::new(&a.text_path).exists(),
            "{}",
            a.text_path.display()
        );
    }
    let count = |l: Label| {
        articles
            .iter()
            .flat_map(|a| &a.labels)
            .filter(|(x, _)| *x == l)
            .count()
    };
    assert!(count(Label::Unsourced) >= 150);
    assert!(count(Label::Sourced) >= 150);
    assert!(count(Label::NotAClaim) >= 100);
}
