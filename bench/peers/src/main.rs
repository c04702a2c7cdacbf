//! Peer benchmark (issue 6 item 5): the same decisions in cailiang, GoRules ZEN (zen-engine, a
//! JDM graph), Rego (regorus: tree-walking interpreter and its register VM) and a hand-written
//! Rust function. Every engine must give the same answer (outcome and amount) on every case
//! before anything is timed; then each is timed single-threaded, per case, with its native
//! input built beforehand ("pre-built") and from the case's JSON text ("from JSON").
//!
//! Run (release): `cargo run --release -- [--cases N] [--w3-per K] [--only w1,w2,w3]
//! [--export DIR]`. See README.md.

mod cases;
mod engines;
mod floor;
mod rng;
mod spec;
mod timing;

use engines::{Cailiang, Rego, Zen};
use std::path::{Path, PathBuf};
use timing::Suite;

/// What every engine must agree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Penalty, recommended amount in cents.
    Penalty(i64),
    MayExempt(i64),
    NoPenalty,
    TimeBarred,
    Error,
}

impl Answer {
    fn json(&self) -> String {
        match self {
            Answer::Penalty(c) => format!("{{\"outcome\":\"penalty\",\"amount\":\"{}.{:02}\"}}", c / 100, c % 100),
            Answer::MayExempt(c) => format!("{{\"outcome\":\"may_exempt\",\"amount\":\"{}.{:02}\"}}", c / 100, c % 100),
            Answer::NoPenalty => "{\"outcome\":\"no_penalty\",\"amount\":null}".into(),
            Answer::TimeBarred => "{\"outcome\":\"time_barred\",\"amount\":null}".into(),
            Answer::Error => "{\"outcome\":\"error\",\"amount\":null}".into(),
        }
    }
}

struct Opts {
    cases: usize,
    w3_per: usize,
    only: Vec<String>,
    export: Option<PathBuf>,
    rounds: usize,
    /// `--profile W:MODE`: only cailiang, only that workload and mode, for callgrind.
    profile: Option<String>,
}

