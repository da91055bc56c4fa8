//! What the writer told Dossier to leave alone: the `[ignore]` table of the
//! project's `dossier.toml`, the actions that add to it, and the filter that
//! drops ignored findings.
//!
//! ```toml
//! [ignore]
//! names = ["Jane Whitfield"]                              # the project's own names
//! files = [{ file = "draft.md", code = "misquote" }]      # a rule, in one file
//! here = [{ file = "draft.md", code = "unknown-actor", text = "Jane Whitfield" }]
//! ```
//!
//! Files are relative to the workspace root, with `/` between folders.
//! Ignoring is data, not a text edit, so the actions are carried to the
//! server as a command with an [`IgnoreAction`] (JSON) as its argument; the
//! server calls [`add`] and re-checks. Reading never fails: a missing or
//! broken file means nothing is ignored. Writing keeps every comment and
//! setting already in the file and replaces it atomically.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use crate::analysis::checks::Checked;
use crate::config::PROJECT_FILE;
use crate::corpus::fold;
use crate::server::{Finding, FixCommand, QuickFix};

/// The command an editor runs to ignore a finding; its one argument is an
/// [`IgnoreAction`] as JSON.
pub const COMMAND: &str = "dossier.ignore";

/// One way of silencing a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum IgnoreAction {
    /// This finding: same file, same rule, same flagged words.
    Here { code: String, text: String },
    /// The rule, everywhere in this file.
    InFile { code: String },
    /// A name the project uses that the sources do not know.
    Name { name: String },
}

impl IgnoreAction {
    /// The action's title in the editor's quick-fix menu.
    pub fn title(&self) -> String {
        match self {
            IgnoreAction::Here { .. } => "Ignore here".to_string(),
            IgnoreAction::InFile { code } => format!("Ignore {code} in this file"),
            IgnoreAction::Name { name } => format!("Add '{name}' to the project's names"),
        }
    }

    /// The action as a code action: no edits, the [`COMMAND`] with the
    /// action as its argument (the server adds the draft's `"file"`).
    pub fn quick_fix(&self, code: &str) -> QuickFix {
        QuickFix {
            title: self.title(),
            edits: Vec::new(),
            fixes: Some(code.to_string()),
            preferred: false,
            command: Some(FixCommand {
                name: COMMAND.to_string(),
                arguments: serde_json::to_value(self).unwrap_or_default(),
            }),
        }
    }
}

/// Run an ignore command: `arguments` is an [`IgnoreAction`] as JSON, with
/// the draft's path under `"file"` when it has one (absolute, or relative to
/// the workspace root). The error is a sentence for the writer.
pub fn execute(workspace_root: Option<&Path>, arguments: &serde_json::Value) -> Result<(), String> {
    // Clients may wrap the single argument in an array.
    let value = match arguments {
        serde_json::Value::Array(items) if items.len() == 1 => &items[0],
        v => v,
    };
    let action: IgnoreAction =
        serde_json::from_value(value.clone()).map_err(|e| format!("Not an ignore action: {e}"))?;
    let root = workspace_root.ok_or("Open a folder to keep ignores in its dossier.toml")?;
    let file = value.get("file").and_then(|f| f.as_str()).map(|f| {
        let f = Path::new(f);
        if f.is_relative() {
            root.join(f)
        } else {
            f.to_path_buf()
        }
    });
    add(root, file.as_deref(), &action).map_err(|e| format!("Could not update {PROJECT_FILE}: {e}"))
}

/// The ignore actions offered for a finding; `flagged_text` is the draft's
/// text under the finding's range.
pub fn actions_for(finding: &Finding, flagged_text: &str) -> Vec<IgnoreAction> {
    let text = one_line(flagged_text);
    let mut out = vec![
        IgnoreAction::Here {
            code: finding.code.clone(),
            text: text.clone(),
        },
        IgnoreAction::InFile {
            code: finding.code.clone(),
        },
    ];
    if matches!(finding.code.as_str(), "unknown-actor" | "name-variant") && !text.is_empty() {
        out.push(IgnoreAction::Name { name: text });
    }
    out
}

/// A rule ignored in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileIgnore {
    /// Relative to the workspace root, `/`-separated.
    pub file: String,
    pub code: String,
}

