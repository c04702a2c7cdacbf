//! Development aid: read one case many times (for callgrind).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/mod.rs"]
mod support;

fn main() {
    let rs = support::guangdong();
    let case = r#"{"violation":"EIA-31-1","occurred_on":"2024-03-01","discovered_on":"2024-07-10","decided_on":"2024-09-01","facts":{"总投资额":"2000万元","环评文件类别":"报告书未纳入重点管理","建设地点":"限批区或敏感区","建设情况":"设备安装阶段","持续月数":4,"近二年同类次数":2}}"#;
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20000);
    let mut total = 0usize;
    for _ in 0..n {
        total += read_once(&rs, std::hint::black_box(case));
    }
    eprintln!("{total}");
}

#[inline(never)]
fn read_once(rs: &cailiang_engine::Ruleset, case: &str) -> usize {
    rs.prepare_text(case, false).unwrap().codes.len()
}
