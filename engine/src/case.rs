//! Case input (JSON or YAML, design.md §5) and its validation against a ruleset. Every
//! problem is reported at once, each naming its field.

use crate::ruleset::Ruleset;
use cailiang_dsl::check::suggest;
use cailiang_dsl::ir::{Ty, Value};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::str::FromStr;

/// Largest case document accepted (bytes).
pub const MAX_CASE_BYTES: usize = 1024 * 1024;
/// Most candidate violation codes in one case.
pub const MAX_CODES: usize = 16;

/// One problem with a case. Messages are Chinese and name the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    /// Not valid JSON/YAML.
    #[error("案件格式错误（第 {line} 行第 {column} 列）：{message}")]
    Syntax {
        /// Parser message.
        message: String,
        /// Line.
        line: usize,
        /// Column.
        column: usize,
    },
    /// Larger than [`MAX_CASE_BYTES`].
    #[error("案件数据过大（{size} 字节，上限 {limit} 字节）")]
    TooLarge {
        /// Size.
        size: usize,
        /// Limit.
        limit: usize,
    },
    /// A required field is absent.
    #[error("缺少字段 {field}")]
    MissingField {
        /// Field path.
        field: String,
    },
    /// A field of the wrong JSON type or unparsable value.
    #[error("字段 {field} 应为{expected}，实际为 {found}")]
    WrongType {
        /// Field path.
        field: String,
        /// Expected.
        expected: String,
        /// What was given.
        found: String,
    },
    /// A field the contract does not know.
    #[error("未知字段 {field}")]
    UnknownField {
        /// Field path.
        field: String,
    },
    /// A fact the ruleset does not declare.
    #[error("未知事实 facts.{name}{}", suggestion.as_ref().map(|s| format!("（是否想写“{s}”？）")).unwrap_or_default())]
    UnknownFact {
        /// Name.
        name: String,
        /// Closest declared fact.
        suggestion: Option<String>,
    },
    /// An enum value that is not a variant.
    #[error("facts.{fact} 的取值“{value}”不在可选范围内（可选：{allowed}）")]
    UnknownVariant {
        /// Fact.
        fact: String,
        /// Given.
        value: String,
        /// Allowed values.
        allowed: String,
    },
    /// A violation code not in the catalogue.
    #[error("未知违法行为代码 {code}{}", suggestion.as_ref().map(|s| format!("（是否想写“{s}”？）")).unwrap_or_default())]
    UnknownViolation {
        /// Code.
        code: String,
        /// Closest code.
        suggestion: Option<String>,
    },
    /// A fact the statutory range needs, without a default.
    #[error("违法行为 {violation} 需要事实 facts.{fact}（{label}），案件未提供")]
    MissingFact {
        /// Violation code.
        violation: String,
        /// Fact.
        fact: String,
        /// Its label and type.
        label: String,
    },
    /// No version of the ruleset is in force on a date.
    #[error("{field} = {date} 时没有生效的规则集版本")]
    NotInForce {
        /// Which date field.
        field: String,
        /// The date.
        date: NaiveDate,
    },
    /// Dates in an impossible order.
    #[error("{later} 早于 {earlier}")]
    DateOrder {
        /// The earlier field.
        earlier: String,
        /// The later field.
        later: String,
    },
    /// The code exists in some version, but neither in the one at the act nor the one at
    /// the decision (a provision added later, or repealed earlier).
    #[error("违法行为 {code} 在 {date} 生效的版本中不存在（该编码生效期间：{periods}）")]
    CodeNotInForce {
        /// Code.
        code: String,
        /// The act's date (its last day, for a continuing act).
        date: NaiveDate,
        /// Periods in which the code exists.
        periods: String,
    },
}

impl CaseError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            CaseError::Syntax { .. } => "C0001",
            CaseError::TooLarge { .. } => "C0002",
            CaseError::MissingField { .. } => "C0101",
            CaseError::WrongType { .. } => "C0102",
            CaseError::UnknownField { .. } => "C0103",
            CaseError::UnknownFact { .. } => "C0104",
            CaseError::UnknownVariant { .. } => "C0105",
            CaseError::UnknownViolation { .. } => "C0106",
            CaseError::MissingFact { .. } => "C0107",
            CaseError::NotInForce { .. } => "C0108",
            CaseError::DateOrder { .. } => "C0109",
            CaseError::CodeNotInForce { .. } => "C0110",
        }
    }

    /// The field the error is about (JSON path), if any.
    pub fn field(&self) -> Option<String> {
        match self {
            CaseError::MissingField { field }
            | CaseError::WrongType { field, .. }
            | CaseError::UnknownField { field } => Some(field.clone()),
            CaseError::UnknownFact { name, .. } => Some(format!("facts.{name}")),
            CaseError::UnknownVariant { fact, .. } | CaseError::MissingFact { fact, .. } => {
                Some(format!("facts.{fact}"))
            }
            CaseError::UnknownViolation { .. } | CaseError::CodeNotInForce { .. } => {
                Some("violation".into())
            }
            CaseError::NotInForce { field, .. } => Some(field.clone()),
            CaseError::DateOrder { later, .. } => Some(later.clone()),
            _ => None,
        }
    }
}

