// `mmu-lab run FILE [--scenario NAME] [--config KEY=VALUE]... [--seed N] [--trace-limit N] [--json]`
// (product.md, CLI contract). JSON lines are 1-based; every metric under its dotted name;
// blame roles fill/change/recycle. Exit 0 when every scenario passes, 1 when one fails,
// 2 on usage or parse errors.
import { runScenario, TRACE_LIMIT_MAX } from '../../core/run/index';
import type { IterationRef, RunOptions, ScenarioResult } from '../../core/run/result';
import { CONFIG_KEYS } from '../../core/lang/schema';
import type { CliArgs } from '../args';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, reportError, type CliIO } from '../io';
import { hex, loadScenarios, table } from './load';
import { budgetFlag } from '../budgetFlag';
import { hypercallsByPath } from './byPath';

export const RUN_USAGE = 'mmu-lab run FILE [--scenario NAME] [--config KEY=VALUE]... [--seed N] [--trace-limit N] [--by-path] [--memory-budget MB] [--json]';

export function scenarioJson(r: ScenarioResult): unknown {
  return {
    name: r.name,
    line: r.line + 1,
    config: r.config,
    passed: r.passed,
    metrics: r.metrics,
    failures: r.failures.map((f) => ({ line: f.line + 1, message: f.message })),
    stale: r.stale.map((u) => ({
      line: u.line + 1, vcpu: u.vcpu, gfn: u.gfn, seen: u.seen, truth: u.truth,
      blame: u.blame.map((b) => ({ role: b.role, line: b.line + 1, text: b.text })),
    })),
  };
}

/** Where in a loop a group of failures (or stale uses) happened, by the loops' variables:
 *  `  (at i = 3)`, or for several `  (x5, first at i = 0)`. Unnamed loops show the count only. */
function occurrences(n: number, first: IterationRef | undefined): string {
  const at = first?.name;
  if (n > 1) return `  (x${n}${at ? `, first at ${at}` : ''})`;
  return at ? `  (at ${at})` : '';
}

/** Distinct failures shown in text (the rest are in --json; the runner keeps 1,000 at most). */
const MAX_FAILURE_GROUPS = 20;

/** The keys that decide most runs always, then every other key whose value is not the
 *  default (`flushbyasid=off`, `l0_shadows=1`, `seed=7` change the result: never hide them). */
export function configText(config: Readonly<Record<string, string>>): string {
  const always = ['host', 'cpu', 'kernel', 'tdp_mmu', 'enlightened_tlb', 'fix', 'allocator', 'vcpus'];
  const rest = CONFIG_KEYS.filter((k) => !always.includes(k.key) && config[k.key] !== undefined && config[k.key] !== k.default).map((k) => k.key);
  return [...always, ...rest].map((k) => `${k}=${config[k]}`).join(' ');
}

