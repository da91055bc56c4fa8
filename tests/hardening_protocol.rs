//! Protocol abuse against the real `dossier lsp --stdio` binary: broken
//! frames and JSON, requests out of turn, edits to documents that are not
//! open or from the past, bursts, huge documents, cancellation, and the
//! end of a session. After each fault the server must still answer, and
//! its copy of the draft must be exactly the client's: checked by asking
//! for the same answers on a fresh copy of the client's text.

mod hardening_common;

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use hardening_common::{frame, position, range, Server};

const SOURCE: &str = "Harbour closes\n\nDirector Anna Kowalczyk of the Ministry of Fisheries said the closure was “a painful but necessary step for the fleet”.\nZoë Ångström, a trawler captain, said: “We were told nothing.”\n";

const DRAFT: &str = "# Harbour 🐟\r\n\r\nAnna Kowalczyk said the closure was “a painful but necessary step for the fleet”.\r\nZoë Ångström said “we were told nothing at all”.\r\n";

fn start() -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().expect("tempdir");
    let sources = dir.path().join("sources");
    std::fs::create_dir_all(&sources).expect("mkdir");
    std::fs::write(sources.join("harbour.txt"), SOURCE).expect("write");
    let cache = dir.path().join("cache");
    let corpus = sources.to_string_lossy().into_owned();
    let server = Server::start(&["--no-default-corpus", "--corpus", &corpus], &cache);
    (dir, server)
}

fn init(server: &mut Server) {
    server.initialize(None, json!({}));
    // The corpus is read after `initialized`; a build's log line says so.
    server.wait_for(|m| {
        m["method"] == json!("window/logMessage")
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("sources read"))
    });
}

/// What the server answers about a document: its diagnostics at `version`,
/// its semantic tokens, a hover on each name. Equal answers for the abused
/// document and for a fresh one opened with the client's text mean the
/// server holds the client's text.
fn answers(server: &mut Server, uri: &str, version: i64, text: &str) -> Value {
    let published = server.publish(uri, version);
    let mut diagnostics: Vec<Value> = published["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for d in &mut diagnostics {
        // Related places name the draft's own URI; compare without it.
        if let Some(o) = d.as_object_mut() {
            o.remove("relatedInformation");
        }
    }
    let tokens = server
        .request(
            "textDocument/semanticTokens/full",
            json!({ "textDocument": { "uri": uri } }),
        )
        .expect("tokens");
    let mut hovers = Vec::new();
    for name in ["Kowalczyk", "Ångström", "necessary"] {
        if let Some(at) = text.find(name) {
            let hover = server
                .request(
                    "textDocument/hover",
                    json!({ "textDocument": { "uri": uri }, "position": position(text, at) }),
                )
                .expect("hover");
            hovers.push(hover);
        }
    }
    json!({ "diagnostics": diagnostics, "tokens": tokens, "hovers": hovers, "len": text.len() })
}

fn assert_holds(server: &mut Server, uri: &str, version: i64, text: &str, fresh: &str) {
    let abused = answers(server, uri, version, text);
    server.open(fresh, 1, text);
    let expected = answers(server, fresh, 1, text);
    if abused != expected {
        let dump = std::env::temp_dir().join("dossier-hardening");
        let _ = std::fs::create_dir_all(&dump);
        let _ = std::fs::write(dump.join("abused.json"), format!("{abused:#}"));
        let _ = std::fs::write(dump.join("fresh.json"), format!("{expected:#}"));
        let _ = std::fs::write(dump.join("text.txt"), text);
        panic!("the server's copy of {uri} differs; see {}", dump.display());
    }
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": fresh } }),
    );
}

/// The server still answers a plain request.
fn alive(server: &mut Server) {
    let answer = server.request("workspace/symbol", json!({ "query": "Kowalczyk" }));
    assert!(answer.as_ref().is_ok_and(Value::is_array), "{answer:?}");
}

fn logged(server: &mut Server, needle: &str) -> bool {
    server
        .wait_for_within(Duration::from_secs(10), |m| {
            m["method"] == json!("window/logMessage")
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains(needle))
        })
        .is_some()
}

