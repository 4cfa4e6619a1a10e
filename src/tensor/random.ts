/**
 * A seeded random-number generator: xoshiro128** (Blackman & Vigna 2018) for 32-bit words,
 * seeded through SplitMix32 so that nearby seeds give unrelated streams. Its whole state is
 * four 32-bit words, saved in checkpoints with `getState()` and restored with `setState()`.
 * Normal variates come from the Box–Muller transform, with the spare value cached (and saved).
 * @example const g = new mn.Generator(42); const x = mn.randn([3], { generator: g });
 */
export class Generator {
  private s = new Uint32Array(4);
  private spareNormal: number | null = null;
  private seedValue = 0;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Resets the stream to the one `seed` starts. */
  manualSeed(seed: number): this {
    if (!Number.isSafeInteger(seed)) throw new TypeError(`Generator.manualSeed: seed must be an integer, got ${seed}`);
    this.seedValue = seed;
    // SplitMix32 over both halves of the seed fills the state; it is never all zero.
    let x = (seed >>> 0) ^ Math.floor(seed / 4294967296);
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    this.spareNormal = null;
    return this;
  }

  initialSeed(): number {
    return this.seedValue;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal variate (Box–Muller). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [low, high), without modulo bias. */
  integer(low: number, high: number): number {
    const range = high - low;
    if (range <= 0) throw new RangeError(`Generator.integer: empty range [${low}, ${high})`);
    if (range <= 4294967296) {
      const limit = 4294967296 - (4294967296 % range);
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return low + (x % range);
    }
    return low + Math.floor(this.random() * range);
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.integer(0, i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The state as plain JSON, for checkpoints. */
  getState(): GeneratorState {
    return { seed: this.seedValue, words: Array.from(this.s), spareNormal: this.spareNormal };
  }

  setState(state: GeneratorState): this {
    if (!Array.isArray(state.words) || state.words.length !== 4) {
      throw new TypeError(`Generator.setState: state.words must hold 4 integers, got ${JSON.stringify(state.words)}`);
    }
    this.seedValue = state.seed;
    this.s.set(state.words);
    this.spareNormal = state.spareNormal;
    return this;
  }
}

export interface GeneratorState {
  seed: number;
  words: number[];
  spareNormal: number | null;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The generator every random function uses unless given its own. */
export const defaultGenerator = new Generator(0);

/**
 * Seeds the default generator, as torch.manual_seed does.
 * @example mn.manualSeed(0);
 */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
