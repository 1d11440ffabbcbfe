// Page contents and memslot backing on typed arrays (docs/model.md "Performance design"):
// the behaviour the compact stores must keep. Spec: "a page handed out again is zeroed first"
// (model.md); a freed page keeps its content until reused (stale readers, domain §7); host
// unmap migrates a page and keeps its data (domain §5 #4); `delete free` gives the backing
// back in the order it was touched, which decides what LIFO reuse hands out next (domain §7).
import { strict as assert } from 'node:assert';
import { L1Memory, KIND_DATA, KIND_PT } from '../../../src/core/model/memory';
import { mapLeaf } from '../../../src/core/model/pagetable';
import { Memslots } from '../../../src/core/model/memslots';
import { IntTable } from '../../../src/core/model/intTable';
import { Prng } from '../../../src/core/model/prng';
import { run } from '../run/helpers';

describe('model: page contents', () => {
  it('one stored slot and many stored slots read back; unstored slots read 0', () => {
    const m = new L1Memory(true);
    const one = m.alloc(KIND_DATA), many = m.alloc(KIND_DATA);
    m.write(one, 0x10, 0xdeadbeef);
    m.write(one, 0x10, 0xfeed); // same slot again: replaced
    for (let i = 0; i < 512; i += 3) m.write(many, i * 8, i * 1000 + 1);
    m.write(many, 4095, 2 ** 52 + 2); // the last 8-byte slot, a value above 2^32
    assert.equal(m.read(one, 0x10), 0xfeed);
    assert.equal(m.read(one, 0x17), 0xfeed, 'an offset inside the 8-byte slot reads that slot');
    assert.equal(m.read(one, 0x18), 0);
    for (let i = 0; i < 511; i++) assert.equal(m.read(many, i * 8), i % 3 === 0 ? i * 1000 + 1 : 0, `slot ${i}`);
    assert.equal(m.read(many, 511 * 8), 2 ** 52 + 2);
  });

  it('pages written by pattern and by single writes are zeroed when handed out again, in every slot', () => {
    const m = new L1Memory(true);
    const a = m.alloc(KIND_DATA), b = m.alloc(KIND_DATA);
    m.write(a, 0, 0x1b801c0a); // what `write ... pattern` stores: one slot per page
    for (let i = 0; i < 512; i++) m.write(b, i * 8, i + 1); // every slot
    m.freeNow(a); m.freeNow(b);
    assert.equal(m.read(a, 0), 0x1b801c0a, 'freed, not yet reused: a stale reader still sees it');
    assert.equal(m.read(b, 8), 2);
    const b2 = m.alloc(KIND_DATA), a2 = m.alloc(KIND_DATA); // LIFO
    assert.deepEqual([b2, a2], [b, a]);
    for (let i = 0; i < 512; i++) { assert.equal(m.read(a2, i * 8), 0); assert.equal(m.read(b2, i * 8), 0); }
    // New values on the reused pages (b2 gets a single slot, a2 many) read back, the rest stay 0.
    m.write(b2, 0x20, 5);
    for (let i = 0; i < 512; i += 2) m.write(a2, i * 8, 7);
    for (let i = 0; i < 512; i++) {
      assert.equal(m.read(b2, i * 8), i === 4 ? 5 : 0);
      assert.equal(m.read(a2, i * 8), i % 2 === 0 ? 7 : 0);
    }
  });

  it('a store through a stale translation onto a page-table page shadows only that slot; the others read SPTEs', () => {
    const m = new L1Memory(true);
    const root = m.alloc(KIND_PT);
    mapLeaf(m, root, 0, 0x999, true, () => m.alloc(KIND_PT));
    const spte0 = m.read(root, 0);
    assert.notEqual(spte0, 0, 'slot 0 of the root holds the SPTE of the next level');
    m.write(root, 8, 42);
    assert.equal(m.read(root, 8), 42);
    assert.equal(m.read(root, 0), spte0);
    m.write(root, 16, 43); // a second stored slot
    assert.deepEqual([m.read(root, 0), m.read(root, 8), m.read(root, 16), m.read(root, 24)], [spte0, 42, 43, 0]);
  });
});

