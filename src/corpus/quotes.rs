//! Finding quotations in an article and who said them.
//!
//! Owns quotation-mark pairing (straight, curly, single quotes told apart
//! from apostrophes, nested and unclosed quotes) and speaker attribution
//! from the words around a quote: speech-verb tags on either side, pronouns
//! resolved to the nearest person, continuing paragraphs, and unnamed
//! speakers kept as the text describes them.

use std::ops::Range;

use super::model::{EntityKind, Sentence};
use super::names::NameSpan;
use crate::lexicon;

/// Who the text says spoke a quote, before names are resolved to entities.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SpeakerCue {
    /// A name found by the recognizer (index into the `names` slice given to
    /// [`find_quotes`]); a resolved pronoun or a continuing paragraph points at
    /// the name it stands for.
    Name(usize),
    /// An unnamed speaker, as written: "an unnamed Baltic shipping official".
    Descriptive(Range<usize>),
}

/// A quotation found in a text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RawQuote {
    /// The quoted words, without the marks.
    pub range: Range<usize>,
    pub speaker: Option<SpeakerCue>,
    /// The sentence(s) the quote stands in.
    pub sentence: Range<usize>,
}

// Small grammatical word classes the attribution rules read. They are part
// of English grammar rather than news vocabulary, so they stay with the rules.
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "one", "another", "two", "three", "four", "several", "some", "many",
    "multiple", "most", "both", "all", "his", "her", "their", "its", "our", "this", "that",
    "these", "those",
];
const PREPOSITIONS: &[&str] = &[
    "of", "for", "at", "from", "with", "by", "to", "in", "on", "about", "under", "near", "inside",
    "after", "before", "against", "between", "into", "over", "during", "than",
];
/// Words that may stand between a subject and its speech verb.
const FILLERS: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "then",
    "later",
    "again",
    "once",
    "earlier",
    "already",
    "would",
    "will",
    "soon",
    "still",
    "too",
    "further",
    "however",
    "meanwhile",
    "even",
    "never",
    "not",
    "just",
    "only",
];
/// Pronouns that never stand for a named or described speaker here.
const OTHER_PRONOUNS: &[&str] = &[
    "i", "you", "we", "they", "it", "me", "us", "them", "him", "who", "whom", "which", "what",
    "whoever", "there", "here",
];
/// Collective nouns that take a plural verb ("police say").
const COLLECTIVES: &[&str] = &[
    "police",
    "people",
    "staff",
    "media",
    "personnel",
    "public",
    "children",
    "men",
    "women",
];
/// Words that end the speaker phrase after a verb ("said the officer, who…").
const PHRASE_STOPS: &[&str] = &[
    "who",
    "whom",
    "whose",
    "which",
    "that",
    "as",
    "when",
    "while",
    "on",
    "in",
    "during",
    "after",
    "before",
    "and",
    "but",
    "because",
    "to",
    "according",
    "adding",
    "via",
    "last",
    "this",
    "yesterday",
    "today",
    "earlier",
    "later",
    "at",
];
/// Words that end a subject phrase read backwards from a verb.
const SUBJECT_STOPS: &[&str] = &[
    "that", "and", "but", "while", "whereas", "as", "when", "because", "if", "though", "although",
];
/// Words after which a speech verb is a noun or an infinitive.
const NOUN_MARKERS: &[&str] = &[
    "a", "an", "the", "his", "her", "their", "its", "our", "my", "your", "this", "these", "those",
    "every", "each", "no", "to", "of", "any",
];
/// Verbs that help another and never end a noun phrase.
const AUXILIARIES: &[&str] = &[
    "has", "have", "had", "will", "would", "can", "could", "should", "may", "might", "must", "do",
    "does", "did",
];
const BE_FORMS: &[&str] = &["is", "are", "was", "were", "be", "been", "being"];
/// Forms that only make passives ("written by").
const PASSIVE_PARTICIPLES: &[&str] = &["written", "spoken", "sworn"];
const CONTINUATION_VERBS: &[&str] = &["added", "adds", "continued", "continues"];
const TELL_VERBS: &[&str] = &["told", "tells", "tell"];

/// Speech acts written as a noun after a verb: "issued a warning".
const SPEECH_NOUNS: &[&str] = &[
    "warning",
    "statement",
    "remarks",
    "comments",
    "comment",
    "tweet",
    "post",
    "message",
    "interview",
    "speech",
    "briefing",
];

/// True when a speech verb ("noted", "said") or a speech act ("issued a
/// warning") follows a name within a few words, before the sentence ends.
fn says_something_after(text: &str, from: usize, sentence_end: usize) -> bool {
    let Some(rest) = text.get(from..sentence_end) else {
        return false;
    };
    rest.split_whitespace()
        .take(6)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .any(|w| {
            let lower = w.to_lowercase();
            (w.chars().next().is_some_and(char::is_lowercase) && lexicon::is_speech_verb(&lower))
                || SPEECH_NOUNS.contains(&lower.as_str())
        })
}

fn in_list(list: &[&str], word: &str) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum VerbForm {
    Finite,
    Participle,
}

/// Whether `word` is a verb of saying, and in which form, going by the
/// word alone. Participles not in the lexicon are derived from its forms:
/// "adding" from "added", "saying" from "says".
fn speech_verb(word: &str) -> Option<VerbForm> {
    let lower = word.to_lowercase();
    if PASSIVE_PARTICIPLES.contains(&lower.as_str()) {
        return None;
    }
    let participle = lower.ends_with("ing");
    if lexicon::is_speech_verb(&lower) {
        return Some(if participle {
            VerbForm::Participle
        } else {
            VerbForm::Finite
        });
    }
    let stem = lower.strip_suffix("ing")?;
    if stem.len() < 2 {
        return None;
    }
    let forms = [
        format!("{stem}s"),
        format!("{stem}es"),
        format!("{stem}ed"),
        format!("{stem}e"),
    ];
    forms
        .iter()
        .any(|f| lexicon::is_speech_verb(f))
        .then_some(VerbForm::Participle)
}

/// Whether token `i` is a speech verb in its context: many of them double
/// as nouns ("the report", "a statement", "in a post"), and a verb after a
/// form of "be" is passive ("was described as").
fn verb_at(text: &str, toks: &[Tok], i: usize) -> Option<VerbForm> {
    let w = toks.get(i)?.word(text)?;
    let form = speech_verb(w)?;
    if form == VerbForm::Finite && !starts_lowercase(w) {
        return None;
    }
    let prev = i.checked_sub(1).and_then(|j| toks[j].word(text));
    if let Some(p) = prev {
        let possessive = ["'s", "’s", "ʼs"].iter().any(|e| p.ends_with(e));
        if possessive
            || in_list(NOUN_MARKERS, p)
            || (form == VerbForm::Finite && in_list(BE_FORMS, p))
        {
            return None;
        }
        // A bare base form after a singular proper noun is a compound noun:
        // "the Gazette report", "a radio call" (but "Officials say", "We note").
        let lower = w.to_lowercase();
        let base = !lower.ends_with('s')
            && !lower.ends_with("ed")
            && (lexicon::is_speech_verb(&format!("{lower}s"))
                || lexicon::is_speech_verb(&format!("{lower}es")));
        // A base form agrees with a plural or a pronoun, or follows an
        // auxiliary or adverb; after a singular noun it is a noun itself
        // ("extremist text", "the Gazette report").
        let agrees = p.ends_with('s')
            || ["i", "we", "they", "you"]
                .iter()
                .any(|x| x.eq_ignore_ascii_case(p))
            || in_list(AUXILIARIES, p)
            || in_list(COLLECTIVES, p)
            || is_filler(p);
        if form == VerbForm::Finite && base && !agrees {
            return None;
        }
    }
    Some(form)
}

fn is_pronoun(word: &str) -> bool {
    word.eq_ignore_ascii_case("he") || word.eq_ignore_ascii_case("she")
}

fn is_filler(word: &str) -> bool {
    let lower_initial = word.chars().next().is_some_and(char::is_lowercase);
    in_list(FILLERS, word) || (lower_initial && word.len() > 4 && word.ends_with("ly"))
}

fn starts_lowercase(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_lowercase)
}

fn starts_uppercase(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// A word or a punctuation mark of a stretch of text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Word(usize, usize),
    Punct(usize, char),
}

