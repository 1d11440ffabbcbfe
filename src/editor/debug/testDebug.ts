// The Test Explorer's Debug profile: every scenario the request selects (a file item stands
// for its scenarios; no selection means every item), debugged one session after another —
// the next starts when the previous one ends. No vscode import: the sequencing is tested
// with fakes; debug/index.ts binds it to vscode.debug.

/** The parts of a vscode.TestItem used here. */
export interface TestItemLike {
  readonly id: string;
  readonly label: string;
  readonly uri?: { toString(): string } | undefined;
  readonly parent?: TestItemLike | undefined;
  readonly children: { forEach(f: (item: TestItemLike) => void): void };
}

export interface DebugTarget<U> { readonly uri: U; readonly scenario: string }

export function debugTargets<I extends TestItemLike>(include: readonly I[] | undefined, exclude: readonly I[] | undefined, all: { forEach(f: (item: I) => void): void }): DebugTarget<NonNullable<I['uri']>>[] {
  const skip = new Set((exclude ?? []).map((i) => i.id));
  const out: DebugTarget<NonNullable<I['uri']>>[] = [];
  const seen = new Set<string>();
  const add = (item: I): void => {
    if (skip.has(item.id)) return;
    if (item.parent && item.uri) {
      if (!seen.has(item.id)) { seen.add(item.id); out.push({ uri: item.uri as NonNullable<I['uri']>, scenario: item.label }); }
      return;
    }
    item.children.forEach((c) => add(c as I)); // a file: its scenarios, in the file's order
  };
  if (include) include.forEach(add); else all.forEach(add);
  return out;
}

/** Starts each target's session when the previous one has ended; stops early when cancelled
 *  or when a session does not start. Returns how many sessions ran. */
export async function debugInTurn<T, S>(targets: readonly T[], start: (t: T) => Promise<S | undefined>, ended: (s: S) => Promise<void>, cancelled: () => boolean): Promise<number> {
  let ran = 0;
  for (const t of targets) {
    if (cancelled()) break;
    const s = await start(t);
    if (s === undefined) break;
    ran++;
    await ended(s);
  }
  return ran;
}
