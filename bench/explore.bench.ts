// Explorer throughput (issue 14 "Speed"): distinct states per second of the reference
// exploration (examples/explore-recycled-root.mmu: 2 vCPUs, a 64K memslot, memslot churn,
// reads and SMM moves, allocator=any) with fix=b, so the space up to the depth is explored
// in full, with 1 worker and with 2 (worker_threads), next to the plain interpreter's
// statements/s in the same process. Aim: 20,000 distinct states/s per worker, 2 workers at
// least 1.6x one. Never asserted in tests.
import { readFileSync } from 'node:fs';
import { analyze } from '../src/core/lang/index';
import { runScenario } from '../src/core/run/index';
import { runExploration } from '../src/core/explore/index';
import { workerPool } from '../src/cli/explorePool';

const quick = process.env.MMU_BENCH_QUICK === '1';
const FILE = new URL('../examples/explore-recycled-root.mmu', import.meta.url);
const TEXT = readFileSync(FILE, 'utf8');
const OVERRIDES = { fix: 'b' };
const DEPTH = quick ? 4 : 5;

function exploration() {
  const a = analyze(TEXT, { overrides: OVERRIDES });
  return a.compiled.explorations![0]!;
}

/** Statements/s of the plain interpreter on the same kind of work (churn + reads). */
function interpreterRate(): number {
  const n = quick ? 2000 : 20000;
  const sc = analyze(`config host=hyperv cpu=svm kernel=6.2 tdp_mmu=on enlightened_tlb=on fix=b
scenario "churn" {
  config vcpus=2
  memslot ram gpa 0 size 64K
  repeat ${n} {
    memslot ram delete free
    memslot ram gpa 0 size 64K
    vcpu 0 read 0x1000
    vcpu 1 smi
    vcpu 1 rsm
  }
}
`).compiled.scenarios[0]!;
  runScenario(sc, { snapshotLimit: 0 }); // warm-up
  const t0 = performance.now();
  runScenario(sc, { snapshotLimit: 0 });
  return (n * 5 + 1) / ((performance.now() - t0) / 1000);
}

async function distinctRate(workers: number): Promise<{ rate: number; distinct: number; seconds: number }> {
  const exp = exploration();
  await runExploration(exp, { depth: 3, configOverrides: OVERRIDES }); // warm-up
  const t0 = performance.now();
  const r = await runExploration(exp, {
    depth: DEPTH, configOverrides: OVERRIDES,
    pool: workers > 1 ? () => workerPool(workers, { text: TEXT, name: exp.name, overrides: OVERRIDES, depth: DEPTH }) : undefined,
  });
  const seconds = (performance.now() - t0) / 1000;
  return { rate: r.distinct / seconds, distinct: r.distinct, seconds };
}

let one: number | null = null;

export const benches = [
  {
    name: 'explore.distinct_states_1_worker',
    unit: 'distinct states/s',
    run: async () => {
      const r = await distinctRate(1);
      one = r.rate;
      return { value: r.rate, baseline: interpreterRate(), baselineName: 'plain interpreter statements/s (same churn, same process)', target: 20000, distinct: r.distinct, depth: DEPTH, seconds: r.seconds };
    },
  },
  {
    name: 'explore.distinct_states_2_workers',
    unit: 'distinct states/s',
    run: async () => {
      const r = await distinctRate(2);
      const base = one ?? (await distinctRate(1)).rate;
      return { value: r.rate, baseline: base, baselineName: 'the same exploration with 1 worker', target: 1.6, distinct: r.distinct, depth: DEPTH, seconds: r.seconds };
    },
  },
];
