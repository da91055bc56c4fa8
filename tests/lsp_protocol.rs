//! The protocol layer end to end: a real server over an in-memory pipe with
//! a small test backend that flags a watched name and echoes the text it
//! was given, so each test can see exactly what the server's copy holds.

mod common;

use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use common::{position, range, LspClient};
use dossier::config::Settings;
use dossier::server::{
    Backend, Finding, HoverCard, InlayNote, QuickFix, Severity, Target, Token, TokenKind,
};

const NAME: &str = "Kowalczyk";
const URI: &str = "file:///newsroom/draft.md";

/// Flags every occurrence of [`NAME`]; echoes the whole text as a hint at
/// offset 0; points definitions at a source file.
#[derive(Default)]
struct WatchedName {
    checks: AtomicUsize,
    builds: AtomicUsize,
    source: Option<(PathBuf, Range<usize>)>,
    last_settings: Mutex<Option<Settings>>,
}

fn occurrences(text: &str) -> Vec<Range<usize>> {
    text.match_indices(NAME)
        .map(|(at, _)| at..at + NAME.len())
        .collect()
}

impl Backend for WatchedName {
    fn build(&self, settings: &Settings, progress: &dyn Fn(usize, usize)) -> String {
        for done in 1..=3 {
            progress(done, 3);
        }
        *self.last_settings.lock().unwrap() = Some(settings.clone());
        let n = self.builds.fetch_add(1, Ordering::SeqCst) + 1;
        format!("build {n}: 3 test sources")
    }

    fn check(&self, text: &str, _language: &str) -> Vec<Finding> {
        self.checks.fetch_add(1, Ordering::SeqCst);
        let mut findings: Vec<Finding> = occurrences(text)
            .into_iter()
            .map(|range| Finding {
                range,
                code: "watched-name".into(),
                severity: Severity::Warning,
                message: format!("{NAME} is watched"),
                related: match &self.source {
                    Some((path, at)) => vec![dossier::server::Related {
                        target: Target::in_file(path, at.clone()),
                        message: "named here".into(),
                    }],
                    None => vec![],
                },
            })
            .collect();
        findings.push(Finding {
            range: 0..0,
            code: "echo".into(),
            severity: Severity::Hint,
            message: text.to_string(),
            related: vec![],
        });
        findings
    }

    fn hover(&self, text: &str, offset: usize) -> Option<HoverCard> {
        let hit = occurrences(text)
            .into_iter()
            .find(|r| r.start <= offset && offset <= r.end);
        Some(match hit {
            Some(range) => HoverCard {
                range,
                markdown: format!("**{NAME}** · person"),
            },
            None => HoverCard {
                range: offset..offset,
                markdown: format!("offset {offset}"),
            },
        })
    }

    fn definition(&self, text: &str, offset: usize) -> Vec<Target> {
        let on_name = occurrences(text)
            .iter()
            .any(|r| r.start <= offset && offset <= r.end);
        match (&self.source, on_name) {
            (Some((path, at)), true) => vec![Target::in_file(path, at.clone())],
            _ => vec![],
        }
    }

    fn semantic_tokens(&self, text: &str) -> Vec<Token> {
        occurrences(text)
            .into_iter()
            .map(|range| Token {
                range,
                kind: TokenKind::Person,
            })
            .collect()
    }

    fn inlay_hints(&self, text: &str) -> Vec<InlayNote> {
        occurrences(text)
            .into_iter()
            .map(|r| InlayNote {
                offset: r.end,
                label: "director".into(),
                tooltip: None,
            })
            .collect()
    }

    fn code_actions(
        &self,
        _text: &str,
        _range: Range<usize>,
        findings: &[Finding],
    ) -> Vec<QuickFix> {
        findings
            .iter()
            .filter(|f| f.code == "watched-name")
            .map(|f| QuickFix {
                title: "Spell it Kowalska".into(),
                edits: vec![(f.range.clone(), "Kowalska".into())],
                fixes: Some(f.code.clone()),
                preferred: true,
                command: None,
            })
            .collect()
    }
}

fn utf16_client() -> Value {
    json!({ "general": { "positionEncodings": ["utf-16"] } })
}

fn echo(diagnostics: &[Value]) -> String {
    diagnostics
        .iter()
        .find(|d| d["code"] == "echo")
        .and_then(|d| d["message"].as_str())
        .expect("echo finding")
        .to_string()
}

