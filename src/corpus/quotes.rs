//! Finding quotations in an article and who said them.
//! OWNER: helper 4. Interface (keep these signatures):

use std::ops::Range;

use super::model::Sentence;
use super::names::NameSpan;

/// Who the text says spoke a quote, before names are resolved to entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpeakerCue {
    /// A name found by the recognizer (index into the `names` slice given to
    /// [`find_quotes`]); a resolved pronoun or a continuing paragraph points at
    /// the name it stands for.
    Name(usize),
    /// An unnamed speaker, as written: "an unnamed Northern European defense official".
    Descriptive(Range<usize>),
}

/// A quotation found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawQuote {
    /// The quoted words, without the marks.
    pub range: Range<usize>,
    pub speaker: Option<SpeakerCue>,
    /// The sentence(s) the quote stands in.
    pub sentence: Range<usize>,
}

/// Find quotations in `text` with their speakers.
pub fn find_quotes(
    _text: &str,
    _paragraphs: &[Range<usize>],
    _sentences: &[Sentence],
    _names: &[super::names::NameSpan],
) -> Vec<RawQuote> {
    let _ = std::marker::PhantomData::<NameSpan>;
    Vec::new()
}
