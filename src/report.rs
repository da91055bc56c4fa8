//! Output formats for `dossier check`: the human report (rustc-style header,
//! the source line with carets, the source passages), JSON Lines and SARIF
//! 2.1.0, plus the pieces they share — line/column positions counted in
//! characters, the writer's rule levels, and where related passages sit in
//! the source files.
//!
//! Positions are 1-based; a column counts Unicode scalar values (so a tab,
//! `é` or an emoji is one column), and an end column is the column just
//! after the last character, as SARIF defines it. Nothing here reads the
//! terminal or the environment: the caller says whether to colour.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{json, Value};

use crate::config::Settings;
use crate::corpus::{line_starts, Corpus};
use crate::server::{Finding, Severity};

/// The rules Dossier ships, with the one-line description SARIF viewers show.
/// Codes a check reports that are missing here still get a rule entry.
pub const RULES: &[(&str, &str)] = &[
    (
        "misquote",
        "A quotation differs from the wording in the sources.",
    ),
    (
        "misattributed-quote",
        "The sources attribute this quotation to someone else.",
    ),
    (
        "name-variant",
        "A name is spelled differently from the sources.",
    ),
    (
        "unattributed-quote",
        "A quotation has no speaker in the draft.",
    ),
    (
        "quote-not-found",
        "A quotation does not appear in any source.",
    ),
    (
        "unsourced-claim",
        "A claim carries no attribution or citation.",
    ),
    (
        "single-source",
        "Every claim of the draft rests on one source article or outlet.",
    ),
    (
        "vague-attribution",
        "An attribution does not name its source.",
    ),
    ("unknown-actor", "A name does not appear in the sources."),
];

/// How wide a tab is drawn in the human report.
const TAB_WIDTH: usize = 4;
/// Lines longer than this many characters are shown as a window around the
/// finding, so the carets still line up in an ordinary terminal.
const MAX_SHOWN_CHARS: usize = 200;
/// Characters kept before the finding when a long line is windowed.
const CONTEXT_BEFORE: usize = 40;

/// The severity a finding is reported at once the writer's `rules` settings
/// apply, or `None` when its rule is `off`. Uses the server's own mapping so
/// the command line and the editor always agree.
pub fn effective_severity(settings: &Settings, finding: &Finding) -> Option<Severity> {
    crate::config::RuleLevel::apply(settings.rule_level(&finding.code), finding.severity)
}

/// Higher is more serious; `--fail-on` compares with this.
pub fn rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 3,
        Severity::Warning => 2,
        Severity::Information => 1,
        Severity::Hint => 0,
    }
}

/// The severity's name in JSON and on the command line.
pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "information",
        Severity::Hint => "hint",
    }
}

/// The short label of the human report's header line.
fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "info",
        Severity::Hint => "hint",
    }
}

/// SARIF knows error, warning, note and none; information and hints are notes.
fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// Line starts of a text, to turn byte offsets into lines and columns.
#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        LineIndex {
            text,
            starts: line_starts(text),
        }
    }

    /// Rounds an offset into the text and down to a character boundary.
    fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// 1-based line and character column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1].min(offset);
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }

    /// Byte range of a 1-based line, without its line break.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return self.text.len()..self.text.len();
        };
        let next = self.starts.get(line).copied().unwrap_or(self.text.len());
        let body = &self.text[start..next];
        let body = body
            .strip_suffix('\n')
            .unwrap_or(body)
            .trim_end_matches('\r');
        start..start + body.len()
    }
}

/// A supporting place of a finding, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The path as shown to the writer.
    pub file: String,
    /// 1-based, when the file could be read.
    pub line: Option<usize>,
    pub message: String,
    /// True for a place in a source, false for one in the draft itself.
    pub in_source: bool,
    /// The source's own words at that place, on one line, shortened.
    pub passage: Option<String>,
}

/// A finding located in a draft file, at the severity it is reported at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The draft's path as the writer gave it.
    pub file: String,
    /// Bytes in the draft.
    pub range: Range<usize>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub related: Vec<Place>,
}

