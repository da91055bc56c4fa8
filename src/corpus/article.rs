//! Reading an article: paragraphs, sentences, title, byline, date, outlet,
//! and which sentences are page furniture (boilerplate). Owns the sentence
//! splitter that drafts use too. The word lists it needs live beside it in
//! `abbreviations.txt` and `boilerplate.txt`; everything works in UTF-8 byte
//! offsets into the text it is given and runs in linear time.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::model::Sentence;
use crate::lexicon;

/// What reading an article's text yields.
#[derive(Debug, Clone, Default)]
pub struct ArticleParts {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub paragraphs: Vec<Range<usize>>,
    pub sentences: Vec<Sentence>,
}

/// Split `text` into paragraphs and sentences and find its metadata.
pub fn read(text: &str) -> ArticleParts {
    let paragraphs = paragraphs_in(text, 0..text.len());
    let mut sentences = Vec::new();
    let mut ranges = Vec::new();
    for (index, para) in paragraphs.iter().enumerate() {
        ranges.clear();
        sentences_in(text, para.clone(), &mut ranges);
        sentences.extend(
            ranges
                .drain(..)
                .map(|range| Sentence::new(range, index, false)),
        );
    }
    let lines: Vec<Range<usize>> = raw_lines(text, 0..text.len())
        .into_iter()
        .map(|l| trim_range(text, l))
        .collect();
    mark_boilerplate(text, &lines, &paragraphs, &mut sentences);

    // The top of the article: where titles, bylines and dates stand.
    let top: Vec<Range<usize>> = lines
        .iter()
        .filter(|l| !l.is_empty() && !is_separator(&text[(*l).clone()]))
        .take(TOP_LINES)
        .cloned()
        .collect();
    let title_index = top
        .iter()
        .position(|l| !is_furniture_line(&text[l.clone()]));
    // A Markdown heading's marks are not part of the title.
    let title = title_index.map(|i| {
        let line = &text[top[i].clone()];
        let bare = line.trim_start_matches('#');
        if bare.len() < line.len() && bare.starts_with(' ') {
            bare.trim().to_string()
        } else {
            line.to_string()
        }
    });
    let byline = find_byline(text, &top, title_index);
    let date = find_date(text, &top, title_index);
    let outlet = find_outlet(text, &lines, title.as_deref(), byline.as_deref());
    ArticleParts {
        title,
        byline,
        date,
        outlet,
        paragraphs,
        sentences,
    }
}

/// Sentence ranges of `text` (abbreviations, initials, decimals do not end
/// a sentence). Used for drafts too.
///
/// Only `range` is read; it is first cut into paragraphs with the same rules
/// as [`read`], so a sentence never runs over a blank line. A range that
/// does not fall on character boundaries is narrowed to the ones inside it.
pub fn split_sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let range = clamp_range(text, range);
    let mut out = Vec::new();
    for para in paragraphs_in(text, range) {
        sentences_in(text, para, &mut out);
    }
    out
}

/// Paragraph ranges of `text[range]`, trimmed, with the rules of [`read`].
pub fn split_paragraphs(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    paragraphs_in(text, clamp_range(text, range))
}

/// How many non-empty lines count as "the top" of an article.
const TOP_LINES: usize = 12;
/// Hard-wrapped text is wrapped at most this many characters wide.
const WRAP_WIDTH: usize = 100;
/// Longer sentences are never page furniture, whatever words they hold.
const MAX_FURNITURE_WORDS: usize = 60;
/// Prompts ("Subscribe to…") are short.
const MAX_PROMPT_WORDS: usize = 20;
/// A pitch or a teaser under a headline is short.
const MAX_TEASER_WORDS: usize = 40;

// ---------------------------------------------------------------------------
// Word lists

/// The `[section]` lists of a data file; `#` starts a comment.
fn sections(data: &'static str) -> HashMap<&'static str, Vec<&'static str>> {
    let mut map: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
    let mut current = "";
    for line in data.lines() {
        let entry = line.split('#').next().unwrap_or("").trim();
        if entry.is_empty() {
            continue;
        }
        if let Some(name) = entry.strip_prefix('[').and_then(|e| e.strip_suffix(']')) {
            current = name;
            continue;
        }
        map.entry(current).or_default().push(entry);
    }
    map
}

fn take_set(
    map: &mut HashMap<&'static str, Vec<&'static str>>,
    name: &str,
) -> HashSet<&'static str> {
    map.remove(name).unwrap_or_default().into_iter().collect()
}

struct Abbreviations {
    /// Without their final dot: "Mr", "e.g".
    never_end: HashSet<&'static str>,
    before_number: HashSet<&'static str>,
    may_end: HashSet<&'static str>,
    starters: HashSet<&'static str>,
    continuation: HashSet<&'static str>,
}

static ABBR: LazyLock<Abbreviations> = LazyLock::new(|| {
    let mut map = sections(include_str!("abbreviations.txt"));
    let strip = |set: HashSet<&'static str>| -> HashSet<&'static str> {
        set.into_iter()
            .map(|a| a.strip_suffix('.').unwrap_or(a))
            .collect()
    };
    Abbreviations {
        never_end: strip(take_set(&mut map, "never_end")),
        before_number: strip(take_set(&mut map, "before_number")),
        may_end: strip(take_set(&mut map, "may_end")),
        starters: take_set(&mut map, "starters"),
        continuation: take_set(&mut map, "continuation"),
    }
});

/// One test of a furniture pattern on a normalised sentence.
enum Test {
    Starts(String),
    Ends(String),
    Equals(String),
    Contains(String),
}

/// Tests that must all hold.
struct Pattern(Vec<Test>);

impl Pattern {
    fn parse(entry: &str) -> Pattern {
        Pattern(
            entry
                .split(" & ")
                .map(|t| {
                    let t = t.trim();
                    let (start, t) = match t.strip_prefix('^') {
                        Some(rest) => (true, rest),
                        None => (false, t),
                    };
                    let (end, t) = match t.strip_suffix('$') {
                        Some(rest) => (true, rest),
                        None => (false, t),
                    };
                    let t = t.to_lowercase();
                    match (start, end) {
                        (true, true) => Test::Equals(t),
                        (true, false) => Test::Starts(t),
                        (false, true) => Test::Ends(t),
                        (false, false) => Test::Contains(t),
                    }
                })
                .collect(),
        )
    }

    fn matches(&self, norm: &str) -> bool {
        self.0.iter().all(|t| match t {
            Test::Starts(s) => norm.starts_with(s.as_str()),
            Test::Ends(s) => norm.ends_with(s.as_str()),
            Test::Equals(s) => norm == s,
            Test::Contains(s) => norm.contains(s.as_str()),
        })
    }
}

/// Patterns filed by a byte the text must start or end with, so a sentence
/// is tried only against the few patterns that can match it.
struct PatternSet {
    patterns: Vec<Pattern>,
    /// First byte → patterns with a `^…` test starting with it.
    by_first: Vec<Vec<usize>>,
    /// Last byte → patterns (without a `^…` test) with a `…$` test ending with it.
    by_last: Vec<Vec<usize>>,
    /// Patterns with neither: tried on every text.
    always: Vec<usize>,
}

