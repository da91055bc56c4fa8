//! End-to-end latency of a language server as an editor feels it: spawns the
//! server over stdio, opens a draft, types characters one `didChange` at a
//! time and times each edit until the server publishes diagnostics for it,
//! then times hover requests on names. Optionally does the same against
//! harper-ls on the same document and prints the ratio.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example lsp_latency -- [--draft FILE] [--pad-to BYTES]
//!     [--server "CMD ARGS"] [--compare-harper] [--edits N] [--hovers N]
//!     [--settle-ms MS] [--json OUT]
//! ```
//!
//! Only std and serde_json: the client is a plain reader thread that parses
//! Content-Length frames and stamps each message with its arrival time.

use std::collections::{HashSet, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const WIKINEWS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/wikinews");
/// Typed at the end of a paragraph, cycled: spaces, accents, punctuation.
const TYPED: &str = " and Zoë Dupré said the café would reopen, officials confirmed.";
const EDIT_TIMEOUT: Duration = Duration::from_secs(10);

struct Options {
    server: Option<String>,
    compare_harper: bool,
    draft: PathBuf,
    pad_to: usize,
    edits: usize,
    hovers: usize,
    settle: Duration,
    json: Option<PathBuf>,
}

fn usage() -> ! {
    eprintln!(
        "usage: lsp_latency [--server \"CMD ARGS\"] [--compare-harper] [--draft FILE] \
         [--pad-to BYTES] [--edits N] [--hovers N] [--settle-ms MS] [--json OUT]"
    );
    std::process::exit(2)
}

fn parse_options() -> Options {
    let mut options = Options {
        server: None,
        compare_harper: false,
        draft: PathBuf::from("examples/draft.md"),
        pad_to: 0,
        edits: 100,
        hovers: 200,
        settle: Duration::from_millis(1000),
        json: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--server" => options.server = Some(value()),
            "--compare-harper" => options.compare_harper = true,
            "--draft" => options.draft = PathBuf::from(value()),
            "--pad-to" => options.pad_to = value().parse().unwrap_or_else(|_| usage()),
            "--edits" => options.edits = value().parse().unwrap_or_else(|_| usage()),
            "--hovers" => options.hovers = value().parse().unwrap_or_else(|_| usage()),
            "--settle-ms" => {
                options.settle = Duration::from_millis(value().parse().unwrap_or_else(|_| usage()))
            }
            "--json" => options.json = Some(PathBuf::from(value())),
            "-h" | "--help" => usage(),
            _ => {
                eprintln!("unknown argument {arg}");
                usage()
            }
        }
    }
    options
}

// ---- the draft ----

/// The draft, grown to `pad_to` bytes with Wikinews article bodies.
fn load_draft(path: &Path, pad_to: usize) -> String {
    let mut text = std::fs::read_to_string(path).unwrap_or_else(|err| {
        eprintln!("cannot read {}: {err}", path.display());
        std::process::exit(1)
    });
    if text.len() >= pad_to {
        return text;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(WIKINEWS)
        .map(|dir| {
            dir.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        eprintln!("--pad-to: no articles in {WIKINEWS}");
        std::process::exit(1)
    }
    while !text.ends_with("\n\n") {
        text.push('\n');
    }
    'fill: for file in files.iter().cycle() {
        let Ok(article) = std::fs::read_to_string(file) else {
            continue;
        };
        let mut lines = article.lines().map(str::trim).filter(|l| !l.is_empty());
        // Title, date, source address, dateline; then the body.
        if let Some(title) = lines.next() {
            text.push_str(&format!("## {title}\n\n"));
        }
        for paragraph in lines.skip(3) {
            text.push_str(paragraph);
            text.push_str("\n\n");
            if text.len() >= pad_to {
                break 'fill;
            }
        }
    }
    text
}

/// UTF-16 LSP position of a byte offset (LF or CRLF lines).
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[start..]
        .trim_end_matches('\r')
        .chars()
        .map(char::len_utf16)
        .sum();
    json!({ "line": line, "character": character })
}

