//! How checks are scheduled while the writer types: with no delay, one
//! check at a time per document, the next on the newest text, and
//! diagnostics published in version order, never an older version after a
//! newer one. Ordering only: no test here asserts how fast anything is.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use common::{position, range, LspClient};
use dossier::server::{Backend, Finding, HoverCard, ServerOptions, Severity};

const URI: &str = "file:///newsroom/burst.md";
const OPENING: &str =
    "Director Zoë Dupré said “we’re ready” 👩‍💻.\r\nThe Ministry of Fisheries agreed";

/// Holds every check of an edited text (anything but [`OPENING`]) until the
/// test opens the gate, and notes which texts were checked and how many
/// checks ran at once. Hover answers with the server's copy of the text.
#[derive(Default)]
struct Gated {
    closed: Mutex<bool>,
    opened: Condvar,
    checked: Mutex<Vec<String>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

impl Gated {
    fn set_closed(&self, closed: bool) {
        *self.closed.lock().unwrap() = closed;
        self.opened.notify_all();
    }

    fn checked_edits(&self) -> Vec<String> {
        let checked = self.checked.lock().unwrap();
        checked.iter().filter(|t| *t != OPENING).cloned().collect()
    }
}

impl Backend for Gated {
    fn check(&self, text: &str, _language: &str) -> Vec<Finding> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_in_flight.fetch_max(now, Ordering::SeqCst);
        self.checked.lock().unwrap().push(text.to_string());
        if text != OPENING {
            let mut closed = self.closed.lock().unwrap();
            while *closed {
                closed = self.opened.wait(closed).unwrap();
            }
        }
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        vec![Finding {
            range: 0..text.len().min(8),
            code: "echo".into(),
            severity: Severity::Hint,
            message: text.to_string(),
            related: vec![],
        }]
    }

    fn hover(&self, text: &str, offset: usize) -> Option<HoverCard> {
        Some(HoverCard {
            range: offset..offset,
            markdown: text.to_string(),
        })
    }
}

fn utf16_client() -> Value {
    json!({
        "general": { "positionEncodings": ["utf-16"] },
        "textDocument": { "publishDiagnostics": { "versionSupport": true } }
    })
}

/// Typed one character at a time at the end of the opening text: spaces,
/// accents, a curly apostrophe and an emoji among them.
const TYPED: &str = ", Zoë’s café said 👍 and the port reopened today as plan";

/// Sends `count` one-character edits at the end of `text`, numbered from
/// `first_version`; returns the final text.
async fn type_burst(client: &LspClient, text: &str, first_version: i64, count: usize) -> String {
    let mut text = text.to_string();
    for (i, c) in TYPED.chars().cycle().take(count).enumerate() {
        let end = text.len();
        client
            .change(
                URI,
                first_version + i as i64,
                range(&text, end, end, true),
                &c.to_string(),
            )
            .await;
        text.push(c);
    }
    text
}

/// Every `publishDiagnostics` for [`URI`] in arrival order, up to and
/// including the first one for `last`, and that one's diagnostics.
async fn published_versions_until(client: &mut LspClient, last: i64) -> (Vec<i64>, Vec<Value>) {
    let mut versions = Vec::new();
    loop {
        let message = client
            .wait_method("textDocument/publishDiagnostics", |p| p["uri"] == URI)
            .await;
        let version = message["params"]["version"]
            .as_i64()
            .expect("diagnostics carry the document version");
        versions.push(version);
        if version == last {
            let diagnostics = message["params"]["diagnostics"].as_array().cloned();
            return (versions, diagnostics.unwrap_or_default());
        }
    }
}

