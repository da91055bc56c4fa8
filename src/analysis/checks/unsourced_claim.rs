//! `unsourced-claim`: a sentence stating a checkable fact with nothing
//! saying where the fact comes from — and, when the sources back it, which
//! passage does.
//!
//! Every fact needs a source a reader can weigh, but a checker that nags
//! about fine sentences gets switched off, so this rule is measured against
//! a labelled set of news sentences (`tests/claims/`). A sentence is a
//! claim when it is declarative running prose (not a heading, question,
//! caption or quotation) that reports something: a past or perfect verb,
//! a future, a date, a number outside a general "can/must" statement. It
//! is attributed when the writer's own words tie it to a source: a
//! reporting verb or word in the active ("said", "according to", "in a
//! statement", "citing"; "was told" names nobody), a link or footnote, a
//! parenthetical source, a quotation with its speaker, or a short sentence
//! right after it crediting "this" to someone. Attribution carries to the
//! next sentence of the paragraph when that one opens with a pronoun or
//! "also" ("He added…", "They then…").
//!
//! For a flagged claim the corpus's passage index ([`PassageIndex`]) is
//! searched; a passage sharing enough of the claim's rare words, names and
//! numbers is named in the message, linked as related information, shown
//! on hover and offered as a fix ("according to <outlet>" or a link). A
//! source that is the draft itself never counts as its support. The words
//! the rule reads live in `claim_words.txt`.
//!
//! [`PassageIndex`]: crate::corpus::passages::PassageIndex

use std::collections::HashSet;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use rayon::prelude::*;

use super::{finding, fix, one_line, overlaps, sections, CheckOptions, Checked, Context, Word};
use crate::analysis::card::shorten;
use crate::analysis::draft::Draft;
use crate::analysis::lookups::Lookups;
use crate::config::ClaimAttribution;
use crate::corpus::{passages, Corpus, DocId, Document, EntityKind};
use crate::server::{QuickFix, Related, Severity, Target};

pub const CODE: &str = "unsourced-claim";

static WORDS: LazyLock<super::Sections> =
    LazyLock::new(|| sections(include_str!("claim_words.txt")));

fn in_section(section: &str, word: &str) -> bool {
    WORDS.contains(section, word)
}

/// The sections of `claim_words.txt` as bits of [`super::Sections::bits`]:
/// a sentence's words are looked up once, then asked about any section.
struct Masks {
    reporting_nouns: u64,
    reporting_noun_cues: u64,
    reporting: u64,
    passive: u64,
    carry: u64,
    elsewhen: u64,
    eyewitness: u64,
    modal: u64,
    event: u64,
    numbers: u64,
    perfect: u64,
    past: u64,
    not_actions: u64,
}

static M: LazyLock<Masks> = LazyLock::new(|| Masks {
    reporting_nouns: WORDS.mask("reporting-nouns"),
    reporting_noun_cues: WORDS.mask("reporting-noun-cues"),
    reporting: WORDS.mask("reporting"),
    passive: WORDS.mask("passive"),
    carry: WORDS.mask("carry"),
    elsewhen: WORDS.mask("elsewhen"),
    eyewitness: WORDS.mask("eyewitness"),
    modal: WORDS.mask("modal"),
    event: WORDS.mask("event"),
    numbers: WORDS.mask("numbers"),
    perfect: WORDS.mask("perfect"),
    past: WORDS.mask("past"),
    not_actions: WORDS.mask("not-actions"),
});

/// Sentences with fewer words are fragments, captions or kickers.
const MIN_WORDS: usize = 4;

/// A passage backs a claim when it holds at least this share of the
/// claim's weighted rarity (BM25 idf) and this many of its terms.
const MIN_COVERAGE: f32 = 0.3;
const MIN_SHARED: usize = 3;

/// An unsourced claim of the draft, with the passage that may back it.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// The sentence, without surrounding white space.
    pub range: Range<usize>,
    /// The first person or agency it names, as the sources name them.
    pub actor: Option<String>,
    pub support: Option<Support>,
}

/// A source passage that may back a claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Support {
    pub doc: DocId,
    /// The passage in the document's readable text.
    pub range: Range<usize>,
    pub score: f32,
}

