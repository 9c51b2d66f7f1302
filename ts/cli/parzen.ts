// `npm run eval -- runs/NAME --parzen`: the Parzen-window log-likelihood of an unsupervised model (paper Sec. 3):
// decode samples from the prior, choose sigma on held-out training images (the run's validation split; a log grid,
// then a finer one around its best value), score the test set, print the mean log-likelihood in nats with its
// standard error, and write runs/NAME/parzen.json.
import { join } from 'node:path';
import { type Backend } from '../backend/backend.js';
import { type Dataset } from '../data/mnist.js';
import { type AdversarialAutoencoder } from '../models/autoencoder.js';
import { RngStream } from '../rng.js';
import { type ParzenResult, freeSamples, logGrid, parzenEvaluate, uploadSamples } from '../train/parzen.js';
import { writeFileAtomic } from '../util/atomic.js';
import { UsageError } from '../util/usage-error.js';

/** The sigma grid: 19 values spaced evenly in log from 0.05 to 0.5 (pixel values in [0, 1]). */
export const PARZEN_SIGMAS = logGrid(0.05, 0.5, 19);
/** Then 9 more, spaced evenly in log between the best grid value's two neighbours (steps of 2.6 % instead of 13.6 %). */
export const PARZEN_REFINE = 9;
/** Counter region of the prior samples, apart from every training stream (see ts/rng.ts). */
const SAMPLE_OFFSET = 2 ** 50;

export interface ParzenRun {
  be: Backend;
  model: AdversarialAutoencoder;
  dir: string;
  seed: number;
  data: { train: Dataset; test: Dataset };
  /** The run's validation rows of the training images. */
  validationRows: Int32Array;
  samples: number;
  validation: number;
  test: number;
  /** Progress output (a TTY gets one line redrawn in place). */
  out: { isTTY?: boolean; write(s: string): boolean };
}

// -> (n, inFeatures) images decoded from n draws of the model's prior, in batches of the model's batch size.
function decodePriorSamples(be: Backend, model: AdversarialAutoencoder, n: number, seed: number): Float32Array {
  const { batch: B, zDim, inFeatures } = model.config;
  const z = be.tensor([B, zDim]);
  const rng = new RngStream(seed, SAMPLE_OFFSET);
  const out = new Float32Array(n * inFeatures);
  for (let start = 0; start < n; start += B) {
    model.prior.sample(be, z, rng);
    const images = be.download(model.decodeCodes(z, undefined, rng));
    out.set(images.subarray(0, Math.min(B, n - start) * inFeatures), start * inFeatures);
  }
  be.free(z);
  return out;
}

function rowsOf(d: Dataset, rows: ArrayLike<number>, width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) out.set(d.images.subarray(rows[i]! * width, (rows[i]! + 1) * width), i * width);
  return out;
}

export function runParzen(a: ParzenRun): ParzenResult {
  const { be, model } = a;
  const { kind, inFeatures } = model.config;
  if (model.yDim > 0 || model.Q.y) throw new UsageError(`--parzen needs an unsupervised model (P decodes z alone); ${a.dir} holds a ${kind} model`);
  if (a.validationRows.length === 0) throw new UsageError(`--parzen chooses sigma on the run's validation images, and ${a.dir} holds none out (it was trained with --validation=0)`);
  const validationRows = a.validationRows.subarray(0, a.validation);
  const testRows = Int32Array.from({ length: Math.min(a.test, a.data.test.n) }, (_, i) => i);
  let phase = '';
  let lastShown = -1;
  const show = (done: number, total: number) => {
    const pct = Math.floor((100 * done) / total);
    const bar = '#'.repeat(Math.round(pct / 5)).padEnd(20, '.');
    if (a.out.isTTY) a.out.write(`\r\x1b[2Kparzen: ${phase} [${bar}] ${done}/${total} images${done === total ? '\n' : ''}`);
    else if (Math.floor(pct / 25) !== lastShown || done === total) a.out.write(`parzen: ${phase} ${done}/${total} images\n`);
    lastShown = Math.floor(pct / 25);
  };
  a.out.write(`parzen: decoding ${a.samples} samples from the ${model.prior.name} prior\n`);
  const samples = uploadSamples(be, decodePriorSamples(be, model, a.samples, a.seed), inFeatures);
  let result: ParzenResult;
  try {
    result = parzenEvaluate(be, samples, { validation: rowsOf(a.data.train, validationRows, inFeatures), test: rowsOf(a.data.test, testRows, inFeatures) }, {
      sigmas: PARZEN_SIGMAS,
      refine: PARZEN_REFINE,
      onPhase: (p, count) => {
        phase = p === 'validation' ? `choosing sigma (${count} values) on` : p === 'refine' ? `refining sigma (${count} values) on` : 'scoring';
        lastShown = -1;
      },
      onProgress: show,
    });
  } finally {
    freeSamples(be, samples);
  }
  const file = join(a.dir, 'parzen.json');
  writeFileAtomic(file, `${JSON.stringify({ samples: a.samples, validationImages: validationRows.length, ...result }, null, 2)}\n`);
  return result;
}

/** The lines eval prints for a Parzen result. */
export function formatParzen(r: ParzenResult, a: Pick<ParzenRun, 'samples'>): string[] {
  const edge = r.sigma === PARZEN_SIGMAS[0] || r.sigma === PARZEN_SIGMAS[PARZEN_SIGMAS.length - 1] ? ' (at the edge of the grid)' : '';
  return [
    `parzen sigma ${r.sigma.toFixed(4)}${edge}, chosen on the validation images (mean log-likelihood ${r.validation.find((v) => v.sigma === r.sigma)!.mean.toFixed(2)} nats)`,
    `parzen log-likelihood ${r.test.mean.toFixed(2)} ± ${r.test.standardError.toFixed(2)} nats (mean ± standard error over ${r.test.rows} test images, ${a.samples} samples)`,
  ];
}
