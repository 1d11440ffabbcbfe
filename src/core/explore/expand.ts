// One worker's share of the search: replay a state from the setup by its path (the
// deterministic re-execution the issue asks for: no model state is stored per state), then
// try every enabled step from it with every allocator pick, fingerprint each result and
// report it. Consecutive nodes share path prefixes (the frontier is in canonical order), so
// a stack of snapshots along the current path makes each replay one step, not a whole path.
// The same Expander runs in-process and in each worker thread: results depend only on the
// input paths, never on which worker ran them.
import type { CompiledExploration, Invariant } from '../lang/ops';
import type { MetricName } from '../lang/schema';
import { Session, type SessionSnapshot } from '../run/session';
import type { RunOptions } from '../run/result';
import { ModelLimitError } from '../model/memslots';
import { tableStamps } from '../model/memory';
import { metric } from '../model/metrics';
import type { Machine } from '../model/machine';
import { fingerprint, FingerprintCache, type FingerprintScope } from './fingerprint';
import { enabled, runStep, ScriptChooser } from './moves';
import { compareOp as compare } from '../run/compareOp';

/** The invariant the state breaks (its text), or null. Default: no stale use and no failed check. */
export function violation(m: Machine, invariants: readonly Invariant[]): string | null {
  if (invariants.length === 0) {
    if (m.ctr.stale > 0) return 'stale == 0';
    if (m.ctr.failures > 0) return 'failures == 0';
    return null;
  }
  for (const inv of invariants) if (!compare(metric(m, inv.metric, 3), inv.op, inv.value)) return inv.text;
  return null;
}

/** Results of expanding a chunk of nodes (transferable typed arrays). `data` per node:
 *  [children, then per child: fpA, fpB, violated (0/1), move length, move...]. */
export interface ChunkResult {
  readonly data: Int32Array;
  readonly enabled: Int32Array;
  readonly taken: Int32Array;
  readonly explored: number;
  readonly cancelled: boolean;
}

export function scopeOf(exp: CompiledExploration): FingerprintScope {
  const ops = exp.program.ops;
  const values = ops.some((o) => (o.k === 'read' && o.expected !== null) || o.k === 'verify');
  const metrics = [...new Set(exp.invariants.map((i) => i.metric))] as MetricName[];
  return { values, metrics };
}

function rngState(s: Session): number { return (s.it as unknown as { rng: { s: number } }).rng.s; }

export class Expander {
  readonly session: Session;
  readonly scope: FingerprintScope;
  /** The setup itself broke an invariant (or hit a model limit): text, else null. */
  readonly setupViolation: string | null = null;
  private readonly stackEnc: number[][] = [];
  private readonly stackSnap: SessionSnapshot[] = [];
  private readonly shouldCancel: () => boolean;
  private readonly enabledNow: Uint8Array;
  /** The allocator's answers for every step this Expander runs (picks read before the next). */
  private readonly chooser = new ScriptChooser();
  /** Table hashes by table stamp: a child rehashes only the tables its step wrote. */
  readonly fpCache = new FingerprintCache();

  constructor(readonly exp: CompiledExploration, opts: RunOptions = {}) {
    this.shouldCancel = opts.shouldCancel ?? (() => false);
    this.session = new Session(exp.program, { ...opts, trace: false, snapshotLimit: 0, records: false, shouldCancel: undefined, onProgress: undefined });
    this.session.share(this.chooser);
    this.scope = scopeOf(exp);
    this.enabledNow = new Uint8Array(exp.steps.length);
    const it = this.session.it;
    try {
      while (it.pc < exp.setupEnd && !it.st.cancelled) it.stepOnce();
      this.setupViolation = violation(this.session.m, exp.invariants);
    } catch (e) {
      this.setupViolation = e instanceof ModelLimitError ? `model limit: ${e.message}` : `internal model error: ${(e as Error).message}`;
    }
    this.stackSnap.push(this.session.detach());
  }

  rootFingerprint(): [number, number] {
    this.session.restore(this.stackSnap[0]!);
    return fingerprint(this.session.m, this.scope, rngState(this.session));
  }

