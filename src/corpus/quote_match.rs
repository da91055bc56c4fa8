//! Finding a quotation's words in the sources, forgiving typography.
//!
//! Owns the [`QuoteIndex`]: every source text normalised once (NFC, lower
//! case, one kind of quote mark, apostrophe and dash, single spaces) with a
//! map back to the original byte offsets, plus an inverted index of words so
//! that a lookup only reads the texts sharing the quote's rarest word.

use std::collections::HashMap;
use std::ops::Range;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

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

/// A stretch of normalised text and where it came from. `linear` stretches
/// map byte for byte; the others are one source unit (a char, a cluster, a
/// whitespace run) that changed length.
#[derive(Debug, Clone, Copy)]
struct Seg {
    norm: u32,
    orig: u32,
    orig_len: u32,
    linear: bool,
}

/// One text, normalised.
#[derive(Debug, Default)]
struct NormText {
    norm: String,
    segs: Vec<Seg>,
    /// `(word id, start, end)` in `norm`.
    words: Vec<(u32, u32, u32)>,
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

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
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

/// An index over many texts for finding quotations.
///
/// ```
/// use dossier::corpus::quote_match::QuoteIndex;
/// let texts = ["The mayor said: “We won’t close the harbour — not this year.”"];
/// let index = QuoteIndex::new(&texts);
/// let hits = index.find("we won't close the harbour - not this year");
/// assert_eq!(hits.len(), 1);
/// assert_eq!(&texts[0][hits[0].range.clone()], "We won’t close the harbour — not this year");
/// let near = index.find_near("We will not close the harbour this year").unwrap();
/// assert!(near.score > 0.6 && near.score < 1.0);
/// ```
#[derive(Debug, Default)]
pub struct QuoteIndex {
    texts: Vec<NormText>,
    vocab: HashMap<String, u32>,
    /// Word id → `(text, word position)` pairs.
    postings: Vec<Vec<(u32, u32)>>,
}

impl QuoteIndex {
    pub fn new(texts: &[&str]) -> QuoteIndex {
        let mut index = QuoteIndex::default();
        for (t, text) in texts.iter().enumerate() {
            let (norm, segs) = normalize_with_map(text);
            let mut words = Vec::new();
            for r in word_ranges(&norm) {
                let w = &norm[r.clone()];
                let id = match index.vocab.get(w) {
                    Some(&id) => id,
                    None => {
                        let id = index.postings.len() as u32;
                        index.vocab.insert(w.to_string(), id);
                        index.postings.push(Vec::new());
                        id
                    }
                };
                index.postings[id as usize].push((t as u32, words.len() as u32));
                words.push((id, r.start as u32, r.end as u32));
            }
            index.texts.push(NormText { norm, segs, words });
        }
        index
    }

    /// Number of texts indexed.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Exact matches (after normalising quotes, dashes, case, whitespace;
    /// `…`/`...` stands for omitted words, `[…]` for an editorial insertion).
    pub fn find(&self, quote: &str) -> Vec<QuoteHit> {
        let q = normalize_quote(quote);
        let trimmed = trim_edges(&q);
        if trimmed.is_empty() {
            return Vec::new();
        }
        let mut budget = FIND_BUDGET;
        // The quote as written first (sources contain brackets and ellipses
        // too), then read as parts with gaps.
        let literal = vec![(Gap::First, trimmed.to_string())];
        let mut hits = self.find_parts(&literal, &mut budget);
        if hits.is_empty() {
            let parts = split_parts(&q);
            if parts.len() > 1 || parts.first().is_some_and(|p| p.1 != trimmed) {
                hits = self.find_parts(&parts, &mut budget);
            }
        }
        hits
    }

