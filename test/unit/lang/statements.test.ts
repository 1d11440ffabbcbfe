// Every statement form of the language reference (shared/spec/language.md, Statements)
// parses, checks clean and compiles to the op ops.ts defines for it.
import * as assert from 'node:assert/strict';
import { analyze, plainRange } from '../../../src/core/lang/index';
import { compileOne, opsOf } from './helpers';

const SLOT = 'memslot 1 gpa 0x100000 size 1M';

describe('lang: statement forms compile to ops', () => {
  it('memslot create, with and without readonly; integer and identifier ids', () => {
    assert.deepEqual(opsOf('memslot 1 gpa 0x100000 size 64M', 'memslot ram gpa 0x8000000 size 4K readonly'), [
      { k: 'memslot_create', slot: '1', gpa: 0x100000, size: 64 * 1024 * 1024, readonly: false },
      { k: 'memslot_create', slot: 'ram', gpa: 0x8000000, size: 4096, readonly: true },
    ]);
  });

  it('memslot delete [free], move, dirty_log on|off', () => {
    assert.deepEqual(opsOf(SLOT, 'memslot 1 dirty_log on', 'memslot 1 dirty_log off', 'memslot 1 move 0x200000', 'memslot 1 delete', SLOT, 'memslot 1 delete free').slice(1), [
      { k: 'memslot_dirty_log', slot: '1', on: true },
      { k: 'memslot_dirty_log', slot: '1', on: false },
      { k: 'memslot_move', slot: '1', gpa: 0x200000 },
      { k: 'memslot_delete', slot: '1', free: false },
      { k: 'memslot_create', slot: '1', gpa: 0x100000, size: 0x100000, readonly: false },
      { k: 'memslot_delete', slot: '1', free: true },
    ]);
  });

  it('a memslot id written 0x1 is the same slot as 1', () => {
    assert.deepEqual(opsOf('memslot 0x1 gpa 0 size 4K', 'memslot 1 delete').map((o) => o.slot), ['1', '1']);
  });

  it('unmap ADDR size SIZE', () => {
    assert.deepEqual(opsOf('unmap 0x200000 size 2M'), [{ k: 'unmap', gpa: 0x200000, size: 2 * 1024 * 1024 }]);
  });

  it('memslot ID clear_dirty_log', () => {
    assert.deepEqual(opsOf('memslot ram gpa 0 size 1M', 'memslot ram clear_dirty_log').slice(1), [{ k: 'memslot_clear_dirty_log', slot: 'ram' }]);
  });

  it('collapse ADDR', () => {
    assert.deepEqual(opsOf('collapse 0x200000'), [{ k: 'collapse', gpa: 0x200000 }]);
  });

  it('read ADDR [== VALUE], with the vcpu prefix defaulting to 0', () => {
    assert.deepEqual(opsOf('config vcpus=2', 'read 0x1000', 'vcpu 1 read 0x1008 == 0xdead'), [
      { k: 'read', vcpu: 0, gpa: 0x1000, expected: null },
      { k: 'read', vcpu: 1, gpa: 0x1008, expected: 0xdead },
    ]);
  });

  it('write ADDR = VALUE and write ADDR size SIZE [pattern NAME]', () => {
    assert.deepEqual(opsOf('write 0x1000 = 42', 'write 0x2000 size 8K', 'write 0x2000 size 8K pattern p1'), [
      { k: 'write', vcpu: 0, gpa: 0x1000, value: 42 },
      { k: 'write_range', vcpu: 0, gpa: 0x2000, size: 8192, pattern: 'default' },
      { k: 'write_range', vcpu: 0, gpa: 0x2000, size: 8192, pattern: 'p1' },
    ]);
  });

  it('verify ADDR size SIZE [pattern NAME]', () => {
    assert.deepEqual(opsOf('verify 0x2000 size 4K pattern p1'), [{ k: 'verify', vcpu: 0, gpa: 0x2000, size: 4096, pattern: 'p1' }]);
  });

  it('touch with defaults: stride 4K, count size/stride (ops.ts)', () => {
    assert.deepEqual(opsOf('touch 0x100000 size 1M'), [
      { k: 'touch', vcpu: 0, gpa: 0x100000, size: 1 << 20, stride: 4096, count: 256, random: false, write: false },
    ]);
  });

  it('touch with every option, in any order', () => {
    assert.deepEqual(opsOf('touch 0x100000 size 1M write random count 10 stride 64'), [
      { k: 'touch', vcpu: 0, gpa: 0x100000, size: 1 << 20, stride: 64, count: 10, random: true, write: true },
    ]);
  });

  it('smi, rsm, migrate, reset, avic on', () => {
    assert.deepEqual(opsOf('smi', 'rsm', 'migrate', 'reset', 'avic on'), [
      { k: 'smi', vcpu: 0 }, { k: 'rsm', vcpu: 0 }, { k: 'migrate', vcpu: 0 }, { k: 'reset', vcpu: 0 }, { k: 'avic', vcpu: 0 },
    ]);
  });

  it('cr4 pge|pcide|smep on|off and cr3 VALUE [noflush]', () => {
    assert.deepEqual(opsOf('cr4 pge off', 'cr4 pcide on', 'cr4 smep on', 'cr3 0x5000', 'cr3 0x6000 noflush'), [
      { k: 'cr4', vcpu: 0, bit: 'pge', on: false },
      { k: 'cr4', vcpu: 0, bit: 'pcide', on: true },
      { k: 'cr4', vcpu: 0, bit: 'smep', on: true },
      { k: 'cr3', vcpu: 0, value: 0x5000, noflush: false },
      { k: 'cr3', vcpu: 0, value: 0x6000, noflush: true },
    ]);
  });

  it('nested vmrun / vmexit', () => {
    assert.deepEqual(opsOf('nested vmrun', 'nested vmexit'), [{ k: 'nested', vcpu: 0, dir: 'vmrun', ncr3: null }, { k: 'nested', vcpu: 0, dir: 'vmexit', ncr3: null }]);
  });

  it('nested vmrun ncr3 ADDR: the L3 nested CR3 (an L2 GPA) is carried on the op; omitted = null (keep the previous one)', () => {
    assert.deepEqual(opsOf('vcpu 0 nested vmrun ncr3 0x200000', 'nested vmexit', 'nested vmrun ncr3 0', 'nested vmexit', 'nested vmrun'), [
      { k: 'nested', vcpu: 0, dir: 'vmrun', ncr3: 0x200000 },
      { k: 'nested', vcpu: 0, dir: 'vmexit', ncr3: null },
      { k: 'nested', vcpu: 0, dir: 'vmrun', ncr3: 0 },
      { k: 'nested', vcpu: 0, dir: 'vmexit', ncr3: null },
      { k: 'nested', vcpu: 0, dir: 'vmrun', ncr3: null },
    ]);
  });

  it('call: every kernel function of the reference; hyperv_flush_guest_mapping takes ADDR or root', () => {
    const fns = ['kvm_mmu_zap_all_fast', 'kvm_flush_remote_tlbs', 'kvm_mmu_reset_context', 'kvm_mmu_unload', 'svm_flush_tlb_current',
      'svm_flush_tlb_all', 'kvm_tdp_mmu_zap_invalidated_roots', 'rcu_barrier'];
    assert.deepEqual(opsOf(...fns.map((f) => `call ${f}`), 'call hyperv_flush_guest_mapping root', 'call hyperv_flush_guest_mapping 0x1f000'), [
      ...fns.map((fn) => ({ k: 'call', vcpu: 0, fn, arg: null })),
      { k: 'call', vcpu: 0, fn: 'hyperv_flush_guest_mapping', arg: 'root' },
      { k: 'call', vcpu: 0, fn: 'hyperv_flush_guest_mapping', arg: 0x1f000 },
    ]);
  });

  it('checkpoint "LABEL" with escapes, expect METRIC OP VALUE for every OP, expect ok, print', () => {
    assert.deepEqual(opsOf('checkpoint "a \\"b\\" \\\\c"', 'expect stale == 0', 'expect hypercalls != 1', 'expect npf.l0 < 2', 'expect roots.live <= 3',
      'expect time_us > 4', 'expect flushes.asid >= 5', 'expect ok', 'print stale.divergent'), [
      { k: 'checkpoint', label: 'a "b" \\c' },
      { k: 'expect', metric: 'stale', op: '==', value: 0 },
      { k: 'expect', metric: 'hypercalls', op: '!=', value: 1 },
      { k: 'expect', metric: 'npf.l0', op: '<', value: 2 },
      { k: 'expect', metric: 'roots.live', op: '<=', value: 3 },
      { k: 'expect', metric: 'time_us', op: '>', value: 4 },
      { k: 'expect', metric: 'flushes.asid', op: '>=', value: 5 },
      { k: 'expect_ok' },
      { k: 'print', metric: 'stale.divergent' },
    ]);
  });

  it('repeat N { ... } compiles to repeat / body / end_repeat; `end` is just past the matching end_repeat', () => {
    assert.deepEqual(opsOf('repeat 3 {', '  smi', '  repeat 2 { rsm }', '}', 'reset'), [
      { k: 'repeat', count: 3, end: 6 },
      { k: 'smi', vcpu: 0 },
      { k: 'repeat', count: 2, end: 5 },
      { k: 'rsm', vcpu: 0 },
      { k: 'end_repeat', start: 2 },
      { k: 'end_repeat', start: 0 },
      { k: 'reset', vcpu: 0 },
    ]);
  });

  it('`;` separates statements on one line; comments run to the end of the line', () => {
    assert.deepEqual(opsOf('smi; rsm # smm round trip', '# only a comment', 'migrate ;'), [{ k: 'smi', vcpu: 0 }, { k: 'rsm', vcpu: 0 }, { k: 'migrate', vcpu: 0 }]);
  });

  it('each op keeps its statement\'s range and trimmed source text', () => {
    const s = compileOne('scenario "r" {\n  vcpu 0 read 0x1000 == 7   # c\n  repeat 2 {\n    smi\n  }\n}\n');
    assert.equal(s.ops[0]!.text, 'vcpu 0 read 0x1000 == 7');
    assert.deepEqual(s.ops[0]!.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 25 } });
    assert.equal(s.ops[1]!.text, 'repeat 2 {');
    assert.equal(s.ops[1]!.range.start.line, 2);
    assert.equal(s.ops[1]!.range.end.line, 4);
    assert.equal(s.ops[3]!.k, 'end_repeat');
    assert.deepEqual(s.ops[3]!.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 3 } });
  });

  it('numbers: hex, `_` separators and K/M/G suffixes (powers of 1024)', () => {
    assert.deepEqual(opsOf('write 0xffff_f000 = 1_000_000', 'write 0x1000 = 2G', 'write 0x1000 = 3K'), [
      { k: 'write', vcpu: 0, gpa: 0xfffff000, value: 1000000 },
      { k: 'write', vcpu: 0, gpa: 0x1000, value: 2 * 1024 ** 3 },
      { k: 'write', vcpu: 0, gpa: 0x1000, value: 3 * 1024 },
    ]);
  });

  it('`{` may stand on the line after the scenario name or the repeat count', () => {
    const a = analyze('scenario "x"\n{\n  repeat 2\n  {\n    smi\n  }\n}\n');
    assert.deepEqual(a.diagnostics, []);
    assert.deepEqual(a.compiled.scenarios[0]!.ops.map((o) => o.k), ['repeat', 'smi', 'end_repeat']);
  });

  it('CRLF and lone CR line breaks count as one line each', () => {
    const a = analyze('scenario "x" {\r\n  smi\r  tuch\r\n}\r\n');
    assert.deepEqual(a.diagnostics.map((d) => [d.code, d.range.start.line]), [['E101', 2]]);
  });

  it('the AST keeps ranges of names, keywords and values (for hover, outline, CodeLens)', () => {
    const a = analyze('config host=hyperv\nscenario "name" {\n  memslot 1 gpa 0x1000 size 4K\n  vcpu 0 read 0x1000\n}\n');
    const sc = a.file.scenarios[0]!;
    assert.deepEqual(plainRange(sc.name!.range), { start: { line: 1, character: 9 }, end: { line: 1, character: 15 } });
    assert.deepEqual(sc.keyword.range.start, { line: 1, character: 0 });
    assert.deepEqual(sc.range.end, { line: 4, character: 1 });
    const cfg = a.file.configs[0]!.entries[0]!;
    assert.equal(cfg.key.text, 'host');
    assert.deepEqual(plainRange(cfg.value!.range), { start: { line: 0, character: 12 }, end: { line: 0, character: 18 } });
    const ms = sc.body[0]!;
    assert.equal(ms.kind, 'memslot_create');
    if (ms.kind === 'memslot_create') {
      assert.deepEqual(plainRange(ms.slot.range), { start: { line: 2, character: 10 }, end: { line: 2, character: 11 } });
      assert.equal(ms.gpa.value, 0x1000);
      assert.deepEqual(plainRange(ms.size.range), { start: { line: 2, character: 28 }, end: { line: 2, character: 30 } });
    }
    const rd = sc.body[1]!;
    assert.equal(rd.kind, 'read');
    if (rd.kind === 'read') {
      assert.equal(rd.keyword.text, 'read');
      assert.deepEqual(plainRange(rd.vcpu!.range), { start: { line: 3, character: 2 }, end: { line: 3, character: 8 } });
      assert.deepEqual(plainRange(rd.range), { start: { line: 3, character: 2 }, end: { line: 3, character: 20 } });
    }
  });
});
