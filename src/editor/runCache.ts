// Keeps each document's last run across a window reload: written to the extension's
// workspace storage (a file per document, the last MAX_FILES documents, each bounded by
// runCacheEntry.ts), read back when the document opens with the very same text. A restored
// run is marked `restored`: the marks, diagnostics and panel say "from the previous run"
// until the text changes (an edit drops it like any run) or a new run replaces it.
import * as vscode from 'vscode';
import { cacheEntry, entryFileName, readEntry, textHash } from './results/runCacheEntry';
import type { RunStore, StoredRun } from './runStore';

/** Documents whose last run is kept (oldest dropped first). */
const MAX_FILES = 20;
const INDEX_KEY = 'mmu.runCache.index';
/** Writes wait this long: a run followed by a Compare writes once. */
const WRITE_DELAY_MS = 500;

interface IndexRow { readonly uri: string; readonly file: string }

export function registerRunCache(context: vscode.ExtensionContext, store: RunStore, log: vscode.LogOutputChannel): vscode.Disposable {
  const base = context.storageUri ?? context.globalStorageUri;
  const dir = vscode.Uri.joinPath(base, 'runs');
  const fs = vscode.workspace.fs;
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Documents checked for a cached run this window (a run is restored once, at its first open). */
  const looked = new Set<string>();
  let disposed = false;

  const index = (): IndexRow[] => {
    const rows = context.workspaceState.get<unknown>(INDEX_KEY);
    return Array.isArray(rows) ? rows.filter((r): r is IndexRow => typeof r?.uri === 'string' && typeof r?.file === 'string') : [];
  };

  const write = async (run: StoredRun): Promise<void> => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === run.uri);
    // Only a run of the text as it is now (its version), never a cancelled one (nothing to restore).
    if (!doc || doc.version !== run.version || run.cancelled || run.restored) return;
    const made = cacheEntry(run.uri, textHash(doc.getText()), run.result, run.compare);
    if (!made) { log.info(`run cache: the run of ${doc.uri.path.split('/').pop()} is too large to keep across a reload`); return; }
    const file = entryFileName(run.uri);
    await fs.createDirectory(dir);
    await fs.writeFile(vscode.Uri.joinPath(dir, file), new TextEncoder().encode(made.json));
    const rows = [...index().filter((r) => r.uri !== run.uri), { uri: run.uri, file }];
    const dropped = rows.splice(0, Math.max(0, rows.length - MAX_FILES));
    await context.workspaceState.update(INDEX_KEY, rows);
    for (const r of dropped) await fs.delete(vscode.Uri.joinPath(dir, r.file)).then(undefined, () => undefined);
  };

  const forget = async (uri: string): Promise<void> => {
    const rows = index();
    const row = rows.find((r) => r.uri === uri);
    if (!row) return;
    await context.workspaceState.update(INDEX_KEY, rows.filter((r) => r !== row));
    await fs.delete(vscode.Uri.joinPath(dir, row.file)).then(undefined, () => undefined);
  };

  const restore = async (doc: vscode.TextDocument): Promise<void> => {
    const uri = doc.uri.toString();
    if (looked.has(uri)) return;
    looked.add(uri);
    const row = index().find((r) => r.uri === uri);
    if (!row || store.get(uri)) return;
    const version = doc.version;
    let json: string;
    try {
      json = new TextDecoder().decode(await fs.readFile(vscode.Uri.joinPath(dir, row.file)));
    } catch {
      return;
    }
    const entry = readEntry(json, uri, textHash(doc.getText()));
    // A changed text (or a run made meanwhile) wins over the cache.
    if (disposed || !entry || doc.isClosed || doc.version !== version || store.get(uri)) return;
    log.info(`restored the previous run of ${doc.uri.path.split('/').pop()}${entry.trimmed ? ` (without ${entry.trimmed}: too large to keep)` : ''}`);
    store.set({ uri, version, result: entry.result, ...(entry.compare ? { compare: entry.compare } : {}), restored: true });
  };

  const isMmu = (d: vscode.TextDocument): boolean => d.languageId === 'mmu' || d.uri.path.endsWith('.mmu');
  const safely = (what: string, p: Promise<void>): void => { p.catch((e: unknown) => log.warn(`run cache: ${what} failed: ${e instanceof Error ? e.message : String(e)}`)); };
  for (const d of vscode.workspace.textDocuments) if (isMmu(d)) safely('restore', restore(d));

  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument((d) => { if (isMmu(d)) safely('restore', restore(d)); }),
    store.onDidChange((e) => {
      clearTimeout(pending.get(e.uri));
      pending.delete(e.uri);
      if ('cleared' in e) {
        // The text changed: the cached run no longer describes it.
        safely('drop', forget(e.uri));
        return;
      }
      if (e.restored) return;
      pending.set(e.uri, setTimeout(() => {
        pending.delete(e.uri);
        const now = store.get(e.uri);
        if (now) safely('write', write(now));
      }, WRITE_DELAY_MS));
    }),
    { dispose: () => { disposed = true; pending.forEach((t) => clearTimeout(t)); } },
  );
}
