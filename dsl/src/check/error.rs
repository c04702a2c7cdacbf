//! Every static error and warning the checker reports, with its code and help line.

use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;

/// A checker finding. Messages are Chinese and quote the user's input; `help` says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// A name that is not declared.
    #[error("未知名称“{name}”")]
    UnknownName {
        /// The name.
        name: String,
        /// Closest declared name.
        suggestion: Option<String>,
        /// A ruleset that declares the name but is not inherited here.
        elsewhere: Option<String>,
        /// Where.
        span: Span,
    },
    /// An enum value that is not a variant of the fact's type.
    #[error("“{variant}”不是事实“{fact}”的取值")]
    UnknownVariant {
        /// As written.
        variant: String,
        /// The fact.
        fact: String,
        /// Allowed variants.
        allowed: String,
        /// Closest variant.
        suggestion: Option<String>,
        /// Where.
        span: Span,
    },
    /// A name declared twice.
    #[error("{what}“{name}”重复声明")]
    Duplicate {
        /// What kind of thing.
        what: &'static str,
        /// The name.
        name: String,
        /// Where the first one is (file:line).
        first: String,
        /// Where.
        span: Span,
    },
    /// `继承` names a ruleset that does not exist.
    #[error("继承的规则集“{name}”不存在")]
    UnknownParent {
        /// The name.
        name: String,
        /// Closest ruleset name.
        suggestion: Option<String>,
        /// Where.
        span: Span,
    },
    /// `细化` names a violation no ancestor declares.
    #[error("细化的违法行为“{code}”在上级规则集中不存在")]
    RefineMissing {
        /// Code.
        code: String,
        /// Closest code.
        suggestion: Option<String>,
        /// Where.
        span: Span,
    },
    /// `优先于` names a rule that does not exist.
    #[error("优先于的规则“{name}”不存在")]
    UnknownRule {
        /// The name.
        name: String,
        /// Closest rule name.
        suggestion: Option<String>,
        /// Where.
        span: Span,
    },
    /// `排除 违法行为` names a code no violation has.
    #[error("排除的违法行为“{code}”不存在")]
    UnknownExcluded {
        /// The code.
        code: String,
        /// Closest code.
        suggestion: Option<String>,
        /// Where.
        span: Span,
    },
    /// An unknown function.
    #[error("未知函数“{name}”")]
    UnknownFunction {
        /// The name.
        name: String,
        /// Where.
        span: Span,
    },
    /// An expression of the wrong type.
    #[error("{what}应为{expected}，实际为{found}")]
    TypeMismatch {
        /// What the expression is for.
        what: String,
        /// Expected type.
        expected: String,
        /// Found type.
        found: String,
        /// Where.
        span: Span,
    },
    /// An operator applied to operands it does not accept.
    #[error("不能对{left}和{right}做“{op}”运算")]
    BadOperands {
        /// Operator.
        op: &'static str,
        /// Left type.
        left: String,
        /// Right type.
        right: String,
        /// Where.
        span: Span,
    },
    /// Wrong number of arguments.
    #[error("函数“{name}”需要 {expected} 个参数，实际 {found} 个")]
    WrongArity {
        /// Function.
        name: String,
        /// Expected count.
        expected: usize,
        /// Found count.
        found: usize,
        /// Where.
        span: Span,
    },
    /// The same fact declared with different types in two rulesets.
    #[error("事实“{name}”在此声明为{ty}，与 {first} 处的声明（{first_ty}）类型不同")]
    FactTypeConflict {
        /// The fact.
        name: String,
        /// Type declared here.
        ty: String,
        /// Type of the first declaration.
        first_ty: String,
        /// Where the first declaration is.
        first: String,
        /// Where.
        span: Span,
    },
    /// Derived values that depend on themselves.
    #[error("推导值循环依赖：{cycle}")]
    Cycle {
        /// The cycle, names joined by →.
        cycle: String,
        /// Where.
        span: Span,
    },
    /// Two levels of one factor match the same value.
    #[error("因素“{factor}”的档次“{a}”与“{b}”重叠")]
    LevelOverlap {
        /// Factor.
        factor: String,
        /// First level.
        a: String,
        /// Second level.
        b: String,
        /// Where.
        span: Span,
    },
    /// Values that no level of a factor covers.
    #[error("因素“{factor}”的档次没有覆盖 {gap}")]
    LevelGap {
        /// Factor.
        factor: String,
        /// The uncovered values.
        gap: String,
        /// Where.
        span: Span,
    },
    /// Enum variants no level covers.
    #[error("因素“{factor}”没有为取值 {missing} 设定档次")]
    EnumNotCovered {
        /// Factor.
        factor: String,
        /// Missing variants.
        missing: String,
        /// Where.
        span: Span,
    },
    /// A level form that does not fit the factor's fact type.
    #[error("档次“{level}”不适用于{ty}类型的因素“{factor}”")]
    LevelKind {
        /// Level text.
        level: String,
        /// Factor.
        factor: String,
        /// Fact type.
        ty: String,
        /// Where.
        span: Span,
    },
    /// Weights of a weighted factor table do not add to 100%.
    #[error("各因素权重之和为 {sum}，应为 100%")]
    WeightSum {
        /// The sum.
        sum: String,
        /// Where.
        span: Span,
    },
    /// Starting weight plus every factor's highest level is not 100%.
    #[error("起点与各因素最高档之和为 {sum}，不等于 100%")]
    MaxSum {
        /// The sum.
        sum: String,
        /// Where.
        span: Span,
    },
    /// Bands that do not cover 0–100% exactly once.
    #[error("分档没有完整覆盖 0%–100%：{detail}")]
    BandCoverage {
        /// What is wrong.
        detail: String,
        /// Where.
        span: Span,
    },
    /// A range whose minimum exceeds its maximum.
    #[error("{what}下限 {min} 大于上限 {max}")]
    MinAboveMax {
        /// What range.
        what: String,
        /// Minimum.
        min: String,
        /// Maximum.
        max: String,
        /// Where.
        span: Span,
    },
    /// An exemption that can never fire.
    #[error("免罚规则“{name}”永远不会适用：{why}")]
    NeverFires {
        /// Rule.
        name: String,
        /// Why.
        why: String,
        /// Where.
        span: Span,
    },
    /// A rule lacks a required clause.
    #[error("{what}缺少{clause}")]
    Missing {
        /// What.
        what: String,
        /// Missing clause.
        clause: &'static str,
        /// Where.
        span: Span,
    },
    /// A path on which the fine would leave the statutory range without a declared 减轻.
    #[error("{what}可能使罚款{direction}法定幅度，{}", leaves_rule(direction))]
    LeavesRange {
        /// What.
        what: String,
        /// 低于 / 高于.
        direction: &'static str,
        /// Where.
        span: Span,
    },
    /// A table that yields amounts outside the statutory range; the engine clamps (Guangdong art. 3).
    #[error("{what}按表计算可能{direction}法定幅度（{detail}），计算时将按法定幅度截取")]
    TableOutsideRange {
        /// What.
        what: String,
        /// 低于 / 高于.
        direction: &'static str,
        /// Detail.
        detail: String,
        /// Where.
        span: Span,
    },
    /// Two versions of one ruleset in force on the same day.
    #[error("规则集“{name}”的两个版本生效期间重叠（另一版本在 {other}）")]
    VersionOverlap {
        /// Ruleset.
        name: String,
        /// Where the other version is.
        other: String,
        /// Where.
        span: Span,
    },
    /// Rulesets that extend each other.
    #[error("规则集继承形成循环：{cycle}")]
    ExtendsCycle {
        /// The cycle.
        cycle: String,
        /// Where.
        span: Span,
    },
    /// A violation with no unconditional fine.
    #[error("违法行为“{code}”没有无条件的罚款幅度")]
    NoBaseFine {
        /// Code.
        code: String,
        /// Where.
        span: Span,
    },
    /// `不认为是违法` beside a fine or a discretion table.
    #[error("违法行为“{code}”写了“不认为是违法”，又写了罚款或裁量")]
    NotIllegalWithFine {
        /// Code.
        code: String,
        /// Where.
        span: Span,
    },
    /// An expression nested deeper than the checker (and the evaluator) allow: a chain of
    /// several hundred 或/且 terms, or of 非. Reported once per expression.
    #[error("表达式嵌套超过 {limit} 层")]
    ExprTooDeep {
        /// The limit.
        limit: usize,
        /// Where the limit is passed.
        span: Span,
    },
    /// A value out of its allowed range (a percentage over 100%, an empty period).
    #[error("{what}的值 {value} 超出允许范围（{allowed}）")]
    OutOfBounds {
        /// What.
        what: String,
        /// Value.
        value: String,
        /// Allowed.
        allowed: &'static str,
        /// Where.
        span: Span,
    },
}

