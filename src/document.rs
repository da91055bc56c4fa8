//! Open documents: the one place that touches ropey. A [`Document`] holds the
//! editor's text, version and language; [`DocumentStore`] keeps the open ones
//! and applies full and incremental edits in order.
//!
//! Positions here are plain line/column pairs ([`LineCol`]) counted in the
//! negotiated [`PositionEncoding`]; the server turns LSP types into these at
//! its edge, so nothing in this file knows about the protocol. Everything the
//! analysis sees is the text as `&str` plus UTF-8 byte offsets.
//!
//! Invariants: every conversion clamps instead of failing (a column past the
//! end of a line lands at the line end, before its line break; a line past the
//! last lands at the document end; a column inside a multi-byte character or
//! a surrogate pair rounds down to the character's start), and no function
//! here panics on any input.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use ropey::{Rope, RopeSlice};

/// How the client counts columns. LSP's default is UTF-16 code units; a
/// client may offer UTF-8 bytes, which we prefer because it is our native unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    Utf8,
    #[default]
    Utf16,
}

impl PositionEncoding {
    /// Width of one character in this encoding's units.
    fn units(self, c: char) -> usize {
        match self {
            PositionEncoding::Utf8 => c.len_utf8(),
            PositionEncoding::Utf16 => c.len_utf16(),
        }
    }
}

/// A zero-based line and a column counted in some [`PositionEncoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

impl LineCol {
    pub fn new(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }
}

/// One change sent by the editor, already stripped of protocol types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// The whole new text.
    Full(String),
    /// Replace `start..end` (positions in the text as it is when this edit
    /// applies, i.e. after the edits before it) with `text`.
    Replace {
        start: LineCol,
        end: LineCol,
        text: String,
    },
}

/// An open document. Cloning is cheap (the rope and the cached text are
/// shared), so a clone serves as an immutable snapshot for a request.
#[derive(Debug, Clone)]
pub struct Document {
    rope: Rope,
    version: i32,
    language_id: String,
    /// The text as one string, built on first use after each edit; analysis
    /// wants a contiguous `&str`, editing wants the rope.
    text: OnceLock<Arc<str>>,
}

