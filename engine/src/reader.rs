//! The direct JSON case reader: the case text is walked once by a small scanner, names looked
//! up in the ruleset as they are read, with no `serde_json::Value` built and no serde at all
//! (serde_json's deserializer, driven by visitors, was half the cost of reading a case: with
//! `arbitrary_precision` every number came as an owned string inside a one-entry map).
//!
//! It is only a fast path. It takes what case systems send — a well-formed case that
//! validates — and declines (`None`) anything else: every error, and anything it would have
//! to judge differently from [`validate`](crate::case::validate) or is not sure of (duplicate
//! keys, keys the validation ignores, values of unexpected types, escapes in the strings it
//! reads, negative numbers, deep nesting). The caller then runs the full validation, so
//! errors are only ever written by one piece of code. What it accepts it must read exactly as
//! serde_json + `validate` do, JSON syntax included (no trailing commas, leading zeros,
//! control characters in strings, other white space); `tests/tests/reader.rs` compares the two
//! on tricky documents and on mutated cases.

use crate::case::{parse_date, settle, ten_byte_date, typed, Case, DailyInput, Facts, Raw, Read};
use crate::case::{MAX_CASE_BYTES, MAX_CODES};
use crate::ruleset::Ruleset;
use cailiang_dsl::ir::Ty;
use chrono::NaiveDate;
use std::borrow::Cow;

/// The case in `text`, if the fast path can read it; `None` means "run the full validation".
pub(crate) fn read(rs: &Ruleset, text: &str) -> Option<Case> {
    if text.len() > MAX_CASE_BYTES {
        return None;
    }
    let mut s = Scanner { text, pos: 0 };
    let read = s.case(rs)?;
    // Trailing text is a syntax error of the whole document.
    if s.peek().is_some() {
        return None;
    }
    settle(rs, read, Vec::new()).ok()
}

/// The keys of a case, one bit each (to refuse a key given twice: the value tree keeps the
/// last, and the fast path does not guess).
#[derive(Debug, Clone, Copy)]
enum Key {
    Violation = 1,
    OccurredOn = 1 << 1,
    EndedOn = 1 << 2,
    DiscoveredOn = 1 << 3,
    DecidedOn = 1 << 4,
    Facts = 1 << 5,
    Daily = 1 << 6,
    Expect = 1 << 7,
    Name = 1 << 8,
    Note = 1 << 9,
}

impl Key {
    /// A case key; `None` for any other (which `validate` reports).
    fn of(s: &str) -> Option<Key> {
        Some(match s {
            "violation" => Key::Violation,
            "occurred_on" => Key::OccurredOn,
            "ended_on" => Key::EndedOn,
            "discovered_on" => Key::DiscoveredOn,
            "decided_on" => Key::DecidedOn,
            "facts" => Key::Facts,
            "daily_penalty" => Key::Daily,
            "expect" => Key::Expect,
            "name" => Key::Name,
            "note" => Key::Note,
            _ => return None,
        })
    }
}

/// Keys serde_json's value tree gives a meaning of its own (`arbitrary_precision` reads an
/// object whose first key is `$serde_json::private::Number` as a number, and fails if its
/// value is not one): any object with such a key declines.
const PRIVATE_KEY: &str = "$serde_json::private::";

/// Nesting the scanner follows inside the values it skips (`expect`, `name`, `note`); deeper
/// declines. serde_json refuses 128 levels; this stays well inside that, so the scanner
/// never accepts what serde_json's limit refuses.
const MAX_DEPTH: u32 = 64;

