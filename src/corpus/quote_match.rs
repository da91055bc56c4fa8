//! Finding a quotation's words in the sources, forgiving typography.
//!
//! Owns the [`QuoteIndex`]: for every token of the normalised sources (NFC,
//! lower case, one kind of quote mark, apostrophe and dash, single spaces)
//! the texts holding it, compressed; a look-up normalises only the texts
//! holding all of a quote's words, with a map back to original byte
//! offsets. Also owns the compact vocabulary and posting lists the passage
//! index shares ([`Vocab`], [`Postings`]).

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

use super::Document;
use crate::lexicon::FastMap;

/// A passage of a source text that a quotation matches.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteHit {
    /// Index of the text in the slice the index was built from.
    pub text: usize,
    /// Byte range in that text covering exactly the quoted words.
    pub range: Range<usize>,
    /// 1.0 for an exact match after normalisation; lower for near matches.
    pub score: f32,
}

/// Largest gap (in normalised bytes) an ellipsis may stand for.
const ELLIPSIS_GAP: usize = 400;
/// Largest run of source words an editorial `[insertion]` may replace.
const BRACKET_GAP: usize = 60;
/// `find_near` compares at most this many words of a quote.
const NEAR_MAX_WORDS: usize = 200;
/// `find_near` examines at most this many candidate windows.
const NEAR_MAX_CANDIDATES: usize = 400;
/// `find_near` reads at most this many postings of anchor words.
const NEAR_MAX_POSTINGS: usize = 4000;
/// Minimum word-level similarity for a near match.
const NEAR_MIN_SCORE: f32 = 0.6;
/// Upper bound on substring probes per `find` call, so that a pathological
/// quote ("the … the … the …") cannot take quadratic time.
const FIND_BUDGET: usize = 200_000;
/// `find` reads at most this many candidate texts (a quote of common marks
/// alone could otherwise name most of a large corpus).
const FIND_MAX_TEXTS: usize = 2_000;
/// A list longer than this many times the candidates left is not
/// intersected: decoding it costs more than checking the few texts it
/// could rule out (each is searched for the quote anyway).
const INTERSECT_RATIO: u64 = 1000;
/// Nor is the list of a word held by more than one text in this many: it
/// rules out too few candidates to pay for its decoding (at 10,000 texts,
/// a tenth of a first look-up's time went on the lists of "the", "of" and
/// "that"), and the pair filter and the texts themselves rule out the rest.
const COMMON_SHARE: u64 = 4;
/// A list of at most this many texts decodes in about the time one
/// candidate text takes to search, and is always worth intersecting.
const COMMON_MIN_LIST: u64 = 1024;
/// A quotation found by a word of caseless letters is searched in windows
/// around that word only when it has more candidate texts than this: the
/// cache of normalised texts holds about this many long ones, which the
/// quotation's neighbours in the same article then find ready. At 100,000
/// articles a Hindi quotation had 350 candidates of up to 140 KB, each
/// normalised whole (350 ms a look-up); at 10,000 it has 36.
const CASELESS_WINDOWS_FROM: usize = 64;
/// `find_near` reads at most this many text numbers of anchor words…
const NEAR_MAX_TEXT_POSTINGS: usize = 400_000;
/// …and aligns against at most this many texts, those holding most anchors.
const NEAR_MAX_TEXTS: usize = 64;

/// A stretch of normalised text and where it came from. `linear` stretches
/// map byte for byte; the others are one source unit (a char, a cluster, a
/// whitespace run) that changed length.
#[derive(Debug, Clone, Copy, Default)]
struct Seg {
    norm: u32,
    orig: u32,
    orig_len: u32,
    linear: bool,
}

fn is_quote_like(c: char) -> Option<char> {
    match c {
        '\'' | '’' | '‘' | 'ʼ' | '‛' | '`' | '´' | '′' => Some('\''),
        '"' | '“' | '”' | '„' | '‟' | '«' | '»' | '″' => Some('"'),
        _ => None,
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−')
}

const INVISIBLE: [char; 6] = [
    '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}',
];

fn is_invisible(c: char) -> bool {
    INVISIBLE.contains(&c)
}

/// Whether a text holds an invisible character, by SIMD byte searches for
/// their encodings: a scan char by char, or one automaton for all six
/// (whose lead bytes are those of every curly quote and dash), costs more
/// than the look-up it guards.
fn has_invisible(text: &str) -> bool {
    let bytes = text.as_bytes();
    invisible_finders().iter().any(|f| f.find(bytes).is_some())
}

/// One byte searcher per invisible character's UTF-8 encoding.
fn invisible_finders() -> &'static [memchr::memmem::Finder<'static>] {
    static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| {
            INVISIBLE
                .iter()
                .map(|c| memchr::memmem::Finder::new(c.to_string().as_bytes()).into_owned())
                .collect()
        });
    &FINDERS
}

/// An ASCII byte the normaliser keeps as it is, bar its case: not white
/// space, not a dash, not the backtick (read as an apostrophe).
fn ascii_as_is(b: u8) -> bool {
    b.is_ascii() && !(b as char).is_whitespace() && b != b'-' && b != b'`'
}

/// Normalise `text`, recording how offsets map back.
fn normalize_with_map(text: &str) -> (String, Vec<Seg>) {
    let mut out = String::with_capacity(text.len());
    let mut segs: Vec<Seg> = Vec::new();
    // Whether the last segment is linear and ends exactly here, so a
    // byte-for-byte unit can extend it instead of adding a segment.
    let mut linear_open = false;
    let mut push_unit =
        |out: &mut String, segs: &mut Vec<Seg>, orig: usize, orig_len: usize, s: &str| {
            if s.is_empty() {
                linear_open = false;
                return;
            }
            let norm = out.len();
            out.push_str(s);
            if s.len() == orig_len {
                if !linear_open {
                    segs.push(Seg {
                        norm: norm as u32,
                        orig: orig as u32,
                        orig_len: 0,
                        linear: true,
                    });
                    linear_open = true;
                }
            } else {
                segs.push(Seg {
                    norm: norm as u32,
                    orig: orig as u32,
                    orig_len: orig_len as u32,
                    linear: false,
                });
                linear_open = false;
            }
        };
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut buf = String::new();
    while i < text.len() {
        // Fast path: a run of ASCII that maps byte for byte (lower-cased),
        // each char followed by ASCII so no combining mark joins it.
        let mut j = i;
        while j < text.len()
            && ascii_as_is(bytes[j])
            && bytes.get(j + 1).is_none_or(|b| b.is_ascii())
        {
            j += 1;
        }
        if j > i {
            buf.clear();
            buf.extend(bytes[i..j].iter().map(|b| b.to_ascii_lowercase() as char));
            push_unit(&mut out, &mut segs, i, j - i, &buf);
            i = j;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let clen = c.len_utf8();
        if c.is_whitespace() || is_invisible(c) {
            // A run of whitespace (and invisible marks) becomes one space;
            // spaces touching a dash vanish so "a – b" equals "a-b".
            let mut j = i;
            let mut any_space = false;
            while j < text.len() {
                let Some(d) = text[j..].chars().next() else {
                    break;
                };
                if d.is_whitespace() {
                    any_space = true;
                } else if !is_invisible(d) {
                    break;
                }
                j += d.len_utf8();
            }
            let next_dash = text[j..].chars().next().is_some_and(is_dash);
            let prev_dash = out.ends_with('-');
            let rep = if any_space && !next_dash && !prev_dash && !out.is_empty() {
                " "
            } else {
                ""
            };
            push_unit(&mut out, &mut segs, i, j - i, rep);
            i = j;
            continue;
        }
        if is_dash(c) {
            let mut j = i;
            while j < text.len() {
                let Some(d) = text[j..].chars().next() else {
                    break;
                };
                if !is_dash(d) {
                    break;
                }
                j += d.len_utf8();
            }
            push_unit(&mut out, &mut segs, i, j - i, "-");
            i = j;
            continue;
        }
        if c == '…' {
            push_unit(&mut out, &mut segs, i, clen, "...");
            i += clen;
            continue;
        }
        if let Some(q) = is_quote_like(c) {
            let mut tmp = [0u8; 4];
            push_unit(&mut out, &mut segs, i, clen, q.encode_utf8(&mut tmp));
            i += clen;
            continue;
        }
        // A starter plus its combining marks is normalised as one unit.
        let mut j = i + clen;
        while j < text.len() {
            let Some(d) = text[j..].chars().next() else {
                break;
            };
            if canonical_combining_class(d) == 0 {
                break;
            }
            j += d.len_utf8();
        }
        buf.clear();
        if j - i == clen && c.is_ascii() {
            buf.push(bytes[i].to_ascii_lowercase() as char);
        } else {
            for n in text[i..j].nfc() {
                buf.extend(n.to_lowercase());
            }
        }
        let unit = std::mem::take(&mut buf);
        push_unit(&mut out, &mut segs, i, j - i, &unit);
        buf = unit;
        i = j;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    (out, segs)
}

/// The normalised form used for matching quotations: NFC, lower case,
/// straight quotes and apostrophes, `-` for every dash, single spaces.
///
/// ```
/// use dossier::corpus::quote_match::normalize_quote;
/// assert_eq!(normalize_quote("“Don’t  GO” — now"), "\"don't go\"-now");
/// ```
pub fn normalize_quote(text: &str) -> String {
    normalize_with_map(text).0
}

/// Alphanumeric runs of a normalised string, as byte ranges.
fn word_ranges(norm: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in norm.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push(s..i);
        }
    }
    if let Some(s) = start {
        out.push(s..norm.len());
    }
    out
}

/// How a part of a quote relates to the part before it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Gap {
    First,
    Ellipsis,
    Insertion,
}

fn trim_edges(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation() && c != '[' && c != ']')
}

/// Split a normalised quote into the parts that must occur in order.
fn split_parts(q: &str) -> Vec<(Gap, String)> {
    let mut parts: Vec<(Gap, String)> = Vec::new();
    let mut pending = Gap::First;
    let mut cur = String::new();
    let mut rest = q;
    let flush = |cur: &mut String, pending: &mut Gap, next: Gap, parts: &mut Vec<(Gap, String)>| {
        let t = trim_edges(cur).to_string();
        if !t.is_empty() {
            let g = if parts.is_empty() {
                Gap::First
            } else {
                *pending
            };
            parts.push((g, t));
            *pending = next;
        } else if !parts.is_empty() {
            // Two gaps in a row: the wider one wins.
            if next == Gap::Ellipsis || *pending == Gap::Ellipsis {
                *pending = Gap::Ellipsis;
            } else {
                *pending = next;
            }
        }
        cur.clear();
    };
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("...") {
            flush(&mut cur, &mut pending, Gap::Ellipsis, &mut parts);
            rest = r.trim_start_matches('.');
            continue;
        }
        if let Some(r) = rest.strip_prefix(". . .") {
            flush(&mut cur, &mut pending, Gap::Ellipsis, &mut parts);
            rest = r;
            continue;
        }
        if rest.starts_with('[') {
            if let Some(end) = rest.find(']') {
                let inner = &rest[1..end];
                flush(&mut cur, &mut pending, Gap::Insertion, &mut parts);
                // "[…]" is an ellipsis written in brackets.
                if inner.trim() == "..." {
                    pending = Gap::Ellipsis;
                }
                rest = &rest[end + 1..];
                continue;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        cur.push(c);
        rest = &rest[c.len_utf8()..];
    }
    let t = trim_edges(&cur).to_string();
    if !t.is_empty() {
        let g = if parts.is_empty() {
            Gap::First
        } else {
            pending
        };
        parts.push((g, t));
    }
    parts
}

fn boundary_ok(norm: &str, start: usize, end: usize) -> bool {
    let first = norm[start..].chars().next();
    let last = norm[..end].chars().next_back();
    let before = norm[..start].chars().next_back();
    let after = norm[end..].chars().next();
    let ok_start =
        !(first.is_some_and(char::is_alphanumeric) && before.is_some_and(char::is_alphanumeric));
    let ok_end =
        !(last.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric));
    ok_start && ok_end
}

