// The compiler and configuration merging: loops stay loops, file-level config and
// sweep lines give defaults that a scenario's own lines override, and `--config`
// overrides replace the file's values before the combination check (language.md).
import * as assert from 'node:assert/strict';
import {
  analyze, applyConfigOverrides, combinationProblems, parseConfigOverrides, resolveConfig,
} from '../../../src/core/lang/index';
import { compileOne, inScenario } from './helpers';

describe('lang: compiler', () => {
  it('repeat 1000000000 compiles to a handful of ops (loops kept as loops)', () => {
    const s = compileOne(inScenario('repeat 1000000000 {', '  read 0x1000', '  smi', '}'));
    assert.deepEqual(s.ops.map((o) => o.k), ['repeat', 'read', 'smi', 'end_repeat']);
    const r = s.ops[0]!;
    assert.ok(r.k === 'repeat');
    assert.equal(r.count, 1e9);
    assert.equal(r.end, 4);
  });

  it('a file\'s scenarios are compiled when first read, once; a spread, a clone and JSON carry them as a value', () => {
    const a = analyze('scenario "a" { smi }\nscenario "b" {\n  repeat 2 as i { write i * 8 = i }\n}\n');
    // The editor analyses on every change and never reads them: an own getter until read.
    const d = Object.getOwnPropertyDescriptor(a.compiled, 'scenarios')!;
    assert.ok(d.get && d.enumerable);
    const list = a.compiled.scenarios;
    assert.equal(a.compiled.scenarios, list, 'compiled once, then kept');
    const [sa, sb] = list;
    assert.deepEqual(sb!.ops.map((o) => o.k), ['repeat', 'write', 'end_repeat']);
    assert.deepEqual(sb!.vars, ['i']);
    // Line 2 (0-based) is `  repeat 2 as i { write i * 8 = i }`: the end_repeat is its last character, the `}` at 34.
    assert.deepEqual(sb!.ops[2]!.range, { start: { line: 2, character: 34 }, end: { line: 2, character: 35 } });
    assert.deepEqual({ ...a.compiled }.scenarios.map((s) => s.name), ['a', 'b']);
    assert.deepEqual(sa!.ops.map((o) => o.k), ['smi']);
    const clone = structuredClone(a.compiled);
    assert.ok('value' in Object.getOwnPropertyDescriptor(clone, 'scenarios')!);
    assert.deepEqual(clone.scenarios, list);
    assert.equal(JSON.parse(JSON.stringify(a.compiled)).scenarios.length, 2);
  });

  it('nested repeats of 10^9 each still compile to one op per statement', () => {
    const s = compileOne(inScenario('repeat 1000000000 {', '  repeat 1000000000 {', '    repeat 1000000000 { smi }', '  }', '}'));
    assert.equal(s.ops.length, 7);
  });

  it('file-level config gives defaults; the scenario\'s own lines override them', () => {
    const a = analyze('config host=hyperv kernel=6.2 vcpus=2\nscenario "a" {\n  config kernel=6.3\n  smi\n}\nscenario "b" {\n  smi\n}\n');
    assert.deepEqual(a.diagnostics, []);
    assert.deepEqual(a.compiled.scenarios.map((s) => s.config), [
      { host: 'hyperv', kernel: '6.3', vcpus: '2' },
      { host: 'hyperv', kernel: '6.2', vcpus: '2' },
    ]);
  });

  it('a file-level config line after a scenario still applies to it (defaults for every scenario)', () => {
    const s = compileOne('scenario "a" { smi }\nconfig cpu=vmx\n');
    assert.deepEqual(s.config, { cpu: 'vmx' });
  });

  it('only explicitly set keys appear in config; numeric values are canonical decimal', () => {
    const s = compileOne(inScenario('config tlb_entries=0x600 seed=4K'));
    assert.deepEqual(s.config, { tlb_entries: '1536', seed: '4096' });
    assert.equal(resolveConfig(s.config).host, 'hyperv');
    assert.equal(resolveConfig(s.config).kernel, '6.2');
    assert.equal(resolveConfig(s.config).tlb_entries, '1536');
  });

  it('sweep: the scenario\'s own axes, else the file\'s, else none (Compare then uses its default)', () => {
    const a = analyze('sweep tdp_mmu=[on, off]\nscenario "own" {\n  sweep kernel=[6.2, 6.3] fix=[none, a]\n  smi\n}\nscenario "file" { smi }\n');
    assert.deepEqual(a.compiled.scenarios.map((s) => s.sweep), [
      [{ key: 'kernel', values: ['6.2', '6.3'] }, { key: 'fix', values: ['none', 'a'] }],
      [{ key: 'tdp_mmu', values: ['on', 'off'] }],
    ]);
    assert.deepEqual(compileOne(inScenario('smi')).sweep, []);
  });

  it('CompiledScenario carries the block range and the name range (CodeLens, outline)', () => {
    const s = compileOne('\nscenario "x y" {\n  smi\n}\n');
    assert.equal(s.name, 'x y');
    assert.deepEqual(s.range, { start: { line: 1, character: 0 }, end: { line: 3, character: 1 } });
    assert.deepEqual(s.nameRange, { start: { line: 1, character: 9 }, end: { line: 1, character: 14 } });
  });

  it('scenarios with only a warning still compile; with an error they do not', () => {
    const a = analyze('scenario "w" {\n  checkpoint "c"\n  checkpoint "c"\n}\nscenario "e" {\n  read 1\n}\n');
    assert.deepEqual(a.compiled.scenarios.map((s) => s.name), ['w']);
  });
});

