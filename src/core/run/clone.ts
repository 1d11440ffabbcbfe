// Deep copy of a run's live state (the machine and the interpreter) for snapshot/restore:
// the stepping engine's step back, the debugger's reverse run and the explorer's replay
// cache all copy through here, so a model component added later is copied without being
// listed. Objects keep their prototype and identity structure (shared references stay
// shared, cycles stay cycles); typed arrays are copied whole; `shared` objects (compiled
// ops, the resolved config, callbacks from the caller) are referenced, not copied. An own
// function property is a closure over the original and would silently act on it, so it is
// refused unless the object re-creates its closures in `afterClone()`.

type AnyObj = Record<string, unknown>;

export interface Clonable { afterClone(): void }

type Typed = ArrayBufferView & { readonly length: number; set(src: ArrayLike<number>): void; slice(): Typed };

/** Typed arrays a clone may reuse (same type and length) instead of allocating: the caller
 *  hands in arrays of a state it has dropped (run/session.ts), the hot path of restore. */
export class ArrayPool {
  private readonly byType = new Map<unknown, Map<number, Typed[]>>();
  private list(a: Typed): Typed[] {
    let t = this.byType.get(a.constructor);
    if (!t) { t = new Map(); this.byType.set(a.constructor, t); }
    let l = t.get(a.length);
    if (!l) { l = []; t.set(a.length, l); }
    return l;
  }
  put(arrays: readonly Typed[]): void {
    for (const a of arrays) { const l = this.list(a); if (l.length < 64) l.push(a); }
  }
  take(src: Typed): Typed {
    const l = this.list(src);
    const a = l?.pop();
    if (!a) return src.slice();
    a.set(src as unknown as ArrayLike<number>);
    return a;
  }
}

/** `created` collects the typed arrays of the copy (to give back to `pool` when it is dropped). */
export function deepClone<T>(root: T, shared: ReadonlySet<unknown>, pool?: ArrayPool, created?: Typed[]): T {
  const memo = new Map<unknown, unknown>();
  const copy = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) {
      if (typeof v === 'function' && !shared.has(v)) throw new Error('deepClone: a function outside `shared`');
      return v;
    }
    if (shared.has(v)) return v;
    const seen = memo.get(v);
    if (seen !== undefined) return seen;
    if (ArrayBuffer.isView(v)) {
      const t = pool ? pool.take(v as Typed) : (v as Typed).slice();
      created?.push(t);
      memo.set(v, t);
      return t;
    }
    if (Array.isArray(v)) {
      const a = new Array<unknown>(v.length);
      memo.set(v, a);
      for (let i = 0; i < v.length; i++) a[i] = copy(v[i]);
      return a;
    }
    if (v instanceof Map) {
      const m = new Map();
      memo.set(v, m);
      for (const [k, x] of v) m.set(copy(k), copy(x));
      return m;
    }
    if (v instanceof Set) {
      const s = new Set();
      memo.set(v, s);
      for (const x of v) s.add(copy(x));
      return s;
    }
    const proto = Object.getPrototypeOf(v) as object | null;
    // A spread copies the source's shape in one go; adding the properties one by one with keyed
    // stores turned every object with more than a dozen fields (the machine, memory, TLB,
    // vCPUs) into a slow dictionary-mode object, and the model ran on those after a restore.
    const o = (proto === Object.prototype ? { ...(v as AnyObj) } : Object.setPrototypeOf({ ...(v as AnyObj) }, proto)) as AnyObj;
    memo.set(v, o);
    const src = v as AnyObj;
    let closures = false;
    for (const k in src) {
      const x = src[k];
      if (typeof x === 'function' && !shared.has(x)) { closures = true; continue; }
      o[k] = copy(x);
    }
    if (closures) {
      if (typeof (o as unknown as Partial<Clonable>).afterClone !== 'function') {
        throw new Error(`deepClone: ${proto?.constructor?.name ?? 'object'} has a closure property and no afterClone()`);
      }
      (o as unknown as Clonable).afterClone();
    }
    return o;
  };
  return copy(root) as T;
}

