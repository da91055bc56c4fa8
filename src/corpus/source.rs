//! Loading source files from disk and from the embedded default corpus.
//!
//! This module owns everything between "a folder the user named" and
//! "readable text with a map back to the file": walking folders the way
//! ripgrep does (ignore files, hidden files, followed links), refusing files
//! that are binary, empty, too large or unreadable, decoding text that is not
//! UTF-8, and reducing HTML to its readable text. Nothing here ever stops a
//! load: each problem becomes a [`Skipped`] entry or a warning naming its file.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::WalkBuilder;
use include_dir::{include_dir, Dir};
use rayon::prelude::*;

use super::model::{LineMap, Skipped};

/// Limits for reading sources.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Files larger than this many bytes are skipped with a warning (and
    /// never more than [`LARGEST_FILE`], whatever is asked).
    pub max_file_size: u64,
}

/// The largest source file read, whatever the options say: its readable
/// text (at most three bytes per byte of a legacy encoding) then still
/// fits the `u32` offsets the knowledge base keeps.
pub const LARGEST_FILE: u64 = 1 << 30;

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_size: 4 * 1024 * 1024,
        }
    }
}

/// A source file read into readable text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// File name without extension.
    pub id: String,
    pub path: PathBuf,
    pub embedded: bool,
    /// Readable text: the file itself for .txt/.md, text without tags for HTML.
    pub text: String,
    pub line_map: LineMap,
}

/// What a load produced: readable files, skipped files, and warnings to show
/// the user (e.g. lossy decoding), each naming its file.
#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Vec<SourceFile>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<String>,
}

/// How a file's bytes become readable text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SourceKind {
    /// `.txt`, `.md`, `.markdown`: the file is the text.
    Plain,
    /// `.html`, `.htm`: tags removed, see [`html_readable_text`].
    Html,
}

/// The kind of source a path holds, judged by its extension (any case);
/// `None` for every other file, which loading passes over silently.
fn source_kind(path: &Path) -> Option<SourceKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "md" | "markdown" => Some(SourceKind::Plain),
        "html" | "htm" => Some(SourceKind::Html),
        _ => None,
    }
}

/// The document id of a path: its file name without the extension.
fn id_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Load the embedded corpus (when asked) and then each root in turn.
///
/// A root may be a folder (walked) or a single source file. A root that does
/// not exist or is neither becomes a skipped entry. Document ids stay unique
/// across everything loaded: a later file whose id is taken becomes `id~2`,
/// `id~3`… with a warning.
pub fn load(roots: &[PathBuf], include_embedded: bool, opts: &LoadOptions) -> Loaded {
    let mut loaded = Loaded::default();
    for part in scan(roots, include_embedded, opts).parts {
        let outcomes: Vec<Outcome> = part
            .candidates
            .par_iter()
            .map(|c| read_candidate(c, opts))
            .collect();
        let mut here = Loaded::default();
        collect(outcomes, &mut here);
        here.skipped.extend(part.skipped);
        here.warnings.extend(part.warnings);
        here.files.sort_by(|a, b| a.path.cmp(&b.path));
        here.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        loaded.files.append(&mut here.files);
        loaded.skipped.append(&mut here.skipped);
        loaded.warnings.append(&mut here.warnings);
    }
    if let Ok(mut memory) = MEMORY.lock() {
        if let Some(memory) = memory.as_mut() {
            memory.apply(&mut loaded);
        }
    }
    make_ids_unique(&mut loaded.files, &mut loaded.warnings);
    loaded
}

/// Size and modification time of a source file: what tells that an earlier
/// reading of it still holds without reading it again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub size: u64,
    /// Nanoseconds since the Unix epoch; 0 when unknown.
    pub mtime_ns: u64,
}

impl Stamp {
    /// The stamp of a file from its metadata.
    pub fn of_metadata(meta: &fs::Metadata) -> Stamp {
        Stamp::of(meta)
    }

    fn of(meta: &fs::Metadata) -> Stamp {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        Stamp {
            size: meta.len(),
            mtime_ns,
        }
    }
}

/// A source file found by [`scan`], not read yet.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    pub stamp: Stamp,
    pub embedded: bool,
    kind: SourceKind,
    /// The bytes of an embedded file.
    bytes: Option<&'static [u8]>,
}

/// What the configured roots hold, without reading any file: one part for
/// the embedded corpus and one per root, in the order a load reads them.
#[derive(Debug, Default)]
pub struct Scan {
    pub parts: Vec<ScanPart>,
}

#[derive(Debug, Default)]
pub struct ScanPart {
    pub candidates: Vec<Candidate>,
    /// Files and folders passed over while walking (hidden, ignored, loops…).
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<String>,
}

impl Scan {
    pub fn candidates(&self) -> impl Iterator<Item = &Candidate> {
        self.parts.iter().flat_map(|p| p.candidates.iter())
    }
}

/// Walk the roots (and list the embedded corpus) without reading files: a
/// cache can tell from the stamps which files it must read again.
pub fn scan(roots: &[PathBuf], include_embedded: bool, opts: &LoadOptions) -> Scan {
    let mut scan = Scan::default();
    if include_embedded {
        let mut part = ScanPart::default();
        for file in SEEDS.files() {
            let (Some(name), Some(kind)) = (file.path().file_name(), source_kind(file.path()))
            else {
                continue;
            };
            part.candidates.push(Candidate {
                path: Path::new("seeds").join(name),
                // Embedded files have no time: their content hash stands in
                // for it, so a cache notices a rebuilt binary's new seeds.
                stamp: Stamp {
                    size: file.contents().len() as u64,
                    mtime_ns: twox_hash::XxHash3_64::oneshot(file.contents()).max(1),
                },
                embedded: true,
                kind,
                bytes: Some(file.contents()),
            });
        }
        part.candidates.sort_by(|a, b| a.path.cmp(&b.path));
        scan.parts.push(part);
    }
    for root in roots {
        let mut part = ScanPart::default();
        scan_root(root, opts, &mut part);
        scan.parts.push(part);
    }
    scan
}

