//! The knowledge base built from the embedded seed corpus, checked against
//! our own reading of the five articles: entities with the right kind, the
//! roles the articles state, and quotes with the right speaker.

use std::sync::LazyLock;

use dossier::corpus::{Corpus, CorpusOptions, EntityKind, SpeakerRef};

static SEEDS: LazyLock<Corpus> = LazyLock::new(|| Corpus::load(&CorpusOptions::default()));

fn kind_of(name: &str) -> Option<EntityKind> {
    SEEDS.find_entity(name).map(|e| SEEDS.entities[e].kind)
}

#[test]
fn embedded_corpus_loads_the_five_seeds() {
    let ids: Vec<&str> = SEEDS.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "000_a1fd89958486c03c",
            "001_c4e7ceec06d85ba9",
            "002_35bd95cedf487386",
            "003_6f5cfd9434295cfe",
            "004_6937bedc17dac110"
        ]
    );
    assert!(SEEDS.skipped.is_empty());
}

#[test]
fn at_least_thirty_entities_have_the_right_kind() {
    use EntityKind::*;
    let expected = [
        ("Donald Trump", Person),
        ("Michael Flynn", Person),
        ("Eliot Cohen", Person),
        ("Glenn Carle", Person),
        ("John Ratcliffe", Person),
        ("Tulsi Gabbard", Person),
        ("Liz Lyons", Person),
        ("Oleksandra Opanasenko", Person),
        ("Saagar Enjeti", Person),
        ("Shashank Joshi", Person),
        ("Amber Rudd", Person),
        ("Theresa May", Person),
        ("Avigdor Lieberman", Person),
        ("Sergey Lavrov", Person),
        ("Vladimir Putin", Person),
        ("Dmitry Peskov", Person),
        ("Sean Spicer", Person),
        ("Benjamin Netanyahu", Person),
        ("CIA", Agency),
        ("MI6", Agency),
        ("Justice Department", Agency),
        ("State Department", Agency),
        ("Manchester Police", Agency),
        (
            "Royal United Services Institute for Defence and Security Studies",
            Agency,
        ),
        ("Ministry of Defense", Agency),
        ("Politico", Outlet),
        ("CNN", Outlet),
        ("New York Times", Outlet),
        ("Washington Post", Outlet),
        ("Daily Telegraph", Outlet),
        ("Guardian", Outlet),
        ("Russia", Place),
        ("Israel", Place),
        ("London", Place),
    ];
    let mut wrong = Vec::new();
    for (name, kind) in expected {
        let got = kind_of(name);
        if got != Some(kind) {
            wrong.push(format!("{name}: expected {kind:?}, got {got:?}"));
        }
    }
    assert!(
        wrong.len() <= 2,
        "{} of {} entities wrong:\n{}",
        wrong.len(),
        expected.len(),
        wrong.join("\n")
    );
}

#[test]
fn full_names_and_surnames_are_one_entity() {
    let trump = SEEDS.find_entity("Donald Trump").expect("Trump found");
    assert_eq!(SEEDS.find_entity("Trump"), Some(trump));
    let ratcliffe = SEEDS
        .find_entity("John Ratcliffe")
        .expect("Ratcliffe found");
    assert_eq!(SEEDS.find_entity("Ratcliffe"), Some(ratcliffe));
    // "TheNYT" and "The New York Times" in 002 and the NYT acronym.
    let nyt = SEEDS.find_entity("New York Times").expect("NYT found");
    assert!(!SEEDS.entities[nyt].documents().is_empty());
    // "U.S." and "US" are the same place.
    assert_eq!(SEEDS.find_entity("U.S."), SEEDS.find_entity("US"));
    // Trump is mentioned in every article.
    assert_eq!(SEEDS.entities[trump].documents().len(), 5);
}

fn roles_of(name: &str) -> Vec<(String, String, usize)> {
    let e = SEEDS
        .find_entity(name)
        .unwrap_or_else(|| panic!("{name} not found"));
    SEEDS.entities[e]
        .roles
        .iter()
        .map(|r| {
            let d = &SEEDS.documents[r.span.doc];
            (r.text.clone(), d.id.clone(), d.line_of(r.span.range.start))
        })
        .collect()
}

#[track_caller]
fn assert_role(name: &str, role: &str, doc: &str, line: usize) {
    let roles = roles_of(name);
    assert!(
        roles
            .iter()
            .any(|(t, d, l)| t == role && d.starts_with(doc) && *l == line),
        "{name}: expected role {role:?} at {doc}:{line}, got {roles:?}"
    );
}

#[test]
fn roles_are_read_with_their_line() {
    assert_role("Sean Spicer", "White House Press Secretary", "004", 8);
    assert_role("John Ratcliffe", "CIA Director", "001", 23);
    assert_role(
        "Tulsi Gabbard",
        "Director of National Intelligence",
        "001",
        23,
    );
    assert_role("Liz Lyons", "CIA spokeswoman", "001", 25);
    assert_role("Amber Rudd", "U.K. Home Secretary", "002", 13);
    assert_role("Theresa May", "U.K. Prime Minister", "002", 15);
    assert_role("Avigdor Lieberman", "Israeli Defense Minister", "002", 23);
    assert_role(
        "Shashank Joshi",
        "Senior Fellow at the Royal United Services Institute for Defence and Security Studies",
        "002",
        11,
    );
    assert_role("Dmitry Peskov", "Kremlin spokesperson", "003", 6);
    assert_role("Vladimir Putin", "Russian President", "003", 6);
    assert_role("Sergey Lavrov", "Russian Foreign Minister", "004", 14);
    assert_role("Glenn Carle", "retired CIA officer", "000", 18);
    assert_role(
        "Eliot Cohen",
        "counsellor at the State Department under George W Bush",
        "000",
        15,
    );
    assert_role("Saagar Enjeti", "White House Correspondent", "002", 6);
}

