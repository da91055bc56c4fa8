// Real VS Code (code-server) with the built Dossier .vsix and the real
// `dossier` server, driven through Chromium by Playwright: open a draft,
// see the diagnostics, hover a seed person, read the Problems panel.
// Usage: CODE_SERVER=…/code-server VSIX=…/dossier.vsix NODE_PATH=…/node_modules \
//        node tests/editors/vscode_e2e.js <out-dir>
// Env: SEEDS (folder of source articles; default <repo>/seeds),
//      DOSSIER (optional: sets dossier.server.path; default: the binary inside the .vsix).
// Prints `ok - …` / `not ok - …` per check, `time: …` and a JSON line;
// leaves vscode-hover.png, vscode-hover-non-ascii.png, vscode-problems.png in out-dir.
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const { chromium } = require('playwright-core');

const REPO = path.resolve(__dirname, '..', '..');
const CS = process.env.CODE_SERVER || 'code-server';
const VSIX = process.env.VSIX;
const OUT = path.resolve(process.argv[2] || path.join(REPO, 'target', 'editor-e2e'));
const SEEDS = path.resolve(process.env.SEEDS || path.join(REPO, 'seeds'));
const SPEAKER = 'Sean Spicer';
const ROLE = 'White House Press Secretary';
const CODES = ['misquote', 'misattributed-quote', 'name-variant', 'unsourced-claim',
  'vague-attribution', 'unknown-actor', 'unattributed-quote', 'quote-not-found'];
const t0 = Date.now();
const ms = () => Date.now() - t0;
const sleep = n => new Promise(r => setTimeout(r, n));
const freePort = () => new Promise(r => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); });
});

const res = { checks: {}, timings: {} };
let failed = 0;
// Output → Dossier as the extension wrote it (code-server keeps it under logs/).
function dossierLog(ud) {
  const found = [];
  const walk = d => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f); else if (/Dossier\.log$/.test(e.name)) found.push(fs.readFileSync(f, 'utf8'));
    }
  };
  try { walk(path.join(ud, 'logs')); } catch {}
  return found.join('\n');
}
// Epoch ms of the first "HH:MM:SS.mmm <what>" line (UTC, today).
function logTime(text, what) {
  const m = text.match(new RegExp(`^(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) ${what}`, 'm'));
  if (!m) return null;
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), +m[1], +m[2], +m[3], +m[4]);
}
const step = what => process.stderr.write(`[${ms()} ms] ${what}\n`);
function check(name, ok, detail) {
  ok = !!ok;
  res.checks[name] = { ok, detail };
  if (!ok) failed++;
  const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  console.log(`${ok ? 'ok' : 'not ok'} - vscode: ${name}${ok ? '' : `  (${String(text).slice(0, 300)})`}`);
}

// The centre of `needle` inside the editor line that contains `lineText`.
async function wordBox(page, lineText, needle, timeout = 30000) {
  const line = page.locator('.monaco-editor .view-line', { hasText: lineText }).first();
  await line.waitFor({ timeout });
  return line.evaluate((el, needle) => {
    // Token spans may split the word: find the text node holding its second
    // character and measure two characters from there.
    const i = el.textContent.replace(/\u00a0/g, " ").indexOf(needle);
    if (i < 0) return null;
    let left = i + 1;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n; (n = walker.nextNode());) {
      if (left < n.textContent.length) {
        const r = document.createRange();
        r.setStart(n, left); r.setEnd(n, Math.min(left + 2, n.textContent.length));
        const b = r.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2, color: getComputedStyle(n.parentElement).color };
      }
      left -= n.textContent.length;
    }
    return null;
  }, needle);
}

async function hover(page, lineText, needle, shot) {
  const card = page.locator('.monaco-hover:not(.hidden)', { hasText: ROLE });
  const t = Date.now();
  // Monaco shows a hover after the mouse rests on a word; a move that lands
  // while the editor re-renders can be missed, so try up to three times.
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await sleep(300);
    const box = await wordBox(page, lineText, needle);
    if (!box) return { text: null };
    await page.mouse.move(box.x - 30, box.y + attempt);
    await page.mouse.move(box.x + 2 * attempt, box.y + attempt, { steps: 5 });
    const shown = await card.first().waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
    if (shown) {
      await sleep(300); // let the card finish rendering for the screenshot
      await page.screenshot({ path: path.join(OUT, shot) });
      return { text: (await card.first().innerText()).trim(), ms: Date.now() - t, attempts: attempt + 1 };
    }
  }
  const any = page.locator('.monaco-hover:not(.hidden)');
  const seen = (await any.count()) ? (await any.first().innerText()).trim() : null;
  await page.screenshot({ path: path.join(OUT, shot) });
  return { text: seen, ms: Date.now() - t, attempts: 3 };
}

