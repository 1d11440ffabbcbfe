// Parser and checker diagnostics as you type: debounced per document, and tagged with
// the version they came from — a result for an older version is never shown. The check
// depends on `mmu.defaultConfig` too (E203 against its values), so a change of it
// re-diagnoses every open document.
import * as vscode from 'vscode';
import type { AnalysisCache } from './analysisCache';
import { toDiagnostic } from './convert';
import { isMmuDocument } from './settings';

const DEBOUNCE_MS = 200;

export function registerDiagnostics(cache: AnalysisCache): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('mmu');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const publish = (doc: vscode.TextDocument) => {
    const version = doc.version;
    const analysis = cache.get(doc);
    if (doc.isClosed || doc.version !== version) return;
    collection.set(doc.uri, analysis.diagnostics.map((d) => toDiagnostic(doc.uri, d, 'mmu')));
  };
  const schedule = (doc: vscode.TextDocument, delay = DEBOUNCE_MS) => {
    if (!isMmuDocument(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      // The document may have changed again since scheduling: analyze what is there now.
      publish(doc);
    }, delay));
  };

  vscode.workspace.textDocuments.forEach((d) => schedule(d, 0));
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument((d) => schedule(d, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length > 0) schedule(e.document); }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mmu.defaultConfig')) vscode.workspace.textDocuments.forEach((d) => schedule(d, 0));
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      clearTimeout(timers.get(d.uri.toString()));
      collection.delete(d.uri);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}
