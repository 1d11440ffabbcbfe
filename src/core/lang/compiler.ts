// The compiler: checked AST → CompiledFile (ops.ts). Flat op lists with source ranges
// (plain data: ops cross to the worker and into results) and text; loops stay loops (a
// `repeat` op points just past its `end_repeat`), so
// `repeat 1000000000 { ... }` compiles to a handful of ops. Only scenarios without
// errors are compiled — in their own block or in the file-level config/sweep lines
// they depend on — so the other scenarios of a file with a typo still run.
import type { Diagnostic } from '../diagnostics';
import type * as A from './ast';
import type { ExploreInfo, ScenarioInfo } from './checker';
import { slotKey } from './checker';
import { compactFrom } from './compact';
import type { CompiledExploration, CompiledFile, CompiledScenario, DynField, DynRule, Op } from './ops';
import type { CompareOp, KernelFunction, MetricName } from './schema';
import { plainRange, SourceRange, type Position, type Range } from './source';

/** Pattern used by `write ... size` / `verify ... size` without `pattern NAME`. */
export const DEFAULT_PATTERN = 'default';

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

function inside(p: Position, r: Range): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

class ScenarioCompiler {
  readonly ops: Op[] = [];

  constructor(private readonly text: string, private readonly lineStarts: readonly number[]) {}

  private sliceFromTo(a: Position, b: Position): string {
    return this.text.slice((this.lineStarts[a.line] ?? this.text.length) + a.character, (this.lineStarts[b.line] ?? this.text.length) + b.character);
  }

  private slice(r: Range): string {
    if (r instanceof SourceRange) return this.text.slice((this.lineStarts[r.sl] ?? this.text.length) + r.sc, (this.lineStarts[r.el] ?? this.text.length) + r.ec);
    const a = (this.lineStarts[r.start.line] ?? this.text.length) + r.start.character;
    const b = (this.lineStarts[r.end.line] ?? this.text.length) + r.end.character;
    return this.text.slice(a, b); // ranges run from the first to the last token: already trimmed
  }

  // Op fields written out in each literal, not spread from a helper's object: a spread in the
  // middle of a literal is a runtime call per op (a large part of compiling 10^5 statements).
  private vcpu(s: A.GuestStatement): number {
    return s.vcpu?.index ? this.n(s.vcpu.index, 'vcpu', 'value') : 0;
  }

  body(stmts: readonly A.Statement[]): void {
    for (const s of stmts) this.statement(s);
  }

  /**
   * Fields that depend on a loop variable, of the statements being compiled: a stack (a loop's
   * count is pushed before its body's statements push and pop theirs). Each statement keeps an
   * exact-size copy of its own; most have none (a list grown by push holds 17 slots).
   */
  private readonly dyn: DynField[] = [];

  /** A number field: its value, and a run-time evaluation when it depends on a loop variable. */
  private n(v: A.NumberLit, field: string, rule: DynRule): number {
    if (v.dynamic && v.expr) this.dyn.push({ field, expr: v.expr, rule, text: v.text });
    return v.value;
  }

  /** A memslot id: canonical, or evaluated per iteration when it is a `for` variable. */
  private slot(w: A.Word): string {
    if (!w.loopVar) return slotKey(w);
    this.dyn.push({ field: 'slot', expr: { k: 'var', slot: w.loopVar.slot, name: w.loopVar.name.text }, rule: 'slot', text: w.text });
    return '';
  }

  private statement(s: A.Statement): void {
    const base = this.dyn.length;
    const at = this.ops.length;
    this.emit(s);
    if (this.dyn.length > base) {
      if (this.ops.length > at) {
        const i = s.kind === 'repeat' ? at : this.ops.length - 1;
        // Set on the op emit just made (no copy of it): a spread per statement cost a tenth of the compile.
        (this.ops[i] as { dyn?: DynField[] }).dyn = compactFrom(this.dyn, base);
      }
      this.dyn.length = base;
    }
  }

