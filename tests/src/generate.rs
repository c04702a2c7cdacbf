//! Random cases built from a ruleset's catalogue (the facts each violation reads, with their
//! types and allowed values, and the versions it is in force in). Shared by the property test
//! `tests/generated.rs` and the differential tool `examples/gen-cases.rs` (native vs WASM,
//! `scripts/differential`).
//!
//! Every case is a pure function of (catalogue, seed, index): case `i` of a run can be made
//! again on its own. A case covers, over many draws: every violation code (round robin from
//! an offset chosen by the seed), every fact type in several spellings (`"10万元"`, `"5%"`,
//! `"是"`), optional facts left out or given as `null`, dates before the 生态环境法典
//! (2026-08-15), after it, straddling it (the act before, the decision after; a continuing act
//! whose `ended_on` is after), boundary days of every version, limitation periods, several
//! codes for one act, `daily_penalty`, and — when [`Options::invalid_per_mille`] asks — cases
//! with one or two deliberate mistakes (wrong types, unknown names, bad dates, broken JSON),
//! which must be rejected alike everywhere.

use cailiang_engine::catalogue::{Entry, FactInfo};
use chrono::{Datelike, Days, NaiveDate};
use serde_json::{Map, Value};

/// The day the 生态环境法典 takes effect.
pub fn code_day() -> NaiveDate {
    ymd(2026, 8, 15)
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn add(d: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        d.checked_add_days(Days::new(days as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
            .unwrap_or(d)
    }
}

/// A small deterministic generator (SplitMix64): no dependency, same numbers everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The generator for case `i` of the run with this seed.
    pub fn for_case(seed: u64, i: u64) -> Self {
        let mut r = Rng(seed ^ i.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True `per_mille` times in a thousand.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// One element.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> Option<&'a T> {
        xs.get(self.below(xs.len() as u64) as usize)
    }

    /// One of the strings (empty when there is none).
    pub fn pick_str(&mut self, xs: &[&str]) -> String {
        self.pick(xs).map(|s| s.to_string()).unwrap_or_default()
    }

    /// A day in `lo..=hi`.
    pub fn day(&mut self, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
        add(lo, self.between(0, (hi - lo).num_days()))
    }
}

/// A period in which a version is in force (both ends included; `None`: open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: Option<NaiveDate>,
    /// Last day.
    pub to: Option<NaiveDate>,
}

impl Period {
    /// Whether `d` falls in the period.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from.map(|f| f <= d).unwrap_or(true) && self.to.map(|t| d <= t).unwrap_or(true)
    }

    /// Read the period at the end of a catalogue `in_force` label: `名称（版本，2022-01-01 至
    /// 2026-08-14）`, `（2026-08-15 起）`, `（至 2026-08-14）`, `（长期）`.
    pub fn from_label(label: &str) -> Option<Period> {
        let inner = label.strip_suffix('）')?;
        let start = inner
            .rfind(['（', '，'])
            .map(|i| i + inner[i..].chars().next().map(char::len_utf8).unwrap_or(1))?;
        let text = inner.get(start..)?.trim();
        let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        if text == "长期" {
            return Some(Period {
                from: None,
                to: None,
            });
        }
        if let Some(a) = text.strip_suffix('起') {
            return Some(Period {
                from: Some(date(a)?),
                to: None,
            });
        }
        if let Some(b) = text.strip_prefix('至') {
            return Some(Period {
                from: None,
                to: Some(date(b)?),
            });
        }
        let (a, b) = text.split_once('至')?;
        Some(Period {
            from: Some(date(a)?),
            to: Some(date(b)?),
        })
    }
}

/// How often (per thousand cases) the generator does what.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Cases with deliberate mistakes.
    pub invalid_per_mille: u64,
    /// Cases naming several codes (one act, several provisions).
    pub multi_per_mille: u64,
    /// Cases with `daily_penalty`.
    pub daily_per_mille: u64,
    /// Optional facts left out (each, in a case that leaves some out).
    pub omit_per_mille: u64,
    /// Facts written in another accepted spelling (`"10万元"`, `"是"`, `"5%"`).
    pub spelling_per_mille: u64,
}

impl Options {
    /// Well-formed cases only (what a case system sends): every case validates, except that a
    /// statutory base may be 0 or a conditional fact absent.
    pub fn valid() -> Self {
        Options {
            invalid_per_mille: 0,
            multi_per_mille: 60,
            daily_per_mille: 40,
            omit_per_mille: 200,
            spelling_per_mille: 150,
        }
    }

