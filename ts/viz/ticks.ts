// Axis ticks: "nice" values (1, 2 or 5 times a power of ten) spanning the data, the axis widened to the outer ticks,
// and labels with one number of decimals per axis, enough for the step: 0, 0.5, 1, 1.5 (never 2.18e-8 for what is 0).
export interface Ticks {
  /** The axis range: from the first tick to the last, both covering the data. */
  min: number;
  max: number;
  step: number;
  values: number[];
  labels: string[];
}

/** The step of ticks over [lo, hi] closest to `count` intervals, 1, 2 or 5 times a power of ten (as d3 picks). */
function niceStep(span: number, count: number): { mantissa: number; exponent: number } {
  const raw = span / count;
  let exponent = Math.floor(Math.log10(raw));
  const error = raw / 10 ** exponent;
  let mantissa = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
  if (mantissa === 10) {
    mantissa = 1;
    exponent++;
  }
  return { mantissa, exponent };
}

/** k steps of mantissa x 10^exponent, computed so that 0.1 x 3 is 0.3 and not 0.30000000000000004. */
const multiple = (k: number, mantissa: number, exponent: number) => (exponent < 0 ? (k * mantissa) / 10 ** -exponent : k * mantissa * 10 ** exponent) + 0;

/**
 * Ticks over the data range [lo, hi], about `count` intervals (default 5); `integer` axes (epochs, iterations) step
 * by whole numbers. A single value gets an axis around it.
 */
export function niceTicks(lo: number, hi: number, options: { count?: number; integer?: boolean } = {}): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`niceTicks: the range must be finite, got [${lo}, ${hi}]`);
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const pad = options.integer ? 1 : Math.abs(lo) / 10 || 1;
    [lo, hi] = [lo - pad, hi + pad];
  }
  let { mantissa, exponent } = niceStep(hi - lo, options.count ?? 5);
  if (options.integer && exponent < 0) [mantissa, exponent] = [1, 0];
  const step = multiple(1, mantissa, exponent);
  // A relative slack, so that a bound equal to a tick up to rounding is that tick and adds no interval.
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const values: number[] = [];
  for (let k = first; k <= last; k++) values.push(multiple(k, mantissa, exponent));
  return { min: values[0]!, max: values[values.length - 1]!, step, values, labels: tickLabels(values, exponent) };
}

/** Labels with the decimals a step of 10^exponent needs; exponent notation for values of a million and more, or all below 0.001. */
export function tickLabels(values: number[], exponent: number): string[] {
  const largest = Math.max(...values.map(Math.abs));
  if (largest >= 1e6 || (largest < 1e-3 && largest > 0)) {
    const digits = Math.max(0, Math.min(6, Math.floor(Math.log10(largest)) - exponent));
    return values.map((v) => (v === 0 ? '0' : v.toExponential(digits)));
  }
  return values.map((v) => v.toFixed(Math.max(0, -exponent)));
}
