//! Diagnostics: what every stage reports to legal staff. Each has a stable code, a severity,
//! a Chinese message, a help line saying what to do, and a location.

use crate::span::{SourceFile, Span};
use serde::Serialize;

/// Error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The program cannot be used.
    Error,
    /// The program works but a legal officer should look.
    Warning,
}

/// One located diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code such as `E0101`.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// Message, in Chinese, quoting the user's input.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Where.
    pub span: Span,
}

/// A diagnostic resolved against its source: file, line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located {
    /// Stable code.
    pub code: &'static str,
    /// `error` / `warning`.
    pub severity: Severity,
    /// Message.
    pub message: String,
    /// Help line.
    pub help: Option<String>,
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// 1-based end line.
    pub end_line: usize,
    /// 1-based end column (exclusive), in characters.
    pub end_column: usize,
}

impl Diagnostic {
    /// An error.
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            span,
        }
    }

    /// A warning.
    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Warning,
            message: message.into(),
            help: None,
            span,
        }
    }

    /// Attach a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Resolve file, line and column.
    pub fn locate(&self, files: &[SourceFile]) -> Located {
        let file = files.get(self.span.file as usize);
        let (line, column) = file
            .map(|f| f.line_col(self.span.start as usize))
            .unwrap_or((1, 1));
        let (end_line, end_column) = file
            .map(|f| f.line_col(self.span.end as usize))
            .unwrap_or((line, column));
        Located {
            code: self.code,
            severity: self.severity,
            message: self.message.clone(),
            help: self.help.clone(),
            file: file.map(|f| f.name.clone()).unwrap_or_default(),
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// Sort diagnostics by position (file, then offset), errors before warnings at one place.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (a.span.key(), a.severity, a.code).cmp(&(b.span.key(), b.severity, b.code))
    });
}

/// Whether any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// Plain one-line-per-diagnostic rendering: `file:line:col: 错误[E0101]: message` plus help.
/// The CLI renders richer snippets; this form is for logs and the library.
pub fn render_plain(diags: &[Diagnostic], files: &[SourceFile]) -> String {
    let mut out = String::new();
    for d in diags {
        let l = d.locate(files);
        let sev = match d.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        out.push_str(&format!(
            "{}:{}:{}: {}[{}]: {}\n",
            l.file, l.line, l.column, sev, l.code, l.message
        ));
        if let Some(h) = &l.help {
            out.push_str(&format!("  帮助: {h}\n"));
        }
    }
    out
}
