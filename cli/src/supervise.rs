//! `cailiang supervise --rules PATH PROFILE… [--format json|text]`: assess enterprise
//! profiles against a positive list. A `.jsonl` file holds one JSON profile per line: each
//! result is printed on one line, then a summary by status on standard error.

use cailiang_engine::{Ruleset, SuperviseError, Supervision};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Print profile errors, one per line, naming the field.
pub fn print_errors(name: &str, e: &SuperviseError) {
    match e {
        SuperviseError::Profile(errs) => {
            for p in errs {
                eprintln!("{name}: 错误[{}]: {p}", p.code());
            }
        }
        SuperviseError::Eval(x) => eprintln!("{name}: 错误: {x}"),
    }
}

fn read(p: &Path) -> Result<String, String> {
    if p.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| e.to_string())?;
        return Ok(s);
    }
    std::fs::read_to_string(p).map_err(|e| format!("读取 {} 失败：{e}", p.display()))
}

fn is_yaml(p: &Path) -> bool {
    p.extension()
        .map(|x| x == "yaml" || x == "yml")
        .unwrap_or(false)
}

fn status_name(s: &Supervision) -> String {
    serde_json::to_value(s.status)
        .ok()
        .and_then(|v| v.as_str().map(|x| x.to_string()))
        .unwrap_or_default()
}

/// Assess each profile; 0 all assessed, 1 any profile error.
pub fn run(rules: &[PathBuf], ruleset: Option<&str>, profiles: &[PathBuf], json: bool) -> u8 {
    let rs: Ruleset = match crate::eval::compile(rules, ruleset) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut status = 0;
    let mut outputs = Vec::new();
    for p in profiles {
        let text = match read(p) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("错误：{e}");
                status = 1;
                continue;
            }
        };
        if p.extension().map(|x| x == "jsonl").unwrap_or(false) {
            status = status.max(batch(&rs, &p.display().to_string(), &text, json));
            continue;
        }
        match rs.supervise_text(&text, is_yaml(p)) {
            Ok(s) => outputs.push(if json { s.to_json() } else { s.to_text() }),
            Err(e) => {
                print_errors(&p.display().to_string(), &e);
                status = 1;
            }
        }
    }
    crate::eval::print_outputs(&outputs, json);
    status
}

/// One profile per line: one compact result per line, then a summary on standard error.
fn batch(rs: &Ruleset, name: &str, text: &str, json: bool) -> u8 {
    let mut status = 0;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    // On-site visits the plan implies per random-check round (units of 1/10000 visit): the sum
    // of each firm's 双随机抽查比例; listed firms add none (no visit without a clue).
    let mut visit_units: u64 = 0;
    let mut without_ratio = 0usize;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("{name}:{}", i + 1);
        match rs.supervise_text(line, false) {
            Ok(s) => {
                *counts.entry(status_name(&s)).or_default() += 1;
                let ratio = s
                    .measures
                    .iter()
                    .rev()
                    .find(|m| m.name == "双随机抽查比例")
                    .and_then(|m| m.value.as_deref())
                    .and_then(percent_units);
                match (status_name(&s).as_str(), ratio) {
                    ("listed", _) => {}
                    (_, Some(r)) => visit_units += r,
                    (_, None) => without_ratio += 1,
                }
                if json {
                    outln!(
                        "{}",
                        serde_json::to_string(&s)
                            .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
                    );
                } else {
                    let who = match s.enterprise.get("name") {
                        Some(Json::String(n)) => n.clone(),
                        _ => at.clone(),
                    };
                    outln!("{who}\t{}\t{}", status_name(&s), s.status_label);
                }
            }
            Err(e) => {
                *counts.entry("error".into()).or_default() += 1;
                print_errors(&at, &e);
                status = 1;
            }
        }
    }
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
    eprintln!("{name}：{}", summary.join("，"));
    eprintln!(
        "{name}：按双随机抽查比例，每轮预计现场检查 {}.{:02} 家次（已纳入清单的企业不计；{} 家未纳入企业的规则集未给出比例，未计入）",
        visit_units / 10000,
        (visit_units % 10000) / 100,
        without_ratio
    );
    status
}

/// A ratio such as `5%` or `12.5%` in units of 1/10000 of a visit per firm (5% → 500).
fn percent_units(v: &str) -> Option<u64> {
    let t = v.trim().trim_end_matches(['%', '％']);
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let int: u64 = int.parse().ok()?;
    let frac: u64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<u64>().ok()? * 10,
        _ => frac.get(..2)?.parse().ok()?,
    };
    Some(int * 100 + frac)
}

/// Run one example profile for `cailiang test`; returns the mismatches (empty: passed).
pub fn example(rs: &Ruleset, json: &Json) -> Vec<String> {
    let expect = json.get("expect").cloned();
    let result = rs.supervise_json(json);
    let Some(exp) = expect else {
        return vec!["缺少 expect".into()];
    };
    let Json::Object(want) = &exp else {
        return vec!["expect 应为对象".into()];
    };
    let s = match result {
        Ok(s) => s,
        Err(e) => {
            let codes: Vec<&str> = match &e {
                SuperviseError::Profile(v) => v.iter().map(|x| x.code()).collect(),
                SuperviseError::Eval(_) => vec![],
            };
            let w = want.get("error").and_then(|x| x.as_str());
            if w.map(|w| codes.contains(&w)).unwrap_or(false) {
                return Vec::new();
            }
            return vec![format!("{e}：{}", codes.join("、"))];
        }
    };
    let actual = serde_json::to_value(&s).unwrap_or(Json::Null);
    let norm = |v: &Json| match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut bad = Vec::new();
    for (k, w) in want {
        if k == "measures" {
            let Json::Object(ms) = w else {
                bad.push("expect.measures 应为对象（名称: 值）".into());
                continue;
            };
            for (m, v) in ms {
                let got = s.measures.iter().find(|x| &x.name == m);
                let ok = match (got, v) {
                    (None, Json::Null) | (None, Json::Bool(false)) => true,
                    (Some(g), Json::Bool(true)) => g.value.is_none(),
                    (Some(g), v) => g.value.as_deref() == Some(norm(v).as_str()),
                    (None, _) => false,
                };
                if !ok {
                    bad.push(format!(
                        "措施 {m}: 期望 {}，实际 {}",
                        norm(v),
                        got.map(|g| g.value.clone().unwrap_or_else(|| "（有）".into()))
                            .unwrap_or_else(|| "（无）".into())
                    ));
                }
            }
            continue;
        }
        let got = match k.as_str() {
            "screening_met" => actual.pointer("/screening/met"),
            other => actual.get(other),
        }
        .cloned()
        .unwrap_or(Json::Null);
        if norm(&got) != norm(w) {
            bad.push(format!("{k}: 期望 {}，实际 {}", norm(w), norm(&got)));
        }
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::percent_units;

    #[test]
    fn ratios_in_ten_thousandths_of_a_visit() {
        assert_eq!(percent_units("5%"), Some(500));
        assert_eq!(percent_units("12.5%"), Some(1250));
        assert_eq!(percent_units("100%"), Some(10000));
        assert_eq!(percent_units("0.25％"), Some(25));
        assert_eq!(percent_units("提高"), None);
    }
}
