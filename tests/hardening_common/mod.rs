//! A raw stdio client for the hardening tests: starts the real
//! `dossier lsp --stdio` binary and can write any bytes to it (broken
//! frames, bad JSON), while a reader thread parses what comes back.
//!
//! The server's own requests (progress tokens, watcher registration,
//! configuration) are answered with `null` so it never waits on us.

#![allow(dead_code)] // Each test file uses a different part.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Server {
    pub child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    incoming: Receiver<Value>,
    backlog: VecDeque<Value>,
    next_id: i64,
}

impl Server {
    /// `dossier lsp --stdio` plus `args`, with its cache under `cache`.
    pub fn start(args: &[&str], cache: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["lsp", "--stdio"])
            .args(args)
            .env("XDG_CACHE_HOME", cache)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dossier");
        let stdin = Arc::new(Mutex::new(child.stdin.take().expect("stdin")));
        let stdout = child.stdout.take().expect("stdout");
        let (sender, incoming) = channel();
        let answer = stdin.clone();
        std::thread::spawn(move || {
            let mut read = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut read) {
                if let (Some(id), Some(_)) = (message.get("id"), message.get("method")) {
                    let reply = json!({ "jsonrpc": "2.0", "id": id, "result": null });
                    if let Ok(mut w) = answer.lock() {
                        let _ = w.write_all(&frame(&reply.to_string()));
                        let _ = w.flush();
                    }
                }
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Server {
            child,
            stdin,
            incoming,
            backlog: VecDeque::new(),
            next_id: 1000,
        }
    }

    /// Writes bytes exactly as given.
    pub fn raw(&self, bytes: &[u8]) {
        let mut w = self.stdin.lock().expect("stdin lock");
        w.write_all(bytes).expect("write to server");
        w.flush().expect("flush");
    }

    pub fn send(&self, message: &Value) {
        self.raw(&frame(&message.to_string()));
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request without waiting; returns its id.
    pub fn request_id(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message);
        id
    }

    /// The response to request `id`.
    pub fn response(&mut self, id: i64) -> Value {
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    /// `Ok(result)` or `Err(error)`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.request_id(method, params);
        let response = self.response(id);
        match response.get("error") {
            Some(error) => Err(error.clone()),
            None => Ok(response.get("result").cloned().unwrap_or(Value::Null)),
        }
    }

    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        self.wait_for_within(TIMEOUT, pred)
            .unwrap_or_else(|| panic!("timed out; unmatched: {:#?}", self.backlog))
    }

    pub fn wait_for_within(
        &mut self,
        wait: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) if pred(&message) => return Some(message),
                Ok(message) => self.backlog.push_back(message),
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("server closed its output; backlog: {:#?}", self.backlog)
                }
            }
        }
    }

    /// Every message received so far (and within `settle`), kept.
    pub fn drain(&mut self, settle: Duration) -> Vec<Value> {
        let deadline = Instant::now() + settle;
        while let Ok(message) = self
            .incoming
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.backlog.push_back(message);
        }
        self.backlog.iter().cloned().collect()
    }

    /// Messages for `method` so far, removed from the backlog.
    pub fn take_method(&mut self, method: &str) -> Vec<Value> {
        let (hits, rest): (Vec<Value>, Vec<Value>) = self
            .backlog
            .drain(..)
            .partition(|m| m.get("method") == Some(&json!(method)));
        self.backlog = rest.into();
        hits
    }

    /// `initialize` (UTF-16 client, no extras) then `initialized`.
    pub fn initialize(&mut self, root: Option<&Path>, capabilities: Value) -> Value {
        let root_uri = root.map(url_of);
        let result = self
            .request(
                "initialize",
                json!({ "processId": null, "rootUri": root_uri, "capabilities": capabilities }),
            )
            .expect("initialize succeeds");
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": version, "text": text } }),
        );
    }

    /// The diagnostics published for `uri` at exactly `version`.
    pub fn publish(&mut self, uri: &str, version: i64) -> Value {
        self.wait_for(|m| {
            m.get("method") == Some(&json!("textDocument/publishDiagnostics"))
                && m["params"]["uri"] == json!(uri)
                && m["params"]["version"] == json!(version)
        })
    }

    /// `shutdown`, `exit`, and the exit status.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let _ = self.request("shutdown", Value::Null);
        self.send(&json!({ "jsonrpc": "2.0", "method": "exit" }));
        self.wait_exit()
    }

    pub fn wait_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Resident memory of the server process in KiB (Linux `/proc`).
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

pub fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn read_frame(read: &mut BufReader<impl Read>) -> Option<Value> {
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
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0u8; length?];
    read.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

pub fn url_of(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", path.display())
}

/// LSP position (UTF-16) of a byte offset, from the string itself.
pub fn position(text: &str, offset: usize) -> Value {
    let (mut line, mut col) = (0u32, 0u32);
    let mut chars = text[..offset].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => {
                line += 1;
                col = 0;
            }
            _ => col += c.len_utf16() as u32,
        }
    }
    json!({ "line": line, "character": col })
}

pub fn range(text: &str, start: usize, end: usize) -> Value {
    json!({ "start": position(text, start), "end": position(text, end) })
}
