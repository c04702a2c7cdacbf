// The preview page: edit the rules (live diagnostics), pick a violation, fill the case form
// generated from the catalogue, and see the decision as a picture. Everything runs in the
// browser on the WebAssembly build; nothing is fetched but this folder's own files.
import init, { compile, format, version } from './pkg/index.js';
import { highlight, escapeHtml as esc } from './highlight.js';

const $ = (id) => document.getElementById(id);
const COMPILE_DELAY_MS = 300;
const DEFAULT_CODE = 'EIA-31-1';

const state = {
  data: null, // {dir, leaf, files, cases}
  files: new Map(), // name → text (edited)
  current: '', // file shown in the editor
  diagnostics: [],
  ruleset: null, // last ruleset that compiled
  catalogue: [],
  codes: [], // violation codes of the case (several when an example names several)
  extraFacts: {}, // facts of a loaded example that the form has no field for
  extraCase: {}, // other fields of a loaded example (daily_penalty)
  composing: false,
  timer: 0,
  compiles: 0,
};

// ───────────────────────────── editor ─────────────────────────────

const src = $('src');
const hl = $('hl');
const gutter = $('gutter');

function fileDiagnostics(name) {
  return state.diagnostics.filter((d) => d.file === name);
}

function renderEditor() {
  const text = src.value;
  const diags = fileDiagnostics(state.current);
  hl.innerHTML = highlight(text, diags);
  const bad = new Set(diags.filter((d) => d.severity === 'error').map((d) => d.line));
  const n = text.split('\n').length;
  let g = '';
  for (let i = 1; i <= n; i++) g += bad.has(i) ? `<span class="err">${i}</span>\n` : `${i}\n`;
  gutter.innerHTML = g;
  syncScroll();
}

function syncScroll() {
  hl.scrollTop = src.scrollTop;
  hl.scrollLeft = src.scrollLeft;
  gutter.scrollTop = src.scrollTop;
}

function basename(p) {
  return p.split(/[\\/]/).pop();
}

function renderFileSelect() {
  const sel = $('file-select');
  sel.innerHTML = '';
  for (const name of state.files.keys()) {
    const errs = fileDiagnostics(name).filter((d) => d.severity === 'error').length;
    const o = new Option(`${basename(name)}${errs ? `（${errs} 个错误）` : ''}`, name);
    o.title = name;
    sel.add(o);
  }
  sel.value = state.current;
}

function showFile(name) {
  state.current = name;
  src.value = state.files.get(name) ?? '';
  src.scrollTop = 0;
  renderFileSelect();
  renderEditor();
}

function scheduleCompile() {
  clearTimeout(state.timer);
  state.timer = setTimeout(recompile, COMPILE_DELAY_MS);
}

src.addEventListener('input', () => {
  state.files.set(state.current, src.value);
  renderEditor(); // colouring only; never touches the textarea, so an IME is undisturbed
  if (!state.composing) scheduleCompile();
});
src.addEventListener('compositionstart', () => {
  state.composing = true;
  clearTimeout(state.timer);
});
src.addEventListener('compositionend', () => {
  state.composing = false;
  state.files.set(state.current, src.value);
  renderEditor();
  scheduleCompile();
});
src.addEventListener('scroll', syncScroll);
src.addEventListener('keydown', (e) => {
  if (e.key === 'Tab' && !e.shiftKey && !state.composing) {
    e.preventDefault();
    document.execCommand('insertText', false, '  ');
  }
});
$('file-select').addEventListener('change', (e) => showFile(e.target.value));
$('format-btn').addEventListener('click', () => {
  const r = format(src.value, state.current);
  if (r.ok) {
    src.select();
    if (!document.execCommand('insertText', false, r.text)) src.value = r.text;
    state.files.set(state.current, src.value);
    recompile();
  } else {
    state.diagnostics = r.diagnostics;
    renderDiagnostics();
    renderEditor();
  }
});
$('reset-btn').addEventListener('click', () => {
  for (const [n, t] of Object.entries(state.data.files)) state.files.set(n, t);
  showFile(state.current);
  recompile();
});