impl Document {
    pub fn new(text: &str, version: i32, language_id: &str) -> Document {
        Document {
            rope: Rope::from_str(text),
            version,
            language_id: language_id.to_string(),
            text: OnceLock::new(),
        }
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn language_id(&self) -> &str {
        &self.language_id
    }

    /// Length of the text in bytes.
    pub fn len(&self) -> usize {
        self.rope.len_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.rope.len_bytes() == 0
    }

    /// The whole text, shared: cheap to hand to a blocking analysis thread.
    pub fn text(&self) -> Arc<str> {
        self.text
            .get_or_init(|| Arc::from(self.rope.to_string()))
            .clone()
    }

    /// Number of lines as LSP counts them: a text ending in a line break has
    /// an empty last line after it.
    pub fn line_count(&self) -> usize {
        self.rope.len_lines()
    }

    /// Byte offset of a position, clamped as the module docs describe.
    pub fn offset_at(&self, pos: LineCol, encoding: PositionEncoding) -> usize {
        let line = pos.line as usize;
        if line >= self.rope.len_lines() {
            return self.rope.len_bytes();
        }
        let line_start = self.rope.line_to_byte(line);
        let content = without_line_break(self.rope.line(line));
        let wanted = pos.col as usize;
        let mut units = 0usize;
        let mut bytes = 0usize;
        for c in content.chars() {
            let width = encoding.units(c);
            // A column inside this character rounds down to its start.
            if units + width > wanted {
                break;
            }
            units += width;
            bytes += c.len_utf8();
        }
        line_start + bytes
    }

    /// Position of a byte offset. Offsets past the end clamp to the end; an
    /// offset inside a character rounds down to the character's start.
    pub fn position_of(&self, offset: usize, encoding: PositionEncoding) -> LineCol {
        let offset = offset.min(self.rope.len_bytes());
        // byte_to_char gives the character containing the byte, which is the
        // round-down we want for offsets inside a multi-byte character.
        let char_idx = self.rope.byte_to_char(offset);
        let line = self.rope.char_to_line(char_idx);
        let line_start_char = self.rope.line_to_char(line);
        let col = match encoding {
            PositionEncoding::Utf8 => {
                self.rope.char_to_byte(char_idx) - self.rope.char_to_byte(line_start_char)
            }
            PositionEncoding::Utf16 => {
                self.rope.char_to_utf16_cu(char_idx) - self.rope.char_to_utf16_cu(line_start_char)
            }
        };
        LineCol {
            line: to_u32(line),
            col: to_u32(col),
        }
    }

    /// Byte offset rounded down to a character boundary and clamped to the
    /// text, so callers can slice safely with what they get back.
    pub fn clamp_offset(&self, offset: usize) -> usize {
        let offset = offset.min(self.rope.len_bytes());
        self.rope.char_to_byte(self.rope.byte_to_char(offset))
    }

    /// Byte offsets where each line starts, for callers that map many
    /// offsets at once.
    pub fn line_start(&self, line: usize) -> usize {
        if line >= self.rope.len_lines() {
            return self.rope.len_bytes();
        }
        self.rope.line_to_byte(line)
    }

    /// Applies one edit. A range whose end comes before its start is refused
    /// (the text is left as it was); out-of-range positions clamp.
    pub fn apply(&mut self, edit: &Edit, encoding: PositionEncoding) -> Result<(), EditError> {
        match edit {
            Edit::Full(text) => {
                self.rope = Rope::from_str(text);
            }
            Edit::Replace { start, end, text } => {
                let from = self.offset_at(*start, encoding);
                let to = self.offset_at(*end, encoding);
                if to < from {
                    return Err(EditError::ReversedRange {
                        start: *start,
                        end: *end,
                    });
                }
                self.replace(from..to, text);
            }
        }
        self.text = OnceLock::new();
        Ok(())
    }

    /// Replaces a byte range (rounded to character boundaries) with `text`.
    pub fn replace(&mut self, range: Range<usize>, text: &str) {
        let from = self.clamp_offset(range.start);
        let to = self.clamp_offset(range.end).max(from);
        let from_char = self.rope.byte_to_char(from);
        let to_char = self.rope.byte_to_char(to);
        self.rope.remove(from_char..to_char);
        self.rope.insert(from_char, text);
        self.text = OnceLock::new();
    }
}

/// The line's content without its trailing `\n`, `\r\n` or `\r`.
fn without_line_break(line: RopeSlice<'_>) -> RopeSlice<'_> {
    let len = line.len_chars();
    let mut end = len;
    if end > 0 && line.char(end - 1) == '\n' {
        end -= 1;
    }
    if end > 0 && line.char(end - 1) == '\r' {
        end -= 1;
    }
    line.slice(..end)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Why an edit or a change notification was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    ReversedRange { start: LineCol, end: LineCol },
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::ReversedRange { start, end } => write!(
                f,
                "edit range ends ({}:{}) before it starts ({}:{})",
                end.line, end.col, start.line, start.col
            ),
        }
    }
}

/// Why a change notification was refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeError {
    UnknownDocument,
    /// The version went backwards: an old or reordered notification.
    StaleVersion {
        current: i32,
        received: i32,
    },
}

impl fmt::Display for ChangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeError::UnknownDocument => write!(f, "the document is not open"),
            ChangeError::StaleVersion { current, received } => write!(
                f,
                "version {received} is older than the current version {current}"
            ),
        }
    }
}

/// The open documents, keyed by their URI as the editor spells it.
#[derive(Debug, Default)]
pub struct DocumentStore {
    documents: HashMap<String, Document>,
}

impl DocumentStore {
    pub fn new() -> DocumentStore {
        DocumentStore::default()
    }

    /// Opens (or reopens, replacing) a document.
    pub fn open(&mut self, uri: &str, text: &str, version: i32, language_id: &str) {
        self.documents
            .insert(uri.to_string(), Document::new(text, version, language_id));
    }