impl PatternSet {
    fn new(patterns: Vec<Pattern>) -> PatternSet {
        let mut by_first = vec![Vec::new(); 256];
        let mut by_last = vec![Vec::new(); 256];
        let mut always = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let first = p.0.iter().find_map(|t| match t {
                Test::Starts(s) | Test::Equals(s) => s.bytes().next(),
                _ => None,
            });
            let last = p.0.iter().find_map(|t| match t {
                Test::Ends(s) | Test::Equals(s) => s.bytes().next_back(),
                _ => None,
            });
            match (first, last) {
                (Some(b), _) => by_first[usize::from(b)].push(i),
                (None, Some(b)) => by_last[usize::from(b)].push(i),
                (None, None) => always.push(i),
            }
        }
        PatternSet {
            patterns,
            by_first,
            by_last,
            always,
        }
    }

    /// Whether any pattern matches the normalised text `norm`.
    fn any(&self, norm: &str) -> bool {
        let first = norm.bytes().next().map(|b| &self.by_first[usize::from(b)]);
        let last = norm
            .bytes()
            .next_back()
            .map(|b| &self.by_last[usize::from(b)]);
        first
            .into_iter()
            .chain(last)
            .chain(std::iter::once(&self.always))
            .flatten()
            .any(|&i| self.patterns[i].matches(norm))
    }
}

struct Furniture {
    plain: PatternSet,
    prompt: PatternSet,
    promo: HashSet<&'static str>,
    /// Lower case.
    kicker: Vec<String>,
    credit: Vec<&'static str>,
    /// Lower case, whole phrases.
    not_outlet: HashSet<String>,
    /// Lower case, single words.
    not_outlet_word: HashSet<String>,
    byline_label: Vec<&'static str>,
    byline_role: HashSet<&'static str>,
}

static FURNITURE: LazyLock<Furniture> = LazyLock::new(|| {
    let mut map = sections(include_str!("boilerplate.txt"));
    let mut list = |name: &str| map.remove(name).unwrap_or_default();
    let lower = |v: Vec<&'static str>| v.into_iter().map(|s| s.to_lowercase()).collect();
    Furniture {
        plain: PatternSet::new(list("plain").into_iter().map(Pattern::parse).collect()),
        prompt: PatternSet::new(list("prompt").into_iter().map(Pattern::parse).collect()),
        promo: list("promo").into_iter().collect(),
        kicker: list("kicker").into_iter().map(str::to_lowercase).collect(),
        credit: list("credit"),
        not_outlet: lower(list("not_outlet")),
        not_outlet_word: lower(list("not_outlet_word")),
        byline_label: list("byline_label"),
        byline_role: list("byline_role").into_iter().collect(),
    }
});

// ---------------------------------------------------------------------------
// Characters and lines

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Closing quotes and brackets that may follow a sentence's final mark.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '"' | '’' | '\'' | ')' | ']' | '»' | '›' | '」' | '』'
    )
}

fn is_quote_closer(c: char) -> bool {
    matches!(c, '”' | '"' | '’' | '\'' | '»' | '›')
}

/// Opening quotes and brackets that may start a sentence.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '“' | '"' | '‘' | '\'' | '«' | '‹' | '(' | '[' | '„' | '¿' | '¡'
    )
}

fn first_char(s: &str) -> Option<char> {
    s.chars().next()
}

fn last_char(s: &str) -> Option<char> {
    s.chars().next_back()
}

/// Ends with ".", "!", "?" or "…", possibly inside closing quotes.
fn ends_terminal(s: &str) -> bool {
    last_char(s.trim_end_matches(is_closer)).is_some_and(is_terminal)
}

/// Ends a sentence, or at least a quotation.
fn ends_final(s: &str) -> bool {
    ends_terminal(s) || last_char(s).is_some_and(is_quote_closer)
}

fn starts_lower(s: &str) -> bool {
    first_char(s).is_some_and(char::is_lowercase)
}

fn starts_upper(s: &str) -> bool {
    first_char(s).is_some_and(char::is_uppercase)
}

fn word_count(s: &str) -> usize {
    // Byte by byte: ASCII decides itself, other characters are decoded.
    let bytes = s.as_bytes();
    let mut count = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let space = if b < 0x80 {
            i += 1;
            is_ascii_space(b)
        } else {
            let Some(c) = s.get(i..).and_then(first_char) else {
                break;
            };
            i += c.len_utf8();
            is_space(c)
        };
        if !space && !in_word {
            count += 1;
        }
        in_word = !space;
    }
    count
}

/// [`is_space`] for an ASCII byte.
#[inline]
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// `range` cut to `text` and narrowed to character boundaries.
fn clamp_range(text: &str, range: Range<usize>) -> Range<usize> {
    let mut start = range.start.min(text.len());
    while !text.is_char_boundary(start) {
        start += 1;
    }
    // `start` is a boundary, so walking `end` back stops at it at the latest.
    let mut end = range.end.min(text.len()).max(start);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    start..end
}

fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let left = s.trim_start_matches(is_space);
    let lead = s.len() - left.len();
    let both = left.trim_end_matches(is_space);
    (r.start + lead)..(r.start + lead + both.len())
}

