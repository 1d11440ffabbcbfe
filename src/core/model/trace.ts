// The optional, bounded trace: events named after the kernel functions and hypercalls
// they model, each with its call path (the enclosing modelled functions) and the
// statement that caused it. When off, `on` is false and callers skip building details.
import type { TraceEvent } from '../run/result';

export class Tracer {
  readonly events: TraceEvent[] = [];
  private readonly stack: string[] = [];
  private seq = 0;
  capped = false;
  line = 0;
  step = 0;
  vcpu: number | null = null;

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
    if (this.events.length >= this.limit) { this.capped = true; return; }
    this.events.push({ seq: this.seq, fn, path: this.stack.slice(), line: this.line, vcpu: this.vcpu, detail, step: this.step });
  }

  /** Reset the call path at a statement boundary. */
  statement(line: number, step: number, vcpu: number | null): void {
    this.line = line; this.step = step; this.vcpu = vcpu;
    this.stack.length = 0;
  }
}

export function hex(n: number): string { return '0x' + n.toString(16); }
