// Wires the debugger: adapter factory, configuration provider, the Debug command that the
// CodeLens and the Test Explorer's Debug profile use.
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { adapterFactory } from './inlineAdapter';
import { configurationProvider, DEBUG_TYPE, scenarioConfiguration } from './configurations';

export function debugScenario(uri: vscode.Uri, scenario?: string): Thenable<boolean> {
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), scenarioConfiguration(uri, scenario));
}

/** The Test Explorer's Debug profile: debugs the first scenario asked for (one session at a time). */
export function debugTests(request: vscode.TestRunRequest): void {
  const item = request.include?.find((i) => i.uri);
  if (!item?.uri) { void vscode.window.showInformationMessage('MMU debug: pick a scenario in the Test Explorer.'); return; }
  void debugScenario(item.uri, item.parent ? item.label : undefined);
}

export function registerDebugger(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, adapterFactory),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, configurationProvider),
    vscode.commands.registerCommand(COMMANDS.debugScenario, (uri?: unknown, scenario?: unknown) => {
      const u = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!u) return;
      return debugScenario(u, typeof scenario === 'string' ? scenario : undefined);
    }),
  );
}
