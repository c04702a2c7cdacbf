//! Random valid cases for every violation of every shipped ruleset, built from the catalogue
//! (the facts each violation reads, with their types and allowed values). Checks that a
//! checked ruleset never fails at run time for a well-typed case ("a checked ruleset never
//! raises a type error"), and the range invariants of design.md §4 on all encoded tables.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cailiang_engine::{catalogue::Entry, EngineError, Outcome, Ruleset};
use proptest::prelude::*;
use std::sync::OnceLock;

fn load(dir: &str, leaf: &str) -> Ruleset {
    let out = cailiang_dsl::load(cailiang_tests::shipped(dir));
    let p = out
        .program
        .as_ref()
        .unwrap_or_else(|| panic!("{dir} does not check: {:?}", out.diagnostics.first()));
    Ruleset::compile(p, Some(leaf)).unwrap()
}

fn guangdong() -> &'static (Ruleset, Vec<Entry>) {
    static RS: OnceLock<(Ruleset, Vec<Entry>)> = OnceLock::new();
    RS.get_or_init(|| {
        let rs = load("guangdong", "广东省生态环境行政处罚裁量基准");
        let cat = rs.catalogue();
        (rs, cat)
    })
}

fn cents(s: &str) -> i128 {
    let (a, b) = s.split_once('.').unwrap_or((s, "0"));
    let neg = a.starts_with('-');
    let v = a.trim_start_matches('-').parse::<i128>().unwrap() * 100 + b.parse::<i128>().unwrap();
    if neg {
        -v
    } else {
        v
    }
}

/// A JSON value for a fact of the catalogue, chosen by `r` (a random number).
fn value(ty: &str, values: &Option<Vec<String>>, r: u64) -> String {
    match ty {
        "bool" => r.is_multiple_of(2).to_string(),
        "enum" => {
            let v = values.as_ref().unwrap();
            format!("\"{}\"", v[(r as usize) % v.len()])
        }
        "money" => [
            "0",
            "1",
            "5000",
            "100000",
            "200000",
            "1000000",
            "35000000",
            "999999999",
        ][(r % 8) as usize]
            .to_string(),
        "integer" => (r % 7).to_string(),
        "percent" => ["0", "10", "30", "50", "80", "100"][(r % 6) as usize].to_string(),
        "date" => "\"2024-01-01\"".into(),
        // Numbers near typical band edges (months, tonnes, multiples, days).
        _ => [
            "0", "0.5", "1", "2.9", "3", "5", "6", "10", "12", "20", "50", "200", "1000",
        ][(r % 13) as usize]
            .to_string(),
    }
}

/// Dates of a case: before the 生态环境法典, or (for codes it added) after it.
const BEFORE_CODE: [&str; 3] = ["2024-03-01", "2024-06-01", "2024-09-01"];
const AFTER_CODE: [&str; 3] = ["2026-09-01", "2026-09-20", "2026-10-15"];

fn case_for(e: &Entry, seed: u64, dates: [&str; 3]) -> String {
    let mut r = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut facts = Vec::new();
    for f in &e.facts {
        r = r
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        // Sometimes leave an optional fact out: Guangdong art. 5 (lowest level) must apply.
        if !f.required && (r >> 33).is_multiple_of(5) {
            continue;
        }
        facts.push(format!(
            "\"{}\": {}",
            f.name,
            value(&f.ty, &f.values, r >> 33)
        ));
    }
    format!(
        "{{\"violation\": \"{}\", \"occurred_on\": \"{}\", \"discovered_on\": \"{}\", \"decided_on\": \"{}\", \"facts\": {{{}}}}}",
        e.code,
        dates[0],
        dates[1],
        dates[2],
        facts.join(", ")
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_guangdong_violation_decides_well_typed_cases(i in any::<usize>(), seed in any::<u64>()) {
        let (rs, cat) = guangdong();
        let e = &cat[i % cat.len()];
        let mut text = case_for(e, seed, BEFORE_CODE);
        let mut result = rs.evaluate_text(&text, false);
        if let Err(EngineError::Case(errs)) = &result {
            if errs.iter().any(|x| x.code() == "C0110") {
                text = case_for(e, seed, AFTER_CODE);
                result = rs.evaluate_text(&text, false);
            }
        }
        match result {
            Ok(d) => {
                let st = d.statutory.as_ref().unwrap();
                if let Some(f) = &d.fine {
                    let reduced = d.adjustments.iter().any(|a| a.kind == "reduce");
                    let (lo, hi) = if reduced { (0, cents(&st.min)) } else { (cents(&st.min), cents(&st.max)) };
                    for x in [&f.min, &f.max, &f.recommended] {
                        prop_assert!(cents(x) >= lo && cents(x) <= hi, "{}: {x} outside {lo}–{hi} for {text}", e.code);
                    }
                    prop_assert!(cents(&f.min) <= cents(&f.recommended) && cents(&f.recommended) <= cents(&f.max));
                } else {
                    prop_assert!(d.outcome != Outcome::Penalty, "penalty without a fine: {text}");
                }
                prop_assert_eq!(d.to_json(), rs.evaluate_text(&text, false).unwrap().to_json());
            }
            // A case can still be rejected (e.g. a base amount the statute needs is 0 and a
            // conditional fact is absent), but never with an engine error.
            Err(EngineError::Case(_)) => {}
            Err(EngineError::Eval(e)) => prop_assert!(false, "engine error {e} for {text}"),
        }
    }
}

#[test]
fn every_guangdong_violation_has_a_catalogue_entry_with_a_basis() {
    let (_, cat) = guangdong();
    assert!(cat.len() > 280, "only {} violations", cat.len());
    for e in cat {
        assert!(!e.basis.is_empty(), "{} has no basis", e.code);
    }
}
