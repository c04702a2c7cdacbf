//! The canonical JSON of a decision: exactly what `serde_json::to_string_pretty` writes
//! (two-space indent, `": "`, its escapes), written by hand. Through serde every field was
//! a generic call, every key and amount went through the string escaper, and strings were
//! scanned eight bytes at a time; here everything between two values (quotes, comma,
//! newline, indentation, key) is one literal, amounts go straight into one pre-sized
//! buffer, and a string is copied whole once a block scan finds nothing to escape (a
//! decision is mostly Chinese text, none of which is escaped).
//!
//! The contract is still the serde derive on the decision types: tests hold this writer to
//! serde_json's bytes on generated decisions and with every optional part present and
//! absent, and each struct is destructured without `..`, so a new field does not compile
//! until it is written here.

use crate::decision::{
    AdjustmentRef, Candidate, ChoiceOfLaw, ChoiceSide, Daily, Decision, ExemptionRef, FactorRef,
    Fine, Money, Outcome, Percent, Range, RulesetRef, ViolationRef, WhyNot,
};
use std::borrow::Cow;
use std::sync::Arc;

/// `decision` as serde_json's pretty JSON.
pub fn decision(decision: &Decision) -> String {
    let mut w = Pretty {
        out: String::with_capacity(estimate(decision)),
    };
    decision.write(&mut w);
    w.out
}

/// Bytes to reserve so the buffer rarely grows: the free text plus room for the keys,
/// indentation and amounts around it.
fn estimate(d: &Decision) -> usize {
    let texts = |v: &[String]| v.iter().fold(0usize, |n, s| n.saturating_add(s.len()));
    let reason = d.choice_of_law.as_ref().map_or(0, |c| c.reason.len());
    let elements = d.adjustments.len()
        + d.factors.len()
        + d.why_not.len()
        + d.candidates.as_ref().map_or(0, Vec::len);
    // Saturating: on wasm32 a usize is 32 bits.
    texts(&d.explanation)
        .saturating_add(reason)
        .saturating_add(elements.saturating_mul(192))
        .saturating_add(1024)
}

/// The output buffer. Every piece is a `push_str`, and each costs a capacity check and a
/// length update besides its bytes, so the writers below push as few pieces as they can:
/// everything known at compile time between two values (closing quote, comma, newline,
/// indentation, key, opening quote) is one literal.
struct Pretty {
    out: String,
}

impl Pretty {
    /// Append a literal. Inlined, a literal's copy is a few moves, not a `memcpy` call.
    #[inline(always)]
    fn raw(&mut self, s: &'static str) {
        self.out.push_str(s);
    }
}

/// Whether serde_json escapes this byte: `"`, `\` and control characters.
fn escaped(b: u8) -> bool {
    (b < 0x20) | (b == b'"') | (b == b'\\')
}

/// Bytes tested together: one SSE2 register (a plain loop on wasm32 without `simd128`).
const BLOCK: usize = 16;

/// Zero exactly for a byte serde_json escapes. `b ^ 2` swaps `"` (0x22) with the space
/// (0x20) and keeps control characters below 0x20, so control characters and `"` are the
/// bytes whose `(b ^ 2) - 0x20` saturates to zero; `\` is the one whose `b ^ '\\'` is. On
/// a block that is five SSE2 operations (`pxor psubusb pxor pminub`, and a `pcmpeqb` for
/// all the blocks tested together).
#[inline(always)]
fn escape_key(b: u8) -> u8 {
    (b ^ 2).saturating_sub(0x20).min(b ^ b'\\')
}

/// Whether any byte of `a` or `b` is escaped: their keys' minimum lane by lane, then one
/// comparison with zero and one mask for both. No early exit, so the loop is straight
/// vector code.
#[inline(always)]
fn dirty(a: &[u8; BLOCK], b: &[u8; BLOCK]) -> bool {
    let mut keys = [0u8; BLOCK];
    for ((key, &x), &y) in keys.iter_mut().zip(a).zip(b) {
        *key = escape_key(x).min(escape_key(y));
    }
    keys.iter().fold(false, |any, &k| any | (k == 0))
}

