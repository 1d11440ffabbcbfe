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
    const uri = doc?.uri.toString();
    const stored = uri ? store.get(uri) : undefined;
    const run = doc && stored && stored.version === doc.version && stored.result.scenarios.length > 0 ? stored : undefined;
    const explored = uri ? store.explorations(uri) : undefined;
    const searches = doc && explored && explored.version === doc.version ? explored.results : [];
    if (!doc || (!run && searches.length === 0)) {
      item.hide();
      return;
    }
    const file = cache.get(doc).file;
    const named = (list: readonly { name: { value: string } | null; range: { start: { line: number } } }[]) => list.flatMap((s) => s.name ? [{ name: s.name.value, line: s.range.start.line }] : []);
    // Scenarios count only once the file's scenarios ran (an Explore alone runs none).
    const v = verdictText(run?.result.scenarios ?? [], run ? named(file.scenarios) : [], searches, named(file.explorations));
    const restored = run?.restored || (searches.length > 0 && explored?.restored);
    item.text = restored ? `${v.text} (previous run)` : v.text;
    item.tooltip = restored ? `${v.tooltip}\nFrom the previous run (before the window reloaded; the text is unchanged).` : v.tooltip;
    item.backgroundColor = v.passed ? undefined : new vscode.ThemeColor('statusBarItem.errorBackground');
    item.command = { command: COMMANDS.showState, title: 'Show state', arguments: [doc.uri.toString()] };
    item.show();
  };
  return vscode.Disposable.from(item, store.onDidChange(update), store.onDidChangeExplorations(update), vscode.window.onDidChangeActiveTextEditor(update));
}
