//! Properties of the formatter and the parser:
//!
//! * (a) every shipped ruleset: `parse(fmt(x)) == parse(x)` and `fmt(fmt(x)) == fmt(x)`;
//! * (b) random valid programs built as syntax trees: printing and parsing gives the tree
//!   back, and printing is idempotent, with or without comments sprinkled through the text;
//! * (c) parse and format never panic: arbitrary text, arbitrary Unicode, soups of the
//!   language's own tokens, and every prefix of the shipped rulesets (any prefix or soup
//!   that parses must also round-trip);
//! * (d) swapping ASCII punctuation for its full-width twin (and back) never changes the tree.
//!
//! Each property runs on a thread with a large stack: unoptimised pest needs several MiB
//! to parse expressions near `MAX_NESTING`, more than a test thread has.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cailiang_dsl::ast::*;
use cailiang_dsl::format::{format_file, format_parsed, format_source};
use cailiang_dsl::{parse, Span};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

const CASES: u32 = 256;

// ───────────────────────────── harness ─────────────────────────────

fn big_stack(f: impl FnOnce() + Send + 'static) {
    let joined = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .unwrap()
        .join();
    if let Err(e) = joined {
        std::panic::resume_unwind(e);
    }
}

/// Run a property `cases` times on a big-stack thread. The strategy is built on that thread
/// (boxed strategies are not `Send`).
fn check<S, B, F>(cases: u32, build: B, test: F)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
    B: FnOnce() -> S + Send + 'static,
    F: Fn(S::Value) -> Result<(), TestCaseError> + Send + 'static,
{
    // `PROPTEST_CASES=5000 cargo test …` for a longer soak.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    big_stack(move || {
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        if let Err(e) = runner.run(&build(), test) {
            panic!("{e}");
        }
    });
}

/// The shipped rulesets, found at test time (rulesets/invalid holds files meant to fail).
fn shipped() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == "invalid") {
                    continue;
                }
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rules") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets");
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no .rules files under {}",
        root.display()
    );
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// `parse(fmt(x)) == x` with and without the source text, and both idempotent. `file` is
/// `parse(src)`. Returns the canonical text and its tree.
fn assert_round_trip(src: &str, file: &File) -> Result<(String, File), TestCaseError> {
    let canon = format_parsed(file, src);
    let back = parse(0, &canon)
        .map_err(|e| TestCaseError::fail(format!("formatted text fails: {e:?}\n{canon}")))?;
    prop_assert_eq!(&back, file, "formatting changed the tree:\n{}", canon);
    prop_assert_eq!(
        format_parsed(&back, &canon),
        canon.clone(),
        "not idempotent"
    );
    let plain = format_file(file);
    let back2 = parse(0, &plain)
        .map_err(|e| TestCaseError::fail(format!("formatted text fails: {e:?}\n{plain}")))?;
    prop_assert_eq!(&back2, file, "format_file changed the tree:\n{}", plain);
    prop_assert_eq!(format_file(&back2), plain, "format_file not idempotent");
    Ok((canon, back))
}

// ───────────────────────────── layout examples ─────────────────────────────

fn assert_formats(src: &str, want: &str) {
    let got = format_source(src).unwrap();
    assert_eq!(got, want, "\n--- got ---\n{got}--- want ---\n{want}");
    assert_eq!(
        format_source(want).unwrap(),
        want,
        "canonical text is not a fixed point"
    );
    assert_eq!(parse(0, want).unwrap(), parse(0, src).unwrap());
}

#[test]
fn comments_follow_their_lines_through_reordering() {
    let src = r#"# 文件头注释

规则集 甲   # 名称
  取整 元 四舍五入
  文号 "x"

事实 a：金额
事实 b：金额   # b 的注释

# 第二组
事实 c：金额
违法行为 A-1 "t"
  罚款 1元 至 2元
  时效 2年 依据 "y"   # 时效注释
  # 免罚说明
  免罚 甲
    不予处罚
  裁量 权重累加
    起点 0%
    因素 a：当（a > 1） 1%，   # 第一档
      当（a > 2） 2%
# 结尾
"#;
    // 时效 is printed after 裁量 and keeps its comment; comments keep their order, so
    // “第一档” (written after “免罚说明”) cannot go back up to the factor line.
    let want = r#"# 文件头注释

规则集 甲   # 名称
  文号 "x"
  取整 元 四舍五入

事实 a：金额
事实 b：金额   # b 的注释

# 第二组
事实 c：金额

违法行为 A-1 "t"
  罚款 1元 至 2元
  裁量 权重累加
    起点 0%
    因素 a：当（a > 1） 1%，当（a > 2） 2%
  时效 2年 依据 "y"   # 时效注释
  # 免罚说明
  # 第一档
  免罚 甲
    不予处罚
# 结尾
"#;
    assert_formats(src, want);
}

#[test]
fn wide_factors_get_one_level_per_line() {
    let src = r#"规则集 甲
违法行为 A-1 "t"
  裁量 权重累加
    起点 0%
    因素 超标 "超标状况（超标最严重的污染因子）"：   # 表3-3
      当 (超标百分比 < 50 或 pH值 ≥ 5.5 且 pH值 < 6) 0%,
      当 (超标百分比 ≥ 50 且 超标百分比 < 100) 3%,   # 第二档
      其他 8%
    因素 短：是 1%，   # 短因素
      否 0%

正面清单 乙
  基本条件：   # 基本
    # 第一条
    条件 丙 当 丁
"#;
    let want = r#"规则集 甲

违法行为 A-1 "t"
  裁量 权重累加
    起点 0%
    因素 超标 "超标状况（超标最严重的污染因子）"：   # 表3-3
      当（超标百分比 < 50 或 pH值 ≥ 5.5 且 pH值 < 6） 0%，
      当（超标百分比 ≥ 50 且 超标百分比 < 100） 3%，   # 第二档
      其他 8%
    因素 短：是 1%，否 0%   # 短因素

正面清单 乙
  基本条件：   # 基本
    # 第一条
    条件 丙 当 丁
"#;
    assert_formats(src, want);
}

