// The Debug Adapter Protocol side of the debugger, without vscode: requests in, responses
// and events out, a thin translation of the runtime (debug/runtime.ts) the way
// vscode-mock-debug separates its runtime from its session. The runtime runs elsewhere
// (the simulation worker, debug/host.ts) behind a message channel (wire.ts); the editor
// wraps this in a vscode.DebugAdapterInlineImplementation (src/editor/debug/); the DAP
// tests drive it directly.
import type { DebugProtocol as P } from '@vscode/debugprotocol';
import type { ScenarioResult } from '../run/result';
import { EXCEPTION_FILTERS, type BreakpointSpec, type Frame, type Stop } from './runtime';
import type { Scope, VarNode } from './stateView';
import { RuntimeClient } from './client';
import { localChannel } from './localChannel';
import { kernelDocIndex, type DocSection } from './kernelDoc';
import type { DebugChannel, Movement } from './wire';

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

/** Where the debugger stopped, for views that follow it (the side panel). */
export interface StopNotice {
  readonly program: string;
  readonly scenario: string;
  /** The run cut at the stop (null when the session moved on or ended meanwhile). */
  paused(): Promise<ScenarioResult | null>;
}

export interface AdapterOptions {
  /** Where the runtime runs (default: this thread, behind the same protocol). */
  readonly channel?: () => DebugChannel | Promise<DebugChannel>;
  /** docs/kernel-reference.md: kernel frames point at its sections. */
  readonly kernelDoc?: () => Promise<{ readonly path: string; readonly text: string } | null>;
  readonly onStopped?: (n: StopNotice) => void;
  readonly onEnded?: (program: string) => void;
}

const THREAD = 1;
/** How long a launch waits for configurationDone before it starts anyway. */
const CONFIG_WAIT_MS = 2000;

export class MmuDebugAdapter {
  private seq = 1;
  private rt: RuntimeClient | null = null;
  private scenario = '';
  private program = '';
  private lines1 = true;
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
  /** Scopes of the current stop (fetched once per stop), and the values of the previous one. */
  private current: Promise<Scope[]> | null = null;
  private currentValue: Scope[] | null = null;
  private previous = new Map<string, string>();
  private lastStop: Stop | null = null;
  /** Counts stops: a view that asks for an older stop's state gets nothing. */
  private stops = 0;
  private terminated = false;
  private doc: { path: string; index: Map<string, DocSection> } | null = null;

  /** After disconnect nothing more is sent (a continue still running stops at its next slice). */
  private disconnected = false;

  constructor(private readonly load: (program: string) => Promise<string>, private readonly sink: (m: P.ProtocolMessage) => void, private readonly options: AdapterOptions = {}) {}

  private send(m: P.ProtocolMessage): void { if (!this.disconnected) this.sink(m); }

  handleMessage(msg: P.ProtocolMessage): void {
    if (msg.type !== 'request') return;
    const req = msg as P.Request;
    void this.dispatch(req).catch((e: unknown) => this.respond(req, undefined, e instanceof Error ? e.message : String(e)));
  }