/// Read one candidate of a [`scan`]; the warning is about lossy decoding.
pub fn read(
    candidate: &Candidate,
    opts: &LoadOptions,
) -> Result<(SourceFile, Option<String>), Skipped> {
    read_candidate(candidate, opts).map(|r| (r.file, r.warning))
}

fn read_candidate(c: &Candidate, opts: &LoadOptions) -> Outcome {
    match c.bytes {
        Some(bytes) => {
            source_from_bytes(id_of(&c.path), c.path.clone(), true, bytes.to_vec(), c.kind)
        }
        None => read_path(&c.path, c.kind, opts),
    }
}

/// Give documents unique ids (`id~2`… for a later file whose id is taken),
/// as [`load`] does, for documents assembled from several places.
pub fn unique_ids(files: &mut [(&Path, &mut String)], warnings: &mut Vec<String>) {
    let mut taken: HashMap<String, PathBuf> = HashMap::new();
    for (path, id) in files.iter_mut() {
        **id = id_of(path);
        if let Some(first) = taken.get(id.as_str()) {
            let mut n = 2;
            let renamed = loop {
                let candidate = format!("{}~{n}", id);
                if !taken.contains_key(&candidate) {
                    break candidate;
                }
                n += 1;
            };
            warnings.push(format!(
                "{}: document id \"{}\" is already used by {}; this file is known as \"{}\"",
                path.display(),
                id,
                first.display(),
                renamed
            ));
            **id = renamed;
        }
        taken.insert(id.to_string(), path.to_path_buf());
    }
}

/// Whether this process keeps the last good version of sources (see
/// [`remember_loads`]).
pub fn remembering() -> bool {
    MEMORY.lock().map(|m| m.is_some()).unwrap_or(false)
}

/// Record the problems of a load done outside [`load`] (by the cache).
pub fn record_problems(problems: Vec<Problem>) {
    if let Ok(mut memory) = MEMORY.lock() {
        if let Some(memory) = memory.as_mut() {
            memory.problems = problems;
        }
    }
}

// ---------------------------------------------------------------------------
// Last good knowledge, for a long-running server.
//
// A source that breaks while the server runs (replaced by binary, emptied,
// made unreadable, rewritten while read, its folder turned into a link loop)
// should not make the writer lose what it said: the server keeps the last
// version it read well until the file reads again. A file that is gone
// (deleted, renamed) is dropped: that is the writer's doing.

/// The process-wide memory, off until a server asks for it: one-shot
/// commands and tests that reload a folder see each load on its own.
static MEMORY: Mutex<Option<LoadMemory>> = Mutex::new(None);

#[derive(Default)]
struct LoadMemory {
    /// The last version of each file that read well.
    good: HashMap<PathBuf, SourceFile>,
    /// Problems found by the last load (skipped files that matter).
    problems: Vec<Problem>,
}

/// A source the last load could not read, and whether an earlier version
/// of it is still in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub reason: String,
    /// True when the last good version of the file (or of the files under
    /// the folder) stands in for it.
    pub kept: bool,
}

/// Makes every later [`load`] in this process keep the last good version of
/// files that stop reading, and record the problems for [`problems`]. The
/// language server calls this once at start.
pub fn remember_loads() {
    if let Ok(mut memory) = MEMORY.lock() {
        memory.get_or_insert_with(LoadMemory::default);
    }
}

/// The problems of the last load, once [`remember_loads`] is on.
pub fn problems() -> Vec<Problem> {
    match MEMORY.lock() {
        Ok(memory) => memory
            .as_ref()
            .map(|m| m.problems.clone())
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// Whether a skipped entry is something wrong (rather than a file left out
/// on purpose by an ignore rule or a hidden name).
pub fn is_problem(skipped: &Skipped) -> bool {
    let r = skipped.reason.as_str();
    !(r.starts_with("hidden file")
        || r.starts_with("ignored by")
        || r.starts_with("folder ignored")
        || r.starts_with("not a source file"))
}

impl LoadMemory {
    fn apply(&mut self, loaded: &mut Loaded) {
        let mut problems = Vec::new();
        let mut kept_files = Vec::new();
        let present: HashSet<PathBuf> = loaded.files.iter().map(|f| f.path.clone()).collect();
        for skipped in &loaded.skipped {
            if !is_problem(skipped) {
                continue;
            }
            // A missing file is gone, not broken; anything else that stops a
            // file (or a folder) reading keeps what was read before.
            let gone = skipped.reason.contains("does not exist")
                || skipped.reason.contains("No such file");
            let mut kept = false;
            if !gone {
                for (path, file) in &self.good {
                    if path.starts_with(&skipped.path) && !present.contains(path) {
                        kept_files.push(file.clone());
                        kept = true;
                    }
                }
            }
            problems.push(Problem {
                path: skipped.path.clone(),
                reason: skipped.reason.clone(),
                kept,
            });
        }
        kept_files.sort_by(|a, b| a.path.cmp(&b.path));
        kept_files.dedup_by(|a, b| a.path == b.path);
        for file in &kept_files {
            loaded.warnings.push(format!(
                "{}: using the last version that read well",
                file.path.display()
            ));
        }
        loaded.files.extend(kept_files);
        self.good = loaded
            .files
            .iter()
            .filter(|f| !f.embedded)
            .map(|f| (f.path.clone(), f.clone()))
            .collect();
        self.problems = problems;
    }
}

/// Reads one source file's bytes as a source, judging its kind by the
/// path's extension (anything unknown is read as plain text): what loading
/// does after reading a file from disk. For tools and fuzzing.
pub fn read_bytes(path: &Path, bytes: Vec<u8>) -> Result<SourceFile, Skipped> {
    let kind = source_kind(path).unwrap_or(SourceKind::Plain);
    source_from_bytes(id_of(path), path.to_path_buf(), false, bytes, kind).map(|read| read.file)
}

/// Walk `dir` and read every source file under it.
pub fn load_dir(dir: &Path, opts: &LoadOptions) -> Loaded {
    load(&[dir.to_path_buf()], false, opts)
}

/// The corpus compiled into the binary, so the server works before the user
/// points it anywhere.
static SEEDS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/seeds");

/// The articles compiled into the binary (the project's `seeds/`).
pub fn embedded() -> Vec<SourceFile> {
    let opts = LoadOptions::default();
    scan(&[], true, &opts)
        .candidates()
        .filter_map(|c| read_candidate(c, &opts).ok().map(|read| read.file))
        .collect()
}

fn skip(part: &mut ScanPart, path: &Path, reason: impl Into<String>) {
    part.skipped.push(Skipped {
        path: path.to_path_buf(),
        reason: reason.into(),
    });
}

fn scan_root(root: &Path, opts: &LoadOptions, loaded: &mut ScanPart) {
    match fs::metadata(root) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            skip(
                loaded,
                root,
                format!("source folder does not exist ({err})"),
            );
        }
        Err(err) => skip(loaded, root, format!("source folder cannot be read: {err}")),
        Ok(meta) if meta.is_dir() => walk_root(root, opts, loaded),
        Ok(meta) if meta.is_file() => match source_kind(root) {
            Some(kind) => loaded.candidates.push(Candidate {
                path: root.to_path_buf(),
                stamp: Stamp::of(&meta),
                embedded: false,
                kind,
                bytes: None,
            }),
            None => skip(
                loaded,
                root,
                "not a source file: only .txt, .md, .markdown, .html and .htm are read",
            ),
        },
        Ok(_) => skip(loaded, root, "not a folder or a regular file"),
    }
}

