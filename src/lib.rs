//! Dossier: a language server for people who write news.
//!
//! # Architecture
//!
//! A request flows one way: protocol position → byte offset → analysis →
//! plain result → protocol type.
//!
//! **`corpus`** reads folders of source articles into a knowledge base:
//! documents split into paragraphs and sentences, entities (people,
//! agencies, outlets, places) merged across articles with their roles and
//! aliases, and quotations with their speakers. It also builds the look-up
//! structures the server queries on every keystroke: one automaton over all
//! aliases and an index for finding a quotation's words. *Invariant: nothing
//! here names a particular article; every fact comes out of the text by
//! rules and generic word lists (`lexicon`).*
//!
//! **`analysis`** reads a draft against a corpus: which bytes are prose, the
//! actors it names, its quotations and where they stand in the sources, the
//! checks (one rule per file under `analysis/checks`), hover cards and
//! go-to-source. *Invariant: analysis and corpus code take `&str` and UTF-8
//! byte offsets and return plain data; they never see an LSP type and never
//! panic on odd text.*
//!
//! **`server`** is the protocol edge (tower-lsp). Handlers convert positions
//! to byte offsets, call the [`server::Backend`] seam, and convert back.
//! `document` is the one place that touches ropey. *Invariant: UTF-16 and
//! UTF-8 position code lives only in `server` and `document`; edits are
//! applied synchronously, in order, before any `.await`.*
//!
//! **`config`** layers settings: defaults < `dossier.toml` < editor
//! settings.

/// mimalloc rather than the system allocator: a corpus is millions of
/// small allocations (mentions, sentences, strings) made on all cores, and
/// a check allocates on every keystroke. Measured against glibc's: a 30 KB
/// re-check with 10,000 articles 3.0–3.3 ms against 4.0–4.1, a start from
/// the cache with 100,000 articles 0.57 s against 0.86, and 150 MB less
/// resident once [`release_freed_memory`] has run. Set here, in the
/// library, so that tests and benchmarks run what the server runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod analysis;
pub mod config;
pub mod corpus;
pub mod document;
pub mod lexicon;
pub mod report;
pub mod server;

/// A figure of this process's `/proc/self/status` in MB: `"VmRSS:"` is the
/// resident set now, `"VmHWM:"` its peak so far. `None` where the system
/// does not say (not Linux).
pub fn status_mb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Serve from ordinary 4 KiB pages: turn transparent huge pages off for
/// this process (and what it starts). mimalloc asks the kernel for huge
/// pages where it may, and where the system defragments on demand
/// (`defrag = madvise`, the common default) a fault on a fresh region can
/// wait for memory to be compacted. Measured with
/// `examples/lsp_latency --pad-to 30000`, four runs each: with huge pages,
/// keystroke → diagnostics p99 17–24 ms and hover p99 5–15 ms, in steps
/// of the 4 ms kernel tick; without, 5.3–6.2 ms and 0.95–1.0 ms. A cold
/// index of 10,000 articles is faster without them too (4.3 s against
/// 4.9 s), and the peak resident set smaller. Call it first thing, before
/// the corpus is read; memory already touched keeps its pages.
pub fn prefer_small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag
    // on this process; an old kernel that lacks it returns an error, which
    // leaves things as they were.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Give what the calling thread freed back to the system now: mimalloc
/// returns freed pages lazily, on a later allocation of the thread that
/// freed them.
pub fn release_thread_memory() {
    // SAFETY: `mi_collect` takes no pointers and only walks the calling
    // thread's own heap; it is safe to call at any time.
    unsafe { libmimalloc_sys::mi_collect(false) };
}

/// Give the memory freed so far back to the system, on every thread of
/// the pool and this one (forcing out what other threads freed into their
/// heaps too): the pool's threads go idle after a load with the buffers
/// they decoded freed but still resident.
pub fn release_freed_memory() {
    // SAFETY: `mi_collect` takes no pointers and only walks the calling
    // thread's own heap; it is safe to call at any time.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    unsafe { libmimalloc_sys::mi_collect(true) };
}