/// Next occurrence of `needle` in `hay` at or after `from`, starting no later
/// than `latest`, on word boundaries.
fn find_bounded(
    hay: &str,
    needle: &str,
    from: usize,
    latest: usize,
    budget: &mut usize,
) -> Option<usize> {
    // Searching prepares the needle each time: never do it for a needle
    // that cannot fit, so a huge quote costs nothing against short texts.
    if needle.len() > hay.len().saturating_sub(from) {
        return None;
    }
    let mut pos = from;
    while pos <= latest && pos < hay.len() {
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        let window_end = (latest + needle.len()).min(hay.len());
        let window = hay.get(pos..window_end)?;
        let off = window.find(needle)?;
        let s = pos + off;
        if boundary_ok(hay, s, s + needle.len()) {
            return Some(s);
        }
        // Step past this char and retry.
        pos = s + hay[s..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn next_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

/// The texts an index was built from, handed back at look-up time: the
/// index keeps no copy of them, only reads the few a look-up needs.
/// The words of a quote's parts that can be found in raw texts by a
/// case-blind byte search wherever the normalised text has them: plain-
/// ASCII words (4+ letters or digits), and words of letters that have no
/// case at all (Devanagari, Chinese, Arabic…; 2+ characters), whose bytes
/// are the same raw and normalised in a text in NFC. The flag says which
/// kind each is.
fn anchor_words(parts: &[(Gap, String)]) -> impl Iterator<Item = (&str, bool)> {
    parts
        .iter()
        .flat_map(|(_, p)| tokens(p).map(move |r| &p[r]))
        .filter_map(|w| {
            if w.len() >= 4 && w.bytes().all(|b| b.is_ascii_alphanumeric()) {
                Some((w, false))
            } else if w.chars().count() >= 2 && w.chars().all(caseless) {
                Some((w, true))
            } else {
                None
            }
        })
}

/// A character that is not ASCII (its case-blind search is the plain one)
/// and that lower- and upper-casing leave as it is.
fn caseless(c: char) -> bool {
    let mut lower = c.to_lowercase();
    let mut upper = c.to_uppercase();
    !c.is_ascii()
        && lower.next() == Some(c)
        && lower.next().is_none()
        && upper.next() == Some(c)
        && upper.next().is_none()
}

/// `raw` with its invisible characters dropped, and the map from offsets
/// of the result back to offsets of `raw`.
fn without_invisible(raw: &str) -> (String, impl Fn(usize) -> usize) {
    // Where they stand, by byte search (a UTF-8 encoding found in valid
    // text always starts a character), then the text between copied whole:
    // char by char, this was a sixth of a long draft's first check.
    let mut cuts: Vec<(usize, usize)> = invisible_finders()
        .iter()
        .flat_map(|f| {
            let len = f.needle().len();
            f.find_iter(raw.as_bytes()).map(move |at| (at, len))
        })
        .collect();
    cuts.sort_unstable();
    let mut stripped = String::with_capacity(raw.len());
    // (offset in `stripped`, bytes removed up to and including there)
    let mut shifts: Vec<(usize, usize)> = Vec::with_capacity(cuts.len());
    let mut removed = 0;
    let mut from = 0;
    for (at, len) in cuts {
        stripped.push_str(&raw[from..at]);
        removed += len;
        shifts.push((stripped.len(), removed));
        from = at + len;
    }
    stripped.push_str(&raw[from..]);
    let to_raw = move |p: usize| {
        let i = shifts.partition_point(|&(at, _)| at <= p);
        p + if i == 0 { 0 } else { shifts[i - 1].1 }
    };
    (stripped, to_raw)
}

/// Where the anchor word stands in a raw text, as byte ranges of the raw
/// text. Invisible characters (a soft hyphen, a zero-width space) vanish in
/// normalising, so in a text that has them the word is looked for with them
/// skipped and its places mapped back.
fn anchor_places(finder: &aho_corasick::AhoCorasick, raw: &str) -> Vec<(usize, usize)> {
    if !has_invisible(raw) {
        return finder
            .find_iter(raw)
            .map(|m| (m.start(), m.end()))
            .collect();
    }
    let (stripped, to_raw) = without_invisible(raw);
    finder
        .find_iter(&stripped)
        .map(|m| (to_raw(m.start()), to_raw(m.end()).min(raw.len())))
        .collect()
}

/// Whether `text` is in NFC. The quick check settles most texts; where
/// it cannot (a nukta, which may or may not compose with the letter before
/// it), only the stretch from the last letter before such a mark to the
/// next is normalised and compared, not the whole text.
fn is_nfc(text: &str) -> bool {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => return true,
        IsNormalized::No => return false,
        IsNormalized::Maybe => {}
    }
    let starter = |c: char| canonical_combining_class(c) == 0;
    for (i, c) in text.char_indices() {
        if is_nfc_quick(std::iter::once(c)) != IsNormalized::Maybe {
            continue;
        }
        let start = text[..i]
            .char_indices()
            .rev()
            .find(|&(_, b)| starter(b))
            .map_or(0, |(j, _)| j);
        let after = i + c.len_utf8();
        let end = text[after..]
            .char_indices()
            .find(|&(_, a)| starter(a))
            .map_or(text.len(), |(j, _)| after + j);
        let stretch = &text[start..end];
        if !stretch.nfc().eq(stretch.chars()) {
            return false;
        }
    }
    true
}

fn prev_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Exact matches of `parts` in one normalised text (or window of a text
/// starting at `offset` of the original), appended to `hits`. `edges` says
/// which ends of the window are cuts inside the text.
#[allow(clippy::too_many_arguments)]
fn match_parts(
    nt: &NormText,
    parts: &[(Gap, String)],
    budget: &mut usize,
    t: usize,
    offset: usize,
    edges: (bool, bool),
    hits: &mut Vec<QuoteHit>,
) {
    let hay = nt.norm.as_str();
    let first = &parts[0].1;
    let mut from = 0;
    while let Some(s) = find_bounded(hay, first, from, hay.len(), budget) {
        let mut end = s + first.len();
        let mut ok = !(edges.0 && s == 0);
        for (gap, p) in &parts[1..] {
            if !ok {
                break;
            }
            let max_gap = if *gap == Gap::Insertion {
                BRACKET_GAP
            } else {
                ELLIPSIS_GAP
            };
            let latest = next_char_boundary(hay, (end + max_gap).min(hay.len()));
            match find_bounded(hay, p, end, latest, budget) {
                Some(ps) => end = ps + p.len(),
                None => ok = false,
            }
        }
        if ok && edges.1 && end == hay.len() {
            ok = false;
        }
        if ok {
            let r = nt.orig_range(s..end);
            let range = r.start + offset..r.end + offset;
            if !hits.iter().any(|h| h.text == t && h.range == range) {
                hits.push(QuoteHit {
                    text: t,
                    range,
                    score: 1.0,
                });
            }
        }
        from = s + hay[s..].chars().next().map_or(1, char::len_utf8);
        if *budget == 0 {
            return;
        }
    }
}

/// The texts an index was built from, as look-ups read them.
pub trait Texts {
    /// Text number `i`, as it was when the index was built. A document
    /// whose text is still in the cache is read for the look-up and not
    /// kept: a quotation's candidates can be thousands of articles, and
    /// checking them should not leave them all in memory.
    fn text(&self, i: usize) -> Option<Cow<'_, str>>;

    /// The length of text number `i`, without reading it when it can.
    fn len_of(&self, i: usize) -> Option<usize> {
        self.text(i).map(|t| t.len())
    }
}

impl<S: AsRef<str>> Texts for [S] {
    fn text(&self, i: usize) -> Option<Cow<'_, str>> {
        self.get(i).map(|s| Cow::Borrowed(s.as_ref()))
    }
}

impl<S: AsRef<str>, const N: usize> Texts for [S; N] {
    fn text(&self, i: usize) -> Option<Cow<'_, str>> {
        self.as_slice().text(i)
    }
}

impl<S: AsRef<str>> Texts for Vec<S> {
    fn text(&self, i: usize) -> Option<Cow<'_, str>> {
        self.as_slice().text(i)
    }
}

impl Texts for [Document] {
    fn text(&self, i: usize) -> Option<Cow<'_, str>> {
        self.get(i).map(|d| d.text.peek())
    }

    fn len_of(&self, i: usize) -> Option<usize> {
        self.get(i).map(|d| d.text.len())
    }
}

impl Texts for Vec<Document> {
    fn text(&self, i: usize) -> Option<Cow<'_, str>> {
        self.as_slice().text(i)
    }

    fn len_of(&self, i: usize) -> Option<usize> {
        self.as_slice().len_of(i)
    }
}

/// Append `v` as an unsigned LEB128 varint.
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Read a varint at `*at`, moving past it; 0 past the end (a damaged
/// cache reads as empty lists, never as a panic).
pub(crate) fn get_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        if shift < 64 {
            v |= u64::from(b & 0x7f) << shift;
        }
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    v
}

/// FNV-1a: stable across runs and builds, so a persisted table stays valid.
fn term_hash(term: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in term.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A vocabulary without a `String` per term: every term in one string, an
/// end offset per term, and an open-addressing table of term numbers.
/// About 10 bytes per term beyond the term's own letters.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Vocab {
    text: String,
    #[serde(with = "super::packed")]
    ends: Vec<u32>,
    /// Term number + 1 by hash slot; 0 is an empty slot.
    #[serde(with = "super::packed")]
    table: Vec<u32>,
}

impl Vocab {
    /// A vocabulary of `terms`, numbered in the order given.
    pub(crate) fn new<'s>(terms: impl ExactSizeIterator<Item = &'s str>) -> Vocab {
        let n = terms.len();
        let mut vocab = Vocab {
            text: String::new(),
            ends: Vec::with_capacity(n),
            // At most three quarters full: short probes, 5 to 11 bytes a term.
            table: vec![0; (n * 4 / 3 + 1).next_power_of_two()],
        };
        let mask = vocab.table.len() - 1;
        for term in terms {
            vocab.text.push_str(term);
            vocab.ends.push(vocab.text.len() as u32);
            let id = vocab.ends.len() as u32;
            let mut slot = term_hash(term) as usize & mask;
            while vocab.table[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            vocab.table[slot] = id;
        }
        vocab
    }

    pub(crate) fn term(&self, id: u32) -> &str {
        let i = id as usize;
        let start = match i.checked_sub(1) {
            Some(p) => self.ends.get(p).copied().unwrap_or(0) as usize,
            None => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        self.text.get(start..end.max(start)).unwrap_or("")
    }

    pub(crate) fn get(&self, term: &str) -> Option<u32> {
        if self.table.is_empty() {
            return None;
        }
        let mask = self.table.len() - 1;
        let mut slot = term_hash(term) as usize & mask;
        // The table is never full, so an empty slot ends every probe; the
        // bound only guards a damaged deserialised table.
        for _ in 0..self.table.len() {
            let id = self.table[slot];
            if id == 0 {
                return None;
            }
            if self.term(id - 1) == term {
                return Some(id - 1);
            }
            slot = (slot + 1) & mask;
        }
        None
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4 + self.table.capacity() * 4
    }
}

/// Posting lists in one byte string: per term a header of varints, then
/// its ids in increasing order as varint gaps.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Postings {
    /// Not serialized with the rest: the cache stores them as a section of
    /// their own, which a load takes as it reads it, without decoding or
    /// copying ([`QuoteIndex::postings_bytes`]).
    #[serde(skip)]
    bytes: Vec<u8>,
    /// Where each term's list starts in `bytes`; one more for the end.
    #[serde(with = "super::packed")]
    starts: Vec<u32>,
}

