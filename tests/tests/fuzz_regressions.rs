//! Inputs found by the cargo-fuzz targets (fuzz/, scripts/fuzz), minimised and kept here so the
//! normal test suite fails if they come back. Each test names the target that found it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cailiang_engine::{EngineError, Ruleset};
use std::sync::OnceLock;

/// The national rules alone (全国通则 ← 全国生态环境法律).
fn national() -> &'static Ruleset {
    static RS: OnceLock<Ruleset> = OnceLock::new();
    RS.get_or_init(|| {
        let sources = cailiang_tests::shipped("national");
        let out = cailiang_dsl::load(sources);
        let p = out.program.expect("national rules check");
        Ruleset::compile(&p, Some("全国生态环境法律")).expect("compile")
    })
}

/// A case error naming `fact` as missing, not an engine error.
fn assert_missing(rs: &Ruleset, case: &str, fact: &str) {
    match rs.evaluate_text(case, true) {
        Err(EngineError::Case(errs)) => assert!(
            errs.iter()
                .any(|e| e.code() == "C0107"
                    && e.field().as_deref() == Some(&format!("facts.{fact}"))),
            "expected C0107 for facts.{fact}, got {errs:?}"
        ),
        Err(EngineError::Eval(e)) => panic!("engine error instead of a case error: {e:?}"),
        Ok(d) => panic!("decided without facts.{fact}: {}", d.to_json()),
    }
}

// Found by `eval` (neimenggu, three codes; minimised by hand to one): the escalated range
// “罚款 当 整改情况 = 逾期未改正：违法所得 的 1倍 至 5倍” applies, but 违法所得 was not asked for
// (only the unconditional range's facts were), so evaluation failed with
// EvalError::Internal("无法计算违法所得：缺少事实").
#[test]
fn escalated_range_needs_its_base_fact() {
    let case = "violation: FD-1198-1\noccurred_on: 2026-09-01\ndecided_on: 2026-10-01\n\
                facts:\n  整改情况: 逾期未改正\n";
    assert_missing(national(), case, "违法所得");
    // With the base given it decides under the escalated range (floor 50万 → 50万–250万).
    let ok = format!("{case}  违法所得: 100000\n");
    let d = national().evaluate_text(&ok, true).unwrap();
    let st = d.statutory.unwrap();
    assert_eq!(
        (st.min.to_string().as_str(), st.max.to_string().as_str()),
        ("500000.00", "2500000.00")
    );
    // Without the condition the base is not needed.
    let plain = "violation: FD-1198-1\noccurred_on: 2026-09-01\ndecided_on: 2026-10-01\n";
    assert!(national().evaluate_text(plain, true).is_ok());
}

// The same through a condition of type 是否 and another code (法典第一千二百二十六条第二款).
#[test]
fn escalated_range_needs_its_base_fact_bool_condition() {
    let case = "violation: FD-1226-2\noccurred_on: 2026-09-01\ndecided_on: 2026-10-01\n\
                facts:\n  限期内未完成清缴: true\n";
    assert_missing(national(), case, "未清缴配额价值");
    // The original input: several codes (第二十九条), dates either side of the Code.
    let multi = "violation: [FD-1133, FD-1198-1, FD-1235-1]\noccurred_on: 2022-07-03\n\
                 ended_on: 2024-01-30\ndiscovered_on: 2025-08-28\ndecided_on: 2026-08-29\n\
                 facts:\n  整改情况: 逾期未改正\n  造成严重危害后果: true\n";
    assert_missing(national(), multi, "违法所得");
}

/// The Guangdong ruleset.
fn guangdong() -> &'static Ruleset {
    static RS: OnceLock<Ruleset> = OnceLock::new();
    RS.get_or_init(|| {
        let out = cailiang_dsl::load(cailiang_tests::shipped("guangdong"));
        let p = out.program.expect("guangdong rules check");
        Ruleset::compile(&p, Some("广东省生态环境行政处罚裁量基准")).expect("compile")
    })
}

// Found by `eval` (a panic “Addition overflowed” in rust_decimal): a band's amounts computed
// from a huge fact (直接经济损失 × 2 至 直接经济损失 × 3, each within the decimal range) were
// added unchecked for the band's midpoint. Now an arithmetic error, as every other overflow.
#[test]
fn band_midpoint_overflow_is_an_arithmetic_error() {
    let case = "violation: AIR-122\noccurred_on: 2024-03-01\ndecided_on: 2024-05-01\nfacts:\n  \
                大气污染事故等级: 一般\n  事故赔偿治理情况: 既未赔偿也未治理\n  \
                直接经济损失: \"20000000000000000000000000000\"\n";
    match guangdong().evaluate_text(case, true) {
        Err(EngineError::Eval(cailiang_engine::EvalError::Arithmetic { .. })) => {}
        other => panic!("expected an arithmetic error, got {other:?}"),
    }
    // The same table with an ordinary loss decides (2–3 倍 of 100万元).
    let ok = case.replace("\"20000000000000000000000000000\"", "1000000");
    let f = guangdong().evaluate_text(&ok, true).unwrap().fine.unwrap();
    assert_eq!(
        (f.min.to_string().as_str(), f.max.to_string().as_str()),
        ("2000000.00", "3000000.00")
    );
}

// The input `eval` minimised (cargo fuzz tmin, 28 bytes): Jiangmen's 不予处罚清单 over
// Guangdong, the person's fine of AIR-122-P from a yearly income at the decimal maximum.
#[test]
fn band_midpoint_overflow_jiangmen_minimised() {
    let mut sources = cailiang_tests::shipped("guangdong");
    sources.extend(
        cailiang_tests::shipped("jiangmen")
            .into_iter()
            .filter(|(p, _)| p.contains("jiangmen")),
    );
    let out = cailiang_dsl::load(sources);
    let p = out.program.expect("jiangmen rules check");
    let rs = Ruleset::compile(&p, Some("江门市生态环境不予行政处罚清单")).expect("compile");
    let case = r#"{"violation": "AIR-122-P", "occurred_on": "2022-04-12",
        "discovered_on": "2023-04-02", "facts": {"上一年度收入": "79228162514264337593543950335",
        "大气污染事故等级": "特大", "事故赔偿治理情况": "既未赔偿也未治理"}}"#;
    match rs.evaluate_text(case, false) {
        Err(EngineError::Eval(cailiang_engine::EvalError::Arithmetic { .. })) => {}
        other => panic!("expected an arithmetic error, got {other:?}"),
    }
}