#[test]
fn broken_frames_and_out_of_turn_messages_get_protocol_errors() {
    let (_dir, mut server) = start();

    // A request before `initialize`: "server not initialized".
    let early = server.request("textDocument/hover", json!({ "textDocument": { "uri": "file:///x.md" }, "position": { "line": 0, "character": 0 } }));
    assert_eq!(early.unwrap_err()["code"], json!(-32002));
    init(&mut server);

    // Malformed JSON with a correct length: a parse error, id null.
    server.raw(&frame("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": "));
    let parse = server.wait_for(|m| m["error"]["code"] == json!(-32700));
    assert_eq!(parse["id"], Value::Null);
    alive(&mut server);

    // Valid JSON that is no JSON-RPC message.
    server.raw(&frame("[1, 2, 3]"));
    server.raw(&frame("{\"hello\": \"world\"}"));
    alive(&mut server);

    // A body shorter than its Content-Length swallows the start of the
    // next frame; the server reports a parse error and picks up again.
    let body = json!({ "jsonrpc": "2.0", "method": "$/noise" }).to_string();
    server.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() + 40).as_bytes());
    server.raw(&frame(
        &json!({ "jsonrpc": "2.0", "method": "$/noise" }).to_string(),
    ));
    let _ = server.wait_for_within(Duration::from_secs(5), |m| {
        m["error"]["code"] == json!(-32700)
    });
    // A header with a length that is no number, and one too short.
    server.raw(b"Content-Length: lots\r\n\r\n{}");
    server.raw(format!("Content-Length: 5\r\n\r\n{body}").as_bytes());
    alive(&mut server);

    // Unknown request: method not found. Unknown notifications: ignored.
    let unknown = server.request("dossier/teleport", json!({}));
    assert_eq!(unknown.unwrap_err()["code"], json!(-32601));
    server.notify("dossier/whatever", json!({ "a": 1 }));
    server.notify("$/setTrace", json!({ "value": "verbose" }));
    // Known method, wrong params: invalid params.
    let bad = server.request("textDocument/hover", json!({ "textDocument": 42 }));
    assert_eq!(bad.unwrap_err()["code"], json!(-32602));
    // A second initialize is refused.
    let again = server.request("initialize", json!({ "capabilities": {} }));
    assert!(again.is_err(), "{again:?}");
    alive(&mut server);

    // The draft opened now is held exactly.
    let uri = "file:///newsroom/draft.md";
    server.open(uri, 1, DRAFT);
    assert_holds(&mut server, uri, 1, DRAFT, "file:///newsroom/fresh1.md");

    // shutdown, then a request is refused, then exit ends with status 0.
    assert_eq!(server.request("shutdown", Value::Null), Ok(Value::Null));
    let after = server.request("workspace/symbol", json!({ "query": "x" }));
    assert_eq!(after.unwrap_err()["code"], json!(-32600));
    server.send(&json!({ "jsonrpc": "2.0", "method": "exit" }));
    let status = server.wait_exit();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let (_dir, mut server) = start();
    init(&mut server);
    server.send(&json!({ "jsonrpc": "2.0", "method": "exit" }));
    assert_eq!(server.wait_exit().code(), Some(1));
}

