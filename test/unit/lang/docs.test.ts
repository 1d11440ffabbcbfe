// docs/language.md is the user-facing reference: it must list every diagnostic code,
// config key, metric, kernel function and statement keyword the front end knows, and its
// examples must check clean.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze, CODE_LIST, CONFIG_KEYS, KERNEL_FUNCTIONS, METRICS, STATEMENT_KEYWORDS } from '../../../src/core/lang/index';

const DOC = readFileSync(resolve(__dirname, '../../../docs/language.md'), 'utf8');

describe('docs/language.md', () => {
  it('lists every diagnostic code with its severity', () => {
    for (const c of CODE_LIST) assert.match(DOC, new RegExp(`\\| ${c.code} \\| ${c.severity} \\|`), c.code);
  });
  it('documents every config key, metric, kernel function and statement keyword', () => {
    for (const k of CONFIG_KEYS) assert.ok(DOC.includes(`| \`${k.key}\` |`), k.key);
    for (const m of METRICS) assert.ok(DOC.includes(`| \`${m.name}\` |`), m.name);
    for (const f of KERNEL_FUNCTIONS) assert.ok(DOC.includes(`| \`${f.name}\` |`), f.name);
    for (const s of STATEMENT_KEYWORDS) assert.ok(DOC.includes(`\`${s}`), s);
  });
  it('every ```mmu example checks without errors', () => {
    const blocks = [...DOC.matchAll(/```mmu\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.ok(blocks.length >= 4);
    for (const b of blocks) {
      // Whole files (a `scenario` line at column 0) are checked as they are; statement-only snippets are checked inside a scenario with enough vCPUs.
      const text = /^\s*(#.*\n\s*)*(config|sweep|scenario)\b/.test(b) || /^scenario "/m.test(b) ? b : `scenario "doc" {\n config vcpus=4\n${b}\n}\n`;
      const errors = analyze(text).diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), [], b);
    }
  });
  it('every example in the statement tables checks without errors', () => {
    const examples = [...DOC.matchAll(/^\| `[a-z][^|]*` \| `([^`]+)` \|/gm)].map((m) => m[1]!.replace(/\{\{/g, '{').replace(/\}\}/g, '}'));
    assert.ok(examples.length >= 15, `found ${examples.length}`);
    const setup = ['config vcpus=4', 'memslot 1 gpa 0x100000 size 64M'];
    for (const e of examples) {
      const body = e.startsWith('memslot 1 gpa') ? [e] : [...setup, e];
      const errors = analyze(`scenario "t" {\n${body.join('\n')}\n}\n`).diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), [], e);
    }
  });
});
