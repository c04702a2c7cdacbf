//! Expression evaluation with three-valued logic: a fact the case does not give is
//! *unknown*, and a condition that depends on it neither holds nor fails. A checked program
//! cannot raise a type error here; arithmetic overflow is the only failure.

use crate::case::Case;
use crate::money::dec;
use cailiang_dsl::ast::BinOp;
use cailiang_dsl::ast::DurationUnit;
use cailiang_dsl::ir::{BuiltinConst, BuiltinFn, CExpr, Program, Value};
use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// Evaluation failure (never a type error: the checker rules those out).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// A computation overflowed the decimal range or divided by zero.
    #[error("计算溢出或除以零：{what}")]
    Arithmetic {
        /// What was being computed.
        what: String,
    },
    /// Nesting deeper than the evaluator allows.
    #[error("表达式嵌套过深")]
    TooDeep,
    /// A checked program produced a value of the wrong kind (an engine bug, reported, not panicked).
    #[error("内部错误：{0}")]
    Internal(String),
    /// The range or amount that applies to this case needs facts the case did not give (an
    /// escalated range's base, say, which validation cannot know is needed). Reported to the
    /// caller as C0107 for each fact.
    #[error("违法行为 {violation} 缺少计算所需的事实")]
    MissingFacts {
        /// The violation code.
        violation: String,
        /// Fact ids, in order of first need.
        facts: Vec<u32>,
    },
}

const MAX_DEPTH: usize = 256;

/// Move a date by a duration, forward or back; `None` outside the calendar. Months and years
/// end on the same day of the month, or the month's last day when it has no such day.
pub(crate) fn shift(d: NaiveDate, n: u32, unit: DurationUnit, forward: bool) -> Option<NaiveDate> {
    match unit {
        DurationUnit::Days => {
            let k = Days::new(u64::from(n));
            if forward {
                d.checked_add_days(k)
            } else {
                d.checked_sub_days(k)
            }
        }
        DurationUnit::Months | DurationUnit::Years => {
            let m = if unit == DurationUnit::Years {
                n.checked_mul(12)?
            } else {
                n
            };
            if forward {
                d.checked_add_months(Months::new(m))
            } else {
                d.checked_sub_months(Months::new(m))
            }
        }
    }
}

/// A dated event history seen from an evaluation date (`as_of`), for the history builtins.
#[derive(Debug, Clone, Default)]
pub(crate) struct Timeline {
    /// The evaluation date (评估日).
    pub(crate) as_of: Option<NaiveDate>,
    /// The current listing's first day, when the enterprise is listed.
    pub(crate) listed_on: Option<NaiveDate>,
    /// (event kind variant, date), in input order.
    pub(crate) events: Vec<(u32, NaiveDate)>,
}

impl Timeline {
    /// Dates of events of `kind` on or after `from` and on or before `as_of`, oldest first.
    pub(crate) fn dates_from(&self, kind: u32, from: NaiveDate) -> Vec<NaiveDate> {
        let Some(as_of) = self.as_of else {
            return Vec::new();
        };
        let mut v: Vec<NaiveDate> = self
            .events
            .iter()
            .filter(|(k, d)| *k == kind && from <= *d && *d <= as_of)
            .map(|(_, d)| *d)
            .collect();
        v.sort();
        v
    }

    /// The events a history builtin looks at, with its arguments evaluated: `None` when the
    /// answer is unknown (no as_of, no listing for 纳入以来次数, a window off the calendar).
    pub(crate) fn matching(
        &self,
        f: BuiltinFn,
        kind: u32,
        period: Option<(u32, DurationUnit)>,
    ) -> Option<Vec<NaiveDate>> {
        let as_of = self.as_of?;
        match f {
            BuiltinFn::RecentCount => {
                let (n, u) = period?;
                Some(self.dates_from(kind, shift(as_of, n, u, false)?))
            }
            BuiltinFn::CountSinceListed => Some(self.dates_from(kind, self.listed_on?)),
            BuiltinFn::DaysSince => Some(self.dates_from(kind, NaiveDate::MIN)),
            BuiltinFn::Max | BuiltinFn::Min | BuiltinFn::Days | BuiltinFn::Months => None,
        }
    }
}

