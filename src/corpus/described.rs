//! People the sources describe through an organisation without naming
//! them: "a former <org> operative", "a senior official at <org>". Found
//! once, when the corpus is built, and kept with the organisation, so a
//! hover card reads no article text (reading every article an agency is
//! mentioned in made a first card of a widely mentioned agency slow).

use std::ops::Range;

use rayon::prelude::*;

use super::model::{Described, DocId, Document, Entity, EntityKind};
use crate::lexicon::FastMap;

/// A card shows this many; once they are found the rest is not read.
pub const KEPT: usize = 5;

/// Fill in `described` for every agency and outlet.
pub fn find_all(entities: &mut [Entity], documents: &[Document]) {
    // Where the named people's roles stand, per document: a phrase that is
    // one of them ("Ann Lee, a retired Board officer") is a named person.
    let mut roles_in: FastMap<DocId, Vec<Range<usize>>> = FastMap::default();
    for e in entities.iter().filter(|e| e.kind == EntityKind::Person) {
        for r in &e.roles {
            roles_in
                .entry(r.span.doc)
                .or_default()
                .push(r.span.range.clone());
        }
    }
    entities
        .par_iter_mut()
        .filter(|e| matches!(e.kind, EntityKind::Agency | EntityKind::Outlet))
        .for_each(|e| e.described = described_through(e, documents, &roles_in));
}

/// Up to [`KEPT`] different unnamed people described through `e`, in the
/// order of its mentions.
fn described_through(
    e: &Entity,
    documents: &[Document],
    roles_in: &FastMap<DocId, Vec<Range<usize>>>,
) -> Vec<Described> {
    let mut out: Vec<Described> = Vec::new();
    for m in e.mentions.iter().filter(|m| !m.boilerplate) {
        let text = documents[m.doc()].text.as_str();
        let Some(phrase) = described_person_around(text, m.range()) else {
            continue;
        };
        let roles = roles_in.get(&m.doc()).map_or(&[][..], Vec::as_slice);
        if is_named_persons_role(roles, text, &phrase, m.start())
            || out.iter().any(|d| d.text == phrase)
        {
            continue;
        }
        out.push(Described {
            text: phrase,
            span: m.span(),
        });
        if out.len() == KEPT {
            break;
        }
    }
    out
}

/// True when the described phrase around `at` is a named person's role
/// (an appositive the corpus already read as a role).
fn is_named_persons_role(roles: &[Range<usize>], text: &str, phrase: &str, at: usize) -> bool {
    let window_start = at.saturating_sub(phrase.len() + 4);
    let Some(start) = text
        .get(window_start..at)
        .and_then(|w| w.find(phrase.split_whitespace().next().unwrap_or("")))
        .map(|i| window_start + i)
    else {
        return false;
    };
    roles.iter().any(|r| r.start <= at && start <= r.end)
}

/// "a former <org> operative", "A former senior official at … <org>": an
/// unnamed person described through the organisation mentioned at `name`.
fn described_person_around(text: &str, name: Range<usize>) -> Option<String> {
    // Back to an article within eight words, on the same clause.
    let before = &text[..name.start];
    // Past the mark, whatever its width (a curly quote is three bytes).
    let clause_start = before
        .rfind([',', '.', ';', ':', '“', '”', '"', '\n'])
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let window = &text[clause_start..name.start];
    let words: Vec<&str> = window.split_whitespace().collect();
    let art = words
        .iter()
        .rposition(|w| ["a", "an", "one"].iter().any(|a| w.eq_ignore_ascii_case(a)))?;
    if words.len() - art > 9 {
        return None;
    }
    let start = clause_start + window.find(&format!("{} ", words[art]))?;
    // Forward over at most two words to a role noun ("operative").
    let after = &text[name.end..];
    let mut end = name.end;
    let mut has_role = words[art..].iter().any(|w| super::roles::is_role_word(w));
    for w in after.split_whitespace().take(2) {
        let bare = w.trim_end_matches([',', '.', ';', ':']);
        if super::roles::is_role_word(bare) {
            end = name.end + after.find(bare)? + bare.len();
            has_role = true;
            break;
        }
        if bare.len() != w.len() {
            break;
        }
    }
    if !has_role {
        return None;
    }
    let phrase = text.get(start..end)?;
    Some(phrase.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn described_people_around_an_organisation() {
        let t = "It was written by a former Harbour Board operative, they said.";
        let s = t.find("Harbour Board").unwrap();
        let r = s..s + "Harbour Board".len();
        assert_eq!(
            described_person_around(t, r).as_deref(),
            Some("a former Harbour Board operative")
        );
        let t = "A senior official at the Harbour Board said no.";
        let s = t.find("Harbour Board").unwrap();
        assert_eq!(
            described_person_around(t, s..s + 13).as_deref(),
            Some("A senior official at the Harbour Board")
        );
        let t = "He met the Harbour Board today.";
        let s = t.find("Harbour Board").unwrap();
        assert_eq!(described_person_around(t, s..s + 13), None);
        // A clause opened by a curly quote: no slicing inside the mark.
        let t = "“Ferries”a former Harbour Board operative 🚢 said.";
        let s = t.find("Harbour Board").unwrap();
        assert_eq!(
            described_person_around(t, s..s + 13).as_deref(),
            Some("a former Harbour Board operative")
        );
    }

    #[test]
    fn a_named_persons_role_is_not_an_unnamed_person() {
        let t = "Ann Lee, a retired Harbour Board officer, spoke.";
        let at = t.find("Harbour Board").unwrap();
        let phrase = described_person_around(t, at..at + 13).unwrap();
        assert_eq!(phrase, "a retired Harbour Board officer");
        let role = t.find("a retired").unwrap()..t.find(", spoke").unwrap();
        assert!(is_named_persons_role(&[role], t, &phrase, at));
        assert!(!is_named_persons_role(&[], t, &phrase, at));
    }
}