impl Postings {
    pub(crate) fn list(&self, id: u32) -> &[u8] {
        let i = id as usize;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => self.bytes.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.starts.capacity() * 4
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub(crate) fn set_bytes(&mut self, bytes: Vec<u8>) {
        self.bytes = bytes;
    }
}

/// Builds a [`Vocab`] and [`Postings`] in one pass over the ids in
/// increasing order, each term's list growing as compressed bytes.
#[derive(Default)]
pub(crate) struct PostingsBuilder {
    terms: FastMap<String, TermList>,
}

#[derive(Default)]
struct TermList {
    bytes: Vec<u8>,
    /// Last id added, plus one (0: none yet).
    last: u32,
    count: u32,
    /// Total occurrences.
    occurrences: u64,
}

/// One posting for [`PostingsBuilder::add_batch`]: term, id, occurrences
/// and the extra bits and bytes [`PostingsBuilder::add`] takes.
pub(crate) type BatchEntry<'t> = (&'t str, u32, u32, (u64, Option<u64>));

impl TermList {
    fn push(&mut self, id: u32, occurrences: u32, extra_bits: u32, extra: (u64, Option<u64>)) {
        if self.last > id {
            return;
        }
        let gap = u64::from(id + 1 - self.last);
        put_varint(&mut self.bytes, (gap << extra_bits) | extra.0);
        if let Some(more) = extra.1 {
            put_varint(&mut self.bytes, more);
        }
        self.last = id + 1;
        self.count += 1;
        self.occurrences += u64::from(occurrences);
    }
}

impl PostingsBuilder {
    /// Record that `id` holds `term` `occurrences` times, with `extra`
    /// encoding whatever the index keeps per posting beyond the id (the
    /// gap is shifted left by `extra_bits` and or-ed with `extra.0`; bytes
    /// in `extra.1` follow). Ids come in increasing order per term. (The
    /// indexes add whole batches; this is the one-posting reference.)
    #[cfg(test)]
    pub(crate) fn add(
        &mut self,
        term: &str,
        id: u32,
        occurrences: u32,
        extra_bits: u32,
        extra: (u64, Option<u64>),
    ) {
        self.list(term).push(id, occurrences, extra_bits, extra);
    }

    fn list(&mut self, term: &str) -> &mut TermList {
        if !self.terms.contains_key(term) {
            self.terms.insert(term.to_string(), TermList::default());
        }
        self.terms.get_mut(term).expect("inserted above")
    }

    /// [`PostingsBuilder::add`] for a batch of postings, in increasing id
    /// order: (term, id, occurrences, extra). The batch is grouped by term
    /// first, so each of its distinct terms costs one look-up in the
    /// builder's table (for a large corpus far bigger than any CPU cache)
    /// instead of one per posting. The lists come out the same.
    pub(crate) fn add_batch(&mut self, entries: &[BatchEntry<'_>], extra_bits: u32) {
        let mut local: FastMap<&str, u32> = FastMap::default();
        let of: Vec<u32> = entries
            .iter()
            .map(|e| {
                let next = local.len() as u32;
                *local.entry(e.0).or_insert(next)
            })
            .collect();
        // A stable counting sort by term keeps each term's ids in order.
        let mut starts = vec![0usize; local.len() + 1];
        for &k in &of {
            starts[k as usize + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut next = starts.clone();
        let mut order = vec![0usize; entries.len()];
        for (i, &k) in of.iter().enumerate() {
            order[next[k as usize]] = i;
            next[k as usize] += 1;
        }
        let mut terms: Vec<&str> = vec![""; local.len()];
        for (term, &k) in &local {
            terms[k as usize] = term;
        }
        for (k, term) in terms.iter().enumerate() {
            let list = self.list(term);
            for &i in &order[starts[k]..starts[k + 1]] {
                let (_, id, occurrences, extra) = entries[i];
                list.push(id, occurrences, extra_bits, extra);
            }
        }
    }

    /// The vocabulary (terms in byte order) and the lists, each headed by
    /// its count of ids and, when `with_occurrences`, its total count.
    pub(crate) fn finish(self, with_occurrences: bool) -> (Vocab, Postings) {
        let mut terms: Vec<(String, TermList)> = self.terms.into_iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut postings = Postings {
            bytes: Vec::with_capacity(terms.iter().map(|t| t.1.bytes.len() + 6).sum()),
            starts: Vec::with_capacity(terms.len() + 1),
        };
        // Offsets are 32-bit: lists past 4 GB of postings (some 30 GB of
        // text) are left empty rather than the index doubling its offsets.
        for (_, list) in &terms {
            let at = postings.bytes.len();
            postings.starts.push(at as u32);
            if at + list.bytes.len() + 20 > u32::MAX as usize {
                continue;
            }
            put_varint(&mut postings.bytes, u64::from(list.count));
            if with_occurrences {
                put_varint(&mut postings.bytes, list.occurrences);
            }
            postings.bytes.extend_from_slice(&list.bytes);
        }
        postings.starts.push(postings.bytes.len() as u32);
        let vocab = Vocab::new(terms.iter().map(|t| t.0.as_str()));
        (vocab, postings)
    }
}

/// Tokens a text is indexed under, as byte ranges of its normalised form:
/// runs of letters and digits, and every other non-space character on its
/// own (so a quote of marks alone, "[…]", still has a list to read).
fn tokens(norm: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = norm.char_indices().peekable();
    std::iter::from_fn(move || loop {
        let (i, c) = chars.next()?;
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !d.is_alphanumeric() {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            return Some(i..end);
        }
        if !c.is_whitespace() {
            return Some(i..i + c.len_utf8());
        }
    })
}

/// A text normalised at look-up time, kept a while for the next look-up.
#[derive(Debug, Default)]
struct NormText {
    /// Length of the original text, to notice a text handed back changed.
    orig_len: usize,
    norm: String,
    segs: Vec<Seg>,
    /// `(word id, start, end)` in `norm`, for letters-and-digits words.
    words: Vec<(u32, u32, u32)>,
    /// `(word id, position in words)`, sorted: where a word stands.
    by_word: Vec<(u32, u32)>,
}

impl NormText {
    fn seg_at(&self, n: usize) -> Option<&Seg> {
        let i = self.segs.partition_point(|s| s.norm as usize <= n);
        i.checked_sub(1).map(|i| &self.segs[i])
    }

    /// Original offset where the normalised byte `n` starts.
    fn orig_start(&self, n: usize) -> usize {
        match self.seg_at(n) {
            Some(s) if s.linear => s.orig as usize + (n - s.norm as usize),
            Some(s) => s.orig as usize,
            None => 0,
        }
    }

    /// Original offset where a normalised range ending at `n` ends.
    fn orig_end(&self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        match self.seg_at(n - 1) {
            Some(s) if s.linear => s.orig as usize + (n - s.norm as usize),
            Some(s) => (s.orig + s.orig_len) as usize,
            None => 0,
        }
    }

    fn orig_range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.orig_start(r.start);
        start..self.orig_end(r.end).max(start)
    }

    fn bytes(&self) -> usize {
        self.norm.len() + self.segs.len() * std::mem::size_of::<Seg>() + self.words.len() * 20
    }
}

/// Texts normalised by recent look-ups, least recently used dropped first
/// once they hold more than [`CACHE_BYTES`]: drafts quote the same few
/// sources again and again.
#[derive(Debug, Default)]
struct NormCache {
    inner: Mutex<CacheInner>,
}

#[derive(Debug, Default)]
struct CacheInner {
    texts: HashMap<u32, (Arc<NormText>, u64)>,
    /// Per text read so far, with its length: whether it is in NFC.
    nfc: FastMap<u32, (usize, bool)>,
    bytes: usize,
    tick: u64,
}

/// Most normalised text kept between look-ups (a bound, whatever the
/// corpus size). Re-checks after a keystroke take their quotations from the
/// server's memory of earlier look-ups, so this serves first look-ups that
/// share candidates. Measured at 10,000 articles against 64 MB: a 30 KB
/// re-check is the same (2.5-2.8 ms), a 3 MB draft's first check 5-20%
/// slower, and the server after a session of queries at 100,000 articles
/// holds about 60 MB less (982 MB against 1,041).
const CACHE_BYTES: usize = 32 << 20;
/// Cache bytes a normalised text takes per byte of the original (its
/// copy, offset map and word table), roughly.
const NORM_BYTES_PER_BYTE: u64 = 12;

/// An index over many texts for finding quotations.
///
/// It keeps, per word of the normalised texts (NFC, lower case, one kind of
/// quote mark, apostrophe and dash, single spaces), the sorted numbers of
/// the texts holding it, gap-encoded, plus how often the word occurs; no
/// copy of any text. A look-up intersects the lists of the quote's words
/// and normalises only the texts left (passed back in by the caller), so
/// its cost follows the candidates, not the corpus.
///
/// ```
/// use dossier::corpus::quote_match::QuoteIndex;
/// let texts = ["The mayor said: “We won’t close the harbour — not this year.”"];
/// let index = QuoteIndex::new(&texts);
/// let hits = index.find(&texts, "we won't close the harbour - not this year");
/// assert_eq!(hits.len(), 1);
/// assert_eq!(&texts[0][hits[0].range.clone()], "We won’t close the harbour — not this year");
/// let near = index.find_near(&texts, "We will not close the harbour this year").unwrap();
/// assert!(near.score > 0.6 && near.score < 1.0);
/// ```
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct QuoteIndex {
    count: u32,
    /// Bytes of all the texts indexed.
    bytes: u64,
    vocab: Vocab,
    /// Per token: number of texts, occurrences, then text numbers.
    postings: Postings,
    /// Per text: which pairs of adjacent tokens it holds.
    pairs: PairFilter,
    #[serde(skip)]
    cache: NormCache,
}

/// Per text, a bit set of the pairs of adjacent tokens it holds (each
/// pair hashed to one bit; [`pair_bits`] sizes the set). A
/// quotation's words stand side by side in any text that holds it, so a
/// candidate missing one of its pairs is never read: most texts holding
/// all of a quotation's words hold them apart. A set bit can be another
/// pair's, which only lets a text through to be searched.
#[derive(Debug, Default, Serialize, Deserialize)]
struct PairFilter {
    #[serde(with = "serde_bytes")]
    bits: Vec<u8>,
    /// Where each text's bytes start in `bits`; one more at the end.
    #[serde(with = "super::packed")]
    starts: Vec<u32>,
}

/// A pair of adjacent tokens, hashed from the tokens' hashes.
fn pair_hash(first: &str, second: &str) -> u64 {
    let mut h = term_hash(first).rotate_left(23) ^ term_hash(second);
    // Mixed, so that the low bits the sets use depend on every bit.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

/// The pairs of adjacent tokens of `norm`, hashed.
fn pair_hashes(norm: &str) -> impl Iterator<Item = u64> + '_ {
    let mut before: Option<&str> = None;
    tokens(norm).filter_map(move |r| {
        let token = &norm[r];
        before.replace(token).map(|b| pair_hash(b, token))
    })
}

/// A text's pair bits: three bits for every two pairs, at least 64. A
/// pair of a quotation that the text does not hold then finds its bit set
/// about half the time (1 − e^(−2/3)), so a six-word quotation (five pairs)
/// lets about one in forty of the texts holding its words apart through.
fn pair_bits(norm: &str) -> Vec<u8> {
    let pairs: Vec<u64> = pair_hashes(norm).collect();
    let mut bits = vec![0u8; (pairs.len() * 3 / 2).max(64).div_ceil(8)];
    let n = bits.len() * 8;
    for h in pairs {
        let b = bit_of(h, n);
        bits[b / 8] |= 1 << (b % 8);
    }
    bits
}

/// The bit of `n` a pair's hash stands for (multiply and shift: any `n`).
fn bit_of(h: u64, n: usize) -> usize {
    ((u128::from(h) * n as u128) >> 64) as usize
}

impl PairFilter {
    fn push(&mut self, bits: &[u8]) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.bits.extend_from_slice(bits);
        self.starts.push(self.bits.len() as u32);
    }

    /// Whether text `t` may hold every pair in `pairs` (a text the filter
    /// knows nothing of may).
    fn may_hold(&self, t: u32, pairs: &[u64]) -> bool {
        let t = t as usize;
        let (Some(&from), Some(&to)) = (self.starts.get(t), self.starts.get(t + 1)) else {
            return true;
        };
        let Some(bits) = self.bits.get(from as usize..to as usize) else {
            return true;
        };
        if bits.is_empty() {
            return true;
        }
        let n = bits.len() * 8;
        pairs.iter().all(|&h| {
            let b = bit_of(h, n);
            bits[b / 8] & (1 << (b % 8)) != 0
        })
    }

    fn heap_bytes(&self) -> usize {
        self.bits.capacity() + self.starts.capacity() * 4
    }
}

/// A text normalised while building, with each distinct token once (a
/// range of the text) and how often it occurs.
type CountedText = (String, Vec<(Range<usize>, u32)>, Vec<u8>);

/// Texts (or documents) read in parallel per batch while building either
/// text index; their postings then go in together ([`PostingsBuilder::add_batch`]).
pub(crate) const BUILD_BATCH: usize = 256;

impl QuoteIndex {
    pub fn new(texts: &[&str]) -> QuoteIndex {
        let mut builder = PostingsBuilder::default();
        let mut pairs = PairFilter::default();
        for (b, batch) in texts.chunks(BUILD_BATCH).enumerate() {
            // Normalising is the costly part and needs nothing shared.
            let read: Vec<CountedText> = batch
                .par_iter()
                .map(|text| {
                    let norm = normalize_quote(text);
                    // Distinct tokens with their counts, in first-seen
                    // order (a token's lists do not care which comes first).
                    let mut seen: FastMap<&str, usize> = FastMap::default();
                    let mut counted: Vec<(Range<usize>, u32)> = Vec::new();
                    for r in tokens(&norm) {
                        match seen.entry(&norm[r.clone()]) {
                            Entry::Occupied(at) => counted[*at.get()].1 += 1,
                            Entry::Vacant(slot) => {
                                slot.insert(counted.len());
                                counted.push((r, 1));
                            }
                        }
                    }
                    drop(seen);
                    let pairs = pair_bits(&norm);
                    (norm, counted, pairs)
                })
                .collect();
            for (_, _, bits) in &read {
                pairs.push(bits);
            }
            let entries: Vec<BatchEntry<'_>> = read
                .iter()
                .enumerate()
                .flat_map(|(k, (norm, counted, _))| {
                    let t = (b * BUILD_BATCH + k) as u32;
                    counted
                        .iter()
                        .map(move |(r, n)| (&norm[r.clone()], t, *n, (0, None)))
                })
                .collect();
            builder.add_batch(&entries, 0);
        }
        let (vocab, postings) = builder.finish(true);
        QuoteIndex {
            count: texts.len() as u32,
            bytes: texts.iter().map(|t| t.len() as u64).sum(),
            vocab,
            postings,
            pairs,
            cache: NormCache::default(),
        }
    }

