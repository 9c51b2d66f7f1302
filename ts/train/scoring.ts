// Scoring a model: the test reconstruction loss; the validation and test error of a model with a classifier phase,
// the cluster accuracy of a clustering model, the validation reconstruction loss of the others; and the test
// confusion matrix of a model with a class head. The trainer scores after every epoch on the data it holds, npm run
// eval on the images it uploads for this alone.
import { type Backend, type Tensor } from '../backend/backend.js';
import { onehot } from '../data/loader.js';
import { type Dataset } from '../data/mnist.js';
import { withLazyImages } from '../data/pixels.js';
import { type Split } from '../data/splits.js';
import { type AdversarialAutoencoder } from '../models/autoencoder.js';
import { Evaluator, clusterAccuracy, confusionMatrix, errorRate } from './evaluate.js';

/** The measures of one scoring; which are present depends on the model and on the data's labels. */
export interface Scores {
  testRecon: number;
  /** Reconstruction loss on the validation images, for the models without a classifier (what picks their best checkpoint). */
  validationRecon?: number;
  validationError?: number;
  testError?: number;
  clusterAccuracy?: number;
}

/** Images on the backend and the rows of them that a measure covers. */
export interface ScoringRows {
  /** (n, inFeatures) images. */
  images: Tensor;
  /** (n, classes) one-hot labels: needed by a decoder that takes labels, absent when the data has none. */
  onehot: Tensor | undefined;
  /** (n) labels on the host, when the data has them. */
  labels: Uint8Array | undefined;
  /** The rows scored. */
  rows: Int32Array;
}

export interface ScoringData {
  test: ScoringRows;
  /** The run's validation images, held out of training (no rows when it held none out). */
  validation: ScoringRows;
  /** A clustering model's unlabeled training images, whose labels name each cluster's class; absent for other models. */
  clusterTraining: ScoringRows | undefined;
}

export class Scorer {
  readonly #evaluator: Evaluator;

  constructor(
    be: Backend,
    readonly model: AdversarialAutoencoder,
    readonly data: ScoringData,
  ) {
    this.#evaluator = new Evaluator(be, model);
  }

  /** Test reconstruction loss, and the model's accuracy measure: semi-supervised error or cluster accuracy. */
  scores(): Scores {
    const ev = this.#evaluator;
    const { test, validation, clusterTraining } = this.data;
    const { classifierPhase } = this.model.traits;
    const out: Scores = { testRecon: ev.reconstructionLoss(test.images, test.rows, test.onehot) };
    if (!classifierPhase && validation.rows.length > 0) {
      out.validationRecon = ev.reconstructionLoss(validation.images, validation.rows, validation.onehot);
    }
    if (classifierPhase && test.labels) {
      // A run that holds no validation images out has no validation error (its best checkpoint goes by test recon).
      if (validation.labels && validation.rows.length > 0) {
        out.validationError = errorRate(ev.predict(validation.images, validation.rows), validation.labels, validation.rows);
      }
      out.testError = errorRate(ev.predict(test.images, test.rows), test.labels, test.rows);
    }
    if (clusterTraining?.labels && test.labels) {
      const trainLabels = clusterTraining.labels;
      const testLabels = test.labels;
      const result = clusterAccuracy({
        k: this.model.config.classes,
        trainClusters: ev.predict(clusterTraining.images, clusterTraining.rows),
        trainLabels: Array.from(clusterTraining.rows, (r) => trainLabels[r]!),
        testClusters: ev.predict(test.images, test.rows),
        testLabels: Array.from(test.rows, (r) => testLabels[r]!),
      });
      out.clusterAccuracy = result.accuracy;
    }
    return out;
  }

  /** The test-set confusion matrix of a model with a class head: counts[true digit][predicted class or cluster]. */
  testConfusion(): number[][] {
    const { labels, images, rows } = this.data.test;
    if (!labels || !this.model.Q.y) throw new Error(`testConfusion: needs test labels and a model with a class head (this is a ${this.model.config.kind} model)`);
    const predictions = this.#evaluator.predict(images, rows);
    let labelCount = 0;
    for (const r of rows) labelCount = Math.max(labelCount, labels[r]! + 1);
    return confusionMatrix(predictions, labels, rows, { labelCount, predictedCount: this.model.config.classes });
  }
}

