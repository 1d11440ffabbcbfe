// The `hugepages` memslot option (docs/language.md "Huge pages"): syntax, the op it compiles to,
// W304 where kvm_mmu_max_mapping_level can never allow 2M, completion and hover.
import * as assert from 'node:assert/strict';
import { codes, inScenario, opsOf } from './helpers';
import { completionsAt } from '../../../src/editor/language/completionItems';
import { hoverMarkdown } from '../../../src/editor/language/hoverText';

describe('lang: memslot ... hugepages', () => {
  it('compiles with and without readonly, in either order; absent means 4K backing (no field)', () => {
    assert.deepEqual(opsOf('memslot ram gpa 0 size 4M hugepages', 'memslot rom gpa 0x400000 size 2M readonly hugepages', 'memslot vga gpa 0x600000 size 2M hugepages readonly', 'memslot low gpa 0x800000 size 4K'), [
      { k: 'memslot_create', slot: 'ram', gpa: 0, size: 0x400000, readonly: false, hugepages: true },
      { k: 'memslot_create', slot: 'rom', gpa: 0x400000, size: 0x200000, readonly: true, hugepages: true },
      { k: 'memslot_create', slot: 'vga', gpa: 0x600000, size: 0x200000, readonly: true, hugepages: true },
      { k: 'memslot_create', slot: 'low', gpa: 0x800000, size: 4096, readonly: false },
    ]);
  });

  it('E109 for an option given twice; E102 for an unknown word after SIZE', () => {
    assert.deepEqual(codes(inScenario('memslot ram gpa 0 size 4M hugepages hugepages')), [{ code: 'E109', line: 2 }]);
    assert.deepEqual(codes(inScenario('memslot ram gpa 0 size 4M huge')), [{ code: 'E102', line: 2 }]);
  });

  it('W304 when lpage_info can never allow 2M: gpa not 2M-aligned, or smaller than 2M', () => {
    // kvm_alloc_memslot_metadata disallows 2M for the whole slot when base_gfn ^ userspace_addr is not
    // 2M-aligned (the model's VMM memory is 2M-aligned) and for head/tail pieces shorter than 2M.
    assert.deepEqual(codes(inScenario('memslot ram gpa 0x100000 size 8M hugepages')), [{ code: 'W304', line: 2 }]);
    assert.deepEqual(codes(inScenario('memslot ram gpa 0 size 1M hugepages')), [{ code: 'W304', line: 2 }]);
    assert.deepEqual(codes(inScenario('memslot ram gpa 0x200000 size 2M hugepages')), []);
  });

  it('completion offers hugepages after SIZE (and readonly), hover explains it', () => {
    const labels = (line: string) => completionsAt(`scenario "s" {\n  ${line}`, '').map((c) => c.label);
    assert.deepEqual(labels('memslot ram gpa 0 size 4M readonly '), ['hugepages']);
    const line = 'memslot ram gpa 0 size 4M hugepages';
    const h = hoverMarkdown(line, line.indexOf('hugepages') + 2)!;
    assert.match(h.markdown, /2M pages \(THP \/ hugetlbfs\)/);
    assert.match(h.markdown, /kvm_mmu_hugepage_adjust/);
  });
});
