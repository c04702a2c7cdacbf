//! Structured cases: a shipped ruleset and catalogue code(s) picked by the fuzzer, facts of the
//! right names with arbitrary values (well-typed mostly, sometimes not), arbitrary dates.
//! Evaluated with the explanation and without (`evaluate_numbers`): the same result either
//! way apart from the text; a fine has min ≤ recommended ≤ max, inside the statutory range
//! unless 减轻 took it below the minimum. Never a panic nor an internal error.
#![no_main]
use arbitrary::{Result, Unstructured};
use cailiang_engine::{catalogue::Entry, Decision, EvalError, Outcome};
use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::str::FromStr;

fn day(u: &mut Unstructured) -> Result<NaiveDate> {
    // Mostly 2019–2029 (the shipped versions' periods and the change of law), sometimes 2000–2035.
    let (from, span) = if u.ratio(1, 8)? {
        (2000, 365 * 36)
    } else {
        (2019, 365 * 11)
    };
    let n = u.int_in_range(0u64..=span)?;
    Ok(NaiveDate::from_ymd_opt(from, 1, 1)
        .and_then(|d| d.checked_add_days(Days::new(n)))
        .unwrap_or_default())
}

/// A date as case text; rarely odd text.
fn text(u: &mut Unstructured, d: NaiveDate) -> Result<String> {
    if u.ratio(1, 60)? {
        return Ok(u
            .choose(&[
                "2024-02-30",
                "0000-01-01",
                "9999-12-31",
                "2024-1-1",
                " 2024-03-01 ",
                "",
            ])?
            .to_string());
    }
    Ok(d.format("%Y-%m-%d").to_string())
}

/// A date usually at or after `base` (up to about three years), sometimes anywhere.
fn after(u: &mut Unstructured, base: NaiveDate) -> Result<NaiveDate> {
    if u.ratio(1, 10)? {
        return day(u);
    }
    let n = u.int_in_range(0u64..=1100)?;
    Ok(base.checked_add_days(Days::new(n)).unwrap_or(base))
}

fn date(u: &mut Unstructured) -> Result<String> {
    let d = day(u)?;
    text(u, d)
}

fn number(u: &mut Unstructured, ty: &str) -> Result<Value> {
    let wild = u.ratio(1, 10)?;
    let pick = if wild {
        u.int_in_range(0u8..=9)?
    } else {
        *u.choose(&[0u8, 1, 2, 4, 9, 9, 9])?
    };
    Ok(match pick {
        0 => Value::from(u.int_in_range(0u32..=20)?),
        1 => Value::from(u.arbitrary::<u32>()?),
        2 => {
            let m: u64 = if wild {
                u.arbitrary()?
            } else {
                u.int_in_range(0..=2_000_000_000)?
            };
            let scale = u.int_in_range(0u32..=8)?;
            Value::String(Decimal::new((m >> 1) as i64, scale).to_string())
        }
        3 => Value::String(u.arbitrary::<u128>()?.to_string()),
        4 => Value::String(format!(
            "{}{}",
            u.int_in_range(0u32..=100_000)?,
            u.choose(&["万元", "亿元", "元", "%", "％", "倍", ""])?
        )),
        5 => Value::String(format!(
            "{}e{}",
            u.int_in_range(0u32..=99)?,
            u.int_in_range(0i32..=30)?
        )),
        6 => Value::from(-(u.int_in_range(1i64..=1000)?)),
        7 => Value::String(
            u.choose(&[
                "79228162514264337593543950335",
                "0.0000000000000000000000000001",
                "0",
            ])?
            .to_string(),
        ),
        8 if ty == "integer" => Value::String(format!("{}.5", u.int_in_range(0u32..=10)?)),
        _ => {
            // Near the band edges of the shipped tables.
            let x = *u.choose(&[
                "0",
                "0.5",
                "1",
                "2.9",
                "3",
                "5",
                "6",
                "10",
                "12",
                "20",
                "50",
                "100",
                "200",
                "1000",
                "5000",
                "10000",
                "100000",
                "200000",
                "1000000",
                "35000000",
                "999999999",
            ])?;
            Value::String(x.to_string())
        }
    })
}

fn fact_value(u: &mut Unstructured, ty: &str, values: Option<&Vec<String>>) -> Result<Value> {
    if u.ratio(1, 60)? {
        // The wrong kind of value.
        return Ok(match u.int_in_range(0u8..=3)? {
            0 => Value::Null,
            1 => Value::Array(vec![]),
            2 => Value::String(u.arbitrary::<String>()?),
            _ => Value::Bool(u.arbitrary()?),
        });
    }
    Ok(match ty {
        "bool" => {
            if u.ratio(1, 5)? {
                Value::String(u.choose(&["是", "否", "true", "false"])?.to_string())
            } else {
                Value::Bool(u.arbitrary()?)
            }
        }
        "enum" => match values {
            Some(v) if !v.is_empty() && !u.ratio(1, 60)? => Value::String(u.choose(v)?.clone()),
            _ => Value::String(u.arbitrary::<String>()?),
        },
        "date" => Value::String(date(u)?),
        "text" => Value::String(u.arbitrary::<String>()?),
        _ => number(u, ty)?,
    })
}

