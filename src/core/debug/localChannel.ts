// The runtime in the caller's own thread, behind the same message protocol as the worker:
// every message is copied (structuredClone, as postMessage does) and delivered on a later
// turn. Where no worker can be started (and in the DAP tests) the adapter runs over this.
import { DebugHost } from './host';
import type { DebugChannel, FromHost, ToHost } from './wire';

const later = (f: () => void): void => void setTimeout(f, 0);

export function localChannel(): DebugChannel {
  let listener: (m: FromHost) => void = () => undefined;
  let closed = false;
  const host = new DebugHost((m) => { const copy = structuredClone(m); later(() => { if (!closed) listener(copy); }); });
  return {
    post: (m: ToHost) => { const copy = structuredClone(m); later(() => { if (!closed) host.receive(copy); }); },
    onMessage: (f) => { listener = f; },
    close: () => {
      if (closed) return;
      host.receive({ channel: 'mmu-debug', id: 0, req: { op: 'dispose' } });
      closed = true;
    },
  };
}
