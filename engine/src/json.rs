//! The canonical JSON of a decision: exactly what `serde_json::to_string_pretty` writes
//! (two-space indent, `": "`, its escapes), written by hand. Through serde every field was
//! a generic call, every key and amount went through the string escaper, and strings were
//! scanned eight bytes at a time; here keys are literals, amounts go straight into one
//! pre-sized buffer, and a string is copied whole once a block scan finds nothing to
//! escape (a decision is mostly Chinese text, none of which is escaped).
//!
//! The contract is still the serde derive on the decision types: tests hold this writer to
//! serde_json's bytes with every optional part present and absent, and each struct is
//! destructured without `..`, so a new field does not compile until it is written here.

use crate::decision::{
    AdjustmentRef, Candidate, ChoiceOfLaw, ChoiceSide, Daily, Decision, ExemptionRef, FactorRef,
    Fine, Money, Outcome, Percent, Range, RulesetRef, ViolationRef, WhyNot,
};
use std::marker::PhantomData;
use std::sync::Arc;

/// `decision` as serde_json's pretty JSON.
pub fn decision(decision: &Decision) -> String {
    let mut w = Pretty {
        out: String::with_capacity(estimate(decision)),
    };
    decision.write::<Top>(&mut w);
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

/// A comma, a newline and indentation for up to 32 levels (serde_json's two spaces per
/// level): what starts every member and element but the first, which starts after the comma.
const COMMA_NEWLINE_INDENT: &str = concat!(
    ",\n",
    "                                ",
    "                                "
);

/// The nesting depth of what is being written, as a type: every indentation then has a
/// length known at compile time, and its copy is a few moves rather than a `memcpy` call —
/// indentation is a quarter of a decision's bytes, in a hundred short pieces.
trait Depth {
    const N: usize;
}

/// The decision itself.
struct Top;

/// One level inside `D`.
struct Inside<D>(PhantomData<D>);

impl Depth for Top {
    const N: usize = 0;
}

impl<D: Depth> Depth for Inside<D> {
    const N: usize = D::N + 1;
}

/// An output buffer with serde_json's pretty layout. Whether a member or element is the
/// first of its object or array is known where it is written (an object's first field, an
/// array's first element), so every separator is a copy of known length, not a test of a
/// flag and then two or three copies.
struct Pretty {
    out: String,
}

impl Pretty {
    /// A newline and the indentation of depth `D`, after a comma when `comma`.
    #[inline]
    fn newline<D: Depth>(&mut self, comma: bool) {
        match COMMA_NEWLINE_INDENT.get(usize::from(!comma)..2 + 2 * D::N) {
            Some(separator) => self.out.push_str(separator),
            None => {
                self.out.push_str(if comma { ",\n" } else { "\n" });
                for _ in 0..D::N {
                    self.out.push_str("  ");
                }
            }
        }
    }

    #[inline]
    fn string(&mut self, s: &str) {
        self.out.push('"');
        escape_into(&mut self.out, s);
        self.out.push('"');
    }
}

/// Whether serde_json escapes this byte: `"`, `\` and control characters.
fn escaped(b: u8) -> bool {
    (b < 0x20) | (b == b'"') | (b == b'\\')
}

/// Bytes tested together: one SSE2 register (a plain loop on wasm32 without `simd128`).
const BLOCK: usize = 16;

/// Whether any byte of the block is escaped. One minimum per byte that is zero exactly for
/// an escaped byte, and no early exit: that shape compiles to seven SSE2 operations, where
/// three comparisons or'ed together took twelve.
#[inline(always)]
fn dirty<const N: usize>(block: &[u8; N]) -> bool {
    block.iter().fold(false, |any, &b| {
        any | ((b ^ b'"').min(b ^ b'\\').min(b.saturating_sub(0x1f)) == 0)
    })
}

/// The high bit of each byte of `word` that is escaped (and maybe of bytes after it): zero
/// exactly when none is. The classic has-zero-byte and has-byte-less-than tests, on
/// `word ^ '"'`, `word ^ '\\'` and `word`; a byte ≥ 0x80 never borrows, so it is never
/// taken for escaped.
#[inline(always)]
fn escaped_in(word: u64) -> u64 {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let zero = |w: u64| w.wrapping_sub(ONES) & !w;
    (zero(quote) | zero(backslash) | (word.wrapping_sub(ONES * 0x20) & !word)) & (ONES * 0x80)
}

/// Whether any byte of `bytes` is escaped. Most strings of a decision are short; one under
/// a block is tested as its first and last word (overlapping, so every byte is in one),
/// neither copied into a padded block (a `memcpy` call each) nor scanned byte by byte.
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    let word = |b: Option<&[u8; 8]>| b.map_or(0, |b| u64::from_le_bytes(*b));
    let half = |b: Option<&[u8; 4]>| b.map_or(0, |b| u64::from(u32::from_le_bytes(*b)));
    match bytes.len() {
        0..=3 => bytes.iter().any(|&b| escaped(b)),
        4..=7 => escaped_in(half(bytes.first_chunk()) | half(bytes.last_chunk()) << 32) != 0,
        8..=15 => escaped_in(word(bytes.first_chunk())) | escaped_in(word(bytes.last_chunk())) != 0,
        _ => {
            // Two blocks per test: one branch and one mask for both.
            let mut pairs = bytes.chunks_exact(2 * BLOCK);
            for pair in &mut pairs {
                if <&[u8; 2 * BLOCK]>::try_from(pair).map_or(true, dirty) {
                    return true;
                }
            }
            // The rest: its first block if it has one, and the string's last block
            // (overlapping, so some bytes are tested twice).
            let rest = pairs.remainder();
            let last = match bytes.last_chunk::<BLOCK>() {
                Some(last) => dirty(last),
                None => true,
            };
            rest.first_chunk::<BLOCK>().is_some_and(dirty) || (!rest.is_empty() && last)
        }
    }
}

