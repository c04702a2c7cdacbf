//! If the text parses: format it, re-parse the result, the trees are equal (spans compare
//! equal, so trees compare by meaning), and formatting the result again changes nothing.
#![no_main]
use cailiang_dsl::format::format_parsed;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(a) = cailiang_dsl::parse(0, text) else {
        return;
    };
    let once = format_parsed(&a, text);
    let b = match cailiang_dsl::parse(0, &once) {
        Ok(b) => b,
        Err(e) => {
            panic!("formatted text does not parse: {e:?}\n--- input\n{text}\n--- formatted\n{once}")
        }
    };
    assert!(
        a == b,
        "formatting changed the meaning\n--- input\n{text}\n--- formatted\n{once}\n--- before\n{a:#?}\n--- after\n{b:#?}"
    );
    let twice = format_parsed(&b, &once);
    assert!(
        once == twice,
        "formatting is not idempotent\n--- input\n{text}\n--- once\n{once}\n--- twice\n{twice}"
    );
});
