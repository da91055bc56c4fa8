//! The server's shared state and the work that outlives a single message:
//! coalesced checks, corpus builds, settings layering, file watching.
//!
//! Locks are `std::sync` and are never held across an `.await`: tower-lsp
//! runs handlers concurrently, and document edits must land in the order
//! the editor sent them, so they are applied before a handler first yields.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use tower_lsp::lsp_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, MessageType, OneOf,
    Registration, RelativePattern, Unregistration, Url,
};
use tower_lsp::Client;

use crate::config::{Settings, SettingsLayer, PROJECT_FILE};
use crate::document::{Document, DocumentStore, PositionEncoding};
use crate::server::backend::{Backend, Finding};
use crate::server::capabilities::ClientSupport;
use crate::server::progress::WorkDone;
use crate::server::to_proto;
use crate::server::ServerOptions;

/// Locks a mutex, shrugging off poisoning: a panic elsewhere must not take
/// the whole server down with it.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn read<T: Clone>(lock: &RwLock<T>) -> T {
    lock.read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
}

fn write<T>(lock: &RwLock<T>, value: T) {
    *lock
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = value;
}

/// What `initialize` settled.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub encoding: PositionEncoding,
    pub root: Option<PathBuf>,
    pub support: ClientSupport,
}

/// The settings layers below the effective [`Settings`].
#[derive(Debug, Default)]
struct Layers {
    project: SettingsLayer,
    editor: SettingsLayer,
    /// The last project-file error shown, so it is shown once, not on
    /// every reload.
    shown_project_error: Option<String>,
}

/// The check schedule of one open document. At most one check runs per
/// document; edits that arrive meanwhile only bump `generation`, and the
/// running check then goes round once more on the newest text. So a burst
/// of keystrokes never queues stale checks, and results are published in
/// version order because a single task publishes them.
#[derive(Debug, Default)]
struct CheckSlot {
    /// Bumped by every request for a check (edit, open, settings, build).
    generation: u64,
    /// The generation the running (or last) check looked at.
    checked: u64,
    /// The task checking this document, if any; a task that finds another
    /// number here (the document was closed and reopened) stops.
    worker: Option<u64>,
    /// Pause before the next check starts (`check_delay` for edits).
    wait: Duration,
}

/// The last findings published for a document, for code actions.
struct Published {
    version: i32,
    findings: Vec<Finding>,
}

pub struct State {
    pub client: Client,
    pub backend: Arc<dyn Backend>,
    options: ServerOptions,
    pub docs: Mutex<DocumentStore>,
    session: RwLock<Session>,
    layers: Mutex<Layers>,
    settings: RwLock<Arc<Settings>>,
    /// Check schedule per open document (see [`CheckSlot`]).
    pending_checks: Mutex<HashMap<String, CheckSlot>>,
    next_check: AtomicU64,
    published: Mutex<HashMap<String, Published>>,
    /// Held for the whole of a build, so builds never overlap.
    build_lock: tokio::sync::Mutex<()>,
    /// A build is waiting for the lock; further requests join it.
    build_queued: AtomicBool,
    builds: AtomicU64,
    watch_registration: Mutex<Option<String>>,
    /// Documents over the size limit the writer was told about, so the
    /// message comes once, not on every keystroke.
    oversized: Mutex<HashSet<String>>,
    /// Source problems shown to the writer (path → reason), so each comes
    /// once; a problem that goes away is forgotten, and said to be fixed.
    shown_problems: Mutex<HashMap<PathBuf, String>>,
}

impl State {
    pub fn new(client: Client, options: ServerOptions) -> State {
        let state = State {
            client,
            backend: options.backend.clone(),
            options,
            docs: Mutex::new(DocumentStore::new()),
            session: RwLock::new(Session::default()),
            layers: Mutex::new(Layers::default()),
            settings: RwLock::new(Arc::new(Settings::default())),
            pending_checks: Mutex::new(HashMap::new()),
            next_check: AtomicU64::new(0),
            published: Mutex::new(HashMap::new()),
            build_lock: tokio::sync::Mutex::new(()),
            build_queued: AtomicBool::new(false),
            builds: AtomicU64::new(0),
            watch_registration: Mutex::new(None),
            oversized: Mutex::new(HashSet::new()),
            shown_problems: Mutex::new(HashMap::new()),
        };
        state.recompute_settings();
        state
    }

