//! Loading source files from disk and from the embedded default corpus.
//! OWNER: helper 1. Interface (keep these signatures):

use std::path::{Path, PathBuf};

use super::model::{LineMap, Skipped};

/// Limits for reading sources.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Files larger than this many bytes are skipped with a warning.
    pub max_file_size: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { max_file_size: 4 * 1024 * 1024 }
    }
}

/// A source file read into readable text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// File name without extension.
    pub id: String,
    pub path: PathBuf,
    pub embedded: bool,
    /// Readable text: the file itself for .txt/.md, text without tags for HTML.
    pub text: String,
    pub line_map: LineMap,
}

/// What a load produced: readable files, skipped files, and warnings to show
/// the user (e.g. lossy decoding), each naming its file.
#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Vec<SourceFile>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<String>,
}

/// Walk `dir` and read every source file under it.
pub fn load_dir(_dir: &Path, _opts: &LoadOptions) -> Loaded {
    Loaded::default()
}

/// The articles compiled into the binary (the project's `seeds/`).
pub fn embedded() -> Vec<SourceFile> {
    Vec::new()
}