/// The unsourced claim under `offset` in a draft, with its support (for
/// hover: the sentence the warning stands on).
/// Only that claim's support is searched, and what earlier checks looked
/// up (`lookups`) is reused: a hover between names must not cost a check.
pub fn claim_at(
    corpus: &Corpus,
    draft: &Draft<'_>,
    lookups: Option<&Arc<Lookups>>,
    offset: usize,
) -> Option<Claim> {
    let covers = |r: &Range<usize>| r.start <= offset && offset <= r.end;
    // Between keystrokes the last check has read this very text.
    if let Some(claims) = lookups.and_then(|memo| memo.claims_of(draft.text)) {
        return claims.iter().find(|c| covers(&c.range)).cloned();
    }
    let options = CheckOptions {
        lookups: lookups.cloned(),
        ..CheckOptions::default()
    };
    let cx = Context::new(corpus, draft, &options);
    claims_where(&cx, covers).into_iter().next()
}

/// The findings for claims already found.
pub(crate) fn report(cx: &Context, claims: &[Claim]) -> Vec<Checked> {
    claims
        .iter()
        .map(|claim| {
            let doc = claim
                .support
                .as_ref()
                .and_then(|s| cx.corpus.documents.get(s.doc).map(|d| (s, d)));
            let about = claim
                .actor
                .as_ref()
                .map(|a| format!(" about {a}"))
                .unwrap_or_default();
            let who = doc.map(|(_, d)| credit(d)).unwrap_or_default();
            let message = match doc {
                Some((s, d)) => format!(
                    "No attribution for this claim{about}. Possibly supported by {who} ({}:{})",
                    d.id,
                    d.line_of(s.range.start)
                ),
                None => format!(
                    "No attribution for this claim{about}, and nothing in the sources supports it"
                ),
            };
            let mut f = finding(CODE, Severity::Warning, claim.range.clone(), message);
            let mut fixes = Vec::new();
            if let Some((s, d)) = doc {
                f.related = vec![Related {
                    target: Target::in_file(
                        d.path.clone(),
                        d.line_map.file_offset(s.range.start)..d.line_map.file_offset(s.range.end),
                    ),
                    message: format!("Possibly supported by {who}"),
                }];
                fixes = attribution_fixes(cx, &claim.range, d, &who);
            }
            Checked { finding: f, fixes }
        })
        .collect()
}

/// How a source is credited: its outlet, else its title, else its file.
pub fn credit(doc: &Document) -> String {
    if let Some(outlet) = doc.outlet.as_deref().filter(|o| !o.trim().is_empty()) {
        return one_line(outlet);
    }
    match doc.title.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(title) => format!("“{}”", shorten(title, 60)),
        None => doc.id.clone(),
    }
}

/// "…, according to <outlet>." and "… ([title](path))." before the
/// sentence's closing stop; the first is preferred until the writer's
/// setting says otherwise ([`prefer`]).
/// `who` is [`credit`] of `doc`.
fn attribution_fixes(
    cx: &Context,
    sentence: &Range<usize>,
    doc: &Document,
    who: &str,
) -> Vec<QuickFix> {
    let text = cx.text(sentence);
    let body = text.trim_end_matches(['.', '!', '"', '”', '’', '\'', ')', '*', '_']);
    // Closing quotes and brackets stay after the inserted credit only when
    // the sentence ends in a stop; "…" inside a quote keeps its mark.
    let at = sentence.start + body.len();
    let label = doc
        .title
        .as_deref()
        .map(|t| shorten(t, 60))
        .unwrap_or_else(|| doc.id.clone());
    let path = doc.path.to_string_lossy().replace(' ', "%20");
    let mut according = fix(
        CODE,
        format!("Attribute to {who}"),
        vec![(at..at, format!(", according to {who}"))],
    );
    according.preferred = true;
    let mut link = fix(
        CODE,
        "Link the source".to_string(),
        vec![(
            at..at,
            format!(" ([{}]({path}))", label.replace(['[', ']'], "")),
        )],
    );
    link.preferred = false;
    vec![according, link]
}