fn opts() -> Opts {
    let mut o = Opts {
        cases: 10_000,
        w3_per: 8,
        only: vec!["w1".into(), "w2".into(), "w3".into()],
        export: None,
        profile: None,
        rounds: 7,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--cases" => o.cases = v.parse().expect("--cases N"),
            "--w3-per" => o.w3_per = v.parse().expect("--w3-per K"),
            "--only" => o.only = v.split(',').map(str::to_string).collect(),
            "--export" => o.export = Some(v.into()),
            "--profile" => o.profile = Some(v),
            "--rounds" => o.rounds = v.parse().expect("--rounds R"),
            "-h" | "--help" => {
                println!("cailiang-peers [--cases N] [--rounds R] [--w3-per K] [--only w1,w2,w3] [--export DIR] [--profile w1|w2|w3b:numbers|explained|json|jsonnum|parse|zen|rvm|wasmapi]");
                std::process::exit(0);
            }
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    o
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn ns(x: f64) -> String {
    if x >= 10_000.0 {
        format!("{:.1} µs", x / 1000.0)
    } else if x >= 1_000.0 {
        format!("{:.2} µs", x / 1000.0)
    } else {
        format!("{x:.0} ns")
    }
}

fn print_table(title: &str, n: usize, rounds: usize, suite: &Suite, reference: &str) {
    println!("\n### {title} ({n} cases, {rounds} rounds)\n");
    println!("| engine | pre-built | from JSON | ÷ {reference}, pre-built | ÷ {reference}, from JSON | wall: pre-built / from JSON |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    let cell = |e: &str, json: bool| suite.stat(e, json).map(|s| ns(s.median_ns)).unwrap_or_else(|| "—".into());
    let wall = |e: &str, json: bool| suite.stat(e, json).map(|s| ns(s.wall_ns)).unwrap_or_else(|| "—".into());
    let ratio = |e: &str, json: bool| {
        suite
            .ratio(e, reference, json)
            .map(|r| format!("{:.2}×", r.0))
            .unwrap_or_else(|| "—".into())
    };
    for e in suite.engines() {
        println!(
            "| {e} | {} | {} | {} | {} | {} / {} |",
            cell(&e, false),
            cell(&e, true),
            ratio(&e, false),
            ratio(&e, true),
            wall(&e, false),
            wall(&e, true),
        );
    }
}

/// The goals: the median over rounds of the within-round ratio, with its range.
fn goals(title: &str, suite: &Suite) {
    println!();
    let check = |what: &str, slow: &str, fast: &str, want: f64, at_least: bool| {
        for (mode, json) in [("pre-built", false), ("from JSON", true)] {
            if let Some((x, lo, hi)) = suite.ratio(slow, fast, json) {
                let ok = if at_least { x >= want } else { x <= want };
                println!(
                    "- {title}, {mode}: {what} = {x:.2}× (rounds {lo:.2}–{hi:.2}; goal {}{want}×): {}",
                    if at_least { "≥ " } else { "≤ " },
                    if ok { "met" } else { "MISSED" }
                );
            }
        }
    };
    check("ZEN ÷ cailiang", ZEN, CAILIANG, 10.0, true);
    check("regorus (interpreter) ÷ cailiang", REGO, CAILIANG, 5.0, true);
    check("regorus (RVM) ÷ cailiang", RVM, CAILIANG, 5.0, true);
    check("cailiang ÷ hand-written", CAILIANG, FLOOR, 3.0, false);
}

const CAILIANG: &str = "cailiang (numbers)";
const CAILIANG_EXPLAINED: &str = "cailiang (explained; JSON out)";
const ZEN: &str = "ZEN (zen-engine 2.1.6)";
const REGO: &str = "regorus 0.14.1 (interpreter)";
const RVM: &str = "regorus 0.14.1 (RVM)";
const FLOOR: &str = "hand-written Rust";
const WASM_NATIVE: &str = "cailiang (WASM API path, run natively)";

/// Check that every engine agrees on every case; panics with the first disagreements.
fn agree(what: &str, texts: &[String], answers: &[(&str, Vec<Answer>)]) {
    let mut bad = 0;
    for (i, t) in texts.iter().enumerate() {
        let first = answers[0].1[i];
        if answers.iter().any(|(_, a)| a[i] != first) {
            bad += 1;
            if bad <= 5 {
                eprintln!("{what}: disagreement on {t}");
                for (name, a) in answers {
                    eprintln!("    {name}: {:?}", a[i]);
                }
            }
        }
    }
    if bad > 0 {
        eprintln!("{what}: {bad} of {} cases disagree", texts.len());
        std::process::exit(1);
    }
    println!(
        "{what}: {} engines/paths agree on all {} cases",
        answers.len(),
        texts.len()
    );
}

fn summary(answers: &[Answer]) -> String {
    let n = answers.len();
    let pen = answers.iter().filter(|a| matches!(a, Answer::Penalty(_))).count();
    let no = answers.iter().filter(|a| matches!(a, Answer::NoPenalty)).count();
    let may = answers.iter().filter(|a| matches!(a, Answer::MayExempt(_))).count();
    let tb = answers.iter().filter(|a| matches!(a, Answer::TimeBarred)).count();
    format!("penalty {pen}, no_penalty {no}, may_exempt {may}, time_barred {tb} of {n}")
}

/// W1 or W2: the four engines on one decision shape.
fn shape(title: &str, params: Vec<spec::Params>, n: usize, rounds: usize, export: Option<&Path>) {
    let w1 = params.len() == 1;
    let (sources, jdm, policy, data, rule) = if w1 {
        let dir = root().join("rules");
        (
            vec![("w1.rules".to_string(), read(&dir.join("w1.rules")))],
            read(&dir.join("w1.jdm.json")),
            read(&dir.join("w1.rego")),
            None,
            "data.w1.result",
        )
    } else {
        (
            vec![("w2.rules".to_string(), spec::dsl(&params))],
            spec::jdm_w2(&params).to_string(),
            spec::REGO_W2.to_string(),
            Some(spec::rego_data(&params)),
            "data.w2.result",
        )
    };
    let texts = cases::shape_cases(&params, n, if w1 { 1 } else { 2 });

    let cl = Cailiang::new(sources.clone(), None);
    let zen = Zen::new(&jdm);
    let mut rego = Rego::new(&policy, data.as_ref(), rule);
    let mut rvm = rego.vm(data.as_ref());
    let table = floor::Table::new(params);

    // Native inputs, built outside the timed loops.
    let c_cases: Vec<_> = texts.iter().map(|t| cl.prepare(t).expect("case")).collect();
    let z_in: Vec<_> = texts.iter().map(|t| zen.prepare(t)).collect();
    let r_in: Vec<_> = texts.iter().map(|t| Rego::prepare(t)).collect();
    let f_in: Vec<_> = texts.iter().map(|t| table.parse(t).expect("floor parse")).collect();

    // Everyone agrees, from both input forms.
    let a_floor: Vec<_> = f_in.iter().map(|f| table.eval(f)).collect();
    let answers = vec![
        (FLOOR, a_floor.clone()),
        ("hand-written (JSON)", texts.iter().map(|t| table.eval_json(t)).collect()),
        (CAILIANG, c_cases.iter().map(|c| Cailiang::answer(&cl.numbers(c))).collect()),
        ("cailiang (explained)", c_cases.iter().map(|c| Cailiang::answer(&cl.explained(c))).collect()),
        ("cailiang (JSON → JSON)", texts.iter().map(|t| Cailiang::answer_json(&cl.json_to_json(t))).collect()),
        (ZEN, z_in.iter().map(|v| Zen::answer(&zen.eval(v))).collect()),
        ("ZEN (JSON)", texts.iter().map(|t| Zen::answer(&zen.eval_json(t))).collect()),
        (REGO, r_in.iter().map(|v| Rego::answer(&rego.eval(v))).collect()),
        ("regorus (JSON)", texts.iter().map(|t| Rego::answer(&rego.eval_json(t))).collect()),
        (RVM, r_in.iter().map(|v| Rego::answer(&rvm.eval(v))).collect()),
    ];
    agree(title, &texts, &answers);
    println!("{title}: {}", summary(&a_floor));

    if let Some(dir) = export {
        std::fs::create_dir_all(dir).expect("export dir");
        let tag = if w1 { "w1" } else { "w2" };
        let cases_jsonl = texts.join("\n") + "\n";
        let expected = format!("[{}]", a_floor.iter().map(Answer::json).collect::<Vec<_>>().join(",\n"));
        std::fs::write(dir.join(format!("{tag}-cases.jsonl")), cases_jsonl).expect("write");
        std::fs::write(dir.join(format!("{tag}-expected.json")), expected).expect("write");
        std::fs::write(dir.join(format!("{tag}.rules")), &sources[0].1).expect("write");
        println!("{title}: exported cases to {}", dir.display());
    }

    // The WASM package's code path, run natively (Ruleset::evaluate of wasm/src/lib.rs: JSON
    // text in, `{ok, json}` text out), for the WASM-in-Node comparison.
    let files = serde_json::Value::Object(
        sources
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    )
    .to_string();
    let wasm_rs = cailiang_wasm::compile_json(&files, None)
        .take_ruleset()
        .expect("wasm api compiles");

    eprintln!("{title}: timing…");
    let rego = std::cell::RefCell::new(rego);
    let rvm = std::cell::RefCell::new(rvm);
    let mut suite = Suite::default();
    suite.add(FLOOR, false, &f_in, |f| table.eval(f));
    suite.add(FLOOR, true, &texts, |t| table.eval_json(t));
    suite.add(CAILIANG, false, &c_cases, |c| cl.numbers(c));
    suite.add(CAILIANG, true, &texts, |t| cl.json_numbers(t));
    suite.add(CAILIANG_EXPLAINED, false, &c_cases, |c| cl.explained(c));
    suite.add(CAILIANG_EXPLAINED, true, &texts, |t| cl.json_to_json(t));
    suite.add(WASM_NATIVE, true, &texts, |t| wasm_rs.evaluate(t));
    suite.add(ZEN, false, &z_in, |v| zen.eval(v));
    suite.add(ZEN, true, &texts, |t| zen.eval_json(t));
    suite.add(REGO, false, &r_in, |v| rego.borrow_mut().eval(v));
    suite.add(REGO, true, &texts, |t| rego.borrow_mut().eval_json(t));
    suite.add(RVM, false, &r_in, |v| rvm.borrow_mut().eval(v));
    suite.add(RVM, true, &texts, |t| rvm.borrow_mut().eval_json(t));
    suite.run(rounds);
    print_table(title, texts.len(), rounds, &suite, CAILIANG);
    goals(title, &suite);
    drop(suite);

    // Re-check after timing: repeated evaluation of the same pre-built inputs changes nothing.
    let again: Vec<_> = z_in.iter().map(|v| Zen::answer(&zen.eval(v))).collect();
    let again_c: Vec<_> = c_cases.iter().map(|c| Cailiang::answer(&cl.numbers(c))).collect();
    assert!(again == a_floor && again_c == a_floor, "{title}: answers changed after timing");
}

fn guangdong_sources() -> Vec<(String, String)> {
    let root = root().join("../../rulesets");
    let mut sources = Vec::new();
    for d in ["national", "guangdong"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(d))
            .expect("rulesets")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().map(|x| x == "rules").unwrap_or(false))
            .collect();
        paths.sort();
        for p in paths {
            let name = format!("rulesets/{d}/{}", p.file_name().unwrap_or_default().to_string_lossy());
            sources.push((name, read(&p)));
        }
    }
    sources
}

/// W3: the shipped Guangdong rules on generated cases; the floor for three violations.
fn w3(per: usize, n_floor: usize, rounds: usize) {
    let cl = Cailiang::new(guangdong_sources(), Some("广东省生态环境行政处罚裁量基准"));
    let cat = cl.rs.catalogue();
    let mut r = rng::Rng::new(3);
    let mut texts = Vec::new();
    let mut c_cases = Vec::new();
    let mut rejected = 0;
    let mut codes = std::collections::BTreeSet::new();
    for e in &cat {
        for t in cases::gd_cases(e, per, &mut r) {
            match cl.prepare(&t) {
                Ok(c) => {
                    codes.insert(e.code.clone());
                    c_cases.push(c);
                    texts.push(t);
                }
                Err(_) => rejected += 1,
            }
        }
    }
    let answers: Vec<_> = c_cases.iter().map(|c| Cailiang::answer(&cl.numbers(c))).collect();
    // The explained decision and the JSON path give the same numbers.
    for (i, c) in c_cases.iter().enumerate() {
        assert_eq!(Cailiang::answer(&cl.explained(c)), answers[i], "explained vs numbers: {}", texts[i]);
        assert_eq!(Cailiang::answer_json(&cl.json_to_json(&texts[i])), answers[i], "JSON: {}", texts[i]);
    }
    let straddle = c_cases
        .iter()
        .filter(|c| cl.explained(c).choice_of_law.is_some())
        .count();
    println!(
        "W3: {} cases over {} codes ({} catalogue entries × {per}; {rejected} generated cases rejected by validation, e.g. a code not in force on the date); {}; {straddle} decided under two versions (从旧兼从轻)",
        texts.len(),
        codes.len(),
        cat.len(),
        summary(&answers)
    );
    eprintln!("W3: timing…");
    let mut suite = Suite::default();
    suite.add(CAILIANG, false, &c_cases, |c| cl.numbers(c));
    suite.add(CAILIANG, true, &texts, |t| cl.json_numbers(t));
    suite.add(CAILIANG_EXPLAINED, false, &c_cases, |c| cl.explained(c));
    suite.add(CAILIANG_EXPLAINED, true, &texts, |t| cl.json_to_json(t));
    suite.run(rounds);
    print_table("W3a: Guangdong, every violation, cailiang alone", texts.len(), rounds, &suite, CAILIANG);
    drop(suite);

    // W3b: against the hand-written floor.
    let ftexts = cases::gd_floor_cases(&cat, n_floor, 33);
    let f_cases: Vec<_> = ftexts.iter().map(|t| cl.prepare(t).expect("floor case")).collect();
    let f_in: Vec<_> = ftexts.iter().map(|t| floor::gd_parse(t).expect("floor parse")).collect();
    for (i, c) in f_cases.iter().enumerate() {
        let d = cl.explained(c);
        assert!(
            d.adjustments.is_empty() && d.exemption.is_none() && d.choice_of_law.is_none(),
            "W3b case is not on the table path: {}",
            ftexts[i]
        );
    }
    let answers = vec![
        (FLOOR, f_in.iter().map(floor::gd_eval).collect::<Vec<_>>()),
        ("hand-written (JSON)", ftexts.iter().map(|t| floor::gd_eval_json(t)).collect()),
        (CAILIANG, f_cases.iter().map(|c| Cailiang::answer(&cl.numbers(c))).collect()),
        ("cailiang (JSON → JSON)", ftexts.iter().map(|t| Cailiang::answer_json(&cl.json_to_json(t))).collect()),
    ];
    agree("W3b (EIA-31-1, AIR-99-1, AIR-98)", &ftexts, &answers);
    let mut suite = Suite::default();
    suite.add(FLOOR, false, &f_in, floor::gd_eval);
    suite.add(FLOOR, true, &ftexts, |t| floor::gd_eval_json(t));
    suite.add(CAILIANG, false, &f_cases, |c| cl.numbers(c));
    suite.add(CAILIANG, true, &ftexts, |t| cl.json_numbers(t));
    suite.add(CAILIANG_EXPLAINED, false, &f_cases, |c| cl.explained(c));
    suite.add(CAILIANG_EXPLAINED, true, &ftexts, |t| cl.json_to_json(t));
    suite.run(rounds);
    let title = "W3b: Guangdong EIA-31-1, AIR-99-1, AIR-98 (2024, table path) against the floor";
    print_table(title, ftexts.len(), rounds, &suite, CAILIANG);
    println!();
    for (mode, json) in [("pre-built", false), ("from JSON", true)] {
        if let Some((x, lo, hi)) = suite.ratio(CAILIANG, FLOOR, json) {
            println!("- W3b, {mode}: cailiang ÷ hand-written = {x:.2}× (rounds {lo:.2}–{hi:.2})");
        }
    }
}

/// Only cailiang on one workload and mode, a fixed number of evaluations: for
/// `valgrind --tool=callgrind` (README.md, "Where the time goes").
fn profile(spec: &str, n: usize) {
    let (w, mode) = spec.split_once(':').unwrap_or((spec, "numbers"));
    let (cl, texts) = match w {
        "w1" => (
            Cailiang::new(vec![("w1.rules".into(), read(&root().join("rules/w1.rules")))], None),
            cases::shape_cases(&[spec::w1()], 1000, 1),
        ),
        "w2" => {
            let ps = spec::w2(50);
            (Cailiang::new(vec![("w2.rules".into(), spec::dsl(&ps))], None), cases::shape_cases(&ps, 1000, 2))
        }
        _ => {
            let cl = Cailiang::new(guangdong_sources(), Some("广东省生态环境行政处罚裁量基准"));
            let t = cases::gd_floor_cases(&cl.rs.catalogue(), 999, 33);
            (cl, t)
        }
    };
    let cs: Vec<_> = texts.iter().map(|t| cl.prepare(t).expect("case")).collect();
    let mut sink = 0usize;
    if mode == "wasmapi" {
        // The native side of the WASM comparison (wasm-node.mjs): the package's Rust entry
        // point, JSON text in and `{ok, json}` text out, timed like the Node script times it.
        let files = format!(
            "{{\"{w}.rules\":{}}}",
            serde_json::Value::String(read(&root().join("rules/w1.rules")))
        );
        let rs = cailiang_wasm::compile_json(&files, None).take_ruleset().expect("compiles");
        let exported = std::fs::read_to_string(root().join("target/export/w1-cases.jsonl"));
        let texts: Vec<String> = match exported {
            Ok(s) => s.lines().map(str::to_string).collect(),
            Err(_) => texts,
        };
        for t in &texts {
            sink += rs.evaluate(t).len();
        }
        let mut runs = Vec::new();
        for _ in 0..3 {
            let c = timing::cpu_ns();
            for i in 0..n {
                sink += rs.evaluate(&texts[i % texts.len()]).len();
            }
            runs.push((timing::cpu_ns() - c) as f64 / n as f64);
        }
        runs.sort_by(|a, b| a.total_cmp(b));
        println!("| native (same Rust entry point) | {:.2} µs | ({sink}) |", runs[1] / 1000.0);
        return;
    }
    if mode == "zen" || mode == "rvm" {
        // The peers, to check that they are used as intended (compiled, cached).
        let dir = root().join("rules");
        let zen = Zen::new(&read(&dir.join("w1.jdm.json")));
        let mut rego = Rego::new(&read(&dir.join("w1.rego")), None, "data.w1.result");
        let mut vm = rego.vm(None);
        let zi: Vec<_> = texts.iter().map(|t| zen.prepare(t)).collect();
        let ri: Vec<_> = texts.iter().map(|t| Rego::prepare(t)).collect();
        for i in 0..n {
            let k = i % texts.len();
            sink += if mode == "zen" {
                Zen::answer(&zen.eval(&zi[k])) as Answer != Answer::Error
            } else {
                Rego::answer(&vm.eval(&ri[k])) != Answer::Error
            } as usize;
        }
        println!("{n} evaluations ({w}, {mode}); {sink}");
        return;
    }
    for i in 0..n {
        let k = i % cs.len();
        sink += match mode {
            "explained" => cl.explained(&cs[k]).explanation.len(),
            "json" => cl.json_to_json(&texts[k]).len(),
            "jsonnum" => cl.json_numbers(&texts[k]).basis.len(),
            "parse" => serde_json::from_str::<serde_json::Value>(&texts[k]).map(|v| v.is_object() as usize).unwrap_or(0),
            _ => cl.numbers(&cs[k]).basis.len(),
        };
    }
    println!("{n} evaluations ({w}, {mode}); {sink}");
}

fn main() {
    let o = opts();
    if let Some(p) = &o.profile {
        profile(p, o.cases);
        return;
    }
    println!(
        "cailiang peer benchmark: {} cases per workload, single thread, CPU time per evaluation (median of {} interleaved rounds)",
        o.cases, o.rounds
    );
    if o.only.iter().any(|w| w == "w1") {
        shape("W1: one violation", vec![spec::w1()], o.cases, o.rounds, o.export.as_deref());
    }
    if o.only.iter().any(|w| w == "w2") {
        shape("W2: 50 violations", spec::w2(50), o.cases, o.rounds, o.export.as_deref());
    }
    if o.only.iter().any(|w| w == "w3") {
        w3(o.w3_per, o.cases.min(6_000), o.rounds);
    }
}