    /// Whether every text, normalised, fits in the look-up cache: then
    /// look-ups normalise whole texts once and keep them (a small corpus is
    /// quoted from again and again), rather than windows each time.
    fn fits_in_cache(&self) -> bool {
        self.bytes.saturating_mul(NORM_BYTES_PER_BYTE) <= CACHE_BYTES as u64
    }

    /// This index as if its texts were too large for the cache: look-ups
    /// search windows of the raw texts.
    #[cfg(test)]
    fn windowed(mut self) -> QuoteIndex {
        self.bytes = u64::MAX;
        self
    }

    /// Number of texts indexed.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Bytes the index holds on the heap (the look-up cache aside, which
    /// never exceeds a fixed bound).
    pub fn heap_bytes(&self) -> usize {
        self.vocab.heap_bytes() + self.postings.heap_bytes() + self.pairs.heap_bytes()
    }

    /// The posting lists' bytes, which serializing the index leaves out:
    /// the cache stores them on their own.
    pub(crate) fn postings_bytes(&self) -> &[u8] {
        self.postings.bytes()
    }

    /// Put back the bytes [`Self::postings_bytes`] gave, after decoding.
    pub(crate) fn set_postings_bytes(&mut self, bytes: Vec<u8>) {
        self.postings.set_bytes(bytes);
    }

    /// (texts holding, occurrences) of a token.
    fn counts(&self, id: u32) -> (u64, u64) {
        let list = self.postings.list(id);
        let mut at = 0;
        let texts = get_varint(list, &mut at);
        (texts, get_varint(list, &mut at))
    }

    /// The texts holding a token, in increasing order.
    fn texts_of(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
        let list = self.postings.list(id);
        let mut at = 0;
        let n = get_varint(list, &mut at);
        get_varint(list, &mut at);
        let mut last = 0u64;
        (0..n).map(move |_| {
            last += get_varint(list, &mut at);
            (last - 1) as u32
        })
    }

    /// The normalised text of `t` if the cache holds it (for an original
    /// of `len` bytes).
    fn cached(&self, t: u32, len: usize) -> Option<Arc<NormText>> {
        let cache = self.cache.inner.lock().ok()?;
        let (nt, _) = cache.texts.get(&t)?;
        (nt.orig_len == len).then(|| Arc::clone(nt))
    }

    /// [`is_nfc`] of text `t`, worked out once per text (a long text takes
    /// a millisecond, and a quotation's candidates are read for every
    /// other quotation from the same article).
    fn text_is_nfc(&self, t: u32, raw: &str) -> bool {
        let known = self.cache.inner.lock().ok().and_then(|c| {
            let &(len, nfc) = c.nfc.get(&t)?;
            (len == raw.len()).then_some(nfc)
        });
        if let Some(nfc) = known {
            return nfc;
        }
        let nfc = is_nfc(raw);
        if let Ok(mut cache) = self.cache.inner.lock() {
            cache.nfc.insert(t, (raw.len(), nfc));
        }
        nfc
    }

    /// Text `t` normalised, from the cache or made now. A text the cache
    /// holds is not read again (from the index cache's file, that is a
    /// read, a hash and a UTF-8 check per candidate of every look-up).
    fn norm_text<T: Texts + ?Sized>(&self, texts: &T, t: u32) -> Option<Arc<NormText>> {
        let len = texts.len_of(t as usize)?;
        if let Ok(mut cache) = self.cache.inner.lock() {
            cache.tick += 1;
            let tick = cache.tick;
            if let Some((nt, used)) = cache.texts.get_mut(&t) {
                if nt.orig_len == len {
                    *used = tick;
                    return Some(Arc::clone(nt));
                }
            }
        }
        let text = texts.text(t as usize)?;
        let text: &str = &text;
        let (norm, segs) = normalize_with_map(text);
        let words: Vec<(u32, u32, u32)> = word_ranges(&norm)
            .into_iter()
            .map(|r| {
                let id = self.vocab.get(&norm[r.clone()]).unwrap_or(u32::MAX);
                (id, r.start as u32, r.end as u32)
            })
            .collect();
        let mut by_word: Vec<(u32, u32)> = words
            .iter()
            .enumerate()
            .map(|(p, w)| (w.0, p as u32))
            .collect();
        by_word.sort_unstable();
        let nt = Arc::new(NormText {
            orig_len: text.len(),
            norm,
            segs,
            words,
            by_word,
        });
        if let Ok(mut cache) = self.cache.inner.lock() {
            let size = nt.bytes();
            let tick = cache.tick;
            if let Some((old, _)) = cache.texts.insert(t, (Arc::clone(&nt), tick)) {
                cache.bytes -= old.bytes().min(cache.bytes);
            }
            cache.bytes += size;
            while cache.bytes > CACHE_BYTES && cache.texts.len() > 1 {
                let Some(oldest) = cache
                    .texts
                    .iter()
                    .filter(|(k, _)| **k != t)
                    .min_by_key(|(_, (_, used))| *used)
                    .map(|(k, _)| *k)
                else {
                    break;
                };
                if let Some((gone, _)) = cache.texts.remove(&oldest) {
                    cache.bytes -= gone.bytes().min(cache.bytes);
                }
            }
        }
        Some(nt)
    }

    /// Exact matches (after normalising quotes, dashes, case, whitespace;
    /// `…`/`...` stands for omitted words, `[…]` for an editorial insertion).
    /// `texts` are the texts the index was built from.
    pub fn find<T: Texts + ?Sized>(&self, texts: &T, quote: &str) -> Vec<QuoteHit> {
        self.find_up_to(texts, quote, usize::MAX)
    }

    /// [`QuoteIndex::find`], stopping once `limit` places are found (in
    /// text order): a word or two in quotation marks stands in thousands
    /// of places, and nobody reads past the first few.
    pub fn find_up_to<T: Texts + ?Sized>(
        &self,
        texts: &T,
        quote: &str,
        limit: usize,
    ) -> Vec<QuoteHit> {
        let q = normalize_quote(quote);
        let trimmed = trim_edges(&q);
        if trimmed.is_empty() {
            return Vec::new();
        }
        let mut budget = FIND_BUDGET;
        // The quote as written first (sources contain brackets and ellipses
        // too), then read as parts with gaps.
        let literal = vec![(Gap::First, trimmed.to_string())];
        let mut hits = self.find_parts(texts, &literal, &mut budget, limit, None);
        if hits.is_empty() {
            let parts = split_parts(&q);
            if parts.len() > 1 || parts.first().is_some_and(|p| p.1 != trimmed) {
                hits = self.find_parts(texts, &parts, &mut budget, limit, None);
            }
        }
        hits.truncate(limit);
        hits
    }