/// Continuing daily fine input (按日连续处罚办法 arts. 17–19).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyInput {
    /// 责令改正违法行为决定书送达之日.
    pub served_on: NaiveDate,
    /// 复查发现违法排放污染物行为之日.
    pub reinspected_on: NaiveDate,
}

/// The facts a case gives, typed, by the ruleset's fact ids: sorted and sparse. A case gives
/// a handful of a ruleset's hundreds of facts, and a table with a slot for every fact cost
/// more to fill and drop than deciding the case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts(Vec<(u32, Value)>);

impl Facts {
    /// The value given for fact `id`.
    pub fn get(&self, id: u32) -> Option<&Value> {
        // A case gives a handful of facts: walking them beats the three or four dependent
        // steps of a binary search (measured ~20 instructions a read).
        if self.0.len() <= 8 {
            return self.0.iter().find(|(i, _)| *i == id).map(|(_, v)| v);
        }
        let i = self.0.binary_search_by_key(&id, |(i, _)| *i).ok()?;
        self.0.get(i).map(|(_, v)| v)
    }

    /// Give fact `id` the value `v` (replacing an earlier one).
    pub fn set(&mut self, id: u32, v: Value) {
        match self.0.binary_search_by_key(&id, |(i, _)| *i) {
            Ok(i) => {
                if let Some(slot) = self.0.get_mut(i) {
                    slot.1 = v;
                }
            }
            Err(i) => self.0.insert(i, (id, v)),
        }
    }

    /// No facts yet, with room for `n` (the direct reader sizes it once for a usual case,
    /// rather than growing it twice).
    pub(crate) fn with_capacity(n: usize) -> Facts {
        Facts(Vec::with_capacity(n))
    }

    /// Give fact `id` the value `v` unless it has one already (`false`, `v` dropped): one
    /// search where [`get`](Facts::get) then [`set`](Facts::set) made two.
    pub(crate) fn insert_new(&mut self, id: u32, v: Value) -> bool {
        match self.0.binary_search_by_key(&id, |(i, _)| *i) {
            Ok(_) => false,
            Err(i) => {
                self.0.insert(i, (id, v));
                true
            }
        }
    }

    /// The facts given, by id.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &Value)> {
        self.0.iter().map(|(i, v)| (*i, v))
    }

    /// From a table indexed by fact id (`None`: not given).
    pub fn from_table(table: &[Option<Value>]) -> Facts {
        Facts(
            table
                .iter()
                .enumerate()
                .filter_map(|(i, v)| Some((u32::try_from(i).ok()?, v.clone()?)))
                .collect(),
        )
    }
}

/// A case, validated against a ruleset: facts typed and indexed by the ruleset's fact ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Candidate violation codes (one act, several provisions when more than one).
    pub codes: Vec<String>,
    /// 违法行为发生日.
    pub occurred_on: NaiveDate,
    /// End of a continuing act.
    pub ended_on: Option<NaiveDate>,
    /// 发现日.
    pub discovered_on: Option<NaiveDate>,
    /// 决定日.
    pub decided_on: Option<NaiveDate>,
    /// Facts given, by fact id.
    pub facts: Facts,
    /// Daily continuing fine.
    pub daily: Option<DailyInput>,
}

/// Parse a case from JSON text.
pub fn parse_json(text: &str) -> Result<Json, Vec<CaseError>> {
    if text.len() > MAX_CASE_BYTES {
        return Err(vec![CaseError::TooLarge {
            size: text.len(),
            limit: MAX_CASE_BYTES,
        }]);
    }
    serde_json::from_str(text).map_err(|e| {
        vec![CaseError::Syntax {
            message: e.to_string(),
            line: e.line(),
            column: e.column(),
        }]
    })
}

/// Read a JSON case straight from its text, without building a JSON value: the fast path
/// for what case systems send. `Some` is exactly the case [`parse_json`] + [`validate`] give;
/// `None` means the text is anything else (invalid, or unusual in a way this reader leaves to
/// the full validation) and the caller should run those two, which write every error.
pub fn read_json(rs: &Ruleset, text: &str) -> Option<Case> {
    crate::reader::read(rs, text)
}

/// Parse a case from YAML text.
pub fn parse_yaml(text: &str) -> Result<Json, Vec<CaseError>> {
    if text.len() > MAX_CASE_BYTES {
        return Err(vec![CaseError::TooLarge {
            size: text.len(),
            limit: MAX_CASE_BYTES,
        }]);
    }
    crate::yaml::to_json(text).map_err(|(message, line, column)| {
        vec![CaseError::Syntax {
            message,
            line,
            column,
        }]
    })
}