/// [`dirty`] for two pairs of blocks (which may overlap): four blocks, one mask.
#[inline(always)]
fn dirty_pairs(p: &[u8; 2 * BLOCK], q: &[u8; 2 * BLOCK]) -> bool {
    let (Some(a), Some(b), Some(c), Some(d)) = (
        p.first_chunk::<BLOCK>(),
        p.last_chunk::<BLOCK>(),
        q.first_chunk::<BLOCK>(),
        q.last_chunk::<BLOCK>(),
    ) else {
        return true;
    };
    let mut keys = [0u8; BLOCK];
    for ((((key, &w), &x), &y), &z) in keys.iter_mut().zip(a).zip(b).zip(c).zip(d) {
        *key = escape_key(w)
            .min(escape_key(x))
            .min(escape_key(y).min(escape_key(z)));
    }
    keys.iter().fold(false, |any, &k| any | (k == 0))
}

/// The high bit of each byte of `word` that is escaped (and maybe of bytes after it): zero
/// exactly when none is. The classic has-byte-less-than test on `word ^ 0x02…` (below
/// 0x21: control characters and `"`, as in [`escape_key`]) and has-zero-byte test on
/// `word ^ '\\'…`; a byte ≥ 0x80 never borrows, so it is never taken for escaped.
#[inline(always)]
fn escaped_in(word: u64) -> u64 {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let low = word ^ (ONES * 2);
    let backslash = word ^ (ONES * u64::from(b'\\'));
    ((low.wrapping_sub(ONES * 0x21) & !low) | (backslash.wrapping_sub(ONES) & !backslash))
        & (ONES * 0x80)
}

/// Whether any byte of `bytes` is escaped. Most strings of a decision are short: one up to
/// two blocks is tested as its first and last word or block (overlapping, so every byte is
/// in one), neither copied into a padded block (a `memcpy` call each) nor scanned byte by
/// byte; a longer one by [`long_needs_escape`].
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    let word = |b: Option<&[u8; 8]>| b.map_or(0, |b| u64::from_le_bytes(*b));
    let half = |b: Option<&[u8; 4]>| b.map_or(0, |b| u64::from(u32::from_le_bytes(*b)));
    match bytes.len() {
        0..=3 => bytes.iter().any(|&b| escaped(b)),
        4..=7 => escaped_in(half(bytes.first_chunk()) | half(bytes.last_chunk()) << 32) != 0,
        8..=16 => escaped_in(word(bytes.first_chunk())) | escaped_in(word(bytes.last_chunk())) != 0,
        // `match`, not `map_or`: through `map_or` the test was a call.
        17..=32 => match (bytes.first_chunk(), bytes.last_chunk()) {
            (Some(first), Some(last)) => dirty(first, last),
            _ => true,
        },
        _ => long_needs_escape(bytes),
    }
}

/// [`needs_escape`] for a string of more than two blocks: up to four as its first and last
/// two (overlapping), a longer one four blocks at a time, then its last four (some bytes
/// tested twice). Out of line: the short cases are inlined where strings are written, and
/// this would only make each copy larger.
#[inline(never)]
fn long_needs_escape(bytes: &[u8]) -> bool {
    if bytes.len() <= 4 * BLOCK {
        return match (bytes.first_chunk(), bytes.last_chunk()) {
            (Some(first), Some(last)) => dirty_pairs(first, last),
            _ => true,
        };
    }
    let mut quads = bytes.chunks_exact(4 * BLOCK);
    for quad in &mut quads {
        // `match`, not `map_or`: through `map_or` each test was a call.
        match <&[u8; 4 * BLOCK]>::try_from(quad) {
            Ok(quad) if !dirty_quad(quad) => {}
            _ => return true,
        }
    }
    match bytes.last_chunk() {
        Some(last) => dirty_quad(last),
        None => true,
    }
}

/// [`dirty_pairs`] on four consecutive blocks.
#[inline(always)]
fn dirty_quad(quad: &[u8; 4 * BLOCK]) -> bool {
    match (quad.first_chunk(), quad.last_chunk()) {
        (Some(p), Some(q)) => dirty_pairs(p, q),
        _ => true,
    }
}