    fn find_parts(&self, parts: &[(Gap, String)], budget: &mut usize) -> Vec<QuoteHit> {
        let mut hits = Vec::new();
        if parts.is_empty() {
            return hits;
        }
        // Only texts holding the rarest word of the quote can match.
        let mut rarest: Option<&Vec<(u32, u32)>> = None;
        let mut any_word = false;
        for (_, p) in parts {
            for r in word_ranges(p) {
                any_word = true;
                match self.vocab.get(&p[r]) {
                    None => return hits,
                    Some(&id) => {
                        let list = &self.postings[id as usize];
                        if rarest.is_none_or(|best| list.len() < best.len()) {
                            rarest = Some(list);
                        }
                    }
                }
            }
        }
        let candidates: Vec<usize> = match rarest {
            Some(list) => {
                let mut ts: Vec<usize> = list.iter().map(|&(t, _)| t as usize).collect();
                ts.dedup();
                ts
            }
            None if !any_word => (0..self.texts.len()).collect(),
            None => return hits,
        };
        for t in candidates {
            let nt = &self.texts[t];
            let hay = nt.norm.as_str();
            let first = &parts[0].1;
            let mut from = 0;
            while let Some(s) = find_bounded(hay, first, from, hay.len(), budget) {
                let mut end = s + first.len();
                let mut ok = true;
                for (gap, p) in &parts[1..] {
                    let max_gap = if *gap == Gap::Insertion {
                        BRACKET_GAP
                    } else {
                        ELLIPSIS_GAP
                    };
                    let latest = next_char_boundary(hay, (end + max_gap).min(hay.len()));
                    match find_bounded(hay, p, end, latest, budget) {
                        Some(ps) => end = ps + p.len(),
                        None => {
                            ok = false;
                            break;
                        }
                    }
                }
                if ok {
                    let range = nt.orig_range(s..end);
                    if !hits
                        .iter()
                        .any(|h: &QuoteHit| h.text == t && h.range == range)
                    {
                        hits.push(QuoteHit {
                            text: t,
                            range,
                            score: 1.0,
                        });
                    }
                }
                from = s + hay[s..].chars().next().map_or(1, char::len_utf8);
                if *budget == 0 {
                    return hits;
                }
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
    pub fn find_near(&self, quote: &str) -> Option<QuoteHit> {
        let q = normalize_quote(quote);
        let qwords: Vec<Option<u32>> = word_ranges(&q)
            .into_iter()
            .take(NEAR_MAX_WORDS)
            .map(|r| self.vocab.get(&q[r]).copied())
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
        anchors.sort_by_key(|&(i, id)| (self.postings[id as usize].len(), i));
        let slack = (n / 4).max(3);
        // Each anchor votes for the stretches of text where the quote would
        // start if that word were in place; only stretches that enough
        // anchors agree on are aligned. A passage within the similarity
        // threshold keeps most of the quote's words, so most anchors vote
        // for it, while a stretch that merely shares "the" gets one vote.
        let used: Vec<(usize, u32)> = anchors.iter().take(12).copied().collect();
        let mut votes: HashMap<(u32, u32), u32> = HashMap::new();
        let mut read = 0;
        'outer: for &(qi, id) in &used {
            let mut voted: Vec<(u32, u32)> = Vec::new();
            for &(t, p) in &self.postings[id as usize] {
                read += 1;
                if read > NEAR_MAX_POSTINGS {
                    break 'outer;
                }
                let bucket = ((p as usize).saturating_sub(qi) / slack) as u32;
                // Insertions and deletions shift the start a little: vote
                // for the neighbouring stretch too.
                for key in [(t, bucket), (t, bucket + 1)] {
                    if !voted.contains(&key) {
                        voted.push(key);
                        *votes.entry(key).or_default() += 1;
                    }
                }
            }
        }
        let needed = (used.len() as u32 / 3).max(1);
        let mut ranked: Vec<((u32, u32), u32)> =
            votes.into_iter().filter(|&(_, v)| v >= needed).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(NEAR_MAX_CANDIDATES);
        let windows: Vec<(usize, usize)> = ranked
            .into_iter()
            .map(|((t, bucket), _)| (t as usize, (bucket as usize).saturating_sub(1) * slack))
            .collect();
        let mut best: Option<(f32, usize, usize, usize)> = None;
        for (t, start) in windows {
            let words = &self.texts[t].words;
            let end = (start + n + 3 * slack).min(words.len());
            if start >= end {
                continue;
            }
            let win: Vec<u32> = words[start..end].iter().map(|w| w.0).collect();
            if let Some((score, a, b)) = align(&qwords, &win) {
                if best.is_none_or(|(s, ..)| score > s) {
                    best = Some((score, t, start + a, start + b));
                }
            }
        }
        let (score, t, a, b) = best?;
        if score < NEAR_MIN_SCORE {
            return None;
        }
        let nt = &self.texts[t];
        let ws = nt.words[a].1 as usize;
        let we = nt.words[b - 1].2 as usize;
        Some(QuoteHit {
            text: t,
            range: nt.orig_range(ws..we),
            score,
        })
    }
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
        let hits =
            index.find("\"We won't reopen the northern quota - not while stocks are falling.\"");
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(
                0,
                "We won’t reopen the northern quota — not while stocks are falling"
            )]
        );
        // Double hyphen in the source, en dash in the quote.
        let hits = index.find("fight it – all the way");
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(1, "fight it -- all the way")]
        );
    }

    #[test]
    fn case_and_crlf_line_breaks_are_ignored() {
        let texts = [FISH, CAFE];
        let index = QuoteIndex::new(&texts);
        let hits = index.find("A CRUSHING BLOW");
        assert_eq!(hit_texts(&texts, &hits), vec![(1, "a crushing\r\n   blow")]);
        let hits = index.find("falling.” She added");
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
        let hits = index.find("cafe\u{301} owner zoë łukasiewicz 😀 said");
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(0, "Café owner Zoë Łukasiewicz 😀 said")]
        );
        // And the other way round: the source decomposed.
        let decomposed = "Nadia Re\u{301}mond said “the ferry is late”.";
        let texts = [decomposed];
        let index = QuoteIndex::new(&texts);
        let hits = index.find("Nadia Rémond said");
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(0, "Nadia Re\u{301}mond said")]
        );
        let hits = index.find("rémond");
        assert_eq!(hits.len(), 1);
        assert!(decomposed.is_char_boundary(hits[0].range.end));
    }

    #[test]
    fn words_must_match_whole() {
        let texts = ["The fleet's catch doubled."];
        let index = QuoteIndex::new(&texts);
        assert!(index.find("atch doubled").is_empty());
        assert!(index.find("the fleet").len() == 1);
        assert!(index.find("fleet’s catch").len() == 1);
    }

    #[test]
    fn ellipsis_stands_for_omitted_words_within_a_window() {
        let texts = [FISH, CAFE];
        let index = QuoteIndex::new(&texts);
        let hits = index.find("“We won’t reopen … while stocks are falling”");
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(
                0,
                "We won’t reopen the northern quota — not while stocks are falling"
            )]
        );
        let hits = index.find("a crushing blow...fight it");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].text, 1);
        // Parts out of order never match.
        assert!(index.find("not while stocks … we won’t reopen").is_empty());
        // Parts too far apart do not match.
        let far = format!("alpha beta {} gamma delta", "filler words ".repeat(60));
        let texts = [far.as_str()];
        let index = QuoteIndex::new(&texts);
        assert!(index.find("alpha beta ... gamma delta").is_empty());
        assert_eq!(index.find("alpha beta ... filler words").len(), 1);
    }

    #[test]
    fn brackets_mark_editorial_insertions() {
        let texts = [FISH];
        let index = QuoteIndex::new(&texts);
        // The insertion replaces "the fleet had".
        let hits = index.find("She added that [the trawlers had] “done everything");
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(0, "She added that the fleet had “done everything")]
        );
        // Dropped at the start and the end.
        let hits = index.find("[Kowalczyk] We won’t reopen the northern quota [on cod]");
        assert_eq!(
            hit_texts(&texts, &hits),
            vec![(0, "We won’t reopen the northern quota")]
        );
        // An insertion cannot bridge a long stretch.
        assert!(index.find("Director [x] falling").is_empty());
    }

    #[test]
    fn brackets_in_the_source_match_literally() {
        let texts = ["“[The] levy is unfair,” the statement says."];
        let index = QuoteIndex::new(&texts);
        assert_eq!(index.find("[The] levy is unfair").len(), 1);
        assert_eq!(
            hit_texts(&texts, &index.find("levy is unfair,")),
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
        let hits = index.find("fish are fine");
        assert_eq!(hits.len(), 3);
        assert_eq!(hits[0].range, 0..13);
        assert_eq!(hits[1].range, 15..28);
        assert_eq!((hits[2].text, hits[2].range.clone()), (2, 0..14));
        assert!(hits.iter().all(|h| h.score == 1.0));
        assert!(index.find("unknownword fish").is_empty());
        assert!(index.find("“ ”").is_empty());
    }

    #[test]
    fn near_match_finds_a_reworded_quote() {
        let texts = [CAFE, FISH];
        let index = QuoteIndex::new(&texts);
        assert!(index
            .find("done everything that had to be checked with the partners in the E.U.")
            .is_empty());
        let near = index
            .find_near("done everything that had to be checked with the partners in the E.U.")
            .expect("a near match");
        assert_eq!(near.text, 1);
        assert_eq!(
            &FISH[near.range.clone()],
            "done everything that needed to be checked with our partners in the E.U"
        );
        assert!(near.score > 0.75 && near.score < 1.0, "{}", near.score);
        // Something unrelated is not near anything.
        assert!(index
            .find_near("the orchestra tuned up for the evening concert")
            .is_none());
    }

    #[test]
    fn near_match_range_lands_on_char_boundaries() {
        let texts = [CAFE];
        let index = QuoteIndex::new(&texts);
        let near = index
            .find_near("Zoë Łukasiewicz 😀 said the levy was a crushing blow")
            .unwrap();
        assert_eq!(
            &CAFE[near.range.clone()],
            "Zoë Łukasiewicz 😀 said the tax was \"a crushing\r\n   blow"
        );
    }

    #[test]
    fn large_inputs_stay_bounded() {
        let body: String = (0..5_000)
            .map(|i| format!("word{} the the ", i % 500))
            .collect();
        let texts: Vec<String> = (0..100).map(|i| format!("text {i} {body}")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let index = QuoteIndex::new(&refs);
        let huge = "the ".repeat(250_000);
        let started = std::time::Instant::now();
        let _ = index.find(&huge);
        let _ = index.find_near(&huge);
        let dotted = "the ... ".repeat(100_000);
        let _ = index.find(&dotted);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn normalisation_maps_back_across_collapsed_spaces() {
        let text = "a  \r\n\t b — c";
        let (norm, segs) = normalize_with_map(text);
        assert_eq!(norm, "a b-c");
        let nt = NormText {
            norm,
            segs,
            words: Vec::new(),
        };
        assert_eq!(nt.orig_range(0..5), 0..text.len());
        assert_eq!(&text[nt.orig_range(2..3)], "b");
        assert_eq!(&text[nt.orig_range(3..4)], "—");
    }
}
