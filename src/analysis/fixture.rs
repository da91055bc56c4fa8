//! Test helpers: fixtures that read like the document, and small corpora
//! built from invented articles.
//!
//! A fixture is a draft with marker lines. A line made only of spaces and
//! `^` (optionally followed by ` code`) marks, on the line above it, the
//! characters under the carets — one `^` per character, so accented letters
//! and emoji take one column each:
//!
//! ```text
//! Anna Kowalczik met the press.
//! ^^^^^^^^^^^^^^ name-variant
//! ```
//!
//! Marker lines are removed from the text; the other lines keep their own
//! line ends, so a fixture written with `\r\n` stays CRLF.

use std::ops::Range;
use std::path::PathBuf;

use crate::analysis::checks::{self, CheckOptions, Checked};
use crate::analysis::draft::Draft;
use crate::corpus::source::{Loaded, SourceFile};
use crate::corpus::{Corpus, LineMap};

/// An expected range in a fixture, with its label ("" when none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub range: Range<usize>,
    pub label: String,
}

/// The clean text of a fixture and its marks, in order.
pub fn parse(fixture: &str) -> (String, Vec<Mark>) {
    let fixture = fixture.strip_prefix('\n').unwrap_or(fixture);
    let mut text = String::new();
    let mut marks = Vec::new();
    // Start and content of the last text line kept.
    let mut last_line: Option<(usize, String)> = None;
    for line in fixture.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((columns, label)) = marker(content) {
            if let Some((start, above)) = &last_line {
                for col in columns {
                    let offset =
                        |c: usize| above.char_indices().nth(c).map_or(above.len(), |(i, _)| i);
                    marks.push(Mark {
                        range: start + offset(col.start)..start + offset(col.end),
                        label: label.clone(),
                    });
                }
            }
            continue;
        }
        last_line = Some((text.len(), content.to_string()));
        text.push_str(line);
    }
    marks.sort_by_key(|m| (m.range.start, m.range.end));
    (text, marks)
}

/// Caret runs (in characters) and the label of a marker line.
fn marker(line: &str) -> Option<(Vec<Range<usize>>, String)> {
    let marks_end = line
        .char_indices()
        .find(|&(_, c)| c != ' ' && c != '^')
        .map_or(line.len(), |(i, _)| i);
    let (marks, rest) = line.split_at(marks_end);
    if !marks.contains('^') || !(rest.is_empty() || marks.ends_with(' ')) {
        return None;
    }
    let label = rest.trim();
    if label.contains(char::is_whitespace) {
        return None;
    }
    let mut runs: Vec<Range<usize>> = Vec::new();
    for (i, c) in marks.chars().enumerate() {
        if c == '^' {
            match runs.last_mut() {
                Some(r) if r.end == i => r.end = i + 1,
                _ => runs.push(i..i + 1),
            }
        }
    }
    Some((runs, label.to_string()))
}

/// A corpus of invented articles given as `(id, text)`; each lives at
/// `sources/<id>.txt` and reads as itself.
pub fn corpus(articles: &[(&str, &str)]) -> Corpus {
    let files = articles
        .iter()
        .map(|(id, text)| SourceFile {
            id: id.to_string(),
            path: PathBuf::from(format!("sources/{id}.txt")),
            embedded: false,
            text: text.to_string(),
            line_map: LineMap::identity(text),
        })
        .collect();
    Corpus::build(Loaded {
        files,
        ..Default::default()
    })
}

/// A story reprinted `copies` times as `text`, then once more as `last`:
/// ids `<prefix>-00`, `<prefix>-01`… (as many digits as the count needs,
/// at least two), `last` numbered after the copies.
pub fn reprinted(prefix: &str, copies: usize, text: &str, last: &str) -> Corpus {
    let width = copies.to_string().len().max(2);
    let ids: Vec<String> = (0..=copies)
        .map(|i| format!("{prefix}-{i:0width$}"))
        .collect();
    let articles: Vec<(&str, &str)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), if i < copies { text } else { last }))
        .collect();
    corpus(&articles)
}

