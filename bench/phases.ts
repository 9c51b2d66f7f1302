// The semi-supervised iteration split into its four phases, each timed as its own benny case through the model's
// phase methods (ts/models/semisupervised.ts, clustering.ts, autoencoder.ts), beside the whole iteration.
// Each case ends with a download of its loss: the synchronisation point on an asynchronous (CUDA) backend.
import b from 'benny';
import { type Backend } from '../ts/backend/backend.js';
import { type AaeConfig } from '../ts/models/config.js';
import { type SemiSupervisedAAE } from '../ts/models/semisupervised.js';
import { benchModel, fileSlug } from './iteration.js';
import { type Sampling } from './plan.js';
import { type Timing, timing } from './stats.js';

export const PHASES = ['reconstruction', 'discriminators', 'generator', 'cross-entropy', 'whole iteration'] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseRow extends Timing {
  backend: string;
  phase: Phase;
}

export async function runPhaseSuite(options: { folder: string; name: string; be: Backend; config: AaeConfig; sampling: Sampling }): Promise<PhaseRow[]> {
  const { be, config } = options;
  if (config.kind !== 'semi') throw new Error(`runPhaseSuite: the phase breakdown is of the semi-supervised model, got ${config.kind}`);
  const { model: aae, batch, rng } = benchModel(be, config);
  const model = aae as SemiSupervisedAAE;
  const x = batch.x;
  const run: Record<Phase, () => void> = {
    reconstruction: () => {
      model.reconstructionGradients(x, rng);
      model.P_decoder.update();
      model.Q_encoder.update();
      be.download(model.reconLoss);
    },
    // ClusteringAAE.regularisationPhases up to the generator, with the default config (Q's input is x itself):
    // Q's codes in evaluation mode are the "fake" samples, prior samples the "real" ones.
    discriminators: () => {
      model.Q.forward(x, false, rng);
      be.randomCategorical(model.realCat, rng.take(config.batch));
      model.prior.sample(be, model.realGauss, rng);
      model.D_cat.discriminatorStep(model.realCat, model.Q.y!, rng);
      model.D_gauss.discriminatorStep(model.realGauss, model.Q.z, rng);
      be.download(model.D_gauss.discriminatorLoss);
    },
    generator: () => {
      model.generatorGradients(x, rng);
      model.Q_generator.update();
      be.download(model.D_gauss.generatorLoss);
    },
    'cross-entropy': () => {
      model.classifierGradients(batch.xLabeled!, batch.yLabeled!, rng);
      model.Q_semi_supervised.update();
      be.download(model.crossEntropy);
    },
    'whole iteration': () => {
      model.step(batch, rng);
      be.download(model.reconLoss);
    },
  };
  const file = `phases-${fileSlug(options.name)}`;
  const summary = await b.suite(
    `semi-supervised phases ${options.name}`,
    ...PHASES.map((p) => b.add(p, run[p])),
    b.configure({ cases: options.sampling }),
    b.cycle(),
    b.save({ folder: options.folder, file, format: 'json', details: true }),
    b.save({ folder: options.folder, file, format: 'csv' }),
    b.save({ folder: options.folder, file, format: 'chart.html' }),
  );
  return summary.results.map((r) => ({ backend: options.name, phase: r.name as Phase, ...timing(r.details) }));
}