    /// The places [`QuoteIndex::find`] gives that lie in the texts
    /// `within` (sorted), reading only those: for a quotation the sources
    /// hold in many places, whether some of a few chosen texts holds it.
    /// `None` for a quotation with gaps (an ellipsis, an `[insertion]`),
    /// whose reading as parts depends on whether any text at all holds it
    /// as written: the caller asks [`QuoteIndex::find`] instead.
    pub fn find_within<T: Texts + ?Sized>(
        &self,
        texts: &T,
        quote: &str,
        within: &[u32],
    ) -> Option<Vec<QuoteHit>> {
        let q = normalize_quote(quote);
        let trimmed = trim_edges(&q);
        if trimmed.is_empty() {
            return Some(Vec::new());
        }
        let parts = split_parts(&q);
        if parts.len() != 1 || parts[0].1 != trimmed {
            return None;
        }
        let literal = vec![(Gap::First, trimmed.to_string())];
        let mut budget = FIND_BUDGET;
        Some(self.find_parts(texts, &literal, &mut budget, usize::MAX, Some(within)))
    }

    /// Texts holding every token of `parts`, in increasing order. Lists are
    /// intersected rarest first; a list far longer than the candidates left
    /// costs more to read than the texts it could rule out, so it is not.
    fn candidates(&self, parts: &[(Gap, String)]) -> Vec<u32> {
        let mut ids: Vec<(u64, u32)> = Vec::new();
        for (_, p) in parts {
            for r in tokens(p) {
                match self.vocab.get(&p[r]) {
                    None => return Vec::new(),
                    Some(id) => ids.push((self.counts(id).0, id)),
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        let Some(&(_, first)) = ids.first() else {
            return Vec::new();
        };
        let mut found: Vec<u32> = self.texts_of(first).collect();
        for &(n, id) in &ids[1..] {
            let common =
                n > COMMON_MIN_LIST && n.saturating_mul(COMMON_SHARE) > u64::from(self.count);
            if found.is_empty() || common || n > INTERSECT_RATIO * found.len() as u64 {
                break;
            }
            let mut other = self.texts_of(id).peekable();
            found.retain(|&t| {
                while other.next_if(|&o| o < t).is_some() {}
                other.peek() == Some(&t)
            });
        }
        found.truncate(FIND_MAX_TEXTS);
        found
    }

    fn find_parts<T: Texts + ?Sized>(
        &self,
        texts: &T,
        parts: &[(Gap, String)],
        budget: &mut usize,
        limit: usize,
        within: Option<&[u32]>,
    ) -> Vec<QuoteHit> {
        let mut hits = Vec::new();
        if parts.is_empty() {
            return hits;
        }
        // Every candidate holds every word of the quote, but most hold them
        // apart. Rather than normalise a whole article per candidate (the
        // cost that grows with the corpus), look for the quote's longest
        // plain-ASCII word in the raw text and normalise only a window
        // around each place it stands: any match contains that word.
        // The longest plain-ASCII word, as a rare one (a short word also
        // stands inside longer ones); else the rarest caseless word, which
        // stands in the fewest places ("नहीं" is nearly all of a text).
        let anchor = anchor_words(parts)
            .filter(|&(_, caseless)| !caseless)
            .max_by_key(|&(w, _)| w.len())
            .or_else(|| {
                anchor_words(parts).min_by_key(|&(w, _)| {
                    let occurrences = self.vocab.get(w).map_or(0, |id| self.counts(id).1);
                    (occurrences, std::cmp::Reverse(w.len()))
                })
            });
        let caseless_anchor = anchor.is_some_and(|(_, caseless)| caseless);
        let mut candidates = self.candidates(parts);
        if let Some(within) = within {
            candidates.retain(|t| within.binary_search(t).is_ok());
        }
        // A caseless word is searched for only among many candidates: a
        // few are better normalised whole and kept, as the other quotations
        // of the same article will read them again.
        let anchor =
            anchor.filter(|_| !caseless_anchor || candidates.len() > CASELESS_WINDOWS_FROM);
        let finder = anchor.and_then(|(a, _)| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build([a])
                .ok()
        });
        let span: usize = parts.iter().map(|(_, p)| p.len()).sum::<usize>()
            + parts.len().saturating_sub(1) * ELLIPSIS_GAP;
        let radius = 2 * span + 256;
        let pairs: Vec<u64> = parts.iter().flat_map(|(_, p)| pair_hashes(p)).collect();
        for t in candidates {
            if !self.pairs.may_hold(t, &pairs) {
                continue;
            }
            let Some(len) = texts.len_of(t as usize) else {
                continue;
            };
            let windowed = !self.fits_in_cache() && self.cached(t, len).is_none();
            if let (true, Some(finder)) = (windowed, &finder) {
                let Some(raw) = texts.text(t as usize) else {
                    continue;
                };
                let raw: &str = &raw;
                // A word of caseless letters may be written otherwise in a
                // text not in NFC ("क़" as one character or two): such a
                // text is normalised whole.
                if caseless_anchor && !self.text_is_nfc(t, raw) {
                    if let Some(nt) = self.norm_text(texts, t) {
                        let whole = (false, false);
                        match_parts(&nt, parts, budget, t as usize, 0, whole, &mut hits);
                        if *budget == 0 || hits.len() >= limit {
                            return hits;
                        }
                    }
                    continue;
                }
                let mut windows: Vec<Range<usize>> = Vec::new();
                for (ms, me) in anchor_places(finder, raw) {
                    let start = prev_char_boundary(raw, ms.saturating_sub(radius));
                    let end = next_char_boundary(raw, (me + radius).min(raw.len()));
                    match windows.last_mut() {
                        Some(w) if start <= w.end => w.end = w.end.max(end),
                        _ => windows.push(start..end),
                    }
                }
                // No window: the word is not in this text (candidates need
                // not hold every word), so no match can be.
                for w in windows {
                    let (norm, segs) = normalize_with_map(&raw[w.clone()]);
                    let nt = NormText {
                        orig_len: w.len(),
                        norm,
                        segs,
                        words: Vec::new(),
                        by_word: Vec::new(),
                    };
                    // A match touching a cut edge may be a word cut in two;
                    // a real one lies inside some window.
                    let edges = (w.start > 0, w.end < raw.len());
                    match_parts(&nt, parts, budget, t as usize, w.start, edges, &mut hits);
                    if *budget == 0 || hits.len() >= limit {
                        return hits;
                    }
                }
                continue;
            }
            let Some(nt) = self.norm_text(texts, t) else {
                continue;
            };
            match_parts(&nt, parts, budget, t as usize, 0, (false, false), &mut hits);
            if *budget == 0 || hits.len() >= limit {
                return hits;
            }
        }
        hits
    }

    /// The closest passage when there is no exact match: for misquotes.
    ///
    /// Candidate windows come from the quote's rarest words; each is scored
    /// by a word-level edit distance that lets the passage start and end
    /// anywhere in the window. Only the first 200 words of a quote are
    /// compared. Returns the best passage scoring at least 0.6.
    pub fn find_near<T: Texts + ?Sized>(&self, texts: &T, quote: &str) -> Option<QuoteHit> {
        let q = normalize_quote(quote);
        let qwords: Vec<Option<u32>> = word_ranges(&q)
            .into_iter()
            .take(NEAR_MAX_WORDS)
            .map(|r| self.vocab.get(&q[r]))
            .collect();
        let n = qwords.len();
        if n == 0 {
            return None;
        }
        // Anchors: known words, rarest first.
        let mut anchors: Vec<(usize, u32)> = qwords
            .iter()
            .enumerate()
            .filter_map(|(i, w)| w.map(|id| (i, id)))
            .collect();
        anchors.sort_by_key(|&(i, id)| (self.counts(id).1, i));
        let slack = (n / 4).max(3);
        let used: Vec<(usize, u32)> = anchors.iter().take(12).copied().collect();
        let needed = (used.len() as u32 / 3).max(1);
        // Only texts holding enough of the anchors can hold a passage that
        // enough anchors agree on (below): count per text first.
        // Counted in a flat table: up to NEAR_MAX_TEXT_POSTINGS increments
        // per look-up, far cheaper than as many hash-map updates.
        let mut per_text: Vec<u32> = vec![0; self.len()];
        let mut touched: Vec<u32> = Vec::new();
        let mut read = 0;
        'texts: for &(_, id) in &used {
            for t in self.texts_of(id) {
                read += 1;
                if read > NEAR_MAX_TEXT_POSTINGS {
                    break 'texts;
                }
                let Some(c) = per_text.get_mut(t as usize) else {
                    continue;
                };
                if *c == 0 {
                    touched.push(t);
                }
                *c += 1;
            }
        }
        let mut chosen: Vec<(u32, u32)> = touched
            .into_iter()
            .map(|t| (t, per_text[t as usize]))
            .filter(|&(_, v)| v >= needed)
            .collect();
        chosen.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        chosen.truncate(NEAR_MAX_TEXTS);
        chosen.sort_unstable();
        let chosen: Vec<u32> = chosen.into_iter().map(|(t, _)| t).collect();
        let near = NearQuery {
            q: &q,
            qwords: &qwords,
            used: &used,
            needed,
            slack,
        };
        // Plain-ASCII anchors are found in the raw texts by a case-blind
        // byte search, and only windows around where they stand are
        // normalised: the cost follows the quote, not the articles' length.
        // A quote with too few of them is compared against whole texts.
        let windowed = (!self.fits_in_cache())
            .then(|| self.near_in_windows(texts, &near, &chosen))
            .flatten();
        match windowed {
            Some(found) => found,
            None => self.near_in_whole_texts(texts, &near, &chosen),
        }
    }

    /// `find_near` over windows of the raw texts around its ASCII anchors;
    /// `None` when the quote has too few such anchors to vote.
    fn near_in_windows<T: Texts + ?Sized>(
        &self,
        texts: &T,
        near: &NearQuery<'_>,
        chosen: &[u32],
    ) -> Option<Option<QuoteHit>> {
        let qranges = word_ranges(near.q);
        let mut patterns: Vec<&str> = Vec::new();
        // Per pattern: the quote positions of that word among the anchors.
        let mut at: Vec<Vec<usize>> = Vec::new();
        for &(qi, _) in near.used {
            let w = &near.q[qranges[qi].clone()];
            if !w.bytes().all(|b| b.is_ascii_alphanumeric()) {
                continue;
            }
            match patterns.iter().position(|p| *p == w) {
                Some(k) => at[k].push(qi),
                None => {
                    patterns.push(w);
                    at.push(vec![qi]);
                }
            }
        }
        let anchors: usize = at.iter().map(Vec::len).sum();
        let needed = (anchors as u32 / 3).max(1);
        if anchors == 0 || anchors * 2 < near.used.len() {
            return None;
        }
        let finder = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&patterns)
            .ok()?;
        let n = near.qwords.len();
        // Bytes per quote word: turns word slack into byte slack.
        let per_word = near.q.len().div_ceil(n).max(2);
        let slack = near.slack * per_word;
        let mut votes: HashMap<(u32, u32), u32> = HashMap::new();
        let mut read = 0;
        'texts: for &t in chosen {
            let Some(raw) = texts.text(t as usize) else {
                continue;
            };
            let raw: &str = &raw;
            let mut places = word_places(&finder, raw);
            places.sort_unstable();
            for (k, qis) in at.iter().enumerate() {
                let from = places.partition_point(|p| p.0 < k);
                let upto = places.partition_point(|p| p.0 <= k);
                for &qi in qis {
                    let qoff = qranges[qi].start;
                    let mut voted: Vec<u32> = Vec::new();
                    for &(_, b) in &places[from..upto] {
                        read += 1;
                        if read > NEAR_MAX_POSTINGS {
                            break 'texts;
                        }
                        let bucket = (b.saturating_sub(qoff) / slack) as u32;
                        vote(&mut votes, &mut voted, t, bucket);
                    }
                }
            }
        }
        let ranked = best_voted(votes, needed);
        // (score, text, window, stretch of the window's words)
        let mut best: Option<(f32, u32, Range<usize>, usize, usize)> = None;
        let mut ids: Vec<u32> = Vec::new();
        for (t, bucket) in ranked {
            let Some(raw) = texts.text(t as usize) else {
                continue;
            };
            let raw: &str = &raw;
            let from = (bucket as usize).saturating_sub(1) * slack;
            let w = word_window(raw, from, from + near.q.len() + 3 * slack);
            let (norm, _) = normalize_with_map(&raw[w.clone()]);
            ids.clear();
            ids.extend(
                word_ranges(&norm)
                    .into_iter()
                    .map(|r| self.vocab.get(&norm[r]).unwrap_or(u32::MAX)),
            );
            if let Some((score, a, b)) = align(near.qwords, &ids) {
                if best.as_ref().is_none_or(|(s, ..)| score > *s) {
                    best = Some((score, t, w, a, b));
                }
            }
        }
        let Some((score, t, w, a, b)) = best else {
            return Some(None);
        };
        if score < NEAR_MIN_SCORE {
            return Some(None);
        }
        let raw = texts.text(t as usize)?;
        let raw: &str = &raw;
        let (norm, segs) = normalize_with_map(&raw[w.clone()]);
        let words = word_ranges(&norm);
        let nt = NormText {
            orig_len: w.len(),
            norm,
            segs,
            words: Vec::new(),
            by_word: Vec::new(),
        };
        let r = nt.orig_range(words[a].start..words[b - 1].end);
        Some(Some(QuoteHit {
            text: t as usize,
            range: r.start + w.start..r.end + w.start,
            score,
        }))
    }

