//! The checked program: names resolved to indices, types known, level conditions turned
//! into intervals under the ruleset's boundary convention. Only [`crate::check`] builds it,
//! so the engine never sees an unchecked program.

use crate::ast::{AdjustKind, BinOp, Combine, DurationUnit, ExemptionEffect, RoundingMode};
use crate::span::{SourceFile, Span};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::sync::Arc;

/// Text that decisions repeat for every case (rule names, condition text, factor levels):
/// shared, so a decision takes a reference count instead of a copy.
pub type Text = Arc<str>;

/// A program that passed every check. Its fields are readable, but only the checker can
/// make one (the constructor is private to this crate).
#[derive(Debug, Clone)]
pub struct Checked<T>(pub(crate) T);

impl<T> Checked<T> {
    /// The checked value.
    pub fn get(&self) -> &T {
        &self.0
    }
    /// Take the checked value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// Value types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ty {
    /// 是否
    Bool,
    /// 数值
    Number,
    /// 整数
    Integer,
    /// 金额 (yuan)
    Money,
    /// 百分比 (fraction)
    Percent,
    /// 倍数
    Multiple,
    /// 日期
    Date,
    /// 期间
    Duration,
    /// 文字
    Text,
    /// An enumeration: index into [`Program::enums`].
    Enum(u32),
}

impl Ty {
    /// The Chinese name, for messages.
    pub fn label(&self, enums: &[EnumDef]) -> String {
        match self {
            Ty::Bool => "是否".into(),
            Ty::Number => "数值".into(),
            Ty::Integer => "整数".into(),
            Ty::Money => "金额".into(),
            Ty::Percent => "百分比".into(),
            Ty::Multiple => "倍数".into(),
            Ty::Date => "日期".into(),
            Ty::Duration => "期间".into(),
            Ty::Text => "文字".into(),
            Ty::Enum(i) => match enums.get(*i as usize) {
                Some(e) => format!("枚举｛{}｝", e.variants.join("，")),
                None => "枚举".into(),
            },
        }
    }

    /// Whether the type is numeric (orderable decimals).
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Ty::Number | Ty::Integer | Ty::Money | Ty::Percent | Ty::Multiple
        )
    }
}

/// A runtime value. Numeric types share one exact decimal (percent as a fraction); the
/// checker guarantees they are never mixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Bool.
    Bool(bool),
    /// Any numeric type.
    Dec(Decimal),
    /// Date.
    Date(NaiveDate),
    /// Duration.
    Duration(u32, DurationUnit),
    /// Text.
    Text(String),
    /// Enum variant index.
    Enum(u32),
}

/// An enumeration type (declared by one fact).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumDef {
    /// The fact that declared it.
    pub fact: String,
    /// Variant names, in order (the first is the lowest level by convention).
    pub variants: Vec<String>,
}

/// A fact a case may give.
#[derive(Debug, Clone)]
pub struct FactDef {
    /// Name used in cases.
    pub name: String,
    /// Label.
    pub label: Option<String>,
    /// Type.
    pub ty: Ty,
    /// Default when a case does not give it.
    pub default: Option<Value>,
    /// Declaring ruleset (name).
    pub ruleset: String,
    /// Where declared.
    pub span: Span,
}

/// A derived value.
#[derive(Debug, Clone)]
pub struct DerivedDef {
    /// Name.
    pub name: String,
    /// Label.
    pub label: Option<String>,
    /// Type.
    pub ty: Ty,
    /// Definition.
    pub expr: CExpr,
    /// Where declared.
    pub span: Span,
}

/// Constants the engine supplies while evaluating a violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinConst {
    /// 法定最低额: the statutory minimum of the violation being evaluated.
    StatutoryMin,
    /// 法定最高额
    StatutoryMax,
    /// 发生日 (case `occurred_on`)
    OccurredOn,
    /// 终了日 (case `ended_on`, else `occurred_on`)
    EndedOn,
    /// 发现日
    DiscoveredOn,
    /// 决定日
    DecidedOn,
}

