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

/// Set this process's memory up the way the server is measured to run
/// best; call it first thing, before the corpus is read (memory already
/// touched keeps its pages). Two settings:
///
/// - **Ordinary 4 KiB pages:** transparent huge pages are turned off for
///   this process (and what it starts). mimalloc asks the kernel for huge
///   pages where it may, and where the system defragments on demand
///   (`defrag = madvise`, the common default) a fault on a fresh region
///   can wait for memory to be compacted. Measured with
///   `examples/lsp_latency --pad-to 30000`, four runs each: with huge
///   pages, keystroke → diagnostics p99 17–24 ms and hover p99 5–15 ms,
///   in steps of the 4 ms kernel tick; without, 5.3–6.2 ms and
///   0.95–1.0 ms. A cold index of 10,000 articles is faster without them
///   too (4.3 s against 4.9 s), and the peak resident set smaller.
/// - **Freed memory goes back after [`PURGE_DELAY_MS`]**, not after
///   mimalloc 3's default of a second. A check of a large draft frees and
///   allocates tens of MB stage after stage, mostly on other threads than
///   the one that freed it; held for a second, all of it stayed resident
///   until the check was over. With 100,000 articles, the server over
///   stdio with a 3 MB draft (`examples/lsp_latency --pad-to 3000000`)
///   peaked at 884–890 MiB against 977–988; `cargo bench --bench scale`
///   at 900–907 against 948–964, and at 10,000 articles at 212–214
///   against 271–276. A 30 KB re-check is unchanged (3.9–4.2 ms against
///   3.6–4.4); a 3 MB re-check is 5–15% slower, as pages freed are
///   faulted in again. Reading and indexing a corpus keeps the longer
///   delay (see [`LoadingMemory`]). `MIMALLOC_PURGE_DELAY` in the
///   environment overrides both.
pub fn tune_memory() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag
    // on this process; an old kernel that lacks it returns an error, which
    // leaves things as they were.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        let mut loads = LOADS.lock().unwrap_or_else(|e| e.into_inner());
        loads.tuned = true;
        loads.apply();
    }
}

/// Loads under way, and whether [`tune_memory`] chose the delays.
struct Loads {
    tuned: bool,
    running: usize,
}

impl Loads {
    /// The purge delay now, when Dossier chooses it.
    fn delay(&self) -> Option<std::os::raw::c_long> {
        self.tuned.then_some(if self.running > 0 {
            LOADING_PURGE_DELAY_MS
        } else {
            PURGE_DELAY_MS
        })
    }

    fn apply(&self) {
        if let Some(ms) = self.delay() {
            // SAFETY: mi_option_set takes an option number and a value and
            // only stores the value; mimalloc reads it at its next purge.
            unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, ms) };
        }
    }
}

static LOADS: std::sync::Mutex<Loads> = std::sync::Mutex::new(Loads {
    tuned: false,
    running: 0,
});

/// While one of these lives (and [`tune_memory`] ran), mimalloc keeps
/// freed memory for [`LOADING_PURGE_DELAY_MS`]: reading and indexing a
/// corpus frees and allocates buffers all the time, and handing them back
/// sooner made a cold index of 10,000 articles 17% slower (7.9–8.2 s
/// against 6.7–7.2, three runs each) for a peak that was 310–320 MB
/// instead of 355–370. The load hands its memory back when it is done
/// ([`release_freed_memory`]). Loads may overlap: the short delay comes
/// back when the last ends.
#[must_use]
pub struct LoadingMemory(());

impl LoadingMemory {
    pub fn hold() -> LoadingMemory {
        let mut loads = LOADS.lock().unwrap_or_else(|e| e.into_inner());
        loads.running += 1;
        loads.apply();
        LoadingMemory(())
    }
}

impl Drop for LoadingMemory {
    fn drop(&mut self) {
        let mut loads = LOADS.lock().unwrap_or_else(|e| e.into_inner());
        loads.running -= 1;
        loads.apply();
    }
}

/// mimalloc 3's own default, kept while a corpus loads.
pub const LOADING_PURGE_DELAY_MS: std::os::raw::c_long = 1000;

/// How long mimalloc keeps freed memory before handing it back (see
/// [`tune_memory`]): mimalloc 2's default.
pub const PURGE_DELAY_MS: std::os::raw::c_long = 10;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (the bindings
/// name only some of the options).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number is mimalloc 3's purge delay: untouched (no test
    /// tunes this process) it holds that option's default of a second; a
    /// mimalloc that renumbered its options would show another's value.
    #[test]
    fn the_purge_delay_option_is_mimallocs() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: mi_option_get only reads an option's value.
        let ms = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(ms, LOADING_PURGE_DELAY_MS, "option {MI_OPTION_PURGE_DELAY}");
    }

    #[test]
    fn a_load_keeps_freed_memory_longer_until_the_last_load_ends() {
        let mut loads = Loads {
            tuned: false,
            running: 0,
        };
        assert_eq!(loads.delay(), None, "untuned: mimalloc's own");
        loads.running = 1;
        assert_eq!(loads.delay(), None);
        loads.tuned = true;
        assert_eq!(loads.delay(), Some(LOADING_PURGE_DELAY_MS));
        loads.running = 2;
        assert_eq!(loads.delay(), Some(LOADING_PURGE_DELAY_MS));
        loads.running = 0;
        assert_eq!(loads.delay(), Some(PURGE_DELAY_MS));
    }
}
