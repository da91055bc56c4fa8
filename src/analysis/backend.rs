//! The analysis behind the language server: implements the server's
//! [`Backend`] seam over a corpus and the draft analysis.
//!
//! The corpus is swapped whole when rebuilt; until the first build ends
//! every feature answers "nothing" at once rather than wait for it. The
//! last few drafts read are kept, keyed by their exact text, so a hover or
//! a jump on an unchanged document does not read it again.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use crate::analysis::checks::{self, unsourced_claim, CheckOptions};
use crate::analysis::draft::{is_markdown, Draft, Reading};
use crate::analysis::ignore::{self, IgnoreAction, Ignores};
use crate::analysis::lookups::Lookups;
use crate::analysis::source_files::{cache_dir, SourceFiles};
use crate::analysis::{goto, hover, symbols};
use crate::config::Settings;
use crate::corpus::source::LoadOptions;
use crate::corpus::{Corpus, CorpusOptions};
use crate::server::{
    Backend, CompletionEntry, Finding, FixCommand, HoverCard, InlayNote, QuickFix, Symbol, Target,
    Token, WorkspaceSymbol,
};

/// A built corpus and where its documents live on disk.
#[derive(Clone, Default)]
pub struct Served {
    pub corpus: Arc<Corpus>,
    pub files: SourceFiles,
    /// False until the first build finishes.
    pub built: bool,
    /// Bumped on every build, so cached drafts read against an older corpus
    /// are not reused.
    pub generation: u64,
    /// What checks looked up in this corpus (gone with it).
    pub lookups: Arc<Lookups>,
}

/// A draft's analysis without the borrowed text, so it can be kept.
struct ReadDraft {
    text: String,
    markdown: bool,
    generation: u64,
    reading: Arc<Reading>,
}

impl ReadDraft {
    fn keep(draft: &Draft<'_>, markdown: bool, generation: u64) -> ReadDraft {
        ReadDraft {
            text: draft.text.to_string(),
            markdown,
            generation,
            reading: Arc::clone(draft.reading()),
        }
    }

    fn draft<'t>(&self, text: &'t str) -> Draft<'t> {
        Draft::with_reading(text, Arc::clone(&self.reading))
    }
}

/// How many drafts are remembered: a few open documents, each asked about
/// by checks, hovers and highlighting in turn.
const KEPT_DRAFTS: usize = 4;
/// And at most this much draft text between them: a kept draft holds about
/// five times its size (its prose, sentences, names and quotes), and each
/// version of a large document typed in is another one.
const KEPT_BYTES: usize = 4 << 20;

pub struct DossierBackend {
    served: RwLock<Arc<Served>>,
    settings: RwLock<Settings>,
    /// Where `dossier.toml` lives, once the editor said.
    root: RwLock<Option<PathBuf>>,
    /// The project's `[ignore]` table, read again on every configure.
    ignores: RwLock<Ignores>,
    /// Most recently used last.
    drafts: Mutex<Vec<Arc<ReadDraft>>>,
    /// Whether drafts are read as Markdown when the request does not say
    /// (every method but `check`): the language last checked.
    markdown: AtomicBool,
    generations: AtomicU64,
    /// Where embedded articles are written; `None` is the user cache.
    seed_dir: Option<PathBuf>,
    /// Where the index of the source folders is kept; `None`: nowhere.
    index_cache: Option<PathBuf>,
    /// Counts builds: a build whose number is no longer the latest (the
    /// configuration changed under it) stops early.
    builds: AtomicU64,
}

impl Default for DossierBackend {
    fn default() -> Self {
        DossierBackend {
            served: RwLock::default(),
            settings: RwLock::default(),
            root: RwLock::default(),
            ignores: RwLock::default(),
            drafts: Mutex::new(Vec::new()),
            markdown: AtomicBool::new(true),
            generations: AtomicU64::new(0),
            seed_dir: None,
            index_cache: None,
            builds: AtomicU64::new(0),
        }
    }
}

impl DossierBackend {
    pub fn new() -> DossierBackend {
        DossierBackend::default()
    }

