//! The corpus engine: from folders of articles to a knowledge base of
//! actors, agencies, roles and quotes.
//!
//! A build runs in stages, each a pure function of the one before:
//! [`source`] reads files into readable text, [`article`] finds paragraphs,
//! sentences and metadata, [`names`] finds names, [`quotes`] finds quotations
//! and their speakers, [`entities`] merges names across articles, [`roles`]
//! reads what the text says people are, and [`name_index`] / [`quote_match`]
//! make the look-up structures the language server queries on every
//! keystroke. Offsets are UTF-8 byte offsets into a document's readable text.

pub mod article;
pub mod cache;
pub mod described;
pub mod entities;
pub mod fold;
pub mod model;
pub mod name_index;
pub mod names;
pub(crate) mod packed;
pub mod passages;
pub mod quote_match;
pub mod quotes;
pub mod roles;
pub mod sections;
pub mod source;
pub mod text;
pub mod ties;

use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use serde_json::{json, Value};

pub use model::*;

use self::entities::Sighting;
use self::name_index::NameIndex;
use self::names::NameSpan;
use self::passages::PassageIndex;
use self::quote_match::QuoteIndex;
use self::quotes::{RawQuote, SpeakerCue};
use self::source::{LoadOptions, Loaded, SourceFile};
use crate::lexicon;

/// Which sources make up a corpus.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    pub folders: Vec<PathBuf>,
    pub include_embedded: bool,
    pub load: LoadOptions,
    /// The cache folder (see [`cache`]); `None` builds from the sources
    /// every time. Only used when there are folders to read.
    pub cache: Option<PathBuf>,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            folders: Vec::new(),
            include_embedded: true,
            load: LoadOptions::default(),
            cache: None,
        }
    }
}

/// The knowledge base built from a corpus, with its look-up structures.
#[derive(Debug, Default)]
pub struct Corpus {
    pub documents: Vec<Document>,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
    pub skipped: Vec<Skipped>,
    /// Problems worth telling the user (lossy decoding, duplicate ids…).
    pub warnings: Vec<String>,
    pub names: NameIndex,
    pub quote_index: QuoteIndex,
    /// Every sentence, for finding the passages that back a claim.
    pub passages: PassageIndex,
    /// Quotes by speaker and texts tying people to organisations, for
    /// cards; worked out on first use ([`Corpus::ties`]).
    ties: OnceLock<ties::Ties>,
    /// Tables other layers work out from this corpus ([`Corpus::derived`]).
    derived: Mutex<lexicon::FastMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

/// The automaton over every entity's name and aliases, `ranked` first.
pub(crate) fn name_index(entities: &[Entity], ranked: &[EntityId]) -> NameIndex {
    NameIndex::new(
        ranked
            .iter()
            .filter(|&&e| e < entities.len())
            .flat_map(|&e| {
                std::iter::once(entities[e].name.as_str())
                    .chain(entities[e].aliases.iter().map(String::as_str))
                    .map(move |a| (a, e))
            }),
    )
}

/// One article after the per-document stages, before merging.
pub(crate) struct ReadDocument {
    pub(crate) doc: Document,
    pub(crate) parts: ArticleParts,
}

/// What the per-article stages found besides the document itself: the
/// names and quotations that merging turns into entities and quotes. Kept
/// in the cache so that an unchanged article is never read again.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ArticleParts {
    pub names: Vec<NameSpan>,
    pub quotes: Vec<RawQuote>,
}

fn read_document(file: SourceFile) -> ReadDocument {
    let parts = article::read(&file.text);
    let sentence_ranges: Vec<Range<usize>> = parts.sentences.iter().map(|s| s.range()).collect();
    let mut names = names::find_names(&file.text, &sentence_ranges);
    add_byline(&file.text, parts.byline.as_deref(), &mut names);
    let quotes = quotes::find_quotes(&file.text, &parts.paragraphs, &parts.sentences, &names);
    ReadDocument {
        doc: Document {
            id: file.id,
            path: file.path,
            embedded: file.embedded,
            text: file.text.into(),
            line_map: file.line_map,
            title: parts.title,
            byline: parts.byline,
            date: parts.date,
            outlet: parts.outlet,
            sentences: parts.sentences,
        },
        parts: ArticleParts { names, quotes },
    }
}

