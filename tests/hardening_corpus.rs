//! A source folder that breaks while the real server runs: files replaced
//! by binary, emptied, deleted, a folder turned into a symbolic link loop.
//! The server keeps what it read well, tells the writer once per problem,
//! and takes the file again once it is fixed. And a session that breaks
//! nothing writes nothing into the source folder.

mod hardening_common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value};

use hardening_common::{url_of, Server};

const SOURCE: &str = "Harbour closes\n\nDirector Anna Kowalczyk of the Ministry of Fisheries said the closure was “a painful but necessary step for the fleet”.\n";
const OTHER: &str =
    "Trawlers wait\n\nZoë Ångström, a trawler captain, said: “We were told nothing.”\n";

fn start(sources: &Path, cache: &Path) -> Server {
    let corpus = sources.to_string_lossy().into_owned();
    let mut server = Server::start(&["--no-default-corpus", "--corpus", &corpus], cache);
    server.initialize(None, json!({}));
    built(&mut server);
    server
}

/// Waits for the end of a corpus build.
fn built(server: &mut Server) {
    server.wait_for(|m| {
        m["method"] == json!("window/logMessage")
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("sources read"))
    });
}

/// Tells the server a source changed and waits for the rebuild.
fn changed(server: &mut Server, path: &Path) {
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": url_of(path), "type": 2 }] }),
    );
    built(server);
}

/// Names the corpus knows matching `query`.
fn known(server: &mut Server, query: &str) -> usize {
    server
        .request("workspace/symbol", json!({ "query": query }))
        .expect("symbols")
        .as_array()
        .map_or(0, Vec::len)
}