    /// A backend writing embedded articles under `dir` instead of the
    /// user's cache folder.
    pub fn with_seed_dir(dir: impl Into<PathBuf>) -> DossierBackend {
        DossierBackend {
            seed_dir: Some(dir.into()),
            ..DossierBackend::default()
        }
    }

    /// Keep the index of the source folders in `dir` (see
    /// [`crate::corpus::cache`]).
    pub fn with_cache(mut self, dir: Option<PathBuf>) -> DossierBackend {
        self.index_cache = dir;
        self
    }

    /// The current corpus (empty until the first build finishes).
    pub fn corpus(&self) -> Arc<Corpus> {
        self.served().corpus.clone()
    }

    /// The current corpus with its files.
    pub fn served(&self) -> Arc<Served> {
        self.served
            .read()
            .map(|s| Arc::clone(&s))
            .unwrap_or_default()
    }

    /// Builds from files already read (for tests and tools); what
    /// [`Backend::build`] does after loading.
    pub fn install(&self, corpus: Corpus) {
        let mut clock = crate::corpus::StageClock::new();
        let dir = self.seed_dir.clone().unwrap_or_else(cache_dir);
        let files = SourceFiles::prepare(&corpus, &dir);
        clock.stage("source files");
        let generation = self.generations.fetch_add(1, Ordering::SeqCst) + 1;
        let served = Arc::new(Served {
            corpus: Arc::new(corpus),
            files,
            built: true,
            generation,
            lookups: Arc::default(),
        });
        // What every check needs of a corpus is made here, on the build's
        // thread, not by the first keystroke.
        checks::prepare(&served.corpus, &mut clock);
        // Their working buffers were freed on the pool's threads.
        crate::release_freed_memory();
        clock.stage("free buffers");
        if let Ok(mut slot) = self.served.write() {
            *slot = served;
        }
    }

    /// Forget what earlier checks looked up, so the next check reads the
    /// corpus's indexes afresh (benchmarks of a first check).
    pub fn forget_lookups(&self) {
        if let Ok(mut slot) = self.served.write() {
            let mut served = Served::clone(&slot);
            served.lookups = Arc::default();
            *slot = Arc::new(served);
        }
    }

    fn check_options(&self, served: &Served, file: Option<&Path>) -> CheckOptions {
        let settings = self.settings.read().map(|s| s.clone()).unwrap_or_default();
        CheckOptions {
            attribution_style: settings.attribution_style,
            file: file.map(Path::to_path_buf),
            ignores: self.ignores.read().map(|i| i.clone()).unwrap_or_default(),
            lookups: Some(Arc::clone(&served.lookups)),
        }
    }

    fn reload_ignores(&self) {
        let root = self.root.read().ok().and_then(|r| r.clone());
        let ignores = root.as_deref().map(Ignores::load).unwrap_or_default();
        if let Ok(mut slot) = self.ignores.write() {
            *slot = ignores;
        }
    }

    /// Checks own source places by the path a document was read from;
    /// embedded articles get the copy the editor can open.
    fn openable(&self, served: &Served, mut findings: Vec<Finding>) -> Vec<Finding> {
        for finding in &mut findings {
            for related in &mut finding.related {
                let Some(path) = &related.target.file else {
                    continue;
                };
                if path.is_absolute() {
                    continue;
                }
                if let Some(copy) = served.files.embedded_copy(path) {
                    related.target.file = Some(copy.to_path_buf());
                }
            }
        }
        findings
    }

    /// The draft read against the served corpus, from the cache when this
    /// exact text was read before.
    fn read<'t>(&self, served: &Served, text: &'t str, markdown: Option<bool>) -> Draft<'t> {
        let markdown = markdown.unwrap_or_else(|| self.markdown.load(Ordering::Relaxed));
        if let Ok(mut kept) = self.drafts.lock() {
            if let Some(i) = kept.iter().position(|d| {
                d.generation == served.generation
                    && d.markdown == markdown
                    && d.text.len() == text.len()
                    && d.text == text
            }) {
                let hit = kept.remove(i);
                let draft = hit.draft(text);
                kept.push(hit);
                return draft;
            }
        }
        let draft = Draft::read(text, markdown, &served.corpus);
        if let Ok(mut kept) = self.drafts.lock() {
            if kept.len() >= KEPT_DRAFTS {
                kept.remove(0);
            }
            kept.push(Arc::new(ReadDraft::keep(
                &draft,
                markdown,
                served.generation,
            )));
            // Large drafts: fewer of them (the newest always stays).
            while kept.len() > 1 && kept.iter().map(|d| d.text.len()).sum::<usize>() > KEPT_BYTES {
                kept.remove(0);
            }
        }
        draft
    }

    /// The served corpus, once built.
    fn ready(&self) -> Option<Arc<Served>> {
        Some(self.served()).filter(|s| s.built)
    }
}