/// A short rendering of a JSON value for error messages (shared with profiles).
pub(crate) fn describe(v: &Json) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => format!("\"{}\"", s.chars().take(40).collect::<String>()),
        Json::Array(_) => "数组".into(),
        Json::Object(_) => "对象".into(),
    }
}

fn date(field: &str, v: &Json, errors: &mut Vec<CaseError>) -> Option<NaiveDate> {
    match v {
        Json::String(s) => match parse_date(s) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(CaseError::WrongType {
                    field: field.into(),
                    expected: "日期（YYYY-MM-DD）".into(),
                    found: describe(v),
                });
                None
            }
        },
        _ => {
            errors.push(CaseError::WrongType {
                field: field.into(),
                expected: "日期（YYYY-MM-DD）".into(),
                found: describe(v),
            });
            None
        }
    }
}

/// A `YYYY-MM-DD` date (chrono's `%Y-%m-%d`, surrounding blanks allowed). The exact ten-byte
/// form, which is what case systems send, is read directly: chrono's format-string parser
/// was a fifth of validating a case. It is tried before trimming, which only a date with
/// blanks around it needs (trimming, Unicode-aware, was a third of reading a date).
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, chrono::ParseError> {
    if let Some(d) = ten_byte_date(s.as_bytes()) {
        return Ok(d);
    }
    let t = s.trim();
    if let Some(d) = ten_byte_date(t.as_bytes()) {
        return Ok(d);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
}

/// `DDDD-DD-DD`, a valid date; `None` for anything else (which chrono then judges).
///
/// The first eight bytes are checked as one word (a byte at a time was half of reading a
/// date: 110 instructions, now ~50): XOR with `0000-00-` leaves each digit as its value
/// (0–9) and each dash as 0; any other byte becomes a value above 9 or a dash that is not 0.
pub(crate) fn ten_byte_date(b: &[u8]) -> Option<NaiveDate> {
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const SIXES: u64 = 0x0606_0606_0606_0606;
    // Bytes 4 and 7, the dashes.
    const DASHES: u64 = 0xFF00_00FF_0000_0000;
    let (head, [d0, d1]) = b.split_first_chunk::<8>()? else {
        return None;
    };
    let w = u64::from_le_bytes(*head) ^ u64::from_le_bytes(*b"0000-00-");
    // A byte is at most 9 when it and it plus 6 are below 16 (no carry leaves a byte below
    // 16, and a byte at 16 or above is refused by the first test whatever the carry did).
    if ((w | w.wrapping_add(SIXES)) & HIGH_NIBBLES) | (w & DASHES) != 0 {
        return None;
    }
    let (d0, d1) = (d0.wrapping_sub(b'0'), d1.wrapping_sub(b'0'));
    if d0 > 9 || d1 > 9 {
        return None;
    }
    let digit = |i: u32| (w >> (8 * i)) as u32 & 0xF;
    let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
    let month = digit(5) * 10 + digit(6);
    let day = u32::from(d0) * 10 + u32::from(d1);
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// A fact value as read, before the fact's type is applied: what both case readers (the JSON
/// value tree of [`validate`] and the direct reader) hand to [`typed`], so that both accept
/// exactly the same values.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Raw<'a> {
    /// `true` / `false`.
    Bool(bool),
    /// A JSON number that fits `u64`: serde_json reads these as integers, and the value tree
    /// writes them back as the same digits.
    Int(u64),
    /// Any other JSON number, as serde_json's `arbitrary_precision` keeps it (an exponent is
    /// written `e+3`/`e-3`).
    Number(&'a str),
    /// A JSON string (unescaped).
    Str(&'a str),
    /// `null`, an array or an object.
    Other,
}

/// Why [`typed`] refused a value; the caller, which has the JSON, writes the error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not of the fact's type.
    Type,
    /// A number below zero.
    Negative,
    /// A string that is not one of the enum's variants.
    Variant,
}

/// Parse a decimal written as a JSON number or a string, with optional unit suffixes.
fn decimal(v: Raw, ty: Ty) -> Option<Decimal> {
    match v {
        // The digits of a `u64` read as `Decimal::from_str` reads them: scale 0 (and a
        // product with one, which the text takes, changes nothing).
        Raw::Int(n) => match ty {
            Ty::Percent => Decimal::from(n).checked_mul(Decimal::new(1, 2)),
            _ => Some(Decimal::from(n)),
        },
        Raw::Number(s) => decimal_text(s, ty),
        Raw::Str(s) => decimal_text(trim(s), ty),
        Raw::Bool(_) | Raw::Other => None,
    }
}

/// `s.trim()`, without decoding a character when neither end can be white space: the first
/// byte is printable ASCII, and so is the last, or the last character is one of three bytes
/// from U+4000 on (its lead byte, three from the end, is 0xE4–0xEF: a unit such as 元 or
/// ％), none of which is white space. A number with its unit, as case systems write it,
/// takes this path; `trim`, which decodes and classifies a character at each end, was 60
/// instructions a call, and a money fact's text is trimmed twice.
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let printable = |c: &u8| (0x21..=0x7E).contains(c);
    let start = b.first().is_some_and(printable);
    let end = match b.last() {
        Some(c) if c.is_ascii() => printable(c),
        _ => b
            .len()
            .checked_sub(3)
            .and_then(|i| b.get(i))
            .is_some_and(|c| (0xE4..=0xEF).contains(c)),
    };
    if start && end {
        s
    } else {
        s.trim()
    }
}

/// A decimal from its text, with the unit suffixes the fact's type allows.
fn decimal_text(s: &str, ty: Ty) -> Option<Decimal> {
    let (num, scale) = match ty {
        Ty::Money => {
            if let Some(x) = s.strip_suffix("亿元") {
                (x, Decimal::from(100_000_000))
            } else if let Some(x) = s.strip_suffix("万元") {
                (x, Decimal::from(10_000))
            } else if let Some(x) = s.strip_suffix('元') {
                (x, Decimal::ONE)
            } else {
                (s, Decimal::ONE)
            }
        }
        // Percent facts take percentage points: 5 and "5%" both mean 5%.
        Ty::Percent => (s.trim_end_matches(['%', '％']), Decimal::new(1, 2)),
        Ty::Multiple => (s.trim_end_matches('倍'), Decimal::ONE),
        _ => (s, Decimal::ONE),
    };
    let num = trim(num);
    match plain_decimal(num) {
        Some(d) => product_of_plain(d, scale),
        None => general_decimal(num, scale),
    }
}

/// `num` × `scale` for any decimal text `num`.
fn general_decimal(num: &str, scale: Decimal) -> Option<Decimal> {
    let d = Decimal::from_str(num)
        .or_else(|_| Decimal::from_scientific(num))
        .ok()?;
    d.checked_mul(scale)
}

/// The mantissa and scale of `digits` or `digits.digits` with at most 19 digits (so that the
/// mantissa fits a `u64`): what case systems write. Reading these directly rather than
/// through `Decimal::from_str` and a product saved a third of typing the benchmark's money
/// fact; [`general_decimal`] reads everything else, and a test holds the two together.
fn plain_decimal(num: &str) -> Option<(u64, u32)> {
    let b = num.as_bytes();
    if b.is_empty() || b.len() > 19 {
        return None;
    }
    let mut mantissa = 0u64;
    let mut point = None;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => mantissa = mantissa * 10 + u64::from(c - b'0'),
            // Digits on both sides (`Decimal::from_str` reads `5.` and `.5` too, but they are
            // left to it).
            b'.' if point.is_none() && i > 0 && i + 1 < b.len() => point = Some(i),
            _ => return None,
        }
    }
    let scale = point.map_or(0, |p| b.len() - p - 1);
    Some((mantissa, u32::try_from(scale).ok()?))
}

