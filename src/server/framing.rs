//! Guards the server's input: reads the editor's byte stream, passes each
//! well-formed message on unchanged, and turns every broken one (a header
//! without a usable `Content-Length`, a body that is not JSON, JSON that is
//! no JSON-RPC message) into a `dossier/badMessage` request that the server
//! answers with the protocol's error (`-32700` parse error, `-32600`
//! invalid request, id `null`).
//!
//! Why: tower-lsp stops reading its input at the first message it cannot
//! decode, so one stray byte from an editor would end the session. After a
//! bad frame the reader looks for the next `Content-Length` and carries on.

use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The method a broken message becomes; its params say what was wrong.
pub const BAD_MESSAGE: &str = "dossier/badMessage";

/// Bodies larger than this are refused as broken headers rather than
/// waited for (a 20 MB draft is about 21 MB of JSON).
const MAX_BODY: usize = 512 * 1024 * 1024;
/// A header block longer than this without its blank line is garbage.
const MAX_HEADER: usize = 8 * 1024;
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;

/// The params of a [`BAD_MESSAGE`] request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct BadMessage {
    pub code: i64,
    pub message: String,
}

/// What the guard decided about the bytes at the front of its buffer.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// More bytes are needed.
    Wait,
    /// Drop `used` bytes of leftovers from a message already reported.
    Skip { used: usize },
    /// Pass `frame` on; drop `used` bytes.
    Pass { used: usize, body: Vec<u8> },
    /// Report a broken message; drop `used` bytes.
    Bad {
        used: usize,
        code: i64,
        message: String,
    },
}

