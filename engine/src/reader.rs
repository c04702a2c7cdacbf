//! The direct JSON case reader: the case text is walked once, names looked up in the ruleset
//! as they are read, with no `serde_json::Value` built (a value tree with ordered maps and
//! numbers kept as text cost more than validating it).
//!
//! It is only a fast path. It takes what case systems send — a well-formed case that
//! validates — and declines (`None`) anything else: every error, and anything it would have
//! to judge differently from [`validate`](crate::case::validate) (duplicate keys, keys the
//! validation ignores, values of unexpected types). The caller then runs the full validation,
//! so errors are only ever written by one piece of code. What it accepts it must read exactly
//! as `validate` does; `tests/tests/reader.rs` compares the two.

use crate::case::{parse_date, settle, typed, Case, DailyInput, Facts, Raw, Read};
use crate::case::{MAX_CASE_BYTES, MAX_CODES};
use crate::ruleset::Ruleset;
use cailiang_dsl::ir::{Ty, Value};
use chrono::NaiveDate;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The case in `text`, if the fast path can read it; `None` means "run the full validation".
pub(crate) fn read(rs: &Ruleset, text: &str) -> Option<Case> {
    if text.len() > MAX_CASE_BYTES {
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let read = CaseSeed { rs }.deserialize(&mut de).ok()?;
    // Trailing text is a syntax error of the whole document.
    de.end().ok()?;
    settle(rs, read, Vec::new()).ok()
}

/// Give up on the fast path. The error's text is never shown: the caller falls back to the
/// full validation, which writes its own.
fn decline<T, E: de::Error>() -> Result<T, E> {
    Err(E::custom("fast path declined"))
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

/// Reads one key of the case object; an unknown key declines.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("case key")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
        Ok(match s {
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
            _ => return decline(),
        })
    }
}

/// Reads the case object.
struct CaseSeed<'r> {
    rs: &'r Ruleset,
}

impl<'de> DeserializeSeed<'de> for CaseSeed<'_> {
    type Value = Read;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Read, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for CaseSeed<'_> {
    type Value = Read;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("case object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read, A::Error> {
        let mut read = Read::default();
        let mut seen = 0u16;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let bit = key as u16;
            if seen & bit != 0 {
                return decline();
            }
            seen |= bit;
            match key {
                Key::Violation => read.codes = map.next_value_seed(CodesSeed)?,
                // Null is "missing" (an error), as absent is.
                Key::OccurredOn => match map.next_value_seed(DateSeed)? {
                    Some(d) => read.occurred_on = Some(d),
                    None => return decline(),
                },
                Key::EndedOn => read.ended_on = map.next_value_seed(DateSeed)?,
                Key::DiscoveredOn => read.discovered_on = map.next_value_seed(DateSeed)?,
                Key::DecidedOn => read.decided_on = map.next_value_seed(DateSeed)?,
                Key::Facts => read.facts = map.next_value_seed(FactsSeed { rs: self.rs })?,
                Key::Daily => read.daily = map.next_value_seed(DailySeed)?,
                // Not read by validation, but they must be what the value tree accepts
                // (its nesting limit, its strings): read them as it does.
                Key::Expect | Key::Name | Key::Note => {
                    map.next_value::<serde_json::Value>()?;
                }
            }
        }
        let required = Key::Violation as u16 | Key::OccurredOn as u16;
        if seen & required != required {
            return decline();
        }
        // The date-order checks `validate` makes while reading.
        if let Some(occurred) = read.occurred_on {
            if read.ended_on.is_some_and(|d| d < occurred)
                || read.decided_on.is_some_and(|d| d < occurred)
            {
                return decline();
            }
        }
        Ok(read)
    }
}

/// Reads `violation`: one code, or 1–[`MAX_CODES`] codes.
struct CodesSeed;