/// `Decimal`'s product of a plain decimal and a unit (`checked_mul`): a product with zero is
/// zero of scale 0; otherwise mantissas multiply and scales add, exactly (below 10^19 × 10^8,
/// scale below 22: no rounding).
fn product_of_plain((mantissa, scale): (u64, u32), unit: Decimal) -> Option<Decimal> {
    if mantissa == 0 || unit.is_zero() {
        return Some(Decimal::ZERO);
    }
    let m = i128::from(mantissa).checked_mul(unit.mantissa())?;
    Decimal::try_from_i128_with_scale(m, scale + unit.scale()).ok()
}

/// `d >= 0` (negative zero included) from the sign bit, without `Decimal`'s comparison.
fn not_negative(d: Decimal) -> bool {
    !d.is_sign_negative() || d.is_zero()
}

/// A `u64` as an integer fact's value.
fn typed_integer(n: u64) -> Value {
    Value::Dec(Decimal::from(n))
}

/// Apply a fact's type to a value as read.
pub(crate) fn typed(rs: &Ruleset, ty: Ty, v: Raw) -> Result<Value, Refusal> {
    match ty {
        Ty::Bool => match v {
            Raw::Bool(b) => Ok(Value::Bool(b)),
            Raw::Str("是" | "true") => Ok(Value::Bool(true)),
            Raw::Str("否" | "false") => Ok(Value::Bool(false)),
            _ => Err(Refusal::Type),
        },
        Ty::Number | Ty::Money | Ty::Percent | Ty::Multiple => match decimal(v, ty) {
            Some(d) if not_negative(d) => Ok(Value::Dec(d)),
            Some(_) => Err(Refusal::Negative),
            None => Err(Refusal::Type),
        },
        Ty::Integer => match v {
            // What `decimal` makes of a `u64`, which is whole and not negative: its tests
            // (`fract` alone was 30 instructions) are for the other forms.
            Raw::Int(n) => Ok(typed_integer(n)),
            _ => match decimal(v, ty) {
                Some(d) if d.fract().is_zero() && not_negative(d) => Ok(Value::Dec(d)),
                _ => Err(Refusal::Type),
            },
        },
        Ty::Date => match v {
            Raw::Str(s) => parse_date(s).map(Value::Date).map_err(|_| Refusal::Type),
            _ => Err(Refusal::Type),
        },
        Ty::Duration => Err(Refusal::Type),
        Ty::Text => match v {
            Raw::Str(s) => Ok(Value::Text(s.to_owned())),
            _ => Err(Refusal::Type),
        },
        Ty::Enum(id) => match v {
            Raw::Str(s) => rs.variant(id, s).map(Value::Enum).ok_or(Refusal::Variant),
            _ => Err(Refusal::Type),
        },
    }
}

