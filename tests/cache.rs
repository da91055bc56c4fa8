//! The persistent index: a restart over unchanged sources reads no source,
//! a touched file is hashed and reused, a changed one is read again, added
//! and removed files come and go, and a broken or unwritable cache costs a
//! rebuild or a warning, never the corpus.

use std::fs;
use std::path::{Path, PathBuf};

use dossier::corpus::cache::CacheReport;
use dossier::corpus::{Corpus, CorpusOptions};

fn harbour_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let from = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/harbour");
    for entry in fs::read_dir(from).expect("fixtures") {
        let path = entry.expect("entry").path();
        fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    dir
}

fn options(sources: &Path, cache: &Path) -> CorpusOptions {
    CorpusOptions {
        folders: vec![sources.to_path_buf()],
        include_embedded: false,
        cache: Some(cache.to_path_buf()),
        ..Default::default()
    }
}

fn load(sources: &Path, cache: &Path) -> (Corpus, CacheReport) {
    let (corpus, report) =
        Corpus::load_with(&options(sources, cache), &|_, _| {}, &|| false).expect("not cancelled");
    (corpus, report.expect("the cache was used"))
}

/// The corpus as the user sees it, without file system paths.
fn view(corpus: &Corpus) -> String {
    corpus.to_json().to_string()
}

fn uncached(sources: &Path) -> String {
    view(&Corpus::load(&CorpusOptions {
        folders: vec![sources.to_path_buf()],
        include_embedded: false,
        ..Default::default()
    }))
}

/// Move a file's modification time without changing its content.
fn touch(path: &Path) {
    let file = fs::File::options().write(true).open(path).expect("open");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    file.set_modified(later).expect("set mtime");
}

#[test]
fn unchanged_sources_come_whole_from_the_cache_and_equal_a_fresh_build() {
    let sources = harbour_copy();
    let cache = tempfile::tempdir().expect("cache");
    let (cold, report) = load(sources.path(), cache.path());
    assert!(!report.whole);
    assert_eq!((report.read, report.reused), (3, 0), "{report:?}");
    assert!(report.problem.is_none(), "{report:?}");
    assert_eq!(view(&cold), uncached(sources.path()));

    let (warm, report) = load(sources.path(), cache.path());
    assert!(report.whole, "{report:?}");
    assert_eq!((report.read, report.reused), (0, 3));
    assert_eq!(view(&warm), view(&cold));
    // The look-ups work on a cached corpus: names, quotes, passages.
    let ministry = warm.find_entity("MSA").expect("acronym alias");
    assert_eq!(cold.entities[ministry].name, warm.entities[ministry].name);
    let quote = &cold.quotes[0].text;
    let texts: Vec<&str> = warm.documents.iter().map(|d| d.text.as_str()).collect();
    assert!(!warm.quote_index.find(&texts, quote).is_empty(), "{quote}");
    assert_eq!(
        warm.names.find(&cold.documents[0].text),
        cold.names.find(&cold.documents[0].text)
    );
}

#[test]
fn a_touched_file_is_hashed_and_reused_a_changed_one_is_read_again() {
    let sources = harbour_copy();
    let cache = tempfile::tempdir().expect("cache");
    load(sources.path(), cache.path());
    let mut files: Vec<PathBuf> = fs::read_dir(sources.path())
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();

    touch(&files[0]);
    let (corpus, report) = load(sources.path(), cache.path());
    assert!(!report.whole);
    assert_eq!((report.read, report.reused), (0, 3), "{report:?}");
    assert_eq!(view(&corpus), uncached(sources.path()));

    // New words in one article: that article alone is read.
    let text = fs::read_to_string(&files[1]).expect("read");
    fs::write(
        &files[1],
        format!("{text}\n\nInspector Józef Wiśniewski said: “We found nothing 🙂.”\n"),
    )
    .expect("write");
    let (corpus, report) = load(sources.path(), cache.path());
    assert_eq!((report.read, report.reused), (1, 2), "{report:?}");
    assert!(corpus.find_entity("Józef Wiśniewski").is_some());
    assert_eq!(view(&corpus), uncached(sources.path()));
}

#[test]
fn added_and_removed_articles_come_and_go() {
    let sources = harbour_copy();
    let cache = tempfile::tempdir().expect("cache");
    load(sources.path(), cache.path());
    let added = sources.path().join("zz-late.md");
    fs::write(
        &added,
        "Late news\r\n\r\nCaptain Ólafur Ragnarsson said: “The nets came up empty.”\r\n",
    )
    .expect("write");
    let (corpus, report) = load(sources.path(), cache.path());
    assert_eq!((report.read, report.reused, report.removed), (1, 3, 0));
    assert!(corpus.find_entity("Ólafur Ragnarsson").is_some());

    fs::remove_file(&added).expect("rm");
    let (corpus, report) = load(sources.path(), cache.path());
    assert_eq!((report.read, report.reused, report.removed), (0, 3, 1));
    assert!(corpus.find_entity("Ólafur Ragnarsson").is_none());
    assert_eq!(view(&corpus), uncached(sources.path()));
}