/** Options of the rows uploaded for scoring: the model's image size and classes, and whether its decoder takes labels. */
interface UploadOptions {
  inFeatures: number;
  classes: number;
  withOnehot: boolean;
}

/** The images of a data set, or of some of its rows: as bytes when the source holds them, else as float32. */
type ImageRows = Pick<Dataset, 'n' | 'images' | 'pixels' | 'labels'>;

/**
 * d's images on `be`: (n, inFeatures), a uint8 pixel tensor when d holds bytes (a quarter of the memory, and the
 * float32 images are never computed on the host), else float32. gatherRows reads either into the same float32 batch.
 */
export function uploadDatasetImages(be: Backend, d: Pick<ImageRows, 'n' | 'images' | 'pixels'>, inFeatures: number): Tensor {
  return d.pixels ? be.pixels([d.n, inFeatures], d.pixels) : be.tensor([d.n, inFeatures], d.images);
}

/** The images (n, inFeatures) of d and their labels uploaded to `be`, every row scored; one-hot labels when options.withOnehot. */
function uploadImages(be: Backend, d: ImageRows, options: UploadOptions): ScoringRows {
  const { inFeatures, classes } = options;
  const { n, labels } = d;
  return {
    images: uploadDatasetImages(be, d, inFeatures),
    onehot: labels && options.withOnehot ? be.tensor([n, classes], onehot(labels, classes)) : undefined,
    labels,
    rows: Int32Array.from({ length: n }, (_, i) => i),
  };
}

/** Rows `kept` of d (in that order), bytes copied from bytes and float32 from float32. */
function keptRows(d: ImageRows, kept: Int32Array, width: number): ImageRows {
  const labels = d.labels && Uint8Array.from(kept, (r) => d.labels![r]!);
  const copy = <A extends Uint8Array | Float32Array>(from: A, to: A): A => {
    kept.forEach((r, i) => to.set(from.subarray(r * width, (r + 1) * width), i * width));
    return to;
  };
  const n = kept.length;
  if (d.pixels) return withLazyImages({ n, labels, pixels: copy(d.pixels, new Uint8Array(n * width)) });
  return { n, labels, images: copy(d.images, new Float32Array(n * width)) };
}

/**
 * Rows of `d` for each of `sets`, uploaded to `be` once: every image of `d` when the sets cover them all (no copy
 * on the host), else the rows they cover, in order; each set's rows then point into that one tensor.
 */
function uploadRowSets(be: Backend, d: Dataset, sets: Int32Array[], options: UploadOptions): ScoringRows[] {
  const width = options.inFeatures;
  const covered = new Uint8Array(d.n);
  for (const rows of sets) for (const r of rows) covered[r] = 1;
  const kept = Int32Array.from({ length: d.n }, (_, r) => r).filter((r) => covered[r] === 1);
  if (kept.length === d.n) {
    const all = uploadImages(be, d, options);
    return sets.map((rows) => ({ ...all, rows }));
  }
  const position = new Int32Array(d.n);
  kept.forEach((r, i) => (position[r] = i));
  const uploaded = uploadImages(be, keptRows(d, kept, width), options);
  return sets.map((rows) => ({ ...uploaded, rows: rows.map((r) => position[r]!) }));
}

/**
 * Uploads what scoring `model` needs of a run's data: the test images, the validation rows of `split`, and for a
 * clustering model with labeled data the unlabeled rows whose labels name the clusters; one-hot labels only for a
 * decoder that takes them.
 */
export function uploadScoringData(be: Backend, model: AdversarialAutoencoder, data: { train: Dataset; test: Dataset }, split: Split): ScoringData {
  const { inFeatures, classes } = model.config;
  const options = { inFeatures, classes, withOnehot: model.traits.decoderTakesLabels };
  const { train, test } = data;
  const clusterRows = model.traits.clustering && train.labels !== undefined && test.labels !== undefined;
  const [validation, clusterTraining] = uploadRowSets(be, train, clusterRows ? [split.validation, split.unlabeled] : [split.validation], options);
  return { test: uploadImages(be, test, options), validation: validation!, clusterTraining };
}
