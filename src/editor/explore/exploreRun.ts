// Runs one `explore` block from the editor: a cancellable progress notification (states,
// distinct states, depth, states/s), the verdict inline at the `explore` line, and "Open
// counterexample" (the scenario beside the file). The search is the core's (core/explore),
// expanded in this thread one chunk per macrotask so the extension host stays responsive and
// the Cancel button is seen between chunks.
import * as vscode from 'vscode';
import { Expander, explorePoints, runExploration, type ExploreResult } from '../../core/explore/index';
import type { AnalysisCache } from '../analysisCache';
import { LANGUAGE_ID } from '../settings';
import { showVerdict } from './verdict';

export const EXPLORE_COMMAND = 'mmu.exploreBlock';

function fmt(n: number): string { return n.toLocaleString('en-US'); }

export async function exploreBlock(cache: AnalysisCache, uri: vscode.Uri, name: string): Promise<ExploreResult[]> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const a = cache.get(doc);
  const exp = (a.compiled.explorations ?? []).find((e) => e.name === name);
  if (!exp) { void vscode.window.showErrorMessage(`No explore block "${name}" without errors in this file.`); return []; }
  const results: ExploreResult[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Explore "${name}"`, cancellable: true }, async (progress, token) => {
    for (const point of explorePoints(exp)) {
      if (token.isCancellationRequested) break;
      let last = 0;
      const r = await runExploration(exp, {
        configOverrides: point,
        shouldCancel: () => token.isCancellationRequested,
        pool: (e) => {
          const ex = new Expander(e, { configOverrides: point });
          return { size: 1, expand: (paths) => new Promise((resolve) => setTimeout(() => resolve(ex.expandChunk(paths)), 0)) };
        },
        onExploreProgress: (p) => {
          if (p.seconds - last < 0.25) return;
          last = p.seconds;
          progress.report({ message: `depth ${p.depth + 1}: ${fmt(p.states)} states, ${fmt(p.distinct)} distinct, ${fmt(Math.round(p.distinct / Math.max(p.seconds, 1e-3)))}/s` });
        },
      });
      results.push(r);
    }
  });
  showVerdict(doc, exp.range.start.line, results);
  const bad = results.find((r) => r.counterexample);
  if (bad) {
    const pick = await vscode.window.showWarningMessage(bad.summary, 'Open counterexample', 'Insert below');
    if (pick) await openCounterexample(doc, bad, pick === 'Insert below');
  } else if (results.length > 0) {
    void vscode.window.showInformationMessage(results.map((r) => r.summary).join('\n'));
  }
  return results;
}

/** The counterexample scenario beside the file (untitled), or inserted after the file's text. */
export async function openCounterexample(doc: vscode.TextDocument, r: ExploreResult, insert: boolean): Promise<void> {
  const text = r.counterexample?.scenario;
  if (!text) return;
  if (insert) {
    const edit = new vscode.WorkspaceEdit();
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    // The counterexample's file-level `config` line becomes the scenario's own first line.
    const lines = text.split('\n');
    const cfg = lines.find((l) => l.startsWith('config '));
    const body = lines.filter((l) => l !== cfg && l !== '').join('\n').replace(/\{\n/, `{\n  ${cfg ?? ''}\n`);
    edit.insert(doc.uri, end, `\n\n${body}\n`);
    await vscode.workspace.applyEdit(edit);
    return;
  }
  const untitled = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: text });
  await vscode.window.showTextDocument(untitled, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}
