//! Plain analysis results in, LSP types out. Byte offsets become positions
//! in the negotiated encoding here and nowhere else.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use tower_lsp::lsp_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem,
    CompletionItemKind, CompletionTextEdit, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, DocumentSymbol, Documentation, Hover, HoverContents, InlayHint,
    InlayHintLabel, InlayHintTooltip, Location, MarkupContent, MarkupKind, NumberOrString,
    SemanticToken, SymbolInformation, SymbolKind, TextEdit, Url, WorkspaceEdit,
};

use crate::config::RuleLevel;
use crate::document::{Document, LineCol, PositionEncoding};
use crate::server::backend::{
    CompletionEntry, Finding, HoverCard, InlayNote, QuickFix, Severity, Symbol, Target, Token,
    TokenKind, WorkspaceSymbol,
};

pub fn position(doc: &Document, offset: usize, encoding: PositionEncoding) -> lsp::Position {
    let LineCol { line, col } = doc.position_of(offset, encoding);
    lsp::Position::new(line, col)
}

pub fn range(doc: &Document, bytes: &Range<usize>, encoding: PositionEncoding) -> lsp::Range {
    let start = position(doc, bytes.start, encoding);
    let end = position(doc, bytes.end.max(bytes.start), encoding);
    lsp::Range::new(start, end)
}

/// The finding's own severity, or the writer's override; `None` when the
/// writer turned the rule off.
pub fn severity(finding: &Finding, level: Option<RuleLevel>) -> Option<DiagnosticSeverity> {
    Some(match RuleLevel::apply(level, finding.severity)? {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    })
}

/// Turns [`Target`]s into LSP locations: the draft by its URI, source files
/// by path, read once per request (or taken from the editor when open, so
/// unsaved text still lines up).
pub struct Locator<'a> {
    draft: Option<(&'a Url, &'a Document)>,
    encoding: PositionEncoding,
    open: &'a dyn Fn(&Url) -> Option<Document>,
    files: HashMap<PathBuf, Option<Document>>,
}

impl<'a> Locator<'a> {
    /// `open` looks up a document the editor has open.
    pub fn new(
        encoding: PositionEncoding,
        open: &'a dyn Fn(&Url) -> Option<Document>,
    ) -> Locator<'a> {
        Locator {
            draft: None,
            encoding,
            open,
            files: HashMap::new(),
        }
    }

    /// Resolves `Target::here` against this draft.
    pub fn with_draft(mut self, uri: &'a Url, doc: &'a Document) -> Locator<'a> {
        self.draft = Some((uri, doc));
        self
    }

    pub fn location(&mut self, target: &Target) -> Option<Location> {
        let Some(path) = &target.file else {
            let (uri, doc) = self.draft?;
            return Some(Location::new(
                uri.clone(),
                range(doc, &target.range, self.encoding),
            ));
        };
        let uri = Url::from_file_path(path).ok()?;
        let doc = self
            .files
            .entry(path.clone())
            .or_insert_with(|| (self.open)(&uri).or_else(|| read_file(path)));
        let span = match doc {
            Some(doc) => range(doc, &target.range, self.encoding),
            // Unreadable right now: still point at the file.
            None => lsp::Range::default(),
        };
        Some(Location::new(uri, span))
    }
}

fn read_file(path: &Path) -> Option<Document> {
    let bytes = std::fs::read(path).ok()?;
    Some(Document::new(&String::from_utf8_lossy(&bytes), 0, ""))
}

pub fn diagnostic(
    doc: &Document,
    finding: &Finding,
    severity: DiagnosticSeverity,
    locator: &mut Locator<'_>,
    encoding: PositionEncoding,
) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .filter_map(|related| {
            Some(DiagnosticRelatedInformation {
                location: locator.location(&related.target)?,
                message: related.message.clone(),
            })
        })
        .collect();
    Diagnostic {
        range: range(doc, &finding.range, encoding),
        severity: Some(severity),
        code: Some(NumberOrString::String(finding.code.clone())),
        source: Some("dossier".to_string()),
        message: finding.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}

pub fn hover(doc: &Document, card: HoverCard, encoding: PositionEncoding) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: card.markdown,
        }),
        range: Some(range(doc, &card.range, encoding)),
    }
}