/** Character position (1-based line/column, in code points) → UTF-16 offset in the text. */
function offsetOf(text, line, column) {
  const lines = text.split('\n');
  let off = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) off += lines[i].length + 1;
  const l = lines[line - 1] ?? '';
  return off + Array.from(l).slice(0, column - 1).join('').length;
}

function jumpTo(d) {
  if (d.file && state.files.has(d.file) && d.file !== state.current) showFile(d.file);
  const a = offsetOf(src.value, d.line, d.column);
  const b = offsetOf(src.value, d.end_line, d.end_column);
  src.focus();
  src.setSelectionRange(a, Math.max(a, b));
  const top = (d.line - 1) * 20 - src.clientHeight / 3;
  src.scrollTop = Math.max(0, top);
  syncScroll();
}

function renderDiagnostics() {
  const list = $('diag-list');
  const errors = state.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = state.diagnostics.length - errors;
  $('diag-title').textContent = `诊断（${errors} 个错误，${warnings} 个警告）`;
  list.innerHTML = '';
  if (!state.diagnostics.length) {
    list.innerHTML = '<li class="ok-line">规则检查通过。</li>';
  }
  for (const d of state.diagnostics) {
    const li = document.createElement('li');
    li.className = d.severity;
    li.dataset.file = d.file;
    li.dataset.line = d.line;
    li.dataset.column = d.column;
    li.dataset.code = d.code;
    li.innerHTML =
      `<span class="code">${esc(d.code)}</span>${esc(d.message)}` +
      `<div class="where">${esc(d.file ? basename(d.file) : '（整体）')}：第 ${d.line} 行第 ${d.column} 列</div>` +
      (d.help ? `<div class="help">提示：${esc(d.help)}</div>` : '');
    li.addEventListener('click', () => jumpTo(d));
    list.append(li);
  }
}

function recompile() {
  clearTimeout(state.timer);
  const t0 = performance.now();
  const r = compile(Object.fromEntries(state.files), state.data.leaf ?? undefined);
  const ms = Math.round(performance.now() - t0);
  state.diagnostics = r.diagnostics;
  state.compiles++;
  renderDiagnostics();
  renderFileSelect();
  renderEditor();
  if (r.ok) {
    state.ruleset?.free();
    state.ruleset = r.ruleset;
    refreshCatalogue();
    setStatus(`规则集：${r.ruleset.name} · 编译 ${ms} 毫秒`);
  } else {
    setStatus(`规则有错误（编译 ${ms} 毫秒）；结果仍按上次通过检查的规则计算`, true);
  }
  document.body.dataset.compiles = String(state.compiles);
}

function setStatus(text, bad = false) {
  const v = version();
  $('status').textContent = `${text} · cailiang ${v.ok ? v.version : ''}`;
  $('status').style.color = bad ? '#ffb3b3' : '';
}

// ───────────────────────────── catalogue and case form ─────────────────────────────

function entry(code) {
  return state.catalogue.find((e) => e.code === code);
}

function refreshCatalogue() {
  const c = state.ruleset.catalogue();
  if (!c.ok) return;
  state.catalogue = c.catalogue;
  const sel = $('violation');
  const keep = sel.value || DEFAULT_CODE;
  sel.innerHTML = '';
  for (const e of state.catalogue) sel.add(new Option(`${e.code}　${e.name}`, e.code));
  sel.value = entry(keep) ? keep : (state.catalogue[0]?.code ?? '');
  const values = readForm();
  buildForm(values);
  evaluate();
}

const TYPE_NAMES = {
  bool: '是否', number: '数值', integer: '整数', money: '金额', percent: '百分比', multiple: '倍数',
  date: '日期', duration: '期间', text: '文字', enum: '选项',
};

function switchHtml(name, value) {
  return `<span class="switch" data-switch="${esc(name)}">${[
    ['', '未填'],
    ['true', '是'],
    ['false', '否'],
  ]
    .map(([v, t]) => `<button type="button" data-v="${v}" class="${v === value ? 'on' : ''}">${t}</button>`)
    .join('')}</span>`;
}

