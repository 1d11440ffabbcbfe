// Simulator throughput (issue 3 "Speed"): simulated L2 accesses per second with the
// oracle on and the trace off, on a TLB-hit-heavy and a miss-heavy workload, each next
// to a bare typed-array TLB loop measured in the same process. Never asserted in tests.
import { analyze } from '../src/core/lang/index';
import { runScenario } from '../src/core/run/index';

const quick = process.env.MMU_BENCH_QUICK === '1';

function compile(text: string) {
  const a = analyze(text);
  if (a.diagnostics.some((d) => d.severity === 'error')) throw new Error(a.diagnostics.map((d) => d.message).join('; '));
  return a.compiled.scenarios[0];
}

/** Accesses/s of a touch-only scenario body (after a warm-up touch that is not timed). */
function simRate(warm: string, timed: string, accesses: number): number {
  const setup = compile(`scenario "w" {\n  memslot ram gpa 0 size 256M\n  ${warm}\n}\n`);
  runScenario(setup); // JIT warm-up
  const s = compile(`scenario "b" {\n  memslot ram gpa 0 size 256M\n  ${warm}\n  ${timed}\n}\n`);
  const w = compile(`scenario "w" {\n  memslot ram gpa 0 size 256M\n  ${warm}\n}\n`);
  let best = Infinity;
  for (let rep = 0; rep < (quick ? 1 : 3); rep++) {
    const t0 = performance.now(); runScenario(w); const t1 = performance.now();
    runScenario(s); const t2 = performance.now();
    best = Math.min(best, (t2 - t1) - (t1 - t0)); // subtract the warm-up part
  }
  return accesses / (Math.max(best, 1e-3) / 1000);
}

/** The baseline: a bare 8-way x 256-set TLB in typed arrays with LRU stamps (the model of
 *  performance-anchors.md §3.2): the same lookups, none of the simulator around them. */
function bareTlbRate(accesses: number, pages: number, random: boolean): number {
  const SETS = 256, WAYS = 8;
  const tags = new Float64Array(SETS * WAYS).fill(-1);
  const stamp = new Int32Array(SETS * WAYS);
  const pfns = new Int32Array(SETS * WAYS);
  let clock = 0, seed = 1, sum = 0;
  const run = (): number => {
    const t0 = performance.now();
    for (let i = 0; i < accesses; i++) {
      let gfn: number;
      if (random) { seed = (Math.imul(seed, 1664525) + 1013904223) | 0; gfn = (seed >>> 8) % pages; } else gfn = i % pages;
      const base = (gfn & (SETS - 1)) * WAYS;
      let hit = -1, victim = base;
      for (let w = base; w < base + WAYS; w++) {
        if (tags[w] === gfn) { hit = w; break; }
        if (stamp[w] < stamp[victim]) victim = w;
      }
      if (hit >= 0) { stamp[hit] = ++clock; sum += pfns[hit]; } else { tags[victim] = gfn; pfns[victim] = gfn + 7; stamp[victim] = ++clock; }
    }
    return performance.now() - t0;
  };
  run();
  let best = Infinity;
  for (let rep = 0; rep < (quick ? 1 : 3); rep++) best = Math.min(best, run());
  if (sum === -1) console.error(sum);
  return accesses / (best / 1000);
}

const HIT_N = quick ? 2_000_000 : 10_000_000;
const MISS_N = quick ? 300_000 : 2_000_000;

export const benches = [
  {
    name: 'sim.tlb_hit_heavy',
    unit: 'accesses/s',
    run: () => {
      // 256 pages, all resident in the 1536-entry TLB: every timed access is a TLB hit + oracle walk.
      const value = simRate('touch 0 size 1M', `touch 0 size 1M count ${HIT_N}`, HIT_N);
      const baseline = bareTlbRate(HIT_N, 256, false);
      return { value, baseline, baselineName: 'bare 8-way LRU typed-array TLB loop, same accesses', target: 10e6 };
    },
  },
  {
    name: 'sim.tlb_miss_heavy',
    unit: 'accesses/s',
    run: () => {
      // 64K pages drawn at random: almost every access misses the TLB and walks shadow[nCR3] (+ oracle).
      const value = simRate('touch 0 size 256M', `touch 0 size 256M count ${MISS_N} random`, MISS_N);
      const baseline = bareTlbRate(MISS_N, 65536, true);
      return { value, baseline, baselineName: 'bare 8-way LRU typed-array TLB loop, same random pages', target: 1e6 };
    },
  },
];