/// Run the checks over a Markdown draft.
pub fn run(corpus: &Corpus, text: &str, options: &CheckOptions) -> Vec<Checked> {
    let draft = Draft::read(text, true, corpus);
    checks::run(corpus, &draft, options)
}

/// Assert that the findings of rule `code` over the fixture are exactly its
/// marks (a mark's label, when given, must be `code`). On a mismatch the
/// panic shows the findings drawn as a fixture.
pub fn assert_rule(corpus: &Corpus, code: &str, fixture: &str) -> Vec<Checked> {
    let (text, marks) = parse(fixture);
    for m in &marks {
        assert!(
            m.label.is_empty() || m.label == code,
            "fixture mark labelled {:?} in a test of {code}",
            m.label
        );
    }
    let found: Vec<Checked> = run(corpus, &text, &CheckOptions::default())
        .into_iter()
        .filter(|c| c.finding.code == code)
        .collect();
    let got: Vec<Range<usize>> = found.iter().map(|c| c.finding.range.clone()).collect();
    let want: Vec<Range<usize>> = marks.iter().map(|m| m.range.clone()).collect();
    if got != want {
        panic!(
            "{code}: findings differ from the fixture.\nexpected {want:?}\ngot {got:?}\nfound:\n{}",
            draw(&text, &found)
        );
    }
    found
}

/// The text with each finding drawn under its line, as a fixture would.
/// The first finding of rule `code`; panics with the findings when none.
pub fn flagged<'a>(found: &'a [Checked], code: &str) -> &'a Checked {
    found
        .iter()
        .find(|c| c.finding.code == code)
        .unwrap_or_else(|| panic!("no {code} finding among {found:#?}"))
}

pub fn draw(text: &str, found: &[Checked]) -> String {
    let mut out = String::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        out.push_str(line.trim_end_matches(['\n', '\r']));
        out.push('\n');
        for c in found {
            let r = &c.finding.range;
            if r.start >= line_start && r.start < line_end {
                let col = |o: usize| text.get(line_start..o).map_or(0, |s| s.chars().count());
                let end = r.end.min(line_end);
                out.push_str(&" ".repeat(col(r.start)));
                out.push_str(&"^".repeat(col(end).saturating_sub(col(r.start)).max(1)));
                out.push_str(&format!(" {}  // {}\n", c.finding.code, c.finding.message));
            }
        }
        line_start = line_end;
    }
    out
}

/// The draft after applying a quick fix's edits.
pub fn apply(text: &str, edits: &[(Range<usize>, String)]) -> String {
    let mut sorted: Vec<&(Range<usize>, String)> = edits.iter().collect();
    sorted.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (r, new) in sorted {
        out.replace_range(r.clone(), new);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_count_characters_not_bytes() {
        let (text, marks) = parse("\nZoë 👩‍🚀 met Łukasz.\n            ^^^^^^ unknown-actor\n");
        assert_eq!(text, "Zoë 👩‍🚀 met Łukasz.\n");
        // The emoji is a ZWJ sequence of three characters.
        assert_eq!(
            &text[marks[0].range.clone()],
            "Łukasz",
            "one caret per char"
        );
        assert_eq!(marks[0].label, "unknown-actor");
    }

    #[test]
    fn crlf_lines_keep_their_ends_and_marker_lines_vanish() {
        let (text, marks) = parse("A “quote” here.\r\n   ^^^^^\r\nNext.\r\n");
        assert_eq!(text, "A “quote” here.\r\nNext.\r\n");
        assert_eq!(&text[marks[0].range.clone()], "quote");
        assert_eq!(marks[0].label, "");
    }

    #[test]
    fn a_line_of_prose_with_carets_is_not_a_marker() {
        let (text, marks) = parse("x^2 grew.\n^ not a marker line\n");
        assert_eq!(text, "x^2 grew.\n^ not a marker line\n");
        assert!(marks.is_empty());
    }
}