/// Lines of `text[range]` without their breaks; `\n`, `\r\n` and a lone
/// `\r` all end a line.
fn raw_lines(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = range.start;
    let mut i = range.start;
    while i < range.end {
        match bytes[i] {
            b'\n' => {
                out.push(start..i);
                i += 1;
                start = i;
            }
            b'\r' => {
                out.push(start..i);
                i += 1;
                if i < range.end && bytes[i] == b'\n' {
                    i += 1;
                }
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push(start..range.end);
    out
}

/// A line of dashes, bullets or stars only: it separates blocks like a
/// blank line does.
fn is_separator(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty()
        && line.len() <= 20
        && line
            .chars()
            .all(|c| matches!(c, '-' | '–' | '—' | '•' | '*' | '·' | '_' | '=' | '~' | ' '))
}

/// A line that opens a list item or a Markdown heading.
fn is_list_marker(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('-' | '*' | '•' | '–' | '—' | '·' | '+') => chars.next() == Some(' '),
        Some('#') => true,
        Some(c) if c.is_ascii_digit() => {
            let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
            line.len() - rest.len() <= 3 && (rest.starts_with(". ") || rest.starts_with(") "))
        }
        _ => false,
    }
}

/// A line that cannot be the end of a finished sentence: it ends with a
/// comma, a dash, or a word like "the".
fn ends_connector(line: &str) -> bool {
    let Some(last) = last_char(line) else {
        return false;
    };
    if matches!(last, ',' | ';' | '-' | '–' | '—' | '(' | '/' | '&') {
        return true;
    }
    let word = line.rsplit(is_space).next().unwrap_or("");
    ABBR.continuation.contains(word)
}

// ---------------------------------------------------------------------------
// Paragraphs

fn paragraphs_in(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut block: Vec<Range<usize>> = Vec::new();
    for line in raw_lines(text, range) {
        let t = trim_range(text, line);
        if t.is_empty() || is_separator(&text[t.clone()]) {
            split_block(text, &block, &mut out);
            block.clear();
        } else {
            block.push(t);
        }
    }
    split_block(text, &block, &mut out);
    out
}

/// Lines between blank lines: one paragraph if hard-wrapped, else one
/// paragraph a line, except where a line plainly goes on in the next.
fn split_block(text: &str, lines: &[Range<usize>], out: &mut Vec<Range<usize>>) {
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return;
    };
    let widths: Vec<usize> = lines
        .iter()
        .map(|l| text[l.clone()].chars().count())
        .collect();
    let max_width = widths.iter().copied().max().unwrap_or(0);
    // Hard-wrapped text has narrow lines, and most of its breaks that do
    // not follow a final mark fall plainly inside a sentence; text written
    // one paragraph a line has few such breaks.
    let mut open_breaks = 0;
    let mut inside = 0;
    for w in lines.windows(2) {
        let (prev, next) = (&text[w[0].clone()], &text[w[1].clone()]);
        if !ends_final(prev) {
            open_breaks += 1;
        }
        if wrap_evidence(prev, next) {
            inside += 1;
        }
    }
    let wrapped = max_width <= WRAP_WIDTH && inside > 0 && inside * 2 >= open_breaks;
    let mut start = first.start;
    for i in 0..lines.len() - 1 {
        let prev = &text[lines[i].clone()];
        let next = &text[lines[i + 1].clone()];
        let join = if wrapped {
            joins_wrapped(prev, next, widths[i], max_width)
        } else {
            joins_unwrapped(prev, next)
        };
        if !join {
            out.push(start..lines[i].end);
            start = lines[i + 1].start;
        }
    }
    out.push(start..last.end);
}

fn wrap_evidence(prev: &str, next: &str) -> bool {
    !ends_terminal(prev) && (starts_lower(next) || ends_connector(prev))
}

fn joins_unwrapped(prev: &str, next: &str) -> bool {
    // A short line ending in "to" is more often a link-less prompt ("Send
    // tips to") than half a sentence.
    !is_list_marker(next)
        && (starts_lower(next)
            || (!ends_final(prev) && ends_connector(prev) && word_count(prev) >= 6))
}

fn joins_wrapped(prev: &str, next: &str, width: usize, max_width: usize) -> bool {
    if is_list_marker(next) {
        return false;
    }
    if starts_lower(next) {
        return true;
    }
    if ends_final(prev) {
        // A sentence that ends well short of the wrap width ends its
        // paragraph; one that ends near it was merely wrapped.
        return width * 5 >= max_width * 4;
    }
    if ends_connector(prev) {
        return true;
    }
    // A short line without final punctuation is a heading.
    width * 5 >= max_width * 3
}

// ---------------------------------------------------------------------------
// Sentences

/// Appends the trimmed sentence ranges of one paragraph to `out`.
fn sentences_in(text: &str, para: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[para.clone()];
    let base = para.start;
    let mut push = |r: Range<usize>| {
        let t = trim_range(text, (base + r.start)..(base + r.end));
        if !t.is_empty() {
            out.push(t);
        }
    };
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < s.len() {
        // Only ".", "!", "?" and "…" (which starts with 0xE2) end a
        // sentence: skip other bytes without decoding them. These bytes
        // never occur inside a multi-byte character except as its first.
        if !matches!(bytes[i], b'.' | b'!' | b'?' | 0xE2) {
            i += 1;
            continue;
        }
        let Some(c) = first_char(&s[i..]) else { break };
        if !is_terminal(c) {
            i += c.len_utf8();
            continue;
        }
        // The final marks and any closing quotes or brackets after them.
        let mut j = i + c.len_utf8();
        let mut marks = 1;
        let mut quote_closed = false;
        while let Some(d) = first_char(&s[j..]) {
            if is_terminal(d) {
                marks += 1;
            } else if is_closer(d) {
                quote_closed |= is_quote_closer(d);
            } else {
                break;
            }
            j += d.len_utf8();
        }
        let rest = &s[j..];
        let after = rest.trim_start_matches(is_space);
        let k = j + (rest.len() - after.len());
        let Some(next) = first_char(after) else {
            break;
        };
        let opens = next.is_uppercase() || next.is_ascii_digit() || is_opener(next);
        let splits = k > j
            && opens
            && !(c == '.' && marks == 1 && !dot_ends_sentence(&s[start..i], after))
            && !(quote_closed && speech_tag_follows(after));
        if splits {
            push(start..j);
            start = k;
            i = k;
        } else {
            i = j;
        }
    }
    push(start..s.len());
}

/// Whether a single dot after `before` (the sentence so far) ends the
/// sentence, given the text `after` it.
fn dot_ends_sentence(before: &str, after: &str) -> bool {
    // Only the last word matters; abbreviations are short, so a bounded
    // look-back keeps the splitter linear on odd input.
    let mut from = before.len().saturating_sub(40);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let tail = &before[from..];
    let word = match tail.char_indices().rev().find(|&(_, c)| is_space(c)) {
        Some((at, sp)) => &tail[at + sp.len_utf8()..],
        None if from == 0 => tail,
        None => return true,
    };
    let word = word.trim_start_matches(is_opener);
    if word.is_empty() {
        return true;
    }
    if ABBR.never_end.contains(word)
        || (ABBR.before_number.contains(word)
            && first_char(after).is_some_and(|c| c.is_ascii_digit()))
    {
        return false;
    }
    // "1. First item": a list number is not a sentence.
    if before.trim_start_matches(is_space) == word && is_list_number(word) {
        return false;
    }
    let is_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    if is_initial || ABBR.may_end.contains(word) || is_dotted_acronym(word) {
        // "George W. Bush", "the U.S. Embassy" go on; "…in the U.S. The
        // ministry…" ends.
        return first_char(after).is_some_and(is_opener)
            || ABBR.starters.contains(first_word(after));
    }
    true
}

/// "U.S", "a.m", "Ph.D" (the final dot is the one being judged).
fn is_dotted_acronym(word: &str) -> bool {
    let mut parts = 0;
    for part in word.split('.') {
        parts += 1;
        if part.is_empty() || part.chars().count() > 2 || !part.chars().all(char::is_alphabetic) {
            return false;
        }
    }
    parts >= 2
}

fn is_list_number(word: &str) -> bool {
    (!word.is_empty() && word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit()))
        || (word.chars().count() == 1 && word.chars().all(char::is_alphabetic))
        || (word.len() <= 4
            && word
                .chars()
                .all(|c| matches!(c, 'i' | 'v' | 'x' | 'I' | 'V' | 'X')))
}

/// The first word of `s` without surrounding punctuation.
fn first_word(s: &str) -> &str {
    s.split(is_space)
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
}

/// After a closing quote: "Anna Kowalczyk said." belongs to the quote.
fn speech_tag_follows(after: &str) -> bool {
    for (n, word) in after
        .split(is_space)
        .filter(|w| !w.is_empty())
        .take(4)
        .enumerate()
    {
        let core = word.trim_matches(|c: char| !c.is_alphanumeric());
        if n >= 1 && lexicon::is_speech_verb(&core.to_lowercase()) {
            return true;
        }
        if n >= 3 || !starts_upper(core) || ABBR.starters.contains(core) || word.ends_with(',') {
            return false;
        }
    }
    false
}

// ---------------------------------------------------------------------------
// Boilerplate

