// Web entry (browser extension host, itself a worker): the portable core runs
// in-process, with cancellation between statements and a time budget.
import type * as vscode from 'vscode';
import { activateEditor } from './editor/activate';
import { InProcessRunner } from './editor/run/runner';

export function activate(context: vscode.ExtensionContext): void {
  activateEditor(context, new InProcessRunner());
}

export function deactivate(): void {}
