// The Parzen-window log-likelihood against a direct float64 computation (|x - s|^2 summed coordinate by
// coordinate, then a log-sum-exp) on a small awkward case, on the reference and the Wasm backend, with chunks that
// do not divide the rows; sigma selection on a validation split; the grid and the standard error.
import t, { type Test } from 'tap';
import { type Backend } from '../../ts/backend/backend.js';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { logGrid, meanAndStandardError, parzenEvaluate, parzenLogLikelihoods, uploadSamples } from '../../ts/train/parzen.js';
import { randomArray } from '../helpers/data.js';

const N = 37;
const D = 13;

function direct(samples: Float32Array, x: Float32Array, sigma: number): Float64Array {
  const rows = x.length / D;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const e = new Float64Array(N);
    for (let j = 0; j < N; j++) {
      let d2 = 0;
      for (let k = 0; k < D; k++) d2 += (x[i * D + k]! - samples[j * D + k]!) ** 2;
      e[j] = -d2 / (2 * sigma * sigma);
    }
    const m = Math.max(...e);
    out[i] = m + Math.log(e.reduce((a, v) => a + Math.exp(v - m), 0)) - Math.log(N) - (D / 2) * Math.log(2 * Math.PI * sigma * sigma);
  }
  return out;
}

const samples = randomArray(N * D, 11, 0, 1);
const x = randomArray(23 * D, 12, 0, 1);
const sigmas = [0.15, 0.4, 1, 2.5];

async function check(t: Pick<Test, 'ok' | 'equal' | 'same'>, be: Backend, tol: number) {
  const s = uploadSamples(be, samples, D);
  const progress: number[] = [];
  const got = parzenLogLikelihoods(be, s, x, { sigmas, chunk: 5, onProgress: (done) => progress.push(done) });
  t.same(progress, [5, 10, 15, 20, 23], 'progress after every chunk, the last one partial');
  sigmas.forEach((sigma, k) => {
    const want = direct(samples, x, sigma);
    const worst = Math.max(...want.map((w, i) => Math.abs(w - got[k]![i]!)));
    t.ok(worst <= tol, `sigma ${sigma}: worst |error| ${worst.toExponential(2)} nats <= ${tol}`);
  });
  // Validation picks the sigma with the best mean; the test score is at that sigma.
  const validation = randomArray(9 * D, 13, 0, 1);
  const r = parzenEvaluate(be, s, { validation, test: x }, { sigmas, chunk: 4 });
  const means = sigmas.map((sigma) => meanAndStandardError(direct(samples, validation, sigma)).mean);
  t.equal(r.sigma, sigmas[means.indexOf(Math.max(...means))], 'sigma with the best validation mean');
  const want = meanAndStandardError(direct(samples, x, r.sigma));
  t.ok(Math.abs(r.test.mean - want.mean) <= tol && Math.abs(r.test.standardError - want.standardError) <= tol, `test ${r.test.mean.toFixed(4)} +- ${r.test.standardError.toFixed(4)}`);
  t.equal(r.test.rows, 23);
  // Refinement: a finer grid between the best sigma's neighbours; the choice is the best of every sigma tried.
  const events: string[] = [];
  const refined = parzenEvaluate(be, s, { validation, test: x }, { sigmas: [...sigmas].reverse(), chunk: 4, refine: 3, onPhase: (p, n) => events.push(`${p} ${n}`) });
  t.same(events, ['validation 4', 'refine 3', 'test 1']);
  const tried = refined.validation.map((v) => v.sigma);
  t.equal(tried.length, 7, 'the grid and 3 refined sigmas');
  t.same(tried, [...tried].sort((a, b) => a - b), 'listed in increasing sigma');
  const at = sigmas.indexOf(r.sigma);
  const lo = sigmas[Math.max(0, at - 1)]!;
  const hi = sigmas[Math.min(sigmas.length - 1, at + 1)]!;
  t.ok(tried.filter((v) => !sigmas.includes(v)).every((v) => v > lo && v < hi), 'refined sigmas lie between the best one\'s neighbours');
  for (const v of refined.validation) {
    const direct64 = meanAndStandardError(direct(samples, validation, v.sigma)).mean;
    t.ok(Math.abs(v.mean - direct64) <= tol, `validation mean at sigma ${v.sigma.toFixed(4)}`);
  }
  t.equal(refined.sigma, bestSigma(refined.validation), 'the best of every sigma tried');
  t.ok(refined.validation.find((v) => v.sigma === refined.sigma)!.mean >= means[sigmas.indexOf(r.sigma)]! - tol, 'never worse than the grid alone');
}

const bestSigma = (v: { sigma: number; mean: number }[]) => v.reduce((a, b) => (b.mean > a.mean ? b : a)).sigma;

t.test('matches the direct float64 computation on the reference backend', async (t) => {
  await check(t, new ReferenceBackend(), 1e-4);
});

t.test('matches the direct float64 computation on the Wasm backend', async (t) => {
  const be = await WasmBackend.create({ threads: 2 });
  t.teardown(() => be.dispose());
  await check(t, be, 2e-3);
});

t.test('grid, standard error and bad input', async (t) => {
  t.same(logGrid(0.1, 10, 3).map((v) => +v.toFixed(12)), [0.1, 1, 10]);
  const v = Float64Array.of(1, 2, 3, 4);
  t.same(meanAndStandardError(v), { mean: 2.5, standardError: Math.sqrt(5 / 3 / 4) });
  const be = new ReferenceBackend();
  t.throws(() => uploadSamples(be, new Float32Array(10), 3), { message: 'parzen: 10 sample values is not a whole, non-zero number of 3-value rows' });
  t.throws(() => parzenLogLikelihoods(be, uploadSamples(be, samples, D), x, { sigmas: [0] }), { message: 'parzen: sigmas must be > 0, got [0]' });
});
