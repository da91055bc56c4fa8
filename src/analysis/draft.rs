//! A draft, read once per check: which bytes are prose, its paragraphs and
//! sentences, the actors it names (known to the corpus or not), its
//! quotations with their speakers, and its citations.
//!
//! Markdown syntax that is not prose — code, front matter, link targets,
//! HTML comments, emphasis marks — is blanked to spaces in a copy of the
//! text ([`Draft::prose`]) so every later stage works on plain words at the
//! draft's own byte offsets.

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::corpus::names::{self, NameSpan};
use crate::corpus::quotes::{self, SpeakerCue};
use crate::corpus::{article, Corpus, EntityId, EntityKind, Sentence};

/// How the draft says who spoke a quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Speaker {
    /// A name the corpus knows.
    Known(EntityId),
    /// A name the corpus does not know, as written.
    Unknown(String),
    /// "a senior official", as written.
    Descriptive(String),
}

/// A name in the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftMention {
    pub range: Range<usize>,
    /// The corpus entity, when the name is known.
    pub entity: Option<EntityId>,
    pub kind: EntityKind,
    /// True when the name stands inside quotation marks.
    pub quoted: bool,
}

/// A quotation in the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftQuote {
    /// The quoted words, inside the marks.
    pub range: Range<usize>,
    pub speaker: Option<Speaker>,
    /// Byte range of the speaker's name or description in the draft.
    pub speaker_range: Option<Range<usize>>,
    pub sentence: Range<usize>,
}

/// A draft read against a corpus: its text and what reading found in it
/// (through [`Deref`](std::ops::Deref): `draft.mentions`). The reading is
/// shared, so a draft kept between requests is handed out again without
/// copying what it found (a 3 MB document's is about 10 MB).
#[derive(Debug, Clone)]
pub struct Draft<'t> {
    pub text: &'t str,
    reading: Arc<Reading>,
}

/// What [`Draft::read`] found in a text; see [`Draft`].
#[derive(Debug)]
pub struct Reading {
    /// `text` with non-prose bytes replaced by spaces (same length).
    pub prose: String,
    pub paragraphs: Vec<Range<usize>>,
    pub sentences: Vec<Range<usize>>,
    /// Names the recognizer found (known or not).
    pub names: Vec<NameSpan>,
    /// Known entity mentions and unknown names, in order, not overlapping.
    pub mentions: Vec<DraftMention>,
    pub quotes: Vec<DraftQuote>,
    /// Links and footnote references: a sentence holding one is cited.
    pub citations: Vec<Range<usize>>,
}

/// Whether a language id is read as Markdown.
pub fn is_markdown(language: &str) -> bool {
    matches!(language, "markdown" | "md" | "mdx" | "quarto" | "rmd")
}

impl std::ops::Deref for Draft<'_> {
    type Target = Reading;

    fn deref(&self) -> &Reading {
        &self.reading
    }
}

