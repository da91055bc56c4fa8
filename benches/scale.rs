//! How Dossier's costs grow with the corpus: for corpora of 5 (the embedded
//! seeds), 300, 10,000 and 100,000 articles, indexing cold and from cache
//! (MB/s, articles/s, peak RSS), and, with that corpus loaded, a full check
//! of a 30 KB article and of a 3 MB document, hover and quote look-up
//! latencies (p50/p99).
//!
//! ```text
//! bash benches/scale.sh                    # generates corpora, runs this
//! cargo bench --bench scale -- 5 300      # sizes already generated
//! ```
//!
//! Corpora are written by `examples/gen_corpus.rs` into
//! `target/scale/corpus-N` (never committed); results go to
//! `target/scale/growth.md`, `growth.csv` and `growth.svg`. Every corpus
//! size is measured in fresh child processes so that peak RSS belongs to
//! that size alone.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use dossier::analysis::backend::DossierBackend;
use dossier::config::Settings;
use dossier::corpus::source::{self, LoadOptions};
use dossier::corpus::{Corpus, CorpusOptions};
use dossier::server::Backend;
use serde_json::{json, Value};

const SAMPLE_DRAFT: &str = include_str!("../examples/draft.md");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scale_dir() -> PathBuf {
    root().join("target/scale")
}

fn corpus_dir(n: usize) -> PathBuf {
    if n == 5 {
        root().join("seeds")
    } else {
        scale_dir().join(format!("corpus-{n}"))
    }
}

fn options(dir: &Path, cache: &Path) -> CorpusOptions {
    CorpusOptions {
        folders: vec![dir.to_path_buf()],
        include_embedded: false,
        load: LoadOptions::default(),
        cache: Some(cache.to_path_buf()),
    }
}

fn peak_rss_mb() -> f64 {
    dossier::status_mb("VmHWM:").unwrap_or(0.0)
}

/// The peak since the last call (or the start), in MiB; the kernel's
/// high-water mark is then set back to what is resident now, so that each
/// phase of the queries reports its own peak.
fn phase_peak_mb() -> f64 {
    let peak = peak_rss_mb();
    // Writing 5 to clear_refs resets VmHWM (Linux 4.0 and later).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    peak
}

fn rss_mb() -> f64 {
    dossier::status_mb("VmRSS:").unwrap_or(0.0)
}

fn main() {
    dossier::tune_memory();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(&args[1..]);
        return;
    }
    let sizes: Vec<usize> = args
        .iter()
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![5, 300, 10_000, 100_000]
    } else {
        sizes
    };
    let exe = std::env::current_exe().expect("own path");
    let mut rows = Vec::new();
    for n in sizes {
        let dir = corpus_dir(n);
        if !dir.is_dir() {
            eprintln!(
                "scale: {} is missing; run `cargo run --release --example gen_corpus -- {n} {}` \
                 (or bash benches/scale.sh)",
                dir.display(),
                dir.display()
            );
            continue;
        }
        let cache = scale_dir().join(format!("cache-{n}"));
        let _ = std::fs::remove_dir_all(&cache);
        let run = |mode: &str| -> Value {
            let out = Command::new(&exe)
                .args(["--child", mode])
                .arg(&dir)
                .arg(&cache)
                .output()
                .expect("run child");
            let stdout = String::from_utf8_lossy(&out.stdout);
            match stdout
                .lines()
                .rev()
                .find_map(|l| serde_json::from_str(l).ok())
            {
                Some(v) => v,
                None => {
                    eprintln!(
                        "scale: child {mode} for {n} failed: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    json!({})
                }
            }
        };
        eprintln!("scale: {n} articles: cold index…");
        let cold = run("cold");
        eprintln!("scale: {n} articles: from cache, then checks…");
        let warm = run("warm");
        let row = json!({ "articles": n, "cold": cold, "warm": warm });
        eprintln!("{row}");
        rows.push(row);
    }
    report(&rows);
}

