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
mod json;
mod lines;
pub mod money;
mod names;
pub mod profile;
mod reader;
pub mod ruleset;
pub mod supervise;
mod yaml;

pub use case::{Case, CaseError};
pub use decision::{Decision, Outcome};
pub use eval::EvalError;
pub use profile::{Profile, ProfileError};
pub use ruleset::{CompileError, Ruleset};
pub use supervise::{Status, Supervision};

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

/// Why a profile could not be assessed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SuperviseError {
    /// The profile is invalid: every problem, each naming its field.
    #[error("企业档案有 {} 处错误", .0.len())]
    Profile(Vec<ProfileError>),
    /// Evaluation failed (arithmetic overflow).
    #[error(transparent)]
    Eval(#[from] EvalError),
}

impl Ruleset {
    /// Validate an enterprise profile given as a JSON value.
    pub fn prepare_profile(&self, json: &serde_json::Value) -> Result<Profile, SuperviseError> {
        profile::validate(self, json).map_err(SuperviseError::Profile)
    }

    /// Assess a validated profile against the ruleset's positive list.
    pub fn supervise(&self, profile: &Profile) -> Result<Supervision, EvalError> {
        supervise::supervise(self, profile)
    }

    /// Validate and assess a profile given as a JSON value.
    pub fn supervise_json(&self, json: &serde_json::Value) -> Result<Supervision, SuperviseError> {
        let p = self.prepare_profile(json)?;
        Ok(self.supervise(&p)?)
    }

    /// Validate and assess a profile given as JSON or YAML text (YAML when `yaml` is true).
    pub fn supervise_text(&self, text: &str, yaml: bool) -> Result<Supervision, SuperviseError> {
        let json = profile::parse(text, yaml).map_err(SuperviseError::Profile)?;
        self.supervise_json(&json)
    }

    /// Validate a case given as a JSON value.
    pub fn prepare(&self, json: &serde_json::Value) -> Result<Case, EngineError> {
        case::validate(self, json).map_err(EngineError::Case)
    }

    /// Decide a validated case.
    pub fn evaluate(&self, case: &Case) -> Result<Decision<'_>, EvalError> {
        decide::decide(self, case)
    }

    /// Decide a validated case without writing the explanation: the same outcome and amounts,
    /// with `explanation`, `factors` and `why_not` left empty. For bulk callers (re-checking a
    /// year of case files) where the text is not read.
    pub fn evaluate_numbers(&self, case: &Case) -> Result<Decision<'_>, EvalError> {
        decide::decide_with(self, case, false)
    }

    /// Validate and decide a case given as a JSON value.
    pub fn evaluate_json(&self, json: &serde_json::Value) -> Result<Decision<'_>, EngineError> {
        let case = self.prepare(json)?;
        self.evaluate(&case)
            .map_err(|e| self.missing_as_case_error(e))
    }

    /// Facts found missing only during evaluation are the caller's to give: report them as
    /// case errors (C0107, each naming its field), like those validation finds.
    fn missing_as_case_error(&self, e: EvalError) -> EngineError {
        match e {
            EvalError::MissingFacts { violation, facts } if !facts.is_empty() => EngineError::Case(
                facts
                    .into_iter()
                    .map(|id| {
                        let (fact, label) = self.fact_label(id);
                        CaseError::MissingFact {
                            violation: violation.clone(),
                            fact,
                            label,
                        }
                    })
                    .collect(),
            ),
            other => EngineError::Eval(other),
        }
    }

    /// Validate a case given as JSON or YAML text (YAML when `yaml` is true). JSON is read
    /// directly into the case ([`case::read_json`]) when it can be; anything else, every
    /// invalid case included, goes through the JSON value and [`case::validate`].
    pub fn prepare_text(&self, text: &str, yaml: bool) -> Result<Case, EngineError> {
        if !yaml {
            if let Some(case) = case::read_json(self, text) {
                return Ok(case);
            }
        }
        let json = if yaml {
            case::parse_yaml(text)
        } else {
            case::parse_json(text)
        }
        .map_err(EngineError::Case)?;
        self.prepare(&json)
    }

    /// Validate and decide a case given as JSON or YAML text (YAML when `yaml` is true).
    pub fn evaluate_text(&self, text: &str, yaml: bool) -> Result<Decision<'_>, EngineError> {
        let case = self.prepare_text(text, yaml)?;
        self.evaluate(&case)
            .map_err(|e| self.missing_as_case_error(e))
    }
}
