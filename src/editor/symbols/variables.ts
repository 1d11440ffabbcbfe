// Hover and outline for `let`s and loop variables (pure, no vscode import), from the
// variables the parser records (FileNode.variables): a `let` shows its value, a loop
// index its range (`0..4`), a `for` variable its list; an expression over loop variables
// shows the range of values it can take.
import type { FileNode, NumberLit, Statement, VariableInfo } from '../../core/lang/ast';
import type { Position, Range } from '../../core/lang/source';
import { describeNumber, hex } from '../language/numberFormat';
import type { SymbolSpec } from '../language/outline';

function contains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

const num = (n: number) => (Number.isFinite(n) ? (n >= 4096 ? hex(n) : String(n)) : n > 0 ? '∞' : '-∞');

/** The variable whose definition or one of whose uses is at `pos`. */
export function variableAt(file: FileNode, pos: Position): { variable: VariableInfo; range: Range } | undefined {
  for (const v of file.variables ?? []) {
    if (contains(v.decl, pos)) return { variable: v, range: v.decl };
    const use = v.uses.find((u) => contains(u, pos));
    if (use) return { variable: v, range: use };
  }
  return undefined;
}

export function variableMarkdown(v: VariableInfo): string {
  switch (v.kind) {
    case 'let':
      return [`**let \`${v.name}\`** = \`${num(v.lo)}\` (a constant; ${v.uses.length} use${v.uses.length === 1 ? '' : 's'})`, '', ...describeNumber(v.lo)].join('\n');
    case 'index':
      return `**loop index \`${v.name}\`** — values \`${v.lo}\`..\`${v.hi}\` (\`repeat ${v.hi + 1} as ${v.name}\`: one per iteration, in order)`;
    case 'for': {
      const list = v.values ?? [];
      const shown = list.length > 8 ? [...list.slice(0, 8), '…'] : list;
      const range = v.lo !== v.hi || list.length > 0 ? ` — range \`${num(v.lo)}\`..\`${num(v.hi)}\`` : '';
      const numeric = list.every((x) => /^[0-9]+$/.test(x));
      return `**for \`${v.name}\`** in \`[${shown.map((x) => (numeric ? num(Number(x)) : x)).join(', ')}]\` (${list.length} value${list.length === 1 ? '' : 's'})${numeric ? range : ' — memslot ids'}`;
    }
  }
}

/** The fields of statements (ast.ts) that hold a number (tree nodes make some when read: not own properties). */
const NUMBER_FIELDS = ['gpa', 'size', 'value', 'expected', 'stride', 'count', 'ncr3', 'arg', 'samples'] as const;

/** Number positions whose value depends on a loop variable, for hover on the expression. */
function dynamicNumbers(body: readonly Statement[], out: NumberLit[]): void {
  for (const s of body) {
    const fields = s as unknown as Record<string, unknown>;
    for (const key of NUMBER_FIELDS) {
      const value = fields[key];
      if (value && typeof value === 'object' && (value as NumberLit).dynamic) out.push(value as NumberLit);
    }
    const index = 'vcpu' in s ? s.vcpu?.index : null;
    if (index?.dynamic) out.push(index);
    if (s.kind === 'repeat') dynamicNumbers(s.body, out);
  }
}

/** Hover for `pos`: a variable, else an expression over loop variables (its value range). */
export function expressionHover(file: FileNode, pos: Position): { markdown: string; range: Range } | undefined {
  const v = variableAt(file, pos);
  if (v) return { markdown: variableMarkdown(v.variable), range: v.range };
  const sc = file.scenarios.find((s) => contains(s.range, pos));
  if (!sc) return undefined;
  const nums: NumberLit[] = [];
  dynamicNumbers(sc.body, nums);
  const n = nums.find((x) => contains(x.range, pos));
  if (!n || !n.dynamic) return undefined;
  return { markdown: `**\`${n.text}\`** — values \`${num(n.dynamic.lo)}\`..\`${num(n.dynamic.hi)}\` over the loop (each checked when the statement runs)`, range: n.range };
}

/** Outline entries for the `let`s: file level at the top, scenario level inside their scenario. */
export interface LetSymbol {
  readonly name: string;
  readonly detail: string;
  readonly range: Range;
  readonly selectionRange: Range;
  /** The scenario's range when it is a scenario-level `let`. */
  readonly scenario: Range | null;
}

export function letSymbols(file: FileNode): LetSymbol[] {
  const out: LetSymbol[] = [];
  for (const it of file.items) if (it.kind === 'let') out.push({ name: it.name.text, detail: `= ${it.value.text}`, range: it.range, selectionRange: it.name.range, scenario: null });
  for (const sc of file.scenarios) {
    for (const s of sc.body) if (s.kind === 'let') out.push({ name: s.name.text, detail: `= ${s.value.text}`, range: s.range, selectionRange: s.name.range, scenario: sc.range });
  }
  return out;
}

const sameRange = (a: Range, b: Range) => a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** The outline with the `let`s: file-level ones in source order among the scenarios, scenario ones first in their scenario. */
export function withLets(symbols: readonly SymbolSpec[], file: FileNode): SymbolSpec[] {
  const lets = letSymbols(file);
  const asSymbol = (l: LetSymbol): SymbolSpec => ({ name: l.name, kind: 'let', detail: l.detail, range: l.range, selectionRange: l.selectionRange, children: [] });
  const out: SymbolSpec[] = symbols.map((s) => {
    const own = lets.filter((l) => l.scenario && s.kind === 'scenario' && sameRange(l.scenario, s.range)).map(asSymbol);
    return own.length ? { ...s, children: [...own, ...s.children] } : s;
  });
  for (const l of lets.filter((x) => !x.scenario)) out.push(asSymbol(l));
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