impl<'de> DeserializeSeed<'de> for CodesSeed {
    type Value = Vec<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CodesSeed {
    type Value = Vec<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("violation code(s)")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Vec<String>, E> {
        Ok(vec![s.to_owned()])
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
        let mut codes = Vec::new();
        while let Some(code) = seq.next_element_seed(CodeSeed)? {
            if codes.len() == MAX_CODES {
                return decline();
            }
            codes.push(code);
        }
        if codes.is_empty() {
            return decline();
        }
        Ok(codes)
    }
}

/// Reads one code of a `violation` list: a string.
struct CodeSeed;

impl<'de> DeserializeSeed<'de> for CodeSeed {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for CodeSeed {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("violation code")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<String, E> {
        Ok(s.to_owned())
    }
}

/// Reads a date field: a `YYYY-MM-DD` string, or `null` (`None`).
struct DateSeed;

impl<'de> DeserializeSeed<'de> for DateSeed {
    type Value = Option<NaiveDate>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<NaiveDate>, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for DateSeed {
    type Value = Option<NaiveDate>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("date")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<NaiveDate>, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<NaiveDate>, E> {
        match parse_date(s) {
            Ok(d) => Ok(Some(d)),
            Err(_) => decline(),
        }
    }
}

/// Reads `daily_penalty`: `null`, or both dates, in order. Any other key declines
/// (`validate` ignores them; the fast path does not judge that).
struct DailySeed;

impl<'de> DeserializeSeed<'de> for DailySeed {
    type Value = Option<DailyInput>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<DailyInput>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DailySeed {
    type Value = Option<DailyInput>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("daily_penalty")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<DailyInput>, E> {
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<DailyInput>, A::Error> {
        let (mut served, mut reinspected) = (None, None);
        while let Some(key) = map.next_key_seed(DailyKeySeed)? {
            let slot = if key { &mut served } else { &mut reinspected };
            if slot.is_some() {
                return decline();
            }
            // A null date here is an error in `validate`.
            match map.next_value_seed(DateSeed)? {
                Some(d) => *slot = Some(d),
                None => return decline(),
            }
        }
        match (served, reinspected) {
            (Some(served_on), Some(reinspected_on)) if served_on < reinspected_on => {
                Ok(Some(DailyInput {
                    served_on,
                    reinspected_on,
                }))
            }
            _ => decline(),
        }
    }
}

/// Reads a key of `daily_penalty`: `true` for `served_on`, `false` for `reinspected_on`.
struct DailyKeySeed;

impl<'de> DeserializeSeed<'de> for DailyKeySeed {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for DailyKeySeed {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("daily_penalty key")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<bool, E> {
        match s {
            "served_on" => Ok(true),
            "reinspected_on" => Ok(false),
            _ => decline(),
        }
    }
}

/// Reads `facts`: `null`, or an object of declared facts with values of their types.
struct FactsSeed<'r> {
    rs: &'r Ruleset,
}

impl<'de> DeserializeSeed<'de> for FactsSeed<'_> {
    type Value = Facts;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Facts, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FactsSeed<'_> {
    type Value = Facts;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("facts")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Facts, E> {
        Ok(Facts::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Facts, A::Error> {
        // Room for the facts a usual case gives.
        let mut facts = Facts::with_capacity(8);
        // Facts given as null (not set, but a second key with the same name still declines).
        let mut nulls: Vec<u32> = Vec::new();
        while let Some((id, ty)) = map.next_key_seed(FactKeySeed { rs: self.rs })? {
            if nulls.contains(&id) {
                return decline();
            }
            // A fact given twice declines, whichever of its values is null.
            let fresh = match map.next_value_seed(FactSeed { rs: self.rs, ty })? {
                Some(v) => facts.insert_new(id, v),
                None => {
                    nulls.push(id);
                    facts.get(id).is_none()
                }
            };
            if !fresh {
                return decline();
            }
        }
        Ok(facts)
    }
}

/// Reads a fact's name: its id and type; an undeclared name declines.
struct FactKeySeed<'r> {
    rs: &'r Ruleset,
}

impl<'de> DeserializeSeed<'de> for FactKeySeed<'_> {
    type Value = (u32, Ty);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(u32, Ty), D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for FactKeySeed<'_> {
    type Value = (u32, Ty);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("fact name")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<(u32, Ty), E> {
        match self.rs.fact(s) {
            Some(f) => Ok(f),
            None => decline(),
        }
    }
}

/// Reads one fact value and applies the fact's type as `validate` does ([`typed`]);
/// `None` for `null` (not given).
struct FactSeed<'r> {
    rs: &'r Ruleset,
    ty: Ty,
}

impl FactSeed<'_> {
    fn typed<E: de::Error>(&self, raw: Raw) -> Result<Option<Value>, E> {
        match typed(self.rs, self.ty, raw) {
            Ok(v) => Ok(Some(v)),
            Err(_) => decline(),
        }
    }
}

impl<'de> DeserializeSeed<'de> for FactSeed<'_> {
    type Value = Option<Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FactSeed<'_> {
    type Value = Option<Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("fact value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<Value>, E> {
        Ok(None)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Option<Value>, E> {
        self.typed(Raw::Bool(b))
    }
    // serde_json reads a number that fits `u64` as one; negative integers arrive as `i64`
    // and, refused by every type, are left to the default (declined).
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Option<Value>, E> {
        self.typed(Raw::Int(n))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<Value>, E> {
        self.typed(Raw::Str(s))
    }
    // Any other number comes, under `arbitrary_precision`, as a one-entry map from serde_json's
    // number token to the number's text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Value>, A::Error> {
        if map.next_key_seed(NumberKeySeed)? != Some(true) {
            return decline();
        }
        let text = map.next_value_seed(NumberTextSeed)?;
        self.typed(Raw::Number(&text))
    }
}

/// serde_json's private key for a number kept as text (`arbitrary_precision`). If it ever
/// changes, numbers with a fraction or exponent only decline (a unit test notices).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Whether a map's first key is serde_json's number token.
struct NumberKeySeed;

impl<'de> DeserializeSeed<'de> for NumberKeySeed {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for NumberKeySeed {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("number token")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<bool, E> {
        Ok(s == NUMBER_TOKEN)
    }
}

/// The number's text. serde_json hands it over as an owned `String`; a string in the case
/// text (an object that merely uses the token as a key) arrives borrowed and declines, so
/// such an object is left to the value tree.
struct NumberTextSeed;

impl<'de> DeserializeSeed<'de> for NumberTextSeed {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for NumberTextSeed {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("number text")
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<String, E> {
        Ok(s)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<String, E> {
        decline()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
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
        // A number with a fraction came through serde_json's number token.
        let (id, _) = rs.fact("超标倍数").unwrap();
        assert_eq!(
            format!("{:?}", case.facts.get(id)),
            "Some(Dec(2.50))",
            "the number token of serde_json changed?"
        );
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