impl<'t> Draft<'t> {
    /// Read `text` (Markdown when `markdown` is true) against `corpus`.
    pub fn read(text: &'t str, markdown: bool, corpus: &Corpus) -> Draft<'t> {
        let (prose, citations) = if markdown {
            mask_markdown(text)
        } else {
            (text.to_string(), Vec::new())
        };
        let paragraphs = article::split_paragraphs(&prose, 0..prose.len());
        let sentences: Vec<Range<usize>> = paragraphs
            .par_iter()
            .flat_map_iter(|p| article::split_sentences(&prose, p.clone()))
            .collect();
        let sentence_structs: Vec<Sentence> = sentences
            .iter()
            .map(|s| {
                Sentence::new(
                    s.clone(),
                    paragraphs.partition_point(|p| p.end <= s.start),
                    false,
                )
            })
            .collect();
        // The recognizer (then the quotations, which need its names) and
        // the known-name automaton read the text side by side.
        let ((names, raw_quotes), known) = rayon::join(
            || {
                let names = names::find_names(&prose, &sentences);
                let quotes = quotes::find_quotes(&prose, &paragraphs, &sentence_structs, &names);
                (names, quotes)
            },
            || corpus.names.find(&prose),
        );

        // Known names first: the automaton knows every alias the sources use.
        let mut mentions: Vec<DraftMention> = known
            .into_iter()
            .map(|h| DraftMention {
                range: h.range,
                entity: Some(h.entity),
                kind: corpus.entities[h.entity].kind,
                quoted: false,
            })
            .collect();
        // Then names the sources never mention. Both lists are in text
        // order and known mentions do not overlap each other, so one
        // binary search per name finds any overlap.
        let known_count = mentions.len();
        for n in &names {
            let known = &mentions[..known_count];
            let i = known.partition_point(|m| m.range.end <= n.range.start);
            let overlaps = known.get(i).is_some_and(|m| m.range.start < n.range.end);
            if !overlaps {
                mentions.push(DraftMention {
                    range: n.range.clone(),
                    entity: None,
                    kind: n.kind,
                    quoted: false,
                });
            }
        }
        mentions.sort_by_key(|m| m.range.start);

        let quotes: Vec<DraftQuote> = raw_quotes
            .iter()
            .map(|q| {
                let (speaker, speaker_range) = match &q.speaker {
                    Some(SpeakerCue::Name(i)) => match names.get(*i) {
                        Some(n) => {
                            let i = mentions.partition_point(|m| m.range.end <= n.range.start);
                            let known = mentions
                                .get(i)
                                .filter(|m| {
                                    m.range.start <= n.range.start && n.range.end <= m.range.end
                                })
                                .and_then(|m| m.entity);
                            let speaker = match known {
                                Some(e) => Speaker::Known(e),
                                None => Speaker::Unknown(prose[n.range.clone()].to_string()),
                            };
                            (Some(speaker), Some(n.range.clone()))
                        }
                        None => (None, None),
                    },
                    Some(SpeakerCue::Descriptive(r)) => {
                        let words = prose.get(r.clone()).unwrap_or("").split_whitespace();
                        (
                            Some(Speaker::Descriptive(words.collect::<Vec<_>>().join(" "))),
                            Some(r.clone()),
                        )
                    }
                    None => (None, None),
                };
                DraftQuote {
                    range: q.range.clone(),
                    speaker,
                    speaker_range,
                    sentence: q.sentence.clone(),
                }
            })
            .collect();
        let mut quotes = quotes;
        quotes.sort_by_key(|q| q.range.start);
        // Quotes come in text order and do not nest, so a merge marks the
        // mentions that stand inside one.
        let mut q = 0;
        for m in &mut mentions {
            while q < quotes.len() && quotes[q].range.end < m.range.end {
                q += 1;
            }
            m.quoted = quotes
                .get(q)
                .is_some_and(|q| q.range.start <= m.range.start && m.range.end <= q.range.end);
        }

        Draft {
            text,
            reading: Arc::new(Reading {
                prose,
                paragraphs,
                sentences,
                names,
                mentions,
                quotes,
                citations,
            }),
        }
    }

    /// `text` with what reading the very same text found before.
    pub(crate) fn with_reading(text: &'t str, reading: Arc<Reading>) -> Draft<'t> {
        Draft { text, reading }
    }

    /// What reading found, to keep beyond the text's borrow.
    pub(crate) fn reading(&self) -> &Arc<Reading> {
        &self.reading
    }

    /// The quoted words of a quote, as the draft writes them.
    pub fn quote_text(&self, q: &DraftQuote) -> &str {
        self.text.get(q.range.clone()).unwrap_or("")
    }

    /// The sentence containing `offset`.
    pub fn sentence_at(&self, offset: usize) -> Option<Range<usize>> {
        let i = self.sentences.partition_point(|s| s.end < offset);
        self.sentences
            .get(i)
            .filter(|s| s.start <= offset && offset <= s.end)
            .cloned()
    }

    /// The mentions lying wholly inside `range`, in order: a binary search
    /// and a walk over those mentions only, not over the whole draft.
    pub fn mentions_in(&self, range: &Range<usize>) -> impl Iterator<Item = &DraftMention> + '_ {
        let from = self
            .mentions
            .partition_point(|m| m.range.start < range.start);
        let end = range.end;
        self.mentions[from..]
            .iter()
            .take_while(move |m| m.range.start < end)
            .filter(move |m| m.range.end <= end)
    }

    /// The mention holding all of `range`. Mentions do not overlap, so
    /// only the last one starting at or before it can.
    pub fn mention_around(&self, range: &Range<usize>) -> Option<&DraftMention> {
        let i = self
            .mentions
            .partition_point(|m| m.range.start <= range.start);
        let m = self.mentions.get(i.checked_sub(1)?)?;
        (range.end <= m.range.end).then_some(m)
    }

    /// The mention under `offset` (inclusive of its end, as a cursor sits).
    pub fn mention_at(&self, offset: usize) -> Option<&DraftMention> {
        self.mentions
            .iter()
            .find(|m| m.range.start <= offset && offset <= m.range.end)
    }

    /// The quote under `offset`, marks included.
    pub fn quote_at(&self, offset: usize) -> Option<&DraftQuote> {
        self.quotes
            .iter()
            .find(|q| q.range.start.saturating_sub(1) <= offset && offset <= q.range.end + 3)
    }

    /// True when a link or footnote stands in `range`.
    pub fn is_cited(&self, range: &Range<usize>) -> bool {
        self.citations
            .iter()
            .any(|c| c.start < range.end && range.start < c.end)
    }
}

/// Blank out what is not prose in a Markdown text, keeping every byte
/// offset and line break; return the blanked text and the citations (links
/// and footnote references).
pub fn mask_markdown(text: &str) -> (String, Vec<Range<usize>>) {
    let mut bytes = text.as_bytes().to_vec();
    let mut citations = Vec::new();
    let blank = |bytes: &mut Vec<u8>, r: Range<usize>| {
        for b in &mut bytes[r.start.min(text.len())..r.end.min(text.len())] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    };
    let options = Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TABLES;
    let mut link_stack: Vec<usize> = Vec::new();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Code(_)
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => blank(&mut bytes, range),
            Event::FootnoteReference(_) => {
                citations.push(range.clone());
                blank(&mut bytes, range);
            }
            Event::Start(Tag::CodeBlock(_))
            | Event::Start(Tag::MetadataBlock(_))
            | Event::Start(Tag::HtmlBlock) => blank(&mut bytes, range),
            Event::Start(Tag::FootnoteDefinition(_)) => {
                // "[^1]: " is syntax; the note itself is prose.
                if let Some(colon) = text[range.clone()].find("]:") {
                    blank(&mut bytes, range.start..range.start + colon + 2);
                }
            }
            Event::Start(Tag::Heading { .. }) => {
                let line = &text[range.clone()];
                let marks = line.len() - line.trim_start_matches('#').len();
                blank(&mut bytes, range.start..range.start + marks);
            }
            Event::Start(Tag::Emphasis)
            | Event::Start(Tag::Strong)
            | Event::Start(Tag::Strikethrough) => {
                let inner = &text[range.clone()];
                let mark = inner
                    .chars()
                    .next()
                    .filter(|c| matches!(c, '*' | '_' | '~'));
                if let Some(m) = mark {
                    let n = inner.len() - inner.trim_start_matches(m).len();
                    let tail = inner.len() - inner.trim_end_matches(m).len();
                    blank(&mut bytes, range.start..range.start + n);
                    blank(&mut bytes, range.end - tail..range.end);
                }
            }
            Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. }) => {
                link_stack.push(range.start);
                citations.push(range.clone());
                let src = &text[range.clone()];
                if src.starts_with('<') {
                    blank(&mut bytes, range);
                } else if src.starts_with('[') || src.starts_with("![") {
                    // Keep the link text, blank "[", "](target)" or "][ref]".
                    let open = if src.starts_with('!') { 2 } else { 1 };
                    blank(&mut bytes, range.start..range.start + open);
                    if let Some(close) = link_text_end(src) {
                        blank(&mut bytes, range.start + close..range.end);
                    }
                } else {
                    // A bare URL (autolink): not words.
                    blank(&mut bytes, range);
                }
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                link_stack.pop();
            }
            _ => {}
        }
    }
    // Only ASCII spaces were written over whole characters' bytes or over
    // ASCII syntax, so the result is still UTF-8; fall back to the text
    // itself if that ever failed.
    let prose = String::from_utf8(bytes).unwrap_or_else(|_| text.to_string());
    (prose, citations)
}