impl CheckError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            CheckError::UnknownName { .. } => "E0101",
            CheckError::UnknownVariant { .. } => "E0102",
            CheckError::Duplicate { .. } => "E0103",
            CheckError::UnknownParent { .. } => "E0104",
            CheckError::RefineMissing { .. } => "E0105",
            CheckError::UnknownRule { .. } => "E0106",
            CheckError::UnknownFunction { .. } => "E0107",
            CheckError::UnknownExcluded { .. } => "E0108",
            CheckError::TypeMismatch { .. } => "E0201",
            CheckError::BadOperands { .. } => "E0202",
            CheckError::WrongArity { .. } => "E0203",
            CheckError::FactTypeConflict { .. } => "E0204",
            CheckError::Cycle { .. } => "E0301",
            CheckError::LevelOverlap { .. } => "E0401",
            CheckError::LevelGap { .. } => "E0402",
            CheckError::EnumNotCovered { .. } => "E0403",
            CheckError::LevelKind { .. } => "E0404",
            CheckError::WeightSum { .. } => "E0405",
            CheckError::MaxSum { .. } => "W0406",
            CheckError::BandCoverage { .. } => "E0407",
            CheckError::MinAboveMax { .. } => "E0408",
            CheckError::NeverFires { .. } => "E0501",
            CheckError::Missing { .. } => "E0502",
            CheckError::LeavesRange { .. } => "E0503",
            CheckError::TableOutsideRange { .. } => "W0504",
            CheckError::VersionOverlap { .. } => "E0601",
            CheckError::ExtendsCycle { .. } => "E0602",
            CheckError::NoBaseFine { .. } => "E0603",
            CheckError::NotIllegalWithFine { .. } => "E0605",
            CheckError::OutOfBounds { .. } | CheckError::ExprTooDeep { .. } => "E0604",
        }
    }

    /// Error or warning.
    pub fn severity(&self) -> Severity {
        match self {
            CheckError::MaxSum { .. } | CheckError::TableOutsideRange { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// Where.
    pub fn span(&self) -> Span {
        match self {
            CheckError::UnknownName { span, .. }
            | CheckError::UnknownVariant { span, .. }
            | CheckError::Duplicate { span, .. }
            | CheckError::UnknownParent { span, .. }
            | CheckError::RefineMissing { span, .. }
            | CheckError::UnknownRule { span, .. }
            | CheckError::UnknownFunction { span, .. }
            | CheckError::UnknownExcluded { span, .. }
            | CheckError::TypeMismatch { span, .. }
            | CheckError::BadOperands { span, .. }
            | CheckError::WrongArity { span, .. }
            | CheckError::FactTypeConflict { span, .. }
            | CheckError::Cycle { span, .. }
            | CheckError::LevelOverlap { span, .. }
            | CheckError::LevelGap { span, .. }
            | CheckError::EnumNotCovered { span, .. }
            | CheckError::LevelKind { span, .. }
            | CheckError::WeightSum { span, .. }
            | CheckError::MaxSum { span, .. }
            | CheckError::BandCoverage { span, .. }
            | CheckError::MinAboveMax { span, .. }
            | CheckError::NeverFires { span, .. }
            | CheckError::Missing { span, .. }
            | CheckError::LeavesRange { span, .. }
            | CheckError::TableOutsideRange { span, .. }
            | CheckError::VersionOverlap { span, .. }
            | CheckError::ExtendsCycle { span, .. }
            | CheckError::NoBaseFine { span, .. }
            | CheckError::NotIllegalWithFine { span, .. }
            | CheckError::OutOfBounds { span, .. }
            | CheckError::ExprTooDeep { span, .. } => *span,
        }
    }

    /// What to do about it.
    pub fn help(&self) -> String {
        let did_you_mean = |s: &Option<String>, fallback: &str| match s {
            Some(s) => format!("是否想写“{s}”？"),
            None => fallback.to_string(),
        };
        match self {
            CheckError::UnknownName {
                elsewhere: Some(r),
                ..
            } => format!("规则集“{r}”声明了这个名称，但本规则集没有继承它；加“继承 {r}”或在本规则集中声明"),
            CheckError::UnknownName { suggestion, .. } => did_you_mean(
                suggestion,
                "先用“事实”或“推导”声明这个名称；关键字与名称之间要留空格",
            ),
            CheckError::UnknownVariant {
                suggestion,
                allowed,
                ..
            } => match suggestion {
                Some(s) => format!("是否想写“{s}”？可选取值：{allowed}"),
                None => format!("可选取值：{allowed}"),
            },
            CheckError::Duplicate { first, .. } if first.is_empty() => "删除其中一个或改名".into(),
            CheckError::Duplicate { first, .. } => {
                format!("第一次声明在 {first}；删除其中一个或改名")
            }
            CheckError::UnknownParent { suggestion, .. } => did_you_mean(
                suggestion,
                "把上级规则集的 .rules 文件放在同一目录，或检查名称",
            ),
            CheckError::RefineMissing { suggestion, .. } => {
                did_you_mean(suggestion, "用“违法行为”新增，或检查代码与“继承”的规则集")
            }
            CheckError::UnknownRule { suggestion, .. } => {
                did_you_mean(suggestion, "检查免罚或调整规则的名称")
            }
            CheckError::UnknownFunction { .. } => {
                format!("可用函数：{}", crate::ir::BuiltinFn::NAMES.join("、"))
            }
            CheckError::UnknownExcluded { suggestion, .. } => did_you_mean(
                suggestion,
                "写本规则集或其继承的规则集中的违法行为代码",
            ),
            CheckError::TypeMismatch { expected, .. } => format!("改写为{expected}类型的表达式"),
            CheckError::BadOperands { .. } => {
                "金额可以加减金额、乘以数值/百分比/倍数；日期只能比较；不同类型不能直接比较".into()
            }
            CheckError::WrongArity { .. } => "按函数的参数个数调用".into(),
            CheckError::FactTypeConflict { .. } => {
                "同名事实在所有规则集中必须同一类型；改名或统一类型".into()
            }
            CheckError::Cycle { .. } => "推导值不能直接或间接引用自己".into(),
            CheckError::LevelOverlap { .. } => {
                "调整档次边界，使每个值只落入一个档次；注意规则集的“边界”约定（默认以下不含本数、以上含本数）"
                    .into()
            }
            CheckError::LevelGap { .. } => "补一个档次覆盖这些值，或用“其他”兜底".into(),
            CheckError::EnumNotCovered { .. } => "为每个取值设定档次，或加“其他 0%”".into(),
            CheckError::LevelKind { .. } => {
                "数值类事实用“3以上6以下”，枚举类用取值名，是否类用“是/否”，其他用“当（条件）”"
                    .into()
            }
            CheckError::WeightSum { .. } => "调整各因素的权重，使其合计 100%".into(),
            CheckError::MaxSum { .. } => "核对裁量表：起点加各因素最高档通常合计 100%".into(),
            CheckError::BandCoverage { .. } => {
                "调整各档上下限，使它们首尾相接覆盖 0% 至 100%".into()
            }
            CheckError::MinAboveMax { .. } => "交换上下限，或核对原文".into(),
            CheckError::NeverFires { .. } => {
                "检查条件是否自相矛盾，或是否被无条件的规则排除".into()
            }
            CheckError::Missing { clause, .. } => format!("补上“{clause}”"),
            CheckError::LeavesRange { direction, .. } if *direction == "高于" => {
                "把上限改在法定最高额以内，或核对法条原文".into()
            }
            CheckError::LeavesRange { .. } => {
                "确有法定减轻情节的，把调整类别改为“减轻”；从轻用“降低 … 至 …”（引擎按法定幅度截取），从重用“提高”或“增加”"
                    .into()
            }
            CheckError::TableOutsideRange { .. } => {
                "核对裁量表；若原表如此，可保留（广东规定第三条：不得突破法定幅度）".into()
            }
            CheckError::VersionOverlap { .. } => {
                "调整“生效 … 至 …”，使同一规则集的各版本首尾相接".into()
            }
            CheckError::ExtendsCycle { .. } => "删除其中一个“继承”".into(),
            CheckError::NoBaseFine { .. } => {
                "加一条不带“当”的“罚款”条款，作为一般情形的法定幅度".into()
            }
            CheckError::NotIllegalWithFine { .. } => {
                "不再处罚的行为不写“罚款”“裁量”；若仍处罚款，删除“不认为是违法”".into()
            }
            CheckError::OutOfBounds { allowed, .. } => format!("改为允许范围内的值（{allowed}）"),
            CheckError::ExprTooDeep { .. } => {
                "把长条件拆成几个“推导”值再组合；同一事实的多个取值可写成“属于 {…}”".into()
            }
        }
    }

    /// As a diagnostic.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic {
            code: self.code(),
            severity: self.severity(),
            message: self.to_string(),
            help: Some(self.help()),
            span: self.span(),
        }
    }
}

/// The rule a [`CheckError::LeavesRange`] breaks, by direction.
fn leaves_rule(direction: &str) -> &'static str {
    if direction == "高于" {
        "罚款不得高于法定最高额"
    } else {
        "只有“减轻”可以低于法定最低额"
    }
}

/// The closest candidate by edit distance (in characters), if close enough to be a typo.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let n = name.chars().count();
    let limit = (n / 2).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = edit_distance(name, c);
        let contains = c.contains(name) || name.contains(c);
        let score = if contains { d.min(limit) } else { d };
        if score <= limit && best.map(|(b, _)| score < b).unwrap_or(true) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}