/// Convert one JSON fact value to a typed value.
pub(crate) fn fact_value(rs: &Ruleset, name: &str, ty: Ty, v: &Json) -> Result<Value, CaseError> {
    // serde_json keeps a number's text (`arbitrary_precision`); `u64`s are written back as
    // their digits, so reading the text is reading the number.
    let number;
    let raw = match v {
        Json::Bool(b) => Raw::Bool(*b),
        Json::Number(n) => {
            number = n.to_string();
            Raw::Number(&number)
        }
        Json::String(s) => Raw::Str(s),
        Json::Null | Json::Array(_) | Json::Object(_) => Raw::Other,
    };
    let refusal = match typed(rs, ty, raw) {
        Ok(val) => return Ok(val),
        Err(r) => r,
    };
    let wrong = |expected: &str| CaseError::WrongType {
        field: format!("facts.{name}"),
        expected: expected.into(),
        found: describe(v),
    };
    Err(match (ty, refusal) {
        (Ty::Enum(id), Refusal::Variant) => {
            let variants = rs.enum_variants(id);
            CaseError::UnknownVariant {
                fact: name.into(),
                value: match v {
                    Json::String(s) => s.clone(),
                    _ => describe(v),
                },
                allowed: variants.join("、"),
            }
        }
        (Ty::Enum(id), _) => wrong(&format!("取值之一（{}）", rs.enum_variants(id).join("、"))),
        (Ty::Bool, _) => wrong("是否（true/false）"),
        (Ty::Number | Ty::Money | Ty::Percent | Ty::Multiple, Refusal::Negative) => wrong("非负数"),
        (Ty::Money, _) => wrong("金额（数字，单位元；或“10万元”）"),
        (Ty::Percent, _) => wrong("百分比（如 5 或 \"5%\"）"),
        (Ty::Multiple, _) => wrong("倍数（数字）"),
        (Ty::Number, _) => wrong("数值"),
        (Ty::Integer, _) => wrong("非负整数"),
        (Ty::Date, _) => wrong("日期（YYYY-MM-DD）"),
        (Ty::Duration, _) => wrong("期间（案件中暂不支持）"),
        (Ty::Text, _) => wrong("文字"),
    })
}