/// Walk one folder: respect ignore files and hidden files like ripgrep, even
/// outside a git repository; follow links; report loops and I/O errors; list
/// the source files in path order with their stamps.
fn walk_root(root: &Path, _opts: &LoadOptions, part: &mut ScanPart) {
    let mut seen_dirs: HashSet<PathBuf> = HashSet::new();
    let mut seen_files: HashSet<PathBuf> = HashSet::new();

    let walker = WalkBuilder::new(root)
        .follow_links(true)
        .require_git(false)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for item in walker {
        let entry = match item {
            Ok(entry) => entry,
            Err(err) => {
                report_walk_error(&err, root, part);
                continue;
            }
        };
        if let Some(err) = entry.error() {
            // A .gitignore with a bad line: the rest of it still applies.
            part.warnings
                .push(format!("{}: {}", entry.path().display(), err));
        }
        let path = entry.path();
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            seen_dirs.insert(path.to_path_buf());
            if entry.depth() > 0 && source_kind(path).is_some() {
                skip(
                    part,
                    path,
                    "cannot read: it is a folder, not a file (the files inside it are still read)",
                );
            }
            continue;
        }
        seen_files.insert(path.to_path_buf());
        if let Some(kind) = source_kind(path) {
            // A file whose metadata cannot be read gets an empty stamp: it is
            // read (and its problem reported) like any changed file.
            let stamp = entry.metadata().map(|m| Stamp::of(&m)).unwrap_or_default();
            part.candidates.push(Candidate {
                path: path.to_path_buf(),
                stamp,
                embedded: false,
                kind,
                bytes: None,
            });
        }
    }

    report_filtered(root, seen_dirs, &seen_files, part);
}

/// Turn an error from the walker into a skipped entry naming its path.
fn report_walk_error(err: &ignore::Error, root: &Path, loaded: &mut ScanPart) {
    match walk_error_parts(err) {
        (Some(path), reason) => {
            // A dangling link to an image is no more a source than the image.
            let is_loop = reason.starts_with("symbolic link loop");
            if is_loop || source_kind(&path).is_some() || path.extension().is_none() {
                let reason = if is_loop {
                    reason
                } else {
                    plain_io_reason(&path).unwrap_or(reason)
                };
                skip(loaded, &path, reason);
            }
        }
        (None, reason) => loaded
            .warnings
            .push(format!("{}: {}", root.display(), reason)),
    }
}

/// The walker's I/O messages repeat the path; asking the file system again
/// gives the bare error, and lets a broken link say so.
fn plain_io_reason(path: &Path) -> Option<String> {
    let err = fs::metadata(path).err()?;
    let broken_link = err.kind() == std::io::ErrorKind::NotFound
        && fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    Some(if broken_link {
        let target = fs::read_link(path).unwrap_or_default();
        format!(
            "cannot read: {err}: it is a symbolic link to {}, which does not exist",
            target.display()
        )
    } else {
        format!("cannot read: {err}")
    })
}

/// The path an error is about and a reason in plain words.
fn walk_error_parts(err: &ignore::Error) -> (Option<PathBuf>, String) {
    match err {
        ignore::Error::WithPath { path, err } => {
            let (inner, reason) = walk_error_parts(err);
            (inner.or_else(|| Some(path.clone())), reason)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_parts(err)
        }
        ignore::Error::Loop { ancestor, child } => (
            Some(child.clone()),
            format!(
                "symbolic link loop: it leads back to {}; not followed",
                ancestor.display()
            ),
        ),
        ignore::Error::Io(io) => (None, format!("cannot read: {io}")),
        ignore::Error::Partial(errs) => match errs.first() {
            Some(first) => walk_error_parts(first),
            None => (None, err.to_string()),
        },
        other => (None, other.to_string()),
    }
}

