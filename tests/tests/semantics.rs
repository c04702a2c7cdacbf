//! One test per semantic rule of the engine (issue: the engine), with the worked examples of
//! research-notes §4 where they exist.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cailiang_engine::Outcome;
use cailiang_tests::{decide, ruleset};

const BASE: &str = r#"
规则集 测试
  生效 2020-01-01
  边界 以下不含本数，以上含本数
事实 总投资额：金额
事实 处置费用：金额
事实 违法次数：整数
事实 逾期不改正：是否 默认 否
事实 超标倍数：数值
事实 轻微：是否 默认 否
事实 改正：是否
事实 首次：是否 默认 否
事实 道歉：是否 默认 否
事实 胁迫：是否 默认 否
事实 未成年：是否 默认 否

免罚 轻微不罚 "违法行为轻微并及时改正"
  类别 轻微 不予处罚 当 轻微 当 改正 依据 "行政处罚法第三十三条第一款"
免罚 首违 "初次违法"
  类别 首违 可以不予处罚 当 首次 当 改正 依据 "行政处罚法第三十三条第一款"
调整 道歉从轻 "道歉承诺" 从轻 当 道歉 依据 "粤环发〔2021〕7号第十四条" 降低 30% 至 50%
调整 胁迫减轻 "受胁迫" 减轻 当 胁迫 依据 "第三十二条" 降至 法定最低额 × 50% 至 法定最低额
时效 2年 依据 "行政处罚法第三十六条"

违法行为 BOUNDS "幅度" 依据 "甲法" 罚款 10万元 至 100万元
违法行为 MAXONLY "仅上限" 依据 "乙法" 罚款 5万元 以下
违法行为 SHARE "比例" 依据 "环评法31" 罚款 总投资额 的 1% 至 5%
违法行为 MULT "倍数" 依据 "固废法112" 罚款 处置费用 的 3倍 至 5倍，基数不足 20万元 按 20万元 计
违法行为 PEROCC "每次" 依据 "条例37" 罚款 每次 5000元 至 2万元，次数 违法次数
违法行为 ESC "逾期" 依据 "条例23"
  罚款 20万元 至 100万元
  罚款 当 逾期不改正：100万元 至 200万元
违法行为 TABLE "超标" 依据 "水法83" 按日连续处罚 依据 "环保法第五十九条"
  罚款 10万元 至 100万元
  裁量 权重累加
    起点 7%
    因素 超标倍数：3以下 5%，3以上8以下 8%，8以上20以下 15%，20以上 23%
    上限 20% 当 改正 "主动改正的，上限 20%"
"#;

/// The base rules, compiled once: decisions borrow their ruleset's text.
fn rs() -> &'static cailiang_engine::Ruleset {
    static RS: std::sync::OnceLock<cailiang_engine::Ruleset> = std::sync::OnceLock::new();
    RS.get_or_init(|| ruleset(&[BASE]).expect("ruleset"))
}

fn case(code: &str, facts: &str) -> String {
    format!("violation: {code}\noccurred_on: 2024-03-01\ndiscovered_on: 2024-04-01\ndecided_on: 2024-06-01\nfacts:\n  改正: false\n{facts}")
}

fn fine(d: &cailiang_engine::Decision) -> (String, String, String) {
    let f = d.fine.as_ref().expect("fine");
    (
        f.min.to_string(),
        f.max.to_string(),
        f.recommended.to_string(),
    )
}

#[test]
fn bounds_without_a_table_take_the_middle() {
    let d = decide(rs(), &case("BOUNDS", "")).unwrap();
    assert_eq!(d.statutory.as_ref().unwrap().min, "100000.00");
    assert_eq!(fine(&d).2, "550000.00");
}

#[test]
fn max_only_fines_start_at_zero() {
    let d = decide(rs(), &case("MAXONLY", "")).unwrap();
    assert_eq!(d.statutory.as_ref().unwrap().min, "0.00");
    assert_eq!(fine(&d).2, "25000.00");
}

#[test]
fn share_of_a_base() {
    let d = decide(rs(), &case("SHARE", "  总投资额: 1000万元\n")).unwrap();
    assert_eq!(d.statutory.as_ref().unwrap().min, "100000.00");
    assert_eq!(d.statutory.as_ref().unwrap().max, "500000.00");
}

