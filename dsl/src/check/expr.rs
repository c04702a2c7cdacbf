//! Expression pass: resolve names, infer and check types, lower to [`CExpr`].

use super::{CheckError, Checker};
use crate::ast::{BinOp, Expr, ExprKind, Literal};
use crate::ir::{
    is_comparison, BuiltinConst, BuiltinFn, CExpr, Ty, Value, EVENT_KIND_FACT, EVENT_KIND_FACT_EN,
};

/// Nesting depth at which the checker stops descending (the parser already limits it; this
/// guards trees built by other means).
const MAX_DEPTH: usize = 256;

fn op_text(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "×",
        BinOp::Div => "÷",
        BinOp::Eq => "=",
        BinOp::Ne => "≠",
        BinOp::Lt => "<",
        BinOp::Le => "≤",
        BinOp::Gt => ">",
        BinOp::Ge => "≥",
        BinOp::And => "且",
        BinOp::Or => "或",
    }
}

/// Literal → (value, type).
pub(crate) fn literal(l: &Literal) -> (Value, Ty) {
    match l {
        Literal::Bool(b) => (Value::Bool(*b), Ty::Bool),
        Literal::Number(d) => {
            let ty = if d.fract().is_zero() {
                Ty::Integer
            } else {
                Ty::Number
            };
            (Value::Dec(*d), ty)
        }
        Literal::Money(d) => (Value::Dec(*d), Ty::Money),
        Literal::Percent(d) => (Value::Dec(*d), Ty::Percent),
        Literal::Multiple(d) => (Value::Dec(*d), Ty::Multiple),
        Literal::Date(d) => (Value::Date(*d), Ty::Date),
        Literal::Duration(n, u) => (Value::Duration(*n, *u), Ty::Duration),
        Literal::Text(s) => (Value::Text(s.clone()), Ty::Text),
    }
}

/// Can a value of `found` be used where `expected` is wanted?
pub(crate) fn assignable(found: Ty, expected: Ty) -> bool {
    found == expected
        || (found == Ty::Integer && expected == Ty::Number)
        || (found == Ty::Integer && expected == Ty::Multiple)
        || (found == Ty::Number && expected == Ty::Multiple)
}

fn comparable(a: Ty, b: Ty) -> bool {
    a == b || (assignable(a, b) || assignable(b, a))
}

