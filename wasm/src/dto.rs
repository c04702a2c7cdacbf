//! The JavaScript-facing records. Every call across the boundary returns one of these as JSON
//! text, tagged with `ok`; the package's `index.js` parses it. Nothing here is used by the
//! engine: the shapes are this package's contract (`pkg/index.d.ts`).

use cailiang_dsl::{Located, Severity};
use cailiang_engine::catalogue::Entry;
use cailiang_engine::CaseError;
use serde::Serialize;

/// Codes this package adds to the language's own (`E…`, `W…`) and the case codes (`C…`).
pub mod codes {
    /// The `files` argument is not an object of file name → text.
    pub const BAD_FILES: &str = "J0001";
    /// The rules check but no ruleset could be chosen (none, several leaves, unknown name).
    pub const NO_RULESET: &str = "J0002";
    /// Evaluation failed after validation (arithmetic overflow, an engine bug).
    pub const EVAL: &str = "J0003";
}

/// A diagnostic located in a file: line and columns count characters, 1-based, the end
/// column exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiagnosticDto {
    /// Stable code (`E0101`, `W0406`, `J0002`…).
    pub code: String,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// Chinese message.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// File name as given to `compile` (empty when not about one file).
    pub file: String,
    /// Line.
    pub line: usize,
    /// Column.
    pub column: usize,
    /// End line.
    pub end_line: usize,
    /// End column (exclusive).
    pub end_column: usize,
}

impl From<Located> for DiagnosticDto {
    fn from(l: Located) -> Self {
        DiagnosticDto {
            code: l.code.to_string(),
            severity: match l.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            message: l.message,
            help: l.help,
            file: l.file,
            line: l.line,
            column: l.column,
            end_line: l.end_line,
            end_column: l.end_column,
        }
    }
}

impl DiagnosticDto {
    /// An error that belongs to no position in the rules.
    pub fn unplaced(code: &str, message: String, help: Option<String>) -> Self {
        DiagnosticDto {
            code: code.to_string(),
            severity: "error",
            message,
            help,
            file: String::new(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        }
    }
}

/// `compile`: `{ok, diagnostics}`; the ruleset handle travels separately.
#[derive(Debug, Clone, Serialize)]
pub struct CompileReport {
    /// Whether a ruleset was built.
    pub ok: bool,
    /// Errors and warnings, sorted by position.
    pub diagnostics: Vec<DiagnosticDto>,
}

/// One problem with a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseErrorDto {
    /// Stable code (`C0101`…, or `J0003`).
    pub code: String,
    /// The JSON path of the field concerned (`facts.总投资额`), or null.
    pub field: Option<String>,
    /// Chinese message.
    pub message: String,
}

impl From<&cailiang_engine::profile::ProfileError> for CaseErrorDto {
    fn from(e: &cailiang_engine::profile::ProfileError) -> Self {
        CaseErrorDto {
            code: e.code().to_string(),
            field: e.field(),
            message: e.to_string(),
        }
    }
}

impl From<&CaseError> for CaseErrorDto {
    fn from(e: &CaseError) -> Self {
        CaseErrorDto {
            code: e.code().to_string(),
            field: e.field(),
            message: e.to_string(),
        }
    }
}

/// `evaluate`: `{ok: true, json}` (the decision exactly as `Decision::to_json` writes it) or
/// `{ok: false, errors}`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum EvaluateReport {
    /// Decided.
    Decided {
        /// Always true.
        ok: bool,
        /// The decision's JSON text.
        json: String,
    },
    /// Not decided.
    Failed {
        /// Always false.
        ok: bool,
        /// Every problem.
        errors: Vec<CaseErrorDto>,
    },
}

/// `catalogue`: `{ok: true, name, catalogue}`.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueReport {
    /// Always true.
    pub ok: bool,
    /// The ruleset's name.
    pub name: String,
    /// Every violation with its facts.
    pub catalogue: Vec<Entry>,
}

/// `format`: `{ok: true, text}` or `{ok: false, diagnostics}`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum FormatReport {
    /// Formatted.
    Formatted {
        /// Always true.
        ok: bool,
        /// The canonical text.
        text: String,
    },
    /// The source does not parse.
    Failed {
        /// Always false.
        ok: bool,
        /// The parse error.
        diagnostics: Vec<DiagnosticDto>,
    },
}

/// Serialise a report; serialisation of these plain records cannot fail, but if it did the
/// caller still gets a tagged value.
pub fn to_text<T: Serialize>(report: &T) -> String {
    serde_json::to_string(report).unwrap_or_else(|e| {
        let msg = serde_json::to_string(&e.to_string()).unwrap_or_else(|_| "\"\"".into());
        format!(
            "{{\"ok\":false,\"diagnostics\":[],\"errors\":[{{\"code\":\"{}\",\"field\":null,\"message\":{msg}}}]}}",
            codes::EVAL
        )
    })
}