/// Read one article; a bug in a reading stage costs that article (skipped
/// with a reason), never the corpus.
pub(crate) fn read_guarded(file: SourceFile) -> Result<ReadDocument, Skipped> {
    let path = file.path.clone();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_document(file))).map_err(|_| {
        Skipped {
            path,
            reason: "internal error while reading this article (please report it); skipped"
                .to_string(),
        }
    })
}

/// The article's stated author is a person, whatever the recognizer made of
/// the line (a byline is often a bare name on a line of its own).
fn add_byline(text: &str, byline: Option<&str>, names: &mut Vec<NameSpan>) {
    let Some(byline) = byline.filter(|b| b.split_whitespace().count() >= 2) else {
        return;
    };
    let Some(start) = text.find(byline) else {
        return;
    };
    let range = start..start + byline.len();
    names.retain(|n| n.range.end <= range.start || n.range.start >= range.end);
    let at = names.partition_point(|n| n.range.start < range.start);
    names.insert(
        at,
        NameSpan {
            range,
            kind: EntityKind::Person,
            title: None,
            cued: true,
        },
    );
}

impl Corpus {
    /// Load the configured sources and build the knowledge base.
    pub fn load(options: &CorpusOptions) -> Corpus {
        match Corpus::load_with(options, &|_, _| {}, &|| false) {
            Some((corpus, _)) => corpus,
            None => Corpus::default(),
        }
    }

