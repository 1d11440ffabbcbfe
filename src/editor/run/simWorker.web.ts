// The web simulation worker (bundled to dist/web/simWorker.js, an iife): a dedicated Web
// Worker nested in the browser extension host, speaking the same protocol as the Node
// worker, so runs never block the extension host and terminating it cancels them.
import type { RunRequest } from './protocol';
import { serveRequest } from './serveRequest';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (e: MessageEvent<RunRequest>) => serveRequest(e.data, (m) => scope.postMessage(m));