/// Evaluation context for one violation of one case.
pub(crate) struct Ctx<'a> {
    pub(crate) program: &'a Program,
    pub(crate) case: &'a Case,
    pub(crate) statutory: Option<(Decimal, Decimal)>,
    /// Derived values computed so far (id, value; None = unknown). A short list searched
    /// linearly: a decision reads a handful of the program's hundreds of derived values, and
    /// a table indexed by id cost more to allocate and clear than the whole evaluation. Most
    /// decisions read none, so it is allocated on the first.
    derived: Vec<(u32, Option<Value>)>,
    /// Facts that were needed but not given (ids), in order of first need.
    pub(crate) missing: Ids,
    /// Facts whose declared default was used, in order of first use.
    pub(crate) defaults_used: Ids,
    /// Bit `id % 256` is set once fact `id` is in `missing` or `defaults_used` (a fact has a
    /// default or has none, so it can be in only one): a clear bit spares the scan of the list
    /// on first need, which is most needs (Guangdong uses a dozen defaults per case). Not a
    /// bitset of every fact: that would be one more allocation per decision.
    noted: [u64; 4],
    /// Bit `id % 256` is set for each fact the case gives: a clear bit answers "not given"
    /// without searching the case's facts (most facts a decision reads are not given:
    /// Guangdong's dozen defaults), which saved ~35 instructions a read.
    given: [u64; 4],
    /// The event history the history builtins read (positive lists); `None` in penalty cases.
    pub(crate) timeline: Option<Timeline>,
    depth: usize,
}

/// Fact ids in order of first need, the first 16 kept inline (Guangdong reads a dozen
/// defaults per decision): two heap lists per decision, allocated and freed, cost more than
/// noting the facts.
#[derive(Debug, Clone)]
pub(crate) struct Ids {
    head: [u32; 16],
    /// How many of `head` are used; `rest` is empty until `head` is full.
    len: usize,
    rest: Vec<u32>,
}

impl Ids {
    fn new() -> Self {
        Ids {
            head: [0; 16],
            len: 0,
            rest: Vec::new(),
        }
    }

    fn push(&mut self, i: u32) {
        match self.head.get_mut(self.len) {
            Some(slot) => {
                *slot = i;
                self.len += 1;
            }
            None => self.rest.push(i),
        }
    }

    fn contains(&self, i: u32) -> bool {
        let (head, rest) = self.parts();
        head.contains(&i) || rest.contains(&i)
    }

    /// The ids, in order: the inline ones, then the rest (plain slices, which loops walk
    /// faster than a chained iterator).
    pub(crate) fn parts(&self) -> (&[u32], &[u32]) {
        (self.head.get(..self.len).unwrap_or_default(), &self.rest)
    }

    /// The ids, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let (head, rest) = self.parts();
        head.iter().chain(rest).copied()
    }

    /// How many ids.
    pub(crate) fn len(&self) -> usize {
        self.len + self.rest.len()
    }
}

/// Where fact `id` falls in a 256-bit filter (`[u64; 4]`): word and bit of `id % 256`.
fn bit_of(id: u32) -> (usize, u64) {
    ((id / 64 % 4) as usize, 1u64 << (id % 64))
}

/// The 256-bit filter of some fact ids.
fn bits(ids: impl Iterator<Item = u32>) -> [u64; 4] {
    let mut out = [0; 4];
    for id in ids {
        let (word, bit) = bit_of(id);
        if let Some(w) = out.get_mut(word) {
            *w |= bit;
        }
    }
    out
}

type R = Result<Option<Value>, EvalError>;