impl Entry {
    pub fn new(
        file: &str,
        index: &LineIndex<'_>,
        finding: &Finding,
        severity: Severity,
        related: Vec<Place>,
    ) -> Entry {
        let start = index.clamp(finding.range.start);
        let end = index.clamp(finding.range.end.max(start));
        let (line, column) = index.position(start);
        let (end_line, end_column) = index.position(end);
        Entry {
            file: file.to_string(),
            range: start..end,
            line,
            column,
            end_line,
            end_column,
            code: finding.code.clone(),
            severity,
            message: finding.message.clone(),
            related,
        }
    }
}

/// Finds the line of each related place: the draft's own lines for places
/// in the draft, the corpus document's line map for sources (so embedded
/// sources work without a file on disk), else the file read from disk.
/// Source paths are shown relative to `base` when they lie under it.
pub struct RelatedResolver<'c> {
    corpus: &'c Corpus,
    base: PathBuf,
    /// Files read from disk (sources outside the corpus, or HTML whose
    /// file bytes differ from the readable text): text and line starts.
    disk: HashMap<PathBuf, Option<(String, Vec<usize>)>>,
}

/// Passages longer than this many characters are cut with `…`.
const MAX_PASSAGE_CHARS: usize = 160;

impl<'c> RelatedResolver<'c> {
    pub fn new(corpus: &'c Corpus, base: &Path) -> RelatedResolver<'c> {
        RelatedResolver {
            corpus,
            base: base.to_path_buf(),
            disk: HashMap::new(),
        }
    }

    pub fn places(
        &mut self,
        finding: &Finding,
        draft_file: &str,
        index: &LineIndex<'_>,
    ) -> Vec<Place> {
        finding
            .related
            .iter()
            .map(|r| match &r.target.file {
                None => Place {
                    file: draft_file.to_string(),
                    line: Some(index.position(r.target.range.start).0),
                    message: r.message.clone(),
                    in_source: false,
                    passage: None,
                },
                Some(path) => {
                    let (line, passage) = self.source_place(path, &r.target.range);
                    Place {
                        file: self.show(path),
                        line,
                        message: r.message.clone(),
                        in_source: true,
                        passage,
                    }
                }
            })
            .collect()
    }

    /// Line and passage of a byte range of a source file.
    fn source_place(
        &mut self,
        path: &Path,
        file_range: &Range<usize>,
    ) -> (Option<usize>, Option<String>) {
        let line_of = |starts: &[usize]| starts.partition_point(|&s| s <= file_range.start).max(1);
        let doc = self.corpus.documents.iter().find(|d| d.path == path);
        if let Some(doc) = doc {
            // Plain text and Markdown sources are their own readable text,
            // so the passage needs no file (embedded seeds have none).
            if doc.line_map.is_identity() {
                return (
                    Some(doc.line_map.file_line(file_range.start)),
                    doc.text.get(file_range.clone()).and_then(one_line),
                );
            }
        }
        let read = self.disk.entry(path.to_path_buf()).or_insert_with(|| {
            let bytes = std::fs::read(path).ok()?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let starts = line_starts(&text);
            Some((text, starts))
        });
        match read {
            Some((text, starts)) => (
                Some(line_of(starts)),
                text.get(file_range.clone()).and_then(one_line),
            ),
            None => (doc.map(|d| d.line_map.file_line(file_range.start)), None),
        }
    }

    fn show(&self, path: &Path) -> String {
        let shown = path.strip_prefix(&self.base).unwrap_or(path);
        shown.display().to_string()
    }
}

/// A passage on one line, cut to [`MAX_PASSAGE_CHARS`]; `None` when empty.
fn one_line(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let line = words.join(" ");
    if line.is_empty() {
        return None;
    }
    match line.char_indices().nth(MAX_PASSAGE_CHARS) {
        Some((cut, _)) => Some(format!("{}…", line[..cut].trim_end())),
        None => Some(line),
    }
}

/// ANSI styling, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, codes: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{codes}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity, text: &str) -> String {
        let codes = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Information => "1;36",
            Severity::Hint => "1;32",
        };
        self.paint(codes, text)
    }

    fn gutter(&self, text: &str) -> String {
        self.paint("1;34", text)
    }
}

