// Shows the last run in the editor: a pass/fail mark after each expect / read == /
// verify line, and stale uses as diagnostics with their blame chain. Everything comes
// from the RunStore and disappears when the store drops the run (the text changed).
import * as vscode from 'vscode';
import type { RunStore, StoredRun } from './runStore';
import { cancelMarks, inlineMarks, PREVIOUS_RUN, restoredMark } from './results/inlineMarks';
import { staleDiagnostics } from './results/staleDiagnostics';
import { toDiagnostic } from './convert';

export function registerInlineResults(store: RunStore, extensionUri: vscode.Uri): vscode.Disposable {
  const pass = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('mmu.passForeground') },
    gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'mark-pass.svg'),
    gutterIconSize: '70%',
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  const fail = vscode.window.createTextEditorDecorationType({
    gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'mark-fail.svg'),
    gutterIconSize: '70%',
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    overviewRulerColor: new vscode.ThemeColor('mmu.failForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  const stopped = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorWarning.foreground') },
    isWholeLine: false,
    overviewRulerColor: new vscode.ThemeColor('editorWarning.foreground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  const stale = vscode.languages.createDiagnosticCollection('mmu-run');

  const paint = (editor: vscode.TextEditor, run: StoredRun | undefined) => {
    const doc = editor.document;
    if (!run || run.version !== doc.version) {
      editor.setDecorations(pass, []);
      editor.setDecorations(fail, []);
      editor.setDecorations(stopped, []);
      return;
    }
    editor.setDecorations(stopped, cancelMarks(run.result).filter((m) => m.line < doc.lineCount).map((m) => {
      const end = doc.lineAt(m.line).range.end;
      return { range: new vscode.Range(end, end), hoverMessage: m.hover, renderOptions: { after: { contentText: m.text } } };
    }));
    const marks = inlineMarks(run.result, (l) => (l < doc.lineCount ? doc.lineAt(l).text : undefined)).filter((m) => m.line < doc.lineCount)
      .map((m) => (run.restored ? restoredMark(m) : m));
    // A failed line already gets the Test Explorer's inline message (same text, with the
    // seen value) drawn over the end of the line, so it gets the gutter mark only.
    const options = (passed: boolean) => marks.filter((m) => m.passed === passed).map((m): vscode.DecorationOptions => {
      const end = doc.lineAt(m.line).range.end;
      return { range: new vscode.Range(end, end), hoverMessage: m.hover, ...(passed ? { renderOptions: { after: { contentText: m.text } } } : {}) };
    });
    editor.setDecorations(pass, options(true));
    editor.setDecorations(fail, options(false));
  };

  const refresh = (uri: string) => {
    const run = store.get(uri);
    for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === uri) paint(editor, run);
    const target = vscode.Uri.parse(uri);
    if (!run) stale.delete(target);
    else {
      const specs = staleDiagnostics(run.result).map((d) => (run.restored ? { ...d, message: `${d.message} ${PREVIOUS_RUN}` } : d));
      stale.set(target, specs.map((d) => toDiagnostic(target, d, run.restored ? 'mmu run (previous)' : 'mmu run')));
    }
  };

  return vscode.Disposable.from(
    pass, fail, stopped, stale,
    store.onDidChange((e) => refresh(e.uri)),
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((ed) => paint(ed, store.get(ed.document.uri.toString())))),
  );
}