impl BuiltinConst {
    /// Look a constant up by its Chinese or English name.
    pub fn lookup(name: &str) -> Option<(BuiltinConst, Ty)> {
        Some(match name {
            "法定最低额" | "statutory_min" => (BuiltinConst::StatutoryMin, Ty::Money),
            "法定最高额" | "statutory_max" => (BuiltinConst::StatutoryMax, Ty::Money),
            "发生日" | "occurred_on" => (BuiltinConst::OccurredOn, Ty::Date),
            "终了日" | "ended_on" => (BuiltinConst::EndedOn, Ty::Date),
            "发现日" | "discovered_on" => (BuiltinConst::DiscoveredOn, Ty::Date),
            "决定日" | "decided_on" => (BuiltinConst::DecidedOn, Ty::Date),
            _ => return None,
        })
    }
    /// Every constant's Chinese name (for suggestions).
    pub const NAMES: [&'static str; 6] = [
        "法定最低额",
        "法定最高额",
        "发生日",
        "终了日",
        "发现日",
        "决定日",
    ];
}

/// Builtin functions: signature here, implementation in the engine (one exhaustive match).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinFn {
    /// 较大(a, b): the larger of two values of one numeric type.
    Max,
    /// 较小(a, b)
    Min,
    /// 天数(起, 止): whole days from the first date to the second.
    Days,
    /// 月数(起, 止): whole months from the first date to the second.
    Months,
    /// 近期次数(种类, 期间) → 整数: events of a declared kind (a variant of the `事件种类`
    /// fact) dated within the window [评估日 − 期间, 评估日], both ends included (民法典
    /// 第一千二百五十九条: "以内" includes the day itself). Unknown without an event history.
    RecentCount,
    /// 纳入以来次数(种类) → 整数: events of a kind dated on or after the listing date and up to
    /// 评估日. Unknown when the enterprise is not listed or there is no event history.
    CountSinceListed,
    /// 距今天数(种类) → 整数: whole days from the latest event of a kind to 评估日. Unknown when
    /// there is no such event (write `近期次数(种类, …) = 0 或 距今天数(种类) > N`).
    DaysSince,
}

impl BuiltinFn {
    /// Look a function up by name.
    pub fn lookup(name: &str) -> Option<BuiltinFn> {
        Some(match name {
            "较大" | "max" => BuiltinFn::Max,
            "较小" | "min" => BuiltinFn::Min,
            "天数" | "days" => BuiltinFn::Days,
            "月数" | "months" => BuiltinFn::Months,
            "近期次数" | "recent_count" => BuiltinFn::RecentCount,
            "纳入以来次数" | "count_since_listed" => BuiltinFn::CountSinceListed,
            "距今天数" | "days_since" => BuiltinFn::DaysSince,
            _ => return None,
        })
    }
    /// Every function's Chinese name.
    pub const NAMES: [&'static str; 7] = [
        "较大",
        "较小",
        "天数",
        "月数",
        "近期次数",
        "纳入以来次数",
        "距今天数",
    ];

    /// The Chinese name (for explanations).
    pub fn name(self) -> &'static str {
        match self {
            BuiltinFn::Max => "较大",
            BuiltinFn::Min => "较小",
            BuiltinFn::Days => "天数",
            BuiltinFn::Months => "月数",
            BuiltinFn::RecentCount => "近期次数",
            BuiltinFn::CountSinceListed => "纳入以来次数",
            BuiltinFn::DaysSince => "距今天数",
        }
    }

    /// Number of arguments.
    pub fn arity(self) -> usize {
        match self {
            BuiltinFn::Max
            | BuiltinFn::Min
            | BuiltinFn::Days
            | BuiltinFn::Months
            | BuiltinFn::RecentCount => 2,
            BuiltinFn::CountSinceListed | BuiltinFn::DaysSince => 1,
        }
    }

    /// Whether the function reads the dated event history; its first argument is then an
    /// event kind, a variant of the enum fact [`EVENT_KIND_FACT`].
    pub fn reads_history(self) -> bool {
        matches!(
            self,
            BuiltinFn::RecentCount | BuiltinFn::CountSinceListed | BuiltinFn::DaysSince
        )
    }
}

