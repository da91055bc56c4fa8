//! `name-variant`: a name written almost, but not quite, as the sources
//! write a known actor's name — "Sergei" for "Sergey", a dropped or doubled
//! letter, two letters swapped.
//!
//! Misspelt names are the correction readers notice first. A name in the
//! draft is a variant when it is not itself a known name (or one of the
//! project's names) and lies within one edit (restricted Damerau–Levenshtein:
//! insert, delete, substitute, swap neighbours) of a known name or alias —
//! two edits for names of ten characters or more. Multi-word names may also
//! differ in a single word, the others equal. Names inside quotation marks
//! are the quoted speaker's words and are never flagged, and words that are
//! names of their own (places, nationalities, given names) are left alone.
//!
//! Known names are bucketed by length and by first and by last letter, so a
//! draft name is compared only with names that could be that close: one
//! edit cannot change both the first and the last letter of a long name.

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use super::{finding, fix, name_key, overlaps, Checked, Context};
use crate::corpus::names::NameSpan;
use crate::corpus::Corpus;
use crate::lexicon::{self, FastMap, FastSet};
use crate::server::Severity;

pub const CODE: &str = "name-variant";

/// Shorter names are too easily another real name ("Bush", "Rush").
const MIN_CHARS: usize = 5;
/// From this many characters on, two edits still make a variant.
const LONG_NAME: usize = 10;

pub(crate) fn check(cx: &Context) -> Vec<Checked> {
    let known = KnownNames::for_corpus(cx.corpus);
    // The names that could be variants, with what they are written as.
    let candidates: Vec<(&NameSpan, String)> = cx
        .draft
        .names
        .iter()
        .filter(|n| !cx.is_quoted(&n.range))
        .filter(|n| {
            // The recognizer's name is exactly a known mention: nothing to say.
            let mentions = &cx.draft.mentions;
            let at = mentions.partition_point(|m| m.range.start < n.range.start);
            !mentions[at..]
                .iter()
                .take_while(|m| m.range.start == n.range.start)
                .any(|m| m.entity.is_some() && m.range == n.range)
        })
        .map(|n| (n, super::one_line(cx.text(&n.range))))
        .filter(|(_, written)| {
            !written.is_empty() && !cx.is_project_name(written) && !is_word_of_its_own(written)
        })
        .collect();
    // The near-miss searches are independent: side by side (a long
    // draft's first check has thousands).
    let spellings: Vec<Option<String>> = candidates
        .par_iter()
        .map(|(_, written)| {
            let closest = || known.closest(cx.corpus, written);
            match &cx.options.lookups {
                Some(memo) => memo.variant(written, closest),
                None => closest(),
            }
        })
        .collect();
    let mut out = Vec::new();
    for ((n, written), spelling) in candidates.iter().zip(spellings) {
        let after_last = out
            .last()
            .is_some_and(|c: &Checked| overlaps(&c.finding.range, &n.range));
        let Some(spelling) = spelling.filter(|_| !after_last) else {
            continue;
        };
        out.push(Checked {
            finding: finding(
                CODE,
                Severity::Warning,
                n.range.clone(),
                format!("\"{written}\" — the sources spell it \"{spelling}\""),
            ),
            fixes: vec![fix(
                CODE,
                format!("Change to {spelling}"),
                vec![(n.range.clone(), spelling.to_string())],
            )],
        });
    }
    out
}

/// A name that is also a common name in its own right.
fn is_word_of_its_own(name: &str) -> bool {
    lexicon::is_place(name)
        || (!name.contains(' ')
            && (lexicon::is_nationality(name)
                || lexicon::is_given_name(name)
                || lexicon::is_non_name(name)))
}

/// A known spelling: where its comparison key stands in
/// [`KnownNames::text`], and whose name it is (the spelling shown and the
/// weight are read back from the entity, not kept twice).
#[derive(Debug, Clone, Copy)]
struct Form {
    start: u32,
    len: u32,
    entity: u32,
    /// 0 for the entity's name, `n` for its alias `n - 1`.
    form: u32,
}