    /// Load through the cache when one is configured, reporting articles
    /// done/total; `None` when `cancelled()` turned true on the way.
    pub fn load_with(
        options: &CorpusOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<(Corpus, Option<cache::CacheReport>)> {
        let holding = crate::LoadingMemory::hold();
        let loaded = if let Some(root) = options
            .cache
            .as_deref()
            .filter(|_| !options.folders.is_empty())
        {
            cache::load(options, root, progress, cancelled)
                .map(|(corpus, report)| (corpus, Some(report)))
        } else {
            let loaded = source::load(&options.folders, options.include_embedded, &options.load);
            if cancelled() {
                return None;
            }
            Corpus::build_cancellable(loaded, progress, cancelled).map(|c| (c, None))
        };
        // Reading and merging free a lot (buffers, texts now in the cache).
        drop(holding);
        crate::release_freed_memory();
        loaded
    }

    /// Build the knowledge base from files already read.
    pub fn build(loaded: Loaded) -> Corpus {
        Corpus::build_with_progress(loaded, &|_, _| {})
    }

    /// Like [`Corpus::build`], calling `progress(done, total)` as articles
    /// are read (from several threads, in no particular order).
    pub fn build_with_progress(loaded: Loaded, progress: &(dyn Fn(usize, usize) + Sync)) -> Corpus {
        Corpus::build_cancellable(loaded, progress, &|| false).unwrap_or_default()
    }

    /// Like [`Corpus::build_with_progress`]; `None` when `cancelled()`
    /// turned true before the build finished.
    pub fn build_cancellable(
        loaded: Loaded,
        progress: &(dyn Fn(usize, usize) + Sync),
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Corpus> {
        let Loaded {
            files,
            skipped,
            warnings,
        } = loaded;
        let total = files.len();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let results: Vec<Option<Result<ReadDocument, Skipped>>> = files
            .into_par_iter()
            .map(|f| {
                if cancelled() {
                    return None;
                }
                let r = read_guarded(f);
                progress(
                    done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                    total,
                );
                Some(r)
            })
            .collect();
        if cancelled() {
            return None;
        }
        let mut skipped = skipped;
        let mut documents = Vec::with_capacity(results.len());
        let mut parts = Vec::with_capacity(results.len());
        for r in results.into_iter().flatten() {
            match r {
                Ok(read) => {
                    documents.push(read.doc);
                    parts.push(read.parts);
                }
                Err(s) => skipped.push(s),
            }
        }
        Some(Corpus::assemble(documents, &parts, skipped, warnings))
    }

    /// Merge read articles into the knowledge base and make its look-up
    /// structures. `parts[d]` belongs to `documents[d]`.
    pub(crate) fn assemble(
        documents: Vec<Document>,
        read: &[ArticleParts],
        skipped: Vec<Skipped>,
        warnings: Vec<String>,
    ) -> Corpus {
        let mut clock = StageClock::new();
        // The text indexes need only the texts, so they are built beside
        // the entity stages, most of which run on one core.
        let texts: Vec<&str> = documents.iter().map(|d| d.text.as_str()).collect();
        let ((entities, names, quotes), (quote_index, passages)) = rayon::join(
            || knowledge(&documents, read),
            || {
                let mut clock = StageClock::new();
                let indexes = rayon::join(
                    || QuoteIndex::new(&texts),
                    || PassageIndex::build(&documents),
                );
                clock.stage("text indexes");
                indexes
            },
        );
        drop(texts);
        clock.stage("knowledge, indexes");
        Corpus {
            documents,
            entities,
            quotes,
            skipped,
            warnings,
            names,
            quote_index,
            passages,
            ties: OnceLock::new(),
            derived: Mutex::default(),
        }
    }

    /// A corpus from cached parts.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_parts(
        documents: Vec<Document>,
        entities: Vec<Entity>,
        quotes: Vec<Quote>,
        skipped: Vec<Skipped>,
        warnings: Vec<String>,
        quote_index: QuoteIndex,
        passages: PassageIndex,
        names: NameIndex,
    ) -> Corpus {
        Corpus {
            documents,
            entities,
            quotes,
            skipped,
            warnings,
            names,
            quote_index,
            passages,
            ties: OnceLock::new(),
            derived: Mutex::default(),
        }
    }

    /// The entity a name refers to: its canonical name, an alias, or its id,
    /// compared without case, dots or apostrophe style.
    pub fn find_entity(&self, name: &str) -> Option<EntityId> {
        let key = fold::name_key(name).to_lowercase();
        let matches = |s: &str| fold::name_key(s).to_lowercase() == key;
        self.entities
            .iter()
            .position(|e| e.id == name || matches(&e.name))
            .or_else(|| {
                self.entities
                    .iter()
                    .position(|e| e.aliases.iter().any(|a| matches(a)))
            })
    }

    /// The corpus quotation whose words contain `range` of document `doc`.
    pub fn quote_containing(&self, doc: DocId, range: &Range<usize>) -> Option<usize> {
        let after = self
            .quotes
            .partition_point(|q| (q.span.doc, q.span.range.start) <= (doc, range.start));
        // Quotes do not nest, so only the last one starting at or before
        // the passage can hold it.
        let i = after.checked_sub(1)?;
        let q = &self.quotes[i];
        (q.span.doc == doc && range.end <= q.span.range.end).then_some(i)
    }

    /// Quotes the sources give to `entity`, best first (not boilerplate).
    pub fn quotes_by(&self, entity: EntityId) -> impl Iterator<Item = &Quote> {
        self.ties()
            .quotes_by(entity)
            .iter()
            .map(|&i| &self.quotes[i])
    }

    /// A table of type `T` worked out from this corpus by `make`, made on
    /// first use and kept as long as the corpus (the checks' look-up tables:
    /// known names bucketed for near misses, speakers by name). `make` runs
    /// without the lock held; two first uses at once may both make it, and
    /// the first kept is the one every caller gets.
    pub fn derived<T: Any + Send + Sync>(&self, make: impl FnOnce(&Corpus) -> T) -> Arc<T> {
        let key = TypeId::of::<T>();
        let kept = |d: &Arc<dyn Any + Send + Sync>| Arc::clone(d).downcast::<T>().ok();
        if let Some(table) = self
            .derived
            .lock()
            .ok()
            .and_then(|d| d.get(&key).and_then(kept))
        {
            return table;
        }
        let made = Arc::new(make(self));
        if let Ok(mut derived) = self.derived.lock() {
            let shared: Arc<dyn Any + Send + Sync> = made.clone();
            if let Some(first) = kept(derived.entry(key).or_insert(shared)) {
                return first;
            }
        }
        made
    }

    /// The card look-up tables (see [`ties`]), built on first use.
    pub fn ties(&self) -> &ties::Ties {
        self.ties
            .get_or_init(|| ties::Ties::new(&self.entities, &self.quotes))
    }

    /// The knowledge base as the stable JSON interface of `dossier corpus --json`.
    pub fn to_json(&self) -> Value {
        let documents: Vec<Value> = self
            .documents
            .iter()
            .map(|d| {
                json!({
                    "id": d.id,
                    "path": d.path.to_string_lossy(),
                    "title": d.title,
                    "byline": d.byline,
                    "outlet": d.outlet,
                })
            })
            .collect();
        let entities: Vec<Value> = self
            .entities
            .iter()
            .map(|e| {
                let roles: Vec<Value> = e
                    .roles
                    .iter()
                    .map(|r| {
                        let d = &self.documents[r.span.doc];
                        json!({"text": r.text, "document": d.id, "line": d.line_of(r.span.range.start)})
                    })
                    .collect();
                let docs: Vec<&str> = e.documents().iter().map(|&d| self.documents[d].id.as_str()).collect();
                json!({
                    "id": e.id,
                    "name": e.name,
                    "kind": e.kind.as_str(),
                    "aliases": e.aliases,
                    "roles": roles,
                    "mention_count": e.mentions.len(),
                    "documents": docs,
                })
            })
            .collect();
        let quotes: Vec<Value> = self
            .quotes
            .iter()
            .map(|q| {
                let d = &self.documents[q.span.doc];
                let speaker = match &q.speaker {
                    Some(SpeakerRef::Entity(e)) => Value::String(self.entities[*e].id.clone()),
                    _ => Value::Null,
                };
                json!({
                    "text": q.text,
                    "speaker": speaker,
                    "speaker_name": q.speaker_name,
                    "document": d.id,
                    "line": d.line_of(q.span.range.start),
                    "start": d.line_map.file_offset(q.span.range.start),
                    "end": d.line_map.file_offset(q.span.range.end),
                })
            })
            .collect();
        let skipped: Vec<Value> = self
            .skipped
            .iter()
            .map(|s| json!({"path": s.path.to_string_lossy(), "reason": s.reason}))
            .collect();
        json!({
            "documents": documents,
            "entities": entities,
            "quotes": quotes,
            "skipped": skipped,
        })
    }
}

/// Stage timings on stderr when `DOSSIER_TIMINGS` is set, to see where a
/// build spends its time on a real corpus.
pub(crate) struct StageClock {
    on: bool,
    at: std::time::Instant,
}

impl StageClock {
    pub(crate) fn new() -> StageClock {
        StageClock {
            on: Self::enabled(),
            at: std::time::Instant::now(),
        }
    }

