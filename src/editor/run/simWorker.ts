// The desktop simulation worker (bundled to dist/simWorker.js): a Node worker thread that
// runs scenarios off the extension host's thread. Terminating it cancels even a runaway
// `repeat 1000000000`.
import { parentPort } from 'node:worker_threads';
import type { RunRequest } from './protocol';
import { serveRequest } from './serveRequest';

const port = parentPort;
if (!port) throw new Error('simWorker must run in a worker thread');

port.on('message', (req: RunRequest) => serveRequest(req, (m) => port.postMessage(m)));
