//! The plain data the corpus engine produces: documents, entities, roles,
//! quotes. Everything here is byte offsets into a document's readable text;
//! nothing knows about LSP.

use std::ops::Range;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::text::DocText;

/// What kind of actor a name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    /// Government bodies, intelligence services, police, ministries,
    /// parliaments, companies, institutes.
    Agency,
    /// Newspapers, magazines, broadcasters, news agencies.
    Outlet,
    Place,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Agency => "agency",
            EntityKind::Outlet => "outlet",
            EntityKind::Place => "place",
        }
    }
}

/// Maps byte offsets in a document's readable text back to the file it came
/// from. For plain text and Markdown the readable text *is* the file, so the
/// map is the identity; for HTML each run of kept text remembers where it
/// stood in the file.
///
/// Offsets are kept as `u32`, as in [`Sentence`]: a large archive holds
/// tens of millions of line starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineMap {
    /// `(text_offset, file_offset)` pairs, sorted by `text_offset`; a text
    /// offset maps to the file offset of the last segment starting at or
    /// before it, plus the distance into that segment. Empty means identity.
    segments: Vec<(u32, u32)>,
    /// Byte offsets in the *file* where each line starts (line 1 at index 0).
    file_line_starts: Vec<u32>,
}

impl LineMap {
    /// The identity map for a file whose readable text is its own content.
    pub fn identity(file_text: &str) -> LineMap {
        LineMap::new(Vec::new(), file_text)
    }

    /// The map of a readable text made of `segments` (`(text_offset,
    /// file_offset)`, rising) of `file_text`.
    pub fn new(segments: Vec<(usize, usize)>, file_text: &str) -> LineMap {
        LineMap {
            segments: segments
                .into_iter()
                .map(|(t, f)| (narrow(t), narrow(f)))
                .collect(),
            file_line_starts: line_starts(file_text).into_iter().map(narrow).collect(),
        }
    }

    /// Whether the readable text is the file itself.
    pub fn is_identity(&self) -> bool {
        self.segments.is_empty()
    }

    /// The `(text_offset, file_offset)` segments (none for the identity).
    pub fn segments(&self) -> impl ExactSizeIterator<Item = (usize, usize)> + '_ {
        self.segments.iter().map(|&(t, f)| (t as usize, f as usize))
    }

    /// Byte offset in the file for a byte offset in the readable text.
    pub fn file_offset(&self, text_offset: usize) -> usize {
        if self.segments.is_empty() {
            return text_offset;
        }
        let i = self
            .segments
            .partition_point(|&(t, _)| t as usize <= text_offset);
        if i == 0 {
            return self.segments[0].1 as usize;
        }
        let (t, f) = self.segments[i - 1];
        f as usize + (text_offset - t as usize)
    }

    /// 1-based line number in the file for a byte offset in the readable text.
    pub fn line(&self, text_offset: usize) -> usize {
        self.file_line(self.file_offset(text_offset))
    }

    /// 1-based line number of a byte offset in the file.
    pub fn file_line(&self, file_offset: usize) -> usize {
        self.file_line_starts
            .partition_point(|&s| s as usize <= file_offset)
            .max(1)
    }

    /// Heap bytes held (for memory accounting).
    pub fn heap_bytes(&self) -> usize {
        self.segments.capacity() * std::mem::size_of::<(u32, u32)>()
            + self.file_line_starts.capacity() * std::mem::size_of::<u32>()
    }
}

/// Byte offsets where lines start, treating `\n`, `\r\n` and a lone `\r` as
/// line breaks (as LSP does).
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => starts.push(i + 1),
            b'\r' => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                starts.push(i + 1);
            }
            _ => {}
        }
        i += 1;
    }
    starts
}

/// A sentence of a document, in 12 bytes (an archive has tens of
/// millions): offsets and paragraph as `u32`, which the reader's size limit
/// guarantees are enough ([`super::source::LARGEST_FILE`]), and whether it
/// is boilerplate in the paragraph's top bit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    start: u32,
    end: u32,
    /// The paragraph's index in the reading that split the document (below
    /// [`BOILERPLATE`]), and that bit when the sentence is boilerplate.
    paragraph: u32,
}

/// The bit of [`Sentence::paragraph`] that marks boilerplate: no file the
/// reader takes has 2³¹ paragraphs.
const BOILERPLATE: u32 = 1 << 31;