/// The enum fact whose variants are the event kinds a ruleset knows
/// (`事实 事件种类：｛环境违法，行政处罚，…｝`). History builtins take one of its variants, and
/// a profile's `history[].kind` must be one.
pub const EVENT_KIND_FACT: &str = "事件种类";
/// English alias of [`EVENT_KIND_FACT`].
pub const EVENT_KIND_FACT_EN: &str = "event_kind";

/// A checked expression.
#[derive(Debug, Clone, PartialEq)]
pub enum CExpr {
    /// A constant.
    Lit(Value),
    /// A fact, by index into [`Program::facts`].
    Fact(u32),
    /// A derived value, by index into [`Program::derived`].
    Derived(u32),
    /// An engine-supplied constant.
    Const(BuiltinConst),
    /// Numeric negation.
    Neg(Box<CExpr>),
    /// Logical negation.
    Not(Box<CExpr>),
    /// Binary operation; the operand type decides comparison semantics.
    Bin(BinOp, Box<CExpr>, Box<CExpr>),
    /// Enum membership.
    In(Box<CExpr>, Vec<u32>),
    /// Conditional.
    If(Box<CExpr>, Box<CExpr>, Box<CExpr>),
    /// Builtin call.
    Call(BuiltinFn, Vec<CExpr>),
}

/// The program: every file, every ruleset version.
#[derive(Debug, Clone)]
pub struct Program {
    /// The sources, indexed by [`crate::FileId`].
    pub files: Vec<SourceFile>,
    /// Every enum type.
    pub enums: Vec<EnumDef>,
    /// Every fact, program-wide (one name, one type).
    pub facts: Vec<FactDef>,
    /// Every derived value.
    pub derived: Vec<DerivedDef>,
    /// Ruleset versions, in file order.
    pub rulesets: Vec<RulesetIr>,
}

/// One version of one ruleset (one file).
#[derive(Debug, Clone)]
pub struct RulesetIr {
    /// Name shared by all versions.
    pub name: String,
    /// 文号
    pub document: Option<String>,
    /// 发布机关
    pub authority: Option<String>,
    /// 辖区
    pub jurisdiction: Option<String>,
    /// 版本
    pub version: Option<String>,
    /// First day in force (None: always).
    pub from: Option<NaiveDate>,
    /// Last day in force, inclusive (None: open).
    pub to: Option<NaiveDate>,
    /// Parent ruleset name.
    pub extends: Option<String>,
    /// Rounding (None: inherit, or the default 元 四舍五入).
    pub rounding: Option<RoundingIr>,
    /// 从旧兼从轻: the provision cited when a case is judged between this version and an earlier one.
    pub choice_of_law: Option<String>,
    /// 一事不再罚: the provision cited when one act violates several provisions.
    pub one_fine: Option<String>,
    /// Violations declared here.
    pub violations: Vec<ViolationIr>,
    /// Refinements of inherited violations.
    pub refinements: Vec<ViolationIr>,
    /// General-part exemptions.
    pub exemptions: Vec<ExemptionIr>,
    /// General-part adjustments.
    pub adjustments: Vec<AdjustmentIr>,
    /// General limitation rule.
    pub limitation: Option<LimitationIr>,
    /// Fallback for violations without a table.
    pub fallback: Option<FallbackIr>,
    /// 通用裁量: the table for violations without their own (takes precedence over `fallback`).
    pub general_table: Option<GeneralTableIr>,
    /// Positive lists.
    pub positive_lists: Vec<PositiveListIr>,
    /// Facts declared in this file (indices).
    pub facts: Vec<u32>,
    /// The files of this version.
    pub files: Vec<u32>,
    /// Header span.
    pub span: Span,
}