impl Tok {
    fn start(&self) -> usize {
        match *self {
            Tok::Word(s, _) | Tok::Punct(s, _) => s,
        }
    }
    fn end(&self) -> usize {
        match *self {
            Tok::Word(_, e) => e,
            Tok::Punct(s, c) => s + c.len_utf8(),
        }
    }
    fn word<'t>(&self, text: &'t str) -> Option<&'t str> {
        match *self {
            Tok::Word(s, e) => text.get(s..e),
            Tok::Punct(..) => None,
        }
    }
    fn is_punct(&self, set: &str) -> bool {
        matches!(*self, Tok::Punct(_, c) if set.contains(c))
    }
}

/// Split `text[range]` into words and punctuation. Apostrophes, hyphens and
/// dots inside a word stay in it ("don’t", "bomb-maker", "U.S."); a final
/// dot stays with abbreviations and initials.
fn tokens(text: &str, range: Range<usize>) -> Vec<Tok> {
    let mut out = Vec::new();
    let Some(slice) = text.get(range.clone()) else {
        return out;
    };
    let chars: Vec<(usize, char)> = slice
        .char_indices()
        .map(|(i, c)| (i + range.start, c))
        .collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        // Emoji and other symbols carry no grammar: skip them like spaces.
        if c.is_whitespace() || (!c.is_alphanumeric() && c > '\u{2E7F}') {
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            out.push(Tok::Punct(pos, c));
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut has_dot = false;
        while j < chars.len() {
            let d = chars[j].1;
            if d.is_alphanumeric() {
                j += 1;
            } else if (is_apostrophe(d) || d == '-' || d == '.')
                && chars.get(j + 1).is_some_and(|n| n.1.is_alphanumeric())
            {
                has_dot |= d == '.';
                j += 2;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(range.end, |x| x.0);
        let word = &text[pos..end];
        let mut word_end = end;
        if chars.get(j).is_some_and(|x| x.1 == '.') {
            let single_initial = word.chars().count() == 1 && starts_uppercase(word);
            if has_dot || single_initial || lexicon::is_title(&format!("{word}.")) {
                word_end = end + 1;
                j += 1;
            }
        }
        out.push(Tok::Word(pos, word_end));
        i = j;
    }
    out
}

/// A pair of quotation marks (or an opening mark without its pair).
#[derive(Debug, Clone)]
struct Marked {
    open: Range<usize>,
    close: Option<Range<usize>>,
    inner: Range<usize>,
    para: usize,
}

fn is_double_open(c: char) -> bool {
    matches!(c, '“' | '„' | '«')
}
fn is_double_close(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// Double quotation marks of one paragraph: straight marks toggle, curly
/// ones say which side they are; a new opening mark while a quote is open
/// ends the open one (its closing mark is missing).
fn double_quotes(text: &str, para: &Range<usize>, p: usize) -> Vec<Marked> {
    let mut out = Vec::new();
    let mut open: Option<Range<usize>> = None;
    let Some(slice) = text.get(para.clone()) else {
        return out;
    };
    for (off, c) in slice.char_indices() {
        let pos = para.start + off;
        let mark = pos..pos + c.len_utf8();
        let opening = match c {
            '"' => open.is_none(),
            c if is_double_open(c) => true,
            c if is_double_close(c) => false,
            _ => continue,
        };
        match (opening, open.take()) {
            (true, Some(prev)) => {
                out.push(Marked {
                    inner: prev.end..pos,
                    open: prev,
                    close: None,
                    para: p,
                });
                open = Some(mark);
            }
            (true, None) => open = Some(mark),
            (false, Some(prev)) => {
                out.push(Marked {
                    inner: prev.end..pos,
                    open: prev,
                    close: Some(mark),
                    para: p,
                });
            }
            (false, None) => {}
        }
    }
    if let Some(prev) = open {
        out.push(Marked {
            inner: prev.end..para.end,
            open: prev,
            close: None,
            para: p,
        });
    }
    out
}

fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos)?.chars().next_back()
}
fn char_after(text: &str, pos: usize) -> Option<char> {
    text.get(pos..)?.chars().next()
}

/// Whether a single mark at `pos` can open a quote.
fn single_opens(text: &str, pos: usize, c: char) -> bool {
    let before = char_before(text, pos);
    let after = char_after(text, pos + c.len_utf8());
    let before_ok = edge_or(before, |b| "([{—–-/\"“”«".contains(b));
    match c {
        '‘' => {
            edge_or(before, |b| !b.is_alphanumeric()) && after.is_some_and(char::is_alphabetic)
        }
        '\'' => before_ok && after.is_some_and(char::is_alphabetic),
        _ => false,
    }
}

/// Whether a single mark at `pos` can close a quote (and is not the
/// apostrophe of "don't" or of a plural possessive like "the ministers' cars").
fn single_closes(text: &str, pos: usize, c: char) -> bool {
    if c != '\'' && c != '’' {
        return false;
    }
    let before = char_before(text, pos);
    let end = pos + c.len_utf8();
    let after = char_after(text, end);
    if edge_or(before, |_| false) || after.is_some_and(char::is_alphanumeric) {
        return false;
    }
    if before.is_some_and(|b| b == 's' || b == 'S') && after.is_some_and(char::is_whitespace) {
        // "officials' claims": a possessive unless the next word is a capital
        // or a speech verb, as after a quote ("…the sources' Smith said").
        let next = tokens(text, end..(end + 40).min(text.len()));
        let next_word = next.first().and_then(|t| t.word(text));
        return next_word.is_some_and(|w| {
            starts_uppercase(w)
                || speech_verb(w).is_some()
                || in_list(DETERMINERS, w)
                || is_pronoun(w)
        });
    }
    true
}

/// True at the start of the text, after whitespace, or when `f` holds.
fn edge_or(c: Option<char>, f: impl Fn(char) -> bool) -> bool {
    match c {
        None => true,
        Some(c) => c.is_whitespace() || f(c),
    }
}

/// Single-quoted passages in `range` (which lies outside double quotes).
/// Conservative: an opening mark without a closing one in the same stretch
/// is taken for an apostrophe.
fn single_quotes(text: &str, range: Range<usize>, p: usize, out: &mut Vec<Marked>) {
    let Some(slice) = text.get(range.clone()) else {
        return;
    };
    let marks: Vec<(usize, char)> = slice
        .char_indices()
        .filter(|&(_, c)| c == '\'' || c == '‘' || c == '’')
        .map(|(i, c)| (i + range.start, c))
        .collect();
    let mut k = 0;
    while k < marks.len() {
        let (pos, c) = marks[k];
        if !single_opens(text, pos, c) {
            k += 1;
            continue;
        }
        let open = pos..pos + c.len_utf8();
        let close = (k + 1..marks.len()).find(|&m| single_closes(text, marks[m].0, marks[m].1));
        match close {
            Some(m) => {
                let (cpos, cc) = marks[m];
                let inner = open.end..cpos;
                let letters = text[inner.clone()]
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .count();
                if letters >= 2 {
                    out.push(Marked {
                        open,
                        close: Some(cpos..cpos + cc.len_utf8()),
                        inner,
                        para: p,
                    });
                    k = m + 1;
                } else {
                    k += 1;
                }
            }
            None => k += 1,
        }
    }
}

fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let Some(s) = text.get(r.clone()) else {
        return r.start..r.start;
    };
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.start + s.trim_end().len();
    start..end.max(start)
}

/// What a phrase next to a speech verb names.
#[derive(Debug, Clone, PartialEq)]
enum Found {
    Name(usize),
    /// A pronoun at this offset, to be resolved.
    Pronoun(usize),
    Desc(Range<usize>),
}

struct Ctx<'a> {
    text: &'a str,
    paras: Vec<Range<usize>>,
    /// Sentence ranges with their paragraph and boilerplate flag.
    sents: Vec<(Range<usize>, usize, bool)>,
    names: &'a [NameSpan],
    /// Indices of speaker-kind names, by start offset.
    speakers: Vec<usize>,
    quotes: Vec<Marked>,
    /// Per quote, the furthest any quote up to it closes (for
    /// [`Ctx::in_quote`]), when the quotes are in order of opening.
    closes_by: Option<Vec<usize>>,
    /// Whether the quotes are in paragraph order (so each paragraph's are
    /// one run, found by binary search).
    by_para: bool,
}

fn speaker_kind(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Person | EntityKind::Agency | EntityKind::Outlet
    )
}

