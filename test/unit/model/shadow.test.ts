import { strict as assert } from 'node:assert';
import { Shadows } from '../../../src/core/model/shadow';
import { Prng } from '../../../src/core/model/prng';

describe('model: L0 shadows (shadow[nCR3])', () => {
  it('fills per address space and drops one space without touching another (§1.3)', () => {
    const s = new Shadows();
    const a = s.intern(0x100), b = s.intern(0x200);
    s.insert(a, 1, 0x500, true, 0, 1);
    s.insert(b, 1, 0x600, true, 0, 2);
    assert.equal(s.total, 2);
    assert.equal(s.drop(a, 3), 1);
    assert.equal(s.lookup(a, 1), -1);
    assert.equal(s.pfn[s.lookup(b, 1)], 0x600);
    assert.equal(s.total, 1);
    assert.equal(s.lastFlushOp[a], 3);
  });

  it('drops ranges (the list hypercall)', () => {
    const s = new Shadows();
    const a = s.intern(0x100);
    for (let g = 0; g < 10; g++) s.insert(a, g, 0x500 + g, true, 0, 1);
    assert.equal(s.dropRange(a, 2, 3, 0), 3);
    assert.equal(s.count[a], 7);
    assert.equal(s.lookup(a, 3), -1);
    assert.ok(s.lookup(a, 5) >= 0);
    assert.equal(s.dropRange(a, 0, 1 << 20, 0), 7, 'large ranges scan instead of probing');
    assert.equal(s.total, 0);
  });

  it('picks the least recently used non-empty shadow as the victim (l0_shadows)', () => {
    const s = new Shadows();
    const a = s.intern(1), b = s.intern(2), c = s.intern(3);
    s.insert(a, 1, 9, true, 0, 0); s.insert(b, 1, 9, true, 0, 0); s.insert(c, 1, 9, true, 0, 0);
    s.lookup(a, 1);
    assert.equal(s.lruVictim(c), b);
  });

  it('stays consistent with a reference map through drops and rebuilds', () => {
    const s = new Shadows();
    const rng = new Prng(3);
    const ref = new Map<string, number>();
    for (let i = 0; i < 30000; i++) {
      const as = rng.below(5), gfn = rng.below(3000);
      const ai = s.intern(as);
      const r = rng.below(100);
      if (r < 60) { const p = rng.below(99999); s.insert(ai, gfn, p, true, 0, 0); ref.set(`${as}:${gfn}`, p); }
      else if (r < 98) { const e = s.lookup(ai, gfn); assert.equal(e >= 0 ? s.pfn[e] : undefined, ref.get(`${as}:${gfn}`)); }
      else { s.drop(ai, 0); for (const k of [...ref.keys()]) if (k.startsWith(`${as}:`)) ref.delete(k); }
    }
    assert.equal(s.total, ref.size);
  });
});
