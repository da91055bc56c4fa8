//! Source suggestions for unsourced claims, measured: a draft built from
//! seed sentences with their attribution removed ("…, says The Guardian",
//! "…, Lieberman told Army Radio" cut away) must get, for at least 80% of
//! those claims, a suggestion pointing at the seed each came from.

use dossier::analysis::checks::{self, CheckOptions};
use dossier::analysis::draft::Draft;
use dossier::corpus::{Corpus, CorpusOptions};

/// Each stripped claim, with the seed it was taken from.
const STRIPPED: &[(&str, &str)] = &[
    ("Trump has declared war on his intelligence agencies, while the leaks reflect uneasiness in the intelligence community about the President.", "000_a1fd89958486c03c"),
    ("The shaky detente between Trump and the intelligence agencies broke down last month after he wrongly accused them of leaking the dodgy Russia dossier.", "000_a1fd89958486c03c"),
    ("The intelligence agencies face an existential crisis prompted by the imminent prospect of serving someone for whom the truth is irrelevant.", "000_a1fd89958486c03c"),
    ("Trump likened the intelligence agencies to Nazi Germany last month.", "000_a1fd89958486c03c"),
    ("Foreign intelligence agencies are wary of sharing classified data with the administration of Donald Trump, considering it unreliable in storing information.", "001_c4e7ceec06d85ba9"),
    ("Britain’s foreign intelligence service MI6 was cautious during Trump’s first term about what information from secret projects to share with him.", "001_c4e7ceec06d85ba9"),
    ("The CIA sent an unclassified email with a list of the names and initials of recently hired analysts to the personnel department.", "001_c4e7ceec06d85ba9"),
    ("The CIA dismissed the allegations as unfounded on Friday.", "001_c4e7ceec06d85ba9"),
    ("U.K. authorities were furious with their U.S. intelligence counterparts after classified pictures of the Manchester bombing crime scene appeared in The New York Times.", "002_35bd95cedf487386"),
    ("The Manchester Police stopped sharing intelligence on the bombing with U.S. agencies until assurances could be made that the leaks would stop.", "002_35bd95cedf487386"),
    ("The New York Times leak damaged the U.K.-U.S. intelligence relationship.", "002_35bd95cedf487386"),
    ("Israel underwent a pinpoint correction in its intelligence relationship with the U.S. last week.", "002_35bd95cedf487386"),
    ("The plot was highly sensitive intelligence given to the U.S. by Israel, and Israel did not authorize anyone to share it.", "002_35bd95cedf487386"),
    ("Trump has repeatedly opposed the use of foreign intelligence from covert sources, including overseas spies who provide crucial information about hostile countries.", "003_6f5cfd9434295cfe"),
    ("The United States in 2017 removed one of its highest-level covert sources inside the Russian government.", "003_6f5cfd9434295cfe"),
    ("The extraction was driven in part by concerns that Trump and his administration repeatedly mishandled classified intelligence.", "003_6f5cfd9434295cfe"),
    ("Israel had shared specific intelligence with the US regarding ISIS plots to smuggle explosive laptops onto planes.", "004_6937bedc17dac110"),
    ("Trump did not reveal the source of the intelligence during his meeting last week with Russian Foreign Minister Sergey Lavrov.", "004_6937bedc17dac110"),
    ("The US has passed on Israel’s intelligence in the past to other friendly nations, always in a coordinated manner.", "004_6937bedc17dac110"),
];

#[test]
fn stripped_seed_claims_are_traced_back_to_their_seed() {
    let corpus = Corpus::load(&CorpusOptions::default());
    // One claim per paragraph, CRLF line ends, as a writer's draft.
    let text: String = std::iter::once("# Intelligence rift\r\n\r\n".to_string())
        .chain(STRIPPED.iter().map(|(claim, _)| format!("{claim}\r\n\r\n")))
        .collect();
    let draft = Draft::read(&text, true, &corpus);
    let found = checks::run(&corpus, &draft, &CheckOptions::default());
    let mut traced = 0;
    for (claim, seed) in STRIPPED {
        let start = text.find(claim).expect("claim in draft");
        let finding = found
            .iter()
            .find(|c| c.finding.code == "unsourced-claim" && c.finding.range.start == start);
        let Some(c) = finding else {
            println!("NOT FLAGGED  {claim}");
            continue;
        };
        let points_home = c.finding.message.contains(&format!("({seed}:"))
            && c.finding.related.iter().any(|r| {
                r.target
                    .file
                    .as_ref()
                    .is_some_and(|f| f.to_string_lossy().contains(seed))
            })
            && c.fixes.iter().any(|f| f.title.starts_with("Attribute to"))
            && c.fixes.iter().any(|f| f.title == "Link the source");
        if points_home {
            traced += 1;
        } else {
            println!("MISSED       {claim}\n             → {}", c.finding.message);
        }
    }
    let share = traced as f64 / STRIPPED.len() as f64;
    println!(
        "source suggestions: {traced} of {} stripped claims point at their seed ({:.0}%)",
        STRIPPED.len(),
        share * 100.0
    );
    assert!(share >= 0.8, "only {traced} of {} traced", STRIPPED.len());
}

#[test]
fn a_claim_no_source_backs_says_so() {
    let corpus = Corpus::load(&CorpusOptions::default());
    let text = "The harbour master of Gdańsk closed the northern quay to 40 trawlers on Monday.\n";
    let draft = Draft::read(text, true, &corpus);
    let found = checks::run(&corpus, &draft, &CheckOptions::default());
    let c = found
        .iter()
        .find(|c| c.finding.code == "unsourced-claim")
        .expect("flagged");
    assert!(
        c.finding
            .message
            .ends_with("nothing in the sources supports it"),
        "{}",
        c.finding.message
    );
    assert!(c.fixes.is_empty());
}
