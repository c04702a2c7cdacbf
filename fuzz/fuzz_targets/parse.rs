//! Arbitrary UTF-8 → `cailiang_dsl::parse`: Ok or a ParseError, never a panic; an error's
//! diagnostic renders.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = cailiang_dsl::parse(0, text) {
        let d = e.to_diagnostic();
        let _ = (e.code(), e.help(), e.span(), d);
    }
});