    /// For differential testing: some cases are invalid, and their errors must agree too.
    pub fn differential() -> Self {
        Options {
            invalid_per_mille: 80,
            ..Options::valid()
        }
    }
}

/// One generated case.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The case as JSON text (not always valid JSON when a mistake was asked for).
    pub text: String,
    /// The codes it names.
    pub codes: Vec<String>,
    /// What it exercises: the date scenario, `multi`, `daily`, `omitted`, `invalid:<kind>`.
    pub tags: Vec<String>,
}

impl Generated {
    /// Whether a mistake was put in on purpose.
    pub fn invalid(&self) -> bool {
        self.tags.iter().any(|t| t.starts_with("invalid:"))
    }
}

/// Makes cases for one ruleset from its catalogue.
#[derive(Debug, Clone)]
pub struct Generator {
    entries: Vec<Entry>,
    periods: Vec<Vec<Period>>,
    /// First day any version is in force.
    earliest: NaiveDate,
    /// Days on which versions begin or end (and their neighbours).
    edges: Vec<NaiveDate>,
    seed: u64,
    opts: Options,
}

const MONEY: [&str; 14] = [
    "0",
    "1",
    "999",
    "5000",
    "20000",
    "99999.99",
    "100000",
    "200000",
    "500000",
    "1000000",
    "1234567.89",
    "35000000",
    "999999999",
    "100000000000",
];
const NUMBER: [&str; 18] = [
    "0", "0.5", "1", "1.5", "2", "2.9", "3", "5", "6", "9.99", "10", "12", "20", "30", "50", "100",
    "200", "1000",
];
const PERCENT: [&str; 9] = ["0", "5", "10", "12.5", "30", "50", "80", "99.9", "100"];

impl Generator {
    /// A generator over `catalogue` (every code), deterministic from `seed`.
    pub fn new(catalogue: Vec<Entry>, seed: u64, opts: Options) -> Self {
        let periods: Vec<Vec<Period>> = catalogue
            .iter()
            .map(|e| {
                e.in_force
                    .iter()
                    .filter_map(|l| Period::from_label(l))
                    .collect()
            })
            .collect();
        let all: Vec<Period> = periods.iter().flatten().copied().collect();
        let earliest = all
            .iter()
            .map(|p| p.from.unwrap_or(ymd(2000, 1, 1)))
            .min()
            .unwrap_or(ymd(2022, 1, 1));
        let mut edges = Vec::new();
        for p in &all {
            for d in [p.from, p.to].into_iter().flatten() {
                for x in [add(d, -1), d, add(d, 1)] {
                    if x >= earliest && !edges.contains(&x) {
                        edges.push(x);
                    }
                }
            }
        }
        edges.sort();
        Generator {
            entries: catalogue,
            periods,
            earliest,
            edges,
            seed,
            opts,
        }
    }

    /// The catalogue.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Case `i` of the run: code `(offset + i) mod n` first, so `n` cases name every code.
    pub fn case(&self, i: u64) -> Generated {
        let n = self.entries.len().max(1) as u64;
        let offset = Rng::new(self.seed).next_u64() % n;
        self.case_for(((offset + i) % n) as usize, i)
    }

