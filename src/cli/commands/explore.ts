// `mmu-lab explore FILE [--name NAME] [--config KEY=VALUE]... [--depth N] [--workers N]
// [--shard K/N [--out PATH]] [--max-states N] [--json]` and `mmu-lab explore --merge FILES...`
// (docs/explore.md). Exit 0 when every exploration is clean within its bounds, 1 on a
// violation, 2 on usage or parse errors. JSON lines are 1-based.
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { writeFileSync } from 'node:fs';
import { analyze, parseConfigOverrides } from '../../core/lang/index';
import { DEFAULT_STATE_CAP, explorePoints, mergeShards, runExploration, type ExploreResult } from '../../core/explore/index';
import type { CliArgs } from '../args';
import { diagnosticToJson, EXIT_FAILED, EXIT_OK, EXIT_USAGE, formatDiagnostic, readSource, type CliIO } from '../io';
import { table } from './load';
import { configText } from './run';
import { workerPool } from '../explorePool';

export const EXPLORE_USAGE = 'mmu-lab explore FILE [--name NAME] [--config KEY=VALUE]... [--depth N] [--workers N] [--shard K/N [--out PATH]] [--max-states N] [--json] | mmu-lab explore --merge FILES... [--json]';

/** The CLI contract's JSON of one exploration (1-based lines). */
export function explorationJson(r: ExploreResult): unknown {
  const c = r.counterexample;
  return {
    name: r.name, line: r.line + 1, config: r.config, strategy: r.strategy, verdict: r.verdict, depth: r.depth, maxDepth: r.maxDepth,
    states: r.states, distinct: r.distinct, seconds: r.seconds, statesPerSecond: r.statesPerSecond, capped: r.capped, cap: r.cap,
    summary: r.summary,
    steps: r.steps.map((s) => ({ line: s.line + 1, text: s.text, enabled: s.enabled, taken: s.taken, implicit: s.implicit })),
    counterexample: c ? {
      steps: c.steps.map((s) => ({ line: s.line + 1, text: s.text, picks: s.picks })),
      scenario: c.scenario, violated: c.violated,
      stale: c.stale.map((u) => ({ line: u.line + 1, vcpu: u.vcpu, gfn: u.gfn, seen: u.seen, truth: u.truth, blame: u.blame.map((b) => ({ role: b.role, line: b.line + 1, text: b.text })) })),
      failures: c.failures.map((f) => ({ line: f.line + 1, message: f.message })),
    } : null,
    notes: r.notes,
    ...(r.shard ? { shard: { k: r.shard.k + 1, n: r.shard.n, splitDepth: r.shard.splitDepth } } : {}),
  };
}

/** 41,237 (by hand: the first toLocaleString of a process loads ICU data, ~0.3 s). */
function fmt(n: number): string { return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }

export function explorationText(r: ExploreResult): string {
  const head = r.verdict === 'violation' ? 'VIOLATION' : r.verdict === 'clean' ? 'CLEAN    ' : 'CANCELLED';
  let out = `${head}  explore "${r.name}" (line ${r.line + 1})\n      ${configText(r.config)}\n      ${r.summary}\n`;
  out += `      ${fmt(r.states)} states, ${fmt(r.distinct)} distinct, ${r.seconds.toFixed(2)} s (${fmt(r.statesPerSecond)} distinct states/s)${r.capped ? `, capped at ${fmt(r.cap)}` : ''}\n`;
  const c = r.counterexample;
  if (c) {
    out += '\n  counterexample\n';
    out += table(c.steps.map((s, i) => ['   ', `${i + 1}.`, `line ${s.line + 1}`, s.text, s.picks.some((p) => p !== null) ? `picks ${s.picks.map((p) => (p === null ? 'fresh' : '0x' + p.toString(16))).join(' ')}` : '']));
    if (c.stale.length > 0) {
      const u = c.stale[0]!;
      out += `\n  first stale use: vcpu ${u.vcpu} gfn 0x${u.gfn.toString(16)} reached host page 0x${u.seen.toString(16)} (${c.stale.length} listed)\n`;
      for (const b of u.blame) out += `    ${b.role.padEnd(8)} ${b.text}  — ${b.detail}\n`;
    }
    out += '\n  as a scenario (save it and `mmu-lab run` it):\n' + c.scenario.replace(/^/gm, '    ') + '\n';
  }
  out += '\n  steps (states where enabled, moves taken)\n';
  out += table(r.steps.map((s) => ['   ', `line ${s.line + 1}`, s.text + (s.implicit ? ' (added)' : ''), fmt(s.enabled), fmt(s.taken)]), [false, false, false, true, true]);
  for (const n of r.notes) out += `  note: ${n}\n`;
  return out;
}

function positiveInt(v: string | true | undefined, what: string, io: CliIO): number | null | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1) { io.err(`mmu-lab explore: ${what} expects a positive integer, found \`${String(v)}\`\nusage: ${EXPLORE_USAGE}\n`); return null; }
  return Number(v);
}

function emit(results: readonly ExploreResult[], file: string, args: CliArgs, io: CliIO): number {
  if (args.json) io.out(`${JSON.stringify({ file, explorations: results.map(explorationJson) })}\n`);
  else io.out(results.map(explorationText).join('\n'));
  if (results.some((r) => r.verdict === 'violation')) return EXIT_FAILED;
  if (results.some((r) => r.verdict === 'cancelled')) return EXIT_FAILED;
  return EXIT_OK;
}