function factRow(f, value) {
  const key = `fact:${f.name}`;
  let input;
  switch (f.type) {
    case 'bool':
      input = switchHtml(key, value ?? '');
      break;
    case 'enum':
      input = `<select name="${esc(key)}"><option value="">（未填写）</option>${(f.values ?? [])
        .map((v) => `<option${v === value ? ' selected' : ''}>${esc(v)}</option>`)
        .join('')}</select>`;
      break;
    case 'money': {
      const [num, unit] = splitMoney(value ?? '');
      input =
        `<input type="text" inputmode="decimal" name="${esc(key)}" value="${esc(num)}" placeholder="金额">` +
        `<select name="${esc(key)}:unit" aria-label="单位"><option${unit === '元' ? ' selected' : ''}>元</option>` +
        `<option${unit === '万元' ? ' selected' : ''}>万元</option></select>`;
      break;
    }
    case 'date':
      input = `<input type="date" name="${esc(key)}" value="${esc(value ?? '')}">`;
      break;
    case 'duration':
      input = '<span class="unit">（案件中暂不支持期间类事实）</span>';
      break;
    default: {
      const unit = { percent: '%', multiple: '倍' }[f.type] ?? '';
      const mode = f.type === 'text' ? 'text' : 'decimal';
      input =
        `<input type="text" inputmode="${mode}" name="${esc(key)}" value="${esc(value ?? '')}">` +
        (unit ? `<span class="unit">${unit}</span>` : '');
    }
  }
  const hint = [TYPE_NAMES[f.type] ?? f.type, f.default != null ? `默认 ${f.default}` : ''].filter(Boolean).join('，');
  return (
    `<div class="fact" data-fact="${esc(f.name)}" data-type="${esc(f.type)}">` +
    `<div class="name">${f.required ? '<span class="req">*</span>' : ''}${esc(f.name)}` +
    `<small>${esc(f.label ?? '')}${f.label ? '；' : ''}${esc(hint)}</small></div>` +
    `<div class="input">${input}</div></div>`
  );
}

function splitMoney(v) {
  const s = String(v).trim();
  if (s.endsWith('万元')) return [s.slice(0, -2), '万元'];
  if (s.endsWith('亿元')) {
    const n = s.slice(0, -2);
    return [/^\d+(\.\d+)?$/.test(n) ? shiftDecimal(n, 4) : s, '万元'];
  }
  if (s.endsWith('元')) return [s.slice(0, -1), '元'];
  return [s, '元'];
}

/** Multiply a decimal string by 10^k exactly (for 亿元 → 万元). */
function shiftDecimal(n, k) {
  let [i, f = ''] = n.split('.');
  f = f.padEnd(k, '0');
  const out = (i + f.slice(0, k)).replace(/^0+(?=\d)/, '');
  const rest = f.slice(k).replace(/0+$/, '');
  return rest ? `${out}.${rest}` : out;
}

/** The form's values by field name (raw, as typed). */
function readForm() {
  const out = {};
  const form = $('case-form');
  for (const el of form.querySelectorAll('input[name], select[name]')) out[el.name] = el.value;
  for (const sw of form.querySelectorAll('[data-switch]')) {
    out[sw.dataset.switch] = sw.querySelector('button.on')?.dataset.v ?? '';
  }
  return out;
}

