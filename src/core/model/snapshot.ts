// checkpoint snapshots: roots, L0 shadows with stale counts, TLB and shadow entries,
// memslots and the page-table trees of live roots (bounded), plain data (result.ts).
// Loops over state poll for cancellation; a table node whose entries and children did
// not change since the previous snapshot is the same object (TreeCache), so 64
// checkpoints of an unchanged 8-vCPU tree hold one copy, and only new nodes count as rows.
import type { MemslotRow, PageTableNode, RootRow, ShadowEntryRow, ShadowRow, Snapshot, TlbRow } from '../run/result';
import type { Machine } from './machine';
import { walk } from './pagetable';
import { roleText, type MmuPage } from './types';
import { allMetrics } from './metrics';
import { POLL_EVERY, RunCancelled, type WorkMeter } from './cancel';

const MAX_TLB_ROWS = 4096;
const MAX_SHADOW_ROWS = 4096;
const MAX_TREES = 8;
const MAX_TREE_NODES = 64;
const MAX_MEMSLOT_ROWS = 4096;

interface CachedNode { readonly node: PageTableNode; readonly sptes: Int32Array }

/** Table nodes of the previous snapshot by table pfn, for sharing; counts the rows it built new. */
export class TreeCache {
  private prev = new Map<number, CachedNode>();
  private next = new Map<number, CachedNode>();
  /** Tree entries of nodes built (not shared) by the last snapshot. */
  newRows = 0;

  begin(): void { this.next = new Map(); this.newRows = 0; }
  end(): void { this.prev = this.next; }

  /** The previous snapshot's node for pfn when its entries and children are unchanged. */
  reuse(pfn: number, level: number, sptes: Int32Array, off: number, children: readonly PageTableNode[]): PageTableNode | null {
    const c = this.prev.get(pfn);
    if (!c || c.node.level !== level || c.node.children.length !== children.length) return null;
    for (let i = 0; i < 512; i++) if (c.sptes[i] !== sptes[off + i]) return null;
    for (let i = 0; i < children.length; i++) if (c.node.children[i] !== children[i]) return null;
    this.next.set(pfn, c);
    return c.node;
  }

  keep(pfn: number, node: PageTableNode, sptes: Int32Array, off: number): void {
    this.next.set(pfn, { node, sptes: sptes.slice(off, off + 512) });
    this.newRows += node.entries.length + 1;
  }
}

/** What a snapshot may use from its run: a cancel poll and the tree cache. */
export interface SnapshotContext {
  readonly shouldCancel?: () => boolean;
  readonly trees?: TreeCache;
  /** Counts the entries walked. */
  readonly work?: WorkMeter;
}

/** Rows a snapshot holds: every table row, tree entries counted only for nodes it built new. */
export function snapshotRows(s: Snapshot, trees?: TreeCache): number {
  const treeRows = trees ? trees.newRows : s.pageTables.reduce((n, t) => n + countNodes(t.tree), 0);
  return s.roots.length + s.shadows.length + s.tlb.length + s.shadowEntries.length + s.memslots.length + treeRows;
}

function countNodes(n: PageTableNode): number {
  let k = n.entries.length + 1;
  for (const c of n.children) k += countNodes(c);
  return k;
}

function rootRow(m: Machine, r: MmuPage): RootRow {
  const loadedBy: number[] = [];
  for (const v of m.vcpus) if (v.rootMmu.root === r || v.guestMmu.root === r) loadedBy.push(v.id);
  const line = (op: number): number => m.ops[op]?.range.start.line ?? -1;
  return {
    hpa: r.pfn * 4096, mmu: r.tdp ? 'tdp' : 'legacy', role: roleText(r.role), refcount: r.refcount,
    state: r.freed ? 'freed' : m.isObsolete(r) ? 'invalid' : 'valid',
    createdLine: line(r.createdOp), recycledFromLine: r.recycledFromOp >= 0 ? line(r.recycledFromOp) : null,
    loadedBy, blamed: r.blamed, id: r.id,
  };
}

