//! The engines behind one interface: build the native input outside the timed loop, evaluate
//! from it, or evaluate from JSON text; read the answer (outcome, amount) for the check.

use crate::Answer;
use cailiang_engine::{Case, Decision, Outcome, Ruleset};
use std::future::Future;
use std::sync::Arc;

fn cents(s: &str) -> i64 {
    let (a, b) = s.split_once('.').unwrap_or((s, "0"));
    a.parse::<i64>().unwrap_or(i64::MIN) * 100 + format!("{b:0<2}")[..2].parse::<i64>().unwrap_or(0)
}

// ───────────── cailiang ─────────────

pub struct Cailiang {
    pub rs: Ruleset,
}

impl Cailiang {
    pub fn new(sources: Vec<(String, String)>, leaf: Option<&str>) -> Self {
        let out = cailiang_dsl::load(sources);
        let program = match out.program.as_ref() {
            Some(p) => p,
            None => panic!("rules do not check: {:#?}", out.diagnostics),
        };
        let rs = Ruleset::compile(program, leaf).expect("compile");
        Cailiang { rs }
    }

    pub fn prepare(&self, text: &str) -> Result<Case, String> {
        self.rs
            .prepare_text(text, false)
            .map_err(|e| format!("{e:?}"))
    }

    /// Numbers only (`evaluate_numbers`: no explanation text).
    pub fn numbers(&self, c: &Case) -> Decision {
        self.rs.evaluate_numbers(c).expect("evaluate")
    }

    /// The explained decision (`evaluate`).
    pub fn explained(&self, c: &Case) -> Decision {
        self.rs.evaluate(c).expect("evaluate")
    }

    /// JSON text → numbers (`prepare_text`: the case read straight from the text, as
    /// `evaluate_text` does).
    pub fn json_numbers(&self, text: &str) -> Decision {
        let c = self.rs.prepare_text(text, false).expect("case");
        self.rs.evaluate_numbers(&c).expect("evaluate")
    }

    /// JSON text → the explained decision as JSON text (what the CLI and the WASM package do).
    pub fn json_to_json(&self, text: &str) -> String {
        self.rs.evaluate_text(text, false).expect("evaluate").to_json()
    }

    pub fn answer(d: &Decision) -> Answer {
        let amount = d.fine.as_ref().map(|f| cents(&f.recommended.to_string()));
        match (d.outcome, amount) {
            (Outcome::Penalty, Some(a)) => Answer::Penalty(a),
            (Outcome::MayExempt, Some(a)) => Answer::MayExempt(a),
            (Outcome::NoPenalty, _) => Answer::NoPenalty,
            (Outcome::TimeBarred, _) => Answer::TimeBarred,
            _ => Answer::Error,
        }
    }

    /// The answer from the decision JSON text.
    pub fn answer_json(text: &str) -> Answer {
        let v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        let amount = v["fine"]["recommended"].as_str().map(cents);
        match (v["outcome"].as_str(), amount) {
            (Some("penalty"), Some(a)) => Answer::Penalty(a),
            (Some("may_exempt"), Some(a)) => Answer::MayExempt(a),
            (Some("no_penalty"), _) => Answer::NoPenalty,
            (Some("time_barred"), _) => Answer::TimeBarred,
            _ => Answer::Error,
        }
    }
}

// ───────────── ZEN ─────────────

pub use zen_engine::model::DecisionContent;
pub use zen_expression::variable::Variable;

/// Drive a future that never waits on I/O (decision tables and expressions) to completion on
/// this thread: ZEN's API is async, the evaluation itself is synchronous.
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

pub struct Zen {
    decision: zen_engine::Decision,
}

impl Zen {
    pub fn new(jdm: &str) -> Self {
        let content: DecisionContent = serde_json::from_str(jdm).expect("JDM");
        let engine = zen_engine::DecisionEngine::default();
        let mut decision = engine.create_decision(Arc::new(content)).expect("graph");
        decision.compile(); // pre-compiled expressions and table indexes
        decision.validate().expect("valid graph");
        Zen { decision }
    }

    pub fn prepare(&self, text: &str) -> Variable {
        serde_json::from_str(text).expect("json")
    }