/// Append `s` with serde_json's escapes: `\"`, `\\`, `\b \f \n \r \t`, other control
/// characters as `\u00XX` (lowercase hex); everything else, non-ASCII included, as is.
// Inlined where strings are written: the copy then works on the caller's registers.
// Measured: 280 fewer instructions per decision (of 9,200), 4 KB more code.
#[inline(always)]
fn escape_into(out: &mut String, s: &str) {
    if needs_escape(s.as_bytes()) {
        escape_slowly(out, s);
    } else {
        out.push_str(s);
    }
}

/// `escape_into` for a string that has something to escape: rare in a decision.
#[cold]
#[inline(never)]
fn escape_slowly(out: &mut String, s: &str) {
    let mut rest = s;
    loop {
        let at = rest.bytes().position(escaped).unwrap_or(rest.len());
        // Escaped bytes are ASCII, so `at` is on a character boundary.
        let Some((clean, tail)) = rest.split_at_checked(at) else {
            out.push_str(rest);
            return;
        };
        out.push_str(clean);
        let Some(&b) = tail.as_bytes().first() else {
            return;
        };
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let hex =
                    |nibble: u8| char::from(HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'));
                out.push_str("\\u00");
                out.push(hex(b >> 4));
                out.push(hex(b & 0xf));
            }
        }
        rest = tail.get(1..).unwrap_or_default();
    }
}

/// A value serde writes as a JSON string: what goes between its quotes.
trait Body {
    fn body(&self, w: &mut Pretty);
}

impl Body for str {
    #[inline]
    fn body(&self, w: &mut Pretty) {
        escape_into(&mut w.out, self);
    }
}

impl Body for String {
    #[inline]
    fn body(&self, w: &mut Pretty) {
        escape_into(&mut w.out, self);
    }
}

impl<T: Body + ?Sized> Body for Arc<T> {
    #[inline]
    fn body(&self, w: &mut Pretty) {
        (**self).body(w);
    }
}

impl Body for Cow<'_, str> {
    #[inline]
    fn body(&self, w: &mut Pretty) {
        escape_into(&mut w.out, self);
    }
}

impl<T: Body + ?Sized> Body for &T {
    #[inline]
    fn body(&self, w: &mut Pretty) {
        (**self).body(w);
    }
}

// Two-place strings have no character to escape.
impl Body for Money {
    #[inline]
    fn body(&self, w: &mut Pretty) {
        self.push_two_places(&mut w.out);
    }
}

impl Body for Percent {
    #[inline]
    fn body(&self, w: &mut Pretty) {
        self.push_two_places(&mut w.out);
    }
}

impl Body for Outcome {
    #[inline]
    fn body(&self, w: &mut Pretty) {
        // One literal per name (none has anything to escape), rather than a scan and a copy.
        match self {
            Outcome::Penalty => w.raw("penalty"),
            Outcome::NoPenalty => w.raw("no_penalty"),
            Outcome::MayExempt => w.raw("may_exempt"),
            Outcome::TimeBarred => w.raw("time_barred"),
        }
    }
}

/// A whole value as serde_json writes its `Serialize` form.
trait WriteJson {
    fn write(&self, w: &mut Pretty);
}

impl<T: Body + ?Sized> WriteJson for T {
    #[inline]
    fn write(&self, w: &mut Pretty) {
        w.raw("\"");
        self.body(w);
        w.raw("\"");
    }
}

impl WriteJson for bool {
    #[inline]
    fn write(&self, w: &mut Pretty) {
        // Two pushes of known length rather than one of either: no `memcpy` call.
        if *self {
            w.raw("true");
        } else {
            w.raw("false");
        }
    }
}

impl WriteJson for i64 {
    fn write(&self, w: &mut Pretty) {
        if *self < 0 {
            w.raw("-");
        }
        crate::money::push_integer(&mut w.out, self.unsigned_abs());
    }
}

impl<T: WriteJson> WriteJson for Option<T> {
    #[inline]
    fn write(&self, w: &mut Pretty) {
        match self {
            Some(x) => x.write(w),
            None => w.raw("null"),
        }
    }
}

/// An element of an array. Every array of a decision is a member of the decision itself, so
/// its elements are indented by four spaces and its closing bracket by two.
trait Element {
    /// The opening bracket, the first element's newline and indentation, and the opening
    /// quote of a string.
    const OPEN: &'static str;
    /// From the end of one element to the start of the next.
    const SEP: &'static str;
    /// From the end of the last element to the closing bracket.
    const CLOSE: &'static str;
    /// The element without what `OPEN` and `SEP` hold.
    fn element(&self, w: &mut Pretty);
}

