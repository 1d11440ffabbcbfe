// A minimal DAP client for the adapter's tests: sends requests as protocol messages and
// waits for responses and events, as VS Code's debug service would.
import { readFile } from 'node:fs/promises';
import type { DebugProtocol as P } from '@vscode/debugprotocol';
import { MmuDebugAdapter, type AdapterOptions } from '../../../src/core/debug/adapter';

export class DapClient {
  private seq = 1;
  private readonly waiting = new Map<number, (r: P.Response) => void>();
  readonly events: P.Event[] = [];
  private eventWaiters: { name: string; from: number; resolve: (e: P.Event) => void }[] = [];
  readonly adapter: MmuDebugAdapter;

  /** @param options where the runtime runs (default: in this thread, behind the same message protocol), the kernel doc, stop hooks. */
  constructor(texts: Record<string, string> = {}, options: AdapterOptions = {}) {
    this.adapter = new MmuDebugAdapter(async (p) => texts[p] ?? readFile(p, 'utf8'), (m) => this.receive(m), options);
  }

  private receive(m: P.ProtocolMessage): void {
    // Delivered asynchronously, like a real transport.
    queueMicrotask(() => {
      if (m.type === 'response') { const r = m as P.Response; this.waiting.get(r.request_seq)?.(r); this.waiting.delete(r.request_seq); return; }
      const e = m as P.Event;
      this.events.push(e);
      const i = this.events.length - 1;
      this.eventWaiters = this.eventWaiters.filter((w) => { if (w.name === e.event && i >= w.from) { w.resolve(e); return false; } return true; });
    });
  }

  request<R extends P.Response = P.Response>(command: string, args?: unknown): Promise<R> {
    const seq = this.seq++;
    return new Promise<R>((resolve) => {
      this.waiting.set(seq, resolve as (r: P.Response) => void);
      this.adapter.handleMessage({ seq, type: 'request', command, arguments: args } as P.Request);
    });
  }

  /** The next event named `name` from now on (or from index `from` of `events`). */
  next<E extends P.Event = P.Event>(name: string, from = this.events.length): Promise<E> {
    const seen = this.events.findIndex((e, i) => i >= from && e.event === name);
    if (seen >= 0) return Promise.resolve(this.events[seen] as E);
    return new Promise<E>((resolve) => this.eventWaiters.push({ name, from, resolve: resolve as (e: P.Event) => void }));
  }

  /** Sends a movement request and waits for the stop (or termination) it causes. */
  async move(command: string, args: unknown = { threadId: 1 }): Promise<P.StoppedEvent | P.TerminatedEvent> {
    const from = this.events.length;
    const r = await this.request(command, args);
    if (!r.success) throw new Error(`${command}: ${r.message}`);
    return Promise.race([this.next<P.StoppedEvent>('stopped', from), this.next<P.TerminatedEvent>('terminated', from)]);
  }

  async stack(): Promise<P.StackFrame[]> {
    return (await this.request<P.StackTraceResponse>('stackTrace', { threadId: 1 })).body.stackFrames;
  }

  /** Scopes and their variables, one level deep, as name -> value (with children under `name/child`). */
  async variables(depth = 2): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const scopes = (await this.request<P.ScopesResponse>('scopes', { frameId: 0 })).body.scopes;
    const walk = async (ref: number, base: string, d: number): Promise<void> => {
      const vars = (await this.request<P.VariablesResponse>('variables', { variablesReference: ref })).body.variables;
      for (const v of vars) {
        out.set(`${base}/${v.name}`, v.value);
        if (v.variablesReference > 0 && d > 1) await walk(v.variablesReference, `${base}/${v.name}`, d - 1);
      }
    };
    for (const s of scopes) { out.set(s.name, ''); await walk(s.variablesReference, s.name.split(':')[0]!, depth); }
    return out;
  }

  /** initialize, launch, breakpoints and filters, configurationDone; resolves at the first stop. */
  async launch(args: Record<string, unknown>, setup: (c: DapClient) => Promise<void> = async () => undefined): Promise<P.StoppedEvent | P.TerminatedEvent> {
    const init = await this.request<P.InitializeResponse>('initialize', { adapterID: 'mmu', linesStartAt1: true });
    if (!init.success) throw new Error('initialize failed');
    const launched = this.request('launch', args);
    await this.next('initialized', 0);
    await setup(this);
    await this.request('configurationDone');
    const r = await launched;
    if (!r.success) throw new Error(`launch: ${r.message}`);
    return Promise.race([this.next<P.StoppedEvent>('stopped', 0), this.next<P.TerminatedEvent>('terminated', 0)]);
  }
}
