//! `cailiang eval --rules PATH CASE… [--format json|text]`

use crate::{load, render};
use cailiang_dsl::SourceFile;
use cailiang_engine::{EngineError, Ruleset};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Load, check and compile rules; diagnostics go to stderr. Err carries the exit status.
pub fn compile(paths: &[PathBuf], ruleset: Option<&str>) -> Result<Ruleset, u8> {
    let loaded = load::load(paths).map_err(|e| {
        eprintln!("错误：{e}");
        2u8
    })?;
    let leaf = load::leaf(&loaded, ruleset);
    let files: Vec<SourceFile> = loaded
        .sources
        .iter()
        .map(|(n, t)| SourceFile::new(n.clone(), t.clone()))
        .collect();
    let out = cailiang_dsl::load(loaded.sources);
    let Some(program) = out.program else {
        eprint!("{}", render::pretty(&out.diagnostics, &files));
        return Err(1);
    };
    Ruleset::compile(&program, leaf.as_deref()).map_err(|e| {
        eprintln!("错误：{e}");
        2
    })
}

/// Print case errors, one per line, naming the field.
pub fn print_case_errors(name: &str, e: &EngineError) {
    match e {
        EngineError::Case(errs) => {
            for c in errs {
                eprintln!("{name}: 错误[{}]: {c}", c.code());
            }
        }
        EngineError::Eval(x) => eprintln!("{name}: 错误: {x}"),
    }
}

fn read_case(p: &Path) -> Result<(String, bool), String> {
    if p.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| e.to_string())?;
        return Ok((s, false));
    }
    let yaml = p
        .extension()
        .map(|x| x == "yaml" || x == "yml")
        .unwrap_or(false);
    std::fs::read_to_string(p)
        .map(|s| (s, yaml))
        .map_err(|e| format!("读取 {} 失败：{e}", p.display()))
}

/// Evaluate each case; 0 all decided, 1 any case error.
pub fn run(rules: &[PathBuf], ruleset: Option<&str>, cases: &[PathBuf], json: bool) -> u8 {
    let rs = match compile(rules, ruleset) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut status = 0;
    let mut outputs = Vec::new();
    for c in cases {
        let (text, yaml) = match read_case(c) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("错误：{e}");
                status = 1;
                continue;
            }
        };
        match rs.evaluate_text(&text, yaml) {
            Ok(d) => outputs.push(if json { d.to_json() } else { d.to_text() }),
            Err(e) => {
                print_case_errors(&c.display().to_string(), &e);
                status = 1;
            }
        }
    }
    print_outputs(&outputs, json);
    status
}

/// Print results the way every subcommand does (and the WASM conformance test mirrors): one
/// result as is, several JSON results as one array `[a,\nb]`, text results one after another.
pub fn print_outputs(outputs: &[String], json: bool) {
    if json && outputs.len() > 1 {
        outln!("[{}]", outputs.join(",\n"));
    } else {
        for o in outputs {
            outln!("{o}");
        }
    }
}
