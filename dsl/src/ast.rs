//! The syntax tree of one `.rules` file. Every node carries a [`Span`]; equality ignores
//! spans, so `parse(fmt(x)) == parse(x)` compares meaning, not layout.

use crate::span::Span;
use rust_decimal::Decimal;

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name itself.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A quoted string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The text between the quotes.
    pub value: String,
    /// Where it was written (quotes included).
    pub span: Span,
}

/// One parsed `.rules` file.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// The ruleset header.
    pub header: Header,
    /// Everything after the header, in source order.
    pub items: Vec<Item>,
    /// Comments, kept for the formatter: (span, text without `#`).
    pub comments: Vec<Comment>,
}

/// A `#` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The comment text after `#`, trimmed at the end.
    pub text: String,
    /// Where it was written.
    pub span: Span,
}

/// `规则集 名称` and its clauses.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Ruleset name (several files with one name are dated versions of one ruleset).
    pub name: Ident,
    /// 文号
    pub document: Option<Text>,
    /// 发布机关
    pub authority: Option<Text>,
    /// 辖区
    pub jurisdiction: Option<Text>,
    /// 版本
    pub version: Option<Text>,
    /// 生效 … 至 …
    pub effective: Option<Effective>,
    /// 继承
    pub extends: Option<Ident>,
    /// 边界
    pub boundary: Option<(Boundary, Span)>,
    /// 取整
    pub rounding: Option<Rounding>,
    /// 从旧兼从轻: the provision that chooses between this version and an earlier one.
    pub choice_of_law: Option<Text>,
    /// 一事不再罚: the provision cited when one act violates several provisions.
    pub one_fine: Option<Text>,
    /// Where the header was written.
    pub span: Span,
}

/// Effective period of a ruleset version; `to` is inclusive.
#[derive(Debug, Clone, PartialEq)]
pub struct Effective {
    /// First day in force.
    pub from: Date,
    /// Last day in force, if stated.
    pub to: Option<Date>,
    /// Where it was written.
    pub span: Span,
}

/// A calendar date literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// The date.
    pub date: chrono::NaiveDate,
    /// Where it was written.
    pub span: Span,
}

/// How `以上` / `以下` treat the number itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Boundary {
    /// 以下不含本数，以上含本数 (Guangdong art. 23). The default.
    #[default]
    BelowExclusive,
    /// 以上、以下均含本数 (Jiangmen 2020 art. 16).
    BothInclusive,
    /// 均不含本数.
    BothExclusive,
}

/// 取整: the unit and mode a ruleset rounds money to.
#[derive(Debug, Clone, PartialEq)]
pub struct Rounding {
    /// The unit, in yuan (0.01 for 分, 100 for 百元).
    pub unit: Decimal,
    /// The unit as written (for explanations).
    pub unit_label: String,
    /// The rounding mode.
    pub mode: RoundingMode,
    /// Where it was written.
    pub span: Span,
}

/// Rounding modes legal staff can declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundingMode {
    /// 四舍五入
    HalfUp,
    /// 向下
    Down,
    /// 向上
    Up,
    /// 银行家 (half to even)
    HalfEven,
}

/// A top-level item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// 事实
    Fact(FactDecl),
    /// 推导
    Derived(DerivedDecl),
    /// 违法行为
    Violation(Violation),
    /// 细化 违法行为
    Refine(Violation),
    /// 免罚 (general part)
    Exemption(Exemption),
    /// 调整 (general part)
    Adjustment(Adjustment),
    /// 时效 (general part)
    Limitation(Limitation),
    /// 缺省裁量
    Fallback(Fallback),
    /// 通用裁量
    GeneralTable(GeneralTable),
    /// 正面清单
    PositiveList(PositiveList),
}

/// The types a fact can have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// 是否
    Bool,
    /// 数值
    Number,
    /// 整数
    Integer,
    /// 金额
    Money,
    /// 百分比
    Percent,
    /// 倍数
    Multiple,
    /// 日期
    Date,
    /// 期间
    Duration,
    /// ｛甲，乙｝
    Enum(Vec<Ident>),
}