function buildForm(values = {}) {
  const e = entry($('violation').value);
  const info = $('violation-info');
  const facts = $('facts');
  if (!e) {
    facts.innerHTML = '';
    info.textContent = '';
    return;
  }
  info.innerHTML =
    `${esc(e.basis.join('；'))}<br>法定罚款：${esc(e.range || '—')}` +
    `${e.source ? ` · 出处：${esc(e.source)}` : ''}`;
  // Facts most violations read come from the general part (免罚、从轻、减轻、从重): they go in a
  // folded group under the violation's own facts.
  const general = generalFacts();
  const row = (f) => {
    const key = `fact:${f.name}`;
    let v = values[key];
    if (f.type === 'money' && v != null && values[`${key}:unit`]) v = `${v}${values[`${key}:unit`]}`;
    return factRow(f, v);
  };
  const own = e.facts.filter((f) => !general.has(f.name));
  const shared = e.facts.filter((f) => general.has(f.name));
  const wasOpen = facts.querySelector('details.general')?.open ?? false;
  const filled = shared.some((f) => (values[`fact:${f.name}`] ?? '') !== '');
  facts.innerHTML =
    (own.length ? own.map(row).join('') : '<span class="muted">这一违法行为的罚款不读取案件事实。</span>') +
    (shared.length
      ? `<details class="general"${wasOpen || filled ? ' open' : ''}><summary>免罚、从轻、减轻、从重等情节（${shared.length} 项）</summary>` +
        `<div class="facts-grid">${shared.map(row).join('')}</div></details>`
      : '');
  renderExtra();
  pickExampleFor(e.code);
}

/** Names of facts that most violations read (the general part's circumstances). */
function generalFacts() {
  if (state.generalFor === state.catalogue) return state.general;
  const count = new Map();
  for (const e of state.catalogue) for (const f of e.facts) count.set(f.name, (count.get(f.name) ?? 0) + 1);
  const n = state.catalogue.length;
  state.general = new Set(n > 3 ? [...count].filter(([, c]) => c >= n / 2).map(([k]) => k) : []);
  state.generalFor = state.catalogue;
  return state.general;
}

function renderExtra() {
  const items = Object.entries(state.extraFacts).map(([k, v]) => `${k} = ${v}`);
  if (state.codes.length > 1) items.unshift(`本案违法行为：${state.codes.join('、')}（第二十九条择一重处）`);
  if (state.extraCase.daily_penalty) items.push('按日连续处罚：已按示例填写');
  $('extra-facts').textContent = items.length ? `示例中的其他内容：${items.join('；')}` : '';
}

$('case-form').addEventListener('click', (ev) => {
  const b = ev.target.closest('.switch button');
  if (!b) return;
  for (const x of b.parentElement.querySelectorAll('button')) x.classList.toggle('on', x === b);
  evaluate();
});
$('case-form').addEventListener('input', () => evaluate());
$('case-form').addEventListener('change', () => evaluate());
$('violation').addEventListener('change', () => {
  state.codes = [];
  state.extraFacts = {};
  state.extraCase = {};
  buildForm(readForm());
  evaluate();
});

function collectCase() {
  const v = readForm();
  const code = $('violation').value;
  const c = { violation: state.codes.length > 1 ? state.codes : code };
  for (const d of ['occurred_on', 'ended_on', 'discovered_on', 'decided_on']) if (v[d]) c[d] = v[d];
  const facts = {};
  const e = entry(code);
  for (const f of e?.facts ?? []) {
    const raw = (v[`fact:${f.name}`] ?? '').trim();
    if (raw === '') continue;
    if (f.type === 'bool') facts[f.name] = raw === 'true';
    else if (f.type === 'money') facts[f.name] = `${raw}${v[`fact:${f.name}:unit`] || '元'}`;
    else if (f.type === 'percent') facts[f.name] = `${raw}%`;
    else facts[f.name] = raw;
  }
  for (const [k, x] of Object.entries(state.extraFacts)) if (!(k in facts)) facts[k] = x;
  c.facts = facts;
  return Object.assign(c, state.extraCase);
}

// ───────────────────────────── examples ─────────────────────────────

function exampleCodes(ex) {
  try {
    const v = JSON.parse(ex.case).violation;
    return Array.isArray(v) ? v : [v];
  } catch {
    return [];
  }
}

function renderExamples() {
  const sel = $('example-select');
  sel.innerHTML = '';
  state.data.cases.forEach((ex, i) => sel.add(new Option(ex.name.replace(/\.(ya?ml|json)$/, ''), String(i))));
}