/// Name the source files (and folders) that the ignore rules or the hidden
/// rule kept out, so a user who wonders why a file is missing can see why.
/// A second, unfiltered listing limited to the folders the real walk entered
/// finds them without descending into ignored trees.
fn report_filtered(
    root: &Path,
    seen_dirs: HashSet<PathBuf>,
    seen_files: &HashSet<PathBuf>,
    loaded: &mut ScanPart,
) {
    let seen_dirs = Arc::new(seen_dirs);
    let pruned: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    let (dirs, pruned_in) = (Arc::clone(&seen_dirs), Arc::clone(&pruned));
    let walker = WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(true)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if entry.depth() == 0 || !is_dir || dirs.contains(entry.path()) {
                return true;
            }
            if let Ok(mut pruned) = pruned_in.lock() {
                pruned.push(entry.path().to_path_buf());
            }
            false
        })
        .build();
    // Errors were already reported by the real walk.
    for entry in walker.flatten() {
        let path = entry.path();
        if entry.file_type().is_some_and(|t| t.is_dir())
            || seen_files.contains(path)
            || source_kind(path).is_none()
        {
            continue;
        }
        let reason = if is_hidden(path) {
            "hidden file (its name starts with a dot), not read"
        } else {
            "ignored by a .gitignore or .ignore rule, not read"
        };
        skip(loaded, path, reason);
    }
    let pruned = match pruned.lock() {
        Ok(mut pruned) => std::mem::take(&mut *pruned),
        Err(_) => Vec::new(),
    };
    for dir in pruned {
        // Hidden folders (.git, .cache…) are nobody's sources: stay quiet.
        if !is_hidden(&dir) {
            skip(
                loaded,
                &dir,
                "folder ignored by a .gitignore or .ignore rule, its files are not read",
            );
        }
    }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// A file read as a source, with any warning about how it was read.
struct ReadSource {
    file: SourceFile,
    warning: Option<String>,
}

type Outcome = Result<ReadSource, Skipped>;

fn collect(outcomes: Vec<Outcome>, loaded: &mut Loaded) {
    for outcome in outcomes {
        match outcome {
            Ok(read) => {
                loaded.warnings.extend(read.warning);
                loaded.files.push(read.file);
            }
            Err(skipped) => loaded.skipped.push(skipped),
        }
    }
}

/// Read one file from disk, checking its size before reading it.
fn read_path(path: &Path, kind: SourceKind, opts: &LoadOptions) -> Outcome {
    let skipped = |reason: String| Skipped {
        path: path.to_path_buf(),
        reason,
    };
    let meta = fs::metadata(path).map_err(|err| skipped(format!("cannot read: {err}")))?;
    if meta.is_dir() {
        return Err(skipped("cannot read: it is a folder, not a file".into()));
    }
    if !meta.is_file() {
        // Reading a FIFO or a device could block the load forever.
        return Err(skipped("not a regular file".into()));
    }
    let limit = opts.max_file_size.min(LARGEST_FILE);
    let too_large = |size: u64| {
        skipped(format!(
            "too large: {size} bytes, over the limit of {limit} bytes"
        ))
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    // A file rewritten while it is read (an editor saving, a sync tool) can
    // give half of each version: read again until two looks at its size and
    // time agree around a read.
    let mut meta = meta;
    for _ in 0..MID_READ_RETRIES {
        let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
        fs::File::open(path)
            // The file may have grown since its metadata was read.
            .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
            .map_err(|err| skipped(format!("cannot read: {err}")))?;
        if bytes.len() as u64 > limit {
            return Err(too_large(bytes.len() as u64));
        }
        let after = fs::metadata(path).map_err(|err| skipped(format!("cannot read: {err}")))?;
        let settled = after.len() == meta.len()
            && after.len() == bytes.len() as u64
            && after.modified().ok() == meta.modified().ok();
        if settled {
            return source_from_bytes(id_of(path), path.to_path_buf(), false, bytes, kind);
        }
        meta = after;
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Err(skipped(
        "changed while being read: it is read again when it next changes".into(),
    ))
}

/// How many times a file that keeps changing under the reader is read.
const MID_READ_RETRIES: usize = 5;

/// Bytes to a source: refuse binary and empty files, decode text that is not
/// UTF-8 with replacement characters, reduce HTML to readable text.
fn source_from_bytes(
    id: String,
    path: PathBuf,
    embedded: bool,
    bytes: Vec<u8>,
    kind: SourceKind,
) -> Outcome {
    if let Some(reason) = binary_reason(&bytes) {
        return Err(Skipped { path, reason });
    }
    let (content, warning) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            let warning = format!(
                "{}: not valid UTF-8 (first bad byte at offset {valid}); read with \
                 replacement characters, so some letters may show as \u{FFFD}",
                path.display()
            );
            (text, Some(warning))
        }
    };
    let text_was_blank = content.trim().is_empty();
    let (text, line_map) = match kind {
        SourceKind::Plain => match content.strip_prefix('\u{FEFF}') {
            // The byte-order mark is not text; the one segment keeps offsets
            // pointing at the file.
            Some(rest) => {
                let map = LineMap::new(vec![(0, '\u{FEFF}'.len_utf8())], &content);
                (rest.to_string(), map)
            }
            None => {
                let map = LineMap::identity(&content);
                (content, map)
            }
        },
        SourceKind::Html => html_readable_text(&content),
    };
    if text.trim().is_empty() {
        let reason = if kind == SourceKind::Html && !text_was_blank {
            "empty: no readable text outside the markup"
        } else {
            "empty"
        };
        return Err(Skipped {
            path,
            reason: reason.into(),
        });
    }
    Ok(ReadSource {
        file: SourceFile {
            id,
            path,
            embedded,
            text,
            line_map,
        },
        warning,
    })
}

