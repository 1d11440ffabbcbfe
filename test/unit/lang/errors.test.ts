// Every error class of the language gives its stable code on the right line, with a
// message that says what was expected and what was found (language.md, Errors; the
// codes are listed in docs/language.md).
import * as assert from 'node:assert/strict';
import { analyze, CODE_LIST } from '../../../src/core/lang/index';
import { codes, inScenario } from './helpers';

/** The one diagnostic of `text` (fails when there is not exactly one). */
function only(text: string): { code: string; line: number; message: string } {
  const ds = analyze(text).diagnostics;
  assert.equal(ds.length, 1, `expected one diagnostic, got: ${ds.map((d) => `${d.code}@${d.range.start.line + 1} ${d.message}`).join(' | ')}`);
  const d = ds[0]!;
  return { code: d.code, line: d.range.start.line + 1, message: d.message };
}

describe('lang: error classes (code and line)', () => {
  describe('lexical', () => {
    it('E001 unexpected character', () => {
      const d = only(inScenario('smi', 'read 0x1000 @'));
      assert.deepEqual([d.code, d.line], ['E001', 3]);
      assert.match(d.message, /found `@`/);
    });
    it('E002 unterminated string', () => {
      const d = only(inScenario('checkpoint "open'));
      assert.deepEqual([d.code, d.line], ['E002', 2]);
      assert.match(d.message, /expected `"`.*found end of line/);
    });
    it('E003 bad number: bad digit, misplaced `_`, lower-case suffix, too large', () => {
      assert.deepEqual(codes(inScenario('read 0x10g0')), [{ code: 'E003', line: 2 }]);
      assert.deepEqual(codes(inScenario('read 0x_1000')), [{ code: 'E003', line: 2 }]);
      assert.deepEqual(codes(inScenario('write 0x1000 = 1__0')), [{ code: 'E003', line: 2 }]);
      assert.deepEqual(codes(inScenario('write 0x1000 size 4k')), [{ code: 'E003', line: 2 }]);
      assert.deepEqual(codes(inScenario('write 0x1000 = 0x1_0000_0000_0000_0000')), [{ code: 'E003', line: 2 }]);
      assert.match(only(inScenario('write 0x1000 size 4k')).message, /upper case: `4K`/);
    });
    it('E004 bad escape in a string', () => {
      assert.deepEqual(codes(inScenario('checkpoint "a\\nb"')), [{ code: 'E004', line: 2 }]);
    });
  });

  describe('syntax', () => {
    it('E101 unknown statement, with a did-you-mean', () => {
      const d = only(inScenario('smi', 'tuch 0x1000 size 4K'));
      assert.deepEqual([d.code, d.line], ['E101', 3]);
      assert.equal(d.message, 'unknown statement `tuch`; did you mean `touch`?');
    });
    it('E101 keywords are case-sensitive, and the suggestion says so', () => {
      assert.match(only(inScenario('Read 0x1000')).message, /did you mean `read`/);
    });
    it('E101 for a keyword typed halfway suggests the keyword it begins', () => {
      // Someone typing character by character passes through `mems`, `checkp`, `exp`.
      assert.equal(only(inScenario('mems')).message, 'unknown statement `mems`; did you mean `memslot`?');
      assert.equal(only(inScenario('checkp "x"')).message, 'unknown statement `checkp`; did you mean `checkpoint`?');
      assert.match(only(inScenario('expect hyper == 0')).message, /found `hyper`; did you mean `hypercalls`\?/);
    });
    it('E101 without a close keyword lists what a statement can start with', () => {
      const d = only(inScenario('frobnicate 1'));
      assert.match(d.message, /^unknown statement `frobnicate` \(expected a statement: config, sweep, memslot, .*, print, let, for, rcu, zap_worker, alloc\)$/);
    });
    it('E101 at file level suggests `scenario`', () => {
      const d = only('scenaro "x" {\n  smi\n}\n');
      assert.deepEqual([d.code, d.line], ['E101', 1]);
      assert.match(d.message, /did you mean `scenario`/);
    });
    it('E102 missing argument, with what was expected and found', () => {
      const d = only(inScenario('read'));
      assert.deepEqual([d.code, d.line], ['E102', 2]);
      assert.equal(d.message, 'expected ADDR (a guest-physical address) after `read`, found end of line');
    });
    it('E102 wrong word: `cr4 pge yes`', () => {
      const d = only(inScenario('cr4 pge yes'));
      assert.deepEqual([d.code, d.line], ['E102', 2]);
      assert.match(d.message, /expected `on` or `off` after `cr4 pge`, found `yes`/);
    });
    it('E102 `read ADDR = V` suggests `==`', () => {
      assert.match(only(inScenario('read 0x1000 = 1')).message, /did you mean `==`/);
    });
    it('E102 scenario name must be a string', () => {
      const d = only('scenario foo {\n  smi\n}\n');
      assert.deepEqual([d.code, d.line], ['E102', 1]);
      assert.match(d.message, /write "foo"/);
    });
    it('E102 an empty scenario name', () => {
      assert.deepEqual(codes('scenario "" {\n  smi\n}\n'), [{ code: 'E102', line: 1 }]);
    });
    it('E103 missing closing brace at end of file (at the `{`)', () => {
      assert.deepEqual(codes('scenario "a" {\n  smi\n  repeat 2 {\n    rsm\n  }\n'), [{ code: 'E103', line: 1 }]);
    });
    it('E103 a new `scenario` inside an open block closes it with one diagnostic', () => {
      assert.deepEqual(codes('scenario "a" {\n  smi\n\nscenario "b" {\n  rsm\n}\n'), [{ code: 'E103', line: 1 }]);
    });
    it('E104 a `}` that closes nothing', () => {
      assert.deepEqual(codes('scenario "a" {\n  smi\n}\n}\n'), [{ code: 'E104', line: 4 }]);
    });
    it('E105 extra text after a complete statement', () => {
      const d = only(inScenario('smi now'));
      assert.deepEqual([d.code, d.line], ['E105', 2]);
      assert.equal(d.message, 'expected end of line after the `smi` statement, found `now`');
    });
    it('`nested vmrun ncr3` needs an ADDR; anything else after vmrun is E102; `ncr3` after vmexit is E105', () => {
      const missing = only(inScenario('smi', 'nested vmrun ncr3'));
      assert.deepEqual([missing.code, missing.line], ['E102', 3]);
      assert.match(missing.message, /ADDR \(the L3 nested CR3/);
      const other = only(inScenario('nested vmrun cr3 0x1000'));
      assert.deepEqual([other.code, other.line], ['E102', 2]);
      assert.match(other.message, /`ncr3` after `nested vmrun`/);
      const exit = only(inScenario('nested vmrun', 'nested vmexit ncr3 0x1000'));
      assert.deepEqual([exit.code, exit.line], ['E105', 3]);
      assert.match(exit.message, /only with `nested vmrun`\), found `ncr3`/);
    });
    it('E106 a guest statement at file level', () => {
      assert.deepEqual(codes('read 0x1000\n'), [{ code: 'E106', line: 1 }]);
    });
    it('E107 config after another statement, or inside repeat', () => {
      assert.deepEqual(codes(inScenario('smi', 'config vcpus=2')), [{ code: 'E107', line: 3 }]);
      assert.deepEqual(codes(inScenario('repeat 2 {', '  config vcpus=2', '}')), [{ code: 'E107', line: 3 }]);
    });
    it('E108 vcpu prefix on a statement that does not run on a vCPU', () => {
      assert.deepEqual(codes(inScenario('vcpu 0 memslot 1 gpa 0 size 4K')), [{ code: 'E108', line: 2 }]);
    });
    it('E109 an option given twice', () => {
      assert.deepEqual(codes(inScenario('touch 0x1000 size 4K random random')), [{ code: 'E109', line: 2 }]);
    });
  });

  describe('meaning', () => {
    it('E201 unknown config key, listing the keys and suggesting', () => {
      const d = only('config hots=bare\n');
      assert.deepEqual([d.code, d.line], ['E201', 1]);
      assert.match(d.message, /one of host, cpu, kernel, .*found `hots`; did you mean `host`\?/);
    });
    it('E202 bad config value, listing the valid choices', () => {
      const d = only(inScenario('config kernel=6.1'));
      assert.deepEqual([d.code, d.line], ['E202', 2]);
      assert.match(d.message, /^expected a config value for `kernel` \(one of 5\.17, 6\.2, 6\.3, 6\.4\), found `6\.1`/);
    });
    it('E202 numeric keys: bounds (vcpus 1..64), and `unlimited` for l0_shadows', () => {
      assert.deepEqual(codes('config vcpus=65\n'), [{ code: 'E202', line: 1 }]);
      assert.deepEqual(codes('config vcpus=0\n'), [{ code: 'E202', line: 1 }]);
      assert.deepEqual(codes('config vcpus=64 l0_shadows=unlimited tlb_entries=1536 seed=0\n'), []);
      assert.deepEqual(codes('config l0_shadows=many\n'), [{ code: 'E202', line: 1 }]);
    });
    it('E203 meaningless combination where the user wrote both values', () => {
      const d = only('config host=bare\nscenario "a" {\n  config enlightened_tlb=on\n}\n');
      assert.deepEqual([d.code, d.line], ['E203', 3]);
      assert.match(d.message, /`enlightened_tlb=on` cannot be combined with `host=bare`/);
    });
    it('E203 not reported when one of the values is a default (language.md, Configuration)', () => {
      // enlightened_tlb defaults to on, host to hyperv: neither written → nothing to report.
      assert.deepEqual(codes('config host=bare\n'), []);
      assert.deepEqual(codes('config enlightened_tlb=on\n'), []);
      assert.deepEqual(codes('config host=bare enlightened_tlb=off\n'), []);
    });
    it('E203 the other documented pairs: fix with host=bare / cpu=vmx, fix=b with kernel 6.3+, fix=a with tdp_mmu=off', () => {
      assert.deepEqual(codes('config host=bare fix=a\n'), [{ code: 'E203', line: 1 }]);
      assert.deepEqual(codes('config cpu=vmx fix=b\n'), [{ code: 'E203', line: 1 }]);
      assert.deepEqual(codes('config kernel=6.3 fix=b\n'), [{ code: 'E203', line: 1 }]);
      assert.deepEqual(codes('config kernel=6.4 fix=a\n'), []);
      assert.deepEqual(codes('config tdp_mmu=off fix=a\n'), [{ code: 'E203', line: 1 }]);
      assert.deepEqual(codes('config host=bare l0_shadows=4\n'), [{ code: 'E203', line: 1 }]);
      assert.deepEqual(codes('config cpu=vmx flushbyasid=off\n'), [{ code: 'E203', line: 1 }]);
    });
    it('E203 a file-level combination is reported once, not once per scenario', () => {
      assert.deepEqual(codes('config host=bare enlightened_tlb=on\nscenario "a" { smi }\nscenario "b" { rsm }\n'), [{ code: 'E203', line: 1 }]);
    });
    it('E204 a key twice in one config line', () => {
      assert.deepEqual(codes('config cpu=svm cpu=vmx\n'), [{ code: 'E204', line: 1 }]);
    });
    it('E201/E202/E205 sweep keys and values', () => {
      assert.deepEqual(codes('sweep tdp=[on, off]\n'), [{ code: 'E201', line: 1 }]);
      assert.deepEqual(codes('sweep tdp_mmu=[on, maybe]\n'), [{ code: 'E202', line: 1 }]);
      assert.deepEqual(codes('sweep tdp_mmu=[]\n'), [{ code: 'E205', line: 1 }]);
      assert.deepEqual(codes('sweep tdp_mmu=[on, on]\n'), [{ code: 'E205', line: 1 }]);
    });
    it('E210 duplicate scenario name (on the second)', () => {
      const d = only('scenario "a" { smi }\nscenario "b" { smi }\nscenario "a" { rsm }\n');
      assert.deepEqual([d.code, d.line], ['E210', 3]);
      assert.match(d.message, /already used at line 1/);
    });
    it('E211 memslot used before created, and after deleted', () => {
      assert.deepEqual(codes(inScenario('memslot 1 delete')), [{ code: 'E211', line: 2 }]);
      assert.deepEqual(codes(inScenario('memslot 1 gpa 0 size 4K', 'memslot 1 delete', 'memslot 1 dirty_log on')), [{ code: 'E211', line: 4 }]);
    });
    it('E212 memslot created twice; E213 overlapping memslots', () => {
      assert.deepEqual(codes(inScenario('memslot 1 gpa 0 size 4K', 'memslot 1 gpa 0x1000 size 4K')), [{ code: 'E212', line: 3 }]);
      assert.deepEqual(codes(inScenario('memslot 1 gpa 0 size 8K', 'memslot 2 gpa 0x1000 size 4K')), [{ code: 'E213', line: 3 }]);
      assert.deepEqual(codes(inScenario('memslot 1 gpa 0 size 4K', 'memslot 2 gpa 0x1000 size 4K')), []);
    });
    it('E220 unknown metric, with a did-you-mean', () => {
      const d = only(inScenario('expect stail == 0'));
      assert.deepEqual([d.code, d.line], ['E220', 2]);
      assert.match(d.message, /found `stail`; did you mean `stale`\?/);
      assert.deepEqual(codes(inScenario('print roots')), [{ code: 'E220', line: 2 }]);
    });
    it('E221 unknown kernel function, listing the known ones', () => {
      const d = only(inScenario('call kvm_mmu_zap_all'));
      assert.deepEqual([d.code, d.line], ['E221', 2]);
      // The suggestion first (the Problems view cuts long messages), then the list.
      assert.match(d.message, /^found `kvm_mmu_zap_all`; did you mean `kvm_mmu_zap_all_fast`\? \(expected a modelled kernel function: kvm_mmu_zap_all_fast, kvm_flush_remote_tlbs, .*rcu_barrier\)$/);
    });
    it('E222 call arguments: missing for hyperv_flush_guest_mapping, extra for the others', () => {
      assert.deepEqual(codes(inScenario('call hyperv_flush_guest_mapping')), [{ code: 'E222', line: 2 }]);
      assert.deepEqual(codes(inScenario('call hyperv_flush_guest_mapping roots')), [{ code: 'E222', line: 2 }]);
      assert.deepEqual(codes(inScenario('call rcu_barrier 5')), [{ code: 'E222', line: 2 }]);
    });
    it('E230 addresses must be below 2^52, values below 2^53', () => {
      assert.deepEqual(codes(inScenario('read 0x10_0000_0000_0000')), [{ code: 'E230', line: 2 }]);
      assert.deepEqual(codes(inScenario('read 0xf_ffff_ffff_fff8')), []);
      assert.deepEqual(codes(inScenario('write 0x1000 = 0x20_0000_0000_0000')), [{ code: 'E230', line: 2 }]);
      assert.deepEqual(codes(inScenario('write 0x1000 = 0x1f_ffff_ffff_ffff')), []);
      assert.deepEqual(codes(inScenario('expect stale == 0x20_0000_0000_0000')), [{ code: 'E230', line: 2 }]);
    });
    it('E231 sizes are non-zero multiples of 4K where the statement needs pages; page-wise addresses 4K-aligned', () => {
      assert.deepEqual(codes(inScenario('memslot 1 gpa 0 size 5000')), [{ code: 'E231', line: 2 }]);
      assert.deepEqual(codes(inScenario('unmap 0x1000 size 0')), [{ code: 'E231', line: 2 }]);
      assert.deepEqual(codes(inScenario('write 0x1000 size 100')), [{ code: 'E231', line: 2 }]);
      assert.deepEqual(codes(inScenario('verify 0x1800 size 4K')), [{ code: 'E231', line: 2 }]);
      assert.deepEqual(codes(inScenario('touch 0x1000 size 6K')), [{ code: 'E231', line: 2 }]);
      assert.deepEqual(codes(inScenario('memslot 1 gpa 0x1001 size 4K')), [{ code: 'E231', line: 2 }]);
      // An nCR3 is a page-table root address: 4K-aligned, below 2^52 (E230).
      assert.deepEqual(codes(inScenario('smi', 'nested vmrun ncr3 0x200800')), [{ code: 'E231', line: 3 }]);
      assert.deepEqual(codes(inScenario('nested vmrun ncr3 0x10_0000_0000_0000')), [{ code: 'E230', line: 2 }]);
    });
    it('E232 repeat bounds 0..10^9', () => {
      assert.deepEqual(codes(inScenario('repeat 1000000001 { smi }')), [{ code: 'E232', line: 2 }]);
      assert.deepEqual(codes(inScenario('repeat 1000000000 { smi }', 'repeat 0 { rsm }')), []);
    });
    it('E233 vcpu N must be below vcpus (default 1; file-level vcpus applies)', () => {
      assert.deepEqual(codes(inScenario('vcpu 1 smi')), [{ code: 'E233', line: 2 }]);
      assert.deepEqual(codes(`config vcpus=4\n${inScenario('vcpu 3 smi')}`), []);
      assert.deepEqual(codes(`config vcpus=4\n${inScenario('vcpu 4 smi')}`), [{ code: 'E233', line: 3 }]);
    });
    it('E233 says where `vcpus` came from: the default, the file, or --config', () => {
      assert.equal(only(inScenario('vcpu 1 smi')).message, 'expected a vCPU number below 1 (the scenario has `vcpus=1`, the default), found `1`');
      assert.equal(only(`config vcpus=1\n${inScenario('vcpu 1 smi')}`).message, 'expected a vCPU number below 1 (the scenario has `vcpus=1`), found `1`');
      const o = analyze(`config vcpus=4\n${inScenario('vcpu 3 smi')}`, { overrides: { vcpus: '2' } }).diagnostics;
      assert.deepEqual(o.map((d) => d.message), ['expected a vCPU number below 2 (the scenario has `vcpus=2` from --config), found `3`']);
    });
    it('E234 8-byte read/write must be 8-byte aligned', () => {
      assert.deepEqual(codes(inScenario('read 0x1004')), [{ code: 'E234', line: 2 }]);
    });
    it('W301 two checkpoints with one label (a warning: the scenario still compiles)', () => {
      const a = analyze(inScenario('checkpoint "x"', 'checkpoint "x"'));
      assert.deepEqual(a.diagnostics.map((d) => [d.code, d.severity, d.range.start.line + 1]), [['W301', 'warning', 3]]);
      assert.equal(a.compiled.scenarios.length, 1);
    });
  });

  it('every code in the table is distinct, has a summary, and E/W matches its severity', () => {
    const seen = new Set<string>();
    for (const c of CODE_LIST) {
      assert.ok(!seen.has(c.code), c.code);
      seen.add(c.code);
      assert.ok(c.summary.length > 10);
      assert.equal(c.code.startsWith('W'), c.severity === 'warning', c.code);
    }
  });

  it('messages never leak internal placeholders (undefined, [object Object], NaN)', () => {
    const text = 'config hots=bare kernel=6.1\nsweep x=[1]\nscenario "a" {\n  tuch\n  read\n  call foo 1\n  expect x == 1\n  vcpu 9 smi\n}\n';
    for (const d of analyze(text).diagnostics) assert.doesNotMatch(d.message, /undefined|\[object|NaN/);
  });
});
