//! The language-server features from an editor's point of view: the real
//! `dossier lsp --stdio` binary over a pipe, with the built-in seed corpus
//! and a private cache folder for the seed copies.

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{json, Value};

use common::{offset, position, range, LspClient};

const URI: &str = "file:///newsroom/draft.md";

/// A started server whose corpus is built, with the folder the seeds are
/// copied to.
struct Session {
    client: LspClient,
    cache: tempfile::TempDir,
    utf16: bool,
}

async fn start_with(capabilities: Value, extra: Value) -> Session {
    let cache = tempfile::tempdir().expect("tempdir");
    let mut client =
        LspClient::spawn_binary_with_env(&["lsp", "--stdio"], &[("XDG_CACHE_HOME", cache.path())]);
    let utf16 = capabilities["general"]["positionEncodings"] != json!(["utf-8"]);
    client.initialize(capabilities, extra).await;
    // The corpus is ready once the build's summary is logged.
    client
        .wait_method("window/logMessage", |p| {
            p["message"]
                .as_str()
                .is_some_and(|m| m.contains("sources read"))
        })
        .await;
    Session {
        client,
        cache,
        utf16,
    }
}

async fn start() -> Session {
    start_with(
        json!({ "general": { "positionEncodings": ["utf-16"] } }),
        json!({}),
    )
    .await
}

impl Session {
    fn at(&self, text: &str, offset: usize) -> Value {
        json!({ "textDocument": { "uri": URI }, "position": position(text, offset, self.utf16) })
    }

    async fn hover(&mut self, text: &str, offset: usize) -> Value {
        let params = self.at(text, offset);
        self.client
            .request("textDocument/hover", params)
            .await
            .expect("hover answers")
    }

    async fn hover_text(&mut self, text: &str, needle: &str) -> String {
        let at = text.find(needle).expect("needle in draft") + 1;
        let hover = self.hover(text, at).await;
        hover["contents"]["value"]
            .as_str()
            .unwrap_or_else(|| panic!("no hover on {needle}: {hover}"))
            .to_string()
    }
}

/// The text an LSP location points at, read from the file behind its URI.
fn text_at(location: &Value, utf16: bool) -> (PathBuf, String) {
    let uri = location["uri"].as_str().expect("uri");
    let path = url_path(uri);
    let text = std::fs::read_to_string(&path).expect("location's file is readable");
    let start = offset(&text, &location["range"]["start"], utf16);
    let end = offset(&text, &location["range"]["end"], utf16);
    (path, text[start..end].to_string())
}

fn url_path(uri: &str) -> PathBuf {
    let path = uri.strip_prefix("file://").expect("a file URI");
    let mut out = Vec::new();
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&path[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    PathBuf::from(String::from_utf8(out).expect("utf-8 path"))
}

fn under(path: &Path, dir: &Path) -> bool {
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    path.starts_with(dir)
}

#[tokio::test]
async fn initialize_advertises_every_feature() {
    let cache = tempfile::tempdir().expect("tempdir");
    let mut client =
        LspClient::spawn_binary_with_env(&["lsp", "--stdio"], &[("XDG_CACHE_HOME", cache.path())]);
    let result = client.initialize(json!({}), json!({})).await;
    let caps = &result["capabilities"];
    for feature in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
        "completionProvider",
        "codeActionProvider",
        "inlayHintProvider",
        "semanticTokensProvider",
        "executeCommandProvider",
    ] {
        assert!(
            !caps[feature].is_null() && caps[feature] != json!(false),
            "{feature} missing: {caps:#}"
        );
    }
    assert_eq!(
        caps["executeCommandProvider"]["commands"],
        json!(["dossier.ignore"])
    );
    client.shutdown().await;
}

