// Desktop backend: one worker thread per run (dist/simWorker.js). Cancelling terminates
// the worker, which stops even a scenario that never checks for cancellation.
import { Worker } from 'node:worker_threads';
import { CancelledError, type SimJob, type SimRunner } from './runner';
import type { RunOutcome, RunRequest, WorkerReply } from './protocol';

export class NodeWorkerRunner implements SimRunner {
  private nextId = 1;
  private readonly live = new Set<Worker>();

  constructor(private readonly workerScript: string) {}

  start(req: Omit<RunRequest, 'id'>, onProgress?: (done: number) => void): SimJob {
    const id = this.nextId++;
    const worker = new Worker(this.workerScript);
    this.live.add(worker);
    let settle: ((e?: Error, o?: RunOutcome) => void) | undefined;
    const promise = new Promise<RunOutcome>((resolve, reject) => {
      settle = (e, o) => {
        settle = undefined;
        this.live.delete(worker);
        void worker.terminate();
        if (e) reject(e);
        else resolve(o!);
      };
      worker.on('message', (m: WorkerReply) => {
        if (m.id !== id) return;
        if (m.type === 'progress') onProgress?.(m.done);
        else if (m.type === 'done') settle?.(undefined, m.outcome);
        else settle?.(new Error(m.message));
      });
      worker.on('error', (e) => settle?.(e));
      worker.on('exit', (code) => settle?.(new Error(`simulation worker exited (code ${code})`)));
    });
    worker.postMessage({ ...req, id } satisfies RunRequest);
    return { promise, cancel: () => settle?.(new CancelledError()) };
  }

  dispose(): void {
    for (const w of this.live) void w.terminate();
    this.live.clear();
  }
}