    /// Whether `DOSSIER_TIMINGS` is set (read once: checks run per keystroke).
    pub(crate) fn enabled() -> bool {
        static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *ON.get_or_init(|| std::env::var_os("DOSSIER_TIMINGS").is_some())
    }

    pub(crate) fn stage(&mut self, name: &str) {
        if self.on {
            let now = std::time::Instant::now();
            // And the resident set after the stage, where the system says.
            let rss = crate::status_mb("VmRSS:")
                .map(|mb| format!(" {mb:>7.1} MB"))
                .unwrap_or_default();
            let peak = crate::status_mb("VmHWM:")
                .map(|mb| format!(" (peak {mb:.1})"))
                .unwrap_or_default();
            let rss = rss + &peak;
            eprintln!(
                "dossier: {name:<16} {:>9.1} ms{rss}",
                (now - self.at).as_secs_f64() * 1e3
            );
            self.at = now;
        }
    }
}

/// The entities of the read articles, the name automaton over them, and
/// the quotations with their speakers resolved.
fn knowledge(
    documents: &[Document],
    read: &[ArticleParts],
) -> (Vec<Entity>, NameIndex, Vec<Quote>) {
    let mut clock = StageClock::new();
    // Merge the names of all articles into entities.
    let mut sightings = Vec::new();
    for (d, r) in read.iter().enumerate() {
        let doc = &documents[d];
        for span in &r.names {
            let Some(surface) = doc.text.get(span.range.clone()) else {
                continue;
            };
            sightings.push(Sighting {
                doc: d,
                span,
                surface,
                boilerplate: doc.is_boilerplate(span.range.start),
            });
        }
    }
    let groups = entities::group(&sightings);
    clock.stage("group names");

    // Order entities by first appearance so ids and listings are stable.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    let first = |g: &entities::Group| {
        g.sightings
            .iter()
            .map(|&s| (sightings[s].doc, sightings[s].span.range.start))
            .min()
            .unwrap_or((usize::MAX, 0))
    };
    order.sort_by_key(|&g| first(&groups[g]));