/// One finding ignored where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HereIgnore {
    pub file: String,
    pub code: String,
    /// The flagged words, white space made single spaces.
    pub text: String,
}

/// The `[ignore]` data of a project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ignores {
    /// The workspace root the file paths are relative to.
    pub root: Option<PathBuf>,
    pub names: Vec<String>,
    pub files: Vec<FileIgnore>,
    pub here: Vec<HereIgnore>,
}

impl Ignores {
    /// Read `dossier.toml` under `workspace_root`; missing or malformed
    /// parts are left out.
    pub fn load(workspace_root: &Path) -> Ignores {
        let text = fs::read_to_string(workspace_root.join(PROJECT_FILE)).unwrap_or_default();
        let mut ignores = Ignores::parse(&text);
        ignores.root = Some(workspace_root.to_path_buf());
        ignores
    }

    /// Read the `[ignore]` table from a project file's text.
    pub fn parse(text: &str) -> Ignores {
        let mut out = Ignores::default();
        let Ok(doc) = text.parse::<DocumentMut>() else {
            return out;
        };
        let Some(table) = doc.get("ignore").and_then(Item::as_table_like) else {
            return out;
        };
        let entries = |key: &str| -> Vec<Vec<(String, String)>> {
            let Some(array) = table.get(key).and_then(Item::as_array) else {
                return Vec::new();
            };
            array
                .iter()
                .filter_map(Value::as_inline_table)
                .map(|t| {
                    t.iter()
                        .filter_map(|(k, v)| Some((k.to_string(), v.as_str()?.to_string())))
                        .collect()
                })
                .collect()
        };
        let field = |e: &[(String, String)], k: &str| {
            e.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone())
        };
        if let Some(names) = table.get("names").and_then(Item::as_array) {
            out.names = names
                .iter()
                .filter_map(Value::as_str)
                .map(one_line)
                .filter(|n| !n.is_empty())
                .collect();
        }
        for e in entries("files") {
            if let (Some(file), Some(code)) = (field(&e, "file"), field(&e, "code")) {
                out.files.push(FileIgnore {
                    file: normal_file(&file),
                    code,
                });
            }
        }
        for e in entries("here") {
            if let (Some(file), Some(code), Some(text)) =
                (field(&e, "file"), field(&e, "code"), field(&e, "text"))
            {
                out.here.push(HereIgnore {
                    file: normal_file(&file),
                    code,
                    text: one_line(&text),
                });
            }
        }
        out
    }

    /// True when nothing is ignored.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.files.is_empty() && self.here.is_empty()
    }

    /// Whether `name` is one of the project's names.
    pub fn is_project_name(&self, name: &str) -> bool {
        let key = name_key(name);
        self.names.iter().any(|n| name_key(n) == key)
    }

    /// Drop the findings this project ignores from a check of `text` (the
    /// draft at `file`, when it has a path).
    pub fn apply(&self, file: Option<&Path>, text: &str, findings: &mut Vec<Checked>) {
        if self.is_empty() {
            return;
        }
        let file = file.map(|f| self.relative(f));
        findings.retain(|c| {
            let flagged = one_line(text.get(c.finding.range.clone()).unwrap_or(""));
            let code = &c.finding.code;
            if !flagged.is_empty() && self.is_project_name(&flagged) {
                return false;
            }
            let Some(file) = &file else { return true };
            let in_file = self
                .files
                .iter()
                .any(|f| &f.file == file && &f.code == code);
            let here = self
                .here
                .iter()
                .any(|h| &h.file == file && &h.code == code && h.text == flagged);
            !(in_file || here)
        });
    }

    /// A draft's path as the project file writes it.
    fn relative(&self, file: &Path) -> String {
        relative_to(self.root.as_deref(), file)
    }
}

