// worker_threads for `mmu-lab explore --workers N`: each chunk of frontier paths goes to an
// idle worker (or waits for one); the coordinator merges results in chunk order itself.
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { ChunkResult, ExplorePool, WalkBatch } from '../core/explore/index';
import type { ConfigMap } from '../core/lang/schema';

export function workerPool(n: number, init: { text: string; name: string; overrides: ConfigMap; depth?: number; defaults?: ConfigMap; memoryBudget?: number }): ExplorePool & { close(): void; ready(): Promise<void> } {
  // Bundled: dist/cli.js next to dist/exploreWorker.js; from source (tests, tsx): the .ts file.
  const fromSource = __filename.endsWith('.ts');
  const file = fromSource ? join(__dirname, 'exploreWorker.ts') : join(__dirname, 'exploreWorker.js');
  const boot = `require('tsx/cjs'); require(${JSON.stringify(file)});`;
  const workers = Array.from({ length: n }, () => (fromSource ? new Worker(boot, { eval: true, workerData: init }) : new Worker(file, { workerData: init })));
  const idle = [...workers];
  const waiting: (() => void)[] = [];
  const pending = new Map<number, { resolve: (r: never) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | null = null;
  let readyCount = 0;
  const onReady: (() => void)[] = [];
  for (const w of workers) {
    w.on('message', (msg: { id: number; result: never } | { ready: true }) => {
      if ('ready' in msg) { if (++readyCount === n) for (const r of onReady.splice(0)) r(); return; }
      const done = pending.get(msg.id);
      pending.delete(msg.id);
      idle.push(w);
      waiting.shift()?.();
      done?.resolve(msg.result);
    });
    w.on('error', (e) => {
      failure = e;
      for (const p of pending.values()) p.reject(e);
      pending.clear();
      for (const r of waiting.splice(0)) r();
      for (const r of onReady.splice(0)) r();
    });
  }
  /** Sends one request to an idle worker (or waits for one); resolves with its answer. */
  async function send<R>(msg: object, transfer: ArrayBuffer[]): Promise<R> {
    while (idle.length === 0 && !failure) await new Promise<void>((r) => waiting.push(r));
    if (failure) throw failure;
    const w = idle.pop()!;
    const id = nextId++;
    return new Promise<R>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (r: never) => void, reject });
      w.postMessage({ id, ...msg }, transfer);
    });
  }
  return {
    size: n,
    expand(paths: Int32Array): Promise<ChunkResult> { return send<ChunkResult>({ paths }, [paths.buffer as ArrayBuffer]); },
    walks(seed: number, from: number, to: number): Promise<WalkBatch> { return send<WalkBatch>({ walks: { seed, from, to } }, []); },
    close(): void { for (const w of workers) void w.terminate(); },
    /** Resolves when every worker has compiled the file and run the setup (timing, tests). */
    ready(): Promise<void> {
      if (readyCount === n || failure) return failure ? Promise.reject(failure) : Promise.resolve();
      return new Promise<void>((resolve, reject) => onReady.push(() => (failure ? reject(failure) : resolve())));
    },
  };
}
