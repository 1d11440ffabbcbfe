// The lifecycle chart's data, column-wise (src/protocol.ts LifecycleView), from a run's
// Lifecycle (src/core/run/lifecycle.ts). Lanes are root pages in order of first use.
// No vscode import (unit-tested, used by the webview harness).
import type { Lifecycle } from '../../core/run/result';
import { LIFE_KINDS, type LifecycleView } from '../../protocol';

export function lifecycleView(life: Lifecycle): LifecycleView {
  const laneOf = new Map<number, number>();
  const lanes: number[] = [];
  const lane = (hpa: number): number => {
    let i = laneOf.get(hpa);
    if (i === undefined) { i = lanes.length; lanes.push(hpa); laneOf.set(hpa, i); }
    return i;
  };
  const roots = {
    id: [] as number[], lane: [] as number[], recycled: [] as number[], created: [] as number[], invalidated: [] as number[], freed: [] as number[],
    createdLine: [] as number[], invalidatedLine: [] as number[], freedLine: [] as number[], role: [] as string[],
  };
  for (const r of life.roots) {
    roots.id.push(r.id); roots.lane.push(lane(r.hpa)); roots.recycled.push(r.recycled ? 1 : 0);
    roots.created.push(r.createdStep); roots.invalidated.push(r.invalidatedStep ?? -1); roots.freed.push(r.freedStep ?? -1);
    roots.createdLine.push(r.createdLine); roots.invalidatedLine.push(r.invalidatedLine ?? -1); roots.freedLine.push(r.freedLine ?? -1);
    roots.role.push(r.role);
  }
  const details: string[] = [];
  const detailOf = new Map<string, number>();
  const marks = { kind: [] as number[], lane: [] as number[], step: [] as number[], line: [] as number[], count: [] as number[], iter: [] as number[], iterOf: [] as number[], detail: [] as number[] };
  for (const m of life.marks) {
    // Marks on a page that never held a root we saw (roots past the cap) have no lane: drop them.
    const l = laneOf.get(m.lane);
    if (l === undefined) continue;
    let d = detailOf.get(m.detail);
    if (d === undefined) { d = details.length; details.push(m.detail); detailOf.set(m.detail, d); }
    marks.kind.push(LIFE_KINDS.indexOf(m.kind)); marks.lane.push(l); marks.step.push(m.step); marks.line.push(m.line);
    marks.count.push(m.count); marks.iter.push(m.iteration?.index ?? 0); marks.iterOf.push(m.iteration?.count ?? 0); marks.detail.push(d);
  }
  return { steps: life.steps, capped: life.capped, lanes, roots, marks, details };
}
