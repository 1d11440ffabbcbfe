// The adapter's handle on the runtime: requests of wire.ts as promises over a channel
// (a worker, or localChannel). Log events go to `onLog`.
import type { DebugChannel, FromHost, HostAnswers, HostRequest } from './wire';
import { DEBUG_CHANNEL } from './wire';

type Op = HostRequest['op'];
type RequestOf<K extends Op> = Extract<HostRequest, { op: K }>;

export class RuntimeClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private closed = false;
  onLog: (text: string, line: number) => void = () => undefined;

  constructor(private readonly channel: DebugChannel) {
    channel.onMessage((m: FromHost) => {
      if ('log' in m) { this.onLog(m.log.text, m.log.line); return; }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value); else p.reject(new Error(m.message));
    });
  }

  call<K extends Op>(req: RequestOf<K>): Promise<HostAnswers[K]> {
    if (this.closed) return Promise.reject(new Error('the debugger\'s runtime has ended'));
    const id = this.nextId++;
    return new Promise<HostAnswers[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.channel.post({ channel: DEBUG_CHANNEL, id, req });
    });
  }

  /** The worker died (or was ended): every open request fails with `why`. */
  fail(why: string): void {
    for (const p of this.pending.values()) p.reject(new Error(why));
    this.pending.clear();
  }

  close(): void {
    if (this.closed) return;
    this.channel.post({ channel: DEBUG_CHANNEL, id: 0, req: { op: 'dispose' } });
    this.closed = true;
    this.fail('the debug session ended');
    this.channel.close();
  }
}
