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

  const write = async (uri: string): Promise<void> => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (!doc) return;
    // Only results of the text as it is now (its version), never a cancelled run (nothing to restore).
    const stored = store.get(uri);
    const run: StoredRun | undefined = stored && stored.version === doc.version && !stored.cancelled ? stored : undefined;
    const explored = store.explorations(uri);
    const searches = explored && explored.version === doc.version ? explored.results : [];
    if (!run && searches.length === 0) return;
    const made = cacheEntry(uri, textHash(doc.getText()), run?.result ?? { file: doc.uri.fsPath, scenarios: [] }, run?.compare, searches);
    if (!made) { log.info(`run cache: the run of ${doc.uri.path.split('/').pop()} is too large to keep across a reload`); return; }
    const file = entryFileName(uri);
    await fs.createDirectory(dir);
    await fs.writeFile(vscode.Uri.joinPath(dir, file), new TextEncoder().encode(made.json));
    const rows = [...index().filter((r) => r.uri !== uri), { uri, file }];
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
    if (!row || store.get(uri) || store.explorations(uri)) return;
    const version = doc.version;
    let json: string;
    try {
      json = new TextDecoder().decode(await fs.readFile(vscode.Uri.joinPath(dir, row.file)));
    } catch {
      return;
    }
    const entry = readEntry(json, uri, textHash(doc.getText()));
    // A changed text (or a run made meanwhile) wins over the cache.
    if (disposed || !entry || doc.isClosed || doc.version !== version || store.get(uri) || store.explorations(uri)) return;
    log.info(`restored the previous run of ${doc.uri.path.split('/').pop()}${entry.explorations ? ` (and ${entry.explorations.length} explore result${entry.explorations.length === 1 ? '' : 's'})` : ''}${entry.trimmed ? ` (without ${entry.trimmed}: too large to keep)` : ''}`);
    if (entry.result.scenarios.length > 0) store.set({ uri, version, result: entry.result, ...(entry.compare ? { compare: entry.compare } : {}), restored: true });
    if (entry.explorations) store.setExplorations(uri, version, entry.explorations, true);
  };

  /** Writes wait WRITE_DELAY_MS: a run followed by a Compare or a search writes once. */
  const later = (uri: string): void => {
    clearTimeout(pending.get(uri));
    pending.set(uri, setTimeout(() => { pending.delete(uri); safely('write', write(uri)); }, WRITE_DELAY_MS));
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
      later(e.uri);
    }),
    store.onDidChangeExplorations((e) => { if (!e.restored) later(e.uri); }),
    { dispose: () => { disposed = true; pending.forEach((t) => clearTimeout(t)); } },
  );
}