/// Byte offset of the end of a body paragraph near the middle of the draft
/// (not a heading), where typing goes.
fn typing_point(text: &str) -> usize {
    let mut ends = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let is_paragraph = body.len() > 40 && !body.starts_with('#') && !body.starts_with('*');
        if is_paragraph {
            ends.push(at + body.len());
        }
        at += line.len();
    }
    match ends.get(ends.len() / 2) {
        Some(&end) => end,
        None => text.trim_end().len(),
    }
}

/// Offsets inside names: capitalised words that follow another capitalised
/// word (so mostly multi-word names, not sentence starts), one per name.
fn name_points(text: &str) -> Vec<usize> {
    // (start, end, follows a capitalised word across a single space)
    let mut words: Vec<(usize, usize, bool)> = Vec::new();
    let mut word_start = None;
    let mut joined = false;
    let mut previous_end = None;
    for (at, c) in text.char_indices().chain([(text.len(), '\n')]) {
        let in_word = c.is_alphabetic() || c == '\'' || c == '’' || c == '-';
        match (in_word, word_start) {
            (true, None) => {
                joined = previous_end.is_some_and(|end| &text[end..at] == " ");
                word_start = Some(at);
            }
            (false, Some(start)) => {
                words.push((start, at, joined));
                previous_end = Some(at);
                word_start = None;
            }
            _ => {}
        }
    }
    let capital = |(start, end, _): (usize, usize, bool)| {
        let word = &text[start..end];
        word.len() > 1 && word.chars().next().is_some_and(char::is_uppercase)
    };
    let mut points = Vec::new();
    for pair in words.windows(2) {
        let (before, word) = (pair[0], pair[1]);
        if word.2 && capital(before) && capital(word) {
            // The middle of the word, on a char boundary.
            let mut mid = word.0 + (word.1 - word.0) / 2;
            while !text.is_char_boundary(mid) {
                mid -= 1;
            }
            points.push(mid);
        }
    }
    if points.is_empty() {
        points.push(0);
    }
    points
}

// ---- the client ----

struct Message {
    at: Instant,
    value: Value,
}

struct Client {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    incoming: Receiver<Message>,
    backlog: VecDeque<Message>,
    next_id: i64,
}

fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