#[test]
fn multiples_of_a_floored_base() {
    let d = decide(rs(), &case("MULT", "  处置费用: 5万元\n")).unwrap();
    // 5万 < 20万: counted as 20万; 3–5 倍 = 60万–100万.
    assert_eq!(d.statutory.as_ref().unwrap().min, "600000.00");
    assert_eq!(d.statutory.as_ref().unwrap().max, "1000000.00");
    let d = decide(rs(), &case("MULT", "  处置费用: 30万元\n")).unwrap();
    assert_eq!(d.statutory.as_ref().unwrap().min, "900000.00");
}

#[test]
fn per_occurrence() {
    let d = decide(rs(), &case("PEROCC", "  违法次数: 3\n")).unwrap();
    assert_eq!(d.statutory.as_ref().unwrap().min, "15000.00");
    assert_eq!(d.statutory.as_ref().unwrap().max, "60000.00");
}

#[test]
fn escalation_when_not_corrected() {
    let d = decide(rs(), &case("ESC", "  逾期不改正: true\n")).unwrap();
    assert_eq!(d.statutory.as_ref().unwrap().min, "1000000.00");
    assert_eq!(d.statutory.as_ref().unwrap().max, "2000000.00");
}

#[test]
fn table_below_minimum_is_clamped_to_the_statutory_range() {
    // 水83 超标: 7% + 5% = 12% × 100万 = 12万; but 7% alone … here 超标 2 倍 → 12万 ≥ 10万.
    let d = decide(rs(), &case("TABLE", "  超标倍数: 2\n")).unwrap();
    assert_eq!(
        d.discretion_percent.map(|p| p.to_string()).as_deref(),
        Some("12.00")
    );
    assert_eq!(fine(&d).2, "120000.00");
    // Cap 20% when corrected, and a table giving 7万 would clamp to 10万: cap below the start.
    let d = decide(rs(), &case("TABLE", "  超标倍数: 25\n  道歉: false\n")).unwrap();
    assert_eq!(
        d.discretion_percent.map(|p| p.to_string()).as_deref(),
        Some("30.00")
    );
}

#[test]
fn conditional_cap() {
    let y = "violation: TABLE\noccurred_on: 2024-03-01\nfacts:\n  改正: true\n  超标倍数: 25\n";
    let d = decide(rs(), y).unwrap();
    assert_eq!(
        d.discretion_percent.map(|p| p.to_string()).as_deref(),
        Some("20.00")
    );
}

#[test]
fn missing_factor_fact_takes_the_lowest_level_and_says_so() {
    let d = decide(rs(), &case("TABLE", "")).unwrap();
    assert_eq!(
        d.discretion_percent.map(|p| p.to_string()).as_deref(),
        Some("12.00")
    );
    assert!(d.defaults_used.iter().any(|f| &**f == "超标倍数"));
    assert!(d.factors.iter().any(|f| f.defaulted));
}

#[test]
fn apology_reduction_is_floored_at_the_minimum() {
    // 12万 lowered 30–50% → 6万–8.4万, floored at 10万.
    let d = decide(rs(), &case("TABLE", "  超标倍数: 2\n  道歉: true\n")).unwrap();
    assert_eq!(
        fine(&d),
        ("100000.00".into(), "100000.00".into(), "100000.00".into())
    );
    assert_eq!(d.adjustments[0].kind, "mitigate");
}

/// Guangdong art. 14(二)(三): the apology reduction does not apply to named violations; the
/// decision says so instead of silently ignoring the apology.
#[test]
fn an_adjustment_does_not_apply_to_the_violations_it_excludes() {
    // The rule comes first: after a violation it would be that violation's own.
    let text = "规则集 道歉测试\n事实 道歉：是否 默认 否\n调整 道歉从轻 \"公开道歉\" 从轻\n  当 道歉\n  依据 \"第十四条\"\n  降低 30% 至 50%\n  排除 违法行为 B\n违法行为 A \"a\" 依据 \"x\" 罚款 10万元 至 100万元\n  裁量 权重累加\n    起点 50%\n违法行为 B \"b\" 依据 \"x\" 罚款 10万元 至 100万元\n  裁量 权重累加\n    起点 50%\n";
    let rs = ruleset(&[text]).unwrap();
    let y =
        |code: &str| format!("violation: {code}\noccurred_on: 2024-01-01\nfacts: {{道歉: true}}\n");
    let a = decide(&rs, &y("A")).unwrap();
    assert_eq!(a.adjustments.len(), 1);
    assert_eq!(fine(&a).2, "300000.00");
    let b = decide(&rs, &y("B")).unwrap();
    assert!(b.adjustments.is_empty());
    assert_eq!(fine(&b).2, "500000.00");
    assert!(
        b.explanation
            .iter()
            .any(|l| l.contains("公开道歉：不适用于违法行为 B") && l.contains("第十四条")),
        "{:?}",
        b.explanation
    );
    // Without the apology the rule does not hold, and nothing is said of it.
    let quiet = decide(&rs, "violation: B\noccurred_on: 2024-01-01\n").unwrap();
    assert!(!quiet.explanation.iter().any(|l| l.contains("不适用于")));
}

