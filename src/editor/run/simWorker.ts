// The simulation worker (bundled to dist/simWorker.js): runs scenarios off the extension
// host's thread. Cancellation is `worker.terminate()` from the host, which also stops a
// runaway `repeat 1000000000`; progress is posted at most every 100 ms.
import { parentPort } from 'node:worker_threads';
import { executeRequest } from './execute';
import type { RunRequest, WorkerReply } from './protocol';

const port = parentPort;
if (!port) throw new Error('simWorker must run in a worker thread');

port.on('message', (req: RunRequest) => {
  let last = 0;
  const post = (m: WorkerReply) => port.postMessage(m);
  try {
    const outcome = executeRequest(req, {
      onProgress: (done) => {
        const now = Date.now();
        if (now - last < 100) return;
        last = now;
        post({ id: req.id, type: 'progress', done });
      },
    });
    post({ id: req.id, type: 'done', outcome });
  } catch (e) {
    post({ id: req.id, type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
