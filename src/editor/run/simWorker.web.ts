// The web simulation worker (bundled to dist/web/simWorker.js, an iife): a dedicated Web
// Worker nested in the browser extension host, speaking the same protocol as the Node
// worker, so runs never block the extension host and terminating it cancels them.
// A debug session's worker also serves the debugger's runtime. Started again under the name
// `mmu-explore` (from its own URL), the same script is one of an explore search's threads.
import type { RunRequest } from './protocol';
import { serveRequest } from './serveRequest';
import { isToHost } from '../../core/debug/wire';
import { debugServer } from './serveDebug';
import { webExploreThreads, serveExploreThread, EXPLORE_THREAD_NAME } from './webExploreThreads';

const scope = self as unknown as DedicatedWorkerGlobalScope;
if (scope.name === EXPLORE_THREAD_NAME) {
  serveExploreThread(scope);
} else {
  const debug = debugServer((m) => scope.postMessage(m));
  const threads = webExploreThreads(scope);
  scope.onmessage = (e: MessageEvent<unknown>) => (isToHost(e.data) ? debug(e.data) : serveRequest(e.data as RunRequest, (m) => scope.postMessage(m), threads));
}
