//! `unknown-actor`: a person or agency the sources never mention.
//!
//! Everyone a story names should be somewhere in the reporting; a name the
//! sources do not have is either new reporting that needs its own source,
//! or a mistake. This is a hint, not a warning: the writer may well know
//! more than the corpus. Each distinct name is flagged once per draft, at
//! its first appearance; names inside quotation marks, places, outlets and
//! the project's own names are left alone.

use std::collections::HashSet;

use super::{finding, name_key, one_line, Checked, Context};
use crate::corpus::EntityKind;
use crate::server::Severity;

pub const CODE: &str = "unknown-actor";

pub(crate) fn check(cx: &Context) -> Vec<Checked> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for m in &cx.draft.mentions {
        if m.entity.is_some()
            || m.quoted
            || !matches!(m.kind, EntityKind::Person | EntityKind::Agency)
        {
            continue;
        }
        let name = one_line(cx.text(&m.range));
        if name.is_empty() || cx.is_project_name(&name) || !seen.insert(name_key(&name)) {
            continue;
        }
        out.push(Checked {
            finding: finding(
                CODE,
                Severity::Hint,
                m.range.clone(),
                format!("\"{name}\" does not appear in the sources"),
            ),
            fixes: Vec::new(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::CheckOptions;
    use crate::analysis::fixture::{self, assert_rule};
    use crate::analysis::ignore::Ignores;
    use crate::corpus::Corpus;

    fn harbour() -> Corpus {
        fixture::corpus(&[(
            "harbour-01",
            "Director Anna Kowalczyk of the Ministry of Fisheries spoke in Gdańsk on Monday.\n",
        )])
    }

    #[test]
    fn new_people_are_hinted_once_places_and_known_names_are_not() {
        assert_rule(
            &harbour(),
            CODE,
            r#"
Anna Kowalczyk met Inspector Zoë Ferrant in Gdańsk.
                             ^^^^^^^^^^^
Zoë Ferrant said the Baltic Harbour Authority would decide.
                     ^^^^^^^^^^^^^^^^^^^^^^^^
"#,
        );
    }

    #[test]
    fn message_names_the_person_and_project_names_count_as_known() {
        let text = "Inspector Zoë Ferrant 🚢 inspected the boats.\r\n";
        let found = fixture::run(&harbour(), text, &CheckOptions::default());
        let c = fixture::flagged(&found, CODE);
        assert_eq!(
            c.finding.message,
            "\"Zoë Ferrant\" does not appear in the sources"
        );
        assert_eq!(c.finding.severity, Severity::Hint);
        let options = CheckOptions {
            ignores: Ignores {
                names: vec!["Zoë Ferrant".into()],
                ..Default::default()
            },
            ..Default::default()
        };
        let found = fixture::run(&harbour(), text, &options);
        assert!(found.iter().all(|c| c.finding.code != CODE));
    }
}
