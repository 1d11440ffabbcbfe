// The machine as a tree of named values for the debugger's Variables view and Evaluate:
// per-vCPU state, L1 roots, L0 shadows, the TLB, memslots and metrics. Read-only: lookups
// that move LRU state (Tlb.lookup, Shadows.lookup) are not used, so inspecting a stop never
// changes the run that re-execution reproduces. Rows reuse the panel's snapshot (model/snapshot.ts).
import type { Machine } from '../model/machine';
import type { Snapshot } from '../run/result';
import { takeSnapshot } from '../model/snapshot';
import { METRIC_ORDER, metric } from '../model/metrics';
import { walk } from '../model/pagetable';
import {
  REQ_FREE_OBSOLETE_ROOTS, REQ_LOAD_MMU_PGD, REQ_MMU_RELOAD, REQ_MMU_SYNC, REQ_TLB_FLUSH, REQ_TLB_FLUSH_CURRENT, REQ_TLB_FLUSH_GUEST,
  currentMmu, roleText, type MmuPage, type Vcpu,
} from '../model/types';

export interface VarNode {
  readonly name: string;
  readonly value: string;
  readonly children?: readonly VarNode[];
}

/** Rows listed under one expandable node; the rest are summarised. */
const MAX_ROWS = 200;

const hx = (n: number): string => (n < 0 ? String(n) : '0x' + n.toString(16));
const leaf = (name: string, value: string | number | boolean): VarNode => ({ name, value: String(value) });

const REQUESTS: readonly [number, string][] = [
  [REQ_MMU_RELOAD, 'KVM_REQ_MMU_RELOAD'], [REQ_FREE_OBSOLETE_ROOTS, 'KVM_REQ_MMU_FREE_OBSOLETE_ROOTS'], [REQ_MMU_SYNC, 'KVM_REQ_MMU_SYNC'],
  [REQ_LOAD_MMU_PGD, 'KVM_REQ_LOAD_MMU_PGD'], [REQ_TLB_FLUSH, 'KVM_REQ_TLB_FLUSH'], [REQ_TLB_FLUSH_CURRENT, 'KVM_REQ_TLB_FLUSH_CURRENT'],
  [REQ_TLB_FLUSH_GUEST, 'KVM_REQ_TLB_FLUSH_GUEST'],
];

export function requestNames(bits: number): string[] { return REQUESTS.filter(([b]) => (bits & b) !== 0).map(([, n]) => n); }

function lineOf(m: Machine, op: number): string { const o = m.ops[op]; return o ? `line ${o.range.start.line + 1}` : '—'; }

function rootState(m: Machine, r: MmuPage): string { return r.freed ? 'freed' : (r.tdp ? r.invalid : m.legacy.isObsolete(r)) ? 'invalid' : 'valid'; }

export function rootSummary(m: Machine, r: MmuPage | null): string {
  if (!r) return 'INVALID_PAGE';
  return `#${r.id} ${hx(r.pfn * 4096)} ${rootState(m, r)}${r.recycledFromOp >= 0 ? ' (recycled page)' : ''}`;
}

export function rootNode(m: Machine, r: MmuPage, name = `#${r.id}`): VarNode {
  return {
    name, value: `${hx(r.pfn * 4096)} ${r.tdp ? 'tdp' : 'legacy'} ${rootState(m, r)} refcount ${r.refcount}`,
    children: [
      leaf('id', r.id), leaf('page (nCR3)', hx(r.pfn * 4096)), leaf('role', roleText(r.role)), leaf('refcount', r.refcount),
      leaf('state', rootState(m, r)), leaf('created', lineOf(m, r.createdOp)),
      leaf('page was a root before', r.recycledFromOp >= 0 ? `yes, allocated at ${lineOf(m, r.recycledFromOp)}` : 'no'),
      ...(r.invalidatedOp >= 0 ? [leaf('invalidated', lineOf(m, r.invalidatedOp))] : []),
      ...(r.freed ? [leaf('freed', lineOf(m, r.freedOp))] : []),
      ...(r.tdp ? [leaf('zap queued', r.zapQueued)] : [leaf('mmu_valid_gen', r.gen)]),
    ],
  };
}

