//! Random valid cases for every violation of the shipped rulesets, built from the catalogue
//! (the facts each violation reads, with their types and allowed values) by the shared
//! generator `cailiang_tests::generate` (also behind `scripts/differential`). Checks that a
//! checked ruleset never fails at run time for a well-typed case ("a checked ruleset never
//! raises a type error"), and the range invariants of design.md §4 on all encoded tables.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cailiang_engine::{catalogue::Entry, EngineError, Outcome, Ruleset};
use cailiang_tests::generate::{Generator, Options};
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

fn guangdong() -> &'static (Ruleset, Vec<Entry>, Generator) {
    static RS: OnceLock<(Ruleset, Vec<Entry>, Generator)> = OnceLock::new();
    RS.get_or_init(|| {
        let rs = load("guangdong", "广东省生态环境行政处罚裁量基准");
        let cat = rs.catalogue();
        let gen = Generator::new(cat.clone(), 0, Options::valid());
        (rs, cat, gen)
    })
}

fn cents(m: &impl std::fmt::Display) -> i128 {
    let s = &m.to_string();
    let (a, b) = s.split_once('.').unwrap_or((s, "0"));
    let neg = a.starts_with('-');
    let v = a.trim_start_matches('-').parse::<i128>().unwrap() * 100 + b.parse::<i128>().unwrap();
    if neg {
        -v
    } else {
        v
    }
}