fn read_frame(read: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if read.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0u8; length?];
    read.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn spawn(command: &[String]) -> Client {
        let Some((program, args)) = command.split_first() else {
            eprintln!("empty server command");
            std::process::exit(2)
        };
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|err| {
                eprintln!("cannot start {program}: {err}");
                std::process::exit(1)
            });
        let stdin = Arc::new(Mutex::new(child.stdin.take().expect("piped stdin")));
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, incoming) = channel();
        let answer = stdin.clone();
        std::thread::spawn(move || {
            let mut read = BufReader::new(stdout);
            while let Some(value) = read_frame(&mut read) {
                let at = Instant::now();
                // Answer the server's own requests so it never waits on us.
                if let (Some(id), Some(method)) = (value.get("id"), value.get("method")) {
                    let result = if method == "workspace/configuration" {
                        let n = value["params"]["items"].as_array().map_or(1, Vec::len);
                        Value::Array(vec![Value::Null; n])
                    } else {
                        Value::Null
                    };
                    let reply = json!({ "jsonrpc": "2.0", "id": id, "result": result });
                    if let Ok(mut w) = answer.lock() {
                        let _ = w.write_all(&frame(&reply));
                        let _ = w.flush();
                    }
                }
                if sender.send(Message { at, value }).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            backlog: VecDeque::new(),
            next_id: 0,
        }
    }

    /// Sends a message; returns the time just before it was written.
    fn send(&self, message: &Value) -> Instant {
        let bytes = frame(message);
        let mut w = self.stdin.lock().unwrap_or_else(|p| p.into_inner());
        let sent = Instant::now();
        let _ = w.write_all(&bytes);
        let _ = w.flush();
        sent
    }

    fn notify(&self, method: &str, params: Value) -> Instant {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    /// Sends a request; returns its id and send time.
    fn request_start(&mut self, method: &str, params: Value) -> (i64, Instant) {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if !params.is_null() {
            message["params"] = params;
        }
        (id, self.send(&message))
    }

    /// The first message matching `pred` within `wait`; others are kept.
    fn wait_for(&mut self, wait: Duration, pred: impl Fn(&Message) -> bool) -> Option<Message> {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) if pred(&message) => return Some(message),
                Ok(message) => self.backlog.push_back(message),
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    return None
                }
            }
        }
    }

    fn response(&mut self, id: i64, wait: Duration) -> Option<Message> {
        self.wait_for(wait, |m| {
            m.value.get("id") == Some(&json!(id)) && m.value.get("method").is_none()
        })
    }

    /// Reads until the server has been quiet for `quiet` with none of its
    /// `$/progress` reports open (a corpus being indexed is no time to
    /// measure: a server still building answers from no corpus at all),
    /// dropping what came. At most ten minutes.
    fn settle(&mut self, quiet: Duration) {
        fn track(message: &Message, open: &mut HashSet<String>) {
            if message.value["method"] != "$/progress" {
                return;
            }
            let token = message.value["params"]["token"].to_string();
            match message.value["params"]["value"]["kind"].as_str() {
                Some("begin") => {
                    open.insert(token);
                }
                Some("end") => {
                    open.remove(&token);
                }
                _ => {}
            }
        }
        let mut open = HashSet::new();
        for message in self.backlog.drain(..) {
            track(&message, &mut open);
        }
        let deadline = Instant::now() + Duration::from_secs(600);
        loop {
            match self.incoming.recv_timeout(quiet) {
                Ok(message) => track(&message, &mut open),
                Err(RecvTimeoutError::Timeout) if !open.is_empty() && Instant::now() < deadline => {
                }
                Err(_) => break,
            }
        }
        if !open.is_empty() {
            eprintln!("server still reports work in progress after ten minutes; measuring anyway");
        }
    }

    fn shutdown(mut self) {
        let (id, _) = self.request_start("shutdown", Value::Null);
        let _ = self.response(id, Duration::from_secs(5));
        self.send(&json!({ "jsonrpc": "2.0", "method": "exit" }));
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        eprintln!("server did not exit after `exit`; killing it");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---- the measurement ----

#[derive(Default)]
struct Figures {
    name: String,
    command: String,
    /// Milliseconds from sending an edit to its diagnostics.
    edits: Vec<f64>,
    edits_missing: usize,
    /// Whether the server tagged its diagnostics with versions.
    versioned: bool,
    /// Whether the server takes whole texts on change (else ranges).
    full_sync: bool,
    hovers: Vec<f64>,
    hovers_missing: usize,
    /// The slowest hovers: milliseconds and the word under the cursor.
    hovered: Vec<(f64, String)>,
    /// The server process's peak and current resident set (MiB) after the
    /// edits and hovers, where the system tells (Linux).
    peak_rss_mib: Option<f64>,
    rss_mib: Option<f64>,
}

/// A figure of another process's `/proc/PID/status`, in MiB.
fn status_mib(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The word around byte `at` (for naming a slow hover).
fn word_at(text: &str, at: usize) -> &str {
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_word(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .find(|c: char| !is_word(c))
        .map_or(text.len(), |i| at + i);
    &text[start..end]
}

fn is_diagnostics_for(message: &Message, uri: &str) -> bool {
    message.value["method"] == "textDocument/publishDiagnostics"
        && message.value["params"]["uri"] == uri
}

fn measure(name: &str, command: &[String], text: &str, options: &Options) -> Figures {
    let mut figures = Figures {
        name: name.to_string(),
        command: command.join(" "),
        ..Figures::default()
    };
    eprintln!("{name}: starting `{}`", figures.command);
    let mut client = Client::spawn(command);
    let capabilities = json!({
        "general": { "positionEncodings": ["utf-16"] },
        "textDocument": {
            "synchronization": { "dynamicRegistration": false, "didSave": false },
            "publishDiagnostics": { "versionSupport": true, "relatedInformation": true },
            "hover": { "contentFormat": ["markdown", "plaintext"] }
        },
        "workspace": { "configuration": true },
        // So that a server indexing its corpus says so, and is let finish.
        "window": { "workDoneProgress": true }
    });
    let (id, _) = client.request_start(
        "initialize",
        json!({ "processId": std::process::id(), "rootUri": null, "capabilities": capabilities }),
    );
    let Some(answer) = client.response(id, Duration::from_secs(30)) else {
        eprintln!("{name}: no answer to initialize");
        client.shutdown();
        return figures;
    };
    // Edits go as the server asks, as an editor sends them: the changed
    // range (incremental, 2) or the whole text (full, 1; harper-ls).
    let sync = &answer.value["result"]["capabilities"]["textDocumentSync"];
    figures.full_sync = sync.as_i64().or_else(|| sync["change"].as_i64()) == Some(1);
    eprintln!(
        "{name}: sends {} on every edit",
        if figures.full_sync {
            "the whole text"
        } else {
            "the changed range"
        }
    );
    client.notify("initialized", json!({}));

    // A .md address: harper-ls picks its parser from the file name.
    let uri = "file:///tmp/lsp-latency/draft.md";
    let mut text = text.to_string();
    let mut version = 1i64;
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": version, "text": text } }),
    );
    if client
        .wait_for(Duration::from_secs(60), |m| is_diagnostics_for(m, uri))
        .is_none()
    {
        eprintln!("{name}: no diagnostics for the opened draft within 60 s");
    }
    // Let start-up work (corpus build, re-check) finish before timing.
    client.settle(options.settle);

    let mut at = typing_point(&text);
    let typed: Vec<char> = TYPED.chars().cycle().take(options.edits).collect();
    for c in typed {
        version += 1;
        let here = position(&text, at);
        text.insert(at, c);
        let content = if figures.full_sync {
            json!({ "text": text })
        } else {
            json!({ "range": { "start": here, "end": here }, "text": c.to_string() })
        };
        let change = json!({
            "textDocument": { "uri": uri, "version": version },
            "contentChanges": [content]
        });
        let sent = client.notify("textDocument/didChange", change);
        at += c.len_utf8();
        let got = client.wait_for(EDIT_TIMEOUT, |m| {
            if !is_diagnostics_for(m, uri) || m.at < sent {
                return false;
            }
            match m.value["params"]["version"].as_i64() {
                Some(v) => v >= version,
                // Unversioned (harper-ls): the first answer after the send.
                None => true,
            }
        });
        match got {
            Some(message) => {
                figures.versioned |= message.value["params"]["version"].is_i64();
                figures
                    .edits
                    .push(message.at.duration_since(sent).as_secs_f64() * 1e3);
            }
            None => figures.edits_missing += 1,
        }
        // Older answers still queued are of no use.
        client.backlog.retain(|m| !is_diagnostics_for(m, uri));
    }
    client.settle(Duration::from_millis(200));

    let points = name_points(&text);
    for i in 0..options.hovers {
        let at = points[i % points.len()];
        let (id, sent) = client.request_start(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": position(&text, at) }),
        );
        match client.response(id, Duration::from_secs(10)) {
            Some(answer) => {
                let ms = answer.at.duration_since(sent).as_secs_f64() * 1e3;
                figures.hovers.push(ms);
                figures.hovered.push((ms, word_at(&text, at).to_string()));
            }
            None => figures.hovers_missing += 1,
        }
    }
    figures.hovered.sort_by(|a, b| b.0.total_cmp(&a.0));
    figures.hovered.truncate(5);
    figures.peak_rss_mib = status_mib(client.child.id(), "VmHWM:");
    figures.rss_mib = status_mib(client.child.id(), "VmRSS:");
    client.shutdown();
    figures
}

// ---- reporting ----

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

struct Summary {
    n: usize,
    missing: usize,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
}

fn summary(samples: &[f64], missing: usize) -> Summary {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    Summary {
        n: sorted.len(),
        missing,
        p50: percentile(&sorted, 50.0),
        p90: percentile(&sorted, 90.0),
        p99: percentile(&sorted, 99.0),
        max: sorted.last().copied().unwrap_or(f64::NAN),
    }
}

fn summary_json(s: &Summary) -> Value {
    // NaN is no JSON number: an empty series is null.
    let num = |x: f64| if x.is_finite() { json!(x) } else { Value::Null };
    json!({ "n": s.n, "missing": s.missing, "p50_ms": num(s.p50), "p90_ms": num(s.p90),
            "p99_ms": num(s.p99), "max_ms": num(s.max) })
}

fn harper_path() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("harper-ls"))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| {
        let home = std::env::var_os("HOME")?;
        let p = Path::new(&home).join(".cargo/bin/harper-ls");
        p.is_file().then_some(p)
    })
}

