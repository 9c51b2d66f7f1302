// One full training iteration (all phases) per model and backend, on random images resident on the backend.
import b from 'benny';
import { type Backend, type Tensor } from '../ts/backend/backend.js';
import { type AdversarialAutoencoder, type StepBatch } from '../ts/models/autoencoder.js';
import { type AaeConfig } from '../ts/models/config.js';
import { createModel } from '../ts/models/create.js';
import { RngStream } from '../ts/rng.js';
import { type Sampling } from './plan.js';
import { type Timing, timing } from './stats.js';

export interface IterationRow extends Timing {
  backend: string;
  /** The model kind, with its size when it is not the benchmark's 1000-unit, batch-100 model. */
  model: string;
  config: AaeConfig;
  gemmGflop: number;
  /** Parameters one iteration's Adam updates touch: every optimiser of these models steps once per iteration. */
  adamElements: number;
}

/** A model of `config` on `be`, initialised from seed 1, with one random batch (images and labels) uploaded. */
export function benchModel(be: Backend, config: AaeConfig): { model: AdversarialAutoencoder; batch: StepBatch; rng: RngStream } {
  const model = createModel(be, config, new RngStream(1));
  const rng = new RngStream(1, 2 ** 32);
  const B = config.batch;
  const x = be.tensor([B, 784]); // x: (B, 784)
  const xL = be.tensor([B, 784]);
  be.randomUniform(x, rng.take(B * 784));
  be.randomUniform(xL, rng.take(B * 784));
  const y: Tensor = be.tensor([B, Math.max(1, config.classes)]); // y: (B, classes) one-hot
  be.randomCategorical(y, rng.take(B));
  return { model, batch: { x, y, xLabeled: xL, yLabeled: y }, rng };
}

/** One iteration of `config`'s model on `be`, synchronised (the CUDA backend runs asynchronously). */
export function iterationCase(be: Backend, config: AaeConfig): { run: () => void; model: AdversarialAutoencoder } {
  const { model, batch, rng } = benchModel(be, config);
  return {
    model,
    run: () => {
      model.step(batch, rng);
      be.download(model.reconLoss);
    },
  };
}

/**
 * GEMM FLOPs of one iteration, from the layer shapes the phases run: a layer's forward, weight-gradient and
 * input-gradient GEMMs cost 2*B*in*out each; no input gradient is computed for a network's first layer unless the
 * phase needs it (the decoder feeding Q, a discriminator feeding the generator).
 */
export function iterationGemmFlops(c: AaeConfig): number {
  const B = c.batch;
  const hasY = c.kind === 'semi' || c.kind === 'cluster';
  const layers = (dims: number[]) => dims.slice(1).map((out, i) => 2 * B * dims[i]! * out);
  const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
  const q = [...layers([784, c.hidden, c.hidden]), 2 * B * c.hidden * (c.zDim + (hasY ? c.classes : 0))];
  const p = layers([c.zDim + (c.kind === 'unsupervised' ? 0 : c.classes), c.hidden, c.hidden, 784]);
  const ds = [layers([c.zDim, c.hidden, c.hidden, 1]), ...(hasY ? [layers([c.classes, c.hidden, c.hidden, 1])] : [])];
  const train = (l: number[], inputGrad: boolean) => 3 * sum(l) - (inputGrad ? 0 : l[0]!);
  const recon = train(q, false) + train(p, true);
  const disc = sum(q) + sum(ds.map((d) => 2 * train(d, false)));
  const gen = train(q, false) + sum(ds.map((d) => 2 * sum(d)));
  const xent = c.kind === 'semi' ? train(q, false) : 0;
  return recon + disc + gen + xent;
}

/** "semi", or "semi h64 b16" for a model that is not 1000 units at batch 100. */
export function modelLabel(c: AaeConfig): string {
  return c.hidden === 1000 && c.batch === 100 ? c.kind : `${c.kind} h${c.hidden} b${c.batch}`;
}

export const fileSlug = (s: string): string => s.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '');

/** One benny suite per backend: an iteration of each model config on it. */
export async function runIterationSuite(options: {
  folder: string;
  backends: { name: string; be: Backend; models: AaeConfig[] }[];
  sampling: Sampling;
  file?: string;
}): Promise<IterationRow[]> {
  const rows: IterationRow[] = [];
  for (const { name, be, models } of options.backends) {
    const cases = models.map((config) => {
      const { run, model } = iterationCase(be, config);
      const adamElements = model.optimizers().reduce((n, o) => n + o.params.reduce((m, p) => m + p.value.size, 0), 0);
      return { label: modelLabel(config), config, run, adamElements };
    });
    const file = `${options.file ?? 'iteration'}-${fileSlug(name)}`;
    const summary = await b.suite(
      `iteration ${name}`,
      ...cases.map((c) => b.add(c.label, c.run)),
      b.configure({ cases: options.sampling }),
      b.cycle(),
      b.save({ folder: options.folder, file, format: 'json', details: true }),
      b.save({ folder: options.folder, file, format: 'csv' }),
      b.save({ folder: options.folder, file, format: 'chart.html' }),
    );
    for (const r of summary.results) {
      const c = cases.find((x) => x.label === r.name)!;
      rows.push({ backend: name, model: c.label, config: c.config, ...timing(r.details), gemmGflop: iterationGemmFlops(c.config) / 1e9, adamElements: c.adamElements });
    }
  }
  return rows;
}
