//! Hover cards and messages show source text as plain text: Markdown links
//! and images, raw HTML, `command:` URIs, backticks and very long lines in
//! a source cannot become live links, markup or code in a card.

use dossier::analysis::backend::DossierBackend;
use dossier::corpus::source::{Loaded, SourceFile};
use dossier::corpus::{Corpus, LineMap};
use dossier::server::Backend;

/// A source whose sentences carry every kind of injection next to an
/// ordinary, quotable person.
fn hostile_source() -> String {
    let long = "very ".repeat(3000);
    format!(
        "Harbour closes [click](command:workbench.action.terminal.new) ![x](https://evil.example/p.png)\n\n\
         Director Anna Kowalczyk of the Ministry of Fisheries said the closure was “a painful [step](command:rm -rf) for the <img src=x onerror=alert(1)> fleet `rm` <script>alert(2)</script>”.\n\
         Kowalczyk added: “Visit https://evil.example and command:evil.run now, it is {long}important”.\n\
         Kowalczyk, the director <b>bold</b> **strong** # heading | table | ~~gone~~, spoke.\n"
    )
}

fn backend(text: &str) -> (tempfile::TempDir, DossierBackend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = DossierBackend::with_seed_dir(dir.path());
    let path = dir.path().join("hostile.txt");
    std::fs::write(&path, text).expect("write");
    backend.install(Corpus::build(Loaded {
        files: vec![SourceFile {
            id: "hostile".into(),
            path,
            embedded: false,
            text: text.into(),
            line_map: LineMap::identity(text),
        }],
        ..Loaded::default()
    }));
    (dir, backend)
}

/// What a Markdown renderer could turn into something live.
fn assert_plain(markdown: &str) {
    // The card's own links go to files only.
    for (at, _) in markdown.match_indices("](") {
        let target = &markdown[at + 2..];
        assert!(
            target.starts_with("file://"),
            "a link to {:?} in {markdown}",
            &target[..target.len().min(40)]
        );
    }
    for bad in [
        "<img",
        "<script",
        "<b>",
        "command:",
        "https://evil",
        "![",
        "~~",
    ] {
        assert!(!markdown.contains(bad), "{bad:?} in {markdown}");
    }
    // Every backtick from the source is escaped.
    let bytes = markdown.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'`' {
            assert!(
                i > 0 && bytes[i - 1] == b'\\',
                "bare backtick in {markdown}"
            );
        }
    }
    // No line of the card runs on for pages.
    for line in markdown.lines() {
        assert!(
            line.chars().count() <= 600,
            "a {}-character line",
            line.chars().count()
        );
    }
    assert!(markdown.len() < 8000, "a {}-byte card", markdown.len());
}

#[test]
fn person_card_from_a_hostile_source_is_plain_text() {
    let (_dir, backend) = backend(&hostile_source());
    let draft = "Anna Kowalczyk said the closure was “a painful step”.";
    let card = backend.hover(draft, 3).expect("a card for the person");
    assert!(card.markdown.contains("Kowalczyk"), "{}", card.markdown);
    assert_plain(&card.markdown);
}

#[test]
fn quote_cards_from_a_hostile_source_are_plain_text() {
    let source = hostile_source();
    let (_dir, backend) = backend(&source);
    // Found, near and missing quotations each get a card.
    for quote in [
        "a painful [step](command:rm -rf) for the <img src=x onerror=alert(1)> fleet `rm` <script>alert(2)</script>",
        "a painful step for the fleet rm",
        "Visit https://evil.example and command:evil.run now",
    ] {
        let draft = format!("Anna Kowalczyk said “{quote}”.");
        let at = draft.find('“').expect("quote") + "“".len() + 2;
        if let Some(card) = backend.hover(&draft, at) {
            assert_plain(&card.markdown);
        }
        for finding in backend.check(&draft, "markdown") {
            // Messages are plain text in LSP; they must still be one
            // readable line, not pages of source.
            assert!(finding.message.len() < 2000, "{}", finding.message);
            for related in &finding.related {
                assert!(related.message.len() < 2000, "{}", related.message);
            }
        }
    }
}

#[test]
fn escaping_keeps_the_words() {
    use dossier::analysis::card::escape_markdown;
    let text = "Zoë’s [link](command:x) `code` <b>ok</b> 🐟 *a* _b_ #1 | ~x~ https://a.example";
    let escaped = escape_markdown(text);
    assert_plain(&escaped);
    // What a reader sees is the same words.
    let seen: String = escaped
        .replace('\\', "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace('\u{200B}', "");
    assert_eq!(seen, text);
}