export function vcpuMode(v: Vcpu): string { return `${v.guestMode ? 'L3 (guest mode)' : 'L2'}${v.smm ? ' in SMM' : ''}`; }

export function vcpuNode(m: Machine, v: Vcpu): VarNode {
  const mmu = currentMmu(v);
  const r = mmu.root;
  const reqs = requestNames(v.requests);
  return {
    name: `vCPU ${v.id}`, value: `${vcpuMode(v)}, root ${rootSummary(m, r)}`,
    children: [
      leaf('mode', vcpuMode(v)),
      leaf('mmu', v.guestMode ? 'guest_mmu (nested NPT)' : 'root_mmu'),
      r ? rootNode(m, r, 'root') : leaf('root', 'INVALID_PAGE'),
      leaf('nCR3', v.rootPfn >= 0 ? hx(v.rootPfn * 4096) : 'none'),
      leaf('ASID', v.asid), leaf('asid_generation', v.asidGen), leaf('pCPU', v.pcpu),
      { name: 'requests', value: reqs.length ? reqs.join(' | ') : 'none', children: reqs.map((n, i) => leaf(String(i), n)) },
      { name: 'prev_roots', value: mmu.prev.map((p) => (p ? `#${p.id}` : '—')).join(', '), children: mmu.prev.map((p, i) => (p ? rootNode(m, p, `[${i}]`) : leaf(`[${i}]`, 'INVALID_PAGE'))) },
      leaf('hv_root_tdp', v.hvRootTdp >= 0 ? hx(v.hvRootTdp * 4096) : 'INVALID_PAGE'),
      leaf('tlb_ctl FLUSH_ASID pending', v.tlbCtlFlush),
      leaf('CR4', `PGE=${+v.cr4Pge} PCIDE=${+v.cr4Pcide} SMEP=${+v.cr4Smep}`),
      ...(v.guestMode || v.ncr3 !== 0 ? [leaf('L3 nCR3 (from L2)', hx(v.ncr3))] : []),
    ],
  };
}

function capped<T>(rows: readonly T[], f: (r: T, i: number) => VarNode): VarNode[] {
  const out = rows.slice(0, MAX_ROWS).map(f);
  if (rows.length > MAX_ROWS) out.push(leaf('…', `${rows.length - MAX_ROWS} more`));
  return out;
}

export function shadowNode(snap: Snapshot, as: number): VarNode | null {
  const s = snap.shadows.find((x) => x.as === as);
  if (!s) return null;
  const entries = snap.shadowEntries.filter((e) => e.as === as);
  return {
    name: `shadow[${hx(as)}]`, value: `${s.entries} entries, ${s.stale} stale`,
    children: [
      leaf('nCR3', hx(as)), leaf('entries', s.entries), leaf('stale entries', s.stale),
      leaf('last flushed', s.lastFlushedLine === null ? 'never' : `line ${s.lastFlushedLine + 1}`),
      { name: 'translations', value: `${entries.length}`, children: capped(entries, (e) => leaf(`gfn ${hx(e.gfn)}`, `host ${hx(e.hostPage * 4096)}${e.stale ? ' STALE' : ''} (filled line ${e.filledLine + 1})`)) },
    ],
  };
}

export interface Scope { readonly name: string; readonly nodes: readonly VarNode[]; readonly expensive: boolean }

