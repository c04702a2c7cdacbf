//! The decision contract (design.md §5): money as two-place decimal strings in yuan, `null`
//! for what does not apply, never a missing field. Extra fields are documented in
//! `docs/decision.md`.

pub use crate::money::{Money, Percent};
use serde::Serialize;
use std::borrow::Cow;

/// The ruleset's own text (`Arc<str>`), as the lists a decision borrows hold it.
pub use cailiang_dsl::ir::Text;

// A decision borrows the text it shares with its ruleset (names, bases, measures, rule
// names, condition text, factor levels) for the ruleset's lifetime `'rs`: taking a reference
// count instead was an atomic increment and decrement per string, about 40 per decision,
// and those atomics were a third of the time of a decision without its explanation.

/// `{code, name}` of the violation decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViolationRef<'rs> {
    /// Code.
    pub code: &'rs str,
    /// Name.
    pub name: &'rs str,
}

/// `{name, version}` of the ruleset version applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesetRef<'rs> {
    /// Name.
    pub name: &'rs str,
    /// Version label.
    pub version: Option<&'rs str>,
}

/// Outcome of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A fine applies.
    Penalty,
    /// Mandatory no penalty (不予处罚).
    NoPenalty,
    /// Discretionary no penalty (可以不予处罚): `fine` shows what applies if the officer penalises.
    MayExempt,
    /// Limitation passed (第三十六条).
    TimeBarred,
}

impl Outcome {
    /// The contract's name (`penalty`, `no_penalty`, `may_exempt`, `time_barred`), as serde
    /// writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Penalty => "penalty",
            Outcome::NoPenalty => "no_penalty",
            Outcome::MayExempt => "may_exempt",
            Outcome::TimeBarred => "time_barred",
        }
    }
}

/// The exemption that decided a `no_penalty` / `may_exempt` outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExemptionRef<'rs> {
    /// minor | first_offense | no_fault | list | minor_age | mental | …
    pub kind: &'rs str,
    /// Mandatory (不予) or discretionary (可以不予).
    pub mandatory: bool,
    /// Rule name (and label).
    pub rule: Cow<'rs, str>,
    /// Legal basis.
    pub basis: Cow<'rs, str>,
}

/// A money range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Range {
    /// Minimum.
    pub min: Money,
    /// Maximum.
    pub max: Money,
}

/// The fine range and recommended point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fine {
    /// Lowest lawful amount for this case.
    pub min: Money,
    /// Highest lawful amount for this case.
    pub max: Money,
    /// Recommended amount.
    pub recommended: Money,
}

/// An applied adjustment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdjustmentRef<'rs> {
    /// mitigate | reduce | aggravate
    pub kind: &'rs str,
    /// 从轻 / 减轻 / 从重
    pub label: &'rs str,
    /// Rule name and label.
    pub reason: &'rs str,
    /// Legal basis.
    pub basis: Cow<'rs, str>,
}

/// A factor's level as applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactorRef<'rs> {
    /// Factor name.
    pub factor: &'rs str,
    /// The level as written in the table.
    pub level: &'rs str,
    /// Its contribution, two-place percent string.
    pub weight: Percent,
    /// Whether the level was taken by default (fact not established: lowest level).
    pub defaulted: bool,
}

/// An exemption that did not fire, and the condition that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhyNot<'rs> {
    /// Rule name.
    pub rule: &'rs str,
    /// The condition that failed or could not be established.
    pub failed: Cow<'rs, str>,
    /// `false` (condition not met), `unknown` (a fact it needs was not given) or
    /// `overridden` (another rule that fired excludes it).
    pub status: &'static str,
}

/// The choice of law between two versions (第三十七条 从旧兼从轻).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceOfLaw {
    /// Version in force when the act occurred.
    pub at_act: String,
    /// Version in force at decision.
    pub at_decision: String,
    /// `act` or `decision`: which one was applied.
    pub applied: String,
    /// Why: both provisions with their results, and how the lighter was decided.
    pub reason: String,
    /// The rule applied (生态环境法典第一千零五十七条; 行政处罚法第三十七条).
    pub basis: String,
    /// The result under the version at the act (null when that version lacks the code).
    pub act: Option<ChoiceSide>,
    /// The result under the version at the decision (null when that version lacks the code).
    pub decision: Option<ChoiceSide>,
}