/// Add an ignore to `dossier.toml` under `workspace_root`, creating the file
/// if needed and keeping everything else in it. `file` is the draft the
/// action came from (needed for [`IgnoreAction::Here`] and
/// [`IgnoreAction::InFile`]). Adding what is already there changes nothing.
/// A project file that is not valid TOML is left alone and reported as an
/// error rather than overwritten.
pub fn add(workspace_root: &Path, file: Option<&Path>, action: &IgnoreAction) -> io::Result<()> {
    let path = workspace_root.join(PROJECT_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{PROJECT_FILE}: {e}")))?;
    let needs_file = || {
        file.map(|f| relative_to(Some(workspace_root), f))
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "this ignore needs a file"))
    };
    let ignore = doc
        .entry("ignore")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_like_mut()
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{PROJECT_FILE}: `ignore` is not a table"),
            )
        })?;
    let (key, value): (&str, Value) = match action {
        IgnoreAction::Name { name } => ("names", Value::from(one_line(name))),
        IgnoreAction::InFile { code } => {
            let mut t = InlineTable::new();
            t.insert("file", Value::from(needs_file()?));
            t.insert("code", Value::from(code.as_str()));
            ("files", Value::InlineTable(t))
        }
        IgnoreAction::Here { code, text } => {
            let mut t = InlineTable::new();
            t.insert("file", Value::from(needs_file()?));
            t.insert("code", Value::from(code.as_str()));
            t.insert("text", Value::from(one_line(text)));
            ("here", Value::InlineTable(t))
        }
    };
    if ignore.get(key).is_none() {
        ignore.insert(key, Item::Value(Value::Array(Array::new())));
    }
    let array = ignore
        .get_mut(key)
        .and_then(Item::as_array_mut)
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{PROJECT_FILE}: `ignore.{key}` is not an array"),
            )
        })?;
    let same = |v: &Value| match (v, &value) {
        (Value::String(a), Value::String(b)) => a.value() == b.value(),
        (Value::InlineTable(a), Value::InlineTable(b)) => {
            let pairs = |t: &InlineTable| {
                let mut p: Vec<(String, String)> = t
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.as_str().unwrap_or("").to_string()))
                    .collect();
                p.sort();
                p
            };
            pairs(a) == pairs(b)
        }
        _ => false,
    };
    if array.iter().any(same) {
        return Ok(());
    }
    array.push(value);
    write_atomically(&path, doc.to_string().as_bytes())
}

/// Write through a temporary file in the same folder and rename it over the
/// target, so an editor or a crash never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| PROJECT_FILE.to_string());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        io::Write::write_all(&mut f, bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// `file` relative to `root` when it lies under it, `/`-separated.
fn relative_to(root: Option<&Path>, file: &Path) -> String {
    let rel = root.and_then(|r| file.strip_prefix(r).ok()).unwrap_or(file);
    let joined: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    normal_file(&joined.join("/"))
}