/// The human report of one finding: header, source line, carets, sources.
/// Ends with a blank line.
pub fn human(entry: &Entry, index: &LineIndex<'_>, style: Style) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}:{}:{}: {}: {}",
        entry.file,
        entry.line,
        entry.column,
        style.severity(
            entry.severity,
            &format!("{}[{}]", severity_label(entry.severity), entry.code)
        ),
        style.paint("1", &entry.message),
    );

    let number = entry.line.to_string();
    let pad = " ".repeat(number.len());
    let line = index.line_range(entry.line);
    let line_text = &index.text[line.clone()];
    // Carets run to the end of the range, or of the first line when the
    // range goes on past it.
    let from = entry.range.start.clamp(line.start, line.end) - line.start;
    let to = entry.range.end.clamp(line.start, line.end) - line.start;
    let (shown, caret_pad, carets) = snippet(line_text, from, to);
    let _ = writeln!(out, "{pad} {}", style.gutter("|"));
    let _ = writeln!(out, "{} {}", style.gutter(&format!("{number} |")), shown);
    let _ = writeln!(
        out,
        "{pad} {} {}{}",
        style.gutter("|"),
        " ".repeat(caret_pad),
        style.severity(entry.severity, &"^".repeat(carets))
    );
    for place in &entry.related {
        let location = match place.line {
            Some(line) => format!("{}:{line}", place.file),
            None => place.file.clone(),
        };
        // A source's own words say more than a label for them; the header
        // already says what differs.
        let (label, what) = match (&place.passage, place.in_source) {
            (Some(passage), true) => ("source", format!("\"{passage}\"")),
            (None, true) => ("source", place.message.clone()),
            (_, false) => ("note", place.message.clone()),
        };
        let _ = writeln!(
            out,
            "{pad} {} {}: {what} ({location})",
            style.gutter("="),
            style.paint("1", label),
        );
    }
    out.push('\n');
    out
}

/// How many terminal cells a character takes: 0 for combining marks and
/// zero-width characters, 2 for East Asian wide characters and emoji, 1
/// otherwise. Tabs are handled by the caller.
fn cell_width(c: char) -> usize {
    match c {
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05BD}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{FEFF}'
        | '\u{1F3FB}'..='\u{1F3FF}'
        | '\u{E0000}'..='\u{E0FFF}' => 0,
        '\u{1100}'..='\u{115F}'
        | '\u{231A}'..='\u{231B}'
        | '\u{23E9}'..='\u{23EC}'
        | '\u{2E80}'..='\u{303E}'
        | '\u{3041}'..='\u{33FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{A000}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{1F000}'..='\u{1F02F}'
        | '\u{1F300}'..='\u{1F64F}'
        | '\u{1F680}'..='\u{1F6FF}'
        | '\u{1F900}'..='\u{1F9FF}'
        | '\u{1FA70}'..='\u{1FAFF}'
        | '\u{20000}'..='\u{3FFFD}' => 2,
        _ => 1,
    }
}

