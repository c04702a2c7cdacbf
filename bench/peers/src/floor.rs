//! The floor: the same decisions written by hand in Rust. W1/W2 in integers (yuan and
//! hundredths of a percent: every quantity of this shape is exact in them); the three
//! Guangdong violations of W3 in `Decimal`, as the published tables state them.

use crate::spec::Params;
use crate::Answer;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;
use std::collections::HashMap;

// ───────────── W1 / W2 ─────────────

/// A case of the W1 shape, typed; `violation` is the index of its parameters.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub violation: usize,
    /// 超标倍数 in hundredths.
    pub exceed: i64,
    pub days: i64,
    pub zone: bool,
    pub intentional: bool,
    pub eliminated: bool,
    pub refused: bool,
    pub first: bool,
    pub no_harm: bool,
    pub corrected: bool,
}

/// The decision of W1/W2, by hand.
#[inline(never)]
pub fn decide(p: &Params, f: &Facts) -> Answer {
    if f.first && f.no_harm && f.corrected {
        return Answer::NoPenalty;
    }
    let exceed = if f.exceed < p.exceed[0] {
        20
    } else if f.exceed < p.exceed[1] {
        40
    } else if f.exceed < p.exceed[2] {
        70
    } else {
        100
    };
    let days = if f.days <= p.days[0] {
        20
    } else if f.days <= p.days[1] {
        50
    } else {
        100
    };
    let zone = if f.zone { 100 } else { 30 };
    let fault = if f.intentional { 100 } else { 30 };
    // Hundredths of a percent: 0 ..= 10 000.
    let mut pct = 40 * exceed + 20 * days + 20 * zone + 20 * fault;
    if f.refused && pct < 8000 {
        pct = 8000;
    }
    if f.eliminated && pct > 5000 {
        pct = 5000;
    }
    // lo + (hi − lo) × pct / 10 000, to 100元 half up; lo is a multiple of 100.
    let n = (p.hi - p.lo) * pct;
    let amount = p.lo + 100 * ((n + 500_000) / 1_000_000);
    Answer::Penalty(amount * 100)
}

/// Parameters by code, for the JSON path.
pub struct Table {
    pub params: Vec<Params>,
    pub index: HashMap<String, usize>,
}

impl Table {
    pub fn new(params: Vec<Params>) -> Self {
        let index = params.iter().enumerate().map(|(i, p)| (p.code.clone(), i)).collect();
        Table { params, index }
    }

    /// JSON text → typed facts (serde derive), violation resolved by code.
    pub fn parse(&self, text: &str) -> Result<Facts, String> {
        #[derive(Deserialize)]
        struct In<'a> {
            #[serde(borrow)]
            violation: std::borrow::Cow<'a, str>,
            facts: InFacts,
        }
        #[derive(Deserialize)]
        struct InFacts {
            #[serde(rename = "超标倍数")]
            exceed: serde_json::Number,
            #[serde(rename = "持续天数")]
            days: i64,
            #[serde(rename = "敏感区")]
            zone: bool,
            #[serde(rename = "主观过错")]
            fault: String,
            #[serde(rename = "主动消除")]
            eliminated: bool,
            #[serde(rename = "拒不改正")]
            refused: bool,
            #[serde(rename = "首次违法")]
            first: bool,
            #[serde(rename = "危害后果")]
            harm: String,
            #[serde(rename = "及时改正")]
            corrected: bool,
        }
        let c: In = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let violation = *self
            .index
            .get(c.violation.as_ref())
            .ok_or_else(|| format!("unknown violation {}", c.violation))?;
        let f = c.facts;
        Ok(Facts {
            violation,
            exceed: hundredths(&f.exceed.to_string()).ok_or("超标倍数")?,
            days: f.days,
            zone: f.zone,
            intentional: match f.fault.as_str() {
                "故意" => true,
                "过失" => false,
                _ => return Err("主观过错".into()),
            },
            eliminated: f.eliminated,
            refused: f.refused,
            first: f.first,
            no_harm: f.harm == "无",
            corrected: f.corrected,
        })
    }

    pub fn eval(&self, f: &Facts) -> Answer {
        decide(&self.params[f.violation], f)
    }

    pub fn eval_json(&self, text: &str) -> Answer {
        match self.parse(text) {
            Ok(f) => self.eval(&f),
            Err(_) => Answer::Error,
        }
    }
}

/// "1.35" → 135 exactly (at most two places).
pub fn hundredths(s: &str) -> Option<i64> {
    let (i, f) = s.split_once('.').unwrap_or((s, ""));
    if f.len() > 2 || f.bytes().any(|b| !b.is_ascii_digit()) {
        return None;
    }
    let frac = match f.len() {
        0 => 0,
        1 => f.parse::<i64>().ok()? * 10,
        _ => f.parse::<i64>().ok()?,
    };
    Some(i.parse::<i64>().ok()? * 100 + frac)
}

// ───────────── W3: three Guangdong violations (2024, table path) ─────────────

