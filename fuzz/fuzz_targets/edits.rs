//! Random edit scripts through the document store must give the same text
//! as the same edits applied to a `String`; every position conversion must
//! land on a character boundary inside the text.
#![no_main]

use dossier::document::{Document, DocumentStore, Edit, LineCol, PositionEncoding};
use libfuzzer_sys::fuzz_target;

const PIECES: &[&str] = &["a", "“", "”", "é", "🐟", "\r\n", "\n", "ʼ", "", "Zoë ", "\r"];

/// The UTF-16 or UTF-8 position of a byte offset, from the string alone.
fn position(text: &str, offset: usize, utf16: bool) -> LineCol {
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
    LineCol::new(line, col)
}

/// A valid LSP offset near `at`: a character boundary, not inside CRLF.
fn valid(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if at > 0 && text.as_bytes().get(at) == Some(&b'\n') && text.as_bytes()[at - 1] == b'\r' {
        at -= 1;
    }
    at
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, script)) = data.split_first() else {
        return;
    };
    let utf16 = first & 1 == 0;
    let encoding = if utf16 {
        PositionEncoding::Utf16
    } else {
        PositionEncoding::Utf8
    };
    let mut text = String::from("Zoë 🐟 said “no”.\r\nʼ\n");
    let mut store = DocumentStore::new();
    store.open("u", &text, 0, "markdown");
    for (version, chunk) in script.chunks(4).enumerate() {
        if chunk.len() < 4 {
            break;
        }
        let start = valid(&text, chunk[0] as usize * text.len() / 255);
        let end = valid(&text, start + chunk[1] as usize % 8).max(start);
        let piece = PIECES[chunk[2] as usize % PIECES.len()];
        let edit = Edit::Replace {
            start: position(&text, start, utf16),
            end: position(&text, end, utf16),
            text: piece.to_string(),
        };
        let skipped = store
            .change("u", version as i32 + 1, &[edit], encoding)
            .expect("open document");
        assert!(skipped.is_empty());
        text.replace_range(start..end, piece);
        // Arbitrary positions convert to boundaries inside the text.
        let doc: &Document = store.get("u").expect("open");
        let probe = LineCol::new(chunk[3] as u32 % 8, chunk[2] as u32 * 3);
        let offset = doc.offset_at(probe, encoding);
        assert!(offset <= text.len() && text.is_char_boundary(offset));
        let back = doc.position_of(chunk[3] as usize * 7, encoding);
        let again = doc.offset_at(back, encoding);
        assert!(again <= text.len() && text.is_char_boundary(again));
    }
    assert_eq!(&*store.get("u").expect("open").text(), text.as_str());
});
