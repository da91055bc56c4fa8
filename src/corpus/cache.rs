//! The persistent index: a corpus's knowledge base and look-up structures
//! saved in a cache folder, so that a restart over unchanged sources is a
//! file read, and a restart after edits reads only the articles that changed.
//!
//! Three files per corpus, each written atomically (a temporary file in the
//! same folder, then a rename):
//! - `corpus.bin` — what the server serves: documents (without their
//!   texts), entities, quotes, quote and passage indexes, the name
//!   automaton, and the manifest (every source's path, size, modification
//!   time and content hash, and what reading it gave). A file of
//!   sections, each postcard (serde) with a checksum, so that a start reads
//!   and decodes them on all cores ([`super::sections`]).
//! - `texts.bin` — the documents' readable texts one after the other,
//!   behind a short header. Not decoded on load: each text is read the
//!   first time something asks for it ([`super::text`]), so a large archive
//!   starts without its texts in memory.
//! - `articles.bin` — per article, the names and quotations the reading
//!   stages found: what merging needs to rebuild the corpus without reading
//!   unchanged articles again. Only loaded when something changed. Postcard.
//!
//! A start first walks the folders without reading files. When every path
//! and stamp matches the manifest, `corpus.bin` is the corpus. Otherwise a
//! changed stamp sends the file to be read and hashed: the same content (a
//! `touch`, a checkout) reuses the cached article; new content is read like
//! a cold build. Merging then runs over all articles, and both files are
//! written again. A cache that cannot be read (missing, from another
//! version, truncated, corrupt) is a cold build; one that cannot be written
//! is a warning: the corpus still loads.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{Document, Entity, Quote, Skipped};
use super::name_index::NameIndex;
use super::passages::PassageIndex;
use super::quote_match::QuoteIndex;
use super::sections;
use super::source::{self, Candidate, Problem, Stamp};
use super::text::{text_hash, DocText, TextFile, TextSlot};
use super::{read_guarded, ArticleParts, Corpus, CorpusOptions, ReadDocument};

/// Bump when anything serialized here, or what reading produces, changes.
const FORMAT: u32 = 12;

/// How `texts.bin` opens: these bytes, then the generation (little-endian
/// `u64`) that `corpus.bin` must name.
const TEXTS_MAGIC: &[u8; 8] = b"DOSSIERT";

/// What a cache must have been written by: this version of Dossier, and
/// this very build (a rebuilt binary may read articles differently).
fn build_id() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| fs::metadata(p).ok())
        .map(|m| Stamp::of_metadata(&m))
        .unwrap_or_default();
    format!(
        "{} {FORMAT} {}:{}",
        env!("CARGO_PKG_VERSION"),
        exe.size,
        exe.mtime_ns
    )
}

/// Where caches live when the user names no folder: `$XDG_CACHE_HOME/dossier`
/// (or the platform's cache folder).
pub fn default_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("dossier"))
}

/// How a load went, for logs and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheReport {
    /// The cache folder of this corpus.
    pub dir: PathBuf,
    /// The whole corpus came from the cache: no source was read.
    pub whole: bool,
    /// Articles reused from the cache / read (new or changed).
    pub reused: usize,
    pub read: usize,
    /// Articles that left the corpus since the cache was written.
    pub removed: usize,
    /// Why the cache could not be used or written, if it could not.
    pub problem: Option<String>,
}

/// One source as the manifest remembers it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    path: PathBuf,
    stamp: Stamp,
    hash: u64,
    outcome: Outcome,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
enum Outcome {
    /// Read well: index into the snapshot's documents, and the warning
    /// reading gave (lossy decoding).
    Document(usize, Option<String>),
    /// Refused when read (binary, empty, too large…).
    Skipped(String),
}

/// What `corpus.bin` holds, decoded. On disk it is a file of sections
/// ([`super::sections`]): the big parts in chunks, so that a start decodes
/// them on all cores.
struct Snapshot {
    manifest: Vec<Entry>,
    documents: Vec<Document>,
    entities: Vec<Entity>,
    quotes: Vec<Quote>,
    quote_index: QuoteIndex,
    passages: PassageIndex,
    names: NameIndex,
    texts: Texts,
}

impl Snapshot {
    /// The corpus the snapshot holds, with the sources the scan left out.
    fn into_corpus(self, skipped: Vec<Skipped>, warnings: Vec<String>) -> Corpus {
        Corpus::from_parts(
            self.documents,
            self.entities,
            self.quotes,
            skipped,
            warnings,
            self.quote_index,
            self.passages,
            self.names,
        )
    }
}

