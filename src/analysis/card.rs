//! Hover cards: what the sources say about an entity, as short Markdown a
//! writer can scan — who it is (with the line that says so), other names,
//! which sources mention it, what it is quoted saying, links to the lines.
//! Every piece of source text is escaped so it renders as plain text.

use std::fmt::Write;

use crate::corpus::ties::{contains_word, Tie};
use crate::corpus::{Corpus, DocId, Entity, EntityId, EntityKind, Mention, SpeakerRef};

/// Where a card's links point: a URI for a document at a 1-based line.
pub trait Links {
    fn link(&self, corpus: &Corpus, doc: DocId, line: usize) -> Option<String>;
}

/// Links to files on disk by path; embedded documents get no link.
pub struct FileLinks;

impl Links for FileLinks {
    fn link(&self, corpus: &Corpus, doc: DocId, line: usize) -> Option<String> {
        let d = corpus.documents.get(doc)?;
        if d.embedded {
            return None;
        }
        let path = std::fs::canonicalize(&d.path).ok()?;
        Some(format!("{}#L{line}", file_uri(&path)))
    }
}

/// A `file://` URI for an absolute path, percent-encoding what must be.
pub fn file_uri(path: &std::path::Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// Escape text taken from a source so Markdown renders it literally: no
/// links, images, HTML, code spans, emphasis or headings can be injected.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '|' | '~' | '{' | '}'
            | '+' | '-' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    // Bare URIs such as `command:` or `https:` lose their colon's power.
    out.replace("://", ":\u{200B}//")
        .replace("command:", "command\u{200B}:")
}

