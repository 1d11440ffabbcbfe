// Issue 9 #4: 100,000-line files of the shapes that were quadratic (and a few more) must
// analyse in under a second. Speed is never asserted in tests; this reports each shape's
// median next to the newline-count baseline over the same text, and (`withOps`) the median
// with the scenarios' ops compiled too, as a run does. It times the analyser as it ships: one
// esbuild bundle, as in dist/ (the harness runs bench files unbundled, through tsx, where each
// module boundary costs a live-binding lookup the extension never pays).
import { buildSync } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { analyze as analyzeFn } from '../src/core/lang/index';

function bundledAnalyze(): typeof analyzeFn {
  const out = buildSync({ entryPoints: [join(__dirname, '../src/core/lang/index.ts')], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
  const file = join(mkdtempSync(join(tmpdir(), 'mmu-bench-')), 'lang.cjs');
  writeFileSync(file, out.outputFiles[0]!.text);
  return (createRequire(__filename)(file) as { analyze: typeof analyzeFn }).analyze;
}
let bundled: typeof analyzeFn | null = null; // built at the first run (SHAPES can be imported alone)

const QUICK = process.env.MMU_BENCH_QUICK === '1';
const RUNS = QUICK ? 3 : 7;
const N = +(process.env.MMU_N ?? 100_000);
const L = (f: (i: number) => string): string => Array.from({ length: N }, (_, i) => f(i)).join('\n') + '\n';

export const SHAPES: Record<string, () => string> = {
  memslots: () => `scenario "m" {\n${L((i) => `  memslot s${i} gpa ${i * 4096} size 4K`)}}\n`,
  duplicate_scenarios: () => L(() => 'scenario "dup" { smi }'),
  unclosed_strings: () => L(() => 'scenario "'),
  unknown_metrics: () => `scenario "e" {\n${L((i) => `  expect stal${i % 10} == 1`)}}\n`,
  overlapping_memslots: () => `scenario "m" {\n${L((i) => ` memslot s${i} gpa 0 size 4K`)}}\n`,
  for_loops: () => `scenario "f" {\n memslot r gpa 0 size 64M\n${L((i) => ` for a in [${i % 100}, ${(i % 100) + 1}] { write a * 8 = a }`)}}\n`,
  repeat_as: () => `scenario "r" {\n memslot r gpa 0 size 64M\n${L((i) => ` repeat 10 as i { write (i + ${i % 1000}) * 8 = i }`)}}\n`,
  lets: () => `${L((i) => `let v${i} = ${i ? `v${i - 1} + 1` : '0'}`)}scenario "l" { write 0 = v99999 }\n`,
  unclosed_blocks: () => L(() => 'scenario "s" {'),
  // Loop-heavy files: a small loop per line, loops in loops, many small scenarios.
  repeat_touch: () => `scenario "t" {\n memslot r gpa 0 size 64M\n${L(() => ' repeat 3 as i { touch i*4096 size 4K }')}}\n`,
  nested_repeats: () => `scenario "n" {\n memslot r gpa 0 size 64M\n${L((i) => ` repeat 2 as a${i} { repeat 2 as b { write (a${i} + b) * 8 = b } }`)}}\n`,
  memslot_loops: () => `scenario "ml" {\n${L((i) => ` memslot s${i} gpa ${i * 8192} size 4K; repeat 2 { memslot s${i} delete; memslot s${i} gpa ${i * 8192} size 4K }`)}}\n`,
  many_scenarios: () => L((i) => `scenario "s${i}" { memslot r gpa 0 size 4K; repeat 2 as i { write i * 8 = i }; expect stale == 0 }`),
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
/** The harness runs benches with --expose-gc: each timed run starts from a collected heap, so it does
 *  not pay for collecting the 100 MB the previous run of a 10 MB file left (a file is analysed once per change). */
const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
function time(fn: () => unknown): number {
  fn();
  const ts: number[] = [];
  for (let i = 0; i < RUNS; i++) { collect(); const t = performance.now(); fn(); ts.push(performance.now() - t); }
  return median(ts);
}
let sink = 0;

export const benches = Object.entries(SHAPES).map(([name, make]) => ({
  name: `lang.analyze_100k.${name}`,
  unit: 'ms',
  run() {
    const analyze = bundled ??= bundledAnalyze();
    const text = make();
    const value = time(() => analyze(text));
    // Scenarios are compiled when a run reads them (compiler.ts): this is the analysis with them read.
    const withOps = time(() => { sink += analyze(text).compiled.scenarios.length; });
    const baseline = time(() => { for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) sink++; });
    return { value, withOps, baseline, baselineName: 'newline-count loop over the text (ms)', target: 1000, meetsTarget: value < 1000, chars: text.length, sink };
  },
}));
