// Model configuration: one object holds every setting of a model, with the reference code's defaults per kind.
import { type OptimizerConfig } from '../optim/optimizer.js';
import { type StepSchedule } from '../optim/schedule.js';
import { type VatOptions } from './consistency.js';
import { type ImageShape, MNIST_IMAGE, imageSize, squareGreyShape } from '../util/image-shape.js';
import { type PriorOptions } from './priors.js';

export const MODEL_KINDS = ['semi', 'unsupervised', 'supervised', 'cluster', 'dimred'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export interface LearningRates {
  /** Reconstruction phase: P_decoder and Q_encoder. */
  recon: number;
  /** Generator (regularisation) phase: Q_generator. */
  generator: number;
  /** Discriminator phase: D_gauss_solver / D_cat_solver. */
  discriminator: number;
  /** Semi-supervised cross-entropy phase: Q_semi_supervised. */
  classifier: number;
}

export interface AaeConfig {
  kind: ModelKind;
  batch: number;
  /** Values per image: image.height * image.width * image.channels (784 for MNIST). */
  inFeatures: number;
  /**
   * The shape of one image (channels interleaved), recorded in config.json and checkpoints so eval, sample and
   * explore draw the run's images; absent in configurations written before it (square grey images: see imageShape).
   */
  image?: ImageShape;
  zDim: number;
  /** Classes of y: 10 for MNIST labels; k for clustering; 0 for the unsupervised model. */
  classes: number;
  hidden: number;
  depth: number;
  /** Dropout in Q and P (0.25) and in the discriminators (0.2). */
  dropoutQP: number;
  dropoutD: number;
  /** Prior on z (D_gauss's "real" samples). */
  prior: PriorOptions;
  lr: LearningRates;
  /** Every phase's optimiser (default Adam). */
  optimizer?: OptimizerConfig;
  /** Stepped learning rates over epochs, applied to every phase (default: constant). */
  schedule?: StepSchedule;
  /** Standard deviation of Gaussian noise added to Q's input in every phase; the reconstruction target stays clean (default 0). */
  inputNoise?: number;
  /** Standard deviation of Gaussian noise added to every discriminator's inputs (prior samples and codes) (default 0). */
  discriminatorNoise?: number;
  /**
   * Every layer's initial weights ~ N(0, initStd^2) and biases 0 (the paper's appendix uses 0.01), instead of
   * PyTorch's default nn.Linear initialisation (default: PyTorch's).
   */
  initStd?: number;
  /**
   * The discriminator phase sees Q's codes computed in training mode (dropout on), as the generator phase pushes
   * them, instead of in evaluation mode as the reference code does (default false).
   */
  discriminatorTrainingCodes?: boolean;
  /**
   * The generator phase runs the discriminators in evaluation mode (no dropout) while Q's gradient passes through
   * them, instead of with dropout as the reference code does (default false).
   */
  generatorEvalDiscriminators?: boolean;
  /**
   * Models with a class code y and D_cat (semi, cluster, dimred): the weight of -mean log D_cat(y) in the generator
   * phase, relative to the Gaussian regulariser's weight of 1 (default 1, the paper's).
   */
  categoricalWeight?: number;
  /**
   * Semi-supervised model (kind 'semi'): each iteration also reconstructs the labeled minibatch with its one-hot
   * labels as P's class code, updating P and Q (as musyoku/adversarial-autoencoder does; the paper does not say)
   * (default false).
   */
  labeledReconstruction?: boolean;
  /**
   * Data augmentation of every image Q trains on (the unlabeled and the labeled batch; the reconstruction target is
   * the augmented image): random integer translations of up to `translate` pixels, zero fill, drawn per image
   * and iteration. Off in evaluation.
   */
  augment?: AugmentOptions;
  /**
   * Models with a class head (semi, cluster): virtual adversarial training on the unlabeled batch's q(y|x), added to
   * the cross-entropy phase (semi) or the generator phase (cluster); see consistency.ts.
   */
  vat?: VatOptions;
  /**
   * Unsupervised model with a mixture or swiss-roll prior: the paper's label-conditioned regularisation (Sec. 2.3,
   * Fig. 4). D_gauss sees a one-hot label beside each code (classes + 1 slots, the last for unlabeled images), and
   * the prior draws each labeled image's code from its class's component (an unlabeled one's from the whole prior).
   */
  conditionalPrior?: { classes: number };
  /** Dimensionality reduction (kind 'dimred'): the representation W_c y + z and its cluster-head cost. */
  dimred?: DimredOptions;
}

export interface AugmentOptions {
  /** Largest shift in pixels, each direction. */
  translate: number;
  /** Image height and width in pixels (inFeatures = height * width * channels). */
  height: number;
  width: number;
}

export interface DimredOptions {
  /** Heads closer than eta are penalised: cost = weight * sum over pairs i < j of relu(eta - |W_c[:,i] - W_c[:,j]|). */
  eta: number;
  weight: number;
  /** With a cross-entropy phase on labeled data (the semi-supervised variant); y then has one class per label. */
  semiSupervised: boolean;
}

export interface DefaultConfigOptions {
  /** Labeled training images of the run: the dimred model with 0 is its unsupervised variant (default: semi-supervised). */
  labels?: number;
  /** Classes of a model whose classes are clusters: the clustering model, the unsupervised dimred model (default 16). */
  clusters?: number;
}

/** The reference code's settings for each model (Paperspace post / fducau/AAE_pytorch), its bugs fixed. */
export function defaultConfig(kind: ModelKind, options: DefaultConfigOptions = {}): AaeConfig {
  const clusters = options.clusters ?? 16;
  const base = { kind, batch: 100, inFeatures: imageSize(MNIST_IMAGE), hidden: 1000, depth: 2, dropoutQP: 0.25, dropoutD: 0.2 };
  switch (kind) {
    case 'semi':
      return { ...base, zDim: 2, classes: 10, prior: { name: 'gaussian', dim: 2, std: 1 }, lr: { recon: 6e-4, generator: 8e-4, discriminator: 8e-4, classifier: 1e-3 } };
    case 'cluster':
      return { ...base, zDim: 2, classes: clusters, prior: { name: 'gaussian', dim: 2, std: 1 }, lr: { recon: 6e-4, generator: 8e-4, discriminator: 8e-4, classifier: 1e-3 } };
    case 'unsupervised':
      return { ...base, zDim: 2, classes: 0, prior: { name: 'gaussian', dim: 2, std: 5 }, lr: { recon: 1e-4, generator: 5e-5, discriminator: 5e-5, classifier: 1e-4 } };
    case 'supervised':
      return { ...base, zDim: 2, classes: 10, prior: { name: 'gaussian', dim: 2, std: 5 }, lr: { recon: 1e-4, generator: 5e-5, discriminator: 5e-5, classifier: 1e-4 } };
    case 'dimred': {
      const semiSupervised = options.labels !== 0;
      return {
        ...base,
        zDim: 2,
        classes: semiSupervised ? 10 : clusters,
        prior: { name: 'gaussian', dim: 2, std: 1 },
        lr: { recon: 6e-4, generator: 8e-4, discriminator: 8e-4, classifier: 1e-3 },
        dimred: { eta: 6, weight: 1, semiSupervised },
      };
    }
  }
}

/** The shape of c's images: c.image, or square grey images of c.inFeatures pixels (a strip when not square). */
export function imageShape(c: Pick<AaeConfig, 'image' | 'inFeatures'>): ImageShape {
  return c.image ?? squareGreyShape(c.inFeatures) ?? { height: 1, width: c.inFeatures, channels: 1 };
}
