//! Profile one check: loads a corpus folder (from its cache when fresh),
//! pads the sample draft to a size with Wikinews text and checks it N
//! times, printing per-check milliseconds. With `DOSSIER_TIMINGS=1` each
//! check prints its stages. For `perf record`.
//!
//! ```text
//! cargo run --release --example check_profile -- DIR CACHE [BYTES] [RUNS] [checks-only] [first] [words]
//! ```
use std::ops::Range;
use std::path::PathBuf;
use std::time::Instant;

use dossier::analysis::backend::DossierBackend;
use dossier::config::Settings;
use dossier::corpus::source::{self, LoadOptions};
use dossier::server::Backend;

fn main() {
    dossier::tune_memory();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(&args[0]);
    let cache = PathBuf::from(&args[1]);
    let size: usize = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(30 * 1024);
    let runs: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(5);
    // Flags after those: `checks-only` leaves out the hovers (for perf);
    // `first` forgets the look-ups before every check, so each is a first
    // check (a draft never seen).
    let flags = args.get(4..).unwrap_or_default();
    let hovers = !flags.iter().any(|a| a == "checks-only");
    let first = flags.iter().any(|a| a == "first");
    let backend = DossierBackend::new().with_cache(Some(cache));
    let settings = Settings {
        corpus: vec![dir],
        include_default_corpus: false,
        ..Settings::default()
    };
    backend.configure(&settings);
    let t = Instant::now();
    backend.build(&settings, &|_, _| {});
    eprintln!("load {:.1} ms; {}", t.elapsed().as_secs_f64() * 1e3, rss());
    let wikinews = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpora/wikinews"
    ));
    let articles: Vec<String> = source::load(&[wikinews], false, &LoadOptions::default())
        .files
        .into_iter()
        .map(|f| f.text)
        .collect();
    let mut text = String::from(include_str!("../examples/draft.md"));
    for a in articles.iter().cycle() {
        if text.len() >= size {
            break;
        }
        text.push_str("\n\n");
        text.push_str(a);
    }
    for i in 0..runs {
        if first {
            backend.forget_lookups();
        }
        let edited = format!("{text}\n\nEdit {i}.\n");
        let t = Instant::now();
        let n = backend.check(&edited, "markdown").len();
        eprintln!(
            "check {i}: {:.2} ms, {n} findings",
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    eprintln!("after the checks: {}", rss());
    // Hover on every known name of the text (with `words`, on every
    // capitalised word, as an editor user does), slowest shown.
    let names: Vec<Range<usize>> = if !hovers {
        Vec::new()
    } else if flags.iter().any(|a| a == "words") {
        capitalised_words(&text)
    } else {
        backend
            .corpus()
            .names
            .find(&text)
            .into_iter()
            .map(|h| h.range)
            .collect()
    };
    backend.hover(&text, 0);
    let mut times: Vec<(f64, &str)> = names
        .iter()
        .map(|h| {
            let t = Instant::now();
            std::hint::black_box(backend.hover(&text, (h.start + h.end) / 2));
            (t.elapsed().as_secs_f64() * 1e3, &text[h.clone()])
        })
        .collect();
    times.sort_by(|a, b| b.0.total_cmp(&a.0));
    if let Some(median) = times.get(times.len() / 2) {
        eprintln!("hover: {} names, median {:.3} ms", times.len(), median.0);
    }
    for (ms, name) in times.iter().take(5) {
        eprintln!("hover {ms:.2} ms on {name:?}");
    }
    // What the session left in memory.
    let corpus = backend.corpus();
    let resident: Vec<usize> = corpus
        .documents
        .iter()
        .filter(|d| d.text.is_resident())
        .map(|d| d.text.len())
        .collect();
    eprintln!(
        "texts in memory: {} of {} ({:.1} MB); {}",
        resident.len(),
        corpus.documents.len(),
        resident.iter().sum::<usize>() as f64 / 1e6,
        rss()
    );
    drop(corpus);
    // How much of that the allocator only holds for reuse, and how much
    // the look-up caches keep.
    dossier::release_freed_memory();
    eprintln!("after handing freed pages back: {}", rss());
    backend.forget_lookups();
    dossier::release_freed_memory();
    eprintln!("after forgetting look-ups too: {}", rss());
}

/// The capitalised words of `text`, as byte ranges.
fn capitalised_words(text: &str) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_alphabetic(), start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                if text[s..at].chars().next().is_some_and(char::is_uppercase) {
                    words.push(s..at);
                }
                start = None;
            }
            _ => {}
        }
    }
    words
}

fn rss() -> String {
    dossier::status_mb("VmRSS:").map_or_else(String::new, |mb| format!("RSS {mb:.1} MB"))
}
