//! Settings: what the writer can configure, and how the layers combine.
//!
//! Three sources, later ones winning key by key:
//! 1. built-in defaults ([`Settings::default`]);
//! 2. `dossier.toml` at the workspace root (snake_case keys, top level);
//! 3. the editor: `initializationOptions` and
//!    `workspace/didChangeConfiguration` (camelCase keys, either the object
//!    itself or wrapped as `{ "dossier": { … } }`).
//!
//! Both spellings are accepted in both places, so `include_default_corpus`
//! and `includeDefaultCorpus` mean the same everywhere. Unknown keys are
//! ignored, so a project file can hold other sections (such as the project's
//! own names) next to these.
//!
//! ```toml
//! corpus = ["sources", "../shared/articles"]   # relative to the workspace root
//! include_default_corpus = false
//! languages = ["markdown", "plaintext", "text"]
//! inlay_hints = true
//! attribution_style = "name-said"             # auto | name-said | said-name
//! claim_attribution = "link"                  # according-to | link
//! max_document_size = 4194304                 # bytes; larger drafts are not analysed
//! [rules]
//! misquote = "error"                          # error | warning | information | hint | off
//! vague-attribution = "off"
//! ```
//!
//! Nothing here knows about LSP: the server hands over JSON values and file
//! text, and gets back plain [`Settings`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The project file read from the workspace root.
pub const PROJECT_FILE: &str = "dossier.toml";

/// How loud a rule is. `off` silences it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Error,
    #[serde(alias = "warn")]
    Warning,
    #[serde(alias = "info")]
    Information,
    Hint,
    #[serde(alias = "none")]
    Off,
}

/// Where an inserted attribution puts the speaker: "Anna Kowalczyk said"
/// or "said Anna Kowalczyk". `Auto` follows what the draft already does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttributionStyle {
    #[default]
    Auto,
    #[serde(alias = "name_said", alias = "nameSaid")]
    NameSaid,
    #[serde(alias = "said_name", alias = "saidName")]
    SaidName,
}

impl RuleLevel {
    /// The severity a finding of `default` severity is reported at under
    /// this level (`None` for `off`); with no level the default stands.
    /// The one mapping both the editor and the command line use.
    pub fn apply(
        level: Option<RuleLevel>,
        default: crate::server::Severity,
    ) -> Option<crate::server::Severity> {
        use crate::server::Severity;
        match level {
            None => Some(default),
            Some(RuleLevel::Error) => Some(Severity::Error),
            Some(RuleLevel::Warning) => Some(Severity::Warning),
            Some(RuleLevel::Information) => Some(Severity::Information),
            Some(RuleLevel::Hint) => Some(Severity::Hint),
            Some(RuleLevel::Off) => None,
        }
    }
}

/// How the quick fix for an unsourced claim credits the source that backs
/// it: ", according to <outlet>" or a Markdown link to the source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClaimAttribution {
    #[default]
    #[serde(alias = "according_to", alias = "accordingTo")]
    AccordingTo,
    Link,
}

/// The effective settings after layering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Folders of source articles, absolute once resolved.
    pub corpus: Vec<PathBuf>,
    /// Whether the built-in sample articles are part of the corpus.
    pub include_default_corpus: bool,
    /// Per-rule level overrides, keyed by the finding's code.
    pub rules: BTreeMap<String, RuleLevel>,
    /// Editor language ids that get checked.
    pub languages: Vec<String>,
    pub inlay_hints: bool,
    pub attribution_style: AttributionStyle,
    /// How the fix for an unsourced claim credits its source.
    pub claim_attribution: ClaimAttribution,
    /// Open documents larger than this many bytes are not analysed: the
    /// writer is told once, and every keystroke stays fast.
    pub max_document_size: usize,
}

/// The default for [`Settings::max_document_size`]: far beyond any news
/// draft, well below what would make each keystroke slow.
pub const DEFAULT_MAX_DOCUMENT_SIZE: usize = 4 * 1024 * 1024;

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            corpus: Vec::new(),
            include_default_corpus: true,
            rules: BTreeMap::new(),
            languages: ["markdown", "plaintext", "text"]
                .into_iter()
                .map(String::from)
                .collect(),
            inlay_hints: false,
            attribution_style: AttributionStyle::Auto,
            claim_attribution: ClaimAttribution::AccordingTo,
            max_document_size: DEFAULT_MAX_DOCUMENT_SIZE,
        }
    }
}

