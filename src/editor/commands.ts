// The "MMU" commands: run scenario, run file, compare, export the run as JSON. The
// state panel's `mmu.showState` is registered by ./panel. Commands accept a URI string
// or vscode.Uri (CodeLens, menus) and fall back to the active editor.
import * as vscode from 'vscode';
import type { AnalysisCache } from './analysisCache';
import { COMMANDS } from './commandIds';
import type { RunStore } from './runStore';
import type { RunResponse, RunService } from './run/runService';
import { exportJson } from './results/exportRun';
import { isMmuDocument } from './settings';
import type { ScenarioTests } from './testController';

async function documentFor(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (typeof arg === 'string' && arg) return vscode.workspace.openTextDocument(vscode.Uri.parse(arg));
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && isMmuDocument(doc)) return doc;
  void vscode.window.showWarningMessage('MMU: open a .mmu file first.');
  return undefined;
}

/** The scenario named `arg`, else the one around the cursor, else ask. */
async function scenarioFor(doc: vscode.TextDocument, arg: unknown, cache: AnalysisCache): Promise<string | undefined> {
  if (typeof arg === 'string' && arg) return arg;
  const names = cache.get(doc).file.scenarios.filter((s) => s.name).map((s) => ({ name: s.name!.value, range: s.range }));
  const editor = vscode.window.activeTextEditor;
  if (editor?.document === doc) {
    const line = editor.selection.active.line;
    const here = names.find((n) => n.range.start.line <= line && line <= n.range.end.line);
    if (here) return here.name;
  }
  if (names.length === 1) return names[0]!.name;
  return vscode.window.showQuickPick(names.map((n) => n.name), { placeHolder: 'Scenario' });
}

function report(response: RunResponse): RunResponse {
  if (response.status === 'error') void vscode.window.showErrorMessage(`MMU: ${response.message}`);
  return response;
}

export function registerCommands(cache: AnalysisCache, store: RunStore, runs: RunService, tests: ScenarioTests): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.runScenario, async (uri?: unknown, name?: unknown) => {
      const doc = await documentFor(uri);
      const scenario = doc && await scenarioFor(doc, name, cache);
      if (!doc || !scenario) return undefined;
      return report(await tests.runFromCommand(doc, [scenario]));
    }),
    vscode.commands.registerCommand(COMMANDS.runFile, async (uri?: unknown) => {
      const doc = await documentFor(uri);
      return doc && report(await tests.runFromCommand(doc));
    }),
    vscode.commands.registerCommand(COMMANDS.compare, async (uri?: unknown, name?: unknown) => {
      const doc = await documentFor(uri);
      const scenario = doc && await scenarioFor(doc, name, cache);
      if (!doc || !scenario) return undefined;
      const response = report(await runs.run(doc, [scenario], 'compare'));
      if (response.status === 'done') await vscode.commands.executeCommand(COMMANDS.showState, doc.uri.toString(), scenario);
      return response;
    }),
    // `target` (a URI string) skips the save dialog: for scripts and tests.
    vscode.commands.registerCommand(COMMANDS.exportRun, async (uri?: unknown, target?: unknown) => {
      const doc = await documentFor(uri);
      const run = doc && store.get(doc.uri.toString());
      const explored = doc && store.explorations(doc.uri.toString());
      if (!doc || (!run && !explored)) {
        void vscode.window.showInformationMessage('MMU: nothing to export yet — run a scenario or explore a block first.');
        return undefined;
      }
      // Writes only where the user chose (the extension never touches user files otherwise).
      const chosen = typeof target === 'string' && target ? vscode.Uri.parse(target) : await vscode.window.showSaveDialog({
        defaultUri: doc.uri.with({ path: doc.uri.path.replace(/\.mmu$/, '') + '.run.json' }),
        filters: { JSON: ['json'] },
      });
      if (!chosen) return undefined;
      await vscode.workspace.fs.writeFile(chosen, new TextEncoder().encode(JSON.stringify(exportJson(doc.uri.toString(), run, explored), null, 2) + '\n'));
      void vscode.window.showInformationMessage(`MMU: run exported to ${chosen.path.split('/').pop()}`);
      return chosen.toString();
    }),
    store.onDidChange(() => void vscode.commands.executeCommand('setContext', 'mmu.hasRun', true)),
    store.onDidChangeExplorations(() => void vscode.commands.executeCommand('setContext', 'mmu.hasRun', true)),
  );
}
