// Wires every editor feature; shared by the desktop (src/extension.ts) and web
// (src/extension.web.ts) entries, which differ only in how simulations run. Nothing
// here analyzes or simulates: activation stays fast.
import * as vscode from 'vscode';
import { AnalysisCache } from './analysisCache';
import { registerCodeActions } from './codeActions';
import { registerCodeLens } from './codeLensProvider';
import { registerCommands } from './commands';
import { registerDiagnostics } from './diagnosticsProvider';
import { registerInlineResults } from './inlineResults';
import { registerLanguageFeatures } from './languageFeatures';
import { registerStatePanel } from './panel/index';
import { registerExplore } from './explore/index';
import { ExploreService } from './explore/exploreService';
import { RunService } from './run/runService';
import type { SimRunner } from './run/runner';
import { RunStore } from './runStore';
import { registerRunCache } from './runCache';
import { EditSettler } from './run/editSettler';
import { isMmuDocument, runOnEdit, runOnSave } from './settings';
import { registerStatusBar } from './statusBar';
import { ScenarioTests } from './testController';
import { registerDebugger } from './debug/index';

/** @param createRunner the entry's simulation backend; it may log (e.g. a fallback) to the MMU channel. */
export function activateEditor(context: vscode.ExtensionContext, createRunner: (log: vscode.LogOutputChannel) => SimRunner): void {
  const log = vscode.window.createOutputChannel('MMU', { log: true });
  const runner = createRunner(log);
  const store = new RunStore();
  const cache = new AnalysisCache();
  const runs = new RunService(runner, store, log);
  // Explore blocks go to the same worker as runs (ExploreService), reported by the same Test Explorer;
  // that worker also indexes files that are not open.
  const tests = new ScenarioTests(cache, runs, new ExploreService(runner, log, store), runner);
  context.subscriptions.push(
    log, store, cache, runs, tests,
    registerDiagnostics(cache),
    registerLanguageFeatures(cache, context.extensionUri),
    registerCodeLens(cache),
    registerCodeActions(cache),
    registerInlineResults(store, context.extensionUri),
    registerRunCache(context, store, log),
    registerStatusBar(store, cache),
    registerCommands(cache, store, runs, tests),
    registerStatePanel(context, store, (doc, scenario, configs) => runs.runPoints(doc, scenario, configs)),
    registerDebugger(context.extensionUri, runner, (m) => log.warn(m)),
    registerExplore(cache, tests, store),
    vscode.workspace.onDidSaveTextDocument((doc) => { if (isMmuDocument(doc) && runOnSave()) void tests.runFromCommand(doc); }),
    ...rerunWhenEditsSettle(runs, tests),
  );
}

/** A run an edit cancelled runs again once the edit settles (runOnSave / runOnEdit); runOnEdit runs every settled edit. */
function rerunWhenEditsSettle(runs: RunService, tests: ScenarioTests): vscode.Disposable[] {
  const settler = new EditSettler({ set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) }, (uri, scenarios) => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (doc && !doc.isClosed) void tests.runFromCommand(doc, scenarios ? [...scenarios] : undefined);
  });
  return [
    runs.onDidCancel((c) => { if (c.info.by === 'edit' && (runOnSave() || runOnEdit())) settler.request(c.uri, c.scenarios); }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!isMmuDocument(e.document) || e.contentChanges.length === 0) return;
      const uri = e.document.uri.toString();
      if (runOnEdit()) settler.request(uri, undefined);
      else settler.edited(uri);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => settler.drop(d.uri.toString())),
    { dispose: () => settler.drop() },
  ];
}
