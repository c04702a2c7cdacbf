//! Text → [`ast::File`]. pest stays private to this file: callers see the AST or a
//! located [`ParseError`].

use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::span::{FileId, Span};
use pest::iterators::Pair;
use pest::Parser as _;
use rust_decimal::Decimal;
use std::str::FromStr;

#[allow(missing_docs)]
mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar.pest"]
    pub(super) struct Grammar;
}
use grammar::{Grammar, Rule};

/// Largest `.rules` file accepted (bytes).
pub const MAX_SOURCE_BYTES: usize = 4 * 1024 * 1024;
/// Deepest nesting of parentheses and `若` accepted: pest and the tree walkers recurse, and
/// stack probing does nothing on wasm, so depth is counted before parsing.
pub const MAX_NESTING: usize = 64;

/// Why a file could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The text does not follow the grammar.
    #[error("语法错误：此处应为{expected}，实际为“{found}”")]
    Syntax {
        /// Human names of what could come here.
        expected: String,
        /// What is there.
        found: String,
        /// Where.
        span: Span,
    },
    /// A literal that matches the grammar but is not a value (`2024-02-30`, `99999999999亿元`).
    #[error("无效的{what}“{text}”")]
    BadLiteral {
        /// What kind of literal.
        what: &'static str,
        /// As written.
        text: String,
        /// Where.
        span: Span,
    },
    /// Input larger than [`MAX_SOURCE_BYTES`].
    #[error("规则文件过大（{size} 字节，上限 {limit} 字节）")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// The limit.
        limit: usize,
        /// Where (start of file).
        span: Span,
    },
    /// Nesting deeper than [`MAX_NESTING`].
    #[error("嵌套层数过深（超过 {limit} 层）")]
    TooDeep {
        /// The limit.
        limit: usize,
        /// Where the limit was crossed.
        span: Span,
    },
}

impl ParseError {
    /// Where the error is.
    pub fn span(&self) -> Span {
        match self {
            ParseError::Syntax { span, .. }
            | ParseError::BadLiteral { span, .. }
            | ParseError::TooLarge { span, .. }
            | ParseError::TooDeep { span, .. } => *span,
        }
    }

    /// Stable diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            ParseError::Syntax { .. } => "E0001",
            ParseError::BadLiteral { .. } => "E0002",
            ParseError::TooLarge { .. } => "E0003",
            ParseError::TooDeep { .. } => "E0004",
        }
    }

    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            ParseError::Syntax { expected, .. } => {
                format!("在此处写{expected}；每个条款以关键字开头（如 违法行为、罚款、裁量、因素、免罚），标点可用全角或半角")
            }
            ParseError::BadLiteral { what, .. } => {
                format!("检查该{what}的写法，例如 2024-01-01、10万元、5%、3倍、2年")
            }
            ParseError::TooLarge { .. } => "把规则拆成多个 .rules 文件，放在同一目录".into(),
            ParseError::TooDeep { .. } => "用“推导”把复杂表达式拆成几个有名字的中间值".into(),
        }
    }

    /// As a diagnostic.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.code(), self.span(), self.to_string()).with_help(self.help())
    }
}

/// Parse one file. `file` is the file's index in its program, recorded in every span.
pub fn parse(file: FileId, src: &str) -> Result<File, ParseError> {
    if src.len() > MAX_SOURCE_BYTES {
        return Err(ParseError::TooLarge {
            size: src.len(),
            limit: MAX_SOURCE_BYTES,
            span: Span::new(file, 0, 0),
        });
    }
    check_nesting(file, src)?;
    let mut pairs = Grammar::parse(Rule::file, src).map_err(|e| syntax_error(file, src, e))?;
    let root = pairs.next().ok_or_else(|| eof_error(file, src))?;
    // Strings are the only tokens a `#` can stand in (free text such as 并处 ends at one).
    let strings: Vec<(usize, usize)> = root
        .clone()
        .into_inner()
        .flatten()
        .filter(|p| p.as_rule() == Rule::string)
        .map(|p| (p.as_span().start(), p.as_span().end()))
        .collect();
    let mut b = Builder { file };
    let mut out = b.file(root)?;
    out.comments = comments(file, src, &strings);
    Ok(out)
}

fn eof_error(file: FileId, src: &str) -> ParseError {
    ParseError::Syntax {
        expected: "规则集声明".into(),
        found: "文件结尾".into(),
        span: Span::new(file, src.len(), src.len()),
    }
}

/// Count nesting before pest sees the text, skipping strings and comments. Parentheses
/// nest across lines; `若` never closes, so it is counted per line.
fn check_nesting(file: FileId, src: &str) -> Result<(), ParseError> {
    let mut parens = 0usize;
    let mut ifs = 0usize;
    let mut chars = src.char_indices().peekable();
    let mut prev_letter = false;
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '“' | '「' => {
                let close = match c {
                    '"' => '"',
                    '“' => '”',
                    _ => '」',
                };
                for (_, d) in chars.by_ref() {
                    if d == close || d == '\n' {
                        break;
                    }
                }
            }
            '#' => {
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        ifs = 0;
                        break;
                    }
                }
            }
            '(' | '（' => parens += 1,
            ')' | '）' => parens = parens.saturating_sub(1),
            '若' if !prev_letter => ifs += 1,
            '\n' => ifs = 0,
            _ => {}
        }
        prev_letter = c.is_alphabetic();
        if parens + ifs > MAX_NESTING {
            return Err(ParseError::TooDeep {
                limit: MAX_NESTING,
                span: Span::new(file, i, i + c.len_utf8()),
            });
        }
    }
    Ok(())
}

/// Collect `#` comments: a `#` outside the parsed strings (`strings`: byte ranges in source
/// order) up to the end of its line.
fn comments(file: FileId, src: &str, strings: &[(usize, usize)]) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut strings = strings.iter().peekable();
    let mut from = 0;
    while let Some(k) = src.get(from..).and_then(|rest| rest.find('#')) {
        let start = from + k;
        while strings.next_if(|&&(_, end)| end <= start).is_some() {}
        if let Some(&&(s_start, s_end)) = strings.peek() {
            if s_start <= start {
                from = s_end;
                continue;
            }
        }
        let end = src
            .get(start..)
            .and_then(|rest| rest.find('\n'))
            .map_or(src.len(), |n| start + n);
        let text = src.get(start + 1..end).unwrap_or("").trim_end().to_string();
        out.push(Comment {
            text,
            span: Span::new(file, start, end),
        });
        from = end;
    }
    out
}

fn syntax_error(file: FileId, src: &str, e: pest::error::Error<Rule>) -> ParseError {
    let pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let found: String = src
        .get(pos..)
        .unwrap_or("")
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(12)
        .collect();
    let found = if found.is_empty() {
        if pos >= src.trim_end().len() {
            "文件结尾".to_string()
        } else {
            "空白".to_string()
        }
    } else {
        found
    };
    let expected = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&'static str> = positives.iter().map(|r| rule_name(*r)).collect();
            names.sort_unstable();
            names.dedup();
            if names.is_empty() {
                "合法的内容".to_string()
            } else if names.len() > 6 {
                let mut s = names.iter().take(6).copied().collect::<Vec<_>>().join("、");
                s.push_str(" 等");
                s
            } else {
                names.join("、")
            }
        }
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
    };
    let end = pos + found.len().min(src.len().saturating_sub(pos));
    ParseError::Syntax {
        expected,
        found,
        span: Span::new(file, pos, end.max(pos)),
    }
}

