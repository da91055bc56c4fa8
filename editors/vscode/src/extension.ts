// The Dossier extension: starts `dossier lsp --stdio` for Markdown and plain
// text, forwards the `dossier.*` settings, shows the corpus state in the
// status bar and offers restart / corpus summary / open source commands.
import * as path from 'path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageclient/node';
import {
  CorpusDocument,
  corpusArgs,
  findServer,
  Found,
  INSTALL_HINT,
  readCorpus,
  summaryMarkdown,
} from './server';

const SECTION = 'dossier';
let client: LanguageClient | undefined;
let server: Found | undefined;
let status: vscode.StatusBarItem;
let output: vscode.OutputChannel;

/** Output → Dossier, time-stamped to the millisecond (start-up timings). */
function log(line: string) {
  output.appendLine(`${new Date().toISOString().slice(11, 23)} ${line}`);
}

/** The settings the server reads, as `initializationOptions` wants them. */
function serverSettings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    corpus: c.get<string[]>('corpus', []),
    includeDefaultCorpus: c.get<boolean>('includeDefaultCorpus', true),
    rules: c.get<Record<string, string>>('rules', {}),
    languages: c.get<string[]>('languages', ['markdown', 'plaintext', 'text']),
    inlayHints: c.get<boolean>('inlayHints', false),
    attributionStyle: c.get<string>('attributionStyle', 'auto'),
    claimAttribution: c.get<string>('claimAttribution', 'according-to'),
  };
}

function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

function setStatus(text: string, tooltip: string, busy = false) {
  status.text = `${busy ? '$(sync~spin)' : '$(book)'} ${text}`;
  status.tooltip = tooltip;
  status.show();
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const setting = vscode.workspace.getConfiguration(SECTION).get<string>('server.path', '');
  const lookup = findServer(setting, context.extensionPath);
  if ('problem' in lookup) {
    server = undefined;
    setStatus('Dossier: no server', `${lookup.problem} ${INSTALL_HINT}`);
    log(`${lookup.problem} ${INSTALL_HINT}`);
    const choice = await vscode.window.showErrorMessage(
      `${lookup.problem} ${INSTALL_HINT}`,
      'Set dossier.server.path',
    );
    if (choice) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'dossier.server.path');
    }
    return;
  }
  server = lookup.found;
  log(`Starting ${server.path} (from ${server.origin})`);

  const serverOptions: ServerOptions = {
    command: server.path,
    // TransportKind.stdio appends `--stdio` itself: `dossier lsp --stdio`.
    args: ['lsp'],
    transport: TransportKind.stdio,
  };
  const languages = new Set(['markdown', 'plaintext', ...(serverSettings().languages as string[])]);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...languages].flatMap(language => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    initializationOptions: serverSettings(),
    // Changes to `dossier.*` go to the server as didChangeConfiguration
    // ({ dossier: { … } }), so no restart is needed.
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
  };
  client = new LanguageClient('dossier', 'Dossier', serverOptions, clientOptions);
  setStatus('Dossier: starting', 'Starting the Dossier language server', true);
  try {
    await client.start();
  } catch (e) {
    setStatus('Dossier: failed', String(e));
    void vscode.window.showErrorMessage(`Dossier: the language server did not start: ${e}`);
    return;
  }
  log('Server initialized');
  watchProgress(client);
  if (status.text.includes('starting')) setStatus('Dossier', 'Dossier language server running');
}

/**
 * The server reports reading the corpus as work-done progress; show it in
 * the status bar instead of a notification, and keep the end summary there.
 */
function watchProgress(c: LanguageClient) {
  c.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    const dispose = c.onProgress(WorkDoneProgress.type, token, value => {
      if (value.kind === 'begin') {
        setStatus(`Dossier: ${value.title.toLowerCase()}…`, value.title, true);
      } else if (value.kind === 'report') {
        const pct = value.percentage !== undefined ? ` ${value.percentage}%` : '';
        setStatus(`Dossier: reading sources${pct}`, value.message || 'Reading sources', true);
      } else {
        const summary = value.message || 'ready';
        setStatus(`Dossier: ${shortSummary(summary)}`, `Corpus: ${summary}. Click for the summary.`);
        dispose.dispose();
      }
    });
  });
}