#[tokio::test]
async fn hover_cards_for_seed_people_and_agencies() {
    let mut s = start().await;
    let text = "Sean Spicer briefed reporters. John Ratcliffe listened.\n\nThe CIA and MI6 said nothing.\n";
    s.client.open(URI, "markdown", 1, text).await;

    let spicer = s.hover_text(text, "Spicer").await;
    assert!(spicer.starts_with("**Sean Spicer** · person"), "{spicer}");
    assert!(spicer.contains("White House Press Secretary"), "{spicer}");
    assert!(spicer.contains("004_6937bedc17dac110"), "{spicer}");
    // Links open the seed copy in the cache folder.
    assert!(spicer.contains("[Open source](file:///"), "{spicer}");
    assert!(spicer.contains("004_6937bedc17dac110.txt#L"), "{spicer}");

    let ratcliffe = s.hover_text(text, "Ratcliffe").await;
    assert!(
        ratcliffe.starts_with("**John Ratcliffe** · person"),
        "{ratcliffe}"
    );
    assert!(ratcliffe.contains("CIA Director"), "{ratcliffe}");

    let cia = s.hover_text(text, "CIA").await;
    assert!(cia.contains("· agency"), "{cia}");
    let mi6 = s.hover_text(text, "MI6").await;
    assert!(mi6.starts_with("**MI6** · agency"), "{mi6}");
    assert!(mi6.contains("People tied to it"), "{mi6}");
    assert!(mi6.contains("former MI6 operative"), "{mi6}");

    // Between things: nothing.
    let between = s.hover(text, text.find("briefed").expect("word") + 2).await;
    assert_eq!(between, Value::Null);
    s.client.shutdown().await;
}

#[tokio::test]
async fn unknown_name_and_quotes_are_explained_on_hover() {
    let mut s = start().await;
    let text = "Jane Whitfield resigned. Spicer said “The president can always discuss common threats or common issues with host nations”.\n\nHe called it “a brilliant plan for the moon and the stars tonight”.\n";
    s.client.open(URI, "markdown", 1, text).await;
    let jane = s.hover_text(text, "Whitfield").await;
    assert!(
        jane.starts_with("**Jane Whitfield** · not in the sources"),
        "{jane}"
    );
    let found = s.hover_text(text, "common threats").await;
    assert!(found.starts_with("✓ **Found in 1 source** — "), "{found}");
    assert!(found.contains("Sean Spicer"), "{found}");
    assert!(found.contains("004_6937bedc17dac110:"), "{found}");
    assert!(found.contains("\n> "), "{found}");
    let missing = s.hover_text(text, "brilliant").await;
    assert!(
        missing.starts_with("✗ **Not found in the sources**"),
        "{missing}"
    );
    s.client.shutdown().await;
}

#[tokio::test]
async fn definition_from_a_quote_lands_on_the_quoted_words_in_the_seed() {
    let mut s = start().await;
    let quoted =
        "The president can always discuss common threats or common issues with host nations";
    let text = format!("Spicer insisted: “{quoted},” he said.\n");
    s.client.open(URI, "markdown", 1, &text).await;
    let params = s.at(&text, text.find("common").expect("word"));
    let locations = s
        .client
        .request("textDocument/definition", params)
        .await
        .expect("definition");
    let locations = locations.as_array().expect("locations");
    assert_eq!(locations.len(), 1, "{locations:?}");
    let (path, words) = text_at(&locations[0], s.utf16);
    assert!(under(&path, s.cache.path()), "{path:?}");
    assert!(path.ends_with("004_6937bedc17dac110.txt"), "{path:?}");
    assert_eq!(words, quoted);

    // On a name: where the sources introduce them.
    let text2 = "John Ratcliffe arrived.\n";
    s.client
        .notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": URI, "version": 2 }, "contentChanges": [{ "text": text2 }] }),
        )
        .await;
    let params = s.at(text2, 3);
    let locations = s
        .client
        .request("textDocument/definition", params)
        .await
        .expect("definition");
    let (path, words) = text_at(&locations[0], s.utf16);
    assert!(path.ends_with("001_c4e7ceec06d85ba9.txt"), "{path:?}");
    assert_eq!(words, "John Ratcliffe");
    s.client.shutdown().await;
}

