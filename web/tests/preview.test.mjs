// Browser test of the preview page (run: cd web && node --test tests/): headless Chromium
// (/usr/bin/chromium, or $CHROMIUM) driven by playwright-core against web/serve.mjs.
// Needs web/pkg and web/data (scripts/build-wasm) and the native CLI (target/debug/cailiang)
// for the expected amounts. Screenshots: target/preview.png, target/preview-diagnostic.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../serve.mjs';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
const CLI = join(TARGET, 'debug', 'cailiang');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const EXAMPLE = 'EIA-31-1-报告书-敏感区';
const RULES_FILE = 'rulesets/guangdong/1-环评.rules';

let server;
let url;
let context;
let page;
let profile;
const problems = [];

/** The native decision JSON text (as `cailiang eval --format json` prints it, minus the newline). */
function native(caseArg, input) {
  const out = execFileSync(CLI, ['eval', '--rules', 'rulesets/guangdong', caseArg, '--format', 'json'], {
    cwd: ROOT,
    encoding: 'utf8',
    input,
  });
  return out.replace(/\n$/, '');
}

before(async () => {
  for (const f of ['web/pkg/cailiang_wasm_bg.wasm', 'web/data/guangdong.json']) {
    assert.ok(existsSync(join(ROOT, f)), `${f} 不存在：先运行 scripts/build-wasm`);
  }
  if (!existsSync(CLI)) execFileSync('cargo', ['build', '-q', '-p', 'cailiang-cli'], { cwd: ROOT, stdio: 'inherit' });
  ({ server, url } = await serve(0));
  profile = mkdtempSync(join(tmpdir(), 'cailiang-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    locale: 'zh-CN',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  // Offline: nothing but the local server may be fetched.
  await page.route('**/*', (r) => (r.request().url().startsWith(url) ? r.continue() : r.abort()));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30_000 });
});

