//! The decision pipeline for one case: choose the provision (第二十九条) and the version
//! (第三十七条), then for one violation: limitation → statutory range → discretion → clamp →
//! adjustments → rounding → exemptions → daily fine, explaining every step.

use crate::case::Case;
use crate::decision::*;
use crate::eval::{Ctx, EvalError};
use crate::lines::{
    escalated, push_band, push_level, push_range, push_rates, push_weights_head, TableText, BOUNDS,
    DEFAULTED, MAX_ONLY, RANGE,
};
use crate::money::{self, dec, Pct, Yuan};
use crate::ruleset::{Ruleset, SharedViolation, Snapshot};
use cailiang_dsl::ast::{AdjustKind, Combine, DurationUnit, ExemptionEffect};
use cailiang_dsl::ir::*;
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// `write!` into an explanation line being built (writing to a `String` cannot fail).
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}

/// Append the pieces in order (`push!(o, "罚款 ", Yuan(x), "；", name)`): the hot
/// explanation lines, written as pushes with no `fmt` machinery (through `write!` the
/// argument parsing, padding checks and virtual calls were a third of a decision).
macro_rules! push {
    ($out:expr, $($piece:expr),+ $(,)?) => {{
        let out: &mut String = $out;
        $(Piece::push_to($piece, out);)+
    }};
}

/// Something an explanation line is built from, appended with [`push!`].
trait Piece {
    fn push_to(self, out: &mut String);
}

impl Piece for &str {
    fn push_to(self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for &String {
    fn push_to(self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for &Text {
    fn push_to(self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for Yuan {
    fn push_to(self, out: &mut String) {
        money::push_yuan(out, self.0);
    }
}

impl Piece for Pct {
    fn push_to(self, out: &mut String) {
        money::push_pct(out, self.0);
    }
}

impl Piece for Money {
    fn push_to(self, out: &mut String) {
        self.push_two_places(out);
    }
}

impl Piece for NaiveDate {
    /// `2024-03-01`, as its `Display` writes it.
    fn push_to(self, out: &mut String) {
        use chrono::Datelike as _;
        let (y, m, d) = (self.year(), self.month(), self.day());
        if (0..=9999).contains(&y) {
            money::push_date(out, y.unsigned_abs(), m, d);
        } else {
            put!(out, "{self}");
        }
    }
}

/// `【rule】`, the start of an explanation line, as one constant: [`Step::open`] copies it in
/// one piece, where pushing `【`, the rule and `】` took three (about 40 instructions a line).
macro_rules! rule {
    ($rule:literal) => {
        concat!("【", $rule, "】")
    };
}

/// `format!` into a buffer sized for an explanation line. `format!` starts from a guess and
/// reallocates several times for a line of Chinese text; that was a sixth of a decision.
/// Short fragments and error messages keep `format!`.
macro_rules! text {
    ($($arg:tt)*) => {{
        use std::fmt::Write as _;
        let mut s = String::with_capacity(384);
        let _ = write!(s, $($arg)*);
        s
    }};
}

/// Evaluate a validated case, with the explanation.
pub fn decide<'rs>(rs: &'rs Ruleset, case: &Case) -> Result<Decision<'rs>, EvalError> {
    decide_with(rs, case, true)
}

/// Evaluate a validated case; `explain: false` leaves `explanation`, `factors` and `why_not`
/// empty (the numbers are the same), for callers that only need the amounts.
pub fn decide_with<'rs>(
    rs: &'rs Ruleset,
    case: &Case,
    explain: bool,
) -> Result<Decision<'rs>, EvalError> {
    if case.codes.len() <= 1 {
        let code = case.codes.first().map(|s| s.as_str()).unwrap_or("");
        return decide_code(rs, case, code, explain);
    }
    // One act, several provisions: one fine, under the provision with the higher amount.
    let mut decisions = Vec::new();
    for code in &case.codes {
        decisions.push(decide_code(rs, case, code, explain)?);
    }
    let amount = |d: &Decision| -> Decimal {
        match (&d.outcome, &d.fine) {
            (Outcome::Penalty | Outcome::MayExempt, Some(f)) => f.recommended.amount(),
            _ => Decimal::MIN,
        }
    };
    let candidates: Vec<Candidate> = decisions
        .iter()
        .map(|d| Candidate {
            code: d.violation.code,
            outcome: d.outcome,
            recommended: d.fine.as_ref().map(|f| f.recommended),
        })
        .collect();
    let mut best = 0usize;
    for (i, d) in decisions.iter().enumerate() {
        let cur = decisions.get(best).map(amount).unwrap_or(Decimal::MIN);
        if amount(d) > cur {
            best = i;
        }
    }
    let mut chosen = decisions.swap_remove(best);
    let list: Vec<String> = candidates
        .iter()
        .map(|c| {
            text!(
                "{}（{}）",
                c.code,
                c.recommended
                    .map(|r| format!("{r}元"))
                    .unwrap_or_else(|| "不处罚".into())
            )
        })
        .collect();
    if explain {
        // The rule of the law applied (法典第一千零五十五条 restates 行政处罚法第二十九条).
        let day = case
            .decided_on
            .unwrap_or(case.ended_on.unwrap_or(case.occurred_on));
        let basis = match rs.snapshot_at(day).and_then(|s| s.one_fine.as_deref()) {
            Some(b) => text!("{b}；《中华人民共和国行政处罚法》第二十九条"),
            None => "《中华人民共和国行政处罚法》第二十九条".to_string(),
        };
        chosen.explanation.insert(
            0,
            text!(
                "同一违法行为违反多个规定：{}；按照罚款数额高的规定处罚，适用 {}（{basis}）",
                list.join("、"),
                chosen.violation.code
            ),
        );
    }
    chosen.candidates = Some(candidates);
    Ok(chosen)
}

fn rank(d: &Decision) -> (u8, Decimal, Decimal) {
    let o = match d.outcome {
        Outcome::TimeBarred | Outcome::NoPenalty => 0,
        Outcome::MayExempt => 1,
        Outcome::Penalty => 2,
    };
    let rec = d
        .fine
        .as_ref()
        .map(|f| f.recommended.amount())
        .unwrap_or(Decimal::ZERO);
    let max = d
        .statutory
        .as_ref()
        .map(|s| s.max.amount())
        .unwrap_or(Decimal::ZERO);
    (o, rec, max)
}

/// The default citation for choosing between two versions.
const LEX_MITIOR: &str = "《中华人民共和国行政处罚法》第三十七条";

/// One code under 第三十七条: the version at the act, unless the version at decision is lighter.
/// A continuing act is judged by the law on its last day (Guangdong art. 8 para. 2: an act
/// that continues past a change of law falls under the new law).
fn decide_code<'rs>(
    rs: &'rs Ruleset,
    case: &Case,
    code: &str,
    explain: bool,
) -> Result<Decision<'rs>, EvalError> {
    let act_day = case.ended_on.unwrap_or(case.occurred_on);
    let at_act = rs
        .snapshot_at(act_day)
        .ok_or_else(|| EvalError::Internal(format!("{act_day} 无生效版本")))?;
    // The version at the act's first day is looked for only when the act has a last day.
    let straddle = case.ended_on.and_then(|end| {
        rs.snapshot_at(case.occurred_on)
            .filter(|first| !std::ptr::eq(*first, at_act))
            .map(|first| (end, first))
    });
    let at_decision = case.decided_on.and_then(|d| rs.snapshot_at(d));
    let Some(new) = at_decision.filter(|s| !std::ptr::eq(*s, at_act)) else {
        let (true, Some((end, first))) = (explain, straddle) else {
            // Returned as it comes: unwrapping and rewrapping the result copies the decision
            // (hundreds of bytes) twice.
            return decide_one(rs, at_act, case, code, explain);
        };
        let mut d = decide_one(rs, at_act, case, code, explain)?;
        d.explanation
            .insert(0, straddle_text(case.occurred_on, end, first, at_act));
        return Ok(d);
    };
    let old_d = if at_act.violation(code).is_some() {
        Some(decide_one(rs, at_act, case, code, explain)?)
    } else {
        None
    };
    let new_d = if new.violation(code).is_some() {
        Some(decide_one(rs, new, case, code, explain)?)
    } else {
        None
    };
    let act_side = old_d.as_ref().map(side);
    let decision_side = new_d.as_ref().map(side);
    let (mut d, applied, reason) = match (old_d, new_d) {
        (Some(o), Some(n)) => {
            let (ro, rn) = (rank(&o), rank(&n));
            let why = compare_text(&o, &n, ro, rn);
            if rn < ro {
                let tail = if n.outcome == Outcome::NoPenalty && n.exemption.as_ref().map(|e| e.kind == "不认为是违法").unwrap_or(false) {
                    "作出处罚决定时的规定不认为是违法，适用新的规定"
                } else {
                    "作出处罚决定时的规定处罚较轻，适用新的规定"
                };
                (n, "decision", text!("{why}；{tail}"))
            } else {
                (o, "act", text!("{why}；新的规定处罚不轻于行为时的规定，适用违法行为发生时的规定"))
            }
        }
        (Some(o), None) => (o, "act", text!("决定时的规则版本没有违法行为 {code}，按行为时的规定处理（待核：是否“不认为是违法”）")),
        (None, Some(n)) => (n, "decision", "行为时的规则版本没有该违法行为，按决定时的规定计算；待核：须确认行为时的法律、法规同样处罚该行为且不轻于决定时的规定，否则不得溯及适用".to_string()),
        (None, None) => return Err(EvalError::Internal(format!("违法行为 {code} 在两个版本中都不存在"))),
    };
    let basis = match &new.choice_of_law {
        Some(b) if !b.contains("行政处罚法") => text!("{b}；{LEX_MITIOR}"),
        Some(b) => b.clone(),
        None => LEX_MITIOR.to_string(),
    };
    let choice = ChoiceOfLaw {
        at_act: at_act.label().to_string(),
        at_decision: new.label().to_string(),
        applied: applied.into(),
        reason: reason.clone(),
        basis: basis.clone(),
        act: act_side,
        decision: decision_side,
    };
    if explain {
        d.explanation.insert(
            0,
            text!(
                "【从旧兼从轻】行为时适用 {}，作出处罚决定时适用 {}；{}（{basis}）",
                choice.at_act,
                choice.at_decision,
                reason
            ),
        );
        if let Some((end, first)) = straddle {
            d.explanation
                .insert(0, straddle_text(case.occurred_on, end, first, at_act));
        }
    }
    d.choice_of_law = Some(choice);
    Ok(d)
}

