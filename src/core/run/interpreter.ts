// The interpreter over compiled ops: repeat stays a loop (never unrolled), the cancel
// flag is checked every 64 steps, before each snapshot and every 4096 accesses inside a touch, memory stays
// bounded (checks kept per line, failures/prints/snapshots/trace capped with a note).
import type { CompiledScenario } from '../lang/ops';
import type { Op } from '../lang/ops';
import type { CheckResult, Failure, PrintLine, RunOptions, Snapshot } from './result';
import type { Machine } from '../model/machine';
import type { Vcpu } from '../model/types';
import { Prng } from '../model/prng';
import { metric } from '../model/metrics';
import { snapshotRows, takeSnapshot, TreeCache } from '../model/snapshot';
import * as events from '../model/events';
import { clearDirtyLog } from '../model/clearDirtyLog';
import { DynamicValues } from './dynamic';
import { patternValue } from './pattern';
import { RunCancelled, WorkMeter } from '../model/cancel';
import { PinnedChooser } from '../model/allocChoice';
import { LifecycleRecorder } from './lifecycle';
import { walkPath } from './walkPath';
import type { BlameLink, IterationRef, StaleUse } from './result';
import { StepIterations } from './stepIterations';
import { compareOp as compare } from './compareOp';

const MAX_FAILURES = 1000;
const MAX_PRINTS = 1000;
// Timeline snapshots taken without a checkpoint: after each top-level statement and at the
// end of the run. Bounded in count and in table rows so memory stays small whatever the
// scenario (a note says when they stop).
const MAX_AUTO_SNAPSHOTS = 256;
const MAX_AUTO_ROWS = 200_000;
// Rows of every snapshot of a run together, checkpoints included (trees count only the nodes a
// snapshot built new: unchanged ones are shared with the previous snapshot). Past it, no more
// snapshots, and a note says so.
export const MAX_SNAPSHOT_ROWS = 1_000_000;

export interface RunState {
  readonly checks: Map<number, CheckResult>;
  readonly failures: Failure[];
  readonly prints: PrintLine[];
  readonly snapshots: Snapshot[];
  readonly notes: string[];
  cancelled: boolean;
  steps: number;
}

function hx(n: number): string { return n < 0 ? String(n) : '0x' + n.toString(16); }

/** A value in the base the user wrote the expected literal in (`read 0x1000 == 0x1111`
 *  reports `seen 0x2222`, `== 42` reports `seen 43`): the failure reads like the source. */
function valueLike(n: number, statementText: string): string {
  return /==\s*0[xX]/.test(statementText) ? hx(n) : String(n);
}

export class Interpreter {
  readonly st: RunState = { checks: new Map(), failures: [], prints: [], snapshots: [], notes: [], cancelled: false, steps: 0 };
  private readonly rng: Prng;
  private readonly ghz: number;
  private readonly snapshotLimit: number;
  private readonly cancel: () => boolean;
  private readonly progress: (n: number, line?: number) => void;
  private accesses = 0;
  /** State-sized work outside statements and cost events (the stress layer's poll-spacing check). */
  readonly work = new WorkMeter();
  private checkpoints = 0;
  private snapshotRowsHeld = 0;
  private snapshotsFull = false;
  private readonly trees = new TreeCache();
  /** Root lives and their events for the panel's chart (result.ts Lifecycle). */
  readonly life: LifecycleRecorder;
  /** The loop iteration of each statement clock, for blame links (stepIterations.ts). */
  private readonly iters: StepIterations;
  private staleSeen = 0;
  /** RunOptions.records: the lifecycle and iteration records are kept. */
  private readonly records: boolean;

  /** Loop variables and statements over them (`repeat N as i`, `for x in [...]`). */
  private readonly dynamic: DynamicValues;