/// Every grammar rule's name as a legal officer would say it. Exhaustive on purpose: a new
/// rule does not compile until it has a readable name.
fn rule_name(r: Rule) -> &'static str {
    match r {
        Rule::EOI => "文件结尾",
        Rule::WHITESPACE | Rule::COMMENT => "空白",
        Rule::colon => "冒号“：”",
        Rule::comma => "逗号“，”",
        Rule::semi => "分号“；”",
        Rule::lparen => "左括号“（”",
        Rule::rparen => "右括号“）”",
        Rule::lbrace => "左花括号“｛”",
        Rule::rbrace => "右花括号“｝”",
        Rule::eq_sign => "等号“=”",
        Rule::kw_end => "关键字结尾",
        Rule::ident | Rule::ident_char | Rule::ident_start => "名称",
        Rule::code => "违法行为代码（如 EIA-31-1）",
        Rule::string | Rule::str_ascii | Rule::str_cn | Rule::str_jp => "带引号的文字",
        Rule::kw_ruleset => "“规则集”",
        Rule::kw_document => "“文号”",
        Rule::kw_authority => "“发布机关”",
        Rule::kw_juris => "“辖区”",
        Rule::kw_version => "“版本”",
        Rule::kw_choice => "“从旧兼从轻”",
        Rule::kw_one_fine => "“一事不再罚”",
        Rule::kw_effective => "“生效”",
        Rule::kw_to => "“至”",
        Rule::kw_extends => "“继承”",
        Rule::kw_boundary => "“边界”",
        Rule::kw_rounding => "“取整”",
        Rule::kw_fact => "“事实”",
        Rule::kw_derived => "“推导”",
        Rule::kw_default => "“默认”",
        Rule::kw_violation => "“违法行为”",
        Rule::kw_refine => "“细化”",
        Rule::kw_violates => "“违反”",
        Rule::kw_basis => "“依据”",
        Rule::kw_source => "“出处”",
        Rule::kw_fine => "“罚款”",
        Rule::kw_of => "“的”",
        Rule::kw_max_only => "“以下”",
        Rule::kw_per_occ => "“每次”",
        Rule::kw_times => "“次数”",
        Rule::kw_quantity => "“数量”",
        Rule::kw_succeeds => "“承接”",
        Rule::kw_not_illegal => "“不认为是违法”",
        Rule::per_unit_head => "计罚单位（如 每平方米）",
        Rule::kw_base_floor => "“基数不足”",
        Rule::kw_count_as => "“按”",
        Rule::kw_ji => "“计”",
        Rule::kw_when => "“当”",
        Rule::kw_measures => "“并处”",
        Rule::kw_may => "“可以”",
        Rule::kw_daily => "“按日连续处罚”",
        Rule::kw_discretion => "“裁量”",
        Rule::kw_additive => "“权重累加”",
        Rule::kw_bands => "“分档”",
        Rule::kw_base => "“基数”",
        Rule::kw_start => "“起点”",
        Rule::kw_factor => "“因素”",
        Rule::kw_weight => "“权重”",
        Rule::kw_cap => "“上限”",
        Rule::kw_floor => "“下限”",
        Rule::kw_band => "“档”",
        Rule::kw_otherwise => "“其他”",
        Rule::kw_fallback => "“缺省裁量”",
        Rule::kw_exemption => "“免罚”",
        Rule::kw_kind => "“类别”",
        Rule::kw_shall_not => "“不予处罚”",
        Rule::kw_may_not => "“可以不予处罚”",
        Rule::kw_not_apply => "“不适用”",
        Rule::kw_overrides => "“优先于”",
        Rule::kw_adjust => "“调整”",
        Rule::kw_mitigate => "“从轻”",
        Rule::kw_reduce => "“减轻”",
        Rule::kw_aggravate => "“从重”",
        Rule::kw_lower_by => "“降低”",
        Rule::kw_raise_by => "“提高”",
        Rule::kw_minus => "“减少”",
        Rule::kw_plus => "“增加”",
        Rule::kw_set_to => "“降至”",
        Rule::kw_take => "“取”",
        Rule::kw_low_end => "“低端”",
        Rule::kw_high_end => "“高端”",
        Rule::kw_recommend => "“推荐”",
        Rule::kw_combine => "“合并”",
        Rule::kw_limitation => "“时效”",
        Rule::kw_from => "“自”",
        Rule::kw_poslist => "“正面清单”",
        Rule::kw_validity => "“有效期”",
        Rule::kw_reentry => "“禁入期”",
        Rule::kw_basic => "“基本条件”",
        Rule::kw_screening => "“筛选条件”",
        Rule::kw_at_least => "“至少”",
        Rule::kw_exclusion => "“排除”",
        Rule::kw_removal => "“移出”",
        Rule::kw_condition => "“条件”",
        Rule::kw_measure => "“措施”",
        Rule::kw_listed => "“已纳入”",
        Rule::kw_unlisted => "“未纳入”",
        Rule::kw_and => "“且”",
        Rule::kw_or => "“或”",
        Rule::kw_not => "“非”",
        Rule::kw_in => "“属于”",
        Rule::kw_if => "“若”",
        Rule::kw_then => "“则”",
        Rule::kw_else => "“否则”",
        Rule::kw_true => "“是”",
        Rule::kw_false => "“否”",
        Rule::keyword => "关键字",
        Rule::number => "数字",
        Rule::money | Rule::money_unit => "金额（如 10万元）",
        Rule::percent => "百分比（如 5%）",
        Rule::multiple => "倍数（如 3倍）",
        Rule::date => "日期（如 2024-01-01）",
        Rule::duration | Rule::duration_unit => "期间（如 2年、30日）",
        Rule::literal => "数值",
        Rule::expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::cmp_expr
        | Rule::add_expr
        | Rule::mul_expr
        | Rule::unary_expr
        | Rule::primary
        | Rule::neg => "表达式",
        Rule::cmp_op => "比较符（= ≠ < ≤ > ≥）",
        Rule::add_op => "“+”或“-”",
        Rule::mul_op => "“×”或“÷”",
        Rule::if_expr => "“若 … 则 … 否则 …”",
        Rule::call => "函数调用",
        Rule::variant_set => "取值集合（如 ｛甲，乙｝）",
        Rule::file => "规则文件",
        Rule::header => "规则集声明",
        Rule::header_clause => "规则集属性（文号、发布机关、生效、继承、边界、取整）",
        Rule::document_clause => "文号",
        Rule::authority_clause => "发布机关",
        Rule::juris_clause => "辖区",
        Rule::version_clause => "版本",
        Rule::choice_clause => "从旧兼从轻",
        Rule::one_fine_clause => "一事不再罚",
        Rule::effective_clause => "生效日期",
        Rule::extends_clause => "继承",
        Rule::boundary_clause
        | Rule::boundary_rule
        | Rule::boundary_gd
        | Rule::boundary_both
        | Rule::boundary_none => "边界约定（如 以下不含本数，以上含本数）",
        Rule::rounding_clause | Rule::rounding_unit | Rule::rounding_mode => {
            "取整规则（如 取整 元 四舍五入）"
        }
        Rule::item => "条目（事实、推导、违法行为、细化、免罚、调整、时效、缺省裁量、正面清单）",
        Rule::fact_decl => "事实声明",
        Rule::fact_type | Rule::prim_type | Rule::enum_type => {
            "类型（是否、数值、整数、金额、百分比、倍数、日期、期间 或 ｛取值…｝）"
        }
        Rule::default_value => "默认值",
        Rule::derived_decl => "推导声明",
        Rule::violation => "违法行为",
        Rule::refine => "细化",
        Rule::violation_clause => "违法行为条款（违反、依据、罚款、并处、裁量、免罚、调整、时效）",
        Rule::violates_clause => "违反条款",
        Rule::basis_clause => "依据",
        Rule::source_clause => "出处",
        Rule::succeeds_clause => "承接",
        Rule::not_illegal_clause => "不认为是违法",
        Rule::fine_clause => "罚款",
        Rule::fine_shape
        | Rule::shape_bounds
        | Rule::shape_max_only
        | Rule::shape_of_base
        | Rule::shape_per_occ
        | Rule::shape_per_unit => "罚款幅度（如 10万元 至 100万元、总投资额 的 1% 至 5%）",
        Rule::base_floor => "基数不足 … 按 … 计",
        Rule::measures_clause | Rule::measure_item | Rule::measure_text => "处罚措施",
        Rule::daily_clause => "按日连续处罚",
        Rule::discretion => "裁量",
        Rule::additive => "权重累加",
        Rule::start_clause => "起点",
        Rule::additive_clause => "因素、上限或下限",
        Rule::cap_clause => "上限",
        Rule::floor_clause => "下限",
        Rule::note => "备注",
        Rule::factor => "裁量因素",
        Rule::level => "档次（条件 权重）",
        Rule::level_value => "权重（如 5%）",
        Rule::level_cond
        | Rule::cond_when
        | Rule::cond_otherwise
        | Rule::cond_bool
        | Rule::cond_variants
        | Rule::cond_range
        | Rule::range_lower
        | Rule::range_upper
        | Rule::range_cmp
        | Rule::range_exact
        | Rule::under_word
        | Rule::over_word
        | Rule::bound_value => "档次条件（如 3以上6以下、报告书、是、当（…））",
        Rule::bands => "分档",
        Rule::band => "档",
        Rule::fallback | Rule::fallback_point | Rule::general_word => "缺省裁量",
        Rule::general_table | Rule::kw_general_table => "“通用裁量”",
        Rule::within_range => "“按幅度”",
        Rule::exemption | Rule::local_exemption => "免罚规则",
        Rule::exemption_clause => "免罚条款（类别、不予处罚、可以不予处罚、当、依据、优先于）",
        Rule::kind_clause => "类别",
        Rule::exemption_effect => "不予处罚、可以不予处罚 或 不适用",
        Rule::when_clause => "条件",
        Rule::overrides_clause => "优先于",
        Rule::excludes_clause => "排除 违法行为 代码",
        Rule::adjustment | Rule::local_adjustment => "调整规则",
        Rule::adjust_kind => "从轻、减轻 或 从重",
        Rule::adjustment_clause => {
            "调整条款（当、依据、降低、提高、减少、增加、降至、取、优先于、排除、合并）"
        }
        Rule::effect_clause
        | Rule::effect
        | Rule::effect_lower
        | Rule::effect_raise
        | Rule::effect_minus
        | Rule::effect_plus
        | Rule::effect_set
        | Rule::effect_take => "调整效果",
        Rule::combine_clause | Rule::combine_rule => "合并方式（依次、择一从轻、择一从重、并列）",
        Rule::limitation | Rule::local_limitation => "时效",
        Rule::limitation_case => "时效情形",
        Rule::positive_list => "正面清单",
        Rule::pl_clause => "正面清单条款",
        Rule::validity_clause => "有效期",
        Rule::reentry_clause => "禁入期",
        Rule::basic_group => "基本条件",
        Rule::screening_group => "筛选条件",
        Rule::exclusion_group => "排除",
        Rule::removal_group => "移出",
        Rule::criterion => "条件",
        Rule::pl_measures | Rule::pl_measure => "措施",
    }
}

