//! The input guard on any byte stream: it never panics, and everything it
//! passes on is a well-framed JSON-RPC message.
#![no_main]

use dossier::server::framing::guard;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let mut out = Vec::new();
    runtime.block_on(guard(data, &mut out));
    let mut rest = &out[..];
    while !rest.is_empty() {
        let end = rest
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header");
        let header = std::str::from_utf8(&rest[..end]).expect("ascii header");
        let n: usize = header
            .strip_prefix("Content-Length: ")
            .and_then(|v| v.parse().ok())
            .expect("a length");
        let body = &rest[end + 4..end + 4 + n];
        let value: serde_json::Value = serde_json::from_slice(body).expect("json");
        assert_eq!(value["jsonrpc"], "2.0");
        rest = &rest[end + 4 + n..];
    }
});
