//! Positive-list supervision (issue 5): each status, history windows at their boundary,
//! exclusion precedence, removal and the re-entry ban, profile and rule errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cailiang_engine::{Ruleset, Status, SuperviseError, Supervision};
use cailiang_tests::ruleset;

const RULES: &str = r#"
规则集 测试清单
  文号 "测试〔2024〕1号"
事实 事件种类：｛环境违法，行政处罚，环境犯罪，突发环境事件｝
事实 行业：｛化工，食品，垃圾焚烧｝
事实 信用等级：｛诚信，良好，警示，不良｝
事实 稳定达标：是否
事实 在线监测联网：是否
正面清单 清单 "测试正面清单"
  依据 "环办执法〔2021〕10号"
  有效期 3年
  禁入期 3年
  基本条件：
    条件 两年无违法 当 近期次数(环境违法, 2年) = 0
    条件 达标 当 稳定达标
  筛选条件 至少 1：
    条件 信用好 当 信用等级 属于 ｛诚信，良好｝
    条件 联网 当 在线监测联网
  排除：
    条件 焚烧 当 行业 = 垃圾焚烧
    条件 犯罪 当 近期次数(环境犯罪, 3年) ≥ 1
  移出：
    条件 纳入后违法 当 纳入以来次数(环境违法) ≥ 1
  措施 已纳入：非现场检查为主，现场检查年度上限 = 1
  措施 未纳入：双随机抽查比例 = 5%
  措施 未纳入 当 信用等级 = 警示：双随机抽查比例 = 15%
  措施 未纳入 当 近期次数(环境违法, 1年) ≥ 2：黑名单 = 是，双随机抽查比例 = 100%
"#;

fn rs() -> Ruleset {
    ruleset(&[RULES]).expect("ruleset")
}

const GOOD: &str =
    "facts:\n  行业: 食品\n  信用等级: 诚信\n  稳定达标: true\n  在线监测联网: true\n";

fn sup(rs: &Ruleset, yaml: &str) -> Supervision {
    rs.supervise_text(yaml, true)
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn profile(as_of: &str, facts: &str, rest: &str) -> String {
    format!("as_of: {as_of}\n{facts}{rest}")
}

fn errors(rs: &Ruleset, yaml: &str) -> Vec<(String, String)> {
    match rs.supervise_text(yaml, true) {
        Err(SuperviseError::Profile(v)) => v
            .iter()
            .map(|e| (e.code().to_string(), e.to_string()))
            .collect(),
        other => panic!("expected profile errors, got {other:?}"),
    }
}

fn measure<'a>(s: &'a Supervision, name: &str) -> Option<&'a str> {
    s.measures
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.value.as_deref().unwrap_or("(有)"))
}

#[test]
fn eligible_with_validity_end() {
    let s = sup(&rs(), &profile("2024-06-30", GOOD, ""));
    assert_eq!(s.status, Status::Eligible);
    assert_eq!(s.valid_until.as_deref(), Some("2027-06-29"));
    assert_eq!(s.screening.as_ref().unwrap().met, 2);
    assert_eq!(measure(&s, "双随机抽查比例"), Some("5%"));
    assert!(s.criteria.iter().all(|c| !c.at.is_empty()));
    assert!(s.explanation.iter().any(|l| l.contains("a.rules:")));
}

#[test]
fn not_eligible_names_the_failed_condition() {
    let facts =
        "facts:\n  行业: 食品\n  信用等级: 警示\n  稳定达标: false\n  在线监测联网: false\n";
    let s = sup(&rs(), &profile("2024-06-30", facts, ""));
    assert_eq!(s.status, Status::NotEligible);
    let c = s.criteria.iter().find(|c| c.name == "达标").unwrap();
    assert_eq!(c.result, "unmet");
    assert_eq!(c.inputs[0].value, "否");
    assert_eq!(measure(&s, "双随机抽查比例"), Some("15%"));
    assert!(s
        .explanation
        .iter()
        .any(|l| l.contains("基本条件“达标”不成立")));
}

#[test]
fn unknown_fact_is_never_met() {
    let s = sup(
        &rs(),
        &profile("2024-06-30", "facts:\n  信用等级: 诚信\n", ""),
    );
    assert_eq!(s.status, Status::NotEligible);
    assert!(s.missing_facts.contains(&"稳定达标".to_string()));
    let c = s.criteria.iter().find(|c| c.name == "达标").unwrap();
    assert_eq!(c.result, "unknown");
    // An exclusion that cannot be established blocks eligibility too.
    assert!(s.missing_facts.contains(&"行业".to_string()));
}