struct Builder {
    file: FileId,
}

type P<'a> = Pair<'a, Rule>;
type R<T> = Result<T, ParseError>;

fn inner(p: P<'_>) -> impl Iterator<Item = P<'_>> {
    p.into_inner()
}

impl Builder {
    fn span(&self, p: &P<'_>) -> Span {
        let s = p.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    fn bad(&self, p: &P<'_>, what: &'static str) -> ParseError {
        ParseError::BadLiteral {
            what,
            text: p.as_str().to_string(),
            span: self.span(p),
        }
    }

    /// A grammar invariant broke (a pair of an unexpected shape): report it as a syntax
    /// error at that place rather than panic.
    fn shape(&self, p: &P<'_>) -> ParseError {
        ParseError::Syntax {
            expected: rule_name(p.as_rule()).into(),
            found: p.as_str().chars().take(12).collect(),
            span: self.span(p),
        }
    }

    fn file(&mut self, p: P<'_>) -> R<File> {
        let mut header = None;
        let mut items = Vec::new();
        for c in inner(p) {
            match c.as_rule() {
                Rule::header => header = Some(self.header(c)?),
                Rule::item => {
                    if let Some(i) = self.item(c)? {
                        items.push(i)
                    }
                }
                _ => {}
            }
        }
        let header = header.ok_or_else(|| ParseError::Syntax {
            expected: "规则集声明".into(),
            found: "文件结尾".into(),
            span: Span::new(self.file, 0, 0),
        })?;
        Ok(File {
            header,
            items,
            comments: Vec::new(),
        })
    }

    fn ident(&self, p: P<'_>) -> Ident {
        Ident {
            name: p.as_str().to_string(),
            span: self.span(&p),
        }
    }

    fn text(&self, p: P<'_>) -> Text {
        let span = self.span(&p);
        let value = p
            .into_inner()
            .next()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default();
        Text { value, span }
    }

    fn header(&mut self, p: P<'_>) -> R<Header> {
        let span = self.span(&p);
        let mut it = inner(p);
        it.next(); // 规则集
        let name_pair = it.next().ok_or_else(|| ParseError::Syntax {
            expected: "名称".into(),
            found: String::new(),
            span,
        })?;
        let mut h = Header {
            name: self.ident(name_pair),
            document: None,
            authority: None,
            jurisdiction: None,
            version: None,
            effective: None,
            extends: None,
            boundary: None,
            rounding: None,
            choice_of_law: None,
            one_fine: None,
            span,
        };
        for clause in it {
            let Some(c) = clause.into_inner().next() else {
                continue;
            };
            let cspan = self.span(&c);
            let rule = c.as_rule();
            let mut parts = c.into_inner().skip(1);
            match rule {
                Rule::document_clause => h.document = parts.next().map(|s| self.text(s)),
                Rule::authority_clause => h.authority = parts.next().map(|s| self.text(s)),
                Rule::juris_clause => h.jurisdiction = parts.next().map(|s| self.text(s)),
                Rule::version_clause => h.version = parts.next().map(|s| self.text(s)),
                Rule::choice_clause => h.choice_of_law = parts.next().map(|s| self.text(s)),
                Rule::one_fine_clause => h.one_fine = parts.next().map(|s| self.text(s)),
                Rule::extends_clause => h.extends = parts.next().map(|s| self.ident(s)),
                Rule::effective_clause => {
                    let mut dates = parts.filter(|x| x.as_rule() == Rule::date);
                    let from = match dates.next() {
                        Some(d) => self.date(d)?,
                        None => continue,
                    };
                    let to = dates.next().map(|d| self.date(d)).transpose()?;
                    h.effective = Some(Effective {
                        from,
                        to,
                        span: cspan,
                    });
                }
                Rule::boundary_clause => {
                    let b = parts.next().and_then(|r| r.into_inner().next()).map(|r| {
                        match r.as_rule() {
                            Rule::boundary_both => Boundary::BothInclusive,
                            Rule::boundary_none => Boundary::BothExclusive,
                            _ => Boundary::BelowExclusive,
                        }
                    });
                    h.boundary = b.map(|b| (b, cspan));
                }
                Rule::rounding_clause => {
                    let unit_p = parts.next();
                    let mode_p = parts.next();
                    let unit_label = unit_p.map(|u| u.as_str().to_string()).unwrap_or_default();
                    let unit = match unit_label.as_str() {
                        "分" => Decimal::new(1, 2),
                        "角" => Decimal::new(1, 1),
                        "十元" => Decimal::from(10),
                        "百元" => Decimal::from(100),
                        "千元" => Decimal::from(1000),
                        "万元" => Decimal::from(10000),
                        _ => Decimal::ONE,
                    };
                    let mode = match mode_p.map(|m| m.as_str()) {
                        Some("向下") => RoundingMode::Down,
                        Some("向上") => RoundingMode::Up,
                        Some("银行家") => RoundingMode::HalfEven,
                        _ => RoundingMode::HalfUp,
                    };
                    h.rounding = Some(Rounding {
                        unit,
                        unit_label,
                        mode,
                        span: cspan,
                    });
                }
                _ => {}
            }
        }
        Ok(h)
    }

    fn date(&self, p: P<'_>) -> R<Date> {
        let span = self.span(&p);
        let d = chrono::NaiveDate::parse_from_str(p.as_str(), "%Y-%m-%d")
            .map_err(|_| self.bad(&p, "日期"))?;
        Ok(Date { date: d, span })
    }

    fn item(&mut self, p: P<'_>) -> R<Option<Item>> {
        let Some(c) = p.into_inner().next() else {
            return Ok(None);
        };
        Ok(Some(match c.as_rule() {
            Rule::fact_decl => Item::Fact(self.fact(c)?),
            Rule::derived_decl => Item::Derived(self.derived(c)?),
            Rule::violation => Item::Violation(self.violation(c, false)?),
            Rule::refine => Item::Refine(self.violation(c, true)?),
            Rule::exemption => Item::Exemption(self.exemption(c)?),
            Rule::adjustment => Item::Adjustment(self.adjustment(c)?),
            Rule::limitation => Item::Limitation(self.limitation(c)?),
            Rule::fallback => Item::Fallback(self.fallback(c)?),
            Rule::general_table => {
                let span = self.span(&c);
                let mut basis = None;
                let mut discretion = None;
                for x in c.into_inner() {
                    match x.as_rule() {
                        Rule::string => basis = Some(self.text(x)),
                        Rule::discretion => discretion = Some(self.discretion(x)?),
                        _ => {}
                    }
                }
                match (basis, discretion) {
                    (Some(basis), Some(discretion)) => Item::GeneralTable(GeneralTable {
                        basis,
                        discretion,
                        span,
                    }),
                    _ => {
                        return Err(ParseError::Syntax {
                            expected: "通用裁量 依据 \"…\" 裁量 …".into(),
                            found: String::new(),
                            span,
                        })
                    }
                }
            }
            Rule::positive_list => Item::PositiveList(self.positive_list(c)?),
            _ => return Err(self.shape(&c)),
        }))
    }

    fn type_expr(&self, p: P<'_>) -> R<TypeExpr> {
        let t = match p.as_rule() {
            Rule::fact_type => match p.into_inner().next() {
                Some(x) => return self.type_expr(x),
                None => return Ok(TypeExpr::Number),
            },
            Rule::enum_type => TypeExpr::Enum(
                p.into_inner()
                    .filter(|x| x.as_rule() == Rule::ident)
                    .map(|x| self.ident(x))
                    .collect(),
            ),
            _ => match p.as_str() {
                "是否" | "布尔" | "bool" => TypeExpr::Bool,
                "整数" | "integer" => TypeExpr::Integer,
                "金额" | "money" => TypeExpr::Money,
                "百分比" | "percent" => TypeExpr::Percent,
                "倍数" | "multiple" => TypeExpr::Multiple,
                "日期" | "date" => TypeExpr::Date,
                "期间" | "duration" => TypeExpr::Duration,
                _ => TypeExpr::Number,
            },
        };
        Ok(t)
    }

    fn fact(&mut self, p: P<'_>) -> R<FactDecl> {
        let span = self.span(&p);
        let mut name = None;
        let mut ty = TypeExpr::Number;
        let mut label = None;
        let mut default = None;
        for c in inner(p) {
            match c.as_rule() {
                Rule::ident if name.is_none() => name = Some(self.ident(c)),
                Rule::fact_type => ty = self.type_expr(c)?,
                Rule::string => label = Some(self.text(c)),
                Rule::default_value => {
                    if let Some(v) = c.into_inner().next() {
                        default = Some(match v.as_rule() {
                            Rule::ident => {
                                let s = self.span(&v);
                                Expr {
                                    kind: ExprKind::Name(self.ident(v)),
                                    span: s,
                                }
                            }
                            _ => {
                                let s = self.span(&v);
                                Expr {
                                    kind: ExprKind::Lit(self.literal(v)?),
                                    span: s,
                                }
                            }
                        });
                    }
                }
                _ => {}
            }
        }
        let name = name.ok_or(ParseError::Syntax {
            expected: "名称".into(),
            found: String::new(),
            span,
        })?;
        Ok(FactDecl {
            name,
            ty,
            label,
            default,
            span,
        })
    }

    fn derived(&mut self, p: P<'_>) -> R<DerivedDecl> {
        let span = self.span(&p);
        let mut name = None;
        let mut ty = TypeExpr::Number;
        let mut expr = None;
        let mut label = None;
        for c in inner(p) {
            match c.as_rule() {
                Rule::ident => name = Some(self.ident(c)),
                Rule::prim_type => ty = self.type_expr(c)?,
                Rule::expr => expr = Some(self.expr(c)?),
                Rule::string => label = Some(self.text(c)),
                _ => {}
            }
        }
        match (name, expr) {
            (Some(name), Some(expr)) => Ok(DerivedDecl {
                name,
                ty,
                expr,
                label,
                span,
            }),
            _ => Err(ParseError::Syntax {
                expected: "推导声明".into(),
                found: String::new(),
                span,
            }),
        }
    }

    fn violation(&mut self, p: P<'_>, refine: bool) -> R<Violation> {
        let span = self.span(&p);
        let mut v = Violation {
            code: Ident {
                name: String::new(),
                span,
            },
            title: None,
            violates: None,
            basis: Vec::new(),
            source: None,
            succeeds: None,
            not_illegal: None,
            not_illegal_when: None,
            fines: Vec::new(),
            measures: Vec::new(),
            daily: None,
            discretion: None,
            exemptions: Vec::new(),
            adjustments: Vec::new(),
            limitation: None,
            span,
        };
        let _ = refine;
        for c in inner(p) {
            match c.as_rule() {
                Rule::code => v.code = self.ident(c),
                Rule::string => v.title = Some(self.text(c)),
                Rule::violation_clause => {
                    let Some(cl) = c.into_inner().next() else {
                        continue;
                    };
                    self.violation_clause(&mut v, cl)?;
                }
                _ => {}
            }
        }
        Ok(v)
    }

    fn violation_clause(&mut self, v: &mut Violation, cl: P<'_>) -> R<()> {
        let cspan = self.span(&cl);
        match cl.as_rule() {
            Rule::violates_clause => v.violates = cl.into_inner().nth(1).map(|s| self.text(s)),
            Rule::basis_clause => {
                if let Some(s) = cl.into_inner().nth(1) {
                    v.basis.push(self.text(s))
                }
            }
            Rule::source_clause => v.source = cl.into_inner().nth(1).map(|s| self.text(s)),
            Rule::succeeds_clause => v.succeeds = cl.into_inner().nth(1).map(|s| self.text(s)),
            Rule::not_illegal_clause => {
                for part in cl.into_inner() {
                    match part.as_rule() {
                        Rule::string => v.not_illegal = Some(self.text(part)),
                        Rule::expr => v.not_illegal_when = Some(self.expr(part)?),
                        _ => {}
                    }
                }
            }
            Rule::fine_clause => v.fines.push(self.fine_clause(cl)?),
            Rule::measures_clause => {
                for m in cl
                    .into_inner()
                    .filter(|x| x.as_rule() == Rule::measure_item)
                {
                    let mspan = self.span(&m);
                    let mut optional = false;
                    let mut text = String::new();
                    for part in m.into_inner() {
                        match part.as_rule() {
                            Rule::kw_may => optional = true,
                            Rule::measure_text => text = part.as_str().trim().to_string(),
                            _ => {}
                        }
                    }
                    v.measures.push(Measure {
                        optional,
                        text,
                        span: mspan,
                    });
                }
            }
            Rule::daily_clause => {
                v.daily = cl
                    .into_inner()
                    .find(|x| x.as_rule() == Rule::string)
                    .map(|s| self.text(s))
            }
            Rule::discretion => v.discretion = Some(self.discretion(cl)?),
            Rule::local_exemption => {
                if let Some(e) = cl.into_inner().next() {
                    v.exemptions.push(self.exemption(e)?)
                }
            }
            Rule::local_adjustment => {
                if let Some(e) = cl.into_inner().next() {
                    v.adjustments.push(self.adjustment(e)?)
                }
            }
            Rule::local_limitation => {
                if let Some(e) = cl.into_inner().next() {
                    v.limitation = Some(self.limitation(e)?)
                }
            }
            _ => {
                return Err(ParseError::Syntax {
                    expected: "违法行为条款".into(),
                    found: String::new(),
                    span: cspan,
                })
            }
        }
        Ok(())
    }

    fn fine_clause(&mut self, p: P<'_>) -> R<FineClause> {
        let span = self.span(&p);
        let mut when = None;
        let mut shape = None;
        for c in inner(p) {
            match c.as_rule() {
                Rule::expr => when = Some(self.expr(c)?),
                Rule::fine_shape => shape = Some(self.fine_shape(c)?),
                _ => {}
            }
        }
        let shape = shape.ok_or(ParseError::Syntax {
            expected: "罚款幅度".into(),
            found: String::new(),
            span,
        })?;
        Ok(FineClause { when, shape, span })
    }

    fn fine_shape(&mut self, p: P<'_>) -> R<FineShape> {
        let span = self.span(&p);
        let Some(s) = p.into_inner().next() else {
            return Err(ParseError::Syntax {
                expected: "罚款幅度".into(),
                found: String::new(),
                span,
            });
        };
        let rule = s.as_rule();
        let mut exprs = Vec::new();
        let mut idents = Vec::new();
        let mut floor = None;
        let mut unit = None;
        for c in s.into_inner() {
            match c.as_rule() {
                Rule::expr => exprs.push(self.expr(c)?),
                Rule::per_unit_head => {
                    let h = c.as_str();
                    let h = h
                        .strip_prefix('每')
                        .or_else(|| h.strip_prefix("per_"))
                        .unwrap_or(h);
                    // Full-width and ASCII punctuation are twins: `每辆（艘）` = `每辆(艘)`.
                    unit = Some(h.replace('(', "（").replace(')', "）"));
                }
                Rule::percent | Rule::multiple => {
                    let sp = self.span(&c);
                    exprs.push(Expr {
                        kind: ExprKind::Lit(self.literal(c)?),
                        span: sp,
                    });
                }
                Rule::ident => idents.push(self.ident(c)),
                Rule::base_floor => {
                    let mut fe = Vec::new();
                    for x in c.into_inner() {
                        if x.as_rule() == Rule::expr {
                            fe.push(self.expr(x)?);
                        }
                    }
                    let mut fe = fe.into_iter();
                    if let (Some(a), Some(b)) = (fe.next(), fe.next()) {
                        floor = Some((a, b));
                    }
                }
                _ => {}
            }
        }
        let mut ex = exprs.into_iter();
        let err = || ParseError::Syntax {
            expected: "罚款幅度".into(),
            found: String::new(),
            span,
        };
        Ok(match rule {
            Rule::shape_bounds => FineShape::Bounds {
                min: ex.next().ok_or_else(err)?,
                max: ex.next().ok_or_else(err)?,
            },
            Rule::shape_max_only => FineShape::MaxOnly {
                max: ex.next().ok_or_else(err)?,
            },
            Rule::shape_of_base => FineShape::OfBase {
                base: idents.into_iter().next().ok_or_else(err)?,
                low: ex.next().ok_or_else(err)?,
                high: ex.next().ok_or_else(err)?,
                floor,
            },
            Rule::shape_per_occ | Rule::shape_per_unit => FineShape::PerOccurrence {
                min: ex.next().ok_or_else(err)?,
                max: ex.next().ok_or_else(err)?,
                count: idents.into_iter().next().ok_or_else(err)?,
                unit,
            },
            _ => return Err(err()),
        })
    }

    fn percent_value(&self, p: P<'_>) -> R<Decimal> {
        match self.literal(p)? {
            Literal::Percent(d) => Ok(d),
            Literal::Number(d) => Ok(d),
            _ => Ok(Decimal::ZERO),
        }
    }

    fn discretion(&mut self, p: P<'_>) -> R<Discretion> {
        let span = self.span(&p);
        let Some(body) = p.into_inner().nth(1) else {
            return Err(ParseError::Syntax {
                expected: "权重累加 或 分档".into(),
                found: String::new(),
                span,
            });
        };
        match body.as_rule() {
            Rule::additive => {
                let aspan = self.span(&body);
                let mut a = Additive {
                    within: false,
                    base: None,
                    start: (Decimal::ZERO, aspan),
                    factors: Vec::new(),
                    caps: Vec::new(),
                    floors: Vec::new(),
                    span: aspan,
                };
                for c in body.into_inner() {
                    match c.as_rule() {
                        Rule::within_range => a.within = true,
                        Rule::expr => a.base = Some(self.expr(c)?),
                        Rule::start_clause => {
                            let sp = self.span(&c);
                            if let Some(pc) = c.into_inner().nth(1) {
                                a.start = (self.percent_value(pc)?, sp);
                            }
                        }
                        Rule::additive_clause => {
                            let Some(x) = c.into_inner().next() else {
                                continue;
                            };
                            match x.as_rule() {
                                Rule::factor => a.factors.push(self.factor(x)?),
                                Rule::cap_clause => a.caps.push(self.limit(x)?),
                                Rule::floor_clause => a.floors.push(self.limit(x)?),
                                _ => {}
                            }
                        }
                        _ => {}
                    }
                }
                Ok(Discretion::Additive(a))
            }
            Rule::bands => {
                let bspan = self.span(&body);
                let mut bands = Vec::new();
                for b in body.into_inner().filter(|x| x.as_rule() == Rule::band) {
                    let sp = self.span(&b);
                    let mut name = None;
                    let mut exprs = Vec::new();
                    for x in b.into_inner() {
                        match x.as_rule() {
                            Rule::ident => name = Some(self.ident(x)),
                            Rule::expr => exprs.push(self.expr(x)?),
                            _ => {}
                        }
                    }
                    let n = exprs.len();
                    let mut ex = exprs.into_iter();
                    let when = if n == 3 { ex.next() } else { None };
                    let err = || ParseError::Syntax {
                        expected: "档".into(),
                        found: String::new(),
                        span: sp,
                    };
                    bands.push(Band {
                        name: name.ok_or_else(err)?,
                        when,
                        low: ex.next().ok_or_else(err)?,
                        high: ex.next().ok_or_else(err)?,
                        span: sp,
                    });
                }
                Ok(Discretion::Bands(bands, bspan))
            }
            _ => Err(self.shape(&body)),
        }
    }

    fn limit(&mut self, p: P<'_>) -> R<Limit> {
        let span = self.span(&p);
        let mut l = Limit {
            value: Decimal::ZERO,
            when: None,
            note: None,
            span,
        };
        for c in inner(p) {
            match c.as_rule() {
                Rule::percent => l.value = self.percent_value(c)?,
                Rule::expr => l.when = Some(self.expr(c)?),
                Rule::note => l.note = c.into_inner().next().map(|s| self.text(s)),
                _ => {}
            }
        }
        Ok(l)
    }

    fn factor(&mut self, p: P<'_>) -> R<Factor> {
        let span = self.span(&p);
        let mut f = Factor {
            name: Ident {
                name: String::new(),
                span,
            },
            label: None,
            weight: None,
            levels: Vec::new(),
            span,
        };
        for c in inner(p) {
            match c.as_rule() {
                Rule::ident => f.name = self.ident(c),
                Rule::string => f.label = Some(self.text(c)),
                Rule::percent => {
                    let sp = self.span(&c);
                    f.weight = Some((self.percent_value(c)?, sp));
                }
                Rule::level => f.levels.push(self.level(c)?),
                _ => {}
            }
        }
        Ok(f)
    }

    fn level(&mut self, p: P<'_>) -> R<Level> {
        let span = self.span(&p);
        let mut cond = LevelCond::Otherwise;
        let mut value = LevelValue::Percent(Decimal::ZERO);
        for c in inner(p) {
            match c.as_rule() {
                Rule::level_cond => {
                    if let Some(x) = c.into_inner().next() {
                        cond = self.level_cond(x)?;
                    }
                }
                Rule::level_value => {
                    if let Some(x) = c.into_inner().next() {
                        value = match self.literal(x)? {
                            Literal::Percent(d) => LevelValue::Percent(d),
                            Literal::Number(d) => LevelValue::Score(d),
                            _ => LevelValue::Score(Decimal::ZERO),
                        };
                    }
                }
                _ => {}
            }
        }
        Ok(Level { cond, value, span })
    }

    fn bound(&self, p: P<'_>, kind: EndKind) -> R<RangeEnd> {
        let span = self.span(&p);
        let lit = match p.into_inner().next() {
            Some(b) => match b.into_inner().next() {
                Some(v) => self.literal(v)?,
                None => Literal::Number(Decimal::ZERO),
            },
            None => Literal::Number(Decimal::ZERO),
        };
        Ok(RangeEnd {
            value: lit,
            kind,
            span,
        })
    }

    fn level_cond(&mut self, p: P<'_>) -> R<LevelCond> {
        Ok(match p.as_rule() {
            Rule::cond_when => match p.into_inner().find(|x| x.as_rule() == Rule::expr) {
                Some(e) => LevelCond::When(self.expr(e)?),
                None => LevelCond::Otherwise,
            },
            Rule::cond_otherwise => LevelCond::Otherwise,
            Rule::cond_bool => LevelCond::Bool(
                p.into_inner()
                    .next()
                    .map(|x| x.as_rule() == Rule::kw_true)
                    .unwrap_or(false),
            ),
            Rule::cond_variants => {
                LevelCond::Variants(p.into_inner().map(|x| self.ident(x)).collect())
            }
            Rule::cond_range => {
                let mut low = None;
                let mut high = None;
                for part in p.into_inner() {
                    let sp = self.span(&part);
                    match part.as_rule() {
                        Rule::range_lower => low = Some(self.bound(part, EndKind::Above)?),
                        Rule::range_upper => high = Some(self.bound(part, EndKind::Below)?),
                        Rule::range_exact => {
                            let lit = match part
                                .into_inner()
                                .next()
                                .and_then(|b| b.into_inner().next())
                            {
                                Some(v) => self.literal(v)?,
                                None => Literal::Number(Decimal::ZERO),
                            };
                            return Ok(LevelCond::Exact(lit, sp));
                        }
                        Rule::range_cmp => {
                            let mut op = EndKind::Lt;
                            let mut value = Literal::Number(Decimal::ZERO);
                            for x in part.into_inner() {
                                match x.as_rule() {
                                    Rule::cmp_op => {
                                        op = match x.as_str() {
                                            "≥" | ">=" => EndKind::Ge,
                                            "≤" | "<=" => EndKind::Le,
                                            ">" | "＞" => EndKind::Gt,
                                            _ => EndKind::Lt,
                                        }
                                    }
                                    Rule::under_word => op = EndKind::Lt,
                                    Rule::over_word => op = EndKind::Gt,
                                    Rule::bound_value => {
                                        if let Some(v) = x.into_inner().next() {
                                            value = self.literal(v)?;
                                        }
                                    }
                                    _ => {}
                                }
                            }
                            let end = RangeEnd {
                                value,
                                kind: op,
                                span: sp,
                            };
                            match op {
                                EndKind::Ge | EndKind::Gt => low = Some(end),
                                _ => high = Some(end),
                            }
                        }
                        _ => {}
                    }
                }
                LevelCond::Range { low, high }
            }
            _ => return Err(self.shape(&p)),
        })
    }

    fn fallback(&mut self, p: P<'_>) -> R<Fallback> {
        let span = self.span(&p);
        let mut f = Fallback {
            ordinary: None,
            mitigated: None,
            aggravated: None,
            basis: Text {
                value: String::new(),
                span,
            },
            span,
        };
        for c in inner(p) {
            match c.as_rule() {
                Rule::fallback_point => {
                    let sp = self.span(&c);
                    let mut it = c.into_inner();
                    let which = it.next().map(|x| x.as_rule());
                    let v = match it.next() {
                        Some(x) => self.percent_value(x)?,
                        None => Decimal::ZERO,
                    };
                    match which {
                        Some(Rule::kw_mitigate) => f.mitigated = Some((v, sp)),
                        Some(Rule::kw_aggravate) => f.aggravated = Some((v, sp)),
                        _ => f.ordinary = Some((v, sp)),
                    }
                }
                Rule::string => f.basis = self.text(c),
                _ => {}
            }
        }
        Ok(f)
    }

    fn exemption(&mut self, p: P<'_>) -> R<Exemption> {
        let span = self.span(&p);
        let mut e = Exemption {
            name: Ident {
                name: String::new(),
                span,
            },
            label: None,
            kind: None,
            effect: None,
            when: Vec::new(),
            basis: Vec::new(),
            overrides: Vec::new(),
            span,
        };
        for c in inner(p) {
            match c.as_rule() {
                Rule::ident => e.name = self.ident(c),
                Rule::string => e.label = Some(self.text(c)),
                Rule::exemption_clause => {
                    let Some(x) = c.into_inner().next() else {
                        continue;
                    };
                    let xs = self.span(&x);
                    match x.as_rule() {
                        Rule::kind_clause => e.kind = x.into_inner().nth(1).map(|i| self.ident(i)),
                        Rule::exemption_effect => {
                            let eff = match x.into_inner().next().map(|k| k.as_rule()) {
                                Some(Rule::kw_may_not) => ExemptionEffect::MayExempt,
                                Some(Rule::kw_not_apply) => ExemptionEffect::NotApplicable,
                                _ => ExemptionEffect::NoPenalty,
                            };
                            e.effect = Some((eff, xs));
                        }
                        Rule::when_clause => {
                            if let Some(ex) = x.into_inner().nth(1) {
                                e.when.push(self.expr(ex)?)
                            }
                        }
                        Rule::basis_clause => {
                            if let Some(s) = x.into_inner().nth(1) {
                                e.basis.push(self.text(s))
                            }
                        }
                        Rule::overrides_clause => e.overrides.extend(
                            x.into_inner()
                                .filter(|i| i.as_rule() == Rule::ident)
                                .map(|i| self.ident(i)),
                        ),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        Ok(e)
    }

    fn adjustment(&mut self, p: P<'_>) -> R<Adjustment> {
        let span = self.span(&p);
        let mut a = Adjustment {
            name: Ident {
                name: String::new(),
                span,
            },
            label: None,
            kind: (AdjustKind::Mitigate, span),
            when: Vec::new(),
            basis: Vec::new(),
            overrides: Vec::new(),
            excludes: Vec::new(),
            effect: None,
            combine: None,
            span,
        };
        for c in inner(p) {
            match c.as_rule() {
                Rule::ident => a.name = self.ident(c),
                Rule::string => a.label = Some(self.text(c)),
                Rule::adjust_kind => {
                    let sp = self.span(&c);
                    let k = match c.into_inner().next().map(|k| k.as_rule()) {
                        Some(Rule::kw_reduce) => AdjustKind::Reduce,
                        Some(Rule::kw_aggravate) => AdjustKind::Aggravate,
                        _ => AdjustKind::Mitigate,
                    };
                    a.kind = (k, sp);
                }
                Rule::adjustment_clause => {
                    let Some(x) = c.into_inner().next() else {
                        continue;
                    };
                    let xs = self.span(&x);
                    match x.as_rule() {
                        Rule::when_clause => {
                            if let Some(ex) = x.into_inner().nth(1) {
                                a.when.push(self.expr(ex)?)
                            }
                        }
                        Rule::basis_clause => {
                            if let Some(s) = x.into_inner().nth(1) {
                                a.basis.push(self.text(s))
                            }
                        }
                        Rule::overrides_clause => a.overrides.extend(
                            x.into_inner()
                                .filter(|i| i.as_rule() == Rule::ident)
                                .map(|i| self.ident(i)),
                        ),
                        Rule::excludes_clause => a.excludes.extend(
                            x.into_inner()
                                .filter(|i| i.as_rule() == Rule::code)
                                .map(|i| self.ident(i)),
                        ),
                        Rule::effect_clause => a.effect = Some(self.effect(x)?),
                        Rule::combine_clause => {
                            let rule = match x
                                .into_inner()
                                .nth(1)
                                .map(|r| r.as_str().to_string())
                                .as_deref()
                            {
                                Some("择一从轻") => Combine::MostFavourable,
                                Some("择一从重") => Combine::Heaviest,
                                Some("并列") => Combine::OfficerChoice,
                                _ => Combine::Sequential,
                            };
                            a.combine = Some((rule, xs));
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        Ok(a)
    }

    fn effect(&mut self, p: P<'_>) -> R<Effect> {
        let span = self.span(&p);
        let mut op = EffectOp::TakeLow;
        let mut recommend = None;
        for c in inner(p) {
            match c.as_rule() {
                Rule::effect => {
                    let Some(e) = c.into_inner().next() else {
                        continue;
                    };
                    let rule = e.as_rule();
                    let mut pcts = Vec::new();
                    let mut exprs = Vec::new();
                    let mut high = false;
                    for x in e.into_inner() {
                        match x.as_rule() {
                            Rule::percent => pcts.push(self.percent_value(x)?),
                            Rule::expr => exprs.push(self.expr(x)?),
                            Rule::kw_high_end => high = true,
                            _ => {}
                        }
                    }
                    let mut pc = pcts.into_iter();
                    let mut ex = exprs.into_iter();
                    let err = || ParseError::Syntax {
                        expected: "调整效果".into(),
                        found: String::new(),
                        span,
                    };
                    op = match rule {
                        Rule::effect_lower => {
                            EffectOp::LowerBy(pc.next().ok_or_else(err)?, pc.next())
                        }
                        Rule::effect_raise => {
                            EffectOp::RaiseBy(pc.next().ok_or_else(err)?, pc.next())
                        }
                        Rule::effect_minus => {
                            EffectOp::Minus(ex.next().ok_or_else(err)?, ex.next())
                        }
                        Rule::effect_plus => EffectOp::Plus(ex.next().ok_or_else(err)?, ex.next()),
                        Rule::effect_set => {
                            EffectOp::SetTo(ex.next().ok_or_else(err)?, ex.next().ok_or_else(err)?)
                        }
                        Rule::effect_take if high => EffectOp::TakeHigh,
                        _ => EffectOp::TakeLow,
                    };
                }
                Rule::percent => {
                    let sp = self.span(&c);
                    recommend = Some(Expr {
                        kind: ExprKind::Lit(self.literal(c)?),
                        span: sp,
                    });
                }
                Rule::expr => recommend = Some(self.expr(c)?),
                _ => {}
            }
        }
        Ok(Effect {
            op,
            recommend,
            span,
        })
    }

    fn duration(&self, p: P<'_>) -> R<Duration> {
        let span = self.span(&p);
        match self.literal(p)? {
            Literal::Duration(amount, unit) => Ok(Duration { amount, unit, span }),
            _ => Ok(Duration {
                amount: 0,
                unit: DurationUnit::Days,
                span,
            }),
        }
    }

    fn limitation(&mut self, p: P<'_>) -> R<Limitation> {
        let span = self.span(&p);
        let mut period = None;
        let mut texts = Vec::new();
        let mut cases = Vec::new();
        let mut has_from = false;
        for c in inner(p) {
            match c.as_rule() {
                Rule::duration => period = Some(self.duration(c)?),
                Rule::kw_from => has_from = true,
                Rule::string => texts.push(self.text(c)),
                Rule::limitation_case => {
                    let mut e = None;
                    let mut d = None;
                    for x in c.into_inner() {
                        match x.as_rule() {
                            Rule::expr => e = Some(self.expr(x)?),
                            Rule::duration => d = Some(self.duration(x)?),
                            _ => {}
                        }
                    }
                    if let (Some(e), Some(d)) = (e, d) {
                        cases.push((e, d));
                    }
                }
                _ => {}
            }
        }
        let err = || ParseError::Syntax {
            expected: "时效".into(),
            found: String::new(),
            span,
        };
        let mut texts = texts.into_iter();
        let from = if has_from { texts.next() } else { None };
        Ok(Limitation {
            period: period.ok_or_else(err)?,
            from,
            basis: texts.next().ok_or_else(err)?,
            cases,
            span,
        })
    }

    fn criterion(&mut self, p: P<'_>) -> R<Criterion> {
        let span = self.span(&p);
        let mut name = None;
        let mut label = None;
        let mut when = None;
        for c in inner(p) {
            match c.as_rule() {
                Rule::ident => name = Some(self.ident(c)),
                Rule::string => label = Some(self.text(c)),
                Rule::expr => when = Some(self.expr(c)?),
                _ => {}
            }
        }
        match (name, when) {
            (Some(name), Some(when)) => Ok(Criterion {
                name,
                label,
                when,
                span,
            }),
            _ => Err(ParseError::Syntax {
                expected: "条件".into(),
                found: String::new(),
                span,
            }),
        }
    }

    fn positive_list(&mut self, p: P<'_>) -> R<PositiveList> {
        let span = self.span(&p);
        let mut l = PositiveList {
            name: Ident {
                name: String::new(),
                span,
            },
            label: None,
            basis: Vec::new(),
            validity: None,
            reentry_ban: None,
            basic: Vec::new(),
            screening: None,
            exclusions: Vec::new(),
            removals: Vec::new(),
            measures: Vec::new(),
            span,
        };
        for c in inner(p) {
            match c.as_rule() {
                Rule::ident => l.name = self.ident(c),
                Rule::string => l.label = Some(self.text(c)),
                Rule::pl_clause => {
                    let Some(x) = c.into_inner().next() else {
                        continue;
                    };
                    let xs = self.span(&x);
                    let rule = x.as_rule();
                    match rule {
                        Rule::basis_clause => {
                            if let Some(s) = x.into_inner().nth(1) {
                                l.basis.push(self.text(s))
                            }
                        }
                        Rule::validity_clause => {
                            if let Some(d) = x.into_inner().nth(1) {
                                l.validity = Some(self.duration(d)?)
                            }
                        }
                        Rule::reentry_clause => {
                            if let Some(d) = x.into_inner().nth(1) {
                                l.reentry_ban = Some(self.duration(d)?)
                            }
                        }
                        Rule::basic_group
                        | Rule::exclusion_group
                        | Rule::removal_group
                        | Rule::screening_group => {
                            let mut crits = Vec::new();
                            let mut n = 1u32;
                            for y in x.into_inner() {
                                match y.as_rule() {
                                    Rule::criterion => crits.push(self.criterion(y)?),
                                    Rule::number => {
                                        n = y.as_str().parse().map_err(|_| self.bad(&y, "数字"))?
                                    }
                                    _ => {}
                                }
                            }
                            match rule {
                                Rule::basic_group => l.basic.extend(crits),
                                Rule::exclusion_group => l.exclusions.extend(crits),
                                Rule::removal_group => l.removals.extend(crits),
                                _ => l.screening = Some((n, crits)),
                            }
                        }
                        Rule::pl_measures => {
                            let mut m = ListMeasures {
                                listed: true,
                                when: None,
                                items: Vec::new(),
                                span: xs,
                            };
                            for y in x.into_inner() {
                                match y.as_rule() {
                                    Rule::kw_unlisted => m.listed = false,
                                    Rule::expr => m.when = Some(self.expr(y)?),
                                    Rule::pl_measure => {
                                        let mut it = y.into_inner();
                                        let Some(name) = it.next() else { continue };
                                        let name = self.ident(name);
                                        let mut value = None;
                                        for v in it {
                                            let vs = self.span(&v);
                                            match v.as_rule() {
                                                Rule::literal => {
                                                    value = Some(Expr {
                                                        kind: ExprKind::Lit(self.literal(v)?),
                                                        span: vs,
                                                    })
                                                }
                                                Rule::ident => {
                                                    value = Some(Expr {
                                                        kind: ExprKind::Name(self.ident(v)),
                                                        span: vs,
                                                    })
                                                }
                                                _ => {}
                                            }
                                        }
                                        m.items.push((name, value));
                                    }
                                    _ => {}
                                }
                            }
                            l.measures.push(m);
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        Ok(l)
    }

    // ───────────── literals and expressions ─────────────

    fn number(&self, p: &P<'_>) -> R<Decimal> {
        Decimal::from_str(p.as_str()).map_err(|_| self.bad(p, "数字"))
    }

    fn literal(&self, p: P<'_>) -> R<Literal> {
        let p = if p.as_rule() == Rule::literal {
            match p.into_inner().next() {
                Some(x) => x,
                None => return Ok(Literal::Number(Decimal::ZERO)),
            }
        } else {
            p
        };
        let whole = p.clone();
        Ok(match p.as_rule() {
            Rule::number => Literal::Number(self.number(&p)?),
            Rule::money => {
                let mut it = p.into_inner();
                let n = match it.next() {
                    Some(n) => self.number(&n)?,
                    None => Decimal::ZERO,
                };
                let mult = match it.next().map(|u| u.as_str()) {
                    Some("亿元") => Decimal::from(100_000_000),
                    Some("万元") => Decimal::from(10_000),
                    _ => Decimal::ONE,
                };
                Literal::Money(
                    n.checked_mul(mult)
                        .ok_or_else(|| self.bad(&whole, "金额"))?,
                )
            }
            Rule::percent => {
                let n = match p.into_inner().next() {
                    Some(n) => self.number(&n)?,
                    None => Decimal::ZERO,
                };
                Literal::Percent(n / Decimal::ONE_HUNDRED)
            }
            Rule::multiple => {
                let n = match p.into_inner().next() {
                    Some(n) => self.number(&n)?,
                    None => Decimal::ZERO,
                };
                Literal::Multiple(n)
            }
            Rule::date => Literal::Date(self.date(p)?.date),
            Rule::duration => {
                let mut it = p.into_inner();
                let n: u32 = match it.next() {
                    Some(n) => n.as_str().parse().map_err(|_| self.bad(&whole, "期间"))?,
                    None => 0,
                };
                let unit = match it.next().map(|u| u.as_str()) {
                    Some("年") | Some("years") => DurationUnit::Years,
                    Some("个月") | Some("月") | Some("months") => DurationUnit::Months,
                    _ => DurationUnit::Days,
                };
                Literal::Duration(n, unit)
            }
            Rule::string => Literal::Text(self.text(p).value),
            Rule::kw_true => Literal::Bool(true),
            Rule::kw_false => Literal::Bool(false),
            _ => return Err(self.shape(&p)),
        })
    }

    fn expr(&mut self, p: P<'_>) -> R<Expr> {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::expr | Rule::primary => match p
                .into_inner()
                .find(|x| !matches!(x.as_rule(), Rule::lparen | Rule::rparen))
            {
                Some(x) => self.expr(x),
                None => Err(ParseError::Syntax {
                    expected: "表达式".into(),
                    found: String::new(),
                    span,
                }),
            },
            Rule::or_expr | Rule::and_expr | Rule::add_expr | Rule::mul_expr => {
                let mut it = p.into_inner();
                let Some(first) = it.next() else {
                    return Err(ParseError::Syntax {
                        expected: "表达式".into(),
                        found: String::new(),
                        span,
                    });
                };
                let mut acc = self.expr(first)?;
                while let Some(op) = it.next() {
                    let bin = match op.as_rule() {
                        Rule::kw_or => BinOp::Or,
                        Rule::kw_and => BinOp::And,
                        Rule::add_op => match op.as_str() {
                            "+" | "＋" => BinOp::Add,
                            _ => BinOp::Sub,
                        },
                        Rule::mul_op => match op.as_str() {
                            "×" | "*" => BinOp::Mul,
                            _ => BinOp::Div,
                        },
                        _ => return Err(self.shape(&op)),
                    };
                    let Some(rhs) = it.next() else { break };
                    let rhs = self.expr(rhs)?;
                    let sp = acc.span.to(rhs.span);
                    acc = Expr {
                        kind: ExprKind::Binary(bin, Box::new(acc), Box::new(rhs)),
                        span: sp,
                    };
                }
                Ok(acc)
            }
            Rule::not_expr | Rule::unary_expr => {
                let mut nots = 0usize;
                let mut last = None;
                for x in p.into_inner() {
                    match x.as_rule() {
                        Rule::kw_not | Rule::neg => nots += 1,
                        _ => last = Some(x),
                    }
                }
                let Some(last) = last else {
                    return Err(ParseError::Syntax {
                        expected: "表达式".into(),
                        found: String::new(),
                        span,
                    });
                };
                let is_not = matches!(last.as_rule(), Rule::cmp_expr);
                let mut e = self.expr(last)?;
                // The rule's own span runs on over the whitespace pest skipped while looking
                // for more; the text ends where the operand does.
                let span = Span {
                    end: e.span.end,
                    ..span
                };
                for _ in 0..nots {
                    e = Expr {
                        kind: if is_not {
                            ExprKind::Not(Box::new(e))
                        } else {
                            ExprKind::Neg(Box::new(e))
                        },
                        span,
                    };
                }
                Ok(e)
            }
            Rule::cmp_expr => {
                let mut it = p.into_inner();
                let Some(first) = it.next() else {
                    return Err(ParseError::Syntax {
                        expected: "表达式".into(),
                        found: String::new(),
                        span,
                    });
                };
                let lhs = self.expr(first)?;
                match it.next() {
                    None => Ok(lhs),
                    Some(op) if op.as_rule() == Rule::kw_in => {
                        let set_pair = it.next();
                        // To the closing brace: `cmp_expr`'s own span includes the
                        // whitespace (and comments) that follow it.
                        let span = match &set_pair {
                            Some(s) => lhs.span.to(self.span(s)),
                            None => span,
                        };
                        let set = set_pair
                            .map(|s| {
                                s.into_inner()
                                    .filter(|x| x.as_rule() == Rule::ident)
                                    .map(|x| self.ident(x))
                                    .collect()
                            })
                            .unwrap_or_default();
                        Ok(Expr {
                            kind: ExprKind::In(Box::new(lhs), set),
                            span,
                        })
                    }
                    Some(op) => {
                        let bin = match op.as_str() {
                            "≥" | ">=" => BinOp::Ge,
                            "≤" | "<=" => BinOp::Le,
                            "≠" | "!=" => BinOp::Ne,
                            ">" | "＞" => BinOp::Gt,
                            "<" | "＜" => BinOp::Lt,
                            _ => BinOp::Eq,
                        };
                        let Some(rhs) = it.next() else { return Ok(lhs) };
                        let rhs = self.expr(rhs)?;
                        Ok(Expr {
                            span: lhs.span.to(rhs.span),
                            kind: ExprKind::Binary(bin, Box::new(lhs), Box::new(rhs)),
                        })
                    }
                }
            }
            Rule::if_expr => {
                let mut es = Vec::new();
                for x in p.into_inner() {
                    if x.as_rule() == Rule::expr {
                        es.push(self.expr(x)?);
                    }
                }
                let mut it = es.into_iter();
                match (it.next(), it.next(), it.next()) {
                    (Some(c), Some(a), Some(b)) => Ok(Expr {
                        span: Span {
                            end: b.span.end,
                            ..span
                        },
                        kind: ExprKind::If(Box::new(c), Box::new(a), Box::new(b)),
                    }),
                    _ => Err(ParseError::Syntax {
                        expected: "若 … 则 … 否则 …".into(),
                        found: String::new(),
                        span,
                    }),
                }
            }
            Rule::call => {
                let mut it = p.into_inner();
                let Some(name) = it.next() else {
                    return Err(ParseError::Syntax {
                        expected: "函数名".into(),
                        found: String::new(),
                        span,
                    });
                };
                let name = self.ident(name);
                let mut args = Vec::new();
                for x in it {
                    if x.as_rule() == Rule::expr {
                        args.push(self.expr(x)?);
                    }
                }
                Ok(Expr {
                    kind: ExprKind::Call(name, args),
                    span,
                })
            }
            Rule::ident => Ok(Expr {
                kind: ExprKind::Name(self.ident(p)),
                span,
            }),
            Rule::literal => Ok(Expr {
                kind: ExprKind::Lit(self.literal(p)?),
                span,
            }),
            _ => Err(self.shape(&p)),
        }
    }
}