impl Checker<'_> {
    /// Check an expression that must have type `want` (`what` names its role in messages).
    pub(crate) fn expect(&mut self, e: &Expr, want: Ty, what: &str) -> Option<CExpr> {
        let (c, ty) = self.expr(e, Some(want))?;
        if !assignable(ty, want) {
            self.err(CheckError::TypeMismatch {
                what: what.to_string(),
                expected: want.label(&self.enums),
                found: ty.label(&self.enums),
                span: e.span,
            });
            return None;
        }
        Some(c)
    }

    /// Check a condition (`当 …`).
    pub(crate) fn condition(&mut self, e: &Expr) -> Option<CExpr> {
        self.expect(e, Ty::Bool, "条件")
    }

    /// Type and lower an expression. `hint` lets a bare enum variant resolve against the type
    /// expected at that place.
    pub(crate) fn expr(&mut self, e: &Expr, hint: Option<Ty>) -> Option<(CExpr, Ty)> {
        self.depth += 1;
        let r = if self.depth > MAX_DEPTH {
            // Both sides of a link at the limit pass it: one report per expression.
            if !self.too_deep {
                self.too_deep = true;
                self.err(CheckError::ExprTooDeep {
                    limit: MAX_DEPTH,
                    span: e.span,
                });
            }
            None
        } else {
            self.expr_inner(e, hint)
        };
        self.depth -= 1;
        if self.depth == 0 {
            self.too_deep = false;
        }
        r
    }

    fn expr_inner(&mut self, e: &Expr, hint: Option<Ty>) -> Option<(CExpr, Ty)> {
        match &e.kind {
            ExprKind::Lit(l) => {
                let (v, ty) = literal(l);
                Some((CExpr::Lit(v), ty))
            }
            ExprKind::Name(id) => self.name(&id.name, id.span, hint),
            ExprKind::Neg(inner) => {
                let (c, ty) = self.expr(inner, hint)?;
                if !ty.is_numeric() {
                    self.err(CheckError::TypeMismatch {
                        what: "负号的操作数".into(),
                        expected: "数值".into(),
                        found: ty.label(&self.enums),
                        span: inner.span,
                    });
                    return None;
                }
                Some((CExpr::Neg(Box::new(c)), ty))
            }
            ExprKind::Not(inner) => {
                let c = self.condition(inner)?;
                Some((CExpr::Not(Box::new(c)), Ty::Bool))
            }
            ExprKind::In(inner, set) => {
                let (c, ty) = self.expr(inner, None)?;
                let Ty::Enum(id) = ty else {
                    self.err(CheckError::TypeMismatch {
                        what: "“属于”的左边".into(),
                        expected: "枚举".into(),
                        found: ty.label(&self.enums),
                        span: inner.span,
                    });
                    return None;
                };
                let mut idx = Vec::new();
                for v in set {
                    if let Some(i) = self.variant(id, &v.name, v.span) {
                        idx.push(i);
                    }
                }
                Some((CExpr::In(Box::new(c), idx), Ty::Bool))
            }
            ExprKind::If(c, a, b) => {
                let c = self.condition(c);
                let ra = self.expr(a, hint);
                let rb = self.expr(b, ra.as_ref().map(|x| x.1).or(hint));
                let ((ca, ta), (cb, tb)) = (ra?, rb?);
                let ty = if assignable(ta, tb) {
                    tb
                } else if assignable(tb, ta) {
                    ta
                } else {
                    self.err(CheckError::BadOperands {
                        op: "若…则…否则",
                        left: ta.label(&self.enums),
                        right: tb.label(&self.enums),
                        span: e.span,
                    });
                    return None;
                };
                Some((CExpr::If(Box::new(c?), Box::new(ca), Box::new(cb)), ty))
            }
            ExprKind::Call(name, args) => {
                let Some(f) = BuiltinFn::lookup(&name.name) else {
                    self.err(CheckError::UnknownFunction {
                        name: name.name.clone(),
                        span: name.span,
                    });
                    return None;
                };
                if args.len() != f.arity() {
                    self.err(CheckError::WrongArity {
                        name: name.name.clone(),
                        expected: f.arity(),
                        found: args.len(),
                        span: e.span,
                    });
                    return None;
                }
                let mut lowered = Vec::new();
                let mut tys = Vec::new();
                let mut rest = args.iter();
                if f.reads_history() {
                    let kind = rest.next().and_then(|a| self.event_kind(f, a, e));
                    // Check the other arguments too, so every error is reported at once.
                    let others: Vec<_> = rest.map(|a| self.expr(a, None)).collect();
                    lowered.push(kind?);
                    for o in others {
                        let (c, t) = o?;
                        lowered.push(c);
                        tys.push(t);
                    }
                } else {
                    for a in rest {
                        let (c, t) = self.expr(a, hint)?;
                        lowered.push(c);
                        tys.push(t);
                    }
                }
                let ty = match f {
                    BuiltinFn::Max | BuiltinFn::Min | BuiltinFn::Days | BuiltinFn::Months => {
                        let (t0, t1) = match (tys.first(), tys.get(1)) {
                            (Some(a), Some(b)) => (*a, *b),
                            _ => return None,
                        };
                        if matches!(f, BuiltinFn::Max | BuiltinFn::Min) {
                            if !(t0.is_numeric() && comparable(t0, t1)) {
                                self.err(CheckError::BadOperands {
                                    op: "较大/较小",
                                    left: t0.label(&self.enums),
                                    right: t1.label(&self.enums),
                                    span: e.span,
                                });
                                return None;
                            }
                            if assignable(t0, t1) {
                                t1
                            } else {
                                t0
                            }
                        } else {
                            if t0 != Ty::Date || t1 != Ty::Date {
                                self.err(CheckError::BadOperands {
                                    op: "天数/月数",
                                    left: t0.label(&self.enums),
                                    right: t1.label(&self.enums),
                                    span: e.span,
                                });
                                return None;
                            }
                            Ty::Integer
                        }
                    }
                    BuiltinFn::RecentCount => {
                        let t = tys.first().copied()?;
                        if t != Ty::Duration {
                            self.err(CheckError::TypeMismatch {
                                what: "函数“近期次数”的第二个参数（期间）".into(),
                                expected: Ty::Duration.label(&self.enums),
                                found: t.label(&self.enums),
                                span: args.get(1).map(|a| a.span).unwrap_or(e.span),
                            });
                            return None;
                        }
                        Ty::Integer
                    }
                    BuiltinFn::CountSinceListed | BuiltinFn::DaysSince => Ty::Integer,
                };
                Some((CExpr::Call(f, lowered), ty))
            }
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, e, hint),
        }
    }

    /// The first argument of a history builtin: a variant of the `事件种类` enum fact.
    fn event_kind(&mut self, f: BuiltinFn, arg: &Expr, call: &Expr) -> Option<CExpr> {
        let declared = [EVENT_KIND_FACT, EVENT_KIND_FACT_EN]
            .into_iter()
            .find(|n| self.scope_has(n) && self.fact_index.contains_key(*n));
        let Some(fact) = declared else {
            self.err(CheckError::Missing {
                what: format!("函数“{}”所在的规则集", f.name()),
                clause: "事件种类的声明（事实 事件种类：｛环境违法，行政处罚，…｝）",
                span: call.span,
            });
            return None;
        };
        let ty = self
            .fact_index
            .get(fact)
            .and_then(|&i| self.facts.get(i as usize))
            .map(|d| d.ty)?;
        let Ty::Enum(id) = ty else {
            self.err(CheckError::TypeMismatch {
                what: "事实“事件种类”".into(),
                expected: "枚举（｛环境违法，行政处罚，…｝）".into(),
                found: ty.label(&self.enums),
                span: arg.span,
            });
            return None;
        };
        match &arg.kind {
            ExprKind::Name(n) => self
                .variant(id, &n.name, n.span)
                .map(|v| CExpr::Lit(Value::Enum(v))),
            _ => {
                self.err(CheckError::TypeMismatch {
                    what: format!("函数“{}”的第一个参数", f.name()),
                    expected: "事件种类的取值".into(),
                    found: "表达式".into(),
                    span: arg.span,
                });
                None
            }
        }
    }

    fn binary(
        &mut self,
        op: BinOp,
        l: &Expr,
        r: &Expr,
        e: &Expr,
        hint: Option<Ty>,
    ) -> Option<(CExpr, Ty)> {
        if matches!(op, BinOp::And | BinOp::Or) {
            let a = self.condition(l);
            let b = self.condition(r);
            return Some((CExpr::Bin(op, Box::new(a?), Box::new(b?)), Ty::Bool));
        }
        let arith_hint = if is_comparison(op) { None } else { hint };
        let left = self.expr(l, arith_hint);
        // The right side of a comparison with an enum resolves variants against the left.
        let rhint = left.as_ref().map(|x| x.1).or(arith_hint);
        let right = self.expr(r, rhint);
        let ((cl, tl), (cr, tr)) = (left?, right?);
        let bad = |s: &mut Self| {
            s.err(CheckError::BadOperands {
                op: op_text(op),
                left: tl.label(&s.enums),
                right: tr.label(&s.enums),
                span: e.span,
            });
            None
        };
        let ty = if is_comparison(op) {
            let ordered = matches!(op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge);
            let ok = if tl.is_numeric() && tr.is_numeric() {
                comparable(tl, tr)
            } else if ordered {
                tl == Ty::Date && tr == Ty::Date
            } else {
                tl == tr
            };
            if !ok {
                return bad(self);
            }
            Ty::Bool
        } else {
            match arith(op, tl, tr) {
                Some(t) => t,
                None => return bad(self),
            }
        };
        Some((CExpr::Bin(op, Box::new(cl), Box::new(cr)), ty))
    }

    fn name(
        &mut self,
        name: &str,
        span: crate::span::Span,
        hint: Option<Ty>,
    ) -> Option<(CExpr, Ty)> {
        // Where an enum value is expected, one of its variants wins over a fact of the same
        // name (facts are shared by every ruleset of a chain; a parent may declare 造成严重后果
        // as a yes/no fact while a child's enum has the value 造成严重后果).
        if let Some(Ty::Enum(id)) = hint {
            if let Some(i) = self
                .enums
                .get(id as usize)
                .and_then(|e| e.variants.iter().position(|v| v == name))
            {
                return Some((CExpr::Lit(Value::Enum(i as u32)), Ty::Enum(id)));
            }
        }
        if self.scope_has(name) {
            if let Some(&i) = self.derived_index.get(name) {
                let ty = self.derived_types.get(i as usize).copied().flatten();
                self.note_use(name);
                return ty.map(|t| (CExpr::Derived(i), t));
            }
            if let Some(&i) = self.fact_index.get(name) {
                let ty = self.facts.get(i as usize).map(|f| f.ty)?;
                self.used_facts.push(i);
                return Some((CExpr::Fact(i), ty));
            }
        }
        if let Some((c, ty)) = BuiltinConst::lookup(name) {
            return Some((CExpr::Const(c), ty));
        }
        if let Some(Ty::Enum(id)) = hint {
            let fact = self
                .enums
                .get(id as usize)
                .map(|e| e.fact.clone())
                .unwrap_or_default();
            let variants = self
                .enums
                .get(id as usize)
                .map(|e| e.variants.clone())
                .unwrap_or_default();
            if let Some(i) = variants.iter().position(|v| v == name) {
                return Some((CExpr::Lit(Value::Enum(i as u32)), Ty::Enum(id)));
            }
            let suggestion = super::suggest(name, variants.iter().map(|s| s.as_str()));
            self.err(CheckError::UnknownVariant {
                variant: name.to_string(),
                fact,
                allowed: variants.join("、"),
                suggestion,
                span,
            });
            return None;
        }
        self.unknown_name(name, span);
        None
    }

    /// Report a name not visible here: suggest a close visible name, or say which ruleset
    /// declares it when it exists but is not inherited.
    pub(crate) fn unknown_name(&mut self, name: &str, span: crate::span::Span) {
        let elsewhere = self
            .fact_index
            .get(name)
            .and_then(|&i| self.facts.get(i as usize))
            .map(|f| f.ruleset.clone());
        let candidates: Vec<String> = self.scope_names();
        let suggestion = super::suggest(
            name,
            candidates
                .iter()
                .map(|s| s.as_str())
                .chain(BuiltinConst::NAMES),
        );
        self.err(CheckError::UnknownName {
            name: name.to_string(),
            suggestion,
            elsewhere,
            span,
        });
    }

    /// Resolve a variant of an enum, reporting an unknown one.
    pub(crate) fn variant(&mut self, id: u32, name: &str, span: crate::span::Span) -> Option<u32> {
        let (fact, variants) = match self.enums.get(id as usize) {
            Some(e) => (e.fact.clone(), e.variants.clone()),
            None => return None,
        };
        if let Some(i) = variants.iter().position(|v| v == name) {
            return Some(i as u32);
        }
        let suggestion = super::suggest(name, variants.iter().map(|s| s.as_str()));
        self.err(CheckError::UnknownVariant {
            variant: name.to_string(),
            fact,
            allowed: variants.join("、"),
            suggestion,
            span,
        });
        None
    }
}

