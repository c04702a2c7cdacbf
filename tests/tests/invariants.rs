//! Property tests for the decision invariants of design.md §4 on the shipped Guangdong
//! 未批先建 table (§1.1): range containment, monotone factors, determinism, no fine when
//! exempted or barred, and arbitrary JSON never panics the engine.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cailiang_engine::{Outcome, Ruleset};
use proptest::prelude::*;
use rust_decimal_shim::dec;
use std::sync::OnceLock;

mod rust_decimal_shim {
    /// Parse a contract money string for comparisons.
    pub fn dec(m: &impl std::fmt::Display) -> i128 {
        let s = &m.to_string();
        let (a, b) = s.split_once('.').unwrap_or((s, "0"));
        a.parse::<i128>().unwrap() * 100 + b.parse::<i128>().unwrap()
    }
}

fn rs() -> &'static Ruleset {
    static RS: OnceLock<Ruleset> = OnceLock::new();
    RS.get_or_init(|| {
        let out = cailiang_dsl::load(cailiang_tests::shipped("guangdong"));
        Ruleset::compile(
            out.program.as_ref().expect("shipped rules check"),
            Some("广东省生态环境行政处罚裁量基准"),
        )
        .expect("compile")
    })
}

const CLASSES: [&str; 3] = ["报告表", "报告书未纳入重点管理", "报告书且已纳入重点管理"];
const PLACES: [&str; 3] = [
    "一般区域",
    "限批区或敏感区",
    "饮用水水源保护区或生态保护红线",
];
const STAGES: [&str; 3] = ["基础建设阶段", "设备安装阶段", "投入生产使用阶段"];

#[allow(clippy::too_many_arguments)]
fn case(
    invest: u64,
    c: usize,
    p: usize,
    s: usize,
    months: u32,
    times: u32,
    coop: bool,
    extra: &str,
) -> String {
    format!(
        "violation: EIA-31-1\noccurred_on: 2024-03-01\ndiscovered_on: 2024-05-01\nfacts:\n  总投资额: {invest}\n  环评文件类别: {}\n  建设地点: {}\n  建设情况: {}\n  持续月数: {months}\n  近二年同类次数: {times}\n  配合调查: {coop}\n{extra}",
        CLASSES[c], PLACES[p], STAGES[s]
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn fine_stays_in_the_statutory_range(invest in 1u64..10_000_000_000, c in 0usize..3, p in 0usize..3, s in 0usize..3,
                                          months in 0u32..40, times in 1u32..8, coop: bool, apology: bool) {
        let extra = if apology { "  公开道歉承诺: true\n" } else { "" };
        let d = rs().evaluate_text(&case(invest, c, p, s, months, times, coop, extra), true).unwrap();
        let st = d.statutory.as_ref().unwrap();
        let f = d.fine.as_ref().unwrap();
        for x in [&f.min, &f.max, &f.recommended] {
            prop_assert!(dec(x) >= dec(&st.min) && dec(x) <= dec(&st.max), "{x} outside {}–{}", st.min, st.max);
            prop_assert!(dec(x) >= 0);
        }
    }

    #[test]
    fn worse_facts_never_lower_the_fine(invest in 1_000_000u64..1_000_000_000, c in 0usize..3, p in 0usize..3, s in 0usize..3,
                                         months in 0u32..40, more in 0u32..20, times in 1u32..6, coop: bool) {
        let a = rs().evaluate_text(&case(invest, c, p, s, months, times, coop, ""), true).unwrap();
        let b = rs().evaluate_text(&case(invest, c, p, s, months + more, times + 1, coop, ""), true).unwrap();
        prop_assert!(dec(&b.fine.unwrap().recommended) >= dec(&a.fine.unwrap().recommended));
    }

    #[test]
    fn same_case_same_bytes(invest in 1u64..1_000_000_000, c in 0usize..3, months in 0u32..40) {
        let t = case(invest, c, 0, 0, months, 1, true, "");
        prop_assert_eq!(rs().evaluate_text(&t, true).unwrap().to_json(), rs().evaluate_text(&t, true).unwrap().to_json());
    }

    #[test]
    fn exempted_or_barred_cases_carry_no_fine(minor: bool, late: bool) {
        let extra = if minor { "  违法行为轻微: true\n  及时改正: true\n  造成危害后果: false\n" } else { "" };
        let mut t = case(1_000_000, 0, 0, 0, 1, 1, true, extra);
        if late {
            t = t.replace("discovered_on: 2024-05-01", "discovered_on: 2027-05-01");
        }
        let d = rs().evaluate_text(&t, true).unwrap();
        if late {
            prop_assert_eq!(d.outcome, Outcome::TimeBarred);
        } else if minor {
            prop_assert_eq!(d.outcome, Outcome::NoPenalty);
            prop_assert!(d.exemption.as_ref().unwrap().basis.contains("第三十三条"));
        }
        if d.outcome != Outcome::Penalty {
            prop_assert!(d.fine.is_none());
        }
    }

    #[test]
    fn arbitrary_json_never_panics(s in ".{0,200}") {
        let _ = rs().evaluate_text(&s, false);
        let _ = rs().evaluate_text(&s, true);
    }

    #[test]
    fn arbitrary_fact_values_never_panic(v in prop_oneof![Just("1e30".to_string()), Just("-5".to_string()), Just("\"x\"".to_string()), "[0-9]{1,30}", Just("null".to_string()), Just("[1]".to_string())]) {
        let t = format!("{{\"violation\":\"EIA-31-1\",\"occurred_on\":\"2024-03-01\",\"facts\":{{\"总投资额\":{v},\"持续月数\":{v}}}}}");
        let _ = rs().evaluate_text(&t, false);
    }
}
