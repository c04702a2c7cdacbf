//! The decision of W1 and W2 as data, and its four renderings: cailiang's DSL, a ZEN JDM graph,
//! Rego (policy + data) and the parameters of the hand-written function.
//!
//! W1 is one violation; W2 is 50 violations of the same shape with different statutory bounds
//! and factor thresholds. Scores, weights, the cap, the floor and the exemption are the same
//! for every violation (they are written once in every engine).

use crate::rng::Rng;
use serde_json::{json, Value};

/// One violation of the W1 shape. Thresholds of 超标倍数 are in hundredths (0.5 → 50).
#[derive(Debug, Clone)]
pub struct Params {
    pub code: String,
    /// Statutory minimum and maximum, in yuan (multiples of 100).
    pub lo: i64,
    pub hi: i64,
    /// 超标倍数: `< t0` → 20, `[t0, t1)` → 40, `[t1, t2)` → 70, `≥ t2` → 100 (hundredths).
    pub exceed: [i64; 3],
    /// 持续天数: `≤ d0` → 20, `d0+1 ..= d1` → 50, `> d1` → 100.
    pub days: [i64; 2],
}

pub const W1_CODE: &str = "W1";

/// W1 exactly as the issue states it.
pub fn w1() -> Params {
    Params {
        code: W1_CODE.into(),
        lo: 100_000,
        hi: 1_000_000,
        exceed: [50, 100, 300],
        days: [1, 7],
    }
}

/// W2: `n` violations with different bounds and thresholds (deterministic).
pub fn w2(n: usize) -> Vec<Params> {
    let mut r = Rng::new(0x5eed_0002);
    (0..n)
        .map(|i| {
            // Bounds are multiples of 100 but the span is not a multiple of 10 000, so
            // span × percentage often falls between hundreds: rounding is exercised.
            let lo = 100 * r.range(50, 5_000) as i64; // 5千 – 50万
            let hi = lo + 100 * r.range(500, 50_000) as i64; // + 5万 – 500万
            let t0 = r.range(20, 80) as i64;
            let t1 = t0 + r.range(10, 100) as i64;
            let t2 = t1 + r.range(50, 300) as i64;
            let d0 = r.range(0, 4) as i64;
            let d1 = d0 + r.range(2, 12) as i64;
            Params {
                code: format!("V{:02}", i + 1),
                lo,
                hi,
                exceed: [t0, t1, t2],
                days: [d0, d1],
            }
        })
        .collect()
}

/// Hundredths as a decimal literal: 50 → "0.5", 135 → "1.35", 300 → "3".
pub fn dec(h: i64) -> String {
    let (i, f) = (h / 100, h % 100);
    match f {
        0 => format!("{i}"),
        f if f % 10 == 0 => format!("{i}.{}", f / 10),
        f => format!("{i}.{f:02}"),
    }
}

// ───────────── cailiang ─────────────

/// The header, facts and exemption shared by W1 and W2 (w1.rules has the same text).
pub const DSL_HEAD: &str = r#"规则集 同类对比基准
  生效 2020-01-01
  边界 以下不含本数，以上含本数
  取整 百元 四舍五入

事实 超标倍数：数值 "污染物超标倍数"
事实 持续天数：整数 "违法行为持续天数"
事实 敏感区：是否 "位于环境敏感区"
事实 主观过错：｛过失，故意｝ "主观过错"
事实 主动消除：是否 "主动消除或者减轻违法行为危害后果"
事实 拒不改正：是否 "责令改正后拒不改正"
事实 首次违法：是否 "初次违法"
事实 危害后果：｛无，轻微，一般，严重｝ "危害后果"
事实 及时改正：是否 "及时改正违法行为"

免罚 首违不罚 "初次违法、没有危害后果并及时改正"
  类别 首违
  不予处罚
  当 首次违法
  当 危害后果 = 无
  当 及时改正
  依据 "对比基准 W1"
"#;

