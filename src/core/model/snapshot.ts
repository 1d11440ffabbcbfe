// checkpoint snapshots: roots, L0 shadows with stale counts, TLB and shadow entries,
// memslots and the page-table trees of live roots (bounded), plain data (result.ts).
import type { MemslotRow, PageTableNode, RootRow, ShadowEntryRow, ShadowRow, Snapshot, TlbRow } from '../run/result';
import type { Machine } from './machine';
import { walk } from './pagetable';
import { roleText, type MmuPage } from './types';
import { allMetrics } from './metrics';

const MAX_TLB_ROWS = 4096;
const MAX_SHADOW_ROWS = 4096;
const MAX_TREES = 8;
const MAX_TREE_NODES = 64;

function rootRow(m: Machine, r: MmuPage): RootRow {
  const loadedBy: number[] = [];
  for (const v of m.vcpus) if (v.rootMmu.root === r || v.guestMmu.root === r) loadedBy.push(v.id);
  const line = (op: number): number => m.ops[op]?.range.start.line ?? -1;
  return {
    hpa: r.pfn * 4096, mmu: r.tdp ? 'tdp' : 'legacy', role: roleText(r.role), refcount: r.refcount,
    state: r.freed ? 'freed' : m.isObsolete(r) ? 'invalid' : 'valid',
    createdLine: line(r.createdOp), recycledFromLine: r.recycledFromOp >= 0 ? line(r.recycledFromOp) : null,
    loadedBy, blamed: r.blamed,
  };
}

function tree(m: Machine, pfn: number, level: number, budget: { n: number }): PageTableNode {
  budget.n--;
  const entries: { index: number; spte: number; target: number; leaf: boolean }[] = [];
  const children: PageTableNode[] = [];
  const s = m.mem.ptSlot[pfn];
  if (s >= 0) {
    for (let i = 0; i < 512; i++) {
      const e = m.mem.arena[s * 512 + i];
      if (e === 0) continue;
      const leaf = level === 1;
      entries.push({ index: i, spte: e, target: (leaf ? m.hostPage(e >>> 1) : e >>> 1) * 4096, leaf });
      if (!leaf && budget.n > 0) children.push(tree(m, e >>> 1, level - 1, budget));
    }
  }
  return { hpa: pfn * 4096, level, entries, children };
}

export function takeSnapshot(m: Machine, label: string, line: number, step: number, ghz: number): Snapshot {
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
    const t = walk(m.mem, asPfn[ai], gfn);
    const stale = (t >>> 1) !== m.shadows.pfn[slot] || (m.shadows.w[slot] === 1 && (t & 1) === 0);
    if (stale) staleBy.set(ai, (staleBy.get(ai) ?? 0) + 1);
    if (shadowEntries.length < MAX_SHADOW_ROWS) {
      shadowEntries.push({ as: asPfn[ai] * 4096, gfn, hostPage: m.hostPage(m.shadows.pfn[slot]), filledLine: line0(m.shadows.fillOp[slot]), stale });
    }
  });
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
    if (tlb.length >= MAX_TLB_ROWS) return;
    const v = m.vcpus[m.tlb.vcpu[e]];
    const t = v ? walk(m.mem, v.rootPfn, m.tlb.gfn[e]) : 0;
    tlb.push({
      vcpu: m.tlb.vcpu[e], asid: m.tlb.tag[e] & 4095, gfn: m.tlb.gfn[e], hostPage: m.hostPage(m.tlb.pfn[e]),
      as: m.tlb.as[e] * 4096, filledLine: line0(m.tlb.fillOp[e]), stale: (t >>> 1) !== m.tlb.pfn[e],
    });
  });

  const memslots: MemslotRow[] = m.slots.slots.map((s) => ({
    id: s.id, gpa: s.baseGfn * 4096, size: s.npages * 4096, readonly: s.readonly, dirtyLog: s.dirtyLog, backed: s.backing.pages.size,
  }));

  const pageTables = live.filter((r) => !r.freed).slice(0, MAX_TREES).map((r) => ({ root: r.pfn * 4096, tree: tree(m, r.pfn, 4, { n: MAX_TREE_NODES }) }));
  return { label, line, step, roots, shadows, tlb, shadowEntries, memslots, pageTables, metrics: allMetrics(m, ghz) };
}
