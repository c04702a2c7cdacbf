//! The cailiang engine: a checked program becomes an immutable [`Ruleset`]; a case becomes
//! an exact, explained [`Decision`]. No file I/O, clocks or threads: it builds for wasm32.
//!
//! ```text
//! let out = cailiang_dsl::load(sources);             // parse + check
//! let rs = Ruleset::compile(out.program?, None)?;    // flatten 继承 and versions
//! let decision = rs.evaluate_json(&case_json)?;      // validate + decide
//! ```

pub mod case;
pub mod catalogue;
pub mod decide;
pub mod decision;
pub mod eval;
pub mod money;
pub mod ruleset;
mod yaml;

pub use case::{Case, CaseError};
pub use decision::{Decision, Outcome};
pub use eval::EvalError;
pub use ruleset::{CompileError, Ruleset};

/// Why a case could not be decided.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The case is invalid: every problem, each naming its field.
    #[error("案件数据有 {} 处错误", .0.len())]
    Case(Vec<CaseError>),
    /// Evaluation failed (arithmetic overflow).
    #[error(transparent)]
    Eval(#[from] EvalError),
}

impl Ruleset {
    /// Validate a case given as a JSON value.
    pub fn prepare(&self, json: &serde_json::Value) -> Result<Case, EngineError> {
        case::validate(self, json).map_err(EngineError::Case)
    }

    /// Decide a validated case.
    pub fn evaluate(&self, case: &Case) -> Result<Decision, EvalError> {
        decide::decide(self, case)
    }

    /// Validate and decide a case given as a JSON value.
    pub fn evaluate_json(&self, json: &serde_json::Value) -> Result<Decision, EngineError> {
        let case = self.prepare(json)?;
        Ok(self.evaluate(&case)?)
    }

    /// Validate and decide a case given as JSON or YAML text (YAML when `yaml` is true).
    pub fn evaluate_text(&self, text: &str, yaml: bool) -> Result<Decision, EngineError> {
        let json = if yaml {
            case::parse_yaml(text)
        } else {
            case::parse_json(text)
        }
        .map_err(EngineError::Case)?;
        self.evaluate_json(&json)
    }
}