  constructor(private readonly m: Machine, private readonly s: CompiledScenario, opts: RunOptions) {
    this.rng = new Prng(m.cfg.seed);
    this.ghz = opts.ghz && opts.ghz > 0 ? opts.ghz : 3;
    this.snapshotLimit = opts.snapshotLimit ?? 64;
    this.cancel = opts.shouldCancel ?? (() => false);
    this.progress = opts.onProgress ?? (() => undefined);
    this.dynamic = new DynamicValues(s.vars?.length ?? 0);
    this.records = opts.records ?? true;
    this.life = new LifecycleRecorder(m);
    this.iters = new StepIterations();
  }

  /** After a statement: stamp its new stale uses with the clock and loop iteration, record lifecycle events. */
  private observe(op: Op, iteration: IterationRef | undefined): void {
    if (this.records) this.iters.note(this.st.steps, iteration);
    const uses = this.m.oracle.uses as { -readonly [K in keyof StaleUse]: StaleUse[K] }[];
    for (; this.staleSeen < uses.length; this.staleSeen++) {
      const u = uses[this.staleSeen]!;
      u.step = this.st.steps;
      if (iteration) u.iteration = iteration;
      u.blame = u.blame.map((b) => this.blameWhen(b));
      const v = this.m.vcpus[u.vcpu];
      if (v) u.walk = walkPath(this.m, v.rootPfn, u.gfn);
    }
    if (this.records) this.life.after(this.st.steps, op.range.start.line, 'vcpu' in op ? op.vcpu : null, iteration);
  }

  /** A blame link with the clock and loop iteration of its event. The lifecycle recorder has
   *  the root's steps up to the previous statement; an event it has not seen yet happened in
   *  this one (the oracle saw it done). */
  private blameWhen(b: BlameLink): BlameLink {
    let step = b.step;
    if (step === undefined && b.rootId !== undefined && (b.role === 'change' || b.role === 'recycle')) {
      if (b.rootId > this.life.seenUpTo) step = this.st.steps; // allocated by this statement
      else {
        const life = this.life.lifeOf(b.rootId); // undefined past the recorder's cap: no step
        if (life) step = (b.role === 'recycle' ? life.createdStep : life.invalidatedStep ?? life.freedStep) ?? this.st.steps;
      }
    }
    if (step === undefined) return b;
    const iteration = this.iters.at(step);
    return { ...b, step, ...(iteration ? { iteration } : {}) };
  }

  private fail(op: Op, message: string): void {
    if (this.st.failures.length < MAX_FAILURES) {
      const iteration = this.iterationAt(this.repLeft.length - 1);
      this.st.failures.push({ line: op.range.start.line, range: op.range, message, ...(iteration ? { iteration } : {}) });
    }
    else if (this.st.failures.length === MAX_FAILURES) { this.st.notes.push(`failures capped at ${MAX_FAILURES}`); this.st.failures.push({ line: op.range.start.line, range: op.range, message: '… more failures not listed' }); }
  }

  /** One pass/fail mark per line: the first failure is kept, else the latest pass. */
  private check(op: Op, passed: boolean, message: string, seen?: number): void {
    if (!passed) { this.m.ctr.failures++; this.fail(op, message); }
    const prev = this.st.checks.get(this.m.op);
    if (prev && !prev.passed) return;
    const iteration = this.iterationAt(this.repLeft.length - 1);
    this.st.checks.set(this.m.op, { line: op.range.start.line, range: op.range, passed, message, seen, ...(iteration ? { iteration } : {}) });
  }

  // ---------------------------------------------------------------- stepping (session.ts drives it)
  /** Next op to execute, and the open `repeat`s: where they start and iterations left. */
  pc = 0;
  private readonly repStart: number[] = [];
  private readonly repLeft: number[] = [];
  /** Each open loop's count (its iteration index is count - left), for loop variables. */
  private readonly repCount: number[] = [];
  /** Per open loop: the ref of its current iteration, made once per iteration (not per statement). */
  private readonly iterRefs: (IterationRef | undefined)[] = [];

