//! Development aid: read one case many times (for callgrind).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

fn main() {
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
    let rs = cailiang_engine::Ruleset::compile(
        out.program.as_ref().expect("rules"),
        Some("广东省生态环境行政处罚裁量基准"),
    )
    .unwrap();
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