describe('lang: --config overrides', () => {
  it('parseConfigOverrides validates keys, values and the form KEY=VALUE', () => {
    assert.deepEqual(parseConfigOverrides(['kernel=6.3', 'vcpus=0x4']), { overrides: { kernel: '6.3', vcpus: '4' }, errors: [] });
    const bad = parseConfigOverrides(['kernel', 'kernal=6.2', 'cpu=arm']);
    assert.equal(bad.errors.length, 3);
    assert.match(bad.errors[0]!, /expected --config KEY=VALUE, found `kernel`/);
    assert.match(bad.errors[1]!, /did you mean `kernel`/);
    assert.match(bad.errors[2]!, /one of svm, vmx/);
    assert.equal(parseConfigOverrides(['host=bare', 'enlightened_tlb=on']).errors.length, 1);
  });

  it('overrides replace the file\'s values in every compiled scenario', () => {
    const text = 'config kernel=6.2\nscenario "a" {\n  config kernel=5.17 vcpus=2\n  smi\n}\n';
    const a = analyze(text, { overrides: { kernel: '6.4' } });
    assert.deepEqual(a.diagnostics, []);
    assert.deepEqual(a.compiled.scenarios[0]!.config, { kernel: '6.4', vcpus: '2' });
  });

  it('overrides apply before the combination check: they can make a combination meaningless …', () => {
    const text = inScenario('config enlightened_tlb=on', 'smi');
    assert.deepEqual(analyze(text).diagnostics, []);
    const a = analyze(text, { overrides: { host: 'bare' } });
    assert.deepEqual(a.diagnostics.map((d) => [d.code, d.range.start.line + 1]), [['E203', 2]]);
    assert.match(a.diagnostics[0]!.message, /--config/);
    assert.deepEqual(a.compiled.scenarios, []);
  });

  it('… or resolve one the file had (the file\'s value is replaced, not combined)', () => {
    const text = inScenario('config host=bare enlightened_tlb=on', 'smi');
    assert.equal(analyze(text).diagnostics[0]!.code, 'E203');
    const a = analyze(text, { overrides: { host: 'hyperv' } });
    assert.deepEqual(a.diagnostics, []);
    assert.deepEqual(a.compiled.scenarios[0]!.config, { host: 'hyperv', enlightened_tlb: 'on' });
  });

  it('a vcpus override re-checks vcpu indices', () => {
    const text = `config vcpus=4\n${inScenario('vcpu 3 smi')}`;
    assert.deepEqual(analyze(text, { overrides: { vcpus: '2' } }).diagnostics.map((d) => d.code), ['E233']);
  });

  it('applyConfigOverrides on a compiled scenario merges and re-checks the combination', () => {
    const s = compileOne(inScenario('config cpu=vmx', 'smi'));
    const ok = applyConfigOverrides(s, { kernel: '6.3' });
    assert.deepEqual(ok.scenario.config, { cpu: 'vmx', kernel: '6.3' });
    assert.deepEqual(ok.diagnostics, []);
    const bad = applyConfigOverrides(s, { fix: 'b' });
    assert.deepEqual(bad.diagnostics.map((d) => d.code), ['E203']);
    assert.deepEqual(bad.diagnostics[0]!.range, s.nameRange);
  });

  it('combinationProblems (for sweep points) ignores keys that were not written', () => {
    assert.deepEqual(combinationProblems({ host: 'bare' }), []);
    assert.deepEqual(combinationProblems({ host: 'bare', enlightened_tlb: 'on' }).map((p) => p.keys), [['host', 'enlightened_tlb']]);
  });
});