  /** The innermost open loop's current iteration (for a failure that ends the run, e.g. a model limit). */
  currentIteration(): IterationRef | undefined { return this.iterationAt(this.repLeft.length - 1); }

  /** The current iteration of open loop `top` (innermost: length - 1), named by the open loops' variables. */
  private iterationAt(top: number): IterationRef | undefined {
    if (top < 0) return undefined;
    const loop = this.s.ops[this.repStart[top]!];
    if (!loop || loop.k !== 'repeat') return undefined;
    const count = this.repCount[top]!;
    const index = count - this.repLeft[top]! + 1;
    const cached = this.iterRefs[top];
    if (cached && cached.index === index && cached.count === count) return cached;
    let name = '';
    for (let l = 0; l <= top; l++) {
      const head = this.s.ops[this.repStart[l]!];
      if (!head || head.k !== 'repeat' || head.var === undefined) continue;
      const v = this.dynamic.vars[head.var];
      const vn = this.s.vars?.[head.var] ?? '?';
      name += `${name ? ', ' : ''}${vn} = ${typeof v === 'number' && v >= 4096 ? `0x${v.toString(16)}` : String(v)}`;
    }
    const ref: IterationRef = { line: loop.range.start.line, index, count, ...(name ? { name } : {}) };
    this.iterRefs[top] = ref;
    return ref;
  }

  /** Whether every op ran (or the run was cancelled). */
  done(): boolean { return this.pc >= this.s.ops.length || this.st.cancelled; }

  /** One loop iteration: a control op (repeat bookkeeping) or one statement. Returns the op
   *  index of the statement that ran, or -1 when it was a control op (or the run ended). */
  stepOnce(): number {
    const ops = this.s.ops;
    if (this.pc >= ops.length || this.st.cancelled) return -1;
    // Cancel polls every 64 steps (a statement may cost 100 µs: 1,700 memslot creates between polls
    // of every 1,024 took 250 ms), progress every 1,024 (each one is a message from the worker).
    if ((++this.st.steps & 63) === 0) {
      if (this.cancel()) { this.st.cancelled = true; return -1; }
      if ((this.st.steps & 1023) === 0) this.progress(this.st.steps, ops[this.pc].range.start.line);
    }
    const pc = this.pc;
    let op = ops[pc];
    const repStart = this.repStart, repLeft = this.repLeft, repCount = this.repCount;
    if (op.dyn) {
      // Fields over loop variables: evaluated now; a value that cannot be used fails the statement.
      const live = this.dynamic.resolve(pc, op);
      if (typeof live === 'string') {
        this.m.op = pc;
        this.m.ctr.failures++;
        this.fail(op, live);
        this.pc = op.k === 'repeat' ? op.end : pc + 1;
        return -1;
      }
      op = live;
    }
    if (op.k === 'repeat') {
      if (op.count <= 0) { this.pc = op.end; return -1; }
      if (op.var !== undefined) this.dynamic.vars[op.var] = op.values ? op.values[0]! : 0;
      repStart.push(pc); repLeft.push(op.count); repCount.push(op.count); this.iterRefs[repLeft.length - 1] = undefined; this.pc++;
      this.iterMarks.push(this.eventCount());
      return -1;
    }
    if (op.k === 'end_repeat') {
      const top = repLeft.length - 1;
      if (top >= 0) this.iterationSnapshot(top);
      if (top >= 0 && repLeft[top] === 1) this.iterMarks.pop();
      if (top >= 0 && --repLeft[top] > 0) {
        const head = ops[repStart[top]];
        if (head.k === 'repeat' && head.var !== undefined) {
          const i = repCount[top] - repLeft[top];
          this.dynamic.vars[head.var] = head.values ? head.values[i]! : i;
        }
        this.pc = repStart[top] + 1;
        return -1;
      }
      repCount.pop();
      const startPc = repStart.pop() ?? pc;
      repLeft.pop();
      if (repLeft.length === 0) this.autoSnapshot(ops[startPc] ?? op, 'statement');
      this.pc++;
      return -1;
    }
    this.statement(pc, op);
    this.observe(op, this.iterationAt(repLeft.length - 1));
    if (this.st.cancelled) return pc;
    // Inspection statements change no state: no timeline step of their own.
    if (repLeft.length === 0 && op.k !== 'checkpoint' && op.k !== 'expect' && op.k !== 'expect_ok' && op.k !== 'print') this.autoSnapshot(op, 'statement');
    this.pc++;
    return pc;
  }

