// The debugger's runtime in the simulation worker (the bundle Run uses), driven through the
// Debug Adapter Protocol as VS Code drives it: the adapter only translates, the runtime
// answers over the worker's message port (src/core/debug/wire.ts).
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as esbuild from 'esbuild';
import type { DebugProtocol as P } from '@vscode/debugprotocol';
import { NodeWorkerRunner } from '../../../src/editor/run/nodeWorkerRunner';
import { workerChannel } from '../../../src/editor/debug/workerChannel';
import { POLL_STATEMENTS } from '../../../src/core/debug/runtime';
import type { AdapterOptions } from '../../../src/core/debug/adapter';
import { DapClient } from './dapClient';

const BUG = join(__dirname, '../../../examples/recycled-root-bug.mmu');
const DOC = join(__dirname, '../../../docs/kernel-reference.md');
const SOURCE = readFileSync(BUG, 'utf8').split('\n');
const DOC_LINES = readFileSync(DOC, 'utf8').split('\n');
const lineOf = (text: string): number => SOURCE.findIndex((l) => l.trimStart().startsWith(text)) + 1;
const headingLine = (title: string): number => DOC_LINES.indexOf(`## ${title}`) + 1;

async function positionOf(c: DapClient): Promise<{ line: string; done: number }> {
  const v = await c.variables();
  const now = (k: string): string => v.get(`Position/${k}`)!.split('  ◂ was')[0]!; // without the changed-value mark
  return { line: now('line'), done: Number(now('statements done')) };
}