    let mut used_ids = HashSet::new();
    let mut entities: Vec<Entity> = Vec::with_capacity(groups.len());
    let mut sighting_entity: HashMap<(DocId, usize), EntityId> = HashMap::new();
    for &g in &order {
        let group = &groups[g];
        let id = unique_id(&slug(&group.name), &mut used_ids);
        let entity = entities.len();
        for &s in &group.sightings {
            sighting_entity.insert((sightings[s].doc, sightings[s].span.range.start), entity);
        }
        entities.push(Entity {
            id,
            name: group.name.clone(),
            kind: group.kind,
            aliases: group.forms.iter().skip(1).cloned().collect(),
            roles: Vec::new(),
            mentions: Vec::new(),
            described: Vec::new(),
        });
    }
    add_surname_aliases(&mut entities);
    clock.stage("entities");

    // The automaton, best-attested entities first so a shared alias goes
    // to the one the sources mean most often.
    let mut ranked: Vec<EntityId> = (0..entities.len()).collect();
    let weight: Vec<usize> = groups_weight(&order, &groups, &sightings);
    ranked.sort_by_key(|&e| std::cmp::Reverse(weight[e]));
    let names = name_index(&entities, &ranked);

    clock.stage("name automaton");
    let hits: Vec<Vec<name_index::NameHit>> =
        documents.par_iter().map(|d| names.find(&d.text)).collect();
    for (d, doc_hits) in hits.iter().enumerate() {
        for hit in doc_hits {
            let boilerplate = documents[d].is_boilerplate(hit.range.start);
            entities[hit.entity]
                .mentions
                .push(Mention::new(d, hit.range.clone(), boilerplate));
        }
    }
    clock.stage("mentions");
    entities
        .par_iter_mut()
        .for_each(|entity| entity.roles = find_roles(entity, documents, read));
    clock.stage("roles");
    described::find_all(&mut entities, documents);
    clock.stage("described people");

    let mut quotes = resolve_quotes(read, documents, &sighting_entity, &hits);
    // In corpus order, so a passage's quote is found by binary search.
    quotes.sort_by_key(|q| (q.span.doc, q.span.range.start));
    clock.stage("quotes");
    (entities, names, quotes)
}

