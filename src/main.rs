//! The `dossier` command: `check` reports a draft's findings (for people
//! and CI), `corpus` prints the knowledge base, `card` the hover card for a
//! name, `lsp` serves the editor.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use dossier::analysis::backend::DossierBackend;
use dossier::analysis::card;
use dossier::analysis::checks::{self, CheckOptions};
use dossier::analysis::draft::{is_markdown, Draft};
use dossier::analysis::ignore::Ignores;
use dossier::config::{Settings, SettingsLayer, PROJECT_FILE};
use dossier::corpus::source::LoadOptions;
use dossier::corpus::{Corpus, CorpusOptions, EntityKind};
use dossier::report;
use dossier::server::Severity;

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
    /// Skip source files larger than this many bytes (at most 1 GiB).
    #[arg(long, value_name = "BYTES", default_value_t = LoadOptions::default().max_file_size)]
    max_file_size: u64,
    #[command(flatten)]
    cache: CacheArgs,
}

#[derive(Args, Clone)]
struct CacheArgs {
    /// Keep the index of your source folders here (default: the user cache
    /// folder, e.g. ~/.cache/dossier); unchanged sources are not read again.
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    /// Build the index from the sources every time; write no cache.
    #[arg(long, conflicts_with = "cache")]
    no_cache: bool,
}

impl CacheArgs {
    fn dir(&self) -> Option<PathBuf> {
        if self.no_cache {
            None
        } else {
            self.cache
                .clone()
                .or_else(dossier::corpus::cache::default_dir)
        }
    }
}

impl CorpusArgs {
    fn options(&self) -> CorpusOptions {
        CorpusOptions {
            folders: self.corpus.clone(),
            include_embedded: !self.no_default_corpus,
            load: LoadOptions {
                max_file_size: self.max_file_size,
            },
            cache: self.cache.dir(),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Check drafts against the sources, as the editor does.
    ///
    /// Exit status: 0 when no finding reaches --fail-on, 1 when one does,
    /// 2 on a usage or I/O error.
    Check(CheckArgs),
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
        #[command(flatten)]
        cache: CacheArgs,
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
    dossier::tune_memory();
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(&args),
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
            cache,
        } => {
            let backend = DossierBackend::new().with_cache(cache.dir());
            let mut options = dossier::server::ServerOptions::new(std::sync::Arc::new(backend));
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

// ---- dossier check ----

#[derive(Args)]
struct CheckArgs {
    /// Drafts to check; a folder means every .md, .markdown and .txt file
    /// under it. Markdown files are read as Markdown, others as plain text.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    corpus: CorpusArgs,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// The least severity that makes the exit status 1.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Warning)]
    fail_on: FailOn,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// path:line:col: severity[code]: message, the line, carets, sources.
    Human,
    /// One JSON object per finding per line.
    Json,
    /// One SARIF 2.1.0 log, for code-scanning tools.
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    #[value(alias = "warn")]
    Warning,
    #[value(alias = "info")]
    Information,
    Hint,
}

impl FailOn {
    fn reached_by(self, severity: Severity) -> bool {
        let least = match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Information => Severity::Information,
            FailOn::Hint => Severity::Hint,
        };
        report::rank(severity) >= report::rank(least)
    }
}

/// Extensions of drafts picked up from a folder argument.
const DRAFT_EXTENSIONS: [&str; 3] = ["md", "markdown", "txt"];

/// Whether a draft file is read as Markdown, by its extension.
fn markdown_file(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    let language = match ext.as_str() {
        "md" | "markdown" | "mdown" | "mkd" => "markdown",
        "qmd" => "quarto",
        other => other,
    };
    is_markdown(language)
}

/// The nearest folder from `start` upwards holding a `dossier.toml`.
fn project_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(PROJECT_FILE).is_file())
        .map(Path::to_path_buf)
}

/// The drafts named on the command line, folders expanded (respecting
/// .gitignore and hidden files, leaving out the corpus folders so
/// `dossier check .` does not check the sources themselves). Missing
/// paths are reported and make `failed` true.
fn draft_files(args: &[PathBuf], corpus_dirs: &[PathBuf], failed: &mut bool) -> Vec<PathBuf> {
    let corpus_dirs: Vec<PathBuf> = corpus_dirs
        .iter()
        .filter_map(|d| d.canonicalize().ok())
        .collect();
    let mut files = Vec::new();
    for arg in args {
        match std::fs::metadata(arg) {
            Ok(meta) if meta.is_dir() => {
                let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(arg)
                    .build()
                    .filter_map(|entry| entry.ok())
                    .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
                    .map(|entry| entry.into_path())
                    .filter(|path| {
                        path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                            DRAFT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                        })
                    })
                    .filter(|path| {
                        let real = path.canonicalize().unwrap_or_else(|_| path.clone());
                        !corpus_dirs.iter().any(|dir| real.starts_with(dir))
                    })
                    .collect();
                found.sort();
                if found.is_empty() {
                    eprintln!(
                        "warning: {}: no .md or .txt drafts in this folder",
                        arg.display()
                    );
                }
                files.extend(found);
            }
            Ok(_) => files.push(arg.clone()),
            Err(e) => {
                eprintln!("error: {}: {}", arg.display(), io_reason(&e));
                *failed = true;
            }
        }
    }
    files
}