/// One measurement in a fresh process; prints one JSON line.
fn child(args: &[String]) {
    let [mode, dir, cache] = args else {
        panic!("usage: --child cold|warm DIR CACHE");
    };
    let dir = PathBuf::from(dir);
    let cache = PathBuf::from(cache);
    let bytes: u64 = source::scan(std::slice::from_ref(&dir), false, &LoadOptions::default())
        .candidates()
        .map(|c| c.stamp.size)
        .sum();
    let started = Instant::now();
    let (corpus, cache_report) =
        Corpus::load_with(&options(&dir, &cache), &|_, _| {}, &|| false).expect("load");
    let load = started.elapsed().as_secs_f64();
    let mut out = json!({
        "seconds": load,
        "bytes": bytes,
        "documents": corpus.documents.len(),
        "entities": corpus.entities.len(),
        "quotes": corpus.quotes.len(),
        "from_cache": cache_report.as_ref().is_some_and(|r| r.whole),
        "peak_rss_mb": peak_rss_mb(),
        "rss_mb": rss_mb(),
    });
    if mode == "warm" {
        // The queries run on the server's backend, which loads the corpus
        // itself: this one goes first, so that it does not count twice.
        // Its memory is handed back and the peak set back, so that the
        // queries' peaks are those of one server's corpus.
        drop(corpus);
        dossier::release_freed_memory();
        phase_peak_mb();
        measure_queries(&dir, &cache, &mut out);
    }
    println!("{out}");
}

