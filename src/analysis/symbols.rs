//! The draft's actors and quotes as editor features: highlighting
//! (semantic tokens), the outline (document symbols), a search over the
//! corpus's actors (workspace symbols), name completion and inline roles.

use std::collections::HashSet;

use crate::analysis::card::shorten;
use crate::analysis::draft::{Draft, Speaker};
use crate::analysis::goto;
use crate::analysis::source_files::SourceFiles;
use crate::corpus::{Corpus, Entity, EntityKind};
use crate::server::{CompletionEntry, InlayNote, Symbol, Token, TokenKind, WorkspaceSymbol};

pub fn token_kind(kind: EntityKind) -> TokenKind {
    match kind {
        EntityKind::Person => TokenKind::Person,
        EntityKind::Agency => TokenKind::Agency,
        EntityKind::Outlet => TokenKind::Outlet,
        EntityKind::Place => TokenKind::Place,
    }
}

/// Names (known or not) by kind, and quotations.
pub fn semantic_tokens(draft: &Draft<'_>) -> Vec<Token> {
    let mut tokens: Vec<Token> = draft
        .mentions
        .iter()
        .map(|m| Token {
            range: m.range.clone(),
            kind: token_kind(m.kind),
        })
        .collect();
    tokens.extend(draft.quotes.iter().map(|q| Token {
        range: q.range.clone(),
        kind: TokenKind::Quote,
    }));
    tokens.sort_by_key(|t| (t.range.start, t.range.end));
    tokens
}

fn first_role(e: &Entity) -> Option<String> {
    e.roles.first().map(|r| r.text.clone())
}

/// The outline: each actor at its first mention (detail: its role in the
/// sources, or "not in the sources"), and each quotation with its speaker.
pub fn document_symbols(corpus: &Corpus, draft: &Draft<'_>) -> Vec<Symbol> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for m in draft.mentions.iter().filter(|m| !m.quoted) {
        let (name, detail) = match m.entity {
            Some(e) => {
                let entity = &corpus.entities[e];
                (entity.name.clone(), first_role(entity))
            }
            None => (
                draft
                    .text
                    .get(m.range.clone())
                    .unwrap_or("")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                Some("not in the sources".to_string()),
            ),
        };
        if name.is_empty() || !seen.insert(name.to_lowercase()) {
            continue;
        }
        out.push(Symbol {
            name,
            kind: token_kind(m.kind),
            detail,
            range: m.range.clone(),
        });
    }
    for q in &draft.quotes {
        let words = shorten(draft.quote_text(q), 60);
        if words.is_empty() {
            continue;
        }
        let detail = q.speaker.as_ref().map(|s| match s {
            Speaker::Known(e) => corpus.entities[*e].name.clone(),
            Speaker::Unknown(n) | Speaker::Descriptive(n) => n.clone(),
        });
        out.push(Symbol {
            name: format!("“{words}”"),
            kind: TokenKind::Quote,
            detail,
            range: q.range.clone(),
        });
    }
    out.sort_by_key(|s| s.range.start);
    out
}

/// Actors whose name or alias contains `query` (any case); names starting
/// with it first, then better-attested ones. An empty query lists all.
pub fn workspace_symbols(
    corpus: &Corpus,
    files: &SourceFiles,
    query: &str,
) -> Vec<WorkspaceSymbol> {
    const LIMIT: usize = 200;
    let query = query.trim().to_lowercase();
    let mut ranked: Vec<(u8, std::cmp::Reverse<usize>, usize)> = Vec::new();
    for (i, e) in corpus.entities.iter().enumerate() {
        let names = std::iter::once(&e.name).chain(&e.aliases);
        let mut best: Option<u8> = None;
        for n in names {
            let n = n.to_lowercase();
            let rank = if n.starts_with(&query) {
                Some(0)
            } else if n.split_whitespace().any(|w| w.starts_with(&query)) {
                Some(1)
            } else if n.contains(&query) {
                Some(2)
            } else {
                None
            };
            best = match (best, rank) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        if let Some(rank) = best {
            ranked.push((rank, std::cmp::Reverse(e.mentions.len()), i));
        }
    }
    ranked.sort();
    ranked
        .into_iter()
        .filter_map(|(_, _, i)| {
            let e = &corpus.entities[i];
            let target = goto::entity_target(corpus, files, i)?;
            let container = first_role(e).or_else(|| {
                goto::introduction(e).and_then(|s| corpus.documents[s.doc].title.clone())
            });
            Some(WorkspaceSymbol {
                name: e.name.clone(),
                kind: token_kind(e.kind),
                container,
                target,
            })
        })
        .take(LIMIT)
        .collect()
}

/// The word being typed at `offset`: letters (and apostrophes, hyphens)
/// back to the previous break.
fn typed_word(text: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    let before = text.get(..offset)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic() || matches!(c, '\'' | '’' | 'ʼ' | '-' | '.'))
        .last()
        .map(|(i, _)| i)?;
    Some(start..offset)
}

