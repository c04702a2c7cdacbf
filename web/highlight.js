// Syntax colouring for .rules text, line by line (comments and strings never span lines).
// Keywords are whole letter runs, as in the grammar (`kw_end`): `报告书且已纳入` is one name.

const KEYWORDS = new Set(
  ('规则集 文号 发布机关 辖区 版本 生效 至 继承 边界 取整 事实 推导 默认 违法行为 细化 违反 依据 出处 罚款 的 ' +
    '以下 每次 次数 基数不足 按 计 当 并处 可以 按日连续处罚 裁量 权重累加 分档 基数 起点 因素 权重 上限 下限 档 ' +
    '其他 缺省裁量 免罚 类别 不予处罚 可以不予处罚 不适用 优先于 调整 从轻 减轻 从重 降低 提高 减少 增加 降至 取 ' +
    '低端 高端 推荐 合并 时效 自 正面清单 有效期 禁入期 基本条件 筛选条件 至少 排除 移出 条件 措施 已纳入 未纳入 ' +
    '且 或 非 属于 若 则 否则 是 否 承接 不认为是违法 从旧兼从轻 一事不再罚 数量 通用裁量 按幅度 ' +
    'ruleset document authority jurisdiction version effective to extends boundary rounding fact derived ' +
    'default violation refine violates basis source fine of at_most per_occurrence count base_below count_as ' +
    'counted when measures may daily_penalty discretion additive bands base start factor weight cap floor band ' +
    'otherwise fallback exemption kind no_penalty may_exempt not_applicable overrides adjustment mitigate reduce ' +
    'aggravate lower_by raise_by subtract add set_to take low_end high_end recommend combine limitation from ' +
    'positive_list validity reentry_ban basic screening at_least exclusion removal condition measure listed ' +
    'unlisted and or not in if then else true false succeeds not_illegal lex_mitior one_fine quantity').split(/\s+/),
);
const TYPES = new Set(['金额', '数值', '整数', '百分比', '倍数', '日期', '期间', '文字', '是否',
  'money', 'number', 'integer', 'percent', 'multiple', 'date', 'duration', 'text', 'bool']);

const CLOSE = { '"': '"', '“': '”', '「': '」' };
const NUMBER = /^(\d{4}-\d{2}-\d{2}|\d+(?:\.\d+)?(?:亿元|万元|元|yuan|%|％|倍|x|年|个月|月|日|天|years|months|days)?)/u;
const CODE = /^[A-Z][A-Za-z0-9\-_.]*/;

/**
 * Classes for one line: an array of {from, to, cls} in code points (columns are 0-based here).
 * cls: kw | type | str | num | money | pct | date | code | com | ''.
 */
export function tokenize(line) {
  const cps = Array.from(line);
  const out = [];
  let i = 0;
  const push = (from, to, cls) => out.push({ from, to, cls });
  while (i < cps.length) {
    const c = cps[i];
    if (c === '#') {
      push(i, cps.length, 'com');
      break;
    }
    if (CLOSE[c]) {
      let j = i + 1;
      while (j < cps.length && cps[j] !== CLOSE[c]) j++;
      push(i, Math.min(j + 1, cps.length), 'str');
      i = j + 1;
      continue;
    }
    const rest = cps.slice(i).join('');
    let m;
    if (/\d/.test(c) && (m = NUMBER.exec(rest))) {
      const text = m[0];
      const n = Array.from(text).length;
      let cls = 'num';
      if (/^\d{4}-\d{2}-\d{2}$/.test(text)) cls = 'date';
      else if (/(元|yuan)$/.test(text)) cls = 'money';
      else if (/[%％]$/.test(text)) cls = 'pct';
      push(i, i + n, cls);
      i += n;
      continue;
    }
    if ((m = CODE.exec(rest)) && /[-\d]/.test(m[0]) && !KEYWORDS.has(m[0])) {
      const n = m[0].length;
      push(i, i + n, 'code');
      i += n;
      continue;
    }
    if ((m = /^[\p{L}_·]+/u.exec(rest))) {
      const word = m[0];
      const n = Array.from(word).length;
      // A keyword is a whole run of letters (digits may follow: 至100万元, 3以上6以下).
      push(i, i + n, KEYWORDS.has(word) ? 'kw' : TYPES.has(word) ? 'type' : '');
      i += n;
      continue;
    }
    push(i, i + 1, '');
    i++;
  }
  return out;
}

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
export const escapeHtml = (s) => String(s).replace(/[&<>"]/g, (c) => ESC[c]);

/**
 * HTML for a whole text: one <span class="ln" data-line="N"> per line; diagnostics underline
 * their range ({line, column, end_line, end_column, severity, message} — 1-based, characters,
 * end exclusive). A zero-width range marks one character (or the line end).
 */
export function highlight(text, diagnostics = []) {
  const lines = text.split('\n');
  const html = [];
  lines.forEach((line, idx) => {
    const lineNo = idx + 1;
    const cps = Array.from(line);
    const cls = new Array(cps.length).fill('');
    for (const t of tokenize(line)) for (let k = t.from; k < t.to; k++) cls[k] = t.cls;
    const mark = new Array(cps.length + 1).fill(null);
    for (const d of diagnostics) {
      if (lineNo < d.line || lineNo > d.end_line) continue;
      let from = lineNo === d.line ? d.column - 1 : 0;
      let to = lineNo === d.end_line ? d.end_column - 1 : cps.length;
      if (to <= from) to = from + 1;
      from = Math.max(0, Math.min(from, cps.length));
      to = Math.max(from + 1, Math.min(to, cps.length + 1));
      for (let k = from; k < to; k++) {
        if (!mark[k] || d.severity === 'error') mark[k] = d;
      }
    }
    let out = '';
    let k = 0;
    while (k <= cps.length) {
      if (k === cps.length && !mark[k]) break;
      const c = k < cps.length ? cls[k] : '';
      const m = mark[k];
      let e = k + 1;
      while (e < cps.length && cls[e] === c && mark[e] === m) e++;
      let chunk = escapeHtml(cps.slice(k, Math.min(e, cps.length)).join(''));
      if (k === cps.length) chunk = ' '; // a mark at the end of a line
      if (c) chunk = `<span class="t-${c}">${chunk}</span>`;
      if (m) {
        chunk = `<span class="diag diag-${m.severity}" data-line="${lineNo}" data-column="${k + 1}" title="${escapeHtml(
          `[${m.code}] ${m.message}`,
        )}">${chunk}</span>`;
      }
      out += chunk;
      k = e;
    }
    html.push(`<span class="ln" data-line="${lineNo}">${out}</span>`);
  });
  return html.join('\n') + '\n';
}