    /// `find_near` against the chosen texts normalised whole.
    fn near_in_whole_texts<T: Texts + ?Sized>(
        &self,
        texts: &T,
        near: &NearQuery<'_>,
        chosen: &[u32],
    ) -> Option<QuoteHit> {
        let (qwords, used, needed, slack) = (near.qwords, near.used, near.needed, near.slack);
        let n = qwords.len();
        let docs: Vec<(u32, Arc<NormText>)> = chosen
            .iter()
            .filter_map(|&t| Some((t, self.norm_text(texts, t)?)))
            .collect();

        // Each anchor votes for the stretches of text where the quote would
        // start if that word were in place; only stretches that enough
        // anchors agree on are aligned. A passage within the similarity
        // threshold keeps most of the quote's words, so most anchors vote
        // for it, while a stretch that merely shares "the" gets one vote.
        let mut votes: HashMap<(u32, u32), u32> = HashMap::new();
        let mut read = 0;
        'outer: for &(qi, id) in used {
            for (t, nt) in &docs {
                // Where the anchor stands in this text, positions rising,
                // so a key repeats only right after itself.
                let from = nt.by_word.partition_point(|&(w, _)| w < id);
                let upto = nt.by_word.partition_point(|&(w, _)| w <= id);
                let mut voted: Vec<u32> = Vec::new();
                for &(_, p) in nt.by_word.get(from..upto).unwrap_or(&[]) {
                    read += 1;
                    if read > NEAR_MAX_POSTINGS {
                        break 'outer;
                    }
                    let bucket = ((p as usize).saturating_sub(qi) / slack) as u32;
                    vote(&mut votes, &mut voted, *t, bucket);
                }
            }
        }
        let ranked = best_voted(votes, needed);
        let mut best: Option<(f32, usize, usize, usize)> = None;
        let mut win: Vec<u32> = Vec::new();
        for (t, bucket) in ranked {
            let Ok(d) = docs.binary_search_by_key(&t, |(t, _)| *t) else {
                continue;
            };
            let start = (bucket as usize).saturating_sub(1) * slack;
            let words = &docs[d].1.words;
            let end = (start + n + 3 * slack).min(words.len());
            if start >= end {
                continue;
            }
            win.clear();
            win.extend(words[start..end].iter().map(|w| w.0));
            if let Some((score, a, b)) = align(qwords, &win) {
                if best.is_none_or(|(s, ..)| score > s) {
                    best = Some((score, d, start + a, start + b));
                }
            }
        }
        let (score, d, a, b) = best?;
        if score < NEAR_MIN_SCORE {
            return None;
        }
        let (t, nt) = &docs[d];
        let ws = nt.words[a].1 as usize;
        let we = nt.words[b - 1].2 as usize;
        Some(QuoteHit {
            text: *t as usize,
            range: nt.orig_range(ws..we),
            score,
        })
    }
}

/// What `find_near` has worked out about a quote before reading texts.
struct NearQuery<'q> {
    /// The quote, normalised.
    q: &'q str,
    /// Its words' ids (`None`: a word no text has).
    qwords: &'q [Option<u32>],
    /// Anchors (quote position, word id), rarest first.
    used: &'q [(usize, u32)],
    /// Votes a stretch needs.
    needed: u32,
    /// Words a passage may be shifted by.
    slack: usize,
}

