// The state fingerprint of the explorer: a 64-bit hash of exactly the state that can
// influence the future of a run (docs/explore.md): the allocator (free pages and their order
// where the policy uses it, the RCU queue, the next fresh page), page-table contents, page
// values that checks read, memslots and their backings (with their 2M host pages), roots (TDP and legacy: role, pgd,
// refcount, invalid, queued zaps), per-vCPU state and pending requests, ASID generations, the
// hardware TLB (in LRU order: eviction depends on it), L0's shadows (as a set), and the
// metrics the invariants read. Left out: counters, op indices, blame provenance (root ids,
// fill ops), the oracle's caches (ptGen, verGen) and interning orders (arena slots, shadow
// indices) — two states that differ only there behave the same from now on.
// This file is the one place that walks the model's internals; a model component added
// later must be added here (the fingerprint tests catch a missing one that matters).
import type { Machine } from '../model/machine';
import type { MetricName } from '../lang/schema';
import { metric } from '../model/metrics';
import { KIND_FREE, FIRST_PFN } from '../model/memory';
import type { MmuPage, Vcpu, MmuCtx } from '../model/types';
import type { IntTable } from '../model/intTable';
import { Hasher, Unordered } from './hash';

/** What the fingerprint covers beyond the model: set once per exploration. */
export interface FingerprintScope {
  /** Page values matter only when some statement checks them (`read ==`, `verify`). */
  readonly values: boolean;
  /** Metrics the invariants read (their values are part of the state). */
  readonly metrics: readonly MetricName[];
}

// Internals read here (TypeScript `private` is compile-time only).
interface MemInternals {
  kind: Uint8Array; ptSlot: Int32Array; arena: Int32Array; tabStamp: Float64Array; free: number[]; freeHead: number; nextFresh: number;
  rcu: number[]; dataRec: Int32Array; values: ValuesInternals; lifo: boolean; anyAlloc: boolean;
}
interface ValuesInternals { slot: Int16Array; value: Float64Array; block: Int32Array; blockVals: Float64Array; blockHas: Uint8Array }
interface TlbInternals { head: number; next: Int32Array; tag: Int32Array; gfn: Float64Array; pfn: Int32Array; w: Uint8Array; as: Int32Array }
interface ShadowInternals { cap: number; total: number; asA: Int32Array; genA: Int32Array; gen: number[]; gfnA: Float64Array; pfn: Int32Array; w: Uint8Array; asValue: number[]; count: number[]; lastUse: number[] }
interface TdpInternals { roots: MmuPage[]; zapQueue: MmuPage[] }
interface LegacyInternals { roots: MmuPage[]; mmuValidGen: number; invalidPages: number[]; invalidRoots: MmuPage[] }
interface KvmInternals { hvRootTdp: number; pcpus: Map<number, { gen: number; next: number }> }
interface SlotsInternals { slots: { id: string; baseGfn: number; npages: number; readonly: boolean; dirtyLog: boolean; dirtyBitmap: Uint8Array | null; hugepages: boolean; backing: Backing }[]; kept: Map<string, Backing> }
interface Backing { pages: IntTable; stash: IntTable; huge: IntTable }

const h = new Hasher();
const set = new Unordered();
const th = new Hasher();

/**
 * Per-table hashes by table stamp (L1Memory.tabStamp): every write to a table's entries and
 * every (re)assignment of its arena slot takes a new stamp from a sequence no restore winds
 * back, so a slot's stamp names one content for the whole process — whichever state, sibling
 * or restore order reached it. A table whose stamp is the one cached for its slot is not
 * walked again (its 512 entries); only the tables a step wrote are rehashed.
 */
export class FingerprintCache {
  // Two ways per slot, most recent first: the node's table (seen again by every child) and the
  // last child's rewrite of it (a replay makes new stamps, so a child's is seldom seen twice).
  private st0 = new Float64Array(0);
  private a0 = new Int32Array(0);
  private b0 = new Int32Array(0);
  private st1 = new Float64Array(0);
  private a1 = new Int32Array(0);
  private b1 = new Int32Array(0);
  /** Tables taken from the cache / walked (tests count them; never part of a result). */
  hits = 0;
  misses = 0;

  /** `enabled` false: every table is walked (tests compare the two). */
  constructor(readonly enabled = true) {}

