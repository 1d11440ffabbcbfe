// The coordinator's side of explore worker threads, over any message port (Node
// worker_threads for the CLI and the desktop simulation worker, Web Workers in the web
// extension host): each request goes to the thread with the fewest in hand, up to
// PER_THREAD each (or waits), so a thread finds its next chunk queued when it answers
// instead of idling through a round trip to this thread; answers come back by id. Results
// depend only on the request, so the merge (bfs.ts, random.ts) is the same for any number
// of threads. No Node built-ins, no DOM types beyond the port.
import type { ExplorePool } from './bfs';
import type { ChunkResult } from './expand';
import type { WalkBatch } from './random';

/** One thread as the pool sees it. */
export interface ThreadPort {
  post(msg: unknown, transfer: ArrayBuffer[]): void;
  /** Every message the thread sends (`{ ready: true }` once, then `{ id, result }`). */
  onMessage(cb: (msg: unknown) => void): void;
  onError(cb: (e: Error) => void): void;
  terminate(): void;
}

export type ThreadPool = ExplorePool & { close(): void; ready(): Promise<void> };

/** Requests a thread holds at most (one running, the rest queued in its port). */
export const PER_THREAD = 2;

export function threadPool(ports: readonly ThreadPort[]): ThreadPool {
  const n = ports.length;
  const held = new Array<number>(n).fill(0);
  const waiting: (() => void)[] = [];
  const pending = new Map<number, { resolve: (r: never) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | null = null;
  let readyCount = 0;
  const onReady: (() => void)[] = [];
  ports.forEach((port, t) => {
    port.onMessage((raw) => {
      const msg = raw as { id: number; result: never } | { ready: true };
      if ('ready' in msg) { if (++readyCount === n) for (const r of onReady.splice(0)) r(); return; }
      const done = pending.get(msg.id);
      pending.delete(msg.id);
      held[t]!--;
      waiting.shift()?.();
      done?.resolve(msg.result);
    });
    port.onError((e) => {
      failure = e;
      for (const p of pending.values()) p.reject(e);
      pending.clear();
      for (const r of waiting.splice(0)) r();
      for (const r of onReady.splice(0)) r();
    });
  });
  /** The thread with the fewest requests in hand (the lowest index on ties), or -1 if all are full. */
  function leastHeld(): number {
    let best = -1;
    for (let t = 0; t < n; t++) if (held[t]! < PER_THREAD && (best < 0 || held[t]! < held[best]!)) best = t;
    return best;
  }
  /** Sends one request to the least busy thread (or waits for room); resolves with its answer. */
  async function send<R>(msg: object, transfer: ArrayBuffer[]): Promise<R> {
    while (leastHeld() < 0 && !failure) await new Promise<void>((r) => waiting.push(r));
    if (failure) throw failure;
    const t = leastHeld();
    held[t]!++;
    const port = ports[t]!;
    const id = nextId++;
    return new Promise<R>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (r: never) => void, reject });
      port.post({ id, ...msg }, transfer);
    });
  }
  return {
    size: n,
    expand(paths: Int32Array): Promise<ChunkResult> { return send<ChunkResult>({ paths }, [paths.buffer as ArrayBuffer]); },
    walks(seed: number, from: number, to: number): Promise<WalkBatch> { return send<WalkBatch>({ walks: { seed, from, to } }, []); },
    close(): void { for (const p of ports) p.terminate(); },
    /** Resolves when every thread has compiled the file and run the setup (timing, tests). */
    ready(): Promise<void> {
      if (readyCount === n || failure) return failure ? Promise.reject(failure) : Promise.resolve();
      return new Promise<void>((resolve, reject) => onReady.push(() => (failure ? reject(failure) : resolve())));
    },
  };
}
