//! The cailiang rule language: text → [`ast`] ([`parse()`]) → checked [`ir::Program`]
//! ([`check()`]). Nothing here touches files, clocks or threads: it builds for wasm32.

pub mod ast;
pub mod check;
pub mod diagnostic;
pub mod format;
pub mod ir;
pub mod parse;
pub mod span;

pub use check::{check, CheckError, CheckOutput};
pub use diagnostic::{Diagnostic, Located, Severity};
pub use parse::{parse, ParseError};
pub use span::{FileId, SourceFile, Span};

/// Parse and check a program given as (name, text) pairs. Parse errors of every file and
/// check findings come back together, sorted by position; the program is `Some` only when
/// there is no error.
///
/// ```
/// let out = cailiang_dsl::load(vec![("a.rules".into(), "规则集 示例\n事实 甲：金额\n".into())]);
/// assert!(out.program.is_some());
/// ```
pub fn load(sources: Vec<(String, String)>) -> CheckOutput {
    let files: Vec<SourceFile> = sources
        .into_iter()
        .map(|(n, t)| SourceFile::new(n, t))
        .collect();
    let mut asts = Vec::new();
    let mut parse_errors = Vec::new();
    for (i, f) in files.iter().enumerate() {
        match parse(i as FileId, &f.text) {
            Ok(a) => asts.push(a),
            Err(e) => parse_errors.push(e.to_diagnostic()),
        }
    }
    if !parse_errors.is_empty() {
        diagnostic::sort(&mut parse_errors);
        return CheckOutput {
            program: None,
            diagnostics: parse_errors,
        };
    }
    check(files, &asts)
}
