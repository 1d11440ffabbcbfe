// Every token class of media/mmu.tmLanguage.json, tokenized by the engine VS Code uses.
// The vocabulary lists come from schema.ts, so a config key, metric or kernel function
// added there and forgotten in the grammar fails here.
import * as assert from 'node:assert/strict';
import { CONFIG_KEYS, KERNEL_FUNCTIONS, METRICS, STATEMENT_DOCS } from '../../src/core/lang/schema';
import { scopesOf, tokenize } from './tokenize';

function has(scopes: readonly string[], scope: string): boolean {
  return scopes.includes(scope);
}

function assertScope(scopes: readonly string[], scope: string, what: string): void {
  assert.ok(has(scopes, scope), `${what}: expected scope ${scope}, got ${scopes.join(' ')}`);
}

describe('TextMate grammar (source.mmu)', () => {
  it('scopes line comments, including after a statement', async () => {
    const t = await tokenize('# a comment\nread 0x1000  # trailing');
    assertScope(scopesOf(t, '#', 0), 'punctuation.definition.comment.mmu', 'comment start');
    assertScope(scopesOf(t, ' a comment', 0), 'comment.line.number-sign.mmu', 'comment body');
    assertScope(scopesOf(t, ' trailing', 1), 'comment.line.number-sign.mmu', 'trailing comment');
    assertScope(scopesOf(t, 'read', 1), 'keyword.other.statement.mmu', 'statement before a comment');
  });

  it('scopes double-quoted strings with escapes, and the scenario name as a name', async () => {
    const t = await tokenize('scenario "a \\"b\\" c" {\n  checkpoint "after \\\\ zap"\n}');
    assertScope(scopesOf(t, 'scenario'), 'keyword.control.scenario.mmu', 'scenario keyword');
    const name = t.find((x) => x.line === 0 && x.text.startsWith('"'))!;
    assertScope(name.scopes, 'string.quoted.double.mmu', 'scenario name');
    assertScope(name.scopes, 'entity.name.function.scenario.mmu', 'scenario name');
    assertScope(scopesOf(t, '\\\\', 1), 'constant.character.escape.mmu', 'escape in a string');
    assertScope(scopesOf(t, 'after ', 1), 'string.quoted.double.mmu', 'checkpoint label');
  });

  it('scopes decimal, hex, underscore-separated and size-suffixed numbers', async () => {
    const t = await tokenize('memslot ram gpa 0xffff_f000 size 64M\ntouch 4096 size 2G count 1_000');
    assertScope(scopesOf(t, '0xffff_f000'), 'constant.numeric.hex.mmu', 'hex with separators');
    assertScope(scopesOf(t, '64'), 'constant.numeric.decimal.mmu', 'number before a suffix');
    assertScope(scopesOf(t, 'M'), 'constant.numeric.decimal.mmu', 'size suffix is part of the number');
    assertScope(scopesOf(t, 'M'), 'keyword.other.unit.suffix.mmu', 'size suffix');
    assertScope(scopesOf(t, '4096'), 'constant.numeric.decimal.mmu', 'decimal');
    assertScope(scopesOf(t, 'G'), 'keyword.other.unit.suffix.mmu', 'G suffix');
    assertScope(scopesOf(t, '1_000'), 'constant.numeric.decimal.mmu', 'decimal with separators');
  });

  it('scopes control keywords: scenario, repeat, expect, config, sweep', async () => {
    const t = await tokenize('config seed=1\nscenario "s" {\n  sweep fix=[none, b]\n  repeat 3 {\n    expect ok\n  }\n}');
    assertScope(scopesOf(t, 'config'), 'keyword.control.config.mmu', 'config');
    assertScope(scopesOf(t, 'scenario'), 'keyword.control.scenario.mmu', 'scenario');
    assertScope(scopesOf(t, 'sweep'), 'keyword.control.sweep.mmu', 'sweep');
    assertScope(scopesOf(t, 'repeat'), 'keyword.control.repeat.mmu', 'repeat');
    assertScope(scopesOf(t, 'expect'), 'keyword.control.expect.mmu', 'expect');
    assertScope(scopesOf(t, 'ok'), 'constant.language.ok.mmu', 'expect ok');
  });

  it('scopes the keywords of an explore block and its schedule statements', async () => {
    const t = await tokenize('explore "e" {\n  steps {\n    rcu\n    zap_worker\n  }\n  depth 4\n  invariant stale == 0\n  strategy random samples 10\n}');
    for (const k of ['explore', 'steps', 'depth', 'invariant', 'strategy']) assertScope(scopesOf(t, k), `keyword.control.${k}.mmu`, k);
    for (const k of ['rcu', 'zap_worker']) assertScope(scopesOf(t, k), 'keyword.other.statement.mmu', k);
  });

  it('scopes every statement keyword of the language reference', async () => {
    const control = new Set(['scenario', 'config', 'sweep', 'repeat', 'expect', 'for', 'let']);
    const statements = Object.keys(STATEMENT_DOCS).filter((k) => !control.has(k));
    assert.ok(statements.length >= 15, 'schema lists the statements');
    const t = await tokenize(statements.map((s) => `  ${s} `).join('\n'));
    statements.forEach((s, line) => assertScope(scopesOf(t, s, line), 'keyword.other.statement.mmu', s));
  });

  it('scopes let, loop variables and arithmetic (issue 12)', async () => {
    const t = await tokenize('let base = 0x100000\nscenario "s" {\n  let n = 4\n  repeat n as i {\n    nested vmrun ncr3 base + (i << 12) * 2 - 1 / 1 % 3\n  }\n  for s in [ram, vram] {\n    memslot s delete\n  }\n}');
    assertScope(scopesOf(t, 'let', 0), 'storage.type.let.mmu', 'file-level let');
    assertScope(scopesOf(t, 'base', 0), 'variable.other.constant.mmu', 'let name');
    assertScope(scopesOf(t, 'let', 2), 'storage.type.let.mmu', 'scenario-level let');
    assertScope(scopesOf(t, 'as', 3), 'keyword.control.as.mmu', 'as');
    assertScope(scopesOf(t, 'i', 3), 'variable.other.loop.mmu', 'loop index');
    for (const op of ['+', '<<', '*', '-', '/', '%']) assertScope(scopesOf(t, op, 4), 'keyword.operator.arithmetic.mmu', op);
    assertScope(scopesOf(t, '(', 4), 'punctuation.section.parens.mmu', 'parenthesis');
    assertScope(scopesOf(t, 'for', 6), 'keyword.control.for.mmu', 'for');
    assertScope(scopesOf(t, 's', 6), 'variable.other.loop.mmu', 'for variable');
    assertScope(scopesOf(t, 'in', 6), 'keyword.control.in.mmu', 'in');
  });

  it('scopes every config key and its values on config and sweep lines', async () => {
    for (const spec of CONFIG_KEYS) {
      const value = spec.values[0] ?? spec.default;
      const t = await tokenize(`config ${spec.key}=${value}\nsweep ${spec.key}=[${value}, ${spec.default}]`);
      assertScope(scopesOf(t, spec.key, 0), 'variable.other.property.config.mmu', `config key ${spec.key}`);
      assertScope(scopesOf(t, spec.key, 1), 'variable.other.property.config.mmu', `sweep key ${spec.key}`);
      assertScope(scopesOf(t, '=', 0), 'keyword.operator.assignment.mmu', '=');
      const expected = /^[0-9]/.test(value) ? 'constant.numeric.decimal.mmu' : 'constant.language.config-value.mmu';
      assertScope(scopesOf(t, value, 0), expected, `value ${spec.key}=${value}`);
      assertScope(scopesOf(t, '[', 1), 'punctuation.section.brackets.begin.mmu', '[');
      assertScope(scopesOf(t, ']', 1), 'punctuation.section.brackets.end.mmu', ']');
    }
  });

  it('marks an unknown config key as invalid, so a typo is visible before the checker runs', async () => {
    const t = await tokenize('config tdpmmu=on');
    assertScope(scopesOf(t, 'tdpmmu'), 'invalid.illegal.config-key.mmu', 'unknown key');
  });

  it('scopes every kernel function, after call and elsewhere', async () => {
    for (const f of KERNEL_FUNCTIONS) {
      const t = await tokenize(`call ${f.name}${f.arg === 'none' ? '' : ' root'}`);
      assertScope(scopesOf(t, 'call'), 'keyword.other.statement.mmu', 'call');
      assertScope(scopesOf(t, f.name), 'support.function.kernel.mmu', f.name);
      if (f.arg !== 'none') assertScope(scopesOf(t, 'root'), 'constant.language.root.mmu', 'root argument');
    }
    const bad = await tokenize('call kvm_do_magic');
    assertScope(scopesOf(bad, 'kvm_do_magic'), 'invalid.illegal.unknown-function.mmu', 'unknown function');
  });

  it('scopes every metric, dotted names as one token', async () => {
    for (const m of METRICS) {
      const t = await tokenize(`expect ${m.name} >= 0\nprint ${m.name}`);
      assertScope(scopesOf(t, m.name, 0), 'support.variable.metric.mmu', `expect ${m.name}`);
      assertScope(scopesOf(t, m.name, 1), 'support.variable.metric.mmu', `print ${m.name}`);
      assertScope(scopesOf(t, '>=', 0), 'keyword.operator.comparison.mmu', '>=');
    }
    const t = await tokenize('expect stale.bogus == 0');
    assert.ok(!t.some((x) => x.scopes.includes('support.variable.metric.mmu')), 'a dotted non-metric is not a metric');
  });

  it('scopes every comparison operator and assignment', async () => {
    for (const op of ['==', '!=', '<', '<=', '>', '>=']) {
      const t = await tokenize(`expect stale ${op} 1`);
      assertScope(scopesOf(t, op), 'keyword.operator.comparison.mmu', op);
    }
    const t = await tokenize('write 0x1000 = 0x2222');
    assertScope(scopesOf(t, '='), 'keyword.operator.assignment.mmu', 'write =');
  });

  it('scopes memslot ids, modifiers, on/off, braces and statement separators', async () => {
    const t = await tokenize('scenario "s" {\n  memslot ram delete free; memslot 2 dirty_log on\n  touch 0 size 4K stride 8K count 4 random write\n  cr3 0x1000 noflush; nested vmrun ncr3 0x2000; cr4 pge off\n}');
    assertScope(scopesOf(t, 'ram'), 'variable.other.memslot.mmu', 'memslot id');
    assertScope(scopesOf(t, '2', 1), 'variable.other.memslot.mmu', 'numeric memslot id');
    for (const w of ['delete', 'free', 'dirty_log']) assertScope(scopesOf(t, w, 1), 'keyword.other.modifier.mmu', w);
    for (const w of ['size', 'stride', 'count', 'random']) assertScope(scopesOf(t, w, 2), 'keyword.other.modifier.mmu', w);
    for (const w of ['noflush', 'vmrun', 'ncr3', 'pge']) assertScope(scopesOf(t, w, 3), 'keyword.other.modifier.mmu', w);
    assertScope(scopesOf(t, 'on', 1), 'constant.language.on.mmu', 'on');
    assertScope(scopesOf(t, 'off', 3), 'constant.language.off.mmu', 'off');
    assertScope(scopesOf(t, ';', 1), 'punctuation.terminator.statement.mmu', ';');
    assertScope(scopesOf(t, '{', 0), 'punctuation.section.block.begin.mmu', '{');
    assertScope(scopesOf(t, '}', 4), 'punctuation.section.block.end.mmu', '}');
  });
});
