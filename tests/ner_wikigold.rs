//! Measures the name recognizer on WikiGold (145 hand-annotated Wikipedia
//! articles, CoNLL format): precision, recall and F1 for people (PER) and
//! organisations (ORG = agency or outlet), exact spans. Fails when a figure
//! drops below the floor measured when the recognizer was tuned.
//! Set NER_DUMP=<file> to write the misses and false alarms for study.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use dossier::corpus::model::EntityKind;
use dossier::corpus::names::find_names;

/// Floors: measured figures minus 0.01.
const FLOORS: [(&str, f64, f64, f64); 2] = [
    // (class, precision, recall, f1)
    ("PER", 0.759, 0.824, 0.790),
    ("ORG", 0.607, 0.369, 0.459),
];

struct Doc {
    text: String,
    sentences: Vec<Range<usize>>,
    per: HashSet<Range<usize>>,
    org: HashSet<Range<usize>>,
}

/// Rebuild each document's text (tokens joined by spaces, one sentence a
/// line) with its gold PER and ORG spans in byte offsets.
fn parse(data: &str) -> Vec<Doc> {
    let mut docs = Vec::new();
    let mut cur = Doc {
        text: String::new(),
        sentences: Vec::new(),
        per: HashSet::new(),
        org: HashSet::new(),
    };
    let mut sent_start: Option<usize> = None;
    // open gold span: (class, start, end)
    let mut open: Option<(String, usize, usize)> = None;
    fn close(open: &mut Option<(String, usize, usize)>, doc: &mut Doc) {
        if let Some((class, s, e)) = open.take() {
            match class.as_str() {
                "PER" => {
                    doc.per.insert(s..e);
                }
                "ORG" => {
                    doc.org.insert(s..e);
                }
                _ => {}
            }
        }
    }
    for line in data.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with("-DOCSTART-") {
            close(&mut open, &mut cur);
            if let Some(s) = sent_start.take() {
                cur.sentences.push(s..cur.text.len());
            }
            if !cur.text.is_empty() {
                let done = std::mem::replace(
                    &mut cur,
                    Doc {
                        text: String::new(),
                        sentences: Vec::new(),
                        per: HashSet::new(),
                        org: HashSet::new(),
                    },
                );
                docs.push(done);
            }
            continue;
        }
        if line.trim().is_empty() {
            close(&mut open, &mut cur);
            if let Some(s) = sent_start.take() {
                cur.sentences.push(s..cur.text.len());
            }
            continue;
        }
        let mut parts = line.rsplitn(2, ' ');
        let tag = parts.next().unwrap_or("O");
        let token = parts.next().unwrap_or("");
        if sent_start.is_none() {
            if !cur.text.is_empty() {
                cur.text.push('\n');
            }
            sent_start = Some(cur.text.len());
        } else {
            cur.text.push(' ');
        }
        let start = cur.text.len();
        cur.text.push_str(token);
        let end = cur.text.len();
        let (bio, class) = tag.split_once('-').unwrap_or(("O", ""));
        let continues = matches!(&open, Some((c, _, _)) if c == class) && bio == "I";
        if continues {
            if let Some(o) = open.as_mut() {
                o.2 = end;
            }
        } else {
            close(&mut open, &mut cur);
            if bio != "O" {
                open = Some((class.to_string(), start, end));
            }
        }
    }
    close(&mut open, &mut cur);
    if let Some(s) = sent_start.take() {
        cur.sentences.push(s..cur.text.len());
    }
    if !cur.text.is_empty() {
        docs.push(cur);
    }
    docs
}

#[derive(Default)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Score {
    fn p(&self) -> f64 {
        self.tp as f64 / ((self.tp + self.fp).max(1)) as f64
    }
    fn r(&self) -> f64 {
        self.tp as f64 / ((self.tp + self.fn_).max(1)) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

#[test]
fn wikigold_person_and_org_figures() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ner/wikigold.conll.txt");
    let Ok(data) = std::fs::read_to_string(&path) else {
        println!(
            "note: {} is missing; WikiGold evaluation skipped",
            path.display()
        );
        return;
    };
    let docs = parse(&data);
    assert!(
        docs.len() > 100,
        "expected the 145 WikiGold documents, got {}",
        docs.len()
    );
    let mut per = Score::default();
    let mut org = Score::default();
    let mut dump = String::new();
    let started = std::time::Instant::now();
    for doc in &docs {
        let names = find_names(&doc.text, &doc.sentences);
        let pred_per: HashSet<Range<usize>> = names
            .iter()
            .filter(|n| n.kind == EntityKind::Person)
            .map(|n| n.range.clone())
            .collect();
        let pred_org: HashSet<Range<usize>> = names
            .iter()
            .filter(|n| matches!(n.kind, EntityKind::Agency | EntityKind::Outlet))
            .map(|n| n.range.clone())
            .collect();
        for (score, gold, pred, class) in [
            (&mut per, &doc.per, &pred_per, "PER"),
            (&mut org, &doc.org, &pred_org, "ORG"),
        ] {
            for g in gold {
                if pred.contains(g) {
                    score.tp += 1;
                } else {
                    score.fn_ += 1;
                    let near: Vec<String> = names
                        .iter()
                        .filter(|n| n.range.start < g.end && g.start < n.range.end)
                        .map(|n| format!("{:?}={:?}", &doc.text[n.range.clone()], n.kind))
                        .collect();
                    dump.push_str(&format!(
                        "MISS {class} {:?} got {}\n",
                        &doc.text[g.clone()],
                        near.join(", ")
                    ));
                }
            }
            for p in pred {
                if !gold.contains(p) {
                    score.fp += 1;
                    dump.push_str(&format!("FALSE {class} {:?}\n", &doc.text[p.clone()]));
                }
            }
        }
    }
    let elapsed = started.elapsed();
    if let Ok(out) = std::env::var("NER_DUMP") {
        let _ = std::fs::write(out, &dump);
    }
    println!(
        "WikiGold, {} documents, exact spans ({elapsed:?})",
        docs.len()
    );
    println!("class  precision  recall  F1     (tp/fp/fn)");
    let mut failures = Vec::new();
    for ((class, s), (fclass, fp, fr, ff)) in [("PER", &per), ("ORG", &org)].into_iter().zip(FLOORS)
    {
        assert_eq!(class, fclass);
        println!(
            "{class}    {:.3}      {:.3}   {:.3}  ({}/{}/{})",
            s.p(),
            s.r(),
            s.f1(),
            s.tp,
            s.fp,
            s.fn_
        );
        if s.p() < fp || s.r() < fr || s.f1() < ff {
            failures.push(format!(
                "{class}: P {:.3} R {:.3} F1 {:.3} below floor P {fp} R {fr} F1 {ff}",
                s.p(),
                s.r(),
                s.f1()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("; "));
}
