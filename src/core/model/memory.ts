// L1 physical memory (what KVM calls hpa/pfn): the page allocator, the RCU free
// queue, and page contents. Data pages hold the values L2 stored; page-table pages
// hold SPTEs in one Int32Array arena (512 entries per table, no object per entry).
// Domain §2.2: pages come from the kernel allocator and go back through call_rcu, so
// the same L1 page can come back as a later root (nCR3 reuse). §7: LIFO reuse of the
// last-freed page is what triggers the bug; FIFO is the option.

import { PageValues } from './pageValues';
import { PinnedChooser, type AllocChooser } from './allocChoice';
import { ModelBudget } from './budget';
import { POLL_EVERY, RunCancelled } from './cancel';

/** First L1 page handed out (L1 physical 1 MiB; below that is "firmware"). */
export const FIRST_PFN = 0x100;

/** The table-stamp sequence (L1Memory.tabStamp): process-wide and never restored, so two
 *  different table contents never get one stamp. Doubles: exact to 2^53 writes. Not part of
 *  any state or result. */
let stampSeq = 0, stampHigh = 0;
function nextStamp(): number { const s = ++stampSeq; if (s > stampHigh) stampHigh = s; return s; }

/** Re-issuing stamps for a replay: execution is deterministic, so re-running the same op from
 *  the same state writes the same tables in the same order, and may take the stamps its first
 *  run took — the explorer re-runs a node's last move before each child, and this keeps the
 *  node's tables cached (explore/expand.ts). Anything else gets fresh stamps. */
export const tableStamps = {
  /** Before the first run of a replayable op: the mark to replay from. */
  mark(): number { stampSeq = stampHigh; return stampSeq; },
  /** Before a replay of what ran after `mark`, from the state it ran from. */
  replayFrom(mark: number): void { stampSeq = mark; },
  /** After the run or replay (always, also when it threw): fresh stamps again. */
  resume(): void { stampSeq = stampHigh; },
};
/** SPTE encoding: (target pfn << 1) | writable; 0 = not present. */
export const SPTE_W = 1;

export const KIND_FREE = 0;
export const KIND_DATA = 1;
export const KIND_PT = 2;
/** Held by a vCPU's mmu_shadow_page_cache: allocated, not yet a table (pageCache.ts). */
export const KIND_CACHED = 3;

/** Pages of one 2M page (KVM_PAGES_PER_HPAGE(PG_LEVEL_2M)). */
export const HPAGE_PAGES = 512;
/** Bytes per pfn of the per-page arrays (kind, ptSlot, wasRoot, rootOp, dataRec) plus a free-list slot. */
const PFN_BYTES = 1 + 4 + 1 + 4 + 4 + 8;
/** Per-pfn arrays start small and double (grow): the explorer copies them on every restore. */
const INITIAL_PFNS = 2 * FIRST_PFN; // pfns start at FIRST_PFN


export class L1Memory {
  /** Page kind per pfn. */
  kind = new Uint8Array(INITIAL_PFNS);
  /** Table slot of a page-table page, -1 otherwise. */
  ptSlot = new Int32Array(INITIAL_PFNS).fill(-1);
  /** 1 when the page has ever been a root (for roots.recycled). */
  wasRoot = new Uint8Array(INITIAL_PFNS);
  /** Op index of the allocation that last made the page a root, -1 if never. */
  rootOp = new Int32Array(INITIAL_PFNS).fill(-1);
  /** SPTEs of all tables, slot * 512 + index. */
  arena = new Int32Array(512 * 8); // grows by doubling (small states copy cheaply)
  /** Per arena slot: a stamp taken at the last write to its table (setSpte, a slot (re)assigned),
   *  from a process-wide sequence that no restore winds back — so a stamp names one table
   *  content across every state of a process, and the explorer's fingerprint cache rehashes
   *  only tables whose stamp it has not seen (explore/fingerprint.ts). */
  tabStamp = new Float64Array(8);
  private freeSlots: number[] = [];
  private nextSlot = 0;
  /** Values L2 stored: record per pfn (-1 = none) in `values`. Only read/write/verify use them. */
  private dataRec = new Int32Array(INITIAL_PFNS).fill(-1);
  private readonly values: PageValues;
  /** Free pages. LIFO uses it as a stack; FIFO as a queue from `freeHead`. */
  private free: number[] = [];
  private freeHead = 0;
  private nextFresh = FIRST_PFN;
  /** Pages waiting for an RCU grace period (call_rcu). */
  private rcu: number[] = [];
  pagesInUse = 0;
  /** Bumped on every change to any page-table page (SPTE edits, table (re)allocation): a
   *  translation verified against L1's tables at generation g is still the truth while
   *  ptGen === g, so the oracle can skip re-walking on TLB hits (docs/model.md). */
  ptGen = 0;

  /** allocator=any: who picks the page (allocChoice.ts); a scenario's `alloc next` pins by default. */
  chooser: AllocChooser = new PinnedChooser();

