//! The invalid-ruleset suite: every entry of `rulesets/invalid/` must fail (or, for a `W…`
//! code, warn) with the diagnostic it declares, at the place it declares, and its plain
//! rendering is snapshotted so message, position and help changes show up in review.
//!
//! An entry is either one `.rules` file whose first line is `# 期望: E0101 7:8`, or a folder
//! of `.rules` files checked together with an `expect.txt` such as `E0601 b.rules 3:3`. See
//! `rulesets/invalid/README.md`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cailiang_dsl::diagnostic::render_plain;
use cailiang_dsl::{load, Severity, SourceFile};
use std::path::{Path, PathBuf};

/// The diagnostic an entry declares.
#[derive(Debug)]
struct Expect {
    code: String,
    /// For folders: the file, relative to the folder.
    file: Option<String>,
    line: usize,
    column: usize,
}

struct Case {
    /// File stem or folder name; also the snapshot name.
    name: String,
    /// (name shown in diagnostics, text), in load order.
    sources: Vec<(String, String)>,
    expect: Expect,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets/invalid")
}

/// `E0101 7:8` or `E0601 b.rules 3:3`.
fn parse_expect(s: &str) -> Result<Expect, String> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let (code, file, pos) = match parts.as_slice() {
        [code, pos] => (*code, None, *pos),
        [code, file, pos] => (*code, Some(file.to_string()), *pos),
        _ => return Err(format!("期望格式应为“代码 [文件] 行:列”，实际为“{s}”")),
    };
    let (line, column) = pos
        .split_once(':')
        .and_then(|(l, c)| Some((l.parse().ok()?, c.parse().ok()?)))
        .ok_or_else(|| format!("位置应为“行:列”，实际为“{pos}”"))?;
    Ok(Expect {
        code: code.to_string(),
        file,
        line,
        column,
    })
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for path in sorted_entries(&root()) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            let expect_text = std::fs::read_to_string(path.join("expect.txt"))
                .unwrap_or_else(|e| panic!("{name}/expect.txt: {e}"));
            let expect = parse_expect(expect_text.trim())
                .unwrap_or_else(|e| panic!("{name}/expect.txt: {e}"));
            let sources: Vec<(String, String)> = sorted_entries(&path)
                .into_iter()
                .filter(|p| p.extension().is_some_and(|x| x == "rules"))
                .map(|p| {
                    let file = p.file_name().unwrap().to_string_lossy().into_owned();
                    (
                        format!("{name}/{file}"),
                        std::fs::read_to_string(&p).unwrap(),
                    )
                })
                .collect();
            assert!(
                sources.len() >= 2,
                "{name}: a folder holds several .rules files"
            );
            out.push(Case {
                name,
                sources,
                expect,
            });
        } else if path.extension().is_some_and(|x| x == "rules") {
            let text = std::fs::read_to_string(&path).unwrap();
            let first = text.lines().next().unwrap_or("");
            let spec = first
                .strip_prefix('#')
                .map(str::trim_start)
                .and_then(|s| s.strip_prefix("期望"))
                .and_then(|s| s.strip_prefix(':').or_else(|| s.strip_prefix('：')))
                .unwrap_or_else(|| panic!("{name}: 第一行应为“# 期望: 代码 行:列”"));
            let expect = parse_expect(spec).unwrap_or_else(|e| panic!("{name}: {e}"));
            let stem = name.trim_end_matches(".rules").to_string();
            out.push(Case {
                name: stem,
                sources: vec![(name, text)],
                expect,
            });
        }
    }
    out
}

fn source_files(case: &Case) -> Vec<SourceFile> {
    case.sources
        .iter()
        .map(|(n, t)| SourceFile::new(n.clone(), t.clone()))
        .collect()
}

