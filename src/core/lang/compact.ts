// Exact-size copies of small lists the syntax tree and compiled ops keep (block bodies, a
// statement's dynamic fields). A list grown by push holds 17 slots for one element;
// a copy by `slice` is sized but made by the runtime, so it is allocated young and copied by
// every scavenge it survives, while an array literal's allocation site is pretenured once its
// arrays are seen to survive (see tokenNodes.ts). Up to four elements use literals.

/** `a.slice(from, to)` in an array of its own length (a fresh array; `a` is left as it is). */
export function compactFrom<T>(a: readonly T[], from: number, to = a.length): T[] {
  switch (to - from) {
    case 0: return [];
    case 1: return [a[from]!];
    case 2: return [a[from]!, a[from + 1]!];
    case 3: return [a[from]!, a[from + 1]!, a[from + 2]!];
    case 4: return [a[from]!, a[from + 1]!, a[from + 2]!, a[from + 3]!];
    default: return a.slice(from, to);
  }
}
