// Layout of the root lifecycle chart, without the DOM: per-lane indexes of roots and marks
// (built once per run, linear), the x scale, the lanes in view, marks bucketed per few
// pixels (so 100,000 marks draw as at most a few per pixel column) and hit-testing by
// binary search. The view (views/lifecycleView.ts) draws what this returns.
import type { LifecycleView } from '../../src/protocol';

export const LANE_H = 22;
export const LABEL_W = 88;
export const AXIS_H = 22;
/** Marks closer than this many px on a lane are drawn as one (with their total count). */
export const BUCKET_PX = 4;

export interface LaneIndex {
  /** Roots of lane l: rootIdx[rootStart[l] .. rootStart[l+1]), by creation. */
  readonly rootStart: Int32Array;
  readonly rootIdx: Int32Array;
  /** Marks of lane l, by step. */
  readonly markStart: Int32Array;
  readonly markIdx: Int32Array;
  /** Lane l has a stale mark (drawn with a red label). */
  readonly staleLane: Uint8Array;
  /** Root r was allocated on a page whose shadow L0 never dropped since the previous root there. */
  readonly keptShadow: Uint8Array;
}

/** Counting sort of `n` items by lane, keeping input order within a lane (inputs are in step order). */
function byLane(lanes: number, n: number, laneOf: readonly number[], order?: Int32Array): { start: Int32Array; idx: Int32Array } {
  const start = new Int32Array(lanes + 1);
  for (let i = 0; i < n; i++) start[laneOf[i]! + 1]!++;
  for (let l = 0; l < lanes; l++) start[l + 1]! += start[l]!;
  const fill = start.slice(0, lanes);
  const idx = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order ? order[k]! : k;
    idx[fill[laneOf[i]!]!++] = i;
  }
  return { start, idx };
}

export function indexLanes(v: LifecycleView): LaneIndex {
  const nl = v.lanes.length;
  const r = byLane(nl, v.roots.id.length, v.roots.lane);
  // Marks arrive in statement order already (the recorder appends as the run goes).
  const m = byLane(nl, v.marks.kind.length, v.marks.lane);
  const staleLane = new Uint8Array(nl);
  for (let i = 0; i < v.marks.kind.length; i++) if (v.marks.kind[i] === 3) staleLane[v.marks.lane[i]!] = 1;
  const keptShadow = new Uint8Array(v.roots.id.length);
  for (let l = 0; l < nl; l++) {
    let mk = m.start[l]!;
    for (let k = r.start[l]! + 1; k < r.start[l + 1]!; k++) {
      const prev = r.idx[k - 1]!;
      const cur = r.idx[k]!;
      let dropped = false;
      while (mk < m.start[l + 1]! && v.marks.step[m.idx[mk]!]! <= v.roots.created[cur]!) {
        if (v.marks.kind[m.idx[mk]!] === 2 && v.marks.step[m.idx[mk]!]! >= v.roots.created[prev]!) dropped = true;
        mk++;
      }
      if (v.roots.recycled[cur] === 1 && !dropped) keptShadow[cur] = 1;
    }
  }
  return { rootStart: r.start, rootIdx: r.idx, markStart: m.start, markIdx: m.idx, staleLane, keptShadow };
}

export interface Scale {
  readonly x0: number;
  readonly x1: number;
  readonly steps: number;
  x(step: number): number;
  step(x: number): number;
}

export function xScale(steps: number, width: number): Scale {
  const x0 = LABEL_W;
  const x1 = Math.max(x0 + 40, width - 10);
  const n = Math.max(1, steps);
  return {
    x0, x1, steps: n,
    x: (s) => x0 + ((x1 - x0) * s) / n,
    step: (x) => Math.round(((x - x0) * n) / (x1 - x0)),
  };
}

/** Lanes [first, last) visible in a viewport scrolled to `top`, `height` px tall. */
export function lanesInView(lanes: number, top: number, height: number): [number, number] {
  const first = Math.max(0, Math.floor(top / LANE_H) - 1);
  const last = Math.min(lanes, Math.ceil((top + height) / LANE_H) + 1);
  return [first, Math.max(first, last)];
}

export interface MarkGlyph {
  readonly kind: number;
  readonly x: number;
  /** The first mark of the bucket (hover and click use it) and the events it stands for. */
  readonly mark: number;
  readonly count: number;
  readonly marks: number;
}

/** One glyph per kind per BUCKET_PX of a lane. */
export function laneGlyphs(v: LifecycleView, ix: LaneIndex, lane: number, sc: Scale): MarkGlyph[] {
  const out: MarkGlyph[] = [];
  const open: (MarkGlyph & { bucket: number })[] = [];
  for (let k = ix.markStart[lane]!; k < ix.markStart[lane + 1]!; k++) {
    const i = ix.markIdx[k]!;
    const kind = v.marks.kind[i]!;
    const x = sc.x(v.marks.step[i]!);
    const bucket = Math.floor(x / BUCKET_PX);
    const g = open[kind];
    if (g && g.bucket === bucket) {
      open[kind] = { ...g, count: g.count + v.marks.count[i]!, marks: g.marks + 1 };
      continue;
    }
    if (g) out.push(g);
    open[kind] = { kind, x, mark: i, count: v.marks.count[i]!, marks: 1, bucket };
  }
  for (const g of open) if (g) out.push(g);
  return out.map(({ kind, x, mark, count, marks }) => ({ kind, x, mark, count, marks }));
}

/** Index of the mark nearest `step` on `lane` within `tolerance` steps, or -1. */
export function markAt(v: LifecycleView, ix: LaneIndex, lane: number, step: number, tolerance: number): number {
  let lo = ix.markStart[lane]!;
  let hi = ix.markStart[lane + 1]!;
  const end = hi;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v.marks.step[ix.markIdx[mid]!]! < step) lo = mid + 1; else hi = mid;
  }
  let best = -1;
  let dist = tolerance + 1;
  for (const k of [lo - 1, lo]) {
    if (k < ix.markStart[lane]! || k >= end) continue;
    const i = ix.markIdx[k]!;
    const d = Math.abs(v.marks.step[i]! - step);
    // A stale use wins a tie: it is what the chart is for.
    if (d < dist || (d === dist && v.marks.kind[i] === 3)) { best = i; dist = d; }
  }
  return best;
}

/** Index of the root alive on `lane` at `step`, or -1. */
export function rootAt(v: LifecycleView, ix: LaneIndex, lane: number, step: number, steps: number): number {
  let lo = ix.rootStart[lane]!;
  let hi = ix.rootStart[lane + 1]!;
  const start = lo;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v.roots.created[ix.rootIdx[mid]!]! <= step) lo = mid + 1; else hi = mid;
  }
  if (lo === start) return -1;
  const r = ix.rootIdx[lo - 1]!;
  const end = v.roots.freed[r]! >= 0 ? v.roots.freed[r]! : steps;
  return step <= end ? r : -1;
}
