// The training loop: uploads the data once, draws every batch order and random number from the seed, runs the
// model's phases each iteration, logs the phase losses, and evaluates after every epoch.
import { type Backend, type Tensor } from '../backend/backend.js';
import { DataError } from '../data/idx.js';
import { type Dataset } from '../data/mnist.js';
import { BatchOrder, onehot } from '../data/loader.js';
import { type Split } from '../data/splits.js';
import { type AdversarialAutoencoder, type StepBatch } from '../models/autoencoder.js';
import { type AaeConfig } from '../models/config.js';
import { createModel } from '../models/create.js';
import { modelTraits } from '../models/traits.js';
import { applySchedule } from '../optim/schedule.js';
import { RngStream } from '../rng.js';
import { GraphedStep } from './graph-step.js';
import { kthNeighbourDistances } from './neighbours.js';
import { type SplitOptions, checkRunLabels, runSplit } from './run-split.js';
import { Scorer, type Scores, uploadDatasetImages } from './scoring.js';

/** Training itself failed (a loss became NaN or infinite): not a bug, so reported without a stack trace. */
export class TrainingError extends Error {
  override name = 'TrainingError';
}

/** The run's settings; labels, validation, protocol and seed fix its split (run-split.ts). */
export interface TrainerOptions extends SplitOptions {
  config: AaeConfig;
  epochs: number;
  /** Iterations between loss records (default 50). */
  logEvery?: number;
  /** Caps the iterations of an epoch (quick runs, tests); default: one pass over the unlabeled set. */
  maxStepsPerEpoch?: number;
  /** Caps the test images evaluated (default all). */
  maxTestImages?: number;
  /** Receives each loss record and epoch summary (metrics.jsonl). */
  onRecord?: (record: StepRecord | EpochRecord) => void;
  /** Human-readable progress lines (default: none). */
  log?: (line: string) => void;
  /** Checked before every iteration: when it returns true, run() returns at once (Ctrl-C). */
  shouldStop?: () => boolean;
  /**
   * Replay iterations from a captured graph (CUDA Graphs on the CUDA backend; bit-identical to eager iterations).
   * Default: on for CUDA, off elsewhere.
   */
  graphs?: boolean;
  /** Called by runAsync between chunks of iterations, with the latest logged losses. */
  onProgress?: (p: { epoch: number; epochs: number; stepInEpoch: number; stepsPerEpoch: number; itersPerSecond: number; losses: Record<string, number> }) => void;
}

export interface StepRecord {
  type: 'step';
  epoch: number;
  step: number;
  losses: Record<string, number>;
}

/** Where training stands: enough, with the parameters, optimiser moments and RNG offset, to resume exactly. */
export interface TrainingPosition {
  /** 0-based epoch in progress. */
  epoch: number;
  /** Iterations of that epoch already done. */
  stepInEpoch: number;
  /** Sums of the epoch's logged losses so far, and how many records they hold. */
  sums: Record<string, number>;
  logged: number;
}

/** An epoch's summary: its iterations, time and mean logged losses, and the scores after it. */
export interface EpochRecord extends Scores {
  type: 'epoch';
  epoch: number;
  steps: number;
  seconds: number;
  itersPerSecond: number;
  losses: Record<string, number>;
}

/** Random streams of a run, all from its seed: model init, the training phases, and the batch orders. */
const TRAINING_OFFSET = 2 ** 32;
const UNLABELED_STREAM = 1;
const LABELED_STREAM = 2;

/** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st, ... */
function ordinal(k: number): string {
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
  return `${k}${suffix}`;
}

export class Trainer {
  readonly model: AdversarialAutoencoder;
  readonly rng: RngStream;
  readonly split: Split;
  readonly stepsPerEpoch: number;
  /** Iterations done in the whole run. */
  step = 0;
  position: TrainingPosition = { epoch: 0, stepInEpoch: 0, sums: {}, logged: 0 };
  /** The most recently logged losses. */
  lastLosses: Record<string, number> = {};
  readonly history: EpochRecord[] = [];