/// A fact value as scanned: `null`, or what [`typed`] reads.
enum Scalar<'t> {
    Null,
    Bool(bool),
    /// Digits only that fit `u64` (serde_json reads those as integers).
    Int(u64),
    /// Any other non-negative number, as serde_json's `arbitrary_precision` keeps its text:
    /// verbatim, except that an exponent is written `e+`/`e-` (only then is it copied).
    Number(Cow<'t, str>),
    /// A string without escapes, borrowed from the text.
    Str(&'t str),
}

/// A cursor over the case text. Every method returns `None` to decline: on a syntax error, as
/// on anything the fast path leaves to `validate`.
struct Scanner<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Scanner<'t> {
    /// The next byte after JSON white space (serde_json's four), not consumed.
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Consume `b` (after white space).
    fn eat(&mut self, b: u8) -> Option<()> {
        if self.peek()? != b {
            return None;
        }
        self.pos += 1;
        Some(())
    }

    /// Consume the literal `word` if it is next (after white space); what follows it is
    /// judged by the caller (`nullx` fails there, as in serde_json).
    fn literal(&mut self, word: &str) -> bool {
        if self.peek().is_none() {
            return false;
        }
        let at = self.text.as_bytes().get(self.pos..);
        if at.is_some_and(|rest| rest.starts_with(word.as_bytes())) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    /// `null` if it is next.
    fn null(&mut self) -> bool {
        self.literal("null")
    }

    /// A string without escapes (after white space), borrowed from the text. A backslash
    /// declines (the rare string with escapes is left to serde_json, which unescapes it);
    /// a control character is a syntax error.
    fn string(&mut self) -> Option<&'t str> {
        self.eat(b'"')?;
        let start = self.pos;
        let end = self.plain_end()?;
        if self.text.as_bytes().get(end) != Some(&b'"') {
            return None;
        }
        self.pos = end + 1;
        // Both ends are next to an ASCII quote: char boundaries.
        self.text.get(start..end)
    }

    /// Where the run of string bytes from the cursor that need no second look (neither a
    /// quote, a backslash nor a control character) ends; the cursor does not move. `None` at
    /// the end of the text (an unterminated string).
    fn plain_end(&self) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut at = self.pos;
        // Words of eight bytes, two at a step while there are sixteen: the strings of a case
        // are mostly Chinese (three bytes a character), and a byte at a time was a quarter of
        // reading the benchmark case (2,400 of 10,000 instructions); reading it all took
        // 7,330 instructions with one word at a step, 6,860 with two.
        while let Some(w) = bytes.get(at..at + 16) {
            let lo = special_bytes(u64::from_le_bytes(*w.first_chunk::<8>()?));
            let hi = special_bytes(u64::from_le_bytes(*w.last_chunk::<8>()?));
            if lo | hi != 0 {
                // The lowest flagged byte is exact (see `special_bytes`).
                let (word, hit) = if lo != 0 { (at, lo) } else { (at + 8, hi) };
                return Some(word + (hit.trailing_zeros() / 8) as usize);
            }
            at += 16;
        }
        if let Some(w) = bytes.get(at..at + 8) {
            let hit = special_bytes(u64::from_le_bytes(*w.first_chunk::<8>()?));
            if hit != 0 {
                return Some(at + (hit.trailing_zeros() / 8) as usize);
            }
            at += 8;
        }
        while let Some(&b) = bytes.get(at) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                return Some(at);
            }
            at += 1;
        }
        None
    }

    /// Any string (after white space), escapes checked as serde_json checks them but not
    /// unescaped: for the values the case does not read. A `\u` escape of a surrogate
    /// (serde_json's rules for pairing them are its own) declines.
    fn skip_string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            self.pos = self.plain_end()?;
            let bytes = self.text.as_bytes();
            match bytes.get(self.pos)? {
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                b'\\' => {
                    let esc = *bytes.get(self.pos + 1)?;
                    self.pos += 2;
                    match esc {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                        b'u' => {
                            let hex = bytes.get(self.pos..self.pos + 4)?;
                            // Checked first: `from_str_radix` would also take a sign.
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            let n = u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                            if (0xD800..=0xDFFF).contains(&n) {
                                return None;
                            }
                            self.pos += 4;
                        }
                        _ => return None,
                    }
                }
                // A control character.
                _ => return None,
            }
        }
    }

    /// A JSON number (after white space): its text as serde_json's `arbitrary_precision`
    /// keeps it, and whether it has a fraction or an exponent.
    fn number(&mut self) -> Option<(Cow<'t, str>, bool)> {
        self.peek()?;
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let digits = |from: usize| {
            bytes
                .get(from..)
                .map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count())
        };
        let mut at = start;
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        // One leading zero, or digits from 1 to 9.
        match bytes.get(at)? {
            b'0' => at += 1,
            b'1'..=b'9' => at += digits(at),
            _ => return None,
        }
        if bytes.get(at).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let mut plain = true;
        if bytes.get(at) == Some(&b'.') {
            let n = digits(at + 1);
            if n == 0 {
                return None;
            }
            at += 1 + n;
            plain = false;
        }
        let mut normal = true;
        if let Some(b'e' | b'E') = bytes.get(at) {
            plain = false;
            normal = bytes.get(at) == Some(&b'e');
            at += 1;
            match bytes.get(at) {
                Some(b'+' | b'-') => at += 1,
                _ => normal = false,
            }
            let n = digits(at);
            if n == 0 {
                return None;
            }
            at += n;
        }
        let text = self.text.get(start..at)?;
        self.pos = at;
        let text = if normal {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(exponent_as_serde_json(text))
        };
        Some((text, !plain))
    }

    /// A fact's value (after white space). Negative numbers decline: `validate` refuses
    /// them, all but `-0`, which is too odd to be worth reading here.
    fn scalar(&mut self) -> Option<Scalar<'t>> {
        match self.peek()? {
            b'"' => self.string().map(Scalar::Str),
            b'n' => self.null().then_some(Scalar::Null),
            b't' => self.literal("true").then_some(Scalar::Bool(true)),
            b'f' => self.literal("false").then_some(Scalar::Bool(false)),
            b'0'..=b'9' => {
                let (text, fraction) = self.number()?;
                // What does not fit `u64` (20 digits or more) serde_json keeps as text.
                let int = if fraction { None } else { text.parse().ok() };
                Some(match int {
                    Some(n) => Scalar::Int(n),
                    None => Scalar::Number(text),
                })
            }
            _ => None,
        }
    }

    /// An object (after white space): `member` is called with each key, the cursor before
    /// its value, and must consume the value. Keys with escapes decline (see [`string`]).
    ///
    /// [`string`]: Scanner::string
    fn object(&mut self, mut member: impl FnMut(&mut Self, &'t str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            if key.starts_with(PRIVATE_KEY) {
                return None;
            }
            self.eat(b':')?;
            member(self, key)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// An array (after white space): `element` is called with the cursor before each
    /// element, and must consume it.
    fn array(&mut self, mut element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(());
        }
        loop {
            element(self)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Any JSON value, checked but not kept, `depth` containers deep.
    fn skip(&mut self, depth: u32) -> Option<()> {
        match self.peek()? {
            b'{' if depth < MAX_DEPTH => self.object(|s, _| s.skip(depth + 1)),
            b'[' if depth < MAX_DEPTH => self.array(|s| s.skip(depth + 1)),
            b'"' => self.skip_string(),
            b'n' => self.null().then_some(()),
            b't' => self.literal("true").then_some(()),
            b'f' => self.literal("false").then_some(()),
            b'-' | b'0'..=b'9' => self.number().map(|_| ()),
            _ => None,
        }
    }

    /// The case object.
    fn case(&mut self, rs: &Ruleset) -> Option<Read> {
        let mut read = Read::default();
        let mut seen = 0u16;
        self.object(|s, key| {
            let key = Key::of(key)?;
            let bit = key as u16;
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            match key {
                Key::Violation => read.codes = s.codes()?,
                // Null is "missing" (an error), as absent is.
                Key::OccurredOn => read.occurred_on = Some(s.date()??),
                Key::EndedOn => read.ended_on = s.date()?,
                Key::DiscoveredOn => read.discovered_on = s.date()?,
                Key::DecidedOn => read.decided_on = s.date()?,
                Key::Facts => read.facts = s.facts(rs)?,
                Key::Daily => read.daily = s.daily()?,
                // Not read by validation, but they must be what the value tree accepts.
                Key::Expect | Key::Name | Key::Note => s.skip(1)?,
            }
            Some(())
        })?;
        let required = Key::Violation as u16 | Key::OccurredOn as u16;
        if seen & required != required {
            return None;
        }
        // The date-order checks `validate` makes while reading.
        if let Some(occurred) = read.occurred_on {
            if read.ended_on.is_some_and(|d| d < occurred)
                || read.decided_on.is_some_and(|d| d < occurred)
            {
                return None;
            }
        }
        Some(read)
    }

    /// `violation`: one code, or 1–[`MAX_CODES`] codes.
    fn codes(&mut self) -> Option<Vec<String>> {
        if self.peek()? == b'"' {
            return Some(vec![self.string()?.to_owned()]);
        }
        let mut codes = Vec::new();
        self.array(|s| {
            if codes.len() == MAX_CODES {
                return None;
            }
            codes.push(s.string()?.to_owned());
            Some(())
        })?;
        (!codes.is_empty()).then_some(codes)
    }

    /// A date field: a `YYYY-MM-DD` string, or `null` (`Some(None)`).
    fn date(&mut self) -> Option<Option<NaiveDate>> {
        if self.null() {
            return Some(None);
        }
        // `"YYYY-MM-DD"`, what case systems send, read in place: a string with no escapes,
        // so the string `string` reads. Scanning it first was half of reading a date.
        let at = self.pos;
        if let Some((b'"', rest)) = self
            .text
            .as_bytes()
            .get(at..at + 12)
            .and_then(<[u8]>::split_first)
        {
            if let (Some(d), Some(b'"')) = (rest.get(..10).and_then(ten_byte_date), rest.get(10)) {
                self.pos = at + 12;
                return Some(Some(d));
            }
        }
        parse_date(self.string()?).ok().map(Some)
    }

    /// `daily_penalty`: `null`, or both dates, in order. Any other key declines
    /// (`validate` ignores them; the fast path does not judge that).
    fn daily(&mut self) -> Option<Option<DailyInput>> {
        if self.null() {
            return Some(None);
        }
        let (mut served, mut reinspected) = (None, None);
        self.object(|s, key| {
            let slot = match key {
                "served_on" => &mut served,
                "reinspected_on" => &mut reinspected,
                _ => return None,
            };
            if slot.is_some() {
                return None;
            }
            // A null date here is an error in `validate`.
            *slot = Some(s.date()??);
            Some(())
        })?;
        match (served, reinspected) {
            (Some(served_on), Some(reinspected_on)) if served_on < reinspected_on => {
                Some(Some(DailyInput {
                    served_on,
                    reinspected_on,
                }))
            }
            _ => None,
        }
    }

    /// `facts`: `null`, or an object of declared facts with values of their types.
    fn facts(&mut self, rs: &Ruleset) -> Option<Facts> {
        if self.null() {
            return Some(Facts::default());
        }
        // Room for the facts a usual case gives.
        let mut facts = Facts::with_capacity(8);
        // Facts given as null (not set, but a second key with the same name still declines).
        let mut nulls: Vec<u32> = Vec::new();
        self.object(|s, name| {
            let (id, ty) = rs.fact(name)?;
            if nulls.contains(&id) {
                return None;
            }
            // A fact given twice declines, whichever of its values is null.
            let fresh = match s.fact(rs, ty)? {
                Some(v) => facts.insert_new(id, v),
                None => {
                    nulls.push(id);
                    facts.get(id).is_none()
                }
            };
            fresh.then_some(())
        })?;
        Some(facts)
    }

    /// One fact value, the fact's type applied as `validate` applies it ([`typed`]);
    /// `Some(None)` for `null` (not given).
    fn fact(&mut self, rs: &Ruleset, ty: Ty) -> Option<Option<cailiang_dsl::ir::Value>> {
        let raw = match self.scalar()? {
            Scalar::Null => return Some(None),
            Scalar::Bool(b) => Raw::Bool(b),
            Scalar::Int(n) => Raw::Int(n),
            Scalar::Number(ref t) => return typed(rs, ty, Raw::Number(t)).ok().map(Some),
            Scalar::Str(s) => Raw::Str(s),
        };
        typed(rs, ty, raw).ok().map(Some)
    }
}

/// The high bit of each byte of `w` (little-endian) that is a quote, a backslash or a control
/// character, and possibly of bytes above the first such byte (a borrow runs upwards from
/// it), never of bytes below it: the lowest set bit is exact. The usual "has a zero byte"
/// test: `(x - 0x01…) & !x & 0x80…` flags bytes below 1, here bytes below 0x20 and the
/// bytes equal to `"` or `\` (zero after the XOR).
fn special_bytes(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES.wrapping_mul(n)) & !x;
    let quote = w ^ ONES.wrapping_mul(u64::from(b'"'));
    let backslash = w ^ ONES.wrapping_mul(u64::from(b'\\'));
    (below(quote, 1) | below(backslash, 1) | below(w, 0x20)) & HIGH
}

