// Breadth-first search over step sequences with state fingerprints (docs/explore.md). Level
// by level: the frontier (in canonical order) is cut into chunks, a pool expands them (in
// this thread or in workers), and the results are merged here strictly in chunk order — so
// the distinct states, the counts and the first violation (a shortest one, the least in
// canonical order) are the same whatever the number of workers. Memory: the fingerprint set
// and the path tree only, up to `cap` distinct states. A shard (K/N) explores the subtrees of
// every N-th frontier node from the first level with at least 4N nodes; merging the shards'
// least violations gives the unsharded one.
import type { CompiledExploration } from '../lang/ops';
import type { ChunkResult } from './expand';
import type { WalkBatch } from './random';
import { FingerprintSet, PathTree } from './store';
import { compareMoves, decodeMoves } from './moves';

/** Distinct states kept at most (fingerprints + paths: ~40 bytes each, ~80 MB at the cap). */
export const DEFAULT_STATE_CAP = 2_000_000;
/** Frontier nodes per chunk at most; fewer when a level is small, so several workers get
 *  some (a level of 200 nodes in chunks of 128 kept one of two workers idle). A function of
 *  the level's size only, never of the pool: a violation stops the merge after its chunk, so
 *  the counts reported depend on the chunking, and they must not depend on the workers. */
const CHUNK = 128;
const MIN_CHUNK = 8;
const CHUNKS_PER_LEVEL = 16;

/** Where chunks are expanded: this thread or a pool of workers. */
export interface ExplorePool {
  readonly size: number;
  expand(paths: Int32Array): Promise<ChunkResult>;
  /** Random walks [from, to) (random.ts walkBatch); without it they run in this thread. */
  walks?(seed: number, from: number, to: number): Promise<WalkBatch>;
}

export interface BfsProgress { readonly states: number; readonly distinct: number; readonly depth: number }

export interface BfsOptions {
  readonly cap?: number;
  readonly shouldCancel?: () => boolean;
  readonly shard?: { readonly k: number; readonly n: number };
  readonly onProgress?: (p: BfsProgress) => void;
}

export interface BfsOutcome {
  readonly verdict: 'violation' | 'clean' | 'cancelled';
  readonly depth: number;
  readonly states: number;
  readonly distinct: number;
  readonly capped: boolean;
  readonly enabled: number[];
  readonly taken: number[];
  /** Encoded moves of the violating sequence (empty: the setup itself). */
  readonly violation: number[] | null;
  readonly splitDepth: number;
}

export async function bfs(exp: CompiledExploration, root: { fp: [number, number]; setupViolation: string | null }, pool: ExplorePool, opts: BfsOptions = {}): Promise<BfsOutcome> {
  const nSteps = exp.steps.length;
  const enabled = new Array<number>(nSteps).fill(0), taken = new Array<number>(nSteps).fill(0);
  const cap = opts.cap ?? DEFAULT_STATE_CAP;
  const cancel = opts.shouldCancel ?? (() => false);
  const visited = new FingerprintSet();
  const tree = new PathTree();
  visited.add(root.fp[0], root.fp[1]);
  let states = 1;
  let capped = false;
  let splitDepth = -1;
  const done = (verdict: BfsOutcome['verdict'], depth: number, violation: number[] | null): BfsOutcome =>
    ({ verdict, depth, states, distinct: visited.size, capped, enabled, taken, violation, splitDepth });
  if (root.setupViolation !== null) return done('violation', 0, []);
  let frontier: number[] = [0];
  for (let d = 0; d < exp.depth; d++) {
    if (frontier.length === 0) return done('clean', d, null);
    const next: number[] = [];
    const bounds = chunkBounds(frontier.length);
    const chunks = bounds.length - 1;
    const chunkPaths = (c: number): Int32Array => {
      const out: number[] = [];
      for (let i = bounds[c]!; i < bounds[c + 1]!; i++) {
        const at = out.length;
        out.push(0);
        out[at] = tree.path(frontier[i]!, out);
      }
      return Int32Array.from(out);
    };
    // Keep the pool busy, merge strictly in chunk order. Chunks vary in cost (a node's
    // enabled steps), so with 2 per worker in flight one slow chunk stalled the merge and idled
    // the other workers; 8 per worker (a few KB each) rides over it.
    const inFlight = new Map<number, Promise<ChunkResult>>();
    let issued = 0;
    const window = pool.size === 1 ? 2 : pool.size * 8;
    const issue = (): void => { while (issued < chunks && inFlight.size < window) { inFlight.set(issued, pool.expand(chunkPaths(issued))); issued++; } };
    let found: number[] | null = null;
    for (let c = 0; c < chunks && found === null; c++) {
      if (cancel()) return done('cancelled', d, null);
      issue();
      const r = await inFlight.get(c)!;
      inFlight.delete(c);
      if (r.cancelled) return done('cancelled', d, null);
      states += r.explored;
      for (let s = 0; s < nSteps; s++) { enabled[s]! += r.enabled[s]!; taken[s]! += r.taken[s]!; }
      const data = r.data;
      let p = 0;
      for (let i = bounds[c]!; i < bounds[c + 1]! && found === null; i++) {
        const node = frontier[i]!;
        const children = data[p++]!;
        for (let k = 0; k < children; k++) {
          const fa = data[p]! >>> 0, fb = data[p + 1]! >>> 0, viol = data[p + 2]!, len = data[p + 3]!;
          const from = p + 4;
          p = from + len;
          if (viol) {
            const path: number[] = [];
            tree.path(node, path);
            for (let j = from; j < from + len; j++) path.push(data[j]!);
            found = path;
            break;
          }
          if (visited.has(fa, fb)) continue;
          if (visited.size >= cap) { capped = true; continue; }
          visited.add(fa, fb);
          next.push(tree.add(node, data, from, from + len));
        }
      }
      opts.onProgress?.({ states, distinct: visited.size, depth: d });
    }
    if (found !== null) { await Promise.allSettled([...inFlight.values()]); return done('violation', d + 1, found); }
    frontier = next;
    if (opts.shard && opts.shard.n > 1 && splitDepth < 0 && frontier.length >= 4 * opts.shard.n) {
      const { k, n } = opts.shard;
      frontier = frontier.filter((_, i) => i % n === k);
      splitDepth = d + 1;
    }
    if (capped) return done('clean', d + 1, null);
  }
  return done('clean', exp.depth, null);
}

/** Where a level's chunks start (and the level's end): CH nodes each, where CH is a sixteenth
 *  of the level between MIN_CHUNK and CHUNK, except the last eighth of the level, cut into
 *  chunks of a quarter of that size, so workers finish the level together instead of one of
 *  them idling through another's last big chunk. A function of the level's size only. */
export function chunkBounds(n: number): number[] {
  const ch = Math.max(MIN_CHUNK, Math.min(CHUNK, Math.ceil(n / CHUNKS_PER_LEVEL)));
  const small = Math.max(MIN_CHUNK, ch >> 2);
  const tail = n - Math.floor(n / 8);
  const out: number[] = [];
  let i = 0;
  for (; i < tail; i += ch) out.push(i);
  for (; i < n; i += small) out.push(i);
  out.push(n);
  return out;
}

/** The least of several violating move sequences in canonical order (shard merging). */
export function leastViolation(paths: readonly (readonly number[])[]): number {
  let best = -1;
  for (let i = 0; i < paths.length; i++) {
    if (best < 0 || compareMoves(decodeMoves(paths[i]!), decodeMoves(paths[best]!)) < 0) best = i;
  }
  return best;
}
