// One status bar item: the last verdict of the active `.mmu` document; click → state panel.
import * as vscode from 'vscode';
import type { AnalysisCache } from './analysisCache';
import type { RunStore } from './runStore';
import { verdictText } from './results/testOutcome';
import { COMMANDS } from './commandIds';

export function registerStatusBar(store: RunStore, cache: AnalysisCache): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mmu.verdict', vscode.StatusBarAlignment.Left, 50);
  item.name = 'MMU verdict';
  const update = () => {
    const doc = vscode.window.activeTextEditor?.document;
    const run = doc ? store.get(doc.uri.toString()) : undefined;
    if (!doc || !run || run.version !== doc.version || run.result.scenarios.length === 0) {
      item.hide();
      return;
    }
    const inFile = cache.get(doc).file.scenarios.flatMap((s) => s.name ? [{ name: s.name.value, line: s.range.start.line }] : []);
    const v = verdictText(run.result.scenarios, inFile);
    item.text = run.restored ? `${v.text} (previous run)` : v.text;
    item.tooltip = run.restored ? `${v.tooltip}\nFrom the previous run (before the window reloaded; the text is unchanged).` : v.tooltip;
    item.backgroundColor = v.passed ? undefined : new vscode.ThemeColor('statusBarItem.errorBackground');
    item.command = { command: COMMANDS.showState, title: 'Show state', arguments: [doc.uri.toString()] };
    item.show();
  };
  return vscode.Disposable.from(item, store.onDidChange(update), vscode.window.onDidChangeActiveTextEditor(update));
}
