//! One test per input limit (issue: reliability harness): sizes and nesting in rule files,
//! cases and profiles end in a located error, never a panic, a hang or an exhausted stack.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cailiang_engine::{EngineError, EvalError};
use cailiang_tests::ruleset;

const SMALL: &str =
    "规则集 小\n  生效 2020-01-01\n违法行为 X \"甲\" 依据 \"某法\" 罚款 1万元 至 10万元\n";

fn case_error_codes(r: Result<cailiang_engine::Decision, EngineError>) -> Vec<&'static str> {
    match r {
        Err(EngineError::Case(errs)) => errs.iter().map(|e| e.code()).collect(),
        other => panic!("expected a case error, got {other:?}"),
    }
}

#[test]
fn a_case_over_one_mebibyte_is_refused_before_parsing() {
    let rs = ruleset(&[SMALL]).unwrap();
    let pad = "x".repeat(cailiang_engine::case::MAX_CASE_BYTES);
    let json =
        format!("{{\"violation\": \"X\", \"occurred_on\": \"2024-01-01\", \"note\": \"{pad}\"}}");
    assert_eq!(case_error_codes(rs.evaluate_text(&json, false)), ["C0002"]);
    let yaml = format!("violation: X\noccurred_on: 2024-01-01\nnote: {pad}\n");
    assert_eq!(case_error_codes(rs.evaluate_text(&yaml, true)), ["C0002"]);
}

#[test]
fn deeply_nested_json_is_a_syntax_error_not_a_stack_overflow() {
    let rs = ruleset(&[SMALL]).unwrap();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let json =
        format!("{{\"violation\": \"X\", \"occurred_on\": \"2024-01-01\", \"facts\": {deep}}}");
    assert_eq!(case_error_codes(rs.evaluate_text(&json, false)), ["C0001"]);
}

#[test]
fn deeply_nested_yaml_is_a_syntax_error_not_a_stack_overflow() {
    let rs = ruleset(&[SMALL]).unwrap();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let yaml = format!("violation: X\noccurred_on: 2024-01-01\nfacts: {deep}\n");
    assert_eq!(case_error_codes(rs.evaluate_text(&yaml, true)), ["C0001"]);
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    // Nine levels of ten aliases would expand to 10^9 nodes.
    let rs = ruleset(&[SMALL]).unwrap();
    let mut y = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        y.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    y.push_str("violation: X\noccurred_on: 2024-01-01\n");
    let codes = case_error_codes(rs.evaluate_text(&y, true));
    assert!(codes == ["C0001"] || codes.contains(&"C0103"), "{codes:?}");
}

#[test]
fn a_profile_over_one_mebibyte_is_refused() {
    let rs = ruleset(&[SMALL]).unwrap();
    let pad = "x".repeat(cailiang_engine::profile::MAX_PROFILE_BYTES);
    let json = format!("{{\"enterprise\": \"{pad}\", \"as_of\": \"2024-01-01\"}}");
    let e = rs.supervise_text(&json, false).unwrap_err();
    assert!(format!("{e:?}").contains("TooLarge"), "{e:?}");
}

#[test]
fn a_rule_file_over_four_mebibytes_is_refused() {
    let big = format!(
        "{SMALL}# {}\n",
        "注".repeat(cailiang_dsl::parse::MAX_SOURCE_BYTES / 3 + 1)
    );
    let out = cailiang_dsl::load(vec![("big.rules".into(), big)]);
    assert!(out.program.is_none());
    assert_eq!(out.diagnostics[0].code, "E0003");
}