#[test]
fn bad_edits_are_ignored_with_a_log_line_and_the_text_stays_the_clients() {
    let (_dir, mut server) = start();
    init(&mut server);
    let uri = "file:///newsroom/draft.md";
    let mut text = DRAFT.to_string();
    server.open(uri, 1, &text);

    // A change to a document never opened.
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": "file:///nowhere.md", "version": 2 },
                "contentChanges": [{ "text": "ghost" }] }),
    );
    assert!(logged(&mut server, "not open"));

    // Positions far out of range clamp: an insertion at line 10^6 lands at
    // the end, a column past the line's end at the line end.
    let far = json!({ "start": { "line": 1_000_000, "character": 5 }, "end": { "line": 4_000_000_000u32, "character": 4_000_000_000u32 } });
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 },
                "contentChanges": [{ "range": far, "text": "Tail “end”." }] }),
    );
    text.push_str("Tail “end”.");
    let wide =
        json!({ "start": { "line": 0, "character": 400 }, "end": { "line": 0, "character": 900 } });
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 },
                "contentChanges": [{ "range": wide, "text": "!" }] }),
    );
    let line_end = text.find("\r\n").expect("crlf");
    text.insert(line_end, '!');
    // A column inside the fish emoji's surrogate pair rounds down.
    let fish = text.find('🐟').expect("fish");
    let inside =
        json!({ "line": 0, "character": position(&text, fish)["character"].as_u64().unwrap() + 1 });
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 4 },
                "contentChanges": [{ "range": { "start": inside, "end": inside }, "text": "x" }] }),
    );
    text.insert(fish, 'x');

    // A version going backwards is refused whole.
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 },
                "contentChanges": [{ "text": "stale" }] }),
    );
    assert!(logged(&mut server, "older than the current version"));
    // A reversed range is skipped; the other edit of the same message holds.
    let reversed = json!({ "start": position(&text, 10), "end": position(&text, 2) });
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 5 },
                "contentChanges": [
                    { "range": reversed, "text": "nope" },
                    { "range": range(&text, 0, 0), "text": "ʼ" }
                ] }),
    );
    text.insert(0, 'ʼ');
    assert!(logged(&mut server, "skipped an edit"));

    // Requests at impossible positions answer (with nothing), not fail.
    for pos in [
        json!({ "line": 99999, "character": 0 }),
        json!({ "line": 0, "character": 4_294_967_295u32 }),
    ] {
        let hover = server.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": pos }),
        );
        assert!(hover.is_ok(), "{hover:?}");
        let definition = server.request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": uri }, "position": pos }),
        );
        assert!(definition.is_ok(), "{definition:?}");
    }
    // Requests about documents never opened answer null.
    let ghost = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///ghost.md" }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(ghost, Ok(Value::Null));

    assert_holds(&mut server, uri, 5, &text, "file:///newsroom/fresh2.md");
    assert_eq!(server.stop().code(), Some(0));
}

/// A small deterministic generator for edit scripts.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A deterministic script of `n` edits on `text`: each as the LSP range
/// (UTF-16, computed from the client's string) and the inserted text.
/// Returns the script and the client's text after it.
fn edit_script(text: &str, n: usize, seed: u64) -> (Vec<(Value, &'static str)>, String) {
    let pieces = ["a", "“", "”", "é", "🐟", "\r\n", "ʼ", " Kowalczyk ", ""];
    let mut text = text.to_string();
    let mut rng = Lcg(seed);
    let mut script = Vec::with_capacity(n);
    for _ in 0..n {
        let start = boundary(&text, rng.below(text.len() + 1));
        let end = boundary(&text, start + rng.below(6)).max(start);
        // Never split a CRLF pair: the client's editor would not either.
        // (An offset between \r and \n has no LSP position.)
        let start = keep_crlf(&text, start);
        let end = keep_crlf(&text, end).max(start);
        let piece = pieces[rng.below(pieces.len())];
        script.push((range(&text, start, end), piece));
        text.replace_range(start..end, piece);
    }
    (script, text)
}

#[test]
fn the_document_store_applies_an_edit_script_like_a_string() {
    use dossier::document::{DocumentStore, Edit, LineCol, PositionEncoding};
    let (script, expected) = edit_script(DRAFT, 10_000, 7);
    let mut store = DocumentStore::new();
    store.open("u", DRAFT, 1, "markdown");
    let at = |v: &Value| {
        LineCol::new(
            v["line"].as_u64().unwrap_or(0) as u32,
            v["character"].as_u64().unwrap_or(0) as u32,
        )
    };
    for (version, (r, piece)) in script.iter().enumerate() {
        let edit = Edit::Replace {
            start: at(&r["start"]),
            end: at(&r["end"]),
            text: piece.to_string(),
        };
        let skipped = store
            .change("u", version as i32 + 2, &[edit], PositionEncoding::Utf16)
            .expect("change");
        assert!(skipped.is_empty());
    }
    let held = store.get("u").expect("open").text();
    assert_eq!(&*held, expected.as_str());
}

#[test]
fn ten_thousand_notifications_in_a_burst_leave_the_clients_text() {
    let (_dir, mut server) = start();
    init(&mut server);
    let uri = "file:///newsroom/burst.md";
    server.open(uri, 1, DRAFT);
    let (script, text) = edit_script(DRAFT, 10_000, 7);
    let mut burst = Vec::new();
    for (i, (r, piece)) in script.iter().enumerate() {
        let message = json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": { "uri": uri, "version": i + 2 },
            "contentChanges": [{ "range": r, "text": piece }] } });
        burst.extend(frame(&message.to_string()));
    }
    let started = Instant::now();
    server.raw(&burst);
    assert_holds(
        &mut server,
        uri,
        10_001,
        &text,
        "file:///newsroom/fresh3.md",
    );
    eprintln!(
        "10,000 edits ({} bytes) applied and checked in {:?}",
        burst.len(),
        started.elapsed()
    );
    assert_eq!(server.stop().code(), Some(0));
}

