//! Finding names of people, organisations, outlets and places in English
//! news text, and classifying each from cues in the text (titles, speech
//! verbs, organisation and outlet words, prepositions) plus generic word
//! lists from `crate::lexicon`. Owns tokenising for names only; works in
//! UTF-8 byte offsets and runs in time linear in the text.

use std::cell::Cell;
use std::ops::Range;
use std::sync::atomic::{AtomicU16, Ordering};

use rayon::prelude::*;

use super::fold::with_lowercase;
use super::model::EntityKind;
use crate::lexicon::{self, FastMap, FastSet};

/// A name the recognizer found, before mentions are merged into entities.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NameSpan {
    /// The name itself: no title before it, no possessive after it.
    pub range: Range<usize>,
    pub kind: EntityKind,
    /// A title or role phrase directly before the name ("CIA Director"),
    /// when there is one.
    pub title: Option<Range<usize>>,
    /// True when the text gave a clear cue for the kind (a title, a speech
    /// verb, an organisation word, an outlet cue), false for a guess.
    pub cued: bool,
}

/// Find names in `text`; `sentences` are the sentence ranges of `text`
/// (used to tell a sentence-initial capital from a name).
pub fn find_names(text: &str, sentences: &[Range<usize>]) -> Vec<NameSpan> {
    find_names_in_pieces(text, sentences, PIECE_BYTES)
}

/// A text this long or longer (a long draft, read again on every
/// keystroke) is tokenised in pieces of about this size side by side, and
/// its words and capitalised runs are judged side by side. Articles are
/// shorter: the corpus reads them side by side instead.
const PIECE_BYTES: usize = 256 << 10;

/// [`find_names`], with texts of at least `piece` bytes read in parallel
/// pieces of about that size (the same names either way).
fn find_names_in_pieces(text: &str, sentences: &[Range<usize>], piece: usize) -> Vec<NameSpan> {
    let parallel = text.len() >= piece;
    let toks = if parallel {
        tokenize_in_pieces(text, piece)
    } else {
        tokenize(text)
    };
    if toks.is_empty() {
        return Vec::new();
    }
    let ctx = Ctx::new(text, toks, sentences, parallel);
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < ctx.toks.len() {
        if ctx.is_cap(i) {
            let end = ctx.run_end(i);
            runs.push(i..end);
            i = end;
        } else {
            i += 1;
        }
    }
    let read = |run: &Range<usize>| -> Vec<Found> {
        ctx.split_run(run.start, run.end)
            .into_iter()
            .filter_map(|group| ctx.analyse(&group))
            .collect()
    };
    let mut found: Vec<Found> = if parallel {
        runs.par_iter().flat_map_iter(read).collect()
    } else {
        runs.iter().flat_map(read).collect()
    };
    resolve_in_document(&ctx, &mut found);
    found
        .into_iter()
        .filter_map(|f| {
            Some(NameSpan {
                range: ctx.toks[f.first].start..ctx.toks[f.last].end,
                kind: f.kind?,
                title: f.title,
                cued: f.cued,
            })
        })
        .collect()
}

/// Whether a single word looks like an acronym: "NATO", "U.N.", "MI6".
pub fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let caps = word.chars().filter(|c| c.is_uppercase()).count();
    let others_ok = word
        .chars()
        .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '.' || c == '&');
    others_ok && letters == caps && (2..=6).contains(&letters)
}

// ---------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone, PartialEq)]
struct Tok {
    start: usize,
    end: usize,
    kind: TokKind,
    /// At least one line break between the previous token and this one.
    newline_before: bool,
    /// An empty line (paragraph break) between the previous token and this.
    blank_before: bool,
    /// No whitespace at all between the previous token and this one.
    glued: bool,
    /// A possessive ('s, ’s, ʼs, or a bare apostrophe after s) follows.
    possessive: bool,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

/// Letters, digits and combining accents continue a word.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        // The ASCII apostrophe is not alphanumeric, and the accents are not ASCII.
        return c.is_ascii_alphanumeric();
    }
    (c.is_alphanumeric() && !is_apostrophe(c)) || ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Abbreviations whose full stop belongs to the word.
fn keeps_period(word: &str) -> bool {
    if word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()) {
        return true; // an initial: "J." or the "U" of "U.S."
    }
    let mut with = String::with_capacity(word.len() + 1);
    with.push_str(word);
    with.push('.');
    lexicon::flags(&with) & (lexicon::TITLE | lexicon::ORG_WORD | lexicon::NON_NAME) != 0
        || matches!(
            word,
            "Jr" | "Sr" | "St" | "Mt" | "Ft" | "No" | "Jan" | "Feb" | "Aug"
        )
}

/// [`tokenize`] over pieces of about `piece` bytes side by side. Each cut
/// stands where a run of white space holding a line break begins: no token
/// spans white space, and the piece after the cut sees every line break
/// before its first token, so the tokens are those of the whole text.
fn tokenize_in_pieces(text: &str, piece: usize) -> Vec<Tok> {
    let bytes = text.as_bytes();
    let mut cuts: Vec<usize> = vec![0];
    let mut from = piece.max(1);
    while from < text.len() {
        let Some(nl) = memchr::memchr(b'\n', &bytes[from..]) else {
            break;
        };
        let mut cut = from + nl;
        while let Some(c) = text[..cut]
            .chars()
            .next_back()
            .filter(|c| c.is_whitespace())
        {
            cut -= c.len_utf8();
        }
        if cuts.last().is_some_and(|&last| cut > last) {
            cuts.push(cut);
        }
        from += nl + 1 + piece;
    }
    cuts.push(text.len());
    let pieces: Vec<Vec<Tok>> = cuts
        .par_windows(2)
        .map(|w| {
            let mut toks = tokenize(&text[w[0]..w[1]]);
            for t in &mut toks {
                t.start += w[0];
                t.end += w[0];
            }
            toks
        })
        .collect();
    let mut toks = Vec::with_capacity(pieces.iter().map(Vec::len).sum());
    for p in pieces {
        toks.extend(p);
    }
    toks
}

fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 5);
    // Walked by byte offset, a character at a time: no per-character
    // table (16 bytes a character, 48 MB for a 3 MB document read in
    // pieces, was most of what reading a large draft left resident).
    let n = text.len();
    // The character at byte `k`, `None` at the end.
    let at = |k: usize| text.get(k..).and_then(|rest| rest.chars().next());
    // The byte after the character at `k` (`k` itself at the end).
    let past = |k: usize| k + at(k).map_or(0, char::len_utf8);
    let mut k = 0;
    let mut newlines = 0usize;
    let mut space = true;
    while k < n {
        let Some(c) = at(k) else { break };
        if c.is_whitespace() {
            if c == '\n' || (c == '\r' && at(past(k)) != Some('\n')) {
                newlines += 1;
            }
            space = true;
            k = past(k);
            continue;
        }
        let start = k;
        let kind;
        if c.is_alphabetic() {
            kind = TokKind::Word;
            k = past(k);
            loop {
                match at(k) {
                    Some(ch) if is_word_char(ch) => k = past(k),
                    Some(ch) if is_apostrophe(ch) || is_hyphen(ch) => {
                        let next_at = past(k);
                        let next = at(next_at);
                        if !next.is_some_and(is_word_char) {
                            break;
                        }
                        // 's at the end of a word is a possessive or a
                        // contraction, never part of the name.
                        if is_apostrophe(ch)
                            && matches!(next, Some('s') | Some('S'))
                            && !at(past(next_at)).is_some_and(is_word_char)
                        {
                            break;
                        }
                        k = past(next_at);
                    }
                    Some('.') => {
                        let word = &text[start..k];
                        let dotted = word.contains('.');
                        if dotted || keeps_period(word) {
                            k = past(k);
                            // "U.S." / "U.N.": continue only into another
                            // single letter followed by a full stop.
                            if at(k).is_some_and(|c| c.is_alphabetic())
                                && at(past(k)) == Some('.')
                                && (dotted || word.chars().count() == 1)
                            {
                                k = past(k);
                                continue;
                            }
                        }
                        break;
                    }
                    _ => break,
                }
            }
        } else if c.is_numeric() {
            kind = TokKind::Number;
            k = past(k);
            while let Some(ch) = at(k) {
                if is_word_char(ch)
                    || (matches!(ch, '.' | ',') && at(past(k)).is_some_and(|d| d.is_ascii_digit()))
                {
                    k = past(k);
                } else {
                    break;
                }
            }
        } else {
            kind = TokKind::Punct;
            k = past(k);
        }
        let word_end = k;
        let mut possessive = false;
        if kind == TokKind::Word && at(k).is_some_and(is_apostrophe) {
            let after_at = past(k);
            let after = at(after_at);
            if matches!(after, Some('s') | Some('S'))
                && !at(past(after_at)).is_some_and(is_word_char)
            {
                possessive = true;
                k = past(after_at);
            } else if !after.is_some_and(is_word_char)
                && matches!(text[..k].chars().next_back(), Some('s') | Some('S'))
            {
                possessive = true;
                k = after_at;
            }
        }
        let (s, e) = (start, word_end);
        // "TheHerald", "TheBKT": a leading "The" fused to a capitalised word
        // (site logos, sloppy copy) is the article, not part of the name.
        let fused = &text[s..e];
        let fused_the = kind == TokKind::Word
            && fused.len() > 4
            && fused.starts_with("The")
            && fused[3..].chars().next().is_some_and(|c| c.is_uppercase());
        if fused_the {
            toks.push(Tok {
                start: s,
                end: s + 3,
                kind,
                newline_before: newlines > 0,
                blank_before: newlines > 1,
                glued: !space && !toks.is_empty(),
                possessive: false,
            });
        }
        toks.push(Tok {
            start: if fused_the { s + 3 } else { s },
            end: e,
            kind,
            newline_before: newlines > 0 && !fused_the,
            blank_before: newlines > 1 && !fused_the,
            glued: fused_the || (!space && !toks.is_empty()),
            possessive,
        });
        newlines = 0;
        space = false;
    }
    toks
}

