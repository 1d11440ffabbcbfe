// The Debug Adapter Protocol side of the debugger, without vscode: requests in, responses
// and events out, a thin translation of the runtime (debug/runtime.ts) the way
// vscode-mock-debug separates its runtime from its session. The editor wraps it in a
// vscode.DebugAdapterInlineImplementation (src/editor/debug/); the DAP tests drive it directly.
import type { DebugProtocol as P } from '@vscode/debugprotocol';
import { analyze } from '../lang/index';
import { DebugRuntime, EXCEPTION_FILTERS, type BreakpointSpec, type Stop } from './runtime';
import { scopes, type Scope, type VarNode } from './stateView';
import { evaluate } from './evaluate';

export interface MmuLaunchArguments {
  /** The .mmu file (a path or URI the host's loader understands). */
  readonly program: string;
  /** Scenario name; the first scenario of the file when absent. */
  readonly scenario?: string;
  /** Configuration overrides, e.g. { "fix": "a" } (keys and values as in `config` lines). */
  readonly config?: Record<string, string>;
  readonly stopOnEntry?: boolean;
  readonly ghz?: number;
}

const THREAD = 1;
/** How long a launch waits for configurationDone before it starts anyway. */
const CONFIG_WAIT_MS = 2000;

export class MmuDebugAdapter {
  private seq = 1;
  private rt: DebugRuntime | null = null;
  private program = '';
  private lines1 = true;
  private ghz = 3;
  private readonly pendingBps = new Map<string, BreakpointSpec[]>();
  private filters: string[] | null = null;
  private configDone!: () => void;
  private readonly configured = new Promise<void>((r) => { this.configDone = r; });
  private launched!: (ok: boolean) => void;
  private readonly ready = new Promise<boolean>((r) => { this.launched = r; });
  /** Movement requests run one at a time, in arrival order. */
  private queue: Promise<void> = Promise.resolve();
  private handles = new Map<number, readonly VarNode[]>();
  private nextHandle = 1;
  private current: Scope[] | null = null;
  private previous = new Map<string, string>();
  private lastStop: Stop | null = null;
  private terminated = false;

  /** After disconnect nothing more is sent (a continue still running stops at its next slice). */
  private disconnected = false;

  constructor(private readonly load: (program: string) => Promise<string>, private readonly sink: (m: P.ProtocolMessage) => void) {}

  private send(m: P.ProtocolMessage): void { if (!this.disconnected) this.sink(m); }

  handleMessage(msg: P.ProtocolMessage): void {
    if (msg.type !== 'request') return;
    const req = msg as P.Request;
    void this.dispatch(req).catch((e: unknown) => this.respond(req, undefined, e instanceof Error ? e.message : String(e)));
  }

  // ------------------------------------------------------------ plumbing
  private respond(req: P.Request, body?: unknown, error?: string): void {
    const r: P.Response = { seq: this.seq++, type: 'response', request_seq: req.seq, command: req.command, success: error === undefined };
    if (error !== undefined) r.message = error;
    if (body !== undefined) r.body = body;
    this.send(r);
  }

  private event(event: string, body?: unknown): void {
    const e: P.Event = { seq: this.seq++, type: 'event', event };
    if (body !== undefined) e.body = body;
    this.send(e);
  }

  private line(l: number): number { return this.lines1 ? l + 1 : l; }
  private unline(l: number): number { return this.lines1 ? l - 1 : l; }
  private source(): P.Source { return { name: this.program.split(/[\\/]/).pop() ?? this.program, path: this.program }; }

  private move(req: P.Request, f: (rt: DebugRuntime) => Stop | Promise<Stop>, body?: unknown): void {
    const rt = this.rt;
    if (!rt) { this.respond(req, undefined, 'not launched'); return; }
    this.respond(req, body);
    this.queue = this.queue.then(async () => { this.report(await f(rt)); }).catch((e: unknown) => {
      this.event('output', { category: 'stderr', output: `debugger: ${e instanceof Error ? e.message : String(e)}\n` });
    });
  }

  private report(s: Stop): void {
    this.handles.clear(); this.paths.clear();
    if (this.current) this.previous = flatten(this.current);
    this.current = null;
    if (s.reason === 'end') { this.terminate(s.description); return; }
    this.lastStop = s;
    this.event('stopped', {
      reason: s.reason, description: s.description, threadId: THREAD, allThreadsStopped: true,
      ...(s.exception ? { text: s.exception.text } : {}), ...(s.breakpointIds ? { hitBreakpointIds: s.breakpointIds } : {}),
    });
  }

