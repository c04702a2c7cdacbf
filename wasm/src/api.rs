//! The package's operations in plain Rust (strings in, report records out), so they can be
//! tested natively; `lib.rs` only puts them behind `#[wasm_bindgen]`.

use crate::dto::{
    codes, CaseErrorDto, CatalogueReport, CompileReport, DiagnosticDto, EvaluateReport,
    FormatReport,
};
use cailiang_dsl::{diagnostic, SourceFile};
use cailiang_engine::{EngineError, Ruleset};

/// Read `{"name.rules": "text", …}` (JSON text), keeping the order of the keys: file ids, and
/// so the order of diagnostics, follow it.
pub fn read_files(files_json: &str) -> Result<Vec<(String, String)>, Box<DiagnosticDto>> {
    let bad = |why: String| {
        Box::new(DiagnosticDto::unplaced(
            codes::BAD_FILES,
            format!("规则文件参数有误：{why}"),
            Some("传入对象：键为文件名，值为规则文本，如 { \"广东.rules\": \"规则集 …\" }".into()),
        ))
    };
    let value: serde_json::Value =
        serde_json::from_str(files_json).map_err(|e| bad(e.to_string()))?;
    let serde_json::Value::Object(map) = value else {
        return Err(bad("应为对象".into()));
    };
    let mut out = Vec::with_capacity(map.len());
    for (name, text) in map {
        match text {
            serde_json::Value::String(t) => out.push((name, t)),
            _ => return Err(bad(format!("文件 {name} 的内容应为字符串"))),
        }
    }
    Ok(out)
}

/// Parse, check and compile. The ruleset is `Some` exactly when the report says `ok`.
pub fn compile(
    sources: Vec<(String, String)>,
    leaf: Option<&str>,
) -> (CompileReport, Option<Ruleset>) {
    let files: Vec<SourceFile> = sources
        .iter()
        .map(|(n, t)| SourceFile::new(n.clone(), t.clone()))
        .collect();
    let out = cailiang_dsl::load(sources);
    let mut diagnostics: Vec<DiagnosticDto> = out
        .diagnostics
        .iter()
        .map(|d| DiagnosticDto::from(d.locate(&files)))
        .collect();
    let ruleset = match out.program {
        Some(p) if !diagnostic::has_errors(&out.diagnostics) => match Ruleset::compile(&p, leaf) {
            Ok(rs) => Some(rs),
            Err(e) => {
                diagnostics.push(DiagnosticDto::unplaced(
                    codes::NO_RULESET,
                    e.to_string(),
                    Some("在 compile 的第二个参数中写明要使用的规则集名称".into()),
                ));
                None
            }
        },
        _ => None,
    };
    (
        CompileReport {
            ok: ruleset.is_some(),
            diagnostics,
        },
        ruleset,
    )
}

/// Validate and decide a case given as JSON text.
pub fn evaluate(rs: &Ruleset, case_json: &str) -> EvaluateReport {
    match rs.evaluate_text(case_json, false) {
        Ok(d) => EvaluateReport::Decided {
            ok: true,
            json: d.to_json(),
        },
        Err(EngineError::Case(errs)) => EvaluateReport::Failed {
            ok: false,
            errors: errs.iter().map(CaseErrorDto::from).collect(),
        },
        Err(EngineError::Eval(e)) => EvaluateReport::Failed {
            ok: false,
            errors: vec![CaseErrorDto {
                code: codes::EVAL.into(),
                field: None,
                message: e.to_string(),
            }],
        },
    }
}

/// Assess an enterprise profile (JSON text) against the ruleset's positive list; `json` is
/// the supervision exactly as `Supervision::to_json` writes it.
pub fn supervise(rs: &Ruleset, profile_json: &str) -> EvaluateReport {
    match rs.supervise_text(profile_json, false) {
        Ok(s) => EvaluateReport::Decided {
            ok: true,
            json: s.to_json(),
        },
        Err(cailiang_engine::SuperviseError::Profile(errs)) => EvaluateReport::Failed {
            ok: false,
            errors: errs.iter().map(CaseErrorDto::from).collect(),
        },
        Err(cailiang_engine::SuperviseError::Eval(e)) => EvaluateReport::Failed {
            ok: false,
            errors: vec![CaseErrorDto {
                code: codes::EVAL.into(),
                field: None,
                message: e.to_string(),
            }],
        },
    }
}

/// The catalogue a case form is built from.
pub fn catalogue(rs: &Ruleset) -> CatalogueReport {
    CatalogueReport {
        ok: true,
        name: rs.name().to_string(),
        catalogue: rs.catalogue(),
    }
}

/// Format one file; `name` is only used to locate a parse error.
pub fn format(source: &str, name: &str) -> FormatReport {
    match cailiang_dsl::format::format_source(source) {
        Ok(text) => FormatReport::Formatted { ok: true, text },
        Err(e) => {
            let files = [SourceFile::new(name, source)];
            FormatReport::Failed {
                ok: false,
                diagnostics: vec![DiagnosticDto::from(e.to_diagnostic().locate(&files))],
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = "规则集 示例\n事实 甲：金额\n";

    #[test]
    fn files_keep_their_order() {
        let files = read_files(r#"{"b.rules":"x","a.rules":"y"}"#).unwrap_or_default();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["b.rules", "a.rules"]);
        assert!(read_files(r#"{"a.rules":1}"#).is_err());
        assert!(read_files("[]").is_err());
    }

    #[test]
    fn compile_reports_located_errors() {
        let (report, rs) = compile(
            vec![("a.rules".into(), "规则集 示例\n事实 甲 金额\n".into())],
            None,
        );
        assert!(!report.ok);
        assert!(rs.is_none());
        let d = report
            .diagnostics
            .first()
            .map(|d| (d.file.as_str(), d.line));
        assert_eq!(d, Some(("a.rules", 2)));
    }

    #[test]
    fn unknown_leaf_is_a_diagnostic() {
        let (report, rs) = compile(vec![("a.rules".into(), RULES.into())], Some("无此规则集"));
        assert!(rs.is_none());
        assert_eq!(
            report.diagnostics.first().map(|d| d.code.as_str()),
            Some(codes::NO_RULESET)
        );
    }

    #[test]
    fn bad_case_lists_errors() {
        let (_, rs) = compile(vec![("a.rules".into(), RULES.into())], None);
        assert!(rs.is_some(), "示例规则应能编译");
        let Some(rs) = rs else { return };
        let text = crate::dto::to_text(&evaluate(&rs, "{"));
        assert!(
            text.starts_with(r#"{"ok":false,"errors":[{"code":"C0001""#),
            "{text}"
        );
    }

    #[test]
    fn format_round_trips() {
        let text = crate::dto::to_text(&format("ruleset 示例 fact 甲: money\n", "a.rules"));
        assert_eq!(
            text,
            r#"{"ok":true,"text":"规则集 示例\n\n事实 甲：金额\n"}"#
        );
        let bad = crate::dto::to_text(&format("规则集 示例\n事实 甲 金额\n", "a.rules"));
        assert!(bad.contains(r#""line":2"#), "{bad}");
    }
}