  /** The runtime's worker failed: say so and end the session. */
  runtimeFailed(why: string): void {
    this.rt?.fail(why);
    this.event('output', { category: 'stderr', output: `debugger: ${why}\n` });
    this.terminate('the debugger\'s runtime ended');
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

  private move(req: P.Request, how: Movement, body?: unknown): void {
    const rt = this.rt;
    if (!rt) { this.respond(req, undefined, 'not launched'); return; }
    this.respond(req, body);
    this.queue = this.queue.then(async () => { this.report(await rt.call({ op: 'move', how })); }).catch((e: unknown) => this.failed(e));
  }

  private failed(e: unknown): void {
    if (this.terminated || this.disconnected) return;
    this.event('output', { category: 'stderr', output: `debugger: ${e instanceof Error ? e.message : String(e)}\n` });
  }

  private report(s: Stop): void {
    this.handles.clear(); this.paths.clear();
    if (this.currentValue) this.previous = flatten(this.currentValue);
    this.current = null; this.currentValue = null;
    const stop = ++this.stops;
    if (s.reason === 'end') { this.terminate(s.description); return; }
    this.lastStop = s;
    this.event('stopped', {
      reason: s.reason, description: s.description, threadId: THREAD, allThreadsStopped: true,
      ...(s.exception ? { text: s.exception.text } : {}), ...(s.breakpointIds ? { hitBreakpointIds: s.breakpointIds } : {}),
    });
    const rt = this.rt;
    this.options.onStopped?.({
      program: this.program, scenario: this.scenario,
      paused: async () => (rt && stop === this.stops && !this.terminated ? rt.call({ op: 'paused' }) : null),
    });
  }

  private terminate(why: string): void {
    if (this.terminated) return;
    this.terminated = true;
    this.event('output', { category: 'console', output: `${why}\n` });
    this.event('terminated');
    this.options.onEnded?.(this.program);
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

  private state(): Promise<Scope[]> {
    const rt = this.rt;
    if (!rt) return Promise.resolve([]);
    if (!this.current) {
      const p = rt.call({ op: 'scopes' });
      this.current = p;
      void p.then((v) => { if (this.current === p) this.currentValue = v; }, () => undefined);
    }
    return this.current;
  }

  /** A stack frame: a kernel function the doc describes points at its section of
   *  docs/kernel-reference.md (VS Code opens it there); the others, and the scenario's
   *  frames, at the statement. */
  private frame(f: Frame, id: number): P.StackFrame {
    const name = f.detail ? `${f.name}  (${f.detail})` : f.name;
    const column = this.lines1 ? 1 : 0;
    const section = f.kernel ? this.doc?.index.get(f.name) : undefined;
    if (section && this.doc) {
      return {
        id, name, column, line: this.line(section.line),
        source: { name: `kernel-reference.md § ${section.title}`, path: this.doc.path, origin: `kernel function, called at line ${this.line(f.line)} of ${this.source().name}` },
      };
    }
    return { id, name, line: this.line(f.line), column, source: this.source() };
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
        const states = await rt.call({ op: 'setBreakpoints', specs });
        this.respond(req, { breakpoints: states.map((s) => ({ id: s.id, verified: s.verified, line: this.line(s.line), source: this.source(), ...(s.message ? { message: s.message } : {}) })) });
        return;
      }
      case 'setExceptionBreakpoints': {
        this.filters = (a as unknown as P.SetExceptionBreakpointsArguments).filters ?? [];
        if (this.rt) await this.rt.call({ op: 'setFilters', filters: this.filters });
        this.respond(req);
        return;
      }
      case 'threads': this.respond(req, { threads: [{ id: THREAD, name: this.rt ? `scenario "${this.scenario}"` : 'scenario' }] }); return;
      case 'stackTrace': {
        const frames = this.rt ? await this.rt.call({ op: 'frames' }) : [];
        this.respond(req, { stackFrames: frames.map((f, i) => this.frame(f, i)), totalFrames: frames.length });
        return;
      }
      case 'scopes': {
        const scopes = await this.state();
        this.respond(req, { scopes: scopes.map((s) => ({ name: s.name, variablesReference: this.refAt(s.nodes, scopeKey(s)), expensive: s.expensive })) });
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
        const r = await rt.call({ op: 'evaluate', expression: expr });
        if (!r.ok) { this.respond(req, undefined, r.message); return; }
        this.respond(req, { result: r.node.value, variablesReference: r.node.children?.length ? this.refAt(r.node.children, `eval:${expr}`) : 0 });
        return;
      }
      case 'exceptionInfo': {
        const e = this.lastStop?.exception;
        this.respond(req, { exceptionId: e?.filter ?? 'none', description: e?.text ?? 'no exception', breakMode: 'always' });
        return;
      }
      case 'continue': this.move(req, 'continue', { allThreadsContinued: true }); return;
      case 'next': this.move(req, 'next'); return;
      case 'stepIn': this.move(req, 'stepIn'); return;
      case 'stepOut': this.move(req, 'stepOut'); return;
      case 'stepBack': this.move(req, 'stepBack'); return;
      case 'reverseContinue': this.move(req, 'reverseContinue'); return;
      case 'pause': if (this.rt) await this.rt.call({ op: 'pause' }); this.respond(req); return;
      case 'terminate': this.respond(req); this.terminate('terminated'); this.end(); return;
      case 'disconnect': this.respond(req); this.end(); this.disconnected = true; return;
      default: this.respond(req, undefined, `unsupported request ${req.command}`);
    }
  }

  /** Ends the runtime (its worker) once: after terminate or disconnect. */
  private end(): void {
    const rt = this.rt;
    this.rt = null;
    rt?.close();
    if (!this.terminated) this.options.onEnded?.(this.program);
    this.terminated = true;
  }

  private async launch(req: P.Request, args: MmuLaunchArguments): Promise<void> {
    let rt: RuntimeClient | null = null;
    try {
      this.program = args.program;
      const [text, doc] = await Promise.all([this.load(args.program), this.options.kernelDoc?.().catch(() => null) ?? Promise.resolve(null)]);
      if (doc) this.doc = { path: doc.path, index: kernelDocIndex(doc.text) };
      rt = new RuntimeClient(await (this.options.channel ?? localChannel)());
      rt.onLog = (text, line) => this.event('output', { category: 'console', output: `${text}\n`, source: this.source(), line: this.line(line) });
      const r = await rt.call({
        op: 'launch', text, ghz: args.ghz && args.ghz > 0 ? args.ghz : 3, filters: this.filters, breakpoints: this.pendingBps.get(args.program) ?? null,
        ...(args.scenario ? { scenario: args.scenario } : {}), ...(args.config ? { config: args.config } : {}),
      });
      if (!r.ok) {
        rt.close();
        this.launched(false);
        this.respond(req, undefined, r.message.startsWith('the file has errors') ? `${args.program}${r.message.slice('the file'.length)}` : r.message);
        return;
      }
      this.scenario = r.scenario;
      this.rt = rt;
      this.launched(true);
      await Promise.race([this.configured, new Promise((res) => setTimeout(res, CONFIG_WAIT_MS))]);
      this.respond(req);
      const started = rt;
      this.queue = this.queue.then(async () => { this.report(await started.call({ op: 'start', stopOnEntry: args.stopOnEntry === true })); }).catch((e: unknown) => this.failed(e));
    } catch (e) {
      rt?.close();
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