/// A number's text with its exponent written as serde_json's `arbitrary_precision` keeps it:
/// `e`, then always a sign (`1E5` → `1e+5`).
fn exponent_as_serde_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    let mut chars = text.chars();
    for c in chars.by_ref() {
        if c == 'e' || c == 'E' {
            out.push('e');
            break;
        }
        out.push(c);
    }
    let rest = chars.as_str();
    if !rest.starts_with(['+', '-']) {
        out.push('+');
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )]
    use super::*;
    use crate::case::{parse_json, validate};

    const RULES: &str = r#"
规则集 测试
  生效 2020-01-01
  边界 以下不含本数，以上含本数
事实 总投资额：金额
事实 违法次数：整数
事实 超标倍数：数值
事实 比例：百分比 默认 0%
事实 倍：倍数 默认 0
事实 改正：是否
事实 日：日期
事实 期：期间
事实 类别：｛甲类，乙类｝ 默认 甲类

违法行为 SHARE "比例" 依据 "环评法31" 罚款 总投资额 的 1% 至 5%
违法行为 TABLE "超标" 依据 "水法83" 按日连续处罚 依据 "环保法第五十九条"
  罚款 10万元 至 100万元
"#;

    fn rs() -> Ruleset {
        let out = cailiang_dsl::load(vec![("t.rules".into(), RULES.into())]);
        let p = out.program.expect("rules check");
        Ruleset::compile(&p, None).expect("compile")
    }

    /// The fast reader's answer, after checking that when it reads a case the full
    /// validation gives the same one (scale of every decimal included: `Debug` shows it).
    fn agree(rs: &Ruleset, text: &str) -> Option<Case> {
        let fast = read(rs, text);
        if let Some(c) = &fast {
            let old = parse_json(text).and_then(|j| validate(rs, &j));
            assert_eq!(old.as_ref(), Ok(c), "{text}");
            assert_eq!(
                format!("{old:?}"),
                format!("{:?}", Ok::<_, ()>(c)),
                "{text}"
            );
        }
        fast
    }

    fn with_fact(name: &str, value: &str) -> String {
        format!(
            r#"{{"violation":"SHARE","occurred_on":"2024-03-01","facts":{{"总投资额":"100万元","{name}":{value}}}}}"#
        )
    }

    /// The byte-at-a-time definition of what ends a plain run of string bytes.
    fn plain_end_slowly(text: &str, from: usize) -> Option<usize> {
        (from..text.len()).find(|&i| matches!(text.as_bytes()[i], b'"' | b'\\' | 0..=0x1f))
    }

    proptest::proptest! {
        /// Eight bytes at a step find what a byte at a time finds, wherever the run ends.
        #[test]
        fn plain_runs_end_where_they_do(s in "[a-z\x7f 长✓]{0,40}([\"\\\\\x00-\x1f][a-z长\"\\\\]{0,10})?", from in 0usize..8) {
            let from = (0..=from.min(s.len())).rev().find(|&i| s.is_char_boundary(i)).unwrap();
            let sc = Scanner { text: &s, pos: from };
            proptest::prop_assert_eq!(sc.plain_end(), plain_end_slowly(&s, from));
        }

        /// A number is taken exactly when serde_json takes it, and its text is the text
        /// serde_json's `arbitrary_precision` keeps.
        #[test]
        fn numbers_scan_as_serde_json_reads_them(
            s in "-?[0-9]{0,3}(\\.[0-9]{0,3})?([eE][+-]?[0-9]{0,3})?|[-+.eE0-9]{1,6}"
        ) {
            let mut sc = Scanner { text: &s, pos: 0 };
            let ours = sc.number().filter(|_| sc.peek().is_none());
            let theirs = serde_json::from_str::<serde_json::Value>(&s).ok();
            match (ours, theirs) {
                (Some((text, _)), Some(serde_json::Value::Number(n))) => {
                    proptest::prop_assert_eq!(text.into_owned(), n.to_string());
                }
                (None, None) => {}
                (ours, theirs) => proptest::prop_assert!(false, "{s}: {ours:?} / {theirs:?}"),
            }
        }

        /// What the scanner skips as a whole document is JSON to serde_json (the converse
        /// need not hold: escapes of surrogates and deep nesting decline).
        #[test]
        fn skipped_values_are_json(
            s in "[ \t\n\r\x0c{}\\[\\],:\"\\\\/ubnrtfalsenul0-9.eE+\\-$a\x01]{0,24}"
        ) {
            let mut sc = Scanner { text: &s, pos: 0 };
            if sc.skip(1).is_some() && sc.peek().is_none() {
                proptest::prop_assert!(serde_json::from_str::<serde_json::Value>(&s).is_ok(), "{}", s);
            }
        }
    }

    #[test]
    fn skips_what_serde_json_reads() {
        for (text, taken) in [
            ("{}", true),
            ("[]", true),
            (
                " [ 1 , -2.5e-3 , true , false , null , \"x\" , { \"a\" : [ ] } ] ",
                true,
            ),
            (r#""\" \\ \/ \b \f \n \r \t \u00e5 \uFFFF""#, true),
            (r#""\ud800\udc00""#, false),
            (r#""\udc00""#, false),
            (r#""\u12""#, false),
            (r#""\u+123""#, false),
            (r#""\x""#, false),
            ("\"\u{1}\"", false),
            ("\"\t\"", false),
            ("\"\u{7f}\"", true),
            ("[1,]", false),
            ("{\"a\":1,}", false),
            ("{\"a\" 1}", false),
            ("{a:1}", false),
            ("[01]", false),
            ("[1.]", false),
            ("[.5]", false),
            ("[-]", false),
            ("[1e]", false),
            ("[+1]", false),
            ("[nul]", false),
            ("[nulll]", false),
            ("[True]", false),
            ("\u{c}[]", false),
            (r#"{"$serde_json::private::Number":"1"}"#, false),
            (r#"{"a":{"$serde_json::private::RawValue":"1"}}"#, false),
            (&format!("{}{}", "[".repeat(63), "]".repeat(63)), true),
            (&format!("{}{}", "[".repeat(64), "]".repeat(64)), false),
        ] {
            let mut sc = Scanner { text, pos: 0 };
            let ours = sc.skip(1).is_some() && sc.peek().is_none();
            assert_eq!(ours, taken, "{text}");
            if ours {
                assert!(
                    serde_json::from_str::<serde_json::Value>(text).is_ok(),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn takes_a_usual_case() {
        let rs = rs();
        let text = r#" {"name":"例","violation":["SHARE","TABLE"],"occurred_on":"2024-03-01",
            "ended_on":null,"decided_on":"2024-06-01","note":{"a":[1,2.5,null]},
            "facts":{"总投资额":"2000万元","违法次数":3,"超标倍数":2.50,"比例":"5%","倍":1e1,
                     "改正":"是","日":"2024-01-02","类别":"乙类","期":null},
            "daily_penalty":{"served_on":"2024-04-01","reinspected_on":"2024-05-01"},
            "expect":{"outcome":"penalty"}} "#;
        let case = agree(&rs, text).expect("read");
        assert_eq!(case.codes, ["SHARE", "TABLE"]);
        assert!(case.daily.is_some());
        // A number with a fraction is read from its text.
        let (id, _) = rs.fact("超标倍数").unwrap();
        assert_eq!(format!("{:?}", case.facts.get(id)), "Some(Dec(2.50))");
    }

    #[test]
    fn reads_numbers_as_validate_does() {
        let rs = rs();
        let numbers = [
            "0",
            "-0",
            "0.0",
            "-0.0",
            "1.50",
            "100",
            "1e3",
            "1E3",
            "1e+3",
            "1e-2",
            "1.5E-1",
            "2.5e2",
            "0e0",
            "-1",
            "-1.5",
            "-1e3",
            "1e400",
            "1e-400",
            "1e28",
            "1e29",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999999999",
            "79228162514264337593543950335",
            "79228162514264337593543950336",
            "0.0000000000000000000000000001",
            "0.00000000000000000000000000001",
            "1.0000000000000000000000000001",
            "12345678901234567890.123456789",
        ];
        let strings = [
            "\"5\"",
            "\" 5 \"",
            "\"5%\"",
            "\"5％\"",
            "\"5 %\"",
            "\"10万元\"",
            "\"1.5亿元\"",
            "\"3元\"",
            "\"2倍\"",
            "\"1e3\"",
            "\"-0\"",
            "\"+5\"",
            "\"5.\"",
            "\".5\"",
            "\"\"",
            "\"abc\"",
            "\"0x10\"",
            "\"1_000\"",
            "true",
            "null",
            "[]",
            "{}",
            "\"是\"",
            "\"否\"",
            "\"true\"",
            "\"甲类\"",
            "\"丙类\"",
            "\"2024-01-02\"",
            "\"2024-1-2\"",
            r#"{"$serde_json::private::Number":"12"}"#,
            r#"{"$serde_json::private::Number":"1.5"}"#,
            r#"{"$serde_json::private::Number":12}"#,
            r#"{"$serde_json::private::Number":"x"}"#,
        ];
        let mut taken = 0;
        for name in [
            "违法次数",
            "超标倍数",
            "比例",
            "倍",
            "总投资额",
            "改正",
            "日",
            "期",
            "类别",
        ] {
            for v in numbers.iter().chain(strings.iter()) {
                if agree(&rs, &with_fact(name, v)).is_some() {
                    taken += 1;
                }
            }
        }
        assert!(taken > 100, "only {taken} read");
    }

    #[test]
    fn declines_what_it_does_not_judge() {
        let rs = rs();
        let base = r#""violation":"SHARE","occurred_on":"2024-03-01""#;
        let facts = r#""facts":{"总投资额":"100万元"}"#;
        assert!(agree(&rs, &format!("{{{base},{facts}}}")).is_some());
        for text in [
            // Duplicate keys: the value tree keeps the last.
            format!(r#"{{{base},{facts},"violation":"TABLE"}}"#),
            format!(r#"{{{base},{facts},"name":1,"name":2}}"#),
            format!(r#"{{{base},"facts":{{"总投资额":"100万元","总投资额":"200万元"}}}}"#),
            format!(r#"{{{base},"facts":{{"总投资额":"100万元","比例":null,"比例":5}}}}"#),
            format!(r#"{{{base},"facts":{{"总投资额":"100万元","比例":5,"比例":null}}}}"#),
            format!(r#"{{{base},{facts},"facts":null}}"#),
            // Errors of every kind.
            format!(r#"{{{base},{facts},"other":1}}"#),
            format!(r#"{{{base},"facts":{{"总投资额":"100万元","未知":1}}}}"#),
            format!(r#"{{{base},"facts":{{"总投资额":-1}}}}"#),
            format!(r#"{{{base},"facts":{{"总投资额":"很多"}}}}"#),
            format!(r#"{{{base},"facts":{{}}}}"#),
            format!(r#"{{{base},"facts":[]}}"#),
            format!(r#"{{"violation":"SHARE",{facts}}}"#),
            format!(r#"{{"violation":"SHARE","occurred_on":null,{facts}}}"#),
            format!(r#"{{"violation":"SHARE","occurred_on":"2024-02-30",{facts}}}"#),
            format!(r#"{{"violation":"SHARE","occurred_on":"2019-02-01",{facts}}}"#),
            format!(r#"{{"occurred_on":"2024-03-01",{facts}}}"#),
            format!(r#"{{"violation":[],"occurred_on":"2024-03-01",{facts}}}"#),
            format!(r#"{{"violation":["SHARE",1],"occurred_on":"2024-03-01",{facts}}}"#),
            format!(
                r#"{{"violation":["SHARE"{}],"occurred_on":"2024-03-01",{facts}}}"#,
                r#","SHARE""#.repeat(16)
            ),
            format!(r#"{{"violation":"NONE","occurred_on":"2024-03-01",{facts}}}"#),
            format!(r#"{{{base},{facts},"ended_on":"2024-02-01"}}"#),
            format!(r#"{{{base},{facts},"decided_on":"2024-02-01"}}"#),
            format!(r#"{{{base},{facts},"decided_on":5}}"#),
            format!(r#"{{{base},{facts},"daily_penalty":{{"served_on":"2024-04-01"}}}}"#),
            format!(
                r#"{{{base},{facts},"daily_penalty":{{"served_on":"2024-04-01","reinspected_on":"2024-04-01"}}}}"#
            ),
            format!(
                r#"{{{base},{facts},"daily_penalty":{{"served_on":"2024-04-01","reinspected_on":"2024-05-01","x":1}}}}"#
            ),
            format!(
                r#"{{{base},{facts},"daily_penalty":{{"served_on":null,"reinspected_on":"2024-05-01"}}}}"#
            ),
            format!(r#"{{{base},{facts},"daily_penalty":[]}}"#),
            format!(
                r#"{{{base},{facts},"expect":{}}}"#,
                "[".repeat(200) + &"]".repeat(200)
            ),
            format!(r#"{{{base},{facts}}} x"#),
            format!(r#"{{{base},{facts}"#),
            format!(
                r#"{{{base},{facts},"note":"{}"}}"#,
                "长".repeat(crate::case::MAX_CASE_BYTES / 3)
            ),
            "[]".into(),
            "null".into(),
            String::new(),
        ] {
            assert!(
                agree(&rs, &text).is_none(),
                "read: {}",
                text.chars().take(200).collect::<String>()
            );
        }
    }
}