fn assert_in_order(versions: &[i64]) {
    for pair in versions.windows(2) {
        assert!(
            pair[0] <= pair[1],
            "version {} published after {}: {versions:?}",
            pair[0],
            pair[1]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_during_a_check_coalesce_into_one_check_of_the_newest_text() {
    let backend = Arc::new(Gated::default());
    // The shipped schedule: no delay before a check.
    let options = ServerOptions::new(backend.clone());
    assert_eq!(options.check_delay, Duration::ZERO);
    let mut client = LspClient::in_process_with(options);
    client.initialize(utf16_client(), json!({})).await;
    client.open(URI, "markdown", 0, OPENING).await;
    client.diagnostics(URI, 0).await;

    // The first keystroke's check starts at once and is held.
    backend.set_closed(true);
    let first = type_burst(&client, OPENING, 1, 1).await;
    let mut tries = 0;
    while !backend.checked_edits().contains(&first) {
        tries += 1;
        if tries > 2000 {
            backend.set_closed(false);
            panic!("no check started for the first keystroke");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // 49 more while it runs; wait until the server holds all of them.
    let mut text = first.clone();
    let mut rest = String::new();
    for c in TYPED.chars().cycle().skip(1).take(49) {
        rest.push(c);
    }
    for (i, c) in rest.chars().enumerate() {
        let end = text.len();
        client
            .change(
                URI,
                2 + i as i64,
                range(&text, end, end, true),
                &c.to_string(),
            )
            .await;
        text.push(c);
    }
    for tries in 0.. {
        assert!(tries < 2000, "the server never held the 50th version");
        let hover = client
            .request(
                "textDocument/hover",
                json!({ "textDocument": { "uri": URI }, "position": position(&text, 0, true) }),
            )
            .await
            .expect("hover");
        if hover["contents"]["value"] == text.as_str() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    backend.set_closed(false);

    let (versions, diagnostics) = published_versions_until(&mut client, 50).await;
    assert_eq!(diagnostics[0]["message"], text.as_str());
    assert_in_order(&versions);
    assert!(
        !versions.contains(&1),
        "the check of version 1 finished after 49 newer edits and was published: {versions:?}"
    );
    // No queue of stale checks: after the held one, only the newest text.
    let checked = backend.checked_edits();
    assert_eq!(checked[0], first);
    assert!(
        checked[1..].iter().all(|t| *t == text),
        "a check ran on a text older than the newest: {} checks of edited text",
        checked.len()
    );
    assert!(checked.len() >= 2, "the newest text was never checked");
    assert_eq!(
        backend.most_in_flight.load(Ordering::SeqCst),
        1,
        "two checks of one document ran at once"
    );
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_burst_of_50_edits_publishes_the_final_version_and_never_goes_back() {
    let mut client = LspClient::spawn_binary(&["lsp", "--stdio"]);
    client.initialize(utf16_client(), json!({})).await;
    let opening = "Director Zoë Dupré of the Ministry of Fisheries said “we’re ready” 👩‍💻.\r\n\
                   Anna Kowalczyk, the minister, agreed";
    client.open(URI, "markdown", 1, opening).await;
    client.diagnostics(URI, 1).await;
    let text = type_burst(&client, opening, 2, 50).await;
    let (versions, diagnostics) = published_versions_until(&mut client, 51).await;
    assert_in_order(&versions);
    // Nothing older may follow the final version, however long we listen.
    let stale = client
        .arrives_within(Duration::from_millis(500), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == URI
                && m["params"]["version"].as_i64().is_some_and(|v| v < 51)
        })
        .await;
    assert!(!stale, "an older version was published after version 51");
    // The final findings were made on the final text: none reaches past
    // its end (the typing made the last line longer).
    let end = position(&text, text.len(), true);
    for d in &diagnostics {
        let at = &d["range"]["end"];
        let (line, character) = (at["line"].as_u64(), at["character"].as_u64());
        assert!(
            line < end["line"].as_u64()
                || (line == end["line"].as_u64() && character <= end["character"].as_u64()),
            "{d} ends past the text"
        );
    }
    client.shutdown().await;
}

/// Huge pages made keystrokes wait, now and then, for the kernel to
/// compact memory (p99 17–24 ms against 5–6 ms without them): the server
/// turns them off for itself before it reads anything.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_runs_without_transparent_huge_pages() {
    let mut client = LspClient::spawn_binary(&["lsp", "--stdio"]);
    client.initialize(utf16_client(), json!({})).await;
    let pid = client.child.as_ref().and_then(|c| c.id()).expect("a pid");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("its status");
    // Kernels before 5.0 do not report the setting.
    if let Some(line) = status.lines().find(|l| l.starts_with("THP_enabled:")) {
        assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
    }
    client.shutdown().await;
}
