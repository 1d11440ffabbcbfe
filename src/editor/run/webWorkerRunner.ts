// Web backend: simulations run in a dedicated Web Worker nested in the browser extension
// host (itself a worker), so runs never block it and cancelling terminates them mid-run.
// The worker starts from a Blob URL of the script text: VS Code web may refuse a worker
// URL of another origin (extension resources are served from one), a blob: URL is always
// the host's own. Where no worker can be spawned, runs fall back to the in-process runner.
import { InProcessRunner, type SimRunner } from './runner';
import { WorkerRunner, type SpawnWorker } from './workerRunner';

/** The part of the DOM Worker constructor used here (a fake in unit tests). */
export type WorkerConstructor = new (url: string, options?: WorkerOptions) => Pick<Worker, 'postMessage' | 'terminate' | 'onmessage' | 'onerror' | 'onmessageerror'>;

export interface WebWorkerRunnerOptions {
  /** Told once, with the reason, when runs fall back to the extension host's thread. */
  onFallback(reason: string): void;
  /** Defaults to the global Worker (undefined where workers are unavailable). */
  readonly workerClass?: WorkerConstructor | undefined;
  /** Where runs go without a worker (default: in-process with its time budget). */
  readonly fallback?: SimRunner;
}

function spawnWebWorker(workerUrl: () => Promise<string>, WorkerClass: WorkerConstructor | undefined): SpawnWorker {
  return async (events) => {
    if (typeof WorkerClass !== 'function') throw new Error('this extension host has no Worker');
    const worker = new WorkerClass(await workerUrl(), { name: 'mmu-simulation' });
    worker.onmessage = (e) => events.message(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      events.failed(new Error(`simulation worker failed: ${e.message || 'could not load'}`));
    };
    worker.onmessageerror = () => events.failed(new Error('simulation worker sent a message that could not be read'));
    return { post: (req) => worker.postMessage(req), terminate: () => worker.terminate() };
  };
}

/** Reads the script once (on the first run) and serves it from a Blob URL. */
function blobUrlOf(loadScript: () => Promise<Uint8Array | string>): { get(): Promise<string>; revoke(): void } {
  let url: Promise<string> | undefined;
  return {
    get: () => (url ??= loadScript().then((script) => {
      const text = typeof script === 'string' ? script : new TextDecoder().decode(script);
      return URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    })),
    revoke: () => void url?.then((u) => URL.revokeObjectURL(u), () => undefined),
  };
}

export class WebWorkerRunner extends WorkerRunner {
  private readonly revokeUrl: () => void;

  /** @param loadScript reads dist/web/simWorker.js (e.g. `vscode.workspace.fs.readFile`). */
  constructor(loadScript: () => Promise<Uint8Array | string>, options: WebWorkerRunnerOptions) {
    const url = blobUrlOf(loadScript);
    const WorkerClass = 'workerClass' in options ? options.workerClass : (globalThis as { Worker?: WorkerConstructor }).Worker;
    super(spawnWebWorker(url.get, WorkerClass), { runner: options.fallback ?? new InProcessRunner(), onFallback: options.onFallback });
    this.revokeUrl = url.revoke;
  }

  override dispose(): void {
    super.dispose();
    this.revokeUrl();
  }
}