/// Why `bytes` look binary, if they do: a NUL byte in the first 8 KiB, or
/// more than 30% control characters there (no prose comes close).
fn binary_reason(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(8 * 1024)];
    if head.contains(&0) {
        return Some("binary file: contains NUL bytes".into());
    }
    let control = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    if !head.is_empty() && control * 10 > head.len() * 3 {
        return Some(format!(
            "binary file: {}% of its first bytes are control characters",
            control * 100 / head.len()
        ));
    }
    None
}

/// Give every file a distinct id: the first keeps its id, later ones get
/// `~2`, `~3`… and a warning, so both stay addressable.
fn make_ids_unique(files: &mut [SourceFile], warnings: &mut Vec<String>) {
    let mut taken: HashMap<String, PathBuf> = HashMap::new();
    for file in files.iter_mut() {
        if let Some(first) = taken.get(&file.id) {
            let mut n = 2;
            let renamed = loop {
                let candidate = format!("{}~{n}", file.id);
                if !taken.contains_key(&candidate) {
                    break candidate;
                }
                n += 1;
            };
            warnings.push(format!(
                "{}: document id \"{}\" is already used by {}; this file is known as \"{}\"",
                file.path.display(),
                file.id,
                first.display(),
                renamed
            ));
            file.id = renamed;
        }
        taken.insert(file.id.clone(), file.path.clone());
    }
}

// ---------------------------------------------------------------------------
// HTML to readable text.
//
// A small tokenizer rather than a full HTML parser: articles need their words
// and paragraphs, not a DOM. Every kept byte remembers where it stood in the
// file so that a quote found in the text can point at its line.

/// Elements whose content is never readable text.
const DROPPED: &[&str] = &["script", "style", "noscript", "template", "svg"];

/// Elements that start a new paragraph (before and after them).
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "ul",
];

/// Elements that end a line without ending the paragraph.
const LINE_BREAKS: &[&str] = &["br", "tr"];

/// Elements whose neighbours must not run together.
const CELLS: &[&str] = &["td", "th"];

/// Readable text of an HTML file and the map from it back to the file.
///
/// The `<title>` becomes the first line, then a blank line, then the body.
/// Tags, comments and the content of `<script>`, `<style>`, `<noscript>`,
/// `<template>`, `<svg>` and `<head>` are dropped; entities are decoded (a
/// decoded character maps to its entity's `&`); block elements become
/// paragraph breaks, `<br>` and `<tr>` line breaks; runs of whitespace
/// collapse to one space except inside `<pre>`. `&nbsp;` counts as
/// whitespace so that quotes match however the page spaced them.
pub fn html_readable_text(file_text: &str) -> (String, LineMap) {
    let bytes = file_text.as_bytes();
    let mut body = TextOut::default();
    let mut title: Option<TextOut> = None;
    let mut in_head = false;
    let mut pre_depth = 0usize;
    let mut i = if file_text.starts_with('\u{FEFF}') {
        '\u{FEFF}'.len_utf8()
    } else {
        0
    };

    while i < bytes.len() {
        let lt = find_byte(bytes, i, b'<').unwrap_or(bytes.len());
        if !in_head {
            emit_text(&mut body, file_text, i, lt, pre_depth > 0);
        }
        i = lt;
        if i >= bytes.len() {
            break;
        }
        let Some(markup) = parse_markup(file_text, i) else {
            // A '<' that opens no tag is text ("a < b").
            if !in_head {
                body.push_char('<', i, false);
            }
            i += 1;
            continue;
        };
        let tag_start = i;
        i = markup.end;
        let (name, is_end, self_closing) = match &markup.kind {
            MarkupKind::Other => continue,
            MarkupKind::Start { name, self_closing } => (name.as_str(), false, *self_closing),
            MarkupKind::End { name } => (name.as_str(), true, false),
        };

        if !is_end && !self_closing && (DROPPED.contains(&name) || name == "title") {
            let close = find_close_tag(file_text, i, name).unwrap_or(bytes.len());
            if name == "title" && title.is_none() {
                let mut out = TextOut::default();
                emit_text(&mut out, file_text, i, close, false);
                title = Some(out);
            }
            i = close;
            continue;
        }
        match (name, is_end) {
            ("head", false) => in_head = true,
            ("head", true) | ("body", false) => in_head = false,
            ("pre", false) if !self_closing => pre_depth += 1,
            ("pre", true) => pre_depth = pre_depth.saturating_sub(1),
            _ => {}
        }
        if BLOCKS.contains(&name) {
            if !is_end {
                // A block inside an unclosed <head> means the body has begun.
                in_head = false;
            }
            body.line_break(2, tag_start);
        } else if LINE_BREAKS.contains(&name) {
            body.line_break(1, tag_start);
        } else if CELLS.contains(&name) {
            body.space(tag_start);
        }
    }

    let mut out = title.unwrap_or_default();
    if !body.text.is_empty() {
        if !out.text.is_empty() {
            // The blank line after the title points where the body begins.
            let at = body.segments.first().map_or(0, |&(_, f)| f);
            out.line_break(2, at);
            out.flush();
        }
        let base = out.text.len();
        out.text.push_str(&body.text);
        out.segments
            .extend(body.segments.iter().map(|&(t, f)| (t + base, f)));
    }
    let map = LineMap::new(out.segments, file_text);
    (out.text, map)
}

/// Readable text under construction, with its map to the file.
#[derive(Debug, Default)]
struct TextOut {
    text: String,
    /// `(text_offset, file_offset)`, as in [`LineMap::new`].
    segments: Vec<(usize, usize)>,
    /// Whitespace seen since the last kept character: where it began.
    pending_space: Option<usize>,
    /// Newlines due before the next kept character (1 or 2), and the tag
    /// that asked for them.
    pending_break: Option<(usize, usize)>,
}

impl TextOut {
    /// Record that text offset `t` comes from file offset `f`, unless the
    /// current segment already says so.
    fn map(&mut self, t: usize, f: usize) {
        if let Some(&(t0, f0)) = self.segments.last() {
            if t >= t0 && f0 + (t - t0) == f {
                return;
            }
        }
        self.segments.push((t, f));
    }

