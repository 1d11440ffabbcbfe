// A seeded generator of hostile `.mmu` files (issue 9): huge numbers and words, sparse and
// huge touches, many memslots, deep nesting, unclosed strings, control characters, big
// sweeps, checkpoints in loops, long expressions and `for` lists, CRLF, BOM. The same seed
// gives the same file.
import { Prng } from '../../src/core/model/prng';

const WORDS = ['smi', 'rsm', 'read 0x1000', 'write 0x1000 = 5', 'checkpoint "c"', 'expect ok', 'print stale', 'migrate', 'reset', 'avic on', 'nested vmrun', 'nested vmexit', 'cr3 0x1000', 'cr4 pge off', 'call kvm_mmu_reset_context'];

/** Odd seeds: anything goes. Even seeds: heavy but valid, so the runner gets them too. */
const GUEST = ['smi', 'rsm', 'read 0x1000', 'write 0x1000 = 5', 'migrate', 'reset', 'nested vmrun', 'cr4 pge off'];

export function hostileFile(seed: number): string {
  const r = new Prng(seed);
  const valid = seed % 2 === 0;
  const pick = <T>(xs: readonly T[]): T => xs[r.below(xs.length)]!;
  const big = (n: number) => pick(['x', '9', '"', '\\"', '{', '}', '#', '\u0000', 'é', ' ']).repeat(n);
  const lines: string[] = [];
  const cfg = pick(['', 'config host=hyperv', 'config host=bare', 'config host=hyperv vcpus=8', 'config tlb_entries=65536', ...(valid ? [] : ['config fix=a host=bare'])]);
  if (cfg) lines.push(cfg);
  const scenarios = 1 + r.below(3);
  for (let s = 0; s < scenarios; s++) {
    lines.push(`scenario "s${valid ? s : s % 2}" {`);
    lines.push('  memslot 1 gpa 0 size ' + pick(['64M', '256M', '0xFFFFFFFFF000', '1G', '4K']));
    const body = 3 + r.below(8);
    const garbage = [4, 6, 8];
    for (let i = 0; i < body; i++) {
      let k = r.below(14);
      if (valid && garbage.includes(k)) k = 13;
      switch (k) {
        case 0: lines.push(`  touch 0 size ${pick(['64M', '0xFFFFFFFFF000', '256M'])} count ${pick(valid ? ['2000000', '0', '1000', '200000'] : ['2000000', '0', '1000', '1000000000', '99999999999'])} random write`); break;
        case 1: lines.push(valid ? `  touch 0 size ${pick(['28G', '64M', '1G'])}${pick(['', ' stride 4096', ' write'])}` : `  touch 0 size ${pick(['0xFFFFFFFFF000', '28G', '64M'])}${pick(['', ' stride 1', ' stride 4096'])}`); break;
        case 2: lines.push(`  repeat ${pick(['64', '1000000000', '3'])} {`, '    checkpoint "c"', '  }'); break;
        case 3: lines.push(`  write 0x1000 = ${valid ? '7' : pick(['0xffffffffffffffff', '18446744073709551616', '1'.repeat(40), '7'])}`); break;
        case 4: lines.push('  ' + big(1 + r.below(200_000))); break;
        case 5: lines.push(`  sweep seed=[${Array.from({ length: 1 + r.below(300) }, (_, k) => k).join(', ')}] tlb_entries=[${Array.from({ length: 1 + r.below(50) }, (_, k) => k + 1).join(', ')}]`); break;
        case 6: lines.push('  ' + '{'.repeat(r.below(100)) + '}'.repeat(r.below(100))); break;
        case 7: for (let j = 0, n = r.below(2000); j < n; j++) lines.push(`  memslot m${s}_${i}_${j} gpa ${0x1000000000000 + (i * 4096 + j) * 4096} size 4K`); break;
        case 8: lines.push(`  scenario "${'\\"'.repeat(r.below(5000))}`); break;
        case 9: lines.push(`  vcpu ${valid ? 0 : r.below(10)} ${pick(valid ? GUEST : WORDS)}`); break;
        case 10: lines.push(`  unmap 0 size ${pick(['64M', '4K', '0xFFFFFFFFF000'])}`); break;
        case 11: lines.push(`  memslot 1 delete${pick([' free', ''])}`, '  memslot 1 gpa 0 size 64M'); break;
        case 12: lines.push(`  repeat ${pick(['1000000000', '100'])} {`, `    ${pick(WORDS)}`, `    ${pick(WORDS)}`, '  }'); break;
        default: lines.push(`  ${pick(WORDS)}`);
      }
    }
    // Long expressions and `for` lists from a second generator, so the lines above (and the
    // seeds that reach the memory budget) stay what they were.
    const e = new Prng(seed * 31 + s);
    const ep = <T>(xs: readonly T[]): T => xs[e.below(xs.length)]!;
    // Valid seeds: a sum of up to 200 small terms (exact, 256 levels deep at most); others: anything up to 5,000 operators.
    if (e.below(2) === 0) lines.push(`  write 0x1000 = ${valid ? Array.from({ length: 1 + e.below(200) }, () => ep(['1', '(2)', '(3 * 4)'])).join(' + ') : Array.from({ length: 1 + e.below(5000) }, () => ep(['1', '(2)', '-3 + 4'])).join(ep([' + ', ' * ', ' << ']))}`);
    if (e.below(2) === 0) lines.push(`  for a in [${Array.from({ length: 1 + e.below(valid ? 64 : 50_000) }, (_, j) => String(j * 8)).join(', ')}] {`, '    write 0x1000 + a % 4096 = a', '  }');
    if (valid || r.below(4) !== 0) lines.push('}');
  }
  const nl = pick(['\n', '\r\n', '\n']);
  return (r.below(5) === 0 ? '\ufeff' : '') + lines.join(nl) + nl;
}
