//! `cailiang catalogue … | head -1`: a reader that goes away must not make the CLI panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn closed_stdout_ends_quietly() {
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/../rulesets/guangdong");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cailiang"))
        .args(["catalogue", rules])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the rest of the catalogue meets a closed pipe.
    let out = child.wait_with_output().unwrap();
    assert!(!first.is_empty());
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