describe('debugger: the runtime in the simulation worker', () => {
  let dir: string;
  let runner: NodeWorkerRunner;
  let inProcess = 0;
  let failures: string[] = [];
  const inWorker = (extra: AdapterOptions = {}): AdapterOptions => ({
    channel: () => workerChannel(runner, (why) => failures.push(why), () => { inProcess++; }),
    ...extra,
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmu-debug-worker-'));
    await esbuild.build({ entryPoints: [join(__dirname, '../../../src/editor/run/simWorker.ts')], outfile: join(dir, 'simWorker.js'), bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
    runner = new NodeWorkerRunner(join(dir, 'simWorker.js'));
  });
  afterEach(() => { assert.equal(inProcess, 0, 'the runtime fell back to the adapter\'s thread'); assert.deepEqual(failures, []); inProcess = 0; failures = []; });
  after(() => { runner.dispose(); rmSync(dir, { recursive: true, force: true }); });

  it('breakpoint, step into kernel frames (those the doc describes open their section of docs/kernel-reference.md), step back', async () => {
    const c = new DapClient({}, inWorker({ kernelDoc: async () => ({ path: DOC, text: readFileSync(DOC, 'utf8') }) }));
    const del = lineOf('memslot ram delete free');
    const stop = await c.launch({ program: BUG }, async (cl) => {
      await cl.request('setExceptionBreakpoints', { filters: [] });
      await cl.request('setBreakpoints', { source: { path: BUG }, breakpoints: [{ line: del }] });
    });
    assert.equal((stop as P.StoppedEvent).body.reason, 'breakpoint');
    // kvm_mmu_zap_all_fast -> kvm_tdp_mmu_invalidate_all_roots: the TDP roots are invalidated inside the fast zap (mmu.c).
    let frames: P.StackFrame[] = [];
    for (let i = 0; i < 20 && !frames[0]?.name.startsWith('kvm_tdp_mmu_invalidate_all_roots'); i++) { await c.move('stepIn'); frames = await c.stack(); }
    const byName = (fn: string): P.StackFrame => frames.find((f) => f.name.split('  (')[0] === fn)!;
    // The doc's "Fast zap" section lists both functions under *Functions:*.
    for (const fn of ['kvm_tdp_mmu_invalidate_all_roots', 'kvm_mmu_zap_all_fast']) {
      assert.equal(byName(fn).source?.path, DOC, fn);
      assert.equal(byName(fn).line, headingLine('Fast zap'), fn);
      assert.equal(byName(fn).source?.name, 'kernel-reference.md § Fast zap');
    }
    // kvm_set_memslot is listed under the same section's *Functions:* (how a memslot ioctl gets there).
    assert.equal(byName('kvm_set_memslot').source?.path, DOC);
    assert.equal(byName('kvm_set_memslot').line, headingLine('Fast zap'));
    assert.match(byName('kvm_mmu_zap_all_fast').source?.origin ?? '', new RegExp(`called at line ${del} `));
    // The scenario's frame stays at the statement.
    const scenario = frames[frames.length - 1]!;
    assert.equal(scenario.source?.path, BUG);
    assert.equal(scenario.line, del);
    // Back through every kernel event to the statement itself.
    for (let i = 0; i < 20 && (await c.stack()).length > 1; i++) await c.move('stepBack');
    const back = await c.stack();
    assert.equal(back.length, 1);
    assert.equal(back[0]!.line, del);
    await c.request('disconnect', {});
  });

  it('pause during `repeat 1000000 { smi; rsm }` stops at the first poll: within POLL_STATEMENTS statements', async () => {
    const text = 'config host=hyperv cpu=svm\nscenario "long" {\n  repeat 1000000 {\n    smi; rsm\n  }\n}\n';
    const c = new DapClient({ '/long.mmu': text }, inWorker());
    await c.launch({ program: '/long.mmu', stopOnEntry: true }, async (cl) => { await cl.request('setExceptionBreakpoints', { filters: [] }); });
    assert.equal((await positionOf(c)).done, 0);
    const from = c.events.length;
    await c.request('continue', { threadId: 1 });
    await c.request('pause', { threadId: 1 });
    const s = await c.next<P.StoppedEvent>('stopped', from);
    assert.equal(s.body.reason, 'pause');
    // The runtime polls the pause flag every POLL_STATEMENTS statements (runtime.ts continue): the
    // pause, sent before the first poll, stops the loop there, 2,000,000 statements short of its end.
    const at = await positionOf(c);
    assert.ok(at.done > 0 && at.done <= POLL_STATEMENTS, `stopped after ${at.done} statements`);
    assert.equal(at.line, '4');
    // Paused again from further in: the same bound from where the continue started.
    await c.request('continue', { threadId: 1 });
    await c.request('pause', { threadId: 1 });
    await c.next<P.StoppedEvent>('stopped', from + 1);
    const again = await positionOf(c);
    assert.ok(again.done > at.done && again.done - at.done <= POLL_STATEMENTS, `then after ${again.done - at.done} more`);
    await c.request('disconnect', {});
  });

  it('the adapter\'s thread keeps turning while one long statement runs in the worker', async () => {
    // One `touch` of 64M is 16,384 page accesses in one statement: the runtime cannot yield inside it.
    const text = 'config host=hyperv cpu=svm\nscenario "big" {\n  memslot ram gpa 0 size 64M\n  touch 0 size 64M\n  read 0x1000\n}\n';
    const c = new DapClient({ '/big.mmu': text }, inWorker());
    await c.launch({ program: '/big.mmu', stopOnEntry: true }, async (cl) => { await cl.request('setExceptionBreakpoints', { filters: [] }); });
    await c.move('next');
    assert.equal((await positionOf(c)).line, '4');
    const from = c.events.length;
    let stopped = false;
    void c.next('stopped', from).then(() => { stopped = true; });
    await c.request('next', { threadId: 1 });
    // Turns of this thread's event loop, each answering a request, while the worker runs the touch.
    let turns = 0;
    while (!stopped) {
      const t = await c.request<P.ThreadsResponse>('threads');
      assert.equal(t.body.threads[0]!.name, 'scenario "big"');
      turns++;
      await new Promise((r) => setImmediate(r)); // a whole event-loop turn, where the worker's messages arrive
    }
    // With the runtime in the adapter's thread (localChannel) only the few turns before the touch starts
    // get in (4 when this test was written); here the worker runs it while this thread goes on.
    assert.ok(turns >= 10, `${turns} requests answered during the touch`);
    assert.equal((await positionOf(c)).line, '5');
    await c.request('disconnect', {});
  });
});