    pub fn session(&self) -> Session {
        read(&self.session)
    }

    pub fn set_session(&self, session: Session) {
        write(&self.session, session);
    }

    pub fn encoding(&self) -> PositionEncoding {
        self.session().encoding
    }

    pub fn settings(&self) -> Arc<Settings> {
        read(&self.settings)
    }

    /// A snapshot of an open document.
    pub fn document(&self, uri: &Url) -> Option<Document> {
        lock(&self.docs).get(uri.as_str()).cloned()
    }

    /// Whether a document is too large to analyse. The first time a
    /// document crosses the limit the writer is told why it gets no
    /// checks; once it is back under, crossing again tells again.
    pub fn too_large(&self, uri: &Url, doc: &Document) -> bool {
        let limit = self.settings().max_document_size;
        let mut told = lock(&self.oversized);
        if doc.len() <= limit {
            told.remove(uri.as_str());
            return false;
        }
        if told.insert(uri.as_str().to_string()) {
            let name = uri
                .path_segments()
                .and_then(|mut s| s.next_back())
                .filter(|n| !n.is_empty())
                .unwrap_or(uri.as_str())
                .to_string();
            let message = format!(
                "{name} is {}, over the {} limit (max_document_size): Dossier does not \
                 check it, so typing stays fast. Raise max_document_size in {PROJECT_FILE} \
                 to check it anyway.",
                megabytes(doc.len()),
                megabytes(limit)
            );
            self.log(MessageType::WARNING, message.clone());
            let client = self.client.clone();
            tokio::spawn(async move { client.show_message(MessageType::WARNING, message).await });
        }
        true
    }

    /// Logs to stderr and to the editor's output (`window/logMessage`);
    /// never stdout, which carries the protocol.
    pub fn log(&self, level: MessageType, message: String) {
        eprintln!("dossier: {message}");
        let client = self.client.clone();
        tokio::spawn(async move { client.log_message(level, message).await });
    }

    // ---- settings ----

    /// Rebuilds the effective settings from the layers and the command line.
    fn recompute_settings(&self) -> (Arc<Settings>, Arc<Settings>) {
        let root = self.session().root;
        let mut settings = {
            let layers = lock(&self.layers);
            Settings::layered(root.as_deref(), &[&layers.project, &layers.editor])
        };
        // Command-line folders add to the configured ones; they were
        // resolved against the working directory when the server started.
        for dir in &self.options.corpus {
            if !settings.corpus.contains(dir) {
                settings.corpus.push(dir.clone());
            }
        }
        if self.options.no_default_corpus {
            settings.include_default_corpus = false;
        }
        let new = Arc::new(settings);
        let old = self.settings();
        write(&self.settings, new.clone());
        (old, new)
    }

    /// Recomputes the effective settings without reacting to the change:
    /// for `initialize`, before the editor may be sent any request.
    pub fn refresh_settings(&self) {
        self.recompute_settings();
    }

    /// Replaces the editor's layer (initializationOptions, pushed or pulled
    /// configuration). A malformed value is reported and leaves the old
    /// layer in place.
    pub fn set_editor_settings(&self, value: &serde_json::Value) -> bool {
        match SettingsLayer::from_json(value) {
            Ok(layer) => {
                lock(&self.layers).editor = layer;
                true
            }
            Err(err) => {
                let message = format!("ignoring invalid Dossier settings from the editor: {err}");
                self.log(MessageType::WARNING, message.clone());
                let client = self.client.clone();
                tokio::spawn(
                    async move { client.show_message(MessageType::WARNING, message).await },
                );
                false
            }
        }
    }

    /// Re-reads `dossier.toml`. A broken file falls back to defaults and is
    /// shown to the writer once per distinct error.
    pub fn load_project_file(&self) {
        let Some(root) = self.session().root else {
            return;
        };
        let result = SettingsLayer::from_project_file(&root);
        let mut layers = lock(&self.layers);
        match result {
            Ok(layer) => {
                layers.project = layer;
                layers.shown_project_error = None;
            }
            Err(err) => {
                layers.project = SettingsLayer::default();
                if layers.shown_project_error.as_ref() != Some(&err) {
                    layers.shown_project_error = Some(err.clone());
                    let message = format!("{PROJECT_FILE} has an error, using defaults: {err}");
                    self.log(MessageType::WARNING, message.clone());
                    let client = self.client.clone();
                    tokio::spawn(async move {
                        client.show_message(MessageType::WARNING, message).await
                    });
                }
            }
        }
    }

