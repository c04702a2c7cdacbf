//! Positive-list supervision (正面清单 / 差异化监管): an enterprise profile against one
//! `正面清单` of the ruleset in force on `as_of`, with every criterion explained.
//!
//! Order of decision, for an enterprise **currently listed** (a `listing` without
//! `removed_on` whose validity has not run out on `as_of`):
//! 1. any 移出 trigger or 排除 condition met → `removed`; re-entry is allowed `禁入期` after
//!    `as_of`;
//! 2. otherwise → `listed`, valid until `listed_on + 有效期 − 1 day`.
//!
//! For every other enterprise (never listed, listing expired, or removed earlier):
//! 1. any 排除 condition met → `excluded` (exclusions take precedence over everything else);
//! 2. removed earlier and `as_of` before `removed_on + 禁入期` → `barred`, with the date
//!    re-entry is allowed;
//! 3. every 基本条件 met and at least N 筛选条件 met, with no 排除 condition unknown →
//!    `eligible` (a listing made on `as_of` would be valid until `as_of + 有效期 − 1 day`);
//! 4. otherwise → `not_eligible`. A condition that needs a fact the profile does not give
//!    is `unknown` and never counts as met.
//!
//! History windows (`近期次数(种类, 2年)`) include both ends: an event dated exactly two
//! years before `as_of` is inside the window (民法典第一千二百五十九条：“以内”包括本数).
//! Measures: the `措施 已纳入` groups apply to `listed`, the `措施 未纳入` groups to every
//! other status; a group applies when its `当` condition holds, and a later group's measure
//! replaces an earlier one of the same name.

use crate::case::Case;
use crate::eval::{shift, Ctx, EvalError, Timeline};
use crate::profile::Profile;
use crate::ruleset::Ruleset;
use cailiang_dsl::ast::DurationUnit;
use cailiang_dsl::ir::{BuiltinFn, CExpr, CriterionIr, PositiveListIr, Program, Ty, Value};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value as Json};

/// The status of an enterprise with respect to a positive list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// On the list and staying on it.
    Listed,
    /// Not on the list; meets every condition for entry.
    Eligible,
    /// Not on the list; some condition is not met (or cannot be established).
    NotEligible,
    /// An exclusion applies (industry, record, …).
    Excluded,
    /// Was listed; a removal trigger (or exclusion) applies now.
    Removed,
    /// Removed earlier and still within the re-entry ban.
    Barred,
}

impl Status {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Status::Listed => "保留在正面清单内",
            Status::Eligible => "符合纳入正面清单的条件",
            Status::NotEligible => "不符合纳入正面清单的条件",
            Status::Excluded => "属于不得纳入正面清单的情形",
            Status::Removed => "应当移出正面清单",
            Status::Barred => "移出后禁入期未满，不得重新纳入",
        }
    }
}

/// `{name, version, document}` of the ruleset version applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesetRef {
    /// Name.
    pub name: String,
    /// Version label with its period.
    pub version: String,
    /// 文号.
    pub document: Option<String>,
}

/// The positive list applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListRef {
    /// Name.
    pub name: String,
    /// Label.
    pub label: Option<String>,
    /// Legal basis.
    pub basis: Vec<String>,
    /// Validity as written (`3年`).
    pub validity: Option<String>,
    /// Re-entry ban as written.
    pub reentry_ban: Option<String>,
    /// `file:line`.
    pub at: String,
}

/// A value a condition read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Input {
    /// The fact, derived value or history call (`近期次数(环境违法，2年)`).
    pub name: String,
    /// Its value (`未知` when not given).
    pub value: String,
    /// For history calls: the dates of the events counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<String>>,
}

/// One criterion as evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionRef {
    /// `basic` | `screening` | `exclusion` | `removal`.
    pub group: String,
    /// Name.
    pub name: String,
    /// Label.
    pub label: Option<String>,
    /// The condition as written.
    pub condition: String,
    /// `met` | `unmet` | `unknown`.
    pub result: String,
    /// The values that decided it.
    pub inputs: Vec<Input>,
    /// `file:line`.
    pub at: String,
}