#[test]
fn without_the_source_every_comment_gets_a_line() {
    let src = "规则集 甲   # 名称\n事实 乙：金额 # 乙\n# 丙之前\n事实 丙：金额\n";
    let file = parse(0, src).unwrap();
    assert_eq!(
        format_file(&file),
        "规则集 甲\n\n# 名称\n事实 乙：金额\n# 乙\n# 丙之前\n事实 丙：金额\n"
    );
    assert_eq!(
        format_source(src).unwrap(),
        "规则集 甲   # 名称\n\n事实 乙：金额   # 乙\n# 丙之前\n事实 丙：金额\n"
    );
}

#[test]
fn literals_print_from_their_values() {
    let src = "规则集 甲\n事实 乙：金额 默认 10000元\n事实 丙：金额 默认 0.5万元\n事实 丁：金额 默认 12345元\n事实 戊：金额 默认 1亿元\n事实 己：百分比 默认 12.50%\n事实 庚：期间 默认 3月\n事实 辛：期间 默认 7天\n事实 壬：倍数 默认 2.0x\n事实 癸：数值 默认 007\n";
    let want = "规则集 甲\n\n事实 乙：金额 默认 1万元\n事实 丙：金额 默认 5000元\n事实 丁：金额 默认 12345元\n事实 戊：金额 默认 10000万元\n事实 己：百分比 默认 12.5%\n事实 庚：期间 默认 3个月\n事实 辛：期间 默认 7日\n事实 壬：倍数 默认 2倍\n事实 癸：数值 默认 7\n";
    assert_formats(src, want);
}

#[test]
fn expressions_get_the_fewest_parentheses() {
    for (src, want) in [
        ("(1 + 2) × 3", "（1 + 2） × 3"),
        ("1 + (2 × 3)", "1 + 2 × 3"),
        ("1 - (2 - 3)", "1 - （2 - 3）"),
        ("(1 - 2) - 3", "1 - 2 - 3"),
        ("(甲 且 乙) 或 丙", "甲 且 乙 或 丙"),
        ("甲 且 (乙 或 丙)", "甲 且 （乙 或 丙）"),
        ("非 (甲 或 乙)", "非 （甲 或 乙）"),
        ("(非 甲) = 乙", "（非 甲） = 乙"),
        ("-(甲 + 1)", "-（甲 + 1）"),
        ("(若 甲 则 1 否则 2) + 3", "（若 甲 则 1 否则 2） + 3"),
        ("若 甲 则 1 否则 (2 + 3)", "若 甲 则 1 否则 2 + 3"),
        ("(甲 + 1) 属于 {乙}", "甲 + 1 属于 ｛乙｝"),
        ("较大(甲, (乙))", "较大（甲，乙）"),
        (
            "甲 >= 1 且 乙 != 2 且 丙 <= 3",
            "甲 ≥ 1 且 乙 ≠ 2 且 丙 ≤ 3",
        ),
        ("甲 * 2 / 3", "甲 × 2 ÷ 3"),
    ] {
        let out = format_source(&format!("规则集 甲\n推导 值：数值 = {src}\n")).unwrap();
        assert_eq!(
            out,
            format!("规则集 甲\n\n推导 值：数值 = {want}\n"),
            "{src}"
        );
    }
}

// ───────────────────────────── (a) shipped rulesets ─────────────────────────────

/// Every shipped file: `parse(fmt(x)) == parse(x)`, `fmt` idempotent, and (d) the same file
/// with its punctuation turned to ASCII and partly back to full width parses to the same
/// tree. Three parses per file: unoptimised pest reads about 0.5 MB/s.
#[test]
fn shipped_rulesets_round_trip() {
    big_stack(|| {
        for (path, src) in shipped() {
            let at = path.display();
            let file = parse(0, &src).unwrap_or_else(|e| panic!("{at}: {e:?}"));
            let canon = format_parsed(&file, &src);
            let back = parse(0, &canon).unwrap_or_else(|e| panic!("{at}: {e:?}\n{canon}"));
            assert_eq!(back, file, "{at}: formatting changed the tree");
            assert_eq!(format_parsed(&back, &canon), canon, "{at}: not idempotent");
            let mixed = to_full_width(&to_ascii(&src), &[true, false, false, true, false]);
            let m = parse(0, &mixed).unwrap_or_else(|e| panic!("{at}: {e:?}\n{mixed}"));
            assert_eq!(m, file, "{at}: punctuation twins changed the tree");
        }
    });
}

/// The shipped rulesets cut into blank-line separated pieces, each under a header of its
/// own: small texts that cover every construct the rulesets use.
fn shipped_pieces() -> Vec<String> {
    let mut out = Vec::new();
    for (_, src) in shipped() {
        let src = src.replace("\r\n", "\n");
        for piece in src.split("\n\n") {
            if piece.trim().is_empty() {
                continue;
            }
            let t = piece.trim_start();
            if t.starts_with("规则集") || t.starts_with("ruleset") {
                out.push(piece.to_string());
            } else {
                out.push(format!("规则集 片段\n\n{piece}\n"));
            }
        }
    }
    out
}

// ───────────────────────────── (b) generated programs ─────────────────────────────

fn sp() -> Span {
    Span::default()
}

/// Names from characters that never spell a keyword, sometimes with a digit.
fn name_s() -> impl Strategy<Value = String> {
    let chars: Vec<char> = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
        .chars()
        .collect();
    (
        prop::collection::vec(prop::sample::select(chars), 1..=3),
        prop::option::of(0u8..10),
    )
        .prop_map(|(cs, d)| {
            let mut s: String = cs.into_iter().collect();
            if let Some(d) = d {
                s.push_str(&d.to_string());
            }
            s
        })
}

fn ident_s() -> impl Strategy<Value = Ident> {
    name_s().prop_map(|name| Ident { name, span: sp() })
}

fn idents_s(min: usize, max: usize) -> impl Strategy<Value = Vec<Ident>> {
    prop::collection::vec(ident_s(), min..=max)
}

fn code_s() -> impl Strategy<Value = Ident> {
    "[A-Z][A-Z0-9]{0,4}(-[0-9]{1,2}){0,2}".prop_map(|name| Ident { name, span: sp() })
}