    /// Recomputes settings after a layer changed and reacts: a different
    /// corpus means re-watching and rebuilding; anything else re-checks the
    /// open documents.
    pub async fn settings_changed(self: &Arc<Self>) {
        let (old, new) = self.recompute_settings();
        if old == new {
            return;
        }
        if !old.same_corpus(&new) {
            self.register_watchers().await;
            self.request_rebuild();
        } else {
            let backend = self.backend.clone();
            let settings = new.clone();
            let configured =
                tokio::task::spawn_blocking(move || backend.configure(&settings)).await;
            if let Err(err) = configured {
                self.log(MessageType::ERROR, format!("configure failed: {err}"));
            }
            self.recheck_all(Duration::ZERO);
        }
    }

    /// Asks the editor for the `dossier` section, when it can answer.
    pub async fn pull_configuration(self: &Arc<Self>) {
        if !self.session().support.pull_configuration {
            return;
        }
        let item = tower_lsp::lsp_types::ConfigurationItem {
            scope_uri: None,
            section: Some("dossier".to_string()),
        };
        match self.client.configuration(vec![item]).await {
            Ok(values) => {
                if let Some(value) = values.first().filter(|v| !v.is_null()) {
                    self.set_editor_settings(value);
                }
            }
            Err(err) => self.log(
                MessageType::WARNING,
                format!("workspace/configuration failed: {err}"),
            ),
        }
    }

    /// Whether a changed file is the project's settings file.
    pub fn is_project_file(&self, path: &Path) -> bool {
        match self.session().root {
            Some(root) => path == root.join(PROJECT_FILE),
            None => false,
        }
    }

    // ---- checking ----

    /// Asks for a check of a document's latest text. When no check of it
    /// is running one starts at once (after `delay`, if not zero);
    /// otherwise the running one goes round again when it finishes.
    pub fn schedule_check(self: &Arc<Self>, uri: Url, delay: Duration) {
        let worker = {
            let mut slots = lock(&self.pending_checks);
            let slot = slots.entry(uri.as_str().to_string()).or_default();
            let idle = slot.generation == slot.checked;
            slot.generation += 1;
            // Several requests before the next round: the most urgent wins.
            slot.wait = if idle { delay } else { slot.wait.min(delay) };
            if slot.worker.is_some() {
                return;
            }
            let worker = self.next_check.fetch_add(1, Ordering::Relaxed) + 1;
            slot.worker = Some(worker);
            worker
        };
        let state = self.clone();
        tokio::spawn(async move { state.check_loop(uri, worker).await });
    }

    /// The one task checking a document: checks the newest text until no
    /// request came in while it worked, then ends.
    async fn check_loop(self: Arc<Self>, uri: Url, worker: u64) {
        loop {
            let wait = match lock(&self.pending_checks).get(uri.as_str()) {
                Some(slot) if slot.worker == Some(worker) => slot.wait,
                _ => return,
            };
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            let generation = {
                let mut slots = lock(&self.pending_checks);
                match slots.get_mut(uri.as_str()) {
                    Some(slot) if slot.worker == Some(worker) => {
                        slot.checked = slot.generation;
                        slot.generation
                    }
                    _ => return,
                }
            };
            self.clone().check(&uri, worker, generation).await;
            let mut slots = lock(&self.pending_checks);
            match slots.get_mut(uri.as_str()) {
                Some(slot) if slot.worker == Some(worker) => {
                    if slot.generation == slot.checked {
                        slot.worker = None;
                        return;
                    }
                }
                _ => return,
            }
        }
    }

    /// Whether a check that looked at `generation` still speaks for the
    /// document: no edit or settings change came in since.
    fn still_current(&self, uri: &Url, worker: u64, generation: u64) -> bool {
        matches!(
            lock(&self.pending_checks).get(uri.as_str()),
            Some(slot) if slot.worker == Some(worker) && slot.generation == generation
        )
    }