/// The screening count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Screening {
    /// At least this many must be met.
    pub at_least: u32,
    /// How many are met.
    pub met: u32,
    /// How many are unknown.
    pub unknown: u32,
}

/// A measure that applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureRef {
    /// Name.
    pub name: String,
    /// Value as written, when the measure has one.
    pub value: Option<String>,
    /// `listed` or `unlisted`: the group it comes from.
    pub group: String,
    /// The group's condition, when it has one.
    pub when: Option<String>,
    /// `file:line`.
    pub at: String,
}

/// The supervision result for one enterprise. Field order is the contract's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Supervision {
    /// The enterprise object as given.
    pub enterprise: Map<String, Json>,
    /// Evaluation date.
    pub as_of: String,
    /// Ruleset version applied.
    pub ruleset: RulesetRef,
    /// Positive list applied.
    pub list: ListRef,
    /// Status.
    pub status: Status,
    /// Status in Chinese.
    pub status_label: String,
    /// Last day the (current, or a listing made on `as_of`) listing is valid.
    pub valid_until: Option<String>,
    /// First day re-entry is allowed (`removed`, `barred`).
    pub reentry_allowed_on: Option<String>,
    /// Names of the removal triggers or exclusions that decided `removed` / `excluded`.
    pub triggers: Vec<String>,
    /// Screening count, when the list has screening conditions and the enterprise is not
    /// currently listed.
    pub screening: Option<Screening>,
    /// Every criterion evaluated: for a currently listed enterprise the removal triggers and
    /// exclusions, otherwise the exclusions, basic and screening conditions.
    pub criteria: Vec<CriterionRef>,
    /// Measures that apply.
    pub measures: Vec<MeasureRef>,
    /// Facts a condition needed that the profile did not give.
    pub missing_facts: Vec<String>,
    /// One step per line, in Chinese, each naming its rule and file:line.
    pub explanation: Vec<String>,
}

impl Supervision {
    /// Canonical JSON (pretty, two-space indent).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Human text: status, dates, measures, explanation.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if let Some(Json::String(n)) = self.enterprise.get("name") {
            out.push_str(&format!("企业：{n}\n"));
        }
        out.push_str(&format!(
            "正面清单：{}{}（评估日 {}）\n",
            self.list.name,
            self.list
                .label
                .as_ref()
                .map(|l| format!("“{l}”"))
                .unwrap_or_default(),
            self.as_of
        ));
        out.push_str(&format!(
            "结论：{}（{}）\n",
            self.status_label,
            serde_json::to_value(self.status)
                .ok()
                .and_then(|v| v.as_str().map(|s| s.to_string()))
                .unwrap_or_default()
        ));
        if let Some(v) = &self.valid_until {
            out.push_str(&format!("有效期至：{v}\n"));
        }
        if let Some(v) = &self.reentry_allowed_on {
            out.push_str(&format!("可重新纳入日：{v}\n"));
        }
        if !self.measures.is_empty() {
            out.push_str("措施：\n");
            for m in &self.measures {
                match &m.value {
                    Some(v) => out.push_str(&format!("  - {} = {}\n", m.name, v)),
                    None => out.push_str(&format!("  - {}\n", m.name)),
                }
            }
        }
        out.push_str("理由：\n");
        for (i, s) in self.explanation.iter().enumerate() {
            out.push_str(&format!("  {}. {}\n", i + 1, s));
        }
        out
    }
}

fn duration_text(n: u32, u: DurationUnit) -> String {
    let unit = match u {
        DurationUnit::Years => "年",
        DurationUnit::Months => "个月",
        DurationUnit::Days => "日",
    };
    format!("{n}{unit}")
}

