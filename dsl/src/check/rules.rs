//! Rule pass: lower violations, refinements, exemptions, adjustments, limitation, fallback
//! and positive lists of one ruleset version; then the cross-ruleset checks (refinements and
//! `优先于` must name something that exists, codes are unique).

use super::versions::Group;
use super::{CheckError, Checker};
use crate::ast::{self, AdjustKind, Combine, EffectOp, ExemptionEffect, Item};
use crate::ir::*;
use rust_decimal::Decimal;
use std::collections::HashMap;

fn pct(d: Decimal) -> String {
    format!("{}%", d.saturating_mul(Decimal::ONE_HUNDRED).normalize())
}

fn text(t: &Option<ast::Text>) -> Option<String> {
    t.as_ref().map(|t| t.value.clone())
}

pub(crate) fn ruleset(c: &mut Checker<'_>, asts: &[ast::File], g: &Group) -> RulesetIr {
    let first = g.files.first().and_then(|&i| asts.get(i));
    let mut r = RulesetIr {
        name: g.name.clone(),
        document: None,
        authority: None,
        jurisdiction: None,
        version: None,
        from: g.from,
        to: g.to,
        extends: None,
        rounding: None,
        choice_of_law: None,
        one_fine: None,
        violations: Vec::new(),
        refinements: Vec::new(),
        exemptions: Vec::new(),
        adjustments: Vec::new(),
        limitation: None,
        fallback: None,
        general_table: None,
        positive_lists: Vec::new(),
        facts: Vec::new(),
        files: g.files.iter().map(|&i| i as u32).collect(),
        span: first.map(|f| f.header.span).unwrap_or_default(),
    };
    for &fi in &g.files {
        let Some(file) = asts.get(fi) else { continue };
        let h = &file.header;
        r.document = r.document.or_else(|| text(&h.document));
        r.authority = r.authority.or_else(|| text(&h.authority));
        r.jurisdiction = r.jurisdiction.or_else(|| text(&h.jurisdiction));
        r.version = r.version.or_else(|| text(&h.version));
        r.choice_of_law = r.choice_of_law.or_else(|| text(&h.choice_of_law));
        r.one_fine = r.one_fine.or_else(|| text(&h.one_fine));
        r.extends = r
            .extends
            .or_else(|| h.extends.as_ref().map(|e| e.name.clone()));
        if r.rounding.is_none() {
            r.rounding = h.rounding.as_ref().map(|x| RoundingIr {
                unit: x.unit,
                unit_label: x.unit_label.clone(),
                mode: x.mode,
                span: x.span,
            });
        }
        c.boundary = h.boundary.map(|b| b.0).unwrap_or_default();
        for item in &file.items {
            match item {
                Item::Fact(f) => {
                    if let Some(&i) = c.fact_index.get(&f.name.name) {
                        r.facts.push(i);
                    }
                }
                Item::Derived(_) => {}
                Item::Violation(v) => {
                    if let Some(v) = violation(c, v, false) {
                        r.violations.push(v)
                    }
                }
                Item::Refine(v) => {
                    if let Some(v) = violation(c, v, true) {
                        r.refinements.push(v)
                    }
                }
                Item::Exemption(e) => {
                    if let Some(e) = exemption(c, e) {
                        r.exemptions.push(e)
                    }
                }
                Item::Adjustment(a) => {
                    if let Some(a) = adjustment(c, a) {
                        r.adjustments.push(a)
                    }
                }
                Item::Limitation(l) => {
                    if let Some(prev) = &r.limitation {
                        let first = c.where_is(prev.span);
                        c.err(CheckError::Duplicate {
                            what: "时效规则",
                            name: "时效".into(),
                            first,
                            span: l.span,
                        });
                    }
                    r.limitation = limitation(c, l);
                }
                Item::Fallback(f) => {
                    let pos = |x: Option<(Decimal, crate::span::Span)>, c: &mut Checker<'_>| {
                        x.map(|(v, sp)| {
                            if !(Decimal::ZERO..=Decimal::ONE).contains(&v) {
                                c.err(CheckError::OutOfBounds {
                                    what: "缺省裁量位置".into(),
                                    value: pct(v),
                                    allowed: "0% 至 100%",
                                    span: sp,
                                });
                            }
                            v
                        })
                    };
                    let ordinary = pos(f.ordinary, c).unwrap_or(Decimal::new(5, 1));
                    let mitigated = pos(f.mitigated, c);
                    let aggravated = pos(f.aggravated, c);
                    r.fallback = Some(FallbackIr {
                        ordinary,
                        mitigated,
                        aggravated,
                        basis: f.basis.value.clone(),
                        span: f.span,
                    });
                }
                Item::GeneralTable(g) => {
                    if let Some(prev) = &r.general_table {
                        let first = c.where_is(prev.span);
                        c.err(CheckError::Duplicate {
                            what: "通用裁量",
                            name: "通用裁量".into(),
                            first,
                            span: g.span,
                        });
                    }
                    // No statutory range here: the table applies to many violations, so the
                    // table-vs-range comparison happens per case (the engine clamps).
                    if let Some(d) = c.discretion(&g.discretion, &[]) {
                        r.general_table = Some(GeneralTableIr {
                            discretion: d,
                            basis: g.basis.value.clone(),
                            span: g.span,
                        });
                    }
                }
                Item::PositiveList(p) => {
                    if let Some(p) = positive_list(c, p) {
                        r.positive_lists.push(p)
                    }
                }
            }
        }
    }
    r
}

