// Issue 14, "Where the user meets it": explore blocks in the editor. The search runs in the
// simulation worker (an `explore` request, executeExplore/serveRequest) or, without a worker,
// in-process yielding between chunks; each block is a Test Explorer test whose violation
// carries the counterexample and, at the file's lines, its blame chain.
// Expected lines follow CHURN's text (test/unit/explore/helpers.ts, 0-based): `explore` on
// line 1, setup `memslot` 3 and `write` 4, steps `delete` 6, `create` 7, `read` 8; and the
// shortest counterexample's shape from the kernel's order of events (explore/bfs.test.ts):
// the stale use is the last move, a read, served through the old root's shadow filled by
// the setup's write, after a DELETE that invalidated that root.
import * as assert from 'node:assert/strict';
import type { Counterexample, ExploreResult } from '../../../src/core/explore/index';
import { analyze } from '../../../src/core/lang/index';
import { counterexampleLineMap, exploreOutcome, exploreSource, type ExploreSource } from '../../../src/editor/explore/exploreOutcome';
import { exploreProgressText } from '../../../src/editor/explore/progressText';
import { executeExplore } from '../../../src/editor/run/executeExplore';
import type { ExploreProgress, RunOutcome, RunRequest, WorkerReply } from '../../../src/editor/run/protocol';
import { CancelledError, InProcessRunner } from '../../../src/editor/run/runner';
import { serveRequest } from '../../../src/editor/run/serveRequest';
import { indexScenarios } from '../../../src/editor/scenarioIndex';
import { blockVerdicts, verdictText } from '../../../src/editor/results/testOutcome';
import { exportJson } from '../../../src/editor/results/exportRun';
import { exploreThreadCount } from '../../../src/editor/run/exploreThreads';
import { workerPool } from '../../../src/cli/explorePool';
import type { ExplorePoolInit } from '../../../src/editor/run/executeExplore';
import { scenario } from './fixtures';
import { CHURN } from '../explore/helpers';

const SETTINGS = { defaultConfig: {}, traceLimit: 0, ghz: 3 };
const request = (text: string, extra: Partial<RunRequest> = {}): RunRequest => ({ id: 7, kind: 'explore', text, fileName: 'c.mmu', version: 1, settings: SETTINGS, ...extra });
const CLEAN = CHURN.replace('kernel=6.2', 'kernel=6.3').replace('depth 6', 'depth 3');

// One search of CHURN (about two seconds) serves the tests that need its violation.
let churn: Promise<RunOutcome> | undefined;
const progress: ExploreProgress[] = [];
const churnOutcome = () => (churn ??= executeExplore(request(CHURN), { onProgress: (p) => progress.push(p) }));

describe('editor: explore blocks off the extension host thread', function () {
  this.timeout(60_000);

  it('an explore request searches the block and reports states, distinct states and depth as it goes', async () => {
    const o = await churnOutcome();
    assert.equal(o.kind, 'explore');
    if (o.kind !== 'explore') return;
    assert.deepEqual(o.results.map((r) => [r.name, r.verdict, r.counterexample?.steps.length]), [['churn', 'violation', 6]]);
    assert.ok(progress.length > 0 && progress.every((p) => p.name === 'churn'));
    // Depths are searched in order and counts only grow.
    for (let i = 1; i < progress.length; i++) {
      assert.ok(progress[i]!.depth >= progress[i - 1]!.depth && progress[i]!.states >= progress[i - 1]!.states && progress[i]!.distinct >= progress[i - 1]!.distinct);
    }
  });

  it('names blocks that have errors (or do not exist) instead of searching them', async () => {
    const o = await executeExplore(request(CLEAN, { explorations: ['churn', 'nope'] }));
    assert.ok(o.kind === 'explore');
    assert.deepEqual([o.results.map((r) => r.verdict), o.missing], [['clean'], ['nope']]);
  });

  it('the worker side posts explore progress, then the outcome', async () => {
    const posted: WorkerReply[] = [];
    await serveRequest(request(CLEAN), (m) => posted.push(m));
    const last = posted[posted.length - 1]!;
    assert.equal(last.type, 'done');
    assert.ok(last.type === 'done' && last.outcome.kind === 'explore' && last.outcome.results[0]!.verdict === 'clean');
    for (const m of posted.slice(0, -1)) assert.ok(m.type === 'progress' && m.detail?.explore?.name === 'churn', JSON.stringify(m));
  });

  it('without a worker the search yields between chunks and a cancel ends it', async () => {
    const runner = new InProcessRunner();
    let settled = false;
    let progressed = false;
    const job = runner.start({ kind: 'explore', text: CHURN, fileName: 'c.mmu', version: 1, settings: SETTINGS }, (_n, d) => { if (d?.explore) progressed = true; });
    job.promise.then(() => { settled = true; }, () => { settled = true; });
    // The event loop turns while it searches: timers fire before the search ends, and a cancel lands.
    while (!progressed) await new Promise((r) => setTimeout(r, 0));
    assert.equal(settled, false, 'the search was still running when the timer fired');
    job.cancel();
    await assert.rejects(job.promise, CancelledError);
  });

  it('says states, distinct states, the depth and the rate in the notification', () => {
    // 4,321 distinct states in 0.5 s: 8,642/s; depth 2 (0-based) is the third level of steps.
    assert.equal(exploreProgressText({ name: 'churn', states: 12_345, distinct: 4_321, depth: 2, seconds: 0.5 }), 'depth 3 · 12,345 states · 4,321 distinct · 8,642 distinct states/s');
    assert.equal(exploreProgressText({ name: 'x', states: 3, distinct: 2, depth: 0, seconds: 0 }, true), '"x" · depth 1 · 3 states · 2 distinct', 'the name when several blocks are searched');
    assert.equal(exploreProgressText({ name: 'x', states: 3, distinct: 2, depth: 0, seconds: 0, threads: 2 }), 'depth 1 · 3 states · 2 distinct · 2 threads', 'the threads, when more than one');
  });

  it('indexes explore blocks of files that are not open as tests too', async () => {
    const found = await indexScenarios(`${CHURN}scenario "s" {\n  smi\n}\n`, async () => undefined);
    assert.deepEqual(found.map((f) => [f.name, f.kind ?? 'scenario', f.range.start.line]), [['churn', 'explore', 1], ['s', 'scenario', 12]]);
  });
});

