//! Differential testing, native side: random cases for one ruleset folder, each with the
//! native answer, as JSONL for `wasm/tests/differential.mjs` (which asks the WASM build the
//! same question and compares the bytes). `scripts/differential` runs both for every ruleset.
//!
//! `cargo run -q -p cailiang-tests --example gen-cases -- RULESET-DIR COUNT SEED [--only I,J…]`
//!
//! The rules are loaded exactly as `cailiang eval --rules RULESET-DIR` loads them (display
//! names, order, parents from sibling folders, the leaf chosen: cli/src/load.rs). Line 1 is a
//! header `{"header": true, dir, leaf, name, seed, count, entries, files}` (the files as the
//! WASM `compile` takes them); then one line per case
//! `{"i", "codes", "tags", "case": "<case JSON text>", "native": "<report>"}` where the report
//! is what the WASM `Ruleset.evaluate` returns, made natively by the same code
//! (`cailiang_wasm::api::evaluate`: the CLI's `Ruleset::evaluate_text`, explanations on, then
//! `{"ok":true,"json":<Decision::to_json>}` or `{"ok":false,"errors":[{code,field,message}]}`).
//! Case `I` of a run depends only on the catalogue, SEED and I, so `--only I` reproduces it.

#[allow(dead_code, missing_docs)]
#[path = "../../cli/src/load.rs"]
mod load;

use cailiang_tests::generate::{Generator, Options};
use serde_json::{json, Map, Value};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("用法：gen-cases RULESET-DIR COUNT SEED [--only I,J…]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(count), Some(seed)) = (args.first(), args.get(1), args.get(2)) else {
        return usage();
    };
    let (Ok(count), Ok(seed)) = (count.parse::<u64>(), seed.parse::<u64>()) else {
        return usage();
    };
    let only: Option<Vec<u64>> = match (args.get(3).map(String::as_str), args.get(4)) {
        (Some("--only"), Some(list)) => Some(
            list.split(',')
                .filter_map(|x| x.trim().parse::<u64>().ok())
                .collect(),
        ),
        (None, _) => None,
        _ => return usage(),
    };

    let loaded = match load::load(&[PathBuf::from(dir)]) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(2);
        }
    };
    let leaf = load::leaf(&loaded, None);
    let mut files = Map::new();
    for (name, text) in &loaded.sources {
        files.insert(name.clone(), Value::String(text.clone()));
    }
    let (report, rs) = cailiang_wasm::api::compile(loaded.sources.clone(), leaf.as_deref());
    let Some(rs) = rs else {
        eprintln!(
            "错误：{dir} 未能编译：{}",
            cailiang_wasm::dto::to_text(&report)
        );
        return ExitCode::from(1);
    };
    let gen = Generator::new(rs.catalogue(), seed, Options::differential());

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let header = json!({
        "header": true,
        "dir": dir,
        "leaf": leaf,
        "name": rs.name(),
        "seed": seed,
        "count": only.as_ref().map(|o| o.len() as u64).unwrap_or(count),
        "entries": gen.entries().len(),
        "files": files,
    });
    if writeln!(out, "{header}").is_err() {
        return ExitCode::from(1);
    }
    let started = std::time::Instant::now();
    let indices: Box<dyn Iterator<Item = u64>> = match only {
        Some(o) => Box::new(o.into_iter()),
        None => Box::new(0..count),
    };
    let (mut decided, mut failed, mut n) = (0u64, 0u64, 0u64);
    for i in indices {
        let g = gen.case(i);
        let native = cailiang_wasm::dto::to_text(&cailiang_wasm::api::evaluate(&rs, &g.text));
        if native.starts_with(r#"{"ok":true"#) {
            decided += 1;
        } else {
            failed += 1;
        }
        n += 1;
        let line = json!({
            "i": i,
            "codes": g.codes,
            "tags": g.tags,
            "case": g.text,
            "native": native,
        });
        // A reader that went away (`| head`) ends the run quietly.
        if writeln!(out, "{line}").is_err() {
            return ExitCode::SUCCESS;
        }
    }
    if out.flush().is_err() {
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "gen-cases {dir}: {n} cases ({decided} decided, {failed} rejected) natively in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