fn violation(c: &mut Checker<'_>, v: &ast::Violation, refine: bool) -> Option<ViolationIr> {
    c.used_facts.clear();
    let mut fines = Vec::new();
    let mut unconditional: Option<crate::span::Span> = None;
    for f in &v.fines {
        let when = match &f.when {
            Some(w) => Some(c.condition(w)?),
            None => {
                if let Some(prev) = unconditional {
                    let first = c.where_is(prev);
                    c.err(CheckError::Duplicate {
                        what: "无条件罚款幅度",
                        name: v.code.name.clone(),
                        first,
                        span: f.span,
                    });
                } else {
                    unconditional = Some(f.span);
                }
                None
            }
        };
        let Some(shape) = c.shape(&f.shape, f.span) else {
            continue;
        };
        fines.push(FineIr {
            when,
            shape,
            span: f.span,
        });
    }
    if !refine {
        if v.title.is_none() {
            c.err(CheckError::Missing {
                what: format!("违法行为“{}”", v.code.name),
                clause: "名称",
                span: v.code.span,
            });
        }
        if v.basis.is_empty() {
            c.err(CheckError::Missing {
                what: format!("违法行为“{}”", v.code.name),
                clause: "依据",
                span: v.code.span,
            });
        }
        if unconditional.is_none() && (v.not_illegal.is_none() || v.not_illegal_when.is_some()) {
            c.err(CheckError::NoBaseFine {
                code: v.code.name.clone(),
                span: v.code.span,
            });
        }
    }
    // An act this version no longer punishes has nothing to fine or weigh.
    let not_illegal_when = match &v.not_illegal_when {
        Some(w) => c.condition(w),
        None => None,
    };
    if let (Some(t), None) = (&v.not_illegal, &v.not_illegal_when) {
        if !v.fines.is_empty() || v.discretion.is_some() {
            c.err(CheckError::NotIllegalWithFine {
                code: v.code.name.clone(),
                span: t.span,
            });
        }
    }
    let discretion = match &v.discretion {
        Some(d) => c.discretion(d, &fines),
        None => None,
    };
    let exemptions = v
        .exemptions
        .iter()
        .filter_map(|e| exemption(c, e))
        .collect();
    let adjustments = v
        .adjustments
        .iter()
        .filter_map(|a| adjustment(c, a))
        .collect();
    let limitation = v.limitation.as_ref().and_then(|l| limitation(c, l));
    let mut facts = std::mem::take(&mut c.used_facts);
    facts.sort_unstable();
    facts.dedup();
    Some(ViolationIr {
        code: v.code.name.clone(),
        title: text(&v.title),
        violates: text(&v.violates),
        basis: v.basis.iter().map(|b| b.value.clone()).collect(),
        source: text(&v.source),
        succeeds: text(&v.succeeds),
        not_illegal: text(&v.not_illegal),
        not_illegal_when,
        fines,
        measures: v
            .measures
            .iter()
            .map(|m| (m.optional, m.text.clone()))
            .collect(),
        daily: text(&v.daily),
        discretion,
        exemptions,
        adjustments,
        limitation,
        facts,
        span: v.span,
    })
}

