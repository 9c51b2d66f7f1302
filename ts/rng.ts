// Philox4x32-10 (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3"), the counter-based generator
// of Random123, cuRAND and PyTorch's CUDA backend. The same layout is implemented in asm/philox.ts and
// native/src/philox.cuh; every backend draws the same numbers for the same (seed, offset).
//
// Layout (shared by all backends):
// - key   = (seed mod 2^32, floor(seed / 2^32));  counter c -> (c mod 2^32, floor(c / 2^32), 0, 0).
// - An op over n elements uses counters offset .. offset + ceil(n/4) - 1: element i takes word (i mod 4) of
//   counter offset + floor(i / 4). A random op therefore consumes `countersFor(n)` counters.
// - uniform: u = (word >>> 8) * 2^-24 in [0, 1) (24-bit mantissa); value = low + (high - low) * u.
// - normal: words (x0, x1) and (x2, x3) of a counter are two Box-Muller pairs: u1 = ((x0 >>> 8) + 1) * 2^-24 in
//   (0, 1], u2 = (x1 >>> 8) * 2^-24, r = sqrt(-2 ln u1); elements 4c, 4c+1 = r cos(2 pi u2), r sin(2 pi u2).
// - dropout: keep element iff (word >>> 8) >= round(p * 2^24): exact integer comparison on every backend.
// - categorical over K classes: row i takes word (i mod 4) of counter offset + floor(i/4); class = floor((word >>> 8) * K / 2^24).
// - translation by up to N pixels: row i takes words 2i (dx) and 2i + 1 (dy) of the stream; each shift =
//   categoryOf(word, 2N + 1) - N.
// All arithmetic after the integer draw is done in float64 and rounded to float32 once.
//
// Counter regions of a training run (every stream keyed by the run's seed), so no two uses ever share numbers:
//   [0, 2^32)               parameter initialisation            (models/create.ts)
//   [2^32, 2^40)            the training phases: dropout, priors (train/trainer.ts)
//   s * 2^40 + e * 2^24     batch order of stream s, epoch e    (data/loader.ts; s = 1 unlabeled, 2 labeled)
//   2^48 + c * 2^24         the labeled/validation split, class c (data/splits.ts)

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO32 = 4294967296;

/** (hi, lo) 32-bit halves of the 64-bit product a*b of two uint32 values. */
function mulhilo(a: number, b: number, out: Uint32Array, hiIndex: number, loIndex: number): void {
  // Split b into 16-bit halves so every partial product stays below 2^53.
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const lo = a * bl; // < 2^48
  const hi = a * bh; // < 2^48
  // full = hi * 2^16 + lo
  const loLow = lo % TWO32;
  const mid = (hi % 65536) * 65536 + loLow; // < 2^49
  out[loIndex] = mid % TWO32;
  out[hiIndex] = Math.floor(hi / 65536) + Math.floor(lo / TWO32) + Math.floor(mid / TWO32);
}

/**
 * Philox4x32-10 block: writes the four output words for counter (c0..c3) and key (k0, k1) into out.
 * Pure function of its inputs; `out` is the only thing written.
 */
export function philox4x32(ctr: ArrayLike<number>, key: ArrayLike<number>, out: Uint32Array): Uint32Array {
  let c0 = ctr[0]! >>> 0;
  let c1 = ctr[1]! >>> 0;
  let c2 = ctr[2]! >>> 0;
  let c3 = ctr[3]! >>> 0;
  let k0 = key[0]! >>> 0;
  let k1 = key[1]! >>> 0;
  const p = new Uint32Array(4);
  for (let round = 0; round < 10; round++) {
    mulhilo(M0, c0, p, 0, 1); // p0 = hi0, p1 = lo0
    mulhilo(M1, c2, p, 2, 3); // p2 = hi1, p3 = lo1
    const n0 = (p[2]! ^ c1 ^ k0) >>> 0;
    const n1 = p[3]!;
    const n2 = (p[0]! ^ c3 ^ k1) >>> 0;
    const n3 = p[1]!;
    c0 = n0;
    c1 = n1;
    c2 = n2;
    c3 = n3;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

/** Number of Philox counters an op over n elements consumes. */
export function countersFor(n: number): number {
  return Math.ceil(n / 4);
}

/** The key words for a seed (a non-negative safe integer). */
export function philoxKey(seed: number): [number, number] {
  return [seed % TWO32, Math.floor(seed / TWO32)];
}

/** Calls fn(i, word) for the n raw 32-bit words of the stream (seed, offset), element i = word index i. */
export function forEachWord(seed: number, offset: number, n: number, fn: (i: number, word: number, block: Uint32Array) => void): void {
  const key = philoxKey(seed);
  const ctr = [0, 0, 0, 0];
  const block = new Uint32Array(4);
  for (let c = 0; c * 4 < n; c++) {
    const counter = offset + c;
    ctr[0] = counter % TWO32;
    ctr[1] = Math.floor(counter / TWO32);
    philox4x32(ctr, key, block);
    for (let w = 0; w < 4 && c * 4 + w < n; w++) fn(c * 4 + w, block[w]!, block);
  }
}

const INV24 = 1 / 16777216;

/** n float64 uniforms in [0, 1) with 24-bit resolution. */
export function uniforms(seed: number, offset: number, n: number): Float64Array {
  const out = new Float64Array(n);
  forEachWord(seed, offset, n, (i, w) => {
    out[i] = (w >>> 8) * INV24;
  });
  return out;
}

/** n float64 standard normals (Box-Muller pairs, see the layout above). */
export function normals(seed: number, offset: number, n: number): Float64Array {
  const out = new Float64Array(n);
  forEachWord(seed, offset, n, (i, _w, block) => {
    const pair = (i & 2) === 0 ? 0 : 2;
    const u1 = ((block[pair]! >>> 8) + 1) * INV24;
    const u2 = (block[pair + 1]! >>> 8) * INV24;
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    out[i] = (i & 1) === 0 ? r * Math.cos(theta) : r * Math.sin(theta);
  });
  return out;
}

/** Dropout keep threshold on the 24-bit draw: keep iff (word >>> 8) >= dropThreshold(p). */
export function dropThreshold(p: number): number {
  return Math.round(p * 16777216);
}

/** The value dropout's mask holds for a kept element (inverted dropout): 1 / (1 - p), rounded to f32. */
export function dropScale(p: number): number {
  return Math.fround(1 / (1 - p));
}

/** Class index in [0, K) from a raw word. */
export function categoryOf(word: number, K: number): number {
  return Math.floor(((word >>> 8) * K) / 16777216);
}

/** The (dx, dy) shifts of `rows` images translated by up to maxShift pixels: [dx0, dy0, dx1, dy1, ...]. */
export function translationShifts(seed: number, offset: number, rows: number, maxShift: number): Int32Array {
  const out = new Int32Array(2 * rows);
  forEachWord(seed, offset, 2 * rows, (i, word) => {
    out[i] = categoryOf(word, 2 * maxShift + 1) - maxShift;
  });
  return out;
}

/**
 * A seeded stream of Philox offsets: each random op takes the counters it needs, so successive ops never reuse
 * numbers and a run is reproducible from (seed, offset). Owned by whoever draws (a trainer, a test).
 */
export class RngStream {
  constructor(
    readonly seed: number,
    public offset = 0,
  ) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
  }

  /** Reserves the counters for an op over n elements and returns the options to pass to the backend. */
  take(n: number): { seed: number; offset: number } {
    const offset = this.offset;
    this.offset += countersFor(n);
    return { seed: this.seed, offset };
  }
}
