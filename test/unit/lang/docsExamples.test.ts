// docs/language.md's examples for L3 accesses and for `stale` / `stale.divergent` (issue 12)
// run as the text says: each scenario's own `expect` lines state the definition's claim
// (not divergent when the backing survived, divergent when it was freed), so they must pass.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze } from '../../../src/core/lang/index';
import { runScenario } from '../../../src/core/run/index';

const DOC = readFileSync(resolve(__dirname, '../../../docs/language.md'), 'utf8');
const blocks = [...DOC.matchAll(/```mmu\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/^ {2}/gm, ''));
const named = (name: string) => {
  const text = blocks.find((b) => b.includes(`scenario "${name}"`));
  assert.ok(text, name);
  const a = analyze(text);
  assert.deepEqual(a.diagnostics, []);
  return runScenario(a.compiled.scenarios[0]!);
};

describe('docs/language.md: L3 and stale.divergent examples run as described', () => {
  it('L3 reads what L2 wrote, through guest_mmu', () => {
    const r = named('L2 and L3 read the same page through different roots');
    assert.equal(r.passed, true, JSON.stringify(r.failures));
  });
  it('a stale use whose backing survived is not divergent', () => {
    const r = named('stale but not divergent: the backing survived');
    assert.equal(r.passed, true, JSON.stringify(r.checks.filter((c) => !c.passed)));
    assert.ok(r.metrics['stale']! > 0);
  });
  it('a stale use whose backing was freed is divergent', () => {
    const r = named('stale and divergent: the backing was freed');
    assert.equal(r.passed, true, JSON.stringify(r.checks.filter((c) => !c.passed)));
    assert.equal(r.metrics['stale.divergent'], r.metrics['stale'], 'in this example every stale use is divergent');
  });
});