#[tokio::test]
async fn references_cover_the_sources_and_the_draft() {
    let mut s = start().await;
    let text = "John Ratcliffe spoke first. Later Ratcliffe left.\n";
    s.client.open(URI, "markdown", 1, text).await;
    let mut params = s.at(text, 2);
    params["context"] = json!({ "includeDeclaration": true });
    let refs = s
        .client
        .request("textDocument/references", params)
        .await
        .expect("references");
    let refs = refs.as_array().expect("array");
    let in_draft: Vec<&Value> = refs.iter().filter(|r| r["uri"] == json!(URI)).collect();
    assert_eq!(in_draft.len(), 2, "{refs:#?}");
    let second = text.rfind("Ratcliffe").expect("name");
    assert_eq!(in_draft[1]["range"], range(text, second, second + 9, true));
    let in_sources: Vec<&Value> = refs.iter().filter(|r| r["uri"] != json!(URI)).collect();
    assert!(!in_sources.is_empty());
    for r in in_sources {
        let (_, words) = text_at(r, s.utf16);
        assert!(words.contains("Ratcliffe"), "{words}");
    }
    s.client.shutdown().await;
}

#[tokio::test]
async fn semantic_tokens_mark_names_and_quotes() {
    let mut s = start().await;
    let legend = {
        let cache = tempfile::tempdir().expect("tempdir");
        let mut c = LspClient::spawn_binary_with_env(
            &["lsp", "--stdio"],
            &[("XDG_CACHE_HOME", cache.path())],
        );
        let init = c.initialize(json!({}), json!({})).await;
        c.shutdown().await;
        init["capabilities"]["semanticTokensProvider"]["legend"]["tokenTypes"].clone()
    };
    assert_eq!(
        legend,
        json!(["person", "agency", "outlet", "place", "quote"])
    );
    let text = "Yesterday Sean Spicer said “no comment” to MI6.\n";
    s.client.open(URI, "markdown", 1, text).await;
    let tokens = s
        .client
        .request(
            "textDocument/semanticTokens/full",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await
        .expect("tokens");
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    // The first token is the person at column 10, 11 long.
    assert_eq!(&data[..4], &[0, 10, 11, 0], "{data:?}");
    let kinds: Vec<u64> = data.chunks(5).map(|t| t[3]).collect();
    assert!(kinds.contains(&4), "a quote token: {data:?}");
    assert!(kinds.contains(&1), "an agency token: {data:?}");
    s.client.shutdown().await;
}

#[tokio::test]
async fn completion_symbols_and_outline() {
    let mut s = start().await;
    let text = "Sean Spicer spoke. Then Sp";
    s.client.open(URI, "markdown", 1, text).await;
    let params = s.at(text, text.len());
    let items = s
        .client
        .request("textDocument/completion", params)
        .await
        .expect("completion");
    let items = items.as_array().expect("items");
    let spicer = items
        .iter()
        .find(|i| i["label"] == json!("Sean Spicer"))
        .unwrap_or_else(|| panic!("Sean Spicer offered: {items:#?}"));
    assert_eq!(spicer["detail"], json!("White House Press Secretary"));
    assert_eq!(
        spicer["textEdit"]["range"],
        range(text, text.len() - 2, text.len(), true)
    );

    let found = s
        .client
        .request("workspace/symbol", json!({ "query": "spic" }))
        .await
        .expect("symbols");
    let first = &found.as_array().expect("array")[0];
    assert_eq!(first["name"], json!("Sean Spicer"));
    let (path, words) = text_at(&first["location"], s.utf16);
    assert!(under(&path, s.cache.path()), "{path:?}");
    assert_eq!(words, "Sean Spicer");

    let outline = s
        .client
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await
        .expect("outline");
    let first = &outline.as_array().expect("array")[0];
    assert_eq!(first["name"], json!("Sean Spicer"));
    assert_eq!(first["detail"], json!("White House Press Secretary"));
    s.client.shutdown().await;
}

#[tokio::test]
async fn inlay_hints_show_roles_when_asked() {
    let mut s = start_with(
        json!({ "general": { "positionEncodings": ["utf-16"] } }),
        json!({ "initializationOptions": { "inlayHints": true } }),
    )
    .await;
    let text = "John Ratcliffe arrived. Ratcliffe left.\n";
    s.client.open(URI, "markdown", 1, text).await;
    let hints = s
        .client
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": URI }, "range": range(text, 0, text.len(), true) }),
        )
        .await
        .expect("hints");
    let hints = hints.as_array().expect("array");
    assert_eq!(hints.len(), 1, "{hints:?}");
    assert_eq!(hints[0]["label"], json!(": CIA Director"));
    assert_eq!(hints[0]["position"], position(text, 14, true));
    s.client.shutdown().await;
}