/// Validate a JSON case against a ruleset.
pub fn validate(rs: &Ruleset, json: &Json) -> Result<Case, Vec<CaseError>> {
    let mut errors = Vec::new();
    let Json::Object(map) = json else {
        return Err(vec![CaseError::WrongType {
            field: "(案件)".into(),
            expected: "对象".into(),
            found: describe(json),
        }]);
    };
    for k in map.keys() {
        if !matches!(
            k.as_str(),
            "violation"
                | "occurred_on"
                | "ended_on"
                | "discovered_on"
                | "decided_on"
                | "facts"
                | "daily_penalty"
                | "expect"
                | "name"
                | "note"
        ) {
            errors.push(CaseError::UnknownField { field: k.clone() });
        }
    }
    let mut codes = Vec::new();
    match map.get("violation") {
        None => errors.push(CaseError::MissingField {
            field: "violation".into(),
        }),
        Some(Json::String(s)) => codes.push(s.clone()),
        Some(Json::Array(a)) if !a.is_empty() && a.len() <= MAX_CODES => {
            for (i, x) in a.iter().enumerate() {
                match x {
                    Json::String(s) => codes.push(s.clone()),
                    _ => errors.push(CaseError::WrongType {
                        field: format!("violation[{i}]"),
                        expected: "违法行为代码".into(),
                        found: describe(x),
                    }),
                }
            }
        }
        Some(v) => errors.push(CaseError::WrongType {
            field: "violation".into(),
            expected: format!("违法行为代码或 1–{MAX_CODES} 个代码的数组"),
            found: describe(v),
        }),
    }
    let opt_date = |k: &str, errors: &mut Vec<CaseError>| match map.get(k) {
        None | Some(Json::Null) => None,
        Some(v) => date(k, v, errors),
    };
    let occurred_on = match map.get("occurred_on") {
        None | Some(Json::Null) => {
            errors.push(CaseError::MissingField {
                field: "occurred_on".into(),
            });
            None
        }
        Some(v) => date("occurred_on", v, &mut errors),
    };
    let ended_on = opt_date("ended_on", &mut errors);
    let discovered_on = opt_date("discovered_on", &mut errors);
    let decided_on = opt_date("decided_on", &mut errors);
    if let (Some(a), Some(b)) = (occurred_on, ended_on) {
        if b < a {
            errors.push(CaseError::DateOrder {
                earlier: "occurred_on".into(),
                later: "ended_on".into(),
            });
        }
    }
    if let (Some(a), Some(b)) = (occurred_on, decided_on) {
        if b < a {
            errors.push(CaseError::DateOrder {
                earlier: "occurred_on".into(),
                later: "decided_on".into(),
            });
        }
    }
    let daily = match map.get("daily_penalty") {
        None | Some(Json::Null) => None,
        Some(Json::Object(d)) => {
            let s = d
                .get("served_on")
                .map(|v| date("daily_penalty.served_on", v, &mut errors));
            let r = d
                .get("reinspected_on")
                .map(|v| date("daily_penalty.reinspected_on", v, &mut errors));
            if s.is_none() {
                errors.push(CaseError::MissingField {
                    field: "daily_penalty.served_on".into(),
                });
            }
            if r.is_none() {
                errors.push(CaseError::MissingField {
                    field: "daily_penalty.reinspected_on".into(),
                });
            }
            match (s.flatten(), r.flatten()) {
                (Some(served_on), Some(reinspected_on)) => {
                    if reinspected_on <= served_on {
                        errors.push(CaseError::DateOrder {
                            earlier: "daily_penalty.served_on".into(),
                            later: "daily_penalty.reinspected_on".into(),
                        });
                    }
                    Some(DailyInput {
                        served_on,
                        reinspected_on,
                    })
                }
                _ => None,
            }
        }
        Some(v) => {
            errors.push(CaseError::WrongType {
                field: "daily_penalty".into(),
                expected: "对象（served_on, reinspected_on）".into(),
                found: describe(v),
            });
            None
        }
    };
    let mut facts = Facts::default();
    match map.get("facts") {
        None | Some(Json::Null) => {}
        Some(Json::Object(f)) => {
            for (name, v) in f {
                let Some((id, ty)) = rs.fact(name) else {
                    let suggestion = suggest(name, rs.fact_names());
                    errors.push(CaseError::UnknownFact {
                        name: name.clone(),
                        suggestion,
                    });
                    continue;
                };
                if v.is_null() {
                    continue;
                }
                match fact_value(rs, name, ty, v) {
                    Ok(val) => facts.set(id, val),
                    Err(e) => errors.push(e),
                }
            }
        }
        Some(v) => errors.push(CaseError::WrongType {
            field: "facts".into(),
            expected: "对象".into(),
            found: describe(v),
        }),
    }
    let read = Read {
        codes,
        occurred_on,
        ended_on,
        discovered_on,
        decided_on,
        facts,
        daily,
    };
    settle(rs, read, errors)
}

/// The fields of a case as read from its text, before the checks against the ruleset's
/// versions (shared by [`validate`] and the direct reader, so both check alike).
#[derive(Debug, Default)]
pub(crate) struct Read {
    pub(crate) codes: Vec<String>,
    pub(crate) occurred_on: Option<NaiveDate>,
    pub(crate) ended_on: Option<NaiveDate>,
    pub(crate) discovered_on: Option<NaiveDate>,
    pub(crate) decided_on: Option<NaiveDate>,
    pub(crate) facts: Facts,
    pub(crate) daily: Option<DailyInput>,
}

