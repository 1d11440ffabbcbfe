import { run } from './test/unit/run/helpers';
import { randomScenario } from './test/unit/run/randomScenario';
const KERNELS = ['5.17', '6.2', '6.3', '6.4'];
outer: for (const seed of [1,2,3,4,5,6]) for (const vcpus of [1,3]) {
  const body = randomScenario(seed * 7 + vcpus, vcpus, 60);
  for (const k of KERNELS) for (const tdp of ['on','off']) for (const alloc of ['lifo','fifo']) {
    const cfg = `host=bare vcpus=${vcpus} kernel=${k} tdp_mmu=${tdp} allocator=${alloc}`;
    const r = run(cfg, body, { trace: true, traceLimit: 200000 });
    if (r.metrics.stale) {
      console.log(cfg, seed, JSON.stringify(r.stale[0], null, 0).slice(0, 1500));
      const line = r.stale[0].line;
      body.forEach((l, i) => { if (i + 2 <= line + 1 && i + 2 >= line - 12) console.log(i + 2, l); });
      for (const e of r.trace) if (e.line >= line - 10 && e.line <= line && e.vcpu === r.stale[0].vcpu) console.log(e.line, e.path.join('>'), e.fn, e.detail);
      break outer;
    }
  }
}
