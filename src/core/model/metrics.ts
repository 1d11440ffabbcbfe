// Every metric of the language reference (schema.ts METRICS), read from the machine.
import type { MetricName } from '../lang/schema';
import type { Machine } from './machine';

export function liveRootCounts(m: Machine): { live: number; invalid: number } {
  const roots = m.liveRoots();
  let invalid = 0;
  for (const r of roots) if (m.isObsolete(r)) invalid++;
  return { live: roots.length, invalid };
}

export function metric(m: Machine, name: MetricName, ghz: number): number {
  const c = m.ctr;
  switch (name) {
    case 'stale': return c.stale;
    case 'stale.divergent': return c.divergent;
    case 'failures': return c.failures;
    case 'hypercalls': return c.hcSpace + c.hcList;
    case 'hypercalls.flush_space': return c.hcSpace;
    case 'hypercalls.flush_list': return c.hcList;
    case 'flushes.asid': return c.flushesAsid;
    case 'flushes.remote': return c.flushesRemote;
    case 'vmexits': return c.vmexits;
    case 'npf.l1': return c.npfL1;
    case 'npf.l0': return c.npfL0;
    case 'roots.allocated': return c.rootsAllocated;
    case 'roots.live': return liveRootCounts(m).live;
    case 'roots.invalid': return liveRootCounts(m).invalid;
    case 'roots.recycled': return c.rootsRecycled;
    case 'tlb.entries': return m.tlb.size;
    case 'shadow.entries': return m.shadows.total;
    case 'time_us': return Math.round(m.cost.timeUs(ghz) * 1000) / 1000;
  }
  return 0;
}

export const METRIC_ORDER: readonly MetricName[] = [
  'stale', 'stale.divergent', 'failures', 'hypercalls', 'hypercalls.flush_space', 'hypercalls.flush_list',
  'flushes.asid', 'flushes.remote', 'vmexits', 'npf.l1', 'npf.l0', 'roots.allocated', 'roots.live',
  'roots.invalid', 'roots.recycled', 'tlb.entries', 'shadow.entries', 'time_us',
];

export function allMetrics(m: Machine, ghz: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of METRIC_ORDER) out[n] = metric(m, n, ghz);
  return out;
}
