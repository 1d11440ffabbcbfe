import { strict as assert } from 'node:assert';
import { Tlb } from '../../../src/core/model/tlb';
import { Prng } from '../../../src/core/model/prng';

describe('model: hardware TLB (ASID-tagged, LRU)', () => {
  it('hits what was filled, per tag', () => {
    const t = new Tlb(8);
    t.insert(1, 10, 0x200, true, 0x100, 0, 0, 0, 1);
    assert.ok(t.lookup(1, 10) >= 0);
    assert.equal(t.lookup(2, 10), -1, 'another ASID does not hit');
    assert.equal(t.pfn[t.lookup(1, 10)], 0x200);
  });

  it('evicts the least recently used entry when full', () => {
    const t = new Tlb(3);
    for (let g = 0; g < 3; g++) t.insert(1, g, 0x200 + g, true, 0x100, 0, 0, 0, 1);
    t.lookup(1, 0); // 0 becomes MRU; 1 is LRU
    t.insert(1, 3, 0x203, true, 0x100, 0, 0, 0, 1);
    assert.equal(t.size, 3);
    assert.equal(t.lookup(1, 1), -1);
    assert.ok(t.lookup(1, 0) >= 0 && t.lookup(1, 2) >= 0 && t.lookup(1, 3) >= 0);
  });

  it('flushes by tag, by address space and by range', () => {
    const t = new Tlb(16);
    for (let g = 0; g < 4; g++) { t.insert(1, g, 0x200, true, 0xa, 0, 0, 0, 1); t.insert(2, g, 0x300, true, 0xb, 0, 0, 0, 1); }
    assert.equal(t.flushAsRange(0xa, 1, 2), 2);
    assert.equal(t.flushTag(2), 4);
    assert.equal(t.flushAs(0xa), 2);
    assert.equal(t.size, 0);
  });

  it('matches a reference map under random inserts, lookups and flushes (hash deletion keeps chains)', () => {
    const cap = 64;
    const t = new Tlb(cap);
    const ref = new Map<string, number>();
    const order: string[] = []; // LRU order, last = MRU
    const rng = new Prng(7);
    const touch = (k: string): void => { const i = order.indexOf(k); if (i >= 0) order.splice(i, 1); order.push(k); };
    for (let step = 0; step < 20000; step++) {
      const tag = rng.below(4), gfn = rng.below(200) * 2 ** 28 + rng.below(3); // gfns above 2^32 too
      const k = `${tag}:${gfn}`;
      const r = rng.below(10);
      if (r < 5) {
        const e = t.lookup(tag, gfn);
        assert.equal(e >= 0, ref.has(k));
        if (e >= 0) { assert.equal(t.pfn[e], ref.get(k)); touch(k); }
      } else if (r < 9) {
        const pfn = rng.below(1000);
        if (!ref.has(k) && ref.size === cap) { const lru = order.shift() as string; ref.delete(lru); }
        t.insert(tag, gfn, pfn, true, tag, 0, 0, 0, 0);
        ref.set(k, pfn); touch(k);
      } else {
        t.flushTag(tag);
        for (const key of [...ref.keys()]) if (key.startsWith(`${tag}:`)) { ref.delete(key); order.splice(order.indexOf(key), 1); }
      }
      assert.equal(t.size, ref.size);
    }
  });
});