  /** The training images and their one-hot labels on the backend, where batches are gathered from. */
  readonly #train: { images: Tensor; onehot: Tensor | undefined };
  /** Each training image's VAT radius (config.vat.neighbour), (train.n, 1), gathered into the batch's vatRadius. */
  readonly #vatRadius: Tensor | undefined;
  readonly #order: BatchOrder;
  readonly #labeledOrder: BatchOrder | undefined;
  readonly #batch: { x: Tensor; y: Tensor | undefined; xL: Tensor | undefined; yL: Tensor | undefined };
  /**
   * The batch orders of the epoch in progress on the backend, uploaded at its first iteration: rows [iB, (i+1)B)
   * of `unlabeled` are its i-th batch, of `labeled` the labeled batch of its i-th iteration. An iteration then
   * gathers its batches with no upload (on CUDA an upload from host memory synchronises the stream).
   */
  readonly #epochOrder: { epoch: number; firstStep: number; host: Float32Array; unlabeled: Tensor; labeled: Tensor | undefined };
  readonly #scorer: Scorer;
  /** Replays iterations from a captured graph when options.graphs is on. */
  readonly #graphed: GraphedStep | undefined;
  /** The model's view of #batch (the same tensors every iteration). */
  readonly #stepBatch: StepBatch;
  /**
   * Label-conditioned regularisation: each training image's label, or -1 where the split leaves it unlabeled, and
   * the host buffer of a batch's one-hot conditions (B, slots).
   */
  readonly #condition: { labelOf: Int32Array; host: Float32Array; slots: number } | undefined;
  /**
   * Set by the backend when any loss of any iteration is NaN or infinite (flagNonFinite after every step), read when
   * losses are logged; `checkedAt` is the iteration of the last read (-1 before this process trained).
   */
  readonly #nonFinite: { flag: Tensor; losses: Tensor[]; checkedAt: number };
  /** Wall time and iterations of the epoch in progress spent in this process (an epoch may span several calls). */
  #epochSeconds = 0;
  #epochSteps = 0;

  constructor(
    readonly backend: Backend,
    data: { train: Dataset; test: Dataset },
    readonly options: TrainerOptions,
  ) {
    const be = backend;
    const c = options.config;
    const { train, test } = data;
    const traits = modelTraits(c);
    const semi = traits.classifierPhase;
    checkRunLabels(c, data);
    this.split = runSplit(c, train, options);
    if (this.split.unlabeled.length === 0) {
      throw new DataError(`no training images are left once ${this.split.validation.length} validation and ${this.split.labeled.length} labeled ones are held out; lower --validation or --labels, or give more images`);
    }
    this.model = createModel(be, c, new RngStream(options.seed));
    this.rng = new RngStream(options.seed, TRAINING_OFFSET);

    // The data crosses to the backend once; batches are gathered there.
    const classes = Math.max(c.classes, 1);
    this.#train = {
      images: uploadDatasetImages(be, train, c.inFeatures),
      onehot: train.labels && c.classes > 0 ? be.tensor([train.n, classes], onehot(train.labels, classes)) : undefined,
    };
    const testSet = {
      images: uploadDatasetImages(be, test, c.inFeatures),
      onehot: test.labels && traits.decoderTakesLabels ? be.tensor([test.n, classes], onehot(test.labels, classes)) : undefined,
      labels: test.labels,
      rows: Int32Array.from({ length: Math.min(test.n, options.maxTestImages ?? test.n) }, (_, i) => i),
    };