/// Check one decided or rejected case: no engine error ever; a well-formed case is decided
/// (the generator only leaves out facts the catalogue does not require); a fine stays in
/// the statutory range (below it only when 减轻 applied); the same case gives the same bytes.
fn check(rs: &Ruleset, code: &str, text: &str) -> Result<(), String> {
    match rs.evaluate_text(text, false) {
        Ok(d) => {
            if let Some(f) = &d.fine {
                let st = d.statutory.as_ref().ok_or_else(|| {
                    format!("{code}: a fine without a statutory range for {text}")
                })?;
                let reduced = d.adjustments.iter().any(|a| a.kind == "reduce");
                let aggravated = d.adjustments.iter().any(|a| a.kind == "aggravate");
                // Only 减轻 goes below the minimum; with 从重 as well the officer chooses
                // between the reduced floor and the statutory maximum (并列).
                let (lo, hi) = match (reduced, aggravated) {
                    (true, false) => (0, cents(&st.min)),
                    (true, true) => (0, cents(&st.max)),
                    _ => (cents(&st.min), cents(&st.max)),
                };
                for x in [&f.min, &f.max, &f.recommended] {
                    if !(cents(x) >= lo && cents(x) <= hi) {
                        return Err(format!("{code}: {x} outside {lo}–{hi} for {text}"));
                    }
                }
                if !(cents(&f.min) <= cents(&f.recommended)
                    && cents(&f.recommended) <= cents(&f.max))
                {
                    return Err(format!("{code}: recommended outside min–max for {text}"));
                }
            } else if d.outcome == Outcome::Penalty {
                return Err(format!("penalty without a fine: {text}"));
            }
            let again = rs.evaluate_text(text, false).map(|x| x.to_json());
            if again.as_ref() != Ok(&d.to_json()) {
                return Err(format!("{code}: not deterministic for {text}"));
            }
            // The engine's own JSON writer writes serde_json's bytes (the contract's layout).
            if serde_json::to_string_pretty(&d).ok().as_ref() != Some(&d.to_json()) {
                return Err(format!(
                    "{code}: to_json differs from serde_json for {text}"
                ));
            }
            Ok(())
        }
        // A fact only a conditional fine needs (`罚款 当 条件：基数 的 …`) is not `required` in
        // the catalogue; left out while the condition holds, the case is rightly rejected.
        Err(EngineError::Case(errs)) if errs.iter().all(|e| e.code() == "C0107") => Ok(()),
        Err(EngineError::Case(errs)) => Err(format!(
            "{code}: a well-formed case was rejected: {} for {text}",
            errs.iter()
                .map(|e| format!("{} {e}", e.code()))
                .collect::<Vec<_>>()
                .join("; ")
        )),
        Err(EngineError::Eval(e)) => Err(format!("engine error {e} for {text}")),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_guangdong_violation_decides_well_typed_cases(i in any::<usize>(), seed in any::<u64>()) {
        let (rs, cat, gen) = guangdong();
        let g = gen.case_for(i % cat.len(), seed);
        let code = g.codes.join(",");
        if let Err(e) = check(rs, &code, &g.text) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Every code of every province's rules (and the national ones), one generated case each
/// (dates before, after and across the 生态环境法典 by turns).
#[test]
fn every_code_of_every_ruleset_decides_a_generated_case() {
    for (dir, leaf) in [
        ("national", "全国生态环境法律"),
        ("guangdong", "广东省生态环境行政处罚裁量基准"),
        ("hunan", "湖南省生态环境保护行政处罚裁量权基准"),
        ("neimenggu", "内蒙古生态环境轻微违法免罚清单"),
    ] {
        let rs = load(dir, leaf);
        let cat = rs.catalogue();
        let n = cat.len() as u64;
        let gen = Generator::new(cat, 7, Options::valid());
        let mut failures = Vec::new();
        for i in 0..n {
            let g = gen.case(i);
            if let Err(e) = check(&rs, &g.codes.join(","), &g.text) {
                failures.push(e);
            }
        }
        assert!(
            failures.is_empty(),
            "{dir}: {} of {} failed, first: {}",
            failures.len(),
            n,
            failures.first().map(String::as_str).unwrap_or_default()
        );
    }
}

/// Record, for every key path of a decision's JSON (`choice_of_law.act`,
/// `candidates[].recommended`), whether it was seen null/empty and seen filled.
fn note_parts(
    seen: &mut std::collections::BTreeMap<String, (bool, bool)>,
    path: &str,
    v: &serde_json::Value,
) {
    use serde_json::Value;
    let empty = matches!(v, Value::Null) || v.as_array().is_some_and(Vec::is_empty);
    let entry = seen.entry(path.to_string()).or_default();
    if empty {
        entry.0 = true;
    } else {
        entry.1 = true;
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                note_parts(seen, &p, x);
            }
        }
        Value::Array(xs) => {
            for x in xs {
                note_parts(seen, &format!("{path}[]"), x);
            }
        }
        _ => {}
    }
}

/// `Decision::to_json` is written by hand, one branch per optional part: generated cases
/// (each held to serde_json's bytes by `check`) must reach every part both absent and present,
/// so a branch no shipped ruleset reaches cannot hide a difference.
#[test]
fn generated_cases_write_every_part_of_a_decision_both_ways() {
    let mut seen = std::collections::BTreeMap::new();
    for (dir, leaf, count) in [
        ("guangdong", "广东省生态环境行政处罚裁量基准", 1500),
        ("national", "全国生态环境法律", 800),
    ] {
        let rs = load(dir, leaf);
        let gen = Generator::new(rs.catalogue(), 11, Options::valid());
        for i in 0..count {
            let g = gen.case(i);
            if let Err(e) = check(&rs, &g.codes.join(","), &g.text) {
                panic!("{e}");
            }
            if let Ok(d) = rs.evaluate_text(&g.text, false) {
                let v: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
                note_parts(&mut seen, "", &v);
            }
        }
    }
    let optional = [
        "ruleset.version",
        "exemption",
        "statutory",
        "fine",
        "severity",
        "discretion_percent",
        "adjustments",
        "factors",
        "why_not",
        "choice_of_law",
        "choice_of_law.act",
        "choice_of_law.decision",
        "choice_of_law.decision.recommended",
        "candidates",
        "candidates[].recommended",
        "daily",
        "interim_rule",
    ];
    for part in optional {
        assert_eq!(
            seen.get(part),
            Some(&(true, true)),
            "{part}: (seen absent, seen present)"
        );
    }
    for part in ["measures", "defaults_used", "exemption.mandatory"] {
        assert!(seen.get(part).is_some_and(|s| s.1), "{part} never written");
    }
}

#[test]
fn every_guangdong_violation_has_a_catalogue_entry_with_a_basis() {
    let (_, cat, _) = guangdong();
    assert!(cat.len() > 280, "only {} violations", cat.len());
    for e in cat {
        assert!(!e.basis.is_empty(), "{} has no basis", e.code);
    }
}
