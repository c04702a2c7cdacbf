//! Development aid: the bench case's cost when the caches were disturbed just before it.
//!
//! `cargo run --release -p cailiang-engine --example cold_eval -- 0 1024 4096` touches that many
//! KB of other memory (one write per 64-byte line) before each of 4,000 evaluations and prints
//! the median nanoseconds per evaluation, numbers only and JSON text → JSON text. On this
//! project's shared VM the slow criterion windows (see `scripts/bench-windows`) look like the
//! 1 MB line: a neighbour on the same core evicts part of what one evaluation reads.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/mod.rs"]
mod support;

const CASE: &str = r#"{"violation":"EIA-31-1","occurred_on":"2024-03-01","discovered_on":"2024-07-10","decided_on":"2024-09-01","facts":{"总投资额":"2000万元","环评文件类别":"报告书未纳入重点管理","建设地点":"限批区或敏感区","建设情况":"设备安装阶段","持续月数":4,"近二年同类次数":2}}"#;

/// Evaluations timed per size and mode.
const RUNS: usize = 4_000;

fn main() {
    let rs = support::guangdong();
    let json: serde_json::Value = serde_json::from_str(CASE).unwrap();
    let case = rs.prepare(&json).unwrap();
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|s| s.parse().expect("sizes in KB"))
        .collect();
    for kb in if sizes.is_empty() {
        vec![0, 1024]
    } else {
        sizes
    } {
        let mut other = vec![0u8; kb * 1024];
        for json_mode in [false, true] {
            let mut times = Vec::with_capacity(RUNS);
            for round in 0..RUNS {
                for byte in other.iter_mut().step_by(64) {
                    *byte = byte.wrapping_add(round as u8);
                }
                std::hint::black_box(&other);
                let start = std::time::Instant::now();
                if json_mode {
                    let text = rs.evaluate_text(std::hint::black_box(CASE), false).unwrap();
                    std::hint::black_box(text.to_json());
                } else {
                    std::hint::black_box(rs.evaluate_numbers(std::hint::black_box(&case)).unwrap());
                }
                times.push(start.elapsed().as_nanos());
            }
            times.sort_unstable();
            let what = if json_mode { "JSON→JSON" } else { "numbers" };
            let median = times.get(RUNS / 2).copied().unwrap_or_default();
            println!("{kb:>6} KB touched before each: {what:<9} median {median} ns");
        }
    }
}