    fn space(&mut self, at: usize) {
        self.pending_space.get_or_insert(at);
    }

    fn line_break(&mut self, lines: usize, at: usize) {
        match &mut self.pending_break {
            Some((n, _)) => *n = (*n).max(lines),
            None => self.pending_break = Some((lines, at)),
        }
    }

    /// Write the separator that is due, if any text precedes it; never at
    /// the start and never doubling newlines already written.
    fn flush(&mut self) {
        let brk = self.pending_break.take();
        let space = self.pending_space.take();
        if self.text.is_empty() {
            return;
        }
        if let Some((lines, at)) = brk {
            let have = self.text.bytes().rev().take_while(|&b| b == b'\n').count();
            for _ in have..lines {
                self.map(self.text.len(), at);
                self.text.push('\n');
            }
        } else if let Some(at) = space {
            if !self.text.ends_with([' ', '\n', '\t']) {
                self.map(self.text.len(), at);
                self.text.push(' ');
            }
        }
    }

    /// Keep `c`, found at file offset `at`. A character decoded from an
    /// entity maps every one of its bytes to the entity's start.
    fn push_char(&mut self, c: char, at: usize, from_entity: bool) {
        self.flush();
        let t = self.text.len();
        self.text.push(c);
        if from_entity {
            for k in 0..c.len_utf8() {
                self.map(t + k, at);
            }
        } else {
            self.map(t, at);
        }
    }
}

/// Whitespace that collapses in HTML text (plus the no-break space).
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c' | '\u{a0}')
}

/// Emit the text `src[from..to]` (no tags in it): decode entities, collapse
/// whitespace unless `pre`.
fn emit_text(out: &mut TextOut, src: &str, from: usize, to: usize, pre: bool) {
    let Some(slice) = src.get(from..to) else {
        return;
    };
    let mut rest = slice;
    let mut pos = from;
    while let Some(c) = rest.chars().next() {
        let (decoded, len, from_entity) = match c {
            '&' => match entity_at(src, pos, to) {
                Some((decoded, len)) => (decoded, len, true),
                None => ("&".to_string(), 1, false),
            },
            _ => (c.to_string(), c.len_utf8(), false),
        };
        for d in decoded.chars() {
            if pre && d == '\r' {
                // CRLF inside <pre> keeps one newline.
                continue;
            }
            if pre && matches!(d, '\n' | '\t' | ' ') {
                out.push_char(d, pos, from_entity);
            } else if is_html_space(d) {
                out.space(pos);
            } else {
                out.push_char(d, pos, from_entity);
            }
        }
        pos += len;
        rest = src.get(pos..to).unwrap_or("");
    }
}

/// Decode the character reference starting at `src[i] == '&'` (not going
/// past `end`): the decoded text and how many bytes of the file it used.
/// `None` when the `&` starts no reference and is plain text.
fn entity_at(src: &str, i: usize, end: usize) -> Option<(String, usize)> {
    let bytes = &src.as_bytes()[..end];
    let mut j = i + 1;
    let numeric = bytes.get(j) == Some(&b'#');
    if numeric {
        j += 1;
        let hex = matches!(bytes.get(j), Some(b'x' | b'X'));
        if hex {
            j += 1;
        }
        let digits = j;
        while bytes.get(j).is_some_and(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        }) {
            j += 1;
        }
        if j == digits {
            return None;
        }
    } else {
        let letters = j;
        while bytes.get(j).is_some_and(|b| b.is_ascii_alphanumeric()) {
            j += 1;
        }
        if j == letters {
            return None;
        }
    }
    if bytes.get(j) == Some(&b';') {
        j += 1;
    }
    let raw = src.get(i..j)?;
    let decoded = htmlize::unescape(raw);
    if decoded == raw {
        return None;
    }
    if numeric {
        return Some((decoded.into_owned(), raw.len()));
    }
    // A legacy name without ';' ("&copy2019") decodes only its prefix; the
    // undecoded tail comes back unchanged and stays ordinary text.
    let max_tail = decoded.len().saturating_sub(1).min(raw.len() - 1);
    let tail = (0..=max_tail)
        .rev()
        .find(|&k| {
            raw.is_char_boundary(raw.len() - k)
                && decoded.is_char_boundary(decoded.len() - k)
                && raw[raw.len() - k..] == decoded[decoded.len() - k..]
        })
        .unwrap_or(0);
    Some((
        decoded[..decoded.len() - tail].to_string(),
        raw.len() - tail,
    ))
}

#[derive(Debug)]
enum MarkupKind {
    Start {
        name: String,
        self_closing: bool,
    },
    End {
        name: String,
    },
    /// Comments, doctypes, processing instructions.
    Other,
}

#[derive(Debug)]
struct Markup {
    kind: MarkupKind,
    /// Offset just past the markup.
    end: usize,
}

fn find_byte(bytes: &[u8], from: usize, b: u8) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&x| x == b)
        .map(|p| from + p)
}

fn find_str(src: &str, from: usize, needle: &str) -> Option<usize> {
    src.get(from..)?.find(needle).map(|p| from + p)
}

