// Run / Compare / Show state above each scenario and Run all (scenarios and explore blocks) at the top. Lenses keep
// their last positions while the text does not parse, so they do not jump while typing.
import * as vscode from 'vscode';
import { hasErrors, type AnalysisCache } from './analysisCache';
import { lensAnchors, type LensAnchor } from './language/outline';
import { codeLensEnabled, LANGUAGE_ID } from './settings';
import { COMMANDS } from './commandIds';

export class ScenarioCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly anchors = new Map<string, LensAnchor[]>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly cache: AnalysisCache) {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('mmu.codeLens.enabled')) this.changed.fire(); }),
      vscode.workspace.onDidCloseTextDocument((d) => this.anchors.delete(d.uri.toString())),
    ];
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!codeLensEnabled()) return [];
    const key = doc.uri.toString();
    const analysis = this.cache.get(doc);
    const anchors = lensAnchors(analysis.file, hasErrors(analysis), this.anchors.get(key));
    this.anchors.set(key, anchors);
    const uri = doc.uri.toString();
    const lenses: vscode.CodeLens[] = [];
    // Run all covers the explore blocks too (each a Test Explorer test).
    const explorations = analysis.file.explorations.filter((e) => e.name !== null).length;
    if (anchors.length + explorations > 0) {
      const top = new vscode.Range(0, 0, 0, 0);
      const tooltip = explorations > 0 ? `Run the ${anchors.length} scenario(s) and explore the ${explorations} explore block(s) of this file` : undefined;
      lenses.push(new vscode.CodeLens(top, { title: `$(run-all) Run all (${anchors.length + explorations})`, ...(tooltip ? { tooltip } : {}), command: COMMANDS.runFile, arguments: [uri] }));
    }
    for (const a of anchors) {
      if (a.line >= doc.lineCount) continue;
      const r = new vscode.Range(a.line, 0, a.line, 0);
      lenses.push(
        new vscode.CodeLens(r, { title: '$(play) Run', tooltip: `Run scenario "${a.scenario}"`, command: COMMANDS.runScenario, arguments: [uri, a.scenario] }),
        new vscode.CodeLens(r, { title: '$(debug-alt) Debug', tooltip: `Debug scenario "${a.scenario}": breakpoints, step into KVM's call path, step back`, command: COMMANDS.debugScenario, arguments: [uri, a.scenario] }),
        new vscode.CodeLens(r, { title: '$(graph) Compare', tooltip: `Run "${a.scenario}" over its sweep and rank the configurations`, command: COMMANDS.compare, arguments: [uri, a.scenario] }),
        new vscode.CodeLens(r, { title: '$(layers) Show state', tooltip: 'Open the side panel for this scenario', command: COMMANDS.showState, arguments: [uri, a.scenario] }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
    this.subscriptions.forEach((d) => d.dispose());
  }
}

export function registerCodeLens(cache: AnalysisCache): vscode.Disposable {
  const provider = new ScenarioCodeLensProvider(cache);
  return vscode.Disposable.from(provider, vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, provider));
}
