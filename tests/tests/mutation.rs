//! Mutation sweep over the shipped rulesets (legal staff save half-written files): every
//! single-line deletion, duplicated lines and truncations at many points. `check` must never
//! panic, and every failure must carry a diagnostic located inside the file.
//! Each mutant is checked on its own (its parents absent), which exercises the parser and
//! every checker pass without re-checking the whole program per mutant.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                if !p.ends_with("invalid") {
                    stack.push(p);
                }
            } else if p.extension().map(|x| x == "rules").unwrap_or(false) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn assert_located(name: &str, text: &str, what: &str) {
    let out = cailiang_dsl::load(vec![(name.to_string(), text.to_string())]);
    if out.program.is_none() {
        let files = [cailiang_dsl::SourceFile::new(name, text)];
        assert!(
            !out.diagnostics.is_empty(),
            "{what}: failed without a diagnostic"
        );
        for d in &out.diagnostics {
            let l = d.locate(&files);
            let lines = text.lines().count().max(1) + 1;
            assert!(
                l.line >= 1 && l.line <= lines,
                "{what}: diagnostic at {}:{} outside the file",
                l.line,
                l.column
            );
            assert!(
                d.span.end as usize <= text.len() && d.span.start <= d.span.end,
                "{what}: span {:?} outside the text",
                d.span
            );
        }
    }
}

#[test]
fn deletions_duplications_and_truncations_never_panic() {
    // MUTATION_FULL=1 mutates every line (scripts/mutation-sweep, minutes); CI samples 12
    // evenly spaced lines and 12 truncation points per file.
    let full = std::env::var("MUTATION_FULL").is_ok();
    let mut mutants = 0usize;
    for path in files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let lines: Vec<&str> = text.lines().collect();
        let stride = if full { 1 } else { (lines.len() / 12).max(1) };
        for i in (0..lines.len()).step_by(stride) {
            let mut del = lines.clone();
            del.remove(i);
            assert_located(
                &name,
                &del.join("\n"),
                &format!("{name}: line {} deleted", i + 1),
            );
            let mut dup = lines.clone();
            dup.insert(i, lines[i]);
            assert_located(
                &name,
                &dup.join("\n"),
                &format!("{name}: line {} duplicated", i + 1),
            );
            mutants += 2;
        }
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let step = (bounds.len() / if full { 64 } else { 12 }).max(1);
        for &b in bounds.iter().step_by(step) {
            assert_located(&name, &text[..b], &format!("{name}: truncated at byte {b}"));
            mutants += 1;
        }
    }
    assert!(mutants > 500, "only {mutants} mutants");
}
