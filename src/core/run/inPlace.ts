// In-place restore for the explorer's hot loop (one restore per state explored). A
// snapshot is immutable, so its object graph can be flattened once into a plan: its objects
// in visit order, each with its kind, its keys and, per slot, which object of the plan the
// slot points to (or "copy the value"). The plan is bound to a set of live objects (targets,
// one per snapshot object, same prototype and typed-array length); restoring rewrites the
// targets' slots and typed arrays from the snapshot, with no lookups and no allocation, so
// the live graph is again exactly a copy of the snapshot (identity structure included).
// Whatever a step did to the targets is overwritten: new objects it linked in are dropped,
// arrays get their length back, Maps and Sets are refilled, properties it added are deleted.
// Targets of different plans may be the same objects (a restore rewrites all of its own), but
// never a snapshot's. Like clone.ts, it follows the graph generically: a model component
// added later is restored without being listed.
// An object's fields are rewritten by a copier made once per shape (its keys, which of them
// point into the plan or keep a closure): straight-line stores by name, one target class per
// copier, ~10x faster than Object.assign between a class instance and its snapshot (which
// have different hidden classes, so the builtin takes its generic path). Where code cannot
// be generated (a Content-Security-Policy without 'unsafe-eval'), the generic path is used.
import { ArrayPool, type Clonable } from './clone';

type AnyObj = Record<string, unknown>;
type Typed = ArrayBufferView & { readonly length: number; set(src: ArrayLike<number>): void; slice(): Typed };

const TYPED = 0, ARRAY = 1, MAP = 2, SET = 3, OBJECT = 4;
/** An array of values only (no element is a node): copied element by element, no slot codes. */
const VALUES = 5;
/** Slot codes: >= 0 an object of the plan; VALUE copy the snapshot's value; KEEP - j the
 *  target's own closure kept[j] (an OBJECT node's codes are [count, (key index, code)...] for
 *  the slots that are not VALUE). */
const VALUE = -1, KEEP = -2;

/** Rewrites one OBJECT node: dst's fields from src, slot codes from `slots[p..]`. */
type Copier = (dst: AnyObj, src: AnyObj, targets: unknown[], kept: unknown[], slots: Int32Array, p: number) => void;

/** Copiers by shape, shared by every plan of the process: per first key, the shapes seen
 *  (keys, and which entries point into the plan or keep a closure), compared element-wise
 *  (property names are interned strings: no string is built per object). */
interface Shape { readonly ks: readonly string[]; readonly codes: readonly number[]; readonly f: Copier | null }
const copiers = new Map<string, Shape[]>();
let codegen = true;

function sameShape(x: Shape, ks: readonly string[], codes: readonly number[]): boolean {
  if (x.ks.length !== ks.length || x.codes[0] !== codes[0]) return false;
  for (let j = 0; j < ks.length; j++) if (x.ks[j] !== ks[j]) return false;
  for (let e = 0; e < codes[0]!; e++) if (x.codes[1 + 2 * e] !== codes[1 + 2 * e] || (x.codes[2 + 2 * e]! >= 0) !== (codes[2 + 2 * e]! >= 0)) return false;
  return true;
}

/** The shape of an OBJECT node with keys `ks` and slot codes `codes` ([count, (key index, code)...]):
 *  its copier (null: the generic path) and its keys, one array per shape that every plan
 *  keeps instead of its own (snapshots live long enough to be promoted: less to retain). */
function shapeFor(ks: readonly string[], codes: readonly number[]): Shape {
  if (!codegen) return { ks, codes, f: null };
  const first = ks[0] ?? '';
  let list = copiers.get(first);
  if (!list) { list = []; copiers.set(first, list); }
  for (const x of list) if (sameShape(x, ks, codes)) return x;
  const special = new Map<number, string>();
  for (let e = 0; e < codes[0]!; e++) {
    const at = `s[p + ${2 + 2 * e}]`;
    special.set(codes[1 + 2 * e]!, codes[2 + 2 * e]! >= 0 ? `t[${at}]` : `k[${KEEP} - ${at}]`);
  }
  const body = ks.map((key, j) => `d[${JSON.stringify(key)}] = ${special.get(j) ?? `v[${JSON.stringify(key)}]`};`).join('\n');
  let f: Copier | null;
  try {
    f = new Function('d', 'v', 't', 'k', 's', 'p', body) as Copier;
  } catch {
    codegen = false; // no eval here: every plan takes the generic path
    f = null;
  }
  const shape = { ks: [...ks], codes: [...codes], f };
  list.push(shape);
  return shape;
}

