//! Deterministic case generation: W1/W2 cases of the shared shape, and W3 cases for every
//! Guangdong violation built from the catalogue (the facts each violation reads, typed).

use crate::rng::Rng;
use crate::spec::{dec, Params};
use cailiang_engine::catalogue::Entry;

/// A JSON object written in order, compactly.
pub struct Obj(String);

impl Obj {
    pub fn new() -> Self {
        Obj(String::from("{"))
    }
    fn key(&mut self, k: &str) {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        self.0.push('"');
        self.0.push_str(k);
        self.0.push_str("\":");
    }
    pub fn raw(mut self, k: &str, v: &str) -> Self {
        self.key(k);
        self.0.push_str(v);
        self
    }
    pub fn str(self, k: &str, v: &str) -> Self {
        let q = format!("\"{v}\"");
        self.raw(k, &q)
    }
    pub fn bool(self, k: &str, v: bool) -> Self {
        self.raw(k, if v { "true" } else { "false" })
    }
    pub fn end(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// `n` cases over the violations `ps` (round robin for W2), as JSON text.
pub fn shape_cases(ps: &[Params], n: usize, seed: u64) -> Vec<String> {
    let mut r = Rng::new(seed);
    (0..n)
        .map(|i| {
            let p = &ps[i % ps.len()];
            // Every third value sits on or next to a threshold: boundaries are where engines
            // written by different hands disagree.
            let exceed = if r.chance(35) {
                let t = *r.pick(&p.exceed);
                t + *r.pick(&[-1i64, 0, 0, 1])
            } else {
                r.range(0, 600) as i64
            }
            .max(0);
            let days = if r.chance(35) {
                let d = *r.pick(&p.days);
                d + *r.pick(&[0i64, 1])
            } else {
                r.range(0, 20) as i64
            };
            let facts = Obj::new()
                .raw("超标倍数", &dec(exceed))
                .raw("持续天数", &days.to_string())
                .bool("敏感区", r.chance(50))
                .str("主观过错", if r.chance(40) { "故意" } else { "过失" })
                .bool("主动消除", r.chance(25))
                .bool("拒不改正", r.chance(25))
                .bool("首次违法", r.chance(50))
                .str("危害后果", *r.pick(&["无", "轻微", "一般", "严重"]))
                .bool("及时改正", r.chance(50))
                .end();
            Obj::new()
                .str("violation", &p.code)
                .str("occurred_on", "2024-03-01")
                .raw("facts", &facts)
                .end()
        })
        .collect()
}

// ───────────── W3: Guangdong ─────────────

fn date(days_from_epoch: i64) -> String {
    // Days since 2022-01-01 → YYYY-MM-DD (proleptic Gregorian, enough for 2022–2027).
    let mut y = 2022;
    let mut d = days_from_epoch;
    loop {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let len = if leap { 366 } else { 365 };
        if d < len {
            let months = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
            let mut m = 0;
            while d >= months[m] {
                d -= months[m];
                m += 1;
            }
            return format!("{y}-{:02}-{:02}", m + 1, d + 1);
        }
        d -= len;
        y += 1;
    }
}

/// Days from 2022-01-01 to 2026-12-31 (the Guangdong benchmark's period).
const GD_LAST_DAY: i64 = 1825;

/// A fact value of the catalogue type, as JSON text.
fn value(r: &mut Rng, ty: &str, values: Option<&Vec<String>>, name: &str) -> Option<String> {
    Some(match ty {
        "bool" => (if r.chance(20) { "true" } else { "false" }).into(),
        "integer" => {
            if name.contains("次数") {
                r.range(1, 7).to_string()
            } else {
                r.range(0, 12).to_string()
            }
        }
        "number" | "multiple" => dec(r.range(0, 3000) as i64),
        "percent" => dec(r.range(0, 10_000) as i64),
        "money" => (10_000 * r.range(1, 5_000)).to_string(),
        "date" => format!("\"{}\"", date(r.range(0, GD_LAST_DAY as u64) as i64)),
        "enum" => format!("\"{}\"", r.pick(values?)),
        "text" => "\"文字\"".into(),
        _ => return None, // duration: not accepted in cases
    })
}

/// `per` cases for one catalogue entry, with random dates in 2022–2026 (so some straddle the
/// 生态环境法典 and are decided under both versions).
pub fn gd_cases(e: &Entry, per: usize, r: &mut Rng) -> Vec<String> {
    (0..per)
        .map(|_| {
            let occurred = r.range(0, (GD_LAST_DAY - 30) as u64) as i64;
            let decided = (occurred + r.range(10, 240) as i64).min(GD_LAST_DAY);
            let discovered = occurred + r.range(0, (decided - occurred + 1) as u64) as i64;
            let mut facts = Obj::new();
            for f in &e.facts {
                if let Some(v) = value(r, &f.ty, f.values.as_ref(), &f.name) {
                    facts = facts.raw(&f.name, &v);
                }
            }
            Obj::new()
                .str("violation", &e.code)
                .str("occurred_on", &date(occurred))
                .str("discovered_on", &date(discovered))
                .str("decided_on", &date(decided))
                .raw("facts", &facts.end())
                .end()
        })
        .collect()
}

/// W3 floor cases: EIA-31-1, AIR-99-1 and AIR-98 decided in 2024 (one version in force), the
/// table's facts random (boundaries included), every other fact the catalogue lists given and
/// neutral (false), so no exemption or adjustment applies and the table alone decides.
pub fn gd_floor_cases(cat: &[Entry], n: usize, seed: u64) -> Vec<String> {
    let mut r = Rng::new(seed);
    let codes = ["EIA-31-1", "AIR-99-1", "AIR-98"];
    let entries: Vec<&Entry> = codes
        .iter()
        .map(|c| cat.iter().find(|e| e.code == *c).expect("code in catalogue"))
        .collect();
    (0..n)
        .map(|i| {
            let e = entries[i % entries.len()];
            let mut facts = Obj::new();
            for f in &e.facts {
                let v = match (f.name.as_str(), f.ty.as_str()) {
                    ("总投资额", _) => (10_000 * r.range(10, 50_000)).to_string(),
                    ("持续月数", _) => {
                        if r.chance(30) {
                            r.pick(&["3", "6", "12", "2.99", "5.99", "11.99"]).to_string()
                        } else {
                            dec(r.range(0, 2400) as i64)
                        }
                    }
                    ("近二年同类次数", _) => r.range(1, 7).to_string(),
                    ("配合调查", _) | ("近一年有同类违法行为", _) => {
                        (if r.chance(50) { "true" } else { "false" }).into()
                    }
                    (_, "bool") => "false".into(),
                    (_, ty) => match value(&mut r, ty, f.values.as_ref(), &f.name) {
                        Some(v) => v,
                        None => continue,
                    },
                };
                facts = facts.raw(&f.name, &v);
            }
            Obj::new()
                .str("violation", &e.code)
                .str("occurred_on", "2024-03-01")
                .str("discovered_on", "2024-07-10")
                .str("decided_on", "2024-09-01")
                .raw("facts", &facts.end())
                .end()
        })
        .collect()
}
