//! Indexing throughput: how many MB of source text per second the corpus
//! engine turns into a knowledge base (reading, sentences, names, quotes,
//! merging, look-up structures). Runs on the embedded seeds and, when the
//! shared Wikinews corpus sits beside the checkout, on its 294 articles.
//!
//! `cargo bench --bench indexing` prints criterion's throughput figures.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dossier::corpus::source::{self, LoadOptions};
use dossier::corpus::Corpus;

fn bench_indexing(c: &mut Criterion) {
    dossier::tune_memory();
    let mut group = c.benchmark_group("index");
    group.sample_size(10);

    let seeds = source::load(&[], true, &LoadOptions::default());
    let bytes: usize = seeds.files.iter().map(|f| f.text.len()).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("seeds", |b| {
        b.iter(|| {
            let files = source::load(&[], true, &LoadOptions::default());
            Corpus::build(files)
        })
    });

    let wikinews = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/wikinews");
    if wikinews.is_dir() {
        let roots = [wikinews];
        let loaded = source::load(&roots, false, &LoadOptions::default());
        let bytes: usize = loaded.files.iter().map(|f| f.text.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function("wikinews-294", |b| {
            b.iter(|| Corpus::build(source::load(&roots, false, &LoadOptions::default())))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_indexing);
criterion_main!(benches);
