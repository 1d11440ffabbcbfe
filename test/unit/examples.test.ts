// Every example runs and passes its own expect lines (issue 3: `npm test` runs every example).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { analyze } from '../../src/core/lang/index';
import { runScenario } from '../../src/core/run/index';

const dir = new URL('../../examples/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.mmu')).sort();

describe('examples', function () {
  this.timeout(60000);
  it('exist for every case of the thread', () => {
    for (const f of ['recycled-root-bug', 'fix-a', 'fix-b', 'upstream-6.3', 'kernel-6.4', 'legacy-mmu', 'vmx', 'etlb-off', 'bare-metal', 'kernel-5.17', 'boot-ranking', 'nested-transitions']) {
      assert.ok(files.includes(`${f}.mmu`), f);
    }
  });
  for (const f of files) {
    it(`${f} parses cleanly, every scenario passes and has expect lines`, () => {
      const a = analyze(readFileSync(new URL(f, dir), 'utf8'));
      assert.deepEqual(a.diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`), []);
      assert.ok(a.compiled.scenarios.length > 0);
      for (const s of a.compiled.scenarios) {
        assert.ok(s.ops.some((o) => o.k === 'expect' || o.k === 'expect_ok'), `${s.name} has expect lines`);
        const r = runScenario(s);
        assert.equal(r.passed, true, `${f} "${s.name}": ${r.failures.map((x) => `${x.line + 1}: ${x.message}`).join('; ')}`);
      }
    });
  }
});
