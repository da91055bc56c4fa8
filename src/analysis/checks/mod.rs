//! The checks a writer sees while typing, one rule per file.
//!
//! [`run`] reads what every rule shares once — the draft's words, where each
//! quotation stands in the sources — into a [`Context`], runs the rules in
//! turn, drops what the project ignores, and returns findings in draft
//! order. Rules only consult the corpus's look-up structures (the name
//! automaton, the quote index, per-run name buckets), never scan its
//! documents, so a check stays fast on every keystroke.

mod misattributed_quote;
mod misquote;
pub(crate) mod name_variant;
mod quote_not_found;
mod single_source;
mod unattributed_quote;
mod unknown_actor;
pub mod unsourced_claim;
mod vague_attribution;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::analysis::draft::{Draft, DraftQuote, Speaker};
use crate::analysis::ignore::Ignores;
use crate::analysis::lookups::Lookups;
use crate::analysis::quote_source::{self, Located, QuoteSource, SourceHit};
use crate::config::AttributionStyle;
use crate::corpus::{fold, Corpus, Entity, SpeakerRef};
use crate::lexicon::{self, FastMap};
use crate::server::{Finding, QuickFix, Related, Severity, Target};

/// Every rule's code, in the order rules run.
pub const CODES: [&str; 9] = [
    unattributed_quote::CODE,
    quote_not_found::CODE,
    misquote::CODE,
    misattributed_quote::CODE,
    name_variant::CODE,
    unsourced_claim::CODE,
    single_source::CODE,
    vague_attribution::CODE,
    unknown_actor::CODE,
];

/// What a check run needs besides the draft and the corpus.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// How a quick fix attributes a quote or claim.
    pub attribution_style: AttributionStyle,
    /// The draft's path, when it has one (for per-file ignores).
    pub file: Option<PathBuf>,
    /// What the project's `dossier.toml` says to leave alone; its names
    /// also count as known to `unknown-actor` and `name-variant`.
    pub ignores: Ignores,
    /// Answers of earlier checks against the same corpus, when the caller
    /// keeps them (the server does: a keystroke re-checks the whole draft).
    pub lookups: Option<Arc<Lookups>>,
}

/// A finding with the fixes offered for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub finding: Finding,
    pub fixes: Vec<QuickFix>,
}

/// Run every rule over a draft.
pub fn run(corpus: &Corpus, draft: &Draft<'_>, options: &CheckOptions) -> Vec<Checked> {
    let mut clock = crate::corpus::StageClock::new();
    let cx = Context::new(corpus, draft, options);
    clock.stage("check: quotes");
    let mut out = Vec::new();
    out.extend(unattributed_quote::check(&cx));
    out.extend(quote_not_found::check(&cx));
    out.extend(misquote::check(&cx));
    out.extend(misattributed_quote::check(&cx));
    clock.stage("check: quote rules");
    let variants = name_variant::check(&cx);
    clock.stage("check: variants");
    // A misspelt known name is not also an unknown actor.
    let variant_ranges: Vec<Range<usize>> =
        variants.iter().map(|c| c.finding.range.clone()).collect();
    out.extend(variants);
    // Claims are found once: their support also tells whether the draft
    // rests on a single source.
    let claims: Arc<[unsourced_claim::Claim]> = unsourced_claim::claims(&cx).into();
    if let Some(memo) = &options.lookups {
        memo.keep_claims(draft.text, Arc::clone(&claims));
    }
    clock.stage("check: claims");
    out.extend(unsourced_claim::report(&cx, &claims));
    out.extend(single_source::check(&cx, &claims));
    out.extend(vague_attribution::check(&cx));
    clock.stage("check: report");
    out.extend(
        unknown_actor::check(&cx)
            .into_iter()
            .filter(|c| !variant_ranges.iter().any(|r| overlaps(r, &c.finding.range))),
    );
    clock.stage("check: unknown");
    options
        .ignores
        .apply(options.file.as_deref(), draft.text, &mut out);
    out.sort_by(|a, b| {
        (a.finding.range.start, a.finding.range.end)
            .cmp(&(b.finding.range.start, b.finding.range.end))
    });
    out
}