/// The cache's snapshot with its texts attached, as a start reads it.
fn read_cached(dir: &Path, build: &str) -> Result<Snapshot, ReadError> {
    let mut snap = read_snapshot(&dir.join("corpus.bin"), build)?;
    attach_texts(dir, &mut snap)?;
    Ok(snap)
}

/// Where each document's text stands in `texts.bin`.
#[derive(Serialize, Deserialize)]
struct Texts {
    /// Written at the head of `texts.bin` too: a `corpus.bin` is only
    /// used with the texts written with it.
    generation: u64,
    /// The file's length.
    len: u64,
    /// `slots[d]` is `documents[d]`'s text.
    slots: Vec<TextSlot>,
}

#[derive(Serialize, Deserialize)]
struct Articles {
    format: u32,
    version: String,
    /// `parts[d]` belongs to the snapshot's `documents[d]`.
    parts: Vec<ArticleParts>,
}

/// The folder of one corpus's cache inside `root`: named by a hash of what
/// makes up the corpus (folders, embedded corpus, size limit).
pub fn corpus_dir(root: &Path, options: &CorpusOptions) -> PathBuf {
    let mut key = Vec::new();
    for folder in &options.folders {
        let folder = fs::canonicalize(folder).unwrap_or_else(|_| folder.clone());
        key.extend_from_slice(folder.as_os_str().as_encoded_bytes());
        key.push(0);
    }
    key.push(options.include_embedded as u8);
    key.extend_from_slice(&options.load.max_file_size.to_le_bytes());
    root.join(format!(
        "corpus-{:016x}",
        twox_hash::XxHash3_64::oneshot(&key)
    ))
}

fn content_hash(text: &str) -> u64 {
    twox_hash::XxHash3_64::oneshot(text.as_bytes())
}