fn straddle_text(start: NaiveDate, end: NaiveDate, first: &Snapshot, last: &Snapshot) -> String {
    text!(
        "【行为终了时的规定】违法行为自 {start} 起连续或者继续至 {end}，跨越规定的修改（{} → {}），适用行为终了时的规定（参照《广东省生态环境行政处罚自由裁量权规定》第八条第二款）",
        first.label(),
        last.label()
    )
}

/// One version's result, as the comparison shows it.
fn side(d: &Decision) -> ChoiceSide {
    ChoiceSide {
        provision: d.basis.join("、"),
        outcome: d.outcome,
        statutory: d.statutory.clone(),
        recommended: d.fine.as_ref().map(|f| f.recommended),
    }
}

fn outcome_text(d: &Decision) -> String {
    match (d.outcome, &d.statutory, &d.fine) {
        (Outcome::NoPenalty, _, _) => match &d.exemption {
            Some(e) if e.kind == "不认为是违法" => "不认为是违法".into(),
            _ => "不予处罚".into(),
        },
        (Outcome::TimeBarred, _, _) => "已过时效".into(),
        (o, Some(s), Some(f)) => text!(
            "{}法定幅度 {} 至 {} 元，建议罚款 {} 元",
            if o == Outcome::MayExempt {
                "可以不予处罚；"
            } else {
                ""
            },
            s.min,
            s.max,
            f.recommended
        ),
        _ => "处罚".into(),
    }
}

/// How the lighter of two results was decided, in words.
fn compare_text(
    o: &Decision,
    n: &Decision,
    ro: (u8, Decimal, Decimal),
    rn: (u8, Decimal, Decimal),
) -> String {
    let head = text!(
        "行为时规定（{}）：{}；决定时规定（{}）：{}",
        o.basis.join("、"),
        outcome_text(o),
        n.basis.join("、"),
        outcome_text(n)
    );
    let how = if ro.0 != rn.0 {
        "比较处罚结果：不予处罚、不认为是违法轻于可以不予处罚，可以不予处罚轻于处罚".to_string()
    } else if ro.1 != rn.1 {
        let crossed = (ro.1 < rn.1) != (ro.2 < rn.2) && ro.2 != rn.2;
        if crossed {
            "两个幅度交叉（一方建议罚款较低而最高额较高），按本案适用的建议罚款额比较".to_string()
        } else {
            "比较本案适用的建议罚款额".to_string()
        }
    } else if ro.2 != rn.2 {
        "建议罚款额相同，比较法定最高额".to_string()
    } else {
        "处罚结果、建议罚款额与法定最高额均相同".to_string()
    };
    text!("{head}；{how}")
}

struct Step<'a> {
    rs: &'a Ruleset,
    /// Whether to write the explanation at all: formatting is most of the cost of a
    /// decision, and bulk callers that only need the numbers switch it off.
    on: bool,
    lines: Vec<String>,
    /// The explanation text of the violation's own discretion table, written at compile time.
    own_table: Option<&'a TableText>,
}

/// Room for one explanation line: a line of Chinese text with its rule, place and basis is
/// a few hundred bytes; sizing it once saves growing it several times.
const LINE_ROOM: usize = 448;

impl Step<'_> {
    /// `rule text（file:line；依据：basis）`, `rule` being the line's start `【…】` (see
    /// [`rule!`]), the text written by `text` straight into the line (no intermediate string).
    fn add(
        &mut self,
        rule: &str,
        span: cailiang_dsl::Span,
        basis: &str,
        text: impl FnOnce(&mut String),
    ) {
        self.add_end(rule, None, span, basis, text);
    }

    /// [`Step::add`] with the line's end (`（file:line；依据：basis）`) written at compile time
    /// when there is one (`end`, see [`crate::lines`]): placing the span alone took about
    /// 220 instructions a line, copying the end takes a few dozen.
    fn add_end(
        &mut self,
        rule: &str,
        end: Option<&str>,
        span: cailiang_dsl::Span,
        basis: &str,
        text: impl FnOnce(&mut String),
    ) {
        if self.on {
            let mut line = self.open(rule, LINE_ROOM + basis.len());
            text(&mut line);
            self.close(line, end, span, basis);
        }
    }

    /// A line to write piece by piece, starting with `start` (its `【rule】`, see [`rule!`]),
    /// with `room` for the rest; empty (and not allocated) when the explanation is off, so
    /// the caller writes into it only when [`Step::on`].
    fn open(&self, start: &str, room: usize) -> String {
        if !self.on {
            return String::new();
        }
        let mut line = String::with_capacity(room + start.len());
        line.push_str(start);
        line
    }

    /// Finish a line from [`Step::open`] with its end (see [`Step::add_end`]).
    fn close(
        &mut self,
        mut line: String,
        end: Option<&str>,
        span: cailiang_dsl::Span,
        basis: &str,
    ) {
        if self.on {
            match end {
                Some(end) => line.push_str(end),
                None => self.rs.push_line_end(span, basis, &mut line),
            }
            self.lines.push(line);
        }
    }

    /// A line written whole at compile time.
    fn whole(&mut self, line: &str) {
        if self.on {
            self.lines.push(line.to_string());
        }
    }

    /// A line without a rule, place or basis.
    fn line(&mut self, text: impl FnOnce(&mut String)) {
        if self.on {
            let mut line = String::with_capacity(LINE_ROOM);
            text(&mut line);
            self.lines.push(line);
        }
    }
}

fn add_duration(d: NaiveDate, (n, unit): (u32, DurationUnit)) -> Option<NaiveDate> {
    match unit {
        DurationUnit::Years => d.checked_add_months(Months::new(n.checked_mul(12)?)),
        DurationUnit::Months => d.checked_add_months(Months::new(n)),
        DurationUnit::Days => d.checked_add_days(chrono::Days::new(u64::from(n))),
    }
}

/// Whether `found` is after the end of a limitation period from `start`: `found >` the
/// deadline [`add_duration`] gives, and never when it gives none (off the calendar). For
/// months and years without making the deadline: it is in the month `n` months on, on
/// `start`'s day or that month's last, so a day of that month is after it exactly when it is
/// after `start`'s day. Making the date through chrono was some 130 instructions a decision.
fn expired(start: NaiveDate, (n, unit): (u32, DurationUnit), found: NaiveDate) -> bool {
    let months = match unit {
        DurationUnit::Days => return add_duration(start, (n, unit)).is_some_and(|d| found > d),
        DurationUnit::Months => i64::from(n),
        DurationUnit::Years => i64::from(n) * 12,
    };
    let month = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    // A deadline month before `found`'s is on the calendar (between `start` and `found`); one
    // past the calendar's end is after `found`'s, so not expired, as when there is no deadline.
    match month(found).cmp(&(month(start) + months)) {
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => found.day() > start.day(),
    }
}

/// A limitation period as written: `2年`, `6个月`, `90日`.
struct Duration((u32, DurationUnit));

impl Piece for Duration {
    fn push_to(self, out: &mut String) {
        let (n, unit) = self.0;
        crate::ruleset::push_number(out, n as usize);
        out.push_str(match unit {
            DurationUnit::Years => "年",
            DurationUnit::Months => "个月",
            DurationUnit::Days => "日",
        });
    }
}

/// `v.reserve(n)` for a vector that is usually still unallocated: then it is made with its
/// capacity, since `reserve` takes the growth path (`finish_grow`), about 70 instructions
/// more for each of an explained decision's factor and "why not" lists.
fn reserve<T>(v: &mut Vec<T>, n: usize) {
    if v.capacity() == 0 {
        *v = Vec::with_capacity(n);
    } else {
        v.reserve(n);
    }
}

/// A rule's bases as one text, `、` between them: borrowed when there is only one.
fn joined(basis: &[String]) -> Cow<'_, str> {
    match basis {
        [] => Cow::Borrowed(""),
        [one] => Cow::Borrowed(one),
        more => Cow::Owned(more.join("、")),
    }
}

fn exemption_kind(kind: &str) -> &str {
    match kind {
        "轻微" | "轻微违法" => "minor",
        "首违" | "首违不罚" | "初次违法" => "first_offense",
        "无过错" | "无主观过错" => "no_fault",
        "清单" | "目录" => "list",
        "未成年" | "未成年人" => "minor_age",
        "精神病" | "精神障碍" => "mental",
        other => other,
    }
}

/// `open` + the conditions' texts joined with `，且` + `close`; nothing when there are none.
fn push_conditions(out: &mut String, when: &[(CExpr, Text)], open: &str, close: &str) {
    let mut texts = when.iter().map(|(_, t)| t);
    if let Some(t) = texts.next() {
        push!(out, open, t);
        for t in texts {
            push!(out, "，且", t);
        }
        push!(out, close);
    }
}

#[cold]
fn arith(what: &str) -> EvalError {
    EvalError::Arithmetic { what: what.into() }
}

// `mul`, `add` and `sub` are always inlined: `dec`'s fast paths are a few instructions, and a
// call returning a `Result` through memory costs more than they do.

