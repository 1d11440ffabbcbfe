// The verdict of each `explore` block's last search, after its `explore` line, in every
// visible editor of the document: driven by the run store, so it appears however the search
// ran (the Explore CodeLens, Run all, the Test Explorer) and after a window reload (the run
// cache), and goes when an edit drops the results.
import * as vscode from 'vscode';
import type { ExploreResult } from '../../core/explore/index';
import { blockVerdicts } from '../results/testOutcome';
import type { RunStore } from '../runStore';

export function registerExploreVerdicts(store: RunStore): vscode.Disposable {
  const clean = vscode.window.createTextEditorDecorationType({ after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('mmu.passForeground') } });
  const bad = vscode.window.createTextEditorDecorationType({ after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('mmu.failForeground') } });
  const paint = (editor: vscode.TextEditor): void => {
    const doc = editor.document;
    const explored = store.explorations(doc.uri.toString());
    const results: readonly ExploreResult[] = explored && explored.version === doc.version ? explored.results : [];
    const later = explored?.restored ? ' (from the previous run)' : '';
    const ok: vscode.DecorationOptions[] = [];
    const failed: vscode.DecorationOptions[] = [];
    for (const b of blockVerdicts(results)) {
      if (b.line >= doc.lineCount) continue;
      const text = `${b.verdict === 'violation' ? '✗ ' : b.verdict === 'clean' ? '✓ ' : '… '}${b.summary}${later}`;
      (b.verdict === 'violation' ? failed : ok).push({ range: doc.lineAt(b.line).range, renderOptions: { after: { contentText: text } } });
    }
    editor.setDecorations(clean, ok);
    editor.setDecorations(bad, failed);
  };
  const paintUri = (uri: string): void => { for (const e of vscode.window.visibleTextEditors) if (e.document.uri.toString() === uri) paint(e); };
  return vscode.Disposable.from(
    clean, bad,
    store.onDidChangeExplorations((e) => paintUri(e.uri)),
    store.onDidChange((e) => paintUri(e.uri)),
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach(paint)),
  );
}
