// The traits of every model kind and of the dimred model's two variants (what the trainer, eval, the CLI, the figures
// and the explorer ask of a model), defaultConfig's options, and the kinds an option is for.
import t from 'tap';
import { ReferenceBackend } from '../../ts/backend/reference.js';
import { type AaeConfig, MODEL_KINDS, defaultConfig } from '../../ts/models/config.js';
import { createModel } from '../../ts/models/create.js';
import { type ModelTraits, kindsWith, modelTraits } from '../../ts/models/traits.js';
import { RngStream } from '../../ts/rng.js';

const expected: Record<string, { config: AaeConfig; traits: ModelTraits }> = {
  semi: {
    config: defaultConfig('semi'),
    traits: {
      name: 'semi-supervised',
      classHead: true,
      decoderClassCode: true,
      decoderTakesLabels: false,
      classifierPhase: true,
      labeledSubset: true,
      needsLabels: true,
      clustering: false,
      unsupervisedVariant: false,
      categoricalAdversary: true,
      consistency: true,
      labeledReconstruction: true,
      conditionalPrior: false,
      decodesZAlone: false,
      classWord: 'digit',
      metric: 'test-error',
      figures: ['reconstructions', 'style-content', 'latent'],
      scatterPrior: true,
    },
  },
  unsupervised: {
    config: defaultConfig('unsupervised'),
    traits: {
      name: 'unsupervised',
      classHead: false,
      decoderClassCode: false,
      decoderTakesLabels: false,
      classifierPhase: false,
      labeledSubset: false,
      needsLabels: false,
      clustering: false,
      unsupervisedVariant: false,
      categoricalAdversary: false,
      consistency: false,
      labeledReconstruction: false,
      conditionalPrior: true,
      decodesZAlone: true,
      classWord: 'digit',
      metric: 'none',
      figures: ['reconstructions', 'manifold', 'latent'],
      scatterPrior: true,
    },
  },
  supervised: {
    config: defaultConfig('supervised'),
    traits: {
      name: 'supervised',
      classHead: false,
      decoderClassCode: true,
      decoderTakesLabels: true,
      classifierPhase: false,
      labeledSubset: false,
      needsLabels: true,
      clustering: false,
      unsupervisedVariant: false,
      categoricalAdversary: false,
      consistency: false,
      labeledReconstruction: false,
      conditionalPrior: false,
      decodesZAlone: false,
      classWord: 'digit',
      metric: 'none',
      figures: ['reconstructions', 'style-content', 'latent'],
      scatterPrior: true,
    },
  },
  cluster: {
    config: defaultConfig('cluster'),
    traits: {
      name: 'clustering',
      classHead: true,
      decoderClassCode: true,
      decoderTakesLabels: false,
      classifierPhase: false,
      labeledSubset: false,
      needsLabels: false,
      clustering: true,
      unsupervisedVariant: false,
      categoricalAdversary: true,
      consistency: true,
      labeledReconstruction: false,
      conditionalPrior: false,
      decodesZAlone: false,
      classWord: 'cluster',
      metric: 'cluster-accuracy',
      figures: ['reconstructions', 'style-content', 'latent'],
      scatterPrior: true,
    },
  },
  'dimred (semi-supervised)': {
    config: defaultConfig('dimred', { labels: 100 }),
    traits: {
      name: 'dimred',
      classHead: true,
      decoderClassCode: false,
      decoderTakesLabels: false,
      classifierPhase: true,
      labeledSubset: true,
      needsLabels: true,
      clustering: false,
      unsupervisedVariant: true,
      categoricalAdversary: true,
      consistency: false,
      labeledReconstruction: false,
      conditionalPrior: false,
      decodesZAlone: false,
      classWord: 'digit',
      metric: 'test-error',
      figures: ['reconstructions', 'latent'],
      scatterPrior: false,
    },
  },
  'dimred (unsupervised)': {
    config: defaultConfig('dimred', { labels: 0 }),
    traits: {
      name: 'dimred',
      classHead: true,
      decoderClassCode: false,
      decoderTakesLabels: false,
      classifierPhase: false,
      labeledSubset: false,
      needsLabels: false,
      clustering: true,
      unsupervisedVariant: true,
      categoricalAdversary: true,
      consistency: false,
      labeledReconstruction: false,
      conditionalPrior: false,
      decodesZAlone: false,
      classWord: 'cluster',
      metric: 'cluster-accuracy',
      figures: ['reconstructions', 'latent'],
      scatterPrior: false,
    },
  },
};

t.test('the traits of every model and of both dimred variants', async (t) => {
  for (const [name, { config, traits }] of Object.entries(expected)) t.same(modelTraits(config), traits, name);
  t.same(MODEL_KINDS.filter((kind) => !Object.values(expected).some((e) => e.config.kind === kind)), [], 'every kind is covered');
});

t.test('traits that follow the configuration, not only the kind', async (t) => {
  const unsupervised = defaultConfig('unsupervised');
  t.same(modelTraits({ ...unsupervised, zDim: 5, prior: { ...unsupervised.prior, dim: 5 } }).figures, ['reconstructions', 'latent'], 'no manifold figure for z > 2');
  const conditioned = modelTraits({ ...unsupervised, prior: { name: 'mixture', dim: 2 }, conditionalPrior: { classes: 10 } });
  t.same([conditioned.labeledSubset, conditioned.needsLabels], [true, true], 'a label-conditioned prior trains on a labeled subset');
});

t.test('defaultConfig: --labels picks the dimred variant, --clusters the classes of the clustering models', async (t) => {
  t.same(defaultConfig('dimred'), defaultConfig('dimred', { labels: 100 }), 'semi-supervised dimred by default');
  t.same([defaultConfig('dimred').classes, defaultConfig('dimred').dimred!.semiSupervised], [10, true], 'one class per digit');
  t.same([defaultConfig('dimred', { labels: 0 }).classes, defaultConfig('dimred', { labels: 0 }).dimred!.semiSupervised], [16, false], 'unsupervised: 16 clusters');
  t.equal(defaultConfig('dimred', { labels: 0, clusters: 30 }).classes, 30, 'unsupervised dimred with --clusters=30');
  t.equal(defaultConfig('dimred', { labels: 100, clusters: 30 }).classes, 10, 'the semi-supervised variant keeps one class per digit');
  t.equal(defaultConfig('cluster', { clusters: 30 }).classes, 30, 'clustering model with --clusters=30');
  t.equal(defaultConfig('semi', { clusters: 30 }).classes, 10, '--clusters leaves the other models alone');
});

t.test('the kinds an option is for', async (t) => {
  t.same(kindsWith((x) => x.categoricalAdversary), ['semi', 'cluster', 'dimred'], '--cat-weight');
  t.same(kindsWith((x) => x.consistency), ['semi', 'cluster'], '--vat');
  t.same(kindsWith((x) => x.labeledReconstruction), ['semi'], '--recon-labeled');
  t.same(kindsWith((x) => x.conditionalPrior), ['unsupervised'], '--prior-labels');
});

t.test('a model carries the traits of its configuration, in step with its tensors', async (t) => {
  const be = new ReferenceBackend();
  for (const [name, { config, traits }] of Object.entries(expected)) {
    const model = createModel(be, { ...config, hidden: 8, batch: 2 }, new RngStream(1));
    t.same(model.traits, traits, `${name}: model.traits`);
    t.equal(model.Q.y !== undefined, traits.classHead, `${name}: a class head exactly when classHead`);
    t.equal(model.yDim > 0, traits.decoderClassCode, `${name}: a class code in P's input exactly when decoderClassCode`);
  }
  be.dispose();
});
