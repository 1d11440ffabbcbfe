// Issue 9 #4, editor side: Test Explorer discovery of files that are not open (the workspace
// scan, the file watcher) goes to the simulation backend's worker, one file at a time, and
// the web fallback (no worker) indexes on the host in slices with a yield between them.
import * as assert from 'node:assert/strict';
import { ClosedFileIndexer } from '../../../src/editor/closedFileIndexer';
import { namedScenarios } from '../../../src/editor/run/execute';
import type { RunRequest, WorkerReply } from '../../../src/editor/run/protocol';
import { CancelledError, InProcessRunner } from '../../../src/editor/run/runner';
import { serveRequest } from '../../../src/editor/run/serveRequest';
import { WebWorkerRunner, type WorkerConstructor } from '../../../src/editor/run/webWorkerRunner';
import { LINES_PER_SLICE } from '../../../src/editor/scenarioIndex';

const file = (i: number) => `# file ${i}\nscenario "a${i}" {\n  smi\n}\nscenario "b${i}" { rsm }\n`;

/** A Worker stand-in that serves each request with the real worker-side code, and counts them by kind. */
function servingWorkers() {
  const served: RunRequest['kind'][] = [];
  let made = 0;
  class W {
    onmessage: ((e: { data: WorkerReply }) => void) | null = null;
    onerror = null;
    onmessageerror = null;
    private dead = false;
    constructor() { made++; }
    postMessage(req: RunRequest): void {
      setTimeout(() => { if (this.dead) return; served.push(req.kind); serveRequest(req, (m) => this.onmessage?.({ data: m })); }, 0);
    }
    terminate(): void { this.dead = true; }
  }
  return { served, made: () => made, workerClass: W as unknown as WorkerConstructor };
}

describe('bounded: discovery of closed files runs off the host thread (issue 9 #4)', () => {
  it('50 files are read and indexed one at a time, by the worker, into the named scenarios of each', async () => {
    const w = servingWorkers();
    const runner = new WebWorkerRunner(async () => '', { workerClass: w.workerClass, onFallback: () => assert.fail('no fallback expected') });
    const indexer = new ClosedFileIndexer(runner);
    let reading = 0;
    let maxReading = 0;
    try {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => indexer.index(`f${i}`, async () => {
        maxReading = Math.max(maxReading, ++reading);
        await new Promise((r) => setTimeout(r, 0));
        reading--;
        return file(i);
      })));
      results.forEach((r, i) => assert.deepEqual(r?.map((s) => [s.name, s.range.start.line, s.range.end.line]), [[`a${i}`, 1, 3], [`b${i}`, 4, 4]]));
      assert.equal(maxReading, 1, 'one file\'s text at a time');
      assert.equal(indexer.maxInFlight, 1);
      assert.deepEqual(w.served, Array(50).fill('index'), 'every file was indexed by the worker');
      assert.equal(w.made(), 1, 'one worker, reused');
    } finally {
      indexer.dispose();
      runner.dispose();
    }
  });

  it('a newer request for a queued file replaces it: the old one resolves undefined and only the new text is read', async () => {
    const w = servingWorkers();
    const runner = new WebWorkerRunner(async () => '', { workerClass: w.workerClass, onFallback: () => undefined });
    const indexer = new ClosedFileIndexer(runner);
    try {
      const loads: string[] = [];
      const first = indexer.index('busy', async () => { loads.push('busy'); return file(0); });
      const stale = indexer.index('x', async () => { loads.push('x old'); return file(1); });
      const fresh = indexer.index('x', async () => { loads.push('x new'); return file(2); });
      assert.equal(await stale, undefined);
      assert.deepEqual((await fresh)?.map((s) => s.name), ['a2', 'b2']);
      assert.equal((await first)?.length, 2);
      assert.deepEqual(loads, ['busy', 'x new']);
    } finally {
      indexer.dispose();
      runner.dispose();
    }
  });

  it('a file above the size limit (load gives nothing) has no scenarios and starts no job', async () => {
    const w = servingWorkers();
    const runner = new WebWorkerRunner(async () => '', { workerClass: w.workerClass, onFallback: () => undefined });
    const indexer = new ClosedFileIndexer(runner);
    try {
      assert.deepEqual(await indexer.index('big', async () => undefined), []);
      assert.equal(indexer.started, 0);
    } finally {
      indexer.dispose();
      runner.dispose();
    }
  });

  it('without a worker (web fallback) the host indexes in slices: a 40,000-line file is indexed in 10 slices, same scenarios', async () => {
    const lines = Array.from({ length: 40_000 / 4 }, (_, i) => `scenario "s${i}" {\n  smi\n  rsm\n}\n`); // 4 lines each
    const text = lines.join('');
    const runner = new WebWorkerRunner(async () => '', { workerClass: undefined, onFallback: () => undefined, fallback: new InProcessRunner() });
    const realSetTimeout = globalThis.setTimeout;
    let yields = 0;
    // Count the slices' yields (a setTimeout 0 each) while the job runs.
    globalThis.setTimeout = ((fn: () => void, ms?: number) => { yields++; return realSetTimeout(fn, ms); }) as typeof setTimeout;
    try {
      const o = await runner.start({ kind: 'index', text, fileName: 'big.mmu', version: 0, settings: { defaultConfig: {}, traceLimit: 0, ghz: 3 } }).promise;
      assert.ok(o.kind === 'index');
      assert.deepEqual(o.scenarios, namedScenarios(text), 'the token index agrees with the parser');
      // 40,000 lines in slices of LINES_PER_SLICE = 4,000: 10 slices, a yield between each two.
      assert.equal(LINES_PER_SLICE, 4000);
      assert.ok(yields >= 40_000 / LINES_PER_SLICE - 1, `yielded ${yields} times`);
    } finally {
      globalThis.setTimeout = realSetTimeout;
      runner.dispose();
    }
  });

  it('a cancelled in-process index stops at its next slice', async () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `scenario "s${i}" { smi }`).join('\n');
    const job = new InProcessRunner().start({ kind: 'index', text, fileName: 'f', version: 0, settings: { defaultConfig: {}, traceLimit: 0, ghz: 3 } });
    job.cancel();
    await assert.rejects(job.promise, CancelledError);
  });

  it('dispose settles every queued request (undefined) and cancels the one running', async () => {
    const w = servingWorkers();
    const runner = new WebWorkerRunner(async () => '', { workerClass: w.workerClass, onFallback: () => undefined });
    const indexer = new ClosedFileIndexer(runner);
    const all = Array.from({ length: 5 }, (_, i) => indexer.index(`f${i}`, async () => file(i)));
    indexer.dispose();
    for (const r of await Promise.all(all)) assert.ok(r === undefined || r.length === 2);
    assert.ok(indexer.started <= 1);
    runner.dispose();
  });
});
