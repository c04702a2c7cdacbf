//! Native helper for the WASM package's tests and the preview page: for each ruleset folder
//! given, print the rule files exactly as `cailiang eval --rules FOLDER` loads them (display
//! names, order, parents from sibling folders, the leaf chosen) and every example case as JSON
//! text (YAML converted by the engine's own reader), so JavaScript can feed the same inputs to
//! the WASM build.
//!
//! `cargo run -q -p cailiang-wasm --example export -- rulesets/guangdong [more folders]`

#[allow(dead_code, missing_docs)]
#[path = "../../cli/src/load.rs"]
mod load;

use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

fn cases(dir: &Path) -> Result<Vec<Value>, String> {
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir.join("examples")) {
        Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
        Err(_) => return Ok(Vec::new()),
    };
    paths.retain(|p| {
        p.extension()
            .map(|x| x == "yaml" || x == "yml" || x == "json")
            .unwrap_or(false)
    });
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        let yaml = !p.extension().map(|x| x == "json").unwrap_or(false);
        let parsed = if yaml {
            cailiang_engine::case::parse_yaml(&text)
        } else {
            cailiang_engine::case::parse_json(&text)
        };
        let case_json = match parsed {
            Ok(v) => serde_json::to_string(&v).map_err(|e| e.to_string())?,
            // An unreadable case travels as written; both engines must then reject it alike.
            Err(_) => text.clone(),
        };
        out.push(json!({
            "path": p.display().to_string(),
            "name": p.file_name().map(|n| n.to_string_lossy().into_owned()),
            "yaml": yaml,
            "case": case_json,
        }));
    }
    Ok(out)
}

fn export(dir: &Path) -> Result<Value, String> {
    let loaded = load::load(&[dir.to_path_buf()])?;
    let leaf = load::leaf(&loaded, None);
    let mut files = Map::new();
    for (name, text) in &loaded.sources {
        files.insert(name.clone(), Value::String(text.clone()));
    }
    Ok(json!({
        "dir": dir.display().to_string(),
        "leaf": leaf,
        "files": files,
        "cases": cases(dir)?,
    }))
}

fn main() -> std::process::ExitCode {
    let mut all = Vec::new();
    for arg in std::env::args().skip(1) {
        match export(Path::new(&arg)) {
            Ok(v) => all.push(v),
            Err(e) => {
                eprintln!("错误：{e}");
                return std::process::ExitCode::from(1);
            }
        }
    }
    println!("{}", Value::Array(all));
    std::process::ExitCode::SUCCESS
}
