// A running simulation that can be cancelled, and the backends that start one: a Node
// worker thread on desktop, in-process in the web extension host (no vscode import here).
import type { RunOutcome, RunRequest } from './protocol';
import { executeRequest } from './execute';

export class CancelledError extends Error {
  constructor() { super('run cancelled'); }
}

export interface SimJob {
  /** Resolves with the outcome; rejects with CancelledError when cancelled. */
  readonly promise: Promise<RunOutcome>;
  cancel(): void;
}

export interface SimRunner {
  start(req: Omit<RunRequest, 'id'>, onProgress?: (done: number) => void): SimJob;
  dispose(): void;
}

/**
 * Runs in the caller's thread after yielding once. Used where no worker is available
 * (web extension host): cancellation is checked by the core between statements, and a
 * time budget keeps a runaway scenario from blocking forever.
 */
export class InProcessRunner implements SimRunner {
  private nextId = 1;
  constructor(private readonly budgetMs = 20_000) {}

  start(req: Omit<RunRequest, 'id'>, onProgress?: (done: number) => void): SimJob {
    let cancelled = false;
    const promise = new Promise<RunOutcome>((resolve, reject) => {
      setTimeout(() => {
        if (cancelled) return reject(new CancelledError());
        const deadline = Date.now() + this.budgetMs;
        try {
          const outcome = executeRequest({ ...req, id: this.nextId++ }, {
            shouldCancel: () => cancelled || Date.now() > deadline,
            onProgress,
          });
          if (cancelled) reject(new CancelledError());
          else resolve(outcome);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }, 0);
    });
    return { promise, cancel: () => { cancelled = true; } };
  }

  dispose(): void { /* nothing held */ }
}