/// Lower case, straight quotes, single spaces, no trailing punctuation.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // ASCII (nearly all of it) without decoding or case tables.
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            if is_ascii_space(b) {
                space = !out.is_empty();
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            out.push(char::from(b.to_ascii_lowercase()));
            continue;
        }
        let Some(c) = s.get(i..).and_then(first_char) else {
            break;
        };
        i += c.len_utf8();
        let c = match c {
            '‘' | '’' | 'ʼ' | '′' => '\'',
            '“' | '”' | '„' => '"',
            c => c,
        };
        if is_space(c) {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    let kept = out
        .trim_end_matches(|c: char| {
            matches!(
                c,
                '.' | ':' | ';' | ',' | '!' | '?' | '…' | '-' | '–' | '—' | ' '
            )
        })
        .len();
    out.truncate(kept);
    out
}

/// "REUTERS/Jane Doe", "Photo: Jane Doe/Getty Images".
pub fn is_image_credit(line: &str) -> bool {
    image_credit(line, word_count(line))
}

/// [`is_image_credit`] given the line's word count.
fn image_credit(line: &str, words: usize) -> bool {
    let t = line.trim_matches(is_space);
    if t.is_empty() || words > 10 || t.len() > 120 {
        return false;
    }
    let lower = t.to_lowercase();
    let lower = lower.trim_start_matches(['(', '[']);
    for marker in &FURNITURE.credit {
        if lower.starts_with(marker) || (lower.contains(marker) && !ends_terminal(t)) {
            return true;
        }
    }
    // An agency in capitals, a slash, a photographer's name.
    if words <= 6 && !ends_terminal(t) {
        if let Some(slash) = t.find('/') {
            let agency = t[..slash].rsplit(is_space).next().unwrap_or("");
            let letters = agency.chars().filter(|c| c.is_alphabetic()).count();
            return letters >= 2
                && agency
                    .chars()
                    .all(|c| !c.is_alphabetic() || c.is_uppercase())
                && starts_upper(t[slash + 1..].trim_start());
        }
    }
    false
}

/// "Ministry Gazette logo".
pub fn is_logo_line(line: &str) -> bool {
    logo_norm(line, &normalize(line), word_count(line))
}

/// [`is_logo_line`] given the line's [`normalize`]d form and word count.
fn logo_norm(line: &str, norm: &str, words: usize) -> bool {
    norm.ends_with(" logo") && words <= 8 && starts_upper(line.trim_start())
}

/// Whether a sentence on its own is page furniture, and whether it is a
/// prompt that introduces more furniture.
fn furniture_kind(sentence: &str) -> (bool, bool) {
    let words = word_count(sentence);
    if words > MAX_FURNITURE_WORDS {
        return (false, false);
    }
    let norm = normalize(sentence);
    let prompt = words <= MAX_PROMPT_WORDS && FURNITURE.prompt.any(&norm);
    let plain = prompt
        || FURNITURE.plain.any(&norm)
        || image_credit(sentence, words)
        || logo_norm(sentence, &norm, words);
    (plain, prompt)
}

fn is_furniture_line(line: &str) -> bool {
    furniture_kind(line).0
}

/// True when a short text holds words of a sales pitch ("your", "free").
fn has_promo(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .any(|w| FURNITURE.promo.contains(w.to_lowercase().as_str()))
}

/// A teaser label such as "speed read" or "IN DEPTH" opens the text.
fn kicker_led(text: &str) -> bool {
    let norm = normalize(text);
    let words: Vec<&str> = text.split(is_space).filter(|w| !w.is_empty()).collect();
    // A label, then a headline that starts with a capital ("speed read The
    // port…"); "Analysis of the data…" is prose.
    if FURNITURE.kicker.iter().any(|k| {
        norm.strip_prefix(k)
            .is_some_and(|rest| rest.starts_with(' '))
            && words
                .get(word_count(k))
                .is_some_and(|w| first_char(w).is_some_and(|c| c.is_uppercase() || is_opener(c)))
    }) {
        return true;
    }
    // Two words in capitals: "IN FOCUS Something…".
    let mut words = words.into_iter();
    let caps = |w: &str| {
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
    };
    matches!((words.next(), words.next()), (Some(a), Some(b)) if caps(a) && caps(b))
        && !words.clone().all(caps)
}

/// A related-headline line: short and without a final mark.
fn headline_like(text: &str) -> bool {
    !ends_terminal(text) && word_count(text) <= 30
}