/** "64 actors and 49 quotes from 5 sources" → "64 actors · 49 quotes · 5 sources". */
function shortSummary(summary: string): string {
  const nums = summary.match(/(\d+) actors?.*?(\d+) quotes?.*?(\d+) sources?/);
  return nums ? `${nums[1]} actors · ${nums[2]} quotes · ${nums[3]} sources` : summary;
}

async function stopClient() {
  const c = client;
  client = undefined;
  if (c && c.state !== State.Stopped) {
    try {
      await c.stop(5000);
    } catch (e) {
      log(`stopping the server: ${e}`);
    }
  }
}

async function loadCorpus() {
  if (!server) throw new Error(`${INSTALL_HINT}`);
  const c = vscode.workspace.getConfiguration(SECTION);
  const args = corpusArgs(
    {
      corpus: c.get<string[]>('corpus', []),
      includeDefaultCorpus: c.get<boolean>('includeDefaultCorpus', true),
    },
    workspaceRoot(),
  );
  return readCorpus(server.path, args, workspaceRoot());
}

// The summary opens as a read-only virtual document, which the language
// client (file and untitled documents only) leaves unchecked.
const SUMMARY_URI = vscode.Uri.parse('dossier:/Dossier%20corpus.md');
let summaryText = '';
const summaryChanged = new vscode.EventEmitter<vscode.Uri>();

async function showCorpus() {
  try {
    const corpus = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Dossier: reading the corpus' },
      loadCorpus,
    );
    summaryText = summaryMarkdown(corpus);
    summaryChanged.fire(SUMMARY_URI);
    const doc = await vscode.workspace.openTextDocument(SUMMARY_URI);
    await vscode.window.showTextDocument(doc, { preview: true });
  } catch (e) {
    void vscode.window.showErrorMessage(`Dossier: could not read the corpus: ${(e as Error).message}`);
  }
}

/** A document's file: absolute paths as they are; the built-in articles
 * (relative paths) only if the workspace holds them. */
function documentFile(doc: CorpusDocument): string | undefined {
  const p = doc.path || '';
  if (path.isAbsolute(p)) return p;
  const root = workspaceRoot();
  return root && p ? path.join(root, p) : undefined;
}

async function openSource(id?: string) {
  try {
    const corpus = await loadCorpus();
    let pick: CorpusDocument | undefined;
    if (typeof id === 'string' && id) {
      pick = corpus.documents.find(d => d.id === id || d.id.startsWith(id));
    } else {
      const item = await vscode.window.showQuickPick(
        corpus.documents.map(d => ({
          label: d.title || d.id,
          description: [d.outlet, d.byline].filter(Boolean).join(' · '),
          detail: d.path || d.id,
          doc: d,
        })),
        { placeHolder: 'Open a source article', matchOnDescription: true, matchOnDetail: true },
      );
      pick = item?.doc;
    }
    if (!pick) return;
    const file = documentFile(pick);
    try {
      if (!file) throw new Error('no file');
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
    } catch {
      void vscode.window.showWarningMessage(
        `Dossier: ${pick.id} is built into dossier and has no file here. Add its folder to "dossier.corpus" to open it.`,
      );
    }
  } catch (e) {
    void vscode.window.showErrorMessage(`Dossier: could not read the corpus: ${(e as Error).message}`);
  }
}

export async function activate(context: vscode.ExtensionContext) {
  output = vscode.window.createOutputChannel('Dossier');
  log(`Activated (${vscode.version})`);
  status = vscode.window.createStatusBarItem('dossier.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Dossier';
  status.command = 'dossier.showCorpus';
  context.subscriptions.push(output, status);

  context.subscriptions.push(
    summaryChanged,
    vscode.workspace.registerTextDocumentContentProvider('dossier', {
      onDidChange: summaryChanged.event,
      provideTextDocumentContent: () => summaryText,
    }),
    vscode.commands.registerCommand('dossier.restartServer', async () => {
      await stopClient();
      await startClient(context);
    }),
    vscode.commands.registerCommand('dossier.showCorpus', showCorpus),
    vscode.commands.registerCommand('dossier.openSource', openSource),
    vscode.workspace.onDidChangeConfiguration(async e => {
      // The binary or the set of languages changed: only a restart helps.
      if (e.affectsConfiguration('dossier.server.path') || e.affectsConfiguration('dossier.languages')) {
        await stopClient();
        await startClient(context);
      }
    }),
  );
  await startClient(context);
}

export function deactivate(): Thenable<void> | undefined {
  return stopClient();
}
