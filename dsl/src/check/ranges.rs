//! Range pass: statutory shapes (types, min ≤ max), discretion tables (weights that add up,
//! bands that cover 0–100%), and paths on which a table would leave the statutory range.

use super::{CheckError, Checker};
use crate::ast::{self, BinOp, FineShape, Literal};
use crate::ir::*;
use rust_decimal::Decimal;

fn pct(d: Decimal) -> String {
    format!("{}%", d.saturating_mul(Decimal::ONE_HUNDRED).normalize())
}

fn yuan(d: Decimal) -> String {
    if d >= Decimal::from(10_000) && (d % Decimal::from(100)).is_zero() {
        format!("{}万元", (d / Decimal::from(10_000)).normalize())
    } else {
        format!("{}元", d.normalize())
    }
}

fn lit_dec(e: &CExpr) -> Option<Decimal> {
    match e {
        CExpr::Lit(Value::Dec(d)) => Some(*d),
        _ => None,
    }
}

/// The literal statutory bounds of a shape, when both are constants.
pub(crate) fn literal_bounds(s: &ShapeIr) -> Option<(Decimal, Decimal)> {
    match s {
        ShapeIr::Bounds { min, max } => Some((lit_dec(min)?, lit_dec(max)?)),
        ShapeIr::MaxOnly { max } => Some((Decimal::ZERO, lit_dec(max)?)),
        _ => None,
    }
}