/// The tag, comment or declaration starting at `src[i] == '<'`, or `None`
/// when this `<` is plain text. Unterminated markup runs to the end of the
/// file, as browsers treat it.
fn parse_markup(src: &str, i: usize) -> Option<Markup> {
    let bytes = src.as_bytes();
    let len = bytes.len();
    let to_gt = |from: usize| find_byte(bytes, from, b'>').map_or(len, |p| p + 1);
    match bytes.get(i + 1)? {
        b'!' if src.get(i + 2..i + 4) == Some("--") => {
            let end = find_str(src, i + 2, "-->").map_or(len, |p| p + 3);
            Some(Markup {
                kind: MarkupKind::Other,
                end: end.max(i + 4),
            })
        }
        b'!' | b'?' => Some(Markup {
            kind: MarkupKind::Other,
            end: to_gt(i + 2),
        }),
        b'/' => {
            if bytes.get(i + 2).is_some_and(|b| b.is_ascii_alphabetic()) {
                let name_end = tag_name_end(bytes, i + 2);
                Some(Markup {
                    kind: MarkupKind::End {
                        name: src[i + 2..name_end].to_ascii_lowercase(),
                    },
                    end: to_gt(name_end),
                })
            } else {
                // "</>" and "</ x>" are dropped like comments.
                Some(Markup {
                    kind: MarkupKind::Other,
                    end: to_gt(i + 2),
                })
            }
        }
        b if b.is_ascii_alphabetic() => {
            let name_end = tag_name_end(bytes, i + 1);
            let (end, self_closing) = start_tag_end(bytes, name_end);
            Some(Markup {
                kind: MarkupKind::Start {
                    name: src[i + 1..name_end].to_ascii_lowercase(),
                    self_closing,
                },
                end,
            })
        }
        _ => None,
    }
}

