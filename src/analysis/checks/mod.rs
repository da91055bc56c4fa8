//! The checks a writer sees while typing, one rule per file.
//! OWNER: checks engineer. Interface (keep these signatures):

use std::path::PathBuf;

use crate::analysis::draft::Draft;
use crate::config::AttributionStyle;
use crate::corpus::Corpus;
use crate::server::{Finding, QuickFix};

/// What a check run needs besides the draft and the corpus.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// How a quick fix attributes a quote or claim.
    pub attribution_style: AttributionStyle,
    /// The draft's path, when it has one (for per-file ignores).
    pub file: Option<PathBuf>,
}

/// A finding with the fixes offered for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub finding: Finding,
    pub fixes: Vec<QuickFix>,
}

/// Run every rule over a draft.
pub fn run(_corpus: &Corpus, _draft: &Draft<'_>, _options: &CheckOptions) -> Vec<Checked> {
    Vec::new()
}