/// The line as drawn (tabs expanded, control characters blanked, long lines
/// windowed around the range with `…`), the cells before the carets and
/// the number of carets. `from..to` are bytes into `line`.
fn snippet(line: &str, from: usize, to: usize) -> (String, usize, usize) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let first = chars.partition_point(|&(i, _)| i < from);
    let last = chars.partition_point(|&(i, _)| i < to).max(first);
    let (window_start, window_end) = if chars.len() <= MAX_SHOWN_CHARS {
        (0, chars.len())
    } else {
        let start = first.saturating_sub(CONTEXT_BEFORE);
        (start, (start + MAX_SHOWN_CHARS).min(chars.len()))
    };
    let mut shown = String::new();
    let mut cells = 0usize;
    let mut caret_pad = 0usize;
    let mut carets = 0usize;
    if window_start > 0 {
        shown.push('…');
        cells += 1;
    }
    for (n, &(_, c)) in chars.iter().enumerate().take(window_end).skip(window_start) {
        if n == first {
            caret_pad = cells;
        }
        let width = match c {
            '\t' => {
                shown.push_str(&" ".repeat(TAB_WIDTH));
                TAB_WIDTH
            }
            c if c.is_control() => {
                shown.push(' ');
                1
            }
            c => {
                shown.push(c);
                cell_width(c)
            }
        };
        if (first..last).contains(&n) {
            carets += width;
        }
        cells += width;
    }
    if first >= window_end {
        caret_pad = cells;
    }
    if window_end < chars.len() {
        shown.push('…');
    }
    (shown, caret_pad, carets.max(1))
}

/// One JSON Lines record, keys in a reader's order (file and place first).
#[derive(Serialize)]
struct JsonRecord<'e> {
    file: &'e str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    code: &'e str,
    severity: &'static str,
    message: &'e str,
    related: Vec<JsonRelated<'e>>,
}

#[derive(Serialize)]
struct JsonRelated<'e> {
    file: &'e str,
    line: Option<usize>,
    message: &'e str,
}

/// One JSON Lines record, without its line break.
pub fn json_line(entry: &Entry) -> String {
    let record = JsonRecord {
        file: &entry.file,
        line: entry.line,
        column: entry.column,
        end_line: entry.end_line,
        end_column: entry.end_column,
        code: &entry.code,
        severity: severity_name(entry.severity),
        message: &entry.message,
        related: entry
            .related
            .iter()
            .map(|p| JsonRelated {
                file: &p.file,
                line: p.line,
                message: &p.message,
            })
            .collect(),
    };
    // Plain strings and numbers: serialising cannot fail.
    serde_json::to_string(&record).unwrap_or_default()
}

/// A path as a SARIF artifact URI: relative paths stay relative (resolved
/// against the directory the check ran in), absolute ones become `file://`.
fn artifact_uri(path: &str) -> String {
    let forward = path.replace('\\', "/");
    let mut uri = String::new();
    if Path::new(path).is_absolute() {
        uri.push_str("file://");
        if !forward.starts_with('/') {
            uri.push('/');
        }
    }
    for b in forward.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                uri.push(b as char)
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri
}

/// One SARIF 2.1.0 log holding every entry.
pub fn sarif(entries: &[Entry]) -> Value {
    let mut rules: Vec<(String, String)> = RULES
        .iter()
        .map(|(id, text)| (id.to_string(), text.to_string()))
        .collect();
    for e in entries {
        if !rules.iter().any(|(id, _)| *id == e.code) {
            rules.push((e.code.clone(), format!("Dossier check `{}`.", e.code)));
        }
    }
    let results: Vec<Value> = entries
        .iter()
        .map(|e| {
            let rule_index = rules.iter().position(|(id, _)| *id == e.code);
            let related: Vec<Value> = e
                .related
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let mut physical = json!({
                        "artifactLocation": { "uri": artifact_uri(&p.file) },
                    });
                    if let Some(line) = p.line {
                        physical["region"] = json!({ "startLine": line });
                    }
                    json!({
                        "id": i,
                        "message": { "text": p.message },
                        "physicalLocation": physical,
                    })
                })
                .collect();
            json!({
                "ruleId": e.code,
                "ruleIndex": rule_index,
                "level": sarif_level(e.severity),
                "message": { "text": e.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": artifact_uri(&e.file) },
                        "region": {
                            "startLine": e.line,
                            "startColumn": e.column,
                            "endLine": e.end_line,
                            "endColumn": e.end_column,
                        }
                    }
                }],
                "relatedLocations": related,
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "dossier",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules.iter().map(|(id, text)| json!({
                        "id": id,
                        "shortDescription": { "text": text },
                    })).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// Counts for the closing line of the human report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub information: usize,
    pub hints: usize,
    pub files: usize,
}

