// The webview's side of src/protocol.ts: posts requests with ids, matches responses, and
// validates everything that arrives (malformed messages are dropped and logged, never thrown).
import {
  describeMessage, isToWebview, type FromWebview, type GetLifecycleMessage, type GetNodeMessage, type GetRowsMessage,
  type LifecycleMessage, type NodeMessage, type RowsMessage, type SelectMessage, type StateMessage,
} from '../src/protocol';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

type Answer = RowsMessage | NodeMessage | LifecycleMessage;
type Pending = { resolve: (m: Answer) => void; reject: (e: Error) => void };
type Request<T> = T extends { id: number } ? Omit<T, 'id'> : never;

export interface HostListeners {
  onState(m: StateMessage): void;
  onSelect(m: SelectMessage): void;
}

export class Host {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Count of dropped messages (tests read it through the DOM: data-dropped on <body>). */
  dropped = 0;

  constructor(private readonly listeners: HostListeners) {
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
  }

  post(msg: FromWebview): void {
    this.api.postMessage(msg);
  }

  getRows(req: Request<GetRowsMessage>): Promise<RowsMessage> {
    return this.request(req) as Promise<RowsMessage>;
  }

  getNode(req: Request<GetNodeMessage>): Promise<NodeMessage> {
    return this.request(req) as Promise<NodeMessage>;
  }

  getLifecycle(req: Request<GetLifecycleMessage>): Promise<LifecycleMessage> {
    return this.request(req) as Promise<LifecycleMessage>;
  }

  getState(): unknown {
    return this.api.getState();
  }

  setState(state: unknown): void {
    this.api.setState(state);
  }

  private request(req: Request<GetRowsMessage> | Request<GetNodeMessage> | Request<GetLifecycleMessage>): Promise<Answer> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.api.postMessage({ ...req, id });
    });
  }

  private receive(data: unknown): void {
    if (!isToWebview(data)) {
      this.dropped += 1;
      document.body.dataset['dropped'] = String(this.dropped);
      console.warn(`mmu panel: dropped malformed message (${describeMessage(data)})`);
      return;
    }
    switch (data.type) {
      case 'state':
        // A new run: answers still in flight belong to the old one.
        for (const p of this.pending.values()) p.reject(new Error('superseded'));
        this.pending.clear();
        this.listeners.onState(data);
        return;
      case 'select':
        this.listeners.onSelect(data);
        return;
      case 'rows':
      case 'node':
      case 'lifecycle':
      case 'error': {
        const p = this.pending.get(data.id);
        if (!p) return; // superseded request
        this.pending.delete(data.id);
        if (data.type === 'error') p.reject(new Error(data.message));
        else p.resolve(data);
        return;
      }
    }
  }
}