// A stuck step must not hang CI: give up after WATCHDOG_S seconds.
let srv, browser;
const WATCHDOG_S = Number(process.env.WATCHDOG_S || 240);
setTimeout(() => {
  check('finishes in time', false, `still running after ${WATCHDOG_S} s`);
  console.log(JSON.stringify(res));
  try { process.kill(-srv.pid, 'SIGTERM'); } catch {}
  Promise.race([browser ? browser.close() : null, sleep(3000)]).finally(() => process.exit(1));
}, WATCHDOG_S * 1000).unref();

(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-vscode-'));
  const ud = path.join(root, 'ud'), ext = path.join(root, 'ext'), ws = path.join(root, 'ws');
  for (const d of [path.join(ud, 'User'), ext, ws]) fs.mkdirSync(d, { recursive: true });
  fs.copyFileSync(path.join(__dirname, 'fixtures', 'draft.md'), path.join(ws, 'draft.md'));
  // A second draft, opened once the server runs: the warm open → diagnostics.
  fs.writeFileSync(path.join(ws, 'second.md'), 'Later, Foreign Minister Sergei Lavrov met the president’s envoy.\n');
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false, 'workbench.tips.enabled': false,
    'workbench.enableExperiments': false, 'chat.commandCenter.enabled': false,
    'editor.hover.delay': 150, 'window.commandCenter': false, 'workbench.colorTheme': 'Default Dark Modern',
    'editor.minimap.enabled': false, 'extensions.ignoreRecommendations': true,
    // Source articles from disk, so go-to-definition lands in real files.
    'dossier.corpus': [SEEDS], 'dossier.includeDefaultCorpus': false,
    ...(process.env.DOSSIER ? { 'dossier.server.path': path.resolve(process.env.DOSSIER) } : {}),
  }, null, 1));
  const common = ['--user-data-dir', ud, '--extensions-dir', ext, '--config', path.join(root, 'config.yaml')];
  if (!VSIX) { console.error('VSIX is not set'); process.exit(2); }
  execFileSync(CS, [...common, '--install-extension', VSIX], { stdio: ['ignore', 'ignore', 'inherit'] });
  const installed = fs.readdirSync(ext).filter(d => d.startsWith('dossier.dossier-'));
  check('.vsix installs into code-server', installed.length === 1, fs.readdirSync(ext));
  res.timings.installed_ext_ms = ms();

  const port = await freePort();
  srv = spawn(CS, [...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', ws], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let srvLog = '';
  srv.stdout.on('data', d => { srvLog += d; }); srv.stderr.on('data', d => { srvLog += d; });
  for (let i = 0; i < 200 && !/HTTP server listening/.test(srvLog); i++) await sleep(100);

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.setDefaultTimeout(15000); // no single step may hang the run
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    res.timings.workbench_ms = ms();

    // Open the draft from the Explorer, as a writer would; the extension
    // activates on Markdown, starts the server, the server checks the draft.
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'draft.md' });
    await row.waitFor({ timeout: 30000 });
    const tOpen = Date.now();
    await row.click();
    await page.locator('.monaco-editor .view-line', { hasText: 'Sergei Lavrov' }).waitFor({ timeout: 30000 });
    res.timings.open_to_text_ms = Date.now() - tOpen;
    let firstDiag = null;
    try {
      await page.waitForSelector(
        '.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info, .monaco-editor .squiggly-hint',
        { timeout: 30000 });
      firstDiag = Date.now() - tOpen;
    } catch { /* reported below */ }
    res.timings.open_to_first_diagnostics_ms = firstDiag;
    check('diagnostics appear in the editor', firstDiag !== null, 'no squiggle within 30 s');

    // Status bar: the corpus size once the sources are read.
    const sbItem = page.locator('.statusbar-item', { hasText: /Dossier/ }).first();
    let sbText = null;
    for (let i = 0; i < 100; i++) {
      sbText = (await sbItem.count()) ? (await sbItem.innerText()).trim() : null;
      if (sbText && /\d+ sources?/.test(sbText)) break;
      await sleep(100);
    }
    check('status bar shows the corpus size', sbText && /\d+ actors .*\d+ sources?/.test(sbText), sbText);

    // Hover: the person card, with nothing but ASCII before the name, then
    // after curly quotes, ’ and accented letters on the same line (UTF-16).
    const h1 = await hover(page, `${SPEAKER} said:`, SPEAKER, 'vscode-hover.png');
    res.hover_text = h1.text; res.timings.hover_ms = h1.ms; res.hover_attempts = [h1.attempts];
    check('hover on a seed person shows the card', h1.text && h1.text.includes(ROLE) && h1.text.includes(SPEAKER), h1.text);
    const h2 = await hover(page, 'Zoë Müller', SPEAKER, 'vscode-hover-non-ascii.png');
    res.hover_attempts.push(h2.attempts);
    check('hover after non-ASCII on the line', h2.text && h2.text.includes(ROLE), h2.text);

    // Semantic tokens: the recognised person is coloured unlike plain prose.
    await page.mouse.move(5, 5); await page.keyboard.press('Escape');
    const person = await wordBox(page, 'approved the story', 'Jane');
    const plain = await wordBox(page, 'approved the story', 'approved');
    const known = await wordBox(page, `${SPEAKER} said:`, 'Spicer');
    res.colours = { person: known && known.color, plain: plain && plain.color, unknownName: person && person.color };
    check('recognised person is coloured (semantic tokens)', known && plain && known.color !== plain.color, res.colours);

    // The same colours must read well in the default light theme.
    // Problems: status-bar counter and the panel's rows with Dossier's codes.
    await page.mouse.move(5, 400);
    const sb = page.locator('#status\\.problems');
    for (let i = 0; i < 50; i++) { // the counter catches up with the markers
      res.status_problems = (await sb.getAttribute('aria-label').catch(() => null)) || (await sb.innerText().catch(() => null));
      if (/[1-9]/.test(res.status_problems || '')) break;
      await sleep(200);
    }
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.first().waitFor({ timeout: 15000 }).catch(() => {});
    await sleep(500);
    const texts = await rows.allInnerTexts();
    res.problems_rows = texts;
    // Rows of findings carry the source "dossier" and a code; the file row
    // carries the count; related-information rows (the source's wording)
    // hang under their finding.
    const findings = texts.filter(t => t.split('\n').includes('dossier'));
    const withCode = findings.filter(t => CODES.some(c => t.split('\n').includes(c)));
    const fileRow = texts.find(t => t.startsWith('draft.md'));
    const fileCount = fileRow ? Number(fileRow.split('\n')[1]) : null;
    const count = findings.length;
    res.problem_count = count;
    res.problem_codes = findings.map(t => CODES.find(c => t.split('\n').includes(c)));
    console.log(`problems: ${count} (${res.problem_codes.join(', ')}); status bar: ${res.status_problems}`);
    check('Problems lists findings with Dossier codes', count > 0 && withCode.length === count && fileCount === count,
      { status: res.status_problems, rows: texts });
    const sbCount = (res.status_problems || '').match(/(\d+)/g);
    check('Problems count in the status bar matches the panel',
      sbCount && sbCount.map(Number).reduce((a, b) => a + b, 0) === count, { status: res.status_problems, count });
    await page.screenshot({ path: path.join(OUT, 'vscode-problems.png') });

    // Warm: a second draft while the server is already running.
    const row2 = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'second.md' });
    const tOpen2 = Date.now();
    await row2.click();
    let warm = null;
    try {
      await page.locator('.monaco-editor .view-line', { hasText: 'met the president' }).waitFor({ timeout: 15000 });
      await page.waitForSelector('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error, .monaco-editor .squiggly-info',
        { timeout: 15000 });
      warm = Date.now() - tOpen2;
    } catch { /* reported below */ }
    res.timings.warm_open_to_first_diagnostics_ms = warm;
    console.log(`time: vscode open -> first diagnostics, server already running: ${warm === null ? 'none' : warm} ms`);
    check('second draft gets diagnostics', warm !== null, 'no squiggle within 15 s');

    // The extension's own time stamps (its log is flushed by now) split the
    // cold open: workbench → extension activated → server initialized → squiggle.
    const log0 = dossierLog(ud);
    const at = what => { const t = logTime(log0, what); return t === null ? null : t - tOpen; };
    res.timings.open_to_extension_activated_ms = at('Activated');
    res.timings.open_to_server_initialized_ms = at('Server initialized');
    console.log(`time: vscode open -> first diagnostics: ${firstDiag === null ? 'none' : firstDiag} ms` +
      ` (text shown after ${res.timings.open_to_text_ms} ms, extension activated after ${res.timings.open_to_extension_activated_ms} ms,` +
      ` server initialized after ${res.timings.open_to_server_initialized_ms} ms)`);

    // Commands from the palette, as a writer runs them.
    const runCommand = async title => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 10000 });
      await input.fill(`>${title}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10000 });
      await page.keyboard.press('Enter');
    };
    step('command: show corpus');
    await runCommand('Dossier: Show Corpus Summary');
    const summary = page.locator('.monaco-editor .view-line', { hasText: 'documents' });
    const summaryText = await summary.first().waitFor({ timeout: 20000 })
      .then(() => summary.first().innerText(), () => null);
    const tabText = await page.locator('.tab.active').innerText().catch(() => null);
    check('command: Show Corpus Summary', summaryText && /^- 5\s+documents$/.test(summaryText.replace(/\u00a0/g, ' ')),
      { line: summaryText, tab: tabText });
    await page.screenshot({ path: path.join(OUT, 'vscode-corpus-summary.png') });

    step('command: open source');
    await runCommand('Dossier: Open Source Article');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Trump sharing intelligence' }).first().waitFor({ timeout: 20000 });
    await page.keyboard.type('Trump sharing intelligence');
    await sleep(300);
    await page.keyboard.press('Enter');
    const opened = await page.locator('.monaco-editor .view-line', { hasText: 'two Israeli intelligence officials' }).first()
      .waitFor({ timeout: 15000 }).then(() => true, () => false);
    check('command: Open Source Article opens the seed', opened, 'seed 004 not shown');

    const logs = () => dossierLog(ud);
    const starts = () => (logs().match(/ Starting /g) || []).length;
    const before = starts();
    step('command: restart');
    await runCommand('Dossier: Restart Server');
    let restarted = false;
    for (let i = 0; i < 100 && !restarted; i++) {
      await sleep(100);
      const t = (await sbItem.innerText().catch(() => '')).trim();
      restarted = starts() > before && /\d+ sources?/.test(t);
    }
    check('command: Restart Server starts a new server', restarted, { before, after: starts() });

    // The default light theme: set it and reload the window (the editor
    // and its draft come back as they were).
    await row.click();
    await page.locator('.monaco-editor .view-line', { hasText: 'Sergei Lavrov' }).waitFor({ timeout: 15000 });
    const settingsFile = path.join(ud, 'User', 'settings.json');
    const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
    fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, 'workbench.colorTheme': 'Default Light Modern' }, null, 1));
    await page.reload();
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await row.click(); // the window may come back without an editor
    step('light theme');
    let light = null;
    for (const end = Date.now() + 30000; Date.now() < end && !light;) {
      await sleep(200);
      const k = await wordBox(page, `${SPEAKER} said:`, 'Spicer', 2000).catch(() => null);
      const p = await wordBox(page, 'approved the story', 'approved', 2000).catch(() => null);
      if (k && p && p.color !== res.colours.plain && k.color !== p.color) light = { person: k.color, plain: p.color };
    }
    res.colours_light = light;
    await page.screenshot({ path: path.join(OUT, 'vscode-light.png') });
    check('recognised person is coloured in the light theme', light, light);
  } catch (e) {
    check('no unexpected error', false, String((e && e.message) || e).split('\n')[0]);
    try { const [p] = browser.contexts()[0].pages(); await p.screenshot({ path: path.join(OUT, 'vscode-failure.png') }); } catch {}
  } finally {
    await browser.close();
    try { process.kill(-srv.pid, 'SIGTERM'); } catch {}
    await sleep(500);
    if (!process.env.KEEP) fs.rmSync(root, { recursive: true, force: true }); // KEEP=1 keeps logs
  }
  res.timings.total_ms = ms();
  console.log(JSON.stringify(res));
  process.exit(failed === 0 ? 0 : 1);
})();
