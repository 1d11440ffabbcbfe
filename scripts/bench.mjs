// `npm run bench` — the benchmark harness. Prints a table (name, value, unit, baseline,
// ratio); `npm run bench -- --json` prints {"results":[{"name","value","unit",...}]}.
// Speed figures are never asserted in tests; each is reported next to a baseline
// measured in the same process, so the ratio means something on any machine.
//
// Plug-in interface: every `bench/*.bench.ts` file exports
//
//   export const benches: Bench[];
//   interface Bench {
//     name: string;            // dotted, e.g. "lang.analyze_10k_lines"
//     unit: string;            // e.g. "ms", "chars/s", "lookups/s"
//     run(): BenchResult | Promise<BenchResult>;
//   }
//   interface BenchResult {
//     value: number;           // the figure
//     baseline?: number;       // same unit, measured in the same process just now
//     baselineName?: string;   // what the baseline is ("newline-count loop over the text")
//     ratio?: number;          // default value/baseline; give it when "higher is better" reads otherwise
//     [extra: string]: unknown // anything else (target, samples…) goes into the JSON as is
//   }
//
// Each file runs in its own Node process (`node --import tsx`), so benches do not share
// JIT state. `npm run bench -- lang` runs only files whose name contains "lang";
// `--quick` sets MMU_BENCH_QUICK=1 (benches may use fewer repetitions).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const argv = process.argv.slice(2);

if (argv[0] === '--child') {
  // Child mode: run one bench file and print its results as JSON on stdout.
  const mod = await import(pathToFileURL(argv[1]).href);
  const results = [];
  for (const b of mod.benches ?? []) {
    try {
      const r = await b.run();
      const ratio = r.ratio ?? (r.baseline ? r.value / r.baseline : undefined);
      results.push({ name: b.name, unit: b.unit, ...r, value: r.value, ...(ratio !== undefined ? { ratio } : {}) });
    } catch (e) {
      results.push({ name: b.name, unit: b.unit, value: null, error: String(e?.stack ?? e) });
    }
  }
  process.stdout.write(JSON.stringify(results));
  process.exit(0);
}

const json = argv.includes('--json');
const quick = argv.includes('--quick');
const filters = argv.filter((a) => !a.startsWith('--'));
const dir = join(root, 'bench');
let files = [];
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
} catch { /* no bench directory: nothing to run */ }
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));

const results = [];
let failed = false;
for (const f of files) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(root, 'scripts/bench.mjs'), '--child', join(dir, f)], {
    cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...(quick ? { MMU_BENCH_QUICK: '1' } : {}) },
  });
  if (r.status !== 0) {
    failed = true;
    process.stderr.write(`bench ${f} failed (exit ${r.status}):\n${r.stderr}\n`);
    continue;
  }
  try {
    for (const x of JSON.parse(r.stdout)) {
      if (x.error) { failed = true; process.stderr.write(`bench ${x.name} failed: ${x.error}\n`); }
      results.push({ file: basename(f), ...x });
    }
  } catch {
    failed = true;
    process.stderr.write(`bench ${f}: could not read its output:\n${r.stdout}\n${r.stderr}\n`);
  }
}

function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '-';
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (a >= 100) return v.toFixed(0);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

if (json) {
  process.stdout.write(`${JSON.stringify({ results })}\n`);
} else {
  const rows = [['name', 'value', 'unit', 'baseline', 'ratio', 'baseline is']];
  for (const r of results) rows.push([r.name, fmt(r.value), r.unit, fmt(r.baseline), r.ratio === undefined || r.ratio === null ? '-' : `${r.ratio >= 0.1 ? r.ratio.toFixed(2) : r.ratio.toPrecision(2)}x`, r.baselineName ?? '']);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
  const right = [false, true, false, true, true, false];
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (right[c] ? String(cell).padStart(widths[c]) : String(cell).padEnd(widths[c]))).join('  ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  if (!results.length) console.log('(no bench/*.bench.ts files)');
}
process.exit(failed ? 1 : 0);
