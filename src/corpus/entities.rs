//! Merging the names found in each article into entities: one person under
//! full name and surname, one agency under its name and acronym, one outlet
//! under "the New York Times" and "NYT", "U.S." and "US" as one place.

use std::collections::HashMap;

use super::fold::{fold_name, name_key};
use super::model::{DocId, EntityKind};
use super::names::NameSpan;
use crate::lexicon;

/// A name as one article wrote it, with what the recognizer thought of it.
#[derive(Debug, Clone)]
pub struct Sighting<'a> {
    pub doc: DocId,
    pub span: &'a NameSpan,
    pub surface: &'a str,
    pub boilerplate: bool,
}

/// A group of sightings that name the same thing.
#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub kind: EntityKind,
    /// Every spelling seen, the canonical name first, most frequent next.
    pub forms: Vec<String>,
    /// Indices into the sightings slice given to [`group`].
    pub sightings: Vec<usize>,
}

#[derive(Debug, Default)]
struct Candidate {
    forms: HashMap<String, usize>,
    votes: [f32; 4],
    sightings: Vec<usize>,
    merged_into: Option<usize>,
}

fn kind_index(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Agency => 1,
        EntityKind::Outlet => 2,
        EntityKind::Place => 3,
    }
}

const KINDS: [EntityKind; 4] = [
    EntityKind::Person,
    EntityKind::Agency,
    EntityKind::Outlet,
    EntityKind::Place,
];

impl Candidate {
    fn kind(&self) -> EntityKind {
        let mut best = 0;
        for i in 1..4 {
            if self.votes[i] > self.votes[best] {
                best = i;
            }
        }
        KINDS[best]
    }

    fn best_form(&self) -> &str {
        self.forms
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(f, _)| f.as_str())
            .unwrap_or("")
    }
}

/// Words that do not count towards an acronym: "Ministry *of* Defence".
const MINOR_WORDS: &[&str] = &[
    "of", "for", "and", "the", "on", "in", "at", "to", "&", "de", "la", "du",
];

/// "Central Fisheries Agency" → "CFA"; `None` for a single word.
fn initials(name: &str) -> Option<String> {
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| !MINOR_WORDS.contains(&w.to_lowercase().as_str()))
        .collect();
    if words.len() < 2 {
        return None;
    }
    words
        .iter()
        .map(|w| w.chars().next().filter(|c| c.is_uppercase()))
        .collect()
}

/// An acronym as a key: "U.N." and "UN" → "UN"; `None` if not all capitals.
fn as_acronym(key: &str) -> Option<&str> {
    let n = key.chars().count();
    ((2..=6).contains(&n) && key.chars().all(|c| c.is_ascii_uppercase())).then_some(key)
}