#[test]
fn reduction_goes_below_the_minimum_only_when_declared() {
    let d = decide(rs(), &case("TABLE", "  超标倍数: 2\n  胁迫: true\n")).unwrap();
    let (min, max, rec) = fine(&d);
    assert_eq!(
        (min.as_str(), max.as_str(), rec.as_str()),
        ("50000.00", "100000.00", "75000.00")
    );
    assert_eq!(d.adjustments[0].kind, "reduce");
}

#[test]
fn mandatory_exemption_means_no_fine() {
    let y = "violation: BOUNDS\noccurred_on: 2024-03-01\nfacts:\n  轻微: true\n  改正: true\n";
    let d = decide(rs(), y).unwrap();
    assert_eq!(d.outcome, Outcome::NoPenalty);
    assert!(d.fine.is_none());
    assert_eq!(d.exemption.as_ref().unwrap().kind, "minor");
}

#[test]
fn discretionary_exemption_keeps_the_fine_that_would_apply() {
    let y = "violation: BOUNDS\noccurred_on: 2024-03-01\nfacts:\n  首次: true\n  改正: true\n";
    let d = decide(rs(), y).unwrap();
    assert_eq!(d.outcome, Outcome::MayExempt);
    assert_eq!(fine(&d).2, "550000.00");
    assert!(!d.exemption.as_ref().unwrap().mandatory);
}

#[test]
fn why_not_names_the_failed_condition() {
    let y = "violation: BOUNDS\noccurred_on: 2024-03-01\nfacts:\n  首次: true\n  改正: false\n";
    let d = decide(rs(), y).unwrap();
    let w = d.why_not.iter().find(|w| w.rule == "首违").unwrap();
    assert_eq!(&*w.failed, "改正");
    assert_eq!(w.status, "false");
}

#[test]
fn limitation_counts_from_the_end_of_a_continuing_act() {
    let y = "violation: BOUNDS\noccurred_on: 2020-01-01\nended_on: 2023-01-01\ndiscovered_on: 2024-06-01\nfacts:\n  改正: false\n";
    assert_eq!(decide(rs(), y).unwrap().outcome, Outcome::Penalty);
    let y = "violation: BOUNDS\noccurred_on: 2020-01-01\ndiscovered_on: 2024-06-01\nfacts:\n  改正: false\n";
    let d = decide(rs(), y).unwrap();
    assert_eq!(d.outcome, Outcome::TimeBarred);
    assert!(d.fine.is_none());
}

#[test]
fn one_act_several_provisions_takes_the_higher_fine() {
    let y = "violation: [MAXONLY, BOUNDS]\noccurred_on: 2024-03-01\nfacts:\n  改正: false\n";
    let d = decide(rs(), y).unwrap();
    assert_eq!(d.violation.code, "BOUNDS");
    assert_eq!(d.candidates.as_ref().unwrap().len(), 2);
    assert!(d.explanation[0].contains("第二十九条"));
}

#[test]
fn daily_continuing_fine_multiplies_by_days() {
    let y = "violation: TABLE\noccurred_on: 2024-03-01\ndaily_penalty: {served_on: 2024-03-01, reinspected_on: 2024-03-10}\nfacts:\n  改正: false\n  超标倍数: 2\n";
    let d = decide(rs(), y).unwrap();
    let daily = d.daily.unwrap();
    assert_eq!(daily.days, 9);
    assert_eq!(daily.total, "1080000.00");
}

