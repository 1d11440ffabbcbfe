// Test Explorer discovery of files that are not open (the workspace scan, the file watcher):
// each file's scenario names and ranges come from the simulation backend — a worker thread
// on the desktop, a nested Web Worker on the web — so no file in the workspace, however
// large, is analysed on the extension host's thread. Where no worker can start, the backend's
// in-process fallback indexes tokens in slices with a yield between them (runner.ts). Files
// are read and indexed one at a time (a scan of 2,000 files holds one file's text and starts
// one worker, not 2,000); a newer request for the same file replaces one still queued. No
// vscode import.
import type { IndexedScenario } from './scenarioIndex';
import { CancelledError, type SimJob, type SimRunner } from './run/runner';
import type { RunSettings } from './run/protocol';

const SETTINGS: RunSettings = { defaultConfig: {}, traceLimit: 0, ghz: 3 };

interface Queued {
  readonly key: string;
  /** Reads the file when its turn comes (undefined: nothing to index, e.g. above the size limit). */
  readonly load: () => Promise<string | undefined>;
  resolve(v: readonly IndexedScenario[] | undefined): void;
  reject(e: Error): void;
}

export class ClosedFileIndexer {
  private readonly queue: Queued[] = [];
  private readonly byKey = new Map<string, Queued>();
  private busy = false;
  private running: SimJob | undefined;
  private disposed = false;
  /** Jobs started on the backend so far, and the most ever in flight at once (tests). */
  started = 0;
  maxInFlight = 0;
  private inFlight = 0;

  constructor(private readonly runner: SimRunner) {}

  /**
   * The named scenarios of `text` (the file `key`), or undefined when a newer request for the
   * same file replaced this one before it ran, or the indexer was disposed.
   */
  index(key: string, load: () => Promise<string | undefined>): Promise<readonly IndexedScenario[] | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const prev = this.byKey.get(key);
      const q: Queued = { key, load, resolve, reject };
      if (prev) {
        this.queue[this.queue.indexOf(prev)] = q; // keeps its place in line
        prev.resolve(undefined);
      } else this.queue.push(q);
      this.byKey.set(key, q);
      this.pump();
    });
  }

  private pump(): void {
    if (this.busy || this.disposed) return;
    const q = this.queue.shift();
    if (!q) return;
    this.byKey.delete(q.key);
    this.busy = true;
    void this.serve(q).finally(() => {
      this.busy = false;
      this.pump();
    });
  }

  private async serve(q: Queued): Promise<void> {
    try {
      const text = await q.load();
      if (text === undefined || this.disposed) return q.resolve(text === undefined ? [] : undefined);
      const job = this.runner.start({ kind: 'index', text, fileName: q.key, version: 0, settings: SETTINGS });
      this.running = job;
      this.started++;
      this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
      try {
        const o = await job.promise;
        q.resolve(o.kind === 'index' ? o.scenarios : []);
      } finally {
        this.inFlight--;
        this.running = undefined;
      }
    } catch (e) {
      if (e instanceof CancelledError) q.resolve(undefined);
      else q.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const q of this.queue.splice(0)) q.resolve(undefined);
    this.byKey.clear();
    this.running?.cancel();
  }
}