describe('editor: an explore block as a Test Explorer test', function () {
  this.timeout(60_000);
  const src = (): ExploreSource => exploreSource(analyze(CHURN).compiled.explorations![0]!);

  it('a violation fails it: the counterexample at the explore line, the blame chain at the file\'s lines', async () => {
    const o = await churnOutcome();
    assert.ok(o.kind === 'explore');
    const out = exploreOutcome(o.results, src());
    assert.equal(out.state, 'failed');
    const [first, access, ...chain] = out.messages;
    assert.equal(first!.range.start.line, 1);
    assert.ok(first!.message.includes(o.results[0]!.counterexample!.scenario), 'the message holds the runnable scenario');
    assert.match(first!.message, /^violation of `stale == 0` after 6 steps/);
    assert.equal(access!.range.start.line, 8, 'the stale use is the last move: the `read 0x1000` step');
    assert.match(access!.message, /stale L0 shadow entry/);
    assert.deepEqual(chain.map((m) => [m.message.match(/^counterexample, (\w+)/)?.[1], m.range.start.line]), [['fill', 4], ['change', 6], ['recycle', 8]],
      'filled by the setup write, invalidated by a DELETE step, recycled by the read step\'s root allocation');
  });

  it('clean within the bounds passes; cancelled or not run is skipped', async () => {
    const o = await executeExplore(request(CLEAN));
    assert.ok(o.kind === 'explore');
    assert.equal(exploreOutcome(o.results, src()).state, 'passed');
    assert.match(exploreOutcome(o.results, src()).summary, /^churn: clean · no stale use or failed check within depth 3/);
    const cancelled: ExploreResult = { ...o.results[0]!, verdict: 'cancelled' };
    assert.equal(exploreOutcome([cancelled], src()).state, 'skipped');
    assert.deepEqual(exploreOutcome([], src()), { state: 'skipped', messages: [], summary: 'churn: did not run' });
  });

  it('maps counterexample lines to the file: kept setup (multi-line too), alloc pins with their step, the rest at explore', () => {
    const source: ExploreSource = { name: 'e', line: 10, setup: [{ text: 'memslot ram gpa 0 size 64K', line: 11 }, { text: 'repeat 2 {\n    smi\n    rsm\n  }', line: 12 }, { text: 'write 0x1000 = 1', line: 16 }] };
    const cx = {
      steps: [{ line: 18, text: 'memslot ram delete free', picks: [] }, { line: 20, text: 'read 0x1000', picks: [0x100000] }],
      moves: [], violated: 'stale == 0', stale: [], failures: [],
      setupKept: 2, // shrinking dropped the memslot line
      scenario: ['# c', '# c', 'config x=y', '', 'scenario "counterexample: e" {', '  repeat 2 {', '    smi', '    rsm', '  }', '  write 0x1000 = 1', '  memslot ram delete free', '  alloc next 0x100000', '  read 0x1000', '  expect stale > 0', '}', ''].join('\n'),
    } satisfies Counterexample;
    assert.deepEqual(counterexampleLineMap(cx, source), [10, 10, 10, 10, 10, 12, 13, 14, 15, 16, 18, 20, 20, 10, 10, 10]);
  });
});