fn pct(n: i64) -> Decimal {
    Decimal::new(n, 2)
}

fn round_yuan(x: Decimal, lo: Decimal, hi: Decimal) -> Decimal {
    // 取整 元 四舍五入, stepping inward if rounding would leave [lo, hi] (money.rs).
    let r = x.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    if r < lo {
        let up = lo.round_dp_with_strategy(0, RoundingStrategy::AwayFromZero);
        if up <= hi {
            up
        } else {
            lo
        }
    } else if r > hi {
        let down = hi.round_dp_with_strategy(0, RoundingStrategy::ToZero);
        if down >= lo {
            down
        } else {
            hi
        }
    } else {
        r
    }
}

fn to_cents(d: Decimal) -> i64 {
    let c = (d * Decimal::ONE_HUNDRED).round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(c.mantissa() / 10i128.pow(c.scale())).unwrap_or(i64::MIN)
}

/// EIA-31-1 (粤环发〔2021〕7号 附件1 §1.1): 总投资额 的 1% 至 5%; 20% + Σ levels of 总投资额 × 5%.
#[derive(Debug, Clone)]
pub struct Eia31 {
    pub investment: Decimal,
    /// 环评文件类别: 报告表 0, 报告书未纳入重点管理 1, 报告书且已纳入重点管理 2.
    pub document: u8,
    /// 建设地点: 一般区域 0, 限批区或敏感区 1, 饮用水水源保护区或生态保护红线 2.
    pub site: u8,
    /// 建设情况: 基础建设阶段 0, 设备安装阶段 1, 投入生产使用阶段 2.
    pub stage: u8,
    pub months: Decimal,
    pub repeats: i64,
    pub cooperated: bool,
}

#[inline(never)]
pub fn eia_31_1(f: &Eia31) -> Answer {
    let lo = f.investment * pct(1);
    let hi = f.investment * pct(5);
    let mut p = 20 + [0, 5, 10][f.document as usize] + [0, 6, 15][f.site as usize] + [0, 5, 15][f.stage as usize];
    p += if f.months < Decimal::from(3) {
        0
    } else if f.months < Decimal::from(6) {
        3
    } else if f.months < Decimal::from(12) {
        8
    } else {
        16
    };
    p += match f.repeats {
        2 => 3,
        3 => 8,
        n if n >= 4 => 19,
        _ => 0,
    };
    p += if f.cooperated { 0 } else { 5 };
    let amount = (pct(p.min(100)) * f.investment * pct(5)).clamp(lo, hi);
    Answer::Penalty(to_cents(round_yuan(amount, lo, hi)))
}

/// AIR-99-1 (§3.2.1): 10万 至 100万; 7% + Σ levels of 100万.
#[derive(Debug, Clone)]
pub struct Air99 {
    /// 排污许可管理类别: 简化管理 0, 重点管理 1.
    pub permit: u8,
    /// 大气排污情况: 挥发性有机物废气 0, B类 1, A类 2.
    pub pollutant: u8,
    /// 大气排放口区域: 一般区域 0, 限批区或人居环境敏感区 1, 生态环境敏感区 2.
    pub zone: u8,
    /// 大气排放时期: 一般期间 0, 特殊或重大活动期间 1, 重污染天气预警期间 2.
    pub period: u8,
    /// 大气污染物收集处理: 已经…收集处理 0, 未经…收集处理 1.
    pub untreated: bool,
    pub repeats: i64,
}

#[inline(never)]
pub fn air_99_1(f: &Air99) -> Answer {
    let (lo, hi) = (Decimal::from(100_000), Decimal::from(1_000_000));
    let p = 7
        + [0, 15][f.permit as usize]
        + [3, 8, 25][f.pollutant as usize]
        + [0, 3, 15][f.zone as usize]
        + [0, 5, 10][f.period as usize]
        + if f.untreated { 10 } else { 0 }
        + match f.repeats {
            2 => 2,
            3 => 6,
            n if n >= 4 => 18,
            _ => 0,
        };
    let amount = (pct(p.min(100)) * hi).clamp(lo, hi);
    Answer::Penalty(to_cents(round_yuan(amount, lo, hi)))
}

/// AIR-98 (§3.1): 2万 至 20万, bands by 阻挠检查方式 and 近一年有同类违法行为, middle of the band.
#[derive(Debug, Clone)]
pub struct Air98 {
    /// 阻挠检查方式: 拖延执法人员 0, 弄虚作假 1, 拒绝进入厂区 2, 消极暴力阻挠 3, 殴打执法人员 4.
    pub how: u8,
    pub repeat: bool,
}

const AIR98_BANDS: [[(i64, i64); 2]; 5] = [
    [(20_000, 40_000), (40_000, 60_000)],
    [(60_000, 80_000), (80_000, 110_000)],
    [(110_000, 130_000), (130_000, 150_000)],
    [(150_000, 170_000), (170_000, 200_000)],
    [(200_000, 200_000), (200_000, 200_000)],
];

