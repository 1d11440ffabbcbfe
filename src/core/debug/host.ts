// The runtime's end of the debugger's protocol (wire.ts), run in the simulation worker:
// it owns the DebugRuntime and answers the adapter's requests one at a time, in order.
// `pause` and `dispose` act at once, so a pause reaches a continue that is running
// (the runtime yields between slices and polls the flag there).
import { analyze } from '../lang/index';
import { DebugRuntime, type Stop } from './runtime';
import { scopes, type Scope } from './stateView';
import { evaluate } from './evaluate';
import { DEBUG_CHANNEL, type FromHost, type HostAnswers, type HostRequest, type LaunchRequest, type ToHost } from './wire';

export class DebugHost {
  private rt: DebugRuntime | null = null;
  private ghz = 3;
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;
  /** Moves queued or running: a pause applies to them, and is dropped when there are none. */
  private moves = 0;

  constructor(private readonly post: (m: FromHost) => void, private readonly yieldNow?: () => Promise<void>) {}

  receive(m: ToHost): void {
    const { id, req } = m;
    if (req.op === 'pause' || req.op === 'dispose') {
      if (req.op === 'pause') { if (this.moves > 0) this.rt?.pause(); }
      else { this.disposed = true; this.rt?.pause(); this.rt = null; }
      this.reply(id, null);
      return;
    }
    const moving = req.op === 'move' || req.op === 'start';
    if (moving) this.moves++;
    this.queue = this.queue.then(async () => {
      try {
        if (this.disposed) return;
        this.reply(id, await this.answer(req));
      } catch (e) {
        this.post({ channel: DEBUG_CHANNEL, id, ok: false, message: e instanceof Error ? e.message : String(e) });
      } finally {
        if (moving) this.moves--;
      }
    });
  }

  private reply(id: number, value: unknown): void { this.post({ channel: DEBUG_CHANNEL, id, ok: true, value }); }

  private async answer(req: HostRequest): Promise<HostAnswers[keyof HostAnswers]> {
    if (req.op === 'launch') return this.launch(req);
    const rt = this.rt;
    if (!rt) throw new Error('not launched');
    switch (req.op) {
      case 'start': return rt.start(req.stopOnEntry);
      case 'setBreakpoints': return rt.setBreakpoints(req.specs);
      case 'setFilters': rt.setExceptionFilters(req.filters); return null;
      case 'move': return this.move(rt, req.how);
      case 'frames': return rt.frames();
      case 'scopes': return this.scopes(rt);
      case 'evaluate': return evaluate(rt.session.m, req.expression, this.ghz);
      case 'paused': return rt.pausedResult();
      default: throw new Error(`unknown request ${(req as { op: string }).op}`);
    }
  }

  private launch(req: LaunchRequest): HostAnswers['launch'] {
    const a = analyze(req.text, { overrides: req.config ?? {} });
    const errors = a.diagnostics.filter((d) => d.severity === 'error');
    const all = a.compiled.scenarios;
    const s = req.scenario ? all.find((x) => x.name === req.scenario) : all[0];
    if (!s) {
      const why = errors.length > 0 ? `the file has errors: line ${errors[0]!.range.start.line + 1}: ${errors[0]!.message}` : req.scenario ? `no scenario "${req.scenario}" (the file has ${all.map((x) => `"${x.name}"`).join(', ') || 'none'})` : 'the file has no scenario';
      return { ok: false, message: why };
    }
    this.ghz = req.ghz > 0 ? req.ghz : 3;
    const rt = new DebugRuntime(s, { configOverrides: req.config, ghz: this.ghz, ...(this.yieldNow ? { yieldNow: this.yieldNow } : {}) });
    rt.onLog = (text, line) => this.post({ channel: DEBUG_CHANNEL, id: -1, log: { text, line } });
    if (req.filters) rt.setExceptionFilters(req.filters);
    if (req.breakpoints) rt.setBreakpoints(req.breakpoints);
    this.rt = rt;
    return { ok: true, scenario: s.name };
  }

  private move(rt: DebugRuntime, how: string): Stop | Promise<Stop> {
    switch (how) {
      case 'continue': return rt.continue();
      case 'next': return rt.next();
      case 'stepIn': return rt.stepIn();
      case 'stepOut': return rt.stepOut();
      case 'stepBack': return rt.stepBack();
      case 'reverseContinue': return rt.reverseContinue();
      default: throw new Error(`unknown movement ${how}`);
    }
  }

  /** The machine's scopes, then where the run is, on the clock the panel's timeline uses. */
  private scopes(rt: DebugRuntime): Scope[] {
    const out = scopes(rt.session.m, this.ghz);
    out.push({
      name: 'Position', expensive: false, nodes: [
        { name: 'line', value: rt.atEnd ? 'end of run' : String(rt.line + 1) },
        { name: 'statements done', value: String(rt.n) },
        { name: 'timeline step', value: `after ${rt.clock.toLocaleString('en-US')} statements` },
        { name: 'hit count', value: `${rt.hitsHere} (arrivals at this statement: the iteration in a repeat)` },
        { name: 'kernel event', value: rt.ev > 0 && rt.event ? `#${rt.ev}: ${rt.event.fn}` : 'none (at the statement)' },
      ],
    });
    return out;
  }
}