#[test]
fn choice_of_law_takes_the_lighter_version() {
    let old = "规则集 法\n  生效 2020-01-01 至 2026-08-14\n违法行为 X \"无证\" 依据 \"旧法\" 罚款 10万元 至 100万元\n";
    let new =
        "规则集 法\n  生效 2026-08-15\n违法行为 X \"无证\" 依据 \"法典\" 罚款 5万元 至 20万元\n";
    let rs = ruleset(&[old, new]).unwrap();
    let y = "violation: X\noccurred_on: 2026-03-01\ndecided_on: 2026-11-01\n";
    let d = decide(&rs, y).unwrap();
    assert_eq!(d.statutory.as_ref().unwrap().max, "200000.00");
    assert_eq!(d.choice_of_law.as_ref().unwrap().applied, "decision");
    // Heavier new law: the old one applies.
    let new2 =
        "规则集 法\n  生效 2026-08-15\n违法行为 X \"无证\" 依据 \"法典\" 罚款 20万元 至 100万元\n";
    let rs = ruleset(&[old, new2]).unwrap();
    let d = decide(&rs, y).unwrap();
    assert_eq!(d.statutory.as_ref().unwrap().min, "100000.00");
    assert_eq!(d.choice_of_law.as_ref().unwrap().applied, "act");
}

#[test]
fn choice_of_law_explains_both_provisions_and_cites_the_newer_rule() {
    let old = "规则集 法\n  生效 2020-01-01 至 2026-08-14\n违法行为 X \"危废\" 依据 \"旧法第112条\" 罚款 10万元 至 100万元\n";
    let new = "规则集 法\n  从旧兼从轻 \"法典第1057条\"\n  生效 2026-08-15\n违法行为 X \"危废\" 依据 \"法典第1175条\" 承接 \"旧法第112条\" 罚款 5万元 至 20万元\n";
    let rs = ruleset(&[old, new]).unwrap();
    let d = decide(
        &rs,
        "violation: X\noccurred_on: 2026-03-01\ndecided_on: 2026-12-01\n",
    )
    .unwrap();
    let c = d.choice_of_law.as_ref().unwrap();
    assert_eq!(
        c.basis,
        "法典第1057条；《中华人民共和国行政处罚法》第三十七条"
    );
    assert_eq!(
        c.act
            .as_ref()
            .unwrap()
            .recommended
            .map(|m| m.to_string())
            .as_deref(),
        Some("550000.00")
    );
    assert_eq!(
        c.decision
            .as_ref()
            .unwrap()
            .recommended
            .map(|m| m.to_string())
            .as_deref(),
        Some("125000.00")
    );
    assert!(c.reason.contains("旧法第112条") && c.reason.contains("法典第1175条"));
    assert!(d.explanation[0].contains("法典第1057条"));
    // Decided before the change: the old law alone, no comparison.
    let d = decide(
        &rs,
        "violation: X\noccurred_on: 2026-03-01\ndecided_on: 2026-07-01\n",
    )
    .unwrap();
    assert!(d.choice_of_law.is_none());
    assert_eq!(d.statutory.as_ref().unwrap().max, "1000000.00");
}

#[test]
fn a_continuing_act_is_judged_by_the_law_on_its_last_day() {
    let old = "规则集 法\n  生效 2020-01-01 至 2026-08-14\n违法行为 X \"无证\" 依据 \"旧法\" 罚款 10万元 至 100万元\n";
    let new =
        "规则集 法\n  生效 2026-08-15\n违法行为 X \"无证\" 依据 \"法典\" 罚款 20万元 至 100万元\n";
    let rs = ruleset(&[old, new]).unwrap();
    let y = "violation: X\noccurred_on: 2026-07-01\nended_on: 2026-09-10\ndecided_on: 2026-10-01\n";
    let d = decide(&rs, y).unwrap();
    assert!(d.choice_of_law.is_none());
    assert_eq!(d.statutory.as_ref().unwrap().min, "200000.00");
    assert!(d.explanation[0].contains("行为终了时"));
}