function tree(m: Machine, pfn: number, level: number, budget: { n: number }, cache: TreeCache | undefined): PageTableNode {
  budget.n--;
  const children: PageTableNode[] = [];
  const s = m.mem.ptSlot[pfn];
  if (s < 0) return { hpa: pfn * 4096, level, entries: [], children };
  const arena = m.mem.arena;
  if (level > 1) {
    for (let i = 0; i < 512 && budget.n > 0; i++) {
      const e = arena[s * 512 + i];
      if (e !== 0) children.push(tree(m, e >>> 1, level - 1, budget, cache));
    }
  }
  const shared = cache?.reuse(pfn, level, m.mem.arena, s * 512, children);
  if (shared) return shared;
  const entries: { index: number; spte: number; target: number; leaf: boolean }[] = [];
  for (let i = 0; i < 512; i++) {
    const e = arena[s * 512 + i];
    if (e === 0) continue;
    const leaf = level === 1;
    entries.push({ index: i, spte: e, target: (leaf ? m.hostPage(e >>> 1) : e >>> 1) * 4096, leaf });
  }
  const node = { hpa: pfn * 4096, level, entries, children };
  cache?.keep(pfn, node, arena, s * 512);
  return node;
}

export function takeSnapshot(m: Machine, label: string, line: number, step: number, ghz: number, ctx: SnapshotContext = {}): Snapshot {
  const cancel = ctx.shouldCancel;
  let ticks = 0;
  const work = ctx.work;
  const poll = (): void => {
    if (work) work.snapshotEntries++;
    if (cancel && (++ticks & (POLL_EVERY - 1)) === 0 && cancel()) throw new RunCancelled();
  };
  const live = m.liveRoots();
  const seen = new Set<number>();
  const roots: RootRow[] = [];
  for (const r of live) { roots.push(rootRow(m, r)); seen.add(r.id); }
  for (const r of m.roots.values()) if (!seen.has(r.id) && r.freed) roots.push(rootRow(m, r));

  const line0 = (op: number): number => m.ops[op]?.range.start.line ?? -1;
  const shadowEntries: ShadowEntryRow[] = [];
  const staleBy = new Map<number, number>();
  const asPfn = m.shadows.asValue;
  m.shadows.forEach((ai, gfn, slot) => {
    poll();
    const t = walk(m.mem, asPfn[ai], gfn);
    const stale = (t >>> 1) !== m.shadows.pfn[slot] || (m.shadows.w[slot] === 1 && (t & 1) === 0);
    if (stale) staleBy.set(ai, (staleBy.get(ai) ?? 0) + 1);
    if (shadowEntries.length < MAX_SHADOW_ROWS) {
      shadowEntries.push({ as: asPfn[ai] * 4096, gfn, hostPage: m.hostPage(m.shadows.pfn[slot]), filledLine: line0(m.shadows.fillOp[slot]), stale, fillStep: m.shadows.fillStep[slot] });
    }
  });
  // By address space, then gfn: the table's slot order depends on its capacity (it doubles).
  shadowEntries.sort((a, b) => a.as - b.as || a.gfn - b.gfn);
  const shadows: ShadowRow[] = [];
  for (let ai = 0; ai < asPfn.length; ai++) {
    if (m.shadows.count[ai] === 0 && m.shadows.lastFlushOp[ai] < 0) continue;
    shadows.push({
      as: asPfn[ai] * 4096, entries: m.shadows.count[ai], stale: staleBy.get(ai) ?? 0,
      lastFlushedLine: m.shadows.lastFlushOp[ai] >= 0 ? line0(m.shadows.lastFlushOp[ai]) : null,
    });
  }

  const tlb: TlbRow[] = [];
  m.tlb.forEach((e) => {
    poll();
    if (tlb.length >= MAX_TLB_ROWS) return;
    const v = m.vcpus[m.tlb.vcpu[e]];
    const t = v ? walk(m.mem, v.rootPfn, m.tlb.gfn[e]) : 0;
    tlb.push({
      vcpu: m.tlb.vcpu[e], asid: m.tlb.tag[e] & 4095, gfn: m.tlb.gfn[e], hostPage: m.hostPage(m.tlb.pfn[e]),
      as: m.tlb.as[e] * 4096, filledLine: line0(m.tlb.fillOp[e]), stale: (t >>> 1) !== m.tlb.pfn[e], fillStep: m.tlb.fillStep[e],
    });
  });

  const memslots: MemslotRow[] = m.slots.slots.slice(0, MAX_MEMSLOT_ROWS).map((s) => ({
    id: s.id, gpa: s.baseGfn * 4096, size: s.npages * 4096, readonly: s.readonly, dirtyLog: s.dirtyLog, backed: s.backing.pages.size,
  }));

  ctx.trees?.begin();
  const pageTables = live.filter((r) => !r.freed).slice(0, MAX_TREES).map((r) => ({ root: r.pfn * 4096, tree: tree(m, r.pfn, 4, { n: MAX_TREE_NODES }, ctx.trees) }));
  ctx.trees?.end();
  return { label, line, step, roots, shadows, tlb, shadowEntries, memslots, pageTables, metrics: allMetrics(m, ghz) };
}
