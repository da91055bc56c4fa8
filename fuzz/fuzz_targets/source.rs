//! The source reader on any bytes, as .txt, .md and .html: nothing may
//! panic; sentences and paragraphs lie in the text on boundaries; the map
//! back to the file stays inside the file as decoded (bytes that are not
//! UTF-8 read as U+FFFD, three bytes each).
#![no_main]

use std::path::Path;

use dossier::corpus::article;
use dossier::corpus::source::read_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = String::from_utf8_lossy(data).len();
    for name in ["a.txt", "a.md", "a.html"] {
        let Ok(file) = read_bytes(Path::new(name), data.to_vec()) else {
            continue;
        };
        let text = &file.text;
        let parts = article::read(text);
        for r in parts
            .paragraphs
            .iter()
            .cloned()
            .chain(parts.sentences.iter().map(|s| s.range()))
        {
            assert!(r.start <= r.end && r.end <= text.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
        for offset in (0..=text.len()).step_by((text.len() / 13).max(1)) {
            let at = file.line_map.file_offset(offset);
            assert!(at <= decoded, "{at} past the file ({decoded})");
            let _ = file.line_map.line(offset);
        }
    }
});
