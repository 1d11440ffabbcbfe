// Hovers link the docs/kernel-reference.md section for each domain section their text cites
// (src/editor/language/kernelReference.ts): the anchors must be headings of the shipped file, the
// file must be in the .vsix, and no hover may point at the unshipped domain fact base.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_KEYS, KERNEL_FUNCTIONS, METRICS, STATEMENT_DOCS } from '../../../src/core/lang/schema';
import { hoverMarkdown, MODIFIER_DOCS } from '../../../src/editor/language/hoverText';
import { citations, headingAnchor, REFERENCE_SECTIONS, sectionsFor } from '../../../src/editor/language/kernelReference';

const ROOT = resolve(__dirname, '../../..');
const REF = readFileSync(resolve(ROOT, 'docs/kernel-reference.md'), 'utf8');
const ANCHORS = new Set([...REF.matchAll(/^#{2,3} (.+)$/gm)].map((m) => headingAnchor(m[1]!)));
const hover = (line: string, word: string, file?: string) => hoverMarkdown(line, line.indexOf(word) + 1, file)?.markdown ?? '';

describe('hovers link docs/kernel-reference.md', () => {
  it('a hover shows a clickable link to the section for the domain section it cites', () => {
    // `delete` cites §5 #1 (memslot DELETE -> kvm_mmu_zap_all_fast): the "Fast zap" section.
    const md = hover('memslot ram delete', 'delete');
    assert.match(md, /\*Kernel reference:\* \[Fast zap\]\(docs\/kernel-reference\.md#fast-zap\) \(domain §5 #1\)/);
    assert.doesNotMatch(md, /kvm-hyperv-domain/);
    // In the editor the link points at the extension's copy.
    const inEditor = hover('memslot ram delete', 'delete', 'file:///ext/docs/kernel-reference.md');
    assert.match(inEditor, /\[Fast zap\]\(file:\/\/\/ext\/docs\/kernel-reference\.md#fast-zap\)/);
    assert.match(hover('  init', 'init'), /\[INIT and RESET\]\(docs\/kernel-reference\.md#init-and-reset\)/);
    assert.match(hover('memslot ram gpa 0 size 4M hugepages', 'hugepages'), /\[Huge pages\]\(docs\/kernel-reference\.md#huge-pages\)/);
  });

  it('every section hovers link to is a heading of docs/kernel-reference.md', () => {
    for (const h of Object.values(REFERENCE_SECTIONS)) assert.ok(ANCHORS.has(headingAnchor(h)), `## ${h}`);
    assert.equal(headingAnchor('L0: shadows, TLB and hypercalls'), 'l0-shadows-tlb-and-hypercalls');
    assert.equal(headingAnchor('CR0.PG'), 'cr0pg');
  });

  it('every domain citation in the hover vocabulary maps to a section, and every link anchor exists', () => {
    const docs = [
      ...Object.values(STATEMENT_DOCS), ...Object.values(MODIFIER_DOCS), ...METRICS.map((m) => m.doc), ...KERNEL_FUNCTIONS.map((f) => f.doc),
      ...CONFIG_KEYS.flatMap((k) => [k.doc, ...Object.values(k.valueDocs ?? {})]),
    ];
    for (const d of docs) {
      for (const c of citations(d)) assert.equal(sectionsFor(c).length, 1, `${c} in: ${d}`);
    }
    const lines = ['memslot ram delete free', 'memslot ram dirty_log on', 'nested vmrun ncr3 0x1000', 'cr4 smep on', 'call kvm_mmu_unload', 'config kernel=6.4', 'expect hypercalls == 0', 'smi', 'unmap 0 size 4K'];
    for (const line of lines) {
      for (const w of line.split(' ')) {
        for (const m of hover(line, w).matchAll(/\]\(docs\/kernel-reference\.md#([^)]+)\)/g)) assert.ok(ANCHORS.has(m[1]!), `#${m[1]} (${line}: ${w})`);
      }
    }
  });

  it('the reference\'s own section index points at its headings, and docs/ is packaged in the .vsix', () => {
    for (const m of REF.matchAll(/\]\(#([^)]+)\)/g)) assert.ok(ANCHORS.has(m[1]!), `#${m[1]}`);
    const ignore = readFileSync(resolve(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    assert.ok(ignore.includes('!docs/**'), '.vscodeignore keeps docs/');
  });
});