export function scenarioText(r: ScenarioResult): string {
  let out = `${r.passed ? 'PASS' : 'FAIL'}  scenario "${r.name}" (line ${r.line + 1})${r.cancelled ? ' [cancelled]' : ''}\n`;
  out += `      ${configText(r.config)}\n`;
  if (r.checks.length > 0) {
    out += '\n  checks\n';
    out += table(r.checks.map((c) => ['    ', c.passed ? 'ok  ' : 'FAIL', `line ${c.line + 1}`, c.message + (c.passed ? '' : occurrences(1, c.iteration))])).replace(/^/gm, '');
  }
  // A check in a loop fails once per iteration: the same line and message shown once, with a
  // count; a failure the checks table already states (once) is not repeated.
  const groups = new Map<string, { line: number; message: string; n: number; iteration: IterationRef | undefined }>();
  for (const f of r.failures) {
    if (f.message.startsWith('… more failures')) continue; // the runner's cap marker: said in the header
    const key = `${f.line}\u0000${f.message}`;
    const g = groups.get(key);
    if (g) g.n++; else groups.set(key, { line: f.line, message: f.message, n: 1, iteration: f.iteration });
  }
  const other = [...groups.values()].filter((g) => g.n > 1 || !r.checks.some((c) => !c.passed && c.line === g.line && c.message === g.message));
  if (other.length > 0) {
    const capped = r.failures.some((f) => f.message.startsWith('… more failures'));
    const listed = capped ? ` (the first ${r.failures.length - 1} kept of ${r.metrics.failures} counted)` : '';
    out += `\n  failures${listed}\n`;
    out += table(other.slice(0, MAX_FAILURE_GROUPS).map((g) => ['    ', `line ${g.line + 1}`, g.message + occurrences(g.n, g.iteration)]));
    if (other.length > MAX_FAILURE_GROUPS) out += `    … ${other.length - MAX_FAILURE_GROUPS} more distinct failures in --json\n`;
  }
  if (r.stale.length > 0) {
    out += `\n  stale uses (${r.metrics.stale} counted, ${r.metrics['stale.divergent']} divergent)\n`;
    // Same access line, gfn and blame lines = the same story: show it once with a count.
    const groups = new Map<string, { u: ScenarioResult['stale'][number]; n: number; its: number[] }>();
    for (const u of r.stale) {
      const key = `${u.line}:${u.gfn}:${u.seen}:${u.blame.map((b) => `${b.role}${b.line}`).join(',')}`;
      const g = groups.get(key) ?? { u, n: 0, its: [] };
      g.n++;
      if (u.iteration) g.its.push(u.iteration.index);
      groups.set(key, g);
    }
    const shown = [...groups.values()].slice(0, 5);
    for (const { u, n, its } of shown) {
      out += `    line ${u.line + 1}${iterationText(its, u.iteration?.count)}  vcpu ${u.vcpu}  gfn ${hex(u.gfn)}: reached host page ${hex(u.seen)} via the ${u.source === 'tlb' ? 'TLB' : 'L0 shadow'}; L1's tables give ${u.truth === null ? 'nothing (unmapped)' : hex(u.truth)}${occurrences(n, u.iteration)}\n`;
      out += table(u.blame.map((b) => ['        ', b.role, `line ${b.line + 1}`, b.text, b.detail]));
    }
    if (groups.size > shown.length) out += `    … ${groups.size - shown.length} more distinct chains in --json\n`;
  }
  if (r.prints.length > 0) {
    out += '\n  print\n';
    out += table(r.prints.map((p) => ['    ', `line ${p.line + 1}`, p.text]));
  }
  out += '\n  metrics\n';
  const names = Object.keys(r.metrics);
  const rows: string[][] = [];
  for (let i = 0; i < names.length; i += 3) {
    const row = ['    '];
    for (const n of names.slice(i, i + 3)) row.push(n, String(r.metrics[n]));
    rows.push(row);
  }
  out += table(rows, [false, false, true, false, true, false, true]);
  out += `    time_us is an estimate (docs/cost-model.md)\n`;
  for (const n of r.notes) if (!n.startsWith('time_us')) out += `    note: ${n}\n`;
  return out;
}

/** ", iteration 3 of 8" / ", iterations 3, 5, 7 of 8" (the first few, then "…"): where in its `repeat` a stale use happened. */
export function iterationText(its: readonly number[], count: number | undefined): string {
  if (its.length === 0 || count === undefined) return '';
  const shown = its.slice(0, 6).join(', ') + (its.length > 6 ? ', …' : '');
  return `, iteration${its.length === 1 ? '' : 's'} ${shown} of ${count}`;
}

/** The failed scenarios' names for the one-line verdict: the first few, then how many more. */
function failedNames(results: readonly ScenarioResult[]): string {
  const names = results.filter((r) => !r.passed).map((r) => `"${r.name}"`);
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}

/**
 * What `run` asks of the runner: only what it prints. No snapshots (the CLI prints none), and a
 * trace only in text output with `--trace-limit N > 0` (JSON has no trace), N clamped to
 * TRACE_LIMIT_MAX like `mmu.trace.limit`.
 */
