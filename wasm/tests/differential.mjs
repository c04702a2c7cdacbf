// Differential testing, WASM side: read the JSONL written by the native generator
// (tests/examples/gen-cases.rs), compile the header's rule files with the WASM build, evaluate
// every case and compare the result byte for byte with the native one. Run by
// scripts/differential (not a node:test file: `node --test wasm/tests/` does not pick it up).
//
//   cargo run -q -p cailiang-tests --example gen-cases -- rulesets/guangdong 1000 7 \
//     | node wasm/tests/differential.mjs -          (or a .jsonl file instead of -)
//
// What is compared: the text the raw export `Ruleset.evaluate(caseJson)` returns —
// `{"ok":true,"json":"<decision>"}` or `{"ok":false,"errors":[…]}` — against the text native
// code made for the same case with the same functions (cailiang_wasm::api::evaluate), so the
// decision JSON (explanations included) and every case error must agree to the byte. Every
// case also goes through the public wrapper (index.js), which must give the same `json`
// or the same `errors`. Prints counts, then the first mismatches with the case and how to
// reproduce it; exits 1 on any mismatch.
import { createReadStream, readFileSync, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PKG = process.env.CAILIANG_WASM_PKG ? resolve(process.env.CAILIANG_WASM_PKG) : join(ROOT, 'wasm/pkg');
const SHOW = Number(process.env.DIFF_SHOW ?? 3); // mismatches printed in full

const input = process.argv[2];
if (!input) {
  console.error('用法：node wasm/tests/differential.mjs FILE.jsonl | -');
  process.exit(2);
}
if (!existsSync(join(PKG, 'cailiang_wasm_bg.wasm'))) {
  console.error(`${PKG} 不存在：先运行 scripts/build-wasm`);
  process.exit(2);
}

const api = await import(join(PKG, 'index.js'));
await api.default(readFileSync(join(PKG, 'cailiang_wasm_bg.wasm')));
// The same module instance index.js initialised (one URL, one module).
const raw = await import(join(PKG, 'cailiang_wasm.js'));

const lines = createInterface({
  input: input === '-' ? process.stdin : createReadStream(input),
  crlfDelay: Infinity,
});

let header;
let rawRs; // raw wasm-bindgen handle: evaluate() returns the report text
let wrapped; // the public API's Ruleset
const counts = { cases: 0, decided: 0, rejected: 0, mismatches: 0 };
const outcomes = {};
const errorCodes = {};
const tags = {};
const shown = [];
const started = performance.now();
let wasmMs = 0;

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function excerpt(s, at) {
  return JSON.stringify(s.slice(Math.max(0, at - 120), at + 200));
}

function report(c, what, native, wasm) {
  counts.mismatches++;
  if (shown.length >= SHOW) return;
  const at = firstDifference(native, wasm);
  shown.push(
    [
      `不一致 #${counts.mismatches}: case ${c.i} (${c.codes.join(', ')}; ${c.tags.join(', ')}) — ${what}`,
      `  case:   ${c.case}`,
      `  first difference at character ${at} (native ${native.length}, wasm ${wasm.length} characters)`,
      `  native: …${excerpt(native, at)}…`,
      `  wasm:   …${excerpt(wasm, at)}…`,
      `  reproduce: cargo run -q -p cailiang-tests --example gen-cases -- ${header.dir} 0 ${header.seed} --only ${c.i}`,
      `             (the case on stdin: cargo run -q -p cailiang-cli -- eval --rules ${header.dir} - --format json)`,
    ].join('\n'),
  );
}

for await (const line of lines) {
  if (!line) continue;
  const c = JSON.parse(line);
  if (c.header) {
    header = c;
    const comp = raw.compile(JSON.stringify(c.files), c.leaf ?? undefined);
    const rep = JSON.parse(comp.report());
    if (!rep.ok) {
      console.error(`${c.dir}: WASM 未能编译：${JSON.stringify(rep.diagnostics.slice(0, 3))}`);
      process.exit(1);
    }
    rawRs = comp.takeRuleset();
    comp.free();
    const w = api.compile(c.files, c.leaf ?? undefined);
    if (!w.ok) {
      console.error(`${c.dir}: compile() failed: ${JSON.stringify(w.diagnostics.slice(0, 3))}`);
      process.exit(1);
    }
    wrapped = w.ruleset;
    if (rawRs.name() !== c.name || wrapped.name !== c.name) {
      console.error(`${c.dir}: ruleset ${rawRs.name()} ≠ native ${c.name}`);
      process.exit(1);
    }
    continue;
  }
  if (!rawRs) {
    console.error('JSONL 缺少首行 header');
    process.exit(2);
  }
  counts.cases++;
  for (const t of c.tags) tags[t] = (tags[t] ?? 0) + 1;

  const t0 = performance.now();
  const mine = rawRs.evaluate(c.case);
  wasmMs += performance.now() - t0;
  const native = JSON.parse(c.native);
  if (native.ok) {
    counts.decided++;
    const o = JSON.parse(native.json).outcome;
    outcomes[o] = (outcomes[o] ?? 0) + 1;
  } else {
    counts.rejected++;
    for (const e of native.errors) errorCodes[e.code] = (errorCodes[e.code] ?? 0) + 1;
  }
  if (mine !== c.native) {
    // Show the decision texts themselves when both decided (no double escaping).
    let m;
    try {
      m = JSON.parse(mine);
    } catch {
      m = {};
    }
    if (native.ok && m.ok && typeof m.json === 'string') report(c, 'decision JSON differs', native.json, m.json);
    else report(c, native.ok === m.ok ? 'case errors differ' : 'one decided, the other rejected', c.native, mine);
    continue;
  }
  // The public wrapper: same decision text, or the same errors.
  const w = wrapped.evaluate(c.case);
  const same = native.ok ? w.ok === true && w.json === native.json : w.ok === false && isDeepStrictEqual(w.errors, native.errors);
  if (!same) report(c, 'the index.js wrapper differs from the raw export', c.native, JSON.stringify(w));
}

if (!header) {
  console.error('没有输入');
  process.exit(2);
}
rawRs.free();
wrapped.free();

const sorted = (o) =>
  Object.entries(o)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
const secs = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `differential ${header.dir} (${header.name}, seed ${header.seed}): ${counts.cases} cases over ${header.entries} codes — ` +
    `${counts.decided} decided, ${counts.rejected} rejected; ${counts.mismatches} mismatches; ` +
    `${secs}s (WASM evaluate ${(wasmMs / 1000).toFixed(1)}s)`,
);
console.log(`  outcomes: ${sorted(outcomes)}`);
console.log(`  case errors: ${sorted(errorCodes) || 'none'}`);
if (process.env.DIFF_VERBOSE) console.log(`  tags: ${sorted(tags)}`);
for (const s of shown) console.log(s);
if (counts.cases !== header.count) {
  console.error(`expected ${header.count} cases, read ${counts.cases}`);
  process.exit(1);
}
process.exit(counts.mismatches ? 1 : 0);