impl Settings {
    /// Layers `layers` over the defaults in order. Relative corpus folders
    /// are resolved against `root` (the workspace root) when there is one.
    pub fn layered(root: Option<&Path>, layers: &[&SettingsLayer]) -> Settings {
        let mut settings = Settings::default();
        for layer in layers {
            if let Some(corpus) = &layer.corpus {
                settings.corpus = corpus.iter().map(|dir| resolve(root, dir)).collect();
            }
            if let Some(include) = layer.include_default_corpus {
                settings.include_default_corpus = include;
            }
            if let Some(rules) = &layer.rules {
                // Key by key, so the editor can silence one rule without
                // repeating the project's other choices.
                for (code, level) in rules {
                    settings.rules.insert(code.clone(), *level);
                }
            }
            if let Some(languages) = &layer.languages {
                settings.languages = languages.clone();
            }
            if let Some(inlay_hints) = layer.inlay_hints {
                settings.inlay_hints = inlay_hints;
            }
            if let Some(style) = layer.attribution_style {
                settings.attribution_style = style;
            }
            if let Some(claims) = layer.claim_attribution {
                settings.claim_attribution = claims;
            }
            if let Some(size) = layer.max_document_size {
                settings.max_document_size = size;
            }
        }
        settings
    }

    /// The configured level for a rule, if the writer set one.
    pub fn rule_level(&self, code: &str) -> Option<RuleLevel> {
        self.rules.get(code).copied()
    }

    /// Whether documents in this editor language are checked.
    pub fn checks_language(&self, language_id: &str) -> bool {
        self.languages.iter().any(|l| l == language_id)
    }

    /// Whether two settings would build the same corpus.
    pub fn same_corpus(&self, other: &Settings) -> bool {
        self.corpus == other.corpus && self.include_default_corpus == other.include_default_corpus
    }
}

fn resolve(root: Option<&Path>, dir: &Path) -> PathBuf {
    match root {
        Some(root) if dir.is_relative() => root.join(dir),
        _ => dir.to_path_buf(),
    }
}

/// One source of settings; a missing key leaves the layer below in charge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsLayer {
    pub corpus: Option<Vec<PathBuf>>,
    #[serde(alias = "include_default_corpus")]
    pub include_default_corpus: Option<bool>,
    pub rules: Option<BTreeMap<String, RuleLevel>>,
    pub languages: Option<Vec<String>>,
    #[serde(alias = "inlay_hints")]
    pub inlay_hints: Option<bool>,
    #[serde(alias = "attribution_style")]
    pub attribution_style: Option<AttributionStyle>,
    #[serde(alias = "claim_attribution")]
    pub claim_attribution: Option<ClaimAttribution>,
    #[serde(alias = "max_document_size")]
    pub max_document_size: Option<usize>,
}

impl SettingsLayer {
    /// Reads the editor's settings: the object itself, or `{ "dossier": … }`
    /// as `workspace/didChangeConfiguration` usually wraps it. `null` is an
    /// empty layer.
    pub fn from_json(value: &serde_json::Value) -> Result<SettingsLayer, String> {
        let value = match value.get("dossier") {
            Some(inner) => inner,
            None => value,
        };
        if value.is_null() {
            return Ok(SettingsLayer::default());
        }
        SettingsLayer::deserialize(value).map_err(|err| err.to_string())
    }

    /// Reads a `dossier.toml`. The error text names the line and the problem,
    /// ready to show the writer.
    pub fn from_toml(text: &str) -> Result<SettingsLayer, String> {
        toml::from_str(text).map_err(|err| err.to_string())
    }