fn measure_queries(dir: &Path, cache: &Path, out: &mut Value) {
    // The server's backend over the (cached) corpus.
    let backend = DossierBackend::new().with_cache(Some(cache.to_path_buf()));
    let settings = Settings {
        corpus: vec![dir.to_path_buf()],
        include_default_corpus: false,
        ..Settings::default()
    };
    backend.configure(&settings);
    // Ready to serve: the corpus from the cache and what the server works
    // out from it before the first keystroke.
    let started = Instant::now();
    backend.build(&settings, &|_, _| {});
    out["ready_s"] = json!(started.elapsed().as_secs_f64());
    out["ready_rss_mb"] = json!(rss_mb());
    let corpus = backend.corpus();
    // Quote look-up: quotes of the corpus as written, and a misquote.
    let sample: Vec<&str> = corpus
        .quotes
        .iter()
        .map(|q| q.text.as_str())
        .filter(|t| t.split_whitespace().count() >= 5)
        .step_by((corpus.quotes.len() / 200).max(1))
        .take(200)
        .collect();
    let mut peaks = serde_json::Map::new();
    peaks.insert("ready".into(), json!(phase_peak_mb()));
    let exact = percentiles(&mut timed(&sample, |q| {
        corpus.quote_index.find(&corpus.documents, q).len()
    }));
    let misquotes: Vec<String> = sample
        .iter()
        .map(|q| {
            let mut words: Vec<&str> = q.split_whitespace().collect();
            let mid = words.len() / 2;
            words[mid] = "entirely";
            words.join(" ")
        })
        .collect();
    let near = percentiles(&mut timed(&misquotes, |q| {
        corpus.quote_index.find_near(&corpus.documents, q).is_some() as usize
    }));
    drop(corpus);
    peaks.insert("quote_lookups".into(), json!(phase_peak_mb()));

    let articles = news_articles();
    let article = draft_of_size(&articles, 30 * 1024);
    let document = draft_of_size(&articles, 3 * 1024 * 1024);
    // Every check reads a new version of the text (as after a keystroke).
    // A first check looks everything up in the corpus ("cold": what the
    // backend remembered is forgotten before each); a re-check after an
    // edit looks up only what the edit changed ("re-check").
    let check = |text: &str, runs: usize, cold: bool| {
        if !cold {
            backend.check(text, "markdown");
        }
        let mut times: Vec<Duration> = (0..runs)
            .map(|i| {
                if cold {
                    backend.forget_lookups();
                }
                // Never a text checked before: after a keystroke the draft
                // is read afresh, so a re-check must not find it kept.
                let kind = if cold { "first" } else { "again" };
                let edited = format!("{text}\n\nEdit {i} {kind}.\n");
                let t = Instant::now();
                std::hint::black_box(backend.check(&edited, "markdown"));
                t.elapsed()
            })
            .collect();
        percentiles(&mut times)
    };
    let check_30k = check(&article, 20, true);
    let recheck_30k = check(&article, 20, false);
    peaks.insert("checks_30k".into(), json!(phase_peak_mb()));
    let check_3m = check(&document, 3, true);
    peaks.insert("first_checks_3m".into(), json!(phase_peak_mb()));
    let recheck_3m = check(&document, 3, false);
    peaks.insert("rechecks_3m".into(), json!(phase_peak_mb()));
    // Hover on names of the draft, the draft already read (cursor moves):
    // names the sources know, then capitalised words elsewhere (names no
    // source uses, sentence openings), as a writer's cursor finds them.
    let served = backend.corpus();
    let known: Vec<std::ops::Range<usize>> = served
        .names
        .find(&article)
        .into_iter()
        .map(|h| h.range)
        .collect();
    drop(served);
    let mut offsets: Vec<usize> = known
        .iter()
        .map(|r| (r.start + r.end) / 2)
        .take(200)
        .collect();
    let bytes = article.as_bytes();
    offsets.extend(
        article
            .char_indices()
            .filter(|&(i, c)| c.is_uppercase() && i > 0 && bytes[i - 1] == b' ')
            .map(|(i, c)| i + c.len_utf8())
            .filter(|&o| !known.iter().any(|r| r.start <= o && o <= r.end))
            .take(200),
    );
    backend.hover(&article, 0);
    let hover = percentiles(&mut timed(&offsets, |&o| {
        backend.hover(&article, o).is_some() as usize
    }));
    out["quote_exact"] = exact;
    out["quote_near"] = near;
    out["check_30k"] = check_30k;
    out["check_3m"] = check_3m;
    out["recheck_30k"] = recheck_30k;
    out["recheck_3m"] = recheck_3m;
    out["hover"] = hover;
    peaks.insert("hovers".into(), json!(phase_peak_mb()));
    out["hover_positions"] = json!(offsets.len());
    // The peak of all the queries: the highest of the phases' peaks.
    let peak = peaks.values().filter_map(Value::as_f64).fold(0.0, f64::max);
    out["peak_rss_mb_after_queries"] = json!(peak);
    out["peak_rss_mb_by_phase"] = Value::Object(peaks);
    out["rss_mb_after_queries"] = json!(rss_mb());
}

fn timed<T>(items: &[T], f: impl Fn(&T) -> usize) -> Vec<Duration> {
    items
        .iter()
        .map(|item| {
            let t = Instant::now();
            std::hint::black_box(f(item));
            t.elapsed()
        })
        .collect()
}

fn percentiles(times: &mut [Duration]) -> Value {
    if times.is_empty() {
        return json!(null);
    }
    times.sort();
    let at = |p: f64| {
        let i = ((times.len() as f64 - 1.0) * p).round() as usize;
        times[i].as_secs_f64() * 1e3
    };
    json!({ "p50_ms": at(0.5), "p99_ms": at(0.99), "max_ms": at(1.0), "n": times.len() })
}

/// News text to pad drafts with: Wikinews when `../shared` is beside the
/// checkout, else the seeds.
fn news_articles() -> Vec<String> {
    let wikinews = root().join("../shared/corpora/wikinews");
    let loaded = if wikinews.is_dir() {
        source::load(&[wikinews], false, &LoadOptions::default())
    } else {
        source::load(&[], true, &LoadOptions::default())
    };
    loaded.files.into_iter().map(|f| f.text).collect()
}

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