/// Load the corpus, from the cache in `root` where the sources allow.
/// `progress(done, total)` counts articles; `cancelled()` is polled and,
/// when true, the load stops early and returns `None` (nothing is written).
pub fn load(
    options: &CorpusOptions,
    root: &Path,
    progress: &(dyn Fn(usize, usize) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<(Corpus, CacheReport)> {
    let dir = corpus_dir(root, options);
    let mut report = CacheReport {
        dir: dir.clone(),
        ..CacheReport::default()
    };
    let mut clock = super::StageClock::new();
    let build = build_id();
    // The walk and the cache read need nothing of each other: one runs
    // while the other decodes.
    let (scan, snapshot) = rayon::join(
        || source::scan(&options.folders, options.include_embedded, &options.load),
        || read_cached(&dir, &build),
    );
    let candidates: Vec<&Candidate> = scan.candidates().collect();
    let mut walk_skipped: Vec<Skipped> = Vec::new();
    let mut walk_warnings: Vec<String> = Vec::new();
    for part in &scan.parts {
        walk_skipped.extend(part.skipped.iter().cloned());
        walk_warnings.extend(part.warnings.iter().cloned());
    }
    clock.stage("scan, read cache");
    let snapshot = match snapshot {
        Ok(s) => Some(s),
        Err(ReadError::OtherBuild) => {
            report.problem = Some("cache from another version of Dossier; rebuilding".into());
            None
        }
        Err(ReadError::Unreadable(e)) => {
            if dir.join("corpus.bin").exists() {
                report.problem = Some(format!("cache unreadable ({e}); rebuilding"));
            }
            None
        }
    };

    // Everything as it was: the snapshot is the corpus.
    if let Some(snap) = &snapshot {
        let same = snap.manifest.len() == candidates.len()
            && snap
                .manifest
                .iter()
                .zip(&candidates)
                .all(|(e, c)| trusted(e, c));
        if same {
            let snap = snapshot.expect("checked above");
            let total = snap.manifest.len();
            progress(total, total);
            report.whole = true;
            report.reused = snap.documents.len();
            let mut skipped = Vec::new();
            let mut warnings = Vec::new();
            collect_outcomes(&snap.manifest, &mut skipped, &mut warnings);
            skipped.extend(walk_skipped);
            warnings.extend(walk_warnings);
            let corpus = snap.into_corpus(skipped, warnings);
            record_problems(&corpus.skipped, &[]);
            clock.stage("corpus from cache");
            return Some((corpus, report));
        }
    }

    // Something changed: reuse what still holds, read the rest.
    let (mut old_docs, mut old_parts, old_manifest) = match snapshot {
        Some(snap) => {
            let parts = read_file::<Articles>(&dir.join("articles.bin"), &build)
                .ok()
                .filter(|a| a.parts.len() == snap.documents.len());
            match parts {
                Some(a) => (
                    snap.documents.into_iter().map(Some).collect(),
                    a.parts.into_iter().map(Some).collect(),
                    snap.manifest,
                ),
                None => (Vec::new(), Vec::new(), Vec::new()),
            }
        }
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let old_by_path: HashMap<&Path, &Entry> =
        old_manifest.iter().map(|e| (e.path.as_path(), e)).collect();

    enum Got {
        /// The cached article (by its old document index), with a new stamp.
        Cached(usize, Stamp, Option<String>),
        Read(Box<ReadDocument>, u64, Option<String>),
        Refused(Skipped, u64),
    }
    let total = candidates.len();
    let done = AtomicUsize::new(0);
    let got: Vec<Option<Got>> = candidates
        .par_iter()
        .map(|c| {
            if cancelled() {
                return None;
            }
            let old = old_by_path.get(c.path.as_path()).copied();
            let got = match old {
                Some(e) if trusted(e, c) => match &e.outcome {
                    Outcome::Document(d, w) => Got::Cached(*d, c.stamp, w.clone()),
                    Outcome::Skipped(reason) => Got::Refused(
                        Skipped {
                            path: c.path.clone(),
                            reason: reason.clone(),
                        },
                        e.hash,
                    ),
                },
                _ => match source::read(c, &options.load) {
                    Ok((file, warning)) => {
                        let hash = content_hash(&file.text);
                        match old.map(|e| (e.hash, &e.outcome)) {
                            Some((h, Outcome::Document(d, _))) if h == hash => {
                                Got::Cached(*d, c.stamp, warning)
                            }
                            _ => match read_guarded(file) {
                                Ok(read) => Got::Read(Box::new(read), hash, warning),
                                Err(skipped) => Got::Refused(skipped, hash),
                            },
                        }
                    }
                    Err(skipped) => Got::Refused(skipped, 0),
                },
            };
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            Some(got)
        })
        .collect();
    if cancelled() || got.iter().any(Option::is_none) {
        return None;
    }
    clock.stage("read articles");

    let remembering = source::remembering();
    let mut manifest = Vec::with_capacity(total);
    let mut documents = Vec::with_capacity(total);
    let mut parts = Vec::with_capacity(total);
    let mut skipped = Vec::new();
    let mut warnings = Vec::new();
    let mut kept = Vec::new();
    let mut reused_old = vec![false; old_docs.len()];
    for (c, got) in candidates.iter().zip(got.into_iter().flatten()) {
        match got {
            Got::Cached(d, stamp, warning) => {
                let hash = old_by_path.get(c.path.as_path()).map_or(0, |e| e.hash);
                if let Some((doc, p)) = take_old(d, &mut old_docs, &mut old_parts) {
                    reused_old[d] = true;
                    report.reused += 1;
                    warnings.extend(warning.clone());
                    manifest.push(Entry {
                        path: c.path.clone(),
                        stamp,
                        hash,
                        outcome: Outcome::Document(documents.len(), warning),
                    });
                    documents.push(doc);
                    parts.push(p);
                }
            }
            Got::Read(read, hash, warning) => {
                report.read += 1;
                warnings.extend(warning.clone());
                manifest.push(Entry {
                    path: c.path.clone(),
                    stamp: c.stamp,
                    hash,
                    outcome: Outcome::Document(documents.len(), warning),
                });
                documents.push(read.doc);
                parts.push(read.parts);
            }
            Got::Refused(s, hash) => {
                // A source that stops reading keeps its last good version
                // in a server (see `source::remember_loads`).
                let last_good = old_by_path
                    .get(c.path.as_path())
                    .and_then(|e| match e.outcome {
                        Outcome::Document(d, _)
                            if remembering && source::is_problem(&s) && !is_gone(&s) =>
                        {
                            Some(d)
                        }
                        _ => None,
                    });
                if let Some((doc, p)) = last_good.and_then(|d| {
                    let r = take_old(d, &mut old_docs, &mut old_parts);
                    if r.is_some() {
                        reused_old[d] = true;
                    }
                    r
                }) {
                    let e = old_by_path[c.path.as_path()];
                    warnings.push(format!(
                        "{}: using the last version that read well",
                        c.path.display()
                    ));
                    kept.push(Problem {
                        path: s.path.clone(),
                        reason: s.reason.clone(),
                        kept: true,
                    });
                    // Keep the old stamp: the file is read again next time.
                    manifest.push(Entry {
                        path: c.path.clone(),
                        stamp: Stamp::default(),
                        hash: e.hash,
                        outcome: Outcome::Document(documents.len(), None),
                    });
                    documents.push(doc);
                    parts.push(p);
                } else {
                    manifest.push(Entry {
                        path: c.path.clone(),
                        stamp: c.stamp,
                        hash,
                        outcome: Outcome::Skipped(s.reason.clone()),
                    });
                    skipped.push(s);
                }
            }
        }
    }
    // A folder that stops reading (turned into a link loop, made
    // unreadable) keeps the last good version of the files under it.
    if remembering {
        let present: std::collections::HashSet<&Path> =
            candidates.iter().map(|c| c.path.as_path()).collect();
        for s in walk_skipped
            .iter()
            .filter(|s| source::is_problem(s) && !is_gone(s))
        {
            let mut any = false;
            for e in &old_manifest {
                let Outcome::Document(d, _) = e.outcome else {
                    continue;
                };
                if !e.path.starts_with(&s.path) || present.contains(e.path.as_path()) {
                    continue;
                }
                if let Some((doc, p)) = take_old(d, &mut old_docs, &mut old_parts) {
                    reused_old[d] = true;
                    any = true;
                    warnings.push(format!(
                        "{}: using the last version that read well",
                        e.path.display()
                    ));
                    manifest.push(Entry {
                        path: e.path.clone(),
                        stamp: Stamp::default(),
                        hash: e.hash,
                        outcome: Outcome::Document(documents.len(), None),
                    });
                    documents.push(doc);
                    parts.push(p);
                }
            }
            kept.push(Problem {
                path: s.path.clone(),
                reason: s.reason.clone(),
                kept: any,
            });
        }
    }
    report.removed = old_manifest
        .iter()
        .filter(|e| matches!(e.outcome, Outcome::Document(d, _) if !reused_old.get(d).copied().unwrap_or(true)))
        .count();
    drop(old_by_path);

    let mut id_warnings = Vec::new();
    let mut ids: Vec<(&Path, &mut String)> = documents
        .iter_mut()
        .map(|d| (d.path.as_path(), &mut d.id))
        .collect();
    source::unique_ids(&mut ids, &mut id_warnings);
    drop(ids);
    warnings.extend(id_warnings);
    skipped.extend(walk_skipped);
    warnings.extend(walk_warnings);

    clock.stage("manifest");
    let mut corpus = Corpus::assemble(documents, &parts, skipped, warnings);
    record_problems(&corpus.skipped, &kept);
    clock = super::StageClock::new();
    match save(&dir, &build, &manifest, &corpus, parts) {
        // Serve what was just written (see `serve_written`).
        Ok((file, slots)) => {
            clock.stage("write cache");
            serve_written(&mut corpus, read_cached(&dir, &build), &file, slots);
        }
        Err(e) => {
            report.problem = Some(format!("cannot write the cache in {}: {e}", dir.display()));
        }
    }
    clock.stage("read the cache back");
    Some((corpus, report))
}

/// Serve the corpus just written to the cache as a start from the cache
/// would: read back, its lists are sized to fit and laid out afresh, where
/// the built ones grew item by item among the build's buffers (after a
/// cold index of 100,000 articles the server held 1,382 MiB this way
/// against 929 MiB, the same figures as a restart). The built corpus goes
/// once the copy is in; should the copy not read, the built one stays,
/// its texts served from the cache file.
fn serve_written(
    corpus: &mut Corpus,
    written: Result<Snapshot, ReadError>,
    file: &std::sync::Arc<TextFile>,
    slots: Vec<TextSlot>,
) {
    match written {
        Ok(snap) => {
            let skipped = std::mem::take(&mut corpus.skipped);
            let warnings = std::mem::take(&mut corpus.warnings);
            *corpus = snap.into_corpus(skipped, warnings);
        }
        Err(_) => {
            for (doc, slot) in corpus.documents.iter_mut().zip(slots) {
                doc.text = DocText::stored(file.clone(), slot);
            }
        }
    }
}

/// The manifest's entry still describes the file: same path, size and time
/// (a file whose time is unknown is always read again).
fn trusted(e: &Entry, c: &Candidate) -> bool {
    e.path == c.path && e.stamp == c.stamp && c.stamp.mtime_ns != 0
}

/// Move a cached article out of the old snapshot (once).
fn take_old(
    d: usize,
    docs: &mut [Option<Document>],
    parts: &mut [Option<ArticleParts>],
) -> Option<(Document, ArticleParts)> {
    Some((docs.get_mut(d)?.take()?, parts.get_mut(d)?.take()?))
}

fn is_gone(s: &Skipped) -> bool {
    s.reason.contains("does not exist") || s.reason.contains("No such file")
}

fn record_problems(skipped: &[Skipped], kept: &[Problem]) {
    if !source::remembering() {
        return;
    }
    let mut problems: Vec<Problem> = skipped
        .iter()
        .filter(|s| source::is_problem(s))
        .map(|s| Problem {
            path: s.path.clone(),
            reason: s.reason.clone(),
            kept: kept.iter().any(|k| k.path == s.path && k.kept),
        })
        .collect();
    for k in kept {
        if !problems.iter().any(|p| p.path == k.path) {
            problems.push(k.clone());
        }
    }
    source::record_problems(problems);
}

fn collect_outcomes(manifest: &[Entry], skipped: &mut Vec<Skipped>, warnings: &mut Vec<String>) {
    for e in manifest {
        match &e.outcome {
            Outcome::Document(_, w) => warnings.extend(w.clone()),
            Outcome::Skipped(reason) => skipped.push(Skipped {
                path: e.path.clone(),
                reason: reason.clone(),
            }),
        }
    }
}

/// Give the snapshot's documents their texts in `texts.bin`, when that file
/// is the one written with it.
fn attach_texts(dir: &Path, snap: &mut Snapshot) -> Result<(), ReadError> {
    let unreadable = |why: String| ReadError::Unreadable(format!("texts.bin: {why}"));
    let path = dir.join("texts.bin");
    let file = TextFile::open(&path).map_err(|e| unreadable(e.to_string()))?;
    let head = file
        .read_at(0, TEXTS_MAGIC.len() + 8)
        .map_err(|e| unreadable(e.to_string()))?;
    let len = file.size().map_err(|e| unreadable(e.to_string()))?;
    let texts = &snap.texts;
    if &head[..TEXTS_MAGIC.len()] != TEXTS_MAGIC
        || head[TEXTS_MAGIC.len()..] != texts.generation.to_le_bytes()
        || len != texts.len
    {
        return Err(unreadable("not the file written with corpus.bin".into()));
    }
    let fits = |s: &TextSlot| s.offset.checked_add(s.len).is_some_and(|end| end <= len);
    if texts.slots.len() != snap.documents.len() || !texts.slots.iter().all(fits) {
        return Err(unreadable("does not match the documents".into()));
    }
    let file = std::sync::Arc::new(file);
    for (doc, slot) in snap.documents.iter_mut().zip(&texts.slots) {
        doc.text = DocText::stored(file.clone(), *slot);
    }
    Ok(())
}

/// A number for one write of the cache, shared by its files.
fn generation() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut key = now.to_le_bytes().to_vec();
    key.extend_from_slice(&std::process::id().to_le_bytes());
    twox_hash::XxHash3_64::oneshot(&key)
}

/// Write the corpus's texts, then its articles, then the snapshot; give
/// back the texts file, opened, and where each document's text is in it.
fn save(
    dir: &Path,
    build: &str,
    manifest: &[Entry],
    corpus: &Corpus,
    parts: Vec<ArticleParts>,
) -> std::io::Result<(std::sync::Arc<TextFile>, Vec<TextSlot>)> {
    fs::create_dir_all(dir)?;
    let generation = generation();
    let mut slots = Vec::with_capacity(corpus.documents.len());
    let mut offset = (TEXTS_MAGIC.len() + 8) as u64;
    write_atomic_with(dir, "texts.bin", |w| {
        w.write_all(TEXTS_MAGIC)?;
        w.write_all(&generation.to_le_bytes())?;
        for doc in &corpus.documents {
            let text = doc.text.as_str();
            w.write_all(text.as_bytes())?;
            slots.push(TextSlot {
                offset,
                len: text.len() as u64,
                hash: text_hash(text),
            });
            offset += text.len() as u64;
        }
        Ok(())
    })?;
    let texts = Texts {
        generation,
        len: offset,
        slots,
    };
    let articles = Articles {
        format: FORMAT,
        version: build.to_string(),
        parts,
    };
    // Articles first: a snapshot is only trusted with its articles beside it
    // (their count must match), so a crash between the two writes costs a
    // rebuild, never a wrong corpus.
    write_atomic(dir, "articles.bin", &articles)?;
    write_snapshot(dir, build, manifest, corpus, &texts)?;
    let file = TextFile::open(&dir.join("texts.bin"))?;
    Ok((std::sync::Arc::new(file), texts.slots))
}

fn write_atomic<T: Serialize>(dir: &Path, name: &str, value: &T) -> std::io::Result<()> {
    write_atomic_with(dir, name, |w| {
        postcard::to_io(value, w).map_err(std::io::Error::other)?;
        Ok(())
    })
}

/// Write `name` in `dir` through `write`: to a temporary file beside it,
/// flushed to disk, then renamed over the old one.
fn write_atomic_with(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .tempfile_in(dir)?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
        write(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(dir.join(name)).map_err(|e| e.error)?;
    Ok(())
}

/// The sections of `corpus.bin`, in the order they are written: the
/// biggest first, so that the cores decoding them finish together.
#[derive(Clone, Copy)]
enum Part<'a> {
    Passages(&'a PassageIndex),
    Documents(&'a [Document]),
    Entities(&'a [Entity]),
    Quotes(&'a [Quote]),
    QuoteIndex(&'a QuoteIndex),
    Names(&'a NameIndex),
    Manifest(&'a [Entry]),
    Texts(&'a Texts),
    /// The indexes' posting lists, stored as they are in memory.
    PassagePostings(&'a [u8]),
    QuotePostings(&'a [u8]),
}

/// A section decoded.
enum Decoded {
    Passages(PassageIndex),
    Documents(Vec<Document>),
    Entities(Vec<Entity>),
    Quotes(Vec<Quote>),
    QuoteIndex(QuoteIndex),
    Names(NameIndex),
    Manifest(Vec<Entry>),
    Texts(Texts),
    PassagePostings(Vec<u8>),
    QuotePostings(Vec<u8>),
}

/// The lists are cut in this many chunks each (and no smaller than
/// [`MIN_CHUNK`] items): enough to keep every core busy.
const CHUNKS: usize = 16;
const MIN_CHUNK: usize = 1024;

/// Section kinds, as [`Part::kind`] writes them and [`decode_section`]
/// reads them.
mod kind {
    pub const PASSAGES: u8 = 0;
    pub const DOCUMENTS: u8 = 1;
    pub const ENTITIES: u8 = 2;
    pub const QUOTES: u8 = 3;
    pub const QUOTE_INDEX: u8 = 4;
    pub const NAMES: u8 = 5;
    pub const MANIFEST: u8 = 6;
    pub const TEXTS: u8 = 7;
    pub const PASSAGE_POSTINGS: u8 = 8;
    pub const QUOTE_POSTINGS: u8 = 9;
    /// The lists written in chunks ([`super::chunked`]), each read back
    /// onto one vector ([`super::decode_list`]).
    pub const LISTS: [u8; 3] = [DOCUMENTS, ENTITIES, QUOTES];
}

impl<'a> Part<'a> {
    fn kind(self) -> u8 {
        match self {
            Part::Passages(_) => kind::PASSAGES,
            Part::Documents(_) => kind::DOCUMENTS,
            Part::Entities(_) => kind::ENTITIES,
            Part::Quotes(_) => kind::QUOTES,
            Part::QuoteIndex(_) => kind::QUOTE_INDEX,
            Part::Names(_) => kind::NAMES,
            Part::Manifest(_) => kind::MANIFEST,
            Part::Texts(_) => kind::TEXTS,
            Part::PassagePostings(_) => kind::PASSAGE_POSTINGS,
            Part::QuotePostings(_) => kind::QUOTE_POSTINGS,
        }
    }

    /// The section's bytes: encoded, or for posting lists, as they are.
    fn encode(self) -> std::io::Result<Cow<'a, [u8]>> {
        let encoded = match self {
            Part::PassagePostings(v) | Part::QuotePostings(v) => return Ok(Cow::Borrowed(v)),
            Part::Passages(v) => sections::encode(v),
            Part::Documents(v) => sections::encode(v),
            Part::Entities(v) => sections::encode(v),
            Part::Quotes(v) => sections::encode(v),
            Part::QuoteIndex(v) => sections::encode(v),
            Part::Names(v) => sections::encode(v),
            Part::Manifest(v) => sections::encode(v),
            Part::Texts(v) => sections::encode(v),
        };
        encoded.map(Cow::Owned)
    }
}

/// A section that is not part of a list ([`decode_list`] reads those).
fn decode_section(k: u8, bytes: Vec<u8>) -> Result<Decoded, String> {
    let raw = &bytes[..];
    Ok(match k {
        kind::PASSAGE_POSTINGS => Decoded::PassagePostings(bytes),
        kind::QUOTE_POSTINGS => Decoded::QuotePostings(bytes),
        kind::PASSAGES => Decoded::Passages(sections::decode(raw)?),
        kind::QUOTE_INDEX => Decoded::QuoteIndex(sections::decode(raw)?),
        kind::NAMES => Decoded::Names(sections::decode(raw)?),
        kind::MANIFEST => Decoded::Manifest(sections::decode(raw)?),
        kind::TEXTS => Decoded::Texts(sections::decode(raw)?),
        k => return Err(format!("unknown section {k}")),
    })
}

fn chunked<T>(items: &[T]) -> impl Iterator<Item = &[T]> {
    let size = items.len().div_ceil(CHUNKS).max(MIN_CHUNK);
    // An empty list is still one (empty) section.
    let empty: &[T] = &[];
    items.chunks(size).chain(items.is_empty().then_some(empty))
}

/// Write `corpus.bin`: its sections encoded a few at a time on all cores.
fn write_snapshot(
    dir: &Path,
    build: &str,
    manifest: &[Entry],
    corpus: &Corpus,
    texts: &Texts,
) -> std::io::Result<()> {
    let mut parts = vec![
        Part::PassagePostings(corpus.passages.postings_bytes()),
        Part::Passages(&corpus.passages),
        Part::QuotePostings(corpus.quote_index.postings_bytes()),
    ];
    parts.extend(chunked(&corpus.documents).map(Part::Documents));
    parts.extend(chunked(&corpus.entities).map(Part::Entities));
    parts.extend(chunked(&corpus.quotes).map(Part::Quotes));
    parts.extend([
        Part::QuoteIndex(&corpus.quote_index),
        Part::Names(&corpus.names),
        Part::Manifest(manifest),
        Part::Texts(texts),
    ]);
    let header = HeaderRef {
        format: FORMAT,
        version: build,
    };
    write_atomic_with(dir, "corpus.bin", |w| {
        let mut out = sections::Writer::new(w, &header)?;
        for group in parts.chunks(rayon::current_num_threads().max(1)) {
            let encoded: Vec<std::io::Result<Cow<[u8]>>> =
                group.par_iter().map(|p| p.encode()).collect();
            for (part, bytes) in group.iter().zip(encoded) {
                out.section(part.kind(), &bytes?)?;
            }
        }
        out.finish()?;
        Ok(())
    })
}

/// Read `corpus.bin`, when `build` wrote it in this format: its sections
/// read and decoded on all cores.
fn read_snapshot(path: &Path, build: &str) -> Result<Snapshot, ReadError> {
    let unreadable = ReadError::Unreadable;
    let file = TextFile::open(path).map_err(|e| unreadable(e.to_string()))?;
    check_header(
        &sections::head(&file).map_err(|e| unreadable(e.to_string()))?,
        build,
    )?;
    let table = sections::table(&file).map_err(unreadable)?;
    // The lists cut in sections are each decoded onto one vector, their
    // sections in order: decoded apart and then joined, the three lists'
    // arrays were held twice (at 100,000 articles 120 MB, the start's peak).
    let mut jobs: Vec<Vec<&sections::Section>> = kind::LISTS
        .iter()
        .map(|&k| table.iter().filter(|s| s.kind == k).collect())
        .collect();
    jobs.extend(
        table
            .iter()
            .filter(|s| !kind::LISTS.contains(&s.kind))
            .map(|s| vec![s]),
    );
    let decoded: Vec<Result<Decoded, String>> = jobs
        .par_iter()
        .filter(|job| !job.is_empty())
        .map(|job| match job[0].kind {
            kind::DOCUMENTS => decode_list(&file, job).map(Decoded::Documents),
            kind::ENTITIES => decode_list(&file, job).map(Decoded::Entities),
            kind::QUOTES => decode_list(&file, job).map(Decoded::Quotes),
            k => {
                let part = decode_section(k, sections::read(&file, job[0])?);
                // The section's buffer is freed: let this thread's heap
                // give it back now rather than after the whole load (at
                // 100,000 articles the buffers held at once made the peak
                // 300 MB higher than what the load keeps).
                crate::release_thread_memory();
                part
            }
        })
        .collect();
    let (mut manifest, mut quote_index, mut passages, mut names, mut texts) =
        (None, None, None, None, None);
    let (mut documents, mut entities, mut quotes) = (None, None, None);
    let (mut passage_postings, mut quote_postings) = (None, None);
    for part in decoded {
        match part.map_err(unreadable)? {
            Decoded::Passages(v) => passages = Some(v),
            Decoded::Documents(v) => documents = Some(v),
            Decoded::Entities(v) => entities = Some(v),
            Decoded::Quotes(v) => quotes = Some(v),
            Decoded::QuoteIndex(v) => quote_index = Some(v),
            Decoded::Names(v) => names = Some(v),
            Decoded::Manifest(v) => manifest = Some(v),
            Decoded::Texts(v) => texts = Some(v),
            Decoded::PassagePostings(v) => passage_postings = Some(v),
            Decoded::QuotePostings(v) => quote_postings = Some(v),
        }
    }
    let missing = || unreadable("a section is missing".into());
    let mut passages: PassageIndex = passages.ok_or_else(missing)?;
    passages.set_postings_bytes(passage_postings.ok_or_else(missing)?);
    let mut quote_index: QuoteIndex = quote_index.ok_or_else(missing)?;
    quote_index.set_postings_bytes(quote_postings.ok_or_else(missing)?);
    Ok(Snapshot {
        manifest: manifest.ok_or_else(missing)?,
        documents: documents.ok_or_else(missing)?,
        entities: entities.ok_or_else(missing)?,
        quotes: quotes.ok_or_else(missing)?,
        quote_index,
        passages,
        names: names.ok_or_else(missing)?,
        texts: texts.ok_or_else(missing)?,
    })
}

/// A list cut in `parts` (its sections, in order), decoded onto one
/// vector made as long as their lengths say.
fn decode_list<T: for<'de> Deserialize<'de>>(
    file: &TextFile,
    parts: &[&sections::Section],
) -> Result<Vec<T>, String> {
    let mut len = 0usize;
    for s in parts {
        len = len.saturating_add(sections::list_len(file, s)?);
    }
    // Each item takes at least a byte: a damaged length asks no more.
    let bytes: u64 = parts.iter().map(|s| s.len).sum();
    let mut out = Vec::with_capacity(len.min(bytes as usize));
    for s in parts {
        sections::decode_onto(&sections::read(file, s)?, &mut out)?;
        crate::release_thread_memory();
    }
    Ok(out)
}

#[derive(Serialize)]
struct HeaderRef<'a> {
    format: u32,
    version: &'a str,
}

/// Both cache files open with this: a file written by another build is
/// told apart from a damaged one before the rest is decoded (its layout may
/// differ).
#[derive(Deserialize)]
struct Header {
    format: u32,
    version: String,
}

/// A cache file's contents, when `build` wrote it in this format.
fn read_file<T: for<'de> Deserialize<'de>>(path: &Path, build: &str) -> Result<T, ReadError> {
    let bytes = fs::read(path).map_err(|e| ReadError::Unreadable(e.to_string()))?;
    check_header(&bytes, build)?;
    postcard::from_bytes(&bytes).map_err(|e| ReadError::Unreadable(e.to_string()))
}

/// Whether a cache file opening with `head` was written by `build` in this
/// format.
fn check_header(head: &[u8], build: &str) -> Result<(), ReadError> {
    let (header, _) = postcard::take_from_bytes::<Header>(head)
        .map_err(|e| ReadError::Unreadable(e.to_string()))?;
    if header.format != FORMAT || header.version != build {
        return Err(ReadError::OtherBuild);
    }
    Ok(())
}

enum ReadError {
    /// Missing, truncated or corrupt.
    Unreadable(String),
    /// Written by another version or build of Dossier.
    OtherBuild,
}