#[test]
fn an_act_the_new_law_no_longer_punishes_is_not_punished() {
    let old = "规则集 法\n  生效 2020-01-01 至 2026-08-14\n事实 情形：｛涂料，台账｝\n违法行为 X \"涂装\" 依据 \"旧法\" 罚款 2万元 至 20万元\n";
    let new = "规则集 法\n  生效 2026-08-15\n事实 情形：｛涂料，台账｝\n违法行为 X \"涂装\" 依据 \"法典\"\n  不认为是违法 \"法典删去台账义务\" 当 情形 = 台账\n  罚款 2万元 至 20万元\n";
    let rs = ruleset(&[old, new]).unwrap();
    let y = |f: &str| {
        format!(
            "violation: X\noccurred_on: 2026-03-01\ndecided_on: 2026-12-01\nfacts: {{情形: {f}}}\n"
        )
    };
    let d = decide(&rs, &y("台账")).unwrap();
    assert_eq!(d.outcome, Outcome::NoPenalty);
    assert_eq!(d.exemption.as_ref().unwrap().kind, "不认为是违法");
    assert_eq!(d.choice_of_law.as_ref().unwrap().applied, "decision");
    let d = decide(&rs, &y("涂料")).unwrap();
    assert_eq!(d.outcome, Outcome::Penalty);
    assert_eq!(d.choice_of_law.as_ref().unwrap().applied, "act");
    // The limb decides whether the act is punishable at all: the case must say which.
    assert!(decide(
        &rs,
        "violation: X\noccurred_on: 2026-09-01\ndecided_on: 2026-12-01\n"
    )
    .is_err());
}

#[test]
fn a_table_older_than_its_statute_keeps_its_percentage_on_the_new_range() {
    let law_old = "规则集 法\n  生效 2020-01-01 至 2026-08-14\n违法行为 X \"危废\" 依据 \"旧法\" 罚款 10万元 至 100万元\n";
    let law_new =
        "规则集 法\n  生效 2026-08-15\n违法行为 X \"危废\" 依据 \"法典\" 罚款 5万元 至 20万元\n";
    let table = "规则集 省\n  生效 2022-01-01 至 2026-12-31\n  继承 法\n细化 违法行为 X\n  依据 \"旧法\"\n  罚款 10万元 至 100万元\n  裁量 权重累加\n    起点 50%\n";
    let rs = ruleset(&[law_old, law_new, table]).unwrap();
    let y = |day: &str| format!("violation: X\noccurred_on: {day}\ndecided_on: {day}\n");
    let d = decide(&rs, &y("2026-03-01")).unwrap();
    assert_eq!(fine(&d).2, "500000.00");
    assert!(d.interim_rule.is_none());
    // After the Code: 50% × 20万 on the Code's range, the basis is the Code's.
    let d = decide(&rs, &y("2026-09-01")).unwrap();
    assert_eq!(fine(&d).2, "100000.00");
    assert_eq!(d.basis, [cailiang_engine::decision::Text::from("法典")]);
    assert!(d.interim_rule.unwrap().starts_with("待核"));
    // After the province's table lapsed: the national law alone, middle of the range.
    let d = decide(&rs, &y("2027-03-01")).unwrap();
    assert_eq!(fine(&d).2, "125000.00");
    assert!(d.interim_rule.unwrap().contains("失效"));
}

#[test]
fn bands_pick_the_heavier_tier_and_its_middle() {
    let text = "规则集 档\n事实 严重：是否 默认 否\n违法行为 B \"档\" 依据 \"x\" 罚款 10万元 至 100万元\n  裁量 分档\n    档 一般：0% 至 50%\n    档 严重 当（严重）：50% 至 100%\n";
    let rs = ruleset(&[text]).unwrap();
    let d = decide(
        &rs,
        "violation: B\noccurred_on: 2024-01-01\nfacts: {严重: true}\n",
    )
    .unwrap();
    assert_eq!(d.severity, Some("严重"));
    assert_eq!(
        fine(&d),
        ("550000.00".into(), "1000000.00".into(), "775000.00".into())
    );
}

