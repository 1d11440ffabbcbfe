// A number as a KVM developer wants to see it on hover: hex, decimal, size and 4K pages.
// Pure (no vscode import) so it is unit-tested.

const PAGE = 4096;

/** Parses a number as the language writes it (`4096`, `0x1000`, `0xffff_f000`, `64M`); undefined if it is not one. */
export function parseNumberLiteral(text: string): number | undefined {
  const m = /^(0[xX][0-9a-fA-F][0-9a-fA-F_]*|[0-9][0-9_]*)([KMG])?$/.exec(text);
  if (!m) return undefined;
  const digits = m[1]!.replace(/_/g, '');
  const base = digits.startsWith('0x') || digits.startsWith('0X') ? Number.parseInt(digits.slice(2), 16) : Number.parseInt(digits, 10);
  const scale = m[2] === 'K' ? 1024 : m[2] === 'M' ? 1024 ** 2 : m[2] === 'G' ? 1024 ** 3 : 1;
  const value = base * scale;
  return Number.isFinite(value) ? value : undefined;
}

export function hex(n: number): string {
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

/** Largest exact binary size unit (`64M`, `4K`), or undefined when none divides it. */
export function sizeUnit(n: number): string | undefined {
  if (n <= 0) return undefined;
  for (const [unit, scale] of [['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) {
    if (n % scale === 0) return `${n / scale}${unit}`;
  }
  return undefined;
}

/** Markdown lines: hex, decimal, size, and the 4K page (gfn) with its offset. */
export function describeNumber(n: number): string[] {
  const lines = [`\`${hex(n)}\` · \`${n.toLocaleString('en-US')}\``];
  const unit = sizeUnit(n);
  if (unit) lines.push(`size: \`${unit}\``);
  const page = Math.floor(n / PAGE);
  const offset = n % PAGE;
  lines.push(offset === 0
    ? `${n / PAGE} page${n / PAGE === 1 ? '' : 's'} of 4K · as an address: gfn \`${hex(page)}\``
    : `as an address: gfn \`${hex(page)}\` + offset \`${hex(offset)}\` (${(n / PAGE).toFixed(2)} pages of 4K)`);
  return lines;
}