  /** The end-of-run snapshot and last progress report (once, after the last step). A cancelled
   *  run ends without either, wherever the cancel was seen: between statements, or inside one
   *  (a touch, a range) with the state mid-statement. A snapshot walk there would only poll,
   *  see the cancel and unwind after its first 4,096 entries (work for nothing). */
  finish(): void {
    if (this.st.cancelled) return;
    const ops = this.s.ops;
    this.autoSnapshot(ops[this.pc] ?? ops[ops.length - 1], 'end');
    this.progress(this.st.steps);
  }

  run(): void {
    while (!this.done()) this.stepOnce();
    this.finish();
  }

  /** Runs op `index` of the scenario as one statement, outside the program order (the
   *  explorer's steps). Counts as a step; no timeline snapshot. */
  execute(index: number): void {
    this.st.steps++;
    const raw = this.s.ops[index];
    const op = raw.dyn ? this.dynamic.resolve(index, raw) : raw;
    if (typeof op === 'string') { this.m.op = index; this.m.ctr.failures++; this.fail(raw, op); return; }
    this.statement(index, op);
    this.observe(op, undefined);
  }

  /** What a copy of this interpreter shares with it (run/clone.ts): the program and the caller's callbacks. */
  sharedRefs(): unknown[] { return [this.s, this.s.ops, this.cancel, this.progress]; }

  private autoSnapshots = 0;
  private autoRows = 0;
  /** Per open `repeat`: the event count when its current iteration began. */
  private readonly iterMarks: number[] = [];

  /** Root recycles, stale uses and flush hypercalls so far: an iteration with any is kept on the timeline. */
  private eventCount(): number {
    const c = this.m.ctr;
    return c.rootsRecycled + c.stale + c.hcSpace + c.hcList;
  }

  /** At the end of an iteration of the open loop `top`: a timeline step for the first and last
   *  two iterations and for every one that recycled a root, used a stale translation or issued a
   *  flush hypercall (bounded with the statement snapshots). */
  private iterationSnapshot(top: number): void {
    const loop = this.s.ops[this.repStart[top]!];
    if (!loop || loop.k !== 'repeat') return;
    // The count as evaluated when the loop started (a count over a loop variable varies).
    const count = this.repCount[top] ?? loop.count;
    const index = count - this.repLeft[top]! + 1;
    const events = this.eventCount();
    const eventful = events !== this.iterMarks[top];
    this.iterMarks[top] = events;
    if (index > 2 && index <= count - 2 && !eventful) return;
    this.autoSnapshot(loop, 'iteration', this.iterationAt(top));
  }