/// An offset or index kept as `u32` (see [`Sentence`], [`Mention`]).
fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Sentence {
    pub fn new(range: Range<usize>, paragraph: usize, boilerplate: bool) -> Sentence {
        let mut s = Sentence {
            start: narrow(range.start),
            end: narrow(range.end),
            paragraph: narrow(paragraph).min(BOILERPLATE - 1),
        };
        s.set_boilerplate(boilerplate);
        s
    }

    /// Subscription prompts, sign-ups, "follow us", related headlines…
    pub fn boilerplate(&self) -> bool {
        self.paragraph & BOILERPLATE != 0
    }

    pub fn set_boilerplate(&mut self, boilerplate: bool) {
        if boilerplate {
            self.paragraph |= BOILERPLATE;
        } else {
            self.paragraph &= !BOILERPLATE;
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn start(&self) -> usize {
        self.start as usize
    }

    pub fn end(&self) -> usize {
        self.end as usize
    }

    /// The index of its paragraph among those reading split the document
    /// into ([`super::article::ArticleParts::paragraphs`]).
    pub fn paragraph(&self) -> usize {
        (self.paragraph & !BOILERPLATE) as usize
    }
}

/// One article of the corpus, read and split.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    /// The file name without its extension.
    pub id: String,
    /// Where the file lives. Embedded seeds carry `seeds/<file name>`.
    pub path: PathBuf,
    /// True for the corpus compiled into the binary.
    pub embedded: bool,
    /// Readable text (tags removed for HTML). Not serialized: the cache
    /// keeps texts in a file of their own ([`super::text`]).
    #[serde(skip)]
    pub text: DocText,
    pub line_map: LineMap,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub date: Option<String>,
    /// The outlet the article names as its publisher, when it does.
    pub outlet: Option<String>,
    /// Its sentences, in order. (Its paragraphs are not kept: reading
    /// finds its quotes with them, and nothing after needs them.)
    pub sentences: Vec<Sentence>,
}

impl Document {
    /// 1-based line in the source file for a byte offset in `text`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_map.line(offset)
    }

    /// The sentence containing `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end() <= offset);
        (i < self.sentences.len() && self.sentences[i].start() <= offset).then_some(i)
    }

    /// Whether `offset` falls in a sentence marked as boilerplate.
    pub fn is_boilerplate(&self, offset: usize) -> bool {
        self.sentence_at(offset)
            .map(|i| self.sentences[i].boilerplate())
            .unwrap_or(false)
    }
}

pub type DocId = usize;
pub type EntityId = usize;

/// Where something stands in the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub doc: DocId,
    pub range: Range<usize>,
}

/// What the sources say a person (or body) is, with where they say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// As the source gives it: "White House Press Secretary".
    pub text: String,
    pub span: Span,
}

/// An unnamed person described through an organisation, at the mention
/// of the organisation the phrase is built around.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Described {
    /// "a former Harbour Board operative", white space made single.
    pub text: String,
    pub span: Span,
}

/// One occurrence of an entity's name in a document. Kept in 16 bytes
/// (a large archive has millions): the document and offsets as `u32`,
/// which the reader's size limit guarantees are enough
/// ([`super::source::LARGEST_FILE`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    doc: u32,
    start: u32,
    end: u32,
    pub boilerplate: bool,
}

impl Mention {
    pub fn new(doc: DocId, range: Range<usize>, boilerplate: bool) -> Mention {
        Mention {
            doc: narrow(doc),
            start: narrow(range.start),
            end: narrow(range.end),
            boilerplate,
        }
    }

    pub fn doc(&self) -> DocId {
        self.doc as DocId
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn start(&self) -> usize {
        self.start as usize
    }

    pub fn span(&self) -> Span {
        Span {
            doc: self.doc(),
            range: self.range(),
        }
    }
}

/// A person, agency, outlet or place, merged across all its mentions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entity {
    /// Stable, readable id: a slug of the canonical name.
    pub id: String,
    /// The fullest form the sources use.
    pub name: String,
    pub kind: EntityKind,
    /// Other names it goes by (surname, acronym, spelling variants).
    pub aliases: Vec<String>,
    pub roles: Vec<Role>,
    pub mentions: Vec<Mention>,
    /// For an agency or outlet: unnamed people the sources describe
    /// through it ("a former <org> operative"), a few, found at build time.
    pub described: Vec<Described>,
}

impl Entity {
    /// Documents that mention the entity, in corpus order, without repeats.
    pub fn documents(&self) -> Vec<DocId> {
        let mut docs: Vec<DocId> = self.mentions.iter().map(Mention::doc).collect();
        docs.sort_unstable();
        docs.dedup();
        docs
    }

    /// True when every mention is in boilerplate: such entities rank low.
    pub fn only_in_boilerplate(&self) -> bool {
        !self.mentions.is_empty() && self.mentions.iter().all(|m| m.boilerplate)
    }
}

/// How the text names whoever said a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpeakerRef {
    /// A name in the text, resolved to an entity.
    Entity(EntityId),
    /// "an unnamed defense official", "the officer": kept as written.
    Descriptive(String),
}

/// A quotation in the sources.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Quote {
    /// The quoted words, without the quotation marks.
    pub text: String,
    /// Range of the quoted words (inside the marks).
    pub span: Span,
    pub speaker: Option<SpeakerRef>,
    /// The speaker as the text names them ("Anna Kowalczyk", "she" resolved to
    /// the name, "an unnamed harbour official").
    pub speaker_name: Option<String>,
    /// The whole sentence (or sentences) the quote stands in.
    pub sentence: Range<usize>,
    pub boilerplate: bool,
}

/// A file that could not be read as a source, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}
