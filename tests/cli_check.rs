//! `dossier check` end to end: the real binary on drafts written to a
//! temporary folder (so no `dossier.toml` of the checkout leaks in), its
//! three output formats, exit codes and the project file's rule levels.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_dossier");

/// A draft misquoting a seed (line 3), with CRLF line ends, curly quotes
/// and an accented name the sources do not know (line 5).
const MISQUOTE_DRAFT: &str = "# Leaks\r\n\r\nIsraeli Defense Minister Avigdor Lieberman told army radio that “everything that had to be clarified with our friends in the U.S. was done.”\r\n\r\nZoë Abernathy-Kowalczyk, a fisheries consultant in Gdańsk, said the story was “much bigger than anyone thought” 🐟.\r\n";

const QUOTE_START: &str = "everything that had to be";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run dossier")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn desk(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write draft");
    }
    dir
}

fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

fn codes(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .filter_map(|r| r["code"].as_str().map(String::from))
        .collect()
}

/// 1-based character column of a byte offset within its line.
fn char_column(line: &str, byte: usize) -> usize {
    line[..byte].chars().count() + 1
}

#[test]
fn human_report_names_the_place_code_and_carets_the_quote() {
    let dir = desk(&[("draft.md", MISQUOTE_DRAFT)]);
    let out = run(dir.path(), &["check", "draft.md"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}\n{}", stderr(&out));
    assert!(!text.contains('\x1b'), "no colour into a pipe: {text:?}");

    let lines: Vec<&str> = text.lines().collect();
    let header_at = lines
        .iter()
        .position(|l| l.starts_with("draft.md:3:") && l.contains(": warning[misquote]: "))
        .unwrap_or_else(|| panic!("no misquote header on line 3:\n{text}"));
    // draft.md:3:COL: …
    let col: usize = lines[header_at]
        .split(':')
        .nth(2)
        .and_then(|c| c.parse().ok())
        .expect("column");
    let source_line = MISQUOTE_DRAFT.split("\r\n").nth(2).expect("line 3");
    let quote_byte = source_line.find(QUOTE_START).expect("quote");
    // The finding starts at the opening mark or the first quoted word.
    let first_word = char_column(source_line, quote_byte);
    assert!(
        col == first_word || col + 1 == first_word,
        "column {col}, quote at {first_word}:\n{text}"
    );

    assert_eq!(lines[header_at + 1], "  |");
    assert_eq!(lines[header_at + 2], format!("3 | {source_line}"));
    let carets = lines[header_at + 3];
    assert!(carets.starts_with("  | "), "{carets}");
    // The line is ASCII up to the quote, so cells are characters.
    assert_eq!(carets.find('^'), Some("  | ".len() + col - 1), "{text}");
    assert!(carets.trim_end().ends_with('^'));
    let count = carets.matches('^').count();
    assert!(
        count >= QUOTE_START.len(),
        "carets cover the quote: {carets}"
    );
    // The source wording, with its file and line.
    let source = lines[header_at + 4];
    assert!(source.starts_with("  = source: "), "{text}");
    assert!(
        source.contains("seeds/002_35bd95cedf487386.txt:23"),
        "{source}"
    );
    assert!(
        text.trim_end()
            .lines()
            .last()
            .unwrap_or("")
            .ends_with("in 1 file"),
        "summary line last: {text}"
    );
}

#[test]
fn json_lines_carry_every_field_one_based_in_characters() {
    let dir = desk(&[("draft.md", MISQUOTE_DRAFT)]);
    let out = run(dir.path(), &["check", "--format", "json", "draft.md"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let records = json_lines(&out);
    assert!(!records.is_empty());
    for r in &records {
        assert_eq!(r["file"], "draft.md");
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(r[key].as_u64().is_some_and(|n| n >= 1), "{key} in {r}");
        }
        for key in ["code", "severity", "message"] {
            assert!(
                r[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} in {r}"
            );
        }
        assert!(
            ["error", "warning", "information", "hint"]
                .contains(&r["severity"].as_str().unwrap_or("")),
            "{r}"
        );
        assert!(r["related"].is_array(), "{r}");
    }
    let misquote = records
        .iter()
        .find(|r| r["code"] == "misquote")
        .unwrap_or_else(|| panic!("no misquote in {records:?}"));
    assert_eq!(misquote["line"], 3);
    assert_eq!(misquote["severity"], "warning");
    let related = &misquote["related"][0];
    assert_eq!(related["file"], "seeds/002_35bd95cedf487386.txt");
    assert_eq!(related["line"], 23);
    assert!(related["message"].is_string());

    // Columns count characters: on lines with “ ”, ë, ń and emoji, every
    // finding on one line starts and ends on a word or quote-mark boundary.
    let lines: Vec<&str> = MISQUOTE_DRAFT.split("\r\n").collect();
    for r in &records {
        let (line, end_line) = (
            r["line"].as_u64().unwrap_or(0),
            r["end_line"].as_u64().unwrap_or(0),
        );
        if line != end_line || line < 3 {
            continue;
        }
        let chars: Vec<char> = lines[line as usize - 1].chars().collect();
        let from = r["column"].as_u64().expect("column") as usize - 1;
        let to = r["end_column"].as_u64().expect("end") as usize - 1;
        assert!(from < to && to <= chars.len(), "{r}");
        let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
        assert!(
            !(word(chars.get(from)) && from > 0 && word(chars.get(from - 1))),
            "starts mid-word: {r}"
        );
        assert!(
            !(word(chars.get(to - 1)) && word(chars.get(to))),
            "ends mid-word: {r}"
        );
    }
}

#[test]
fn sarif_log_has_the_required_structure() {
    let dir = desk(&[("draft.md", MISQUOTE_DRAFT)]);
    let out = run(dir.path(), &["check", "--format", "sarif", "draft.md"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let log: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert!(log["$schema"].as_str().is_some_and(|s| s.contains("sarif")));
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "dossier");
    assert!(driver["version"].is_string());
    let rules = driver["rules"].as_array().expect("rules");
    let rule_ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    for code in [
        "misquote",
        "misattributed-quote",
        "name-variant",
        "unattributed-quote",
        "quote-not-found",
        "unsourced-claim",
        "vague-attribution",
        "unknown-actor",
    ] {
        assert!(rule_ids.contains(&code), "rule {code} in {rule_ids:?}");
    }
    for r in rules {
        assert!(r["shortDescription"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
    }
    let results = runs[0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for res in results {
        let id = res["ruleId"].as_str().expect("ruleId");
        assert!(rule_ids.contains(&id), "{id} listed as a rule");
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap_or("")));
        assert!(res["message"]["text"].is_string());
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "draft.md");
        let region = &loc["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().is_some_and(|n| n >= 1), "{key}: {res}");
        }
        assert!(res["relatedLocations"].is_array());
    }
    let misquote = results
        .iter()
        .find(|r| r["ruleId"] == "misquote")
        .expect("misquote result");
    assert_eq!(misquote["level"], "warning");
    let related = &misquote["relatedLocations"][0]["physicalLocation"];
    assert_eq!(
        related["artifactLocation"]["uri"],
        "seeds/002_35bd95cedf487386.txt"
    );
    assert_eq!(related["region"]["startLine"], 23);
}

#[test]
fn exit_status_follows_fail_on() {
    let dir = desk(&[
        ("draft.md", MISQUOTE_DRAFT),
        ("clean.md", "# Notes\n\nNothing to report yet.\n"),
    ]);
    let clean = run(dir.path(), &["check", "clean.md"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert_eq!(stdout(&clean).trim(), "no findings in 1 file");

    assert_eq!(
        run(dir.path(), &["check", "draft.md"]).status.code(),
        Some(1)
    );
    let warn = run(dir.path(), &["check", "draft.md", "--fail-on", "warning"]);
    assert_eq!(warn.status.code(), Some(1));
    // Nothing in this draft is an error by default.
    let errors_only = run(dir.path(), &["check", "draft.md", "--fail-on", "error"]);
    assert_eq!(
        errors_only.status.code(),
        Some(0),
        "{}",
        stdout(&errors_only)
    );
    assert!(stdout(&errors_only).contains("warning[misquote]"));

    let usage = run(dir.path(), &["check", "draft.md", "--format", "xml"]);
    assert_eq!(usage.status.code(), Some(2));
    let usage = run(dir.path(), &["check"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn project_file_rule_levels_silence_and_raise_codes() {
    let dir = desk(&[("draft.md", MISQUOTE_DRAFT)]);
    let before = codes(&json_lines(&run(
        dir.path(),
        &["check", "--format", "json", "draft.md"],
    )));
    assert!(before.iter().any(|c| c == "misquote"), "{before:?}");
    assert!(
        before.iter().any(|c| c != "misquote"),
        "another code to keep: {before:?}"
    );

    // Found from a sub-folder too: the nearest parent with dossier.toml.
    std::fs::write(
        dir.path().join("dossier.toml"),
        "[rules]\nmisquote = \"off\"\n",
    )
    .expect("toml");
    std::fs::create_dir(dir.path().join("sub")).expect("sub");
    let off = run(
        &dir.path().join("sub"),
        &["check", "--format", "json", "../draft.md"],
    );
    let after = codes(&json_lines(&off));
    assert!(!after.iter().any(|c| c == "misquote"), "{after:?}");
    let others: Vec<&String> = before.iter().filter(|c| *c != "misquote").collect();
    assert_eq!(after.iter().collect::<Vec<_>>(), others);

    std::fs::write(
        dir.path().join("dossier.toml"),
        "[rules]\nmisquote = \"error\"\n",
    )
    .expect("toml");
    let raised = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "error",
            "draft.md",
        ],
    );
    assert_eq!(raised.status.code(), Some(1));
    let records = json_lines(&raised);
    let misquote = records
        .iter()
        .find(|r| r["code"] == "misquote")
        .expect("misquote");
    assert_eq!(misquote["severity"], "error");

    std::fs::write(
        dir.path().join("dossier.toml"),
        "[rules]\nmisquote = \"loud\"\n",
    )
    .expect("toml");
    let broken = run(dir.path(), &["check", "draft.md"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        stderr(&broken).contains("dossier.toml"),
        "{}",
        stderr(&broken)
    );
}

#[test]
fn project_file_can_leave_out_the_default_corpus() {
    let dir = desk(&[
        ("draft.md", MISQUOTE_DRAFT),
        ("dossier.toml", "include_default_corpus = false\ncorpus = [\"sources\"]\n"),
        (
            "sources/harbour.txt",
            "Harbour news\n\nDirector Anna Kowalczyk of the Ministry of Fisheries said the quotas would fall.\n",
        ),
    ]);
    let out = run(dir.path(), &["check", "--format", "json", "draft.md"]);
    let records = json_lines(&out);
    // Without the seeds there is nothing to misquote.
    assert!(
        !codes(&records).iter().any(|c| c == "misquote"),
        "{records:?}"
    );
}

#[test]
fn missing_file_is_a_clear_error_with_status_2() {
    let dir = desk(&[("draft.md", MISQUOTE_DRAFT)]);
    let out = run(dir.path(), &["check", "no-such-draft.md"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no-such-draft.md"), "{err}");
    assert!(err.contains("no such file"), "{err}");
    // Other files are still checked and reported.
    let out = run(
        dir.path(),
        &["check", "--format", "json", "draft.md", "no-such-draft.md"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(codes(&json_lines(&out)).iter().any(|c| c == "misquote"));
}

#[test]
fn a_folder_checks_the_drafts_under_it_and_not_the_sources() {
    let dir = desk(&[
        ("drafts/a.md", MISQUOTE_DRAFT),
        ("drafts/notes/b.txt", "Nothing to see.\n"),
        ("drafts/picture.png", "not a draft"),
        ("dossier.toml", "corpus = [\"drafts/sources\"]\n"),
        (
            "drafts/sources/wire.txt",
            "Wire copy\n\nThe minister said “nets are empty”.\n",
        ),
    ]);
    let out = run(dir.path(), &["check", "--format", "json", "drafts"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let files: std::collections::BTreeSet<String> = json_lines(&out)
        .iter()
        .filter_map(|r| r["file"].as_str().map(String::from))
        .collect();
    assert!(
        files.contains(&PathBuf::from("drafts").join("a.md").display().to_string()),
        "{files:?}"
    );
    assert!(!files.iter().any(|f| f.contains("wire")), "{files:?}");
    let human = run(dir.path(), &["check", "drafts"]);
    assert!(
        stdout(&human).trim_end().ends_with("in 2 files"),
        "{}",
        stdout(&human)
    );
}

#[test]
fn non_utf8_draft_is_read_lossily_with_a_warning() {
    let dir = desk(&[]);
    let mut bytes = MISQUOTE_DRAFT.as_bytes().to_vec();
    bytes.extend_from_slice(b"\r\nCaf\xe9 owners were not asked.\r\n");
    std::fs::write(dir.path().join("latin1.md"), bytes).expect("write");
    let out = run(dir.path(), &["check", "--format", "json", "latin1.md"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("latin1.md"), "{}", stderr(&out));
    assert!(stderr(&out).contains("UTF-8"), "{}", stderr(&out));
    assert!(codes(&json_lines(&out)).iter().any(|c| c == "misquote"));
}

#[test]
fn plain_text_drafts_keep_markdown_marks_as_text() {
    // In a .txt file a backticked span is prose, in .md it is code.
    let text = "Notes\n\n`Avigdor Lieberman told army radio that “everything that had to be clarified with our friends in the U.S. was done.”`\n";
    let dir = desk(&[("a.md", text), ("a.txt", text)]);
    let md = codes(&json_lines(&run(
        dir.path(),
        &["check", "--format", "json", "a.md"],
    )));
    let txt = codes(&json_lines(&run(
        dir.path(),
        &["check", "--format", "json", "a.txt"],
    )));
    assert!(!md.iter().any(|c| c == "misquote"), "{md:?}");
    assert!(txt.iter().any(|c| c == "misquote"), "{txt:?}");
}

/// The acceptance test: the sample draft shows every finding Dossier has.
#[test]
fn sample_draft_produces_every_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(root, &["check", "--format", "json", "examples/draft.md"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = codes(&json_lines(&out));
    let missing: Vec<&str> = [
        "misquote",
        "misattributed-quote",
        "name-variant",
        "unattributed-quote",
        "quote-not-found",
        "unsourced-claim",
        "vague-attribution",
        "unknown-actor",
    ]
    .into_iter()
    .filter(|code| !found.iter().any(|c| c == code))
    .collect();
    assert!(missing.is_empty(), "missing {missing:?}; found {found:?}");
}