/// Quoted text: may hold `"` or `”` (the printer picks quotes that fit), `#`, brackets…
fn text_value_s() -> impl Strategy<Value = String> {
    let chars: Vec<char> = "甲乙文字 a#\"”“（）《》〔〕§若：，1%".chars().collect();
    prop::collection::vec(prop::sample::select(chars), 0..8).prop_map(|cs| cs.into_iter().collect())
}

fn text_s() -> impl Strategy<Value = Text> {
    text_value_s().prop_map(|value| Text { value, span: sp() })
}

fn opt_text() -> impl Strategy<Value = Option<Text>> {
    prop::option::of(text_s())
}

fn number_s() -> impl Strategy<Value = Decimal> {
    (0i64..100_000, 0u32..=2).prop_map(|(n, s)| Decimal::new(n, s))
}

fn money_s() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (0i64..1_000_000_000, 0u32..=2).prop_map(|(n, s)| Decimal::new(n, s)),
        (1i64..100_000).prop_map(|n| Decimal::from(n * 10_000)),
        (1i64..100_000).prop_map(|n| Decimal::from(n * 100)),
    ]
}

/// A percentage as a fraction: 12.5% = 0.125.
fn percent_s() -> impl Strategy<Value = Decimal> {
    (0i64..20_000, 2u32..=3).prop_map(|(n, s)| Decimal::new(n, s))
}

fn unit_s() -> impl Strategy<Value = DurationUnit> {
    prop_oneof![
        Just(DurationUnit::Years),
        Just(DurationUnit::Months),
        Just(DurationUnit::Days)
    ]
}

fn duration_s() -> impl Strategy<Value = Duration> {
    (0u32..1000, unit_s()).prop_map(|(amount, unit)| Duration {
        amount,
        unit,
        span: sp(),
    })
}

fn date_s() -> impl Strategy<Value = chrono::NaiveDate> {
    (1990i32..2100, 1u32..=365).prop_map(|(y, d)| chrono::NaiveDate::from_yo_opt(y, d).unwrap())
}

/// Literals that may stand where `bound_value` is expected (level conditions).
fn bound_lit_s() -> impl Strategy<Value = Literal> {
    prop_oneof![
        number_s().prop_map(Literal::Number),
        money_s().prop_map(Literal::Money),
        percent_s().prop_map(Literal::Percent),
        number_s().prop_map(Literal::Multiple),
        (0u32..100, unit_s()).prop_map(|(n, u)| Literal::Duration(n, u)),
    ]
}

fn literal_s() -> impl Strategy<Value = Literal> {
    prop_oneof![
        4 => bound_lit_s(),
        1 => any::<bool>().prop_map(Literal::Bool),
        1 => date_s().prop_map(Literal::Date),
        1 => text_value_s().prop_map(Literal::Text),
    ]
}

fn ex(kind: ExprKind) -> Expr {
    Expr { kind, span: sp() }
}

fn lit_expr(l: Literal) -> Expr {
    ex(ExprKind::Lit(l))
}

fn binop_s() -> impl Strategy<Value = BinOp> {
    prop::sample::select(vec![
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::Div,
        BinOp::Eq,
        BinOp::Ne,
        BinOp::Lt,
        BinOp::Le,
        BinOp::Gt,
        BinOp::Ge,
        BinOp::And,
        BinOp::Or,
    ])
}

fn expr_s() -> BoxedStrategy<Expr> {
    let leaf = prop_oneof![
        literal_s().prop_map(lit_expr),
        ident_s().prop_map(|i| ex(ExprKind::Name(i))),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            1 => inner.clone().prop_map(|e| ex(ExprKind::Neg(Box::new(e)))),
            1 => inner.clone().prop_map(|e| ex(ExprKind::Not(Box::new(e)))),
            3 => (binop_s(), inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| ex(ExprKind::Binary(op, Box::new(a), Box::new(b)))),
            1 => (inner.clone(), idents_s(1, 3))
                .prop_map(|(e, set)| ex(ExprKind::In(Box::new(e), set))),
            1 => (inner.clone(), inner.clone(), inner.clone()).prop_map(|(c, a, b)| ex(
                ExprKind::If(Box::new(c), Box::new(a), Box::new(b))
            )),
            1 => (ident_s(), prop::collection::vec(inner, 0..3))
                .prop_map(|(n, args)| ex(ExprKind::Call(n, args))),
        ]
    })
    .boxed()
}

fn opt_expr() -> impl Strategy<Value = Option<Expr>> {
    prop::option::of(expr_s())
}

fn exprs(max: usize) -> impl Strategy<Value = Vec<Expr>> {
    prop::collection::vec(expr_s(), 0..=max)
}

fn texts(max: usize) -> impl Strategy<Value = Vec<Text>> {
    prop::collection::vec(text_s(), 0..=max)
}

fn prim_type_s() -> impl Strategy<Value = TypeExpr> {
    prop::sample::select(vec![
        TypeExpr::Bool,
        TypeExpr::Number,
        TypeExpr::Integer,
        TypeExpr::Money,
        TypeExpr::Percent,
        TypeExpr::Multiple,
        TypeExpr::Date,
        TypeExpr::Duration,
    ])
}

