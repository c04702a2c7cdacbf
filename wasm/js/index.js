// cailiang — the JavaScript API over the WebAssembly build (see index.d.ts).
//
// Every function returns a value tagged with `ok` and never throws: rule errors come back as
// located diagnostics, case errors as {code, field, message}, and anything unexpected (the
// module not initialised, a trap inside the engine) as code J0009.
import initWasm, * as raw from './cailiang_wasm.js';

const INTERNAL = 'J0009';
let ready = false;

/**
 * Load the WebAssembly module. In a browser call it without arguments (the .wasm file is
 * fetched next to this file) or with a URL/Response; in Node pass the bytes:
 * `await init(await readFile(new URL('./cailiang_wasm_bg.wasm', import.meta.resolve('cailiang'))))`.
 */
export default async function init(input) {
  if (ready) return;
  await initWasm(input === undefined ? undefined : { module_or_path: input });
  ready = true;
}

/** Synchronous variant of init: pass the bytes or a compiled WebAssembly.Module. */
export function initSync(bytesOrModule) {
  if (ready) return;
  raw.initSync({ module: bytesOrModule });
  ready = true;
}

function message(e) {
  if (!ready) return '尚未初始化：请先 await init()';
  return `内部错误：${e instanceof Error ? e.message : String(e)}`;
}

function internalDiagnostic(e) {
  return {
    code: INTERNAL, severity: 'error', message: message(e), help: null,
    file: '', line: 1, column: 1, end_line: 1, end_column: 1,
  };
}

function internalError(e) {
  return { code: INTERNAL, field: null, message: message(e) };
}

function needReady() {
  if (!ready) throw new Error('not initialised');
}

/** A compiled ruleset: a thin handle over the engine's Ruleset. */
export class Ruleset {
  #handle;

  /** @internal */
  constructor(handle) {
    this.#handle = handle;
  }

  /** The ruleset's name (规则集 名称). */
  get name() {
    try {
      return this.#live().name();
    } catch {
      return '';
    }
  }

  #live() {
    needReady();
    if (!this.#handle) throw new Error('规则集已释放（free）');
    return this.#handle;
  }

  /** Validate and decide a case (JSON text or a plain object). */
  evaluate(caseInput) {
    try {
      const h = this.#live();
      const text = typeof caseInput === 'string' ? caseInput : JSON.stringify(caseInput ?? null);
      // `decide` tags the reply instead of escaping the decision inside `{ok, json}`.
      const reply = h.decide(text);
      if (reply.startsWith('D')) {
        const json = reply.slice(1);
        return { ok: true, json, decision: JSON.parse(json) };
      }
      return JSON.parse(reply.slice(1));
    } catch (e) {
      return { ok: false, errors: [internalError(e)] };
    }
  }

  /** Assess an enterprise profile (JSON text or a plain object) against the positive list. */
  supervise(profileInput) {
    try {
      const h = this.#live();
      const text = typeof profileInput === 'string' ? profileInput : JSON.stringify(profileInput ?? null);
      const r = JSON.parse(h.supervise(text));
      if (r.ok) return { ok: true, json: r.json, supervision: JSON.parse(r.json) };
      return r;
    } catch (e) {
      return { ok: false, errors: [internalError(e)] };
    }
  }

  /** Every violation with its basis, statutory range and the facts it reads. */
  catalogue() {
    try {
      return JSON.parse(this.#live().catalogue());
    } catch (e) {
      return { ok: false, errors: [internalError(e)] };
    }
  }

  /** Release the engine's memory now (otherwise the garbage collector does it). */
  free() {
    const h = this.#handle;
    this.#handle = undefined;
    try {
      h?.free();
    } catch {
      /* already gone */
    }
  }
}

/**
 * Parse, check and compile rule files given as {"file name": "text", …} (or a Map). The
 * order of the files is kept. `ruleset` names the ruleset to use when several are leaves.
 */
export function compile(files, ruleset) {
  let c;
  try {
    needReady();
    const obj = files instanceof Map ? Object.fromEntries(files) : files;
    c = raw.compile(JSON.stringify(obj ?? null), ruleset ?? undefined);
    const report = JSON.parse(c.report());
    if (!report.ok) return { ok: false, diagnostics: report.diagnostics };
    return { ok: true, diagnostics: report.diagnostics, ruleset: new Ruleset(c.takeRuleset()) };
  } catch (e) {
    return { ok: false, diagnostics: [internalDiagnostic(e)] };
  } finally {
    try {
      c?.free();
    } catch {
      /* ignore */
    }
  }
}

/** Format one .rules file in the canonical layout. `name` only labels a parse error. */
export function format(source, name) {
  try {
    needReady();
    return JSON.parse(raw.format(String(source), name ?? undefined));
  } catch (e) {
    return { ok: false, diagnostics: [internalDiagnostic(e)] };
  }
}

/** The package (and engine) version. */
export function version() {
  try {
    needReady();
    return { ok: true, version: raw.version() };
  } catch (e) {
    return { ok: false, errors: [internalError(e)] };
  }
}
