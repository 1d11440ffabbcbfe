// The debugger in the extension host: src/core/debug/adapter.ts behind vscode's inline
// adapter interface (DebugAdapterInlineImplementation, so it works in the web extension
// host too). Simulation runs in-process here, in chunks that yield, so pause works.
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { MmuDebugAdapter } from '../../core/debug/adapter';
import { programUri } from './program';

class InlineMmuAdapter implements vscode.DebugAdapter {
  private readonly sent = new vscode.EventEmitter<vscode.DebugProtocolMessage>();
  readonly onDidSendMessage = this.sent.event;
  private readonly adapter = new MmuDebugAdapter(
    async (program) => (await vscode.workspace.openTextDocument(programUri(program))).getText(),
    (m) => this.sent.fire(m as vscode.DebugProtocolMessage),
  );

  handleMessage(message: vscode.DebugProtocolMessage): void { this.adapter.handleMessage(message as DebugProtocol.ProtocolMessage); }
  dispose(): void { this.adapter.handleMessage({ seq: 0, type: 'request', command: 'disconnect' } as DebugProtocol.Request); this.sent.dispose(); }
}

export const adapterFactory: vscode.DebugAdapterDescriptorFactory = {
  createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new InlineMmuAdapter()),
};
