// The debugger through the Debug Adapter Protocol on examples/recycled-root-bug.mmu: each
// test sends protocol messages as VS Code does and checks the responses and events.
// Expected values come from the kernel paths the example exercises (cited per test) and
// from the example's own lines, not from a run of the model.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { DebugProtocol as P } from '@vscode/debugprotocol';
import { DapClient } from './dapClient';

const BUG = join(__dirname, '../../../examples/recycled-root-bug.mmu');
const SOURCE = readFileSync(BUG, 'utf8').split('\n');
/** 1-based line of the example's first line starting (after indentation) with `text`, at or after line `from`. */
function lineOf(text: string, from = 1): number {
  const i = SOURCE.findIndex((l, k) => k + 1 >= from && l.trimStart().startsWith(text));
  assert.ok(i >= 0, text);
  return i + 1;
}
const create = lineOf('memslot ram gpa 0 size 64K');
const repeat = lineOf('repeat ');
const L = {
  create, write: lineOf('write 0x1000 = 42'), readCheck: lineOf('read 0x1000 == 42'), before: lineOf('checkpoint "before churn"'), repeat,
  del: lineOf('memslot ram delete free'), recreate: lineOf('memslot ram gpa 0 size 64K', repeat), read: lineOf('read 0x1000 ', repeat),
  end: lineOf('}', lineOf('expect hypercalls')),
};
/** Iterations of the churn loop. */
const ITERATIONS = Number(/repeat (\d+)/.exec(SOURCE[repeat - 1]!)![1]);

async function topFrames(c: DapClient): Promise<string[]> { return (await c.stack()).map((f) => f.name.split('  (')[0]!); }
async function evaluate(c: DapClient, expression: string): Promise<P.EvaluateResponse> {
  return c.request<P.EvaluateResponse>('evaluate', { expression, frameId: 0, context: 'watch' });
}