fn arith(what: &str) -> EvalError {
    EvalError::Arithmetic { what: what.into() }
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(program: &'a Program, case: &'a Case) -> Self {
        Ctx {
            program,
            case,
            statutory: None,
            derived: Vec::new(),
            missing: Ids::new(),
            defaults_used: Ids::new(),
            noted: [0; 4],
            given: bits(case.facts.iter().map(|(i, _)| i)),
            timeline: None,
            depth: 0,
        }
    }

    /// The same context reading an event history.
    pub(crate) fn with_timeline(mut self, t: Timeline) -> Self {
        self.timeline = Some(t);
        self
    }

    /// A fact's value: given, else its default, else unknown. Borrowed from the case or the
    /// program, so a condition reads it without copying it.
    #[inline(always)]
    pub(crate) fn fact(&mut self, i: u32) -> Option<&'a Value> {
        let case: &'a Case = self.case;
        let (word, bit) = bit_of(i);
        if self.given.get(word).is_some_and(|w| w & bit != 0) {
            if let Some(v) = case.facts.get(i) {
                return Some(v);
            }
        }
        self.fact_not_given(i)
    }

    /// The default of a fact the case does not give (noting its use), else unknown (noting
    /// it missing). Inlined in [`Ctx::fact`]: as a call, its frame was a third of the cost
    /// of reading a default.
    #[inline(always)]
    fn fact_not_given(&mut self, i: u32) -> Option<&'a Value> {
        let program: &'a Program = self.program;
        let default = program
            .facts
            .get(i as usize)
            .and_then(|f| f.default.as_ref());
        let list = if default.is_some() {
            &mut self.defaults_used
        } else {
            &mut self.missing
        };
        let (word, bit) = bit_of(i);
        if let Some(w) = self.noted.get_mut(word) {
            if *w & bit == 0 {
                *w |= bit;
                list.push(i);
            } else if !list.contains(i) {
                list.push(i);
            }
        }
        default
    }

    pub(crate) fn eval(&mut self, e: &CExpr) -> R {
        self.depth += 1;
        let r = if self.depth > MAX_DEPTH {
            Err(EvalError::TooDeep)
        } else {
            self.eval_inner(e)
        };
        self.depth -= 1;
        r
    }

    /// Evaluate a condition: Some(true/false), or None when unknown.
    #[inline(always)]
    pub(crate) fn truth(&mut self, e: &CExpr) -> Result<Option<bool>, EvalError> {
        // A yes/no fact (most conditions, and most sides of 且/或) is read here, inlined in
        // the caller: a call, and the frame a general condition needs, cost as much as the
        // read.
        let CExpr::Fact(i) = e else {
            return self.truth_of(e);
        };
        // The depth limit `nested` checks, with no deeper level to count.
        if self.depth >= MAX_DEPTH {
            return Err(EvalError::TooDeep);
        }
        match self.fact(*i) {
            Some(Value::Bool(b)) => Ok(Some(*b)),
            None => Ok(None),
            Some(_) => Err(EvalError::Internal("条件不是是否值".into())),
        }
    }

    /// [`Ctx::truth`] of anything but a fact.
    fn truth_of(&mut self, e: &CExpr) -> Result<Option<bool>, EvalError> {
        // Negations, comparisons of a fact with a literal and 且/或 chains are answered
        // here without building a `Value` at every level (the same functions `eval_inner`
        // calls, same depth limit).
        match e {
            CExpr::Not(x) => self.nested(|c| Ok(c.truth(x)?.map(|b| !b))),
            CExpr::Bin(BinOp::And, a, b) => self.nested(|c| c.and(a, b)),
            CExpr::Bin(BinOp::Or, a, b) => self.nested(|c| c.or(a, b)),
            CExpr::Bin(op, a, b) if is_comparison(*op) => self.nested(|c| c.compare(*op, a, b)),
            CExpr::In(x, set) => self.nested(|c| c.member(x, set)),
            _ => match self.eval(e)? {
                Some(Value::Bool(b)) => Ok(Some(b)),
                None => Ok(None),
                Some(_) => Err(EvalError::Internal("条件不是是否值".into())),
            },
        }
    }

    /// A leaf (a fact, a literal) one level deeper: the limit [`Ctx::nested`] checks, with
    /// no deeper level to count.
    #[inline(always)]
    fn leaf<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, EvalError>,
    ) -> Result<T, EvalError> {
        if self.depth >= MAX_DEPTH {
            Err(EvalError::TooDeep)
        } else {
            f(self)
        }
    }

    /// Run `f` one level deeper, under the same nesting limit as [`Ctx::eval`].
    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, EvalError>,
    ) -> Result<T, EvalError> {
        self.depth += 1;
        let r = if self.depth > MAX_DEPTH {
            Err(EvalError::TooDeep)
        } else {
            f(self)
        };
        self.depth -= 1;
        r
    }

    /// Evaluate a decimal-valued expression.
    pub(crate) fn dec(&mut self, e: &CExpr) -> Result<Option<Decimal>, EvalError> {
        // Sums and products are computed here without wrapping them in a `Value` (the same
        // function `eval_inner` calls, same depth limit).
        if let CExpr::Bin(op, a, b) = e {
            if is_arithmetic(*op) {
                return self.nested(|c| c.arith(*op, a, b));
            }
        }
        match self.operand(e)?.as_deref() {
            Some(Value::Dec(d)) => Ok(Some(*d)),
            None => Ok(None),
            Some(_) => Err(EvalError::Internal("数值表达式的值不是数".into())),
        }
    }

    /// The value of `e`, borrowed when it is a literal or a fact (most operands of a
    /// comparison or a sum, and most factors' subjects), so reading it copies nothing;
    /// computed values are owned. Same result and depth limit as [`Ctx::eval`]. Inlined in
    /// its callers, like [`Ctx::truth`], for the leaves.
    #[inline(always)]
    pub(crate) fn operand<'e>(&mut self, e: &'e CExpr) -> Result<Option<Cow<'e, Value>>, EvalError>
    where
        'a: 'e,
    {
        match e {
            CExpr::Lit(v) => self.leaf(|_| Ok(Some(Cow::Borrowed(v)))),
            CExpr::Fact(i) => self.leaf(|c| Ok(c.fact(*i).map(Cow::Borrowed))),
            _ => self.owned(e),
        }
    }

    /// [`Ctx::operand`] of anything but a leaf.
    fn owned<'e>(&mut self, e: &CExpr) -> Result<Option<Cow<'e, Value>>, EvalError> {
        Ok(self.eval(e)?.map(Cow::Owned))
    }

    fn eval_inner(&mut self, e: &CExpr) -> R {
        Ok(match e {
            CExpr::Lit(v) => Some(v.clone()),
            CExpr::Fact(i) => self.fact(*i).cloned(),
            CExpr::Derived(i) => {
                if let Some((_, v)) = self.derived.iter().find(|(id, _)| id == i) {
                    return Ok(v.clone());
                }
                let Some(d) = self.program.derived.get(*i as usize) else {
                    return Ok(None);
                };
                let v = self.eval(&d.expr)?;
                self.derived.push((*i, v.clone()));
                v
            }
            CExpr::Const(c) => match c {
                BuiltinConst::StatutoryMin => self.statutory.map(|s| Value::Dec(s.0)),
                BuiltinConst::StatutoryMax => self.statutory.map(|s| Value::Dec(s.1)),
                BuiltinConst::OccurredOn => Some(Value::Date(self.case.occurred_on)),
                BuiltinConst::EndedOn => Some(Value::Date(
                    self.case.ended_on.unwrap_or(self.case.occurred_on),
                )),
                BuiltinConst::DiscoveredOn => self.case.discovered_on.map(Value::Date),
                BuiltinConst::DecidedOn => self.case.decided_on.map(Value::Date),
            },
            CExpr::Neg(x) => self.dec(x)?.map(|d| Value::Dec(-d)),
            CExpr::Not(x) => self.truth(x)?.map(|b| Value::Bool(!b)),
            CExpr::In(x, set) => self.member(x, set)?.map(Value::Bool),
            CExpr::If(c, a, b) => match self.truth(c)? {
                Some(true) => self.eval(a)?,
                Some(false) => self.eval(b)?,
                None => None,
            },
            CExpr::Call(f, args) => self.call(*f, args)?,
            CExpr::Bin(op, a, b) => self.binary(*op, a, b)?,
        })
    }

    fn call(&mut self, f: BuiltinFn, args: &[CExpr]) -> R {
        match f {
            BuiltinFn::Max | BuiltinFn::Min => {
                let (Some(a), Some(b)) = (args.first(), args.get(1)) else {
                    return Err(EvalError::Internal("较大/较小需要两个参数".into()));
                };
                let (x, y) = (self.dec(a)?, self.dec(b)?);
                Ok(match (x, y) {
                    (Some(x), Some(y)) => Some(Value::Dec(if f == BuiltinFn::Max {
                        dec::max(x, y)
                    } else {
                        dec::min(x, y)
                    })),
                    _ => None,
                })
            }
            BuiltinFn::Days | BuiltinFn::Months => {
                let (Some(a), Some(b)) = (args.first(), args.get(1)) else {
                    return Err(EvalError::Internal("天数/月数需要两个参数".into()));
                };
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                Ok(match (x, y) {
                    (Some(Value::Date(x)), Some(Value::Date(y))) => {
                        let n = if f == BuiltinFn::Days {
                            (y - x).num_days()
                        } else {
                            let mut m = i64::from(y.year() - x.year()) * 12 + i64::from(y.month())
                                - i64::from(x.month());
                            if y.day() < x.day() {
                                m -= 1;
                            }
                            m
                        };
                        Some(Value::Dec(Decimal::from(n)))
                    }
                    _ => None,
                })
            }
            BuiltinFn::RecentCount | BuiltinFn::CountSinceListed | BuiltinFn::DaysSince => {
                let Some(CExpr::Lit(Value::Enum(kind))) = args.first() else {
                    return Err(EvalError::Internal(
                        "历史函数的第一个参数不是事件种类".into(),
                    ));
                };
                let period = match args.get(1) {
                    Some(p) => match self.eval(p)? {
                        Some(Value::Duration(n, u)) => Some((n, u)),
                        None => return Ok(None),
                        Some(_) => return Err(EvalError::Internal("期间参数不是期间".into())),
                    },
                    None => None,
                };
                let Some(t) = &self.timeline else {
                    return Ok(None);
                };
                let Some(dates) = t.matching(f, *kind, period) else {
                    return Ok(None);
                };
                Ok(if f == BuiltinFn::DaysSince {
                    match (dates.last(), t.as_of) {
                        (Some(d), Some(as_of)) => {
                            Some(Value::Dec(Decimal::from((as_of - *d).num_days())))
                        }
                        _ => None,
                    }
                } else {
                    Some(Value::Dec(Decimal::from(dates.len())))
                })
            }
        }
    }

    /// `a 且 b`: false if either is false (the right side is not read when the left is),
    /// true if both are true, else unknown.
    fn and(&mut self, a: &CExpr, b: &CExpr) -> Result<Option<bool>, EvalError> {
        self.chain(BinOp::And, a, b)
    }

    /// `a 或 b`: true if either is true (the right side is not read when the left is),
    /// false if both are false, else unknown.
    fn or(&mut self, a: &CExpr, b: &CExpr) -> Result<Option<bool>, EvalError> {
        self.chain(BinOp::Or, a, b)
    }

    /// `a op b` for `op` 且 (`stop` false) or 或 (`stop` true), at the current depth, with
    /// the chain `((x op y) op z) …` that the parser builds for `x op y op z` read in one
    /// loop: as written, each link was a call of [`Ctx::truth_of`] and of this function, a
    /// result returned through memory at each (Guangdong's four-term 或 of defaults was 390
    /// instructions, 5% of a numbers-only decision's time). It reads the same sides in the
    /// same order (so notes the same defaults and missing facts) and stops where the nested
    /// calls stopped: a side equal to `stop` decides every link above it. Each link's right
    /// side is read at the depth the nested calls read it at, and a chain deeper than the
    /// limit fails before anything is read, as the nested calls failed on their way down.
    fn chain(&mut self, op: BinOp, a: &CExpr, b: &CExpr) -> Result<Option<bool>, EvalError> {
        let stop = op == BinOp::Or;
        // The links' right sides, top first; the left side of the last one is `first`. A
        // longer chain continues in `first`, read by a call like this one.
        let mut rights = [b; 8];
        let mut links = 1;
        let mut first = a;
        while let (CExpr::Bin(o, l, r), Some(slot)) = (first, rights.get_mut(links)) {
            if *o != op {
                break;
            }
            *slot = &**r;
            links += 1;
            first = &**l;
        }
        let top = self.depth;
        // Link `k` (1 at the top) was evaluated `k - 1` levels below this one.
        let below = links - 1;
        if top + below > MAX_DEPTH {
            return Err(EvalError::TooDeep);
        }
        self.depth = top + below;
        let r = self.links(stop, first, rights.get(..links).unwrap_or_default());
        self.depth = top;
        r
    }

    /// [`Ctx::chain`]'s loop, from the depth of its lowest link: `first` and then `rights`
    /// from the last (lowest) link up, one level higher for each.
    fn links(
        &mut self,
        stop: bool,
        first: &CExpr,
        rights: &[&CExpr],
    ) -> Result<Option<bool>, EvalError> {
        let mut x = self.truth(first)?;
        for (k, r) in rights.iter().enumerate().rev() {
            if x == Some(stop) {
                break;
            }
            self.depth = self.depth.saturating_sub(usize::from(k + 1 < rights.len()));
            let y = self.truth(r)?;
            x = match (x, y) {
                (_, Some(v)) if v == stop => Some(stop),
                (Some(p), Some(q)) if p == q => Some(p),
                _ => None,
            };
        }
        Ok(x)
    }

    fn binary(&mut self, op: BinOp, a: &CExpr, b: &CExpr) -> R {
        Ok(match op {
            BinOp::And => self.and(a, b)?.map(Value::Bool),
            BinOp::Or => self.or(a, b)?.map(Value::Bool),
            _ if is_comparison(op) => self.compare(op, a, b)?.map(Value::Bool),
            _ => self.arith(op, a, b)?.map(Value::Dec),
        })
    }

    /// `x 属于 {…}`: unknown unless `x` is a known variant.
    fn member(&mut self, x: &CExpr, set: &[u32]) -> Result<Option<bool>, EvalError> {
        Ok(match self.operand(x)?.as_deref() {
            Some(Value::Enum(v)) => Some(set.contains(v)),
            _ => None,
        })
    }

    /// `a = b`, `a < b` and the like: unknown when either side is (both are read).
    fn compare(&mut self, op: BinOp, a: &CExpr, b: &CExpr) -> Result<Option<bool>, EvalError> {
        let (x, y) = (self.operand(a)?, self.operand(b)?);
        let (Some(x), Some(y)) = (x.as_deref(), y.as_deref()) else {
            return Ok(None);
        };
        // A variant against a literal one (most comparisons in rules) is answered here: the
        // derived `==` was a call, a third of the comparison.
        if let (Value::Enum(p), Value::Enum(q), BinOp::Eq | BinOp::Ne) = (x, y, op) {
            return Ok(Some((p == q) == (op == BinOp::Eq)));
        }
        Ok(Some(match op {
            BinOp::Eq => x == y,
            BinOp::Ne => x != y,
            _ => {
                let ord = match (x, y) {
                    (Value::Dec(p), Value::Dec(q)) => dec::cmp(*p, *q),
                    (Value::Date(p), Value::Date(q)) => p.cmp(q),
                    _ => return Err(EvalError::Internal("比较的两边类型不同".into())),
                };
                match op {
                    BinOp::Lt => ord.is_lt(),
                    BinOp::Le => ord.is_le(),
                    BinOp::Gt => ord.is_gt(),
                    _ => ord.is_ge(),
                }
            }
        }))
    }

    /// `a + b` and the like: unknown when either side is (both are read).
    fn arith(&mut self, op: BinOp, a: &CExpr, b: &CExpr) -> Result<Option<Decimal>, EvalError> {
        let (x, y) = (self.operand(a)?, self.operand(b)?);
        let (Some(x), Some(y)) = (x.as_deref(), y.as_deref()) else {
            return Ok(None);
        };
        let (Value::Dec(p), Value::Dec(q)) = (x, y) else {
            return Err(EvalError::Internal("算术的操作数不是数".into()));
        };
        Ok(Some(match op {
            BinOp::Add => dec::add(*p, *q).ok_or_else(|| arith("加法"))?,
            BinOp::Sub => dec::sub(*p, *q).ok_or_else(|| arith("减法"))?,
            BinOp::Mul => dec::mul(*p, *q).ok_or_else(|| arith("乘法"))?,
            _ => p.checked_div(*q).ok_or_else(|| arith("除法"))?,
        }))
    }
}