/// Every known name and alias, bucketed for near-miss look-ups. Compact,
/// because a large archive has hundreds of thousands of names: the keys
/// stand back to back in one string, and the set of all keys holds hashes.
#[derive(Debug, Default)]
pub(crate) struct KnownNames {
    text: String,
    forms: Vec<Form>,
    /// [`char_mask`] of each form's key: a look-up passes over most forms
    /// of a bucket on these alone, without reading their keys.
    masks: Vec<u64>,
    /// The 64-bit hash of every known key, short names and acronyms too: a
    /// draft name with one of these is a known name. (Two different keys
    /// sharing a hash would at worst leave one misspelling unflagged.)
    keys: FastSet<u64>,
    /// (length in chars, first char) → forms.
    by_first: FastMap<(u32, char), Vec<u32>>,
    /// (length in chars, last char) → forms.
    by_last: FastMap<(u32, char), Vec<u32>>,
}

fn key_hash(key: &str) -> u64 {
    twox_hash::XxHash3_64::oneshot(key.as_bytes())
}

/// One name or alias of an entity as a chunk of the build sees it.
struct Seen {
    hash: u64,
    /// Its key in the chunk's text; `None` when it can be no variant's
    /// spelling (too short, an acronym, only in page furniture).
    key: Option<(Range<usize>, usize, char, char)>,
    entity: u32,
    form: u32,
}

impl KnownNames {
    /// The buckets of `corpus`, made once and kept with it.
    pub fn for_corpus(corpus: &Corpus) -> Arc<KnownNames> {
        corpus.derived(KnownNames::new)
    }

    pub fn new(corpus: &Corpus) -> KnownNames {
        // Keys are worked out in parallel, chunk by chunk; the first entity
        // (in corpus order) to use a key keeps it.
        let chunks: Vec<(String, Vec<Seen>)> = corpus
            .entities
            .par_chunks(4096)
            .enumerate()
            .map(|(c, entities)| {
                let mut text = String::new();
                let mut seen = Vec::new();
                for (i, e) in entities.iter().enumerate() {
                    let entity = (c * 4096 + i) as u32;
                    let forms = std::iter::once(&e.name).chain(e.aliases.iter());
                    for (form, written) in forms.enumerate() {
                        let key = name_key(written);
                        let chars = key.chars().count();
                        // Acronyms ("CIA", "MI6") are not spelt, they are chosen.
                        let spelt = chars >= MIN_CHARS
                            && !crate::corpus::names::is_acronym(written)
                            && !e.only_in_boilerplate();
                        let ends = key.chars().next().zip(key.chars().next_back());
                        let key_at = match ends {
                            Some((first, last)) if spelt => {
                                let start = text.len();
                                text.push_str(&key);
                                Some((start..text.len(), chars, first, last))
                            }
                            _ => None,
                        };
                        seen.push(Seen {
                            hash: key_hash(&key),
                            key: key_at,
                            entity,
                            form: form as u32,
                        });
                    }
                }
                (text, seen)
            })
            .collect();
        let mut known = KnownNames::default();
        for (text, seen) in chunks {
            for s in seen {
                if !known.keys.insert(s.hash) {
                    continue;
                }
                let Some((range, chars, first, last)) = s.key else {
                    continue;
                };
                let i = known.forms.len() as u32;
                let chars = chars as u32;
                known.by_first.entry((chars, first)).or_default().push(i);
                known.by_last.entry((chars, last)).or_default().push(i);
                known.masks.push(char_mask(&text[range.clone()]));
                known.forms.push(Form {
                    start: (known.text.len() + range.start) as u32,
                    len: range.len() as u32,
                    entity: s.entity,
                    form: s.form,
                });
            }
            known.text.push_str(&text);
        }
        known
    }

    fn key(&self, form: &Form) -> &str {
        &self.text[form.start as usize..(form.start + form.len) as usize]
    }

