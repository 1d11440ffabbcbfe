// The debugger's runtime in a simulation worker of its own (the one Run uses: worker_threads
// on desktop, a nested Web Worker on the web), so the extension host stays responsive while
// a `continue` runs. Where no worker can be spawned, the runtime runs in this thread.
import { localChannel } from '../../core/debug/localChannel';
import type { DebugChannel, FromHost } from '../../core/debug/wire';
import type { RawWorker } from '../run/workerRunner';

export interface DebugWorkers {
  openWorker(onMessage: (m: unknown) => void, onFailed: (e: Error) => void): Promise<RawWorker | null>;
}

export function hasDebugWorkers(x: unknown): x is DebugWorkers {
  return typeof x === 'object' && x !== null && typeof (x as { openWorker?: unknown }).openWorker === 'function';
}

/** @param onFailed the worker crashed or exited while the session used it. */
export async function workerChannel(workers: DebugWorkers | undefined, onFailed: (why: string) => void, onInProcess: () => void): Promise<DebugChannel> {
  let listener: (m: FromHost) => void = () => undefined;
  let closed = false;
  const worker = workers ? await workers.openWorker((m) => { if (!closed) listener(m as FromHost); }, (e) => { if (!closed) { closed = true; onFailed(e.message); } }) : null;
  if (!worker) { onInProcess(); return localChannel(); }
  return {
    post: (m) => { if (!closed) worker.post(m); },
    onMessage: (f) => { listener = f; },
    close: () => { if (closed) return; closed = true; worker.terminate(); },
  };
}
