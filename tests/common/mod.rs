//! A small LSP client for end-to-end tests: talks JSON-RPC with
//! Content-Length framing to the real server, either in-process over an
//! in-memory pipe (so tests can plug in their own `Backend`) or as the
//! `dossier lsp --stdio` binary.
//!
//! Requests the server sends (progress tokens, watcher registration,
//! configuration) are answered automatically and kept for inspection.

#![allow(dead_code)] // Each test file uses a different part of the harness.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, Mutex};
use tokio::task::JoinHandle;

use dossier::server::{Backend, ServerOptions};

pub const TIMEOUT: Duration = Duration::from_secs(30);

type Writer = Arc<Mutex<Box<dyn AsyncWrite + Send + Unpin>>>;

pub struct LspClient {
    writer: Writer,
    incoming: mpsc::UnboundedReceiver<Value>,
    /// Messages read but not yet asked for.
    backlog: VecDeque<Value>,
    next_id: i64,
    /// The in-process server, finished once it has exited.
    pub server: Option<JoinHandle<bool>>,
    /// The spawned binary, when testing it.
    pub child: Option<tokio::process::Child>,
    /// What `workspace/configuration` requests are answered with.
    pub configuration: Arc<std::sync::Mutex<Value>>,
}

impl LspClient {
    /// Starts the server in this process with `backend` and a short check
    /// delay, over an in-memory pipe.
    pub fn in_process(backend: Arc<dyn Backend>) -> LspClient {
        let mut options = ServerOptions::new(backend);
        options.check_delay = Duration::from_millis(50);
        LspClient::in_process_with(options)
    }

    pub fn in_process_with(options: ServerOptions) -> LspClient {
        let (client_end, server_end) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_end);
        let server = tokio::spawn(dossier::server::serve(server_read, server_write, options));
        let (read, write) = tokio::io::split(client_end);
        let mut client = LspClient::connect(read, Box::new(write));
        client.server = Some(server);
        client
    }

    /// Starts `dossier` with `args` (e.g. `["lsp", "--stdio"]`).
    pub fn spawn_binary(args: &[&str]) -> LspClient {
        LspClient::spawn_binary_with_env(args, &[])
    }

    /// Like [`spawn_binary`] with extra environment variables (e.g. a
    /// private `XDG_CACHE_HOME`).
    pub fn spawn_binary_with_env(args: &[&str], env: &[(&str, &std::path::Path)]) -> LspClient {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_dossier"));
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start dossier");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let mut client = LspClient::connect(stdout, Box::new(stdin));
        client.child = Some(child);
        client
    }

    fn connect(
        read: impl AsyncRead + Send + Unpin + 'static,
        write: Box<dyn AsyncWrite + Send + Unpin>,
    ) -> LspClient {
        let writer: Writer = Arc::new(Mutex::new(write));
        let (sender, incoming) = mpsc::unbounded_channel();
        let configuration = Arc::new(std::sync::Mutex::new(Value::Null));
        tokio::spawn(read_loop(
            BufReader::new(read),
            writer.clone(),
            sender,
            configuration.clone(),
        ));
        LspClient {
            writer,
            incoming,
            backlog: VecDeque::new(),
            next_id: 0,
            server: None,
            child: None,
            configuration,
        }
    }

    pub async fn send(&self, message: Value) {
        write_message(&self.writer, &message).await;
    }

    pub async fn notify(&self, method: &str, params: Value) {
        self.send(message(None, method, params)).await;
    }

    /// Sends a request and waits for its response: `Ok(result)` or
    /// `Err(error object)`.
    pub async fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        self.send(message(Some(id), method, params)).await;
        let response = self
            .wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
            .await;
        match response.get("error") {
            Some(error) => Err(error.clone()),
            None => Ok(response.get("result").cloned().unwrap_or(Value::Null)),
        }
    }

    /// The first message (in arrival order) matching `pred`, waiting up to
    /// [`TIMEOUT`]; others stay queued.
    pub async fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i).expect("index");
        }
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            let message = tokio::time::timeout_at(deadline, self.incoming.recv())
                .await
                .unwrap_or_else(|_| panic!("timed out; unmatched messages: {:#?}", self.backlog))
                .expect("server closed the connection");
            if pred(&message) {
                return message;
            }
            self.backlog.push_back(message);
        }
    }

    /// Like [`wait_for`] for a notification or server request by method.
    pub async fn wait_method(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.wait_for(|m| m.get("method") == Some(&json!(method)) && pred(&m["params"]))
            .await
    }

    /// Diagnostics published for `uri` at exactly `version`.
    pub async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self
            .wait_method("textDocument/publishDiagnostics", |p| {
                p["uri"] == json!(uri) && p["version"] == json!(version)
            })
            .await;
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Whether any message matching `pred` arrives within `wait`.
    pub async fn arrives_within(&mut self, wait: Duration, pred: impl Fn(&Value) -> bool) -> bool {
        if self.backlog.iter().any(&pred) {
            return true;
        }
        let deadline = tokio::time::Instant::now() + wait;
        while let Ok(Some(message)) = tokio::time::timeout_at(deadline, self.incoming.recv()).await
        {
            let hit = pred(&message);
            self.backlog.push_back(message);
            if hit {
                return true;
            }
        }
        false
    }

    /// `initialize` with these client capabilities and options, then
    /// `initialized`. Returns the `InitializeResult`.
    pub async fn initialize(&mut self, capabilities: Value, extra: Value) -> Value {
        let mut params =
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities });
        if let (Some(params), Some(extra)) = (params.as_object_mut(), extra.as_object()) {
            for (key, value) in extra {
                params.insert(key.clone(), value.clone());
            }
        }
        let result = self
            .request("initialize", params)
            .await
            .expect("initialize succeeds");
        self.notify("initialized", json!({})).await;
        result
    }

    pub async fn open(&self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": version, "text": text } }),
        )
        .await;
    }

    /// One `didChange` replacing `range` (LSP JSON) with `text`.
    pub async fn change(&self, uri: &str, version: i64, range: Value, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "range": range, "text": text }]
            }),
        )
        .await;
    }

    /// `shutdown` then `exit`.
    pub async fn shutdown(&mut self) {
        let result = self.request("shutdown", Value::Null).await;
        assert_eq!(result, Ok(Value::Null));
        self.notify("exit", Value::Null).await;
    }
}