/// `事实 名称：类型 "标签" 默认 值`
#[derive(Debug, Clone, PartialEq)]
pub struct FactDecl {
    /// The fact's name, used in cases.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
    /// A human label.
    pub label: Option<Text>,
    /// The default used when a case does not give it.
    pub default: Option<Expr>,
    /// Where it was written.
    pub span: Span,
}

/// `推导 名称：类型 = 表达式`
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedDecl {
    /// The derived value's name.
    pub name: Ident,
    /// Its declared type.
    pub ty: TypeExpr,
    /// Its definition.
    pub expr: Expr,
    /// A human label.
    pub label: Option<Text>,
    /// Where it was written.
    pub span: Span,
}

/// A violation (or, under `细化`, the refinement of an inherited one).
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Stable ASCII code.
    pub code: Ident,
    /// Name (the table's heading). Optional only under `细化`.
    pub title: Option<Text>,
    /// 违反: the clause violated.
    pub violates: Option<Text>,
    /// 依据: the penalty clause(s).
    pub basis: Vec<Text>,
    /// 出处: where in a benchmark this table is (`附件1 §1.1`).
    pub source: Option<Text>,
    /// 承接: the earlier provision this one takes over (in a later dated version).
    pub succeeds: Option<Text>,
    /// 不认为是违法: this version no longer punishes the act; the text says why.
    pub not_illegal: Option<Text>,
    /// `不认为是违法 "…" 当 条件`: only when the condition holds (one limb of an old provision).
    pub not_illegal_when: Option<Expr>,
    /// 罚款: the statutory range, unconditional ones and `当` alternatives.
    pub fines: Vec<FineClause>,
    /// 并处: non-monetary measures.
    pub measures: Vec<Measure>,
    /// 按日连续处罚 依据 …
    pub daily: Option<Text>,
    /// 裁量
    pub discretion: Option<Discretion>,
    /// Exemptions that apply to this violation only.
    pub exemptions: Vec<Exemption>,
    /// Adjustments that apply to this violation only.
    pub adjustments: Vec<Adjustment>,
    /// Limitation rule for this violation.
    pub limitation: Option<Limitation>,
    /// Where it was written.
    pub span: Span,
}

/// `罚款 [当 条件：] 形状`
#[derive(Debug, Clone, PartialEq)]
pub struct FineClause {
    /// The condition under which this range applies instead of the unconditional one.
    pub when: Option<Expr>,
    /// The shape of the range.
    pub shape: FineShape,
    /// Where it was written.
    pub span: Span,
}

/// Every statutory shape of research-notes §3.
#[derive(Debug, Clone, PartialEq)]
pub enum FineShape {
    /// `10万元 至 100万元`
    Bounds {
        /// Minimum.
        min: Expr,
        /// Maximum.
        max: Expr,
    },
    /// `5万元 以下`
    MaxOnly {
        /// Maximum.
        max: Expr,
    },
    /// `总投资额 的 1% 至 5%` / `处置费用 的 3倍 至 5倍，基数不足 20万元 按 20万元 计`
    OfBase {
        /// The base fact.
        base: Ident,
        /// Lower factor (percent or multiple literal).
        low: Expr,
        /// Upper factor.
        high: Expr,
        /// Floor on the base: (below, counted as).
        floor: Option<(Expr, Expr)>,
    },
    /// `每次 5000元 至 2万元，次数 违法次数`
    PerOccurrence {
        /// Minimum per occurrence.
        min: Expr,
        /// Maximum per occurrence.
        max: Expr,
        /// The fact counting occurrences (`次数`, integer) or units (`数量`, number).
        count: Ident,
        /// `None` for `每次`; the unit word for `每平方米 … 数量 …`.
        unit: Option<String>,
    },
}