    pub fn eval(&self, input: &Variable) -> Variable {
        block_on(self.decision.evaluate(input.clone()))
            .expect("zen evaluate")
            .result
    }

    pub fn eval_json(&self, text: &str) -> Variable {
        let v: Variable = serde_json::from_str(text).expect("json");
        block_on(self.decision.evaluate(v)).expect("zen evaluate").result
    }

    pub fn answer(v: &Variable) -> Answer {
        let outcome = v.dot("outcome").and_then(|o| o.as_str().map(str::to_string));
        match outcome.as_deref() {
            Some("no_penalty") => Answer::NoPenalty,
            Some("penalty") => match v.dot("amount").and_then(|a| a.as_number()) {
                Some(d) => Answer::Penalty(decimal_cents(d)),
                None => Answer::Error,
            },
            _ => Answer::Error,
        }
    }
}

fn decimal_cents(d: rust_decimal::Decimal) -> i64 {
    let c = (d * rust_decimal::Decimal::ONE_HUNDRED).trunc();
    i64::try_from(c.mantissa() / 10i128.pow(c.scale())).unwrap_or(i64::MIN)
}

// ───────────── regorus ─────────────

pub struct Rego {
    engine: regorus::Engine,
    rule: String,
}

impl Rego {
    pub fn new(policy: &str, data: Option<&serde_json::Value>, rule: &str) -> Self {
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("policy.rego".into(), policy.into())
            .expect("rego policy");
        if let Some(d) = data {
            engine
                .add_data(regorus::Value::from_json_str(&d.to_string()).expect("data"))
                .expect("add data");
        }
        Rego {
            engine,
            rule: rule.into(),
        }
    }

    pub fn prepare(text: &str) -> regorus::Value {
        regorus::Value::from_json_str(text).expect("json")
    }

    pub fn eval(&mut self, input: &regorus::Value) -> regorus::Value {
        self.engine.set_input(input.clone());
        self.engine.eval_rule(self.rule.clone()).expect("rego eval")
    }

    pub fn eval_json(&mut self, text: &str) -> regorus::Value {
        self.engine
            .set_input(regorus::Value::from_json_str(text).expect("json"));
        self.engine.eval_rule(self.rule.clone()).expect("rego eval")
    }

    /// The same policy compiled for regorus's register VM (RVM).
    pub fn vm(&mut self, data: Option<&serde_json::Value>) -> RegoVm {
        let entry: regorus::Rc<str> = self.rule.as_str().into();
        let compiled = self.engine.compile_with_entrypoint(&entry).expect("compile");
        let program = regorus::languages::rego::compiler::Compiler::compile_from_policy(
            &compiled,
            &[self.rule.as_str()],
        )
        .expect("rvm compile");
        let mut vm = regorus::rvm::RegoVM::new();
        vm.load_program(program);
        if let Some(d) = data {
            vm.set_data(regorus::Value::from_json_str(&d.to_string()).expect("data"))
                .expect("set data");
        }
        RegoVm {
            vm,
            rule: self.rule.clone(),
        }
    }

    pub fn answer(v: &regorus::Value) -> Answer {
        let outcome = v["outcome"].as_string().map(|s| s.to_string()).ok();
        match outcome.as_deref() {
            Some("no_penalty") => Answer::NoPenalty,
            Some("penalty") => match v["amount"].as_i64() {
                Ok(a) => Answer::Penalty(a * 100),
                Err(_) => match v["amount"].as_f64() {
                    Ok(f) if f.fract() == 0.0 => Answer::Penalty(f as i64 * 100),
                    _ => Answer::Error,
                },
            },
            _ => Answer::Error,
        }
    }
}

pub struct RegoVm {
    vm: regorus::rvm::RegoVM,
    rule: String,
}

impl RegoVm {
    pub fn eval(&mut self, input: &regorus::Value) -> regorus::Value {
        self.vm.set_input(input.clone());
        self.vm
            .execute_entry_point_by_name(&self.rule)
            .expect("rvm execute")
    }

    pub fn eval_json(&mut self, text: &str) -> regorus::Value {
        self.vm
            .set_input(regorus::Value::from_json_str(text).expect("json"));
        self.vm
            .execute_entry_point_by_name(&self.rule)
            .expect("rvm execute")
    }
}
