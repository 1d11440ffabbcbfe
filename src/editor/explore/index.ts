// Editor side of `explore` blocks: an "Explore" CodeLens above each block and the command it
// runs (exploreRun.ts; the search itself runs in the simulation worker, exploreService.ts, and
// each block is a Test Explorer test, testController.ts). Wired from activate.ts with one call.
import * as vscode from 'vscode';
import type { AnalysisCache } from '../analysisCache';
import { codeLensEnabled, LANGUAGE_ID } from '../settings';
import type { ScenarioTests } from '../testController';
import type { RunStore } from '../runStore';
import { registerExploreVerdicts } from './verdict';
import { EXPLORE_COMMAND, exploreBlock, OPEN_COUNTEREXAMPLE_COMMAND, openStoredCounterexample } from './exploreRun';

class ExploreLens implements vscode.CodeLensProvider {
  constructor(private readonly cache: AnalysisCache) {}
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!codeLensEnabled()) return [];
    const file = this.cache.get(doc).file;
    return file.explorations.filter((e) => e.name).map((e) => new vscode.CodeLens(
      new vscode.Range(e.range.start.line, 0, e.range.start.line, 0),
      { title: '$(search) Explore', tooltip: `Search every order of the steps of "${e.name!.value}" up to its depth`, command: EXPLORE_COMMAND, arguments: [doc.uri.toString(), e.name!.value] },
    ));
  }
}

export function registerExplore(cache: AnalysisCache, tests: ScenarioTests, store: RunStore): vscode.Disposable {
  return vscode.Disposable.from(
    registerExploreVerdicts(store),
    vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, new ExploreLens(cache)),
    vscode.commands.registerCommand(EXPLORE_COMMAND, async (uri?: string, name?: string) => {
      const doc = uri ? await vscode.workspace.openTextDocument(vscode.Uri.parse(uri)) : vscode.window.activeTextEditor?.document;
      if (!doc) return;
      let target = name;
      if (!target) {
        const names = (cache.get(doc).compiled.explorations ?? []).map((e) => e.name);
        target = names.length === 1 ? names[0] : await vscode.window.showQuickPick(names, { placeHolder: 'Explore block' });
      }
      return target ? exploreBlock(cache, tests, doc.uri, target) : [];
    }),
    vscode.commands.registerCommand(OPEN_COUNTEREXAMPLE_COMMAND, (uri?: unknown, name?: unknown, where?: unknown) => {
      const doc = typeof uri === 'string' && uri ? undefined : vscode.window.activeTextEditor?.document;
      const target = typeof uri === 'string' && uri ? uri : doc?.uri.toString();
      const block = typeof name === 'string' && name ? name : (target && store.explorations(target)?.results.find((r) => r.counterexample)?.name);
      if (!target || !block) { void vscode.window.showInformationMessage('MMU: no counterexample yet — explore a block first.'); return undefined; }
      return openStoredCounterexample(store, target, block, where === 'below' ? 'below' : 'beside');
    }),
  );
}