#[test]
fn window_includes_the_day_exactly_two_years_before() {
    let rs = rs();
    let at = |date: &str| {
        sup(
            &rs,
            &profile(
                "2024-06-30",
                GOOD,
                &format!("history:\n  - {{kind: 环境违法, date: {date}}}\n"),
            ),
        )
    };
    let inside = at("2022-06-30");
    assert_eq!(inside.status, Status::NotEligible);
    let c = inside
        .criteria
        .iter()
        .find(|c| c.name == "两年无违法")
        .unwrap();
    assert_eq!(c.result, "unmet");
    assert_eq!(c.inputs[0].name, "近期次数(环境违法，2年)");
    assert_eq!(c.inputs[0].value, "1");
    assert_eq!(
        c.inputs[0].events.as_deref(),
        Some(&["2022-06-30".to_string()][..])
    );
    assert_eq!(at("2022-06-29").status, Status::Eligible);
    assert_eq!(at("2024-06-30").status, Status::NotEligible);
}

#[test]
fn moving_as_of_past_the_window_restores_eligibility() {
    let rs = rs();
    let history = "history:\n  - {kind: 环境违法, date: 2023-03-01}\n";
    assert_eq!(
        sup(&rs, &profile("2024-06-30", GOOD, history)).status,
        Status::NotEligible
    );
    assert_eq!(
        sup(&rs, &profile("2025-03-01", GOOD, history)).status,
        Status::NotEligible
    );
    assert_eq!(
        sup(&rs, &profile("2025-03-02", GOOD, history)).status,
        Status::Eligible
    );
}

#[test]
fn exclusion_takes_precedence() {
    let rs = rs();
    let facts =
        "facts:\n  行业: 垃圾焚烧\n  信用等级: 诚信\n  稳定达标: true\n  在线监测联网: true\n";
    let s = sup(&rs, &profile("2024-06-30", facts, ""));
    assert_eq!(s.status, Status::Excluded);
    assert_eq!(s.triggers, vec!["焚烧".to_string()]);
    assert!(s.valid_until.is_none());
    // Over a running re-entry ban as well.
    let s = sup(
        &rs,
        &profile(
            "2024-06-30",
            facts,
            "listing: {listed_on: 2021-01-01, removed_on: 2023-01-01}\n",
        ),
    );
    assert_eq!(s.status, Status::Excluded);
    // A record-based exclusion within its window.
    let s = sup(
        &rs,
        &profile(
            "2024-06-30",
            GOOD,
            "history:\n  - {kind: 环境犯罪, date: 2021-07-01}\n",
        ),
    );
    assert_eq!(s.status, Status::Excluded);
    assert_eq!(s.triggers, vec!["犯罪".to_string()]);
}

#[test]
fn listed_until_validity_end_then_reassessed() {
    let rs = rs();
    let s = sup(
        &rs,
        &profile("2024-06-30", GOOD, "listing: {listed_on: 2022-01-01}\n"),
    );
    assert_eq!(s.status, Status::Listed);
    assert_eq!(s.valid_until.as_deref(), Some("2024-12-31"));
    assert_eq!(measure(&s, "现场检查年度上限"), Some("1"));
    assert_eq!(measure(&s, "非现场检查为主"), Some("(有)"));
    assert_eq!(measure(&s, "双随机抽查比例"), None);
    assert!(s.screening.is_none());
    // The last day of validity is still listed; the next day the listing has lapsed.
    let last = sup(
        &rs,
        &profile("2024-12-31", GOOD, "listing: {listed_on: 2022-01-01}\n"),
    );
    assert_eq!(last.status, Status::Listed);
    let after = sup(
        &rs,
        &profile("2025-01-01", GOOD, "listing: {listed_on: 2022-01-01}\n"),
    );
    assert_eq!(after.status, Status::Eligible);
    assert!(after.explanation.iter().any(|l| l.contains("届满")));
}

