//! One parser test per construct of the grammar, English keywords against Chinese ones,
//! full-width against ASCII punctuation, and syntax errors located at the right line:column.
//! Every accepted source is also pushed through the formatter: `parse(fmt(x)) == parse(x)`
//! and `fmt(fmt(x)) == fmt(x)`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cailiang_dsl::ast::*;
use cailiang_dsl::format::{format_file, format_source};
use cailiang_dsl::{parse, ParseError, SourceFile};
use rust_decimal::Decimal;
use std::str::FromStr;

// ───────────────────────────── helpers ─────────────────────────────

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn pct(s: &str) -> Decimal {
    dec(s) / Decimal::ONE_HUNDRED
}

fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Parse, and check that the formatter round-trips the tree and is idempotent.
fn p(src: &str) -> File {
    let file = parse(0, src).unwrap_or_else(|e| panic!("parse failed: {e:?}\n{src}"));
    let printed = format_file(&file);
    let again = parse(0, &printed)
        .unwrap_or_else(|e| panic!("formatted text does not parse: {e:?}\n{printed}"));
    assert_eq!(again, file, "format_file changed the tree:\n{printed}");
    let canon = format_source(src).unwrap();
    assert_eq!(
        parse(0, &canon).unwrap(),
        file,
        "format_source changed the tree"
    );
    assert_eq!(
        format_source(&canon).unwrap(),
        canon,
        "format_source not idempotent"
    );
    file
}

/// Parse a ruleset made of a one-line header and `body`.
fn body(b: &str) -> File {
    p(&format!("规则集 测试\n{b}"))
}

fn only_item(b: &str) -> Item {
    let f = body(b);
    assert_eq!(f.items.len(), 1, "{:#?}", f.items);
    f.items.into_iter().next().unwrap()
}

fn violation(b: &str) -> Violation {
    match only_item(b) {
        Item::Violation(v) => v,
        other => panic!("not a violation: {other:?}"),
    }
}

fn additive(b: &str) -> Additive {
    match violation(b).discretion {
        Some(Discretion::Additive(a)) => a,
        other => panic!("not additive: {other:?}"),
    }
}

fn derived_expr(e: &str) -> Expr {
    match only_item(&format!("推导 值：数值 = {e}")) {
        Item::Derived(d) => d.expr,
        other => panic!("{other:?}"),
    }
}

fn err_at(src: &str) -> (ParseError, (usize, usize)) {
    let e = parse(0, src).expect_err("should not parse");
    let lc = SourceFile::new("t.rules", src).line_col(e.span().start as usize);
    (e, lc)
}

fn name(n: &str) -> Expr {
    Expr {
        kind: ExprKind::Name(Ident {
            name: n.into(),
            span: Default::default(),
        }),
        span: Default::default(),
    }
}

fn lit(l: Literal) -> Expr {
    Expr {
        kind: ExprKind::Lit(l),
        span: Default::default(),
    }
}

fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr {
        kind: ExprKind::Binary(op, Box::new(a), Box::new(b)),
        span: Default::default(),
    }
}

fn num(s: &str) -> Expr {
    lit(Literal::Number(dec(s)))
}

fn ident(n: &str) -> Ident {
    Ident {
        name: n.into(),
        span: Default::default(),
    }
}

// ───────────────────────────── header ─────────────────────────────

