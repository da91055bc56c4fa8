//! The LSP layer: `impl LanguageServer`. Each handler converts protocol
//! positions to byte offsets (`from_proto`), asks the [`Backend`] on a
//! blocking thread, and converts the plain answer back (`to_proto`).
//!
//! Invariants:
//! - Only this module and `server/` name `tower_lsp` / `lsp_types`; the
//!   backend sees `&str` and byte offsets.
//! - Document edits are applied under a `std::sync::Mutex` before the
//!   handler's first `.await`, so they land in the order the editor sent
//!   them although tower-lsp runs handlers concurrently.
//! - Nothing the editor sends can panic the server: unknown documents get
//!   an empty answer, bad edits are logged and skipped, positions clamp.
//! - Logs go to stderr and `window/logMessage`; stdout carries the protocol.

pub mod backend;
pub mod capabilities;
pub mod framing;
pub mod from_proto;
pub mod progress;
pub mod state;
pub mod to_proto;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::Notify;
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer, LspService, Server};

pub use backend::{
    Backend, CompletionEntry, Finding, FixCommand, HoverCard, InlayNote, QuickFix, Related,
    Severity, Symbol, Target, Token, TokenKind, WorkspaceSymbol, COMMANDS,
};

use crate::document::{Document, PositionEncoding};
use state::{lock, Session, State};

/// How `dossier lsp` was started.
#[derive(Clone)]
pub struct ServerOptions {
    /// The analysis behind the protocol.
    pub backend: Arc<dyn Backend>,
    /// `--corpus DIR` folders, added to the configured ones. Relative
    /// folders are taken from the current directory.
    pub corpus: Vec<PathBuf>,
    /// `--no-default-corpus`: leave the built-in sample articles out,
    /// whatever the settings say.
    pub no_default_corpus: bool,
    /// Pause between an edit and the check it starts. Zero (the default)
    /// checks at once: checks are coalesced instead (one at a time per
    /// document, the next on the newest text), so a burst of keystrokes
    /// costs at most one stale check. A pause only helps a slow backend.
    pub check_delay: Duration,
}

impl ServerOptions {
    pub fn new(backend: Arc<dyn Backend>) -> ServerOptions {
        ServerOptions {
            backend,
            corpus: Vec::new(),
            no_default_corpus: false,
            check_delay: Duration::ZERO,
        }
    }
}

/// Serves LSP over stdin/stdout until the editor says `exit` or closes the
/// pipe. Call from inside a tokio runtime. Returns whether the editor asked
/// for `shutdown` first (the LSP exit code is 0 then, 1 otherwise).
pub async fn serve_stdio(options: ServerOptions) -> bool {
    serve(tokio::io::stdin(), tokio::io::stdout(), options).await
}

/// [`serve_stdio`] on its own multi-threaded tokio runtime: what `main`
/// calls for `dossier lsp`.
pub fn run_stdio(options: ServerOptions) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("dossier: cannot start the language server: {err}");
            return ExitCode::FAILURE;
        }
    };
    let clean = runtime.block_on(serve_stdio(options));
    // Background checks and builds may still be running; don't wait.
    runtime.shutdown_background();
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Serves LSP over any byte streams (stdio, or an in-memory pipe in tests)
/// until `exit` or the end of input. Returns whether `shutdown` came first.
pub async fn serve<I, O>(input: I, output: O, mut options: ServerOptions) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    // A source that breaks while the server runs keeps its last good
    // version, and its problem is shown once.
    crate::corpus::source::remember_loads();
    if let Ok(cwd) = std::env::current_dir() {
        options.corpus = options.corpus.iter().map(|dir| cwd.join(dir)).collect();
    }
    let (service, socket) = LspService::build(|client| DossierServer::new(client, options))
        .custom_method(framing::BAD_MESSAGE, DossierServer::bad_message)
        .finish();
    let watch = ExitWatch {
        inner: service,
        exited: Arc::new(Notify::new()),
        shutdown: Arc::new(AtomicBool::new(false)),
    };
    let (exited, shutdown) = (watch.exited.clone(), watch.shutdown.clone());
    // tower-lsp only notices `exit` when the next message arrives, so watch
    // for it here and stop at once, as the protocol asks.
    // Broken messages are answered with an error instead of ending the
    // session (see `framing`).
    let (guarded_in, guarded_out) = tokio::io::duplex(1 << 20);
    let serving = async {
        tokio::join!(
            framing::guard(input, guarded_in),
            Server::new(guarded_out, output, socket).serve(watch)
        )
    };
    tokio::select! {
        _ = serving => {}
        _ = exited.notified() => {}
    }
    shutdown.load(Ordering::SeqCst)
}