/// The operation that overflowed, the error of `mul`, `add` and `sub`: `?` turns it into
/// the `EvalError`. Why not that error itself: a `Result<Decimal, EvalError>` is too large
/// for registers, so each sum went through the stack, stored in pieces and copied by one
/// 16-byte load that the processor cannot forward from them (a stall on every amount);
/// `Result<Decimal, Overflow>` stays in registers.
#[derive(Debug, Clone, Copy)]
enum Overflow {
    Mul,
    Add,
    Sub,
}

impl From<Overflow> for EvalError {
    #[cold]
    fn from(o: Overflow) -> EvalError {
        arith(match o {
            Overflow::Mul => "乘法",
            Overflow::Add => "加法",
            Overflow::Sub => "减法",
        })
    }
}

#[inline(always)]
fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    dec::mul(a, b).ok_or(Overflow::Mul)
}

#[inline(always)]
fn add(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    dec::add(a, b).ok_or(Overflow::Add)
}

#[inline(always)]
fn sub(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    dec::sub(a, b).ok_or(Overflow::Sub)
}

/// Evaluate one violation under one snapshot.
fn decide_one<'rs>(
    rs: &'rs Ruleset,
    snap: &'rs Snapshot,
    case: &Case,
    code: &str,
    explain: bool,
) -> Result<Decision<'rs>, EvalError> {
    let program = rs.program();
    let (v, shared) = snap
        .violation_shared(code)
        .ok_or_else(|| EvalError::Internal(format!("违法行为 {code} 不在 {}", snap.label())))?;
    let mut ctx = Ctx::new(program, case);
    let mut st = Step {
        rs,
        on: explain,
        lines: if explain {
            Vec::with_capacity(16)
        } else {
            Vec::new()
        },
        own_table: shared.table.as_deref(),
    };
    let basis_all = shared.basis_joined.as_str();
    if st.on {
        st.lines.push(shared.headline.clone());
    }
    let mut d = Decision {
        violation: ViolationRef {
            code: &shared.code,
            name: &shared.name,
        },
        ruleset: RulesetRef {
            name: &snap.shared.name,
            version: snap.shared.version.as_deref(),
        },
        outcome: Outcome::Penalty,
        exemption: None,
        statutory: None,
        fine: None,
        severity: None,
        discretion_percent: None,
        adjustments: Vec::new(),
        measures: &shared.measures,
        basis: &shared.basis,
        explanation: Vec::new(),
        factors: Vec::new(),
        defaults_used: Vec::new(),
        why_not: Vec::new(),
        choice_of_law: None,
        candidates: None,
        daily: None,
        rounding: &snap.shared.rounding,
        interim_rule: shared.interim.as_deref(),
    };
    if let Some(l) = &snap.lapsed {
        st.line(|o| push!(o, "【规则集失效】", l));
    }
    if let Some(t) = &v.succeeds {
        st.add(rule!("承接"), v.span, "", |o| push!(o, "本条承接", t));
    }

    // 0. An act this version no longer punishes (法典第一千零五十七条、行政处罚法第三十七条:
    // 不认为是违法的，适用新的规定).
    let not_illegal = match (&v.not_illegal, &v.not_illegal_when) {
        (Some(why), None) => Some(why),
        (Some(why), Some(w)) => (ctx.truth(w)? == Some(true)).then_some(why),
        (None, _) => None,
    };
    if let Some(why) = not_illegal {
        st.add(rule!("不认为是违法"), v.span, basis_all, |o| {
            o.push_str(why)
        });
        d.outcome = Outcome::NoPenalty;
        d.exemption = Some(ExemptionRef {
            kind: "不认为是违法",
            mandatory: true,
            rule: Cow::Owned(text!("{code} 不认为是违法：{why}")),
            basis: Cow::Owned(v.basis.join("、")),
        });
        d.measures = &[];
        st.line(|o| o.push_str("【结论】不予行政处罚：该规定不认为是违法"));
        d.explanation = st.lines;
        return Ok(d);
    }

    // 1. Limitation (第三十六条).
    let limitation = v.limitation.as_ref().or(snap.limitation.as_ref());
    let mut barred = false;
    if let Some(l) = limitation {
        let mut period = l.period;
        let mut why = String::new();
        for (cond, p, text) in &l.cases {
            if ctx.truth(cond)? == Some(true) {
                period = *p;
                why = text!("（{text}）");
                break;
            }
        }
        let start = case.ended_on.unwrap_or(case.occurred_on);
        let from = if case.ended_on.is_some() {
            "行为终了之日"
        } else {
            "违法行为发生之日"
        };
        // Written at compile time, for the limitation in force as chosen above.
        let end = shared
            .limitation_end
            .as_deref()
            .or(snap.shared.limitation_end.as_deref());
        barred = case
            .discovered_on
            .is_some_and(|found| expired(start, period, found));
        // The deadline itself is only written, so only made, for the explanation (none off
        // the calendar, and then no line).
        let deadline = match (case.discovered_on, st.on) {
            (Some(_), true) => add_duration(start, period),
            _ => None,
        };
        match (case.discovered_on, deadline) {
            (Some(found), Some(deadline)) => {
                st.add_end(rule!("时效"), end, l.span, &l.basis, |o| {
                    push!(
                        o,
                        "时效",
                        Duration(period),
                        &why,
                        "，自",
                        from,
                        "（",
                        start,
                        "）起算"
                    );
                    if barred {
                        push!(
                            o,
                            "，至 ",
                            deadline,
                            " 届满；",
                            found,
                            " 才发现，已过时效，不再给予行政处罚"
                        );
                    } else {
                        push!(o, "；", found, " 发现，未过时效");
                    }
                });
            }
            (None, _) => st.add_end(rule!("时效"), end, l.span, &l.basis, |o| {
                o.push_str("案件未提供发现日（discovered_on），未审查时效")
            }),
            (Some(_), None) => {}
        }
    }

    // 2. Statutory range.
    let mut chosen = v.fines.iter().find(|f| f.when.is_none());
    for f in v.fines.iter().filter(|f| f.when.is_some()) {
        if let Some(w) = &f.when {
            if ctx.truth(w)? == Some(true) {
                chosen = Some(f);
                break;
            }
        }
    }
    let fine_ir = chosen.ok_or_else(|| EvalError::Internal(format!("{code} 没有罚款幅度")))?;
    let (smin, smax, shape_text) =
        statutory(&mut ctx, &fine_ir.shape).map_err(|e| name_missing(e, &ctx, code))?;
    ctx.statutory = Some((smin, smax));
    d.statutory = Some(Range {
        min: Money::yuan(smin),
        max: Money::yuan(smax),
    });
    // The range's text written at compile time: its line's end, how a share of a base is
    // taken, or for literal amounts the whole text.
    let fine_text = match st.on {
        true => v
            .fines
            .iter()
            .position(|f| std::ptr::eq(f, fine_ir))
            .and_then(|i| shared.fines.get(i)),
        false => None,
    };
    let fine_end = fine_text.map(|t| &*t.end);
    st.add_end(
        RANGE,
        fine_end,
        fine_ir.span,
        basis_all,
        |o| match fine_text.and_then(|t| t.range.as_deref()) {
            Some(range) => o.push_str(range),
            None => {
                shape_text.push_with(o, fine_text.and_then(|t| t.rates.as_deref()));
                push_range(o, escalated(fine_ir), smin, smax);
            }
        },
    );
    if let Some(note) = snap.interim.get(code) {
        st.add(rule!("过渡适用"), v.span, "", |o| o.push_str(note));
    }

    // 3. Discretion.
    let (mut lo, mut hi, mut rec) = discretion(
        &mut ctx, &mut st, &mut d, v, shared, snap, smin, smax, basis_all,
    )
    .map_err(|e| name_missing(e, &ctx, code))?;

    // 4. Clamp to the statutory range (Guangdong art. 3: only 减轻 may leave it).
    // One amount (a table's result) inside the range: `dec::leaves` has just compared it with
    // both ends, so clamping it to the same range again below changes nothing.
    let leaves = dec::leaves((lo, hi, rec), smin, smax);
    let one_inside = !leaves && dec::same(lo, hi) && dec::same(lo, rec);
    if leaves {
        let (a, b) = (rec, dec::clamp(rec, smin, smax));
        lo = dec::clamp(lo, smin, smax);
        hi = dec::clamp(hi, smin, smax);
        rec = b;
        if a != b {
            st.add_end(RANGE, fine_end, fine_ir.span, basis_all, |o| {
                push!(
                    o,
                    "按表计算为 ",
                    Yuan(a),
                    "，超出法定幅度，按法定幅度取 ",
                    Yuan(b)
                );
            });
        }
    }

    // 5. Adjustments.
    let bounds = adjustments(
        &mut ctx, &mut st, &mut d, v, snap, smin, smax, &mut lo, &mut hi, &mut rec,
    )?;
    let (floor, ceil) = bounds.unwrap_or((smin, smax));
    // Nothing adjusted and one amount inside the statutory range: `clamp_range` to that range
    // would give it back unchanged (its six comparisons were some 190 instructions a decision).
    if bounds.is_some() || !one_inside {
        (lo, hi, rec) = dec::clamp_range((lo, hi, rec), floor, ceil);
    }

    // 6. Rounding, never leaving the range.
    let (rlo, rhi, rrec) = snap.rounding.round_range((lo, hi, rec), floor, ceil);
    if dec::cmp(rrec, rec).is_ne() {
        st.add(rule!("取整"), v.span, "", |o| {
            push!(
                o,
                &*snap.shared.rounding,
                " ",
                Yuan(rec),
                " 为 ",
                Yuan(rrec)
            );
        });
    }
    let fine = Fine {
        min: Money::yuan(rlo),
        max: Money::yuan(rhi),
        recommended: Money::yuan(rrec),
    };

    // 7. Exemptions.
    let exempt = exemptions(&mut ctx, &mut st, &mut d, v, snap)?;

    // 8. Outcome.
    if barred {
        d.outcome = Outcome::TimeBarred;
        d.fine = None;
    } else if let Some(e) = exempt {
        d.outcome = if e.mandatory {
            Outcome::NoPenalty
        } else {
            Outcome::MayExempt
        };
        d.fine = if e.mandatory { None } else { Some(fine) };
        d.exemption = Some(e);
    } else {
        d.fine = Some(fine);
    }

    // 9. Daily continuing fine (按日连续处罚办法 arts. 17–19).
    if let (Some(daily), Some(basis), Outcome::Penalty, Some(f)) =
        (&case.daily, &v.daily, d.outcome, &d.fine)
    {
        let days = (daily.reinspected_on - daily.served_on).num_days();
        let per: Decimal = f.recommended.amount();
        let total = mul(per, Decimal::from(days))?;
        st.add(rule!("按日连续处罚"), v.span, basis, |o| {
            push!(
                o,
                "自责令改正决定书送达次日（",
                daily.served_on,
                "的次日）起至复查发现违法之日（",
                daily.reinspected_on,
                "）共 "
            );
            put!(o, "{days} 日，");
            push!(o, Yuan(per));
            put!(o, " × {days} = ");
            push!(o, Yuan(total));
        });
        d.daily = Some(Daily {
            days,
            per_day: Money::yuan(per),
            total: Money::yuan(total),
            basis,
        });
    }

    // Conclusion.
    let concl = |o: &mut String, d: &Decision| {
        match d.outcome {
            Outcome::Penalty => {
                push!(o, "【结论】处罚：建议罚款 ");
                if let Some(f) = &d.fine {
                    push!(o, f.recommended, "元（可在 ", f.min, " 至 ", f.max, " 元内裁量）");
                }
            }
            Outcome::NoPenalty => push!(
                o,
                "【结论】不予行政处罚，应当对当事人进行教育（《中华人民共和国行政处罚法》第三十三条第三款）"
            ),
            Outcome::MayExempt => push!(
                o,
                "【结论】可以不予行政处罚；如予处罚，建议罚款 ",
                d.fine.as_ref().map(|f| f.recommended).unwrap_or_default(),
                "元"
            ),
            Outcome::TimeBarred => push!(o, "【结论】超过时效，不再给予行政处罚"),
        }
    };
    if shared.persons {
        st.line(|o| {
            push!(
                o,
                "【责任人员】同一条款对直接负责的主管人员和其他直接责任人员另处罚款，按违法行为 ",
                code,
                "-P 逐人另行裁量"
            )
        });
    }
    st.line(|o| concl(o, &d));
    // Sized up front, and filled by plain loops: `extend` over a chained `filter_map` kept
    // the iterator's state in memory, costing twice as much per name.
    let mut used = Vec::with_capacity(ctx.defaults_used.len() + ctx.missing.len());
    let (a, b) = ctx.defaults_used.parts();
    let (c, e) = ctx.missing.parts();
    for list in [a, b, c, e] {
        for i in list {
            if let Some(name) = rs.inner.fact_names.get(*i as usize) {
                used.push(&**name);
            }
        }
    }
    d.defaults_used = used;
    d.explanation = st.lines;
    Ok(d)
}