function pickExampleFor(code) {
  const i = state.data.cases.findIndex((ex) => exampleCodes(ex)[0] === code);
  if (i >= 0) $('example-select').value = String(i);
}

function loadExample(i) {
  const ex = state.data.cases[i];
  if (!ex) return;
  let c;
  try {
    c = JSON.parse(ex.case);
  } catch {
    return;
  }
  const codes = Array.isArray(c.violation) ? c.violation : [c.violation];
  state.codes = codes;
  const sel = $('violation');
  sel.value = codes[0];
  const e = entry(codes[0]);
  const values = {};
  for (const d of ['occurred_on', 'ended_on', 'discovered_on', 'decided_on']) values[d] = c[d] ?? '';
  state.extraFacts = {};
  const fields = new Set((e?.facts ?? []).map((f) => f.name));
  for (const [k, x] of Object.entries(c.facts ?? {})) {
    const f = e?.facts.find((y) => y.name === k);
    if (!fields.has(k) || !f) {
      state.extraFacts[k] = x;
      continue;
    }
    if (f.type === 'bool') values[`fact:${k}`] = x === true || x === '是' || x === 'true' ? 'true' : 'false';
    else if (f.type === 'money') {
      const [num, unit] = splitMoney(String(x));
      values[`fact:${k}`] = num;
      values[`fact:${k}:unit`] = unit;
    } else if (f.type === 'percent') values[`fact:${k}`] = String(x).replace(/[%％]$/, '');
    else values[`fact:${k}`] = String(x);
  }
  state.extraCase = {};
  if (c.daily_penalty) state.extraCase.daily_penalty = c.daily_penalty;
  const form = $('case-form');
  for (const d of ['occurred_on', 'ended_on', 'discovered_on', 'decided_on']) form.elements[d].value = values[d];
  buildForm(values);
  $('example-select').value = String(i);
  evaluate();
}

$('load-example').addEventListener('click', () => loadExample(Number($('example-select').value)));

// ───────────────────────────── decision ─────────────────────────────

const OUTCOME = { penalty: '处罚', no_penalty: '不予处罚', may_exempt: '可以不予处罚', time_barred: '超过时效，不再处罚' };

/** "420000.00" → "420,000.00" (string arithmetic: the amount is shown exactly). */
function grouped(s) {
  const [i, f] = String(s).split('.');
  const g = i.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return f !== undefined ? `${g}.${f}` : g;
}

/** A short label for the picture: 42万, 1200元. */
function short(s) {
  const n = Number(s);
  if (n >= 1e8) return `${+(n / 1e8).toFixed(2)}亿`;
  if (n >= 1e4) return `${+(n / 1e4).toFixed(2)}万`;
  return `${+n.toFixed(2)}元`;
}

