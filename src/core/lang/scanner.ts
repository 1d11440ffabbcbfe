// The scanner: text → tokens, in one pass over char codes (no regex per char; the
// bench scans 10,000 lines in a few ms). It never fails: a character no token can
// start becomes a `bad` token with one diagnostic per run of such characters, and the
// parser stays silent on `bad` tokens so one typo gives one diagnostic.
//
// Words are runs of [A-Za-z0-9_.] starting with a letter, digit or `_`: identifiers,
// dotted metric names, numbers (`0x1000`, `64M`) and config values (`6.2`) are all
// words; the parser decides which it needs and `parseNumber` reads numbers.
import type { Diagnostic } from '../diagnostics';
import { CODES, diagnostic } from './codes';
import type { Range } from './source';

/** Token kinds (numbers: tokens live in typed arrays, see `Tokens`). */
export const TK = {
  word: 0, string: 1, lbrace: 2, rbrace: 3, lbracket: 4, rbracket: 5, comma: 6, eq: 7, semi: 8,
  /** `== != < <= > >=` */
  op: 9,
  newline: 10, eof: 11,
  /** Characters no token starts with; already diagnosed. */
  bad: 12,
  /** Integer expression operators and parentheses: `+ - * / % << ( )` (expr.ts). */
  arith: 13,
} as const;
export type TokenKind = (typeof TK)[keyof typeof TK];

/**
 * The token stream as parallel typed arrays (no object per token: the scanner and
 * parser allocate little, which keeps a 10,000-line file well under the 100 ms bar).
 * Tokens never span lines. Token `i`'s text is `text.slice(offset[i], end[i])`.
 */
export class Tokens {
  kind: Uint8Array;
  offset: Int32Array;
  end: Int32Array;
  line: Int32Array;
  count = 0;
  /** Offset of the first character of each line (the scanner fills it; columns are read from it). */
  readonly lineStarts: number[] = [0];
  /** Values of the string tokens with an escape, by token index (the others are their text between the quotes: `stringValue`). */
  readonly escaped = new Map<number, string>();

  constructor(readonly text: string, capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.offset = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.line = new Int32Array(capacity);
  }

  /** 0-based column of token `i`'s first character (UTF-16 units, like VS Code): no array of its own, one store less per token. */
  colOf(i: number): number {
    return this.offset[i]! - this.lineStarts[this.line[i]!]!;
  }

  push(kind: TokenKind, start: number, end: number, line: number): void {
    if (this.count === this.kind.length) this.grow();
    const i = this.count++;
    this.kind[i] = kind;
    this.offset[i] = start;
    this.end[i] = end;
    this.line[i] = line;
  }

  textOf(i: number): string {
    return this.text.slice(this.offset[i]!, this.end[i]!);
  }

  /** String token `i`'s value: escapes resolved, without its quotes (an unclosed one runs to the end of its line). */
  stringValue(i: number): string {
    const v = this.escaped.get(i);
    if (v !== undefined) return v;
    const a = this.offset[i]! + 1;
    const e = this.end[i]!;
    // Without escapes, a `"` after the opening one can only be the closing one, at the end.
    return this.text.slice(a, e > a && this.text.charCodeAt(e - 1) === 34 ? e - 1 : e);
  }

  private grow(): void {
    const n = this.kind.length * 2 + 16;
    const k = new Uint8Array(n); k.set(this.kind); this.kind = k;
    const o = new Int32Array(n); o.set(this.offset); this.offset = o;
    const e = new Int32Array(n); e.set(this.end); this.end = e;
    const l = new Int32Array(n); l.set(this.line); this.line = l;
  }
}

export interface ScanResult {
  readonly tokens: Tokens;
  readonly diagnostics: Diagnostic[];
  /** Offset of the first character of each line (for slicing statement text). */
  readonly lineStarts: number[];
}

const CH_TAB = 9, CH_LF = 10, CH_VT = 11, CH_FF = 12, CH_CR = 13, CH_SPACE = 32;
const CH_QUOTE = 34, CH_HASH = 35, CH_BACKSLASH = 92, CH_BOM = 0xfeff;

// Char classes in a table: 1 = word start, 2 = word continue only (the dot).
const WORD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) WORD[c] = 1;
for (let c = 65; c <= 90; c++) WORD[c] = 1;
for (let c = 97; c <= 122; c++) WORD[c] = 1;
WORD[95] = 1; // _
WORD[46] = 2; // .

// Single-character punctuation → token kind (0 = not single punctuation).
const PUNCT = new Uint8Array(128);
PUNCT[123] = TK.lbrace + 1; PUNCT[125] = TK.rbrace + 1; PUNCT[91] = TK.lbracket + 1; PUNCT[93] = TK.rbracket + 1;
PUNCT[44] = TK.comma + 1; PUNCT[59] = TK.semi + 1;

