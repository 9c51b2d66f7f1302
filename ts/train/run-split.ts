// A run's data as its model uses it: the labels the model needs, and the split of the training images into labeled,
// validation and unlabeled rows, a pure function of the run's settings, so that evaluation scores the validation
// images training held out.
import { DataError } from '../data/idx.js';
import { type Dataset } from '../data/mnist.js';
import { type Split, balancedSplit, fducauSplit } from '../data/splits.js';
import { type AaeConfig } from '../models/config.js';
import { modelTraits } from '../models/traits.js';

export type Protocol = 'balanced' | 'fducau';

export interface SplitOptions {
  /** Labeled training examples (balanced across classes), for a model that trains on a labeled subset. */
  labels: number;
  /** Validation examples held out of the training set. */
  validation: number;
  /** 'balanced': the split above; 'fducau': the reference code's 3000 / 10000 / 47000 split. */
  protocol: Protocol;
  seed: number;
}

/** Throws a DataError naming the missing file when the data lacks labels that the model of `config` needs. */
export function checkRunLabels(config: AaeConfig, data: { train: Pick<Dataset, 'labels'>; test: Pick<Dataset, 'labels'> }): void {
  const traits = modelTraits(config);
  if (traits.needsLabels && !data.train.labels) {
    throw new DataError(`the ${config.kind} model needs training labels, and the training data has none (give --data a train-labels file, or train an unsupervised model)`);
  }
  if (traits.decoderTakesLabels && !data.test.labels) {
    throw new DataError(`the ${config.kind} model needs test labels (its decoder takes the digit), and the test data has none (give --data a test-labels file)`);
  }
}

/** The split of `train` for a run of the model of `config` with `options`: the same in training and evaluation. */
export function runSplit(config: AaeConfig, train: Pick<Dataset, 'labels' | 'n'>, options: SplitOptions): Split {
  const { protocol, labels, validation, seed } = options;
  if (protocol === 'fducau') {
    if (!train.labels) throw new DataError('--protocol=fducau needs the training labels, and the training data has none');
    return fducauSplit(train.labels);
  }
  if (!train.labels) {
    if (validation >= train.n) throw new DataError(`--validation=${validation} holds out all ${train.n} training images; expected fewer`);
    const all = Int32Array.from({ length: train.n }, (_, i) => i);
    return { labeled: new Int32Array(0), validation: all.slice(train.n - validation), unlabeled: all.slice(0, train.n - validation) };
  }
  return balancedSplit({ labels: train.labels, nLabeled: modelTraits(config).labeledSubset ? labels : 0, nValidation: validation, seed, classes: 10 });
}
