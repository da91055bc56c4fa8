//! Bounded resources: the fuzzy quote matcher on a 1 MB quotation, and the
//! server's memory over 100,000 edits (an hour of typing and more).

mod hardening_common;

use std::time::{Duration, Instant};

use serde_json::json;

use dossier::corpus::quote_match::QuoteIndex;
use hardening_common::{frame, range, Server};

/// No source holds any of these quotations, and none comes near: the
/// answer is "not found", whatever the searches had to give up on to say
/// so. (How long it takes is the benchmarks' business; a search that
/// grew with the quotation's square would not finish before CI gives up.)
#[test]
fn a_one_megabyte_quotation_is_answered_not_found() {
    // Sources full of the words the quotation repeats: the worst case for
    // both the exact search and the near search.
    let filler = "the fleet said the the harbour “the” … [the] ".repeat(4000);
    let real = "Director Anna Kowalczyk said the closure was “a painful but necessary step for the fleet”.";
    let sources = [filler.as_str(), real, &filler[..filler.len() / 2]];
    let index = QuoteIndex::new(&sources);
    let quotes = [
        "the ".repeat(256 * 1024),
        "the … ".repeat(170 * 1024),
        "the fleet said the the harbour ".repeat(34 * 1024),
        format!(
            "{}a painful but necessary step",
            "the [fleet] ".repeat(90 * 1024)
        ),
    ];
    for quote in &quotes {
        assert!(quote.len() >= 1_000_000);
        let started = Instant::now();
        let exact = index.find(&sources, quote);
        let near = index.find_near(&sources, quote);
        eprintln!(
            "{} KB quotation: {} exact, near {:?}, {:?}",
            quote.len() / 1024,
            exact.len(),
            near.as_ref().map(|h| h.score),
            started.elapsed()
        );
        assert!(exact.is_empty());
        assert_eq!(near, None);
    }
    // The real sentence is still found beside the filler.
    let found = index.find(&sources, "a painful but necessary step for the fleet");
    assert_eq!(found.iter().map(|h| h.text).collect::<Vec<_>>(), vec![1]);
}

/// About 40 s in a debug build on two busy cores: run by `.ci/run` with
/// `cargo test --release --test hardening_resources -- --ignored`.
#[test]
#[ignore = "heavy: 100,000 edits; run in release by .ci/run"]
fn memory_stays_flat_over_100000_edits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sources = dir.path().join("sources");
    std::fs::create_dir_all(&sources).expect("mkdir");
    std::fs::write(
        sources.join("harbour.txt"),
        "Director Anna Kowalczyk said the closure was “a painful but necessary step for the fleet”.\n",
    )
    .expect("write");
    let corpus = sources.to_string_lossy().into_owned();
    let mut server = Server::start(
        &["--no-default-corpus", "--corpus", &corpus],
        &dir.path().join("cache"),
    );
    server.initialize(None, json!({}));
    let uri = "file:///newsroom/long-session.md";
    let mut text =
        "Anna Kowalczyk said “a painful but necessary step for the fleet”. Zoë 🐟\r\n".repeat(40);
    server.open(uri, 1, &text);
    server.publish(uri, 1);
    let initial = server.rss_kib().expect("rss");
    let mut version = 1i64;
    // Typing: insert a word, then delete it again, at moving places, so the
    // document stays the same size and memory can only grow by leaking.
    let mut edit_burst = |server: &mut Server, text: &mut String, count: usize| {
        let mut burst = Vec::new();
        for i in 0..count {
            version += 1;
            let line_start = text
                .match_indices("\r\n")
                .nth((i / 2) % 39)
                .map_or(0, |(at, _)| at + 2);
            let (r, piece) = if i % 2 == 0 {
                (range(text, line_start, line_start), "Kowalczyk “no” ")
            } else {
                let end = line_start + "Kowalczyk “no” ".len();
                (range(text, line_start, end), "")
            };
            let message = json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "range": r, "text": piece }] } });
            burst.extend(frame(&message.to_string()));
            if i % 2 == 0 {
                text.insert_str(line_start, piece);
            } else {
                text.replace_range(line_start..line_start + "Kowalczyk “no” ".len(), "");
            }
            // Hover now and then, as a writer would.
            if i % 500 == 0 {
                let hover = json!({ "jsonrpc": "2.0", "id": 10_000_000 + i, "method": "textDocument/hover",
                    "params": { "textDocument": { "uri": uri }, "position": { "line": 0, "character": 3 } } });
                burst.extend(frame(&hover.to_string()));
            }
        }
        server.raw(&burst);
        server.publish(uri, version);
        server.drain(Duration::from_millis(50));
        server.take_method("textDocument/publishDiagnostics");
    };
    let started = Instant::now();
    for _ in 0..4 {
        edit_burst(&mut server, &mut text, 5_000);
    }
    let warm = server.rss_kib().expect("rss");
    for _ in 0..16 {
        edit_burst(&mut server, &mut text, 5_000);
    }
    let after = server.rss_kib().expect("rss");
    eprintln!(
        "RSS after opening: {initial} KiB; after 20,000 edits: {warm} KiB; after 100,000: {after} KiB; {:?}",
        started.elapsed()
    );
    assert!(
        after < warm + warm / 2 + 16 * 1024,
        "memory grew from {warm} KiB to {after} KiB"
    );
    assert_eq!(server.stop().code(), Some(0));
}
