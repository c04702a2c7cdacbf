//! Arbitrary bytes as a case (JSON and YAML) against the compiled Guangdong ruleset: a
//! decision or a case error, never a panic. An arithmetic error (overflow of the decimal
//! range with huge inputs) is the engine's documented answer and allowed; an internal error
//! (a type error at run time) or nesting error is a bug. The direct JSON reader must read
//! what the full validation reads whenever it does not decline.
#![no_main]
use cailiang_engine::case::{parse_json, read_json, validate};
use cailiang_engine::{EngineError, EvalError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let rs = cailiang_fuzz::guangdong();
    let text = String::from_utf8_lossy(data);
    if let Some(fast) = read_json(rs, &text) {
        let full = parse_json(&text).and_then(|j| validate(rs, &j));
        // `Debug` shows each decimal's scale, which `==` ignores.
        assert_eq!(
            format!("{:?}", Ok::<_, ()>(&fast)),
            format!("{:?}", full.as_ref().map_err(|_| ())),
            "the direct reader read what validation refuses or reads otherwise:\n{text}"
        );
    }
    for yaml in [false, true] {
        match rs.evaluate_text(&text, yaml) {
            Ok(d) => {
                let _ = (d.to_json(), d.to_text());
            }
            Err(EngineError::Case(errs)) => {
                assert!(!errs.is_empty(), "a case error without errors");
                for e in &errs {
                    let _ = (e.to_string(), e.code(), e.field());
                }
            }
            Err(EngineError::Eval(EvalError::Arithmetic { .. })) => {}
            Err(EngineError::Eval(e)) => panic!("engine error {e:?} (yaml: {yaml}) for\n{text}"),
        }
    }
});