fn header_s() -> impl Strategy<Value = Header> {
    let effective = prop::option::of((date_s(), prop::option::of(date_s()))).prop_map(|e| {
        e.map(|(from, to)| Effective {
            from: Date {
                date: from,
                span: sp(),
            },
            to: to.map(|date| Date { date, span: sp() }),
            span: sp(),
        })
    });
    let boundary = prop::option::of(prop::sample::select(vec![
        Boundary::BelowExclusive,
        Boundary::BothInclusive,
        Boundary::BothExclusive,
    ]))
    .prop_map(|b| b.map(|b| (b, sp())));
    let rounding = prop::option::of((
        prop::sample::select(vec![
            ("分", Decimal::new(1, 2)),
            ("角", Decimal::new(1, 1)),
            ("元", Decimal::ONE),
            ("十元", Decimal::from(10)),
            ("百元", Decimal::from(100)),
            ("千元", Decimal::from(1000)),
            ("万元", Decimal::from(10000)),
        ]),
        prop::sample::select(vec![
            RoundingMode::HalfUp,
            RoundingMode::Down,
            RoundingMode::Up,
            RoundingMode::HalfEven,
        ]),
    ))
    .prop_map(|r| {
        r.map(|((label, unit), mode)| Rounding {
            unit,
            unit_label: label.into(),
            mode,
            span: sp(),
        })
    });
    (
        ident_s(),
        (
            opt_text(),
            opt_text(),
            opt_text(),
            opt_text(),
            opt_text(),
            opt_text(),
        ),
        effective,
        prop::option::of(ident_s()),
        boundary,
        rounding,
    )
        .prop_map(
            |(
                name,
                (document, authority, jurisdiction, version, choice_of_law, one_fine),
                effective,
                extends,
                boundary,
                rounding,
            )| Header {
                name,
                document,
                authority,
                jurisdiction,
                version,
                effective,
                extends,
                boundary,
                rounding,
                choice_of_law,
                one_fine,
                span: sp(),
            },
        )
}

fn fact_s() -> impl Strategy<Value = Item> {
    let ty = prop_oneof![
        4 => prim_type_s(),
        1 => idents_s(1, 4).prop_map(TypeExpr::Enum),
    ];
    let default = prop::option::of(prop_oneof![
        literal_s().prop_map(lit_expr),
        ident_s().prop_map(|i| ex(ExprKind::Name(i))),
    ]);
    (ident_s(), ty, opt_text(), default).prop_map(|(name, ty, label, default)| {
        Item::Fact(FactDecl {
            name,
            ty,
            label,
            default,
            span: sp(),
        })
    })
}

fn derived_s() -> impl Strategy<Value = Item> {
    (ident_s(), prim_type_s(), expr_s(), opt_text()).prop_map(|(name, ty, expr, label)| {
        Item::Derived(DerivedDecl {
            name,
            ty,
            expr,
            label,
            span: sp(),
        })
    })
}

fn factor_lit_s() -> impl Strategy<Value = Expr> {
    prop_oneof![
        percent_s().prop_map(|d| lit_expr(Literal::Percent(d))),
        number_s().prop_map(|d| lit_expr(Literal::Multiple(d))),
    ]
}

fn fine_s() -> impl Strategy<Value = FineClause> {
    let shape = prop_oneof![
        (expr_s(), expr_s()).prop_map(|(min, max)| FineShape::Bounds { min, max }),
        expr_s().prop_map(|max| FineShape::MaxOnly { max }),
        (
            ident_s(),
            factor_lit_s(),
            factor_lit_s(),
            prop::option::of((expr_s(), expr_s()))
        )
            .prop_map(|(base, low, high, floor)| FineShape::OfBase {
                base,
                low,
                high,
                floor
            }),
        (
            expr_s(),
            expr_s(),
            ident_s(),
            prop::option::of(prop::sample::select(vec!["平方米", "米", "吨"]))
        )
            .prop_map(|(min, max, count, unit)| FineShape::PerOccurrence {
                min,
                max,
                count,
                unit: unit.map(str::to_string)
            }),
    ];
    (opt_expr(), shape).prop_map(|(when, shape)| FineClause {
        when,
        shape,
        span: sp(),
    })
}

fn measure_s() -> impl Strategy<Value = Measure> {
    let word = prop::collection::vec(
        prop::sample::select(
            "责令停止建设恢复原状没收违法所得关闭\"“”「"
                .chars()
                .collect::<Vec<_>>(),
        ),
        1..5,
    )
    .prop_map(|cs| cs.into_iter().collect::<String>());
    (any::<bool>(), word, prop::option::of(name_s())).prop_map(|(optional, w, more)| Measure {
        optional,
        text: match more {
            Some(m) => format!("{w} {m}"),
            None => w,
        },
        span: sp(),
    })
}

fn range_end(value: Literal, kind: EndKind) -> Option<RangeEnd> {
    Some(RangeEnd {
        value,
        kind,
        span: sp(),
    })
}

fn level_cond_s() -> impl Strategy<Value = LevelCond> {
    prop_oneof![
        expr_s().prop_map(LevelCond::When),
        Just(LevelCond::Otherwise),
        any::<bool>().prop_map(LevelCond::Bool),
        idents_s(1, 3).prop_map(LevelCond::Variants),
        bound_lit_s().prop_map(|l| LevelCond::Exact(l, sp())),
        bound_lit_s().prop_map(|l| LevelCond::Range {
            low: range_end(l, EndKind::Above),
            high: None
        }),
        bound_lit_s().prop_map(|l| LevelCond::Range {
            low: None,
            high: range_end(l, EndKind::Below)
        }),
        (bound_lit_s(), bound_lit_s()).prop_map(|(a, b)| LevelCond::Range {
            low: range_end(a, EndKind::Above),
            high: range_end(b, EndKind::Below)
        }),
        (
            bound_lit_s(),
            prop::sample::select(vec![EndKind::Ge, EndKind::Gt])
        )
            .prop_map(|(l, k)| LevelCond::Range {
                low: range_end(l, k),
                high: None
            }),
        (
            bound_lit_s(),
            prop::sample::select(vec![EndKind::Le, EndKind::Lt])
        )
            .prop_map(|(l, k)| LevelCond::Range {
                low: None,
                high: range_end(l, k)
            }),
    ]
}

fn factor_s() -> impl Strategy<Value = Factor> {
    let level = (
        level_cond_s(),
        prop_oneof![
            percent_s().prop_map(LevelValue::Percent),
            number_s().prop_map(LevelValue::Score),
        ],
    )
        .prop_map(|(cond, value)| Level {
            cond,
            value,
            span: sp(),
        });
    (
        ident_s(),
        opt_text(),
        prop::option::of(percent_s()),
        prop::collection::vec(level, 1..7),
    )
        .prop_map(|(name, label, weight, levels)| Factor {
            name,
            label,
            weight: weight.map(|w| (w, sp())),
            levels,
            span: sp(),
        })
}

