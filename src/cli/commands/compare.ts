// `mmu-lab compare FILE [--scenario NAME] [--config KEY=VALUE]... [--json]`: run a
// scenario's sweep (DEFAULT_SWEEP when it has none) and rank the points by estimated
// time, rank 1 = fastest (product.md, CLI contract). Without --scenario: the first
// scenario with a sweep of its own, else the first scenario. Exit 0 when the comparison
// ran (points with stale uses are reported as not passed), 2 on usage or parse errors.
// Sweep points that combine meaningless values (E203) are not run; they are listed, and
// when no point is left the exit status is 1.
import { compareScenario } from '../../core/run/index';
import { DEFAULT_SWEEP } from '../../core/lang/schema';
import type { CompiledScenario } from '../../core/lang/ops';
import type { CliArgs } from '../args';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, reportError, type CliIO } from '../io';
import { loadScenarios, table } from './load';
import { configText } from './run';
import { budgetFlag } from '../budgetFlag';

/** Without --scenario: the first scenario with a sweep of its own, else the first. */
function pickForCompare(scenarios: readonly CompiledScenario[]): CompiledScenario | undefined {
  return scenarios.find((x) => x.sweep.length > 0) ?? scenarios[0];
}

export const COMPARE_USAGE = 'mmu-lab compare FILE [--scenario NAME] [--config KEY=VALUE]... [--memory-budget MB] [--json]';

export function compareCommand(args: CliArgs, io: CliIO): number {
  const budget = budgetFlag(args.flags.get('memory-budget'));
  if (!budget.ok) { reportError(io, args.json, 'usage', `mmu-lab compare: ${budget.message}`, `usage: ${COMPARE_USAGE}\n`); return EXIT_USAGE; }
  const loaded = loadScenarios('compare', COMPARE_USAGE, args, io, pickForCompare);
  if (!loaded.ok) return EXIT_USAGE;
  const s = pickForCompare(loaded.scenarios);
  if (!s) { reportError(io, args.json, 'input', `mmu-lab compare: ${loaded.file} has no scenario`); return EXIT_USAGE; }
  const res = compareScenario(s, { configOverrides: loaded.overrides, ...(budget.bytes !== undefined ? { memoryBudget: budget.bytes } : {}) });
  if (args.json) {
    io.out(`${JSON.stringify({
      scenario: res.scenario,
      points: res.points.map((p) => ({ config: p.config, passed: p.passed, metrics: p.metrics, time_us: p.timeUs, rank: p.rank })),
      // An extension of the contract, present only when some point was not run: the E203 reason.
      ...(res.skipped && res.skipped.length > 0 ? { skipped: res.skipped.map((p) => ({ config: p.config, reason: p.reason })) } : {}),
      // Present only when the sweep had more points than were run (mmu.compare.maxPoints) or skipped points were counted.
      ...(res.notes && res.notes.length > 0 ? { notes: res.notes } : {}),
    })}\n`);
    return res.points.length === 0 ? EXIT_FAILED : EXIT_OK;
  }
  const axes = (s.sweep.length > 0 ? s.sweep : DEFAULT_SWEEP).map((a) => a.key);
  const sorted = [...res.points].sort((a, b) => a.rank - b.rank);
  const max = Math.max(1, ...sorted.map((p) => p.timeUs));
  const rows: string[][] = [['rank', ...axes, 'verdict', 'time_us (est.)', 'hypercalls', 'npf.l1', 'npf.l0', 'roots.alloc', '']];
  for (const p of sorted) {
    const verdict = p.passed ? 'ok' : p.metrics.stale > 0 ? `STALE ${p.metrics.stale}` : 'FAIL';
    rows.push([String(p.rank), ...axes.map((k) => p.config[k]), verdict, p.timeUs.toFixed(1), String(p.metrics.hypercalls),
      String(p.metrics['npf.l1']), String(p.metrics['npf.l0']), String(p.metrics['roots.allocated']), '#'.repeat(Math.max(1, Math.round((p.timeUs / max) * 30)))]);
  }
  const numeric = rows[0].map((_, i) => i === 0 || i > axes.length + 1);
  numeric[numeric.length - 1] = false;
  const skipped = res.skipped ?? [];
  let text = `compare scenario "${res.scenario}" (line ${res.line + 1}): ${sorted.length} configurations, ranked by estimated time\n`;
  // Without --scenario only one scenario is compared: say so when the file has others.
  if (args.scenario === null && loaded.scenarios.length > 1) text += `(${loaded.scenarios.length - 1} other scenario${loaded.scenarios.length === 2 ? '' : 's'} in ${loaded.file}; pick one with --scenario NAME)\n`;
  if (sorted.length > 0) text += '\n';
  if (sorted.length > 0) {
    // The values every point shares (the scenario's config): a ranking means little without them.
    const shared = configText(sorted[0]!.config).split(' ').filter((kv) => !(axes as readonly string[]).includes(kv.slice(0, kv.indexOf('='))));
    text += `every point: ${shared.join(' ')}\n\n`;
    text += table(rows, numeric);
  }
  if (skipped.length > 0) {
    // One line per reason: a big sweep can skip hundreds of points for the same few reasons.
    const byReason = new Map<string, number>();
    for (const p of skipped) byReason.set(p.reason, (byReason.get(p.reason) ?? 0) + 1);
    text += `\nnot run: ${skipped.length} point${skipped.length === 1 ? '' : 's'} combining values that cannot mean anything together (E203)\n`;
    for (const [reason, n] of byReason) text += `    ${String(n).padStart(4)} x  ${reason}\n`;
  }
  for (const n of res.notes ?? []) text += `\nnote: ${n}\n`;
  const ok = sorted.filter((p) => p.passed);
  const bad = sorted.length - ok.length;
  text += '\nverdict ok = no stale use and every read ==/verify/expect ok passed; time_us is an estimate (docs/cost-model.md)\n';
  text += ok.length > 0
    ? `verdict: fastest correct configuration ${axes.map((k) => `${k}=${ok[0].config[k]}`).join(' ')} (${ok[0].timeUs.toFixed(1)} us est.); ${bad} of ${sorted.length} not passed\n`
    : sorted.length === 0 ? 'verdict: no configuration to compare (every sweep point was skipped)\n'
      : `verdict: no configuration passed (${bad} of ${sorted.length})\n`;
  io.out(text);
  // Nothing to rank (every point skipped as meaningless) is a failed comparison, not a success.
  return sorted.length === 0 ? EXIT_FAILED : EXIT_OK;
}