/// Append `s` with serde_json's escapes: `\"`, `\\`, `\b \f \n \r \t`, other control
/// characters as `\u00XX` (lowercase hex); everything else, non-ASCII included, as is.
#[inline]
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

/// A value written as serde_json writes its `Serialize` form, at depth `D`.
trait WriteJson {
    fn write<D: Depth>(&self, w: &mut Pretty);
}

impl WriteJson for str {
    fn write<D: Depth>(&self, w: &mut Pretty) {
        w.string(self);
    }
}

impl WriteJson for String {
    fn write<D: Depth>(&self, w: &mut Pretty) {
        w.string(self);
    }
}

impl WriteJson for bool {
    fn write<D: Depth>(&self, w: &mut Pretty) {
        // Two pushes of known length rather than one of either: no `memcpy` call.
        if *self {
            w.out.push_str("true");
        } else {
            w.out.push_str("false");
        }
    }
}

impl WriteJson for i64 {
    fn write<D: Depth>(&self, w: &mut Pretty) {
        use std::fmt::Write as _;
        let _ = write!(w.out, "{self}");
    }
}

// Two-place strings have no character to escape.
impl WriteJson for Money {
    fn write<D: Depth>(&self, w: &mut Pretty) {
        w.out.push('"');
        self.push_two_places(&mut w.out);
        w.out.push('"');
    }
}

impl WriteJson for Percent {
    fn write<D: Depth>(&self, w: &mut Pretty) {
        w.out.push('"');
        self.push_two_places(&mut w.out);
        w.out.push('"');
    }
}

impl WriteJson for Outcome {
    fn write<D: Depth>(&self, w: &mut Pretty) {
        w.string(self.as_str());
    }
}

impl<T: WriteJson + ?Sized> WriteJson for Arc<T> {
    fn write<D: Depth>(&self, w: &mut Pretty) {
        (**self).write::<D>(w);
    }
}

impl<T: WriteJson> WriteJson for Option<T> {
    fn write<D: Depth>(&self, w: &mut Pretty) {
        match self {
            Some(x) => x.write::<D>(w),
            None => w.out.push_str("null"),
        }
    }
}