/// Last day of a period of `d` starting on `from` (the day before `from + d`).
fn last_day(from: NaiveDate, d: (u32, DurationUnit)) -> Option<NaiveDate> {
    shift(from, d.0, d.1, true).and_then(|x| x.pred_opt())
}

fn group_label(g: &str) -> &'static str {
    match g {
        "basic" => "基本条件",
        "screening" => "筛选条件",
        "exclusion" => "排除情形",
        _ => "移出情形",
    }
}

struct Eval<'a> {
    rs: &'a Ruleset,
    program: &'a Program,
    ctx: Ctx<'a>,
    kinds: Vec<String>,
}

impl Eval<'_> {
    fn render(&self, v: &Option<Value>, ty: Option<Ty>) -> String {
        let Some(v) = v else {
            return "未知（未提供）".into();
        };
        match v {
            Value::Bool(true) => "是".into(),
            Value::Bool(false) => "否".into(),
            Value::Dec(d) => match ty {
                Some(Ty::Percent) => {
                    format!("{}%", d.saturating_mul(Decimal::ONE_HUNDRED).normalize())
                }
                Some(Ty::Money) => format!("{}元", d.normalize()),
                Some(Ty::Multiple) => format!("{}倍", d.normalize()),
                _ => d.normalize().to_string(),
            },
            Value::Date(d) => d.to_string(),
            Value::Duration(n, u) => duration_text(*n, *u),
            Value::Text(s) => s.clone(),
            Value::Enum(i) => match ty {
                Some(Ty::Enum(id)) => self
                    .rs
                    .enum_variants(id)
                    .get(*i as usize)
                    .cloned()
                    .unwrap_or_default(),
                _ => i.to_string(),
            },
        }
    }

    /// The facts, derived values and history calls a condition reads, with their values.
    fn inputs(&mut self, e: &CExpr, out: &mut Vec<Input>) -> Result<(), EvalError> {
        let push = |out: &mut Vec<Input>, i: Input| {
            if !out.iter().any(|x| x.name == i.name) {
                out.push(i);
            }
        };
        match e {
            CExpr::Fact(i) => {
                let (name, ty) = match self.program.facts.get(*i as usize) {
                    Some(f) => (f.name.clone(), f.ty),
                    None => return Err(EvalError::Internal("未知事实编号".into())),
                };
                let v = self.ctx.fact(*i).cloned();
                let value = self.render(&v, Some(ty));
                push(
                    out,
                    Input {
                        name,
                        value,
                        events: None,
                    },
                );
            }
            CExpr::Derived(i) => {
                let (name, ty) = match self.program.derived.get(*i as usize) {
                    Some(d) => (d.name.clone(), d.ty),
                    None => return Err(EvalError::Internal("未知推导值编号".into())),
                };
                let v = self.ctx.eval(e)?;
                let value = self.render(&v, Some(ty));
                push(
                    out,
                    Input {
                        name,
                        value,
                        events: None,
                    },
                );
            }
            CExpr::Call(f, args) if f.reads_history() => {
                let kind = match args.first() {
                    Some(CExpr::Lit(Value::Enum(k))) => *k,
                    _ => return Err(EvalError::Internal("历史函数缺少事件种类".into())),
                };
                let period = match args.get(1) {
                    Some(p) => match self.ctx.eval(p)? {
                        Some(Value::Duration(n, u)) => Some((n, u)),
                        _ => None,
                    },
                    None => None,
                };
                let kind_name = self.kinds.get(kind as usize).cloned().unwrap_or_default();
                let name = match period {
                    Some((n, u)) => format!("{}({}，{})", f.name(), kind_name, duration_text(n, u)),
                    None => format!("{}({})", f.name(), kind_name),
                };
                let v = self.ctx.eval(e)?;
                let events = self
                    .ctx
                    .timeline
                    .as_ref()
                    .and_then(|t| t.matching(*f, kind, period))
                    .map(|ds| ds.iter().map(|d| d.to_string()).collect());
                let value = match (&v, f) {
                    (None, BuiltinFn::CountSinceListed) => "未知（未纳入正面清单）".into(),
                    (None, BuiltinFn::DaysSince) => "未知（无此类事件）".into(),
                    _ => self.render(&v, Some(Ty::Integer)),
                };
                push(
                    out,
                    Input {
                        name,
                        value,
                        events,
                    },
                );
            }
            CExpr::Lit(_) | CExpr::Const(_) => {}
            CExpr::Neg(x) | CExpr::Not(x) | CExpr::In(x, _) => self.inputs(x, out)?,
            CExpr::Bin(_, a, b) => {
                self.inputs(a, out)?;
                self.inputs(b, out)?;
            }
            CExpr::If(c, a, b) => {
                self.inputs(c, out)?;
                self.inputs(a, out)?;
                self.inputs(b, out)?;
            }
            CExpr::Call(_, args) => {
                for a in args {
                    self.inputs(a, out)?;
                }
            }
        }
        Ok(())
    }

    fn criterion(
        &mut self,
        group: &str,
        k: &CriterionIr,
    ) -> Result<(CriterionRef, Option<bool>), EvalError> {
        let truth = self.ctx.truth(&k.when.0)?;
        let mut inputs = Vec::new();
        self.inputs(&k.when.0, &mut inputs)?;
        let result = match truth {
            Some(true) => "met",
            Some(false) => "unmet",
            None => "unknown",
        };
        Ok((
            CriterionRef {
                group: group.into(),
                name: k.name.clone(),
                label: k.label.clone(),
                condition: k.when.1.trim().to_string(),
                result: result.into(),
                inputs,
                at: self.rs.locate(k.span),
            },
            truth,
        ))
    }
}