    /// Re-checks every open document.
    pub fn recheck_all(self: &Arc<Self>, delay: Duration) {
        let uris: Vec<String> = lock(&self.docs).uris().map(str::to_string).collect();
        for uri in uris {
            if let Ok(uri) = Url::parse(&uri) {
                self.schedule_check(uri, delay);
            }
        }
    }

    pub fn check_delay(&self) -> Duration {
        self.options.check_delay
    }

    /// Checks a snapshot and publishes the findings tagged with its version,
    /// unless a newer request came in meanwhile (the caller goes round
    /// again, so publishing the stale answer would only flicker).
    async fn check(self: Arc<Self>, uri: &Url, worker: u64, generation: u64) {
        let Some(doc) = self.document(uri) else {
            return;
        };
        let settings = self.settings();
        let encoding = self.encoding();
        let too_large = self.too_large(uri, &doc);
        let checks = !too_large && settings.checks_language(doc.language_id());
        let state = self.clone();
        let job_uri = uri.clone();
        let job_doc = doc.clone();
        // Checking and converting in one blocking job: one thread hop per
        // keystroke instead of two.
        let job = tokio::task::spawn_blocking(move || {
            let findings = if checks {
                let file = crate::server::from_proto::file_path(&job_uri);
                state
                    .backend
                    .check_file(&job_doc.text(), job_doc.language_id(), file.as_deref())
            } else {
                Vec::new()
            };
            // Converting positions costs little but is wasted on a result
            // nobody will see.
            if !state.still_current(&job_uri, worker, generation) {
                return None;
            }
            let open = |u: &Url| state.document(u);
            let mut locator =
                to_proto::Locator::new(encoding, &open).with_draft(&job_uri, &job_doc);
            let mut kept = Vec::new();
            let mut diagnostics = Vec::new();
            for finding in findings {
                let level = settings.rule_level(&finding.code);
                if let Some(severity) = to_proto::severity(&finding, level) {
                    diagnostics.push(to_proto::diagnostic(
                        &job_doc,
                        &finding,
                        severity,
                        &mut locator,
                        encoding,
                    ));
                    kept.push(finding);
                }
            }
            Some((kept, diagnostics))
        });
        let (kept, diagnostics) = match job.await {
            Ok(Some(converted)) => converted,
            Ok(None) => return,
            Err(err) => {
                self.log(MessageType::ERROR, format!("check of {uri} failed: {err}"));
                return;
            }
        };
        // The text may have changed without a new request (an edit that was
        // refused whole does not ask for one, but cannot change it either);
        // the version check is the last word.
        let current = self.document(uri).map(|d| d.version());
        if current != Some(doc.version()) || !self.still_current(uri, worker, generation) {
            return;
        }
        lock(&self.published).insert(
            uri.as_str().to_string(),
            Published {
                version: doc.version(),
                findings: kept,
            },
        );
        self.client
            .publish_diagnostics(uri.clone(), diagnostics, Some(doc.version()))
            .await;
    }

    /// Findings last published for this version of the document.
    pub fn findings(&self, uri: &Url, version: i32) -> Vec<Finding> {
        match lock(&self.published).get(uri.as_str()) {
            Some(p) if p.version == version => p.findings.clone(),
            _ => Vec::new(),
        }
    }

    /// Forgets a closed document's pending check and findings; a check
    /// still running for it stops without publishing.
    pub fn forget(&self, uri: &Url) {
        lock(&self.pending_checks).remove(uri.as_str());
        lock(&self.published).remove(uri.as_str());
        lock(&self.oversized).remove(uri.as_str());
    }

    /// Tells the writer about each source problem of the last build once,
    /// and notes the ones that went away.
    fn report_source_problems(&self) {
        let problems = crate::corpus::source::problems();
        let mut shown = lock(&self.shown_problems);
        let now: HashMap<PathBuf, String> = problems
            .iter()
            .map(|p| (p.path.clone(), p.reason.clone()))
            .collect();
        let fixed: Vec<PathBuf> = shown
            .keys()
            .filter(|path| !now.contains_key(*path))
            .cloned()
            .collect();
        for path in fixed {
            shown.remove(&path);
            self.log(MessageType::INFO, format!("{} reads again", path.display()));
        }
        for problem in problems {
            if shown.get(&problem.path) == Some(&problem.reason) {
                continue;
            }
            shown.insert(problem.path.clone(), problem.reason.clone());
            let message = format!(
                "Dossier cannot read the source {}: {}{}",
                problem.path.display(),
                problem.reason,
                if problem.kept {
                    "; using what it read there before"
                } else {
                    ""
                }
            );
            self.log(MessageType::WARNING, message.clone());
            let client = self.client.clone();
            tokio::spawn(async move { client.show_message(MessageType::WARNING, message).await });
        }
    }