/// How a statutory range was found, for the explanation: kept as the numbers and names it
/// is written from, so that a numbers-only decision writes nothing and an explained one
/// writes it straight into its line.
enum ShapeText<'a> {
    Fixed(&'static str),
    OfBase {
        base_name: &'a str,
        base: Decimal,
        /// The base's floor `(below, as)` when the base fell under it.
        floored: Option<(Decimal, Decimal)>,
        low: Decimal,
        high: Decimal,
        multiple: bool,
    },
    PerOccurrence {
        unit: Option<&'a str>,
        min: Decimal,
        max: Decimal,
        count_name: &'a str,
        count: Decimal,
    },
}

impl ShapeText<'_> {
    /// Write it; `rates`, when given, is how a share of a base is taken, written at compile
    /// time (see [`push_rates`]).
    fn push_with(&self, out: &mut String, rates: Option<&str>) {
        match *self {
            ShapeText::Fixed(t) => out.push_str(t),
            ShapeText::OfBase {
                base_name,
                base,
                floored,
                low,
                high,
                multiple,
            } => {
                push!(out, base_name, " ", Yuan(base));
                if let Some((below, as_)) = floored {
                    push!(out, " 不足 ", Yuan(below), "，按 ", Yuan(as_), " 计");
                }
                match rates {
                    Some(rates) => out.push_str(rates),
                    None => push_rates(out, low, high, multiple),
                }
            }
            ShapeText::PerOccurrence {
                unit,
                min,
                max,
                count_name,
                count,
            } => {
                match unit {
                    Some(u) => push!(out, "每", u),
                    None => push!(out, "每次"),
                }
                push!(
                    out,
                    " ",
                    Yuan(min),
                    " 至 ",
                    Yuan(max),
                    "，",
                    count_name,
                    " "
                );
                put!(out, "{}", count.normalize());
                push!(out, " ", unit.unwrap_or("次"));
            }
        }
    }
}

fn statutory<'s>(
    ctx: &mut Ctx<'_>,
    shape: &'s ShapeIr,
) -> Result<(Decimal, Decimal, ShapeText<'s>), EvalError> {
    let need = |x: Option<Decimal>, what: &str| {
        x.ok_or_else(|| EvalError::MissingFacts {
            violation: what.to_string(),
            facts: Vec::new(),
        })
    };
    Ok(match shape {
        ShapeIr::Bounds { min, max } => {
            let (a, b) = (
                need(ctx.dec(min)?, "罚款下限")?,
                need(ctx.dec(max)?, "罚款上限")?,
            );
            (a, b, ShapeText::Fixed(BOUNDS))
        }
        ShapeIr::MaxOnly { max } => (
            Decimal::ZERO,
            need(ctx.dec(max)?, "罚款上限")?,
            ShapeText::Fixed(MAX_ONLY),
        ),
        ShapeIr::OfBase {
            base,
            base_name,
            low,
            high,
            multiple,
            floor,
        } => {
            let given = need(ctx.dec(base)?, base_name)?;
            let mut b = given;
            let mut floored = None;
            if let Some((below, as_)) = floor {
                let (below, as_) = (
                    need(ctx.dec(below)?, "基数下限")?,
                    need(ctx.dec(as_)?, "基数按计金额")?,
                );
                if dec::lt(b, below) {
                    floored = Some((below, as_));
                    b = as_;
                }
            }
            let text = ShapeText::OfBase {
                base_name,
                base: given,
                floored,
                low: *low,
                high: *high,
                multiple: *multiple,
            };
            (mul(b, *low)?, mul(b, *high)?, text)
        }
        ShapeIr::PerOccurrence {
            min,
            max,
            count,
            count_name,
            unit,
        } => {
            let n = need(ctx.dec(count)?, count_name)?;
            let (a, b) = (
                need(ctx.dec(min)?, "每次下限")?,
                need(ctx.dec(max)?, "每次上限")?,
            );
            let text = ShapeText::PerOccurrence {
                unit: unit.as_deref(),
                min: a,
                max: b,
                count_name,
                count: n,
            };
            (mul(a, n)?, mul(b, n)?, text)
        }
    })
}

/// A missing-facts error names the violation and the facts found missing so far.
fn name_missing(e: EvalError, ctx: &Ctx<'_>, code: &str) -> EvalError {
    match e {
        EvalError::MissingFacts { .. } => EvalError::MissingFacts {
            violation: code.to_string(),
            facts: ctx.missing.iter().collect(),
        },
        other => other,
    }
}

/// Which level of a factor applies, and whether it was taken by default. `table`: the
/// factor's [`LevelTable`], when it has one.
fn level_of<'f>(
    ctx: &mut Ctx<'_>,
    f: &'f FactorIr,
    table: Option<&LevelTable>,
) -> Result<(&'f LevelIr, bool), EvalError> {
    let lowest = f
        .levels
        .get(f.lowest)
        .ok_or_else(|| EvalError::Internal(format!("因素 {} 没有档次", f.name)))?;
    let subject = match &f.subject {
        Some(s) => match ctx.operand(s)? {
            Some(v) => Some(v),
            None => return Ok((lowest, true)),
        },
        None => None,
    };
    let subject = subject.as_deref();
    let found = match (table, subject) {
        (Some(t), Some(v)) => t.lookup(v),
        _ => None,
    };
    let (i, defaulted) = match found {
        Some(x) => x,
        None => pick(f, subject, |c| ctx.truth(c))?,
    };
    let level = f
        .levels
        .get(i)
        .ok_or_else(|| EvalError::Internal(format!("因素 {} 没有第 {i} 档", f.name)))?;
    Ok((level, defaulted))
}

