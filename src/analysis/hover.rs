//! Hover: what the thing under the cursor is, according to the sources.
//! Providers are tried in turn — a known actor's card, a name the sources
//! never use, a quotation's standing in the sources, an unsourced claim's
//! possible source passage — and the first that recognises the spot
//! answers. Between things there is no hover.

use std::fmt::Write;
use std::ops::Range;
use std::sync::Arc;

use crate::analysis::card::{self, escape_markdown, shorten};
use crate::analysis::checks::name_variant::KnownNames;
use crate::analysis::checks::unsourced_claim;
use crate::analysis::draft::{Draft, DraftMention, DraftQuote};
use crate::analysis::lookups::Lookups;
use crate::analysis::quote_source::{self, QuoteSource, SourceHit, MIN_WORDS_FOR_MISS};
use crate::analysis::source_files::SourceFiles;
use crate::corpus::{Corpus, EntityKind, SpeakerRef};
use crate::server::HoverCard;

/// The hover card for `offset` in the draft, if something is there.
pub fn hover(
    corpus: &Corpus,
    files: &SourceFiles,
    draft: &Draft<'_>,
    offset: usize,
) -> Option<HoverCard> {
    hover_with(corpus, files, None, draft, offset)
}

/// [`hover`], reusing (and adding to) what earlier requests looked up in
/// this corpus: an agency's card on a large archive reads thousands of
/// mentions, and a writer hovers the same names again and again.
pub fn hover_with(
    corpus: &Corpus,
    files: &SourceFiles,
    lookups: Option<&Arc<Lookups>>,
    draft: &Draft<'_>,
    offset: usize,
) -> Option<HoverCard> {
    let memo = lookups.map(Arc::as_ref);
    let mention = draft.mention_at(offset);
    let quote = draft.quote_at(offset);
    // A known name inside a quote is the more precise answer; an unknown
    // capitalised word inside one is usually just part of the quote.
    if let Some(m) = mention.filter(|m| m.entity.is_some() || quote.is_none()) {
        return Some(mention_card(corpus, files, memo, draft, m));
    }
    if let Some(q) = quote {
        return Some(quote_card(corpus, files, memo, draft, q));
    }
    claim_card(corpus, files, lookups, draft, offset)
}

/// An unsourced claim under the cursor that a source passage may back: the
/// passage, so the writer can see whether it does. A claim nothing backs
/// gets no card — its warning already says so, and prose between names
/// stays quiet.
fn claim_card(
    corpus: &Corpus,
    files: &SourceFiles,
    lookups: Option<&Arc<Lookups>>,
    draft: &Draft<'_>,
    offset: usize,
) -> Option<HoverCard> {
    let claim = unsourced_claim::claim_at(corpus, draft, lookups, offset)?;
    let support = claim.support.as_ref()?;
    let d = corpus.documents.get(support.doc)?;
    let hit = SourceHit {
        doc: support.doc,
        range: support.range.clone(),
        quote: None,
        score: 1.0,
    };
    let passage = d.text.get(support.range.clone()).unwrap_or("");
    let markdown = format!(
        "**No attribution** · possibly supported by {} — {}\n\n> {}",
        escape_markdown(&unsourced_claim::credit(d)),
        place(corpus, files, &hit),
        escape_markdown(&shorten(
            &passage.split_whitespace().collect::<Vec<_>>().join(" "),
            280
        ))
    );
    Some(HoverCard {
        range: claim.range,
        markdown,
    })
}

fn mention_card(
    corpus: &Corpus,
    files: &SourceFiles,
    lookups: Option<&Lookups>,
    draft: &Draft<'_>,
    m: &DraftMention,
) -> HoverCard {
    let markdown = match m.entity {
        Some(e) => match lookups {
            Some(memo) => memo
                .card(e, || card::entity_card(corpus, e, files))
                .to_string(),
            None => card::entity_card(corpus, e, files),
        },
        None => unknown_name_card(
            corpus,
            lookups,
            draft.text.get(m.range.clone()).unwrap_or(""),
            m.kind,
        ),
    };
    HoverCard {
        range: m.range.clone(),
        markdown,
    }
}

