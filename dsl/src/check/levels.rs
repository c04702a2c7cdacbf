//! Level pass: turn a factor's levels, written in the table's words, into tests; check that
//! numeric levels neither overlap nor leave gaps (under the declared boundary convention),
//! that enum and bool levels cover every value, and that level values fit the factor.

use super::{CheckError, Checker};
use crate::ast::{Boundary, EndKind, Factor, LevelCond, LevelValue, Literal};
use crate::ir::{CExpr, FactorIr, LevelIr, LevelTest, Ty};
use rust_decimal::Decimal;
use std::collections::HashMap;

impl Checker<'_> {
    /// Lower a factor. `weighted`: the table scores levels 0–100 under per-factor weights.
    pub(crate) fn factor(&mut self, f: &Factor) -> Option<FactorIr> {
        let shorthand = f
            .levels
            .iter()
            .any(|l| !matches!(l.cond, LevelCond::When(_) | LevelCond::Otherwise));
        // The factor's subject: a fact or derived value, when levels use the shorthand.
        let subject: Option<(CExpr, Ty)> = if shorthand && self.scope_has(&f.name.name) {
            self.expr(
                &crate::ast::Expr {
                    kind: crate::ast::ExprKind::Name(f.name.clone()),
                    span: f.name.span,
                },
                None,
            )
        } else if shorthand {
            self.unknown_name(&f.name.name, f.name.span);
            return None;
        } else {
            None
        };
        let fact = match &subject {
            Some((CExpr::Fact(i), _)) => Some(*i),
            _ => None,
        };
        let label = f.label.as_ref().map(|t| t.value.clone()).or_else(|| {
            fact.and_then(|i| self.facts.get(i as usize))
                .and_then(|d| d.label.clone())
        });
        let ty = subject.as_ref().map(|s| s.1);
        let mut levels = Vec::new();
        for l in &f.levels {
            let text = self
                .files
                .get(l.span.file as usize)
                .and_then(|s| s.text.get(l.span.range()))
                .unwrap_or("")
                .to_string();
            let value = match (l.value, f.weight) {
                (LevelValue::Percent(p), None) => p,
                (LevelValue::Score(s), Some((w, _))) => {
                    if s < Decimal::ZERO || s > Decimal::ONE_HUNDRED {
                        self.err(CheckError::OutOfBounds {
                            what: "档次分值".into(),
                            value: s.normalize().to_string(),
                            allowed: "0 至 100",
                            span: l.span,
                        });
                        continue;
                    }
                    w.saturating_mul(s) / Decimal::ONE_HUNDRED
                }
                (LevelValue::Score(_), None) => {
                    self.err(CheckError::TypeMismatch {
                        what: "档次权重".into(),
                        expected: "百分比（如 5%）".into(),
                        found: "分值".into(),
                        span: l.span,
                    });
                    continue;
                }
                (LevelValue::Percent(_), Some(_)) => {
                    self.err(CheckError::TypeMismatch {
                        what: "带“权重”的因素的档次".into(),
                        expected: "分值（0–100）".into(),
                        found: "百分比".into(),
                        span: l.span,
                    });
                    continue;
                }
            };
            if !(Decimal::ZERO..=Decimal::ONE).contains(&value) {
                self.err(CheckError::OutOfBounds {
                    what: "档次权重".into(),
                    value: format!(
                        "{}%",
                        value.saturating_mul(Decimal::ONE_HUNDRED).normalize()
                    ),
                    allowed: "0% 至 100%",
                    span: l.span,
                });
            }
            let kind_err = |s: &mut Self| {
                s.err(CheckError::LevelKind {
                    level: text.clone(),
                    factor: f.name.name.clone(),
                    ty: ty.map(|t| t.label(&s.enums)).unwrap_or_else(|| "无".into()),
                    span: l.span,
                })
            };
            let test = match (&l.cond, ty) {
                (LevelCond::When(e), _) => match self.condition(e) {
                    Some(c) => LevelTest::When(c),
                    None => continue,
                },
                (LevelCond::Otherwise, _) => LevelTest::Otherwise,
                (LevelCond::Bool(b), Some(Ty::Bool)) => LevelTest::Bool(*b),
                (LevelCond::Variants(vs), Some(Ty::Enum(id))) => {
                    let mut idx = Vec::new();
                    for v in vs {
                        if let Some(i) = self.variant(id, &v.name, v.span) {
                            idx.push(i);
                        }
                    }
                    // An unknown variant is reported once; coverage is not judged on a guess.
                    if idx.len() != vs.len() {
                        continue;
                    }
                    LevelTest::Variants(idx)
                }
                (LevelCond::Range { low, high }, Some(t)) if t.is_numeric() => {
                    let mut end = |e: &crate::ast::RangeEnd| -> Option<(Decimal, bool)> {
                        let v = self.bound(&e.value, t, e.span)?;
                        let inclusive = match (e.kind, self.boundary) {
                            (EndKind::Ge | EndKind::Le, _) => true,
                            (EndKind::Gt | EndKind::Lt, _) => false,
                            (EndKind::Above, Boundary::BothExclusive) => false,
                            (EndKind::Above, _) => true,
                            (EndKind::Below, Boundary::BothInclusive) => true,
                            (EndKind::Below, _) => false,
                        };
                        Some((v, inclusive))
                    };
                    let lo = match low {
                        Some(e) => Some(end(e)?),
                        None => None,
                    };
                    let hi = match high {
                        Some(e) => Some(end(e)?),
                        None => None,
                    };
                    if let (Some((a, _)), Some((b, _))) = (lo, hi) {
                        if a > b {
                            self.err(CheckError::MinAboveMax {
                                what: format!("档次“{text}”"),
                                min: a.normalize().to_string(),
                                max: b.normalize().to_string(),
                                span: l.span,
                            });
                            continue;
                        }
                    }
                    LevelTest::Interval { lo, hi }
                }
                (LevelCond::Exact(lit, sp), Some(t)) if t.is_numeric() => {
                    let v = self.bound(lit, t, *sp)?;
                    LevelTest::Interval {
                        lo: Some((v, true)),
                        hi: Some((v, true)),
                    }
                }
                _ => {
                    kind_err(self);
                    continue;
                }
            };
            levels.push(LevelIr {
                test,
                value,
                label: text.trim().into(),
                text,
                span: l.span,
            });
        }
        if levels.len() != f.levels.len() {
            return None;
        }
        self.coverage(f, ty, &levels);
        let lowest = levels
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.value.cmp(&b.1.value).then(a.0.cmp(&b.0)))
            .map(|(i, _)| i)
            .unwrap_or(0);
        Some(FactorIr {
            name: f.name.name.as_str().into(),
            label,
            fact,
            subject: subject.map(|s| s.0),
            levels,
            lowest,
            span: f.span,
        })
    }

    /// A level bound literal of the factor's type.
    fn bound(&mut self, lit: &Literal, ty: Ty, span: crate::span::Span) -> Option<Decimal> {
        let (v, lt) = super::expr::literal(lit);
        let ok = super::expr::assignable(lt, ty)
            || (ty == Ty::Percent && matches!(lt, Ty::Number | Ty::Integer));
        let d = match v {
            crate::ir::Value::Dec(d) => d,
            _ => Decimal::ZERO,
        };
        if !ok {
            self.err(CheckError::TypeMismatch {
                what: "档次边界".into(),
                expected: ty.label(&self.enums),
                found: lt.label(&self.enums),
                span,
            });
            return None;
        }
        // `30` written for a percent fact means 30%.
        if ty == Ty::Percent && matches!(lt, Ty::Number | Ty::Integer) {
            return Some(d / Decimal::ONE_HUNDRED);
        }
        Some(d)
    }

    fn coverage(&mut self, f: &Factor, ty: Option<Ty>, levels: &[LevelIr]) {
        let has_otherwise = levels
            .iter()
            .any(|l| matches!(l.test, LevelTest::Otherwise));
        match ty {
            Some(Ty::Enum(id)) => {
                let mut seen: HashMap<u32, &LevelIr> = HashMap::new();
                for l in levels {
                    if let LevelTest::Variants(vs) = &l.test {
                        for v in vs {
                            if let Some(prev) = seen.insert(*v, l) {
                                self.err(CheckError::LevelOverlap {
                                    factor: f.name.name.clone(),
                                    a: prev.text.clone(),
                                    b: l.text.clone(),
                                    span: l.span,
                                });
                            }
                        }
                    }
                }
                if !has_otherwise {
                    let variants = self
                        .enums
                        .get(id as usize)
                        .map(|e| e.variants.clone())
                        .unwrap_or_default();
                    let missing: Vec<String> = variants
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| !seen.contains_key(&(*i as u32)))
                        .map(|(_, v)| format!("“{v}”"))
                        .collect();
                    if !missing.is_empty()
                        && !levels.iter().any(|l| matches!(l.test, LevelTest::When(_)))
                    {
                        self.err(CheckError::EnumNotCovered {
                            factor: f.name.name.clone(),
                            missing: missing.join("、"),
                            span: f.name.span,
                        });
                    }
                }
            }
            Some(Ty::Bool) => {
                let mut seen: HashMap<bool, &LevelIr> = HashMap::new();
                for l in levels {
                    if let LevelTest::Bool(b) = l.test {
                        if let Some(prev) = seen.insert(b, l) {
                            self.err(CheckError::LevelOverlap {
                                factor: f.name.name.clone(),
                                a: prev.text.clone(),
                                b: l.text.clone(),
                                span: l.span,
                            });
                        }
                    }
                }
                if !has_otherwise
                    && seen.len() < 2
                    && !levels.iter().any(|l| matches!(l.test, LevelTest::When(_)))
                {
                    let missing = if seen.contains_key(&true) {
                        "“否”"
                    } else {
                        "“是”"
                    };
                    self.err(CheckError::EnumNotCovered {
                        factor: f.name.name.clone(),
                        missing: missing.into(),
                        span: f.name.span,
                    });
                }
            }
            Some(t) if t.is_numeric() => self.intervals(f, t == Ty::Integer, has_otherwise, levels),
            _ => {}
        }
    }

    fn intervals(&mut self, f: &Factor, integer: bool, has_otherwise: bool, levels: &[LevelIr]) {
        // (lo, lo_incl, hi, hi_incl) with None as −∞ / +∞.
        type End = Option<(Decimal, bool)>;
        let mut iv: Vec<(End, End, &LevelIr)> = levels
            .iter()
            .filter_map(|l| match l.test {
                LevelTest::Interval { lo, hi } => Some((lo, hi, l)),
                _ => None,
            })
            .collect();
        if iv.is_empty() {
            return;
        }
        // Integers: normalise to closed integer intervals so [1,1] and [2,2] touch.
        if integer {
            for (lo, hi, _) in iv.iter_mut() {
                if let Some((v, incl)) = lo {
                    let n = if *incl {
                        v.ceil()
                    } else {
                        v.floor().saturating_add(Decimal::ONE)
                    };
                    *lo = Some((n, true));
                }
                if let Some((v, incl)) = hi {
                    let n = if *incl {
                        v.floor()
                    } else {
                        v.ceil().saturating_sub(Decimal::ONE)
                    };
                    *hi = Some((n, true));
                }
            }
        }
        iv.sort_by(|a, b| match (a.0, b.0) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, _) => std::cmp::Ordering::Less,
            (_, None) => std::cmp::Ordering::Greater,
            (Some((x, xi)), Some((y, yi))) => x.cmp(&y).then(yi.cmp(&xi)),
        });
        let fmt = |d: Decimal| d.normalize().to_string();
        for pair in iv.windows(2) {
            let (Some(a), Some(b)) = (pair.first(), pair.get(1)) else {
                continue;
            };
            let Some((ahi, ahi_incl)) = a.1 else {
                self.err(CheckError::LevelOverlap {
                    factor: f.name.name.clone(),
                    a: a.2.text.clone(),
                    b: b.2.text.clone(),
                    span: b.2.span,
                });
                continue;
            };
            let Some((blo, blo_incl)) = b.0 else { continue };
            if integer {
                if ahi >= blo {
                    self.err(CheckError::LevelOverlap {
                        factor: f.name.name.clone(),
                        a: a.2.text.clone(),
                        b: b.2.text.clone(),
                        span: b.2.span,
                    });
                } else if ahi.saturating_add(Decimal::ONE) < blo && !has_otherwise {
                    let (first, last) = (
                        ahi.saturating_add(Decimal::ONE),
                        blo.saturating_sub(Decimal::ONE),
                    );
                    let gap = if first == last {
                        fmt(first)
                    } else {
                        format!("{} 至 {}", fmt(first), fmt(last))
                    };
                    self.err(CheckError::LevelGap {
                        factor: f.name.name.clone(),
                        gap,
                        span: b.2.span,
                    });
                }
                continue;
            }
            if ahi > blo || (ahi == blo && ahi_incl && blo_incl) {
                self.err(CheckError::LevelOverlap {
                    factor: f.name.name.clone(),
                    a: a.2.text.clone(),
                    b: b.2.text.clone(),
                    span: b.2.span,
                });
            } else if (ahi < blo || (!ahi_incl && !blo_incl)) && !has_otherwise {
                // Say which ends belong to the gap: under 以下不含本数 the number itself is in it.
                let end = |d: Decimal, in_gap: bool| {
                    format!("{}（{}）", fmt(d), if in_gap { "含" } else { "不含" })
                };
                let gap = if ahi == blo {
                    fmt(ahi)
                } else {
                    format!("{}至 {}之间的值", end(ahi, !ahi_incl), end(blo, !blo_incl))
                };
                self.err(CheckError::LevelGap {
                    factor: f.name.name.clone(),
                    gap,
                    span: b.2.span,
                });
            }
        }
        if let Some(last) = iv.last() {
            if let Some((hi, incl)) = last.1 {
                if !has_otherwise {
                    let gap = if incl {
                        format!("大于 {} 的值", fmt(hi))
                    } else {
                        format!("{} 及以上的值", fmt(hi))
                    };
                    self.err(CheckError::LevelGap {
                        factor: f.name.name.clone(),
                        gap,
                        span: last.2.span,
                    });
                }
            }
        }
    }
}
