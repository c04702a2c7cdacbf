//! The direct JSON case reader (`case::read_json`, the fast path of `evaluate_text`) against
//! the full path (`parse_json` + `validate`): whenever the reader returns a case, the full path
//! returns the same case (every decimal's scale included). Over every shipped example (YAML,
//! written out as JSON), generated cases with and without mistakes, and near-valid cases
//! mutated at random (wrong types, duplicate keys, unknown names, odd numbers, cut text).
//! The reader must also take every valid shipped example and generated case, so that these
//! tests cannot pass by a reader that declines everything.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[allow(dead_code, missing_docs)]
#[path = "../../cli/src/load.rs"]
mod load;

use cailiang_engine::case::{parse_json, parse_yaml, read_json, validate};
use cailiang_engine::Ruleset;
use cailiang_tests::generate::{Generator, Options};
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A shipped ruleset folder (loaded as `cailiang eval --rules DIR` loads it) and its examples
/// as JSON text.
struct Folder {
    dir: String,
    rs: Ruleset,
    examples: Vec<(String, String)>,
}

fn folders() -> &'static [Folder] {
    static F: OnceLock<Vec<Folder>> = OnceLock::new();
    F.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets");
        let mut dirs = Vec::new();
        find_examples(&root, &mut dirs);
        dirs.sort();
        assert!(dirs.len() >= 6, "only {} example folders", dirs.len());
        dirs.into_iter()
            .map(|dir| {
                let loaded = load::load(std::slice::from_ref(&dir)).unwrap();
                let leaf = load::leaf(&loaded, None);
                let out = cailiang_dsl::load(loaded.sources);
                let p = out.program.as_ref().unwrap_or_else(|| {
                    panic!("{} does not check: {:?}", dir.display(), out.diagnostics)
                });
                let rs = Ruleset::compile(p, leaf.as_deref()).unwrap();
                let mut paths: Vec<PathBuf> = std::fs::read_dir(dir.join("examples"))
                    .unwrap()
                    .flatten()
                    .map(|e| e.path())
                    .collect();
                paths.sort();
                let examples = paths
                    .iter()
                    .map(|p| {
                        let text = std::fs::read_to_string(p).unwrap();
                        let json = match p.extension().and_then(|x| x.to_str()) {
                            Some("json") => text,
                            _ => serde_json::to_string(&parse_yaml(&text).unwrap()).unwrap(),
                        };
                        (p.display().to_string(), json)
                    })
                    .collect();
                Folder {
                    dir: dir.display().to_string(),
                    rs,
                    examples,
                }
            })
            .collect()
    })
}

/// Folders under `dir` with an `examples` folder (the invalid rulesets have none).
fn find_examples(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() && p.file_name().is_some_and(|n| n != "examples") {
            if p.join("examples").is_dir() {
                out.push(p.clone());
            }
            find_examples(&p, out);
        }
    }
}

/// The two readers agree on `text`: when the fast one reads a case, the full path gives the
/// same case (`Debug` shows each decimal's scale, which `==` ignores). Returns whether the
/// fast reader took it and whether the full path accepts it.
fn agree(rs: &Ruleset, text: &str) -> Result<(bool, bool), String> {
    let fast = read_json(rs, text);
    let full = parse_json(text).and_then(|j| validate(rs, &j));
    match (&fast, &full) {
        (Some(a), Ok(b)) if a == b && format!("{a:?}") == format!("{b:?}") => Ok((true, true)),
        (Some(a), _) => Err(format!(
            "the fast reader read {a:?}, the full path gave {full:?}, for {text}"
        )),
        (None, _) => Ok((false, full.is_ok())),
    }
}

#[test]
fn every_shipped_example_reads_alike_and_the_valid_ones_are_read() {
    let mut taken = 0;
    for f in folders() {
        for (name, text) in &f.examples {
            match agree(&f.rs, text) {
                Ok((fast, full)) => {
                    assert_eq!(fast, full, "{name}: valid but declined: {text}");
                    taken += usize::from(fast);
                }
                Err(e) => panic!("{name}: {e}"),
            }
        }
    }
    assert!(taken > 800, "only {taken} examples read");
}

