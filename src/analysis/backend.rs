//! The analysis behind the language server: implements the server's
//! [`Backend`] seam over a corpus and the draft analysis.
//! OWNER: backend engineer (extends this file).

use std::sync::{Arc, RwLock};

use crate::analysis::checks::{self, CheckOptions};
use crate::analysis::draft::{is_markdown, Draft};
use crate::config::Settings;
use crate::corpus::source::{self, LoadOptions};
use crate::corpus::Corpus;
use crate::server::{Backend, Finding};

/// The corpus the server answers from, swapped whole when it is rebuilt.
#[derive(Default)]
pub struct DossierBackend {
    corpus: RwLock<Arc<Corpus>>,
    settings: RwLock<Settings>,
}

impl DossierBackend {
    pub fn new() -> DossierBackend {
        DossierBackend::default()
    }

    /// The current corpus (empty until the first build finishes).
    pub fn corpus(&self) -> Arc<Corpus> {
        self.corpus
            .read()
            .map(|c| Arc::clone(&c))
            .unwrap_or_default()
    }

    fn check_options(&self) -> CheckOptions {
        let settings = self.settings.read().map(|s| s.clone()).unwrap_or_default();
        CheckOptions {
            attribution_style: settings.attribution_style,
            file: None,
        }
    }
}

impl Backend for DossierBackend {
    fn build(&self, settings: &Settings, progress: &dyn Fn(usize, usize)) -> String {
        let loaded = source::load(
            &settings.corpus,
            settings.include_default_corpus,
            &LoadOptions::default(),
        );
        // Reading runs on several threads; report from this one as counts
        // arrive, in order.
        let (tx, rx) = std::sync::mpsc::channel::<(usize, usize)>();
        let corpus = std::thread::scope(|scope| {
            let worker = scope.spawn(move || {
                let tx = std::sync::Mutex::new(tx);
                Corpus::build_with_progress(loaded, &move |done, total| {
                    if let Ok(tx) = tx.lock() {
                        let _ = tx.send((done, total));
                    }
                })
            });
            for (done, total) in rx {
                progress(done, total);
            }
            worker.join()
        });
        let Ok(corpus) = corpus else {
            return "Indexing the sources failed; see the log".to_string();
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
        if let Ok(mut slot) = self.corpus.write() {
            *slot = Arc::new(corpus);
        }
        summary
    }

    fn configure(&self, settings: &Settings) {
        if let Ok(mut slot) = self.settings.write() {
            *slot = settings.clone();
        }
    }

    fn check(&self, text: &str, language: &str) -> Vec<Finding> {
        let corpus = self.corpus();
        let draft = Draft::read(text, is_markdown(language), &corpus);
        checks::run(&corpus, &draft, &self.check_options())
            .into_iter()
            .map(|c| c.finding)
            .collect()
    }
}