#[test]
fn header_every_clause() {
    let f = p(r#"规则集 广东省基准
  文号 "粤环发〔2021〕7号"
  发布机关 "广东省生态环境厅"
  辖区 "广东省"
  版本 "2021版"
  生效 2022-01-01 至 2026-12-31
  继承 国家基准
  边界 以下不含本数，以上含本数
  取整 百元 向下
"#);
    let h = &f.header;
    assert_eq!(h.name.name, "广东省基准");
    assert_eq!(h.document.as_ref().unwrap().value, "粤环发〔2021〕7号");
    assert_eq!(h.authority.as_ref().unwrap().value, "广东省生态环境厅");
    assert_eq!(h.jurisdiction.as_ref().unwrap().value, "广东省");
    assert_eq!(h.version.as_ref().unwrap().value, "2021版");
    let eff = h.effective.as_ref().unwrap();
    assert_eq!(eff.from.date, date("2022-01-01"));
    assert_eq!(eff.to.unwrap().date, date("2026-12-31"));
    assert_eq!(h.extends.as_ref().unwrap().name, "国家基准");
    assert_eq!(h.boundary.unwrap().0, Boundary::BelowExclusive);
    let r = h.rounding.as_ref().unwrap();
    assert_eq!((r.unit, r.unit_label.as_str()), (dec("100"), "百元"));
    assert_eq!(r.mode, RoundingMode::Down);
    assert!(f.items.is_empty());
}

#[test]
fn header_minimal_and_open_ended_effective() {
    let f = p("规则集 甲");
    assert_eq!(f.header.name.name, "甲");
    assert!(f.header.effective.is_none() && f.header.rounding.is_none());
    let f = p("规则集 甲 生效 2024-03-01");
    let eff = f.header.effective.unwrap();
    assert_eq!((eff.from.date, eff.to), (date("2024-03-01"), None));
}

#[test]
fn header_boundary_rules() {
    for (text, want) in [
        ("以下不含本数，以上含本数", Boundary::BelowExclusive),
        ("以下不含本数,以上含本数", Boundary::BelowExclusive),
        ("以下不含本数、以上含本数", Boundary::BelowExclusive),
        ("以下不含本数 以上含本数", Boundary::BelowExclusive),
        ("均含本数", Boundary::BothInclusive),
        ("以上以下均含本数", Boundary::BothInclusive),
        ("均不含本数", Boundary::BothExclusive),
    ] {
        let f = p(&format!("规则集 甲\n  边界 {text}\n"));
        assert_eq!(f.header.boundary.unwrap().0, want, "{text}");
    }
}

#[test]
fn header_rounding_units_and_modes() {
    let units = [
        ("分", "0.01"),
        ("角", "0.1"),
        ("元", "1"),
        ("十元", "10"),
        ("百元", "100"),
        ("千元", "1000"),
        ("万元", "10000"),
    ];
    let modes = [
        ("四舍五入", RoundingMode::HalfUp),
        ("向下", RoundingMode::Down),
        ("向上", RoundingMode::Up),
        ("银行家", RoundingMode::HalfEven),
    ];
    for (u, v) in units {
        for (m, mode) in modes {
            let f = p(&format!("规则集 甲\n  取整 {u} {m}\n"));
            let r = f.header.rounding.unwrap();
            assert_eq!(r.unit, dec(v), "{u}");
            assert_eq!(r.unit_label, u);
            assert_eq!(r.mode, mode);
        }
    }
}

#[test]
fn header_later_clause_wins() {
    let f = p("规则集 甲\n  版本 \"一\"\n  版本 \"二\"\n");
    assert_eq!(f.header.version.unwrap().value, "二");
}

// ───────────────────────────── facts ─────────────────────────────

#[test]
fn fact_every_primitive_type() {
    for (word, ty) in [
        ("是否", TypeExpr::Bool),
        ("布尔", TypeExpr::Bool),
        ("数值", TypeExpr::Number),
        ("整数", TypeExpr::Integer),
        ("金额", TypeExpr::Money),
        ("百分比", TypeExpr::Percent),
        ("倍数", TypeExpr::Multiple),
        ("日期", TypeExpr::Date),
        ("期间", TypeExpr::Duration),
        ("bool", TypeExpr::Bool),
        ("number", TypeExpr::Number),
        ("integer", TypeExpr::Integer),
        ("money", TypeExpr::Money),
        ("percent", TypeExpr::Percent),
        ("multiple", TypeExpr::Multiple),
        ("date", TypeExpr::Date),
        ("duration", TypeExpr::Duration),
    ] {
        match only_item(&format!("事实 甲：{word}")) {
            Item::Fact(f) => {
                assert_eq!(f.name.name, "甲");
                assert_eq!(f.ty, ty, "{word}");
                assert!(f.label.is_none() && f.default.is_none());
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn fact_enum_label_and_default() {
    let Item::Fact(f) =
        only_item("事实 环评文件类别：｛报告表，报告书、登记表,备案｝ \"类别\" 默认 报告表")
    else {
        panic!()
    };
    assert_eq!(
        f.ty,
        TypeExpr::Enum(vec![
            ident("报告表"),
            ident("报告书"),
            ident("登记表"),
            ident("备案")
        ])
    );
    assert_eq!(f.label.unwrap().value, "类别");
    assert_eq!(f.default, Some(name("报告表")));
}

#[test]
fn fact_defaults_of_every_literal() {
    let cases = [
        ("是否", "是", Literal::Bool(true)),
        ("是否", "否", Literal::Bool(false)),
        ("是否", "true", Literal::Bool(true)),
        ("数值", "1.5", Literal::Number(dec("1.5"))),
        ("金额", "10万元", Literal::Money(dec("100000"))),
        ("金额", "1.5亿元", Literal::Money(dec("150000000"))),
        ("金额", "2000元", Literal::Money(dec("2000"))),
        ("金额", "300yuan", Literal::Money(dec("300"))),
        ("百分比", "5%", Literal::Percent(pct("5"))),
        ("百分比", "12.5％", Literal::Percent(pct("12.5"))),
        ("倍数", "3倍", Literal::Multiple(dec("3"))),
        ("倍数", "2x", Literal::Multiple(dec("2"))),
        ("日期", "2024-01-01", Literal::Date(date("2024-01-01"))),
        ("期间", "2年", Literal::Duration(2, DurationUnit::Years)),
        ("期间", "6个月", Literal::Duration(6, DurationUnit::Months)),
        ("期间", "6月", Literal::Duration(6, DurationUnit::Months)),
        ("期间", "30日", Literal::Duration(30, DurationUnit::Days)),
        ("期间", "30天", Literal::Duration(30, DurationUnit::Days)),
        ("期间", "3years", Literal::Duration(3, DurationUnit::Years)),
        (
            "期间",
            "3months",
            Literal::Duration(3, DurationUnit::Months),
        ),
        ("期间", "3days", Literal::Duration(3, DurationUnit::Days)),
        ("数值", "\"文字\"", Literal::Text("文字".into())),
    ];
    for (ty, text, want) in cases {
        let Item::Fact(f) = only_item(&format!("事实 甲：{ty} 默认 {text}")) else {
            panic!()
        };
        assert_eq!(f.default, Some(lit(want)), "{text}");
    }
}

#[test]
fn derived_declaration() {
    let Item::Derived(d) = only_item("推导 基数值：金额 = 总投资额 × 5% \"罚款基数\"")
    else {
        panic!()
    };
    assert_eq!(d.name.name, "基数值");
    assert_eq!(d.ty, TypeExpr::Money);
    assert_eq!(
        d.expr,
        bin(
            BinOp::Mul,
            name("总投资额"),
            lit(Literal::Percent(pct("5")))
        )
    );
    assert_eq!(d.label.unwrap().value, "罚款基数");
}

// ───────────────────────────── violations and fines ─────────────────────────────

#[test]
fn violation_reference_clauses() {
    let v = violation(
        r#"违法行为 EIA-31-1 "未批先建"
  违反 "第二十五条"
  依据 "第三十一条第一款"
  依据 "第三十一条第二款"
  出处 "附件1 §1.1"
"#,
    );
    assert_eq!(v.code.name, "EIA-31-1");
    assert_eq!(v.title.unwrap().value, "未批先建");
    assert_eq!(v.violates.unwrap().value, "第二十五条");
    let basis: Vec<_> = v.basis.iter().map(|t| t.value.as_str()).collect();
    assert_eq!(basis, ["第三十一条第一款", "第三十一条第二款"]);
    assert_eq!(v.source.unwrap().value, "附件1 §1.1");
}

#[test]
fn fine_bounds() {
    let v = violation("违法行为 A-1 \"甲\"\n  罚款 10万元 至 100万元");
    assert_eq!(
        v.fines[0].shape,
        FineShape::Bounds {
            min: lit(Literal::Money(dec("100000"))),
            max: lit(Literal::Money(dec("1000000"))),
        }
    );
    assert!(v.fines[0].when.is_none());
}

#[test]
fn fine_max_only() {
    let v = violation("违法行为 A-1 \"甲\"\n  罚款 5万元 以下");
    assert_eq!(
        v.fines[0].shape,
        FineShape::MaxOnly {
            max: lit(Literal::Money(dec("50000")))
        }
    );
}

#[test]
fn fine_percent_of_base() {
    let v = violation("违法行为 A-1 \"甲\"\n  罚款 总投资额 的 1% 至 5%");
    assert_eq!(
        v.fines[0].shape,
        FineShape::OfBase {
            base: ident("总投资额"),
            low: lit(Literal::Percent(pct("1"))),
            high: lit(Literal::Percent(pct("5"))),
            floor: None,
        }
    );
}

#[test]
fn fine_multiple_of_base_with_floor() {
    for src in [
        "罚款 处置费用 的 3倍 至 5倍，基数不足 20万元 按 20万元 计",
        "罚款 处置费用 的 3倍 至 5倍 基数不足 20万元 按 20万元 计",
    ] {
        let v = violation(&format!("违法行为 A-1 \"甲\"\n  {src}"));
        assert_eq!(
            v.fines[0].shape,
            FineShape::OfBase {
                base: ident("处置费用"),
                low: lit(Literal::Multiple(dec("3"))),
                high: lit(Literal::Multiple(dec("5"))),
                floor: Some((
                    lit(Literal::Money(dec("200000"))),
                    lit(Literal::Money(dec("200000")))
                )),
            }
        );
    }
}

#[test]
fn fine_per_occurrence() {
    let v = violation("违法行为 A-1 \"甲\"\n  罚款 每次 5000元 至 2万元，次数 违法次数");
    assert_eq!(
        v.fines[0].shape,
        FineShape::PerOccurrence {
            min: lit(Literal::Money(dec("5000"))),
            max: lit(Literal::Money(dec("20000"))),
            count: ident("违法次数"),
            unit: None,
        }
    );
}

#[test]
fn fine_per_unit() {
    let v = violation("违法行为 A-1 \"甲\"\n  罚款 每平方米 1000元 至 1万元，数量 违法面积");
    assert_eq!(
        v.fines[0].shape,
        FineShape::PerOccurrence {
            min: lit(Literal::Money(dec("1000"))),
            max: lit(Literal::Money(dec("10000"))),
            count: ident("违法面积"),
            unit: Some("平方米".into()),
        }
    );
}

#[test]
fn succeeds_and_not_illegal() {
    let v = violation(
        "违法行为 A-1 \"甲\"\n  依据 \"新法第1条\"\n  承接 \"旧法第2条\"\n  不认为是违法 \"新法删去\"",
    );
    assert_eq!(v.succeeds.map(|t| t.value).as_deref(), Some("旧法第2条"));
    assert_eq!(v.not_illegal.map(|t| t.value).as_deref(), Some("新法删去"));
    assert!(v.fines.is_empty());
}

#[test]
fn fine_conditional_alternatives() {
    let v = violation(
        "违法行为 A-1 \"甲\"\n  罚款 2万元 至 20万元\n  罚款 当 情节严重 且 次数 ≥ 2：20万元 至 100万元\n",
    );
    assert_eq!(v.fines.len(), 2);
    assert!(v.fines[0].when.is_none());
    assert_eq!(
        v.fines[1].when,
        Some(bin(
            BinOp::And,
            name("情节严重"),
            bin(BinOp::Ge, name("次数"), num("2"))
        ))
    );
}

#[test]
fn fine_bounds_with_expressions() {
    let v = violation("违法行为 A-1 \"甲\"\n  罚款 法定最低额 × 2 至 较大（法定最高额，1万元）");
    let FineShape::Bounds { min, max } = &v.fines[0].shape else {
        panic!()
    };
    assert_eq!(*min, bin(BinOp::Mul, name("法定最低额"), num("2")));
    assert!(matches!(&max.kind, ExprKind::Call(n, args) if n.name == "较大" && args.len() == 2));
}

#[test]
fn measures_with_may() {
    let v = violation("违法行为 A-1 \"甲\"\n  并处 责令停止建设；可以 责令恢复原状;没收违法所得\n");
    let m: Vec<_> = v
        .measures
        .iter()
        .map(|m| (m.optional, m.text.as_str()))
        .collect();
    assert_eq!(
        m,
        [
            (false, "责令停止建设"),
            (true, "责令恢复原状"),
            (false, "没收违法所得")
        ]
    );
}

#[test]
fn measures_end_at_comment_and_line() {
    let f = body("违法行为 A-1 \"甲\"\n  并处 责令改正   # 备注\n  依据 \"某条\"\n");
    let Item::Violation(v) = &f.items[0] else {
        panic!()
    };
    assert_eq!(v.measures.len(), 1);
    assert_eq!(v.measures[0].text, "责令改正");
    assert_eq!(v.basis.len(), 1);
    assert_eq!(f.comments[0].text, " 备注");
}

#[test]
fn daily_penalty() {
    let v = violation("违法行为 A-1 \"甲\"\n  按日连续处罚 依据 \"《环境保护法》第五十九条\"");
    assert_eq!(v.daily.unwrap().value, "《环境保护法》第五十九条");
}

// ───────────────────────────── discretion ─────────────────────────────

#[test]
fn additive_base_start_and_percent_levels() {
    let a = additive(
        r#"违法行为 A-1 "甲"
  裁量 权重累加 基数 总投资额 × 5%
    起点 20%
    因素 持续月数 "持续时间"：3以下 0%，3以上6以下 3%，6以上 8%
"#,
    );
    assert_eq!(
        a.base,
        Some(bin(
            BinOp::Mul,
            name("总投资额"),
            lit(Literal::Percent(pct("5")))
        ))
    );
    assert_eq!(a.start.0, pct("20"));
    let f = &a.factors[0];
    assert_eq!(f.name.name, "持续月数");
    assert_eq!(f.label.as_ref().unwrap().value, "持续时间");
    assert!(f.weight.is_none());
    let end = |value: &str, kind| RangeEnd {
        value: Literal::Number(dec(value)),
        kind,
        span: Default::default(),
    };
    assert_eq!(
        f.levels[0].cond,
        LevelCond::Range {
            low: None,
            high: Some(end("3", EndKind::Below))
        }
    );
    assert_eq!(
        f.levels[1].cond,
        LevelCond::Range {
            low: Some(end("3", EndKind::Above)),
            high: Some(end("6", EndKind::Below))
        }
    );
    assert_eq!(
        f.levels[2].cond,
        LevelCond::Range {
            low: Some(end("6", EndKind::Above)),
            high: None
        }
    );
    assert_eq!(f.levels[1].value, LevelValue::Percent(pct("3")));
}

#[test]
fn additive_without_base() {
    let a = additive("违法行为 A-1 \"甲\"\n  裁量 权重累加\n    起点 0%\n    因素 甲：是 1%");
    assert!(a.base.is_none());
    assert_eq!(a.start.0, Decimal::ZERO);
}

#[test]
fn level_conditions_of_every_kind() {
    let a = additive(
        r#"违法行为 A-1 "甲"
  裁量 权重累加
    起点 0%
    因素 甲：<0.5 1%，≥0.5 2%，不足1 3%，超过1 4%，>2 5%，≤3 6%，<=4 7%，>=5 8%，＞6 9%，＜7 10%
    因素 乙：1 0%，2 3%，其他 8%
    因素 丙：是 0%，否 5%
    因素 丁：报告书/报告表 0%，登记表 5%
    因素 戊：当（数 > 1 且 配合）5%，当(非 配合) 6%
    因素 己：10万元以上 5%，2年 1%，50%以下 2%，3倍 4%，6个月以上 1%
"#,
    );
    let kinds: Vec<_> = a.factors[0]
        .levels
        .iter()
        .map(|l| match &l.cond {
            LevelCond::Range {
                low: Some(e),
                high: None,
            }
            | LevelCond::Range {
                low: None,
                high: Some(e),
            } => e.kind,
            other => panic!("{other:?}"),
        })
        .collect();
    use EndKind::*;
    assert_eq!(kinds, [Lt, Ge, Lt, Gt, Gt, Le, Le, Ge, Gt, Lt]);
    let f = &a.factors[1];
    assert_eq!(
        f.levels[0].cond,
        LevelCond::Exact(Literal::Number(dec("1")), Default::default())
    );
    assert_eq!(f.levels[2].cond, LevelCond::Otherwise);
    assert_eq!(a.factors[2].levels[0].cond, LevelCond::Bool(true));
    assert_eq!(a.factors[2].levels[1].cond, LevelCond::Bool(false));
    assert_eq!(
        a.factors[3].levels[0].cond,
        LevelCond::Variants(vec![ident("报告书"), ident("报告表")])
    );
    assert!(matches!(&a.factors[4].levels[0].cond, LevelCond::When(e)
        if matches!(e.kind, ExprKind::Binary(BinOp::And, ..))));
    assert!(matches!(&a.factors[4].levels[1].cond, LevelCond::When(e)
        if matches!(e.kind, ExprKind::Not(_))));
    let f = &a.factors[5];
    assert!(
        matches!(&f.levels[0].cond, LevelCond::Range { low: Some(e), high: None }
        if e.value == Literal::Money(dec("100000")))
    );
    assert_eq!(
        f.levels[1].cond,
        LevelCond::Exact(
            Literal::Duration(2, DurationUnit::Years),
            Default::default()
        )
    );
    assert!(
        matches!(&f.levels[2].cond, LevelCond::Range { low: None, high: Some(e) }
        if e.value == Literal::Percent(pct("50")))
    );
    assert_eq!(
        f.levels[3].cond,
        LevelCond::Exact(Literal::Multiple(dec("3")), Default::default())
    );
}

#[test]
fn weighted_score_levels() {
    let a = additive(
        "违法行为 A-1 \"甲\"\n  裁量 权重累加\n    起点 0%\n    因素 超标倍数 \"超标\" 权重 40%：1倍以下 10，1倍以上 60\n",
    );
    let f = &a.factors[0];
    assert_eq!(f.weight.unwrap().0, pct("40"));
    assert_eq!(f.levels[0].value, LevelValue::Score(dec("10")));
    assert_eq!(f.levels[1].value, LevelValue::Score(dec("60")));
}

#[test]
fn caps_and_floors_with_when_and_notes() {
    let a = additive(
        r#"违法行为 A-1 "甲"
  裁量 权重累加
    起点 20%
    因素 甲：是 1%
    上限 30% 当 配合 "备注3"
    上限 90%
    下限 20% "不足20%按20%"
    下限 10% 当 非 配合
"#,
    );
    assert_eq!(a.caps.len(), 2);
    assert_eq!(a.caps[0].value, pct("30"));
    assert_eq!(a.caps[0].when, Some(name("配合")));
    assert_eq!(a.caps[0].note.as_ref().unwrap().value, "备注3");
    assert!(a.caps[1].when.is_none() && a.caps[1].note.is_none());
    assert_eq!(a.floors[0].note.as_ref().unwrap().value, "不足20%按20%");
    assert!(a.floors[1].when.is_some());
}

#[test]
fn bands_discretion() {
    let v = violation(
        r#"违法行为 A-1 "甲"
  罚款 1万元 至 10万元
  裁量 分档
    档 较轻 当（持续月数 < 3）：1万元 至 3万元
    档 一般：30% 至 60%
"#,
    );
    let Some(Discretion::Bands(bands, _)) = v.discretion else {
        panic!()
    };
    assert_eq!(bands.len(), 2);
    assert_eq!(bands[0].name.name, "较轻");
    assert_eq!(
        bands[0].when,
        Some(bin(BinOp::Lt, name("持续月数"), num("3")))
    );
    assert_eq!(bands[0].low, lit(Literal::Money(dec("10000"))));
    assert!(bands[1].when.is_none());
    assert_eq!(bands[1].high, lit(Literal::Percent(pct("60"))));
}

#[test]
fn fallback_discretion() {
    for src in [
        "缺省裁量 一般 50%，从轻 20%，从重 80% 依据 \"第十二条\"",
        "fallback ordinary 50%, mitigate 20%, aggravate 80% basis \"第十二条\"",
    ] {
        let Item::Fallback(f) = only_item(src) else {
            panic!()
        };
        assert_eq!(f.ordinary.unwrap().0, pct("50"));
        assert_eq!(f.mitigated.unwrap().0, pct("20"));
        assert_eq!(f.aggravated.unwrap().0, pct("80"));
        assert_eq!(f.basis.value, "第十二条");
    }
    let Item::Fallback(f) = only_item("缺省裁量 从重 70% 依据 \"x\"") else {
        panic!()
    };
    assert!(f.ordinary.is_none() && f.mitigated.is_none());
}

// ───────────────────────────── exemptions and adjustments ─────────────────────────────

#[test]
fn exemption_every_effect() {
    for (word, eff) in [
        ("不予处罚", ExemptionEffect::NoPenalty),
        ("可以不予处罚", ExemptionEffect::MayExempt),
        ("不适用", ExemptionEffect::NotApplicable),
        ("no_penalty", ExemptionEffect::NoPenalty),
        ("may_exempt", ExemptionEffect::MayExempt),
        ("not_applicable", ExemptionEffect::NotApplicable),
    ] {
        let Item::Exemption(e) = only_item(&format!("免罚 甲\n  {word}\n")) else {
            panic!()
        };
        assert_eq!(e.effect.unwrap().0, eff, "{word}");
    }
}

/// A condition's span is its text and nothing after: the checker copies it into `why_not`
/// and into the explanation a legal officer pastes into a 处罚告知书, and pest's own span of a
/// comparison or a 非 runs on over the line break, the next line's indent and any comment.
#[test]
fn condition_spans_end_where_their_text_ends() {
    let conditions = [
        "近二年同类次数 = 1",
        "非 及时改正",
        "非 非 及时改正",
        "类别 属于 {报告表, 登记表}",
        "若 及时改正 则 甲 否则 乙",
        "甲 且 乙 = 2",
        "(甲 或 乙)",
    ];
    let mut src = String::from("规则集 测试\n免罚 甲\n  不予处罚\n");
    for c in conditions {
        src.push_str(&format!("  当 {c}   # 注释\n\n"));
    }
    let f = p(&src);
    let Some(Item::Exemption(e)) = f.items.first() else {
        panic!("{:#?}", f.items)
    };
    let texts: Vec<&str> = e.when.iter().map(|w| &src[w.span.range()]).collect();
    // A parenthesised condition is its inner expression.
    let mut want = conditions.to_vec();
    if let Some(last) = want.last_mut() {
        *last = "甲 或 乙";
    }
    assert_eq!(texts, want);
}

#[test]
fn exemption_every_clause() {
    let Item::Exemption(e) = only_item(
        r#"免罚 首违不罚 "首次违法且危害后果轻微"
  类别 首违
  可以不予处罚
  当 近二年同类次数 = 1
  当 及时改正
  依据 "《行政处罚法》第三十三条第一款"
  依据 "粤环发〔2021〕7号 第十条"
  优先于 甲规则，乙规则、丙规则
"#,
    ) else {
        panic!()
    };
    assert_eq!(e.name.name, "首违不罚");
    assert_eq!(e.label.unwrap().value, "首次违法且危害后果轻微");
    assert_eq!(e.kind.unwrap().name, "首违");
    assert_eq!(e.when.len(), 2);
    assert_eq!(e.basis.len(), 2);
    assert_eq!(
        e.overrides,
        vec![ident("甲规则"), ident("乙规则"), ident("丙规则")]
    );
}

#[test]
fn adjustment_every_effect() {
    let cases: Vec<(&str, EffectOp)> = vec![
        (
            "降低 30% 至 50%",
            EffectOp::LowerBy(pct("30"), Some(pct("50"))),
        ),
        ("降低 30%", EffectOp::LowerBy(pct("30"), None)),
        (
            "提高 10% 至 20%",
            EffectOp::RaiseBy(pct("10"), Some(pct("20"))),
        ),
        ("提高 10%", EffectOp::RaiseBy(pct("10"), None)),
        (
            "减少 0元 至 法定最高额 × 20%",
            EffectOp::Minus(
                lit(Literal::Money(dec("0"))),
                Some(bin(
                    BinOp::Mul,
                    name("法定最高额"),
                    lit(Literal::Percent(pct("20"))),
                )),
            ),
        ),
        (
            "增加 1万元",
            EffectOp::Plus(lit(Literal::Money(dec("10000"))), None),
        ),
        (
            "增加 1万元 至 2万元",
            EffectOp::Plus(
                lit(Literal::Money(dec("10000"))),
                Some(lit(Literal::Money(dec("20000")))),
            ),
        ),
        (
            "降至 法定最低额 × 50% 至 法定最低额",
            EffectOp::SetTo(
                bin(
                    BinOp::Mul,
                    name("法定最低额"),
                    lit(Literal::Percent(pct("50"))),
                ),
                name("法定最低额"),
            ),
        ),
        ("取 低端", EffectOp::TakeLow),
        ("取 高端", EffectOp::TakeHigh),
    ];
    for (text, op) in cases {
        let Item::Adjustment(a) = only_item(&format!("调整 甲 从轻\n  {text}\n")) else {
            panic!()
        };
        let e = a.effect.unwrap();
        assert_eq!(e.op, op, "{text}");
        assert!(e.recommend.is_none());
    }
}

#[test]
fn adjustment_kinds_recommend_and_combine() {
    for (kind, want) in [
        ("从轻", AdjustKind::Mitigate),
        ("减轻", AdjustKind::Reduce),
        ("从重", AdjustKind::Aggravate),
    ] {
        let Item::Adjustment(a) = only_item(&format!("调整 甲 {kind}\n  取 低端\n")) else {
            panic!()
        };
        assert_eq!(a.kind.0, want);
    }
    for (rule, want) in [
        ("依次", Combine::Sequential),
        ("择一从轻", Combine::MostFavourable),
        ("择一从重", Combine::Heaviest),
        ("并列", Combine::OfficerChoice),
    ] {
        let Item::Adjustment(a) = only_item(&format!(
            "调整 主动消除 \"主动消除或减轻危害后果\" 从轻\n  当 主动消除\n  依据 \"第三十二条\"\n  优先于 乙\n  降低 10% 至 30% 推荐 50%\n  合并 {rule}\n"
        )) else {
            panic!()
        };
        assert_eq!(a.combine.unwrap().0, want);
        assert_eq!(a.label.as_ref().unwrap().value, "主动消除或减轻危害后果");
        assert_eq!(a.when, vec![name("主动消除")]);
        assert_eq!(a.basis[0].value, "第三十二条");
        assert_eq!(a.overrides, vec![ident("乙")]);
        let e = a.effect.unwrap();
        assert_eq!(e.recommend, Some(lit(Literal::Percent(pct("50")))));
    }
}

#[test]
fn recommend_takes_a_whole_expression() {
    // `推荐 5% + 1%` used to stop after `5%` and fail on `+`.
    let Item::Adjustment(a) = only_item("调整 甲 从轻\n  降低 10% 推荐 5% + 1%\n") else {
        panic!()
    };
    assert_eq!(
        a.effect.unwrap().recommend,
        Some(bin(
            BinOp::Add,
            lit(Literal::Percent(pct("5"))),
            lit(Literal::Percent(pct("1")))
        ))
    );
}

#[test]
fn local_exemption_adjustment_and_limitation() {
    let v = violation(
        r#"违法行为 A-1 "甲"
  罚款 1万元 至 10万元
  免罚 局部免罚
    不予处罚
    当 数额 < 1
  调整 局部调整 从轻
    降低 10%
  时效 2年 依据 "第三十六条"
"#,
    );
    assert_eq!(v.exemptions.len(), 1);
    assert_eq!(v.exemptions[0].name.name, "局部免罚");
    assert_eq!(v.adjustments.len(), 1);
    assert_eq!(v.limitation.unwrap().period.amount, 2);
}

#[test]
fn exemption_after_violation_belongs_to_it() {
    // Newlines are white space: a 免罚 after a violation's clauses is that violation's own.
    let f = body("违法行为 A-1 \"甲\"\n  罚款 1元 至 2元\n\n免罚 甲\n  不予处罚\n");
    assert_eq!(f.items.len(), 1);
    let Item::Violation(v) = &f.items[0] else {
        panic!()
    };
    assert_eq!(v.exemptions.len(), 1);
}

// ───────────────────────────── limitation and positive list ─────────────────────────────

#[test]
fn limitation_with_from_and_cases() {
    let Item::Limitation(l) = only_item(
        "时效 2年 自 \"违法行为终了之日\" 依据 \"《行政处罚法》第三十六条\"\n  当 涉及公民生命健康安全 且 有危害后果：5年\n  当 轻微：6个月\n",
    ) else {
        panic!()
    };
    assert_eq!((l.period.amount, l.period.unit), (2, DurationUnit::Years));
    assert_eq!(l.from.unwrap().value, "违法行为终了之日");
    assert_eq!(l.basis.value, "《行政处罚法》第三十六条");
    assert_eq!(l.cases.len(), 2);
    assert_eq!(
        (l.cases[0].1.amount, l.cases[0].1.unit),
        (5, DurationUnit::Years)
    );
    assert_eq!(
        (l.cases[1].1.amount, l.cases[1].1.unit),
        (6, DurationUnit::Months)
    );
}

#[test]
fn limitation_without_from() {
    let Item::Limitation(l) = only_item("时效 30日 依据 \"某条\"") else {
        panic!()
    };
    assert!(l.from.is_none());
    assert_eq!(l.basis.value, "某条");
    assert_eq!(l.period.unit, DurationUnit::Days);
}

#[test]
fn positive_list_every_clause() {
    let Item::PositiveList(l) = only_item(
        r#"正面清单 监督执法正面清单 "生态环境监督执法正面清单"
  依据 "环办执法〔2022〕21号"
  依据 "另一文件"
  有效期 1年
  禁入期 180日
  基本条件：
    条件 无处罚 "近三年无行政处罚" 当 近三年处罚次数 = 0
    条件 已办证 当 已取得排污许可
  筛选条件 至少 2：
    条件 在线监测 当 安装在线监测
    条件 信用好 "信用评价良好" 当 信用等级 属于 ｛A，B｝
    条件 治理先进 当 非 落后工艺
  排除：
    条件 有投诉 当 投诉次数 > 3
  移出：
    条件 发生违法 当 被处罚
  措施 已纳入 当 信用等级 = 信用A：非现场检查，检查频次 = 1，公示 = 是，联络人 = 专员
  措施 未纳入：常规检查
"#,
    ) else {
        panic!()
    };
    assert_eq!(l.name.name, "监督执法正面清单");
    assert_eq!(l.label.unwrap().value, "生态环境监督执法正面清单");
    assert_eq!(l.basis.len(), 2);
    assert_eq!(l.validity.unwrap().amount, 1);
    assert_eq!(
        (l.reentry_ban.unwrap().amount, l.reentry_ban.unwrap().unit),
        (180, DurationUnit::Days)
    );
    assert_eq!(l.basic.len(), 2);
    assert_eq!(l.basic[0].label.as_ref().unwrap().value, "近三年无行政处罚");
    let (n, crits) = l.screening.unwrap();
    assert_eq!((n, crits.len()), (2, 3));
    assert_eq!(l.exclusions.len(), 1);
    assert_eq!(l.removals.len(), 1);
    assert_eq!(l.measures.len(), 2);
    let m = &l.measures[0];
    assert!(m.listed);
    assert!(m.when.is_some());
    assert_eq!(
        m.items,
        vec![
            (ident("非现场检查"), None),
            (ident("检查频次"), Some(num("1"))),
            (ident("公示"), Some(lit(Literal::Bool(true)))),
            (ident("联络人"), Some(name("专员"))),
        ]
    );
    assert!(!l.measures[1].listed && l.measures[1].when.is_none());
}

#[test]
fn refine_violation() {
    let f = body("细化 违法行为 EIA-31-1\n  罚款 1万元 至 2万元\n\n细化 违法行为 EIA-31-2 \"新标题\"\n  并处 可以 没收\n");
    let Item::Refine(a) = &f.items[0] else {
        panic!()
    };
    assert_eq!(a.code.name, "EIA-31-1");
    assert!(a.title.is_none());
    let Item::Refine(b) = &f.items[1] else {
        panic!()
    };
    assert_eq!(b.title.as_ref().unwrap().value, "新标题");
    assert!(b.measures[0].optional);
}

// ───────────────────────────── expressions ─────────────────────────────

#[test]
fn expression_precedence() {
    assert_eq!(
        derived_expr("1 + 2 × 3"),
        bin(BinOp::Add, num("1"), bin(BinOp::Mul, num("2"), num("3")))
    );
    assert_eq!(
        derived_expr("（1 + 2） × 3"),
        bin(BinOp::Mul, bin(BinOp::Add, num("1"), num("2")), num("3"))
    );
    assert_eq!(
        derived_expr("1 - 2 - 3"),
        bin(BinOp::Sub, bin(BinOp::Sub, num("1"), num("2")), num("3"))
    );
    assert_eq!(
        derived_expr("1 - （2 - 3）"),
        bin(BinOp::Sub, num("1"), bin(BinOp::Sub, num("2"), num("3")))
    );
    assert_eq!(
        derived_expr("甲 或 乙 且 丙"),
        bin(
            BinOp::Or,
            name("甲"),
            bin(BinOp::And, name("乙"), name("丙"))
        )
    );
    assert_eq!(
        derived_expr("甲 + 1 > 2 且 乙"),
        bin(
            BinOp::And,
            bin(BinOp::Gt, bin(BinOp::Add, name("甲"), num("1")), num("2")),
            name("乙")
        )
    );
    let not = derived_expr("非 甲 = 1");
    assert!(matches!(&not.kind, ExprKind::Not(x)
        if matches!(x.kind, ExprKind::Binary(BinOp::Eq, ..))));
    let neg = derived_expr("-甲 × 2");
    assert!(matches!(&neg.kind, ExprKind::Binary(BinOp::Mul, l, _)
        if matches!(l.kind, ExprKind::Neg(_))));
    let nn = derived_expr("非 非 甲");
    assert!(matches!(&nn.kind, ExprKind::Not(x) if matches!(x.kind, ExprKind::Not(_))));
}

#[test]
fn expression_operators_and_forms() {
    for (text, op) in [
        ("=", BinOp::Eq),
        ("＝", BinOp::Eq),
        ("≠", BinOp::Ne),
        ("!=", BinOp::Ne),
        ("<", BinOp::Lt),
        ("＜", BinOp::Lt),
        ("≤", BinOp::Le),
        ("<=", BinOp::Le),
        (">", BinOp::Gt),
        ("＞", BinOp::Gt),
        ("≥", BinOp::Ge),
        (">=", BinOp::Ge),
        ("+", BinOp::Add),
        ("＋", BinOp::Add),
        ("-", BinOp::Sub),
        ("－", BinOp::Sub),
        ("×", BinOp::Mul),
        ("*", BinOp::Mul),
        ("÷", BinOp::Div),
        ("/", BinOp::Div),
    ] {
        assert_eq!(
            derived_expr(&format!("甲 {text} 乙")),
            bin(op, name("甲"), name("乙")),
            "{text}"
        );
    }
    let e = derived_expr("类别 属于 ｛报告书，报告表｝");
    assert!(matches!(&e.kind, ExprKind::In(x, set) if **x == name("类别") && set.len() == 2));
    let e = derived_expr("若 甲 > 1 则 1万元 否则 若 乙 则 2万元 否则 0元");
    let ExprKind::If(_, _, else_) = &e.kind else {
        panic!()
    };
    assert!(matches!(else_.kind, ExprKind::If(..)));
    let e = derived_expr("较大（甲，乙 + 1，3）");
    assert!(matches!(&e.kind, ExprKind::Call(n, args) if n.name == "较大" && args.len() == 3));
    let e = derived_expr("现在（）");
    assert!(matches!(&e.kind, ExprKind::Call(_, args) if args.is_empty()));
}

#[test]
fn keywords_are_whole_words() {
    let Item::Fact(f) = only_item("事实 类：｛报告书且已纳入重点管理，非重点，是否重点｝")
    else {
        panic!()
    };
    let TypeExpr::Enum(vs) = f.ty else { panic!() };
    let vs: Vec<_> = vs.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(vs, ["报告书且已纳入重点管理", "非重点", "是否重点"]);
    assert_eq!(
        derived_expr("甲 且 乙"),
        bin(BinOp::And, name("甲"), name("乙"))
    );
    assert_eq!(derived_expr("甲且乙"), name("甲且乙"));
    // Unreserved words stay usable as names.
    for n in [
        "类别", "基数", "上限", "起点", "条件", "措施", "权重", "默认",
    ] {
        assert_eq!(derived_expr(n), name(n));
    }
}

#[test]
fn strings_in_every_quote_style() {
    for (q, want) in [
        ("\"甲“乙”\"", "甲“乙”"),
        ("“他说\"是\"”", "他说\"是\""),
        ("「\"甲\"“乙”」", "\"甲\"“乙”"),
        ("\"# 不是注释\"", "# 不是注释"),
    ] {
        let f = p(&format!("规则集 甲\n  文号 {q}\n"));
        assert_eq!(f.header.document.unwrap().value, want);
        assert!(f.comments.is_empty());
    }
}

#[test]
fn comments_are_collected() {
    let f = p("# 开头\n规则集 甲   # 行尾\n# 独立\n事实 乙：金额 \"#不是\" # 末尾  \n#");
    let texts: Vec<_> = f.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, [" 开头", " 行尾", " 独立", " 末尾", ""]);
}

#[test]
fn quotes_in_measure_text_do_not_hide_a_comment() {
    let src = "规则集 甲\n违法行为 A-1 \"x\"\n  并处 责令\"改正   # 注一\n  并处 没收“违法所得   # 注二”\n";
    let f = p(src);
    let texts: Vec<_> = f.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, [" 注一", " 注二”"]);
    let Item::Violation(v) = &f.items[0] else {
        panic!()
    };
    assert_eq!(v.measures[0].text, "责令\"改正");
    assert_eq!(
        format_source(src).unwrap(),
        "规则集 甲\n\n违法行为 A-1 \"x\"\n  并处 责令\"改正；没收“违法所得   # 注一\n# 注二”\n"
    );
}

// ───────────────────────────── English keywords, punctuation ─────────────────────────────

const ALL_ZH: &str = r#"# 文件开头的注释
规则集 全部构造
  文号 "测试〔2024〕1号"
  发布机关 "测试机关"
  辖区 "广东省"
  版本 "2024版"
  生效 2024-01-01 至 2025-12-31
  继承 上级规则
  边界 以下不含本数，以上含本数
  取整 百元 向下

事实 总投资额：金额 "建设项目总投资额"
事实 文件类别：｛报告表，报告书，登记表｝ "类别" 默认 报告表
事实 配合：是否 默认 是
事实 次数甲：整数 默认 1
事实 比例：百分比 默认 5%
事实 倍率：倍数 默认 3倍
事实 日子：日期 默认 2024-01-01
事实 期限：期间 默认 2年
事实 金额甲：金额 默认 10万元
事实 数：数值
事实 处置费用：金额
事实 违法次数：整数
推导 基数值：金额 = 总投资额 × 5% "基数"   # 行尾注释

缺省裁量 一般 50%，从轻 20%，从重 80% 依据 "第十二条"

免罚 首违不罚 "首次违法"
  类别 首违
  可以不予处罚
  当 次数甲 = 1
  当 配合
  依据 "行政处罚法第三十三条"
  优先于 甲规则，乙规则

免罚 无过错
  不予处罚
  当 非 配合

免罚 例外
  不适用
  优先于 首违不罚

调整 主动消除 "主动消除危害" 从轻
  当 配合 且 次数甲 < 2
  依据 "第三十二条"
  降低 10% 至 30% 推荐 50%
  优先于 乙规则
  合并 择一从轻

调整 甲调整 减轻
  降至 法定最低额 × 50% 至 法定最低额
  合并 依次

调整 乙调整 从重
  提高 10%
  合并 择一从重

调整 丙调整 从轻
  减少 0元 至 法定最高额 × 20% 推荐 较大（1万元，法定最低额）
  合并 并列

调整 丁调整 从重
  增加 1万元

调整 戊调整 从轻
  取 低端

调整 己调整 从重
  取 高端

时效 2年 自 "违法行为终了之日" 依据 "行政处罚法第三十六条"
  当 数 > 3：5年
  当 配合：6个月

正面清单 监督执法正面清单 "正面清单"
  依据 "某文件"
  有效期 1年
  禁入期 180日
  基本条件：
    条件 无处罚 "近三年无处罚" 当 次数甲 = 0
  筛选条件 至少 2：
    条件 甲条件 当 配合
    条件 乙条件 当 非 配合
  排除：
    条件 排除一 当 数 > 10
  移出：
    条件 移出一 当 数 > 20
  措施 已纳入 当 数 < 5：非现场检查，检查频次 = 1，标记 = 是
  措施 未纳入：常规检查

违法行为 EIA-31-1 "未批先建"
  违反 "第二十五条"
  依据 "第三十一条第一款"
  依据 "第三十一条第二款"
  出处 "附件1 §1.1"
  罚款 总投资额 的 1% 至 5%
  罚款 当 配合 且 数 ≥ 2：10万元 至 100万元
  并处 责令停止建设；可以 责令恢复原状
  按日连续处罚 依据 "环境保护法第五十九条"
  裁量 权重累加 基数 总投资额 × 5%
    起点 20%
    因素 文件类别 "类别"：报告表/登记表 0%，报告书 5%
    因素 数：3以下 0%，3以上6以下 3%，6以上 8%
    因素 比例：<0.5 1%，≥0.5 2%
    因素 倍率：<1 1%，>1 2%，>2 3%，≤3 4%
    因素 次数甲：1 0%，2 3%，其他 8%
    因素 配合：是 0%，否 5%
    因素 自由：当（数 > 1 且 配合） 5%，当（非 配合） 6%
    因素 超标倍数 "超标" 权重 40%：1倍以下 10，1倍以上 60
    因素 金额甲：10万元以上 5%，2年 1%，50% 2%
    上限 30% 当 配合 "备注3"
    上限 90%
    下限 20% "不足20%按20%"
  时效 2年 依据 "第三十六条"
    当 数 > 1：5年
  免罚 局部免罚
    不予处罚
    当 数 < 1
  调整 局部调整 从轻
    降低 10%

违法行为 WATER-83-2 "超标排放"
  依据 "水污染防治法第八十三条"
  罚款 10万元 至 100万元
  裁量 分档
    档 轻微 当（数 < 1）：10% 至 30%
    档 一般：30% 至 60%

违法行为 W-1 "以下形状"
  罚款 5万元 以下
  罚款 当 数 > 1：处置费用 的 3倍 至 5倍，基数不足 20万元 按 20万元 计
  罚款 当 数 > 2：每次 5000元 至 2万元，次数 违法次数
  罚款 当 数 > 3：若 配合 则 1万元 否则 2万元 至 -（1万元 + 2万元） × 3
  罚款 当 数 属于 ｛甲，乙｝ 或 非 非 配合：较大（1元，2元） 以下

细化 违法行为 EIA-31-1
  罚款 1万元 至 2万元

细化 违法行为 EIA-31-2 "标题"
  并处 可以 没收
# 文件结尾的注释
"#;

const ALL_EN: &str = r#"# 文件开头的注释
ruleset 全部构造
  document "测试〔2024〕1号"
  authority "测试机关"
  jurisdiction "广东省"
  version "2024版"
  effective 2024-01-01 to 2025-12-31
  extends 上级规则
  boundary 以下不含本数，以上含本数
  rounding 百元 向下

fact 总投资额: money "建设项目总投资额"
fact 文件类别: {报告表, 报告书, 登记表} "类别" default 报告表
fact 配合: bool default true
fact 次数甲: integer default 1
fact 比例: percent default 5%
fact 倍率: multiple default 3x
fact 日子: date default 2024-01-01
fact 期限: duration default 2years
fact 金额甲: money default 100000yuan
fact 数: number
fact 处置费用: money
fact 违法次数: integer
derived 基数值: money = 总投资额 * 5% "基数"   # 行尾注释

fallback ordinary 50%, mitigate 20%, aggravate 80% basis "第十二条"

exemption 首违不罚 "首次违法"
  kind 首违
  may_exempt
  when 次数甲 = 1
  when 配合
  basis "行政处罚法第三十三条"
  overrides 甲规则, 乙规则

exemption 无过错
  no_penalty
  when not 配合

exemption 例外
  not_applicable
  overrides 首违不罚

adjustment 主动消除 "主动消除危害" mitigate
  when 配合 and 次数甲 < 2
  basis "第三十二条"
  lower_by 10% to 30% recommend 50%
  overrides 乙规则
  combine 择一从轻

adjustment 甲调整 reduce
  set_to 法定最低额 * 50% to 法定最低额
  combine 依次

adjustment 乙调整 aggravate
  raise_by 10%
  combine 择一从重

adjustment 丙调整 mitigate
  subtract 0yuan to 法定最高额 * 20% recommend 较大(10000yuan, 法定最低额)
  combine 并列

adjustment 丁调整 aggravate
  add 10000yuan

adjustment 戊调整 mitigate
  take low_end

adjustment 己调整 aggravate
  take high_end

limitation 2years from "违法行为终了之日" basis "行政处罚法第三十六条"
  when 数 > 3: 5years
  when 配合: 6months

positive_list 监督执法正面清单 "正面清单"
  basis "某文件"
  validity 1years
  reentry_ban 180days
  basic:
    condition 无处罚 "近三年无处罚" when 次数甲 = 0
  screening at_least 2:
    condition 甲条件 when 配合
    condition 乙条件 when not 配合
  exclusion:
    condition 排除一 when 数 > 10
  removal:
    condition 移出一 when 数 > 20
  measure listed when 数 < 5: 非现场检查, 检查频次 = 1, 标记 = true
  measure unlisted: 常规检查

violation EIA-31-1 "未批先建"
  violates "第二十五条"
  basis "第三十一条第一款"
  basis "第三十一条第二款"
  source "附件1 §1.1"
  fine 总投资额 of 1% to 5%
  fine when 配合 and 数 >= 2: 100000yuan to 1000000yuan
  measures 责令停止建设; may 责令恢复原状
  daily_penalty basis "环境保护法第五十九条"
  discretion additive base 总投资额 * 5%
    start 20%
    factor 文件类别 "类别": 报告表/登记表 0%, 报告书 5%
    factor 数: 3以下 0%, 3以上6以下 3%, 6以上 8%
    factor 比例: <0.5 1%, >=0.5 2%
    factor 倍率: 不足1 1%, 超过1 2%, >2 3%, <=3 4%
    factor 次数甲: 1 0%, 2 3%, otherwise 8%
    factor 配合: true 0%, false 5%
    factor 自由: when(数 > 1 and 配合) 5%, when(not 配合) 6%
    factor 超标倍数 "超标" weight 40%: 1x以下 10, 1x以上 60
    factor 金额甲: 100000yuan以上 5%, 2years 1%, 50% 2%
    cap 30% when 配合 "备注3"
    cap 90%
    floor 20% "不足20%按20%"
  limitation 2years basis "第三十六条"
    when 数 > 1: 5years
  exemption 局部免罚
    no_penalty
    when 数 < 1
  adjustment 局部调整 mitigate
    lower_by 10%

violation WATER-83-2 "超标排放"
  basis "水污染防治法第八十三条"
  fine 100000yuan to 1000000yuan
  discretion bands
    band 轻微 when (数 < 1): 10% to 30%
    band 一般: 30% to 60%

violation W-1 "以下形状"
  fine 50000yuan at_most
  fine when 数 > 1: 处置费用 of 3x to 5x, base_below 200000yuan count_as 200000yuan counted
  fine when 数 > 2: per_occurrence 5000yuan to 20000yuan, count 违法次数
  fine when 数 > 3: if 配合 then 10000yuan else 20000yuan to -(10000yuan + 20000yuan) * 3
  fine when 数 in {甲, 乙} or not not 配合: 较大(1yuan, 2yuan) at_most

refine violation EIA-31-1
  fine 10000yuan to 20000yuan

refine violation EIA-31-2 "标题"
  measures may 没收
# 文件结尾的注释
"#;

#[test]
fn every_construct_round_trips_through_the_formatter() {
    let f = p(ALL_ZH);
    assert_eq!(f.items.len(), 31);
    assert_eq!(f.comments.len(), 3);
    // The canonical text of this file is the file itself.
    assert_eq!(format_source(ALL_ZH).unwrap(), ALL_ZH);
}

#[test]
fn english_keywords_give_the_chinese_tree() {
    let zh = p(ALL_ZH);
    let en = p(ALL_EN);
    assert_eq!(en, zh);
    assert_eq!(
        format_source(ALL_EN).unwrap(),
        format_source(ALL_ZH).unwrap()
    );
}

/// Full-width punctuation → ASCII outside strings and comments.
fn to_ascii_punct(src: &str) -> String {
    let mut out = String::new();
    let mut close: Option<char> = None;
    let mut comment = false;
    for c in src.chars() {
        if comment {
            comment = c != '\n';
            out.push(c);
            continue;
        }
        if let Some(q) = close {
            if c == q || c == '\n' {
                close = None;
            }
            out.push(c);
            continue;
        }
        match c {
            '"' => close = Some('"'),
            '“' => close = Some('”'),
            '「' => close = Some('」'),
            '#' => comment = true,
            _ => {}
        }
        out.push(match c {
            '：' => ':',
            '，' | '、' => ',',
            '；' => ';',
            '（' => '(',
            '）' => ')',
            '｛' => '{',
            '｝' => '}',
            '＝' => '=',
            '％' => '%',
            '＞' => '>',
            '＜' => '<',
            '＋' => '+',
            '－' => '-',
            '\u{3000}' => ' ',
            other => other,
        });
    }
    out
}

#[test]
fn full_width_and_ascii_punctuation_give_equal_trees() {
    let ascii = to_ascii_punct(ALL_ZH);
    assert!(!ascii.contains('：') && !ascii.contains('，'));
    assert_eq!(p(&ascii), p(ALL_ZH));
    let mixed = "规则集 甲\n事实 乙:｛丙,丁、戊｝\n推导 己：数值 ＝ (1 ＋ 2） × 3\n违法行为 A-1 \"x\"\n  罚款 当 乙 属于 {丙，丁}:1元 至 2元\n  并处 责令改正;可以 没收\n  裁量 权重累加\n    起点 5％\n    因素 乙：丙 1%,丁 2％，当(己 ＞ 1） 3%\n";
    let full = "规则集 甲\n\n事实 乙：｛丙，丁，戊｝\n推导 己：数值 = （1 + 2） × 3\n\n违法行为 A-1 \"x\"\n  罚款 当 乙 属于 ｛丙，丁｝：1元 至 2元\n  并处 责令改正；可以 没收\n  裁量 权重累加\n    起点 5%\n    因素 乙：丙 1%，丁 2%，当（己 > 1） 3%\n";
    assert_eq!(p(mixed), p(full));
    assert_eq!(format_source(mixed).unwrap(), full);
    // An ideographic space is white space.
    assert_eq!(
        p("规则集\u{3000}甲\u{3000}事实\u{3000}乙：金额"),
        p("规则集 甲 事实 乙：金额")
    );
}

// ───────────────────────────── errors ─────────────────────────────

#[test]
fn syntax_errors_point_at_the_right_place() {
    let cases: [(&str, (usize, usize), &str); 8] = [
        ("规则集 甲\n事实 乙 金额\n", (2, 6), "冒号"),
        (
            "规则集 甲\n\n违法行为 A \"x\"\n  罚款 1元 至\n  依据 \"y\"\n",
            (5, 3),
            "表达式",
        ),
        (
            "规则集 甲\n事实 乙：金额\n违法行为 eia \"x\"\n",
            (3, 6),
            "代码",
        ),
        ("事实 乙：金额\n", (1, 1), "规则集"),
        ("", (1, 1), "规则集"),
        ("规则集 甲\n违法行为 A \"x\n", (2, 8), "引号"),
        (
            "规则集 甲\n违法行为 A \"x\"\n  裁量 权重累加\n    因素 甲：1 0%\n",
            (4, 5),
            "起点",
        ),
        (
            "规则集 甲\n  事实 乙：金额\n  事实 丙：：金额\n",
            (3, 8),
            "类型",
        ),
    ];
    for (src, want, expected_word) in cases {
        let (e, at) = err_at(src);
        assert_eq!(at, want, "{src:?}: {e}");
        assert_eq!(e.code(), "E0001");
        let ParseError::Syntax { expected, .. } = &e else {
            panic!("{e:?}")
        };
        assert!(
            expected.contains(expected_word),
            "{expected} ∌ {expected_word}"
        );
    }
}

#[test]
fn bad_literals_point_at_the_literal() {
    let (e, at) = err_at("规则集 甲\n  生效 2024-02-30\n");
    assert!(matches!(e, ParseError::BadLiteral { what: "日期", .. }));
    assert_eq!(at, (2, 6));
    let (e, at) = err_at("规则集 甲\n事实 乙：金额 默认 99999999999999999999999999亿元\n");
    assert!(matches!(e, ParseError::BadLiteral { what: "金额", .. }));
    assert_eq!(at, (2, 12));
    let (e, _) = err_at("规则集 甲\n事实 乙：期间 默认 99999999999年\n");
    assert!(matches!(e, ParseError::BadLiteral { what: "期间", .. }));
}

/// Run `f` on a thread with a large stack: pest recurses about ten rules deep per
/// parenthesis, and unoptimised builds need far more than the 2 MiB of a test thread to reach
/// [`cailiang_dsl::parse::MAX_NESTING`].
fn big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn nesting_and_size_limits() {
    big_stack(nesting_and_size_limits_body);
}

fn nesting_and_size_limits_body() {
    let deep = format!(
        "规则集 甲\n推导 乙：数值 = {}1{}\n",
        "（".repeat(80),
        "）".repeat(80)
    );
    let (e, at) = err_at(&deep);
    assert!(matches!(e, ParseError::TooDeep { .. }));
    assert_eq!(at.0, 2);
    let n = cailiang_dsl::parse::MAX_NESTING;
    let ok = format!(
        "规则集 甲\n推导 乙：数值 = {}1{}\n",
        "（".repeat(n),
        "）".repeat(n)
    );
    assert_eq!(derived_expr_of(&ok), num("1"));
    let big = format!(
        "规则集 甲\n#{}",
        "x".repeat(cailiang_dsl::parse::MAX_SOURCE_BYTES)
    );
    assert!(matches!(parse(0, &big), Err(ParseError::TooLarge { .. })));
}

fn derived_expr_of(src: &str) -> Expr {
    match &p(src).items[0] {
        Item::Derived(d) => d.expr.clone(),
        other => panic!("{other:?}"),
    }
}
