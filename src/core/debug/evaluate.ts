// Evaluate / Watch expressions at a stop: a metric (`stale`), a condition (`stale > 0`),
// `translate 0x1000 [vcpu N]`, `root #5`, `shadow 0x100000`, `vcpu 1`.
import type { Machine } from '../model/machine';
import { METRIC_NAMES, type MetricName } from '../lang/schema';
import { parseNumber } from '../lang/scanner';
import { takeSnapshot } from '../model/snapshot';
import { metric } from '../model/metrics';
import { parseCondition } from './conditions';
import { rootNode, shadowNode, translate, vcpuNode, type VarNode } from './stateView';

export type Evaluation = { readonly ok: true; readonly node: VarNode } | { readonly ok: false; readonly message: string };

const num = (t: string): number | null => { const n = parseNumber(t); return n.ok ? n.value : null; };

export function evaluate(m: Machine, text: string, ghz: number): Evaluation {
  const e = text.trim();
  if (METRIC_NAMES.has(e)) return { ok: true, node: { name: e, value: String(metric(m, e as MetricName, ghz)) } };
  let r = /^translate\s+(\S+)(?:\s+vcpu\s+(\d+))?$/.exec(e);
  if (r) {
    const gpa = num(r[1]!);
    if (gpa === null) return { ok: false, message: `translate: \`${r[1]}\` is not an address` };
    const v = m.vcpus[r[2] ? Number(r[2]) : 0];
    if (!v) return { ok: false, message: `translate: vcpu ${r[2]} does not exist` };
    return { ok: true, node: translate(m, v, gpa) };
  }
  r = /^root\s+#?(\d+)$/.exec(e);
  if (r) {
    const root = m.roots.get(Number(r[1]));
    return root ? { ok: true, node: rootNode(m, root) } : { ok: false, message: `root #${r[1]}: no such root (or freed long ago)` };
  }
  r = /^shadow\s+(\S+)$/.exec(e);
  if (r) {
    const as = num(r[1]!);
    if (as === null) return { ok: false, message: `shadow: \`${r[1]}\` is not an nCR3` };
    const node = shadowNode(takeSnapshot(m, '', 0, 0, ghz), as);
    return node ? { ok: true, node } : { ok: false, message: `shadow ${r[1]}: L0 has no shadow for this nCR3` };
  }
  r = /^vcpu\s+(\d+)$/.exec(e);
  if (r) {
    const v = m.vcpus[Number(r[1])];
    return v ? { ok: true, node: vcpuNode(m, v) } : { ok: false, message: `vcpu ${r[1]} does not exist` };
  }
  if (/(==|!=|<=|>=|<|>)/.test(e)) {
    const c = parseCondition(e);
    if (!c.ok) return { ok: false, message: c.message };
    return { ok: true, node: { name: e, value: String(c.test((n) => metric(m, n, ghz))) } };
  }
  return { ok: false, message: `\`${e}\`: expected a metric, a condition, translate ADDR [vcpu N], root #ID, shadow NCR3 or vcpu N` };
}
