// A running simulation that can be cancelled, what starts one (SimRunner), and the
// in-process backend: the fallback where no worker can be spawned. The worker backends
// (Node worker thread, nested Web Worker) are in workerRunner.ts; no vscode import here.
import type { RunOutcome, RunRequest } from './protocol';
import { executeRequest, type RequestProgress } from './execute';
import { indexScenarios } from '../scenarioIndex';
import { executeExplore } from './executeExplore';

export class CancelledError extends Error {
  constructor() { super('run cancelled'); }
}

/** How a job that threw ends for its caller: cancelled, or an error with its message (logged). */
export function jobFailure(e: unknown, what: string, log: { error(msg: string): void }): { readonly status: 'cancelled' } | { readonly status: 'error'; readonly message: string } {
  if (e instanceof CancelledError) return { status: 'cancelled' };
  const message = e instanceof Error ? e.message : String(e);
  log.error(`${what} failed: ${message}`);
  return { status: 'error', message };
}

export interface SimJob {
  /** Resolves with the outcome; rejects with CancelledError when cancelled. */
  readonly promise: Promise<RunOutcome>;
  cancel(): void;
}

export interface SimRunner {
  start(req: Omit<RunRequest, 'id'>, onProgress?: RequestProgress): SimJob;
  dispose(): void;
}

/**
 * Runs in the caller's thread after yielding once. The fallback where no worker can be
 * spawned (a web extension host without Worker, or refusing the script). The run blocks that thread, so a cancel() (a new edit or run)
 * only lands before it starts; once running, the time budget — checked by the core
 * between statements — is what stops a runaway scenario, and the outcome says so.
 */
export class InProcessRunner implements SimRunner {
  private nextId = 1;
  constructor(private readonly budgetMs = 20_000) {}

  start(req: Omit<RunRequest, 'id'>, onProgress?: RequestProgress): SimJob {
    let cancelled = false;
    if (req.kind === 'index') {
      // On this thread only the token index, in slices with a yield between them (scenarioIndex.ts).
      const promise = indexScenarios(req.text, () => new Promise<void>((resolve, reject) => setTimeout(() => (cancelled ? reject(new CancelledError()) : resolve()), 0)))
        .then((scenarios): RunOutcome => { if (cancelled) throw new CancelledError(); return { kind: 'index', scenarios, warnings: [] }; });
      return { promise, cancel: () => { cancelled = true; } };
    }
    const promise = new Promise<RunOutcome>((resolve, reject) => {
      setTimeout(() => {
        if (cancelled) return reject(new CancelledError());
        const deadline = Date.now() + this.budgetMs;
        let overBudget = false;
        if (req.kind === 'explore') {
          // The search yields between chunks here (setTimeout), so a cancel lands within one chunk.
          void executeExplore({ ...req, id: this.nextId++ }, {
            shouldCancel: () => cancelled || (overBudget ||= Date.now() > deadline),
            onProgress: onProgress && ((p) => onProgress(p.states, { done: p.states, total: 0, scenario: p.name, scenarioLine: 0, scenarioDone: p.states, line: 0, explore: p })),
            yieldEvery: () => new Promise<void>((r) => setTimeout(r, 0)),
          }).then((outcome) => {
            if (cancelled) reject(new CancelledError());
            else resolve(overBudget ? { ...outcome, warnings: [...outcome.warnings, budgetWarning(this.budgetMs)] } : outcome);
          }, (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))));
          return;
        }
        try {
          const outcome = executeRequest({ ...req, id: this.nextId++ }, {
            shouldCancel: () => cancelled || (overBudget ||= Date.now() > deadline),
            onProgress,
          });
          if (cancelled) reject(new CancelledError());
          else if (overBudget) resolve({ ...outcome, warnings: [...outcome.warnings, budgetWarning(this.budgetMs)] });
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

function budgetWarning(ms: number): string {
  return `stopped after the ${ms / 1000} s time budget of in-process runs (web extension host): the scenario running then is marked cancelled and later ones did not run`;
}
