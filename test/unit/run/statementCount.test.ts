// The statement total known before a run (progress percentage and ETA): counted from the
// loop counts as Interpreter.run counts `steps` — one per op visited, a loop op once, its
// body and end op once per iteration, a `repeat 0` only its own op.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/core/lang/index';
import { runScenario, statementCount, statementTotal } from '../../../src/core/run/index';
import { BUG, compileAll } from './helpers';

const scenario = (body: string[]) => compileAll(`config ${BUG}\nscenario "t" {\n${body.map((l) => `  ${l}`).join('\n')}\n}\n`)[0]!;

describe('run: statement count from loop counts', () => {
  it('counts nested loops by multiplication and a repeat 0 as one statement', () => {
    const sc = scenario(['memslot ram gpa 0 size 64K', 'repeat 3 {', '  repeat 4 {', '    cr3 0x1000', '  }', '}', 'repeat 0 {', '  cr3 0x1000', '}']);
    // memslot 1; repeat 3: 1 + 3 × (inner repeat 1 + 4 × (cr3 + end) + outer end 1) = 1 + 3 × 10; repeat 0: 1.
    assert.equal(statementCount(sc.ops), 1 + 1 + 30 + 1);
    let last = 0;
    runScenario(sc, { onProgress: (n) => { last = n; } });
    assert.equal(last, statementCount(sc.ops), 'the interpreter executes exactly that many');
  });

  it('knows a billion-iteration loop without running it', () => {
    const sc = scenario(['repeat 1000000000 {', '  smi', '  rsm', '}']);
    assert.equal(statementCount(sc.ops), 1 + 1e9 * 3);
  });

  it('reports the running line with progress', () => {
    const sc = scenario(['memslot ram gpa 0 size 64K', 'repeat 5000 {', '  read 0x1000', '}']);
    const lines = new Set<number>();
    runScenario(sc, { onProgress: (_n, line) => { if (line !== undefined) lines.add(line); } });
    // Inside the loop the running op is the read (line 4) or its loop's end (line 5).
    assert.ok([...lines].every((l) => l === 4 || l === 5), [...lines].join(','));
    assert.ok(lines.size > 0);
    void analyze;
  });
});

describe('run: statement total when a count depends on a loop variable', () => {
  it('for n in [1, 100] { repeat n { smi; rsm } } is counted per value of n, exactly', () => {
    const sc = scenario(['for n in [1, 100] {', '  repeat n {', '    smi', '    rsm', '  }', '}']);
    // for 1; n = 1: repeat 1 + 1 × (smi + rsm + end) + for's end 1 = 5; n = 100: 1 + 100 × 3 + 1 = 302.
    assert.deepEqual(statementTotal(sc.ops), { total: 1 + 5 + 302, exact: true });
    let last = 0;
    runScenario(sc, { onProgress: (n) => { last = n; } });
    assert.equal(last, 308, 'the interpreter executes exactly that many');
  });

  it('nested counts over two variables and a count with no value (negative: the loop is skipped)', () => {
    // n = 2: i = 0, 1 → inner counts 2, 3; n = 3: i = 0, 1, 2 → 3, 4, 5. Each inner loop: 1 + c × 2 + 1 (its end counted in the middle loop's iteration).
    const sc = scenario(['for n in [2, 3] {', '  repeat n as i {', '    repeat i + n {', '      smi', '    }', '  }', '}']);
    const inner = (c: number) => 1 + c * 2;
    // Per value of n: the middle repeat 1, each of its iterations an inner loop + the middle's end, then the for's end.
    const mid = (cs: number[]) => 1 + cs.reduce((sum, c) => sum + inner(c) + 1, 0) + 1;
    const expected = 1 + mid([2, 3]) + mid([3, 4, 5]);
    assert.deepEqual(statementTotal(sc.ops), { total: expected, exact: true });
    let last = 0;
    runScenario(sc, { onProgress: (n) => { last = n; } });
    assert.equal(last, expected);
    // i - 1 is negative at i = 0: that execution fails and skips the loop (1 statement), as the interpreter does.
    const neg = scenario(['repeat 3 as i {', '  repeat i - 1 {', '    smi', '    rsm', '  }', '}']);
    assert.deepEqual(statementTotal(neg.ops), { total: 1 + (1 + 1) + (1 + 0 + 1) + (1 + 3 + 1), exact: true });
  });

  it('says the total is a lower bound when walking the values would cost too much', () => {
    const sc = scenario(['repeat 1000000000 as i {', '  repeat i % 3 {', '    smi', '  }', '}']);
    // The inner count at its smallest (0): 1 + 10^9 × (inner repeat 1 + end 1).
    assert.deepEqual(statementTotal(sc.ops), { total: 1 + 1e9 * 2, exact: false });
  });
});