/// Put the house style's attribution fix first and make it the preferred
/// one; other fixes keep their order.
pub fn prefer(fixes: &mut [QuickFix], style: ClaimAttribution) {
    let wanted = |f: &QuickFix| {
        f.fixes.as_deref() == Some(CODE)
            && match style {
                ClaimAttribution::AccordingTo => f.title.starts_with("Attribute to"),
                ClaimAttribution::Link => f.title == "Link the source",
            }
    };
    let is_claim_fix = |f: &QuickFix| {
        f.fixes.as_deref() == Some(CODE)
            && (f.title.starts_with("Attribute to") || f.title == "Link the source")
    };
    for f in fixes.iter_mut().filter(|f| is_claim_fix(f)) {
        f.preferred = wanted(f);
    }
    // The wanted fix takes its sibling's place ahead of it.
    if let (Some(first), Some(w)) = (
        fixes.iter().position(is_claim_fix),
        fixes.iter().position(wanted),
    ) {
        if w > first {
            fixes.swap(first, w);
        }
    }
}

/// The draft's unsourced claims, in order, each with its best support.
pub(crate) fn claims(cx: &Context) -> Vec<Claim> {
    claims_where(cx, |_| true)
}

/// The claims whose range `keep` accepts (every sentence is still read, as
/// whether one is attributed depends on those before it).
fn claims_where(cx: &Context, keep: impl Fn(&Range<usize>) -> bool) -> Vec<Claim> {
    let sentences = &cx.draft.sentences;
    // The claims' sentences first (each depends on those before it), then
    // their support looked up side by side: a long draft's first check is
    // mostly these look-ups.
    let mut found: Vec<(usize, Range<usize>)> = Vec::new();
    // The sentence before: its paragraph, whether it was attributed at
    // all, and whether by its own words.
    let mut previous: Option<(usize, bool, bool)> = None;
    // The writer has said they were there: what follows is first-hand.
    let mut eyewitness = false;
    for (i, s) in sentences.iter().enumerate() {
        let paragraph = cx.paragraph_of(s.start);
        let words = cx.words_in(s);
        let lower: Vec<&str> = words.iter().map(|w| w.lower.as_ref()).collect();
        let bits: Vec<u64> = lower.iter().map(|l| WORDS.bits(l)).collect();
        let witnessed = is_eyewitness(cx, s, &lower, &bits);
        let attributed = witnessed
            || is_attributed(cx, s, words, &lower, &bits)
            || credited_by_next(cx, i, paragraph);
        let follows = previous.as_ref().is_some_and(|p| p.0 == paragraph && p.1);
        let carried = !attributed
            && (eyewitness
                || (follows && carries(&bits))
                || previous.as_ref().is_some_and(|p| {
                    p.0 == paragraph
                        && p.2
                        && !shifts_time(words, &bits)
                        && shares_subject(cx, &sentences[i - 1], s)
                }));
        eyewitness |= witnessed;
        previous = Some((paragraph, attributed || carried, attributed));
        if attributed
            || carried
            || !is_statement(cx, s, words)
            || !is_claim(cx, words, &lower, &bits)
        {
            continue;
        }
        let range = trimmed(cx, s);
        if !keep(&range) {
            continue;
        }
        found.push((i, range));
    }
    found
        .into_par_iter()
        .map(|(i, range)| Claim {
            actor: actor(cx, &sentences[i]),
            support: support(cx, &range),
            range,
        })
        .collect()
}

/// The best passage backing the claim, if one shares enough of it.
fn support(cx: &Context, claim: &Range<usize>) -> Option<Support> {
    let text = cx.draft.prose.get(claim.clone())?;
    let own = |d: DocId| {
        cx.corpus.documents.get(d).is_some_and(|doc| {
            doc.text == cx.draft.text || cx.options.file.as_deref() == Some(doc.path.as_path())
        })
    };
    let search = || {
        cx.corpus
            .passages
            .best_support(&cx.corpus.documents, text, MIN_COVERAGE, MIN_SHARED, &own)
            .map(|h| Support {
                doc: h.doc,
                range: h.range,
                score: h.score,
            })
    };
    // A draft that is itself one of the sources (whole) is left out of its
    // own search by its text, which a remembered answer cannot know.
    match &cx.options.lookups {
        Some(memo) if !cx.draft_is_a_source() => {
            memo.support(text, cx.options.file.as_ref(), search)
        }
        _ => search(),
    }
}

