// VS Code with a .vsix that carries no server, no `dossier` on PATH and no
// setting: opening a draft must say what is missing and how to fix it.
// Usage: CODE_SERVER=… VSIX=<package:no-server .vsix> NODE_PATH=… node tests/editors/vscode_no_server.js <out-dir>
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const { chromium } = require('playwright-core');

const CS = process.env.CODE_SERVER || 'code-server';
const OUT = path.resolve(process.argv[2] || '.');
const sleep = n => new Promise(r => setTimeout(r, n));
const freePort = () => new Promise(r => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); });
});
let failed = 0;
function check(name, ok, detail) {
  if (!ok) failed++;
  console.log(`${ok ? 'ok' : 'not ok'} - vscode: ${name}${ok ? '' : `  (${String(JSON.stringify(detail)).slice(0, 300)})`}`);
}

(async () => {
  let srv, browser;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-vscode-noserver-'));
  const ud = path.join(root, 'ud'), ext = path.join(root, 'ext'), ws = path.join(root, 'ws');
  for (const d of [path.join(ud, 'User'), ext, ws]) fs.mkdirSync(d, { recursive: true });
  fs.copyFileSync(path.join(__dirname, 'fixtures', 'draft.md'), path.join(ws, 'draft.md'));
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false, 'extensions.ignoreRecommendations': true,
  }));
  const common = ['--user-data-dir', ud, '--extensions-dir', ext, '--config', path.join(root, 'config.yaml')];
  execFileSync(CS, [...common, '--install-extension', process.env.VSIX], { stdio: ['ignore', 'ignore', 'inherit'] });
  // PATH without any `dossier`: only the directories of node and the system.
  const env = { ...process.env, PATH: [path.dirname(process.execPath), '/usr/bin', '/bin'].join(':') };
  const port = await freePort();
  srv = spawn(CS, [...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', ws],
  { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env });
  let log = '';
  srv.stdout.on('data', d => { log += d; }); srv.stderr.on('data', d => { log += d; });
  for (let i = 0; i < 200 && !/HTTP server listening/.test(log); i++) await sleep(100);
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.setDefaultTimeout(15000);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'draft.md' }).click();
    const toast = page.locator('.notification-toast', { hasText: 'not found' });
    const text = await toast.first().waitFor({ timeout: 30000 }).then(() => toast.first().innerText(), () => null);
    await page.screenshot({ path: path.join(OUT, 'vscode-no-server.png') });
    check('no server: the message says what is missing and the fix',
      text && /dossier/.test(text) && /cargo build --release/.test(text) && /dossier\.server\.path/.test(text), text);
    const sb = await page.locator('.statusbar-item', { hasText: 'Dossier: no server' }).count();
    check('no server: the status bar says so', sb > 0, sb);
  } catch (e) {
    check('no unexpected error', false, String((e && e.message) || e).split('\n')[0]);
  } finally {
    if (browser) await browser.close();
    try { process.kill(-srv.pid, 'SIGTERM'); } catch {}
    await sleep(500);
    fs.rmSync(root, { recursive: true, force: true });
  }
  process.exit(failed === 0 ? 0 : 1);
})();
