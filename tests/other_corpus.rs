//! A second, different corpus (three short articles about a harbour spill,
//! written for this test, in .txt, .md and .html) on which the same code
//! must find the people, agencies, roles and quotes: proof that nothing is
//! tied to the seed articles.

use std::path::PathBuf;
use std::sync::LazyLock;

use dossier::corpus::{Corpus, CorpusOptions, EntityKind, SpeakerRef};

static HARBOUR: LazyLock<Corpus> = LazyLock::new(|| {
    Corpus::load(&CorpusOptions {
        folders: vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/harbour")],
        include_embedded: false,
        ..Default::default()
    })
});

fn entity(name: &str) -> &'static dossier::corpus::Entity {
    let e = HARBOUR
        .find_entity(name)
        .unwrap_or_else(|| panic!("{name} not found; entities: {:?}", names()));
    &HARBOUR.entities[e]
}

fn names() -> Vec<String> {
    HARBOUR
        .entities
        .iter()
        .map(|e| format!("{} ({:?})", e.name, e.kind))
        .collect()
}

#[test]
fn only_the_given_folder_is_read() {
    let ids: Vec<&str> = HARBOUR.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["01-harbour-closure", "02-fishermen", "03-inquiry"]);
    assert_eq!(
        HARBOUR.documents[2].title.as_deref(),
        Some("Inquiry opens into Valmora tanker spill")
    );
    assert_eq!(
        HARBOUR.documents[0].byline.as_deref(),
        Some("Ingrid Solberg")
    );
}

#[test]
fn people_agencies_and_outlets_are_found() {
    use EntityKind::*;
    for (name, kind) in [
        ("Tomás Okonkwo", Person),
        ("Petra Vasquez", Person),
        ("Rafael Moreau", Person),
        ("Helena Marsh", Person),
        ("Lars Eriksen", Person),
        ("Maritime Safety Agency", Agency),
        ("Baltic Freight Lines", Agency),
        ("Coastal Herald", Outlet),
    ] {
        assert_eq!(entity(name).kind, kind, "{name}");
    }
    // Acronym and surname join their full names.
    assert_eq!(entity("MSA").name, "Maritime Safety Agency");
    assert_eq!(entity("Okonkwo").name, "Tomás Okonkwo");
    assert_eq!(entity("Marsh").name, "Helena Marsh");
}

#[test]
fn roles_come_from_titles_appositives_and_served_as() {
    let role_texts =
        |name: &str| -> Vec<String> { entity(name).roles.iter().map(|r| r.text.clone()).collect() };
    assert!(
        role_texts("Tomás Okonkwo").contains(&"Harbour Master".to_string()),
        "{:?}",
        role_texts("Tomás Okonkwo")
    );
    assert!(
        role_texts("Petra Vasquez").contains(&"Environment Minister".to_string()),
        "{:?}",
        role_texts("Petra Vasquez")
    );
    assert!(
        role_texts("Rafael Moreau")
            .iter()
            .any(|r| r.starts_with("spokesman for the Valmora Fishermen")),
        "{:?}",
        role_texts("Rafael Moreau")
    );
    assert!(
        role_texts("Helena Marsh")
            .iter()
            .any(|r| r.contains("chief justice")),
        "{:?}",
        role_texts("Helena Marsh")
    );
    // The role cites the HTML file's own line, not a line of the stripped text.
    let marsh = entity("Helena Marsh");
    let role = marsh
        .roles
        .iter()
        .find(|r| r.text.contains("chief justice"))
        .unwrap();
    assert_eq!(
        HARBOUR.documents[role.span.doc].line_of(role.span.range.start),
        10
    );
}

#[test]
fn quotes_have_their_speakers() {
    let speaker = |start: &str| -> String {
        let q = HARBOUR
            .quotes
            .iter()
            .find(|q| q.text.starts_with(start))
            .unwrap_or_else(|| panic!("quote {start:?} not found"));
        match &q.speaker {
            Some(SpeakerRef::Entity(e)) => HARBOUR.entities[*e].name.clone(),
            Some(SpeakerRef::Descriptive(d)) => d.clone(),
            None => "(none)".into(),
        }
    };
    assert_eq!(speaker("We have closed every berth"), "Tomás Okonkwo");
    assert_eq!(speaker("Nobody goes in or out"), "Tomás Okonkwo");
    assert_eq!(speaker("the worst in twenty years"), "Petra Vasquez");
    assert_eq!(speaker("hold the shipping company"), "Petra Vasquez");
    assert_eq!(speaker("It is too early"), "an MSA inspector");
    assert_eq!(speaker("Every day we stay in port"), "Rafael Moreau");
    assert_eq!(speaker("The company will pay"), "Petra Vasquez");
    assert_eq!(speaker("We will follow the evidence"), "Helena Marsh");
}

#[test]
fn html_scripts_and_boilerplate_stay_out() {
    // The script's string is not text; the newsletter prompt is boilerplate.
    assert!(!HARBOUR
        .quotes
        .iter()
        .any(|q| q.text.contains("Harbour Master said nothing")));
    let doc = &HARBOUR.documents[2];
    let at = doc.text.find("Subscribe to").expect("prompt kept as text");
    assert!(doc.is_boilerplate(at));
}