  /** Free pages now, ascending (a copy; allocator=any offers `free` itself, pickAny). */
  freePages(): number[] {
    const out = this.free.slice(this.freeHead);
    out.sort((a, b) => a - b);
    return out;
  }

  /** allocator=any: the chooser's pick, taken out of the free list (-1: a fresh page). The
   *  list itself is the options: its order chooses nothing here (take never reads it), so it is
   *  kept ascending (sorted in place only after a free below its last page) and nothing is
   *  copied per allocation, the explorer's most frequent call. */
  private pickAny(): number {
    const free = this.free; // freeHead stays 0: only FIFO takes advance it
    if (this.freeUnsorted) { sortAscending(free); this.freeUnsorted = false; }
    const i = this.chooser.choose(free);
    if (i <= 0 || i > free.length) return -1;
    const pfn = free[i - 1]!;
    for (let j = i - 1; j < free.length - 1; j++) free[j] = free[j + 1]!;
    free.pop(); // (not length--: a runtime call)
    return pfn;
  }
  /** allocator=any: a free below the list's last page broke its ascending order. */
  private freeUnsorted = false;

  /** Every array here grows against this budget (data pages, table pages, values). */
  /** Polled every POLL_EVERY allocations and frees, so a statement that allocates or frees
   *  millions of pages (a 28G touch, `delete free`, `unmap`) stays cancellable. */
  shouldCancel: (() => boolean) | null = null;
  /** Pages allocated and freed so far (each a unit of work between two polls). */
  ticks = 0;

  private tick(): void {
    if ((++this.ticks & (POLL_EVERY - 1)) === 0 && this.shouldCancel !== null && this.shouldCancel()) throw new RunCancelled();
  }

  constructor(private readonly lifo: boolean, readonly budget: ModelBudget = new ModelBudget(), private readonly anyAlloc = false) {
    budget.grow('data', 0, this.kind.length * PFN_BYTES);
    budget.grow('tables', 0, this.arena.length * 4 + this.tabStamp.length * 8);
    this.values = new PageValues(budget);
  }

  private grow(pfn: number): void {
    if (pfn < this.kind.length) return;
    let n = this.kind.length;
    while (n <= pfn) n *= 2;
    this.budget.grow('data', this.kind.length * PFN_BYTES, n * PFN_BYTES);
    const kind = new Uint8Array(n); kind.set(this.kind); this.kind = kind;
    const slot = new Int32Array(n).fill(-1); slot.set(this.ptSlot); this.ptSlot = slot;
    const was = new Uint8Array(n); was.set(this.wasRoot); this.wasRoot = was;
    const rop = new Int32Array(n).fill(-1); rop.set(this.rootOp); this.rootOp = rop;
    const rec = new Int32Array(n).fill(-1); rec.set(this.dataRec); this.dataRec = rec;
  }

  /** Hand out a page, zeroed (its old SPTEs and values are gone). */
  alloc(kind: number): number {
    const pfn = this.take();
    this.setKind(pfn, kind);
    this.pagesInUse++;
    return pfn;
  }

  /** A 2M host page (THP / hugetlbfs) for a `hugepages` memslot: 512 contiguous pages, the first
   *  aligned to 512, all data pages. The buddy allocator hands out an order-9 block; the model takes
   *  it from never-used pages (skipping up to the next 2M boundary), not from the free list of 4K
   *  pages, and never as a choice of allocator=any (docs/model.md). Returns the first pfn. */
  allocHuge(): number {
    const base = Math.ceil(this.nextFresh / HPAGE_PAGES) * HPAGE_PAGES;
    this.grow(base + HPAGE_PAGES - 1);
    this.nextFresh = base + HPAGE_PAGES;
    for (let pfn = base; pfn < base + HPAGE_PAGES; pfn++) {
      this.tick();
      this.setKind(pfn, KIND_DATA);
      this.pagesInUse++;
    }
    return base;
  }

  /** A loop over model state (huge-page splits and collapses) polls for cancellation here. */
  poll(): void { this.tick(); }

  /** A page from a vCPU's mmu_shadow_page_cache becomes a page table as KVM takes it out. */
  cachedToTable(pfn: number): void { this.setKind(pfn, KIND_PT); }

  /** The next free page (LIFO stack or FIFO queue), its old contents released. */
  private take(): number {
    this.tick();
    let pfn: number;
    const picked = this.anyAlloc ? this.pickAny() : -1;
    if (picked >= 0) pfn = picked;
    else if (this.anyAlloc) { pfn = this.nextFresh++; this.grow(pfn); }
    else if (this.free.length > this.freeHead) {
      if (this.lifo) pfn = this.free.pop() as number;
      else {
        pfn = this.free[this.freeHead++];
        if (this.freeHead > 1024 && this.freeHead * 2 > this.free.length) { this.free = this.free.slice(this.freeHead); this.freeHead = 0; }
      }
    } else {
      pfn = this.nextFresh++;
      this.grow(pfn);
    }
    const old = this.ptSlot[pfn];
    if (old >= 0) { this.freeSlots.push(old); this.ptSlot[pfn] = -1; this.ptGen++; }
    const rec = this.dataRec[pfn];
    if (rec >= 0) { this.values.release(rec); this.dataRec[pfn] = -1; }
    return pfn;
  }