/// The level (index) a factor's tests choose for its subject's value (`None`: the factor
/// has no subject), `when` answering its `当` levels, and whether it was taken by default:
/// the heavier level when several hold (Guangdong art. 17), else `其他`, else the lowest.
fn pick(
    f: &FactorIr,
    subject: Option<&Value>,
    mut when: impl FnMut(&CExpr) -> Result<Option<bool>, EvalError>,
) -> Result<(usize, bool), EvalError> {
    let mut best: Option<(usize, &LevelIr)> = None;
    let mut otherwise = None;
    let mut unknown = false;
    for (i, l) in f.levels.iter().enumerate() {
        let hit = match (&l.test, subject) {
            (LevelTest::Otherwise, _) => {
                otherwise = Some(i);
                false
            }
            (LevelTest::When(c), _) => match when(c)? {
                Some(b) => b,
                None => {
                    unknown = true;
                    false
                }
            },
            (LevelTest::Bool(b), Some(Value::Bool(x))) => b == x,
            (LevelTest::Variants(vs), Some(Value::Enum(x))) => vs.contains(x),
            (LevelTest::Interval { lo, hi }, Some(Value::Dec(x))) => {
                lo.map(|(v, inc)| if inc { !dec::lt(*x, v) } else { dec::gt(*x, v) })
                    .unwrap_or(true)
                    && hi
                        .map(|(v, inc)| if inc { !dec::gt(*x, v) } else { dec::lt(*x, v) })
                        .unwrap_or(true)
            }
            _ => false,
        };
        // Several conditions may hold at once: the heavier level applies (Guangdong art. 17).
        if hit && best.map(|(_, b)| dec::gt(l.value, b.value)).unwrap_or(true) {
            best = Some((i, l));
        }
    }
    Ok(match (best, otherwise) {
        (Some((i, _)), _) => (i, false),
        (None, Some(o)) if !unknown => (o, false),
        _ => (f.lowest, true),
    })
}

/// A factor's level as a function of its subject's value alone, made once per snapshot for
/// each factor with a subject and no `当` level, by asking [`pick`] (so it cannot answer
/// otherwise): reading it is one index (是否, enum) or a binary search of the levels' bounds
/// (numbers), where testing every level took two decimal comparisons a level (about 300
/// instructions a Guangdong decision).
#[derive(Debug)]
pub(crate) enum LevelTable {
    /// By 是否 value: 否, 是.
    Bool([(usize, bool); 2]),
    /// By variant index.
    Enum(Vec<(usize, bool)>),
    /// By number: the levels' bounds, ascending and distinct; `at[i]` applies at
    /// `points[i]`, `between[i]` below it and above `points[i - 1]`, and the last of
    /// `between` above every bound (no test changes its answer between two bounds).
    Numeric {
        points: Vec<Decimal>,
        at: Vec<(usize, bool)>,
        between: Vec<(usize, bool)>,
    },
}

impl LevelTable {
    /// The table for `f`, if it has a subject of a type a table covers and no `当` level.
    pub(crate) fn build(f: &FactorIr, program: &Program) -> Option<LevelTable> {
        if f.levels
            .iter()
            .any(|l| matches!(l.test, LevelTest::When(_)))
        {
            return None;
        }
        let ty = match f.subject.as_ref()? {
            CExpr::Fact(i) => program.facts.get(*i as usize)?.ty,
            CExpr::Derived(i) => program.derived.get(*i as usize)?.ty,
            _ => return None,
        };
        // No `当` level, so `when` is never asked.
        let answer = |v: Value| pick(f, Some(&v), |_| Err(EvalError::Internal(String::new()))).ok();
        match ty {
            Ty::Bool => Some(LevelTable::Bool([
                answer(Value::Bool(false))?,
                answer(Value::Bool(true))?,
            ])),
            Ty::Enum(id) => {
                let n = program.enums.get(id as usize)?.variants.len();
                let n = u32::try_from(n).ok()?;
                let t: Option<Vec<_>> = (0..n).map(|v| answer(Value::Enum(v))).collect();
                Some(LevelTable::Enum(t?))
            }
            t if t.is_numeric() => {
                let mut points = Vec::new();
                for l in &f.levels {
                    if let LevelTest::Interval { lo, hi } = l.test {
                        points.extend(lo.into_iter().chain(hi).map(|(v, _)| v));
                    }
                }
                points.sort_by(|a, b| dec::cmp(*a, *b));
                points.dedup_by(|a, b| dec::cmp(*a, *b).is_eq());
                let at: Option<Vec<_>> = points.iter().map(|p| answer(Value::Dec(*p))).collect();
                // One value inside each gap answers for all of it.
                let mut between = Vec::with_capacity(points.len() + 1);
                let mut below: Option<Decimal> = None;
                for above in points.iter().copied().map(Some).chain([None]) {
                    let inside = match (below, above) {
                        (None, None) => Decimal::ZERO,
                        (None, Some(b)) => b.checked_sub(Decimal::ONE)?,
                        (Some(a), None) => a.checked_add(Decimal::ONE)?,
                        (Some(a), Some(b)) => {
                            let m = a.checked_add(b)?.checked_div(Decimal::TWO)?;
                            // Rounded onto a bound (bounds 28 digits long): no table.
                            if !(dec::lt(a, m) && dec::lt(m, b)) {
                                return None;
                            }
                            m
                        }
                    };
                    between.push(answer(Value::Dec(inside))?);
                    below = above;
                }
                Some(LevelTable::Numeric {
                    points,
                    at: at?,
                    between,
                })
            }
            _ => None,
        }
    }

