// Time the cailiang WebAssembly package in Node on W1 (bench/peers/README.md).
//
//   cargo run --release -- --only w1 --export target/export   # the cases and expected answers
//   node wasm-node.mjs [target/export]                         # CAILIANG_PKG=… N=100000
//
// Checks every exported case against the answer all native engines agreed on, then times N
// evaluations (cycling through the cases) two ways: the raw wasm-bindgen handle (JSON text in,
// `{ok, json}` text out: the same Rust as the native "WASM API path" row) and the package's
// documented wrapper `Ruleset.evaluate(text)` (which also JSON.parses the reply twice).
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const PKG = resolve(process.env.CAILIANG_PKG ?? join(here, '../../wasm/pkg'));
const DATA = resolve(process.argv[2] ?? join(here, 'target/export'));
const N = Number(process.env.N ?? 100_000);

const api = await import(pathToFileURL(join(PKG, 'index.js')).href);
await api.default(await readFile(join(PKG, 'cailiang_wasm_bg.wasm')));
const raw = await import(pathToFileURL(join(PKG, 'cailiang_wasm.js')).href); // same instance

const rules = await readFile(join(DATA, 'w1.rules'), 'utf8');
const cases = (await readFile(join(DATA, 'w1-cases.jsonl'), 'utf8')).split('\n').filter(Boolean);
const expected = JSON.parse(await readFile(join(DATA, 'w1-expected.json'), 'utf8'));

const c = api.compile({ 'w1.rules': rules });
if (!c.ok) throw new Error(JSON.stringify(c.diagnostics));
const wrapped = c.ruleset;
const handle = raw.compile(JSON.stringify({ 'w1.rules': rules })).takeRuleset();

// 1. Same answers as the native engines, on every case.
let bad = 0;
cases.forEach((text, i) => {
  const r = wrapped.evaluate(text);
  const d = r.decision;
  const got = { outcome: d.outcome, amount: d.outcome === 'no_penalty' ? null : d.fine.recommended };
  const want = expected[i];
  if (got.outcome !== want.outcome || got.amount !== want.amount) {
    if (++bad <= 5) console.error('disagreement', text, got, want);
  }
  const h = JSON.parse(handle.evaluate(text));
  if (!h.ok || h.json !== r.json) bad++;
});
if (bad) {
  console.error(`${bad} of ${cases.length} cases disagree`);
  process.exit(1);
}
console.log(`WASM (${PKG}): agrees with the native engines on all ${cases.length} W1 cases`);

// 2. Timing: median of 3 runs of N evaluations after a warm-up pass. CPU time of the process
// (process.cpuUsage: the machine is shared) and wall time.
const fmt = (ns) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
function time(label, f) {
  for (let i = 0; i < cases.length; i++) f(cases[i]);
  const runs = [];
  for (let k = 0; k < 3; k++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let sink = 0;
    for (let i = 0; i < N; i++) sink += f(cases[i % cases.length]).length;
    const t1 = process.hrtime.bigint();
    const c1 = process.cpuUsage(c0);
    if (sink < 0) console.log(sink);
    runs.push({ cpu: ((c1.user + c1.system) * 1000) / N, wall: Number(t1 - t0) / N });
  }
  runs.sort((a, b) => a.cpu - b.cpu);
  const m = runs[1];
  console.log(`| ${label} | ${fmt(m.cpu)} | ${fmt(m.wall)} |`);
  return m;
}
console.log(`\n${N} evaluations per run, Node ${process.version}\n`);
console.log('| WASM in Node (W1, from JSON) | CPU per evaluation | wall |');
console.log('| --- | ---: | ---: |');
time('raw handle: JSON text → `{ok, json}` text', (t) => handle.evaluate(t));
if (typeof handle.decide === 'function') {
  time('raw handle: JSON text → tagged decision text (`decide`)', (t) => handle.decide(t));
}
time('wrapper `Ruleset.evaluate(text)` (reply parsed)', (t) => wrapped.evaluate(t).json);
