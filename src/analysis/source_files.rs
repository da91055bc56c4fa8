//! Where each corpus document lives on disk for the editor: the file it was
//! read from, or — for the articles compiled into the binary — a copy
//! written once to a cache folder, so go-to-definition and card links are
//! real `file://` locations an editor can open.
//!
//! Copies are written atomically (temporary file, then rename), so two
//! servers starting at once never see half a file, and are left alone when
//! already there with the same bytes.

use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::analysis::card::{file_uri, Links};
use crate::corpus::{Corpus, DocId, Document};

/// How byte offsets of a document's readable text map into its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Offsets {
    /// Through the document's line map (the file is the original).
    LineMap,
    /// The copy holds the readable text itself (an embedded file whose
    /// original bytes cannot be rebuilt from its text, such as HTML).
    Text,
}

/// The on-disk file of every document of a corpus, by [`DocId`]. An
/// article read from disk is resolved (made canonical) the first time it
/// is asked for: doing it for a whole archive took 0.4 s of every start at
/// 100,000 articles.
#[derive(Debug, Clone, Default)]
pub struct SourceFiles {
    files: Vec<OnceLock<Option<(PathBuf, Offsets)>>>,
    /// The embedded documents by the relative path they are named by, so
    /// a finding's link is resolved without walking the whole corpus.
    embedded: Vec<(PathBuf, DocId)>,
}

/// The folder embedded articles are copied to:
/// `$XDG_CACHE_HOME/dossier/seeds-<version>`, else
/// `~/.cache/dossier/seeds-<version>`, else the temporary folder.
pub fn cache_dir() -> PathBuf {
    let leaf = format!("seeds-{}", env!("CARGO_PKG_VERSION"));
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .map(|home| home.join(".cache"))
        });
    match base {
        Some(base) => base.join("dossier").join(leaf),
        None => std::env::temp_dir().join("dossier").join(leaf),
    }
}

impl SourceFiles {
    /// Resolves every document of `corpus`, writing embedded ones under
    /// `cache` (falling back to the temporary folder if that fails).
    pub fn prepare(corpus: &Corpus, cache: &Path) -> SourceFiles {
        let fallback = std::env::temp_dir()
            .join("dossier")
            .join(format!("seeds-{}", env!("CARGO_PKG_VERSION")));
        let files = corpus
            .documents
            .iter()
            .map(|doc| {
                if !doc.embedded {
                    return OnceLock::new();
                }
                let (bytes, offsets) = embedded_bytes(doc);
                let name = embedded_name(doc, offsets);
                let copy = write_once(&cache.join(&name), &bytes)
                    .or_else(|_| write_once(&fallback.join(&name), &bytes))
                    .ok()
                    .map(|path| (path, offsets));
                OnceLock::from(copy)
            })
            .collect();
        let embedded = corpus
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| d.embedded)
            .map(|(id, d)| (d.path.clone(), id))
            .collect();
        SourceFiles { files, embedded }
    }

    /// The on-disk copy of the embedded document named `path`.
    pub fn embedded_copy(&self, path: &Path) -> Option<&Path> {
        let (_, doc) = self.embedded.iter().find(|(p, _)| p == path)?;
        let (copy, _) = self.files.get(*doc)?.get()?.as_ref()?;
        Some(copy)
    }

    /// The file document `doc` of `corpus` (the corpus these files were
    /// prepared for) can be opened from.
    pub fn path(&self, corpus: &Corpus, doc: DocId) -> Option<&Path> {
        let slot = self.files.get(doc)?.get_or_init(|| {
            // Embedded copies were written when prepared; one not set here
            // is a file on disk.
            let d = corpus.documents.get(doc).filter(|d| !d.embedded)?;
            let path = std::fs::canonicalize(&d.path)
                .ok()
                .or_else(|| d.path.is_absolute().then(|| d.path.clone()))?;
            Some((path, Offsets::LineMap))
        });
        slot.as_ref().map(|(p, _)| p.as_path())
    }

    /// Bytes in the file for bytes of the document's readable text.
    pub fn file_range(&self, corpus: &Corpus, doc: DocId, range: Range<usize>) -> Range<usize> {
        match self.offsets(doc) {
            Some(Offsets::Text) => range,
            _ => match corpus.documents.get(doc) {
                Some(d) => d.line_map.file_offset(range.start)..d.line_map.file_offset(range.end),
                None => range,
            },
        }
    }

    /// 1-based line in the file for a byte of the readable text.
    pub fn line(&self, corpus: &Corpus, doc: DocId, offset: usize) -> usize {
        let Some(d) = corpus.documents.get(doc) else {
            return 1;
        };
        match self.offsets(doc) {
            Some(Offsets::Text) => {
                let upto = d.text.get(..offset).unwrap_or(&d.text);
                crate::corpus::line_starts(upto).len()
            }
            _ => d.line_of(offset),
        }
    }

    /// Only embedded copies can hold the readable text itself, and those
    /// are set when prepared: a file not yet resolved maps by line map.
    fn offsets(&self, doc: DocId) -> Option<Offsets> {
        self.files.get(doc)?.get()?.as_ref().map(|(_, o)| *o)
    }
}

impl Links for SourceFiles {
    fn link(&self, corpus: &Corpus, doc: DocId, line: usize) -> Option<String> {
        let path = self.path(corpus, doc)?;
        Some(format!("{}#L{line}", file_uri(path)))
    }
}

