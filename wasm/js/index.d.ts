// cailiang — TypeScript declarations for the JavaScript API (index.js).
//
// Every call returns a value tagged with `ok` and never throws. Money is always a decimal
// string in yuan with two places ("420000.00"); percentages are two-place strings ("42.00").

/** Input accepted by `init`: a URL or path the browser can fetch, a Response, the bytes, or a compiled module. */
export type InitInput =
  | RequestInfo
  | URL
  | Response
  | BufferSource
  | WebAssembly.Module
  | Promise<Response | BufferSource | WebAssembly.Module>;

/** Load the WebAssembly module (once). In Node pass the bytes of `cailiang_wasm_bg.wasm`. */
export default function init(input?: InitInput): Promise<void>;
/** Synchronous init from bytes or a compiled module. */
export function initSync(bytesOrModule: BufferSource | WebAssembly.Module): void;

/**
 * A diagnostic about rule text. Lines and columns are 1-based and count characters (not
 * bytes, not UTF-16 units); `end_column` is exclusive.
 * Codes: `E0001…` / `W0406…` from the language; `J0001` bad `files` argument; `J0002` no
 * ruleset to use (none, several leaves, unknown name); `J0009` internal (not initialised, trap).
 */
export interface Diagnostic {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  help: string | null;
  file: string;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
}

/** A problem with a case. Codes `C0001…C0109` (see README), `J0003` evaluation, `J0009` internal. */
export interface CaseError {
  code: string;
  /** JSON path such as `facts.总投资额`, or null. */
  field: string | null;
  message: string;
}

export type Outcome = 'penalty' | 'no_penalty' | 'may_exempt' | 'time_barred';

/** One side of a 从旧兼从轻 comparison. */
export interface ChoiceSide {
  provision: string;
  outcome: Outcome;
  statutory: { min: string; max: string } | null;
  recommended: string | null;
}

/** The decision, exactly as the native engine writes it (design.md §5 plus the README's extra fields). */
export interface Decision {
  violation: { code: string; name: string };
  ruleset: { name: string; version: string | null };
  outcome: Outcome;
  exemption: { kind: string; mandatory: boolean; rule: string; basis: string } | null;
  statutory: { min: string; max: string } | null;
  fine: { min: string; max: string; recommended: string } | null;
  severity: string | null;
  discretion_percent: string | null;
  adjustments: { kind: 'mitigate' | 'reduce' | 'aggravate' | string; label: string; reason: string; basis: string }[];
  measures: string[];
  basis: string[];
  explanation: string[];
  factors: { factor: string; level: string; weight: string; defaulted: boolean }[];
  defaults_used: string[];
  why_not: { rule: string; failed: string; status: 'false' | 'unknown' | 'overridden' | string }[];
  choice_of_law: {
    at_act: string;
    at_decision: string;
    applied: 'act' | 'decision';
    reason: string;
    /** The rule applied: 生态环境法典第一千零五十七条; 行政处罚法第三十七条. */
    basis: string;
    /** Result under the version at the act; null when that version lacks the code. */
    act: ChoiceSide | null;
    /** Result under the version at the decision; null when that version lacks the code. */
    decision: ChoiceSide | null;
  } | null;
  candidates: { code: string; outcome: Outcome; recommended: string | null }[] | null;
  daily: { days: number; per_day: string; total: string; basis: string } | null;
  rounding: string;
  /** A table applied to a law newer than itself, or a lapsed benchmark's fallback; else null. */
  interim_rule: string | null;
}

/** One fact a violation reads, as a case must send it. */
export interface FactInfo {
  name: string;
  label: string | null;
  type: 'bool' | 'number' | 'integer' | 'money' | 'percent' | 'multiple' | 'date' | 'duration' | 'text' | 'enum';
  values: string[] | null;
  default: string | null;
  required: boolean;
  /** Needed when an escalated or alternative range (罚款 当 …) applies. */
  required_if_escalated: boolean;
}

/** One violation of the catalogue. */
export interface CatalogueEntry {
  code: string;
  name: string;
  violates: string | null;
  basis: string[];
  source: string | null;
  /** The earlier provision this one takes over (承接), in a later dated version. */
  succeeds: string | null;
  shape: 'bounds' | 'max_only' | 'of_base' | 'per_occurrence' | 'per_unit' | 'not_illegal' | 'none';
  range: string;
  discretion: 'additive' | 'bands' | 'general' | 'fallback';
  facts: FactInfo[];
  in_force: string[];
  /** The code of the fine on the responsible persons under the same provision (`<code>-P`), if any. */
  persons: string | null;
}

/** A case (design.md §5). Money may be a number of yuan or a string like "10万元". */
export interface Case {
  violation: string | string[];
  occurred_on: string;
  ended_on?: string;
  discovered_on?: string;
  decided_on?: string;
  facts?: Record<string, boolean | number | string>;
  daily_penalty?: { served_on: string; reinspected_on: string };
  [extra: string]: unknown;
}

export type EvaluateResult =
  | { ok: true; /** Exactly Decision::to_json(). */ json: string; decision: Decision }
  | { ok: false; errors: CaseError[] };

export type CatalogueResult =
  | { ok: true; name: string; catalogue: CatalogueEntry[] }
  | { ok: false; errors: CaseError[] };

/** `supervise`: `json` is the supervision exactly as the native engine writes it (see the
 * README, "Positive list"); `supervision` is the same, parsed. */
export type SuperviseResult =
  | { ok: true; json: string; supervision: Record<string, unknown> }
  | { ok: false; errors: CaseError[] };

/** A compiled ruleset: a thin handle over the engine's Ruleset. */
export class Ruleset {
  private constructor();
  readonly name: string;
  /** Validate and decide a case: JSON text, or an object (serialised with JSON.stringify). */
  evaluate(caseInput: string | Case): EvaluateResult;
  /** Assess an enterprise profile against the ruleset's positive list (正面清单). */
  supervise(profileInput: string | object): SuperviseResult;
  catalogue(): CatalogueResult;
  /** Release the engine's memory now. */
  free(): void;
}

export type CompileResult =
  | { ok: true; diagnostics: Diagnostic[]; ruleset: Ruleset }
  | { ok: false; diagnostics: Diagnostic[] };

/** Parse, check and compile; file order is kept (diagnostics name the keys). */
export function compile(files: Record<string, string> | Map<string, string>, ruleset?: string): CompileResult;

export type FormatResult = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

/** Format one .rules file in the canonical layout. */
export function format(source: string, name?: string): FormatResult;

export function version(): { ok: true; version: string } | { ok: false; errors: CaseError[] };