function merge(args: CliArgs, io: CliIO): number {
  const files = args.positionals;
  if (files.length === 0) { io.err(`mmu-lab explore --merge: expected shard result FILES, found none\nusage: ${EXPLORE_USAGE}\n`); return EXIT_USAGE; }
  const groups = new Map<string, ExploreResult[]>();
  let source = '';
  for (const f of files) {
    const src = readSource(io, f);
    if (!src.ok) { io.err(`${src.message}\n`); return EXIT_USAGE; }
    let data: { file: string; results: ExploreResult[] };
    try { data = JSON.parse(src.text) as typeof data; } catch { io.err(`mmu-lab explore --merge: ${f} is not a shard result (JSON)\n`); return EXIT_USAGE; }
    if (!Array.isArray(data.results)) { io.err(`mmu-lab explore --merge: ${f} is not a shard result (written by --shard K/N)\n`); return EXIT_USAGE; }
    source = data.file;
    for (const r of data.results) {
      const key = `${r.name}\u0000${JSON.stringify(r.config)}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
  }
  const merged: ExploreResult[] = [];
  for (const rs of groups.values()) {
    const n = rs[0]!.shard?.n ?? 1;
    const ks = new Set(rs.map((r) => r.shard?.k));
    if (ks.size !== n) { io.err(`mmu-lab explore --merge: explore "${rs[0]!.name}": ${ks.size} of ${n} shards given; the verdict needs all of them\n`); return EXIT_USAGE; }
    merged.push(mergeShards(rs));
  }
  return emit(merged, source, args, io);
}

export async function exploreCommand(args: CliArgs, io: CliIO): Promise<number> {
  if (args.flags.has('merge')) return merge(args, io);
  const file = args.positionals[0];
  if (file === undefined || args.positionals.length > 1) { io.err(`mmu-lab explore: expected one FILE, found ${file === undefined ? 'none' : args.positionals.length}\nusage: ${EXPLORE_USAGE}\n`); return EXIT_USAGE; }
  const depth = positiveInt(args.flags.get('depth'), '--depth', io);
  const maxStates = positiveInt(args.flags.get('max-states'), '--max-states', io);
  const workersFlag = positiveInt(args.flags.get('workers'), '--workers', io);
  if (depth === null || maxStates === null || workersFlag === null) return EXIT_USAGE;
  let shard: { k: number; n: number } | undefined;
  const sh = args.flags.get('shard');
  if (sh !== undefined) {
    const m = typeof sh === 'string' ? /^(\d+)\/(\d+)$/.exec(sh) : null;
    if (!m || Number(m[2]) < 1 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) { io.err(`mmu-lab explore: --shard expects K/N with 1 <= K <= N, found \`${String(sh)}\`\nusage: ${EXPLORE_USAGE}\n`); return EXIT_USAGE; }
    shard = { k: Number(m[1]) - 1, n: Number(m[2]) };
  }
  const parsed = parseConfigOverrides([...args.config]);
  if (parsed.errors.length > 0) { io.err(parsed.errors.map((e) => `mmu-lab explore: ${e}\n`).join('') + `usage: ${EXPLORE_USAGE}\n`); return EXIT_USAGE; }
  const src = readSource(io, file);
  if (!src.ok) { io.err(`${src.message}\n`); return EXIT_USAGE; }
  const a = analyze(src.text, { overrides: parsed.overrides });
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    io.err(errors.map((d) => formatDiagnostic(file, src.text, d)).join('\n') + `${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was explored\n`);
    if (args.json) io.out(`${JSON.stringify({ file, diagnostics: errors.map(diagnosticToJson) })}\n`);
    return EXIT_USAGE;
  }
  const name = args.flags.get('name');
  let exps = a.compiled.explorations ?? [];
  if (typeof name === 'string') exps = exps.filter((e) => e.name === name);
  if (exps.length === 0) {
    const names = (a.compiled.explorations ?? []).map((e) => `"${e.name}"`).join(', ') || 'none';
    io.err(`mmu-lab explore: ${typeof name === 'string' ? `no explore block named "${name}"` : 'no explore block'} in ${file} (explore blocks: ${names})\n`);
    return EXIT_USAGE;
  }
  const workers = workersFlag ?? Math.max(1, availableParallelism() - 1);
  let cancelled = false;
  const onSig = (): void => { cancelled = true; };
  process.once('SIGINT', onSig);
  const results: ExploreResult[] = [];
  try {
    for (const e of exps) {
      for (const point of explorePoints(e, parsed.overrides as Record<string, string>)) {
        if (cancelled) break;
        results.push(await runExploration(e, {
          configOverrides: point, depth, cap: maxStates ?? DEFAULT_STATE_CAP, shard,
          shouldCancel: () => cancelled,
          pool: workers > 1 ? () => workerPool(workers, { text: src.text, name: e.name, overrides: point, depth }) : undefined,
        }));
      }
    }
  } finally {
    process.removeListener('SIGINT', onSig);
  }
  if (shard) {
    const outPath = typeof args.flags.get('out') === 'string' ? (args.flags.get('out') as string) : `${basename(file)}.shard-${shard.k + 1}-of-${shard.n}.json`;
    writeFileSync(outPath, JSON.stringify({ file, shard: { k: shard.k + 1, n: shard.n }, results }) + '\n');
    io.err(`mmu-lab explore: shard ${shard.k + 1}/${shard.n} written to ${outPath}; combine all ${shard.n} with \`mmu-lab explore --merge FILES...\`\n`);
  }
  return emit(results, file, args, io);
}