    /// The known spelling `name` is a near miss of, if any: fewest edits
    /// first, then the best-attested.
    pub fn closest(&self, corpus: &Corpus, name: &str) -> Option<String> {
        let key = name_key(name);
        if self.keys.contains(&key_hash(&key)) {
            return None;
        }
        let chars: Vec<char> = key.chars().collect();
        let len = chars.len();
        if len < MIN_CHARS || crate::corpus::names::is_acronym(name) {
            return None;
        }
        let (first, last) = (chars[0], chars[len - 1]);
        let words: Vec<&str> = key.split(' ').collect();
        let weight = |form: &Form| {
            corpus
                .entities
                .get(form.entity as usize)
                .map_or(0, |e| e.mentions.len())
        };
        // Every spelling `near` accepts is at most this many edits away,
        // and an edit changes at most two of the characters a name holds:
        // spellings holding other characters are passed over unaligned.
        let most = if len >= LONG_NAME { 4 } else { 2 };
        let mask = char_mask(&key);
        let mut best: Option<(usize, std::cmp::Reverse<usize>, u32)> = None;
        for l in len.saturating_sub(2)..=len + 2 {
            let l = l as u32;
            let a = self.by_first.get(&(l, first)).into_iter().flatten();
            let b = self.by_last.get(&(l, last)).into_iter().flatten();
            for &i in a.chain(b) {
                if (mask ^ self.masks[i as usize]).count_ones() > most {
                    continue;
                }
                let form = &self.forms[i as usize];
                let form_key = self.key(form);
                let Some(d) = near(&chars, &words, form_key) else {
                    continue;
                };
                let rank = (d, std::cmp::Reverse(weight(form)), i);
                if best.is_none_or(|b| rank < b) {
                    best = Some(rank);
                }
            }
        }
        let form = &self.forms[best?.2 as usize];
        let e = corpus.entities.get(form.entity as usize)?;
        let written = match form.form {
            0 => &e.name,
            n => e.aliases.get(n as usize - 1)?,
        };
        Some(crate::corpus::fold::fold_name(written))
    }
}

/// The characters `s` holds, as bits: letters and digits one each, any
/// other character sharing a bit with some. One edit (a character added,
/// dropped or replaced; two swapped) flips at most two bits, however
/// characters share them, so names `k` edits apart differ in at most `2k`.
fn char_mask(s: &str) -> u64 {
    s.chars().fold(0u64, |m, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            ' ' => 36,
            _ => 37 + c as u32 % 27,
        };
        m | 1 << bit
    })
}

/// Edits between a draft name and a known key, when close enough.
fn near(chars: &[char], words: &[&str], form_key: &str) -> Option<usize> {
    with_chars(form_key, |key| near_chars(chars, words, form_key, key))
}

/// `f` of the characters of `s`, on the stack when they fit.
fn with_chars<R>(s: &str, f: impl FnOnce(&[char]) -> R) -> R {
    const MAX: usize = 48;
    let mut buf = ['\0'; MAX];
    let mut n = 0;
    for c in s.chars() {
        if n == MAX {
            let all: Vec<char> = s.chars().collect();
            return f(&all);
        }
        buf[n] = c;
        n += 1;
    }
    f(&buf[..n])
}

fn near_chars(chars: &[char], words: &[&str], form_key: &str, key: &[char]) -> Option<usize> {
    let len = chars.len();
    let form_words = form_key.split(' ').count();
    if words.len() == 1 && form_words == 1 {
        let limit = if len >= LONG_NAME { 2 } else { 1 };
        let d = osa_within(chars, key, limit);
        return (d <= limit).then_some(d);
    }
    // Several words: one edit over the whole name ("Sergei Lavrov")…
    if len.abs_diff(key.len()) <= 1 {
        let d = osa_within(chars, key, 1);
        if d <= 1 {
            return Some(d);
        }
    }
    // …or one word off by up to two edits in a long name, the rest equal.
    if words.len() != form_words || len < LONG_NAME {
        return None;
    }
    let mut differing = None;
    for (a, b) in words.iter().zip(form_key.split(' ')) {
        if *a != b {
            if differing.is_some() {
                return None;
            }
            differing = Some((*a, b));
        }
    }
    let (a, b) = differing?;
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let limit = if a.len().max(b.len()) >= 6 { 2 } else { 1 };
    let d = osa_within(&a, &b, limit);
    (d <= limit).then_some(d)
}