#[test]
fn generated_cases_read_alike_and_the_valid_ones_are_read() {
    for f in folders() {
        let cat = f.rs.catalogue();
        if cat.is_empty() {
            continue;
        }
        let n = cat.len() as u64 * 3;
        let gen = Generator::new(cat, 11, Options::differential());
        let (mut taken, mut valid) = (0, 0);
        for i in 0..n {
            let g = gen.case(i);
            match agree(&f.rs, &g.text) {
                // A deliberate mistake may be one the full path lets pass but the fast
                // reader declines (a key given twice: the last one counts).
                Ok((fast, _)) if g.invalid() => taken += usize::from(fast),
                Ok((fast, full)) => {
                    assert_eq!(fast, full, "{}: valid but declined: {}", f.dir, g.text);
                    taken += usize::from(fast);
                    valid += usize::from(full);
                }
                Err(e) => panic!("{}: {e}", f.dir),
            }
        }
        assert!(
            taken > 0 && taken >= valid,
            "{}: {taken} of {n} read",
            f.dir
        );
    }
}

/// A case as a list of members whose values are JSON text (not always valid), so that keys
/// can be repeated and values be anything.
#[derive(Debug, Clone)]
struct Doc {
    top: Vec<(String, String)>,
    facts: Vec<(String, String)>,
}

impl Doc {
    fn from(text: &str) -> Option<Doc> {
        let Value::Object(m) = serde_json::from_str::<Value>(text).ok()? else {
            return None;
        };
        let mut top = Vec::new();
        let mut facts = Vec::new();
        for (k, v) in m {
            match (k.as_str(), v) {
                ("facts", Value::Object(f)) => {
                    facts = f.into_iter().map(|(k, v)| (k, v.to_string())).collect();
                }
                ("facts", Value::Null) => {}
                (_, v) => top.push((k, v.to_string())),
            }
        }
        Some(Doc { top, facts })
    }

    fn text(&self) -> String {
        let q = |k: &str| serde_json::to_string(k).unwrap();
        let facts: Vec<String> = self
            .facts
            .iter()
            .map(|(k, v)| format!("{}:{v}", q(k)))
            .collect();
        let mut members: Vec<String> = self
            .top
            .iter()
            .map(|(k, v)| format!("{}:{v}", q(k)))
            .collect();
        members.push(format!("\"facts\":{{{}}}", facts.join(",")));
        format!("{{{}}}", members.join(","))
    }
}

/// Near-valid valid cases to mutate: the Guangdong and national examples that validate.
fn seeds() -> &'static [(usize, Doc, Vec<String>)] {
    static S: OnceLock<Vec<(usize, Doc, Vec<String>)>> = OnceLock::new();
    S.get_or_init(|| {
        let mut out = Vec::new();
        for (i, f) in folders().iter().enumerate() {
            if !(f.dir.ends_with("guangdong") || f.dir.ends_with("national")) {
                continue;
            }
            let names: Vec<String> =
                f.rs.catalogue()
                    .iter()
                    .flat_map(|e| e.facts.iter().map(|x| x.name.clone()))
                    .collect();
            for (name, text) in &f.examples {
                if let (Some(doc), Ok((true, _))) = (Doc::from(text), agree(&f.rs, text)) {
                    assert_eq!(
                        agree(&f.rs, &doc.text()),
                        Ok((true, true)),
                        "{name}: {}",
                        doc.text()
                    );
                    out.push((i, doc, names.clone()));
                }
            }
        }
        out
    })
}

/// Values of every JSON kind, odd numbers and spellings in particular.
fn odd_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("[\"AIR-105\"]".to_string()),
        Just("{\"a\":1}".to_string()),
        Just(r#"{"$serde_json::private::Number":"12"}"#.to_string()),
        Just(r#"{"$serde_json::private::Number":"1e2","x":1}"#.to_string()),
        Just(format!("[{}]", "[".repeat(130) + &"]".repeat(130))),
        "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?",
        "-?[0-9]{0,3}\\.?[0-9]{0,3}",
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "[ ]?[0-9]{1,6}(\\.[0-9]{0,3})?[ ]?(元|万元|亿元|%|％|倍|)[ ]?"
            .prop_map(|s| format!("\"{s}\"")),
        "(是|否|true|false|True|是 )".prop_map(|s| format!("\"{s}\"")),
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]".prop_map(|s| format!("\"{s}\"")),
        "\\PC{0,6}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        Just("\"\\u00e5\\ud800\"".to_string()),
        Just("\"\\u4e00\"".to_string()),
    ]
}