/// Rounding rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundingIr {
    /// Unit in yuan.
    pub unit: Decimal,
    /// Unit as written.
    pub unit_label: String,
    /// Mode.
    pub mode: RoundingMode,
    /// Where declared.
    pub span: Span,
}

/// A checked violation (or refinement: then only the parts written are `Some`/non-empty).
#[derive(Debug, Clone)]
pub struct ViolationIr {
    /// Code.
    pub code: String,
    /// Name.
    pub title: Option<String>,
    /// 违反
    pub violates: Option<String>,
    /// 依据
    pub basis: Vec<String>,
    /// 出处
    pub source: Option<String>,
    /// 承接: the earlier provision this one takes over.
    pub succeeds: Option<String>,
    /// 不认为是违法: this version no longer punishes the act (then `fines` is empty unless
    /// `not_illegal_when` limits it to part of the act).
    pub not_illegal: Option<String>,
    /// The condition under which the act is not punished (None: always).
    pub not_illegal_when: Option<CExpr>,
    /// Statutory ranges: unconditional and `当` alternatives, in order.
    pub fines: Vec<FineIr>,
    /// Measures: (optional, text).
    pub measures: Vec<(bool, String)>,
    /// 按日连续处罚 basis.
    pub daily: Option<String>,
    /// Discretion.
    pub discretion: Option<DiscretionIr>,
    /// Local exemptions.
    pub exemptions: Vec<ExemptionIr>,
    /// Local adjustments.
    pub adjustments: Vec<AdjustmentIr>,
    /// Local limitation.
    pub limitation: Option<LimitationIr>,
    /// Facts this violation reads (for the catalogue), by index.
    pub facts: Vec<u32>,
    /// Where.
    pub span: Span,
}

/// One statutory range clause.
#[derive(Debug, Clone)]
pub struct FineIr {
    /// Condition for an alternative range.
    pub when: Option<CExpr>,
    /// Shape.
    pub shape: ShapeIr,
    /// Where.
    pub span: Span,
}

/// A statutory shape, resolved.
#[derive(Debug, Clone)]
pub enum ShapeIr {
    /// Fixed or computed bounds.
    Bounds {
        /// Minimum (money).
        min: CExpr,
        /// Maximum (money).
        max: CExpr,
    },
    /// Maximum only (minimum 0).
    MaxOnly {
        /// Maximum.
        max: CExpr,
    },
    /// A share or multiple of a base fact.
    OfBase {
        /// The base (money).
        base: CExpr,
        /// Base fact name, for explanations.
        base_name: String,
        /// Lower factor (fraction or multiple).
        low: Decimal,
        /// Upper factor.
        high: Decimal,
        /// Written as multiples (倍) rather than percentages.
        multiple: bool,
        /// Floor on the base: (below, counted as).
        floor: Option<(CExpr, CExpr)>,
    },
    /// Per occurrence × count.
    PerOccurrence {
        /// Minimum per occurrence.
        min: CExpr,
        /// Maximum per occurrence.
        max: CExpr,
        /// The count (integer fact) or quantity (number fact).
        count: CExpr,
        /// Count fact name.
        count_name: String,
        /// `None` for 每次; the unit word (平方米) for a per-unit fine.
        unit: Option<String>,
    },
}

/// Discretion, resolved.
#[derive(Debug, Clone)]
pub enum DiscretionIr {
    /// Additive weights.
    Additive {
        /// `按幅度`: amount = minimum + percentage × (maximum − minimum); `base` unused.
        within: bool,
        /// Base the percentage multiplies (None: statutory maximum).
        base: Option<CExpr>,
        /// Starting weight (fraction).
        start: Decimal,
        /// Factors.
        factors: Vec<FactorIr>,
        /// Caps (fraction, condition, note).
        caps: Vec<LimitIr>,
        /// Floors.
        floors: Vec<LimitIr>,
        /// Where.
        span: Span,
    },
    /// Bands.
    Bands(Vec<BandIr>, Span),
}

