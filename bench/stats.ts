// Numbers from one benny case: median and p10/p90 of its samples, in milliseconds.
export interface Timing {
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  samples: number;
}

/** benny's per-case details: each sample is seconds per call. */
export interface BennyDetails {
  median: number;
  sampleResults: number[];
}

export function timing(details: BennyDetails): Timing {
  const sorted = [...details.sampleResults].sort((a, b) => a - b);
  const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]! * 1e3;
  return { medianMs: details.median * 1e3, p10Ms: q(0.1), p90Ms: q(0.9), samples: sorted.length };
}

export const range = (t: { p10Ms: number; p90Ms: number }, digits = 1): string => `${t.p10Ms.toFixed(digits)}-${t.p90Ms.toFixed(digits)}`;
