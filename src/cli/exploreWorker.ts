// A worker thread of `mmu-lab explore --workers N` (and of the desktop simulation worker's
// explore threads): core/explore/threadServer.ts answers the coordinator's requests.
import { parentPort, workerData } from 'node:worker_threads';
import { threadServer, type ThreadInit } from '../core/explore/index';

const serve = threadServer(workerData as ThreadInit);
parentPort!.on('message', (msg: unknown) => {
  const { reply, transfer } = serve(msg);
  parentPort!.postMessage(reply, transfer);
});
parentPort!.postMessage({ ready: true });