#[test]
fn a_long_chain_of_negations_is_a_diagnostic_not_a_crash() {
    // 非 nests without parentheses, so the parser's bracket count does not see it; the
    // checker's own depth counter must.
    let text = format!(
        "规则集 深\n  生效 2020-01-01\n事实 甲：是否\n免罚 深 \"深\" 类别 轻微 不予处罚 当 {}甲 依据 \"某法\"\n{}",
        "非 ".repeat(400),
        &SMALL[SMALL.find("违法行为").unwrap()..]
    );
    let handle = std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(move || cailiang_dsl::load(vec![("deep.rules".into(), text)]))
        .unwrap();
    let out = handle.join().unwrap();
    assert!(out.program.is_none(), "400 nested 非 must be refused");
    assert!(!out.diagnostics.is_empty());
}

/// A condition of `n` yes/no facts joined by 或, in an exemption of a small ruleset.
fn or_chain(n: usize) -> String {
    let facts: String = (0..n).map(|i| format!("事实 f{i}：是否\n")).collect();
    let terms: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
    format!(
        "规则集 深\n  生效 2020-01-01\n{facts}免罚 深 \"深\" 类别 轻微 不予处罚 当 {} 依据 \"某法\"\n{}",
        terms.join(" 或 "),
        &SMALL[SMALL.find("违法行为").unwrap()..]
    )
}

#[test]
fn a_chain_of_or_at_the_limit_is_checked_and_evaluated_and_one_past_it_is_one_diagnostic() {
    // Debug builds' frames are large: a big stack, as for the other deep inputs here.
    std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(or_chain_at_and_past_the_limit)
        .unwrap()
        .join()
        .unwrap();
}

fn or_chain_at_and_past_the_limit() {
    // 256 terms: the checker's limit, which is the evaluator's; every term is read (all false).
    let text = or_chain(256);
    let facts: Vec<String> = (0..256).map(|i| format!("\"f{i}\": false")).collect();
    let case = format!(
        "{{\"violation\": \"X\", \"occurred_on\": \"2024-01-01\", \"facts\": {{{}}}}}",
        facts.join(", ")
    );
    let rs = ruleset(&[&text]).unwrap();
    let d = rs.evaluate_text(&case, false).unwrap();
    assert!(d.to_json().contains("\"outcome\": \"penalty\""));

    // 257 terms: refused by `check`, once, with what to do (both sides of the link at the
    // limit pass it; the legal officer needs one message, not two).
    let out = cailiang_dsl::load(vec![("deep.rules".into(), or_chain(257))]);
    assert!(out.program.is_none());
    let deep: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "E0604")
        .collect();
    assert_eq!(deep.len(), 1, "{:?}", out.diagnostics);
    assert_eq!(deep[0].message, "表达式嵌套超过 256 层");
    assert!(deep[0].help.as_deref().unwrap().contains("推导"));
}

#[test]
fn a_long_chain_of_derived_values_stops_at_the_evaluator_depth_limit() {
    // Each derived value reads the one before it: evaluation recurses once per link, and the
    // evaluator's counter ends it with an error instead of exhausting the stack (wasm has no
    // stack probe).
    let mut text =
        String::from("规则集 链\n  生效 2020-01-01\n事实 基数：金额\n推导 d0：金额 = 基数\n");
    for i in 1..400 {
        text.push_str(&format!("推导 d{i}：金额 = d{} + 1元\n", i - 1));
    }
    text.push_str("违法行为 X \"甲\" 依据 \"某法\" 罚款 d399 的 1倍 至 2倍\n");
    let text2 = text.clone();
    let r = std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(move || {
            let rs = ruleset(&[&text2]).unwrap();
            rs.evaluate_text(
                "{\"violation\": \"X\", \"occurred_on\": \"2024-01-01\", \"facts\": {\"基数\": 1000}}",
                false,
            )
            // The decision borrows the ruleset, which this thread owns: keep the error only.
            .map(|d| d.to_json())
        })
        .unwrap()
        .join()
        .unwrap();
    match r {
        Err(EngineError::Eval(EvalError::TooDeep)) => {}
        other => panic!("expected the evaluator's depth limit, got {other:?}"),
    }
    assert!(text.len() > 1000);
}
