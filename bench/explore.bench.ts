// Explorer throughput (issue 14 "Speed"): distinct states per second of the reference
// exploration (examples/explore-recycled-root.mmu: 2 vCPUs, a 64K memslot, memslot churn,
// reads and SMM moves, allocator=any) with fix=b, so the space up to the depth is explored
// in full, with 1 worker and with 2 (worker_threads), next to the plain interpreter's
// statements/s in the same process. Aim: 20,000 distinct states/s per worker, 2 workers at
// least 1.6x one. Never asserted in tests.
//
// Each figure is measured after a warm-up exploration one level shallower (so the JIT has
// compiled the model), and the worker pool is started before the clock starts: its start-up
// (each worker compiles the file and runs the setup; from source under tsx, also the
// TypeScript) is reported on its own line, since a long exploration pays it once.
// `cpuSeconds` is the process's CPU time over the measured run (all threads): on a shared
// machine, wall-clock rates drop with the load while it stays closer to the work done.
import { readFileSync } from 'node:fs';
import { analyze } from '../src/core/lang/index';
import { runScenario } from '../src/core/run/index';
import { runExploration, type ExplorePool } from '../src/core/explore/index';
import { workerPool } from '../src/cli/explorePool';

const quick = process.env.MMU_BENCH_QUICK === '1';
const FILE = new URL('../examples/explore-recycled-root.mmu', import.meta.url);
const TEXT = readFileSync(FILE, 'utf8');
const OVERRIDES = { fix: 'b' };
const DEPTH = quick ? 5 : 6;

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

interface Rate { rate: number; statesRate: number; distinct: number; states: number; seconds: number; cpuSeconds: number }

async function measure(pool?: ExplorePool): Promise<Rate> {
  const exp = exploration();
  const opts = { configOverrides: OVERRIDES, ...(pool ? { pool: () => pool } : {}) };
  await runExploration(exp, { ...opts, depth: DEPTH - 1 }); // warm-up
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runExploration(exp, { ...opts, depth: DEPTH });
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { rate: r.distinct / seconds, statesRate: r.states / seconds, distinct: r.distinct, states: r.states, seconds, cpuSeconds: (c.user + c.system) / 1e6 };
}

let one: Rate | null = null;
let startup = 0;

export const benches = [
  {
    name: 'explore.distinct_states_1_worker',
    unit: 'distinct states/s',
    run: async () => {
      const r = await measure();
      one = r;
      return { value: r.rate, baseline: interpreterRate(), baselineName: 'plain interpreter statements/s (same churn, same process)', target: 20000, depth: DEPTH, ...r };
    },
  },
  {
    name: 'explore.distinct_states_2_workers',
    unit: 'distinct states/s',
    run: async () => {
      const t0 = performance.now();
      const pool = workerPool(2, { text: TEXT, name: exploration().name, overrides: OVERRIDES });
      try {
        await pool.ready();
        startup = (performance.now() - t0) / 1000;
        const r = await measure({ size: pool.size, expand: (p) => pool.expand(p) });
        const base = one ?? (await measure());
        return { value: r.rate, baseline: base.rate, baselineName: 'the same exploration with 1 worker', target: 1.6, depth: DEPTH, ...r };
      } finally {
        pool.close();
      }
    },
  },
  {
    name: 'explore.worker_pool_startup',
    unit: 's',
    run: () => ({ value: startup, baselineName: '2 workers from source (tsx); paid once per exploration' }),
  },
];
