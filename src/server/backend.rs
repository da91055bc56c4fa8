//! The seam between the protocol and the analysis: the [`Backend`] trait the
//! server calls, and the plain data it answers with.
//!
//! Everything here is `&str` plus UTF-8 byte offsets into that text; no LSP
//! type crosses this line. The server converts positions to offsets before a
//! call and offsets to the negotiated position encoding after it.

use std::ops::Range;
use std::path::PathBuf;

use crate::config::Settings;

/// How serious a finding is, before the writer's rule settings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

/// A place: in the draft being edited (`file: None`) or in a source file.
/// `range` is bytes into that file's contents as read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub file: Option<PathBuf>,
    pub range: Range<usize>,
}

impl Target {
    /// A place in the draft itself.
    pub fn here(range: Range<usize>) -> Target {
        Target { file: None, range }
    }

    /// A place in a source file.
    pub fn in_file(file: impl Into<PathBuf>, range: Range<usize>) -> Target {
        Target {
            file: Some(file.into()),
            range,
        }
    }
}

/// Something a check noticed in a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Bytes in the draft.
    pub range: Range<usize>,
    /// The rule's stable name, e.g. `misquote`; the key of `rules` settings.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// Supporting places, e.g. the source passage a quote came from.
    pub related: Vec<Related>,
}

/// A supporting place for a finding, with a line saying what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub target: Target,
    pub message: String,
}

/// A hover card: Markdown shown for the thing spanning `range` in the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverCard {
    pub range: Range<usize>,
    pub markdown: String,
}

/// What a highlighted span or a symbol stands for. The order is the order of
/// the semantic-token legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Person,
    Agency,
    Outlet,
    Place,
    Quote,
}

impl TokenKind {
    pub const ALL: [TokenKind; 5] = [
        TokenKind::Person,
        TokenKind::Agency,
        TokenKind::Outlet,
        TokenKind::Place,
        TokenKind::Quote,
    ];

    /// The custom semantic token type name editors theme against.
    pub fn name(self) -> &'static str {
        match self {
            TokenKind::Person => "person",
            TokenKind::Agency => "agency",
            TokenKind::Outlet => "outlet",
            TokenKind::Place => "place",
            TokenKind::Quote => "quote",
        }
    }
}

/// A highlighted span of the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub kind: TokenKind,
}

/// An entry of the draft's outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub kind: TokenKind,
    /// E.g. a role: "Director, Ministry of Fisheries".
    pub detail: Option<String>,
    /// Bytes in the draft (first mention).
    pub range: Range<usize>,
}

/// A workspace-wide search hit: an actor or quote somewhere in the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: TokenKind,
    /// E.g. the source's title.
    pub container: Option<String>,
    pub target: Target,
}

/// A completion proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionEntry {
    pub label: String,
    pub kind: TokenKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// Bytes in the draft the proposal replaces (typically the word typed
    /// so far) and the text that goes there.
    pub replace: Range<usize>,
    pub new_text: String,
}

/// A short note shown inline after a byte offset, e.g. a role after a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayNote {
    pub offset: usize,
    pub label: String,
    pub tooltip: Option<String>,
}

/// A command a quick fix runs instead of (or after) its edits, answered by
/// [`Backend::execute`]: e.g. `dossier.ignore` writing `dossier.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixCommand {
    /// The command id, one of [`COMMANDS`].
    pub name: String,
    /// JSON arguments passed back verbatim to [`Backend::execute`].
    pub arguments: serde_json::Value,
}

/// The commands the server advertises for `workspace/executeCommand`.
pub const COMMANDS: &[&str] = &["dossier.ignore"];

/// A quick fix: text edits to the draft, and/or a command to run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuickFix {
    pub title: String,
    /// Bytes in the draft and their replacement. Must not overlap.
    pub edits: Vec<(Range<usize>, String)>,
    /// The code of the finding this fixes, to link the fix to its diagnostic.
    pub fixes: Option<String>,
    /// The fix an editor may apply on "fix all"/auto-fix.
    pub preferred: bool,
    /// Run after the edits are applied (ignore actions have no edits).
    pub command: Option<FixCommand>,
}