impl Ctx<'_> {
    /// Every look-up below that asks for the quotes of a paragraph or the
    /// speakers in a stretch of text finds them by binary search: scanning
    /// all of them per quote made one long paragraph of many quotes (a
    /// transcript) quadratic, 14 s for 3 MB.
    fn set_quotes(&mut self, quotes: Vec<Marked>) {
        let close = |q: &Marked| q.close.as_ref().map_or(q.inner.end, |c| c.end);
        let by_open = quotes
            .windows(2)
            .all(|w| w[0].open.start <= w[1].open.start);
        self.closes_by = by_open.then(|| {
            let mut furthest = 0;
            quotes
                .iter()
                .map(|q| {
                    furthest = furthest.max(close(q));
                    furthest
                })
                .collect()
        });
        self.by_para = quotes.windows(2).all(|w| w[0].para <= w[1].para);
        self.quotes = quotes;
    }

    fn in_quote(&self, pos: usize) -> bool {
        match &self.closes_by {
            Some(furthest) => {
                let opened = self.quotes.partition_point(|q| q.open.start <= pos);
                opened > 0 && furthest[opened - 1] > pos
            }
            None => self.quotes.iter().any(|q| {
                q.open.start <= pos && pos < q.close.as_ref().map_or(q.inner.end, |c| c.end)
            }),
        }
    }

    /// Whether a quote opens within `range`.
    fn quote_opens_in(&self, range: &Range<usize>) -> bool {
        if self.closes_by.is_some() {
            let from = self.quotes.partition_point(|q| q.open.start < range.start);
            return self
                .quotes
                .get(from)
                .is_some_and(|q| q.open.start < range.end);
        }
        self.quotes
            .iter()
            .any(|p| p.open.start >= range.start && p.open.start < range.end)
    }

    /// The indices of the quotes of paragraph `p` (of all quotes, should
    /// they not be in paragraph order: callers still test the paragraph).
    fn quotes_of(&self, p: usize) -> Range<usize> {
        if !self.by_para {
            return 0..self.quotes.len();
        }
        self.quotes.partition_point(|q| q.para < p)..self.quotes.partition_point(|q| q.para <= p)
    }

    /// The indices of the sentences of paragraph `p` (in order: sentences
    /// are sorted by start, and paragraphs do not overlap).
    fn sents_of(&self, p: usize) -> Range<usize> {
        self.sents.partition_point(|s| s.1 < p)..self.sents.partition_point(|s| s.1 <= p)
    }

    /// The speakers whose name starts within `range`, in order.
    fn speakers_starting_in(&self, range: Range<usize>) -> &[usize] {
        let at = |pos: usize| {
            self.speakers
                .partition_point(|&i| self.names[i].range.start < pos)
        };
        let from = at(range.start);
        &self.speakers[from..at(range.end).max(from)]
    }

    fn word<'s>(&'s self, t: &Tok) -> &'s str {
        t.word(self.text).unwrap_or("")
    }

    /// Sentence index containing `pos` (or the next one).
    fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sents.partition_point(|s| s.0.end <= pos);
        (i < self.sents.len()).then_some(i)
    }

    /// The speaker a phrase `start..end` names: a name ending the phrase
    /// (with only a title or determiner before it), a pronoun, or an unnamed
    /// speaker described by a noun phrase.
    fn classify(&self, start: usize, end: usize) -> Option<Found> {
        let r = trim_range(self.text, start..end);
        if r.is_empty() {
            return None;
        }
        let toks = tokens(self.text, r.clone());
        let words: Vec<&str> = toks.iter().filter_map(|t| t.word(self.text)).collect();
        if words.is_empty() || toks.iter().any(|t| t.is_punct("\"“”‘«»")) {
            return None;
        }
        for &ni in self.speakers_starting_in(r.clone()) {
            let n = &self.names[ni];
            if n.range.end != r.end || n.range.start < r.start {
                continue;
            }
            let before: Vec<&Tok> = toks.iter().filter(|t| t.end() <= n.range.start).collect();
            // The object of a preposition is not the speaker: "a spokesman
            // for the Ministry", "relations with the Republic".
            let prev_word = before.last().and_then(|t| t.word(self.text));
            let prev2 = before
                .len()
                .checked_sub(2)
                .and_then(|i| before[i].word(self.text));
            let object = prev_word.is_some_and(|w| in_list(PREPOSITIONS, w))
                || (prev_word.is_some_and(|w| in_list(DETERMINERS, w))
                    && prev2.is_some_and(|w| in_list(PREPOSITIONS, w)));
            if object {
                break;
            }
            let ok = match n.kind {
                EntityKind::Person => true,
                _ => before.iter().all(|t| match t.word(self.text) {
                    Some(w) => {
                        w.eq_ignore_ascii_case("the")
                            || starts_uppercase(w)
                            || w.ends_with("'s")
                            || w.ends_with("’s")
                            || w.ends_with("ʼs")
                    }
                    None => true,
                }),
            };
            if ok {
                return Some(Found::Name(ni));
            }
            break;
        }
        if words.len() == 1 && is_pronoun(words[0]) {
            return Some(Found::Pronoun(r.start));
        }
        // "Name in relaying the news said": the person, not "the news".
        for &ni in self.speakers_starting_in(r.clone()) {
            let n = &self.names[ni];
            if n.kind != EntityKind::Person || n.range.start < r.start || n.range.end >= r.end {
                continue;
            }
            let next = toks
                .iter()
                .find(|t| t.start() >= n.range.end)
                .and_then(|t| t.word(self.text));
            if next.is_some_and(|w| in_list(PREPOSITIONS, w)) {
                return Some(Found::Name(ni));
            }
        }
        // An unnamed speaker: a short noun phrase ending in a common noun.
        let last = *words.last()?;
        let first = words[0];
        if words.len() > 9
            || !starts_lowercase(last)
            || !last.chars().all(|c| c.is_alphabetic() || c == '-')
            || in_list(PREPOSITIONS, first)
            || in_list(PREPOSITIONS, last)
            || in_list(SUBJECT_STOPS, first)
            || words
                .iter()
                .any(|w| is_pronoun(w) || in_list(OTHER_PRONOUNS, w))
            || (0..toks.len()).any(|i| verb_at(self.text, &toks, i).is_some())
            || is_filler(last)
            || last.eq_ignore_ascii_case("first")
            || in_list(BE_FORMS, last)
            || in_list(AUXILIARIES, last)
            || in_list(DETERMINERS, last)
        {
            return None;
        }
        // Start at the determiner when there is one ("At the time the
        // ministry said" → "the ministry").
        let word_toks: Vec<&Tok> = toks.iter().filter(|t| matches!(t, Tok::Word(..))).collect();
        let det = word_toks
            .iter()
            .position(|t| in_list(DETERMINERS, self.word(t)));
        let s = det.map_or(r.start, |d| word_toks[d].start());
        Some(Found::Desc(s..r.end))
    }

    /// The subject directly before a verb starting at `verb_start`, reading
    /// no further back than `floor`. Returns what it names and where the
    /// subject phrase starts.
    fn subject_before(&self, verb_start: usize, floor: usize) -> Option<(Found, usize)> {
        let toks = tokens(self.text, floor..verb_start);
        let mut k = toks.len();
        while k > 0 && toks[k - 1].word(self.text).is_some_and(is_filler) {
            k -= 1;
        }
        if k == 0 {
            return None;
        }
        let mut end_tok = k;
        if toks[k - 1].is_punct(",") {
            // "Name, a counsellor at X, told…": skip the apposition.
            let j = (0..k - 1).rev().find(|&j| toks[j].is_punct(",;:()—–"))?;
            let between = toks[j + 1..k - 1]
                .iter()
                .filter(|t| matches!(t, Tok::Word(..)))
                .count();
            if !toks[j].is_punct(",") || between == 0 || between > 15 {
                return None;
            }
            end_tok = j;
        }
        let mut st = end_tok;
        while st > 0 {
            let t = &toks[st - 1];
            let stop = match t {
                Tok::Punct(_, c) => ",;:()—–-\"“”‘’«».!?".contains(*c),
                Tok::Word(..) => in_list(SUBJECT_STOPS, self.word(t)),
            };
            if stop {
                break;
            }
            st -= 1;
        }
        if st == end_tok {
            return None;
        }
        let mut start = toks[st].start();
        // A recognised name is one unit even when it holds a stop word
        // ("Institute for Ports and Harbour Studies").
        let seg_end = toks[end_tok - 1].end();
        if let Some(n) = self
            .speakers_starting_in(floor..start)
            .iter()
            .map(|&i| &self.names[i].range)
            .find(|r| r.end == seg_end && r.start < start && r.start >= floor)
        {
            start = n.start;
        }
        // "Name, a marine ecologist, who said": the name before the clause.
        let seg_words: Vec<&str> = toks[st..end_tok]
            .iter()
            .filter_map(|t| t.word(self.text))
            .collect();
        if let [rel] = seg_words[..] {
            let person = rel.eq_ignore_ascii_case("who");
            if person || rel.eq_ignore_ascii_case("which") {
                let ni = self
                    .speakers_starting_in(floor..start)
                    .iter()
                    .rev()
                    .copied()
                    .find(|&ni| {
                        let n = &self.names[ni];
                        n.range.end <= start
                            && n.range.start >= floor
                            && (n.kind == EntityKind::Person) == person
                            && !self.in_quote(n.range.start)
                    })?;
                return Some((Found::Name(ni), start));
            }
        }
        let found = self.classify(start, toks[end_tok - 1].end())?;
        Some((found, start))
    }

    /// The speaker phrase after a verb ending at `verb_end` ("said the
    /// officer, who…"), up to `limit`.
    fn phrase_after(&self, verb_end: usize, limit: usize) -> Option<(Found, usize)> {
        let toks = tokens(self.text, verb_end..limit);
        let mut end = None;
        let mut n = 0;
        for (ti, t) in toks.iter().enumerate() {
            match t {
                Tok::Punct(..) => break,
                Tok::Word(..) => {
                    let w = self.word(t);
                    let calendar = starts_uppercase(w)
                        && lexicon::is_non_name(w)
                        && !in_list(DETERMINERS, w)
                        && !w.eq_ignore_ascii_case("an")
                        && !w.eq_ignore_ascii_case("a");
                    if (n > 0 && in_list(PHRASE_STOPS, w))
                        || (n == 0 && in_list(PHRASE_STOPS, w) && !in_list(DETERMINERS, w))
                        || calendar
                        || verb_at(self.text, &toks, ti).is_some()
                    {
                        break;
                    }
                    n += 1;
                    if n > 12 {
                        return None;
                    }
                    end = Some(t.end());
                }
            }
        }
        let end = end?;
        let start = toks.first()?.start();
        Some((self.classify(start, end)?, end))
    }

    /// A tag right after a quote: `"…," said X` or `"…," X said`.
    fn after_tag(&self, start: usize, limit: usize) -> Option<(Found, Range<usize>)> {
        let toks = tokens(self.text, start..limit);
        let mut i = 0;
        while i < toks.len() && toks[i].is_punct(",—–-:") {
            i += 1;
        }
        let first = toks.get(i)?;
        if !matches!(first, Tok::Word(..)) {
            return None;
        }
        let w = self.word(first);
        if verb_at(self.text, &toks, i) == Some(VerbForm::Finite) && !in_list(TELL_VERBS, w) {
            let (found, _) = self.phrase_after(first.end(), limit)?;
            return Some((found, first.start()..first.end()));
        }
        for (ti, t) in toks.iter().enumerate().skip(i).take(40) {
            if t.is_punct(".!?;") {
                return None;
            }
            if verb_at(self.text, &toks, ti) == Some(VerbForm::Finite) {
                let (found, s) = self.subject_before(t.start(), first.start())?;
                return (s == first.start()).then_some((found, t.start()..t.end()));
            }
        }
        None
    }

    /// A tag before a quote in its sentence: `X said "…"`, `X told Y that
    /// … "…"`, `…, adding that "…"`.
    fn before_tag(
        &self,
        floor: usize,
        sentence_start: usize,
        open: usize,
    ) -> Option<(Found, Range<usize>)> {
        let toks = tokens(self.text, floor..open);
        for (ti, t) in toks.iter().enumerate().rev() {
            let Some(form) = verb_at(self.text, &toks, ti) else {
                continue;
            };
            // A participle ("…, saying") hangs on the sentence's subject,
            // never on the noun just before it ("the partners saying").
            // "a plan called “…”" names a thing rather than quoting anyone.
            let naming = self.word(t).to_lowercase().starts_with("call") && ti + 1 == toks.len();
            if naming {
                continue;
            }
            if form == VerbForm::Finite {
                if let Some((found, _)) = self.subject_before(t.start(), floor) {
                    return Some((found, t.start()..t.end()));
                }
                // "I say “…”": the speaker is not in the text; verbs further
                // back belong to other clauses.
                let subject = toks[..ti]
                    .iter()
                    .rev()
                    .find_map(|x| x.word(self.text).filter(|w| !is_filler(w)));
                if subject.is_some_and(|w| in_list(OTHER_PRONOUNS, w)) {
                    return None;
                }
            } else if let Some(ni) = self.sentence_subject(sentence_start, t.start()) {
                return Some((Found::Name(ni), t.start()..t.end()));
            }
        }
        None
    }

    /// The first speaker-kind name of a sentence before `limit`, outside
    /// quotes: the subject a participle ("saying") hangs on.
    fn sentence_subject(&self, start: usize, limit: usize) -> Option<usize> {
        let cands: Vec<usize> = self
            .speakers
            .iter()
            .copied()
            .filter(|&ni| {
                let r = &self.names[ni].range;
                r.start >= start && r.end <= limit && !self.in_quote(r.start)
            })
            .collect();
        // The subject is not the object of a preposition ("after the Gazette
        // report"), so skip names that follow one.
        cands
            .iter()
            .copied()
            .find(|&ni| {
                !self
                    .word_before(self.names[ni].range.start)
                    .is_some_and(|w| in_list(PREPOSITIONS, w))
            })
            .or_else(|| cands.first().copied())
    }

    /// The word directly before `pos`, if a word (not punctuation) is there.
    fn word_before(&self, pos: usize) -> Option<&str> {
        let mut from = pos.saturating_sub(48);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        let toks = tokens(self.text, from..pos);
        toks.last().and_then(|t| t.word(self.text))
    }

    /// "according to X" anywhere in the sentence outside quotes.
    fn according_to(&self, sentence: &Range<usize>) -> Option<(Found, Range<usize>)> {
        let toks = tokens(self.text, sentence.clone());
        for w in toks.windows(2) {
            if self.word(&w[0]).eq_ignore_ascii_case("according")
                && self.word(&w[1]).eq_ignore_ascii_case("to")
                && !self.in_quote(w[0].start())
            {
                let limit = self
                    .quotes
                    .iter()
                    .map(|q| q.open.start)
                    .filter(|&s| s > w[1].end())
                    .min()
                    .unwrap_or(sentence.end)
                    .min(sentence.end);
                if let Some((f, _)) = self.phrase_after(w[1].end(), limit) {
                    return Some((f, w[0].start()..w[1].end()));
                }
            }
        }
        None
    }

    /// A tag closing the whole sentence: `…, says the Gazette.` or
    /// `…, Name noted on Monday.`; it covers every quote before it.
    fn final_tag(&self, from: usize, sentence_end: usize) -> Option<(Found, Range<usize>)> {
        let toks = tokens(self.text, from..sentence_end);
        let clause_start = toks
            .iter()
            .rposition(|t| t.is_punct(",;:—–"))
            .map_or(0, |i| i + 1);
        let clause = &toks[clause_start..];
        let first = clause.first()?;
        let w = self.word(first);
        let only_end_punct = |after: usize| {
            clause
                .iter()
                .all(|t| t.start() < after || t.is_punct(".!?)"))
        };
        if verb_at(self.text, clause, 0) == Some(VerbForm::Finite) && !in_list(TELL_VERBS, w) {
            let (found, end) = self.phrase_after(first.end(), sentence_end)?;
            return only_end_punct(end).then_some((found, first.start()..first.end()));
        }
        let vi =
            (0..clause.len()).find(|&i| verb_at(self.text, clause, i) == Some(VerbForm::Finite))?;
        let verb = &clause[vi];
        let (found, s) = self.subject_before(verb.start(), first.start())?;
        if s != first.start() {
            return None;
        }
        let rest: Vec<&str> = clause[vi + 1..]
            .iter()
            .filter_map(|t| t.word(self.text))
            .collect();
        let tail_ok = rest.is_empty()
            || (rest.len() <= 5 && (in_list(PHRASE_STOPS, rest[0]) || starts_uppercase(rest[0])));
        tail_ok.then_some((found, verb.start()..verb.end()))
    }

    /// The person a pronoun at `pos` in quote `qi` stands for.
    fn resolve_pronoun(
        &self,
        qi: usize,
        pos: usize,
        verb: &str,
        done: &[Option<SpeakerCue>],
    ) -> Option<SpeakerCue> {
        let para = self.quotes[qi].para;
        let prev_speaker = (self.quotes_of(para).start.min(qi)..qi)
            .rev()
            .filter(|&j| self.quotes[j].para == para)
            .find_map(|j| done.get(j).cloned().flatten());
        let pr = self.paras.get(para)?.clone();
        let nearest = self
            .speakers_starting_in(pr.start..pos)
            .iter()
            .rev()
            .copied()
            .find(|&ni| {
                let n = &self.names[ni];
                n.kind == EntityKind::Person
                    && n.range.end <= pos
                    && n.range.start >= pr.start
                    && !self.in_quote(n.range.start)
            })
            .map(SpeakerCue::Name);
        let here = if in_list(CONTINUATION_VERBS, verb) {
            prev_speaker.or(nearest)
        } else {
            nearest.or(prev_speaker)
        };
        if here.is_some() {
            return here;
        }
        // Earlier paragraphs, latest sentence first: a quote's speaker there,
        // else the first person the sentence names (its likely subject).
        let mut seen = 0;
        for p in (0..para).rev() {
            let sents: Vec<&(Range<usize>, usize, bool)> = self.sents[self.sents_of(p)]
                .iter()
                .filter(|s| s.1 == p && !s.2)
                .collect();
            if sents.is_empty() {
                continue;
            }
            seen += 1;
            if seen > 6 {
                break;
            }
            let of_p = self.quotes_of(p);
            for s in sents.iter().rev() {
                let quoted = (of_p.start.min(qi)..qi.min(of_p.end))
                    .rev()
                    .filter(|&j| {
                        self.quotes[j].para == p
                            && self.quotes[j].inner.start < s.0.end
                            && self.quotes[j].inner.end > s.0.start
                    })
                    .find_map(|j| done.get(j).cloned().flatten());
                if quoted.is_some() {
                    return quoted;
                }
                let first = self
                    .speakers_starting_in(s.0.clone())
                    .iter()
                    .copied()
                    .find(|&ni| {
                        let n = &self.names[ni];
                        n.kind == EntityKind::Person
                            && n.range.start >= s.0.start
                            && n.range.end <= s.0.end
                            && !self.in_quote(n.range.start)
                    });
                if let Some(ni) = first {
                    return Some(SpeakerCue::Name(ni));
                }
            }
        }
        None
    }

    fn to_cue(
        &self,
        qi: usize,
        found: Found,
        verb: &str,
        done: &[Option<SpeakerCue>],
    ) -> Option<SpeakerCue> {
        match found {
            Found::Name(i) => Some(SpeakerCue::Name(i)),
            Found::Desc(r) => Some(SpeakerCue::Descriptive(r)),
            Found::Pronoun(pos) => self.resolve_pronoun(qi, pos, verb, done),
        }
    }

    /// For a quote whose closing mark is missing, a speech tag at the end of
    /// its paragraph ("…harmless said port officials.") is the
    /// writer's, not the speaker's: cut it off and use it.
    fn split_unclosed(&self, q: &Marked) -> Option<(Range<usize>, Found, String)> {
        let toks = tokens(self.text, q.inner.clone());
        let end_words = |from: usize| toks[from..].iter().all(|t| t.is_punct(".!?"));
        for (vi, t) in toks.iter().enumerate().rev().take(8) {
            let w = self.word(t);
            if verb_at(self.text, &toks, vi) != Some(VerbForm::Finite) {
                continue;
            }
            // "…harmless said port officials."
            if !in_list(TELL_VERBS, w) && vi > 0 {
                if let Some((found, end)) = self.phrase_after(t.end(), q.inner.end) {
                    let after = toks
                        .iter()
                        .position(|x| x.start() >= end)
                        .unwrap_or(toks.len());
                    if end_words(after) && !matches!(found, Found::Pronoun(_)) {
                        let quote = trim_range(self.text, q.inner.start..t.start());
                        return Some((quote, found, w.to_string()));
                    }
                }
            }
            // "…harmless, port officials said."
            if end_words(vi + 1) {
                let comma = toks[..vi].iter().rposition(|x| x.is_punct(","))?;
                let (found, s) = self.subject_before(t.start(), toks[comma].end())?;
                if s == toks.get(comma + 1)?.start() && !matches!(found, Found::Pronoun(_)) {
                    let quote = trim_range(self.text, q.inner.start..toks[comma].start());
                    return Some((quote, found, w.to_string()));
                }
            }
            break;
        }
        None
    }
}

