// Language front end benches: parse + check + compile of a generated 10,000-line file
// (product.md quality bar: under 100 ms), and the scanner alone. Baseline: a plain loop
// over the same text's char codes counting newlines — the least any front end must do.
import { analyze } from '../src/core/lang/index';
import { scan } from '../src/core/lang/scanner';

const QUICK = process.env.MMU_BENCH_QUICK === '1';
const RUNS = QUICK ? 5 : 21;
export const TARGET_MS = 100;

/** A deterministic 10,000-line file using every statement form, comments and blank lines. */
export function generate(lines = 10000): string {
  const out: string[] = ['# generated for the bench', 'config host=hyperv cpu=svm kernel=6.2', 'sweep tdp_mmu=[on, off] enlightened_tlb=[on, off]', ''];
  let n = 0;
  const block = (name: string): string[] => {
    const b = [`scenario "${name}" {`, '  config vcpus=4 allocator=lifo', '  memslot 1 gpa 0x100000 size 64M', '  memslot ram gpa 0x8000000 size 1M readonly'];
    for (let i = 0; i < 12; i++) {
      const a = (0x100000 + i * 0x1000).toString(16);
      const v = (i * 7919).toString(16);
      b.push(
        `  write 0x${a} = 0x${v}   # store`,
        `  vcpu ${i % 4} read 0x${a} == 0x${v}`,
        '  repeat 1000 {',
        '    memslot 1 delete free; memslot 1 gpa 0x100000 size 64M',
        '    smi',
        '    rsm',
        '    touch 0x100000 size 1M stride 4K count 16 random',
        '  }',
        `  write 0x${a} size 64K pattern p${i}`,
        `  verify 0x${a} size 64K pattern p${i}`,
        '  cr4 pge off; cr3 0x1000 noflush',
        '  call hyperv_flush_guest_mapping root',
        `  checkpoint "step ${i}"`,
        '  expect stale == 0',
        '',
      );
    }
    b.push('  expect ok', '  print time_us', '}', '');
    return b;
  };
  for (;;) {
    const b = block(`generated ${n++}`);
    if (out.length + b.length > lines) break;
    out.push(...b);
  }
  while (out.length < lines) out.push('# padding');
  return out.join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall times of `fn` over RUNS runs after 3 warm-up runs: the median is the figure; the
 *  minimum is reported too, since on a shared machine the median also measures the neighbours. */
function times(fn: () => unknown): { median: number; min: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    gc?.();
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return { median: median(ts), min: Math.min(...ts) };
}
const time = (fn: () => unknown): number => times(fn).median;

/** The baseline: count newlines over the text's char codes. */
function countNewlines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

const text = generate();
let sink = 0;
const baselineMs = (): number => time(() => { sink += countNewlines(text); });

export const benches = [
  {
    name: 'lang.analyze_10k_lines',
    unit: 'ms',
    run() {
      const a = analyze(text);
      if (a.diagnostics.length || a.compiled.scenarios.length === 0) throw new Error(`generated file is not clean: ${a.diagnostics[0]?.message}`);
      const t = times(() => analyze(text));
      return {
        value: t.median, min: t.min, baseline: baselineMs(), baselineName: 'newline-count loop over the text (ms)',
        target: TARGET_MS, meetsTarget: t.median < TARGET_MS, lines: 10000, chars: text.length,
      };
    },
  },
  {
    name: 'lang.analyze_throughput',
    unit: 'chars/s',
    run() {
      const value = text.length / (time(() => analyze(text)) / 1000);
      const baseline = text.length / (baselineMs() / 1000);
      return { value, baseline, baselineName: 'newline-count loop (chars/s)', ratio: value / baseline };
    },
  },
  {
    name: 'lang.scan_10k_lines',
    unit: 'ms',
    run() {
      return { value: time(() => scan(text)), baseline: baselineMs(), baselineName: 'newline-count loop over the text (ms)', sink };
    },
  },
];