/// One violation in cailiang's DSL.
pub fn dsl_violation(p: &Params) -> String {
    let [t0, t1, t2] = p.exceed.map(dec);
    let [d0, d1] = p.days;
    format!(
        r#"
违法行为 {code} "超标排放（对比基准 {code}）"
  依据 "对比基准 {code}"
  罚款 {lo}元 至 {hi}元
  裁量 权重累加 按幅度
    起点 0%
    因素 超标倍数 权重 40%：不足{t0} 20，{t0}以上{t1}以下 40，{t1}以上{t2}以下 70，{t2}以上 100
    因素 持续天数 权重 20%：≤{d0} 20，{a}以上{b}以下 50，{b}以上 100
    因素 敏感区 权重 20%：是 100，否 30
    因素 主观过错 权重 20%：过失 30，故意 100
    下限 80% 当 拒不改正 "拒不改正的，不低于 80%"
    上限 50% 当 主动消除 "主动消除危害后果的，不高于 50%"
"#,
        code = p.code,
        lo = p.lo,
        hi = p.hi,
        a = d0 + 1,
        b = d1 + 1,
    )
}

/// A whole ruleset for these violations.
pub fn dsl(ps: &[Params]) -> String {
    let mut s = DSL_HEAD.to_string();
    for p in ps {
        s.push_str(&dsl_violation(p));
    }
    s
}

// ───────────── ZEN (JDM) ─────────────

fn dt(id: &str, name: &str, inputs: Vec<(&str, &str)>, out: &str, rows: Vec<(Vec<String>, String)>) -> Value {
    let ins: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(i, (n, f))| json!({"id": format!("{id}-in{i}"), "name": n, "field": f}))
        .collect();
    let rules: Vec<Value> = rows
        .into_iter()
        .enumerate()
        .map(|(r, (cells, v))| {
            let mut m = serde_json::Map::new();
            m.insert("_id".into(), json!(format!("{id}-r{r}")));
            for (i, c) in cells.into_iter().enumerate() {
                m.insert(format!("{id}-in{i}"), json!(c));
            }
            m.insert(format!("{id}-out"), json!(v));
            Value::Object(m)
        })
        .collect();
    json!({
        "id": id, "name": name, "type": "decisionTableNode",
        "content": {
            "hitPolicy": "first",
            "inputs": ins,
            "outputs": [{"id": format!("{id}-out"), "name": "分值", "field": out}],
            "rules": rules,
        }
    })
}

