// Finds the token under the cursor on one line of `.mmu` text (pure, no vscode import):
// dotted metric names, numbers with suffixes, words, operators. Comments and strings
// are reported as such so hover and completion can stay quiet inside them.

export interface LineToken {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly kind: 'word' | 'number' | 'string' | 'comment' | 'operator' | 'punct';
}

const TOKEN = /(#.*$)|("(?:[^"\\]|\\.)*"?)|(0[xX][0-9a-fA-F_]+[KMG]?\b|[0-9][0-9_]*(?:\.[0-9]+)?[KMG]?\b)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|(==|!=|<=|>=|<|>|=)|([{}[\],;])/g;

/** Tokens of one line, in order (whitespace dropped). */
export function lineTokens(line: string): LineToken[] {
  const out: LineToken[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(line); m; m = TOKEN.exec(line)) {
    const kind = m[1] ? 'comment' : m[2] ? 'string' : m[3] ? 'number' : m[4] ? 'word' : m[5] ? 'operator' : 'punct';
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length, kind });
  }
  return out;
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