/// One change to a near-valid case.
#[derive(Debug, Clone)]
enum Mutation {
    SetFact(usize, String),
    AddFact(usize, String),
    SetTop(usize, String),
    AddTop(usize, String),
    RemoveTop(usize),
    RemoveFact(usize),
    /// An existing fact's value replaced with another existing fact's (a type mix-up).
    SwapFacts(usize, usize),
}

const TOP_KEYS: [&str; 13] = [
    "violation",
    "occurred_on",
    "ended_on",
    "discovered_on",
    "decided_on",
    "facts",
    "daily_penalty",
    "expect",
    "name",
    "note",
    "Violation",
    "extra",
    "$serde_json::private::Number",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = any::<usize>();
    prop_oneof![
        (i, odd_value()).prop_map(|(i, v)| Mutation::SetFact(i, v)),
        (i, odd_value()).prop_map(|(i, v)| Mutation::AddFact(i, v)),
        (i, odd_value()).prop_map(|(i, v)| Mutation::SetTop(i, v)),
        (i, odd_value()).prop_map(|(i, v)| Mutation::AddTop(i, v)),
        i.prop_map(Mutation::RemoveTop),
        i.prop_map(Mutation::RemoveFact),
        (i, any::<usize>()).prop_map(|(i, j)| Mutation::SwapFacts(i, j)),
    ]
}

