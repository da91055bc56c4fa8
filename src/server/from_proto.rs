//! LSP types in, plain positions and byte offsets out. Every conversion
//! clamps (see `document.rs`), so a request with a position far past the end
//! of the text still gets an answer.

use std::ops::Range;
use std::path::PathBuf;

use tower_lsp::lsp_types::{self as lsp, TextDocumentContentChangeEvent, Url};

use crate::document::{Document, Edit, LineCol, PositionEncoding};

pub fn line_col(position: lsp::Position) -> LineCol {
    LineCol::new(position.line, position.character)
}

/// Byte offset of an LSP position in `doc`.
pub fn offset(doc: &Document, position: lsp::Position, encoding: PositionEncoding) -> usize {
    doc.offset_at(line_col(position), encoding)
}

/// Byte range of an LSP range; a reversed range is put in order, since
/// for a request there is no harm in reading it either way.
pub fn byte_range(doc: &Document, range: lsp::Range, encoding: PositionEncoding) -> Range<usize> {
    let start = offset(doc, range.start, encoding);
    let end = offset(doc, range.end, encoding);
    start.min(end)..start.max(end)
}

/// One content change as a plain edit; it is resolved against the text
/// only when applied, since each change's positions refer to the text left
/// by the changes before it.
pub fn edit(change: TextDocumentContentChangeEvent) -> Edit {
    match change.range {
        None => Edit::Full(change.text),
        Some(range) => Edit::Replace {
            start: line_col(range.start),
            end: line_col(range.end),
            text: change.text,
        },
    }
}

/// The local file behind a `file:` URI.
pub fn file_path(uri: &Url) -> Option<PathBuf> {
    if uri.scheme() == "file" {
        uri.to_file_path().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> lsp::Position {
        lsp::Position::new(line, character)
    }

    #[test]
    fn positions_far_out_of_range_clamp_to_text() {
        let doc = Document::new("Zoë Ångström\r\nsaid “hi”", 1, "markdown");
        let enc = PositionEncoding::Utf16;
        assert_eq!(offset(&doc, pos(0, 900), enc), "Zoë Ångström".len());
        assert_eq!(offset(&doc, pos(900, 0), enc), doc.len());
        let range = lsp::Range::new(pos(9, 9), pos(0, 4));
        assert_eq!(byte_range(&doc, range, enc), "Zoë ".len()..doc.len());
    }

    #[test]
    fn change_events_become_edits() {
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "all".into(),
        };
        assert_eq!(edit(full), Edit::Full("all".into()));
        let part = TextDocumentContentChangeEvent {
            range: Some(lsp::Range::new(pos(1, 2), pos(1, 4))),
            range_length: Some(2),
            text: "“".into(),
        };
        assert_eq!(
            edit(part),
            Edit::Replace {
                start: LineCol::new(1, 2),
                end: LineCol::new(1, 4),
                text: "“".into()
            }
        );
    }
}