fn report(rows: &[Value]) {
    fn f(v: &Value) -> f64 {
        v.as_f64().unwrap_or(f64::NAN)
    }
    // (table heading, CSV name, decimals, value of a row).
    type Column = (
        &'static str,
        &'static str,
        usize,
        Box<dyn Fn(&Value) -> f64>,
    );
    let cold = |key: &'static str| -> Box<dyn Fn(&Value) -> f64> {
        Box::new(move |r: &Value| f(&r["cold"][key]))
    };
    let warm = |key: &'static str, sub: &'static str| -> Box<dyn Fn(&Value) -> f64> {
        Box::new(move |r: &Value| {
            let v = &r["warm"][key];
            f(if sub.is_empty() { v } else { &v[sub] })
        })
    };
    let mb = |r: &Value| f(&r["cold"]["bytes"]) / 1e6;
    let columns: Vec<Column> = vec![
        (
            "articles",
            "articles",
            0,
            Box::new(move |r: &Value| f(&r["articles"])),
        ),
        ("MB", "mb", 1, Box::new(mb)),
        ("cold index s", "cold_s", 2, cold("seconds")),
        (
            "cold MB/s",
            "cold_mb_s",
            1,
            Box::new(move |r: &Value| mb(r) / f(&r["cold"]["seconds"])),
        ),
        (
            "cold articles/s",
            "cold_articles_s",
            0,
            Box::new(move |r: &Value| f(&r["cold"]["documents"]) / f(&r["cold"]["seconds"])),
        ),
        ("cold peak RSS MB", "cold_rss_mb", 0, cold("peak_rss_mb")),
        ("cached load s", "cached_s", 3, warm("seconds", "")),
        (
            "cached peak RSS MB",
            "cached_rss_mb",
            0,
            warm("peak_rss_mb", ""),
        ),
        ("server ready s", "ready_s", 3, warm("ready_s", "")),
        (
            "RSS when ready MB",
            "ready_rss_mb",
            0,
            warm("ready_rss_mb", ""),
        ),
        (
            "check 30 KB p50 ms",
            "check30k_p50_ms",
            2,
            warm("check_30k", "p50_ms"),
        ),
        (
            "check 3 MB p50 ms",
            "check3m_p50_ms",
            0,
            warm("check_3m", "p50_ms"),
        ),
        (
            "re-check 30 KB p50 ms",
            "recheck30k_p50_ms",
            2,
            warm("recheck_30k", "p50_ms"),
        ),
        (
            "re-check 3 MB p50 ms",
            "recheck3m_p50_ms",
            0,
            warm("recheck_3m", "p50_ms"),
        ),
        ("hover p50 ms", "hover_p50_ms", 3, warm("hover", "p50_ms")),
        ("hover p99 ms", "hover_p99_ms", 3, warm("hover", "p99_ms")),
        (
            "quote exact p50 ms",
            "quote_p50_ms",
            3,
            warm("quote_exact", "p50_ms"),
        ),
        (
            "quote exact p99 ms",
            "quote_p99_ms",
            3,
            warm("quote_exact", "p99_ms"),
        ),
        (
            "quote near p50 ms",
            "near_p50_ms",
            3,
            warm("quote_near", "p50_ms"),
        ),
        (
            "quote near p99 ms",
            "near_p99_ms",
            3,
            warm("quote_near", "p99_ms"),
        ),
        (
            "RSS after queries MB",
            "rss_after_mb",
            0,
            warm("rss_mb_after_queries", ""),
        ),
        (
            "peak RSS MB",
            "peak_rss_mb",
            0,
            warm("peak_rss_mb_after_queries", ""),
        ),
    ];
    let heads: Vec<&str> = columns.iter().map(|c| c.0).collect();
    let mut md = format!(
        "| {} |\n|{}\n",
        heads.join(" | "),
        "---:|".repeat(columns.len())
    );
    let names: Vec<&str> = columns.iter().map(|c| c.1).collect();
    let mut csv = format!("{}\n", names.join(","));
    for r in rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|(_, _, decimals, value)| format!("{:.*}", *decimals, value(r)))
            .collect();
        let _ = writeln!(md, "| {} |", cells.join(" | "));
        let line: Vec<String> = columns
            .iter()
            .map(|(_, _, _, value)| format!("{:.4}", value(r)))
            .collect();
        let _ = writeln!(csv, "{}", line.join(","));
    }
    println!("\n{md}");
    let dir = scale_dir();
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join("growth.md"), &md);
    let _ = std::fs::write(dir.join("growth.csv"), &csv);
    let _ = std::fs::write(dir.join("growth.svg"), plot(rows));
    eprintln!("scale: wrote {}/growth.{{md,csv,svg}}", dir.display());
}