#[tokio::test]
async fn positions_hold_after_curly_quotes_emoji_and_crlf() {
    for utf8 in [false, true] {
        let encodings = if utf8 {
            json!(["utf-8"])
        } else {
            json!(["utf-16"])
        };
        let mut s = start_with(
            json!({ "general": { "positionEncodings": encodings } }),
            json!({}),
        )
        .await;
        let quoted =
            "The president can always discuss common threats or common issues with host nations";
        let text = format!("👩‍💻 Trumpʼs “aide” wrote:\r\n\r\n“{quoted},” said Sean Spicer 🇺🇸.\r\n");
        s.client.open(URI, "markdown", 1, &text).await;
        let spicer = text.find("Sean Spicer").expect("name");
        let hover = s.hover(&text, spicer + "Sean Sp".len()).await;
        assert!(
            hover["contents"]["value"]
                .as_str()
                .is_some_and(|v| v.starts_with("**Sean Spicer**")),
            "{hover}"
        );
        assert_eq!(
            hover["range"],
            range(&text, spicer, spicer + "Sean Spicer".len(), !utf8)
        );
        let at = text.find("discuss").expect("word");
        let params = s.at(&text, at);
        let locations = s
            .client
            .request("textDocument/definition", params)
            .await
            .expect("definition");
        let (_, words) = text_at(&locations[0], !utf8);
        assert_eq!(words, quoted);
        s.client.shutdown().await;
    }
}

#[tokio::test]
async fn hover_follows_a_burst_of_incremental_edits() {
    let mut s = start().await;
    let mut text = String::from("Notes\r\n");
    s.client.open(URI, "markdown", 1, &text).await;
    let typed = "Sean Spicer met “Jane” in Zürich 👩‍💻 and John Ratcliffe. ";
    let mut version = 1;
    let mut chars = typed.chars().cycle();
    for _ in 0..2000 {
        let c = chars.next().expect("cycle");
        version += 1;
        let end = text.len();
        s.client
            .change(URI, version, range(&text, end, end, true), &c.to_string())
            .await;
        text.push(c);
    }
    // Fix a typo near the start too, by replacing a span.
    let at = text.find("Notes").expect("notes");
    version += 1;
    s.client
        .change(URI, version, range(&text, at, at + 5, true), "Nötes")
        .await;
    text.replace_range(at..at + 5, "Nötes");
    let last = text.rfind("Ratcliffe").expect("name");
    let started = Instant::now();
    let hover = s.hover(&text, last + 2).await;
    println!("hover after 2,000 edits: {:?}", started.elapsed());
    let start = text[..last].rfind("John").expect("given name");
    assert_eq!(
        hover["range"],
        range(&text, start, last + 9, true),
        "{hover}"
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .is_some_and(|v| v.starts_with("**John Ratcliffe**")));
    s.client.shutdown().await;
}

#[tokio::test]
async fn hover_latency_on_the_seeds() {
    let mut s = start().await;
    let paragraph = "Sean Spicer said “The president can always discuss common threats or common issues with host nations” on Monday, and John Ratcliffe of the CIA agreed with MI6. ";
    let text = paragraph.repeat(30_000 / paragraph.len() + 1);
    s.client.open(URI, "markdown", 1, &text).await;
    let at = text.rfind("Ratcliffe").expect("name");
    let started = Instant::now();
    let first = s.hover(&text, at).await;
    let cold = started.elapsed();
    let mut warm = Vec::new();
    for i in 0..20 {
        let at = text.match_indices("Spicer").nth(i).map_or(at, |(a, _)| a);
        let started = Instant::now();
        let hover = s.hover(&text, at).await;
        warm.push(started.elapsed());
        assert!(!hover.is_null());
    }
    warm.sort();
    println!(
        "hover on a {} KB draft: first {:?}, median of 20 {:?}",
        text.len() / 1024,
        cold,
        warm[10]
    );
    assert!(!first.is_null());
    s.client.shutdown().await;
}

