//! A document's readable text, in memory or left in the cache.
//!
//! An archive's texts are most of its size (523 MB of 100,000 articles) and
//! a session looks at few of them: the indexes answer what a check or a
//! card asks, and only the articles they point to are read. So a corpus
//! that comes from the cache leaves its texts in the cache's text file and
//! reads each one the first time it is asked for; it then stays in memory.
//! A freshly read document holds its text from the start.
//!
//! A stored text is read through a file handle opened when the corpus
//! loaded, so a cache written again meanwhile (by this or another server:
//! writes are a rename) does not change what it reads. Each text carries
//! its content hash; one that cannot be read, or reads back different, is
//! reported once on stderr and served as spaces of the same length, so
//! that every offset into it stays valid.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::ops::{Deref, Range};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// A cache file opened once for positioned reads: the texts file, shared
/// by its documents, or a file of [`super::sections`].
#[derive(Debug)]
pub struct TextFile {
    file: File,
    path: PathBuf,
    /// Set once a text of this file has been found unreadable.
    reported: AtomicBool,
}

impl TextFile {
    pub fn open(path: &Path) -> std::io::Result<TextFile> {
        Ok(TextFile {
            file: File::open(path)?,
            path: path.to_path_buf(),
            reported: AtomicBool::new(false),
        })
    }

    pub fn size(&self) -> std::io::Result<u64> {
        Ok(self.file.metadata()?.len())
    }

    /// `len` bytes at `offset`.
    pub fn read_at(&self, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
        let mut buf = vec![0; len];
        read_exact_at(&self.file, &mut buf, offset)?;
        Ok(buf)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Where a text stands in a [`TextFile`], and what it must hash to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TextSlot {
    pub offset: u64,
    pub len: u64,
    pub hash: u64,
}

/// The hash a [`TextSlot`] checks a text against.
pub fn text_hash(text: &str) -> u64 {
    twox_hash::XxHash3_64::oneshot(text.as_bytes())
}

/// See the module documentation. Reads as a `str`.
#[derive(Default)]
pub struct DocText {
    text: OnceLock<Box<str>>,
    stored: Option<(Arc<TextFile>, TextSlot)>,
}

impl DocText {
    /// A text left in `file`, read on first use.
    pub fn stored(file: Arc<TextFile>, slot: TextSlot) -> DocText {
        DocText {
            text: OnceLock::new(),
            stored: Some((file, slot)),
        }
    }

    pub fn as_str(&self) -> &str {
        self.text.get_or_init(|| match &self.stored {
            Some((file, slot)) => read(file, slot),
            None => Box::default(),
        })
    }

    /// The text, without keeping it in memory if it is not already: for
    /// reading many documents once (a quotation's candidates).
    pub fn peek(&self) -> Cow<'_, str> {
        match (self.text.get(), &self.stored) {
            (Some(t), _) => Cow::Borrowed(t),
            (None, Some((file, slot))) => Cow::Owned(read(file, slot).into_string()),
            (None, None) => Cow::Borrowed(""),
        }
    }

    /// The text of `range`, without keeping the rest in memory: a stored
    /// text reads only those bytes (checked as UTF-8, not against the whole
    /// text's hash). None when the range does not fall on characters of
    /// the text, or cannot be read.
    pub fn peek_range(&self, range: Range<usize>) -> Option<Cow<'_, str>> {
        match (self.text.get(), &self.stored) {
            (Some(t), _) => t.get(range).map(Cow::Borrowed),
            (None, Some((file, slot))) => {
                if range.start > range.end || range.end as u64 > slot.len {
                    return None;
                }
                let bytes = file
                    .read_at(slot.offset + range.start as u64, range.len())
                    .ok()?;
                String::from_utf8(bytes).ok().map(Cow::Owned)
            }
            (None, None) => "".get(range).map(Cow::Borrowed),
        }
    }

