//! Hover cards for seed people and agencies, as a writer sees them:
//! snapshots (expect-test) of the Markdown, so any change to what a card
//! says shows up in review. `UPDATE_EXPECT=1 cargo test --test cards_seeds`
//! rewrites them after an intended change.

use std::sync::LazyLock;

use dossier::analysis::card::{entity_card, FileLinks};
use dossier::corpus::{Corpus, CorpusOptions};
use expect_test::{expect, Expect};

static SEEDS: LazyLock<Corpus> = LazyLock::new(|| Corpus::load(&CorpusOptions::default()));

fn check(name: &str, expected: Expect) {
    let e = SEEDS
        .find_entity(name)
        .unwrap_or_else(|| panic!("{name} not in the seeds"));
    // The embedded seeds have no file on disk here, so the card has no
    // "Open source" link; the language server adds one (tests/lsp_features).
    expected.assert_eq(&entity_card(&SEEDS, e, &FileLinks));
}

#[test]
fn card_for_a_person_with_a_long_role_and_a_quote() {
    check(
        "Shashank Joshi",
        expect![[r#"
        **Shashank Joshi** · person

        Senior Fellow at the Royal United Services Institute for Defence and Security Studies — *It’s Security Services, Not The White House…* (002_35bd95cedf487386:11)  

        Mentioned in 1 of 5 sources (002) · also: Joshi

        > “damage assessment” — 002:11"#]],
    );
}

#[test]
fn card_for_a_press_secretary_with_quotes() {
    check(
        "Sean Spicer",
        expect![[r#"
        **Sean Spicer** · person

        White House Press Secretary — *Trump sharing intelligence with Russia* (004_6937bedc17dac110:8)  

        Mentioned in 1 of 5 sources (004) · also: Spicer

        > “The president can always discuss common threats or common issues with host nations — excuse me — with other heads of government or other…” — 004:8  
        > “We appreciate the relationship that we have with Israel and appreciate the exchange of information that we have with them.” — 004:8  
        > “It would be impossible for the President to reveal the source of the information because, as General McMaster made very clear as he was…” — 004:14"#]],
    );
}

#[test]
fn card_for_an_agency_lists_people_tied_to_it() {
    check(
        "MI6",
        expect![[r#"
        **MI6** · agency

        Mentioned in 2 of 5 sources (000, 001)

        People tied to it in the sources: a former MI6 operative (000:17), A former senior official at Britainʼs foreign intelligence service MI6 (001:21)"#]],
    );
}

#[test]
fn card_found_by_surname() {
    check(
        "Lieberman",
        expect![[r#"
        **Avigdor Lieberman** · person

        Israeli Defense Minister — *It’s Security Services, Not The White House…* (002_35bd95cedf487386:23)  

        Mentioned in 1 of 5 sources (002) · also: Lieberman

        > “everything that needed to be clarified with the friends in the U.S. was done.” — 002:23  
        > “All of the conclusions we had to draw – it was all done.” — 002:23  
        > “pinpoint correction” — 002:23"#]],
    );
}