/// See [`DossierBackend::check_file`].
const LONG_CHECK: std::time::Duration = std::time::Duration::from_millis(100);

impl Backend for DossierBackend {
    fn build(&self, settings: &Settings, progress: &dyn Fn(usize, usize)) -> String {
        let options = CorpusOptions {
            folders: settings.corpus.clone(),
            include_embedded: settings.include_default_corpus,
            load: LoadOptions::default(),
            cache: self.index_cache.clone(),
        };
        // A newer build (the settings changed) makes this one stop.
        let this_build = self.builds.fetch_add(1, Ordering::SeqCst) + 1;
        let cancelled = || self.builds.load(Ordering::SeqCst) != this_build;
        // Reading runs on several threads; report from this one as counts
        // arrive, in order.
        let (tx, rx) = std::sync::mpsc::channel::<(usize, usize)>();
        let built = std::thread::scope(|scope| {
            let worker = scope.spawn(move || {
                let tx = std::sync::Mutex::new(tx);
                Corpus::load_with(
                    &options,
                    &move |done, total| {
                        if let Ok(tx) = tx.lock() {
                            let _ = tx.send((done, total));
                        }
                    },
                    &cancelled,
                )
            });
            for (done, total) in rx {
                progress(done, total);
            }
            worker.join()
        });
        let corpus = match built {
            Ok(Some((corpus, report))) => {
                if let Some(problem) = report.and_then(|r| r.problem) {
                    eprintln!("dossier: {problem}");
                }
                corpus
            }
            Ok(None) => return "Indexing stopped: the configuration changed".to_string(),
            Err(_) => return "Indexing the sources failed; see the log".to_string(),
        };
        let summary = format!(
            "{} actors and {} quotes from {} sources{}",
            corpus.entities.len(),
            corpus.quotes.len(),
            corpus.documents.len(),
            if corpus.skipped.is_empty() {
                String::new()
            } else {
                format!(", {} files skipped", corpus.skipped.len())
            }
        );
        self.install(corpus);
        summary
    }

    fn configure(&self, settings: &Settings) {
        if let Ok(mut slot) = self.settings.write() {
            *slot = settings.clone();
        }
        self.reload_ignores();
    }

    fn open_workspace(&self, root: Option<&Path>) {
        if let Ok(mut slot) = self.root.write() {
            *slot = root.map(Path::to_path_buf);
        }
        self.reload_ignores();
    }

    fn check(&self, text: &str, language: &str) -> Vec<Finding> {
        self.check_file(text, language, None)
    }

    fn check_file(&self, text: &str, language: &str, file: Option<&Path>) -> Vec<Finding> {
        let markdown = is_markdown(language);
        self.markdown.store(markdown, Ordering::Relaxed);
        // Before the first build every name would look unknown and every
        // quote unsourced: say nothing until the sources are read (the
        // server re-checks open drafts when the build finishes).
        let Some(served) = self.ready() else {
            return Vec::new();
        };
        let started = std::time::Instant::now();
        let mut clock = crate::corpus::StageClock::new();
        let draft = self.read(&served, text, Some(markdown));
        clock.stage("check: read draft");
        let findings = checks::run(&served.corpus, &draft, &self.check_options(&served, file))
            .into_iter()
            .map(|c| c.finding)
            .collect();
        // A long check (a first one, of a large draft) freed much on the
        // pool's threads, which then go idle holding it: about 100 MB after
        // a 30 KB draft's first check at 100,000 articles. Handing it back
        // costs about 2 ms, nothing beside such a check; a re-check after a
        // keystroke takes a few milliseconds and skips this.
        if started.elapsed() >= LONG_CHECK {
            crate::release_freed_memory();
        }
        self.openable(&served, findings)
    }

