// Runs one `explore` block from the editor (the Explore CodeLens / command): through the
// Test Explorer's path (ScenarioTests.exploreFromCommand → ExploreService), so the search
// runs in the simulation worker with the cancellable progress notification and the block's
// test item gets the verdict; then the verdict inline at the `explore` line and "Open
// counterexample" (the scenario beside the file, or inserted below on request).
import * as vscode from 'vscode';
import type { ExploreResult } from '../../core/explore/index';
import type { AnalysisCache } from '../analysisCache';
import { COMMANDS } from '../commandIds';
import type { RunStore } from '../runStore';
import { LANGUAGE_ID } from '../settings';
import type { ScenarioTests } from '../testController';

export const EXPLORE_COMMAND = 'mmu.exploreBlock';

export const OPEN_COUNTEREXAMPLE_COMMAND = 'mmu.openCounterexample';

export async function exploreBlock(cache: AnalysisCache, tests: ScenarioTests, uri: vscode.Uri, name: string): Promise<readonly ExploreResult[]> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const exp = (cache.get(doc).compiled.explorations ?? []).find((e) => e.name === name);
  if (!exp) { void vscode.window.showErrorMessage(`No explore block "${name}" without errors in this file.`); return []; }
  const response = await tests.exploreFromCommand(doc, name);
  if (response.status !== 'done') {
    if (response.status === 'error') void vscode.window.showErrorMessage(`MMU: ${response.message}`);
    return [];
  }
  const results = (response.explorations ?? []).filter((r) => r.name === name);
  const bad = results.find((r) => r.counterexample);
  if (bad) {
    void vscode.window.showWarningMessage(bad.summary, 'Open counterexample', 'Insert below').then((pick) => {
      if (pick) void vscode.commands.executeCommand(OPEN_COUNTEREXAMPLE_COMMAND, doc.uri.toString(), name, pick === 'Insert below' ? 'below' : 'beside');
    });
  } else if (results.length > 0) {
    void vscode.window.showInformationMessage(results.map((r) => r.summary).join('\n'));
  }
  return results;
}

/** The scenario name of a counterexample's text (`scenario "counterexample: NAME" {`). */
export function counterexampleName(text: string): string | undefined {
  const m = /^scenario "((?:[^"\\]|\\.)*)"/m.exec(text);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : undefined;
}

/**
 * `mmu.openCounterexample URI NAME [beside|below]`: the last counterexample of block NAME (from
 * the store) beside the file (untitled) or inserted below it; then it runs and the state panel
 * shows its run — the blame chain, the lifecycle chart and the timeline. Returns the document's
 * URI and the run's response (for scripts and tests).
 */
export async function openStoredCounterexample(store: RunStore, uri: string, name: string, where: 'beside' | 'below' = 'beside'): Promise<{ uri: string; run: unknown } | undefined> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const explored = store.explorations(uri);
  const found = explored && explored.version === doc.version ? explored.results.find((r) => r.name === name && r.counterexample) : undefined;
  if (!found) {
    void vscode.window.showInformationMessage(`MMU: no counterexample of "${name}" for this text — explore the block first.`);
    return undefined;
  }
  const target = await openCounterexample(doc, found, where === 'below');
  const scenario = counterexampleName(found.counterexample!.scenario);
  if (!target || !scenario) return undefined;
  const run = await vscode.commands.executeCommand(COMMANDS.runScenario, target.uri.toString(), scenario);
  await vscode.commands.executeCommand(COMMANDS.showState, target.uri.toString(), scenario);
  return { uri: target.uri.toString(), run };
}

/** The counterexample scenario beside the file (untitled), or inserted after the file's text. */
export async function openCounterexample(doc: vscode.TextDocument, r: ExploreResult, insert: boolean): Promise<vscode.TextDocument | undefined> {
  const text = r.counterexample?.scenario;
  if (!text) return undefined;
  if (insert) {
    const edit = new vscode.WorkspaceEdit();
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    // The counterexample's file-level `config` line becomes the scenario's own first line.
    const lines = text.split('\n');
    const cfg = lines.find((l) => l.startsWith('config '));
    const body = lines.filter((l) => l !== cfg && l !== '').join('\n').replace(/\{\n/, `{\n  ${cfg ?? ''}\n`);
    edit.insert(doc.uri, end, `\n\n${body}\n`);
    await vscode.workspace.applyEdit(edit);
    return doc;
  }
  const untitled = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: text });
  await vscode.window.showTextDocument(untitled, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  return untitled;
}
