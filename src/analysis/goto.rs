//! Go-to-source and references: from a quotation in the draft to the exact
//! words in the sources, from a name to where the sources introduce it, and
//! every mention of an actor across the sources and the draft.

use crate::analysis::draft::Draft;
use crate::analysis::lookups::Lookups;
use crate::analysis::quote_source::{self, QuoteSource, SourceHit};
use crate::analysis::source_files::SourceFiles;
use crate::corpus::{Corpus, Entity, EntityId, Mention, Span};
use crate::server::Target;

/// Where the thing at `offset` comes from in the sources. A quotation is
/// looked up through `lookups` when given (the checks have usually found
/// it already).
pub fn definition(
    corpus: &Corpus,
    files: &SourceFiles,
    lookups: Option<&Lookups>,
    draft: &Draft<'_>,
    offset: usize,
) -> Vec<Target> {
    if let Some(e) = draft.mention_at(offset).and_then(|m| m.entity) {
        return introduction(&corpus.entities[e])
            .and_then(|span| target(corpus, files, span.doc, span.range.clone()))
            .into_iter()
            .collect();
    }
    let Some(q) = draft.quote_at(offset) else {
        return Vec::new();
    };
    let located = quote_source::locate_with(corpus, lookups, draft.quote_text(q));
    let hits: &[SourceHit] = match located.as_ref() {
        QuoteSource::Found(hits) => hits,
        QuoteSource::Near(hit) => std::slice::from_ref(hit),
        QuoteSource::NotFound => &[],
    };
    hits.iter()
        .filter_map(|h: &SourceHit| target(corpus, files, h.doc, h.range.clone()))
        .collect()
}

/// Every mention of the actor at `offset`: in the sources, then in the
/// draft. A name the sources never use gets its occurrences in the draft.
pub fn references(
    corpus: &Corpus,
    files: &SourceFiles,
    draft: &Draft<'_>,
    offset: usize,
) -> Vec<Target> {
    let Some(mention) = draft.mention_at(offset) else {
        return Vec::new();
    };
    let mut out: Vec<Target> = Vec::new();
    match mention.entity {
        Some(e) => {
            out.extend(
                corpus.entities[e]
                    .mentions
                    .iter()
                    .filter_map(|m| target(corpus, files, m.doc(), m.range())),
            );
            out.extend(
                draft
                    .mentions
                    .iter()
                    .filter(|m| m.entity == Some(e))
                    .map(|m| Target::here(m.range.clone())),
            );
        }
        None => {
            let name = draft.text.get(mention.range.clone()).unwrap_or("");
            out.extend(
                draft
                    .mentions
                    .iter()
                    .filter(|m| m.entity.is_none() && draft.text.get(m.range.clone()) == Some(name))
                    .map(|m| Target::here(m.range.clone())),
            );
        }
    }
    out
}

/// Where the sources introduce an actor: the mention that carries its first
/// role, else its first mention outside page furniture, else its first.
pub fn introduction(entity: &Entity) -> Option<Span> {
    if let Some(role) = entity.roles.first() {
        let nearest = entity
            .mentions
            .iter()
            .filter(|m| m.doc() == role.span.doc)
            .min_by_key(|m| {
                let (a, b) = (&m.range(), &role.span.range);
                if a.end <= b.start {
                    b.start - a.end
                } else {
                    a.start.saturating_sub(b.end)
                }
            });
        if let Some(m) = nearest {
            return Some(m.span());
        }
    }
    entity
        .mentions
        .iter()
        .find(|m| !m.boilerplate)
        .or(entity.mentions.first())
        .map(Mention::span)
}

/// A range of a document's readable text as a place in its file.
pub fn target(
    corpus: &Corpus,
    files: &SourceFiles,
    doc: usize,
    range: std::ops::Range<usize>,
) -> Option<Target> {
    let path = files.path(corpus, doc)?;
    Some(Target::in_file(path, files.file_range(corpus, doc, range)))
}

/// An entity's introduction as a target (for workspace symbols).
pub fn entity_target(corpus: &Corpus, files: &SourceFiles, e: EntityId) -> Option<Target> {
    let span = introduction(corpus.entities.get(e)?)?;
    target(corpus, files, span.doc, span.range.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::source::{Loaded, SourceFile};
    use crate::corpus::LineMap;

    /// An invented corpus written to real files, so targets resolve.
    fn on_disk(dir: &std::path::Path) -> (Corpus, SourceFiles) {
        let a = "Harbour closes\r\n\r\nThe Ministry of Fisheries closed the harbour. \
Director Anna Kowalczyk said the closure was “a painful but necessary step 🐟 for the fleet”.\r\n";
        let path = dir.join("01_harbour.txt");
        std::fs::write(&path, a).expect("write");
        let corpus = Corpus::build(Loaded {
            files: vec![SourceFile {
                id: "01_harbour".into(),
                path,
                embedded: false,
                text: a.into(),
                line_map: LineMap::identity(a),
            }],
            ..Loaded::default()
        });
        let files = SourceFiles::prepare(&corpus, dir);
        (corpus, files)
    }

    fn read_target(t: &Target) -> String {
        let text = std::fs::read_to_string(t.file.as_ref().expect("file")).expect("read");
        text[t.range.clone()].to_string()
    }

    #[test]
    fn quote_goes_to_exactly_the_quoted_words() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (corpus, files) = on_disk(dir.path());
        let text =
            "Zoë wrote: the director called it “a painful but necessary step 🐟 for the fleet”.";
        let draft = Draft::read(text, true, &corpus);
        let at = text.find("necessary").expect("n");
        let targets = definition(&corpus, &files, None, &draft, at);
        assert_eq!(targets.len(), 1, "{targets:?}");
        assert_eq!(
            read_target(&targets[0]),
            "a painful but necessary step 🐟 for the fleet"
        );
        // The server's remembered look-ups give the same place, asked or
        // answered from memory.
        let memo = Lookups::default();
        for _ in 0..2 {
            assert_eq!(
                definition(&corpus, &files, Some(&memo), &draft, at),
                targets
            );
        }
        assert_eq!(memo.len(), 1);
    }

    #[test]
    fn name_goes_to_its_introduction_and_references_span_both_sides() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (corpus, files) = on_disk(dir.path());
        let text = "Anna Kowalczyk spoke. Later Kowalczyk left.";
        let draft = Draft::read(text, true, &corpus);
        let targets = definition(&corpus, &files, None, &draft, 2);
        assert_eq!(targets.len(), 1);
        assert_eq!(read_target(&targets[0]), "Anna Kowalczyk");
        let refs = references(&corpus, &files, &draft, 2);
        let in_draft: Vec<_> = refs.iter().filter(|t| t.file.is_none()).collect();
        assert_eq!(in_draft.len(), 2, "{refs:?}");
        assert!(refs.iter().any(|t| t.file.is_some()));
        // Between things: nothing.
        assert!(definition(
            &corpus,
            &files,
            None,
            &draft,
            text.find("spoke").expect("s") + 1
        )
        .is_empty());
    }
}
