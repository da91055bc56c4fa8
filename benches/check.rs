//! What a writer waits for: a full check of a draft (reading it, then every
//! rule) for a 30 KB article and a 3 MB document, a hover, and one quote
//! look-up — all against the built-in seed corpus. Hovers go through the
//! server's `Backend` seam, on a text the backend has already read (the
//! usual case: the cursor moves, the text does not) and just after an edit.
//!
//! The drafts are the sample draft followed by real news text: Wikinews
//! articles from `../shared/corpora/wikinews/` when that folder sits beside
//! the checkout, otherwise the seed articles themselves, repeated.
//!
//! `cargo bench --bench check` prints criterion's figures.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dossier::analysis::backend::DossierBackend;
use dossier::analysis::checks::{self, CheckOptions};
use dossier::analysis::draft::Draft;
use dossier::analysis::quote_source;
use dossier::config::Settings;
use dossier::corpus::passages::PassageIndex;
use dossier::corpus::quote_match::QuoteIndex;
use dossier::corpus::source::{self, LoadOptions};
use dossier::corpus::{article, Corpus, Document};
use dossier::server::Backend;

const SAMPLE_DRAFT: &str = include_str!("../examples/draft.md");

/// News text to pad drafts with, article after article.
fn news_articles() -> Vec<String> {
    let wikinews = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/wikinews");
    let loaded = if wikinews.is_dir() {
        source::load(&[wikinews], false, &LoadOptions::default())
    } else {
        source::load(&[], true, &LoadOptions::default())
    };
    loaded.files.into_iter().map(|f| f.text).collect()
}

/// The sample draft, then articles (cycled) until the text reaches `size`
/// bytes.
fn draft_of_size(articles: &[String], size: usize) -> String {
    let mut text = String::from(SAMPLE_DRAFT);
    for article in articles.iter().cycle() {
        if text.len() >= size || article.is_empty() {
            break;
        }
        text.push_str("\n\n");
        text.push_str(article);
    }
    text
}

fn check(corpus: &Corpus, text: &str) -> usize {
    let draft = Draft::read(text, true, corpus);
    checks::run(corpus, &draft, &CheckOptions::default()).len()
}

fn bench_check(c: &mut Criterion) {
    dossier::tune_memory();
    let corpus = Corpus::build(source::load(&[], true, &LoadOptions::default()));
    let articles = news_articles();
    let article = draft_of_size(&articles, 30 * 1024);
    let document = draft_of_size(&articles, 3 * 1024 * 1024);
    eprintln!(
        "drafts: {} bytes ({} findings), {} bytes ({} findings)",
        article.len(),
        check(&corpus, &article),
        document.len(),
        check(&corpus, &document)
    );

    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Bytes(SAMPLE_DRAFT.len() as u64));
    group.bench_function("sample-draft", |b| {
        b.iter(|| check(&corpus, black_box(SAMPLE_DRAFT)))
    });
    group.throughput(Throughput::Bytes(article.len() as u64));
    group.bench_function("article-30KB", |b| {
        b.iter(|| check(&corpus, black_box(&article)))
    });
    group.bench_function("article-30KB-read-only", |b| {
        b.iter(|| {
            Draft::read(black_box(&article), true, &corpus)
                .mentions
                .len()
        })
    });
    group.throughput(Throughput::Bytes(document.len() as u64));
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("document-3MB", |b| {
        b.iter(|| check(&corpus, black_box(&document)))
    });
    // A transcript pasted as one paragraph: a quotation on every line and
    // no blank line (each quote's look-ups used to scan the paragraph's).
    let transcript = "Zoë Ångström said “we keep the harbour open” 🚢.\r\n".repeat(20_000);
    group.throughput(Throughput::Bytes(transcript.len() as u64));
    group.bench_function("transcript-one-paragraph-1MB", |b| {
        b.iter(|| check(&corpus, black_box(&transcript)))
    });
    group.finish();
}