fn limit_s() -> impl Strategy<Value = Limit> {
    (percent_s(), opt_expr(), opt_text()).prop_map(|(value, when, note)| Limit {
        value,
        when,
        note,
        span: sp(),
    })
}

fn discretion_s() -> impl Strategy<Value = Discretion> {
    let additive = (
        any::<bool>(),
        opt_expr(),
        percent_s(),
        prop::collection::vec(factor_s(), 0..3),
        prop::collection::vec(limit_s(), 0..2),
        prop::collection::vec(limit_s(), 0..2),
    )
        .prop_map(|(within, base, start, factors, caps, floors)| {
            Discretion::Additive(Additive {
                within,
                base,
                start: (start, sp()),
                factors,
                caps,
                floors,
                span: sp(),
            })
        });
    let band =
        (ident_s(), opt_expr(), expr_s(), expr_s()).prop_map(|(name, when, low, high)| Band {
            name,
            when,
            low,
            high,
            span: sp(),
        });
    let bands = prop::collection::vec(band, 1..4).prop_map(|b| Discretion::Bands(b, sp()));
    prop_oneof![additive, bands]
}

fn exemption_s() -> impl Strategy<Value = Exemption> {
    let effect = prop::option::of(prop::sample::select(vec![
        ExemptionEffect::NoPenalty,
        ExemptionEffect::MayExempt,
        ExemptionEffect::NotApplicable,
    ]));
    (
        ident_s(),
        opt_text(),
        prop::option::of(ident_s()),
        effect,
        exprs(2),
        texts(2),
        idents_s(0, 2),
    )
        .prop_map(|(name, label, kind, effect, when, basis, overrides)| {
            let mut effect = effect.map(|e| (e, sp()));
            if kind.is_none()
                && effect.is_none()
                && when.is_empty()
                && basis.is_empty()
                && overrides.is_empty()
            {
                effect = Some((ExemptionEffect::NoPenalty, sp()));
            }
            Exemption {
                name,
                label,
                kind,
                effect,
                when,
                basis,
                overrides,
                span: sp(),
            }
        })
}

fn effect_s() -> impl Strategy<Value = Effect> {
    let op = prop_oneof![
        (percent_s(), prop::option::of(percent_s())).prop_map(|(a, b)| EffectOp::LowerBy(a, b)),
        (percent_s(), prop::option::of(percent_s())).prop_map(|(a, b)| EffectOp::RaiseBy(a, b)),
        (expr_s(), opt_expr()).prop_map(|(a, b)| EffectOp::Minus(a, b)),
        (expr_s(), opt_expr()).prop_map(|(a, b)| EffectOp::Plus(a, b)),
        (expr_s(), expr_s()).prop_map(|(a, b)| EffectOp::SetTo(a, b)),
        Just(EffectOp::TakeLow),
        Just(EffectOp::TakeHigh),
    ];
    (op, opt_expr()).prop_map(|(op, recommend)| Effect {
        op,
        recommend,
        span: sp(),
    })
}

fn adjustment_s() -> impl Strategy<Value = Adjustment> {
    let kind = prop::sample::select(vec![
        AdjustKind::Mitigate,
        AdjustKind::Reduce,
        AdjustKind::Aggravate,
    ]);
    let combine = prop::option::of(prop::sample::select(vec![
        Combine::Sequential,
        Combine::MostFavourable,
        Combine::Heaviest,
        Combine::OfficerChoice,
    ]));
    (
        ident_s(),
        opt_text(),
        kind,
        exprs(2),
        texts(2),
        idents_s(0, 2),
        prop::collection::vec(code_s(), 0..3),
        prop::option::of(effect_s()),
        combine,
    )
        .prop_map(
            |(name, label, kind, when, basis, overrides, excludes, effect, combine)| {
                let mut effect = effect;
                if when.is_empty()
                    && basis.is_empty()
                    && overrides.is_empty()
                    && effect.is_none()
                    && combine.is_none()
                {
                    effect = Some(Effect {
                        op: EffectOp::TakeLow,
                        recommend: None,
                        span: sp(),
                    });
                }
                Adjustment {
                    name,
                    label,
                    kind: (kind, sp()),
                    when,
                    basis,
                    overrides,
                    excludes,
                    effect,
                    combine: combine.map(|c| (c, sp())),
                    span: sp(),
                }
            },
        )
}

fn limitation_s() -> impl Strategy<Value = Limitation> {
    (
        duration_s(),
        opt_text(),
        text_s(),
        prop::collection::vec((expr_s(), duration_s()), 0..3),
    )
        .prop_map(|(period, from, basis, cases)| Limitation {
            period,
            from,
            basis,
            cases,
            span: sp(),
        })
}

fn fallback_s() -> impl Strategy<Value = Item> {
    (
        prop::option::of(percent_s()),
        prop::option::of(percent_s()),
        prop::option::of(percent_s()),
        text_s(),
    )
        .prop_map(|(o, m, a, basis)| {
            let o = if o.is_none() && m.is_none() && a.is_none() {
                Some(Decimal::new(5, 1))
            } else {
                o
            };
            Item::Fallback(Fallback {
                ordinary: o.map(|d| (d, sp())),
                mitigated: m.map(|d| (d, sp())),
                aggravated: a.map(|d| (d, sp())),
                basis,
                span: sp(),
            })
        })
}

fn criterion_s() -> impl Strategy<Value = Criterion> {
    (ident_s(), opt_text(), expr_s()).prop_map(|(name, label, when)| Criterion {
        name,
        label,
        when,
        span: sp(),
    })
}

fn criteria(min: usize, max: usize) -> impl Strategy<Value = Vec<Criterion>> {
    prop::collection::vec(criterion_s(), min..=max)
}