    /// Closes a document; false if it was not open.
    pub fn close(&mut self, uri: &str) -> bool {
        self.documents.remove(uri).is_some()
    }

    pub fn get(&self, uri: &str) -> Option<&Document> {
        self.documents.get(uri)
    }

    pub fn uris(&self) -> impl Iterator<Item = &str> {
        self.documents.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Applies a change notification's edits in order and sets the new
    /// version. An edit with a bad range is skipped and reported in the
    /// returned list while the others still apply; an unknown document or a
    /// version going backwards refuses the whole notification.
    pub fn change(
        &mut self,
        uri: &str,
        version: i32,
        edits: &[Edit],
        encoding: PositionEncoding,
    ) -> Result<Vec<EditError>, ChangeError> {
        let doc = self
            .documents
            .get_mut(uri)
            .ok_or(ChangeError::UnknownDocument)?;
        if version < doc.version {
            return Err(ChangeError::StaleVersion {
                current: doc.version,
                received: version,
            });
        }
        let mut skipped = Vec::new();
        for edit in edits {
            if let Err(err) = doc.apply(edit, encoding) {
                skipped.push(err);
            }
        }
        doc.version = version;
        Ok(skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::{Utf16, Utf8};

    fn lc(line: u32, col: u32) -> LineCol {
        LineCol::new(line, col)
    }

    #[test]
    fn surrogate_pair_and_crlf_offsets_in_utf16() {
        // "𐐀" is 4 bytes in UTF-8 and 2 code units in UTF-16.
        let doc = Document::new("a𐐀b\r\nc", 1, "plaintext");
        assert_eq!(doc.offset_at(lc(0, 0), Utf16), 0);
        assert_eq!(doc.offset_at(lc(0, 1), Utf16), 1);
        // Inside the surrogate pair: rounds down to the character's start.
        assert_eq!(doc.offset_at(lc(0, 2), Utf16), 1);
        assert_eq!(doc.offset_at(lc(0, 3), Utf16), 5);
        assert_eq!(doc.offset_at(lc(0, 4), Utf16), 6);
        // Past the line end: the line end, never into "\r\n".
        assert_eq!(doc.offset_at(lc(0, 5), Utf16), 6);
        assert_eq!(doc.offset_at(lc(0, 500), Utf16), 6);
        assert_eq!(doc.offset_at(lc(1, 0), Utf16), 8);
        assert_eq!(doc.offset_at(lc(1, 1), Utf16), 9);
        // Past the last line: the document end.
        assert_eq!(doc.offset_at(lc(7, 3), Utf16), 9);
        assert_eq!(doc.offset_at(lc(u32::MAX, u32::MAX), Utf16), 9);

        assert_eq!(doc.position_of(5, Utf16), lc(0, 3));
        assert_eq!(doc.position_of(3, Utf16), lc(0, 1)); // inside 𐐀
        assert_eq!(doc.position_of(8, Utf16), lc(1, 0));
        assert_eq!(doc.position_of(1_000, Utf16), lc(1, 1));
    }

    #[test]
    fn same_text_in_utf8_columns() {
        let doc = Document::new("a𐐀b\r\nc", 1, "plaintext");
        assert_eq!(doc.offset_at(lc(0, 1), Utf8), 1);
        assert_eq!(doc.offset_at(lc(0, 3), Utf8), 1); // inside 𐐀
        assert_eq!(doc.offset_at(lc(0, 5), Utf8), 5);
        assert_eq!(doc.offset_at(lc(0, 9), Utf8), 6);
        assert_eq!(doc.position_of(5, Utf8), lc(0, 5));
        assert_eq!(doc.position_of(9, Utf8), lc(1, 1));
    }

    #[test]
    fn lone_carriage_return_breaks_a_line() {
        let doc = Document::new("Kowalczyk said\ryes", 1, "plaintext");
        assert_eq!(doc.line_count(), 2);
        assert_eq!(doc.offset_at(lc(0, 99), Utf16), 14);
        assert_eq!(doc.offset_at(lc(1, 1), Utf16), 16);
        assert_eq!(doc.position_of(16, Utf16), lc(1, 1));
    }

    #[test]
    fn curly_quotes_apostrophe_and_emoji_columns() {
        // “ and ” are 3 bytes / 1 unit; ʼ is 2 bytes / 1 unit; 👩‍💻 is
        // woman + ZWJ + laptop: 11 bytes, 5 UTF-16 units.
        let text = "Zoë said “we’re ready” 👩‍💻 theyʼd";
        let doc = Document::new(text, 1, "markdown");
        let open = text.find('“').unwrap_or(0);
        assert_eq!(doc.position_of(open, Utf16), lc(0, 9));
        assert_eq!(doc.offset_at(lc(0, 9), Utf16), open);
        let close_end = text.find('”').unwrap_or(0) + '”'.len_utf8();
        assert_eq!(doc.position_of(close_end, Utf16), lc(0, 22));
        let emoji = text.find('👩').unwrap_or(0);
        assert_eq!(doc.position_of(emoji, Utf16), lc(0, 23));
        let after_emoji = emoji + "👩‍💻".len();
        assert_eq!(doc.position_of(after_emoji, Utf16), lc(0, 28));
        assert_eq!(doc.offset_at(lc(0, 28), Utf16), after_emoji);
        // Column 24 is the middle of 👩's surrogate pair.
        assert_eq!(doc.offset_at(lc(0, 24), Utf16), emoji);
        let apostrophe = text.find('ʼ').unwrap_or(0);
        assert_eq!(doc.offset_at(lc(0, 33), Utf16), apostrophe);
        assert_eq!(doc.offset_at(lc(0, 34), Utf16), apostrophe + 2);
    }

    #[test]
    fn offsets_inside_characters_round_down() {
        let doc = Document::new("Ministère “x”", 1, "plaintext");
        let e = "Ministère".find('è').unwrap_or(0);
        assert_eq!(doc.clamp_offset(e + 1), e);
        assert_eq!(doc.position_of(e + 1, Utf8), lc(0, e as u32));
        assert_eq!(doc.clamp_offset(10_000), doc.len());
    }

    #[test]
    fn incremental_edits_apply_in_order() {
        let mut store = DocumentStore::new();
        store.open(
            "file:///d.md",
            "Director Anna Kowalczyk\r\nsaid “no”.",
            1,
            "markdown",
        );
        let edits = [
            // "Anna" → "Ánna" (UTF-16 columns 9..10).
            Edit::Replace {
                start: lc(0, 9),
                end: lc(0, 10),
                text: "Á".into(),
            },
            // Positions refer to the text after the first edit.
            Edit::Replace {
                start: lc(1, 5),
                end: lc(1, 9),
                text: "“yes”".into(),
            },
        ];
        let skipped = store.change("file:///d.md", 2, &edits, Utf16);
        assert_eq!(skipped, Ok(vec![]));
        let doc = store.get("file:///d.md").expect("open");
        assert_eq!(&*doc.text(), "Director Ánna Kowalczyk\r\nsaid “yes”.");
        assert_eq!(doc.version(), 2);
    }

    #[test]
    fn full_change_replaces_text() {
        let mut store = DocumentStore::new();
        store.open("u", "old", 1, "plaintext");
        let result = store.change("u", 2, &[Edit::Full("new “text”".into())], Utf16);
        assert!(result.is_ok());
        assert_eq!(
            &*store.get("u").map(|d| d.text()).unwrap_or_default(),
            "new “text”"
        );
    }

    #[test]
    fn reversed_range_is_skipped_and_others_apply() {
        let mut store = DocumentStore::new();
        store.open("u", "abc", 1, "plaintext");
        let edits = [
            Edit::Replace {
                start: lc(0, 2),
                end: lc(0, 1),
                text: "X".into(),
            },
            Edit::Replace {
                start: lc(0, 3),
                end: lc(0, 3),
                text: "d".into(),
            },
        ];
        let skipped = store.change("u", 2, &edits, Utf16).unwrap_or_default();
        assert_eq!(skipped.len(), 1);
        assert_eq!(
            &*store.get("u").map(|d| d.text()).unwrap_or_default(),
            "abcd"
        );
    }

    #[test]
    fn unknown_document_and_backwards_version_are_refused() {
        let mut store = DocumentStore::new();
        assert_eq!(
            store.change("nope", 1, &[Edit::Full("x".into())], Utf16),
            Err(ChangeError::UnknownDocument)
        );
        store.open("u", "abc", 5, "plaintext");
        assert_eq!(
            store.change("u", 4, &[Edit::Full("x".into())], Utf16),
            Err(ChangeError::StaleVersion {
                current: 5,
                received: 4
            })
        );
        let doc = store.get("u").expect("open");
        assert_eq!((&*doc.text(), doc.version()), ("abc", 5));
    }

    #[test]
    fn out_of_range_edit_clamps_to_document_end() {
        let mut doc = Document::new("line\r\n", 1, "plaintext");
        let edit = Edit::Replace {
            start: lc(40, 2),
            end: lc(41, 0),
            text: "tail".into(),
        };
        assert!(doc.apply(&edit, Utf16).is_ok());
        assert_eq!(&*doc.text(), "line\r\ntail");
    }

    /// xorshift64*: small, deterministic, good enough to shake out edits.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            if n == 0 {
                0
            } else {
                (self.next() % n as u64) as usize
            }
        }
    }