    /// The length in bytes, without reading a stored text.
    pub fn len(&self) -> usize {
        match (self.text.get(), &self.stored) {
            (Some(t), _) => t.len(),
            (None, Some((_, slot))) => slot.len as usize,
            (None, None) => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the text is in memory (for tests and memory figures).
    pub fn is_resident(&self) -> bool {
        self.text.get().is_some()
    }
}

fn read(file: &TextFile, slot: &TextSlot) -> Box<str> {
    let got = usize::try_from(slot.len)
        .map_err(|_| "too long".to_string())
        .and_then(|len| file.read_at(slot.offset, len).map_err(|e| e.to_string()))
        .and_then(|bytes| {
            if twox_hash::XxHash3_64::oneshot(&bytes) != slot.hash {
                return Err("it reads back different from what was written".into());
            }
            String::from_utf8(bytes).map_err(|e| e.to_string())
        });
    match got {
        Ok(text) => text.into_boxed_str(),
        Err(why) => {
            if !file.reported.swap(true, Ordering::Relaxed) {
                eprintln!(
                    "dossier: cannot read a source's text from the cache {} ({why}); it shows as blank until the corpus is rebuilt (delete that file to force it)",
                    file.path.display()
                );
            }
            " ".repeat(slot.len as usize).into_boxed_str()
        }
    }
}

impl Deref for DocText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for DocText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for DocText {
    fn from(text: String) -> DocText {
        DocText {
            text: OnceLock::from(text.into_boxed_str()),
            stored: None,
        }
    }
}

impl From<&str> for DocText {
    fn from(text: &str) -> DocText {
        DocText::from(text.to_string())
    }
}

impl Clone for DocText {
    fn clone(&self) -> DocText {
        match (self.text.get(), &self.stored) {
            (None, Some((file, slot))) => DocText::stored(file.clone(), *slot),
            _ => DocText::from(self.as_str()),
        }
    }
}

impl fmt::Debug for DocText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.text.get() {
            Some(t) => fmt::Debug::fmt(t, f),
            None => write!(f, "<{} bytes in the cache>", self.len()),
        }
    }
}

/// Lengths first: comparing with a text of another length reads nothing.
impl PartialEq<str> for DocText {
    fn eq(&self, other: &str) -> bool {
        self.len() == other.len() && self.peek() == other
    }
}

impl PartialEq<&str> for DocText {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for DocText {
    fn eq(&self, other: &String) -> bool {
        *self == **other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(bytes: &[u8]) -> (tempfile::NamedTempFile, Arc<TextFile>) {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f.flush().unwrap();
        let text = Arc::new(TextFile::open(f.path()).unwrap());
        (f, text)
    }

    #[test]
    fn a_stored_text_is_read_on_first_use_only() {
        let a = "Zoë Ångström said “no” 🙂\r\n";
        let b = "Second.";
        let (_f, file) = file_with(format!("{a}{b}").as_bytes());
        let slot = |offset: usize, t: &str| TextSlot {
            offset: offset as u64,
            len: t.len() as u64,
            hash: text_hash(t),
        };
        let first = DocText::stored(file.clone(), slot(0, a));
        let second = DocText::stored(file, slot(a.len(), b));
        assert_eq!(first.len(), a.len());
        assert!(!first.is_resident() && !second.is_resident());
        assert_eq!(&first[..], a);
        assert!(first.is_resident());
        assert!(!second.is_resident(), "only the text asked for is read");
        assert_eq!(&second[..], b);
        assert_eq!(first.clone().as_str(), a);
    }

    #[test]
    fn a_part_of_a_stored_text_is_read_alone() {
        let a = "Zoë Ångström said “no” 🙂\r\n";
        let (_f, file) = file_with(format!("xx{a}").as_bytes());
        let slot = TextSlot {
            offset: 2,
            len: a.len() as u64,
            hash: text_hash(a),
        };
        let text = DocText::stored(file, slot);
        let said = a.find("said").unwrap();
        assert_eq!(text.peek_range(said..said + 4).as_deref(), Some("said"));
        let emoji = a.find('🙂').unwrap();
        assert_eq!(text.peek_range(emoji..emoji + 4).as_deref(), Some("🙂"));
        // Inside a character, or past the end: none, never a panic.
        assert_eq!(text.peek_range(emoji + 1..emoji + 3), None);
        assert_eq!(text.peek_range(0..a.len() + 1), None);
        assert!(!text.is_resident());
        assert_eq!(text.peek().as_ref(), a);
        assert!(!text.is_resident(), "peeking keeps nothing");
        // Resident: the same answers, borrowed.
        let owned = DocText::from(a);
        assert_eq!(owned.peek_range(said..said + 4).as_deref(), Some("said"));
        assert_eq!(owned.peek_range(emoji + 1..emoji + 3), None);
    }

    #[test]
    fn a_text_that_reads_back_different_is_blank_of_the_same_length() {
        let (f, file) = file_with("Ärger im Amt".as_bytes());
        let slot = TextSlot {
            offset: 0,
            len: "Ärger im Amt".len() as u64,
            hash: text_hash("Ärger im Amt"),
        };
        // The file changes under the cache.
        std::fs::write(f.path(), "Xrger im Amt!").unwrap();
        let changed = DocText::stored(Arc::new(TextFile::open(f.path()).unwrap()), slot);
        assert_eq!(changed.as_str(), " ".repeat(slot.len as usize));
        // Past the end of the file: the same, no panic.
        let past = DocText::stored(
            file,
            TextSlot {
                offset: 100,
                ..slot
            },
        );
        assert_eq!(past.len(), slot.len as usize);
        assert_eq!(past.as_str().trim(), "");
    }
}
