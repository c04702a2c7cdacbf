//! `cailiang check PATH…`

use crate::{load, render};
use cailiang_dsl::{diagnostic, SourceFile};
use std::path::PathBuf;

/// Check rule files; 0 clean (warnings allowed), 1 errors, 2 usage.
pub fn run(paths: &[PathBuf], json: bool) -> u8 {
    let loaded = match load::load(paths) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("错误：{e}");
            return 2;
        }
    };
    let files: Vec<SourceFile> = loaded
        .sources
        .iter()
        .map(|(n, t)| SourceFile::new(n.clone(), t.clone()))
        .collect();
    let n = files.len();
    let out = cailiang_dsl::load(loaded.sources);
    if json {
        outln!("{}", render::json(&out.diagnostics, &files));
    } else if !out.diagnostics.is_empty() {
        eprint!("{}", render::pretty(&out.diagnostics, &files));
    }
    let errors = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == cailiang_dsl::Severity::Error)
        .count();
    let warnings = out.diagnostics.len() - errors;
    if !json {
        if diagnostic::has_errors(&out.diagnostics) {
            eprintln!("检查了 {n} 个文件：{errors} 个错误，{warnings} 个警告");
        } else {
            outln!("检查了 {n} 个文件：没有错误，{warnings} 个警告");
        }
    }
    u8::from(errors > 0)
}
