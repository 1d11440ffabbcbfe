// The optional, bounded trace: events named after the kernel functions and hypercalls
// they model, each with its call path (the enclosing modelled functions) and the
// statement that caused it. When off, `on` is false and callers skip building details.
import type { TraceEvent } from '../run/result';

/** Thrown by `emit` when the event numbered `stopSeq` is raised: the debugger's "step into"
 *  halts a statement there (the machine is left mid-statement; the session restores it). */
export class EventStop extends Error {
  constructor(readonly event: TraceEvent) { super(`stopped at ${event.fn}`); }
}

export class Tracer {
  readonly events: TraceEvent[] = [];
  private readonly stack: string[] = [];
  private seq = 0;
  capped = false;
  line = 0;
  step = 0;
  vcpu: number | null = null;
  /** Debugger hook (session.ts): the event number at which `emit` throws EventStop; -1 = never. */
  stopSeq = -1;

  constructor(readonly on: boolean, private readonly limit: number) {}

  /** Enter a modelled function: records it and makes it the parent of later events until `leave`. */
  enter(fn: string, detail = ''): void {
    if (!this.on) return;
    this.emit(fn, detail);
    this.stack.push(fn);
  }

  leave(): void { if (this.on) this.stack.pop(); }

  emit(fn: string, detail = ''): void {
    if (!this.on) return;
    this.seq++;
    const stop = this.seq === this.stopSeq;
    if (this.events.length >= this.limit) {
      this.capped = true;
      if (!stop) return;
    }
    const ev = { seq: this.seq, fn, path: this.stack.slice(), line: this.line, vcpu: this.vcpu, detail, step: this.step };
    if (this.events.length < this.limit) this.events.push(ev);
    if (stop) throw new EventStop(ev);
  }

  /** Events raised so far, recorded or not (the next one gets number `emitted + 1`). */
  get emitted(): number { return this.seq; }

  /** Reset the call path at a statement boundary. */
  statement(line: number, step: number, vcpu: number | null): void {
    this.line = line; this.step = step; this.vcpu = vcpu;
    this.stack.length = 0;
  }
}

export function hex(n: number): string { return '0x' + n.toString(16); }
