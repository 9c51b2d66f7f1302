// Batch orders: each epoch visits a set of training indices in a fresh Philox permutation, so the whole run's data
// order is fixed by the seed and can be resumed from (epoch, batch).
import { shuffle } from './splits.js';

export interface BatchOrderOptions {
  indices: Int32Array; // the set to draw from (rows of the training tensor)
  batchSize: number;
  seed: number;
  /** Distinguishes independent orders of one run (unlabeled = 1, labeled = 2). */
  stream: number;
}

/** Counters per (stream, epoch): stream s, epoch e use offsets from s * 2^40 + e * 2^24 (n <= 2^26 elements). */
const STREAM_STRIDE = 2 ** 40;
const EPOCH_STRIDE = 2 ** 24;

export class BatchOrder {
  readonly indices: Int32Array;
  readonly batchSize: number;
  readonly seed: number;
  readonly stream: number;
  /** Full batches per epoch (the last partial batch is dropped); sets smaller than a batch are cycled within one. */
  readonly batchesPerEpoch: number;
  #epoch = -1;
  #order: Int32Array = new Int32Array(0);

  constructor(options: BatchOrderOptions) {
    const n = options.indices.length;
    if (n === 0) throw new RangeError('BatchOrder: the index set is empty');
    if (n > 4 * EPOCH_STRIDE) throw new RangeError(`BatchOrder: at most ${4 * EPOCH_STRIDE} indices, got ${n}`);
    if (!(options.stream >= 1 && options.stream < 4096)) throw new RangeError(`BatchOrder: stream must be in [1, 4096), got ${options.stream}`);
    this.indices = options.indices;
    this.batchSize = options.batchSize;
    this.seed = options.seed;
    this.stream = options.stream;
    this.batchesPerEpoch = Math.max(1, Math.floor(n / options.batchSize));
  }

  /** The permutation of the indices for an epoch (cached for the current epoch). */
  epochOrder(epoch: number): Int32Array {
    if (epoch !== this.#epoch) {
      this.#order = shuffle(Int32Array.from(this.indices), this.seed, this.stream * STREAM_STRIDE + epoch * EPOCH_STRIDE);
      this.#epoch = epoch;
    }
    return this.#order;
  }

  /** Writes batch i of `epoch` (as float row numbers) into out: (batchSize); wraps around a set smaller than needed. */
  batch(epoch: number, i: number, out: Float32Array): void {
    const order = this.epochOrder(epoch);
    const start = i * this.batchSize;
    for (let k = 0; k < this.batchSize; k++) out[k] = order[(start + k) % order.length]!;
  }
}

/** One-hot rows: labels (N) -> (N, classes). */
export function onehot(labels: Uint8Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((c, i) => (out[i * classes + c] = 1));
  return out;
}
