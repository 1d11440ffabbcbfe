// The checker's memslots of one scenario, by id. Most scenarios have a few: up to SMALL of them
// live in two arrays searched in place (a file of 100,000 small scenarios made and cleared a
// Map each, which was a tenth of what its analysis allocated); past that, a Map. Iteration is
// in insertion order either way, as a Map's (messages list the live ids in that order).

const SMALL = 16;

export class SlotTable<V> {
  private readonly keys: string[] = [];
  private readonly vals: V[] = [];
  private n = 0;
  private map: Map<string, V> | null = null;

  get size(): number { return this.map ? this.map.size : this.n; }

  get(key: string): V | undefined {
    if (this.map) return this.map.get(key);
    for (let i = 0; i < this.n; i++) if (this.keys[i] === key) return this.vals[i];
    return undefined;
  }

  set(key: string, value: V): void {
    if (this.map) { this.map.set(key, value); return; }
    for (let i = 0; i < this.n; i++) if (this.keys[i] === key) { this.vals[i] = value; return; }
    if (this.n === SMALL) {
      this.map = new Map();
      for (let i = 0; i < this.n; i++) this.map.set(this.keys[i]!, this.vals[i]!);
      this.map.set(key, value);
      return;
    }
    this.keys[this.n] = key;
    this.vals[this.n] = value;
    this.n++;
  }

  /** Empty, for the next scenario (the arrays are reused). */
  clear(): void {
    this.n = 0;
    this.map = null;
  }

  /** The first `limit` entries in insertion order (all by default): for messages and the explore check, not per statement. */
  entries(limit = Infinity): [string, V][] {
    const out: [string, V][] = [];
    if (this.map) {
      for (const e of this.map) { if (out.length >= limit) break; out.push(e); }
      return out;
    }
    for (let i = 0; i < this.n && out.length < limit; i++) out.push([this.keys[i]!, this.vals[i]!]);
    return out;
  }
}