fn watched(diagnostics: &[Value]) -> Vec<Value> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == "watched-name")
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_advertises_features_and_defaults_to_utf16() {
    let mut client = LspClient::in_process(Arc::new(WatchedName::default()));
    let result = client.initialize(json!({}), json!({})).await;
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    for feature in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
        "inlayHintProvider",
    ] {
        assert_eq!(caps[feature], true, "{feature}");
    }
    assert!(caps["completionProvider"].is_object());
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert_eq!(
        caps["semanticTokensProvider"]["legend"]["tokenTypes"],
        json!(["person", "agency", "outlet", "place", "quote"])
    );
    assert_eq!(result["serverInfo"]["name"], "dossier");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf8_client_gets_byte_columns() {
    let mut client = LspClient::in_process(Arc::new(WatchedName::default()));
    let caps = json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } });
    let result = client.initialize(caps, json!({})).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");

    let text = "Zoë said “Kowalczyk” 👩‍💻";
    client.open(URI, "markdown", 1, text).await;
    let found = watched(&client.diagnostics(URI, 1).await);
    let at = text.find(NAME).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["range"], range(text, at, at + NAME.len(), false));
    assert_eq!(found[0]["range"]["start"]["character"], 13);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn did_open_publishes_findings_with_the_document_version() {
    let mut client = LspClient::in_process(Arc::new(WatchedName::default()));
    client.initialize(utf16_client(), json!({})).await;
    let text = "Director Ánna Kowalczyk 👩‍💻 said:\r\n“We’re ready,” Kowalczyk saidʼ.";
    client.open(URI, "markdown", 7, text).await;
    let diagnostics = client.diagnostics(URI, 7).await;
    assert_eq!(echo(&diagnostics), text);
    let found = watched(&diagnostics);
    let expected: Vec<Value> = occurrences(text)
        .into_iter()
        .map(|r| range(text, r.start, r.end, true))
        .collect();
    let got: Vec<Value> = found.iter().map(|d| d["range"].clone()).collect();
    assert_eq!(got, expected);
    // Second mention: after “ and ’ and ” on line 1, UTF-16 column 15.
    assert_eq!(got[1]["start"], json!({ "line": 1, "character": 15 }));
    assert_eq!(found[0]["severity"], 2);
    assert_eq!(found[0]["source"], "dossier");
    client.shutdown().await;
}

/// xorshift64*, for reproducible random edits.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1) as u64) as usize
    }
}

