// The web simulation worker (bundled to dist/web/simWorker.js, an iife): a dedicated Web
// Worker nested in the browser extension host, speaking the same protocol as the Node
// worker, so runs never block the extension host and terminating it cancels them.
// A debug session's worker also serves the debugger's runtime.
import type { RunRequest } from './protocol';
import { serveRequest } from './serveRequest';
import { isToHost } from '../../core/debug/wire';
import { debugServer } from './serveDebug';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const debug = debugServer((m) => scope.postMessage(m));
scope.onmessage = (e: MessageEvent<unknown>) => (isToHost(e.data) ? debug(e.data) : serveRequest(e.data as RunRequest, (m) => scope.postMessage(m)));
