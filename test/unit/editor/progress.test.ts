// Issue 12, honest progress and cancellation: the percentage and ETA come from the statement
// total known from the loop counts and the rate measured so far; a cancelled run says where
// it stopped in the status bar, the marks and the panel's result; an edit-cancelled run runs
// again once the edit settles.
import * as assert from 'node:assert/strict';
import { statementCount, stoppedResult } from '../../../src/core/run/index';
import { analyze } from '../../../src/core/lang/index';
import { executeRequest } from '../../../src/editor/run/execute';
import { EditSettler } from '../../../src/editor/run/editSettler';
import type { ProgressDetail } from '../../../src/editor/run/protocol';
import { aboutDuration, cancelInfo, cancelText, progressView } from '../../../src/editor/run/progressText';
import { cancelMarks } from '../../../src/editor/results/inlineMarks';
import { testOutcome, verdictText } from '../../../src/editor/results/testOutcome';

const SETTINGS = { defaultConfig: {}, traceLimit: 0, ghz: 3 };
const TWO = [
  'scenario "a" {', '  memslot 1 gpa 0 size 64K', '  repeat 3000 {', '    read 0x1000', '  }', '}',
  'scenario "b" {', '  memslot 1 gpa 0 size 64K', '  repeat 2000 {', '    smi', '    rsm', '  }', '}',
].join('\n');

describe('progress: percentage, rate and ETA', () => {
  it('formats durations the way a person says them', () => {
    assert.equal(aboutDuration(0.2), 'under a second');
    assert.equal(aboutDuration(42), 'about 42 s');
    assert.equal(aboutDuration(12 * 60), 'about 12 min');
    assert.equal(aboutDuration(3600), 'about 1 h');
    assert.equal(aboutDuration(3.5 * 3600), 'about 3.5 h');
  });

  it('repeat 1000000000 { smi; rsm } says how long it will take from the first progress', () => {
    const sc = analyze('scenario "long" {\n  repeat 1000000000 {\n    smi\n    rsm\n  }\n}\n').compiled.scenarios[0]!;
    const total = statementCount(sc.ops);
    assert.equal(total, 1 + 3e9);
    // 900,000 statements in the first 1.08 s: 833k/s, 3e9 left → 3,600 s.
    const detail: ProgressDetail = { done: 900_000, total, scenario: 'long', scenarioLine: 0, scenarioDone: 900_000, line: 2 };
    const v = progressView(900_000, detail, 1080);
    assert.equal(v.percent, 0);
    assert.equal(v.message, '0% · 900,000 statements of 3.0G · 833k statements/s · about 1 h left · "long" line 3');
  });

  it('without a total it still says statements and rate', () => {
    assert.equal(progressView(5000, undefined, 1000).message, '5,000 statements · 5000 statements/s');
  });

  it('the worker side reports the request total and the running scenario and line', () => {
    const details: ProgressDetail[] = [];
    executeRequest({ id: 1, kind: 'run', text: TWO, fileName: 't.mmu', version: 1, settings: SETTINGS }, { onProgress: (_n, d) => { if (d) details.push(d); } });
    const [a, b] = analyze(TWO).compiled.scenarios;
    const total = statementCount(a!.ops) + statementCount(b!.ops);
    assert.ok(details.every((d) => d.total === total));
    assert.equal(details[0]!.done, 0);
    assert.equal(details[details.length - 1]!.done, total, 'ends at the total');
    assert.deepEqual([...new Set(details.map((d) => d.scenario))], ['a', 'b']);
    // b's progress counts on from a's total; its lines are b's.
    const firstB = details.find((d) => d.scenario === 'b')!;
    assert.equal(firstB.done, statementCount(a!.ops));
    assert.ok(details.filter((d) => d.scenario === 'b').every((d) => d.line >= 6 && d.line <= 12));
  });
});

