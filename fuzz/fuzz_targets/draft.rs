//! The whole draft analysis on any text: reading, every check, hover and
//! go-to at each offset, tokens; once as UTF-8 and once as bytes decoded
//! lossily. Nothing may panic, and every range must lie in the text on
//! character boundaries.
#![no_main]

use std::sync::OnceLock;

use dossier::analysis::backend::DossierBackend;
use dossier::corpus::source::{Loaded, SourceFile};
use dossier::corpus::{Corpus, LineMap};
use dossier::server::Backend;
use libfuzzer_sys::fuzz_target;

const SOURCE: &str = "Harbour closes\n\nDirector Anna Kowalczyk of the Ministry of Fisheries said the closure was “a painful but necessary step for the fleet”.\nZoë Ångström, a trawler captain, said: “We were told nothing.”\n";

fn backend() -> &'static DossierBackend {
    static BACKEND: OnceLock<DossierBackend> = OnceLock::new();
    BACKEND.get_or_init(|| {
        let dir = std::env::temp_dir().join("dossier-fuzz-cache");
        let backend = DossierBackend::with_seed_dir(dir);
        backend.install(Corpus::build(Loaded {
            files: vec![SourceFile {
                id: "harbour".into(),
                path: "/fuzz/harbour.txt".into(),
                embedded: false,
                text: SOURCE.into(),
                line_map: LineMap::identity(SOURCE),
            }],
            ..Loaded::default()
        }));
        backend
    })
}

fn sound(text: &str, range: &std::ops::Range<usize>) {
    assert!(range.start <= range.end && range.end <= text.len(), "{range:?}");
    assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
}

fn analyse(text: &str) {
    let backend = backend();
    for language in ["markdown", "plaintext"] {
        for finding in backend.check(text, language) {
            sound(text, &finding.range);
        }
    }
    for token in backend.semantic_tokens(text) {
        sound(text, &token.range);
    }
    // A few offsets, including ones inside characters and past the end.
    let step = (text.len() / 7).max(1);
    for offset in (0..=text.len() + 2).step_by(step) {
        if let Some(card) = backend.hover(text, offset) {
            sound(text, &card.range);
        }
        for target in backend.definition(text, offset) {
            if target.file.is_none() {
                sound(text, &target.range);
            }
        }
        let _ = backend.completion(text, offset);
    }
    let _ = backend.document_symbols(text);
}

fuzz_target!(|data: &[u8]| {
    if data.len() > 64 * 1024 {
        return;
    }
    if let Ok(text) = std::str::from_utf8(data) {
        analyse(text);
    }
    analyse(&String::from_utf8_lossy(data));
});