impl Checker<'_> {
    pub(crate) fn shape(&mut self, s: &FineShape, span: crate::span::Span) -> Option<ShapeIr> {
        let money = |c: &mut Self, e: &ast::Expr, what: &str| c.expect(e, Ty::Money, what);
        let out = match s {
            FineShape::Bounds { min, max } => {
                let lo = money(self, min, "罚款下限");
                let hi = money(self, max, "罚款上限");
                ShapeIr::Bounds { min: lo?, max: hi? }
            }
            FineShape::MaxOnly { max } => ShapeIr::MaxOnly {
                max: money(self, max, "罚款上限")?,
            },
            FineShape::OfBase {
                base,
                low,
                high,
                floor,
            } => {
                let b = self.expect(
                    &ast::Expr {
                        kind: ast::ExprKind::Name(base.clone()),
                        span: base.span,
                    },
                    Ty::Money,
                    "罚款基数",
                );
                let factor = |e: &ast::Expr| match &e.kind {
                    ast::ExprKind::Lit(Literal::Percent(d)) => Some((*d, false)),
                    ast::ExprKind::Lit(Literal::Multiple(d)) => Some((*d, true)),
                    _ => None,
                };
                let (Some((lo, lm)), Some((hi, hm))) = (factor(low), factor(high)) else {
                    self.err(CheckError::TypeMismatch {
                        what: "基数的比例".into(),
                        expected: "百分比或倍数".into(),
                        found: "其他".into(),
                        span,
                    });
                    return None;
                };
                if lm != hm {
                    self.err(CheckError::TypeMismatch {
                        what: "比例上限".into(),
                        expected: if lm { "倍数" } else { "百分比" }.into(),
                        found: if hm { "倍数" } else { "百分比" }.into(),
                        span: high.span,
                    });
                }
                let floor = match floor {
                    Some((below, as_)) => {
                        let a = money(self, below, "基数下限");
                        let b = money(self, as_, "基数按计金额");
                        Some((a?, b?))
                    }
                    None => None,
                };
                let fmt = |d: Decimal| {
                    if lm {
                        format!("{}倍", d.normalize())
                    } else {
                        pct(d)
                    }
                };
                if lo > hi {
                    self.err(CheckError::MinAboveMax {
                        what: "罚款比例".into(),
                        min: fmt(lo),
                        max: fmt(hi),
                        span,
                    });
                }
                ShapeIr::OfBase {
                    base: b?,
                    base_name: base.name.clone(),
                    low: lo,
                    high: hi,
                    multiple: lm,
                    floor,
                }
            }
            FineShape::PerOccurrence {
                min,
                max,
                count,
                unit,
            } => {
                let lo = money(self, min, "每次罚款下限");
                let hi = money(self, max, "每次罚款上限");
                // Occurrences are counted in whole numbers; areas and lengths need not be.
                let (want, role) = match unit {
                    None => (Ty::Integer, "次数"),
                    Some(_) => (Ty::Number, "数量"),
                };
                let n = self.expect(
                    &ast::Expr {
                        kind: ast::ExprKind::Name(count.clone()),
                        span: count.span,
                    },
                    want,
                    role,
                );
                ShapeIr::PerOccurrence {
                    min: lo?,
                    max: hi?,
                    count: n?,
                    count_name: count.name.clone(),
                    unit: unit.clone(),
                }
            }
        };
        let pair = match &out {
            ShapeIr::Bounds { min, max } | ShapeIr::PerOccurrence { min, max, .. } => {
                lit_dec(min).zip(lit_dec(max))
            }
            _ => None,
        };
        if let Some((a, b)) = pair {
            if a > b {
                self.err(CheckError::MinAboveMax {
                    what: "罚款幅度".into(),
                    min: yuan(a),
                    max: yuan(b),
                    span,
                });
            }
            if a < Decimal::ZERO {
                self.err(CheckError::OutOfBounds {
                    what: "罚款下限".into(),
                    value: yuan(a),
                    allowed: "不小于 0",
                    span,
                });
            }
        }
        Some(out)
    }

    pub(crate) fn discretion(
        &mut self,
        d: &ast::Discretion,
        fines: &[FineIr],
    ) -> Option<DiscretionIr> {
        let base_shape = fines.iter().find(|f| f.when.is_none()).map(|f| &f.shape);
        match d {
            ast::Discretion::Additive(a) => {
                let errors_before = self.errors.len();
                let base = match &a.base {
                    Some(b) => Some(self.expect(b, Ty::Money, "裁量基数")?),
                    None => None,
                };
                let mut factors = Vec::new();
                for f in &a.factors {
                    if let Some(x) = self.factor(f) {
                        factors.push(x);
                    }
                }
                let weighted = a.factors.iter().filter(|f| f.weight.is_some()).count();
                if weighted > 0 {
                    if weighted != a.factors.len() {
                        if let Some(f) = a.factors.iter().find(|f| f.weight.is_none()) {
                            self.err(CheckError::Missing {
                                what: format!("因素“{}”", f.name.name),
                                clause: "权重",
                                span: f.name.span,
                            });
                        }
                    }
                    let sum = a
                        .factors
                        .iter()
                        .filter_map(|f| f.weight.map(|w| w.0))
                        .fold(Decimal::ZERO, Decimal::saturating_add);
                    if sum != Decimal::ONE {
                        self.err(CheckError::WeightSum {
                            sum: pct(sum),
                            span: a.span,
                        });
                    }
                }
                let limit = |l: &ast::Limit, c: &mut Self| -> Option<LimitIr> {
                    if !(Decimal::ZERO..=Decimal::ONE).contains(&l.value) {
                        c.err(CheckError::OutOfBounds {
                            what: "上限/下限".into(),
                            value: pct(l.value),
                            allowed: "0% 至 100%",
                            span: l.span,
                        });
                    }
                    let when = match &l.when {
                        Some(w) => Some(c.condition(w)?),
                        None => None,
                    };
                    Some(LimitIr {
                        value: l.value,
                        when,
                        note: l.note.as_ref().map(|n| n.value.clone()),
                        span: l.span,
                    })
                };
                let caps: Vec<LimitIr> = a.caps.iter().filter_map(|l| limit(l, self)).collect();
                let floors: Vec<LimitIr> = a.floors.iter().filter_map(|l| limit(l, self)).collect();
                let start = a.start.0;
                if !(Decimal::ZERO..=Decimal::ONE).contains(&start) {
                    self.err(CheckError::OutOfBounds {
                        what: "起点".into(),
                        value: pct(start),
                        allowed: "0% 至 100%",
                        span: a.start.1,
                    });
                }
                let max_sum = factors
                    .iter()
                    .map(|f| f.levels.iter().map(|l| l.value).max().unwrap_or_default())
                    .fold(start, Decimal::saturating_add);
                let min_sum = factors
                    .iter()
                    .map(|f| f.levels.iter().map(|l| l.value).min().unwrap_or_default())
                    .fold(start, Decimal::saturating_add);
                // Sums and statutory comparisons only mean something for a table without errors.
                let table_ok = !self
                    .errors
                    .iter()
                    .skip(errors_before)
                    .any(|e| e.severity() == crate::diagnostic::Severity::Error);
                if table_ok && weighted == 0 && max_sum != Decimal::ONE && !factors.is_empty() {
                    self.err(CheckError::MaxSum {
                        sum: pct(max_sum),
                        span: a.span,
                    });
                }
                let cap = caps
                    .iter()
                    .filter(|c| c.when.is_none())
                    .map(|c| c.value)
                    .min()
                    .unwrap_or(Decimal::ONE);
                let floor = floors
                    .iter()
                    .filter(|c| c.when.is_none())
                    .map(|c| c.value)
                    .max()
                    .unwrap_or(Decimal::ZERO);
                let lo_pct = min_sum.max(floor).min(cap);
                let hi_pct = max_sum.min(cap);
                if table_ok {
                    // 按幅度 stays inside the range by construction.
                    if !a.within {
                        self.table_vs_range(base.as_ref(), base_shape, lo_pct, hi_pct, a.span);
                    }
                }
                Some(DiscretionIr::Additive {
                    within: a.within,
                    base,
                    start,
                    factors,
                    caps,
                    floors,
                    span: a.span,
                })
            }
            ast::Discretion::Bands(bands, span) => {
                let mut out = Vec::new();
                for b in bands {
                    let when = match &b.when {
                        Some(w) => Some(self.condition(w)?),
                        None => None,
                    };
                    let end = |e: &ast::Expr, c: &mut Self| -> Option<BandEnd> {
                        let (x, ty) = c.expr(e, None)?;
                        match (ty, x) {
                            (Ty::Percent, CExpr::Lit(Value::Dec(p))) => Some(BandEnd::Percent(p)),
                            (Ty::Money, x) => Some(BandEnd::Amount(x)),
                            (t, _) => {
                                c.err(CheckError::TypeMismatch {
                                    what: "档的上下限".into(),
                                    expected: "百分比常量或金额".into(),
                                    found: t.label(&c.enums),
                                    span: e.span,
                                });
                                None
                            }
                        }
                    };
                    let low = end(&b.low, self);
                    let high = end(&b.high, self);
                    out.push(BandIr {
                        name: b.name.name.clone(),
                        when,
                        low: low?,
                        high: high?,
                        span: b.span,
                    });
                }
                self.bands(&out, fines, *span);
                Some(DiscretionIr::Bands(out, *span))
            }
        }
    }

    fn bands(&mut self, bands: &[BandIr], fines: &[FineIr], span: crate::span::Span) {
        // A band must lie inside one of the violation's statutory ranges (the unconditional one
        // or an escalated `罚款 当 …` one); checked when every range is a constant.
        let ranges: Option<Vec<(Decimal, Decimal)>> =
            fines.iter().map(|f| literal_bounds(&f.shape)).collect();
        let ranges = ranges.unwrap_or_default();
        let mut pcts: Vec<(Decimal, Decimal, &BandIr)> = Vec::new();
        for b in bands {
            match (&b.low, &b.high) {
                (BandEnd::Percent(l), BandEnd::Percent(h)) => {
                    if l > h {
                        self.err(CheckError::MinAboveMax {
                            what: format!("档“{}”", b.name),
                            min: pct(*l),
                            max: pct(*h),
                            span: b.span,
                        });
                    }
                    // Band ends are positions within the statutory range.
                    for v in [*l, *h] {
                        if !(Decimal::ZERO..=Decimal::ONE).contains(&v) {
                            self.err(CheckError::OutOfBounds {
                                what: format!("档“{}”的上下限", b.name),
                                value: pct(v),
                                allowed: "0% 至 100%",
                                span: b.span,
                            });
                        }
                    }
                    pcts.push((*l, *h, b));
                }
                (BandEnd::Amount(l), BandEnd::Amount(h)) => {
                    if let (Some(l), Some(h)) = (lit_dec(l), lit_dec(h)) {
                        if l > h {
                            self.err(CheckError::MinAboveMax {
                                what: format!("档“{}”", b.name),
                                min: yuan(l),
                                max: yuan(h),
                                span: b.span,
                            });
                        }
                        let inside = ranges.iter().any(|(a, b)| *a <= l && h <= *b);
                        if let (false, Some((smin, smax))) = (inside, ranges.first().copied()) {
                            if l < smin {
                                self.err(CheckError::LeavesRange {
                                    what: format!("档“{}”", b.name),
                                    direction: "低于",
                                    span: b.span,
                                });
                            } else if h > smax {
                                self.err(CheckError::LeavesRange {
                                    what: format!("档“{}”", b.name),
                                    direction: "高于",
                                    span: b.span,
                                });
                            }
                        }
                    }
                }
                _ => self.err(CheckError::TypeMismatch {
                    what: format!("档“{}”的上下限", b.name),
                    expected: "同为百分比或同为金额".into(),
                    found: "混用".into(),
                    span: b.span,
                }),
            }
        }
        if pcts.is_empty() {
            return;
        }
        pcts.sort_by_key(|a| a.0);
        let mut at = Decimal::ZERO;
        for (l, h, b) in &pcts {
            if *l > at {
                self.err(CheckError::BandCoverage {
                    detail: format!("{} 至 {} 没有档", pct(at), pct(*l)),
                    span: b.span,
                });
            } else if *l < at {
                self.err(CheckError::BandCoverage {
                    detail: format!("档“{}”与前一档重叠", b.name),
                    span: b.span,
                });
            }
            at = at.max(*h);
        }
        if at < Decimal::ONE {
            self.err(CheckError::BandCoverage {
                detail: format!("{} 至 100% 没有档", pct(at)),
                span,
            });
        }
    }

    /// Warn where a table's lowest or highest result falls outside the statutory range (the
    /// engine clamps, Guangdong art. 3; the 水83 超标 table's 7% start is the known case).
    fn table_vs_range(
        &mut self,
        base: Option<&CExpr>,
        shape: Option<&ShapeIr>,
        lo: Decimal,
        hi: Decimal,
        span: crate::span::Span,
    ) {
        let Some(shape) = shape else { return };
        // Base = statutory maximum (the default) against literal bounds.
        if let Some((smin, smax)) = literal_bounds(shape) {
            let b = match base {
                None => Some(smax),
                Some(e) => lit_dec(e),
            };
            if let Some(b) = b {
                if lo.saturating_mul(b) < smin {
                    self.err(CheckError::TableOutsideRange {
                        what: "裁量表".into(),
                        direction: "低于",
                        detail: format!(
                            "最低 {} × {} = {}，法定最低 {}",
                            pct(lo),
                            yuan(b),
                            yuan(lo.saturating_mul(b)),
                            yuan(smin)
                        ),
                        span,
                    });
                }
                if hi.saturating_mul(b) > smax {
                    self.err(CheckError::TableOutsideRange {
                        what: "裁量表".into(),
                        direction: "高于",
                        detail: format!(
                            "最高 {} × {} = {}，法定最高 {}",
                            pct(hi),
                            yuan(b),
                            yuan(hi.saturating_mul(b)),
                            yuan(smax)
                        ),
                        span,
                    });
                }
            }
            return;
        }
        // Base = fact × k against a share of the same fact.
        if let (
            ShapeIr::OfBase {
                base: CExpr::Fact(f),
                low,
                high,
                floor: None,
                ..
            },
            Some(b),
        ) = (shape, base)
        {
            let k = match b {
                CExpr::Fact(g) if g == f => Some(Decimal::ONE),
                CExpr::Bin(BinOp::Mul, x, y) => match (x.as_ref(), y.as_ref()) {
                    (CExpr::Fact(g), CExpr::Lit(Value::Dec(k)))
                    | (CExpr::Lit(Value::Dec(k)), CExpr::Fact(g))
                        if g == f =>
                    {
                        Some(*k)
                    }
                    _ => None,
                },
                _ => None,
            };
            if let Some(k) = k {
                if lo.saturating_mul(k) < *low {
                    self.err(CheckError::TableOutsideRange {
                        what: "裁量表".into(),
                        direction: "低于",
                        detail: format!("最低 {} × {}，法定最低 {}", pct(lo), pct(k), pct(*low)),
                        span,
                    });
                }
                if hi.saturating_mul(k) > *high {
                    self.err(CheckError::TableOutsideRange {
                        what: "裁量表".into(),
                        direction: "高于",
                        detail: format!("最高 {} × {}，法定最高 {}", pct(hi), pct(k), pct(*high)),
                        span,
                    });
                }
            }
        }
    }
}