/** Tests: make plans without generated copiers (the path taken where eval is blocked). */
export function useGeneratedCopiers(on: boolean): void { codegen = on; copiers.clear(); }

/** sameEntries' walk: one object and one callback for every Map and Set (no entry arrays). */
const cmp: { plan: RestorePlan | null; p: number; per: number; ok: boolean } = { plan: null, p: 0, per: 1, ok: true };
function compareEntry(v: unknown, k: unknown): void {
  const c = cmp;
  if (!c.ok) return;
  const { slots, targets, raw } = c.plan!;
  const at = c.p;
  if (c.per === 2) {
    const ck = slots[at]!, cv = slots[at + 1]!;
    if (k !== (ck >= 0 ? targets[ck] : raw[at]) || v !== (cv >= 0 ? targets[cv] : raw[at + 1])) c.ok = false;
  } else {
    const ce = slots[at]!;
    if (v !== (ce >= 0 ? targets[ce] : raw[at])) c.ok = false;
  }
  c.p = at + c.per;
}
/** Whether the live Map (per = 2) or Set (per = 1) already holds the snapshot's entries in the
 *  snapshot's order (its slot codes from `p`). */
function sameEntries(live: Map<unknown, unknown> | Set<unknown>, size: number, per: number, p: number, plan: RestorePlan): boolean {
  if (live.size !== size) return false;
  cmp.plan = plan; cmp.p = p; cmp.per = per; cmp.ok = true;
  (live as Map<unknown, unknown>).forEach(compareEntry);
  cmp.plan = null; // (keeps no plan alive)
  return cmp.ok;
}

/** cloneWithPlan's slot codes while it builds a plan (grown as needed, reused by the next). */
let scratchSlots = new Int32Array(1024);

export class RestorePlan {
  /** The snapshot's objects (never written). */
  readonly nodes: unknown[] = [];
  /** The live object each is restored into. */
  readonly targets: unknown[] = [];
  readonly kinds: number[] = [];
  /** OBJECT: its keys; other kinds: null. */
  readonly keys: (string[] | null)[] = [];
  /** Where each node's slot codes start in `slots` (ARRAY: one per element; MAP: key, value per entry; SET: one per entry). */
  readonly at: number[] = [];
  slots: Int32Array = new Int32Array(0);
  /** MAP and SET nodes: the snapshot's keys and values (elements) by slot, read at restore
   *  instead of iterating the snapshot's Map (each entry of an iteration is a new array). */
  readonly raw: unknown[] = [];
  /** The targets' own closures (re-created by afterClone, or the live object's). */
  readonly kept: unknown[] = [];
  /** OBJECT: its shape's copier (null: the generic path); other kinds: null. */
  readonly copy: (Copier | null)[] = [];