  private emit(s: A.Statement): void {
    const ops = this.ops;
    switch (s.kind) {
      case 'error': case 'config_stmt': case 'sweep_stmt':
        return;
      case 'memslot_create':
        if (!s.hugepages) ops.push({ k: 'memslot_create', range: plainRange(s.range), text: this.slice(s.range), slot: this.slot(s.slot), gpa: this.n(s.gpa, 'gpa', 'page'), size: this.n(s.size, 'size', 'pages'), readonly: s.readonly !== null });
        else ops.push({ k: 'memslot_create', range: plainRange(s.range), text: this.slice(s.range), slot: this.slot(s.slot), gpa: this.n(s.gpa, 'gpa', 'page'), size: this.n(s.size, 'size', 'pages'), readonly: s.readonly !== null, hugepages: true });
        return;
      case 'memslot_delete':
        ops.push({ k: 'memslot_delete', range: plainRange(s.range), text: this.slice(s.range), slot: this.slot(s.slot), free: s.free !== null });
        return;
      case 'memslot_move':
        ops.push({ k: 'memslot_move', range: plainRange(s.range), text: this.slice(s.range), slot: this.slot(s.slot), gpa: this.n(s.gpa, 'gpa', 'page') });
        return;
      case 'memslot_clear_dirty_log':
        ops.push({ k: 'memslot_clear_dirty_log', range: plainRange(s.range), text: this.slice(s.range), slot: this.slot(s.slot) });
        return;
      case 'memslot_dirty_log':
        ops.push({ k: 'memslot_dirty_log', range: plainRange(s.range), text: this.slice(s.range), slot: this.slot(s.slot), on: s.on.text === 'on' });
        return;
      case 'teardown':
        ops.push({ k: 'teardown', range: plainRange(s.range), text: this.slice(s.range) });
        return;
      case 'collapse':
        ops.push({ k: 'collapse', range: plainRange(s.range), text: this.slice(s.range), gpa: this.n(s.gpa, 'gpa', 'page') });
        return;
      case 'unmap':
        ops.push({ k: 'unmap', range: plainRange(s.range), text: this.slice(s.range), gpa: this.n(s.gpa, 'gpa', 'page'), size: this.n(s.size, 'size', 'pages') });
        return;
      case 'read':
        ops.push({ k: 'read', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s), gpa: this.n(s.gpa, 'gpa', 'aligned8'), expected: s.expected ? this.n(s.expected, 'expected', 'value') : null });
        return;
      case 'write':
        ops.push({ k: 'write', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s), gpa: this.n(s.gpa, 'gpa', 'aligned8'), value: this.n(s.value, 'value', 'value') });
        return;
      case 'write_range':
        ops.push({ k: 'write_range', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s), gpa: this.n(s.gpa, 'gpa', 'page'), size: this.n(s.size, 'size', 'pages'), pattern: s.pattern?.text ?? DEFAULT_PATTERN });
        return;
      case 'verify':
        ops.push({ k: 'verify', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s), gpa: this.n(s.gpa, 'gpa', 'page'), size: this.n(s.size, 'size', 'pages'), pattern: s.pattern?.text ?? DEFAULT_PATTERN });
        return;
      case 'touch': {
        const vcpu = this.vcpu(s);
        const gpa = this.n(s.gpa, 'gpa', 'address');
        const size = this.n(s.size, 'size', 'pages');
        const stride = s.stride ? this.n(s.stride, 'stride', 'stride') : 4096;
        let count: number;
        if (s.count) count = this.n(s.count, 'count', 'count');
        else {
          count = Math.floor(size / stride);
          // The default count (size / stride) varies with them when they do.
          if (s.size.dynamic || s.stride?.dynamic) {
            const strideExpr: A.Expr = s.stride ? s.stride.expr ?? { k: 'num', value: s.stride.value } : { k: 'num', value: 4096 };
            this.dyn.push({ field: 'count', expr: { k: 'bin', op: '/', a: s.size.expr ?? { k: 'num', value: s.size.value }, b: strideExpr }, rule: 'count', text: `${s.size.text} / ${s.stride?.text ?? '4096'}` });
          }
        }
        ops.push({ k: 'touch', range: plainRange(s.range), text: this.slice(s.range), vcpu, gpa, size, stride, count, random: s.random !== null, write: s.write !== null });
        return;
      }
      case 'smi': ops.push({ k: 'smi', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s) }); return;
      case 'rsm': ops.push({ k: 'rsm', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s) }); return;
      case 'migrate': ops.push({ k: 'migrate', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s) }); return;
      case 'reset': ops.push({ k: 'reset', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s) }); return;
      case 'init': ops.push({ k: 'init', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s) }); return;
      case 'cr0': ops.push({ k: 'cr0', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s), on: s.on.text === 'on' }); return;
      case 'avic': ops.push({ k: 'avic', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s) }); return;
      case 'cr4':
        ops.push({ k: 'cr4', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s), bit: s.bit.text as 'pge' | 'pcide' | 'smep', on: s.on.text === 'on' });
        return;
      case 'cr3':
        ops.push({ k: 'cr3', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s), value: this.n(s.value, 'value', 'address'), noflush: s.noflush !== null });
        return;
      case 'nested':
        ops.push({ k: 'nested', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s), dir: s.dir.text as 'vmrun' | 'vmexit', ncr3: s.ncr3 ? this.n(s.ncr3, 'ncr3', 'page') : null });
        return;
      case 'call': {
        const arg = s.arg === null ? null : 'value' in s.arg ? this.n(s.arg, 'arg', 'address') : 'root';
        ops.push({ k: 'call', range: plainRange(s.range), text: this.slice(s.range), vcpu: this.vcpu(s), fn: s.fn.text as KernelFunction, arg });
        return;
      }
      case 'repeat': {
        const at = ops.length;
        const count = s.count ? this.n(s.count, 'count', 'count') : 0;
        const range = plainRange(s.range);
        const headText = this.sliceFromTo(s.range.start, s.openBrace.end);
        // The loop variable: the iteration index (`as i`) or the list's value (`for`). One
        // literal per shape (no spread: a runtime call per loop); `end` is set after the body.
        const op: Extract<Op, { k: 'repeat' }> = !s.loopVar ? { k: 'repeat', range, text: headText, count, end: -1 }
          : !s.list ? { k: 'repeat', range, text: headText, count, end: -1, var: s.loopVar.slot }
            : { k: 'repeat', range, text: headText, count, end: -1, var: s.loopVar.slot, values: s.list.map((x) => ('value' in x ? x.value : slotKey(x))) };
        ops.push(op);
        this.body(s.body);
        // The `}` ends where the loop does: its range shares that end position.
        ops.push({ k: 'end_repeat', range: s.closeBrace ? { start: s.closeBrace.start, end: range.end } : range, text: '}', start: at });
        (op as { end: number }).end = ops.length;
        return;
      }
      case 'checkpoint':
        ops.push({ k: 'checkpoint', range: plainRange(s.range), text: this.slice(s.range), label: s.label.value });
        return;
      case 'expect':
        ops.push({ k: 'expect', range: plainRange(s.range), text: this.slice(s.range), metric: s.metric.text as MetricName, op: s.op.text as CompareOp, value: this.n(s.value, 'value', 'value') });
        return;
      case 'expect_ok':
        ops.push({ k: 'expect_ok', range: plainRange(s.range), text: this.slice(s.range) });
        return;
      case 'print':
        ops.push({ k: 'print', range: plainRange(s.range), text: this.slice(s.range), metric: s.metric.text as MetricName });
        return;
      case 'rcu': ops.push({ k: 'rcu', range: plainRange(s.range), text: this.slice(s.range) }); return;
      case 'zap_worker': ops.push({ k: 'zap_worker', range: plainRange(s.range), text: this.slice(s.range) }); return;
      case 'alloc_next':
        ops.push({ k: 'alloc_next', range: plainRange(s.range), text: this.slice(s.range), picks: s.picks.map((p) => ('value' in p ? Math.floor(p.value / 4096) : -1)) });
        return;
      case 'explore_steps': case 'explore_depth': case 'explore_invariant': case 'explore_strategy':
        return;
    }
  }
}

