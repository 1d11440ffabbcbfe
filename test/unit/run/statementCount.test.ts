// The statement total known before a run (progress percentage and ETA): counted from the
// loop counts as Interpreter.run counts `steps` — one per op visited, a loop op once, its
// body and end op once per iteration, a `repeat 0` only its own op.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/core/lang/index';
import { runScenario, statementCount } from '../../../src/core/run/index';
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