/// A request (with `id`) or notification; `null` params are left out, as
/// clients do for `shutdown` and `exit`.
fn message(id: Option<i64>, method: &str, params: Value) -> Value {
    let mut message = json!({ "jsonrpc": "2.0", "method": method });
    if let Some(id) = id {
        message["id"] = json!(id);
    }
    if !params.is_null() {
        message["params"] = params;
    }
    message
}

async fn write_message(writer: &Writer, message: &Value) {
    let body = message.to_string();
    let mut writer = writer.lock().await;
    let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
    // The server may be gone (after exit); tests notice by other means.
    let _ = writer.write_all(frame.as_bytes()).await;
    let _ = writer.flush().await;
}

async fn read_loop(
    mut read: BufReader<impl AsyncRead + Unpin>,
    writer: Writer,
    sender: mpsc::UnboundedSender<Value>,
    configuration: Arc<std::sync::Mutex<Value>>,
) {
    while let Some(message) = read_message(&mut read).await {
        // Answer the server's own requests so it can carry on.
        if let (Some(id), Some(method)) = (message.get("id"), message.get("method")) {
            let result = if method == "workspace/configuration" {
                let value = configuration
                    .lock()
                    .map(|v| v.clone())
                    .unwrap_or(Value::Null);
                json!([value])
            } else {
                Value::Null
            };
            write_message(
                &writer,
                &json!({ "jsonrpc": "2.0", "id": id, "result": result }),
            )
            .await;
        }
        if sender.send(message).is_err() {
            break;
        }
    }
}

async fn read_message(read: &mut BufReader<impl AsyncRead + Unpin>) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if read.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0u8; length?];
    read.read_exact(&mut body).await.ok()?;
    serde_json::from_slice(&body).ok()
}

/// LSP position of a byte offset, computed straight from the string (the
/// client's view, independent of the server's rope code).
pub fn position(text: &str, offset: usize, utf16: bool) -> Value {
    let (mut line, mut col) = (0u32, 0u32);
    let mut chars = text[..offset].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => {
                line += 1;
                col = 0;
            }
            _ => col += if utf16 { c.len_utf16() } else { c.len_utf8() } as u32,
        }
    }
    json!({ "line": line, "character": col })
}

/// Byte offset of an LSP position (JSON) in `text`, the inverse of
/// [`position`].
pub fn offset(text: &str, position: &Value, utf16: bool) -> usize {
    let line = position["line"].as_u64().unwrap_or(0) as usize;
    let col = position["character"].as_u64().unwrap_or(0) as usize;
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
        }
        if bytes[i] == b'\n' || bytes[i] == b'\r' {
            starts.push(i + 1);
        }
        i += 1;
    }
    let start = starts.get(line).copied().unwrap_or(text.len());
    let mut units = 0;
    for (at, c) in text[start..].char_indices() {
        if units >= col || c == '\n' || c == '\r' {
            return start + at;
        }
        units += if utf16 { c.len_utf16() } else { c.len_utf8() };
    }
    text.len()
}

/// LSP range of a byte range, as [`position`] computes it.
pub fn range(text: &str, start: usize, end: usize, utf16: bool) -> Value {
    json!({ "start": position(text, start, utf16), "end": position(text, end, utf16) })
}