fn boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    // Between "\r" and "\n" is no LSP position.
    if at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n') {
        at -= 1;
    }
    at
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burst_of_2000_incremental_edits_leaves_server_text_equal_to_client_text() {
    let backend = Arc::new(WatchedName::default());
    let mut client = LspClient::in_process(backend.clone());
    client.initialize(utf16_client(), json!({})).await;
    let mut text =
        String::from("Director Anna Kowalczyk said “no”.\r\nThe Ministry of Fisheries agreed.\n");
    client.open(URI, "markdown", 0, &text).await;
    client.diagnostics(URI, 0).await;
    let checks_before = backend.checks.load(Ordering::SeqCst);

    const PIECES: &[&str] = &[
        "a",
        NAME,
        " ",
        "\n",
        "\r\n",
        "\r",
        "“",
        "”",
        "ʼ",
        "é",
        "𐐀",
        "👩‍💻",
        "said ",
        "",
    ];
    let mut rng = Rng(0x0DD5_EED5_1234_5678);
    let started = std::time::Instant::now();
    for version in 1..=2000i64 {
        let a = boundary(&text, rng.below(text.len() + 1));
        let b = boundary(&text, rng.below(text.len() + 1));
        let (from, to) = (a.min(b), a.max(b));
        // Keep the text from growing without bound: deletions win a bit.
        let to = if text.len() > 4_000 {
            text.len().min(to + 200)
        } else {
            to
        };
        let to = boundary(&text, to);
        let mut insert = String::new();
        for _ in 0..rng.below(3) {
            insert.push_str(PIECES[rng.below(PIECES.len())]);
        }
        client
            .change(URI, version, range(&text, from, to, true), &insert)
            .await;
        text.replace_range(from..to, &insert);
    }
    let diagnostics = client.diagnostics(URI, 2000).await;
    let elapsed = started.elapsed();
    assert_eq!(echo(&diagnostics), text);
    let expected: Vec<Value> = occurrences(&text)
        .into_iter()
        .map(|r| range(&text, r.start, r.end, true))
        .collect();
    let got: Vec<Value> = watched(&diagnostics)
        .iter()
        .map(|d| d["range"].clone())
        .collect();
    assert_eq!(got, expected);
    // Debounced: a burst is not checked edit by edit.
    let checks = backend.checks.load(Ordering::SeqCst) - checks_before;
    eprintln!("2000 edits sent and checked in {elapsed:?} with {checks} checks");
    assert!(checks < 200, "{checks} checks for one burst");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_with_curly_quotes_emoji_and_crlf_use_utf16_columns() {
    let mut client = LspClient::in_process(Arc::new(WatchedName::default()));
    client.initialize(utf16_client(), json!({})).await;
    client
        .open(URI, "markdown", 1, "👩‍💻 “Anna” said\r\nthe ministry.")
        .await;
    client.diagnostics(URI, 1).await;
    // 👩‍💻 is 5 UTF-16 units, then a space and “: "Anna" spans 7..11.
    let r =
        json!({ "start": { "line": 0, "character": 7 }, "end": { "line": 0, "character": 11 } });
    client.change(URI, 2, r, "Ánna Kowalczyk").await;
    // Line 1, after "the ": insert a CRLF and a curly-quoted word.
    let r = json!({ "start": { "line": 1, "character": 4 }, "end": { "line": 1, "character": 4 } });
    client.change(URI, 3, r, "“new”\r\n").await;
    let diagnostics = client.diagnostics(URI, 3).await;
    let text = "👩‍💻 “Ánna Kowalczyk” said\r\nthe “new”\r\nministry.";
    assert_eq!(echo(&diagnostics), text);
    let found = watched(&diagnostics);
    assert_eq!(
        found[0]["range"],
        json!({ "start": { "line": 0, "character": 12 }, "end": { "line": 0, "character": 21 } })
    );
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positions_far_out_of_range_clamp() {
    let mut client = LspClient::in_process(Arc::new(WatchedName::default()));
    client.initialize(utf16_client(), json!({})).await;
    let text = "Zoë “x”\r\nend";
    client.open(URI, "markdown", 1, text).await;

    let hover = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": URI }, "position": { "line": 900, "character": 900 } }),
        )
        .await
        .expect("hover");
    assert_eq!(hover["contents"]["value"], format!("offset {}", text.len()));
    assert_eq!(hover["range"]["start"], position(text, text.len(), true));

    // Past the end of line 0: the line end, not into "\r\n".
    let hover = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": URI }, "position": { "line": 0, "character": 4000 } }),
        )
        .await
        .expect("hover");
    assert_eq!(
        hover["contents"]["value"],
        format!("offset {}", "Zoë “x”".len())
    );

    // An edit far past the end appends.
    let r =
        json!({ "start": { "line": 50, "character": 3 }, "end": { "line": 60, "character": 0 } });
    client.change(URI, 2, r, " Kowalczyk").await;
    let diagnostics = client.diagnostics(URI, 2).await;
    assert_eq!(echo(&diagnostics), "Zoë “x”\r\nend Kowalczyk");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_changes_are_ignored_and_the_server_keeps_serving() {
    let mut client = LspClient::in_process(Arc::new(WatchedName::default()));
    client.initialize(utf16_client(), json!({})).await;
    client.open(URI, "markdown", 5, "Anna Kowalczyk").await;
    client.diagnostics(URI, 5).await;

    // A document never opened.
    let r = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } });
    client
        .change("file:///newsroom/never-opened.md", 1, r.clone(), "x")
        .await;
    // A version going backwards.
    client.change(URI, 4, r, "stale ").await;
    // A reversed range: skipped.
    let reversed =
        json!({ "start": { "line": 0, "character": 4 }, "end": { "line": 0, "character": 1 } });
    client.change(URI, 6, reversed, "y").await;
    let diagnostics = client.diagnostics(URI, 6).await;
    assert_eq!(echo(&diagnostics), "Anna Kowalczyk");

    // Requests about unknown documents answer null.
    let hover = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": "file:///nope.md" }, "position": { "line": 0, "character": 0 } }),
        )
        .await;
    assert_eq!(hover, Ok(Value::Null));
    let tokens = client
        .request(
            "textDocument/semanticTokens/full",
            json!({ "textDocument": { "uri": "file:///nope.md" } }),
        )
        .await;
    assert_eq!(tokens, Ok(Value::Null));
    // And the real document still answers.
    let hover = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": URI }, "position": { "line": 0, "character": 7 } }),
        )
        .await
        .expect("hover");
    assert_eq!(hover["contents"]["value"], "**Kowalczyk** · person");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_then_exit_stops_the_server() {
    let mut client = LspClient::in_process(Arc::new(WatchedName::default()));
    client.initialize(utf16_client(), json!({})).await;
    client.shutdown().await;
    let server = client.server.take().expect("in-process server");
    let stopped = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(
        matches!(stopped, Ok(Ok(true))),
        "server still running after exit, or shutdown not noted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rule_settings_apply_without_restart() {
    let mut client = LspClient::in_process(Arc::new(WatchedName::default()));
    let options = json!({ "initializationOptions": { "rules": { "watched-name": "error" } } });
    client.initialize(utf16_client(), options).await;
    client.open(URI, "markdown", 1, "Kowalczyk").await;
    let found = watched(&client.diagnostics(URI, 1).await);
    assert_eq!(found[0]["severity"], 1);

    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": { "dossier": { "rules": { "watched-name": "off" } } } }),
        )
        .await;
    let message = client
        .wait_method("textDocument/publishDiagnostics", |p| {
            p["uri"] == URI && p["diagnostics"].as_array().is_some_and(|d| d.len() == 1)
        })
        .await;
    assert_eq!(message["params"]["diagnostics"][0]["code"], "echo");

    // Bare object form; plain text documents can be dropped from checking.
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": { "rules": { "watched-name": "hint" }, "languages": ["plaintext"] } }),
        )
        .await;
    let message = client
        .wait_method("textDocument/publishDiagnostics", |p| {
            p["uri"] == URI && p["diagnostics"] == json!([])
        })
        .await;
    assert_eq!(message["params"]["version"], 1);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pulled_configuration_applies_and_null_push_pulls_again() {
    let mut client = LspClient::in_process(Arc::new(WatchedName::default()));
    *client.configuration.lock().unwrap() = json!({ "rules": { "watched-name": "error" } });
    let caps = json!({ "workspace": { "configuration": true } });
    client.initialize(caps, json!({})).await;
    client
        .wait_method("workspace/configuration", |p| {
            p["items"][0]["section"] == "dossier"
        })
        .await;
    // The pull may land just after the document is first checked; wait for
    // the check that reflects it.
    client.open(URI, "markdown", 1, "Kowalczyk").await;
    client
        .wait_method("textDocument/publishDiagnostics", |p| {
            p["diagnostics"][0]["code"] == "watched-name" && p["diagnostics"][0]["severity"] == 1
        })
        .await;

    *client.configuration.lock().unwrap() = json!({ "rules": { "watched-name": "hint" } });
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": null }),
        )
        .await;
    client
        .wait_method("textDocument/publishDiagnostics", |p| {
            p["diagnostics"][0]["code"] == "watched-name" && p["diagnostics"][0]["severity"] == 4
        })
        .await;
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_project_file_warns_once_and_defaults_apply() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dossier.toml"), "inlay_hints = [oops\n").unwrap();
    let root = url_of(dir.path());
    let backend = Arc::new(WatchedName::default());
    let mut client = LspClient::in_process(backend.clone());
    client
        .initialize(utf16_client(), json!({ "rootUri": root }))
        .await;
    let shown = client
        .wait_method("window/showMessage", |p| p["type"] == 2)
        .await;
    let message = shown["params"]["message"].as_str().unwrap();
    assert!(message.contains("dossier.toml"), "{message}");
    // Still serving, with defaults.
    client.open(URI, "markdown", 1, "Kowalczyk").await;
    assert_eq!(watched(&client.diagnostics(URI, 1).await).len(), 1);
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": URI }, "range": range("Kowalczyk", 0, 9, true) }),
        )
        .await;
    assert_eq!(hints, Ok(json!([])), "inlay hints are off by default");

    // The same error again on reload: not shown a second time.
    let project_file =
        tower_lsp::lsp_types::Url::from_file_path(dir.path().join("dossier.toml")).unwrap();
    let changed = json!({ "changes": [{ "uri": project_file, "type": 2 }] });
    client
        .notify("workspace/didChangeWatchedFiles", changed.clone())
        .await;
    let again = client
        .arrives_within(Duration::from_millis(500), |m| {
            m["method"] == "window/showMessage"
        })
        .await;
    assert!(!again, "the same error was shown twice");

    // Fixed on disk: takes effect without a restart.
    std::fs::write(dir.path().join("dossier.toml"), "inlay_hints = true\n").unwrap();
    client
        .notify("workspace/didChangeWatchedFiles", changed)
        .await;
    let mut labels = Value::Null;
    for _ in 0..100 {
        let hints = client
            .request(
                "textDocument/inlayHint",
                json!({ "textDocument": { "uri": URI }, "range": range("Kowalczyk", 0, 9, true) }),
            )
            .await
            .expect("hints");
        if hints != json!([]) {
            labels = hints[0]["label"].clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(labels, "director");
    client.shutdown().await;
}

fn url_of(path: &std::path::Path) -> String {
    tower_lsp::lsp_types::Url::from_directory_path(path)
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn project_file_sets_corpus_and_editor_settings_override_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("dossier.toml"),
        "corpus = [\"sources\"]\ninclude_default_corpus = false\ninlay_hints = false\n",
    )
    .unwrap();
    let backend = Arc::new(WatchedName::default());
    let mut client = LspClient::in_process(backend.clone());
    let extra =
        json!({ "rootUri": url_of(dir.path()), "initializationOptions": { "inlayHints": true } });
    client.initialize(utf16_client(), extra).await;
    let text = "Zoë “Kowalczyk”";
    client.open(URI, "markdown", 1, text).await;
    client.diagnostics(URI, 1).await;
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": URI }, "range": range(text, 0, text.len(), true) }),
        )
        .await
        .expect("hints");
    assert_eq!(hints[0]["label"], "director");
    assert_eq!(
        hints[0]["position"],
        position(text, text.find('”').unwrap(), true)
    );
    // The build saw the project's corpus, resolved against the root.
    let settings = wait_for_build(&backend, 1).await;
    assert_eq!(settings.corpus, vec![dir.path().join("sources")]);
    assert!(!settings.include_default_corpus);
    client.shutdown().await;
}