/// End of a tag name: it runs to whitespace, '/' or '>'. Those are ASCII, so
/// the end is always a char boundary.
fn tag_name_end(bytes: &[u8], from: usize) -> usize {
    let mut j = from;
    while j < bytes.len() && !matches!(bytes[j], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
    {
        j += 1;
    }
    j
}

/// Skip a start tag's attributes, honouring quoted values that may hold
/// '>'; returns the offset past '>' and whether the tag ended in "/>".
fn start_tag_end(bytes: &[u8], from: usize) -> (usize, bool) {
    let mut j = from;
    let mut after_equals = false;
    let mut last_significant = 0u8;
    while j < bytes.len() {
        let b = bytes[j];
        match b {
            b'>' => return (j + 1, last_significant == b'/'),
            b'"' | b'\'' if after_equals => {
                j = find_byte(bytes, j + 1, b).unwrap_or(bytes.len());
                after_equals = false;
                last_significant = b;
            }
            b'=' => {
                after_equals = true;
                last_significant = b;
            }
            b' ' | b'\t' | b'\n' | b'\r' | 0x0c => {}
            _ => {
                after_equals = false;
                last_significant = b;
            }
        }
        j += 1;
    }
    (bytes.len(), false)
}

/// Where the closing tag `</name` of a raw-text element starts, searching
/// ASCII case-insensitively from `from`.
fn find_close_tag(src: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut j = from;
    while let Some(lt) = find_byte(bytes, j, b'<') {
        let name_at = lt + 2;
        let after = name_at + name.len();
        if bytes.get(lt + 1) == Some(&b'/')
            && bytes
                .get(name_at..after)
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && matches!(
                bytes.get(after),
                None | Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
            )
        {
            return Some(lt);
        }
        j = lt + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file text at the place `needle` (in the readable text) maps to.
    fn file_at<'a>(file: &'a str, text: &str, map: &LineMap, needle: &str) -> &'a str {
        let t = text.find(needle).expect("needle in readable text");
        let f = map.file_offset(t);
        &file[f..]
    }

    fn line_of(text: &str, map: &LineMap, needle: &str) -> usize {
        map.line(text.find(needle).expect("needle in readable text"))
    }

    const PAGE: &str = "<!DOCTYPE html>\r\n\
        <html><head>\r\n\
        <meta charset=\"utf-8\">\r\n\
        <title>Ministry of Fisheries &amp; Oceans</title>\r\n\
        <style>p { color: red }</style>\r\n\
        <script>var s = \"<p>not text</p>\"; if (a < b) {}</script>\r\n\
        </head>\r\n\
        <body>\r\n\
        <!-- a comment with <p>markup</p> -->\r\n\
        <h1>Nets   come\r\n   up empty</h1>\r\n\
        <p>Director Anna Kowalczyk said \u{201c}the quotas are fair\u{201d}.</p>\r\n\
        <p>Zo&euml; Łukasiewicz, the ministry\u{2bc}s deputy, ate caf&#233; crêpes &#x1F41F; 🐟</p>\r\n\
        <noscript>Enable JavaScript</noscript>\r\n\
        </body></html>\r\n";

    #[test]
    fn html_page_reads_as_title_then_paragraphs() {
        let (text, _) = html_readable_text(PAGE);
        assert_eq!(
            text,
            "Ministry of Fisheries & Oceans\n\n\
             Nets come up empty\n\n\
             Director Anna Kowalczyk said \u{201c}the quotas are fair\u{201d}.\n\n\
             Zoë Łukasiewicz, the ministry\u{2bc}s deputy, ate café crêpes 🐟 🐟"
        );
    }

    #[test]
    fn html_offsets_map_back_to_file_lines_in_a_crlf_file() {
        let (text, map) = html_readable_text(PAGE);
        assert_eq!(line_of(&text, &map, "Ministry"), 4);
        assert_eq!(line_of(&text, &map, "Nets"), 10);
        // The collapsed line break inside the heading lands on line 11.
        assert_eq!(line_of(&text, &map, "up empty"), 11);
        assert_eq!(line_of(&text, &map, "Director"), 12);
        assert_eq!(line_of(&text, &map, "\u{201c}the quotas"), 12);
        assert_eq!(line_of(&text, &map, "crêpes"), 13);
        assert!(file_at(PAGE, &text, &map, "Anna Kowalczyk").starts_with("Anna Kowalczyk said"));
        assert!(file_at(PAGE, &text, &map, "\u{201d}.").starts_with("\u{201d}.</p>"));
        assert!(file_at(PAGE, &text, &map, "Łukasiewicz").starts_with("Łukasiewicz, the"));
        assert!(file_at(PAGE, &text, &map, "🐟").starts_with("&#x1F41F;"));
        let last_fish = text.rfind('🐟').expect("emoji kept");
        assert!(PAGE[map.file_offset(last_fish)..].starts_with("🐟</p>"));
    }

    #[test]
    fn decoded_entities_map_to_the_entity_start() {
        let file = "<p>Zo&euml; &amp; caf&#233;</p>";
        let (text, map) = html_readable_text(file);
        assert_eq!(text, "Zoë & café");
        let e = text.find('ë').expect("decoded");
        // Both bytes of the decoded letter point at "&euml;".
        assert_eq!(map.file_offset(e), 5);
        assert_eq!(map.file_offset(e + 1), 5);
        assert!(file[map.file_offset(text.find('&').expect("amp"))..].starts_with("&amp;"));
        assert!(file[map.file_offset(text.find('é').expect("é"))..].starts_with("&#233;"));
        // Text after an entity is back in step with the file.
        assert!(file[map.file_offset(text.find("caf").expect("caf"))..].starts_with("caf&#233;"));
    }

    #[test]
    fn a_lone_ampersand_and_a_legacy_entity_without_semicolon() {
        let (text, map) = html_readable_text("<p>Fish &amp chips &copy2024 & co &bogus; &#;</p>");
        assert_eq!(text, "Fish & chips ©2024 & co &bogus; &#;");
        let file = "<p>Fish &amp chips &copy2024 & co &bogus; &#;</p>";
        assert!(file[map.file_offset(text.find("2024").expect("year"))..].starts_with("2024"));
    }

    #[test]
    fn scripts_styles_and_comments_leave_no_text() {
        let file =
            "<p>Before</p><SCRIPT type=\"text/javascript\">document.write('</p>Gone');</SCRIPT>\
                    <style media=\"x>y\">.a{}</style><!-- hidden --><p>After</p>\
                    <script src=\"a.js\"/><p>Still here</p><template><p>Never</p></template>";
        let (text, _) = html_readable_text(file);
        assert_eq!(text, "Before\n\nAfter\n\nStill here");
    }

    #[test]
    fn quoted_attribute_values_may_hold_angle_brackets() {
        let (text, _) = html_readable_text("<p title=\"a > b\" data-x='<p>'>Kept</p>");
        assert_eq!(text, "Kept");
    }

    #[test]
    fn line_breaks_lists_and_cells() {
        let file = "<div>First line<br>second line</div><ul><li>One</li><li>Two</li></ul>\
                    <table><tr><td>Cod</td><td>12</td></tr><tr><td>Hake</td><td>7</td></tr></table>";
        let (text, _) = html_readable_text(file);
        assert_eq!(
            text,
            "First line\nsecond line\n\nOne\n\nTwo\n\nCod 12\nHake 7"
        );
    }

    #[test]
    fn preformatted_text_keeps_its_lines() {
        let (text, _) = html_readable_text("<p>Table:</p><pre>cod   12\r\nhake  7</pre><p>End</p>");
        assert_eq!(text, "Table:\n\ncod   12\nhake  7\n\nEnd");
    }

    #[test]
    fn nbsp_and_whitespace_runs_collapse_inside_a_paragraph() {
        let (text, map) =
            html_readable_text("<p>\n  Anna&nbsp;&nbsp;Kowalczyk \t\n said\u{a0}so </p>");
        assert_eq!(text, "Anna Kowalczyk said so");
        assert_eq!(map.line(text.find("said").expect("said")), 3);
    }

    #[test]
    fn head_text_other_than_title_is_dropped_even_without_a_closing_tag() {
        let (text, _) =
            html_readable_text("<head><title>Fisheries</title><meta name=x>stray<p>Body text");
        assert_eq!(text, "Fisheries\n\nBody text");
    }

    #[test]
    fn a_less_than_sign_that_opens_no_tag_is_text() {
        let (text, _) = html_readable_text("<p>catch < 5 tonnes, 3<4 and <3</p>");
        assert_eq!(text, "catch < 5 tonnes, 3<4 and <3");
    }

    #[test]
    fn broken_markup_never_panics() {
        for file in [
            "<",
            "<p",
            "<p title=\"unterminated>text",
            "<!--",
            "<!-->after",
            "&",
            "&#",
            "&#x",
            "&#99999999999999999999;",
            "<script>never closed",
            "<title>open",
            "é<",
            "\u{feff}<p>bom</p>",
            "</",
            "</ >",
            "<a href=x>é&",
        ] {
            let (text, map) = html_readable_text(file);
            for (t, _) in text.char_indices() {
                assert!(map.file_offset(t) <= file.len(), "{file:?}");
            }
        }
        assert_eq!(html_readable_text("<!-->after").0, "after");
        assert_eq!(html_readable_text("\u{feff}<p>bom</p>").0, "bom");
        assert_eq!(html_readable_text("&#99999999999999999999;").0, "\u{fffd}");
    }

    #[test]
    fn binary_detection() {
        assert!(binary_reason(b"plain words\r\n\tindented\x0c").is_none());
        assert!(binary_reason(b"abc\0def").is_some_and(|r| r.contains("NUL")));
        assert!(binary_reason(b"\x01\x02\x03\x04ab").is_some_and(|r| r.contains("control")));
    }

    #[test]
    fn byte_order_mark_is_dropped_but_lines_still_match() {
        let read = source_from_bytes(
            "bom".into(),
            PathBuf::from("bom.txt"),
            false,
            "\u{feff}Ministry of Fisheries\r\nDirector Anna Kowalczyk\r\n".into(),
            SourceKind::Plain,
        )
        .map_err(|s| s.reason)
        .expect("readable");
        let file = read.file;
        assert!(file.text.starts_with("Ministry"));
        let at = file.text.find("Anna").expect("name");
        assert_eq!(file.line_map.line(at), 2);
        assert_eq!(file.line_map.file_offset(at), at + 3);
    }
}