impl<T: WriteJson> WriteJson for [T] {
    fn write<D: Depth>(&self, w: &mut Pretty) {
        let Some((first, rest)) = self.split_first() else {
            w.out.push_str("[]");
            return;
        };
        w.out.push('[');
        w.newline::<Inside<D>>(false);
        first.write::<Inside<D>>(w);
        for x in rest {
            w.newline::<Inside<D>>(true);
            x.write::<Inside<D>>(w);
        }
        w.newline::<D>(false);
        w.out.push(']');
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write<D: Depth>(&self, w: &mut Pretty) {
        self.as_slice().write::<D>(w);
    }
}

/// A struct as a JSON object whose keys are its field names, in the order given (the
/// declaration order serde follows). Destructuring without `..` makes a field added to the
/// struct but not listed here a compile error.
macro_rules! write_object {
    ($($ty:ident { $first:ident $(, $field:ident)* $(,)? })*) => {
        $(impl WriteJson for $ty {
            fn write<D: Depth>(&self, w: &mut Pretty) {
                let $ty { $first, $($field),* } = self;
                w.out.push('{');
                w.newline::<Inside<D>>(false);
                w.out.push_str(concat!("\"", stringify!($first), "\": "));
                $first.write::<Inside<D>>(w);
                $(
                    w.newline::<Inside<D>>(true);
                    w.out.push_str(concat!("\"", stringify!($field), "\": "));
                    $field.write::<Inside<D>>(w);
                )*
                w.newline::<D>(false);
                w.out.push('}');
            }
        })*
    };
}

write_object! {
    Decision {
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
    }
    ViolationRef { code, name }
    RulesetRef { name, version }
    ExemptionRef { kind, mandatory, rule, basis }
    Range { min, max }
    Fine { min, max, recommended }
    AdjustmentRef { kind, label, reason, basis }
    FactorRef { factor, level, weight, defaulted }
    WhyNot { rule, failed, status }
    ChoiceOfLaw { at_act, at_decision, applied, reason, basis, act, decision }
    ChoiceSide { provision, outcome, statutory, recommended }
    Candidate { code, outcome, recommended }
    Daily { days, per_day, total, basis }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rust_decimal::Decimal;

    fn text(s: &str) -> crate::decision::Text {
        Arc::from(s)
    }

    /// A decision with every optional part present and every list non-empty, its strings
    /// holding characters serde_json escapes.
    fn full() -> Decision {
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
                code: text("EIA-31-1"),
                name: text("未批先建 \"报告书\""),
            },
            ruleset: RulesetRef {
                name: text("广东\\省"),
                version: Some(text("2021")),
            },
            outcome: Outcome::MayExempt,
            exemption: Some(ExemptionRef {
                kind: "first_offense".into(),
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
            severity: Some("较重".into()),
            discretion_percent: Some(Percent::of_fraction(Decimal::new(52, 2))),
            adjustments: vec![
                AdjustmentRef {
                    kind: "mitigate".into(),
                    label: "从轻".into(),
                    reason: "主动\r\n改正".into(),
                    basis: "第三十二条".into(),
                };
                2
            ],
            measures: Arc::from([text("责令停止建设"), text("恢复原状")]),
            basis: Arc::from([text("第三十一条")]),
            explanation: vec!["一、\u{8}\u{c}\u{1f}".into(), String::new(), "x".repeat(70)],
            factors: vec![FactorRef {
                factor: "总投资额".into(),
                level: "2000万元".into(),
                weight: Percent::of_fraction(Decimal::new(-75, 4)),
                defaulted: true,
            }],
            defaults_used: vec![text("建设情况")],
            why_not: vec![WhyNot {
                rule: "轻微".into(),
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
                    code: text("EIA-31-1"),
                    outcome: Outcome::NoPenalty,
                    recommended: None,
                },
                Candidate {
                    code: text("EIA-31-2"),
                    outcome: Outcome::Penalty,
                    recommended: Some(money(5_000_000)),
                },
            ]),
            daily: Some(Daily {
                days: -3,
                per_day: money(10_000),
                total: money(-30_000),
                basis: "第二十九条".into(),
            }),
            rounding: text("取整到元（四舍五入）"),
            interim_rule: Some(text("待核")),
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
        d.measures = Arc::from([]);
        d.basis = Arc::from([]);
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
