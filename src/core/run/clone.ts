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

export function deepClone<T>(root: T, shared: ReadonlySet<unknown>): T {
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
      const t = (v as unknown as { slice(): unknown }).slice();
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
    const o = Object.create(proto) as AnyObj;
    memo.set(v, o);
    const src = v as AnyObj;
    let closures = false;
    for (const k of Object.keys(src)) {
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
