// Issue 9, model side: memslot lookups are indexed (a map by id, a sorted array by base gfn
// with a binary search, as 5.15's search_memslots does over its sorted memslots[]), and the
// oracle's table of changed gfns counts against the model budget and gives memory back.
import * as assert from 'node:assert/strict';
import { ModelBudget } from '../../../src/core/model/budget';
import { L1Memory } from '../../../src/core/model/memory';
import { Memslots } from '../../../src/core/model/memslots';
import { Machine } from '../../../src/core/model/machine';
import { resolveConfig } from '../../../src/core/model/config';

/** The slot holding gfn by the definition (base <= gfn < base + npages), by a scan. */
function scanFind(slots: Memslots, gfn: number): string | null {
  for (const s of slots.slots) if (gfn >= s.baseGfn && gfn < s.baseGfn + s.npages) return s.id;
  return null;
}

describe('bounded: memslots are indexed, not scanned (issue 9)', () => {
  it('with 2^14 slots, find, create and an overlap check take at most log2(n) + 1 = 15 search steps each', () => {
    const slots = new Memslots(new L1Memory(true, new ModelBudget()));
    const n = 1 << 14;
    // One page every other gfn: slot k holds gfn 2k; odd gfns are holes.
    for (let k = 0; k < n; k++) assert.equal(slots.create(`s${k}`, 2 * k * 4096, 4096, false, 0), null);
    for (const gfn of [0, 1, 2 * 5000, 2 * 5000 + 1, 2 * (n - 1), 2 * n]) {
      slots.searchSteps = 0;
      const found = slots.find(gfn)?.id ?? null;
      assert.ok(slots.searchSteps <= 15, `find(${gfn}): ${slots.searchSteps} steps`);
      assert.equal(found, gfn % 2 === 0 && gfn < 2 * n ? `s${gfn / 2}` : null);
    }
    slots.searchSteps = 0;
    assert.equal(slots.create('late', 2 * 7000 * 4096, 2 * 4096, false, 0), 'memslot late overlaps memslot s7000');
    assert.equal(slots.create('hole', (2 * 7000 + 1) * 4096, 4096, false, 0), null, 'an odd gfn is a hole');
    // Three binary searches: the failed create's overlap check; the other's, and its insertion point.
    assert.ok(slots.searchSteps <= 3 * 15, `create: ${slots.searchSteps} steps`);
    assert.equal(slots.byId('s123')?.baseGfn, 246);
  });

  it('after random creates, moves and deletes, find agrees with a scan of the live slots at every gfn', () => {
    const slots = new Memslots(new L1Memory(true, new ModelBudget()));
    let x = 12345;
    const rnd = (k: number) => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x % k; };
    const ids = Array.from({ length: 40 }, (_, i) => `m${i}`);
    for (let step = 0; step < 3000; step++) {
      const id = ids[rnd(ids.length)]!;
      const s = slots.byId(id);
      const base = rnd(400);
      if (!s) {
        const err = slots.create(id, base * 4096, (1 + rnd(8)) * 4096, false, step);
        // KVM refuses an overlap: the error names a live slot that overlaps.
        if (err) {
          const other = slots.byId(/overlaps memslot (\S+)$/.exec(err)![1]!)!;
          assert.ok(other.baseGfn < base + 8 && base < other.baseGfn + other.npages);
        }
      } else if (rnd(2) === 0) slots.remove(s, rnd(2) === 0);
      else slots.move(s, base * 4096, step);
      // Live slots never overlap.
      const live = [...slots.slots].sort((a, b) => a.baseGfn - b.baseGfn);
      for (let i = 1; i < live.length; i++) assert.ok(live[i - 1]!.baseGfn + live[i - 1]!.npages <= live[i]!.baseGfn);
      if (step % 100 === 0) for (let g = 0; g < 420; g++) assert.equal(slots.find(g)?.id ?? null, scanFind(slots, g), `gfn ${g} at step ${step}`);
    }
  });

  it('unmapBacking meets only the slots its range overlaps', () => {
    const slots = new Memslots(new L1Memory(true, new ModelBudget()));
    for (let k = 0; k < 100; k++) slots.create(`s${k}`, k * 16 * 4096, 16 * 4096, false, 0);
    for (let k = 0; k < 100; k++) { const s = slots.byId(`s${k}`)!; for (let g = 0; g < 16; g++) slots.backingPage(s, s.baseGfn + g); }
    // gfns 20..40: 12 pages of s1 (16..31) and 9 of s2 (32..47).
    assert.equal(slots.unmapBacking(20, 21), 21);
    assert.equal(slots.byId('s1')!.backing.pages.size, 4);
    assert.equal(slots.byId('s2')!.backing.pages.size, 7);
    assert.equal(slots.byId('s0')!.backing.pages.size, 16);
  });
});

describe('bounded: the changed-gfn table counts against the model budget (issue 9)', () => {
  it('grows the page-table part while cached translations exist, and gives its memory back when none do', () => {
    const b = new ModelBudget();
    const m = new Machine(resolveConfig({}).model, [], false, 0, b);
    m.tlb.insert(1, 5, 7, true, 0, 0, 0, 0, 1); // one cached translation: changes can be blamed
    const tables0 = b.parts.tables;
    m.op = 3;
    m.noteGfnChange(0, 65536 + 10);
    // At most 65,536 gfns per change, each entry 20 bytes of capacity (key, value, two index
    // slots); the table held 8 entries' worth before.
    assert.equal(m.gfnChange.size, 65536);
    assert.ok(b.parts.tables - tables0 >= (65536 - 8) * 20, `grew by ${b.parts.tables - tables0}`);
    assert.equal(m.gfnChange.get(100), 3);
    m.tlb.flushAll();
    m.op = 4;
    m.noteGfnChange(1000, 1);
    assert.equal(m.gfnChange.size, 1, 'with nothing cached the old entries cannot be blamed: dropped');
    assert.equal(m.gfnChange.get(100), -1);
    assert.equal(b.parts.tables, tables0, 'back to its first capacity');
  });
});