fn bench_hover(c: &mut Criterion) {
    dossier::tune_memory();
    let backend = DossierBackend::new();
    let settings = Settings::default();
    backend.configure(&settings);
    backend.build(&settings, &|_, _| {});
    let articles = news_articles();
    let article = draft_of_size(&articles, 30 * 1024);
    // On a name, on a quotation, and on plain words.
    let on_name = SAMPLE_DRAFT.find("Lieberman").unwrap_or(0) + 2;
    let on_quote = SAMPLE_DRAFT.find("existential").unwrap_or(0) + 2;
    let on_words = SAMPLE_DRAFT.find("rethinking").unwrap_or(0) + 2;
    eprintln!(
        "hover answers: name {}, quote {}, words {}",
        backend.hover(&article, on_name).is_some(),
        backend.hover(&article, on_quote).is_some(),
        backend.hover(&article, on_words).is_some()
    );

    let mut group = c.benchmark_group("hover");
    group.sample_size(20);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    for (name, offset) in [
        ("name-in-30KB", on_name),
        ("quote-in-30KB", on_quote),
        ("words-in-30KB", on_words),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| backend.hover(black_box(&article), black_box(offset)))
        });
    }
    // After an edit the backend has not read this text yet: cycle through
    // more versions than it keeps, so every hover reads the draft afresh.
    let edited: Vec<String> = (0..16)
        .map(|i| format!("{article}\n\nEdit {i}.\n"))
        .collect();
    let mut turn = 0usize;
    group.bench_function("name-in-30KB-after-edit", |b| {
        b.iter(|| {
            turn = (turn + 1) % edited.len();
            backend.hover(black_box(&edited[turn]), black_box(on_name))
        })
    });
    group.finish();
}

fn bench_quote_lookup(c: &mut Criterion) {
    dossier::tune_memory();
    let corpus = Corpus::build(source::load(&[], true, &LoadOptions::default()));
    let mut group = c.benchmark_group("quote-lookup");
    group.sample_size(30);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for (name, quote) in [
        ("word-for-word", "existential crisis"),
        (
            "misquote",
            "everything that had to be clarified with our friends in the U.S. was done",
        ),
        (
            "not-found",
            "We simply cannot hand over our best material until the leaks stop",
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| quote_source::locate(&corpus, black_box(quote)))
        });
    }
    group.finish();
}

/// The process's resident memory in bytes (Linux; 0 elsewhere).
fn rss_bytes() -> usize {
    dossier::status_mb("VmRSS:").map_or(0, |mb| (mb * 1024.0 * 1024.0) as usize)
}

/// Not a timing: how much memory the quote and passage indexes take per
/// byte of source text, built again over the Wikinews corpus (resident
/// memory before and after each build), printed once.
/// `DOSSIER_INDEX_CORPUS=/some/folder` measures another corpus (say one
/// from `examples/gen_corpus.rs`).
fn index_memory(_: &mut Criterion) {
    dossier::tune_memory();
    let folder = std::env::var_os("DOSSIER_INDEX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/wikinews")
        });
    if !folder.is_dir() {
        return;
    }
    // Only what the two indexes read: each article's text and sentences.
    let documents: Vec<Document> = source::load(&[folder], false, &LoadOptions::default())
        .files
        .into_iter()
        .map(|f| {
            let parts = article::read(&f.text);
            Document {
                id: f.id,
                path: f.path,
                embedded: false,
                line_map: f.line_map,
                text: f.text.into(),
                title: parts.title,
                byline: parts.byline,
                date: parts.date,
                outlet: parts.outlet,
                sentences: parts.sentences,
            }
        })
        .collect();
    let text_bytes: usize = documents.iter().map(|d| d.text.len()).sum();
    let texts: Vec<&str> = documents.iter().map(|d| d.text.as_str()).collect();
    let before = rss_bytes();
    let started = std::time::Instant::now();
    let quotes = QuoteIndex::new(&texts);
    let quote_time = started.elapsed();
    let after_quotes = rss_bytes();
    let started = std::time::Instant::now();
    let passages = PassageIndex::build(&documents);
    let passage_time = started.elapsed();
    let after_passages = rss_bytes();
    let per = |n: usize| n as f64 / text_bytes.max(1) as f64;
    eprintln!(
        "index memory over {} documents, {} bytes of text: quote index {} bytes RSS ({:.3}/byte, built in {quote_time:?}), \
         passage index {} bytes RSS ({:.3}/byte, built in {passage_time:?}), together {:.3}/byte",
        texts.len(),
        text_bytes,
        after_quotes.saturating_sub(before),
        per(after_quotes.saturating_sub(before)),
        after_passages.saturating_sub(after_quotes),
        per(after_passages.saturating_sub(after_quotes)),
        per(after_passages.saturating_sub(before)),
    );
    eprintln!(
        "index heap: quote index {} bytes ({:.3}/byte), passage index {} bytes ({:.3}/byte)",
        quotes.heap_bytes(),
        per(quotes.heap_bytes()),
        passages.heap_bytes(),
        per(passages.heap_bytes()),
    );
    black_box((&quotes, &passages));
}

criterion_group!(
    benches,
    index_memory,
    bench_check,
    bench_hover,
    bench_quote_lookup
);
criterion_main!(benches);