// ---------------------------------------------------------------------------
// Context

/// Lowercase words that may join capitalised words inside one name.
fn is_particle(w: &str) -> bool {
    matches!(
        w,
        "de" | "da"
            | "do"
            | "dos"
            | "das"
            | "del"
            | "della"
            | "di"
            | "du"
            | "van"
            | "von"
            | "der"
            | "den"
            | "ter"
            | "ten"
            | "la"
            | "le"
            | "bin"
            | "ibn"
            | "bint"
            | "al"
            | "el"
            | "zu"
            | "y"
    )
}

fn is_connector(w: &str) -> bool {
    matches!(w, "of" | "for" | "and" | "the" | "on" | "&" | "in" | "at") || is_particle(w)
}

/// Words after "of" that make a place rather than an organisation:
/// "Gulf of Mexico", "Republic of Ireland".
fn is_place_head(w: &str) -> bool {
    matches!(
        w,
        "Gulf"
            | "Bay"
            | "Isle"
            | "Isles"
            | "Republic"
            | "Kingdom"
            | "Sea"
            | "Strait"
            | "Straits"
            | "City"
            | "State"
            | "Province"
            | "Cape"
            | "Lake"
            | "Mount"
            | "Port"
            | "District"
            | "County"
            | "Commonwealth"
            | "Islands"
            | "Island"
            | "Bank"
            | "Duke"
            | "Duchess"
            | "Prince"
            | "Princess"
            | "Earl"
            | "Battle"
            | "Treaty"
            | "Declaration"
            | "Bill"
            | "Act"
            | "Statue"
            | "Tower"
            | "Palace"
    )
}

/// The part before the apostrophe of a pronoun or auxiliary contraction.
fn is_contraction_head(w: &str) -> bool {
    matches!(
        w,
        "I" | "We"
            | "You"
            | "They"
            | "He"
            | "She"
            | "It"
            | "Let"
            | "That"
            | "There"
            | "Here"
            | "What"
            | "Who"
            | "Don"
            | "Can"
            | "Won"
            | "Didn"
            | "Doesn"
            | "Isn"
            | "Aren"
            | "Wasn"
            | "Weren"
            | "Couldn"
            | "Wouldn"
            | "Shouldn"
            | "Haven"
            | "Hasn"
    )
}

