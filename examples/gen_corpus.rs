//! Writes a scale corpus: N news articles made deterministically from the
//! real Wikinews articles in `../shared/corpora/wikinews/`, for benchmarks
//! and scale tests. Never commit what it writes.
//!
//! ```text
//! cargo run --release --example gen_corpus -- 10000 /tmp/corpus-10k
//! cargo run --release --example gen_corpus -- 300 /tmp/c300 --source some/folder
//! ```
//!
//! Article `i` takes the paragraphs of one real article, splices in one or
//! two paragraphs of another, and renames people: every "Given Surname"
//! (a given name from Dossier's own lexicon followed by a capitalised word)
//! gets a surname made from syllables, the same for every article of one
//! *story* (three consecutive articles), so that, as in a real archive,
//! several articles speak of the same people and the number of distinct
//! people and quotes grows with N. Numbers change with the story too, so
//! quotations holding figures are new quotations. The output depends only on
//! N, the source folder and `--seed`.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use regex::Regex;

struct Source {
    title: String,
    /// Date and source lines under the title, kept as written.
    header: Vec<String>,
    paragraphs: Vec<String>,
}

fn usage() -> ExitCode {
    eprintln!("usage: gen_corpus N DIR [--source FOLDER] [--seed S]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/wikinews");
    let mut seed = 0u64;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--source" if i + 1 < args.len() => {
                source = PathBuf::from(&args[i + 1]);
                i += 1;
            }
            "--seed" if i + 1 < args.len() => {
                let Ok(s) = args[i + 1].parse() else {
                    return usage();
                };
                seed = s;
                i += 1;
            }
            "-h" | "--help" => return usage(),
            a => positional.push(a.to_string()),
        }
        i += 1;
    }
    let [n, dir] = positional.as_slice() else {
        return usage();
    };
    let Ok(n) = n.replace('_', "").parse::<usize>() else {
        return usage();
    };
    let sources = match read_sources(&source) {
        Ok(s) if !s.is_empty() => s,
        Ok(_) => {
            eprintln!("gen_corpus: no .txt articles in {}", source.display());
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("gen_corpus: cannot read {}: {e}", source.display());
            return ExitCode::FAILURE;
        }
    };
    let dir = PathBuf::from(dir);
    if let Err(e) = fs::create_dir_all(&dir) {
        eprintln!("gen_corpus: cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let generator = Generator::new(seed);
    let mut bytes = 0usize;
    let mut surnames: HashMap<String, ()> = HashMap::new();
    for i in 0..n {
        let (name, text, renamed) = generator.article(&sources, i);
        for s in renamed {
            surnames.insert(s, ());
        }
        bytes += text.len();
        let path = dir.join(name);
        let written = fs::File::create(&path).and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = written {
            eprintln!("gen_corpus: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    println!(
        "wrote {n} articles, {:.1} MB, {} distinct generated surnames, into {}",
        bytes as f64 / 1e6,
        surnames.len(),
        dir.display()
    );
    ExitCode::SUCCESS
}

fn read_sources(folder: &Path) -> std::io::Result<Vec<Source>> {
    let mut paths: Vec<PathBuf> = fs::read_dir(folder)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut sources = Vec::new();
    for path in paths {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let text = text.replace("\r\n", "\n");
        let mut blocks = text
            .split("\n\n")
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(str::to_string);
        let Some(title) = blocks.next() else {
            continue;
        };
        let mut header = Vec::new();
        let mut paragraphs = Vec::new();
        for block in blocks {
            // Date, "Source: …" and weekday lines are short and come first.
            if paragraphs.is_empty() && header.len() < 3 && block.len() < 120 {
                header.push(block);
            } else {
                paragraphs.push(block);
            }
        }
        if !paragraphs.is_empty() {
            sources.push(Source {
                title,
                header,
                paragraphs,
            });
        }
    }
    Ok(sources)
}

struct Generator {
    seed: u64,
    person: Regex,
    number: Regex,
}

/// Articles per story: consecutive articles share their renamed people.
const STORY: usize = 3;

impl Generator {
    fn new(seed: u64) -> Generator {
        Generator {
            seed,
            person: Regex::new(r"\b(\p{Lu}\p{Ll}+) (\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)\b")
                .expect("valid regex"),
            number: Regex::new(r"\b\d{1,3}\b").expect("valid regex"),
        }
    }

    /// File name, text and the generated surnames of article `i`.
    fn article(&self, sources: &[Source], i: usize) -> (String, String, Vec<String>) {
        let m = sources.len();
        let story = i / STORY;
        let base = &sources[(mix(self.seed, i as u64) % m as u64) as usize];
        let other = &sources[(mix(self.seed ^ 0x5eed, i as u64) % m as u64) as usize];

        let mut paragraphs: Vec<&str> = base.paragraphs.iter().map(String::as_str).collect();
        let spliced = 1 + (mix(self.seed, (i as u64) << 1) % 2) as usize;
        for k in 0..spliced {
            let pick = mix(self.seed, (i * 31 + k) as u64) as usize % other.paragraphs.len();
            let at = (1 + k * 2).min(paragraphs.len());
            paragraphs.insert(at, &other.paragraphs[pick]);
        }

        let mut body = String::new();
        body.push_str(&base.title);
        body.push_str("\n\n");
        for h in &base.header {
            body.push_str(h);
            body.push_str("\n\n");
        }
        for p in &paragraphs {
            body.push_str(p);
            body.push_str("\n\n");
        }

        // Rename people: surname → a made-up surname fixed per story.
        let mut renames: Vec<(String, String)> = Vec::new();
        for c in self.person.captures_iter(&body) {
            let given = &c[1];
            let surname = &c[2];
            if !dossier::lexicon::is_given_name(given)
                || renames.iter().any(|(from, _)| from == surname)
            {
                continue;
            }
            let new = make_surname(mix(self.seed ^ hash(surname), story as u64));
            renames.push((surname.to_string(), new));
        }
        let mut text = body;
        for (from, to) in &renames {
            let word = Regex::new(&format!(r"\b{}\b", regex::escape(from))).expect("escaped");
            text = word.replace_all(&text, to.as_str()).into_owned();
        }
        // Figures move with the story.
        let shift = (story % 97) as u64;
        let text = self
            .number
            .replace_all(&text, |c: &regex::Captures| {
                let n: u64 = c[0].parse().unwrap_or(0);
                (n + shift).to_string()
            })
            .into_owned();

        let slug: String = base
            .title
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .take(40)
            .collect();
        let name = format!("{i:06}-{}.txt", slug.trim_matches('-'));
        (name, text, renames.into_iter().map(|(_, to)| to).collect())
    }
}

/// A pronounceable surname from a number: two or three syllables and an
/// optional ending, about four million possibilities.
fn make_surname(mut n: u64) -> String {
    const ONSETS: &[&str] = &[
        "B", "K", "M", "T", "V", "L", "Dr", "P", "S", "Qu", "N", "R", "H", "G", "F", "Z", "Br",
        "Ch", "W", "D", "St", "Gr",
    ];
    const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "a", "e", "ei", "o"];
    const CODAS: &[&str] = &["n", "r", "s", "k", "l", "", "", "m", "", "nd", "rt"];
    const ENDINGS: &[&str] = &["", "", "", "son", "ski", "ez", "ova", "ini", "berg"];
    let mut take = |list: &[&'static str]| {
        let s = list[(n % list.len() as u64) as usize];
        n /= list.len() as u64;
        s
    };
    let syllables = 2;
    let mut out = String::new();
    for k in 0..syllables {
        let onset = take(ONSETS);
        if k == 0 {
            out.push_str(onset);
        } else {
            out.push_str(&onset.to_lowercase());
        }
        out.push_str(take(VOWELS));
        out.push_str(take(CODAS));
    }
    out.push_str(take(ENDINGS));
    out
}

fn hash(s: &str) -> u64 {
    // FNV-1a: stable across runs and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// SplitMix64 of a seed and a counter.
fn mix(seed: u64, i: u64) -> u64 {
    let mut z = seed
        .wrapping_add(i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