/// A plotted cost: its name, colour, and how to read it from a row.
type Series = (&'static str, &'static str, fn(&Value) -> f64);

/// Each cost divided by its value at the smallest corpus, against corpus
/// size, on log–log axes: a line no steeper than the diagonal is linear.
fn plot(rows: &[Value]) -> String {
    let series: [Series; 6] = [
        ("cold index s", "#1f77b4", |r| {
            r["cold"]["seconds"].as_f64().unwrap_or(0.0)
        }),
        ("cached load s", "#ff7f0e", |r| {
            r["warm"]["seconds"].as_f64().unwrap_or(0.0)
        }),
        ("cached peak RSS", "#2ca02c", |r| {
            r["warm"]["peak_rss_mb"].as_f64().unwrap_or(0.0)
        }),
        ("check 30 KB p50", "#d62728", |r| {
            r["warm"]["check_30k"]["p50_ms"].as_f64().unwrap_or(0.0)
        }),
        ("re-check 30 KB p50", "#8c564b", |r| {
            r["warm"]["recheck_30k"]["p50_ms"].as_f64().unwrap_or(0.0)
        }),
        ("hover p99", "#9467bd", |r| {
            r["warm"]["hover"]["p99_ms"].as_f64().unwrap_or(0.0)
        }),
    ];
    let (w, h, m) = (640.0, 420.0, 60.0);
    let xs: Vec<f64> = rows
        .iter()
        .map(|r| r["articles"].as_f64().unwrap_or(1.0).log10())
        .collect();
    let (x0, x1) = (0.0, xs.iter().cloned().fold(1.0, f64::max));
    let (y0, y1) = (-1.0, 5.0);
    let px = |x: f64| m + (x - x0) / (x1 - x0) * (w - 2.0 * m);
    let py = |y: f64| h - m - (y.clamp(y0, y1) - y0) / (y1 - y0) * (h - 2.0 * m);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{m}\" y=\"24\">Cost relative to the smallest corpus (log–log); dashed: linear growth</text>\n"
    );
    let _ = writeln!(
        svg,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>",
        px(x0), py(y0), px(x1), py(y0), px(x0), py(y0), px(x0), py(y1)
    );
    for r in rows {
        let n = r["articles"].as_f64().unwrap_or(1.0);
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{n}</text>",
            px(n.log10()),
            py(y0) + 16.0
        );
    }
    for k in -1..=5 {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">×10^{k}</text>",
            px(x0) - 6.0,
            py(k as f64) + 4.0
        );
    }
    if let Some(&first) = xs.first() {
        let _ = writeln!(
            svg,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"gray\" stroke-dasharray=\"4 4\"/>",
            px(first), py(0.0), px(x1), py(x1 - first)
        );
    }
    for (i, (name, color, get)) in series.iter().enumerate() {
        let base = rows.first().map(get).unwrap_or(0.0);
        if base <= 0.0 {
            continue;
        }
        let points: Vec<String> = rows
            .iter()
            .zip(&xs)
            .filter(|(r, _)| get(r) > 0.0)
            .map(|(r, &x)| format!("{:.1},{:.1}", px(x), py((get(r) / base).log10())))
            .collect();
        let _ = writeln!(
            svg,
            "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{}\"/>",
            points.join(" ")
        );
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" fill=\"{color}\">{name}</text>",
            w - m - 110.0,
            m + 16.0 * i as f64
        );
    }
    svg.push_str("</svg>\n");
    svg
}