/// "I", "II", "IV": a regnal number after a name.
fn is_roman(w: &str) -> bool {
    !w.is_empty() && w.len() <= 4 && w.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

fn capitalise(w: &str) -> String {
    let mut cs = w.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

struct Ctx<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    /// Token index → starts a sentence (first word after a sentence start,
    /// a line start, sentence punctuation or an opening quote).
    initial: Vec<bool>,
    /// Token index → lies in a title-case line (a headline).
    headline: Vec<bool>,
    /// Token index → lies in a short all-capitalised line ending with a
    /// colon ("Print Page:"): page furniture, never a name.
    label: Vec<bool>,
    /// Words seen in lower case somewhere in the text.
    lower: FastSet<&'a str>,
    /// Capitalised words seen away from a sentence start.
    mid_caps: FastSet<&'a str>,
    /// The text refers back to a publication ("according to the
    /// newspaper"): a lone word that "writes" or "notes" is then an outlet.
    publication_ref: bool,
    /// Token index → [`Ctx::is_cap`].
    cap: Vec<bool>,
    /// Token index → its lexicon flags, once asked ([`UNKNOWN_FLAGS`] before).
    lex: Vec<AtomicU16>,
}

thread_local! {
    /// The token [`Ctx::token_of`] found last on this thread: a hint, so
    /// checked against the tokens before it is used. Per thread, as threads
    /// reading one long text side by side ask about different parts of it.
    static LAST_TOKEN: Cell<usize> = const { Cell::new(0) };
}

/// No list has this flag set: a token not yet looked up.
const UNKNOWN_FLAGS: u16 = u16::MAX;

#[derive(Debug, Clone)]
struct Found {
    first: usize,
    last: usize,
    kind: Option<EntityKind>,
    title: Option<Range<usize>>,
    cued: bool,
    /// Whether the words look like a person's name at all.
    personish: bool,
    /// A lone unknown word that "writes", "notes" or "reports": an outlet
    /// unless the document also names it as a person.
    outlet_verb: bool,
    /// A common noun with a capital ("Officials", "Player"): a person only
    /// when the document also names someone of that family name in full.
    common: bool,
    /// A preposition of place stands before it ("to Harrison").
    place_cue: bool,
}

impl<'a> Ctx<'a> {
    /// `parallel`: judge the tokens' capitals side by side (a long text).
    fn new(text: &'a str, toks: Vec<Tok>, sentences: &[Range<usize>], parallel: bool) -> Ctx<'a> {
        let mut starts: Vec<usize> = sentences.iter().map(|r| r.start).collect();
        starts.sort_unstable();
        let mut initial = vec![false; toks.len()];
        let mut si = 0;
        let mut prev_sig: Option<usize> = None; // last non-opening token
        let mut after_open = false;
        for (i, t) in toks.iter().enumerate() {
            let mut new_sentence = false;
            while si < starts.len() && starts[si] <= t.start {
                si += 1;
                new_sentence = true;
            }
            let w = &text[t.start..t.end];
            let by_punct = match prev_sig {
                None => true,
                Some(p) => {
                    let pw = &text[toks[p].start..toks[p].end];
                    matches!(pw, "." | "!" | "?" | ":" | "•" | "|" | "…")
                        || (toks[p].kind == TokKind::Word
                            && pw.ends_with('.')
                            && pw.len() > 2
                            && !lexicon::is_title(pw)
                            // "U.K. Fisheries Secretary": a dotted acronym's
                            // stop ends a sentence only where the
                            // sentence splitter says so.
                            && !(is_acronym(pw) && pw[..pw.len() - 1].contains('.')))
                }
            };
            if t.kind == TokKind::Punct {
                if matches!(
                    w,
                    "“" | "\"" | "‘" | "(" | "[" | "«" | "'" | "—" | "–" | "-"
                ) {
                    after_open = after_open || by_punct || t.newline_before || new_sentence;
                    if matches!(w, "“" | "‘" | "«") {
                        after_open = true;
                    }
                    continue;
                }
                prev_sig = Some(i);
                after_open = false;
                continue;
            }
            initial[i] = new_sentence || by_punct || t.newline_before || after_open;
            after_open = false;
            prev_sig = Some(i);
        }
        let mut lower = FastSet::with_capacity_and_hasher(toks.len() / 2, Default::default());
        let mut mid_caps = FastSet::with_capacity_and_hasher(toks.len() / 8, Default::default());
        for (i, t) in toks.iter().enumerate() {
            if t.kind != TokKind::Word {
                continue;
            }
            let w = &text[t.start..t.end];
            match w.chars().next() {
                Some(c) if c.is_lowercase() => {
                    lower.insert(w);
                }
                Some(c) if c.is_uppercase() && !initial[i] => {
                    mid_caps.insert(w);
                }
                _ => {}
            }
        }
        let mut ctx = Ctx {
            text,
            toks,
            initial,
            headline: Vec::new(),
            label: Vec::new(),
            lower,
            mid_caps,
            publication_ref: false,
            cap: Vec::new(),
            lex: Vec::new(),
        };
        ctx.lex = (0..ctx.toks.len())
            .map(|_| AtomicU16::new(UNKNOWN_FLAGS))
            .collect();
        ctx.publication_ref = ctx.refers_to_publication();
        ctx.headline = ctx.mark_headlines();
        ctx.label = ctx.mark_labels();
        ctx.cap = if parallel {
            (0..ctx.toks.len())
                .into_par_iter()
                .map(|i| ctx.compute_cap(i))
                .collect()
        } else {
            (0..ctx.toks.len()).map(|i| ctx.compute_cap(i)).collect()
        };
        ctx
    }

    fn word(&self, i: usize) -> &'a str {
        let t = &self.toks[i];
        &self.text[t.start..t.end]
    }

    fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == TokKind::Word)
    }

    /// Lines where most words are capitalised (headlines): there a capital
    /// says little, so words known in lower case are not taken as names.
    fn mark_headlines(&self) -> Vec<bool> {
        let mut out = vec![false; self.toks.len()];
        let mut line_start = 0;
        for i in 0..=self.toks.len() {
            if i == self.toks.len() || (i > line_start && self.toks[i].newline_before) {
                let starts_upper = |j: usize| {
                    self.word(j)
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase())
                };
                let words = (line_start..i).filter(|&j| self.is_word(j));
                let n_words = words.clone().count();
                let caps = words.clone().filter(|&j| starts_upper(j)).count();
                // The set look-ups only where the capitals already qualify.
                let long_caps = if n_words >= 4 && caps * 10 >= n_words * 8 {
                    words
                        .filter(|&j| {
                            let w = self.word(j);
                            w.len() > 3 && starts_upper(j) && self.seen_lower(w)
                        })
                        .count()
                } else {
                    0
                };
                if n_words >= 4 && caps * 10 >= n_words * 8 && long_caps >= 2 {
                    for o in out.iter_mut().take(i).skip(line_start) {
                        *o = true;
                    }
                }
                line_start = i;
            }
        }
        out
    }

    /// Lines of one to three capitalised words ending with a colon, the
    /// first not a given name ("Print Page:", "Share This:"): labels of the
    /// page, where a speaker's name ("Anna Kowalczyk:") would open with a
    /// given name.
    fn mark_labels(&self) -> Vec<bool> {
        let mut out = vec![false; self.toks.len()];
        let mut line_start = 0;
        for i in 0..=self.toks.len() {
            if i == self.toks.len() || (i > line_start && self.toks[i].newline_before) {
                let line = line_start..i;
                let n = line.len();
                let is_label = (2..=4).contains(&n)
                    && self.word(i - 1) == ":"
                    && (line_start..i - 1).all(|j| {
                        self.is_word(j)
                            && self.word(j).chars().next().is_some_and(char::is_uppercase)
                    })
                    && !self.is(self.word(line_start), lexicon::GIVEN_NAME);
                if is_label {
                    for o in out.iter_mut().take(i).skip(line_start) {
                        *o = true;
                    }
                }
                line_start = i;
            }
        }
        out
    }

    fn refers_to_publication(&self) -> bool {
        (2..self.toks.len()).any(|i| {
            matches!(
                self.word(i),
                "publication" | "newspaper" | "magazine" | "outlet" | "paper" | "website"
            ) && self.word(i - 1).eq_ignore_ascii_case("the")
                && matches!(self.word(i - 2), "to" | "by" | "told" | "in")
        })
    }

    fn known_word(&self, w: &str) -> bool {
        self.lex(w)
            & (lexicon::GIVEN_NAME
                | lexicon::SURNAME
                | lexicon::PLACE
                | lexicon::ORG_WORD
                | lexicon::OUTLET_WORD
                | lexicon::TITLE
                | lexicon::NATIONALITY)
            != 0
            || is_acronym(w)
    }

    /// A capitalised word that may be (part of) a name (worked out once
    /// per token in [`Ctx::new`]).
    #[inline]
    fn is_cap(&self, i: usize) -> bool {
        self.cap.get(i).copied().unwrap_or(false)
    }

    /// Whether `w` is in the lexicon lists `flags` (any of them). A word of
    /// the text is looked up once and remembered: the recognizer asks
    /// about the same words again and again.
    #[inline]
    fn is(&self, w: &str, flags: u16) -> bool {
        self.lex(w) & flags != 0
    }

    fn lex(&self, w: &str) -> u16 {
        let Some(i) = self.token_of(w) else {
            return lexicon::flags(w);
        };
        // Threads that race here store the same flags.
        let cell = &self.lex[i];
        match cell.load(Ordering::Relaxed) {
            UNKNOWN_FLAGS => {
                let flags = lexicon::flags(w);
                cell.store(flags, Ordering::Relaxed);
                flags
            }
            flags => flags,
        }
    }

    /// The token whose text is exactly the slice `w` of the text, if `w` is
    /// one (the recognizer's words are slices of the text; other strings
    /// live elsewhere in memory and are never mistaken for one).
    fn token_of(&self, w: &str) -> Option<usize> {
        let off = (w.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
        if w.is_empty() || off + w.len() > self.text.len() {
            return None;
        }
        // Questions come in bursts about the same or nearby words: look
        // at the last answer and its neighbours before searching all tokens.
        let hint = LAST_TOKEN.get();
        let near = hint.saturating_sub(4)..(hint + 5).min(self.toks.len());
        let i = match self.toks.get(hint) {
            Some(t) if t.start == off => hint,
            _ => match self
                .toks
                .get(near.clone())
                .and_then(|ts| ts.iter().position(|t| t.start == off))
            {
                Some(k) => near.start + k,
                None => self.toks.partition_point(|t| t.start < off),
            },
        };
        let t = self.toks.get(i)?;
        LAST_TOKEN.set(i);
        (t.start == off && t.end == off + w.len()).then_some(i)
    }

    /// Whether the text writes `w` in lower case somewhere.
    #[inline]
    fn seen_lower(&self, w: &str) -> bool {
        with_lowercase(w, |l| self.lower.contains(l))
    }

    fn compute_cap(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if t.kind != TokKind::Word {
            return false;
        }
        let w = self.word(i);
        let first = w.chars().next();
        let cap = match first {
            Some(c) if c.is_uppercase() => true,
            // "al-Assad", "bin-Talal", "el-Sisi"
            Some(c) if c.is_lowercase() => match w.split_once(|c: char| is_hyphen(c)) {
                Some((pre, rest)) => {
                    matches!(
                        pre,
                        "al" | "el"
                            | "ad"
                            | "as"
                            | "ash"
                            | "at"
                            | "ar"
                            | "an"
                            | "az"
                            | "abu"
                            | "bin"
                            | "ibn"
                            | "ul"
                            | "ud"
                    ) && rest.chars().next().is_some_and(|c| c.is_uppercase())
                }
                None => false,
            },
            _ => false,
        };
        if !cap || self.label.get(i).copied().unwrap_or(false) {
            return false;
        }
        // "I'd", "We're", "Don't": contractions, not names.
        if let Some((pre, _)) = w.split_once(is_apostrophe) {
            if is_contraction_head(pre) {
                return false;
            }
        }
        if self.headline.get(i).copied().unwrap_or(false)
            && !self.known_word(w)
            && self.seen_lower(w)
        {
            return false;
        }
        // Shouted words ("BREAKING") are not names unless short acronyms.
        if w.chars().filter(|c| c.is_alphabetic()).count() > 6
            && w.chars().all(|c| !c.is_lowercase())
        {
            return false;
        }
        true
    }

    /// Whether the possessive word at `i` is part of the organisation name
    /// the next word ends: a plural noun ("Trawlermen's", "Veterans'"), not
    /// a place or a person's name ("Britain's Ministry").
    fn possessive_continues(&self, i: usize) -> bool {
        let j = i + 1;
        if j >= self.toks.len() || !self.joins(j) || !self.is_cap(j) || self.initial[j] {
            return false;
        }
        if !self.is(self.word(j), lexicon::ORG_WORD) {
            return false;
        }
        let w = self.word(i);
        let plural = ["men", "ren", "ple", "ers", "ans", "ors", "ists"]
            .iter()
            .any(|s| w.ends_with(s));
        plural
            && !self.is(w, lexicon::PLACE)
            && !self.is(w, lexicon::NATIONALITY)
            && !self.is(w, lexicon::GIVEN_NAME)
            && !self.is(w, lexicon::SURNAME)
            && !is_acronym(w)
    }

    /// May token `j` continue a name begun before it?
    fn joins(&self, j: usize) -> bool {
        let t = &self.toks[j];
        !t.blank_before && !t.glued
    }

    /// The end (exclusive) of the run of capitalised words starting at `i`,
    /// with connectors inside it.
    fn run_end(&self, i: usize) -> usize {
        let mut end = i + 1;
        loop {
            let last = end - 1;
            if self.toks[last].possessive {
                // "Farmers' Union", "the Trawlermen's Association": a plural
                // possessive inside an organisation's name continues it.
                if self.possessive_continues(last) {
                    end += 1;
                    continue;
                }
                return end;
            }
            // A new sentence starts a new name, except after an initial or
            // an abbreviated title ("J. K. Rowling", "Gen. Smith").
            let lw = self.word(last);
            let abbrev = lw.ends_with('.')
                && (lw.chars().filter(|c| c.is_alphabetic()).count() == 1
                    || self.is(lw, lexicon::TITLE));
            let mut j = end;
            let mut connectors = 0;
            while j < self.toks.len() && connectors <= 2 {
                let t = &self.toks[j];
                if !self.joins(j) {
                    return end;
                }
                if self.is_cap(j) {
                    if self.initial[j] && !abbrev && connectors == 0 && !t.newline_before {
                        return end;
                    }
                    if self.initial[j] && !abbrev && (connectors > 0 || t.newline_before) {
                        // a line break inside a paragraph may split a name,
                        // but not after sentence punctuation
                        let prev = self.word(j - 1);
                        if prev.ends_with('.') && !abbrev || connectors > 0 && self.initial[j] {
                            return end;
                        }
                    }
                    break;
                }
                let w = if t.kind == TokKind::Punct && self.word(j) == "&" {
                    "&"
                } else if t.kind == TokKind::Word {
                    self.word(j)
                } else {
                    return end;
                };
                if !is_connector(w) {
                    return end;
                }
                connectors += 1;
                j += 1;
            }
            if j >= self.toks.len() || connectors > 2 || !self.is_cap(j) {
                return end;
            }
            end = j + 1;
        }
    }

    fn has_org(&self, toks: &[usize]) -> bool {
        toks.iter()
            .any(|&t| self.is(self.word(t), lexicon::ORG_WORD))
    }

    fn has_outlet(&self, toks: &[usize]) -> bool {
        toks.iter()
            .any(|&t| self.is(self.word(t), lexicon::OUTLET_WORD))
    }

    /// Split a run at connectors that do not hold a name together.
    fn split_run(&self, start: usize, end: usize) -> Vec<Vec<usize>> {
        // segments of capitalised words, with the connector words between
        // (connectors before, capitalised words)
        let mut segs: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        let mut conn: Vec<usize> = Vec::new();
        for j in start..end {
            if self.is_cap(j) {
                match segs.last_mut() {
                    Some(last) if conn.is_empty() => last.1.push(j),
                    _ => segs.push((std::mem::take(&mut conn), vec![j])),
                }
            } else {
                conn.push(j);
            }
        }
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (conns, words) in segs {
            if words.is_empty() {
                continue;
            }
            let join = match groups.last() {
                None => false,
                Some(_) if conns.is_empty() => true,
                Some(left) => {
                    let cw: Vec<&str> = conns.iter().map(|&c| self.word(c)).collect();
                    let left_words: Vec<usize> =
                        left.iter().copied().filter(|&t| self.is_cap(t)).collect();
                    let last_left = left_words.last().map(|&t| self.word(t)).unwrap_or("");
                    if cw.iter().all(|w| is_particle(w)) {
                        true
                    } else if cw[0] == "and" || cw[0] == "&" {
                        cw.len() == 1
                            && (cw[0] == "&" && !self.is(self.word(words[0]), lexicon::GIVEN_NAME)
                                || self.has_org(&left_words)
                                || (self.has_org(&words)
                                    && !self.is(self.word(left_words[0]), lexicon::GIVEN_NAME)))
                    } else if cw[0] == "in" || cw[0] == "at" {
                        // "University of California at Berkeley"
                        self.has_org(&left_words) && self.is(self.word(words[0]), lexicon::PLACE)
                    } else {
                        self.is(last_left, lexicon::ORG_WORD)
                            || self.is(last_left, lexicon::OUTLET_WORD)
                            || self.is(last_left, lexicon::TITLE)
                            || is_place_head(last_left)
                            || self.has_org(&left_words)
                            || self.has_outlet(&left_words)
                    }
                }
            };
            if join {
                if let Some(g) = groups.last_mut() {
                    g.extend(conns);
                    g.extend(words);
                }
            } else {
                groups.push(words);
            }
        }
        // "… Institute for Marine Studies Anna Kowalczyk noted": two
        // name-like words after an organisation's name, not continuing it,
        // are a person of their own (unless a title inside the group already
        // tells where the name starts).
        let mut out: Vec<Vec<usize>> = Vec::with_capacity(groups.len());
        for g in groups {
            match self.org_then_person(&g) {
                Some(at) => {
                    out.push(g[..at].to_vec());
                    out.push(g[at..].to_vec());
                }
                None => out.push(g),
            }
        }
        out
    }

    /// Where the person's name starts in "<organisation> <Given> <Family>".
    fn org_then_person(&self, g: &[usize]) -> Option<usize> {
        let n = g.len();
        if n < 4 {
            return None;
        }
        // the trailing segment of adjacent capitalised words
        let mut seg = n - 1;
        while seg > 0 && self.is_cap(g[seg - 1]) {
            seg -= 1;
        }
        if n - seg < 3 || !self.namey(g[n - 1]) || !self.namey(g[n - 2]) || self.namey(g[n - 3]) {
            return None;
        }
        let head = &g[..n - 2];
        let has_org = head
            .iter()
            .any(|&t| self.is(self.word(t), lexicon::ORG_WORD));
        let has_title = g.iter().any(|&t| self.is(self.word(t), lexicon::TITLE));
        (has_org && !has_title && self.personish(&g[n - 2..])).then_some(n - 2)
    }

    /// Lowercase title words directly before `first`: "spokesman",
    /// "Israeli defense minister". Returns the title's first token.
    fn lower_title_before(&self, first: usize) -> Option<usize> {
        let mut j = first;
        let mut has_title = false;
        let mut start = None;
        while j > 0 {
            let p = j - 1;
            if !self.is_word(p) || !self.joins(p + 1) {
                break;
            }
            let w = self.word(p);
            let cw = capitalise(w);
            if self.is(&cw, lexicon::TITLE) || self.is(w, lexicon::TITLE) {
                has_title = true;
                start = Some(p);
            } else if has_title
                && (self.is(&cw, lexicon::TITLE_MODIFIER)
                    || self.is(w, lexicon::NATIONALITY)
                    || is_acronym(w))
            {
                start = Some(p);
            } else {
                break;
            }
            j = p;
        }
        if has_title {
            start
        } else {
            None
        }
    }

    fn prev_words(&self, first: usize, n: usize) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut j = first;
        while j > 0 && out.len() < n {
            j -= 1;
            if self.toks[j + 1].blank_before {
                break;
            }
            out.push(self.word(j));
        }
        out
    }

    fn next_words(&self, last: usize, n: usize) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut j = last + 1;
        while j < self.toks.len() && out.len() < n {
            if self.toks[j].blank_before {
                break;
            }
            out.push(self.word(j));
            j += 1;
        }
        out
    }

    fn is_person_word(&self, w: &str) -> bool {
        !self.is(w, lexicon::ORG_WORD)
            && !self.is(w, lexicon::OUTLET_WORD)
            && !self.is(w, lexicon::PLACE)
            && !self.is(w, lexicon::NON_NAME)
            && !self.is(w, lexicon::NATIONALITY)
            && !is_acronym(w)
            && !w.chars().any(|c| c.is_ascii_digit())
    }

    /// Whether the words can be a person's name: no organisation, outlet
    /// or function word; a place or nationality word only after the first
    /// ("Michael Jordan"); a regnal number at the end ("Carlos I").
    fn personish(&self, name: &[usize]) -> bool {
        let cap_toks: Vec<usize> = name.iter().copied().filter(|&t| self.is_cap(t)).collect();
        let caps: Vec<&str> = cap_toks.iter().map(|&t| self.word(t)).collect();
        if caps.is_empty() || caps.len() > 5 {
            return false;
        }
        caps.iter().enumerate().all(|(n, w)| {
            // "Ursula May": a month after a name is a family name, unless
            // a number makes it a date ("Smith May 5").
            if n > 0 && self.month_as_surname(cap_toks[n]) {
                return true;
            }
            if n == 0 {
                return self.is_person_word(w)
                    || (self.is(w, lexicon::GIVEN_NAME)
                        && !self.is(w, lexicon::NON_NAME)
                        && caps.len() > 1);
            }
            if n + 1 == caps.len() && n > 0 && is_roman(w) {
                return true;
            }
            if w.ends_with('.') && w.chars().count() == 2 {
                return true;
            }
            let bad = self.is(w, lexicon::ORG_WORD)
                || self.is(w, lexicon::OUTLET_WORD)
                || self.is(w, lexicon::NON_NAME)
                || self.is(w, lexicon::TITLE)
                || w.chars().any(|c| c.is_ascii_digit())
                || (is_acronym(w) && w.len() > 2);
            !bad
        })
    }

    /// A month that doubles as a family name ("May", "June"), read as a name
    /// when it follows a capitalised word and no number follows it.
    fn month_as_surname(&self, i: usize) -> bool {
        let w = self.word(i);
        matches!(w, "May" | "June" | "April" | "August")
            && i > 0
            && self.is_cap(i - 1)
            && self.joins(i)
            && !self.is(self.word(i - 1), lexicon::NON_NAME)
            && !self
                .toks
                .get(i + 1)
                .is_some_and(|t| t.kind == TokKind::Number && !t.newline_before)
    }

    /// A capitalised word that can only be part of a personal name here: in
    /// no list of titles, organisations, outlets, places or common words,
    /// and never written in lower case in this text (a given name or
    /// family name from the lists always counts).
    fn namey(&self, t: usize) -> bool {
        if !self.is_cap(t) {
            return false;
        }
        let w = self.word(t);
        if self.is(w, lexicon::GIVEN_NAME) && !self.is(w, lexicon::NON_NAME)
            || self.is(w, lexicon::SURNAME)
        {
            return !self.is(w, lexicon::ORG_WORD)
                && !self.is(w, lexicon::TITLE)
                && !self.is(w, lexicon::PLACE);
        }
        self.is_person_word(w)
            && !self.is(w, lexicon::TITLE)
            && !self.is(w, lexicon::TITLE_MODIFIER)
            && !self.is(w, lexicon::PLACE_WORD)
            && !self.is(w, lexicon::MISC_WORD)
            && !is_roman(w)
            && !w.ends_with('.')
            && !self.seen_lower(w)
    }

    /// Decide what a group of capitalised words names, if anything.
    fn analyse(&self, group: &[usize]) -> Option<Found> {
        let mut g: Vec<usize> = group.to_vec();
        let is_c = |t: &usize| self.is_cap(*t);
        // Leading function words, months and the like ("The", "In").
        while let Some(&f) = g.first() {
            let w = self.word(f);
            let strip = !is_c(&f)
                || (self.is(w, lexicon::NON_NAME)
                    && !self.is(w, lexicon::TITLE_MODIFIER)
                    && !self.is(w, lexicon::TITLE))
                || (self.initial[f]
                    && g.len() > 1
                    && !self.known_word(w)
                    && (self.seen_lower(w)
                        // "Basically I …": a sentence adverb
                        || (w.ends_with("ly") && !self.toks[f].possessive)));
            if strip {
                g.remove(0);
            } else {
                break;
            }
        }
        while let Some(&l) = g.last() {
            let w = self.word(l);
            if !is_c(&l) || (self.is(w, lexicon::NON_NAME) && w.ends_with("day")) {
                g.pop();
            } else {
                break;
            }
        }
        if g.is_empty() {
            return None;
        }

        // A title inside the group: the last title word with a person-like
        // remainder after it.
        let mut title: Option<Range<usize>> = None;
        let mut name_from = 0;
        let mut k = g.len();
        while k > 0 {
            k -= 1;
            let w = self.word(g[k]);
            if !self.is(w, lexicon::TITLE) || !is_c(&g[k]) {
                continue;
            }
            // "Secretary of State John Kerry": the title runs through its
            // "of" phrase up to a given name, or up to the last word.
            let mut rest = k + 1;
            if rest < g.len() && !is_c(&g[rest]) {
                while rest < g.len() && !is_c(&g[rest]) {
                    rest += 1;
                }
                let given =
                    (rest..g.len()).find(|&r| self.is(self.word(g[r]), lexicon::GIVEN_NAME));
                let n = g.len();
                // "Director of Coastal Intelligence Anna Kowalczyk": with
                // no given name from the list, the last two name-like words
                // are the name.
                let pair = n >= 2
                    && n - 2 > rest
                    && self.namey(g[n - 1])
                    && self.namey(g[n - 2])
                    && !self.namey(g[n - 3]);
                rest = match given {
                    Some(r) if r > rest => r,
                    _ if pair => n - 2,
                    _ => n - 1,
                };
            }
            if rest >= g.len() {
                continue;
            }
            let remainder = &g[rest..];
            let personish = remainder.iter().all(|&t| is_c(&t))
                && self.personish(remainder)
                && remainder.len() <= 4;
            if personish {
                title = Some(self.toks[g[0]].start..self.toks[g[rest - 1]].end);
                name_from = rest;
                break;
            }
        }
        let mut name: Vec<usize> = g[name_from..].to_vec();
        let mut role_after = false;
        if title.is_none() {
            // Title words and modifiers alone ("Prime Minister", "Israeli")
            // are not names.
            if name.iter().all(|&t| {
                let w = self.word(t);
                !is_c(&t)
                    || self.is(w, lexicon::TITLE)
                    || self.is(w, lexicon::TITLE_MODIFIER)
                    || self.is(w, lexicon::NATIONALITY)
            }) && !self.is(&self.span_text(&name), lexicon::PLACE)
            {
                return None;
            }
            // "American John Smith": a nationality before a given name.
            while name.len() > 1
                && self.is(self.word(name[0]), lexicon::NATIONALITY)
                && self.is(self.word(name[1]), lexicon::GIVEN_NAME)
            {
                name.remove(0);
            }
            // "Anna Kowalczyk Fisheries Correspondent": a byline's name with
            // the writer's title after it.
            if name.len() >= 3
                && self.namey(name[0])
                && self.namey(name[1])
                && (!self.namey(name[2]) || !self.personish(&name[2..]))
                && is_c(&name[2])
                && self.is(self.word(name[name.len() - 1]), lexicon::TITLE)
                && self.personish(&name[..2])
            {
                name.truncate(2);
                role_after = true;
            }
            // "Ahn Min Soo": three short name-like words, none from a list,
            // are one East Asian name, not a title and a name.
            let east_asian = name.len() == 3
                && name.iter().all(|&t| self.namey(t))
                && name[..2].iter().all(|&t| self.word(t).chars().count() <= 4)
                && !self.is(self.word(name[0]), lexicon::GIVEN_NAME);
            // "Tower Man George Hauser", "Senior Anna Kowalczyk": capitalised
            // words before a given name that are not names themselves.
            if let Some(k) = (1..name.len()).filter(|_| !east_asian).find(|&k| {
                self.is(self.word(name[k]), lexicon::GIVEN_NAME)
                    && name.len() - k >= 2
                    && name[..k].iter().all(|&t| {
                        let w = self.word(t);
                        is_c(&t)
                            && !self.is(w, lexicon::GIVEN_NAME)
                            && !(w.ends_with('.') && w.chars().count() == 2)
                    })
                    && self.personish(&name[k..])
            }) {
                let has_title = name[..k].iter().any(|&t| {
                    let w = self.word(t);
                    self.is(w, lexicon::TITLE) || self.is(w, lexicon::TITLE_MODIFIER)
                });
                if has_title || !self.personish(&name) {
                    title = Some(self.toks[name[0]].start..self.toks[name[k - 1]].end);
                }
                name.drain(..k);
            }
            if title.is_some() {
            } else if let Some(s) = self
                .lower_title_before(name[0])
                // "major U.S. ports": a listed place or an acronym after a
                // lower-case word that could be a title is no person.
                .filter(|_| {
                    !(self.is(&self.span_text(&name), lexicon::PLACE)
                        || name.len() == 1 && is_acronym(self.word(name[0])))
                })
            {
                title = Some(self.toks[s].start..self.toks[name[0] - 1].end);
            }
        }
        // Drop trailing connectors left by stripping.
        while name.last().is_some_and(|&t| !is_c(&t)) {
            name.pop();
        }
        let first = *name.first()?;
        let last = *name.last()?;
        let words: Vec<&str> = name.iter().map(|&t| self.word(t)).collect();
        let text = self.span_text(&name);

        if words.len() == 1 {
            let w = words[0];
            if self.is(w, lexicon::NON_NAME)
                || (self.is(w, lexicon::NATIONALITY) && title.is_none())
            {
                return None;
            }
            if self.is(w, lexicon::TITLE) && title.is_none() {
                return None;
            }
            // "Officials said": a role noun, kept only if the document
            // names a person so ("Gary Player … Player said").
            if title.is_none()
                && !self.known_word(w)
                && super::roles::is_role_word(&w.to_lowercase())
            {
                return Some(Found {
                    first,
                    last,
                    kind: None,
                    title: None,
                    cued: false,
                    personish: false,
                    outlet_verb: false,
                    common: true,
                    place_cue: false,
                });
            }
            // "Braving the storm": a capitalised -ing verb before its object.
            let after = self.next_words(last, 1);
            if w.len() > 5
                && w.ends_with("ing")
                && !self.known_word(w)
                && after.first().is_some_and(|n| {
                    n.chars().next().is_some_and(char::is_lowercase) && !is_particle(n)
                })
            {
                return None;
            }
        }
        // A sign-up product, not a publisher: "the weekly Calm Seas Newsletter".
        if matches!(words[words.len() - 1], "Newsletter" | "Newsletters") {
            return None;
        }

        let prev = self.prev_words(first, 3);
        let next = self.next_words(last, 3);
        let next_word = next.first().copied().unwrap_or("");
        let next_skip_adverb = if next_word.ends_with("ly") && next.len() > 1 {
            next[1]
        } else {
            next_word
        };
        let speech_after = self.is(next_skip_adverb, lexicon::SPEECH_VERB)
            || (matches!(next_word, "has" | "had" | "will" | "would")
                && next
                    .get(1)
                    .is_some_and(|w| self.is(w, lexicon::SPEECH_VERB)));
        let outlet_verb = words.len() == 1
            && title.is_none()
            && matches!(
                next_word,
                "writes" | "notes" | "reports" | "calls" | "cites" | "quotes" | "wrote"
            )
            && !self.is(words[0], lexicon::GIVEN_NAME)
            && !self.is(words[0], lexicon::SURNAME)
            && !self.known_word(words[0]);
        let person_cue = words.len() >= 2 && (role_after || self.person_cue(first, last));
        let speech_before = prev
            .first()
            .is_some_and(|w| self.is(w, lexicon::SPEECH_VERB))
            && !self.toks[first].newline_before;
        // "30 Seconds": a number directly before a capital makes a title
        // or a quantity, not a person.
        let personish = self.personish(&name)
            && !(first > 0
                && self.toks[first - 1].kind == TokKind::Number
                && self.word(first - 1).len() < 4
                && self.joins(first)
                && !self.toks[first].newline_before);
        let given_first = self.is(words[0], lexicon::GIVEN_NAME)
            || (words.len() > 1 && words[0].ends_with('.') && words[0].chars().count() == 2);
        let surname_last = words.len() > 1 && self.is(words[words.len() - 1], lexicon::SURNAME);

        let outlet_cue_after =
            matches!(
                next_word,
                "magazine"
                    | "newspaper"
                    | "daily"
                    | "weekly"
                    | "tabloid"
                    | "broadcaster"
                    | "newswire"
                    | "columnist"
                    | "correspondent"
                    | "reporter"
                    | "journalist"
                    | "editor"
            ) || (matches!(next_word, "reported" | "reports" | "published" | "revealed")
                && !given_first);
        let prev_lower: Vec<String> = prev.iter().map(|w| w.to_lowercase()).collect();
        let pl = |k: usize| prev_lower.get(k).map(String::as_str).unwrap_or("");
        let outlet_cue_before = (pl(0) == "to" && pl(1) == "according")
            || (pl(0) == "told" && !given_first)
            || (pl(0) == "by" && matches!(pl(1), "reported" | "published" | "quoted" | "obtained"))
            || (pl(0) == "with" && matches!(pl(1), "interview" | "interviews"))
            || (pl(0) == "in"
                && matches!(
                    pl(1),
                    "writing" | "wrote" | "op-ed" | "column" | "published"
                ))
            || (pl(0) == "on" && matches!(pl(1), "appearing" | "appeared" | "told" | "interview"));
        let place_cue = matches!(
            pl(0),
            "in" | "from"
                | "to"
                | "near"
                | "across"
                | "throughout"
                | "outside"
                | "inside"
                | "into"
                | "towards"
                | "toward"
        ) && !self.toks[last].possessive
            // "the town of Zandvoort", "the island of Divar"
            || (pl(0) == "of"
                && matches!(
                    pl(1),
                    "town"
                        | "city"
                        | "village"
                        | "island"
                        | "province"
                        | "region"
                        | "county"
                        | "district"
                        | "municipality"
                        | "state"
                        | "capital"
                        | "port"
                        | "suburb"
                ));

        // The head word decides the kind; a regnal number after it does
        // not ("World War II", "Carlos I").
        let last_word = words
            .iter()
            .rev()
            .find(|w| !is_roman(w))
            .copied()
            .unwrap_or(words[words.len() - 1]);
        let has_org_word = words.iter().any(|w| self.is(w, lexicon::ORG_WORD));
        let person_surname_too = matches!(
            last_word,
            "Woods"
                | "Wood"
                | "Hill"
                | "Field"
                | "Fields"
                | "Park"
                | "Lane"
                | "Ford"
                | "Way"
                | "Mount"
                | "Castle"
                | "Rivers"
                | "Brook"
                | "Banks"
                | "Green"
                | "Fort"
        );
        // Every word also written in lower case here ("Beautiful Lie"):
        // a title of a work more likely than a person.
        let common_words = words.iter().any(|w| {
            !self.is(w, lexicon::GIVEN_NAME) && !self.is(w, lexicon::SURNAME) && self.seen_lower(w)
        });
        let (kind, cued) = if title.is_some() {
            (EntityKind::Person, true)
        } else if self.is(&text, lexicon::PLACE) {
            (EntityKind::Place, place_cue)
        } else if self.is(last_word, lexicon::MISC_WORD) && words.len() > 1 && !has_org_word {
            return None;
        } else if matches!(
            words[0],
            "Fort"
                | "Old"
                | "Mount"
                | "Mt."
                | "Lake"
                | "Port"
                | "Saint"
                | "St."
                | "San"
                | "Santa"
                | "São"
                | "Los"
                | "Las"
                | "North"
                | "South"
                | "East"
                | "West"
                | "Northern"
                | "Southern"
                | "Eastern"
                | "Western"
                | "Upper"
                | "Lower"
                | "Greater"
                | "Central"
        ) && words.len() > 1
            && !has_org_word
            && !words.iter().any(|w| self.is(w, lexicon::OUTLET_WORD))
        {
            (EntityKind::Place, false)
        } else if self.is(last_word, lexicon::PLACE_WORD)
            && words.len() > 1
            && !has_org_word
            && !(given_first && person_surname_too)
        {
            (EntityKind::Place, true)
        } else if self.is(last_word, lexicon::ORG_WORD)
            || self.ends_with_phrase(&words, lexicon::is_org_word)
            || (has_org_word
                && !(self.is(last_word, lexicon::OUTLET_WORD)
                    || self.is(&text, lexicon::OUTLET_WORD)
                    || self.ends_with_phrase(&words, lexicon::is_outlet_word)))
        {
            (EntityKind::Agency, true)
        } else if self.is(last_word, lexicon::OUTLET_WORD)
            || self.is(&text, lexicon::OUTLET_WORD)
            || self.ends_with_phrase(&words, lexicon::is_outlet_word)
            || (words.iter().any(|w| self.is(w, lexicon::OUTLET_WORD)) && !given_first)
            || ((outlet_cue_after || outlet_cue_before || self.says_the(first))
                && !given_first
                && !surname_last)
        {
            (EntityKind::Outlet, true)
        } else if words.len() == 1 && is_acronym(words[0]) {
            (EntityKind::Agency, false)
        } else if outlet_verb {
            (EntityKind::Outlet, self.publication_ref)
        } else if (given_first && personish && words.len() > 1)
            || ((speech_after || speech_before || person_cue) && personish)
        {
            (EntityKind::Person, true)
        } else if (given_first || surname_last) && personish {
            (EntityKind::Person, false)
        } else if (place_cue && words.len() <= 3 && !personish)
            || (place_cue && words.len() == 1 && !self.is(words[0], lexicon::SURNAME))
        {
            (EntityKind::Place, true)
        } else if personish && words.len() >= 2 && words.len() <= 4 && !common_words {
            // Looks like a name but nothing says whose: the document pass
            // decides (a surname reused alone marks a person).
            return Some(Found {
                first,
                last,
                kind: None,
                title,
                cued: false,
                personish,
                outlet_verb: false,
                common: false,
                place_cue,
            });
        } else {
            // Unknown single words: kept undecided for the document pass.
            return Some(Found {
                first,
                last,
                kind: None,
                title,
                cued: false,
                personish,
                outlet_verb: false,
                common: false,
                place_cue,
            });
        };
        // A sentence-initial single word needs some evidence beyond its
        // capital letter.
        if words.len() == 1 && self.initial[first] && !cued {
            let w = words[0];
            let evidence = self.known_word(w) || self.mid_caps.contains(w);
            if !evidence || self.seen_lower(w) && !self.known_word(w) {
                return None;
            }
        }
        // "Trawlermen protest …": a common noun opening a sentence, however
        // cued, when the text also writes it in lower case.
        let common = words.len() == 1
            && self.initial[first]
            && title.is_none()
            && kind != EntityKind::Place
            && !self.known_word(words[0])
            && !self.mid_caps.contains(words[0])
            && self.seen_lower(words[0]);
        Some(Found {
            first,
            last,
            kind: Some(kind),
            title,
            cued,
            personish,
            outlet_verb,
            common,
            place_cue,
        })
    }

    /// Cues around a multi-word name that only a person gets: an appositive
    /// ("X Y, a retired officer,"), the speaker slot after a quote
    /// ("…,” X Y, …"), a speech verb a few words on ("X Y similarly
    /// declared"), a possessive person noun ("X Y's wife"), a line of its
    /// own (a byline).
    fn person_cue(&self, first: usize, last: usize) -> bool {
        let n = self.toks.len();
        let tw = |j: usize| -> &str {
            if j < n {
                self.word(j)
            } else {
                ""
            }
        };
        let same_par = |j: usize| j < n && !self.toks[j].blank_before;
        // appositive
        if same_par(last + 1) && tw(last + 1) == "," && same_par(last + 2) {
            match tw(last + 2) {
                "who" | "whose" => return true,
                "a" | "an" | "the" => {
                    for j in last + 3..(last + 10).min(n) {
                        let w = tw(j);
                        if !same_par(j) || matches!(w, "." | "," | ";" | "“" | "\"") {
                            break;
                        }
                        if w.chars().next().is_some_and(char::is_lowercase)
                            && super::roles::is_role_word(w)
                        {
                            return true;
                        }
                    }
                }
                _ => {}
            }
        }
        // speaker slot after a quote
        if first >= 2 && !self.toks[first].blank_before && !self.toks[first - 1].blank_before {
            let q = tw(first - 1);
            let p = tw(first - 2);
            if matches!(q, "”" | "\"" | "’" | "'") && matches!(p, "," | "?" | "!" | "—") {
                return true;
            }
        }
        // a speech verb a few words on
        for j in last + 1..(last + 5).min(n) {
            if !same_par(j) || !self.is_word(j) {
                break;
            }
            let w = tw(j);
            if self.is(w, lexicon::SPEECH_VERB) {
                return true;
            }
            let skip = w.ends_with("ly")
                || matches!(
                    w,
                    "also"
                        | "has"
                        | "had"
                        | "have"
                        | "will"
                        | "would"
                        | "later"
                        | "then"
                        | "once"
                        | "again"
                        | "previously"
                        | "recently"
                        | "further"
                        | "even"
                );
            if !skip {
                break;
            }
        }
        // possessive person noun
        if self.toks[last].possessive
            && same_par(last + 1)
            && self.is(tw(last + 1), lexicon::PERSON_NOUN)
        {
            return true;
        }
        // a line holding only the name
        let line_start = first == 0 || self.toks[first].newline_before;
        let line_end = last + 1 >= n || self.toks[last + 1].newline_before;
        line_start && line_end && last - first < 3 && (first..=last).all(|t| self.namey(t))
    }

    /// "…, says the Observer": an outlet named after "says the".
    fn says_the(&self, first: usize) -> bool {
        let p = self.prev_words(first, 2);
        p.len() == 2 && p[0] == "the" && matches!(p[1], "says" | "reports" | "writes" | "told")
    }

    fn ends_with_phrase(&self, words: &[&str], pred: fn(&str) -> bool) -> bool {
        if words.len() < 2 {
            return false;
        }
        let two = format!("{} {}", words[words.len() - 2], words[words.len() - 1]);
        pred(&two)
    }

    fn span_text(&self, toks: &[usize]) -> String {
        let mut s = String::new();
        for (n, &t) in toks.iter().enumerate() {
            if n > 0 {
                s.push(' ');
            }
            s.push_str(self.word(t));
        }
        s
    }
}