  /** Table `slot`'s content hash into `h` (two words). */
  table(mem: MemInternals, slot: number): void {
    const st = mem.tabStamp[slot]!;
    if (this.enabled && slot < this.st0.length) {
      if (this.st0[slot] === st) { this.hits++; h.int(this.a0[slot]!); h.int(this.b0[slot]!); return; }
      if (this.st1[slot] === st) {
        this.hits++;
        const a = this.a1[slot]!, b = this.b1[slot]!;
        this.st1[slot] = this.st0[slot]!; this.a1[slot] = this.a0[slot]!; this.b1[slot] = this.b0[slot]!;
        this.st0[slot] = st; this.a0[slot] = a; this.b0[slot] = b;
        h.int(a); h.int(b);
        return;
      }
    }
    this.misses++;
    tableHash(mem.arena, slot);
    if (slot >= this.st0.length) this.grow(slot);
    this.st1[slot] = this.st0[slot]!; this.a1[slot] = this.a0[slot]!; this.b1[slot] = this.b0[slot]!;
    this.st0[slot] = st; this.a0[slot] = th.ra; this.b0[slot] = th.rb;
    h.int(th.ra); h.int(th.rb);
  }

  private grow(slot: number): void {
    let n = Math.max(16, this.st0.length);
    while (n <= slot) n *= 2;
    const f = (x: Float64Array): Float64Array<ArrayBuffer> => { const y = new Float64Array(n); y.set(x); return y; }; // 0: no stamp (stamps start at 1)
    const g = (x: Int32Array): Int32Array<ArrayBuffer> => { const y = new Int32Array(n); y.set(x); return y; };
    this.st0 = f(this.st0); this.st1 = f(this.st1);
    this.a0 = g(this.a0); this.b0 = g(this.b0); this.a1 = g(this.a1); this.b1 = g(this.b1);
  }
}

/** The non-zero entries of the table in `slot` (index, SPTE), into th.ra/rb. */
function tableHash(arena: Int32Array, slot: number): void {
  th.reset();
  const base = slot * 512;
  for (let i = 0; i < 512; i++) { const e = arena[base + i]!; if (e !== 0) { th.int(i); th.int(e); } }
  th.finishInto();
}

function root(r: MmuPage | null): void {
  if (r === null) { h.int(-1); return; }
  h.int(r.pfn); h.bool(r.tdp); h.int(r.role); h.num(r.pgd); h.int(r.refcount); h.bool(r.invalid); h.bool(r.freed); h.int(r.gen); h.bool(r.zapQueued);
}

const sortedSlots: SlotsInternals['slots'] = [];
/** Memslots by id (their list order decides nothing: they never overlap), without allocating. */
function byId(list: SlotsInternals['slots']): SlotsInternals['slots'] {
  if (list.length <= 1) return list;
  sortedSlots.length = 0;
  for (const s of list) {
    let i = sortedSlots.length;
    sortedSlots.push(s);
    while (i > 0 && sortedSlots[i - 1]!.id > s.id) { sortedSlots[i] = sortedSlots[i - 1]!; i--; }
    sortedSlots[i] = s;
  }
  return sortedSlots;
}

function ctx(c: MmuCtx): void { root(c.root); h.int(c.prev.length); for (const r of c.prev) root(r); }

function vcpu(v: Vcpu): void {
  ctx(v.rootMmu); ctx(v.guestMmu);
  h.bool(v.guestMode); h.num(v.ncr3); h.bool(v.smm); h.int(v.requests); h.int(v.pcpu); h.int(v.vmcbCpu); h.int(v.asidGen); h.int(v.asid);
  h.bool(v.tlbCtlFlush); h.int(v.hvRootTdp); h.bool(v.cr4Pge); h.bool(v.cr4Pcide); h.bool(v.cr4Smep); h.int(v.rootPfn);
}

function table(t: IntTable, ordered: boolean): void {
  if (ordered) {
    h.int(t.size);
    for (let p = 0, end = t.end(); p < end; p++) { const k = t.keyAt(p); if (k >= 0) { h.num(k); h.int(t.valueAt(p)); } }
    return;
  }
  for (let p = 0, end = t.end(); p < end; p++) {
    const k = t.keyAt(p);
    if (k < 0) continue;
    const e = set.begin(); e.num(k); e.int(t.valueAt(p)); set.end();
  }
  set.into(h);
}

function pageValues(mem: MemInternals, pfn: number): void {
  const rec = pfn < mem.dataRec.length ? mem.dataRec[pfn] : -1;
  h.int(rec < 0 ? -1 : 1);
  if (rec < 0) return;
  const pv = mem.values;
  const one = pv.slot[rec];
  if (one >= 0) { h.int(one); h.num(pv.value[rec]); return; }
  const base = pv.block[rec] * 512;
  for (let i = 0; i < 512; i++) if (pv.blockHas[base + i]) { h.int(i); h.num(pv.blockVals[base + i]); }
}

function pcpuEntry(d: { gen: number; next: number }, p: number): void { const e = set.begin(); e.int(p); e.int(d.gen); e.int(d.next); set.end(); }

