// Evaluation: Q and P in evaluation mode (no dropout) over a set of rows of an image tensor, in batches of the
// model's batch size (the last batch is padded by repeating its last row; padded results are ignored).
import { type Backend, type Tensor } from '../backend/backend.js';
import { type AdversarialAutoencoder } from '../models/autoencoder.js';
import { RngStream } from '../rng.js';

export class Evaluator {
  readonly #indices: Tensor; // (B)
  readonly #x: Tensor; // (B, inFeatures)
  readonly #y: Tensor | undefined; // (B, classes) labels for the supervised decoder
  readonly #loss: Tensor; // (1)
  readonly #host: Float32Array; // (B)
  /** Evaluation draws no random numbers (no dropout); the stream only satisfies the layer signatures. */
  readonly #rng = new RngStream(0);

  constructor(
    private readonly be: Backend,
    private readonly model: AdversarialAutoencoder,
  ) {
    const { batch, inFeatures, classes } = model.config;
    this.#indices = be.tensor([batch]);
    this.#x = be.tensor([batch, inFeatures]);
    this.#y = classes > 0 ? be.tensor([batch, classes]) : undefined;
    this.#loss = be.tensor([1]);
    this.#host = new Float32Array(batch);
  }

  /** Calls fn(count, start) after gathering each batch of `rows` of images (and one-hot labels) into #x (#y). */
  #batches(images: Tensor, rows: Int32Array, labels: Tensor | undefined, fn: (count: number, start: number) => void): void {
    const B = this.#host.length;
    for (let start = 0; start < rows.length; start += B) {
      const count = Math.min(B, rows.length - start);
      for (let i = 0; i < B; i++) this.#host[i] = rows[start + Math.min(i, count - 1)]!;
      this.be.upload(this.#indices, this.#host);
      this.be.gatherRows(images, this.#indices, this.#x);
      if (labels && this.#y) this.be.gatherRows(labels, this.#indices, this.#y);
      fn(count, start);
    }
  }

  /** argmax of Q's class head for each row: (rows.length). */
  predict(images: Tensor, rows: Int32Array): Uint8Array {
    if (!this.model.Q.y) throw new Error(`predict: the ${this.model.config.kind} model has no class head`);
    const classes = this.model.config.classes;
    const out = new Uint8Array(rows.length);
    this.#batches(images, rows, undefined, (count, start) => {
      this.model.encode(this.#x, this.#rng);
      const y = this.be.download(this.model.Q.y!);
      for (let i = 0; i < count; i++) out[start + i] = argmax(y, i * classes, classes);
    });
    return out;
  }

  /** Q's style codes z for each row: (rows.length, zDim). */
  codes(images: Tensor, rows: Int32Array): Float32Array {
    const zDim = this.model.config.zDim;
    const out = new Float32Array(rows.length * zDim);
    this.#batches(images, rows, undefined, (count, start) => {
      this.model.encode(this.#x, this.#rng);
      out.set(this.be.download(this.model.Q.z).subarray(0, count * zDim), start * zDim);
    });
    return out;
  }

  /** Mean binary cross-entropy of the evaluation-mode reconstruction over the rows (labels for a decoder that takes them). */
  reconstructionLoss(images: Tensor, rows: Int32Array, labels?: Tensor): number {
    const needsLabels = this.model.traits.decoderTakesLabels;
    if (needsLabels && !labels) throw new Error(`reconstructionLoss: the ${this.model.config.kind} model's decoder takes the one-hot labels, and none were given`);
    let total = 0;
    this.#batches(images, rows, needsLabels ? labels : undefined, (count) => {
      const xHat = this.model.reconstruct(this.#x, this.#rng, needsLabels ? this.#y : undefined);
      if (count === this.#host.length) {
        this.be.bceWithSigmoid(xHat, this.#x, this.#loss);
        total += this.be.download(this.#loss)[0]! * count;
      } else {
        total += partialBce(this.be.download(xHat), this.be.download(this.#x), count * this.model.config.inFeatures);
      }
    });
    return total / rows.length;
  }
}

function argmax(v: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (v[offset + j]! > v[offset + best]!) best = j;
  return best;
}

/** Mean BCE (eps 1e-15) of the first n elements, for the padded last batch, as the backend's op computes it. */
function partialBce(y: Float32Array, t: Float32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += t[i]! * Math.log(y[i]! + 1e-15) + (1 - t[i]!) * Math.log(1 - y[i]! + 1e-15);
  return -s / n;
}

/** Fraction of rows whose prediction differs from the label. */
export function errorRate(predictions: Uint8Array, labels: ArrayLike<number>, rows: Int32Array): number {
  let wrong = 0;
  for (let i = 0; i < rows.length; i++) if (predictions[i] !== labels[rows[i]!]) wrong++;
  return wrong / rows.length;
}

/**
 * counts[label][prediction]: how many rows with each true label got each prediction; predictions[i] is row rows[i]'s,
 * labels in [0, labelCount), predictions in [0, predictedCount) (classes, or clusters of a clustering model).
 */
export function confusionMatrix(predictions: Uint8Array, labels: ArrayLike<number>, rows: Int32Array, options: { labelCount: number; predictedCount: number }): number[][] {
  const counts = Array.from({ length: options.labelCount }, () => new Array<number>(options.predictedCount).fill(0));
  for (let i = 0; i < rows.length; i++) {
    const label = labels[rows[i]!]!;
    const predicted = predictions[i]!;
    if (!(label < options.labelCount) || !(predicted < options.predictedCount)) {
      throw new RangeError(`confusionMatrix: row ${rows[i]} has label ${label} and prediction ${predicted}; expected < ${options.labelCount} and < ${options.predictedCount}`);
    }
    counts[label]![predicted]!++;
  }
  return counts;
}

/**
 * Unsupervised clustering accuracy (paper Sec. 6): each cluster is assigned the most frequent label among the
 * training rows it holds; accuracy is then measured on the test rows with that assignment.
 */
export function clusterAccuracy(options: {
  k: number;
  trainClusters: Uint8Array;
  trainLabels: ArrayLike<number>; // labels of the training rows, aligned with trainClusters
  testClusters: Uint8Array;
  testLabels: ArrayLike<number>; // aligned with testClusters
  classes?: number;
}): { accuracy: number; assignment: number[] } {
  const classes = options.classes ?? 10;
  const counts = Array.from({ length: options.k }, () => new Array<number>(classes).fill(0));
  options.trainClusters.forEach((c, i) => counts[c]![options.trainLabels[i]!]!++);
  const assignment = counts.map((row) => row.indexOf(Math.max(...row)));
  let right = 0;
  options.testClusters.forEach((c, i) => {
    if (assignment[c] === options.testLabels[i]) right++;
  });
  return { accuracy: right / options.testClusters.length, assignment };
}