/// Everything wrong with one entry, empty when it behaves as declared.
fn judge(case: &Case) -> Vec<String> {
    let files = source_files(case);
    let out = load(case.sources.clone());
    let e = &case.expect;
    let want_file = e.file.as_ref().map(|f| format!("{}/{f}", case.name));
    let matches = |l: &cailiang_dsl::Located| {
        l.code == e.code
            && l.line == e.line
            && l.column == e.column
            && match &want_file {
                Some(f) => &l.file == f,
                None => true,
            }
    };
    let located: Vec<_> = out.diagnostics.iter().map(|d| d.locate(&files)).collect();
    let mut problems = Vec::new();
    if !located.iter().any(matches) {
        problems.push(format!(
            "没有 {} {}{}:{}",
            e.code,
            want_file
                .as_deref()
                .map(|f| format!("{f} "))
                .unwrap_or_default(),
            e.line,
            e.column
        ));
    } else if !located.first().is_some_and(matches) {
        problems.push(format!("第一条诊断不是 {}", e.code));
    }
    if e.code.starts_with('W') {
        if out.program.is_none() {
            problems.push("只有警告的规则集应能生成程序".into());
        }
        if located.iter().any(|l| l.severity == Severity::Error) {
            problems.push("只应有警告，却有错误".into());
        }
    } else if out.program.is_some() {
        problems.push("有错误却生成了程序".into());
    }
    if problems.is_empty() {
        return problems;
    }
    vec![format!(
        "{}: {}\n{}",
        case.name,
        problems.join("；"),
        render_plain(&out.diagnostics, &files)
    )]
}

#[test]
fn every_invalid_ruleset_reports_its_diagnostic() {
    let cases = cases();
    assert!(
        cases.len() >= 45,
        "only {} invalid rulesets found in {}",
        cases.len(),
        root().display()
    );
    let failures: Vec<String> = cases.iter().flat_map(judge).collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_diagnostic_code_is_exercised() {
    let codes: Vec<String> = cases().into_iter().map(|c| c.expect.code).collect();
    let wanted = [
        // ParseError (E0003, a file over 4 MiB, is `oversized_file_is_rejected` below).
        "E0001", "E0002", "E0004", // CheckError
        "E0101", "E0102", "E0103", "E0104", "E0105", "E0106", "E0107", "E0201", "E0202", "E0203",
        "E0204", "E0301", "E0401", "E0402", "E0403", "E0404", "E0405", "W0406", "E0407", "E0408",
        "E0501", "E0502", "E0503", "W0504", "E0601", "E0602", "E0603", "E0604",
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|w| !codes.iter().any(|c| c == w))
        .collect();
    assert!(missing.is_empty(), "no invalid ruleset for {missing:?}");
}

#[test]
fn invalid_ruleset_snapshots() {
    for case in cases() {
        let files = source_files(&case);
        let out = load(case.sources.clone());
        let text = render_plain(&out.diagnostics, &files);
        insta::with_settings!({
            description => case.sources.iter().map(|s| s.0.as_str()).collect::<Vec<_>>().join(" "),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(case.name.as_str(), text);
        });
    }
}

#[test]
fn oversized_file_is_rejected() {
    let mut text = String::from("规则集 过大\n");
    let line = "# 填充注释，使文件超过上限\n";
    while text.len() <= cailiang_dsl::parse::MAX_SOURCE_BYTES {
        text.push_str(line);
    }
    let files = [SourceFile::new("过大.rules", text.clone())];
    let out = load(vec![("过大.rules".into(), text)]);
    assert!(out.program.is_none());
    let first = out
        .diagnostics
        .first()
        .expect("a diagnostic")
        .locate(&files);
    assert_eq!((first.code, first.line, first.column), ("E0003", 1, 1));
}

/// Numbers at the edge of the decimal range once made the checker overflow (a panic) in level
/// normalisation, weighted scores and the table-against-range comparison.
#[test]
fn extreme_numbers_do_not_panic() {
    const MAX: &str = "79228162514264337593543950335";
    let head = "规则集 溢出\n事实 次数：整数\n事实 超标倍数：倍数\n事实 持续月数：数值\n\
                违法行为 T-1 \"测试\"\n  依据 \"某法第一条\"\n";
    let bodies = [
        format!(
            "  罚款 1万元 至 10万元\n  裁量 权重累加\n    起点 0%\n    \
             因素 次数：超过{MAX} 0%，{MAX}以下 100%\n"
        ),
        format!(
            "  罚款 1万元 至 10万元\n  裁量 权重累加\n    起点 0%\n    \
             因素 超标倍数 权重 {MAX}%：1倍以下 20，1倍以上 {MAX}\n"
        ),
        format!(
            "  罚款 1万元 至 {MAX}元\n  裁量 权重累加\n    起点 0%\n    \
             因素 持续月数：3以下 0%，3以上 {MAX}%\n    上限 {MAX}%\n"
        ),
    ];
    for body in bodies {
        let text = format!("{head}{body}");
        let out = load(vec![("溢出.rules".into(), text.clone())]);
        let files = [SourceFile::new("溢出.rules", text)];
        // Reaching here is the test; the findings themselves are ordinary range errors.
        let _ = render_plain(&out.diagnostics, &files);
    }
}
