//! Where a loaded corpus's memory goes: approximate heap bytes of each part.
//!
//! ```text
//! cargo run --release --example mem_breakdown -- DIR CACHE
//! ```
use std::path::PathBuf;

use dossier::corpus::source::LoadOptions;
use dossier::corpus::{Corpus, CorpusOptions};

fn mb(b: usize) -> String {
    format!("{:8.1} MB", b as f64 / 1e6)
}

fn main() {
    dossier::tune_memory();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = CorpusOptions {
        folders: vec![PathBuf::from(&args[0])],
        include_embedded: false,
        load: LoadOptions::default(),
        cache: Some(PathBuf::from(&args[1])),
    };
    let corpus = Corpus::load(&options);
    let d = &corpus.documents;
    let text: usize = d
        .iter()
        .filter(|d| d.text.is_resident())
        .map(|d| d.text.len())
        .sum();
    let sentences: usize = d
        .iter()
        .map(|d| d.sentences.capacity() * std::mem::size_of::<dossier::corpus::Sentence>())
        .sum();
    let lines: usize = d.iter().map(|d| d.line_map.heap_bytes()).sum();
    let meta: usize = d
        .iter()
        .map(|d| {
            d.id.capacity()
                + d.path.as_os_str().len()
                + [&d.title, &d.byline, &d.date, &d.outlet]
                    .iter()
                    .map(|s| s.as_ref().map_or(0, |s| s.capacity()))
                    .sum::<usize>()
        })
        .sum();
    let e = &corpus.entities;
    let mentions: usize = e
        .iter()
        .map(|e| e.mentions.capacity() * std::mem::size_of::<dossier::corpus::Mention>())
        .sum();
    let nmentions: usize = e.iter().map(|e| e.mentions.len()).sum();
    let roles: usize = e
        .iter()
        .map(|e| e.roles.capacity() * 48 + e.roles.iter().map(|r| r.text.capacity()).sum::<usize>())
        .sum();
    let names: usize = e
        .iter()
        .map(|e| {
            e.id.capacity()
                + e.name.capacity()
                + e.aliases.capacity() * 24
                + e.aliases.iter().map(|a| a.capacity()).sum::<usize>()
        })
        .sum();
    let q = &corpus.quotes;
    let quotes: usize = q
        .iter()
        .map(|q| 120 + q.text.capacity() + q.speaker_name.as_ref().map_or(0, |s| s.capacity()))
        .sum();
    println!(
        "documents {}  ({} docs, {} sentences)",
        d.len(),
        d.len(),
        d.iter().map(|d| d.sentences.len()).sum::<usize>()
    );
    println!(
        "  text        {}  resident ({} of {} documents)",
        mb(text),
        d.iter().filter(|d| d.text.is_resident()).count(),
        d.len()
    );
    println!("  sentences   {}", mb(sentences));
    println!("  line maps   {}", mb(lines));
    println!("  meta        {}", mb(meta));
    println!(
        "  structs     {}",
        mb(d.capacity() * std::mem::size_of::<dossier::corpus::model::Document>())
    );
    println!("entities {} ({} mentions)", e.len(), nmentions);
    println!("  mentions    {}", mb(mentions));
    println!("  roles       {}", mb(roles));
    println!("  names       {}", mb(names));
    println!(
        "  structs     {}",
        mb(e.capacity() * std::mem::size_of::<dossier::corpus::model::Entity>())
    );
    println!("quotes {}     {}", q.len(), mb(quotes));
    println!("quote index   {}", mb(corpus.quote_index.heap_bytes()));
    println!("passages      {}", mb(corpus.passages.heap_bytes()));
    println!("names         {:?}", corpus.names);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    for l in status.lines().filter(|l| {
        l.starts_with("VmRSS")
            || l.starts_with("VmHWM")
            || l.starts_with("RssFile")
            || l.starts_with("RssAnon")
    }) {
        println!("{l}");
    }
}
