// Issue 9: `alloc next` pins are bounded. A pick list was pushed with a spread (a list of
// 200,000 words overflowed the stack) and pins queued in a loop that allocates nothing grew
// without any budget. Both now end in a located `model limit:` failure at MAX_PENDING_PINS.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/core/lang/index';
import { runScenario } from '../../../src/core/run/index';
import { MAX_PENDING_PINS, PinnedChooser } from '../../../src/core/model/allocChoice';

function scenario(text: string) {
  const a = analyze(text);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return a.compiled.scenarios[0]!;
}

describe('bounded: alloc next pins', () => {
  it('one statement with more picks than may wait fails with model limit at that line (no stack overflow)', () => {
    const picks = Array.from({ length: MAX_PENDING_PINS * 3 }, () => 'fresh').join(' ');
    const r = runScenario(scenario(`config host=hyperv allocator=any\nscenario "many" {\n  alloc next ${picks}\n}\n`));
    assert.equal(r.failures.length, 1);
    assert.equal(r.failures[0]!.line, 2);
    assert.match(r.failures[0]!.message, /^model limit: alloc next: more than 65536 allocation pins would be waiting/);
  });

  it('pins queued in a loop that allocates nothing stop at the limit, in the iteration that crosses it', () => {
    // 16 picks per iteration, nothing consumes them: iteration 4,097 would make 65,552 > 65,536.
    const r = runScenario(scenario('config host=hyperv allocator=any\nscenario "loop" {\n  repeat 100000 {\n    alloc next fresh fresh fresh fresh fresh fresh fresh fresh fresh fresh fresh fresh fresh fresh fresh fresh\n  }\n}\n'));
    assert.equal(r.failures.length, 1);
    assert.match(r.failures[0]!.message, /^model limit: alloc next/);
    assert.equal(r.failures[0]!.iteration?.index, MAX_PENDING_PINS / 16 + 1);
  });

  it('consumes pins in order without an O(n) shift, and compacts what it consumed', () => {
    const ch = new PinnedChooser();
    const free = [5, 7, 9];
    ch.add(Array.from({ length: 5000 }, (_, i) => [5, 7, 9, -1][i % 4]!));
    const got: number[] = [];
    for (let i = 0; i < 5000; i++) got.push(ch.choose(free));
    assert.deepEqual(got.slice(0, 8), [1, 2, 3, 0, 1, 2, 3, 0], 'free[i - 1] for a pinned page, 0 (fresh) for -1');
    assert.equal(ch.pending, 0);
    assert.equal(ch.choose(free), 0, 'no pin: a fresh page');
  });
});
