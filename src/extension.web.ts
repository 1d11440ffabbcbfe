// Web entry (browser extension host, itself a worker): simulations run in a nested Web
// Worker (dist/web/simWorker.js); where none can be started, in-process with a time budget.
import * as vscode from 'vscode';
import { activateEditor } from './editor/activate';
import { WebWorkerRunner } from './editor/run/webWorkerRunner';

export function activate(context: vscode.ExtensionContext): void {
  const script = vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'simWorker.js');
  activateEditor(context, (log) => new WebWorkerRunner(() => Promise.resolve(vscode.workspace.fs.readFile(script)), {
    onFallback: (why) => log.warn(`no simulation worker (${why}): runs now block the extension host and only a 20 s time budget stops a long one`),
  }));
}

export function deactivate(): void {}