describe('model: memslot backing order and stash', () => {
  it('`delete free` frees pages in first-touch order; a page unmapped and touched again counts as touched last', () => {
    const mem = new L1Memory(true);
    const slots = new Memslots(mem);
    slots.create('ram', 0, 64 * 4096, false, 0);
    const slot = slots.byId('ram')!;
    const p5 = slots.backingPage(slot, 5), p1 = slots.backingPage(slot, 1), p3 = slots.backingPage(slot, 3);
    assert.equal(slots.unmapBacking(1, 1), 1);
    const p1b = slots.backingPage(slot, 1); // LIFO: gets p1's page back
    assert.equal(p1b, p1);
    slots.remove(slot, true); // frees 5, 3, 1 in that order; LIFO hands them out reversed
    assert.deepEqual([mem.alloc(KIND_DATA), mem.alloc(KIND_DATA), mem.alloc(KIND_DATA)], [p1b, p3, p5]);
  });

  it('unmap keeps a page\'s values (pattern and single writes) for the replacement page; `delete free` drops them', () => {
    const mem = new L1Memory(true);
    const slots = new Memslots(mem);
    slots.create('ram', 0, 64 * 4096, false, 0);
    const slot = slots.byId('ram')!;
    const p = slots.backingPage(slot, 2);
    mem.write(p, 0, 111); mem.write(p, 0x808, 222);
    slots.unmapBacking(0, 16);
    mem.alloc(KIND_DATA); // takes p's page: the replacement is another page
    const q = slots.backingPage(slot, 2);
    assert.notEqual(q, p);
    assert.deepEqual([mem.read(q, 0), mem.read(q, 0x808), mem.read(q, 8)], [111, 222, 0]);
    slots.unmapBacking(2, 1); // stashed again, then the slot is deleted with its backing
    slots.remove(slot, true);
    slots.create('ram', 0, 64 * 4096, false, 1);
    const r = slots.backingPage(slots.byId('ram')!, 2);
    assert.deepEqual([mem.read(r, 0), mem.read(r, 0x808)], [0, 0]);
  });

  it('through the runner: values survive unmap and `delete`, and are gone after `delete free` (zeroed pages)', () => {
    for (const allocator of ['lifo', 'fifo']) {
      // host=bare: no L0 shadow, so no stale translation reaches a freed page (invariants.test.ts).
      const r = run(`host=bare tdp_mmu=on allocator=${allocator}`, [
        'memslot ram gpa 0 size 256K',
        'write 0 size 256K pattern p',
        'write 0x1008 = 5',
        'unmap 0 size 64K',
        'verify 0 size 256K pattern p',
        'read 0x1008 == 5',
        'memslot ram delete',
        'memslot ram gpa 0 size 256K', // the kept backing comes back
        'verify 0 size 256K pattern p',
        'read 0x1008 == 5',
        'memslot ram delete free',
        'memslot ram gpa 0 size 256K',
        'read 0x1008 == 0',
        'read 0x2000 == 0',
        'write 0x2000 = 9',
        'read 0x2000 == 9',
      ]);
      assert.equal(r.metrics.failures, 0, `${allocator}: ${JSON.stringify(r.failures)}`);
      assert.equal(r.metrics.stale, 0);
    }
  });
});

describe('model: IntTable keeps a Map\'s semantics', () => {
  it('get, set, delete, size and iteration order match a Map over random operations (keys up to 2^40)', () => {
    for (const seed of [1, 2, 3]) {
      const rng = new Prng(seed);
      const t = new IntTable(), ref = new Map<number, number>();
      const keys = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? i : rng.below(1 << 30) * 1024 + i));
      for (let step = 0; step < 20000; step++) {
        const k = keys[rng.below(keys.length)];
        const op = rng.below(10);
        if (op < 5) { const v = rng.below(1 << 30); t.set(k, v); ref.set(k, v); }
        else if (op < 8) { assert.equal(t.delete(k), ref.get(k) ?? -1); ref.delete(k); }
        else assert.equal(t.get(k), ref.get(k) ?? -1);
        if (step % 500 === 0 && rng.below(4) === 0) { t.clear(); ref.clear(); }
        assert.equal(t.size, ref.size);
      }
      const order: [number, number][] = [];
      for (let p = 0; p < t.end(); p++) if (t.keyAt(p) >= 0) order.push([t.keyAt(p), t.valueAt(p)]);
      assert.deepEqual(order, [...ref], `seed ${seed}`);
    }
  });

  it('deleting the current entry while iterating visits every other entry once', () => {
    const t = new IntTable();
    for (let k = 0; k < 100; k++) t.set(k * 7, k);
    const seen: number[] = [];
    for (let p = 0; p < t.end(); p++) { const k = t.keyAt(p); if (k < 0) continue; seen.push(k); if (k % 2 === 0) t.delete(k); }
    assert.deepEqual(seen, Array.from({ length: 100 }, (_, k) => k * 7));
    assert.equal(t.size, 50);
  });
});
