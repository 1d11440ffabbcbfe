// A seeded generator of valid random scenarios over every statement kind (for invariant tests).
import { Prng } from '../../../src/core/model/prng';

export function randomScenario(seed: number, vcpus: number, steps: number): string[] {
  const rng = new Prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.below(xs.length)];
  const lines: string[] = ['memslot a gpa 0 size 256K', 'memslot b gpa 0x100000 size 64K'];
  const slots = new Map<string, number | null>([['a', 0], ['b', 0x100000], ['c', null]]);
  const smm = new Array<boolean>(vcpus).fill(false);
  const guest = new Array<boolean>(vcpus).fill(false);
  const addr = (): number => pick([0, 0x1000, 0x2000, 0x30000, 0x3f000, 0x100000, 0x101000, 0x200000]);
  for (let i = 0; i < steps; i++) {
    const v = rng.below(vcpus);
    const p = vcpus > 1 ? `vcpu ${v} ` : '';
    const r = rng.below(100);
    if (r < 20) lines.push(`${p}read 0x${addr().toString(16)}`);
    else if (r < 32) lines.push(`${p}write 0x${addr().toString(16)} = ${rng.below(1000)}`);
    else if (r < 38) lines.push(`${p}touch 0 size 256K${rng.below(2) ? ' write' : ''}`);
    else if (r < 44) lines.push(`${p}touch 0 size 256K count 32 random`);
    else if (r < 52) { lines.push(`${p}${smm[v] ? 'rsm' : 'smi'}`); smm[v] = !smm[v]; }
    else if (r < 57) { lines.push(`${p}nested ${guest[v] ? 'vmexit' : 'vmrun'}`); guest[v] = !guest[v]; }
    else if (r < 62) {
      const id = pick(['a', 'b', 'c']);
      const at = slots.get(id);
      if (at === null) {
        const gpa = id === 'a' ? 0 : id === 'b' ? 0x100000 : 0x200000;
        lines.push(`memslot ${id} gpa 0x${gpa.toString(16)} size ${id === 'a' ? '256K' : '64K'}`); slots.set(id, gpa);
      } else { lines.push(`memslot ${id} delete${rng.below(2) ? ' free' : ''}`); slots.set(id, null); }
    } else if (r < 65) {
      const live = [...slots].filter(([, g]) => g !== null).map(([k]) => k);
      if (live.length) lines.push(`memslot ${pick(live)} dirty_log ${pick(['on', 'off'])}`);
    } else if (r < 69) lines.push(`unmap 0x${addr().toString(16)} size ${pick(['4K', '8K', '64K'])}`);
    else if (r < 72) lines.push(`${p}cr4 ${pick(['pge', 'pcide', 'smep'])} ${pick(['on', 'off'])}`);
    else if (r < 75) lines.push(`${p}cr3 0x${(rng.below(16) * 4096).toString(16)}${rng.below(2) ? ' noflush' : ''}`);
    else if (r < 77) lines.push(`${p}avic on`);
    else if (r < 80) lines.push(`${p}migrate`);
    else if (r < 82) { lines.push(`${p}reset`); smm[v] = false; guest[v] = false; }
    else if (r < 86) lines.push(`${p}call ${pick(['kvm_mmu_zap_all_fast', 'kvm_flush_remote_tlbs', 'kvm_mmu_reset_context', 'kvm_mmu_unload', 'kvm_tdp_mmu_zap_invalidated_roots', 'rcu_barrier'])}`);
    else if (r < 90) lines.push(`${p}read 0x${addr().toString(16)}`, `${p}read 0x${addr().toString(16)}`);
    else lines.push(`${p}touch 0x100000 size 64K`);
  }
  return lines;
}
