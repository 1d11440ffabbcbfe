// Desktop backend: simulations run in Node worker threads (dist/simWorker.js); the run
// logic (reuse, cancel = terminate) is the shared WorkerRunner's.
import { Worker } from 'node:worker_threads';
import { WorkerRunner, type SpawnWorker } from './workerRunner';

function spawnNodeWorker(workerScript: string): SpawnWorker {
  return (events) => {
    const worker = new Worker(workerScript);
    worker.on('message', events.message);
    worker.on('error', events.failed);
    worker.on('exit', (code) => events.failed(new Error(`simulation worker exited (code ${code})`)));
    return { post: (req) => worker.postMessage(req), terminate: () => void worker.terminate() };
  };
}

export class NodeWorkerRunner extends WorkerRunner {
  constructor(workerScript: string) {
    super(spawnNodeWorker(workerScript));
  }
}
