// Scoring as npm run eval does it (the model alone, the images it is scored on uploaded apart from any trainer)
// gives the trainer's scores and confusion matrix, for every kind of measure; the run's split is the trainer's.
import t from 'tap';
import { WasmBackend } from '../../ts/backend/wasm/wasm-backend.js';
import { type AaeConfig, defaultConfig } from '../../ts/models/config.js';
import { runSplit } from '../../ts/train/run-split.js';
import { Scorer, uploadScoringData } from '../../ts/train/scoring.js';
import { Trainer } from '../../ts/train/trainer.js';
import { mnistSubset } from '../helpers/mnist-subset.js';

const data = mnistSubset(1000, 150);
const small = (config: AaeConfig): AaeConfig => ({ ...config, hidden: 32, batch: 50 });

const runs: { name: string; config: AaeConfig; validation: number }[] = [
  { name: 'semi (test error)', config: small(defaultConfig('semi')), validation: 130 },
  { name: 'semi without validation images (test error only)', config: small(defaultConfig('semi')), validation: 0 },
  { name: 'cluster (cluster accuracy)', config: small(defaultConfig('cluster', { clusters: 6 })), validation: 130 },
  { name: 'cluster without validation images', config: small(defaultConfig('cluster')), validation: 0 },
  { name: 'dimred with --labels=0 (cluster accuracy)', config: small(defaultConfig('dimred', { labels: 0 })), validation: 130 },
  { name: 'supervised (a decoder that takes labels)', config: small(defaultConfig('supervised')), validation: 130 },
  { name: 'unsupervised (reconstruction only)', config: small(defaultConfig('unsupervised')), validation: 130 },
];

t.test('a model scored on its own uploads scores as the trainer does', async (t) => {
  const be = await WasmBackend.create({ threads: 1 });
  t.teardown(() => be.dispose());
  for (const { name, config, validation } of runs) {
    const options = { config, epochs: 1, seed: 5, labels: 100, validation, protocol: 'balanced' as const, maxStepsPerEpoch: 6 };
    const trainer = new Trainer(be, data, options);
    trainer.run();
    const split = runSplit(config, data.train, options);
    t.same(split, trainer.split, `${name}: the trainer's split`);
    const scorer = new Scorer(be, trainer.model, uploadScoringData(be, trainer.model, data, split));
    const scores = scorer.scores();
    t.same(scores, trainer.evaluate(), `${name}: the same scores`);
    t.same(Object.keys(scores).sort(), expectedKeys(trainer.model.traits.metric, validation), `${name}: the model's measures`);
    if (trainer.model.traits.classHead) t.same(scorer.testConfusion(), trainer.testConfusion(), `${name}: the same confusion matrix`);
  }
});

/** The measures of a model with `metric`, sorted. */
function expectedKeys(metric: string, validation: number): string[] {
  if (metric === 'test-error') return validation > 0 ? ['testError', 'testRecon', 'validationError'] : ['testError', 'testRecon'];
  const recon = validation > 0 ? ['testRecon', 'validationRecon'] : ['testRecon'];
  return metric === 'cluster-accuracy' ? ['clusterAccuracy', ...recon].sort() : recon;
}