#[test]
fn removal_carries_its_trigger_and_the_ban() {
    let rs = rs();
    let listed =
        "listing: {listed_on: 2023-01-01}\nhistory:\n  - {kind: 环境违法, date: 2024-02-01}\n";
    let s = sup(&rs, &profile("2024-06-30", GOOD, listed));
    assert_eq!(s.status, Status::Removed);
    assert_eq!(s.triggers, vec!["纳入后违法".to_string()]);
    assert_eq!(s.reentry_allowed_on.as_deref(), Some("2027-06-30"));
    // A violation before listing does not remove.
    let before =
        "listing: {listed_on: 2023-01-01}\nhistory:\n  - {kind: 环境违法, date: 2022-12-31}\n";
    assert_eq!(
        sup(&rs, &profile("2024-06-30", GOOD, before)).status,
        Status::Listed
    );
    // An exclusion arising while listed removes too.
    let crime =
        "listing: {listed_on: 2023-01-01}\nhistory:\n  - {kind: 环境犯罪, date: 2024-01-01}\n";
    let s = sup(&rs, &profile("2024-06-30", GOOD, crime));
    assert_eq!(s.status, Status::Removed);
    assert_eq!(s.triggers, vec!["犯罪".to_string()]);
}

#[test]
fn barred_until_the_ban_ends() {
    let rs = rs();
    let removed = "listing: {listed_on: 2021-01-01, removed_on: 2022-03-01, reason: 恶意排污}\n";
    let s = sup(&rs, &profile("2024-06-30", GOOD, removed));
    assert_eq!(s.status, Status::Barred);
    assert_eq!(s.reentry_allowed_on.as_deref(), Some("2025-03-01"));
    assert!(s
        .explanation
        .iter()
        .any(|l| l.contains("2025-03-01") && l.contains("恶意排污")));
    assert_eq!(
        sup(&rs, &profile("2025-02-28", GOOD, removed)).status,
        Status::Barred
    );
    assert_eq!(
        sup(&rs, &profile("2025-03-01", GOOD, removed)).status,
        Status::Eligible
    );
}

#[test]
fn credit_and_repeat_violations_raise_checks() {
    let facts = "facts:\n  行业: 化工\n  信用等级: 警示\n  稳定达标: true\n";
    let history = "history:\n  - {kind: 环境违法, date: 2023-08-01}\n  - {kind: 环境违法, date: 2024-03-01}\n";
    let s = sup(&rs(), &profile("2024-06-30", facts, history));
    assert_eq!(s.status, Status::NotEligible);
    assert_eq!(measure(&s, "黑名单"), Some("是"));
    assert_eq!(measure(&s, "双随机抽查比例"), Some("100%"));
    assert!(s.explanation.iter().any(|l| l.contains("取代")));
}

#[test]
fn output_is_deterministic() {
    let rs = rs();
    let p = profile(
        "2024-06-30",
        GOOD,
        "enterprise: {name: 某公司, 代码: \"91\"}\n",
    );
    let a = sup(&rs, &p).to_json();
    assert_eq!(a, sup(&rs, &p).to_json());
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["status"], "eligible");
    assert_eq!(v["enterprise"]["name"], "某公司");
    assert_eq!(v["ruleset"]["document"], "测试〔2024〕1号");
    assert!(sup(&rs, &p)
        .to_text()
        .contains("结论：符合纳入正面清单的条件"));
}

#[test]
fn profile_errors_are_all_reported_with_their_field() {
    let rs = rs();
    let yaml = "as_of: 2024-06-30\nfacts:\n  信用等级: 优秀\n  稳定打标: true\nhistory:\n  - {kind: 环境违规, date: 2024-01-01}\n  - {kind: 行政处罚, date: 2024-13-01}\n  - {kind: 行政处罚, date: 2024-07-01}\n  - {date: 2024-01-01}\nlisting: {listed_on: 2023-01-01, removed_on: 2022-01-01}\nextra: 1\n";
    let errs = errors(&rs, yaml);
    let codes: Vec<&str> = errs.iter().map(|e| e.0.as_str()).collect();
    for want in [
        "P0105", "P0104", "P0106", "P0102", "P0110", "P0101", "P0109", "P0103",
    ] {
        assert!(codes.contains(&want), "{want} missing in {errs:?}");
    }
    let kind = errs.iter().find(|e| e.0 == "P0106").unwrap();
    assert!(
        kind.1.contains("history[0].kind") && kind.1.contains("环境违法"),
        "{}",
        kind.1
    );
    let date = errs.iter().find(|e| e.0 == "P0102").unwrap();
    assert!(date.1.contains("history[1].date"), "{}", date.1);
    let fact = errs.iter().find(|e| e.0 == "P0104").unwrap();
    assert!(fact.1.contains("稳定达标"), "{}", fact.1);
    assert_eq!(errors(&rs, "facts: {}\n")[0].0, "P0101");
    assert_eq!(
        errors(&rs, "as_of: 2024-06-30\nfacts:\n  事件种类: 环境违法\n")[0].0,
        "P0102"
    );
}

