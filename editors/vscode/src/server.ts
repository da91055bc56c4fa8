// Finding the `dossier` binary and reading the corpus through its command
// line: the setting first, then PATH, then the copy packaged in the .vsix.
import * as fs from 'fs';
import * as path from 'path';
import { execFile } from 'child_process';

const EXE = process.platform === 'win32' ? 'dossier.exe' : 'dossier';

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface Found {
  path: string;
  /** Where it came from, for the log and the error message. */
  origin: 'setting' | 'PATH' | 'bundled';
}

export type Lookup = { found: Found } | { problem: string };

/** The setting wins, then `dossier` on PATH, then `server/dossier` in the extension. */
export function findServer(setting: string, extensionDir: string, env = process.env): Lookup {
  const configured = setting.trim();
  if (configured) {
    const expanded = configured.replace(/^~(?=$|[\\/])/, env.HOME || '~');
    if (isExecutable(expanded)) return { found: { path: expanded, origin: 'setting' } };
    return {
      problem: `The setting dossier.server.path points to "${configured}", which is not an executable file.`,
    };
  }
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, EXE);
    if (isExecutable(candidate)) return { found: { path: candidate, origin: 'PATH' } };
  }
  const bundled = path.join(extensionDir, 'server', EXE);
  if (isExecutable(bundled)) return { found: { path: bundled, origin: 'bundled' } };
  return { problem: 'The Dossier language server (the `dossier` program) was not found.' };
}

/** What the fix is, shown with the error. */
export const INSTALL_HINT =
  'Build it with `cargo build --release` in the Dossier repository and either put ' +
  'target/release/dossier on your PATH or set "dossier.server.path" to its full path.';

export interface CorpusDocument {
  id: string;
  title?: string | null;
  outlet?: string | null;
  byline?: string | null;
  path?: string | null;
}
export interface CorpusEntity {
  id: string;
  name: string;
  kind: string;
  mention_count?: number;
}
export interface CorpusJson {
  documents: CorpusDocument[];
  entities: CorpusEntity[];
  quotes: unknown[];
  skipped: { path?: string; reason?: string }[];
}

export interface CorpusSettings {
  corpus: string[];
  includeDefaultCorpus: boolean;
}

/**
 * The arguments that make `dossier corpus --json` read what the server
 * reads (the server has no request for the summary; `dossier.toml` is not
 * read by the command line, so only the editor's settings apply).
 */
export function corpusArgs(settings: CorpusSettings, root: string | undefined): string[] {
  const args = ['corpus', '--json'];
  for (const dir of settings.corpus) {
    args.push('--corpus', root && !path.isAbsolute(dir) ? path.join(root, dir) : dir);
  }
  if (!settings.includeDefaultCorpus) args.push('--no-default-corpus');
  return args;
}

export function readCorpus(binary: string, args: string[], cwd: string | undefined): Promise<CorpusJson> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { cwd, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error((stderr || err.message).trim()));
      try {
        resolve(JSON.parse(stdout) as CorpusJson);
      } catch (e) {
        reject(new Error(`unreadable output from dossier corpus --json: ${e}`));
      }
    });
  });
}

/** The summary as Markdown: counts, entities by kind, documents, skipped files. */
export function summaryMarkdown(c: CorpusJson): string {
  const kinds = new Map<string, number>();
  for (const e of c.entities) kinds.set(e.kind, (kinds.get(e.kind) || 0) + 1);
  const byKind = [...kinds.entries()].sort().map(([k, n]) => `${n} ${k}`).join(', ');
  const lines = [
    '# Dossier corpus',
    '',
    `- ${c.documents.length} documents`,
    `- ${c.entities.length} entities (${byKind})`,
    `- ${c.quotes.length} quotes`,
    `- ${c.skipped.length} skipped files`,
    '',
    '## Documents',
    '',
    ...c.documents.map(d => `- \`${d.id}\` ${d.title || '?'}${d.outlet ? ` — ${d.outlet}` : ''}`),
  ];
  const top = [...c.entities].sort((a, b) => (b.mention_count || 0) - (a.mention_count || 0)).slice(0, 15);
  if (top.length) {
    lines.push('', '## Most mentioned', '', ...top.map(e => `- ${e.name} (${e.kind}, ${e.mention_count ?? 0})`));
  }
  if (c.skipped.length) {
    lines.push('', '## Skipped files', '', ...c.skipped.map(s => `- ${s.path || '?'}: ${s.reason || ''}`));
  }
  return lines.join('\n') + '\n';
}
