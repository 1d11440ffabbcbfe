// Number formatting shared by the views. Lines arrive 0-based and are shown 1-based.

export const hex = (n: number): string => '0x' + n.toString(16);
export const lineLabel = (line: number): string => `line ${line + 1}`;

export function micros(us: number): string {
  if (us >= 1000) return `${(us / 1000).toFixed(us >= 10000 ? 1 : 2)} ms`;
  return `${us.toFixed(us >= 100 ? 0 : us >= 10 ? 1 : 2)} µs`;
}

export function count(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(2);
}
