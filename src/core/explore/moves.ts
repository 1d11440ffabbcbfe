// The explorer's moves: a step of the `steps` block plus the allocator picks it made
// (allocator=any). A move is encoded as integers — step, number of picks, the picks (option
// indices: 0 = fresh, i = the i-th free page ascending) — so paths are typed arrays. Which
// steps are enabled in a state is decided here, from the model's state (docs/explore.md).
import type { Op } from '../lang/ops';
import type { Machine } from '../model/machine';
import type { AllocChooser } from '../model/allocChoice';
import type { Session } from '../run/session';

export interface Move {
  readonly step: number;
  /** Option index of each allocation the step made, in order. */
  readonly picks: readonly number[];
}

/** Answers allocations from a script of option indices; past the script, option 0 (fresh).
 *  Records every choice point met: how many options it had and the page it handed out. */
export class ScriptChooser implements AllocChooser {
  /** Choice points met so far: entries [0, pos) of the arrays below are this step's (a reused
   *  chooser keeps older entries past pos: truncating an array is a slow runtime call). */
  pos = 0;
  readonly options: number[] = [];
  readonly taken: number[] = [];
  /** The page each pick handed out (-1 = fresh), for pinning in the counterexample. */
  readonly pages: number[] = [];
  constructor(private script: readonly number[] = []) {}
  /** Ready for another step (one chooser serves a whole search: no arrays per step). */
  reset(script: readonly number[]): this {
    this.script = script; this.pos = 0;
    return this;
  }
  choose(free: readonly number[]): number {
    const i = this.pos++;
    const n = free.length + 1;
    let pick = i < this.script.length ? this.script[i]! : 0;
    if (pick >= n) pick = 0;
    this.options[i] = n; this.taken[i] = pick; this.pages[i] = pick === 0 ? -1 : free[pick - 1]!;
    return pick;
  }
  /** The next pick vector in odometer order (last choice point fastest), or null after the last. */
  nextScript(): number[] | null {
    for (let j = this.pos - 1; j >= 0; j--) {
      if (this.taken[j]! + 1 < this.options[j]!) return [...this.taken.slice(0, j), this.taken[j]! + 1];
    }
    return null;
  }
}

function overlaps(m: Machine, self: string | null, baseGfn: number, npages: number): boolean {
  for (const s of m.slots.slots) if (s.id !== self && baseGfn < s.baseGfn + s.npages && s.baseGfn < baseGfn + npages) return true;
  return false;
}

/** Whether `op` can run in the machine's current state (a disabled step is skipped, not an error). */
export function enabled(m: Machine, op: Op): boolean {
  switch (op.k) {
    case 'memslot_create': return m.slots.byId(op.slot) === null && !overlaps(m, null, Math.floor(op.gpa / 4096), Math.max(1, Math.ceil(op.size / 4096)));
    case 'memslot_delete': return m.slots.byId(op.slot) !== null;
    case 'memslot_move': { const s = m.slots.byId(op.slot); return s !== null && s.baseGfn !== Math.floor(op.gpa / 4096) && !overlaps(m, s.id, Math.floor(op.gpa / 4096), s.npages); }
    case 'memslot_dirty_log': { const s = m.slots.byId(op.slot); return s !== null && s.dirtyLog !== op.on; }
    case 'rcu': return m.mem.rcuPending() > 0;
    case 'zap_worker': return m.tdp.pendingZaps() > 0;
    case 'call': return op.fn === 'rcu_barrier' ? m.mem.rcuPending() > 0 : op.fn === 'kvm_tdp_mmu_zap_invalidated_roots' ? m.tdp.pendingZaps() > 0 : true;
    default: break;
  }
  if (!('vcpu' in op)) return true;
  const v = m.vcpus[op.vcpu];
  if (!v) return false;
  switch (op.k) {
    case 'smi': return !v.smm;
    case 'rsm': return v.smm;
    case 'nested': return op.dir === 'vmrun' ? !v.guestMode : v.guestMode;
    default: return true;
  }
}

/** Runs step `step` (op index `opIndex`) with the allocator answering from `script`, through
 *  `reuse` if given (its picks are then valid until its next step). */
export function runStep(s: Session, opIndex: number, script: readonly number[], reuse?: ScriptChooser): ScriptChooser {
  const ch = reuse ? reuse.reset(script) : new ScriptChooser(script);
  s.m.mem.chooser = ch;
  s.execute(opIndex);
  return ch;
}

/** Encoding: [step, picks.length, ...picks]. */
export function encodeMove(out: number[], step: number, picks: readonly number[]): void {
  out.push(step, picks.length);
  for (const p of picks) out.push(p);
}

export function decodeMoves(a: ArrayLike<number>, from = 0, to = a.length): Move[] {
  const out: Move[] = [];
  for (let i = from; i < to;) {
    const step = a[i]!, n = a[i + 1]!;
    const picks: number[] = [];
    for (let j = 0; j < n; j++) picks.push(a[i + 2 + j]!);
    out.push({ step, picks });
    i += 2 + n;
  }
  return out;
}

/** Canonical order of move sequences (the BFS generation order): shorter first, then by step, then picks. */
export function compareMoves(a: readonly Move[], b: readonly Move[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if (x.step !== y.step) return x.step - y.step;
    const n = Math.min(x.picks.length, y.picks.length);
    for (let j = 0; j < n; j++) if (x.picks[j] !== y.picks[j]) return x.picks[j]! - y.picks[j]!;
    if (x.picks.length !== y.picks.length) return x.picks.length - y.picks.length;
  }
  return 0;
}
