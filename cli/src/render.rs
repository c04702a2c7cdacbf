//! Diagnostics for people (miette snippets) and machines (JSON).

use cailiang_dsl::{Diagnostic, Severity, SourceFile};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

/// Render diagnostics with source snippets.
pub fn pretty(diags: &[Diagnostic], files: &[SourceFile]) -> String {
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    let mut out = String::new();
    for d in diags {
        let l = d.locate(files);
        let Some(file) = files.get(d.span.file as usize) else {
            continue;
        };
        let len = (d.span.end.saturating_sub(d.span.start)) as usize;
        let mut m =
            MietteDiagnostic::new(format!("{}:{}:{}: {}", l.file, l.line, l.column, d.message))
                .with_code(d.code)
                .with_severity(match d.severity {
                    Severity::Error => miette::Severity::Error,
                    Severity::Warning => miette::Severity::Warning,
                })
                .with_label(LabeledSpan::at(
                    d.span.start as usize
                        ..d.span.start as usize
                            + len
                                .max(1)
                                .min(file.text.len().saturating_sub(d.span.start as usize)),
                    "此处",
                ));
        if let Some(h) = &d.help {
            m = m.with_help(h.clone());
        }
        let report = miette::Report::new(m)
            .with_source_code(NamedSource::new(file.name.clone(), file.text.clone()));
        let mut s = String::new();
        if handler.render_report(&mut s, report.as_ref()).is_ok() {
            out.push_str(&s);
            out.push('\n');
        }
    }
    out
}

/// Diagnostics as a JSON array of located records.
pub fn json(diags: &[Diagnostic], files: &[SourceFile]) -> String {
    let located: Vec<_> = diags.iter().map(|d| d.locate(files)).collect();
    serde_json::to_string_pretty(&located).unwrap_or_else(|_| "[]".into())
}
