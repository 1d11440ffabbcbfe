// Registers the side panel: the `mmu.showState` command, the serializer that restores the
// panel after a reload, and the listeners that make it follow the active `.mmu` editor.
import * as vscode from 'vscode';
import type { RunStore } from '../runStore';
import { STATE_PANEL_VIEW_TYPE, StatePanel, type PointRunner } from './statePanel';

export { STATE_PANEL_VIEW_TYPE } from './statePanel';
export const SHOW_STATE_COMMAND = 'mmu.showState';

/** `mmu.showState` accepts a URI string, a vscode.Uri (menus), and optionally a scenario name. */
function uriArg(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg.length > 0) return arg;
  if (arg instanceof vscode.Uri) return arg.toString();
  return undefined;
}

function savedUri(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const uri = (state as Record<string, unknown>)['uri'];
  return typeof uri === 'string' && uri.length > 0 ? uri : undefined;
}

/** @param runPoints runs Compare points for the panel (RunService.runPoints); without it "Show state" of a Compare row does nothing. */
export function registerStatePanel(context: vscode.ExtensionContext, store: RunStore, runPoints?: PointRunner): vscode.Disposable {
  StatePanel.pointRunner = runPoints;
  const log = vscode.window.createOutputChannel('MMU State Panel', { log: true });
  const subscriptions: vscode.Disposable[] = [
    log,
    vscode.commands.registerCommand(SHOW_STATE_COMMAND, (uri?: unknown, scenario?: unknown) => {
      StatePanel.show(context, store, log, uriArg(uri), typeof scenario === 'string' ? scenario : undefined);
    }),
    vscode.window.registerWebviewPanelSerializer(STATE_PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        StatePanel.revive(panel, context, store, log, savedUri(state));
      },
    }),
    // A new result (or a dropped one) for the shown document refreshes the panel; a run of
    // the active editor's document switches to it.
    store.onDidChange((e) => {
      const active = StatePanel.activeMmuUri();
      StatePanel.onDocument(e.uri, e.uri === active && e.uri !== StatePanel.documentUri);
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      const doc = editor?.document;
      if (!doc || !(doc.languageId === 'mmu' || doc.uri.path.endsWith('.mmu'))) return;
      const uri = doc.uri.toString();
      if (uri !== StatePanel.documentUri) StatePanel.onDocument(uri, true);
    }),
  ];
  return new vscode.Disposable(() => {
    StatePanel.disposeCurrent();
    for (const d of subscriptions) d.dispose();
  });
}