/// One non-monetary measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// `可以`: the measure is discretionary.
    pub optional: bool,
    /// The measure's text.
    pub text: String,
    /// Where it was written.
    pub span: Span,
}

/// 裁量
#[derive(Debug, Clone, PartialEq)]
pub enum Discretion {
    /// 权重累加 (Guangdong art. 6).
    Additive(Additive),
    /// 分档 (bands / tiers).
    Bands(Vec<Band>, Span),
}

/// `通用裁量 依据 "…" 裁量 …`: the discretion table for violations without their own.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneralTable {
    /// Legal basis.
    pub basis: Text,
    /// The table.
    pub discretion: Discretion,
    /// Where it was written.
    pub span: Span,
}

/// The additive-weight model.
#[derive(Debug, Clone, PartialEq)]
pub struct Additive {
    /// `按幅度`: amount = minimum + percentage × (maximum − minimum), instead of percentage × base.
    pub within: bool,
    /// 基数: what the percentage multiplies. Default: the statutory maximum.
    pub base: Option<Expr>,
    /// 起点
    pub start: (Decimal, Span),
    /// 因素
    pub factors: Vec<Factor>,
    /// 上限 (default 100%), possibly conditional.
    pub caps: Vec<Limit>,
    /// 下限 (e.g. "不足20%按20%"), possibly conditional.
    pub floors: Vec<Limit>,
    /// Where it was written.
    pub span: Span,
}

/// A cap or floor on the discretion percentage.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    /// The percentage (as a fraction: 20% = 0.2).
    pub value: Decimal,
    /// When it applies (always if absent).
    pub when: Option<Expr>,
    /// The table's note it comes from.
    pub note: Option<Text>,
    /// Where it was written.
    pub span: Span,
}

/// A discretion factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// The fact it reads, or a free name when all levels use `当 (…)`.
    pub name: Ident,
    /// A label.
    pub label: Option<Text>,
    /// `权重 40%`: levels are scores 0–100 multiplied by this weight.
    pub weight: Option<(Decimal, Span)>,
    /// Its levels, in table order.
    pub levels: Vec<Level>,
    /// Where it was written.
    pub span: Span,
}

/// One level (违法程度) of a factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    /// The condition.
    pub cond: LevelCond,
    /// Its weight: a percentage, or a score under `权重`.
    pub value: LevelValue,
    /// Where it was written.
    pub span: Span,
}

/// A level's weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelValue {
    /// `5%` (stored as the fraction 0.05).
    Percent(Decimal),
    /// `40` (a score, with `权重`).
    Score(Decimal),
}

/// A level's condition, written in the table's own words.
#[derive(Debug, Clone, PartialEq)]
pub enum LevelCond {
    /// `当 (表达式)`
    When(Expr),
    /// `其他`
    Otherwise,
    /// `是` / `否`
    Bool(bool),
    /// `报告书/报告表`
    Variants(Vec<Ident>),
    /// A numeric interval.
    Range {
        /// Lower end and whether written with an explicit operator.
        low: Option<RangeEnd>,
        /// Upper end.
        high: Option<RangeEnd>,
    },
    /// `1` exactly.
    Exact(Literal, Span),
}

/// One end of a numeric level interval.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeEnd {
    /// The number.
    pub value: Literal,
    /// How it was written.
    pub kind: EndKind,
    /// Where.
    pub span: Span,
}

/// How an interval end was written; inclusivity of `以上`/`以下` follows the ruleset's 边界.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndKind {
    /// `N以上`
    Above,
    /// `N以下`
    Below,
    /// `≥N`
    Ge,
    /// `>N`, `超过N`
    Gt,
    /// `≤N`
    Le,
    /// `<N`, `不足N`
    Lt,
}

/// `档 名称 [当 (条件)]：下 至 上`
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Severity name (轻微 / 一般 / 较重 / 严重).
    pub name: Ident,
    /// When this band applies; a band without one is the default.
    pub when: Option<Expr>,
    /// Lower end: a percentage of the statutory range or an amount.
    pub low: Expr,
    /// Upper end.
    pub high: Expr,
    /// Where it was written.
    pub span: Span,
}

