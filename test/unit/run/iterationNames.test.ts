// Issue 12: iterations are named in results by their loop variables' values, so the panel
// and the CLI can say `x = 0x2000` or `i = 3` instead of "iteration 4 of 5". The expected
// names follow the language reference (docs/language.md, loop variables): `repeat N as i`
// counts i from 0 to N-1, `for x in [...]` takes each value in order; numbers from 4096 up
// are written in hex as run-time messages write them.
import * as assert from 'node:assert/strict';
import { parseArgs } from '../../../src/cli/args';
import { runCommand } from '../../../src/cli/commands/run';
import type { CliIO } from '../../../src/cli/io';
import { run } from './helpers';

const CFG = 'host=hyperv cpu=svm kernel=6.2';

describe('run: iteration names from loop variables', () => {
  it('a for over addresses names each failing iteration by its value', () => {
    // 0x2000 is never written: the read there fails, in the second iteration only.
    const r = run(CFG, ['memslot 1 gpa 0 size 64K', 'write 0x1000 = 5', 'for x in [0x1000, 0x2000] {', '  read x == 5', '}']);
    assert.deepEqual(r.failures.map((f) => f.iteration), [{ line: 4, index: 2, count: 2, name: 'x = 0x2000' }], 'the loop on 0-based line 4 (config, scenario, two statements before it)');
    const check = r.checks.find((c) => c.line === 5)!;
    assert.equal(check.passed, false);
    assert.equal(check.iteration?.name, 'x = 0x2000', 'the failing mark says which iteration failed');
  });

  it('repeat N as i names the iteration by the index (0-based), not the 1-based count', () => {
    // i = 3 is the only index where 7 + (i / 3) * (4 - i) is not 7 (i / 3 drops the remainder).
    const r = run(CFG, ['memslot 1 gpa 0 size 64K', 'write 0x1000 = 7', 'repeat 5 as i {', '  read 0x1000 == 7 + (i / 3) * (4 - i)', '}']);
    assert.deepEqual(r.failures.map((f) => [f.iteration?.index, f.iteration?.name]), [[4, 'i = 3']]);
  });

  it('nested loops name the iteration by every open loop variable, outer first', () => {
    const r = run(CFG, ['memslot 1 gpa 0 size 64K', 'for n in [1, 2] {', '  repeat n as i {', '    read 0x1000 == n * 10 + i', '  }', '}']);
    // Nothing was written: each read sees 0, so each of the three executions fails.
    assert.deepEqual(r.failures.map((f) => f.iteration?.name), ['n = 1, i = 0', 'n = 2, i = 0', 'n = 2, i = 1']);
  });

  it('a loop without a variable keeps its iteration unnamed', () => {
    const r = run(CFG, ['memslot 1 gpa 0 size 64K', 'repeat 2 {', '  read 0x1000 == 1', '}']);
    assert.deepEqual(r.failures.map((f) => f.iteration), [{ line: 3, index: 1, count: 2 }, { line: 3, index: 2, count: 2 }]);
  });

  it('stale uses and timeline snapshots carry the name', () => {
    // The thread's churn on 6.2 + TDP + eTLB: a recycled root serves stale translations.
    const r = run(CFG, ['memslot ram gpa 0 size 64K', 'write 0x1000 = 42', 'repeat 32 as k {', '  memslot ram delete free', '  memslot ram gpa 0 size 64K', '  read 0x1000', '}'], { snapshotLimit: 64 });
    assert.ok(r.stale.length > 0);
    for (const u of r.stale) assert.equal(u.iteration?.name, `k = ${u.iteration!.index - 1}`);
    const labels = r.snapshots.filter((s) => s.kind === 'iteration').map((s) => s.label);
    assert.ok(labels.includes('line 5, iteration 1 of 32 (k = 0)'), labels.join(' | '));
  });

  it('the CLI prints the first iteration beside a repeated stale use', () => {
    const file = `config ${CFG}\nscenario "s" {\n  memslot ram gpa 0 size 64K\n  write 0x1000 = 42\n  repeat 32 as k {\n    memslot ram delete free\n    memslot ram gpa 0 size 64K\n    read 0x1000\n  }\n}\n`;
    const p = parseArgs(['run', 'f.mmu']);
    assert.ok(p.ok);
    let stdout = '';
    runCommand(p.args, { out(t) { stdout += t; }, err() { /* none expected */ }, readFile: () => file });
    const line = stdout.split('\n').find((l) => l.includes('reached host page') && l.includes(' via the '));
    assert.ok(line, stdout);
    // Grouped by access line and blame chain; the group names the iteration its first use was in.
    assert.match(line, /\((at k = \d+|x\d+, first at k = \d+)\)$/);
  });

  it('the CLI prints the name beside a failure', () => {
    const file = `config ${CFG}\nscenario "s" {\n  memslot 1 gpa 0 size 64K\n  write 0x1000 = 7\n  repeat 5 as i {\n    read 0x1000 == 7 + (i / 3) * (4 - i)\n  }\n  for x in [0x1000, 0x2000, 0x3000] {\n    read x == 1\n  }\n}\n`;
    const p = parseArgs(['run', 'f.mmu']);
    assert.ok(p.ok);
    let stdout = '';
    const io: CliIO = { out(t) { stdout += t; }, err() { /* none expected */ }, readFile: () => file };
    assert.equal(runCommand(p.args, io), 1);
    assert.match(stdout, /FAIL {2}line 6 +read 0x1000: expected 8, seen 7 {2}\(at i = 3\)/);
    // 0x1000 holds 7, the others 0: three failures on line 9, grouped by message; the first at x = 0x1000.
    assert.match(stdout, /FAIL {2}line 9 +read 0x1000: expected 1, seen 7 {2}\(at x = 0x1000\)/);
    assert.match(stdout, /line 9 +read 0x2000: expected 1, seen 0 {2}\(at x = 0x2000\)/);
  });
});