    /// A case whose first code is that of entry `entry`; `salt` picks the rest.
    pub fn case_for(&self, entry: usize, salt: u64) -> Generated {
        let mut r = Rng::for_case(self.seed, salt);
        let mut tags: Vec<String> = Vec::new();
        let mut picked = vec![entry];
        if r.chance(self.opts.multi_per_mille) && self.entries.len() > 1 {
            // Other codes in force in some period the first one is in force in.
            let want = r.between(1, 2) as usize;
            for _ in 0..40 {
                let other = r.below(self.entries.len() as u64) as usize;
                if !picked.contains(&other) && self.overlap(entry, other) {
                    picked.push(other);
                    if picked.len() > want {
                        break;
                    }
                }
            }
        }

        // Dates: try a few scenarios until every code is in force at the act or the decision;
        // then fewer codes; then a day inside the first code's first period.
        let mut dates = self.dates(&mut r);
        let mut tries = 0;
        while !picked.iter().all(|&k| self.fits(k, &dates)) {
            tries += 1;
            if tries == 16 {
                picked.truncate(1);
            }
            if tries == 32 {
                dates = self.inside(entry, &mut r);
                break;
            }
            dates = self.dates(&mut r);
        }
        if picked.len() > 1 {
            tags.push("multi".into());
        }
        tags.push(dates.scenario.into());
        let codes: Vec<String> = picked
            .iter()
            .filter_map(|&k| self.entries.get(k).map(|e| e.code.clone()))
            .collect();

        let mut case = Map::new();
        if r.chance(30) {
            case.insert("name".into(), Value::String(format!("生成案件 {salt}")));
        }
        case.insert(
            "violation".into(),
            match codes.as_slice() {
                [one] if !r.chance(30) => Value::String(one.clone()),
                _ => Value::Array(codes.iter().cloned().map(Value::String).collect()),
            },
        );
        case.insert("occurred_on".into(), day_value(dates.occurred));
        if let Some(d) = dates.ended {
            case.insert("ended_on".into(), day_value(d));
        }
        match dates.discovered {
            Some(d) => {
                case.insert("discovered_on".into(), day_value(d));
            }
            None if r.chance(100) => {
                case.insert("discovered_on".into(), Value::Null);
            }
            None => {}
        }
        if let Some(d) = dates.decided {
            case.insert("decided_on".into(), day_value(d));
        }

        // Facts: the union over the codes, each of the catalogue's type.
        // How often this case leaves optional facts out and answers 是: varied per case, so
        // that some cases give every fact and some establish almost nothing (or everything).
        let omit = *r
            .pick(&[
                0,
                self.opts.omit_per_mille / 4,
                self.opts.omit_per_mille,
                700,
            ])
            .unwrap_or(&0);
        let yes = *r.pick(&[30, 150, 400, 800]).unwrap_or(&400);
        let mut facts = Map::new();
        let mut omitted = false;
        for &k in &picked {
            let Some(e) = self.entries.get(k) else {
                continue;
            };
            for f in &e.facts {
                // A case cannot give a duration (C0102): such a fact is left to its default.
                if facts.contains_key(&f.name) || f.ty == "duration" {
                    continue;
                }
                if !f.required && r.chance(omit) {
                    omitted = true;
                    if r.chance(150) {
                        facts.insert(f.name.clone(), Value::Null);
                    }
                    continue;
                }
                let v = self.value(f, yes, &mut r);
                facts.insert(f.name.clone(), v);
            }
        }
        if omitted {
            tags.push("omitted".into());
        }
        if !facts.is_empty() || r.chance(500) {
            case.insert("facts".into(), Value::Object(facts));
        }
        if r.chance(self.opts.daily_per_mille) {
            tags.push("daily".into());
            let base = dates.decided.unwrap_or(dates.occurred);
            let served = add(base, r.between(-60, 30));
            let reinspected = add(served, r.between(1, 120));
            let mut d = Map::new();
            d.insert("served_on".into(), day_value(served));
            d.insert("reinspected_on".into(), day_value(reinspected));
            case.insert("daily_penalty".into(), Value::Object(d));
        }

        let mut value = Value::Object(case);
        let mut text_mistake = None;
        if r.chance(self.opts.invalid_per_mille) {
            for _ in 0..r.between(1, 2) {
                let (kind, text) = self.mistake(&mut value, &mut r);
                tags.push(format!("invalid:{kind}"));
                if text.is_some() {
                    text_mistake = text;
                    break;
                }
            }
        }
        let text = match text_mistake {
            Some(t) => t,
            None if r.chance(200) => serde_json::to_string_pretty(&value).unwrap_or_default(),
            None => serde_json::to_string(&value).unwrap_or_default(),
        };
        Generated { text, codes, tags }
    }

    /// Whether entry `k`'s code is in force at the act (its last day) or at the decision.
    fn fits(&self, k: usize, d: &Dates) -> bool {
        let Some(ps) = self.periods.get(k) else {
            return true;
        };
        let act = d.ended.unwrap_or(d.occurred);
        [Some(act), d.decided]
            .into_iter()
            .flatten()
            .any(|day| ps.iter().any(|p| p.contains(day)))
    }