/// The cache report names a problem containing `words`.
fn assert_problem(report: &CacheReport, words: &str) {
    assert!(
        report.problem.as_deref().is_some_and(|p| p.contains(words)),
        "{report:?}"
    );
}

/// A load that cannot use the cache, for a problem naming `words`, and
/// builds the corpus a load without a cache would.
fn assert_rebuilt(sources: &Path, cache: &Path, words: &str) -> CacheReport {
    let (corpus, report) = load(sources, cache);
    assert!(!report.whole);
    assert_problem(&report, words);
    assert_eq!(view(&corpus), uncached(sources));
    report
}

#[test]
fn a_corrupt_cache_is_rebuilt_and_an_unwritable_one_is_a_warning() {
    let sources = harbour_copy();
    let cache = tempfile::tempdir().expect("cache");
    let (_, report) = load(sources.path(), cache.path());
    // Writes are atomic: no temporary file is left beside the cache.
    let names: Vec<String> = fs::read_dir(&report.dir)
        .expect("cache dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");

    let snapshot = report.dir.join("corpus.bin");
    let bytes = fs::read(&snapshot).expect("snapshot");
    fs::write(&snapshot, &bytes[..bytes.len() / 2]).expect("truncate");
    assert_rebuilt(sources.path(), cache.path(), "unreadable");
    // …and the rebuild wrote a good cache again.
    assert!(load(sources.path(), cache.path()).1.whole);

    // A cache another build wrote (its version string differs) is told
    // apart from a damaged one, and rebuilt too.
    let mut bytes = fs::read(&snapshot).expect("snapshot");
    // Postcard: the format number, the version's length, then its text.
    bytes[2] = if bytes[2] == b'9' { b'8' } else { b'9' };
    fs::write(&snapshot, &bytes).expect("rewrite");
    assert_rebuilt(sources.path(), cache.path(), "another version");

    // The cache folder cannot be created: a file stands where it should be.
    let blocked = tempfile::tempdir().expect("blocked");
    fs::write(blocked.path().join("x"), "").expect("file");
    let (corpus, report) = load(sources.path(), &blocked.path().join("x"));
    assert_problem(&report, "cannot write");
    assert_eq!(view(&corpus), uncached(sources.path()));
}

#[test]
fn texts_stay_in_the_cache_until_asked_for() {
    let sources = harbour_copy();
    let cache = tempfile::tempdir().expect("cache");
    let (cold, _) = load(sources.path(), cache.path());
    let (warm, report) = load(sources.path(), cache.path());
    assert!(report.whole, "{report:?}");
    // Loading, lengths and look-ups through the indexes read no text.
    assert!(warm.documents.iter().all(|d| !d.text.is_resident()));
    let lengths: Vec<usize> = warm.documents.iter().map(|d| d.text.len()).collect();
    let cold_lengths: Vec<usize> = cold.documents.iter().map(|d| d.text.len()).collect();
    assert_eq!(lengths, cold_lengths);
    // Asking for one reads that one, as it was written.
    assert_eq!(&warm.documents[1].text[..], &cold.documents[1].text[..]);
    let resident: Vec<bool> = warm
        .documents
        .iter()
        .map(|d| d.text.is_resident())
        .collect();
    assert_eq!(resident, [false, true, false]);
}

#[test]
fn a_texts_file_that_does_not_belong_to_the_snapshot_is_a_rebuild() {
    let sources = harbour_copy();
    let cache = tempfile::tempdir().expect("cache");
    let (_, report) = load(sources.path(), cache.path());
    let texts = report.dir.join("texts.bin");
    // A crash between the writes of two generations: header of another.
    let mut other = fs::read(&texts).expect("texts");
    other[8] ^= 0xff;
    fs::write(&texts, &other).expect("write");
    let report = assert_rebuilt(sources.path(), cache.path(), "texts.bin");

    // Missing: the same.
    fs::remove_file(report.dir.join("texts.bin")).expect("rm");
    assert_rebuilt(sources.path(), cache.path(), "texts.bin");
}