fn case(u: &mut Unstructured, cat: &[Entry]) -> Result<Value> {
    let first = u.choose(cat)?;
    let mut entries = vec![first];
    let mut obj = Map::new();
    if u.ratio(1, 8)? {
        for _ in 0..u.int_in_range(1..=3)? {
            entries.push(u.choose(cat)?);
        }
        obj.insert(
            "violation".into(),
            Value::Array(
                entries
                    .iter()
                    .map(|e| Value::String(e.code.clone()))
                    .collect(),
            ),
        );
    } else {
        obj.insert("violation".into(), Value::String(first.code.clone()));
    }
    // Dates: an act, and sometimes its end, discovery and decision at or after it.
    let occurred = day(u)?;
    obj.insert("occurred_on".into(), Value::String(text(u, occurred)?));
    let mut last = occurred;
    for k in ["ended_on", "discovered_on", "decided_on"] {
        if u.ratio(2, 3)? {
            let d = after(u, last)?;
            last = last.max(d);
            obj.insert(k.into(), Value::String(text(u, d)?));
        }
    }
    if u.ratio(1, 10)? {
        let served = after(u, occurred)?;
        let reinspected = after(u, served)?;
        let mut d = Map::new();
        d.insert("served_on".into(), Value::String(text(u, served)?));
        d.insert(
            "reinspected_on".into(),
            Value::String(text(u, reinspected)?),
        );
        obj.insert("daily_penalty".into(), Value::Object(d));
    }
    let mut facts = Map::new();
    for e in &entries {
        for f in &e.facts {
            if facts.contains_key(&f.name) || (!f.required && u.ratio(1, 4)?) {
                continue;
            }
            facts.insert(f.name.clone(), fact_value(u, &f.ty, f.values.as_ref())?);
        }
    }
    obj.insert("facts".into(), Value::Object(facts));
    Ok(Value::Object(obj))
}

/// The amount as written in the decision (its text is the contract).
fn dec(m: &impl std::fmt::Display) -> Decimal {
    let s = &m.to_string();
    Decimal::from_str(s).unwrap_or_else(|e| panic!("not a decimal: {s:?}: {e}"))
}

/// The decision without the text that only `evaluate` writes.
fn numbers(d: &Decision) -> String {
    let mut d = d.clone();
    d.explanation.clear();
    d.factors.clear();
    d.why_not.clear();
    d.to_json()
}

fn invariants(d: &Decision, case: &str) {
    let Some(f) = &d.fine else {
        assert!(
            d.outcome != Outcome::Penalty,
            "a penalty without a fine for\n{case}"
        );
        return;
    };
    let (min, rec, max) = (dec(&f.min), dec(&f.recommended), dec(&f.max));
    assert!(
        min <= rec && rec <= max,
        "fine {min} / {rec} / {max} out of order for\n{case}\n{}",
        d.to_json()
    );
    if let Some(st) = &d.statutory {
        let (lo, hi) = (dec(&st.min), dec(&st.max));
        let reduced = d.adjustments.iter().any(|a| a.kind == "reduce");
        let (lo, hi) = if reduced {
            (Decimal::ZERO, hi)
        } else {
            (lo, hi)
        };
        assert!(
            lo <= min && max <= hi,
            "fine {min}–{max} outside the statutory {lo}–{hi} for\n{case}\n{}",
            d.to_json()
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let all = cailiang_fuzz::shipped();
    let Ok(s) = u.choose(all) else { return };
    let Ok(json) = case(&mut u, &s.catalogue) else {
        return;
    };
    let text = serde_json::to_string_pretty(&json).unwrap_or_default();
    // FUZZ_PRINT=1 shows the case an input decodes to (for reproducing a crash by hand).
    if std::env::var_os("FUZZ_PRINT").is_some() {
        eprintln!("{}: {text}", s.name);
    }
    let Ok(c) = s.rs.prepare(&json) else { return };
    let full = s.rs.evaluate(&c);
    let bare = s.rs.evaluate_numbers(&c);
    match (&full, &bare) {
        (Ok(a), Ok(b)) => {
            assert_eq!(
                numbers(a),
                numbers(b),
                "{}: the numbers differ with and without the explanation for\n{text}",
                s.name
            );
            assert!(
                b.explanation.is_empty() && b.factors.is_empty() && b.why_not.is_empty(),
                "{}: evaluate_numbers wrote text for\n{text}",
                s.name
            );
            invariants(a, &text);
        }
        (Err(EvalError::Arithmetic { .. }), Err(EvalError::Arithmetic { .. })) => {}
        _ => panic!(
            "{}: evaluate {:?} / evaluate_numbers {:?} for\n{text}",
            s.name,
            full.as_ref().map(|d| d.outcome),
            bare.as_ref().map(|d| d.outcome)
        ),
    }
});
