// The lightbulb: quick fixes for the front end's diagnostics and the run's stale uses,
// computed by ./fixes/quickFixes from the diagnostic and the file's AST.
import * as vscode from 'vscode';
import type { AnalysisCache } from './analysisCache';
import { toRange } from './convert';
import { quickFixes, type FixableDiagnostic } from './fixes/quickFixes';
import { LANGUAGE_ID } from './settings';

function fromVscode(d: vscode.Diagnostic): FixableDiagnostic | undefined {
  const code = typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
  if (!code) return undefined;
  const r = (x: vscode.Range) => ({ start: { line: x.start.line, character: x.start.character }, end: { line: x.end.line, character: x.end.character } });
  return { code, message: d.message, range: r(d.range), related: d.relatedInformation?.map((i) => ({ range: r(i.location.range), message: i.message })) };
}

export function registerCodeActions(cache: AnalysisCache): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider({ language: LANGUAGE_ID }, {
    provideCodeActions(doc, _range, context) {
      const file = cache.get(doc).file;
      const lines = doc.getText().split(/\r?\n/);
      const actions: vscode.CodeAction[] = [];
      for (const d of context.diagnostics) {
        const fixable = fromVscode(d);
        if (!fixable) continue;
        for (const f of quickFixes(fixable, file, lines)) {
          const action = new vscode.CodeAction(f.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [d];
          action.isPreferred = f.preferred;
          action.edit = new vscode.WorkspaceEdit();
          for (const e of f.edits) action.edit.replace(doc.uri, toRange(e.range), e.newText);
          actions.push(action);
        }
      }
      return actions;
    },
  }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] });
}