  private terminate(why: string): void {
    if (this.terminated) return;
    this.terminated = true;
    this.event('output', { category: 'console', output: `${why}\n` });
    this.event('terminated');
  }

  private ref(nodes: readonly VarNode[]): number { const h = this.nextHandle++; this.handles.set(h, nodes); return h; }

  private variable(n: VarNode, path: string): P.Variable {
    const was = this.previous.get(path);
    const changed = was !== undefined && was !== n.value;
    const v: P.Variable = { name: n.name, value: changed ? `${n.value}  ◂ was ${was}` : n.value, variablesReference: n.children?.length ? this.refAt(n.children, path) : 0 };
    if (changed) v.presentationHint = { kind: 'data', attributes: ['changed'] };
    return v;
  }

  private readonly paths = new Map<number, string>();
  private refAt(nodes: readonly VarNode[], path: string): number { const h = this.ref(nodes); this.paths.set(h, path); return h; }

  private state(): Scope[] {
    if (!this.current && this.rt) this.current = scopes(this.rt.session.m, this.ghz);
    return this.current ?? [];
  }

  // ------------------------------------------------------------ requests
  private async dispatch(req: P.Request): Promise<void> {
    const a = (req.arguments ?? {}) as Record<string, unknown>;
    switch (req.command) {
      case 'initialize': {
        this.lines1 = (a as unknown as P.InitializeRequestArguments).linesStartAt1 !== false;
        const caps: P.Capabilities = {
          supportsConfigurationDoneRequest: true, supportsStepBack: true, supportsConditionalBreakpoints: true,
          supportsHitConditionalBreakpoints: true, supportsLogPoints: true, supportsEvaluateForHovers: true,
          supportsExceptionInfoRequest: true, supportsTerminateRequest: true,
          exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ filter: f.filter, label: f.label, description: f.description, default: f.default })),
        };
        this.respond(req, caps);
        this.event('initialized');
        return;
      }
      case 'configurationDone': this.respond(req); this.configDone(); return;
      case 'launch': return this.launch(req, a as unknown as MmuLaunchArguments);
      case 'setBreakpoints': {
        const args = a as unknown as P.SetBreakpointsArguments;
        const specs: BreakpointSpec[] = (args.breakpoints ?? (args.lines ?? []).map((line): P.SourceBreakpoint => ({ line }))).map((b) => ({
          line: this.unline(b.line), condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage,
        }));
        const path = args.source.path ?? '';
        this.pendingBps.set(path, specs);
        const ok = await this.ready;
        const rt = this.rt;
        if (!ok || !rt || path !== this.program) {
          this.respond(req, { breakpoints: specs.map((s) => ({ verified: false, line: this.line(s.line), message: ok ? 'not in the debugged scenario\'s file' : 'the scenario did not launch' })) });
          return;
        }
        const states = rt.setBreakpoints(specs);
        this.respond(req, { breakpoints: states.map((s) => ({ id: s.id, verified: s.verified, line: this.line(s.line), source: this.source(), ...(s.message ? { message: s.message } : {}) })) });
        return;
      }
      case 'setExceptionBreakpoints': {
        this.filters = (a as unknown as P.SetExceptionBreakpointsArguments).filters ?? [];
        this.rt?.setExceptionFilters(this.filters);
        this.respond(req);
        return;
      }
      case 'threads': this.respond(req, { threads: [{ id: THREAD, name: this.rt ? `scenario "${this.rt.scenario.name}"` : 'scenario' }] }); return;
      case 'stackTrace': {
        const frames = this.rt?.frames() ?? [];
        this.respond(req, {
          stackFrames: frames.map((f, i) => ({
            id: i, name: f.detail ? `${f.name}  (${f.detail})` : f.name, line: this.line(f.line), column: this.lines1 ? 1 : 0, source: this.source(),
            ...(f.kernel ? { presentationHint: 'normal' } : {}),
          })),
          totalFrames: frames.length,
        });
        return;
      }
      case 'scopes': {
        this.respond(req, { scopes: this.state().map((s) => ({ name: s.name, variablesReference: this.refAt(s.nodes, scopeKey(s)), expensive: s.expensive })) });
        return;
      }
      case 'variables': {
        const h = (a as unknown as P.VariablesArguments).variablesReference;
        const nodes = this.handles.get(h) ?? [];
        const base = this.paths.get(h) ?? '';
        this.respond(req, { variables: nodes.map((n) => this.variable(n, `${base}/${n.name}`)) });
        return;
      }
      case 'evaluate': {
        const args = a as unknown as P.EvaluateArguments;
        const rt = this.rt;
        if (!rt) { this.respond(req, undefined, 'not launched'); return; }
        let expr = args.expression.trim();
        if (args.context === 'hover' && /^0x[0-9a-f]+$/i.test(expr)) expr = `translate ${expr}`;
        const r = evaluate(rt.session.m, expr, this.ghz);
        if (!r.ok) { this.respond(req, undefined, r.message); return; }
        this.respond(req, { result: r.node.value, variablesReference: r.node.children?.length ? this.refAt(r.node.children, `eval:${expr}`) : 0 });
        return;
      }
      case 'exceptionInfo': {
        const e = this.lastStop?.exception;
        this.respond(req, { exceptionId: e?.filter ?? 'none', description: e?.text ?? 'no exception', breakMode: 'always' });
        return;
      }
      case 'continue': this.move(req, (rt) => rt.continue(), { allThreadsContinued: true }); return;
      case 'next': this.move(req, (rt) => rt.next()); return;
      case 'stepIn': this.move(req, (rt) => rt.stepIn()); return;
      case 'stepOut': this.move(req, (rt) => rt.stepOut()); return;
      case 'stepBack': this.move(req, (rt) => rt.stepBack()); return;
      case 'reverseContinue': this.move(req, (rt) => rt.reverseContinue()); return;
      case 'pause': this.rt?.pause(); this.respond(req); return;
      case 'terminate': this.respond(req); this.terminate('terminated'); return;
      case 'disconnect': this.rt?.pause(); this.rt = null; this.respond(req); this.disconnected = true; return;
      default: this.respond(req, undefined, `unsupported request ${req.command}`);
    }
  }

  private async launch(req: P.Request, args: MmuLaunchArguments): Promise<void> {
    try {
      this.program = args.program;
      this.ghz = args.ghz && args.ghz > 0 ? args.ghz : 3;
      const text = await this.load(args.program);
      const a = analyze(text, { overrides: args.config ?? {} });
      const errors = a.diagnostics.filter((d) => d.severity === 'error');
      const all = a.compiled.scenarios;
      const s = args.scenario ? all.find((x) => x.name === args.scenario) : all[0];
      if (!s) {
        const why = errors.length > 0 ? `${args.program} has errors: line ${errors[0]!.range.start.line + 1}: ${errors[0]!.message}` : args.scenario ? `no scenario "${args.scenario}" (the file has ${all.map((x) => `"${x.name}"`).join(', ') || 'none'})` : 'the file has no scenario';
        this.launched(false);
        this.respond(req, undefined, why);
        return;
      }
      const rt = new DebugRuntime(s, { configOverrides: args.config, ghz: this.ghz });
      rt.onLog = (text, line) => this.event('output', { category: 'console', output: `${text}\n`, source: this.source(), line: this.line(line) });
      if (this.filters) rt.setExceptionFilters(this.filters);
      this.rt = rt;
      const bps = this.pendingBps.get(args.program);
      if (bps) rt.setBreakpoints(bps);
      this.launched(true);
      await Promise.race([this.configured, new Promise((r) => setTimeout(r, CONFIG_WAIT_MS))]);
      this.respond(req);
      this.queue = this.queue.then(async () => { this.report(await rt.start(args.stopOnEntry === true)); });
    } catch (e) {
      this.launched(false);
      this.respond(req, undefined, e instanceof Error ? e.message : String(e));
    }
  }
}

/** A scope's name without what changes between stops ("vCPU 0: L2" -> "vCPU 0"), so values keep their path. */
function scopeKey(s: Scope): string { return s.name.split(':')[0]!; }

function flatten(scopes: readonly Scope[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (nodes: readonly VarNode[], base: string): void => {
    for (const n of nodes) { const p = `${base}/${n.name}`; out.set(p, n.value); if (n.children) walk(n.children, p); }
  };
  for (const s of scopes) walk(s.nodes, scopeKey(s));
  return out;
}
