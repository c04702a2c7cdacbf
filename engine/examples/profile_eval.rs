//! Development aid: evaluate one case many times (for callgrind / perf).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/mod.rs"]
mod support;

fn main() {
    let rs = support::guangdong();
    let bench = r#"{"violation":"EIA-31-1","occurred_on":"2024-03-01","discovered_on":"2024-07-10","decided_on":"2024-09-01","facts":{"总投资额":"2000万元","环评文件类别":"报告书未纳入重点管理","建设地点":"限批区或敏感区","建设情况":"设备安装阶段","持续月数":4,"近二年同类次数":2}}"#;
    // CASE=<case JSON> profiles another case (say a banded table's) instead of the benchmark's.
    let other = std::env::var("CASE").ok();
    let case = other.as_deref().unwrap_or(bench);
    let json: serde_json::Value = serde_json::from_str(case).unwrap();
    let c = rs.prepare(&json).unwrap();
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20000);
    let t = std::time::Instant::now();
    let mut total = 0usize;
    let (json, quiet) = (
        std::env::var("JSON").is_ok(),
        std::env::var("QUIET").is_ok(),
    );
    for _ in 0..n {
        total += if json {
            rs.evaluate_text(std::hint::black_box(case), false)
                .unwrap()
                .to_json()
                .len()
        } else if quiet {
            rs.evaluate_numbers(&c).unwrap().adjustments.len()
        } else {
            rs.evaluate(&c).unwrap().explanation.len()
        };
    }
    eprintln!("{} ns/eval ({total})", t.elapsed().as_nanos() / n as u128);
}
