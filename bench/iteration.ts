// One full training iteration (all phases, batch 100, 1000-unit nets) per model, on random images.
import b from 'benny';
import { type Backend } from '../ts/backend/backend.js';
import { type AdversarialAutoencoder } from '../ts/models/autoencoder.js';
import { type ModelKind, defaultConfig } from '../ts/models/config.js';
import { createModel } from '../ts/models/create.js';
import { RngStream } from '../ts/rng.js';

export interface IterationRow {
  config: string;
  model: ModelKind;
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  gemmGflop: number;
}

/** Builds a model with random batches on `be`; returns a function running one iteration. */
export function iterationCase(be: Backend, kind: ModelKind): { run: () => void; model: AdversarialAutoencoder } {
  const config = defaultConfig(kind);
  const model = createModel(be, config, new RngStream(1));
  const rng = new RngStream(1, 2 ** 32);
  const B = config.batch;
  const x = be.tensor([B, 784]);
  const xL = be.tensor([B, 784]);
  be.randomUniform(x, rng.take(B * 784));
  be.randomUniform(xL, rng.take(B * 784));
  const y = be.tensor([B, Math.max(1, config.classes)]);
  be.randomCategorical(y, rng.take(B));
  const batch = { x, y, xLabeled: xL, yLabeled: y };
  return {
    model,
    run: () => {
      model.step(batch, rng);
      be.download(model.reconLoss); // synchronise (the CUDA backend runs asynchronously)
    },
  };
}

/**
 * GEMM FLOPs of one iteration, from the layer shapes the phases run: a layer's forward, weight-gradient and
 * input-gradient GEMMs cost 2*B*in*out each; no input gradient is computed for a network's first layer unless the
 * phase needs it (the decoder feeding Q, a discriminator feeding the generator).
 */
export function iterationGemmFlops(kind: ModelKind): number {
  const c = defaultConfig(kind);
  const B = c.batch;
  const hasY = kind === 'semi' || kind === 'cluster';
  const layers = (dims: number[]) => dims.slice(1).map((out, i) => 2 * B * dims[i]! * out);
  const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
  const q = [...layers([784, c.hidden, c.hidden]), 2 * B * c.hidden * (c.zDim + (hasY ? c.classes : 0))];
  const p = layers([c.zDim + (kind === 'unsupervised' ? 0 : c.classes), c.hidden, c.hidden, 784]);
  const ds = [layers([c.zDim, c.hidden, c.hidden, 1]), ...(hasY ? [layers([c.classes, c.hidden, c.hidden, 1])] : [])];
  const train = (l: number[], inputGrad: boolean) => 3 * sum(l) - (inputGrad ? 0 : l[0]!);
  const recon = train(q, false) + train(p, true);
  const disc = sum(q) + sum(ds.map((d) => 2 * train(d, false)));
  const gen = train(q, false) + sum(ds.map((d) => 2 * sum(d)));
  const xent = kind === 'semi' ? train(q, false) : 0;
  return recon + disc + gen + xent;
}

export async function runIterationSuite(folder: string, backends: { name: string; be: Backend }[], kinds: ModelKind[]): Promise<IterationRow[]> {
  const rows: IterationRow[] = [];
  for (const { name, be } of backends) {
    const cases = kinds.map((kind) => {
      const { run } = iterationCase(be, kind);
      return b.add(`${kind}`, run);
    });
    const summary = await b.suite(
      `iteration ${name}`,
      ...cases,
      b.configure({ cases: { minSamples: 15, maxTime: 4 } }),
      b.cycle(),
      b.save({ folder, file: `iteration-${name.replace(/\s+/g, '-')}`, format: 'json', details: true }),
      b.save({ folder, file: `iteration-${name.replace(/\s+/g, '-')}`, format: 'chart.html' }),
    );
    for (const r of summary.results) {
      const sorted = [...r.details.sampleResults].sort((a, c) => a - c);
      const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]! * 1e3;
      rows.push({ config: name, model: r.name as ModelKind, medianMs: r.details.median * 1e3, p10Ms: q(0.1), p90Ms: q(0.9), gemmGflop: iterationGemmFlops(r.name as ModelKind) / 1e9 });
    }
  }
  return rows;
}