/// A declarative sentence of running prose: ends with a full stop or an
/// exclamation, is long enough, is not a heading, block quote or caption,
/// and is not mostly quotation (the quote rules judge those).
fn is_statement(cx: &Context, s: &Range<usize>, words: &[Word]) -> bool {
    if words.len() < MIN_WORDS {
        return false;
    }
    let text = cx.draft.prose.get(s.clone()).unwrap_or("").trim_end();
    let end = text.trim_end_matches(['"', '”', '’', '\'', ')', '*', '_', ']']);
    if !end.ends_with(['.', '!']) || text.contains("Image:") {
        return false;
    }
    let quoted = words.iter().filter(|w| cx.is_quoted(&w.range)).count();
    if quoted * 2 >= words.len() {
        return false;
    }
    // The line the sentence starts on, as written: "# …" and "> …".
    let line_start = cx.line_start(s.start);
    let line = cx.draft.text.get(line_start..).unwrap_or("").trim_start();
    !(line.starts_with('#') || line.starts_with('>'))
}

/// Something in or on the sentence says where it comes from.
fn is_attributed(
    cx: &Context,
    s: &Range<usize>,
    words: &[Word],
    lower: &[&str],
    bits: &[u64],
) -> bool {
    if cx.is_cited(s)
        || cx
            .quotes_overlapping(s)
            .any(|q| overlaps(&q.sentence, s) && q.speaker.is_some())
    {
        return true;
    }
    let reporting = (0..words.len()).any(|i| {
        let w = &words[i];
        // "United States", "The Times": a capitalised word inside the
        // sentence is part of a name, not the writer's verb.
        let capitalised = i > 0 && w.text.chars().next().is_some_and(char::is_uppercase);
        if capitalised || cx.is_quoted(&w.range) {
            return false;
        }
        if bits[i] & M.reporting_nouns != 0 {
            // "The statement ascribed…": the document is the subject.
            return (i == 1 && matches!(lower[0], "the" | "this" | "that" | "its"))
                || bits[i.saturating_sub(4)..i]
                    .iter()
                    .any(|b| b & M.reporting_noun_cues != 0);
        }
        if bits[i] & M.reporting == 0 {
            return false;
        }
        let next = lower.get(i + 1).copied();
        // "showed up" is turning up, not showing.
        if next == Some("up") {
            return false;
        }
        // "was told", "were reported missing": passive, naming nobody —
        // unless "by" names who did, or "to" makes it a report ("were
        // reported to have…").
        let participle = lower[i].ends_with("ed") || matches!(lower[i], "told" | "found");
        // "was quickly reported": one adverb may stand between.
        let helper = match i {
            0 => None,
            1 => Some(0),
            _ if lower[i - 1].ends_with("ly") => Some(i - 2),
            _ => Some(i - 1),
        };
        let passive = participle && helper.is_some_and(|h| bits[h] & M.passive != 0);
        // "the accused", "an alleged": a noun or adjective, not a verb.
        let noun = i > 0 && matches!(lower[i - 1], "the" | "a" | "an");
        !noun && (!passive || matches!(next, Some("by" | "to")))
    });
    reporting || has_parenthetical_source(cx, s)
}

/// "Politico writes about this." — a short sentence crediting the one
/// before it.
fn credited_by_next(cx: &Context, i: usize, paragraph: usize) -> bool {
    let Some(next) = cx.draft.sentences.get(i + 1) else {
        return false;
    };
    if cx.paragraph_of(next.start) > paragraph + 1 {
        return false;
    }
    let words = cx.words_in(next);
    let lower: Vec<&str> = words.iter().map(|w| w.lower.as_ref()).collect();
    words.len() <= 10 && lower.contains(&"this") && lower.iter().any(|w| in_section("reporting", w))
}

/// The sentence opens by pointing back: "He added…", "They then…",
/// "Its…", "Also…".
fn carries(bits: &[u64]) -> bool {
    bits.iter().take(3).any(|b| b & M.carry != 0)
}

/// A sentence right after one attributed by its own words, about the same
/// thing: it shares a name or rare word with it ("…, the service said. The
/// service also…"), so a careful reader takes it as the same account.
fn shares_subject(cx: &Context, before: &Range<usize>, s: &Range<usize>) -> bool {
    let terms = |r: &Range<usize>| -> HashSet<String> {
        passages::terms(cx.draft.prose.get(r.clone()).unwrap_or(""))
            .into_iter()
            .filter(|t| {
                t.text.chars().count() >= 4 && !t.text.starts_with(|c: char| c.is_ascii_digit())
            })
            .map(|t| t.text)
            .collect()
    };
    let a = terms(before);
    // The shared word must be what the sentence is about: among its
    // first words, where an English subject stands.
    let words = cx.words_in(s);
    let head = words.get(..4.min(words.len())).unwrap_or(&[]);
    let head = match (head.first(), head.last()) {
        (Some(f), Some(l)) => f.range.start..l.range.end,
        _ => return false,
    };
    terms(&head).iter().any(|t| a.contains(t))
}