/// What the analysis offers the server. Every method has a default that
/// answers "nothing", so a backend implements only what it knows.
///
/// Methods are called on a blocking thread, never while a lock is held, and
/// may take their time; `text` is a snapshot of the draft.
pub trait Backend: Send + Sync + 'static {
    /// (Re)builds the corpus for these settings. Called after `initialized`
    /// and again when the corpus settings or corpus files change; calls
    /// never overlap. `progress(done, total)` may be called any number of
    /// times. Returns a one-line summary for the editor ("412 actors from
    /// 12 sources").
    fn build(&self, settings: &Settings, progress: &dyn Fn(usize, usize)) -> String {
        let _ = (settings, progress);
        String::new()
    }

    /// The current settings (e.g. the attribution style): called before
    /// every build, and when settings change in a way that needs no rebuild,
    /// before open documents are re-checked.
    fn configure(&self, settings: &Settings) {
        let _ = settings;
    }

    /// The workspace root (where `dossier.toml` lives), told once after
    /// `initialize`.
    fn open_workspace(&self, root: Option<&std::path::Path>) {
        let _ = root;
    }

    /// Findings for a draft; `language` is the editor's language id.
    fn check(&self, text: &str, language: &str) -> Vec<Finding> {
        let _ = (text, language);
        Vec::new()
    }

    /// [`Backend::check`] for a draft saved at `file` (per-file ignores);
    /// what the server calls.
    fn check_file(
        &self,
        text: &str,
        language: &str,
        file: Option<&std::path::Path>,
    ) -> Vec<Finding> {
        let _ = file;
        self.check(text, language)
    }

    fn hover(&self, text: &str, offset: usize) -> Option<HoverCard> {
        let _ = (text, offset);
        None
    }

    /// Where the thing at `offset` comes from (the source passages).
    fn definition(&self, text: &str, offset: usize) -> Vec<Target> {
        let _ = (text, offset);
        Vec::new()
    }

    /// Every mention of the thing at `offset`, in the draft and the sources.
    fn references(&self, text: &str, offset: usize) -> Vec<Target> {
        let _ = (text, offset);
        Vec::new()
    }

    fn semantic_tokens(&self, text: &str) -> Vec<Token> {
        let _ = text;
        Vec::new()
    }

    fn document_symbols(&self, text: &str) -> Vec<Symbol> {
        let _ = text;
        Vec::new()
    }

    fn workspace_symbols(&self, query: &str) -> Vec<WorkspaceSymbol> {
        let _ = query;
        Vec::new()
    }

    fn completion(&self, text: &str, offset: usize) -> Vec<CompletionEntry> {
        let _ = (text, offset);
        Vec::new()
    }

    fn inlay_hints(&self, text: &str) -> Vec<InlayNote> {
        let _ = text;
        Vec::new()
    }

    /// Fixes for the findings overlapping `range` (bytes in the draft).
    /// A fix's command arguments, when a JSON object, get the draft's path
    /// added by the server as `"file"` (for per-file ignores).
    fn code_actions(&self, text: &str, range: Range<usize>, findings: &[Finding]) -> Vec<QuickFix> {
        let _ = (text, range, findings);
        Vec::new()
    }

    /// [`Backend::code_actions`] for a draft saved at `file`; what the
    /// server calls.
    fn code_actions_in_file(
        &self,
        text: &str,
        range: Range<usize>,
        findings: &[Finding],
        file: Option<&std::path::Path>,
    ) -> Vec<QuickFix> {
        let _ = file;
        self.code_actions(text, range, findings)
    }

    /// Runs a command a quick fix carried (`workspace/executeCommand`).
    /// `workspace_root` is where `dossier.toml` lives. An `Err` is shown to
    /// the writer. The server reloads settings and re-checks open documents
    /// after a success.
    fn execute(
        &self,
        command: &str,
        arguments: serde_json::Value,
        workspace_root: Option<&std::path::Path>,
    ) -> Result<(), String> {
        let _ = (arguments, workspace_root);
        Err(format!("unknown command {command}"))
    }
}