impl Tally {
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Information => self.information += 1,
            Severity::Hint => self.hints += 1,
        }
    }
}

impl fmt::Display for Tally {
    /// "3 warnings, 1 information in 1 file" or "no findings in 2 files".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let parts: Vec<String> = [
            (self.errors, "error", "errors"),
            (self.warnings, "warning", "warnings"),
            (self.information, "information", "information"),
            (self.hints, "hint", "hints"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| plural(n, one, many))
        .collect();
        let files = plural(self.files, "file", "files");
        if parts.is_empty() {
            write!(f, "no findings in {files}")
        } else {
            write!(f, "{} in {files}", parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{RuleLevel, SettingsLayer};

    fn finding(text: &str, needle: &str, code: &str) -> Finding {
        let start = text.find(needle).expect("needle in text");
        Finding {
            range: start..start + needle.len(),
            code: code.to_string(),
            severity: Severity::Warning,
            message: format!("checked {code}"),
            related: Vec::new(),
        }
    }

    fn render(text: &str, f: &Finding) -> String {
        let index = LineIndex::new(text);
        let entry = Entry::new("desk/draft.md", &index, f, f.severity, Vec::new());
        human(&entry, &index, Style { color: false })
    }

    #[test]
    fn carets_sit_under_the_quote_after_accents_and_curly_quotes() {
        let text = "# Harbour\r\n\r\nZoë Nowak said “the nets were empty” on Tuesday.\r\n";
        let f = finding(text, "the nets were empty", "misquote");
        let out = render(text, &f);
        let expected = "desk/draft.md:3:17: warning[misquote]: checked misquote\n  \
                        |\n\
                        3 | Zoë Nowak said “the nets were empty” on Tuesday.\n  \
                        |                 ^^^^^^^^^^^^^^^^^^^\n\n";
        assert_eq!(out, expected);
    }

    #[test]
    fn tabs_and_wide_characters_keep_carets_aligned() {
        let text = "\tDirector 李明 met 👩‍💻 Anna Kowalczyk.\n";
        let f = finding(text, "Anna Kowalczyk", "unknown-actor");
        let out = render(text, &f);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "desk/draft.md:1:22: warning[unknown-actor]: checked unknown-actor"
        );
        // Tab: 4 cells; 李明: 4 cells; the emoji sequence: 2+0+2 cells.
        assert_eq!(lines[2], "1 |     Director 李明 met 👩‍💻 Anna Kowalczyk.");
        let caret_at = lines[3].find('^').expect("carets");
        let cells_before = "1 |     Director ".len() + 4 + " met ".len() + 4 + 1;
        assert_eq!(caret_at, cells_before, "{out}");
        assert_eq!(lines[3].matches('^').count(), "Anna Kowalczyk".len());
    }

    #[test]
    fn a_range_over_two_lines_carets_to_the_end_of_the_first() {
        let text = "The ministry said “quotas will\nfall next year” in a note.\n";
        let start = text.find("quotas").expect("start");
        let end = text.find(" in a note").expect("end");
        let f = Finding {
            range: start..end,
            ..finding(text, "quotas", "quote-not-found")
        };
        let index = LineIndex::new(text);
        let entry = Entry::new("d.txt", &index, &f, Severity::Information, Vec::new());
        assert_eq!((entry.line, entry.column), (1, 20));
        assert_eq!((entry.end_line, entry.end_column), (2, 16));
        let out = human(&entry, &index, Style { color: false });
        let caret_line = out.lines().nth(3).expect("caret line");
        assert_eq!(caret_line.trim_start_matches([' ', '|']), "^^^^^^^^^^^");
        assert!(
            out.starts_with("d.txt:1:20: info[quote-not-found]"),
            "{out}"
        );
    }

    #[test]
    fn an_empty_range_still_gets_one_caret_and_odd_offsets_do_not_panic() {
        let text = "Ana Ñúñez\n";
        let f = Finding {
            range: 2..2,
            ..finding(text, "Ana", "unsourced-claim")
        };
        assert!(render(text, &f).contains("  |   ^\n"));
        // Offsets inside a character or past the end are clamped.
        let odd = Finding {
            range: 5..400,
            ..f.clone()
        };
        let out = render(text, &odd);
        assert!(out.starts_with("desk/draft.md:1:5:"), "{out}");
        let empty = Finding { range: 0..0, ..f };
        assert!(render("", &empty).contains("1 | \n"));
    }

    #[test]
    fn long_lines_are_windowed_around_the_finding() {
        let text = format!(
            "{} Anna Kowalczyk said so. {}",
            "word ".repeat(100),
            "tail ".repeat(100)
        );
        let f = finding(&text, "Anna Kowalczyk", "unknown-actor");
        let out = render(&text, &f);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[2].starts_with("1 | …"), "{}", lines[2]);
        assert!(lines[2].ends_with('…'));
        let shown_at = lines[2].find("Anna").expect("name shown");
        let caret_at = lines[3].find('^').expect("carets");
        assert_eq!(
            lines[2][..shown_at].chars().count(),
            lines[3][..caret_at].chars().count()
        );
    }