#[inline(never)]
pub fn air_98(f: &Air98) -> Answer {
    let (a, b) = AIR98_BANDS[f.how as usize][f.repeat as usize];
    let (lo, hi) = (Decimal::from(20_000), Decimal::from(200_000));
    let mid = (Decimal::from(a + b) / Decimal::TWO).clamp(lo, hi);
    Answer::Penalty(to_cents(round_yuan(mid, lo, hi)))
}

/// One W3 floor case, pre-built.
#[derive(Debug, Clone)]
pub enum Gd {
    Eia31(Eia31),
    Air99(Air99),
    Air98(Air98),
}

pub fn gd_eval(c: &Gd) -> Answer {
    match c {
        Gd::Eia31(f) => eia_31_1(f),
        Gd::Air99(f) => air_99_1(f),
        Gd::Air98(f) => air_98(f),
    }
}

/// Every fact the three violations read (a case carries ~35; serde skips the others).
#[derive(Deserialize)]
struct GdFacts {
    #[serde(rename = "总投资额")]
    investment: Option<serde_json::Number>,
    #[serde(rename = "环评文件类别")]
    document: Option<String>,
    #[serde(rename = "建设地点")]
    site: Option<String>,
    #[serde(rename = "建设情况")]
    stage: Option<String>,
    #[serde(rename = "持续月数")]
    months: Option<serde_json::Number>,
    #[serde(rename = "近二年同类次数")]
    repeats: Option<i64>,
    #[serde(rename = "配合调查")]
    cooperated: Option<bool>,
    #[serde(rename = "排污许可管理类别")]
    permit: Option<String>,
    #[serde(rename = "大气排污情况")]
    pollutant: Option<String>,
    #[serde(rename = "大气排放口区域")]
    zone: Option<String>,
    #[serde(rename = "大气排放时期")]
    period: Option<String>,
    #[serde(rename = "大气污染物收集处理")]
    treated: Option<String>,
    #[serde(rename = "阻挠检查方式")]
    how: Option<String>,
    #[serde(rename = "近一年有同类违法行为")]
    repeat: Option<bool>,
}

fn variant(v: &Option<String>, names: &[&str]) -> Result<u8, String> {
    let s = v.as_deref().ok_or("missing fact")?;
    names
        .iter()
        .position(|n| *n == s)
        .map(|i| i as u8)
        .ok_or_else(|| format!("unknown value {s}"))
}

fn decimal(n: &Option<serde_json::Number>) -> Result<Decimal, String> {
    let n = n.as_ref().ok_or("missing fact")?;
    std::str::FromStr::from_str(&n.to_string()).map_err(|e: rust_decimal::Error| e.to_string())
}

/// JSON text → the typed facts of its violation, in one pass.
pub fn gd_parse(text: &str) -> Result<Gd, String> {
    #[derive(Deserialize)]
    struct In<'a> {
        #[serde(borrow)]
        violation: std::borrow::Cow<'a, str>,
        facts: GdFacts,
    }
    let c: In = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let f = c.facts;
    Ok(match c.violation.as_ref() {
        "EIA-31-1" => Gd::Eia31(Eia31 {
            investment: decimal(&f.investment)?,
            document: variant(&f.document, &["报告表", "报告书未纳入重点管理", "报告书且已纳入重点管理"])?,
            site: variant(&f.site, &["一般区域", "限批区或敏感区", "饮用水水源保护区或生态保护红线"])?,
            stage: variant(&f.stage, &["基础建设阶段", "设备安装阶段", "投入生产使用阶段"])?,
            months: decimal(&f.months)?,
            repeats: f.repeats.unwrap_or(1),
            cooperated: f.cooperated.unwrap_or(true),
        }),
        "AIR-99-1" => Gd::Air99(Air99 {
            permit: variant(&f.permit, &["简化管理", "重点管理"])?,
            pollutant: variant(&f.pollutant, &["挥发性有机物废气", "B类大气污染物", "A类大气污染物"])?,
            zone: variant(&f.zone, &["一般区域", "限批区或人居环境敏感区", "生态环境敏感区"])?,
            period: variant(&f.period, &["一般期间", "特殊或重大活动期间", "重污染天气预警期间"])?,
            untreated: variant(&f.treated, &["已经污染防治设施收集处理", "未经污染防治设施收集处理"])? == 1,
            repeats: f.repeats.unwrap_or(1),
        }),
        "AIR-98" => Gd::Air98(Air98 {
            how: variant(&f.how, &["拖延执法人员", "弄虚作假", "拒绝进入厂区", "消极暴力阻挠", "殴打执法人员"])?,
            repeat: f.repeat.ok_or("missing fact")?,
        }),
        other => return Err(format!("no floor for {other}")),
    })
}

pub fn gd_eval_json(text: &str) -> Answer {
    match gd_parse(text) {
        Ok(c) => gd_eval(&c),
        Err(_) => Answer::Error,
    }
}