    /// Reads `dossier.toml` from the workspace root. A missing file is an
    /// empty layer; an unreadable or malformed one is an error message.
    pub fn from_project_file(root: &Path) -> Result<SettingsLayer, String> {
        let path = root.join(PROJECT_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                SettingsLayer::from_toml(&text).map_err(|err| format!("{}: {err}", path.display()))
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(SettingsLayer::default()),
            Err(err) => Err(format!("{}: {err}", path.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_check_prose_languages_without_inlay_hints() {
        let settings = Settings::default();
        assert!(settings.checks_language("markdown"));
        assert!(settings.checks_language("plaintext"));
        assert!(settings.checks_language("text"));
        assert!(!settings.checks_language("rust"));
        assert!(!settings.inlay_hints);
        assert!(settings.include_default_corpus);
        assert!(settings.corpus.is_empty());
    }

    #[test]
    fn project_file_uses_snake_case_and_relative_folders() {
        let layer = SettingsLayer::from_toml(
            "corpus = [\"sources\", \"/archive/fisheries\"]\n\
             include_default_corpus = false\n\
             inlay_hints = true\n\
             attribution_style = \"said-name\"\n\
             names = [\"Anna Kowalczyk\"]\n\
             [rules]\nmisquote = \"error\"\nvague-attribution = \"off\"\n",
        )
        .expect("valid toml");
        let settings = Settings::layered(Some(Path::new("/news/desk")), &[&layer]);
        assert_eq!(
            settings.corpus,
            vec![
                PathBuf::from("/news/desk/sources"),
                PathBuf::from("/archive/fisheries")
            ]
        );
        assert!(!settings.include_default_corpus);
        assert!(settings.inlay_hints);
        assert_eq!(settings.attribution_style, AttributionStyle::SaidName);
        assert_eq!(settings.rule_level("misquote"), Some(RuleLevel::Error));
        assert_eq!(
            settings.rule_level("vague-attribution"),
            Some(RuleLevel::Off)
        );
        assert_eq!(settings.rule_level("name-variant"), None);
    }

    #[test]
    fn claim_attribution_defaults_to_according_to_and_layers_from_either_place() {
        assert_eq!(
            Settings::default().claim_attribution,
            ClaimAttribution::AccordingTo
        );
        let project = SettingsLayer::from_toml("claim_attribution = \"link\"\n").expect("toml");
        let editor =
            SettingsLayer::from_json(&json!({ "dossier": { "claimAttribution": "according-to" } }))
                .expect("json");
        assert_eq!(
            Settings::layered(None, &[&project]).claim_attribution,
            ClaimAttribution::Link
        );
        assert_eq!(
            Settings::layered(None, &[&project, &editor]).claim_attribution,
            ClaimAttribution::AccordingTo
        );
        assert!(SettingsLayer::from_toml("claim_attribution = \"footnote\"\n").is_err());
    }

    #[test]
    fn editor_settings_use_camel_case_wrapped_or_bare() {
        let wrapped = json!({ "dossier": { "includeDefaultCorpus": false, "inlayHints": true } });
        let bare = json!({ "includeDefaultCorpus": false, "inlayHints": true });
        let a = SettingsLayer::from_json(&wrapped).expect("wrapped");
        let b = SettingsLayer::from_json(&bare).expect("bare");
        assert_eq!(a, b);
        assert_eq!(a.include_default_corpus, Some(false));
        assert_eq!(a.inlay_hints, Some(true));
        assert_eq!(
            SettingsLayer::from_json(&json!(null)),
            Ok(SettingsLayer::default())
        );
    }

    #[test]
    fn editor_settings_win_over_project_file_key_by_key() {
        let project = SettingsLayer::from_toml(
            "corpus = [\"sources\"]\nlanguages = [\"markdown\"]\n[rules]\nmisquote = \"error\"\nunknown-actor = \"hint\"\n",
        )
        .expect("toml");
        let editor = SettingsLayer::from_json(&json!({
            "rules": { "misquote": "info" },
            "languages": ["markdown", "asciidoc"]
        }))
        .expect("json");
        let settings = Settings::layered(Some(Path::new("/w")), &[&project, &editor]);
        assert_eq!(
            settings.rule_level("misquote"),
            Some(RuleLevel::Information)
        );
        assert_eq!(settings.rule_level("unknown-actor"), Some(RuleLevel::Hint));
        assert_eq!(settings.languages, vec!["markdown", "asciidoc"]);
        // Not set by the editor: the project file's choice stands.
        assert_eq!(settings.corpus, vec![PathBuf::from("/w/sources")]);
    }

    #[test]
    fn malformed_project_file_reports_the_problem() {
        let err = SettingsLayer::from_toml("corpus = [\"unterminated\n").expect_err("bad toml");
        assert!(err.contains("line 1"), "{err}");
        let err = SettingsLayer::from_toml("inlay_hints = \"sometimes\"").expect_err("bad type");
        assert!(err.contains("inlay_hints"), "{err}");
        let err = SettingsLayer::from_toml("[rules]\nmisquote = \"loud\"").expect_err("bad level");
        assert!(err.contains("loud"), "{err}");
    }

    #[test]
    fn project_file_on_disk_missing_is_empty_and_broken_is_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            SettingsLayer::from_project_file(dir.path()),
            Ok(SettingsLayer::default())
        );
        std::fs::write(dir.path().join(PROJECT_FILE), "inlay_hints = [").expect("write");
        let err = SettingsLayer::from_project_file(dir.path()).expect_err("broken");
        assert!(err.contains(PROJECT_FILE), "{err}");
    }

    #[test]
    fn corpus_change_is_detected() {
        let a = Settings::default();
        let mut b = a.clone();
        b.inlay_hints = true;
        assert!(a.same_corpus(&b));
        b.include_default_corpus = false;
        assert!(!a.same_corpus(&b));
    }
}