/** The Variables view at a stop: one scope per vCPU, then VM-wide state. */
export function scopes(m: Machine, ghz: number): Scope[] {
  const snap = takeSnapshot(m, '', 0, 0, ghz);
  const out: Scope[] = m.vcpus.map((v) => ({ name: `vCPU ${v.id}: ${vcpuMode(v)}`, nodes: vcpuNode(m, v).children ?? [], expensive: false }));
  const live = m.cfg.tdpMmu ? m.tdp.roots : m.legacy.roots;
  const freed = [...m.roots.values()].filter((r) => r.freed).slice(-20);
  out.push({ name: 'L1 roots', nodes: [...live.map((r) => rootNode(m, r)), ...freed.map((r) => rootNode(m, r))], expensive: false });
  out.push({ name: 'L0 shadows', nodes: snap.shadows.map((s) => shadowNode(snap, s.as)!), expensive: false });
  const staleTlb = snap.tlb.filter((t) => t.stale).length;
  out.push({
    name: 'TLB', expensive: false, nodes: [
      leaf('summary', `${m.tlb.size} entries, ${staleTlb} stale`),
      { name: 'entries', value: `${snap.tlb.length}`, children: capped(snap.tlb, (t) => leaf(`vCPU ${t.vcpu} ASID ${t.asid} gfn ${hx(t.gfn)}`, `host ${hx(t.hostPage * 4096)} via ${hx(t.as)}${t.stale ? ' STALE' : ''}`)) },
    ],
  });
  out.push({ name: 'Memslots', expensive: false, nodes: snap.memslots.map((s) => ({ name: s.id, value: `gpa ${hx(s.gpa)} size ${hx(s.size)}${s.readonly ? ' readonly' : ''}${s.dirtyLog ? ' dirty_log' : ''}`, children: [leaf('gpa', hx(s.gpa)), leaf('size', hx(s.size)), leaf('readonly', s.readonly), leaf('dirty_log', s.dirtyLog), leaf('backed pages', s.backed)] })) });
  out.push({ name: 'Metrics', expensive: false, nodes: METRIC_ORDER.map((n) => leaf(n, metric(m, n, ghz))) });
  return out;
}

/** `translate GPA [vcpu N]`: the hardware path (TLB, then L0's shadow) beside L1's tables (the truth). */
export function translate(m: Machine, v: Vcpu, gpa: number): VarNode {
  const gfn = Math.floor(gpa / 4096);
  let tlb: VarNode = leaf('TLB', 'miss');
  let tlbPfn = -1;
  m.tlb.forEach((e) => {
    if (m.tlb.tag[e] === v.tag && m.tlb.gfn[e] === gfn && (!m.cfg.vmx || m.tlb.as[e] === v.rootPfn)) {
      tlbPfn = m.tlb.pfn[e]!;
      tlb = leaf('TLB', `hit: host ${hx(m.hostPage(tlbPfn) * 4096)} (filled ${lineOf(m, m.tlb.fillOp[e]!)})`);
    }
  });
  let shadow: VarNode = leaf('L0 shadow', m.cfg.hyperv ? (v.rootPfn >= 0 ? `shadow[${hx(v.rootPfn * 4096)}]: no entry` : 'no nCR3') : 'host=bare: no L0');
  let shadowPfn = -1;
  if (m.cfg.hyperv && v.asIdx >= 0) {
    m.shadows.forEach((ai, g, slot) => {
      if (ai === v.asIdx && g === gfn) { shadowPfn = m.shadows.pfn[slot]!; shadow = leaf('L0 shadow', `shadow[${hx(v.rootPfn * 4096)}]: host ${hx(m.hostPage(shadowPfn) * 4096)}`); }
    });
  }
  const t = walk(m.mem, v.rootPfn, gfn);
  const truth = t === 0 ? 'unmapped' : `L1 page ${hx((t >>> 1) * 4096)} = host ${hx(m.hostPage(t >>> 1) * 4096)}${t & 1 ? '' : ' (read-only)'}`;
  const hwPfn = tlbPfn >= 0 ? tlbPfn : shadowPfn;
  const stale = hwPfn >= 0 && (t === 0 || (t >>> 1) !== hwPfn);
  const hw = hwPfn >= 0 ? `host ${hx(m.hostPage(hwPfn) * 4096)} (${tlbPfn >= 0 ? 'TLB hit' : 'L0 shadow'})` : 'no translation (the next access faults)';
  return {
    name: `translate ${hx(gpa)}`, value: `${stale ? 'STALE: ' : ''}hardware ${hw}; L1 says ${truth}`,
    children: [leaf('vCPU', v.id), leaf('root (nCR3)', v.rootPfn >= 0 ? hx(v.rootPfn * 4096) : 'none'), tlb, shadow, leaf('L1 tables (truth)', truth), leaf('stale', stale)],
  };
}