function isWordStart(c: number): boolean { return c < 128 && WORD[c] === 1; }
function isWordPart(c: number): boolean { return c < 128 && WORD[c] !== 0; }
/** `+ - * / % ( )`: single-character expression tokens (`<<` is read with `<`). */
function isArith(c: number): boolean {
  return c === 43 || c === 45 || c === 42 || c === 47 || c === 37 || c === 40 || c === 41;
}
function isSpace(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB || c === CH_VT || c === CH_FF || c === CH_BOM;
}
function isPunct(c: number): boolean {
  // { } [ ] , = ; < > !
  return c === 123 || c === 125 || c === 91 || c === 93 || c === 44 || c === 61 || c === 59 || c === 60 || c === 62 || c === 33;
}

export function scan(text: string): ScanResult {
  const n = text.length;
  // About one token per three characters in dense files (`repeat 2 as i { write i * 8 = i }`): one grow at most.
  const tokens = new Tokens(text, Math.ceil(n / 3) + 16);
  const diagnostics: Diagnostic[] = [];
  const lineStarts = tokens.lineStarts;
  let line = 0;
  let lineStart = 0;
  let i = 0;

  const rangeOf = (start: number, end: number): Range =>
    ({ start: { line, character: start - lineStart }, end: { line, character: end - lineStart } });

  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) { i++; continue; }
    if (c === CH_LF || c === CH_CR) {
      tokens.push(TK.newline, i, i, line);
      i += c === CH_CR && i + 1 < n && text.charCodeAt(i + 1) === CH_LF ? 2 : 1;
      line++;
      lineStart = i;
      lineStarts.push(i);
      continue;
    }
    if (c === CH_HASH) {
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === CH_LF || d === CH_CR) break;
        i++;
      }
      continue;
    }
    if (isWordStart(c)) {
      const s = i;
      i++;
      while (i < n && isWordPart(text.charCodeAt(i))) i++;
      tokens.push(TK.word, s, i, line);
      continue;
    }
    if (c === CH_QUOTE) {
      const s = i;
      i++;
      let value = '';
      let chunk = i;
      let closed = false;
      let escapes = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === CH_QUOTE) { if (escapes) value += text.slice(chunk, i); i++; closed = true; break; }
        if (d === CH_LF || d === CH_CR) break;
        if (d === CH_BACKSLASH) {
          escapes = true;
          value += text.slice(chunk, i);
          const e = i + 1 < n ? text.charCodeAt(i + 1) : -1;
          if (e === CH_QUOTE || e === CH_BACKSLASH) { value += String.fromCharCode(e); i += 2; chunk = i; continue; }
          const bad = e === -1 || e === CH_LF || e === CH_CR ? 1 : 2;
          diagnostics.push(diagnostic(CODES.badEscape, `expected \`\\"\` or \`\\\\\` after a backslash in a string, found \`${text.slice(i, i + bad)}\``, rangeOf(i, i + bad)));
          i += bad;
          chunk = i;
          continue;
        }
        i++;
      }
      if (!closed) {
        if (escapes) value += text.slice(chunk, i);
        diagnostics.push(diagnostic(CODES.unterminatedString, 'expected `"` to close the string before the end of the line, found end of line', rangeOf(s, i)));
      }
      if (escapes) tokens.escaped.set(tokens.count, value);
      tokens.push(TK.string, s, i, line);
      continue;
    }
    if (isPunct(c)) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
      if (c === 61 /* = */) {
        if (next === 61) { tokens.push(TK.op, i, i + 2, line); i += 2; } else { tokens.push(TK.eq, i, i + 1, line); i++; }
        continue;
      }
      if (c === 60 && next === 60 /* << */) { tokens.push(TK.arith, i, i + 2, line); i += 2; continue; }
      if (c === 60 || c === 62 /* < > */) {
        const len = next === 61 ? 2 : 1;
        tokens.push(TK.op, i, i + len, line);
        i += len;
        continue;
      }
      if (c === 33 /* ! */) {
        if (next === 61) { tokens.push(TK.op, i, i + 2, line); i += 2; continue; }
        // A lone `!` falls through to the bad-character path.
      } else {
        tokens.push((PUNCT[c]! - 1) as TokenKind, i, i + 1, line);
        i++;
        continue;
      }
    }
    if (isArith(c)) { tokens.push(TK.arith, i, i + 1, line); i++; continue; }
    // A run of characters no token starts with: one diagnostic for the run.
    const s = i;
    i++;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (isSpace(d) || d === CH_LF || d === CH_CR || d === CH_HASH || d === CH_QUOTE || isWordStart(d) || (isPunct(d) && d !== 33) || isArith(d)) break;
      i++;
    }
    const bad = text.slice(s, i);
    diagnostics.push(diagnostic(CODES.unexpectedChar, `expected a statement, number, name, string or one of \`{ } [ ] , = ; == != < <= > >= + - * / % << ( )\`, found \`${bad}\``, rangeOf(s, i)));
    tokens.push(TK.bad, s, i, line);
  }
  tokens.push(TK.eof, n, n, line);
  return { tokens, diagnostics, lineStarts };
}

/** The result of reading a number: its value, or why it is not a number. */
export type NumberParse = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly reason: string };

const MAX_LITERAL = 2n ** 64n;
/** Below this, float arithmetic on the digits is exact. */
const EXACT = 2 ** 53;