describe('cancelled runs are visible', () => {
  const detail: ProgressDetail = { done: 70_000, total: 1e9, scenario: 'runaway', scenarioLine: 2, scenarioDone: 69_632, line: 4 };
  it('says "cancelled at line N after M statements" in the status bar, the mark and the result notes', () => {
    const info = cancelInfo(detail, 'user')!;
    assert.equal(cancelText(info), 'cancelled at line 5 after 69,632 statements (by the user)');
    const result = { file: 'f.mmu', scenarios: [stoppedResult(info.scenario, info.scenarioLine, { line: info.line, statements: info.statements }, ' (the file was edited)')] };
    const sc = result.scenarios[0]!;
    assert.equal(sc.cancelled, true);
    assert.deepEqual(sc.notes, ['cancelled at line 5 after 69,632 statements (the file was edited)']);
    assert.equal(verdictText(result.scenarios, [{ name: 'runaway', line: 2 }]).text, '$(circle-slash) MMU cancelled at line 5 after 69,632 statements');
    assert.deepEqual(cancelMarks(result).map((m) => [m.line, m.text]), [[4, '■ cancelled at line 5 after 69,632 statements (the file was edited)']]);
    assert.equal(testOutcome(sc).state, 'skipped');
    assert.equal(testOutcome(sc).summary, 'runaway: cancelled at line 5 after 69,632 statements');
  });
  it('counts the other scenarios of the file beside the cancelled one', () => {
    const sc = stoppedResult('b', 6, { line: 8, statements: 10 });
    const v = verdictText([sc], [{ name: 'a', line: 0 }, { name: 'b', line: 6 }]);
    assert.equal(v.text, '$(circle-slash) MMU cancelled at line 9 after 10 statements · 0/2 passed');
    assert.match(v.tooltip, /a \(line 1\): did not run/);
  });
});

describe('re-run when the edit settles', () => {
  class FakeTimer {
    now = 0;
    private next = 1;
    readonly due = new Map<number, { at: number; fn: () => void }>();
    set(fn: () => void, ms: number): unknown { const h = this.next++; this.due.set(h, { at: this.now + ms, fn }); return h; }
    clear(h: unknown): void { this.due.delete(h as number); }
    advance(ms: number): void {
      this.now += ms;
      for (const [h, d] of [...this.due].sort((x, y) => x[1].at - y[1].at)) if (d.at <= this.now) { this.due.delete(h); d.fn(); }
    }
  }
  it('runs once, after no edit for the settle time, what was cancelled', () => {
    const timer = new FakeTimer();
    const runs: [string, readonly string[] | undefined][] = [];
    const s = new EditSettler(timer, (uri, names) => runs.push([uri, names]), 1000);
    s.request('u', ['a']);
    timer.advance(600);
    s.edited('u'); // still typing: wait again
    timer.advance(600);
    assert.deepEqual(runs, []);
    timer.advance(400);
    assert.deepEqual(runs, [['u', ['a']]]);
    timer.advance(5000);
    assert.equal(runs.length, 1, 'once');
  });
  it('merges requests: some scenarios plus all is all; an edit without a request runs nothing', () => {
    const timer = new FakeTimer();
    const runs: [string, readonly string[] | undefined][] = [];
    const s = new EditSettler(timer, (uri, names) => runs.push([uri, names]), 1000);
    s.edited('v');
    timer.advance(2000);
    assert.deepEqual(runs, []);
    s.request('u', ['a']);
    s.request('u', ['b']);
    timer.advance(1000);
    s.request('w', ['a']);
    s.request('w', undefined);
    timer.advance(1000);
    assert.deepEqual(runs, [['u', ['a', 'b']], ['w', undefined]]);
    s.request('x', undefined);
    s.drop('x');
    timer.advance(2000);
    assert.equal(runs.length, 2, 'dropped (closed) documents do not run');
  });
});

describe('progress: a total that is only a lower bound', () => {
  it('says "at least", with no percentage, when a count over a loop variable is too costly to evaluate', () => {
    const text = 'scenario "v" {\n  repeat 1000000000 as i {\n    repeat i % 3 {\n      smi\n      rsm\n    }\n  }\n}\n';
    let first: ProgressDetail | undefined;
    executeRequest({ id: 1, kind: 'run', text, fileName: 'v.mmu', version: 1, settings: SETTINGS }, { onProgress: (_n, d) => { first ??= d; }, shouldCancel: () => first !== undefined });
    assert.equal(first!.totalAtLeast, true);
    // The inner count at its smallest (0): 1 + 10^9 × 2 = 2.0G.
    assert.equal(first!.total, 1 + 2e9);
    const v = progressView(1_000_000, { ...first!, done: 1_000_000, line: 3 }, 1000);
    assert.equal(v.percent, undefined);
    assert.equal(v.message, '1,000,000 statements of at least 2.0G · 1.0M statements/s · at least about 33 min left · "v" line 4');
  });

  it('an exact total over a loop variable keeps the percentage', () => {
    const text = 'scenario "f" {\n  for n in [1, 100] {\n    repeat n {\n      smi\n      rsm\n    }\n  }\n}\n';
    const details: ProgressDetail[] = [];
    executeRequest({ id: 1, kind: 'run', text, fileName: 'f.mmu', version: 1, settings: SETTINGS }, { onProgress: (_n, d) => { if (d) details.push(d); } });
    // 1 + (1 + 3 + 1) + (1 + 300 + 1): see run/statementCount.test.ts.
    assert.ok(details.every((d) => d.total === 308 && d.totalAtLeast === undefined));
    assert.equal(details[details.length - 1]!.done, 308);
  });
});
