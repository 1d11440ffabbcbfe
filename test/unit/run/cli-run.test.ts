// `mmu-lab run` and `mmu-lab compare` per product.md's CLI contract: JSON shapes with
// 1-based lines, every metric under its dotted name, blame roles, exit codes 0/1/2;
// readable text with aligned tables, the indented blame chain and a one-line verdict.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseArgs } from '../../../src/cli/args';
import { iterationText, runCommand } from '../../../src/cli/commands/run';
import { analyze } from '../../../src/core/lang/index';
import { runScenario } from '../../../src/core/run/index';
import { compareCommand } from '../../../src/cli/commands/compare';
import type { CliIO } from '../../../src/cli/io';
import { METRICS } from '../../../src/core/lang/schema';

const BUG = readFileSync(new URL('../../../examples/recycled-root-bug.mmu', import.meta.url), 'utf8');
const PASSING = 'config host=hyperv kernel=6.3\nscenario "ok" {\n  memslot ram gpa 0 size 64K\n  write 0x1000 = 5\n  read 0x1000 == 5\n}\n';
const FAILING = 'config kernel=6.2\nscenario "unexpected stale" {\n  memslot ram gpa 0 size 64K\n  write 0x1000 = 42\n  repeat 32 {\n    memslot ram delete free\n    memslot ram gpa 0 size 64K\n    read 0x1000\n  }\n}\n';

