// Links from hovers to docs/kernel-reference.md, the shipped summary of the kernel code the model
// follows (in the .vsix under docs/, in the repository at the same path). Hover texts cite the
// domain fact base by section ("§2.4", "§5 #13"); each citation maps to the kernel-reference
// section that covers it. Pure: the editor glue passes the file's URI.

/** The reference file, relative to the repository / extension root. */
export const KERNEL_REFERENCE_PATH = 'docs/kernel-reference.md';

/** Section headings of docs/kernel-reference.md that hovers link to (GitHub-style anchors). */
export const REFERENCE_SECTIONS = {
  versions: 'Kernel versions',
  contexts: 'MMU contexts',
  load: 'Loading a root',
  free: 'Freeing roots',
  fastZap: 'Fast zap',
  legacy: 'Legacy MMU',
  remote: 'Remote flushes',
  callbacks: 'Flush callbacks and ASIDs',
  l0: 'L0: shadows, TLB and hypercalls',
  faults: 'Page faults',
  huge: 'Huge pages',
  dirty: 'Dirty logging',
  reset: 'INIT and RESET',
  smm: 'SMM and L3',
  nested: 'Nested transitions',
  cr0: 'CR0.PG',
  guestEvents: 'CR3, CR4, AVIC and migration',
  teardown: 'VM teardown',
  notifier: 'MMU notifier unmap',
} as const;

type Section = keyof typeof REFERENCE_SECTIONS;

/** Domain section (§N, §N.M, §5 #K) -> the kernel-reference section that covers it. */
const BY_CITATION: Readonly<Record<string, Section>> = {
  '§0': 'versions', '§6': 'versions', '§6.1': 'versions', '§6.2': 'versions', '§6.3': 'versions',
  '§1': 'l0', '§1.1': 'l0', '§1.2': 'l0', '§1.3': 'l0', '§7': 'l0', '§1.4': 'callbacks',
  '§2': 'contexts', '§2.1': 'contexts', '§2.2': 'load', '§2.3': 'fastZap', '§2.4': 'free', '§2.5': 'free', '§2.6': 'remote',
  '§3': 'legacy', '§3.1': 'legacy', '§3.2': 'legacy', '§3.3': 'legacy',
  '§4': 'callbacks', '§4.1': 'callbacks', '§4.2': 'callbacks', '§4.3': 'callbacks', '§4.4': 'callbacks',
  '§5 #1': 'fastZap', '§5 #2': 'free', '§5 #3': 'load', '§5 #4': 'notifier', '§5 #5': 'teardown',
  '§5 #6': 'guestEvents', '§5 #7': 'guestEvents', '§5 #8': 'cr0', '§5 #9': 'nested', '§5 #10': 'nested',
  '§5 #11': 'guestEvents', '§5 #12': 'guestEvents', '§5 #13': 'reset', '§5 #14': 'smm', '§5 #15': 'remote',
  '§5 #16': 'callbacks', '§5 #17': 'huge', '§5 #18': 'dirty', '§5 #19': 'faults', '§5': 'faults',
};

/** GitHub's heading anchor: lower case, punctuation other than `-` and `_` dropped, spaces to `-`. */
export function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** The domain citations in a doc text, in order, without repeats. */
export function citations(doc: string): string[] {
  return [...new Set(doc.match(/§\d+(?:\.\d+)?(?: #\d+)?/g) ?? [])];
}

/** Kernel-reference sections for the citations of `doc` (each once, in citation order). */
export function sectionsFor(doc: string): string[] {
  const out: string[] = [];
  for (const c of citations(doc)) {
    const s = BY_CITATION[c] ?? BY_CITATION[c.replace(/\.\d+$/, '')];
    if (s && !out.includes(REFERENCE_SECTIONS[s])) out.push(REFERENCE_SECTIONS[s]);
  }
  return out;
}

/** "*Kernel reference:* [Fast zap](FILE#fast-zap) · ..." for the citations of `doc`, or '' when it cites
 *  none. `file` is where the reference lives for the reader: a URI in the editor, the path in the repo. */
export function referenceLine(doc: string, file: string = KERNEL_REFERENCE_PATH): string {
  const sections = sectionsFor(doc);
  if (sections.length === 0) return '';
  const links = sections.map((h) => `[${h}](${file}#${headingAnchor(h)})`).join(' · ');
  return `\n\n*Kernel reference:* ${links} (domain ${citations(doc).join(', ')})`;
}