/// Check what was read against the ruleset (dates in force, codes known and in force, the
/// facts their ranges need) after the `errors` reading found: the case, or every error.
pub(crate) fn settle(
    rs: &Ruleset,
    read: Read,
    mut errors: Vec<CaseError>,
) -> Result<Case, Vec<CaseError>> {
    let Read {
        codes,
        occurred_on,
        ended_on,
        discovered_on,
        decided_on,
        facts,
        daily,
    } = read;
    // Dates in force and codes known.
    if let Some(d) = occurred_on {
        if rs.snapshot_at(d).is_none() {
            errors.push(CaseError::NotInForce {
                field: "occurred_on".into(),
                date: d,
            });
        }
    }
    // The act is judged under the law at the act (its last day, for a continuing act) and,
    // when later, the law at the decision: the snapshots in force on those days, found once
    // for every code. At most two days, kept on the stack: a `Vec` here was an allocation
    // per case.
    let (buf, n) = match (ended_on.or(occurred_on), decided_on) {
        (Some(a), Some(b)) => ([a, b], 2),
        (Some(a), None) | (None, Some(a)) => ([a, a], 1),
        (None, None) => ([NaiveDate::MIN; 2], 0),
    };
    let days = buf.get(..n).unwrap_or_default();
    let snapshots = buf.map(|d| rs.snapshot_index_at(d));
    let snapshots = snapshots.get(..n).unwrap_or_default();
    // Whether a code has a conditional statutory range, whose facts are checked below.
    let mut conditional = false;
    for code in &codes {
        let Some(info) = rs.code_info(code) else {
            let suggestion = suggest(code, rs.codes());
            errors.push(CaseError::UnknownViolation {
                code: code.clone(),
                suggestion,
            });
            continue;
        };
        // The snapshots on those days that have the code, with the facts its statutory
        // range needs there.
        let mut in_force = info
            .required
            .iter()
            .filter(|(si, _)| snapshots.contains(&Some(*si)))
            .peekable();
        if let Some(&act) = days.first() {
            if in_force.peek().is_none() {
                errors.push(CaseError::CodeNotInForce {
                    code: code.clone(),
                    date: act,
                    periods: rs.code_periods(code).join("；"),
                });
                continue;
            }
        }
        conditional |= info.conditional;
        // Facts the statutory range needs must be given (or defaulted). A fact needed by
        // both versions comes twice: it is only checked, and collecting the facts without
        // repeats was two allocations per case.
        for fid in in_force.flat_map(|(_, facts)| facts.iter().copied()) {
            let given = facts.get(fid).is_some();
            if !given && !rs.fact_has_default(fid) {
                let (name, label) = rs.fact_label(fid);
                let already = errors
                    .iter()
                    .any(|e| matches!(e, CaseError::MissingFact { fact, .. } if *fact == name));
                if !already {
                    errors.push(CaseError::MissingFact {
                        violation: code.clone(),
                        fact: name,
                        label,
                    });
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(occurred_on) = occurred_on else {
        return Err(vec![CaseError::MissingField {
            field: "occurred_on".into(),
        }]);
    };
    let case = Case {
        codes,
        occurred_on,
        ended_on,
        discovered_on,
        decided_on,
        facts,
        daily,
    };
    // Most violations have no conditional range, and then there is nothing to check.
    if conditional {
        let errors = escalated_range_facts(rs, &case);
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    Ok(case)
}

/// A conditional statutory range (`罚款 当 条件：…`) that this case's facts select needs the
/// facts its amounts read (the base of “违法所得 的 1倍 至 5倍”): without them the case is
/// incomplete (C0107), as for the facts of the unconditional range. The range is chosen as
/// `decide` chooses it: the first condition that holds, under the version at the act and at
/// the decision.
fn escalated_range_facts(rs: &Ruleset, case: &Case) -> Vec<CaseError> {
    use cailiang_dsl::ir::ShapeIr;
    let program = rs.program();
    let mut errors: Vec<CaseError> = Vec::new();
    let days = [case.ended_on.or(Some(case.occurred_on)), case.decided_on];
    for code in &case.codes {
        for snap in days.iter().flatten().filter_map(|d| rs.snapshot_at(*d)) {
            let Some(v) = snap.violation(code) else {
                continue;
            };
            // Most violations have no conditional range: skip building a context (two
            // allocations) that would find none.
            if v.fines.iter().all(|f| f.when.is_none()) {
                continue;
            }
            let mut ctx = crate::eval::Ctx::new(program, case);
            let chosen = v.fines.iter().find(|f| {
                f.when
                    .as_ref()
                    .is_some_and(|w| matches!(ctx.truth(w), Ok(Some(true))))
            });
            let Some(f) = chosen else {
                continue;
            };
            let exprs: Vec<&cailiang_dsl::ir::CExpr> = match &f.shape {
                ShapeIr::Bounds { min, max } => vec![min, max],
                ShapeIr::MaxOnly { max } => vec![max],
                ShapeIr::OfBase { base, floor, .. } => {
                    let mut v = vec![base];
                    if let Some((below, as_)) = floor {
                        v.extend([below, as_]);
                    }
                    v
                }
                ShapeIr::PerOccurrence {
                    min, max, count, ..
                } => vec![min, max, count],
            };
            let mut need = crate::eval::Ctx::new(program, case);
            for e in exprs {
                // Unknown (a fact not given) is what is looked for; arithmetic errors are
                // reported by the evaluation itself.
                let _ = need.dec(e);
            }
            for fid in need.missing.iter() {
                let (name, label) = rs.fact_label(fid);
                if !errors
                    .iter()
                    .any(|e| matches!(e, CaseError::MissingFact { fact, .. } if *fact == name))
                {
                    errors.push(CaseError::MissingFact {
                        violation: code.clone(),
                        fact: name,
                        label,
                    });
                }
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The direct reader accepts and refuses exactly what chrono's `%Y-%m-%d` does.
        #[test]
        fn dates_read_as_chrono_reads_them(s in "[ ]?[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}[ ]?|.{0,12}") {
            proptest::prop_assert_eq!(
                parse_date(&s).ok(),
                NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
            );
        }

        /// Ten bytes that are nearly a date (bytes next to the digits and the dash, a sign,
        /// a blank, a multi-byte character) are judged as chrono judges them.
        #[test]
        fn ten_byte_dates_read_as_chrono_reads_them(
            s in "[0-9/:+ -]{4}[-/:.0-9][0-9/: ]{2}[-/:.0-9][0-9/: ]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]|[0-9长]{4}-[0-9]{2}-[0-9]{2}"
        ) {
            let chrono = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
            proptest::prop_assert_eq!(parse_date(&s).ok(), chrono);
            if ten_byte_date(s.as_bytes()).is_some() {
                proptest::prop_assert_eq!(ten_byte_date(s.as_bytes()), chrono);
            }
        }
    }

    /// The units a fact's text may carry, as `decimal_text` uses them.
    fn units() -> [Decimal; 4] {
        [
            Decimal::ONE,
            Decimal::from(10_000),
            Decimal::from(100_000_000),
            Decimal::new(1, 2),
        ]
    }

    proptest::proptest! {
        /// Plain decimals read directly are what `Decimal::from_str` and `checked_mul` give,
        /// scale included.
        #[test]
        fn plain_decimals_read_as_decimal_does(s in "[0-9]{0,21}(\\.[0-9]{0,21})?|[0-9.]{0,6}") {
            for unit in units() {
                if let Some(p) = plain_decimal(&s) {
                    // Mantissa and scale: `==` ignores the scale.
                    let parts = |d: Option<Decimal>| d.map(|d| (d.mantissa(), d.scale()));
                    proptest::prop_assert_eq!(
                        parts(product_of_plain(p, unit)),
                        parts(general_decimal(&s, unit)),
                        "{} × {}", s, unit
                    );
                }
            }
        }
    }

    proptest::proptest! {
        /// The sign test is `Decimal`'s `>= 0`, negative zero included.
        #[test]
        fn not_negative_is_at_least_zero(m in proptest::num::i64::ANY, scale in 0u32..29, neg in proptest::bool::ANY) {
            let mut d = Decimal::new(m, scale);
            d.set_sign_negative(neg ^ d.is_sign_negative());
            proptest::prop_assert_eq!(not_negative(d), d >= Decimal::ZERO);
            let mut zero = Decimal::new(0, scale);
            zero.set_sign_negative(neg);
            proptest::prop_assert!(not_negative(zero));
        }
    }

    proptest::proptest! {
        /// The shortcut trims what `str::trim` trims: white space of one, two and three
        /// bytes next to digits, units and other characters at either end.
        #[test]
        fn trims_as_str_does(s in "[ \t\n\x0b\x0c\r\x1f\x7f0-9.a元万亿倍％%é\u{85}\u{a0}\u{1680}\u{2000}\u{200a}\u{2028}\u{202f}\u{205f}\u{3000}\u{3001}\u{feff}\u{10000}]{0,6}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }
    }

    /// A `u64` typed as an integer fact is what the general path makes of it.
    #[test]
    fn integers_read_as_decimal_does() {
        for n in [0, 1, 9, 10, 4096, u64::from(u32::MAX) + 1, u64::MAX] {
            let general = decimal(Raw::Int(n), Ty::Integer)
                .filter(|d| d.fract().is_zero() && *d >= Decimal::ZERO)
                .map(|d| (d.mantissa(), d.scale()));
            let fast = match typed_integer(n) {
                Value::Dec(d) => Some((d.mantissa(), d.scale())),
                _ => None,
            };
            assert_eq!(fast, general, "{n}");
        }
    }

    #[test]
    fn reads_plain_decimals_at_their_edges() {
        for s in [
            "0",
            "00",
            "0.0",
            "0.00",
            "1",
            "007",
            "1.50",
            "10.000",
            "9999999999999999999",
            "99999999999999999.9",
            "0.00000000000000001",
            // Left to `Decimal::from_str`.
            "999999999999999999.9",
            "0.000000000000000001",
            "99999999999999999999",
            "1.",
            ".5",
            "",
            ".",
            "1..2",
            "1.2.3",
        ] {
            for unit in units() {
                match plain_decimal(s) {
                    Some(p) => {
                        let (ours, theirs) = (product_of_plain(p, unit), general_decimal(s, unit));
                        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"), "{s} × {unit}");
                    }
                    None => assert!(
                        s.is_empty()
                            || s.len() > 19
                            || s.starts_with('.')
                            || s.ends_with('.')
                            || s.matches('.').count() > 1,
                        "{s}"
                    ),
                }
            }
        }
    }

    #[test]
    fn reads_edge_dates() {
        for s in [
            "2024-02-29",
            "2023-02-29",
            "0000-01-01",
            "9999-12-31",
            "2024-13-01",
            "2024-00-10",
            " 2026-08-15 ",
        ] {
            assert_eq!(
                parse_date(s).ok(),
                NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
                "{s}"
            );
        }
    }
}