/// Shorten to at most `max` characters on a word boundary, with an ellipsis.
pub fn shorten(whole: &str, max: usize) -> String {
    // White space made single spaces, stopping once past `max` characters
    // (a passage can be long and only its start is shown).
    let mut text = String::new();
    let mut chars = 0;
    for word in whole.split_whitespace() {
        if !text.is_empty() {
            text.push(' ');
            chars += 1;
        }
        text.push_str(word);
        chars += word.chars().count();
        if chars > max {
            break;
        }
    }
    if chars <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut[..],
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// A short citation: "title (doc-id:line)".
fn cite(corpus: &Corpus, doc: DocId, line: usize) -> String {
    let d = &corpus.documents[doc];
    match &d.title {
        Some(t) if !t.is_empty() => {
            format!("*{}* ({}:{line})", escape_markdown(&shorten(t, 48)), d.id)
        }
        _ => format!("({}:{line})", d.id),
    }
}

/// The short form of a document id used inside a card ("000" for
/// "000_a1fd…"), falling back to the whole id.
fn short_id(id: &str) -> &str {
    match id.split_once('_') {
        Some((head, _)) if !head.is_empty() && head.len() <= 8 => head,
        _ => id,
    }
}

/// The hover card for an entity.
pub fn entity_card(corpus: &Corpus, entity: EntityId, links: &dyn Links) -> String {
    let e = &corpus.entities[entity];
    let mut out = String::new();
    // A blank line after the heading: editors render a single line break
    // as a space, which would run the name into the first role.
    let _ = writeln!(
        out,
        "**{}** · {}\n",
        escape_markdown(&e.name),
        e.kind.as_str()
    );
    for role in e.roles.iter().take(3) {
        let line = corpus.documents[role.span.doc].line_of(role.span.range.start);
        let _ = writeln!(
            out,
            "{} — {}  ",
            escape_markdown(&role.text),
            cite(corpus, role.span.doc, line)
        );
    }
    if !e.roles.is_empty() {
        out.push('\n');
    }

    let docs = e.documents();
    let total = corpus.documents.len();
    let mut line = if docs.len() == 1 {
        format!("Mentioned in 1 of {total} sources")
    } else {
        format!("Mentioned in {} of {total} sources", docs.len())
    };
    let listed: Vec<String> = docs
        .iter()
        .take(5)
        .map(|&d| short_id(&corpus.documents[d].id).to_string())
        .collect();
    if !listed.is_empty() {
        let _ = write!(
            line,
            " ({}{})",
            listed.join(", "),
            if docs.len() > 5 { ", …" } else { "" }
        );
    }
    if !e.aliases.is_empty() {
        let aliases: Vec<String> = e
            .aliases
            .iter()
            .take(6)
            .map(|a| escape_markdown(a))
            .collect();
        let _ = write!(line, " · also: {}", aliases.join(", "));
    }
    if e.only_in_boilerplate() {
        line.push_str(" · only in page furniture (sign-ups, related links)");
    }
    let _ = writeln!(out, "{line}");

    if matches!(e.kind, EntityKind::Agency | EntityKind::Outlet) {
        let tied = tied_people(corpus, e);
        if !tied.is_empty() {
            let _ = writeln!(
                out,
                "\nPeople tied to it in the sources: {}",
                tied.join(", ")
            );
        }
    }

    // Up to three short quotes, each once, each linked to its line.
    // Quotes of four words or more say what the person said; two-word
    // scare quotes ("a disgrace") come only when there is nothing else.
    let long = |q: &&crate::corpus::Quote| q.text.split_whitespace().nth(3).is_some();
    let by = corpus
        .quotes_by(entity)
        .filter(long)
        .chain(corpus.quotes_by(entity).filter(|q| !long(q)));
    let mut quotes: Vec<&crate::corpus::Quote> = Vec::new();
    for q in by {
        if !quotes.iter().any(|seen| seen.text == q.text) {
            quotes.push(q);
        }
        if quotes.len() == 3 {
            break;
        }
    }
    if !quotes.is_empty() {
        out.push('\n');
        for q in quotes {
            let d = &corpus.documents[q.span.doc];
            let line = d.line_of(q.span.range.start);
            let place = format!("{}:{line}", short_id(&d.id));
            let place = match links.link(corpus, q.span.doc, line) {
                Some(uri) => format!("[{place}]({uri})"),
                None => place,
            };
            let _ = writeln!(
                out,
                "> “{}” — {place}  ",
                escape_markdown(&shorten(&q.text, 140)),
            );
        }
    }

    if let Some(first) = e.roles.first().map(|r| r.span.clone()).or_else(|| {
        e.mentions
            .iter()
            .find(|m| !m.boilerplate)
            .map(Mention::span)
    }) {
        let line = corpus.documents[first.doc].line_of(first.range.start);
        if let Some(uri) = links.link(corpus, first.doc, line) {
            let _ = writeln!(out, "\n[Open source]({uri})");
        }
    }
    out.trim_end().to_string()
}

/// People the sources describe by their tie to an organisation without
/// naming them ("a former <org> operative"), and named people whose role
/// names it, each with its line.
fn tied_people(corpus: &Corpus, e: &Entity) -> Vec<String> {
    // The card shows this many; once they are found the rest is not read
    // (an agency of a large archive has tens of thousands of mentions).
    const SHOWN: usize = 5;
    let mut out = Vec::new();
    let names: Vec<&str> = std::iter::once(e.name.as_str())
        .chain(e.aliases.iter().map(String::as_str))
        .collect();
    // Only the speakers and roles holding one of the names' words are
    // looked at; they come in corpus order, speakers before roles.
    let ties = corpus.ties();
    let candidates = ties.candidates(names.iter().copied());
    for tie in &candidates {
        let Tie::Speaker(i) = *tie else { continue };
        let q = &corpus.quotes[i];
        if let Some(SpeakerRef::Descriptive(who)) = &q.speaker {
            if names.iter().any(|n| contains_word(who, n)) {
                let d = &corpus.documents[q.span.doc];
                out.push(format!(
                    "{} ({}:{})",
                    escape_markdown(who),
                    short_id(&d.id),
                    d.line_of(q.span.range.start)
                ));
                if out.len() == SHOWN {
                    return out;
                }
            }
        }
    }
    // Unnamed people described through it, found when the corpus was
    // built: no article is read here.
    for who in &e.described {
        let d = &corpus.documents[who.span.doc];
        let phrase = escape_markdown(&who.text);
        if !out.iter().any(|o| o.starts_with(&phrase)) {
            out.push(format!(
                "{phrase} ({}:{})",
                short_id(&d.id),
                d.line_of(who.span.range.start)
            ));
            if out.len() == SHOWN {
                return out;
            }
        }
    }
    // Each person once, with the first of their roles that names it.
    let mut last_person = None;
    for tie in &candidates {
        let Tie::Role { person, role } = *tie else {
            continue;
        };
        if last_person == Some(person) {
            continue;
        }
        let role = &corpus.entities[person].roles[role];
        if names.iter().any(|n| contains_word(&role.text, n)) {
            last_person = Some(person);
            let d = &corpus.documents[role.span.doc];
            out.push(format!(
                "{}, {} ({}:{})",
                escape_markdown(&corpus.entities[person].name),
                escape_markdown(&role.text),
                short_id(&d.id),
                d.line_of(role.span.range.start)
            ));
            if out.len() == SHOWN {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_defuses_links_html_and_commands() {
        let s = escape_markdown("[click](command:rm) <img src=x> `code` **bold**");
        assert!(!s.contains("]("), "{s}");
        assert!(!s.contains('<'), "{s}");
        assert!(!s.contains("command:"), "{s}");
        assert!(s.contains("\\`code\\`"), "{s}");
    }

    #[test]
    fn shorten_cuts_on_a_word() {
        assert_eq!(shorten("one two three four", 9), "one two…");
        assert_eq!(shorten("short", 9), "short");
        assert_eq!(shorten("Zürich’s 👩‍💻 harbour", 100), "Zürich’s 👩‍💻 harbour");
    }
}