fn keep_crlf(text: &str, at: usize) -> usize {
    if at > 0 && text.as_bytes().get(at) == Some(&b'\n') && text.as_bytes()[at - 1] == b'\r' {
        at - 1
    } else {
        at
    }
}

#[test]
fn a_20_mb_document_is_skipped_once_and_cancel_mid_request_is_answered() {
    let (_dir, mut server) = start();
    init(&mut server);
    let big_uri = "file:///newsroom/huge.md";
    let paragraph = "Anna Kowalczyk said the closure was “a painful but necessary step for the fleet”. Zoë Ångström agreed 🐟.\n\n";
    let big = paragraph.repeat(20 * 1024 * 1024 / paragraph.len() + 1);
    assert!(big.len() >= 20 * 1024 * 1024);
    server.open(big_uri, 1, &big);
    let published = server.publish(big_uri, 1);
    assert_eq!(published["params"]["diagnostics"], json!([]));
    let shown = server.wait_for(|m| m["method"] == json!("window/showMessage"));
    let message = shown["params"]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("huge.md") && message.contains("max_document_size"),
        "{message}"
    );
    // Typing in it is not checked and tells nobody again.
    for version in 2..=50 {
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": big_uri, "version": version },
                    "contentChanges": [{ "range": range(&big, 0, 0), "text": "" }] }),
        );
    }
    server.publish(big_uri, 50);
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": big_uri }, "position": { "line": 0, "character": 3 } }),
    );
    assert_eq!(hover, Ok(Value::Null));
    assert!(server
        .wait_for_within(Duration::from_millis(500), |m| m["method"]
            == json!("window/showMessage"))
        .is_none());

    // A normal draft next to it is served as usual, and a request cancelled
    // while it runs gets an answer (its result or "request cancelled").
    let uri = "file:///newsroom/draft.md";
    server.open(uri, 1, DRAFT);
    let mut ids = Vec::new();
    for _ in 0..20 {
        let id = server.request_id(
            "textDocument/semanticTokens/full",
            json!({ "textDocument": { "uri": uri } }),
        );
        server.notify("$/cancelRequest", json!({ "id": id }));
        ids.push(id);
    }
    let mut cancelled = 0;
    for id in ids {
        let response = server.response(id);
        if response["error"]["code"] == json!(-32800) {
            cancelled += 1;
        } else {
            assert!(response.get("result").is_some(), "{response}");
        }
    }
    eprintln!("{cancelled} of 20 requests cancelled mid-flight");
    // Cancelling an id that does not exist is ignored.
    server.notify("$/cancelRequest", json!({ "id": 987654 }));
    assert_holds(&mut server, uri, 1, DRAFT, "file:///newsroom/fresh4.md");
    assert_eq!(server.stop().code(), Some(0));
}
