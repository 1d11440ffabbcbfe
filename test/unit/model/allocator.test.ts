import { strict as assert } from 'node:assert';
import { L1Memory, KIND_DATA, KIND_PT, FIRST_PFN } from '../../../src/core/model/memory';
import { mapLeaf, walk } from '../../../src/core/model/pagetable';

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
