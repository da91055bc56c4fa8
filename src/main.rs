//! The `dossier` command: `corpus` prints the knowledge base, `card` the
//! hover card for a name.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use dossier::analysis::backend::DossierBackend;
use dossier::analysis::card;
use dossier::corpus::source::LoadOptions;
use dossier::corpus::{Corpus, CorpusOptions, EntityKind};

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "Check a news draft against your sources"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct CorpusArgs {
    /// A folder (or file) of source articles; repeat for several.
    #[arg(long = "corpus", value_name = "DIR")]
    corpus: Vec<PathBuf>,
    /// Leave out the articles built into dossier.
    #[arg(long)]
    no_default_corpus: bool,
    /// Skip source files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = LoadOptions::default().max_file_size)]
    max_file_size: u64,
}

impl CorpusArgs {
    fn options(&self) -> CorpusOptions {
        CorpusOptions {
            folders: self.corpus.clone(),
            include_embedded: !self.no_default_corpus,
            load: LoadOptions {
                max_file_size: self.max_file_size,
            },
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Print the knowledge base built from the sources.
    Corpus {
        #[command(flatten)]
        corpus: CorpusArgs,
        /// One JSON object: documents, entities, quotes, skipped files.
        #[arg(long)]
        json: bool,
    },
    /// Serve the Language Server Protocol over stdin/stdout.
    Lsp {
        /// Accepted for editors that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
        /// A folder of source articles, added to the configured ones.
        #[arg(long = "corpus", value_name = "DIR")]
        corpus: Vec<PathBuf>,
        /// Leave out the articles built into dossier, whatever the settings say.
        #[arg(long)]
        no_default_corpus: bool,
    },
    /// Print the hover card for a person, agency, outlet or place.
    Card {
        /// The name as the sources give it, an alias, or an entity id.
        name: String,
        #[command(flatten)]
        corpus: CorpusArgs,
    },
}

fn load(args: &CorpusArgs) -> Corpus {
    let corpus = Corpus::load(&args.options());
    for w in &corpus.warnings {
        eprintln!("warning: {w}");
    }
    for s in &corpus.skipped {
        eprintln!("warning: skipped {}: {}", s.path.display(), s.reason);
    }
    corpus
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Corpus { corpus, json } => {
            let corpus = load(&corpus);
            let mut out = std::io::stdout().lock();
            let written = if json {
                serde_json::to_writer_pretty(&mut out, &corpus.to_json())
                    .map_err(std::io::Error::other)
                    .and_then(|_| writeln!(out))
            } else {
                write!(out, "{}", summary(&corpus))
            };
            match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Lsp {
            stdio: _,
            corpus,
            no_default_corpus,
        } => {
            let mut options =
                dossier::server::ServerOptions::new(std::sync::Arc::new(DossierBackend::new()));
            options.corpus = corpus;
            options.no_default_corpus = no_default_corpus;
            dossier::server::run_stdio(options)
        }
        Command::Card { name, corpus } => {
            let corpus = load(&corpus);
            match corpus.find_entity(&name) {
                Some(e) => {
                    println!("{}", card::entity_card(&corpus, e, &card::FileLinks));
                    ExitCode::SUCCESS
                }
                None => {
                    eprintln!("error: \"{name}\" does not appear in the sources");
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// A readable overview: documents, entities by kind with their roles,
/// quote count, skipped files.
fn summary(corpus: &Corpus) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "{} documents", corpus.documents.len());
    for d in &corpus.documents {
        let _ = writeln!(
            s,
            "  {:<28} {}{}",
            d.id,
            d.title.as_deref().unwrap_or("(untitled)"),
            d.outlet
                .as_deref()
                .map(|o| format!(" [{o}]"))
                .unwrap_or_default()
        );
    }
    for kind in [
        EntityKind::Person,
        EntityKind::Agency,
        EntityKind::Outlet,
        EntityKind::Place,
    ] {
        let of_kind: Vec<_> = corpus.entities.iter().filter(|e| e.kind == kind).collect();
        let label = match kind {
            EntityKind::Person => "people",
            EntityKind::Agency => "agencies",
            EntityKind::Outlet => "outlets",
            EntityKind::Place => "places",
        };
        let _ = writeln!(s, "\n{} {label}", of_kind.len());
        for e in of_kind {
            let roles: Vec<&str> = e.roles.iter().map(|r| r.text.as_str()).collect();
            let _ = writeln!(
                s,
                "  {:<32} {:>3} mentions{}",
                e.name,
                e.mentions.len(),
                if roles.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", roles.join("; "))
                }
            );
        }
    }
    let attributed = corpus.quotes.iter().filter(|q| q.speaker.is_some()).count();
    let _ = writeln!(
        s,
        "\n{} quotes ({attributed} with a speaker)",
        corpus.quotes.len()
    );
    if !corpus.skipped.is_empty() {
        let _ = writeln!(s, "\n{} skipped", corpus.skipped.len());
        for k in &corpus.skipped {
            let _ = writeln!(s, "  {}: {}", k.path.display(), k.reason);
        }
    }
    s
}