fn mark_boilerplate(
    text: &str,
    lines: &[Range<usize>],
    paragraphs: &[Range<usize>],
    sentences: &mut [Sentence],
) {
    // 1. Sentences that are furniture by their own words.
    let mut prompt_para = vec![false; paragraphs.len()];
    for s in sentences.iter_mut() {
        let (plain, prompt) = furniture_kind(&text[s.range()]);
        s.set_boilerplate(plain);
        if prompt {
            prompt_para[s.paragraph()] = true;
        }
    }

    // 2. Runs of short lines between lone "-" lines: related headlines.
    let flagged = separated_runs(text, lines);
    if !flagged.is_empty() {
        let line_starts: Vec<usize> = lines.iter().map(|l| l.start).collect();
        for s in sentences.iter_mut() {
            let line = line_starts
                .partition_point(|&st| st <= s.start())
                .saturating_sub(1);
            if flagged.get(line).copied().unwrap_or(false) {
                s.set_boilerplate(true);
            }
        }
    }

    // 3. After a prompt: its pitch, then headline/teaser pairs.
    let mut para_bp = vec![true; paragraphs.len()];
    for s in sentences.iter() {
        para_bp[s.paragraph()] &= s.boilerplate();
    }
    let n = paragraphs.len();
    let para_text = |i: usize| &text[paragraphs[i].clone()];
    let mut marked = vec![false; n];
    let mut i = 0;
    while i < n {
        if !prompt_para[i] {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut prev_headline = false;
        while j < n {
            let t = para_text(j);
            let words = word_count(t);
            let is_headline = headline_like(t) && !kicker_led(t);
            let next_is_furniture = j + 1 == n || {
                let u = para_text(j + 1);
                para_bp[j + 1] || headline_like(u) || kicker_led(u)
            };
            let keep = para_bp[j]
                || (j == i + 1 && words <= MAX_TEASER_WORDS && (has_promo(t) || headline_like(t)))
                || kicker_led(t)
                || is_headline
                || (prev_headline && words <= MAX_TEASER_WORDS && next_is_furniture);
            if !keep {
                break;
            }
            marked[j] = true;
            para_bp[j] = true;
            prev_headline = is_headline;
            j += 1;
        }
        i = j.max(i + 1);
    }
    for s in sentences.iter_mut() {
        if marked[s.paragraph()] {
            s.set_boilerplate(true);
        }
    }
}

/// Lines (by index into `lines`) inside runs of short lines separated by
/// lone separator lines ("-"), as sites list related headlines.
fn separated_runs(text: &str, lines: &[Range<usize>]) -> Vec<bool> {
    let is_sep = |i: usize| is_separator(&text[lines[i].clone()]);
    let seps: Vec<usize> = (0..lines.len()).filter(|&i| is_sep(i)).collect();
    if seps.len() < 2 {
        return Vec::new();
    }
    let short = |i: usize| word_count(&text[lines[i].clone()]) <= 50;
    // Content lines strictly between two separators, if they form a short item.
    let item = |a: usize, b: usize| -> Option<Vec<usize>> {
        let inner: Vec<usize> = (a + 1..b).filter(|&i| !lines[i].is_empty()).collect();
        (!inner.is_empty() && inner.len() <= 3 && inner.iter().all(|&i| short(i))).then_some(inner)
    };
    let mut flagged = vec![false; lines.len()];
    let mut g = 0;
    while g < seps.len() {
        // Grow a run of separators with short items between them.
        let mut items = Vec::new();
        let mut h = g;
        while h + 1 < seps.len() {
            match item(seps[h], seps[h + 1]) {
                Some(inner) => items.push(inner),
                None => break,
            }
            h += 1;
        }
        if h > g {
            // The item after the last separator: up to a blank line.
            let mut tail = Vec::new();
            let mut i = seps[h] + 1;
            while i < lines.len() && !lines[i].is_empty() && !is_sep(i) && tail.len() < 3 {
                if !short(i) {
                    break;
                }
                tail.push(i);
                i += 1;
            }
            items.push(tail);
            for i in items.into_iter().flatten() {
                flagged[i] = true;
            }
        }
        g = h + 1;
    }
    flagged
}

// ---------------------------------------------------------------------------
// Byline, date, outlet

/// Byte spans of the words of `s`.
fn word_spans(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if is_space(c) {
            if let Some(st) = start.take() {
                out.push((st, &s[st..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}

const PARTICLES: &[&str] = &[
    "de", "da", "di", "del", "della", "van", "von", "der", "den", "du", "la", "le", "bin", "al",
    "el", "ibn", "ter", "and", "&",
];

/// A person's name as a byline gives it: capitalised words (particles
/// allowed inside), nothing that reads as a sentence.
fn person_like(name: &str, min_words: usize) -> bool {
    let words: Vec<&str> = name.split(is_space).filter(|w| !w.is_empty()).collect();
    if words.len() < min_words || words.len() > 6 {
        return false;
    }
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    if !starts_upper(first) || !starts_upper(last) || lexicon::is_non_name(first) {
        return false;
    }
    words.iter().all(|w| {
        (starts_upper(w) || PARTICLES.contains(w))
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’' | 'ʼ' | '&'))
    })
}

/// The name part of a byline value: up to a comma, bar or dash.
fn cut_name(value: &str) -> &str {
    let mut end = value.len();
    for stop in [
        ",", "|", ";", "(", " - ", " – ", " — ", " for ", " in ", " at ",
    ] {
        if let Some(at) = value.find(stop) {
            end = end.min(at);
        }
    }
    value[..end].trim_matches(is_space).trim_end_matches('.')
}

fn find_byline(text: &str, top: &[Range<usize>], title: Option<usize>) -> Option<String> {
    for (k, range) in top.iter().enumerate() {
        if Some(k) == title {
            continue;
        }
        let line = &text[range.clone()];
        let lower = line.to_lowercase();
        // "Author: Jane Doe", or "Author:" with the name on the next line.
        for label in &FURNITURE.byline_label {
            // Labels are ASCII, so their length is a boundary in `line` too.
            if lower.starts_with(label) && line.is_char_boundary(label.len()) {
                let value =
                    line[label.len()..].trim_start_matches(|c: char| c == ':' || is_space(c));
                let value = if value.is_empty() {
                    match top.get(k + 1) {
                        Some(next) => &text[next.clone()],
                        None => continue,
                    }
                } else {
                    value
                };
                let name = cut_name(value);
                if person_like(name, 1) {
                    return Some(name.to_string());
                }
            }
        }
        // "By Jane Doe".
        if let Some(value) = line
            .strip_prefix("By ")
            .or_else(|| line.strip_prefix("BY "))
        {
            let name = cut_name(value);
            if line.chars().count() <= 80 && person_like(name, 2) {
                return Some(name.to_string());
            }
        }
        if let Some(name) = name_with_role(line) {
            return Some(name);
        }
    }
    None
}

/// "Jane Doe, Staff Writer" or "Jane Doe Foreign Correspondent": the name.
fn name_with_role(line: &str) -> Option<String> {
    if line.chars().count() > 80 || ends_terminal(line) {
        return None;
    }
    let words = word_spans(line);
    if words.len() > 10 {
        return None;
    }
    let is_role = |w: &str| {
        let core = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        FURNITURE.byline_role.contains(core.as_str())
    };
    let role_at = words.iter().position(|(_, w)| is_role(w))?;
    if role_at < 2 {
        return None;
    }
    let before = &line[..words[role_at].0];
    let explicit = [",", "|", " - ", " – ", " — "]
        .iter()
        .filter_map(|sep| before.find(sep))
        .min();
    let name = match explicit {
        Some(at) => line[..at].trim_matches(is_space),
        None => {
            // Without punctuation the name is two words, three with a
            // middle initial or particle.
            let middle = words[1].1;
            let count = if role_at > 3
                && (PARTICLES.contains(&middle) || (middle.len() <= 3 && middle.ends_with('.')))
            {
                3
            } else {
                2
            };
            let (at, w) = words[count - 1];
            &line[..at + w.len()]
        }
    };
    let clean = name.split(is_space).filter(|w| !w.is_empty()).all(|w| {
        !lexicon::is_title(w) && !lexicon::is_org_word(w) && !lexicon::is_place(w) && !is_role(w)
    });
    (clean && person_like(name, 2)).then(|| name.to_string())
}

static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let month = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
    let weekday = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?";
    let pattern = format!(
        r"(?i)\b{weekday}{month}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|\b{weekday}\d{{1,2}}(?:st|nd|rd|th)?\s+{month},?\s+\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{4}}\b"
    );
    Regex::new(&pattern).expect("the date pattern is valid")
});

fn find_date(text: &str, top: &[Range<usize>], title: Option<usize>) -> Option<String> {
    let lines = || {
        top.iter()
            .enumerate()
            .filter(move |&(k, _)| Some(k) != title)
            .map(|(k, r)| (k, &text[r.clone()]))
    };
    // Explicit labels first.
    for (k, line) in lines() {
        let lower = line.to_lowercase();
        if let Some(label) = ["date:", "dated:"].iter().find(|l| lower.starts_with(*l)) {
            let value = line[label.len()..].trim_matches(is_space);
            if !value.is_empty() {
                return Some(value.to_string());
            }
            // "Date:" with the date on the next line.
            if let Some(next) = top.get(k + 1) {
                let next = &text[next.clone()];
                if next.chars().count() <= 60 {
                    if let Some(m) = DATE_RE.find(next) {
                        return Some(m.as_str().to_string());
                    }
                }
            }
            continue;
        }
        for word in [
            "published",
            "updated",
            "posted",
            "last updated",
            "first published",
        ] {
            if lower.starts_with(word) && line.is_char_boundary(word.len()) {
                let value =
                    line[word.len()..].trim_start_matches(|c: char| c == ':' || is_space(c));
                let value = value.strip_prefix("on ").unwrap_or(value);
                let value = value.split('|').next().unwrap_or("").trim_matches(is_space);
                if DATE_RE.is_match(value) && value.chars().count() <= 80 {
                    return Some(value.to_string());
                }
            }
        }
    }
    // Then a date standing in a short line near the top.
    lines()
        .filter(|(_, line)| line.chars().count() <= 100)
        .find_map(|(_, line)| DATE_RE.find(line).map(|m| m.as_str().to_string()))
}

/// The run of capitalised words `s` starts with ("The Harbour Gazette", "Ministry of
/// Fisheries"), as written, and whether it ended in a possessive "'s".
fn leading_name(s: &str) -> Option<(&str, bool)> {
    let words = word_spans(s);
    let mut end = None;
    let mut count = 0;
    for (idx, &(off, w)) in words.iter().enumerate() {
        let (core, possessive) = match w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")) {
            Some(core) => (core, true),
            None => (w, false),
        };
        let trimmed = core.trim_end_matches(|c: char| {
            matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | '"' | '”' | '’')
        });
        let capital = first_char(trimmed).is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        let connector = end.is_some()
            && matches!(trimmed, "of" | "and" | "&" | "for" | "the" | "de")
            && words.get(idx + 1).is_some_and(|&(_, n)| starts_upper(n));
        if capital {
            end = Some(off + trimmed.len());
            count += 1;
        } else if !connector {
            break;
        }
        if possessive || trimmed.len() != core.len() {
            return end.map(|e| (&s[..e], possessive));
        }
    }
    match end {
        Some(e) if count <= 8 => Some((&s[..e], false)),
        _ => None,
    }
}

fn acceptable_outlet(name: &str) -> bool {
    let lower = name.to_lowercase();
    !name.is_empty()
        && !FURNITURE.not_outlet.contains(&lower)
        && !lower
            .split(is_space)
            .any(|w| FURNITURE.not_outlet_word.contains(w))
}

/// Text after a case-insensitive prefix (ASCII prefixes only).
fn after_prefix<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let head = line.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| line[prefix.len()..].trim_start_matches(is_space))
}