    fn hover(&self, text: &str, offset: usize) -> Option<HoverCard> {
        let served = self.ready()?;
        let draft = self.read(&served, text, None);
        hover::hover_with(
            &served.corpus,
            &served.files,
            Some(&served.lookups),
            &draft,
            offset,
        )
    }

    fn definition(&self, text: &str, offset: usize) -> Vec<Target> {
        let Some(served) = self.ready() else {
            return Vec::new();
        };
        let draft = self.read(&served, text, None);
        goto::definition(
            &served.corpus,
            &served.files,
            Some(&served.lookups),
            &draft,
            offset,
        )
    }

    fn references(&self, text: &str, offset: usize) -> Vec<Target> {
        let Some(served) = self.ready() else {
            return Vec::new();
        };
        let draft = self.read(&served, text, None);
        goto::references(&served.corpus, &served.files, &draft, offset)
    }

    fn semantic_tokens(&self, text: &str) -> Vec<Token> {
        // Unknown names and quotes are worth marking before the corpus is in.
        let served = self.served();
        symbols::semantic_tokens(&self.read(&served, text, None))
    }

    fn document_symbols(&self, text: &str) -> Vec<Symbol> {
        let Some(served) = self.ready() else {
            return Vec::new();
        };
        symbols::document_symbols(&served.corpus, &self.read(&served, text, None))
    }

    fn workspace_symbols(&self, query: &str) -> Vec<WorkspaceSymbol> {
        let Some(served) = self.ready() else {
            return Vec::new();
        };
        symbols::workspace_symbols(&served.corpus, &served.files, query)
    }

    fn completion(&self, text: &str, offset: usize) -> Vec<CompletionEntry> {
        let Some(served) = self.ready() else {
            return Vec::new();
        };
        symbols::completion(&served.corpus, text, offset)
    }

    fn inlay_hints(&self, text: &str) -> Vec<InlayNote> {
        let enabled = self.settings.read().map(|s| s.inlay_hints).unwrap_or(false);
        let Some(served) = self.ready().filter(|_| enabled) else {
            return Vec::new();
        };
        symbols::inlay_hints(&served.corpus, &self.read(&served, text, None))
    }

    fn code_actions(&self, text: &str, range: Range<usize>, findings: &[Finding]) -> Vec<QuickFix> {
        self.code_actions_in_file(text, range, findings, None)
    }

    fn code_actions_in_file(
        &self,
        text: &str,
        range: Range<usize>,
        findings: &[Finding],
        file: Option<&Path>,
    ) -> Vec<QuickFix> {
        let _ = findings; // A fresh run carries the fixes with the findings.
        let Some(served) = self.ready() else {
            return Vec::new();
        };
        let draft = self.read(&served, text, None);
        let claim_attribution = self
            .settings
            .read()
            .map(|s| s.claim_attribution)
            .unwrap_or_default();
        let mut fixes = Vec::new();
        let mut ignores = Vec::new();
        for checked in checks::run(&served.corpus, &draft, &self.check_options(&served, file)) {
            let f = &checked.finding.range;
            if !(f.start <= range.end && range.start <= f.end) {
                continue;
            }
            let flagged = text.get(f.clone()).unwrap_or("");
            for action in ignore::actions_for(&checked.finding, flagged) {
                // Per-file ignores need a file to name.
                let per_file = matches!(
                    action,
                    IgnoreAction::Here { .. } | IgnoreAction::InFile { .. }
                );
                if per_file && file.is_none() {
                    continue;
                }
                let Ok(arguments) = serde_json::to_value(&action) else {
                    continue;
                };
                let fix = QuickFix {
                    title: action.title(),
                    edits: Vec::new(),
                    fixes: Some(checked.finding.code.clone()),
                    preferred: false,
                    command: Some(FixCommand {
                        name: ignore::COMMAND.to_string(),
                        arguments: serde_json::json!({ "action": arguments }),
                    }),
                };
                if !ignores.contains(&fix) {
                    ignores.push(fix);
                }
            }
            let mut own = checked.fixes;
            unsourced_claim::prefer(&mut own, claim_attribution);
            fixes.extend(own);
        }
        // Fixes first: they are what the writer most often wants.
        fixes.extend(ignores);
        fixes
    }