describe('debugger (DAP)', () => {
  it('initialize announces step back, conditions, hit counts, logpoints and the five exception filters', async () => {
    const c = new DapClient();
    const r = await c.request<P.InitializeResponse>('initialize', { adapterID: 'mmu' });
    assert.equal(r.body?.supportsStepBack, true);
    assert.equal(r.body?.supportsConditionalBreakpoints, true);
    assert.equal(r.body?.supportsHitConditionalBreakpoints, true);
    assert.equal(r.body?.supportsLogPoints, true);
    assert.deepEqual(r.body?.exceptionBreakpointFilters?.map((f) => f.filter), ['stale', 'failure', 'recycled', 'hypercall', 'limit']);
    await c.next('initialized', 0);
  });

  it('stopOnEntry stops before the first statement; the vCPU has no root before its first entry', async () => {
    const c = new DapClient();
    const stop = await c.launch({ program: BUG, stopOnEntry: true });
    assert.equal(stop.event, 'stopped');
    assert.equal((stop as P.StoppedEvent).body.reason, 'entry');
    const frames = await c.stack();
    assert.equal(frames.length, 1);
    assert.equal(frames[0]!.line, L.create);
    assert.match(frames[0]!.name, /memslot ram gpa 0 size 64K/);
    // Roots are allocated by kvm_mmu_load at vcpu_enter_guest (mmu_alloc_direct_roots), never before.
    const vars = await c.variables();
    assert.equal(vars.get('vCPU 0/root'), 'INVALID_PAGE');
    assert.equal(vars.get('vCPU 0/mode'), 'L2');
    assert.equal(vars.get('Metrics/roots.allocated'), '0');
  });

  it('next runs one statement; values that changed since the last stop are marked', async () => {
    const c = new DapClient();
    await c.launch({ program: BUG, stopOnEntry: true });
    await c.variables();
    await c.move('next');
    assert.equal((await c.stack())[0]!.line, L.write);
    await c.variables();
    await c.move('next'); // the write: first entry, kvm_mmu_load allocates root #1
    assert.equal((await c.stack())[0]!.line, L.readCheck);
    const vars = await c.variables();
    assert.match(vars.get('vCPU 0/root')!, /^0x[0-9a-f]+ tdp valid refcount \d+ {2}◂ was INVALID_PAGE$/);
    assert.match(vars.get('vCPU 0/nCR3')!, /◂ was none$/);
    assert.match(vars.get('Metrics/roots.allocated')!, /^1 {2}◂ was 0$/);
    assert.equal(vars.get('Metrics/hypercalls'), '0'); // unchanged: no mark
  });

  it('setBreakpoints verifies statement lines and moves a repeat header or comment to the next statement', async () => {
    const c = new DapClient();
    let bps: P.Breakpoint[] = [];
    await c.launch({ program: BUG, stopOnEntry: true }, async (cl) => {
      const r = await cl.request<P.SetBreakpointsResponse>('setBreakpoints', { source: { path: BUG }, breakpoints: [{ line: L.repeat }, { line: L.before }, { line: L.create - 1 }, { line: L.end + 5 }] });
      bps = r.body.breakpoints;
    });
    assert.deepEqual(bps.map((b) => [b.verified, b.line]), [[true, L.del], [true, L.before], [true, L.create], [false, L.end + 5]]);
  });

  it('a hit count stops at that iteration of the repeat body', async () => {
    const c = new DapClient();
    const stop = await c.launch({ program: BUG }, async (cl) => {
      await cl.request('setExceptionBreakpoints', { filters: [] });
      await cl.request('setBreakpoints', { source: { path: BUG }, breakpoints: [{ line: L.del, hitCondition: '3' }] });
    });
    assert.equal((stop as P.StoppedEvent).body.reason, 'breakpoint');
    assert.equal((await c.stack())[0]!.line, L.del);
    // Each iteration's read re-enters after kvm_mmu_zap_all_fast invalidated every root, and
    // kvm_tdp_mmu_get_vcpu_root_hpa only reuses valid roots: one new root per entry. Before the
    // 3rd delete: the write's root plus the reads of iterations 1 and 2.
    assert.equal((await evaluate(c, 'roots.allocated')).body.result, '3');
  });

  it('a condition in the metric language stops only where it holds; reverseContinue finds no earlier hit', async () => {
    const c = new DapClient();
    await c.launch({ program: BUG }, async (cl) => {
      await cl.request('setExceptionBreakpoints', { filters: [] });
      await cl.request('setBreakpoints', { source: { path: BUG }, breakpoints: [{ line: L.del, condition: 'roots.allocated >= 5 && hypercalls == 0' }] });
    });
    assert.equal((await c.stack())[0]!.line, L.del);
    assert.equal((await evaluate(c, 'roots.allocated')).body.result, '5'); // before the 5th delete (see the hit-count test)
    assert.equal((await evaluate(c, 'roots.allocated >= 5')).body.result, 'true');
    const back = await c.move('reverseContinue');
    // roots.allocated only grows, so no earlier stop satisfies the condition: back to the start.
    assert.equal((back as P.StoppedEvent).body.reason, 'entry');
    assert.equal((await c.stack())[0]!.line, L.create);
    const fwd = await c.move('continue');
    assert.equal((fwd as P.StoppedEvent).body.reason, 'breakpoint');
    assert.equal((await evaluate(c, 'roots.allocated')).body.result, '5');
  });

  it('logpoints print {metric} values without stopping; the run stops once at its end, then terminates', async () => {
    const c = new DapClient();
    const stop = await c.launch({ program: BUG }, async (cl) => {
      await cl.request('setExceptionBreakpoints', { filters: [] });
      await cl.request('setBreakpoints', { source: { path: BUG }, breakpoints: [{ line: L.read, logMessage: 'read with {roots.allocated} roots allocated' }] });
    });
    assert.equal((stop as P.StoppedEvent).body.description, 'end of run');
    assert.equal((await c.stack())[0]!.line, L.end);
    const logs = c.events.filter((e) => e.event === 'output' && (e as P.OutputEvent).body.output.startsWith('read with')).map((e) => (e as P.OutputEvent).body.output.trim());
    // Before the read of iteration k: the write's root plus one per earlier iteration = k.
    assert.deepEqual(logs, Array.from({ length: ITERATIONS }, (_, i) => `read with ${i + 1} roots allocated`));
    const end = await c.move('continue');
    assert.equal(end.event, 'terminated');
  });

  it('the root-recycled filter stops at the read whose entry allocated a root on a former root page', async () => {
    const c = new DapClient();
    const stop = await c.launch({ program: BUG }, async (cl) => { await cl.request('setExceptionBreakpoints', { filters: ['recycled'] }); });
    const s = (stop as P.StoppedEvent).body;
    assert.equal(s.reason, 'exception');
    assert.ok((s.text ?? '').startsWith(`root recycled (line ${L.read})`), s.text);
    // Only a vCPU entry allocates roots (kvm_mmu_load), and only `read` enters here.
    const frames = await c.stack();
    assert.equal(frames[0]!.line, L.read);
    assert.match(frames[0]!.name, /^⚠ root recycled/);
    const info = await c.request<P.ExceptionInfoResponse>('exceptionInfo', { threadId: 1 });
    assert.equal(info.body.exceptionId, 'recycled');
    const vars = await c.variables(3);
    assert.match(vars.get('vCPU 0/root')!, /^0x[0-9a-f]+ tdp valid refcount \d+$/);
    const page = vars.get('vCPU 0/root/page (nCR3)')!;
    assert.equal(vars.get('vCPU 0/root/page was a root before')!.startsWith('yes'), true);
    // The same nCR3 belonged to a root that was freed (call_rcu, no flush) earlier.
    const freedSame = [...vars].filter(([k, v]) => k.startsWith('L1 roots/#') && k.endsWith('/page (nCR3)') && v === page)
      .map(([k]) => k.split('/')[1]!).filter((id) => vars.get(`L1 roots/${id}/state`) === 'freed');
    assert.ok(freedSame.length >= 1, `a freed root on page ${page}`);
    // root #N and shadow NCR3 evaluate to the same objects.
    const id = vars.get('vCPU 0/root/id')!;
    assert.match((await evaluate(c, `root #${id}`)).body.result, new RegExp(`^${page} tdp valid`));
    assert.equal((await evaluate(c, `shadow ${page}`)).success, true);
  });

  it('the stale-use filter stops after a read served from L0\'s old shadow; translate shows both sides', async () => {
    const c = new DapClient();
    const stop = await c.launch({ program: BUG }, async (cl) => { await cl.request('setExceptionBreakpoints', { filters: ['stale'] }); });
    assert.equal((stop as P.StoppedEvent).body.reason, 'exception');
    assert.equal((await c.stack())[0]!.line, L.read); // only reads use translations in this scenario
    assert.equal((await evaluate(c, 'stale')).body.result, '1');
    const t = await evaluate(c, 'translate 0x1000');
    assert.match(t.body.result, /^STALE: hardware host 0x[0-9a-f]+ \((TLB hit|L0 shadow)\); L1 says /);
    const children = (await c.request<P.VariablesResponse>('variables', { variablesReference: t.body.variablesReference })).body.variables;
    assert.deepEqual(children.map((v) => v.name), ['vCPU', 'root (nCR3)', 'TLB', 'L0 shadow', 'L1 tables (truth)', 'stale']);
    const bad = await evaluate(c, 'translate banana');
    assert.equal(bad.success, false);
  });

  it('with only the flush-hypercall filter the bug runs to its end: the TDP MMU never tells L0', async () => {
    const c = new DapClient();
    // tdp_mmu_zap_root_work and call_rcu free roots without a flush; svm_flush_tlb_current is
    // ASID-only under the enlightened TLB in 6.2 (the example's comment): no hypercall at all.
    const stop = await c.launch({ program: BUG }, async (cl) => { await cl.request('setExceptionBreakpoints', { filters: ['hypercall'] }); });
    assert.equal((stop as P.StoppedEvent).body.description, 'end of run');
  });

  it('stepIn walks the kernel path of `memslot ram delete free` as frames; stepOut and stepBack move along it', async () => {
    const c = new DapClient();
    await c.launch({ program: BUG }, async (cl) => {
      await cl.request('setExceptionBreakpoints', { filters: [] });
      await cl.request('setBreakpoints', { source: { path: BUG }, breakpoints: [{ line: L.del }] });
    });
    // kvm_set_memslot (KVM_MR_DELETE) -> kvm_invalidate_memslot -> kvm_arch_flush_shadow_memslot
    // -> kvm_mmu_zap_all_fast -> kvm_tdp_mmu_invalidate_all_roots (virt/kvm/kvm_main.c, arch/x86/kvm/mmu/mmu.c).
    let names: string[] = [];
    for (let i = 0; i < 20 && names[0] !== 'kvm_tdp_mmu_invalidate_all_roots'; i++) { await c.move('stepIn'); names = await topFrames(c); }
    assert.deepEqual(names, ['kvm_tdp_mmu_invalidate_all_roots', 'kvm_mmu_zap_all_fast', 'kvm_arch_flush_shadow_memslot', 'kvm_invalidate_memslot', 'kvm_set_memslot',
      'memslot churn recycles a root page: memslot ram delete free']);
    assert.ok((await c.stack()).every((f) => f.line === L.del), 'every kernel frame links to the statement');
    // 6.2 kvm_mmu_zap_all_fast: after invalidating the roots, kvm_make_all_cpus_request(KVM_REQ_MMU_FREE_OBSOLETE_ROOTS).
    await c.move('stepOut');
    const out = await c.stack();
    assert.equal(out[0]!.name, 'kvm_make_all_cpus_request  (KVM_REQ_MMU_FREE_OBSOLETE_ROOTS)');
    assert.equal(out[1]!.name, 'kvm_mmu_zap_all_fast');
    // Back one event: inside kvm_tdp_mmu_invalidate_all_roots, which queues the async zap (tdp_mmu_schedule_zap_root).
    await c.move('stepBack');
    assert.deepEqual((await topFrames(c)).slice(0, 2), ['tdp_mmu_schedule_zap_root', 'kvm_tdp_mmu_invalidate_all_roots']);
    // Mid-statement state: the root is already invalid, the requests not yet made.
    const vars = await c.variables();
    assert.match(vars.get('vCPU 0/root')!, / invalid /);
    assert.equal(vars.get('vCPU 0/requests'), 'none');
    // Out of every frame: back to the statements, at the next one.
    for (let i = 0; i < 10 && (await c.stack()).length > 1; i++) await c.move('stepOut');
    assert.equal((await c.stack())[0]!.line, L.recreate);
    // stepBack at a statement boundary returns to the previous statement.
    await c.move('stepBack');
    const back = await c.stack();
    assert.equal(back.length, 1);
    assert.equal(back[0]!.line, L.del);
    assert.equal((await evaluate(c, 'roots.invalid')).body.result, '0');
  });

  it('stepBack and reverseContinue re-execute to earlier breakpoint hits with the same state', async () => {
    const c = new DapClient();
    await c.launch({ program: BUG }, async (cl) => {
      await cl.request('setExceptionBreakpoints', { filters: [] });
      await cl.request('setBreakpoints', { source: { path: BUG }, breakpoints: [{ line: L.read }] });
    });
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) { seen.push((await evaluate(c, 'translate 0x1000')).body.result + '|' + (await evaluate(c, 'time_us')).body.result); await c.move('continue'); }
    // Now at the 5th read; go back through the 4th, 3rd, 2nd and 1st.
    for (let i = 3; i >= 0; i--) {
      const s = await c.move('reverseContinue');
      assert.equal((s as P.StoppedEvent).body.reason, 'breakpoint');
      assert.equal((await c.stack())[0]!.line, L.read);
      assert.equal((await evaluate(c, 'translate 0x1000')).body.result + '|' + (await evaluate(c, 'time_us')).body.result, seen[i]);
    }
    await c.move('stepBack');
    assert.equal((await c.stack())[0]!.line, L.recreate); // the statement before the 1st read
  });

  it('reverseContinue far back in a long run re-executes from a mark to the same state', async () => {
    // 3 statements per iteration: enough statements for the runtime to keep several marks.
    const text = 'config host=hyperv cpu=svm kernel=6.2 tdp_mmu=on enlightened_tlb=on fix=none allocator=lifo\nscenario "churn" {\n  memslot ram gpa 0 size 64K\n  repeat 400 {\n    memslot ram delete free\n    memslot ram gpa 0 size 64K\n    read 0x1000\n  }\n}\n';
    const c = new DapClient({ '/churn.mmu': text });
    await c.launch({ program: '/churn.mmu' }, async (cl) => {
      await cl.request('setExceptionBreakpoints', { filters: [] });
      await cl.request('setBreakpoints', { source: { path: '/churn.mmu' }, breakpoints: [{ line: 7, hitCondition: '250' }] });
    });
    // No access before the loop: before the 250th read, one root per earlier read (see the hit-count test).
    assert.equal((await evaluate(c, 'roots.allocated')).body.result, '249');
    const here = async (): Promise<string> => [(await evaluate(c, 'translate 0x1000')).body.result, (await evaluate(c, 'time_us')).body.result, (await evaluate(c, 'stale')).body.result].join('|');
    const seen = await here();
    const end = await c.move('continue');
    assert.equal((end as P.StoppedEvent).body.description, 'end of run');
    assert.equal((await evaluate(c, 'roots.allocated')).body.result, '400');
    const back = await c.move('reverseContinue');
    assert.equal((back as P.StoppedEvent).body.reason, 'breakpoint');
    assert.equal(await here(), seen);
    await c.move('stepBack');
    await c.move('next');
    assert.equal(await here(), seen);
  });

  it('pause stops a long repeat between statements', async () => {
    const text = 'config host=hyperv cpu=svm\nscenario "long" {\n  memslot ram gpa 0 size 64K\n  repeat 100000000 {\n    read 0x1000\n  }\n}\n';
    const c = new DapClient({ '/long.mmu': text });
    await c.launch({ program: '/long.mmu', stopOnEntry: true }, async (cl) => { await cl.request('setExceptionBreakpoints', { filters: [] }); });
    const from = c.events.length;
    await c.request('continue', { threadId: 1 });
    await new Promise((r) => setTimeout(r, 20));
    await c.request('pause', { threadId: 1 });
    const s = await c.next<P.StoppedEvent>('stopped', from);
    assert.equal(s.body.reason, 'pause');
    assert.equal((await c.stack())[0]!.line, 5);
    // Disconnect during a run: answered, and nothing is sent after it.
    await c.request('continue', { threadId: 1 });
    const d = await c.request('disconnect', {});
    assert.equal(d.success, true);
    const after = c.events.length;
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(c.events.length, after);
  });

  it('launch errors name the problem; disconnect answers', async () => {
    const c = new DapClient({ '/bad.mmu': 'scenario "a" {\n  read 0x1000\n}\n' });
    await c.request('initialize', { adapterID: 'mmu' });
    const r = await c.request('launch', { program: '/bad.mmu', scenario: 'nope' });
    assert.equal(r.success, false);
    assert.match(r.message ?? '', /no scenario "nope" \(the file has "a"\)/);
    const d = await c.request('disconnect', {});
    assert.equal(d.success, true);
  });
});