/// Cap or floor on the percentage.
#[derive(Debug, Clone)]
pub struct LimitIr {
    /// The fraction.
    pub value: Decimal,
    /// Condition.
    pub when: Option<CExpr>,
    /// Note.
    pub note: Option<String>,
    /// Where.
    pub span: Span,
}

/// A factor.
#[derive(Debug, Clone)]
pub struct FactorIr {
    /// Name as written.
    pub name: Text,
    /// Label (the fact's label if the factor reads a fact).
    pub label: Option<String>,
    /// The fact it reads.
    pub fact: Option<u32>,
    /// The value its shorthand levels test (a fact or derived value).
    pub subject: Option<CExpr>,
    /// Its levels; `value` is already the contribution (fraction).
    pub levels: Vec<LevelIr>,
    /// Index of the lowest level (Guangdong art. 5 default).
    pub lowest: usize,
    /// Where.
    pub span: Span,
}

/// A level.
#[derive(Debug, Clone)]
pub struct LevelIr {
    /// Test.
    pub test: LevelTest,
    /// Contribution to the percentage (fraction).
    pub value: Decimal,
    /// The level as written, for explanations.
    pub text: String,
    /// The level as decisions show it (`text` trimmed).
    pub label: Text,
    /// Where.
    pub span: Span,
}

/// A level test.
#[derive(Debug, Clone)]
pub enum LevelTest {
    /// Arbitrary condition.
    When(CExpr),
    /// Anything not matched by another level.
    Otherwise,
    /// Bool fact equals.
    Bool(bool),
    /// Enum fact is one of.
    Variants(Vec<u32>),
    /// Numeric fact in interval: (bound, inclusive).
    Interval {
        /// Lower end.
        lo: Option<(Decimal, bool)>,
        /// Upper end.
        hi: Option<(Decimal, bool)>,
    },
}

/// A band.
#[derive(Debug, Clone)]
pub struct BandIr {
    /// Name.
    pub name: String,
    /// Condition (None: default band).
    pub when: Option<CExpr>,
    /// Lower end.
    pub low: BandEnd,
    /// Upper end.
    pub high: BandEnd,
    /// Where.
    pub span: Span,
}

/// A band end.
#[derive(Debug, Clone)]
pub enum BandEnd {
    /// Position in the statutory range (fraction).
    Percent(Decimal),
    /// An amount.
    Amount(CExpr),
}

/// `通用裁量`: a discretion table that applies to every violation without its own.
#[derive(Debug, Clone)]
pub struct GeneralTableIr {
    /// The table.
    pub discretion: DiscretionIr,
    /// Legal basis.
    pub basis: String,
    /// Where.
    pub span: Span,
}

/// Fallback positions (fractions of the statutory range).
#[derive(Debug, Clone)]
pub struct FallbackIr {
    /// 一般
    pub ordinary: Decimal,
    /// 从轻
    pub mitigated: Option<Decimal>,
    /// 从重
    pub aggravated: Option<Decimal>,
    /// Basis.
    pub basis: String,
    /// Where.
    pub span: Span,
}

/// An exemption rule.
#[derive(Debug, Clone)]
pub struct ExemptionIr {
    /// Name.
    pub name: Text,
    /// Label.
    pub label: Option<String>,
    /// Kind (minor, first_offense, no_fault, list, …).
    pub kind: String,
    /// Effect.
    pub effect: ExemptionEffect,
    /// Conditions with their source text, all must hold.
    pub when: Vec<(CExpr, Text)>,
    /// Basis.
    pub basis: Vec<String>,
    /// Rules it defeats.
    pub overrides: Vec<String>,
    /// Where.
    pub span: Span,
}

