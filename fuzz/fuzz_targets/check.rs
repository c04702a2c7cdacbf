//! Arbitrary text as one `.rules` file: parse + check never panic. Three ways: alone; appended
//! to the shipped 全国通则 file (行政处罚法-总则.rules) so its names resolve; and, when the text
//! parses as a file of its own, after the whole shipped national rules (全国通则 ←
//! 全国生态环境法律, parsed once) as another file, as a province's file is checked. When the
//! program checks, it compiles and yields a catalogue without panicking.
#![no_main]
use cailiang_dsl::{CheckOutput, SourceFile};
use cailiang_engine::Ruleset;
use libfuzzer_sys::fuzz_target;

fn finish(out: CheckOutput) {
    for d in &out.diagnostics {
        let _ = format!("{d:?}");
    }
    if let Some(p) = out.program {
        if let Ok(rs) = Ruleset::compile(&p, None) {
            let _ = rs.catalogue();
        }
    }
}

fuzz_target!(|text: &str| {
    finish(cailiang_dsl::load(vec![(
        "fuzz.rules".into(),
        text.to_string(),
    )]));
    let (name, general) = cailiang_fuzz::general();
    finish(cailiang_dsl::load(vec![(
        name.clone(),
        format!("{general}\n{text}"),
    )]));
    let (files, asts) = cailiang_fuzz::national_parsed();
    let id = files.len() as cailiang_dsl::FileId;
    if let Ok(ast) = cailiang_dsl::parse(id, text) {
        let mut files = files.clone();
        files.push(SourceFile::new("fuzz.rules", text));
        let mut asts = asts.clone();
        asts.push(ast);
        finish(cailiang_dsl::check(files, &asts));
    }
});