/// A project-file path in one spelling: `/` separators, no leading `./`.
fn normal_file(file: &str) -> String {
    let f = file.replace('\\', "/");
    let mut f = f.as_str();
    while let Some(rest) = f.strip_prefix("./") {
        f = rest;
    }
    f.to_string()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn name_key(name: &str) -> String {
    fold::name_key(name).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::Severity;

    fn checked(code: &str, range: std::ops::Range<usize>) -> Checked {
        Checked {
            finding: Finding {
                range,
                code: code.to_string(),
                severity: Severity::Warning,
                message: String::new(),
                related: Vec::new(),
            },
            fixes: Vec::new(),
        }
    }

    #[test]
    fn titles_read_as_menu_entries() {
        let f = checked("unknown-actor", 0..14).finding;
        let titles: Vec<String> = actions_for(&f, "Jane\r\nWhitfield")
            .iter()
            .map(IgnoreAction::title)
            .collect();
        assert_eq!(
            titles,
            [
                "Ignore here",
                "Ignore unknown-actor in this file",
                "Add 'Jane Whitfield' to the project's names"
            ]
        );
        let f = checked("misquote", 0..3).finding;
        assert_eq!(actions_for(&f, "abc").len(), 2, "no name action for quotes");
    }

    #[test]
    fn actions_travel_as_json() {
        let a = IgnoreAction::Here {
            code: "misquote".into(),
            text: "“déjà vu” 🚢".into(),
        };
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["kind"], "here");
        assert_eq!(serde_json::from_value::<IgnoreAction>(json).unwrap(), a);
    }

    #[test]
    fn the_command_round_trip_writes_the_project_file() {
        let dir = tempfile::tempdir().unwrap();
        let action = IgnoreAction::InFile {
            code: "misquote".into(),
        };
        let fix = action.quick_fix("misquote");
        assert!(fix.edits.is_empty());
        let command = fix.command.expect("a command");
        assert_eq!(command.name, COMMAND);
        let mut args = command.arguments.clone();
        args["file"] = serde_json::json!(dir.path().join("dräft 📝.md").to_string_lossy());
        execute(Some(dir.path()), &serde_json::json!([args])).unwrap();
        let ignores = Ignores::load(dir.path());
        assert_eq!(
            ignores.files,
            [FileIgnore {
                file: "dräft 📝.md".into(),
                code: "misquote".into()
            }]
        );
        assert!(execute(None, &command.arguments).is_err());
        assert!(execute(Some(dir.path()), &serde_json::json!({"kind": "nope"})).is_err());
    }

    #[test]
    fn missing_or_broken_project_file_ignores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Ignores::load(dir.path()).is_empty());
        fs::write(dir.path().join(PROJECT_FILE), "[ignore\nnames = 3").unwrap();
        assert!(Ignores::load(dir.path()).is_empty());
        fs::write(
            dir.path().join(PROJECT_FILE),
            "[ignore]\nnames = [\"Zoë Ægir\", 7]\nfiles = [{ file = 1 }, { file = \"a.md\", code = \"misquote\" }]\n",
        )
        .unwrap();
        let i = Ignores::load(dir.path());
        assert_eq!(i.names, ["Zoë Ægir"]);
        assert_eq!(i.files.len(), 1);
    }

    #[test]
    fn add_keeps_comments_and_settings_and_apply_honours_every_kind() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let original = "# my project\ncorpus = [\"sources\"] # where articles live\n\n[rules]\nmisquote = \"error\"\n";
        fs::write(root.join(PROJECT_FILE), original).unwrap();
        let draft = root.join("drafts").join("harbour.md");
        let here = IgnoreAction::Here {
            code: "vague-attribution".into(),
            text: "Officials\nsaid".into(),
        };
        add(root, Some(&draft), &here).unwrap();
        add(root, Some(&draft), &here).unwrap();
        add(
            root,
            Some(&draft),
            &IgnoreAction::InFile {
                code: "misquote".into(),
            },
        )
        .unwrap();
        add(
            root,
            None,
            &IgnoreAction::Name {
                name: "Zoë Ægir".into(),
            },
        )
        .unwrap();
        let written = fs::read_to_string(root.join(PROJECT_FILE)).unwrap();
        assert!(written.starts_with(original), "{written}");
        assert_eq!(written.matches("vague-attribution").count(), 1, "{written}");
        assert!(
            written.contains("file = \"drafts/harbour.md\""),
            "{written}"
        );
        // Nothing left behind by the atomic write.
        assert_eq!(fs::read_dir(root).unwrap().count(), 1);

        let ignores = Ignores::load(root);
        let text = "Officials said Zoë Ægir misquoted. Officials said so. x";
        let mut found = vec![
            checked("vague-attribution", 0..14),
            checked("vague-attribution", 37..51),
            checked("unknown-actor", 15..25),
            checked("misquote", 56..57),
        ];
        ignores.apply(Some(&draft), text, &mut found);
        assert!(found.is_empty(), "{found:?}");
        // The same words elsewhere are not ignored by "ignore here" in
        // another file; per-file ignores stay in their file.
        let mut found = vec![
            checked("vague-attribution", 0..14),
            checked("misquote", 56..57),
        ];
        ignores.apply(Some(&root.join("other.md")), text, &mut found);
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn add_refuses_to_overwrite_a_broken_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(PROJECT_FILE), "corpus = [").unwrap();
        let err = add(dir.path(), None, &IgnoreAction::Name { name: "X".into() }).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(
            fs::read_to_string(dir.path().join(PROJECT_FILE)).unwrap(),
            "corpus = ["
        );
        let err = add(
            dir.path(),
            None,
            &IgnoreAction::InFile {
                code: "misquote".into(),
            },
        );
        assert!(err.is_err());
    }
}