/// "Previously", "in 2015", "last October": the sentence steps away from
/// the moment the attributed sentence before it reports.
fn shifts_time(words: &[Word], bits: &[u64]) -> bool {
    words
        .iter()
        .zip(bits)
        .any(|(w, b)| b & M.elsewhen != 0 || is_year(w.text))
}

/// "Our reporter attended the fair", "The Gazette visited the site": the
/// account that follows is the writer's own observation.
fn is_eyewitness(cx: &Context, s: &Range<usize>, lower: &[&str], bits: &[u64]) -> bool {
    let verb_at = bits.iter().take(4).position(|b| b & M.eyewitness != 0);
    let Some(v) = verb_at else {
        return false;
    };
    let first_person = lower[..v]
        .iter()
        .any(|w| matches!(*w, "i" | "we" | "reporter"));
    let verb = cx.words_in(s).get(v).map_or(s.start, |w| w.range.start);
    let outlet = cx
        .draft
        .mentions_in(&(s.start..verb.max(s.start)))
        .any(|m| m.kind == EntityKind::Outlet);
    first_person || outlet
}

/// The sentence reports something rather than saying how things generally
/// are: a past or perfect verb, a future, a date or time, or a number in a
/// statement that is not a general "can/must" rule.
fn is_claim(cx: &Context, words: &[Word], lower: &[&str], bits: &[u64]) -> bool {
    let in_name = |w: &Word| {
        let m = &cx.draft.mentions;
        let i = m.partition_point(|m| m.range.end <= w.range.start);
        m.get(i).is_some_and(|m| m.range.start <= w.range.start)
    };
    let first = lower.first().copied().unwrap_or("");
    // "If passed, the bill would…": a hypothetical. "Get the best in your
    // inbox": addressed to the reader, a prompt and not a report.
    let to_reader = words
        .iter()
        .zip(lower)
        .any(|(w, l)| matches!(*l, "you" | "your") && !cx.is_quoted(&w.range));
    if first == "if" || to_reader {
        return false;
    }
    let mut modal = false;
    let mut copula = false;
    let mut number = false;
    for (i, (w, l)) in words.iter().zip(lower).enumerate() {
        if cx.is_quoted(&w.range) {
            continue;
        }
        let b = bits[i];
        modal |= b & M.modal != 0;
        copula |= matches!(*l, "is" | "are");
        let digits = w.text.chars().any(|c| c.is_ascii_digit());
        // A year or a date word places the sentence in time.
        if (digits && is_year(w.text)) || b & M.event != 0 {
            return true;
        }
        if in_name(w) {
            continue;
        }
        number |= digits || b & M.numbers != 0;
        // "has spent", "have been", "has repeatedly voted".
        let perfect = (i + 1..lower.len().min(i + 3))
            .any(|n| lower[n] == "been" || is_participle(lower[n], bits[n]));
        // "was furious", "were cautious": a past state is a report too.
        if matches!(*l, "was" | "were") && i > 0 {
            return true;
        }
        if b & M.perfect != 0 && perfect {
            return true;
        }
        // "members are elected", "can be removed": a present passive states
        // how things generally work.
        let after_present =
            (1..=2).any(|k| i >= k && matches!(lower[i - k], "is" | "are" | "be" | "being"));
        // A capitalised "-ed" word opening a sentence is still a verb only
        // after a subject, so only lower-case words count.
        let lower_case = w.text.chars().next().is_some_and(char::is_lowercase);
        if lower_case && i > 0 && !after_present && is_participle(l, b) {
            return true;
        }
    }
    // "The cut-off is 119 mph": a number in a present-tense definition.
    number && !modal && !copula
}

/// A past tense or participle of an action: "met", "closed" (`bits`: the
/// word's sections).
fn is_participle(word: &str, bits: u64) -> bool {
    bits & M.past != 0
        || (word.ends_with("ed") && word.chars().count() >= 5 && bits & M.not_actions == 0)
}

fn is_year(word: &str) -> bool {
    word.len() == 4
        && word
            .parse::<u32>()
            .is_ok_and(|y| (1800..=2100).contains(&y))
}