/** The fingerprint of the state; `cache` (optional) skips the tables unchanged since its base. */
export function fingerprint(m: Machine, scope: FingerprintScope, rngState: number, cache?: FingerprintCache): [number, number] {
  h.reset();
  const mem = m.mem as unknown as MemInternals;
  // Allocator. With allocator=any the free list's order chooses nothing (kind marks free pages).
  h.int(mem.nextFresh);
  if (!mem.anyAlloc) { h.int(mem.free.length - mem.freeHead); for (let i = mem.freeHead; i < mem.free.length; i++) h.int(mem.free[i]); }
  h.int(mem.rcu.length); for (const p of mem.rcu) h.int(p);
  // Pages: kind, page-table entries by pfn (not arena slot), stored values.
  const kind = mem.kind, slots = mem.ptSlot, arena = mem.arena;
  for (let pfn = FIRST_PFN; pfn < mem.nextFresh; pfn++) {
    const k = kind[pfn];
    h.int(k);
    const s = slots[pfn];
    if (s >= 0 && k !== KIND_FREE) { // a freed table's stale entries are unreachable until it is reused (and zeroed)
      if (cache) cache.table(mem, s);
      else { tableHash(arena, s); h.int(th.ra); h.int(th.rb); }
    }
    if (scope.values) pageValues(mem, pfn);
  }
  // Memslots (by id: their list order decides nothing, they never overlap) and backings.
  const sl = m.slots as unknown as SlotsInternals;
  const ordered = !mem.anyAlloc; // backing order is the `delete free` order, which the free list keeps
  h.int(sl.slots.length);
  for (const s of byId(sl.slots)) { h.str(s.id); h.num(s.baseGfn); h.int(s.npages); h.bool(s.readonly); h.bool(s.dirtyLog); table(s.backing.pages, ordered); table(s.backing.stash, true); h.bool(s.hugepages); table(s.backing.huge, false); h.int(s.dirtyBitmap ? s.dirtyBitmap.length : -1); if (s.dirtyBitmap) for (let i = 0; i < s.dirtyBitmap.length; i++) if (s.dirtyBitmap[i]) h.int(i); h.int(-1); }
  h.int(sl.kept.size);
  if (sl.kept.size > 0) for (const id of [...sl.kept.keys()].sort()) { const b = sl.kept.get(id)!; h.str(id); table(b.pages, ordered); table(b.stash, true); table(b.huge, false); }
  // Roots: list order is the reuse search order (newest first); queued zaps in queue order.
  const tdp = m.tdp as unknown as TdpInternals;
  h.int(tdp.roots.length); for (const r of tdp.roots) root(r);
  h.int(tdp.zapQueue.length); for (const r of tdp.zapQueue) h.int(r.pfn);
  const lg = m.legacy as unknown as LegacyInternals;
  h.int(lg.mmuValidGen); h.int(lg.roots.length); for (const r of lg.roots) root(r);
  h.int(lg.invalidPages.length); for (const p of lg.invalidPages) h.int(p);
  h.int(lg.invalidRoots.length); for (const r of lg.invalidRoots) h.int(r.pfn);
  // KVM: the common root, ASID generations per pCPU (sorted: a Map's order is creation order).
  const kvm = m.kvm as unknown as KvmInternals;
  h.int(kvm.hvRootTdp);
  // A per-pCPU entry is hashed on its own and summed: the Map's order is creation order.
  kvm.pcpus.forEach(pcpuEntry); // (no [key, value] pair per entry)
  set.into(h);
  h.int(m.vcpus.length); for (const v of m.vcpus) vcpu(v);
  // Hardware TLB in LRU order.
  const tlb = m.tlb as unknown as TlbInternals;
  let n = 0;
  for (let e = tlb.head; e >= 0; e = tlb.next[e]) { h.int(tlb.tag[e]); h.num(tlb.gfn[e]); h.int(tlb.pfn[e]); h.int(tlb.w[e]); h.int(tlb.as[e]); n++; }
  h.int(n);
  // L0 shadows as a set of (address space, gfn) -> (pfn, writable); their LRU order only with a cap.
  // The scan stops at the last live entry: `total` counts them exactly (shadow.ts insert/drop/
  // dropRange keep it; the shadow.entries metric is it).
  const sh = m.shadows as unknown as ShadowInternals;
  for (let i = 0, left = sh.total; left > 0 && i < sh.cap; i++) {
    const ai = sh.asA[i];
    if (ai < 0 || sh.genA[i] !== sh.gen[ai]) continue;
    left--;
    const e = set.begin(); e.int(sh.asValue[ai]); e.num(sh.gfnA[i]); e.int(sh.pfn[i]); e.int(sh.w[i]); set.end();
  }
  set.into(h);
  if (m.cfg.l0Shadows > 0) {
    const order = sh.asValue.map((_, ai) => ai).filter((ai) => sh.count[ai] > 0).sort((x, y) => sh.lastUse[x] - sh.lastUse[y]);
    for (const ai of order) h.int(sh.asValue[ai]);
  }
  h.int(rngState | 0);
  for (const name of scope.metrics) h.num(metric(m, name, 3) * 1000);
  return h.finish();
}
