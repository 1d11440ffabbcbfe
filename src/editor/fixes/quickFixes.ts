// Quick fixes for `.mmu` diagnostics (pure, no vscode import): every "did you mean `X`?"
// (E101, E201, E202, E220, E221) replaces the word with X; E203 offers to remove either of
// the two values that cannot go together; an unexpected stale use offers to add
// `expect stale > 0` at the end of its scenario (a bug demo that means to show it).
import type { ConfigEntry, ConfigNode, FileNode, ScenarioNode } from '../../core/lang/ast';
import type { Range } from '../../core/lang/source';

export interface TextEditSpec {
  readonly range: Range;
  readonly newText: string;
}

export interface QuickFixSpec {
  readonly title: string;
  readonly edits: readonly TextEditSpec[];
  /** The one fix to apply with "Fix" / Ctrl+. Enter. */
  readonly preferred: boolean;
}

/** What a quick fix needs of a diagnostic (core diagnostics and run diagnostics alike). */
export interface FixableDiagnostic {
  readonly code: string;
  readonly message: string;
  readonly range: Range;
  readonly related?: readonly { readonly range: Range; readonly message: string }[];
}

export const DID_YOU_MEAN_CODES: ReadonlySet<string> = new Set(['E101', 'E201', 'E202', 'E220', 'E221']);
/** Run diagnostics (mmu run) of a stale use that no `expect stale` asked for. */
export const UNEXPECTED_STALE_CODE = 'stale-use';

const sameRange = (a: Range, b: Range) => a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

export function quickFixes(d: FixableDiagnostic, file: FileNode, lines: readonly string[]): QuickFixSpec[] {
  if (DID_YOU_MEAN_CODES.has(d.code)) {
    const m = /did you mean `([^`]+)`\?/.exec(d.message);
    return m ? [{ title: `Change to \`${m[1]}\``, edits: [{ range: d.range, newText: m[1]! }], preferred: true }] : [];
  }
  if (d.code === 'E203') return removeEitherValue(d, file, lines);
  if (d.code === UNEXPECTED_STALE_CODE) {
    const fix = addExpectStale(d.range.start.line, file, lines);
    return fix ? [fix] : [];
  }
  return [];
}

function configNodes(file: FileNode): ConfigNode[] {
  const out: ConfigNode[] = [...file.configs];
  for (const sc of file.scenarios) for (const s of sc.body) if (s.kind === 'config_stmt') out.push(s.node);
  return out;
}

/** The config entry one of whose words (key or value) is at `r`, with its line. */
function entryAt(file: FileNode, r: Range): { node: ConfigNode; entry: ConfigEntry } | undefined {
  for (const node of configNodes(file)) {
    for (const entry of node.entries) {
      if (sameRange(entry.range, r) || sameRange(entry.key.range, r) || (entry.value && sameRange(entry.value.range, r))) return { node, entry };
    }
  }
  return undefined;
}

/** Removes `KEY=VALUE` with the space before it; the whole line when it is the line's only entry. */
function removal(node: ConfigNode, entry: ConfigEntry, lines: readonly string[]): TextEditSpec {
  if (node.entries.length === 1) {
    const line = node.range.start.line;
    const whole = lines[line]!.trim() === lines[line]!.slice(node.range.start.character, node.range.end.character).trim();
    if (whole) return { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' };
    return { range: node.range, newText: '' };
  }
  const text = lines[entry.range.start.line] ?? '';
  let start = entry.range.start.character;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { range: { start: { line: entry.range.start.line, character: start }, end: entry.range.end }, newText: '' };
}

function removeEitherValue(d: FixableDiagnostic, file: FileNode, lines: readonly string[]): QuickFixSpec[] {
  const out: QuickFixSpec[] = [];
  for (const r of [d.range, ...(d.related ?? []).map((x) => x.range)]) {
    const at = entryAt(file, r);
    if (!at || out.some((f) => f.title.includes(`\`${at.entry.key.text}=`))) continue;
    const written = `${at.entry.key.text}=${at.entry.value?.text ?? ''}`;
    out.push({ title: `Remove \`${written}\``, edits: [removal(at.node, at.entry, lines)], preferred: false });
  }
  return out;
}

function scenarioAt(file: FileNode, line: number): ScenarioNode | undefined {
  return file.scenarios.find((s) => s.range.start.line <= line && line <= s.range.end.line);
}

/** `expect stale > 0` as the scenario's last statement, indented like its body. */
function addExpectStale(line: number, file: FileNode, lines: readonly string[]): QuickFixSpec | undefined {
  const sc = scenarioAt(file, line);
  if (!sc?.closeBrace) return undefined;
  const last = sc.body[sc.body.length - 1];
  const indent = last ? /^\s*/.exec(lines[last.range.start.line] ?? '')![0] : '  ';
  const close = sc.closeBrace.start;
  const beforeClose = (lines[close.line] ?? '').slice(0, close.character);
  // `}` alone on its line: insert a line above it; otherwise break the line before `}`.
  const edit: TextEditSpec = beforeClose.trim() === ''
    ? { range: { start: { line: close.line, character: 0 }, end: { line: close.line, character: 0 } }, newText: `${indent}expect stale > 0\n` }
    : { range: { start: close, end: close }, newText: `\n${indent}expect stale > 0\n` };
  return { title: 'Add `expect stale > 0` (this scenario demonstrates the stale use)', edits: [edit], preferred: true };
}