/// Second pass over one document: a surname alone is the person named in
/// full elsewhere; an undecided word takes the kind it was given with a cue.
fn resolve_in_document(ctx: &Ctx, found: &mut Vec<Found>) {
    let mut surnames: FastSet<&str> = FastSet::default();
    let mut cued_kind: FastMap<String, EntityKind> = FastMap::default();
    for f in found.iter() {
        let Some(kind) = f.kind else { continue };
        let toks: Vec<usize> = (f.first..=f.last).collect();
        if kind == EntityKind::Person && f.cued {
            surnames.insert(ctx.word(f.last));
            if f.last > f.first {
                surnames.insert(ctx.word(f.first));
            }
        }
        if f.cued {
            cued_kind.entry(ctx.span_text(&toks)).or_insert(kind);
        }
    }
    // Last words of undecided multi-word names that the text also uses
    // alone: "Anna Kowalczyk … Kowalczyk".
    let mut singles: FastSet<&str> = found
        .iter()
        .filter(|f| f.first == f.last)
        .map(|f| ctx.word(f.first))
        .collect();
    // …and capitalised words standing alone anywhere, even where the first
    // pass kept nothing (a sentence-initial "Kowalczyk told …").
    let mut covered = vec![false; ctx.toks.len()];
    for f in found.iter().filter(|f| f.first < f.last) {
        for c in covered.iter_mut().take(f.last + 1).skip(f.first) {
            *c = true;
        }
    }
    for (i, &cov) in covered.iter().enumerate() {
        if cov || !ctx.is_cap(i) || (i > 0 && is_connector(ctx.word(i - 1))) {
            continue;
        }
        let joined_before = i > 0 && ctx.is_cap(i - 1) && ctx.joins(i);
        let joined_after = i + 1 < ctx.toks.len() && ctx.is_cap(i + 1) && ctx.joins(i + 1);
        if !joined_before && !joined_after {
            singles.insert(ctx.word(i));
        }
    }
    for f in found.iter_mut() {
        if f.kind.is_none()
            && f.first != f.last
            && f.personish
            && singles.contains(ctx.word(f.last))
        {
            f.kind = Some(EntityKind::Person);
            surnames.insert(ctx.word(f.last));
        }
    }
    // "the Baltic Coast Herald … BCH": an acronym of a name cued in the same
    // document is the same kind of body.
    let mut by_initials: FastMap<String, EntityKind> = FastMap::default();
    for f in found.iter().filter(|f| f.cued && f.first < f.last) {
        let Some(kind) = f.kind.filter(|k| *k != EntityKind::Person) else {
            continue;
        };
        let initials: String = (f.first..=f.last)
            .filter(|&t| ctx.is_cap(t))
            .filter_map(|t| ctx.word(t).chars().next())
            .collect();
        if initials.chars().count() >= 2 {
            by_initials.entry(initials).or_insert(kind);
        }
    }
    for f in found.iter_mut() {
        let single = f.first == f.last;
        let w = ctx.word(f.first);
        if single && !f.cued && is_acronym(w) {
            let letters: String = w.chars().filter(|c| c.is_alphabetic()).collect();
            if let Some(&k) = by_initials.get(&letters) {
                f.kind = Some(k);
                f.cued = true;
                continue;
            }
        }
        if single && ctx.is(w, lexicon::PLACE) {
            // "U.S.", "UK": a listed place is never a person.
            f.kind = Some(EntityKind::Place);
            continue;
        }
        if f.common {
            f.kind = surnames.contains(w).then_some(EntityKind::Person);
            f.cued = f.kind.is_some();
            continue;
        }
        if single && surnames.contains(w) && (f.personish || f.outlet_verb) {
            if f.kind != Some(EntityKind::Person) {
                f.kind = Some(EntityKind::Person);
                f.cued = true;
            }
            continue;
        }
        if !f.cued {
            let toks: Vec<usize> = (f.first..=f.last).collect();
            if let Some(&k) = cued_kind.get(&ctx.span_text(&toks)) {
                f.kind = Some(k);
                f.cued = true;
            }
        }
        if f.kind.is_none()
            && single
            && ctx.is(w, lexicon::SURNAME)
            && !ctx.initial[f.first]
            && f.personish
        {
            // "trains ran to Harrison": a family name from the list after a
            // preposition of place is a town named so.
            f.kind = Some(if f.place_cue {
                EntityKind::Place
            } else {
                EntityKind::Person
            });
        }
    }
    found.retain(|f| f.kind.is_some());
    // Title-case headline lines: capitals say little there, so keep a name
    // only when the body names it too, or it is a listed place or a person
    // with a given name.
    let body: FastSet<String> = found
        .iter()
        .filter(|f| !ctx.headline[f.first])
        .map(|f| ctx.span_text(&(f.first..=f.last).collect::<Vec<_>>()))
        .collect();
    found.retain(|f| {
        if !ctx.headline[f.first] {
            return true;
        }
        let text = ctx.span_text(&(f.first..=f.last).collect::<Vec<_>>());
        body.contains(&text)
            || ctx.is(&text, lexicon::PLACE)
            || (f.kind == Some(EntityKind::Person)
                && f.first < f.last
                && (f.cued || ctx.is(ctx.word(f.first), lexicon::GIVEN_NAME)))
            || (f.first == f.last && is_acronym(&text))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names found in `text`, treating each line as a sentence.
    fn names(text: &str) -> Vec<(String, EntityKind, Option<String>)> {
        let mut sentences = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            sentences.push(start..start + line.len());
            start += line.len();
        }
        find_names(text, &sentences)
            .into_iter()
            .map(|n| {
                (
                    text[n.range.clone()].to_string(),
                    n.kind,
                    n.title.map(|t| text[t].to_string()),
                )
            })
            .collect()
    }

    /// The whole text as one sentence.
    fn whole(t: &str) -> Vec<Range<usize>> {
        std::iter::once(0..t.len()).collect()
    }

    fn has(found: &[(String, EntityKind, Option<String>)], name: &str, kind: EntityKind) -> bool {
        found.iter().any(|(n, k, _)| n == name && *k == kind)
    }

    #[test]
    fn titles_are_kept_out_of_the_name() {
        let f = names(
            "Fisheries Director Anna Kowalczyk opened the talks.\n\
             Later, Deputy Foreign Minister Tomasz Wrzesień arrived with spokesman Piotr Nowak.\n",
        );
        assert!(f.contains(&(
            "Anna Kowalczyk".into(),
            EntityKind::Person,
            Some("Fisheries Director".into())
        )));
        assert!(f.contains(&(
            "Tomasz Wrzesień".into(),
            EntityKind::Person,
            Some("Deputy Foreign Minister".into())
        )));
        assert!(f.contains(&(
            "Piotr Nowak".into(),
            EntityKind::Person,
            Some("spokesman".into())
        )));
    }

    #[test]
    fn possessives_are_cut_off_in_every_spelling() {
        let text = "Anna Kowalczyk's plan met Marek Lis’s doubts, Ewa Nowakʼs notes and Jan Matthews’ memo.\n";
        let f = names(text);
        for n in ["Anna Kowalczyk", "Marek Lis", "Ewa Nowak", "Jan Matthews"] {
            assert!(has(&f, n, EntityKind::Person), "{n} missing in {f:?}");
        }
        // Offsets are byte offsets: the curly apostrophe is three bytes.
        let found = find_names(text, &whole(text));
        let lis = found.iter().find(|n| &text[n.range.clone()] == "Marek Lis");
        assert!(lis.is_some_and(|n| text[n.range.end..].starts_with("’s")));
    }

    #[test]
    fn sentence_initial_words_need_evidence() {
        let f = names(
            "Yesterday the board met.\nOfficials were quiet about the vote.\n\
             However, officials said little.\nKowalczyk said the fund was safe.\n",
        );
        assert!(
            !f.iter()
                .any(|(n, _, _)| n == "Yesterday" || n == "Officials" || n == "However"),
            "{f:?}"
        );
        assert!(has(&f, "Kowalczyk", EntityKind::Person), "{f:?}");
    }

    #[test]
    fn acronyms_are_agencies_unless_places() {
        let f = names("Officers of the FBI and the U.N. met in the U.S. on Monday.\n");
        assert!(has(&f, "FBI", EntityKind::Agency), "{f:?}");
        assert!(has(&f, "U.N.", EntityKind::Agency), "{f:?}");
        assert!(has(&f, "U.S.", EntityKind::Place), "{f:?}");
        assert!(!f.iter().any(|(n, _, _)| n == "Monday"));
    }

    #[test]
    fn outlets_from_words_and_cues() {
        let f = names(
            "The minister told Grzmot about the plan, according to the Baltic Herald.\n\
             A spokesman confirmed the story to the Clarion on Tuesday.\n",
        );
        assert!(has(&f, "Grzmot", EntityKind::Outlet), "{f:?}");
        assert!(has(&f, "Baltic Herald", EntityKind::Outlet), "{f:?}");
        assert!(has(&f, "Clarion", EntityKind::Outlet), "{f:?}");
    }

    #[test]
    fn organisations_hold_their_of_and_for_phrases() {
        let f = names(
            "The Ministry of Fisheries and the Royal Institute for Coastal and Maritime Studies disagreed.\n",
        );
        assert!(
            has(&f, "Ministry of Fisheries", EntityKind::Agency),
            "{f:?}"
        );
        assert!(
            has(
                &f,
                "Royal Institute for Coastal and Maritime Studies",
                EntityKind::Agency
            ),
            "{f:?}"
        );
    }

    #[test]
    fn accented_hyphenated_and_initialled_names() {
        let f = names(
            "The report was written by José Álvarez-Núñez, Łukasz O'Brien and J. K. Malinowska.\n\
             Ministers met Sheikh Ahmad al-Rashidi and Mary McDonald.\n",
        );
        for n in [
            "José Álvarez-Núñez",
            "Łukasz O'Brien",
            "J. K. Malinowska",
            "Ahmad al-Rashidi",
            "Mary McDonald",
        ] {
            assert!(has(&f, n, EntityKind::Person), "{n} missing in {f:?}");
        }
    }

    #[test]
    fn a_single_line_break_may_split_a_name_but_a_blank_line_may_not() {
        let text = "The fund is run by Anna\nKowalczyk of the board.\n\nMarta\n\nNowak was absent.";
        let found = find_names(text, &whole(text));
        let texts: Vec<&str> = found.iter().map(|n| &text[n.range.clone()]).collect();
        assert!(texts.contains(&"Anna\nKowalczyk"), "{texts:?}");
        assert!(!texts.iter().any(|t| t.contains("Marta\n")), "{texts:?}");
    }

    #[test]
    fn crlf_text_keeps_byte_offsets() {
        let text = "“We will act,” said Director Anna Kowalczyk.\r\nThe Ministry of Fisheries agreed 🐟.\r\n";
        let s1 = text.find("\r\n").map(|i| i + 2).unwrap_or(0);
        let found = find_names(text, &[0..s1, s1..text.len()]);
        let anna = found
            .iter()
            .find(|n| &text[n.range.clone()] == "Anna Kowalczyk");
        assert!(
            anna.is_some_and(|n| n.kind == EntityKind::Person && n.cued),
            "{found:?}"
        );
        assert!(anna.is_some_and(|n| n.title.clone().map(|t| &text[t]) == Some("Director")));
        assert!(found
            .iter()
            .any(|n| &text[n.range.clone()] == "Ministry of Fisheries"
                && n.kind == EntityKind::Agency));
    }

    #[test]
    fn surnames_follow_the_full_name_and_nationalities_are_not_names() {
        let f = names(
            "Israeli Defense Minister Dov Shamir spoke first.\nLater Shamir met Polish officials.\n",
        );
        assert!(f.contains(&(
            "Dov Shamir".into(),
            EntityKind::Person,
            Some("Israeli Defense Minister".into())
        )));
        assert!(has(&f, "Shamir", EntityKind::Person), "{f:?}");
        assert!(
            !f.iter().any(|(n, _, _)| n == "Polish" || n == "Israeli"),
            "{f:?}"
        );
    }

    #[test]
    fn places_from_lists_and_prepositions() {
        let f = names("Talks in Gdańsk and Nairobi followed a visit to Kowary.\n");
        assert!(has(&f, "Gdańsk", EntityKind::Place), "{f:?}");
        assert!(has(&f, "Nairobi", EntityKind::Place), "{f:?}");
        assert!(has(&f, "Kowary", EntityKind::Place), "{f:?}");
    }

    #[test]
    fn unlisted_full_names_from_person_cues() {
        let f = names(
            "“We were never told,” Dariusz Wenzlaff, a former adviser at the Ministry of Fisheries, told reporters.\n\
             Officials at the Borek Institute for Coastal and Maritime Studies Kasimir Ostrowicz noted on Twitter that the vote failed.\n\
             Later, Deputy Minister Halina Grzmotek similarly declared victory.\n\
             “It is over,” said Wiesław Brzęczek.\n\
             Taddeo Quarlini wrote the report; Quarlini is a hydrologist.\n",
        );
        for n in [
            "Dariusz Wenzlaff",
            "Kasimir Ostrowicz",
            "Halina Grzmotek",
            "Wiesław Brzęczek",
            "Taddeo Quarlini",
        ] {
            assert!(has(&f, n, EntityKind::Person), "{n} missing in {f:?}");
        }
        // The organisation ends where the person's name starts.
        assert!(
            has(
                &f,
                "Borek Institute for Coastal and Maritime Studies",
                EntityKind::Agency
            ),
            "{f:?}"
        );
    }

    #[test]
    fn title_phrases_with_of_end_before_the_name() {
        let f = names("Talks with Director of Coastal Intelligence Zbyszko Marcinkowy went on.\n");
        assert!(
            f.contains(&(
                "Zbyszko Marcinkowy".into(),
                EntityKind::Person,
                Some("Director of Coastal Intelligence".into())
            )),
            "{f:?}"
        );
    }

    #[test]
    fn a_month_after_a_given_name_or_title_is_a_family_name() {
        let f = names(
            "Chancellor Ursula May spoke on Monday.\nAlso, Prime Minister Olivia June said nothing.\nThe vote is on May 5.\n",
        );
        assert!(has(&f, "Ursula May", EntityKind::Person), "{f:?}");
        assert!(has(&f, "Olivia June", EntityKind::Person), "{f:?}");
        assert!(!f.iter().any(|(n, _, _)| n == "May"), "{f:?}");
    }

    #[test]
    fn bylines_are_people_and_labels_are_not() {
        let text = "Fishing fleet idle\r\n\r\nZdzisława Kornecka\r\nFont Colour:\r\n\r\nThe fleet stayed in port.\r\n\r\nMarek Pilch Coastal Correspondent\r\n";
        let f = names(text);
        assert!(has(&f, "Zdzisława Kornecka", EntityKind::Person), "{f:?}");
        assert!(has(&f, "Marek Pilch", EntityKind::Person), "{f:?}");
        assert!(!f.iter().any(|(n, _, _)| n.contains("Font")), "{f:?}");
    }

    #[test]
    fn lone_words_that_write_and_note_are_outlets() {
        let f = names(
            "Gazetka writes about the budget, quoting officials.\nGazetka notes that the fund is empty.\n\
             According to the publication, the minister knew.\nOrbital magazine says the plan is sound.\n",
        );
        assert!(has(&f, "Gazetka", EntityKind::Outlet), "{f:?}");
        assert!(!has(&f, "Gazetka", EntityKind::Person), "{f:?}");
        assert!(has(&f, "Orbital", EntityKind::Outlet), "{f:?}");
        // A columnist named in full stays a person.
        let g = names(
            "Columnist Anna Wercholak wrote in March.\nWercholak writes that the fund is empty.\n",
        );
        assert!(has(&g, "Wercholak", EntityKind::Person), "{g:?}");
    }

    #[test]
    fn a_fused_the_is_not_part_of_the_name() {
        let text = "Readers of TheHerald and TheBKT report saw it.\n";
        let found = find_names(text, &whole(text));
        let texts: Vec<&str> = found.iter().map(|n| &text[n.range.clone()]).collect();
        assert!(texts.contains(&"Herald"), "{texts:?}");
        assert!(texts.contains(&"BKT"), "{texts:?}");
        assert!(!texts.iter().any(|t| t.starts_with("The")), "{texts:?}");
    }

    #[test]
    fn acronym_places_stay_places_before_titles() {
        let f = names(
            "U.K. Fisheries Secretary Anna Kowalczyk met U.S. officials.\nMajor U.S. outlets and the UK press said so.\n",
        );
        assert!(
            f.contains(&(
                "Anna Kowalczyk".into(),
                EntityKind::Person,
                Some("U.K. Fisheries Secretary".into())
            )),
            "{f:?}"
        );
        assert!(
            !f.iter()
                .any(|(n, k, _)| matches!(n.as_str(), "U.S." | "UK" | "U.K.")
                    && *k == EntityKind::Person),
            "{f:?}"
        );
    }

    #[test]
    fn junk_capitals_are_dropped() {
        let f = names(
            "I'd rather stay, said the skipper.\nIn Braving the Storm, we follow the fleet.\n\
             Sign up for a weekly Calm Seas Newsletter today.\n\
             It’s Harbour Dredgers, Not The Port Board, That Are Ruining Fishing\n\
             The port board met on Tuesday to discuss harbour dredgers and fishing.\n",
        );
        for junk in [
            "I'd",
            "Braving",
            "Calm Seas Newsletter",
            "Harbour Dredgers",
            "Ruining Fishing",
        ] {
            assert!(!f.iter().any(|(n, _, _)| n == junk), "{junk} in {f:?}");
        }
    }

    #[test]
    fn plural_possessives_and_company_words_make_organisations() {
        let f = names(
            "Jan Lis, a spokesman for the Kowary Trawlermen’s Association, spoke.\n\
             The tanker belonged to Nordic Freight Lines, Lis said.\nDock Master Ewa Brzoza agreed.\n\
             Britain's Ministry of Fisheries was silent.\n",
        );
        assert!(
            has(&f, "Kowary Trawlermen’s Association", EntityKind::Agency),
            "{f:?}"
        );
        assert!(has(&f, "Nordic Freight Lines", EntityKind::Agency), "{f:?}");
        assert!(
            f.contains(&(
                "Ewa Brzoza".into(),
                EntityKind::Person,
                Some("Dock Master".into())
            )),
            "{f:?}"
        );
        assert!(
            has(&f, "Ministry of Fisheries", EntityKind::Agency),
            "{f:?}"
        );
    }

    #[test]
    fn three_part_east_asian_names_stay_whole() {
        let f = names("The court ruled after Pak Son Hwi's impeachment last year.\n");
        assert!(has(&f, "Pak Son Hwi", EntityKind::Person), "{f:?}");
        assert!(!f.iter().any(|(n, _, _)| n == "Son Hwi"), "{f:?}");
    }

    #[test]
    fn odd_text_does_not_panic() {
        for t in [
            "", "’", "A", "'s", "Ł'", "U.", "— “", "al-", "O'", "\r\r\n", "Mr.", "&&& Ż",
        ] {
            let _ = find_names(t, &whole(t));
        }
    }

    #[test]
    fn a_large_draft_read_in_pieces_finds_every_paragraphs_names() {
        let para = "Director Anna Kowalczyk of the Ministry of Fisheries told the Baltic Herald on Monday that \
                    José Álvarez-Núñez’s report on the FBI was wrong, officials in Gdańsk said.\n";
        let one: Vec<String> = names(para).into_iter().map(|n| n.0).collect();
        assert!(one.len() >= 5, "{one:?}");
        let copies = 3_000_000 / para.len();
        let text = para.repeat(copies);
        assert!(text.len() > PIECE_BYTES);
        let found = find_names(&text, &whole(&text));
        let per_copy: Vec<&str> = found.iter().map(|n| &text[n.range.clone()]).collect();
        assert_eq!(per_copy.len(), one.len() * copies);
        for chunk in per_copy.chunks(one.len()) {
            assert_eq!(chunk, one.as_slice());
        }
    }

    /// Tokens, names, kinds and titles, read whole and in pieces of
    /// `piece` bytes.
    fn whole_and_in_pieces(text: &str, piece: usize) -> (Vec<NameSpan>, Vec<NameSpan>) {
        let sentences = crate::corpus::article::split_sentences(text, 0..text.len());
        assert_eq!(tokenize_in_pieces(text, piece), tokenize(text));
        (
            find_names_in_pieces(text, &sentences, usize::MAX),
            find_names_in_pieces(text, &sentences, piece),
        )
    }

    #[test]
    fn pieces_cut_at_line_breaks_read_as_the_whole_text() {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut text = String::new();
        let mut files: Vec<_> = std::fs::read_dir(seeds)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            text.push_str(&std::fs::read_to_string(f).unwrap());
            text.push_str("\n\n");
        }
        // Line breaks of every kind where pieces are cut, accents, emoji,
        // no-break spaces and a run of white space across a cut.
        let odd = "Zoë Šimić 🎉 met the Ministry of Fisheries.\r\n\r\n\u{a0}\u{a0}“We won’t,” \
                   said José Álvarez.\n \t\n\nThe U.S.\nState Department’s officials left.\r\n";
        let text = format!("{odd}{}{odd}{}{odd}", text, text.replace('\n', "\r\n"));
        let (whole, pieces) = whole_and_in_pieces(&text, 64);
        assert!(whole.len() > 100, "{}", whole.len());
        assert_eq!(pieces, whole);
        for piece in [1, 7, 300, 4096] {
            let (whole, pieces) = whole_and_in_pieces(&text, piece);
            assert_eq!(pieces, whole, "pieces of {piece} bytes");
        }
    }
}