after(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function recommended() {
  await page.waitForSelector('#recommended');
  return page.getAttribute('#recommended', 'data-value');
}

test('the page loads offline, compiles the Guangdong rules and lists the catalogue', async () => {
  assert.match(await page.textContent('#diag-title'), /0 个错误/);
  const options = await page.$$eval('#violation option', (os) => os.map((o) => o.value));
  assert.ok(options.includes('EIA-31-1'), 'EIA-31-1 in the violation picker');
  assert.ok(options.length > 20);
  assert.ok((await page.$$('.hl .t-kw')).length > 10, 'keywords coloured');
  assert.ok((await page.$$('.hl .t-pct')).length > 5, 'percentages coloured');
  assert.deepEqual(problems, []);
});

test('pick EIA-31-1, fill the form: the recommended amount is the native engine’s', async () => {
  await page.selectOption('#violation', 'EIA-31-1');
  await page.waitForSelector('.fact[data-fact="总投资额"]');
  await page.fill('input[name="occurred_on"]', '2024-03-01');
  await page.fill('input[name="discovered_on"]', '2024-07-10');
  await page.fill('input[name="decided_on"]', '2024-09-01');
  await page.fill('input[name="fact:总投资额"]', '2000');
  await page.selectOption('select[name="fact:总投资额:unit"]', '万元');
  await page.selectOption('select[name="fact:环评文件类别"]', '报告书未纳入重点管理');
  await page.selectOption('select[name="fact:建设地点"]', '限批区或敏感区');
  await page.selectOption('select[name="fact:建设情况"]', '设备安装阶段');
  await page.fill('input[name="fact:持续月数"]', '4');
  await page.fill('input[name="fact:近二年同类次数"]', '2');
  await page.click('.fact[data-fact="配合调查"] button[data-v="true"]');
  const c = {
    violation: 'EIA-31-1',
    occurred_on: '2024-03-01',
    discovered_on: '2024-07-10',
    decided_on: '2024-09-01',
    facts: {
      总投资额: '2000万元', 环评文件类别: '报告书未纳入重点管理', 建设地点: '限批区或敏感区',
      建设情况: '设备安装阶段', 持续月数: '4', 近二年同类次数: '2', 配合调查: true,
    },
  };
  const want = JSON.parse(native('-', JSON.stringify(c)));
  await page.waitForFunction((v) => document.querySelector('#recommended')?.dataset.value === v, want.fine.recommended, {
    timeout: 10_000,
  });
  assert.equal(await recommended(), want.fine.recommended);
  assert.equal(await page.getAttribute('#fine-range', 'data-min'), want.fine.min);
  assert.equal(await page.getAttribute('#fine-range', 'data-max'), want.fine.max);
  assert.ok(await page.$('#range-svg [data-part="recommended"]'), 'the bar marks the recommended point');
  assert.ok(await page.$('#range-svg [data-part="statutory"]'));
  assert.ok(await page.$('#range-svg [data-part="fine"]'));
  const steps = await page.$$eval('#explanation li', (li) => li.map((x) => x.textContent));
  assert.deepEqual(steps, want.explanation);
});

test('load example: the decision is byte for byte the native one', async () => {
  const idx = await page.$$eval('#example-select option', (os, name) => os.find((o) => o.textContent === name)?.value, EXAMPLE);
  assert.ok(idx !== undefined, `example ${EXAMPLE} offered`);
  // Change something first so that loading visibly resets the form.
  await page.fill('input[name="fact:持续月数"]', '20');
  await page.selectOption('#example-select', idx);
  await page.click('#load-example');
  const want = native(`rulesets/guangdong/examples/${EXAMPLE}.yaml`);
  await page.waitForFunction((v) => document.querySelector('#decision-json')?.textContent === v, want, { timeout: 10_000 });
  assert.equal(await recommended(), JSON.parse(want).fine.recommended);
  assert.equal(await page.inputValue('input[name="fact:持续月数"]'), '4');
  mkdirSync(TARGET, { recursive: true });
  await page.screenshot({ path: join(TARGET, 'preview.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('a broken rule line gets a diagnostic at that line, underlined, after the debounce', async () => {
  assert.equal(await page.inputValue('#file-select'), RULES_FILE);
  const text = await page.inputValue('#src');
  const bad = '事实 坏事实 金额';
  const lines = text.split('\n');
  const line = text.endsWith('\n') ? lines.length : lines.length + 1;
  const before = Number(await page.getAttribute('body', 'data-compiles'));
  await page.click('#src');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text.endsWith('\n') ? `${bad}\n` : `\n${bad}`);
  const sel = `#diag-list li.error[data-line="${line}"][data-file="${RULES_FILE}"]`;
  await page.waitForSelector(sel, { timeout: 10_000 });
  assert.equal(Number(await page.getAttribute('body', 'data-compiles')), before + 1, 'typing is debounced into one compile');
  const col = Number(await page.getAttribute(sel, 'data-column'));
  assert.ok(col >= 1 && col <= bad.length + 1, `column ${col}`);
  assert.ok(await page.$(`.hl .diag-error[data-line="${line}"]`), 'the error is underlined in the editor');
  assert.match(await page.textContent('#diag-title'), /[1-9]\d* 个错误/);
  // The decision of the last good rules stays on screen.
  assert.ok(await page.$('#recommended'));
  await page.$eval(`.hl .ln[data-line="${line}"]`, (el) => el.scrollIntoView({ block: 'center' }));
  await page.evaluate((l) => {
    const src = document.getElementById('src');
    src.scrollTop = Math.max(0, (l - 12) * 20);
    src.dispatchEvent(new Event('scroll'));
  }, line);
  await page.screenshot({ path: join(TARGET, 'preview-diagnostic.png'), fullPage: true });
});

test('IME: no compile between compositionstart and compositionend', async () => {
  const before = Number(await page.getAttribute('body', 'data-compiles'));
  await page.evaluate(() => {
    const src = document.getElementById('src');
    src.dispatchEvent(new CompositionEvent('compositionstart'));
    src.value += '甲';
    src.dispatchEvent(new InputEvent('input', { isComposing: true }));
  });
  await page.waitForTimeout(700);
  assert.equal(Number(await page.getAttribute('body', 'data-compiles')), before, 'no compile while composing');
  await page.evaluate(() => document.getElementById('src').dispatchEvent(new CompositionEvent('compositionend')));
  await page.waitForFunction((n) => Number(document.body.dataset.compiles) > n, before, { timeout: 5_000 });
  // Restore the rules: the page compiles cleanly again.
  await page.click('#reset-btn');
  await page.waitForFunction(() => /0 个错误/.test(document.getElementById('diag-title').textContent));
  assert.deepEqual(problems, []);
});
