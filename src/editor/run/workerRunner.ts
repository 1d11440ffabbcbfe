// The host side of the worker protocol, shared by the desktop (Node worker thread) and web
// (nested Web Worker) backends; they differ only in how a worker is spawned. A finished
// worker is kept for the next run; cancelling a run terminates its worker (which stops even
// a runaway `repeat 1000000000`) and the next run starts a fresh one. Runs of different
// documents get their own workers, so cancelling one never touches another.
import type { RunOutcome, RunRequest, WorkerReply } from './protocol';
import type { RequestProgress } from './execute';
import { CancelledError, type SimJob, type SimRunner } from './runner';

/** What a backend reports about the worker it spawned. */
export interface WorkerEvents {
  message(reply: WorkerReply): void;
  /** The worker crashed, failed to load or exited: it is unusable. */
  failed(error: Error): void;
}

/** A spawned worker as the runner sees it. */
export interface WorkerHandle {
  post(req: RunRequest): void;
  terminate(): void;
}

/** A worker spoken to in messages of the caller's own protocol (the debugger's). */
export interface RawWorker {
  post(m: unknown): void;
  terminate(): void;
}

/** Spawns one worker; may throw or reject when workers are unavailable. */
export type SpawnWorker = (events: WorkerEvents) => WorkerHandle | Promise<WorkerHandle>;

/** Where runs go when no worker can be spawned, and who is told (once). */
export interface WorkerFallback {
  readonly runner: SimRunner;
  onFallback(reason: string): void;
}

/** The worker never answered: it could not be spawned or loaded (as opposed to a crash mid-run). */
class WorkerUnavailableError extends Error {}

interface Pending {
  readonly id: number;
  readonly onProgress: RequestProgress | undefined;
  finish(error?: Error, outcome?: RunOutcome): void;
}

interface Slot {
  handle: Promise<WorkerHandle>;
  /** The handle once spawned, so a cancel terminates without waiting a turn. */
  worker: WorkerHandle | undefined;
  /** The worker has replied at least once, so it loaded. */
  heard: boolean;
  current: Pending | undefined;
}

export class WorkerRunner implements SimRunner {
  private nextId = 1;
  private idle: Slot | undefined;
  private readonly live = new Set<Slot>();
  private fallenBack = false;
  private disposed = false;

  constructor(private readonly spawn: SpawnWorker, private readonly fallback?: WorkerFallback) {}

  start(req: Omit<RunRequest, 'id'>, onProgress?: RequestProgress): SimJob {
    if (this.fallenBack && this.fallback) return this.fallback.runner.start(req, onProgress);
    const id = this.nextId++;
    const slot = this.takeSlot();
    let inner: SimJob | undefined;
    let cancelled = false;
    let settled = false;
    const promise = new Promise<RunOutcome>((resolve, reject) => {
      slot.current = {
        id,
        onProgress,
        finish: (error, outcome) => {
          if (settled) return;
          settled = true;
          slot.current = undefined;
          if (error instanceof WorkerUnavailableError && this.fallback && !cancelled) {
            this.fallBack(error.message);
            inner = this.fallback.runner.start(req, onProgress);
            inner.promise.then(resolve, reject);
          } else if (error) {
            reject(error);
          } else {
            resolve(outcome!);
          }
        },
      };
      slot.handle.then((h) => { if (slot.current?.id === id) h.post({ ...req, id }); }, () => undefined);
    });
    return {
      promise,
      cancel: () => {
        cancelled = true;
        if (inner) return inner.cancel();
        if (settled) return;
        this.discard(slot);
        slot.current?.finish(new CancelledError());
      },
    };
  }

  /** A worker of its own for a long-lived client (a debug session, src/editor/debug): the same
   *  script, never reused for runs; the client terminates it. Null where workers are unavailable. */
  async openWorker(onMessage: (m: unknown) => void, onFailed: (e: Error) => void): Promise<RawWorker | null> {
    if (this.fallenBack || this.disposed) return null;
    try {
      const h = await this.spawn({ message: (m) => onMessage(m), failed: onFailed });
      return { post: (m) => h.post(m as RunRequest), terminate: () => h.terminate() };
    } catch {
      return null;
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const slot of [...this.live]) {
      this.discard(slot);
      slot.current?.finish(new CancelledError());
    }
    this.fallback?.runner.dispose();
  }

  private takeSlot(): Slot {
    const reuse = this.idle;
    this.idle = undefined;
    if (reuse) return reuse;
    const slot: Slot = { handle: undefined as unknown as Promise<WorkerHandle>, worker: undefined, heard: false, current: undefined };
    const events: WorkerEvents = {
      message: (m) => {
        slot.heard = true;
        const p = slot.current;
        if (!p || m.id !== p.id) return;
        if (m.type === 'progress') return p.onProgress?.(m.done, m.detail);
        p.finish(m.type === 'error' ? new Error(m.message) : undefined, m.type === 'done' ? m.outcome : undefined);
        this.release(slot); // it answered, so it is healthy: reuse it
      },
      failed: (e) => {
        if (!this.live.has(slot)) return; // terminated by us
        this.discard(slot);
        slot.current?.finish(slot.heard ? e : new WorkerUnavailableError(e.message));
      },
    };
    // Promise.resolve().then turns a synchronous throw of spawn into a rejection.
    slot.handle = Promise.resolve().then(() => this.spawn(events));
    slot.handle.then((h) => { slot.worker = h; }, () => undefined);
    slot.handle.catch((e: unknown) => events.failed(e instanceof Error ? e : new Error(String(e))));
    this.live.add(slot);
    return slot;
  }

  /** Keeps one finished worker for the next run; more would only hold memory. */
  private release(slot: Slot): void {
    if (!this.live.has(slot)) return;
    if (this.idle || this.disposed) this.discard(slot);
    else this.idle = slot;
  }

  private discard(slot: Slot): void {
    if (!this.live.delete(slot)) return;
    if (this.idle === slot) this.idle = undefined;
    if (slot.worker) slot.worker.terminate();
    else void slot.handle.then((h) => h.terminate(), () => undefined);
  }

  private fallBack(reason: string): void {
    if (this.fallenBack) return;
    this.fallenBack = true;
    this.fallback?.onFallback(reason);
    for (const slot of [...this.live]) if (!slot.current) this.discard(slot);
  }
}