/// Make what checks keep per corpus (the near-name buckets) now, so the
/// first check after a build does not wait for it.
pub(crate) fn prepare(corpus: &Corpus, clock: &mut crate::corpus::StageClock) {
    // And what hover cards look up, side by side (the ties are serial).
    rayon::join(
        || name_variant::KnownNames::for_corpus(corpus),
        || corpus.ties(),
    );
    clock.stage("known names, ties");
}

/// A word of the draft's prose.
#[derive(Debug, Clone)]
pub(crate) struct Word<'t> {
    pub range: Range<usize>,
    pub text: &'t str,
    /// `text` in lower case, worked out once for every rule (borrowed when
    /// the word has no capitals, as most words have none).
    pub lower: Cow<'t, str>,
}

impl<'t> Word<'t> {
    fn new(range: Range<usize>, text: &'t str) -> Self {
        let lower = if text.chars().any(char::is_uppercase) {
            Cow::Owned(text.to_lowercase())
        } else {
            Cow::Borrowed(text)
        };
        Word { range, text, lower }
    }
}

/// What the rules share for one run.
pub(crate) struct Context<'a, 't> {
    pub corpus: &'a Corpus,
    pub draft: &'a Draft<'t>,
    pub options: &'a CheckOptions,
    /// Words of the prose, in order.
    pub words: Vec<Word<'a>>,
    /// Where each of `draft.quotes` stands in the sources, as a first
    /// look-up tells it (see [`Context::all_places`]).
    located: Vec<Located>,
    /// Name keys of the project's own names.
    pub project_names: HashSet<String>,
    /// The draft's quoted stretches, merged and in order.
    quoted: Vec<Range<usize>>,
    /// For each of `draft.quotes` (in order of start), the furthest end of
    /// it and every quote before it: overlap look-ups stop early.
    quote_reach: Vec<usize>,
    /// Links and footnotes, merged and in order.
    cited: Vec<Range<usize>>,
    /// Where each line of the draft's text starts.
    line_starts: Vec<usize>,
    /// Whether some source's text is the draft's, asked once a run.
    is_source: std::sync::OnceLock<bool>,
}

impl<'a, 't> Context<'a, 't> {
    pub fn new(corpus: &'a Corpus, draft: &'a Draft<'t>, options: &'a CheckOptions) -> Self {
        // A draft that repeats a quotation looks it up once; the different
        // ones are looked up side by side (a long draft's first check is
        // mostly these look-ups).
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut unique: Vec<&str> = Vec::new();
        let which: Vec<usize> = draft
            .quotes
            .iter()
            .map(|q| {
                let words = draft.quote_text(q);
                *seen.entry(words).or_insert_with(|| {
                    unique.push(words);
                    unique.len() - 1
                })
            })
            .collect();
        let found: Vec<Located> = unique
            .par_iter()
            .map(|words| quote_source::preview_with(corpus, options.lookups.as_deref(), words))
            .collect();
        let located: Vec<Located> = which.iter().map(|&i| found[i].clone()).collect();
        let project_names = options.ignores.names.iter().map(|n| name_key(n)).collect();
        let mut quoted: Vec<Range<usize>> = draft.quotes.iter().map(|q| q.range.clone()).collect();
        quoted.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(quoted.len());
        for r in quoted {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        let mut reach = 0;
        let quote_reach = draft
            .quotes
            .iter()
            .map(|q| {
                reach = reach.max(q.range.end);
                reach
            })
            .collect();
        // Only strictly overlapping citations merge, so a range touching
        // two neighbours is cited exactly when it overlaps one of them.
        let mut citations = draft.citations.clone();
        citations.sort_by_key(|r| r.start);
        let mut cited: Vec<Range<usize>> = Vec::with_capacity(citations.len());
        for r in citations {
            match cited.last_mut() {
                Some(last) if r.start < last.end => last.end = last.end.max(r.end),
                _ => cited.push(r),
            }
        }
        let line_starts = std::iter::once(0)
            .chain(
                draft
                    .text
                    .bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        Context {
            is_source: std::sync::OnceLock::new(),
            quoted: merged,
            quote_reach,
            cited,
            line_starts,
            corpus,
            draft,
            options,
            words: words(&draft.prose),
            located,
            project_names,
        }
    }

    /// Whether the draft's whole text is one of the sources' (a writer
    /// checking a source, or a draft kept in a source folder).
    pub fn draft_is_a_source(&self) -> bool {
        *self.is_source.get_or_init(|| {
            let text = self.draft.text;
            self.corpus
                .documents
                .iter()
                .any(|d| d.text.len() == text.len() && d.text == text)
        })
    }

    /// The draft's own text for a range ("" for a bad range).
    pub fn text(&self, range: &Range<usize>) -> &'t str {
        self.draft.text.get(range.clone()).unwrap_or("")
    }

    /// True when `range` lies inside a quotation's marks.
    pub fn is_quoted(&self, range: &Range<usize>) -> bool {
        let i = self.quoted.partition_point(|q| q.start <= range.start);
        i > 0 && range.end <= self.quoted[i - 1].end
    }

    /// Whether a link or footnote overlaps `range`.
    pub fn is_cited(&self, range: &Range<usize>) -> bool {
        let i = self.cited.partition_point(|c| c.end <= range.start);
        self.cited
            .get(i)
            .is_some_and(|c| c.start < range.end && range.start < c.end)
    }

    /// The draft's quotes whose marks' contents overlap `range`, last first.
    pub fn quotes_overlapping<'s>(
        &'s self,
        range: &Range<usize>,
    ) -> impl Iterator<Item = &'a DraftQuote> + 's {
        let quotes = &self.draft.quotes;
        let reach = &self.quote_reach;
        let upto = quotes.partition_point(|q| q.range.start < range.end);
        let start = range.start;
        (0..upto)
            .rev()
            .take_while(move |&i| reach.get(i).is_some_and(|&r| r > start))
            .map(move |i| &quotes[i])
            .filter(move |q| q.range.end > start)
    }