/// An adjustment rule.
#[derive(Debug, Clone)]
pub struct AdjustmentIr {
    /// Name.
    pub name: String,
    /// Label.
    pub label: Option<String>,
    /// Kind.
    pub kind: AdjustKind,
    /// Conditions with source text.
    pub when: Vec<(CExpr, Text)>,
    /// Basis.
    pub basis: Vec<String>,
    /// Rules it defeats.
    pub overrides: Vec<String>,
    /// Codes of the violations it does not apply to, each where it was written.
    pub excludes: Vec<(String, Span)>,
    /// Effect.
    pub effect: EffectIr,
    /// Recommended point inside the resulting range (fraction from the low end; None: middle).
    pub recommend: Option<CExpr>,
    /// Combination rule.
    pub combine: Combine,
    /// Where.
    pub span: Span,
}

/// Effect, resolved.
#[derive(Debug, Clone)]
pub enum EffectIr {
    /// Lower by a share (from, to) of the amount.
    LowerBy(Decimal, Decimal),
    /// Raise by a share.
    RaiseBy(Decimal, Decimal),
    /// Subtract an amount range.
    Minus(CExpr, CExpr),
    /// Add an amount range.
    Plus(CExpr, CExpr),
    /// Set the range.
    SetTo(CExpr, CExpr),
    /// Take the low end of the discretion range.
    TakeLow,
    /// Take the high end.
    TakeHigh,
}

/// A limitation rule.
#[derive(Debug, Clone)]
pub struct LimitationIr {
    /// Period.
    pub period: (u32, DurationUnit),
    /// Counted from (text).
    pub from: Option<String>,
    /// Basis.
    pub basis: String,
    /// Conditional periods.
    pub cases: Vec<(CExpr, (u32, DurationUnit), String)>,
    /// Where.
    pub span: Span,
}

/// A positive list.
#[derive(Debug, Clone)]
pub struct PositiveListIr {
    /// Name.
    pub name: String,
    /// Label.
    pub label: Option<String>,
    /// Basis.
    pub basis: Vec<String>,
    /// Validity.
    pub validity: Option<(u32, DurationUnit)>,
    /// Re-entry ban.
    pub reentry_ban: Option<(u32, DurationUnit)>,
    /// Basic criteria.
    pub basic: Vec<CriterionIr>,
    /// Screening: at least n.
    pub screening: Option<(u32, Vec<CriterionIr>)>,
    /// Exclusions.
    pub exclusions: Vec<CriterionIr>,
    /// Removal triggers.
    pub removals: Vec<CriterionIr>,
    /// Measures.
    pub measures: Vec<ListMeasuresIr>,
    /// Where.
    pub span: Span,
}

/// A criterion.
#[derive(Debug, Clone)]
pub struct CriterionIr {
    /// Name.
    pub name: String,
    /// Label.
    pub label: Option<String>,
    /// Condition and its text.
    pub when: (CExpr, String),
    /// Where.
    pub span: Span,
}

/// Measures for a status.
#[derive(Debug, Clone)]
pub struct ListMeasuresIr {
    /// For listed firms.
    pub listed: bool,
    /// Condition and its text.
    pub when: Option<(CExpr, String)>,
    /// The measures.
    pub items: Vec<MeasureItemIr>,
    /// Where.
    pub span: Span,
}

/// One measure: `名称` (a flag) or `名称 = 值`.
#[derive(Debug, Clone)]
pub struct MeasureItemIr {
    /// Name.
    pub name: String,
    /// Value, when written.
    pub value: Option<Value>,
    /// The value as written (`5%`, `2`, `是`).
    pub text: Option<String>,
    /// Where.
    pub span: Span,
}

/// Is this binary operator a comparison?
pub fn is_comparison(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
    )
}
