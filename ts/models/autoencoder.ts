// What every adversarial autoencoder shares: Q (encoder), P (decoder) and the reconstruction phase,
//   x -> Q -> [y,] z -> P -> x_hat,  loss = BCE(x_hat, x),  update P and Q.
// The decoder's input is [y, z] (class code first, as the reference code's torch.cat(Q(X), 1)) when the model has
// a class code: Q's softmax y (semi-supervised, clustering) or the one-hot label (supervised).
import { type Backend, type Tensor } from '../backend/backend.js';
import { type Linear } from '../nn/linear.js';
import { loadParameters } from '../nn/load-parameters.js';
import { addGaussianNoise } from '../nn/noise.js';
import { type Parameter } from '../nn/parameter.js';
import { type Sequential, type Trace } from '../nn/sequential.js';
import { type Optimizer } from '../optim/optimizer.js';
import { createOptimizer } from '../optim/create.js';
import { type RngStream } from '../rng.js';
import { type AaeConfig } from './config.js';
import { Encoder } from './encoder.js';
import { mlp } from './nets.js';
import { type Prior } from './priors.js';
import { type ModelTraits, modelTraits } from './traits.js';

/** One training step's inputs, all resident on the backend. */
export interface StepBatch {
  x: Tensor; // (B, inFeatures) images for the unsupervised phases
  /** (B, classes) one-hot labels of x (supervised model). */
  y?: Tensor;
  /** (B, inFeatures) labeled images and their one-hot labels (B, classes) (semi-supervised model). */
  xLabeled?: Tensor;
  yLabeled?: Tensor;
  /**
   * Label-conditioned regularisation (config.conditionalPrior): (B, classes + 1) one-hot labels of x for D, the last
   * slot marking an unlabeled image, and the same labels on the host (-1 unlabeled) for the prior's sampler.
   */
  condition?: Tensor;
  priorLabels?: Int32Array;
  /** (B, 1) VAT radius of each image of x, in units of config.vat.eps (config.vat.neighbour: the trainer's). */
  vatRadius?: Tensor;
}

export interface ReconstructionOptions {
  /** (B, classes) one-hot labels fed to P as the class code instead of Q's y. */
  label?: Tensor;
  /** (1) where the loss goes (default: the model's reconLoss). */
  loss?: Tensor;
  /** Add to P's and Q's parameter gradients instead of overwriting them: a second reconstruction loss in one update. */
  accumulate?: boolean;
}

export abstract class AdversarialAutoencoder {
  readonly Q: Encoder;
  readonly P: Sequential; // [y,] z -> hidden... -> inFeatures, sigmoid
  readonly pTrace: Trace;
  /** The decoder's input [y, z]: (B, classes + zDim), and its gradient. */
  readonly pIn: Tensor;
  readonly dPIn: Tensor;
  readonly reconLoss: Tensor; // (1)
  readonly P_decoder: Optimizer;
  readonly Q_encoder: Optimizer;
  /** Width of the class code in the decoder's input (0 for the unsupervised model). */
  readonly yDim: number;
  /** What the configuration implies for training, scoring, options and figures (traits.ts). */
  readonly traits: ModelTraits;
  /** The prior the style code z is pushed towards (D_gauss's "real" samples). */
  abstract readonly prior: Prior;
  /** Q's noisy training input x + N(0, inputNoise^2): (B, inFeatures); undefined without input noise. */
  readonly #noisyX: Tensor | undefined;
  /** The augmented unlabeled and labeled batches: (B, inFeatures) each; undefined without augmentation. */
  readonly #augmented: { x: Tensor; xLabeled: Tensor } | undefined;

  protected constructor(
    protected readonly be: Backend,
    readonly config: AaeConfig,
    options: { encoderClasses: number; decoderClasses: number },
  ) {
    const c = config;
    this.traits = modelTraits(config);
    this.Q = new Encoder(be, { inFeatures: c.inFeatures, zDim: c.zDim, classes: options.encoderClasses, shape: this.shapeQP(), batch: c.batch });
    this.yDim = options.decoderClasses;
    const pInWidth = this.yDim + c.zDim;
    this.P = mlp(be, 'P', pInWidth, this.shapeQP(), { features: c.inFeatures, activation: 'sigmoid' });
    this.pTrace = this.P.trace(c.batch);
    this.pIn = be.tensor([c.batch, pInWidth]);
    this.dPIn = be.tensor([c.batch, pInWidth]);
    this.reconLoss = be.tensor([1]);
    this.P_decoder = createOptimizer(be, 'P_decoder', this.P.parameters(), c.lr.recon, c.optimizer);
    this.Q_encoder = createOptimizer(be, 'Q_encoder', this.Q.parameters(), c.lr.recon, c.optimizer);
    if ((c.inputNoise ?? 0) > 0) this.#noisyX = be.tensor([c.batch, c.inFeatures]);
    if (c.augment) this.#augmented = { x: be.tensor([c.batch, c.inFeatures]), xLabeled: be.tensor([c.batch, c.inFeatures]) };
  }