  /** A timeline step without a checkpoint (top-level statement, end of run), within budget. */
  private autoSnapshot(op: Op | undefined, kind: 'statement' | 'end' | 'iteration', iteration?: IterationRef): void {
    if (this.snapshotLimit === 0) return;
    const last = this.st.snapshots[this.st.snapshots.length - 1];
    if (kind === 'end' && last && last.step === this.st.steps) return; // nothing ran since
    // "after repeat N" right after its last iteration's snapshot: the same state, already labelled.
    if (kind === 'statement' && last && last.step === this.st.steps && last.kind === 'iteration') return;
    const full = this.autoSnapshots >= MAX_AUTO_SNAPSHOTS || this.autoRows >= MAX_AUTO_ROWS;
    if (full && kind !== 'end') {
      if (!this.st.notes.some((n) => n.startsWith('timeline'))) this.st.notes.push(`timeline: statement snapshots stopped after ${this.autoSnapshots} (add checkpoints for later state)`);
      return;
    }
    const line = op ? op.range.start.line : this.s.range.start.line;
    const label = kind === 'end' ? 'end of run'
      : iteration ? `line ${iteration.line + 1}, iteration ${iteration.index} of ${iteration.count}${iteration.name ? ` (${iteration.name})` : ''}`
        : (op && op.k === 'repeat' ? `after ${op.text.split('{')[0]!.trim()}` : op?.text ?? '');
    const rows = this.snapshot(label.length > 60 ? label.slice(0, 59) + '…' : label, line, kind, iteration);
    this.autoSnapshots++;
    this.autoRows += rows;
  }

  /** Takes a snapshot within the run's row budget; returns the rows it holds (0 when none was kept). */
  private snapshot(label: string, line: number, kind: 'checkpoint' | 'statement' | 'end' | 'iteration', iteration?: IterationRef): number {
    if (this.snapshotsFull) return 0;
    // A statement with a snapshot costs more than the 1,024 plain steps between polls assume: poll
    // before each one (at most a few hundred per run), so a run of costly statements stays cancellable.
    if (kind !== 'end' && this.cancel()) throw new RunCancelled();
    const snap = takeSnapshot(this.m, label, line, this.st.steps, this.ghz, { shouldCancel: this.cancel, trees: this.trees, work: this.work });
    const rows = snapshotRows(snap, this.trees);
    if (this.snapshotRowsHeld + rows > MAX_SNAPSHOT_ROWS) {
      this.snapshotsFull = true;
      this.st.notes.push(`snapshots stopped at line ${line + 1}: the run's snapshots hold ${this.snapshotRowsHeld} rows and the next would pass ${MAX_SNAPSHOT_ROWS} (later state is not shown)`);
      return 0;
    }
    this.snapshotRowsHeld += rows;
    this.st.snapshots.push({ ...snap, kind, ...(iteration ? { iteration } : {}) });
    return rows;
  }