/// Copies `input` to `output`, message by message, replacing broken
/// messages as the module docs say. Returns at the end of `input`.
pub async fn guard<R, W>(mut input: R, mut output: W)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        loop {
            match next_step(&buf) {
                Step::Wait => break,
                Step::Skip { used } => {
                    buf.drain(..used);
                }
                Step::Pass { used, body } => {
                    buf.drain(..used);
                    if write_frame(&mut output, &body).await.is_err() {
                        return;
                    }
                }
                Step::Bad {
                    used,
                    code,
                    message,
                } => {
                    buf.drain(..used);
                    let request = serde_json::json!({
                        "jsonrpc": "2.0",
                        "id": null,
                        "method": BAD_MESSAGE,
                        "params": BadMessage { code, message },
                    });
                    if write_frame(&mut output, request.to_string().as_bytes())
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
            }
        }
        match input.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

async fn write_frame<W: AsyncWrite + Unpin>(output: &mut W, body: &[u8]) -> std::io::Result<()> {
    output
        .write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
        .await?;
    output.write_all(body).await?;
    output.flush().await
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Where the next message may start after garbage: the next
/// `Content-Length`, or (when there is none yet) all but a tail that could
/// be the start of one.
fn resync(buf: &[u8], from: usize) -> usize {
    let from = from.min(buf.len());
    match find(&buf[from..], b"Content-Length") {
        Some(at) => from + at,
        None => buf.len().saturating_sub(b"Content-Length".len()).max(from),
    }
}

fn next_step(buf: &[u8]) -> Step {
    const HEADER: &[u8] = b"Content-";
    if buf.is_empty() || (buf.len() < HEADER.len() && HEADER.starts_with(buf)) {
        return Step::Wait;
    }
    if !buf.starts_with(HEADER) {
        // Leftovers of a broken message (its error already went out).
        // Keep a tail that may be the start of the next header.
        let used = find(buf, HEADER).unwrap_or(buf.len().saturating_sub(HEADER.len() - 1));
        return if used == 0 {
            Step::Wait
        } else {
            Step::Skip { used }
        };
    }
    let Some(header_end) = find(buf, b"\r\n\r\n") else {
        if buf.len() > MAX_HEADER {
            return Step::Bad {
                used: resync(buf, 1),
                code: PARSE_ERROR,
                message: "no message header found".into(),
            };
        }
        return Step::Wait;
    };
    let header = &buf[..header_end];
    let body_start = header_end + 4;
    let length = std::str::from_utf8(header).ok().and_then(|h| {
        h.split("\r\n").find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
    });
    let length = match length {
        Some(n) if n <= MAX_BODY => n,
        _ => {
            return Step::Bad {
                used: resync(buf, body_start),
                code: PARSE_ERROR,
                message: "missing or invalid Content-Length header".into(),
            }
        }
    };
    if buf.len() < body_start + length {
        return Step::Wait;
    }
    let body = &buf[body_start..body_start + length];
    match check_body(body) {
        Ok(()) => Step::Pass {
            used: body_start + length,
            body: body.to_vec(),
        },
        Err((code, message)) => {
            // A Content-Length longer than its body swallowed the start of
            // the next message: pick up from its header.
            let used = match find(body, b"Content-Length") {
                Some(at) if code == PARSE_ERROR => body_start + at,
                _ => body_start + length,
            };
            Step::Bad {
                used,
                code,
                message,
            }
        }
    }
}

/// Present when the field is there, whatever its value (even `null`).
#[derive(Default)]
struct Present(bool);

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Present, D::Error> {
        IgnoredAny::deserialize(d)?;
        Ok(Present(true))
    }
}

/// Just enough of a message to tell whether it is one.
#[derive(Deserialize)]
struct Shape {
    #[serde(default)]
    jsonrpc: Option<String>,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    id: Present,
    #[serde(default)]
    result: Present,
    #[serde(default)]
    error: Present,
}

fn check_body(body: &[u8]) -> Result<(), (i64, String)> {
    let text = std::str::from_utf8(body)
        .map_err(|err| (PARSE_ERROR, format!("message is not UTF-8: {err}")))?;
    match serde_json::from_str::<Shape>(text) {
        Ok(shape) => {
            let request = shape.method.is_some();
            let response = shape.id.0 && (shape.result.0 || shape.error.0);
            if shape.jsonrpc.as_deref() == Some("2.0") && (request || response) {
                Ok(())
            } else {
                Err((INVALID_REQUEST, "not a JSON-RPC 2.0 message".into()))
            }
        }
        Err(err) if err.is_data() => {
            Err((INVALID_REQUEST, format!("not a JSON-RPC message: {err}")))
        }
        Err(err) => Err((PARSE_ERROR, format!("message is not JSON: {err}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    /// Runs the guard over `input` and returns the bodies it passes on.
    fn run(input: Vec<u8>) -> Vec<serde_json::Value> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let mut out = Vec::new();
        runtime.block_on(guard(&input[..], &mut out));
        let mut bodies = Vec::new();
        let mut rest = &out[..];
        while let Some(end) = find(rest, b"\r\n\r\n") {
            let header = std::str::from_utf8(&rest[..end]).expect("header");
            let n: usize = header["Content-Length: ".len()..].parse().expect("n");
            let body = &rest[end + 4..end + 4 + n];
            bodies.push(serde_json::from_slice(body).expect("json"));
            rest = &rest[end + 4 + n..];
        }
        bodies
    }

    #[test]
    fn good_messages_pass_and_broken_ones_become_errors_in_place() {
        let ok = r#"{"jsonrpc":"2.0","method":"$/note","params":{"t":"“Zoë” 🐟"}}"#;
        let mut input = frame(ok);
        input.extend(frame("{\"jsonrpc\": \"2.0\", \"id\": 1, "));
        input.extend(frame("[1, 2]"));
        input.extend(b"Content-Length: lots\r\n\r\ngarbage");
        input.extend(format!("Content-Length: {}\r\n\r\n{ok}", ok.len() + 30).as_bytes());
        input.extend(frame(ok));
        input.extend(b"Content-Type: application/vscode-jsonrpc; charset=latin1\r\n");
        input.extend(frame(r#"{"jsonrpc":"2.0","id":4,"result":null}"#));
        let bodies = run(input);
        let codes: Vec<_> = bodies
            .iter()
            .map(|b| match b["method"].as_str() {
                Some(BAD_MESSAGE) => b["params"]["code"].as_i64().unwrap_or(0),
                _ => 0,
            })
            .collect();
        // ok, parse error, invalid request, bad header, swallowed (parse
        // error) then the frame it swallowed, the response with an odd
        // Content-Type passed on.
        assert_eq!(codes, vec![0, -32700, -32600, -32700, -32700, 0, 0]);
        assert_eq!(bodies[0]["params"]["t"], "“Zoë” 🐟");
        assert_eq!(bodies[6]["id"], 4);
        assert_eq!(bodies[1]["id"], serde_json::Value::Null);
    }

    #[test]
    fn split_reads_and_huge_lengths() {
        assert_eq!(next_step(b"Content-Length: 10\r\n\r\n{\"a\""), Step::Wait);
        assert_eq!(next_step(b"Content-Len"), Step::Wait);
        assert_eq!(next_step(b"{}"), Step::Wait);
        assert_eq!(next_step(b"{}Content-"), Step::Skip { used: 2 });
        let huge = format!("Content-Length: {}\r\n\r\n{{}}", usize::MAX);
        assert!(matches!(next_step(huge.as_bytes()), Step::Bad { .. }));
    }
}