  /** One training iteration: the batch's images augmented (config.augment), then every phase of the model. */
  step(batch: StepBatch, rng: RngStream): void {
    this.phases(this.augmentedBatch(batch, rng), rng);
  }

  /** The batch with its images (x and xLabeled) randomly translated, or the batch itself without augmentation. */
  protected augmentedBatch(batch: StepBatch, rng: RngStream): StepBatch {
    const aug = this.config.augment;
    const out = this.#augmented;
    if (!aug || !out) return batch;
    const shape = { height: aug.height, width: aug.width, maxShift: aug.translate };
    const translate = (x: Tensor, to: Tensor): Tensor => {
      this.be.randomTranslate(x, to, { ...rng.take(2 * x.shape[0]!), ...shape });
      return to;
    };
    return {
      ...batch,
      x: translate(batch.x, out.x),
      ...(batch.xLabeled ? { xLabeled: translate(batch.xLabeled, out.xLabeled) } : {}),
    };
  }

  /** Q's input in a training phase: x (B, inFeatures) itself, or x plus fresh Gaussian noise when inputNoise > 0. */
  protected trainingInput(x: Tensor, rng: RngStream): Tensor {
    const noisy = this.#noisyX;
    return noisy ? addGaussianNoise(this.be, x, noisy, { std: this.config.inputNoise!, rng }) : x;
  }

  protected shapeQP() {
    return { hidden: this.config.hidden, depth: this.config.depth, dropout: this.config.dropoutQP };
  }

  protected shapeD() {
    return { hidden: this.config.hidden, depth: this.config.depth, dropout: this.config.dropoutD };
  }

  /** The options every discriminator of this model shares, beside its name and code width. */
  protected adversaryOptions() {
    const c = this.config;
    return {
      shape: this.shapeD(),
      batch: c.batch,
      lr: c.lr.discriminator,
      optimizer: c.optimizer,
      inputNoise: c.discriminatorNoise,
      evalInGenerator: c.generatorEvalDiscriminators ?? false,
    };
  }

  /** Q's codes for the discriminator phase: the forward pass in evaluation mode (or training mode, see config). */
  protected encodeForDiscriminators(x: Tensor, rng: RngStream): void {
    this.Q.forward(this.trainingInput(x, rng), this.config.discriminatorTrainingCodes ?? false, rng);
  }

  /** Every layer, in the order of a PyTorch state_dict of the same modules (Q, P, then the discriminators). */
  abstract linears(): Linear[];

  /** Every parameter, named as in that state_dict ("Q.lin1.weight", ...). */
  parameters(): Parameter[] {
    return this.linears().flatMap((l) => l.parameters());
  }

  /** The backend the model's tensors live on. */
  get backend(): Backend {
    return this.be;
  }

  /** Every parameter's values by its state_dict name, downloaded (PyTorch's state_dict(), weights only). */
  stateDict(): Map<string, Float32Array> {
    return new Map(this.parameters().map((p) => [p.name, this.be.download(p.value)]));
  }

  /**
   * Uploads every parameter's values from `values` by state_dict name (PyTorch's load_state_dict, strict): each name
   * must be there with the parameter's number of values; on a missing or mis-sized one nothing is changed.
   */
  loadStateDict(values: ReadonlyMap<string, Float32Array>): void {
    loadParameters(this.be, this.parameters(), (name, shape) => {
      const data = values.get(name);
      const size = shape.reduce((a, b) => a * b, 1);
      if (!data) throw new RangeError(`loadStateDict: no values for ${name} (shape [${shape.join(', ')}])`);
      if (!(data instanceof Float32Array) || data.length !== size) {
        throw new RangeError(`loadStateDict: ${name} has ${data instanceof Float32Array ? `${data.length} values` : 'no Float32Array'}, expected ${size} (shape [${shape.join(', ')}])`);
      }
      return data;
    });
  }
  /** Every optimiser, each with its own moments. */
  abstract optimizers(): Optimizer[];
  /** All phases of one training iteration on one (augmented) minibatch. */
  protected abstract phases(batch: StepBatch, rng: RngStream): void;
  /** The last step's loss tensors by phase name. */
  abstract lossTensors(): Record<string, Tensor>;