fn apply(doc: &mut Doc, names: &[String], m: &Mutation) {
    let pick = |n: usize, i: usize| if n == 0 { None } else { Some(i % n) };
    match m {
        Mutation::SetFact(i, v) => {
            if let Some(i) = pick(doc.facts.len(), *i) {
                doc.facts[i].1 = v.clone();
            }
        }
        // A fact given already (a duplicate key), a known one, or an unknown one.
        Mutation::AddFact(i, v) => {
            let name = match (
                i % 3,
                pick(doc.facts.len(), i / 3),
                pick(names.len(), i / 3),
            ) {
                (0, Some(j), _) => doc.facts[j].0.clone(),
                (1, _, Some(j)) => names[j].clone(),
                _ => "未知事实".to_string(),
            };
            doc.facts.push((name, v.clone()));
        }
        Mutation::SetTop(i, v) => {
            if let Some(i) = pick(doc.top.len(), *i) {
                doc.top[i].1 = v.clone();
            }
        }
        Mutation::AddTop(i, v) => doc
            .top
            .push((TOP_KEYS[i % TOP_KEYS.len()].into(), v.clone())),
        Mutation::RemoveTop(i) => {
            if let Some(i) = pick(doc.top.len(), *i) {
                doc.top.remove(i);
            }
        }
        Mutation::RemoveFact(i) => {
            if let Some(i) = pick(doc.facts.len(), *i) {
                doc.facts.remove(i);
            }
        }
        Mutation::SwapFacts(i, j) => {
            if let (Some(i), Some(j)) = (pick(doc.facts.len(), *i), pick(doc.facts.len(), *j)) {
                doc.facts[i].1 = doc.facts[j].1.clone();
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn mutated_cases_read_alike(
        seed in any::<usize>(),
        ms in prop::collection::vec(mutation(), 0..4),
        cut in prop::option::weighted(0.05, any::<usize>()),
    ) {
        let seeds = seeds();
        prop_assume!(!seeds.is_empty());
        let (folder, doc, names) = &seeds[seed % seeds.len()];
        let mut doc = doc.clone();
        for m in &ms {
            apply(&mut doc, names, m);
        }
        let mut text = doc.text();
        if let Some(c) = cut {
            let mut at = c % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.truncate(at);
        }
        let rs = &folders()[*folder].rs;
        if let Err(e) = agree(rs, &text) {
            prop_assert!(false, "{}", e);
        }
        // Unchanged, the case is read (the mutations are what is tested).
        if ms.is_empty() && cut.is_none() {
            prop_assert_eq!(agree(rs, &text), Ok((true, true)));
        }
    }
}

#[test]
fn there_are_seeds_to_mutate() {
    assert!(seeds().len() > 500, "only {} seeds", seeds().len());
}

/// The benchmark case (Guangdong, EIA-31-1) written with `{F}` for one more member of
/// `facts`, `{T}` for one more member of the case, and `{W}` for white space.
const TEMPLATE: &str = r#"{W}{"violation":"EIA-31-1",{W}"occurred_on":"2024-03-01","decided_on":"2024-09-01",{T}"facts":{W}{"总投资额":"2000万元","环评文件类别":"报告书未纳入重点管理","建设地点":"限批区或敏感区","建设情况":"设备安装阶段",{F}"近二年同类次数":2}{W}}{W}"#;

fn guangdong() -> &'static Ruleset {
    &folders()
        .iter()
        .find(|f| f.dir.ends_with("guangdong"))
        .expect("the Guangdong folder")
        .rs
}

fn doc(fact: &str, top: &str, ws: &str) -> String {
    TEMPLATE
        .replace("{F}", fact)
        .replace("{T}", top)
        .replace("{W}", ws)
}

/// Documents at the edges of JSON and of the case contract, each with whether the fast
/// reader takes it. Whatever it takes, the full path must give the same case (`agree`);
/// everything it declines goes to the full path, so declining is always safe, but the
/// expectations keep the reader from declining what case systems send.
#[test]
fn tricky_documents_read_alike() {
    let rs = guangdong();
    let fact = |v: &str| doc(&format!(r#""持续月数":{v},"#), "", "");
    let top = |m: &str| doc("", &format!("{m},"), "");
    let ws = |w: &str| doc("", "", w);
    let mut cases: Vec<(String, bool)> = vec![
        (doc("", "", ""), true),
        // White space: JSON's four only.
        (ws(" "), true),
        (ws(" \t\r\n "), true),
        (ws("\u{c}"), false),
        (ws("\u{b}"), false),
        (ws("\u{a0}"), false),
        (ws("\u{3000}"), false),
        (format!("\u{feff}{}", doc("", "", "")), false),
        // Whole documents.
        (String::new(), false),
        (" ".into(), false),
        ("{}".into(), false),
        ("[]".into(), false),
        ("null".into(), false),
        ("\"EIA-31-1\"".into(), false),
        (format!("{}x", doc("", "", "")), false),
        (format!("{}}}", doc("", "", "")), false),
        (format!("{},", doc("", "", "")), false),
        (format!("{}\u{0}", doc("", "", "")), false),
        (format!("{}{}", doc("", "", ""), doc("", "", "")), false),
        (
            doc("", "", "")[..doc("", "", "").len() - 1].to_string(),
            false,
        ),
        // Numbers for a number fact.
        (fact("4"), true),
        (fact("0"), true),
        (fact("4.5"), true),
        (fact("4.50"), true),
        (fact("0.0"), true),
        (fact("4e0"), true),
        (fact("4E0"), true),
        (fact("4e+0"), true),
        (fact("4e-0"), true),
        (fact("45e-1"), true),
        (fact("4.5E+1"), true),
        (fact("1e400"), false),
        (fact("18446744073709551615"), true),
        (fact("18446744073709551616"), true),
        (fact("9999999999999999999999999999"), true),
        (fact("99999999999999999999999999999"), false),
        (fact("792281625142643375935439503351"), false),
        (fact("04"), false),
        (fact("00"), false),
        (fact("4."), false),
        (fact(".4"), false),
        (fact("-4"), false),
        (fact("-0"), false),
        (fact("-0.0"), false),
        (fact("-"), false),
        (fact("+4"), false),
        (fact("4e"), false),
        (fact("4e+"), false),
        (fact("0x4"), false),
        (fact("Infinity"), false),
        (fact("NaN"), false),
        (fact("\"4\""), true),
        (fact("\" 4 \""), true),
        (fact("\"4个月\""), false),
        (fact("null"), true),
        (fact("nul"), false),
        (fact("nulll"), false),
        (fact("true"), false),
        (fact("[]"), false),
        (fact("{}"), false),
        (fact("[4]"), false),
        // The integer fact.
        (doc("", "", "").replace(":2}", ":2.0}"), true),
        (doc("", "", "").replace(":2}", ":2.5}"), false),
        (doc("", "", "").replace(":2}", ":2e0}"), true),
        (doc("", "", "").replace(":2}", ":20e-1}"), true),
        (doc("", "", "").replace(":2}", ":\"2\"}"), true),
        // Strings of the facts: escapes are left to the full path, raw control characters
        // are errors.
        (
            doc("", "", "").replace("设备安装阶段", "\\u8bbe备安装阶段"),
            false,
        ),
        (
            doc("", "", "").replace("设备安装阶段", "设备\t安装阶段"),
            false,
        ),
        (
            doc("", "", "").replace("设备安装阶段", "设备\u{7f}安装阶段"),
            false,
        ),
        (
            doc("", "", "").replace("\"建设情况\"", "\"建设\\u60c5况\""),
            false,
        ),
        (
            doc("", "", "").replace("\"violation\"", "\"violatio\\u006e\""),
            false,
        ),
        (doc("", "", "").replace("EIA-31-1", "EIA-31-\\u0031"), false),
        (
            doc("", "", "").replace("2024-03-01", "2024-03-0\\u0031"),
            false,
        ),
        (doc("", "", "").replace("2024-03-01", " 2024-03-01 "), true),
        // Separators.
        (doc("", "", "").replace(":2}", ":2,}"), false),
        (doc("", "", "").replace(",\"facts\"", ",,\"facts\""), false),
        (doc("", "", "").replace("\"facts\":", "\"facts\"::"), false),
        (doc("", "", "").replace("\"facts\":", "\"facts\""), false),
        (doc("", "", "").replace("\"facts\":", "facts:"), false),
        (doc("", "", "").replace("\"facts\":", "'facts':"), false),
        (
            doc("", "", "").replace("\"EIA-31-1\"", "[\"EIA-31-1\"]"),
            true,
        ),
        (
            doc("", "", "").replace("\"EIA-31-1\"", "[ \"EIA-31-1\" ]"),
            true,
        ),
        (
            doc("", "", "").replace("\"EIA-31-1\"", "[\"EIA-31-1\",]"),
            false,
        ),
        (
            doc("", "", "").replace("\"EIA-31-1\"", "[,\"EIA-31-1\"]"),
            false,
        ),
        (
            doc("", "", "").replace("\"EIA-31-1\"", "[\"EIA-31-1\"\"EIA-31-1\"]"),
            false,
        ),
        (doc("", "", "").replace("\"EIA-31-1\"", "[]"), false),
        // Members the case does not read, of every kind.
        (top(r#""name":"例一""#), true),
        (top(r#""note":null"#), true),
        (
            top(r#""note":"引号\"、反斜杠\\、换行\n、\u00e5、\/""#),
            true,
        ),
        (top(r#""note":"\ud83d\ude00""#), false),
        (top(r#""note":"\ud800""#), false),
        (top(r#""note":"\x""#), false),
        (top("\"note\":\"a\u{1}b\""), false),
        (
            top(
                r#""expect":{"outcome":"penalty","recommended":"1.00","n":[1,-2.5e-3,true,false,null,{}]}"#,
            ),
            true,
        ),
        (top(r#""expect":{"a":1,"a":2}"#), true),
        (top(r#""expect":{"a":1,}"#), false),
        (top(r#""expect":[1,]"#), false),
        (top(r#""expect":01"#), false),
        (top(r#""expect":-"#), false),
        (
            top(r#""expect":{"$serde_json::private::Number":"12"}"#),
            false,
        ),
        (
            top(r#""expect":{"$serde_json::private::Number":"x"}"#),
            false,
        ),
        (
            top(r#""expect":{"a":{"$serde_json::private::Number":"1.5"}}"#),
            false,
        ),
        (
            top(&format!(r#""expect":{}{}"#, "[".repeat(60), "]".repeat(60))),
            true,
        ),
        (
            top(&format!(
                r#""expect":{}{}"#,
                "[".repeat(126),
                "]".repeat(126)
            )),
            false,
        ),
        (
            top(&format!(
                r#""expect":{}{}"#,
                "[".repeat(127),
                "]".repeat(127)
            )),
            false,
        ),
        // Keys: unknown, repeated, private.
        (top(r#""other":1"#), false),
        (top(r#""Violation":"EIA-31-1""#), false),
        (top(r#""violation":"EIA-31-1""#), false),
        (top(r#""name":"a","name":"a""#), false),
        (top(r#""$serde_json::private::Number":"1""#), false),
        (top(r#""ended_on":null"#), true),
        (top(r#""ended_on":"2024-04-01""#), true),
        (top(r#""ended_on":"2024-02-01""#), false),
        (top(r#""discovered_on":"2024-02-30""#), false),
        (top(r#""daily_penalty":null"#), true),
        (
            top(r#""daily_penalty":{"served_on":"2024-04-01","reinspected_on":"2024-05-01"}"#),
            true,
        ),
        (
            top(r#""daily_penalty":{"served_on":"2024-04-01","reinspected_on":"2024-05-01",}"#),
            false,
        ),
        (
            top(
                r#""daily_penalty":{"served_on":"2024-04-01","served_on":"2024-04-01","reinspected_on":"2024-05-01"}"#,
            ),
            false,
        ),
        (doc(r#""总投资额":"2000万元","#, "", ""), false),
        (doc(r#""建设地点":null,"#, "", ""), false),
        (doc(r#""未知事实":1,"#, "", ""), false),
    ];
    // Every byte below 0x20 raw inside a string the case reads, and as white space.
    for b in 0u8..0x20 {
        let c = char::from(b);
        cases.push((
            doc("", "", "").replace("限批区", &format!("限{c}批区")),
            false,
        ));
        cases.push((ws(&c.to_string()), matches!(b, b'\t' | b'\n' | b'\r')));
    }
    let mut failures = Vec::new();
    for (text, taken) in &cases {
        match agree(rs, text) {
            Ok((fast, full)) => {
                if fast != *taken {
                    failures.push(format!("taken {fast} (full path: {full}): {text}"));
                }
            }
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One change to the text of a case, byte-wise.
#[derive(Debug, Clone)]
enum Edit {
    /// The byte at a place replaced (kept only if the text stays UTF-8).
    Set(usize, u8),
    Insert(usize, &'static str),
    Delete(usize, usize),
}

/// Bytes and snippets that JSON and the case reader give a meaning to.
const SNIPPETS: [&str; 40] = [
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    " ",
    "\t",
    "\n",
    "\r",
    "\u{c}",
    "\u{0}",
    "\u{1f}",
    "\u{a0}",
    "\u{3000}",
    "\u{feff}",
    "0",
    "1",
    "9",
    "-",
    "+",
    ".",
    "e",
    "E",
    "null",
    "true",
    "false",
    "\\u",
    "\\u0041",
    "\\ud800",
    "\\n",
    "$serde_json::private::Number",
    "1e5",
    "01",
    "-0",
    "1.0",
    "元",
    "%",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
        (any::<usize>(), prop::sample::select(&SNIPPETS[..]))
            .prop_map(|(i, b)| Edit::Set(i, b.as_bytes()[0])),
        (any::<usize>(), prop::sample::select(&SNIPPETS[..])).prop_map(|(i, s)| Edit::Insert(i, s)),
        (any::<usize>(), 1usize..4).prop_map(|(i, n)| Edit::Delete(i, n)),
    ]
}

fn apply_edit(text: &str, e: &Edit) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let at = |i: usize, len: usize| i % (len + 1);
    match e {
        Edit::Set(i, b) => {
            if !bytes.is_empty() {
                let i = i % bytes.len();
                bytes[i] = *b;
            }
        }
        Edit::Insert(i, s) => {
            let i = at(*i, bytes.len());
            bytes.splice(i..i, s.bytes());
        }
        Edit::Delete(i, n) => {
            let i = at(*i, bytes.len());
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// Real cases (every shipped example that validates, as JSON text), a few bytes flipped,
    /// inserted or deleted: the fast reader declines or reads what the full path reads.
    #[test]
    fn byte_edited_cases_read_alike(
        seed in any::<usize>(),
        pretty in any::<bool>(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let seeds = seeds();
        prop_assume!(!seeds.is_empty());
        let (folder, doc, _) = &seeds[seed % seeds.len()];
        let text = if pretty {
            serde_json::to_string_pretty(&serde_json::from_str::<Value>(&doc.text()).unwrap()).unwrap()
        } else {
            doc.text()
        };
        let mut text = text;
        for e in &edits {
            text = apply_edit(&text, e);
        }
        if let Err(e) = agree(&folders()[*folder].rs, &text) {
            prop_assert!(false, "{}", e);
        }
    }
}