fn find_outlet(
    text: &str,
    lines: &[Range<usize>],
    title: Option<&str>,
    byline: Option<&str>,
) -> Option<String> {
    // (rank, name): lower ranks are stronger evidence of the publisher.
    let mut best: Option<(u8, String)> = None;
    let mut offer = |rank: u8, name: &str| {
        if acceptable_outlet(name) && !matches!(&best, Some((r, _)) if *r <= rank) {
            best = Some((rank, name.to_string()));
        }
    };
    for range in lines {
        let line = &text[range.clone()];
        if line.is_empty() || word_count(line) > MAX_FURNITURE_WORDS {
            continue;
        }
        // "Content created by X is…", "© 2024 X", "Copyright 2024 X."
        if let Some(rest) = after_prefix(line, "content created by") {
            if let Some((name, _)) = leading_name(rest) {
                offer(0, name);
            }
        }
        let copyright = line
            .strip_prefix('©')
            .or_else(|| after_prefix(line, "copyright"))
            .map(|rest| {
                rest.trim_start_matches(|c: char| {
                    c.is_ascii_digit()
                        || is_space(c)
                        || matches!(c, '©' | '(' | ')' | '-' | '–' | ',')
                })
            });
        if let Some(rest) = copyright {
            let rest = after_prefix(rest, "c)").unwrap_or(rest);
            if let Some((name, _)) = leading_name(rest) {
                offer(0, name);
            }
        }
        // "Subscribe to X", "Sign up for X's … newsletter".
        if let Some(rest) = after_prefix(line, "subscribe to") {
            if let Some((name, false)) = leading_name(rest) {
                if word_count(line) <= MAX_PROMPT_WORDS {
                    offer(1, name);
                }
            }
        }
        for prompt in ["sign up for", "sign up to"] {
            if let Some(rest) = after_prefix(line, prompt) {
                if let Some((name, true)) = leading_name(rest) {
                    if rest.to_lowercase().contains("newsletter") {
                        offer(1, name);
                    }
                }
            }
        }
        // "X logo".
        if is_logo_line(line) {
            let norm_len = line.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
            if let Some(stem) = line[..norm_len]
                .strip_suffix("logo")
                .or_else(|| line[..norm_len].strip_suffix("Logo"))
            {
                let stem = stem.trim_end_matches(is_space);
                if let Some((name, false)) = leading_name(stem) {
                    if name == stem {
                        offer(2, name);
                    }
                }
            }
        }
        // "Follow X on Twitter", unless X is the author.
        if let Some(rest) = after_prefix(line, "follow") {
            if let Some(at) = rest.find(" on ") {
                let who = &rest[..at];
                let is_author = byline.is_some_and(|b| b.eq_ignore_ascii_case(who));
                let person = who
                    .split(is_space)
                    .next()
                    .is_some_and(lexicon::is_given_name);
                if let Some((name, false)) = leading_name(who) {
                    if name == who && !is_author && !person {
                        offer(3, name);
                    }
                }
            }
        }
    }
    // "Headline | Outlet".
    if let Some((_, suffix)) = title.and_then(|t| t.rsplit_once(" | ")) {
        let suffix = suffix.trim_matches(is_space);
        if let Some((name, false)) = leading_name(suffix) {
            if name == suffix && word_count(name) <= 5 {
                offer(4, name);
            }
        }
    }
    best.map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sentences of the whole text, as strings.
    fn sents(text: &str) -> Vec<&str> {
        split_sentences(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    fn paras(text: &str) -> Vec<&str> {
        read(text)
            .paragraphs
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    fn boilerplate(text: &str) -> Vec<&str> {
        read(text)
            .sentences
            .into_iter()
            .filter(|s| s.boilerplate())
            .map(|s| &text[s.range()])
            .collect()
    }

    #[test]
    fn titles_and_months_do_not_end_sentences() {
        let text = "Mr. Halvorsen met Dr. Kowalczyk on Jan. 5 in St. Petersburg, \
                    e.g. at the port. Gen. Okafor and Sen. Lind were absent. \
                    The talks ended.";
        assert_eq!(
            sents(text),
            [
                "Mr. Halvorsen met Dr. Kowalczyk on Jan. 5 in St. Petersburg, e.g. at the port.",
                "Gen. Okafor and Sen. Lind were absent.",
                "The talks ended."
            ]
        );
    }

    #[test]
    fn dotted_acronyms_end_a_sentence_only_before_an_opener() {
        let text = "The trawlers sailed to the U.S. Coast Guard base. \
                    Officials of the U.N. agency said the catch went to the U.S. \
                    The ministry disagreed. Talks with the E.U. resume at 9 a.m. on Monday.";
        assert_eq!(
            sents(text),
            [
                "The trawlers sailed to the U.S. Coast Guard base.",
                "Officials of the U.N. agency said the catch went to the U.S.",
                "The ministry disagreed.",
                "Talks with the E.U. resume at 9 a.m. on Monday."
            ]
        );
    }

    #[test]
    fn initials_and_decimals_stay_inside() {
        let text = "Anna K. Kowalczyk and J. R. Moreno met at No. 10 harbour. \
                    Quotas fell 3.5 percent to 12.75 tonnes. Was the answer No. Then they left.";
        assert_eq!(
            sents(text),
            [
                "Anna K. Kowalczyk and J. R. Moreno met at No. 10 harbour.",
                "Quotas fell 3.5 percent to 12.75 tonnes.",
                "Was the answer No.",
                "Then they left."
            ]
        );
    }

    #[test]
    fn curly_quotes_keep_their_speech_tag() {
        let text = "“We counted every boat. It was all done,” she said. \
                    “Nets are empty.” Kowalczyk told reporters. \
                    “Why?” he asked. ‘Enough.’ The minister left.";
        let got = sents(text);
        assert_eq!(
            got,
            [
                "“We counted every boat.",
                "It was all done,” she said.",
                "“Nets are empty.” Kowalczyk told reporters.",
                "“Why?” he asked.",
                "‘Enough.’",
                "The minister left."
            ]
        );
        assert!(got.iter().all(|s| !starts_lower(s)));
    }

    #[test]
    fn ellipses_split_only_before_a_new_sentence() {
        let text = "There was coordination… that is good practice. He paused… Then he left... \
                    Nobody followed.";
        assert_eq!(
            sents(text),
            [
                "There was coordination… that is good practice.",
                "He paused…",
                "Then he left...",
                "Nobody followed."
            ]
        );
    }

    #[test]
    fn offsets_survive_emoji_accents_and_apostrophes() {
        let text = "Zoë Łukasiewicz 🎣 landed a cod. The ministryʼs inspector, Ángel Muñoz, \
                    did not! Did she? “Yes.”";
        let ranges = split_sentences(text, 0..text.len());
        let got: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            got,
            [
                "Zoë Łukasiewicz 🎣 landed a cod.",
                "The ministryʼs inspector, Ángel Muñoz, did not!",
                "Did she?",
                "“Yes.”"
            ]
        );
        assert_eq!(ranges[0].start, 0);
        assert_eq!(ranges[3].end, text.len());
    }

    #[test]
    fn crlf_and_lone_cr_break_lines() {
        let text = "Fishery closed\r\n\r\nThe ministry acted. Boats stayed in port.\r\nInspectors agreed.\rNobody objected.\r\n";
        let parts = read(text);
        let got: Vec<&str> = parts.paragraphs.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            got,
            [
                "Fishery closed",
                "The ministry acted. Boats stayed in port.",
                "Inspectors agreed.",
                "Nobody objected."
            ]
        );
        assert_eq!(parts.title.as_deref(), Some("Fishery closed"));
        let sentences: Vec<(usize, &str)> = parts
            .sentences
            .iter()
            .map(|s| (s.paragraph(), &text[s.range()]))
            .collect();
        assert_eq!(
            sentences,
            [
                (0, "Fishery closed"),
                (1, "The ministry acted."),
                (1, "Boats stayed in port."),
                (2, "Inspectors agreed."),
                (3, "Nobody objected.")
            ]
        );
    }

    #[test]
    fn hard_wrapped_paragraphs_stay_whole() {
        let text = "Ministry of Fisheries closes the northern banks\n\
                    \n\
                    The Ministry of Fisheries closed the northern banks on\n\
                    Tuesday after inspectors found that cod stocks had fallen\n\
                    for the third year in a row. Director Anna Kowalczyk said\n\
                    the closure would last until spring.\n\
                    Trawler owners said they would appeal the decision in the\n\
                    regional court.\n";
        assert_eq!(
            paras(text),
            [
                "Ministry of Fisheries closes the northern banks",
                "The Ministry of Fisheries closed the northern banks on\n\
                 Tuesday after inspectors found that cod stocks had fallen\n\
                 for the third year in a row. Director Anna Kowalczyk said\n\
                 the closure would last until spring.",
                "Trawler owners said they would appeal the decision in the\nregional court."
            ]
        );
        // The sentence spans the line break.
        assert!(sents(text)
            .contains(&"Director Anna Kowalczyk said\nthe closure would last until spring."));
    }

    #[test]
    fn one_paragraph_per_line_splits_at_each_line() {
        let text = "Fishery closed for the winter\n\
                    Inspectors found that cod stocks had fallen for the third year in a row, the ministry said on Tuesday.\n\
                    “It is the only way,” Director Anna Kowalczyk said.\n\
                    What comes next\n\
                    Owners will appeal, and the court\n\
                    hears the case in May.\n";
        assert_eq!(
            paras(text),
            [
                "Fishery closed for the winter",
                "Inspectors found that cod stocks had fallen for the third year in a row, the ministry said on Tuesday.",
                "“It is the only way,” Director Anna Kowalczyk said.",
                "What comes next",
                "Owners will appeal, and the court\nhears the case in May."
            ]
        );
    }

    #[test]
    fn list_items_are_paragraphs_and_their_numbers_no_sentences() {
        let text = "Results:\n1. Quotas cut by half\n2. Ports reopen in May\n";
        assert_eq!(
            paras(text),
            [
                "Results:",
                "1. Quotas cut by half",
                "2. Ports reopen in May"
            ]
        );
        assert_eq!(
            sents(text),
            [
                "Results:",
                "1. Quotas cut by half",
                "2. Ports reopen in May"
            ]
        );
    }

    #[test]
    fn split_sentences_reads_only_its_range_and_never_panics() {
        let text = "Zoë left. Ángel stayed. Nobody else came.";
        let start = text.find("Ángel").unwrap_or(0);
        let got: Vec<&str> = split_sentences(text, start..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(got, ["Ángel stayed.", "Nobody else came."]);
        // Inside "ë" and "Á", and past the end: narrowed, no panic.
        let odd = split_sentences(text, 3..start + 1);
        assert_eq!(
            odd.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>(),
            ["left."]
        );
        assert!(split_sentences(text, 500..900).is_empty());
        assert!(split_sentences("", 0..0).is_empty());
    }

    #[test]
    fn bylines_in_their_usual_forms() {
        let byline = |t: &str| read(t).byline;
        assert_eq!(
            byline("Cod stocks fall\nBy Anna Kowalczyk\n\nThe stocks fell.").as_deref(),
            Some("Anna Kowalczyk")
        );
        assert_eq!(
            byline("Cod stocks fall\n\nAuthor:\nZoë Łukasiewicz\nDate:\n\nThe stocks fell.")
                .as_deref(),
            Some("Zoë Łukasiewicz")
        );
        assert_eq!(
            byline("Cod stocks fall\nAuthor: Ángel Muñoz, Harbour Gazette\n\nThe stocks fell.")
                .as_deref(),
            Some("Ángel Muñoz")
        );
        assert_eq!(
            byline("Cod stocks fall\nAnna Kowalczyk, Staff Writer\n\nThe stocks fell.").as_deref(),
            Some("Anna Kowalczyk")
        );
        assert_eq!(
            byline("Cod stocks fall\nTomasz Wierzba Fisheries Correspondent\nThe stocks fell.")
                .as_deref(),
            Some("Tomasz Wierzba")
        );
        assert_eq!(
            byline("Cod stocks fall\nBy Tuesday, the stocks had fallen.\n"),
            None
        );
        assert_eq!(
            byline("Cod stocks fall\nBy the time boats returned, it was late.\n"),
            None
        );
    }

    #[test]
    fn dates_from_labels_and_patterns() {
        let date = |t: &str| read(t).date;
        assert_eq!(
            date("Cod stocks fall\nDate: 2021-03-04\n\nThe stocks fell.").as_deref(),
            Some("2021-03-04")
        );
        assert_eq!(
            date("Cod stocks fall\nDate:\n\nThe stocks fell in 2019.\n"),
            None
        );
        assert_eq!(
            date("Cod stocks fall\nPublished: March 4, 2021 10:15 GMT | Updated later\n\nText.")
                .as_deref(),
            Some("March 4, 2021 10:15 GMT")
        );
        assert_eq!(
            date("Cod stocks fall\nPublished by the Ministry of Fisheries in 2 volumes\n\nText."),
            None
        );
        assert_eq!(
            date("Cod stocks fall\n\nThursday, 4 March 2021\n\nThe stocks fell.").as_deref(),
            Some("Thursday, 4 March 2021")
        );
        assert_eq!(
            date("Cod stocks fall\n\nThe stocks fell on May 25, 2017, said inspectors who had counted the boats for a week, the ministry added in a long statement on Tuesday.\n"),
            None
        );
    }

    #[test]
    fn outlet_from_publisher_lines_not_from_cited_sources() {
        let outlet = |t: &str| read(t).outlet;
        assert_eq!(
            outlet("Cod stocks fall\n\nThe stocks fell.\n\n© 2021 The Harbour Gazette. All rights reserved.\n")
                .as_deref(),
            Some("The Harbour Gazette")
        );
        assert_eq!(
            outlet("Cod stocks fall\n\nThe stocks fell.\nSubscribe to The Harbour Gazette\nGet every story first.\n")
                .as_deref(),
            Some("The Harbour Gazette")
        );
        assert_eq!(
            outlet("Cod stocks fall\n\nThe stocks fell.\nSign up for The Coast Weekly’s free newsletter\n")
                .as_deref(),
            Some("The Coast Weekly")
        );
        // A title prefix names a cited source, and sign-up prompts for
        // products name no outlet.
        assert_eq!(
            outlet("Harbour Gazette: cod stocks fall\n\nHarbour Gazette writes the stocks fell.\nSign up for Today's top stories\nSubscribe to our newsletter\n"),
            None
        );
        // Following the author is not following the outlet.
        assert_eq!(
            outlet("Cod stocks fall\nBy Anna Kowalczyk\n\nThe stocks fell.\nFollow Anna Kowalczyk on Twitter\nFollow Coast Radio on Facebook\n")
                .as_deref(),
            Some("Coast Radio")
        );
    }

    #[test]
    fn markdown_heading_marks_are_not_in_the_title() {
        let parts = read("## Harbour reopens\n\nBoats sailed on Friday.\n");
        assert_eq!(parts.title.as_deref(), Some("Harbour reopens"));
        let parts = read("#hashtag news\n");
        assert_eq!(parts.title.as_deref(), Some("#hashtag news"));
    }

    #[test]
    fn title_skips_image_credits_and_logos() {
        let text = "HARBOURPRESS/Jan Nowak\n\nCoast Radio logo\nFishery closes for winter\n\nThe ministry acted.";
        let parts = read(text);
        assert_eq!(parts.title.as_deref(), Some("Fishery closes for winter"));
        assert_eq!(
            boilerplate(text),
            ["HARBOURPRESS/Jan Nowak", "Coast Radio logo"]
        );
        assert_eq!(parts.outlet.as_deref(), Some("Coast Radio"));
    }

    #[test]
    fn sign_up_prompts_and_their_pitch_are_boilerplate() {
        let text = "Fishery closes for winter\n\
                    The ministry closed the banks on Tuesday.\n\
                    Subscribe to The Harbour Gazette\n\
                    Escape the noise. Get the facts you need.\n\
                    Inspectors said the stocks had fallen again.\n\
                    For more stories from the coast please follow us on Instagram.\n\
                    Send tips to\n\
                    Font Size:\n\
                    Loading Reader Comments ...\n";
        assert_eq!(
            boilerplate(text),
            [
                "Subscribe to The Harbour Gazette",
                "Escape the noise.",
                "Get the facts you need.",
                "For more stories from the coast please follow us on Instagram.",
                "Send tips to",
                "Font Size:",
                "Loading Reader Comments ..."
            ]
        );
    }

    #[test]
    fn related_headline_blocks_are_boilerplate() {
        let dashed = "Fishery closes for winter\n\n\
                      The ministry closed the banks. Owners will appeal.\n\
                      -\n\
                      Port strike ends after two weeks\n\
                      quick take Dockers accepted the offer on Friday\n\
                      -\n\
                      Salmon prices hit a record\n\
                      Buyers paid more than ever at the spring auction.\n\
                      -\n\
                      Who will run the harbour?\n";
        assert_eq!(
            boilerplate(dashed),
            [
                "Port strike ends after two weeks\nquick take Dockers accepted the offer on Friday",
                "Salmon prices hit a record",
                "Buyers paid more than ever at the spring auction.",
                "Who will run the harbour?"
            ]
        );
        let after_prompt = "Fishery closes for winter\n\n\
                            The ministry closed the banks. Owners will appeal.\n\n\
                            Sign up for our morning briefing in your inbox\n\
                            Port strike ends after two weeks\n\
                            speed read Dockers accepted the offer on Friday\n\
                            Salmon prices hit a record\n\
                            IN DEPTH Buyers paid more than ever at the spring auction\n";
        assert_eq!(
            boilerplate(after_prompt),
            [
                "Sign up for our morning briefing in your inbox",
                "Port strike ends after two weeks\nspeed read Dockers accepted the offer on Friday",
                "Salmon prices hit a record",
                "IN DEPTH Buyers paid more than ever at the spring auction"
            ]
        );
    }

    #[test]
    fn any_range_of_odd_text_is_safe() {
        let text = "Zoë 🎣.\r\n\r“Yes.” Mr.\n-\nÁ. B.\u{feff}\u{a0}…\r\n";
        for start in 0..=text.len() + 1 {
            for end in 0..=text.len() + 1 {
                for r in split_sentences(text, start..end) {
                    assert!(text.get(r.clone()).is_some_and(|s| !s.is_empty()));
                }
            }
        }
        for odd in [
            "", "\r", "\n\n", ".", "…", "-\n-\n-", "“", "A.", "By ", "Author:", "©",
        ] {
            let parts = read(odd);
            for s in &parts.sentences {
                assert!(odd.get(s.range()).is_some());
            }
        }
        assert_eq!(sents("-\n-\n-"), Vec::<&str>::new());
    }

    #[test]
    fn article_prose_is_not_boilerplate() {
        let text = "Fishery closes for winter\n\n\
                    Anglers who subscribe to the old rules were angry. One said she would \
                    follow the case on television. “Copyright is not the issue,” Kowalczyk said.\n";
        assert!(boilerplate(text).is_empty());
        // After a prompt and its pitch, prose is prose again, even when it
        // opens with a word that can label a teaser.
        let text = "Fishery closes for winter\n\n\
                    The ministry acted.\n\
                    Subscribe to The Harbour Gazette\n\
                    Get it free.\n\
                    Analysis of the catch showed the stocks fell again, inspectors said.\n";
        assert_eq!(
            boilerplate(text),
            ["Subscribe to The Harbour Gazette", "Get it free."]
        );
    }
}