async fn wait_for_build(backend: &WatchedName, count: usize) -> Settings {
    for _ in 0..300 {
        if backend.builds.load(Ordering::SeqCst) >= count {
            if let Some(settings) = backend.last_settings.lock().unwrap().clone() {
                return settings;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no build number {count}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corpus_build_reports_work_done_progress() {
    let mut client = LspClient::in_process(Arc::new(WatchedName::default()));
    client
        .initialize(json!({ "window": { "workDoneProgress": true } }), json!({}))
        .await;
    let create = client
        .wait_method("window/workDoneProgress/create", |_| true)
        .await;
    let token = create["params"]["token"].clone();
    let of_token = |kind: &'static str| {
        let token = token.clone();
        move |p: &Value| p["token"] == token && p["value"]["kind"] == kind
    };
    let begin = client.wait_method("$/progress", of_token("begin")).await;
    assert_eq!(begin["params"]["value"]["title"], "Reading sources");
    let report = client.wait_method("$/progress", of_token("report")).await;
    assert!(report["params"]["value"]["percentage"].as_u64().unwrap() <= 100);
    let end = client.wait_method("$/progress", of_token("end")).await;
    assert_eq!(end["params"]["value"]["message"], "build 1: 3 test sources");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corpus_folders_are_watched_and_changes_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).unwrap();
    let backend = Arc::new(WatchedName::default());
    let mut client = LspClient::in_process(backend.clone());
    let caps = json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let extra = json!({ "rootUri": url_of(dir.path()), "initializationOptions": { "corpus": ["sources"] } });
    client.initialize(caps, extra).await;
    let registration = client
        .wait_method("client/registerCapability", |_| true)
        .await;
    let registered = &registration["params"]["registrations"][0];
    assert_eq!(registered["method"], "workspace/didChangeWatchedFiles");
    let globs = registered["registerOptions"]["watchers"].to_string();
    let folder = sources.to_string_lossy().replace('\\', "/");
    assert!(globs.contains(&folder), "{globs}");

    client.open(URI, "markdown", 1, "Kowalczyk").await;
    wait_for_build(&backend, 1).await;
    let checks = backend.checks.load(Ordering::SeqCst);
    let file = tower_lsp::lsp_types::Url::from_file_path(sources.join("new.txt")).unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [{ "uri": file, "type": 1 }] }),
        )
        .await;
    wait_for_build(&backend, 2).await;
    // Open documents are checked again against the new corpus.
    for _ in 0..300 {
        if backend.checks.load(Ordering::SeqCst) > checks {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(backend.checks.load(Ordering::SeqCst) > checks);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn definition_tokens_and_quick_fix_use_editor_positions() {
    let dir = tempfile::tempdir().unwrap();
    let source_text = "Ministry of Fisheries\r\n“Quote” — Director Ánna Kowalczyk 👩‍💻";
    let source = dir.path().join("fisheries.txt");
    std::fs::write(&source, source_text).unwrap();
    let at = source_text.find(NAME).unwrap();
    let backend = WatchedName {
        source: Some((source.clone(), at..at + NAME.len())),
        ..WatchedName::default()
    };
    let mut client = LspClient::in_process(Arc::new(backend));
    client.initialize(utf16_client(), json!({})).await;
    let text = "👩‍💻 Kowalczyk\r\nsaid “Kowalczyk”";
    client.open(URI, "markdown", 1, text).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    let related = &watched(&diagnostics)[0]["relatedInformation"][0];
    assert_eq!(
        related["location"]["range"],
        range(source_text, at, at + NAME.len(), true)
    );

    let definition = client
        .request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": URI }, "position": { "line": 0, "character": 8 } }),
        )
        .await
        .expect("definition");
    let uri = tower_lsp::lsp_types::Url::from_file_path(&source).unwrap();
    assert_eq!(definition[0]["uri"], json!(uri));
    assert_eq!(
        definition[0]["range"],
        json!({ "start": { "line": 1, "character": 24 }, "end": { "line": 1, "character": 33 } })
    );

    let tokens = client
        .request(
            "textDocument/semanticTokens/full",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await
        .expect("tokens");
    // Line 0 col 6 (after 👩‍💻 and a space); line 1 col 6 (after "said “").
    assert_eq!(tokens["data"], json!([0, 6, 9, 0, 0, 1, 6, 9, 0, 0]));

    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": URI },
                "range": range(text, 12, 13, true),
                "context": { "diagnostics": diagnostics }
            }),
        )
        .await
        .expect("actions");
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "only the finding under the cursor");
    assert_eq!(actions[0]["title"], "Spell it Kowalska");
    let edit = &actions[0]["edit"]["changes"][URI][0];
    assert_eq!(edit["range"], range(text, 12, 21, true));
    assert_eq!(actions[0]["diagnostics"][0]["code"], "watched-name");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_a_document_clears_its_diagnostics() {
    let mut client = LspClient::in_process(Arc::new(WatchedName::default()));
    client.initialize(utf16_client(), json!({})).await;
    client.open(URI, "markdown", 1, "Kowalczyk").await;
    client.diagnostics(URI, 1).await;
    client
        .notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await;
    client
        .wait_method("textDocument/publishDiagnostics", |p| {
            p["uri"] == URI && p["diagnostics"] == json!([])
        })
        .await;
    let hover = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": URI }, "position": { "line": 0, "character": 1 } }),
        )
        .await;
    assert_eq!(hover, Ok(Value::Null));
    client.shutdown().await;
}

/// The shipped binary over real stdio, with whatever analysis `main.rs`
/// plugs in: the protocol must hold whatever the findings are.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_speaks_lsp_over_stdio_and_exits_cleanly() {
    let mut client = LspClient::spawn_binary(&["lsp", "--stdio"]);
    let caps = json!({
        "general": { "positionEncodings": ["utf-8", "utf-16"] },
        "window": { "workDoneProgress": true }
    });
    let result = client.initialize(caps, json!({})).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(result["capabilities"]["textDocumentSync"]["change"], 2);
    let text = "Director Ánna Kowalczyk of the Ministry of Fisheries said “we’re ready” 👩‍💻.\r\n";
    client.open(URI, "markdown", 3, text).await;
    let diagnostics = client.diagnostics(URI, 3).await;
    for d in &diagnostics {
        assert!(d["range"]["end"]["character"].as_u64().unwrap() <= text.len() as u64);
    }
    let hover = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": URI }, "position": { "line": 99, "character": 0 } }),
        )
        .await;
    assert!(hover.is_ok(), "{hover:?}");
    client.shutdown().await;
    let mut child = client.child.take().expect("child");
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("exits after `exit`")
        .expect("status");
    assert!(status.success(), "{status:?}");
}
