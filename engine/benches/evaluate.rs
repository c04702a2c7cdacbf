//! Evaluate one case on the shipped Guangdong ruleset: facts pre-parsed, and JSON in → JSON out.
//! Run: `cargo bench -p cailiang-engine --bench evaluate`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use cailiang_engine::Ruleset;
use criterion::{criterion_group, criterion_main, Criterion};

fn load() -> Ruleset {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets");
    let mut sources = Vec::new();
    for d in ["national", "guangdong"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(d))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().map(|x| x == "rules").unwrap_or(false))
            .collect();
        paths.sort();
        for p in paths {
            sources.push((
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
    let out = cailiang_dsl::load(sources);
    Ruleset::compile(
        out.program.as_ref().expect("rules check"),
        Some("广东省生态环境行政处罚裁量基准"),
    )
    .unwrap()
}

const CASE: &str = r#"{"violation":"EIA-31-1","occurred_on":"2024-03-01","discovered_on":"2024-07-10","decided_on":"2024-09-01",
"facts":{"总投资额":"2000万元","环评文件类别":"报告书未纳入重点管理","建设地点":"限批区或敏感区","建设情况":"设备安装阶段","持续月数":4,"近二年同类次数":2}}"#;

fn bench(c: &mut Criterion) {
    let rs = load();
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