  private setKind(pfn: number, kind: number): void {
    this.kind[pfn] = kind;
    if (kind === KIND_PT) {
      let s = this.freeSlots.pop();
      if (s === undefined) {
        s = this.nextSlot++;
        if ((s + 1) * 512 > this.arena.length) {
          this.budget.grow('tables', this.arena.length * 4 + this.tabStamp.length * 8, this.arena.length * 8 + this.tabStamp.length * 16);
          const a = new Int32Array(this.arena.length * 2); a.set(this.arena); this.arena = a;
          const t = new Float64Array(this.tabStamp.length * 2); t.set(this.tabStamp); this.tabStamp = t;
        }
      }
      this.arena.fill(0, s * 512, s * 512 + 512);
      this.tabStamp[s] = nextStamp();
      this.ptSlot[pfn] = s;
      this.ptGen++;
    }
  }

  /** Back to the allocator now (the host freeing memory, legacy commit_zap after its flush). Contents stay until reuse. */
  freeNow(pfn: number): void {
    if (this.kind[pfn] === KIND_FREE) return; // never twice
    this.tick();
    this.kind[pfn] = KIND_FREE;
    this.pagesInUse--;
    if (this.anyAlloc && this.free.length > 0 && pfn < this.free[this.free.length - 1]!) this.freeUnsorted = true;
    this.free.push(pfn);
  }

  /** call_rcu: freed after the next grace period (domain §2.4). */
  freeRcu(pfn: number): void { this.rcu.push(pfn); }

  /** A grace period elapsed (or rcu_barrier): queued pages go back to the allocator, in queue order. */
  drainRcu(): number {
    const n = this.rcu.length;
    if (n === 0) return 0;
    const q = this.rcu; this.rcu = [];
    for (let i = 0; i < n; i++) this.freeNow(q[i]);
    return n;
  }

  rcuPending(): number { return this.rcu.length; }

  isFree(pfn: number): boolean { return pfn >= this.kind.length || this.kind[pfn] === KIND_FREE; }

  /** Writes arena entry `at` (slot * 512 + index): every SPTE store goes through here, so the
   *  table's stamp changes with its content (callers bump ptGen as the oracle needs). */
  setSpte(at: number, value: number): void {
    this.arena[at] = value;
    this.tabStamp[at >> 9] = nextStamp();
  }

  /** 8-byte load at `offset` in the page: a stored value, or the raw SPTE for a page-table page. */
  read(pfn: number, offset: number): number {
    const idx = Math.floor(offset / 8) & 511;
    if (pfn >= this.ptSlot.length) return 0;
    const rec = this.dataRec[pfn];
    if (rec >= 0 && this.values.has(rec, idx)) return this.values.valueOf(rec, idx);
    const s = this.ptSlot[pfn];
    return s >= 0 ? this.arena[s * 512 + idx] : 0;
  }

  /** 8-byte store. A store that lands on a page-table page (through a stale translation) is kept
   *  as data and does not rewrite the SPTE, so the model's own trees stay consistent (docs/model.md). */
  write(pfn: number, offset: number, value: number): void {
    const idx = Math.floor(offset / 8) & 511;
    this.grow(pfn);
    const rec = this.dataRec[pfn];
    if (rec < 0) this.dataRec[pfn] = this.values.create(idx, value);
    else this.values.write(rec, idx, value);
  }

  /** The values of a page, detached as a record (-1: none) (host page migration keeps the data: unmap). */
  takeData(pfn: number): number {
    if (pfn >= this.dataRec.length) return -1;
    const rec = this.dataRec[pfn];
    this.dataRec[pfn] = -1;
    return rec;
  }

  /** Attach a record from `takeData` to a page (-1: nothing to attach). */
  putData(pfn: number, rec: number): void {
    if (rec < 0) return;
    this.grow(pfn);
    const old = this.dataRec[pfn];
    if (old >= 0) this.values.release(old);
    this.dataRec[pfn] = rec;
  }

  /** A detached record that will never be attached again (its stash was dropped). */
  dropData(rec: number): void {
    if (rec >= 0) this.values.release(rec);
  }
}

/** In place, ascending; insertion sort for the short lists of explorations (the builtin copies
 *  the array into a work area on every call). */
function sortAscending(a: number[]): void {
  if (a.length > 64) { a.sort((x, y) => x - y); return; }
  for (let i = 1; i < a.length; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) { a[j + 1] = a[j]!; j--; }
    a[j + 1] = v;
  }
}
