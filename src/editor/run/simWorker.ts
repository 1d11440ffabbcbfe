// The desktop simulation worker (bundled to dist/simWorker.js): a Node worker thread that
// runs scenarios off the extension host's thread. Terminating it cancels even a runaway
// `repeat 1000000000`. A debug session's worker also serves the debugger's runtime.
import { parentPort } from 'node:worker_threads';
import type { RunRequest } from './protocol';
import { serveRequest } from './serveRequest';
import { isToHost } from '../../core/debug/wire';
import { debugServer } from './serveDebug';
import { exploreThreads } from './exploreThreads';

const port = parentPort;
if (!port) throw new Error('simWorker must run in a worker thread');

// setImmediate: the debugger's slices yield one event-loop turn (a pause message gets in), no timer delay.
const debug = debugServer((m) => port.postMessage(m), () => new Promise((r) => setImmediate(r)));
port.on('message', (req: unknown) => (isToHost(req) ? debug(req) : serveRequest(req as RunRequest, (m) => port.postMessage(m), exploreThreads)));
