// A 64-bit state hash as two independent 32-bit lanes (murmur3-style mixing, different
// seeds), fed one 32-bit word at a time without allocation. Sets whose order does not
// matter are hashed entry by entry and summed (`Unordered`), so equal sets reached by
// different insertion orders hash equal.

export class Hasher {
  a = 0x811c9dc5 | 0;
  b = 0x1b873593 | 0;

  reset(): void { this.a = 0x811c9dc5 | 0; this.b = 0x1b873593 | 0; }

  /** One integer in [-2^31, 2^32) (larger values: use `num`). */
  int(x: number): void {
    let k = Math.imul(x | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let a = this.a ^ k;
    a = (a << 13) | (a >>> 19);
    this.a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    let j = Math.imul((x | 0) ^ 0x5bd1e995, 0x85ebca6b);
    j ^= j >>> 13;
    let b = this.b ^ j;
    b = (b << 11) | (b >>> 21);
    this.b = (Math.imul(b, 0x2545f491) + 0x7f4a7c15) | 0;
  }

  /** Any safe integer (gfns up to 2^36, keys up to 2^53). */
  num(x: number): void { this.int(x >>> 0); this.int(Math.floor(x / 4294967296)); }

  bool(x: boolean): void { this.int(x ? 1 : 0); }

  str(s: string): void { this.int(s.length); for (let i = 0; i < s.length; i++) this.int(s.charCodeAt(i)); }

  /** Result of `finishInto` (no allocation). */
  ra = 0;
  rb = 0;

  /** Final avalanche; the pair is never (0, 0) (0 marks an empty slot in FingerprintSet). */
  finish(): [number, number] { this.finishInto(); return [this.ra, this.rb]; }

  finishInto(): void {
    let a = this.a, b = this.b;
    a ^= a >>> 16; a = Math.imul(a, 0x85ebca6b); a ^= a >>> 13; a = Math.imul(a, 0xc2b2ae35); a ^= a >>> 16;
    b ^= b >>> 15; b = Math.imul(b, 0x2c1b3c6d); b ^= b >>> 12; b = Math.imul(b, 0x297a2d39); b ^= b >>> 15;
    a >>>= 0; b >>>= 0;
    if (a === 0 && b === 0) a = 1;
    this.ra = a; this.rb = b;
  }
}

/** Sum of per-entry hashes: order-independent. */
export class Unordered {
  private readonly h = new Hasher();
  sa = 0;
  sb = 0;
  n = 0;
  begin(): Hasher { this.h.reset(); return this.h; }
  end(): void { this.h.finishInto(); this.sa = (this.sa + this.h.ra) | 0; this.sb = (this.sb + this.h.rb) | 0; this.n++; }
  into(h: Hasher): void { h.int(this.n); h.int(this.sa); h.int(this.sb); this.sa = 0; this.sb = 0; this.n = 0; }
}
