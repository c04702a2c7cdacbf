//! cailiang for JavaScript. The raw exports below take and return JSON text; the package's
//! `index.js` wraps them into the documented API (`compile`, `Ruleset.evaluate`, `format`…),
//! where every call returns a value tagged with `ok` and never throws.
//!
//! A [`Ruleset`] is a thin handle over [`cailiang_engine::Ruleset`]: compile once, evaluate
//! many cases. Decisions are exactly the native engine's bytes (`Decision::to_json`).

pub mod api;
pub mod dto;

use wasm_bindgen::prelude::*;

/// The result of `compile`: a report, and the ruleset when it compiled.
#[wasm_bindgen]
pub struct Compilation {
    report: String,
    ruleset: Option<cailiang_engine::Ruleset>,
}

#[wasm_bindgen]
impl Compilation {
    /// `{ok, diagnostics}` as JSON text.
    pub fn report(&self) -> String {
        self.report.clone()
    }

    /// The compiled ruleset (once; later calls return `undefined`).
    #[wasm_bindgen(js_name = takeRuleset)]
    pub fn take_ruleset(&mut self) -> Option<Ruleset> {
        self.ruleset.take().map(|inner| Ruleset { inner })
    }
}

/// A compiled ruleset.
#[wasm_bindgen]
pub struct Ruleset {
    inner: cailiang_engine::Ruleset,
}

#[wasm_bindgen]
impl Ruleset {
    /// Validate and decide a case given as JSON text: `{ok: true, json}` or `{ok: false, errors}`.
    pub fn evaluate(&self, case_json: &str) -> String {
        dto::to_text(&api::evaluate(&self.inner, case_json))
    }

    /// Validate and decide a case given as JSON text, without wrapping the decision in a JSON
    /// string: `D` followed by the decision's JSON text (the bytes `cailiang eval` prints), or
    /// `E` followed by `{ok: false, errors}`. `evaluate`'s `{ok, json}` escapes the whole
    /// decision a second time, which was a sixth of a call in Node; the JS wrapper uses this.
    pub fn decide(&self, case_json: &str) -> String {
        match api::evaluate(&self.inner, case_json) {
            dto::EvaluateReport::Decided { json, .. } => {
                let mut tagged = String::with_capacity(json.len() + 1);
                tagged.push('D');
                tagged.push_str(&json);
                tagged
            }
            failed => format!("E{}", dto::to_text(&failed)),
        }
    }

    /// Assess an enterprise profile given as JSON text: `{ok: true, json}` or
    /// `{ok: false, errors}`.
    pub fn supervise(&self, profile_json: &str) -> String {
        dto::to_text(&api::supervise(&self.inner, profile_json))
    }

    /// `{ok: true, name, catalogue}` as JSON text.
    pub fn catalogue(&self) -> String {
        dto::to_text(&api::catalogue(&self.inner))
    }

    /// The ruleset's name.
    pub fn name(&self) -> String {
        self.inner.name().to_string()
    }
}

/// Parse, check and compile `{"file name": "text", …}` (JSON text). `ruleset` names the
/// ruleset to evaluate with when the files hold several leaves.
pub fn compile_json(files_json: &str, ruleset: Option<String>) -> Compilation {
    let (report, ruleset) = match api::read_files(files_json) {
        Ok(sources) => api::compile(sources, ruleset.as_deref()),
        Err(d) => (
            dto::CompileReport {
                ok: false,
                diagnostics: vec![*d],
            },
            None,
        ),
    };
    Compilation {
        report: dto::to_text(&report),
        ruleset,
    }
}

/// Raw export of [`compile_json`].
#[wasm_bindgen]
pub fn compile(files_json: &str, ruleset: Option<String>) -> Compilation {
    compile_json(files_json, ruleset)
}

/// Format one file: `{ok: true, text}` or `{ok: false, diagnostics}` as JSON text.
#[wasm_bindgen]
pub fn format(source: &str, name: Option<String>) -> String {
    dto::to_text(&api::format(source, name.as_deref().unwrap_or("")))
}

/// The package version (the workspace version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