    /// The level (index, taken by default) for `v`; `None` for a value the table does not
    /// cover (of another type, which a checked program never gives).
    fn lookup(&self, v: &Value) -> Option<(usize, bool)> {
        match (self, v) {
            (LevelTable::Bool(t), Value::Bool(b)) => t.get(usize::from(*b)).copied(),
            (LevelTable::Enum(t), Value::Enum(i)) => t.get(*i as usize).copied(),
            (
                LevelTable::Numeric {
                    points,
                    at,
                    between,
                },
                Value::Dec(x),
            ) => match points.binary_search_by(|p| dec::cmp(*p, *x)) {
                Ok(i) => at.get(i).copied(),
                Err(i) => between.get(i).copied(),
            },
            _ => None,
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn discretion<'rs>(
    ctx: &mut Ctx<'_>,
    st: &mut Step<'_>,
    d: &mut Decision<'rs>,
    v: &'rs ViolationIr,
    shared: &'rs SharedViolation,
    snap: &'rs Snapshot,
    smin: Decimal,
    smax: Decimal,
    basis_all: &str,
) -> Result<(Decimal, Decimal, Decimal), EvalError> {
    // A violation without its own table takes the ruleset's 通用裁量 table, if any.
    let general = if v.discretion.is_none() {
        snap.general_table.as_ref()
    } else {
        None
    };
    let src: &str = match general {
        Some(g) => &g.basis,
        None => v.source.as_deref().unwrap_or(basis_all),
    };
    // The table's explanation text, written at compile time.
    let texts = match general {
        Some(_) => snap.shared.general.as_deref(),
        None => st.own_table,
    };
    match v.discretion.as_ref().or(general.map(|g| &g.discretion)) {
        Some(DiscretionIr::Additive {
            within,
            base,
            start,
            factors,
            caps,
            floors,
            span,
        }) => {
            // The weights' sum, kept as parts until the last factor (see `dec::Sum`).
            let mut sum = dec::Sum::new(*start);
            let first = d.factors.len();
            // The weight line is written as the levels are found, each level's piece copied.
            let end = texts.map(|t| &*t.end);
            let mut line = match texts {
                Some(t) => st.open(&t.head, t.room),
                None => {
                    let mut line = st.open(rule!("裁量"), LINE_ROOM);
                    if st.on {
                        push_weights_head(&mut line, *start);
                    }
                    line
                }
            };
            if st.on {
                reserve(&mut d.factors, factors.len());
            }
            // The tables of the factors read here: the violation's, or the 通用裁量 table's.
            let tables = match general {
                Some(_) => &snap.shared.general_levels,
                None => &shared.levels,
            };
            for (k, f) in factors.iter().enumerate() {
                let (l, defaulted) = level_of(ctx, f, tables.get(k).and_then(Option::as_ref))?;
                if !sum.add(l.value) {
                    return Err(arith("加法"));
                }
                if !st.on {
                    continue;
                }
                // `factors` pushes one entry per factor: this is the factor's index.
                let text = texts.and_then(|t| t.level(d.factors.len() - first, f, l));
                d.factors.push(FactorRef {
                    factor: &f.name,
                    level: &l.label,
                    weight: match text {
                        Some(t) => t.weight,
                        None => Percent::of_fraction(l.value),
                    },
                    defaulted,
                });
                match text {
                    Some(t) => line.push_str(&t.piece),
                    None => push_level(&mut line, f, &l.label),
                }
                if defaulted {
                    line.push_str(DEFAULTED);
                }
            }
            let sum = sum.value();
            if st.on {
                push!(&mut line, "，合计 ", Pct(sum));
            }
            st.close(line, end, *span, src);
            let mut pct = sum;
            if dec::gt(pct, Decimal::ONE) {
                st.add_end(rule!("裁量"), end, *span, src, |o| {
                    push!(o, "裁量百分值总和 ", Pct(pct), " 超过 100%，按 100% 计");
                });
                pct = Decimal::ONE;
            }
            for fl in floors {
                let applies = match &fl.when {
                    Some(w) => ctx.truth(w)? == Some(true),
                    None => true,
                };
                if applies && dec::lt(pct, fl.value) {
                    st.add(
                        rule!("裁量"),
                        fl.span,
                        fl.note.as_deref().unwrap_or(src),
                        |o| {
                            push!(
                                o,
                                "裁量百分值 ",
                                Pct(pct),
                                " 不足 ",
                                Pct(fl.value),
                                "，按 ",
                                Pct(fl.value),
                                " 计"
                            );
                        },
                    );
                    pct = fl.value;
                }
            }
            for c in caps {
                let applies = match &c.when {
                    Some(w) => ctx.truth(w)? == Some(true),
                    None => true,
                };
                if applies && dec::gt(pct, c.value) {
                    st.add(
                        rule!("裁量"),
                        c.span,
                        c.note.as_deref().unwrap_or(src),
                        |o| {
                            push!(
                                o,
                                "裁量百分值 ",
                                Pct(pct),
                                " 超过上限 ",
                                Pct(c.value),
                                "，按 ",
                                Pct(c.value),
                                " 计"
                            );
                        },
                    );
                    pct = c.value;
                }
            }
            let b = match base {
                Some(e) => ctx.dec(e)?.ok_or_else(|| EvalError::MissingFacts {
                    violation: String::new(),
                    facts: Vec::new(),
                })?,
                None => smax,
            };
            d.discretion_percent = Some(Percent::of_fraction(pct));
            if *within {
                let amount = add(smin, mul(pct, sub(smax, smin)?)?)?;
                st.add_end(rule!("裁量"), end, *span, src, |o| {
                    push!(
                        o,
                        "按幅度：罚款金额 = 法定最低额 ",
                        Yuan(smin),
                        " + ",
                        Pct(pct),
                        " × (法定最高额 ",
                        Yuan(smax),
                        " − 法定最低额) = ",
                        Yuan(amount)
                    );
                });
                return Ok((amount, amount, amount));
            }
            let amount = mul(pct, b)?;
            st.add_end(rule!("裁量"), end, *span, src, |o| {
                push!(o, "罚款金额 = ", Pct(pct), " × ");
                match base {
                    Some(_) => push!(o, Yuan(b)),
                    None => push!(o, "法定最高额 ", Yuan(smax)),
                }
                push!(o, " = ", Yuan(amount));
            });
            Ok((amount, amount, amount))
        }
        Some(DiscretionIr::Bands(bands, span)) => {
            let mut chosen: Option<&BandIr> = None;
            let mut default = None;
            // The lightest band whose condition the case leaves unknown (a fact it reads is
            // neither given nor defaulted).
            let mut open: Option<&BandIr> = None;
            for b in bands {
                match &b.when {
                    None => default = default.or(Some(b)),
                    Some(w) => match ctx.truth(w)? {
                        Some(true) => {
                            // Several tiers apply: the heavier one (Jiangmen 2020 art. 14).
                            if heavier(ctx, b, chosen, smin, smax)? {
                                chosen = Some(b);
                            }
                        }
                        Some(false) => {}
                        None => {
                            let lighter = match open {
                                None => true,
                                Some(o) => heavier(ctx, o, Some(b), smin, smax)?,
                            };
                            if lighter {
                                open = Some(b);
                            }
                        }
                    },
                }
            }
            // No band holds but some might: a factor that cannot be established takes its
            // lowest level (Guangdong art. 5, as `level_of` does for weighted tables), so
            // the lightest band that might hold, or the `其他` band if lighter. Only when
            // every band is ruled out does the violation have no band (art. 12's fallback).
            let other_lighter = match (chosen, open, default) {
                (None, Some(o), Some(f)) => heavier(ctx, o, Some(f), smin, smax)?,
                _ => false,
            };
            let (b, by_lowest) = match (chosen, open, default) {
                (Some(b), _, _) => (b, false),
                (None, Some(_), Some(f)) if other_lighter => (f, true),
                (None, Some(o), _) => (o, true),
                (None, None, Some(f)) => (f, false),
                (None, None, None) => return fallback(st, d, snap, smin, smax, *span),
            };
            if by_lowest {
                st.add(rule!("裁量"), b.span, src, |o| {
                    push!(
                        o,
                        "分档所需事实未查明，按可能适用的最低档次“",
                        &*b.name,
                        "”计算（裁量因素无法查明的，按最低档次）"
                    );
                });
            }
            let lo = band_low(ctx, b, smin, smax)?;
            let hi = band_end(ctx, &b.high, smin, smax)?;
            let mid = band_mid(lo, hi)?;
            d.severity = Some(&b.name);
            let at = bands.iter().position(|x| std::ptr::eq(x, b));
            // The whole line written at compile time, when these are the amounts it was
            // written for (those of the violation's range of literal amounts).
            let whole = match st.on {
                true => at
                    .and_then(|i| shared.bands.get(i)?.as_ref())
                    .filter(|w| w.is_for(lo, hi, mid)),
                false => None,
            };
            match whole {
                Some(w) => st.whole(&w.line),
                None => {
                    let end = texts.zip(at).and_then(|(t, i)| t.bands.get(i));
                    st.add_end(rule!("裁量"), end.map(|e| &**e), b.span, src, |o| {
                        push_band(o, &b.name, lo, hi, mid)
                    });
                }
            }
            Ok((lo, hi, mid))
        }
        None => fallback(st, d, snap, smin, smax, v.span),
    }
}

/// Whether band `b` starts above `than` (or `than` is none): of two bands that hold, the
/// heavier applies; of two that might, the lighter (`heavier(than, b)`).
fn heavier(
    ctx: &mut Ctx<'_>,
    b: &BandIr,
    than: Option<&BandIr>,
    smin: Decimal,
    smax: Decimal,
) -> Result<bool, EvalError> {
    Ok(match than {
        None => true,
        Some(c) => dec::gt(band_low(ctx, b, smin, smax)?, band_low(ctx, c, smin, smax)?),
    })
}

/// The amount `p` (a fraction) of the way from `smin` to `smax`: a band's end given as a
/// share of the statutory range.
fn band_at(p: Decimal, smin: Decimal, smax: Decimal) -> Result<Decimal, EvalError> {
    Ok(add(smin, mul(sub(smax, smin)?, p)?)?)
}

/// A band's middle, the amount it recommends.
fn band_mid(lo: Decimal, hi: Decimal) -> Result<Decimal, EvalError> {
    Ok(add(lo, hi)? / Decimal::TWO)
}

/// A band's amounts `(lo, hi, mid)` under `fine` when they do not depend on the case (a
/// range of literal amounts, the band's ends shares of it or literal amounts), computed as
/// [`discretion`] computes them: its 裁量 line is then written at compile time
/// ([`crate::lines::band_lines`]).
pub(crate) fn band_amounts(fine: &FineIr, b: &BandIr) -> Option<(Decimal, Decimal, Decimal)> {
    let (smin, smax) = match &fine.shape {
        ShapeIr::Bounds {
            min: CExpr::Lit(Value::Dec(min)),
            max: CExpr::Lit(Value::Dec(max)),
        } => (*min, *max),
        ShapeIr::MaxOnly {
            max: CExpr::Lit(Value::Dec(max)),
        } => (Decimal::ZERO, *max),
        _ => return None,
    };
    let end = |e: &BandEnd| match e {
        BandEnd::Percent(p) => band_at(*p, smin, smax).ok(),
        BandEnd::Amount(CExpr::Lit(Value::Dec(x))) => Some(*x),
        BandEnd::Amount(_) => None,
    };
    let (lo, hi) = (end(&b.low)?, end(&b.high)?);
    Some((lo, hi, band_mid(lo, hi).ok()?))
}

fn band_end(
    ctx: &mut Ctx<'_>,
    e: &BandEnd,
    smin: Decimal,
    smax: Decimal,
) -> Result<Decimal, EvalError> {
    match e {
        BandEnd::Percent(p) => band_at(*p, smin, smax),
        BandEnd::Amount(x) => ctx.dec(x)?.ok_or_else(|| EvalError::MissingFacts {
            violation: String::new(),
            facts: Vec::new(),
        }),
    }
}

fn band_low(
    ctx: &mut Ctx<'_>,
    b: &BandIr,
    smin: Decimal,
    smax: Decimal,
) -> Result<Decimal, EvalError> {
    band_end(ctx, &b.low, smin, smax)
}

/// No table: Guangdong art. 12 (middle of the range; 50% of a max-only fine).
fn fallback(
    st: &mut Step<'_>,
    _d: &mut Decision,
    snap: &Snapshot,
    smin: Decimal,
    smax: Decimal,
    span: cailiang_dsl::Span,
) -> Result<(Decimal, Decimal, Decimal), EvalError> {
    let (pos, basis, at) = match &snap.fallback {
        Some(f) => (f.ordinary, f.basis.as_str(), f.span),
        None => (Decimal::new(5, 1), "", span),
    };
    let rec = add(smin, mul(sub(smax, smin)?, pos)?)?;
    let end = snap
        .fallback
        .as_ref()
        .and(snap.shared.fallback_end.as_deref());
    st.add_end(rule!("缺省裁量"), end, at, basis, |o| {
        push!(
            o,
            "该违法行为无裁量表，一般情形取法定幅度的 ",
            Pct(pos),
            " 处：",
            Yuan(rec)
        );
    });
    Ok((smin, smax, rec))
}

/// Apply the adjustments (从轻, 减轻, 从重) that hold to `lo`, `hi` and `rec`, and give the
/// bounds the result must then keep to; `None` when none applied (nothing was changed, and the
/// bounds are the statutory range).
#[allow(clippy::too_many_arguments)]
fn adjustments<'rs>(
    ctx: &mut Ctx<'_>,
    st: &mut Step<'_>,
    d: &mut Decision<'rs>,
    v: &'rs ViolationIr,
    snap: &'rs Snapshot,
    smin: Decimal,
    smax: Decimal,
    lo: &mut Decimal,
    hi: &mut Decimal,
    rec: &mut Decimal,
) -> Result<Option<(Decimal, Decimal)>, EvalError> {
    let mut fired: Vec<&AdjustmentIr> = Vec::new();
    // Two loops, not a `chain` of the lists: its state was tested at every step.
    for list in [snap.adjustments.as_slice(), v.adjustments.as_slice()] {
        for a in list {
            let mut ok = true;
            for (c, _) in &a.when {
                if ctx.truth(c)? != Some(true) {
                    ok = false;
                    break;
                }
            }
            if !ok {
                continue;
            }
            // A rule that holds but excludes this violation (Guangdong art. 14's list):
            // said, so that the officer sees why the reduction asked for is not given.
            match a.excludes.iter().find(|(x, _)| *x == v.code) {
                Some((_, at)) => st.add(rule!("调整"), *at, &joined(&a.basis), |o| {
                    push!(
                        o,
                        a.label.as_ref().unwrap_or(&a.name),
                        "：不适用于违法行为 ",
                        &*v.code
                    );
                }),
                None => fired.push(a),
            }
        }
    }
    // An exception defeats the rules it names.
    if fired.iter().any(|a| !a.overrides.is_empty()) {
        let defeated: Vec<&String> = fired.iter().flat_map(|a| a.overrides.iter()).collect();
        fired.retain(|a| !defeated.contains(&&a.name));
    }
    if fired.is_empty() {
        return Ok(None);
    }
    let combine = fired
        .iter()
        .map(|a| a.combine)
        .find(|c| *c != Combine::Sequential)
        .unwrap_or(Combine::Sequential);
    let apply = |ctx: &mut Ctx<'_>,
                 a: &AdjustmentIr,
                 lo: Decimal,
                 hi: Decimal,
                 rec: Decimal|
     -> Result<(Decimal, Decimal, Decimal), EvalError> {
        let (nlo, nhi) = match &a.effect {
            EffectIr::LowerBy(x, y) => (
                mul(rec, sub(Decimal::ONE, *y)?)?,
                mul(rec, sub(Decimal::ONE, *x)?)?,
            ),
            EffectIr::RaiseBy(x, y) => (
                mul(rec, add(Decimal::ONE, *x)?)?,
                mul(rec, add(Decimal::ONE, *y)?)?,
            ),
            EffectIr::Minus(x, y) => {
                let (x, y) = (
                    ctx.dec(x)?.unwrap_or_default(),
                    ctx.dec(y)?.unwrap_or_default(),
                );
                (sub(rec, y)?, sub(rec, x)?)
            }
            EffectIr::Plus(x, y) => {
                let (x, y) = (
                    ctx.dec(x)?.unwrap_or_default(),
                    ctx.dec(y)?.unwrap_or_default(),
                );
                (add(rec, x)?, add(rec, y)?)
            }
            EffectIr::SetTo(x, y) => (ctx.dec(x)?.unwrap_or(lo), ctx.dec(y)?.unwrap_or(hi)),
            EffectIr::TakeLow => (lo, lo),
            EffectIr::TakeHigh => (hi, hi),
        };
        let (nlo, nhi) = (dec::min(nlo, nhi), dec::max(nlo, nhi));
        let p = match &a.recommend {
            Some(e) => ctx.dec(e)?.unwrap_or(Decimal::new(5, 1)),
            None => Decimal::new(5, 1),
        };
        let nrec = add(nlo, mul(sub(nhi, nlo)?, p)?)?;
        // 从轻 / 从重 stay inside the statutory range; 减轻 goes below the minimum.
        let (f, c) = if a.kind == AdjustKind::Reduce {
            (Decimal::ZERO, smin)
        } else {
            (smin, smax)
        };
        Ok((
            dec::clamp(nlo, f, c),
            dec::clamp(nhi, f, c),
            dec::clamp(nrec, f, c),
        ))
    };
    // The kind, its label, and the start of its explanation line.
    let describe = |a: &AdjustmentIr| -> (&'static str, &'static str, &'static str) {
        match a.kind {
            AdjustKind::Mitigate => ("mitigate", "从轻", rule!("从轻")),
            AdjustKind::Reduce => ("reduce", "减轻", rule!("减轻")),
            AdjustKind::Aggravate => ("aggravate", "从重", rule!("从重")),
        }
    };
    let chosen: Vec<&AdjustmentIr> = match combine {
        Combine::Sequential | Combine::OfficerChoice => fired.clone(),
        Combine::MostFavourable | Combine::Heaviest => {
            let mut best: Option<(&AdjustmentIr, Decimal)> = None;
            for a in &fired {
                let (_, _, r) = apply(ctx, a, *lo, *hi, *rec)?;
                let better = match best {
                    None => true,
                    Some((_, b)) => {
                        if combine == Combine::MostFavourable {
                            dec::lt(r, b)
                        } else {
                            dec::gt(r, b)
                        }
                    }
                };
                if better {
                    best = Some((a, r));
                }
            }
            best.map(|b| vec![b.0]).unwrap_or_default()
        }
    };
    let mut reduced = false;
    if combine == Combine::OfficerChoice
        && chosen.iter().any(|a| a.kind == AdjustKind::Aggravate)
        && chosen.iter().any(|a| a.kind != AdjustKind::Aggravate)
    {
        // 从重 and 从轻 together: show both directions, leave the choice to the officer.
        let (mut nlo, mut nhi) = (*lo, *hi);
        for a in &chosen {
            let (l, h, _) = apply(ctx, a, *lo, *hi, *rec)?;
            nlo = dec::min(nlo, l);
            nhi = dec::max(nhi, h);
            reduced |= a.kind == AdjustKind::Reduce;
            let (k, label, start) = describe(a);
            let basis = joined(&a.basis);
            st.add(start, a.span, &basis, |o| {
                push!(
                    o,
                    a.label.as_ref().unwrap_or(&a.name),
                    "：",
                    Yuan(l),
                    " 至 ",
                    Yuan(h)
                );
            });
            d.adjustments.push(AdjustmentRef {
                kind: k,
                label,
                reason: a.label.as_ref().unwrap_or(&a.name),
                basis,
            });
        }
        st.line(|o| {
            push!(
                o,
                "【并列】同时存在从重与从轻情节，由执法人员根据主要情节在 ",
                Yuan(nlo),
                " 至 ",
                Yuan(nhi),
                " 内裁量；建议值保持 ",
                Yuan(*rec)
            )
        });
        *lo = nlo;
        *hi = nhi;
        // Both directions are offered: 减轻 may go below the minimum, 从重 up to the maximum.
        let floor = if reduced { Decimal::ZERO } else { smin };
        return Ok(Some((floor, smax)));
    }
    for a in chosen {
        let before = *rec;
        let (l, h, r) = apply(ctx, a, *lo, *hi, *rec)?;
        *lo = l;
        *hi = h;
        *rec = r;
        reduced |= a.kind == AdjustKind::Reduce;
        let (k, label, start) = describe(a);
        let reason = a.label.as_ref().unwrap_or(&a.name);
        let basis = joined(&a.basis);
        st.add(start, a.span, &basis, |o| {
            push!(o, reason);
            push_conditions(o, &a.when, "（", "）");
            push!(
                o,
                "：",
                Yuan(before),
                " 调整为 ",
                Yuan(l),
                " 至 ",
                Yuan(h),
                "，建议 ",
                Yuan(r)
            );
        });
        d.adjustments.push(AdjustmentRef {
            kind: k,
            label,
            reason,
            basis,
        });
    }
    if combine != Combine::Sequential {
        st.line(|o| {
            push!(
                o,
                "【合并】多个调整情节按“",
                match combine {
                    Combine::MostFavourable => "择一从轻",
                    Combine::Heaviest => "择一从重",
                    _ => "依次",
                },
                "”合并"
            );
        });
    }
    Ok(Some(if reduced {
        (Decimal::ZERO, smin)
    } else {
        (smin, smax)
    }))
}

fn exemptions<'rs>(
    ctx: &mut Ctx<'_>,
    st: &mut Step<'_>,
    d: &mut Decision<'rs>,
    v: &'rs ViolationIr,
    snap: &'rs Snapshot,
) -> Result<Option<ExemptionRef<'rs>>, EvalError> {
    let all = snap.exemptions.len() + v.exemptions.len();
    let mut fired: Vec<&ExemptionIr> = Vec::new();
    // The rules that did not apply go straight into the decision (no list in between); the
    // ones another rule defeats are put before them below.
    let first = d.why_not.len();
    if st.on {
        reserve(&mut d.why_not, all);
    }
    // Two loops, not a `chain` of the lists (see `adjustments`).
    for list in [snap.exemptions.as_slice(), v.exemptions.as_slice()] {
        for e in list {
            let mut failed = None;
            for (c, text) in &e.when {
                match ctx.truth(c)? {
                    Some(true) => {}
                    Some(false) => {
                        failed = Some((text, "false"));
                        break;
                    }
                    None => {
                        failed = Some((text, "unknown"));
                        break;
                    }
                }
            }
            match failed {
                None => fired.push(e),
                // "Why not" is explanation: only collected when it is written.
                Some((t, s)) if st.on => d.why_not.push(WhyNot {
                    rule: &e.name,
                    failed: Cow::Borrowed(t),
                    status: s,
                }),
                Some(_) => {}
            }
        }
    }
    let defeated: Vec<&str> = if fired.iter().any(|e| !e.overrides.is_empty()) {
        fired
            .iter()
            .flat_map(|e| e.overrides.iter().map(String::as_str))
            .collect()
    } else {
        Vec::new()
    };
    let overridden = fired
        .iter()
        .filter(|e| st.on && defeated.contains(&&*e.name));
    for (at, e) in (first..).zip(overridden) {
        let by = fired
            .iter()
            .find(|x| x.overrides.iter().any(|o| *o == *e.name))
            .map(|x| &*x.name)
            .unwrap_or_default();
        d.why_not.insert(
            at,
            WhyNot {
                rule: &e.name,
                failed: Cow::Owned(text!("被“{by}”排除")),
                status: "overridden",
            },
        );
    }
    fired.retain(|e| !defeated.contains(&&*e.name));
    let pick = fired
        .iter()
        .find(|e| e.effect == ExemptionEffect::NoPenalty)
        .or_else(|| {
            fired
                .iter()
                .find(|e| e.effect == ExemptionEffect::MayExempt)
        });
    let Some(e) = pick else { return Ok(None) };
    let mandatory = e.effect == ExemptionEffect::NoPenalty;
    let label = match &e.label {
        Some(l) => {
            let mut label = String::with_capacity(e.name.len() + "：".len() + l.len());
            push!(&mut label, &e.name, "：", l);
            Cow::Owned(label)
        }
        None => Cow::Borrowed(&*e.name),
    };
    let basis = joined(&e.basis);
    st.add(
        if mandatory {
            rule!("不予处罚")
        } else {
            rule!("可以不予处罚")
        },
        e.span,
        &basis,
        |o| {
            push!(o, &*label, "；条件成立：");
            if e.when.is_empty() {
                push!(o, "无条件");
            } else {
                push_conditions(o, &e.when, "", "");
            }
        },
    );
    Ok(Some(ExemptionRef {
        kind: exemption_kind(&e.kind),
        mandatory,
        rule: label,
        basis,
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    proptest::proptest! {
        /// `expired` answers as comparing with `add_duration`'s deadline does, at the
        /// calendar's ends and for periods too long for it included.
        #[test]
        fn expired_agrees_with_the_deadline(
            start in -4_000_000i32..4_000_000,
            later in -2_000i32..2_000,
            far in proptest::bool::ANY,
            n in proptest::prop_oneof![0u32..40, proptest::num::u32::ANY],
            unit in proptest::sample::select(vec![DurationUnit::Days, DurationUnit::Months, DurationUnit::Years]),
        ) {
            let start = NaiveDate::from_num_days_from_ce_opt(start).unwrap();
            let days = if far { later * 2_000 } else { later };
            let found = NaiveDate::from_num_days_from_ce_opt(start.num_days_from_ce().saturating_add(days))
                .unwrap_or(NaiveDate::MAX);
            let want = add_duration(start, (n, unit)).is_some_and(|d| found > d);
            proptest::prop_assert_eq!(expired(start, (n, unit), found), want);
        }

        /// A pushed date is its `Display` text, years outside 0..=9999 included.
        #[test]
        fn pushed_dates_match_display(days in -4_000_000i32..4_000_000) {
            let date = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            let mut pushed = String::from("x");
            push!(&mut pushed, date);
            proptest::prop_assert_eq!(pushed, format!("x{date}"));
        }
    }

    /// Every shipped ruleset compiled under each of its names (the rule texts read from
    /// `rulesets/`, parents first).
    fn shipped() -> &'static [Ruleset] {
        static RS: std::sync::OnceLock<Vec<Ruleset>> = std::sync::OnceLock::new();
        RS.get_or_init(|| {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets");
            let sets: [&[&str]; 6] = [
                &["national"],
                &["national", "guangdong"],
                &["national", "guangdong", "jiangmen"],
                &["national", "hunan"],
                &["national", "neimenggu"],
                &["national", "positive-list"],
            ];
            let mut out = Vec::new();
            for dirs in sets {
                let mut sources = Vec::new();
                for d in dirs {
                    let mut paths: Vec<_> = std::fs::read_dir(root.join(d))
                        .unwrap()
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "rules"))
                        .collect();
                    paths.sort();
                    for p in paths {
                        let text = std::fs::read_to_string(&p).unwrap();
                        sources.push((p.display().to_string(), text));
                    }
                }
                let program = cailiang_dsl::load(sources).program.unwrap();
                let mut names: Vec<&str> =
                    program.get().rulesets.iter().map(|r| &*r.name).collect();
                names.dedup();
                for name in names {
                    out.push(Ruleset::compile(&program, Some(name)).unwrap());
                }
            }
            out
        })
    }

    /// Each shipped factor with a level table, with its table.
    fn tabled() -> Vec<(&'static FactorIr, &'static LevelTable)> {
        let mut out = Vec::new();
        for rs in shipped() {
            for snap in &rs.inner.snapshots {
                let mut with = |d: Option<&'static DiscretionIr>,
                                t: &'static [Option<LevelTable>]| {
                    if let Some(DiscretionIr::Additive { factors, .. }) = d {
                        assert_eq!(factors.len(), t.len());
                        for (f, t) in factors.iter().zip(t) {
                            if let Some(t) = t {
                                out.push((f, t));
                            }
                        }
                    }
                };
                for (v, sv) in snap.violations.iter().zip(&snap.shared.violations) {
                    with(v.discretion.as_ref(), &sv.levels);
                }
                with(
                    snap.general_table.as_ref().map(|g| &g.discretion),
                    &snap.shared.general_levels,
                );
            }
        }
        out
    }

    /// The table answers as testing every level does.
    fn agrees(f: &FactorIr, t: &LevelTable, v: &Value) -> Result<(), String> {
        let general = pick(f, Some(v), |_| Err(EvalError::Internal("当".into())));
        match t.lookup(v) {
            Some(x) if Ok(x) == general => Ok(()),
            found => Err(format!(
                "{} at {v:?}: table {found:?}, levels {general:?}",
                f.name
            )),
        }
    }

    /// The numbers each shipped numeric table is checked at besides random ones: every
    /// bound, and values just off it on either side.
    fn near_bounds(t: &LevelTable) -> Vec<Decimal> {
        let LevelTable::Numeric { points, .. } = t else {
            return Vec::new();
        };
        let offsets = [
            Decimal::ZERO,
            Decimal::ONE,
            Decimal::new(5, 1),
            Decimal::new(1, 3),
            Decimal::new(1, 20),
        ];
        let mut out = vec![Decimal::ZERO, Decimal::MIN, Decimal::MAX];
        for p in points {
            for o in offsets {
                out.extend(p.checked_add(o));
                out.extend(p.checked_sub(o));
            }
        }
        out
    }

    #[test]
    fn level_tables_agree_with_the_levels_on_every_shipped_factor() {
        let tables = tabled();
        // Guangdong alone has dozens of each kind: a table never built would pass unseen.
        for kind in ["Bool", "Enum", "Numeric"] {
            assert!(
                tables
                    .iter()
                    .any(|(_, t)| format!("{t:?}").starts_with(kind)),
                "no {kind} table"
            );
        }
        for (f, t) in tables {
            match t {
                LevelTable::Bool(_) => {
                    for b in [false, true] {
                        agrees(f, t, &Value::Bool(b)).unwrap();
                    }
                }
                LevelTable::Enum(e) => {
                    for i in 0..e.len() as u32 {
                        agrees(f, t, &Value::Enum(i)).unwrap();
                    }
                    // Out of range (never given): no answer, so the levels decide.
                    assert_eq!(t.lookup(&Value::Enum(e.len() as u32)), None);
                }
                LevelTable::Numeric { .. } => {
                    for x in near_bounds(t) {
                        agrees(f, t, &Value::Dec(x)).unwrap();
                    }
                }
            }
            assert_eq!(t.lookup(&Value::Text(String::new())), None);
        }
    }

    proptest::proptest! {
        /// Random numbers (any scale) read from every shipped numeric table as from the levels.
        #[test]
        fn numeric_level_tables_agree_at_random(m in proptest::num::i64::ANY, scale in 0u32..12) {
            let x = Decimal::new(m, scale);
            for (f, t) in tabled() {
                if matches!(t, LevelTable::Numeric { .. }) {
                    proptest::prop_assert_eq!(agrees(f, t, &Value::Dec(x)), Ok(()));
                }
            }
        }
    }

    /// Each band line written at compile time is written for the amounts the decision
    /// computes (else it would never be used), and is the line the general path writes
    /// for them (rule, text and a live-placed end).
    #[test]
    fn band_lines_are_the_general_paths() {
        let mut checked = 0;
        for rs in shipped() {
            let case = Case {
                codes: Vec::new(),
                occurred_on: NaiveDate::MIN,
                ended_on: None,
                discovered_on: None,
                decided_on: None,
                facts: Default::default(),
                daily: None,
            };
            for snap in &rs.inner.snapshots {
                for (v, sv) in snap.violations.iter().zip(&snap.shared.violations) {
                    let general = snap
                        .general_table
                        .as_ref()
                        .filter(|_| v.discretion.is_none());
                    let Some(DiscretionIr::Bands(bands, _)) =
                        v.discretion.as_ref().or(general.map(|g| &g.discretion))
                    else {
                        assert!(sv.bands.is_empty());
                        continue;
                    };
                    let src = match general {
                        Some(g) => g.basis.as_str(),
                        None => v.source.as_deref().unwrap_or(&sv.basis_joined),
                    };
                    let mut ctx = Ctx::new(rs.program(), &case);
                    let fine = v.fines.iter().find(|f| f.when.is_none()).unwrap();
                    for (b, w) in bands.iter().zip(&sv.bands) {
                        let Some(w) = w else { continue };
                        let (smin, smax, _) = statutory(&mut ctx, &fine.shape).unwrap();
                        let lo = band_low(&mut ctx, b, smin, smax).unwrap();
                        let hi = band_end(&mut ctx, &b.high, smin, smax).unwrap();
                        let mid = band_mid(lo, hi).unwrap();
                        assert!(w.is_for(lo, hi, mid), "{} {}", v.code, b.name);
                        let mut st = Step {
                            rs,
                            on: true,
                            lines: Vec::new(),
                            own_table: None,
                        };
                        st.add_end(rule!("裁量"), None, b.span, src, |o| {
                            push_band(o, &b.name, lo, hi, mid)
                        });
                        assert_eq!(st.lines, [&*w.line]);
                        checked += 1;
                    }
                }
            }
        }
        // Guangdong alone has hundreds: none checked means none written.
        assert!(checked > 300, "{checked}");
    }

    #[test]
    fn pushed_durations() {
        let mut out = String::new();
        push!(
            &mut out,
            Duration((2, DurationUnit::Years)),
            Duration((18, DurationUnit::Months)),
            Duration((90, DurationUnit::Days))
        );
        assert_eq!(out, "2年18个月90日");
    }
}