/// Semantic tokens, delta-encoded. Overlapping tokens after the first are
/// dropped and a token crossing a line break is split per line, since the
/// protocol allows neither.
pub fn semantic_tokens(
    doc: &Document,
    mut tokens: Vec<Token>,
    encoding: PositionEncoding,
) -> Vec<SemanticToken> {
    tokens.sort_by_key(|t| (t.range.start, t.range.end));
    let mut out = Vec::with_capacity(tokens.len());
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    let mut covered_to = 0usize;
    for token in tokens {
        let start = doc.clamp_offset(token.range.start);
        let end = doc.clamp_offset(token.range.end);
        if start >= end || start < covered_to {
            continue;
        }
        covered_to = end;
        let first = doc.position_of(start, encoding);
        let last = doc.position_of(end, encoding);
        for line in first.line..=last.line {
            let from = if line == first.line { first.col } else { 0 };
            let to = if line == last.line {
                last.col
            } else {
                doc.position_of(
                    doc.offset_at(LineCol::new(line, u32::MAX), encoding),
                    encoding,
                )
                .col
            };
            if to <= from {
                continue;
            }
            let delta_line = line - prev_line;
            let delta_start = if delta_line == 0 {
                from - prev_col
            } else {
                from
            };
            out.push(SemanticToken {
                delta_line,
                delta_start,
                length: to - from,
                token_type: token_type(token.kind),
                token_modifiers_bitset: 0,
            });
            prev_line = line;
            prev_col = from;
        }
    }
    out
}

fn token_type(kind: TokenKind) -> u32 {
    TokenKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u32
}

fn symbol_kind(kind: TokenKind) -> SymbolKind {
    match kind {
        TokenKind::Person => SymbolKind::OBJECT,
        TokenKind::Agency => SymbolKind::NAMESPACE,
        TokenKind::Outlet => SymbolKind::PACKAGE,
        TokenKind::Place => SymbolKind::CONSTANT,
        TokenKind::Quote => SymbolKind::STRING,
    }
}

fn completion_kind(kind: TokenKind) -> CompletionItemKind {
    match kind {
        TokenKind::Person => CompletionItemKind::VALUE,
        TokenKind::Agency => CompletionItemKind::MODULE,
        TokenKind::Outlet => CompletionItemKind::REFERENCE,
        TokenKind::Place => CompletionItemKind::CONSTANT,
        TokenKind::Quote => CompletionItemKind::TEXT,
    }
}

pub fn document_symbol(
    doc: &Document,
    symbol: Symbol,
    encoding: PositionEncoding,
) -> DocumentSymbol {
    let span = range(doc, &symbol.range, encoding);
    #[allow(deprecated)] // `deprecated` must still be written out.
    DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: span,
        selection_range: span,
        children: None,
    }
}

pub fn workspace_symbol(
    symbol: WorkspaceSymbol,
    locator: &mut Locator<'_>,
) -> Option<SymbolInformation> {
    #[allow(deprecated)] // `deprecated` must still be written out.
    Some(SymbolInformation {
        name: symbol.name,
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        location: locator.location(&symbol.target)?,
        container_name: symbol.container,
    })
}

pub fn completion_item(
    doc: &Document,
    entry: CompletionEntry,
    encoding: PositionEncoding,
) -> CompletionItem {
    CompletionItem {
        label: entry.label,
        kind: Some(completion_kind(entry.kind)),
        detail: entry.detail,
        documentation: entry.documentation.map(|value| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            })
        }),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            range(doc, &entry.replace, encoding),
            entry.new_text,
        ))),
        ..CompletionItem::default()
    }
}

pub fn inlay_hint(doc: &Document, note: InlayNote, encoding: PositionEncoding) -> InlayHint {
    InlayHint {
        position: position(doc, note.offset, encoding),
        label: InlayHintLabel::String(note.label),
        kind: None,
        text_edits: None,
        tooltip: note.tooltip.map(InlayHintTooltip::String),
        padding_left: Some(true),
        padding_right: None,
        data: None,
    }
}