/// `缺省裁量` (Guangdong art. 12): where in the statutory range a violation without a table lands.
#[derive(Debug, Clone, PartialEq)]
pub struct Fallback {
    /// 一般: position of the ordinary case.
    pub ordinary: Option<(Decimal, Span)>,
    /// 从轻 position.
    pub mitigated: Option<(Decimal, Span)>,
    /// 从重 position.
    pub aggravated: Option<(Decimal, Span)>,
    /// Legal basis.
    pub basis: Text,
    /// Where it was written.
    pub span: Span,
}

/// What an exemption does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExemptionEffect {
    /// 不予处罚 (mandatory).
    NoPenalty,
    /// 可以不予处罚 (discretionary).
    MayExempt,
    /// 不适用: an exception that only defeats the rules it overrides.
    NotApplicable,
}

/// `免罚 名称 …`
#[derive(Debug, Clone, PartialEq)]
pub struct Exemption {
    /// Rule name, unique in the ruleset chain.
    pub name: Ident,
    /// Label.
    pub label: Option<Text>,
    /// 类别: minor / first_offense / no_fault … (a free name, mapped by the engine).
    pub kind: Option<Ident>,
    /// 不予处罚 / 可以不予处罚 / 不适用.
    pub effect: Option<(ExemptionEffect, Span)>,
    /// 当: conditions (all must hold).
    pub when: Vec<Expr>,
    /// 依据
    pub basis: Vec<Text>,
    /// 优先于: rules this one defeats when it fires.
    pub overrides: Vec<Ident>,
    /// Where it was written.
    pub span: Span,
}

/// 从轻 / 减轻 / 从重
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjustKind {
    /// 从轻
    Mitigate,
    /// 减轻
    Reduce,
    /// 从重
    Aggravate,
}

/// `调整 名称 …`
#[derive(Debug, Clone, PartialEq)]
pub struct Adjustment {
    /// Rule name.
    pub name: Ident,
    /// Label.
    pub label: Option<Text>,
    /// 从轻 / 减轻 / 从重.
    pub kind: (AdjustKind, Span),
    /// 当
    pub when: Vec<Expr>,
    /// 依据
    pub basis: Vec<Text>,
    /// 优先于
    pub overrides: Vec<Ident>,
    /// `排除 违法行为 …`: codes of the violations the rule does not apply to.
    pub excludes: Vec<Ident>,
    /// The effect on the fine.
    pub effect: Option<Effect>,
    /// 合并
    pub combine: Option<(Combine, Span)>,
    /// Where it was written.
    pub span: Span,
}

/// What an adjustment does to the fine.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// The operation.
    pub op: EffectOp,
    /// 推荐: the point the recommendation takes inside the resulting range.
    pub recommend: Option<Expr>,
    /// Where it was written.
    pub span: Span,
}

/// Adjustment operations.
#[derive(Debug, Clone, PartialEq)]
pub enum EffectOp {
    /// `降低 30% 至 50%`: lower the amount by a share of itself.
    LowerBy(Decimal, Option<Decimal>),
    /// `提高 10% 至 20%`
    RaiseBy(Decimal, Option<Decimal>),
    /// `减少 0元 至 法定最高额 × 20%`
    Minus(Expr, Option<Expr>),
    /// `增加 …`
    Plus(Expr, Option<Expr>),
    /// `降至 法定最低额 × 50% 至 法定最低额` (for 减轻)
    SetTo(Expr, Expr),
    /// `取 低端` / `取 高端` of the discretion range.
    TakeLow,
    /// `取 高端`
    TakeHigh,
}

