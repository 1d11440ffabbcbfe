// The in-place restore plan (run/inPlace.ts) on a small graph with the shapes the model
// state has: shared references, a cycle, Maps, typed arrays, class instances with a
// closure, and objects referenced but never copied.
import { strict as assert } from 'node:assert';
import { cloneWithPlan, useGeneratedCopiers } from '../../../src/core/run/inPlace';

class Holder {
  fn: () => number;
  constructor(public n: number, public buf: Int32Array) { this.fn = () => this.n; }
  afterClone(): void { this.fn = () => this.n; }
}

function graph(cfg: object) {
  const page = { id: 1, pfn: 0x100, refcount: 2 };
  const owner: { page: typeof page; list: (typeof page)[]; byId: Map<number, typeof page>; h: Holder; cfg: object; self?: unknown } = {
    page, list: [page], byId: new Map([[1, page]]), h: new Holder(7, Int32Array.from([1, 2, 3])), cfg,
  };
  owner.self = owner;
  return owner;
}

// Both ways of rewriting an object's fields: a copier generated per shape, and the generic
// Object.assign path taken where code cannot be generated (a CSP without 'unsafe-eval').
for (const generated of [true, false]) describe(`run: in-place restore plans (${generated ? 'generated copiers' : 'generic path'})`, () => {
  before(() => useGeneratedCopiers(generated));
  after(() => useGeneratedCopiers(true));

  it('rewrite the targets back to the snapshot whatever was done to them', () => {
    const cfg = { shared: true };
    const snap = graph(cfg);
    const { copy: live, plan } = cloneWithPlan(snap, new Set([cfg]), false);
    const objects = plan.kinds.filter((k) => k === 4).length;
    assert.equal(plan.copy.filter((f) => f !== null).length, generated ? objects : 0, 'every object node has its copier, or none has');
    assert.notEqual(live, snap);
    assert.equal(live.cfg, cfg, 'shared objects are referenced, not copied');
    // What a step may do: mutate fields, link in new objects, grow arrays and maps, add properties.
    live.page.refcount = 0;
    live.list.push({ id: 2, pfn: 0x200, refcount: 1 });
    live.byId.set(2, live.list[1]!);
    live.byId.delete(1);
    live.page = { id: 9, pfn: 9, refcount: 9 };
    live.h.n = 99; live.h.buf[0] = 42;
    (live as Record<string, unknown>).extra = 1;
    const r = plan.restore() as typeof live;
    assert.equal(r, live, 'the same root object');
    assert.equal(live.page.refcount, 2);
    assert.equal(live.list.length, 1);
    assert.equal(live.list[0], live.page, 'one page object, referenced from the list, the map and the field');
    assert.equal(live.byId.get(1), live.page);
    assert.deepEqual([...live.byId.keys()], [1]);
    assert.equal(live.self, live, 'the cycle closes on the copy');
    assert.notEqual(live.page, snap.page, 'nothing is shared with the snapshot');
    assert.deepEqual([...live.h.buf], [1, 2, 3]);
    assert.equal(live.h.fn(), 7, 'the closure is over the restored object');
    assert.equal('extra' in live, false, 'a property the step added is gone');
    assert.deepEqual(snap.page, { id: 1, pfn: 0x100, refcount: 2 }, 'the snapshot was never written');
    assert.deepEqual([...snap.h.buf], [1, 2, 3]);
    // Twice: a copier runs again on the target it has rewritten (and the shape cache is reused).
    live.h.n = 5; live.page.pfn = 1;
    plan.restore();
    assert.equal(live.h.n, 7); assert.equal(live.page.pfn, 0x100); assert.equal(live.h.fn(), 7);
  });

  it('a plan taken from the live graph (the copy is the snapshot) restores into the live objects', () => {
    const live = graph({});
    const cfg = live.cfg;
    const { copy: snap, plan } = cloneWithPlan(live, new Set([cfg]), true);
    const page = live.page;
    live.page.pfn = 0x300;
    live.list.length = 0;
    plan.restore();
    assert.equal(live.page, page, 'the same page object');
    assert.equal(live.page.pfn, 0x100);
    assert.equal(live.list[0], page);
    assert.equal(snap.page.pfn, 0x100);
    assert.notEqual(snap.page, page);
  });

  it('give Maps and Sets back their entries in the snapshot\'s order, and leave an unchanged one as it is', () => {
    const a = { id: 'a' }, b = { id: 'b' };
    const snap = { m: new Map<string, unknown>([['x', a], ['y', 1]]), s: new Set<unknown>([b, 2]), same: new Map([[1, 2]]) };
    const { copy: live, plan } = cloneWithPlan(snap, new Set(), false);
    const liveA = live.m.get('x');
    // Same keys and values, another insertion order (iteration order is part of the state).
    live.m.delete('x'); live.m.set('x', liveA);
    const liveB = [...live.s][0];
    live.s.delete(liveB); live.s.add(liveB);
    const sameBefore = live.same;
    plan.restore();
    assert.deepEqual([...live.m.keys()], ['x', 'y']);
    assert.equal(live.m.get('x'), liveA, 'the entry points to the copy of a, not to a');
    assert.deepEqual([...live.s], [liveB, 2]);
    assert.equal(live.same, sameBefore);
    assert.deepEqual([...live.same], [[1, 2]]);
    // A changed value and a changed size are both rewritten.
    live.m.set('y', 5); live.s.add(3);
    plan.restore();
    assert.equal(live.m.get('y'), 1);
    assert.deepEqual([...live.s], [liveB, 2]);
  });

  it('refuse a closure without afterClone, as deepClone does', () => {
    const o = { f: () => 1 };
    assert.throws(() => cloneWithPlan(o, new Set(), false), /closure property and no afterClone/);
  });
});
