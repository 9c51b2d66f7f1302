// Gaussian Parzen-window log-likelihood (Makhzani et al. 2016, Sec. 3, after Goodfellow et al. 2014): a model's
// samples s_1..s_N define p(x) = (1/N) sum_j N(x; s_j, sigma^2 I), and the score of a test set is the mean of
//   log p(x) = logsumexp_j(-|x - s_j|^2 / (2 sigma^2)) - log N - (d/2) log(2 pi sigma^2),
// with sigma chosen on a validation split. The pairwise squared distances are one GEMM per chunk of rows on the
// backend, |x - s|^2 = |x|^2 + (|s|^2 - 2 x s^T): the bracket is matmul(-2x, S^T) with |s|^2 as the bias; the chunk
// is downloaded and the log-sum-exp done on the host in float64, for every sigma of the grid at once.
import { type Backend, type Tensor } from '../backend/backend.js';

export interface ParzenSamples {
  tensor: Tensor; // (N, d) samples on the backend
  norms: Tensor; // (N) |s_j|^2
  n: number;
  d: number;
}

/** Uploads samples (N * d values, row-major) with their squared norms. */
export function uploadSamples(be: Backend, samples: Float32Array, d: number): ParzenSamples {
  if (samples.length % d !== 0 || samples.length === 0) throw new RangeError(`parzen: ${samples.length} sample values is not a whole, non-zero number of ${d}-value rows`);
  const n = samples.length / d;
  const norms = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += samples[j * d + k]! ** 2;
    norms[j] = s;
  }
  return { tensor: be.tensor([n, d], samples), norms: be.tensor([n], norms), n, d };
}

export function freeSamples(be: Backend, s: ParzenSamples): void {
  be.free(s.tensor);
  be.free(s.norms);
}

export interface ParzenOptions {
  sigmas: readonly number[];
  /** Rows of x per GEMM (default 250): the chunk's (rows, N) distance matrix is what crosses to the host. */
  chunk?: number;
  /** Called after every chunk with the rows done so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** log p(x_i) for every row of x (rows * d values) and every sigma: result[s][i], in nats. */
export function parzenLogLikelihoods(be: Backend, samples: ParzenSamples, x: Float32Array, options: ParzenOptions): Float64Array[] {
  const { n: N, d } = samples;
  if (x.length % d !== 0) throw new RangeError(`parzen: ${x.length} values is not a whole number of ${d}-value rows`);
  const rows = x.length / d;
  const sigmas = options.sigmas;
  if (sigmas.length === 0 || sigmas.some((s) => !(s > 0))) throw new RangeError(`parzen: sigmas must be > 0, got [${sigmas.join(', ')}]`);
  const out = sigmas.map(() => new Float64Array(rows));
  const chunk = Math.min(options.chunk ?? 250, rows);
  const xT = be.tensor([chunk, d]); // (chunk, d) = -2 x
  const dist = be.tensor([chunk, N]); // (chunk, N) = |s|^2 - 2 x s^T
  const host = new Float32Array(chunk * d);
  const inv2s2 = sigmas.map((s) => 1 / (2 * s * s));
  const constant = sigmas.map((s) => -Math.log(N) - (d / 2) * Math.log(2 * Math.PI * s * s));
  const d2 = new Float64Array(N);
  try {
    for (let start = 0; start < rows; start += chunk) {
      const count = Math.min(chunk, rows - start);
      host.fill(0);
      for (let i = 0; i < count * d; i++) host[i] = -2 * x[start * d + i]!;
      be.upload(xT, host);
      be.matmul(xT, samples.tensor, dist, { transB: true, bias: samples.norms });
      const D = be.download(dist);
      for (let i = 0; i < count; i++) {
        let xx = 0;
        for (let k = 0; k < d; k++) xx += x[(start + i) * d + k]! ** 2;
        let min = Infinity;
        for (let j = 0; j < N; j++) {
          const v = Math.max(0, D[i * N + j]! + xx); // float32 cancellation can dip below 0
          d2[j] = v;
          if (v < min) min = v;
        }
        sigmas.forEach((_, s) => {
          const a = inv2s2[s]!;
          let sum = 0;
          for (let j = 0; j < N; j++) sum += Math.exp(-(d2[j]! - min) * a);
          out[s]![start + i] = -min * a + Math.log(sum) + constant[s]!;
        });
      }
      options.onProgress?.(start + count, rows);
    }
  } finally {
    be.free(xT);
    be.free(dist);
  }
  return out;
}

/** Mean and standard error of the mean. */
export function meanAndStandardError(v: Float64Array): { mean: number; standardError: number } {
  const n = v.length;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, standardError: Math.sqrt(variance / n) };
}

/** `count` sigmas spaced evenly in log between lo and hi (inclusive). */
export function logGrid(lo: number, hi: number, count: number): number[] {
  if (count === 1) return [lo];
  return Array.from({ length: count }, (_, i) => lo * (hi / lo) ** (i / (count - 1)));
}

export interface ParzenResult {
  sigma: number;
  /** Mean validation log-likelihood at each sigma tried (the grid and any refinement), in increasing sigma. */
  validation: { sigma: number; mean: number }[];
  test: { mean: number; standardError: number; rows: number };
}

/**
 * Chooses sigma on `validation` (best mean log-likelihood over the grid, then, with `refine`, over a finer log grid
 * of that many sigmas between the best one's two neighbours), then scores `test` at that sigma.
 */
export function parzenEvaluate(
  be: Backend,
  samples: ParzenSamples,
  data: { validation: Float32Array; test: Float32Array },
  options: ParzenOptions & { refine?: number; onPhase?: (phase: 'validation' | 'refine' | 'test', sigmas: number) => void },
): ParzenResult {
  const score = (sigmas: readonly number[]) => {
    const byScore = parzenLogLikelihoods(be, samples, data.validation, { ...options, sigmas });
    return sigmas.map((sigma, s) => ({ sigma, mean: meanAndStandardError(byScore[s]!).mean }));
  };
  const grid = [...options.sigmas].sort((a, b) => a - b);
  options.onPhase?.('validation', grid.length);
  let validation = score(grid);
  const refine = options.refine ?? 0;
  if (refine > 0) {
    const at = validation.indexOf(bestOf(validation));
    const lo = grid[Math.max(0, at - 1)]!;
    const hi = grid[Math.min(grid.length - 1, at + 1)]!;
    const fine = logGrid(lo, hi, refine + 2).slice(1, -1).filter((s) => !grid.includes(s));
    if (fine.length > 0) {
      options.onPhase?.('refine', fine.length);
      validation = [...validation, ...score(fine)].sort((a, b) => a.sigma - b.sigma);
    }
  }
  const best = bestOf(validation);
  options.onPhase?.('test', 1);
  const [test] = parzenLogLikelihoods(be, samples, data.test, { ...options, sigmas: [best.sigma] });
  return { sigma: best.sigma, validation, test: { ...meanAndStandardError(test!), rows: test!.length } };
}

function bestOf(scores: { sigma: number; mean: number }[]): { sigma: number; mean: number } {
  return scores.reduce((a, b) => (b.mean > a.mean ? b : a));
}
