// The worker side of the protocol, shared by the Node worker thread (simWorker.ts) and the
// browser Web Worker (simWorker.web.ts): run one request, post progress at most every
// 100 ms, then the outcome or the error. Cancellation is the host terminating the worker.
import { executeRequest } from './execute';
import type { RunRequest, WorkerReply } from './protocol';

export function serveRequest(req: RunRequest, post: (m: WorkerReply) => void): void {
  let last = 0;
  try {
    const outcome = executeRequest(req, {
      onProgress: (done, detail) => {
        const now = Date.now();
        if (now - last < 100) return;
        last = now;
        post(detail ? { id: req.id, type: 'progress', done, detail } : { id: req.id, type: 'progress', done });
      },
    });
    post({ id: req.id, type: 'done', outcome });
  } catch (e) {
    post({ id: req.id, type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}