/// Passes messages through to the server, noting `shutdown` and `exit`.
struct ExitWatch<S> {
    inner: S,
    exited: Arc<Notify>,
    shutdown: Arc<AtomicBool>,
}

impl<S> tower_service::Service<tower_lsp::jsonrpc::Request> for ExitWatch<S>
where
    S: tower_service::Service<tower_lsp::jsonrpc::Request>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::result::Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: tower_lsp::jsonrpc::Request) -> S::Future {
        match request.method() {
            "shutdown" => self.shutdown.store(true, Ordering::SeqCst),
            "exit" => self.exited.notify_one(),
            _ => {}
        }
        self.inner.call(request)
    }
}

/// The language server proper.
pub struct DossierServer {
    state: Arc<State>,
}

impl DossierServer {
    pub fn new(client: Client, options: ServerOptions) -> DossierServer {
        DossierServer {
            state: Arc::new(State::new(client, options)),
        }
    }

    /// A snapshot of the document and the encoding to read positions in;
    /// `None` for a document not open or too large to analyse.
    fn snapshot(&self, uri: &Url) -> Option<(Document, PositionEncoding)> {
        let doc = self.state.document(uri)?;
        if self.state.too_large(uri, &doc) {
            return None;
        }
        Some((doc, self.state.encoding()))
    }

    /// Runs analysis off the async threads; a panic in the backend is
    /// logged and answered with nothing.
    async fn blocking<T, F>(&self, job: F) -> T
    where
        T: Default + Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        match tokio::task::spawn_blocking(job).await {
            Ok(answer) => answer,
            Err(err) => {
                self.state
                    .log(MessageType::ERROR, format!("analysis failed: {err}"));
                T::default()
            }
        }
    }

    /// Answers a message the input guard found broken with the protocol's
    /// error for it, and logs it; the session goes on.
    async fn bad_message(&self, params: framing::BadMessage) -> Result<()> {
        self.state.log(
            MessageType::WARNING,
            format!("ignored a broken message: {}", params.message),
        );
        Err(tower_lsp::jsonrpc::Error {
            code: tower_lsp::jsonrpc::ErrorCode::from(params.code),
            message: params.message.into(),
            data: None,
        })
    }

    /// Resolves targets (draft or source files) to locations off-thread,
    /// since source files may have to be read.
    async fn locations(
        &self,
        uri: Url,
        doc: Document,
        encoding: PositionEncoding,
        targets: Vec<Target>,
    ) -> Vec<Location> {
        let state = self.state.clone();
        self.blocking(move || {
            let open = |u: &Url| state.document(u);
            let mut locator = to_proto::Locator::new(encoding, &open).with_draft(&uri, &doc);
            targets.iter().filter_map(|t| locator.location(t)).collect()
        })
        .await
    }
}

fn root_folder(params: &InitializeParams) -> Option<PathBuf> {
    let from_folders = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .and_then(|folder| from_proto::file_path(&folder.uri));
    from_folders.or_else(|| params.root_uri.as_ref().and_then(from_proto::file_path))
}