#[test]
fn a_text_damaged_after_loading_reads_as_blank_and_nothing_panics() {
    let sources = harbour_copy();
    let cache = tempfile::tempdir().expect("cache");
    let (cold, report) = load(sources.path(), cache.path());
    let (warm, _) = load(sources.path(), cache.path());
    // Someone writes into the cache file in place while the server runs.
    let texts = report.dir.join("texts.bin");
    let mut bytes = fs::read(&texts).expect("texts");
    let last = bytes.len() - 2;
    bytes[last] = b'#';
    fs::write(&texts, &bytes).expect("write");
    let d = warm.documents.len() - 1;
    let text = &warm.documents[d].text;
    assert_eq!(text.len(), cold.documents[d].text.len());
    assert!(text.trim().is_empty(), "served blank: {:?}", &text[..40]);
    // Every range into it still slices.
    for s in &warm.documents[d].sentences {
        assert!(text.get(s.range()).is_some());
    }
    // The other documents read well.
    assert_eq!(&warm.documents[0].text[..], &cold.documents[0].text[..]);
}

#[test]
fn a_corpus_cached_in_many_sections_comes_back_whole() {
    // Enough articles for the documents, entities and quotes to be stored
    // in several chunks each.
    let sources = tempfile::tempdir().expect("sources");
    let given = [
        "Zoë", "Ólafur", "Łucja", "Aminata", "Józef", "Mehmet", "Ingrid",
    ];
    let family = [
        "Ångström",
        "Kowalczyk",
        "Ndiaye",
        "Wiśniewski",
        "Yılmaz",
        "Haugen",
    ];
    for i in 0..2100 {
        let who = format!(
            "{} {}{}",
            given[i % given.len()],
            family[i % family.len()],
            ["", "-Berg", "-Nowak"][i % 3]
        );
        fs::write(
            sources.path().join(format!("a{i:04}.md")),
            format!(
                "Report {i}\r\n\r\nInspector {who} of the Harbour Police said: “Case {i} is closed 🙂.”\r\n"
            ),
        )
        .expect("write");
    }
    let cache = tempfile::tempdir().expect("cache");
    let (cold, _) = load(sources.path(), cache.path());
    let (warm, report) = load(sources.path(), cache.path());
    assert!(report.whole, "{report:?}");
    assert_eq!(warm.documents.len(), 2100);
    assert!(warm.entities.len() > 40, "{}", warm.entities.len());
    assert_eq!(view(&warm), view(&cold));
    let last = warm.documents.len() - 1;
    assert_eq!(
        &warm.documents[last].text[..],
        &cold.documents[last].text[..]
    );
    let quote = &cold.quotes[2099].text;
    assert!(
        !warm.quote_index.find(&warm.documents, quote).is_empty(),
        "{quote}"
    );
    // Claim support reads the passage index's posting lists.
    let claim = "Case 1733 is closed, the Harbour Police said.";
    let found = |c: &Corpus| {
        c.passages
            .search(&c.documents, claim, 3, &|_| false)
            .iter()
            .map(|h| (h.doc, h.range.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(found(&warm), found(&cold));
    assert_eq!(found(&warm).first().map(|h| h.0), Some(1733));
}

#[test]
fn a_cancelled_load_returns_nothing_and_writes_nothing() {
    let sources = harbour_copy();
    let cache = tempfile::tempdir().expect("cache");
    let out = Corpus::load_with(&options(sources.path(), cache.path()), &|_, _| {}, &|| true);
    assert!(out.is_none());
    assert_eq!(fs::read_dir(cache.path()).expect("dir").count(), 0);
}

#[test]
fn cards_from_the_cache_read_no_article_and_say_what_a_cold_build_says() {
    use dossier::analysis::card::{entity_card, FileLinks};
    use dossier::corpus::EntityKind;
    let sources = tempfile::tempdir().expect("sources");
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for entry in fs::read_dir(seeds).expect("seeds") {
        let path = entry.expect("entry").path();
        fs::copy(&path, sources.path().join(path.file_name().expect("name"))).expect("copy");
    }
    let cache = tempfile::tempdir().expect("cache");
    let (cold, _) = load(sources.path(), cache.path());
    let (warm, report) = load(sources.path(), cache.path());
    assert!(report.whole, "{report:?}");
    let cards = |corpus: &Corpus| -> Vec<String> {
        (0..corpus.entities.len())
            .map(|e| entity_card(corpus, e, &FileLinks))
            .collect()
    };
    let warm_cards = cards(&warm);
    assert_eq!(warm_cards, cards(&cold));
    // Every card, agencies' "people tied to it" included, came from the
    // knowledge base: no article was read from the cache for them.
    let read: Vec<&str> = warm
        .documents
        .iter()
        .filter(|d| d.text.is_resident())
        .map(|d| d.id.as_str())
        .collect();
    assert!(read.is_empty(), "cards read {read:?}");
    let mi6 = warm.find_entity("MI6").expect("MI6");
    assert_eq!(warm.entities[mi6].kind, EntityKind::Agency);
    assert!(
        warm_cards[mi6].contains("a former MI6 operative (000:17)"),
        "{}",
        warm_cards[mi6]
    );
}
