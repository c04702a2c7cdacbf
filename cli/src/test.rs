//! `cailiang test PATH…`: run the example cases and profiles kept beside each ruleset
//! (`examples/*.yaml`, each with an `expect:` block; a profile has `as_of` and no
//! `violation`) and report, per ruleset, passed/failed examples and the factor levels and
//! exemptions no case exercised.

use cailiang_engine::{Decision, Ruleset};
use serde_json::Value as Json;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Ruleset folders under the given paths: folders holding `.rules` files directly.
fn ruleset_dirs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = BTreeSet::new();
    for p in paths {
        for f in crate::load::rules_files(p, true).unwrap_or_default() {
            if let Some(d) = f.parent() {
                out.insert(d.to_path_buf());
            }
        }
    }
    out.into_iter().collect()
}

fn case_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join("examples"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .map(|x| x == "yaml" || x == "yml" || x == "json")
                .unwrap_or(false)
        })
        .collect();
    v.sort();
    v
}

/// Compare the `expect:` block with a decision; returns the mismatches.
fn compare(expect: &Json, d: &Decision) -> Vec<String> {
    let actual = serde_json::to_value(d).unwrap_or(Json::Null);
    let mut bad = Vec::new();
    let Json::Object(m) = expect else {
        return vec!["expect 应为对象".into()];
    };
    for (k, want) in m {
        // `explanation_contains: [..]`, `interim_rule_contains`, `reason_contains`: each
        // substring must occur in that text (explanation lines are joined).
        if let Some(field) = k.strip_suffix("_contains") {
            let hay = match field {
                "reason" => actual.pointer("/choice_of_law/reason").cloned(),
                other => actual.get(other).cloned(),
            };
            let hay = match hay {
                Some(Json::String(s)) => s,
                Some(Json::Array(a)) => a
                    .iter()
                    .map(|x| {
                        x.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| x.to_string())
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => String::new(),
            };
            let wants: Vec<String> = match want {
                Json::Array(a) => a
                    .iter()
                    .map(|x| {
                        x.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| x.to_string())
                    })
                    .collect(),
                Json::String(s) => vec![s.clone()],
                other => vec![other.to_string()],
            };
            for w in wants {
                if !hay.contains(&w) {
                    bad.push(format!("{k}: 期望包含“{w}”，实际没有"));
                }
            }
            continue;
        }
        let got = match k.as_str() {
            "recommended" => actual.pointer("/fine/recommended"),
            "fine_min" => actual.pointer("/fine/min"),
            "fine_max" => actual.pointer("/fine/max"),
            "statutory_min" => actual.pointer("/statutory/min"),
            "statutory_max" => actual.pointer("/statutory/max"),
            "exemption_kind" => actual.pointer("/exemption/kind"),
            "exemption_rule" => actual.pointer("/exemption/rule"),
            "daily_total" => actual.pointer("/daily/total"),
            "applied" => actual.pointer("/choice_of_law/applied"),
            "code" => actual.pointer("/violation/code"),
            other => actual.get(other),
        }
        .cloned()
        .unwrap_or(Json::Null);
        let norm = |v: &Json| match v {
            Json::String(s) => s.clone(),
            other => other.to_string(),
        };
        let ok = match (k.as_str(), &got) {
            ("exemption_rule", Json::String(g)) => g.starts_with(&norm(want)),
            _ => norm(&got) == norm(want),
        };
        if !ok {
            bad.push(format!("{k}: 期望 {}，实际 {}", norm(want), norm(&got)));
        }
    }
    bad
}