#[tower_lsp::async_trait]
impl LanguageServer for DossierServer {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = capabilities::negotiate_encoding(&params.capabilities);
        self.state.set_session(Session {
            encoding,
            root: root_folder(&params),
            support: capabilities::ClientSupport::from_capabilities(&params.capabilities),
        });
        // Settings are ready before the first document opens; building the
        // corpus waits for `initialized` so this answer is immediate.
        self.state.load_project_file();
        if let Some(options) = &params.initialization_options {
            self.state.set_editor_settings(options);
        }
        // No reaction yet (watchers, builds): the editor may not be sent
        // requests before it has this answer.
        self.state.refresh_settings();
        Ok(InitializeResult {
            capabilities: capabilities::server_capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "dossier".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let state = self.state.clone();
        tokio::spawn(async move {
            let (backend, root) = (state.backend.clone(), state.session().root);
            let _ =
                tokio::task::spawn_blocking(move || backend.open_workspace(root.as_deref())).await;
            state.pull_configuration().await;
            state.refresh_settings();
            state.register_watchers().await;
            state.request_rebuild();
        });
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        lock(&self.state.docs).open(doc.uri.as_str(), &doc.text, doc.version, &doc.language_id);
        self.state.schedule_check(doc.uri, Duration::ZERO);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let edits: Vec<_> = params
            .content_changes
            .into_iter()
            .map(from_proto::edit)
            .collect();
        // Applied before any await: see the module invariants.
        let outcome =
            lock(&self.state.docs).change(uri.as_str(), version, &edits, self.state.encoding());
        match outcome {
            Ok(skipped) => {
                for err in skipped {
                    self.state.log(
                        MessageType::WARNING,
                        format!("skipped an edit to {uri} (version {version}): {err}"),
                    );
                }
                self.state.schedule_check(uri, self.state.check_delay());
            }
            Err(err) => self.state.log(
                MessageType::WARNING,
                format!("ignored a change to {uri} (version {version}): {err}"),
            ),
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let was_open = lock(&self.state.docs).close(uri.as_str());
        self.state.forget(&uri);
        if was_open {
            self.state
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        // A null payload is the "pull model": the editor wants to be asked.
        if params.settings.is_null() {
            self.state.pull_configuration().await;
        } else if !self.state.set_editor_settings(&params.settings) {
            return;
        }
        self.state.settings_changed().await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut project_file = false;
        let mut sources = false;
        for change in &params.changes {
            match from_proto::file_path(&change.uri) {
                Some(path) if self.state.is_project_file(&path) => project_file = true,
                _ => sources = true,
            }
        }
        if project_file {
            self.state.load_project_file();
            self.state.settings_changed().await;
        }
        if sources {
            self.state.request_rebuild();
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let Some((doc, encoding)) = self.snapshot(&at.text_document.uri) else {
            return Ok(None);
        };
        let offset = from_proto::offset(&doc, at.position, encoding);
        let (backend, text) = (self.state.backend.clone(), doc.text());
        let card = self.blocking(move || backend.hover(&text, offset)).await;
        Ok(card.map(|card| to_proto::hover(&doc, card, encoding)))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let uri = at.text_document.uri;
        let Some((doc, encoding)) = self.snapshot(&uri) else {
            return Ok(None);
        };
        let offset = from_proto::offset(&doc, at.position, encoding);
        let (backend, text) = (self.state.backend.clone(), doc.text());
        let targets = self
            .blocking(move || backend.definition(&text, offset))
            .await;
        let locations = self.locations(uri, doc, encoding, targets).await;
        Ok(Some(GotoDefinitionResponse::Array(locations)))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = params.text_document_position;
        let uri = at.text_document.uri;
        let Some((doc, encoding)) = self.snapshot(&uri) else {
            return Ok(None);
        };
        let offset = from_proto::offset(&doc, at.position, encoding);
        let (backend, text) = (self.state.backend.clone(), doc.text());
        let targets = self
            .blocking(move || backend.references(&text, offset))
            .await;
        Ok(Some(self.locations(uri, doc, encoding, targets).await))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some((doc, encoding)) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let (backend, text) = (self.state.backend.clone(), doc.text());
        let symbols = self.blocking(move || backend.document_symbols(&text)).await;
        let symbols = symbols
            .into_iter()
            .map(|symbol| to_proto::document_symbol(&doc, symbol, encoding))
            .collect();
        Ok(Some(DocumentSymbolResponse::Nested(symbols)))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<Vec<SymbolInformation>>> {
        let backend = self.state.backend.clone();
        let query = params.query;
        let hits = self
            .blocking(move || backend.workspace_symbols(&query))
            .await;
        let (state, encoding) = (self.state.clone(), self.state.encoding());
        let symbols = self
            .blocking(move || {
                let open = |u: &Url| state.document(u);
                let mut locator = to_proto::Locator::new(encoding, &open);
                hits.into_iter()
                    .filter_map(|hit| to_proto::workspace_symbol(hit, &mut locator))
                    .collect::<Vec<_>>()
            })
            .await;
        Ok(Some(symbols))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        let Some((doc, encoding)) = self.snapshot(&at.text_document.uri) else {
            return Ok(None);
        };
        let offset = from_proto::offset(&doc, at.position, encoding);
        let (backend, text) = (self.state.backend.clone(), doc.text());
        let entries = self
            .blocking(move || backend.completion(&text, offset))
            .await;
        let items = entries
            .into_iter()
            .map(|entry| to_proto::completion_item(&doc, entry, encoding))
            .collect();
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some((doc, encoding)) = self.snapshot(&uri) else {
            return Ok(None);
        };
        let range = from_proto::byte_range(&doc, params.range, encoding);
        let findings: Vec<Finding> = self
            .state
            .findings(&uri, doc.version())
            .into_iter()
            .filter(|f| f.range.start <= range.end && range.start <= f.range.end)
            .collect();
        let (backend, text) = (self.state.backend.clone(), doc.text());
        let file = from_proto::file_path(&uri);
        let fixes = self
            .blocking(move || {
                backend.code_actions_in_file(&text, range, &findings, file.as_deref())
            })
            .await;
        let actions = fixes
            .into_iter()
            .map(|fix| {
                to_proto::code_action(&uri, &doc, fix, &params.context.diagnostics, encoding)
            })
            .collect();
        Ok(Some(actions))
    }

    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        let arguments = params
            .arguments
            .into_iter()
            .next()
            .unwrap_or(serde_json::Value::Null);
        let (backend, root) = (self.state.backend.clone(), self.state.session().root);
        let command = params.command;
        let outcome = self
            .blocking(move || Some(backend.execute(&command, arguments, root.as_deref())))
            .await;
        // `None`: the backend panicked (already logged).
        match outcome.unwrap_or_else(|| Err("the command failed".to_string())) {
            Ok(()) => {
                // The command may have written dossier.toml: read it again and
                // re-check even when the settings proper did not change.
                self.state.load_project_file();
                self.state.settings_changed().await;
                let backend = self.state.backend.clone();
                let settings = self.state.settings();
                let _ = tokio::task::spawn_blocking(move || backend.configure(&settings)).await;
                self.state.recheck_all(Duration::ZERO);
                Ok(None)
            }
            Err(message) => {
                self.state.log(MessageType::WARNING, message.clone());
                Err(tower_lsp::jsonrpc::Error {
                    code: tower_lsp::jsonrpc::ErrorCode::InvalidParams,
                    message: message.into(),
                    data: None,
                })
            }
        }
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let Some((doc, encoding)) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        if !self.state.settings().inlay_hints {
            return Ok(Some(Vec::new()));
        }
        let visible = from_proto::byte_range(&doc, params.range, encoding);
        let (backend, text) = (self.state.backend.clone(), doc.text());
        let notes = self.blocking(move || backend.inlay_hints(&text)).await;
        let hints = notes
            .into_iter()
            .filter(|note| visible.contains(&note.offset) || note.offset == visible.end)
            .map(|note| to_proto::inlay_hint(&doc, note, encoding))
            .collect();
        Ok(Some(hints))
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let Some((doc, encoding)) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let (backend, text) = (self.state.backend.clone(), doc.text());
        let tokens = self.blocking(move || backend.semantic_tokens(&text)).await;
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: None,
            data: to_proto::semantic_tokens(&doc, tokens, encoding),
        })))
    }
}