impl<T: Body> Element for T {
    const OPEN: &'static str = "[\n    \"";
    const SEP: &'static str = "\",\n    \"";
    const CLOSE: &'static str = "\"\n  ]";
    #[inline]
    fn element(&self, w: &mut Pretty) {
        self.body(w);
    }
}

/// Objects as elements: `{` starts the element.
macro_rules! object_elements {
    ($($ty:ident)*) => {
        $(impl Element for $ty<'_> {
            const OPEN: &'static str = "[\n    ";
            const SEP: &'static str = ",\n    ";
            const CLOSE: &'static str = "\n  ]";
            #[inline]
            fn element(&self, w: &mut Pretty) {
                self.write(w);
            }
        })*
    };
}

object_elements!(AdjustmentRef FactorRef WhyNot Candidate);

impl<T: Element> WriteJson for [T] {
    #[inline]
    fn write(&self, w: &mut Pretty) {
        let Some((first, rest)) = self.split_first() else {
            w.raw("[]");
            return;
        };
        w.raw(T::OPEN);
        first.element(w);
        for x in rest {
            w.raw(T::SEP);
            x.element(w);
        }
        w.raw(T::CLOSE);
    }
}

impl<T: Element> WriteJson for &[T] {
    #[inline]
    fn write(&self, w: &mut Pretty) {
        (**self).write(w);
    }
}

impl<T: Element> WriteJson for Vec<T> {
    #[inline]
    fn write(&self, w: &mut Pretty) {
        self.as_slice().write(w);
    }
}

/// The members of an object, from its `{` to its `}`, each member's key and what surrounds
/// it one literal: the previous value's closing quote, the comma, the newline, the
/// indentation, the key and the value's opening quote. The state carried from member to
/// member: `$close`, what closes the previous value (its quote, or `{` before the first
/// member), and `$sep`, the comma (none before the first member).
///
/// Kinds: `str` — a string ([`Body`]), its quotes in the literals; `json` — any
/// [`WriteJson`] value; `with f` — written by `f(&field, w)`.
macro_rules! members {
    ($w:ident $close:literal $sep:literal $indent:literal $outer:literal;) => {
        $w.raw(concat!($close, "\n", $outer, "}"));
    };
    ($w:ident $close:literal $sep:literal $indent:literal $outer:literal;
     $field:ident: str, $($rest:tt)*) => {
        $w.raw(concat!($close, $sep, "\n", $indent, "\"", stringify!($field), "\": \""));
        Body::body($field, $w);
        members!($w "\"" "," $indent $outer; $($rest)*);
    };
    ($w:ident $close:literal $sep:literal $indent:literal $outer:literal;
     $field:ident: json, $($rest:tt)*) => {
        $w.raw(concat!($close, $sep, "\n", $indent, "\"", stringify!($field), "\": "));
        WriteJson::write($field, $w);
        members!($w "" "," $indent $outer; $($rest)*);
    };
    ($w:ident $close:literal $sep:literal $indent:literal $outer:literal;
     $field:ident: with $f:ident, $($rest:tt)*) => {
        $w.raw(concat!($close, $sep, "\n", $indent, "\"", stringify!($field), "\": "));
        $f($field, $w);
        members!($w "" "," $indent $outer; $($rest)*);
    };
}

/// A struct as a JSON object whose keys are its field names, in the order given (the
/// declaration order serde follows), its members indented by `$indent` and its closing
/// brace by `$outer`. Destructuring without `..` makes a field added to the struct but not
/// listed here a compile error. `impl` writes it as [`WriteJson`]; `fn name` as a function
/// (for a struct written at a second depth).
macro_rules! object {
    (impl $ty:ident $(<$lt:lifetime>)? at $indent:literal $outer:literal { $($field:ident: $kind:ident $($f:ident)?),+ $(,)? }) => {
        impl WriteJson for $ty$(<$lt>)? {
            fn write(&self, w: &mut Pretty) {
                let $ty { $($field),+ } = self;
                members!(w "{" "" $indent $outer; $($field: $kind $($f)?,)+);
            }
        }
    };
    (fn $name:ident($ty:ident) at $indent:literal $outer:literal { $($field:ident: $kind:ident $($f:ident)?),+ $(,)? }) => {
        fn $name(value: &$ty, w: &mut Pretty) {
            let $ty { $($field),+ } = value;
            members!(w "{" "" $indent $outer; $($field: $kind $($f)?,)+);
        }
    };
}

