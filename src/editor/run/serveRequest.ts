// The worker side of the protocol, shared by the Node worker thread (simWorker.ts) and the
// browser Web Worker (simWorker.web.ts): run one request, post progress at most every
// 100 ms, then the outcome or the error. Cancellation is the host terminating the worker.
// An `explore` request is asynchronous (the search awaits its chunks) but never yields to
// the host: it runs here, off the extension host's thread.
import { executeRequest } from './execute';
import { executeExplore, type ExploreControl } from './executeExplore';
import type { ProgressDetail, RunRequest, WorkerReply } from './protocol';

/** `threads`: worker threads for searches, where this worker can start them (simWorker.ts). */
export function serveRequest(req: RunRequest, post: (m: WorkerReply) => void, threads?: ExploreControl['threads']): void | Promise<void> {
  let last = 0;
  const throttled = (done: number, detail?: ProgressDetail): void => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    post(detail ? { id: req.id, type: 'progress', done, detail } : { id: req.id, type: 'progress', done });
  };
  const fail = (e: unknown): void => post({ id: req.id, type: 'error', message: e instanceof Error ? e.message : String(e) });
  if (req.kind === 'explore') {
    return executeExplore(req, {
      ...(threads ? { threads } : {}),
      onProgress: (p) => throttled(p.states, { done: p.states, total: 0, scenario: p.name, scenarioLine: 0, scenarioDone: p.states, line: 0, explore: p }),
    }).then((outcome) => post({ id: req.id, type: 'done', outcome }), fail);
  }
  try {
    const outcome = executeRequest(req, { onProgress: throttled });
    post({ id: req.id, type: 'done', outcome });
  } catch (e) {
    fail(e);
  }
}