#[test]
fn checker_rejects_unknown_kind_with_suggestion() {
    let bad = RULES.replace("近期次数(环境违法, 2年)", "近期次数(环境违反, 2年)");
    let out = cailiang_dsl::load(vec![("a.rules".into(), bad)]);
    assert!(out.program.is_none());
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "E0102")
        .expect("E0102");
    let text = format!("{} {:?}", d.message, d.help);
    assert!(
        text.contains("环境违反") && text.contains("环境违法"),
        "{text}"
    );
}

#[test]
fn checker_rejects_history_misuse() {
    let codes = |rules: &str| -> Vec<String> {
        let out = cailiang_dsl::load(vec![("a.rules".into(), rules.to_string())]);
        out.diagnostics.iter().map(|d| d.code.to_string()).collect()
    };
    // No 事件种类 declared.
    let none = "规则集 甲\n事实 达标：是否\n正面清单 清单\n  基本条件：\n    条件 无违法 当 近期次数(环境违法, 2年) = 0\n";
    assert!(codes(none).contains(&"E0502".to_string()));
    let base =
        "规则集 甲\n事实 事件种类：｛环境违法｝\n事实 达标：是否\n正面清单 清单\n  基本条件：\n";
    // Wrong arity, wrong period type, a criterion that is not 是否.
    assert!(
        codes(&format!("{base}    条件 甲 当 近期次数(环境违法) = 0\n"))
            .contains(&"E0203".to_string())
    );
    assert!(codes(&format!(
        "{base}    条件 甲 当 近期次数(环境违法, 达标) = 0\n"
    ))
    .contains(&"E0201".to_string()));
    assert!(
        codes(&format!("{base}    条件 甲 当 近期次数(环境违法, 2年)\n"))
            .contains(&"E0201".to_string())
    );
    // 至少 N above the number of screening conditions.
    assert!(codes(&format!(
        "{base}    条件 甲 当 达标\n  筛选条件 至少 2：\n    条件 乙 当 达标\n"
    ))
    .contains(&"E0604".to_string()));
    // Fine: both history builtins type-check as integers.
    assert!(codes(&format!(
        "{base}    条件 甲 当 纳入以来次数(环境违法) = 0 且 距今天数(环境违法) > 30\n"
    ))
    .is_empty());
}

#[test]
fn days_since_is_unknown_without_such_event() {
    let rules = "规则集 甲\n事实 事件种类：｛环境违法｝\n正面清单 清单\n  基本条件：\n    条件 久远 当 距今天数(环境违法) > 365\n";
    let rs = ruleset(&[rules]).unwrap();
    let s = sup(
        &rs,
        "as_of: 2024-06-30\nhistory:\n  - {kind: 环境违法, date: 2023-06-30}\n",
    );
    assert_eq!(s.criteria[0].inputs[0].value, "366");
    assert_eq!(s.status, Status::Eligible);
    let s = sup(&rs, "as_of: 2024-06-30\n");
    assert_eq!(s.criteria[0].result, "unknown");
}

#[test]
fn shipped_positive_lists_compile() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets/positive-list");
    for j in ["hainan", "fujian", "hubei"] {
        let mut sources = Vec::new();
        for d in ["common", j] {
            for e in std::fs::read_dir(root.join(d)).unwrap().flatten() {
                let p = e.path();
                if p.extension().map(|x| x == "rules").unwrap_or(false) {
                    sources.push((
                        p.display().to_string(),
                        std::fs::read_to_string(&p).unwrap(),
                    ));
                }
            }
        }
        let out = cailiang_dsl::load(sources);
        let p = out
            .program
            .unwrap_or_else(|| panic!("{j}: {:?}", out.diagnostics));
        Ruleset::compile(&p, None).unwrap_or_else(|e| panic!("{j}: {e}"));
    }
}
