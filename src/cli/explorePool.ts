// worker_threads for `mmu-lab explore --workers N` and the desktop simulation worker: Node
// Workers as the ports of core/explore/threadPool.ts (which sends and merges).
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { threadPool, type ThreadInit, type ThreadPool } from '../core/explore/index';

export function workerPool(n: number, init: ThreadInit): ThreadPool {
  // Bundled: dist/cli.js next to dist/exploreWorker.js; from source (tests, tsx): the .ts file.
  const fromSource = __filename.endsWith('.ts');
  const file = fromSource ? join(__dirname, 'exploreWorker.ts') : join(__dirname, 'exploreWorker.js');
  const boot = `require('tsx/cjs'); require(${JSON.stringify(file)});`;
  return threadPool(Array.from({ length: n }, () => {
    const w = fromSource ? new Worker(boot, { eval: true, workerData: init }) : new Worker(file, { workerData: init });
    return {
      post: (msg, transfer) => w.postMessage(msg, transfer),
      onMessage: (cb) => { w.on('message', cb); },
      onError: (cb) => { w.on('error', cb); },
      terminate: () => void w.terminate(),
    };
  }));
}
