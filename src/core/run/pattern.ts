// Per-page values for `write ... pattern NAME` / `verify ... pattern NAME`: a 32-bit FNV-1a
// hash of the pattern name mixed with the page's address, so every page gets its own
// value and a stale translation reading another page shows up as a mismatch.
export function patternValue(name: string, gpaPage: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (gpaPage | 0), 0x01000193);
  h = Math.imul(h ^ ((gpaPage / 4294967296) | 0), 0x01000193);
  return (h >>> 0) || 1;
}