/// The bytes of an embedded document's file: its readable text, with the
/// byte-order mark put back when the reader dropped one. Anything else the
/// reader changed (HTML) cannot be undone, so the text itself is written.
fn embedded_bytes(doc: &Document) -> (Vec<u8>, Offsets) {
    if doc.line_map.is_identity() {
        return (doc.text.as_bytes().to_vec(), Offsets::LineMap);
    }
    let bom = '\u{FEFF}'.len_utf8();
    if doc.line_map.segments().eq([(0, bom)]) {
        let mut bytes = "\u{FEFF}".as_bytes().to_vec();
        bytes.extend_from_slice(doc.text.as_bytes());
        return (bytes, Offsets::LineMap);
    }
    (doc.text.as_bytes().to_vec(), Offsets::Text)
}

fn embedded_name(doc: &Document, offsets: Offsets) -> String {
    let name = doc
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("{}.txt", doc.id));
    match offsets {
        Offsets::LineMap => name,
        // Readable text of an HTML page: say so in the name.
        Offsets::Text => format!("{name}.txt"),
    }
}

/// Writes `bytes` to `path` unless it already holds exactly them; through a
/// temporary file and a rename so readers never see a partial file.
fn write_once(path: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(path.to_path_buf());
    }
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent folder"))?;
    std::fs::create_dir_all(dir)?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let written = std::fs::File::create(&temp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(err) = written.and_then(|_| std::fs::rename(&temp, path)) {
        let _ = std::fs::remove_file(&temp);
        return Err(err);
    }
    Ok(path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::source::{Loaded, SourceFile};
    use crate::corpus::LineMap;

    fn embedded(name: &str, text: &str, line_map: LineMap) -> SourceFile {
        SourceFile {
            id: name.trim_end_matches(".txt").to_string(),
            path: Path::new("seeds").join(name),
            embedded: true,
            text: text.to_string(),
            line_map,
        }
    }

    #[test]
    fn embedded_articles_are_written_once_and_offsets_hold() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = "Harbour news\r\n\r\nDirector Ánna Kowalczyk said “no” 👩‍💻.\r\n";
        let bom_text = "Ministry of Fisheries\nZoë Ångström spoke.\n";
        let mut with_bom = "\u{FEFF}".to_string();
        with_bom.push_str(bom_text);
        let bom_map = LineMap::new(vec![(0, 3)], &with_bom);
        let corpus = Corpus::build(Loaded {
            files: vec![
                embedded("a.txt", text, LineMap::identity(text)),
                embedded("b.txt", bom_text, bom_map),
            ],
            ..Loaded::default()
        });
        let files = SourceFiles::prepare(&corpus, dir.path());
        let a = files.path(&corpus, 0).expect("a written");
        assert!(a.starts_with(dir.path()));
        assert_eq!(std::fs::read_to_string(a).expect("read"), text);
        let b = files.path(&corpus, 1).expect("b written");
        let on_disk = std::fs::read_to_string(b).expect("read");
        assert!(on_disk.starts_with('\u{FEFF}'));
        // A range of readable text lands on the same words in the file.
        let at = bom_text.find("Ångström").expect("name");
        let r = files.file_range(&corpus, 1, at..at + "Ångström".len());
        assert_eq!(&on_disk[r], "Ångström");
        assert_eq!(files.line(&corpus, 1, at), 2);
        // Written once: a second prepare leaves the file (and its time) be.
        let modified = std::fs::metadata(a).and_then(|m| m.modified()).ok();
        let again = SourceFiles::prepare(&corpus, dir.path());
        assert_eq!(again.path(&corpus, 0), Some(a));
        assert_eq!(
            std::fs::metadata(a).and_then(|m| m.modified()).ok(),
            modified
        );
        // No temporary files are left behind.
        let leftovers = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .count();
        assert_eq!(leftovers, 0);
        let link = files.link(&corpus, 0, 3).expect("link");
        assert!(
            link.starts_with("file:///") && link.ends_with("a.txt#L3"),
            "{link}"
        );
    }

    #[test]
    fn files_on_disk_are_made_canonical_when_first_asked_for() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("sub")).expect("sub");
        let text = "Zoë Ångström spoke.\r\n";
        std::fs::write(dir.path().join("a.txt"), text).expect("write");
        let roundabout = dir.path().join("sub").join("..").join("a.txt");
        let corpus = Corpus::build(Loaded {
            files: vec![SourceFile {
                id: "a".to_string(),
                path: roundabout.clone(),
                embedded: false,
                text: text.to_string(),
                line_map: LineMap::identity(text),
            }],
            ..Loaded::default()
        });
        let files = SourceFiles::prepare(&corpus, dir.path());
        let canonical = std::fs::canonicalize(&roundabout).expect("canonical");
        assert_eq!(files.path(&corpus, 0), Some(canonical.as_path()));
        assert_eq!(files.line(&corpus, 0, text.find("spoke").expect("at")), 1);
        // A document the files were not prepared with has no file.
        assert_eq!(files.path(&corpus, 1), None);
    }

    #[test]
    fn a_changed_copy_is_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.txt");
        std::fs::write(&path, "old").expect("write");
        write_once(&path, "néw".as_bytes()).expect("replace");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "néw");
    }
}