function rangeSvg(d) {
  const st = d.statutory;
  const fine = d.fine;
  const nums = [];
  if (st) nums.push(Number(st.min), Number(st.max));
  if (fine) nums.push(Number(fine.min), Number(fine.max), Number(fine.recommended));
  if (!nums.length) return '';
  let lo = Math.min(...nums);
  let hi = Math.max(...nums);
  if (hi === lo) {
    hi = lo + Math.max(1, lo * 0.1);
    lo = Math.max(0, lo - Math.max(1, lo * 0.1));
  }
  const W = 460;
  const L = 12;
  const R = W - 12;
  const x = (v) => L + ((Number(v) - lo) / (hi - lo)) * (R - L);
  const label = (v, y, cls, anchorHint) => {
    const px = x(v);
    const anchor = px < L + 30 ? 'start' : px > R - 30 ? 'end' : anchorHint ?? 'middle';
    return `<text x="${px.toFixed(1)}" y="${y}" text-anchor="${anchor}" class="${cls}">${esc(short(v))}</text>`;
  };
  let s = `<svg class="range-svg" id="range-svg" viewBox="0 0 ${W} 104" role="img" aria-label="罚款幅度示意">`;
  s += '<style>text{font:11px var(--sans,sans-serif);fill:#57606a}.rec{fill:#cf222e;font-weight:700;font-size:12px}.fine{fill:#1f6feb}</style>';
  s += `<rect x="${L}" y="44" width="${R - L}" height="8" rx="4" fill="#eef1f4"/>`;
  if (st) {
    s += `<rect data-part="statutory" x="${x(st.min).toFixed(1)}" y="40" width="${Math.max(2, x(st.max) - x(st.min)).toFixed(1)}" height="16" rx="3" fill="#c9d6e8"/>`;
    s += `<line x1="${x(st.min)}" x2="${x(st.min)}" y1="36" y2="60" stroke="#6e7f99"/>`;
    s += `<line x1="${x(st.max)}" x2="${x(st.max)}" y1="36" y2="60" stroke="#6e7f99"/>`;
    s += label(st.min, 74, '', 'middle') + label(st.max, 74, '', 'middle');
  }
  if (fine) {
    s += `<rect data-part="fine" x="${x(fine.min).toFixed(1)}" y="44" width="${Math.max(2, x(fine.max) - x(fine.min)).toFixed(1)}" height="8" rx="2" fill="#1f6feb" opacity=".85"/>`;
    if (!st || fine.min !== st.min) s += label(fine.min, 92, 'fine');
    if (!st || fine.max !== st.max) s += label(fine.max, 92, 'fine');
    const rx = x(fine.recommended).toFixed(1);
    s += `<g data-part="recommended"><line x1="${rx}" x2="${rx}" y1="22" y2="62" stroke="#cf222e" stroke-width="2.5"/>`;
    s += `<path d="M${rx} 30 l-6 -9 h12 z" fill="#cf222e"/>`;
    s += `<text x="${rx}" y="14" text-anchor="${x(fine.recommended) < L + 30 ? 'start' : x(fine.recommended) > R - 30 ? 'end' : 'middle'}" class="rec">推荐 ${esc(short(fine.recommended))}</text></g>`;
  }
  s += '</svg>';
  s +=
    '<div class="legend"><span><i style="background:#c9d6e8"></i>法定幅度</span>' +
    '<span><i style="background:#1f6feb"></i>本案罚款幅度</span><span><i style="background:#cf222e"></i>推荐金额</span></div>';
  return s;
}