  /** The last step's losses by phase (downloads them: a synchronisation point). */
  losses(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.lossTensors()).map(([k, t]) => [k, this.be.download(t)[0]!]));
  }

  /** Writes the decoder input [classCode, z] into pIn: classCode (B, yDim) or none, z (B, zDim). */
  protected assembleDecoderInput(z: Tensor, classCode: Tensor | undefined): void {
    if (classCode) this.be.copy(classCode, this.pIn, { dstCol: 0 });
    this.be.copy(z, this.pIn, { dstCol: this.yDim });
  }

  /** Decodes pIn into this.pTrace.output: (B, inFeatures). */
  protected decode(train: boolean, rng: RngStream): Tensor {
    return this.P.forward(this.pTrace, this.pIn, train, rng);
  }

  /**
   * Reconstruction loss (into this.reconLoss, or `loss`) and gradients of x: (B, inFeatures). `label` (B, classes)
   * replaces Q's class code in the decoder input (the supervised model; the semi-supervised model's labeled batch).
   * Back-propagates into P and into every head of Q that fed the decoder.
   */
  reconstructionGradients(x: Tensor, rng: RngStream, options: ReconstructionOptions = {}): void {
    const { be, Q } = this;
    const { label, loss = this.reconLoss, accumulate = false } = options;
    Q.forward(this.trainingInput(x, rng), true, rng);
    const yCode = label ?? Q.y;
    this.assembleDecoderInput(Q.z, this.yDim > 0 ? yCode : undefined);
    const xHat = this.decode(true, rng);
    be.bceWithSigmoid(xHat, x, loss, this.pTrace.dOutput);
    this.P.backward(this.pTrace, { dx: this.dPIn, dyIsPreActivation: true, accumulateParams: accumulate });
    be.copy(this.dPIn, Q.dz, { srcCol: this.yDim, cols: this.config.zDim });
    const throughY = this.yDim > 0 && label === undefined;
    if (throughY) be.copy(this.dPIn, Q.dy!, { srcCol: 0, cols: this.yDim });
    Q.backward({ z: true, y: throughY, accumulateParams: accumulate });
  }

  /** Reconstruction phase: gradients, then P_decoder and Q_encoder updates. */
  protected reconstructionPhase(x: Tensor, rng: RngStream, options: ReconstructionOptions = {}): void {
    this.reconstructionGradients(x, rng, options);
    this.P_decoder.update();
    this.Q_encoder.update();
  }

  /** After encode(): the code P decodes besides a class code, (B, zDim): Q.z here (the dimred model's W_c y + z). */
  get decoderCode(): Tensor {
    return this.Q.z;
  }

  /** Encodes x (B, inFeatures) in evaluation mode (no dropout) into this.Q.z and, with a class head, this.Q.y. */
  encode(x: Tensor, rng: RngStream): void {
    this.Q.forward(x, false, rng);
  }

  /**
   * Evaluation-mode reconstruction of x (B, inFeatures): P([y, z]) with Q's codes, or with `label` (B, classes) as the
   * class code for the supervised model. Returns P's output (B, inFeatures).
   */
  reconstruct(x: Tensor, rng: RngStream, label?: Tensor): Tensor {
    this.encode(x, rng);
    if (this.yDim > 0 && !(label ?? this.Q.y)) throw new Error(`reconstruct: this ${this.config.kind} model needs the labels of x`);
    this.assembleDecoderInput(this.Q.z, this.yDim > 0 ? (label ?? this.Q.y) : undefined);
    return this.decode(false, rng);
  }

  /** Decodes z (B, zDim) and a class code (B, yDim) in evaluation mode; returns P's output (B, inFeatures). */
  decodeCodes(z: Tensor, classCode: Tensor | undefined, rng: RngStream): Tensor {
    if (this.yDim > 0 && !classCode) throw new Error(`decodeCodes: this ${this.config.kind} model needs a class code (B, ${this.yDim})`);
    this.assembleDecoderInput(z, classCode);
    return this.decode(false, rng);
  }
}