/// One side of a 从旧兼从轻 comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceSide {
    /// The provision (its 依据).
    pub provision: String,
    /// Outcome under it.
    pub outcome: Outcome,
    /// Statutory range under it.
    pub statutory: Option<Range>,
    /// Recommended fine under it.
    pub recommended: Option<Money>,
}

/// A candidate provision when one act violates several (第二十九条).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate<'rs> {
    /// Code.
    pub code: &'rs str,
    /// Outcome under that provision.
    pub outcome: Outcome,
    /// Recommended fine under it (null when none).
    pub recommended: Option<Money>,
}

/// Continuing daily fine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Daily<'rs> {
    /// Days counted.
    pub days: i64,
    /// Fine per day (the original fine).
    pub per_day: Money,
    /// Total.
    pub total: Money,
    /// Basis.
    pub basis: &'rs str,
}

/// A decision. Field order is the contract's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision<'rs> {
    /// The violation decided.
    pub violation: ViolationRef<'rs>,
    /// The ruleset version applied.
    pub ruleset: RulesetRef<'rs>,
    /// Outcome.
    pub outcome: Outcome,
    /// The exemption that applies, if any.
    pub exemption: Option<ExemptionRef<'rs>>,
    /// Statutory range.
    pub statutory: Option<Range>,
    /// Fine (null for no_penalty / time_barred).
    pub fine: Option<Fine>,
    /// Severity band, when the ruleset uses bands.
    pub severity: Option<&'rs str>,
    /// Discretion percentage (two places), for the additive model.
    pub discretion_percent: Option<Percent>,
    /// Adjustments applied.
    pub adjustments: Vec<AdjustmentRef<'rs>>,
    /// Non-monetary measures.
    pub measures: &'rs [Text],
    /// Legal basis of the provision.
    pub basis: &'rs [Text],
    /// One step per line, in Chinese, each naming its rule, file:line and basis.
    pub explanation: Vec<String>,
    /// Factor levels applied (additive model).
    pub factors: Vec<FactorRef<'rs>>,
    /// Facts that took their declared default or the lowest level.
    pub defaults_used: Vec<&'rs str>,
    /// Exemptions that did not fire, and why.
    pub why_not: Vec<WhyNot<'rs>>,
    /// 从旧兼从轻, when two versions were compared.
    pub choice_of_law: Option<ChoiceOfLaw>,
    /// Candidate provisions (第二十九条), when the case named several.
    pub candidates: Option<Vec<Candidate<'rs>>>,
    /// Continuing daily fine, when the case asked for one.
    pub daily: Option<Daily<'rs>>,
    /// Rounding rule applied.
    pub rounding: &'rs str,
    /// When a rule is applied outside the law it was written for: a benchmark table written
    /// before the statute changed (applied to the new range, marked 待核 where the range
    /// changed), or a lapsed benchmark whose parent applies alone.
    pub interim_rule: Option<&'rs str>,
}

impl Decision<'_> {
    /// Canonical JSON (pretty, two-space indent): the bytes native and WASM must agree on.
    // Kept out of line so profilers can count it (`--toggle-collect=…Decision::to_json*`).
    #[inline(never)]
    pub fn to_json(&self) -> String {
        crate::json::decision(self)
    }

    /// Human text: the outcome and the explanation, one step per line.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "违法行为：{} {}\n",
            self.violation.code, self.violation.name
        );
        let outcome = match self.outcome {
            Outcome::Penalty => "处罚",
            Outcome::NoPenalty => "不予处罚",
            Outcome::MayExempt => "可以不予处罚",
            Outcome::TimeBarred => "超过时效，不再处罚",
        };
        out.push_str(&format!("结论：{outcome}\n"));
        if let Some(f) = &self.fine {
            out.push_str(&format!(
                "罚款：{} 元（幅度 {} 至 {} 元）\n",
                f.recommended, f.min, f.max
            ));
        }
        out.push_str("理由：\n");
        for (i, s) in self.explanation.iter().enumerate() {
            out.push_str(&format!("  {}. {}\n", i + 1, s));
        }
        out
    }
}
