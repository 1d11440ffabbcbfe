// The side panel follows the debugger: at each stop it shows the run cut at the paused
// position (one timeline step, on the timeline's clock); when the session ends it goes
// back to the document's last Run.
import * as vscode from 'vscode';
import type { StopNotice } from '../../core/debug/adapter';
import { StatePanel } from '../panel/statePanel';
import { programUri } from './program';

export function panelStopped(n: StopNotice): void {
  if (!StatePanel.isOpen) return;
  const uri = programUri(n.program).toString();
  void n.paused().then((result) => {
    if (!result) return;
    const version = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)?.version ?? 0;
    StatePanel.showPaused({ uri, version, result: { file: n.program, scenarios: [result] } });
  }, () => undefined);
}

export function panelEnded(program: string): void {
  StatePanel.endPaused(programUri(program).toString());
}