  /** Rewrites the targets from the snapshot; returns the root's target. */
  restore(): unknown {
    const nodes = this.nodes, targets = this.targets, kinds = this.kinds, keys = this.keys, at = this.at, slots = this.slots;
    for (let i = 0, n = nodes.length; i < n; i++) {
      const s = nodes[i], t = targets[i];
      let p = at[i]!;
      switch (kinds[i]) {
        case TYPED: (t as Typed).set(s as unknown as ArrayLike<number>); break;
        case ARRAY: {
          const src = s as unknown[], dst = t as unknown[], len = src.length;
          for (let j = 0; j < len; j++, p++) { const c = slots[p]!; dst[j] = c >= 0 ? targets[c] : src[j]; }
          while (dst.length > len) dst.pop(); // (setting length is a runtime call; a step adds few)
          break;
        }
        case VALUES: {
          const src = s as unknown[], dst = t as unknown[], len = src.length;
          for (let j = 0; j < len; j++) dst[j] = src[j];
          while (dst.length > len) dst.pop();
          break;
        }
        case MAP: {
          const dst = t as Map<unknown, unknown>, raw = this.raw;
          if (sameEntries(dst, (s as Map<unknown, unknown>).size, 2, p, this)) break;
          dst.clear(); // (a new hash table: skipped above when nothing changed, the usual case)
          for (const e = p + 2 * (s as Map<unknown, unknown>).size; p < e; p += 2) {
            const ck = slots[p]!, cv = slots[p + 1]!;
            dst.set(ck >= 0 ? targets[ck] : raw[p], cv >= 0 ? targets[cv] : raw[p + 1]);
          }
          break;
        }
        case SET: {
          const dst = t as Set<unknown>, raw = this.raw;
          if (sameEntries(dst, (s as Set<unknown>).size, 1, p, this)) break;
          dst.clear();
          for (const e = p + (s as Set<unknown>).size; p < e; p++) { const c = slots[p]!; dst.add(c >= 0 ? targets[c] : raw[p]); }
          break;
        }
        default: {
          // Values in one builtin call (twice as fast as a keyed copy per field), then the
          // slots that point to objects or keep the target's own closure.
          const src = s as AnyObj, dst = t as AnyObj, ks = keys[i]!;
          const f = this.copy[i];
          if (f) f(dst, src, targets, this.kept, slots, p);
          else {
            Object.assign(dst, src);
            for (let e = p + 1 + 2 * slots[p]!; p + 1 < e; p += 2) {
              const c = slots[p + 2]!;
              dst[ks[slots[p + 1]!]!] = c >= 0 ? targets[c] : this.kept[KEEP - c];
            }
          }
          let m = 0;
          for (const _ in dst) m++;
          if (m !== ks.length) for (const k in dst) if (!(k in src)) delete dst[k]; // a property the step added
        }
      }
    }
    return targets[0];
  }

  /** The snapshot's typed arrays (to recycle when it is released). */
  typedNodes(): Typed[] {
    const out: Typed[] = [];
    for (let i = 0; i < this.nodes.length; i++) if (this.kinds[i] === TYPED) out.push(this.nodes[i] as Typed);
    return out;
  }
}

/**
 * Copies `root` (as clone.ts deepClone does: prototypes kept, `shared` referenced, typed
 * arrays from `pool`, closures re-created by `afterClone`) and records the plan between the
 * original and the copy. `snapshotIsCopy`: the copy is the snapshot and the originals are the
 * targets (a snapshot taken from the live state, bound to it); else the original is the
 * snapshot and the copies are the new targets.
 */