/// Run every example; 0 when all pass.
pub fn run(paths: &[PathBuf]) -> u8 {
    let mut failed_total = 0;
    let mut ran = 0;
    for dir in ruleset_dirs(paths) {
        let cases = case_files(&dir);
        if cases.is_empty() {
            continue;
        }
        let rs: Ruleset = match crate::eval::compile(std::slice::from_ref(&dir), None) {
            Ok(r) => r,
            Err(_) => {
                eprintln!("{}: 规则无法编译", dir.display());
                failed_total += 1;
                continue;
            }
        };
        let (mut pass, mut fail) = (0, 0);
        let mut seen_levels = BTreeSet::new();
        let mut seen_exemptions = BTreeSet::new();
        for c in &cases {
            ran += 1;
            let name = c.display().to_string();
            let Ok(text) = std::fs::read_to_string(c) else {
                eprintln!("  失败 {name}: 无法读取");
                fail += 1;
                continue;
            };
            let yaml = !c.extension().map(|x| x == "json").unwrap_or(false);
            let json = if yaml {
                cailiang_engine::case::parse_yaml(&text)
            } else {
                cailiang_engine::case::parse_json(&text)
            };
            let json = match json {
                Ok(j) => j,
                Err(e) => {
                    eprintln!(
                        "  失败 {name}: {}",
                        e.first().map(|x| x.to_string()).unwrap_or_default()
                    );
                    fail += 1;
                    continue;
                }
            };
            // A profile (`as_of`, no `violation`) is assessed against the positive list.
            if cailiang_engine::profile::is_profile(&json) {
                let bad = crate::supervise::example(&rs, &json);
                if bad.is_empty() {
                    pass += 1;
                } else {
                    fail += 1;
                    eprintln!("  失败 {name}: {}", bad.join("；"));
                }
                continue;
            }
            let expect = json.get("expect").cloned();
            match (rs.evaluate_json(&json), expect) {
                (Ok(d), Some(exp)) => {
                    for f in &d.factors {
                        seen_levels.insert((
                            d.violation.code.to_string(),
                            f.factor.to_string(),
                            f.level.to_string(),
                        ));
                    }
                    if let Some(e) = &d.exemption {
                        seen_exemptions.insert(e.rule.split('：').next().unwrap_or("").to_string());
                    }
                    let bad = compare(&exp, &d);
                    if bad.is_empty() {
                        pass += 1;
                    } else {
                        fail += 1;
                        eprintln!("  失败 {name}: {}", bad.join("；"));
                    }
                }
                (Ok(_), None) => {
                    fail += 1;
                    eprintln!("  失败 {name}: 缺少 expect");
                }
                (Err(e), exp) => {
                    // A case may expect an error: `expect: {error: C0107}`.
                    let want = exp
                        .as_ref()
                        .and_then(|x| x.get("error"))
                        .and_then(|x| x.as_str())
                        .map(|s| s.to_string());
                    let codes: Vec<&str> = match &e {
                        cailiang_engine::EngineError::Case(v) => {
                            v.iter().map(|x| x.code()).collect()
                        }
                        _ => vec![],
                    };
                    if want.as_deref().map(|w| codes.contains(&w)).unwrap_or(false) {
                        pass += 1;
                    } else {
                        fail += 1;
                        crate::eval::print_case_errors(&name, &e);
                    }
                }
            }
        }
        let levels = rs.levels();
        let unexercised: Vec<String> = levels
            .iter()
            .filter(|l| !seen_levels.contains(&(l.code.clone(), l.factor.clone(), l.level.clone())))
            .map(|l| format!("{} {}“{}”", l.code, l.factor, l.level))
            .collect();
        let ex_missing: Vec<String> = rs
            .exemption_names()
            .into_iter()
            .filter(|e| !seen_exemptions.contains(e))
            .collect();
        outln!(
            "{}（{}）：{} 通过，{} 失败",
            rs.name(),
            dir.display(),
            pass,
            fail
        );
        outln!(
            "  因素档次覆盖：{}/{}",
            levels.len() - unexercised.len(),
            levels.len()
        );
        if !unexercised.is_empty() {
            let shown: Vec<&String> = unexercised.iter().take(12).collect();
            let more = unexercised.len().saturating_sub(12);
            outln!(
                "  未覆盖档次：{}{}",
                shown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("；"),
                if more > 0 {
                    format!(" 等 {more} 项")
                } else {
                    String::new()
                }
            );
        }
        if !ex_missing.is_empty() {
            outln!("  未触发的免罚规则：{}", ex_missing.join("、"));
        }
        failed_total += fail;
    }
    outln!(
        "{} passed, {} failed",
        ran - failed_total.min(ran),
        failed_total
    );
    u8::from(failed_total > 0)
}