/**
 * Compiles the scenarios that have no error. `diagnostics` are all of the parser's and
 * checker's; `lineStarts` come from the scanner (for each op's source text).
 */
export function compile(file: A.FileNode, scenarios: readonly ScenarioInfo[], diagnostics: readonly Diagnostic[], text: string, lineStarts: readonly number[], explorations: readonly ExploreInfo[] = []): CompiledFile {
  // Error starts in source order, so "is there an error inside this range?" is a binary
  // search: O((scenarios + errors) log errors), not scenarios × errors (100,000 duplicate
  // scenarios, each with an E210, compile in milliseconds).
  const starts = diagnostics.filter((d) => d.severity === 'error').map((d) => d.range.start).sort(comparePositions);
  const hasErrorIn = (r: Range): boolean => {
    let lo = 0, hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comparePositions(starts[mid]!, r.start) < 0) lo = mid + 1; else hi = mid;
    }
    return lo < starts.length && inside(starts[lo]!, r);
  };
  // File-level config/sweep lines, including ones too broken to parse: every scenario depends on them.
  const fileLevel: Range[] = file.items
    .filter((it) => it.kind === 'config' || it.kind === 'sweep' || it.kind === 'let' || (it.kind === 'error' && (it.keyword?.text === 'config' || it.keyword?.text === 'sweep' || it.keyword?.text === 'let')))
    .map((it) => it.range);
  if (fileLevel.some(hasErrorIn)) return { scenarios: [], explorations: [] };
  // The scenarios are compiled when first read (then kept): the editor analyses a file on every
  // change for its diagnostics, outline and CodeLens and never reads them; a run does, in the
  // worker. `scenarios` is an own enumerable getter, so a spread, a structured clone or JSON
  // sees it as a value (one accessor per file: accessors per scenario made each a dictionary).
  let out: CompiledScenario[] | undefined;
  const compileScenarios = (): CompiledScenario[] => {
    const list: CompiledScenario[] = [];
    for (const info of scenarios) {
      const sc = info.node;
      if (!sc.name || hasErrorIn(sc.range)) continue;
      list.push(compileScenario(sc, info, text, lineStarts));
    }
    return list;
  };
  const ex: CompiledExploration[] = [];
  for (const info of explorations) {
    const node = info.node;
    if (!node.name || hasErrorIn(node.range)) continue;
    const c = new ScenarioCompiler(text, lineStarts);
    const slice = (r: Range): string => text.slice((lineStarts[r.start.line] ?? text.length) + r.start.character, (lineStarts[r.end.line] ?? text.length) + r.end.character);
    const setup: { text: string; from: number; to: number }[] = [];
    for (const st of info.setup) {
      const from = c.ops.length;
      c.body([st]);
      if (c.ops.length > from) setup.push({ text: slice(st.range), from, to: c.ops.length });
    }
    const setupEnd = c.ops.length;
    const steps: number[] = [];
    for (const st of info.steps) { steps.push(c.ops.length); c.body([st]); }
    // Deferred work is always a move the search may take (docs/explore.md): `rcu` and
    // `zap_worker` are added when the steps do not list them.
    for (const k of ['rcu', 'zap_worker'] as const) {
      if (steps.some((i) => c.ops[i]!.k === k)) continue;
      steps.push(c.ops.length);
      c.ops.push({ k, range: plainRange(node.keyword.range), text: k });
    }
    // Deferred work is a choice in an exploration: always the explicit schedule (docs/explore.md).
    const range = plainRange(node.range);
    const nameRange = plainRange(node.name.range);
    const program: CompiledScenario = { name: node.name.value, range, nameRange, config: { ...info.config, schedule: 'explicit' }, sweep: info.sweep, ops: c.ops };
    ex.push({
      name: node.name.value, range, nameRange, program, setup, setupEnd, steps, implicitSteps: steps.length - info.steps.length, depth: info.depth, samples: info.samples,
      invariants: info.invariants.map((i) => ({ metric: i.metric.text as MetricName, op: i.op.text as CompareOp, value: i.value.value, range: plainRange(i.range), text: slice({ start: i.metric.range.start, end: i.value.range.end }) })),
    });
  }
  return { get scenarios() { return out ??= compileScenarios(); }, explorations: ex };
}

function compileScenario(sc: A.ScenarioNode, info: ScenarioInfo, text: string, lineStarts: readonly number[]): CompiledScenario {
  const c = new ScenarioCompiler(text, lineStarts);
  c.body(sc.body);
  const name = sc.name!.value, range = plainRange(sc.range), nameRange = plainRange(sc.name!.range), config = info.config, sweep = info.sweep, ops = c.ops;
  const vars = loopVarNames(sc.body);
  // Two literals, not a spread (a runtime call per scenario); the key order stays the same.
  if (vars.length === 0) return { name, range, nameRange, config, sweep, ops };
  return { name, range, nameRange, config, sweep, ops, vars };
}

/** Loop variable names by slot (the parser numbers them per scenario, in source order). */
function loopVarNames(body: readonly A.Statement[], out: string[] = []): string[] {
  for (const s of body) {
    if (s.kind !== 'repeat') continue;
    if (s.loopVar) out[s.loopVar.slot] = s.loopVar.name.text;
    loopVarNames(s.body, out);
  }
  return out;
}