/// A name no source uses: said plainly, with the closest known spelling
/// when one is close enough to be a slip. The spelling is the one the
/// `name-variant` check offers for the same name, from the same near-miss
/// index (a look-up, not a pass over every entity of the corpus), and
/// remembered with the checks' answers.
pub fn unknown_name_card(
    corpus: &Corpus,
    lookups: Option<&Lookups>,
    name: &str,
    kind: EntityKind,
) -> String {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = format!(
        "**{}** · not in the sources\n\nNo source mentions this {}. ",
        escape_markdown(&name),
        kind.as_str()
    );
    let closest = || KnownNames::for_corpus(corpus).closest(corpus, &name);
    let known = match lookups {
        Some(memo) => memo.variant(&name, closest),
        None => closest(),
    };
    match known {
        Some(known) => {
            let _ = write!(out, "Did you mean **{}**?", escape_markdown(&known));
        }
        None => out.push_str("Check the spelling, or add a source that names them."),
    }
    out
}

/// The quoted words plus their quotation marks, for the hover's range.
fn with_marks(text: &str, range: &Range<usize>) -> Range<usize> {
    const MARKS: [char; 6] = ['"', '“', '”', '‘', '’', '\''];
    let start = text
        .get(..range.start)
        .and_then(|before| before.chars().next_back())
        .filter(|c| MARKS.contains(c))
        .map_or(range.start, |c| range.start - c.len_utf8());
    let end = text
        .get(range.end..)
        .and_then(|after| after.chars().next())
        .filter(|c| MARKS.contains(c))
        .map_or(range.end, |c| range.end + c.len_utf8());
    start..end
}

fn quote_card(
    corpus: &Corpus,
    files: &SourceFiles,
    lookups: Option<&Lookups>,
    draft: &Draft<'_>,
    q: &DraftQuote,
) -> HoverCard {
    let words = draft.quote_text(q);
    let located = quote_source::locate_with(corpus, lookups, words);
    let markdown = match located.as_ref() {
        QuoteSource::Found(hits) => found_card(corpus, files, hits),
        QuoteSource::Near(hit) => near_card(corpus, files, hit),
        QuoteSource::NotFound => {
            let mut out = String::from("✗ **Not found in the sources**\n\n");
            if words.split_whitespace().count() < MIN_WORDS_FOR_MISS {
                out.push_str("Too short to tell: a few words can come from anywhere.");
            } else {
                out.push_str("No source has these words. Check the wording, or add the source.");
            }
            out
        }
    };
    HoverCard {
        range: with_marks(draft.text, &q.range),
        markdown,
    }
}

fn place(corpus: &Corpus, files: &SourceFiles, hit: &SourceHit) -> String {
    let line = files.line(corpus, hit.doc, hit.range.start);
    let id = &corpus.documents[hit.doc].id;
    match card::Links::link(files, corpus, hit.doc, line) {
        Some(uri) => format!("[{id}:{line}]({uri})"),
        None => format!("{id}:{line}"),
    }
}

fn found_card(corpus: &Corpus, files: &SourceFiles, hits: &[SourceHit]) -> String {
    let mut docs: Vec<usize> = hits.iter().map(|h| h.doc).collect();
    docs.sort_unstable();
    docs.dedup();
    let best = &hits[0];
    // A capped look-up found at least this many.
    let more = if hits.len() >= quote_source::MAX_HITS {
        "+"
    } else {
        ""
    };
    let mut out = format!(
        "✓ **Found in {}{more} source{}**",
        docs.len(),
        if docs.len() == 1 && more.is_empty() {
            ""
        } else {
            "s"
        }
    );
    match attribution(corpus, best) {
        Some(who) => {
            let _ = write!(out, " — {who}");
        }
        None if best.quote.is_none() => {
            out.push_str(" — in the source's own words, not quoted there");
        }
        None => out.push_str(" — not attributed there"),
    }
    let _ = writeln!(out, " ({})", place(corpus, files, best));
    let _ = writeln!(out, "\n> {}", context(corpus, best));
    let others: Vec<String> = hits[1..]
        .iter()
        .filter(|h| h.doc != best.doc)
        .take(4)
        .map(|h| place(corpus, files, h))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "\nAlso in {}", others.join(", "));
    }
    out.trim_end().to_string()
}