function cli(cmd: 'run' | 'compare', argv: string[], files: Record<string, string>) {
  const p = parseArgs([cmd, ...argv]);
  assert.ok(p.ok);
  const io: CliIO & { stdout: string; stderr: string } = {
    stdout: '', stderr: '',
    out(t) { io.stdout += t; }, err(t) { io.stderr += t; },
    readFile(path) { if (!(path in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' }); return files[path]; },
  };
  const code = (cmd === 'run' ? runCommand : compareCommand)(p.args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('cli: run', () => {
  it('names the loop iteration of each stale use in text: "line 27, iteration 27 of 32"', () => {
    // The iterations are what the core's result carries (StaleUse.iteration); the text must show them.
    const uses = analyze(BUG).compiled.scenarios.flatMap((sc) => runScenario(sc, { snapshotLimit: 0 }).stale);
    assert.ok(uses.length > 0 && uses.every((u) => u.iteration), 'the stale uses are inside the repeat');
    const out = cli('run', ['bug.mmu'], { 'bug.mmu': BUG }).stdout;
    for (const u of uses) assert.ok(out.includes(`line ${u.line + 1}, iteration ${u.iteration!.index} of ${u.iteration!.count}  vcpu ${u.vcpu}`), out);
    assert.equal(iterationText([3, 5, 7], 8), ', iterations 3, 5, 7 of 8');
    assert.equal(iterationText([1, 2, 3, 4, 5, 6, 7], 9), ', iterations 1, 2, 3, 4, 5, 6, … of 9');
    assert.equal(iterationText([], 8), '', 'outside a loop: nothing');
  });

  it('--by-path: flushes and hypercalls per call path, as JSON and as a table', () => {
    // A legacy-MMU memslot zap: kvm_zap_obsolete_pages' commit_zap flushes the in-use root's children,
    // then the next entry's __kvm_mmu_free_obsolete_roots frees the root with its own commit_zap.
    const file = 'config tdp_mmu=off\nscenario "z" {\n  memslot ram gpa 0 size 64K\n  read 0x1000\n  memslot ram delete\n  memslot ram gpa 0 size 64K\n  read 0x1000\n}\n';
    const j = JSON.parse(cli('run', ['z.mmu', '--by-path', '--json'], { 'z.mmu': file }).stdout);
    const rows = j.scenarios[0].rows as { path: string; flushes: number; space: number }[];
    assert.deepEqual(rows.map((r) => [r.path.split(' > ').includes('kvm_zap_obsolete_pages'), r.path.split(' > ')[0], r.flushes, r.space]),
      [[false, 'kvm_mmu_free_obsolete_roots', 1, 1], [true, 'kvm_set_memslot', 1, 1]], 'equal counts: ordered by path');
    assert.match(cli('run', ['z.mmu', '--by-path'], { 'z.mmu': file }).stdout, /flushes {2}space {2}list {2}call path/);
  });

  it('--json: the contract shape, 1-based lines, every metric, blame roles', () => {
    const r = cli('run', ['bug.mmu', '--json'], { 'bug.mmu': BUG });
    assert.equal(r.code, 0, 'the example expects its stale uses');
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j), ['file', 'scenarios']);
    const s = j.scenarios[0];
    assert.deepEqual(Object.keys(s), ['name', 'line', 'config', 'passed', 'metrics', 'failures', 'stale']);
    assert.equal(s.line, 19, 'line of `scenario "memslot churn recycles a root page"`, 1-based');
    for (const m of METRICS) assert.equal(typeof s.metrics[m.name], 'number', m.name);
    const u = s.stale[0];
    assert.deepEqual(Object.keys(u), ['line', 'vcpu', 'gfn', 'seen', 'truth', 'blame']);
    assert.equal(u.line, 27, 'the `read 0x1000` inside the repeat');
    assert.deepEqual(u.blame.map((b: { role: string }) => b.role), ['fill', 'change', 'recycle']);
    assert.deepEqual(u.blame[1], { role: 'change', line: 25, text: 'memslot ram delete free' });
  });

  it('exit 1 when a scenario fails, with the failure line 1-based', () => {
    const r = cli('run', ['f.mmu', '--json'], { 'f.mmu': FAILING });
    assert.equal(r.code, 1);
    const s = JSON.parse(r.stdout).scenarios[0];
    assert.equal(s.passed, false);
    assert.ok(s.failures.some((f: { line: number; message: string }) => f.line === 8 && /stale translation use/.test(f.message)));
  });

  it('exit 0 when every scenario passes; --config overrides the file', () => {
    assert.equal(cli('run', ['p.mmu'], { 'p.mmu': PASSING }).code, 0);
    assert.equal(cli('run', ['f.mmu', '--config', 'fix=b'], { 'f.mmu': FAILING }).code, 0, 'fix b removes the stale uses');
    const j = JSON.parse(cli('run', ['p.mmu', '--json', '--config', 'cpu=vmx', '--seed', '9'], { 'p.mmu': PASSING }).stdout);
    assert.equal(j.scenarios[0].config.cpu, 'vmx');
    assert.equal(j.scenarios[0].config.seed, '9');
  });

  it('exit 2 on usage errors, unknown scenarios, bad --config and parse errors', () => {
    assert.equal(cli('run', [], {}).code, 2);
    assert.equal(cli('run', ['missing.mmu'], {}).code, 2);
    assert.equal(cli('run', ['p.mmu', '--scenario', 'nope'], { 'p.mmu': PASSING }).code, 2);
    assert.equal(cli('run', ['p.mmu', '--config', 'kernel=9'], { 'p.mmu': PASSING }).code, 2);
    const bad = cli('run', ['b.mmu'], { 'b.mmu': 'scenario "x" {\n  tuch 0\n}\n' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /b\.mmu:2:/);
  });

  it('--json with parse errors: exit 2, and the errors as JSON on stdout (check --json\'s diagnostics)', () => {
    for (const cmd of ['run', 'compare'] as const) {
      const bad = cli(cmd, ['b.mmu', '--json'], { 'b.mmu': 'scenario "x" {\n  tuch 0\n}\n' });
      assert.equal(bad.code, 2);
      assert.deepEqual(JSON.parse(bad.stdout), { error: { kind: 'parse', message: 'b.mmu: 1 error; nothing was run' }, file: 'b.mmu', diagnostics: [{ code: 'E101', severity: 'error', line: 2, column: 3, message: 'unknown statement `tuch`; did you mean `touch`?' }] });
    }
  });

  it('text: a check failing in every iteration of a loop is listed once with a count, not once per iteration', () => {
    // 300 iterations x (1 read + 2 verify pages): the failures list holds 900 entries but only 3 distinct ones.
    const file = 'scenario "s" {\n  memslot ram gpa 0 size 64K\n  repeat 300 {\n    read 0x1000 == 0x1\n    verify 0 size 8K pattern q\n  }\n}\n';
    const out = cli('run', ['s.mmu'], { 's.mmu': file }).stdout;
    const section = out.slice(out.indexOf('\n  failures'), out.indexOf('\n  metrics'));
    assert.equal(section.trim().split('\n').length, 4, section);
    assert.match(section, /line 4 {2}read 0x1000: expected 0x1, seen 0x0 {2}\(x300\)/);
    assert.match(section, /line 5 {2}verify page 0x1000: expected 0x[0-9a-f]+, seen 0x0 {2}\(x300\)/);
  });

  it('text: the verdict stays one line however many scenarios fail (the first five names, then a count)', () => {
    const file = Array.from({ length: 8 }, (_, i) => `scenario "s${i}" {\n  smi\n  smi\n}\n`).join('');
    const last = cli('run', ['m.mmu'], { 'm.mmu': file }).stdout.trimEnd().split('\n').pop();
    assert.equal(last, 'verdict: FAIL — 8 of 8 scenarios failed in m.mmu ("s0", "s1", "s2", "s3", "s4" and 3 more)');
  });

  it('text: the config line shows every non-default value (flushbyasid, l0_shadows, seed, tlb_entries)', () => {
    // These change the run (new ASID per flush, L0 shadow eviction, random choices, TLB capacity): never hide them.
    const file = 'config flushbyasid=off l0_shadows=1\nscenario "s" {\n  config seed=7\n  memslot ram gpa 0 size 64K\n}\n';
    const line = cli('run', ['s.mmu'], { 's.mmu': file }).stdout.split('\n')[1];
    assert.equal(line.trim(), 'host=hyperv cpu=svm kernel=6.2 tdp_mmu=on enlightened_tlb=on fix=none allocator=lifo vcpus=1 flushbyasid=off seed=7 l0_shadows=1');
  });

  it('text: the blame chain indented with line numbers, aligned metrics, one-line verdict', () => {
    const r = cli('run', ['f.mmu'], { 'f.mmu': FAILING });
    assert.match(r.stdout, /^FAIL {2}scenario "unexpected stale" \(line 2\)/);
    // With the mmu_shadow_page_cache the recycled root was filled by a read of an earlier round.
    assert.match(r.stdout, /\n {10}fill {5}line 8 {2}read 0x1000/);
    assert.match(r.stdout, /\n {10}change {3}line 6 {2}memslot ram delete free/);
    assert.match(r.stdout, /\n {10}recycle {2}line 8 {2}read 0x1000/);
    assert.match(r.stdout, /time_us is an estimate/);
    const last = r.stdout.trimEnd().split('\n').pop()!;
    assert.match(last, /^verdict: FAIL — 1 of 1 scenario failed in f\.mmu/);
  });

  it('--trace-limit prints the trace with call paths', () => {
    const r = cli('run', ['p.mmu', '--trace-limit', '20'], { 'p.mmu': PASSING });
    assert.match(r.stdout, /trace \(\d+ events\)/);
    assert.match(r.stdout, /line 4 {4}kvm_mmu_reload\n {4}line 4 {6}kvm_mmu_load/);
  });
});

describe('cli: compare', () => {
  it('does not run sweep points that cannot mean anything (E203) and lists them with the reason', () => {
    // fix a patches tdp_mmu_alloc_sp(), which the legacy MMU never calls (domain §2.2, §4.3): 4 points, 3 meaningful.
    const file = 'scenario "s" {\n  sweep tdp_mmu=[on, off] fix=[none, a]\n  memslot ram gpa 0 size 64K\n  read 0x1000\n}\n';
    const j = JSON.parse(cli('compare', ['s.mmu', '--json'], { 's.mmu': file }).stdout);
    assert.deepEqual(j.points.map((p: { config: Record<string, string> }) => `${p.config.tdp_mmu}/${p.config.fix}`).sort(), ['off/none', 'on/a', 'on/none']);
    assert.deepEqual(j.points.map((p: { rank: number }) => p.rank).sort(), [1, 2, 3]);
    assert.deepEqual(j.skipped.map((p: { config: Record<string, string> }) => p.config), [{ tdp_mmu: 'off', fix: 'a' }]);
    assert.match(j.skipped[0].reason, /`fix=a` cannot be combined with `tdp_mmu=off`/);
    const text = cli('compare', ['s.mmu'], { 's.mmu': file }).stdout;
    assert.match(text, /\nevery point: host=hyperv cpu=svm kernel=6\.2 enlightened_tlb=on allocator=lifo vcpus=1\n/, 'the values the sweep does not vary');
    assert.match(text, /not run: 1 point combining values that cannot mean anything together \(E203\)\n {7}1 x {2}`fix=a` cannot be combined with `tdp_mmu=off`/);
  });

  it('a host=bare scenario compares only the default sweep\'s enlightened_tlb=off points', () => {
    // The enlightened TLB is a Hyper-V feature (domain §1.1): ranking `host=bare enlightened_tlb=on` would rank nothing real.
    const j = JSON.parse(cli('compare', ['b.mmu', '--json'], { 'b.mmu': 'config host=bare\nscenario "s" {\n  memslot ram gpa 0 size 64K\n  read 0x1000\n}\n' }).stdout);
    assert.deepEqual(j.points.map((p: { config: Record<string, string> }) => `${p.config.tdp_mmu}/${p.config.enlightened_tlb}`), ['on/off', 'off/off']);
    assert.equal(j.skipped.length, 2);
  });

  it('text: says when the file has other scenarios that were not compared', () => {
    const two = `${PASSING}scenario "other" {\n  smi\n  rsm\n}\n`;
    assert.match(cli('compare', ['t.mmu'], { 't.mmu': two }).stdout, /^compare scenario "ok" \(line 2\)[^\n]*\n\(1 other scenario in t\.mmu; pick one with --scenario NAME\)\n/);
    assert.doesNotMatch(cli('compare', ['t.mmu', '--scenario', 'other'], { 't.mmu': two }).stdout, /other scenario/);
  });

  it('exit 1 when every sweep point is meaningless: nothing was compared', () => {
    const r = cli('compare', ['n.mmu'], { 'n.mmu': 'config l0_shadows=4\nscenario "s" {\n  sweep host=[bare]\n  smi\n}\n' });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /verdict: no configuration to compare \(every sweep point was skipped\)/);
  });

  it('--json: {scenario, points[{config, passed, metrics, time_us, rank}]}, rank 1 fastest', () => {
    const r = cli('compare', ['p.mmu', '--json'], { 'p.mmu': PASSING });
    assert.equal(r.code, 0);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j), ['scenario', 'points']);
    assert.equal(j.points.length, 4, 'DEFAULT_SWEEP: tdp_mmu x enlightened_tlb');
    for (const p of j.points) assert.deepEqual(Object.keys(p), ['config', 'passed', 'metrics', 'time_us', 'rank']);
    const fastest = j.points.find((p: { rank: number }) => p.rank === 1);
    assert.ok(j.points.every((p: { time_us: number }) => p.time_us >= fastest.time_us));
  });

  it('text: a ranked, aligned table and a verdict naming the fastest correct configuration', () => {
    const r = cli('compare', ['f.mmu'], { 'f.mmu': FAILING });
    assert.match(r.stdout, /rank {2}tdp_mmu {2}enlightened_tlb {2}verdict/);
    assert.match(r.stdout, /STALE \d+/);
    assert.match(r.stdout.trimEnd().split('\n').pop()!, /^verdict: fastest correct configuration /);
  });
});