/// Guangdong art. 5 for banded tables: a band fact the case does not establish takes its
/// lowest level, so the lightest band that might hold applies (the `其他` band when lighter);
/// only when every band is ruled out is there no band (art. 12's middle of the range).
#[test]
fn bands_with_an_unknown_fact_take_the_lightest_band_that_might_hold() {
    let text = "规则集 档\n事实 区域：｛一般，敏感｝\n事实 改正：是否\n违法行为 B \"档\" 依据 \"x\" 罚款 10万元 至 100万元\n  裁量 分档\n    档 敏感未改 当（区域 = 敏感 且 非 改正）：80万元 至 100万元\n    档 一般未改 当（区域 = 一般 且 非 改正）：40万元 至 60万元\n    档 一般已改 当（区域 = 一般 且 改正）：20万元 至 40万元\n    档 敏感已改 当（区域 = 敏感 且 改正）：60万元 至 80万元\n";
    let rs = ruleset(&[text]).unwrap();
    let y = |facts: &str| format!("violation: B\noccurred_on: 2024-01-01\nfacts: {{{facts}}}\n");
    // Nothing known: the lightest band of all, and the decision says why.
    let d = decide(&rs, &y("")).unwrap();
    assert_eq!(d.severity, Some("一般已改"));
    assert_eq!(fine(&d).2, "300000.00");
    assert!(
        d.explanation
            .iter()
            .any(|l| l.contains("未查明，按可能适用的最低档次“一般已改”")),
        "{:?}",
        d.explanation
    );
    assert!(d.defaults_used.contains(&"区域"), "{:?}", d.defaults_used);
    // The region known, the correction not: the lighter of the two bands left open.
    let d = decide(&rs, &y("区域: 敏感")).unwrap();
    assert_eq!(d.severity, Some("敏感已改"));
    assert_eq!(fine(&d).2, "700000.00");
    // Everything known: the band that holds, with no note.
    let d = decide(&rs, &y("区域: 敏感, 改正: false")).unwrap();
    assert_eq!(d.severity, Some("敏感未改"));
    assert!(!d.explanation.iter().any(|l| l.contains("未查明")));
    // A `其他` band lighter than every open band is the lowest level.
    let other = text.replace(
        "  裁量 分档\n",
        "  裁量 分档\n    档 其他：10万元 至 12万元\n",
    );
    let rs = ruleset(&[&other]).unwrap();
    let d = decide(&rs, &y("区域: 敏感")).unwrap();
    assert_eq!(d.severity, Some("其他"));
    // Every band ruled out by what is known: no band, the middle of the statutory range.
    let none = "规则集 档\n事实 区域：｛一般，敏感，其他区域｝\n违法行为 B \"档\" 依据 \"x\" 罚款 10万元 至 100万元\n  裁量 分档\n    档 一般 当（区域 = 一般）：20万元 至 40万元\n    档 敏感 当（区域 = 敏感）：60万元 至 80万元\n";
    let rs = ruleset(&[none]).unwrap();
    let d = decide(&rs, &y("区域: 其他区域")).unwrap();
    assert_eq!(d.severity, None);
    assert_eq!(fine(&d).2, "550000.00");
}

#[test]
fn every_case_problem_is_reported_at_once_naming_the_field() {
    let y = "violation: SHAREX\noccurred_on: 2024-13-01\nfacts:\n  超标倍数: 多\n  不存在: 1\n";
    let Err(cailiang_engine::EngineError::Case(errs)) = decide(rs(), y) else {
        panic!("expected case errors")
    };
    let fields: Vec<String> = errs.iter().filter_map(|e| e.field()).collect();
    assert!(fields.contains(&"violation".to_string()), "{fields:?}");
    assert!(fields.contains(&"occurred_on".to_string()), "{fields:?}");
    assert!(fields.contains(&"facts.超标倍数".to_string()), "{fields:?}");
    assert!(fields.contains(&"facts.不存在".to_string()), "{fields:?}");
}

#[test]
fn a_missing_statutory_fact_is_an_error() {
    let y = "violation: SHARE\noccurred_on: 2024-03-01\nfacts: {改正: false}\n";
    let Err(cailiang_engine::EngineError::Case(errs)) = decide(rs(), y) else {
        panic!("expected case errors")
    };
    assert_eq!(errs[0].code(), "C0107");
}

#[test]
fn rounding_follows_the_declared_rule_and_stays_in_range() {
    let text =
        "规则集 取整测试\n  取整 百元 向下\n违法行为 R \"r\" 依据 \"x\" 罚款 1050元 至 1090元\n";
    let rs = ruleset(&[text]).unwrap();
    let d = decide(&rs, "violation: R\noccurred_on: 2024-01-01\n").unwrap();
    // Middle 1070 rounds down to 1000, below the range: kept at the exact bound.
    let (min, max, rec) = fine(&d);
    assert!(
        rec.as_str() >= min.as_str() && rec.as_str() <= max.as_str(),
        "{min} {rec} {max}"
    );
}

