//! Reading an article: paragraphs, sentences, title, byline, boilerplate.
//! OWNER: helper 3. Interface (keep these signatures):

use std::ops::Range;

use super::model::Sentence;

/// What reading an article's text yields.
#[derive(Debug, Clone, Default)]
pub struct ArticleParts {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub paragraphs: Vec<Range<usize>>,
    pub sentences: Vec<Sentence>,
}

/// Split `text` into paragraphs and sentences and find its metadata.
pub fn read(_text: &str) -> ArticleParts {
    ArticleParts::default()
}

/// Sentence ranges of `text` (abbreviations, initials, decimals do not end
/// a sentence). Used for drafts too.
pub fn split_sentences(_text: &str, _range: Range<usize>) -> Vec<Range<usize>> {
    Vec::new()
}