// The status bar said "MMU 1/1 passed" for a file whose explore block had just found a
// violation (code-server, last round): explored blocks count like scenarios.
describe('editor: the status bar and Export count explore blocks', function () {
  this.timeout(60_000);

  it('a violating block fails the file\'s verdict; a clean one counts as passed', async () => {
    const bad = await churnOutcome();
    const good = await executeExplore(request(CLEAN));
    assert.ok(bad.kind === 'explore' && good.kind === 'explore');
    const block = [{ name: 'churn', line: 1 }];
    const failed = verdictText([scenario('a')], [{ name: 'a', line: 0 }], bad.results, block);
    assert.equal(failed.passed, false);
    assert.equal(failed.text, '$(error) MMU 1/2 failed · 1 explore violation');
    assert.match(failed.tooltip, /^✓ a\n✗ explore churn: violation of `stale == 0` after 6 steps/);
    const clean = verdictText([scenario('a')], [{ name: 'a', line: 0 }], good.results, block);
    assert.equal(clean.text, '$(pass) MMU 2/2 passed');
    // An Explore alone (no scenario run): the block is the whole verdict.
    assert.equal(verdictText([], [], bad.results, block).text, '$(error) MMU 1/1 failed · 1 explore violation');
  });

  it('a block not explored yet is listed, not counted; sweep points make one block', () => {
    const point = (verdict: ExploreResult['verdict'], x: string): ExploreResult => ({
      name: 'b', line: 4, config: { fix: x }, strategy: 'bfs', verdict, depth: 3, maxDepth: 3, states: 10, distinct: 9, seconds: 0.1,
      statesPerSecond: 90, capped: false, cap: 1000, steps: [], counterexample: null, summary: `${verdict} at fix=${x}`, notes: [],
    });
    const v = verdictText([scenario('a')], [{ name: 'a', line: 0 }], [], [{ name: 'b', line: 4 }]);
    assert.equal(v.text, '$(pass) MMU 1/1 passed');
    assert.match(v.tooltip, /– explore b \(line 5\): not explored yet/);
    const blocks = blockVerdicts([point('clean', 'a'), point('violation', 'b')]);
    assert.deepEqual(blocks.map((b) => [b.name, b.verdict, b.summary]), [['b', 'violation', 'violation at fix=b (2 sweep points)']]);
    assert.equal(verdictText([], [], [point('clean', 'a'), point('cancelled', 'b')]).text, '$(warning) MMU 0/1 passed · 1 cancelled');
  });

  it('Export carries the blocks\' searches next to the run (and says when they ran on another version)', async () => {
    const bad = await churnOutcome();
    assert.ok(bad.kind === 'explore');
    const run = { uri: 'file:///c.mmu', version: 3, result: { file: '/c.mmu', scenarios: [scenario('a')] } };
    const both = exportJson(run.uri, run, { version: 3, results: bad.results });
    assert.equal((both['result'] as typeof run.result).scenarios[0]!.name, 'a');
    assert.equal((both['explorations'] as ExploreResult[])[0]!.counterexample!.scenario, bad.results[0]!.counterexample!.scenario);
    assert.equal(both['explorationsVersion'], undefined);
    assert.equal(exportJson(run.uri, run, { version: 2, results: bad.results })['explorationsVersion'], 2);
    const alone = exportJson(run.uri, undefined, { version: 5, results: bad.results });
    assert.deepEqual([alone['uri'], alone['version'], (alone['explorations'] as unknown[]).length], ['file:///c.mmu', 5, bad.results.length]);
  });
});

// Issue 14: "--workers N (worker_threads on desktop …; default: all cores but one)" — the
// editor's search too, with `mmu.explore.workers`, inside the simulation worker.
describe('editor: an explore search on worker threads', function () {
  this.timeout(120_000);
  const timeless = (rs: readonly ExploreResult[]) => rs.map(({ seconds: _s, statesPerSecond: _r, ...rest }) => rest);

  it('mmu.explore.workers 0 means all cores but one (at least one), as mmu-lab explore', () => {
    assert.deepEqual([exploreThreadCount(0, 8), exploreThreadCount(0, 2), exploreThreadCount(0, 1), exploreThreadCount(3, 8)], [7, 1, 1, 3]);
  });

  it('spreads the levels over the threads it asks for, with the very same result as one thread', async () => {
    const started: ExplorePoolInit[] = [];
    let chunks = 0;
    const settings = { ...SETTINGS, exploreWorkers: 2, defaultConfig: { l0_shadows: '8' } };
    const threaded = await executeExplore(request(CHURN, { settings }), {
      threads: {
        count: (n) => exploreThreadCount(n),
        start: (init) => {
          started.push(init);
          const pool = workerPool(init.workers, init);
          return { ...pool, size: pool.size, expand: (paths) => { chunks += 1; return pool.expand(paths); }, close: () => pool.close() };
        },
      },
    });
    const single = await executeExplore(request(CHURN, { settings: { ...settings, exploreWorkers: 1 } }), { threads: { count: (n) => n, start: () => { throw new Error('one thread starts no pool'); } } });
    assert.ok(threaded.kind === 'explore' && single.kind === 'explore');
    assert.deepEqual(started.map((i) => [i.name, i.workers, i.defaults]), [['churn', 2, { l0_shadows: '8' }]]);
    assert.ok(chunks > 1, `the frontier went to the threads in chunks (${chunks})`);
    assert.deepEqual(timeless(threaded.results), timeless(single.results));
    assert.equal(threaded.results[0]!.verdict, 'violation');
  });
});
