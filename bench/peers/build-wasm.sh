#!/usr/bin/env bash
# Build the cailiang WASM package for the Node timing, into bench/peers/target/wasm-<opt>/pkg,
# the way scripts/build-wasm does (wasm32 release build, wasm-opt before wasm-bindgen, the
# package's index.js) but without touching wasm/pkg or web/. Two variants:
#   z — what scripts/build-wasm ships (opt-level "z", wasm-opt -Oz): size first;
#   3 — the same at opt-level 3 and wasm-opt -O3: speed first.
# Function names are kept for profiling (they do not change speed).
# Usage: bash build-wasm.sh [z] [3]   (both by default)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$( (wasm-bindgen --version 2>/dev/null || true) | awk '{print $2}')
[ "$have" = "$want" ] || { echo "wasm-bindgen $want needed (found '${have:-none}'): run scripts/build-wasm once" >&2; exit 1; }
for opt in "${@:-z 3}"; do
  for o in $opt; do
    out="$here/target/wasm-$o"
    echo "== wasm32 release, opt-level $o → $out/pkg"
    CARGO_TARGET_DIR="$out/cargo" CARGO_PROFILE_RELEASE_OPT_LEVEL="$o" \
      nice -n 15 cargo build -q -j 1 -p cailiang-wasm --release --target wasm32-unknown-unknown
    raw="$out/cargo/wasm32-unknown-unknown/release/cailiang_wasm.wasm"
    mod="$raw"
    if command -v wasm-opt >/dev/null 2>&1; then
      wasm-opt "-O$o" -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue -o "$raw.opt" "$raw"
      mod="$raw.opt"
    fi
    rm -rf "$out/pkg"
    # Function names are kept (unlike the shipped package) so that `node --cpu-prof` can name
    # them; they do not change speed.
    wasm-bindgen --target web --out-dir "$out/pkg" --out-name cailiang_wasm "$mod"
    cp wasm/js/index.js wasm/js/index.d.ts "$out/pkg/"
    echo "   $(wc -c <"$out/pkg/cailiang_wasm_bg.wasm") bytes"
  done
done