/// `=`, `≠`, `<`, `≤`, `>`, `≥`: operators whose value is a truth value read from two
/// values of one type.
fn is_comparison(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
    )
}

/// `+`, `-`, `×`, `÷`.
fn is_arithmetic(op: BinOp) -> bool {
    matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use cailiang_dsl::ir::{FactDef, Ty};
    use proptest::prelude::*;

    /// Eight yes/no facts: 0–2 with a default, 3–7 without; the case gives 2, 4 and 5.
    fn setup() -> (Program, Case) {
        let facts = (0..8)
            .map(|i| FactDef {
                name: format!("f{i}"),
                label: None,
                ty: Ty::Bool,
                default: match i {
                    0 | 2 => Some(Value::Bool(false)),
                    1 => Some(Value::Bool(true)),
                    _ => None,
                },
                ruleset: String::new(),
                span: Default::default(),
            })
            .collect();
        let program = Program {
            files: Vec::new(),
            enums: Vec::new(),
            facts,
            derived: Vec::new(),
            rulesets: Vec::new(),
        };
        let mut given = crate::case::Facts::default();
        given.set(2, Value::Bool(true));
        given.set(4, Value::Bool(false));
        given.set(5, Value::Bool(true));
        let case = Case {
            codes: Vec::new(),
            occurred_on: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
            ended_on: None,
            discovered_on: None,
            decided_on: None,
            facts: given,
            daily: None,
        };
        (program, case)
    }

    /// 且/或 as one call a link, the way [`Ctx::chain`] must answer.
    fn nested_truth(c: &mut Ctx<'_>, e: &CExpr) -> Result<Option<bool>, EvalError> {
        match e {
            CExpr::Fact(_) => c.truth(e),
            CExpr::Not(x) => c.nested(|c| Ok(nested_truth(c, x)?.map(|b| !b))),
            CExpr::Bin(op @ (BinOp::And | BinOp::Or), a, b) => c.nested(|c| {
                let stop = *op == BinOp::Or;
                let x = nested_truth(c, a)?;
                if x == Some(stop) {
                    return Ok(x);
                }
                Ok(match (x, nested_truth(c, b)?) {
                    (_, Some(y)) if y == stop => Some(stop),
                    (Some(x), Some(y)) if x == y => Some(x),
                    _ => None,
                })
            }),
            _ => c.truth_of(e),
        }
    }

    fn leaf() -> impl Strategy<Value = CExpr> {
        prop_oneof![
            6 => (0u32..8).prop_map(CExpr::Fact),
            1 => any::<bool>().prop_map(|b| CExpr::Lit(Value::Bool(b))),
        ]
    }

    /// Conditions of 且, 或 and 非, with long chains `((a op b) op c) …` among them.
    fn condition() -> impl Strategy<Value = CExpr> {
        leaf().prop_recursive(4, 200, 24, |inner| {
            prop_oneof![
                inner.clone().prop_map(|x| CExpr::Not(Box::new(x))),
                (any::<bool>(), proptest::collection::vec(inner, 2..24)).prop_map(|(or, xs)| {
                    let op = if or { BinOp::Or } else { BinOp::And };
                    let mut it = xs.into_iter();
                    let first = it.next().unwrap();
                    it.fold(first, |acc, x| CExpr::Bin(op, Box::new(acc), Box::new(x)))
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// A chain read in one loop answers as the nested calls do: the same value or
        /// error, the same facts noted in the same order, the depth given back, near the
        /// depth limit too.
        #[test]
        fn chains_read_as_nested_calls(e in condition(), depth in prop_oneof![1 => Just(0usize), 4 => (MAX_DEPTH - 16)..=MAX_DEPTH]) {
            let (program, case) = setup();
            let (mut fast, mut slow) = (Ctx::new(&program, &case), Ctx::new(&program, &case));
            fast.depth = depth;
            slow.depth = depth;
            prop_assert_eq!(fast.truth(&e), nested_truth(&mut slow, &e));
            prop_assert_eq!(fast.depth, slow.depth);
            prop_assert_eq!(fast.missing.iter().collect::<Vec<_>>(), slow.missing.iter().collect::<Vec<_>>());
            prop_assert_eq!(
                fast.defaults_used.iter().collect::<Vec<_>>(),
                slow.defaults_used.iter().collect::<Vec<_>>()
            );
        }
    }
}