    fn execute(
        &self,
        command: &str,
        arguments: serde_json::Value,
        workspace_root: Option<&Path>,
    ) -> Result<(), String> {
        if command != ignore::COMMAND {
            return Err(format!("Dossier does not know the command {command}"));
        }
        let root = workspace_root
            .map(Path::to_path_buf)
            .or_else(|| self.root.read().ok().and_then(|r| r.clone()))
            .ok_or("Open a folder to keep ignores in its dossier.toml")?;
        let action: IgnoreAction = serde_json::from_value(arguments["action"].clone())
            .map_err(|err| format!("not an ignore action: {err}"))?;
        let file = arguments["file"].as_str().map(PathBuf::from);
        ignore::add(&root, file.as_deref(), &action)
            .map_err(|err| format!("could not update dossier.toml: {err}"))?;
        self.reload_ignores();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::source::{Loaded, SourceFile};
    use crate::corpus::LineMap;

    fn backend() -> (tempfile::TempDir, DossierBackend) {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = "Harbour closes\n\nDirector Anna Kowalczyk said the closure was “a painful but necessary step for the fleet”.\n";
        let backend = DossierBackend::with_seed_dir(dir.path());
        backend.install(Corpus::build(Loaded {
            files: vec![SourceFile {
                id: "01".into(),
                path: "seeds/01.txt".into(),
                embedded: true,
                text: a.into(),
                line_map: LineMap::identity(a),
            }],
            ..Loaded::default()
        }));
        (dir, backend)
    }

    #[test]
    fn nothing_before_the_corpus_is_built() {
        let backend = DossierBackend::new();
        let text = "Anna Kowalczyk said “a painful but necessary step for the fleet”.";
        assert_eq!(backend.hover(text, 2), None);
        assert!(backend.definition(text, 25).is_empty());
        assert!(backend.references(text, 2).is_empty());
        assert!(backend.completion("An", 2).is_empty());
    }

    #[test]
    fn embedded_sources_are_real_files_for_the_editor() {
        let (dir, backend) = backend();
        let text = "Anna Kowalczyk said “a painful but necessary step for the fleet”.";
        let targets = backend.definition(text, text.find("necessary").expect("n"));
        assert_eq!(targets.len(), 1);
        let path = targets[0].file.clone().expect("file");
        assert!(path.starts_with(dir.path()), "{path:?}");
        let on_disk = std::fs::read_to_string(&path).expect("read");
        assert_eq!(
            &on_disk[targets[0].range.clone()],
            "a painful but necessary step for the fleet"
        );
        let card = backend.hover(text, 3).expect("card");
        assert!(
            card.markdown.contains("[Open source](file:///"),
            "{}",
            card.markdown
        );
    }

    #[test]
    fn a_draft_is_read_once_per_text() {
        let (_dir, backend) = backend();
        let text = "Anna Kowalczyk left. ".repeat(1500);
        let served = backend.served();
        let kept = || backend.drafts.lock().expect("drafts").len();
        let first = backend.read(&served, &text, Some(true));
        assert_eq!(kept(), 1);
        // The same text again comes from what was kept: nothing is added.
        let again = backend.read(&served, &text, Some(true));
        assert_eq!(first.mentions, again.mentions);
        assert_eq!(kept(), 1);
        // A changed text is read again, not served stale.
        let changed = text.replacen("Anna", "Anne", 1);
        let other = backend.read(&served, &changed, Some(true));
        assert_ne!(other.mentions, first.mentions);
        assert_eq!(kept(), 2);
    }

    #[test]
    fn large_drafts_are_kept_fewer_at_a_time() {
        let (_dir, backend) = backend();
        let served = backend.served();
        let large = "Zoë Ångström said “no” 🚢.\r\n".repeat(100_000);
        assert!(large.len() > KEPT_BYTES / 2);
        for i in 0..3 {
            backend.read(&served, &format!("{large}{i}"), Some(true));
        }
        let kept = backend.drafts.lock().expect("drafts");
        assert_eq!(kept.len(), 1, "only the newest large draft stays");
        assert!(kept[0].text.ends_with('2'));
    }
}
