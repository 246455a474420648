//! Guide search benchmark: building one region's index from the whole embedded pack, and
//! answering the queries a person types (the words, a misspelt one, a long one).
//!
//! Quick figures: `cargo bench -p holdfast-content --bench search -- --quick`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use holdfast_content::search::SearchIndex;
use holdfast_content::{ContentPack, Region};

fn bench(c: &mut Criterion) {
    let Ok(pack) = ContentPack::embedded() else {
        eprintln!("the embedded pack does not load; the content tests say why");
        return;
    };
    c.bench_function("build index (US, whole pack)", |b| {
        b.iter(|| SearchIndex::build(black_box(&pack), Region::Us).map(|_| ()))
    });
    let Ok(index) = SearchIndex::build(&pack, Region::Us) else {
        eprintln!("the index could not be built");
        return;
    };
    for query in [
        "constipation",
        "can't sleep",
        "benzo",
        "jail",
        "pain",
        "waiting list",
        "constipaton",
        "what do I do if my friend took too much and will not wake up",
    ] {
        c.bench_function(&format!("search {query:?}"), |b| {
            b.iter(|| index.search(black_box(query)).map(|r| r.hits.len()))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