    /// Whether entries `a` and `b` are in force on some common day.
    fn overlap(&self, a: usize, b: usize) -> bool {
        let (Some(pa), Some(pb)) = (self.periods.get(a), self.periods.get(b)) else {
            return false;
        };
        pa.iter().any(|x| {
            pb.iter().any(|y| {
                let from = x.from.max(y.from);
                let to = match (x.to, y.to) {
                    (Some(p), Some(q)) => Some(p.min(q)),
                    (p, q) => p.or(q),
                };
                match (from, to) {
                    (Some(f), Some(t)) => f <= t,
                    _ => true,
                }
            })
        })
    }

    /// Act and decision on one day inside entry `k`'s first period.
    fn inside(&self, k: usize, r: &mut Rng) -> Dates {
        let p = self.periods.get(k).and_then(|ps| ps.first()).copied();
        let from = p
            .and_then(|p| p.from)
            .unwrap_or(self.earliest)
            .max(self.earliest);
        let to = p.and_then(|p| p.to).unwrap_or(ymd(2028, 12, 31)).max(from);
        let day = r.day(from, to);
        Dates {
            scenario: "inside",
            occurred: day,
            ended: None,
            discovered: None,
            decided: Some(day),
        }
    }

    fn dates(&self, r: &mut Rng) -> Dates {
        let code = code_day();
        let before = add(code, -1);
        let lo = self.earliest.max(ymd(2015, 1, 1));
        let far = ymd(2028, 12, 31);
        let mut d = Dates {
            scenario: "",
            occurred: lo,
            ended: None,
            discovered: None,
            decided: None,
        };
        let roll = r.below(100);
        match roll {
            // Before the Code: act and decision under the old statutes.
            0..=24 => {
                d.scenario = "before";
                d.occurred = r.day(lo, add(before, -20));
                d.decided = Some(r.day(d.occurred, add(d.occurred, 700).min(before)));
            }
            // After it.
            25..=49 => {
                d.scenario = "after";
                d.occurred = r.day(code, ymd(2028, 6, 30));
                d.decided = Some(add(d.occurred, r.between(0, 400)));
            }
            // The act before, the decision after (从旧兼从轻).
            50..=67 => {
                d.scenario = "straddle";
                d.occurred = r.day(add(code, -900).max(lo), before);
                d.decided = Some(r.day(code, add(code, 500)));
            }
            // A continuing act that ends after the Code (judged under the law at its end).
            68..=77 => {
                d.scenario = "continuing";
                d.occurred = r.day(add(code, -1200).max(lo), before);
                let ended = r.day(code, add(code, 300));
                d.ended = Some(ended);
                d.decided = Some(r.day(ended, add(ended, 300)));
            }
            // A continuing act within one period.
            78..=82 => {
                d.scenario = "continuing-within";
                let after = r.chance(500);
                let (a, b) = if after {
                    (code, ymd(2028, 1, 1))
                } else {
                    (lo, add(before, -10))
                };
                d.occurred = r.day(a, b);
                let ended = add(d.occurred, r.between(0, 200));
                d.ended = Some(if after { ended } else { ended.min(before) });
                d.decided = Some(add(ended, r.between(0, 200)));
            }
            // Boundary days of the versions.
            83..=92 => {
                d.scenario = "edge";
                let a = r.pick(&self.edges).copied().unwrap_or(code);
                let b = r.pick(&self.edges).copied().unwrap_or(code);
                let (a, b) = if a <= b { (a, b) } else { (b, a) };
                d.occurred = a;
                d.decided = Some(if r.chance(300) { a } else { b });
                if r.chance(200) {
                    d.ended = d.decided;
                }
            }
            // Long before the decision: limitation (two years; five when serious).
            _ => {
                d.scenario = "limitation";
                d.occurred = r.day(lo, add(lo, 700));
                let discovered = add(d.occurred, r.between(600, 2000));
                d.discovered = Some(discovered);
                d.decided = Some(add(discovered, r.between(0, 120)).min(far));
            }
        }
        // discovered_on between the act and the decision, most of the time.
        if d.discovered.is_none() && r.chance(700) {
            let hi = d.decided.unwrap_or(add(d.occurred, 365));
            let from = d.ended.unwrap_or(d.occurred).min(hi);
            d.discovered = Some(r.day(from, hi));
        }
        // Sometimes no decision day (then the law at the act alone governs).
        if r.chance(60) && d.scenario != "limitation" {
            d.decided = None;
        }
        d
    }