/// Known names and titles for the word being typed, once it has two
/// letters: any word of a name, alias or role may match its start.
pub fn completion(corpus: &Corpus, text: &str, offset: usize) -> Vec<CompletionEntry> {
    const LIMIT: usize = 50;
    let Some(word) = typed_word(text, offset) else {
        return Vec::new();
    };
    let typed = text[word.clone()].to_lowercase();
    if typed.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return Vec::new();
    }
    let matches = |name: &str| -> Option<u8> {
        let lower = name.to_lowercase();
        if lower.starts_with(&typed) {
            Some(0)
        } else if lower.split_whitespace().any(|w| w.starts_with(&typed)) {
            Some(1)
        } else {
            None
        }
    };
    let mut found: Vec<(u8, std::cmp::Reverse<usize>, CompletionEntry)> = Vec::new();
    let mut labels: HashSet<String> = HashSet::new();
    for e in &corpus.entities {
        if e.only_in_boilerplate() {
            continue;
        }
        let weight = std::cmp::Reverse(e.mentions.len());
        let rank = std::iter::once(&e.name)
            .chain(&e.aliases)
            .filter_map(|n| matches(n))
            .min();
        if let Some(rank) = rank {
            if labels.insert(e.name.clone()) {
                let sources = e.documents().len();
                found.push((
                    rank,
                    weight,
                    CompletionEntry {
                        label: e.name.clone(),
                        kind: token_kind(e.kind),
                        detail: first_role(e).or_else(|| Some(e.kind.as_str().to_string())),
                        documentation: Some(format!(
                            "{} · mentioned in {sources} source{}",
                            e.kind.as_str(),
                            if sources == 1 { "" } else { "s" }
                        )),
                        replace: word.clone(),
                        new_text: e.name.clone(),
                    },
                ));
            }
        }
        for role in &e.roles {
            if let Some(rank) = matches(&role.text) {
                if labels.insert(role.text.clone()) {
                    found.push((
                        rank + 2,
                        weight,
                        CompletionEntry {
                            label: role.text.clone(),
                            kind: token_kind(e.kind),
                            detail: Some(format!("title of {}", e.name)),
                            documentation: None,
                            replace: word.clone(),
                            new_text: role.text.clone(),
                        },
                    ));
                }
            }
        }
    }
    found.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.label.cmp(&b.2.label)));
    found.into_iter().take(LIMIT).map(|(_, _, c)| c).collect()
}

/// After the first mention of each known person, their first role.
pub fn inlay_hints(corpus: &Corpus, draft: &Draft<'_>) -> Vec<InlayNote> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for m in &draft.mentions {
        let Some(e) = m.entity else { continue };
        let entity = &corpus.entities[e];
        if entity.kind != EntityKind::Person || m.quoted || !seen.insert(e) {
            continue;
        }
        if let Some(role) = entity.roles.first() {
            let doc = &corpus.documents[role.span.doc];
            out.push(InlayNote {
                offset: m.range.end,
                label: format!(": {}", role.text),
                tooltip: Some(format!(
                    "{} ({}:{})",
                    doc.title.as_deref().unwrap_or("source"),
                    doc.id,
                    doc.line_of(role.span.range.start)
                )),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::source::{Loaded, SourceFile};
    use crate::corpus::LineMap;

    fn corpus() -> Corpus {
        let a = "Harbour closes\n\nThe Ministry of Fisheries closed the harbour on Monday. \
Director Anna Kowalczyk said the closure was “a painful but necessary step for the fleet”. \
Port captain Bartosz Wiśniewski agreed.\n";
        Corpus::build(Loaded {
            files: vec![SourceFile {
                id: "01".into(),
                path: "/nonexistent/01.txt".into(),
                embedded: false,
                text: a.into(),
                line_map: LineMap::identity(a),
            }],
            ..Loaded::default()
        })
    }

    #[test]
    fn completion_after_two_letters_matches_any_word() {
        let corpus = corpus();
        let text = "Yesterday Ko";
        let items = completion(&corpus, text, text.len());
        let anna = items
            .iter()
            .find(|c| c.label == "Anna Kowalczyk")
            .expect("offered");
        assert_eq!(anna.replace, 10..12);
        assert_eq!(anna.detail.as_deref(), Some("Director"));
        assert!(completion(&corpus, "Yesterday K", 11).is_empty());
        // Accented letters count as letters and case does not matter.
        let text = "then wiś";
        let items = completion(&corpus, text, text.len());
        assert!(
            items.iter().any(|c| c.label == "Bartosz Wiśniewski"),
            "{items:?}"
        );
    }

    #[test]
    fn tokens_symbols_and_hints_follow_the_draft() {
        let corpus = corpus();
        let text = "Anna Kowalczyk called it “a painful but necessary step”. Jane Whitfield disagreed. Kowalczyk left.";
        let draft = Draft::read(text, true, &corpus);
        let tokens = semantic_tokens(&draft);
        assert!(tokens
            .iter()
            .any(|t| t.kind == TokenKind::Person && t.range == (0..14)));
        assert!(tokens.iter().any(|t| t.kind == TokenKind::Quote));
        let symbols = document_symbols(&corpus, &draft);
        let names: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
        assert!(names.contains(&"Anna Kowalczyk"), "{names:?}");
        assert!(names.contains(&"Jane Whitfield"), "{names:?}");
        assert_eq!(names.iter().filter(|n| **n == "Anna Kowalczyk").count(), 1);
        let jane = symbols
            .iter()
            .find(|s| s.name == "Jane Whitfield")
            .expect("jane");
        assert_eq!(jane.detail.as_deref(), Some("not in the sources"));
        let hints = inlay_hints(&corpus, &draft);
        assert_eq!(hints.len(), 1, "{hints:?}");
        assert_eq!(hints[0].offset, 14);
        assert_eq!(hints[0].label, ": Director");
    }

    #[test]
    fn workspace_search_puts_prefixes_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let corpus = corpus();
        // Targets need files: write the one source and point at it.
        let files = SourceFiles::prepare(&corpus, dir.path());
        let _ = files;
        let found = workspace_symbols(&corpus, &SourceFiles::default(), "ko");
        // No file for the source: no symbol (it could not be opened).
        assert!(found.is_empty());
        assert!(typed_word("ab", 1).is_some());
        assert_eq!(typed_word("“Zo", 5), Some(3..5));
    }
}