/// `(start of the quote, expected speaker)`: an entity's name, or the
/// descriptive words the text uses for an unnamed speaker.
const QUOTES: &[(&str, &str)] = &[
    (
        "declared war on his intelligence agencies",
        "Daily Telegraph",
    ),
    ("All administrations leak", "Eliot Cohen"),
    ("But what surprises me here", "Eliot Cohen"),
    ("existential crisis", "Glenn Carle"),
    ("someone for whom the truth", "Glenn Carle"),
    (
        "You can’t just stop it",
        "an unnamed Northern European defense official",
    ),
    ("unfounded", "Liz Lyons"),
    ("incredibly seriously", "Liz Lyons"),
    ("far from hypothetical", "Politico"),
    ("damage assessment", "Shashank Joshi"),
    ("irritating.", "Amber Rudd"),
    ("I will make clear to President Trump", "Theresa May"),
    ("pinpoint correction", "Avigdor Lieberman"),
    (
        "everything that needed to be clarified",
        "Avigdor Lieberman",
    ),
    ("All of the conclusions we had to draw", "Avigdor Lieberman"),
    (
        "believes we shouldn't be doing that",
        "one former Trump administration official",
    ),
    (
        "believes they're people who are selling",
        "Another former senior intelligence official",
    ),
    ("wouldn't let that happen", "Donald Trump"),
    (
        "All these arguments about who urgently extracted",
        "Dmitry Peskov",
    ),
    ("We have an arrangement with America", "the officer"),
    ("The president can always discuss", "Sean Spicer"),
    ("We appreciate the relationship", "Sean Spicer"),
    ("There has to be trust", "the intelligence officer"),
    (
        "There are situations where this is necessary",
        "Ministry of Defense",
    ),
    ("It would be impossible for the President", "Sean Spicer"),
    (
        "highly unusual and highly inappropriate",
        "Israeli officials",
    ),
];

fn speaker_of(quote_start: &str) -> Option<String> {
    let q = SEEDS
        .quotes
        .iter()
        .find(|q| q.text.starts_with(quote_start))?;
    Some(match &q.speaker {
        Some(SpeakerRef::Entity(e)) => SEEDS.entities[*e].name.clone(),
        Some(SpeakerRef::Descriptive(d)) => d.clone(),
        None => "(no speaker)".to_string(),
    })
}

#[test]
fn quotes_have_the_right_speaker() {
    let mut wrong = Vec::new();
    for (quote, speaker) in QUOTES {
        let got = speaker_of(quote);
        let ok = got
            .as_deref()
            .is_some_and(|g| g.eq_ignore_ascii_case(speaker) || g.ends_with(speaker));
        if !ok {
            wrong.push(format!("{quote:?}: expected {speaker:?}, got {got:?}"));
        }
    }
    assert!(
        wrong.len() <= 2,
        "{} of {} quotes wrong:\n{}",
        wrong.len(),
        QUOTES.len(),
        wrong.join("\n")
    );
    let attributed = SEEDS.quotes.iter().filter(|q| q.speaker.is_some()).count();
    assert!(attributed >= 30, "only {attributed} quotes with a speaker");
}

#[test]
fn boilerplate_entities_are_kept_but_never_quoted_on_a_card() {
    // The related-headlines block at the end of 000 names people the article
    // itself never does; they are kept, marked as page furniture.
    let musk = SEEDS.find_entity("Elon Musk").expect("kept");
    assert!(SEEDS.entities[musk].only_in_boilerplate());
    assert_eq!(SEEDS.quotes_by(musk).count(), 0);
}

#[test]
fn json_interface_has_the_documented_shape() {
    let v = SEEDS.to_json();
    let doc = &v["documents"][1];
    assert_eq!(doc["id"], "001_c4e7ceec06d85ba9");
    assert!(doc["path"]
        .as_str()
        .unwrap()
        .ends_with("001_c4e7ceec06d85ba9.txt"));
    let spicer = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Sean Spicer")
        .expect("Spicer in JSON");
    assert_eq!(spicer["kind"], "person");
    assert_eq!(spicer["roles"][0]["document"], "004_6937bedc17dac110");
    assert_eq!(spicer["roles"][0]["line"], 8);
    assert!(spicer["mention_count"].as_u64().unwrap() >= 2);
    // Quote offsets point at the quoted words in the file itself.
    let q = v["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| {
            q["text"]
                .as_str()
                .unwrap()
                .starts_with("You can’t just stop it")
        })
        .expect("quote in JSON");
    let file = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/001_c4e7ceec06d85ba9.txt"),
    )
    .unwrap();
    let (s, e) = (
        q["start"].as_u64().unwrap() as usize,
        q["end"].as_u64().unwrap() as usize,
    );
    assert!(file[s..e].starts_with("You can’t just stop it"));
    assert_eq!(q["line"], 15);
    assert!(q["speaker"].is_null());
}
