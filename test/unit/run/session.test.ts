// The stepping engine (run/session.ts) that Run, the debugger and the explorer share: step by
// statement, run to a predicate, snapshot and restore with deterministic re-execution.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/core/lang/index';
import { runScenario, Session } from '../../../src/core/run/index';

const TEXT = `config host=hyperv cpu=svm kernel=6.2 tdp_mmu=on enlightened_tlb=on
scenario "churn" {
  memslot ram gpa 0 size 64K
  write 0x1000 = 42
  repeat 3 {
    memslot ram delete free
    memslot ram gpa 0 size 64K
    read 0x1000
  }
  expect stale > 0
}
`;
const sc = analyze(TEXT).compiled.scenarios[0]!;
const strip = (r: ReturnType<typeof runScenario>): unknown => JSON.parse(JSON.stringify(r));

describe('run: the stepping session', () => {
  it('steps one statement at a time, repeat bodies once per iteration, with each statement\'s kernel events', () => {
    const s = new Session(sc, { trace: true });
    const lines: number[] = [];
    let withEvents = 0;
    for (let st = s.stepStatement(); st; st = s.stepStatement()) {
      lines.push(st.line + 1);
      if (st.events.to > st.events.from) withEvents++;
      for (const e of s.events().slice(st.events.from, st.events.to)) assert.equal(e.line, st.line);
    }
    assert.deepEqual(lines, [3, 4, 6, 7, 8, 6, 7, 8, 6, 7, 8, 10]);
    assert.ok(withEvents >= 9, 'memslot and guest statements raise kernel events');
    assert.equal(s.done, true);
  });

  it('stepping to the end gives the result Run gives', () => {
    const s = new Session(sc, { trace: true });
    while (s.stepStatement()) { /* step */ }
    s.it.finish();
    assert.deepEqual(strip(s.result()), strip(runScenario(sc, { trace: true })));
  });

  it('runs to a breakpoint predicate, and a restored snapshot re-executes to the same end', () => {
    const s = new Session(sc, { trace: true });
    const hit = s.runUntil((st, x) => st.line + 1 === 7 && x.m.ctr.rootsAllocated >= 2);
    assert.equal(hit!.line + 1, 7);
    const snap = s.snapshot();
    s.runToEnd();
    const first = strip(s.result());
    s.restore(snap);
    s.runToEnd();
    assert.deepEqual(strip(s.result()), first);
    s.restore(snap);
    assert.equal(s.stepStatement()!.line + 1, 8, 'after the breakpoint the next statement is the read');
  });

  it('an in-place restore re-executes to the same end as a copying restore, keeping the live objects', () => {
    const s = new Session(sc, { trace: true });
    s.runUntil((st) => st.line + 1 === 6);
    const snap = s.snapshot();
    s.restore(snap);
    s.runToEnd();
    const expected = strip(s.result());
    s.restoreInPlace(snap); // the first one copies the snapshot once (its targets)
    const m = s.m, it = s.it;
    for (let round = 0; round < 3; round++) {
      s.restoreInPlace(snap);
      assert.equal(s.m, m, 'the machine object stays the same');
      assert.equal(s.it, it, 'the interpreter object stays the same');
      s.runToEnd();
      assert.deepEqual(strip(s.result()), expected, `round ${round}`);
    }
  });

  it('a snapshot bound for in-place restore survives the live state moving on', () => {
    const s = new Session(sc, { trace: true });
    s.runUntil((st) => st.line + 1 === 7);
    const copy = s.snapshot();
    const bound = s.snapshotForInPlace();
    s.runToEnd(); // mutates the very objects `bound` is bound to
    const expected = (() => { const t = new Session(sc, { trace: true }); t.restore(copy); t.runToEnd(); return strip(t.result()); })();
    s.restoreInPlace(bound);
    s.runToEnd();
    assert.deepEqual(strip(s.result()), expected);
    s.release(bound);
    s.restore(copy);
    s.runToEnd();
    assert.deepEqual(strip(s.result()), expected, 'a copying restore after a release');
  });
});
