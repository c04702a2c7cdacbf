//! Parse + check a generated ruleset of about 5,000 lines.
//! Run: `cargo bench -p cailiang-dsl --bench check`.
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{criterion_group, criterion_main, Criterion};

fn generate() -> String {
    let mut s = String::from("规则集 生成\n  边界 以下不含本数，以上含本数\n事实 总投资额：金额\n事实 持续月数：数值\n事实 次数：整数 默认 1\n事实 类别：｛甲，乙，丙｝\n事实 配合：是否 默认 是\n");
    let mut i = 0;
    while s.lines().count() < 5000 {
        s.push_str(&format!(
            "违法行为 G-{i} \"生成的违法行为{i}\"\n  违反 \"某法第{i}条\"\n  依据 \"某法第{i}条\"\n  罚款 10万元 至 100万元\n  并处 责令改正\n  裁量 权重累加\n    起点 10%\n    因素 类别：甲 0%，乙 20%，丙 30%\n    因素 持续月数：3以下 0%，3以上6以下 10%，6以上 20%\n    因素 次数：1 0%，2 10%，3以上 20%\n    因素 配合：是 0%，否 20%\n  免罚 轻微{i} 不予处罚 当 配合 且 次数 = 1 且 总投资额 < 10万元 依据 \"第三十三条\"\n"
        ));
        i += 1;
    }
    s
}

fn bench(c: &mut Criterion) {
    let src = generate();
    let lines = src.lines().count();
    c.bench_function(&format!("parse + check {lines} lines"), |b| {
        b.iter(|| {
            let out = cailiang_dsl::load(vec![(
                "gen.rules".into(),
                std::hint::black_box(src.clone()),
            )]);
            assert!(out.program.is_some());
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
