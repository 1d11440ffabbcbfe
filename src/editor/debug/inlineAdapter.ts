// The debugger in the extension host: src/core/debug/adapter.ts behind vscode's inline
// adapter interface (DebugAdapterInlineImplementation, so it works in the web extension
// host too). The adapter only translates; the runtime runs in a simulation worker of the
// session's own (workerChannel.ts), and the side panel follows its stops (panelFollow.ts).
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { MmuDebugAdapter } from '../../core/debug/adapter';
import { programUri } from './program';
import { workerChannel, type DebugWorkers } from './workerChannel';
import { panelEnded, panelStopped } from './panelFollow';

class InlineMmuAdapter implements vscode.DebugAdapter {
  private readonly sent = new vscode.EventEmitter<vscode.DebugProtocolMessage>();
  readonly onDidSendMessage = this.sent.event;
  private readonly adapter: MmuDebugAdapter;

  constructor(extensionUri: vscode.Uri, workers: DebugWorkers | undefined, log: (m: string) => void) {
    const doc = vscode.Uri.joinPath(extensionUri, 'docs', 'kernel-reference.md');
    this.adapter = new MmuDebugAdapter(
      async (program) => (await vscode.workspace.openTextDocument(programUri(program))).getText(),
      (m) => this.sent.fire(m as vscode.DebugProtocolMessage),
      {
        channel: () => workerChannel(workers, (why) => this.adapter.runtimeFailed(why), () => log('MMU debug: no simulation worker; the debugger runs in the extension host')),
        kernelDoc: async () => ({ path: doc.scheme === 'file' ? doc.fsPath : doc.toString(), text: new TextDecoder().decode(await vscode.workspace.fs.readFile(doc)) }),
        onStopped: panelStopped,
        onEnded: panelEnded,
      },
    );
  }

  handleMessage(message: vscode.DebugProtocolMessage): void { this.adapter.handleMessage(message as DebugProtocol.ProtocolMessage); }
  dispose(): void { this.adapter.handleMessage({ seq: 0, type: 'request', command: 'disconnect' } as DebugProtocol.Request); this.sent.dispose(); }
}

export function adapterFactory(extensionUri: vscode.Uri, workers: DebugWorkers | undefined, log: (m: string) => void): vscode.DebugAdapterDescriptorFactory {
  return { createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new InlineMmuAdapter(extensionUri, workers, log)) };
}