    #[test]
    fn related_places_and_colour() {
        let text = "Anna Kowalczyk said “the nets were empty”.\n";
        let f = finding(text, "the nets were empty", "misquote");
        let index = LineIndex::new(text);
        let related = vec![Place {
            file: "sources/fisheries.txt".into(),
            line: Some(12),
            message: "The source's wording".into(),
            in_source: true,
            passage: Some("the nets were nearly empty".into()),
        }];
        let entry = Entry::new("d.md", &index, &f, Severity::Error, related);
        let plain = human(&entry, &index, Style { color: false });
        assert!(plain
            .contains("  = source: \"the nets were nearly empty\" (sources/fisheries.txt:12)\n"));
        assert!(!plain.contains('\x1b'));
        let coloured = human(&entry, &index, Style { color: true });
        assert!(
            coloured.contains("\x1b[1;31merror[misquote]\x1b[0m"),
            "{coloured}"
        );
        let line = json_line(&entry);
        assert!(
            line.starts_with("{\"file\":\"d.md\",\"line\":1,\"column\":22,"),
            "{line}"
        );
        let json: Value = serde_json::from_str(&line).expect("json");
        assert_eq!(json["related"][0]["line"], 12);
        assert_eq!(json["column"], 22);
        assert_eq!(json["end_column"], 41);
        assert_eq!(json["severity"], "error");
    }