fn main() {
    let options = parse_options();
    let text = load_draft(&options.draft, options.pad_to);
    let dossier: Vec<String> = match &options.server {
        Some(command) => command.split_whitespace().map(str::to_string).collect(),
        None => {
            let binary = Path::new("target/release/dossier");
            if !binary.is_file() {
                eprintln!(
                    "{} not found: run `cargo build --release` first (or pass --server)",
                    binary.display()
                );
                std::process::exit(1)
            }
            vec![binary.display().to_string(), "lsp".into(), "--stdio".into()]
        }
    };
    let first_name = Path::new(&dossier[0])
        .file_name()
        .map_or("server".to_string(), |n| n.to_string_lossy().into_owned());
    eprintln!(
        "draft {} ({} bytes), {} edits, {} hovers",
        options.draft.display(),
        text.len(),
        options.edits,
        options.hovers
    );
    let mut runs = vec![measure(&first_name, &dossier, &text, &options)];
    if options.compare_harper {
        match harper_path() {
            Some(harper) => {
                let command = vec![harper.display().to_string(), "--stdio".to_string()];
                runs.push(measure("harper-ls", &command, &text, &options));
            }
            None => eprintln!("--compare-harper: harper-ls is not on PATH nor in ~/.cargo/bin"),
        }
    }

    println!(
        "\n{:<12} {:<18} {:>5} {:>9} {:>9} {:>9} {:>9}",
        "server", "metric (ms)", "n", "p50", "p90", "p99", "max"
    );
    let mut report = Vec::new();
    for run in &runs {
        let edits = summary(&run.edits, run.edits_missing);
        let hovers = summary(&run.hovers, run.hovers_missing);
        for (metric, s) in [("edit→diagnostics", &edits), ("hover", &hovers)] {
            let missing = if s.missing > 0 {
                format!("  ({} missing)", s.missing)
            } else {
                String::new()
            };
            println!(
                "{:<12} {:<18} {:>5} {:>9.3} {:>9.3} {:>9.3} {:>9.3}{missing}",
                run.name, metric, s.n, s.p50, s.p90, s.p99, s.max
            );
        }
        if let (Some(peak), Some(now)) = (run.peak_rss_mib, run.rss_mib) {
            println!(
                "{:<12} {:<18} peak {peak:.1} MiB, at the end {now:.1} MiB",
                run.name, "server RSS"
            );
        }
        report.push(json!({
            "name": run.name,
            "peak_rss_mib": run.peak_rss_mib,
            "rss_mib": run.rss_mib,
            "command": run.command,
            "versioned_diagnostics": run.versioned,
            "whole_text_on_change": run.full_sync,
            "edit_to_diagnostics": summary_json(&edits),
            "edits_ms": run.edits,
            "hovers_ms": run.hovers,
            "slowest_hovers": run.hovered,
            "hover": summary_json(&hovers),
        }));
    }
    let mut ratio = Value::Null;
    if let [ours, harper] = &runs[..] {
        let (a, b) = (summary(&ours.edits, 0), summary(&harper.edits, 0));
        let (p50, p99) = (b.p50 / a.p50, b.p99 / a.p99);
        println!(
            "\nharper-ls / {} edit→diagnostics: p50 {p50:.1}×, p99 {p99:.1}×",
            ours.name
        );
        ratio = json!({ "edit_to_diagnostics_p50": p50, "edit_to_diagnostics_p99": p99 });
    }
    if let Some(out) = &options.json {
        let value = json!({
            "draft": options.draft.display().to_string(),
            "bytes": text.len(),
            "edits": options.edits,
            "hovers": options.hovers,
            "servers": report,
            "ratio_harper_over_first": ratio,
        });
        let written = serde_json::to_string_pretty(&value)
            .map_err(|e| e.to_string())
            .and_then(|s| std::fs::write(out, s + "\n").map_err(|e| e.to_string()));
        match written {
            Ok(()) => eprintln!("figures written to {}", out.display()),
            Err(err) => eprintln!("cannot write {}: {err}", out.display()),
        }
    }
}
