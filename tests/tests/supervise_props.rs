//! Property tests for the positive list (issue 5): a qualifying event inside the window means
//! the enterprise is never listed; moving `as_of` past the window restores eligibility unless
//! another rule forbids it; a removal always carries its trigger.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cailiang_engine::{Ruleset, Status};
use cailiang_tests::ruleset;
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

const RULES: &str = r#"
规则集 性质清单
事实 事件种类：｛环境违法，环境犯罪｝
事实 稳定达标：是否
事实 信用等级：｛诚信，良好，警示，不良｝
正面清单 清单 "性质测试清单"
  依据 "环办执法〔2021〕10号"
  有效期 3年
  禁入期 3年
  基本条件：
    条件 两年无违法 当 近期次数(环境违法, 2年) = 0
    条件 达标 当 稳定达标
  筛选条件 至少 1：
    条件 信用好 当 信用等级 属于 ｛诚信，良好｝
  排除：
    条件 犯罪 当 近期次数(环境犯罪, 3年) ≥ 1
  移出：
    条件 纳入后违法 当 纳入以来次数(环境违法) ≥ 1
  措施 已纳入：非现场检查为主
  措施 未纳入：双随机抽查比例 = 5%
"#;

fn rs() -> Ruleset {
    ruleset(&[RULES]).unwrap()
}

fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()
}

fn profile(as_of: NaiveDate, events: &[(&str, NaiveDate)], listed_on: Option<NaiveDate>) -> String {
    let history: Vec<String> = events
        .iter()
        .map(|(k, d)| format!("{{\"kind\": \"{k}\", \"date\": \"{d}\"}}"))
        .collect();
    let listing = listed_on
        .map(|d| format!(", \"listing\": {{\"listed_on\": \"{d}\"}}"))
        .unwrap_or_default();
    format!(
        "{{\"as_of\": \"{as_of}\", \"facts\": {{\"稳定达标\": true, \"信用等级\": \"良好\"}}, \"history\": [{}]{listing}}}",
        history.join(", ")
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A violation within the two-year window: never listed nor eligible.
    #[test]
    fn an_event_inside_the_window_prevents_listing(days_ago in 0u64..730) {
        let rs = rs();
        let d = base().checked_sub_days(Days::new(days_ago)).unwrap();
        let s = rs.supervise_text(&profile(base(), &[("环境违法", d)], None), false).unwrap();
        prop_assert!(!matches!(s.status, Status::Listed | Status::Eligible), "{:?} with a violation {days_ago} days before", s.status);
    }

    /// The same enterprise assessed after the window has passed is eligible again.
    #[test]
    fn moving_as_of_past_the_window_restores_eligibility(days_ago in 0u64..730, extra in 1u64..400) {
        let rs = rs();
        let d = base().checked_sub_days(Days::new(days_ago)).unwrap();
        // Two years and a day after the event (and then some): outside 近期次数(…, 2年).
        let later = d.checked_add_months(chrono::Months::new(24)).unwrap().checked_add_days(Days::new(extra)).unwrap();
        let s = rs.supervise_text(&profile(later, &[("环境违法", d)], None), false).unwrap();
        prop_assert_eq!(s.status, Status::Eligible);
        // …unless another rule forbids it: a crime within three years excludes.
        let crime = later.checked_sub_days(Days::new(30)).unwrap();
        let s = rs.supervise_text(&profile(later, &[("环境违法", d), ("环境犯罪", crime)], None), false).unwrap();
        prop_assert_eq!(s.status, Status::Excluded);
    }

    /// A listed enterprise with a violation after listing is removed, and the decision names
    /// the trigger and the re-entry date.
    #[test]
    fn removal_always_carries_its_trigger(listed_days_ago in 30u64..900, violation_after in 1u64..29) {
        let rs = rs();
        let listed = base().checked_sub_days(Days::new(listed_days_ago)).unwrap();
        let v = listed.checked_add_days(Days::new(violation_after)).unwrap();
        let s = rs.supervise_text(&profile(base(), &[("环境违法", v)], Some(listed)), false).unwrap();
        prop_assert_eq!(s.status, Status::Removed);
        prop_assert!(!s.triggers.is_empty(), "removed without a trigger");
        prop_assert!(s.reentry_allowed_on.is_some());
    }
}
