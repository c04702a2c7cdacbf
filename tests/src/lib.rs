//! Helpers shared by the cross-crate tests: compile rules from text, run a case, and make
//! random cases from a catalogue ([`generate`]).

pub mod generate;

use cailiang_engine::{Decision, EngineError, Ruleset};

/// Compile one or more rule texts (named a.rules, b.rules, …); panics in tests only via Result.
pub fn ruleset(texts: &[&str]) -> Result<Ruleset, String> {
    let sources = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("{}.rules", (b'a' + i as u8) as char), t.to_string()))
        .collect();
    let out = cailiang_dsl::load(sources);
    let Some(p) = out.program else {
        return Err(format!("{:?}", out.diagnostics));
    };
    Ruleset::compile(&p, None).map_err(|e| e.to_string())
}

/// Evaluate a case written as YAML.
pub fn decide<'rs>(rs: &'rs Ruleset, yaml: &str) -> Result<Decision<'rs>, EngineError> {
    rs.evaluate_text(yaml, true)
}

/// A shipped ruleset folder and the national rules it extends, read from disk (for tests
/// over real rules).
pub fn shipped(dir: &str) -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("rulesets");
    let mut out = Vec::new();
    let dirs: &[&str] = if dir == "national" {
        &["national"]
    } else {
        &["national", dir]
    };
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(root.join(d)) else {
            continue;
        };
        let mut paths: Vec<_> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().map(|x| x == "rules").unwrap_or(false))
            .collect();
        paths.sort();
        for p in paths {
            if let Ok(t) = std::fs::read_to_string(&p) {
                out.push((p.display().to_string(), t));
            }
        }
    }
    out
}