    /// A valid JSON value for a fact of the catalogue.
    fn value(&self, f: &FactInfo, yes: u64, r: &mut Rng) -> Value {
        let spell = r.chance(self.opts.spelling_per_mille);
        match f.ty.as_str() {
            "bool" => {
                let b = r.chance(yes);
                if spell {
                    Value::String(if r.chance(500) {
                        if b { "是" } else { "否" }.to_string()
                    } else {
                        b.to_string()
                    })
                } else {
                    Value::Bool(b)
                }
            }
            "enum" => {
                let vs = f.values.as_deref().unwrap_or_default();
                Value::String(r.pick(vs).cloned().unwrap_or_default())
            }
            "money" => {
                let m = r.pick_str(&MONEY);
                if spell {
                    let k = r.below(4);
                    match k {
                        0 => Value::String(format!("{m}元")),
                        1 => Value::String(format!("{}万元", r.pick_str(&NUMBER))),
                        2 => Value::String(format!(
                            "{}亿元",
                            r.pick_str(&["0.01", "0.5", "1", "2.5"])
                        )),
                        _ => Value::String(m),
                    }
                } else {
                    number(&m)
                }
            }
            "integer" => {
                let n = if r.chance(850) {
                    r.between(0, 12)
                } else {
                    r.between(13, 2000)
                };
                if spell {
                    match r.below(3) {
                        0 => Value::String(n.to_string()),
                        1 => number(&format!("{n}.0")),
                        _ => number(&format!("{n}e0")),
                    }
                } else {
                    Value::from(n)
                }
            }
            "percent" => {
                let p = r.pick_str(&PERCENT);
                if spell {
                    Value::String(format!("{p}{}", r.pick_str(&["%", "％", ""])))
                } else {
                    number(&p)
                }
            }
            "multiple" => {
                let m = r.pick_str(&NUMBER);
                if spell {
                    Value::String(format!("{m}倍"))
                } else {
                    number(&m)
                }
            }
            "date" => day_value(r.day(ymd(2020, 1, 1), ymd(2028, 12, 31))),
            "text" => {
                Value::String(r.pick_str(&["", "说明", "某某公司", "第 3 车间 🏭", "a\"b\\c"]))
            }
            // number and anything new: values near typical band edges (months, tonnes, days).
            _ => {
                let x = r.pick_str(&NUMBER);
                if spell {
                    match r.below(3) {
                        0 => Value::String(x),
                        1 => number(&format!("{x}e0")),
                        _ => number(&format!("{x}0")),
                    }
                } else {
                    number(&x)
                }
            }
        }
    }