function renderDecision(d, json) {
  const badges = [`<span class="badge b-${d.outcome}" id="outcome" data-outcome="${d.outcome}">${OUTCOME[d.outcome] ?? d.outcome}</span>`];
  if (d.exemption) {
    badges.push(
      `<span class="badge b-exempt" title="${esc(d.exemption.basis)}">${d.exemption.mandatory ? '不予处罚' : '可以不予处罚'}：${esc(d.exemption.rule)}</span>`,
    );
  }
  for (const a of d.adjustments) {
    badges.push(`<span class="badge b-${esc(a.kind)}" title="${esc(`${a.reason}（${a.basis}）`)}">${esc(a.label)}：${esc(a.reason)}</span>`);
  }
  if (d.severity) badges.push(`<span class="badge b-info">${esc(d.severity)}</span>`);
  if (d.discretion_percent) badges.push(`<span class="badge b-info">裁量百分值 ${esc(d.discretion_percent)}%</span>`);
  if (d.choice_of_law) badges.push(`<span class="badge b-info" title="${esc(d.choice_of_law.reason)}">从旧兼从轻：适用${d.choice_of_law.applied === 'act' ? '行为时' : '决定时'}版本</span>`);
  let h = `<div class="headline">${badges.join('')}</div>`;
  if (d.fine) {
    h += `<div class="amount" id="recommended" data-value="${esc(d.fine.recommended)}">${grouped(d.fine.recommended)} 元<small>推荐罚款</small></div>`;
    h += `<div class="muted" id="fine-range" data-min="${esc(d.fine.min)}" data-max="${esc(d.fine.max)}">本案罚款幅度 ${grouped(d.fine.min)} – ${grouped(d.fine.max)} 元`;
    h += d.statutory ? `；法定幅度 ${grouped(d.statutory.min)} – ${grouped(d.statutory.max)} 元</div>` : '</div>';
  } else {
    h += `<div class="amount" id="recommended" data-value="">不罚款<small>${esc(OUTCOME[d.outcome] ?? '')}</small></div>`;
    if (d.statutory) h += `<div class="muted">法定幅度 ${grouped(d.statutory.min)} – ${grouped(d.statutory.max)} 元</div>`;
  }
  h += rangeSvg(d);
  if (d.daily) h += `<p>按日连续处罚：${d.daily.days} 日 × ${grouped(d.daily.per_day)} 元 = <b>${grouped(d.daily.total)} 元</b>（${esc(d.daily.basis)}）</p>`;
  if (d.candidates) {
    h += `<h3>择一重处（第二十九条）</h3><ol>${d.candidates
      .map((c) => `<li>${esc(c.code)}：${OUTCOME[c.outcome] ?? c.outcome}${c.recommended ? `，推荐 ${grouped(c.recommended)} 元` : ''}</li>`)
      .join('')}</ol>`;
  }
  if (d.factors.length) {
    h += `<h3>裁量因素</h3><table class="factors"><tr><th>因素</th><th>档次</th><th>百分值</th></tr>${d.factors
      .map((f) => `<tr><td>${esc(f.factor)}</td><td>${esc(f.level)}${f.defaulted ? '（默认）' : ''}</td><td class="w">${esc(f.weight)}%</td></tr>`)
      .join('')}</table>`;
  }
  h += `<h3>理由</h3><ol id="explanation">${d.explanation.map((x) => `<li>${esc(x)}</li>`).join('')}</ol>`;
  if (d.measures.length) h += `<h3>并处</h3><div>${d.measures.map(esc).join('；')}</div>`;
  h += `<h3>依据</h3><div>${d.basis.map(esc).join('；')}</div>`;
  if (d.why_not.length) {
    h += `<details><summary>未适用的免罚（${d.why_not.length}）</summary><ol>${d.why_not
      .map((w) => `<li>${esc(w.rule)}：${esc(w.failed)}（${{ false: '不满足', unknown: '无法确定', overridden: '被优先规则排除' }[w.status] ?? esc(w.status)}）</li>`)
      .join('')}</ol></details>`;
  }
  if (d.defaults_used.length) h += `<p class="muted">按默认值认定：${d.defaults_used.map(esc).join('、')}</p>`;
  h += `<details><summary>决定 JSON</summary><pre id="decision-json" style="white-space:pre-wrap;font-size:11px">${esc(json)}</pre></details>`;
  return h;
}

function evaluate() {
  const body = $('decision-body');
  if (!state.ruleset || !$('violation').value) return;
  const c = collectCase();
  const r = state.ruleset.evaluate(c);
  if (r.ok) {
    body.className = '';
    body.innerHTML = renderDecision(r.decision, r.json);
  } else {
    body.className = '';
    body.innerHTML =
      '<p class="muted">案件信息不完整或有误：</p><ul class="errors" id="case-errors">' +
      r.errors.map((e) => `<li data-code="${esc(e.code)}">${esc(e.field ? `${e.field}：` : '')}${esc(e.message)}</li>`).join('') +
      '</ul>';
  }
  document.body.dataset.evaluations = String(Number(document.body.dataset.evaluations ?? 0) + 1);
}

// ───────────────────────────── start ─────────────────────────────

async function start() {
  await init();
  const res = await fetch('data/guangdong.json');
  const [data] = await res.json();
  state.data = data;
  for (const [n, t] of Object.entries(data.files)) state.files.set(n, t);
  const names = [...state.files.keys()];
  state.current = names.find((n) => /环评/.test(n)) ?? names[0];
  renderExamples();
  showFile(state.current);
  recompile();
  document.body.dataset.ready = '1';
}

start().catch((e) => {
  setStatusText(`加载失败：${e}`);
  document.body.dataset.ready = 'error';
});

function setStatusText(t) {
  $('status').textContent = t;
}