  private statement(pc: number, op: Op): void {
    const m = this.m;
    m.op = pc;
    m.shadows.stamp = m.tlb.stamp = this.st.steps; // fills carry the clock (exact entry identity)
    const auto = !m.cfg.explicitSchedule;
    if (auto) m.mem.drainRcu(); // an RCU grace period elapses between statements (docs/model.md)
    m.tr.statement(op.range.start.line, this.st.steps, 'vcpu' in op ? op.vcpu : null);
    let err: string | null = null;
    // After `teardown` the VM fd is gone: no memslot ioctl, no MMU notifier reaches KVM.
    const gone = m.destroyed && (op.k === 'memslot_create' || op.k === 'memslot_delete' || op.k === 'memslot_move' || op.k === 'memslot_dirty_log' || op.k === 'memslot_clear_dirty_log' || op.k === 'unmap' || op.k === 'collapse');
    if (gone) err = `${op.text}: the VM was torn down (teardown)`;
    else switch (op.k) {
      case 'memslot_create': err = events.memslotCreate(m, op.slot, op.gpa, op.size, op.readonly, op.hugepages === true); break;
      case 'memslot_delete': err = events.memslotDelete(m, op.slot, op.free); break;
      case 'memslot_move': err = events.memslotMove(m, op.slot, op.gpa); break;
      case 'memslot_dirty_log': err = events.memslotDirtyLog(m, op.slot, op.on); break;
      case 'memslot_clear_dirty_log': err = clearDirtyLog(m, op.slot); break;
      case 'unmap': events.unmap(m, op.gpa, op.size); break;
      case 'collapse': err = events.collapse(m, op.gpa); break;
      case 'teardown': if (m.destroyed) err = 'teardown: the VM was already torn down'; else events.teardown(m); break;
      case 'checkpoint':
        if (this.checkpoints < this.snapshotLimit) { this.checkpoints++; this.snapshot(op.label, op.range.start.line, 'checkpoint'); }
        else if (this.snapshotLimit > 0 && !this.st.notes.some((n) => n.startsWith('snapshots capped'))) this.st.notes.push(`snapshots capped at ${this.snapshotLimit} checkpoints`);
        break;
      case 'expect': {
        const v = metric(m, op.metric, this.ghz);
        const ok = compare(v, op.op, op.value);
        this.check(op, ok, ok ? `${op.metric} = ${v}` : `expected ${op.metric} ${op.op} ${op.value}, seen ${v}`, v);
        break;
      }
      case 'expect_ok': {
        const ok = m.ctr.stale === 0 && m.ctr.failures === 0;
        this.check(op, ok, ok ? 'ok' : `expected ok, seen ${m.ctr.stale} stale uses and ${m.ctr.failures} failed checks`);
        break;
      }
      case 'print':
        if (this.st.prints.length < MAX_PRINTS) this.st.prints.push({ line: op.range.start.line, text: `${op.metric} = ${metric(m, op.metric, this.ghz)}` });
        break;
      case 'repeat': case 'end_repeat': break;
      case 'rcu': {
        const n = m.mem.drainRcu();
        if (m.tr.on) m.tr.emit('rcu_grace_period', `${n} pages back to the L1 allocator`);
        break;
      }
      case 'zap_worker':
        if (m.tdp.runZapWorker(1) === 0 && m.tr.on) m.tr.emit('tdp_mmu_zap_root_work', 'no work queued');
        break;
      case 'alloc_next': {
        const ch = m.mem.chooser;
        if (!m.cfg.anyAlloc) err = 'alloc next needs config allocator=any';
        else if (ch instanceof PinnedChooser) ch.add(op.picks);
        break;
      }
      default: err = this.guest(op); break;
    }
    // A statement that cannot run (`smi` in SMM, a call with no root) fails the run; count it
    // in `failures` too, so the metric, `expect ok` and the verdict agree.
    if (err) { m.ctr.failures++; this.fail(op, err); }
    const ch = m.mem.chooser;
    if (ch instanceof PinnedChooser && ch.misses.length > 0) {
      const pages = ch.misses.map((p) => hx(p * 4096)).join(', ');
      ch.misses = [];
      m.ctr.failures++;
      this.fail(op, `alloc next: page ${pages} was not free when allocated; a fresh page was used`);
    }
    // The zap worker gets the CPU when the statement's thread returns (docs/model.md).
    if (auto && m.tdp.pendingZaps() > 0) m.tdp.runZapWorker();
  }

  private guest(op: Op): string | null {
    if (!('vcpu' in op)) return null;
    const m = this.m;
    const v = m.vcpus[op.vcpu];
    if (!v) return `vcpu ${op.vcpu} does not exist (vcpus=${m.cfg.vcpus})`;
    if (m.destroyed) return `${op.text}: the VM was torn down (teardown); no vCPU can run`;
    if (op.k === 'call') return events.callFunction(m, v, op.fn, op.arg);
    // INIT/RESET are accepted where the vCPU is blocked (kvm_apic_accept_events from vcpu_block),
    // before any entry: pending requests stay pending (events.ts vcpuReset).
    if (op.k === 'init') { events.init(m, v); return null; }
    if (op.k === 'reset') { events.reset(m, v); return null; }
    m.kvm.enterGuest(v);
    switch (op.k) {
      case 'read': {
        const pfn = m.access(v, Math.floor(op.gpa / 4096), false);
        const value = pfn < 0 ? 0 : m.mem.read(pfn, op.gpa % 4096);
        if (op.expected !== null) {
          const ok = value === op.expected;
          const seen = valueLike(value, op.text) + (pfn < 0 ? ' (the access was emulated: no guest memory backs this address)' : '');
          this.check(op, ok, ok ? `read ${hx(op.gpa)} == ${valueLike(value, op.text)}` : `read ${hx(op.gpa)}: expected ${valueLike(op.expected, op.text)}, seen ${seen}`, value);
        }
        return null;
      }
      case 'write': {
        const pfn = m.access(v, Math.floor(op.gpa / 4096), true);
        if (pfn >= 0) m.mem.write(pfn, op.gpa % 4096, op.value);
        return null;
      }
      case 'write_range': case 'verify': return this.range(op, v);
      case 'touch': return this.touch(op, v);
      case 'smi': return events.smm(m, v, true);
      case 'rsm': return events.smm(m, v, false);
      case 'nested': return events.nested(m, v, op.dir === 'vmrun', op.ncr3 ?? null);
      case 'cr4': events.cr4(m, v, op.bit, op.on); return null;
      case 'cr3': events.cr3(m, v, op.noflush); return null;
      case 'avic': events.avic(m, v); return null;
      case 'migrate': events.migrate(m, v); return null;
      case 'cr0': events.cr0(m, v, op.on); return null;
    }
    return null;
  }