export function runOptions(json: boolean, limit: number | undefined, overrides: Readonly<Record<string, string>>): RunOptions {
  const traced = !json && limit !== undefined && limit > 0;
  return { configOverrides: overrides, trace: traced, traceLimit: traced ? Math.min(limit, TRACE_LIMIT_MAX) : 0, snapshotLimit: 0 };
}

export function runCommand(args: CliArgs, io: CliIO): number {
  const traceLimit = args.flags.get('trace-limit');
  let limit: number | undefined;
  if (typeof traceLimit === 'string') {
    limit = Number(traceLimit);
    if (!Number.isInteger(limit) || limit < 0) { reportError(io, args.json, 'usage', `mmu-lab run: --trace-limit expects a whole number, found \`${traceLimit.slice(0, 80)}\``, `usage: ${RUN_USAGE}\n`); return EXIT_USAGE; }
    if (limit > TRACE_LIMIT_MAX) { io.err(`mmu-lab run: --trace-limit ${limit} is above the maximum; recording at most ${TRACE_LIMIT_MAX} events\n`); limit = TRACE_LIMIT_MAX; }
  }
  const budget = budgetFlag(args.flags.get('memory-budget'));
  if (!budget.ok) { reportError(io, args.json, 'usage', `mmu-lab run: ${budget.message}`, `usage: ${RUN_USAGE}\n`); return EXIT_USAGE; }
  const loaded = loadScenarios('run', RUN_USAGE, args, io);
  if (!loaded.ok) return EXIT_USAGE;
  const byPath = args.flags.get('by-path') === true;
  const base = { ...runOptions(args.json, limit, loaded.overrides), ...(budget.bytes !== undefined ? { memoryBudget: budget.bytes } : {}) };
  // --by-path needs every hypercall's call path: the trace, as long as the runner allows.
  const opts = byPath ? { ...base, trace: true, traceLimit: TRACE_LIMIT_MAX } : base;
  const results = loaded.scenarios.map((s) => runScenario(s, opts));
  if (byPath) {
    const per = results.map((r) => ({ name: r.name, capped: r.trace.length >= TRACE_LIMIT_MAX, rows: hypercallsByPath(r.trace) }));
    if (args.json) io.out(`${JSON.stringify({ file: loaded.file, scenarios: per })}\n`);
    else {
      let text = '';
      for (const p of per) {
        text += `scenario "${p.name}": flush hypercalls by call path${p.capped ? ` (the first ${TRACE_LIMIT_MAX} trace events only)` : ''}\n`;
        text += p.rows.length === 0 ? '    none\n' : table([['    ', 'flushes', 'space', 'list', 'call path'], ...p.rows.map((r) => ['    ', String(r.flushes), String(r.space), String(r.list), r.path])]);
        text += '\n';
      }
      io.out(text);
    }
    return results.some((r) => !r.passed) ? EXIT_FAILED : EXIT_OK;
  }
  const failed = results.filter((r) => !r.passed).length;
  if (args.json) {
    io.out(`${JSON.stringify({ file: loaded.file, scenarios: results.map(scenarioJson) })}\n`);
  } else {
    let text = '';
    for (const r of results) {
      text += scenarioText(r) + '\n';
      if (limit) {
        text += `  trace (${r.trace.length} events)\n`;
        for (const e of r.trace) {
          const at = `line ${e.line + 1}`.padEnd(9);
          text += `    ${at} ${'  '.repeat(e.path.length)}${e.fn}${e.detail ? `  — ${e.detail}` : ''}\n`;
        }
        text += '\n';
      }
    }
    const n = results.length;
    text += failed === 0
      ? `verdict: PASS — ${n} of ${n} scenario${n === 1 ? '' : 's'} passed in ${loaded.file}\n`
      : `verdict: FAIL — ${failed} of ${n} scenario${n === 1 ? '' : 's'} failed in ${loaded.file} (${failedNames(results)})\n`;
    io.out(text);
  }
  return failed === 0 ? EXIT_OK : EXIT_FAILED;
}
