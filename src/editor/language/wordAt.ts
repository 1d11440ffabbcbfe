// Finds the token under the cursor on one line of `.mmu` text (pure, no vscode import):
// dotted metric names, numbers with suffixes, words, operators. Comments and strings
// are reported as such so hover and completion can stay quiet inside them.

export interface LineToken {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly kind: 'word' | 'number' | 'string' | 'comment' | 'operator' | 'punct';
  /** A string without its closing quote (the line ends inside it). */
  readonly unclosed?: true;
}

/** A string token that reaches the end of the line without its closing `"`. */
export function isUnclosedString(t: LineToken): boolean {
  return t.kind === 'string' && t.unclosed === true;
}

// Character classes (ASCII): word characters, digits, hex digits.
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function isHex(c: number): boolean { return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102); }
function isWordStart(c: number): boolean { return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; }
function isSuffix(c: number): boolean { return c === 75 || c === 77 || c === 71; } // K M G
/** `\b` after position j-1 (a word character): the next character is not one. */
function boundary(line: string, j: number): boolean { return j >= line.length || !isWordChar(line.charCodeAt(j)); }

/**
 * Tokens of one line, in order (whitespace dropped), in one pass: the same tokens as the
 * regex `(#.*$)|("(?:[^"\\]|\\.)*"?)|(0[xX][0-9a-fA-F_]+[KMG]?\b|[0-9][0-9_]*(?:\.[0-9]+)?[KMG]?\b)|(word(.word)*)|(op)|(punct)`
 * would give, without its backtracking: `1111…1a` of 80,000 digits was quadratic there
 * (each digit retried the number), here it is linear, so hover and completion stay fast on any line.
 */
export function lineTokens(line: string): LineToken[] {
  const out: LineToken[] = [];
  const n = line.length;
  // Digits before this index cannot start a number: the run they belong to ends in a word character.
  let numberFailsUntil = -1;
  let i = 0;
  const push = (kind: LineToken['kind'], start: number, end: number, unclosed = false): void => {
    out.push(unclosed ? { text: line.slice(start, end), start, end, kind, unclosed: true } : { text: line.slice(start, end), start, end, kind });
  };
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 35) { push('comment', i, n); break; } // #
    if (c === 34) { // "
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = line.charCodeAt(j);
        if (d === 92 && j + 1 < n) { j += 2; continue; }
        if (d === 92) break; // a lone backslash at the end: `[^"\\]` cannot take it, `"?` ends the string before it
        if (d === 34) { j++; closed = true; break; }
        j++;
      }
      push('string', i, j, !closed);
      i = j;
      continue;
    }
    // A `0x` starts a hex number even inside a failed decimal run (`00X_1G`: `0X_1G` at 1); hex runs
    // hold no `x`, so those scans do not overlap and the pass stays linear.
    const hexStart = c === 48 && i + 1 < n && (line.charCodeAt(i + 1) | 32) === 120;
    if (isDigit(c) && (i >= numberFailsUntil || hexStart)) {
      const end = numberEnd(line, i);
      if (end > 0) { push('number', i, end); i = end; continue; }
      // Every later digit of this run fails the same way (same end, same next character), but a `0x`.
      let j = i + 1;
      while (j < n && (isDigit(line.charCodeAt(j)) || line.charCodeAt(j) === 95)) j++;
      numberFailsUntil = j;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordChar(line.charCodeAt(j))) j++;
      while (j + 1 < n && line.charCodeAt(j) === 46 && isWordStart(line.charCodeAt(j + 1))) {
        j += 2;
        while (j < n && isWordChar(line.charCodeAt(j))) j++;
      }
      push('word', i, j);
      i = j;
      continue;
    }
    const d = i + 1 < n ? line.charCodeAt(i + 1) : -1;
    if ((c === 61 || c === 33 || c === 60 || c === 62) && d === 61) { push('operator', i, i + 2); i += 2; continue; } // == != <= >=
    if (c === 60 || c === 62 || c === 61) { push('operator', i, i + 1); i++; continue; } // < > =
    if (c === 123 || c === 125 || c === 91 || c === 93 || c === 44 || c === 59) { push('punct', i, i + 1); i++; continue; }
    i++;
  }
  return out;
}

/** End of the number token starting at i (a digit), or -1 when none starts there. */
function numberEnd(line: string, i: number): number {
  const n = line.length;
  if (line.charCodeAt(i) === 48 && i + 1 < n && (line.charCodeAt(i + 1) | 32) === 120) { // 0x / 0X
    let j = i + 2;
    while (j < n && (isHex(line.charCodeAt(j)) || line.charCodeAt(j) === 95)) j++;
    if (j > i + 2) {
      const k = j < n && isSuffix(line.charCodeAt(j)) ? j + 1 : j;
      if (boundary(line, k)) return k;
      // Shorter matches end before a hex digit, `_` or a suffix: no boundary there either.
    }
    // The decimal form reads just the `0`, followed by `x`: no boundary.
    return -1;
  }
  let j = i + 1;
  while (j < n && (isDigit(line.charCodeAt(j)) || line.charCodeAt(j) === 95)) j++;
  if (j + 1 < n && line.charCodeAt(j) === 46 && isDigit(line.charCodeAt(j + 1))) {
    let k = j + 2;
    while (k < n && isDigit(line.charCodeAt(k))) k++;
    const ks = k < n && isSuffix(line.charCodeAt(k)) ? k + 1 : k;
    if (boundary(line, ks)) return ks;
    return j; // without the fraction: `.` follows, a boundary
  }
  const js = j < n && isSuffix(line.charCodeAt(j)) ? j + 1 : j;
  return boundary(line, js) ? js : -1;
}

/** The token containing `character` (or ending right at it), with its index in the line. */
export function tokenAt(line: string, character: number): { token: LineToken; index: number; tokens: LineToken[] } | undefined {
  const tokens = lineTokens(line);
  let index = tokens.findIndex((t) => t.start <= character && character < t.end);
  if (index < 0) index = tokens.findIndex((t) => t.end === character && t.kind !== 'punct' && t.kind !== 'operator');
  if (index < 0) return undefined;
  return { token: tokens[index]!, index, tokens };
}

/** First word of the statement the tokens belong to, skipping a `vcpu N` prefix. */
export function statementKeyword(tokens: readonly LineToken[], before = tokens.length): { text: string; index: number } | undefined {
  let start = 0;
  // Statements end at `;`: find the statement containing index `before`.
  for (let i = 0; i < Math.min(before, tokens.length); i++) if (tokens[i]!.text === ';' || tokens[i]!.text === '{' || tokens[i]!.text === '}') start = i + 1;
  let i = start;
  if (tokens[i]?.text === 'vcpu' && tokens[i + 1]?.kind === 'number') i += 2;
  const t = tokens[i];
  return t && t.kind === 'word' ? { text: t.text, index: i } : undefined;
}