  private range(op: Extract<Op, { k: 'write_range' | 'verify' }>, v: Vcpu): string | null {
    const m = this.m;
    const off = op.gpa % 4096;
    const pages = Math.max(1, Math.ceil(op.size / 4096));
    let bad = 0;
    let firstBad = '';
    for (let i = 0; i < pages; i++) {
      if ((i & 4095) === 4095 && this.cancel()) { this.st.cancelled = true; return null; }
      const gpa = op.gpa + i * 4096;
      const page = gpa - off;
      const want = patternValue(op.pattern, page);
      const write = op.k === 'write_range';
      const pfn = m.access(v, Math.floor(gpa / 4096), write);
      if (write) { if (pfn >= 0) m.mem.write(pfn, off, want); continue; }
      const seen = pfn < 0 ? 0 : m.mem.read(pfn, off);
      if (seen !== want) {
        bad++;
        m.ctr.failures++;
        const why = pfn < 0 ? ' (emulated: no guest memory backs this page)' : '';
        if (bad <= 5) this.fail(op, `verify page ${hx(page)}: expected ${hx(want)}, seen ${hx(seen)}${why}`);
        if (!firstBad) firstBad = `page ${hx(page)}: expected ${hx(want)}, seen ${hx(seen)}${why}`;
      }
    }
    if (op.k === 'verify') {
      const prev = this.st.checks.get(m.op);
      if (!prev || prev.passed) {
        this.st.checks.set(m.op, { line: op.range.start.line, range: op.range, passed: bad === 0, message: bad === 0 ? `${pages} pages verified` : `${bad} of ${pages} pages differ; first ${firstBad}`, seen: bad });
      }
    }
    return null;
  }

  private touch(op: Extract<Op, { k: 'touch' }>, v: Vcpu): string | null {
    const m = this.m;
    const size = Math.max(1, op.size);
    const stride = Math.max(1, op.stride || 4096);
    const count = op.count > 0 ? Math.floor(op.count) : 0; // the compiler resolved the default (SIZE / stride); `count 0` is no access
    const pages = Math.max(1, Math.ceil(size / 4096));
    const base = op.gpa;
    const write = op.write;
    let off = 0;
    for (let i = 0; i < count; i++) {
      if ((i & 4095) === 4095) {
        if (this.cancel()) { this.st.cancelled = true; return null; }
        if ((i & 65535) === 65535) this.progress(this.st.steps, op.range.start.line);
      }
      let gpa: number;
      if (op.random) gpa = base + this.rng.below(pages) * 4096;
      else { gpa = base + off; off += stride; if (off >= size) off = 0; }
      m.access(v, Math.floor(gpa / 4096), write);
    }
    this.accesses += count;
    return null;
  }
}
