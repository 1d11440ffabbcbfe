import { strict as assert } from 'node:assert';
import { L1Memory, KIND_DATA, KIND_PT, FIRST_PFN } from '../../../src/core/model/memory';
import { mapLeaf, walk } from '../../../src/core/model/pagetable';
import { Memslots, MAX_BACKED_PAGES, ModelLimitError } from '../../../src/core/model/memslots';

describe('model: L1 page allocator', () => {
  it('LIFO hands out the page freed last first (domain §7: the recycling behind the bug)', () => {
    const m = new L1Memory(true);
    const a = m.alloc(KIND_DATA), b = m.alloc(KIND_DATA), c = m.alloc(KIND_DATA);
    m.freeNow(a); m.freeNow(b); m.freeNow(c);
    assert.deepEqual([m.alloc(KIND_DATA), m.alloc(KIND_DATA), m.alloc(KIND_DATA)], [c, b, a]);
  });

  it('FIFO hands out the page freed first first', () => {
    const m = new L1Memory(false);
    const a = m.alloc(KIND_DATA), b = m.alloc(KIND_DATA);
    m.freeNow(a); m.freeNow(b);
    assert.deepEqual([m.alloc(KIND_DATA), m.alloc(KIND_DATA)], [a, b]);
  });

  it('fresh pages start at FIRST_PFN and are distinct', () => {
    const m = new L1Memory(true);
    const pages = Array.from({ length: 100 }, () => m.alloc(KIND_DATA));
    assert.equal(pages[0], FIRST_PFN);
    assert.equal(new Set(pages).size, 100);
  });

  it('call_rcu pages come back only after a grace period (domain §2.4)', () => {
    const m = new L1Memory(true);
    const a = m.alloc(KIND_PT);
    m.freeRcu(a);
    const b = m.alloc(KIND_PT);
    assert.notEqual(b, a, 'not reusable before the grace period');
    assert.equal(m.drainRcu(), 1);
    assert.equal(m.alloc(KIND_PT), a);
  });

  it('a page handed out again is zeroed: values and SPTEs are gone', () => {
    const m = new L1Memory(true);
    const root = m.alloc(KIND_PT);
    mapLeaf(m, root, 5, 0x999, true, () => m.alloc(KIND_PT));
    assert.equal(walk(m, root, 5) >>> 1, 0x999);
    const d = m.alloc(KIND_DATA);
    m.write(d, 8, 1234);
    assert.equal(m.read(d, 8), 1234);
    m.freeNow(d); m.freeNow(root);
    const again = m.alloc(KIND_PT); // LIFO: root's page
    assert.equal(again, root);
    assert.equal(walk(m, again, 5), 0);
    const d2 = m.alloc(KIND_DATA);
    assert.equal(d2, d);
    assert.equal(m.read(d2, 8), 0);
  });

  it('a freed page keeps its content until reused (stale readers see the old value)', () => {
    const m = new L1Memory(true);
    const d = m.alloc(KIND_DATA);
    m.write(d, 0, 77);
    m.freeNow(d);
    assert.equal(m.read(d, 0), 77);
  });

  it('freeing twice does not put a page on the free list twice', () => {
    const m = new L1Memory(true);
    const a = m.alloc(KIND_DATA);
    m.freeNow(a); m.freeNow(a);
    const x = m.alloc(KIND_DATA), y = m.alloc(KIND_DATA);
    assert.notEqual(x, y);
  });
});

describe('model: memslot backing and host unmap (MMU notifier, §5 #4)', () => {
  // Both walks (over the unmapped range when it is the smaller, over the backed pages otherwise)
  // must drop exactly the backed pages inside the range and keep their values for the next touch.
  for (const [what, gfn, n] of [['a small range in a big backing', 0x10 + 3, 2], ['a range larger than the backing', 0, 1 << 20]] as const) {
    it(`unmap of ${what}: drops exactly the backed pages in range, values kept`, () => {
      const mem = new L1Memory(true);
      const slots = new Memslots(mem);
      assert.equal(slots.create('ram', 0x10000, 64 * 4096, false, 0), null);
      const slot = slots.byId('ram')!;
      const touched = [0x10, 0x13, 0x14, 0x15, 0x30];
      for (const g of touched) mem.write(slots.backingPage(slot, g), 0, g * 7);
      const inRange = touched.filter((g) => g >= gfn && g < gfn + n);
      assert.equal(slots.unmapBacking(gfn, n), inRange.length);
      assert.equal(slot.backing.pages.size, touched.length - inRange.length);
      for (const g of touched) assert.equal(mem.read(slots.backingPage(slot, g), 0), g * 7, `gfn ${g}: the replacement page has the old value`);
    });
  }
});

describe('model: the bound on backed guest pages', () => {
  it('past the bound a touch is a ModelLimitError (a clear message), and pages given back make room again', () => {
    const mem = new L1Memory(true);
    const slots = new Memslots(mem, 3);
    slots.create('ram', 0, 64 * 4096, false, 0);
    const slot = slots.byId('ram')!;
    for (const g of [0, 1, 2]) slots.backingPage(slot, g);
    slots.backingPage(slot, 1); // already backed: no new page
    assert.throws(() => slots.backingPage(slot, 3), (e: unknown) => e instanceof ModelLimitError && /more than 3 distinct guest pages/.test(e.message));
    slots.unmapBacking(0, 1);
    assert.doesNotThrow(() => slots.backingPage(slot, 3));
    slots.remove(slot, true);
    slots.create('ram2', 0, 64 * 4096, false, 1);
    const s2 = slots.byId('ram2')!;
    for (const g of [0, 1, 2]) slots.backingPage(s2, g);
  });

  it('the default bound is 2^23 pages (32 GiB), below the 2^24 entries a JavaScript Map can hold', () => {
    assert.equal(MAX_BACKED_PAGES, 8 * 1024 * 1024);
    assert.ok(MAX_BACKED_PAGES < 2 ** 24);
  });
});
