// The views that follow the debugger: the side panel's paused state (the run cut at the stop,
// on the timeline's clock), kernel-reference.md's index of functions, and the Test Explorer's
// Debug profile (every selected scenario, one session after another).
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { analyze } from '../../../src/core/lang/index';
import { runScenario } from '../../../src/core/run/index';
import { scenarioView } from '../../../src/editor/panel/panelModel';
import { kernelDocIndex } from '../../../src/core/debug/kernelDoc';
import { debugInTurn, debugTargets, type TestItemLike } from '../../../src/editor/debug/testDebug';
import type { StopNotice } from '../../../src/core/debug/adapter';
import { DapClient } from './dapClient';

const BUG = join(__dirname, '../../../examples/recycled-root-bug.mmu');
const SOURCE = readFileSync(BUG, 'utf8').split('\n');
const lineOf = (text: string): number => SOURCE.findIndex((l) => l.trimStart().startsWith(text)) + 1;

describe('debugger: views that follow it', () => {
  it('each stop hands the panel the run cut there: one timeline step on the clock Run\'s timeline uses', async () => {
    const notices: StopNotice[] = [];
    const c = new DapClient({}, { onStopped: (n) => notices.push(n) });
    await c.launch({ program: BUG, stopOnEntry: true });
    for (let i = 0; i < 3; i++) await c.move('next'); // memslot, write, read == : at `checkpoint "before churn"`
    assert.equal((await c.stack())[0]!.line, lineOf('checkpoint "before churn"'));
    assert.equal(notices.length, 4);
    assert.equal(await notices[0]!.paused(), null, 'an older stop has no state any more');
    const paused = (await notices[3]!.paused())!;
    assert.equal(paused.name, 'memslot churn recycles a root page');
    assert.equal(paused.snapshots.length, 1);
    // Interpreter.stepOnce counts one step per op: three statements ran, so the clock is 3.
    const step = scenarioView(paused, 0).steps[0]!;
    assert.equal(step.step, 3);
    assert.match(step.label, /^paused at line \d+: checkpoint "before churn"/);
    assert.equal(step.metrics['roots.allocated'], 1); // the write's entry: kvm_mmu_load allocated the first root
    // Run's own timeline step after `read 0x1000 == 42` is on the same clock, with the same state.
    const run = runScenario(analyze(readFileSync(BUG, 'utf8')).compiled.scenarios[0]!, {});
    const runStep = run.snapshots.find((s) => s.line === lineOf('read 0x1000 == 42') - 1)!;
    assert.equal(runStep.step, step.step);
    assert.deepEqual(runStep.roots, paused.snapshots[0]!.roots);
    // The Variables view says the same: Position -> timeline step.
    const vars = await c.variables();
    assert.equal(vars.get('Position/timeline step')?.split('  ◂')[0], 'after 3 statements');
    assert.ok(paused.notes[0]!.startsWith('debugger: paused at line'));
  });

  it('a stop inside a kernel event gives the panel that mid-statement state and the events so far', async () => {
    const notices: StopNotice[] = [];
    const del = lineOf('memslot ram delete free');
    const c = new DapClient({}, { onStopped: (n) => notices.push(n) });
    await c.launch({ program: BUG }, async (cl) => {
      await cl.request('setExceptionBreakpoints', { filters: [] });
      await cl.request('setBreakpoints', { source: { path: BUG }, breakpoints: [{ line: del }] });
    });
    let top = '';
    for (let i = 0; i < 20 && top !== 'tdp_mmu_schedule_zap_root'; i++) { await c.move('stepIn'); top = (await c.stack())[0]!.name.split('  (')[0]!; }
    const paused = (await notices[notices.length - 1]!.paused())!;
    assert.match(paused.snapshots[0]!.label, /in tdp_mmu_schedule_zap_root/);
    // 6.2 kvm_tdp_mmu_invalidate_all_roots sets root->role.invalid, then tdp_mmu_schedule_zap_root
    // queues the zap: at that event the vCPU's root is already invalid.
    assert.ok(paused.snapshots[0]!.roots.some((r) => r.state === 'invalid'), JSON.stringify(paused.snapshots[0]!.roots));
    assert.equal(paused.trace[paused.trace.length - 1]!.fn, 'tdp_mmu_schedule_zap_root');
    assert.equal(paused.trace[paused.trace.length - 1]!.path.at(-1), 'kvm_tdp_mmu_invalidate_all_roots');
  });

  it('ending the session tells the panel to go back to the last run', async () => {
    const ended: string[] = [];
    const c = new DapClient({}, { onEnded: (p) => ended.push(p) });
    await c.launch({ program: BUG, stopOnEntry: true });
    await c.request('disconnect', {});
    assert.deepEqual(ended, [BUG]);
  });

  it('kernel-reference.md: a function maps to the section whose Functions list names it', () => {
    const doc = '# T\n\n## A\n\n*Functions:* `f`, `g(_x)`\n\nsee `h`.\n\n## B\n\n*Functions:* `h`\n\nand `f` again\n';
    const ix = kernelDocIndex(doc);
    assert.deepEqual(ix.get('f'), { title: 'A', line: 2 });
    assert.deepEqual(ix.get('g'), { title: 'A', line: 2 });
    assert.deepEqual(ix.get('h'), { title: 'B', line: 8 }, 'listed in B beats mentioned in A');
    assert.equal(ix.get('T'), undefined);
  });

  it('Test Explorer Debug: every selected scenario (a file stands for its scenarios), each session after the previous ended', async () => {
    const file = (name: string, scenarios: string[]): TestItemLike => {
      const f: { id: string; label: string; uri: string; children: TestItemLike[] } & TestItemLike = {
        id: name, label: name, uri: name, children: [] as TestItemLike[],
      } as never;
      for (const s of scenarios) (f.children as TestItemLike[]).push({ id: `${name}/${s}`, label: s, uri: name, parent: f, children: [] });
      return f;
    };
    const a = file('a.mmu', ['one', 'two']);
    const b = file('b.mmu', ['three']);
    const all = [a, b];
    const kids = (f: TestItemLike): TestItemLike[] => f.children as unknown as TestItemLike[];
    assert.deepEqual(debugTargets([kids(a)[1]!, b], undefined, all).map((t) => `${t.uri}:${t.scenario}`), ['a.mmu:two', 'b.mmu:three']);
    assert.deepEqual(debugTargets(undefined, [kids(a)[0]!], all).map((t) => t.scenario), ['two', 'three']);
    assert.deepEqual(debugTargets([a, kids(a)[0]!], undefined, all).map((t) => t.scenario), ['one', 'two'], 'no scenario twice');

    // Sessions run in turn: the next starts only after the previous one ended.
    const log: string[] = [];
    const endings: (() => void)[] = [];
    const done = debugInTurn(debugTargets(undefined, undefined, all), async (t) => { log.push(`start ${t.scenario}`); return t.scenario; },
      (s) => new Promise<void>((r) => endings.push(() => { log.push(`end ${s}`); r(); })), () => false);
    const settle = (): Promise<void> => new Promise((r) => setImmediate(r));
    await settle();
    assert.deepEqual(log, ['start one']);
    endings.shift()!(); await settle();
    assert.deepEqual(log, ['start one', 'end one', 'start two']);
    endings.shift()!(); await settle();
    endings.shift()!();
    assert.equal(await done, 3);
    assert.deepEqual(log, ['start one', 'end one', 'start two', 'end two', 'start three', 'end three']);
    // Cancelled (the test run was stopped) or a session that did not start: no more sessions.
    let n = 0;
    assert.equal(await debugInTurn(['x', 'y', 'z'], async (t) => t, async () => { n++; }, () => n >= 1), 1);
    assert.equal(await debugInTurn(['x', 'y'], async () => undefined, async () => undefined, () => false), 0);
  });
});
