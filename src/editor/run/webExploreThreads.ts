// Explore threads in the web extension host: Web Workers the web simulation worker nests,
// started from its own script URL under the name `mmu-explore` (simWorker.web.ts), as ports
// of core/explore/threadPool.ts. When the host terminates the simulation worker (Cancel, an
// edit), the nested workers go with it. No worker constructor (or one that throws): one thread.
import { threadPool, threadServer, type ThreadInit } from '../../core/explore/index';
import type { ExploreControl } from './executeExplore';

export const EXPLORE_THREAD_NAME = 'mmu-explore';

/** The coordinator's side, inside the simulation worker. */
export function webExploreThreads(scope: DedicatedWorkerGlobalScope): ExploreControl['threads'] {
  const WorkerClass = (scope as unknown as { Worker?: typeof Worker }).Worker;
  if (typeof WorkerClass !== 'function') return undefined;
  const cores = scope.navigator?.hardwareConcurrency ?? 1;
  return {
    count: (setting) => (setting > 0 ? setting : Math.max(1, cores - 1)),
    start: (init) => threadPool(Array.from({ length: init.workers }, () => {
      const w = new WorkerClass(scope.location.href, { name: EXPLORE_THREAD_NAME });
      w.postMessage({ init: { ...init, workers: undefined } });
      return {
        post: (msg: unknown, transfer: ArrayBuffer[]) => w.postMessage(msg, transfer),
        onMessage: (cb: (m: unknown) => void) => { w.onmessage = (e) => cb(e.data); },
        onError: (cb: (e: Error) => void) => { w.onerror = (e) => { e.preventDefault(); cb(new Error(`explore thread failed: ${e.message || 'could not load'}`)); }; },
        terminate: () => w.terminate(),
      };
    })),
  };
}

/** A thread's side: the first message is the search to rebuild, the rest are requests. */
export function serveExploreThread(scope: DedicatedWorkerGlobalScope): void {
  let serve: ((msg: unknown) => { reply: unknown; transfer: ArrayBuffer[] }) | undefined;
  scope.onmessage = (e: MessageEvent<unknown>) => {
    if (!serve) {
      serve = threadServer((e.data as { init: ThreadInit }).init);
      scope.postMessage({ ready: true });
      return;
    }
    const { reply, transfer } = serve(e.data);
    scope.postMessage(reply, transfer);
  };
}
