#!/usr/bin/env bash
# WASM in Node against native, alternating so both see the same machine: the native side is
# the package's own Rust entry point (Ruleset::evaluate of wasm/src/lib.rs, JSON text in,
# `{ok, json}` text out) run natively on the same exported W1 cases.
# Needs: cargo run --release -- --only w1 --export target/export; bash build-wasm.sh
set -euo pipefail
cd "$(dirname "$0")"
N=${N:-50000}
for round in 1 2 3; do
  echo "## round $round"
  nice -n 15 ./target/release/cailiang-peers --profile w1:wasmapi --cases "$N"
  for pkg in ../../wasm/pkg target/wasm-z/pkg target/wasm-3/pkg; do
    [ -f "$pkg/cailiang_wasm_bg.wasm" ] || continue
    CAILIANG_PKG=$pkg N=$N nice -n 15 node wasm-node.mjs target/export | grep '^| raw' | sed "s#raw handle#$pkg: raw handle#"
  done
done