#[test]
fn general_table_within_the_range_applies_to_violations_without_their_own() {
    // Hunan 表13: amount = [Y + Σ × (1 − Y)] × max = min + Σ × (max − min).
    let text = "规则集 通用\n事实 甲：是否 默认 否\n通用裁量 依据 \"表13\"\n  裁量 权重累加 按幅度\n    起点 0%\n    因素 甲：否 0%，是 40%\n违法行为 A \"无表\" 依据 \"x\" 罚款 10万元 至 100万元\n违法行为 B \"有表\" 依据 \"y\" 罚款 10万元 至 100万元\n  裁量 权重累加\n    起点 10%\n    因素 甲：否 0%，是 90%\n";
    let rs = ruleset(&[text]).unwrap();
    let d = decide(
        &rs,
        "violation: A\noccurred_on: 2024-01-01\nfacts: {甲: true}\n",
    )
    .unwrap();
    assert_eq!(
        d.discretion_percent.map(|p| p.to_string()).as_deref(),
        Some("40.00")
    );
    assert_eq!(fine(&d).2, "460000.00"); // 10万 + 40% × 90万
    let d = decide(
        &rs,
        "violation: B\noccurred_on: 2024-01-01\nfacts: {甲: true}\n",
    )
    .unwrap();
    assert_eq!(fine(&d).2, "1000000.00"); // its own table: 100% × 100万
}

#[test]
fn one_act_several_provisions_cites_the_rule_of_the_version_applied() {
    let text = "规则集 法典\n  一事不再罚 \"法典第1055条\"\n  生效 2026-08-15\n违法行为 A \"甲\" 依据 \"法典第1条\" 罚款 1万元 至 10万元\n违法行为 B \"乙\" 依据 \"法典第2条\" 罚款 5万元 至 50万元\n";
    let rs = ruleset(&[text]).unwrap();
    let d = decide(&rs, "violation: [A, B]\noccurred_on: 2026-09-01\n").unwrap();
    assert_eq!(d.violation.code, "B");
    assert!(d.explanation[0].contains("法典第1055条；《中华人民共和国行政处罚法》第二十九条"));
}