/// "(Reuters)", "(source: port authority)", "(via the ministry's site)".
fn has_parenthetical_source(cx: &Context, s: &Range<usize>) -> bool {
    let text = cx.draft.prose.get(s.clone()).unwrap_or("");
    let mut rest = text;
    let mut base = s.start;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else {
            break;
        };
        let inner = base + open + 1..base + open + close;
        let inner_text = cx
            .draft
            .prose
            .get(inner.clone())
            .unwrap_or("")
            .to_lowercase();
        let names_a_source = cx
            .draft
            .mentions_in(&inner)
            .any(|m| matches!(m.kind, EntityKind::Outlet | EntityKind::Agency));
        // "(USCG)" right after a name spells the name out; it cites nothing.
        let gloss = !inner_text.trim().contains(' ')
            && cx.draft.prose.get(inner.clone()).is_some_and(|t| {
                t.trim()
                    .chars()
                    .all(|c| c.is_uppercase() || c == '.' || c == '&')
            });
        if (names_a_source && !gloss)
            || inner_text.contains("source")
            || inner_text.contains("via ")
        {
            return true;
        }
        base += open + close + 1;
        rest = &rest[open + close + 1..];
    }
    false
}

/// The first person or agency the sentence names outside quotation marks.
fn actor(cx: &Context, s: &Range<usize>) -> Option<String> {
    let mentions = &cx.draft.mentions;
    let from = mentions.partition_point(|m| m.range.start < s.start);
    mentions[from..]
        .iter()
        .take_while(|m| m.range.end <= s.end)
        .find(|m| !m.quoted && matches!(m.kind, EntityKind::Person | EntityKind::Agency))
        .map(|m| match m.entity.and_then(|e| cx.corpus.entities.get(e)) {
            Some(e) => e.name.clone(),
            None => one_line(cx.text(&m.range)),
        })
}