fn groups_weight(
    order: &[usize],
    groups: &[entities::Group],
    sightings: &[Sighting<'_>],
) -> Vec<usize> {
    order
        .iter()
        .map(|&g| {
            groups[g]
                .sightings
                .iter()
                .filter(|&&s| !sightings[s].boilerplate)
                .count()
                * 4
                + groups[g].sightings.len()
        })
        .collect()
}

/// A person's surname finds them in a draft even where the sources always
/// give the full name ("Kowalczyk" for "Anna Kowalczyk"), unless two people
/// share it or it is an ordinary capitalised word.
fn add_surname_aliases(entities: &mut [Entity]) {
    let mut owners: HashMap<String, Vec<usize>> = HashMap::new();
    let mut taken: HashSet<String> = HashSet::new();
    for (i, e) in entities.iter().enumerate() {
        taken.insert(fold::name_key(&e.name));
        for a in &e.aliases {
            taken.insert(fold::name_key(a));
        }
        if e.kind != EntityKind::Person {
            continue;
        }
        let words: Vec<&str> = e.name.split_whitespace().collect();
        if words.len() >= 2 {
            if let Some(last) = words.last() {
                owners.entry(last.to_string()).or_default().push(i);
            }
        }
    }
    for (surname, people) in owners {
        if people.len() != 1
            || taken.contains(&fold::name_key(&surname))
            || surname.chars().count() < 3
            || lexicon::is_non_name(&surname)
            || lexicon::is_given_name(&surname)
            || !surname.chars().next().is_some_and(char::is_uppercase)
        {
            continue;
        }
        entities[people[0]].aliases.push(surname);
    }
}

/// Roles of a person from every mention outside boilerplate, each once,
/// in corpus order.
fn find_roles(entity: &Entity, documents: &[Document], read: &[ArticleParts]) -> Vec<Role> {
    if entity.kind != EntityKind::Person {
        return Vec::new();
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for m in &entity.mentions {
        if m.boilerplate {
            continue;
        }
        let doc = &documents[m.doc()];
        let text = &doc.text;
        let Some(s) = doc.sentence_at(m.start()) else {
            continue;
        };
        let sentence = doc.sentences[s].range();
        let mut found: Vec<Range<usize>> = Vec::new();
        found.extend(roles::title_before(text, m.range(), sentence.clone()));
        found.extend(roles::appositive_after(text, m.range(), sentence.clone()));
        found.extend(roles::served_as(text, m.range(), sentence.clone()));
        found.extend(roles::byline_role_after(text, m.range()));
        // The recognizer may have seen a title the role reader did not.
        if found.is_empty() {
            // Names are in text order: find this one by binary search.
            let names = &read[m.doc()].names;
            let at = names.partition_point(|n| n.range.start < m.start());
            if let Some(title) = names[at..]
                .iter()
                .take_while(|n| n.range.start == m.start())
                .find(|n| n.range == m.range())
                .and_then(|n| n.title.clone())
                .filter(|t| {
                    text.get(t.clone())
                        .is_some_and(|t| t.split_whitespace().any(roles::is_role_word))
                })
            {
                found.push(title);
            }
        }
        for r in found {
            let Some(t) = text.get(r.clone()) else {
                continue;
            };
            let t = fold::fold_name(t);
            if seen.insert(t.to_lowercase()) {
                out.push(Role {
                    text: t,
                    span: Span {
                        doc: m.doc(),
                        range: r,
                    },
                });
            }
        }
    }
    out
}

fn resolve_quotes(
    read: &[ArticleParts],
    documents: &[Document],
    sighting_entity: &HashMap<(DocId, usize), EntityId>,
    hits: &[Vec<name_index::NameHit>],
) -> Vec<Quote> {
    let mut out = Vec::new();
    for (d, r) in read.iter().enumerate() {
        let doc = &documents[d];
        for q in &r.quotes {
            let Some(text) = doc.text.get(q.range.clone()) else {
                continue;
            };
            let (speaker, speaker_name) = match &q.speaker {
                Some(SpeakerCue::Name(i)) => match r.names.get(*i) {
                    Some(span) => {
                        let entity = sighting_entity
                            .get(&(d, span.range.start))
                            .copied()
                            .or_else(|| {
                                hits[d]
                                    .iter()
                                    .find(|h| {
                                        h.range.start <= span.range.start
                                            && span.range.end <= h.range.end
                                    })
                                    .map(|h| h.entity)
                            });
                        let name = doc.text.get(span.range.clone()).map(fold::fold_name);
                        (entity.map(SpeakerRef::Entity), name)
                    }
                    None => (None, None),
                },
                Some(SpeakerCue::Descriptive(range)) => {
                    let name = doc.text.get(range.clone()).map(fold::fold_name);
                    (name.clone().map(SpeakerRef::Descriptive), name)
                }
                None => (None, None),
            };
            out.push(Quote {
                text: text.to_string(),
                span: Span {
                    doc: d,
                    range: q.range.clone(),
                },
                speaker,
                speaker_name,
                sentence: q.sentence.clone(),
                boilerplate: doc.is_boilerplate(q.range.start),
            });
        }
    }
    out
}

/// "Anna Kowalczyk" → "anna-kowalczyk"; accents kept, punctuation dropped.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') && (c.is_whitespace() || c == '-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("entity");
    }
    out
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_and_unique() {
        assert_eq!(slug("Anna Kowalczyk"), "anna-kowalczyk");
        assert_eq!(slug("U.S."), "us");
        assert_eq!(slug("Józef O’Neill"), "józef-oneill");
        let mut used = HashSet::new();
        assert_eq!(unique_id("a", &mut used), "a");
        assert_eq!(unique_id("a", &mut used), "a-2");
    }
}