/**
 * Reads a number word: decimal `4096`, hex `0x1000`, `_` between digits, optional
 * suffix `K`/`M`/`G` (powers of 1024). Integers below 2^64 are numbers (up to
 * `0xffff_ffff_ffff_ffff`); the check is exact (past 2^53 the digits are summed as a
 * BigInt, so no rounding decides it). The checker applies the tighter per-statement
 * bounds (2^52 for addresses, 2^53 for values); `value` is the nearest double then.
 */
/** Whether `text[from..to)` starts with `0x` / `0X`. */
function isHex(text: string, from: number, to: number): boolean {
  return to - from >= 2 && text.charCodeAt(from) === 48 && (text.charCodeAt(from + 1) === 120 || text.charCodeAt(from + 1) === 88);
}

/** The multiplier of a size suffix character (`K`, `M`, `G`), or 1 for any other. */
function suffixMultiplier(c: number): number {
  return c === 75 ? 1024 : c === 77 ? 1024 * 1024 : c === 71 ? 1024 * 1024 * 1024 : 1;
}

export function parseNumber(text: string): NumberParse {
  const n = text.length;
  const base = isHex(text, 0, n) ? 16 : 10;
  let i = base === 16 ? 2 : 0;
  const last = text.charCodeAt(n - 1);
  const mult = suffixMultiplier(last);
  const end = mult === 1 ? n : n - 1;
  if (mult === 1 && (last === 107 || last === 109 || last === 103)) {
    return { ok: false, reason: `size suffixes are upper case: \`${text.slice(0, n - 1)}${String.fromCharCode(last - 32)}\`` };
  }
  if (i >= end) return { ok: false, reason: base === 16 ? 'expected hex digits after `0x`' : 'expected digits' };
  let value = 0;
  let big: bigint | null = null; // the exact value once `value` could round
  let digits = 0;
  let prevUnderscore = true; // a leading `_` is as wrong as a doubled one
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (base === 16 && c >= 97 && c <= 102) d = c - 87;
    else if (base === 16 && c >= 65 && c <= 70) d = c - 55;
    else if (c === 95) {
      if (prevUnderscore) return { ok: false, reason: '`_` may only separate digits' };
      prevUnderscore = true;
      continue;
    } else {
      const what = c === 46 ? 'a `.` (numbers are integers)' : `\`${text[i]}\``;
      return { ok: false, reason: `expected ${base === 16 ? 'a hex digit' : 'a digit'}${i === end - 1 && base === 10 ? ' or a suffix K, M, G' : ''}, found ${what}` };
    }
    prevUnderscore = false;
    if (big !== null) {
      if (big < MAX_LITERAL) big = big * BigInt(base) + BigInt(d); // past 2^64 the verdict is known: stop growing
    } else {
      value = value * base + d;
      if (value >= EXACT) big = exactDigits(text, digits + 1, base);
    }
    digits++;
  }
  if (prevUnderscore) return { ok: false, reason: '`_` may only separate digits' };
  if (big === null && value * mult < EXACT) return { ok: true, value: value * mult };
  const exact = (big ?? BigInt(value)) * BigInt(mult);
  if (exact >= MAX_LITERAL) return { ok: false, reason: 'it does not fit in 64 bits (at most 0xffff_ffff_ffff_ffff)' };
  return { ok: true, value: Number(exact) };
}

/**
 * `parseNumber(text)`'s value, or NaN when it has none (ask `parseNumber` why): plain decimal
 * or hex digits with an optional K/M/G below 2^53 are read here without a result object (the
 * parser reads one per number literal); anything else (`_`, a bad digit, a large value) goes
 * through `parseNumber`.
 */
export function numberValue(text: string): number {
  return numberValueIn(text, 0, text.length);
}

/** `numberValue(text.slice(from, to))`, without the slice (the parser reads number tokens in place). */
export function numberValueIn(text: string, from: number, to: number): number {
  if (to <= from) return NaN;
  const base = isHex(text, from, to) ? 16 : 10;
  let i = base === 16 ? from + 2 : from;
  const mult = suffixMultiplier(text.charCodeAt(to - 1));
  const end = mult === 1 ? to : to - 1;
  let value = 0;
  if (i < end && end - i <= 13) { // 13 hex digits < 2^52: no rounding before the check below
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (base === 16 && c >= 97 && c <= 102) d = c - 87;
      else if (base === 16 && c >= 65 && c <= 70) d = c - 55;
      else break;
      value = value * base + d;
    }
    if (i === end && value * mult < EXACT) return value * mult;
  }
  const r = parseNumber(from === 0 && to === text.length ? text : text.slice(from, to));
  return r.ok ? r.value : NaN;
}

/** The first `count` digits of a number word as an exact BigInt (prefix and `_` skipped). */
function exactDigits(text: string, count: number, base: number): bigint {
  let v = 0n;
  const b = BigInt(base);
  for (let i = base === 16 ? 2 : 0, seen = 0; seen < count; i++) {
    const c = text.charCodeAt(i);
    if (c === 95) continue;
    const d = c <= 57 ? c - 48 : c >= 97 ? c - 87 : c - 55;
    v = v * b + BigInt(d);
    seen++;
  }
  return v;
}
