//! The shipped Guangdong ruleset (with the national rules it extends), compiled for the
//! benchmark and the profiling examples, so that all of them measure the same rules.
//! Examples include this file with `#[path]`; it is not a bench target of its own.

use cailiang_engine::Ruleset;

/// Every `.rules` file of `rulesets/national` and `rulesets/guangdong`, in name order,
/// compiled under the Guangdong benchmark's name.
pub fn guangdong() -> Ruleset {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets");
    let mut sources = Vec::new();
    for d in ["national", "guangdong"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(d))
            .expect("rulesets folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().map(|x| x == "rules").unwrap_or(false))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).expect("rule file");
            sources.push((p.display().to_string(), text));
        }
    }
    let out = cailiang_dsl::load(sources);
    Ruleset::compile(
        out.program.as_ref().expect("rules check"),
        Some("广东省生态环境行政处罚裁量基准"),
    )
    .expect("rules compile")
}
