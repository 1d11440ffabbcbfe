// What the CLI commands need from the outside world, behind a small interface so the
// commands can be called directly in tests (capturing output) as well as from the
// real process. Also the shared formatting of diagnostics (text and JSON).
import { closeSync, fstatSync, openSync, readSync, constants as fsc } from 'node:fs';
import type { Diagnostic } from '../core/diagnostics';

export interface CliIO {
  /** Write to standard output (text as given; add the newline yourself). */
  out(text: string): void;
  /** Write to standard error. */
  err(text: string): void;
  /** Read a UTF-8 file; throws on failure (use `readSource` for a friendly message). */
  readFile(path: string): string;
}

import { MAX_SOURCE_BYTES } from '../core/limits';

export { MAX_SOURCE_BYTES };

/** An input the CLI refuses before reading it: `code` is ENOTREG (not a regular file) or EFBIG. */
export class InputRefused extends Error {
  constructor(readonly code: 'ENOTREG' | 'EFBIG', message: string) { super(message); }
}

/**
 * Reads a regular file of at most MAX_SOURCE_BYTES. Opened non-blocking (a FIFO does not
 * hang the open) and checked with fstat on the open descriptor, then read into a buffer of
 * the size found plus one byte, so `/dev/zero` or a file growing meanwhile cannot make it
 * read more than the limit.
 */
export function readBoundedFile(path: string, max = MAX_SOURCE_BYTES): string {
  const fd = openSync(path, fsc.O_RDONLY | (fsc.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!st.isFile()) throw new InputRefused('ENOTREG', 'it is not a regular file (a device, FIFO or socket)');
    if (st.size > max) throw new InputRefused('EFBIG', `it is ${st.size} bytes, above the limit of ${max} bytes (16 MiB)`);
    const buf = Buffer.alloc(st.size + 1);
    let n = 0;
    for (;;) {
      const k = readSync(fd, buf, n, buf.length - n, null);
      if (k === 0) break;
      n += k;
      if (n === buf.length) throw new InputRefused('EFBIG', `it grew while being read, past the limit of ${max} bytes (16 MiB)`);
    }
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

export const nodeIO: CliIO = {
  out: (text) => { process.stdout.write(text); },
  err: (text) => { process.stderr.write(text); },
  readFile: (path) => readBoundedFile(path),
};

/** Exit codes of every command (product.md, CLI contract). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export type SourceRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/** Reads a scenario file, turning I/O errors into one readable line. */
export function readSource(io: CliIO, path: string): SourceRead {
  try {
    const text = io.readFile(path);
    // An IO without the checks of readBoundedFile (tests, embedders) is held to the same size.
    if (text.length > MAX_SOURCE_BYTES) return { ok: false, message: `mmu-lab: cannot read ${path}: it is ${text.length} characters, above the limit of ${MAX_SOURCE_BYTES} bytes (16 MiB)` };
    return { ok: true, text };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = e instanceof InputRefused ? e.message : code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    return { ok: false, message: `mmu-lab: cannot read ${path}: ${why}` };
  }
}

/** The CLI contract's JSON form of a diagnostic: 1-based line and column. */
export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export function diagnosticToJson(d: Diagnostic): JsonDiagnostic {
  return { code: d.code, severity: d.severity, line: d.range.start.line + 1, column: d.range.start.character + 1, message: d.message };
}

/** Line `n` (0-based) of `text`, without its line break; '' past the end. */
export function lineOf(text: string, n: number): string {
  let start = 0;
  for (let i = 0; i < n; i++) {
    const lf = text.indexOf('\n', start);
    const cr = text.indexOf('\r', start);
    const brk = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    if (brk < 0) return '';
    start = brk + (text.charCodeAt(brk) === 13 && text.charCodeAt(brk + 1) === 10 ? 2 : 1);
  }
  let end = start;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  return text.slice(start, end);
}

/**
 * `file:line:col  severity code  message`, then the source line and a caret under the
 * range (1-based positions, like compilers print them).
 */
export function formatDiagnostic(fileName: string, text: string, d: Diagnostic): string {
  const line = d.range.start.line;
  const col = d.range.start.character;
  const src = lineOf(text, line).replace(/\t/g, ' ');
  const endCol = d.range.end.line === line ? Math.max(d.range.end.character, col + 1) : Math.max(src.length, col + 1);
  const num = String(line + 1);
  const gutter = ' '.repeat(num.length);
  const caret = ' '.repeat(col) + '^' + '~'.repeat(Math.max(0, endCol - col - 1));
  return `${fileName}:${line + 1}:${col + 1}  ${d.severity} ${d.code}  ${d.message}\n` +
    `  ${num} | ${src}\n` +
    `  ${gutter} | ${caret}\n`;
}

/** What went wrong, for `{"error": {...}}` under --json: usage (arguments), input (the file), parse (its diagnostics), internal. */
export type ErrorKind = 'usage' | 'input' | 'parse' | 'internal';

/**
 * Reports an outcome that ends with exit 2: `message` (and `more`, e.g. the usage) on stderr,
 * and with `--json` one JSON object `{"error": {"kind", "message"}, ...top}` on stdout, so a
 * tool reading stdout always gets one object to parse (`top`: e.g. the parse errors' `diagnostics`).
 */
export function reportError(io: CliIO, json: boolean, kind: ErrorKind, message: string, more = '', top: Record<string, unknown> = {}): void {
  io.err(`${message}\n${more}`);
  if (json) io.out(`${JSON.stringify({ error: { kind, message: message.replace(/\n+$/, '') }, ...top })}\n`);
}
