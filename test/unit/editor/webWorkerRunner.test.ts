// The web backend's run logic without a browser: a fake Worker class that serves requests
// with the real worker-side code (serveRequest), so the protocol, worker reuse, cancel =
// terminate, and the in-process fallback are all exercised. The real nested Web Worker in
// VS Code's web extension host is covered by test/e2e/web.e2e.test.ts.
import * as assert from 'node:assert/strict';
import { resolveObjectURL } from 'node:buffer';
import type { RunRequest, RunSettings, WorkerReply } from '../../../src/editor/run/protocol';
import { CancelledError, InProcessRunner } from '../../../src/editor/run/runner';
import { serveRequest } from '../../../src/editor/run/serveRequest';
import { WebWorkerRunner, type WorkerConstructor } from '../../../src/editor/run/webWorkerRunner';

const settings: RunSettings = { defaultConfig: {}, traceLimit: 0, ghz: 3 };
// Bare metal: the read sees the write, so the scenario passes (domain §2: nothing below KVM).
const TEXT = 'config host=bare\nscenario "a" {\n  memslot ram gpa 0x100000 size 2M\n  write 0x100000 = 7\n  read 0x100000 == 7\n}\n';
const request = (over: Partial<RunRequest> = {}): Omit<RunRequest, 'id'> => ({ kind: 'run', text: TEXT, fileName: 'a.mmu', version: 1, settings, ...over });
const tick = () => new Promise((r) => setTimeout(r, 0));

/**
 * serve: answers like the real worker; hang: reports progress, then never finishes (a
 * runaway); fail-load: an error event before any reply (script refused); crash: replies
 * with progress, then an error event.
 */
type Mode = 'serve' | 'hang' | 'fail-load' | 'crash';

function fakeWorkers(mode: () => Mode) {
  const made: FakeWorker[] = [];
  class FakeWorker {
    onmessage: ((e: { data: WorkerReply }) => void) | null = null;
    onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
    onmessageerror: (() => void) | null = null;
    terminated = false;
    readonly mode = mode();
    constructor(readonly url: string) {
      made.push(this);
      if (this.mode === 'fail-load') setTimeout(() => this.fail('refused'), 0);
    }
    postMessage(req: RunRequest): void {
      setTimeout(() => {
        if (this.terminated) return;
        if (this.mode === 'serve') return serveRequest(req, (m) => this.reply(m));
        if (this.mode === 'hang' || this.mode === 'crash') this.reply({ id: req.id, type: 'progress', done: 65536 });
        if (this.mode === 'crash') setTimeout(() => this.fail('out of memory'), 0);
      }, 0);
    }
    terminate(): void { this.terminated = true; }
    private reply(m: WorkerReply) { if (!this.terminated) this.onmessage?.({ data: m }); }
    private fail(message: string) { if (!this.terminated) this.onerror?.({ message, preventDefault: () => undefined }); }
  }
  return { made, workerClass: FakeWorker as unknown as WorkerConstructor };
}