/// The sentence without surrounding white space.
fn trimmed(cx: &Context, s: &Range<usize>) -> Range<usize> {
    let text = cx.text(s);
    let start = s.start + (text.len() - text.trim_start().len());
    let end = s.start + text.trim_end().len();
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::CheckOptions;
    use crate::analysis::fixture::{self, apply, assert_rule};
    use crate::corpus::Corpus;

    const HARBOUR: &str = "Harbour closed to trawlers\n\n\
        The Ministry of Fisheries closed the harbour in Gdańsk to 40 trawlers on Monday.\n\n\
        Director Anna Kowalczyk of the ministry said the breakwater had cracked in two places.\n\n\
        Mayor Piotr Nowak of Gdańsk disagreed with the ministry.\n";

    fn harbour() -> Corpus {
        fixture::corpus(&[("harbour-01", HARBOUR)])
    }

    fn claim(corpus: &Corpus, text: &str) -> Checked {
        fixture::run(corpus, text, &CheckOptions::default())
            .into_iter()
            .find(|c| c.finding.code == CODE)
            .expect("flagged")
    }

    #[test]
    fn facts_without_a_source_are_flagged_and_the_rest_left_alone() {
        assert_rule(
            &harbour(),
            CODE,
            r#"
# Anna Kowalczyk closed the harbour

Anna Kowalczyk closed the harbour to 40 trawlers on 3 May.
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
Piotr Nowak said the ministry had acted without warning.
Harbours are noisy places in the summer.
Did Piotr Nowak sign the order in March?
According to the port log, the Ministry of Fisheries approved the plan in April.
The Ministry of Fisheries approved the plan in April (source: port log).
The Ministry of Fisheries approved the plan in [April](https://example.org/log).
The port authority (PAG) fined three trawlers on Friday.
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
Get the harbour news in your inbox every Monday.
Officials were told of the closure on Sunday.
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"#,
        );
    }

    #[test]
    fn a_hover_after_a_check_tells_what_the_check_told() {
        // The draft was saved among the sources before the writer went on:
        // its own earlier version backs no claim of it.
        let saved = "Crews in Gdańsk had stacked 300 nets on the quayside by Friday.\n";
        let corpus = fixture::corpus(&[("harbour-01", HARBOUR), ("draft", saved)]);
        let text = format!("{saved}\nThe quay reopened on Saturday 🙂.\n");
        let memo = Arc::new(crate::analysis::lookups::Lookups::default());
        let options = CheckOptions {
            file: Some(std::path::PathBuf::from("sources/draft.txt")),
            lookups: Some(Arc::clone(&memo)),
            ..CheckOptions::default()
        };
        let found = fixture::run(&corpus, &text, &options);
        let flagged = found
            .iter()
            .find(|c| c.finding.code == CODE && c.finding.range.start == 0)
            .expect("flagged");
        assert!(
            flagged
                .finding
                .message
                .contains("nothing in the sources supports it"),
            "{}",
            flagged.finding.message
        );
        let draft = Draft::read(&text, true, &corpus);
        let hovered = claim_at(&corpus, &draft, Some(&memo), "Crews in Gd".len()).expect("a claim");
        assert_eq!(hovered.range, flagged.finding.range);
        assert_eq!(
            hovered.support, None,
            "the hover cites the draft's own file"
        );
    }

    #[test]
    fn a_pronoun_carries_the_attribution_of_the_sentence_before() {
        assert_rule(
            &harbour(),
            CODE,
            "Piotr Nowak told reporters the ministry had misled him. He then met Anna Kowalczyk on Tuesday.\r\n\r\n\
             Anna Kowalczyk resigned from the ministry on Friday 🙃. She signed nothing.\r\n\
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\r\n",
        );
    }

    #[test]
    fn a_reporter_who_was_there_is_the_source() {
        assert_rule(
            &harbour(),
            CODE,
            "We visited the quay on Monday. Forty trawlers were tied up three deep.\n\n\
             Crews had stacked their nets on the quayside.\n",
        );
    }

    #[test]
    fn nothing_in_the_sources_is_said_plainly() {
        let text = "Inspector Zoë Ferrant fined the captain 300 złoty last week.\n";
        let c = claim(&harbour(), text);
        assert_eq!(
            c.finding.message,
            "No attribution for this claim about Zoë Ferrant, and nothing in the sources supports it"
        );
        assert_eq!(&text[c.finding.range.clone()], text.trim_end());
        assert!(c.fixes.is_empty() && c.finding.related.is_empty());
    }

    #[test]
    fn a_backing_passage_is_named_linked_and_offered_as_attribution() {
        let text =
            "# Draft\r\n\r\nThe ministry shut the Gdańsk harbour to 40 trawlers on Monday.\r\n";
        let c = claim(&harbour(), text);
        assert_eq!(
            c.finding.message,
            "No attribution for this claim. Possibly supported by “Harbour closed to trawlers” (harbour-01:3)"
        );
        let related = &c.finding.related[0];
        assert_eq!(
            related.target.file.as_deref(),
            Some(std::path::Path::new("sources/harbour-01.txt"))
        );
        assert_eq!(
            &HARBOUR[related.target.range.clone()],
            "The Ministry of Fisheries closed the harbour in Gdańsk to 40 trawlers on Monday."
        );
        let titles: Vec<&str> = c.fixes.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Attribute to “Harbour closed to trawlers”",
                "Link the source"
            ]
        );
        assert!(c.fixes[0].preferred && !c.fixes[1].preferred);
        assert_eq!(
            apply(text, &c.fixes[0].edits),
            "# Draft\r\n\r\nThe ministry shut the Gdańsk harbour to 40 trawlers on Monday, \
             according to “Harbour closed to trawlers”.\r\n"
        );
        assert_eq!(
            apply(text, &c.fixes[1].edits),
            "# Draft\r\n\r\nThe ministry shut the Gdańsk harbour to 40 trawlers on Monday \
             ([Harbour closed to trawlers](sources/harbour-01.txt)).\r\n"
        );
        let mut fixes = c.fixes.clone();
        prefer(&mut fixes, ClaimAttribution::Link);
        assert_eq!(fixes[0].title, "Link the source");
        assert!(fixes[0].preferred && !fixes[1].preferred);
    }

    #[test]
    fn a_source_is_never_its_own_support() {
        // The source article opened as a draft: every sentence would match
        // itself word for word.
        let corpus = harbour();
        let text = "Ministry news\n\nThe Ministry of Fisheries closed the harbour in Gdańsk to 40 trawlers on Monday.\n";
        let other = fixture::corpus(&[("harbour-01", HARBOUR), ("same-02", text)]);
        let c = claim(&other, text);
        assert!(
            c.finding.message.contains("(harbour-01:3)"),
            "{}",
            c.finding.message
        );
        assert!(claim(&corpus, text).finding.message.contains("harbour-01"));
    }
}
