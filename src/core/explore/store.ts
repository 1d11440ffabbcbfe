// Bounded stores of the breadth-first search: a set of 64-bit fingerprints (open addressing
// on a Uint32Array, two words a slot, (0,0) = empty) and the search tree as parent links plus
// encoded moves on growable typed arrays — no model state is kept per state (docs/explore.md).

export class FingerprintSet {
  private t: Uint32Array;
  private mask: number;
  size = 0;

  constructor(initial = 1 << 12) {
    let n = 16;
    while (n < initial * 2) n *= 2;
    this.t = new Uint32Array(n * 2);
    this.mask = n - 1;
  }

  /** Adds (a, b); false when it was there already. */
  add(a: number, b: number): boolean {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const t = this.t, mask = this.mask;
    let i = (Math.imul(a ^ (b >>> 7), 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const x = t[i * 2], y = t[i * 2 + 1];
      if (x === 0 && y === 0) { t[i * 2] = a; t[i * 2 + 1] = b; this.size++; return true; }
      if (x === a && y === b) return false;
      i = (i + 1) & mask;
    }
  }

  has(a: number, b: number): boolean {
    const t = this.t, mask = this.mask;
    let i = (Math.imul(a ^ (b >>> 7), 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const x = t[i * 2], y = t[i * 2 + 1];
      if (x === 0 && y === 0) return false;
      if (x === a && y === b) return true;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.t;
    const n = (this.mask + 1) * 2;
    this.t = new Uint32Array(n * 2);
    this.mask = n - 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.add(old[i]!, old[i + 1]!);
  }

  /** Bytes held (for the memory note). */
  bytes(): number { return this.t.byteLength; }
}

/** The search tree: node 0 is the state after the setup. */
export class PathTree {
  private parent = new Int32Array(1024);
  private moveAt = new Int32Array(1024);
  private pool = new Int32Array(4096);
  private used = 0;
  count = 1;

  constructor() { this.parent[0] = -1; this.moveAt[0] = -1; }

  /** A child of `parent` reached by the encoded move a[from..to). Returns its id. */
  add(parent: number, a: ArrayLike<number>, from: number, to: number): number {
    const id = this.count++;
    if (id >= this.parent.length) {
      const p = new Int32Array(this.parent.length * 2); p.set(this.parent); this.parent = p;
      const m = new Int32Array(this.moveAt.length * 2); m.set(this.moveAt); this.moveAt = m;
    }
    const n = to - from;
    while (this.used + n > this.pool.length) { const q = new Int32Array(this.pool.length * 2); q.set(this.pool); this.pool = q; }
    for (let i = 0; i < n; i++) this.pool[this.used + i] = a[from + i]!;
    this.parent[id] = parent;
    this.moveAt[id] = this.used;
    this.used += n;
    return id;
  }

  /** Appends node `id`'s encoded path (root to it) to `out`; returns the number of moves. */
  path(id: number, out: number[]): number {
    const chain: number[] = [];
    for (let n = id; n > 0; n = this.parent[n]!) chain.push(n);
    for (let i = chain.length - 1; i >= 0; i--) {
      const at = this.moveAt[chain[i]!]!;
      const len = 2 + this.pool[at + 1]!;
      for (let j = 0; j < len; j++) out.push(this.pool[at + j]!);
    }
    return chain.length;
  }

  bytes(): number { return this.parent.byteLength + this.moveAt.byteLength + this.pool.byteLength; }
}
