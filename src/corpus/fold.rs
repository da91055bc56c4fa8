//! Folding text for name look-ups: the same name can be written with a
//! curly or straight apostrophe, with dots or without ("U.S." / "US"), and
//! broken across a line inside a paragraph. Folding maps all of those to one
//! spelling and remembers where each folded byte came from.

/// Text folded for matching, with a map back to the original.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// The folded characters that are not the original byte copied (a
    /// multi-byte character, a run of white space), in order. Every other
    /// folded byte is the original byte as far after the last mark's end as
    /// it is after the mark: nearly all of a text needs no entry.
    marks: Vec<Mark>,
    /// Length of the original text.
    original_len: usize,
}

/// One folded character and the original characters it stands for.
#[derive(Debug, Clone, Copy)]
struct Mark {
    /// Its bytes in the folded text.
    folded: usize,
    len: usize,
    /// The original character (or run of white space).
    start: usize,
    end: usize,
}

impl Folded {
    /// Fold `text`: runs of white space (including single line breaks, but
    /// not blank lines) become one space; apostrophe look-alikes become `'`.
    /// A blank line is kept as `\n` so names never match across paragraphs.
    pub fn new(text: &str) -> Folded {
        let mut out = String::with_capacity(text.len());
        let mut marks = Vec::new();
        let bytes = text.as_bytes();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            // Printable ASCII (nearly all of it) folds to itself, but for
            // the backtick, and maps back one byte to one byte.
            if (0x21..0x7f).contains(&bytes[i]) {
                out.push(char::from(if bytes[i] == b'`' { b'\'' } else { bytes[i] }));
                continue;
            }
            if c.is_whitespace() {
                let mut end = i + c.len_utf8();
                while let Some(&(j, n)) = chars.peek() {
                    if !n.is_whitespace() {
                        break;
                    }
                    end = j + n.len_utf8();
                    chars.next();
                }
                let run = &text[i..end];
                // "\r\n" is one line break.
                let breaks = run.matches('\n').count() + run.matches('\r').count()
                    - run.matches("\r\n").count();
                if end - i > 1 {
                    marks.push(Mark {
                        folded: out.len(),
                        len: 1,
                        start: i,
                        end,
                    });
                }
                out.push(if breaks >= 2 { '\n' } else { ' ' });
                continue;
            }
            let folded = fold_char(c);
            if c.len_utf8() > 1 || folded.len_utf8() > 1 {
                marks.push(Mark {
                    folded: out.len(),
                    len: folded.len_utf8(),
                    start: i,
                    end: i + c.len_utf8(),
                });
            }
            out.push(folded);
        }
        Folded {
            text: out,
            marks,
            original_len: text.len(),
        }
    }

    /// The original character (start and end) folded byte `at` came from.
    fn origin(&self, at: usize) -> Option<(usize, usize)> {
        if at >= self.text.len() {
            return None;
        }
        let k = self.marks.partition_point(|m| m.folded <= at);
        let Some(m) = k.checked_sub(1).map(|k| self.marks[k]) else {
            return Some((at, at + 1));
        };
        if at < m.folded + m.len {
            return Some((m.start, m.end));
        }
        let o = m.end + (at - m.folded - m.len);
        Some((o, o + 1))
    }

    /// Original byte range for a range of the folded text.
    pub fn original(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self
            .origin(range.start)
            .map_or(self.original_len, |(s, _)| s);
        let end = if range.end == 0 {
            start
        } else {
            match self.origin(range.end - 1) {
                Some((_, e)) => e,
                None => self.original_len,
            }
        };
        start..end
    }
}

/// Fold one character: apostrophes and their look-alikes become `'`.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{02B9}' | '\u{2032}' | '`' => '\'',
        '\u{2010}' | '\u{2011}' => '-',
        _ => c,
    }
}

/// Fold a short name the same way text is folded (no offsets kept).
pub fn fold_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(fold_char(c));
    }
    out
}

/// A key under which spellings of one name meet: folded, without dots,
/// without a leading "the". "U.S." and "US" share a key; so do "O’Brien"
/// and "O'Brien".
pub fn name_key(name: &str) -> String {
    let folded = fold_name(name);
    let trimmed = folded
        .strip_prefix("the ")
        .or_else(|| folded.strip_prefix("The "))
        .unwrap_or(&folded);
    trimmed.chars().filter(|&c| c != '.').collect()
}

