// L1's tables for one gfn, walked level by level from a root (the stale-use "truth" the
// side panel draws next to the hardware's path). Reads the model's L1 memory like
// pagetable.ts walk() does (same index split: 9 bits per level, level 4 above bit 27);
// stops at the first entry that is not present. Only for the bounded list of stale uses.
import type { Machine } from '../model/machine';
import type { WalkStep } from './result';

export function walkPath(m: Machine, rootPfn: number, gfn: number): WalkStep[] {
  const out: WalkStep[] = [];
  const slots = m.mem.ptSlot;
  let table = rootPfn;
  for (let level = 4; level >= 1; level--) {
    const s = table >= 0 && table < slots.length ? slots[table]! : -1;
    if (s < 0) break;
    const index = level === 4 ? Math.floor(gfn / 134217728) & 511 : (gfn >>> (9 * (level - 1))) & 511;
    const entry = m.mem.arena[s * 512 + index]!;
    out.push({ level, table: table * 4096, index, entry, target: entry === 0 ? null : level === 1 ? m.hostPage(entry >>> 1) : (entry >>> 1) * 4096 });
    if (entry === 0) break;
    table = entry >>> 1;
  }
  return out;
}
