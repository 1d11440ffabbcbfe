// Source positions, 0-based like VS Code's. The CLI converts to 1-based at its edge.

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export function range(line: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line, character: startChar }, end: { line: endLine, character: endChar } };
}

/**
 * The parser's ranges: one object of four numbers, its Positions made only when read. A
 * 100,000-line file has millions of token and node ranges; as `{ start, end }` of two
 * Position objects each they were three objects apiece, and copying them through the young
 * generation was a third of the analysis time. Editor features read `start`/`end` as usual.
 * Not plain data: what leaves the analyser (diagnostics, compiled ops, worker replies) goes
 * through `plainRange`, since a structured clone keeps no getters. JSON prints it plain.
 */
export class SourceRange implements Range {
  constructor(readonly sl: number, readonly sc: number, readonly el: number, readonly ec: number) {}
  get start(): Position { return { line: this.sl, character: this.sc }; }
  get end(): Position { return { line: this.el, character: this.ec }; }
  toJSON(): Range { return { start: this.start, end: this.end }; }
}

/** `r` as plain data (`{ start, end }` objects), for anything that is cloned or compared deeply. */
export function plainRange(r: Range): Range {
  return r instanceof SourceRange ? { start: { line: r.sl, character: r.sc }, end: { line: r.el, character: r.ec } } : r;
}