    /// Put one mistake into the case: (its kind, the whole text when the mistake is textual).
    fn mistake(&self, case: &mut Value, r: &mut Rng) -> (&'static str, Option<String>) {
        let Value::Object(map) = case else {
            return ("not-object", None);
        };
        let fact_names: Vec<String> = match map.get("facts") {
            Some(Value::Object(f)) => f.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let set_fact = |map: &mut Map<String, Value>, name: &str, v: Value| {
            if let Some(Value::Object(f)) = map.get_mut("facts") {
                f.insert(name.to_string(), v);
            }
        };
        let first_code = match map.get("violation") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(a)) => a
                .first()
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string(),
            _ => String::new(),
        };
        match r.below(20) {
            0 => {
                if let Some(n) = r.pick(&fact_names).cloned() {
                    set_fact(
                        map,
                        &n,
                        number(r.pick_str(&["-1", "-0.01", "-5000"]).as_str()),
                    );
                }
                ("negative", None)
            }
            1 => {
                if let Some(n) = r.pick(&fact_names).cloned() {
                    let v = match r.below(5) {
                        0 => Value::String("很多".into()),
                        1 => Value::from(3),
                        2 => Value::Array(vec![Value::Bool(true)]),
                        3 => Value::Object(Map::new()),
                        _ => Value::String("1.5.2".into()),
                    };
                    set_fact(map, &n, v);
                }
                ("wrong-type", None)
            }
            2 => {
                let enums: Vec<String> = self
                    .entries
                    .iter()
                    .filter(|e| e.code == first_code)
                    .flat_map(|e| e.facts.iter())
                    .filter(|f| f.ty == "enum")
                    .map(|f| f.name.clone())
                    .collect();
                match r.pick(&enums).cloned() {
                    Some(n) => {
                        if !matches!(map.get("facts"), Some(Value::Object(_))) {
                            map.insert("facts".into(), Value::Object(Map::new()));
                        }
                        set_fact(map, &n, Value::String("其他情形".into()));
                    }
                    None => {
                        if let Some(n) = r.pick(&fact_names).cloned() {
                            set_fact(map, &n, Value::Null);
                        }
                    }
                }
                ("unknown-variant", None)
            }
            3 => {
                let typo = match r.pick(&fact_names) {
                    Some(n) => {
                        let mut cs: Vec<char> = n.chars().collect();
                        cs.pop();
                        cs.push('甲');
                        cs.into_iter().collect::<String>()
                    }
                    None => "不存在的事实".to_string(),
                };
                if !matches!(map.get("facts"), Some(Value::Object(_))) {
                    map.insert("facts".into(), Value::Object(Map::new()));
                }
                set_fact(map, &typo, Value::Bool(true));
                ("unknown-fact", None)
            }
            4 => {
                let typo = match r.below(3) {
                    0 => first_code.replacen('-', "_", 1),
                    1 => format!("{first_code}9"),
                    _ => "XX-1".to_string(),
                };
                map.insert("violation".into(), Value::String(typo));
                ("unknown-code", None)
            }
            5 => {
                map.shift_remove("occurred_on");
                ("missing-occurred", None)
            }
            6 => {
                let field = r.pick_str(&["occurred_on", "decided_on", "discovered_on", "ended_on"]);
                let bad = match r.below(5) {
                    0 => Value::String("2024-02-30".into()),
                    1 => Value::String("2024/01/01".into()),
                    2 => Value::from(20240101),
                    3 => Value::String(" 2024-05-01 ".into()),
                    _ => Value::Bool(false),
                };
                map.insert(field, bad);
                ("bad-date", None)
            }
            7 => {
                let occurred = map
                    .get("occurred_on")
                    .and_then(|v| v.as_str())
                    .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                    .unwrap_or(code_day());
                let field = r.pick_str(&["decided_on", "ended_on"]);
                map.insert(field, day_value(add(occurred, -r.between(1, 400))));
                ("date-order", None)
            }
            8 => {
                let k = r.pick_str(&["violations", "occured_on", "fact", "日期"]);
                map.insert(k, Value::String("x".into()));
                ("unknown-field", None)
            }
            9 => {
                let required: Vec<String> = self
                    .entries
                    .iter()
                    .filter(|e| e.code == first_code)
                    .flat_map(|e| e.facts.iter())
                    .filter(|f| f.required)
                    .map(|f| f.name.clone())
                    .collect();
                if let Some(Value::Object(f)) = map.get_mut("facts") {
                    match r.pick(&required) {
                        Some(n) => {
                            f.shift_remove(n);
                        }
                        None => f.clear(),
                    }
                }
                ("missing-fact", None)
            }
            10 => {
                let d = r.day(ymd(1990, 1, 1), add(self.earliest, -1).max(ymd(1990, 1, 2)));
                map.insert("occurred_on".into(), day_value(d));
                ("not-in-force", None)
            }
            11 => {
                // A code only in the Code version, for an act decided before it (or the
                // reverse: a code the Code dropped, after it).
                let only_after: Vec<usize> = (0..self.entries.len())
                    .filter(|&k| {
                        self.periods
                            .get(k)
                            .map(|ps| {
                                !ps.is_empty()
                                    && ps.iter().all(|p| !p.contains(add(code_day(), -1)))
                            })
                            .unwrap_or(false)
                    })
                    .collect();
                if let Some(e) = r.pick(&only_after).and_then(|&k| self.entries.get(k)) {
                    map.insert("violation".into(), Value::String(e.code.clone()));
                }
                map.shift_remove("ended_on");
                map.insert("occurred_on".into(), day_value(ymd(2024, 5, 1)));
                map.insert("decided_on".into(), day_value(ymd(2025, 5, 1)));
                ("code-not-in-force", None)
            }
            12 => {
                let text = serde_json::to_string(&*map).unwrap_or_default();
                let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(1).collect();
                let cut = r.pick(&cuts).copied().unwrap_or(0);
                ("syntax", Some(text.get(..cut).unwrap_or("{").to_string()))
            }
            13 => {
                let t = r.pick_str(&[
                    "[]",
                    "\"EIA-31-1\"",
                    "null",
                    "42",
                    "",
                    "{}",
                    "[{}]",
                    "{\"violation\":",
                ]);
                ("not-object", Some(t))
            }
            14 => {
                let v = match r.below(4) {
                    0 => Value::Array(Vec::new()),
                    1 => Value::Array((0..17).map(|_| Value::String(first_code.clone())).collect()),
                    2 => Value::Array(vec![Value::from(1), Value::String(first_code.clone())]),
                    _ => Value::Null,
                };
                map.insert("violation".into(), v);
                ("bad-violation", None)
            }
            15 => {
                let v = match r.below(4) {
                    0 => {
                        let mut d = Map::new();
                        d.insert("served_on".into(), day_value(ymd(2026, 9, 10)));
                        d.insert("reinspected_on".into(), day_value(ymd(2026, 9, 1)));
                        Value::Object(d)
                    }
                    1 => {
                        let mut d = Map::new();
                        d.insert("served_on".into(), day_value(ymd(2026, 9, 10)));
                        Value::Object(d)
                    }
                    2 => Value::String("2026-09-10".into()),
                    _ => {
                        let mut d = Map::new();
                        d.insert("served_on".into(), Value::from(1));
                        d.insert("reinspected_on".into(), Value::Null);
                        Value::Object(d)
                    }
                };
                map.insert("daily_penalty".into(), v);
                ("bad-daily", None)
            }
            16 => {
                map.insert(
                    "facts".into(),
                    if r.chance(500) {
                        Value::Array(Vec::new())
                    } else {
                        Value::String("无".into())
                    },
                );
                ("facts-not-object", None)
            }
            17 => {
                // A duplicate key: the later one wins in both builds.
                let text = serde_json::to_string(&*map).unwrap_or_default();
                let text = match text.strip_prefix('{') {
                    Some(rest) if !rest.starts_with('}') => {
                        format!("{{\"occurred_on\":\"2019-01-01\",{rest}")
                    }
                    _ => text,
                };
                ("duplicate-key", Some(text))
            }
            18 => {
                // Numbers at the edge of what a decimal holds.
                if let Some(n) = r.pick(&fact_names).cloned() {
                    let v = r.pick_str(&[
                        "79228162514264337593543950336",
                        "1e30",
                        "0.0000000000000000000000000001",
                        "1e-40",
                        "123456789012345678901234567890.5",
                    ]);
                    set_fact(map, &n, number(&v));
                }
                ("huge-number", None)
            }
            _ => {
                if let Some(n) = r.pick(&fact_names).cloned() {
                    let s: String = "超长文字".repeat(r.between(1, 30) as usize);
                    set_fact(map, &n, Value::String(s));
                }
                ("long-string", None)
            }
        }
    }
}

