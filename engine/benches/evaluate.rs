//! Evaluate one case on the shipped Guangdong ruleset: facts pre-parsed, and JSON in → JSON out.
//! Run: `cargo bench -p cailiang-engine --bench evaluate`; `scripts/bench-windows` runs it in
//! many short windows, because this shared VM's speed changes within seconds.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};

mod support;

const CASE: &str = r#"{"violation":"EIA-31-1","occurred_on":"2024-03-01","discovered_on":"2024-07-10","decided_on":"2024-09-01",
"facts":{"总投资额":"2000万元","环评文件类别":"报告书未纳入重点管理","建设地点":"限批区或敏感区","建设情况":"设备安装阶段","持续月数":4,"近二年同类次数":2}}"#;

fn bench(c: &mut Criterion) {
    let rs = support::guangdong();
    let json: serde_json::Value = serde_json::from_str(CASE).unwrap();
    let case = rs.prepare(&json).unwrap();
    c.bench_function("evaluate (facts pre-parsed)", |b| {
        b.iter(|| rs.evaluate(std::hint::black_box(&case)).unwrap())
    });
    c.bench_function("evaluate_numbers (facts pre-parsed, no explanation)", |b| {
        b.iter(|| rs.evaluate_numbers(std::hint::black_box(&case)).unwrap())
    });
    c.bench_function("evaluate (JSON in, JSON out)", |b| {
        b.iter(|| {
            rs.evaluate_text(std::hint::black_box(CASE), false)
                .unwrap()
                .to_json()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