/// Call `f` with `word` in lower case, as [`str::to_lowercase`] gives it,
/// without allocating for short ASCII words (nearly every word of English
/// news): the recognizers ask "is this word known in lower case?" for
/// every capitalised word.
#[inline]
pub fn with_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    const MAX: usize = 48;
    if word.len() <= MAX && word.is_ascii() {
        let mut buf = [0u8; MAX];
        let out = &mut buf[..word.len()];
        out.copy_from_slice(word.as_bytes());
        out.make_ascii_lowercase();
        // ASCII in, ASCII out: always valid UTF-8.
        match std::str::from_utf8(out) {
            Ok(lower) => f(lower),
            Err(_) => f(&word.to_lowercase()),
        }
    } else {
        f(&word.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_without_allocation_matches_the_standard_one() {
        for w in [
            "Kowalczyk",
            "ÓSKAR",
            "ΟΔΟΣ",
            "O’BRIEN",
            "",
            "A-B'C",
            &"X".repeat(60),
        ] {
            assert_eq!(with_lowercase(w, str::to_string), w.to_lowercase());
        }
    }

    #[test]
    fn folds_line_breaks_inside_a_paragraph_but_not_blank_lines() {
        let text = "Anna\r\nKowalczyk met\n\nJózef";
        let f = Folded::new(text);
        assert_eq!(f.text, "Anna Kowalczyk met\nJózef");
        let start = f.text.find("Józef").unwrap();
        let r = f.original(start..f.text.len());
        assert_eq!(&text[r], "Józef");
        let r = f.original(0..14);
        assert_eq!(&text[r], "Anna\r\nKowalczyk");
    }

    #[test]
    fn apostrophes_fold_and_map_back_over_multibyte_chars() {
        let text = "O’Brien’s 👩‍💻 Dunneʼs";
        let f = Folded::new(text);
        assert!(f.text.starts_with("O'Brien's"));
        let s = f.text.find("Dunne").unwrap();
        let r = f.original(s..s + "Dunne's".len());
        assert_eq!(&text[r], "Dunneʼs");
        let r = f.original(0..7);
        assert_eq!(&text[r], "O’Brien");
    }

    #[test]
    fn ranges_ending_in_a_multibyte_letter_map_to_its_end() {
        let text = "Vlada Stamenković said";
        let f = Folded::new(text);
        let end = f.text.find(" said").unwrap();
        let r = f.original(0..end);
        assert_eq!(&text[r], "Vlada Stamenković");
    }

    #[test]
    fn name_keys_meet_across_spellings() {
        assert_eq!(name_key("U.S."), name_key("US"));
        assert_eq!(name_key("the Fisheries Board"), name_key("Fisheries Board"));
        assert_eq!(name_key("O’Neill"), name_key("O'Neill"));
        assert_ne!(name_key("Anna Nowak"), name_key("Anna Nowakowska"));
    }

    /// The map kept byte by byte, as folding first did: the sparse marks
    /// must give the same original ranges.
    fn dense_origins(text: &str) -> (Vec<usize>, Vec<usize>) {
        let (mut origin, mut origin_end) = (Vec::new(), Vec::new());
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_whitespace() {
                let mut end = i + c.len_utf8();
                while let Some(&(j, n)) = chars.peek() {
                    if !n.is_whitespace() {
                        break;
                    }
                    end = j + n.len_utf8();
                    chars.next();
                }
                origin.push(i);
                origin_end.push(end);
                continue;
            }
            for _ in 0..fold_char(c).len_utf8() {
                origin.push(i);
                origin_end.push(i + c.len_utf8());
            }
        }
        (origin, origin_end)
    }

    proptest::proptest! {
        #[test]
        fn sparse_marks_map_back_as_a_byte_by_byte_map(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Zoë", " ", "  ", "\r\n", "\n\n", "\t", "’", "`", "é", "👩‍💻", "U.S.", "x\u{2011}y", "\u{a0}",
                ]),
                0..24,
            )
        ) {
            let text: String = pieces.concat();
            let f = Folded::new(&text);
            let (origin, origin_end) = dense_origins(&text);
            proptest::prop_assert_eq!(origin.len(), f.text.len());
            for a in 0..=f.text.len() {
                for b in a..=f.text.len() {
                    let start = origin.get(a).copied().unwrap_or(text.len());
                    let end = if b == 0 {
                        start
                    } else {
                        origin_end.get(b - 1).copied().unwrap_or(text.len())
                    };
                    proptest::prop_assert_eq!(f.original(a..b), start..end, "{:?} {}..{}", text, a, b);
                }
            }
        }
    }
}