/// An I/O error in plain words, without Rust's "(os error 2)".
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = project_root(&cwd);
    let layer = match &root {
        Some(root) => match SettingsLayer::from_project_file(root) {
            Ok(layer) => layer,
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(2);
            }
        },
        None => SettingsLayer::default(),
    };
    let mut settings = Settings::layered(root.as_deref(), &[&layer]);
    let ignores = root
        .as_deref()
        .map(|r| Ignores::load(&r.canonicalize().unwrap_or_else(|_| r.to_path_buf())))
        .unwrap_or_default();
    // Command-line folders add to the project's, as they do for `lsp`.
    for dir in &args.corpus.corpus {
        let dir = cwd.join(dir);
        if !settings.corpus.contains(&dir) {
            settings.corpus.push(dir);
        }
    }
    if args.corpus.no_default_corpus {
        settings.include_default_corpus = false;
    }

    let mut failed = false;
    let files = draft_files(&args.files, &settings.corpus, &mut failed);
    if files.is_empty() {
        return ExitCode::from(if failed { 2 } else { 0 });
    }
    let corpus = load(&CorpusArgs {
        corpus: settings.corpus.clone(),
        no_default_corpus: !settings.include_default_corpus,
        max_file_size: args.corpus.max_file_size,
        cache: args.corpus.cache.clone(),
    });

    let style = report::Style {
        color: args.format == Format::Human
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let mut resolver = report::RelatedResolver::new(&corpus, &cwd);
    let mut out = std::io::stdout().lock();
    let mut tally = report::Tally::default();
    let mut all = Vec::new();
    let mut reached = false;
    // Drafts of one story quote the same sources: look each quote up once.
    let lookups = std::sync::Arc::new(dossier::analysis::lookups::Lookups::default());
    for path in &files {
        let text = match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => {
                    eprintln!(
                        "warning: {}: not UTF-8; invalid bytes read as \u{FFFD}",
                        path.display()
                    );
                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                }
            },
            Err(e) => {
                eprintln!("error: {}: {}", path.display(), io_reason(&e));
                failed = true;
                continue;
            }
        };
        tally.files += 1;
        let shown = path.display().to_string();
        let draft = Draft::read(&text, markdown_file(path), &corpus);
        // Ignores name files relative to the project root: hand over the
        // draft's real path, as the editor does.
        let options = CheckOptions {
            attribution_style: settings.attribution_style,
            file: Some(path.canonicalize().unwrap_or_else(|_| cwd.join(path))),
            ignores: ignores.clone(),
            lookups: Some(std::sync::Arc::clone(&lookups)),
        };
        let index = report::LineIndex::new(&text);
        let mut entries: Vec<report::Entry> = checks::run(&corpus, &draft, &options)
            .into_iter()
            .filter_map(|checked| {
                let f = checked.finding;
                let severity = report::effective_severity(&settings, &f)?;
                let related = resolver.places(&f, &shown, &index);
                Some(report::Entry::new(&shown, &index, &f, severity, related))
            })
            .collect();
        entries.sort_by_key(|e| (e.range.start, e.range.end));
        let mut written = Ok(());
        for entry in &entries {
            tally.add(entry.severity);
            reached |= args.fail_on.reached_by(entry.severity);
            written = written.and_then(|()| match args.format {
                Format::Human => out.write_all(report::human(entry, &index, style).as_bytes()),
                Format::Json => writeln!(out, "{}", report::json_line(entry)),
                Format::Sarif => Ok(()),
            });
        }
        if let Some(code) = stopped(written) {
            return code;
        }
        if args.format == Format::Sarif {
            all.extend(entries);
        }
    }
    let written = match args.format {
        Format::Human => writeln!(out, "{tally}"),
        Format::Json => Ok(()),
        Format::Sarif => serde_json::to_writer_pretty(&mut out, &report::sarif(&all))
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
    };
    if let Some(code) = stopped(written.and_then(|()| out.flush())) {
        return code;
    }
    if failed {
        ExitCode::from(2)
    } else if reached {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The exit code when writing the report failed: a closed pipe (`| head`)
/// is a normal end, anything else an I/O error.
fn stopped(written: std::io::Result<()>) -> Option<ExitCode> {
    match written {
        Ok(()) => None,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Some(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("error: writing the report: {e}");
            Some(ExitCode::from(2))
        }
    }
}