    /// Offset where the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        let i = self.line_starts.partition_point(|&l| l <= offset);
        i.checked_sub(1).map_or(0, |i| self.line_starts[i])
    }

    /// Whether the project lists this name as its own.
    pub fn is_project_name(&self, name: &str) -> bool {
        !self.project_names.is_empty() && self.project_names.contains(&name_key(name))
    }

    /// Index of the paragraph holding `offset`.
    pub fn paragraph_of(&self, offset: usize) -> usize {
        self.draft.paragraphs.partition_point(|p| p.end <= offset)
    }

    /// Words lying inside `range`.
    pub fn words_in(&self, range: &Range<usize>) -> &[Word<'a>] {
        let a = self.words.partition_point(|w| w.range.start < range.start);
        let b = self.words.partition_point(|w| w.range.end <= range.end);
        self.words.get(a..b.max(a)).unwrap_or(&[])
    }

    /// The draft's quotes and where each stands, together. A quotation
    /// found in many places comes with its first few only: enough to tell
    /// found from not, and most often who said it; [`Context::all_places`]
    /// gives the rest to a rule that needs them.
    pub fn quotes(&self) -> impl Iterator<Item = (usize, &'a DraftQuote, &QuoteSource)> {
        self.draft
            .quotes
            .iter()
            .zip(self.located.iter().map(|l| l.source.as_ref()))
            .enumerate()
            .map(|(i, (q, l))| (i, q, l))
    }

    /// The first look-up of the `i`th of the draft's quotes.
    pub(crate) fn located(&self, i: usize) -> Option<&Located> {
        self.located.get(i)
    }

    /// Every place the sources hold the `i`th of the draft's quotes (up to
    /// [`quote_source::MAX_HITS`]), as a hover would list them.
    pub fn all_places(&self, i: usize) -> Arc<QuoteSource> {
        match self.located.get(i) {
            Some(l) if l.whole => Arc::clone(&l.source),
            Some(_) => quote_source::locate_with(
                self.corpus,
                self.options.lookups.as_deref(),
                self.draft.quote_text(&self.draft.quotes[i]),
            ),
            None => Arc::new(QuoteSource::NotFound),
        }
    }

    /// The entity named as the speaker at the first place of all the
    /// `i`th quote's places that names one, in [`Context::all_places`]'s
    /// order. That order puts places outside boilerplate first and then
    /// follows the sources, as the first look-up meets them, so a named
    /// place outside boilerplate among the first places is the first of
    /// all; only otherwise are the rest looked up.
    pub fn first_named_speaker(&self, i: usize) -> Option<&'a Entity> {
        let corpus = self.corpus;
        fn named<'h, 'c>(
            corpus: &'c Corpus,
            hits: &'h [SourceHit],
        ) -> Option<(&'h SourceHit, &'c Entity)> {
            hits.iter().find_map(|h| match h.speaker(corpus) {
                Some(SpeakerRef::Entity(e)) => corpus.entities.get(*e).map(|e| (h, e)),
                _ => None,
            })
        }
        let located = self.located.get(i)?;
        let QuoteSource::Found(first) = located.source.as_ref() else {
            return None;
        };
        match named(corpus, first) {
            Some((h, e))
                if located.whole || !corpus.documents[h.doc].is_boilerplate(h.range.start) =>
            {
                return Some(e)
            }
            None if located.whole => return None,
            _ => {}
        }
        match self.all_places(i).as_ref() {
            QuoteSource::Found(hits) => named(corpus, hits).map(|(_, e)| e),
            _ => None,
        }
    }

    /// How the sources name whoever said a passage, with where they say it:
    /// an entity's canonical name or the description as written.
    pub fn source_speaker(&self, hit: &SourceHit) -> Option<String> {
        match hit.speaker(self.corpus)? {
            SpeakerRef::Entity(e) => self.corpus.entities.get(*e).map(|e| e.name.clone()),
            SpeakerRef::Descriptive(d) => Some(d.clone()),
        }
    }

    /// "doc-id:line" for a place in a source.
    pub fn cite(&self, hit: &SourceHit) -> String {
        match self.corpus.documents.get(hit.doc) {
            Some(d) => format!("{}:{}", d.id, d.line_of(hit.range.start)),
            None => String::new(),
        }
    }

    /// The source passage as a related place, in the file's own bytes.
    pub fn related(&self, hit: &SourceHit, message: &str) -> Vec<Related> {
        let Some(doc) = self.corpus.documents.get(hit.doc) else {
            return Vec::new();
        };
        let range =
            doc.line_map.file_offset(hit.range.start)..doc.line_map.file_offset(hit.range.end);
        vec![Related {
            target: Target::in_file(doc.path.clone(), range),
            message: message.to_string(),
        }]
    }

    /// How this draft attributes speech, for inserted attributions.
    pub fn attribution_style(&self) -> AttributionStyle {
        match self.options.attribution_style {
            AttributionStyle::Auto => {
                let (mut name_said, mut said_name) = (0, 0);
                for q in &self.draft.quotes {
                    let Some(r) = &q.speaker_range else { continue };
                    if !matches!(q.speaker, Some(Speaker::Known(_) | Speaker::Unknown(_))) {
                        continue;
                    }
                    let after = self.words.partition_point(|w| w.range.start < r.end);
                    let before = self.words.partition_point(|w| w.range.end <= r.start);
                    if self
                        .words
                        .get(after)
                        .is_some_and(|w| lexicon::is_speech_verb(&w.lower))
                    {
                        name_said += 1;
                    } else if before > 0 && lexicon::is_speech_verb(&self.words[before - 1].lower) {
                        said_name += 1;
                    }
                }
                if name_said > said_name {
                    AttributionStyle::NameSaid
                } else {
                    AttributionStyle::SaidName
                }
            }
            style => style,
        }
    }
}