    /// Line/column of a byte offset, computed straight from the string: the
    /// reference the rope-based conversion is checked against.
    fn naive_position(text: &str, offset: usize, encoding: PositionEncoding) -> LineCol {
        let mut line = 0u32;
        let mut col = 0u32;
        let mut chars = text[..offset].chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' if chars.peek() == Some(&'\n') => {}
                '\r' | '\n' => {
                    line += 1;
                    col = 0;
                }
                _ => col += encoding.units(c) as u32,
            }
        }
        LineCol::new(line, col)
    }

    /// A random char boundary that LSP can address (not between "\r" and "\n").
    fn random_offset(rng: &mut Rng, text: &str) -> usize {
        let mut at = rng.below(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        if at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n') {
            at -= 1;
        }
        at
    }

    #[test]
    fn random_edits_through_store_match_plain_string() {
        const PIECES: &[&str] = &[
            "a",
            "Kowalczyk",
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
            "Ministry of Fisheries",
            "",
        ];
        for (seed, encoding) in [
            (0x9E37_79B9_7F4A_7C15u64, Utf16),
            (0xD1B5_4A32_D192_ED03, Utf8),
        ] {
            let mut rng = Rng(seed);
            let mut expected = String::from("Director Anna Kowalczyk said “no”.\r\nZoë agreed.\n");
            let mut store = DocumentStore::new();
            store.open("file:///draft.md", &expected, 0, "markdown");
            for step in 1..=3_000 {
                let a = random_offset(&mut rng, &expected);
                let b = random_offset(&mut rng, &expected);
                let (from, to) = (a.min(b), a.max(b));
                let mut insert = String::new();
                for _ in 0..rng.below(4) {
                    insert.push_str(PIECES[rng.below(PIECES.len())]);
                }
                let edit = Edit::Replace {
                    start: naive_position(&expected, from, encoding),
                    end: naive_position(&expected, to, encoding),
                    text: insert.clone(),
                };
                let outcome = store.change("file:///draft.md", step, &[edit], encoding);
                assert_eq!(outcome, Ok(vec![]), "step {step}");
                expected.replace_range(from..to, &insert);
                let doc = store.get("file:///draft.md").expect("open");
                if step % 50 == 0 {
                    assert_eq!(&*doc.text(), expected.as_str(), "step {step}");
                    let probe = random_offset(&mut rng, &expected);
                    let pos = naive_position(&expected, probe, encoding);
                    assert_eq!(doc.position_of(probe, encoding), pos, "step {step}");
                    assert_eq!(doc.offset_at(pos, encoding), probe, "step {step}");
                }
            }
            let doc = store.get("file:///draft.md").expect("open");
            assert_eq!(&*doc.text(), expected.as_str());
        }
    }
}