/// Offset of the `]` that closes a link's text in `[text](target)`,
/// counting nested brackets.
fn link_text_end(src: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in src.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            '\\' => {}
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_syntax_is_blanked_but_offsets_stay() {
        let text = "---\ntitle: x\n---\n# Harbour *news*\n\nSee [the report](https://example.org/a \"t\") and `code`.[^1]\n\n<!-- note -->\n\n[^1]: Port log.\n";
        let (prose, cites) = mask_markdown(text);
        assert_eq!(prose.len(), text.len());
        assert!(!prose.contains("title:"), "{prose}");
        assert!(!prose.contains("https"), "{prose}");
        assert!(!prose.contains("code"), "{prose}");
        assert!(!prose.contains("note"), "{prose}");
        assert!(prose.contains("the report"));
        assert!(prose.contains("Harbour  news "), "{prose:?}");
        assert!(prose.contains("Port log."));
        assert_eq!(cites.len(), 2);
        // Line breaks stay where they were.
        assert_eq!(
            prose
                .match_indices('\n')
                .map(|(i, _)| i)
                .collect::<Vec<_>>(),
            text.match_indices('\n').map(|(i, _)| i).collect::<Vec<_>>()
        );
    }

    #[test]
    fn multibyte_text_in_code_is_blanked_safely() {
        let text = "Zoë said `“déjà” 👩‍💻` then left.\r\n";
        let (prose, _) = mask_markdown(text);
        assert_eq!(prose.len(), text.len());
        assert!(prose.starts_with("Zoë said "));
        assert!(prose.ends_with(" then left.\r\n"));
    }

    #[test]
    fn names_inside_quotes_are_marked_quoted() {
        let corpus = Corpus::default();
        let text = "Minister Tomás Ruiz said: “Director Anna Kowalczyk misled us.” Later Anna Kowalczyk resigned.";
        let d = Draft::read(text, false, &corpus);
        let flags: Vec<(&str, bool)> = d
            .mentions
            .iter()
            .map(|m| (&text[m.range.clone()], m.quoted))
            .collect();
        assert!(flags.contains(&("Anna Kowalczyk", true)), "{flags:?}");
        assert!(flags.contains(&("Anna Kowalczyk", false)), "{flags:?}");
        assert!(flags.contains(&("Tomás Ruiz", false)), "{flags:?}");
    }

    #[test]
    fn plain_text_is_left_alone() {
        let corpus = Corpus::default();
        let text = "Use `x` here [a](b).";
        let d = Draft::read(text, false, &corpus);
        assert_eq!(d.prose, text);
        assert!(d.citations.is_empty());
    }
}