/// W2 as a JDM graph: one first-hit table per factor keyed by the violation code, one table
/// of statutory bounds, and the expression node of w1.jdm.json with the bounds as inputs.
pub fn jdm_w2(ps: &[Params]) -> Value {
    let q = |c: &str| format!("\"{c}\"");
    let mut exceed = Vec::new();
    let mut days = Vec::new();
    let mut bounds_rows = Vec::new();
    for p in ps {
        let [t0, t1, t2] = p.exceed.map(dec);
        for (c, v) in [
            (format!("< {t0}"), 20),
            (format!("[{t0}..{t1})"), 40),
            (format!("[{t1}..{t2})"), 70),
            (format!(">= {t2}"), 100),
        ] {
            exceed.push((vec![q(&p.code), c], v.to_string()));
        }
        let [d0, d1] = p.days;
        for (c, v) in [
            (format!("<= {d0}"), 20),
            (format!("[{}..{d1}]", d0 + 1), 50),
            (format!("> {d1}"), 100),
        ] {
            days.push((vec![q(&p.code), c], v.to_string()));
        }
        bounds_rows.push(p);
    }
    // The bounds table has two outputs, so it is written out here.
    let bounds = json!({
        "id": "t-bounds", "name": "法定幅度", "type": "decisionTableNode",
        "content": {
            "hitPolicy": "first",
            "inputs": [{"id": "t-bounds-in0", "name": "违法行为", "field": "violation"}],
            "outputs": [
                {"id": "t-bounds-lo", "name": "最低额", "field": "lo"},
                {"id": "t-bounds-hi", "name": "最高额", "field": "hi"}
            ],
            "rules": bounds_rows.iter().enumerate().map(|(r, p)| json!({
                "_id": format!("t-bounds-r{r}"),
                "t-bounds-in0": q(&p.code),
                "t-bounds-lo": p.lo.to_string(),
                "t-bounds-hi": p.hi.to_string(),
            })).collect::<Vec<_>>(),
        }
    });
    let nodes = vec![
        json!({"id": "input", "name": "案件", "type": "inputNode", "content": {}}),
        dt(
            "t-exceed",
            "超标倍数",
            vec![("违法行为", "violation"), ("超标倍数", "facts[\"超标倍数\"]")],
            "exceedScore",
            exceed,
        ),
        dt(
            "t-days",
            "持续天数",
            vec![("违法行为", "violation"), ("持续天数", "facts[\"持续天数\"]")],
            "daysScore",
            days,
        ),
        dt(
            "t-zone",
            "敏感区",
            vec![("敏感区", "facts[\"敏感区\"]")],
            "zoneScore",
            vec![(vec!["true".into()], "100".into()), (vec!["false".into()], "30".into())],
        ),
        dt(
            "t-fault",
            "主观过错",
            vec![("主观过错", "facts[\"主观过错\"]")],
            "faultScore",
            vec![(vec![q("故意")], "100".into()), (vec![q("过失")], "30".into())],
        ),
        bounds,
        json!({"id": "calc", "name": "裁量", "type": "expressionNode", "content": {"expressions": [
            {"id": "e1", "key": "raw", "value": "0.4 * exceedScore + 0.2 * daysScore + 0.2 * zoneScore + 0.2 * faultScore"},
            {"id": "e2", "key": "floored", "value": "facts[\"拒不改正\"] and $.raw < 80 ? 80 : $.raw"},
            {"id": "e3", "key": "pct", "value": "facts[\"主动消除\"] and $.floored > 50 ? 50 : $.floored"},
            {"id": "e4", "key": "exempt", "value": "facts[\"首次违法\"] and facts[\"危害后果\"] == \"无\" and facts[\"及时改正\"]"},
            {"id": "e5", "key": "outcome", "value": "$.exempt ? \"no_penalty\" : \"penalty\""},
            {"id": "e6", "key": "amount", "value": "$.exempt ? null : round((lo + (hi - lo) * $.pct / 100) / 100) * 100"}
        ]}}),
        json!({"id": "output", "name": "决定", "type": "outputNode", "content": {}}),
    ];
    let mut edges = Vec::new();
    let mut edge = |s: &str, t: &str| {
        edges.push(json!({"id": format!("{s}->{t}"), "sourceId": s, "targetId": t}));
    };
    for t in ["t-exceed", "t-days", "t-zone", "t-fault", "t-bounds"] {
        edge("input", t);
        edge(t, "calc");
    }
    edge("input", "calc");
    edge("calc", "output");
    json!({"nodes": nodes, "edges": edges})
}

// ───────────── Rego ─────────────

/// W2 in Rego: one policy reading the violation's parameters from `data.violations`.
pub const REGO_W2: &str = r#"package w2

import rego.v1

f := input.facts

v := data.violations[input.violation]

exceed_score := 20 if f["超标倍数"] < v.exceed[0]
else := 40 if f["超标倍数"] < v.exceed[1]
else := 70 if f["超标倍数"] < v.exceed[2]
else := 100

days_score := 20 if f["持续天数"] <= v.days[0]
else := 50 if f["持续天数"] <= v.days[1]
else := 100

zone_score := 100 if f["敏感区"] == true
else := 30

fault_score := 100 if f["主观过错"] == "故意"
else := 30

raw := ((40 * exceed_score) + (20 * days_score)) + ((20 * zone_score) + (20 * fault_score))

floored := 8000 if {
	f["拒不改正"] == true
	raw < 8000
} else := raw

pct := 5000 if {
	f["主动消除"] == true
	floored > 5000
} else := floored

exempt if {
	f["首次违法"] == true
	f["危害后果"] == "无"
	f["及时改正"] == true
}

amount := v.lo + (100 * floor((((v.hi - v.lo) * pct) + 500000) / 1000000))

result := {"outcome": "no_penalty", "amount": null} if exempt
else := {"outcome": "penalty", "amount": amount}
"#;

/// The data document of W2's Rego policy.
pub fn rego_data(ps: &[Params]) -> Value {
    let mut m = serde_json::Map::new();
    for p in ps {
        let t: Vec<Value> = p
            .exceed
            .iter()
            .map(|h| serde_json::from_str(&dec(*h)).unwrap_or(Value::Null))
            .collect();
        m.insert(
            p.code.clone(),
            json!({"lo": p.lo, "hi": p.hi, "exceed": t, "days": p.days}),
        );
    }
    json!({ "violations": m })
}
