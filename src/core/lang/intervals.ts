// A set of half-open intervals [lo, hi) with "which one overlaps [a, b)?" in O(log n)
// expected: a treap ordered by (lo, insertion order), each node keeping the largest
// `hi` of its subtree (the interval tree of CLRS §14.3). The checker keeps live memslots
// here, so a file of 100,000 memslots is checked in O(n log n), not O(n²).

interface Node<T> {
  readonly lo: number;
  readonly hi: number;
  readonly seq: number;
  readonly prio: number;
  readonly value: T;
  left: Node<T> | null;
  right: Node<T> | null;
  max: number;
}

function less<T>(a: Node<T>, lo: number, seq: number): boolean {
  return a.lo < lo || (a.lo === lo && a.seq < seq);
}

function fix<T>(n: Node<T>): Node<T> {
  n.max = Math.max(n.hi, n.left ? n.left.max : -Infinity, n.right ? n.right.max : -Infinity);
  return n;
}

/** Handle of an inserted interval (pass it to `remove`). */
export interface IntervalHandle { readonly lo: number; readonly seq: number }

const SEED = 0x2545f491;

export class IntervalSet<T> {
  private root: Node<T> | null = null;
  private seq = 0;
  // A fixed-seed xorshift: the same file gives the same tree (determinism), and expected depth stays O(log n).
  private rnd = SEED;
  size = 0;
  /** Nodes the last `overlapping` looked at (tests assert it stays O(log n)). */
  visits = 0;
  /** The search path of the current insert or remove (reused: no array per operation; `clear` drops what it still references). */
  private readonly path: Node<T>[] = [];

  /** Empty again, as if new (the same seed: the same file gives the same tree). */
  clear(): void {
    this.root = null;
    this.seq = 0;
    this.rnd = SEED;
    this.size = 0;
    this.visits = 0;
    this.path.length = 0;
  }

  insert(lo: number, hi: number, value: T): IntervalHandle {
    let x = this.rnd;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.rnd = x;
    const seq = this.seq++;
    const node: Node<T> = { lo, hi, seq, prio: x >>> 0, value, left: null, right: null, max: hi };
    // Down to the leaf position, keeping the path; then up by rotations while the heap order
    // (higher priority nearer the root) asks for it. A treap's shape depends only on its keys
    // and priorities: any correct insert gives the same tree, so the same file, the same answers.
    const path = this.path;
    let depth = 0;
    for (let n = this.root; n; n = less(n, lo, seq) ? n.right : n.left) path[depth++] = n;
    this.link(path, depth, null, node);
    while (depth > 0 && path[depth - 1]!.prio < node.prio) {
      const p = path[--depth]!;
      if (p.left === node) { p.left = node.right; node.right = p; } else { p.right = node.left; node.left = p; }
      fix(p);
      this.link(path, depth, p, node);
    }
    fix(node);
    // The ancestors' max grows to `hi` at most; above the first that already reaches it, all do.
    for (let i = depth - 1; i >= 0 && path[i]!.max < hi; i--) path[i]!.max = hi;
    this.size++;
    return node;
  }

  remove(h: IntervalHandle): void {
    const path = this.path;
    let depth = 0;
    let n = this.root;
    while (n && (n.lo !== h.lo || n.seq !== h.seq)) { path[depth++] = n; n = less(n, h.lo, h.seq) ? n.right : n.left; }
    if (!n) return;
    // Rotate it down (the child of higher priority comes up) until it has one child at most, then unlink it.
    while (n.left && n.right) {
      const up = n.left.prio > n.right.prio ? n.left : n.right;
      if (up === n.left) { n.left = up.right; up.right = n; } else { n.right = up.left; up.left = n; }
      this.link(path, depth, n, up);
      path[depth++] = up;
    }
    this.link(path, depth, n, n.left ?? n.right);
    n.left = n.right = null;
    for (let i = depth - 1; i >= 0; i--) fix(path[i]!);
    this.size--;
  }

  /** Makes `child` the child of `path[depth - 1]` where `old` was (the root when depth is 0; `old` null: where `child`'s key belongs). */
  private link(path: Node<T>[], depth: number, old: Node<T> | null, child: Node<T> | null): void {
    if (depth === 0) { this.root = child; return; }
    const p = path[depth - 1]!;
    if (old ? p.left === old : child && !less(p, child.lo, child.seq)) p.left = child; else p.right = child;
  }

  /** Whether the tree is a treap ordered by (lo, seq), heap-ordered by priority, each `max` exact (tests). */
  wellFormed(): boolean {
    let ok = true;
    let count = 0;
    const walk = (n: Node<T> | null, lo: Node<T> | null, hi: Node<T> | null): number => {
      if (!n) return -Infinity;
      count++;
      if (lo && !less(lo, n.lo, n.seq)) ok = false;
      if (hi && !less(n, hi.lo, hi.seq)) ok = false;
      if ((n.left && n.left.prio > n.prio) || (n.right && n.right.prio > n.prio)) ok = false;
      const m = Math.max(n.hi, walk(n.left, lo, n), walk(n.right, n, hi));
      if (m !== n.max) ok = false;
      return m;
    };
    walk(this.root, null, null);
    return ok && count === this.size;
  }

  /** Some interval with lo < b and a < hi, or undefined. */
  overlapping(a: number, b: number): T | undefined {
    let n = this.root;
    this.visits = 0;
    while (n) {
      this.visits++;
      if (n.lo < b && a < n.hi) return n.value;
      // If the left subtree reaches past `a` and holds no overlap, its far-reaching node starts
      // at or after `b`, and so does everything to the right: only one side needs a look.
      n = n.left && n.left.max > a ? n.left : n.right;
    }
    return undefined;
  }
}
