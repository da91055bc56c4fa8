// Copies the `dossier` binary into server/ so the .vsix works without one on
// PATH. Source: $DOSSIER_BINARY, else ../../target/release/dossier. Without
// either, the package is built without a bundled server (it then needs
// `dossier.server.path` or `dossier` on PATH) and this says so.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const exe = process.platform === 'win32' ? 'dossier.exe' : 'dossier';
const source = process.env.DOSSIER_BINARY || path.join(__dirname, '..', '..', '..', 'target', 'release', exe);
const destDir = path.join(__dirname, '..', 'server');
fs.rmSync(destDir, { recursive: true, force: true });
if (!fs.existsSync(source)) {
  console.warn(`bundle-server: ${source} not found; packaging without a bundled server`);
  process.exit(0);
}
fs.mkdirSync(destDir, { recursive: true });
const dest = path.join(destDir, exe);
fs.copyFileSync(source, dest);
fs.chmodSync(dest, 0o755);
try {
  // Debug symbols are most of the binary's size.
  execFileSync('strip', [dest], { stdio: 'ignore' });
} catch {
  // No strip on this machine: ship it as it is.
}
console.log(`bundle-server: ${source} -> ${dest} (${Math.round(fs.statSync(dest).size / 1e6)} MB)`);
