// Desktop entry: simulations run in a Node worker thread (dist/simWorker.js).
import * as vscode from 'vscode';
import { activateEditor } from './editor/activate';
import { NodeWorkerRunner } from './editor/run/nodeWorkerRunner';
import { registerRunInTerminal } from './editor/runInTerminal';

export function activate(context: vscode.ExtensionContext): void {
  activateEditor(context, () => new NodeWorkerRunner(vscode.Uri.joinPath(context.extensionUri, 'dist', 'simWorker.js').fsPath));
  context.subscriptions.push(registerRunInTerminal(context));
}

export function deactivate(): void {}