fn positive_list_s() -> impl Strategy<Value = Item> {
    let value = prop_oneof![
        literal_s().prop_map(lit_expr),
        ident_s().prop_map(|i| ex(ExprKind::Name(i))),
    ];
    let measures = (
        any::<bool>(),
        opt_expr(),
        prop::collection::vec((ident_s(), prop::option::of(value)), 1..4),
    )
        .prop_map(|(listed, when, items)| ListMeasures {
            listed,
            when,
            items,
            span: sp(),
        });
    (
        (ident_s(), opt_text(), texts(2)),
        (
            prop::option::of(duration_s()),
            prop::option::of(duration_s()),
        ),
        (
            criteria(0, 2),
            prop::option::of((0u32..5, criteria(1, 3))),
            criteria(0, 2),
            criteria(0, 2),
        ),
        prop::collection::vec(measures, 0..3),
    )
        .prop_map(
            |(
                (name, label, basis),
                (validity, reentry_ban),
                (basic, screening, exclusions, removals),
                measures,
            )| {
                Item::PositiveList(PositiveList {
                    name,
                    label,
                    basis,
                    validity,
                    reentry_ban,
                    basic,
                    screening,
                    exclusions,
                    removals,
                    measures,
                    span: sp(),
                })
            },
        )
}

fn violation_s(refine: bool) -> impl Strategy<Value = Item> {
    let title = if refine {
        opt_text().boxed()
    } else {
        text_s().prop_map(Some).boxed()
    };
    (
        (code_s(), title, opt_text(), texts(2), opt_text()),
        (
            prop::collection::vec(fine_s(), 0..3),
            prop::collection::vec(measure_s(), 0..3),
            opt_text(),
            (opt_text(), opt_text(), opt_expr()),
        ),
        prop::option::of(discretion_s()),
        (
            prop::collection::vec(exemption_s(), 0..2),
            prop::collection::vec(adjustment_s(), 0..2),
            prop::option::of(limitation_s()),
        ),
    )
        .prop_map(
            move |(
                (code, title, violates, basis, source),
                (fines, measures, daily, (succeeds, not_illegal, not_illegal_when)),
                discretion,
                (exemptions, adjustments, limitation),
            )| {
                let v = Violation {
                    code,
                    title,
                    violates,
                    basis,
                    source,
                    succeeds,
                    not_illegal_when: not_illegal.as_ref().and(not_illegal_when),
                    not_illegal,
                    fines,
                    measures,
                    daily,
                    discretion,
                    exemptions,
                    adjustments,
                    limitation,
                    span: sp(),
                };
                if refine {
                    Item::Refine(v)
                } else {
                    Item::Violation(v)
                }
            },
        )
}

/// A valid program. Items that begin with a violation clause keyword (免罚, 调整, 时效) would
/// be read as part of a violation right before them, so they come first.
fn program_s() -> impl Strategy<Value = File> {
    let before = prop_oneof![
        fact_s(),
        derived_s(),
        fallback_s(),
        exemption_s().prop_map(Item::Exemption),
        adjustment_s().prop_map(Item::Adjustment),
        limitation_s().prop_map(Item::Limitation),
        positive_list_s(),
    ];
    let after = prop_oneof![
        3 => violation_s(false),
        1 => violation_s(true),
        1 => fact_s(),
        1 => derived_s(),
        1 => fallback_s(),
        1 => positive_list_s(),
    ];
    (
        header_s(),
        prop::collection::vec(before, 0..4),
        prop::collection::vec(after, 0..3),
    )
        .prop_map(|(header, mut items, after)| {
            items.extend(after);
            File {
                header,
                items,
                comments: Vec::new(),
            }
        })
}

#[test]
fn generated_programs_round_trip() {
    check(CASES, program_s, |file| {
        let src = format_file(&file);
        let back = parse(0, &src)
            .map_err(|e| TestCaseError::fail(format!("printed program fails: {e:?}\n{src}")))?;
        prop_assert_eq!(&back, &file, "tree changed:\n{}", src);
        prop_assert_eq!(format_file(&back), src.clone());
        prop_assert_eq!(format_parsed(&back, &src), src);
        Ok(())
    });
}

fn comment_text_s() -> impl Strategy<Value = String> {
    let chars: Vec<char> = "注释 a#\"“「（若：，1".chars().collect();
    prop::collection::vec(prop::sample::select(chars), 0..10)
        .prop_map(|cs| cs.into_iter().collect())
}

/// Put comments on lines of their own and at the ends of lines of a printed program.
/// Returns the text and, for each comment in order, whether it trails code.
fn sprinkle(
    src: &str,
    own: &[(usize, usize, String)],
    trailing: &[(usize, String)],
) -> (String, Vec<bool>) {
    let lines: Vec<&str> = src.lines().collect();
    let n = lines.len() + 1;
    let mut out = String::new();
    let mut flags = Vec::new();
    for (i, line) in lines.iter().chain(std::iter::once(&"")).enumerate() {
        for (at, indent, text) in own {
            if at % n == i {
                out.push_str(&" ".repeat(*indent));
                out.push('#');
                out.push_str(text);
                out.push('\n');
                flags.push(false);
            }
        }
        out.push_str(line);
        if !line.trim().is_empty() {
            if let Some((_, text)) = trailing.iter().find(|(at, _)| at % n == i) {
                out.push_str(" #");
                out.push_str(text);
                flags.push(true);
            }
        }
        out.push('\n');
    }
    (out, flags)
}

/// For each comment of `file` (parsed from `src`), whether code precedes it on its line.
fn trailing_flags(src: &str, file: &File) -> Vec<bool> {
    file.comments
        .iter()
        .map(|c| {
            let before = &src[..c.span.start as usize];
            let line = before.rsplit('\n').next().unwrap_or("");
            !line.trim().is_empty()
        })
        .collect()
}

#[test]
fn generated_programs_with_comments_round_trip() {
    let build = || {
        (
            program_s(),
            prop::collection::vec((0usize..200, 0usize..6, comment_text_s()), 0..6),
            prop::collection::vec((0usize..200, comment_text_s()), 0..6),
        )
    };
    check(CASES, build, |(file, own, trailing)| {
        let (src, flags) = sprinkle(&format_file(&file), &own, &trailing);
        let with = parse(0, &src)
            .map_err(|e| TestCaseError::fail(format!("commented program fails: {e:?}\n{src}")))?;
        prop_assert_eq!(with.comments.len(), flags.len());
        prop_assert_eq!(&with.items, &file.items);
        let (canon, back) = assert_round_trip(&src, &with)?;
        // Trailing comments stay trailing, comments on their own line stay there.
        prop_assert_eq!(
            trailing_flags(&canon, &back),
            flags,
            "source:\n{}\nformatted:\n{}",
            src,
            canon
        );
        Ok(())
    });
}

