// Breakpoint conditions, hit counts and logpoints in the metric language of `expect`.
import { strict as assert } from 'node:assert';
import { interpolate, parseCondition, parseHitCondition } from '../../../src/core/debug/conditions';
import type { MetricName } from '../../../src/core/lang/schema';

const values: Partial<Record<MetricName, number>> = { stale: 2, 'roots.recycled': 1, hypercalls: 0 };
const read = (n: MetricName): number => values[n] ?? 0;

describe('debugger: conditions', () => {
  it('reads METRIC OP VALUE like expect, joined by && or and', () => {
    const t = (s: string): boolean => { const c = parseCondition(s); assert.ok(c.ok, s); return c.test(read); };
    assert.equal(t('stale > 0'), true);
    assert.equal(t('roots.recycled >= 2'), false);
    assert.equal(t('stale == 0x2 && hypercalls == 0'), true);
    assert.equal(t('stale > 1 and roots.recycled > 1'), false);
  });

  it('names what is wrong in a condition', () => {
    const c = parseCondition('stal > 0');
    assert.equal(c.ok, false);
    assert.match((c as { message: string }).message, /unknown metric `stal`/);
    assert.equal(parseCondition('stale >').ok, false);
  });

  it('hit conditions: N is the N-th time, >= N from then on, % N every N-th', () => {
    const h = (s: string): number[] => { const c = parseHitCondition(s); assert.ok(c.ok, s); return [1, 2, 3, 4, 5, 6].filter(c.test); };
    assert.deepEqual(h('3'), [3]);
    assert.deepEqual(h('== 3'), [3]);
    assert.deepEqual(h('>= 5'), [5, 6]);
    assert.deepEqual(h('% 2'), [2, 4, 6]);
    assert.equal(parseHitCondition('often').ok, false);
  });

  it('logpoints interpolate {metric} and keep unknown braces', () => {
    assert.equal(interpolate('stale={stale} hc={hypercalls} {nope}', read), 'stale=2 hc=0 {nope}');
  });
});