    #[test]
    fn related_sources_get_their_line_and_words_from_the_corpus_or_disk() {
        use crate::corpus::source::{self, LoadOptions};
        use crate::server::{Related, Target};
        let dir = tempfile::tempdir().expect("tempdir");
        let wire = "Harbour news\r\n\r\nDirector Anna Kowalczyk said “the nets\r\nwere nearly empty” on Friday.\r\n";
        let wire_path = dir.path().join("wire.txt");
        std::fs::write(&wire_path, wire).expect("write");
        let corpus = Corpus::build(source::load(
            &[dir.path().to_path_buf()],
            false,
            &LoadOptions::default(),
        ));
        // A file the corpus does not hold is read from disk.
        let notes_path = dir.path().join("notes.md");
        std::fs::write(&notes_path, "one\ntwo\nZoë’s note\n").expect("write");

        let start = wire.find("the nets").expect("passage");
        let end = wire.find(" on Friday").expect("end") - "”".len();
        let notes_start = "one\ntwo\n".len();
        let draft = "Anna Kowalczyk said “the nets were empty”.\n";
        let finding = Finding {
            related: vec![
                Related {
                    target: Target::in_file(&wire_path, start..end),
                    message: "The source's wording".into(),
                },
                Related {
                    target: Target::in_file(
                        &notes_path,
                        notes_start..notes_start + "Zoë’s note".len(),
                    ),
                    message: "A note".into(),
                },
                Related {
                    target: Target::here(0..4),
                    message: "First named here".into(),
                },
            ],
            ..finding(draft, "the nets were empty", "misquote")
        };
        let index = LineIndex::new(draft);
        let mut resolver = RelatedResolver::new(&corpus, dir.path());
        let places = resolver.places(&finding, "d.md", &index);
        assert_eq!(places[0].file, "wire.txt");
        assert_eq!(places[0].line, Some(3));
        assert_eq!(
            places[0].passage.as_deref(),
            Some("the nets were nearly empty")
        );
        assert_eq!(places[1].line, Some(3));
        assert_eq!(places[1].passage.as_deref(), Some("Zoë’s note"));
        assert_eq!(places[2].file, "d.md");
        assert!(!places[2].in_source);
        let entry = Entry::new("d.md", &index, &finding, Severity::Warning, places);
        let out = human(&entry, &index, Style { color: false });
        assert!(
            out.contains("  = source: \"the nets were nearly empty\" (wire.txt:3)\n"),
            "{out}"
        );
        assert!(
            out.contains("  = note: First named here (d.md:1)\n"),
            "{out}"
        );
        // Long passages are cut.
        let long = one_line(&"word ".repeat(100)).expect("passage");
        assert!(long.chars().count() <= MAX_PASSAGE_CHARS + 1);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn rule_levels_from_the_project_file_apply_like_the_editor() {
        let layer =
            SettingsLayer::from_toml("[rules]\nmisquote = \"error\"\nunknown-actor = \"off\"\n")
                .expect("toml");
        let settings = Settings::layered(None, &[&layer]);
        assert_eq!(settings.rule_level("misquote"), Some(RuleLevel::Error));
        let text = "Anna Kowalczyk said “x y z w”.";
        let quote = finding(text, "x y z w", "misquote");
        let actor = finding(text, "Anna Kowalczyk", "unknown-actor");
        let other = finding(text, "said", "vague-attribution");
        assert_eq!(effective_severity(&settings, &quote), Some(Severity::Error));
        assert_eq!(effective_severity(&settings, &actor), None);
        assert_eq!(
            effective_severity(&settings, &other),
            Some(Severity::Warning)
        );
    }

    #[test]
    fn sarif_has_the_required_structure() {
        let text = "Anna Kowalczyk said “x y z w”.\n";
        let index = LineIndex::new(text);
        let f = finding(text, "x y z w", "misquote");
        let odd = finding(text, "said", "house-style");
        let entries = vec![
            Entry::new("my drafts/d.md", &index, &f, Severity::Hint, Vec::new()),
            Entry::new("/tmp/d.md", &index, &odd, Severity::Warning, Vec::new()),
        ];
        let log = sarif(&entries);
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        assert!(rules.iter().any(|r| r["id"] == "house-style"));
        assert_eq!(rules.len(), RULES.len() + 1);
        let first = &run["results"][0];
        assert_eq!(first["level"], "note");
        assert_eq!(
            first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "my%20drafts/d.md"
        );
        assert_eq!(
            run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///tmp/d.md"
        );
        let index_of = first["ruleIndex"].as_u64().expect("index") as usize;
        assert_eq!(rules[index_of]["id"], "misquote");
    }

    #[test]
    fn tally_reads_like_a_sentence() {
        let mut t = Tally {
            files: 1,
            ..Tally::default()
        };
        assert_eq!(t.to_string(), "no findings in 1 file");
        for s in [
            Severity::Warning,
            Severity::Warning,
            Severity::Warning,
            Severity::Information,
        ] {
            t.add(s);
        }
        assert_eq!(t.to_string(), "3 warnings, 1 information in 1 file");
        t.add(Severity::Error);
        t.files = 2;
        assert_eq!(
            t.to_string(),
            "1 error, 3 warnings, 1 information in 2 files"
        );
    }
}