object!(impl Decision<'_> at "  " "" {
    violation: json,
    ruleset: json,
    outcome: str,
    exemption: json,
    statutory: json,
    fine: json,
    severity: json,
    discretion_percent: json,
    adjustments: json,
    measures: json,
    basis: json,
    explanation: json,
    factors: json,
    defaults_used: json,
    why_not: json,
    choice_of_law: json,
    candidates: json,
    daily: json,
    rounding: str,
    interim_rule: json,
});
object!(impl ViolationRef<'_> at "    " "  " { code: str, name: str });
object!(impl RulesetRef<'_> at "    " "  " { name: str, version: json });
object!(impl ExemptionRef<'_> at "    " "  " { kind: str, mandatory: json, rule: str, basis: str });
object!(impl Range at "    " "  " { min: str, max: str });
object!(impl Fine at "    " "  " { min: str, max: str, recommended: str });
object!(impl AdjustmentRef<'_> at "      " "    " { kind: str, label: str, reason: str, basis: str });
object!(impl FactorRef<'_> at "      " "    " { factor: str, level: str, weight: str, defaulted: json });
object!(impl WhyNot<'_> at "      " "    " { rule: str, failed: str, status: str });
object!(impl ChoiceOfLaw at "    " "  " {
    at_act: str,
    at_decision: str,
    applied: str,
    reason: str,
    basis: str,
    act: json,
    decision: json,
});
object!(impl ChoiceSide at "      " "    " {
    provision: str,
    outcome: str,
    statutory: with side_range,
    recommended: json,
});
object!(fn range_in_side(Range) at "        " "      " { min: str, max: str });
object!(impl Candidate<'_> at "      " "    " { code: str, outcome: str, recommended: json });
object!(impl Daily<'_> at "    " "  " { days: json, per_day: str, total: str, basis: str });

/// A side's statutory range, two levels deeper than the decision's.
fn side_range(range: &Option<Range>, w: &mut Pretty) {
    match range {
        Some(r) => range_in_side(r, w),
        None => w.raw("null"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rust_decimal::Decimal;

    fn text(s: &str) -> crate::decision::Text {
        Arc::from(s)
    }

    /// The measures and bases `full` borrows, as a ruleset holds them.
    fn texts(list: &[&str]) -> &'static [crate::decision::Text] {
        Box::leak(list.iter().map(|s| text(s)).collect())
    }

    /// A decision with every optional part present and every list non-empty, its strings
    /// holding characters serde_json escapes.
    fn full() -> Decision<'static> {
        let money = |m: i64| Money::yuan(Decimal::new(m, 2));
        let side = |o| ChoiceSide {
            provision: "《环境影响评价法》第三十一条".into(),
            outcome: o,
            statutory: Some(Range {
                min: money(-5),
                max: money(99_999_999_999),
            }),
            recommended: Some(money(12_345)),
        };
        Decision {
            violation: ViolationRef {
                code: "EIA-31-1",
                name: "未批先建 \"报告书\"",
            },
            ruleset: RulesetRef {
                name: "广东\\省",
                version: Some("2021"),
            },
            outcome: Outcome::MayExempt,
            exemption: Some(ExemptionRef {
                kind: "first_offense",
                mandatory: false,
                rule: "首违\t不罚".into(),
                basis: "第三十三条\u{1}".into(),
            }),
            statutory: Some(Range {
                min: money(0),
                max: money(100),
            }),
            fine: Some(Fine {
                min: money(1),
                max: money(10),
                recommended: money(7),
            }),
            severity: Some("较重"),
            discretion_percent: Some(Percent::of_fraction(Decimal::new(52, 2))),
            adjustments: vec![
                AdjustmentRef {
                    kind: "mitigate",
                    label: "从轻",
                    reason: "主动\r\n改正",
                    basis: "第三十二条".into(),
                };
                2
            ],
            measures: texts(&["责令停止建设", "恢复原状"]),
            basis: texts(&["第三十一条"]),
            explanation: vec!["一、\u{8}\u{c}\u{1f}".into(), String::new(), "x".repeat(70)],
            factors: vec![FactorRef {
                factor: "总投资额",
                level: "2000万元",
                weight: Percent::of_fraction(Decimal::new(-75, 4)),
                defaulted: true,
            }],
            defaults_used: vec!["建设情况"],
            why_not: vec![WhyNot {
                rule: "轻微",
                failed: "超标倍数 < 0.1".into(),
                status: "unknown",
            }],
            choice_of_law: Some(ChoiceOfLaw {
                at_act: "单行法".into(),
                at_decision: "法典".into(),
                applied: "act".into(),
                reason: "从旧兼从轻".into(),
                basis: "第三十七条".into(),
                act: Some(side(Outcome::Penalty)),
                decision: Some(side(Outcome::TimeBarred)),
            }),
            candidates: Some(vec![
                Candidate {
                    code: "EIA-31-1",
                    outcome: Outcome::NoPenalty,
                    recommended: None,
                },
                Candidate {
                    code: "EIA-31-2",
                    outcome: Outcome::Penalty,
                    recommended: Some(money(5_000_000)),
                },
            ]),
            daily: Some(Daily {
                days: -3,
                per_day: money(10_000),
                total: money(-30_000),
                basis: "第二十九条",
            }),
            rounding: "取整到元（四舍五入）",
            interim_rule: Some("待核"),
        }
    }

    #[test]
    fn writes_what_serde_json_writes_with_every_part_present() {
        let d = full();
        assert_eq!(decision(&d), serde_json::to_string_pretty(&d).unwrap());
    }

    #[test]
    fn writes_what_serde_json_writes_with_every_part_absent() {
        let mut d = full();
        d.ruleset.version = None;
        d.exemption = None;
        d.statutory = None;
        d.fine = None;
        d.severity = None;
        d.discretion_percent = None;
        d.adjustments.clear();
        d.measures = &[];
        d.basis = &[];
        d.explanation.clear();
        d.factors.clear();
        d.defaults_used.clear();
        d.why_not.clear();
        d.choice_of_law = None;
        d.candidates = Some(Vec::new());
        d.daily = None;
        d.interim_rule = None;
        assert_eq!(decision(&d), serde_json::to_string_pretty(&d).unwrap());
        d.candidates = None;
        let mut choice = full().choice_of_law.unwrap();
        choice.act = None;
        if let Some(side) = &mut choice.decision {
            side.statutory = None;
            side.recommended = None;
        }
        d.choice_of_law = Some(choice);
        assert_eq!(decision(&d), serde_json::to_string_pretty(&d).unwrap());
    }

    #[test]
    fn outcomes_have_their_serde_names() {
        for o in [
            Outcome::Penalty,
            Outcome::NoPenalty,
            Outcome::MayExempt,
            Outcome::TimeBarred,
        ] {
            assert_eq!(
                serde_json::to_string(&o).unwrap(),
                format!("\"{}\"", o.as_str())
            );
        }
    }

    #[test]
    fn escapes_every_ascii_character_as_serde_json_does() {
        let all: String = (0u8..0x80).map(char::from).collect();
        let mut out = String::new();
        escape_into(&mut out, &all);
        assert_eq!(format!("\"{out}\""), serde_json::to_string(&all).unwrap());
    }

    /// Every escaped byte (and its clean neighbours) at every position of every length up
    /// to three blocks, among ASCII or three-byte characters: each way `needs_escape`
    /// splits a string into words and blocks.
    #[test]
    fn escapes_each_byte_at_each_position_as_serde_json_does() {
        let specials = (0u8..0x20)
            .chain([b'!', b'"', b'#', b'[', b'\\', b']', 0x7f])
            .map(char::from)
            .chain(['\u{80}', 'é', '一', '龥', '\u{10ffff}']);
        for special in specials {
            for filler in ['a', '龥'] {
                for len in 1..=48 {
                    for at in 0..len {
                        let t: String = (0..len)
                            .map(|i| if i == at { special } else { filler })
                            .collect();
                        let mut out = String::new();
                        escape_into(&mut out, &t);
                        assert_eq!(format!("\"{out}\""), serde_json::to_string(&t).unwrap());
                    }
                }
            }
        }
    }

    /// Strategies for whole decisions: every optional part present or absent, every list
    /// empty or not, strings with and without escapes, amounts small and past a u64.
    mod gen {
        use super::*;
        use proptest::prelude::*;
        use proptest::{collection::vec, option::of};

        pub fn string() -> BoxedStrategy<String> {
            prop_oneof![
                "[a-z0-9 一-龥（）《》]{0,60}",
                "(?s).{0,24}",
                "[\\x00-\\x1f\"\\\\ a一]{0,40}",
            ]
            .boxed()
        }

        /// Text a decision borrows from its ruleset: leaked, as the decisions generated
        /// here outlive no ruleset (a few kilobytes a test).
        pub fn text() -> impl Strategy<Value = &'static str> {
            string().prop_map(|s| &*Box::leak(s.into_boxed_str()))
        }

        fn cow() -> impl Strategy<Value = Cow<'static, str>> {
            prop_oneof![
                string().prop_map(Cow::Owned),
                text().prop_map(Cow::Borrowed)
            ]
        }

        fn decimal() -> impl Strategy<Value = Decimal> {
            prop_oneof![
                (any::<i64>(), 0u32..5).prop_map(|(m, s)| Decimal::new(m, s)),
                (any::<i128>(), 0u32..29).prop_map(|(m, s)| {
                    Decimal::try_from_i128_with_scale(m % (1i128 << 96), s).unwrap_or_default()
                }),
            ]
        }

        fn money() -> impl Strategy<Value = Money> {
            decimal().prop_map(Money::yuan)
        }

        fn percent() -> impl Strategy<Value = Percent> {
            decimal().prop_map(Percent::of_fraction)
        }

        fn outcome() -> impl Strategy<Value = Outcome> {
            prop_oneof![
                Just(Outcome::Penalty),
                Just(Outcome::NoPenalty),
                Just(Outcome::MayExempt),
                Just(Outcome::TimeBarred),
            ]
        }

        fn range() -> impl Strategy<Value = Range> {
            (money(), money()).prop_map(|(min, max)| Range { min, max })
        }

        fn side() -> impl Strategy<Value = ChoiceSide> {
            (string(), outcome(), of(range()), of(money())).prop_map(
                |(provision, outcome, statutory, recommended)| ChoiceSide {
                    provision,
                    outcome,
                    statutory,
                    recommended,
                },
            )
        }

        fn choice() -> impl Strategy<Value = ChoiceOfLaw> {
            (
                (string(), string(), string(), string(), string()),
                of(side()),
                of(side()),
            )
                .prop_map(
                    |((at_act, at_decision, applied, reason, basis), act, decision)| ChoiceOfLaw {
                        at_act,
                        at_decision,
                        applied,
                        reason,
                        basis,
                        act,
                        decision,
                    },
                )
        }

        fn adjustment() -> impl Strategy<Value = AdjustmentRef<'static>> {
            (text(), text(), text(), cow()).prop_map(|(kind, label, reason, basis)| AdjustmentRef {
                kind,
                label,
                reason,
                basis,
            })
        }

        fn factor() -> impl Strategy<Value = FactorRef<'static>> {
            (text(), text(), percent(), any::<bool>()).prop_map(
                |(factor, level, weight, defaulted)| FactorRef {
                    factor,
                    level,
                    weight,
                    defaulted,
                },
            )
        }

        fn why_not() -> impl Strategy<Value = WhyNot<'static>> {
            let status =
                proptest::sample::select(vec!["false", "unknown", "overridden", "\"\u{1}"]);
            (text(), cow(), status).prop_map(|(rule, failed, status)| WhyNot {
                rule,
                failed,
                status,
            })
        }

        fn candidate() -> impl Strategy<Value = Candidate<'static>> {
            (text(), outcome(), of(money())).prop_map(|(code, outcome, recommended)| Candidate {
                code,
                outcome,
                recommended,
            })
        }

        fn daily() -> impl Strategy<Value = Daily<'static>> {
            (any::<i64>(), money(), money(), text()).prop_map(|(days, per_day, total, basis)| {
                Daily {
                    days,
                    per_day,
                    total,
                    basis,
                }
            })
        }

        fn texts() -> impl Strategy<Value = &'static [crate::decision::Text]> {
            vec(text(), 0..4).prop_map(|v| &*Box::leak(v.into_iter().map(Arc::from).collect()))
        }

        pub fn decision() -> impl Strategy<Value = Decision<'static>> {
            let head = (
                (text(), text()).prop_map(|(code, name)| ViolationRef { code, name }),
                (text(), of(text())).prop_map(|(name, version)| RulesetRef { name, version }),
                outcome(),
                of((text(), any::<bool>(), cow(), cow()).prop_map(
                    |(kind, mandatory, rule, basis)| ExemptionRef {
                        kind,
                        mandatory,
                        rule,
                        basis,
                    },
                )),
                of(range()),
                of(
                    (money(), money(), money()).prop_map(|(min, max, recommended)| Fine {
                        min,
                        max,
                        recommended,
                    }),
                ),
                of(text()),
                of(percent()),
            );
            let lists = (
                vec(adjustment(), 0..3),
                texts(),
                texts(),
                vec(string(), 0..4),
                vec(factor(), 0..4),
                vec(text(), 0..4),
                vec(why_not(), 0..4),
            );
            let tail = (
                of(choice()),
                of(vec(candidate(), 0..3)),
                of(daily()),
                text(),
                of(text()),
            );
            (head, lists, tail).prop_map(
                |(
                    (
                        violation,
                        ruleset,
                        outcome,
                        exemption,
                        statutory,
                        fine,
                        severity,
                        discretion_percent,
                    ),
                    (adjustments, measures, basis, explanation, factors, defaults_used, why_not),
                    (choice_of_law, candidates, daily, rounding, interim_rule),
                )| Decision {
                    violation,
                    ruleset,
                    outcome,
                    exemption,
                    statutory,
                    fine,
                    severity,
                    discretion_percent,
                    adjustments,
                    measures,
                    basis,
                    explanation,
                    factors,
                    defaults_used,
                    why_not,
                    choice_of_law,
                    candidates,
                    daily,
                    rounding,
                    interim_rule,
                },
            )
        }
    }

    proptest::proptest! {
        /// Any decision: the bytes serde_json writes for the serde derive.
        #[test]
        fn writes_what_serde_json_writes_for_any_decision(d in gen::decision()) {
            proptest::prop_assert_eq!(decision(&d), serde_json::to_string_pretty(&d).unwrap());
        }
    }

    proptest::proptest! {
        /// Text rich in escaped characters next to multi-byte ones, whose bytes are ≥ 0x80.
        #[test]
        fn escapes_dense_text_as_serde_json_does(
            s in "[\\x00-\\x1f\"\\\\ a\\x7f\\u{80}-\\u{7ff}一-龥\\u{10000}-\\u{10ffff}]{0,70}"
        ) {
            let mut out = String::new();
            escape_into(&mut out, &s);
            proptest::prop_assert_eq!(format!("\"{out}\""), serde_json::to_string(&s).unwrap());
        }

        /// Any text (control characters, quotes, backslashes, CJK) at every position
        /// relative to the scan's blocks.
        #[test]
        fn escapes_what_serde_json_escapes(s in "(?s).{0,80}", pad in "[a-z一-龥]{0,40}") {
            for t in [s.clone(), format!("{pad}{s}"), format!("{s}{pad}{s}")] {
                let mut out = String::new();
                escape_into(&mut out, &t);
                proptest::prop_assert_eq!(format!("\"{out}\""), serde_json::to_string(&t).unwrap());
            }
        }

        /// Amounts as serde writes them (`Money`'s `Serialize`), negative and large too.
        #[test]
        fn writes_amounts_as_serde_does(m in proptest::num::i64::ANY, scale in 0u32..6) {
            let mut d = full();
            let x = Money::yuan(Decimal::new(m, scale));
            d.fine = Some(Fine { min: x, max: x, recommended: x });
            d.discretion_percent = Some(Percent::of_fraction(Decimal::new(m, scale)));
            d.daily = d.daily.map(|daily| Daily { days: m, ..daily });
            proptest::prop_assert_eq!(decision(&d), serde_json::to_string_pretty(&d).unwrap());
        }
    }
}