/// Dates of one case.
#[derive(Debug, Clone)]
struct Dates {
    scenario: &'static str,
    occurred: NaiveDate,
    ended: Option<NaiveDate>,
    discovered: Option<NaiveDate>,
    decided: Option<NaiveDate>,
}

fn day_value(d: NaiveDate) -> Value {
    Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
}

/// A JSON number written exactly as given (serde_json keeps the text: `arbitrary_precision`).
fn number(text: &str) -> Value {
    serde_json::from_str::<serde_json::Number>(text)
        .map(Value::Number)
        .unwrap_or_else(|_| Value::String(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_from_labels() {
        let p = Period::from_label("广东省生态环境行政处罚裁量基准（2022-01-01 至 2026-08-14）");
        assert_eq!(
            p,
            Some(Period {
                from: Some(ymd(2022, 1, 1)),
                to: Some(ymd(2026, 8, 14))
            })
        );
        let p = Period::from_label("全国生态环境法律（生态环境法典，2026-08-15 起）");
        assert_eq!(
            p,
            Some(Period {
                from: Some(ymd(2026, 8, 15)),
                to: None
            })
        );
        let p = Period::from_label("江门（2022，2023-03-01 至 2025-01-31）");
        assert_eq!(p.map(|p| p.to), Some(Some(ymd(2025, 1, 31))));
        assert_eq!(
            Period::from_label("甲（长期）"),
            Some(Period {
                from: None,
                to: None
            })
        );
    }

    #[test]
    fn the_rng_is_deterministic() {
        let a: Vec<u64> = (0..4).map(|i| Rng::for_case(7, i).next_u64()).collect();
        let b: Vec<u64> = (0..4).map(|i| Rng::for_case(7, i).next_u64()).collect();
        assert_eq!(a, b);
        assert_ne!(a.first(), a.get(1));
    }
}
