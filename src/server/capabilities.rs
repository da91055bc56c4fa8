//! What the server tells the editor it can do, and what it learns from the
//! editor's capabilities (position encoding, dynamic registration, progress).

use tower_lsp::lsp_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    CompletionOptions, ExecuteCommandOptions, HoverProviderCapability, OneOf, PositionEncodingKind,
    SemanticTokenType, SemanticTokensFullOptions, SemanticTokensLegend, SemanticTokensOptions,
    SemanticTokensServerCapabilities, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions,
};

use crate::document::PositionEncoding;
use crate::server::backend::{TokenKind, COMMANDS};

/// UTF-8 when the client offers it (no conversion needed on our side), else
/// the protocol's default UTF-16.
pub fn negotiate_encoding(caps: &ClientCapabilities) -> PositionEncoding {
    let offered = caps
        .general
        .as_ref()
        .and_then(|general| general.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => PositionEncoding::Utf8,
        _ => PositionEncoding::Utf16,
    }
}

pub fn encoding_kind(encoding: PositionEncoding) -> PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
    }
}

/// The semantic token legend: one custom type per [`TokenKind`], in order.
pub fn semantic_legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TokenKind::ALL
            .iter()
            .map(|kind| SemanticTokenType::new(kind.name()))
            .collect(),
        token_modifiers: Vec::new(),
    }
}

pub fn server_capabilities(encoding: PositionEncoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding_kind(encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        // No trigger characters: editors already ask while a word is typed.
        completion_provider: Some(CompletionOptions::default()),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        inlay_hint_provider: Some(OneOf::Left(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: COMMANDS.iter().map(|c| c.to_string()).collect(),
            ..ExecuteCommandOptions::default()
        }),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: semantic_legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                ..SemanticTokensOptions::default()
            },
        )),
        ..ServerCapabilities::default()
    }
}

/// The client features the server adapts to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientSupport {
    /// `window/workDoneProgress/create` may be sent.
    pub work_done_progress: bool,
    /// `workspace/didChangeWatchedFiles` may be registered at run time.
    pub watch_files: bool,
    /// File watchers may use `RelativePattern`.
    pub relative_patterns: bool,
    /// `workspace/configuration` may be asked.
    pub pull_configuration: bool,
}

impl ClientSupport {
    pub fn from_capabilities(caps: &ClientCapabilities) -> ClientSupport {
        let watch = caps
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref());
        ClientSupport {
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            watch_files: watch.and_then(|w| w.dynamic_registration).unwrap_or(false),
            relative_patterns: watch
                .and_then(|w| w.relative_pattern_support)
                .unwrap_or(false),
            pull_configuration: caps
                .workspace
                .as_ref()
                .and_then(|w| w.configuration)
                .unwrap_or(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp::lsp_types::GeneralClientCapabilities;

    fn offering(kinds: Vec<PositionEncodingKind>) -> ClientCapabilities {
        ClientCapabilities {
            general: Some(GeneralClientCapabilities {
                position_encodings: Some(kinds),
                ..GeneralClientCapabilities::default()
            }),
            ..ClientCapabilities::default()
        }
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        let both = offering(vec![
            PositionEncodingKind::UTF16,
            PositionEncodingKind::UTF8,
        ]);
        assert_eq!(negotiate_encoding(&both), PositionEncoding::Utf8);
        let utf16 = offering(vec![PositionEncodingKind::UTF16]);
        assert_eq!(negotiate_encoding(&utf16), PositionEncoding::Utf16);
        let utf32 = offering(vec![PositionEncodingKind::UTF32]);
        assert_eq!(negotiate_encoding(&utf32), PositionEncoding::Utf16);
        assert_eq!(
            negotiate_encoding(&ClientCapabilities::default()),
            PositionEncoding::Utf16
        );
    }

    #[test]
    fn legend_lists_actor_kinds_in_token_order() {
        let names: Vec<String> = semantic_legend()
            .token_types
            .iter()
            .map(|t| t.as_str().to_string())
            .collect();
        assert_eq!(names, ["person", "agency", "outlet", "place", "quote"]);
    }
}