fn near_card(corpus: &Corpus, files: &SourceFiles, hit: &SourceHit) -> String {
    let mut out = format!(
        "≠ **Differs from the source** — source reads “{}” ({})",
        escape_markdown(&shorten(hit.source_text(corpus), 200)),
        place(corpus, files, hit)
    );
    if let Some(who) = attribution(corpus, hit) {
        let _ = write!(out, "\n\nSaid by {who}");
    }
    let _ = write!(out, "\n\n> {}", context(corpus, hit));
    out
}

/// Who the source says spoke, as the source puts it: "Anna Kowalczyk, the
/// fisheries director, told reporters". Escaped.
fn attribution(corpus: &Corpus, hit: &SourceHit) -> Option<String> {
    let q = &corpus.quotes[hit.quote?];
    let name = match hit.speaker(corpus) {
        Some(SpeakerRef::Entity(e)) => corpus.entities[*e].name.clone(),
        Some(SpeakerRef::Descriptive(d)) => d.clone(),
        None => hit.speaker_name(corpus)?.to_string(),
    };
    let doc = &corpus.documents[hit.doc];
    let clause = speaker_clause(
        &doc.text,
        &q.sentence,
        &q.span.range,
        q.speaker_name.as_deref().unwrap_or(&name),
    );
    let role = match hit.speaker(corpus) {
        Some(SpeakerRef::Entity(e)) => corpus.entities[*e].roles.first().map(|r| r.text.clone()),
        _ => None,
    };
    Some(match clause {
        Some(clause) if clause.contains(&name) => escape_markdown(&clause),
        Some(clause) => format!("{}, {}", escape_markdown(&name), escape_markdown(&clause)),
        None => match role {
            Some(role) => format!("{}, {}", escape_markdown(&name), escape_markdown(&role)),
            None => escape_markdown(&name),
        },
    })
}

/// The words of the source sentence that introduce the speaker: from their
/// name to the quote (or to "that"), or after the quote to the sentence end.
fn speaker_clause(
    text: &str,
    sentence: &Range<usize>,
    quote: &Range<usize>,
    name: &str,
) -> Option<String> {
    let trim = |s: &str| {
        s.trim_matches(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '“' | '”' | '‘' | '’' | ',' | ':' | ';' | '.')
        })
        .to_string()
    };
    let before = text.get(sentence.start.min(quote.start)..quote.start)?;
    let after = text.get(quote.end..sentence.end.max(quote.end))?;
    let clause = if let Some(at) = before.find(name) {
        let mut clause = &before[at..];
        if let Some(cut) = clause.find(" that ") {
            clause = &clause[..cut];
        }
        trim(clause)
    } else if after.contains(name) {
        let clause = trim(after);
        // Stop at the next quotation.
        match clause.find(['"', '“']) {
            Some(cut) => trim(&clause[..cut]),
            None => clause,
        }
    } else {
        return None;
    };
    (!clause.is_empty() && clause.chars().count() <= 120).then_some(clause)
}

/// The source sentence around a passage, shortened to a window with the
/// passage in the middle. Escaped.
fn context(corpus: &Corpus, hit: &SourceHit) -> String {
    let doc = &corpus.documents[hit.doc];
    let sentence = match hit.quote {
        Some(q) => corpus.quotes[q].sentence.clone(),
        None => doc
            .sentence_at(hit.range.start)
            .map(|s| doc.sentences[s].range())
            .unwrap_or(hit.range.clone()),
    };
    let start = sentence.start.min(hit.range.start);
    let end = sentence.end.max(hit.range.end).min(doc.text.len());
    let window = window_around(&doc.text, start..end, hit.range.clone(), 110);
    escape_markdown(&window)
}