fn explain_criterion(c: &CriterionRef) -> String {
    let verdict = match c.result.as_str() {
        "met" => "成立",
        "unmet" => "不成立",
        _ => "无法判断",
    };
    let values: Vec<String> = c
        .inputs
        .iter()
        .map(|i| match &i.events {
            Some(ev) if !ev.is_empty() => format!("{} = {}（{}）", i.name, i.value, ev.join("、")),
            _ => format!("{} = {}", i.name, i.value),
        })
        .collect();
    format!(
        "{}“{}”{}：{} —— {}{}（{}）",
        group_label(&c.group),
        c.name,
        c.label
            .as_ref()
            .map(|l| format!("（{l}）"))
            .unwrap_or_default(),
        c.condition,
        verdict,
        if values.is_empty() {
            String::new()
        } else {
            format!("，因 {}", values.join("，"))
        },
        c.at
    )
}

/// Evaluate a validated profile.
pub fn supervise(rs: &Ruleset, p: &Profile) -> Result<Supervision, EvalError> {
    let program = rs.program();
    let snap = rs
        .snapshot_at(p.as_of)
        .ok_or_else(|| EvalError::Internal(format!("{} 时没有生效的规则集版本", p.as_of)))?;
    let list: &PositiveListIr = snap
        .positive_lists
        .iter()
        .find(|l| l.name == p.list)
        .ok_or_else(|| EvalError::Internal(format!("正面清单“{}”不存在", p.list)))?;
    let document = program
        .rulesets
        .iter()
        .filter(|r| r.name == snap.name)
        .find(|r| {
            r.from.map(|f| f <= p.as_of).unwrap_or(true)
                && r.to.map(|t| p.as_of <= t).unwrap_or(true)
        })
        .and_then(|r| r.document.clone());
    let active = p.listing.as_ref().filter(|l| l.removed_on.is_none());
    let case = Case {
        codes: Vec::new(),
        occurred_on: p.as_of,
        ended_on: None,
        discovered_on: None,
        decided_on: Some(p.as_of),
        facts: crate::case::Facts::from_table(&p.facts),
        daily: None,
    };
    let timeline = Timeline {
        as_of: Some(p.as_of),
        listed_on: active.map(|l| l.listed_on),
        events: p.history.iter().map(|e| (e.kind, e.date)).collect(),
    };
    let kinds = crate::profile::event_kinds(rs)
        .map(|k| k.1)
        .unwrap_or_default();
    let mut ev = Eval {
        rs,
        program,
        ctx: Ctx::new(program, &case).with_timeline(timeline),
        kinds,
    };

    let mut explanation = Vec::new();
    let mut head = format!(
        "适用规则集 {}{}，正面清单“{}”{}（{}）",
        snap.label(),
        document
            .as_ref()
            .map(|d| format!("（{d}）"))
            .unwrap_or_default(),
        list.name,
        list.label
            .as_ref()
            .map(|l| format!("“{l}”"))
            .unwrap_or_default(),
        rs.locate(list.span)
    );
    if !list.basis.is_empty() {
        head.push_str(&format!("，依据 {}", list.basis.join("、")));
    }
    head.push_str(&format!("；评估日 {}", p.as_of));
    explanation.push(head);

    // Is the current listing still valid?
    let mut listed_until = None;
    let mut currently_listed = false;
    if let Some(l) = active {
        let until = list.validity.and_then(|v| last_day(l.listed_on, v));
        listed_until = until;
        match until {
            Some(u) if u < p.as_of => explanation.push(format!(
                "企业于 {} 纳入正面清单，有效期 {} 已于 {} 届满（{}），按重新纳入评估",
                l.listed_on,
                list.validity
                    .map(|(n, u)| duration_text(n, u))
                    .unwrap_or_default(),
                u,
                rs.locate(list.span)
            )),
            _ => {
                currently_listed = true;
                explanation.push(format!(
                    "企业于 {} 纳入正面清单{}，评估日仍在清单内",
                    l.listed_on,
                    until.map(|u| format!("，有效期至 {u}")).unwrap_or_default()
                ));
            }
        }
    }

    let mut criteria = Vec::new();
    let mut lines = Vec::new();
    let mut run = |ev: &mut Eval<'_>,
                   group: &str,
                   ks: &[CriterionIr]|
     -> Result<Vec<Option<bool>>, EvalError> {
        let mut out = Vec::new();
        for k in ks {
            let (c, t) = ev.criterion(group, k)?;
            lines.push((group.to_string(), explain_criterion(&c)));
            criteria.push(c);
            out.push(t);
        }
        Ok(out)
    };
    let removal = if currently_listed {
        run(&mut ev, "removal", &list.removals)?
    } else {
        Vec::new()
    };
    let exclusion = run(&mut ev, "exclusion", &list.exclusions)?;
    // Entry conditions matter only for an enterprise not (or no longer) on the list.
    let (basic, screening_truths) = if currently_listed {
        (Vec::new(), Vec::new())
    } else {
        let b = run(&mut ev, "basic", &list.basic)?;
        let s = match &list.screening {
            Some((_, ks)) => run(&mut ev, "screening", ks)?,
            None => Vec::new(),
        };
        (b, s)
    };
    let screening = list
        .screening
        .as_ref()
        .filter(|_| !currently_listed)
        .map(|(n, _)| Screening {
            at_least: *n,
            met: screening_truths
                .iter()
                .filter(|t| **t == Some(true))
                .count() as u32,
            unknown: screening_truths.iter().filter(|t| t.is_none()).count() as u32,
        });
    let met_names = |group: &str, truths: &[Option<bool>]| -> Vec<String> {
        criteria
            .iter()
            .filter(|c| c.group == group)
            .zip(truths)
            .filter(|(_, t)| **t == Some(true))
            .map(|(c, _)| c.name.clone())
            .collect()
    };
    let removal_hits = met_names("removal", &removal);
    let exclusion_hits = met_names("exclusion", &exclusion);
    let show = |groups: &[&str], explanation: &mut Vec<String>| {
        for (g, l) in &lines {
            if groups.contains(&g.as_str()) {
                explanation.push(l.clone());
            }
        }
    };

    let ban = list.reentry_ban;
    let mut triggers = Vec::new();
    let mut reentry = None;
    let mut valid_until = None;
    let status;
    if currently_listed {
        show(&["removal", "exclusion"], &mut explanation);
        if removal_hits.is_empty() && exclusion_hits.is_empty() {
            status = Status::Listed;
            valid_until = listed_until;
            explanation.push(format!(
                "结论：没有移出情形或排除情形成立，{}{}",
                Status::Listed.label(),
                listed_until
                    .map(|u| format!("，有效期至 {u}"))
                    .unwrap_or_default()
            ));
        } else {
            status = Status::Removed;
            triggers = removal_hits
                .iter()
                .chain(&exclusion_hits)
                .cloned()
                .collect();
            reentry = ban.and_then(|b| shift(p.as_of, b.0, b.1, true));
            explanation.push(format!(
                "结论：{}成立，{}{}",
                triggers
                    .iter()
                    .map(|t| format!("“{t}”"))
                    .collect::<Vec<_>>()
                    .join("、"),
                Status::Removed.label(),
                match (ban, reentry) {
                    (Some(b), Some(r)) => format!(
                        "；禁入期 {}（{}），自 {} 起方可重新纳入",
                        duration_text(b.0, b.1),
                        rs.locate(list.span),
                        r
                    ),
                    _ => String::new(),
                }
            ));
        }
    } else {
        show(&["exclusion", "basic", "screening"], &mut explanation);
        if let Some(s) = &screening {
            explanation.push(format!(
                "筛选条件至少 {} 项：成立 {} 项{} —— {}",
                s.at_least,
                s.met,
                if s.unknown > 0 {
                    format!("，无法判断 {} 项", s.unknown)
                } else {
                    String::new()
                },
                if s.met >= s.at_least {
                    "满足"
                } else {
                    "不满足"
                }
            ));
        }
        let barred_until = p
            .listing
            .as_ref()
            .and_then(|l| l.removed_on)
            .and_then(|r| ban.and_then(|b| shift(r, b.0, b.1, true)))
            .filter(|allowed| p.as_of < *allowed);
        let basic_ok = basic.iter().all(|t| *t == Some(true));
        let screening_ok = screening
            .as_ref()
            .map(|s| s.met >= s.at_least)
            .unwrap_or(true);
        let exclusion_unknown = exclusion.iter().any(|t| t.is_none());
        if !exclusion_hits.is_empty() {
            status = Status::Excluded;
            triggers = exclusion_hits.clone();
            explanation.push(format!(
                "结论：排除情形{}成立，{}（排除情形优先于其他条件）",
                exclusion_hits
                    .iter()
                    .map(|t| format!("“{t}”"))
                    .collect::<Vec<_>>()
                    .join("、"),
                Status::Excluded.label()
            ));
        } else if let Some(allowed) = barred_until {
            status = Status::Barred;
            reentry = Some(allowed);
            explanation.push(format!(
                "结论：企业于 {} 移出正面清单{}，禁入期 {}（{}），{}，自 {} 起方可重新纳入",
                p.listing
                    .as_ref()
                    .and_then(|l| l.removed_on)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                p.listing
                    .as_ref()
                    .and_then(|l| l.reason.as_ref())
                    .map(|r| format!("（{r}）"))
                    .unwrap_or_default(),
                ban.map(|b| duration_text(b.0, b.1)).unwrap_or_default(),
                rs.locate(list.span),
                Status::Barred.label(),
                allowed
            ));
        } else if basic_ok && screening_ok && !exclusion_unknown {
            status = Status::Eligible;
            valid_until = list.validity.and_then(|v| last_day(p.as_of, v));
            explanation.push(format!(
                "结论：基本条件全部成立{}，无排除情形，{}{}",
                if screening.is_some() {
                    "、筛选条件达到项数"
                } else {
                    ""
                },
                Status::Eligible.label(),
                valid_until
                    .map(|u| format!("；若于 {} 纳入，有效期至 {u}", p.as_of))
                    .unwrap_or_default()
            ));
        } else {
            status = Status::NotEligible;
            let mut why = Vec::new();
            for (c, t) in criteria.iter().filter(|c| c.group == "basic").zip(&basic) {
                if *t != Some(true) {
                    why.push(format!(
                        "基本条件“{}”{}",
                        c.name,
                        if t.is_none() {
                            "无法判断"
                        } else {
                            "不成立"
                        }
                    ));
                }
            }
            if let Some(s) = &screening {
                if s.met < s.at_least {
                    why.push(format!(
                        "筛选条件仅 {} 项成立（至少 {} 项）",
                        s.met, s.at_least
                    ));
                }
            }
            if exclusion_unknown {
                why.push("排除情形无法排除".into());
            }
            explanation.push(format!(
                "结论：{}，{}",
                why.join("；"),
                Status::NotEligible.label()
            ));
        }
    }

    // Measures.
    let want_listed = status == Status::Listed;
    let mut measures: Vec<MeasureRef> = Vec::new();
    for g in list.measures.iter().filter(|g| g.listed == want_listed) {
        let applies = match &g.when {
            None => Some(true),
            Some((c, _)) => ev.ctx.truth(c)?,
        };
        let at = rs.locate(g.span);
        let when_text = g.when.as_ref().map(|w| w.1.trim().to_string());
        match applies {
            Some(true) => {
                for it in &g.items {
                    let m = MeasureRef {
                        name: it.name.clone(),
                        value: match &it.value {
                            Some(Value::Text(t)) => Some(t.clone()),
                            _ => it.text.as_ref().map(|t| t.trim().to_string()),
                        },
                        group: if g.listed { "listed" } else { "unlisted" }.into(),
                        when: when_text.clone(),
                        at: at.clone(),
                    };
                    let line = format!(
                        "措施：{}{}（{}{}）",
                        m.name,
                        m.value
                            .as_ref()
                            .map(|v| format!(" = {v}"))
                            .unwrap_or_default(),
                        if g.listed { "已纳入" } else { "未纳入" },
                        when_text
                            .as_ref()
                            .map(|w| format!("，当 {w}"))
                            .unwrap_or_default()
                    );
                    let line = format!("{line}（{at}）");
                    match measures.iter_mut().find(|x| x.name == m.name) {
                        Some(x) => {
                            explanation.push(format!("{line}，取代 {} 的同名措施", x.at));
                            *x = m;
                        }
                        None => {
                            explanation.push(line);
                            measures.push(m);
                        }
                    }
                }
            }
            Some(false) => {}
            None => explanation.push(format!(
                "措施组（{at}）的条件“{}”无法判断，未适用",
                when_text.unwrap_or_default()
            )),
        }
    }

    let missing_facts: Vec<String> = ev
        .ctx
        .missing
        .iter()
        .filter_map(|i| program.facts.get(i as usize).map(|f| f.name.clone()))
        .collect();
    if !missing_facts.is_empty() {
        explanation.push(format!("档案未提供的事实：{}", missing_facts.join("、")));
    }

    Ok(Supervision {
        enterprise: p.enterprise.clone(),
        as_of: p.as_of.to_string(),
        ruleset: RulesetRef {
            name: snap.name.clone(),
            version: snap.label().to_string(),
            document,
        },
        list: ListRef {
            name: list.name.clone(),
            label: list.label.clone(),
            basis: list.basis.clone(),
            validity: list.validity.map(|(n, u)| duration_text(n, u)),
            reentry_ban: list.reentry_ban.map(|(n, u)| duration_text(n, u)),
            at: rs.locate(list.span),
        },
        status,
        status_label: status.label().into(),
        valid_until: valid_until.map(|d| d.to_string()),
        reentry_allowed_on: reentry.map(|d| d.to_string()),
        triggers,
        screening,
        criteria,
        measures,
        missing_facts,
        explanation,
    })
}
