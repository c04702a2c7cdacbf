// Conformance of the WASM package with the native engine (run: node --test wasm/tests/).
//
// Needs wasm/pkg (scripts/build-wasm). Builds the native CLI if missing, then checks, for every
// ruleset folder under rulesets/: the same diagnostics as `cailiang check --format json`, the same
// catalogue as `cailiang catalogue --format json`, and for every example case the decision JSON
// byte for byte as `cailiang eval --format json` prints it (or the same case errors). The rules
// are loaded exactly as the CLI loads them (display names, order, parents from sibling folders)
// by the native helper wasm/examples/export.rs; YAML cases are turned into JSON by the engine's
// own reader there. Rulesets under rulesets/invalid/ must give the CLI's diagnostics, and
// format() must agree with `cailiang fmt`.
import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PKG = join(ROOT, 'wasm/pkg');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
const CLI = join(TARGET, 'debug', process.platform === 'win32' ? 'cailiang.exe' : 'cailiang');

let api; // the package
let exported; // [{dir, leaf, files, cases}]

function cargo(args) {
  return execFileSync('cargo', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Run the native CLI (cwd = repo root, so display names match); never throws. */
function cli(args) {
  return new Promise((res) => {
    execFile(CLI, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      res({ status: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Map with at most `n` jobs in flight. */
async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

function rulesetDirs() {
  // Every folder under rulesets/ that holds .rules files (positive-list/hainan … included).
  const out = [];
  const walk = (rel) => {
    const abs = join(ROOT, rel);
    const entries = readdirSync(abs);
    if (entries.some((f) => f.endsWith('.rules'))) out.push(rel);
    for (const e of entries) {
      if (e === 'invalid' || e === 'examples') continue;
      if (statSync(join(abs, e)).isDirectory()) walk(`${rel}/${e}`);
    }
  };
  walk('rulesets');
  return out.filter((d) => d !== 'rulesets').sort();
}

before(async () => {
  assert.ok(existsSync(join(PKG, 'cailiang_wasm_bg.wasm')), 'wasm/pkg 不存在：先运行 scripts/build-wasm');
  cargo(['build', '-q', '-p', 'cailiang-cli']);
  exported = JSON.parse(cargo(['run', '-q', '-p', 'cailiang-wasm', '--example', 'export', '--', ...rulesetDirs()]));
  api = await import(join(PKG, 'index.js'));
  await api.default(readFileSync(join(PKG, 'cailiang_wasm_bg.wasm')));
});

describe('rulesets under rulesets/ agree with the native CLI', () => {
  test('every ruleset folder compiles with the diagnostics and catalogue of the CLI', async () => {
    assert.ok(exported.length >= 2, 'expected national and guangdong');
    for (const rs of exported) {
      const r = api.compile(rs.files, rs.leaf ?? undefined);
      const check = await cli(['check', rs.dir, '--format', 'json']);
      assert.deepEqual(r.diagnostics, JSON.parse(check.stdout), `${rs.dir}: diagnostics differ`);
      assert.equal(r.ok, true, `${rs.dir}: ${JSON.stringify(r.diagnostics.slice(0, 3))}`);
      const cat = await cli(['catalogue', rs.dir, '--format', 'json']);
      assert.equal(cat.status, 0, cat.stderr);
      const mine = r.ruleset.catalogue();
      assert.equal(mine.ok, true);
      assert.deepEqual(mine.catalogue, JSON.parse(cat.stdout), `${rs.dir}: catalogue differs`);
      r.ruleset.free();
    }
  });

  test('every example case: the decision JSON is byte for byte the native one', async () => {
    let compared = 0;
    let decided = 0;
    for (const rs of exported) {
      if (!rs.cases.length) continue;
      const r = api.compile(rs.files, rs.leaf ?? undefined);
      assert.equal(r.ok, true);
      // One CLI process decides every case of the folder (a process per case costs a rules
      // compile each). `cailiang eval … --format json` prints the decisions of the cases it
      // could decide, `[d1,\nd2,…]` when there are several, and each case's errors on stderr as
      // `PATH: 错误[CODE]: message`, in case order (cli/src/eval.rs) — rebuild exactly that text
      // from the WASM results and compare it byte for byte.
      const n = await cli(['eval', '--rules', rs.dir, ...rs.cases.map((c) => c.path), '--format', 'json']);
      const outputs = [];
      const errors = [];
      for (const c of rs.cases) {
        const w = r.ruleset.evaluate(c.case);
        if (w.ok) {
          assert.deepEqual(w.decision, JSON.parse(w.json));
          outputs.push(w.json);
          decided++;
        } else {
          for (const e of w.errors) errors.push(`${c.path}: 错误[${e.code}]: ${e.message}\n`);
        }
        compared++;
      }
      const stdout = outputs.length > 1 ? `[${outputs.join(',\n')}]\n` : outputs.map((o) => `${o}\n`).join('');
      assert.equal(errors.join(''), n.stderr, `${rs.dir}: case errors differ`);
      if (stdout !== n.stdout) {
        // Name the first case that differs.
        const native = JSON.parse(outputs.length > 1 ? n.stdout : `[${n.stdout}]`);
        outputs.forEach((o, i) => {
          assert.equal(o, JSON.stringify(native[i], null, 2), `${rs.dir}: decision ${i + 1} differs`);
        });
        assert.equal(stdout, n.stdout, `${rs.dir}: decision JSON differs`);
      }
      assert.equal(n.status, errors.length ? 1 : 0);
      r.ruleset.free();
    }
    assert.ok(compared >= 30, `only ${compared} example cases compared`);
    assert.ok(decided > 0);
    console.log(`# ${compared} example cases compared (${decided} decisions, ${compared - decided} with case errors)`);
  });
  test('every example profile: the supervision JSON is byte for byte the native one', async () => {
    let compared = 0;
    const isProfile = (c) => {
      try {
        const v = JSON.parse(c.case);
        return v && typeof v === 'object' && 'as_of' in v && !('violation' in v);
      } catch {
        return false;
      }
    };
    for (const rs of exported) {
      const profiles = rs.cases.filter(isProfile);
      if (!profiles.length) continue;
      const r = api.compile(rs.files, rs.leaf ?? undefined);
      assert.equal(r.ok, true);
      // Same output convention as eval (cli/src/supervise.rs).
      const n = await cli(['supervise', '--rules', rs.dir, ...profiles.map((c) => c.path), '--format', 'json']);
      const outputs = [];
      const errors = [];
      for (const c of profiles) {
        const w = r.ruleset.supervise(c.case);
        if (w.ok) {
          assert.deepEqual(w.supervision, JSON.parse(w.json));
          outputs.push(w.json);
        } else {
          for (const e of w.errors) errors.push(`${c.path}: 错误[${e.code}]: ${e.message}\n`);
        }
        compared++;
      }
      const stdout = outputs.length > 1 ? `[${outputs.join(',\n')}]\n` : outputs.map((o) => `${o}\n`).join('');
      assert.equal(errors.join(''), n.stderr, `${rs.dir}: profile errors differ`);
      assert.equal(stdout, n.stdout, `${rs.dir}: supervision JSON differs`);
      r.ruleset.free();
    }
    assert.ok(compared >= 10, `only ${compared} example profiles compared`);
    console.log(`# ${compared} example profiles compared`);
  });
});

describe('invalid rulesets give the CLI diagnostics', () => {
  test('each file and folder under rulesets/invalid/', async () => {
    const base = join(ROOT, 'rulesets/invalid');
    const paths = readdirSync(base)
      .filter((f) => f.endsWith('.rules') || statSync(join(base, f)).isDirectory())
      .sort()
      .map((f) => `rulesets/invalid/${f}`);
    const sets = JSON.parse(cargo(['run', '-q', '-p', 'cailiang-wasm', '--example', 'export', '--', ...paths]));
    const native = await pool(paths, 4, (p) => cli(['check', p, '--format', 'json']));
    sets.forEach((rs, i) => {
      const r = api.compile(rs.files, rs.leaf ?? undefined);
      // `cailiang check` stops at the checker; compile may add J0002 (no ruleset to use).
      const diags = r.diagnostics.filter((d) => !d.code.startsWith('J'));
      assert.deepEqual(diags, JSON.parse(native[i].stdout), `${paths[i]}: diagnostics differ`);
      const expected = /^[ew]\d{4}/.exec(paths[i].split('/').pop())?.[0].toUpperCase();
      if (expected) assert.ok(diags.some((d) => d.code === expected), `${paths[i]}: ${expected} not reported`);
      if (r.ok) r.ruleset.free();
    });
    assert.ok(paths.length > 50);
  });
});

test('format() agrees with `cailiang fmt`', async () => {
  const files = [];
  const walk = (d) => {
    for (const f of readdirSync(join(ROOT, d)).sort()) {
      const p = `${d}/${f}`;
      if (statSync(join(ROOT, p)).isDirectory()) walk(p);
      else if (f.endsWith('.rules')) files.push(p);
    }
  };
  walk('rulesets');
  const tmp = mkdtempSync(join(tmpdir(), 'cailiang-fmt-'));
  try {
    const copies = files.map((p, i) => {
      const to = join(tmp, `${String(i).padStart(3, '0')}.rules`);
      cpSync(join(ROOT, p), to);
      return to;
    });
    spawnSync(CLI, ['fmt', tmp], { encoding: 'utf8' });
    let formatted = 0;
    files.forEach((p, i) => {
      const text = readFileSync(join(ROOT, p), 'utf8');
      const r = api.format(text, p);
      const native = readFileSync(copies[i], 'utf8');
      if (r.ok) {
        assert.equal(r.text, native, `${p}: format differs`);
        formatted++;
      } else {
        assert.equal(native, text, `${p}: the CLI formatted a file WASM could not parse`);
        assert.equal(r.diagnostics[0].file, p);
      }
    });
    assert.ok(formatted > 10);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

describe('the JavaScript API never throws and tags every result', () => {
  test('compile: bad arguments and rule errors are diagnostics', () => {
    for (const bad of [null, 42, 'text', ['a'], { 'a.rules': 1 }]) {
      const r = api.compile(bad);
      assert.equal(r.ok, false);
      assert.equal(r.diagnostics[0].code, 'J0001', JSON.stringify(bad));
    }
    const r = api.compile({ 'x.rules': '规则集 示例\n事实 甲 金额\n' });
    assert.equal(r.ok, false);
    assert.deepEqual(
      Object.keys(r.diagnostics[0]),
      ['code', 'severity', 'message', 'help', 'file', 'line', 'column', 'end_line', 'end_column'],
    );
    assert.equal(r.diagnostics[0].file, 'x.rules');
    assert.equal(r.diagnostics[0].line, 2);
    const map = api.compile(new Map([['m.rules', '规则集 示例\n事实 甲：金额\n']]));
    assert.equal(map.ok, true);
    const none = api.compile({ 'a.rules': '规则集 示例\n' }, '不存在');
    assert.equal(none.ok, false);
    assert.equal(none.diagnostics.at(-1).code, 'J0002');
  });

  test('evaluate: objects or text; every problem with code and field', () => {
    const gd = exported.find((x) => x.dir.endsWith('guangdong'));
    const { ruleset } = api.compile(gd.files, gd.leaf);
    const ex = gd.cases.find((c) => c.name.startsWith('EIA-31-1'));
    const fromText = ruleset.evaluate(ex.case);
    const fromObject = ruleset.evaluate(JSON.parse(ex.case));
    assert.equal(fromText.ok, true);
    assert.equal(fromObject.json, fromText.json);
    assert.equal(typeof fromText.decision.fine.recommended, 'string');
    const bad = ruleset.evaluate({ violation: 'EIA-31-1', facts: { 总投资额: '很多' } });
    assert.equal(bad.ok, false);
    assert.ok(bad.errors.some((e) => e.code === 'C0101' && e.field === 'occurred_on'), JSON.stringify(bad.errors));
    assert.ok(bad.errors.some((e) => e.code === 'C0102' && e.field === 'facts.总投资额'), JSON.stringify(bad.errors));
    assert.equal(ruleset.evaluate('{').errors[0].code, 'C0001');
    const cyclic = {};
    cyclic.self = cyclic;
    assert.equal(ruleset.evaluate(cyclic).errors[0].code, 'J0009');
    assert.equal(ruleset.evaluate(undefined).ok, false);
    assert.ok(ruleset.name.length > 0);
    ruleset.free();
    assert.equal(ruleset.evaluate(ex.case).errors[0].code, 'J0009');
    assert.equal(ruleset.catalogue().ok, false);
  });

  test('format and version', () => {
    assert.deepEqual(api.format('ruleset 示例 fact 甲: money\n'), { ok: true, text: '规则集 示例\n\n事实 甲：金额\n' });
    const bad = api.format('规则集 示例\n事实 甲 金额\n', 'a.rules');
    assert.equal(bad.ok, false);
    assert.equal(bad.diagnostics[0].line, 2);
    assert.equal(api.format(undefined).ok, false);
    const v = api.version();
    assert.equal(v.ok, true);
    const cargoToml = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
    assert.equal(v.version, /^version = "([^"]+)"/m.exec(cargoToml)[1]);
  });

  test('the package is npm-ready', () => {
    const pkg = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
    assert.equal(pkg.name, 'cailiang');
    assert.equal(pkg.type, 'module');
    for (const f of [pkg.main, pkg.module, pkg.types, ...pkg.files]) assert.ok(existsSync(join(PKG, f)), f);
  });
});

