// "MMU: Run in Terminal": runs the active .mmu file with the CLI bundle that ships in the
// .vsix (dist/cli.js), in an integrated terminal a person can re-run and edit the command
// in. Desktop only: it needs a Node binary, which is the extension host's own
// (ELECTRON_RUN_AS_NODE makes Electron's binary behave as Node; plain Node ignores it).
import * as vscode from 'vscode';
import { COMMANDS } from './commandIds';
import { isMmuDocument } from './settings';
import { terminalCommand } from './terminalCommand';

const TERMINAL_NAME = 'MMU Lab';

export function registerRunInTerminal(context: vscode.ExtensionContext): vscode.Disposable {
  void vscode.commands.executeCommand('setContext', 'mmu.canRunInTerminal', true);
  return vscode.commands.registerCommand(COMMANDS.runInTerminal, async (uri?: vscode.Uri) => {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc || !isMmuDocument(doc)) { void vscode.window.showInformationMessage('MMU: open a .mmu file to run it in a terminal.'); return; }
    if (doc.uri.scheme !== 'file') { void vscode.window.showInformationMessage('MMU: Run in Terminal needs a file on disk; save it first.'); return; }
    if (doc.isDirty && !(await doc.save())) return;
    const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
    const windows = process.platform === 'win32';
    const term = vscode.window.terminals.find((t) => t.name === TERMINAL_NAME && t.exitStatus === undefined)
      ?? vscode.window.createTerminal({ name: TERMINAL_NAME, env: { ELECTRON_RUN_AS_NODE: '1' }, cwd: vscode.Uri.joinPath(doc.uri, '..') });
    term.show(true);
    term.sendText(terminalCommand(process.execPath, cli, doc.uri.fsPath, windows), true);
  });
}