// ───────────────────────────── (c) never panic ─────────────────────────────

fn no_panic(src: &str) -> Result<(), TestCaseError> {
    match parse(0, src) {
        Ok(file) => assert_round_trip(src, &file).map(|_| ()),
        Err(e) => {
            let _ = e.to_diagnostic();
            prop_assert!(format_source(src).is_err());
            Ok(())
        }
    }
}

#[test]
fn arbitrary_strings_never_panic() {
    check(CASES, any::<String>, |s| no_panic(&s));
    check(CASES, || "\\PC*", |s: String| no_panic(&s));
    check(
        CASES,
        || "规则集 [甲乙] [\\PC\\n]{0,80}",
        |s: String| no_panic(&s),
    );
}

/// Words and marks of the language, to build near-miss programs from.
const TOKENS: &[&str] = &[
    "规则集",
    "文号",
    "发布机关",
    "辖区",
    "版本",
    "生效",
    "至",
    "继承",
    "边界",
    "取整",
    "事实",
    "推导",
    "默认",
    "违法行为",
    "细化",
    "违反",
    "依据",
    "出处",
    "罚款",
    "的",
    "以下",
    "以上",
    "每次",
    "次数",
    "基数不足",
    "按",
    "计",
    "当",
    "并处",
    "可以",
    "按日连续处罚",
    "裁量",
    "权重累加",
    "分档",
    "基数",
    "起点",
    "因素",
    "权重",
    "上限",
    "下限",
    "档",
    "其他",
    "缺省裁量",
    "免罚",
    "类别",
    "不予处罚",
    "可以不予处罚",
    "不适用",
    "优先于",
    "调整",
    "从轻",
    "减轻",
    "从重",
    "降低",
    "提高",
    "减少",
    "增加",
    "降至",
    "取",
    "低端",
    "高端",
    "推荐",
    "合并",
    "依次",
    "择一从轻",
    "时效",
    "自",
    "正面清单",
    "有效期",
    "禁入期",
    "基本条件",
    "筛选条件",
    "至少",
    "排除",
    "移出",
    "条件",
    "措施",
    "已纳入",
    "未纳入",
    "且",
    "或",
    "非",
    "属于",
    "若",
    "则",
    "否则",
    "是",
    "否",
    "一般",
    "金额",
    "数值",
    "整数",
    "是否",
    "以下不含本数，以上含本数",
    "元",
    "四舍五入",
    "ruleset",
    "fact",
    "violation",
    "fine",
    "to",
    "when",
    "and",
    "not",
    "if",
    "then",
    "else",
    "甲",
    "乙",
    "丙",
    "EIA-1",
    "A",
    "1",
    "2.5",
    "10万元",
    "5%",
    "3倍",
    "2年",
    "6个月",
    "2024-01-01",
    "\"文字\"",
    "“引”",
    "「号」",
    "\"",
    "：",
    ":",
    "，",
    ",",
    "；",
    ";",
    "（",
    "(",
    "）",
    ")",
    "｛",
    "{",
    "｝",
    "}",
    "=",
    "＝",
    "+",
    "-",
    "×",
    "÷",
    "/",
    "<",
    ">",
    "≤",
    "≥",
    "≠",
    "%",
    "#",
    "# 注释\n",
    "\n",
    "\n  ",
    " ",
    "\u{3000}",
];

fn soup_s() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(TOKENS), 0..40),
        prop::collection::vec(any::<bool>(), 40),
    )
        .prop_map(|(toks, spaces)| {
            let mut s = String::from("规则集 测试\n");
            for (t, gap) in toks.iter().zip(spaces.iter().cycle()) {
                s.push_str(t);
                if *gap {
                    s.push(' ');
                }
            }
            s
        })
}

#[test]
fn token_soup_never_panics() {
    check(CASES * 4, soup_s, |s| no_panic(&s));
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    /// Join a line with the next one.
    Join(usize),
    /// Break a line at one of its spaces.
    Break(usize, usize),
}

fn edit_s() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => (0usize..400).prop_map(Edit::Delete),
        1 => (0usize..400).prop_map(Edit::Duplicate),
        1 => (0usize..400, 0usize..400).prop_map(|(a, b)| Edit::Swap(a, b)),
        2 => (0usize..400).prop_map(Edit::Join),
        2 => (0usize..400, 0usize..20).prop_map(|(a, b)| Edit::Break(a, b)),
    ]
}

fn apply(src: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = src.lines().map(String::from).collect();
    for e in edits {
        let n = lines.len();
        if n < 2 {
            break;
        }
        match *e {
            Edit::Delete(i) => {
                lines.remove(i % n);
            }
            Edit::Duplicate(i) => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Edit::Swap(a, b) => lines.swap(a % n, b % n),
            Edit::Join(i) => {
                let i = i % (n - 1);
                let next = lines.remove(i + 1);
                lines[i] = format!("{} {}", lines[i], next.trim_start());
            }
            Edit::Break(i, k) => {
                let i = i % n;
                let spaces: Vec<usize> = lines[i].match_indices(' ').map(|(j, _)| j).collect();
                if let Some(&j) = spaces.get(k % spaces.len().max(1)) {
                    let rest = lines[i].split_off(j);
                    lines.insert(i + 1, format!("      {}", rest.trim_start()));
                }
            }
        }
    }
    lines.join("\n")
}