/// A quick fix as a code action editing the draft; `diagnostics` are the
/// editor's diagnostics in the request, linked when their code matches.
pub fn code_action(
    uri: &Url,
    doc: &Document,
    fix: QuickFix,
    diagnostics: &[Diagnostic],
    encoding: PositionEncoding,
) -> CodeActionOrCommand {
    let edits: Vec<TextEdit> = fix
        .edits
        .iter()
        .map(|(bytes, text)| TextEdit::new(range(doc, bytes, encoding), text.clone()))
        .collect();
    let linked: Vec<Diagnostic> = match &fix.fixes {
        Some(code) => diagnostics
            .iter()
            .filter(|d| d.code.as_ref() == Some(&NumberOrString::String(code.clone())))
            .cloned()
            .collect(),
        None => Vec::new(),
    };
    let command = fix.command.map(|command| {
        let mut arguments = command.arguments;
        // Per-file actions need the draft's path, which only the server knows.
        if let (Some(object), Some(path)) = (arguments.as_object_mut(), uri.to_file_path().ok()) {
            object
                .entry("file")
                .or_insert_with(|| serde_json::Value::String(path.to_string_lossy().into_owned()));
        }
        lsp::Command {
            title: fix.title.clone(),
            command: command.name,
            arguments: Some(vec![arguments]),
        }
    });
    CodeActionOrCommand::CodeAction(CodeAction {
        title: fix.title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: (!linked.is_empty()).then_some(linked),
        edit: (!edits.is_empty()).then(|| WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }),
        command,
        is_preferred: fix.preferred.then_some(true),
        ..CodeAction::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_at_line_breaks_and_count_utf16_units() {
        // “Ránk” spans a CRLF; 👩‍💻 before it shifts UTF-16 columns by 5.
        let text = "👩‍💻 “Rá\r\nnk” Ministry";
        let doc = Document::new(text, 1, "markdown");
        let quote_start = text.find('“').unwrap_or(0);
        let quote_end = text.find('”').unwrap_or(0) + '”'.len_utf8();
        let ministry = text.find("Ministry").unwrap_or(0);
        let tokens = vec![
            Token {
                range: ministry..ministry + 8,
                kind: TokenKind::Agency,
            },
            Token {
                range: quote_start..quote_end,
                kind: TokenKind::Quote,
            },
            // Overlaps the quote: dropped.
            Token {
                range: quote_start + 3..quote_start + 5,
                kind: TokenKind::Person,
            },
        ];
        let encoded = semantic_tokens(&doc, tokens, PositionEncoding::Utf16);
        let plain: Vec<(u32, u32, u32, u32)> = encoded
            .iter()
            .map(|t| (t.delta_line, t.delta_start, t.length, t.token_type))
            .collect();
        assert_eq!(plain, vec![(0, 6, 3, 4), (1, 0, 3, 4), (0, 4, 8, 1)]);
    }

    #[test]
    fn rule_off_drops_and_override_changes_severity() {
        let finding = Finding {
            range: 0..1,
            code: "name-variant".into(),
            severity: Severity::Warning,
            message: "m".into(),
            related: vec![],
        };
        assert_eq!(severity(&finding, None), Some(DiagnosticSeverity::WARNING));
        assert_eq!(
            severity(&finding, Some(RuleLevel::Error)),
            Some(DiagnosticSeverity::ERROR)
        );
        assert_eq!(severity(&finding, Some(RuleLevel::Off)), None);
    }

    #[test]
    fn targets_in_source_files_use_that_files_lines() {
        let dir = tempfile::tempdir().expect("tempdir");
        let source = dir.path().join("fisheries.txt");
        let text = "Ministry of Fisheries\r\nDirector Ánna Kowalczyk said “no”.";
        std::fs::write(&source, text).expect("write");
        let draft = Document::new("draft", 1, "markdown");
        let draft_uri = Url::parse("file:///draft.md").expect("url");
        let none = |_: &Url| None;
        let mut locator =
            Locator::new(PositionEncoding::Utf16, &none).with_draft(&draft_uri, &draft);
        let start = text.find("Kowalczyk").unwrap_or(0);
        let location = locator
            .location(&Target::in_file(&source, start..start + 9))
            .expect("location");
        assert_eq!(Url::from_file_path(&source).ok(), Some(location.uri));
        assert_eq!(location.range.start, lsp::Position::new(1, 14));
        assert_eq!(location.range.end, lsp::Position::new(1, 23));
        let here = locator.location(&Target::here(1..99)).expect("draft");
        assert_eq!(here.uri, draft_uri);
        assert_eq!(here.range.end, lsp::Position::new(0, 5));
    }
}
