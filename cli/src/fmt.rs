//! `cailiang fmt [--check] PATH…`

use crate::load;
use std::path::PathBuf;

/// Format files in place, or with `check` report the ones that are not formatted.
pub fn run(paths: &[PathBuf], check: bool) -> u8 {
    let mut files = Vec::new();
    for p in paths {
        match load::rules_files(p, true) {
            Ok(f) => files.extend(f),
            Err(e) => {
                eprintln!("错误：读取 {} 失败：{e}", p.display());
                return 2;
            }
        }
    }
    let mut status = 0;
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            eprintln!("错误：读取 {} 失败", f.display());
            status = 1;
            continue;
        };
        match cailiang_dsl::format::format_source(&text) {
            Ok(out) if out == text => {}
            Ok(out) => {
                if check {
                    eprintln!("未格式化：{}", f.display());
                    status = 1;
                } else if let Err(e) = std::fs::write(&f, out) {
                    eprintln!("错误：写入 {} 失败：{e}", f.display());
                    status = 1;
                }
            }
            Err(e) => {
                let files = vec![cailiang_dsl::SourceFile::new(f.display().to_string(), text)];
                eprint!("{}", crate::render::pretty(&[e.to_diagnostic()], &files));
                status = 1;
            }
        }
    }
    status
}
