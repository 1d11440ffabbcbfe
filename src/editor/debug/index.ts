// Wires the debugger: adapter factory, configuration provider, the Debug command that the
// CodeLens uses, the Test Explorer's Debug profile.
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { adapterFactory } from './inlineAdapter';
import { hasDebugWorkers } from './workerChannel';
import { debugInTurn, debugTargets } from './testDebug';
import { configurationProvider, DEBUG_TYPE, scenarioConfiguration } from './configurations';

export function debugScenario(uri: vscode.Uri, scenario?: string): Thenable<boolean> {
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), scenarioConfiguration(uri, scenario));
}

/** The Test Explorer's Debug profile: every selected scenario, one debug session after another. */
export function debugTests(request: vscode.TestRunRequest, token: vscode.CancellationToken, all: vscode.TestItemCollection): void {
  const targets = debugTargets(request.include, request.exclude, all);
  if (targets.length === 0) { void vscode.window.showInformationMessage('MMU debug: pick a scenario in the Test Explorer.'); return; }
  let turn = 0;
  void debugInTurn(targets, (t) => startSession(t.uri, t.scenario, ++turn), sessionEnded, () => token.isCancellationRequested);
}

/** Starts a session and resolves with it (undefined when it did not start). */
function startSession(uri: vscode.Uri, scenario: string, turn: number): Promise<vscode.DebugSession | undefined> {
  const config = { ...scenarioConfiguration(uri, scenario), mmuTestTurn: turn };
  return new Promise((resolve) => {
    const started = vscode.debug.onDidStartDebugSession((s) => { if (s.configuration['mmuTestTurn'] === turn) { started.dispose(); resolve(s); } });
    vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), config).then((ok) => { if (!ok) { started.dispose(); resolve(undefined); } }, () => { started.dispose(); resolve(undefined); });
  });
}

function sessionEnded(session: vscode.DebugSession): Promise<void> {
  return new Promise((resolve) => {
    const ended = vscode.debug.onDidTerminateDebugSession((s) => { if (s.id === session.id) { ended.dispose(); resolve(); } });
  });
}

/** @param workers the simulation backend (a WorkerRunner): each debug session gets a worker of its own. */
export function registerDebugger(extensionUri: vscode.Uri, workers: unknown, log: (m: string) => void): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, adapterFactory(extensionUri, hasDebugWorkers(workers) ? workers : undefined, log)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, configurationProvider),
    vscode.commands.registerCommand(COMMANDS.debugScenario, (uri?: unknown, scenario?: unknown) => {
      const u = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!u) return;
      return debugScenario(u, typeof scenario === 'string' ? scenario : undefined);
    }),
  );
}
