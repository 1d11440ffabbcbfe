// The run path below VS Code: executeRequest (what the worker runs), the in-process
// runner (web) and the Node worker runner (desktop), including cancellation of a
// runaway `repeat 1000000000` (language reference: runs stay cancellable).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { executeRequest } from '../../../src/editor/run/execute';
import { NodeWorkerRunner } from '../../../src/editor/run/nodeWorkerRunner';
import type { RunRequest, RunSettings } from '../../../src/editor/run/protocol';
import { CancelledError, InProcessRunner } from '../../../src/editor/run/runner';
import { CHURN } from '../explore/helpers';

const settings: RunSettings = { defaultConfig: {}, traceLimit: 0, ghz: 3 };
const TWO = [
  'config host=bare',
  'scenario "a" {',
  '  memslot ram gpa 0x100000 size 2M',
  '  write 0x100000 = 7',
  '  read 0x100000 == 7',
  '}',
  'scenario "b" {',
  '  config cpu=svm',
  '  memslot ram gpa 0x100000 size 2M',
  '  read 0x100000 == 1',
  '}',
].join('\n');
const RUNAWAY = 'config host=bare\nscenario "forever" {\n  memslot ram gpa 0 size 64K\n  repeat 1000000000 {\n    read 0x1000\n  }\n}\n';

const request = (over: Partial<RunRequest> = {}): RunRequest => ({ id: 1, kind: 'run', text: TWO, fileName: 'two.mmu', version: 3, settings, ...over });

describe('editor run: executeRequest', () => {
  it('runs every scenario, or only the named ones', () => {
    const all = executeRequest(request());
    assert.equal(all.kind, 'run');
    if (all.kind !== 'run') return;
    // Bare metal: the read sees the write (a passes); b reads a never-written page, not 1.
    assert.deepEqual(all.result.scenarios.map((s) => [s.name, s.passed]), [['a', true], ['b', false]]);
    const one = executeRequest(request({ scenarios: ['b'] }));
    assert.deepEqual(one.kind === 'run' && one.result.scenarios.map((s) => s.name), ['b']);
  });

  it('applies mmu.defaultConfig only to keys the scenario does not set, and reports bad entries', () => {
    const out = executeRequest(request({ settings: { ...settings, defaultConfig: { cpu: 'vmx', kernel: '6.3', bogus: 'x' } } }));
    assert.ok(out.kind === 'run');
    if (out.kind !== 'run') return;
    const [a, b] = out.result.scenarios;
    assert.equal(a!.config['cpu'], 'vmx', 'a does not set cpu: the default applies');
    assert.equal(b!.config['cpu'], 'svm', 'b sets cpu itself');
    assert.equal(a!.config['kernel'], '6.3');
    assert.equal(out.warnings.length, 1);
    assert.match(out.warnings[0]!, /^mmu\.defaultConfig: .*bogus/);
  });

  it('compares one scenario over its sweep', () => {
    const out = executeRequest(request({ kind: 'compare', scenarios: ['a'] }));
    assert.equal(out.kind, 'compare');
    if (out.kind !== 'compare') return;
    assert.equal(out.result.scenario, 'a');
    assert.ok(out.result.points.length >= 1);
    assert.deepEqual(out.result.points.map((p) => p.rank).sort((x, y) => x - y), out.result.points.map((_, i) => i + 1));
  });

  it('says which scenario cannot be compared', () => {
    assert.throws(() => executeRequest(request({ kind: 'compare', scenarios: ['nope'] })), /no runnable scenario named "nope"/);
  });
});

describe('editor run: runners and cancellation', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmu-worker-'));
    await esbuild.build({ entryPoints: [join(__dirname, '../../../src/editor/run/simWorker.ts')], outfile: join(dir, 'simWorker.js'), bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
    // Explore threads start dist/exploreWorker.js beside the simulation worker, as in the .vsix.
    await esbuild.build({ entryPoints: [join(__dirname, '../../../src/cli/exploreWorker.ts')], outfile: join(dir, 'exploreWorker.js'), bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs in a worker thread and returns the same verdicts as in-process', async () => {
    const runner = new NodeWorkerRunner(join(dir, 'simWorker.js'));
    try {
      const out = await runner.start(request()).promise;
      const local = await new InProcessRunner().start(request()).promise;
      assert.deepEqual(out, local);
    } finally {
      runner.dispose();
    }
  });

  it('explores on threads nested in the worker (mmu.explore.workers 2): the same verdict and counts as in-process', async () => {
    const runner = new NodeWorkerRunner(join(dir, 'simWorker.js'));
    try {
      const explore = (workers: number): RunRequest => ({ ...request({ kind: 'explore', text: CHURN }), settings: { ...request().settings, exploreWorkers: workers } });
      const threaded = await runner.start(explore(2)).promise;
      const local = await new InProcessRunner().start(explore(1)).promise;
      assert.ok(threaded.kind === 'explore' && local.kind === 'explore');
      const counts = (o: typeof threaded) => o.kind === 'explore' ? o.results.map((r) => [r.verdict, r.states, r.distinct, r.depth, r.counterexample?.scenario]) : [];
      assert.deepEqual(counts(threaded), counts(local));
      assert.equal(threaded.results[0]!.verdict, 'violation');
    } finally {
      runner.dispose();
    }
  });

  it('cancels a runaway repeat in the worker after progress was reported', async () => {
    const runner = new NodeWorkerRunner(join(dir, 'simWorker.js'));
    try {
      let progress = 0;
      const job = runner.start(request({ text: RUNAWAY }), (n) => { progress = n; });
      while (progress === 0) await new Promise((r) => setTimeout(r, 20));
      job.cancel();
      await assert.rejects(job.promise, CancelledError);
      assert.ok(progress > 0);
      // The terminated worker is replaced: the next run of the same runner completes.
      const next = await runner.start(request()).promise;
      assert.deepEqual(next.kind === 'run' && next.result.scenarios.map((s) => s.passed), [true, false]);
    } finally {
      runner.dispose();
    }
  });

  it('in-process: a cancel before the run starts rejects, a time budget stops a runaway', async () => {
    const early = new InProcessRunner().start(request());
    early.cancel();
    await assert.rejects(early.promise, CancelledError);
    // The budget covers analysis too; 500 ms is far more than a 7-line file needs even on a
    // loaded machine, and the runaway repeat would otherwise never end.
    const bounded = await new InProcessRunner(500).start(request({ text: RUNAWAY })).promise;
    assert.ok(bounded.kind === 'run');
    if (bounded.kind === 'run') assert.equal(bounded.result.scenarios[0]!.cancelled, true);
  });
});