/// Valid programs with lines deleted, duplicated, swapped, joined and broken: whatever still
/// parses (clauses out of canonical order, one clause over several lines, several on one
/// line, comments in odd places) must format to the same tree, idempotently.
#[test]
fn edited_programs_round_trip() {
    let build = || {
        (
            program_s(),
            prop::collection::vec((0usize..200, 0usize..6, comment_text_s()), 0..4),
            prop::collection::vec((0usize..200, comment_text_s()), 0..4),
            prop::collection::vec(edit_s(), 1..6),
        )
    };
    check(CASES, build, |(file, own, trailing, edits)| {
        let (src, _) = sprinkle(&format_file(&file), &own, &trailing);
        let edited = apply(&src, &edits);
        if let Ok(f) = parse(0, &edited) {
            assert_round_trip(&edited, &f)
                .map_err(|e| TestCaseError::fail(format!("{e}\nedited source:\n{edited}")))?;
        }
        Ok(())
    });
}

#[test]
fn edited_rulesets_round_trip() {
    check(
        CASES,
        || {
            (
                prop::sample::select(shipped_pieces()),
                prop::collection::vec(edit_s(), 1..5),
            )
        },
        |(piece, edits)| {
            let edited = apply(&piece, &edits);
            if let Ok(f) = parse(0, &edited) {
                assert_round_trip(&edited, &f)
                    .map_err(|e| TestCaseError::fail(format!("{e}\nedited:\n{edited}")))?;
            }
            Ok(())
        },
    );
}

/// Pieces of the shipped rulesets cut at any character, and with a middle slice cut out:
/// never a panic, and whatever still parses round-trips.
#[test]
fn truncated_rulesets_never_panic() {
    let build = || {
        (
            prop::sample::select(shipped_pieces()),
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
        )
    };
    check(CASES * 2, build, |(piece, cut, resume)| {
        let bounds: Vec<usize> = piece.char_indices().map(|(i, _)| i).collect();
        let i = *cut.get(&bounds);
        no_panic(&piece[..i])?;
        let j = *resume.get(&bounds);
        if j > i {
            no_panic(&format!("{}{}", &piece[..i], &piece[j..]))?;
        }
        Ok(())
    });
}

/// Every cut point of one whole small ruleset.
#[test]
fn every_prefix_of_a_ruleset_never_panics() {
    big_stack(|| {
        let (path, src) = shipped().into_iter().min_by_key(|(_, s)| s.len()).unwrap();
        for (i, _) in src.char_indices() {
            if let Ok(file) = parse(0, &src[..i]) {
                let printed = format_file(&file);
                let back = parse(0, &printed)
                    .unwrap_or_else(|e| panic!("{} cut at {i}: {e:?}", path.display()));
                assert_eq!(back, file, "{} cut at {i}", path.display());
            }
        }
    });
}

// ───────────────────────────── (d) punctuation twins ─────────────────────────────

/// Apply `f` to every character outside strings and comments; on a 并处 line only the
/// separators `；` / `;` are punctuation (the rest is free text).
fn map_punct(src: &str, mut f: impl FnMut(char, Option<char>) -> String) -> String {
    let mut out = String::new();
    for line in src.split_inclusive('\n') {
        let t = line.trim_start();
        let measures = t.starts_with("并处") || t.starts_with("measures");
        let mut close: Option<char> = None;
        let mut comment = false;
        let chars: Vec<char> = line.chars().collect();
        for (k, &c) in chars.iter().enumerate() {
            let next = chars.get(k + 1).copied();
            if comment {
                out.push(c);
                continue;
            }
            if let Some(q) = close {
                if c == q {
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
            if close.is_some() || comment || (measures && !matches!(c, ';' | '；')) {
                out.push(c);
            } else {
                out.push_str(&f(c, next));
            }
        }
    }
    out
}

fn to_ascii(src: &str) -> String {
    map_punct(src, |c, _| {
        match c {
            '：' => ":",
            '，' | '、' => ",",
            '；' => ";",
            '（' => "(",
            '）' => ")",
            '｛' => "{",
            '｝' => "}",
            '＝' => "=",
            '％' => "%",
            '＞' => ">",
            '＜' => "<",
            '＋' => "+",
            '×' => "*",
            '÷' => "/",
            '≥' => ">=",
            '≤' => "<=",
            '≠' => "!=",
            '\u{3000}' => " ",
            other => return other.to_string(),
        }
        .to_string()
    })
}

/// Swap ASCII punctuation for its full-width twin where `flips` says so.
fn to_full_width(src: &str, flips: &[bool]) -> String {
    let mut k = 0usize;
    let mut prev = '\0';
    map_punct(src, |c, next| {
        let twin = match c {
            ':' => Some('：'),
            ',' => Some(['、', '，', '，'][k % 3]),
            ';' => Some('；'),
            '(' => Some('（'),
            ')' => Some('）'),
            '{' => Some('｛'),
            '}' => Some('｝'),
            '%' => Some('％'),
            '+' => Some('＋'),
            '=' if !matches!(prev, '<' | '>' | '!') => Some('＝'),
            '>' | '<' if next != Some('=') => Some(if c == '>' { '＞' } else { '＜' }),
            ' ' => Some('\u{3000}'),
            _ => None,
        };
        prev = c;
        match twin {
            Some(t) if flips.is_empty() || flips[k % flips.len()] => {
                k += 1;
                t.to_string()
            }
            Some(_) => {
                k += 1;
                c.to_string()
            }
            None => c.to_string(),
        }
    })
}

#[test]
fn punctuation_twins_give_equal_trees() {
    let build = || (program_s(), prop::collection::vec(any::<bool>(), 1..16));
    check(CASES, build, |(file, flips)| {
        let canon = format_file(&file);
        let ascii = to_ascii(&canon);
        let a = parse(0, &ascii)
            .map_err(|e| TestCaseError::fail(format!("ASCII version fails: {e:?}\n{ascii}")))?;
        prop_assert_eq!(&a, &file, "ASCII punctuation changed the tree:\n{}", ascii);
        let mixed = to_full_width(&ascii, &flips);
        let m = parse(0, &mixed)
            .map_err(|e| TestCaseError::fail(format!("mixed version fails: {e:?}\n{mixed}")))?;
        prop_assert_eq!(&m, &file, "mixed punctuation changed the tree:\n{}", mixed);
        prop_assert_eq!(format_parsed(&m, &mixed), canon);
        Ok(())
    });
}