/// Where the patterns of `finder` stand in `raw` as whole words:
/// (pattern, start). Invisible characters inside a word are skipped, as
/// normalising drops them.
fn word_places(finder: &aho_corasick::AhoCorasick, raw: &str) -> Vec<(usize, usize)> {
    let bytes = raw.as_bytes();
    let alnum_before = |i: usize| {
        raw[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    };
    let alnum_after = |i: usize| raw[i..].chars().next().is_some_and(char::is_alphanumeric);
    if !has_invisible(raw) {
        return finder
            .find_overlapping_iter(raw)
            .filter(|m| {
                // Most neighbours are ASCII: decide those without decoding.
                let before = m.start() > 0 && {
                    let b = bytes[m.start() - 1];
                    if b.is_ascii() {
                        b.is_ascii_alphanumeric()
                    } else {
                        alnum_before(m.start())
                    }
                };
                let after = m.end() < bytes.len() && {
                    let b = bytes[m.end()];
                    if b.is_ascii() {
                        b.is_ascii_alphanumeric()
                    } else {
                        alnum_after(m.end())
                    }
                };
                !before && !after
            })
            .map(|m| (m.pattern().as_usize(), m.start()))
            .collect();
    }
    let (stripped, to_raw) = without_invisible(raw);
    let s = stripped.as_str();
    finder
        .find_overlapping_iter(s)
        .filter(|m| {
            !s[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && !s[m.end()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        })
        .map(|m| (m.pattern().as_usize(), to_raw(m.start()).min(raw.len())))
        .collect()
}

/// `from..to` of `raw` widened to whole words (to white space or the
/// text's ends, within a reach), on char boundaries.
fn word_window(raw: &str, from: usize, to: usize) -> Range<usize> {
    let bytes = raw.as_bytes();
    // A word is rarely longer than this; text without spaces is cut.
    const REACH: usize = 64;
    let mut start = from.min(raw.len());
    let floor = start.saturating_sub(REACH);
    while start > floor && !bytes[start - 1].is_ascii_whitespace() {
        start -= 1;
    }
    let mut end = to.min(raw.len());
    let ceiling = (end + REACH).min(raw.len());
    while end < ceiling && !bytes[end].is_ascii_whitespace() {
        end += 1;
    }
    prev_char_boundary(raw, start)..next_char_boundary(raw, end)
}

/// One anchor's vote for the stretch of text `t` starting in `bucket`,
/// and for the next (insertions and deletions shift a start a little);
/// `voted` keeps the anchor from voting for a stretch twice.
fn vote(votes: &mut HashMap<(u32, u32), u32>, voted: &mut Vec<u32>, t: u32, bucket: u32) {
    for key in [bucket, bucket + 1] {
        if !voted.iter().rev().take(2).any(|&v| v == key) {
            voted.push(key);
            *votes.entry((t, key)).or_default() += 1;
        }
    }
}

/// Stretches with enough votes, most voted first, at most
/// [`NEAR_MAX_CANDIDATES`].
fn best_voted(votes: HashMap<(u32, u32), u32>, needed: u32) -> Vec<(u32, u32)> {
    let mut ranked: Vec<((u32, u32), u32)> =
        votes.into_iter().filter(|&(_, v)| v >= needed).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(NEAR_MAX_CANDIDATES);
    ranked.into_iter().map(|(k, _)| k).collect()
}

/// Semi-global word alignment: the whole quote against any stretch of the
/// window. Returns (similarity, stretch start, stretch end).
fn align(q: &[Option<u32>], win: &[u32]) -> Option<(f32, usize, usize)> {
    let n = q.len();
    let m = win.len();
    // prev[j]/cur[j]: (distance, start of the stretch) for q[..i] vs win[..j].
    let mut prev: Vec<(u32, u32)> = (0..=m).map(|j| (0, j as u32)).collect();
    let mut cur = vec![(0u32, 0u32); m + 1];
    for i in 1..=n {
        cur[0] = (i as u32, 0);
        for j in 1..=m {
            let same = q[i - 1] == Some(win[j - 1]);
            let diag = (prev[j - 1].0 + u32::from(!same), prev[j - 1].1);
            let up = (prev[j].0 + 1, prev[j].1);
            let left = (cur[j - 1].0 + 1, cur[j - 1].1);
            let mut bestc = diag;
            if up.0 < bestc.0 {
                bestc = up;
            }
            if left.0 < bestc.0 {
                bestc = left;
            }
            cur[j] = bestc;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let mut best: Option<(f32, usize, usize)> = None;
    for (j, &(d, s)) in prev.iter().enumerate().skip(1) {
        let s = s as usize;
        if j <= s {
            continue;
        }
        let len = (j - s).max(n) as f32;
        let score = 1.0 - d as f32 / len;
        if best.is_none_or(|(b, ..)| score > b) {
            best = Some((score, s, j));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_dropped_and_offsets_map_back() {
        let raw = "Zo\u{AD}ë\u{200B}\u{200B} Ång\u{FEFF}ström “in\u{2060}ter\u{200C}na\u{200D}tional” 🚢\r\nend\u{AD}";
        let (stripped, to_raw) = without_invisible(raw);
        let expected: String = raw.chars().filter(|&c| !is_invisible(c)).collect();
        assert_eq!(stripped, expected);
        // Every character of the result maps to the same character of `raw`.
        for (at, c) in stripped.char_indices() {
            assert_eq!(raw[to_raw(at)..].chars().next(), Some(c), "at {at}");
        }
        assert_eq!(to_raw(0), 0);
        let (plain, same) = without_invisible("no marks here");
        assert_eq!((plain.as_str(), same(5)), ("no marks here", 5));
    }

    fn hit_texts<'a>(texts: &[&'a str], hits: &[QuoteHit]) -> Vec<(usize, &'a str)> {
        hits.iter()
            .map(|h| (h.text, &texts[h.text][h.range.clone()]))
            .collect()
    }

    const FISH: &str = "Director Anna Kowalczyk of the Ministry of Fisheries said: “We won’t reopen the northern quota — not while stocks are falling.”\r\nShe added that the fleet had “done everything that needed to be checked with our partners in the E.U.”";
    const CAFE: &str = "Café owner Zoë Łukasiewicz 😀 said the tax was \"a crushing\r\n   blow\" for small firms... and that she would \"fight it -- all the way.\"";

    #[test]
    fn curly_and_straight_quotes_apostrophes_and_dashes_match() {
        let texts = [FISH, CAFE];
        let index = QuoteIndex::new(&texts);
        let hits = index.find(
            &texts,
            "\"We won't reopen the northern quota - not while stocks are falling.\"",
        );
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(
                0,
                "We won’t reopen the northern quota — not while stocks are falling"
            )]
        );
        // Double hyphen in the source, en dash in the quote.
        let hits = index.find(&texts, "fight it – all the way");
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(1, "fight it -- all the way")]
        );
    }

    #[test]
    fn case_and_crlf_line_breaks_are_ignored() {
        let texts = [FISH, CAFE];
        let index = QuoteIndex::new(&texts);
        let hits = index.find(&texts, "A CRUSHING BLOW");
        assert_eq!(hit_texts(&texts, &hits), vec![(1, "a crushing\r\n   blow")]);
        let hits = index.find(&texts, "falling.” She added");
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(0, "falling.”\r\nShe added")]
        );
    }

    #[test]
    fn accents_emoji_and_decomposed_letters_map_to_char_boundaries() {
        let texts = [CAFE];
        let index = QuoteIndex::new(&texts);
        // Decomposed "e" + combining acute in the quote; precomposed in text.
        let hits = index.find(&texts, "cafe\u{301} owner zoë łukasiewicz 😀 said");
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(0, "Café owner Zoë Łukasiewicz 😀 said")]
        );
        // And the other way round: the source decomposed.
        let decomposed = "Nadia Re\u{301}mond said “the ferry is late”.";
        let texts = [decomposed];
        let index = QuoteIndex::new(&texts);
        let hits = index.find(&texts, "Nadia Rémond said");
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(0, "Nadia Re\u{301}mond said")]
        );
        let hits = index.find(&texts, "rémond");
        assert_eq!(hits.len(), 1);
        assert!(decomposed.is_char_boundary(hits[0].range.end));
    }

    #[test]
    fn words_must_match_whole() {
        let texts = ["The fleet's catch doubled."];
        let index = QuoteIndex::new(&texts);
        assert!(index.find(&texts, "atch doubled").is_empty());
        assert!(index.find(&texts, "the fleet").len() == 1);
        assert!(index.find(&texts, "fleet’s catch").len() == 1);
    }

    #[test]
    fn ellipsis_stands_for_omitted_words_within_a_window() {
        let texts = [FISH, CAFE];
        let index = QuoteIndex::new(&texts);
        let hits = index.find(&texts, "“We won’t reopen … while stocks are falling”");
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(
                0,
                "We won’t reopen the northern quota — not while stocks are falling"
            )]
        );
        let hits = index.find(&texts, "a crushing blow...fight it");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].text, 1);
        // Parts out of order never match.
        assert!(index
            .find(&texts, "not while stocks … we won’t reopen")
            .is_empty());
        // Parts too far apart do not match.
        let far = format!("alpha beta {} gamma delta", "filler words ".repeat(60));
        let texts = [far.as_str()];
        let index = QuoteIndex::new(&texts);
        assert!(index.find(&texts, "alpha beta ... gamma delta").is_empty());
        assert_eq!(index.find(&texts, "alpha beta ... filler words").len(), 1);
    }

    #[test]
    fn brackets_mark_editorial_insertions() {
        let texts = [FISH];
        let index = QuoteIndex::new(&texts);
        // The insertion replaces "the fleet had".
        let hits = index.find(&texts, "She added that [the trawlers had] “done everything");
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(0, "She added that the fleet had “done everything")]
        );
        // Dropped at the start and the end.
        let hits = index.find(
            &texts,
            "[Kowalczyk] We won’t reopen the northern quota [on cod]",
        );
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(0, "We won’t reopen the northern quota")]
        );
        // An insertion cannot bridge a long stretch.
        assert!(index.find(&texts, "Director [x] falling").is_empty());
    }

    #[test]
    fn brackets_in_the_source_match_literally() {
        let texts = ["“[The] levy is unfair,” the statement says."];
        let index = QuoteIndex::new(&texts);
        assert_eq!(index.find(&texts, "[The] levy is unfair").len(), 1);
        assert_eq!(
            hit_texts(&texts, &index.find(&texts, "levy is unfair,")),
            vec![(0, "levy is unfair")]
        );
    }

    #[test]
    fn every_occurrence_in_every_text_is_reported() {
        let texts = [
            "fish are fine. fish are fine.",
            "no match here",
            "Fish  are\nfine",
        ];
        let index = QuoteIndex::new(&texts);
        let hits = index.find(&texts, "fish are fine");
        assert_eq!(hits.len(), 3);
        assert_eq!(hits[0].range, 0..13);
        assert_eq!(hits[1].range, 15..28);
        assert_eq!((hits[2].text, hits[2].range.clone()), (2, 0..14));
        assert!(hits.iter().all(|h| h.score == 1.0));
        assert!(index.find(&texts, "unknownword fish").is_empty());
        assert!(index.find(&texts, "“ ”").is_empty());
    }

    #[test]
    fn near_match_finds_a_reworded_quote() {
        let texts = [CAFE, FISH];
        let index = QuoteIndex::new(&texts);
        assert!(index
            .find(
                &texts,
                "done everything that had to be checked with the partners in the E.U."
            )
            .is_empty());
        let near = index
            .find_near(
                &texts,
                "done everything that had to be checked with the partners in the E.U.",
            )
            .expect("a near match");
        assert_eq!(near.text, 1);
        assert_eq!(
            &FISH[near.range.clone()],
            "done everything that needed to be checked with our partners in the E.U"
        );
        assert!(near.score > 0.75 && near.score < 1.0, "{}", near.score);
        // Something unrelated is not near anything.
        assert!(index
            .find_near(&texts, "the orchestra tuned up for the evening concert")
            .is_none());
    }

    #[test]
    fn near_match_deep_in_a_long_text_maps_back_exactly() {
        // The passage sits after 40 KB of other prose, behind CRLF line
        // ends, an emoji and a soft hyphen inside a word: only a window
        // around it is normalised, and its range must still land on the
        // source's own bytes.
        let filler = "The council met on Tuesday to discuss the budget.\r\n".repeat(800);
        let text = format!(
            "{filler}😀 Café owner Zoë said: “We will not close the har\u{00AD}bour — not this year, whatever the ministry decides.”\r\n{filler}"
        );
        let texts = [text.as_str()];
        let index = QuoteIndex::new(&texts).windowed();
        let near = index
            .find_near(
                &texts,
                "We will never close the harbour - not this year, whatever the ministry decides",
            )
            .expect("a near match");
        assert_eq!(
            &text[near.range.clone()],
            "We will not close the har\u{00AD}bour — not this year, whatever the ministry decides"
        );
        assert!(near.score > 0.8 && near.score < 1.0, "{}", near.score);
    }

    #[test]
    fn near_match_of_a_quote_in_accented_words_reads_whole_texts() {
        // Too few plain-ASCII words to search the raw text for: the whole
        // candidate is normalised instead, and the misquote is still found.
        let text =
            "Élodie Périgné a déclaré : « Ça déçoit énormément, vraiment très énormément » hier.";
        let texts = [text];
        let index = QuoteIndex::new(&texts).windowed();
        let near = index
            .find_near(&texts, "Ça déçoit énormément, vraiment énormément")
            .expect("a near match");
        assert_eq!(
            &text[near.range.clone()],
            "Ça déçoit énormément, vraiment très énormément"
        );
    }

    #[test]
    fn near_match_range_lands_on_char_boundaries() {
        let texts = [CAFE];
        let index = QuoteIndex::new(&texts);
        let near = index
            .find_near(
                &texts,
                "Zoë Łukasiewicz 😀 said the levy was a crushing blow",
            )
            .unwrap();
        assert_eq!(
            &CAFE[near.range.clone()],
            "Zoë Łukasiewicz 😀 said the tax was \"a crushing\r\n   blow"
        );
    }

    /// Texts that count how often a look-up reads them.
    struct Counted<'a> {
        texts: &'a [&'a str],
        reads: std::cell::Cell<usize>,
    }

    impl Texts for Counted<'_> {
        fn text(&self, i: usize) -> Option<Cow<'_, str>> {
            self.reads.set(self.reads.get() + 1);
            self.texts.text(i)
        }

        /// A length is known without reading the text.
        fn len_of(&self, i: usize) -> Option<usize> {
            self.texts.get(i).map(|t| t.len())
        }
    }

    #[test]
    fn texts_holding_a_quotes_words_apart_are_not_read() {
        // Every text holds every word of the quotation; one holds them in
        // its order, side by side (with curly quotes, an accent and CRLF).
        let apart = "The harbour stayed open. We said nothing would close \
                     this year, and Zoë won’t either.";
        let mut texts: Vec<String> = (0..300).map(|i| format!("Text {i}. {apart}")).collect();
        texts[217] = "Text 217. Zoë said: “We won’t close\r\nthe harbour this year.”".to_string();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        for index in [QuoteIndex::new(&refs), QuoteIndex::new(&refs).windowed()] {
            let counted = Counted {
                texts: &refs,
                reads: std::cell::Cell::new(0),
            };
            let hits = index.find(&counted, "we won't close the harbour this year");
            assert_eq!(
                hit_texts(&refs, &hits),
                vec![(217, "We won’t close\r\nthe harbour this year")]
            );
            // A text whose pair bits collide may be read too, but not many.
            assert!(
                counted.reads.get() < 10,
                "{} texts read",
                counted.reads.get()
            );
        }
    }

    #[test]
    fn huge_quotations_read_each_text_a_bounded_number_of_times() {
        // A million-byte quotation of one common word, and one of 100,000
        // ellipses, against texts that all hold that word everywhere: the
        // work is bounded by the texts and the budgets, not the quote.
        let body: String = (0..5_000)
            .map(|i| format!("word{} the the ", i % 500))
            .collect();
        let texts: Vec<String> = (0..100).map(|i| format!("text {i} {body}")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let index = QuoteIndex::new(&refs);
        let counted = Counted {
            texts: &refs,
            reads: std::cell::Cell::new(0),
        };
        let huge = "the ".repeat(250_000);
        assert!(index.find(&counted, &huge).is_empty());
        // The quote as written, then as parts: each text read at most once
        // for each.
        assert!(
            counted.reads.get() <= 2 * refs.len(),
            "{}",
            counted.reads.get()
        );
        counted.reads.set(0);
        assert_eq!(index.find_near(&counted, &huge), None);
        assert!(
            counted.reads.get() <= 2 * NEAR_MAX_TEXTS,
            "{}",
            counted.reads.get()
        );
        counted.reads.set(0);
        let dotted = "the ... ".repeat(100_000);
        let _ = index.find(&counted, &dotted);
        assert!(
            counted.reads.get() <= 2 * refs.len(),
            "{}",
            counted.reads.get()
        );
        // Each text holds 10,000 places where the first part could start:
        // the search gives up when its budget of attempts is spent.
        let mut budget = FIND_BUDGET;
        let parts = split_parts(&normalize_quote(&dotted));
        let _ = index.find_parts(&counted, &parts, &mut budget, usize::MAX, None);
        assert_eq!(budget, 0);
    }

    #[test]
    fn normalisation_maps_back_across_collapsed_spaces() {
        let text = "a  \r\n\t b — c";
        let (norm, segs) = normalize_with_map(text);
        assert_eq!(norm, "a b-c");
        let nt = NormText {
            orig_len: text.len(),
            norm,
            segs,
            ..NormText::default()
        };
        assert_eq!(nt.orig_range(0..5), 0..text.len());
        assert_eq!(&text[nt.orig_range(2..3)], "b");
        assert_eq!(&text[nt.orig_range(3..4)], "—");
    }

    /// Invented sources for the before/after comparison: curly and straight
    /// marks, accents precomposed and decomposed, emoji, CRLF, brackets.
    const SOURCES: [&str; 5] = [
        "Harbour closed\r\n\r\nDirector Anna Kowalczyk of the Ministry of Fisheries said: “We won’t reopen the northern quota — not while stocks are falling.”\r\nShe added that the fleet had “done everything that needed to be checked with our partners in the E.U.”\r\n",
        "Café owner Zoë Łukasiewicz 😀 said the tax was \"a crushing\r\n   blow\" for small firms... and that she would \"fight it -- all the way.\" The [council] said nothing.",
        "Nadia Re\u{301}mond, mayor of Saint-Étienne-du-Lac, said “the ferry is late, the ferry is always late” and added: ‘We will not pay 1,000 euros 💶 for a ferry that never comes.’",
        "Weather\n\nThe harbour was calm on Monday and the boats stayed in. Rain fell across the coast for 1,000 hours last year. “The harbour is calm,” said Piotr Nowak, a fisherman.",
        "fish are fine. fish are fine. Fish  are\nfine — said nobody […] at all.",
    ];

    const QUOTES: [&str; 22] = [
        "We won't reopen the northern quota - not while stocks are falling.",
        "“We won’t reopen … while stocks are falling”",
        "fight it – all the way",
        "A CRUSHING BLOW",
        "cafe\u{301} owner zoë łukasiewicz 😀 said",
        "Nadia Rémond said",
        "the ferry is late",
        "We will not pay 1,000 euros 💶 for a ferry",
        "She added that [the trawlers had] “done everything",
        "[Kowalczyk] We won’t reopen the northern quota [on cod]",
        "done everything that had to be checked with the partners in the E.U.",
        "We would not pay a thousand euros for a ferry that never comes",
        "the harbour was calm on Monday and boats stayed inside",
        "fish are fine",
        "😀",
        "[…]",
        "[council]",
        "the orchestra tuned up for the evening concert",
        "Zoë Łukasiewicz 😀 said the levy was a crushing blow",
        "rain fell across the coast for a thousand hours",
        "the ferry is always late and we will not pay",
        "atch doubled",
    ];

    /// What the index found before it was made compact (the texts kept
    /// normalised in memory, positions in the postings), one line per
    /// quote: exact hits as text:range, then the near match.
    const BEFORE: &str = r#""We won't reopen the northern quota - not while stocks are falling." => ["0:80..149"] near Some("0:80..149:1.0000")
"“We won’t reopen … while stocks are falling”" => ["0:80..149"] near None
"fight it – all the way" => ["1:113..136"] near Some("1:113..136:1.0000")
"A CRUSHING BLOW" => ["1:53..72"] near Some("1:53..72:1.0000")
"cafe\u{301} owner zoë łukasiewicz 😀 said" => ["1:0..39"] near Some("1:0..39:1.0000")
"Nadia Rémond said" => [] near Some("2:0..14:0.6667")
"the ferry is late" => ["2:56..73"] near Some("2:56..73:1.0000")
"We will not pay 1,000 euros 💶 for a ferry" => ["2:117..161"] near Some("2:117..161:1.0000")
"She added that [the trawlers had] “done everything" => ["0:155..202"] near Some("0:155..202:0.8750")
"[Kowalczyk] We won’t reopen the northern quota [on cod]" => ["0:80..116"] near Some("0:71..116:0.7000")
"done everything that had to be checked with the partners in the E.U." => [] near Some("0:187..257:0.8571")
"We would not pay a thousand euros for a ferry that never comes" => [] near Some("2:117..178:0.7692")
"the harbour was calm on Monday and boats stayed inside" => [] near Some("3:9..63:0.8182")
"fish are fine" => ["4:0..13", "4:15..28", "4:30..44"] near Some("4:0..13:1.0000")
"😀" => ["1:30..34"] near None
"[…]" => ["4:61..66"] near None
"[council]" => ["1:143..152"] near Some("1:144..151:1.0000")
"the orchestra tuned up for the evening concert" => [] near None
"Zoë Łukasiewicz 😀 said the levy was a crushing blow" => [] near Some("1:12..72:0.8889")
"rain fell across the coast for a thousand hours" => [] near Some("3:65..107:0.7778")
"the ferry is always late and we will not pay" => [] near Some("2:75..132:0.9091")
"atch doubled" => [] near None
"#;

    #[test]
    fn compact_index_answers_as_the_full_one_did() {
        let whole = QuoteIndex::new(&SOURCES);
        let windows = QuoteIndex::new(&SOURCES).windowed();
        let mut out = String::new();
        // Twice over whole texts (the second round reads them from the
        // cache), then over windows of the raw texts, as on a large corpus.
        for round in 0..3 {
            let index = if round < 2 { &whole } else { &windows };
            out.clear();
            for q in QUOTES {
                let hits: Vec<String> = index
                    .find(&SOURCES, q)
                    .iter()
                    .map(|h| format!("{}:{:?}", h.text, h.range))
                    .collect();
                let near = index
                    .find_near(&SOURCES, q)
                    .map(|h| format!("{}:{:?}:{:.4}", h.text, h.range, h.score));
                out.push_str(&format!("{q:?} => {hits:?} near {near:?}\n"));
            }
            assert_eq!(out, BEFORE, "round {round}");
        }
    }

    #[test]
    fn long_texts_are_searched_in_windows_around_the_quotes_rarest_word() {
        let filler =
            "The harbours of the coast were busy that week, and ferries ran late. ".repeat(60);
        let quote_in_text = "“We won’t close the\r\nharbour — not this year,” said Zoë Dupré 🚢.";
        let long = format!("{filler}{quote_in_text} {filler}");
        // The only spelling of the rarest word hides a soft hyphen: the
        // search skips invisible characters and maps back to the text.
        let hidden =
            format!("{filler}“We won’t close the har\u{00AD}bour — not this year.” {filler}");
        let texts = [long.as_str(), hidden.as_str(), filler.as_str()];
        let index = QuoteIndex::new(&texts).windowed();
        let hits = index.find(&texts, "we won't close the harbour - not this year");
        let found: Vec<(usize, &str)> = hit_texts(&texts, &hits);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0],
            (0, "We won’t close the\r\nharbour — not this year")
        );
        assert_eq!(found[1].0, 1);
        assert!(
            found[1].1.starts_with("We won’t close the har"),
            "{found:?}"
        );
        // The anchor word inside a longer word at a window's edge is no match.
        assert!(index.find(&texts, "harbours of the coast were busy").len() >= 100);
        assert!(index.find(&texts, "rbours of the coast").is_empty());
    }

    #[test]
    fn quotes_in_a_caseless_script_are_found_around_their_words_and_in_texts_not_in_nfc() {
        let filler = "हम लोग घर गए और शाम को लौटे। ".repeat(80);
        // More copies than a caseless word is searched among whole, in NFC
        // ("ज़" as "ज" and a nukta), one with a zero-width joiner inside a
        // word as Wikinews writes it.
        let copies = CASELESS_WINDOWS_FROM + 2;
        let mut texts: Vec<String> = (0..copies)
            .map(|i| format!("{filler}{i}: उन्होंने कहा, “आप पैसा दोगे या नहीं? बाज\u{093C}ार” {filler}"))
            .collect();
        texts.push(format!("{filler}“आप पै\u{200D}सा दोगे या नहीं?” {filler}"));
        // "ज़" as one character (U+095B), which NFC never keeps: its word
        // (up to the nukta) is not in this text's bytes.
        texts.push(format!("{filler}“आप पैसा दोगे या नहीं? बा\u{095B}ार”"));
        texts.push(filler.clone());
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        for index in [QuoteIndex::new(&texts), QuoteIndex::new(&texts).windowed()] {
            let hits = index.find(&texts, "आप पैसा दोगे या नहीं?");
            let found = hit_texts(&texts, &hits);
            assert_eq!(found.len(), copies + 2, "{found:?}");
            assert!(found[..copies].iter().all(|f| f.1 == "आप पैसा दोगे या नहीं"));
            assert_eq!(found[copies], (copies, "आप पै\u{200D}सा दोगे या नहीं"));
            assert_eq!(found[copies + 1], (copies + 1, "आप पैसा दोगे या नहीं"));
            let hits = index.find(&texts, "नहीं? बाज\u{093C}ार");
            let found = hit_texts(&texts, &hits);
            assert_eq!(found.len(), copies + 1, "{found:?}");
            assert_eq!(found[copies], (copies + 1, "नहीं? बा\u{095B}ार"));
        }
    }

    proptest::proptest! {
        #[test]
        fn a_batch_builds_the_lists_one_posting_at_a_time_would(
            postings in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["ó", "harbour", "Zoë", "1,000", "’s", "a", "b"]),
                    0u32..3,
                    1u32..4,
                ),
                0..60,
            ),
            cut in 0usize..60,
        ) {
            // Ids increase (by 0 to 2 at each posting), and the postings
            // are added in two batches split at `cut`.
            let mut id = 0u32;
            let entries: Vec<BatchEntry<'_>> = postings
                .iter()
                .map(|&(term, step, n)| {
                    id += step;
                    let extra = if n > 1 { (1, Some(u64::from(n))) } else { (0, None) };
                    (term, id, n, extra)
                })
                .collect();
            let mut one = PostingsBuilder::default();
            for &(term, id, n, extra) in &entries {
                one.add(term, id, n, 1, extra);
            }
            let mut batched = PostingsBuilder::default();
            let cut = cut.min(entries.len());
            batched.add_batch(&entries[..cut], 1);
            batched.add_batch(&entries[cut..], 1);
            for occurrences in [false, true] {
                let mut a = PostingsBuilder::default();
                let mut b = PostingsBuilder::default();
                std::mem::swap(&mut a, &mut one);
                std::mem::swap(&mut b, &mut batched);
                let (va, pa) = a.finish(occurrences);
                let (vb, pb) = b.finish(occurrences);
                proptest::prop_assert_eq!(va, vb);
                proptest::prop_assert_eq!(pa, pb);
                if !occurrences {
                    // Build both again for the second encoding.
                    for &(term, id, n, extra) in &entries {
                        one.add(term, id, n, 1, extra);
                    }
                    batched.add_batch(&entries, 1);
                }
            }
        }
    }
}