/// Paragraphs when the caller has none: non-blank lines.
fn line_paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' || c == '\r' {
            let r = trim_range(text, start..i);
            if !r.is_empty() {
                out.push(r);
            }
            start = i + 1;
        }
    }
    let r = trim_range(text, start..text.len());
    if !r.is_empty() {
        out.push(r);
    }
    out
}

/// Find quotations in `text` with their speakers.
///
/// `paragraphs` and `sentences` come from the article reader, `names` from
/// the name recognizer; the returned speakers point into `names`.
///
/// ```
/// use dossier::corpus::model::{EntityKind, Sentence};
/// use dossier::corpus::names::NameSpan;
/// use dossier::corpus::quotes::{find_quotes, SpeakerCue};
/// let text = "“The nets are empty,” said Anna Kowalczyk.";
/// let at = text.find("Anna").unwrap();
/// let names = vec![NameSpan { range: at..text.len() - 1, kind: EntityKind::Person, title: None, cued: true }];
/// let sentences = vec![Sentence::new(0..text.len(), 0, false)];
/// let quotes = find_quotes(text, &[0..text.len()], &sentences, &names);
/// assert_eq!(&text[quotes[0].range.clone()], "The nets are empty,");
/// assert_eq!(quotes[0].speaker, Some(SpeakerCue::Name(0)));
/// ```
pub fn find_quotes(
    text: &str,
    paragraphs: &[Range<usize>],
    sentences: &[Sentence],
    names: &[super::names::NameSpan],
) -> Vec<RawQuote> {
    let mut paras: Vec<Range<usize>> = paragraphs
        .iter()
        .filter(|p| {
            p.start <= p.end
                && p.end <= text.len()
                && text.is_char_boundary(p.start)
                && text.is_char_boundary(p.end)
        })
        .cloned()
        .collect();
    if paras.is_empty() {
        paras = line_paragraphs(text);
    }
    paras.sort_by_key(|p| p.start);
    let para_of = |pos: usize| {
        paras
            .partition_point(|p| p.end <= pos)
            .min(paras.len().saturating_sub(1))
    };
    let mut sents: Vec<(Range<usize>, usize, bool)> = sentences
        .iter()
        .filter(|s| {
            s.end() <= text.len()
                && text.is_char_boundary(s.start())
                && text.is_char_boundary(s.end())
        })
        .map(|s| (s.range(), para_of(s.start()), s.boilerplate()))
        .collect();
    if sents.is_empty() {
        sents = paras
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), i, false))
            .collect();
    }
    sents.sort_by_key(|s| s.0.start);

    // Pair the marks: double quotes first, then single quotes in the gaps.
    let mut quotes: Vec<Marked> = Vec::new();
    for (p, para) in paras.iter().enumerate() {
        let doubles = double_quotes(text, para, p);
        let mut gap_start = para.start;
        let mut singles = Vec::new();
        for d in &doubles {
            single_quotes(text, gap_start..d.open.start, p, &mut singles);
            gap_start = d.close.as_ref().map_or(d.inner.end, |c| c.end);
        }
        single_quotes(text, gap_start..para.end, p, &mut singles);
        let mut all: Vec<Marked> = doubles.into_iter().chain(singles).collect();
        all.sort_by_key(|m| m.open.start);
        quotes.extend(all);
    }

    let mut speakers: Vec<usize> = (0..names.len())
        .filter(|&i| {
            let r = &names[i].range;
            speaker_kind(names[i].kind) && r.start < r.end && r.end <= text.len()
        })
        .collect();
    speakers.sort_by_key(|&i| (names[i].range.start, names[i].range.end));
    let mut ctx = Ctx {
        text,
        paras,
        sents,
        names,
        speakers,
        quotes: Vec::new(),
        closes_by: None,
        by_para: false,
    };

    // Unclosed quotes: cut off a trailing speech tag, note continuations.
    let mut presets: Vec<Option<(Found, String)>> = vec![None; quotes.len()];
    let mut continues = vec![false; quotes.len()];
    ctx.set_quotes(quotes.clone());
    for (qi, q) in quotes.iter_mut().enumerate() {
        if q.close.is_some() {
            continue;
        }
        let para_end = ctx.paras[q.para].end;
        let next_opens = ctx.paras.get(q.para + 1).is_some_and(|np| {
            text.get(np.clone())
                .and_then(|s| s.trim_start().chars().next())
                .is_some_and(|c| c == '"' || is_double_open(c))
        });
        if q.inner.end == para_end && next_opens {
            continues[qi] = true;
        } else if let Some((inner, found, verb)) = ctx.split_unclosed(q) {
            q.inner = inner;
            presets[qi] = Some((found, verb));
        }
    }
    for q in quotes.iter_mut() {
        q.inner = trim_range(text, q.inner.clone());
    }
    ctx.set_quotes(quotes);
    let n = ctx.quotes.len();

    let mut done: Vec<Option<SpeakerCue>> = vec![None; n];
    let mut sentence_of: Vec<Range<usize>> = Vec::with_capacity(n);
    let mut opens_sentence = vec![false; n];
    for qi in 0..n {
        let q = ctx.quotes[qi].clone();
        let close_end = q.close.as_ref().map_or(q.inner.end, |c| c.end);
        let para = ctx.paras[q.para].clone();
        let si = ctx.sentence_at(q.open.start);
        let sj = ctx.sentence_at(close_end.saturating_sub(1).max(q.open.start));
        let (mut sentence, s_first, s_last) = match (si, sj) {
            (Some(a), Some(b)) if ctx.sents[a].0.start <= q.open.end => (
                ctx.sents[a].0.start..ctx.sents[b].0.end.max(close_end),
                Some(a),
                Some(b),
            ),
            _ => (para.clone(), None, None),
        };
        // Never read past the paragraph or into a neighbouring quote.
        let same_para = ctx.quotes_of(q.para);
        let prev_close = ctx.quotes[same_para.start.min(qi)..qi]
            .iter()
            .filter(|p| p.para == q.para)
            .map(|p| p.close.as_ref().map_or(p.inner.end, |c| c.end))
            .max();
        let next_open = ctx.quotes[qi + 1..same_para.end.max(qi + 1)]
            .iter()
            .filter(|p| p.para == q.para)
            .map(|p| p.open.start)
            .min();
        let floor = sentence.start.max(prev_close.unwrap_or(0)).max(para.start);
        let limit = sentence
            .end
            .min(next_open.unwrap_or(usize::MAX))
            .min(para.end);
        opens_sentence[qi] = tokens(text, floor.min(q.open.start)..q.open.start)
            .iter()
            .all(|t| matches!(t, Tok::Punct(..)));

        let mut result: Option<(Found, String)> = presets[qi].take();
        if result.is_none() && close_end <= limit {
            result = ctx
                .after_tag(close_end, limit)
                .map(|(f, v)| (f, text[v].to_string()));
        }
        if result.is_none() {
            result = ctx
                .before_tag(floor.min(q.open.start), sentence.start, q.open.start)
                .map(|(f, v)| (f, text[v].to_string()));
        }
        if result.is_none() {
            result = ctx
                .according_to(&sentence)
                .map(|(f, v)| (f, text[v].to_string()));
        }
        if result.is_none() && close_end <= sentence.end {
            // Only the stretch after the sentence's last quote can be a tag.
            let last_close = ctx.quotes[same_para.clone()]
                .iter()
                .filter(|p| p.para == q.para && p.open.start < sentence.end)
                .map(|p| p.close.as_ref().map_or(p.inner.end, |c| c.end))
                .max()
                .unwrap_or(close_end)
                .max(close_end);
            if last_close < sentence.end {
                result = ctx
                    .final_tag(last_close, sentence.end)
                    .map(|(f, v)| (f, text[v].to_string()));
            }
        }
        if result.is_none() && opens_sentence[qi] {
            // A tag standing as the next sentence: `“…with them.” he added.`
            let after_empty = tokens(text, close_end..limit)
                .iter()
                .all(|t| matches!(t, Tok::Punct(..)));
            if let Some(next) = s_last
                .map(|b| b + 1)
                .filter(|&b| b < ctx.sents.len() && after_empty)
            {
                let ns = ctx.sents[next].0.clone();
                let no_quote = !ctx.quote_opens_in(&ns);
                if ctx.sents[next].1 == q.para && no_quote {
                    if let Some((f, v)) = ctx.final_tag(ns.start, ns.end) {
                        result = Some((f, text[v].to_string()));
                        sentence.end = ns.end;
                    }
                }
            }
            // A lead-in sentence ending in a colon: `Smith said: “…”`.
            if result.is_none() {
                if let Some(prev) = s_first.and_then(|a| a.checked_sub(1)) {
                    let ps = ctx.sents[prev].0.clone();
                    let colon = text
                        .get(ps.clone())
                        .map(|s| s.trim_end_matches(|c: char| c.is_whitespace() || c == '.'))
                        .is_some_and(|s| s.ends_with(':'));
                    if colon && ctx.sents[prev].1 == q.para {
                        result = ctx
                            .before_tag(ps.start, ps.start, ps.end)
                            .map(|(f, v)| (f, text[v].to_string()));
                    }
                }
            }
        }
        done[qi] = result.and_then(|(f, verb)| ctx.to_cue(qi, f, &verb, &done));
        sentence_of.push(sentence);
    }

    // Untagged quotes share a tag with another quote of the same sentence,
    // or continue the previous quote of the paragraph when they open a
    // sentence of their own.
    for qi in 0..n {
        if done[qi].is_some() {
            continue;
        }
        let s = &sentence_of[qi];
        let q = &ctx.quotes[qi];
        let sibling = ctx
            .quotes_of(q.para)
            .filter(|&j| j != qi && done[j].is_some() && ctx.quotes[j].para == q.para)
            .filter(|&j| sentence_of[j].start < s.end && s.start < sentence_of[j].end)
            .min_by_key(|&j| ctx.quotes[j].open.start.abs_diff(q.open.start));
        if let Some(j) = sibling {
            done[qi] = done[j].clone();
        } else if opens_sentence[qi] {
            let prev = (ctx.quotes_of(q.para).start.min(qi)..qi)
                .rev()
                .find(|&j| ctx.quotes[j].para == q.para);
            if let Some(j) = prev {
                done[qi] = done[j].clone();
            }
        }
    }
    // A partial quote inside reported speech ("… were “irritating,” the
    // minister had warned" / "Ann Lee noted …") belongs to the one person
    // in its sentence who says something there.
    for qi in 0..n {
        if done[qi].is_some() || opens_sentence[qi] {
            continue;
        }
        let q = &ctx.quotes[qi];
        if text[q.inner.clone()].split_whitespace().count() > 8 {
            continue;
        }
        let s = &sentence_of[qi];
        let sayers: Vec<usize> = ctx
            .speakers_starting_in(s.clone())
            .iter()
            .copied()
            .filter(|&i| {
                let r = &names[i].range;
                names[i].kind == EntityKind::Person
                    && s.start <= r.start
                    && r.end <= s.end
                    && !(q.inner.start <= r.start && r.end <= q.inner.end)
                    && says_something_after(text, r.end, s.end)
            })
            .collect();
        if let [only] = sayers.as_slice() {
            done[qi] = Some(SpeakerCue::Name(*only));
        }
    }
    // Quotes running over several paragraphs share one speaker.
    for qi in 0..n {
        if !continues[qi] {
            continue;
        }
        let next_para = ctx.quotes_of(ctx.quotes[qi].para + 1);
        let next = (next_para.start.max(qi + 1)..next_para.end.min(n))
            .find(|&j| ctx.quotes[j].para == ctx.quotes[qi].para + 1);
        if let Some(j) = next {
            if done[j].is_none() {
                done[j] = done[qi].clone();
            }
        }
    }
    for qi in (0..n).rev() {
        if !continues[qi] || done[qi].is_some() {
            continue;
        }
        let next_para = ctx.quotes_of(ctx.quotes[qi].para + 1);
        let next = (next_para.start.max(qi + 1)..next_para.end.min(n))
            .find(|&j| ctx.quotes[j].para == ctx.quotes[qi].para + 1);
        if let Some(j) = next {
            done[qi] = done[j].clone();
        }
    }

    ctx.quotes
        .iter()
        .zip(done)
        .zip(sentence_of)
        .filter(|((q, _), _)| !q.inner.is_empty())
        .map(|((q, speaker), sentence)| RawQuote {
            range: q.inner.clone(),
            speaker,
            sentence,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NameSpans for every occurrence of the given names (longest first, no
    /// overlaps), as the recognizer would give them.
    fn spans(text: &str, given: &[(&str, EntityKind)]) -> Vec<NameSpan> {
        let mut sorted: Vec<&(&str, EntityKind)> = given.iter().collect();
        sorted.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        let mut out: Vec<NameSpan> = Vec::new();
        for (name, kind) in sorted {
            for (pos, _) in text.match_indices(name) {
                let r = pos..pos + name.len();
                if out
                    .iter()
                    .any(|n| n.range.start < r.end && r.start < n.range.end)
                {
                    continue;
                }
                out.push(NameSpan {
                    range: r,
                    kind: *kind,
                    title: None,
                    cued: true,
                });
            }
        }
        out.sort_by_key(|n| n.range.start);
        out
    }

    /// A naive splitter: a sentence ends after . ! ? (and any closing
    /// quotes) followed by a space and a capital or an opening quote.
    fn split(text: &str) -> (Vec<Range<usize>>, Vec<Sentence>) {
        let paras = line_paragraphs(text);
        let mut sents = Vec::new();
        for (p, para) in paras.iter().enumerate() {
            let s = &text[para.clone()];
            let mut start = 0;
            let chars: Vec<(usize, char)> = s.char_indices().collect();
            for (k, &(i, c)) in chars.iter().enumerate() {
                if !matches!(c, '.' | '!' | '?') {
                    continue;
                }
                let mut m = k + 1;
                while m < chars.len() && matches!(chars[m].1, '”' | '"' | '’') {
                    m += 1;
                }
                if m < chars.len() && chars[m].1 == ' ' {
                    let next = chars.get(m + 1).map(|x| x.1);
                    if next.is_some_and(|n| n.is_uppercase() || n == '“' || n == '"') {
                        let end = chars[m].0;
                        sents.push(Sentence::new(
                            para.start + start..para.start + end,
                            p,
                            false,
                        ));
                        start = end + 1;
                    }
                }
                let _ = i;
            }
            sents.push(Sentence::new(para.start + start..para.end, p, false));
        }
        (paras, sents)
    }

    /// (quote, speaker as written) for every quote found.
    fn run(text: &str, given: &[(&str, EntityKind)]) -> Vec<(String, Option<String>)> {
        let names = spans(text, given);
        let (paras, sents) = split(text);
        find_quotes(text, &paras, &sents, &names)
            .into_iter()
            .map(|q| {
                let speaker = q.speaker.map(|s| match s {
                    SpeakerCue::Name(i) => text[names[i].range.clone()].to_string(),
                    SpeakerCue::Descriptive(r) => format!("~{}", &text[r]),
                });
                (text[q.range].to_string(), speaker)
            })
            .collect()
    }

    fn q(quote: &str, speaker: Option<&str>) -> (String, Option<String>) {
        (quote.to_string(), speaker.map(str::to_string))
    }

    use EntityKind::{Agency, Outlet, Person, Place};

    #[test]
    fn tags_after_the_quote_in_both_orders() {
        let text = "“The quota stays,” said Anna Kowalczyk.\n\"We will appeal,\" Piotr Zieliński said on Monday.\n“Catches fell,” the Ministry of Fisheries said.";
        let got = run(
            text,
            &[
                ("Anna Kowalczyk", Person),
                ("Piotr Zieliński", Person),
                ("Ministry of Fisheries", Agency),
                ("Monday", Place),
            ],
        );
        assert_eq!(
            got,
            vec![
                q("The quota stays,", Some("Anna Kowalczyk")),
                q("We will appeal,", Some("Piotr Zieliński")),
                q("Catches fell,", Some("Ministry of Fisheries")),
            ]
        );
    }

    #[test]
    fn tags_before_the_quote() {
        let text = "Director Anna Kowalczyk said “the nets are empty”.\nMayor Jonas Berg told the Harbour Gazette that the fleet “will survive the winter”.\nSenator Ruth Oyelaran declared, “We are not done.”\nAccording to Sven Dahl, the plan was “dead on arrival”.";
        let got = run(
            text,
            &[
                ("Anna Kowalczyk", Person),
                ("Jonas Berg", Person),
                ("Harbour Gazette", Outlet),
                ("Ruth Oyelaran", Person),
                ("Sven Dahl", Person),
            ],
        );
        assert_eq!(
            got,
            vec![
                q("the nets are empty", Some("Anna Kowalczyk")),
                q("will survive the winter", Some("Jonas Berg")),
                q("We are not done.", Some("Ruth Oyelaran")),
                q("dead on arrival", Some("Sven Dahl")),
            ]
        );
    }

    #[test]
    fn the_speaker_is_not_the_outlet_after_told() {
        let text = "“Prices doubled,” Léa Moreau, an analyst at the Fisheries Institute under Jan Novak, told the Harbour Gazette. “Nobody saw it coming.”";
        let got = run(
            text,
            &[
                ("Léa Moreau", Person),
                ("Fisheries Institute", Agency),
                ("Jan Novak", Person),
                ("Harbour Gazette", Outlet),
            ],
        );
        assert_eq!(
            got,
            vec![
                q("Prices doubled,", Some("Léa Moreau")),
                q("Nobody saw it coming.", Some("Léa Moreau"))
            ]
        );
    }

    #[test]
    fn nested_and_multi_sentence_quotes_report_the_outer_one() {
        let text = "“He told us ‘wait and see’ — and we waited. Then we waited again,” said Maria Lindqvist. \"They called it 'a pause', nothing more,\" she added.";
        let got = run(text, &[("Maria Lindqvist", Person)]);
        assert_eq!(
            got,
            vec![
                q(
                    "He told us ‘wait and see’ — and we waited. Then we waited again,",
                    Some("Maria Lindqvist")
                ),
                q(
                    "They called it 'a pause', nothing more,",
                    Some("Maria Lindqvist")
                ),
            ]
        );
    }

    #[test]
    fn partial_quotes_inside_a_sentence() {
        let text = "Harbour master Olu Adebayo called the storm “a once-in-a-century event” and said repairs would be “slow but certain”.";
        let got = run(text, &[("Olu Adebayo", Person)]);
        assert_eq!(
            got,
            vec![
                q("a once-in-a-century event", Some("Olu Adebayo")),
                q("slow but certain", Some("Olu Adebayo"))
            ]
        );
    }

    #[test]
    fn apostrophes_are_not_quotes_but_headline_single_quotes_are() {
        let text = "Minister says fleet is 'safe for now'\nThe fleet's owners' union didn't comment on the skippers' plan.\nKowalczyk’s deputy said the ‘80s were rock ‘n’ roll years for the town’s boats.";
        let got = run(text, &[("Kowalczyk", Person)]);
        assert_eq!(got, vec![q("safe for now", None)]);
    }

    #[test]
    fn single_quotes_ending_in_s_before_a_speaker() {
        let text =
            "'We need more boats' the mayor said.\n'It was the skippers' idea', Jonas Berg said.";
        let got = run(text, &[("Jonas Berg", Person)]);
        assert_eq!(
            got,
            vec![
                q("We need more boats", Some("~the mayor")),
                q("It was the skippers' idea", Some("Jonas Berg"))
            ]
        );
    }

    #[test]
    fn missing_closing_mark_ends_at_the_paragraph() {
        let text = "Inspector Nadia Rémond said: “The cargo was never checked. Nobody asked.\nThe port denied it.\nThe practice was “routine and harmless said port officials.";
        let got = run(text, &[("Nadia Rémond", Person)]);
        assert_eq!(
            got,
            vec![
                q(
                    "The cargo was never checked. Nobody asked.",
                    Some("Nadia Rémond")
                ),
                q("routine and harmless", Some("~port officials")),
            ]
        );
    }

    #[test]
    fn multi_paragraph_quote_keeps_its_speaker() {
        let text = "Captain Ingrid Solberg said: “We sailed at dawn. The sea was calm.\n“By noon the engine had failed.\n“We drifted for two days,” she said.";
        let got = run(text, &[("Ingrid Solberg", Person)]);
        assert_eq!(
            got,
            vec![
                q(
                    "We sailed at dawn. The sea was calm.",
                    Some("Ingrid Solberg")
                ),
                q("By noon the engine had failed.", Some("Ingrid Solberg")),
                q("We drifted for two days,", Some("Ingrid Solberg")),
            ]
        );
        // Tag only in the last paragraph: it reaches back.
        let text = "“We sailed at dawn.\n“We drifted for two days,” said Ingrid Solberg.";
        let got = run(text, &[("Ingrid Solberg", Person)]);
        assert_eq!(got[0], q("We sailed at dawn.", Some("Ingrid Solberg")));
    }

    #[test]
    fn pronouns_resolve_to_the_nearest_person() {
        let text = "Fisheries Director Anna Kowalczyk met the mayor on Monday.\nShe said the new quota was “a fair deal”.\n“We will review it in spring,” she added.\nHer deputy, Tomás Ruiz, disagreed. He said it was “a disaster”.";
        let got = run(
            text,
            &[
                ("Anna Kowalczyk", Person),
                ("Tomás Ruiz", Person),
                ("Monday", Place),
            ],
        );
        assert_eq!(
            got,
            vec![
                q("a fair deal", Some("Anna Kowalczyk")),
                q("We will review it in spring,", Some("Anna Kowalczyk")),
                q("a disaster", Some("Tomás Ruiz")),
            ]
        );
    }

    #[test]
    fn pronouns_skip_names_inside_quotes() {
        let text = "“Ask Piotr Zieliński about the boats,” said the harbour official.\n“We are worried. Zieliński wants it all.” he added.";
        let got = run(text, &[("Piotr Zieliński", Person), ("Zieliński", Person)]);
        assert_eq!(
            got,
            vec![
                q(
                    "Ask Piotr Zieliński about the boats,",
                    Some("~the harbour official")
                ),
                q(
                    "We are worried. Zieliński wants it all.",
                    Some("~the harbour official")
                ),
            ]
        );
    }

    #[test]
    fn a_quote_continues_the_previous_speaker_in_its_paragraph() {
        let text = "“Quotas work,” Ruth Oyelaran told reporters. “They always have.” She smiled.";
        let got = run(text, &[("Ruth Oyelaran", Person)]);
        assert_eq!(
            got,
            vec![
                q("Quotas work,", Some("Ruth Oyelaran")),
                q("They always have.", Some("Ruth Oyelaran"))
            ]
        );
    }

    #[test]
    fn unnamed_speakers_are_kept_as_written() {
        let text = "“It is over,” said an unnamed Baltic shipping official.\n“We were not told,” said the skipper, who asked not to be named.\nThe fleet is “in trouble,” one former ministry adviser told the Harbour Gazette.\nTwo senior port officials told the Harbour Gazette that the plan “cannot work”.\n“Fishing must stop,” the statement says.\nRepairs will be “costly” according to several engineers who inspected the hull.";
        let got = run(text, &[("Harbour Gazette", Outlet), ("Baltic", Place)]);
        assert_eq!(
            got,
            vec![
                q("It is over,", Some("~an unnamed Baltic shipping official")),
                q("We were not told,", Some("~the skipper")),
                q("in trouble,", Some("~one former ministry adviser")),
                q("cannot work", Some("~Two senior port officials")),
                q("Fishing must stop,", Some("~the statement")),
                q("costly", Some("~several engineers")),
            ]
        );
    }

    #[test]
    fn a_tag_closing_the_sentence_covers_its_quotes() {
        let text = "The deal is “a sellout” and a “betrayal of the coast”, says the Harbour Gazette.\nThe report called the catch “worrying”, Professor Ewa Nowak noted on Tuesday.";
        let got = run(text, &[("Harbour Gazette", Outlet), ("Ewa Nowak", Person)]);
        assert_eq!(
            got,
            vec![
                q("a sellout", Some("Harbour Gazette")),
                q("betrayal of the coast", Some("Harbour Gazette")),
                q("worrying", Some("Ewa Nowak")),
            ]
        );
    }

    #[test]
    fn participles_hang_on_the_sentence_subject() {
        let text = "Mayor Jonas Berg compared the plan to “a shipwreck”, saying it would “sink the town”.\nThe port authority issued a statement, adding that it was “deeply concerned”.";
        let got = run(text, &[("Jonas Berg", Person), ("port authority", Agency)]);
        assert_eq!(
            got,
            vec![
                q("a shipwreck", Some("Jonas Berg")),
                q("sink the town", Some("Jonas Berg")),
                q("deeply concerned", Some("port authority")),
            ]
        );
    }

    #[test]
    fn relative_pronouns_point_back_to_the_name() {
        let text = "The study was led by Hanna Virtanen, a marine ecologist at the Fisheries Institute, who said “the reefs recover”.\nThe Coast Guard, which confirmed “two rescues”, gave no names.";
        let got = run(
            text,
            &[
                ("Hanna Virtanen", Person),
                ("Fisheries Institute", Agency),
                ("Coast Guard", Agency),
            ],
        );
        assert_eq!(
            got,
            vec![
                q("the reefs recover", Some("Hanna Virtanen")),
                q("two rescues", Some("Coast Guard"))
            ]
        );
    }

    #[test]
    fn nouns_that_look_like_speech_verbs_are_not_tags() {
        // "report" and "text" here are nouns, "called" a naming; the report
        // itself is the (unnamed) source of its own description.
        let text = "The Gazette report described it as a “historic” catch.\nHe sent extremist text messages to “the whole fleet”.\nThe mayor unveiled a plan called “Blue Harbour”.\nAssembly speaker Marta Kowal in relaying the news to the council said, “The port is saved.”\nTo the fishermen I say, “Keep going.”";
        let got = run(text, &[("Gazette", Outlet), ("Marta Kowal", Person)]);
        assert_eq!(
            got,
            vec![
                q("historic", Some("~The Gazette report")),
                q("the whole fleet", None),
                q("Blue Harbour", None),
                q("The port is saved.", Some("Marta Kowal")),
                q("Keep going.", None),
            ]
        );
    }

    #[test]
    fn headline_quotes_and_untagged_quotes_have_no_speaker() {
        let text = "Harbour town braces for 'worst winter'\nThe storm was described as “historic” in the forecast.";
        let got = run(text, &[]);
        assert_eq!(got, vec![q("worst winter", None), q("historic", None)]);
    }

    #[test]
    fn offsets_survive_crlf_emoji_and_ʼ() {
        let text = "Zoë Łukasiewicz 🐟 said: “The catchʼs gone.”\r\n“Truly gone,” she added.\r\n";
        let names = spans(text, &[("Zoë Łukasiewicz", Person)]);
        let (paras, sents) = split(text);
        let quotes = find_quotes(text, &paras, &sents, &names);
        assert_eq!(quotes.len(), 2);
        assert_eq!(&text[quotes[0].range.clone()], "The catchʼs gone.");
        assert_eq!(&text[quotes[1].range.clone()], "Truly gone,");
        assert_eq!(quotes[0].speaker, Some(SpeakerCue::Name(0)));
        assert_eq!(quotes[1].speaker, Some(SpeakerCue::Name(0)));
        assert_eq!(
            &text[quotes[1].sentence.clone()],
            "“Truly gone,” she added."
        );
    }

    #[test]
    fn works_without_paragraphs_sentences_or_names_and_on_odd_text() {
        let text = "“Stray open\n” stray close ‘ ’ ' \" “”\n'x' \u{301}“é";
        let quotes = find_quotes(text, &[], &[], &[]);
        for q in &quotes {
            assert!(text.is_char_boundary(q.range.start) && text.is_char_boundary(q.range.end));
            assert!(!q.range.is_empty());
        }
        assert_eq!(&text[quotes[0].range.clone()], "Stray open");
        // Out-of-range inputs are ignored rather than trusted.
        let bad = vec![Sentence::new(0..999, 0, false)];
        let names = vec![NameSpan {
            range: 5..999,
            kind: Person,
            title: None,
            cued: false,
        }];
        let (a, b) = (3, 2);
        let paras = vec![0..999, a..b];
        let _ = find_quotes(text, &paras, &bad, &names);
    }
    #[test]
    fn partial_quote_in_reported_speech_goes_to_the_one_sayer() {
        let text = "Harbour Director Ann Lee had issued a warning that the delays were “intolerable.” The plan amounted to “a slow surrender” for the port, researcher Tom Nowak noted on Tuesday.";
        let names = spans(
            text,
            &[
                ("Ann Lee", EntityKind::Person),
                ("Tom Nowak", EntityKind::Person),
            ],
        );
        let (paras, sentences) = split(text);
        let quotes = find_quotes(text, &paras, &sentences, &names);
        let speaker_of = |words: &str| {
            quotes
                .iter()
                .find(|q| text[q.range.clone()].starts_with(words))
                .and_then(|q| q.speaker.clone())
        };
        assert_eq!(speaker_of("a slow surrender"), Some(SpeakerCue::Name(1)));
        assert_eq!(speaker_of("intolerable"), Some(SpeakerCue::Name(0)));
    }
}
