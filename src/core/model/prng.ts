// The run's only source of randomness: mulberry32, seeded from the `seed` config.
// No Math.random anywhere in the model, so a file and a seed give the same bytes.
export class Prng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Integer in [0, n) for n up to 2^53 (two draws above 2^32). */
  below(n: number): number {
    if (n <= 0x100000000) return Math.floor((this.nextU32() / 0x100000000) * n);
    const x = this.nextU32() * 0x100000000 + this.nextU32();
    return x % n;
  }
}