fn shown(server: &mut Server) -> Vec<String> {
    server.drain(Duration::from_millis(300));
    server
        .take_method("window/showMessage")
        .iter()
        .filter_map(|m| m["params"]["message"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn broken_sources_keep_their_last_good_version_and_are_reported_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sources = dir.path().join("sources");
    let nested = sources.join("nested");
    std::fs::create_dir_all(&nested).expect("mkdir");
    let harbour = sources.join("harbour.txt");
    let trawler = nested.join("trawler.md");
    std::fs::write(&harbour, SOURCE).expect("write");
    std::fs::write(&trawler, OTHER).expect("write");
    let mut server = start(&sources, &dir.path().join("cache"));
    assert!(known(&mut server, "Kowalczyk") > 0);
    assert!(known(&mut server, "Ångström") > 0);

    // Replaced by binary: still known, one message naming the file.
    std::fs::write(&harbour, b"\x00\x01\x02PK\x03\x04binary").expect("write");
    changed(&mut server, &harbour);
    assert!(known(&mut server, "Kowalczyk") > 0, "knowledge lost");
    let messages = shown(&mut server);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("harbour.txt") && messages[0].contains("binary"),
        "{messages:?}"
    );
    // The same problem on the next build is not shown again.
    changed(&mut server, &harbour);
    assert!(shown(&mut server).is_empty());

    // Emptied (truncated to nothing): the same, a new message for it.
    std::fs::write(&harbour, b"").expect("truncate");
    changed(&mut server, &harbour);
    assert!(known(&mut server, "Kowalczyk") > 0);
    let messages = shown(&mut server);
    assert!(
        messages.len() == 1 && messages[0].contains("empty"),
        "{messages:?}"
    );

    // Fixed: read again (with its new words), said in the log.
    std::fs::write(&harbour, SOURCE.replace("Anna", "Anne")).expect("fix");
    changed(&mut server, &harbour);
    assert!(known(&mut server, "Anne Kowalczyk") > 0);
    server.drain(Duration::from_millis(300));
    let logs: Vec<Value> = server.take_method("window/logMessage");
    assert!(
        logs.iter().any(|m| m["params"]["message"]
            .as_str()
            .is_some_and(|s| s.contains("reads again"))),
        "{logs:#?}"
    );

    // A folder replaced by a symbolic link loop: its files' knowledge stays.
    std::fs::remove_dir_all(&nested).expect("rm");
    std::os::unix::fs::symlink(&sources, &nested).expect("symlink loop");
    changed(&mut server, &nested);
    assert!(known(&mut server, "Ångström") > 0, "nested knowledge lost");
    let messages = shown(&mut server);
    assert!(messages.iter().any(|m| m.contains("loop")), "{messages:?}");

    // Deleted: the writer removed it, so it goes, quietly.
    std::fs::remove_file(&harbour).expect("rm");
    changed(&mut server, &harbour);
    assert_eq!(known(&mut server, "Kowalczyk"), 0);

    // Unreadable (permissions removed). Root reads it anyway, so the check
    // is that the server keeps serving either way.
    std::fs::write(&harbour, SOURCE).expect("write");
    changed(&mut server, &harbour);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&harbour, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    changed(&mut server, &harbour);
    assert!(known(&mut server, "Kowalczyk") > 0);
    std::fs::set_permissions(&harbour, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    assert_eq!(server.stop().code(), Some(0));
}

#[test]
fn a_source_rewritten_while_read_is_read_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sources = dir.path().join("sources");
    std::fs::create_dir_all(&sources).expect("mkdir");
    let harbour = sources.join("harbour.txt");
    std::fs::write(&harbour, SOURCE).expect("write");
    let mut server = start(&sources, &dir.path().join("cache"));
    // A writer thread keeps rewriting the file between two full versions
    // while the server rebuilds several times.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (path, flag) = (harbour.clone(), stop.clone());
    let writer = std::thread::spawn(move || {
        let other = SOURCE.replace("Anna", "Anne");
        let mut n = 0u32;
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            let text = if n % 2 == 0 { SOURCE } else { other.as_str() };
            let _ = std::fs::write(&path, text);
            n += 1;
        }
    });
    for _ in 0..5 {
        changed(&mut server, &harbour);
        assert!(known(&mut server, "Kowalczyk") > 0);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().expect("writer");
    std::fs::write(&harbour, SOURCE).expect("write");
    changed(&mut server, &harbour);
    assert!(known(&mut server, "Anna Kowalczyk") > 0);
    assert_eq!(server.stop().code(), Some(0));
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    out
}

#[test]
fn a_session_writes_nothing_into_the_source_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("project");
    let sources = root.join("sources");
    std::fs::create_dir_all(&sources).expect("mkdir");
    std::fs::write(sources.join("harbour.txt"), SOURCE).expect("write");
    std::fs::write(
        sources.join("trawler.html"),
        format!("<html><title>T</title><body><p>{OTHER}</p></body></html>"),
    )
    .expect("write");
    let draft_path = root.join("draft.md");
    let draft = "Anna Kowalczyk said the closure was “a painful step for the fleet”.\r\nAnne Kowalczyk agreed 🐟.\r\n";
    std::fs::write(&draft_path, draft).expect("write");
    let before = snapshot(&root);
    let cache = dir.path().join("cache");
    // With the built-in articles, which are copied to the cache.
    let mut server = Server::start(&["--corpus", &sources.to_string_lossy()], &cache);
    server.initialize(Some(&root), json!({}));
    built(&mut server);
    let uri = url_of(&draft_path);
    server.open(&uri, 1, draft);
    server.publish(&uri, 1);
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/references",
    ] {
        let answer = server.request(method, json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 3 }, "context": { "includeDeclaration": true } }));
        assert!(answer.is_ok(), "{method}: {answer:?}");
    }
    let _ = server.request("textDocument/codeAction", json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 2, "character": 0 } }, "context": { "diagnostics": [] } }));
    assert_eq!(server.stop().code(), Some(0));
    assert_eq!(snapshot(&root), before, "the project folder changed");
    // The cache holds whole files only: no temporary files left behind.
    let cached = snapshot(&cache);
    assert!(
        !cached.is_empty(),
        "built-in articles are copied to the cache"
    );
    assert!(
        cached
            .keys()
            .all(|p| !p.to_string_lossy().ends_with(".tmp")),
        "{cached:?}"
    );
}
