// The coordinator's side of explore worker threads, over any message port (Node
// worker_threads for the CLI and the desktop simulation worker, Web Workers in the web
// extension host): each request goes to an idle thread (or waits for one); answers come
// back by id. Results depend only on the request, so the merge (bfs.ts, random.ts) is the
// same for any number of threads. No Node built-ins, no DOM types beyond the port.
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

export function threadPool(ports: readonly ThreadPort[]): ThreadPool {
  const n = ports.length;
  const idle = [...ports];
  const waiting: (() => void)[] = [];
  const pending = new Map<number, { resolve: (r: never) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | null = null;
  let readyCount = 0;
  const onReady: (() => void)[] = [];
  for (const port of ports) {
    port.onMessage((raw) => {
      const msg = raw as { id: number; result: never } | { ready: true };
      if ('ready' in msg) { if (++readyCount === n) for (const r of onReady.splice(0)) r(); return; }
      const done = pending.get(msg.id);
      pending.delete(msg.id);
      idle.push(port);
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
  }
  /** Sends one request to an idle thread (or waits for one); resolves with its answer. */
  async function send<R>(msg: object, transfer: ArrayBuffer[]): Promise<R> {
    while (idle.length === 0 && !failure) await new Promise<void>((r) => waiting.push(r));
    if (failure) throw failure;
    const port = idle.pop()!;
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