/// Build a finding.
pub(crate) fn finding(
    code: &str,
    severity: Severity,
    range: Range<usize>,
    message: String,
) -> Finding {
    Finding {
        range,
        code: code.to_string(),
        severity,
        message,
        related: Vec::new(),
    }
}

/// A one-edit quick fix for a finding.
pub(crate) fn fix(code: &str, title: String, edits: Vec<(Range<usize>, String)>) -> QuickFix {
    QuickFix {
        title,
        edits,
        fixes: Some(code.to_string()),
        preferred: true,
        ..Default::default()
    }
}

/// Whether two ranges share a byte.
pub(crate) fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// A name's comparison key: folded, lower case, single-spaced.
pub(crate) fn name_key(name: &str) -> String {
    fold::name_key(name).to_lowercase()
}

/// Text with its runs of white space (line breaks too) made single spaces.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A word-list data file read into its `[sections]`: one lower-case entry
/// per line, `#` starting a comment. The rules ask several sections about
/// every word of the draft on every keystroke, so each word is hashed once
/// and maps to the set of sections it is in.
#[derive(Debug, Default)]
pub(crate) struct Sections {
    names: Vec<&'static str>,
    entries: Vec<Vec<&'static str>>,
    words: FastMap<&'static str, u64>,
}

impl Sections {
    /// True when `word` is an entry of `section`.
    pub(crate) fn contains(&self, section: &str, word: &str) -> bool {
        self.names
            .iter()
            .position(|n| *n == section)
            .is_some_and(|bit| self.bits(word) & (1 << bit) != 0)
    }