  /** The state at the end of an encoded path (moves a[from..to)), via the prefix stack. Returns its snapshot. */
  materialize(a: ArrayLike<number>, from: number, to: number): SessionSnapshot {
    const enc: number[][] = [];
    for (let i = from; i < to;) { const len = 2 + a[i + 1]!; const mv: number[] = []; for (let j = 0; j < len; j++) mv.push(a[i + j]!); enc.push(mv); i += len; }
    let k = 0;
    while (k < enc.length && k < this.stackEnc.length && same(enc[k]!, this.stackEnc[k]!)) k++;
    const s = this.session;
    for (let j = k + 1; j < this.stackSnap.length; j++) s.release(this.stackSnap[j]!); // its arrays serve the next snapshots
    this.stackEnc.length = k; this.stackSnap.length = k + 1;
    for (let j = k; j < enc.length; j++) {
      const mv = enc[j]!;
      s.restoreInPlace(this.stackSnap[j]!);
      runStep(s, this.exp.steps[mv[0]!]!, mv.slice(2), this.chooser);
      this.stackEnc.push(mv);
      this.stackSnap.push(s.snapshotForInPlace());
    }
    return this.stackSnap[enc.length]!;
  }

  /** Expands each node of `paths` ([moves, encoded moves...] per node). */
  expandChunk(paths: Int32Array): ChunkResult {
    const nSteps = this.exp.steps.length;
    const en = new Int32Array(nSteps), taken = new Int32Array(nSteps);
    const out: number[] = [];
    let explored = 0;
    const s = this.session;
    const ops = this.exp.program.ops;
    for (let i = 0; i < paths.length;) {
      if (this.shouldCancel()) return { data: Int32Array.from(out), enabled: en, taken, explored, cancelled: true };
      const moves = paths[i]!;
      let end = i + 1, last = end;
      for (let k = 0; k < moves; k++) { last = end; end += 2 + paths[end + 1]!; }
      // The node's parent comes from the prefix stack; the node itself is its parent plus its
      // last move, re-run before each child (a step costs less than a snapshot per node).
      const parent = this.materialize(paths, i + 1, moves > 0 ? last : end);
      const lastOp = moves > 0 ? this.exp.steps[paths[last]!]! : -1;
      const lastPicks = moves > 0 ? Array.from(paths.subarray(last + 2, end)) : [];
      // The first run of the last move takes fresh table stamps; each re-run re-takes them, so
      // the node's tables keep the stamps the fingerprint cache has (model/memory.ts tableStamps).
      let mark = -1;
      const toNode = (): void => {
        s.restoreInPlace(parent);
        if (lastOp < 0) return;
        if (mark < 0) mark = tableStamps.mark(); else tableStamps.replayFrom(mark);
        try { runStep(s, lastOp, lastPicks, this.chooser); } finally { tableStamps.resume(); }
      };
      i = end;
      const countAt = out.length;
      out.push(0);
      let children = 0;
      toNode();
      const on = this.enabledNow;
      for (let step = 0; step < nSteps; step++) on[step] = enabled(s.m, ops[this.exp.steps[step]!]!) ? 1 : 0;
      let atNode = true; // the live state is the node's, untouched
      for (let step = 0; step < nSteps; step++) {
        const opIndex = this.exp.steps[step]!;
        if (!on[step]) continue;
        en[step]++;
        let script: number[] | null = [];
        while (script !== null) {
          if (!atNode) toNode();
          atNode = false;
          let viol: string | null;
          let picks: readonly number[] = script, nPicks = script.length;
          let next: number[] | null = null;
          try {
            const ch = runStep(s, opIndex, script, this.chooser);
            picks = ch.taken; nPicks = ch.pos; next = ch.nextScript();
            viol = violation(s.m, this.exp.invariants);
          } catch (e) {
            viol = e instanceof ModelLimitError ? 'model limit' : 'internal model error';
          }
          explored++; taken[step]++;
          const [fa, fb] = viol === null ? fingerprint(s.m, this.scope, rngState(s), this.fpCache) : [0, 0];
          out.push(fa | 0, fb | 0, viol === null ? 0 : 1, 2 + nPicks, step, nPicks);
          for (let j = 0; j < nPicks; j++) out.push(picks[j]!); // (a spread push costs a tenth of the search)
          children++;
          if ((explored & 63) === 0 && this.shouldCancel()) { out[countAt] = children; return { data: Int32Array.from(out), enabled: en, taken, explored, cancelled: true }; }
          script = next;
        }
      }
      out[countAt] = children;
    }
    return { data: Int32Array.from(out), enabled: en, taken, explored, cancelled: false };
  }
}

function same(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