/// `outer` of `text`, cut to at most `reach` characters either side of
/// `inner` on word boundaries, with "…" where it was cut.
pub fn window_around(text: &str, outer: Range<usize>, inner: Range<usize>, reach: usize) -> String {
    let Some(before) = text.get(outer.start..inner.start) else {
        return text.get(outer).unwrap_or("").to_string();
    };
    let (Some(middle), Some(after)) = (text.get(inner.clone()), text.get(inner.end..outer.end))
    else {
        return String::new();
    };
    let mut out = String::new();
    match before.char_indices().rev().nth(reach) {
        Some((cut, _)) => {
            // Start at the next whole word after the cut.
            let tail = &before[cut..];
            let tail = match tail.chars().next() {
                Some(c) if c.is_whitespace() => tail,
                _ => tail.split_once(char::is_whitespace).map_or("", |(_, t)| t),
            };
            out.push_str("… ");
            out.push_str(tail);
        }
        None => out.push_str(before),
    }
    out.push_str(middle);
    match after.char_indices().nth(reach) {
        Some((cut, _)) => {
            let head = &after[..cut];
            let head = match after[cut..].chars().next() {
                Some(c) if c.is_whitespace() => head,
                _ => head.rsplit_once(char::is_whitespace).map_or("", |(h, _)| h),
            };
            out.push_str(head);
            out.push_str(" …");
        }
        None => out.push_str(after),
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::source::{Loaded, SourceFile};
    use crate::corpus::LineMap;

    pub(crate) fn invented_corpus() -> Corpus {
        let a = "Harbour closes after storm\n\nBy Tomasz Brzęczek\n\nThe Ministry of Fisheries closed the harbour on Monday. \
Director Anna Kowalczyk said the closure was “a painful but necessary step for the fleet”. \
The ministry will review the decision next week, Kowalczyk said.\n";
        let b = "Fishermen protest\n\nFishermen gathered outside the Ministry of Fisheries on Tuesday. \
“We cannot feed our families,” said Piotr Zieliński, a trawler captain. \
Anna Kowalczyk told reporters that the harbour would “reopen within a month”.\n";
        let file = |id: &str, text: &str| SourceFile {
            id: id.to_string(),
            path: std::path::PathBuf::from(format!("/nonexistent/{id}.txt")),
            embedded: false,
            text: text.to_string(),
            line_map: LineMap::identity(text),
        };
        Corpus::build(Loaded {
            files: vec![file("01_harbour", a), file("02_protest", b)],
            ..Loaded::default()
        })
    }

    fn hover_at(corpus: &Corpus, text: &str, needle: &str) -> Option<HoverCard> {
        let draft = Draft::read(text, true, corpus);
        let at = text.find(needle).expect("needle") + 1;
        hover(corpus, &SourceFiles::default(), &draft, at)
    }

    #[test]
    fn an_unsourced_claim_shows_the_passage_that_may_back_it() {
        let corpus = invented_corpus();
        let text =
            "# Draft\r\n\r\nFishermen gathered outside the fisheries ministry on Tuesday ⚓.\r\n";
        let card = hover_at(&corpus, text, "outside").expect("card");
        assert_eq!(
            &text[card.range.clone()],
            "Fishermen gathered outside the fisheries ministry on Tuesday ⚓."
        );
        assert_eq!(
            card.markdown,
            "**No attribution** · possibly supported by “Fishermen protest” — 02_protest:3\n\n\
             > Fishermen gathered outside the Ministry of Fisheries on Tuesday."
        );
        // Nothing backs this one: the warning says so, the hover stays quiet.
        let lonely = "Whalers sailed from the northern quay at dawn on Friday.\n";
        assert_eq!(hover_at(&corpus, lonely, "sailed"), None);
    }

    #[test]
    fn known_person_gets_a_card_with_role_and_quote() {
        let corpus = invented_corpus();
        let text = "Anna Kowalczyk defended the closure.";
        let card = hover_at(&corpus, text, "Kowalczyk").expect("card");
        assert_eq!(card.range, 0.."Anna Kowalczyk".len());
        assert!(
            card.markdown.starts_with("**Anna Kowalczyk** · person"),
            "{}",
            card.markdown
        );
        assert!(card.markdown.contains("Director"), "{}", card.markdown);
        assert!(
            card.markdown.contains("a painful but necessary step"),
            "{}",
            card.markdown
        );
    }

    #[test]
    fn unknown_name_is_said_plainly() {
        let corpus = invented_corpus();
        let text = "Officials said Jane Whitfield resigned on Friday.";
        let card = hover_at(&corpus, text, "Whitfield").expect("card");
        assert!(
            card.markdown
                .starts_with("**Jane Whitfield** · not in the sources"),
            "{}",
            card.markdown
        );
        // A near spelling of a known person is offered.
        let text = "Officials said Anna Kowalcyk resigned on Friday.";
        let card = hover_at(&corpus, text, "Kowalcyk").expect("card");
        assert!(
            card.markdown.contains("Did you mean **Anna Kowalczyk**?"),
            "{}",
            card.markdown
        );
    }

    /// `n` clippings sharing a stock phrase.
    fn clippings(n: usize) -> Corpus {
        let file = |i: usize| {
            let text = format!(
                "Clipping {i}\n\nThe council called the plan “a step in the right direction” on day {i}.\n"
            );
            SourceFile {
                id: format!("{i:03}_clip"),
                path: std::path::PathBuf::from(format!("/nonexistent/{i:03}_clip.txt")),
                embedded: false,
                line_map: LineMap::identity(&text),
                text,
            }
        };
        Corpus::build(Loaded {
            files: (0..n).map(file).collect(),
            ..Loaded::default()
        })
    }

    #[test]
    fn a_phrase_found_in_more_places_than_a_look_up_keeps_says_so() {
        // 120 clippings share a stock phrase; the look-up stops at
        // MAX_HITS and the card must not pretend that is all of them.
        let corpus = clippings(120);
        let text = "Residents called it “a step in the right direction” on Friday.";
        let card = hover_at(&corpus, text, "step").expect("card");
        assert!(
            card.markdown.starts_with(&format!(
                "✓ **Found in {}+ sources**",
                quote_source::MAX_HITS
            )),
            "{}",
            card.markdown
        );
    }

    #[test]
    fn a_hover_after_a_check_counts_every_place_not_the_check_s_first_few() {
        // A check looks at the first few places of a phrase found in many;
        // the card the writer then opens still counts them all.
        let corpus = clippings(9);
        let text = "Residents called it “a step in the right direction” on Friday.";
        let memo = Arc::new(Lookups::default());
        let options = crate::analysis::checks::CheckOptions {
            lookups: Some(Arc::clone(&memo)),
            ..Default::default()
        };
        let draft = Draft::read(text, true, &corpus);
        crate::analysis::checks::run(&corpus, &draft, &options);
        let at = text.find("step").expect("needle");
        let card =
            hover_with(&corpus, &SourceFiles::default(), Some(&memo), &draft, at).expect("card");
        assert!(
            card.markdown.starts_with("✓ **Found in 9 sources**"),
            "{}",
            card.markdown
        );
    }

    #[test]
    fn quote_found_names_speaker_and_source_sentence() {
        let corpus = invented_corpus();
        let text = "The minister called it “a painful but necessary step for the fleet” on Monday.";
        let card = hover_at(&corpus, text, "painful").expect("card");
        let start = text.find('“').expect("mark");
        let end = text.find('”').expect("mark") + '”'.len_utf8();
        assert_eq!(card.range, start..end);
        assert!(
            card.markdown.starts_with("✓ **Found in 1 source** — "),
            "{}",
            card.markdown
        );
        assert!(
            card.markdown.contains("Anna Kowalczyk"),
            "{}",
            card.markdown
        );
        assert!(
            card.markdown.contains("(01\\_harbour:5)") || card.markdown.contains("01_harbour:5"),
            "{}",
            card.markdown
        );
        assert!(card.markdown.contains("\n> "), "{}", card.markdown);
    }

    #[test]
    fn misquote_and_missing_quote() {
        let corpus = invented_corpus();
        let text = "She said it was “a painful but needed step for the fleet” then left.";
        let card = hover_at(&corpus, text, "painful").expect("card");
        assert!(card.markdown.starts_with("≠ **Differs from the source** — source reads “a painful but necessary step for the fleet”"), "{}", card.markdown);
        let text = "She said “the moon is made of green cheese today” then left.";
        let card = hover_at(&corpus, text, "moon").expect("card");
        assert!(
            card.markdown.starts_with("✗ **Not found in the sources**"),
            "{}",
            card.markdown
        );
    }

    #[test]
    fn nothing_between_things() {
        let corpus = invented_corpus();
        let text = "Anna Kowalczyk defended the closure on Monday.";
        assert_eq!(hover_at(&corpus, text, "defended"), None);
    }

    #[test]
    fn window_cuts_on_words_and_keeps_the_middle() {
        let text = "one two three four five MIDDLE six seven eight nine ten";
        let m = text.find("MIDDLE").expect("m");
        let w = window_around(text, 0..text.len(), m..m + 6, 10);
        assert_eq!(w, "… four five MIDDLE six seven …");
        let text = "Zoë 👩‍💻 said “ok”";
        let w = window_around(text, 0..text.len(), 0.."Zoë".len(), 100);
        assert_eq!(w, text);
    }
}