fn source_text(c: &Checker<'_>, e: &ast::Expr) -> String {
    c.files
        .get(e.span.file as usize)
        .and_then(|f| f.text.get(e.span.range()))
        .unwrap_or("")
        .to_string()
}

fn conditions(c: &mut Checker<'_>, when: &[ast::Expr]) -> Option<Vec<(CExpr, Text)>> {
    let mut out = Vec::new();
    let mut ok = true;
    for w in when {
        match c.condition(w) {
            Some(x) => out.push((x, source_text(c, w).into())),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn exemption(c: &mut Checker<'_>, e: &ast::Exemption) -> Option<ExemptionIr> {
    let when = conditions(c, &e.when)?;
    let Some((effect, _)) = e.effect else {
        c.err(CheckError::Missing {
            what: format!("免罚规则“{}”", e.name.name),
            clause: "不予处罚 / 可以不予处罚 / 不适用",
            span: e.name.span,
        });
        return None;
    };
    if e.basis.is_empty() && effect != ExemptionEffect::NotApplicable {
        c.err(CheckError::Missing {
            what: format!("免罚规则“{}”", e.name.name),
            clause: "依据",
            span: e.name.span,
        });
    }
    c.note_overrides(e.span, &e.overrides);
    if let Some(why) = never_true(&when) {
        c.err(CheckError::NeverFires {
            name: e.name.name.clone(),
            why,
            span: e.name.span,
        });
    }
    Some(ExemptionIr {
        name: e.name.name.as_str().into(),
        label: text(&e.label),
        kind: e
            .kind
            .as_ref()
            .map(|k| k.name.clone())
            .unwrap_or_else(|| e.name.name.clone()),
        effect,
        when,
        basis: e.basis.iter().map(|b| b.value.clone()).collect(),
        overrides: e.overrides.iter().map(|o| o.name.clone()).collect(),
        span: e.span,
    })
}

/// Why a conjunction can never hold: a literal false, or a bool fact required both true and
/// false, or an enum fact required to equal two different values.
pub(crate) fn never_true(when: &[(CExpr, Text)]) -> Option<String> {
    let mut atoms: Vec<&CExpr> = Vec::new();
    fn flatten<'a>(e: &'a CExpr, out: &mut Vec<&'a CExpr>) {
        match e {
            CExpr::Bin(ast::BinOp::And, a, b) => {
                flatten(a, out);
                flatten(b, out);
            }
            _ => out.push(e),
        }
    }
    for (w, _) in when {
        flatten(w, &mut atoms);
    }
    let mut bools: HashMap<u32, bool> = HashMap::new();
    let mut enums: HashMap<u32, u32> = HashMap::new();
    for a in atoms {
        let (fact, val) = match a {
            CExpr::Lit(Value::Bool(false)) => return Some("条件恒为“否”".into()),
            CExpr::Fact(i) => (*i, true),
            CExpr::Not(inner) => match inner.as_ref() {
                CExpr::Fact(i) => (*i, false),
                _ => continue,
            },
            CExpr::Bin(ast::BinOp::Eq, l, r) => {
                if let (CExpr::Fact(i), CExpr::Lit(Value::Enum(v))) = (l.as_ref(), r.as_ref()) {
                    if let Some(prev) = enums.insert(*i, *v) {
                        if prev != *v {
                            return Some("同一事实被要求等于两个不同取值".into());
                        }
                    }
                }
                continue;
            }
            _ => continue,
        };
        if let Some(prev) = bools.insert(fact, val) {
            if prev != val {
                return Some("同一事实被同时要求为“是”和“否”".into());
            }
        }
    }
    None
}

fn adjustment(c: &mut Checker<'_>, a: &ast::Adjustment) -> Option<AdjustmentIr> {
    let when = conditions(c, &a.when)?;
    c.note_overrides(a.span, &a.overrides);
    if a.basis.is_empty() {
        c.err(CheckError::Missing {
            what: format!("调整规则“{}”", a.name.name),
            clause: "依据",
            span: a.name.span,
        });
    }
    let Some(eff) = &a.effect else {
        c.err(CheckError::Missing {
            what: format!("调整规则“{}”", a.name.name),
            clause: "效果（降低、提高、减少、增加、降至、取）",
            span: a.name.span,
        });
        return None;
    };
    let kind = a.kind.0;
    let share = |c: &mut Checker<'_>, lo: Decimal, hi: Option<Decimal>| -> (Decimal, Decimal) {
        let hi = hi.unwrap_or(lo);
        if lo > hi {
            c.err(CheckError::MinAboveMax {
                what: format!("调整规则“{}”的比例", a.name.name),
                min: pct(lo),
                max: pct(hi),
                span: eff.span,
            });
        }
        (lo, hi)
    };
    let money = |c: &mut Checker<'_>, e: &ast::Expr| c.expect(e, Ty::Money, "调整金额");
    let effect = match &eff.op {
        EffectOp::LowerBy(lo, hi) => {
            let (lo, hi) = share(c, *lo, *hi);
            if hi > Decimal::ONE {
                c.err(CheckError::OutOfBounds {
                    what: "降低比例".into(),
                    value: pct(hi),
                    allowed: "0% 至 100%",
                    span: eff.span,
                });
            }
            if kind == AdjustKind::Aggravate {
                c.err(CheckError::LeavesRange {
                    what: format!("从重规则“{}”的“降低”", a.name.name),
                    direction: "低于",
                    span: eff.span,
                });
            }
            EffectIr::LowerBy(lo, hi)
        }
        EffectOp::RaiseBy(lo, hi) => {
            let (lo, hi) = share(c, *lo, *hi);
            EffectIr::RaiseBy(lo, hi)
        }
        EffectOp::Minus(lo, hi) => {
            let l = money(c, lo)?;
            let h = match hi {
                Some(h) => money(c, h)?,
                None => l.clone(),
            };
            EffectIr::Minus(l, h)
        }
        EffectOp::Plus(lo, hi) => {
            let l = money(c, lo)?;
            let h = match hi {
                Some(h) => money(c, h)?,
                None => l.clone(),
            };
            EffectIr::Plus(l, h)
        }
        EffectOp::SetTo(lo, hi) => {
            if kind != AdjustKind::Reduce {
                c.err(CheckError::LeavesRange {
                    what: format!("“{}”的“降至”", a.name.name),
                    direction: "低于",
                    span: eff.span,
                });
            }
            EffectIr::SetTo(money(c, lo)?, money(c, hi)?)
        }
        EffectOp::TakeLow => EffectIr::TakeLow,
        EffectOp::TakeHigh => EffectIr::TakeHigh,
    };
    let recommend = match &eff.recommend {
        Some(r) => Some(c.expect(r, Ty::Percent, "推荐位置")?),
        None => None,
    };
    Some(AdjustmentIr {
        name: a.name.name.clone(),
        label: text(&a.label),
        kind,
        when,
        basis: a.basis.iter().map(|b| b.value.clone()).collect(),
        overrides: a.overrides.iter().map(|o| o.name.clone()).collect(),
        excludes: a
            .excludes
            .iter()
            .map(|x| (x.name.clone(), x.span))
            .collect(),
        effect,
        recommend,
        combine: a.combine.map(|x| x.0).unwrap_or(Combine::Sequential),
        span: a.span,
    })
}

fn limitation(c: &mut Checker<'_>, l: &ast::Limitation) -> Option<LimitationIr> {
    if l.period.amount == 0 {
        c.err(CheckError::OutOfBounds {
            what: "时效期间".into(),
            value: "0".into(),
            allowed: "大于 0",
            span: l.period.span,
        });
    }
    let mut cases = Vec::new();
    for (e, d) in &l.cases {
        let cond = c.condition(e)?;
        cases.push((cond, (d.amount, d.unit), source_text(c, e)));
    }
    Some(LimitationIr {
        period: (l.period.amount, l.period.unit),
        from: text(&l.from),
        basis: l.basis.value.clone(),
        cases,
        span: l.span,
    })
}

fn criterion(c: &mut Checker<'_>, k: &ast::Criterion) -> Option<CriterionIr> {
    let cond = c.condition(&k.when)?;
    Some(CriterionIr {
        name: k.name.name.clone(),
        label: text(&k.label),
        when: (cond, source_text(c, &k.when)),
        span: k.span,
    })
}

fn positive_list(c: &mut Checker<'_>, p: &ast::PositiveList) -> Option<PositiveListIr> {
    let mut names: HashMap<&str, crate::span::Span> = HashMap::new();
    let all = p
        .basic
        .iter()
        .chain(p.screening.iter().flat_map(|s| s.1.iter()))
        .chain(&p.exclusions)
        .chain(&p.removals);
    for k in all {
        if let Some(prev) = names.insert(k.name.name.as_str(), k.name.span) {
            let first = c.where_is(prev);
            c.err(CheckError::Duplicate {
                what: "条件",
                name: k.name.name.clone(),
                first,
                span: k.name.span,
            });
        }
    }
    let basic: Vec<_> = p.basic.iter().filter_map(|k| criterion(c, k)).collect();
    let screening = p.screening.as_ref().map(|(n, ks)| {
        if *n as usize > ks.len() || *n == 0 {
            c.err(CheckError::OutOfBounds {
                what: "筛选条件“至少”项数".into(),
                value: n.to_string(),
                allowed: "1 至 筛选条件的条数",
                span: p.name.span,
            });
        }
        (*n, ks.iter().filter_map(|k| criterion(c, k)).collect())
    });
    let exclusions = p
        .exclusions
        .iter()
        .filter_map(|k| criterion(c, k))
        .collect();
    let removals = p.removals.iter().filter_map(|k| criterion(c, k)).collect();
    let mut measures = Vec::new();
    for m in &p.measures {
        let when = match &m.when {
            Some(w) => Some((c.condition(w)?, source_text(c, w))),
            None => None,
        };
        let mut items = Vec::new();
        for (name, value) in &m.items {
            let v = match value {
                Some(e) => match &e.kind {
                    ast::ExprKind::Lit(l) => Some(super::expr::literal(l).0),
                    ast::ExprKind::Name(id) => Some(Value::Text(id.name.clone())),
                    _ => None,
                },
                None => None,
            };
            items.push(MeasureItemIr {
                name: name.name.clone(),
                value: v,
                text: value.as_ref().map(|e| source_text(c, e)),
                span: name.span,
            });
        }
        measures.push(ListMeasuresIr {
            listed: m.listed,
            when,
            items,
            span: m.span,
        });
    }
    Some(PositiveListIr {
        name: p.name.name.clone(),
        label: text(&p.label),
        basis: p.basis.iter().map(|b| b.value.clone()).collect(),
        validity: p.validity.map(|d| (d.amount, d.unit)),
        reentry_ban: p.reentry_ban.map(|d| (d.amount, d.unit)),
        basic,
        screening,
        exclusions,
        removals,
        measures,
        span: p.span,
    })
}

/// Checks that need every ruleset: codes unique per version, refinements name an inherited
/// violation, `优先于` names an existing rule, exceptions that defeat a rule unconditionally.
pub(crate) fn cross_checks(
    c: &mut Checker<'_>,
    rulesets: &[RulesetIr],
    ancestry: &HashMap<String, Vec<String>>,
) {
    let codes_of = |name: &str| -> Vec<(String, crate::span::Span)> {
        rulesets
            .iter()
            .filter(|r| r.name == name)
            .flat_map(|r| r.violations.iter().map(|v| (v.code.clone(), v.span)))
            .collect()
    };
    let rules_of = |name: &str| -> Vec<String> {
        rulesets
            .iter()
            .filter(|r| r.name == name)
            .flat_map(|r| {
                let local = r.violations.iter().chain(&r.refinements).flat_map(|v| {
                    v.exemptions
                        .iter()
                        .map(|e| e.name.to_string())
                        .chain(v.adjustments.iter().map(|a| a.name.clone()))
                });
                r.exemptions
                    .iter()
                    .map(|e| e.name.to_string())
                    .chain(r.adjustments.iter().map(|a| a.name.clone()))
                    .chain(local)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    for r in rulesets {
        let chain: Vec<String> = ancestry.get(&r.name).cloned().unwrap_or_default();
        let inherited_at: Vec<(String, crate::span::Span)> =
            chain.iter().flat_map(|a| codes_of(a)).collect();
        let inherited: Vec<String> = inherited_at.iter().map(|(c, _)| c.clone()).collect();
        let mut seen: HashMap<&str, crate::span::Span> = HashMap::new();
        for v in &r.violations {
            if let Some(prev) = seen.insert(v.code.as_str(), v.span) {
                let first = c.where_is(prev);
                c.err(CheckError::Duplicate {
                    what: "违法行为代码",
                    name: v.code.clone(),
                    first,
                    span: v.span,
                });
            } else if let Some((_, prev)) = inherited_at.iter().find(|(c, _)| c == &v.code) {
                let first = c.where_is(*prev);
                c.err(CheckError::Duplicate {
                    what: "违法行为代码（上级规则集已有，请用“细化 违法行为”）",
                    name: v.code.clone(),
                    first,
                    span: v.span,
                });
            }
        }
        // A refinement may name a violation of an ancestor or of another file of this ruleset
        // (a no-penalty list kept apart from the chapter that defines the violation).
        let own: Vec<String> = codes_of(&r.name).into_iter().map(|(c, _)| c).collect();
        for v in &r.refinements {
            if !inherited.contains(&v.code) && !own.contains(&v.code) {
                let suggestion = super::suggest(&v.code, inherited.iter().map(|s| s.as_str()));
                c.err(CheckError::RefineMissing {
                    code: v.code.clone(),
                    suggestion,
                    span: v.span,
                });
            }
        }
        let mut names: Vec<String> = rules_of(&r.name);
        for a in &chain {
            names.extend(rules_of(a));
        }
        let mut rule_names: HashMap<&str, crate::span::Span> = HashMap::new();
        for e in &r.exemptions {
            if let Some(prev) = rule_names.insert(&e.name, e.span) {
                let first = c.where_is(prev);
                c.err(CheckError::Duplicate {
                    what: "规则",
                    name: e.name.to_string(),
                    first,
                    span: e.span,
                });
            }
        }
        let all_ex = r.exemptions.iter().chain(
            r.violations
                .iter()
                .chain(&r.refinements)
                .flat_map(|v| v.exemptions.iter()),
        );
        let all_adj = r.adjustments.iter().chain(
            r.violations
                .iter()
                .chain(&r.refinements)
                .flat_map(|v| v.adjustments.iter()),
        );
        // `排除 违法行为` names violations of this ruleset or of those it extends.
        let known: Vec<&str> = own.iter().chain(&inherited).map(String::as_str).collect();
        for (x, span) in all_adj.clone().flat_map(|a| a.excludes.iter()) {
            if !known.contains(&x.as_str()) {
                let suggestion = super::suggest(x, known.iter().copied());
                c.err(CheckError::UnknownExcluded {
                    code: x.clone(),
                    suggestion,
                    span: *span,
                });
            }
        }
        let overrides: Vec<(&Vec<String>, crate::span::Span)> = all_ex
            .map(|e| (&e.overrides, e.span))
            .chain(all_adj.map(|a| (&a.overrides, a.span)))
            .collect();
        for (ov, span) in overrides {
            for o in ov {
                if !names.contains(o) {
                    let suggestion = super::suggest(o, names.iter().map(|s| s.as_str()));
                    let span = c
                        .override_spans
                        .get(&(span.key(), o.clone()))
                        .copied()
                        .unwrap_or(span);
                    c.err(CheckError::UnknownRule {
                        name: o.clone(),
                        suggestion,
                        span,
                    });
                }
            }
        }
        // An unconditional exception that defeats an exemption means that exemption never fires.
        let general: Vec<&ExemptionIr> = r.exemptions.iter().collect();
        for e in &general {
            if e.when.is_empty() {
                for o in &e.overrides {
                    if let Some(t) = general.iter().find(|x| *x.name == **o) {
                        c.err(CheckError::NeverFires {
                            name: t.name.to_string(),
                            why: format!("被无条件的“{}”排除", e.name),
                            span: t.span,
                        });
                    }
                }
            }
        }
    }
}