/// How several adjustments combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine {
    /// 依次: apply in declaration order.
    Sequential,
    /// 择一从轻: apply only the most favourable one.
    MostFavourable,
    /// 择一从重: apply only the heaviest.
    Heaviest,
    /// 并列: show both directions and leave the choice to the officer (Hunan art. 12).
    OfficerChoice,
}

/// `时效 2年 [自 "…"] 依据 "…" [当 条件：5年]*`
#[derive(Debug, Clone, PartialEq)]
pub struct Limitation {
    /// The ordinary period.
    pub period: Duration,
    /// From when it is counted (text for the explanation).
    pub from: Option<Text>,
    /// Legal basis.
    pub basis: Text,
    /// Longer or shorter periods under conditions.
    pub cases: Vec<(Expr, Duration)>,
    /// Where it was written.
    pub span: Span,
}

/// A duration literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    /// Amount.
    pub amount: u32,
    /// Unit.
    pub unit: DurationUnit,
    /// Where it was written.
    pub span: Span,
}

/// Units of a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnit {
    /// 年
    Years,
    /// 个月 / 月
    Months,
    /// 日 / 天
    Days,
}

/// `正面清单 名称 …`
#[derive(Debug, Clone, PartialEq)]
pub struct PositiveList {
    /// Name.
    pub name: Ident,
    /// Label.
    pub label: Option<Text>,
    /// 依据
    pub basis: Vec<Text>,
    /// 有效期
    pub validity: Option<Duration>,
    /// 禁入期 after removal.
    pub reentry_ban: Option<Duration>,
    /// 基本条件 (all must hold).
    pub basic: Vec<Criterion>,
    /// 筛选条件: at least N of these.
    pub screening: Option<(u32, Vec<Criterion>)>,
    /// 排除 (any one excludes).
    pub exclusions: Vec<Criterion>,
    /// 移出 (any one removes a listed firm).
    pub removals: Vec<Criterion>,
    /// 措施
    pub measures: Vec<ListMeasures>,
    /// Where it was written.
    pub span: Span,
}

/// `条件 名称 "标签" 当 表达式`
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    /// Name.
    pub name: Ident,
    /// Label.
    pub label: Option<Text>,
    /// Condition.
    pub when: Expr,
    /// Where.
    pub span: Span,
}

/// `措施 已纳入 [当 条件]：名称 = 值，…`
#[derive(Debug, Clone, PartialEq)]
pub struct ListMeasures {
    /// For listed (true) or unlisted (false) firms.
    pub listed: bool,
    /// Extra condition (e.g. credit grade).
    pub when: Option<Expr>,
    /// The measures: name and optional value.
    pub items: Vec<(Ident, Option<Expr>)>,
    /// Where.
    pub span: Span,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// `是` / `否`
    Bool(bool),
    /// `3`, `1.5`
    Number(Decimal),
    /// `10万元` (stored in yuan)
    Money(Decimal),
    /// `5%` (stored as 0.05)
    Percent(Decimal),
    /// `3倍`
    Multiple(Decimal),
    /// `2024-01-01`
    Date(chrono::NaiveDate),
    /// `2年`
    Duration(u32, DurationUnit),
    /// `"…"`
    Text(String),
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// +
    Add,
    /// -
    Sub,
    /// ×
    Mul,
    /// ÷
    Div,
    /// =
    Eq,
    /// ≠
    Ne,
    /// <
    Lt,
    /// ≤
    Le,
    /// >
    Gt,
    /// ≥
    Ge,
    /// 且
    And,
    /// 或
    Or,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Where.
    pub span: Span,
}

/// Expression forms.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A literal.
    Lit(Literal),
    /// A fact, derived value, enum variant or builtin constant.
    Name(Ident),
    /// `-x`
    Neg(Box<Expr>),
    /// `非 x`
    Not(Box<Expr>),
    /// `a op b`
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `x 属于 ｛甲，乙｝`
    In(Box<Expr>, Vec<Ident>),
    /// `若 c 则 a 否则 b`
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `较大(a, b)`
    Call(Ident, Vec<Expr>),
}