#[tokio::test]
async fn ignore_action_writes_the_project_file_and_silences_the_finding() {
    let root = tempfile::tempdir().expect("workspace");
    let root_uri = format!("file://{}", root.path().display());
    let draft_uri = format!("{root_uri}/draft.md");
    let mut s = start_with(
        json!({ "general": { "positionEncodings": ["utf-16"] } }),
        json!({ "rootUri": root_uri }),
    )
    .await;
    let text = "The mayor said Jane Whitfield resigned on Friday.\n";
    s.client.open(&draft_uri, "markdown", 1, text).await;
    let diagnostics = s.client.diagnostics(&draft_uri, 1).await;
    let jane = text.find("Jane").expect("name");
    let jane = range(text, jane, jane + "Jane Whitfield".len(), true);
    let unknown = diagnostics
        .iter()
        .find(|d| d["code"] == json!("unknown-actor") && d["range"] == jane)
        .unwrap_or_else(|| panic!("unknown-actor flagged: {diagnostics:#?}"))
        .clone();
    let actions = s
        .client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": draft_uri },
                "range": unknown["range"],
                "context": { "diagnostics": [unknown] }
            }),
        )
        .await
        .expect("actions");
    let add = actions
        .as_array()
        .expect("array")
        .iter()
        .find(|a| a["title"] == json!("Add 'Jane Whitfield' to the project's names"))
        .unwrap_or_else(|| panic!("ignore action offered: {actions:#?}"))
        .clone();
    let command = &add["command"];
    assert_eq!(command["command"], json!("dossier.ignore"));
    let result = s
        .client
        .request(
            "workspace/executeCommand",
            json!({ "command": command["command"], "arguments": command["arguments"] }),
        )
        .await;
    assert_eq!(result, Ok(Value::Null));
    let project = std::fs::read_to_string(root.path().join("dossier.toml")).expect("written");
    assert!(project.contains("Jane Whitfield"), "{project}");
    // The draft is checked again, without the finding.
    let again = s.client.diagnostics(&draft_uri, 1).await;
    assert!(
        again
            .iter()
            .all(|d| !(d["code"] == json!("unknown-actor") && d["range"] == jane)),
        "{again:#?}"
    );
    // The other actions of this finding name the draft's file.
    let here = actions
        .as_array()
        .expect("array")
        .iter()
        .find(|a| a["title"] == json!("Ignore here"))
        .expect("ignore here offered");
    let file = here["command"]["arguments"][0]["file"]
        .as_str()
        .expect("file");
    assert!(file.ends_with("draft.md"), "{file}");
    s.client.shutdown().await;
}

/// Applies LSP text edits (all against `text`) the way an editor does.
fn apply_edits(text: &str, edits: &[Value], utf16: bool) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"], utf16),
                offset(text, &e["range"]["end"], utf16),
                e["newText"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

#[tokio::test]
async fn name_variant_fix_is_applied_from_a_code_action() {
    let mut s = start().await;
    let text = "In Moscow, “calm” 👩‍💻 returned.\r\nDimitry Peskov said nothing.\r\n";
    s.client.open(URI, "markdown", 1, text).await;
    let diagnostics = s.client.diagnostics(URI, 1).await;
    let variant = diagnostics
        .iter()
        .find(|d| d["code"] == json!("name-variant"))
        .unwrap_or_else(|| panic!("name-variant flagged: {diagnostics:#?}"))
        .clone();
    let actions = s
        .client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": URI },
                "range": variant["range"],
                "context": { "diagnostics": [variant] }
            }),
        )
        .await
        .expect("actions");
    let change = actions
        .as_array()
        .expect("array")
        .iter()
        .find(|a| a["title"] == json!("Change to Dmitry Peskov"))
        .unwrap_or_else(|| panic!("fix offered: {actions:#?}"))
        .clone();
    assert_eq!(change["diagnostics"][0]["code"], json!("name-variant"));
    let edits = change["edit"]["changes"][URI].as_array().expect("edits");
    let fixed = apply_edits(text, edits, true);
    assert_eq!(
        fixed,
        "In Moscow, “calm” 👩‍💻 returned.\r\nDmitry Peskov said nothing.\r\n"
    );
    // The editor sends the edit back; the finding is gone.
    for e in edits {
        s.client
            .change(
                URI,
                2,
                e["range"].clone(),
                e["newText"].as_str().unwrap_or(""),
            )
            .await;
    }
    let after = s.client.diagnostics(URI, 2).await;
    assert!(
        after.iter().all(|d| d["code"] != json!("name-variant")),
        "{after:#?}"
    );
    s.client.shutdown().await;
}
