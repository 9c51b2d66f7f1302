// Deterministic inputs and tolerance comparison for checks that compare backends: the tests and `gpu:verify`
// (which runs from dist/ alone, so this lives with the library rather than in test/).

/** Deterministic floats in [lo, hi) from a small LCG (identical on every machine, independent of Math.random). */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * (s >>> 8)) / 16777216;
  }
  return out;
}

/** First index where |a - b| > atol + rtol * |b| (b is the reference), with the values, or null when all agree. */
export function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number): string | null {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) return `index ${i}: got ${x}, reference ${y}`;
  }
  return null;
}
