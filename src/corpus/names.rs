//! Finding names of people, organisations, outlets and places in text.
//! OWNER: helper 2. Interface (keep these signatures):

use std::ops::Range;

use super::model::EntityKind;

/// A name the recognizer found, before mentions are merged into entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameSpan {
    /// The name itself: no title before it, no possessive after it.
    pub range: Range<usize>,
    pub kind: EntityKind,
    /// A title or role phrase directly before the name ("CIA Director"),
    /// when there is one.
    pub title: Option<Range<usize>>,
    /// True when the text gave a clear cue for the kind (a title, a speech
    /// verb, an organisation word, an outlet cue), false for a guess.
    pub cued: bool,
}

/// Find names in `text`; `sentences` are the sentence ranges of `text`
/// (used to tell a sentence-initial capital from a name).
pub fn find_names(_text: &str, _sentences: &[Range<usize>]) -> Vec<NameSpan> {
    Vec::new()
}
