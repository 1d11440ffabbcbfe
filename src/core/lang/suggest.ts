// "Did you mean ...?" for misspelt keywords, keys, metrics and function names:
// the closest candidate by edit distance, if it is close enough to be a typo.

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of adjacent
 * characters (`hots` → `host` is one edit), with an early exit once it exceeds `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `word`: a case-insensitive match first, then the smallest
 * edit distance up to 1 for short words, 2 for words of 5+ characters, 3 for 10+;
 * failing that, the shortest candidate that `word` (3+ characters) begins — a word
 * typed halfway (`checkp`, `mems`) is the common case while someone is typing.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const max = word.length >= 10 ? 3 : word.length >= 5 ? 2 : 1;
  let best: string | undefined;
  let bestD = max + 1;
  let prefix: string | undefined;
  for (const c of candidates) {
    if (c.toLowerCase() === lower) return c;
    const d = editDistance(word, c, max);
    if (d < bestD) { bestD = d; best = c; }
    if (word.length >= 3 && c.startsWith(word) && (prefix === undefined || c.length < prefix.length)) prefix = c;
  }
  return best ?? prefix;
}