    this.#order = new BatchOrder({ indices: this.split.unlabeled, batchSize: c.batch, seed: options.seed, stream: UNLABELED_STREAM });
    this.#labeledOrder = semi
      ? new BatchOrder({ indices: this.split.labeled, batchSize: c.batch, seed: options.seed, stream: LABELED_STREAM })
      : undefined;
    this.stepsPerEpoch = Math.min(this.#order.batchesPerEpoch, options.maxStepsPerEpoch ?? Infinity);
    this.#epochOrder = {
      epoch: -1,
      firstStep: -1,
      host: new Float32Array(this.stepsPerEpoch * c.batch),
      unlabeled: be.tensor([this.stepsPerEpoch * c.batch]),
      labeled: semi ? be.tensor([this.stepsPerEpoch * c.batch]) : undefined,
    };
    this.#batch = {
      x: be.tensor([c.batch, c.inFeatures]),
      y: traits.decoderTakesLabels ? be.tensor([c.batch, classes]) : undefined,
      xL: semi ? be.tensor([c.batch, c.inFeatures]) : undefined,
      yL: semi ? be.tensor([c.batch, classes]) : undefined,
    };
    const b = this.#batch;
    this.#stepBatch = { x: b.x, ...(b.y ? { y: b.y } : {}), ...(b.xL ? { xLabeled: b.xL, yLabeled: b.yL! } : {}) };
    if (c.vat?.neighbour !== undefined) {
      const k = c.vat.neighbour;
      if (k >= this.split.unlabeled.length) throw new DataError(`--vat-neighbour=${k} needs more than ${k} training images; this run trains on ${this.split.unlabeled.length}`);
      const started = performance.now();
      const radii = kthNeighbourDistances(be, this.#train.images, { rows: this.split.unlabeled, k });
      const median = Float32Array.from(radii).sort()[radii.length >> 1]!;
      options.log?.(`vat radius: --vat x the distance to the ${ordinal(k)} nearest of ${radii.length} training images (median distance ${median.toFixed(3)}), computed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const table = new Float32Array(train.n);
      this.split.unlabeled.forEach((row, i) => (table[row] = radii[i]!));
      this.#vatRadius = be.tensor([train.n, 1], table);
      this.#stepBatch.vatRadius = be.tensor([c.batch, 1]);
    }
    if (c.conditionalPrior) {
      const slots = c.conditionalPrior.classes + 1;
      const labelOf = new Int32Array(train.n).fill(-1);
      for (const i of this.split.labeled) labelOf[i] = train.labels![i]!;
      this.#condition = { labelOf, host: new Float32Array(c.batch * slots), slots };
      this.#stepBatch.condition = be.tensor([c.batch, slots]);
      this.#stepBatch.priorLabels = new Int32Array(c.batch);
    }
    const trainRows = (rows: Int32Array) => ({ ...this.#train, labels: train.labels, rows });
    this.#scorer = new Scorer(be, this.model, {
      test: testSet,
      validation: trainRows(this.split.validation),
      clusterTraining: traits.clustering ? trainRows(this.split.unlabeled) : undefined,
    });
    this.#nonFinite = { flag: be.tensor([1]), losses: Object.values(this.model.lossTensors()), checkedAt: -1 };
    this.#graphed = (options.graphs ?? be.info().name === 'cuda') ? new GraphedStep(be, this.model, this.rng) : undefined;
  }

  /**
   * Uploads the batch orders of `epoch` whose i-th iteration is the run's iteration this.step, unless they are
   * there: the epoch's batches of the unlabeled order and, for iterations firstStep.., the labeled batches.
   */
  #uploadEpochOrder(epoch: number, i: number): void {
    const o = this.#epochOrder;
    const firstStep = this.step - i;
    if (o.epoch === epoch && o.firstStep === firstStep) return;
    const B = this.options.config.batch;
    const block = (j: number) => o.host.subarray(j * B, (j + 1) * B);
    for (let j = 0; j < this.stepsPerEpoch; j++) this.#order.batch(epoch, j, block(j));
    this.backend.upload(o.unlabeled, o.host);
    if (this.#labeledOrder && o.labeled) {
      // The labeled set is cycled: a new pass over it starts whenever the previous one is used up.
      const per = this.#labeledOrder.batchesPerEpoch;
      for (let j = 0; j < this.stepsPerEpoch; j++) {
        const s = firstStep + j;
        this.#labeledOrder.batch(Math.floor(s / per), s % per, block(j));
      }
      this.backend.upload(o.labeled, o.host);
    }
    o.epoch = epoch;
    o.firstStep = firstStep;
  }

  /** Gathers the i-th batch of `order` (images, and one-hot labels when y is given) into x (and y). */
  #gather(order: Tensor, i: number, x: Tensor, y: Tensor | undefined): void {
    const first = i * this.options.config.batch;
    this.backend.gatherRows(this.#train.images, order, x, { first });
    if (y) this.backend.gatherRows(this.#train.onehot!, order, y, { first });
  }

  /** Throws a TrainingError when a loss of any iteration since the last check was not finite. */
  #checkFinite(losses: Record<string, number>, epoch: number): void {
    const nf = this.#nonFinite;
    const since = nf.checkedAt;
    nf.checkedAt = this.step;
    if (this.backend.download(nf.flag)[0] === 0) return;
    this.backend.fill(nf.flag, 0);
    const now = Object.entries(losses).find(([, v]) => !Number.isFinite(v));
    const where = this.step === since + 1 ? `iteration ${this.step}` : `iterations ${since + 1}-${this.step}`;
    throw new TrainingError(`a loss became non-finite in epoch ${epoch + 1}, ${where}${now ? ` (the ${now[0]} loss is ${now[1]} now)` : ''}`);
  }

  /** The conditions of the batch of training images `indices`: one-hot labels (last slot: unlabeled), on both sides. */
  #uploadCondition(indices: Float32Array): void {
    const { labelOf, host, slots } = this.#condition!;
    const labels = this.#stepBatch.priorLabels!;
    host.fill(0);
    indices.forEach((index, r) => {
      const label = labelOf[index]!;
      labels[r] = label;
      host[r * slots + (label >= 0 ? label : slots - 1)] = 1;
    });
    this.backend.upload(this.#stepBatch.condition!, host);
  }

  /** One training iteration (all phases) on the i-th batch of `epoch`. */
  trainStep(epoch: number, i: number): void {
    const b = this.#batch;
    if (!(i >= 0 && i < this.stepsPerEpoch)) throw new RangeError(`trainStep: iteration ${i} of an epoch of ${this.stepsPerEpoch}`);
    this.#uploadEpochOrder(epoch, i);
    const o = this.#epochOrder;
    this.#gather(o.unlabeled, i, b.x, b.y);
    if (this.#vatRadius) this.backend.gatherRows(this.#vatRadius, o.unlabeled, this.#stepBatch.vatRadius!, { first: i * this.options.config.batch });
    if (o.labeled) this.#gather(o.labeled, i, b.xL!, b.yL);
    if (this.#condition) this.#uploadCondition(o.host.subarray(i * this.options.config.batch, (i + 1) * this.options.config.batch));
    if (this.#graphed) this.#graphed.step(this.#stepBatch);
    else this.model.step(this.#stepBatch, this.rng);
    for (const loss of this.#nonFinite.losses) this.backend.flagNonFinite(loss, this.#nonFinite.flag);
    this.step++;
  }

  /**
   * Trains the rest of the epoch in progress (from position.stepInEpoch), evaluates, records and returns the
   * epoch's summary, and moves the position to the next epoch. With maxSteps, stops after that many iterations if
   * the epoch is not over by then and returns undefined (the position says where to continue).
   */
  runEpoch(maxSteps = Infinity): EpochRecord | undefined {
    const logEvery = this.options.logEvery ?? 50;
    const pos = this.position;
    const start = performance.now();
    const first = pos.stepInEpoch;
    if (this.#nonFinite.checkedAt < 0) this.#nonFinite.checkedAt = this.step;
    // The schedule moves at epoch starts only; mid-epoch, the rates are those set then (or restored by a checkpoint).
    if (first === 0) applySchedule(this.model.optimizers(), this.options.config.schedule, pos.epoch);
    while (pos.stepInEpoch < this.stepsPerEpoch) {
      if (pos.stepInEpoch - first >= maxSteps || this.options.shouldStop?.()) {
        this.#epochSeconds += (performance.now() - start) / 1000;
        return undefined;
      }
      this.trainStep(pos.epoch, pos.stepInEpoch);
      pos.stepInEpoch++;
      this.#epochSteps++;
      if (pos.stepInEpoch % logEvery === 0 || pos.stepInEpoch === this.stepsPerEpoch) {
        const losses = this.model.losses();
        this.#checkFinite(losses, pos.epoch);
        for (const [k, v] of Object.entries(losses)) {
          pos.sums[k] = (pos.sums[k] ?? 0) + v;
        }
        pos.logged++;
        this.lastLosses = losses;
        this.options.onRecord?.({ type: 'step', epoch: pos.epoch + 1, step: this.step, losses });
      }
    }
    const seconds = this.#epochSeconds + (performance.now() - start) / 1000;
    const itersPerSecond = this.#epochSteps / seconds;
    this.#epochSeconds = 0;
    this.#epochSteps = 0;
    const losses = Object.fromEntries(Object.entries(pos.sums).map(([k, v]) => [k, v / pos.logged]));
    const record: EpochRecord = {
      type: 'epoch',
      epoch: pos.epoch + 1,
      steps: this.step,
      seconds,
      itersPerSecond,
      losses,
      ...this.evaluate(),
    };
    this.history.push(record);
    this.position = { epoch: pos.epoch + 1, stepInEpoch: 0, sums: {}, logged: 0 };
    this.options.onRecord?.(record);
    this.options.log?.(formatEpoch(record, this.options.epochs));
    return record;
  }

  /** Test reconstruction loss, and the model's accuracy measure: semi-supervised error or cluster accuracy. */
  evaluate(): Scores {
    return this.#scorer.scores();
  }

  /** The test-set confusion matrix of a model with a class head: counts[true digit][predicted class or cluster]. */
  testConfusion(): number[][] {
    return this.#scorer.testConfusion();
  }

  /**
   * Trains up to options.epochs from the current position, or until shouldStop() says so; returns the history of
   * this trainer's completed epochs.
   */
  run(): EpochRecord[] {
    while (this.position.epoch < this.options.epochs) {
      if (!this.runEpoch()) break;
    }
    return this.history;
  }

  /**
   * run(), yielding to the event loop every `chunk` iterations so that signal handlers (Ctrl-C) and timers run
   * during training; stops at the next iteration boundary once shouldStop() returns true.
   */
  async runAsync(chunk = 5): Promise<EpochRecord[]> {
    const started = performance.now();
    const firstStep = this.step;
    while (this.position.epoch < this.options.epochs && !this.options.shouldStop?.()) {
      // An epoch that ended here is shown full (N/N), not as the next epoch's 0/N.
      const ended = this.runEpoch(chunk);
      this.options.onProgress?.({
        epoch: ended ? ended.epoch : this.position.epoch + 1,
        epochs: this.options.epochs,
        stepInEpoch: ended ? this.stepsPerEpoch : this.position.stepInEpoch,
        stepsPerEpoch: this.stepsPerEpoch,
        itersPerSecond: (this.step - firstStep) / ((performance.now() - started) / 1000),
        losses: this.lastLosses,
      });
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return this.history;
  }
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/**
 * What picks a run's best checkpoint (lower is better): the validation error of the models with a classifier, else
 * the validation reconstruction loss; the test reconstruction only for a run that holds no validation images out.
 */
export function checkpointScore(r: Pick<EpochRecord, 'validationError' | 'validationRecon' | 'testRecon'>): number {
  return r.validationError ?? r.validationRecon ?? r.testRecon;
}

export function formatEpoch(r: EpochRecord, epochs: number): string {
  const losses = Object.entries(r.losses).map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ');
  const scores = [
    ...(r.validationRecon !== undefined ? [`val recon ${r.validationRecon.toFixed(4)}`] : []),
    `test recon ${r.testRecon.toFixed(4)}`,
    ...(r.validationError !== undefined ? [`val err ${pct(r.validationError)}`] : []),
    ...(r.testError !== undefined ? [`test err ${pct(r.testError)}`] : []),
    ...(r.clusterAccuracy !== undefined ? [`cluster acc ${pct(r.clusterAccuracy)}`] : []),
  ].join('  ');
  return `epoch ${r.epoch}/${epochs}  ${losses}  |  ${scores}  |  ${r.itersPerSecond.toFixed(1)} it/s`;
}
