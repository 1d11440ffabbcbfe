// Test item ids for the scenarios of one file (pure, no vscode import). A name is not
// unique while the file has an E210 (two scenarios of one name), and the Test Explorer
// rejects a duplicate id, which stopped every run of the file: the first scenario of a
// name keeps `uri#name` (stable across edits), later ones add their 1-based line.
// Results are matched to items by name and line, so a duplicate that did not run (it
// has the E210) is reported as such while the first one gets its result.

export interface ScenarioRef {
  readonly name: string;
  /** 0-based line of `scenario`. */
  readonly line: number;
}

export function scenarioItemIds(uri: string, scenarios: readonly ScenarioRef[]): string[] {
  const seen = new Set<string>();
  return scenarios.map((s) => {
    const base = `${uri}#${s.name}`;
    if (!seen.has(base)) { seen.add(base); return base; }
    let id = `${base}@${s.line + 1}`;
    for (let n = 2; seen.has(id); n++) id = `${base}@${s.line + 1}.${n}`;
    seen.add(id);
    return id;
  });
}

/** The result of the scenario at `ref`: same name and line (a name alone may be shared). */
export function resultFor<R extends ScenarioRef>(results: readonly R[], ref: ScenarioRef): R | undefined {
  return results.find((r) => r.name === ref.name && r.line === ref.line);
}