/// Result type of arithmetic, or None when the operands do not mix.
fn arith(op: BinOp, l: Ty, r: Ty) -> Option<Ty> {
    use Ty::*;
    if !l.is_numeric() || !r.is_numeric() {
        return None;
    }
    let plain = |t: Ty| matches!(t, Number | Integer);
    match op {
        BinOp::Add | BinOp::Sub => {
            if l == r {
                Some(l)
            } else if plain(l) && plain(r) {
                Some(Number)
            } else if (l == Multiple && plain(r)) || (r == Multiple && plain(l)) {
                Some(Multiple)
            } else {
                None
            }
        }
        BinOp::Mul => match (l, r) {
            (Money, Money) => None,
            (Money, _) | (_, Money) => Some(Money),
            (Integer, Integer) => Some(Integer),
            (Percent, Percent) => Some(Percent),
            (Percent, x) | (x, Percent) if plain(x) || x == Multiple => Some(Percent),
            (Multiple, _) | (_, Multiple) => Some(Multiple),
            _ => Some(Number),
        },
        BinOp::Div => match (l, r) {
            (Money, Money) => Some(Number),
            (Money, _) => Some(Money),
            (_, Money) => None,
            (Percent, Percent) => Some(Number),
            (Percent, _) => Some(Percent),
            (Multiple, Multiple) => Some(Number),
            (Multiple, _) => Some(Multiple),
            _ => Some(Number),
        },
        _ => None,
    }
}