    /// The sections `word` is an entry of, as bits of [`Sections::mask`].
    pub(crate) fn bits(&self, word: &str) -> u64 {
        self.words.get(word).copied().unwrap_or(0)
    }

    /// The bit of `section` (none when the file has no such section).
    pub(crate) fn mask(&self, section: &str) -> u64 {
        let bit = self.names.iter().position(|n| *n == section);
        debug_assert!(bit.is_some(), "no section [{section}]");
        bit.map_or(0, |b| 1 << b)
    }

    /// The entries of `section`, in file order.
    pub(crate) fn entries(&self, section: &str) -> &[&'static str] {
        self.names
            .iter()
            .position(|n| *n == section)
            .map_or(&[], |i| self.entries[i].as_slice())
    }
}

pub(crate) fn sections(data: &'static str) -> Sections {
    let mut out = Sections::default();
    let mut current = None;
    for line in data.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let i = out
                .names
                .iter()
                .position(|n| *n == name)
                .unwrap_or_else(|| {
                    out.names.push(name);
                    out.entries.push(Vec::new());
                    out.names.len() - 1
                });
            assert!(i < 64, "a word-list file holds at most 64 sections");
            current = Some(i);
        } else if let Some(i) = current {
            out.entries[i].push(line);
            *out.words.entry(line).or_insert(0) |= 1 << i;
        }
    }
    out
}

/// The words of a prose text: letters and digits, with apostrophes, dots
/// and hyphens that join two of them ("don't", "U.S", "well-known").
fn words(prose: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut iter = prose.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let joins = matches!(c, '\'' | '’' | 'ʼ' | '-' | '.')
            && start.is_some()
            && iter.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || joins {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(Word::new(s..i, &prose[s..i]));
        }
    }
    if let Some(s) = start {
        out.push(Word::new(s..prose.len(), &prose[s..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fixture;

    #[test]
    fn words_keep_inner_apostrophes_and_multibyte_letters() {
        let text = "Zoë’s “harbour” didn’t close 👩‍💻 — U.S. well-known.";
        let got: Vec<&str> = words(text).iter().map(|w| w.text).collect();
        assert_eq!(
            got,
            ["Zoë’s", "harbour", "didn’t", "close", "U.S", "well-known"]
        );
    }

    #[test]
    fn findings_come_in_draft_order_with_stable_codes() {
        let corpus = fixture::corpus(&[(
            "harbour-01",
            "Director Anna Kowalczyk of the Ministry of Fisheries spoke on Monday.\n\n\
             “We will not close the harbour this year,” Kowalczyk said.\n",
        )]);
        let text = "Jane Whitfield met the press.\n\nOfficials said the port was safe. \
                    “We will not close the harbour this winter.”\n";
        let draft = Draft::read(text, true, &corpus);
        let found = run(&corpus, &draft, &CheckOptions::default());
        let starts: Vec<usize> = found.iter().map(|c| c.finding.range.start).collect();
        let mut sorted = starts.clone();
        sorted.sort();
        assert_eq!(starts, sorted);
        assert!(found
            .iter()
            .all(|c| CODES.contains(&c.finding.code.as_str())));
        assert!(found.iter().any(|c| c.finding.code == "unknown-actor"));
        assert!(found.iter().any(|c| c.finding.code == "misquote"));
    }
}
