// Where a kernel function is described in docs/kernel-reference.md: the `## ` section whose
// `*Functions:*` list names it, else the first section that mentions it in backticks; kernel
// frames of the call stack point there (a frame's source and line, which VS Code opens).
export interface DocSection { readonly title: string; readonly line: number }

/** Function name -> its section (0-based line of the heading), from the doc's text. */
export function kernelDocIndex(text: string): Map<string, DocSection> {
  const listed = new Map<string, DocSection>();
  const mentioned = new Map<string, DocSection>();
  const lines = text.split(/\r?\n/);
  let section: DocSection | null = null;
  let inFunctions = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const h = /^##\s+(.+?)\s*$/.exec(l);
    if (h) { section = { title: h[1]!, line: i }; inFunctions = false; continue; }
    if (!section) continue;
    if (/^\*(Functions|Source):\*/.test(l)) inFunctions = true;
    else if (l.trim() === '') inFunctions = false;
    for (const m of l.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)(?:\(\w*\))?`/g)) {
      const fn = m[1]!;
      if (inFunctions && !listed.has(fn)) listed.set(fn, section);
      if (!mentioned.has(fn)) mentioned.set(fn, section);
    }
  }
  for (const [fn, s] of mentioned) if (!listed.has(fn)) listed.set(fn, s);
  return listed;
}
