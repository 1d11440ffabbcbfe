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

// The two halves of the last `split` (module state, not a pair per call: a split recurses
// O(log n) levels and the checker splits twice per memslot statement).
let splitLeft: Node<unknown> | null = null;
let splitRight: Node<unknown> | null = null;

/** Splits `t` into nodes before (lo, seq), left in `splitLeft`, and the rest, in `splitRight`. */
function split<T>(t: Node<T> | null, lo: number, seq: number): void {
  if (!t) { splitLeft = null; splitRight = null; return; }
  if (less(t, lo, seq)) {
    split(t.right, lo, seq);
    t.right = splitLeft as Node<T> | null;
    splitLeft = fix(t) as Node<unknown>;
    return;
  }
  split(t.left, lo, seq);
  t.left = splitRight as Node<T> | null;
  splitRight = fix(t) as Node<unknown>;
}

function merge<T>(a: Node<T> | null, b: Node<T> | null): Node<T> | null {
  if (!a) return b;
  if (!b) return a;
  if (a.prio > b.prio) { a.right = merge(a.right, b); return fix(a); }
  b.left = merge(a, b.left);
  return fix(b);
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

  /** Empty again, as if new (the same seed: the same file gives the same tree). */
  clear(): void {
    this.root = null;
    this.seq = 0;
    this.rnd = SEED;
    this.size = 0;
    this.visits = 0;
  }

  insert(lo: number, hi: number, value: T): IntervalHandle {
    let x = this.rnd;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.rnd = x;
    const node: Node<T> = { lo, hi, seq: this.seq++, prio: x >>> 0, value, left: null, right: null, max: hi };
    split(this.root, lo, node.seq);
    const a = splitLeft as Node<T> | null, b = splitRight as Node<T> | null;
    splitLeft = splitRight = null; // module state must not keep a tree alive
    this.root = merge(merge(a, node), b);
    this.size++;
    return node;
  }

  remove(h: IntervalHandle): void {
    split(this.root, h.lo, h.seq);
    const a = splitLeft as Node<T> | null, rest = splitRight as Node<T> | null;
    split(rest, h.lo, h.seq + 1);
    const mid = splitLeft, b = splitRight as Node<T> | null;
    splitLeft = splitRight = null;
    if (mid) this.size--;
    this.root = merge(a, b);
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