#[test]
fn explanation_lines_cite_their_rule_place_and_basis() {
    // The ends of these lines and the factor pieces are written when the ruleset is compiled:
    // the general table's and a violation's own, the snapshot's limitation, each range.
    let text = "规则集 通用\n事实 甲：是否 默认 否\n事实 乙：是否\n时效 2年 依据 \"行政处罚法第三十六条\"\n通用裁量 依据 \"表13\"\n  裁量 权重累加 按幅度\n    起点 0%\n    因素 甲：否 0%，是 40%\n违法行为 A \"无表\" 依据 \"x\" 罚款 10万元 至 100万元\n违法行为 B \"有表\" 依据 \"y\" 依据 \"z\" 罚款 10万元 至 100万元\n  罚款 当 乙：20万元 至 200万元\n  裁量 权重累加\n    起点 10%\n    因素 甲：否 0%，是 90%\n    因素 乙：否 0%，是 5%\n";
    let rs = ruleset(&[text]).unwrap();
    let explain = |case: &str| {
        let d = decide(&rs, case).unwrap();
        let weights: Vec<String> = d.factors.iter().map(|f| f.weight.to_string()).collect();
        (d.explanation, weights)
    };
    let (lines, weights) = explain(
        "violation: A\noccurred_on: 2024-01-01\ndiscovered_on: 2024-02-01\nfacts: {甲: true}\n",
    );
    assert_eq!(
        lines,
        [
            "【违法行为】A 无表；适用 通用（长期）（a.rules:9；依据：x）",
            "【时效】时效2年，自违法行为发生之日（2024-01-01）起算；2024-02-01 发现，未过时效（a.rules:4；依据：行政处罚法第三十六条）",
            "【法定幅度】法定罚款幅度：10万元 至 100万元（a.rules:9；依据：x）",
            "【裁量】权重累加：起点 0%，甲“是 40%”，合计 40%（a.rules:6；依据：表13）",
            "【裁量】按幅度：罚款金额 = 法定最低额 10万元 + 40% × (法定最高额 100万元 − 法定最低额) = 46万元（a.rules:6；依据：表13）",
            "【结论】处罚：建议罚款 460000.00元（可在 460000.00 至 460000.00 元内裁量）",
        ]
    );
    assert_eq!(weights, ["40.00"]);
    let (lines, weights) = explain("violation: B\noccurred_on: 2024-01-01\nfacts: {}\n");
    assert_eq!(
        lines,
        [
            "【违法行为】B 有表；适用 通用（长期）（a.rules:10；依据：y、z）",
            "【时效】案件未提供发现日（discovered_on），未审查时效（a.rules:4；依据：行政处罚法第三十六条）",
            "【法定幅度】法定罚款幅度：10万元 至 100万元（a.rules:10；依据：y、z）",
            "【裁量】权重累加：起点 10%，甲“否 0%”，乙“否 0%”（未查明，按最低档），合计 10%（a.rules:12；依据：y、z）",
            "【裁量】罚款金额 = 10% × 法定最高额 100万元 = 10万元（a.rules:12；依据：y、z）",
            "【结论】处罚：建议罚款 100000.00元（可在 100000.00 至 100000.00 元内裁量）",
        ]
    );
    assert_eq!(weights, ["0.00", "0.00"]);
    let (lines, weights) = explain("violation: B\noccurred_on: 2024-01-01\nfacts: {乙: true}\n");
    assert_eq!(
        lines.get(2..4).unwrap(),
        [
            "【法定幅度】法定罚款幅度（加重情形）：20万元 至 200万元（a.rules:11；依据：y、z）",
            "【裁量】权重累加：起点 10%，甲“否 0%”，乙“是 5%”，合计 15%（a.rules:12；依据：y、z）",
        ]
    );
    assert_eq!(weights, ["0.00", "5.00"]);

    // A band's line, a share and a multiple of a base, the snapshot's fallback.
    let text = "规则集 档\n事实 严重：是否 默认 否\n事实 投资：金额\n缺省裁量 一般 50%，从轻 20%，从重 80% 依据 \"第十二条\"\n违法行为 B \"档\" 依据 \"x\" 罚款 10万元 至 100万元\n  裁量 分档\n    档 一般：0% 至 50%\n    档 严重 当（严重）：50% 至 100%\n违法行为 C \"比例\" 依据 \"y\" 罚款 投资 的 1% 至 5%\n违法行为 D \"倍数\" 依据 \"z\" 罚款 投资 的 3倍 至 5倍\n";
    let rs = ruleset(&[text]).unwrap();
    let explain = |case: &str| decide(&rs, case).unwrap().explanation;
    assert_eq!(
        explain("violation: B\noccurred_on: 2024-01-01\nfacts: {严重: true}\n").get(2),
        Some(&"【裁量】分档：适用“严重”档，55万元 至 100万元，无从重从轻情节取中间值 77.5万元（a.rules:8；依据：x）".to_string())
    );
    assert_eq!(
        explain("violation: C\noccurred_on: 2024-01-01\nfacts: {投资: 2000万元}\n").get(1..3).unwrap(),
        [
            "【法定幅度】投资 2000万元 的 1% 至 5%：20万元 至 100万元（a.rules:9；依据：y）",
            "【缺省裁量】该违法行为无裁量表，一般情形取法定幅度的 50% 处：60万元（a.rules:4；依据：第十二条）",
        ]
    );
    assert_eq!(
        explain("violation: D\noccurred_on: 2024-01-01\nfacts: {投资: 5万元}\n").get(1),
        Some(
            &"【法定幅度】投资 5万元 的 3倍 至 5倍：15万元 至 25万元（a.rules:10；依据：z）"
                .to_string()
        )
    );
}

#[test]
fn why_not_lists_the_rules_another_defeats_first() {
    let text = "规则集 测试\n事实 甲：是否\n事实 乙：是否\n免罚 丙 \"丙\"\n  类别 轻微 不予处罚 当 乙 依据 \"q\"\n免罚 甲免 \"甲免\"\n  类别 轻微 不予处罚 当 甲 依据 \"x\"\n免罚 敏感区 \"敏感区不适用\"\n  类别 清单 不适用 当 甲 依据 \"y\"\n  优先于 甲免\n违法行为 A \"甲\" 依据 \"法\" 罚款 1万元 至 10万元\n";
    let rs = ruleset(&[text]).unwrap();
    let d = decide(
        &rs,
        "violation: A\noccurred_on: 2024-01-01\nfacts: {甲: true, 乙: false}\n",
    )
    .unwrap();
    assert_eq!(d.outcome, Outcome::Penalty);
    let why: Vec<(&str, &str, &str)> = d
        .why_not
        .iter()
        .map(|w| (w.rule, &*w.failed, w.status))
        .collect();
    assert_eq!(
        why,
        [
            ("甲免", "被“敏感区”排除", "overridden"),
            ("丙", "乙", "false")
        ]
    );
}