/// Group sightings into entities.
pub fn group(sightings: &[Sighting<'_>]) -> Vec<Group> {
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut cands: Vec<Candidate> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for (i, s) in sightings.iter().enumerate() {
        let surface = fold_name(s.surface);
        let key = name_key(&surface);
        if key.is_empty() {
            continue;
        }
        let c = *by_key.entry(key.clone()).or_insert_with(|| {
            cands.push(Candidate::default());
            keys.push(key.clone());
            cands.len() - 1
        });
        let cand = &mut cands[c];
        *cand.forms.entry(surface).or_default() += 1;
        let weight = if s.span.cued { 3.0 } else { 1.0 } * if s.boilerplate { 0.3 } else { 1.0 };
        cand.votes[kind_index(s.span.kind)] += weight;
        cand.sightings.push(i);
    }
    // Places named by the lexicon are places whatever an article's cue said:
    // "Washington said" speaks of the government by its capital.
    for (c, key) in cands.iter_mut().zip(&keys) {
        if lexicon::is_place(key) || lexicon::is_place(c.best_form()) {
            let strongest = c.votes.iter().copied().fold(0.0, f32::max);
            c.votes[3] = strongest + 1.0;
        }
    }

    merge_surnames(&mut cands, &keys);
    merge_acronyms(&mut cands, &keys);

    // Who merged into whom, found once (a scan per group would make
    // grouping quadratic in the number of distinct names).
    let mut merged: Vec<Vec<usize>> = vec![Vec::new(); cands.len()];
    for j in 0..cands.len() {
        let r = root(&cands, j);
        if r != j {
            merged[r].push(j);
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        if c.merged_into.is_some() {
            continue;
        }
        let mut forms: HashMap<String, usize> = c.forms.clone();
        let mut members = c.sightings.clone();
        let mut votes = c.votes;
        for &j in &merged[i] {
            let other = &cands[j];
            for (f, n) in &other.forms {
                *forms.entry(f.clone()).or_default() += n;
            }
            members.extend(&other.sightings);
            for (v, o) in votes.iter_mut().zip(other.votes) {
                *v += o;
            }
        }
        let kind = Candidate {
            votes,
            ..Default::default()
        }
        .kind();
        let mut ordered: Vec<(String, usize)> = forms.into_iter().collect();
        // The canonical name: the fullest spelling (most words, then most
        // used); acronyms give way to their expansion.
        ordered.sort_by(|a, b| {
            let wa = a.0.split_whitespace().count();
            let wb = b.0.split_whitespace().count();
            wb.cmp(&wa)
                .then(b.1.cmp(&a.1))
                .then(a.0.len().cmp(&b.0.len()))
                .then(a.0.cmp(&b.0))
        });
        members.sort_unstable();
        groups.push(Group {
            name: ordered[0].0.clone(),
            kind,
            forms: ordered.into_iter().map(|(f, _)| f).collect(),
            sightings: members,
        });
    }
    groups
}

fn root(cands: &[Candidate], mut i: usize) -> usize {
    let mut steps = 0;
    while let Some(j) = cands[i].merged_into {
        i = j;
        steps += 1;
        if steps > cands.len() {
            break;
        }
    }
    i
}

/// "Kowalczyk" joins "Anna Kowalczyk" when exactly one multi-word person
/// ends with it; an ambiguous surname stays on its own.
fn merge_surnames(cands: &mut [Candidate], keys: &[String]) {
    let mut by_last: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        if cands[i].kind() != EntityKind::Person {
            continue;
        }
        if let Some((_, last)) = key.rsplit_once(' ') {
            by_last.entry(last).or_default().push(i);
        }
    }
    for (i, key) in keys.iter().enumerate() {
        if key.contains(' ') || cands[i].merged_into.is_some() {
            continue;
        }
        // An organisation word or an outlet vote means it is not a surname.
        let kind = cands[i].kind();
        if matches!(kind, EntityKind::Agency | EntityKind::Outlet)
            && cands[i].votes[0] == 0.0
            && (lexicon::is_org_word(key)
                || lexicon::is_outlet_word(key)
                || as_acronym(key).is_some())
        {
            continue;
        }
        if kind == EntityKind::Place && cands[i].votes[3] > cands[i].votes[0] {
            continue;
        }
        let Some(full) = by_last.get(key.as_str()) else {
            continue;
        };
        // Several people share the surname: take the best-attested one only
        // if it clearly dominates.
        let mut full: Vec<usize> = full.iter().copied().filter(|&j| j != i).collect();
        full.sort_by_key(|&j| std::cmp::Reverse(cands[j].sightings.len()));
        let target = match full.as_slice() {
            [only] => *only,
            [first, second, ..]
                if cands[*first].sightings.len() >= 3 * cands[*second].sightings.len() =>
            {
                *first
            }
            _ => continue,
        };
        cands[i].merged_into = Some(target);
    }
}

/// "CFA" joins "Central Fisheries Agency" when the initials match exactly
/// one multi-word name that is not a person.
fn merge_acronyms(cands: &mut [Candidate], keys: &[String]) {
    let mut by_initials: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        if cands[i].kind() == EntityKind::Person || cands[i].merged_into.is_some() {
            continue;
        }
        if let Some(ini) = initials(key) {
            by_initials.entry(ini).or_default().push(i);
        }
    }
    for (i, key) in keys.iter().enumerate() {
        let Some(acr) = as_acronym(key) else { continue };
        if cands[i].merged_into.is_some() {
            continue;
        }
        if let Some([only]) = by_initials.get(acr).map(Vec::as_slice) {
            if *only != i {
                cands[i].merged_into = Some(*only);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(kind: EntityKind, cued: bool) -> NameSpan {
        NameSpan {
            range: 0..0,
            kind,
            title: None,
            cued,
        }
    }

    fn grouped(names: &[(&str, EntityKind, bool)]) -> Vec<(String, EntityKind, Vec<String>)> {
        let spans: Vec<NameSpan> = names.iter().map(|&(_, k, c)| span(k, c)).collect();
        let sightings: Vec<Sighting> = names
            .iter()
            .zip(&spans)
            .map(|(&(s, _, _), span)| Sighting {
                doc: 0,
                span,
                surface: s,
                boilerplate: false,
            })
            .collect();
        let mut out: Vec<_> = group(&sightings)
            .into_iter()
            .map(|g| (g.name, g.kind, g.forms))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    #[test]
    fn surname_joins_the_full_name() {
        use EntityKind::*;
        let g = grouped(&[
            ("Anna Kowalczyk", Person, true),
            ("Kowalczyk", Person, false),
            ("Kowalczyk", Agency, false),
        ]);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].0, "Anna Kowalczyk");
        assert_eq!(g[0].1, Person);
    }

    #[test]
    fn shared_surname_stays_apart() {
        use EntityKind::*;
        let g = grouped(&[
            ("Anna Nowak", Person, true),
            ("Piotr Nowak", Person, true),
            ("Nowak", Person, false),
        ]);
        assert_eq!(g.len(), 3);
    }

    #[test]
    fn acronym_joins_its_expansion_and_dots_do_not_matter() {
        use EntityKind::*;
        let g = grouped(&[
            ("Central Fisheries Agency", Agency, true),
            ("CFA", Agency, false),
            ("C.F.A.", Agency, false),
            ("Harbour Times", Outlet, true),
        ]);
        assert_eq!(g.len(), 2);
        let cfa = g
            .iter()
            .find(|x| x.0 == "Central Fisheries Agency")
            .unwrap();
        assert!(cfa.2.contains(&"CFA".to_string()));
        assert!(cfa.2.contains(&"C.F.A.".to_string()));
    }

    #[test]
    fn possessive_apostrophes_fold_into_one_spelling() {
        use EntityKind::*;
        let g = grouped(&[
            ("O’Neill Group", Agency, true),
            ("O'Neill Group", Agency, false),
        ]);
        assert_eq!(g.len(), 1);
    }
}