export function cloneWithPlan<T>(root: T, shared: ReadonlySet<unknown>, snapshotIsCopy: boolean, pool?: ArrayPool): { copy: T; plan: RestorePlan } {
  const plan = new RestorePlan();
  const index = new Map<unknown, number>();
  const copies: unknown[] = [];
  let slots = scratchSlots; // built here, then copied out at its size
  let used = 0;
  const reserve = (n: number): number => {
    while (used + n > slots.length) { const b = new Int32Array(slots.length * 2); b.set(slots); slots = b; }
    const at = used;
    used += n;
    return at;
  };
  const isNode = (v: unknown): boolean => typeof v === 'object' && v !== null && !shared.has(v);
  const visit = (v: unknown): number => {
    const seen = index.get(v);
    if (seen !== undefined) return seen;
    const i = copies.length;
    index.set(v, i);
    copies.push(undefined);
    plan.nodes.push(undefined); plan.targets.push(undefined); plan.kinds.push(OBJECT); plan.keys.push(null); plan.at.push(0); plan.copy.push(null);
    let c: unknown;
    if (ArrayBuffer.isView(v)) {
      c = pool ? pool.take(v as Typed) : (v as Typed).slice();
      plan.kinds[i] = TYPED;
      copies[i] = c;
    } else if (Array.isArray(v)) {
      const a = new Array<unknown>(v.length);
      copies[i] = a;
      plan.kinds[i] = ARRAY;
      const codes: number[] = [];
      for (let j = 0; j < v.length; j++) {
        const x = v[j];
        if (isNode(x)) { const ci = visit(x); codes.push(ci); a[j] = copies[ci]; } else { check(x); codes.push(VALUE); a[j] = x; }
      }
      if (codes.every((x) => x === VALUE)) plan.kinds[i] = VALUES; // no codes to keep
      else { const p = reserve(codes.length); slots.set(codes, p); plan.at[i] = p; }
      c = a;
    } else if (v instanceof Map) {
      const mp = new Map();
      copies[i] = mp;
      plan.kinds[i] = MAP;
      const codes: number[] = [];
      for (const [k, x] of v) {
        let kc = VALUE, vc = VALUE, kk: unknown = k, xx: unknown = x;
        if (isNode(k)) { kc = visit(k); kk = copies[kc]; } else check(k);
        if (isNode(x)) { vc = visit(x); xx = copies[vc]; } else check(x);
        codes.push(kc, vc);
        mp.set(kk, xx);
      }
      const p = reserve(codes.length); slots.set(codes, p); plan.at[i] = p;
      while (plan.raw.length < p) plan.raw.push(undefined); // dense (indexed like slots)
      for (const [k, x] of mp) plan.raw.push(k, x);
      c = mp;
    } else if (v instanceof Set) {
      const st = new Set();
      copies[i] = st;
      plan.kinds[i] = SET;
      const codes: number[] = [];
      for (const x of v) {
        if (isNode(x)) { const ci = visit(x); codes.push(ci); st.add(copies[ci]); } else { check(x); codes.push(VALUE); st.add(x); }
      }
      const p = reserve(codes.length); slots.set(codes, p); plan.at[i] = p;
      while (plan.raw.length < p) plan.raw.push(undefined); // dense (indexed like slots)
      for (const x of st) plan.raw.push(x);
      c = st;
    } else {
      const proto = Object.getPrototypeOf(v) as object | null;
      const src = v as AnyObj;
      // A spread copies the shape in one go (keyed stores adding properties one by one make
      // objects with more than a dozen fields slow dictionary-mode objects).
      const o = (proto === Object.prototype ? { ...src } : Object.setPrototypeOf({ ...src }, proto)) as AnyObj;
      copies[i] = o;
      const ks: string[] = [];
      const codes: number[] = [0];
      const closures: number[] = [];
      for (const k in src) {
        const x = src[k];
        if (typeof x === 'function' && !shared.has(x)) closures.push(ks.length);
        else if (isNode(x)) { const ci = visit(x); codes.push(ks.length, ci); o[k] = copies[ci]; }
        ks.push(k);
      }
      if (closures.length > 0) {
        if (typeof (o as unknown as Partial<Clonable>).afterClone !== 'function') throw new Error(`deepClone: ${proto?.constructor?.name ?? 'object'} has a closure property and no afterClone()`);
        (o as unknown as Clonable).afterClone();
        const target = (snapshotIsCopy ? v : o) as AnyObj;
        for (const j of closures) { codes.push(j, KEEP - plan.kept.length); plan.kept.push(target[ks[j]!]); }
      }
      codes[0] = (codes.length - 1) / 2;
      const shape = shapeFor(ks, codes);
      plan.keys[i] = shape.ks as string[];
      plan.copy[i] = shape.f;
      const p = reserve(codes.length); slots.set(codes, p); plan.at[i] = p;
      c = o;
    }
    plan.nodes[i] = snapshotIsCopy ? c : v;
    plan.targets[i] = snapshotIsCopy ? v : c;
    return i;
  };
  const check = (x: unknown): void => { if (typeof x === 'function' && !shared.has(x)) throw new Error('deepClone: a function outside `shared`'); };
  if (!isNode(root)) throw new Error('cloneWithPlan: the root must be an object');
  visit(root);
  scratchSlots = slots;
  plan.slots = slots.slice(0, used);
  return { copy: copies[0] as T, plan };
}