    // ---- corpus ----

    /// Starts a corpus build on a blocking thread, or joins one already
    /// waiting to start.
    pub fn request_rebuild(self: &Arc<Self>) {
        if self.build_queued.swap(true, Ordering::SeqCst) {
            return;
        }
        let state = self.clone();
        tokio::spawn(async move { state.rebuild().await });
    }

    async fn rebuild(self: Arc<Self>) {
        let _building = self.build_lock.lock().await;
        self.build_queued.store(false, Ordering::SeqCst);
        let settings = self.settings();
        let number = self.builds.fetch_add(1, Ordering::Relaxed) + 1;
        let support = self.session().support;
        let mut progress = WorkDone::begin(
            &self.client,
            support.work_done_progress,
            format!("dossier/corpus/{number}"),
            "Reading sources",
        )
        .await;
        let (sender, mut reports) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
        let backend = self.backend.clone();
        let started = Instant::now();
        let job = tokio::task::spawn_blocking(move || {
            // The sender lives in this closure, so the report stream ends
            // when the build returns.
            let report = move |done: usize, total: usize| {
                let _ = sender.send((done, total));
            };
            backend.configure(&settings);
            backend.build(&settings, &report)
        });
        while let Some((done, total)) = reports.recv().await {
            progress.report(done, total).await;
        }
        let summary = match job.await {
            Ok(summary) => summary,
            Err(err) => {
                self.log(MessageType::ERROR, format!("reading sources failed: {err}"));
                progress.end("failed".to_string()).await;
                return;
            }
        };
        let elapsed = started.elapsed().as_millis();
        self.log(
            MessageType::INFO,
            format!("sources read in {elapsed} ms: {summary}"),
        );
        progress.end(summary).await;
        self.report_source_problems();
        self.recheck_all(Duration::ZERO);
    }

    /// Watches the corpus folders and the project file, replacing an earlier
    /// registration, when the editor can watch files for us.
    pub async fn register_watchers(self: &Arc<Self>) {
        let session = self.session();
        if !session.support.watch_files {
            return;
        }
        let settings = self.settings();
        let mut watchers: Vec<FileSystemWatcher> = settings
            .corpus
            .iter()
            .map(|dir| FileSystemWatcher {
                glob_pattern: folder_glob(dir, session.support.relative_patterns),
                kind: None,
            })
            .collect();
        watchers.push(FileSystemWatcher {
            glob_pattern: GlobPattern::String(format!("**/{PROJECT_FILE}")),
            kind: None,
        });
        let Ok(options) =
            serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers })
        else {
            return;
        };
        let number = self.next_check.fetch_add(1, Ordering::Relaxed);
        let id = format!("dossier/watch/{number}");
        let old = lock(&self.watch_registration).replace(id.clone());
        if let Some(old) = old {
            let _ = self
                .client
                .unregister_capability(vec![Unregistration {
                    id: old,
                    method: "workspace/didChangeWatchedFiles".to_string(),
                }])
                .await;
        }
        let registered = self
            .client
            .register_capability(vec![Registration {
                id,
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: Some(options),
            }])
            .await;
        if let Err(err) = registered {
            self.log(
                MessageType::WARNING,
                format!("could not watch the source folders: {err}"),
            );
        }
    }
}

/// A size in megabytes for messages ("20.0 MB").
fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// Everything under a folder, as the client can best express it.
fn folder_glob(dir: &Path, relative: bool) -> GlobPattern {
    if relative {
        if let Ok(base) = Url::from_directory_path(dir) {
            return GlobPattern::Relative(RelativePattern {
                base_uri: OneOf::Right(base),
                pattern: "**/*".to_string(),
            });
        }
    }
    let dir = dir.to_string_lossy().replace('\\', "/");
    GlobPattern::String(format!("{}/**/*", dir.trim_end_matches('/')))
}