/// Optimal string alignment distance (edits, adjacent swaps counted once)
/// without allocating: this runs for every near-sized known name, so on a
/// large corpus thousands of times per check. Names longer than the stack
/// rows go to `strsim`.
#[cfg(test)]
fn osa(a: &[char], b: &[char]) -> usize {
    osa_within(a, b, usize::MAX)
}

/// [`osa`], giving up with a value over `limit` as soon as every
/// alignment so far costs more: most known names are far off, and that
/// shows within a row or two.
fn osa_within(a: &[char], b: &[char], limit: usize) -> usize {
    const MAX: usize = 48;
    if a.len().abs_diff(b.len()) > limit {
        return limit.saturating_add(1);
    }
    if b.len() >= MAX {
        let (a, b): (String, String) = (a.iter().collect(), b.iter().collect());
        return strsim::osa_distance(&a, &b);
    }
    let n = b.len();
    let mut before = [0usize; MAX];
    let mut prev = [0usize; MAX];
    let mut cur = [0usize; MAX];
    for (j, p) in prev.iter_mut().enumerate().take(n + 1) {
        *p = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
        }
        // A swap reaches back two rows, so both must be over the limit.
        let row_min = cur[..=n].iter().min().copied().unwrap_or(0);
        let prev_min = prev[..=n].iter().min().copied().unwrap_or(0);
        if row_min > limit && prev_min > limit {
            return limit.saturating_add(1);
        }
        before[..=n].copy_from_slice(&prev[..=n]);
        prev[..=n].copy_from_slice(&cur[..=n]);
    }
    prev[n]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_two_edits_apart_hold_characters_two_edits_apart() {
        let pairs = [
            ("kowalczyk", "kowalcyzk"),
            ("kowalczyk", "kovalczyk"),
            ("józef", "jozef"),
            ("józef", "jozefa"),
            ("ångström", "angstrem"),
            ("anna kowalczyk", "anna kowalcyk"),
            ("anna kowalczyk", "annakowalczyk"),
            ("łukasiewicz", "lukasiewic"),
            ("zoë 😀 ng", "zoe 😀 ng"),
        ];
        for (a, b) in pairs {
            let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let edits = osa(&ca, &cb) as u32;
            assert!(edits <= 2, "{a} / {b}: {edits}");
            let differ = (char_mask(a) ^ char_mask(b)).count_ones();
            assert!(
                differ <= 2 * edits,
                "{a} / {b}: {differ} bits for {edits} edits"
            );
        }
        // Far-off names of the same length and first letter are told apart
        // without aligning them.
        assert!((char_mask("kowalczyk") ^ char_mask("kennedyss")).count_ones() > 4);
    }

    #[test]
    fn osa_agrees_with_strsim_on_accents_swaps_and_long_names() {
        let pairs = [
            ("kowalczyk", "kowalcyzk"),
            ("józef", "jozef"),
            ("ångström", "angstrom"),
            ("", "abc"),
            ("ab", "ba"),
            ("ca", "abc"),
            ("anna maria kowalczyk", "ana maria kowalczyk"),
            (
                "a very long organisation name that goes on and on past the rows",
                "a very long organisation name that goes on and on past the row",
            ),
        ];
        for (a, b) in pairs {
            let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            assert_eq!(osa(&ca, &cb), strsim::osa_distance(a, b), "{a} / {b}");
            assert_eq!(osa(&cb, &ca), strsim::osa_distance(b, a), "{b} / {a}");
            // Giving up early never changes an answer within the limit.
            let d = osa(&ca, &cb);
            for limit in 0..4 {
                let bounded = osa_within(&ca, &cb, limit);
                assert_eq!(bounded <= limit, d <= limit, "{a} / {b} within {limit}");
                if d <= limit {
                    assert_eq!(bounded, d);
                }
            }
        }
    }
    use crate::analysis::checks::CheckOptions;
    use crate::analysis::fixture::{self, assert_rule};
    use crate::analysis::ignore::Ignores;

    fn harbour() -> Corpus {
        fixture::corpus(&[(
            "harbour-01",
            "Director Anna Kowalczyk of the Ministry of Fisheries spoke in Gdańsk on Monday.\n\n\
             Deputy Minister Józef Wiśniewski told reporters the fleet was safe.\n\n\
             Captain Bartholomew Fairweather said the nets were empty.\n",
        )])
    }

    #[test]
    fn dropped_swapped_and_substituted_letters_are_flagged() {
        assert_rule(
            &harbour(),
            CODE,
            r#"
Director Anna Kowalcyk spoke on Monday.
         ^^^^^^^^^^^^^
Minister Józef Wiśniewksi told reporters the fleet was safe.
         ^^^^^^^^^^^^^^^^
Captain Bartholemew Fairweather said the nets were empty.
        ^^^^^^^^^^^^^^^^^^^^^^^
Anna Kowalczyk and Józef Wiśniewski met the captain.
"#,
        );
    }

    #[test]
    fn quoted_names_and_project_names_are_left_alone() {
        let corpus = harbour();
        let text =
            "The banner read “Anna Kowalcyk out!” all week.\n\nDirector Anna Kowalcyk spoke.\n";
        let draft = crate::analysis::draft::Draft::read(text, true, &corpus);
        let quoted = draft
            .quotes
            .iter()
            .any(|q| text[q.range.clone()].contains("Kowalcyk"));
        assert!(quoted, "the fixture needs the name inside a quote");
        let found = fixture::run(&corpus, text, &CheckOptions::default());
        let flagged: Vec<&str> = found
            .iter()
            .filter(|c| c.finding.code == CODE)
            .map(|c| &text[c.finding.range.clone()])
            .collect();
        assert_eq!(flagged, ["Anna Kowalcyk"]);
        assert!(found
            .iter()
            .filter(|c| c.finding.code == CODE)
            .all(|c| c.finding.range.start > 40));

        let options = CheckOptions {
            ignores: Ignores {
                names: vec!["Anna Kowalcyk".into()],
                ..Default::default()
            },
            ..Default::default()
        };
        let found = fixture::run(&corpus, text, &options);
        assert!(found.iter().all(|c| c.finding.code != CODE));
    }

    #[test]
    fn message_and_fix_give_the_sources_spelling() {
        let text = "Director Anna Kowalcyk spoke on Monday. 🎣\n";
        let found = fixture::run(&harbour(), text, &CheckOptions::default());
        let c = fixture::flagged(&found, CODE);
        assert_eq!(
            c.finding.message,
            "\"Anna Kowalcyk\" — the sources spell it \"Anna Kowalczyk\""
        );
        assert_eq!(c.fixes[0].title, "Change to Anna Kowalczyk");
        assert_eq!(
            fixture::apply(text, &c.fixes[0].edits),
            "Director Anna Kowalczyk spoke on Monday. 🎣\n"
        );
    }

    #[test]
    fn different_names_a_few_letters_apart_are_not_variants() {
        let corpus = fixture::corpus(&[(
            "a",
            "Mayor Piotr Nowak met Director Anna Kowalczyk in Gdańsk.\n",
        )]);
        let known = KnownNames::new(&corpus);
        let closest = |name: &str| known.closest(&corpus, name);
        assert_eq!(closest("Anna Kowalczyk"), None, "a known name");
        assert_eq!(closest("Hanna Kowalska"), None);
        assert_eq!(closest("Piotr Nowakowski"), None);
        assert_eq!(closest("Anna Kowalcyzk").as_deref(), Some("Anna Kowalczyk"));
    }
}