describe('editor run: web worker runner (fake Worker)', () => {
  it('starts the worker from a Blob URL of the script, loaded once, and reuses the worker', async () => {
    const fake = fakeWorkers(() => 'serve');
    let loads = 0;
    const fallbacks: string[] = [];
    const runner = new WebWorkerRunner(async () => { loads++; return new TextEncoder().encode('/* the worker bundle */'); }, { workerClass: fake.workerClass, onFallback: (r) => fallbacks.push(r) });
    try {
      const first = await runner.start(request()).promise;
      const second = await runner.start(request({ version: 2 })).promise;
      assert.deepEqual(first, await new InProcessRunner().start(request()).promise, 'same outcome as in-process');
      assert.deepEqual(second, first);
      assert.equal(loads, 1);
      assert.equal(fake.made.length, 1, 'a finished worker serves the next run');
      const url = fake.made[0]!.url;
      assert.match(url, /^blob:/);
      assert.equal(await resolveObjectURL(url)?.text(), '/* the worker bundle */');
      assert.deepEqual(fallbacks, []);
    } finally {
      runner.dispose();
    }
    assert.equal(fake.made[0]!.terminated, true, 'dispose terminates the idle worker');
  });

  it('forwards progress; cancel terminates the worker mid-run and the next run gets a fresh one', async () => {
    let mode: Mode = 'hang';
    const fake = fakeWorkers(() => mode);
    const runner = new WebWorkerRunner(async () => '', { workerClass: fake.workerClass, onFallback: () => assert.fail('no fallback expected') });
    try {
      let progress = 0;
      const job = runner.start(request(), (n) => { progress = n; });
      while (progress === 0) await tick();
      assert.equal(progress, 65536);
      job.cancel();
      await assert.rejects(job.promise, CancelledError);
      assert.equal(fake.made[0]!.terminated, true);
      mode = 'serve';
      const out = await runner.start(request()).promise;
      assert.ok(out.kind === 'run' && out.result.scenarios[0]!.passed);
      assert.equal(fake.made.length, 2);
    } finally {
      runner.dispose();
    }
  });

  it('gives concurrent runs their own workers: cancelling one leaves the other running', async () => {
    const modes: Mode[] = ['hang', 'serve'];
    const fake = fakeWorkers(() => modes.shift() ?? 'serve');
    const runner = new WebWorkerRunner(async () => '', { workerClass: fake.workerClass, onFallback: () => assert.fail('no fallback expected') });
    try {
      const runaway = runner.start(request({ fileName: 'runaway.mmu' }));
      const other = runner.start(request({ fileName: 'other.mmu' }));
      runaway.cancel();
      await assert.rejects(runaway.promise, CancelledError);
      const out = await other.promise;
      assert.ok(out.kind === 'run' && out.result.file === 'other.mmu');
      assert.deepEqual(fake.made.map((w) => w.terminated), [true, false]);
    } finally {
      runner.dispose();
    }
  });

  const unavailable: [string, () => WorkerConstructor | undefined, RegExp][] = [
    ['there is no Worker', () => undefined, /no Worker/],
    ['the Worker constructor throws', () => class { constructor() { throw new Error('SecurityError: cross-origin'); } } as unknown as WorkerConstructor, /cross-origin/],
    ['the worker fails to load (error event before any reply)', () => fakeWorkers(() => 'fail-load').workerClass, /refused/],
  ];
  for (const [when, workerClass, reason] of unavailable) {
    it(`falls back to in-process, telling once, when ${when}`, async () => {
      const fallbacks: string[] = [];
      const runner = new WebWorkerRunner(async () => '', { workerClass: workerClass(), onFallback: (r) => fallbacks.push(r) });
      try {
        const expected = await new InProcessRunner().start(request()).promise;
        assert.deepEqual(await runner.start(request()).promise, expected, 'the run that found no worker still completes');
        assert.deepEqual(await runner.start(request()).promise, expected);
        assert.equal(fallbacks.length, 1);
        assert.match(fallbacks[0]!, reason);
      } finally {
        runner.dispose();
      }
    });
  }

  it('falls back when the script cannot be read', async () => {
    const fallbacks: string[] = [];
    const runner = new WebWorkerRunner(() => Promise.reject(new Error('ENOENT dist/web/simWorker.js')), { workerClass: fakeWorkers(() => 'serve').workerClass, onFallback: (r) => fallbacks.push(r) });
    try {
      const out = await runner.start(request()).promise;
      assert.ok(out.kind === 'run' && out.result.scenarios[0]!.passed);
      assert.deepEqual(fallbacks, ['ENOENT dist/web/simWorker.js']);
    } finally {
      runner.dispose();
    }
  });

  it('reports a crash after the worker answered as an error of that run, not a fallback', async () => {
    const modes: Mode[] = ['crash'];
    const fake = fakeWorkers(() => modes.shift() ?? 'serve');
    const runner = new WebWorkerRunner(async () => '', { workerClass: fake.workerClass, onFallback: () => assert.fail('a worker that loaded is not a reason to fall back') });
    try {
      await assert.rejects(runner.start(request()).promise, /simulation worker failed: out of memory/);
      const out = await runner.start(request()).promise;
      assert.ok(out.kind === 'run' && out.result.scenarios[0]!.passed, 'the next run gets a fresh worker');
      assert.equal(fake.made.length, 2);
    } finally {
      runner.dispose();
    }
  });

  it('dispose cancels the runs in flight and terminates their workers', async () => {
    const fake = fakeWorkers(() => 'hang');
    const runner = new WebWorkerRunner(async () => '', { workerClass: fake.workerClass, onFallback: () => undefined });
    const job = runner.start(request());
    await tick();
    runner.dispose();
    await assert.rejects(job.promise, CancelledError);
    assert.equal(fake.made.every((w) => w.terminated), true);
  });
});
