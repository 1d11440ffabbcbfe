// The verdict of the last exploration, shown after its `explore` line until the text changes.
import * as vscode from 'vscode';
import type { ExploreResult } from '../../core/explore/index';

const clean = vscode.window.createTextEditorDecorationType({ after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('mmu.passForeground') } });
const bad = vscode.window.createTextEditorDecorationType({ after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('mmu.failForeground') } });

export function showVerdict(doc: vscode.TextDocument, line: number, results: readonly ExploreResult[]): void {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
  if (!editor || results.length === 0) return;
  const violation = results.some((r) => r.verdict === 'violation');
  const text = results.map((r) => (r.verdict === 'violation' ? '✗ ' : r.verdict === 'clean' ? '✓ ' : '… ') + r.summary).join('  |  ');
  const range = doc.lineAt(Math.min(line, doc.lineCount - 1)).range;
  editor.setDecorations(violation ? clean : bad, []);
  editor.setDecorations(violation ? bad : clean, [{ range, renderOptions: { after: { contentText: text } } }]);
  const sub = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document !== doc) return;
    editor.setDecorations(clean, []); editor.setDecorations(bad, []);
    sub.dispose();
  });
}
